"""Source lines with every credential masked, for `--show-source` snippets.

The masks come from the structure of the whole file, not from the one line: a lenient
lexer per syntax (JSON/JSONC/JSON5, TOML, YAML) reads every token of the document once,
follows keys into the values they hold (on the same line or the next, in nested
containers), and marks each value under a credential key (`is_secret_key` on any key of
its path). It never fails, so files that do not parse are masked too; where it cannot
tell what a line holds in such a file (an unterminated string, a stray character), the
rest of that line is masked. URL passwords (`https://user:PASSWORD@host`) are masked
wherever they appear.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cfglint.core.document import Document
from cfglint.core.secrets import is_secret_key, mask_userinfo, same_width_mask

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterator


# A mask on one line: 0-based columns [start, end) (end None: to the end of the line), and
# whether it covers a whole token (which keeps its quotes and first 4 characters) or a piece
# of one (every character masked). Masks keep the width of what they cover: the caret of
# every finding on the line stays under its column.
Mask = tuple[int, int | None, bool]
_REFERENCE_PREFIXES = ("${", "{env:", "{file:")


def masked_line(doc: Document, line: int) -> str:
    """The text of 1-based `line` of `doc` (no line ending), credentials masked."""
    text = doc.source.line_text(line)
    pieces, cursor = [], 0
    for start, end, whole in sorted(_masks(doc).get(line, ()), key=lambda mask: mask[0]):
        if start < cursor or start > len(text):
            continue
        end = len(text) if end is None else min(end, len(text))
        covered = text[start:end]
        pieces += [text[cursor:start], same_width_mask(covered) if whole else "*" * len(covered)]
        cursor = end
    pieces.append(text[cursor:])
    return mask_userinfo("".join(pieces), same_width=True)


@lru_cache(maxsize=8)
def _masks(doc: Document) -> dict[int, list[Mask]]:
    """Every mask of the document by line: one lexer pass per file, however many snippets."""
    masks: dict[int, list[Mask]] = {}
    syntax = _syntax(doc)
    if syntax == "yaml":
        for line, mask in _YamlMasker(doc).masks(conservative=not doc.parse.ok):
            masks.setdefault(line, []).append(mask)
        return masks
    lexer = _TomlMasker(doc.source.text) if syntax == "toml" else _JsonMasker(doc.source.text)
    for start, end, whole in lexer.spans(conservative=not doc.parse.ok):
        for line, mask in _by_line(doc, start, end, whole):
            masks.setdefault(line, []).append(mask)
    return masks


def _syntax(doc: Document) -> str:
    from cfglint.harnesses import DIALECTS, harness_for

    if doc.dialect in DIALECTS:
        return harness_for(doc.dialect).syntax
    lowered = doc.path.lower()
    if lowered.endswith(".toml"):
        return "toml"
    return "yaml" if lowered.endswith((".yaml", ".yml")) else "json"


def _by_line(doc: Document, start: int, end: int | None, whole: bool) -> Iterator[tuple[int, Mask]]:
    """A mask given by document offsets, cut at line ends (a token cut in pieces shows none of
    its characters)."""
    first_line, first_col = doc.source.position(start)
    if end is None:
        yield first_line, (first_col - 1, None, False)
        return
    last_line, last_col = doc.source.position(end)
    if first_line == last_line:
        yield first_line, (first_col - 1, last_col - 1, whole)
        return
    yield first_line, (first_col - 1, None, False)
    for line in range(first_line + 1, last_line):
        yield line, (0, None, False)
    yield last_line, (0, last_col - 1, False)


_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|U[0-9a-fA-F]{8}|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "0": "\0"}


def _unescape(text: str) -> str:
    """A quoted key or value as the parser would read it (`"api\\u004bey"` is `apiKey`)."""
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) > 1 and code[0] in "uxU":
            try:
                return chr(int(code.strip("u{}xU") or "0", 16))
            except (ValueError, OverflowError):
                return code
        return _SIMPLE_ESCAPES.get(code, code)

    return _ESCAPE.sub(one, text) if "\\" in text else text


def _scalar_text(token: str) -> str:
    """A string token's content (quotes removed, escapes decoded), or a bare word as is."""
    if token[:3] in ('"""', "'''"):
        inner = token[3:-3] if len(token) >= 6 and token.endswith(token[:3]) else token[3:]
        return inner if token[0] == "'" else _unescape(inner)
    if token[:1] in "\"'":
        inner = token[1:-1] if len(token) >= 2 and token.endswith(token[0]) else token[1:]
        return _unescape(inner)
    return _unescape(token)


