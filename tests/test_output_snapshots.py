"""Snapshots of the text and json reports on the shipped examples (review every change)."""

from __future__ import annotations

from conftest import REPO


def test_text_report(cli, snapshot):
    result = cli("check", "--select", "SYN,SCH", "examples", cwd=REPO)
    assert result.exit_code == 1
    assert result.stdout == snapshot


def test_text_report_with_source(cli, snapshot):
    result = cli("check", "--show-source", "--select", "SYN,SCH", "examples/kilo/bad/kilo.jsonc", cwd=REPO)
    assert result.stdout == snapshot


def test_json_report(cli, snapshot):
    result = cli("check", "--output-format", "json", "--select", "SYN,SCH", "examples/hermes", "examples/kimi-cli",
                 cwd=REPO)
    assert result.stdout == snapshot
