"""Varied Hermes `config.yaml` files for the fidelity run (tools/fidelity/hermes.py), from a seed.

Adapted from the generator of ../shared/oracles/hermes_compare.py: providers and model ids from Hermes's family
table, models.dev and unknown ids; windows 8,192..2,000,000 and odd spellings of them; output caps absent, present,
above the window and odd; every compression setting (threshold below/above 1, as a string, enabled as YAML words,
target_ratio, the later keys no wheel reads); auxiliary summary models; custom providers; HERMES_MAX_TOKENS and its
odd spellings; plus exact boundaries of each release's trigger formula (harness-hermes.md 5.7, 6.1).
Each case: {"id", "data" (the parsed YAML), "yaml", "env", "tags"}; tags[0] names the case's class.
"""

from __future__ import annotations

import json
import random
import re

import yaml

PROVIDERS = {  # provider -> model ids (a mix of Hermes's family table, models.dev ids and unknown ids)
    None: ["claude-sonnet-4-5", "gpt-4.1", "anthropic/claude-opus-4.6", "google/gemini-2.5-pro", "qwen3-coder",
           "deepseek-chat", "my-private-model", "gpt-5.5", "kimi-k2-0905", "llama-3.3-70b-instruct"],
    "auto": ["anthropic/claude-sonnet-4", "openai/gpt-5", "x-ai/grok-4", "z-ai/glm-4.6", "mistral-large"],
    "openrouter": ["anthropic/claude-opus-4.6", "openai/gpt-5", "google/gemini-2.5-flash", "qwen/qwen3-coder",
                   "moonshotai/kimi-k2", "meta-llama/llama-3.1-8b-instruct", "deepseek/deepseek-chat-v3.1",
                   "openrouter/unknown-model"],
    "anthropic": ["claude-opus-4-6", "claude-sonnet-4-5-20250929", "claude-opus-4-1", "claude-3-5-haiku-latest",
                  "claude-haiku-4-5", "claude-sonnet-4", "claude-fable-5", "claude-3-opus-20240229", "claude-sonnet-4.6",
                  "claude-next-preview"],
    "gemini": ["gemini-2.5-pro", "gemini-2.5-flash", "gemini-3-pro-preview", "gemma-3-27b-it"],
    "google": ["gemini-2.5-pro"],
    "deepseek": ["deepseek-chat", "deepseek-reasoner", "deepseek-v4-pro"],
    "zai": ["glm-4.6", "glm-5.2", "glm-4.5-air"],
    "kimi-coding": ["kimi-k3", "kimi-for-coding", "kimi-k2-turbo-preview"],
    "kimi": ["kimi-k2-0905-preview"],
    "minimax": ["MiniMax-M2", "minimax-m3"],
    "xai": ["grok-4", "grok-4-fast", "grok-code-fast-1", "grok-3-mini"],
    "nvidia": ["nvidia/llama-3.3-nemotron-super-49b-v1", "deepseek-ai/deepseek-v4-pro"],
    "huggingface": ["Qwen/Qwen3.5-397B-A17B", "moonshotai/Kimi-K2.6", "zai-org/GLM-5"],
    "alibaba": ["qwen3-max", "qwen3-coder-plus", "qwen-plus"],
    "openai-codex": ["gpt-5.5", "gpt-5.4-mini", "gpt-5.3-codex-spark", "gpt-5.5-900k", "gpt-5.1-codex"],
    "nous": ["Hermes-4-405B", "moonshotai/kimi-k2"],
    "lmstudio": ["qwen2.5-coder-7b-instruct"],
    "custom": ["llama3.1:8b", "qwen3-coder:30b", "my-model", "claude-opus-4-6", "gemini-2.5-pro"],
    "my-gateway": ["gpt-4.1"],
}
PROVIDER_WEIGHTS = [8, 4, 10, 12, 5, 1, 4, 3, 4, 1, 3, 3, 2, 2, 2, 5, 2, 2, 7, 1]
CUSTOM_URLS = ["http://localhost:11434/v1", "http://127.0.0.1:1234/v1", "https://llm.example.com/v1",
               "https://generativelanguage.googleapis.com/v1beta", "https://api.anthropic.com",
               "https://openrouter.ai/api/v1", "http://10.0.0.5:8000/v1"]
