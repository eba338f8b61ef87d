"""Claude Code's facts: the settings schema extracted from the harness's own package
(`data/settings.json`), and the releases, catalog, limits and variables the resolver computes with
(`harness-claude-code.md` 5 and 6).

The extracted data is read lazily and without pydantic: the unit consults it only to word a
finding, and the model (`model.py`) builds the JSON Schema from it at build time.
"""

from __future__ import annotations

import json
from functools import lru_cache

from cfglint.core.paths import data_file, read_data
from cfglint.core.versions import Version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


DATA_FILE = data_file(__file__, "settings.json")

COMMENT_KEY = r"^(_|//|#)"
"""Keys people write as comments; Claude Code keeps them and never reads them."""


DOCUMENTED_ELSEWHERE = {
    "autoConnectIde": "Connect to a running IDE from an external terminal (read from ~/.claude.json).",
    "autoInstallIdeExtension": "Install the IDE extension from a VS Code terminal (read from ~/.claude.json).",
    "browserExternalPageTools": "Keep Claude's tools off external pages in the desktop Browser pane "
                                "(desktop, managed).",
    "diffTool": "Where proposed diffs open: \"auto\" or \"terminal\" (read from ~/.claude.json).",
    "disableBrowserExternalNavigation": "Limit the desktop Browser pane to localhost (desktop, managed).",
    "disableMobileSimulatorTools": "Block Claude's tools in the desktop iOS Simulator pane (desktop, managed).",
    "externalEditorContext": "Show the last response in the external editor (read from ~/.claude.json).",
    "permissionExplainerEnabled": "Removed command explanation shortcut (read from ~/.claude.json).",
    "sshHostAllowlist": "Hosts desktop SSH sessions may reach (desktop, managed).",
    "teammateDefaultModel": "Removed default model for agent-team teammates (read from ~/.claude.json).",
}
"""harness-claude-code.md 3.1 keys missing from 2.1.329's settings schema, with the docs' meaning."""


@lru_cache(maxsize=None)
def extracted() -> dict[str, Any]:
    """`data/settings.json`: the settings schema and loader facts of the targeted release."""
    return json.loads(read_data(DATA_FILE))


def schema_nodes(path: tuple[Any, ...]) -> list[dict[str, Any]]:
    """The nodes of the extracted settings schema along `path`: the root, then one per key as far
    as the schema describes it. Map keys (an `env` name, a hook event) and array indexes step into
    `additionalProperties` and `items`."""
    nodes = [extracted()["settings_schema"]]
    for key in path:
        node = nodes[-1]
        if isinstance(key, int):
            node = node.get("items")
        else:
            node = node.get("properties", {}).get(key) or node.get("additionalProperties")
        if not isinstance(node, dict):
            break
        nodes.append(node)
    return nodes


def schema_node(path: tuple[Any, ...]) -> dict[str, Any] | None:
    """The node of the extracted settings schema that describes `path` (None: not described)."""
    nodes = schema_nodes(path)
    return nodes[-1] if len(nodes) == len(path) + 1 else None


@lru_cache(maxsize=None)
def top_level_keys() -> tuple[str, ...]:
    """Every top-level key Claude Code reads from a settings file, or the docs list."""
    return tuple(sorted({*extracted()["settings_schema"]["properties"], *DOCUMENTED_ELSEWHERE}))


# --- releases (harness-claude-code.md 5.0 and 6) -------------------------------------------------

CURRENT_RULES = Version.parse("2.1.329")      # 5.0 applies from here on
LAST_DOCUMENTED = Version.parse("2.1.296")    # newest release the older sources describe (section 1)
AUTO_COMPACT_ENABLED_READ = Version.parse("2.1.90")   # settings.json copy ignored before (#42817)
GATE_FIRST_SEEN = Version.parse("2.1.131")            # #56666
CLOUD_GATE = (Version.parse("2.1.154"), Version.parse("2.1.222"))      # Bedrock/Vertex (#64802)
GATEWAY_GATE = (Version.parse("2.1.161"), Version.parse("2.1.222"))    # ANTHROPIC_BASE_URL (#65585)
UNKNOWN_ENFORCEMENT_SWITCH = Version.parse("2.1.223")
MAX_CONTEXT_RESTRICTED = Version.parse("2.1.193")
NUMERIC_SPELLINGS = Version.parse("2.1.211")  # `2e3`, `64_000` accepted from here on
DEFAULT_MODEL_VARIABLE = Version.parse("2.1.236")
OPUS_4_8, SONNET_5, OPUS_5 = Version.parse("2.1.154"), Version.parse("2.1.197"), Version.parse("2.1.219")

