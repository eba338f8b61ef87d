"""Upstream opencode (`opencode.json`, `opencode.jsonc`), default target 1.18.33.

Facts: `harness-opencode.md`, checked against opencode's own binaries; every version gate,
constant and extracted fact is in `facts.py`. Kilo is a fork of opencode, so the parts that
are the same code are Kilo's, imported: the `{env:}`/`{file:}` substitution and JSONC parse
(`kilo.substitution.parse_kilo`, without Kilo's blocked variables and project-root
restriction), the model-reference checks, the endpoint reader and the arithmetic. What
differs: opencode refuses to start on any invalid file (Kilo skips it), drops unknown keys from
1.18.16 on (refused before), has no `null` delete sentinel, strips `theme`/`keybinds`/`tui`,
and lowers V2-native keys in 1.18.33. Which `opencode.json[c]` is Kilo's and which is
opencode's: `Kilo.recognises` (Kilo's unit comes first in the dialect table).
"""

from __future__ import annotations

import json
import os

from cfglint.core.document import Document, ParseResult, Path
from cfglint.core.finding import Severity
from cfglint.core.paths import pure_path
from cfglint.core.text import SourceText
from cfglint.core.versions import Version
from cfglint.harnesses.base import Harness, Merged, Note, TextNote, merge_layers
from cfglint.harnesses.names import in_opencode_global_dir
from cfglint.harnesses.opencode import facts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Mapping
    from cfglint.harnesses.endpoints import Endpoint
    from cfglint.harnesses.kilo.substitution import Reference
    from cfglint.registry import Registry


REFUSES = "opencode refuses to start (exit 1)"
KILO_ONLY = "Kilo-only key; opencode ignores it"


