"""Kilo's `{env:VAR}` and `{file:path}` substitution, with a map back to the file.

Kilo substitutes both kinds of token in the raw text before parsing it as JSONC
(harness-kilo.md 2.4, `config/variable.ts`): `{env:VAR}` becomes the variable's
value, inserted raw (not JSON-escaped), so an unquoted `"context": {env:CTX}`
is valid Kilo input; a token on a line whose text before it starts with `//` is
left alone. cfglint does the same with the values it is given (`--env`) and
otherwise keeps what it cannot know visible:

- `{env:VAR}` with a known value: replaced by the value, as Kilo does.
- `{env:VAR}` without one, and every `{file:...}` (cfglint never reads those
  files): left as written inside a string or a comment; as a bare value,
  replaced by `null` and recorded as unresolved, so that schema rules treat the
  value's type as unknown. Characters glued to a bare token (`{env:A}{env:B}`,
  `0.{env:DIGITS}`) are part of the same unknown value.
- Blocked variables (`{env:KILO_SERVER_PASSWORD}` and the others Kilo's binary
  lists, any case: "blocked environment reference") are never replaced, even
  with a value.

Every position cfglint reports points into the original text: `Substituted`
maps offsets in the substituted text back. It also records which variables'
values went in (`env_values`): they are secrets of the run (`cfglint.core.secrets`).
The work is linear in the text, however many tokens it holds, and the
substituted text counts against the file size limit: one over it is never built
(SYN004).

Known differences from Kilo, all in inputs no real config has: Kilo looks for
`{file:}` tokens after the `{env:}` values are in, so a value that spells a
file token (or completes one, as in `{file:{env:NAME}}`) would be read; cfglint
only recognises file tokens written in the file. Whether a token is inside a
string or comment is decided on the original text.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from cfglint.core.document import Diagnostic, Location, Locations, ParseResult, Path
from cfglint.core.record import FrozenRecord
from cfglint.harnesses.kilo.facts import TITLE, blocked_env_names
from cfglint.parsing.jsonc import add_first_lines, parse_json, parse_text
from cfglint.core.text import MAX_FILE_BYTES, SourceText

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Mapping, Sequence


__all__ = [
    "BLOCKED_ENV_NAMES",
    "Reference",
    "Substituted",
    "find_references",
    "parse_kilo",
    "substitute",
]

BLOCKED_ENV_NAMES = blocked_env_names()  # KILO_SERVER_PASSWORD, ...: from Kilo's binary

_ENV_TOKEN = re.compile(r"\{env:([^}]+)\}")
_FILE_TOKEN = re.compile(r"\{file:([^}]+)\}")
# Strings (as jsonc-parser scans them: they end at a line break) and comments.
_STRINGS_AND_COMMENTS = re.compile(
    r'"[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*"?|//[^\r\n]*|/\*.*?(?:\*/|\Z)', re.S
)
# Characters that jsonc-parser would read as part of the same word as a bare token.
_GLUED = re.compile(r'[^ \t\r\n{}\[\]":,/]*')
_WORD_DELIMITERS = frozenset(' \t\r\n{}[]":,/')
# What JavaScript's String.prototype.trimStart removes.
_JS_SPACE = (
    "\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_PLACEHOLDER = "null"


class Reference(FrozenRecord):
    """One `{env:...}` or `{file:...}` token as written in the original text."""

    __slots__ = ("kind", "name", "start", "end", "in_string", "inert", "in_comment")

    def __init__(self, kind: str, name: str, start: int, end: int, in_string: bool, inert: bool,
                 in_comment: bool = False) -> None:
        self.kind = kind  # "env" or "file"
        self.name = name  # the variable name or the file path, as written
        self.start = start
        self.end = end
        self.in_string = in_string
        # On a line commented out with `//`: Kilo leaves the token as it is.
        self.inert = inert
        # Inside a `/* */` (or `//`) comment: gone once the text is parsed.
        self.in_comment = in_comment

    @property
    def blocked(self) -> bool:
        """Kilo refuses to substitute this variable ("blocked environment reference")."""
        return self.kind == "env" and self.name.upper() in BLOCKED_ENV_NAMES


class _Region(FrozenRecord):
    """A span of the original text and what replaced it in the substituted text."""

    __slots__ = ("start", "end", "new_start", "new_end", "references", "resolved")

    def __init__(self, start: int, end: int, new_start: int, new_end: int, references: tuple[Reference, ...],
                 resolved: bool) -> None:
        self.start = start
        self.end = end
        self.new_start = new_start
        self.new_end = new_end
        self.references = references
        self.resolved = resolved


class Substituted:
    """The text Kilo would parse, the tokens found, and the way back to the original."""

    __slots__ = ("text", "references", "env_values", "_regions", "_new_starts")

    def __init__(self, text: str, references: list[Reference], regions: list[_Region],
                 env_values: dict[str, str] | None = None) -> None:
        self.text = text
        self.references = references
        # The variables whose values went into `text`: secrets of the run (cfglint.core.secrets).
        self.env_values = env_values or {}
        self._regions = regions
        self._new_starts = [region.new_start for region in regions]

    @property
    def changed(self) -> bool:
        return bool(self._regions)

    @property
    def unresolved(self) -> list[tuple[int, int]]:
        """Original spans replaced by a placeholder because their value is unknown."""
        return [(region.start, region.end) for region in self._regions if not region.resolved]

    def _region_at(self, offset: int) -> _Region | None:
        """The region whose replacement starts at or before `offset`, if any."""
        index = bisect.bisect_right(self._new_starts, offset) - 1
        return self._regions[index] if index >= 0 else None

    def to_original(self, offset: int, *, end: bool = False) -> int:
        """Map an offset in `text` to the original text.

        Exact outside replaced spans; inside one, its original start (or, for
        the end of a span, `end=True`, its original end).
        """
        region = self._region_at(offset)
        if region is None:
            return offset
        if offset >= region.new_end:
            return region.end + offset - region.new_end
        if offset == region.new_start or not end:
            return region.start
        return region.end

    def note(self, offset: int) -> str:
        """Words to add to a message about `offset` when it falls in a replacement."""
        region = self._region_at(offset)
        if region is None or offset >= max(region.new_end, region.new_start + 1):
            return ""
        tokens = ", ".join(f"{{{ref.kind}:{ref.name}}}" for ref in region.references)
        if region.resolved:
            return f" (in the value substituted for {tokens})"
        return f" (where {tokens} stands, whose value cfglint does not know)"


def _commented_lines(text: str, starts: list[int]) -> list[bool]:
    """Kilo's rule, for each token start (in text order): the token's line, up to the token,
    starts with `//`. One pass: each line is looked at from its start to its first token."""
    out = []
    line_start, verdict_line, verdict, previous = 0, -1, False, 0
    for index in starts:
        newline = text.rfind("\n", previous, index)  # only the text since the previous token
        if newline >= 0:
            line_start = newline + 1
        previous = index
        if line_start != verdict_line:
            verdict_line = line_start
            verdict = text[line_start:index].lstrip(_JS_SPACE).startswith("//")
        out.append(verdict)
    return out


def _find_tokens(text: str) -> list[tuple[str, re.Match[str]]]:
    """Env tokens, then file tokens that do not overlap them, in text order. The search ends
    at the last `}`: a token start after it cannot match, and trying each would be quadratic."""
    end = text.rfind("}") + 1
    env = list(_ENV_TOKEN.finditer(text, 0, end)) if "{env:" in text else []
    files = []
    if "{file:" in text:
        env_starts = [m.start() for m in env]
        for match in _FILE_TOKEN.finditer(text, 0, end):
            index = bisect.bisect_left(env_starts, match.end())
            if index == 0 or env[index - 1].end() <= match.start():
                files.append(match)
    tokens = [("env", m) for m in env] + [("file", m) for m in files]
    tokens.sort(key=lambda token: token[1].start())
    return tokens


def _lexical_contexts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """For each span (in order): "string", "comment" or "bare".

    Lexing resumes after a bare token, so a quote inside one opens no string.
    """
    contexts = []
    lexeme = _STRINGS_AND_COMMENTS.search(text)
    for start, end in spans:
        while lexeme is not None and lexeme.end() <= start:
            lexeme = _STRINGS_AND_COMMENTS.search(text, lexeme.end())
        if lexeme is not None and lexeme.start() < start:
            contexts.append("string" if lexeme.group().startswith('"') else "comment")
            continue
        contexts.append("bare")
        if lexeme is not None and lexeme.start() < end:
            lexeme = _STRINGS_AND_COMMENTS.search(text, end)
    return contexts


@lru_cache(maxsize=4)
def _scan(text: str) -> tuple[tuple[Reference, ...], tuple[str, ...]]:
    """The tokens of a text and their lexical contexts. Cached: the parser and several Kilo
    rules ask about the same file's tokens."""
    tokens = _find_tokens(text)
    contexts = _lexical_contexts(text, [(m.start(), m.end()) for _, m in tokens])
    commented = _commented_lines(text, [m.start() for _, m in tokens])
    references = tuple(
        Reference(
            kind,
            match.group(1),
            match.start(),
            match.end(),
            in_string=context == "string",
            inert=inert,
            in_comment=context == "comment",
        )
        for (kind, match), context, inert in zip(tokens, contexts, commented)
    )
    return references, tuple(contexts)


