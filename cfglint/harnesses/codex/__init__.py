"""OpenAI Codex CLI (npm `@openai/codex`, a Rust binary): `config.toml` in `$CODEX_HOME` (default
`~/.codex`) and the project's `.codex/config.toml`, profile files `<name>.config.toml` beside the user
config (>= 0.134.0), and the JSON model catalog a config names (`model_catalog_json`); default
target 0.171.0.

Facts: `harness-codex.md`; constants and version gates in `facts.py`; key sets per release and the
bundled model catalogs read out of the released binaries (`data/`, `tools/extract/codex.py`).

Codex parses TOML 1.1 (the `toml` crate 0.9; tomli accepts the same). Unknown keys are ignored
(with a start-up warning from 0.156.0; an error with `--strict-config`, given to cfglint as
`--harness-args codex=--strict-config`); wrong types, bad enum values and a handful of retired
settings stop Codex at start-up. Layers (§2.2): user config < profile file (`-p name`) < project
`.codex/config.toml` (trusted projects only; some keys dropped) < `-c key=value`. The catalog file is a
companion of the config naming it (`companion_files`) and is never merged into it.
"""

from __future__ import annotations

import os
import re

from cfglint.core.document import Document, ParseResult, Path, format_path, get_path
from cfglint.core.finding import Severity
from cfglint.core.paths import home_dir, pure_path
from cfglint.core.text import SourceText
from cfglint.core.versions import Version
from cfglint.harnesses.base import Harness, Launch, Merged, Note, merge_layers
from cfglint.harnesses.codex import facts
from cfglint.harnesses.codex.facts import CATALOG_SCHEMA, CONFIG_DIR
from cfglint.harnesses.names import CHEZMOI_FILE_PREFIX, codex_profile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import PurePath
    from typing import Any, Iterable, Mapping, Sequence
    from cfglint.harnesses.endpoints import Endpoint


# Files next to a `.codex/` folder that make its folder a project, not a home directory (whose
# `.codex/config.toml` is the user layer: dotfile repositories keep `~` at their root).
_PROJECT_MANIFESTS = ("package.json", "pyproject.toml", "Cargo.toml", "go.mod", "pom.xml", "build.gradle",
                      "build.gradle.kts", "Gemfile", "composer.json", "setup.py", "mix.exs", "deno.json")
_HOME_MARKERS = (".bashrc", ".zshrc", ".profile", ".bash_profile", ".gitconfig", ".config", ".tmux.conf")
# Paths in the config that Codex resolves against the file's directory and requires to exist (§2.1, §3.2).
_REQUIRED_FILES = ("model_catalog_json", "model_instructions_file", "experimental_compact_prompt_file")


def real_name(name: str) -> str:
    """A file name as chezmoi installs it (`private_config.toml` -> `config.toml`)."""
    return re.sub(CHEZMOI_FILE_PREFIX, "", name)


def is_catalog(path: str | PurePath | None) -> bool:
    """A Codex file in JSON is a model catalog (`model_catalog_json`); configs are TOML."""
    return path is not None and pure_path(path).suffix.lower() == ".json"


def profile_name(path: str | PurePath | None) -> str | None:
    """`fast` for `.codex/fast.config.toml`, else None."""
    if path is None:
        return None
    return codex_profile(pure_path(path).name)


def is_project_file(path: str | PurePath) -> bool:
    """A `.codex/config.toml` whose folder sits in a project (a manifest beside `.codex/`, no
    dotfiles): Codex reads it as the project layer. Any other `.codex/config.toml` in a
    repository is taken for a copy of the user's `~/.codex/config.toml` (dotfile repositories),
    so that keys only a user file may set are never reported on it by guesswork."""
    path = pure_path(path)
    if path.parent.name != CONFIG_DIR or profile_name(path) is not None:
        return False
    folder = path.parent.parent
    try:
        names = set(os.listdir(folder))
    except OSError:
        return False
    if str(folder) == str(home_dir()) or names.intersection(_HOME_MARKERS):
        return False
    return bool(names.intersection(_PROJECT_MANIFESTS))


