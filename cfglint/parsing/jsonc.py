"""JSON and JSONC parsing with positions, matching the harnesses' own parsers.

Two dialects, chosen by `allow_comments`:

- JSONC (`allow_comments=True`), as Kilo/opencode read it: Microsoft's
  `jsonc-parser` `parse(text, errors, {allowTrailingComma})`, i.e. JSON plus
  `//` and `/* */` comments (plus trailing commas when allowed). The first
  error is reported with jsonc-parser's error kind at jsonc-parser's offset: the
  start of the token it was looking at. Its scanner reads a whole token before
  the parser judges it, so a token's own error (bad escape, unterminated
  string, invalid symbol, ...) comes first, and within a token the last error
  found wins.
- Strict JSON (`allow_comments=False`), as Claude Code reads settings:
  JavaScript's `JSON.parse`, with errors at the offset where V8 stops.

The parser is iterative (an explicit stack, no recursion), jumps over runs of
plain characters with regular expressions and stops at the first fatal
problem, so its time is linear in the input whatever the input, and nesting is
cut at `MAX_DEPTH` levels (SYN004).

A harness may reject JSON5 (Kilo does); `diagnose_json5="<harness>"` turns the JSONC failure
of a file that is valid JSON5 into SYN002 at its first JSON5-only construct, naming the harness. The slow
`json5` package confirms validity, and only runs after a JSONC failure whose
position holds something JSON5 allows.
"""

from __future__ import annotations

import gc
import re
from abc import ABC, abstractmethod

from cfglint.core.document import Diagnostic, Location, Locations, ParseResult, Path
from cfglint.core.text import MAX_DEPTH, SourceText

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn


__all__ = ["JSON5_CHECK_LIMIT", "add_first_lines", "parse_json", "parse_text"]

_JSONC_TRIVIA = re.compile(r"(?:[ \t\r\n]+|//[^\r\n]*|/\*.*?\*/)*", re.S)
_JSON_WHITESPACE = re.compile(r"[ \t\r\n]*")
_PLAIN_STRING = re.compile(r'"([^"\\\x00-\x1f]*)"')
_PLAIN_MEMBER = re.compile(r'"([^"\\\x00-\x1f]*)"[ \t\r\n]*:[ \t\r\n]*')
_STRING_CHUNK = re.compile(r'[^"\\\x00-\x1f]*')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
# Characters after a number that may make it an error (or, after "0", another number).
_AFTER_NUMBER_SUSPECTS = frozenset(".eE0123456789")
# jsonc-parser reads any run of these characters as one word: a keyword or an
# invalid symbol ("unknown content" in its scanner).
_WORD = re.compile(r'[^ \t\r\n{}\[\]":,/]+')
_HEX4 = re.compile(r"[0-9a-fA-F]{1,4}")
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
_ESCAPES = {
    '"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
}  # fmt: skip

_FIX_QUOTE_KEY = 'write the key in double quotes: "key": value'
_FIX_ESCAPE = 'use one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX'
_FIX_UNICODE = 'write "\\u" followed by four hexadecimal digits'
_FIX_CONTROL = 'escape it, e.g. "\\n" for a line break or "\\t" for a tab'


