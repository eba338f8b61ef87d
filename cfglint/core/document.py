"""The parsed form of one config file: data, positions and syntax diagnostics.

Parsers differ (JSONC, JSON, TOML, YAML) but all hand the rest of cfglint the
same thing: plain Python data as the harness would see it, a map from every
key path to the code-point offsets of its key and value, and the syntax-level
diagnostics (SYN001..SYN004) they found on the way.
"""

from __future__ import annotations

import re

from cfglint.core.record import Record
from cfglint.core.text import Span, SourceText

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator

PathElem = str | int
Path = tuple[PathElem, ...]


class Location(Record):
    """Offsets of a key (None for the root and for array items) and of its value."""

    __slots__ = ("key_start", "key_end", "value_start", "value_end")

    def __init__(self, key_start: int | None, key_end: int | None, value_start: int, value_end: int) -> None:
        self.key_start = key_start
        self.key_end = key_end
        self.value_start = value_start
        self.value_end = value_end


class Diagnostic(Record):
    """A problem a parser found; becomes a finding with the same code."""

    __slots__ = ("code", "message", "start", "end", "fix", "details")

    def __init__(self, code: str, message: str, start: int, end: int | None = None, fix: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        self.code = code
        self.message = message
        self.start = start
        self.end = end
        self.fix = fix
        self.details = {} if details is None else details


class Locations:
    """Path -> Location map, built eagerly by a parser or lazily on first use.

    TOML data comes from tomli, which keeps no positions; its scanner only runs
    when a finding needs a position, so clean files never pay for it.
    """

    __slots__ = ("_map", "_build")

    def __init__(
        self,
        mapping: dict[Path, Location] | None = None,
        build: Callable[[], dict[Path, Location]] | None = None,
    ) -> None:
        self._map = mapping
        self._build = build

    def _mapping(self) -> dict[Path, Location]:
        if self._map is None:
            self._map = self._build() if self._build else {}
        return self._map

    def get(self, path: Path) -> Location | None:
        return self._mapping().get(tuple(path))

    def nearest(self, path: Path) -> tuple[Path, Location] | None:
        """The location of `path`, else of its closest ancestor that has one."""
        mapping = self._mapping()
        path = tuple(path)
        while True:
            loc = mapping.get(path)
            if loc is not None:
                return path, loc
            if not path:
                return None
            path = path[:-1]

    def paths(self) -> Iterator[Path]:
        return iter(self._mapping())


class ParseResult(Record):
    __slots__ = ("data", "locations", "diagnostics", "unresolved", "env_values")

    def __init__(self, data: Any, locations: Locations, diagnostics: list[Diagnostic] | None = None,
                 unresolved: frozenset[Path] = frozenset(), env_values: dict[str, str] | None = None) -> None:
        self.data = data
        self.locations = locations
        self.diagnostics = [] if diagnostics is None else diagnostics
        # Paths whose value came from an unresolved substitution (Kilo `{env:X}`
        # with no value given): their type is unknown, so schema rules skip them.
        self.unresolved = unresolved
        # Environment values substituted into the text (Kilo `{env:X}`), by variable name: the
        # values are secrets of the run unless a harness documents the variable as plain.
        self.env_values = {} if env_values is None else env_values

    @property
    def ok(self) -> bool:
        """True when the file parsed (no SYN001/SYN002/SYN004); its top level may still be
        something other than a table (a JSON `null`), which the schema rules report."""
        return not any(
            d.code in ("SYN001", "SYN002", "SYN004") for d in self.diagnostics
        )


class Document:
    """One config file as cfglint sees it: where it is, its text and its parse.

    A companion (`Harness.companion_files`: a file another config names, read as part of it)
    has `companion_of`, the path of the file naming it (the first one, when several files of
    the run name it), and `named_by`, every one of them: it joins exactly their configurations.
    The layer the harness's launch flags make (`--harness-args`, Codex `-c`) is a document too,
    `from_launch`, with no file behind it."""

    __slots__ = ("path", "display_path", "source", "parse", "dialect", "companion_of", "named_by", "from_launch",
                 "context")

    def __init__(
        self,
        path: str,
        display_path: str,
        source: SourceText,
        parse: ParseResult,
        dialect: str,
        *,
        companion_of: str | None = None,
        named_by: tuple[str, ...] = (),
        from_launch: bool = False,
        context: bool = False,
    ) -> None:
        self.path = path
        self.display_path = display_path
        self.source = source
        self.parse = parse
        self.dialect = dialect
        self.companion_of = companion_of
        self.named_by = named_by or ((companion_of,) if companion_of is not None else ())
        self.from_launch = from_launch
        # read only to complete the configuration of the files asked about (`discover.context_layers`):
        # merged, never reported on
        self.context = context

    @property
    def data(self) -> Any:
        return self.parse.data

    def key_span(self, path: Path) -> Span:
        """Span of the key at `path` (the value, or the nearest ancestor, if no key)."""
        found = self.parse.locations.nearest(path)
        if found is None:
            return self.source.span(0)
        found_path, loc = found
        if found_path == tuple(path) and loc.key_start is not None:
            return self.source.span(loc.key_start, loc.key_end)
        return self.source.span(loc.value_start, loc.value_end)

    def value_span(self, path: Path) -> Span:
        """Span of the value at `path` (or of the nearest ancestor that exists)."""
        found = self.parse.locations.nearest(path)
        if found is None:
            return self.source.span(0)
        _, loc = found
        return self.source.span(loc.value_start, loc.value_end)


def get_path(data: Any, path: Path, default: Any = None) -> Any:
    """Follow `path` through nested dicts/lists; `default` when it is absent."""
    node = data
    for elem in path:
        if isinstance(elem, int):
            if not isinstance(node, list) or not -len(node) <= elem < len(node):
                return default
        elif not isinstance(node, dict) or elem not in node:
            return default
        node = node[elem]
    return node


def format_path(path: Path) -> str:
    """Dotted display form of a path: `models."zhipu/glm-5.2".max_context_size`."""
    out = []
    for elem in path:
        if isinstance(elem, int) and not isinstance(elem, bool):
            out.append(f"[{elem}]")
            continue
        elem = str(elem)  # YAML keys may be dates, floats or booleans
        part = elem if _BARE_KEY.fullmatch(elem) else '"' + elem.replace('"', '\\"') + '"'
        out.append(("." if out else "") + part)
    return "".join(out) or "(root)"


_BARE_KEY = re.compile(r"[A-Za-z0-9_$-]+")