class Codex(Harness):
    dialect = "codex"
    title = "Codex CLI"
    resolver_module = "cfglint.harnesses.codex.resolver"
    schema_model = "cfglint.harnesses.codex.model:CodexConfig"
    schema_title = "Codex CLI config.toml"
    extra_schemas = {CATALOG_SCHEMA: ("cfglint.harnesses.codex.model:CodexCatalog",
                                      "Codex model catalog (model_catalog_json)")}
    rule_codes = frozenset({
        "CMP001", "CMP002", "CMP003", "CMP004", "CMP006", "CMP007", "CMP008", "CMP010", "ENV001", "REG001",
        "REG003", "SCH001", "SCH002", "SCH003", "SCH004", "SEC001", "SEC004", "SUP001", "SYN001", "SYN004",
    })
    syntax = "toml"

    def dialect_by_content(self, path: PurePath, data: Any) -> str | None:
        """A TOML file of no telling name is Codex's when it has a `[model_providers]` table or a
        top-level key only Codex has (`model_context_window`, `model_auto_compact_token_limit`,
        `model_catalog_json`, `model_provider`); Kimi's files use `[providers.*]`/`[models.*]`."""
        if not isinstance(data, dict):
            return None
        if isinstance(data.get("model_providers"), dict):
            return self.dialect
        telling = ("model_context_window", "model_auto_compact_token_limit", "model_catalog_json", "model_provider")
        return self.dialect if any(key in data for key in telling) else None

    def schema_name(self, path: str) -> str:
        return CATALOG_SCHEMA if is_catalog(path) else self.dialect

    def parse(self, source: SourceText, env: Mapping[str, str], path: str | None = None) -> ParseResult:
        """TOML 1.1 for a config (tomli reads what the `toml` crate 0.9 reads), strict JSON
        (serde_json) for a model catalog."""
        if is_catalog(path):
            from cfglint.parsing.jsonc import parse_json

            result = parse_json(source, allow_comments=False, allow_trailing_commas=False)
            for diagnostic in result.diagnostics:
                if diagnostic.code == "SYN001":
                    diagnostic.message += (": Codex refuses to start (\"failed to parse model_catalog_json\")")
            return result
        from cfglint.parsing.toml import parse_toml

        result = parse_toml(source)
        for diagnostic in result.diagnostics:
            if diagnostic.code == "SYN001":
                diagnostic.message += ": Codex refuses to start"
        return result

    def companion_files(self, path: PurePath, content: bytes) -> list[str]:
        """The `model_catalog_json` file a config names (top level and legacy profiles): Codex
        replaces its model catalog with it, so it is part of the configuration."""
        if is_catalog(path) or b"model_catalog_json" not in content:
            return []
        import tomli

        try:
            data = tomli.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError, ValueError):
            return []
        named = [data.get("model_catalog_json")]
        profiles = data.get("profiles")
        if isinstance(profiles, dict):
            named += [p.get("model_catalog_json") for p in profiles.values() if isinstance(p, dict)]
        return list(dict.fromkeys(p for p in named if isinstance(p, str) and p.strip()))

    def launch(self, args: Sequence[str]) -> Launch:
        """`codex` flags that change the configuration: `-c/--config key=value` (a TOML value, else
        the raw text as a string, as Codex's help says), `-m/--model`, `--enable/--disable FEATURE`
        (`features.X = true|false`), `--strict-config`. Other flags change nothing cfglint checks
        and are refused, so a typo is not silently ignored."""
        lines: list[str] = []
        strict = False
        rest = list(args)
        while rest:
            flag = rest.pop(0)
            name, eq, inline = flag.partition("=") if flag.startswith("--") else (flag, "", "")
            if name == "--strict-config" and not eq:
                strict = True
                continue
            if name not in ("-c", "--config", "-m", "--model", "--enable", "--disable"):
                raise ValueError(f"cfglint does not take `{flag}` (it reads -c/--config, "
                                 "-m/--model, --enable, --disable, --strict-config)")
            if eq:
                value = inline
            elif rest:
                value = rest.pop(0)
            else:
                raise ValueError(f"`{flag}` needs a value")
            if name in ("-m", "--model"):
                lines.append(f"model = {_toml_string(value)}")
            elif name in ("--enable", "--disable"):
                lines.append(f"features.{_toml_key(value)} = {'true' if name == '--enable' else 'false'}")
            else:
                lines.append(_override_line(value))
        return Launch(layer="\n".join(lines) + "\n" if lines else None, label="codex -c",
                      strict_unknown_keys=strict, args=tuple(args))

    # --- layers ------------------------------------------------------------
    def layer_group(self, doc: Document) -> str:
        """The `.codex/` folder (or `$CODEX_HOME`) for its config and profile files."""
        return str(pure_path(doc.path).parent)

    def is_user_layer(self, doc: Document) -> bool:
        """`~/.codex/config.toml`: the user's file joins every project's configuration."""
        return pure_path(doc.path).parent == pure_path(home_dir(), CONFIG_DIR) and not is_catalog(doc.path)

    def layer_rank(self, doc: Document) -> tuple:
        """Catalogs first (never merged), then user < profile file < project < `-c`."""
        if is_catalog(doc.path):
            return (0, doc.path)
        if getattr(doc, "from_launch", False):
            return (5, doc.path)
        if profile_name(doc.path) is not None:
            return (2, doc.path)
        return (3 if is_project_file(doc.path) else 1, doc.path)

    def merge(self, layers: list[Document]) -> Merged:
        """The config layers merged table by table (later wins), without profile files (each is
        resolved on its own over the others: `codex -p <name>`) and catalogs; a project file's
        keys that Codex drops (§2.1) are left out. Every layer stays in `Merged.layers`."""
        return merge_config(base_layers(layers), layers)

    # --- facts for rules ---------------------------------------------------------
    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        if len(path) > 2 and path[0] == "models" and isinstance(path[1], int):  # a catalog entry (configs have no `models`)
            return ("drops it silently (a catalog entry's unknown fields are never read"
                    + ("; Codex has no output-limit field and sends no output cap)" if path[-1] == "max_output_tokens"
                       else ")"))
        if path[:1] == ("approval_policy",):  # a table form names its variant: any other name stops Codex
            return "refuses to start (\"unknown variant\": the table form of approval_policy is `granular` only)"
        if strict:
            return "refuses to start with `--strict-config` (\"unknown configuration field\")"
        return (f"ignores it (from {facts.UNKNOWN_KEY_WARNING_FROM} with a start-up warning \"Codex is ignoring 1 "
                "unrecognized configuration setting\")")

    def invalid_value_effect(self, path: Path, value: Any, version: Version,
                             doc: Document | None = None) -> str | None:
        if doc is not None and is_catalog(doc.path):
            return "Codex refuses to start (\"failed to parse model_catalog_json\")"
        if tuple(path[-1:]) == ("wire_api",) and value == "chat":
            return "Codex refuses to start (\"`wire_api = \\\"chat\\\"` is no longer supported\"): use \"responses\""
        return "Codex refuses to start (it reads the whole file with serde: one bad value stops it)"

    def unknown_keys_for_version(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        """Keys the editor schema knows (some release has them) that the targeted release does
        not: at the top level, in `model_providers.*`, `profiles.*`, `[features]`, and in the
        entries of a model catalog."""
        if not isinstance(data, dict):
            return
        if is_catalog(path):
            models = data.get("models")
            known = facts.section_keys(version, "model_info")
            for index, entry in enumerate(models if isinstance(models, list) else ()):
                if isinstance(entry, dict):
                    yield from _release_unknown(entry, ("models", index), known, facts.all_keys("model_info"),
                                                version, "model_info")
            return
        yield from _release_unknown(data, (), facts.section_keys(version, "config"), facts.all_keys("config"),
                                    version, "config")
        for section, table in (("provider", "model_providers"), ("profile", "profiles")):
            entries = data.get(table)
            for name, entry in (entries.items() if isinstance(entries, dict) else ()):
                if isinstance(entry, dict):
                    yield from _release_unknown(entry, (table, name), facts.section_keys(version, section),
                                                facts.all_keys(section), version, section)
        features = data.get("features")
        if isinstance(features, dict):
            yield from _release_unknown(features, ("features",), facts.section_keys(version, "features"),
                                        facts.all_keys("features"), version, "features")
        yield from _misconceptions(data, version)


    def value_checks(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        """Start-up errors and misreadings the schema cannot express, by release."""
        if not isinstance(data, dict):
            return
        if is_catalog(path):
            yield from _catalog_entries(data, version)
            return
        yield from _config_values(data, version, path)

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str],
                        path: str | None = None) -> Iterable[Note]:
        if isinstance(data, dict) and not is_catalog(path):
            yield from _deprecated(data, version, env)

    def references(self, merged: Merged, registry: Any) -> Iterable[Note]:
        yield from _references(merged)

    # --- credentials -------------------------------------------------------------
    def endpoints(self, data: Any) -> Iterable["Endpoint"]:
        from cfglint.harnesses.codex import endpoints

        return endpoints.endpoints(data)

    def secret_fix(self, doc: Document, path: Path, value: str, secret: str) -> str:
        from cfglint.harnesses.codex import endpoints

        return endpoints.secret_fix(doc, path, value, secret)


