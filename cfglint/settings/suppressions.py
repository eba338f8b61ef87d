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

A code that suppressed nothing although its rule ran, or that names no rule, is
reported as SUP001 (ruff's RUF100); `check --add-ignore` (`add_ignores`) writes
these comments for every current finding, to baseline a repository.
"""

from __future__ import annotations

import bisect
import os
import re

from cfglint.core.document import Document
from cfglint.core.record import Record, named_tuple
from cfglint.core.text import SourceText
from cfglint.settings import SUPPRESSION_MARKER, UNUSED_SUPPRESSION

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterable, Iterator
    from cfglint.core.finding import Finding


# The patterns are strings, compiled at use (`re.compile` keeps them): most files have no
# `cfglint:` comment, and compiling them all at import took ~0.6 ms of every check.
_DIRECTIVE = r"cfglint:[ \t]*ignore(-file)?\[([^\]\r\n]*)\]"
_CODE = r"[A-Z]+[0-9]*"

# Tokens that may hide a comment marker (strings) and comments themselves. String bodies
# do not require their closing delimiter, so a broken file is still scanned to its end.
_TOML_TOKENS = r'''(?xs)
      "{3}(?:[^"\\]+|\\.|"{1,2}(?!"))*"{0,5}     # multi-line basic string
    | '{3}(?:[^']+|'{1,2}(?!'))*'{0,5}          # multi-line literal string
    | "(?:[^"\\\r\n]+|\\.)*"?                   # basic string
    | '[^'\r\n]*'?                              # literal string
    | (?P<comment>\#[^\r\n]*)
'''
_JSONC_TOKENS = r'''(?xs)
      "(?:[^"\\\r\n]+|\\.)*"?                   # string (jsonc-parser ends one at a line break)
    | (?P<comment>//[^\r\n]*|/\*.*?(?:\*/|\Z))
'''
# A YAML comment starts with `#` at the start of a line or after whitespace.
_YAML_HASH = r"(?<![^ \t\r\n])#"
_LINE_END = r"[\r\n]|\Z"


@named_tuple
class Directive:
    """One code of one `ignore[...]`/`ignore-file[...]` comment: where the comment and the code
    are (offsets into the file's text) and the lines it covers (none for `ignore-file`)."""

    selector: str
    comment: tuple[int, int]
    at: tuple[int, int]
    lines: tuple[int, ...]
    whole_file: bool

    def covers(self, code: str, line: int) -> bool:
        return code.startswith(self.selector) and (self.whole_file or line in self.lines)


class Suppressions(Record):
    """The suppression comments of one file, and which of them suppressed a finding so far
    (`SettingsJudge` asks each finding; the unused ones are reported as SUP001). Equality and
    hash leave `used` out."""

    __slots__ = ("directives", "used")

    def __init__(self, directives: tuple[Directive, ...] = (), used: set[int] | None = None) -> None:
        self.directives = directives
        self.used = set() if used is None else used

    def _fields(self) -> tuple:
        return (self.directives,)

    def __hash__(self) -> int:
        return hash(self._fields())

    def suppresses(self, code: str, line: int) -> bool:
        """Whether a comment suppresses `code` on `line`; every comment that does counts as used."""
        matching = [i for i, directive in enumerate(self.directives) if directive.covers(code, line)]
        self.used.update(matching)
        return bool(matching)

    def unused(self, enabled: Callable[[str], bool]) -> Iterator[tuple[Directive, bool]]:
        """(directive, known) for each code that suppresses nothing: an unknown code (no rule
        starts with it), or a known one that was enabled for this file and suppressed no finding
        (a code the run does not check is not "unused", as in ruff). A code covering SUP001
        itself is never reported: it is how one keeps a deliberate suppression quiet."""
        from cfglint.rules import RULES

        for i, directive in enumerate(self.directives):
            codes = [code for code in RULES if code.startswith(directive.selector)]
            if not codes:
                yield directive, False
            elif i not in self.used and UNUSED_SUPPRESSION not in codes and any(map(enabled, codes)):
                yield directive, True


def suppressions_for(doc: Document) -> Suppressions:
    """The suppressions written in `doc`'s comments."""
    text = doc.source.text
    if SUPPRESSION_MARKER not in text:  # the common case: no scan at all
        return Suppressions()
    syntax = _syntax(doc.dialect)
    if syntax not in COMMENT_SYNTAXES:
        return Suppressions()
    directives: list[Directive] = []
    for start, end in _comments(syntax, text):
        for match in re.compile(_DIRECTIVE).finditer(text, start, end):
            whole_file = bool(match.group(1))
            lines: tuple[int, ...] = ()
            if not whole_file:
                first, column = doc.source.position(start)
                last, end_column = doc.source.position(end)
                alone = not doc.source.line_text(first)[:column - 1].strip() \
                    and not doc.source.line_text(last)[end_column - 1:].strip()
                lines = tuple(range(first, last + 1 + alone))
            offset = match.start(2)
            for part in match.group(2).split(","):
                code = part.strip().upper()
                if re.fullmatch(_CODE, code):
                    at = offset + len(part) - len(part.lstrip())
                    directives.append(Directive(code, (start, end), (at, at + len(code)), lines, whole_file))
                offset += len(part) + 1
    return Suppressions(tuple(directives))


# The syntaxes that have comments: the only ones a suppression can be written in.
COMMENT_SYNTAXES = ("toml", "jsonc", "yaml")


def _comments(syntax: str, text: str) -> Iterator[tuple[int, int]]:
    if syntax == "yaml":
        return _yaml_comments(text)
    return _token_comments(_TOML_TOKENS if syntax == "toml" else _JSONC_TOKENS, text)


def _syntax(dialect: str) -> str | None:
    from cfglint.harnesses import DIALECTS, harness_for

    return harness_for(dialect).syntax if dialect in DIALECTS else None


def _token_comments(tokens: str, text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) offsets of each comment: strings are matched whole, so a marker
    inside one is never taken for a comment."""
    for match in re.finditer(tokens, text):
        if match.lastgroup == "comment":
            yield match.span()


def _yaml_comments(text: str) -> Iterator[tuple[int, int]]:
    """Comments are what PyYAML's scanner skips: a `#` after whitespace that no scalar token
    (quoted, plain or block) covers. Past a syntax error nothing counts as a comment."""
    from cfglint.parsing.pyyaml import import_pyyaml

    yaml = import_pyyaml()
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
    while (match := re.compile(_YAML_HASH).search(text, pos, limit)) is not None:
        start = match.start()
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and start < ends[i]:  # inside a scalar
            pos = start + 1
            continue
        pos = re.compile(_LINE_END).search(text, start).start()
        yield start, pos


def unused_suppression_findings(doc: Document, suppressions: Suppressions, enabled: Callable[[str], bool],
                                complete: bool) -> Iterator[Finding]:
    """One finding per comment for its unused codes (at the comment), one per unknown code (at
    the code). Without `complete` (rules that did not run on the file) only unknown codes."""
    unused: dict[tuple[int, int], list[str]] = {}
    whole_file: dict[tuple[int, int], bool] = {}
    for directive, known in suppressions.unused(enabled):
        if not known:
            yield _finding(doc, directive.at, f"`{directive.selector}` in a suppression comment is not a cfglint rule "
                                              f"code: it suppresses nothing",
                           f"remove `{directive.selector}` from the comment (the codes are listed by `cfglint rule "
                           f"--all`)", [directive.selector], "unknown")
        elif complete:
            unused.setdefault(directive.comment, []).append(directive.selector)
            whole_file[directive.comment] = directive.whole_file
    for comment, codes in unused.items():
        listed = ", ".join(f"`{code}`" for code in codes)
        where = "in this file" if whole_file[comment] else "here"
        yield _finding(doc, comment, f"unused suppression: {listed} suppressed no finding {where}",
                       f"remove {listed} from the comment, or the comment when no code is left",
                       codes, "unused")


def _finding(doc: Document, span: tuple[int, int], message: str, fix: str, codes: list[str], kind: str) -> Finding:
    from cfglint.core.finding import Finding
    from cfglint.rules.suppression import UnusedSuppression

    return Finding(path=doc.display_path, span=doc.source.span(*span), code=UnusedSuppression.code,
                   name=UnusedSuppression.name, severity=UnusedSuppression.severity, message=message, fix=fix,
                   dialect=doc.dialect, details={"codes": codes, "kind": kind})


class Baseline(Record):
    """What `check --add-ignore` did: suppressions added, files written, one-line notes."""

    __slots__ = ("added", "files", "notes")

    def __init__(self, added: int = 0, files: int = 0, notes: list[str] | None = None) -> None:
        self.added, self.files = added, files
        self.notes = [] if notes is None else notes


_LINE_BREAK = r"\r\n|\r|\n"


def add_ignores(findings: "Iterable[Finding]", documents: dict[str, Document]) -> Baseline:
    """Baseline: a suppression comment for each finding's code on its line (ruff's --add-noqa),
    merged into a `cfglint: ignore[...]` the line already has. Each edit is kept only when the
    file still parses to the same data and the comment now suppresses those codes (a line that
    ends inside a multi-line string or block scalar cannot take a comment). Files that cannot
    hold comments get a note suggesting `per-file-ignores`; symlinks, companions, context layers,
    standard input and files that do not parse are left alone."""
    wanted: dict[str, dict[int, list[str]]] = {}
    for finding in findings:
        codes = wanted.setdefault(finding.path, {}).setdefault(max(finding.span.line, 1), [])
        if finding.code not in codes:
            codes.append(finding.code)
    baseline = Baseline()
    for path, lines in wanted.items():
        doc = documents.get(path)
        if doc is None or doc.from_launch or doc.context or doc.path == "-":
            continue
        codes = sorted({code for line_codes in lines.values() for code in line_codes})
        reason = "a file another config names" if doc.companion_of is not None else \
            "cannot hold comments" if _syntax(doc.dialect) not in COMMENT_SYNTAXES else None
        if reason is not None:
            baseline.notes.append(f"{path}: not edited ({reason}); to baseline it, add to your cfglint settings: "
                                  f'[per-file-ignores] "{path}" = [{", ".join(map(_quoted, codes))}]')
        elif not doc.parse.ok:
            baseline.notes.append(f"{path}: not edited, it does not parse")
        elif os.path.islink(doc.path):
            baseline.notes.append(f"{path}: not edited, it is a symbolic link (edit the file it points to)")
        else:
            added = _baseline_file(doc, lines, baseline.notes)
            baseline.added += added
            baseline.files += added > 0
    return baseline


def _quoted(code: str) -> str:
    return f'"{code}"'


def _baseline_file(doc: Document, lines: dict[int, list[str]], notes: list[str]) -> int:
    """Add the comments to one file; write it (atomically) if anything was added."""
    from cfglint.harnesses import harness_for

    try:
        with open(doc.path, "rb") as stream:
            raw = stream.read()
    except OSError as exc:
        notes.append(f"{doc.display_path}: not edited, it cannot be read: {exc.strerror or exc}")
        return 0
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3 if bom else 0:].decode("utf-8", errors="replace")
    if text != doc.source.text:
        notes.append(f"{doc.display_path}: not edited, it changed since it was checked")
        return 0
    harness = harness_for(doc.dialect)
    data = harness.parse(SourceText(text), {}, doc.path).data
    added = 0
    current = doc
    for line, codes in sorted(lines.items()):
        edited = _with_codes(current, line, codes)
        if edited is None:
            continue
        new_text, count = edited
        candidate = Document(doc.path, doc.display_path, SourceText(new_text),
                             harness.parse(SourceText(new_text), {}, doc.path), doc.dialect)
        suppressions = suppressions_for(candidate)
        if candidate.parse.ok and candidate.data == data \
                and all(suppressions.suppresses(code, line) for code in codes):
            current, added = candidate, added + count
        else:
            notes.append(f"{doc.display_path}:{line}: no suppression added for {', '.join(codes)}: a comment "
                         f"cannot go at the end of this line")
    if added:
        _write_atomically(doc.path, (b"\xef\xbb\xbf" if bom else b"") + current.source.text.encode("utf-8"))
    return added


def _with_codes(doc: Document, line: int, codes: list[str]) -> tuple[str, int] | None:
    """`doc`'s text with `codes` suppressed on `line` (1-based), and how many codes that added:
    merged into a `cfglint: ignore[...]` comment starting on the line, else a new trailing
    comment. None when every code is already suppressed there."""
    text = doc.source.text
    existing = suppressions_for(doc)
    missing = [code for code in codes if not existing.suppresses(code, line)]
    if not missing:
        return None
    breaks = [0] + [match.end() for match in re.finditer(_LINE_BREAK, text)]
    if line > len(breaks):
        return None
    start = breaks[line - 1]
    end_match = re.compile(_LINE_BREAK).search(text, start)
    end = end_match.start() if end_match else len(text)
    for directive in existing.directives:
        if not directive.whole_file and start <= directive.comment[0] < end:
            match = re.compile(_DIRECTIVE).search(text, *directive.comment)
            if match is not None and not match.group(1):
                insert = match.end(2)
                separator = ", " if match.group(2).strip() else ""
                return text[:insert] + separator + ", ".join(missing) + text[insert:], len(missing)
    marker = "//" if _syntax(doc.dialect) == "jsonc" else "#"
    content = text[start:end].rstrip()
    comment = f"{marker} cfglint: ignore[{', '.join(missing)}]"
    return text[:start] + (f"{content}  {comment}" if content else comment) + text[end:], len(missing)


def _write_atomically(path: str, data: bytes) -> None:
    """Replace `path` by a file written beside it (same directory, same mode): a reader sees
    the old file or the new one, never half of one."""
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".cfglint-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
