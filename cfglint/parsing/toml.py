"""TOML parser for Kimi `config.toml`: data from tomli, positions from a lazy scanner.

tomli decides what is valid TOML, as the harness's own loader does, but keeps no
positions. A small scanner over the text tomli accepted maps every key path to
code-point offsets; it runs only when a finding needs a position, so clean files
never pay for it. Before tomli runs, a linear pre-scan refuses documents nested
too deeply for tomli's recursive descent (SYN004).
"""

from __future__ import annotations

import re
import sys

import tomli

from cfglint.core.document import Diagnostic, Location, Locations, ParseResult, Path, format_path
from cfglint.core.text import MAX_DEPTH, SourceText

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


__all__ = ["parse_toml"]

_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"

# String bodies are matched without a required closing delimiter, so the same
# patterns find where a string ends in valid text and where an unterminated one
# stops in invalid text (pre-scan); none of them can backtrack.
_ML_BASIC = re.compile(r'"""(?:[^"\\]+|\\.|"{1,2}(?!"))*"{0,5}', re.S)
_ML_LITERAL = re.compile(r"'''(?:[^']+|'{1,2}(?!'))*'{0,5}")
_BASIC = re.compile(r'"(?:[^"\\\n]+|\\.)*"?')
_LITERAL = re.compile(r"'[^'\n]*'?")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Numbers, booleans and dates (which may contain a space) run up to a separator.
_BARE_VALUE = re.compile(r"[^,\]}#\r\n]*")
_SPACES = re.compile(r"[ \t]*")
_BLANK = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_DEPTH_TOKEN = re.compile(r"[\"'#\[\]{}]")
_QUOTED = r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\""""
# Compiled on first use (through re's cache): only error messages need it.
_KEY_TUPLE = rf"\((?:{_QUOTED})(?:, (?:{_QUOTED}))*,?\)"


def parse_toml(source: SourceText) -> ParseResult:
    """Parse a TOML document; never raises (failures become SYN001/SYN004)."""
    text = source.text
    brackets = text.count("[") + text.count("{")
    if brackets > MAX_DEPTH:
        too_deep_at = _first_bracket_too_deep(text)
        if too_deep_at is not None:
            return _failed("SYN004", _TOO_DEEP, too_deep_at, too_deep_at + 1)
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        return _failed("SYN001", _clean_message(exc.msg), _original_offset(text, exc.pos))
    except RecursionError:
        return _failed("SYN004", _TOO_DEEP, 0)
    except MemoryError:
        return _failed("SYN004", "document too large to parse", 0)
    except ValueError as exc:
        return _value_error(text, exc)

    # Every level of nesting needs its own '[', '{' or '.' in the text, so most
    # files are shallow enough by this count alone and skip the walk.
    if brackets + text.count(".") > MAX_DEPTH:
        deep_path = _overly_deep_path(data)
        if deep_path is not None:
            loc = _scan_locations(text).get(deep_path)
            if loc is None:
                return _failed("SYN004", _TOO_DEEP, 0)
            if loc.key_start is not None:
                return _failed("SYN004", _TOO_DEEP, loc.key_start, loc.key_end)
            return _failed("SYN004", _TOO_DEEP, loc.value_start, loc.value_end)
    return ParseResult(data, Locations(build=lambda: _scan_locations(text)))


def _failed(code: str, message: str, start: int, end: int | None = None) -> ParseResult:
    return ParseResult(None, Locations(), [Diagnostic(code, message, start, end)])


def _clean_message(message: str) -> str:
    """tomli's message with key tuples such as `('a', 'b')` shown as `a.b`."""
    import ast  # off the path of files that parse

    def dotted(match: re.Match[str]) -> str:
        try:
            key = ast.literal_eval(match.group())
        except (ValueError, SyntaxError):
            return match.group()
        return f"`{format_path(key)}`" if isinstance(key, tuple) else match.group()

    return re.sub(_KEY_TUPLE, dotted, message)


def _original_offset(text: str, pos: int) -> int:
    """Map tomli's offset back into `text`: tomli parses it with CRLF turned into LF.

    Clamped to the end, which tomli overshoots for a backslash there.
    """
    offset = pos
    for removed, crlf in enumerate(re.finditer("\r\n", text)):
        if crlf.start() - removed >= pos:
            break
        offset += 1
    return min(offset, len(text))


def _value_error(text: str, exc: ValueError) -> ParseResult:
    """SYN001 for a ValueError that escapes tomli: an integer beyond Python's digit limit."""
    limit = getattr(sys, "get_int_max_str_digits", lambda: 0)()  # Python >= 3.10.7
    for match in re.finditer(r"[0-9][0-9_]*", text):
        if limit and len(match.group()) - match.group().count("_") > limit:
            message = f"integer has more than {limit:,} digits"
            return _failed("SYN001", message, match.start(), match.end())
    return _failed("SYN001", f"invalid value: {exc}", 0)