class OpenCode(Harness):
    dialect = "opencode"
    title = facts.TITLE
    resolver_module = "cfglint.harnesses.opencode.resolver"
    schema_model = "cfglint.harnesses.opencode.model:OpenCodeConfig"
    schema_title = "opencode"
    # harness-opencode.md 8: SEC003 does not apply (opencode blocks no variable and allows
    # `{env:}` in project config); SEC002 is an info at most. SYN004 (not a usable file) is every
    # dialect's.
    rule_codes = frozenset({
        "CMP001", "CMP002", "CMP003", "CMP004", "CMP005", "CMP006", "CMP007", "CMP008", "ENV001",
        "REG001", "REG002", "REG003", "REG004", "REG005", "SCH001", "SCH002", "SCH003", "SCH004",
        "SEC001", "SEC002", "SEC004", "SUP001", "SYN001", "SYN002", "SYN003", "SYN004",
    })
    syntax = "jsonc"
    def foreign_content(self, data: Any) -> str | None:
        """A data file that merely shares the name (as Kilo's): no key opencode (or Kilo) reads."""
        from cfglint.harnesses.kilo import foreign_reason

        known = (facts.top_level_keys() | set(facts.stripped_keys()) | facts.v2_top_level_keys()
                 | facts.kilo_only_top_level())
        return foreign_reason(data, known, "an opencode setting")

    def parse(self, source: SourceText, env: Mapping[str, str], path: str | None = None) -> ParseResult:
        from cfglint.harnesses.kilo.substitution import parse_kilo

        return parse_kilo(source, env, title=facts.TITLE, blocked=frozenset(), json5_effect="refuses to start")

    # --- layers (harness-opencode.md 2.2) ------------------------------------------
    layers_from_ancestors = True
    skips_invalid_files = False  # opencode exits 1 on an invalid file

    def layer_group(self, doc: Document) -> str:
        directory = pure_path(doc.path).parent
        if directory.name == facts.CONFIG_DIR:
            directory = directory.parent
        return str(directory)

    def is_user_layer(self, doc: Document) -> bool:
        """Files of the global directory `~/.config/opencode/` (the XDG default)."""
        return in_opencode_global_dir(pure_path(doc.path))

    def layer_rank(self, doc: Document) -> tuple:
        """The global directory (`config.json`, `opencode.json`, `opencode.jsonc`), then project
        files from the outermost directory down (`.json` before `.jsonc`), then `.opencode`
        directories walking up from the innermost (a parent's beats a child's)."""
        path = pure_path(doc.path)
        if self.is_user_layer(doc):
            return (0, facts.GLOBAL_FILES.index(path.name))
        if path.parent.name == facts.CONFIG_DIR:
            return (2, -len(path.parent.parent.parts), path.name.endswith(".jsonc"))
        return (1, len(path.parent.parts), path.name.endswith(".jsonc"))

    def merge(self, layers: list[Document]) -> Merged:
        """remeda `mergeDeep`, `instructions` concatenated and de-duplicated; no null sentinel.
        `plugin` is concatenated too, de-duplicated by each entry's JSON text: an entry may be
        `[name, options]`, which `merge_layers` cannot de-duplicate."""
        merged = merge_layers(layers, concat_keys=facts.CONCAT_KEYS - {"plugin"})
        lists = [doc.data["plugin"] for doc in layers if isinstance(doc.data, dict)
                 and isinstance(doc.data.get("plugin"), list)]
        if len(lists) > 1 and isinstance(merged.data.get("plugin"), list):
            entries = {json.dumps(entry, sort_keys=True): entry for plugins in lists for entry in plugins}
            merged.data["plugin"] = list(entries.values())
        return merged

    # --- facts for rules -------------------------------------------------------------
    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        if strict:
            return REFUSES
        if _kilo_only(path):
            return f"drops it ({KILO_ONLY})"
        if len(path) == 1 and path[0] in facts.v2()["dropped"]:
            return "drops it (an opencode V2 setting that V1 cannot represent: \"Omitted native setting\")"
        return "drops it silently"

    def invalid_value_effect(self, path: Path, value: Any, version: Version,
                             doc: Document | None = None) -> str | None:
        return REFUSES

    def unknown_keys_for_version(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        """Keys the default target's schema accepts that the targeted release does not know, and
        every unknown top-level key of a release that refuses them (1.18.15 and older)."""
        if not isinstance(data, dict):
            return
        known = facts.top_level_keys(version) | set(facts.stripped_keys())
        if version >= facts.V2_COMPAT_FROM:
            known |= facts.v2_top_level_keys()
        fatal = facts.unknown_top_level_fatal(version)
        # The schema reports the keys the default target's model lacks (a warning); a fatal
        # release needs an error for those too, and every release a note for the keys the model
        # has and the release lacks.
        modelled = facts.top_level_keys() | facts.v2_top_level_keys()
        for key in data:
            if key not in known and (fatal or key in modelled):
                yield _unknown_top(key, version, fatal)
        compaction = data.get("compaction")
        if isinstance(compaction, dict):
            nested = facts.compaction_keys(version)
            if version >= facts.V2_COMPAT_FROM:
                nested |= set(facts.v2()["compaction_lowered"])
            modelled_nested = facts.compaction_keys(facts.V2_COMPAT_FROM) | set(facts.v2()["compaction_lowered"])
            for key in compaction:
                if key not in nested and key in modelled_nested:
                    yield Note(("compaction", key), f"unknown key `{key}` in `compaction`: opencode {version} drops "
                                                    "it silently", fix="target a newer opencode, or remove it",
                               details={"key": key})
        if version < facts.EFFECT_SCHEMA_FROM:
            yield from _strict_provider_keys(data, version)

    def value_checks(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        """What the JSON Schema cannot say: MCP entries outside opencode's union (as Kilo's), V2
        `permissions` (fatal from 1.18.33), V2 forms older releases refuse."""
        from cfglint.harnesses.kilo import mcp_type_notes

        if not isinstance(data, dict):
            return
        servers = data.get("mcp")
        if version >= facts.V2_COMPAT_FROM and isinstance(servers, dict):
            servers = {name: entry for name, entry in servers.items() if not _v2_mcp_key(name, entry)}
        yield from mcp_type_notes({"mcp": servers}, facts.mcp_entry_types(),
                                  f"opencode {version} refuses to start (exit 1)")
        if version >= facts.V2_COMPAT_FROM:
            for path in _v2_permissions(data):
                yield Note(path, f"`{'.'.join(path)}`: {facts.v2()['fatal_message']}; {REFUSES}",
                           fix="write V1 `permission` rules instead", details={"v2": "permissions"})
        else:
            if isinstance(data.get("model"), dict):
                yield Note(("model",), f"an object `model` is opencode V2's form, lowered only from 1.18.33: "
                                       f"opencode {version} expects a `provider/model` string and {REFUSES}",
                           fix="write `\"model\": \"provider/model\"`", at="value")
            if isinstance(data.get("skills"), list):
                yield Note(("skills",), f"a list `skills` is opencode V2's form, lowered only from 1.18.33: opencode "
                                        f"{version} expects `{{paths, urls}}` and {REFUSES}",
                           fix="write `\"skills\": {\"paths\": [...]}` (URLs under `urls`)", at="value")

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str],
                        path: str | None = None) -> Iterable[Note]:
        if not isinstance(data, dict):
            return
        for key, new in {**facts.deprecated_top_level(), "tools": "permission"}.items():
            if key in data and key in facts.top_level_keys(version):
                yield _deprecation((key,), f"`{key}`", new, version)
        for key in facts.stripped_keys():
            if key in data:
                yield Note((key,), f"`{key}` belongs in tui.json: opencode {version} strips it from the main config "
                                   "(and moves it to tui.json when the TUI starts)",
                           fix="move it to `tui.json`", severity=Severity.INFO, details={"replacement": "tui.json"})
        for container in ("agent", "mode"):
            agents = data.get(container)
            if isinstance(agents, dict):
                for name, agent in agents.items():
                    if isinstance(agent, dict):
                        for key, new in (("maxSteps", "steps"), ("tools", "permission")):
                            if key in agent:
                                yield _deprecation((container, name, key), f"`{container}.{name}.{key}`", new, version)
        if version >= facts.V2_COMPAT_FROM:
            yield from _v2_twins(data, version)

    def references(self, merged: Merged, registry: "Registry") -> Iterable[Note]:
        from cfglint.harnesses.kilo import missing_file_notes, model_reference_notes

        for doc in merged.layers:
            yield from missing_file_notes(doc, self.substituted_references(doc),
                                          f"{REFUSES}: \"bad file reference\"")
        # opencode's bundled catalog, and cfglint's models.dev snapshot for what a catalog refresh brings
        catalog = facts.catalog_provider_ids() | registry.catalog_provider_ids
        yield from model_reference_notes(merged.data, facts.MODEL_REF_KEYS, catalog, self.title)

    # --- credentials and substitution tokens (SEC rules) ---------------------------
    def endpoints(self, data: Any) -> Iterable["Endpoint"]:
        from cfglint.harnesses.opencode import endpoints

        return endpoints.endpoints(data)

    def secret_fix(self, doc: Document, path: Path, value: str, secret: str) -> str:
        from cfglint.harnesses.opencode import endpoints

        return endpoints.secret_fix(path, value, secret)

    def substituted_spans(self, doc: Document) -> list[tuple[int, int]]:
        return [(ref.start, ref.end) for ref in self.substituted_references(doc)]

    def substituted_references(self, doc: Document) -> list["Reference"]:
        """Every token opencode substitutes: all but those on `//` lines (as Kilo's global config)."""
        from cfglint.harnesses.kilo.substitution import find_references

        return [ref for ref in find_references(doc.source.text) if not ref.inert]

    def escaping_file_references(self, doc: Document) -> Iterable[TextNote]:
        """Relative `{file:}` tokens that climb out of the project (the config's folder; for a
        `.opencode/` file its parent, which `../x` reaches): opencode reads them (no project-root
        restriction), so this is an info: the config depends on a file beside the repository.
        A `~/` or absolute path is left alone: it names the user's own file on purpose (a secret
        kept in the home directory, the deployed copy of a dotfiles repository), which cfglint
        cannot judge. Not in a global config (a folder named `opencode`, as `~/.config/opencode/`
        and its copies in dotfile repositories), which reads the user's own files by design."""
        folder = os.path.dirname(os.path.abspath(doc.path))
        if pure_path(folder).name == facts.GLOBAL_DIR:
            return
        project = os.path.dirname(folder) if pure_path(folder).name == facts.CONFIG_DIR else folder
        outside = [ref for ref in self.substituted_references(doc) if ref.kind == "file"
                   and not _machine_path(ref.name)
                   and not os.path.normpath(os.path.join(folder, ref.name)).startswith(project + os.sep)]
        if outside:
            first, names = outside[0], sorted({ref.name for ref in outside})
            more = f" and {len(names) - 1} more" if len(names) > 1 else ""
            yield TextNote(first.start, first.end,
                           f"opencode reads `{{file:{first.name}}}`{more} from outside the project (it does not "
                           f"restrict `{{file:}}` to the project): the config depends on files outside the "
                           f"project folder",
                           fix="keep the files in the project, or make sure every machine has them",
                           severity=Severity.INFO, details={"references": names})


