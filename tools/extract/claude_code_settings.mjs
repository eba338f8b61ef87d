// Claude Code's own settings schema and settings-file loader, run under the Bun it ships with.
//
// Usage: bun claude_code_settings.mjs ROOT
//   ROOT: the ES modules of @anthropic-ai/claude-code-linux-x64, extracted from the executable's `.bun`
//   section with their `/$bunfs/root/` imports pointing at ROOT (tools/extract/claude_code.py does this).
// Reads on stdin a JSON array of documents to load. Prints one JSON object: {schema, probes, answers}.
//   schema: the settings schema (zod) as JSON Schema (draft 2020-12, input side), each node annotated with
//           what zod does that JSON Schema cannot say: "x-catch" (an invalid value is dropped, the file
//           still loads), "x-preprocess" (the value is rewritten before it is checked, so the schema shown
//           is not what the file may hold), "x-never" (a union branch no value takes), "x-unknown" on
//           objects ("strip": unknown keys dropped, "keep": kept and passed through, "reject").
//   probes: {project, managed}: for a project/user settings file and for managed settings, dotted path ->
//           what the loader does with a wrong value there: "file" (the file is not loaded at all),
//           "dropped" / "dropped-warning" (the key or entry is removed, the file loads), "replaced-warning"
//           (another value is used, with a warning: managed settings fail closed), "accepts-anything".
//           Paths: every key reached through `properties`, "<array>.[]" for an item of an array,
//           "hooks.<Event>", "hooks.<Event>.[]" (a matcher that is not valid) and "hooks.<Event>.[].hooks.[]"
//           (a hook that is not valid).
//   answers: for each document read on stdin, the settings the loader keeps (null: not loaded) and its
//           messages.
// Functions are found by what their source says, not by their minified names.
const ROOT = process.argv[2];
import fs from "node:fs";

async function exportsOf(file) {
  try { return await import(`${ROOT}/${file}`); } catch { return {}; }
}

function chunks(marker) {
  return fs.readdirSync(ROOT).filter((f) => f.startsWith("chunk-") && f.endsWith(".js"))
    .filter((f) => fs.readFileSync(`${ROOT}/${f}`, "utf8").includes(marker));
}

function exportedName(source, local) {
  const list = source.match(/export\{([^}]*)\}/)?.[1] ?? "";
  for (const item of list.split(",")) {
    const [inner, outer] = item.split(" as ");
    if (inner.trim() === local) return (outer ?? inner).trim();
  }
  return undefined;
}

async function find(marker, pick) {
  for (const file of chunks(marker)) {
    const found = await pick(file, fs.readFileSync(`${ROOT}/${file}`, "utf8"));
    if (found) return found;
  }
  throw new Error(`no exported function for ${marker}`);
}

const SETTINGS_MARKER = "JSON Schema reference for Claude Code settings";
// The memoised whole-document schema: `X=memo(()=>fields().whole())`.
const wholeSchema = await find(SETTINGS_MARKER, async (file, source) => {
  const local = source.match(/([\w$]+)=[\w$]+\(\(\)=>[\w$]+\(\)\.whole\(\)\)/)?.[1];
  const name = local && exportedName(source, local);
  return name && (await exportsOf(file))[name];
});
const schema = wholeSchema();
if (schema.shape?.$schema?.description !== SETTINGS_MARKER) throw new Error("not the settings schema");
// The loader of one settings file's text: (text, source, isPolicy) -> {settings | null, errors}.
const loadSettingsText = await find('loadState:"didNotLoad"', async (file) =>
  Object.values(await exportsOf(file)).find((f) => typeof f === "function" && f.length === 3
    && String(f).includes('trim()===""') && String(f).includes('loadState:"didNotLoad"')));

const json = schema.toJSONSchema({
  io: "input", unrepresentable: "any", target: "draft-2020-12", reused: "inline",
  override: ({ zodSchema, jsonSchema }) => {
    const def = zodSchema._zod.def;
    if (def.type === "catch") { jsonSchema["x-catch"] = true; delete jsonSchema.default; }
    if (def.type === "pipe" && def.in?._zod.def.type === "transform") jsonSchema["x-preprocess"] = true;
    if (["undefined", "never", "void"].includes(def.type)) jsonSchema["x-never"] = true;
    if (def.type === "object") {
      const rest = def.catchall?._zod.def.type;
      jsonSchema["x-unknown"] = rest === undefined ? "strip" : rest === "never" ? "reject" : "keep";
    }
  },
});

const CANDIDATES = [12345, "x", true, [], {}];

function nested(path, value) {
  return path.reduceRight((inner, key) => (key === "[]" ? [inner] : { [key]: inner }), value);
}

function valueAt(settings, path) {
  let node = settings;
  for (const key of path) {
    const step = key === "[]" ? 0 : key;
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, step)) return { found: false };
    node = node[step];
  }
  return { found: true, value: node };
}

// What the loader does with a wrong value at `path` (the first candidate it does not keep as written), for a
// project or user settings file (`managed` false) or a managed one.
function probe(path, managed) {
  for (const bad of CANDIDATES) {
    const result = load(nested(path, bad), managed);
    if (result.settings == null) {
      const where = path.map((key) => (key === "[]" ? "0" : key)).join(".");
      const here = result.errors.some((e) => [where, path.filter((key) => key !== "[]").join(".")].includes(String(e.path)));
      return here ? "file" : undefined;
    }
    const kept = valueAt(result.settings, path);
    if (!kept.found || kept.value === undefined) return result.errors.length ? "dropped-warning" : "dropped";
    if (result.errors.length && JSON.stringify(kept.value) !== JSON.stringify(bad)) return "replaced-warning";
  }
  return "accepts-anything";
}

function load(document, managed) {
  return managed ? loadSettingsText(JSON.stringify(document), "policySettings", true)
    : loadSettingsText(JSON.stringify(document), "projectSettings", false);
}

function outcomeOf(result) {
  return result.settings == null ? "file" : result.errors.length ? "dropped-warning" : "dropped";
}

// Every path reached through `properties` (not through maps or unions), and the items of the arrays
// found there ("[]": the probe puts the wrong value inside a one-item array).
function* propertyPaths(node, path) {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    yield [...path, key];
    if (child.type === "object") yield* propertyPaths(child, [...path, key]);
    if (child.type === "array") yield [...path, key, "[]"];
  }
}

const probes = { project: {}, managed: {} };
for (const [kind, managed] of [["project", false], ["managed", true]]) {
  for (const path of propertyPaths(json, [])) {
    if (path[0] === "$schema") continue;
    const outcome = probe(path, managed);
    if (outcome) probes[kind][path.join(".")] = outcome;
  }
  // Hook events: a wrong value for the event, a matcher that is not valid, a hook that is not valid.
  for (const event of json.properties.hooks.propertyNames.enum) {
    const cases = [["", 12345], ["[]", [{ matcher: 12345, hooks: [] }]], ["[].hooks.[]", [{ hooks: [{ type: "command" }] }]]];
    for (const [name, value] of cases) {
      probes[kind][["hooks", event, name].filter(Boolean).join(".")] = outcomeOf(load({ hooks: { [event]: value } }, managed));
    }
  }
}
// Documents the caller asks about (stdin: a JSON array), loaded as a project settings file.
const asked = JSON.parse(fs.readFileSync(0, "utf8") || "[]");
const answers = asked.map((doc) => {
  const result = loadSettingsText(JSON.stringify(doc), "projectSettings", false);
  return { settings: result.settings ?? null, errors: result.errors.map((e) => e.message) };
});
console.log(JSON.stringify({ schema: json, probes, answers }));
