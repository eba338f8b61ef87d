"""`--output-format text`: `path:line:col: CODE [severity] message`, then a summary line.

With `--show-source` each finding is followed by its source line and a caret
under the reported span. The line is the masked one (`cfglint.report.masking`), cut to
a window of `SNIPPET_WIDTH` characters around the span (a minified one-line
file would otherwise print the whole file once per finding), with every control
character escaped: a config from an untrusted repository must not write to the
terminal (OSC 52 clipboard writes, OSC 8 links, CSI sequences). Colour only when
asked (`cfglint.report.use_colour`).

Two variants share the layout: `concise` (`path:line:col: CODE message`, one line
each, no severity or fix) and `full` (the text line, always the snippet, then the
fix on its own line under the gutter, as rustc and ruff print a `help:`).
"""

from __future__ import annotations


from cfglint.core.document import Document
from cfglint.core.finding import Finding, Severity, one_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence


_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
SNIPPET_WIDTH = 200  # source characters shown around a finding's span
_LEAD = SNIPPET_WIDTH // 4  # of them, how many before the span when the line is cut
_CUT = "…"


def _style(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def render_text(findings: Sequence[Finding], **options: Any) -> str:
    return "".join(iter_text(findings, **options))


def render_concise(findings: Sequence[Finding], **options: Any) -> str:
    return "".join(iter_concise(findings, **options))


def render_full(findings: Sequence[Finding], **options: Any) -> str:
    return "".join(iter_full(findings, **options))


def iter_text(findings: Sequence[Finding], *, files_checked: int = 0, colour: bool = False, show_source: bool = False,
              sources: Mapping[str, Document] | None = None, quiet: bool = False, **_: object) -> Iterator[str]:
    return _lines(findings, _text_line_with_fix, files_checked=files_checked, colour=colour, quiet=quiet,
                  sources=sources if show_source else None)


def iter_concise(findings: Sequence[Finding], *, files_checked: int = 0, colour: bool = False,
                 quiet: bool = False, **_: object) -> Iterator[str]:
    return _lines(findings, _concise_line, files_checked=files_checked, colour=colour, quiet=quiet)


def iter_full(findings: Sequence[Finding], *, files_checked: int = 0, colour: bool = False,
              sources: Mapping[str, Document] | None = None, quiet: bool = False, **_: object) -> Iterator[str]:
    return _lines(findings, _text_line, files_checked=files_checked, colour=colour, quiet=quiet,
                  sources=sources or {}, fix_line=True)


def _lines(findings: Sequence[Finding], headline: Callable[[Finding, bool], str], *, files_checked: int,
           colour: bool, quiet: bool, sources: Mapping[str, Document] | None = None,
           fix_line: bool = False) -> Iterator[str]:
    """One `headline` per finding; with `sources`, its snippet; with `fix_line`, its fix on a line
    of its own; then the summary unless `quiet`. Each line with its newline, one finding at a time."""
    masked: dict[tuple[str, int], str] = {}  # each source line is masked once, however many findings it has
    by_path = {one_line(path): doc for path, doc in (sources or {}).items()}  # finding paths are escaped
    tally = _Tally()  # for the summary, counted on the way: the findings are gone through once
    for f in findings:
        tally.add(f)
        lines = [headline(f, colour)]
        if sources is not None and f.path in by_path:
            lines.extend(_snippet(by_path[f.path], f, colour, masked))
        if fix_line and f.fix:
            lines.append(f"{' ' * len(str(f.span.line))} = {_style('fix:', '1', colour)} {f.fix}")
        yield "\n".join(lines) + "\n"
    if not quiet:
        yield tally.summary(files_checked) + "\n"


def _where(f: Finding, colour: bool) -> str:
    return _style(f"{f.path}:{f.span.line}:{f.span.column}:", "1", colour)


def styled_code(code: str, severity: Severity, colour: bool) -> str:
    return _style(code, "1;" + _COLOURS[severity], colour)


def _text_line(f: Finding, colour: bool) -> str:
    severity = _style(f"[{f.severity.label}]", _COLOURS[f.severity], colour)
    return f"{_where(f, colour)} {styled_code(f.code, f.severity, colour)}{_fixable(f)} {severity} {f.message}"


def _text_line_with_fix(f: Finding, colour: bool) -> str:
    return _text_line(f, colour) + (f" (fix: {f.fix})" if f.fix else "")


def _concise_line(f: Finding, colour: bool) -> str:
    return f"{_where(f, colour)} {styled_code(f.code, f.severity, colour)}{_fixable(f)} {f.message}"


def _fixable(f: Finding) -> str:
    """` [*]` after the code of a finding `--fix` fixes, as ruff marks them."""
    return " [*]" if f.fix_applicability == "safe" else ""


def _snippet(doc: Document, f: Finding, colour: bool, masked: dict[tuple[str, int], str]) -> list[str]:
    from cfglint.report.masking import masked_line

    if f.span.line > doc.source.line_count:
        return []
    if (f.path, f.span.line) not in masked:
        masked[(f.path, f.span.line)] = masked_line(doc, f.span.line)
    text = masked[(f.path, f.span.line)]
    start = min(max(f.span.column - 1, 0), len(text))
    end = f.span.end_column - 1 if f.span.end_line == f.span.line else len(text)
    first = max(0, min(start - _LEAD, len(text) - SNIPPET_WIDTH))
    last = min(len(text), first + SNIPPET_WIDTH)
    end = min(max(end, start), last)
    before = (_CUT if first else "") + one_line(text[first:start])
    spanned = one_line(text[start:end])
    after = one_line(text[end:last]) + (_CUT if last < len(text) else "")
    number = str(f.span.line)
    gutter = " " * len(number)
    caret = " " * len(before) + "^" * max(1, len(spanned))
    return [
        f"{gutter} |",
        f"{number} | {before}{spanned}{after}",
        f"{gutter} | {_style(caret, _COLOURS[f.severity], colour)}",
    ]


def summary(findings: Iterable[Finding], files_checked: int) -> str:
    """`2 errors, 1 warning in 3 files`, and a line saying how many `--fix` would fix, if any."""
    tally = _Tally()
    for f in findings:
        tally.add(f)
    return tally.summary(files_checked)


class _Tally:
    """The counts a summary gives: findings by severity, and those `--fix` fixes (safe, unsafe)."""

    def __init__(self) -> None:
        self.counts = {severity: 0 for severity in Severity}
        self.fixes: dict[str | None, int] = {"safe": 0, "unsafe": 0}

    def add(self, f: Finding) -> None:
        self.counts[f.severity] += 1
        self.fixes[f.fix_applicability] = self.fixes.get(f.fix_applicability, 0) + 1

    def summary(self, files_checked: int) -> str:
        counts = self.counts
        parts = [_plural(counts[Severity.ERROR], "error"), _plural(counts[Severity.WARNING], "warning")]
        if counts[Severity.INFO]:
            parts.append(_plural(counts[Severity.INFO], "info", "info"))
        line = f"{', '.join(parts)} in {_plural(files_checked, 'file')}"
        fixable, unsafe = self.fixes["safe"], self.fixes["unsafe"]
        if fixable:
            line += f"\n[*] {fixable} fixable with `cfglint check --fix`"
        if unsafe:
            line += f"\n{_plural(unsafe, 'more fix', 'more fixes')} with `--unsafe-fixes`"
        return line


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"
