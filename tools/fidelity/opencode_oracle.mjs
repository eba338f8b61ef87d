// Differential oracle for opencode's compaction trigger and output caps, from opencode's own shipped code.
//
// Usage: node opencode_oracle.mjs DIR < cases.jsonl > answers.jsonl
//        node opencode_oracle.mjs DIR --catalog < pairs.jsonl   (one {"provider","model"} per line -> bundled catalog entry;
//                                                                a line {"list": true} -> every entry of the snapshot)
//        node opencode_oracle.mjs DIR --selftest                 (harness-opencode.md 5.7 worked examples)
//        node opencode_oracle.mjs DIR --dump                     (print the sliced code)
// Option --catalog-file FILE: merge with that models.dev-shaped catalog ({provider: {npm?, models: {id: {id, limit,
// status?}}}}) instead of the snapshot bundled in the binary (tools/fidelity/opencode.py --catalog registry).
// DIR holds the JavaScript modules of the npm `opencode-linux-x64` binary (a Bun single-file executable whose
// module graph is a few hundred `chunk-*.js` ES modules), written out by `tools/fidelity/opencode.py` as
// `<name>.mjs` with their `/$bunfs/root/<name>.js` imports pointed at `./<name>.mjs`. Same technique as
// `kilo_oracle.mjs` (Kilo is a fork of opencode): nothing of opencode is stored here; every number comes from
// opencode's own functions, found through stable anchors (property names, span names, string literals), never
// through minified names or offsets. Two ways of running them:
//   imported and run as they ship (a self-contained module graph of five chunks, Effect among them):
//     RuntimeFlags (`@opencode/RuntimeFlags`, 1.15 and later: Effect `Config.number`/`Config.boolean` over the
//       case's env: outputTokenMax, disableDefaultPlugins, enableExperimentalModels); when a flag is misspelt the
//       layer fails and so does opencode (`Layer.orDie`): the case answers `error`
//   sliced out of their chunk and evaluated with `new Function` (their chunks import the whole application):
//     remeda `mergeDeep` with the functions it names (the provider/model option merge)
//     ProviderTransform.maxOutputTokens + OUTPUT_TOKEN_MAX                 (provider/transform.ts)
//     usable() + isOverflow() + COMPACTION_BUFFER                          (session/overflow.ts)
//     preserveRecentBudget() + its constants; SessionCompaction.select's tail_turns test (session/compaction.ts)
//     the maxOutputTokens value LLMRequestPrep.prepare gives the chat.params hook (session/llm)
//     the built-in plugins' chat.params hooks that unset maxOutputTokens (1.18.33: openai, github-copilot gpt ids,
//       cerebras with max_completion_tokens; 1.14 - 1.18.16: openai, github-copilot, cloudflare-ai-gateway openai/* reasoning)
//     the config-model merge: catalog entry, api id, npm, status, capabilities.reasoning, limit, options (provider/provider.ts)
//     the models.dev entry -> Model conversion (api.npm, status, reasoning, limit) and its experimental-mode copies
//     the model filter after the merge (alpha, deprecated, gpt-5-chat-latest, white/blacklist)
//     Flag's truthy reader and the config post-processing OPENCODE_DISABLE_AUTOCOMPACT -> compaction.auto=false
//     1.14.x: OUTPUT_TOKEN_MAX = Flag.OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX || 32000 and Flag's number reader
//   the models.dev snapshot bundled in the binary (ModelsDev's fallback when no cache file exists).
// The two overflow checks are both asked: the post-step check (`isOverflow` without outputTokenMax) and the
// loop-top check (`SessionCompaction.isOverflow`, with RuntimeFlags.outputTokenMax); the trigger is the
// smaller token count at which either fires. NOT covered: the catalog fetched at run time (models.opencode.ai),
// plugins' `models`/auth loaders (Copilot's model list, the Codex OAuth limit override), providers dropped for
// lack of credentials, the Model schema filter of `toPublicInfo`, variants and thinking budgets, user plugins.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { pathToFileURL } from "node:url";
import { balanced, skipString, firstTrue, tokensOf } from "./oracle_common.mjs";

const DIR = process.argv[2];
const CHUNKS = new Map(fs.readdirSync(DIR).filter((f) => f.endsWith(".mjs")).sort()
  .map((f) => [f, fs.readFileSync(path.join(DIR, f), "utf8")]));