def merge_config(config_layers: list[Document], layers: list[Document]) -> Merged:
    """`config_layers` (in precedence order) merged as Codex merges them; `layers` stay the run's."""
    merged = merge_layers([_without_dropped_keys(doc) for doc in config_layers])
    merged.layers = layers
    return merged


def base_layers(layers: list[Document]) -> list[Document]:
    """The config layers every run of Codex reads: no catalog, no profile file."""
    return [doc for doc in layers if not is_catalog(doc.path) and profile_name(doc.path) is None]


def _without_dropped_keys(doc: Document) -> Document:
    """A project file as Codex merges it: without the keys a project may not set (§2.1, >= 0.130.0;
    `merge` has no target, and 0.120.0's handling was not verified, so they are always left out)."""
    if not is_project_file(doc.path) or not isinstance(doc.data, dict):
        return doc
    dropped = project_dropped_keys(doc.data)
    if not dropped:
        return doc
    from cfglint.core.document import ParseResult as _Parse

    kept = {key: value for key, value in doc.data.items() if key not in dropped}
    clone = Document(doc.path, doc.display_path, doc.source, _Parse(kept, doc.parse.locations, doc.parse.diagnostics),
                     doc.dialect)
    return clone


def project_dropped_keys(data: dict) -> list[str]:
    """The keys of a project file Codex drops ("Ignored unsupported project-local config keys")."""
    forbidden = facts.section_keys(Version.parse(Codex.default_version), "project_forbidden")
    return [key for key in data if key in forbidden]


