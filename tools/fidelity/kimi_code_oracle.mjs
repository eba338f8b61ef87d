// Kimi Code 2.1.0 budget oracle, wire level: what the harness's own functions make of one config.
// Adapted from ../shared/oracles/kimi_oracle_wire.mjs (issue 11); tools/fidelity/kimi_code.py runs it.
// Usage: node kimi_code_oracle.mjs PATH/TO/@moonshot-ai/kimi-code/dist/main.mjs < configs.jsonl > answers.jsonl
//
// Extends kimi_oracle.mjs (same run-time extraction of harness functions from the installed bundle; nothing
// of the bundle is stored here). Besides the trigger / block point and the pre-provider caps (stepCap,
// compactionCap, identical to kimi_oracle.mjs), it follows the request to the wire:
//   env overlay (v2 envOverlay.ts: parseCompletionTokens, KIMI_MODEL_NAME synthetic model, parsePositiveInt$1),
//   model overrides + max_input_size clamp (catalogService: applyModelOverrides / clampMaxInputSize),
//   protocol resolution (resolveModelProtocol over ProtocolSchema and the registered provider definitions),
//   provider route (routeFor: trait of the provider definition for (type, protocol)),
//   resolveMaxCompletionCap (remaining-window clamp, only when usedContextTokens is passed),
//   the protocol encoders (openai: encodeOpenAIMaxCompletionTokens with the 131,072 ceiling unless the trait encodes;
//   anthropic: resolveDefaultMaxTokens(model, cap), and resolveDefaultMaxTokens(model) when no cap is sent;
//   openai_responses / google-genai: the cap as is).
//
// Input line (camelCase of the TOML, as the v2 config loader sees it):
//   {"id": str, "defaultModel": str?, "providers": {name: {type?, ...}}, "models": {alias: {provider?, model?, name?,
//    protocol?, maxContextSize?, maxInputSize?, maxOutputSize?, overrides?: {...}}},
//    "loopControl": {reservedContextSize?, compactionTriggerRatio?}, "env": {NAME: value}}
// Output line: {"id", "overlayIgnored"?: str (a KIMI_MODEL_* value made the env overlay throw), "models": {alias: {refused?: str, protocol, providerType, wireName,
//   maxContext, M, trigger, blockAt, stepCap, compactionCap, normal, atTrigger, compaction, envCap}}}
//   normal     = wire max_tokens of a normal step at usedContextTokens = 0 (a session's first request; the remaining-window
//                clamp then caps it at max_context_size); normalNoClamp: the same with usedContextTokens not passed
//   atTrigger  = wire max_tokens of a normal step with usedContextTokens = trigger
//   compaction = wire max_tokens of the compaction request (the harness passes no usedContextTokens there)
//   null = no max_tokens field sent.
import fs from "node:fs";
import readline from "node:readline";

const src = fs.readFileSync(process.argv[2], "utf8");
function grab(startMarker) {
  const i = src.indexOf(startMarker);
  if (i < 0) throw new Error("not found: " + startMarker);
  if (src.indexOf(startMarker, i + 1) >= 0 && !startMarker.startsWith("function ")) {
    // markers of assignments must be unique in the bundle
    throw new Error("ambiguous: " + startMarker);
  }
  let j = src.indexOf("{", i), depth = 0;
  for (let k = j; k < src.length; k++) {
    if (src[k] === "{") depth++;
    else if (src[k] === "}" && --depth === 0) return src.slice(i, k + 1);
  }
  throw new Error("unbalanced: " + startMarker);
}
function constant(name) {
  const m = src.match(new RegExp("\\b" + name.replace(/\$/g, "\\$") + " = ([^;\\n]+)[;\\n]"));
  if (!m) throw new Error("no constant " + name);
  return m[1].replace(/,\s*$/, "");
}
function objectLiteral(name) {
  return grab(name + " = {").replace(name + " = ", "");
}

// Provider definitions registered in init_provider_definition: id, baseProtocol, trait variable name.
const defBlock = grab("var init_provider_definition = __esmMin((() => {");
const definitions = [];
for (const m of defBlock.matchAll(/registerProviderDefinition\(\{([\s\S]*?)\n\t\}\);/g)) {
  const body = m[1];
  const id = body.match(/\bid: "([^"]+)"/)[1];
  const baseProtocol = body.match(/\bbaseProtocol: "([^"]+)"/)[1];
  const trait = body.match(/\btrait: (\w+)/)?.[1];
  const custom = /\b(trait|connection|classifyError):/.test(body);
  definitions.push({ id, baseProtocol, trait, custom });
}
if (definitions.length === 0) throw new Error("no provider definitions found");
// Each trait's encodeMaxCompletionTokens (the only trait member that touches max_tokens), as code from the bundle.
const traitEncoders = {};
for (const d of definitions) {
  if (!d.trait || d.trait in traitEncoders) continue;
  const text = objectLiteral(d.trait);
  const m = text.match(/encodeMaxCompletionTokens: (\([^)]*\) => [^\n]*?),?\n/);
  traitEncoders[d.trait] = m ? new Function("return " + m[1])() : null;
}
const protocolMatch = src.match(/\bProtocolSchema = _enum\(\[([^\]]*)\]\)/);
if (!protocolMatch) throw new Error("no ProtocolSchema");
const protocols = JSON.parse("[" + protocolMatch[1] + "]");