class _Stop(Exception):
    """The first fatal problem: parsing ends with this diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _Frame:
    """An object or array being filled, and where its own value goes."""

    __slots__ = ("container", "is_object", "closer", "path", "key_start", "key_end", "start")

    def __init__(
        self, is_object: bool, path: Path, key_start: int | None, key_end: int | None, start: int
    ) -> None:
        self.container: Any = {} if is_object else []
        self.is_object = is_object
        self.closer = "}" if is_object else "]"
        self.path = path
        self.key_start = key_start
        self.key_end = key_end
        self.start = start


class _Parser(ABC):
    """The dialect-independent part: the value grammar, locations, duplicates.

    Subclasses supply the trivia to skip, the slow paths of strings and
    numbers, and every error (kind, wording and offset differ by dialect).
    """

    trivia: re.Pattern[str]

    def __init__(self, text: str, allow_trailing_commas: bool) -> None:
        self.text = text
        self.trailing_commas = allow_trailing_commas
        self.locations: dict[Path, Location] = {}
        self.diagnostics: list[Diagnostic] = []
        self._first_key_offsets: dict[Path, int] = {}
        self._replaced_containers = False

    def parse(self) -> ParseResult:
        # Parsing allocates only acyclic objects; cyclic-GC passes over millions
        # of them cost a third of the time on large files.
        collecting = gc.isenabled()
        gc.disable()
        try:
            data = self._run()
        except _Stop as stop:
            return ParseResult(None, Locations({}), [stop.diagnostic])
        finally:
            if collecting:
                gc.enable()
        if self._replaced_containers:
            self._drop_replaced_locations(data)
        return ParseResult(data, Locations(self.locations), self.diagnostics)

    def _run(self) -> Any:
        text = self.text
        n = len(text)
        skip = self.trivia.match
        locations = self.locations
        stack: list[_Frame] = []
        path: Path = ()
        key_start: int | None = None
        key_end: int | None = None
        p = skip(text, 0).end()
        if p >= n:
            self._fail_empty(p)
        while True:
            # A value starts at p.
            c = text[p] if p < n else ""
            if c == "{" or c == "[":
                if len(stack) >= MAX_DEPTH:
                    self._fail_too_deep(p)
                frame = _Frame(c == "{", path, key_start, key_end, p)
                stack.append(frame)
                p = skip(text, p + 1).end()
                c = text[p] if p < n else ""
                if c != frame.closer:
                    if frame.is_object:
                        if c != '"':
                            self._fail_first_key(p)
                        path, key_start, key_end, p = self._member_key(frame, p)
                    else:
                        if c == "," or not c:
                            self._fail_first_item(p)
                        path, key_start, key_end = path + (0,), None, None
                    continue
                stack.pop()
                value: Any = frame.container
                value_start = frame.start
                end = p + 1
            else:
                value_start = p
                if c == '"':
                    plain = _PLAIN_STRING.match(text, p)
                    if plain is not None:
                        value, end = plain.group(1), plain.end()
                    else:
                        value, end = self._escaped_string(p)
                elif c == "-" or "0" <= c <= "9":
                    value, end = self._number(p)
                else:
                    value, end = self._keyword(p)
            # The value at `path` ends at `end`: store it, then close every
            # container that ends here, until the next value starts.
            while True:
                locations[path] = Location(key_start, key_end, value_start, end)
                if not stack:
                    p = skip(text, end).end()
                    if p < n:
                        self._fail_after_top_value(p)
                    return value
                frame = stack[-1]
                container = frame.container
                if frame.is_object:
                    container[path[-1]] = value
                else:
                    container.append(value)
                p = skip(text, end).end()
                c = text[p] if p < n else ""
                if c == ",":
                    p = skip(text, p + 1).end()
                    c = text[p] if p < n else ""
                    if c != frame.closer or not self.trailing_commas:
                        if frame.is_object:
                            if c != '"':
                                self._fail_key_after_comma(p)
                            path, key_start, key_end, p = self._member_key(frame, p)
                            break
                        if c == "]":
                            self._fail_trailing_comma_in_array(p)
                        path, key_start, key_end = frame.path + (len(container),), None, None
                        break
                elif c != frame.closer:
                    self._fail_after_member(p, frame)
                stack.pop()
                value = container
                value_start = frame.start
                end = p + 1
                path, key_start, key_end = frame.path, frame.key_start, frame.key_end

    def _member_key(self, frame: _Frame, p: int) -> tuple[Path, int, int, int]:
        """Read `"key" :` at p; return the member's path, key span and value offset."""
        text = self.text
        plain = _PLAIN_MEMBER.match(text, p)
        if plain is not None:  # the usual case: one regex for key, colon and spaces
            key = plain.group(1)
            key_end = p + len(key) + 2
            value_start = plain.end()
            if text.startswith("/", value_start):
                value_start = self.trivia.match(text, value_start).end()
        else:
            key, key_end = self._string(p)
            q = self.trivia.match(text, key_end).end()
            if q >= len(text) or text[q] != ":":
                self._fail_colon(q)
            value_start = self.trivia.match(text, q + 1).end()
        path = frame.path + (key,)
        if key in frame.container:
            self._note_duplicate(frame, key, path, p, key_end)
        return path, p, key_end, value_start

    def _note_duplicate(self, frame: _Frame, key: str, path: Path, start: int, end: int) -> None:
        """SYN003 at the repeated key (positions inside the replaced value go at the end)."""
        # The first occurrence's value is complete, so its location is stored.
        first = self._first_key_offsets.setdefault(path, self.locations[path].key_start or 0)
        replaced = frame.container[key]
        if isinstance(replaced, (dict, list)) and replaced:
            self._replaced_containers = True
        self.diagnostics.append(
            Diagnostic(
                "SYN003",
                f'duplicate key "{key}" in this object; the last value wins',
                start,
                end,
                fix="remove one of the two entries",
                details={"key": key, "first_offset": first},
            )
        )

    def _drop_replaced_locations(self, data: Any) -> None:
        """Forget positions inside values that a duplicate key replaced (one pass)."""
        for path in [path for path in self.locations if not _path_exists(data, path)]:
            del self.locations[path]

    def _string(self, p: int) -> tuple[str, int]:
        match = _PLAIN_STRING.match(self.text, p)
        if match is not None:
            return match.group(1), match.end()
        return self._escaped_string(p)

    def _number(self, p: int) -> tuple[int | float, int]:
        text = self.text
        match = _NUMBER.match(text, p)
        if match is None or text[match.end() : match.end() + 1] in _AFTER_NUMBER_SUSPECTS:
            error = self._number_error(p, match)
            if error is not None:
                raise error
        assert match is not None
        if match.lastindex is None:
            return _integer(match.group()), match.end()
        return float(match.group()), match.end()

    def _fail_too_deep(self, p: int) -> NoReturn:
        raise _Stop(
            Diagnostic(
                "SYN004",
                f"nesting deeper than {MAX_DEPTH} levels",
                p,
                p + 1,
                fix="flatten the configuration",
                details={"limit": MAX_DEPTH},
            )
        )

    # -- dialect hooks ---------------------------------------------------------------

    @abstractmethod
    def _escaped_string(self, p: int) -> tuple[str, int]:
        """A string at p that has escapes or control characters: value and end."""

    @abstractmethod
    def _number_error(self, p: int, match: re.Match[str] | None) -> _Stop | None:
        """The error, if any, of a number at p (`match` None: a lone "-")."""

    @abstractmethod
    def _keyword(self, p: int) -> tuple[Any, int]:
        """true/false/null at p, or the error for whatever else is there."""

    @abstractmethod
    def _fail_empty(self, p: int) -> NoReturn:
        """No value at all (empty, whitespace or comments only)."""

    @abstractmethod
    def _fail_first_key(self, p: int) -> NoReturn:
        """After "{": neither a key nor "}"."""

    @abstractmethod
    def _fail_first_item(self, p: int) -> NoReturn:
        """After "[": a comma or the end of the file."""

    @abstractmethod
    def _fail_key_after_comma(self, p: int) -> NoReturn:
        """After a comma in an object: no key (and no allowed trailing "}")."""

    @abstractmethod
    def _fail_trailing_comma_in_array(self, p: int) -> NoReturn:
        """"]" after a comma, trailing commas not allowed."""

    @abstractmethod
    def _fail_colon(self, p: int) -> NoReturn:
        """No ":" after a key."""

    @abstractmethod
    def _fail_after_member(self, p: int, frame: _Frame) -> NoReturn:
        """After a member or item: neither a comma nor the closing bracket."""

    @abstractmethod
    def _fail_after_top_value(self, p: int) -> NoReturn:
        """Something after the top-level value."""