def _release_unknown(table: dict, at: Path, known: frozenset[str], modelled: frozenset[str], version: Version,
                     section: str) -> Iterable[Note]:
    """SCH002 for keys of `table` that some release knows (the schema accepts them) but the
    targeted one does not: they are ignored there."""
    for key in table:
        if not isinstance(key, str) or key in known or key not in modelled:
            continue
        first, last = facts.first_release_with(section, key), facts.last_release_with(section, key)
        when = (f"added in {first}" if first and Version.parse(first) > version
                else f"known up to {last}" if last else "not known")
        where = f"`{format_path(at)}`" if at else "the top level"
        yield Note(at + (key,), f"unknown key `{key}` in {where}: Codex CLI {version} does not know it ({when}) and "
                                "ignores it", fix="remove it, or target the release that reads it",
                   details={"key": key, "first_release": first, "last_release": last})


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _override_line(override: str) -> str:
    """`-c key=value` as a TOML line: the value parsed as TOML, "if it fails to parse as TOML, the
    raw string is used as a literal" (Codex's help), so `-c model=gpt-5.5` is a string."""
    import tomli

    key, eq, value = override.partition("=")
    key = key.strip()
    if not eq or not key:
        raise ValueError(f"`-c {override}` is not key=value")
    dotted = ".".join(_toml_key(part) for part in key.split("."))
    try:
        tomli.loads(f"x = {value}")
    except tomli.TOMLDecodeError:
        return f"{dotted} = {_toml_string(value)}"
    return f"{dotted} = {value}"


def _misconceptions(data: dict, version: Version) -> Iterable[Note]:
    """Unknown keys written for a switch Codex does not have, and budget keys in a legacy profile
    (never read there), with what Codex really does."""
    for at, truth in _MISCONCEPTIONS.items():
        holder = get_path(data, at[:-1]) if at[:-1] else data
        if isinstance(holder, dict) and at[-1] in holder:
            yield Note(at, f"unknown key `{format_path(at)}`: {truth}", fix="remove it",
                       details={"key": at[-1]})
    features = data.get("features")
    known = facts.section_keys(version, "features")
    for name, value in (features.items() if isinstance(features, dict) else ()):
        if isinstance(name, str) and name not in known and name in facts.section_keys(version, "config"):
            yield Note(("features", name), f"`{name}` is a top-level setting, not a feature flag: Codex CLI {version} "
                                           "does not read it under `[features]`",
                       fix=f"move `{name}` above the first table of the file", details={"key": name})
    profiles = data.get("profiles")
    for name, entry in (profiles.items() if isinstance(profiles, dict) else ()):
        for key in ("model_context_window", "model_auto_compact_token_limit"):
            if isinstance(entry, dict) and key in entry:
                warned = version >= facts.UNKNOWN_KEY_WARNING_FROM
                yield Note(("profiles", name, key),
                           f"`profiles.{name}.{key}` is ignored: a profile cannot set the budget (Codex CLI {version} "
                           + ("warns at start-up)" if warned else "drops it silently)"),
                           fix=f"set `{key}` at the top level of the config (or of `{name}.config.toml`)",
                           details={"key": key})