CONTEXT_LENGTHS = [8_192, 32_768, 63_999, 64_000, 65_536, 100_000, 128_000, 131_072, 200_000, 262_144, 400_000,
                   500_000, 511_999, 512_000, 1_000_000, 1_048_576, 2_000_000]
CONTEXT_ODD = ["256K", "128000", " 200000 ", 0, -1, True, 131072.7, "1e6", None]
MAX_TOKENS = [1_024, 4_096, 8_192, 16_384, 32_000, 64_000, 65_536, 100_000, 131_072, 200_000, 1_000_000]
MAX_TOKENS_ODD = [0, -5, "8192", True, 4096.5, "abc", None]
ENV_MAX_TOKENS = ["16384", "0", "-5", "abc", " 4096 ", "", "65536", "1e4", "200000", "+8192", "1_000", "0x1000",
                  "8192.0"]
THRESHOLDS = [0.5, 0.3, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99, 1.0, 1.2, 1.5, 75, 50, 0, -0.2, 0.01, 0.001,
              "0.6", True, 0.749999, 0.75000001, 0.5000001]
ENABLED = [True, False, "false", "no", 0, 1, "off", None, "yes", "TRUE"]
TARGET_RATIOS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 0.9, "0.25"]


def _yaml_scalar(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        text = repr(v)
        if "e" in text and "." not in text.split("e")[0]:  # PyYAML (YAML 1.1) needs a dot to read a float
            mant, exp = text.split("e")
            text = f"{mant}.0e{exp}"
        return text
    return json.dumps(v)  # strings always quoted: "no", "off", "0.6" stay strings


def to_yaml(data, indent: int = 0) -> str:
    pad = "  " * indent
    lines = []
    if isinstance(data, dict):
        for k, v in data.items():
            key = k if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", str(k)) else json.dumps(str(k))
            if isinstance(v, (dict, list)) and v:
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(v, indent + 1))
            elif isinstance(v, dict):
                lines.append(f"{pad}{key}: {{}}")
            elif isinstance(v, list):
                lines.append(f"{pad}{key}: []")
            else:
                lines.append(f"{pad}{key}: {_yaml_scalar(v)}")
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict):
                body = to_yaml(item, indent + 1).splitlines()
                lines.append(f"{pad}- {body[0].strip()}")
                lines.extend(body[1:])
            else:
                lines.append(f"{pad}- {_yaml_scalar(item)}")
    return "\n".join(lines)


def _pick(r: random.Random, common: list, odd: list, p_odd: float):
    return r.choice(odd) if r.random() < p_odd else r.choice(common)


