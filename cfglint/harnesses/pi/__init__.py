"""pi coding agent (`@earendil-works/pi-coding-agent`, formerly `@mariozechner/pi-coding-agent`):
`<agent-dir>/settings.json` and `<agent-dir>/models.json` (agent dir `~/.pi/agent`, or
`$PI_CODING_AGENT_DIR` with `--use-env`) and the project's `.pi/settings.json`; default target 1.6.0.

Facts: `harness-pi.md`; constants and version gates in `facts.py`, the key sets and the built-in
catalog read from the shipped packages (`data/`, `tools/extract/pi.py`).

Two kinds of file, told apart by name (`models.json`, or any name ending in `models.json`, is a
models file; everything else a settings file) and, for a file given with `--dialect pi` under
another name, by content: a top-level `providers` object makes it a models file. settings.json is
strict JSON (`JSON.parse`): one comment or trailing comma and pi ignores the whole file.
models.json goes through `stripJsonComments` first (0.73.1): `//` comments and trailing commas
are fine, a `/* */` comment makes pi ignore the whole file. Settings merge global < project (objects
key by key, arrays and scalars replaced); models.json is global only and is not merged into the
settings: the resolver reads it from `Merged.layers`.
"""

from __future__ import annotations

import functools
import json
import re

from cfglint.core.document import Diagnostic, Document, ParseResult, Path, format_path, get_path
from cfglint.core.finding import Severity
from cfglint.core.numbers import javascript_number
from cfglint.core.paths import home_dir, pure_path
from cfglint.core.text import SourceText
from cfglint.core.versions import Version
from cfglint.harnesses.base import Harness, Merged, Note, merge_layers
from cfglint.harnesses.claude_code.facts import COMMENT_KEY
from cfglint.harnesses.endpoints import Endpoint
from cfglint.harnesses.names import CHEZMOI_FILE_PREFIX
from cfglint.harnesses.pi import endpoints as _endpoints
from cfglint.harnesses.pi import facts
from cfglint.harnesses.pi.facts import (
    AGENT_DIR,
    CONFIG_DIR,
    MAX_SAFE_INTEGER,
    MODELS_FILE,
    MODELS_SCHEMA,
    SETTINGS_FILE,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import PurePath
    from typing import Any, Iterable, Mapping


SETTINGS, MODELS = "settings", "models"
# pi-coding-agent 1.6.0 dist/utils/json.js stripJsonComments: strings are kept, `//` comments and the
# comma before `}`/`]` removed (here: blanked, so offsets stay those of the file). This module is imported
# for every file (`recognises`): its pi-only patterns are compiled by their first use (`re` caches them).
_LINE_COMMENT = r'"(?:\\.|[^"\\])*"|//[^\n]*'
_TRAILING_COMMA = r'"(?:\\.|[^"\\])*"|,(\s*[}\]])'
_TOKEN_FIELDS = ("reserveTokens", "keepRecentTokens")
DYNAMIC_PROVIDERS = frozenset({"openrouter"})
# Deprecated keys pi migrates when it loads the file (SettingsManager.migrateSettings, 1.6.0).
_MIGRATED = {
    ("queueMode",): "`steeringMode` (pi copies it there when `steeringMode` is unset)",
    ("websockets",): "`transport` (`true` -> \"websocket\", `false` -> \"sse\", when `transport` is unset)",
    ("retry", "maxDelayMs"): "`retry.provider.maxRetryDelayMs`",
}


def kind_by_name(path: str | PurePath) -> str | None:
    name = re.sub(CHEZMOI_FILE_PREFIX, "", pure_path(path).name)
    if name.endswith(MODELS_FILE):
        return MODELS
    return SETTINGS if name == SETTINGS_FILE else None


def kind_of(doc: Document) -> str:
    """settings or models: by name, else by content (a top-level `providers`)."""
    return _kind(doc.path, doc.data)


def _kind(path: str | None, data: Any) -> str:
    """settings or models: by the file's name when known, else by content."""
    return (kind_by_name(path) if path else None) or _kind_by_data(data)


def _kind_by_data(data: Any) -> str:
    """A models file has a `providers` object and no key of pi's settings (a settings.json that
    also holds a misplaced `providers` stays a settings file)."""
    if not isinstance(data, dict) or not isinstance(data.get("providers"), dict):
        return SETTINGS
    settings_keys = set(facts.settings_schema()["properties"]) - {"$schema"}
    return SETTINGS if settings_keys.intersection(data) else MODELS


def strip_json_comments(text: str) -> str:
    """`stripJsonComments` with the removed characters blanked (same offsets, same JSON)."""
    def blank(match: re.Match[str]) -> str:
        return match[0] if match[0].startswith('"') else " " * len(match[0])

    def comma(match: re.Match[str]) -> str:
        return match[0] if match[1] is None else " " + match[1]

    return re.sub(_TRAILING_COMMA, comma, re.sub(_LINE_COMMENT, blank, text))


class Pi(Harness):
    dialect = "pi"
    title = "pi"
    resolver_module = "cfglint.harnesses.pi.resolver"
    schema_model = "cfglint.harnesses.pi.model:PiSettings"
    schema_title = "pi settings"
    extra_schemas = {MODELS_SCHEMA: ("cfglint.harnesses.pi.model:PiModels", "pi models.json")}
    rule_codes = frozenset({
        "CMP001", "CMP002", "CMP003", "CMP004", "CMP005", "CMP006", "CMP008", "CMP009", "REG001", "REG002",
        "REG003", "SCH001", "SCH002", "SCH003", "SCH004", "SEC001", "SEC004", "SYN001", "SYN003", "SYN004",
    })
    syntax = "json"
    def schema_name(self, path: str) -> str:
        return MODELS_SCHEMA if kind_by_name(path) == MODELS else self.dialect

    def parse(self, source: SourceText, env: Mapping[str, str], path: str | None = None) -> ParseResult:
        """As pi reads the file: settings with `JSON.parse`, models.json after `stripJsonComments`.
        The kind comes from `path` when given, else from the content."""
        from cfglint.parsing.jsonc import parse_json

        kind = (kind_by_name(path) if path else None) or _kind_by_content(source)
        if kind == MODELS:
            result = parse_json(SourceText(strip_json_comments(source.text)), allow_comments=False,
                                allow_trailing_commas=False)
            effect = ("pi ignores the whole models.json (\"models.json error: Failed to parse models.json\"): "
                      "every custom provider, model and override is gone; built-in models still work")
        else:
            result = parse_json(source, allow_comments=False, allow_trailing_commas=False)
            effect = ("pi ignores this whole file (strict `JSON.parse`): it warns \"Invalid settings file\" at "
                      "start-up and runs with the other scope's settings and the defaults")
        result.diagnostics[:] = [_with_effect(d, effect) for d in result.diagnostics]
        return result

    # --- layers ------------------------------------------------------------
    # A models.json pi ignores (schema or provider errors, by version) stays a layer: the resolver
    # leaves it out (`resolver._composed`), so `check` and `explain` agree.
    def layer_group(self, doc: Document) -> str:
        """The agent dir for its two files; the project directory for `<project>/.pi/settings.json`."""
        parent = pure_path(doc.path).parent
        if parent.name == CONFIG_DIR and kind_of(doc) == SETTINGS:
            return str(parent.parent)
        return str(parent)

    def is_user_layer(self, doc: Document) -> bool:
        """`~/.pi/agent/*`: the global files join every project's settings."""
        return str(pure_path(doc.path).parent) == str(pure_path(home_dir(), CONFIG_DIR, AGENT_DIR))

    def layer_rank(self, doc: Document) -> tuple:
        """models.json first (never merged), then global < project settings."""
        if kind_of(doc) == MODELS:
            return (0,)
        return (2,) if pure_path(doc.path).parent.name == CONFIG_DIR else (1,)

    def merge(self, layers: list[Document]) -> Merged:
        """The settings files merged (objects key by key, as `deepMergeSettings`); every layer,
        models.json included, stays in `Merged.layers`."""
        merged = merge_layers([doc for doc in layers if kind_of(doc) == SETTINGS])
        merged.layers = layers
        return merged

    # --- facts for rules ---------------------------------------------------------
    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        return "ignores it (no effect)"

    def unknown_keys_for_version(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        """Unknown keys, which pi ignores (the schemas stay open, as pi's own: model.py), except
        comment-like ones (`_note`, `//`): every one in `compaction` and the objects of models.json;
        at the settings' top level only likely typos of pi's keys, since extensions read their own
        keys from the same file (`pi.getSettings()`; pi-subagents `subagents`); `providers` there
        is models.json's."""
        if not isinstance(data, dict):
            return
        kind = _kind(path, data)
        for at, known in _objects_with_known_keys(data, kind):
            for key in get_path(data, at) if at else data:
                if isinstance(key, str) and key not in known and not re.match(COMMENT_KEY, key):
                    yield _unknown_key(at, key, version, _closest(key, known))
        if kind == MODELS:
            return
        known = tuple(facts.settings_schema()["properties"])
        for key in data:
            if not isinstance(key, str) or key in known or re.match(COMMENT_KEY, key):
                continue
            if key == "providers":
                yield Note((key,), f"`providers` in a settings file: pi {version} ignores it (no effect); custom "
                                   "providers and models belong in models.json beside it",
                           fix="move `providers` into `<agent-dir>/models.json`", details={"key": key})
                continue
            intended = _likely_typo(key, known)
            if intended is not None:
                yield _unknown_key((), key, version, intended)

    def invalid_value_effect(self, path: Path, value: Any, version: Version,
                             doc: Document | None = None) -> str | None:
        """Only models.json has a schema pi enforces: any error and pi ignores the whole file. Before 1.2.0
        the schema has no lower bound on the limits: a model's limit <= 0 is a provider error, an
        override's is used as it is."""
        if facts.schema_requires_positive_limits(version) or path[-1] not in ("contextWindow", "maxTokens") \
                or not isinstance(value, (int, float)) or value > 0:
            return ("pi ignores the whole models.json (\"Invalid models.json schema\"): every custom provider, "
                    "model and override is gone")
        if "modelOverrides" in path:
            return (f"pi {version} uses it as it is (its schema sets no lower bound before 1.2.0): the model gets a "
                    f"{path[-1]} of {value:g}")
        return (_provider_error_effect(version, str(path[1]), f"Provider {path[1]}, model "
                                       f"{get_path(doc.data, path[:-1] + ('id',)) if doc else '?'}: invalid {path[-1]}"))

    def value_checks(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        if not isinstance(data, dict):
            return
        if _kind(path, data) == MODELS:
            yield from _fractional_limits(data, version)
            yield from _provider_problems(data, version)
            yield from _misread_references(data, version)
            return
        compaction = data.get("compaction")
        if not isinstance(compaction, dict):
            return
        for field in _TOKEN_FIELDS:
            if field in compaction:
                yield from _token_value(("compaction", field), compaction[field], version)
        overrides = compaction.get("modelOverrides")
        if not isinstance(overrides, dict):
            return
        if not facts.has_compaction_model_overrides(version):
            return
        for key, entry in overrides.items():
            at = ("compaction", "modelOverrides", key)
            if not isinstance(entry, dict):
                yield Note(at, f"`compaction.modelOverrides[\"{key}\"]` is {_js_kind(entry)}, not an object: pi "
                               f"{version} throws `Invalid compaction.modelOverrides[\"{key}\"] setting` at every "
                               f"compaction check while model `{key}` is active, so auto-compaction and /compact "
                               "stop working for it",
                           fix="write an object such as {\"reserveTokens\": 32768}", at="value",
                           details={"constraint": "type", "expected": "object"})
                continue
            for field in _TOKEN_FIELDS:
                if field in entry:
                    yield from _token_value(at + (field,), entry[field], version, model=key)

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str],
                        path: str | None = None) -> Iterable[Note]:
        if not isinstance(data, dict) or _kind(path, data) == MODELS:
            return
        for path, replacement in _MIGRATED.items():
            if get_path(data, path) is not None or (len(path) == 1 and path[0] in data):
                key = ".".join(path)
                yield Note(path, f"`{key}` is a legacy setting: pi {version} migrates it to {replacement} when "
                                 "it loads the file", fix=f"use {replacement.split(' ')[0]} instead",
                           details={"replacement": replacement.split(" ")[0].strip("`")})
        skills = data.get("skills")
        if isinstance(skills, dict):
            yield Note(("skills",), f"object-form `skills` is legacy: pi {version} turns "
                                    "`skills.customDirectories` into the `skills` list and "
                                    "`skills.enableSkillCommands` into `enableSkillCommands`",
                       fix="write `skills` as a list of paths and `enableSkillCommands` at the top level",
                       details={"replacement": "skills"})

    def references(self, merged: Merged, registry: Any) -> Iterable[Note]:
        from cfglint.harnesses.pi.resolver import models_document

        data = merged.data
        models_doc = models_document(merged)
        provider, model = data.get("defaultProvider"), data.get("defaultModel")
        if isinstance(provider, str) and isinstance(model, str) and provider and model:
            yield from _unknown_default_model(merged, models_doc, provider, model)
        overrides = get_path(data, ("compaction", "modelOverrides"))
        for key in overrides if isinstance(overrides, dict) else ():
            if isinstance(key, str) and ("/" not in key.strip("/") or key.startswith("/")):
                yield Note(("compaction", "modelOverrides", key),
                           f"`compaction.modelOverrides` key `{key}` is not `provider/modelId`: pi looks overrides "
                           "up by the exact key `<provider>/<model id>`, so this one never applies",
                           fix="write the key as `<provider>/<model id>`, e.g. `anthropic/claude-sonnet-4-5`",
                           severity=Severity.WARNING, at="key",
                           doc=merged.origin(("compaction", "modelOverrides", key)))

    # --- credentials -------------------------------------------------------------
    def endpoints(self, data: Any) -> Iterable[Endpoint]:
        return _endpoints.endpoints(data)

    def secret_fix(self, doc: Document, path: Path, value: str, secret: str) -> str:
        return _endpoints.secret_fix(doc, path, value, secret)


# A likely typo: the same key but for case and `_`/`-`, or one as close as `compation` is to
# `compaction` (difflib ratio 0.95); extension keys seen in real files score below 0.75
# (`extensionSettings`/`extensions`).
_TYPO_RATIO = 0.85
# Compaction values written at the top level (`"reserveTokens": 32768`) are typos of their place.
_COMPACTION_KEYS = {field: f"compaction.{field}" for field in ("reserveTokens", "keepRecentTokens")}


def _unknown_key(path: Path, key: str, version: Version, intended: str | None) -> Note:
    """SCH002, worded as the schema's unknown-key findings of the other dialects."""
    where = f"`{format_path(path)}`" if path else "the top level"
    return Note(path + (key,), f"unknown key `{key}` in {where}: pi {version} ignores it (no effect)",
                fix=f"did you mean `{intended}`?" if intended else "remove the key",
                details={"key": key, **({"did_you_mean": intended} if intended else {})})


def _closest(key: str, known: tuple[str, ...], cutoff: float = 0.6) -> str | None:
    import difflib  # only a file with an unknown key pays for it

    close = difflib.get_close_matches(key, known, n=1, cutoff=cutoff)
    return close[0] if close else None


def _likely_typo(key: str, known: tuple[str, ...]) -> str | None:
    candidates = {**{name: name for name in known}, **_COMPACTION_KEYS}
    folded = {_fold(name): target for name, target in candidates.items()}
    if _fold(key) in folded:
        return folded[_fold(key)]
    lowered = {name.lower(): target for name, target in candidates.items()}
    close = _closest(key.lower(), tuple(lowered), _TYPO_RATIO)
    return lowered[close] if close else None


@functools.lru_cache(maxsize=None)
def _known_keys() -> dict[str, tuple[str, ...]]:
    """The keys pi knows in each object whose unknown keys are reported, from its shipped schemas."""
    compaction = facts.inlined_settings_schema()["properties"]["compaction"]["properties"]
    models = facts.inlined_models_schema()
    provider = models["properties"]["providers"]["additionalProperties"]["properties"]
    return {
        "compaction": tuple(compaction),
        "compaction override": tuple(compaction["modelOverrides"]["additionalProperties"]["properties"]),
        "models.json": tuple(models["properties"]),
        "provider": tuple(provider),
        "model": tuple(provider["models"]["items"]["properties"]),
        "model override": tuple(provider["modelOverrides"]["additionalProperties"]["properties"]),
    }


def _objects_with_known_keys(data: dict, kind: str) -> Iterable[tuple[Path, tuple[str, ...]]]:
    """(path, known keys) of every object of the file (of `kind`) in which pi knows each key."""
    known = _known_keys()

    def objects(path: Path) -> list[Path]:
        """The paths of the objects in the mapping or list at `path`."""
        holder = get_path(data, path)
        items = holder.items() if isinstance(holder, dict) else enumerate(holder) if isinstance(holder, list) else ()
        return [path + (key,) for key, value in items if isinstance(value, dict)]

    if kind == SETTINGS:
        if isinstance(data.get("compaction"), dict):
            yield ("compaction",), known["compaction"]
            yield from ((at, known["compaction override"]) for at in objects(("compaction", "modelOverrides")))
        return
    yield (), known["models.json"]
    for at in objects(("providers",)):
        yield at, known["provider"]
        yield from ((entry, known["model"]) for entry in objects(at + ("models",)))
        yield from ((entry, known["model override"]) for entry in objects(at + ("modelOverrides",)))


def _fold(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def _unknown_default_model(merged: Merged, models_doc: Document | None, provider: str, model: str) -> Iterable[Note]:
    """SCH004 (warning) for a default model pi may not know. pi then starts with another available
    model (`findInitialModel`). A provider that is neither built-in nor in models.json may be one an
    extension registers (`pi.registerProvider()`, available to start-up model selection: docs/
    custom-provider.md), so it is reported only when the configuration loads no package or extension
    and models.json is in the run; without models.json only a built-in provider's list is known, and
    OpenRouter's list is fetched per key at run time (1.2.0)."""
    from cfglint.harnesses.pi.resolver import known_model

    if known_model(None, models_doc, provider, model):
        return
    builtin = any(facts.builtin_provider(Version.parse(v), provider) for v in facts.CATALOG_VERSIONS)
    custom = models_doc is not None and isinstance(get_path(models_doc.data, ("providers", provider)), dict)
    where = "models.json" if models_doc is not None else "a models.json (none is part of this configuration)"
    common = dict(fix="name a built-in model, or add it to models.json", severity=Severity.WARNING, at="value",
                  doc=merged.origin(("defaultModel",)))
    if builtin or custom:
        if models_doc is None and provider in DYNAMIC_PROVIDERS:
            return
        yield Note(("defaultModel",),
                   f"`defaultProvider`/`defaultModel` name `{provider}/{model}`, which is neither a built-in model "
                   f"of pi nor defined in {where}: pi cannot select it at start-up and uses another available "
                   "model", **common)
    elif models_doc is not None and not any(merged.data.get(key) for key in ("packages", "extensions")):
        yield Note(("defaultModel",),
                   f"`defaultProvider` `{provider}` is neither a built-in provider of pi nor defined in models.json: "
                   f"unless an extension registers it (pi also loads the extensions in `<agent-dir>/extensions/` "
                   f"and `.pi/extensions/`), pi cannot select `{provider}/{model}` at start-up and uses another "
                   "available model", **common)


def _kind_by_content(source: SourceText) -> str:
    """A file of no telling name: a models file when its top level has a `providers` object."""
    from cfglint.parsing.jsonc import parse_json

    lenient = parse_json(source, allow_comments=True, allow_trailing_commas=True)
    return _kind_by_data(lenient.data)


def _with_effect(diagnostic: Diagnostic, effect: str) -> Diagnostic:
    if diagnostic.code != "SYN001":
        return diagnostic
    diagnostic.message = f"{diagnostic.message}: {effect}"
    return diagnostic


def _js_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return f"the string {json.dumps(value)}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"the number {value!r}"


def safe_token_count(value: Any) -> bool:
    """`typeof v === "number" && Number.isSafeInteger(v) && v >= 0` (16384.0 is 16384 in JavaScript)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return float(value).is_integer() and 0 <= value <= MAX_SAFE_INTEGER


def legacy_number(value: Any) -> float | None:
    """What `contextWindow - value` computes with before 0.86.0 (JavaScript's Number(value)); None for NaN."""
    if value is None:
        return None
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        return javascript_number(value)
    if isinstance(value, list) and len(value) <= 1:
        return 0.0 if not value else legacy_number(value[0] if not isinstance(value[0], list) else None)
    return None


def _token_value(path: Path, value: Any, version: Version, model: str | None = None) -> Iterable[Note]:
    """SCH001 for a compaction token value pi cannot use (§3.2)."""
    if safe_token_count(value):
        return
    key = ".".join(path[:2]) + (f"[\"{path[2]}\"].{path[3]}" if len(path) == 4 else "")
    kind = _js_kind(value)
    fix = "write a whole number of tokens, e.g. 16384"
    if facts.validates_token_settings(version):
        scope = f" while model `{model}` is active" if model else ""
        yield Note(path, f"`{key}` is {kind}, not a non-negative safe integer: pi {version} throws `Invalid "
                         f"{key} setting` at every compaction check{scope}, so auto-compaction and /compact stop "
                         "working", fix=fix, at="value", details={"constraint": "safe-integer"})
        return
    if value is None:
        return  # `?? default`: null reads as unset before 0.86.0
    number = legacy_number(value)
    if number is None:
        what = ("`contextWindow - reserveTokens` is NaN and auto-compaction silently never fires"
                if path[-1] == "reserveTokens" else "the kept-tail budget is NaN and no cut point is ever reached")
        yield Note(path, f"`{key}` is {kind}, not a number: pi {version} computes with it unchecked, so {what}",
                   fix=fix, at="value", details={"constraint": "number"})
    elif isinstance(value, str) or not float(number).is_integer() or number < 0:
        yield Note(path, f"`{key}` is {kind}: pi {version} computes with it as {number:g} by JavaScript "
                         "coercion, and pi >= 0.86.0 throws on it at every compaction check",
                   fix=fix, at="value", severity=Severity.WARNING, details={"constraint": "safe-integer"})


_PROVIDER_FIXES = {  # by what pi's message names, most specific first
    "must specify": "give the provider `baseUrl`, `models` or `modelOverrides`, or remove the entry",
    '"oauth"': 'add the `baseUrl` the OAuth flow logs in to',
    'no "api"': 'set `api` on the provider or the model (e.g. "openai-completions")',
    '"baseUrl"': "set the provider's `baseUrl`",
    '"apiKey"': 'set `apiKey` (a `"$NAME"` variable reference works), or upgrade pi (0.74.0 no longer requires it)',
}


def _provider_problems(data: dict, version: Version) -> Iterable[Note]:
    """SCH001 for a provider entry pi cannot compose (`facts.provider_problem`)."""
    providers = data.get("providers")
    for pid, entry in (providers.items() if isinstance(providers, dict) else ()):
        problem = facts.provider_problem(version, pid, entry) if isinstance(entry, dict) else None
        if problem is None:
            continue
        if problem.endswith(("invalid contextWindow", "invalid maxTokens")):
            continue  # the schema check reports the value (`invalid_value_effect`)
        yield Note(("providers", pid), _provider_error_effect(version, pid, problem),
                   fix=_PROVIDER_FIXES[next(k for k in _PROVIDER_FIXES if k in problem)],
                   at="key", details={"problem": problem})


def _provider_error_effect(version: Version, pid: str, problem: str) -> str:
    if facts.provider_error_disables_only_the_provider(version):
        return f"pi {version} disables provider `{pid}` (\"{problem}\"): its models and overrides are gone"
    return (f"pi {version} ignores the whole models.json (\"Failed to load models.json: {problem}\"): every "
            "custom provider, model and override is gone")


# An environment variable's name written as the value (`"ANTHROPIC_API_KEY"`), not a template's
# placeholder (`"YOUR_CEREBRAS_API_KEY"`, `"API_KEY_HERE"`), and a `$` reference.
_ENV_NAME = r"(?!(?:YOUR|MY|INSERT|REPLACE|CHANGE|PUT|ENTER|ADD)_)[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?<!_HERE)(?<!_ME)"
_ENV_REFERENCE = r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))"


def _misread_references(data: dict, version: Version) -> Iterable[Note]:
    """An `apiKey` or header value written for the other reading of pi's config values (SCH001,
    warning): from 0.77.0 (#5095; pi-coding-agent 1.6.0 dist/core/resolve-config-value.js) only
    `$NAME`/`${NAME}` read a variable and a plain string is sent as it is; before, pi looked the whole
    value up as a variable name (`process.env[config] || config`, 0.73.1), so `$NAME` is sent as it is."""
    for path in _endpoints.config_values(data):
        value = get_path(data, path)
        if not isinstance(value, str):
            continue
        key = format_path(path)
        if version >= facts.ENV_INTERPOLATION_FROM and re.fullmatch(_ENV_NAME, value):
            yield Note(path, f"`{key}` is the plain text {value}, a variable's name: pi {version} sends it as it is "
                             "(only `$NAME` reads a variable since 0.77.0), so requests fail to authenticate unless "
                             "that text is the key or `~/.pi/agent/auth.json` holds one for the provider",
                       fix=f"write \"${value}\" to read the variable",
                       severity=Severity.WARNING, at="value", details={"constraint": "reference"})
        elif version < facts.ENV_INTERPOLATION_FROM and (reference := re.fullmatch(_ENV_REFERENCE, value)):
            name = reference[1] or reference[2]
            yield Note(path, f"`{key}` refers to the variable {name} with `$`, which pi reads from 0.77.0: pi "
                             f"{version} reads a variable only when the whole value is its name, so it sends the "
                             "reference text itself and requests fail to authenticate unless `~/.pi/agent/auth.json` "
                             "holds a key for the provider",
                       fix=f"write \"{name}\" (pi {version} reads the variable of that name)",
                       severity=Severity.WARNING, at="value", details={"constraint": "reference"})


def _fractional_limits(data: dict, version: Version) -> Iterable[Note]:
    """contextWindow/maxTokens that are not whole numbers: pi's schema allows them (`> 0` only)."""
    providers = data.get("providers")
    for pid, provider in (providers.items() if isinstance(providers, dict) else ()):
        if not isinstance(provider, dict):
            continue
        places = [(("providers", pid, "models", i), m) for i, m in enumerate(provider.get("models") or [])
                  if isinstance(provider.get("models"), list)]
        overrides = provider.get("modelOverrides")
        places += [(("providers", pid, "modelOverrides", mid), o) for mid, o in
                   (overrides.items() if isinstance(overrides, dict) else ())]
        for at, entry in places:
            for field in ("contextWindow", "maxTokens"):
                value = entry.get(field) if isinstance(entry, dict) else None
                if isinstance(value, float) and not value.is_integer() and value > 0:
                    yield Note(at + (field,), f"`{field}` {value!r} is not a whole number of tokens: pi {version} "
                                              "accepts it and computes with the fraction",
                               fix=f"write a whole number, e.g. {int(value)}", at="value",
                               severity=Severity.WARNING, details={"constraint": "integer"})


PI = Pi()
