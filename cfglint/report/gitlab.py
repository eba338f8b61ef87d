"""`--output-format gitlab`: a GitLab Code Quality report (a JSON list of Code Climate issues).

GitLab reads `description`, `check_name`, `fingerprint`, `severity` and
`location.path` with `location.lines.begin`, and compares the fingerprints of the
merge request's report with the target branch's: a finding whose fingerprint is in
both is unchanged, one only in the new report is new. So the fingerprint hashes what
identifies the finding, not where it is: the path, the code, the source line's text
(stripped, credentials masked) and the text under the finding's span on it, never
the line number, so an edit elsewhere in the file does not make every finding below
it "new". Findings that still hash alike (the same code twice on one line) are told
apart by their order.

Severities: info -> info, warning -> minor, error -> major, and an error that stops the
file from being read at all (SYN) -> critical. Paths are as cfglint prints them: run it
from the repository root, as GitLab expects paths relative to it.
"""

from __future__ import annotations

import hashlib
import json

from cfglint.core.document import Document
from cfglint.core.finding import Finding, Severity, one_line
from cfglint.report import message_with_fix

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Mapping, Sequence


SEVERITIES = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}
UNREADABLE_PREFIX = "SYN"  # the file could not be read or parsed: nothing else in it was checked


def render_gitlab(findings: Sequence[Finding], *, sources: Mapping[str, Document] | None = None,
                  **_: Any) -> str:
    """The report as indented JSON, one issue per finding in the order given."""
    by_path = {one_line(path): doc for path, doc in (sources or {}).items()}  # finding paths are escaped
    seen: dict[str, int] = {}
    issues = []
    for f in findings:
        identity = _identity(f, by_path.get(f.path))
        seen[identity] = seen.get(identity, -1) + 1
        issues.append(_issue(f, hashlib.sha256(f"{identity}\0{seen[identity]}".encode()).hexdigest()))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _issue(f: Finding, fingerprint: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "description": f"{f.code} {f.name}: {message_with_fix(f)}",
        "check_name": f.code,
        "fingerprint": fingerprint,
        "severity": severity(f),
        "location": {"path": f.path, "lines": {"begin": max(1, f.span.line), "end": max(1, f.span.line,
                                                                                           f.span.end_line)}},
    }


def severity(f: Finding) -> str:
    if f.severity is Severity.ERROR and f.code.startswith(UNREADABLE_PREFIX):
        return "critical"
    return SEVERITIES[f.severity]


def _identity(f: Finding, doc: Document | None) -> str:
    """What the fingerprint hashes, before the occurrence number: JSON, so no part can run into another."""
    line_text = spanned = ""
    if doc is not None and 1 <= f.span.line <= doc.source.line_count:
        from cfglint.report.masking import masked_line

        line_text = masked_line(doc, f.span.line)
        end = f.span.end_column - 1 if f.span.end_line == f.span.line else len(line_text)
        spanned = line_text[max(f.span.column - 1, 0):max(end, f.span.column - 1)]
    return json.dumps([f.path, f.code, line_text.strip(), spanned.strip()], ensure_ascii=True)