const code = [
  `const MIN_FLOOR = ${constant("MIN_FLOOR")};`,
  `const DEFAULT_UNKNOWN_CONTEXT_FALLBACK = ${constant("DEFAULT_UNKNOWN_CONTEXT_FALLBACK")};`,
  `const DEFAULT_COMPACTION_MAX_COMPLETION_TOKENS = ${constant("DEFAULT_COMPACTION_MAX_COMPLETION_TOKENS")};`,
  `const DEFAULT_COMPACTION_CONFIG = ${objectLiteral("DEFAULT_COMPACTION_CONFIG")};`,
  `const CHAT_COMPLETIONS_MAX_OUTPUT_TOKENS_CEILING = ${constant("CHAT_COMPLETIONS_MAX_OUTPUT_TOKENS_CEILING")};`,
  `const FALLBACK_MAX_TOKENS = ${constant("FALLBACK_MAX_TOKENS")};`,
  `const CEILING_BY_FAMILY_VERSION = ${objectLiteral("CEILING_BY_FAMILY_VERSION")};`,
  `const FAMILY_FIRST_RE = ${constant("FAMILY_FIRST_RE")};`,
  `const VERSION_FIRST_RE = ${constant("VERSION_FIRST_RE")};`,
  `const BARE_FAMILY_RE = ${constant("BARE_FAMILY_RE")};`,
  `const DEFAULT_MAX_CONTEXT_SIZE = ${constant("DEFAULT_MAX_CONTEXT_SIZE")};`,
  `const ENV_MODEL_ALIAS_KEY = ${constant("ENV_MODEL_ALIAS_KEY")};`,
  `const ENV_MODEL_PROVIDER_KEY = ${constant("ENV_MODEL_PROVIDER_KEY")};`,
  "function fail(message) { throw new Error(message); }",
  grab("function trimmed(value)"),
  grab("function parsePositiveInt$1(raw, varName)"),
  grab("function parseCompletionTokens(raw)"),
  grab("function resolveCompletionBudget(args)"),
  grab("function computeCompletionBudgetCap(args)"),
  grab("function completionBudgetParams(args)"),
  grab("function resolveMaxCompletionCap(input)"),
  grab("function usesMaxCompletionTokens(model)"),
  grab("function encodeOpenAIMaxCompletionTokens(model, cap)"),
  grab("function parseAnthropicModelVersion(model, requireClaudeMarker = false)"),
  grab("function lookupClaudeCeiling(version)"),
  grab("function resolveDefaultMaxTokens(model, override)"),
  grab("function encodeAnthropicMaxTokens(cap)"),
  grab("function encodeGoogleGenAIMaxOutputTokens(cap)"),
  grab("function encodeOpenAIResponsesMaxCompletionTokens(cap)"),
  grab("function clampMaxInputSize(model)"),
  grab("function applyModelOverrides(model, overrides)"),
  "const estimateTokensForMessage = () => 0;",
  `const DefaultCompactionStrategy = ${grab("DefaultCompactionStrategy = class {").replace("DefaultCompactionStrategy = ", "")};`,
  "return {MIN_FLOOR, DEFAULT_COMPACTION_MAX_COMPLETION_TOKENS, DEFAULT_COMPACTION_CONFIG, DEFAULT_MAX_CONTEXT_SIZE, ENV_MODEL_ALIAS_KEY,",
  "  ENV_MODEL_PROVIDER_KEY, trimmed, parsePositiveInt: parsePositiveInt$1, parseCompletionTokens, resolveCompletionBudget,",
  "  computeCompletionBudgetCap, completionBudgetParams, resolveMaxCompletionCap, encodeOpenAIMaxCompletionTokens, resolveDefaultMaxTokens,",
  "  encodeAnthropicMaxTokens, encodeGoogleGenAIMaxOutputTokens, encodeOpenAIResponsesMaxCompletionTokens, applyModelOverrides,",
  "  DefaultCompactionStrategy};",
].join("\n");
const H = new Function(code)();

