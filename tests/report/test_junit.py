"""`--output-format junit`: XML that parses, one test case per file checked, one failure per
finding, counts that agree, and every text escaped."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from cfglint.core.finding import Finding, Severity
from cfglint.core.text import Span
from cfglint.report.junit import render_junit
from conftest import REPO


def test_counts_match_the_files_and_findings_of_the_run(cli):
    result = cli("check", "--output-format", "junit", "examples", cwd=REPO)
    findings = json.loads(cli("check", "--output-format", "json", "examples", cwd=REPO).stdout)
    summary = next(line for line in cli("check", "examples", cwd=REPO).stdout.splitlines() if " in " in line
                   and line.endswith((" file", " files")))
    root = ET.fromstring(result.stdout.encode("utf-8"))
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    files = int(summary.rsplit(" in ", 1)[1].split()[0])
    assert root.tag == "testsuites" and len(cases) == files
    failed = [case for case in cases if case.findall("failure")]
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == (
            str(files), str(len(failed)), "0")
    assert sum(len(case.findall("failure")) for case in cases) == len(findings)
    assert {case.get("name") for case in failed} == {f["path"] for f in findings}
    assert [f.get("type") for case in cases for f in case.findall("failure")] == [
        f["code"] for f in sorted(findings, key=lambda f: f["path"])]


def test_markup_and_characters_xml_cannot_hold_are_escaped():
    path = 'we<ird>&"\'/kilo.json'
    message = "</failure><injected/> & \uffff \ufffe \udc80 Zoë"
    finding = Finding(path, Span(1, 1, 1, 2), "SCH002", "unknown-key", Severity.ERROR, message, "fix <it>")
    # as every reporter gets them: printable (controls and lone surrogates escaped)
    root = ET.fromstring(render_junit([finding.printable()], checked_paths=[path, "ok.json"]).encode("utf-8"))
    clean, broken = sorted(root.iter("testcase"), key=lambda case: case.get("name") == path)
    assert clean.get("name") == "ok.json" and not clean.findall("failure")
    [failure] = broken.findall("failure")
    assert broken.get("name") == broken.get("file") == path
    assert failure.get("message") == f"{path}:1:1: SCH002 </failure><injected/> & \\uffff \\ufffe \\udc80 Zoë"
    assert failure.text.endswith("fix: fix <it>") and not root.findall(".//injected")


def test_a_run_without_files_is_an_empty_suite():
    root = ET.fromstring(render_junit([], checked_paths=[]))
    assert root.get("tests") == "0" and root.find("testsuite").findall("testcase") == []
