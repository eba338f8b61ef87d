"""In-process fuzz campaign of issue 9: every dialect, every output format, `explain`.

Each input (tests/fuzz/strategies.py) is written under its dialect's file name in a
temporary directory and run through the real CLI (`cfglint.cli.cli` under click's
CliRunner): `check` in a drawn format (text, json, sarif, github), cold, from the result
cache and with `--show-source`, and `explain` in text or json. See README.md for the
profiles (`make test` runs the bounded one; `make fuzz-long` the 100,000-input one).
"""

from __future__ import annotations

import base64
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
from hypothesis import HealthCheck, currently_in_test_context, given, note, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import Case, cases, secret_windows

settings.register_profile(
    "cfglint-fuzz",
    max_examples=200,  # the module stays around a minute
    deadline=None,
    derandomize=True,  # the same inputs on every run: CI is reproducible
    database=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)
# The long profile: 100,000 inputs from random seeds. CFGLINT_FUZZ_EXAMPLES splits it across
# processes (two of 50,000 with different `--hypothesis-seed`s use both cores).
settings.register_profile("cfglint-fuzz-long", settings.get_profile("cfglint-fuzz"),
                          max_examples=int(os.environ.get("CFGLINT_FUZZ_EXAMPLES", "100000")), derandomize=False)
PROFILE = settings.get_profile("cfglint-fuzz-long" if os.environ.get("CFGLINT_FUZZ_PROFILE") == "long"
                               else "cfglint-fuzz")
HANG_SECONDS = 30  # per input: only a hang takes this long
# With CFGLINT_FUZZ_FAILURES=path, a failing input is appended to that JSON-lines file and the
# campaign goes on (no shrinking): one long run lists every distinct failure, not the first.
FAILURE_LOG = os.environ.get("CFGLINT_FUZZ_FAILURES")

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
        if currently_in_test_context():  # not when tests/fuzz/replay.py replays a logged input
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


@PROFILE
@given(case=cases(), output_format=st.sampled_from(FORMATS),
       explain_format=st.sampled_from(("text", "json", "markdown")))
def test_every_input_survives_and_keeps_its_secrets(case: Case, output_format: str, explain_format: str) -> None:
    """For each input, in a drawn output format: `check` cold, from the result cache and with
    `--show-source`, and `explain`, all finish (exit 0/1, no internal error, no traceback,
    strict JSON); the cached run prints the cold run's bytes; no secret shows more than its
    first 4 characters in any output or cache file. Drawing the formats (rather than running
    every one per input) keeps an input cheap enough for the 100,000-input profile."""
    try:
        _check_one_input(case, output_format, explain_format)
    except (AssertionError, Hang) as failure:
        if not FAILURE_LOG:
            raise
        with open(FAILURE_LOG, "a", encoding="utf-8") as log:  # the long campaign goes on past a failure
            log.write(json.dumps({"dialect": case.dialect, "content": base64.b64encode(case.content).decode(),
                                  "env": case.env, "secrets": case.secrets, "output_format": output_format,
                                  "explain_format": explain_format, "failure": str(failure)[:4000]}) + "\n")


def _check_one_input(case: Case, output_format: str, explain_format: str) -> None:
    with workspace(case) as space:
        cold = space.run("check", "--output-format", output_format, cache=True)
        warm = space.run("check", "--output-format", output_format, cache=True)
        snippets = space.run("check", "--output-format", output_format, "--show-source")
        explained = space.run("explain", "--no-env", "--format", explain_format)
        for run, json_output in ((cold, output_format), (warm, output_format), (snippets, output_format),
                                 (explained, explain_format)):
            assert_survived(run)
            if json_output in ("json", "sarif") and run.stdout.strip():
                strict_json(run.stdout)
        assert warm.stdout == cold.stdout, "the cached run printed something else"
        printed = "".join(run.stdout + run.stderr for run in (cold, warm, snippets, explained)) + space.cache_files()
        for secret in case.secrets:
            leaked = [piece for piece in secret_windows(secret) if piece in printed]
            assert not leaked, f"secret {secret[:4]}… leaked: {leaked[:3]}"
