"""Globs over `/`-separated paths, matched without backtracking.

A glob translated to one regular expression (`**/` as `(?:.*/)?`) backtracks:
`**/**/**/**/**/**/**/**/**/**/zz` against a deep path takes minutes, and the
patterns come from the repository being linted (`exclude`, `per-file-ignores`,
`.gitignore`). Here a glob is split into segments once; `**` is matched by
dynamic programming over the path's segments (at most path segments × glob
segments segment tests), and every other segment by a wildcard matcher that
only ever revisits its last `*` (`Segment`): no input backtracks.

Inside a segment `*` is any run of characters, `?` one character, `[abc]`,
`[a-z]`, `[!abc]`/`[^abc]` one character of (not of) a set; a segment that
is exactly `**` is any number of whole segments (zero included). `**` next to
other characters in one segment (`a**b`) is a plain `*`, as in `.gitignore`.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence


ANY_SEGMENTS = None  # a `**` segment in `SegmentGlob.segments`


class SegmentGlob:
    """One glob, compiled once, matched against a path given as its segments."""

    __slots__ = ("segments",)

    def __init__(self, pattern: str, *, escapes: bool = False, trailing_any_needs_one: bool = False) -> None:
        """`escapes`: a backslash makes the next character literal (`.gitignore`), otherwise it
        is itself. `trailing_any_needs_one`: a final `/**` matches only below the directory,
        never the directory itself (`.gitignore`'s `abc/**`)."""
        segments: list[Segment | None] = [
            ANY_SEGMENTS if text == "**" else Segment(text, escapes=escapes) for text in pattern.split("/")
        ]
        if trailing_any_needs_one and len(segments) > 1 and segments[-1] is ANY_SEGMENTS:
            segments.insert(-1, Segment("?*"))  # one segment at least
        self.segments = tuple(segments)

    def matches(self, parts: Sequence[str]) -> bool:
        """True when the whole path `parts` matches the whole glob."""
        return self._run(parts, stop_at_prefix=False)

    def matches_a_prefix(self, parts: Sequence[str]) -> bool:
        """True when the path `parts[:k]` matches for some k >= 1 (the path itself, or one of the
        directories it lies in): one pass, not one match per prefix."""
        return self._run(parts, stop_at_prefix=True)

    def _run(self, parts: Sequence[str], *, stop_at_prefix: bool) -> bool:
        end = len(self.segments)
        reached = self._closure([True] + [False] * end)  # reached[i]: the first i segments match so far
        for part in parts:
            following = [False] * (end + 1)
            for index, segment in enumerate(self.segments):
                if not reached[index]:
                    continue
                if segment is ANY_SEGMENTS:
                    following[index] = True
                elif segment.fullmatch(part):
                    following[index + 1] = True
            reached = self._closure(following)
            if not any(reached):
                return False
            if stop_at_prefix and reached[end]:
                return True
        return bool(parts) and reached[end]

    def _closure(self, reached: list[bool]) -> list[bool]:
        """`reached` plus the positions after each reached `**`, which may match no segment."""
        for index, segment in enumerate(self.segments):
            if reached[index] and segment is ANY_SEGMENTS:
                reached[index + 1] = True
        return reached


class Segment:
    """One segment other than `**`, as tokens: a literal character, `ANY_CHAR`, `STAR` or a
    compiled character class. Matched by the two-pointer wildcard algorithm (only the last
    `*` is ever revisited), so at most len(text) × tokens steps; a regular expression with
    several `*` in one segment (`*a*a*a*a*b`) backtracks polynomially."""

    __slots__ = ("tokens", "literal")

    def __init__(self, text: str, *, escapes: bool = False) -> None:
        self.tokens = _tokens(text, escapes)
        self.literal = "".join(self.tokens) if all(isinstance(t, str) for t in self.tokens) else None

    def fullmatch(self, text: str) -> bool:
        if self.literal is not None:
            return text == self.literal
        tokens = self.tokens
        t = p = 0
        star = -1  # the token index after the last `*` seen, and where its match ends so far
        resume = 0
        while t < len(text):
            if p < len(tokens) and tokens[p] is STAR:
                star, resume = p + 1, t
                p += 1
            elif p < len(tokens) and _matches_char(tokens[p], text[t]):
                p += 1
                t += 1
            elif star != -1:  # let the last `*` take one more character
                resume += 1
                p, t = star, resume
            else:
                return False
        while p < len(tokens) and tokens[p] is STAR:
            p += 1
        return p == len(tokens)


STAR = object()
ANY_CHAR = object()


def _matches_char(token: object, char: str) -> bool:
    if token is ANY_CHAR:
        return True
    if isinstance(token, str):
        return token == char
    return token.fullmatch(char) is not None  # type: ignore[attr-defined]


def _tokens(text: str, escapes: bool) -> list:
    tokens: list = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if escapes and char == "\\" and i + 1 < n:
            tokens.append(text[i + 1])
            i += 2
        elif char == "*":
            if not tokens or tokens[-1] is not STAR:
                tokens.append(STAR)
            i += 1
        elif char == "?":
            tokens.append(ANY_CHAR)
            i += 1
        elif char == "[" and "]" in text[i + 2:]:
            end = text.index("]", i + 2)
            body = text[i + 1:end]
            negate = body[:1] in ("!", "^")
            body = body[1:] if negate else body
            # fnmatch's translation escapes what `re` would read as set operations (`--`, `&&`)
            import fnmatch  # only for a pattern with a bracket expression

            tokens.append(re.compile(fnmatch.translate("[" + ("!" if negate else "") + body + "]")))
            i = end + 1
        else:
            tokens.append(char)
            i += 1
    return tokens