def _secret_value(token: str) -> bool:
    """A value under a credential key that says where the credential lives is not masked."""
    return not _scalar_text(token).startswith(_REFERENCE_PREFIXES)


# --- JSON, JSONC, JSON5 ----------------------------------------------------------------

_JSON_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\r\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>"(?:[^"\\\r\n]|\\.)*"?|'(?:[^'\\\r\n]|\\.)*'?)
  | (?P<punct>[{}\[\]:,])
  | (?P<word>[^\s{}\[\]:,"'/]+|/)
""", re.S | re.X)


class _JsonMasker:
    """Values under credential keys in JSON-like text, whatever its errors: keys are the
    scalars followed by `:` (or, in a broken file, directly by their value); a value may sit
    on a later line; containers nest (a `{` without its `}` simply stays open); duplicate
    keys each mask their own value."""

    def __init__(self, text: str) -> None:
        self.text = text

    def spans(self, conservative: bool) -> Iterator[tuple[int, int | None, bool]]:
        secret_containers: list[bool] = []    # for each open `{`/`[`: everything in it is secret
        pending: re.Match[str] | None = None  # a scalar that may turn out to be a key
        value_secret: bool | None = None      # set by `key:` until its value comes

        def inherited() -> bool:
            return bool(secret_containers) and secret_containers[-1]

        def flush() -> Iterator[tuple[int, int, str]]:
            """`pending` was not a key: a value of the container it is in."""
            if pending is not None and inherited():
                yield pending.start(), pending.end(), True

        for token in _JSON_TOKEN.finditer(self.text):
            kind, text = token.lastgroup, token.group()
            if kind == "space" or (kind == "comment" and (text.startswith("//") or text.endswith("*/"))):
                continue
            if kind == "comment" or (kind == "string" and not _closed(text)):
                if conservative:  # unterminated: what follows on the line cannot be told
                    yield token.start(), None, False
                if kind == "comment":
                    continue
            if text == ":":
                if pending is not None:
                    value_secret = inherited() or is_secret_key(_scalar_text(pending.group()))
                pending = None
            elif kind == "punct":
                yield from flush()
                if text in "{[":
                    secret_containers.append(inherited() if value_secret is None else value_secret)
                elif secret_containers and text in "}]":
                    secret_containers.pop()
                pending, value_secret = None, None
            elif value_secret is not None or (pending is not None and is_secret_key(_scalar_text(pending.group()))):
                if (value_secret is not False or inherited()) and _secret_value(text):  # `"apiKey" "sk-..."` too
                    yield token.start(), token.end(), True
                pending, value_secret = None, None
            else:
                yield from flush()
                pending = token
        yield from flush()


# --- TOML ----------------------------------------------------------------------------

_TOML_TOKEN = re.compile(r"""
    (?P<newline>\r\n|\r|\n)
  | (?P<space>[ \t]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"\"{0,2}|\Z)|'''.*?(?:'''|\Z)
        |"(?:[^"\\\r\n]|\\.)*"?|'[^'\r\n]*'?)
  | (?P<punct>[\[\]{}=,])
  | (?P<word>[^\s\[\]{}=,"'\#]+)
""", re.S | re.X)


class _TomlFrame:
    """An open `[` (array) or `{` (inline table) of a TOML value."""

    __slots__ = ("table", "secret", "expect_key", "key_secret", "value_secret")

    def __init__(self, table: bool, secret: bool) -> None:
        self.table = table
        self.secret = secret
        self.expect_key = table
        self.key_secret = False
        self.value_secret = secret

    def scalar_secret(self) -> bool:
        return self.value_secret if self.table else self.secret


class _TomlMasker:
    """Values under credential keys in TOML text: a key path is the table header's keys
    plus the dotted key before `=`; inline tables and arrays nest; a top-level value ends at
    the line end. Lines are read as `start` -> `key` -> `value` -> `done` (or `header`)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def spans(self, conservative: bool) -> Iterator[tuple[int, int | None, bool]]:
        table_secret = False
        stack: list[_TomlFrame] = []
        mode, key_secret, value_secret, header = "start", False, False, []
        for token in _TOML_TOKEN.finditer(self.text):
            kind, text = token.lastgroup, token.group()
            if kind in ("space", "comment"):
                continue
            if kind == "string" and conservative and not _closed(text):
                yield token.start(), None, False  # unterminated: the rest of the line is unknown
            if kind == "newline":
                if not stack:
                    mode, key_secret, value_secret = "start", False, False
                continue
            scalar = kind in ("word", "string")
            if stack:
                frame = stack[-1]
                if text in ("[", "{"):
                    stack.append(_TomlFrame(text == "{", frame.scalar_secret()))
                elif text in ("]", "}"):
                    stack.pop()
                    if not stack:
                        mode = "done"
                elif text == "," and frame.table:
                    frame.expect_key, frame.key_secret = True, False
                elif text == "=" and frame.table:
                    frame.expect_key, frame.value_secret = False, frame.secret or frame.key_secret
                elif scalar and frame.table and frame.expect_key:
                    frame.key_secret = frame.key_secret or _secret_key_parts(token)
                elif scalar and frame.scalar_secret() and _secret_value(text):
                    yield token.start(), token.end(), True
                continue
            if mode == "start" and text == "[":
                mode, header = "header", []
            elif mode == "header":
                if scalar:
                    header.append(token)
                elif text == "]":
                    table_secret, mode = any(_secret_key_parts(part) for part in header), "done"
            elif mode in ("start", "key") and scalar:
                mode, key_secret = "key", key_secret or _secret_key_parts(token)
            elif mode == "key" and text == "=":
                mode, value_secret = "value", table_secret or key_secret
            elif mode == "value" and text in ("[", "{"):
                stack.append(_TomlFrame(text == "{", value_secret))
            elif mode in ("value", "done") and scalar:
                if value_secret and _secret_value(text):  # `done`: more words of a broken value
                    yield token.start(), token.end(), True
                mode = "done"


def _secret_key_parts(token: re.Match[str]) -> bool:
    """A TOML key token (`api_key`, `providers.openai.api_key`, `"api-key"`) names a credential."""
    text = token.group()
    if token.lastgroup == "string":
        return is_secret_key(_scalar_text(text))
    return any(is_secret_key(part) for part in text.split("."))


def _closed(token: str) -> bool:
    quote = token[:3] if token[:3] in ('"""', "'''") else token[:1]
    return len(token) >= 2 * len(quote) and token.endswith(quote)


# --- YAML ------------------------------------------------------------------------------

_DASHES = re.compile(r"(?:-(?:[ \t]+|$))*")
_KEY_COLON = re.compile(r":(?=[ \t]|$)")
_COMMENT = re.compile(r"[ \t]#")
_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""")
_QUOTED_START = re.compile(r""""(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?""")
_COLON_AFTER = re.compile(r"[ \t]*:(?=[ \t]|$)")
_PROPERTIES = re.compile(r"(?:[!&][^\s]*[ \t]+)*")  # tags (`!!binary`, `!!python/str`) and anchors


class _YamlMasker:
    """Values under credential keys in YAML text, line by line: a key's indentation says
    which later lines (nested keys, sequence items, block scalars, continuation lines of
    a multi-line scalar) belong to it. Tags and anchors stay visible, the value does not."""

    def __init__(self, doc: Document) -> None:
        self.source = doc.source

    def masks(self, conservative: bool) -> Iterator[tuple[int, Mask]]:
        stack: list[tuple[int, bool]] = []   # (indentation of a key, its value is secret)
        block: tuple[int, bool] | None = None  # an open block scalar: (its key's indentation, secret)
        for number in range(1, self.source.line_count + 1):
            line = self.source.line_text(number)
            content = line.lstrip(" ")
            indent = len(line) - len(content)
            if block is not None:
                if not content.strip() or indent > block[0]:
                    if block[1] and content.strip():
                        yield number, (indent, None, False)
                    continue
                block = None
            if not content or content.startswith("#") or line.startswith(("---", "...", "%")):
                continue
            if conservative and content.startswith("\t"):  # tab indentation: whose line is it?
                yield number, (indent, None, False)
                continue
            start = _DASHES.match(line, indent).end()
            key, value_start = _split_key(line, start)
            if key is not None:
                while stack and stack[-1][0] >= start:
                    stack.pop()
                secret = (bool(stack) and stack[-1][1]) or is_secret_key(key)
                stack.append((start, secret))
                owner = start
            else:
                dashed = start > indent
                while stack and (stack[-1][0] > indent if dashed else stack[-1][0] >= indent):
                    stack.pop()
                secret, value_start, owner = bool(stack) and stack[-1][1], start, indent
            masks, opens_block = _yaml_value(line, value_start, secret, conservative)
            for mask in masks:
                yield number, mask
            if opens_block:
                block = (owner, secret)


def _split_key(line: str, start: int) -> tuple[str | None, int]:
    """The key of `key: value` at `start` (quoted keys unescaped), and where its value starts."""
    if start >= len(line):
        return None, start
    if line[start] in "\"'":
        quoted = _QUOTED.match(line, start)
        colon = quoted and _COLON_AFTER.match(line, quoted.end())
        if not colon:
            return None, start
        return _scalar_text(quoted.group()).replace("''", "'") if line[start] == "'" else \
            _scalar_text(quoted.group()), colon.end()
    if line[start] in "#{[|>!&*%@`":
        return None, start
    colon = _KEY_COLON.search(line, start)
    if colon is None:
        return None, start
    comment = _COMMENT.search(line, start, colon.start())
    if comment is not None:
        return None, start
    return line[start:colon.start()].rstrip(), colon.end()


def _yaml_value(line: str, start: int, secret: bool, conservative: bool) -> tuple[list[Mask], bool]:
    """The masks of the value written at `start`, and whether it opens a block scalar. A flow
    collection (`{api_key: sk-...}`) is read with the JSON lexer; in a file that does not
    parse, an unterminated quoted value is masked whatever its key."""
    begin = _PROPERTIES.match(line, len(line) - len(line[start:].lstrip(" \t"))).end()
    if begin >= len(line) or line[begin] == "#":
        return [], False
    first = line[begin]
    if first in "|>":
        return [], True
    if first in "{[":
        if secret:
            return [(begin, None, False)], False
        return [(begin + s, None if e is None else begin + e, whole)
                for s, e, whole in _JsonMasker(line[begin:]).spans(conservative=False)], False
    if first in "\"'":
        quoted = _QUOTED_START.match(line, begin)
        token = quoted.group()
        if not _closed(token) and (secret or conservative):
            return [(begin, None, False)], False
        end = quoted.end()
    else:
        comment = _COMMENT.search(line, begin)
        end = len(line[:comment.start() if comment else len(line)].rstrip())
        token = line[begin:end]
    if not secret or not _secret_value(token):
        return [], False
    return [(begin, end, True)], False
