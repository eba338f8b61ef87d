"""What cfglint knows about Kimi Code and kimi-cli: version gates, constants, the formulas both
resolvers share, and the facts read from the shipped harnesses.

The version gates and constants come from `harness-kimi.md` (sections 4-6, with the upstream
commits and files each one cites). The JSON files (`data/*.json`, by
`tools/extract/kimi_code.py`, `kimi_cli.py`) are the one source of the config schemas of
Kimi Code 2.1.0 and kimi-cli 1.49.0: the pydantic models (`model.py`) are built from them,
and the harness unit reads Kimi Code's deprecated keys and the requirements of a usable
model from them. Regenerate them with `python -m tools.extract.kimi_code` and
`python -m tools.extract.kimi_cli`.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache

from cfglint.core import numbers
from cfglint.core.paths import data_file, read_data
from cfglint.core.versions import Version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator


# --- versions (harness-kimi.md 6) ------------------------------------------------------

V2_DEFAULT_FROM = Version.parse("0.33.0")              # Kimi Code: the v2 engine (agent-core-v2) is the default
KC_OUTPUT_SIZE_ON_STEPS_FROM = Version.parse("0.11")  # #365: before it steps sent max_context_size (#306)
KC_OPENAI_CEILING_FROM = Version.parse("0.20.1")       # #1131: chat-completions clamp + 131,072 ceiling
KC_COMPACTION_FIX_FROM = Version.parse("0.20.2")       # #1129/#1156: compaction passes max_output_size (bug #834)
KC_ANTHROPIC_AS_IS_FROM = Version.parse("0.23.1")      # #1465: anthropic honours max_output_size as-is
KC_ISSUE_3731_FROM = Version.parse("0.42")             # issue #3731 (unverified): anthropic sends the window
KC_COMPACTION_ATTEMPTS_FROM = Version.parse("2.0")     # compaction_max_attempts: new in 2.1.0 (6.1); every 2.x counts
# The 2.x releases (npm 2.0.2, 2.1.0) ship only agent-core-v2: KIMI_CODE_LEGACY_FLAG is never read, and requests
# follow the 2.1.0 bundle's own functions, run on generated configs by tools/fidelity/kimi_code.py (errata.md):
# envOverlay.ts parseCompletionTokens (Number()), resolveMaxCompletionCap on every normal step, the protocol
# encoders and traits, applyModelOverrides (max_input_size clamped only with an [overrides] table).
KC_2X_FROM = Version.parse("2.0")
CLI_RETRIES_RENAMED_FROM = Version.parse("0.11.1")     # max_retry_per_step renamed max_retries_per_step
CLI_RESERVED_FROM = Version.parse("0.82")              # PR #639: reserved_context_size
CLI_RATIO_FROM = Version.parse("1.17.0")               # PR #1300: compaction_trigger_ratio
CLI_WINDOW_AWARE_FROM = Version.parse("1.49.0")        # PR #2494: compute_max_completion_tokens

# --- harness constants -----------------------------------------------------------------

DEFAULT_TRIGGER_RATIO = 0.85      # DEFAULT_COMPACTION_CONFIG.triggerRatio = blockRatio; kimi-cli LoopControl default
DEFAULT_RESERVED = 50_000         # reservedContextSize; kimi-cli default and its fixed RESERVED_TOKENS before 0.82
KEPT_TAIL_RATIO = 0.2             # maxRecentSizeRatio (agent-core-v2 fullCompaction/strategy.ts)
OPENAI_CEILING = 131_072          # CHAT_COMPLETIONS_MAX_OUTPUT_TOKENS_CEILING = 128 * 1024 (kosong openai-legacy.ts)
COMPACTION_DEFAULT_CAP = 131_072  # DEFAULT_COMPACTION_MAX_COMPLETION_TOKENS = 128 * 1024
ANTHROPIC_FALLBACK = 128_000      # FALLBACK_MAX_TOKENS for ids that match no Claude family/version
CLI_SAFETY_MARGIN = 1_024         # DEFAULT_COMPLETION_TOKEN_SAFETY_MARGIN (kimi-cli llm.py)
CLI_KIMI_FIXED = 32_000           # kosong default max_tokens of the kimi-cli Kimi provider before 1.49.0
CLI_ANTHROPIC_DEFAULT = 50_000    # kimi-cli llm.py: Anthropic(default_max_tokens=50000)
ENV_MODEL_ALIAS = "__kimi_env_model__"
ENV_PROVIDER = "__kimi_env__"
ENV_MODEL_WINDOW = 262_144        # KIMI_MODEL_MAX_CONTEXT_SIZE default for the env-synthesised model
# 2.1.0 ProtocolSchema, and the one provider type that is no protocol but names a registered provider
# definition (init_provider_definition: `kimi`, first registered with baseProtocol `openai`).
PROTOCOLS = ("anthropic", "openai", "openai_responses", "google-genai")
DEFINITION_BASE_PROTOCOL = {"kimi": "openai"}
MANAGED_PROVIDER = "managed:kimi-code"  # written by /login; its models' windows come from the provider's /models

COMPLETION_VAR = "KIMI_MODEL_MAX_COMPLETION_TOKENS"
MAX_TOKENS_VAR = "KIMI_MODEL_MAX_TOKENS"
LEGACY_FLAG_VAR = "KIMI_CODE_LEGACY_FLAG"
RATIO_PATH = ("loop_control", "compaction_trigger_ratio")
RESERVED_PATH = ("loop_control", "reserved_context_size")

# Variables a resolver reads from the process environment; inside `[providers.x.env]`,
# which holds only credential/base-URL fallbacks, they have no effect (CMP004).
KIMI_CODE_BUDGET_VARS = (COMPLETION_VAR, MAX_TOKENS_VAR, "KIMI_MODEL_MAX_CONTEXT_SIZE",
                         "KIMI_MODEL_MAX_OUTPUT_SIZE", LEGACY_FLAG_VAR)
KIMI_CLI_BUDGET_VARS = (COMPLETION_VAR, MAX_TOKENS_VAR, "KIMI_MODEL_MAX_CONTEXT_SIZE")
# Base-URL fallbacks of `[providers.x.env]` per wire type (harness-kimi.md 2.2).
ENV_BLOCK_BASE_URL = {"kimi": "KIMI_BASE_URL", "openai": "OPENAI_BASE_URL",
                      "openai_responses": "OPENAI_BASE_URL", "anthropic": "ANTHROPIC_BASE_URL"}
# Wire types whose provider clamps max_tokens to the remaining window only in the v2 engine.
V2_ONLY_CLAMP = frozenset({"anthropic", "openai_responses", "google-genai", "vertexai"})

# Claude default output by `<family>-<major>[-<minor>]` (2.1.0 CEILING_BY_FAMILY_VERSION).
_CLAUDE_CEILINGS = {
    "fable-5": 128_000, "mythos-5": 128_000, "opus-4-8": 128_000, "opus-4-7": 128_000, "opus-4-6": 128_000,
    "sonnet-5": 128_000, "sonnet-4-6": 128_000,
    "opus-4-5": 64_000, "sonnet-4-5": 64_000, "sonnet-4-0": 64_000, "sonnet-4": 64_000,
    "haiku-4-5": 64_000, "haiku-4": 64_000,
    "opus-4-1": 32_000, "opus-4-0": 32_000, "opus-4": 32_000,
    "opus-3-5": 8_192, "sonnet-3-5": 8_192, "sonnet-3-7": 8_192, "haiku-3-5": 8_192,
    "opus-3": 4_096, "sonnet-3": 4_096, "haiku-3": 4_096,
}
# Patterns, compiled by `re` at their first use: only an id with `claude` in it is parsed.
_CLAUDE_FAMILY_FIRST = r"(opus|sonnet|haiku|fable|mythos)[-._](\d{1,2})(?!\d)(?:[-._](\d{1,2})(?!\d))?"
_CLAUDE_VERSION_FIRST = r"(\d{1,2})[-._](\d{1,2})[-._](opus|sonnet|haiku)"
_CLAUDE_BARE = r"(\d{1,2})[-._](opus|sonnet|haiku)"

_ENV_INTEGER = re.compile(r"^-?[0-9]+$")


# --- formulas both harnesses share ------------------------------------------------------


def ratio_threshold(window: int, ratio: float) -> int:
    """First token count that satisfies `T >= window * ratio` (both harnesses compare doubles)."""
    return numbers.rounded(math.ceil, window * ratio)


def parse_env_cap(raw: str) -> int | None:
    """KIMI_MODEL_MAX_COMPLETION_TOKENS / KIMI_MODEL_MAX_TOKENS as Kimi reads them: an integer
    matching `^-?[0-9]+$` after trimming, else None (ignored; completion-budget.ts, envOverlay.ts)."""
    text = raw.strip()
    return numbers.integer(text) if _ENV_INTEGER.match(text) else None


def parse_env_cap_2x(raw: str) -> int | None:
    """The same variables as Kimi Code 2.x reads them (envOverlay.ts `parseCompletionTokens`):
    trimmed, empty is unset, then `Number(value)` kept when `Number.isInteger`, so `1e5`, `0x8000`,
    `+4096` and `4096.0` are integers and a value past 2^53 is rounded as a double."""
    value = numbers.javascript_number(raw)
    if value == 0 and "0" not in raw:  # only a blank text reads as 0 without a digit 0: unset
        return None
    return int(value) if numbers.javascript_integer(value) else None


def anthropic_default_output(model_id: str) -> int:
    """The Kimi Code Anthropic provider's default max_tokens for a model id (kosong `anthropic.ts`
    `resolveDefaultMaxTokens`): the Claude family/version table, FALLBACK_MAX_TOKENS otherwise."""
    ceiling = claude_ceiling(model_id)
    return ANTHROPIC_FALLBACK if ceiling is None else ceiling


def claude_ceiling(model_id: str) -> int | None:
    """The Claude family/version table's entry for a model id (`parseAnthropicModelVersion(model,
    true)` + `lookupClaudeCeiling`), None when it has none. Like the source, only ids containing
    `claude` are parsed."""
    name = model_id.lower()
    if "claude" not in name:
        return None
    if found := re.search(_CLAUDE_FAMILY_FIRST, name):
        family, major, minor = found.group(1), int(found.group(2)), found.group(3)
    elif found := re.search(_CLAUDE_VERSION_FIRST, name):
        family, major, minor = found.group(3), int(found.group(1)), found.group(2)
    elif found := re.search(_CLAUDE_BARE, name):
        family, major, minor = found.group(2), int(found.group(1)), None
    else:
        return None
    # lookupClaudeCeiling: the minor version, then lower minors, then the family/major entry.
    keys = [f"{family}-{major}-{m}" for m in range(int(minor), -1, -1)] if minor is not None else []
    return next((_CLAUDE_CEILINGS[key] for key in [*keys, f"{family}-{major}"] if key in _CLAUDE_CEILINGS), None)


# --- the extracted schemas ----------------------------------------------------------------

DATA = data_file(__file__, "kimi_code_config.json")


@cache
def kimi_code_facts() -> dict[str, Any]:
    return json.loads(read_data(DATA))


def wire_types() -> tuple[str, ...]:
    """Provider types Kimi Code 2.1.0 can send requests through (any other string loads, unusable)."""
    return tuple(kimi_code_facts()["wire_types"])


def kimi_cli_only_provider_types() -> frozenset[str]:
    """Provider types kimi-cli 1.49.0 accepts that Kimi Code 2.1.0 cannot send requests through."""
    cli_types = kimi_cli_facts()["config"]["properties"]["providers"]["values"]["properties"]["type"]["enum"]
    return frozenset(cli_types) - frozenset(wire_types())


def kimi_code_only_provider_types() -> frozenset[str]:
    """Wire types of Kimi Code 2.1.0 that kimi-cli 1.49.0 rejects (`openai`, `google-genai`)."""
    cli_types = kimi_cli_facts()["config"]["properties"]["providers"]["values"]["properties"]["type"]["enum"]
    return frozenset(wire_types()) - frozenset(cli_types)


def migrate_type_renames() -> dict[str, str]:
    """The Kimi Code type `kimi migrate` gives each kimi-cli provider type it renames."""
    return kimi_code_facts()["migrate_type_renames"]


def deprecated_keys() -> Iterator[tuple[str, str, str]]:
    """(section, old key, replacement) of the keys Kimi Code 2.1.0 ignores with a warning."""
    for section, node in kimi_code_facts()["config"]["properties"].items():
        for key, spec in node.get("properties", {}).items():
            if "deprecated" in spec:
                yield section, key, spec["deprecated"]


def model_requirements() -> list[dict[str, Any]]:
    """What a `[models.x]` entry needs to be usable: one of `one_of_keys` (in the entry or its
    `overrides`), else Kimi Code fails with `message` when the model is selected."""
    return kimi_code_facts()["model_requirements"]


@cache
def kimi_cli_facts() -> dict[str, Any]:
    """kimi-cli 1.49.0's config model (`data/kimi_cli_config.json`, by `tools/extract/kimi_cli.py`)."""
    return json.loads(read_data(data_file(__file__, "kimi_cli_config.json")))


def section_keys(facts: dict[str, Any], path: tuple[str, ...]) -> frozenset[str]:
    """Keys of the object at `path` ("*" = an entry of a map) in an extracted schema."""
    node = facts["config"]
    for key in path:
        node = node["values"] if key == "*" else node["properties"][key]
    return frozenset(node["properties"])


def kimi_code_only_keys(path: tuple[str, ...]) -> frozenset[str]:
    """Keys Kimi Code 2.1.0 reads at `path` that kimi-cli 1.49.0 does not know."""
    return section_keys(kimi_code_facts(), path) - section_keys(kimi_cli_facts(), path)


def unknown_keys_policy(facts: dict[str, Any], path: tuple) -> str | None:
    """What the harness does with an unknown key inside the object at `path` (`drop`, `keep`,
    `reject`; None when the path leaves the schema)."""
    node = facts["config"]
    for key in path:
        if "any_of" in node:
            node = next((b for b in node["any_of"] if b.get("type") == ("array" if isinstance(key, int) else "object")),
                        node["any_of"][0])
        kind = node.get("type")
        if kind == "record":
            node = node["values"]
        elif kind == "array" and isinstance(key, int):
            node = node["items"]
        elif kind == "object" and key in node["properties"]:
            node = node["properties"][key]
        else:
            return None
    if "any_of" in node:
        node = next((b for b in node["any_of"] if b.get("type") == "object"), node)
    return node.get("unknown_keys")


# pydantic v2 lax mode (kimi-cli's `Config.model_validate`): the strings a bool field accepts.
_LAX_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_LAX_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
_NOT_LAX = object()
_LAX_INTEGER = re.compile(r"([+-]?[0-9]+(?:_[0-9]+)*)(?:\.0+)?")


def lax_value(kind: str, value: Any) -> Any:
    """What pydantic's lax mode makes of `value` for a field of JSON type `kind` (`integer`,
    `number`, `boolean`), or `_NOT_LAX` when it rejects it. Values of the right type pass as they are."""
    if isinstance(value, bool):
        return value if kind == "boolean" else _NOT_LAX
    if kind == "boolean":
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _LAX_TRUE | _LAX_FALSE:
            return value.strip().lower() in _LAX_TRUE
        return _NOT_LAX
    if isinstance(value, str) and kind == "integer":
        # pydantic-core reads an integer string with ASCII digits, `_` between them and zero decimals only:
        # `262_144.0` is 262,144, `2.6e5` and `262144.5` are rejected (kimi-cli 1.49.0, pydantic 2.12.5)
        found = _LAX_INTEGER.fullmatch(value.strip())
        return int(found.group(1)) if found else _NOT_LAX
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return _NOT_LAX
    if kind == "integer" and isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else _NOT_LAX
    return value if isinstance(value, (int, float)) else _NOT_LAX


def lax_integer(value: Any) -> int | None:
    """An integer setting as kimi-cli reads it (`"131072"` too); None when it is not one."""
    parsed = lax_value("integer", value)
    return parsed if isinstance(parsed, int) and not isinstance(parsed, bool) else None


def lax_number(value: Any) -> float | None:
    """A number setting as kimi-cli reads it (`"0.85"` too); None when it is not one."""
    parsed = lax_value("number", value)
    return parsed if isinstance(parsed, (int, float)) and not isinstance(parsed, bool) else None


def coerced_values(data: Any, node: dict[str, Any], path: tuple = ()) -> Iterator[tuple[tuple, dict[str, Any], Any]]:
    """(path, field schema, value) of every number or boolean field written as a string (or a
    boolean written as an integer), for a harness whose validation coerces them
    (`"coercion": "pydantic-lax"`)."""
    kind = node.get("type")
    if kind == "object" and isinstance(data, dict):
        for key, child in node["properties"].items():
            if key in data and "alias_of" not in child:  # an old key name is judged on its own
                yield from coerced_values(data[key], child, (*path, key))
    elif kind == "record" and isinstance(data, dict):
        for key, value in data.items():
            yield from coerced_values(value, node["values"], (*path, key))
    elif kind == "array" and isinstance(data, list):
        for index, value in enumerate(data):
            yield from coerced_values(value, node["items"], (*path, index))
    elif kind in ("integer", "number", "boolean") and (isinstance(data, str) or (kind == "boolean" and type(data) is int)):
        yield path, node, data  # what the schema lets through for the value checks to judge


def is_lax_rejected(spec: dict[str, Any], value: Any) -> str | None:
    """Why pydantic's lax mode rejects `value` for `spec`, or None when it accepts it."""
    parsed = lax_value(spec["type"], value)
    if parsed is _NOT_LAX:
        return f"not a valid {spec['type']}"
    if "minimum" in spec and parsed < spec["minimum"]:
        return f"{parsed} is below {spec['minimum']}"
    if "maximum" in spec and parsed > spec["maximum"]:
        return f"{parsed} is above {spec['maximum']}"
    return None


def section_aliases(facts: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(section, alias, key, schema) of the old key names a top-level section also accepts
    (pydantic `AliasChoices`: the alias is read only when the key itself is absent)."""
    for section, node in facts["config"]["properties"].items():
        for alias, spec in node.get("properties", {}).items():
            if "alias_of" in spec:
                yield section, alias, spec["alias_of"], spec
