// Claude Code 2.1.329's own window / auto-compact threshold / gate / output cap for one config.
// Adapted from the reference oracle of issue 11 (`shared/oracles/claude_oracle.mjs`): same technique, same anchors.
// Driven by tools/fidelity/claude_code.py, which prepares ROOT (tools/extract/claude_code.py unpacks it).
//
// Usage (Bun 1.4.4, the runtime Claude Code 2.1.329 ships in): bun claude_code_oracle.mjs ROOT
//   ROOT: the ES modules of npm @anthropic-ai/claude-code-linux-x64@2.1.329, extracted from the executable's
//   `.bun` section with their `/$bunfs/root/` import paths rewritten to ROOT (tools/extract/claude_code.py does this).
// Run ONE case per process, like one Claude Code start: HOME holds the case's user settings
// (~/.claude/settings.json, with its `env` block), the process environment is the case's shell environment,
// cwd is an empty directory. Prints one JSON line.
//
// Nothing is re-implemented: the oracle imports Claude Code's own modules and calls, in CLI order,
//   enableConfigs()                  the CLI bootstrap that allows config reads
//   mF()                             applyConfigEnvironmentVariables: settings `env` blocks -> process.env (post-trust pass)
//   ct()                             the main-loop model (--model/ANTHROPIC_MODEL/settings.model/default), aliases resolved
//   Wd(model)                        the model facts (catalog window, canonical id, settings key, max output incl.
//                                    CLAUDE_CODE_MAX_OUTPUT_TOKENS, recognition, served/client data = none offline)
//   aEn()                            the merged autoCompactWindow settings {default, byModel}
//   km(), Y1(), g$e(facts, acw)      the kill switches and the enforced gate (mSs's first checks)
//   Yy, kR, gee, Ik, _ee             window resolution, model window, effective window, threshold, level (compact/
//                                    blocked) exactly as mSs calls them
// The trigger is the smallest token count for which mSs's gate passes and _ee(...).level is compact or blocked.
// Not covered (and absent in a fresh offline run): GrowthBook flags, client data, served catalog, remote/cloud
// sessions, forks and the "put off after a summary" rule (they need a live conversation), `--autocompact`,
// trust gating of project settings (the case's settings are user settings).
const ROOT = process.argv[2];
import fs from "node:fs";

const NEED = { // name -> anchor its source must contain (names are this build's minified names)
  enableConfigs: null, mF: "applyConfigEnvironmentVariables()", km: 'Ja("autoCompactEnabled",!0)', Y1: "CLAUDE_CODE_REMOTE",
  ct: "sd()", Wd: "maxOutputTokens:twr(e)", aEn: "autoCompactWindow", Yy: "CLAUDE_CODE_AUTO_COMPACT_WINDOW",
  kR: "GBn(e)", gee: "u5r", Ik: "xY(gee(e,o),BJ(e,o))", _ee: "zkt(e,gee(o,k),y,XOt(o))", g$e: '!=="auto"',
};
const INDEX = `${ROOT}/.oracle-index.json`; // name -> chunk, cached after the first scan
const where = fs.existsSync(INDEX) ? JSON.parse(fs.readFileSync(INDEX, "utf8")) : {};
const chunks = Object.keys(where).length ? [] : fs.readdirSync(ROOT).filter((f) => f.startsWith("chunk-") && f.endsWith(".js"));
for (const f of chunks) {
  const text = fs.readFileSync(`${ROOT}/${f}`, "utf8");
  for (const name of Object.keys(NEED)) {
    if (where[name]) continue;
    const exported = new RegExp(`export\\{[^}]*(?:[{,]\\s*|as )${name.replace(/\$/g, "\\$")}(?:[,}]| as)`).test(text);
    if (!exported) continue;
    const at = text.indexOf(`function ${name}(`);
    if (name === "enableConfigs" || (at >= 0 && text.slice(at, at + 1500).includes(NEED[name]))) where[name] = f;
  }
}
if (chunks.length) fs.writeFileSync(INDEX, JSON.stringify(where));
const fns = {};
for (const [name, anchor] of Object.entries(NEED)) {
  if (!where[name]) throw new Error(`no module exports ${name}`);
  const mod = await import(`${ROOT}/${where[name]}`);
  fns[name] = mod[name];
  if (anchor && !String(fns[name]).includes(anchor)) throw new Error(`${name} in ${where[name]} is not the expected function`);
}
const { enableConfigs, mF, km, Y1, ct, Wd, aEn, Yy, kR, gee, Ik, _ee, g$e } = fns;

await enableConfigs(undefined);
mF();
const model = ct();
const facts = Wd(model);
const acw = aEn();
const on = km();
const gateOpen = !(Y1() && !g$e(facts, acw)); // mSs: if(Y1()&&!g$e(o,r)&&!k)return!1
const level = (n) => _ee(n, facts, acw, undefined, true).level;
function first(pred) {
  if (pred(0)) return 0;
  let hi = 1;
  while (!pred(hi)) { hi *= 2; if (hi > 2 ** 45) return null; }
  let lo = hi / 2;
  while (lo + 1 < hi) { const m = Math.floor((lo + hi) / 2); if (pred(m)) hi = m; else lo = m; }
  return hi;
}
const resolved = Yy(facts, on ? acw : undefined);
const out = {
  version: fs.readFileSync(`${ROOT}/${where.Yy}`, "utf8").match(/Version: ([\d.]+)/)?.[1],
  model, canonical: facts.canonical, recognized: facts.recognized, settingsKey: facts.settingsKey,
  maxOutputTokens: facts.maxOutputTokens, modelWindow: kR(facts),
  window: resolved.window, configured: resolved.configured, source: resolved.source, acw,
  autoCompact: on, enforced: gateOpen, effective: gee(facts, acw), threshold: Ik(facts, acw),
  blockAt: first((n) => level(n) === "blocked"),
  trigger: on && gateOpen ? first((n) => ["compact", "blocked"].includes(level(n))) : null,
  env: Object.fromEntries(["CLAUDE_CODE_AUTO_COMPACT_WINDOW", "CLAUDE_AUTOCOMPACT_PCT_OVERRIDE", "CLAUDE_CODE_MAX_OUTPUT_TOKENS",
    "CLAUDE_CODE_MAX_CONTEXT_TOKENS", "ANTHROPIC_MODEL", "DISABLE_AUTO_COMPACT", "DISABLE_COMPACT"]
    .filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]])),
};
process.stdout.write(JSON.stringify(out) + "\n");
process.exit(0);