# --- value checks (SCH001), retired keys (SCH003), references (SCH004) ---------------------------

# Keys users write for switches Codex does not have (SCH002 with what Codex really does; §5.3, §7).
_MISCONCEPTIONS = {
    ("autocompact",): "Codex has no `[autocompact]` table and no switch that turns auto-compaction off (#10365, "
                      "#11716); `model_auto_compact_token_limit = 0` compacts before every request",
    ("features", "auto_compaction"): "Codex has no such feature flag in any stable release (PR #28260 added it, "
                                     "PR #29815 removed it): auto-compaction cannot be switched off",
    ("features", "remote_compaction"): "Codex has no such feature flag: it compacts remotely for the built-in "
                                       "`openai` provider and locally for every other provider (#10365)",
}


def _config_values(data: dict, version: Version, path: str | None) -> Iterable[Note]:
    legacy = data.get("profile")
    if legacy is not None and version >= facts.PROFILE_FILES_FROM:
        name = legacy if isinstance(legacy, str) else "x"
        yield Note(("profile",), f"legacy `profile = \"{name}\"`: Codex CLI {version} refuses to start (\"legacy "
                                 f"`profile = \\\"{name}\\\"` config is no longer supported; use `--profile {name}` with "
                                 f"`{name}.config.toml` instead\")",
                   fix=f"move `[profiles.{name}]` into `$CODEX_HOME/{name}.config.toml` and start Codex with "
                       f"`-p {name}`; remove `profile`", at="key", details={"since": str(facts.PROFILE_FILES_FROM)})
    elif isinstance(legacy, str) and legacy not in (data.get("profiles") or {}) and isinstance(data.get("profiles"), dict):
        yield Note(("profile",), f"`profile = \"{legacy}\"` names no `[profiles.{legacy}]` table: Codex CLI {version} "
                                 f"refuses to start (\"config profile `{legacy}` not found\")",
                   fix=f"add `[profiles.{legacy}]`, or name one of: {', '.join(sorted(data['profiles'])) or 'none'}",
                   at="value", details={"reference": legacy})
    if "experimental_thread_store_endpoint" in data and version >= facts.THREAD_STORE_ENDPOINT_REFUSED_FROM:
        yield Note(("experimental_thread_store_endpoint",),
                   f"`experimental_thread_store_endpoint` is no longer supported: Codex CLI {version} refuses to start",
                   fix="remove it", at="key", details={"constraint": "removed"})
    if data.get("approval_policy") == "untrusted" and version >= facts.UNTRUSTED_APPROVAL_REFUSED_FROM:
        yield Note(("approval_policy",), f"`approval_policy = \"untrusted\"`: Codex CLI {version} refuses to start "
                                         "(\"approval_policy = \\\"untrusted\\\" is no longer supported; remove this setting\")",
                   fix="use \"on-request\" (ask before commands the sandbox does not allow) or remove it", at="value",
                   details={"constraint": "removed"})
    if data.get("approval_policy") == {}:
        yield Note(("approval_policy",), f"`approval_policy` is an empty table: Codex CLI {version} refuses to start "
                                         "(its table form is `{ granular = { ... } }`)",
                   fix="write a policy name such as \"on-request\", or `{ granular = { ... } }`", at="value",
                   details={"constraint": "required", "key": "granular"})
    features = data.get("features")
    for name, value in (features.items() if isinstance(features, dict) else ()):
        if not isinstance(value, (bool, dict)):
            yield Note(("features", name), f"`features.{name}` is not a boolean or a table: Codex CLI {version} refuses "
                                           "to start (\"invalid type: ..., expected a boolean in `features`\"), "
                                           "whether or not it knows the flag",
                       fix="write `true` or `false` (a setting that is not a feature flag belongs outside `[features]`)",
                       at="value", details={"constraint": "type", "expected": "boolean"})
    for key in ("model_provider", "oss_provider"):
        if data.get(key) == facts.REMOVED_PROVIDER:
            yield Note((key,), f"`{key} = \"ollama-chat\"`: Codex CLI {version} refuses to start (\"`ollama-chat` is "
                               "no longer supported\")", fix="use \"ollama\" (the Responses API)", at="value",
                       details={"constraint": "removed"})
    yield from _provider_entries(data, version)
    yield from _mcp_servers(data, version)
    yield from _reasoning_effort(data, version)
    if path is not None:
        yield from _missing_files(data, version, path)


