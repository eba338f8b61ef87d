"""Kilo's facts: what a release does, in one place.

Two kinds, kept apart:

- read from Kilo's shipped binary (`data/*.json`, by `tools/extract/kilo.py`):
  `config_schema.json` is the one source of Kilo's config key sets, deprecations, TUI
  keys, MCP entry types, blocked `{env:}` names and config directories: the pydantic
  model is checked against it and the harness unit reads it. `catalog.json` is the
  models.dev snapshot bundled in the binary, which Kilo merges under the config's
  models: what Kilo believes a model's limits are (the resolver's trigger and
  max_tokens), as opposed to cfglint's registry (what the provider accepts).
  Regenerate both with `python -m tools.extract.kilo`.
- written by hand from Kilo's sources (`harness-kilo.md`): the version gates, the
  resolver's constants, the environment variables, model references and the providers
  that need no configuration.
"""

from __future__ import annotations

import json
import re
from functools import cache

from cfglint.core.paths import data_file, read_data
from cfglint.core.record import named_tuple
from cfglint.core.versions import Version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


TITLE = "Kilo"  # the harness's name in messages (`Kilo.title`, and SYN002's "Kilo reads JSONC")

# --- version gates (cfglint's release mapping: harness-kilo.md 5.1) ----------------------------
# Before PR #10218 (2026-05-13; first in the 7.3 line by cfglint's release mapping) there was
# no compaction.threshold_percent.
THRESHOLD_PERCENT_FROM = Version.parse("7.3")
# PR #13340: percent base `limit.context` instead of `limit.input or limit.context`.
CONTEXT_BASE_FROM = Version.parse("7.7.9")
# Read from the 7.7.9 binary (errata 5.1, 5.5, 4); the release that changed them is not known, so
# cfglint places the change at 7.7.9, the first release measured (`tools/fidelity/kilo.py`):
# - the kept-tail bound 15,000 (was 8,000 in the sources of harness-kilo.md 5.5), with `usable`
#   at the env output cap (was 32,000);
# - the flags read through Effect `Config` (`RuntimeFlags`): the output cap with `Config.number`,
#   `KILO_DISABLE_DEFAULT_PLUGINS` with `Config.boolean` (was `Number()` and `1`/`true`).
RUNTIME_FLAGS_FROM = Version.parse("7.7.9")

# --- the resolver's constants -------------------------------------------------------------------
OUTPUT_TOKEN_MAX = 32_000       # provider/transform.ts: max_tokens clamp without the env override
COMPACTION_BUFFER = 20_000      # session/overflow.ts: default `reserved` = min(20,000, max output)
CAP_MARGIN = 2_048              # KiloLLM.capOutputTokens: tokens kept free below the window
CAP_FLOOR = 1_024               # capOutputTokens never clamps below this
CHUNK_OUTPUT_MAX = 2_048        # compaction-chunks.ts: output cap of a chunk worker
CHUNK_MIN_BUDGET = 1_000        # compaction-chunks.ts: smallest chunk budget
TAIL_MIN = 2_000                # session/compaction.ts: preserve_recent default lower bound
TAIL_MAX_BEFORE, TAIL_MAX = 8_000, 15_000  # its upper bound before and from RUNTIME_FLAGS_FROM

# --- environment variables (`core/src/flag/flag.ts`) -----------------------------------------------
OTM_ENV = "KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX"
DISABLE_AUTOCOMPACT_ENV = "KILO_DISABLE_AUTOCOMPACT"
EXPERIMENTAL_MODELS_ENV = "KILO_ENABLE_EXPERIMENTAL_MODELS"
# Skips the built-in plugins, whose `chat.params` hooks unset max_tokens (errata 5.3).
DISABLE_DEFAULT_PLUGINS_ENV = "KILO_DISABLE_DEFAULT_PLUGINS"
# Before RUNTIME_FLAGS_FROM the output cap is `Number(value)` when that is a positive integer
# (`numbers.javascript_number`). Booleans read by `Flag.truthy` (KILO_DISABLE_AUTOCOMPACT, and
# every flag before RUNTIME_FLAGS_FROM) are true for these values only (compared lower-cased).
FLAG_TRUE = ("1", "true")
# From RUNTIME_FLAGS_FROM the output cap is Effect `Config.number`: the string must match Effect
# Schema's "a string representing a finite number" pattern (ASCII digits, no spaces) or be a
# non-finite literal, then `Number(...)`, kept when `Number.isInteger(v) && v > 0`.
EFFECT_NUMBER = r"[+-]?[0-9]*\.?[0-9]+(?:[Ee][+-]?[0-9]+)?"  # a pattern: `re` compiles it at its first use
EFFECT_NON_FINITE = ("Infinity", "-Infinity", "NaN")
# ... and KILO_DISABLE_DEFAULT_PLUGINS is Effect `Config.boolean` (case-sensitive literals).
EFFECT_TRUE = ("true", "yes", "on", "1", "y")
EFFECT_FALSE = ("false", "no", "off", "0", "n")

