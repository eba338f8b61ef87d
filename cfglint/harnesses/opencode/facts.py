"""opencode's facts: what a release does, in one place.

Two kinds, kept apart:

- read from opencode's shipped binaries (`data/config_schema.json`, by
  `tools/extract/opencode.py`, npm `opencode-linux-x64` 1.3.2 ... 1.18.33): the top-level key
  set of each release row, the nested key sets, the `@deprecated` keys, the keys stripped
  before validation (`theme`, `keybinds`, `tui`), the V2-native keys `ConfigV2Compat.lower`
  handles, and whether an unknown top-level key is dropped or fatal. The pydantic model is
  checked against them at import. `data/catalog.json` is the models.dev snapshot bundled in
  the 1.18.33 binary, which opencode merges under the config's models until a refresh from
  models.opencode.ai lands: what opencode believes a model's limits and status are (read with
  Kilo's catalog accessors, same format), as opposed to cfglint's registry (what the provider
  accepts).
- written by hand from `harness-opencode.md` (each checked in the 1.18.33 binary where cited):
  the version gates, the resolver's constants and the environment variables.

Kilo is a fork of opencode: the arithmetic is Kilo's v1 (`cfglint.harnesses.kilo.resolver`'s
pure functions are imported, not copied), and the Kilo-only keys are the difference of the two
extracted key sets.
"""

from __future__ import annotations

import json
from functools import cache

from cfglint.core.paths import data_file, read_data
from cfglint.core.versions import Version
from cfglint.harnesses.kilo import facts as kilo_facts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


TITLE = "opencode"  # the harness's name in messages (`OpenCode.title`, SYN002's "opencode reads JSONC")

# --- version gates (harness-opencode.md 6: unknown versions take the nearest lower row) ------------
EFFECT_SCHEMA_FROM = Version.parse("1.14.41")   # Effect Schema: nested unknown keys dropped, `max(0, ...)`
                                                # in `usable`, tail_turns/preserve_recent_tokens, prune opt-in
RUNTIME_FLAGS_FROM = Version.parse("1.15.13")   # RuntimeFlags: the output cap by Effect `Config.number`, the
                                                # experimental-models and default-plugins switches by
                                                # `Config.boolean`; 1.14.41 and older: `Number(v)`, `1`/`true`
AUTO_FALSE_ON_OVERFLOW_FROM = Version.parse("1.17.19")  # `auto:false` honoured on a provider overflow (#30664)
MODELS_OPENCODE_AI_FROM = Version.parse("1.18.10")  # default catalog https://models.opencode.ai (was models.dev)
UNKNOWN_TOP_DROPPED_FROM = Version.parse("1.18.16")  # ConfigParse.schema: onExcessProperty "ignore"
TAIL_CAP_15000_FROM = Version.parse("1.18.17")  # preserve_recent default cap 15,000 (8,000 before); tail_turns unlimited
V2_COMPAT_FROM = Version.parse("1.18.33")       # ConfigV2Compat.lower (absent in 1.18.20; first version not bisected)
CEREBRAS_HOOK_FROM = Version.parse("1.18.33")   # built-in max_tokens hooks: `@ai-sdk/cerebras` with
                                                # `max_completion_tokens` (1.18.33), replacing the
                                                # cloudflare-ai-gateway `openai/*` reasoning one (1.14.41-1.18.16
                                                # read; the change lies between 1.18.17 and 1.18.33, not bisected)

# --- the resolver's constants (1.18.33: `V7=32000`, `var Ud=20000;function vn(e)`, `Dd=15000`, `vd=2000`) ----
OUTPUT_TOKEN_MAX = 32_000
COMPACTION_BUFFER = 20_000
TAIL_MIN = 2_000
TAIL_MAX_BEFORE, TAIL_MAX = 8_000, 15_000

