"""`--output-format github`: one workflow command per finding, escaped as `@actions/core` does."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cfglint.core.finding import Finding, Severity
from cfglint.report import FORMATS, reporter
from cfglint.report.github import escape_data, escape_property, render_github
from cfglint.core.text import Span

KILO_UNKNOWN_KEY = '{\n  "model": "anthropic/claude-sonnet-4-5",\n  "username": "Zoë 🙂", "compation": {}\n}\n'
KILO_NO_AUTO = '{\n  "model": "anthropic/claude-sonnet-4-5",\n  "compaction": {"auto": false}\n}\n'
KIMI_NO_HEADROOM = """\
default_model = "kimi-k2"
[providers.moonshot]
type = "kimi"
base_url = "https://api.moonshot.ai/v1"
api_key = ""
[models.kimi-k2]
provider = "moonshot"
model = "kimi-k2-0905-preview"
max_context_size = 262144
max_output_size = 131072
[loop_control]
reserved_context_size = 50000
"""

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def finding(path="kilo.json", span=Span(2, 3, 2, 9), severity=Severity.ERROR, message="m", fix=None):
    return Finding(path, span, "SCH001", "invalid-value", severity, message, fix)


def parse(line):
    """Read a command back the way the Actions runner does: properties up to the first `::`,
    split at `,` and the first `=`, then unescaped; the message is the rest, unescaped."""
    match = COMMAND.match(line)
    assert match, line
    properties = dict(item.split("=", 1) for item in match.group(2).split(","))
    unescape = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}
    decode = lambda text: re.sub(r"%(?:25|0D|0A|3A|2C)", lambda m: unescape[m.group(0)], text)  # noqa: E731
    return match.group(1), {k: decode(v) for k, v in properties.items()}, decode(match.group(3))


# --- escaping ---------------------------------------------------------------------------------


def test_escape_data_as_actions_core():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_data("%0A is not a newline") == "%250A is not a newline"


def test_escape_property_as_actions_core():
    assert escape_property("a:b,c%d\r\ne") == "a%3Ab%2Cc%25d%0D%0Ae"


def test_command_with_percent_colon_comma_and_newlines_in_path_and_message():
    f = finding(path="we:ird,dir/100%/kilo.json", message="bad: a, b\nnext 50%", fix="write x: y")
    assert render_github([f]) == (
        "::error file=we%3Aird%2Cdir/100%25/kilo.json,line=2,col=3,endLine=2,endColumn=9,"
        "title=SCH001 invalid-value::bad: a, b%0Anext 50%25. Fix: write x: y\n"
    )


@given(path=st.text(min_size=1), message=st.text(), fix=st.none() | st.text(min_size=1))
def test_any_path_and_message_read_back_unchanged(path, message, fix):
    output = render_github([finding(path=path, message=message, fix=fix)])
    assert output.endswith("\n") and "\n" not in output[:-1] and "\r" not in output
    level, properties, text = parse(output[:-1])
    assert level == "error" and properties["file"] == path
    assert text.startswith(message) and (fix is None or text.endswith(f"Fix: {fix}"))


# --- one command per finding ------------------------------------------------------------------


@pytest.mark.parametrize(("severity", "command"), [(Severity.ERROR, "error"), (Severity.WARNING, "warning"),
                                                   (Severity.INFO, "notice")])
def test_command_follows_severity(severity, command):
    assert render_github([finding(severity=severity)]).startswith(f"::{command} file=kilo.json,")


def test_a_span_over_several_lines_gives_lines_only():
    """GitHub takes columns only when the annotation starts and ends on one line."""
    _, properties, _ = parse(render_github([finding(span=Span(2, 5, 4, 1))]).rstrip("\n"))
    assert properties == {"file": "kilo.json", "line": "2", "endLine": "4", "title": "SCH001 invalid-value"}


def test_end_column_never_precedes_the_column():
    _, properties, _ = parse(render_github([finding(span=Span(3, 7, 3, 2))]).rstrip("\n"))
    assert (properties["col"], properties["endColumn"]) == ("7", "7")


def test_no_findings_no_output():
    assert render_github([]) == ""


@pytest.fixture
def project(write, tmp_path):
    write("repo/.kimi-code/config.toml", KIMI_NO_HEADROOM)
    write("repo/proj/kilo.jsonc", KILO_UNKNOWN_KEY)
    write("repo/team, configs/kilo.json", KILO_NO_AUTO)
    return tmp_path / "repo"


def test_every_line_is_a_command_for_one_finding(cli, project):
    result = cli("check", "--output-format", "github", ".", cwd=project)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    findings = json.loads(cli("check", "--output-format", "json", ".", cwd=project).stdout)
    assert len(lines) == len(findings) == 3  # and no summary line
    for line, item in zip(lines, findings):
        level, properties, message = parse(line)
        assert level == {"error": "error", "warning": "warning", "info": "notice"}[item["severity"]]
        assert properties == {"file": item["path"], "line": str(item["line"]), "col": str(item["column"]),
                              "endLine": str(item["end_line"]), "endColumn": str(item["end_column"]),
                              "title": f"{item['code']} {item['name']}"}
        assert message.startswith(item["message"])


def test_github_snapshot(cli, project, snapshot):
    assert cli("check", "--output-format", "github", ".", cwd=project).stdout == snapshot


def test_github_is_an_output_format():
    assert "github" in FORMATS and reporter("github") is render_github
