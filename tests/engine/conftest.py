"""A harness with companion files and launch flags, standing in for a real unit in engine tests."""

from __future__ import annotations

import re
from typing import Sequence

import pytest

from cfglint.harnesses.base import Launch
from cfglint.harnesses.kimi import KimiCode


class CompanionHarness(KimiCode):
    """Kimi Code's files, plus: a `# companion: PATH` comment names a companion file, and the
    flags `-c KEY=VALUE` (a TOML line of a top layer) and `--strict` (unknown keys are errors)."""

    def companion_files(self, path, content: bytes) -> list[str]:
        return [m.decode("utf-8", "replace") for m in re.findall(rb"(?m)^# companion: (.+?)[ \t\r]*$", content)]

    def launch(self, args: Sequence[str]) -> Launch:
        lines, strict, rest = [], False, list(args)
        while rest:
            flag = rest.pop(0)
            if flag == "--strict":
                strict = True
            elif flag == "-c" and rest:
                lines.append(rest.pop(0))
            else:
                raise ValueError(f"fake: no flag {flag!r}")
        return Launch(layer="".join(line + "\n" for line in lines) or None, label="fake -c",
                      strict_unknown_keys=strict, args=tuple(args))


FAKE = CompanionHarness()


@pytest.fixture
def fake_harness(monkeypatch, tmp_path):
    """`kimi-code` read by `CompanionHarness`; the result cache and the working directory in the
    test's own directory (no settings file of the repository applies)."""
    from cfglint import harnesses

    monkeypatch.setitem(harnesses._UNITS, "kimi-code", (__name__, "FAKE"))
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return FAKE
