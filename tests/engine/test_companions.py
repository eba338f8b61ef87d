"""Companion files (`Harness.companion_files`): files a config names that the harness reads as part
of it. They are read inside the project only, get the per-file rules, join exactly the
configurations of the files naming them, and are part of the result cache's key."""

from __future__ import annotations

import os

import pytest

from cfglint.engine import discover
from cfglint.engine.check import configurations, run
from cfglint.engine.session import CheckRequest, ExplainRequest, check, explain
from cfglint.rules.context import RunOptions

CONFIG = ".kimi-code/config.toml"
BAD_VALUE = '[loop_control]\nreserved_context_size = "many"\n'  # SCH001 at 2:25


@pytest.fixture(autouse=True)
def project(fake_harness, tmp_path):
    """A git worktree: the project companions must stay inside."""
    (tmp_path / "proj/.git").mkdir(parents=True)
    return tmp_path / "proj"


@pytest.fixture
def reads(monkeypatch):
    """The paths read through `discover.read_file`, in order."""
    seen: list[str] = []
    real = discover.read_file

    def spy(path: str) -> bytes:
        seen.append(os.path.basename(path))
        return real(path)

    monkeypatch.setattr(discover, "read_file", spy)
    return seen


def _findings(outcome) -> list[tuple[str, int, int, str]]:
    return [(f.path, f.span.line, f.span.column, f.code) for f in outcome.findings]


def _layers(paths: list[str]) -> list[list[str]]:
    """The configurations of `paths` (explicit files), each as its layers' display paths."""
    candidates = list(discover.discover(paths, dialect=None, homes={}))
    for candidate in candidates:
        candidate.content = discover.read_candidate(candidate)
    notes: list[str] = []
    result = run(discover.with_companions(candidates, notes), RunOptions(), check=False)
    return [[doc.display_path for doc in ctx.layers] for ctx in configurations(result.documents, RunOptions())]


def test_a_companion_gets_the_per_file_rules_at_its_own_positions(write, project):
    write(f"proj/{CONFIG}", "# companion: ../shared/extra.toml\n")
    write("proj/shared/extra.toml", BAD_VALUE)
    outcome = check(CheckRequest(paths=[f"proj/{CONFIG}"], no_cache=True))
    assert _findings(outcome) == [("proj/shared/extra.toml", 2, 25, "SCH001")]
    assert outcome.files_checked == 2 and outcome.notes == []


def test_a_companion_joins_only_the_configuration_naming_it(write):
    write(f"proj/a/{CONFIG}", "# companion: ../../shared/extra.toml\n")
    write(f"proj/b/{CONFIG}", "")
    write("proj/shared/extra.toml", "")
    assert _layers([f"proj/a/{CONFIG}", f"proj/b/{CONFIG}"]) == [
        [f"proj/a/{CONFIG}", "proj/shared/extra.toml"], [f"proj/b/{CONFIG}"]]


def test_a_companion_named_by_two_configs_is_read_once_and_joins_both(write, reads):
    for name in "ab":
        write(f"proj/{name}/{CONFIG}", "# companion: ../../shared/extra.toml\n")
    write("proj/shared/extra.toml", "")
    assert _layers([f"proj/a/{CONFIG}", f"proj/b/{CONFIG}"]) == [
        [f"proj/a/{CONFIG}", "proj/shared/extra.toml"], [f"proj/b/{CONFIG}", "proj/shared/extra.toml"]]
    assert reads.count("extra.toml") == 1


def test_a_merge_rule_reads_the_companion(write):
    """The companion's values are part of the merge: a dangling `default_model` there is SCH004."""
    write(f"proj/{CONFIG}", "# companion: extra.toml\n")
    write("proj/.kimi-code/extra.toml", 'default_model = "nowhere"\n')
    outcome = check(CheckRequest(paths=[f"proj/{CONFIG}"], select=["SCH004"], no_cache=True))
    assert [(path, code) for path, _, _, code in _findings(outcome)] == [("proj/.kimi-code/extra.toml", "SCH004")]


@pytest.mark.parametrize("name", ["../../outside.toml", "{tmp}/outside.toml", "link.toml"],
                         ids=["dot-dot", "absolute", "symlink-out"])
