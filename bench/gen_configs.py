"""Generate N realistic agent configs laid out the way the harnesses name them (stdlib only).

    python bench/gen_configs.py DIR [--count 1000] [--seed 1]

Project i gets one config, `pNNNN/<harness path>`:

    p0001/kilo.jsonc                 Kilo (JSONC: comments, trailing commas)
    p0002/.kimi-code/config.toml     Kimi Code
    p0003/.claude/settings.json      Claude Code
    p0004/.hermes/config.yaml        Hermes Agent
    p0005/.kimi/config.toml          legacy kimi-cli
    p0006/opencode.json              Kilo / opencode (strict JSON)

The content varies models, providers, windows and compaction settings drawn from the
registry's real entries; about one file in eight carries a mistake of the kind the
examples/ show (a bound out of range, a misspelt key, a dangling model reference), so the
run exercises the finding and formatting paths too, as in real repositories.
The output is deterministic for a given seed. Returns the list of relative paths.
"""

from __future__ import annotations

import argparse
import json
import os
import random

# The dialect cycle: Kilo and Kimi Code are the most common in the wild, then Claude Code.
CYCLE = ("kilo", "kimi-code", "claude-code", "hermes", "kilo", "kimi-code", "kimi-cli", "opencode")

PATHS = {
    "kilo": "kilo.jsonc",
    "opencode": "opencode.json",
    "kimi-code": ".kimi-code/config.toml",
    "kimi-cli": ".kimi/config.toml",
    "claude-code": ".claude/settings.json",
    "hermes": ".hermes/config.yaml",
}

KILO_MODELS = [
    "anthropic/claude-sonnet-4-5", "anthropic/claude-haiku-4-5", "anthropic/claude-opus-4-1",
    "openai/gpt-4.1", "openai/gpt-4o", "deepseek/deepseek-chat", "google/gemini-2.5-pro",
    "moonshotai/kimi-k2.5", "zhipuai/glm-4.6",
]
CUSTOM = [  # (provider id, base URL, model, context, output)
    ("zhipu", "https://open.bigmodel.cn/api/paas/v4", "glm-5.2", 1000000, 131072),
    ("zhipu", "https://open.bigmodel.cn/api/paas/v4", "glm-4.5-flash", 128000, 32000),
    ("moonshot", "https://api.moonshot.ai/v1", "kimi-k2-0905-preview", 262144, 32768),
    ("deepseek", "https://api.deepseek.com/v1", "deepseek-chat", 131072, 8192),
]
KIMI_MODELS = [  # (alias, provider, provider type, base URL, model, context, output)
    ("kimi-k2", "moonshot", "kimi", "https://api.moonshot.ai/v1", "kimi-k2-0905-preview", 262144, 32768),
    ("kimi-k2.5", "moonshot", "kimi", "https://api.moonshot.ai/v1", "kimi-k2.5", 262144, 32768),
    ("zhipu/glm-5.2", "zhipu", "openai", "https://open.bigmodel.cn/api/paas/v4", "glm-5.2", 1000000, 131072),
    ("sonnet", "anthropic", "anthropic", "https://api.anthropic.com", "claude-sonnet-4-5", 200000, 64000),
    ("deepseek", "deepseek", "openai", "https://api.deepseek.com/v1", "deepseek-chat", 131072, 8192),
]
CLAUDE_MODELS = ["claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5", "sonnet", "opus"]
HERMES_MODELS = [  # (model, provider, context)
    ("claude-sonnet-4-5", "anthropic", 200000), ("gpt-4.1", "openai", 1047576),
    ("deepseek-chat", "deepseek", 131072), ("kimi-k2.5", "moonshot", 262144),
    ("gemini-2.5-pro", "gemini", 1048576),
]


