"""`--output-format gitlab`: a Code Quality report GitLab can read, whose fingerprints survive
edits elsewhere in the file and never hash a credential."""

from __future__ import annotations

import json

import pytest

from cfglint.core.finding import Finding, Severity
from cfglint.core.text import Span
from cfglint.report.gitlab import render_gitlab
from conftest import REPO

GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
KILO = '{\n  "model": "anthropic/claude-sonnet-4-5",\n  "compation": {},\n  "autoshare": false\n}\n'
ONE_LINE_WITH_SECRET = '{"model": "anthropic/claude-sonnet-4-5", "compation": {}, "apiKey": "sk-live-%s"}\n'


def report(cli, *args, cwd):
    result = cli("check", "--output-format", "gitlab", *args, cwd=cwd)
    return json.loads(result.stdout)


def test_every_issue_has_what_gitlab_requires_and_a_unique_fingerprint(cli):
    issues = report(cli, "examples", cwd=REPO)
    findings = json.loads(cli("check", "--output-format", "json", "examples", cwd=REPO).stdout)
    assert len(issues) == len(findings) > 20
    for issue, finding in zip(issues, findings):
        assert isinstance(issue["description"], str) and finding["message"] in issue["description"]
        assert issue["check_name"] == finding["code"]
        assert isinstance(issue["fingerprint"], str) and len(issue["fingerprint"]) == 64
        assert issue["severity"] in GITLAB_SEVERITIES
        assert issue["location"]["path"] == finding["path"]
        assert issue["location"]["lines"]["begin"] == finding["line"] >= 1
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


@pytest.mark.parametrize(("severity", "code", "expected"), [
    (Severity.INFO, "CMP004", "info"), (Severity.WARNING, "SCH002", "minor"), (Severity.ERROR, "SCH001", "major"),
    (Severity.ERROR, "SYN001", "critical"),
])
def test_severity_mapping(severity, code, expected):
    finding = Finding("kilo.json", Span(1, 1, 1, 2), code, "name", severity, "message")
    assert json.loads(render_gitlab([finding]))[0]["severity"] == expected


def fingerprints(cli, write, tmp_path, text):
    write("repo/kilo.jsonc", text)
    return {issue["check_name"]: issue["fingerprint"] for issue in report(cli, "repo", cwd=tmp_path)}


def test_a_fingerprint_survives_lines_added_above(cli, write, tmp_path):
    before = fingerprints(cli, write, tmp_path, KILO)
    after = fingerprints(cli, write, tmp_path, KILO.replace("{\n", '{\n  // a comment\n\n  "share": "manual",\n', 1))
    assert set(before) == {"SCH002", "SCH003"} and after == before


def test_a_fingerprint_follows_the_line_it_is_about(cli, write, tmp_path):
    before = fingerprints(cli, write, tmp_path, KILO)
    after = fingerprints(cli, write, tmp_path, KILO.replace('"compation": {}', '"compation": {"auto": true}'))
    assert after["SCH002"] != before["SCH002"] and after["SCH003"] == before["SCH003"]


def test_the_same_file_elsewhere_is_a_different_finding(cli, write, tmp_path):
    write("repo/a/kilo.jsonc", KILO)
    write("repo/b/kilo.jsonc", KILO)
    issues = report(cli, "repo", cwd=tmp_path)
    assert len(issues) == 4 and len({issue["fingerprint"] for issue in issues}) == 4


def test_findings_alike_in_every_part_are_told_apart_by_their_order():
    twice = [Finding("kilo.json", Span(1, 3, 1, 5), "SCH002", "unknown-key", Severity.ERROR, "m")] * 2
    first, second = json.loads(render_gitlab(twice))
    assert first["fingerprint"] != second["fingerprint"]
    assert [i["fingerprint"] for i in json.loads(render_gitlab(twice))] == [first["fingerprint"],
                                                                            second["fingerprint"]]


def test_findings_on_one_line_differ_by_the_text_under_them(cli, write, tmp_path):
    write("repo/kilo.json", ONE_LINE_WITH_SECRET % "abcdefghijklmnop")
    issues = report(cli, "repo", cwd=tmp_path)
    assert len(issues) == 2 and issues[0]["fingerprint"] != issues[1]["fingerprint"]


def test_the_fingerprint_hashes_the_masked_line_and_the_report_holds_no_secret(cli, write, tmp_path):
    write("repo/kilo.json", ONE_LINE_WITH_SECRET % "abcdefghijklmnop")
    first = cli("check", "--output-format", "gitlab", "repo", cwd=tmp_path).stdout
    write("repo/kilo.json", ONE_LINE_WITH_SECRET % "ponmlkjihgfedcba")  # same length, another secret
    second = cli("check", "--output-format", "gitlab", "repo", cwd=tmp_path).stdout
    assert first == second and "abcdefghijklmnop" not in first