# --- environment variables (`Flag` / `RuntimeFlags`, 1.18.33) ------------------------------------------
OTM_ENV = "OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX"
DISABLE_AUTOCOMPACT_ENV = "OPENCODE_DISABLE_AUTOCOMPACT"
DISABLE_PRUNE_ENV = "OPENCODE_DISABLE_PRUNE"
EXPERIMENTAL_MODELS_ENV = "OPENCODE_ENABLE_EXPERIMENTAL_MODELS"
DISABLE_DEFAULT_PLUGINS_ENV = "OPENCODE_DISABLE_DEFAULT_PLUGINS"
CONFIG_ENVS = ("OPENCODE_CONFIG", "OPENCODE_CONFIG_DIR", "OPENCODE_CONFIG_CONTENT", "OPENCODE_DISABLE_PROJECT_CONFIG")
# `Flag` booleans (OPENCODE_DISABLE_AUTOCOMPACT, OPENCODE_DISABLE_PRUNE; every flag before
# RUNTIME_FLAGS_FROM) are true for these values only (compared lower-cased).
FLAG_TRUE = ("1", "true")
# From RUNTIME_FLAGS_FROM these are RuntimeFlags read with Effect `Config.boolean` (1.18.33:
# `enableExperimentalModels:k("...")`, `k=(j)=>h.boolean(j).pipe(h.withDefault(!1))`), as Kilo 7.7.9's.
CONFIG_BOOLEAN_ENVS = (EXPERIMENTAL_MODELS_ENV, DISABLE_DEFAULT_PLUGINS_ENV)
# Kilo's variables: a KILO_* name given for an opencode file changes nothing (CMP004).
KILO_ENV_PREFIX = "KILO_"

# --- files (harness-opencode.md 2.1, 2.2) ---------------------------------------------------------------
CONFIG_FILES = ("opencode.json", "opencode.jsonc")   # in one directory `.json` merges first (loses)
GLOBAL_FILES = ("config.json", "opencode.json", "opencode.jsonc")
GLOBAL_ONLY_FILE = "config.json"  # read only from the global directory
CONFIG_DIR = ".opencode"
GLOBAL_DIR = "opencode"           # `$XDG_CONFIG_HOME/opencode`, default `~/.config/opencode`
CONFIG_HOME = ".config"
GLOBAL_CONFIG_PATH = "~/.config/opencode/opencode.json"
# Arrays concatenated and de-duplicated across layers (`instructions`; `plugin` by origin).
CONCAT_KEYS = frozenset({"instructions", "plugin"})

# --- models -----------------------------------------------------------------------------------------------
MODEL_REF_KEYS = ("model", "small_model")
MODEL_REF = kilo_facts.MODEL_REF   # `parseModel`, as Kilo: split at the first `/`
OPENAI_COMPATIBLE = "@ai-sdk/openai-compatible"
ANTHROPIC_NPMS = ("@ai-sdk/anthropic", "@ai-sdk/google-vertex/anthropic")  # thinking variants add a budget (5.3)
# Provider or model ids whose Anthropic variants are adaptive (no budget) in 1.18.33 (`IJ`: kimi, moonshot).
ADAPTIVE_ONLY_NAMES = ("kimi", "moonshot")
COPILOT_PROVIDER = "github-copilot"  # its plugin replaces the models' limits with the Copilot API's
CLOUDFLARE_GATEWAY = "cloudflare-ai-gateway"  # its `openai/*` reasoning models send no max_tokens before
                                             # CEREBRAS_HOOK_FROM

DATA = data_file(__file__, "config_schema.json")
CATALOG = data_file(__file__, "catalog.json")


@cache
def schema_facts() -> dict[str, Any]:
    return json.loads(read_data(DATA))


def opencode_version() -> str:
    return schema_facts()["opencode_version"]


@cache
def catalog_version() -> str:
    """The release whose bundled snapshot `catalog.json` holds (1.18.33)."""
    return json.loads(read_data(CATALOG))["opencode_version"]


def catalog_label() -> str:
    """`opencode 1.18.33's bundled models.dev catalog`, for provenance."""
    return f"opencode {catalog_version()}'s bundled models.dev catalog"


def catalog_provider_ids() -> frozenset[str]:
    """Provider ids opencode knows without any configuration."""
    return kilo_facts.catalog_provider_ids(CATALOG)