def _provider_entries(data: dict, version: Version) -> Iterable[Note]:
    providers = data.get("model_providers")
    for pid, entry in (providers.items() if isinstance(providers, dict) else ()):
        at = ("model_providers", pid)
        if pid in facts.RESERVED_PROVIDER_IDS and version >= facts.RESERVED_PROVIDER_IDS_FROM:
            yield Note(at, f"`[model_providers.{pid}]` overrides a built-in provider: Codex CLI {version} refuses to "
                           f"start (\"model_providers contains reserved built-in provider IDs: `{pid}`\")",
                       fix=f"rename it (e.g. `{pid}-custom`) and set `model_provider = \"{pid}-custom\"`", at="key",
                       details={"constraint": "reserved"})
            continue
        if not isinstance(entry, dict):
            continue
        if pid == "amazon-bedrock" and version >= facts.BEDROCK_PARTIAL_OVERRIDE_FROM:
            for key in entry:
                allowed = key in facts.BEDROCK_OVERRIDABLE and (
                    key != "aws" or not isinstance(entry[key], dict)
                    or all(k in facts.BEDROCK_AWS_OVERRIDABLE for k in entry[key]))
                if not allowed:
                    yield Note(at + (key,), f"`model_providers.amazon-bedrock.{key}`: Codex CLI {version} refuses to "
                                            "start (\"model_providers.amazon-bedrock only supports changing "
                                            "`base_url`, `auth`, `http_headers`, `aws.profile`, `aws.region`, ...\")",
                               fix="remove it: the built-in Bedrock provider keeps its other fields", at="key",
                               details={"constraint": "partial-override"})
            continue
        name = entry.get("name")
        if "name" not in entry:
            yield Note(at, f"provider `{pid}` has no `name`: Codex CLI {version} refuses to start (\"missing field "
                           "`name`\"; \"provider name must not be empty\" from 0.130.0)",
                       fix="add `name = \"...\"` (a display name)", at="key", details={"constraint": "required"})
        elif isinstance(name, str) and not name.strip() and version >= facts.EMPTY_PROVIDER_NAME_REFUSED_FROM:
            yield Note(at + ("name",), f"provider `{pid}` has an empty `name`: Codex CLI {version} refuses to start "
                                       f"(\"model_providers.{pid}: provider name must not be empty\")",
                       fix="give it a display name, e.g. \"My Gateway\"", at="value", details={"constraint": "minLength"})
        yield from _literal_templates(entry, at, version)


# `${NAME}` / `$NAME` written where Codex reads text as it is (§2.3: no substitution anywhere).
_TEMPLATE = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")


def _literal_templates(entry: dict, at: Path, version: Version) -> Iterable[Note]:
    """A variable reference in a provider value: Codex substitutes nothing (run 0.171.0: `model =
    "${MODEL}"` is sent literally), so `env_key = "${KEY}"` names a variable called `${KEY}`."""
    values = [((key,), entry.get(key)) for key in ("env_key", "base_url", "experimental_bearer_token")]
    headers = entry.get("http_headers")
    values += [(("http_headers", key), value) for key, value in (headers.items() if isinstance(headers, dict) else ())]
    for path, value in values:
        if not isinstance(value, str) or not _TEMPLATE.search(value):
            continue
        field = ".".join(map(str, at + path))
        if path == ("env_key",):
            name = value.strip("${}")
            yield Note(at + path, f"`{field} = \"{value}\"`: `env_key` is the variable's name and Codex CLI {version} "
                                  f"substitutes nothing, so it looks up a variable literally called `{value}` and every "
                                  "request fails with a missing-key error", fix=f"write env_key = \"{name}\"", at="value",
                       details={"constraint": "variable-name"})
        else:
            yield Note(at + path, f"`{field}` holds `{_TEMPLATE.search(value)[0]}`: Codex CLI {version} substitutes no "
                                  "variables in config.toml and sends the text as written",
                       fix="name the variable with `env_key` (or `env_http_headers` for a header) instead", at="value",
                       severity=Severity.WARNING, details={"constraint": "literal"})


