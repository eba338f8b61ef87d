"""What every harness unit provides to the rest of cfglint.

A harness unit (one package under `cfglint.harnesses`) owns the facts of one
harness: which files it reads, how it parses them, how it merges layers, which
keys it deprecates or rejects per version, and its resolver. Rules ask the
unit for facts (`Note`s) and turn them into findings, so a rule never needs a
switch on the harness.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from cfglint.document import Document, ParseResult, Path
from cfglint.findings import Severity
from cfglint.source import SourceText
from cfglint.versions import Version

if TYPE_CHECKING:
    from cfglint.budget import Budget, ResolveInput
    from cfglint.context import SetContext


@dataclass
class Note:
    """A harness fact about one key or value that a rule reports.

    `at` says whether the finding points at the key or at the value; `doc` is
    the layer that holds the key when several files are merged.
    """

    path: Path
    message: str
    fix: str | None = None
    severity: Severity | None = None
    at: str = "key"
    details: dict[str, Any] = field(default_factory=dict)
    doc: Document | None = None


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

    dialect: str
    title: str
    syntax: str
    default_version: str
    # Directory names the harness reads this file from (empty: anywhere).
    config_dirs: tuple[str, ...] = ()
    file_names: tuple[str, ...] = ()
    # Environment variable naming the harness home (used only with --use-env).
    home_env: str | None = None
    # Environment variables the harness documents as plain settings (numbers, model names,
    # base URLs, switches): explain prints their values. Every other value that came from
    # the environment is shown by name and length only (cfglint.secrets.Redactor).
    plain_env_variables: frozenset[str] = frozenset()

    # --- files -------------------------------------------------------------
    def recognises(self, path: PurePath, home: str | None = None) -> bool:
        """True when the harness reads a file at this path (by name and directory)."""
        if path.name not in self.file_names:
            return False
        if not self.config_dirs:
            return True
        parent = path.parent
        if parent.name in self.config_dirs:
            return True
        return home is not None and str(parent) == home.rstrip("/")

    def parse(self, source: SourceText, env: Mapping[str, str]) -> ParseResult:
        raise NotImplementedError

    # --- content sniffing: files the harness may read that its names do not tell --------
    # A file not recognised by name is parsed and offered to `dialect_by_content` when its
    # suffix is one of `sniff_suffixes` and one of `sniff_markers` occurs in its first MiB.
    sniff_suffixes: tuple[str, ...] = ()
    sniff_markers: tuple[bytes, ...] = ()

    def dialect_by_content(self, path: PurePath, data: Any) -> str | None:
        """The dialect of a parsed file found by sniffing (None: not a file of this harness)."""
        return None

    def foreign_content(self, data: Any) -> str | None:
        """Why a file named like this harness's config is not one (a data file that merely shares
        the name), else None. Such a file is skipped with a note unless `--dialect` names the
        harness."""
        return None

    def may_sniff(self, path: PurePath, head: bytes) -> bool:
        """Cheap pre-filter before a file found by no name is parsed."""
        return path.suffix in self.sniff_suffixes and any(marker in head for marker in self.sniff_markers)

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

    def unknown_keys_for_version(self, data: Any, version: Version) -> Iterable[Note]:
        """Keys the schema (newest release) knows but the targeted release does not (SCH002)."""
        return ()

    def value_checks(self, data: Any, version: Version) -> Iterable[Note]:
        """Value rules the schema cannot express, or that differ by version (SCH001)."""
        return ()

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str]) -> Iterable[Note]:
        """Keys the targeted release ignores or renames (SCH003)."""
        return ()

    def dialect_mixups(self, data: Any, version: Version) -> Iterable[Note]:
        """Constructs from a sibling dialect (SCH005)."""
        return ()

    def references(self, ctx: "SetContext") -> Iterable[Note]:
        """References that cannot resolve in the merged configuration (SCH004)."""
        return ()

    # --- budgets ---------------------------------------------------------------
    resolver_module: str | None = None  # e.g. "cfglint.harnesses.kimi.resolver"
    resolver_function: str = "resolve"

    def resolve(self, inp: "ResolveInput") -> list["Budget"]:
        """The budget of every model of the configuration (`RESOLVERS.md`)."""
        if self.resolver_module is None:
            return []
        return getattr(importlib.import_module(self.resolver_module), self.resolver_function)(inp)