def _machine_path(name: str) -> bool:
    """A `{file:}` path of the user's machine, not of the project: absolute or in the home directory."""
    return name.startswith(("/", "~/"))


def _kilo_only(path: Path) -> bool:
    if len(path) == 1:
        return path[0] in facts.kilo_only_top_level()
    nested = facts.kilo_only_nested()
    if len(path) == 2 and path[0] == "compaction":
        return path[1] in nested["compaction"]
    if len(path) == 3 and path[0] == "provider":
        return path[2] in nested["provider.*"]
    if len(path) == 5 and path[0] == "provider" and path[2] == "models":
        return path[4] in nested["provider.*.models.*"]
    return False


def _unknown_top(key: str, version: Version, fatal: bool) -> Note:
    """An unknown top-level key of the targeted release: fatal (1.18.15 and older) or dropped."""
    if key in facts.top_level_keys() or key in facts.v2_top_level_keys():
        origin = " (an opencode V2 key, lowered only from 1.18.33)" if key in facts.v2_top_level_keys() \
            else " (added in a later release)"
    elif key in facts.kilo_only_top_level():
        origin = f" ({KILO_ONLY} in every release)"
    else:
        origin = ""
    if fatal:
        return Note((key,), f"unknown key `{key}` at top level{origin}: opencode {version} refuses to start "
                            f"(\"Unrecognized key: {key}\")", fix="remove it, or target a release that has it",
                    severity=Severity.ERROR, details={"key": key})
    return Note((key,), f"unknown key `{key}` at top level{origin}: opencode {version} drops it",
                fix="remove it, or target a release that has it", severity=Severity.WARNING, details={"key": key})