# --- models and providers ---------------------------------------------------------------------------
# Settings that name a model as `provider/model` (besides `agent.<name>.model`).
MODEL_REF_KEYS = ("model", "small_model", "subagent_model")
# `parseModel`: a reference is `provider/model`, split at the first `/`.
MODEL_REF = re.compile(r"^([^/]+)/(.+)$")
# The Kilo Gateway (present unless disabled): its models and limits come from the Kilo API at
# run time (`ModelCache`).
GATEWAY_PROVIDER = "kilo"
# Pseudo-routers: `morph/auto` for `agent.compaction.model` names no model with limits, so it
# gets no budget. Other `morph/...` models are plain entries of Kilo's bundled catalog
# (morph-v3-fast: context 16,000), computed like any other.
ROUTER_MODELS = frozenset({"morph/auto"})
# Providers that exist without being configured or in a catalog: a model reference to one is
# no unknown provider (SCH004). The gateway has models with limits; the routers have none.
BUILTIN_PROVIDERS = frozenset({GATEWAY_PROVIDER, *(ref.split("/")[0] for ref in ROUTER_MODELS)})

# --- read from Kilo's binary ----------------------------------------------------------------------
DATA = data_file(__file__, "config_schema.json")
CATALOG = data_file(__file__, "catalog.json")
OPENAI_COMPATIBLE = "@ai-sdk/openai-compatible"  # Kilo's npm when nothing names one
_MCP_TYPE_PATH = re.compile(r"^mcp\.\*(?:\|\d+)+\.type$")


@cache
def schema_facts() -> dict[str, Any]:
    return json.loads(read_data(DATA))


def kilo_version() -> str:
    return schema_facts()["kilo_version"]


def top_level_keys() -> frozenset[str]:
    """Keys Kilo's top-level schema declares (an unknown one makes Kilo reject the file)."""
    return frozenset(schema_facts()["top_level"])


def deprecated_top_level() -> dict[str, str | None]:
    """Top-level keys the schema marks `@deprecated`, with the replacement it names."""
    return {key: entry.get("replacement") for key, entry in schema_facts()["top_level"].items()
            if entry.get("deprecated")}


def tui_keys() -> tuple[str, ...]:
    """Keys Kilo deletes from the main config with "tui keys ... are deprecated" (`theme`, ...)."""
    return tuple(schema_facts()["tui_keys"])


def tui_warning() -> str:
    return schema_facts()["tui_warning"]


def object_keys(path: str) -> tuple[frozenset[str], frozenset[str]]:
    """(keys, required keys) of the object at a schema path such as `provider.*.models.*.limit`."""
    entry = schema_facts()["objects"][path]
    return frozenset(entry["keys"]), frozenset(entry["required"])


def mcp_entry_types() -> tuple[str, ...]:
    """The `type` values of Kilo's MCP server entries (`local`, `remote`)."""
    enums = schema_facts()["enums"]
    return tuple(value for path, values in enums.items() if _MCP_TYPE_PATH.match(path) for value in values)


def blocked_env_names() -> frozenset[str]:
    """Variables `{env:}` may never name (compared upper-cased, as Kilo does)."""
    return frozenset(schema_facts()["blocked_env"])


