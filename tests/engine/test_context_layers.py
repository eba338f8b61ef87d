"""Context layers (issue 14, "layers in every mode"): when files are named one by one (pre-commit
passes only the staged ones), the other files of the project that the harness merges with them
are read too, so budgets and references are judged on the harness's real merge; findings still
land only on the named files. `--no-context-layers` lints the named files alone."""

from __future__ import annotations

import subprocess

import pytest

from cfglint.engine.session import CheckRequest, ExplainRequest, check, explain

# The root file alone leaves no usable context (CMP003); the `.kilocode/` layer that Kilo merges
# over it gives the model its real limits. The layer also holds a key Kilo does not know.
ROOT = ('{\n  "model": "zhipu/glm-4.5-flash",\n  // a comment-only edit is what gets committed\n'
        '  "provider": {"zhipu": {"models": {"glm-4.5-flash": {"limit": {"context": 32000, "output": 32000}}}}}\n}\n')
LAYER = ('{\n  "provider": {"zhipu": {"models": {"glm-4.5-flash": {"limit": {"context": 128000, "output": 16000}}}}},\n'
         '  "compaction": {"auto": true, "tresholdd": 1}\n}\n')


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    (root / ".kilocode").mkdir(parents=True)
    (root / "kilo.jsonc").write_text(ROOT)
    (root / ".kilocode" / "kilo.jsonc").write_text(LAYER)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    monkeypatch.chdir(root)
    return root


def codes(outcome) -> list[tuple[str, str]]:
    return [(f.path, f.code) for f in outcome.findings]


def test_a_named_file_is_judged_with_the_layers_the_harness_merges(project):
    outcome = check(CheckRequest(paths=["kilo.jsonc"], no_cache=True))
    assert codes(outcome) == []  # CMP003/CMP008 would be about a config Kilo never runs
    assert outcome.files_checked == 1  # the layer is read, not checked: its unknown key is not reported


def test_without_context_layers_the_named_file_is_judged_alone(project):
    outcome = check(CheckRequest(paths=["kilo.jsonc"], no_cache=True, context_layers=False))
    assert {code for _, code in codes(outcome)} == {"CMP003", "CMP008"}


def test_findings_land_only_on_the_named_files(project):
    (project / ".kilocode" / "kilo.jsonc").write_text(LAYER.replace('"output": 16000', '"output": 128000'))
    outcome = check(CheckRequest(paths=["kilo.jsonc"], no_cache=True))
    assert all(path == "kilo.jsonc" for path, _ in codes(outcome))
    named = check(CheckRequest(paths=[".kilocode/kilo.jsonc"], no_cache=True))
    assert {path for path, _ in codes(named)} == {".kilocode/kilo.jsonc"}
    assert "SCH002" in {code for _, code in codes(named)}


def test_the_cache_tells_the_two_modes_apart(project, tmp_path, monkeypatch):
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))
    assert codes(check(CheckRequest(paths=["kilo.jsonc"]))) == []
    assert codes(check(CheckRequest(paths=["kilo.jsonc"], context_layers=False)))
    assert codes(check(CheckRequest(paths=["kilo.jsonc"]))) == []


def test_explain_lists_the_layers_it_read(project):
    [explained] = explain(ExplainRequest(paths=["kilo.jsonc"], env_pairs=())).explained
    assert explained.budget.layers == ["kilo.jsonc", ".kilocode/kilo.jsonc"]
    assert explained.budget.window.value == 128_000


def test_outside_a_git_worktree_nothing_else_is_read(tmp_path, monkeypatch):
    (tmp_path / ".kilocode").mkdir()
    (tmp_path / "kilo.jsonc").write_text(ROOT)
    (tmp_path / ".kilocode" / "kilo.jsonc").write_text(LAYER)
    monkeypatch.chdir(tmp_path)
    outcome = check(CheckRequest(paths=["kilo.jsonc"], no_cache=True))
    assert {code for _, code in codes(outcome)} == {"CMP003", "CMP008"}


def test_a_breaking_edit_to_the_named_file_still_fails(project):
    """The layer does not hide a real problem: a model the layer does not describe keeps the root's limits."""
    (project / "kilo.jsonc").write_text(ROOT.replace('"model": "zhipu/glm-4.5-flash"', '"model": "zhipu/glm-4.5-air"')
                                        .replace('"glm-4.5-flash": {"limit"', '"glm-4.5-air": {"limit"'))
    outcome = check(CheckRequest(paths=["kilo.jsonc"], no_cache=True))
    assert ("kilo.jsonc", "CMP003") in codes(outcome) and outcome.failed()