def _path_exists(data: Any, path: Path) -> bool:
    node = data
    for elem in path:
        if isinstance(node, dict) and isinstance(elem, str) and elem in node:
            node = node[elem]
        elif isinstance(node, list) and isinstance(elem, int) and elem < len(node):
            node = node[elem]
        else:
            return False
    return True


def _integer(token: str) -> int | float:
    """Exact, like `json`, while a JavaScript number can hold it; beyond a double's range
    (`2**1024`, or past Python's int-from-str digit limit) +-infinity, as JSON.parse in the
    harnesses (Kilo, Claude Code) reads it: `"autoCompactWindow": 2**1024` is no integer there."""
    try:
        value = int(token)
    except ValueError:
        return float(token)
    try:
        float(value)
    except OverflowError:
        return float("-inf") if value < 0 else float("inf")
    return value


def _join_surrogates(value: str) -> str:
    """Combine `\\uD83D\\uDE00`-style escape pairs; lone surrogates stay, as in `json`."""
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


# -- JSONC (jsonc-parser) -------------------------------------------------------------

# jsonc-parser's error kinds (ParseErrorCode names), in plain words, with a fix.
_JSONC_ERRORS: dict[str, tuple[str, str | None]] = {
    "InvalidSymbol": ("invalid symbol", None),
    "PropertyNameExpected": ("property name expected", _FIX_QUOTE_KEY),
    "ValueExpected": ("value expected", None),
    "ColonExpected": ("colon expected", 'put ":" between the key and its value'),
    "CommaExpected": ("comma expected", "add a comma after the previous entry"),
    "CloseBraceExpected": ("closing brace expected", 'add the missing "}"'),
    "CloseBracketExpected": ("closing bracket expected", 'add the missing "]"'),
    "EndOfFileExpected": ("end of file expected", "remove what follows the top-level value"),
    "UnexpectedEndOfComment": ("unexpected end of comment", 'close the comment with "*/"'),
    "UnexpectedEndOfString": (
        "unexpected end of string",
        'close the string on the same line; write a line break as "\\n"',
    ),
    "UnexpectedEndOfNumber": ("unexpected end of number", "write digits after the point or e"),
    "InvalidUnicode": ("invalid unicode escape", _FIX_UNICODE),
    "InvalidEscapeCharacter": ("invalid escape character", _FIX_ESCAPE),
    "InvalidCharacter": ("invalid character (a control character inside a string)", _FIX_CONTROL),
}