def config_dir_names() -> tuple[str, ...]:
    """Project dot-directories Kilo reads config files from (`.kilo`, `.kilocode`)."""
    return tuple(schema_facts()["config_dirs"])


@named_tuple
class CatalogModel:
    """One model of Kilo's bundled catalog, as `fromModelsDevProvider` turns it into a Model."""

    context: int
    input: int | None
    output: int
    status: str             # `active` when the entry has none
    npm: str                # the AI-SDK package Kilo loads for it


_PROVIDERS = ',\n "providers": {\n'


class _Catalog:
    """A bundled catalog whose providers are decoded on first use: a check looks up one or two
    of ~220 providers, and decoding the whole 0.45 MB file took ~4 ms of every Kilo check.
    `providers` maps an id to its decoded object, or to where that object starts in `_text`."""

    __slots__ = ("head", "providers", "_text")

    def __init__(self, text: str) -> None:
        self.head, self.providers, self._text = _lazy_catalog(text) or _whole_catalog(text)

    def provider(self, provider_id: str) -> dict[str, Any] | None:
        entry = self.providers.get(provider_id)
        if isinstance(entry, int):
            entry = self.providers[provider_id] = json.JSONDecoder().raw_decode(self._text, entry)[0]
        return entry


def _lazy_catalog(text: str) -> tuple[dict[str, Any], dict[str, Any], str] | None:
    """(head, provider offsets, text) read from `tools/extract/kilo.py`'s layout (`render_catalog`:
    the head, then `"providers": {`, then one `  "id": {...` line per provider opening its
    object, whose models are indented deeper); None for any other layout or an escaped id."""
    split = text.find(_PROVIDERS)
    if split < 0 or not text.endswith("\n }\n}\n"):
        return None
    head = json.loads(text[:split] + "}")
    providers: dict[str, Any] = {}
    pos = text.find('\n  "', split + len(_PROVIDERS) - 1)
    while pos >= 0:
        value = text.find('": {', pos)
        provider_id = text[pos + 4:value]
        if value < 0 or '"' in provider_id or "\\" in provider_id or "\n" in provider_id:
            return None
        providers[provider_id] = value + 3
        pos = text.find('\n  "', value)
    return head, providers, text


def _whole_catalog(text: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    head = json.loads(text)
    return head, head.pop("providers"), text


@cache
def _catalog(path: str = CATALOG) -> _Catalog:
    return _Catalog(read_data(path))


def catalog_label() -> str:
    """`Kilo 7.7.9's bundled models.dev catalog`, for provenance."""
    return f"Kilo {_catalog(CATALOG).head['kilo_version']}'s bundled models.dev catalog"  # the key the others cache


def catalog_provider_ids(catalog: str = CATALOG) -> frozenset[str]:
    """Provider ids Kilo knows without any configuration (`catalog`: another harness's bundled
    catalog in the same format, e.g. upstream opencode's)."""
    return frozenset(_catalog(catalog).providers)


def catalog_provider_npm(provider_id: str, catalog: str = CATALOG) -> str | None:
    """The provider's npm package in the catalog (`Y[pid]?.npm`), None for an unknown provider."""
    provider = _catalog(catalog).provider(provider_id)
    return provider["npm"] if provider else None


def npm_rule(provider_id: str, model_id: str, catalog: str = CATALOG) -> str | None:
    """PY9: the npm a model-id prefix selects on some providers (cloudflare-ai-gateway `openai/...`)."""
    rules = _catalog(catalog).head["npm_by_model_prefix"].get(provider_id, {})
    return next((npm for prefix, npm in rules.items() if model_id.startswith(prefix)), None)


def catalog_model(provider_id: str, model_id: str, catalog: str = CATALOG) -> CatalogModel | None:
    """The exact entry (provider id, model key) Kilo's config merge finds, or None."""
    provider = _catalog(catalog).provider(provider_id)
    row = provider["models"].get(model_id) if provider else None
    if row is None:
        return None
    context, input_limit, output, status, own_npm = (row + [None] * 5)[:5]
    npm = npm_rule(provider_id, model_id, catalog) or own_npm or provider["npm"] or OPENAI_COMPATIBLE
    return CatalogModel(context, input_limit, output, status or "active", npm)