function getProviderDefinition(id, protocol) {
  const byId = definitions.filter((d) => d.id === id);
  if (byId.length === 0) return undefined;
  if (protocol !== undefined) return byId.find((d) => d.baseProtocol === protocol);
  return byId[0];
}
// resolveModelProtocol (catalogService.ts), with ProtocolSchema.safeParse = membership in the bundle's enum.
function resolveModelProtocol(model, provider) {
  if (model.protocol !== undefined) return model.protocol;
  const providerType = provider?.type;
  if (providerType !== undefined) {
    if (protocols.includes(providerType)) return providerType;
    const definition = getProviderDefinition(providerType);
    if (definition !== undefined) return definition.baseProtocol;
  }
  return undefined;
}
// routeFor: the trait encoder that the request's protocol base will consult (undefined: the base encoder).
function traitEncoderFor(protocol, providerType) {
  const definition = providerType === undefined ? undefined : getProviderDefinition(providerType, protocol);
  const custom = definition !== undefined && definition.custom ? definition : undefined;
  if (protocol === "google-genai") return undefined;
  return custom?.trait ? traitEncoders[custom.trait] ?? undefined : undefined;
}
const WIRE_FIELDS = ["max_tokens", "max_completion_tokens", "max_output_tokens", "maxOutputTokens"];
function wireValue(obj) {
  for (const f of WIRE_FIELDS) if (obj && obj[f] !== undefined) return obj[f];
  return null;
}
// The max_tokens field of one request: params as completionBudgetParams builds them, then the protocol encoder.
function sent(protocol, providerType, wireName, budget, maxContextTokens, usedContextTokens) {
  const params = H.completionBudgetParams({ budget, capability: { max_context_tokens: maxContextTokens }, usedContextTokens });
  const input = { maxCompletionTokens: params?.maxCompletionTokens, usedContextTokens: params?.usedContextTokens,
                  maxContextTokens: params?.maxContextTokens };
  const cap = H.resolveMaxCompletionCap(input);
  const encode = traitEncoderFor(protocol, providerType);
  switch (protocol) {
    case "openai":
      if (cap === undefined) return null;
      return wireValue(encode ? encode(cap, { model: { model: wireName } }) : H.encodeOpenAIMaxCompletionTokens(wireName, cap));
    case "anthropic":
      // assembleAnthropicRequest always sets max_tokens: resolveDefaultMaxTokens(model); a cap overrides it.
      if (cap === undefined) return H.resolveDefaultMaxTokens(wireName);
      { const capped = H.resolveDefaultMaxTokens(wireName, cap);
        return wireValue(encode ? encode(capped, { model: { model: wireName } }) : H.encodeAnthropicMaxTokens(capped)); }
    case "openai_responses":
      if (cap === undefined) return null;
      return wireValue(encode ? encode(cap, { model: { model: wireName } }) : H.encodeOpenAIResponsesMaxCompletionTokens(cap));
    case "google-genai":
      if (cap === undefined) return null;
      return wireValue(H.encodeGoogleGenAIMaxOutputTokens(cap));
  }
  throw new Error("unknown protocol " + protocol);
}

function first(pred, M) {
  if (!(M > 0) || !pred(M)) return null;
  let lo = 0, hi = M;
  while (lo < hi) { const mid = Math.floor((lo + hi) / 2); if (pred(mid)) hi = mid; else lo = mid + 1; }
  return lo;
}

