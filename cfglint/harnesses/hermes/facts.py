"""Hermes's constants and version gates, as its own code has them (`harness-hermes.md` sections 5
and 6.1): one place to answer "what changed in Hermes 0.19?".

The keys each release knows come from the wheels themselves (`keys.py`, `data/known_keys.json`,
written by `tools/extract/hermes.py`); this module holds the numbers and switches read by hand
from `hermes-agent`'s source.
"""

from __future__ import annotations

import re

from cfglint.core.versions import Version

# --- version gates (section 6.1: the release mapping of the trigger formula) ---------------------

# The oldest release cfglint maps; an older target is budgeted with the 0.13..0.17 formula.
OLDEST_MAPPED_RELEASE = Version.parse("0.13.0")
# `_compute_threshold_tokens`: the output reservation (`eff = ctx - max_tokens`, for #43547) and the
# 85% rule (PR #49998); before it the legacy "v2" `max(int(ctx * pct), 64_000)`.
COMPUTE_THRESHOLD_FROM = Version.parse("0.18.0")
# `_normalize_root_model_keys` promotes `model.name` to the model id.
MODEL_NAME_FROM = Version.parse("0.18.0")
# The raise-only floor `pct = max(pct, 0.75)` on windows below 512,000.
SMALL_WINDOW_FLOOR_FROM = Version.parse("0.19.0")
# `_SUMMARY_TOKENS_CEILING` 10,000 (12,000 before).
SUMMARY_CEILING_FROM = Version.parse("0.19.0")
# The CLI passes `HERMES_MAX_TOKENS` (`int()`, any sign), else an int `model.max_tokens`, to the
# agent (cli.py HermesCLI.__init__); before it only agent init reads `model.max_tokens`.
CLI_MAX_TOKENS_FROM = Version.parse("0.16.0")
# The native Gemini adapter's 65,535 maxOutputTokens default (nothing is sent before it).
GEMINI_DEFAULT_OUTPUT_FROM = Version.parse("0.16.0")
# The `custom` provider profile's default_max_tokens 65,536 (plugins/model-providers/custom).
CUSTOM_DEFAULT_MAX_TOKENS_FROM = Version.parse("0.17.0")
# chat_completion_helpers.build_api_kwargs sends the Anthropic output table for a Claude/MiniMax/
# Qwen3 id on every chat-completions route; before it only on OpenRouter and Nous.
ANTHROPIC_TABLE_ON_EVERY_ROUTE_FROM = Version.parse("0.18.0")
# The native Gemini default reserved below the trigger (harness-hermes.md 5.3) is in no wheel up
# to 0.19.0: the compressor reserves only agent.max_tokens. None = no release cfglint knows.
GEMINI_RESERVATION_FROM: Version | None = None

# `compression.threshold_tokens` (a cap on the trigger), `compression.model_thresholds` (per-model
# fractions, PR #69339) and `compression.tail_mode` (the "lean" kept tail) arrived after the 0.19.0
# wheel: no supported wheel (0.13.0..0.19.0) reads them, and every one keeps
# `tail_token_budget = int(threshold_tokens × target_ratio)` (errata, `agent/context_compressor.py`).
# The release that first reads them is not known to cfglint: set it here when it is, and the code
# gated on it applies from that release on. None = no release reads them.
FIRST_RELEASE_WITH_LATER_COMPRESSION_KEYS: Version | None = None


def reads_later_compression_keys(version: Version) -> bool:
    """Whether VERSION reads `threshold_tokens`, `model_thresholds` and `tail_mode` (no supported wheel does)."""
    first = FIRST_RELEASE_WITH_LATER_COMPRESSION_KEYS
    return first is not None and version >= first


# --- reading the config --------------------------------------------------------------------------

