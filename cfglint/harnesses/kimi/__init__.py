"""Kimi Code (TypeScript, `~/.kimi-code/config.toml`) and legacy kimi-cli (Python, `~/.kimi/config.toml`).

Facts: `harness-kimi.md`. Both read TOML; they differ in bounds, provider
types and which keys exist, and Kimi Code changes engine at 0.33.0 (the v2
engine is the default; `KIMI_CODE_LEGACY_FLAG=1` selects the legacy one).
"""

from __future__ import annotations

import difflib
from typing import Any, Iterable, Mapping

from cfglint.document import ParseResult, Path
from cfglint.findings import Severity
from cfglint.harnesses.base import Harness, Note
from cfglint.source import SourceText
from cfglint.versions import Version

# The six wire types of Kimi Code (legacy engine enum, REST API; harness-kimi.md 6.1).
KIMI_CODE_PROVIDER_TYPES = ("kimi", "openai", "openai_responses", "anthropic", "google-genai", "vertexai")
# What `kimi migrate` renames the kimi-cli provider types to.
KIMI_CLI_TYPE_RENAMES = {"openai_legacy": "openai", "gemini": "google-genai", "google_genai": "google-genai"}
V2_DEFAULT_FROM = Version.parse("0.33.0")


def _tables(data: Any, key: str) -> Iterable[tuple[str, dict]]:
    table = data.get(key) if isinstance(data, dict) else None
    if isinstance(table, dict):
        for name, value in table.items():
            if isinstance(value, dict):
                yield name, value


KIMI_CLI_ONLY_TYPES = frozenset({"openai_legacy", "gemini", "google_genai"})


class _Kimi(Harness):
    syntax = "toml"
    file_names = ("config.toml",)
    sniff_suffixes = (".toml",)
    sniff_markers = (b"max_context_size", b"loop_control")

    def dialect_by_content(self, path, data: Any) -> str | None:
        """A TOML file outside .kimi/.kimi-code is Kimi-style when it has `[models.*]` entries
        with `max_context_size` or a `[loop_control]` table; kimi-cli when a provider type is
        one only kimi-cli has."""
        if not isinstance(data, dict):
            return None
        models = data.get("models")
        has_models = isinstance(models, dict) and any(
            isinstance(m, dict) and "max_context_size" in m for m in models.values())
        if not has_models and not isinstance(data.get("loop_control"), dict):
            return None
        providers = data.get("providers")
        if isinstance(providers, dict) and any(
                isinstance(p, dict) and p.get("type") in KIMI_CLI_ONLY_TYPES for p in providers.values()):
            return "kimi-cli"
        return "kimi-code"

    def parse(self, source: SourceText, env: Mapping[str, str]) -> ParseResult:
        from cfglint.parsing.toml import parse_toml

        return parse_toml(source)

    def references(self, ctx) -> Iterable[Note]:
        data = ctx.merged.data
        models = data.get("models") if isinstance(data.get("models"), dict) else {}
        providers = data.get("providers") if isinstance(data.get("providers"), dict) else {}
        default = data.get("default_model")
        if isinstance(default, str) and default and default not in models:
            known = ", ".join(f"`{m}`" for m in models) or "none"
            yield Note(
                ("default_model",),
                f"`default_model = \"{default}\"` names no entry of [models] (defined: {known})",
                fix=_closest_fix(default, models, "models"),
                at="value",
                details={"reference": default, "defined": sorted(models)},
            )
        for alias, model in _tables(data, "models"):
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
    close = difflib.get_close_matches(name, list(defined), n=1, cutoff=0.5)
    if close:
        return f"did you mean `{close[0]}`?"
    return f"define [{table}.\"{name}\"] or point the reference at an existing entry"


