"""What every harness unit provides to the rest of cfglint.

A harness unit (one package under `cfglint.harnesses`) owns the facts of one
harness: which files it reads, how it parses them, how it merges layers, which
keys it deprecates or rejects per version, and its resolver. Rules ask the
unit for facts (`Note`s) and turn them into findings, so a rule never needs a
switch on the harness.
"""

from __future__ import annotations


from cfglint.core import load_module
from cfglint.core.document import Document, ParseResult, Path
from cfglint.core.finding import Severity
from cfglint.core.record import Record
from cfglint.core.text import SourceText
from cfglint.core.versions import Version
from cfglint.harnesses import names

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import PurePath
    from typing import Any, Iterable, Mapping, Sequence
    from cfglint.harnesses.budget import Budget, ResolveInput
    from cfglint.harnesses.endpoints import Endpoint
    from cfglint.registry import Registry


class Note(Record):
    """A harness fact about one key or value that a rule reports.

    `at` says whether the finding points at the key or at the value; `doc` is
    the layer that holds the key when several files are merged.
    """

    __slots__ = ("path", "message", "fix", "severity", "at", "details", "doc")

    def __init__(self, path: Path, message: str, fix: str | None = None, severity: Severity | None = None,
                 at: str = "key", details: dict[str, Any] | None = None, doc: Document | None = None) -> None:
        self.path, self.message, self.fix, self.severity, self.at = path, message, fix, severity, at
        self.details = {} if details is None else details
        self.doc = doc


class TextNote(Record):
    """A harness fact about a stretch of the file's text rather than a key (a substitution
    token the harness refuses): offsets `start`..`end` in the source."""

    __slots__ = ("start", "end", "message", "fix", "severity", "details")

    def __init__(self, start: int, end: int, message: str, fix: str | None = None,
                 severity: Severity | None = None, details: dict[str, Any] | None = None) -> None:
        self.start, self.end, self.message, self.fix, self.severity = start, end, message, fix, severity
        self.details = {} if details is None else details


class Launch(Record):
    """What the harness's own command-line flags change (`--harness-args DIALECT=ARGS`)."""

    __slots__ = ("layer", "label", "strict_unknown_keys", "args")

    def __init__(self, layer: str | None = None, label: str = "", strict_unknown_keys: bool = False,
                 args: tuple[str, ...] = ()) -> None:
        self.layer = layer  # text, in the dialect's syntax, of a configuration layer above every file (Codex `-c`)
        self.label = label  # how findings name that layer, e.g. "codex -c"
        self.strict_unknown_keys = strict_unknown_keys  # unknown keys are errors (Codex `--strict-config`)
        self.args = args

    def __hash__(self) -> int:
        return hash(self._fields())


class Merged:
    """The merge of one harness's layers, remembering which file supplied each value."""

    def __init__(self, data: Any, origins: dict[Path, Document], layers: list[Document]) -> None:
        self.data = data
        self._origins = origins
        self.layers = layers

    def origin(self, path: Path) -> Document:
        """The layer that supplied the value at `path` (or its closest ancestor)."""
        path = tuple(path)
        while path:
            doc = self._origins.get(path)
            if doc is not None:
                return doc
            path = path[:-1]
        return self.layers[-1]


def merge_layers(layers: list[Document], concat_keys: frozenset[str] = frozenset()) -> Merged:
    """Deep-merge layers lowest precedence first: objects merge, scalars and arrays replace.

    Top-level keys in `concat_keys` hold arrays that are concatenated and
    de-duplicated instead (Kilo `instructions`).
    """
    data: dict[str, Any] = {}
    origins: dict[Path, Document] = {}

    def purge(prefix: Path, replaced: Any) -> None:
        """Forget the origins of a replaced object's keys: a walk of that object only, so
        merging stays linear in the size of the layers."""
        if isinstance(replaced, dict):
            for key, value in replaced.items():
                origins.pop(prefix + (key,), None)
                purge(prefix + (key,), value)

    def merge_into(target: dict, source: dict, prefix: Path, doc: Document) -> None:
        for key, value in source.items():
            path = prefix + (key,)
            current = target.get(key)
            if isinstance(value, dict) and isinstance(current, dict):
                merge_into(current, value, path, doc)
                continue
            if not prefix and key in concat_keys and isinstance(value, list) and isinstance(current, list):
                target[key] = list(dict.fromkeys([*current, *value]))
            else:
                target[key] = _copy(value)
                purge(path, current)
            origins[path] = doc

    for doc in layers:
        if isinstance(doc.data, dict):
            merge_into(data, doc.data, (), doc)
    return Merged(data, origins, layers)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