def _string_end(text: str, pos: int) -> int:
    """End of the string (any of TOML's four kinds) that starts at `pos`."""
    if text.startswith('"""', pos):
        pattern = _ML_BASIC
    elif text.startswith("'''", pos):
        pattern = _ML_LITERAL
    elif text[pos] == '"':
        pattern = _BASIC
    else:
        pattern = _LITERAL
    return pattern.match(text, pos).end()  # the patterns always match


def _first_bracket_too_deep(text: str) -> int | None:
    """Offset of the first value bracket nested deeper than MAX_DEPTH, if any.

    Linear and tolerant of invalid text: strings and comments are skipped, and a
    `[` or `[[` that starts a line outside any value is a table header, not nesting.
    """
    depth = 0
    pos = 0
    search = _DEPTH_TOKEN.search
    while (match := search(text, pos)) is not None:
        start = match.start()
        char = text[start]
        if char in "\"'":
            pos = _string_end(text, start)
            continue
        if char == "#":
            pos = text.find("\n", start)
            if pos < 0:
                return None
            continue
        pos = start + 1
        if char in "]}":
            depth = max(depth - 1, 0)
        elif char == "[" and depth == 0 and _starts_line(text, start):
            if text.startswith("[[", start):
                pos += 1
        else:
            depth += 1
            if depth > MAX_DEPTH:
                return start
    return None