const esc = (name) => name.replace(/\$/g, "\\$");
function chunkWith(anchor, any = false) { // [chunk name, text] of the one chunk (the first, if `any`) holding `anchor`
  const hits = [...CHUNKS].filter(([, t]) => (typeof anchor === "string" ? t.includes(anchor) : anchor.test(t)));
  if (hits.length !== 1 && !(any && hits.length)) throw new Error(`anchor in ${hits.length} chunks: ${String(anchor).slice(0, 80)}`);
  return hits[0];
}
function re1(re, text) { const m = re.exec(text); if (!m) throw new Error("pattern not found: " + String(re).slice(0, 160)); return m; }
function fn(name, text) { // `function NAME(...){...}` as text
  const m = re1(new RegExp("function " + esc(name) + "\\("), text);
  return text.slice(m.index, balanced(text, text.indexOf("{", text.indexOf(")", m.index))));
}
function expr(name, text) { // the initializer of `var|let|, NAME=<expr>` up to the next top-level `,` or `;`
  const m = re1(new RegExp("[,;\\s{]" + esc(name) + "=(?!=)"), text);
  let k = m.index + m[0].length;
  for (; k < text.length; k++) {
    const c = text[k];
    if (c === '"' || c === "'" || c === "`") { k = skipString(text, k) - 1; continue; }
    if (c === "(" || c === "[" || c === "{") { k = balanced(text, k) - 1; continue; }
    if (c === "," || c === ";") break;
  }
  return text.slice(m.index + m[0].length, k);
}
function definedIn(chunk, local) { // [chunk, name] where the function a chunk calls `local` is defined (following imports)
  const text = CHUNKS.get(chunk);
  if (new RegExp("function " + esc(local) + "\\(").test(text)) return [chunk, local];
  for (const m of text.matchAll(/import\{([^}]*)\}from"\.\/([\w.-]+\.mjs)"/g)) {
    for (const spec of m[1].split(",")) {
      const [exported, as] = spec.split(" as ").map((x) => x.trim());
      if ((as ?? exported) !== local) continue;
      const exports = re1(/export\{([^}]*)\}/, CHUNKS.get(m[2]))[1].split(",").map((x) => x.split(" as ").map((y) => y.trim()));
      const hit = exports.find(([inner, outer]) => (outer ?? inner) === exported);
      if (hit) return definedIn(m[2], hit[0]);
    }
  }
  throw new Error(`${chunk}: no function ${local}`);
}
function isolated(chunk, local) { // an expression for that function, with the functions it names from its own chunk
  const [home, name] = definedIn(chunk, local);
  const text = CHUNKS.get(home), texts = new Map(), todo = [name];
  while (todo.length) {
    const next = todo.pop();
    if (texts.has(next)) continue;
    texts.set(next, fn(next, text));
    for (const m of texts.get(next).matchAll(/(?<![\w$.])([\w$]+)(?![\w$])/g))
      if (!texts.has(m[1]) && new RegExp("function " + esc(m[1]) + "\\(").test(text)) todo.push(m[1]);
  }
  return `(()=>{${[...texts.values()].join("\n")};return ${name}})()`;
}
const load = (chunk) => import(pathToFileURL(path.join(DIR, chunk)).href);

const VERSION = [...CHUNKS.values()].map((t) => /[\w$]+="(\d+\.\d+\.\d+)",[\w$]+="latest"/.exec(t)).find(Boolean)?.[1];

