"""Generate varied Kimi Code (2.1.0, v2 engine) configs for the fidelity comparison.

Adapted from ../shared/oracles/kimi_gen.py (issue 11); `tools/fidelity/kimi_code.py` runs it.

`generate(n, seed)` returns a deterministic list of cases. Each case has
  id       str
  tags     list[str]: what the case exercises (used to group mismatches)
  data     dict: the config as TOML data (snake_case, as written in config.toml)
  env      dict[str, str]: environment variables for the run (cfglint --env, oracle env)
  toml     str: data serialised as TOML
  oracle   dict: the input line of kimi_oracle_wire.mjs (camelCase, as the v2 loader sees the file)

The first cases are fixed edge cases (exact boundaries, non-integer ratio x window, reserve == window,
window < reserve, env parsing corner cases, Claude id parsing, routes that Kimi Code refuses); the rest are
random draws. Only configs inside Kimi Code 2.1.0's schema are generated (max_context_size >= 1,
max_output_size >= 1, max_input_size >= 1, reserved_context_size >= 0, compaction_trigger_ratio 0.5..0.99),
so the harness itself would load every one; some name routes it cannot use (provider type `vertexai` without a
model `protocol`, unknown types, undefined providers), and some env values make it refuse to start.

"""

from __future__ import annotations

import json
import random
import re
import tomllib

# --- vocabulary -------------------------------------------------------------------------------

PROVIDER_TYPES = ["kimi", "openai", "anthropic", "google-genai", "openai_responses", "vertexai"]
# kimi-cli names and junk: Kimi Code 2.1.0 loads them (type is any string) but cannot route requests.
UNROUTABLE_TYPES = ["openai_legacy", "gemini", "google_genai", "nope", None]
PROTOCOLS = ["anthropic", "openai", "openai_responses", "google-genai"]

MODEL_IDS = {
    "kimi": ["kimi-k3", "kimi-for-coding", "kimi-k2-0905-preview", "kimi-k2-thinking-turbo", "moonshot-v1-128k"],
    "openai": ["gpt-5", "gpt-5-mini", "o3", "o4-mini", "gpt-4.1", "gpt-4o", "glm-5.2", "deepseek-chat",
               "qwen3-coder-plus", "openai/gpt-oss-120b", "O3-MINI", "gpt-5.1-codex"],
    "anthropic": ["claude-opus-4-1-20250805", "claude-opus-4-6", "claude-opus-4-7", "claude-sonnet-4-5-20250929",
                  "claude-sonnet-4-20250514", "claude-3-7-sonnet-latest", "claude-3-5-haiku-latest",
                  "claude-3-opus-20240229", "claude-haiku-4-5", "claude-fable-5", "claude-sonnet-4.5",
                  "anthropic.claude-opus-4-6-v1", "claude-opus-4", "claude-3-5-sonnet", "claude-sonnet-5",
                  "Claude-Opus-4-6", "claude-mythos-5", "opus-4-6", "sonnet-4-5", "glm-4.6", "kimi-k3",
                  "MiniMax-M2", "claude-next", "claude-opus-4-10", "claude-opus-4-5-thinking"],
    "google-genai": ["gemini-2.5-pro", "gemini-2.5-flash", "gemini-3-pro-preview", "gemini-2.0-flash"],
    "openai_responses": ["gpt-5-codex", "gpt-5", "o3-pro", "gpt-4.1", "deepseek-v3.2"],
    "vertexai": ["gemini-2.5-pro", "claude-opus-4-6"],
}
WINDOWS = [8_000, 8_192, 16_000, 32_000, 32_768, 50_000, 64_000, 65_536, 100_000, 128_000, 131_072, 131_073,
           200_000, 204_800, 256_000, 262_144, 400_000, 500_000, 1_000_000, 1_047_576, 1_048_576, 2_000_000,
           2_097_152]
OUTPUTS = [1, 1024, 4_096, 8_192, 16_384, 32_000, 32_768, 64_000, 65_536, 100_000, 128_000, 131_071, 131_072,
           131_073, 200_000, 1_000_000]
RATIOS = [0.5, 0.51, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99, 0.57, 0.63, 0.77, 0.83, 0.87, 0.93, 0.97,
          0.8500000000000001, 0.849999999, 0.333 + 0.5, 0.5 + 1e-9, 0.99 - 1e-12]
