"""pi's constants and version gates (`harness-pi.md` §2-§6), each with the source it comes from.

Paths such as `src/core/settings-manager.ts` are inside `packages/coding-agent` (npm
`@earendil-works/pi-coding-agent`, `@mariozechner/pi-coding-agent` up to 0.73.1) or `packages/ai`
(`pi-ai`) of the pi monorepo, read from the npm tarballs. A version between two gates behaves like
the lower one (§6: unknown versions map to the nearest lower row).
"""

from __future__ import annotations

import functools
import json
import os

from cfglint.core.paths import data_file, read_data
from cfglint.core.versions import Version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


DATA = data_file(__file__)

# --- files (§2.1; src/config.ts) -----------------------------------------------------------
CONFIG_DIR = ".pi"
AGENT_DIR = "agent"
SETTINGS_FILE = "settings.json"
MODELS_FILE = "models.json"
AGENT_DIR_ENV = "PI_CODING_AGENT_DIR"
AUTH_FILE = "~/.pi/agent/auth.json"
# Schema names (cfglint/schemas/<name>.schema.json): settings files follow the dialect's own.
MODELS_SCHEMA = "pi-models"

# --- defaults (SETTINGS_DEFAULTS, src/core/settings-defaults.ts; model-config.ts) ----------------
DEFAULT_RESERVE_TOKENS = 16384
DEFAULT_KEEP_RECENT_TOKENS = 20000
CUSTOM_MODEL_CONTEXT_WINDOW = 128000   # models.json `models[]` entry without contextWindow (0.51.0)
CUSTOM_MODEL_MAX_TOKENS = 16384        # ... without maxTokens
MAX_SAFE_INTEGER = 2 ** 53 - 1         # Number.isSafeInteger

# --- version gates (§6, CHANGELOG of pi-coding-agent 1.6.0) ---------------------------------
# stripJsonComments on models.json (PR #4162); before it, `//` and trailing commas make pi ignore the file.
# `Harness.parse` gets no target version, so models.json is parsed as 0.73.1+ reads it and the
# resolver leaves such a file out for older targets (`resolver._composed`).
MODELS_JSON_COMMENTS_FROM = Version.parse("0.73.1")
RENAMED_FROM = Version.parse("0.74.0")                  # @mariozechner -> @earendil-works
# resolve-config-value.ts: `$NAME`/`${NAME}` interpolated, a plain string a literal (#5095); before,
# the whole value was looked up as a variable name, else used as it is.
ENV_INTERPOLATION_FROM = Version.parse("0.77.0")
SUMMARY_CLAMPED_FROM = Version.parse("0.74.1")          # summary max_tokens min(0.8 R, M); normal path M
OUTPUT_32K_RULE_FROM = Version.parse("0.75.0")          # #4614: min(M, 32000) when M >= W - 1024
NO_OUTPUT_FOR_OPENAI_FROM = Version.parse("0.75.4")     # #4675: no max_tokens for OpenAI-style APIs
OUTPUT_CLAMPED_FROM = Version.parse("0.80.3")           # #5595: min(M, max(1, W - E - 4096))
MODEL_RUNTIME_FROM = Version.parse("0.80.8")            # "Unified model runtime" (first on npm: 0.80.10):
#   provider-composer.ts; a provider error disables that provider only, and models.json modelOverrides
#   apply to custom models too. Before: model-registry.ts validateConfig, one provider error and pi
#   ignores the whole models.json; overrides reach built-in models only (0.80.2, 0.80.7 read).
BETWEEN_TURN_CHECK_FROM = Version.parse("0.84.4")       # #6879
VALIDATED_TOKENS_FROM = Version.parse("0.86.0")         # compaction.modelOverrides; throw on invalid values
ESTIMATE_3_5_FROM = Version.parse("1.1.0")              # E = chars / 3.5 in the clamp (#10497)
# models.json schema `contextWindow`/`maxTokens` `exclusiveMinimum: 0` (PositiveTokenCountSchema, model and
# override): absent in 1.0.3, present in 1.3.0; 1.0.4-1.2.0 are not on npm, 1.2.0 published the schemas.
# Before it a model's limit <= 0 is a provider error ("invalid contextWindow") and an override's is used.
POSITIVE_LIMITS_SCHEMA_FROM = Version.parse("1.2.0")
SUMMARY_NORMAL_PATH_FROM = Version.parse("1.4.0")       # summaries use the model's output limit (#9512)
RATIO_MARGIN_FROM = Version.parse("1.5.1")              # 15% input margin in the clamp

