"""`check --statistics`: how many findings of each code, instead of the findings, as with
`ruff check --statistics`.

Rows are sorted by count (most first), then code. A code whose findings carry
different severities (a rule grades each finding by its effect, and `severity`
overrides apply per file) has a row per severity, so every count is exact. Terminal formats print an aligned table and the
summary line (`[*]`: `--fix` fixes some of them); `json` one list of `{code, name, severity, count,
fixable}` objects, `json-lines`
one such object a line. Other formats have no place for it (`cfglint.report.STATISTICS_FORMATS`).
"""

from __future__ import annotations

import json
from collections import Counter

from cfglint.core.finding import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Sequence


def statistics(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    counts = Counter((f.code, f.name, f.severity) for f in findings)
    fixable = Counter((f.code, f.name, f.severity) for f in findings if f.fix_applicability == "safe")
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], -item[0][2]))
    return [{"code": code, "name": name, "severity": severity.label, "count": count,
             "fixable": fixable[code, name, severity]}
            for (code, name, severity), count in rows]


def render_statistics(findings: Sequence[Finding], output_format: str, *, files_checked: int = 0,
                      colour: bool = False, quiet: bool = False) -> str:
    rows = statistics(findings)
    if output_format == "json":
        return json.dumps(rows, indent=2) + "\n"
    if output_format == "json-lines":
        return "".join(json.dumps(row) + "\n" for row in rows)
    from cfglint.core.finding import Severity
    from cfglint.report.text import styled_code, summary

    count_width = max((len(str(row["count"])) for row in rows), default=0)
    code_width = max((len(row["code"]) for row in rows), default=0)
    severity_width = max((len(row["severity"]) for row in rows), default=0)
    lines = [
        f"{row['count']:>{count_width}}  "
        f"{styled_code(row['code'], Severity.parse(row['severity']), colour)}{' ' * (code_width - len(row['code']))}  "
        f"{row['severity']:<{severity_width}}  {'[*] ' if row['fixable'] else ''}{row['name']}"
        for row in rows
    ]
    if not quiet:
        lines.append(summary(findings, files_checked))
    return "\n".join(lines) + ("\n" if lines else "")
