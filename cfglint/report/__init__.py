"""Output formats. Each reporter turns sorted findings into the text written to stdout."""

from __future__ import annotations

from typing import Callable, Sequence

from cfglint.findings import Finding

FORMATS = ("text", "json")


def reporter(name: str) -> Callable[..., str]:
    if name == "json":
        from cfglint.report.json_report import render_json

        return render_json
    from cfglint.report.text import render_text

    return render_text


def summary_counts(findings: Sequence[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity.label] += 1
    return counts
