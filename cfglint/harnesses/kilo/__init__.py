"""Kilo Code CLI (`kilo.jsonc`, `kilo.json`, `opencode.json[c]`), default target 7.7.9.

Facts: `harness-kilo.md`, corrected by what Kilo's own binary says; every version gate,
constant and extracted fact is in `facts.py`. Files are JSONC with `{env:}`/`{file:}`
substitution on the raw text (`substitution.py`); the top level is strict (an unknown key
makes Kilo skip the file); a project config (anything but the global config) may not use
`{env:}`; global, project and dot-directory files merge with remeda `mergeDeep`. Where
credentials go: `endpoints.py`; budgets: `resolver.py`.
"""

from __future__ import annotations

import os
import re

from cfglint.core.document import Document, ParseResult, Path
from cfglint.core.finding import Severity
from cfglint.core.paths import project_root, pure_path
from cfglint.core.text import SourceText
from cfglint.core.versions import Version
from cfglint.harnesses.base import Harness, Merged, Note, TextNote, merge_layers
from cfglint.harnesses.kilo import facts
from cfglint.harnesses.names import NAMES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import PurePath
    from typing import Any, Iterable, Mapping
    from cfglint.harnesses.endpoints import Endpoint
    from cfglint.harnesses.kilo.substitution import Reference
    from cfglint.registry import Registry


CONFIG_FILES = NAMES["kilo"].files  # `kilo.json[c]` anywhere, `opencode.json[c]` in Kilo's places
# Dot-directories whose files are layers of the project's configuration: Kilo's own
# (`facts.config_dir_names()`) and opencode's, which Kilo 7.7.9 does not read (UNREAD_DIR_NAMES).
CONFIG_DIRS = (".kilocode", ".kilo", ".opencode")
# Merge order of the global directory (later wins).
GLOBAL_ORDER = ("kilo.json", "kilo.jsonc", "opencode.json", "opencode.jsonc")
# Folders named after the app hold a global config (`~/.config/kilo/`, opencode's
# `~/.config/opencode/`, and their copies in dotfile repositories); a project never keeps its
# config there: Kilo reads project files from the project's directories and `.kilo`/`.kilocode`.
GLOBAL_DIR_NAMES = ("kilo", "opencode")
# Dotfile managers' names for `~/.config` (chezmoi writes `dot_config`, `private_dot_config`):
# a folder below one of them whose name starts with an app name (`opencode_work`,
# `kilo-personal`) is a global-config profile picked with KILO_CONFIG_DIR.
CONFIG_HOME_NAMES = (".config", "dot_config", "private_dot_config")
# What a global config directory holds besides the config (`~/.config/opencode/agent/`, ...;
# `package.json` is written there for plugins). A project keeps these under `.kilo/` or
# `.opencode/`, so two of them next to the config mark a copy of a global directory.
GLOBAL_SIBLINGS = ("agent", "agents", "command", "commands", "plugin", "plugins", "mode", "modes", "themes",
                   "package.json")
_HOME_CONFIG_PREFIXES = ("~/.config/", "$HOME/.config/", "${HOME}/.config/", "$XDG_CONFIG_HOME/",
                         "${XDG_CONFIG_HOME}/")
# Kilo 7.7.9 reads no `.opencode/` directory (its config dirs are the global one, `.kilo`,
# `.kilocode` and KILO_CONFIG_DIR): what it would refuse there never reaches it.
UNREAD_DIR_NAMES = (".opencode",)
# `tools` is not marked @deprecated in Kilo's schema, but Kilo converts it into `permission`.
_LEGACY_TOP = {"tools": "permission"}

# A file named like a Kilo config with this many top-level keys, none of them Kilo's, is data.
FOREIGN_MIN_KEYS = 5