def _strict_provider_keys(data: dict, version: Version) -> Iterable[Note]:
    """1.3.x (zod): `ProviderConfig` is `.strict()`, an unknown provider key stops opencode."""
    providers = data.get("provider")
    if not isinstance(providers, dict):
        return
    known = facts.object_keys("provider")[0]
    for pid, provider in providers.items():
        if isinstance(provider, dict):
            for key in provider:
                if key not in known:
                    yield Note(("provider", pid, key), f"unknown key `{key}` in `provider.{pid}`: opencode {version}'s "
                                                       f"ProviderConfig is strict and {REFUSES}",
                               fix="remove it", severity=Severity.ERROR, details={"key": key})


def _v2_mcp_key(name: str, entry: Any) -> bool:
    """`mcp.servers` / `mcp.timeout` in V2's form, which ConfigV2Compat.lower turns into V1 servers
    and `experimental.mcp_timeout` (`W_`): an object without a scalar `type` or `enabled` (a V1
    server that happens to be called so has them); `timeout` holds `startup`/`catalog`/`execution`."""
    if name not in ("servers", "timeout") or not isinstance(entry, dict):
        return False
    if any(key in entry and not isinstance(entry[key], dict) for key in ("type", "enabled")):
        return False
    return name == "servers" or not entry or any(key in entry for key in ("startup", "catalog", "execution"))


def _v2_permissions(data: dict) -> Iterable[Path]:
    """`permissions` at the top level or in any agent (`agents`, `agent`, `mode`): ConfigV2Compat.lower throws."""
    if "permissions" in data:
        yield ("permissions",)
    for container in ("agents", "agent", "mode"):
        agents = data.get(container)
        if isinstance(agents, dict):
            for name, agent in agents.items():
                if isinstance(agent, dict) and "permissions" in agent:
                    yield (container, name, "permissions")


def _v2_twins(data: dict, version: Version) -> Iterable[Note]:
    """A V2-native key beside its V1 twin: opencode keeps the V1 value ("Retained legacy value")."""
    pairs = [((v2_key,), (v1_key,)) for v2_key, v1_key in facts.v2()["top_level_lowered"].items()]
    compaction = data.get("compaction")
    if isinstance(compaction, dict):
        pairs += [(("compaction", v2_key), ("compaction", v1_key))
                  for v2_key, v1_key in facts.v2()["compaction_lowered"].items()]
    for v2_path, v1_path in pairs:
        holder = data if len(v2_path) == 1 else compaction
        if v2_path[-1] in holder and v1_path[-1] in holder:
            yield Note(v2_path, f"`{'.'.join(v2_path)}` (opencode V2) is set beside `{'.'.join(v1_path)}`: opencode "
                                f"{version} keeps the V1 value (\"Retained legacy value over native value\")",
                       fix=f"keep one of them; opencode reads `{'.'.join(v1_path)}`",
                       details={"replacement": ".".join(v1_path)})


def _deprecation(path: Path, label: str, new: str | None, version: Version) -> Note:
    if new is None:
        return Note(path, f"{label} is deprecated in opencode {version} and has no effect",
                    fix="remove it", details={"replacement": None})
    return Note(path, f"{label} is deprecated in opencode {version}; use `{new}`",
                fix=f"move the setting to `{new}`", details={"replacement": new})


OPENCODE = OpenCode()
