"""`--output-format text`: `path:line:col: CODE [severity] message`, then a summary line.

With `--show-source` each finding is followed by its source line and a caret
under the reported span. Colour only when asked (the CLI enables it on a TTY).
"""

from __future__ import annotations

from typing import Mapping, Sequence

from cfglint.document import Document
from cfglint.findings import Finding, Severity
from cfglint.report import summary_counts

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _style(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def render_text(
    findings: Sequence[Finding],
    *,
    files_checked: int = 0,
    colour: bool = False,
    show_source: bool = False,
    sources: Mapping[str, Document] | None = None,
    quiet: bool = False,
    **_: object,
) -> str:
    lines: list[str] = []
    for f in findings:
        where = _style(f"{f.path}:{f.span.line}:{f.span.column}:", "1", colour)
        code = _style(f.code, "1;" + _COLOURS[f.severity], colour)
        severity = _style(f"[{f.severity.label}]", _COLOURS[f.severity], colour)
        fix = f" (fix: {f.fix})" if f.fix else ""
        lines.append(f"{where} {code} {severity} {f.message}{fix}")
        if show_source and sources and f.path in sources:
            lines.extend(_snippet(sources[f.path], f, colour))
    if not quiet:
        lines.append(_summary(findings, files_checked))
    return "\n".join(lines) + ("\n" if lines else "")


def _snippet(doc: Document, f: Finding, colour: bool) -> list[str]:
    from cfglint.masking import masked_line

    if f.span.line > doc.source.line_count:
        return []
    text = masked_line(doc, f.span.line)
    number = str(f.span.line)
    gutter = " " * len(number)
    width = (f.span.end_column - f.span.column) if f.span.end_line == f.span.line else len(text) - f.span.column + 1
    caret = " " * (f.span.column - 1) + "^" * max(1, width)
    return [
        f"{gutter} |",
        f"{number} | {text}",
        f"{gutter} | {_style(caret, _COLOURS[f.severity], colour)}",
    ]


def _summary(findings: Sequence[Finding], files_checked: int) -> str:
    counts = summary_counts(findings)
    parts = [_plural(counts["error"], "error"), _plural(counts["warning"], "warning")]
    if counts["info"]:
        parts.append(_plural(counts["info"], "info", "info"))
    return f"{', '.join(parts)} in {_plural(files_checked, 'file')}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"