class Harness:
    """Base of every harness unit; the defaults say "nothing to report"."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        entry = names.NAMES.get(cls.__dict__.get("dialect", ""))
        if entry is not None:
            cls.file_names, cls.config_dirs, cls.home_env = entry.files, entry.dirs, entry.home_env
            cls.plain_env_variables, cls.default_version = entry.plain_env, entry.default_version

    dialect: str
    title: str
    syntax: str
    default_version: str
    # The default release, the file names, the directories they are read from (empty: anywhere),
    # the variable naming the harness home and the plain-setting variables: the dialect's
    # `names.Names`, set on each unit's class by `__init_subclass__` (every run reads them
    # without importing the units).
    config_dirs: tuple[str, ...] = ()
    file_names: tuple[str, ...] = ()
    home_env: str | None = None
    plain_env_variables: frozenset[str] = frozenset()
    # The rule codes that can fire for this dialect: `tests/rules/cases/<CODE>/` holds a case that
    # fires and one that stays quiet for each, and no case for any other code.
    rule_codes: frozenset[str] = frozenset()
    # The pydantic model of a whole file ("module:Class"), its JSON Schema title and file name:
    # `make schemas` generates `cfglint/schemas/` and the compiled validators from it.
    schema_model: str
    schema_title: str
    # Schemas of the other kinds of file a harness reads (pi: `models.json` beside
    # `settings.json`), by schema name: ("module:Class", title). `schema_name` says which schema a
    # file follows; `make schemas` generates one schema and one validator per name.
    extra_schemas: Mapping[str, tuple[str, str]] = {}

    def schema_name(self, path: str) -> str:
        """The schema the file at `path` follows: the dialect's own, or one of `extra_schemas`."""
        return self.dialect

    def schema_source(self, name: str) -> tuple[str, str]:
        """("module:Class", title) of the schema called `name`."""
        return (self.schema_model, self.schema_title) if name == self.dialect else self.extra_schemas[name]

    # --- files -------------------------------------------------------------
    def recognises(self, path: PurePath, home: str | None = None) -> bool:
        """True when the harness reads a file at this path (by name and directory)."""
        return names.recognises(self.dialect, path, home)

    def parse(self, source: SourceText, env: Mapping[str, str], path: str | None = None) -> ParseResult:
        """The file as the harness parses it; `path` (when known) for a harness whose syntax
        depends on the file's name (pi: `settings.json` is strict JSON, `models.json` is not)."""
        raise NotImplementedError

    def companion_files(self, path: PurePath, content: bytes) -> list[str]:
        """Other files the harness reads as part of the file at `path` (Codex `model_catalog_json`),
        as the file writes them (relative paths are relative to its directory). The engine reads
        each one inside the project and adds it to the configuration of the file naming it. Cheap
        (the bytes are this harness's own parse away), and never raises: bytes that do not parse
        name nothing."""
        return []

    def path_patterns(self) -> tuple[str, ...]:
        """Regular expressions of the paths `recognises` accepts by name, for the pre-commit hook."""
        return names.path_patterns(self.dialect)

    # --- content sniffing: files the harness may read that its names do not tell --------
    # A file not recognised by name is parsed and offered to `dialect_by_content` when its
    # suffix and first MiB pass the dialect's pre-filter (`names.may_sniff`).
    def dialect_by_content(self, path: PurePath, data: Any) -> str | None:
        """The dialect of a parsed file found by sniffing (None: not a file of this harness)."""
        return None

    def foreign_content(self, data: Any) -> str | None:
        """Why a file named like this harness's config is not one (a data file that merely shares
        the name), else None. Such a file is skipped with a note unless `--dialect` names the
        harness."""
        return None

    # --- launch flags ----------------------------------------------------------
    def launch(self, args: Sequence[str]) -> Launch:
        """What the flags the harness is launched with (`--harness-args DIALECT=ARGS`) change; a
        ValueError says why cfglint cannot take them (checked before any file is read)."""
        if args:
            raise ValueError(f"cfglint knows no launch flags of {self.title}")
        return Launch()

    # --- layers ------------------------------------------------------------
    # True when the harness skips a whole file that fails validation and runs without it
    # (Kilo: `catchDefect` -> `{}`): such a file is left out of the configuration.
    skips_invalid_files: bool = False
    # True when a configuration also takes the files of ancestor directories up to the
    # worktree root (Kilo), so each directory's configuration is its own files plus theirs.
    layers_from_ancestors: bool = False

    def layer_group(self, doc: Document) -> str:
        """The directory a file configures; files with the same one are layers of one configuration."""
        return doc.path

    def is_user_layer(self, doc: Document) -> bool:
        """A user-level file (e.g. the global config) that joins every project's layers."""
        return False

    def layer_rank(self, doc: Document) -> tuple:
        """Precedence inside a group: lower ranks merge first (lose)."""
        return (doc.path,)

    def merge(self, layers: list[Document]) -> Merged:
        return merge_layers(layers)

    # --- facts for rules (version-aware) -------------------------------------
    def version(self, text: str | None) -> Version:
        return Version.parse(text or self.default_version)

    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        """What the harness does with an unknown key (ends the SCH002 message)."""
        return "rejects it" if strict else "ignores it"

    def invalid_value_effect(self, path: Path, value: Any, version: Version,
                             doc: Document | None = None) -> str | None:
        """What the harness does with a value that breaks its schema in `doc`, where that is not
        obvious."""
        return None

    # The three hooks below get the file's `path` for a harness whose files are of several kinds
    # (pi: settings.json and models.json), which the data alone cannot always tell apart.
    def unknown_keys_for_version(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        """Keys the schema (newest release) knows but the targeted release does not (SCH002)."""
        return ()

    def value_checks(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        """Value rules the schema cannot express, or that differ by version (SCH001)."""
        return ()

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str],
                        path: str | None = None) -> Iterable[Note]:
        """Keys the targeted release ignores or renames (SCH003)."""
        return ()

    def dialect_mixups(self, data: Any, version: Version) -> Iterable[Note]:
        """Constructs from a sibling dialect (SCH005)."""
        return ()

    def references(self, merged: Merged, registry: "Registry") -> Iterable[Note]:
        """References that cannot resolve in the merged configuration (SCH004)."""
        return ()

    # --- credentials and where they go (SEC rules) -----------------------------
    def endpoints(self, data: Any) -> Iterable["Endpoint"]:
        """Every place the file configures requests to, with its credential settings and base
        URLs (SEC001 reads the credentials, SEC004 the URLs)."""
        return ()

    def secret_fix(self, doc: Document, path: Path, value: str, secret: str) -> str:
        """Where a credential written at `path` should live instead, in the harness's terms."""
        return "move it out of the file into the environment the harness reads, then revoke it"

    def substituted_spans(self, doc: Document) -> list[tuple[int, int]]:
        """Offsets of the text the harness replaces before parsing (Kilo `{env:}`/`{file:}`): a
        value written there is not what the file holds, so SEC001 does not read it."""
        return []

    def escaping_file_references(self, doc: Document) -> Iterable[TextNote]:
        """File references in the text that the harness refuses because they leave the project (SEC002)."""
        return ()

    def refused_references(self, doc: Document) -> Iterable[TextNote]:
        """Environment references in the text that make the harness refuse the file (SEC003)."""
        return ()

    # --- budgets ---------------------------------------------------------------
    resolver_module: str | None = None  # a module with `resolve(inp)`, e.g. "cfglint.harnesses.kilo.resolver"

    def resolve(self, inp: "ResolveInput") -> list["Budget"]:
        """The budget of every model of the configuration (`RESOLVERS.md`)."""
        if self.resolver_module is None:
            return []
        return load_module(self.resolver_module).resolve(inp)
