"""The context-layer probe (issue 15): inside a git worktree, `context_layers` first lists the few
directories where a layer of the named files can lie and runs `git ls-files` only when it finds
one there. The result must be the one git alone gives: a property test compares the two on random
worktrees (nested and dot-directories, files of several dialects by name, by content and by the
settings' `dialects`, tracked, untracked, ignored, tracked then deleted, linked), and the other
tests count the git runs."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from cfglint.engine import discover as discover_module
from cfglint.engine.discover import context_layers, discover

KILO = '{"model": "zhipu/glm-4.5-flash"}\n'
# Files found by their name (`harnesses.names`), by their content only, or by the `dialects` map below.
NAMED = {
    "kilo.jsonc": KILO, "kilo.json": KILO, "opencode.json": "{}\n", "opencode.jsonc": "{}\n",
    "settings.json": "{}\n", "settings.local.json": "{}\n", "models.json": "{}\n", "managed-settings.json": "{}\n",
    "config.toml": 'model = "x"\n', "fast.config.toml": 'model = "x"\n', "config.yaml": "model: x\n",
}
BY_CONTENT = {
    "claude.json": '{"$schema": "https://json.schemastore.org/claude-code-settings.json"}\n',
    "providers.toml": "[model_providers.x]\n",
}
MAPPED = {"mapped.json": "{}\n"}  # `dialects = {"**/mapped.json" = "opencode"}`
FILES = {**NAMED, **BY_CONTENT, **MAPPED}
DIRS = ("", "sub", "sub/deep", ".kilocode", ".kilo", "sub/.kilo", ".claude", ".codex", ".pi", ".pi/agent", ".kimi-code",
        ".hermes", ".hidden", ".hidden/inner", ".hidden/.inner", "sub/.kilocode", "sub/.claude", "sub/.codex",
        "sub/deep/.kilocode", "sub/.hidden/inner", "node_modules", ".hidden/node_modules", "sub/node_modules/.kilo")
STATES = ("tracked", "untracked", "ignored", "deleted", "tracked-ignored")


def _mapped(path: str) -> str | None:
    return "opencode" if os.path.basename(path) == "mapped.json" else None


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, stdout=subprocess.DEVNULL)


def _named(root: Path, rels: list[str]) -> list:
    return list(discover([str(root / rel) for rel in rels], dialect=None, homes={}, mapped=_mapped))


# Kilo's names and directories are drawn more often: the layers of one harness need several of its files.
names = st.one_of(st.sampled_from(["kilo.jsonc", "kilo.json", "opencode.json"]), st.sampled_from(sorted(FILES)))
dirs = st.one_of(st.sampled_from(["", ".kilocode", "sub", "sub/.kilo"]), st.sampled_from(DIRS))
files = st.lists(st.tuples(dirs, names, st.sampled_from(STATES)),
                 min_size=1, max_size=10, unique_by=lambda spec: (spec[0], spec[1]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=files, named=st.lists(st.integers(min_value=0, max_value=7), min_size=1, max_size=2, unique=True),
       dot_root=st.booleans(), link=st.sampled_from(["none", "file", "dot-directory"]))
# A repository that is a dot-directory (`~/.dotfiles`): `_project_dir` places `sub/kilo.json` at the root.
@example(files=[("", "kilo.jsonc", "tracked"), ("sub", "kilo.json", "untracked")], named=[0], dot_root=True,
         link="none")
def test_the_probe_finds_the_layers_git_alone_finds(files, named, dot_root, link):
    with tempfile.TemporaryDirectory() as top:
        root = Path(top) / (".dotfiles" if dot_root else "repo")
        root.mkdir()
        _git(root, "init", "-q")
        ignored, tracked, deleted = [], [], []
        for directory, name, state in files:
            rel = f"{directory}/{name}" if directory else name
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(FILES[name])
            if state in ("ignored", "tracked-ignored"):
                ignored.append(rel)
            if state in ("tracked", "deleted", "tracked-ignored"):
                tracked.append(rel)
            if state == "deleted":
                deleted.append(rel)
        if link == "file":  # a link to a file in the worktree, under a name some harness reads
            (root / "sub").mkdir(exist_ok=True)
            (root / "sub" / "opencode.jsonc").unlink(missing_ok=True)
            os.symlink(root / f"{files[0][0]}/{files[0][1]}".lstrip("/"), root / "sub" / "opencode.jsonc")
        elif link == "dot-directory" and not (root / ".kilo").exists():
            (root / "sub" / ".kilocode").mkdir(parents=True, exist_ok=True)
            (root / "sub" / ".kilocode" / "kilo.json").write_text(KILO)
            os.symlink(root / "sub" / ".kilocode", root / ".kilo")
        (root / ".gitignore").write_text("".join(f"/{rel}\n" for rel in ignored))
        if tracked:
            _git(root, "add", "-f", "--", *tracked)
        for rel in deleted:
            (root / rel).unlink()
        on_disk = [f"{d}/{n}" if d else n for d, n, _ in files if (root / (f"{d}/{n}" if d else n)).exists()]
        chosen = sorted({on_disk[i % len(on_disk)] for i in named}) if on_disk else []
        candidates = _named(root, chosen)

        runs: list[list[str]] = []
        with pytest.MonkeyPatch.context() as patch:
            run = discover_module._run_bounded
            patch.setattr(discover_module, "_run_bounded", lambda command: runs.append(command) or run(command))
            with_probe = context_layers(candidates, {}, _mapped)
        git_only = context_layers(_named(root, chosen), {}, _mapped, probe=False)
        event(f"layers: {bool(git_only)}, git run with the probe: {bool(runs)}")
        assert with_probe == git_only
        # The layer search leaves out, unread, the files only their content tells: no layer among them.
        sniffing = [c for c in discover([str(root)], dialect=None, homes={}, mapped=_mapped) if c.dialect is not None]
        assert sniffing == list(discover([str(root)], dialect=None, homes={}, mapped=_mapped, sniff=False))


@pytest.fixture
def git_runs(monkeypatch):
    """The commands `discover` runs (it still runs them)."""
    runs: list[list[str]] = []
    run = discover_module._run_bounded

    def recorded(command: list[str]) -> bytes:
        runs.append(command)
        return run(command)

    monkeypatch.setattr(discover_module, "_run_bounded", recorded)
    return runs


@pytest.fixture
def worktree(tmp_path):
    root = tmp_path / "proj"
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "kilo.jsonc").write_text(KILO)
    (root / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
    (root / "src" / "opencode.json").write_text("{}\n")  # a project of its own: not a layer of the root's
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    return root


def test_no_git_runs_when_no_layer_can_exist(worktree, git_runs):
    assert context_layers(_named(worktree, ["kilo.jsonc"]), {}) == []
    assert git_runs == []


def test_git_lists_the_files_when_a_layer_is_on_disk(worktree, git_runs):
    (worktree / ".kilocode").mkdir()
    (worktree / ".kilocode" / "kilo.json").write_text(KILO)
    [layer] = context_layers(_named(worktree, ["kilo.jsonc"]), {})
    assert layer.path == str(worktree / ".kilocode" / "kilo.json") and layer.context
    assert len(git_runs) == 1 and "ls-files" in git_runs[0]


def test_git_decides_when_the_layer_on_disk_is_ignored(worktree, git_runs):
    (worktree / ".kilocode").mkdir()
    (worktree / ".kilocode" / "kilo.json").write_text(KILO)
    (worktree / ".gitignore").write_text(".kilocode/\n")
    assert context_layers(_named(worktree, ["kilo.jsonc"]), {}) == []
    assert len(git_runs) == 1


def test_git_decides_behind_a_linked_dot_directory(worktree, git_runs):
    """git's index still lists `.kilocode/kilo.json` after `.kilocode` became a link to another
    directory; the path on disk goes through the link."""
    (worktree / ".kilocode").mkdir()
    (worktree / ".kilocode" / "kilo.json").write_text(KILO)
    _git(worktree, "add", ".kilocode")
    (worktree / ".kilocode").rename(worktree / "elsewhere")
    os.symlink(worktree / "elsewhere", worktree / ".kilocode")
    [layer] = context_layers(_named(worktree, ["kilo.jsonc"]), {})
    assert layer.path == str(worktree / ".kilocode" / "kilo.json")
    assert len(git_runs) == 1


def test_git_decides_where_a_lookup_ignores_case(worktree, git_runs, monkeypatch):
    """A case-insensitive file system finds `KILO.JSONC` as `kilo.jsonc`: the listing is not every
    name git may give, so the probe does not answer."""
    lexists = os.path.lexists

    def case_insensitive(path: str) -> bool:
        head, name = os.path.split(path)
        return lexists(path) or lexists(os.path.join(head, name.swapcase()))

    monkeypatch.setattr(discover_module.os.path, "lexists", case_insensitive)
    assert context_layers(_named(worktree, ["kilo.jsonc"]), {}) == []
    assert len(git_runs) == 1


def test_git_decides_where_a_name_is_not_ascii(worktree, git_runs):
    (worktree / "caf\u00e9.json").write_text("{}\n")
    assert context_layers(_named(worktree, ["kilo.jsonc"]), {}) == []
    assert len(git_runs) == 1


def test_git_decides_past_the_probe_limit(worktree, git_runs, monkeypatch):
    """A large dot-directory (a cache, ignored): past PROBE_LIMIT paths git lists the worktree instead."""
    monkeypatch.setattr(discover_module, "PROBE_LIMIT", 2)
    assert context_layers(_named(worktree, ["kilo.jsonc"]), {}) == []
    assert len(git_runs) == 1


def test_sibling_directories_are_listed_not_judged(worktree, git_runs, monkeypatch):
    """A project among many sibling directories (a monorepo's packages): the directories do not
    count toward the probe's limit, so git is not asked."""
    monkeypatch.setattr(discover_module, "PROBE_LIMIT", 5)
    for i in range(20):
        (worktree / "packages" / f"p{i:02d}").mkdir(parents=True)
    (worktree / "packages" / "p07" / "kilo.jsonc").write_text(KILO)
    (worktree / "kilo.jsonc").unlink()  # else a layer of every project below
    _git(worktree, "add", "-A")
    assert context_layers(_named(worktree, ["packages/p07/kilo.jsonc"]), {}) == \
        context_layers(_named(worktree, ["packages/p07/kilo.jsonc"]), {}, probe=False)
    assert len(git_runs) == 1  # the comparison's own listing only


def test_git_s_list_is_classified_only_where_a_layer_may_be(worktree, monkeypatch):
    """A run naming every config of a large worktree (the bench's 10,000) classifies none of the
    listed paths again, nor resolves the real paths of the files it holds: a path the run holds
    or outside its projects' chain is passed over before any work on it (`context_layers`)."""
    (worktree / ".github" / "workflows" / "ci.yml").unlink()
    _git(worktree, "add", "-A")
    classified, resolved = [], []
    listed, realpath = discover_module._listed, os.path.realpath
    monkeypatch.setattr(discover_module, "_listed", lambda root, rel, *a, **k: classified.append(rel)
                        or listed(root, rel, *a, **k))
    monkeypatch.setattr(discover_module.os.path, "realpath", lambda path: resolved.append(path) or realpath(path))
    both, one = _named(worktree, ["kilo.jsonc", "src/opencode.json"]), _named(worktree, ["kilo.jsonc"])
    resolved.clear()
    assert context_layers(both, {}, probe=False) == []  # git lists the two files the run holds
    assert context_layers(one, {}, probe=False) == []  # src/ is a project of its own, outside the chain
    assert classified == [] and set(resolved) == {str(worktree)}  # the walks' root only
    (worktree / ".kilocode").mkdir()
    (worktree / ".kilocode" / "kilo.json").write_text(KILO)
    [layer] = context_layers(one, {}, probe=False)
    assert classified == [os.path.join(".kilocode", "kilo.json")]
    assert layer.path == str(worktree / ".kilocode" / "kilo.json")
