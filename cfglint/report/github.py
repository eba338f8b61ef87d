"""`--output-format github`: one GitHub Actions workflow command per finding.

    ::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE name::message

GitHub turns each line into an annotation on the file. It parses every line of
the log, so there is no summary line. Escaping follows `@actions/core`
(`command.ts`): `%`, CR and LF in the message; also `:` and `,` in property
values, which would otherwise end the value. GitHub accepts columns only on a
single-line annotation, so a finding that spans lines gives its lines alone.
"""

from __future__ import annotations


from cfglint.core.finding import Finding, Severity
from cfglint.report import message_with_fix
from cfglint.core.text import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator, Sequence


COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A command's message: `%` first, so the escapes added after it stay intact."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as data, plus the `:` and `,` that delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding], **_: Any) -> str:
    """One command line per finding, in the order given."""
    return "".join(iter_github(findings))


def iter_github(findings: Sequence[Finding], **_: Any) -> Iterator[str]:
    return (_command(f) + "\n" for f in findings)


def _command(f: Finding) -> str:
    properties = {"file": f.path, **_position(f.span), "title": f"{f.code} {f.name}"}
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{COMMANDS[f.severity]} {rendered}::{escape_data(message_with_fix(f))}"


def _position(span: Span) -> dict[str, int]:
    """Lines always; columns (end exclusive, as in findings) only when the span is on one line."""
    if span.end_line > span.line:
        return {"line": span.line, "endLine": span.end_line}
    return {"line": span.line, "col": span.column, "endLine": span.line,
            "endColumn": max(span.end_column, span.column)}
