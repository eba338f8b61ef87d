"""Kimi Code (TypeScript, `~/.kimi-code/config.toml`) and legacy kimi-cli (Python, `~/.kimi/config.toml`).

Facts: the schemas extracted from the shipped packages (`facts.py`: Kimi Code 2.1.0's
bundle, kimi-cli 1.49.0's wheel), `harness-kimi.md` for older releases and budgets.
Both read TOML; they differ in bounds, provider types and which keys exist, and Kimi
Code changes engine at 0.33.0 (the v2 engine is the default; `KIMI_CODE_LEGACY_FLAG=1`
selects the legacy one).
"""

from __future__ import annotations

import re

from cfglint.core.document import Document, ParseResult, Path, format_path
from cfglint.core.finding import Severity
from cfglint.harnesses.base import Harness, Merged, Note
from cfglint.harnesses.endpoints import entries
from cfglint.harnesses.kimi import endpoints as kimi_endpoints
from cfglint.harnesses.kimi import facts
from cfglint.core.text import SourceText
from cfglint.core.versions import Version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Mapping
    from cfglint.harnesses.endpoints import Endpoint
    from cfglint.registry import Registry


# Where the keys of a config tell the two dialects apart: the top level, a model entry, and
# two sections both have.
_TELLING_SECTIONS: tuple[tuple[str, ...], ...] = ((), ("models", "*"), ("loop_control",), ("background",))


def _keys_used(data: dict) -> dict[tuple[str, ...], set[str]]:
    """Keys a file uses, per section of `_TELLING_SECTIONS`."""
    used: dict[tuple[str, ...], set[str]] = {(): set(data)}
    used[("models", "*")] = {key for _, model in entries(data, "models") for key in model}
    for section in _TELLING_SECTIONS[2:]:
        table = data.get(section[0])
        used[section] = set(table) if isinstance(table, dict) else set()
    return used


def _own_keys_used(used: dict[tuple[str, ...], set[str]], mine: dict[str, Any], other: dict[str, Any]) -> int:
    """How many of the keys used only the harness of `mine` (an extracted schema) knows."""
    return sum(len(keys & (facts.section_keys(mine, section) - facts.section_keys(other, section)))
               for section, keys in used.items())


# chezmoi source-state attributes a folder name may carry before its real name
# (`private_dot_kimi-code` is `~/.kimi-code`).
_CHEZMOI_PREFIXES = re.compile(r"^(?:(?:exact|private|readonly|empty|executable|encrypted|external|remove)_)*(dot_)?")


def _real_folder_name(name: str) -> str:
    """The folder name a dotfile manager deploys: chezmoi's `private_dot_kimi-code` -> `.kimi-code`."""
    prefixes = _CHEZMOI_PREFIXES.match(name)
    return ("." if prefixes.group(1) else "") + name[prefixes.end():]


def _dialect_by_directory(path) -> str | None:
    """Dotfile repositories name the folder after the harness (`kimi/`, `dot_kimi/`, `kimi-code/`)."""
    name = _real_folder_name(path.parent.name.lower()).lstrip(".")
    if name in ("kimi-code", "kimi_code"):
        return "kimi-code"
    if name == "kimi":
        return "kimi-cli"
    return None


def _types_used(data: dict, types: frozenset[str]) -> int:
    return sum(p.get("type") in types for _, p in entries(data, "providers"))