def _mcp_servers(data: dict, version: Version) -> Iterable[Note]:
    """MCP server entries Codex refuses (run 0.99.0, 0.121.0, 0.171.0): a literal `bearer_token`
    ("bearer_token is not supported"), `url` together with `command` ("url is not supported for stdio")."""
    servers = data.get("mcp_servers")
    for name, server in (servers.items() if isinstance(servers, dict) else ()):
        if not isinstance(server, dict):
            continue
        at = ("mcp_servers", name)
        if "bearer_token" in server:
            yield Note(at + ("bearer_token",), f"`mcp_servers.{name}.bearer_token`: Codex CLI {version} refuses to start "
                                               "(\"bearer_token is not supported\"); it reads the token from a variable",
                       fix="put the token in an environment variable and name it with `bearer_token_env_var`",
                       at="key", details={"constraint": "unsupported"})
        if "url" in server and "command" in server:
            yield Note(at + ("url",), f"`mcp_servers.{name}` sets both `url` and `command`: Codex CLI {version} refuses to "
                                      "start (\"url is not supported for stdio\")",
                       fix="keep `command` for a local (stdio) server or `url` for a remote one", at="key",
                       details={"constraint": "exclusive"})


def _reasoning_effort(data: dict, version: Version) -> Iterable[Note]:
    """<= 0.135.x: a closed enum (anything else stops Codex); >= 0.140.0 any string is sent as it is,
    so a level the model does not list is a warning (the API's reaction is not verified)."""
    for key in ("model_reasoning_effort", "plan_mode_reasoning_effort"):
        effort = data.get(key)
        if not isinstance(effort, str):
            continue
        closed = facts.closed_reasoning_efforts(version)
        if closed is not None:
            if effort not in closed:
                yield Note((key,), f"`{key} = \"{effort}\"`: Codex CLI {version} refuses to start (unknown variant; "
                                   f"expected one of {', '.join(closed)})",
                           fix=f"use one of {', '.join(closed)}", at="value",
                           details={"constraint": "enum", "allowed": list(closed)})
            continue
        model = data.get("model")
        if key != "model_reasoning_effort" or not isinstance(model, str) or "model_catalog_json" in data:
            continue
        entry = facts.lookup(model, facts.bundled_catalog(version))
        levels = (entry or {}).get("supported_reasoning_levels") or []
        if entry is not None and levels and effort not in levels:
            yield Note((key,), f"`model_reasoning_effort = \"{effort}\"` is not a level `{entry['slug']}` supports in "
                               f"Codex CLI {version}'s catalog ({', '.join(levels)}): Codex sends it as it is",
                       fix=f"use one of {', '.join(levels)}", at="value", severity=Severity.WARNING,
                       details={"constraint": "enum", "allowed": list(levels)})


def _missing_files(data: dict, version: Version, path: str) -> Iterable[Note]:
    """A path Codex requires to exist (resolved against the config's folder): it refuses to start
    ("No such file or directory (os error 2)", without the path)."""
    folder = pure_path(path).parent
    for key in _REQUIRED_FILES:
        named = data.get(key)
        if not isinstance(named, str) or not named.strip():
            continue
        if not facts.reads(version, key):
            continue
        target = pure_path(os.path.expanduser(named))
        target = target if target.is_absolute() else folder / target
        if named.startswith("~") or target.is_absolute() and not str(target).startswith(str(folder.parent)):
            continue  # a path in the user's home or elsewhere: cfglint cannot see it
        if not os.path.exists(target):
            yield Note((key,), f"`{key} = \"{named}\"`: no such file beside the config; Codex CLI {version} refuses to "
                               "start (\"No such file or directory (os error 2)\", without naming the path)",
                       fix="point it at an existing file (a relative path is read from the config's folder)",
                       at="value", details={"constraint": "exists"})


def _catalog_entries(data: dict, version: Version) -> Iterable[Note]:
    """The fields the targeted release requires of each catalog entry (a missing one stops Codex:
    "failed to parse model_catalog_json ... missing field `x`")."""
    models = data.get("models")
    if not isinstance(models, list):
        return
    release = facts.release_keys(version)
    # the editor schema requires the default target's fields (SCH001 from the schema): the release's others here
    schema_required = set(facts.release_keys(Version.parse(Codex.default_version)).get("catalog_required") or ())
    required = [field for field in release.get("catalog_required") or [] if field not in schema_required]
    alternatives = release.get("catalog_required_any") or []
    for index, entry in enumerate(models):
        if not isinstance(entry, dict):
            continue
        missing = [field for field in required if field not in entry]
        missing += [" or ".join(f"`{f}`" for f in group) for group in alternatives
                    if not any(get_path(entry, tuple(f.split("."))) is not None for f in group)]
        slug = entry.get("slug") if isinstance(entry.get("slug"), str) else f"#{index}"
        for field in missing:
            shown = field if field.startswith("`") else f"`{field}`"
            yield Note(("models", index), f"catalog entry `{slug}` lacks {shown}, which Codex CLI {version} requires: "
                                          "it refuses to start (\"failed to parse model_catalog_json\")",
                       fix=f"add {shown} (copy it from `codex debug models --bundled`)", at="key",
                       details={"missing": field.strip("`")})


