"""The resolver-to-rule contract (`cfglint/harnesses/RESOLVERS.md`): typed, documented from the
record itself, and each documented reader really reads its fields."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest

from cfglint.harnesses.budget import EFFECT_CODES, TRIGGER_RULES, Budget, render_field_table
from cfglint.rules import RULES, rule_for

REPO = Path(__file__).resolve().parent.parent
RESOLVERS_MD = REPO / "cfglint" / "harnesses" / "RESOLVERS.md"
WORDING = REPO / "cfglint" / "rules" / "wording.py"
EXPLAIN = REPO / "cfglint" / "report" / "explain.py"


def test_the_field_table_of_resolvers_md_is_generated_from_the_record() -> None:
    text = RESOLVERS_MD.read_text(encoding="utf-8")
    block = text.split("do not edit -->\n", 1)[1].split("<!-- end of generated table -->", 1)[0]
    assert block == render_field_table(), "run `python -m cfglint.harnesses.budget` and paste the table"


def _reads(source: str, name: str, by_name: bool = False) -> bool:
    """`b.<name>`/`budget.<name>` in rule code; with `by_name` also the field named as a string
    (explain prints the numbers from a table of field names)."""
    attribute = re.search(rf"\b(b|budget)\.{name}\b", source) is not None
    return attribute or (by_name and re.search(rf"[\"']{name}[\"']", source) is not None)


READERS = sorted({(f.name, reader) for f in Budget.FIELDS for reader in f.read_by})


@pytest.mark.parametrize(("field_name", "reader"), READERS, ids=lambda v: v)
def test_every_documented_reader_reads_its_field(field_name: str, reader: str) -> None:
    if reader == "explain":
        assert _reads(EXPLAIN.read_text(encoding="utf-8"), field_name, by_name=True)
        return
    if reader == "wording":
        source = WORDING.read_text(encoding="utf-8")
    else:
        source = inspect.getsource(rule_for(reader))
    assert _reads(source, field_name), f"{reader} is documented as reading `{field_name}` but does not"


@pytest.mark.parametrize("code", [c for c in sorted(RULES) if c[:3] in ("CMP", "REG", "ENV")])
def test_every_field_a_budget_rule_reads_is_documented(code: str) -> None:
    source = inspect.getsource(rule_for(code))
    read = {f.name for f in Budget.FIELDS if _reads(source, f.name)}
    documented = {f.name for f in Budget.FIELDS if code in f.read_by}
    assert read <= documented, f"{code} reads {sorted(read - documented)} without saying so in Budget.FIELDS"


def test_no_field_is_read_by_nothing() -> None:
    assert [f.name for f in Budget.FIELDS if not f.read_by] == []


def test_budgets_use_only_the_typed_literals(run_explain_examples) -> None:
    """Every trigger rule and effect code a resolver produces on the examples is one of the
    values (`TRIGGER_RULES`) the rules are written against."""
    budgets = run_explain_examples
    assert budgets, "explain produced no budgets"
    rules = set(TRIGGER_RULES)
    assert {b["trigger_rule"] for b in budgets} <= rules


def test_effect_codes_are_rules_that_report_effects() -> None:
    for code in EFFECT_CODES:
        assert code in RULES


@pytest.fixture(scope="module")
def run_explain_examples() -> list[dict]:
    from click.testing import CliRunner

    from cfglint.cli import cli

    result = CliRunner().invoke(cli, ["explain", "--format", "json", str(REPO / "examples")])
    assert result.exit_code == 0, result.output
    return [b for config in json.loads(result.output) for b in _budgets(config)]


def _budgets(node) -> list[dict]:
    if isinstance(node, dict):
        if "trigger_rule" in node:
            return [node]
        return [b for value in node.values() for b in _budgets(value)]
    if isinstance(node, list):
        return [b for value in node for b in _budgets(value)]
    return []