class _Kimi(Harness):
    syntax = "toml"
    # Whether the harness loads any value as `default_model` (else the schema checks its type).
    default_model_unchecked = False

    def dialect_by_content(self, path, data: Any) -> str | None:
        """A TOML file outside .kimi/.kimi-code is Kimi-style when it has `[models.*]` entries
        with `max_context_size` or a `[loop_control]` table. Which harness: Kimi Code in a
        folder deployed as `~/.kimi-code` (chezmoi `private_dot_kimi-code`: it reads the file
        whatever it holds); else the one whose own provider types (`openai_legacy` vs `openai`),
        then own keys (known to it, unknown to the other), the file uses more; on a tie the
        folder name, else Kimi Code."""
        if not isinstance(data, dict):
            return None
        models = data.get("models")
        has_models = isinstance(models, dict) and any(
            isinstance(m, dict) and "max_context_size" in m for m in models.values())
        if not has_models and not isinstance(data.get("loop_control"), dict):
            return None
        if _real_folder_name(path.parent.name) in KimiCode.config_dirs:
            return "kimi-code"
        cli_types = _types_used(data, facts.kimi_cli_only_provider_types())
        code_types = _types_used(data, facts.kimi_code_only_provider_types())
        if cli_types != code_types:
            return "kimi-cli" if cli_types > code_types else "kimi-code"
        code, cli, used = facts.kimi_code_facts(), facts.kimi_cli_facts(), _keys_used(data)
        code_only, cli_only = _own_keys_used(used, code, cli), _own_keys_used(used, cli, code)
        if code_only != cli_only:
            return "kimi-code" if code_only > cli_only else "kimi-cli"
        return _dialect_by_directory(path) or "kimi-code"

    def parse(self, source: SourceText, env: Mapping[str, str], path: str | None = None) -> ParseResult:
        from cfglint.parsing.toml import parse_toml

        return parse_toml(source)

    def endpoints(self, data: Any) -> Iterable[Endpoint]:
        return kimi_endpoints.endpoints(data)

    def references(self, merged: Merged, registry: Registry) -> Iterable[Note]:
        data = merged.data
        models = data.get("models") if isinstance(data.get("models"), dict) else {}
        providers = data.get("providers") if isinstance(data.get("providers"), dict) else {}
        default = data.get("default_model")
        known = ", ".join(f"`{m}`" for m in models) or "none"
        if self.default_model_unchecked and default is not None and not isinstance(default, str):
            yield Note(
                ("default_model",),
                f"`default_model = {default!r}` is not a string, so it names no entry of [models]; "
                f"{self.title} loads the file but selects no model by it",
                fix=f"set default_model to the alias of a [models] entry (defined: {known})",
                at="value",
                details={"reference": default, "defined": sorted(models)},
            )
        if isinstance(default, str) and default and default not in models:
            yield Note(
                ("default_model",),
                f"`default_model = \"{default}\"` names no entry of [models] (defined: {known})",
                fix=_closest_fix(default, models, "models"),
                at="value",
                details={"reference": default, "defined": sorted(models)},
            )
        for alias, model in entries(data, "models"):
            provider = model.get("provider")
            if isinstance(provider, str) and provider not in providers:
                yield Note(
                    ("models", alias, "provider"),
                    f"model `{alias}` uses provider `{provider}`, which is not a key of [providers]",
                    fix=_closest_fix(provider, providers, "providers"),
                    at="value",
                    details={"reference": provider, "defined": sorted(providers)},
                )


def _closest_fix(name: str, defined: Mapping[str, Any], table: str) -> str:
    import difflib  # only a reference to an undefined entry pays for it

    close = difflib.get_close_matches(name, list(defined), n=1, cutoff=0.5)
    if close:
        return f"did you mean `{close[0]}`?"
    return f"define [{table}.\"{name}\"] or point the reference at an existing entry"


def _unusable_models(data: Any, version: Version) -> Iterable[Note]:
    """Model entries Kimi Code loads but cannot build a request for (`buildModel`): each
    requirement needs one of its keys in the entry or in its `overrides`."""
    for alias, model in entries(data, "models"):
        overrides = model.get("overrides") if isinstance(model.get("overrides"), dict) else {}
        for requirement in facts.model_requirements():
            keys = requirement["one_of_keys"]
            if any(key in model or key in overrides for key in keys):
                continue
            harness_says = requirement["message"].replace("<alias>", alias)
            yield Note(
                ("models", alias),
                f"missing required key `{keys[-1]}` in model `{alias}`: Kimi Code {version} loads the file but "
                f"fails when this model is used (\"{harness_says}\")",
                fix=f"add {' or '.join(f'`{key}`' for key in reversed(keys))} to [models.\"{alias}\"]",
                details={"key": keys[-1]},
            )


