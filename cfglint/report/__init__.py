"""Output formats. Each reporter turns sorted findings into the text written to stdout."""

from __future__ import annotations

import json
import re
from typing import Callable, Sequence

from cfglint.core.finding import Finding

FORMATS = ("text", "json", "sarif", "github")
JSON_FORMATS = ("json", "sarif")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def reporter(name: str) -> Callable[..., str]:
    """The renderer for an output format; imported on demand, so a run loads only its own."""
    if name == "json":
        from cfglint.report.json_report import render_json

        return render_json
    if name == "sarif":
        from cfglint.report.sarif import render_sarif

        return render_sarif
    if name == "github":
        from cfglint.report.github import render_github

        return render_github
    from cfglint.report.text import render_text

    return render_text


def summary_counts(findings: Sequence[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity.label] += 1
    return counts


def message_with_fix(finding: Finding) -> str:
    """The message with the fix appended as its own sentence, for formats that show one text."""
    if not finding.fix:
        return finding.message
    stop = "" if finding.message.endswith((".", "!", "?")) else "."
    return f"{finding.message}{stop} Fix: {finding.fix}"


def encodable(output: str, output_format: str, encoding: str | None) -> str:
    """`output` ready for a stream of `encoding`: a JSON format that the encoding cannot hold
    (`PYTHONIOENCODING=latin-1`, a C locale) gets `\\u` escapes, which keep it valid JSON;
    text formats are left to the stream's `backslashreplace` (`cli.main`)."""
    if output_format not in JSON_FORMATS:
        return output
    try:
        output.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        # Non-ASCII characters can only be inside JSON strings, where `\\uXXXX` means the same.
        return _NON_ASCII.sub(lambda match: json.dumps(match.group()).strip('"'), output)
    return output