function answer(c) {
  const env = c.env ?? {};
  const getEnv = (k) => env[k];
  const out = { id: c.id, models: {} };
  const providers = { ...(c.providers ?? {}) };
  const models = { ...(c.models ?? {}) };
  // providersEnvBindings (a section env binding, applied on its own): providers.__kimi_env__.type <- KIMI_MODEL_PROVIDER_TYPE
  if (getEnv("KIMI_MODEL_PROVIDER_TYPE") !== undefined) {
    providers[H.ENV_MODEL_PROVIDER_KEY] = { ...(providers[H.ENV_MODEL_PROVIDER_KEY] ?? {}), type: getEnv("KIMI_MODEL_PROVIDER_TYPE") };
  }
  let envCap;
  try {
    // envOverlay.ts kimiModelEnvOverlay.apply. ConfigService.applyEnvOverlay catches a throw ("Ignoring config
    // environment overlay: ...", a warning): then nothing of the overlay applies, neither the env model nor the cap.
    const cap = H.parseCompletionTokens(getEnv("KIMI_MODEL_MAX_COMPLETION_TOKENS")) ?? H.parseCompletionTokens(getEnv("KIMI_MODEL_MAX_TOKENS"));
    const modelName = H.trimmed(getEnv("KIMI_MODEL_NAME"));
    const patch = {};
    if (modelName !== undefined) {
      const maxContextRaw = H.trimmed(getEnv("KIMI_MODEL_MAX_CONTEXT_SIZE"));
      const maxContextSize = maxContextRaw === undefined ? H.DEFAULT_MAX_CONTEXT_SIZE : H.parsePositiveInt(maxContextRaw, "KIMI_MODEL_MAX_CONTEXT_SIZE");
      const maxOutputRaw = H.trimmed(getEnv("KIMI_MODEL_MAX_OUTPUT_SIZE"));
      const maxOutputSize = maxOutputRaw === undefined ? undefined : H.parsePositiveInt(maxOutputRaw, "KIMI_MODEL_MAX_OUTPUT_SIZE");
      const alias = { provider: H.ENV_MODEL_PROVIDER_KEY, model: modelName, maxContextSize };
      if (maxOutputSize !== undefined) alias.maxOutputSize = maxOutputSize;
      patch.model = alias;
    }
    envCap = cap;
    if (patch.model) {
      models[H.ENV_MODEL_ALIAS_KEY] = patch.model;
      const envProvider = providers[H.ENV_MODEL_PROVIDER_KEY] ?? {};
      if (envProvider.type === undefined) providers[H.ENV_MODEL_PROVIDER_KEY] = { ...envProvider, type: "kimi" };
    }
  } catch (e) {
    out.overlayIgnored = String(e.message ?? e);
    envCap = undefined;
  }
  out.envCap = envCap ?? null;
  const lc = c.loopControl ?? {};
  const triggerRatio = lc.compactionTriggerRatio ?? H.DEFAULT_COMPACTION_CONFIG.triggerRatio;
  const config = {
    ...H.DEFAULT_COMPACTION_CONFIG,
    triggerRatio,
    blockRatio: Math.max(triggerRatio, H.DEFAULT_COMPACTION_CONFIG.blockRatio),
    reservedContextSize: lc.reservedContextSize ?? H.DEFAULT_COMPACTION_CONFIG.reservedContextSize,
  };
  for (const [alias, raw] of Object.entries(models)) {
    const r = {};
    out.models[alias] = r;
    const { overrides, ...base } = raw;
    const model = H.applyModelOverrides(base, overrides);
    const providerId = model.providerId ?? model.provider ?? c.defaultProvider;
    let provider;
    if (providerId !== undefined) {
      provider = providers[providerId];
      if (provider === undefined) { r.refused = `Provider "${providerId}" referenced by model "${alias}" is not configured.`; continue; }
    } else if (!model.baseUrl) { r.refused = `Model "${alias}" must set either providerId or baseUrl`; continue; }
    const protocol = resolveModelProtocol(model, provider);
    if (protocol === undefined) { r.refused = `Model "${alias}" must declare a wire protocol`; continue; }
    const wireName = model.name ?? model.model;
    if (wireName === undefined) { r.refused = `Model "${alias}" must define a wire-facing name`; continue; }
    if (model.maxContextSize === undefined) { r.refused = `Model "${alias}" must define a positive max_context_size`; continue; }
    const providerType = provider?.type ?? protocol;
    const maxContext = model.maxContextSize;
    const M = model.maxInputSize ?? maxContext;
    const s = new H.DefaultCompactionStrategy(() => M, config);
    Object.assign(r, { protocol, providerType, wireName, maxContext, M, maxOutput: model.maxOutputSize ?? null });
    r.trigger = first((u) => s.shouldCompact(u), M);
    r.blockAt = first((u) => s.shouldBlock(u), M);
    const budgetFor = (maxOutputSize) => H.resolveCompletionBudget({ maxOutputSize, reservedContextSize: config.reservedContextSize,
                                                                      maxCompletionTokensCap: envCap });
    const stepBudget = budgetFor(model.maxOutputSize);
    const compactionDefault = maxContext > 0 ? Math.min(maxContext, H.DEFAULT_COMPACTION_MAX_COMPLETION_TOKENS) : undefined;
    const compactionBudget = budgetFor(model.maxOutputSize ?? compactionDefault);
    const capOf = (budget) => budget === undefined ? null : H.computeCompletionBudgetCap({ budget, capability: { max_context_tokens: maxContext } });
    r.stepCap = capOf(stepBudget);
    r.compactionCap = capOf(compactionBudget);
    // A normal step always passes usedContextTokens (the measured count; 0 on a session's first request, as the
    // recorded requests of kimi_e2e.py show), so its largest max_tokens is the one at used = 0.
    r.normal = sent(protocol, providerType, wireName, stepBudget, maxContext, 0);
    r.normalNoClamp = sent(protocol, providerType, wireName, stepBudget, maxContext, undefined);
    r.atTrigger = r.trigger === null ? null : sent(protocol, providerType, wireName, stepBudget, maxContext, r.trigger);
    r.compaction = sent(protocol, providerType, wireName, compactionBudget, maxContext, undefined);
  }
  return out;
}

const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim()) continue;
  const c = JSON.parse(line);
  let a;
  try { a = answer(c); } catch (e) { a = { id: c.id, oracleError: String(e.stack ?? e) }; }
  process.stdout.write(JSON.stringify(a) + "\n");
}