class KimiCode(_Kimi):
    dialect = "kimi-code"
    title = "Kimi Code"
    resolver_module = "cfglint.harnesses.kimi.resolve_code"
    schema_model = "cfglint.harnesses.kimi.model:KimiCodeConfig"
    schema_title = "Kimi Code"
    rule_codes = frozenset({
        "CMP001", "CMP004", "CMP005", "CMP006", "CMP008", "ENV001", "REG002", "REG003", "REG004",
        "REG005", "SCH001", "SCH002", "SCH003", "SCH004", "SCH005", "SEC001", "SEC004", "SYN001",
        "SUP001", "SYN004",
    })
    default_model_unchecked = True  # a schemaless domain of 2.1.0 (`SCHEMALESS_DOMAINS`)

    def secret_fix(self, doc: Document, path: Path, value: str, secret: str) -> str:
        return kimi_endpoints.KIMI_CODE_SECRET_FIX

    def legacy_engine(self, version: Version, env: Mapping[str, str]) -> bool:
        """The legacy engine runs before 0.33.0, and after it with KIMI_CODE_LEGACY_FLAG=1 up to the
        2.x releases, which ship only the v2 engine."""
        flag = env.get(facts.LEGACY_FLAG_VAR, "").strip() == "1"
        return version < facts.V2_DEFAULT_FROM or (flag and version < facts.KC_2X_FROM)

    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        if facts.unknown_keys_policy(facts.kimi_code_facts(), path[:-1]) == "keep":
            return "keeps it but never reads it"
        if not strict:
            return "drops it silently"
        return (f"finds the whole `{path[0]}` section invalid and ignores it (hooks[] entries are strict; "
                "`kimi doctor config` reports the file invalid)")

    def invalid_value_effect(self, path: Path, value: Any, version: Version,
                             doc: Document | None = None) -> str | None:
        """The v2 engine validates section by section (`ConfigService.buildValidated`): an invalid
        value makes it ignore that whole top-level section, defaults apply."""
        if version < facts.V2_DEFAULT_FROM or not path:
            return None
        return (f"Kimi Code ignores the whole `{path[0]}` section (its defaults apply) with a warning; "
                "`kimi doctor config` reports the file invalid")

    def unknown_keys_for_version(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        if not isinstance(data, dict):
            return
        loop = data.get("loop_control") if isinstance(data.get("loop_control"), dict) else {}
        if version < facts.V2_DEFAULT_FROM:
            why = "exists only in the v2 engine, the default from 0.33.0"
            for key in ("token_counting", "tools", "identity", "builtin_product_skills"):
                if key in data:
                    yield Note((key,), f"unknown key `{key}`: Kimi Code {version} {why}")
            if "max_attempts_per_step" in loop:
                yield Note(("loop_control", "max_attempts_per_step"),
                           f"unknown key `max_attempts_per_step`: Kimi Code {version} reads "
                           "`max_retries_per_step` (the key " + why + ")",
                           fix="use `max_retries_per_step`")
            for alias, model in entries(data, "models"):
                for key in ("provider_id", "api_key", "oauth", "name", "aliases"):
                    if key in model:
                        yield Note(("models", alias, key), f"unknown key `{key}` in a model: Kimi Code {version} {why}")
        if version < facts.KC_COMPACTION_ATTEMPTS_FROM and "compaction_max_attempts" in loop:
            yield Note(("loop_control", "compaction_max_attempts"),
                       f"unknown key `compaction_max_attempts`: added in Kimi Code 2.1.0, "
                       f"{version} drops it", fix="remove it, or target kimi-code@2.1.0")

    def value_checks(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        yield from _unusable_models(data, version)
        if version < facts.V2_DEFAULT_FROM:
            for name, provider in entries(data, "providers"):
                if "type" not in provider:
                    yield Note(("providers", name),
                               f"missing required key `type` in provider `{name}` "
                               f"(Kimi Code {version}, legacy engine, rejects the file)",
                               fix=f"add `type = \"...\"` (one of {', '.join(facts.wire_types())})",
                               at="value")

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str],
                        path: str | None = None) -> Iterable[Note]:
        if self.legacy_engine(version, env) or not isinstance(data, dict):
            return
        for section, old, new in facts.deprecated_keys():
            table = data.get(section)
            if isinstance(table, dict) and old in table:
                yield Note(
                    (section, old),
                    f"`{section}.{old}` is ignored by Kimi Code {version} (v2 engine, default since "
                    f"0.33.0; only a start-up warning), use `{new}`",
                    fix=f"rename to `{new}`",
                    details={"replacement": new},
                )

    def dialect_mixups(self, data: Any, version: Version) -> Iterable[Note]:
        legacy = version < facts.V2_DEFAULT_FROM
        for name, provider in entries(data, "providers"):
            kind = provider.get("type")
            if not isinstance(kind, str) or kind in facts.wire_types():
                continue
            if not legacy and _protocols_declared(data, name):
                continue
            effect = ("rejects the file at load" if legacy
                      else "loads it but cannot send a request through it")
            rename = facts.migrate_type_renames().get(kind)
            origin = " (a kimi-cli type)" if rename else ""
            yield Note(
                ("providers", name, "type"),
                f"provider type `{kind}`{origin} is not a Kimi Code wire type; Kimi Code {version} {effect}",
                fix=(f"use `type = \"{rename}\"` (what `kimi migrate` writes)" if rename
                     else f"use one of {', '.join(facts.wire_types())}"),
                at="value",
                details={"type": kind, "allowed": list(facts.wire_types())},
            )


