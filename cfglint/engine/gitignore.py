"""`.gitignore` rules, for walking a git worktree when git itself cannot be run.

When `git ls-files` fails (git missing, "dubious ownership", a timeout), cfglint
walks the directory instead and skips what the worktree's ignore files say: the
`.gitignore` of every directory from the worktree's top down (a deeper file
wins; inside one file the last matching line wins) and `.git/info/exclude`.
Supported: `#` comments, `!` negation, `\\` escapes, trailing-space trimming,
`/` anchoring (a leading or middle `/` makes a line relative to its file's
directory, otherwise it matches a name at any depth), dir-only `x/`, and `**`.
An ignored directory is not entered, so, as with git, nothing below it can be
re-included. Not supported: the user's global excludes file (`core.excludesFile`)
and tracked files that an ignore line also matches (git lists those; the walk
cannot tell them apart). Ignore files are read bounded (`cfglint.core.safeio`) and
matched in linear time (`cfglint.core.globs`): they come from the repository.
"""

from __future__ import annotations

import os

from cfglint.core.globs import SegmentGlob
from cfglint.core.record import Record
from cfglint.core.safeio import read_bytes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence


IGNORE_FILE_LIMIT = 1024 * 1024  # far above any real .gitignore; keeps a crafted one from costing memory


class Rule(Record):
    """One line of an ignore file."""

    __slots__ = ("glob", "negated", "directory_only", "anchored")

    def __init__(self, glob: SegmentGlob, negated: bool, directory_only: bool, anchored: bool) -> None:
        self.glob, self.negated, self.directory_only = glob, negated, directory_only
        self.anchored = anchored  # matches the path from the ignore file's directory, not just a name

    def __hash__(self) -> int:
        return hash(self._fields())


def parse_rules(text: str) -> list[Rule]:
    rules = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        trimmed = line.rstrip(" ")
        if trimmed.endswith("\\") and len(trimmed) < len(line):
            trimmed += " "  # `foo\ ` keeps its escaped space
        negated = trimmed.startswith("!")
        pattern = trimmed[1:] if negated else trimmed
        directory_only = pattern.endswith("/")
        pattern = pattern.rstrip("/")
        if not pattern:
            continue
        rules.append(Rule(SegmentGlob(pattern.lstrip("/"), escapes=True, trailing_any_needs_one=True),
                          negated, directory_only, anchored="/" in pattern))
    return rules


def verdict(rules: Sequence[Rule], parts: Sequence[str], is_dir: bool) -> bool | None:
    """True (ignored), False (re-included by `!`) or None (no line matches) for the path `parts`,
    relative to the directory of the file holding `rules`."""
    for rule in reversed(rules):
        if rule.directory_only and not is_dir:
            continue
        if rule.glob.matches(parts if rule.anchored else parts[-1:]):
            return not rule.negated
    return None


class IgnoreTree:
    """What the ignore files of the worktree at `top` say about paths below `start`."""

    def __init__(self, top: str, start: str, notes: list[str]) -> None:
        self.top = top
        self.notes = notes
        rel = os.path.relpath(os.path.realpath(start), top)
        self.prefix = [] if rel == "." else rel.split(os.sep)
        self._rules: dict[tuple[str, ...], list[Rule]] = {}
        info_exclude = os.path.join(top, ".git", "info", "exclude")
        self._info_exclude = self._read(info_exclude) if os.path.isdir(os.path.join(top, ".git")) else []

    def ignored(self, rel_parts: Sequence[str], is_dir: bool) -> bool:
        """Whether the path `rel_parts` (relative to `start`) is ignored."""
        parts = self.prefix + list(rel_parts)
        for depth in range(len(parts) - 1, -1, -1):
            found = verdict(self._rules_of(tuple(parts[:depth])), parts[depth:], is_dir)
            if found is not None:
                return found
        return bool(verdict(self._info_exclude, parts, is_dir))

    def _rules_of(self, directory: tuple[str, ...]) -> list[Rule]:
        rules = self._rules.get(directory)
        if rules is None:
            rules = self._rules[directory] = self._read(os.path.join(self.top, *directory, ".gitignore"))
        return rules

    def _read(self, path: str) -> list[Rule]:
        if not os.path.lexists(path) or os.path.islink(path):  # git does not follow a linked .gitignore
            return []
        try:
            data = read_bytes(path, IGNORE_FILE_LIMIT, what="it")
        except OSError as exc:
            self.notes.append(f"{os.path.relpath(path)}: not used: {exc.strerror or exc}")
            return []
        return parse_rules(data.decode("utf-8", "surrogateescape"))
