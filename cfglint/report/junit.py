"""`--output-format junit`: a JUnit XML report for CI test viewers (GitLab, Jenkins, Azure...).

One `<testsuite name="cfglint">` for the run; one `<testcase>` per file checked
(`name` and `file` are its path), which passes when the file has no finding and
otherwise holds one `<failure>` per finding (`type` the code, `message` the
one-line finding, the body its severity, rule name and fix). `tests` counts the
files and `failures` the files with findings, as the JUnit schema counts failed
tests. Every text goes through an XML writer (`xml.etree`), which escapes markup;
the few characters XML 1.0 cannot hold at all (U+FFFE, U+FFFF: findings already
have their controls escaped) are written as `\\uXXXX`, so the report always parses.
"""

from __future__ import annotations

import re

from cfglint.core.finding import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Sequence


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def render_junit(findings: Sequence[Finding], *, checked_paths: Sequence[str] = (), **_: Any) -> str:
    import xml.etree.ElementTree as ET

    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    # a file with findings is a test case even if the run did not name it (a companion file)
    paths = sorted(set(checked_paths) | by_path.keys())
    failed = sum(1 for path in paths if by_path.get(path))
    counts = {"tests": str(len(paths)), "failures": str(failed), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "cfglint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "cfglint", **counts})
    for path in paths:
        name = _xml_text(path)
        case = ET.SubElement(suite, "testcase", {"classname": "cfglint", "name": name, "file": name})
        for f in by_path.get(path, ()):
            failure = ET.SubElement(case, "failure", {
                "type": f.code,
                "message": _xml_text(f"{f.path}:{f.span.line}:{f.span.column}: {f.code} {f.message}"),
            })
            failure.text = _xml_text(_body(f))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _body(f: Finding) -> str:
    lines = [f"line {f.span.line}, column {f.span.column}: {f.code} {f.name} [{f.severity.label}]", f.message]
    if f.fix:
        lines.append(f"fix: {f.fix}")
    return "\n".join(lines)
