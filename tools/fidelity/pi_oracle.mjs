// pi's own budget numbers for generated configs: the oracle of tools/fidelity/pi.py (issue 12).
//
//   node pi_oracle.mjs <node_modules of an installed pi tree> <1.6.0|0.73.1>   < cases.jsonl > answers.jsonl
//
// A case is {id, agentDir, cwd, provider, modelId, sizes?}: the global files are in agentDir
// (settings.json, models.json), the project file in cwd/.pi/settings.json. Everything below is pi's
// shipped code, imported from the package files; nothing of pi is re-implemented here:
//  - settings: `SettingsManager.create(cwd, agentDir, {projectTrusted: true})` and
//    `getCompactionSettings(model)` (@earendil-works/pi-coding-agent@1.6.0 dist/core/settings-manager.js;
//    0.73.1 has no trust gate and reads no model overrides);
//  - models: `ModelRuntime.create({modelsPath, ...}).getModel(provider, id)` (1.6.0
//    dist/core/model-runtime.js, models.json via model-config.js + provider-composer.js) or
//    `ModelRegistry.create(authStorage, modelsPath).find(provider, id)` (0.73.1 dist/core/model-registry.js);
//  - trigger: `shouldCompact(tokens, model.contextWindow, settings)` (dist/core/compaction/compaction.js),
//    probed at the boundary window - reserveTokens: the largest token count it does not compact at;
//  - max_tokens of a normal request: pi-ai's `buildBaseOptions(model, context, {}).maxTokens` (1.6.0
//    dist/api/simple-options.js, every API's streamSimple starts from it) for a context whose last
//    assistant usage is E tokens; 0.73.1 `buildBaseOptions(model, {}).maxTokens` (dist/providers/simple-options.js);
//  - the summary request: pi's `generateSummary` on a conversation of about trigger - keepRecentTokens
//    tokens, with its request captured where the provider would receive it (1.6.0: the `streamFn`
//    argument; 0.73.1: an API provider registered for the model's api), then the same buildBaseOptions.
// Answers carry raw facts (window, maxTokens, the settings, the probes); tools/fidelity/pi.py names the numbers.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const [root, version] = process.argv.slice(2);
const modern = version !== "0.73.1";
const scope = modern ? "@earendil-works" : "@mariozechner";
const load = (pkg, file) => import(pathToFileURL(join(root, scope, pkg, file)).href);

const { SettingsManager } = await load("pi-coding-agent", "dist/core/settings-manager.js");
const { shouldCompact, generateSummary } = await load("pi-coding-agent", "dist/core/compaction/compaction.js");
const { AuthStorage } = await load("pi-coding-agent", "dist/core/auth-storage.js");
const piAi = await load("pi-ai", "dist/index.js");
const estimator = modern ? await load("pi-ai", "dist/utils/estimate.js") : null;
const simpleOptions = modern
    ? await load("pi-ai", "dist/api/simple-options.js")
    : await load("pi-ai", "dist/providers/simple-options.js");
const { ModelRuntime } = modern ? await load("pi-coding-agent", "dist/core/model-runtime.js") : {};
const { ModelRegistry } = modern ? {} : await load("pi-coding-agent", "dist/core/model-registry.js");

/** A context whose estimate (pi-ai utils/estimate.js: the last assistant usage) is exactly `tokens`. */
function contextOf(tokens) {
    const usage = { input: tokens, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: tokens,
        cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 } };
    return { systemPrompt: "", messages: [{ role: "assistant", content: [{ type: "text", text: "" }], api: "x",
        provider: "x", model: "x", usage, stopReason: "stop", timestamp: 1 }] };
}

/** Request sizes E (estimated input tokens) at which the normal cap is probed, inside window W:
 * half (at most 100k), three quarters, 40k and 20k below the end, and #8061's 815,916 on a 1M window. */
function probeSizes(window) {
    const w = Math.floor(window);
    const sizes = [Math.min(100000, Math.floor(w / 2)), Math.floor((w * 3) / 4), Math.max(0, w - 40000),
        Math.max(0, w - 20000), w > 900000 ? 815916 : 0];
    return [...new Set(sizes)].sort((a, b) => a - b);
}

/** max_tokens pi-ai sends for a normal request of `tokens` estimated input tokens. */
function normalCap(model, tokens) {
    return modern ? simpleOptions.buildBaseOptions(model, contextOf(tokens), {}, undefined).maxTokens
        : simpleOptions.buildBaseOptions(model, {}, undefined).maxTokens ?? null;
}

function estimate(context) {
    return modern ? estimator.estimateContextTokens(context).tokens : null;
}