def _deprecated(data: dict, version: Version, env: Mapping[str, str]) -> Iterable[Note]:
    if "model_max_output_tokens" in data:
        yield Note(("model_max_output_tokens",),
                   f"`model_max_output_tokens` does nothing: Codex never sends an output cap (removed in "
                   f"{facts.OUTPUT_KEY_REMOVED_FROM}, PR #7100; not sent before either), so the provider's default applies",
                   fix="remove it; cap output at the provider or proxy if you must", details={"replacement": None})
    if "model_supports_reasoning_summaries" in data and version >= facts.HARD_CAP_FROM:
        yield Note(("model_supports_reasoning_summaries",),
                   f"`model_supports_reasoning_summaries` was removed in 0.145.0: Codex CLI {version} ignores it",
                   fix="set `supports_reasoning_summaries` in a `model_catalog_json` entry", details={"replacement": None})
    if "experimental_instructions_file" in data and version >= facts.INSTRUCTIONS_FILE_RENAMED_FROM:
        yield Note(("experimental_instructions_file",),
                   f"`experimental_instructions_file` was removed in {facts.INSTRUCTIONS_FILE_RENAMED_FROM}: Codex CLI "
                   f"{version} ignores it",
                   fix="use `model_instructions_file`", details={"replacement": "model_instructions_file"})
    for key in ("js_repl_node_path", "js_repl_node_module_dirs"):
        if key in data:
            yield Note((key,), f"`{key}` is deprecated: Codex CLI {version} ignores it", fix="remove it",
                       details={"replacement": None})
    features = data.get("features")
    if isinstance(features, dict) and "multi_agent" in features and version >= facts.MULTI_AGENT_FLAG_DEPRECATED_FROM:
        yield Note(("features", "multi_agent"), f"`[features].multi_agent` is deprecated: Codex CLI {version} warns at "
                                                "start-up (\"It still controls the V1 fallback\")",
                   fix="remove it unless you need the V1 multi-agent fallback", details={"replacement": None})
    profiles = data.get("profiles")
    if isinstance(profiles, dict) and profiles and version >= facts.PROFILE_FILES_FROM:
        for name in profiles:
            yield Note(("profiles", name), f"legacy `[profiles.{name}]`: Codex CLI {version} never applies it (profiles "
                                           f"are `$CODEX_HOME/{name}.config.toml` files since 0.134.0), and `-p {name}` "
                                           "refuses to start while it exists",
                       fix=f"move it into `{name}.config.toml` beside config.toml (top-level keys there)",
                       details={"replacement": f"{name}.config.toml"})


def _references(merged: Merged) -> Iterable[Note]:
    data = merged.data
    provider = data.get("model_provider")
    providers = data.get("model_providers") if isinstance(data.get("model_providers"), dict) else {}
    if isinstance(provider, str) and provider and provider not in facts.BUILTIN_PROVIDERS \
            and provider not in providers and provider != facts.REMOVED_PROVIDER:
        known = ", ".join(f"`{p}`" for p in [*facts.BUILTIN_PROVIDERS, *providers])
        yield Note(("model_provider",), f"`model_provider = \"{provider}\"` names neither a built-in provider nor a "
                                        f"`[model_providers]` entry (known: {known}): Codex refuses to start "
                                        f"(\"Model provider `{provider}` not found\")",
                   fix=f"add `[model_providers.{provider}]` with `name` and `base_url`, or name a known provider",
                   at="value", doc=merged.origin(("model_provider",)), details={"reference": provider})
    if isinstance(data.get("default_permissions"), str) and not isinstance(data.get("permissions"), dict):
        yield Note(("default_permissions",), "`default_permissions` needs a `[permissions]` table to name: Codex "
                                             "refuses to start without one",
                   fix="add the `[permissions.<name>]` profile it names, or remove `default_permissions`",
                   at="value", doc=merged.origin(("default_permissions",)),
                   details={"reference": data["default_permissions"]})


CODEX = Codex()
