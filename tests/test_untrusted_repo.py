"""cfglint on a repository it must not trust (issue 9, classes 2, 3 and the file-system part of 7).

- Git runs with a configuration cfglint fixes: a `core.fsmonitor` command from the
  repository's `.git/config` (directly or through `include.path`) never runs; when git
  cannot run, one line says so and the walk still honours `.gitignore` files.
- The walk never follows a symbolic link out of the directory it was given (with or
  without git, with `--show-source`); a path named on the command line is still read.
- No file is opened before its type is known: FIFOs in a walked tree do not block.
- Every read is bounded: `--config`, `--env-file`, `--registry` on a FIFO or `/dev/zero`
  and an oversized settings file are one-line errors (exit 2); standard input from
  `/dev/zero` is SYN004 like any config over the 10 MiB limit.
- `exclude` / `per-file-ignores` globs are matched without backtracking, with the same
  results as before.

CLI runs that could hang run in a subprocess with a generous timeout that only catches
a hang; everything else is asserted on behaviour.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cfglint.core.globs import SegmentGlob
from cfglint.settings.files import Glob

HANG_TIMEOUT = 60  # seconds: only catches a hang
BROKEN_KILO = "{\n"  # a Kilo config that does not parse: one SYN001 finding per file checked

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo") or shutil.which("git") is None,
                                reason="POSIX and git only")


def run_cfglint(*args: str, cwd: Path, env: dict[str, str] | None = None,
                stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    base = {**os.environ, "CFGLINT_CACHE_DIR": str(cwd / ".cfglint-cache-dir"), "HOME": str(cwd),
            "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "cfglint", *args], cwd=cwd, env={**base, **(env or {})},
                          stdin=stdin, capture_output=True, text=True, timeout=HANG_TIMEOUT)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "HOME": str(cwd), "GIT_CONFIG_NOSYSTEM": "1"})


def checked_paths(result: subprocess.CompletedProcess) -> set[str]:
    return {finding["path"] for finding in json.loads(result.stdout)}


# --- class 2: git runs with a configuration cfglint controls -----------------------------------


def _fsmonitor_directly(repo: Path, command: str) -> None:
    git("config", "core.fsmonitor", command, cwd=repo)


def _fsmonitor_through_include(repo: Path, command: str) -> None:
    (repo / ".git" / "extra.config").write_text(f"[core]\n\tfsmonitor = {command}\n")
    git("config", "include.path", "extra.config", cwd=repo)


@pytest.mark.parametrize("plant", [_fsmonitor_directly, _fsmonitor_through_include])
def test_fsmonitor_command_from_the_repository_does_not_run(tmp_path, plant):
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    (repo / "kilo.jsonc").write_text(BROKEN_KILO)
    marker = tmp_path / "PWNED"
    plant(repo, f"touch {marker}")
    git("status", "--short", cwd=repo)  # the planted command works: plain git runs it
    assert marker.exists()
    marker.unlink()

    result = run_cfglint("check", "--output-format", "json", cwd=repo)

    assert not marker.exists()
    assert result.returncode == 1 and checked_paths(result) == {"kilo.jsonc"}, result.stderr
    assert result.stderr == ""  # git listed the files: no note


# --- git failing: one line, and the walk honours .gitignore ------------------------------------

IGNORE_TREE = {
    ".gitignore": "# comment\nbuild/\n/top-only\n**/generated/**\n*.bak.jsonc\n",
    "nested/.gitignore": "kilo.jsonc\n!keep/kilo.jsonc\n",
    "kilo.jsonc": BROKEN_KILO,
    "build/kilo.jsonc": BROKEN_KILO,  # dir-only pattern
    "top-only/kilo.jsonc": BROKEN_KILO,  # anchored at the root
    "sub/top-only/kilo.jsonc": BROKEN_KILO,  # ... so not here
    "x/generated/y/kilo.jsonc": BROKEN_KILO,  # **
    "x/old.bak.jsonc/kilo.jsonc": BROKEN_KILO,  # a directory matching a name pattern
    "nested/kilo.jsonc": BROKEN_KILO,  # a nested .gitignore
    "nested/deeper/kilo.jsonc": BROKEN_KILO,
    "nested/keep/kilo.jsonc": BROKEN_KILO,  # negation (anchored to nested/)
}
NOT_IGNORED = {"kilo.jsonc", "sub/top-only/kilo.jsonc", "nested/keep/kilo.jsonc"}


def _write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_without_git_the_walk_honours_gitignore_files(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    _write_tree(repo, IGNORE_TREE)
    no_git = {"PATH": str(tmp_path / "empty-bin")}  # git cannot be found

    with_git = run_cfglint("check", "--output-format", "json", cwd=repo)
    fallback = run_cfglint("check", "--output-format", "json", cwd=repo, env=no_git)
    below_root = run_cfglint("check", "--output-format", "json", "nested", cwd=repo, env=no_git)

    assert checked_paths(with_git) == NOT_IGNORED
    assert checked_paths(fallback) == NOT_IGNORED
    assert checked_paths(below_root) == {"nested/keep/kilo.jsonc"}
    assert fallback.stderr.count("\n") == 1 and fallback.stderr.startswith("cfglint: git ls-files failed in .")


def test_gitignore_is_honoured_only_inside_a_git_worktree(tmp_path):
    _write_tree(tmp_path, {".gitignore": "build/\n", "kilo.jsonc": BROKEN_KILO, "build/kilo.jsonc": BROKEN_KILO})

    result = run_cfglint("check", "--output-format", "json", cwd=tmp_path)

    assert checked_paths(result) == {"kilo.jsonc", "build/kilo.jsonc"} and result.stderr == ""


# --- class 3: symbolic links never leave the tree ----------------------------------------------

OUTSIDE_SECRET = '{"model": "openai/gpt-4o", "provider": {"x": {"options": {"apiKey": "OUTSIDE-SECRET-42"'


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
def test_a_link_out_of_the_walked_tree_is_not_read(tmp_path, in_git):
    (tmp_path / "outside").mkdir()
    secret = tmp_path / "outside" / "secret-file"
    secret.write_text(OUTSIDE_SECRET)
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    (repo / "sub" / "kilo.jsonc").symlink_to(secret)
    (repo / "real.jsonc").write_text(BROKEN_KILO)
    (repo / "kilo.jsonc").symlink_to("real.jsonc")  # a link inside the tree is followed
    if in_git:
        git("init", "-q", cwd=repo)

    walked = run_cfglint("check", "--show-source", cwd=repo)
    walked_json = run_cfglint("check", "--output-format", "json", ".", cwd=repo)
    named = run_cfglint("check", "--output-format", "json", "sub/kilo.jsonc", cwd=repo)

    for result in (walked, walked_json):
        assert "OUTSIDE-SECRET" not in result.stdout + result.stderr
        assert result.stderr.splitlines() == ["cfglint: sub/kilo.jsonc: skipped, a symbolic link out of . "
                                              "(name it on the command line to lint it)"]
    assert checked_paths(walked_json) == {"kilo.jsonc"}
    assert checked_paths(named) == {"sub/kilo.jsonc"}  # named explicitly: read (and found broken)


# --- class 7: FIFOs and never-ending inputs -----------------------------------------------------


def test_fifos_in_a_walked_tree_do_not_block(tmp_path):
    os.mkfifo(tmp_path / "team.toml")  # told by content: must not be opened
    os.mkfifo(tmp_path / "kilo.jsonc")  # told by name: SYN004
    (tmp_path / "pyproject.toml").write_text("")
    os.mkfifo(tmp_path / "cfglint.toml")  # a settings file that is a FIFO is no settings file

    result = run_cfglint("check", "--output-format", "json", cwd=tmp_path)

    assert result.returncode == 1 and result.stderr == ""
    assert [(f["path"], f["code"]) for f in json.loads(result.stdout)] == [("kilo.jsonc", "SYN004")]


@pytest.fixture
def fifo(tmp_path) -> str:
    path = tmp_path / "never-written"
    os.mkfifo(path)
    return str(path)


@pytest.mark.parametrize("option", ["--config", "--env-file", "--registry"])
@pytest.mark.parametrize("target", ["fifo", "/dev/zero"])
def test_never_ending_auxiliary_files_are_one_line_errors(tmp_path, fifo, option, target):
    (tmp_path / "kilo.jsonc").write_text("{}\n")
    path = fifo if target == "fifo" else target

    result = run_cfglint("check", option, path, "kilo.jsonc", cwd=tmp_path)

    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("cfglint: ") and "not a regular file" in result.stderr


def test_standard_input_from_dev_zero_is_syn004(tmp_path):
    with open("/dev/zero", "rb") as zeros:
        result = run_cfglint("check", "--output-format", "json", "-", "--stdin-filename", "kilo.jsonc",
                             cwd=tmp_path, stdin=zeros)

    assert result.returncode == 1 and result.stderr == ""
    assert [(f["path"], f["code"], f["message"]) for f in json.loads(result.stdout)] == [
        ("kilo.jsonc", "SYN004", "not a usable config: file is above the 10,485,760-byte limit")]


@pytest.mark.parametrize("explicit", [False, True], ids=["found", "--config"])
def test_an_oversized_settings_file_is_a_one_line_error(cli, tmp_path, explicit):
    (tmp_path / "kilo.jsonc").write_text("{}\n")
    with open(tmp_path / "pyproject.toml", "wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: nothing is written

    result = cli("check", *(["--config", "pyproject.toml"] if explicit else []), "kilo.jsonc", cwd=tmp_path)

    assert result.exit_code == 2
    assert result.stderr == ("cfglint: pyproject.toml: cannot read settings: it is 314,572,800 bytes, "
                             "above the 1,048,576-byte limit\n")


# --- class 7: globs in linear time ---------------------------------------------------------------

# (pattern, directory): a regex translation backtracks for minutes on each
BACKTRACKING_GLOBS = [
    ("**/" * 10 + "zz", "/".join(["d"] * 30)),  # across segments
    ("*a" * 10 + "b", "a" * 200),  # inside one segment
]


@pytest.mark.parametrize("key", ["exclude", "per-file-ignores"])
@pytest.mark.parametrize("pattern,directory", BACKTRACKING_GLOBS, ids=["across-segments", "in-a-segment"])
def test_a_backtracking_glob_finishes(tmp_path, key, pattern, directory):
    setting = f'exclude = ["{pattern}"]\n' if key == "exclude" else f'[per-file-ignores]\n"{pattern}" = ["SYN"]\n'
    (tmp_path / "cfglint.toml").write_text(setting)
    (tmp_path / directory).mkdir(parents=True)
    (tmp_path / directory / "kilo.jsonc").write_text(BROKEN_KILO)

    result = run_cfglint("check", "--output-format", "json", cwd=tmp_path)

    assert checked_paths(result) == {f"{directory}/kilo.jsonc"}  # the pattern matches nothing here


class _CountingSegment:
    """Stands in for a compiled segment regex and counts the tests made with it."""

    calls = 0

    def __init__(self, compiled) -> None:
        self.compiled = compiled

    def fullmatch(self, text: str):
        _CountingSegment.calls += 1
        return self.compiled.fullmatch(text)


def test_glob_work_is_bounded_by_segments_times_segments():
    glob = SegmentGlob("**/" * 20 + "zz")
    glob.segments = tuple(s if s is None else _CountingSegment(s) for s in glob.segments)
    parts = ["d"] * 200 + ["zz"]
    _CountingSegment.calls = 0

    assert glob.matches(parts) and glob.matches_a_prefix(parts)
    assert not glob.matches(parts[:-1])

    assert _CountingSegment.calls <= 3 * len(parts)  # one regex segment (`zz`), tested once per path segment


# The matches of the regex-based `Glob` this module replaced, on the same paths.
GLOB_PATHS = ["legacy/config.toml", "x/legacy/config.toml", "legacy", ".kimi-code/config.toml",
              "a/.kimi-code/config.toml", ".claude/settings.json", "sub/.claude/settings.json", "other/x.json",
              "other/y/x.json", "team/kilo.jsonc", "team/a/b/kilo.jsonc", "tEam/b/kilo.jsonc", "team/bx/kilo.jsonc",
              "x.json", "legacy/.kimi-code/config.toml", "a/b/c", "a/x/b/y/z/c/d", "a/bc"]
MATCHED_BEFORE = {
    "legacy": ["legacy", "legacy/.kimi-code/config.toml", "legacy/config.toml", "x/legacy/config.toml"],
    "legacy/": ["legacy", "legacy/.kimi-code/config.toml", "legacy/config.toml", "x/legacy/config.toml"],
    "legacy/**": ["legacy", "legacy/.kimi-code/config.toml", "legacy/config.toml"],
    "**/.kimi-code": [".kimi-code/config.toml", "a/.kimi-code/config.toml", "legacy/.kimi-code/config.toml"],
    "*.toml": [".kimi-code/config.toml", "a/.kimi-code/config.toml", "legacy/.kimi-code/config.toml",
               "legacy/config.toml", "x/legacy/config.toml"],
    "legacy/.kimi-code": ["legacy/.kimi-code/config.toml"],
    ".claude/settings.json": [".claude/settings.json"],
    "settings.json": [".claude/settings.json", "sub/.claude/settings.json"],
    "**/settings.json": [".claude/settings.json", "sub/.claude/settings.json"],
    "sub/**": ["sub/.claude/settings.json"],
    "sub": ["sub/.claude/settings.json"],
    "other/*.json": ["other/x.json"],
    "/legacy": ["legacy", "legacy/.kimi-code/config.toml", "legacy/config.toml"],
    "./legacy/*.toml": ["legacy/config.toml"],
    "team/**/kilo.jsonc": ["team/a/b/kilo.jsonc", "team/bx/kilo.jsonc", "team/kilo.jsonc"],
    "t?am/[a-c]*/kilo.jsonc": ["tEam/b/kilo.jsonc", "team/bx/kilo.jsonc"],
    "[!x]*.json": [".claude/settings.json", "sub/.claude/settings.json"],
    "**": GLOB_PATHS,
    "a/**/b/**/c": ["a/b/c", "a/x/b/y/z/c/d"],
}


@pytest.mark.parametrize("pattern", list(MATCHED_BEFORE))
def test_settings_globs_match_what_they_matched_before(pattern):
    glob = Glob(pattern)
    assert sorted(p for p in GLOB_PATHS if glob.matches(p.split("/"))) == sorted(MATCHED_BEFORE[pattern])
