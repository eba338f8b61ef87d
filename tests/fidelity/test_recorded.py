"""cfglint's budgets equal the harness's own numbers on a recorded sample (issue 11).

`make fidelity` runs each harness's shipped code (`tools/fidelity/`) on generated configs and
compares it with `cfglint explain`; it downloads the packages and takes minutes. This test
replays a fixed sample of those configs with the numbers the harness computed, recorded in
`tests/fidelity/data/<dialect>.json` with the package, its sha256 and the generator that made them
(`make fidelity` rewrites the files with `--record`). No network, no harness needed.

A case compares only the numbers its `oracle` holds (`null`: the harness has none, and cfglint
must say so too). A difference that is a decision, not a gap, is listed under `documented` with
the harness code that explains it; the test then checks cfglint still differs in that way only.
A case with `"home": true` has its files relative to HOME (pi's global `~/.pi/agent/`): the test runs
it with HOME at the case's directory; `harness_args` are the flags the harness ran with (Codex `-c`).
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from cfglint.cli import cli
from cfglint.core.paths import cache_dir
from cfglint.harnesses import DIALECTS, harness_for

DATA = Path(__file__).parent / "data"
# `input_cap`: Codex's usable window (what its rollout records as the context window), below `window`.
NUMBERS = ("window", "input_cap", "trigger", "max_tokens_normal", "max_tokens_at_trigger", "max_tokens_compaction")


def _recordings() -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(DATA.glob("*.json"))}


RECORDINGS = _recordings()
CASES = [(dialect, case) for dialect, data in RECORDINGS.items() for case in data["cases"]]


def test_every_dialect_with_a_resolver_has_a_recorded_sample() -> None:
    with_resolver = {d for d in DIALECTS if harness_for(d).resolver_module}
    assert sorted(with_resolver - set(RECORDINGS)) == []
    for dialect, data in RECORDINGS.items():
        assert len(data["cases"]) >= 50, dialect
        assert data["package"] and len(data["sha256"]) == 64, dialect


def cfglint_numbers(dialect: str, case: dict, root: Path) -> dict[str, int | float | None]:
    """The numbers `cfglint explain --format json` gives for the case's model."""
    for name, text in case["files"].items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    args = ["explain", "--no-env", "--format", "json", "--target", f"{dialect}@{case['target']}"]
    args += [arg for name, value in case.get("env", {}).items() for arg in ("--env", f"{name}={value}")]
    if case.get("model"):
        args += ["--model", case["model"]]
    if case.get("harness_args"):  # the harness's own flags (Codex `-c key=value`)
        args += ["--harness-args", f"{dialect}={shlex.join(case['harness_args'])}"]
    args += [str(root / name) for name in case["files"]]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    budgets = [b for b in json.loads(result.stdout) if b["dialect"] == dialect]
    assert budgets, f"no {dialect} budget: {result.stdout}"
    numbers = budgets[0]["numbers"]
    return {name: (numbers[name] or {}).get("value") for name in NUMBERS}


@pytest.mark.parametrize(("dialect", "case"), CASES, ids=[case["id"] for _, case in CASES])
def test_budget_equals_the_harness(dialect: str, case: dict, tmp_path: Path, monkeypatch) -> None:
    if case.get("home"):
        monkeypatch.setenv("CFGLINT_CACHE_DIR", cache_dir())
        monkeypatch.setenv("HOME", str(tmp_path))
    ours = cfglint_numbers(dialect, case, tmp_path)
    documented = case.get("documented", {})
    differ = {name: (ours[name], want) for name, want in case["oracle"].items() if ours[name] != want}
    assert set(differ) == set(documented), (
        f"cfglint vs {RECORDINGS[dialect]['package']}: {differ} (documented: {sorted(documented)})")