# agent_init reads a switch as `str(value).lower() in {"true", "1", "yes"}`: everything else turns
# it off, including the words in ON_WORDS_READ_AS_OFF that mean "on".
MEANS_ON = frozenset({"true", "1", "yes"})
ON_WORDS_READ_AS_OFF = frozenset({"on", "y", "enable", "enabled"})


def lm_studio_exempt(version: Version) -> bool:
    """Whether VERSION lets LM Studio run below MINIMUM_CONTEXT_LENGTH (no supported wheel does)."""
    return LM_STUDIO_EXEMPT_FROM is not None and version >= LM_STUDIO_EXEMPT_FROM


def reads_as_on(value: object) -> bool:
    """A switch as Hermes reads it (`compression.enabled`, `codex_gpt55_autoraise`)."""
    return str(value).lower() in MEANS_ON


# gateway/run.py copies every top-level scalar into os.environ; an env-style name is how users
# set gateway variables (TELEGRAM_HOME_CHANNEL) from config.yaml.
ENV_STYLE_KEY = re.compile(r"[A-Z][A-Z0-9_]*")
# `_normalize_root_model_keys`: `api_base` is an alias of `base_url`, the others keep their name.
MODEL_KEY_OF_ROOT = {"api_base": "base_url"}
# Legacy `compression.summary_*` keys and the `auxiliary.compression.*` key Hermes migrates each to.
MIGRATED_SUMMARY_KEYS = {
    "summary_model": "model",
    "summary_provider": "provider",
    "summary_base_url": "base_url",
}
# Read by the CLI as an integer; it wins over `model.max_tokens`.
HERMES_MAX_TOKENS = "HERMES_MAX_TOKENS"

# --- window (`agent/model_metadata.py`) ----------------------------------------------------------

# Agent init refuses a smaller window. The fact sheet's exemption for an explicit
# `model.context_length` on LM Studio (provider `lmstudio`, or a base URL on its port,
# `_enforce_minimum_context`) is in no wheel up to 0.19.0, which refuse every window below it.
# None = no release cfglint knows has the exemption.
MINIMUM_CONTEXT_LENGTH = 64_000
# `_check_compression_model_feasibility` (the summary model's window, also held to the minimum) runs
# in agent init up to 0.14 (a small window refuses the start), lazily before the first compression after.
LAZY_AUX_CHECK_FROM = Version.parse("0.15.0")
LM_STUDIO_EXEMPT_FROM: Version | None = None
LM_STUDIO_PROVIDER = "lmstudio"
LM_STUDIO_PORT = 1234