def find_references(text: str) -> list[Reference]:
    """Every `{env:...}` / `{file:...}` token in a Kilo config, in text order.

    Includes inert ones (on `//` lines) and blocked ones; see `Reference`.
    """
    if "{env:" not in text and "{file:" not in text:
        return []
    return list(_scan(text)[0])


def _value_of(reference: Reference, env: Mapping[str, str] | None, blocked: frozenset[str]) -> str | None:
    if reference.kind != "env" or reference.name.upper() in blocked or env is None:
        return None
    return env.get(reference.name)


# A planned replacement: original start and end, new text, the tokens it covers, resolved?
_Replacement = tuple[int, int, str, tuple[Reference, ...], bool]


def _plan(
    text: str, references: Sequence[Reference], contexts: Sequence[str], env: Mapping[str, str] | None,
    blocked: frozenset[str],
) -> list[_Replacement]:
    """What to replace, in text order (see the module docstring for the rules)."""
    plan: list[_Replacement] = []
    index = 0
    while index < len(references):
        reference = references[index]
        index += 1
        if reference.inert:
            continue
        if contexts[index - 1] != "bare":
            value = _value_of(reference, env, blocked)
            if value is not None:
                plan.append((reference.start, reference.end, value, (reference,), True))
            continue
        # A bare token, with the tokens and characters glued to it: one word to the parser.
        group = [reference]
        end = _GLUED.match(text, reference.end).end()
        while (
            index < len(references)
            and references[index].start == end
            and contexts[index] == "bare"
        ):
            group.append(references[index])
            end = _GLUED.match(text, references[index].end).end()
            index += 1
        values = [_value_of(member, env, blocked) for member in group]
        if None not in values:
            for member, value in zip(group, values):
                plan.append((member.start, member.end, str(value), (member,), True))
            continue
        start = reference.start
        floor = plan[-1][1] if plan else 0
        while start > floor and text[start - 1] not in _WORD_DELIMITERS:
            start -= 1
        plan.append((start, end, _PLACEHOLDER, tuple(group), False))
    return plan