/** The summary request generateSummary makes: its estimated input and the max_tokens it would send. */
async function summaryRequest(model, settings, conversationTokens) {
    let seen = null;
    const reply = { role: "assistant", content: [{ type: "text", text: "summary" }], api: model.api,
        provider: model.provider, model: model.id, stopReason: "stop", timestamp: Date.now(),
        usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0, totalTokens: 2,
            cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 } } };
    const capture = (m, context, options) => {
        const sent = modern ? simpleOptions.buildBaseOptions(m, context, options, undefined).maxTokens
            : simpleOptions.buildBaseOptions(m, options, undefined).maxTokens;
        seen = { input: estimate(context), maxTokens: sent ?? null };
        return { result: async () => reply, [Symbol.asyncIterator]: async function* () {} };
    };
    const text = "x".repeat(Math.max(0, Math.min(conversationTokens, 4_000_000)) * 3);
    const messages = [{ role: "user", content: text, timestamp: 1 }];
    if (modern) {
        await generateSummary(messages, model, settings.reserveTokens, "key", undefined, undefined, undefined,
            undefined, undefined, async (m, c, o) => capture(m, c, o));
    } else {
        piAi.registerApiProvider({ api: model.api, stream: capture, streamSimple: capture }, "pi-oracle");
        await generateSummary(messages, model, settings.reserveTokens, "key", undefined, undefined);
        piAi.unregisterApiProviders("pi-oracle");
    }
    return seen;
}

async function findModel(agentDir, provider, modelId) {
    const modelsPath = join(agentDir, "models.json");
    const auth = AuthStorage.create(join(agentDir, "auth.json"));
    if (modern) {
        const runtime = await ModelRuntime.create({ credentials: auth, modelsPath, allowModelNetwork: false });
        return { model: runtime.getModel(provider, modelId), error: runtime.getError() ?? null };
    }
    const registry = ModelRegistry.create(auth, modelsPath);
    return { model: registry.find(provider, modelId), error: registry.getError() ?? null };
}

function message(error) {
    return error instanceof Error ? error.message : String(error);
}

/** pi's threshold `window - reserveTokens` (it compacts when the context exceeds it), checked against
 * shouldCompact at the integers around it (beyond 2^53, where doubles have no neighbouring integers:
 * at the threshold itself); null when it never compacts. */
function triggerOf(window, settings) {
    const edge = window - settings.reserveTokens;
    if (!shouldCompact(Number.MAX_SAFE_INTEGER, window, settings)) return null;
    const floor = Math.floor(edge);
    const above = Math.abs(floor) < Number.MAX_SAFE_INTEGER ? floor + 1 : edge + Math.abs(edge) * Number.EPSILON * 2;
    if (!Number.isFinite(floor) || shouldCompact(floor, window, settings) || !shouldCompact(above, window, settings)) {
        return { unexpected: `no boundary at ${edge}` };
    }
    return edge;
}

async function answer(item) {
    mkdirSync(item.cwd, { recursive: true });
    const manager = modern ? SettingsManager.create(item.cwd, item.agentDir, { projectTrusted: true })
        : SettingsManager.create(item.cwd, item.agentDir);
    const settingsErrors = (manager.errors ?? []).map((e) => `${e.scope}: ${message(e.error)}`);
    const { model, error: modelsError } = await findModel(item.agentDir, item.provider, item.modelId);
    const out = { id: item.id, settingsErrors, modelsError };
    if (!model) return { ...out, model: null };
    out.model = { contextWindow: model.contextWindow, maxTokens: model.maxTokens, api: model.api };
    out.normal = (item.sizes ?? probeSizes(model.contextWindow)).map((tokens) => [tokens, normalCap(model, tokens)]);
    let settings;
    try {
        settings = manager.getCompactionSettings(model);
    } catch (error) {
        return { ...out, settingsThrow: message(error) };
    }
    out.settings = { enabled: settings.enabled ?? null, reserveTokens: settings.reserveTokens ?? null,
        keepRecentTokens: settings.keepRecentTokens ?? null };
    out.trigger = triggerOf(model.contextWindow, settings);
    const reserve = Number(settings.reserveTokens);
    const edge = Number.isFinite(reserve) ? Math.floor(model.contextWindow - reserve) : null;
    if (edge !== null && edge >= 0) out.atTrigger = [edge, normalCap(model, edge)];
    const keep = Number(settings.keepRecentTokens);
    const span = edge === null ? 1000 : Math.max(1000, edge - (Number.isFinite(keep) ? keep : 0));
    try {
        out.summary = await summaryRequest(model, settings, span);
    } catch (error) {
        out.summary = { error: message(error) };
    }
    return out;
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
    if (!line.trim()) continue;
    const item = JSON.parse(line);
    let result;
    try {
        result = await answer(item);
    } catch (error) {
        result = { id: item.id, error: `${message(error)}\n${error?.stack ?? ""}`.slice(0, 800) };
    }
    process.stdout.write(JSON.stringify(result) + "\n");
}
