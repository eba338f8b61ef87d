"""The pre-commit hook, for real: `pre-commit try-repo` installs cfglint and runs it.

`pre-commit try-repo` clones the hook repository at a commit, so the test first
takes a snapshot of this checkout *including uncommitted and untracked files*
(the hook tested is the current code) into a temporary git repository. A second
temporary repository holds a bad and a good Kilo config. pre-commit then builds
its own virtualenv and installs cfglint from the snapshot (the only network use:
the package's dependencies from the package index), and runs the hook on each
file: the bad one must fail with SCH002, the good one must pass.

`try-repo` builds a fresh environment on every call, so the two calls run side by
side: about 10 seconds on an idle machine. Skipped only when pre-commit is not
installed; `make test` installs it with the `test` extra.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from conftest import REPO

from cfglint.harnesses import DIALECTS, harness_for

from tests.engine.test_context_layers import LAYER, ROOT


def _pre_commit_command() -> list[str] | None:
    """How to run pre-commit: as a module of this interpreter, else from PATH."""
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    executable = shutil.which("pre-commit")
    return [executable] if executable else None


PRE_COMMIT = _pre_commit_command()
needs_pre_commit = pytest.mark.skipif(
    PRE_COMMIT is None, reason="pre-commit is not installed (`pip install -e '.[test]'` installs it)"
)

BAD_KILO = """{
  // an unknown top-level key: Kilo rejects and skips the whole file
  "compation": { "auto": true }
}
"""

GOOD_KILO = """{
  // comments and trailing commas are fine for Kilo
  "$schema": "https://app.kilo.ai/config.json",
  "model": "anthropic/claude-sonnet-4-5",
  "compaction": { "auto": true, },
}
"""

# Directories never copied into the snapshot (git's ignore rules apply too, when it is a git checkout).
IGNORED = (".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", ".pytest_cache", ".hypothesis")


def _git_env(home: Path) -> dict[str, str]:
    """An environment for git that ignores the user's and the system's git configuration.

    GIT_* variables of the caller (set when the suite itself runs from a git hook) are dropped.
    """
    global_config = home / "gitconfig"
    global_config.touch()
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        # pre-commit pip-installs cfglint into its own environment: pinned like `make test`.
        PIP_CONSTRAINT=str(REPO / "constraints.txt"),
        GIT_CONFIG_GLOBAL=str(global_config),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="cfglint tests",
        GIT_AUTHOR_EMAIL="tests@cfglint.invalid",
        GIT_COMMITTER_NAME="cfglint tests",
        GIT_COMMITTER_EMAIL="tests@cfglint.invalid",
    )
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return result.stdout


def _checkout_files() -> list[str] | None:
    """Tracked and untracked (not ignored) files of this checkout; None when it is not a git checkout.

    Runs with the user's own git configuration (it may mark the checkout as a `safe.directory`).
    """
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO, capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [name for name in listed.split("\0") if name]


def _wanted(files: list[str]) -> list[str]:
    """The files worth copying: not inside a virtualenv or a cache, even one git does not ignore."""
    venvs = {str(Path(name).parent) + "/" for name in files if Path(name).name == "pyvenv.cfg"}
    return [
        name for name in files
        if not any(name.startswith(venv) for venv in venvs)
        and not any(fnmatch.fnmatch(part, pattern) for part in Path(name).parts[:-1] for pattern in IGNORED)
    ]


def _copy_checkout(dest: Path) -> None:
    """Copy the working tree of this checkout, uncommitted changes included, to `dest`."""
    files = _checkout_files()
    if files is not None:
        for name in _wanted(files):
            source, target = REPO / name, dest / name
            if not (source.is_symlink() or source.is_file()):
                continue  # deleted in the working tree, or a submodule
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                os.symlink(os.readlink(source), target)
            else:
                shutil.copy2(source, target)
    else:
        shutil.copytree(REPO, dest, symlinks=True, ignore=shutil.ignore_patterns(*IGNORED), dirs_exist_ok=True)


def _commit_all(repo: Path, env: dict[str, str], message: str) -> None:
    _git(repo, env, "init", "--quiet")
    _git(repo, env, "add", "--all")
    _git(repo, env, "commit", "--quiet", "--no-verify", "--message", message)


@pytest.fixture(scope="module")
def repos(tmp_path_factory):
    """(snapshot of this checkout as a git repo, a git repo with configs, environment for pre-commit)."""
    base = tmp_path_factory.mktemp("precommit")
    env = _git_env(base)

    hook_repo = base / "cfglint"
    hook_repo.mkdir()
    _copy_checkout(hook_repo)
    _commit_all(hook_repo, env, "snapshot of the working tree under test")

    project = base / "project"
    (project / "bad").mkdir(parents=True)
    (project / "good").mkdir()
    (project / "bad" / "kilo.jsonc").write_text(BAD_KILO, encoding="utf-8")
    (project / "good" / "kilo.jsonc").write_text(GOOD_KILO, encoding="utf-8")
    for name, root in LAYERED.items():  # a root kilo.jsonc whose limits a .kilocode/ layer overrides
        (project / name / ".kilocode").mkdir(parents=True)
        (project / name / "kilo.jsonc").write_text(root, encoding="utf-8")
        (project / name / ".kilocode" / "kilo.jsonc").write_text(LAYER, encoding="utf-8")
    _commit_all(project, env, "configs")

    env.update(
        PRE_COMMIT_HOME=str(base / "pre-commit-home"),
        CFGLINT_CACHE_DIR=str(base / "cfglint-cache"),
        NO_COLOR="1",
    )
    return hook_repo, project, env


def _try_repo(repos, filename: str) -> subprocess.CompletedProcess[str]:
    hook_repo, project, env = repos
    return subprocess.run(
        [*PRE_COMMIT, "try-repo", str(hook_repo), "cfglint", "--color", "never", "--verbose", "--files", filename],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="module")
def try_repo_runs(repos) -> dict[str, subprocess.CompletedProcess[str]]:
    """`pre-commit try-repo` on each config, both at once (each builds its own environment)."""
    files = ("bad/kilo.jsonc", "good/kilo.jsonc", *(f"{name}/kilo.jsonc" for name in LAYERED))
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(files, pool.map(lambda name: _try_repo(repos, name), files)))


def _show(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


@needs_pre_commit
def test_hook_fails_on_a_bad_config(try_repo_runs):
    result = try_repo_runs["bad/kilo.jsonc"]
    assert result.returncode != 0, _show(result)
    assert re.search(r"^cfglint\.+Failed$", result.stdout, flags=re.MULTILINE), _show(result)
    assert "bad/kilo.jsonc:3:3: SCH002 [*] [error]" in result.stdout, _show(result)


@needs_pre_commit
def test_hook_passes_on_a_good_config(try_repo_runs):
    result = try_repo_runs["good/kilo.jsonc"]
    assert result.returncode == 0, _show(result)
    assert re.search(r"^cfglint\.+Passed$", result.stdout, flags=re.MULTILINE), _show(result)


# --- the hook definition itself (no pre-commit needed) ------------------------------------------


def _hook() -> dict:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "cfglint"]
    return hook


@pytest.mark.parametrize("path", [
    "kilo.json", "kilo.jsonc", "opencode.json", "opencode.jsonc", "team/kilo.jsonc",
    ".claude/settings.json", ".claude/settings.local.json", "managed-settings.json",
    ".kimi-code/config.toml", "home/.kimi/config.toml", ".hermes/config.yaml",
])
def test_hook_selects_every_file_name_cfglint_recognises(path):
    assert re.search(_hook()["files"], path)


@pytest.mark.parametrize("path", [
    "package.json", "pyproject.toml", "config.toml", "config.yaml", ".claude/agents.json", "xkilo.json",
])
def test_hook_leaves_other_files_alone(path):
    assert not re.search(_hook()["files"], path)


def test_hook_files_pattern_is_generated_from_the_dialect_table():
    """`make schemas` writes the pattern from every unit's `path_patterns`: a new dialect needs
    no edit here, and a stale hook file fails."""
    from cfglint.generate.hooks import HOOKS_FILE, render

    text = HOOKS_FILE.read_text(encoding="utf-8")
    assert render(text) == text, "run `make schemas`"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_hook_selects_each_dialects_own_file_names(dialect):
    """Every example file the dialect recognises by its name (examples/ has one per dialect) is
    selected by the hook's pattern, as are its names in its config directories."""
    from cfglint.engine.discover import dialect_by_name

    harness = harness_for(dialect)
    examples = [p for p in (REPO / "examples").rglob("*") if p.is_file() and dialect_by_name(p, {}) == dialect]
    assert examples, f"no example of {dialect} under examples/"
    paths = [p.relative_to(REPO).as_posix() for p in examples]
    if harness.config_dirs:
        paths += [f"{harness.config_dirs[0]}/{name}" for name in harness.file_names]
    for path in paths:
        assert re.search(_hook()["files"], f"repo/{path}"), path