class SubstitutedTooLarge(Exception):
    """The substituted text would be over the size limit: it is never built."""

    def __init__(self, size: int) -> None:
        super().__init__(f"the file is {size:,} bytes after `{{env:}}` substitution, "
                         f"above the {MAX_FILE_BYTES:,}-byte limit")


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def substitute(text: str, env: Mapping[str, str] | None, limit: int = MAX_FILE_BYTES, *,
               blocked: frozenset[str] = BLOCKED_ENV_NAMES) -> Substituted:
    """Apply Kilo's substitution with the values in `env` (see the module docstring).

    Raises SubstitutedTooLarge, before building anything, when the result would be over
    `limit` bytes (a short file with many long values would otherwise be arbitrarily large).
    `blocked`: the variables never substituted (upstream opencode blocks none).
    """
    if "{env:" not in text and "{file:" not in text:
        return Substituted(text, [], [])
    references, contexts = _scan(text)
    plan = _plan(text, references, contexts, env, blocked)
    value_sizes: dict[str, int] = {}  # one value may stand for many tokens: measure it once
    size = _utf8_size(text)
    for start, end, new, _, _ in plan:
        if new not in value_sizes:
            value_sizes[new] = _utf8_size(new)
        size += value_sizes[new] - _utf8_size(text[start:end])
    if size > limit:
        raise SubstitutedTooLarge(size)
    env_values = {member.name: new for _, _, new, members, resolved in plan if resolved
                  for member in members if member.kind == "env"}
    pieces = []
    regions = []
    cursor = 0
    new_length = 0
    for start, end, replacement, members, resolved in plan:
        pieces.append(text[cursor:start])
        new_start = new_length + start - cursor
        pieces.append(replacement)
        new_length = new_start + len(replacement)
        regions.append(_Region(start, end, new_start, new_length, members, resolved))
        cursor = end
    pieces.append(text[cursor:])
    return Substituted("".join(pieces), list(references), regions, env_values)