def _kilo(rng: random.Random, i: int, jsonc: bool, mistake: bool) -> str:
    lines = ["{", '  "$schema": "https://app.kilo.ai/config.json",']
    if jsonc:
        lines.append(f"  // project {i}: team defaults, reviewed by the platform group")
    provider_block: list[str] = []
    if rng.random() < 0.45:
        pid, url, model, ctx, out = rng.choice(CUSTOM)
        main = f"{pid}/{model}"
        provider_block = [
            '  "provider": {',
            f'    "{pid}": {{',
            '      "npm": "@ai-sdk/openai-compatible",',
            f'      "name": "{pid.title()}",',
            '      "options": {',
            f'        "baseURL": "{url}",',
            f'        "apiKey": "{{env:{pid.upper()}_API_KEY}}"' + ("," if jsonc else ""),
            "      },",
            '      "models": {',
            f'        "{model}": {{ "name": "{model.upper()}", "limit": {{ "context": {ctx}, "output": {out} }} }}'
            + ("," if jsonc else ""),
            "      }" + ("," if jsonc else ""),
            "    }" + ("," if jsonc else ""),
            "  },",
        ]
    else:
        main = rng.choice(KILO_MODELS)
    if mistake:
        kind = rng.randrange(3)
        if kind == 0:
            main = main.split("/", 1)[1]  # SCH004: not provider/model
        lines.append(f'  "model": "{main}",')
        lines.append(f'  "small_model": "{rng.choice(KILO_MODELS)}",')
        if kind == 1:
            lines.append('  "compation": { "auto": true },')  # SCH002
        pct = 150 if kind == 2 else rng.choice([70, 75, 80, 85, 90])
    else:
        lines.append(f'  "model": "{main}",')
        lines.append(f'  "small_model": "{rng.choice(KILO_MODELS)}",')
        pct = rng.choice([70, 75, 80, 85, 90])
    lines.append('  "compaction": {')
    lines.append(f'    "auto": {"true" if rng.random() < 0.9 else "false"},')
    lines.append(f'    "threshold_percent": {pct}' + ("," if jsonc else ""))
    lines.append("  },")
    lines.extend(provider_block)
    if rng.random() < 0.5:
        lines.append('  "instructions": ["CONTRIBUTING.md", "docs/style.md"],')
    if rng.random() < 0.4:
        lines.append('  "permission": { "edit": "ask", "bash": "ask" },')
    lines.append(f'  "autoupdate": {"true" if rng.random() < 0.5 else "false"}' + ("," if jsonc else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _kimi_code(rng: random.Random, i: int, mistake: bool) -> str:
    chosen = rng.sample(KIMI_MODELS, rng.randint(1, 3))
    default = chosen[0][0]
    if mistake and rng.random() < 0.5:
        default = "k3"  # SCH004: dangling default_model
    out = [f"# Kimi Code config of project {i}.", f'default_model = "{default}"', ""]
    seen = set()
    for alias, prov, ptype, url, _model, _ctx, _o in chosen:
        if prov in seen:
            continue
        seen.add(prov)
        out += [f"[providers.{prov}]", f'type = "{ptype}"', f'base_url = "{url}"', 'api_key = ""', ""]
    for alias, prov, _t, _u, model, ctx, o in chosen:
        out += [f'[models."{alias}"]', f'provider = "{prov}"', f'model = "{model}"',
                f"max_context_size = {ctx}"]
        if rng.random() < 0.6:
            out.append(f"max_output_size = {o}")
        if rng.random() < 0.3:
            out.append('capabilities = [ "thinking" ]')
        out.append("")
    ratio = 1.5 if mistake else rng.choice([0.8, 0.85, 0.9, 0.95])
    out += ["[loop_control]", f"reserved_context_size = {rng.choice([30000, 50000, 80000])}",
            f"compaction_trigger_ratio = {ratio}"]
    return "\n".join(out) + "\n"


def _kimi_cli(rng: random.Random, i: int, mistake: bool) -> str:
    alias, prov, ptype, url, model, ctx, _o = rng.choice(KIMI_MODELS[:2] + KIMI_MODELS[4:])
    reserved = 500 if mistake else rng.choice([30000, 50000])
    return (
        f"# legacy kimi-cli config of project {i}.\n"
        f'default_model = "{alias}"\n\n'
        f"[providers.{prov}]\ntype = \"{ptype}\"\nbase_url = \"{url}\"\napi_key = \"\"\n\n"
        f'[models."{alias}"]\nprovider = "{prov}"\nmodel = "{model}"\nmax_context_size = {ctx}\n\n'
        f"[loop_control]\nreserved_context_size = {reserved}\ncompaction_trigger_ratio = 0.85\n"
    )


def _claude(rng: random.Random, i: int, mistake: bool) -> str:
    doc: dict = {"$schema": "https://json.schemastore.org/claude-code-settings.json",
                 "model": rng.choice(CLAUDE_MODELS)}
    env = {}
    if rng.random() < 0.6:
        env["CLAUDE_CODE_MAX_OUTPUT_TOKENS"] = str(rng.choice([16000, 32000, 64000]))
    if rng.random() < 0.4:
        env["CLAUDE_AUTOCOMPACT_PCT_OVERRIDE"] = str(rng.choice([70, 80, 90]))
    if env:
        doc["env"] = env
    doc["permissions"] = {
        "allow": ["Bash(npm run test:*)", "Bash(git diff:*)", f"Read(./src/pkg{i % 17}/**)"],
        "deny": ["Read(./.env)", "Read(./secrets/**)"],
    }
    if rng.random() < 0.5:
        doc["includeCoAuthoredBy"] = rng.random() < 0.5
    if mistake:
        doc["autoCompactWindow"] = -5  # out of bounds
    elif rng.random() < 0.3:
        doc["autoCompactWindow"] = rng.choice([50000, 100000, 150000])
    return json.dumps(doc, indent=2) + "\n"


def _hermes(rng: random.Random, i: int, mistake: bool) -> str:
    model, prov, ctx = rng.choice(HERMES_MODELS)
    threshold = 75 if mistake else rng.choice([0.5, 0.7, 0.75, 0.8])
    return (
        f"# Hermes Agent config of project {i}.\n"
        f"model:\n  default: {model}\n  provider: {prov}\n  context_length: {ctx}\n"
        f"  max_tokens: {rng.choice([8000, 16000, 32000])}\n\n"
        f"compression:\n  enabled: true\n  threshold: {threshold}\n  target_ratio: 0.2\n\n"
        f"display:\n  theme: {rng.choice(['dark', 'light'])}\n"
    )


def render(dialect: str, rng: random.Random, i: int) -> str:
    mistake = rng.random() < 0.125
    if dialect == "kilo":
        return _kilo(rng, i, True, mistake)
    if dialect == "opencode":
        return _kilo(rng, i, False, mistake)
    if dialect == "kimi-code":
        return _kimi_code(rng, i, mistake)
    if dialect == "kimi-cli":
        return _kimi_cli(rng, i, mistake)
    if dialect == "claude-code":
        return _claude(rng, i, mistake)
    return _hermes(rng, i, mistake)


def generate(root: str, count: int = 1000, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    paths = []
    for i in range(1, count + 1):
        dialect = CYCLE[(i - 1) % len(CYCLE)]
        rel = os.path.join(f"p{i:04d}", PATHS[dialect])
        full = os.path.join(root, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(render(dialect, rng, i))
        paths.append(rel)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    paths = generate(args.dir, args.count, args.seed)
    print(f"{len(paths)} configs under {args.dir}")


if __name__ == "__main__":
    main()
