// Differential oracle for Kilo Code CLI 7.7.9 compaction / output-cap arithmetic.
//
// Usage: node kilo_oracle.mjs KILO < cases.jsonl > answers.jsonl
//        node kilo_oracle.mjs KILO --catalog < pairs.jsonl   (one {"provider","model"} per line -> bundled catalog limits)
//        node kilo_oracle.mjs KILO --selftest
// Adapted for cfglint's `tools/fidelity/kilo.py` from the project's shared oracle (shared/oracles/kilo_oracle.mjs,
// same technique and code): a case's `catalogProvider` may be "bundled", meaning the provider entry of the
// models.dev snapshot bundled in this binary (what Kilo itself merges under the config), and every answer
// carries `window` (the merged `limit.context`; null when 0, which Kilo does not track).
// KILO is the `kilo` executable of npm @kilocode/cli-linux-x64@7.7.9 (a Bun single-file executable; its
// embedded module src/index.js is read from the ELF `.bun` section) or that src/index.js itself.
//
// Every number comes from Kilo's OWN shipped functions, sliced out of the minified bundle at run time and
// evaluated with `new Function` (nothing of Kilo is stored here). Minified names are resolved through
// stable anchors (export maps, Effect span names, error strings), not hard-coded. What is taken:
//   ProviderTransform.maxOutputTokens / maxOutputTokensForRequest / OUTPUT_TOKEN_MAX   (provider/transform.ts)
//   usable() + isOverflow() + COMPACTION_BUFFER                                         (session/overflow.ts)
//   KiloSessionOverflow namespace: count, limit, enabled, shouldCompact                 (kilocode/session/overflow.ts)
//   KiloLLM namespace: needsEstimate, capOutputTokens + its 2048/1024 constants          (kilocode/session/llm.ts)
//   the chat.params request expression (no max_tokens for openai-compatible gpt-5)       (session/llm/request prep)
//   the built-in plugins' chat.params hooks that unset maxOutputTokens (codex/openai, github-copilot, cerebras)
//   preserveRecentBudget() + its constants, the `tail_turns ?? N` default              (session/compaction.ts)
//   KiloCompactionChunks namespace (budget, needed)                                     (kilocode/session/compaction-chunks.ts)
//   the config-model merge expressions: catalog entry, api id, npm, limit, options      (provider/provider.ts)
//   the models.dev->Model conversion expressions for npm and limit, PY9                 (provider/provider.ts)
//   RuntimeFlags.outputTokenMax's integer filter; Flag.truthy (Q5) for KILO_DISABLE_AUTOCOMPACT and the
//   config post-processing that turns it into compaction.auto=false                     (effect/runtime-flags.ts, flag.ts, config.ts)
//   the pattern and literals of Effect Schema.Number's string codec, used by Config.number for the env string
//   the bundled models.dev snapshot (for --catalog)
// Stubbed: nothing. Free names that only the message-size estimator uses (JSON walk of messages, Token.estimate,
// the Effect stream helpers) are left undefined; they are never reached because the oracle passes token counts
// (`tokens` / `usage.normalized`) instead of messages. NOT covered: the estimator itself, plugins other than
// the built-in ones (user plugins can change max_tokens), Kilo Gateway (`kilo` provider) limits fetched from
// its API, the v2 "native" engine, provider SDK transforms after max_tokens is chosen (e.g. the openai SDK
// renaming max_tokens to max_completion_tokens), reasoning variants.
import fs from "node:fs";
import readline from "node:readline";
import { balanced, firstTrue, tokensOf } from "./oracle_common.mjs";