// ---------- resolve names and slice ----------
const parts = [];
// session/overflow.ts: usable (`vn`) and the post-step isOverflow (`vl`)
const [overflowChunk, OV] = chunkWith(/\.cfg\.compaction\?\.reserved\?\?Math\.min\(/);
const usableM = re1(/var ([\w$]+)=(\d+);function ([\w$]+)\((\w)\)\{let \w=\4\.model\.limit\.context;if\(\w===0\)return 0;let \w=\4\.cfg\.compaction\?\.reserved\?\?Math\.min\(\1,([\w$]+)\.maxOutputTokens\(/, OV);
const [, BUFFER, BUFFER_VALUE, USABLE, , PT_NS] = usableM;
const IS_OVERFLOW = re1(new RegExp("function ([\\w$]+)\\((\\w)\\)\\{if\\(\\2\\.cfg\\.compaction\\?\\.auto===!1\\)return!1;[^{}]*>=" + esc(USABLE) + "\\(\\2\\)\\}"), OV)[1];
parts.push(`var ${BUFFER}=${BUFFER_VALUE};`, fn(USABLE, OV), fn(IS_OVERFLOW, OV));
// provider/transform.ts: maxOutputTokens and OUTPUT_TOKEN_MAX (found by the namespace's export map)
const [, PT] = chunkWith(/ProviderTransform:\(\)=>[\w$]+,OUTPUT_TOKEN_MAX:\(\)=>/);
const ptMap = PT.slice(PT.indexOf("ProviderTransform:()=>") - 3000, PT.indexOf("ProviderTransform:()=>") + 200);
const MAXOUT = re1(/maxOutputTokens:\(\)=>([\w$]+)/, ptMap)[1], OTM_CONST = re1(/OUTPUT_TOKEN_MAX:\(\)=>([\w$]+)/, ptMap)[1];
const otmExpr = expr(OTM_CONST, PT);
// 1.18.x: a constant (the env arrives as an argument); 1.14.x: Flag.OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX||32000 at load
const otmFlag = /^([\w$]+)\.OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX\|\|\d+$/.exec(otmExpr);
if (otmFlag) {
  const [, FL] = chunkWith(/OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX:[\w$]+\("OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX"\)/);
  const reader = re1(/OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX:([\w$]+)\("OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX"\)/, FL)[1];
  parts.push(`var ${otmFlag[1]}={OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX:(${fn(reader, FL).replaceAll("process.env", "ENV")})("OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX")};`);
} else if (!/^\d+$/.test(otmExpr)) throw new Error("unexpected OUTPUT_TOKEN_MAX: " + otmExpr);
const DEFAULT_OTM = Number(/\d+$/.exec(otmExpr)[0]);
parts.push(`var ${OTM_CONST}=${otmExpr};`, fn(MAXOUT, PT), `var ${PT_NS}={maxOutputTokens:${MAXOUT},OUTPUT_TOKEN_MAX:${OTM_CONST}};`);
// session/compaction.ts: the kept-tail budget and the tail_turns test of SessionCompaction.select
const tailM = re1(new RegExp("function ([\\w$]+)\\((\\w)\\)\\{return \\2\\.cfg\\.compaction\\?\\.preserve_recent_tokens\\?\\?Math\\.min\\(([\\w$]+),Math\\.max\\(([\\w$]+),Math\\.floor\\(" + esc(USABLE) + "\\(\\2\\)\\*[\\d.]+\\)\\)\\)\\}"), OV);
parts.push(`var ${tailM[3]}=${expr(tailM[3], OV)},${tailM[4]}=${expr(tailM[4], OV)};`, fn(tailM[1], OV));
const selectM = re1(/"SessionCompaction\.select"\)\(function\*\((\w)\)\{let (\w)=\1\.cfg\.compaction\?\.tail_turns(?:\?\?([\w$]+))?;if\(([^)]*)\)return\{head:/, OV);
parts.push(`function noTail(${selectM[1]}){let ${selectM[2]}=${selectM[1]}.cfg.compaction?.tail_turns${selectM[3] ? "??" + expr(selectM[3], OV) : ""};return ${selectM[4]}}`);
// LLMRequestPrep.prepare: the maxOutputTokens handed to the chat.params hooks
const [, PREP] = chunkWith('.trigger("chat.params",{sessionID:');
const reqStart = PREP.indexOf("maxOutputTokens:", PREP.indexOf('.trigger("chat.params",{sessionID:'));
const reqExpr = PREP.slice(reqStart + "maxOutputTokens:".length, PREP.indexOf(",options:", reqStart));
const reqM = re1(/^([\w$]+)\.maxOutputTokens\((\w)\.model(?:,\2\.flags\.outputTokenMax)?\)$/, reqExpr);
parts.push(`function requestMaxOutputTokens(${reqM[2]}){return ${reqExpr.replace(reqM[1] + ".", PT_NS + ".")}}`);
// the built-in plugins' chat.params hooks that unset maxOutputTokens (in the order of the plugin list's chunk)
const hookTexts = [];
for (const [, text] of CHUNKS) {
  for (let i = text.indexOf('"chat.params":async('); i >= 0; i = text.indexOf('"chat.params":async(', i + 1)) {
    const body = text.slice(i + '"chat.params":'.length, balanced(text, text.indexOf("{", text.indexOf("=>", i))));
    if (body.includes("maxOutputTokens=void 0")) hookTexts.push(body);
  }
}
if (hookTexts.length === 0) throw new Error("no chat.params hook unsets maxOutputTokens");
parts.push(`var chatParamsHooks=[${hookTexts.join(",")}];`);
// provider/provider.ts: a configured model merged over its catalog entry
const [providerChunk, PV] = chunkWith(/\.limit\?\.context\?\?[\w$]+\?\.limit\?\.context\?\?0/);
const mergeM = re1(/let ([\w$]+)=([\w$]+)\.models\[([\w$]+)\.id\?\?([\w$]+)\],([\w$]+)=(\3\.id\?\?\1\?\.api\.id\?\?\4),([\w$]+)=(\3\.provider\?\.npm\?\?([\w$]+)\.npm\?\?\1\?\.api\.npm\?\?(?:([\w$]+)\([\w$]+,\5\)\?\?)?([\w$]+)\[([\w$]+)\]\?\.npm\?\?"@ai-sdk\/openai-compatible")/, PV);
const [, E_, I_, C_, R_, A_, apiIdExpr, , npmExpr, P_, GN, J_, N_] = mergeM;
const around = PV.slice(mergeM.index, mergeM.index + 8000);
const limitExpr = re1(new RegExp("limit:(\\{context:" + esc(C_) + "\\.limit\\?\\.context\\?\\?[^}]*\\})"), around)[1];
const reasoningExpr = re1(new RegExp("reasoning:(" + esc(C_) + "\\.reasoning\\?\\?" + esc(E_) + "\\?\\.capabilities\\.reasoning\\?\\?!1)"), around)[1];
const statusExpr = re1(new RegExp("status:(" + esc(C_) + "\\.status\\?\\?" + esc(E_) + "\\?\\.status\\?\\?\"active\")"), around)[1];
const optM = re1(new RegExp("options:(([\\w$]+)\\(" + esc(E_) + "\\?\\.options\\?\\?\\{\\}," + esc(C_) + "\\.options\\?\\?\\{\\}\\))"), around);
if (GN) parts.push(fn(GN, PV));
parts.push(`var mergeDeep=${isolated(providerChunk, optM[2])};`); // remeda mergeDeep
parts.push(`function mergeConfigModel(${I_},${C_},${R_},${P_},${N_},${J_},${optM[2]}=mergeDeep){let ${E_}=${I_}.models[${C_}.id??${R_}],${A_}=${apiIdExpr},npm=${npmExpr};` +
  `return {catalogEntry:${E_},api:{id:${A_},npm},status:${statusExpr},capabilities:{reasoning:${reasoningExpr}},limit:${limitExpr},options:${optM[1]}}}`);
// models.dev entry -> Model: api.npm, status, limit; and (shape asserted here, copies made by catalogModels)
// the `<id>-<mode>` entries fromModelsDevProvider adds for a model's experimental modes
const cnM = re1(/function ([\w$]+)\(([\w$]+),([\w$]+)\)\{let [\w$]+=\{id:[\w$.]+\.make\(\3\.id\),providerID:[\w$.]+\.make\(\2\.id\),name:\3\.name,family:\3\.family,api:\{id:\3\.id,url:[^,]+,npm:([^}]+)\},status:([^,]+),[^]*?limit:(\{context:\3\.limit\.context,input:\3\.limit\.input,output:\3\.limit\.output\})/, PV);
const cnReasoning = re1(new RegExp("reasoning:(" + esc(cnM[3]) + "\\.reasoning\\?\\?!1)"), PV.slice(cnM.index, cnM.index + 3000))[1];
parts.push(`function fromCatalog(${cnM[2]},${cnM[3]}){return {api:{id:${cnM[3]}.id,npm:${cnM[4]}},status:${cnM[5]},` +
  `capabilities:{reasoning:${cnReasoning}},limit:${cnM[6]},options:{}}}`);
re1(new RegExp("\\]of Object\\.entries\\(([\\w$]+)\\.models\\)\\)\\{[\\w$]+\\[[\\w$]+\\]=" + esc(cnM[1]) + "\\([\\w$]+,[\\w$]+\\);for\\(let\\[([\\w$]+),[\\w$]+\\]of Object\\.entries\\(([\\w$]+)\\.experimental\\?\\.modes\\?\\?\\{\\}\\)\\)\\{let [\\w$]+=`\\$\\{\\3\\.id\\}-\\$\\{\\2\\}`"), PV);
// the filter after the merge: gpt-5-chat-latest, alpha, deprecated, white/blacklist (Provider state)
const filterStart = re1(/for\(let\[([\w$]+),([\w$]+)\]of Object\.entries\(([\w$]+)\.models\)\)\{if\(\2\.api\.id=\2\.api\.id\?\?\2\.id\?\?\1,/, PV);
const filterEnd = filterStart.index + re1(new RegExp("if\\(!?" + esc(filterStart[2]) + "\\.variants"), PV.slice(filterStart.index)).index;
const filterBody = PV.slice(filterStart.index + filterStart[0].indexOf("{if(") + 1, filterEnd);
const filterVars = re1(/let ([\w$]+)=([\w$]+)(?:\.ID)?\.make\(([\w$]+)\);if\(![\w$]+\(\1\)\)\{delete [\w$]+\[\1\];continue\}let ([\w$]+)=[\w$]+\.provider\?\.\[\1\];$/,
  PV.slice(filterStart.index - 300, filterStart.index));
// 1.18: RuntimeFlags.enableExperimentalModels; 1.14: Flag.OPENCODE_ENABLE_EXPERIMENTAL_MODELS
const flagsVar = re1(/([\w$]+)\.(?:enableExperimentalModels|OPENCODE_ENABLE_EXPERIMENTAL_MODELS)\)/, filterBody)[1];
// the ProviderID constants the filter names (its module imports `bun:` builtins, so read them, do not import it)
const [, IDS] = chunkWith(/githubCopilot:[\w$]+\.make\("github-copilot"\)/, true); // 1.14 bundles two equal copies
const idsAt = IDS.search(/githubCopilot:[\w$]+\.make\("github-copilot"\)/);
const providerIds = { make: (id) => id, ...Object.fromEntries([...IDS.slice(idsAt - 600, idsAt + 600)
  .matchAll(/([\w$]+):[\w$]+\.make\("([\w.-]+)"\)/g)].map((m) => [m[1], m[2]])) };
const idNs = { ID: providerIds, ...providerIds }; // 1.18 names them `ProviderID.ID.openai`, 1.14 `ProviderID.openai`
parts.push(`function keepModel(${filterVars[1]},${filterStart[1]},${filterStart[2]},${filterVars[4]},${flagsVar},${filterVars[2]}){` +
  `let ${filterStart[3]}={models:{[${filterStart[1]}]:${filterStart[2]}}};${filterBody}return ${filterStart[1]} in ${filterStart[3]}.models}`);
// Flag's truthy reader and the config post-processing of OPENCODE_DISABLE_AUTOCOMPACT
const [, FLAGS] = chunkWith(/OPENCODE_DISABLE_AUTOCOMPACT:[\w$]+\("OPENCODE_DISABLE_AUTOCOMPACT"\)/);
const TRUTHY = re1(/OPENCODE_DISABLE_AUTOCOMPACT:([\w$]+)\("OPENCODE_DISABLE_AUTOCOMPACT"\)/, FLAGS)[1];
const [, CONFIG] = chunkWith(/\.OPENCODE_DISABLE_AUTOCOMPACT\)[\w$]+\.compaction=\{/);
const postM = re1(/if\(([\w$]+)\.OPENCODE_DISABLE_AUTOCOMPACT\)([\w$]+)\.compaction=\{\.\.\.\2\.compaction,auto:!1\};/, CONFIG);
parts.push(`var truthy=${fn(TRUTHY, FLAGS).replace(/^function [\w$]+/, "function").replaceAll("process.env", "ENV")};`,
  `function applyDisableAutocompact(${postM[2]},${postM[1]}){${postM[0]}return ${postM[2]}}`);
parts.push(`return {usable:${USABLE},isOverflow:${IS_OVERFLOW},maxOutputTokens:${MAXOUT},OUTPUT_TOKEN_MAX:${OTM_CONST},` +
  `preserveRecentBudget:${tailM[1]},noTail,requestMaxOutputTokens,chatParamsHooks,mergeConfigModel,fromCatalog,keepModel,` +
  `truthy,applyDisableAutocompact};`);
if (process.argv.includes("--dump")) { console.log(parts.join("\n")); process.exit(0); }
const build = new Function("ENV", parts.join("\n")); // per environment: 1.14.x reads the output cap at load

// ---------- the flags: RuntimeFlags run as shipped (1.18), else Flag's truthy reader (1.14) ----------
// 1.18 skips the internal plugins (whose hooks unset max_tokens) when RuntimeFlags.disableDefaultPlugins;
// 1.14 loads them whatever the environment (`for(let G of internalPlugins)`)
const pluginSwitch = [...CHUNKS.values()].some((t) => /\.disableDefaultPlugins\?\[\]:/.test(t));
const flagsChunk = [...CHUNKS].find(([, t]) => t.includes('("@opencode/RuntimeFlags",{'))?.[0];
let runtimeFlags = (env) => { // 1.14: the Flag object of the values the arithmetic reads
  const on = (name) => build(env).truthy(name);
  return { OPENCODE_ENABLE_EXPERIMENTAL_MODELS: on("OPENCODE_ENABLE_EXPERIMENTAL_MODELS"), disableDefaultPlugins: false };
};
if (flagsChunk) {
  const flagsNs = Object.values(await load(flagsChunk)).find((v) => v && typeof v === "object" && v.Service && v.layer);
  const libs = await Promise.all([...CHUNKS.get(flagsChunk).matchAll(/from"\.\/([\w.-]+\.mjs)"/g)].map((m) => load(m[1])));
  const exported = libs.flatMap((mod) => Object.values(mod)).filter((v) => v && typeof v === "object");
  const Effect = exported.find((v) => typeof v.runSync === "function" && typeof v.provide === "function" && typeof v.gen === "function");
  const Layer = exported.find((v) => typeof v.provide === "function" && typeof v.effect === "function" && typeof v.mergeAll === "function");
  const ConfigProvider = exported.find((v) => typeof v.fromEnv === "function" && typeof v.layer === "function");
  runtimeFlags = (env) => {
    const flags = Effect.runSync(Effect.provide(flagsNs.Service,
      flagsNs.Service.layer.pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env }))))));
    return pluginSwitch ? flags : { ...flags, disableDefaultPlugins: false };
  };
}

// ---------- the bundled models.dev snapshot ----------
// 1.18: an object literal in ModelsDev's chunk (`p=n.sync(()=>({...}))`); 1.14: a module it imports
// (`import("./chunk-x.js").then((G)=>G.snapshot)`)
const [, MD] = chunkWith('"ModelsDev.fetchApi"');
const snapshotModule = /import\("\.\/([\w.-]+\.mjs)"\)\.then\(\((\w)\)=>\2\.snapshot\)/.exec(MD.slice(MD.indexOf("OPENCODE_MODELS_PATH")));
const catalogFile = process.argv.indexOf("--catalog-file");
let snapshot = catalogFile > 0 ? JSON.parse(fs.readFileSync(process.argv[catalogFile + 1], "utf8"))
  : snapshotModule ? (await load(snapshotModule[1])).snapshot : undefined;
function bundledCatalog() {
  if (!snapshot) {
    const j = MD.indexOf(".sync(()=>({", MD.indexOf("OPENCODE_MODELS_PATH")) + ".sync(()=>".length;
    snapshot = (0, eval)(MD.slice(j, balanced(MD, j)));
  }
  return snapshot;
}
const converted = new Map();
function catalogModels(K, provider) { // models.dev provider -> {key: Model} as opencode's catalog holds it
  if (!converted.has(provider)) {
    const models = {};
    for (const [key, m] of Object.entries(provider.models ?? {})) {
      models[key] = K.fromCatalog(provider, m);
      for (const mode of Object.keys(m.experimental?.modes ?? {})) models[`${m.id}-${mode}`] = K.fromCatalog(provider, m);
    }
    converted.set(provider, models);
  }
  return converted.get(provider);
}

// ---------- one case ----------
function buildModel(K, flags, m) { // m: {providerID, modelKey, configModel?, configProvider?}
  const catalogProvider = bundledCatalog()[m.providerID];
  const cat = catalogProvider ? catalogModels(K, catalogProvider) : {};
  let model;
  if (m.configModel) {
    const r = K.mergeConfigModel({ models: cat }, m.configModel, m.modelKey, m.configProvider ?? {}, m.providerID,
      catalogProvider ? { [m.providerID]: catalogProvider } : {});
    model = { providerID: m.providerID, id: m.modelKey, api: r.api, status: r.status, capabilities: r.capabilities, limit: r.limit,
      options: r.options, fromCatalog: !!r.catalogEntry };
  } else {
    const c = cat[m.modelKey];
    if (!c) return { missing: "not in the catalog" };
    model = { providerID: m.providerID, id: m.modelKey, api: { ...c.api }, status: c.status, capabilities: c.capabilities, limit: c.limit,
      options: c.options, fromCatalog: true };
  }
  if (!K.keepModel(m.providerID, m.modelKey, model, m.configProvider ?? {}, flags, idNs)) return { missing: `dropped (status ${model.status})` };
  return model;
}
function requestCap(K, model, flags) { // max_tokens sent; null = not sent
  const out = { maxOutputTokens: K.requestMaxOutputTokens({ model, flags }), options: { ...model.options } };
  // the hooks are async functions without await: their bodies run synchronously when called
  if (!flags.disableDefaultPlugins) for (const hook of K.chatParamsHooks) hook({ model, provider: { id: model.providerID }, agent: "build" }, out);
  return out.maxOutputTokens ?? null;
}
function answer(c) {
  const env = c.env ?? {};
  let flags;
  try { flags = runtimeFlags(env); } catch (err) { return { id: c.id, error: `RuntimeFlags: ${String(err).split("\n")[0]}` }; }
  const K = build(env);
  const otm = flags.outputTokenMax;
  const cfg = K.applyDisableAutocompact({ compaction: c.compaction ?? undefined }, { OPENCODE_DISABLE_AUTOCOMPACT: K.truthy("OPENCODE_DISABLE_AUTOCOMPACT") });
  const model = buildModel(K, flags, c.model);
  if (model.missing) return { id: c.id, error: `model not found: ${model.missing}` };
  const usable = K.usable({ cfg, model, outputTokenMax: otm });
  const postStep = firstTrue((n) => K.isOverflow({ cfg, tokens: tokensOf(n), model }));
  const loopTop = firstTrue((n) => K.isOverflow({ cfg, tokens: tokensOf(n), model, outputTokenMax: otm }));
  const triggers = [postStep, loopTop].filter((v) => v !== null);
  const trigger = triggers.length ? Math.min(...triggers) : null;
  const normal = requestCap(K, model, flags);
  let compaction = null;
  const cm = c.compactionModel ? buildModel(K, flags, c.compactionModel) : model;
  if (cm.missing) compaction = { error: `compaction model not found: ${cm.missing}` };
  else compaction = {
    model: `${cm.providerID}/${cm.id}`, limit: cm.limit, fromCatalog: cm.fromCatalog, maxTokens: requestCap(K, cm, flags),
    keptTail: K.noTail({ cfg }) ? 0 : K.preserveRecentBudget({ cfg, model: cm }),
  };
  return {
    id: c.id, opencode: VERSION, outputTokenMax: otm ?? (K.OUTPUT_TOKEN_MAX === DEFAULT_OTM ? null : K.OUTPUT_TOKEN_MAX), disableDefaultPlugins: !!flags.disableDefaultPlugins, auto: cfg.compaction?.auto !== false,
    window: model.limit.context === 0 ? null : model.limit.context,
    model: { api: model.api, status: model.status, limit: model.limit, fromCatalog: model.fromCatalog },
    usable, postStepTrigger: postStep, loopTopTrigger: loopTop, trigger,
    // no remaining-window clamp in opencode: the request at the trigger carries the same cap
    maxTokens: normal, maxTokensAtTrigger: trigger === null ? null : normal,
    compaction,
  };
}

function selftest() { // harness-opencode.md 5.7 (1.18.17 and later; 1.14.41 - 1.18.16: tail cap 8,000 and the
  // output-cap variable read at load, so the post-step check uses it too, 6)
  const old = /^1\.(\d+)\.(\d+)$/.exec(VERSION ?? "") && (+VERSION.split(".")[1] < 18 || +VERSION.split(".")[2] < 17);
  const m = (limit, extra = {}) => ({ model: { providerID: "lab", modelKey: "m", configModel: { limit }, configProvider: {} }, ...extra });
  const checks = [
    ["5.7.1", m({ context: 200000, output: 64000 }), (a) => a.trigger === 168000 && a.maxTokens === 32000 && a.compaction.keptTail === (old ? 8000 : 15000)],
    ["5.7.1 reserved", m({ context: 200000, output: 64000 }, { compaction: { reserved: 50000 } }), (a) => a.trigger === 168000],
    ["5.7.1 env", m({ context: 200000, output: 64000 }, { env: { OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX: "64000" } }), (a) => a.trigger === 136000 && a.postStepTrigger === (old ? 136000 : 168000) && a.maxTokens === 64000],
    ["5.7.2", m({ context: 1000000, input: 900000, output: 131072 }), (a) => a.trigger === 880000],
    ["5.7.2 reserved 0", m({ context: 1000000, input: 900000, output: 131072 }, { compaction: { reserved: 0 } }), (a) => a.trigger === 900000],
    ["5.7.2 threshold", m({ context: 1000000, input: 900000, output: 131072 }, { compaction: { threshold_percent: 80 } }), (a) => a.trigger === 880000],
    ["5.7.3", m({ context: 16384, output: 0 }), (a) => a.trigger === 0 && a.maxTokens === 32000],
    ["5.7.4", { model: { providerID: "lab", modelKey: "qwen-max", configModel: {}, configProvider: {} } }, (a) => a.trigger === null && a.window === null && a.maxTokens === 32000],
    ["5.7.6", m({ context: 1000000, output: 131072 }, { compaction: { reserved: 648928 } }), (a) => a.trigger === 968000],
    ["auto false", m({ context: 200000, output: 64000 }, { env: { OPENCODE_DISABLE_AUTOCOMPACT: "TRUE" } }), (a) => a.trigger === null],
  ];
  const gpt5 = bundledCatalog().openai?.models?.["gpt-5"]?.limit;
  if (gpt5) checks.push(["5.7.5", { model: { providerID: "openai", modelKey: "gpt-5", configModel: { limit: { context: 128000, output: 8000 } }, configProvider: {} } },
    (a) => a.trigger === gpt5.input - 8000 && a.maxTokens === null]);
  let ok = 0;
  for (const [name, c, pred] of checks) {
    const a = answer(c);
    const good = !a.error && pred(a);
    ok += good;
    if (!good) console.log("FAIL", name, JSON.stringify(c), JSON.stringify(a));
  }
  console.log(`opencode ${VERSION} selftest ${ok}/${checks.length}` + (gpt5 ? ` (bundled openai/gpt-5: ${JSON.stringify(gpt5)})` : ""));
  return ok === checks.length;
}

if (process.argv.includes("--selftest")) process.exit(selftest() ? 0 : 1);
const catalogMode = process.argv.includes("--catalog");
const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim()) continue;
  const c = JSON.parse(line);
  if (catalogMode && c.list) { // every (provider, model) of the bundled snapshot with its status
    for (const [pid, p] of Object.entries(bundledCatalog())) for (const [mid, e] of Object.entries(p.models ?? {}))
      process.stdout.write(JSON.stringify({ provider: pid, model: mid, npm: p.npm ?? null, status: e.status ?? "active", limit: e.limit ?? null }) + "\n");
  } else if (catalogMode) {
    const p = bundledCatalog()[c.provider];
    const e = p?.models?.[c.model];
    process.stdout.write(JSON.stringify({ ...c, status: e ? (e.status ?? "active") : null, limit: e?.limit ?? null }) + "\n");
  } else {
    let a;
    try { a = answer(c); } catch (err) { a = { id: c.id, error: String(err && err.stack || err) }; }
    process.stdout.write(JSON.stringify(a) + "\n");
  }
}
