"""In-process fuzz campaign of issue 9: every dialect, every output format, `explain`.

Each input (tests/fuzz/strategies.py) is written under its dialect's file name in a
temporary directory and run through the real CLI (`cfglint.cli.cli` under click's
CliRunner): `check` in text, json, sarif and github, with and without `--show-source`,
cold and from the result cache, and `explain` in text and json. See README.md for the
profiles (`make test` runs the bounded one; `make fuzz-long` the 100,000-input one).
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, note, settings

from tests.fuzz.strategies import Case, cases, secret_windows

settings.register_profile(
    "cfglint-fuzz",
    max_examples=100,  # per property: the module stays well under a minute
    deadline=None,
    derandomize=True,  # the same inputs on every run: CI is reproducible
    database=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile("cfglint-fuzz-long", settings.get_profile("cfglint-fuzz"), max_examples=50_000,
                          derandomize=False)
PROFILE = settings.get_profile("cfglint-fuzz-long" if os.environ.get("CFGLINT_FUZZ_PROFILE") == "long"
                               else "cfglint-fuzz")
HANG_SECONDS = 30  # per input: only a hang takes this long

FORMATS = ("text", "json", "sarif", "github")


class Hang(Exception):
    """An input took longer than HANG_SECONDS."""


@contextmanager
def hang_guard(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def expire(_signum: int, _frame: object) -> None:
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Run:
    args: list[str]
    exit_code: int
    stdout: str
    stderr: str


class Workspace:
    """A temporary directory holding one case's file, and a cache directory of its own."""

    def __init__(self, case: Case, root: Path) -> None:
        self.case = case
        self.root = root
        path = root / "project" / case.file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.content)
        self.project = str(root / "project")
        self.cache = root / "cache"

    def run(self, *args: str, cache: bool = False) -> Run:
        command = list(args)
        for name, value in self.case.env.items():
            command += ["--env", f"{name}={value}"]
        if command[0] == "check" and not cache:
            command.append("--no-cache")
        command.append(self.project)
        from cfglint.cli import cli

        with hang_guard():
            result = CliRunner().invoke(cli, command, env={"CFGLINT_CACHE_DIR": str(self.cache), "NO_COLOR": "1"})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            trace = "".join(traceback.format_exception(result.exception))
            raise AssertionError(f"exception escaped `cfglint {' '.join(args)}`:\n{trace}")
        run = Run(command, result.exit_code, result.stdout, result.stderr)
        note(f"cfglint {' '.join(args)} -> {run.exit_code}\nstdout: {run.stdout[:3000]}\nstderr: {run.stderr[:3000]}")
        return run

    def cache_files(self) -> str:
        if not self.cache.exists():
            return ""
        return "".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(self.cache.rglob("*")) if p.is_file())


@contextmanager
def workspace(case: Case) -> Iterator[Workspace]:
    with tempfile.TemporaryDirectory(prefix="cfglint-fuzz-") as root:
        yield Workspace(case, Path(root))


def assert_survived(run: Run, *, allowed: tuple[int, ...] = (0, 1)) -> None:
    """No internal error, no traceback, an exit status of a finished run."""
    said = run.stdout + run.stderr
    assert "internal error" not in said, run.stderr
    assert "Traceback (most recent call last)" not in said, said
    assert run.exit_code in allowed, f"exit {run.exit_code}: {run.stderr}"


def strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise AssertionError(f"non-JSON constant {constant} in the output")

    return json.loads(text, parse_constant=refuse)


def check_formats(space: Workspace) -> None:
    for output_format in FORMATS:
        for show_source in ((), ("--show-source",)):
            run = space.run("check", "--output-format", output_format, *show_source)
            assert_survived(run)
            if output_format in ("json", "sarif"):
                strict_json(run.stdout)


def check_explain(space: Workspace) -> list[Run]:
    """`explain` in text and json; its json must hold no bare NaN/Infinity."""
    runs = []
    for output_format in ("text", "json"):
        run = space.run("explain", "--no-env", "--format", output_format)
        assert_survived(run)
        if output_format == "json" and run.stdout.strip():
            strict_json(run.stdout)
        runs.append(run)
    return runs


@PROFILE
@given(case=cases())
def test_no_internal_error_in_any_format(case: Case) -> None:
    """`check` in every format (with and without snippets) and `explain` finish with a result."""
    with workspace(case) as space:
        check_formats(space)
        check_explain(space)


@PROFILE
@given(case=cases())
def test_no_secret_in_output_and_cached_runs_identical(case: Case) -> None:
    """No secret beyond its first 4 characters in any output or cache file; a cached run prints the
    same; explain's json is strict JSON."""
    with workspace(case) as space:
        cold = space.run("check", "--output-format", "json", cache=True)
        warm = space.run("check", "--output-format", "json", cache=True)
        assert_survived(cold)
        assert warm.stdout == cold.stdout, "the cached run printed something else"
        runs = [cold, warm, space.run("check", "--show-source"), *check_explain(space)]
        printed = "".join(run.stdout + run.stderr for run in runs) + space.cache_files()
        for secret in case.secrets:
            leaked = [piece for piece in secret_windows(secret) if piece in printed]
            assert not leaked, f"secret {secret[:4]}… leaked: {leaked[:3]}"