class Kilo(Harness):
    dialect = "kilo"
    title = facts.TITLE
    resolver_module = "cfglint.harnesses.kilo.resolver"
    schema_model = "cfglint.harnesses.kilo.model:KiloConfig"
    schema_title = "Kilo Code CLI"
    rule_codes = frozenset({
        "CMP001", "CMP002", "CMP003", "CMP004", "CMP005", "CMP006", "CMP007", "CMP008", "ENV001",
        "REG001", "REG002", "REG003", "REG004", "REG005", "SCH001", "SCH002", "SCH003", "SCH004",
        "SEC001", "SEC002", "SEC003", "SEC004", "SUP001", "SYN001", "SYN002", "SYN003", "SYN004",
    })
    syntax = "jsonc"

    def parse(self, source: SourceText, env: Mapping[str, str], path: str | None = None) -> ParseResult:
        from cfglint.harnesses.kilo.substitution import parse_kilo

        return parse_kilo(source, env)

    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        if strict:
            return "rejects the whole file (`Unrecognized key`) and skips it"
        return "drops it silently"

    def invalid_value_effect(self, path: Path, value: Any, version: Version,
                             doc: Document | None = None) -> str | None:
        return "Kilo reports it and skips the whole file"

    def foreign_content(self, data: Any) -> str | None:
        """A JSON object with several top-level keys and not one that Kilo reads (e.g. a
        models.dev provider file saved as `kilo.json`) is a data file, not a config: Kilo would
        reject it whole, but nobody meant it for Kilo. A config with a typo or two still has
        some real key, or is too small to tell: it is linted."""
        return foreign_reason(data, facts.top_level_keys() | set(facts.tui_keys()), "a Kilo setting")

    def is_global_config(self, doc: Document) -> bool:
        """Kilo trusts this file as its global config (`{env:}` and any `{file:}` allowed).

        The global directory `~/.config/kilo/` (`$XDG_CONFIG_HOME/kilo`) and `~/.kilo/`,
        `~/.kilocode/`; in a dotfile repository, a copy of a global directory or a profile
        used with KILO_CONFIG_DIR (Kilo's own checker accepts these as global):
        - a folder named `kilo` or `opencode` (`.config/kilo/`, `dotfiles/opencode/`);
        - a folder whose name starts with one, below a `~/.config` folder
          (`dot_config/opencode_work/`);
        - a folder holding two of the global directory's other entries (`agent/`,
          `command/`, `plugin/`, `package.json`, ...);
        - a folder the config itself places in `~/.config` (an `instructions` path
          `~/.config/ocp/default/X.md` in `ocp/default/`).
        Every other file is a project config.
        """
        parent = pure_path(os.path.abspath(doc.path)).parent
        if parent.name in GLOBAL_DIR_NAMES:
            return True
        if parent.name in facts.config_dir_names():
            return str(parent.parent) == os.path.expanduser("~")
        if parent.name.lower().startswith(GLOBAL_DIR_NAMES) and parent.parent.name in CONFIG_HOME_NAMES:
            return True
        if sum(os.path.exists(os.path.join(parent, name)) for name in GLOBAL_SIBLINGS) >= 2:
            return True
        return any(_names_own_folder(entry, parent) for entry in _instructions(doc))

    # --- credentials and substitution tokens (SEC rules) ---------------------------
    def endpoints(self, data: Any) -> Iterable["Endpoint"]:
        from cfglint.harnesses.kilo import endpoints

        return endpoints.endpoints(data)

    def secret_fix(self, doc: Document, path: Path, value: str, secret: str) -> str:
        from cfglint.harnesses.kilo import endpoints

        return endpoints.secret_fix(doc, path, value, secret)

    def substituted_spans(self, doc: Document) -> list[tuple[int, int]]:
        return [(ref.start, ref.end) for ref in self.substituted_references(doc)]

    def escaping_file_references(self, doc: Document) -> Iterable[TextNote]:
        """`{file:}` tokens of a project config that are absolute or resolve outside the project
        root: Kilo refuses them. The global config may read anywhere."""
        if self.is_global_config(doc):
            return
        if any(refusal.severity == Severity.ERROR for refusal in self.refused_references(doc)):
            return  # Kilo refuses the file for its `{env:}` first (SEC003): one cause, one finding
        root = project_root(self.layer_group(doc))
        base = os.path.dirname(doc.path)
        for ref in self.substituted_references(doc):
            if ref.kind != "file":
                continue
            if _is_absolute(ref.name):
                problem = "reads an absolute path"
            elif not _inside(root, os.path.normpath(os.path.join(base, ref.name))):
                problem = "resolves outside the project root"
            else:
                continue
            yield TextNote(ref.start, ref.end,
                           f"Kilo: `{{file:{ref.name}}}` {problem}; Kilo refuses `{{file:}}` outside the project root "
                           "in project config",
                           fix="reference a file inside the project by a relative path, or move the reference to the "
                               "global config `~/.config/kilo/kilo.jsonc`",
                           details={"reference": ref.name, "project_root": root})

    def refused_references(self, doc: Document) -> Iterable[TextNote]:
        """`{env:}`/`{file:}` tokens Kilo 7.7.9 refuses (`config/variable.ts`, MCP header check).

        A trusted (global) config is substituted as raw text: a blocked variable
        (KILO_SERVER_PASSWORD, ...: compared upper-cased) anywhere but on a `//` line, even in
        a `/* */` comment, makes Kilo reject the file. A project config is first parsed: Kilo
        drops every MCP server whose header names or values hold a reference (a warning),
        writes the rest back as JSON (comments are gone) and rejects the whole file if any
        `{env:}` is left.
        """
        if pure_path(doc.path).parent.name in UNREAD_DIR_NAMES:
            return
        if self.is_global_config(doc):
            for ref in self.substituted_references(doc):
                if ref.blocked:
                    yield TextNote(ref.start, ref.end,
                                   f"Kilo: `{{env:{ref.name}}}` is a blocked environment reference; Kilo refuses to "
                                   "load this file",
                                   "remove it; give the value a variable of its own (`{env:MY_VAR}`)",
                                   Severity.ERROR, {"variable": ref.name})
            return
        parsed = [ref for ref in _active(doc) if not ref.in_comment]
        for name, ref in _skipped_mcp_servers(doc, parsed):
            token = doc.source.text[ref.start:ref.end]
            yield TextNote(ref.start, ref.end,
                           f"Kilo skips MCP server `{name}` of this project config: variable references are not "
                           f"allowed in project MCP headers (`{token}`)",
                           "move the MCP server to the global config (`~/.config/kilo/kilo.jsonc`), where "
                           "`{env:}` headers are allowed", Severity.WARNING, {"server": name, "reference": token})
        env = [ref for ref in self.substituted_references(doc) if ref.kind == "env"]
        if env:
            names = sorted({ref.name for ref in env})
            more = f" and {len(names) - 1} more" if len(names) > 1 else ""
            yield TextNote(env[0].start, env[0].end,
                           f"Kilo rejects this project config: environment references are not allowed in project "
                           f"config (`{{env:{env[0].name}}}`{more}); every setting in the file is lost",
                           "move the `{env:}` settings to the global config (`~/.config/kilo/kilo.jsonc`), or write "
                           "the values without `{env:}`", Severity.ERROR, {"variables": names})

    def substituted_references(self, doc: Document) -> list["Reference"]:
        """The tokens Kilo substitutes in this file: not on `//` lines; in a project config also
        not in comments (Kilo writes the parsed file back first) nor in MCP servers it skips;
        none in a directory Kilo does not read."""
        if pure_path(doc.path).parent.name in UNREAD_DIR_NAMES:
            return []
        if self.is_global_config(doc):
            return _active(doc)
        parsed = [ref for ref in _active(doc) if not ref.in_comment]
        dropped = [doc.parse.locations.get(("mcp", name)) for name, _ in _skipped_mcp_servers(doc, parsed)]
        return [ref for ref in parsed if not any(loc and loc.value_start <= ref.start < loc.value_end
                                                  for loc in dropped)]

    # --- layers ---------------------------------------------------------------
    layers_from_ancestors = True
    skips_invalid_files = True

    def layer_group(self, doc: Document) -> str:
        directory = pure_path(doc.path).parent
        if directory.name in CONFIG_DIRS:
            directory = directory.parent
        return str(directory)

    def is_user_layer(self, doc: Document) -> bool:
        """Files of the global directory `~/.config/kilo/` (the XDG default)."""
        parent = pure_path(doc.path).parent
        return parent.name == "kilo" and parent.parent.name == ".config"

    def layer_rank(self, doc: Document) -> tuple:
        """harness-kilo.md 2.2: the global directory first, then project files: project files (kilo.* before opencode.*, outermost directory
        first, .json before .jsonc), then dot-directories walking up from the innermost."""
        path = pure_path(doc.path)
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
    def unknown_keys_for_version(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        compaction = data.get("compaction") if isinstance(data, dict) else None
        if version < facts.THRESHOLD_PERCENT_FROM and isinstance(compaction, dict) and "threshold_percent" in compaction:
            yield Note(("compaction", "threshold_percent"),
                       f"unknown key `threshold_percent` in `compaction`: added by PR #10218 "
                       f"(Kilo 7.3); Kilo {version} drops it", fix="target a newer Kilo, or remove it")

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str],
                        path: str | None = None) -> Iterable[Note]:
        if not isinstance(data, dict):
            return
        for key, new in {**facts.deprecated_top_level(), **_LEGACY_TOP}.items():
            if key in data:
                yield _deprecation((key,), f"`{key}`", new, version)
        for key in facts.tui_keys():
            if key in data:
                yield Note((key,), f"`{key}` in the main config: Kilo {version} deletes it and logs \"{facts.tui_warning()}\"",
                           fix="move it to `tui.json`", details={"replacement": "tui.json"})
        agents = data.get("agent")
        if isinstance(agents, dict):
            for name, agent in agents.items():
                if not isinstance(agent, dict):
                    continue
                for key, new in (("maxSteps", "steps"), ("tools", "permission")):
                    if key in agent:
                        yield _deprecation(("agent", name, key), f"`agent.{name}.{key}`", new, version)

    def value_checks(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        """MCP entries: Kilo takes a `local` entry, a `remote` one or any object with a boolean
        `enabled`; any other entry fails its schema union and Kilo rejects the whole file."""
        yield from mcp_type_notes(data, facts.mcp_entry_types(), f"Kilo {version} rejects the whole file")

    def references(self, merged: Merged, registry: Registry) -> Iterable[Note]:
        for doc in merged.layers:
            yield from missing_file_notes(doc, self.substituted_references(doc),
                                          "Kilo rejects the whole file (\"bad file reference\") and every setting in it "
                                          "is lost")
        # Kilo's bundled catalog, and cfglint's models.dev snapshot for what a catalog refresh brings
        catalog = facts.catalog_provider_ids() | registry.catalog_provider_ids
        yield from model_reference_notes(merged.data, facts.MODEL_REF_KEYS, catalog | facts.BUILTIN_PROVIDERS,
                                         self.title)


def foreign_reason(data: Any, known: frozenset[str], what: str) -> str | None:
    """Why a JSON object named like the harness's config is data (several top-level keys, not
    one of them in `known`, no `$schema`), else None; `what` names a known key ("a Kilo
    setting"). Shared with upstream opencode."""
    if not isinstance(data, dict) or len(data) < FOREIGN_MIN_KEYS or "$schema" in data:
        return None
    keys = list(data)
    if not any(key in known for key in keys):
        shown = ", ".join(f"`{key}`" for key in keys[:4]) + (", ..." if len(keys) > 4 else "")
        return f"none of its top-level keys ({shown}) is {what}"
    return None


def mcp_type_notes(data: Any, types: tuple[str, ...], effect: str) -> Iterable[Note]:
    """MCP entries outside the schema's union (a `local` entry, a `remote` one, or any object
    with a boolean `enabled`): the harness refuses the file (`effect` says how). Shared with
    upstream opencode, whose union is the same."""
    servers = data.get("mcp") if isinstance(data, dict) else None
    if not isinstance(servers, dict):
        return
    for name, entry in servers.items():
        if not isinstance(entry, dict) or isinstance(entry.get("enabled"), bool):
            continue
        kind = entry.get("type")
        if kind not in types:
            yield Note(("mcp", name, "type") if "type" in entry else ("mcp", name),
                       f"MCP server `{name}` has type {kind!r}, not one of {', '.join(map(repr, types))}: {effect}",
                       fix="use `\"type\": \"remote\"` with `url`, or `\"type\": \"local\"` with `command`",
                       at="value", details={"server": name, "type": kind})


def missing_file_notes(doc: Document, references: list["Reference"], effect: str) -> Iterable[Note]:
    """`{file:./x}` whose target does not exist: the harness refuses the file ("bad file
    reference"; `effect` says how). Only paths relative to the file are checked (cfglint never
    reads them): `~/` and absolute ones name another machine's files."""
    base = os.path.dirname(doc.path)
    missing = [ref for ref in references if ref.kind == "file"
               and _is_relative(ref.name) and not os.path.exists(os.path.join(base, ref.name))]
    if missing:
        first, names = missing[0], sorted({ref.name for ref in missing})
        more = f" and {len(names) - 1} more" if len(names) > 1 else ""
        yield Note(_path_at(doc, first.start),
                   f"`{{file:{first.name}}}`{more}: no such file next to this config; {effect}",
                   fix=f"create {first.name} or correct the path (relative to the config file)", at="value",
                   doc=doc, details={"missing": names})


def model_reference_notes(data: Any, keys: tuple[str, ...], known_providers: frozenset[str],
                          title: str) -> Iterable[Note]:
    """SCH004 on `provider/model` references (`keys` and `agent.*.model`): the form, a
    disabled provider, a provider neither configured nor in `known_providers` (a catalog's, or
    one the harness has built in). Kilo and upstream opencode split and look them up alike."""
    if not isinstance(data, dict):
        return
    configured = data.get("provider") if isinstance(data.get("provider"), dict) else {}
    disabled = set(data.get("disabled_providers") or ()) if isinstance(data.get("disabled_providers"), list) else set()
    enabled = data.get("enabled_providers") if isinstance(data.get("enabled_providers"), list) else None
    for path, ref in _model_references(data, keys):
        if "{env:" in ref or "{file:" in ref:
            continue  # substituted by the harness: the reference is not known until then
        match = facts.MODEL_REF.match(ref)
        if not match:
            yield Note(path, f"model reference \"{ref}\" is not in `provider/model` form; {title} "
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
        elif provider not in configured and provider not in known_providers:
            yield Note(path, f"model \"{ref}\" uses provider `{provider}`, which is neither configured "
                             "in the files of this run nor a models.dev provider",
                       fix=f"add `provider.{provider}` (with `npm`, `options.baseURL` and `models`) or use a "
                           "catalog provider id",
                       severity=Severity.WARNING, at="value",
                       details={"reference": ref, "provider": provider})


def _instructions(doc: Document) -> list[str]:
    entries = doc.data.get("instructions") if isinstance(doc.data, dict) else None
    return [entry for entry in entries if isinstance(entry, str)] if isinstance(entries, list) else []


def _names_own_folder(entry: str, folder: PurePath) -> bool:
    """`entry` is a path in `~/.config` whose folder is `folder` (its last parts)."""
    prefix = next((p for p in _HOME_CONFIG_PREFIXES if entry.startswith(p)), None)
    if prefix is None:
        return False
    parts = pure_path(entry[len(prefix):]).parent.parts
    return bool(parts) and folder.parts[-len(parts):] == parts


def _is_absolute(name: str) -> bool:
    """Absolute on POSIX or Windows, or `~/` (Kilo expands it to the home directory)."""
    return name.startswith(("/", "~/", "\\\\")) or bool(re.match(r"[A-Za-z]:[\\/]", name))


def _is_relative(name: str) -> bool:
    """Relative to the config's directory: not absolute, and not `\\x` either (rooted at the
    current drive on Windows), which SEC002 does not count as absolute."""
    return not (_is_absolute(name) or name.startswith("\\"))


def _inside(root: str, target: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _model_references(data: dict, keys: tuple[str, ...]) -> Iterable[tuple[Path, str]]:
    for key in keys:
        if isinstance(data.get(key), str):
            yield (key,), data[key]
    agents = data.get("agent")
    if isinstance(agents, dict):
        for name, agent in agents.items():
            if isinstance(agent, dict) and isinstance(agent.get("model"), str):
                yield ("agent", name, "model"), agent["model"]


def _active(doc: Document) -> list["Reference"]:
    from cfglint.harnesses.kilo.substitution import find_references

    return [ref for ref in find_references(doc.source.text) if not ref.inert]


def _path_at(doc: Document, offset: int) -> Path:
    """The innermost key or value whose text holds `offset` (the root when none does)."""
    best: Path = ()
    for path in doc.parse.locations.paths():
        loc = doc.parse.locations.get(path)
        inside = loc.value_start <= offset < loc.value_end or (
            loc.key_start is not None and loc.key_start <= offset < loc.key_end)
        if inside and len(path) >= len(best):
            best = path
    return best


def _skipped_mcp_servers(doc: Document, parsed: list["Reference"]) -> Iterable[tuple[str, "Reference"]]:
    """MCP servers with a variable reference in a header name or value, with the first one.
    Found by position, so a value given with `--env` counts as the token Kilo sees."""
    servers = doc.data.get("mcp") if isinstance(doc.data, dict) else None
    if not isinstance(servers, dict):
        return
    for name in servers:
        headers = doc.parse.locations.get(("mcp", name, "headers"))
        inside = [ref for ref in parsed if headers and headers.value_start <= ref.start < headers.value_end]
        if inside:
            yield name, inside[0]


def _deprecation(path: Path, label: str, new: str | None, version: Version) -> Note:
    if new is None:
        return Note(path, f"{label} is deprecated in Kilo {version} and has no replacement",
                    fix="remove it", details={"replacement": None})
    return Note(path, f"{label} is deprecated in Kilo {version}; use `{new}`",
                fix=f"move the setting to `{new}`", details={"replacement": new})


KILO = Kilo()
