"""`--output-format sarif`: one SARIF 2.1.0 log for code-scanning tools (GitHub code scanning and others).

The driver lists every registered rule, not only the ones that fired, so a
viewer can explain any code, and an alert that disappears still has its rule.
Rules are in code order and results in the order given, so the same findings
always give the same bytes.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import PurePath

from cfglint.core.finding import Finding, Severity
from cfglint.report import message_with_fix
from cfglint.rules.base import Rule
from cfglint.core.text import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator, Sequence


SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
# Relative artifact URIs are resolved against the analysed checkout; GitHub maps this id to it.
SOURCE_ROOT = "%SRCROOT%"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


_RESULTS = "\0results"  # where the results go in the log written around them (JSON escapes the NUL: no text matches)


def render_sarif(findings: Sequence[Finding], **_: Any) -> str:
    """The whole log as indented JSON (non-ASCII kept as is, like the json format)."""
    return "".join(iter_sarif(findings))


def iter_sarif(findings: Sequence[Finding], **_: Any) -> Iterator[str]:
    """The log, its results one by one: the log is written with a marker in their place, and
    the indented list goes where the marker is."""
    from cfglint import __version__
    from cfglint.core.project_urls import homepage
    from cfglint.report import json_list_pieces
    from cfglint.rules import all_rules

    home = homepage()
    rules = all_rules()
    index = {code: position for position, code in enumerate(rules)}
    log = {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cfglint",
                        "version": __version__,
                        "informationUri": home,
                        "rules": [_descriptor(cls, home) for cls in rules.values()],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": _RESULTS,
            }
        ],
    }
    before, _, after = json.dumps(log, indent=2, ensure_ascii=False).partition(json.dumps(_RESULTS))
    yield before
    yield from json_list_pieces((_result(f, index[f.code]) for f in findings), level=3)
    yield after + "\n"


def _descriptor(cls: type[Rule], home: str) -> dict[str, Any]:
    """One `reportingDescriptor`: the rule's own documentation, and a link to its page."""
    from cfglint.rules.docs import help_uri, render_rule

    return {
        "id": cls.code,
        "name": cls.name,
        "shortDescription": {"text": cls.summary},
        "fullDescription": {"text": cls.doc.what},
        "help": {"text": _help_text(cls), "markdown": render_rule(cls)},
        "helpUri": help_uri(cls.code, home),
        "defaultConfiguration": {"level": LEVELS[cls.severity]},
    }


def _help_text(cls: type[Rule]) -> str:
    """The rule's documentation as plain text, for viewers that do not render Markdown."""
    doc = cls.doc
    example = doc.example.strip("\n")
    return (
        f"{cls.summary}\n\n"
        f"What it checks: {doc.what}\n\n"
        f"Why it matters: {doc.why}\n\n"
        f"Example:\n{example}\n\n"
        f"Fix: {doc.fix}"
    )


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    return {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": message_with_fix(f)},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact_location(f.path), "region": region(f.span)}}
        ],
        "properties": {"dialect": f.dialect, "harness_version": f.harness_version, "details": f.details},
    }


def artifact_location(path: str) -> dict[str, str]:
    """The finding's file as a URI: an absolute path as a `file:` URI; a relative one as a
    percent-encoded relative reference with forward slashes, based at the source root."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    # quote() keeps only unreserved characters and "/", so a ":" in the first segment
    # cannot be read as a URI scheme.
    return {"uri": urllib.parse.quote(pure.as_posix()), "uriBaseId": SOURCE_ROOT}


def region(span: Span) -> dict[str, int]:
    """SARIF's region (end column exclusive, as in findings), never ending before it starts."""
    start_line, start_column = max(1, span.line), max(1, span.column)
    end_line = max(start_line, span.end_line)
    end_column = max(1, span.end_column)
    if end_line == start_line:
        end_column = max(start_column, end_column)
    return {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}
