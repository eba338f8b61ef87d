"""Kilo Code CLI (`kilo.jsonc`, `kilo.json`, `opencode.json[c]`), default target 7.7.9.

Facts: `harness-kilo.md`. Files are JSONC with `{env:}`/`{file:}` substitution
on the raw text; the top level is strict (an unknown key makes Kilo skip the
file); global, project and dot-directory files merge with remeda `mergeDeep`.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any, Iterable, Mapping

from cfglint.document import Document, ParseResult, Path
from cfglint.findings import Severity
from cfglint.harnesses.base import Harness, Merged, Note, merge_layers
from cfglint.source import SourceText
from cfglint.versions import Version

CONFIG_FILES = ("kilo.jsonc", "kilo.json", "opencode.jsonc", "opencode.json")
CONFIG_DIRS = (".kilocode", ".kilo", ".opencode")
# Merge order of the global directory (later wins).
GLOBAL_ORDER = ("kilo.json", "kilo.jsonc", "opencode.json", "opencode.jsonc")
# Before PR #10218 (2026-05-13; first in the 7.3 line by cfglint's release mapping) there was
# no compaction.threshold_percent.
THRESHOLD_PERCENT_FROM = Version.parse("7.3")
# Providers that exist without being configured: the Kilo Gateway (unless disabled) and the
# `morph/auto` pseudo-router for agent.compaction.model.
BUILTIN_PROVIDERS = ("kilo", "morph")
MODEL_REF_KEYS = ("model", "small_model", "subagent_model")

_DEPRECATED_TOP = {
    "mode": "agent",
    "tools": "permission",
    "reference": "references",
    "autoshare": "share",
    "auto_collapse_reasoning": "reasoning_display",
    "layout": None,
}
_MODEL_REF = re.compile(r"^([^/]+)/(.+)$")


class Kilo(Harness):
    dialect = "kilo"
    title = "Kilo"
    resolver_module = "cfglint.harnesses.kilo.resolver"
    syntax = "jsonc"
    default_version = "7.7.9"
    file_names = CONFIG_FILES

    def parse(self, source: SourceText, env: Mapping[str, str]) -> ParseResult:
        from cfglint.parsing.kilo_substitution import parse_kilo

        return parse_kilo(source, env)

    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        if strict:
            return "rejects the whole file (`Unrecognized key`) and skips it"
        return "drops it silently"

    def invalid_value_effect(self, path: Path, value: Any, version: Version) -> str | None:
        return "Kilo reports it and skips the whole file"

    # --- layers ---------------------------------------------------------------
    layers_from_ancestors = True
    skips_invalid_files = True

    def layer_group(self, doc: Document) -> str:
        directory = PurePath(doc.path).parent
        if directory.name in CONFIG_DIRS:
            directory = directory.parent
        return str(directory)

    def is_user_layer(self, doc: Document) -> bool:
        """Files of the global directory `~/.config/kilo/` (the XDG default)."""
        parent = PurePath(doc.path).parent
        return parent.name == "kilo" and parent.parent.name == ".config"

    def layer_rank(self, doc: Document) -> tuple:
        """harness-kilo.md 2.2: the global directory first, then project files: project files (kilo.* before opencode.*, outermost directory
        first, .json before .jsonc), then dot-directories walking up from the innermost."""
        path = PurePath(doc.path)
        name = path.name
        if self.is_user_layer(doc):
            return (0, GLOBAL_ORDER.index(name))
        if path.parent.name in CONFIG_DIRS:
            depth = len(path.parent.parent.parts)
            return (2, -depth, CONFIG_DIRS.index(path.parent.name), CONFIG_FILES.index(name))
        return (1, name.startswith("opencode"), len(path.parent.parts), name.endswith(".jsonc"))

    def merge(self, layers: list[Document]) -> Merged:
        merged = merge_layers(layers, concat_keys=frozenset({"instructions", "plugin"}))
        providers = merged.data.get("provider")
        if isinstance(providers, dict):
            for pid in [p for p, v in providers.items() if v is None]:
                del providers[pid]  # null is Kilo's delete sentinel
            for provider in providers.values():
                models = provider.get("models") if isinstance(provider, dict) else None
                if isinstance(models, dict):
                    for mid in [m for m, v in models.items() if v is None]:
                        del models[mid]
        return merged

    # --- facts -----------------------------------------------------------------
    def unknown_keys_for_version(self, data: Any, version: Version) -> Iterable[Note]:
        compaction = data.get("compaction") if isinstance(data, dict) else None
        if version < THRESHOLD_PERCENT_FROM and isinstance(compaction, dict) and "threshold_percent" in compaction:
            yield Note(("compaction", "threshold_percent"),
                       f"unknown key `threshold_percent` in `compaction`: added by PR #10218 "
                       f"(Kilo 7.3); Kilo {version} drops it", fix="target a newer Kilo, or remove it")

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str]) -> Iterable[Note]:
        if not isinstance(data, dict):
            return
        for key, new in _DEPRECATED_TOP.items():
            if key in data:
                yield _deprecation((key,), f"`{key}`", new, version)
        agents = data.get("agent")
        if isinstance(agents, dict):
            for name, agent in agents.items():
                if not isinstance(agent, dict):
                    continue
                for key, new in (("maxSteps", "steps"), ("tools", "permission")):
                    if key in agent:
                        yield _deprecation(("agent", name, key), f"`agent.{name}.{key}`", new, version)

    def references(self, ctx) -> Iterable[Note]:
        data = ctx.merged.data
        if not isinstance(data, dict):
            return
        configured = data.get("provider") if isinstance(data.get("provider"), dict) else {}
        disabled = set(data.get("disabled_providers") or ()) if isinstance(data.get("disabled_providers"), list) else set()
        enabled = data.get("enabled_providers") if isinstance(data.get("enabled_providers"), list) else None
        catalog = ctx.registry.catalog_provider_ids
        for path, ref in _model_references(data):
            match = _MODEL_REF.match(ref)
            if not match:
                yield Note(path, f"model reference \"{ref}\" is not in `provider/model` form; Kilo "
                                 "fails the session with ProviderModelNotFoundError",
                           fix="write it as `provider/model`, e.g. `anthropic/claude-sonnet-4-5`",
                           at="value", details={"reference": ref})
                continue
            provider = match.group(1)
            if provider in disabled or (enabled is not None and provider not in enabled):
                yield Note(path, f"model \"{ref}\" uses provider `{provider}`, which this configuration "
                                 "disables (`enabled_providers`/`disabled_providers`)",
                           fix=f"enable `{provider}` or pick a model of an enabled provider",
                           at="value", details={"reference": ref, "provider": provider})
            elif provider not in configured and provider not in catalog and provider not in BUILTIN_PROVIDERS:
                yield Note(path, f"model \"{ref}\" uses provider `{provider}`, which is neither configured "
                                 "in the files of this run nor a models.dev provider",
                           fix=f"add `provider.{provider}` (with `npm`, `options.baseURL` and `models`) or use a "
                               "catalog provider id",
                           severity=Severity.WARNING, at="value",
                           details={"reference": ref, "provider": provider})


def _model_references(data: dict) -> Iterable[tuple[Path, str]]:
    for key in MODEL_REF_KEYS:
        if isinstance(data.get(key), str):
            yield (key,), data[key]
    agents = data.get("agent")
    if isinstance(agents, dict):
        for name, agent in agents.items():
            if isinstance(agent, dict) and isinstance(agent.get("model"), str):
                yield ("agent", name, "model"), agent["model"]


def _deprecation(path: Path, label: str, new: str | None, version: Version) -> Note:
    if new is None:
        return Note(path, f"{label} is deprecated in Kilo {version} and has no replacement",
                    fix="remove it", details={"replacement": None})
    return Note(path, f"{label} is deprecated in Kilo {version}; use `{new}`",
                fix=f"move the setting to `{new}`", details={"replacement": new})


KILO = Kilo()