def _jsonc_stop(kind: str, start: int, end: int | None = None, detail: str = "") -> _Stop:
    message, fix = _JSONC_ERRORS[kind]
    return _Stop(
        Diagnostic(
            "SYN001",
            message + detail,
            start,
            end if end is not None and end > start else None,
            fix=fix,
            details={"error": kind},
        )
    )


class _JsoncParser(_Parser):
    """jsonc-parser's `parse`: comments always allowed, trailing commas optional."""

    trivia = _JSONC_TRIVIA

    def _escaped_string(self, p: int) -> tuple[str, int]:
        value, end, error = self._scan_string(p)
        if error is not None:
            raise _jsonc_stop(error, p, end)
        return value, end

    def _scan_string(self, p: int) -> tuple[str, int, str | None]:
        """jsonc-parser's scanString: it goes on past bad escapes; the last error wins."""
        text = self.text
        n = len(text)
        parts: list[str] = []
        has_surrogate = False
        error = None
        pos = p + 1
        while True:
            chunk_end = _STRING_CHUNK.match(text, pos).end()
            parts.append(text[pos:chunk_end])
            pos = chunk_end
            if pos >= n:
                error = "UnexpectedEndOfString"
                break
            c = text[pos]
            if c == '"':
                pos += 1
                break
            if c == "\\":
                pos += 1
                if pos >= n:
                    error = "UnexpectedEndOfString"
                    break
                escaped = text[pos]
                pos += 1
                if escaped in _ESCAPES:
                    parts.append(_ESCAPES[escaped])
                elif escaped == "u":
                    digits = _HEX4.match(text, pos)
                    if digits is not None and len(digits.group()) == 4:
                        code = int(digits.group(), 16)
                        has_surrogate = has_surrogate or 0xD800 <= code <= 0xDFFF
                        parts.append(chr(code))
                    else:
                        error = "InvalidUnicode"
                    pos = digits.end() if digits is not None else pos
                else:
                    error = "InvalidEscapeCharacter"
                continue
            if c == "\n" or c == "\r":
                error = "UnexpectedEndOfString"
                break
            error = "InvalidCharacter"
            parts.append(c)
            pos += 1
        value = "".join(parts)
        return (_join_surrogates(value) if has_surrogate else value), pos, error

    def _number_error(self, p: int, match: re.Match[str] | None) -> _Stop | None:
        if match is None:
            return _jsonc_stop("InvalidSymbol", p, p + 1, " '-'")
        text = self.text
        q = match.end()
        fraction, exponent = match.group(1, 2)
        if exponent is not None:
            return None
        if text[q] == "." and fraction is None:
            return _jsonc_stop("UnexpectedEndOfNumber", p, q + 1)
        if text[q] in "eE":
            q += 1
            if q < len(text) and text[q] in "+-":
                q += 1
            return _jsonc_stop("UnexpectedEndOfNumber", p, q)
        return None  # another number or a symbol follows: the next token's problem

    def _keyword(self, p: int) -> tuple[Any, int]:
        word = _WORD.match(self.text, p)
        if word is not None and word.group() in _LITERALS:
            return _LITERALS[word.group()], word.end()
        self._fail_at_token(p, "ValueExpected")

    def _token_error(self, p: int) -> _Stop | None:
        """The error jsonc-parser's scanner reports for the token at p, if any."""
        text = self.text
        n = len(text)
        if p >= n:
            return None
        c = text[p]
        if c == '"':
            _, end, error = self._scan_string(p)
            return _jsonc_stop(error, p, end) if error else None
        if c == "-" or "0" <= c <= "9":
            try:
                self._number(p)
            except _Stop as stop:
                return stop
            return None
        if c == "/":
            if text.startswith("/*", p):
                return _jsonc_stop("UnexpectedEndOfComment", p, n)
            return _jsonc_stop("InvalidSymbol", p, p + 1, " '/'")
        word = _WORD.match(text, p)
        if word is None or word.group() in _LITERALS:
            return None
        symbol = word.group()
        # Never echo a whole word: it may be a secret (an unquoted API key).
        detail = f" '{symbol}'" if len(symbol) == 1 else ""
        return _jsonc_stop("InvalidSymbol", p, word.end(), detail)

    def _fail_at_token(self, p: int, kind: str) -> NoReturn:
        """`kind` at the token at p, unless the token itself is in error (reported first)."""
        error = self._token_error(p)
        if error is not None:
            raise error
        raise _jsonc_stop(kind, p, p + 1 if p < len(self.text) else None)

    def _fail_empty(self, p: int) -> NoReturn:
        what = "is empty" if not self.text.strip() else "contains only comments"
        raise _jsonc_stop("ValueExpected", p, None, f": the file {what}")

    def _fail_first_key(self, p: int) -> NoReturn:
        if p >= len(self.text):
            raise _jsonc_stop("CloseBraceExpected", p)
        self._fail_at_token(p, "ValueExpected" if self.text[p] == "," else "PropertyNameExpected")

    def _fail_first_item(self, p: int) -> NoReturn:
        if p >= len(self.text):
            raise _jsonc_stop("CloseBracketExpected", p)
        raise _jsonc_stop("ValueExpected", p, p + 1)

    def _fail_key_after_comma(self, p: int) -> NoReturn:
        self._fail_at_token(p, "PropertyNameExpected")

    def _fail_trailing_comma_in_array(self, p: int) -> NoReturn:
        raise _jsonc_stop("ValueExpected", p, p + 1, " (trailing comma)")

    def _fail_colon(self, p: int) -> NoReturn:
        self._fail_at_token(p, "ColonExpected")

    def _fail_after_member(self, p: int, frame: _Frame) -> NoReturn:
        if p >= len(self.text):
            kind = "CloseBraceExpected" if frame.is_object else "CloseBracketExpected"
            raise _jsonc_stop(kind, p)
        self._fail_at_token(p, "CommaExpected")

    def _fail_after_top_value(self, p: int) -> NoReturn:
        self._fail_at_token(p, "EndOfFileExpected")