ENV_CAPS = ["131072", "65536", "32000", "8192", "1", "0", "-1", "-0", " 32000 ", "abc", "", "1e5", "0x8000",
            "+4096", "4096.0", "9007199254740993", "12.5", "  ", "200000", "2000000", "Infinity", "1_000"]
CAPABILITIES = ["thinking", "always_thinking", "image_in", "video_in", "audio_in", "tool_use",
                "dynamically_loaded_tools", "unknown_cap"]


# --- TOML -------------------------------------------------------------------------------------

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k)


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        text = repr(v)
        return text if ("." in text or "e" in text or "inf" in text or "nan" in text) else text + ".0"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    raise TypeError(type(v))


def to_toml(data: dict) -> str:
    """Scalars first, then tables (dotted, quoted where needed), recursively."""
    lines: list[str] = []

    def emit(table: dict, prefix: list[str]) -> None:
        scalars = [(k, v) for k, v in table.items() if not isinstance(v, dict)]
        tables = [(k, v) for k, v in table.items() if isinstance(v, dict)]
        if prefix and (scalars or not tables):
            lines.append("[" + ".".join(_key(p) for p in prefix) + "]")
        for k, v in scalars:
            lines.append(f"{_key(k)} = {_value(v)}")
        if scalars:
            lines.append("")
        for k, v in tables:
            emit(v, prefix + [k])

    emit(data, [])
    return "\n".join(lines).rstrip() + "\n"


# --- camelCase as the v2 loader sees it -------------------------------------------------------


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def to_oracle(case_id: str, data: dict, env: dict) -> dict:
    models = {}
    for alias, m in data.get("models", {}).items():
        rec = {}
        for k, v in m.items():
            if k == "overrides":
                rec["overrides"] = {_camel(ok): ov for ok, ov in v.items()}
            elif k in ("provider", "model", "name", "protocol", "max_context_size", "max_input_size",
                       "max_output_size", "capabilities", "display_name", "base_url", "provider_id"):
                rec[_camel(k)] = v
        models[alias] = rec
    providers = {name: {_camel(k): v for k, v in p.items() if k in ("type", "base_url", "api_key")}
                 for name, p in data.get("providers", {}).items()}
    loop = {_camel(k): v for k, v in data.get("loop_control", {}).items()
            if k in ("reserved_context_size", "compaction_trigger_ratio")}
    out = {"id": case_id, "providers": providers, "models": models, "loopControl": loop, "env": env}
    if "default_model" in data:
        out["defaultModel"] = data["default_model"]
    return out


# --- drawing ----------------------------------------------------------------------------------


