"""Launch flags (`--harness-args DIALECT=ARGS`, the `harness-args` setting, `Harness.launch`): a
layer above every file of the dialect, linted like a file, and flags that make unknown keys
errors. Checked before any file is read; part of the result cache's key."""

from __future__ import annotations

import re

import pytest

from cfglint.core.finding import Severity
from cfglint.engine import discover
from cfglint.engine.check import configurations, run
from cfglint.engine.session import CheckRequest, ExplainRequest, SessionError, check, explain
from cfglint.harnesses import harness_for
from cfglint.rules.context import FileContext, RunOptions
from samples import GLM_5_2

CONFIG = ".kimi-code/config.toml"
UNKNOWN_KEY = "[loop_control]\nreserved_context_sise = 50000\n"


@pytest.fixture(autouse=True)
def _fake(fake_harness):
    return fake_harness


def _findings(outcome) -> list[tuple[str, int, int, str, Severity]]:
    return [(f.path, f.span.line, f.span.column, f.code, f.severity) for f in outcome.findings]


def _loaded(paths: list[str], args: dict[str, tuple[str, ...]]):
    options = RunOptions(harness_args=args)
    candidates = list(discover.discover(paths, dialect=None, homes={}))
    return run(candidates, options, check=False), options


@pytest.mark.parametrize("args, message", [
    (["hermes=--yolo"], "--harness-args hermes: cfglint knows no launch flags of Hermes"),
    (["kimi-code=--bogus"], "--harness-args kimi-code: fake: no flag '--bogus'"),
    (["kimi-code=-c 'x = 1"], "--harness-args kimi-code: cannot split \"-c 'x = 1\" into flags: no closing quotation"),
    (["nope=--x"], "invalid --harness-args 'nope=--x' (expected DIALECT=ARGS, DIALECT one of: "),
    (["--strict"], "invalid --harness-args '--strict' (expected DIALECT=ARGS, DIALECT one of: "),
], ids=["no-flags-known", "refused", "unsplittable", "unknown-dialect", "no-dialect"])
@pytest.mark.parametrize("session", [check, explain])
def test_bad_harness_args_are_a_usage_problem_before_any_file_is_read(monkeypatch, session, args, message):
    monkeypatch.setattr(discover, "discover", lambda *a, **k: pytest.fail("a file was looked for"))
    request = (CheckRequest if session is check else ExplainRequest)(paths=["."], harness_args=args)
    with pytest.raises(SessionError, match=f"^{re.escape(message)}"):
        session(request)


def test_the_launch_layer_is_linted_like_a_file_under_its_label(write):
    write(f"proj/{CONFIG}", GLM_5_2)
    outcome = check(CheckRequest(paths=["proj"], select=["SYN", "SCH"], no_cache=True, harness_args=[
        "kimi-code=-c 'loop_control.reserved_context_size = \"many\"'"]))
    assert _findings(outcome) == [("fake -c", 1, 38, "SCH001", Severity.ERROR)]
    assert outcome.files_checked == 1


def test_a_syntax_error_in_the_launch_layer_is_syn001_there(write):
    write(f"proj/{CONFIG}", GLM_5_2)
    outcome = check(CheckRequest(paths=["proj"], select=["SYN", "SCH"], no_cache=True,
                                 harness_args=["kimi-code=-c 'x = '"]))
    assert [(path, line, code) for path, line, _, code, _ in _findings(outcome)] == [("fake -c", 1, "SYN001")]


def test_the_launch_layer_is_the_highest_layer_of_every_configuration(write):
    write(f"a/{CONFIG}", GLM_5_2)
    write(f"b/{CONFIG}", GLM_5_2)
    args = {"kimi-code": ("-c", "loop_control.reserved_context_size = 60000")}
    result, options = _loaded(["a", "b"], args)
    contexts = list(configurations(result.documents, options))
    assert [[doc.display_path for doc in ctx.layers] for ctx in contexts] == [
        [f"a/{CONFIG}", "fake -c"], [f"b/{CONFIG}", "fake -c"]]
    launch = contexts[0].layers[-1]
    assert launch.from_launch and launch.path == "<harness-args kimi-code>" and contexts[1].layers[-1] is launch
    assert contexts[0].merged.data["loop_control"]["reserved_context_size"] == 60000
    assert contexts[0].merged.origin(("loop_control", "reserved_context_size")) is launch


def test_explain_reports_the_launch_layer_as_the_source(write):
    write(f"proj/{CONFIG}", GLM_5_2)
    outcome = explain(ExplainRequest(paths=["proj"], use_env=False, harness_args=[
        "kimi-code=-c 'loop_control.compaction_trigger_ratio = 0.5'"]))
    [explained] = outcome.explained
    assert explained.budget.trigger.value == 500_000
    assert explained.budget.trigger.source.doc.display_path == "fake -c"


def test_flags_of_a_dialect_without_files_add_nothing(write):
    write(".hermes/config.yaml", "model:\n  default: x\n")
    result, options = _loaded(["."], {"kimi-code": ("-c", "x = 1")})
    assert [doc.display_path for doc in result.documents] == [".hermes/config.yaml"]


def test_a_strict_flag_makes_every_unknown_key_an_error(write):
    write(f"proj/{CONFIG}", UNKNOWN_KEY)
    request = CheckRequest(paths=["proj"], select=["SCH002"], no_cache=True)
    assert [f.severity for f in check(request).findings] == [Severity.WARNING]
    request.harness_args = ["kimi-code=--strict"]
    assert [f.severity for f in check(request).findings] == [Severity.ERROR]
    result, options = _loaded(["proj"], {"kimi-code": ("--strict",)})
    [doc] = result.documents
    harness = harness_for("kimi-code")
    assert FileContext(doc, harness, harness.default_version, options).rejected


def test_the_setting_applies_and_the_command_line_wins_per_dialect(write):
    write("proj/.cfglint.toml", 'harness-args = { kimi-code = "--strict" }\n')
    write(f"proj/{CONFIG}", UNKNOWN_KEY)
    request = CheckRequest(paths=["proj"], select=["SCH002"], no_cache=True)
    assert [f.severity for f in check(request).findings] == [Severity.ERROR]
    request.harness_args = ["kimi-code="]
    assert [f.severity for f in check(request).findings] == [Severity.WARNING]


def test_the_cache_key_covers_the_flags_of_the_command_line_and_the_settings(write):
    write(f"proj/{CONFIG}", UNKNOWN_KEY)
    assert [f.severity for f in check(CheckRequest(paths=["proj"], select=["SCH002"])).findings] == [Severity.WARNING]
    strict = CheckRequest(paths=["proj"], select=["SCH002"], harness_args=["kimi-code=--strict"])
    assert [f.severity for f in check(strict).findings] == [Severity.ERROR]
    write("proj/.cfglint.toml", 'harness-args = { kimi-code = "--strict" }\n')
    assert [f.severity for f in check(CheckRequest(paths=["proj"], select=["SCH002"])).findings] == [Severity.ERROR]


def test_the_command_line_takes_harness_args(cli, write, tmp_path):
    write(f"proj/{CONFIG}", GLM_5_2)
    result = cli("check", "--harness-args", "kimi-code=-c 'x = '", "proj", cwd=tmp_path)
    assert result.exit_code == 1 and result.stdout.startswith("fake -c:1:")
    result = cli("explain", "--harness-args", "hermes=--yolo", "proj", cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (
        2, "cfglint: --harness-args hermes: cfglint knows no launch flags of Hermes\n")