OLD_OUTPUT_CAP = 32000          # pi-ai <= 0.74.0 buildBaseOptions: min(model.maxTokens, 32000)
OUTPUT_32K_MARGIN = 1024        # 0.75.0-0.75.3: the 32,000 cap when M >= W - 1024
SUMMARY_RATIO = 0.8             # generateSummary: floor(0.8 * reserveTokens) (<= 1.3.x)
# pi-ai 1.6.0 dist/api/simple-options.js clampMaxTokensToContext
CONTEXT_SAFETY_TOKENS = 4096
CONTEXT_SAFETY_RATIO = 0.15
MIN_OUTPUT_WITH_RATIO_MARGIN = 32768

# APIs that get M on 0.75.4-0.80.2 (anthropic-messages and Bedrock Claude); every other API gets no
# max_tokens at all (#4675).
ANTHROPIC_API = "anthropic-messages"
BEDROCK_API = "bedrock-converse-stream"


def provider_problem(version: Version, provider: str, entry: dict[str, Any]) -> str | None:
    """pi's error for a models.json provider entry it cannot compose, else None: `validateConfig`
    (model-registry.ts, < 0.80.8; "apiKey" required for custom models up to 0.73.1) or
    `applyModelsJson`/`modelFromJson` (provider-composer.ts, >= 0.80.8). A built-in provider lends its
    models' api and baseUrl to custom models."""
    models = [m for m in entry.get("models") or [] if isinstance(m, dict)] if isinstance(entry.get("models"), list) else []
    overrides = entry.get("modelOverrides")
    has_overrides = isinstance(overrides, dict) and bool(overrides)
    builtin = builtin_provider(version, provider)
    where = f"Provider {provider}"
    if version < POSITIVE_LIMITS_SCHEMA_FROM:
        for model in models:
            for field in ("contextWindow", "maxTokens"):
                value = model.get(field)
                if isinstance(value, (int, float)) and not isinstance(value, bool) and value <= 0:
                    return f"{where}, model {model.get('id')}: invalid {field}"
    if version >= MODEL_RUNTIME_FROM:
        if _truthy(entry.get("oauth")) and not _truthy(entry.get("baseUrl")):
            return f'{where}: "baseUrl" is required when "oauth" is set.'
        specified = any(_truthy(entry.get(key)) for key in ("baseUrl", "headers", "compat", "apiKey", "oauth"))
        if not models and not specified and not has_overrides and "authHeader" not in entry:
            return f'{where}: must specify "baseUrl", "headers", "compat", "modelOverrides", or "models".'
        for model in [] if builtin else models:
            if not _truthy(model.get("api")) and not _truthy(entry.get("api")):
                return f'{where}, model {model.get("id")}: no "api" specified. Set at provider or model level.'
            if not _truthy(model.get("baseUrl")) and not _truthy(entry.get("baseUrl")):
                return f'{where}: "baseUrl" is required when defining custom models.'
        return None
    if not models:
        if not any(_truthy(entry.get(key)) for key in ("baseUrl", "headers", "compat")) and not has_overrides:
            return f'{where}: must specify "baseUrl", "headers", "compat", "modelOverrides", or "models".'
    elif not builtin:
        if not _truthy(entry.get("baseUrl")):
            return f'{where}: "baseUrl" is required when defining custom models.'
        if version < RENAMED_FROM and not _truthy(entry.get("apiKey")):
            return f'{where}: "apiKey" is required when defining custom models.'
    for model in [] if builtin else models:
        if not _truthy(model.get("api")) and not _truthy(entry.get("api")):
            return f'{where}, model {model.get("id")}: no "api" specified. Set at provider or model level.'
    return None


def schema_requires_positive_limits(version: Version) -> bool:
    return version >= POSITIVE_LIMITS_SCHEMA_FROM


def overrides_reach_custom_models(version: Version) -> bool:
    return version >= MODEL_RUNTIME_FROM


def provider_error_disables_only_the_provider(version: Version) -> bool:
    return version >= MODEL_RUNTIME_FROM


def _truthy(value: Any) -> bool:
    """JavaScript truthiness of a JSON value (an empty object or array is true)."""
    if isinstance(value, (dict, list)):
        return True
    return value is not None and value is not False and value != 0 and value != ""


def validates_token_settings(version: Version) -> bool:
    """>= 0.86.0: `getCompactionTokenSetting` throws on a value that is not a non-negative safe integer."""
    return version >= VALIDATED_TOKENS_FROM


def has_compaction_model_overrides(version: Version) -> bool:
    return version >= VALIDATED_TOKENS_FROM


def clamps_output(version: Version) -> bool:
    """>= 0.80.3: the normal request is clamped to the room left in the window."""
    return version >= OUTPUT_CLAMPED_FROM


def sends_output_cap(version: Version, api: str | None, model_id: str) -> bool:
    """Whether a normal request carries max_tokens at all: not for OpenAI-style APIs on 0.75.4-0.80.2."""
    if not NO_OUTPUT_FOR_OPENAI_FROM <= version < OUTPUT_CLAMPED_FROM:
        return True
    return api == ANTHROPIC_API or (api == BEDROCK_API and "claude" in model_id.lower())