# -- strict JSON (JSON.parse) -------------------------------------------------------

# Error kinds (named after V8's messages), in plain words, with a fix.
_JSON_ERRORS: dict[str, tuple[str, str | None]] = {
    "UnexpectedEndOfInput": ("unexpected end of file", None),
    "ValueExpected": ("value expected", None),
    "PropertyNameExpected": ("property name expected", _FIX_QUOTE_KEY),
    "ColonExpected": ("colon expected", 'put ":" between the key and its value'),
    "CommaOrCloseBraceExpected": ('comma or "}" expected', "add a comma after the previous entry"),
    "CommaOrCloseBracketExpected": ('comma or "]" expected', "add a comma after the last item"),
    "EndOfFileExpected": ("end of file expected", "remove what follows the top-level value"),
    "CommentNotAllowed": ("comments are not allowed in JSON", "remove the comment"),
    "TrailingComma": (
        'trailing comma: JSON allows no comma before "}" or "]"',
        "remove the trailing comma",
    ),
    "UnterminatedString": ("unterminated string", "close the string with a double quote"),
    "BadControlCharacter": ("control character inside a string", _FIX_CONTROL),
    "BadEscapedCharacter": ("invalid escape character", _FIX_ESCAPE),
    "BadUnicodeEscape": ("invalid unicode escape", _FIX_UNICODE),
    "NoNumberAfterMinus": ("no number after minus sign", None),
    "UnterminatedFraction": ("digit expected after the decimal point", None),
    "ExponentMissingNumber": ("digit expected in the exponent", None),
    "LeadingZero": ("numbers cannot have leading zeros", "remove the leading zero"),
}


def _json_stop(kind: str, start: int, detail: str = "") -> _Stop:
    message, fix = _JSON_ERRORS[kind]
    return _Stop(Diagnostic("SYN001", message + detail, start, None, fix, {"error": kind}))