# `agent/model_metadata.py` DEFAULT_CONTEXT_LENGTHS (0.19.0, all 84 entries): the longest key
# contained in the model id wins, case-insensitive; on equal length the first listed wins.
DEFAULT_CONTEXT_LENGTHS: dict[str, int] = {
    "claude-fable-5": 1_000_000,
    "claude-fable": 1_000_000,
    "claude-sonnet-5": 1_000_000,
    "claude-opus-4-8": 1_000_000,
    "claude-opus-4.8": 1_000_000,
    "claude-opus-4-7": 1_000_000,
    "claude-opus-4.7": 1_000_000,
    "claude-opus-4-6": 1_000_000,
    "claude-sonnet-4-6": 1_000_000,
    "claude-opus-4.6": 1_000_000,
    "claude-sonnet-4.6": 1_000_000,
    "claude": 200_000,
    "gpt-5.6-luna": 1_050_000,
    "gpt-5.6-terra": 1_050_000,
    "gpt-5.6-sol": 1_050_000,
    "gpt-5.5": 1_050_000,
    "gpt-5.4-nano": 400_000,
    "gpt-5.4-mini": 400_000,
    "gpt-5.4": 1_050_000,
    "gpt-5.3-codex-spark": 128_000,
    "gpt-5.1-chat": 128_000,
    "gpt-5": 400_000,
    "gpt-4.1": 1_047_576,
    "gpt-4": 128_000,
    "gemini": 1_048_576,
    "gemma-4": 256_000,
    "gemma4": 256_000,
    "gemma-4-31b": 256_000,
    "gemma-3": 131_072,
    "gemma": 8_192,
    "deepseek-v4-pro": 1_000_000,
    "deepseek-v4-flash": 1_000_000,
    "deepseek-chat": 1_000_000,
    "deepseek-reasoner": 1_000_000,
    "deepseek": 128_000,
    "llama": 131_072,
    "qwen3.6-plus": 1_048_576,
    "qwen3.7-plus": 1_048_576,
    "qwen3-coder-plus": 1_000_000,
    "qwen3-coder": 262_144,
    "qwen3-max": 262_144,
    "qwen": 131_072,
    "minimax-m3": 1_000_000,
    "minimax": 204_800,
    "glm-5.2": 1_048_576,
    "glm": 202_752,
    "grok-composer": 200_000,
    "grok-build-latest": 500_000,
    "grok-build": 256_000,
    "grok-code-fast": 256_000,
    "grok-2-vision": 8_192,
    "grok-4-fast": 2_000_000,
    "grok-4.20": 2_000_000,
    "grok-4.5": 500_000,
    "grok-4.3": 1_000_000,
    "grok-4": 256_000,
    "grok-3": 131_072,
    "grok-2": 131_072,
    "grok": 131_072,
    "kimi-k3": 1_048_576,
    "kimi": 262_144,
    "solar-open2": 262_144,
    "solar-pro3": 131_072,
    "solar-pro2": 65_536,
    "solar-mini": 32_768,
    "hy3-preview": 262_144,
    "hy3": 262_144,
    "nemotron": 131_072,
    "trinity": 262_144,
    "elephant": 262_144,
    "Qwen/Qwen3.5-397B-A17B": 131_072,
    "Qwen/Qwen3.5-35B-A3B": 131_072,
    "deepseek-ai/DeepSeek-V3.2": 65_536,
    "moonshotai/Kimi-K2.5": 262_144,
    "moonshotai/Kimi-K2.6": 262_144,
    "moonshotai/Kimi-K2-Thinking": 262_144,
    "MiniMaxAI/MiniMax-M2.5": 204_800,
    "XiaomiMiMo/MiMo-V2-Flash": 262_144,
    "mimo-v2-pro": 1_048_576,
    "mimo-v2.5-pro": 1_048_576,
    "mimo-v2.5": 1_048_576,
    "mimo-v2-omni": 262_144,
    "mimo-v2-flash": 262_144,
    "zai-org/GLM-5": 202_752,
}
# The family table grew by release (values never changed): keys the 0.19.0 table has and the
# release each first appeared in (read from the 0.13.0..0.19.0 wheels); every other key is in all.
FAMILY_KEYS_FROM: dict[str, Version] = {key: Version.parse(first) for key, first in {
    "grok-4.3": "0.14.0",
    "claude-opus-4-8": "0.15.0", "claude-opus-4.8": "0.15.0", "qwen3.6-plus": "0.15.0", "grok-build": "0.15.0",
    "minimax-m3": "0.16.0",
    "claude-fable-5": "0.17.0", "claude-fable": "0.17.0", "glm-5.2": "0.17.0", "grok-composer": "0.17.0",
    "claude-sonnet-5": "0.19.0", "gpt-5.6-luna": "0.19.0", "gpt-5.6-terra": "0.19.0", "gpt-5.6-sol": "0.19.0",
    "qwen3.7-plus": "0.19.0", "qwen3-max": "0.19.0", "grok-build-latest": "0.19.0", "grok-4.5": "0.19.0",
    "kimi-k3": "0.19.0", "solar-open2": "0.19.0", "solar-pro3": "0.19.0", "solar-pro2": "0.19.0",
    "solar-mini": "0.19.0", "hy3": "0.19.0",
}.items()}
# ... and the one key 0.13.0/0.14.0 had that later releases dropped.
FAMILY_KEYS_BEFORE_0_15 = {"grok-4-1-fast": 2_000_000}
FAMILY_KEY_DROPPED_FROM = Version.parse("0.15.0")