def _random_config(r: random.Random) -> tuple[dict, dict, list[str]]:
    tags: list[str] = []
    provider = r.choices(list(PROVIDERS), weights=PROVIDER_WEIGHTS)[0]
    model_id = r.choice(PROVIDERS[provider])
    cfg: dict = {}
    if provider is None and r.random() < 0.5:
        cfg["model"] = model_id
        tags.append("model-string")
    else:
        m: dict = {"default" if r.random() < 0.85 else "model": model_id}
        if provider is not None:
            m["provider"] = provider
        if provider in ("custom", "lmstudio") or (provider is None and r.random() < 0.15):
            m["base_url"] = r.choice(CUSTOM_URLS) if provider != "lmstudio" else "http://127.0.0.1:1234/v1"
        if r.random() < 0.55:
            m["context_length"] = _pick(r, CONTEXT_LENGTHS, CONTEXT_ODD, 0.15)
            if not isinstance(m["context_length"], int) or isinstance(m["context_length"], bool):
                tags.append("context_length-odd")
        if r.random() < 0.4:
            m["max_tokens"] = _pick(r, MAX_TOKENS, MAX_TOKENS_ODD, 0.2)
            tags.append("max_tokens")
        cfg["model"] = m
    comp: dict = {}
    if r.random() < 0.65:
        comp["threshold"] = r.choice(THRESHOLDS)
    if r.random() < 0.15:
        comp["enabled"] = r.choice(ENABLED)
        tags.append("enabled")
    if r.random() < 0.35:
        comp["target_ratio"] = r.choice(TARGET_RATIOS)
    if r.random() < 0.1:
        comp["threshold_tokens"] = r.choice([256_000, 100_000, 50_000, 2_000_000, 0, 70_000])
        tags.append("threshold_tokens")
    if r.random() < 0.08:
        key = r.choice([model_id.split("/")[-1][:6], "claude", "gpt-5", f"{provider or 'openrouter'}:{model_id[:4]}"])
        comp["model_thresholds"] = {key: r.choice([0.6, 0.9, 0.3, 75])}
        tags.append("model_thresholds")
    if r.random() < 0.12:
        comp["tail_mode"] = r.choice(["lean", "legacy"])
        tags.append("tail_mode")
    if provider == "openai-codex" and r.random() < 0.4:
        comp["codex_gpt55_autoraise"] = r.choice([False, "false", True])
    if r.random() < 0.04:
        comp["summary_model"] = "google/gemini-2.5-flash"
    if comp:
        cfg["compression"] = comp
    if r.random() < 0.2:
        aux: dict = {"provider": r.choice(["auto", "openrouter", "gemini"]),
                     "model": r.choice(["", "google/gemini-2.5-flash", "gpt-4.1-mini"])}
        if r.random() < 0.6:
            aux["context_length"] = r.choice([32_000, 128_000, 1_048_576, "200000", "64K"])
        cfg["auxiliary"] = {"compression": aux}
        tags.append("aux")
    if r.random() < 0.12 and isinstance(cfg.get("model"), dict):
        url = cfg["model"].get("base_url") or r.choice(CUSTOM_URLS)
        cp: dict = {"name": "mine", "base_url": url}
        if r.random() < 0.7:
            cp["models"] = {model_id: {"context_length": r.choice(CONTEXT_LENGTHS + ["128K"])}}
        if r.random() < 0.3:
            cp["max_output_tokens"] = r.choice([8_192, 32_768])
        cfg["custom_providers"] = [cp]
        tags.append("custom_providers")
    if r.random() < 0.03:
        cfg["context"] = {"engine": "lcm"}
        tags.append("engine")
    env: dict = {}
    if r.random() < 0.12:
        env["HERMES_MAX_TOKENS"] = r.choice(ENV_MAX_TOKENS)
        tags.append("env")
    tags.insert(0, f"provider:{provider}")
    return cfg, env, tags


def _edge_configs() -> list[tuple[dict, dict, list[str]]]:
    """Worked examples of harness-hermes.md 5.7 and exact boundaries of each release's formula."""
    e = []
    for ctx in (64_000, 65_536, 80_000, 85_333, 100_000, 128_000, 200_000, 262_144, 511_999, 512_000, 1_000_000):
        for pct in (None, 0.5, 0.75, 0.99, 1.5):
            for mt in (None, 65_536):
                m = {"default": "my-model", "provider": "custom", "base_url": "https://llm.example.com/v1",
                     "context_length": ctx}
                if mt:
                    m["max_tokens"] = mt
                cfg = {"model": m}
                if pct is not None:
                    cfg["compression"] = {"threshold": pct}
                e.append((cfg, {}, ["edge:formula"]))
    for env in ("16384", "0", "abc", ""):
        e.append(({"model": {"default": "claude-opus-4-6", "provider": "anthropic", "context_length": 200_000,
                             "max_tokens": 32_000}}, {"HERMES_MAX_TOKENS": env}, ["edge:env"]))
    return e


def generate(n: int, seed: int) -> list[dict]:
    """N cases: a fifth from the edge configurations (shuffled), the rest random; ids `hermes-0001`..."""
    r = random.Random(seed)
    raw = _edge_configs()
    r.shuffle(raw)
    raw = raw[: n // 5]
    while len(raw) < n:
        raw.append(_random_config(r))
    cases = []
    for i, (cfg, env, tags) in enumerate(raw, 1):
        text = to_yaml(cfg) + "\n"
        if yaml.safe_load(text) != cfg:
            raise AssertionError(f"case {i}: YAML round trip differs")
        cases.append({"id": f"hermes-{i:04d}", "data": cfg, "yaml": text, "env": env, "tags": tags})
    return cases
