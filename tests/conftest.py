"""Shared test helpers: run the CLI in-process with a clean environment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from cfglint.parsing.pyyaml import import_pyyaml

import_pyyaml()  # before any test imports yaml: the suite runs PyYAML as `cfglint check` does

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(monkeypatch, tmp_path):
    """Run `cfglint ARGS` in-process; the user cache points at a temporary directory."""
    from cfglint.cli import cli as command

    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)  # a CI that sets it must not colour the snapshots

    def run(*args: str, input: bytes | str | None = None, cwd: Path | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        result = CliRunner().invoke(command, list(args), input=input, catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path (creating directories) and return its path."""

    def make(relative: str, content: str | bytes) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return make