class _StrictParser(_Parser):
    """JavaScript's `JSON.parse`, reporting where V8 stops."""

    trivia = _JSON_WHITESPACE

    def _escaped_string(self, p: int) -> tuple[str, int]:
        text = self.text
        n = len(text)
        parts: list[str] = []
        has_surrogate = False
        pos = p + 1
        while True:
            chunk_end = _STRING_CHUNK.match(text, pos).end()
            parts.append(text[pos:chunk_end])
            pos = chunk_end
            if pos >= n:
                raise _json_stop("UnterminatedString", n)
            c = text[pos]
            if c == '"':
                value = "".join(parts)
                return (_join_surrogates(value) if has_surrogate else value), pos + 1
            if c != "\\":
                raise _json_stop("BadControlCharacter", pos, f" (U+{ord(c):04X})")
            if pos + 1 >= n:
                raise _json_stop("UnterminatedString", n)
            escaped = text[pos + 1]
            if escaped in _ESCAPES:
                parts.append(_ESCAPES[escaped])
                pos += 2
                continue
            if escaped != "u":
                raise _json_stop("BadEscapedCharacter", pos + 1)
            digits = _HEX4.match(text, pos + 2)
            if digits is None or len(digits.group()) < 4:
                raise _json_stop("BadUnicodeEscape", digits.end() if digits else pos + 2)
            code = int(digits.group(), 16)
            has_surrogate = has_surrogate or 0xD800 <= code <= 0xDFFF
            parts.append(chr(code))
            pos += 6

    def _number_error(self, p: int, match: re.Match[str] | None) -> _Stop | None:
        if match is None:
            return _json_stop("NoNumberAfterMinus", p + 1)
        text = self.text
        q = match.end()
        fraction, exponent = match.group(1, 2)
        if exponent is not None:
            return None
        if text[q] == "." and fraction is None:
            return _json_stop("UnterminatedFraction", q + 1)
        if text[q] in "eE":
            q += 1
            if q < len(text) and text[q] in "+-":
                q += 1
            return _json_stop("ExponentMissingNumber", q)
        if "0" <= text[q] <= "9":
            return _json_stop("LeadingZero", q)
        return None

    def _keyword(self, p: int) -> tuple[Any, int]:
        text = self.text
        for word, value in _LITERALS.items():
            if not text.startswith(word[0], p):
                continue
            if text.startswith(word, p):
                return value, p + len(word)
            stop = p + 1  # where the text stops matching the literal
            while text.startswith(word[stop - p], stop):
                stop += 1
            self._fail_unexpected(stop, "ValueExpected")
        self._fail_unexpected(p, "ValueExpected")

    def _fail_unexpected(self, p: int, kind: str) -> NoReturn:
        """`kind` at p; the end of the file and comments get their own wording."""
        text = self.text
        if p >= len(text):
            raise _json_stop("UnexpectedEndOfInput", len(text))
        if text.startswith("//", p) or text.startswith("/*", p):
            raise _json_stop("CommentNotAllowed", p)
        raise _json_stop(kind, p)

    def _fail_empty(self, p: int) -> NoReturn:
        raise _json_stop("ValueExpected", p, ": the file is empty")

    def _fail_first_key(self, p: int) -> NoReturn:
        self._fail_unexpected(p, "PropertyNameExpected")

    def _fail_first_item(self, p: int) -> NoReturn:
        self._fail_unexpected(p, "ValueExpected")

    def _fail_key_after_comma(self, p: int) -> NoReturn:
        if self.text.startswith("}", p):
            raise _json_stop("TrailingComma", p)
        self._fail_unexpected(p, "PropertyNameExpected")

    def _fail_trailing_comma_in_array(self, p: int) -> NoReturn:
        raise _json_stop("TrailingComma", p)

    def _fail_colon(self, p: int) -> NoReturn:
        self._fail_unexpected(p, "ColonExpected")

    def _fail_after_member(self, p: int, frame: _Frame) -> NoReturn:
        if frame.is_object:
            self._fail_unexpected(p, "CommaOrCloseBraceExpected")
        self._fail_unexpected(p, "CommaOrCloseBracketExpected")

    def _fail_after_top_value(self, p: int) -> NoReturn:
        self._fail_unexpected(p, "EndOfFileExpected")


# -- JSON5 diagnosis (Kilo, SYN002) -------------------------------------------------

# `json5` needs about 10 s per MB; above this size a JSON5 construct is only named in SYN001.
JSON5_CHECK_LIMIT = 256 * 1024