// ---------- read src/index.js out of the Bun executable ----------
function bundleText(path) {
  const b = fs.readFileSync(path);
  if (b.readUInt32BE(0) !== 0x7f454c46) return b.toString("utf8");
  const shoff = Number(b.readBigUInt64LE(0x28)), shentsize = b.readUInt16LE(0x3a), shnum = b.readUInt16LE(0x3c),
    shstrndx = b.readUInt16LE(0x3e);
  const hdr = (i) => ({ name: b.readUInt32LE(shoff + i * shentsize), off: Number(b.readBigUInt64LE(shoff + i * shentsize + 24)),
    size: Number(b.readBigUInt64LE(shoff + i * shentsize + 32)) });
  const strtab = hdr(shstrndx).off;
  let sec;
  for (let i = 0; i < shnum; i++) {
    const h = hdr(i);
    const end = b.indexOf(0, strtab + h.name);
    if (b.toString("latin1", strtab + h.name, end) === ".bun") sec = h;
  }
  if (!sec) throw new Error("no .bun section: not a Bun single-file executable");
  const n = Number(b.readBigUInt64LE(sec.off));
  const payload = b.subarray(sec.off + 8, sec.off + 8 + n);
  const t = payload.lastIndexOf(Buffer.from("\n---- Bun! ----\n"));
  const modOff = payload.readUInt32LE(t - 32 + 8), modLen = payload.readUInt32LE(t - 32 + 12);
  const ESIZE = 52; // name, contents, sourcemap, bytecode, module_info, bytecode_origin (StringPointer x6) + 4 bytes
  for (let i = 0; i < modLen / ESIZE; i++) {
    const e = modOff + i * ESIZE;
    const name = payload.toString("utf8", payload.readUInt32LE(e), payload.readUInt32LE(e) + payload.readUInt32LE(e + 4));
    if (name.endsWith("/root/src/index.js")) {
      const co = payload.readUInt32LE(e + 8), cl = payload.readUInt32LE(e + 12);
      return payload.toString("utf8", co, co + cl);
    }
  }
  throw new Error("src/index.js not found in the module graph");
}

const SRC = bundleText(process.argv[2]);
const VERSION = (SRC.match(/var \w+="(\d+\.\d+\.\d+)",\w+="latest"/) || [])[1];

function at(marker, from = 0) {
  const i = SRC.indexOf(marker, from);
  if (i < 0) throw new Error("anchor not found: " + marker.slice(0, 80));
  return i;
}
function fn(name) { // `function NAME(...){...}` as text
  const m = new RegExp("function " + name.replace(/\$/g, "\\$") + "\\(").exec(SRC);
  if (!m) throw new Error("no function " + name);
  const body = SRC.indexOf("{", SRC.indexOf(")", m.index) );
  return SRC.slice(m.index, balanced(SRC, body));
}
function num(name) { // numeric constant `NAME=123`
  const m = new RegExp("[,;\\s(]" + name.replace(/\$/g, "\\$") + "=(\\d+(?:\\.\\d+)?(?:e\\d+)?)[,;]").exec(SRC);
  if (!m) throw new Error("no constant " + name);
  return m[1];
}
function iife(anchor) { // the `((ns)=>{...})(x||={})` around an anchor; returns {text, target}
  const i = at(anchor);
  const start = SRC.lastIndexOf("((", SRC.lastIndexOf("=>{", i));
  const end = balanced(SRC, start); // end of `((ns)=>{...})`
  const call = SRC.slice(end).match(/^\((\w+)\|\|=\{\}\)/);
  if (!call) throw new Error("not an IIFE namespace around " + anchor);
  return { text: SRC.slice(start, end + call[0].length), target: call[1] };
}
const re1 = (re, text = SRC) => { const m = re.exec(text); if (!m) throw new Error("pattern not found: " + re); return m; };

