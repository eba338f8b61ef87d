"""The new formats under hostile file names and narrow locales, as `test_output_hygiene` checks the
older ones: no terminal escapes, no forged findings, output its consumer still parses."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from test_output_hygiene import NAMES, assert_printable, check_a_non_utf8_file_name

NEW_FORMATS = ("concise", "full", "json-lines", "gitlab", "junit")


def parse(output_format: str, stdout: str) -> int:
    """How many findings the output holds, read as its consumer reads it."""
    if output_format == "json-lines":
        return len([json.loads(line) for line in stdout.splitlines()])
    if output_format == "gitlab":
        return len(json.loads(stdout))
    if output_format == "junit":
        return len(ET.fromstring(stdout.encode("utf-8")).findall(".//failure"))
    return sum(1 for line in stdout.splitlines() if ": SCH002 " in line)


@pytest.mark.parametrize("output_format", NEW_FORMATS)
@pytest.mark.parametrize("name", NAMES)
def test_file_names_with_control_characters_cannot_forge_output(cli, write, tmp_path, output_format, name):
    write(f"repo/{NAMES[name]}/kilo.json", '{"compation": 1, "lenght": 2}')
    cold = cli("check", "--output-format", output_format, "repo", cwd=tmp_path)
    cached = cli("check", "--output-format", output_format, "repo", cwd=tmp_path)
    assert cold.stdout == cached.stdout and cold.exit_code == cached.exit_code == 1
    assert_printable(cold.stdout)
    assert parse(output_format, cold.stdout) == 2


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize("output_format", NEW_FORMATS)
def test_any_locale_and_a_non_utf8_file_name_print_without_error(tmp_path, output_format, encoding):
    stdout = check_a_non_utf8_file_name(tmp_path, output_format, encoding)
    assert parse(output_format, stdout) == 2
    key = "caf\u00e9\u4e2d\U0001f600"  # the key itself, not a mangled escape
    if output_format == "junit":
        assert key in ET.tostring(ET.fromstring(stdout), encoding="unicode")
    elif output_format == "gitlab":
        assert key in json.dumps(json.loads(stdout), ensure_ascii=False)
    elif output_format == "json-lines":
        assert key in json.dumps([json.loads(line) for line in stdout.splitlines()], ensure_ascii=False)
    else:
        assert "compation" in stdout and "d\\udcff\\udce9" in stdout