def _starts_line(text: str, pos: int) -> bool:
    """True when only spaces and tabs precede `pos` on its line."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in "\r\n"


def _overly_deep_path(data: Any) -> Path | None:
    """Path of a container nested deeper than MAX_DEPTH levels below the root, if any.

    Iterative, because dotted keys and headers can nest far deeper than the
    interpreter's recursion limit; parents are linked so only the answer's path
    is ever built.
    """
    stack: list[tuple[Any, int, tuple | None]] = [(data, 0, None)]
    while stack:
        node, depth, trail = stack.pop()
        if depth > MAX_DEPTH:
            path: list[str | int] = []
            while trail is not None:
                elem, trail = trail
                path.append(elem)
            return tuple(reversed(path))
        for elem, child in node.items() if isinstance(node, dict) else enumerate(node):
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1, (elem, trail)))
    return None


def _scan_locations(text: str) -> dict[Path, Location]:
    """Locations of every path in `text`, which tomli has already accepted.

    Positions are a convenience for findings: should the scanner ever fail on
    some valid document, the paths found so far are kept (findings then point to
    the nearest known ancestor) rather than crashing the lint run.
    """
    scanner = _Scanner(text)
    try:
        scanner.scan()
    except Exception:  # noqa: BLE001 - see docstring
        pass
    return scanner.locations


class _KeyPart:
    """One segment of a dotted key: its name and where its text is."""

    __slots__ = ("name", "start", "end")

    def __init__(self, name: str, start: int, end: int) -> None:
        self.name = name
        self.start = start
        self.end = end


class _OpenValue:
    """An array or inline table whose closing bracket is still ahead."""

    __slots__ = ("path", "key", "start", "is_array", "implied", "count")

    def __init__(
        self, path: Path, key: _KeyPart | None, start: int, is_array: bool, implied: list[Location]
    ) -> None:
        self.path = path
        self.key = key
        self.start = start
        self.is_array = is_array
        # Locations of tables implied by a dotted key, which end where this value ends.
        self.implied = implied
        self.count = 0  # items so far, in an array


class _Scanner:
    """Walks valid TOML statement by statement, recording where each path is.

    Conventions: a `[table]` or `[[array]]` header gives its table the whole
    header key as key span and the bracketed header as value span; a table only
    implied by a header (`models` in `[models.x]`) gets its key segment and that
    header, until a header of its own declares it. A table implied by a dotted key
    (`a` in `a.b = 1`) gets its key segment and the whole key/value statement.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.locations: dict[Path, Location] = {(): Location(None, None, 0, 0)}
        # Entries so far in each array of tables, by its path (indices resolved).
        self._table_arrays: dict[Path, int] = {}
        # Tables known only from a header's prefix; a later header may declare them.
        self._implied_by_header: set[Path] = set()

    def scan(self) -> None:
        text = self.text
        table: Path = ()
        pos = 0
        while True:
            pos = _BLANK.match(text, pos).end()
            if pos >= len(text):
                return
            if text[pos] == "[":
                table, pos = self._header(pos)
            else:
                pos = self._key_value(pos, table)

    def _key(self, pos: int) -> tuple[list[_KeyPart], int]:
        """The parts of a (dotted) key at `pos`, and the offset after its trailing spaces."""
        text = self.text
        parts = []
        while True:
            char = text[pos]
            if char == '"':
                end = _BASIC.match(text, pos).end()
                raw = text[pos:end]
                # tomli decodes escapes so that the name matches its data exactly.
                name = tomli.loads(f"k = {raw}")["k"] if "\\" in raw else raw[1:-1]
            elif char == "'":
                end = _LITERAL.match(text, pos).end()
                name = text[pos + 1 : end - 1]
            else:
                end = _BARE_KEY.match(text, pos).end()
                name = text[pos:end]
            parts.append(_KeyPart(name, pos, end))
            pos = _SPACES.match(text, end).end()
            if not text.startswith(".", pos):
                return parts, pos
            pos = _SPACES.match(text, pos + 1).end()

    def _header(self, start: int) -> tuple[Path, int]:
        """Record a `[table]` or `[[array]]` header; return its table's path and end."""
        text = self.text
        is_array = text.startswith("[[", start)
        bracket = 2 if is_array else 1
        key_start = _SPACES.match(text, start + bracket).end()
        parts, pos = self._key(key_start)
        end = pos + bracket
        path: Path = ()
        for part in parts[:-1]:
            path += (part.name,)
            if path not in self.locations:
                self.locations[path] = Location(part.start, part.end, start, end)
                self._implied_by_header.add(path)
            if path in self._table_arrays:
                path += (self._table_arrays[path] - 1,)
        path += (parts[-1].name,)
        header = Location(parts[0].start, parts[-1].end, start, end)
        if is_array:
            count = self._table_arrays.get(path, 0)
            self._table_arrays[path] = count + 1
            self.locations.setdefault(path, header)
            path += (count,)
            self.locations[path] = Location(None, None, start, end)
        elif path not in self.locations or path in self._implied_by_header:
            self.locations[path] = header
            self._implied_by_header.discard(path)
        return path, end

    def _implied_tables(self, table: Path, parts: list[_KeyPart]) -> tuple[Path, list[Location]]:
        """Record the tables a dotted key implies; return the key's full path and them.

        Their value spans end with the statement's value, so the caller closes them.
        """
        path = table
        implied = []
        for part in parts[:-1]:
            path += (part.name,)
            if path not in self.locations:
                loc = Location(part.start, part.end, parts[0].start, part.end)
                self.locations[path] = loc
                implied.append(loc)
        return path + (parts[-1].name,), implied

    def _key_value(self, pos: int, table: Path) -> int:
        parts, pos = self._key(pos)
        pos = _SPACES.match(self.text, pos + 1).end()  # past '='
        path, implied = self._implied_tables(table, parts)
        return self._value(pos, path, parts[-1], implied)

    def _value(self, pos: int, path: Path, key: _KeyPart | None, implied: list[Location]) -> int:
        """Record the value at `pos` and everything inside it; return its end.

        Arrays and inline tables are tracked on an explicit stack, not by
        recursion, so nesting depth is bounded only by tomli's own limits.
        """
        text = self.text
        stack: list[_OpenValue] = []
        while True:
            if text[pos] in "[{":
                stack.append(_OpenValue(path, key, pos, text[pos] == "[", implied))
                pos += 1
            else:
                end = self._scalar_end(pos)
                self._record(path, key, pos, end, implied)
                pos = end
            # Close the containers that end here, then find the next value's start.
            while True:
                if not stack:
                    return pos
                pos = _BLANK.match(text, pos).end()
                if text[pos] == ",":
                    pos = _BLANK.match(text, pos + 1).end()
                if text[pos] not in "]}":
                    break
                pos += 1
                done = stack.pop()
                self._record(done.path, done.key, done.start, pos, done.implied)
            container = stack[-1]
            if container.is_array:
                path, key, implied = container.path + (container.count,), None, []
                container.count += 1
            else:
                parts, pos = self._key(pos)
                pos = _SPACES.match(text, pos + 1).end()
                path, implied = self._implied_tables(container.path, parts)
                key = parts[-1]

    def _scalar_end(self, pos: int) -> int:
        if self.text[pos] in "\"'":
            return _string_end(self.text, pos)
        bare = _BARE_VALUE.match(self.text, pos).group()
        return pos + len(bare.rstrip(" \t"))

    def _record(
        self, path: Path, key: _KeyPart | None, start: int, end: int, implied: list[Location]
    ) -> None:
        key_start, key_end = (key.start, key.end) if key is not None else (None, None)
        self.locations[path] = Location(key_start, key_end, start, end)
        for loc in implied:
            loc.value_end = end