_STRING_SCAN_ERRORS = frozenset(
    {"UnexpectedEndOfString", "InvalidEscapeCharacter", "InvalidCharacter", "InvalidUnicode"}
)
# The patterns of this error path are compiled by their first use (`re.compile` caches them).
# Whitespace to JSON5 but not to JSONC: \v, \f, BOM, line/paragraph separators, Unicode Zs.
_JSON5_ONLY_SPACE = "[\v\f\ufeff\u2028\u2029\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_JSON5_TRIVIA = r"(?:[\s\ufeff]+|//[^\r\n\u2028\u2029]*|/\*.*?\*/)*"
_SINGLE_QUOTED = r"'(?:[^'\\\r\n]|\\.)*'?"
_SIMPLE_IDENTIFIER = r"[A-Za-z_$][A-Za-z0-9_$]*"

# JSON5-only constructs: what to call them and how to fix them ("{}": a detail).
_JSON5_CONSTRUCTS: dict[str, tuple[str, str]] = {
    "single_quotes": ("a single-quoted string", "use double quotes"),
    "unquoted_key": ("an unquoted property name", "put the key in double quotes{}"),
    "hexadecimal": ("a hexadecimal number", "write the number in decimal"),
    "non_finite": ("{} (not a JSON number)", "use a finite number or null"),
    "plus_sign": ("a number with a leading '+'", "remove the '+'"),
    "leading_point": ("a number starting with a decimal point", "write 0 before the point (0.5)"),
    "trailing_point": (
        "a number ending in a decimal point",
        "write a digit after the point (5.0) or drop it",
    ),
    "line_continuation": (
        "a string continued on the next line with a backslash",
        'join the lines, or write a line break as "\\n"',
    ),
    "escape": ("the escape sequence \\{}", _FIX_ESCAPE),
    "control_character": ("an unescaped control character {} in a string", _FIX_CONTROL),
    "whitespace": ("the whitespace character {}", "replace it with a space"),
}

_Construct = tuple[int, int, str, str]  # start, end, _JSON5_CONSTRUCTS key, detail


def _followed_by_colon(text: str, pos: int) -> bool:
    pos = re.compile(_JSON5_TRIVIA, re.S).match(text, pos).end()
    return text.startswith(":", pos)


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def _json5_construct(text: str, offset: int, kind: str) -> _Construct | None:
    """The JSON5-only construct where jsonc-parser's first error (`kind` at `offset`) is.

    JSON5 and JSONC share their structure and every JSONC token, so in a file
    that is valid JSON5, jsonc-parser's first error is at the first JSON5-only
    construct: at its start, except that a hex number's error is after its "0".
    """
    if offset >= len(text):
        return None
    if kind in _STRING_SCAN_ERRORS:
        return _json5_string_construct(text, offset)
    word_match = _WORD.match(text, offset)
    word = word_match.group() if word_match is not None else ""
    # JSON5 whitespace ends a JSON5 token but not a jsonc-parser word ("true\u00a0").
    space = re.search(_JSON5_ONLY_SPACE, word)
    if space is not None:
        word = word[: space.start()]
    word_end = offset + len(word)
    if kind == "UnexpectedEndOfNumber":
        number = _NUMBER.match(text, offset)
        point = number.end() if number is not None else offset
        if text.startswith(".", point):
            return offset, point + 1, "trailing_point", ""
        return None
    if kind == "PropertyNameExpected":  # true/false/null used as a key
        if word in _LITERALS and _followed_by_colon(text, word_end):
            return offset, word_end, "unquoted_key", f': "{word}"'
        return None
    if kind != "InvalidSymbol":
        return None
    c = text[offset]
    if c == "'":
        return offset, re.compile(_SINGLE_QUOTED, re.S).match(text, offset).end(), "single_quotes", ""
    if c in "xX" and text[offset - 1 : offset] == "0":
        start = offset - 1
        before = text[start - 1 : start]
        if before.isdigit() or before == ".":
            return None
        if before in ("+", "-"):
            start -= 1
        return start, word_end, "hexadecimal", ""
    if c == "+":
        return offset, word_end, "plus_sign", ""
    if c == "." and text[offset + 1 : offset + 2].isdigit():
        return offset, word_end, "leading_point", ""
    if c == "-":
        following = _WORD.match(text, offset + 1)
        if following is not None and following.group() in ("Infinity", "NaN"):
            return offset, following.end(), "non_finite", "-" + following.group()
        return None
    if space is not None and space.start() == 0:
        return offset, offset + 1, "whitespace", _code_point(c)
    if (c.isalpha() or c in "$_\\") and _followed_by_colon(text, word_end):
        example = f': "{word}"' if re.fullmatch(_SIMPLE_IDENTIFIER, word) else ""
        return offset, word_end, "unquoted_key", example
    if word in ("NaN", "Infinity"):
        return offset, word_end, "non_finite", word
    if word in _LITERALS and space is not None:
        return word_end, word_end + 1, "whitespace", _code_point(text[word_end])
    return None


def _json5_string_construct(text: str, start: int) -> _Construct | None:
    """The first thing in the double-quoted string at `start` that only JSON5 allows."""
    pos = start + 1
    while pos < len(text):
        c = text[pos]
        if c in '"\n\r':
            return None
        if c == "\\":
            escaped = text[pos + 1 : pos + 2]
            if escaped in ("\n", "\r", "\u2028", "\u2029"):
                return pos, pos + 2, "line_continuation", ""
            if escaped and escaped not in _ESCAPES and escaped != "u":
                return pos, pos + 2, "escape", escaped
            pos += 2
            continue
        if c < " ":
            return pos, pos + 1, "control_character", _code_point(c)
        pos += 1
    return None


def _is_json5(text: str) -> bool:
    """Whether the `json5` package accepts the text (it raises many kinds of errors)."""
    import json5  # slow to import and to run: only on this error path

    try:
        json5.loads(text)
    except Exception:  # ValueError, RecursionError, MemoryError, ...: all mean "no"
        return False
    return True


def _json5_diagnostic(reader: str, effect: str, text: str, error: Diagnostic) -> Diagnostic | None:
    """What replaces the JSONC error `error` when the file uses JSON5 syntax there (`effect`:
    what the harness `reader` then does, e.g. "skips this file").

    SYN002 when `json5` confirms the whole file is JSON5; for a file too large
    to confirm quickly, SYN001 naming the construct.
    """
    construct = _json5_construct(text, error.start, error.details.get("error", ""))
    if construct is None:
        # A // comment ends at U+2028/U+2029 in JSON5 but not in JSONC: the one
        # way a JSON5 file fails JSONC away from a JSON5-only token.
        if (
            ("\u2028" in text or "\u2029" in text)
            and len(text) <= JSON5_CHECK_LIMIT
            and _is_json5(text)
        ):
            return Diagnostic(
                "SYN002",
                "JSON5-only syntax: a line separator (U+2028/U+2029) ending a // comment; "
                f"{reader} reads JSONC, not JSON5, and {effect}",
                error.start,
                error.end,
                fix="use a normal line break",
                details={"construct": "line separator ending a comment"},
            )
        return None
    start, end, name, detail = construct
    what, fix = (template.format(detail) for template in _JSON5_CONSTRUCTS[name])
    if len(text) > JSON5_CHECK_LIMIT:
        return Diagnostic(
            "SYN001",
            f"{error.message}: JSON5-only syntax ({what}); {reader} reads JSONC, not JSON5",
            start,
            end,
            fix,
            {**error.details, "construct": what},
        )
    if not _is_json5(text):
        return None
    return Diagnostic(
        "SYN002",
        f"JSON5-only syntax: {what}; {reader} reads JSONC, not JSON5, and {effect}",
        start,
        end,
        fix,
        {"construct": what, "jsonc_error": error.details.get("error")},
    )


# -- entry points -------------------------------------------------------------------


def parse_json(
    source: SourceText,
    *,
    allow_comments: bool,
    allow_trailing_commas: bool,
    diagnose_json5: str | None = None,
    json5_effect: str = "skips this file",
) -> ParseResult:
    """Parse JSON (`allow_comments=False`: JSON.parse) or JSONC (jsonc-parser).

    SYN003 details carry `key`, `first_offset` and `first_line` (of the first
    occurrence). With `diagnose_json5` (JSONC only; the harness named in the message), a file
    that fails JSONC but is valid JSON5 gets SYN002 instead of SYN001; `json5_effect` says
    what that harness does with such a file.
    """
    result = parse_text(
        source.text,
        allow_comments=allow_comments,
        allow_trailing_commas=allow_trailing_commas,
        diagnose_json5=diagnose_json5,
        json5_effect=json5_effect,
    )
    add_first_lines(result, source)
    return result


def parse_text(
    text: str,
    *,
    allow_comments: bool,
    allow_trailing_commas: bool,
    diagnose_json5: str | None = None,
    json5_effect: str = "skips this file",
) -> ParseResult:
    """`parse_json` on a bare string, without `first_line` in SYN003 details.

    For callers that map offsets first (Kilo substitution) and then call
    `add_first_lines` with the original source.
    """
    parser = (_JsoncParser if allow_comments else _StrictParser)(text, allow_trailing_commas)
    result = parser.parse()
    if diagnose_json5 and allow_comments and result.diagnostics:
        error = result.diagnostics[0]
        if error.code == "SYN001":
            replacement = _json5_diagnostic(diagnose_json5, json5_effect, text, error)
            if replacement is not None:
                result.diagnostics[0] = replacement
    return result


def add_first_lines(result: ParseResult, source: SourceText) -> None:
    """Add `first_line` to SYN003 details and messages (the line index is built only then)."""
    for diagnostic in result.diagnostics:
        if diagnostic.code == "SYN003":
            first_line, _ = source.position(diagnostic.details["first_offset"])
            diagnostic.details["first_line"] = first_line
            key = diagnostic.details["key"]
            diagnostic.message = (
                f'duplicate key "{key}" (first defined on line {first_line}); the last value wins'
            )
