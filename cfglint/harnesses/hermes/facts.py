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
# The native Gemini adapter's default maxOutputTokens is also reserved below the trigger.
GEMINI_RESERVATION_FROM = Version.parse("0.19.0")

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

# Agent init refuses a smaller window; only LM Studio (provider `lmstudio`, or a base URL on its
# port) is exempt.
MINIMUM_CONTEXT_LENGTH = 64_000
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
DEFAULT_FALLBACK_CONTEXT = 256_000

# `agent/auxiliary_client.py`: the Codex OAuth route caps these families at 272,000 and raises
# their threshold to 0.85; `-900k` variants are opted into a 900,000 window and not raised.
CODEX_PROVIDER = "openai-codex"
CODEX_FAMILIES = ("gpt-5.4", "gpt-5.5", "gpt-5.6")
CODEX_WINDOW = 272_000
CODEX_900K_WINDOW = 900_000
CODEX_AUTORAISE_THRESHOLD = 0.85

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

# `agent/gemini_native_adapter.py`: maxOutputTokens sent, and reserved, when max_tokens is unset.
GEMINI_DEFAULT_MAX_OUTPUT_TOKENS = 65_535
GEMINI_PROVIDERS = frozenset({"gemini", "google", "google-gemini", "google-ai-studio"})

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
