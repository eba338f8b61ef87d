"""Facts read from Kilo's shipped binary (`data/*.json`, by `tools/extract/kilo.py`).

`config_schema.json` is the one source of Kilo's config key sets, deprecations, TUI
keys, MCP entry types, blocked `{env:}` names and config directories: the pydantic
model is checked against it and the harness unit reads it. `catalog.json` is the
models.dev snapshot bundled in the binary, which Kilo merges under the config's
models: what Kilo believes a model's limits are (the resolver's trigger and
max_tokens), as opposed to cfglint's registry (what the provider accepts).
Regenerate both with `python -m tools.extract.kilo`.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

DATA = Path(__file__).with_name("data") / "config_schema.json"
CATALOG = Path(__file__).with_name("data") / "catalog.json"
OPENAI_COMPATIBLE = "@ai-sdk/openai-compatible"  # Kilo's npm when nothing names one
_MCP_TYPE_PATH = re.compile(r"^mcp\.\*(?:\|\d+)+\.type$")


@cache
def schema_facts() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


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


def mcp_header_reference() -> re.Pattern[str]:
    """The pattern Kilo uses to find variable references in project MCP headers."""
    literal = schema_facts()["project_config"]["mcp_header_reference_pattern"]
    return re.compile(literal[1:literal.rindex("/")])


class CatalogModel(NamedTuple):
    """One model of Kilo's bundled catalog, as `fromModelsDevProvider` turns it into a Model."""

    context: int
    input: int | None
    output: int
    status: str             # `active` when the entry has none
    npm: str                # the AI-SDK package Kilo loads for it


@cache
def _catalog() -> dict[str, Any]:
    return json.loads(CATALOG.read_text(encoding="utf-8"))


def catalog_label() -> str:
    """`Kilo 7.7.9's bundled models.dev catalog`, for provenance."""
    return f"Kilo {_catalog()['kilo_version']}'s bundled models.dev catalog"


def catalog_provider_ids() -> frozenset[str]:
    """Provider ids Kilo knows without any configuration."""
    return frozenset(_catalog()["providers"])


def catalog_provider_npm(provider_id: str) -> str | None:
    """The provider's npm package in the catalog (`Y[pid]?.npm`), None for an unknown provider."""
    provider = _catalog()["providers"].get(provider_id)
    return provider["npm"] if provider else None


def npm_rule(provider_id: str, model_id: str) -> str | None:
    """PY9: the npm a model-id prefix selects on some providers (cloudflare-ai-gateway `openai/...`)."""
    rules = _catalog()["npm_by_model_prefix"].get(provider_id, {})
    return next((npm for prefix, npm in rules.items() if model_id.startswith(prefix)), None)


def catalog_model(provider_id: str, model_id: str) -> CatalogModel | None:
    """The exact entry (provider id, model key) Kilo's config merge finds, or None."""
    provider = _catalog()["providers"].get(provider_id)
    row = provider["models"].get(model_id) if provider else None
    if row is None:
        return None
    context, input_limit, output, status, own_npm = (row + [None] * 5)[:5]
    npm = npm_rule(provider_id, model_id) or own_npm or provider["npm"] or OPENAI_COMPATIBLE
    return CatalogModel(context, input_limit, output, status or "active", npm)