def catalog_model(provider_id: str, model_id: str) -> kilo_facts.CatalogModel | None:
    """The exact entry (provider id, `id ?? key`) opencode's config merge finds, or None."""
    return kilo_facts.catalog_model(provider_id, model_id, CATALOG)


def _row(version: Version) -> dict[str, Any]:
    """The extracted key sets of the nearest release row at or below `version` (the oldest row
    for anything older)."""
    rows = sorted(schema_facts()["versions"].items(), key=lambda item: Version.parse(item[0]))
    chosen = rows[0][1]
    for text, row in rows:
        if Version.parse(text) <= version:
            chosen = row
    return chosen


def top_level_keys(version: Version | None = None) -> frozenset[str]:
    """The Config struct's keys (default: the default target's)."""
    if version is None:
        return frozenset(schema_facts()["top_level"])
    return frozenset(_row(version)["top_level"])


def compaction_keys(version: Version) -> frozenset[str]:
    return frozenset(_row(version)["compaction"])


def object_keys(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(keys, required keys) of `provider`, `provider_options`, `model` or `limit` (default target)."""
    entry = schema_facts()["versions"][opencode_version()][name]
    if isinstance(entry, dict):
        return frozenset(entry["keys"]), frozenset(entry["required"])
    return frozenset(entry), frozenset()


def deprecated_top_level() -> dict[str, str | None]:
    """Top-level keys the schema marks `@deprecated`, with the replacement it names."""
    return {key: entry.get("replacement") for key, entry in schema_facts()["top_level"].items()
            if entry.get("deprecated")}


def stripped_keys() -> tuple[str, ...]:
    """`theme`, `keybinds`, `tui`: deleted before validation (they belong to tui.json)."""
    return tuple(schema_facts()["stripped_keys"])


def mcp_entry_types() -> tuple[str, ...]:
    """The `type` values of opencode's MCP entries (`local`, `remote`)."""
    return tuple(schema_facts()["mcp_types"])


def v2() -> dict[str, Any]:
    """What ConfigV2Compat.lower does with V2-native keys (from V2_COMPAT_FROM)."""
    return schema_facts()["v2"]


def v2_top_level_keys() -> frozenset[str]:
    """The V2-native top-level keys the lowering reads (lowered, or fatal: `permissions`)."""
    return frozenset(v2()["top_level_lowered"]) | {v2()["fatal"]}


def unknown_top_level_fatal(version: Version) -> bool:
    """Before UNKNOWN_TOP_DROPPED_FROM an unknown top-level key stops opencode."""
    return _row(version)["top_level_unknown"] == "error"


def kilo_only_top_level() -> frozenset[str]:
    """Keys Kilo's schema has and opencode's does not (harness-opencode.md 3.2a), from both
    extracted schemas."""
    return kilo_facts.top_level_keys() - top_level_keys() - set(stripped_keys())


def kilo_only_nested() -> dict[str, frozenset[str]]:
    """Nested keys only Kilo knows, by the path of their object (`compaction`, a model, a provider)."""
    pairs = (("compaction", "compaction", frozenset(_row(Version.parse(opencode_version()))["compaction"])),
             ("provider.*.models.*", "provider.*.models.*", object_keys("model")[0]),
             ("provider.*", "provider.*", object_keys("provider")[0]))
    return {path: kilo_facts.object_keys(kilo_path)[0] - keys for path, kilo_path, keys in pairs}


def _check_shared_constants() -> None:
    """The arithmetic is Kilo's functions, which read Kilo's constants: fail at import if
    opencode's (read from its binary) ever differ."""
    pairs = {"OUTPUT_TOKEN_MAX": OUTPUT_TOKEN_MAX, "COMPACTION_BUFFER": COMPACTION_BUFFER, "TAIL_MIN": TAIL_MIN,
             "TAIL_MAX": TAIL_MAX, "TAIL_MAX_BEFORE": TAIL_MAX_BEFORE}
    differ = {name: value for name, value in pairs.items() if getattr(kilo_facts, name) != value}
    if differ:
        raise RuntimeError(f"opencode's constants differ from Kilo's, whose arithmetic the resolver shares: {differ}")


_check_shared_constants()
