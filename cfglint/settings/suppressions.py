"""Inline suppressions: `cfglint: ignore[CODES]` and `cfglint: ignore-file[CODES]` in comments.

A directive counts only inside a real comment of the file's syntax: `#` in
TOML and YAML, `//` and `/* */` in JSONC. A `#` or `//` inside a string is
text, not a comment, so each syntax has a scanner that skips strings. Strict
JSON (Claude Code settings) has no comments: `per-file-ignores` is the way there.

- `ignore[CODES]` on a finding's line (a trailing comment) suppresses those codes
  on that line; a comment alone on its line also covers the next line.
- `ignore-file[CODES]` anywhere suppresses those codes in the whole file.

CODES are rule codes or prefixes, comma-separated (`CMP001, SCH`). Codes are
required, as in ruff: a bare `cfglint: ignore` suppresses nothing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Iterator

from cfglint.core.document import Document

_DIRECTIVE = re.compile(r"cfglint:[ \t]*ignore(-file)?\[([^\]\r\n]*)\]")
_CODE = re.compile(r"[A-Z]+[0-9]*")

# Tokens that may hide a comment marker (strings) and comments themselves. String bodies
# do not require their closing delimiter, so a broken file is still scanned to its end.
_TOML_TOKENS = re.compile(r'''
      "{3}(?:[^"\\]+|\\.|"{1,2}(?!"))*"{0,5}     # multi-line basic string
    | '{3}(?:[^']+|'{1,2}(?!'))*'{0,5}          # multi-line literal string
    | "(?:[^"\\\r\n]+|\\.)*"?                   # basic string
    | '[^'\r\n]*'?                              # literal string
    | (?P<comment>\#[^\r\n]*)
''', re.X | re.S)
_JSONC_TOKENS = re.compile(r'''
      "(?:[^"\\\r\n]+|\\.)*"?                   # string (jsonc-parser ends one at a line break)
    | (?P<comment>//[^\r\n]*|/\*.*?(?:\*/|\Z))
''', re.X | re.S)
# A YAML comment starts with `#` at the start of a line or after whitespace.
_YAML_HASH = re.compile(r"(?<![^ \t\r\n])#")
_LINE_END = re.compile(r"[\r\n]|\Z")


@dataclass(frozen=True)
class Suppressions:
    """The codes suppressed on each line of one file, and in the whole file."""

    lines: dict[int, tuple[str, ...]] = field(default_factory=dict)
    whole_file: tuple[str, ...] = ()

    def suppresses(self, code: str, line: int) -> bool:
        return any(code.startswith(selector) for selector in self.whole_file + self.lines.get(line, ()))


NONE = Suppressions()


def suppressions_for(doc: Document) -> Suppressions:
    """The suppressions written in `doc`'s comments."""
    text = doc.source.text
    if "cfglint:" not in text:  # the common case: no scan at all
        return NONE
    syntax = _syntax(doc.dialect)
    if syntax not in ("toml", "jsonc", "yaml"):
        return NONE
    comments = _yaml_comments(text) if syntax == "yaml" else \
        _token_comments(_TOML_TOKENS if syntax == "toml" else _JSONC_TOKENS, text)
    lines: dict[int, tuple[str, ...]] = {}
    whole_file: tuple[str, ...] = ()
    for start, end in comments:
        for match in _DIRECTIVE.finditer(text, start, end):
            codes = tuple(c for c in (part.strip().upper() for part in match.group(2).split(","))
                          if _CODE.fullmatch(c))
            if not codes:
                continue
            if match.group(1):
                whole_file += codes
                continue
            first, column = doc.source.position(start)
            last, end_column = doc.source.position(end)
            covered = list(range(first, last + 1))
            alone = not doc.source.line_text(first)[:column - 1].strip() \
                and not doc.source.line_text(last)[end_column - 1:].strip()
            if alone:
                covered.append(last + 1)
            for line in covered:
                lines[line] = lines.get(line, ()) + codes
    return Suppressions(lines, whole_file)


def _syntax(dialect: str) -> str | None:
    from cfglint.harnesses import DIALECTS, harness_for

    return harness_for(dialect).syntax if dialect in DIALECTS else None


def _token_comments(tokens: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) offsets of each comment: strings are matched whole, so a marker
    inside one is never taken for a comment."""
    for match in tokens.finditer(text):
        if match.lastgroup == "comment":
            yield match.span()


def _yaml_comments(text: str) -> Iterator[tuple[int, int]]:
    """Comments are what PyYAML's scanner skips: a `#` after whitespace that no scalar token
    (quoted, plain or block) covers. Past a syntax error nothing counts as a comment."""
    import yaml

    starts: list[int] = []
    ends: list[int] = []
    limit = len(text)
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken):
                starts.append(token.start_mark.index)
                ends.append(token.end_mark.index)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        limit = mark.index if mark is not None else 0
    pos = 0
    while (match := _YAML_HASH.search(text, pos, limit)) is not None:
        start = match.start()
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and start < ends[i]:  # inside a scalar
            pos = start + 1
            continue
        pos = _LINE_END.search(text, start).start()
        yield start, pos