def _protocols_declared(data: Any, provider: str) -> bool:
    """Whether models use PROVIDER and each declares its own wire `protocol`: the v2 engine then
    never reads the provider's type (2.1.0 `resolveModelProtocol`: `model.protocol` first)."""
    users = [model for _, model in entries(data, "models") if model.get("provider") == provider]
    return bool(users) and all(model.get("protocol") in facts.wire_types() for model in users)


_CLI_REFUSES = "kimi-cli refuses to start with this file (ConfigError: Invalid configuration file)"


def _aliases_used(data: Any) -> Iterable[tuple[str, str, str, dict[str, Any], dict]]:
    """(section, old key name, key, schema, table) of each old key name (`max_steps_per_run`)
    a file uses: kimi-cli reads it only when the key itself is absent."""
    for section, alias, key, spec in facts.section_aliases(facts.kimi_cli_facts()):
        table = data.get(section) if isinstance(data, dict) else None
        if isinstance(table, dict) and alias in table:
            yield section, alias, key, spec, table


class KimiCli(_Kimi):
    dialect = "kimi-cli"
    title = "kimi-cli"
    resolver_module = "cfglint.harnesses.kimi.resolve_cli"
    schema_model = "cfglint.harnesses.kimi.model:KimiCliConfig"
    schema_title = "Kimi CLI"
    rule_codes = frozenset({
        "CMP001", "CMP003", "CMP004", "CMP005", "CMP008", "ENV001", "REG002", "REG003", "REG005",
        "SCH001", "SCH002", "SCH003", "SCH004", "SCH005", "SEC001", "SEC004", "SUP001", "SYN001", "SYN004",
    })

    def secret_fix(self, doc: Document, path: Path, value: str, secret: str) -> str:
        return kimi_endpoints.KIMI_CLI_SECRET_FIX

    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        return "drops it silently"

    def invalid_value_effect(self, path: Path, value: Any, version: Version,
                             doc: Document | None = None) -> str | None:
        """`load_config` validates the whole file with pydantic and raises on any error."""
        return _CLI_REFUSES

    def value_checks(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        """Numbers and booleans written as strings: pydantic's lax mode reads `"131072"` and
        `"yes"`, so the schema lets strings through and this judges them as pydantic does."""
        for section, alias, key, spec, table in _aliases_used(data):
            if key not in table and (reason := facts.is_lax_rejected(spec, table[alias])) is not None:
                yield Note((section, alias), f"`{section}.{alias}` must be {spec['type']}, got {table[alias]!r} "
                                             f"({reason}): {_CLI_REFUSES}", at="value")
        cli = facts.kimi_cli_facts()
        if cli["coercion"] != "pydantic-lax":
            return
        for path, spec, value in facts.coerced_values(data, cli["config"]):
            reason = facts.is_lax_rejected(spec, value)
            if reason is not None:
                yield Note(path, f"`{format_path(path)}` must be {spec['type']}, got {value!r} ({reason}; kimi-cli "
                                 f"{version} reads numbers and booleans written as strings, but not this one): "
                                 f"{_CLI_REFUSES}", at="value", details={"value": value, "expected": spec["type"]})


    def unknown_keys_for_version(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        loop = data.get("loop_control") if isinstance(data, dict) else None
        if not isinstance(loop, dict):
            return
        if version < facts.CLI_RESERVED_FROM and "reserved_context_size" in loop:
            yield Note(("loop_control", "reserved_context_size"),
                       f"unknown key `reserved_context_size`: added in kimi-cli 0.82; {version} "
                       "reserves a fixed 50,000 tokens")
        if version < facts.CLI_RATIO_FROM and "compaction_trigger_ratio" in loop:
            yield Note(("loop_control", "compaction_trigger_ratio"),
                       f"unknown key `compaction_trigger_ratio`: added in kimi-cli 1.17.0; {version} "
                       "drops it")

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str],
                        path: str | None = None) -> Iterable[Note]:
        for section, alias, key, _, table in _aliases_used(data):
            if key in table:
                yield Note((section, alias), f"`{section}.{alias}` is ignored: kimi-cli {version} reads `{key}`, "
                                             "which is also set", fix=f"remove `{alias}`", details={"replacement": key})
        loop = data.get("loop_control") if isinstance(data, dict) else None
        if isinstance(loop, dict) and "max_retry_per_step" in loop and version >= facts.CLI_RETRIES_RENAMED_FROM:
            yield Note(("loop_control", "max_retry_per_step"),
                       f"`loop_control.max_retry_per_step` was renamed `max_retries_per_step` in kimi-cli "
                       f"0.11.1; {version} drops the old name",
                       fix="rename to `max_retries_per_step`", details={"replacement": "max_retries_per_step"})

    def dialect_mixups(self, data: Any, version: Version) -> Iterable[Note]:
        """Keys of a Kimi Code model or `[loop_control]` (the extracted schemas of both tell
        which) in a kimi-cli file: kimi-cli drops them, like any unknown key."""
        tables = [(("models", alias), model, ("models", "*")) for alias, model in entries(data, "models")]
        loop = data.get("loop_control") if isinstance(data, dict) else None
        if isinstance(loop, dict):
            tables.append((("loop_control",), loop, ("loop_control",)))
        for where, table, section in tables:
            for key in sorted(facts.kimi_code_only_keys(section) & set(table)):
                yield Note(
                    (*where, key),
                    f"`{key}` is a Kimi Code key; kimi-cli {version} silently ignores it",
                    fix=_CLI_EQUIVALENT.get(key, "remove it, or move the file to .kimi-code/ if it is a Kimi Code "
                                                 "config"),
                    severity=Severity.WARNING,
                )


# Kimi Code keys whose kimi-cli counterpart has another name.
_CLI_EQUIVALENT = {"max_attempts_per_step": "use `max_retries_per_step`"}


KIMI_CODE = KimiCode()
KIMI_CLI = KimiCli()