def family_table(version: Version) -> dict[str, int]:
    """DEFAULT_CONTEXT_LENGTHS as release VERSION ships it."""
    table = {key: value for key, value in DEFAULT_CONTEXT_LENGTHS.items()
             if key not in FAMILY_KEYS_FROM or version >= FAMILY_KEYS_FROM[key]}
    return table | FAMILY_KEYS_BEFORE_0_15 if version < FAMILY_KEY_DROPPED_FROM else table


DEFAULT_FALLBACK_CONTEXT = 256_000
# Before it a truly custom endpoint (provider `custom`, a host no provider owns) that does not answer
# `/models` got the 256,000 fallback before the family table was consulted (#15563, #38865).
CUSTOM_ENDPOINT_FAMILY_TABLE_FROM = Version.parse("0.17.0")

# `agent/models_dev.py` PROVIDER_TO_MODELS_DEV (0.19.0): the models.dev catalog Hermes reads a
# runtime provider's window from, by the model id as written (exact, then case-insensitive, then
# with a `:cloud`/`-cloud` suffix; no other spelling rules).
PROVIDER_TO_MODELS_DEV = {
    "openrouter": "openrouter", "novita": "novita-ai", "anthropic": "anthropic", "openai": "openai",
    "openai-codex": "openai", "zai": "zai", "kimi": "kimi-for-coding", "kimi-coding": "kimi-for-coding",
    "moonshot": "kimi-for-coding", "stepfun": "stepfun", "kimi-coding-cn": "kimi-for-coding", "minimax": "minimax",
    "minimax-oauth": "minimax", "minimax-cn": "minimax-cn", "deepseek": "deepseek", "alibaba": "alibaba",
    "qwen-oauth": "alibaba", "copilot": "github-copilot", "opencode-zen": "opencode", "opencode-go": "opencode-go",
    "kilocode": "kilo", "fireworks": "fireworks-ai", "huggingface": "huggingface", "gemini": "google",
    "google": "google", "xai": "xai", "xai-oauth": "xai", "xiaomi": "xiaomi", "nvidia": "nvidia", "groq": "groq",
    "mistral": "mistral", "togetherai": "togetherai", "perplexity": "perplexity", "cohere": "cohere",
    "ollama-cloud": "ollama-cloud",
}
MODELS_DEV_SUFFIXES = ("", ":cloud", "-cloud")

# `agent/model_metadata.py` _CODEX_OAUTH_CONTEXT_FALLBACK: the Codex OAuth window of a slug, the
# longest key contained in the lower-case id (the live catalog is not probed offline). `-900k`
# variants contain `gpt-5.5`/`gpt-5.4`: 272,000 too.
CODEX_PROVIDER = "openai-codex"
CODEX_OAUTH_CONTEXT_FALLBACK: dict[str, int] = {
    "gpt-5.1-codex-max": 272_000,
    "gpt-5.1-codex-mini": 272_000,
    "gpt-5.3-codex": 272_000,
    "gpt-5.3-codex-spark": 128_000,
    "gpt-5.2-codex": 272_000,
    "gpt-5.4-mini": 272_000,
    "gpt-5.6-sol": 272_000,
    "gpt-5.6-terra": 272_000,
    "gpt-5.6-luna": 272_000,
    "gpt-5.5": 272_000,
    "gpt-5.4": 272_000,
    "gpt-5.2": 272_000,
    "gpt-5": 272_000,
}
# `agent/auxiliary_client.py` _compression_threshold_for_model: on Codex OAuth the gpt-5.4/5.5/5.6
# families (`-pro`, `-900k` and dated variants by prefix) raise the threshold to 0.85 unless
# `compression.codex_gpt55_autoraise` is off, gpt-5.3-codex-spark to 0.70; both only raise.
# Arcee Trinity Large Thinking is set to 0.75 on any route, also lowering.
CODEX_FAMILIES = ("gpt-5.4", "gpt-5.5", "gpt-5.6")
CODEX_AUTORAISE_THRESHOLD = 0.85
CODEX_AUTORAISE_FROM = Version.parse("0.17.0")
# 0.17.0..0.18.0 (`_is_codex_gpt55`): only the gpt-5.5 family, and it replaces any threshold (0.95
# too) with 0.85; 0.18.1 adds gpt-5.4/5.6 and spark and only raises (`_resolve_compression_threshold`).
CODEX_GPT55_ONLY_FAMILY = "gpt-5.5"
CODEX_RAISE_ONLY_FROM = Version.parse("0.18.1")
CODEX_SPARK = "gpt-5.3-codex-spark"
CODEX_SPARK_THRESHOLD = 0.70
ARCEE_TRINITY_THINKING = "trinity-large-thinking"
ARCEE_TRINITY_THRESHOLD = 0.75

