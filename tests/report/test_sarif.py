"""`--output-format sarif`: valid against the official SARIF 2.1.0 schema (tests/data), one
descriptor per registered rule, levels by severity, positions in code points."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata as importlib_metadata
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, FormatChecker

from cfglint import __version__
from cfglint.core.finding import Finding, Severity
from cfglint.core.project_urls import FALLBACK_HOMEPAGE, homepage
from cfglint.report import FORMATS, reporter
from cfglint.report.sarif import artifact_location, region, render_sarif
from cfglint.rules import all_rules
from cfglint.core.text import Span
from conftest import REPO

SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-2.1.0.json").read_text(encoding="utf-8"))

# jsonschema checks "uri" and "uri-reference" only with optional packages; these RFC 3986
# character-level checks keep the schema's format constraints enforced without them.
_URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
FORMATS_CHECKED = FormatChecker()
FORMATS_CHECKED.checks("uri-reference")(lambda v: not isinstance(v, str) or bool(_URI_REFERENCE.match(v)))
FORMATS_CHECKED.checks("uri")(
    lambda v: not isinstance(v, str) or bool(_URI_REFERENCE.match(v) and _SCHEME.match(v)))
VALIDATOR = Draft7Validator(SCHEMA, format_checker=FORMATS_CHECKED)

# A small fixed project: a Kimi Code config with no headroom at the trigger (warning), a Kilo
# file with an unknown key after non-ASCII text (error), and a Kilo file in a directory whose
# name has a space, with auto-compaction off (info).
KIMI_CODE = """\
default_model = "zhipu/glm-5.2"
[providers.zhipu]
type = "openai"
base_url = "https://open.bigmodel.cn/api/paas/v4"
api_key = ""
[models."zhipu/glm-5.2"]
provider = "zhipu"
model = "glm-5.2"
max_context_size = 1000000
max_output_size = 131072
[loop_control]
reserved_context_size = 50000
compaction_trigger_ratio = 0.99
"""
NON_ASCII_LINE = '  "username": "Zoë 🙂", "compation": {"auto": false},'
KILO_UNKNOWN_KEY = ('{\n  "model": "anthropic/claude-sonnet-4-5",\n' + NON_ASCII_LINE
                    + '\n  "compaction": {"auto": false}\n}\n')
KILO_NO_AUTO = '{\n  "model": "anthropic/claude-sonnet-4-5",\n  "compaction": {"auto": false}\n}\n'


@pytest.fixture
def project(write, tmp_path):
    write("repo/.kimi-code/config.toml", KIMI_CODE)
    write("repo/proj/kilo.jsonc", KILO_UNKNOWN_KEY)
    write("repo/team configs/kilo.json", KILO_NO_AUTO)
    return tmp_path / "repo"


@pytest.fixture
def sarif(cli, project):
    """The SARIF log of `cfglint check --output-format sarif .` run inside the project."""
    result = cli("check", "--output-format", "sarif", ".", cwd=project)
    assert result.exit_code == 1, result.stderr
    return json.loads(result.stdout)


def results_by_rule(log):
    return {r["ruleId"]: r for r in log["runs"][0]["results"]}


def schema_errors(log):
    return sorted(error.message for error in VALIDATOR.iter_errors(log))


# --- the schema file --------------------------------------------------------------------------


def test_schema_file_is_the_official_sarif_2_1_0_schema():
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(SCHEMA)


def test_the_validator_rejects_what_the_schema_forbids():
    """Guards the guard: a log with a bad level, a zero line and a bad URI fails validation."""
    log = json.loads(render_sarif([Finding("a.json", Span(1, 1, 1, 2), "SYN001", "invalid-syntax", Severity.ERROR, "m")]))
    result = log["runs"][0]["results"][0]
    result["level"] = "fatal"
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b.json"
    assert len(schema_errors(log)) == 3


# --- the log ----------------------------------------------------------------------------------


def test_report_on_real_findings_is_valid_sarif(sarif):
    assert schema_errors(sarif) == []
    assert sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["tool"]["driver"]["name"] == "cfglint"
    assert run["tool"]["driver"]["version"] == __version__
    assert run["tool"]["driver"]["informationUri"] == homepage()
    assert sorted(results_by_rule(sarif)) == ["CMP001", "CMP002", "SCH002"]


def test_no_findings_is_a_valid_log_with_every_rule_and_no_results():
    log = json.loads(render_sarif([]))
    assert schema_errors(log) == []
    assert log["runs"][0]["results"] == []
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == len(all_rules())


def test_every_registered_rule_appears_once_sorted_with_its_documentation(sarif):
    descriptors = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == sorted(all_rules())
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    for descriptor, cls in zip(descriptors, all_rules().values()):
        assert descriptor["name"] == cls.name
        assert descriptor["shortDescription"] == {"text": cls.summary}
        assert descriptor["fullDescription"] == {"text": cls.doc.what}
        for part in (cls.doc.what, cls.doc.why, cls.doc.fix, cls.doc.example.strip().splitlines()[0]):
            assert part in descriptor["help"]["text"] and part in descriptor["help"]["markdown"]
        assert descriptor["helpUri"] == f"{homepage()}/blob/main/docs/rules/{cls.code}.md"
        assert descriptor["defaultConfiguration"] == {"level": levels[cls.severity]}


def test_help_uri_names_a_rule_page_committed_under_docs(sarif):
    for descriptor in sarif["runs"][0]["tool"]["driver"]["rules"]:
        page = descriptor["helpUri"].split("/blob/main/", 1)[1]
        assert (REPO / page).is_file(), page


def test_rule_index_points_at_the_descriptor_of_the_rule(sarif):
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    for result in sarif["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_levels_follow_severity_and_an_info_finding_is_a_note(sarif):
    results = results_by_rule(sarif)
    assert results["SCH002"]["level"] == "error"
    assert results["CMP001"]["level"] == "warning"
    assert results["CMP002"]["level"] == "note"  # CMP002's default is warning; this finding is info


@pytest.mark.parametrize(("severity", "level"), [(Severity.ERROR, "error"), (Severity.WARNING, "warning"),
                                                 (Severity.INFO, "note")])
def test_every_severity_maps_to_its_level(severity, level):
    log = json.loads(render_sarif([Finding("a.json", Span(1, 1, 1, 2), "SCH001", "invalid-value", severity, "m")]))
    assert log["runs"][0]["results"][0]["level"] == level


def test_columns_count_code_points_and_end_is_exclusive(sarif):
    region_ = results_by_rule(sarif)["SCH002"]["locations"][0]["physicalLocation"]["region"]
    column = NON_ASCII_LINE.index('"compation"') + 1
    utf16_column = len(NON_ASCII_LINE[:column - 1].encode("utf-16-le")) // 2 + 1
    assert column != utf16_column  # the line has a character outside the BMP: the two kinds differ
    assert region_ == {"startLine": 3, "startColumn": column, "endLine": 3,
                       "endColumn": column + len('"compation"')}


def test_message_carries_the_fix_and_properties_carry_the_numbers(sarif):
    result = results_by_rule(sarif)["SCH002"]
    assert result["message"]["text"].endswith(". Fix: did you mean `compaction`?")
    assert result["properties"] == {"dialect": "kilo", "harness_version": result["properties"]["harness_version"],
                                    "details": {"key": "compation", "did_you_mean": "compaction"}}
    assert results_by_rule(sarif)["CMP001"]["properties"]["details"]  # the budget numbers


def test_relative_paths_are_percent_encoded_uris_under_the_source_root(sarif):
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                  for r in sarif["runs"][0]["results"])
    assert uris == [".kimi-code/config.toml", "proj/kilo.jsonc", "team%20configs/kilo.json"]
    for result in sarif["runs"][0]["results"]:
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"


@pytest.mark.parametrize(("path", "uri"), [
    ("proj/kilo.jsonc", "proj/kilo.jsonc"),
    ("team configs/kilo.json", "team%20configs/kilo.json"),
    ("a:b/100%/x#y?.json", "a%3Ab/100%25/x%23y%3F.json"),  # ":" first: not read as a scheme
    ("naïve/kilo.json", "na%C3%AFve/kilo.json"),
    ("./proj//kilo.json", "proj/kilo.json"),
])
def test_artifact_location_of_a_relative_path(path, uri):
    assert artifact_location(path) == {"uri": uri, "uriBaseId": "%SRCROOT%"}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX absolute path")
def test_artifact_location_of_an_absolute_path_is_a_file_uri():
    assert artifact_location("/srv/team configs/kilo.json") == {"uri": "file:///srv/team%20configs/kilo.json"}


@pytest.mark.parametrize(("span", "expected"), [
    (Span(3, 5, 3, 9), (3, 5, 3, 9)),
    (Span(1, 1, 1, 1), (1, 1, 1, 1)),      # an insertion point (empty file, missing key)
    (Span(3, 5, 3, 2), (3, 5, 3, 5)),      # end before start on one line
    (Span(4, 7, 2, 1), (4, 7, 4, 7)),      # end line before start line
    (Span(2, 3, 5, 1), (2, 3, 5, 1)),      # several lines: the end column is on the end line
])
def test_region_never_ends_before_it_starts(span, expected):
    got = region(span)
    assert (got["startLine"], got["startColumn"], got["endLine"], got["endColumn"]) == expected
    assert list(Draft7Validator(SCHEMA["definitions"]["region"]).iter_errors(got)) == []


def test_output_is_deterministic(cli, project):
    first = cli("check", "--output-format", "sarif", ".", cwd=project).stdout
    assert cli("check", "--output-format", "sarif", ".", cwd=project).stdout == first


def test_sarif_snapshot(sarif, snapshot):
    """The log for the fixed project. Rule descriptors are cut to id, name, helpUri and level
    (their texts are the rules' docs, compared one by one above), and the version is checked
    above, so the snapshot changes with the report's shape and results, not with doc edits.
    Re-serialised as the renderer does, so the snapshot shows the output's own key order."""
    driver = sarif["runs"][0]["tool"]["driver"]
    driver["version"] = "<cfglint.__version__>"
    driver["rules"] = [{key: d[key] for key in ("id", "name", "helpUri", "defaultConfiguration")}
                       for d in driver["rules"]]
    assert json.dumps(sarif, indent=2, ensure_ascii=False) + "\n" == snapshot


# --- dispatch ---------------------------------------------------------------------------------


def test_sarif_is_an_output_format():
    assert "sarif" in FORMATS and reporter("sarif") is render_sarif


def test_formats_are_imported_on_demand():
    code = "import sys, cfglint.report; print(sorted(m for m in sys.modules if m.startswith('cfglint.report.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=REPO).stdout
    assert out.strip() == "[]"


# --- the project URL (`[project.urls]` in pyproject.toml) --------------------------------------


def test_fallback_homepage_is_the_one_pyproject_declares():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Homepage"]
    assert FALLBACK_HOMEPAGE == declared


class _FakeMetadata:
    def __init__(self, entries):
        self.entries = entries

    def get_all(self, name):
        return self.entries if name == "Project-URL" else None


def test_homepage_comes_from_the_installed_metadata(monkeypatch):
    entries = ["Documentation, https://example.org/docs", "Home-page, https://example.org/fork/"]
    monkeypatch.setattr(importlib_metadata, "metadata", lambda name: _FakeMetadata(entries))
    assert homepage() == "https://example.org/fork"
    descriptor = json.loads(render_sarif([]))["runs"][0]["tool"]["driver"]["rules"][0]
    assert descriptor["helpUri"].startswith("https://example.org/fork/blob/main/docs/rules/")


def test_homepage_falls_back_without_metadata(monkeypatch):
    def missing(name):
        raise importlib_metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib_metadata, "metadata", missing)
    assert homepage() == FALLBACK_HOMEPAGE
    monkeypatch.setattr(importlib_metadata, "metadata", lambda name: _FakeMetadata(["Issues, https://x.test/i"]))
    assert homepage() == FALLBACK_HOMEPAGE
