"""Rule cases found by their code (actionlint's `testdata/examples/*.yaml` + `.out`,
check-jsonschema's positive/negative example trees).

Layout: `cases/<CODE>/<dialect>-fires[-what].<ext>` must produce at least one `<CODE>`
finding, `cases/<CODE>/<dialect>-clean[-what].<ext>` none. Beside each case, `<case>.out`
holds the exact text output of

    cfglint check --no-cache --no-color --dialect <dialect> [args] <case file>

run in the case's directory; the optional `<case>.args` gives the extra arguments, one per
line (`--target kimi-code@0.16.0`, `--env NAME=VALUE`). Subdirectories of a code directory
hold files a case refers to (`SEC002/prompts/`); they are not cases.

Adding a case is adding its file, then writing its `.out` with

    CFGLINT_UPDATE_CASES=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/rules

and reading every `.out` that changed before accepting it: it must be what the harness does
(rules.md, the harness fact sheets), not merely what cfglint prints today.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cfglint.cli import cli
from cfglint.harnesses import DIALECTS, harness_for
from cfglint.rules import RULES

CASES = Path(__file__).parent / "cases"
UPDATE = os.environ.get("CFGLINT_UPDATE_CASES") == "1"
SUFFIXES = {dialect: "." + harness_for(dialect).syntax for dialect in DIALECTS}  # .toml, .jsonc, .json, .yaml
CASE_NAME = re.compile(rf"^(?P<dialect>{'|'.join(map(re.escape, DIALECTS))})-(?P<kind>fires|clean)(?:-[a-z0-9.-]+)?$")

# Codes of rules written for dialects cfglint does not read yet (Codex CLI: rules.md).
FUTURE_DIALECT_CODES: frozenset[str] = frozenset()

def _rule_codes() -> list[str]:
    return sorted(set(RULES) - FUTURE_DIALECT_CODES)


def _codes_for(dialect: str) -> frozenset[str]:
    """The codes that can fire in `dialect`, as its harness unit states them."""
    return harness_for(dialect).rule_codes


def _case_files() -> list[Path]:
    return sorted(path for path in CASES.glob("*/*") if path.is_file() and path.suffix not in (".out", ".args"))


def _parts(case: Path) -> tuple[str, str, str]:
    """(code, dialect, kind) of a case file, from its directory and name."""
    match = CASE_NAME.match(case.stem)
    assert match, f"{case.parent.name}/{case.name}: not <dialect>-fires[-what] or <dialect>-clean[-what]"
    return case.parent.name, match["dialect"], match["kind"]


def _check(case: Path, dialect: str, *extra: str) -> str:
    """`cfglint check` on the case, run in its directory (the caller's cwd), as `.out` records it."""
    args_file = case.with_suffix(".args")
    args = args_file.read_text(encoding="utf-8").splitlines() if args_file.exists() else []
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--no-color", "--dialect", dialect, *args, *extra,
                                      case.name], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    assert result.stderr == "", result.stderr
    return result.stdout


@pytest.mark.parametrize("case", _case_files(), ids=lambda case: f"{case.parent.name}/{case.name}")
def test_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, dialect, kind = _parts(case)
    monkeypatch.chdir(case.parent)
    assert case.suffix == SUFFIXES[dialect], f"a {dialect} case ends in {SUFFIXES[dialect]}"
    found = {item["code"] for item in json.loads(_check(case, dialect, "--output-format", "json"))}
    if kind == "fires":
        assert code in found, f"{code} does not fire (found: {sorted(found)})"
    else:
        assert code not in found, f"{code} fires in a clean case"
    text = _check(case, dialect)
    expected = case.with_name(case.name + ".out")
    if UPDATE:
        expected.write_text(text, encoding="utf-8")
    assert expected.exists(), f"no {expected.name}: run with CFGLINT_UPDATE_CASES=1 and review it"
    assert text == expected.read_text(encoding="utf-8")


def test_every_code_applies_to_some_dialect() -> None:
    applied = set().union(*(_codes_for(dialect) for dialect in DIALECTS))
    assert [code for code in _rule_codes() if code not in applied] == []


def test_every_applicable_code_has_a_firing_and_a_clean_case() -> None:
    present = {_parts(case) for case in _case_files()}
    missing = [f"{code}/{dialect}-{kind}" for dialect in DIALECTS for code in sorted(_codes_for(dialect))
               for kind in ("fires", "clean") if (code, dialect, kind) not in present]
    assert missing == []


def test_no_case_outside_the_applicability() -> None:
    stray = sorted({f"{code}/{dialect}" for code, dialect, _ in map(_parts, _case_files())
                    if code not in _codes_for(dialect)})
    assert stray == []


def test_no_orphan_out_or_args_file() -> None:
    cases = {case.name for case in _case_files()}
    orphans = [f"{path.parent.name}/{path.name}" for path in CASES.glob("*/*")
               if (path.suffix == ".out" and path.stem not in cases)
               or (path.suffix == ".args" and not any(name.startswith(path.stem + ".") for name in cases))]
    assert orphans == []