# --- arithmetic constants (5.0, 5.2) --------------------------------------------------------------

RESERVE_CAP = 20_000          # MAX_OUTPUT_TOKENS_FOR_SUMMARY
BUFFER = 13_000               # AUTOCOMPACT_BUFFER_TOKENS
BLOCK_BUFFER = 3_000          # MANUAL_COMPACT_BUFFER_TOKENS
MIN_WINDOW = 100_000
MAX_WINDOW_BEFORE_329 = 1_000_000
DEFAULT_WINDOW = 200_000
ONE_M_WINDOW = 1_000_000
MIN_THINKING = 1_024

# --- Claude Code's catalog (5.0), keyed by canonical id --------------------------------------------

_CLAUDE_3 = ("claude-3-opus", "claude-3-sonnet", "claude-3-haiku", "claude-3-5-sonnet", "claude-3-5-haiku",
             "claude-3-7-sonnet")
NO_LONG_CONTEXT = ("claude-haiku-4-5", "claude-opus-4-0", "claude-opus-4-1", "claude-opus-4-5", *_CLAUDE_3)
LONG_CONTEXT_BETA = ("claude-sonnet-4-0", "claude-sonnet-4-5", "claude-sonnet-4-6", "claude-opus-4-6")
NATIVE_1M = ("claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "claude-opus-5-5", "claude-sonnet-5",
             "claude-sonnet-5-5", "claude-haiku-5-5", "claude-fable-5", "claude-fable-5-1", "claude-fable-5-2",
             "claude-mythos-5", "claude-mythos-5-1", "claude-mythos-5-2")
CATALOG_WINDOW = {**{m: DEFAULT_WINDOW for m in NO_LONG_CONTEXT + LONG_CONTEXT_BETA},
                  **{m: ONE_M_WINDOW for m in NATIVE_1M}}
# Gate on 2.1.329 with no window setting: these take the "model default" source (proactive);
# every other catalog model without a native 1M window is "auto" (reactive by design).
MODEL_DEFAULT_SOURCE = ("claude-sonnet-4-6", "claude-opus-4-6")
# Short names the catalog spells with their minor version.
SHORT_NAMES = {"claude-opus-4": "claude-opus-4-0", "claude-sonnet-4": "claude-sonnet-4-0"}

# {default, upper} max output tokens per model (5.0); unknown ids 32,000 / 128,000.
OUTPUT_LIMITS = {
    **dict.fromkeys(("claude-3-opus", "claude-3-haiku"), (4_096, 4_096)),
    **dict.fromkeys(("claude-3-sonnet", "claude-3-5-haiku", "claude-3-5-sonnet"), (8_192, 8_192)),
    **dict.fromkeys(("claude-opus-4-0", "claude-opus-4-1"), (32_000, 32_000)),
    **dict.fromkeys(("claude-3-7-sonnet", "claude-haiku-4-5", "claude-sonnet-4-0", "claude-sonnet-4-5",
                     "claude-opus-4-5"), (32_000, 64_000)),
    "claude-sonnet-4-6": (32_000, 128_000),
    **dict.fromkeys(("claude-opus-4-6", "claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "claude-sonnet-5",
                     "claude-fable-5", "claude-fable-5-1", "claude-mythos-5", "claude-mythos-5-1"), (64_000, 128_000)),
    **dict.fromkeys(("claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5", "claude-fable-5-2",
                     "claude-mythos-5-2"), (128_000, 128_000)),
}
UNKNOWN_OUTPUT = (32_000, 128_000)

# Releases before 2.1.329 with no window setting (5.3, docs 2026-08-22): these compact proactively
# at their window; other Claude models compact at the model's limit (reactively).
PROACTIVE_BEFORE_329 = ("claude-sonnet-4-6", "claude-opus-4-6", "claude-sonnet-5")
PROACTIVE_ON_CLOUD_BEFORE_329 = ("claude-opus-4-8", "claude-opus-5")   # on Bedrock/Vertex/Foundry

# --- variables --------------------------------------------------------------------------------------