// ---------- resolve names and slice ----------
const parts = [];
// ProviderTransform
const ptMap = SRC.slice(at("maxOutputTokensForRequest:()=>") - 400, at("maxOutputTokensForRequest:()=>") + 400);
const MAXOUT = re1(/maxOutputTokens:\(\)=>([\w$]+)/, ptMap)[1];
const MAXOUT_REQ = re1(/maxOutputTokensForRequest:\(\)=>([\w$]+)/, ptMap)[1];
const OTM_CONST = re1(/OUTPUT_TOKEN_MAX:\(\)=>([\w$]+)/, ptMap)[1];
parts.push(`var ${OTM_CONST}=${num(OTM_CONST)};`, fn(MAXOUT), fn(MAXOUT_REQ));
// overflow.ts: isOverflow is what SessionCompaction.isOverflow calls; usable is what isOverflow compares with
const IS_OVERFLOW = re1(/x\.fn\("SessionCompaction\.isOverflow"\)\(function\*\(\w+\)\{return ([\w$]+)\(\{cfg:/)[1];
const isOverflowText = fn(IS_OVERFLOW);
const USABLE = re1(/\.count\([^)]*\)>=([\w$]+)\(/, isOverflowText)[1];
const usableText = fn(USABLE);
const PT_NS = re1(/([\w$]+)\.maxOutputTokens\(/, usableText)[1];
const BUFFER = re1(/Math\.min\(([\w$]+),/, usableText)[1];
parts.push(`var ${BUFFER}=${num(BUFFER)};`, `var ${PT_NS}={maxOutputTokens:${MAXOUT},maxOutputTokensForRequest:${MAXOUT_REQ}};`,
  usableText, isOverflowText);
// KiloSessionOverflow and KiloLLM namespaces
const ovf = iife('"Outgoing context reached the automatic compaction threshold"');
const llm = iife('"chunk idle timeout configured"');
const capText = llm.text.slice(llm.text.indexOf(".needsEstimate="));
const CAP_MARGIN = re1(/-\w+-([\w$]+);if\(/, capText)[1], CAP_FLOOR = re1(/Math\.max\(([\w$]+),\w+\)\}/, capText)[1];
parts.push(`var ${ovf.target};`, ovf.text + ";", `var ${CAP_MARGIN}=${num(CAP_MARGIN)},${CAP_FLOOR}=${num(CAP_FLOOR)},${llm.target};`, llm.text + ";");
// preserveRecentBudget (session/compaction.ts)
const tailFn = re1(/function ([\w$]+)\(H\)\{return H\.cfg\.compaction\?\.preserve_recent_tokens\?\?Math\.min\(([\w$]+),Math\.max\(([\w$]+),/);
parts.push(`var ${tailFn[2]}=${num(tailFn[2])},${tailFn[3]}=${num(tailFn[3])};`, fn(tailFn[1]));
const TAIL_TURNS_DEFAULT = re1(/x\.fn\("SessionCompaction\.select"\)\(function\*\(\w+\)\{let \w+=\w+\.cfg\.compaction\?\.tail_turns\?\?(\d+);if\(\w+<=0\)/)[1];
// KiloCompactionChunks
const chunks = iife('"Compaction did not run: the model returned an empty summary. Retry with /compact."');
const chunkConsts = re1(/var ([\w$]+),([\w$]+)=2000,([\w$]+)=16000,([\w$]+)=([\d.]+),([\w$]+)=3,([\w$]+)=3,([\w$]+)=2048,([\w$]+);var [\w$]+=CH\(async\(\)=>\{[^]{0,200}?\(\(\w+\)=>\{\w+\.EMPTY_SUMMARY=/);
parts.push(`var ${chunkConsts[4]}=${chunkConsts[5]},${chunkConsts[8]}=2048,${chunkConsts[9]};`, chunks.text + ";");
// the request expression given to chat.params
const reqStart = at('maxOutputTokens:H.model.api.npm==="@ai-sdk/openai-compatible"');
const reqExpr = SRC.slice(reqStart + "maxOutputTokens:".length, SRC.indexOf(",options:", reqStart));
parts.push(`function requestMaxOutputTokens(H){return ${reqExpr.replaceAll(re1(/([\w$]+)\.maxOutputTokens\(H\.model/, reqExpr)[1] + ".", PT_NS + ".")}}`);
// built-in plugin hooks (plugin list order) that change maxOutputTokens
const hookTexts = [];
for (let i = SRC.indexOf('"chat.params":async('); i >= 0; i = SRC.indexOf('"chat.params":async(', i + 1)) {
  const arrow = SRC.indexOf("=>", i);
  const text = SRC.slice(i + '"chat.params":'.length, balanced(SRC, SRC.indexOf("{", arrow)));
  if (text.includes("maxOutputTokens=void 0")) hookTexts.push(text);
}
parts.push(`var chatParamsHooks=[${hookTexts.join(",")}];`);
// config merge (provider.ts): catalog entry, api id, npm, limit, options of a configured model
const mergeM = re1(/let ([\w$]+)=([\w$]+)\.models\[([\w$]+)\.id\?\?([\w$]+)\],([\w$]+)=(\3\.id\?\?\1\?\.api\.id\?\?\4),([\w$]+)=(\3\.provider\?\.npm\?\?([\w$]+)\.npm\?\?\1\?\.api\.npm\?\?([\w$]+)\(([\w$]+),\5\)\?\?([\w$]+)\[\11\]\?\.npm\?\?"@ai-sdk\/openai-compatible")/);
const [, wH, SH, YH, TH, AH, apiIdExpr, , npmExpr, qH, PY9, KH, CATALOG] = mergeM;
const limitExpr = re1(new RegExp("limit:(\\{context:" + YH.replace(/\$/g, "\\$") + "\\.limit\\?\\.context\\?\\?[^}]*\\})"), SRC.slice(mergeM.index, mergeM.index + 6000))[1];
const optExpr = re1(new RegExp("options:([\\w$]+\\(" + wH + "\\?\\.options\\?\\?\\{\\}," + YH + "\\.options\\?\\?\\{\\}\\))"), SRC.slice(mergeM.index, mergeM.index + 6000))[1];
const IC = re1(/^([\w$]+)\(/, optExpr)[1];
const icCall = re1(/return ([\w$]+)\(([\w$]+),H\)/, fn(IC)); // remeda mergeDeep: purry(mergeDeepImpl, args)
const isPlain = re1(/if\(!([\w$]+)\(\w+\)\)continue/, fn(icCall[2]))[1];
parts.push(fn(PY9), fn(IC), fn(icCall[1]), fn(icCall[2]), fn(isPlain));
parts.push(`function mergeConfigModel(${SH},${YH},${TH},${qH},${KH},${CATALOG}){let ${wH}=${SH}.models[${YH}.id??${TH}],${AH}=${apiIdExpr},npm=${npmExpr};` +
  `return {catalogEntry:${wH},api:{id:${AH},npm},limit:${limitExpr},options:${optExpr}}}`);
// models.dev entry -> Model (GY9): npm and limit
const gy = re1(/function ([\w$]+)\(H,A\)\{let L=\{id:[\w$.]+\.make\(A\.id\),providerID:[\w$.]+\.make\(H\.id\),name:A\.name,family:A\.family,api:\{id:A\.id,url:[^,]+,npm:([^}]+)\},status:[^]*?limit:(\{context:A\.limit\.context,input:A\.limit\.input,output:A\.limit\.output\})/);
parts.push(`function fromCatalog(H,A){return {api:{id:A.id,npm:${gy[2]}},limit:${gy[3]},options:A.options??{}}}`);
// env: RuntimeFlags.outputTokenMax = Config.number(name).pipe(map(filter), orElse(undefined)); Flag.truthy
const otmFilter = re1(/=\((\w+)\)=>[\w$]+\.number\(\1\)\.pipe\([\w$]+\.map\((\(\w+\)=>Number\.isInteger\(\w+\)&&\w+>0\?\w+:void 0)\)/)[2];
// Config.number decodes the env string with Effect Schema.Number's string codec: the string must match the
// bundle's own "a string representing a finite number" pattern or be one of the non-finite literals, then
// globalThis.Number. (Composed here from the bundle's regex and literals; no trimming: verified with the binary.)
const finiteRe = re1(/expected:"a string representing a finite number",meta:\{_tag:"isStringFinite",regExp:([\w$]+)\}/)[1];
const finitePat = re1(new RegExp("[,;\\s]" + finiteRe.replace(/\$/g, "\\$") + "=new globalThis\\.RegExp\\(`\\^\\$\\{([\\w$]+)\\}\\$`\\)"))[1];
const finiteSrc = re1(new RegExp("[,;\\s]" + finitePat.replace(/\$/g, "\\$") + "=(\"(?:[^\"\\\\]|\\\\.)*\")"))[1];
const nonFinite = re1(/new [\w$]+\(\[new [\w$]+\("Infinity"\),new [\w$]+\("-Infinity"\),new [\w$]+\("NaN"\)\],"anyOf"\)/) && ["Infinity", "-Infinity", "NaN"];
parts.push(`var effectNumberParse=(s)=>(new RegExp("^"+${finiteSrc}+"$").test(s)||${JSON.stringify(nonFinite)}.includes(s))?{_tag:"Some",value:globalThis.Number(s)}:{_tag:"None"};`,
  `var outputTokenMaxFilter=${otmFilter};`);
const TRUTHY = re1(/function ([\w$]+)\(H\)\{let A=process\.env\[H\]\?\.toLowerCase\(\);return A==="true"\|\|A==="1"\}/)[1];
const postProc = re1(/if\((\w+)\.KILO_DISABLE_AUTOCOMPACT\)(\w+)\.compaction=\{\.\.\.\2\.compaction,auto:!1\};/);
// RuntimeFlags.disableDefaultPlugins = Config.boolean("KILO_DISABLE_DEFAULT_PLUGINS"): Effect's boolean string codec;
// when true the internal plugins (whose chat.params hooks unset maxOutputTokens) are not loaded.
const boolDecode = re1(/decode:\((\w)\)=>(\1==="[^"]+"(?:\|\|\1==="[^"]+")*),encode:\(\w\)=>\w\?"true":"false"/);
parts.push(`var effectBooleanTrue=(${boolDecode[1]})=>${boolDecode[2]};`);
parts.push(`function applyDisableAutocompact(xcfg,flags){${postProc[0].replace(postProc[1] + ".", "flags.").replaceAll(postProc[2] + ".", "xcfg.")}return xcfg}`);
parts.push(`return {usable:${USABLE},isOverflow:${IS_OVERFLOW},KiloSessionOverflow:${ovf.target},KiloLLM:${llm.target},` +
  `preserveRecentBudget:${tailFn[1]},chunks:${chunks.target},maxOutputTokens:${MAXOUT},maxOutputTokensForRequest:${MAXOUT_REQ},` +
  `requestMaxOutputTokens,chatParamsHooks,mergeConfigModel,fromCatalog,effectNumberParse,outputTokenMaxFilter,` +
  `truthy:(name,ENV)=>{const ${TRUTHY}=${fn(TRUTHY).replace(/^function [\w$]+/, "function").replace("process.env", "ENV")};return ${TRUTHY}(name)},` +
  `applyDisableAutocompact,effectBooleanTrue,OUTPUT_TOKEN_MAX:${OTM_CONST}};`);
if (process.argv.includes("--dump")) { console.log(parts.join("\n")); process.exit(0); }
const K = new Function(parts.join("\n"))();

// ---------- the bundled models.dev snapshot (only for --catalog) ----------
let snapshot;
function bundledCatalog() {
  if (!snapshot) {
    const i = at("ModelsDev.fetchApi"), j = SRC.indexOf("x.sync(()=>(", i) + "x.sync(()=>".length;
    snapshot = (0, eval)(SRC.slice(j, balanced(SRC, j)));
  }
  return snapshot;
}

// ---------- one case ----------
function outputTokenMax(env) { // RuntimeFlags: Config.number(...).pipe(map(filter), orElse(() => undefined))
  const raw = env.KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX;
  if (raw === undefined) return undefined;
  const parsed = K.effectNumberParse(raw);
  return parsed._tag === "Some" ? K.outputTokenMaxFilter(parsed.value) : undefined;
}
const convertedCatalogs = new Map();
function catalogModels(provider) { // models.dev provider -> {key: Model}, as Kilo's database holds it
  if (!convertedCatalogs.has(provider)) convertedCatalogs.set(provider, Object.fromEntries(
    Object.entries(provider.models ?? {}).map(([k, v]) => [k, K.fromCatalog(provider, v)])));
  return convertedCatalogs.get(provider);
}
function buildModel(m) { // m: {providerID, modelKey, configModel?, configProvider?, catalogProvider?}
  // catalogProvider "bundled": the provider entry of the models.dev snapshot bundled in this Kilo binary
  if (m.catalogProvider === "bundled") m = { ...m, catalogProvider: bundledCatalog()[m.providerID] };
  const cat = m.catalogProvider ? catalogModels(m.catalogProvider) : {};
  if (m.configModel) {
    const r = K.mergeConfigModel({ models: cat }, m.configModel, m.modelKey, m.configProvider ?? {}, m.providerID,
      m.catalogProvider ? { [m.providerID]: m.catalogProvider } : {});
    return { providerID: m.providerID, id: m.modelKey, api: r.api, limit: r.limit, options: r.options, fromCatalog: !!r.catalogEntry };
  }
  const c = cat[m.modelKey];
  if (!c) return null; // Kilo: ProviderModelNotFoundError
  return { providerID: m.providerID, id: m.modelKey, api: c.api, limit: c.limit, options: c.options, fromCatalog: true };
}
function requestCap(model, otm, options, plugins) { // chat.params value before the runtime clamp; undefined = not sent
  const out = { maxOutputTokens: K.requestMaxOutputTokens({ model, flags: { outputTokenMax: otm } }), options: { ...options } };
  // the hooks are async functions without await: their bodies run synchronously when called
  if (plugins) for (const hook of K.chatParamsHooks) hook({ model, provider: { id: model.providerID }, agent: "code" }, out);
  return out;
}
function answer(c) {
  const env = c.env ?? {};
  const otm = outputTokenMax(env);
  const plugins = env.KILO_DISABLE_DEFAULT_PLUGINS === undefined || !K.effectBooleanTrue(env.KILO_DISABLE_DEFAULT_PLUGINS);
  const cfg = K.applyDisableAutocompact({ compaction: c.compaction ?? undefined },
    { KILO_DISABLE_AUTOCOMPACT: K.truthy("KILO_DISABLE_AUTOCOMPACT", env) });
  const model = buildModel(c.model);
  if (!model) return { id: c.id, error: "model not found" };
  const usable = K.usable({ cfg, model, outputTokenMax: otm });
  const postStep = firstTrue((n) => K.isOverflow({ cfg, tokens: tokensOf(n), model, outputTokenMax: otm }));
  const preflightOn = K.KiloSessionOverflow.enabled({ cfg, model });
  const preflightLimit = preflightOn ? K.KiloSessionOverflow.limit({ cfg, model, usable }) : null;
  const preflight = preflightOn ? firstTrue((n) => K.KiloSessionOverflow.shouldCompact({ cfg, model, usable, tokens: n, tail: 0,
    overhead: 0, continuation: false, reported: undefined })) : null;
  const triggers = [postStep, preflight].filter((v) => v !== null);
  const trigger = triggers.length ? Math.min(...triggers) : null;
  const req = requestCap(model, otm, model.options, plugins);
  const normal = K.maxOutputTokensForRequest({ model, options: req.options, maxOutputTokens: req.maxOutputTokens });
  const capped = (est) => K.maxOutputTokensForRequest({ model, options: req.options, maxOutputTokens:
    K.KiloLLM.capOutputTokens({ model, configured: req.maxOutputTokens, usage: { normalized: est }, reported: undefined }) });
  let compaction = null;
  const cm = c.compactionModel ? buildModel(c.compactionModel) : model;
  if (cm) {
    const creq = requestCap(cm, otm, cm.options, plugins);
    const tailTurns = cfg.compaction?.tail_turns ?? Number(TAIL_TURNS_DEFAULT);
    compaction = {
      model: `${cm.providerID}/${cm.id}`,
      limit: cm.limit,
      maxTokens: K.maxOutputTokensForRequest({ model: cm, options: creq.options, maxOutputTokens: creq.maxOutputTokens }) ?? null,
      keptTail: tailTurns <= 0 ? 0 : K.preserveRecentBudget({ cfg, model: cm, outputTokenMax: otm }),
      chunkBudget: K.chunks.budget({ cfg, model: cm, outputTokenMax: otm }),
    };
  }
  return {
    id: c.id, kilo: VERSION, window: model.limit.context === 0 ? null : model.limit.context, outputTokenMax: otm ?? null, auto: cfg.compaction?.auto !== false,
    model: { api: model.api, limit: model.limit, fromCatalog: model.fromCatalog },
    usable, postStepTrigger: postStep, preflightLimit, preflightTrigger: preflight, trigger,
    maxTokens: normal ?? null, maxTokensAtTrigger: trigger === null ? null : (capped(trigger) ?? null),
    compaction,
  };
}

function selftest() { // harness-kilo.md 5.8 and the Kilo tests it cites
  const m = (limit, extra = {}) => ({ model: { providerID: "p", modelKey: "m", configModel: { limit }, configProvider: {} }, ...extra });
  const checks = [
    [m({ context: 200000, output: 64000 }), (a) => a.trigger === 168000 && a.maxTokens === 32000],
    [m({ context: 200000, output: 64000 }, { compaction: { threshold_percent: 75 } }), (a) => a.trigger === 150000],
    [m({ context: 200000, output: 64000 }, { compaction: { threshold_percent: 95 } }), (a) => a.trigger === 168000],
    [m({ context: 200000, output: 64000 }, { env: { KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX: "64000" } }), (a) => a.trigger === 136000 && a.maxTokens === 64000],
    [m({ context: 1000000, input: 900000, output: 131072 }), (a) => a.trigger === 880000],
    [m({ context: 1000000, input: 900000, output: 131072 }, { compaction: { threshold_percent: 80 } }), (a) => a.trigger === 800000],
    [m({ context: 200000, output: 100000 }, { env: { KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX: "8000" } }), (a) => a.usable === 192000],
    [m({ context: 400000, input: 200000, output: 64000 }, { compaction: { threshold_percent: 75 } }), (a) => a.trigger === 180000],
  ];
  let ok = 0;
  for (const [c, pred] of checks) { const a = answer(c); const good = pred(a); ok += good; if (!good) console.log("FAIL", JSON.stringify(c), JSON.stringify(a)); }
  const capOk = K.KiloLLM.capOutputTokens({ model: { limit: { context: 300000 } }, configured: 32000, usage: { normalized: 0 }, reported: 280000 }) === 17952;
  console.log(`kilo ${VERSION}: selftest ${ok + capOk}/${checks.length + 1}`);
}

if (process.argv.includes("--selftest")) selftest();
else {
  const catalogMode = process.argv.includes("--catalog");
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const c = JSON.parse(line);
    if (catalogMode) {
      const p = bundledCatalog()[c.provider];
      const e = p?.models?.[c.model];
      process.stdout.write(JSON.stringify({ ...c, npm: e ? (e.provider?.npm ?? p.npm ?? null) : null, limit: e?.limit ?? null }) + "\n");
    } else {
      let a;
      try { a = answer(c); } catch (err) { a = { id: c.id, error: String(err && err.stack || err) }; }
      process.stdout.write(JSON.stringify(a) + "\n");
    }
  }
}