class _Draw:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def window(self) -> int:
        r = self.r.random()
        if r < 0.6:
            return self.r.choice(WINDOWS)
        if r < 0.95:
            return self.r.randint(8_000, 2_000_000)
        return self.r.choice([1, 2, 100, 1_000, 4_096, 7_999])  # below the 8k norm, still valid (>= 1)

    def ratio(self) -> float:
        r = self.r.random()
        if r < 0.55:
            return self.r.choice(RATIOS)
        if r < 0.8:
            return round(self.r.uniform(0.5, 0.99), 2)
        return self.r.uniform(0.5, 0.99)  # full double: ratio x window is almost never an integer

    def reserved(self, window: int) -> int:
        r = self.r.random()
        if r < 0.25:
            return self.r.choice([0, 1, 1_000, 32_000, 50_000, 65_536, 131_072, 200_000])
        if r < 0.55:
            return max(0, window + self.r.choice([-1, 0, 1, -50_000, 50_000, -131_072, -(window // 2)]))
        if r < 0.85:
            return self.r.randint(0, window)
        return self.r.randint(window, 3 * window + 10)

    def output(self, window: int) -> int:
        r = self.r.random()
        if r < 0.55:
            return self.r.choice(OUTPUTS)
        if r < 0.75:
            return max(1, window + self.r.choice([-1, 0, 1, window]))
        return self.r.randint(1, 2 * window + 1)

    def input_size(self, window: int) -> int:
        return max(1, self.r.choice([window, window - 1, window + 1, window // 2, 1, 2 * window,
                                     self.r.randint(1, window)]))

    def model_id(self, ptype: str | None) -> str:
        pool = MODEL_IDS.get(ptype or "", None) or MODEL_IDS["openai"]
        return self.r.choice(pool)

    def env_cap(self) -> str:
        if self.r.random() < 0.5:
            return self.r.choice(ENV_CAPS)
        return str(self.r.choice([self.r.randint(1, 300_000), self.r.randint(-5, 5)]))


def _provider_table(name: str, ptype: str | None) -> dict:
    table: dict = {}
    if ptype is not None:
        table["type"] = ptype
    table["base_url"] = {
        "kimi": "https://api.moonshot.ai/v1", "openai": "https://api.example.com/v1",
        "anthropic": "https://api.anthropic.com", "google-genai": "https://generativelanguage.googleapis.com",
        "openai_responses": "https://api.openai.com/v1", "vertexai": "https://aiplatform.googleapis.com",
    }.get(ptype or "", "https://llm.example.net/v1")
    table["api_key"] = "sk-test"
    return table


def _random_case(d: _Draw, idx: int) -> tuple[dict, dict, list[str]]:
    r = d.r
    tags: list[str] = []
    data: dict = {}
    providers: dict = {}
    models: dict = {}
    n_models = 1 if r.random() < 0.82 else 2
    for k in range(n_models):
        roll = r.random()
        protocol = None
        if roll < 0.90:
            ptype = r.choices(PROVIDER_TYPES, weights=[26, 22, 24, 10, 10, 4])[0]
        elif roll < 0.95:
            ptype = r.choice(["kimi", "openai", "vertexai"])
            protocol = r.choice(PROTOCOLS)
            tags.append(f"protocol:{ptype}->{protocol}")
        else:
            ptype = r.choice(UNROUTABLE_TYPES)
            tags.append("unroutable-type")
        pname = f"p{k}" if r.random() < 0.7 else f"prov.{ptype or 'none'}-{k}"
        providers[pname] = _provider_table(pname, ptype)
        window = d.window()
        m: dict = {"provider": pname, "model": d.model_id(protocol or ptype), "max_context_size": window}
        if protocol:
            m["protocol"] = protocol
        if (protocol or ptype) == "anthropic" and r.random() < 0.12:
            m["name"] = r.choice(MODEL_IDS["anthropic"])
            tags.append("wire-name")
        if r.random() < 0.55:
            m["max_output_size"] = d.output(window)
        if r.random() < 0.18:
            m["max_input_size"] = d.input_size(window)
            tags.append("max_input_size")
        if r.random() < 0.4:
            m["capabilities"] = r.sample(CAPABILITIES, r.randint(1, 3))
        if r.random() < 0.08:
            ov: dict = {}
            for key in r.sample(["max_context_size", "max_output_size", "max_input_size"], r.randint(1, 2)):
                ov[key] = d.window() if key == "max_context_size" else d.output(window) if key == "max_output_size" \
                    else d.input_size(window)
            m["overrides"] = ov
            tags.append("overrides")
        alias = r.choice([f"m{k}", f"{pname}/{m['model']}", f"alias-{k}"])
        models[alias] = m
    data["default_model"] = next(iter(models))
    data["providers"] = providers
    data["models"] = models
    loop: dict = {}
    window0 = next(iter(models.values()))["max_context_size"]
    if r.random() < 0.7:
        loop["reserved_context_size"] = d.reserved(window0)
    if r.random() < 0.65:
        loop["compaction_trigger_ratio"] = d.ratio()
    if r.random() < 0.1:
        loop["max_steps_per_turn"] = r.randint(0, 500)
    if loop:
        data["loop_control"] = loop
    env: dict = {}
    if r.random() < 0.3:
        name = r.choice(["KIMI_MODEL_MAX_COMPLETION_TOKENS", "KIMI_MODEL_MAX_TOKENS", "both"])
        if name == "both":
            env["KIMI_MODEL_MAX_COMPLETION_TOKENS"] = d.env_cap()
            env["KIMI_MODEL_MAX_TOKENS"] = d.env_cap()
        else:
            env[name] = d.env_cap()
        tags.append("env-cap")
    if r.random() < 0.08:
        env["KIMI_MODEL_NAME"] = r.choice(["kimi-k3", "my-model", "gpt-5", "claude-opus-4-6", " padded-name "])
        if r.random() < 0.7:
            env["KIMI_MODEL_MAX_CONTEXT_SIZE"] = r.choice([str(d.window()), " 131072 ", "0", "abc", "-5", "1e6", ""])
        if r.random() < 0.4:
            env["KIMI_MODEL_MAX_OUTPUT_SIZE"] = r.choice([str(d.output(200_000)), "0", "x", " 8192 "])
        if r.random() < 0.4:
            env["KIMI_MODEL_PROVIDER_TYPE"] = r.choice(["kimi", "openai", "anthropic", "openai_responses", "nope"])
        tags.append("env-model")
    if r.random() < 0.03:
        env["KIMI_CODE_LEGACY_FLAG"] = "1"
        tags.append("legacy-flag")
    return data, env, tags


def _one(ptype, model_id, window, *, out=None, inp=None, reserved=None, ratio=None, env=None, protocol=None,
         name=None, overrides=None, tag="edge"):
    m: dict = {"provider": "p", "model": model_id, "max_context_size": window}
    if protocol:
        m["protocol"] = protocol
    if name:
        m["name"] = name
    if out is not None:
        m["max_output_size"] = out
    if inp is not None:
        m["max_input_size"] = inp
    if overrides:
        m["overrides"] = overrides
    data = {"default_model": "m", "providers": {"p": _provider_table("p", ptype)}, "models": {"m": m}}
    loop = {}
    if reserved is not None:
        loop["reserved_context_size"] = reserved
    if ratio is not None:
        loop["compaction_trigger_ratio"] = ratio
    if loop:
        data["loop_control"] = loop
    return data, dict(env or {}), [tag]


def _edge_cases() -> list[tuple[dict, dict, list[str]]]:
    e = []
    # Trigger arithmetic: reserve boundaries, non-integer ratio x window, reserve >= window.
    for w in (8_000, 32_768, 100_000, 262_144, 1_048_576, 2_000_000):
        for res in (0, 1, w - 1, w, w + 1, w // 2, 50_000):
            if res < 0:
                continue
            for ratio in (None, 0.5, 0.85, 0.99, 0.57):
                if len(e) % 3 == 0 or ratio in (None, 0.85):
                    e.append(_one("kimi", "kimi-k3", w, reserved=res, ratio=ratio, tag="edge:trigger"))
    # ratio*window exactly on / just off an integer in double arithmetic
    for w, ratio in ((100, 0.57), (1_000, 0.57), (32_768, 0.85), (262_144, 0.8), (1_000_000, 0.99),
                     (200_000, 0.85), (131_072, 0.75), (3, 0.5), (1, 0.99), (999_999, 0.5 + 1e-9)):
        e.append(_one("openai", "gpt-5", w, ratio=ratio, reserved=0, tag="edge:ratio-double"))
    # max_input_size vs window (clamp), the compaction default min(window, 131072)
    for w in (131_071, 131_072, 131_073, 200_000):
        for inp in (None, w - 1, w, w + 1, 1):
            e.append(_one("kimi", "kimi-k3", w, inp=inp, tag="edge:input-size"))
    # max_output_size around the window and the openai ceiling
    for ptype, mid in (("openai", "gpt-4.1"), ("openai", "o3"), ("kimi", "kimi-k3"), ("openai_responses", "gpt-5"),
                       ("google-genai", "gemini-2.5-pro")):
        for out in (None, 1, 131_071, 131_072, 131_073, 199_999, 200_000, 200_001, 400_000):
            e.append(_one(ptype, mid, 200_000, out=out, tag="edge:output-size"))
    # Anthropic: family table, unknown ids, max_output_size above the family ceiling, wire `name`
    for mid in ("claude-opus-4-1-20250805", "claude-3-opus-20240229", "claude-sonnet-4-5", "claude-3-7-sonnet-latest",
                "claude-opus-4-6", "anthropic.claude-opus-4-6-v1", "opus-4-6", "glm-4.6", "claude-next",
                "Claude-Haiku-3-5", "claude-opus-4-10"):
        for out in (None, 4_096, 50_000, 300_000):
            e.append(_one("anthropic", mid, 1_000_000, out=out, tag="edge:anthropic"))
    e.append(_one("anthropic", "my-claude", 200_000, name="claude-opus-4-1", tag="edge:anthropic-name"))
    e.append(_one("anthropic", "claude-opus-4-1", 200_000, name="glm-4.6", tag="edge:anthropic-name"))
    # Env cap parsing (normal and compaction paths)
    for raw in ENV_CAPS:
        for ptype, mid in (("kimi", "kimi-k3"), ("openai", "gpt-4.1"), ("anthropic", "claude-opus-4-6")):
            e.append(_one(ptype, mid, 262_144, out=65_536 if ptype == "anthropic" else None,
                          env={"KIMI_MODEL_MAX_COMPLETION_TOKENS": raw}, tag="edge:env-cap"))
    for a, b in (("abc", "4096"), ("", "8192"), ("0", "4096"), ("4096", "0"), ("1e5", "9")):
        e.append(_one("kimi", "kimi-k3", 262_144,
                      env={"KIMI_MODEL_MAX_COMPLETION_TOKENS": a, "KIMI_MODEL_MAX_TOKENS": b}, tag="edge:env-cap-fallthrough"))
    # Env-synthesised model
    for ctx in (None, "131072", " 65536 ", "0", "abc", "1e6"):
        for ptype in (None, "openai", "anthropic"):
            env = {"KIMI_MODEL_NAME": "claude-opus-4-6" if ptype == "anthropic" else "my-model"}
            if ctx is not None:
                env["KIMI_MODEL_MAX_CONTEXT_SIZE"] = ctx
            if ptype is not None:
                env["KIMI_MODEL_PROVIDER_TYPE"] = ptype
            e.append(_one("kimi", "kimi-k3", 262_144, env=env, tag="edge:env-model"))
    # Routes Kimi Code 2.1.0 cannot use, and protocol overrides of the provider type
    for ptype in ("vertexai", "openai_legacy", "gemini", "nope", None):
        e.append(_one(ptype, "gemini-2.5-pro", 1_048_576, out=65_536, tag="edge:unroutable"))
    for ptype, protocol, mid in (("vertexai", "google-genai", "gemini-2.5-pro"), ("kimi", "openai", "kimi-k3"),
                                 ("kimi", "anthropic", "kimi-k3"), ("kimi", "openai_responses", "kimi-k3"),
                                 ("openai", "anthropic", "claude-opus-4-1"), ("anthropic", "openai", "gpt-4.1")):
        for out in (None, 300_000):
            e.append(_one(ptype, mid, 1_000_000, out=out, protocol=protocol, tag="edge:protocol"))
    # Overrides win at runtime
    e.append(_one("openai", "gpt-4.1", 1_000_000, out=200_000, overrides={"max_output_size": 8_192}, tag="edge:overrides"))
    e.append(_one("kimi", "kimi-k3", 1_000_000, overrides={"max_context_size": 262_144}, tag="edge:overrides"))
    e.append(_one("kimi", "kimi-k3", 262_144, inp=200_000, overrides={"max_input_size": 300_000}, tag="edge:overrides"))
    # KIMI_CODE_LEGACY_FLAG (2.1.0 ships only the v2 engine)
    e.append(_one("anthropic", "claude-opus-4-6", 1_000_000, ratio=0.6, env={"KIMI_CODE_LEGACY_FLAG": "1"}, tag="edge:legacy-flag"))
    e.append(_one("openai_responses", "gpt-5", 400_000, ratio=0.7, env={"KIMI_CODE_LEGACY_FLAG": "1"}, tag="edge:legacy-flag"))
    return e


def generate(n: int = 1000, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    draw = _Draw(rng)
    raw = _edge_cases()
    rng.shuffle(raw)
    raw = raw[: n // 3]  # a third edge cases, the rest random
    while len(raw) < n:
        raw.append(_random_case(draw, len(raw)))
    cases = []
    for i, (data, env, tags) in enumerate(raw):
        case_id = f"kimi-code-{i + 1:04d}"
        text = to_toml(data)
        if tomllib.loads(text) != data:  # the TOML must say exactly what the oracle is told
            raise AssertionError(f"{case_id}: TOML round trip differs")
        cases.append({"id": case_id, "tags": tags, "data": data, "env": env, "toml": text,
                      "oracle": to_oracle(case_id, data, env)})
    return cases

