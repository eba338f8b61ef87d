"""`check --color auto|always|never`, `--no-color`, NO_COLOR and FORCE_COLOR: colour only where
asked, and never in a format a program reads."""

from __future__ import annotations

import pytest

from conftest import REPO

ESC = "\x1b["
FILE = "examples/kilo/bad/kilo.jsonc"


@pytest.fixture
def run(cli, monkeypatch):
    def check(*args, env=None):  # `cli` starts with neither NO_COLOR nor FORCE_COLOR set
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        return cli("check", *args, FILE, cwd=REPO).stdout

    return check


@pytest.mark.parametrize(("args", "env", "coloured"), [
    ((), {}, False),  # auto, and the test's stdout is no terminal
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {"FORCE_COLOR": ""}, False),  # empty means unset (force-color.org)
    ((), {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # NO_COLOR wins over auto's FORCE_COLOR
    (("--color", "always"), {"NO_COLOR": "1"}, True),  # an explicit choice wins over the environment
    (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    (("--no-color",), {"FORCE_COLOR": "1"}, False),
    (("--no-color", "--color", "always"), {}, False),  # --no-color is --color never
])
def test_colour_choice(run, args, env, coloured):
    assert (ESC in run(*args, env=env)) is coloured


@pytest.mark.parametrize("output_format", ["concise", "full"])
def test_terminal_formats_are_coloured_on_request(run, output_format):
    coloured = run("--output-format", output_format, "--color", "always")
    plain = run("--output-format", output_format)
    assert ESC in coloured and ESC not in plain
    assert __import__("re").sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


@pytest.mark.parametrize("output_format", ["json", "json-lines", "sarif", "github", "gitlab", "junit"])
def test_machine_formats_are_never_coloured(run, output_format):
    assert ESC not in run("--output-format", output_format, "--color", "always", env={"FORCE_COLOR": "1"})


def test_statistics_are_coloured_like_the_findings(run):
    assert ESC in run("--statistics", "--color", "always") and ESC not in run("--statistics")