# --- output --------------------------------------------------------------------------------------

# `agent/anthropic_adapter.py` _ANTHROPIC_OUTPUT_LIMITS: Anthropic Messages requires max_tokens,
# so Hermes sends the longest matching entry (dots read as hyphens), else 128,000.
ANTHROPIC_OUTPUT_LIMITS: dict[str, int] = {
    "claude-fable": 128_000,
    "claude-sonnet-5": 128_000,
    "claude-opus-4-8": 128_000,
    "claude-opus-4-7": 128_000,
    "claude-opus-4-6": 128_000,
    "claude-sonnet-4-6": 64_000,
    "claude-opus-4-5": 64_000,
    "claude-sonnet-4-5": 64_000,
    "claude-haiku-4-5": 64_000,
    "claude-opus-4": 32_000,
    "claude-sonnet-4": 64_000,
    "claude-3-7-sonnet": 128_000,
    "claude-3-5-sonnet": 8_192,
    "claude-3-5-haiku": 8_192,
    "claude-3-opus": 4_096,
    "claude-3-sonnet": 4_096,
    "claude-3-haiku": 4_096,
    "minimax": 131_072,
    "qwen3": 65_536,
}
ANTHROPIC_DEFAULT_OUTPUT_LIMIT = 128_000

# `agent/gemini_native_adapter.py`: maxOutputTokens sent when max_tokens is unset. Only the Gemini
# provider gets the native client: a Google AI Studio URL on `custom` or `auto` speaks
# chat-completions.
GEMINI_DEFAULT_MAX_OUTPUT_TOKENS = 65_535
GEMINI_PROVIDERS = frozenset({"gemini", "google", "google-gemini", "google-ai-studio"})
# Providers whose runtime speaks Anthropic Messages (hermes_cli/auth.py PROVIDER_REGISTRY api_mode).
ANTHROPIC_MESSAGES_PROVIDERS = frozenset({"anthropic", "minimax"})
# `auto` resolves to OpenRouter for a user with an OpenRouter key (Hermes's first choice).
AUTO_PROVIDER = "openrouter"
# Provider aliases (hermes_cli/auth.py `_PROVIDER_ALIASES`, plugins/model-providers/*: `aliases`)
# -> the runtime provider (0.19.0).
PROVIDER_ALIASES = {
    "glm": "zai", "z-ai": "zai", "z.ai": "zai", "zhipu": "zai",
    "google": "gemini", "google-gemini": "gemini", "google-ai-studio": "gemini",
    "x-ai": "xai", "x.ai": "xai", "grok": "xai",
    "x-ai-oauth": "xai-oauth", "grok-oauth": "xai-oauth", "xai-grok-oauth": "xai-oauth",
    "kimi": "kimi-coding", "kimi-for-coding": "kimi-coding", "moonshot": "kimi-coding",
    "kimi-cn": "kimi-coding-cn", "moonshot-cn": "kimi-coding-cn",
    "step": "stepfun", "stepfun-coding-plan": "stepfun", "arcee-ai": "arcee", "arceeai": "arcee",
    "gmi-cloud": "gmi", "gmicloud": "gmi",
    "minimax-china": "minimax-cn", "minimax_cn": "minimax-cn",
    "minimax-portal": "minimax-oauth", "minimax-global": "minimax-oauth", "minimax_oauth": "minimax-oauth",
    "alibaba_coding": "alibaba-coding-plan", "alibaba-coding": "alibaba-coding-plan",
    "alibaba_coding_plan": "alibaba-coding-plan",
    "claude": "anthropic", "claude-code": "anthropic",
    "github": "copilot", "github-copilot": "copilot", "github-models": "copilot", "github-model": "copilot",
    "github-copilot-acp": "copilot-acp", "copilot-acp-agent": "copilot-acp",
    "opencode": "opencode-zen", "zen": "opencode-zen",
    "qwen": "qwen-oauth", "qwen-portal": "qwen-oauth", "qwen-cli": "qwen-oauth",
    "hf": "huggingface", "hugging-face": "huggingface", "huggingface-hub": "huggingface",
    "nvidia-nim": "nvidia",
    "ollama": "custom", "local": "custom", "vllm": "custom", "llamacpp": "custom", "llama.cpp": "custom",
    "llama-cpp": "custom",
}
# hermes_cli/auth.py PROVIDER_REGISTRY (0.19.0) plus the providers resolved outside it: a provider
# name outside these, its aliases and the config's own provider entries stops the CLI ("Provider
# resolver returned an empty base URL"); `openai` is not one (Hermes calls it `openai-api`).
HERMES_PROVIDERS = frozenset({
    "alibaba", "alibaba-coding-plan", "anthropic", "arcee", "azure-foundry", "bedrock", "copilot", "copilot-acp",
    "deep-infra", "deepinfra", "deepinfra-ai", "deepseek", "fireworks", "fireworks-ai", "fw", "gemini", "gmi",
    "huggingface", "kilocode", "kimi-coding", "kimi-coding-cn", "lmstudio", "minimax", "minimax-cn", "minimax-oauth",
    "nous", "novita", "novita-ai", "novitaai", "nvidia", "ollama-cloud", "openai-api", "openai-codex", "opencode-go",
    "opencode-zen", "qwen-oauth", "solar", "stepfun", "tencent-tokenhub", "upstage", "xai", "xai-oauth", "xiaomi",
    "zai", "auto", "openrouter", "custom", "moa",
})
# PROVIDER_REGISTRY `inference_base_url` (0.19.0): the runtime's base URL when `model.base_url` is unset,
# which `custom_providers[].base_url` must equal for its per-model windows to apply.
PROVIDER_BASE_URLS = {
    "openrouter": "https://openrouter.ai/api/v1",
    "alibaba": "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
    "alibaba-coding-plan": "https://coding-intl.dashscope.aliyuncs.com/v1", "anthropic": "https://api.anthropic.com",
    "arcee": "https://api.arcee.ai/api/v1", "bedrock": "https://bedrock-runtime.us-east-1.amazonaws.com",
    "copilot": "https://api.githubcopilot.com", "deep-infra": "https://api.deepinfra.com/v1/openai",
    "deepinfra": "https://api.deepinfra.com/v1/openai", "deepinfra-ai": "https://api.deepinfra.com/v1/openai",
    "deepseek": "https://api.deepseek.com/v1", "fireworks": "https://api.fireworks.ai/inference/v1",
    "fireworks-ai": "https://api.fireworks.ai/inference/v1", "fw": "https://api.fireworks.ai/inference/v1",
    "gemini": "https://generativelanguage.googleapis.com/v1beta", "gmi": "https://api.gmi-serving.com/v1",
    "huggingface": "https://router.huggingface.co/v1", "kilocode": "https://api.kilo.ai/api/gateway",
    "kimi-coding": "https://api.moonshot.ai/v1", "kimi-coding-cn": "https://api.moonshot.cn/v1",
    "lmstudio": "http://127.0.0.1:1234/v1", "minimax": "https://api.minimax.io/anthropic",
    "minimax-cn": "https://api.minimaxi.com/anthropic", "minimax-oauth": "https://api.minimax.io/anthropic",
    "nous": "https://inference-api.nousresearch.com/v1", "novita": "https://api.novita.ai/openai/v1",
    "novita-ai": "https://api.novita.ai/openai/v1", "novitaai": "https://api.novita.ai/openai/v1",
    "nvidia": "https://integrate.api.nvidia.com/v1", "ollama-cloud": "https://ollama.com/v1",
    "openai-api": "https://api.openai.com/v1", "openai-codex": "https://chatgpt.com/backend-api/codex",
    "opencode-go": "https://opencode.ai/zen/go/v1", "opencode-zen": "https://opencode.ai/zen/v1",
    "qwen-oauth": "https://portal.qwen.ai/v1", "solar": "https://api.upstage.ai/v1",
    "stepfun": "https://api.stepfun.ai/step_plan/v1", "tencent-tokenhub": "https://tokenhub.tencentmaas.com/v1",
    "upstage": "https://api.upstage.ai/v1", "xai": "https://api.x.ai/v1", "xai-oauth": "https://api.x.ai/v1",
    "xiaomi": "https://api.xiaomimimo.com/v1", "zai": "https://api.z.ai/api/paas/v4",
}
# Provider profiles' default_max_tokens: sent on chat-completions when no max_tokens is configured
# (`custom` from CUSTOM_DEFAULT_MAX_TOKENS_FROM).
PROFILE_DEFAULT_MAX_TOKENS = {"kimi-coding": 32_000, "kimi-coding-cn": 32_000, "nvidia": 16_384,
                              "qwen-oauth": 65_536, "custom": 65_536}
