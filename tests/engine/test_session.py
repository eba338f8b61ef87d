"""The application service without the command line: requests in, outcomes out."""

from __future__ import annotations

import io
import re

import pytest

from cfglint.core.finding import Severity
from cfglint.engine.session import CheckRequest, ExplainRequest, SessionError, check, explain
from samples import GLM_5_2

KIMI = ".kimi-code/config.toml"
BROKEN = "[loop_control]\nreserved_context_size = \n"  # SYN001, an error
UNKNOWN_KEY = "[loop_control]\nreserved_context_sise = 50000\n"  # SCH002, a warning


@pytest.fixture(autouse=True)
def cache_dir(monkeypatch, tmp_path):
    """The result cache in the test's directory, and no settings file of the repository."""
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cache"


def _codes(outcome) -> list[str]:
    return [f.code for f in outcome.findings]


def test_an_error_finding_fails_the_run(write, tmp_path):
    write(f"proj/{KIMI}", BROKEN)
    outcome = check(CheckRequest(paths=[str(tmp_path / "proj")], no_cache=True))
    assert _codes(outcome) == ["SYN001"]
    assert outcome.files_checked == 1 and outcome.failed()


def test_a_warning_fails_only_at_fail_on_warning(write, tmp_path):
    write(f"proj/{KIMI}", UNKNOWN_KEY)
    request = CheckRequest(paths=[str(tmp_path / "proj")], select=["SCH002"], no_cache=True)
    outcome = check(request)
    assert [(f.code, f.severity) for f in outcome.findings] == [("SCH002", Severity.WARNING)]
    assert not outcome.failed()
    request.fail_on = "warning"
    assert check(request).failed()


def test_a_fresh_run_keeps_the_documents_for_show_source(write, tmp_path):
    path = write(f"proj/{KIMI}", BROKEN)
    outcome = check(CheckRequest(paths=[str(path)], show_source=True))
    assert [doc.source.text for doc in outcome.sources.values()] == [BROKEN]


def test_standard_input_is_read_through_the_request(tmp_path):
    request = CheckRequest(paths=["-"], stdin_filename=KIMI, stdin=lambda: io.BytesIO(BROKEN.encode()))
    outcome = check(request)
    assert _codes(outcome) == ["SYN001"]
    assert outcome.findings[0].path == KIMI


@pytest.mark.parametrize("request_, message", [
    (CheckRequest(paths=["missing"]), "missing: no such file or directory"),
    (CheckRequest(paths=["-"]), "reading standard input (`-`) needs --stdin-filename NAME"),
    (CheckRequest(paths=["."], env_pairs=["NO_EQUALS_SIGN"]), "invalid --env 'NO_EQUALS_SIGN' (expected KEY=VALUE)"),
    (CheckRequest(paths=["."], select=["ZZZ9"]), "unknown rule code or prefix 'ZZZ9'"),
    (ExplainRequest(paths=["missing"]), "missing: no such file or directory"),
], ids=["path", "stdin", "env", "select", "explain"])
def test_usage_problems_raise_session_error(request_, message):
    session = check if isinstance(request_, CheckRequest) else explain
    with pytest.raises(SessionError, match=f"^{re.escape(message)}$"):
        session(request_)


def test_broken_settings_are_a_usage_problem_said_after_the_walk_notes(write, tmp_path):
    write("proj/.cfglint.toml", "select = [\n")
    write(f"proj/{KIMI}", BROKEN)
    outside = write("outside.toml", "")
    (tmp_path / "proj/.kimi").mkdir()
    (tmp_path / "proj/.kimi/config.toml").symlink_to(outside)
    with pytest.raises(SessionError, match="invalid TOML") as caught:
        check(CheckRequest(paths=[str(tmp_path / "proj")]))
    assert [note for note in caught.value.notes if "symbolic link" in note]


def test_a_cache_hit_gives_the_findings_of_a_cold_run(write, tmp_path, cache_dir):
    write(f"proj/{KIMI}", BROKEN)
    request = CheckRequest(paths=[str(tmp_path / "proj")])
    cold = check(request)
    assert list(cache_dir.rglob("*.json"))  # stored
    hit = check(request)
    assert [f.as_dict() for f in hit.findings] == [f.as_dict() for f in cold.findings]
    assert (hit.notes, hit.files_checked, hit.failed()) == (cold.notes, cold.files_checked, cold.failed())
    assert hit.sources == {}  # a cache hit parses nothing


def test_explain_gives_the_budgets_and_their_findings(write, tmp_path):
    write(f"proj/{KIMI}", GLM_5_2)
    outcome = explain(ExplainRequest(paths=[str(tmp_path / "proj")]))
    [item] = outcome.explained
    assert item.budget.trigger.value == 950000
    assert [f.code for f in item.findings] == ["CMP001"]


def test_explain_of_an_unknown_model_is_a_usage_problem(write, tmp_path):
    write(f"proj/{KIMI}", GLM_5_2)
    with pytest.raises(SessionError, match="no model named 'nope' to explain"):
        explain(ExplainRequest(paths=[str(tmp_path / "proj")], model="nope"))


def test_nothing_to_explain_keeps_the_documents(write, tmp_path):
    write(f"proj/{KIMI}", BROKEN)
    outcome = explain(ExplainRequest(paths=[str(tmp_path / "proj")]))
    assert outcome.explained == []
    assert [doc.parse.ok for doc in outcome.documents] == [False]