def test_hook_runs_cfglint_check_serially_from_the_package():
    hook = _hook()
    assert hook["entry"] == "cfglint check"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True


def test_readme_configuration_names_this_repository_and_hook():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## Use it with pre-commit")
    section = text[start:text.index("\n## ", start + 1)]
    config = yaml.safe_load(re.search(r"^```yaml\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL)[1])
    homepage = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Homepage"]
    (repo,) = config["repos"]
    assert repo["repo"] == homepage
    assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"])
    assert [h["id"] for h in repo["hooks"]] == [_hook()["id"]]


# Issue 14: pre-commit passes only the staged file. A comment-only edit of the root file must pass
# (Kilo merges the `.kilocode/` layer that gives the model its real limits), and a breaking edit,
# a model the layer does not describe, must still fail.
LAYERED = {
    "comment-edit": ROOT.replace("// a comment-only edit", "// an edited comment-only edit"),
    "breaking-edit": ROOT.replace('"model": "zhipu/glm-4.5-flash"', '"model": "zhipu/glm-4.5-air"')
                         .replace('"glm-4.5-flash": {"limit"', '"glm-4.5-air": {"limit"'),
}


@needs_pre_commit
def test_hook_judges_a_staged_layer_with_the_layers_kilo_merges(try_repo_runs):
    passed = try_repo_runs["comment-edit/kilo.jsonc"]
    assert passed.returncode == 0 and re.search(r"^cfglint\.+Passed$", passed.stdout, flags=re.MULTILINE), _show(passed)
    failed = try_repo_runs["breaking-edit/kilo.jsonc"]
    assert failed.returncode != 0, _show(failed)
    assert re.search(r"^breaking-edit/kilo\.jsonc:\d+:\d+: CMP003 ", failed.stdout, flags=re.MULTILINE), _show(failed)
    assert ".kilocode" not in failed.stdout  # the layer is read, never reported on