# Before ANTHROPIC_TABLE_ON_EVERY_ROUTE_FROM only a `claude` id got the Anthropic output table, and
# only on an OpenRouter or Nous URL (`_is_openrouter_url()`, "nousresearch" in the URL).
ANTHROPIC_TABLE_ROUTES_BEFORE = frozenset({"openrouter", "nous"})
ANTHROPIC_TABLE_HOSTS_BEFORE = ("openrouter.ai", "nousresearch")
# `custom` on api.anthropic.com or an `/anthropic` URL speaks Anthropic Messages (chat-completions before).
CUSTOM_ANTHROPIC_URL_FROM = Version.parse("0.18.0")

# --- trigger and after compaction (`agent/context_compressor.py`) --------------------------------

DEFAULT_THRESHOLD = 0.50
SMALL_CTX_WINDOW_LIMIT = 512_000
SMALL_CTX_THRESHOLD_PERCENT = 0.75
MIN_CTX_TRIGGER_RATIO = 0.85
SUMMARY_WINDOW_RATIO = 0.05
SUMMARY_TOKENS_CEILING = 10_000
LEGACY_SUMMARY_TOKENS_CEILING = 12_000
DEFAULT_TARGET_RATIO = 0.20
TARGET_RATIO_BOUNDS = (0.10, 0.80)
# The "lean" kept tail (`compression.tail_mode`): not in any supported wheel, applied only from
# FIRST_RELEASE_WITH_LATER_COMPRESSION_KEYS.
LEAN_TAIL_PERCENT = 0.025
LEAN_TAIL_BOUNDS = (10_000, 25_000)
LEAN_TAIL_MAX_SHARE = 0.20
# Gateway session hygiene compresses at 85% of the window too.
GATEWAY_HYGIENE_RATIO = 0.85