def clamp_formula(version: Version, window: int | float, max_tokens: int | float) -> str:
    """The output clamp of `version` (§5.3) with W and M filled in; E = the request's estimated input."""
    w, m = _plain(window), _plain(max_tokens)
    if version >= RATIO_MARGIN_FROM:
        return (f"margin = max(4096, ceil(0.15 * E)); room = {w} - E - margin; "
                f"if room < 32768: room = min(32768, {w} - E - 4096); max_tokens = min({m}, max(1, room))")
    estimate = "chars / 3.5" if version >= ESTIMATE_3_5_FROM else "chars / 4"
    return f"max_tokens = min({m}, max(1, {w} - E - 4096)), E = {estimate} of the whole request"


def clamped_output(window: int, max_tokens: int, estimate: int) -> int:
    """pi-ai 1.6.0 `clampMaxTokensToContext` for an input estimate E (tests and worked examples)."""
    if window <= 0:
        return max(1, max_tokens)
    margin = max(CONTEXT_SAFETY_TOKENS, -(-estimate * 15 // 100))
    room = window - estimate - margin
    if room < MIN_OUTPUT_WITH_RATIO_MARGIN:
        room = min(MIN_OUTPUT_WITH_RATIO_MARGIN, window - estimate - CONTEXT_SAFETY_TOKENS)
    return min(max_tokens, max(1, room))


def _plain(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


# --- extracted data (tools/extract/pi.py) ------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _data(name: str) -> dict[str, Any]:
    return json.loads(read_data(os.path.join(DATA, name)))


ANY_KEY = "^.*$"  # TypeBox's Record(String, X): written as `additionalProperties: X`, as editors expect


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """`node` with every local `$ref` replaced by its definition and `default`s dropped."""
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = defs[node["$ref"].removeprefix("#/$defs/")]
        return _inline({**target, **{k: v for k, v in node.items() if k != "$ref"}}, defs)
    inlined = {key: _inline(value, defs) for key, value in node.items() if key not in ("default", "$defs")}
    if list(inlined.get("patternProperties", {})) == [ANY_KEY] and "additionalProperties" not in inlined:
        inlined["additionalProperties"] = inlined.pop("patternProperties")[ANY_KEY]
    return _as_enum(inlined)


def _as_enum(node: dict[str, Any]) -> dict[str, Any]:
    """TypeBox's `Union(Literal, ...)` (`anyOf` of `{const, type}`) as the equal `enum`, so a wrong value
    reads "must be one of ..." (not "must be string, got string")."""
    branches = node.get("anyOf")
    if not isinstance(branches, list) or not branches or \
            not all(isinstance(b, dict) and "const" in b and set(b) <= {"const", "type"} for b in branches):
        return node
    types = sorted({b["type"] for b in branches if "type" in b})
    rest = {key: value for key, value in node.items() if key != "anyOf"}
    return {**rest, **({"type": types[0]} if len(types) == 1 else {}), "enum": [b["const"] for b in branches]}


@functools.lru_cache(maxsize=None)
def inlined_settings_schema() -> dict[str, Any]:
    """`settings_schema()` with `$ref`s written out, no `default`s, Records as `additionalProperties`."""
    return _inline(settings_schema(), settings_schema().get("$defs", {}))


@functools.lru_cache(maxsize=None)
def inlined_models_schema() -> dict[str, Any]:
    """`models_schema()` likewise."""
    return _inline(models_schema(), models_schema().get("$defs", {}))


def settings_schema() -> dict[str, Any]:
    """pi 1.6.0's `schemas/settings.schema.json`."""
    return _data("settings.json")["schema"]


def models_schema() -> dict[str, Any]:
    """pi 1.6.0's `schemas/models.schema.json`."""
    return _data("models.json")["schema"]


CATALOG_VERSIONS = ("0.73.1", "1.6.0")  # the pi-ai releases whose catalogs are extracted


def catalog_release(version: Version) -> str:
    """The extracted catalog closest to `version`: 0.73.1's for the old package, else 1.6.0's."""
    return CATALOG_VERSIONS[0] if version < RENAMED_FROM else CATALOG_VERSIONS[1]


def builtin_model(version: Version, provider: str, model_id: str) -> dict[str, Any] | None:
    """{contextWindow, maxTokens, api} of a built-in model of pi-ai, as the targeted release ships it."""
    return _data(f"catalog-{catalog_release(version)}.json")["providers"].get(provider, {}).get(model_id)


def builtin_provider(version: Version, provider: str) -> bool:
    return provider in _data(f"catalog-{catalog_release(version)}.json")["providers"]
