"""`check --statistics`: counts per code (and severity), most first, instead of the findings."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from cfglint.core.finding import Finding, Severity
from cfglint.core.text import Span
from cfglint.report.statistics import render_statistics, statistics
from conftest import REPO


def finding(code, severity=Severity.WARNING, name="a-rule"):
    return Finding("kilo.json", Span(1, 1, 1, 2), code, name, severity, "m")


def test_rows_are_sorted_by_count_then_code_then_severity():
    findings = [finding("SCH002"), finding("CMP001"), finding("SCH002"), finding("SCH001"),
                finding("SCH001", Severity.ERROR), finding("SCH001")]
    assert [(row["code"], row["severity"], row["count"]) for row in statistics(findings)] == [
        ("SCH001", "warning", 2), ("SCH002", "warning", 2), ("CMP001", "warning", 1), ("SCH001", "error", 1)]


def test_text_table_is_aligned_and_ends_with_the_summary():
    findings = [finding("SCH002", name="unknown-key")] * 12 + [finding("CMP10", Severity.ERROR, "x")]
    assert render_statistics(findings, "text", files_checked=2) == (
        "12  SCH002  warning  unknown-key\n"
        " 1  CMP10   error    x\n"
        "1 error, 12 warnings in 2 files\n")
    assert render_statistics(findings, "concise", quiet=True).splitlines()[-1] == " 1  CMP10   error    x"
    assert render_statistics([], "text", quiet=True) == ""


def test_cli_counts_agree_with_the_findings(cli):
    findings = json.loads(cli("check", "--output-format", "json", "examples", cwd=REPO).stdout)
    result = cli("check", "--statistics", "--output-format", "json", "examples", cwd=REPO)
    rows = json.loads(result.stdout)
    assert result.exit_code == 1  # exit codes unchanged
    assert {(r["code"], r["name"], r["severity"]): r["count"] for r in rows} == Counter(
        (f["code"], f["name"], f["severity"]) for f in findings)
    assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)
    lines = cli("check", "--statistics", "--output-format", "json-lines", "examples", cwd=REPO).stdout.splitlines()
    assert [json.loads(line) for line in lines] == rows


def test_text_statistics_snapshot(cli, snapshot):
    assert cli("check", "--statistics", "--select", "SYN,SCH", "examples", cwd=REPO).stdout == snapshot


@pytest.mark.parametrize("output_format", ["sarif", "github", "gitlab", "junit"])
def test_formats_without_a_place_for_statistics_are_a_usage_error(cli, output_format):
    result = cli("check", "--statistics", "--output-format", output_format, "examples", cwd=REPO)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("cfglint: --statistics works with --output-format text, concise, full, json")
