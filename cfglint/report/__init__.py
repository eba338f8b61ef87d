"""Output formats. Each reporter turns sorted findings into the text written to stdout."""

from __future__ import annotations

import importlib
import json
import re
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    from cfglint.core.finding import Finding

# format name -> (module, function) of its renderer, imported on demand so a run loads only its own
_RENDERERS = {
    "text": ("cfglint.report.text", "render_text"),
    "concise": ("cfglint.report.text", "render_concise"),
    "full": ("cfglint.report.text", "render_full"),
    "json": ("cfglint.report.json_report", "render_json"),
    "json-lines": ("cfglint.report.json_report", "render_json_lines"),
    "sarif": ("cfglint.report.sarif", "render_sarif"),
    "github": ("cfglint.report.github", "render_github"),
    "gitlab": ("cfglint.report.gitlab", "render_gitlab"),
    "junit": ("cfglint.report.junit", "render_junit"),
}
FORMATS = tuple(_RENDERERS)
JSON_FORMATS = ("json", "json-lines", "sarif", "gitlab")
XML_FORMATS = ("junit",)
# The formats a terminal reads: the only ones ever coloured (escapes would corrupt JSON, XML or workflow commands).
TERMINAL_FORMATS = ("text", "concise", "full")
# The formats that read the source lines of the findings (snippets, fingerprints): their runs keep
# the documents, so they are not served from the result cache, as with `--show-source`.
SOURCE_FORMATS = ("full", "gitlab")
# The formats `--statistics` can print in (`cfglint.report.statistics`): the others have no place for a table.
STATISTICS_FORMATS = ("text", "concise", "full", "json", "json-lines")
_NON_ASCII = r"[^\x00-\x7f]"  # compiled (by `re`'s cache) only when an output needs escaping


def reporter(name: str) -> Callable[..., str]:
    """The renderer for an output format."""
    module, function = _RENDERERS.get(name, _RENDERERS["text"])
    return getattr(importlib.import_module(module), function)


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
    """`output` ready for a stream of `encoding`: a JSON or XML format that the encoding cannot
    hold (`PYTHONIOENCODING=latin-1`, a C locale) gets `\\u` escapes or character references,
    which keep it valid and mean the same; text formats are left to the stream's
    `backslashreplace` (`cli.main`)."""
    if output_format not in JSON_FORMATS + XML_FORMATS:
        return output
    try:
        output.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        if output_format in XML_FORMATS:
            # Non-ASCII characters can only be in attribute values and text, where `&#xNNNN;` means the same.
            return re.sub(_NON_ASCII, lambda match: f"&#x{ord(match.group()):x};", output)
        # Non-ASCII characters can only be inside JSON strings, where `\\uXXXX` means the same.
        return re.sub(_NON_ASCII, lambda match: json.dumps(match.group()).strip('"'), output)
    return output