AUTO_COMPACT_WINDOW = "CLAUDE_CODE_AUTO_COMPACT_WINDOW"
PCT_OVERRIDE = "CLAUDE_AUTOCOMPACT_PCT_OVERRIDE"
MAX_OUTPUT = "CLAUDE_CODE_MAX_OUTPUT_TOKENS"
MAX_CONTEXT = "CLAUDE_CODE_MAX_CONTEXT_TOKENS"
DISABLE_1M = "CLAUDE_CODE_DISABLE_1M_CONTEXT"
DISABLE_COMPACT = "DISABLE_COMPACT"
DISABLE_AUTO_COMPACT = "DISABLE_AUTO_COMPACT"
DISABLE_UNKNOWN_ENFORCEMENT = "CLAUDE_CODE_DISABLE_UNKNOWN_MODEL_WINDOW_ENFORCEMENT"
BLOCKING_OVERRIDE = "CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE"
MAX_THINKING = "MAX_THINKING_TOKENS"
# Claude Code's switch reading: 1/true/yes/on, any case.
TRUTHY = frozenset({"1", "true", "yes", "on"})
# Read, but deprecated in favour of the second name (docs).
DEPRECATED_ENV = {"ANTHROPIC_SMALL_FAST_MODEL": "ANTHROPIC_DEFAULT_HAIKU_MODEL"}

# Provider switches in the order Claude Code tests them: (variable, kind, registry provider).
# Microsoft Foundry serves Claude as the registry's `azure` provider.
PROVIDER_SWITCHES = (
    ("CLAUDE_CODE_USE_BEDROCK", "bedrock", "amazon-bedrock"),
    ("CLAUDE_CODE_USE_VERTEX", "vertex", "google-vertex"),
    ("CLAUDE_CODE_USE_FOUNDRY", "foundry", "azure"),
)
PROVIDER_TITLES = {"anthropic": "the Anthropic API", "gateway": "a third-party ANTHROPIC_BASE_URL",
                   "bedrock": "Bedrock", "vertex": "Google Cloud", "foundry": "Microsoft Foundry"}
FIRST_PARTY_HOST = "api.anthropic.com"
CLOUD_KINDS = ("bedrock", "vertex", "foundry")

# --- model aliases (5.1a) ----------------------------------------------------------------------------

ALIAS_VARIABLES = {family: f"ANTHROPIC_DEFAULT_{family.upper()}_MODEL"
                   for family in ("opus", "sonnet", "haiku", "fable")}
# Aliases that stand for another one in a normal (non-plan) session.
ALIAS_STANDS_FOR = {"best": "fable", "opusplan": "sonnet", "default": "sonnet"}
# 2.1.329 resolves aliases offline from the catalog it ships (its own `Vt`, measured per provider
# with tools/fidelity/claude_code.py): `best` is `opus` without an account (`CK() ... return fk()`),
# `opusplan` is `sonnet` outside plan mode; `default` is no alias (the literal id). No model at all
# is `opus`, except on Foundry (`sonnet`).
_FIRST_PARTY_ALIASES_329 = {"opus": "claude-opus-5-5", "sonnet": "claude-sonnet-5-5", "haiku": "claude-haiku-5-5",
                            "fable": "claude-fable-5-2"}
_CLOUD_ALIASES_329 = {"opus": "claude-opus-5-5", "sonnet": "claude-sonnet-4-5", "haiku": "claude-haiku-4-5",
                      "fable": "claude-fable-5-2"}
ALIAS_TARGETS_329 = {"anthropic": _FIRST_PARTY_ALIASES_329, "gateway": _FIRST_PARTY_ALIASES_329,
                     "bedrock": _CLOUD_ALIASES_329, "vertex": _CLOUD_ALIASES_329,
                     "foundry": {**_CLOUD_ALIASES_329, "opus": "claude-opus-4-6"}}
ALIAS_STANDS_FOR_329 = {"best": "opus", "opusplan": "sonnet"}
NO_MODEL_ALIAS_329 = {"foundry": "sonnet"}   # else `opus`
# `var eW=["claude-opus-4-20250514","claude-opus-4-1-20250805","claude-opus-4-0","claude-opus-4-1"]`:
# 2.1.329 runs these as the `opus` alias off the clouds (measured: not on Bedrock, Vertex, Foundry)
# unless the switch is set (`V$n(){return!s.CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP}`, read as a switch).
LEGACY_OPUS = ("claude-opus-4-20250514", "claude-opus-4-1-20250805", "claude-opus-4-0", "claude-opus-4-1")
LEGACY_REMAP_OFF = "CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP"
ALIAS_NOTES = {
    "best": "`best` is Fable 5 where available, else the latest Opus; cfglint takes Fable 5",
    "opusplan": "`opusplan` runs `opus` in plan mode and `sonnet` otherwise; cfglint resolves the session model",
    "default": "`default` is the account's runtime default, which cfglint cannot see; it assumes `sonnet`",
}
