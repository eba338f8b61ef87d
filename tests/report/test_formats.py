"""The output formats on the shipped examples: exact snapshots of the new ones, each readable by
its consumer, and the same bytes whether a run is fresh or comes from the result cache."""

from __future__ import annotations

import json

import pytest

from cfglint.report import FORMATS, SOURCE_FORMATS, encodable, reporter
from conftest import REPO

NEW_FORMATS = ("concise", "full", "json-lines", "gitlab", "junit")
EXAMPLES = ("check", "--select", "SYN,SCH", "examples")


@pytest.mark.parametrize("output_format", NEW_FORMATS)
def test_snapshot_on_the_examples(cli, snapshot, output_format):
    result = cli(*EXAMPLES, "--output-format", output_format, cwd=REPO)
    assert result.exit_code == 1
    assert result.stdout == snapshot


def test_every_format_is_offered():
    assert set(NEW_FORMATS) | {"text", "json", "sarif", "github"} == set(FORMATS)
    assert all(callable(reporter(name)) for name in FORMATS)


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_cached_run_prints_the_same_as_a_fresh_one(cli, tmp_path, output_format):
    fresh = cli(*EXAMPLES, "--output-format", output_format, "--no-cache", cwd=REPO)
    cold = cli(*EXAMPLES, "--output-format", output_format, cwd=REPO)  # writes the entry (or skips the cache)
    warm = cli(*EXAMPLES, "--output-format", output_format, cwd=REPO)
    assert fresh.stdout == cold.stdout == warm.stdout and fresh.exit_code == warm.exit_code == 1
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert bool(entries) == (output_format not in SOURCE_FORMATS)  # snippets and fingerprints read the lines


def test_junit_from_the_cache_still_lists_the_files_without_findings(cli, tmp_path):
    """The entry stores which files were checked, so clean files stay passing test cases."""
    args = ("check", "--output-format", "junit", "examples/kilo")
    cold, warm = cli(*args, cwd=REPO), cli(*args, cwd=REPO)
    assert list((tmp_path / "cache").rglob("*.json")) and warm.stdout == cold.stdout
    assert 'name="examples/kilo/good/kilo.jsonc"' in warm.stdout


def test_json_lines_is_the_json_list_one_finding_a_line(cli):
    lines = cli(*EXAMPLES, "--output-format", "json-lines", cwd=REPO).stdout.splitlines()
    listed = json.loads(cli(*EXAMPLES, "--output-format", "json", cwd=REPO).stdout)
    assert [json.loads(line) for line in lines] == listed and len(lines) > 5
    assert all(list(json.loads(line)) == list(listed[0]) for line in lines)  # the same keys, in order


def test_concise_is_one_line_a_finding_without_severity_or_fix(cli):
    result = cli(*EXAMPLES, "--output-format", "concise", cwd=REPO)
    findings = json.loads(cli(*EXAMPLES, "--output-format", "json", cwd=REPO).stdout)
    *lines, summary, fixable = result.stdout.splitlines()
    assert lines == [f"{f['path']}:{f['line']}:{f['column']}: {f['code']}"
                     + (" [*]" if f["fix_applicability"] == "safe" else "") + f" {f['message']}" for f in findings]
    assert summary.endswith(" files") and "(fix:" not in result.stdout
    assert fixable == f"[*] {sum(f['fix_applicability'] == 'safe' for f in findings)} fixable with `cfglint check --fix`"


def test_full_puts_the_fix_on_its_own_line_under_the_snippet(cli):
    result = cli("check", "--output-format", "full", "examples/kilo/bad/kilo.jsonc", cwd=REPO)
    lines = result.stdout.splitlines()
    at = lines.index(next(line for line in lines if ": SCH002 [error] unknown key `compation`" in line))
    assert lines[at + 1:at + 5] == ["  |", '4 |   "compation": { "auto": true },', "  |   ^^^^^^^^^^^",
                                    "  = fix: did you mean `compaction`?"]
    assert "(fix:" not in result.stdout


def test_empty_runs(cli, write, tmp_path):
    write("repo/kilo.json", '{"model": "anthropic/claude-sonnet-4-5"}\n')
    outputs = {name: cli("check", "--output-format", name, "repo", cwd=tmp_path).stdout for name in NEW_FORMATS}
    assert outputs["json-lines"] == "" and json.loads(outputs["gitlab"]) == []
    assert outputs["concise"] == outputs["full"] == "0 errors, 0 warnings in 1 file\n"
    assert 'tests="1" failures="0"' in outputs["junit"]


@pytest.mark.parametrize(("output_format", "expected"), [
    ("junit", '<failure message="Zo&#xeb; &#x1f642;">'),
    ("gitlab", '"Zo\\u00eb \\U0001f642"'.replace("\\U0001f642", "\\ud83d\\ude42")),
    ("json-lines", '"Zo\\u00eb \\ud83d\\ude42"'),
])
def test_a_narrow_encoding_gets_escapes_that_mean_the_same(output_format, expected):
    output = {"junit": '<failure message="Zoë 🙂">', "gitlab": '"Zoë 🙂"', "json-lines": '"Zoë 🙂"'}[output_format]
    assert encodable(output, output_format, "latin-1") == expected
    assert encodable(output, output_format, "utf-8") == output


@pytest.mark.parametrize("change", [
    lambda payload: payload.pop("checked"),
    lambda payload: payload.update(checked=[1]),
    lambda payload: payload.update(checked=[[7, "kilo.jsonc"]]),  # not a file of the entry's group
])
def test_a_cache_entry_with_a_broken_file_list_is_discarded(cli, tmp_path, change):
    args = ("check", "--output-format", "junit", "examples/kilo")
    cold = cli(*args, cwd=REPO)
    entries = list((tmp_path / "cache").rglob("*.json"))  # one per configuration
    for entry in entries:
        payload = json.loads(entry.read_text(encoding="utf-8"))
        change(payload)
        entry.write_text(json.dumps(payload), encoding="utf-8")
    assert cli(*args, cwd=REPO).stdout == cold.stdout
    assert entries and all(json.loads(e.read_text(encoding="utf-8"))["checked"] for e in entries)  # rewritten