def _unresolved_paths(
    locations: dict[Path, Location], spans: list[tuple[int, int]]
) -> frozenset[Path]:
    """The innermost paths whose value overlaps an unresolved span."""
    if not spans:
        return frozenset()
    starts = [start for start, _ in spans]
    hits = set()
    for path, location in locations.items():
        # The last span starting before the value ends is the only one that can overlap it
        # (spans do not overlap each other and are sorted).
        index = bisect.bisect_left(starts, location.value_end) - 1
        if index >= 0 and spans[index][1] > location.value_start:
            hits.add(path)
    ancestors = {path[:length] for path in hits for length in range(len(path))}
    return frozenset(hits - ancestors)


def _back_to_original(result: ParseResult, substituted: Substituted) -> ParseResult:
    """The same result with every offset in the original text."""
    to_original = substituted.to_original
    locations = {}
    for path in result.locations.paths():
        location = result.locations.get(path)
        assert location is not None
        locations[path] = Location(
            None if location.key_start is None else to_original(location.key_start),
            None if location.key_end is None else to_original(location.key_end, end=True),
            to_original(location.value_start),
            to_original(location.value_end, end=True),
        )
    diagnostics = []
    for diagnostic in result.diagnostics:
        details = dict(diagnostic.details)
        if "first_offset" in details:
            details["first_offset"] = to_original(details["first_offset"])
        diagnostics.append(
            Diagnostic(
                diagnostic.code,
                diagnostic.message + substituted.note(diagnostic.start),
                to_original(diagnostic.start),
                None if diagnostic.end is None else to_original(diagnostic.end, end=True),
                diagnostic.fix,
                details,
            )
        )
    return ParseResult(
        result.data,
        Locations(locations),
        diagnostics,
        _unresolved_paths(locations, substituted.unresolved),
        substituted.env_values,
    )


def _parse_jsonc(source: SourceText, title: str, json5_effect: str) -> ParseResult:
    """A file without substitution, as Kilo parses it: JSONC, with SYN002 for JSON5 syntax."""
    return parse_json(source, allow_comments=True, allow_trailing_commas=True, diagnose_json5=title,
                      json5_effect=json5_effect)


def parse_kilo(source: SourceText, env: Mapping[str, str] | None = None, *, title: str = TITLE,
               blocked: frozenset[str] = BLOCKED_ENV_NAMES, json5_effect: str = "skips this file") -> ParseResult:
    """A Kilo/opencode config as Kilo reads it: substitution, then JSONC (SYN002 for JSON5).

    Offsets point into `source.text`; `unresolved` holds the paths whose value
    came from a token cfglint could not resolve. Upstream opencode parses the same way with
    its own name in messages (`title`), no blocked variables (`blocked`) and another fate for a
    file it cannot parse (`json5_effect`: opencode refuses to start).
    """
    if "{env:" not in source.text and "{file:" not in source.text:
        return _parse_jsonc(source, title, json5_effect)
    try:
        substituted = substitute(source.text, env, blocked=blocked)
    except SubstitutedTooLarge as exc:
        return ParseResult(None, Locations({}), [Diagnostic("SYN004", f"not a usable config: {exc}", 0)])
    if not substituted.changed:
        return _parse_jsonc(source, title, json5_effect)
    parsed = parse_text(
        substituted.text, allow_comments=True, allow_trailing_commas=True, diagnose_json5=title,
        json5_effect=json5_effect,
    )
    result = _back_to_original(parsed, substituted)
    add_first_lines(result, source)
    return result