class KimiCode(_Kimi):
    dialect = "kimi-code"
    title = "Kimi Code"
    default_version = "2.1.0"
    config_dirs = (".kimi-code",)
    home_env = "KIMI_CODE_HOME"
    resolver_module = "cfglint.harnesses.kimi.resolver"
    resolver_function = "resolve_kimi_code"

    def legacy_engine(self, version: Version, env: Mapping[str, str]) -> bool:
        """The legacy engine runs before 0.33.0, and after it with KIMI_CODE_LEGACY_FLAG=1."""
        return version < V2_DEFAULT_FROM or env.get("KIMI_CODE_LEGACY_FLAG", "").strip() == "1"

    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        return "rejects the hook entry (hooks[] entries are strict)" if strict else "drops it silently"

    def unknown_keys_for_version(self, data: Any, version: Version) -> Iterable[Note]:
        if not isinstance(data, dict):
            return
        loop = data.get("loop_control") if isinstance(data.get("loop_control"), dict) else {}
        if version < V2_DEFAULT_FROM:
            why = "exists only in the v2 engine, the default from 0.33.0"
            for key in ("token_counting", "tools", "identity", "builtin_product_skills"):
                if key in data:
                    yield Note((key,), f"unknown key `{key}`: Kimi Code {version} {why}")
            if "max_attempts_per_step" in loop:
                yield Note(("loop_control", "max_attempts_per_step"),
                           f"unknown key `max_attempts_per_step`: Kimi Code {version} reads "
                           "`max_retries_per_step` (the key " + why + ")",
                           fix="use `max_retries_per_step`")
            for alias, model in _tables(data, "models"):
                for key in ("provider_id", "api_key", "oauth", "name", "aliases"):
                    if key in model:
                        yield Note(("models", alias, key), f"unknown key `{key}` in a model: Kimi Code {version} {why}")
        if version < "2.0" and "compaction_max_attempts" in loop:
            yield Note(("loop_control", "compaction_max_attempts"),
                       f"unknown key `compaction_max_attempts`: added in Kimi Code 2.1.0, "
                       f"{version} drops it", fix="remove it, or target kimi-code@2.1.0")

    def value_checks(self, data: Any, version: Version) -> Iterable[Note]:
        if version < V2_DEFAULT_FROM:
            for name, provider in _tables(data, "providers"):
                if "type" not in provider:
                    yield Note(("providers", name),
                               f"missing required key `type` in provider `{name}` "
                               f"(Kimi Code {version}, legacy engine, rejects the file)",
                               fix=f"add `type = \"...\"` (one of {', '.join(KIMI_CODE_PROVIDER_TYPES)})",
                               at="value")

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str]) -> Iterable[Note]:
        if self.legacy_engine(version, env) or not isinstance(data, dict):
            return
        loop = data.get("loop_control")
        if not isinstance(loop, dict):
            return
        for old, new in (("max_retries_per_step", "max_attempts_per_step"), ("max_steps_per_run", "max_steps_per_turn")):
            if old in loop:
                yield Note(
                    ("loop_control", old),
                    f"`loop_control.{old}` is ignored by Kimi Code {version} (v2 engine, default since "
                    f"0.33.0; only a start-up warning), use `{new}`",
                    fix=f"rename to `{new}`",
                    details={"replacement": new},
                )

    def dialect_mixups(self, data: Any, version: Version) -> Iterable[Note]:
        legacy = version < V2_DEFAULT_FROM
        for name, provider in _tables(data, "providers"):
            kind = provider.get("type")
            if not isinstance(kind, str) or kind in KIMI_CODE_PROVIDER_TYPES:
                continue
            effect = ("rejects the file at load" if legacy
                      else "loads it but cannot send a request through it")
            rename = KIMI_CLI_TYPE_RENAMES.get(kind)
            origin = " (a kimi-cli type)" if rename else ""
            yield Note(
                ("providers", name, "type"),
                f"provider type `{kind}`{origin} is not a Kimi Code wire type; Kimi Code {version} {effect}",
                fix=(f"use `type = \"{rename}\"` (what `kimi migrate` writes)" if rename
                     else f"use one of {', '.join(KIMI_CODE_PROVIDER_TYPES)}"),
                at="value",
                details={"type": kind, "allowed": list(KIMI_CODE_PROVIDER_TYPES)},
            )


# Kimi Code keys that kimi-cli silently drops (harness-kimi.md 3.1, 7).
_KIMI_CODE_ONLY_MODEL_KEYS = ("max_output_size", "max_input_size", "overrides")


class KimiCli(_Kimi):
    dialect = "kimi-cli"
    title = "kimi-cli"
    default_version = "1.49.0"
    config_dirs = (".kimi",)
    home_env = "KIMI_SHARE_DIR"
    resolver_module = "cfglint.harnesses.kimi.resolver"
    resolver_function = "resolve_kimi_cli"

    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        return "drops it silently"

    def unknown_keys_for_version(self, data: Any, version: Version) -> Iterable[Note]:
        loop = data.get("loop_control") if isinstance(data, dict) else None
        if not isinstance(loop, dict):
            return
        if version < "0.82" and "reserved_context_size" in loop:
            yield Note(("loop_control", "reserved_context_size"),
                       f"unknown key `reserved_context_size`: added in kimi-cli 0.82; {version} "
                       "reserves a fixed 50,000 tokens")
        if version < "1.17.0" and "compaction_trigger_ratio" in loop:
            yield Note(("loop_control", "compaction_trigger_ratio"),
                       f"unknown key `compaction_trigger_ratio`: added in kimi-cli 1.17.0; {version} "
                       "drops it")

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str]) -> Iterable[Note]:
        loop = data.get("loop_control") if isinstance(data, dict) else None
        if isinstance(loop, dict) and "max_retry_per_step" in loop and version >= "0.11.1":
            yield Note(("loop_control", "max_retry_per_step"),
                       f"`loop_control.max_retry_per_step` was renamed `max_retries_per_step` in kimi-cli "
                       f"0.11.1; {version} drops the old name",
                       fix="rename to `max_retries_per_step`", details={"replacement": "max_retries_per_step"})

    def dialect_mixups(self, data: Any, version: Version) -> Iterable[Note]:
        for alias, model in _tables(data, "models"):
            for key in _KIMI_CODE_ONLY_MODEL_KEYS:
                if key in model:
                    yield Note(
                        ("models", alias, key),
                        f"`{key}` is a Kimi Code key; kimi-cli {version} silently ignores it",
                        fix="remove it, or move the file to .kimi-code/ if it is a Kimi Code config",
                        severity=Severity.WARNING,
                    )
        loop = data.get("loop_control") if isinstance(data, dict) else None
        if isinstance(loop, dict) and "max_attempts_per_step" in loop:
            yield Note(
                ("loop_control", "max_attempts_per_step"),
                f"`max_attempts_per_step` is a Kimi Code key; kimi-cli {version} silently ignores it",
                fix="use `max_retries_per_step`",
                severity=Severity.WARNING,
            )


KIMI_CODE = KimiCode()
KIMI_CLI = KimiCli()