def test_a_companion_outside_the_project_is_not_read(write, tmp_path, reads, name):
    write("outside.toml", BAD_VALUE)
    (tmp_path / "proj/.kimi-code").mkdir()
    (tmp_path / "proj/.kimi-code/link.toml").symlink_to(tmp_path / "outside.toml")
    written = name.format(tmp=tmp_path)
    write(f"proj/{CONFIG}", f"# companion: {written}\n")
    outcome = check(CheckRequest(paths=[f"proj/{CONFIG}"], no_cache=True))
    assert outcome.notes == [f"proj/{CONFIG}: not reading {written!r}, which it names: it is outside the project "
                             "(proj)"]
    assert outcome.findings == [] and outcome.files_checked == 1
    assert "outside.toml" not in reads and "link.toml" not in reads


def test_a_missing_companion_is_skipped_without_a_note(write):
    write(f"proj/{CONFIG}", "# companion: nothing-here.toml\n")
    outcome = check(CheckRequest(paths=[f"proj/{CONFIG}"], no_cache=True))
    assert outcome.notes == [] and outcome.findings == [] and outcome.files_checked == 1


def test_an_unusable_companion_is_syn004(write, tmp_path):
    write(f"proj/{CONFIG}", "# companion: sub\n")
    (tmp_path / "proj/.kimi-code/sub").mkdir()
    outcome = check(CheckRequest(paths=[f"proj/{CONFIG}"], no_cache=True))
    assert [(path, code) for path, _, _, code in _findings(outcome)] == [("proj/.kimi-code/sub", "SYN004")]


def test_the_companion_of_a_file_that_does_not_parse_is_not_linted(write):
    write(f"proj/{CONFIG}", "# companion: extra.toml\nbroken = \n")
    write("proj/.kimi-code/extra.toml", BAD_VALUE)
    outcome = check(CheckRequest(paths=[f"proj/{CONFIG}"], no_cache=True))
    assert [(path, code) for path, _, _, code in _findings(outcome)] == [(f"proj/{CONFIG}", "SYN001")]
    assert outcome.files_checked == 1


def test_the_companion_of_an_excluded_file_is_not_read(write, reads):
    write("proj/.cfglint.toml", 'exclude = [".kimi-code/config.toml"]\n')
    write(f"proj/{CONFIG}", "# companion: extra.toml\n")
    write("proj/.kimi-code/extra.toml", BAD_VALUE)
    outcome = check(CheckRequest(paths=[f"proj/{CONFIG}"], no_cache=True))
    assert outcome.files_checked == 0 and "extra.toml" not in reads


def test_a_companion_the_walk_finds_is_checked_once_as_a_companion(write):
    """`[loop_control]` makes the walk find the companion by content too."""
    write(f"proj/{CONFIG}", "# companion: extra.toml\n")
    write("proj/.kimi-code/extra.toml", BAD_VALUE)
    outcome = check(CheckRequest(paths=["proj"], no_cache=True))
    assert _findings(outcome) == [("proj/.kimi-code/extra.toml", 2, 25, "SCH001")]
    assert outcome.files_checked == 2
    assert _layers(["proj"]) == [[f"proj/{CONFIG}", "proj/.kimi-code/extra.toml"]]


def test_the_cache_key_covers_the_companion_bytes(write):
    write(f"proj/{CONFIG}", "# companion: extra.toml\n")
    companion = write("proj/.kimi-code/extra.toml", BAD_VALUE)
    request = CheckRequest(paths=[f"proj/{CONFIG}"])
    assert [code for *_, code in _findings(check(request))] == ["SCH001"]
    companion.write_text("[loop_control]\nreserved_context_size = 50000\n")
    assert _findings(check(request)) == []


def test_explain_sees_the_companion(write):
    write(f"proj/{CONFIG}", '# companion: extra.toml\ndefault_model = "m"\n[models.m]\nprovider = "p"\nmodel = "m"\n'
                            'max_context_size = 200000\n[providers.p]\ntype = "openai"\n'
                            'base_url = "https://example.invalid/v1"\n')
    write("proj/.kimi-code/extra.toml", "[loop_control]\nreserved_context_size = 50000\n")
    outcome = explain(ExplainRequest(paths=[f"proj/{CONFIG}"], use_env=False))
    config, companion = outcome.documents
    assert companion.display_path == "proj/.kimi-code/extra.toml" and companion.companion_of == config.path
    [explained] = outcome.explained
    assert explained.budget.trigger.value == 150_000  # 200,000 minus the companion's reserve
    assert explained.budget.trigger.source.doc is companion
