"""Rule documentation: every code is documented, `cfglint rule` prints it, docs/rules/ is fresh.

The catalogue of codes is the rule tables of the spec (`../shared/spec/rules.md`
beside the clone, as in CI); when it is absent only the registered rules are
checked.
"""

from __future__ import annotations

import importlib
import re

import pytest

from conftest import REPO

SPEC_RULES = REPO.parent / "shared" / "spec" / "rules.md"
DOCS_DIR = REPO / "docs" / "rules"


def spec_codes() -> list[str]:
    """Codes of the `| CODE | name | sev | fires when |` rows of the spec's rule tables."""
    text = SPEC_RULES.read_text(encoding="utf-8")
    return re.findall(r"^\|\s*([A-Z]{3}[0-9]{3})\s*\|", text, flags=re.MULTILINE)


def registered() -> dict:
    from cfglint.rules import all_rules

    return all_rules()


REGISTERED = sorted(registered())


# Codes the spec defines for harnesses cfglint does not read yet: each is registered with the
# harness unit that needs it (its row points at that harness's fact sheet).
PENDING_WITH_HARNESS = {"CMP009": "harness-pi.md", "CMP010": "harness-codex.md"}


@pytest.mark.skipif(not SPEC_RULES.is_file(), reason=f"spec not found at {SPEC_RULES}")
def test_every_code_of_the_spec_is_a_registered_rule():
    codes = spec_codes()
    assert len(codes) >= 20, "the spec's rule tables were not parsed"
    missing = [c for c in codes if c not in registered()]
    assert [c for c in missing if c not in PENDING_WITH_HARNESS] == []
    text = SPEC_RULES.read_text(encoding="utf-8")
    for code in missing:  # still pending only while its harness is missing
        row = re.search(rf"^\|\s*{code}\s*\|.*$", text, flags=re.MULTILINE).group(0)
        assert PENDING_WITH_HARNESS[code] in row
        assert not (REPO / "cfglint" / "harnesses" / PENDING_WITH_HARNESS[code][8:-3]).exists()


@pytest.mark.skipif(not SPEC_RULES.is_file(), reason=f"spec not found at {SPEC_RULES}")
def test_rule_names_match_the_spec():
    """Codes and names are the public API: the class name must be the spec's."""
    text = SPEC_RULES.read_text(encoding="utf-8")
    spec = dict(re.findall(r"^\|\s*([A-Z]{3}[0-9]{3})\s*\|\s*([a-z0-9-]+)\s*\|", text, flags=re.MULTILINE))
    rules = registered()
    assert {code: rules[code].name for code in spec if code in rules} == {
        code: name for code, name in spec.items() if code in rules
    }


@pytest.mark.parametrize("code", REGISTERED)
def test_rule_has_complete_docs(code):
    from cfglint.core.finding import Severity
    from cfglint.rules.base import RuleDoc

    cls = registered()[code]
    assert re.fullmatch(r"[A-Z]{3}[0-9]{3}", cls.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cls.name)
    assert isinstance(cls.severity, Severity)
    assert cls.summary.strip()
    assert isinstance(cls.doc, RuleDoc)
    for part in ("what", "why", "example", "fix"):
        assert getattr(cls.doc, part).strip(), f"{code}: doc.{part} is empty"


@pytest.mark.parametrize("code", REGISTERED)
def test_cfglint_rule_prints_the_docs(cli, code):
    cls = registered()[code]
    result = cli("rule", code)
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith(f"# {cls.name} ({code})\n")
    assert f"Default severity: {cls.severity.label}" in out
    for heading in ("## What it checks", "## Why it matters", "## Example", "## Fix"):
        assert heading in out
    for part in (cls.summary, cls.doc.what, cls.doc.why, cls.doc.fix):
        assert part.strip() in out
    for line in cls.doc.example.strip().splitlines():
        assert line.rstrip() in out


def test_rule_code_is_case_insensitive(cli):
    assert cli("rule", "sch002").stdout == cli("rule", "SCH002").stdout


def test_rule_all_prints_every_rule(cli):
    result = cli("rule", "--all")
    assert result.exit_code == 0
    headings = re.findall(r"^# [a-z0-9-]+ \(([A-Z]{3}[0-9]{3})\)$", result.stdout, flags=re.MULTILINE)
    assert sorted(headings) == REGISTERED


@pytest.mark.parametrize("args", [("XYZ999",), ("SCH999",), ()])
def test_unknown_or_missing_code_is_a_usage_error(cli, args):
    result = cli("rule", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_docs_pages_are_fresh():
    """docs/rules/ is what `python -m cfglint.rules.docs` writes (run it after changing a rule's doc)."""
    from cfglint.rules.docs import build_docs

    expected = build_docs()
    committed = {p.name: p.read_text(encoding="utf-8") for p in DOCS_DIR.glob("*.md")} if DOCS_DIR.is_dir() else {}
    stale = sorted(name for name in expected.keys() | committed.keys() if expected.get(name) != committed.get(name))
    assert stale == [], "docs/rules is stale; run `python -m cfglint.rules.docs`"


def test_index_lists_every_rule_once():
    from cfglint.rules.docs import render_index

    index = render_index(registered().values())
    rows = re.findall(r"^\| \[([A-Z]{3}[0-9]{3})\]\(\1\.md\) \| ([a-z0-9-]+) \| (error|warning|info) \| (.+) \|$",
                      index, flags=re.MULTILINE)
    assert sorted(code for code, *_ in rows) == REGISTERED
    rules = registered()
    assert all(rules[code].name == name and rules[code].severity.label == sev for code, name, sev, _ in rows)


def test_write_docs_writes_pages_and_removes_retired_ones(tmp_path):
    from cfglint.rules.docs import build_docs, main, stale_pages, write_docs

    (tmp_path / "XYZ001.md").write_text("a rule that no longer exists\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("kept\n", encoding="utf-8")
    assert "XYZ001.md" in stale_pages(tmp_path)
    written = write_docs(tmp_path)
    assert {p.name for p in written} == set(build_docs())
    assert not (tmp_path / "XYZ001.md").exists() and (tmp_path / "notes.txt").exists()
    assert stale_pages(tmp_path) == []
    assert write_docs(tmp_path) == []  # unchanged pages are not rewritten
    assert main([str(tmp_path), "--check"]) == 0
    (tmp_path / "SCH002.md").write_text("edited by hand\n", encoding="utf-8")
    assert main([str(tmp_path), "--check"]) == 1


def test_help_uri_follows_the_homepage_url():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    from cfglint.rules.docs import help_uri

    urls = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    uri = help_uri("SCH002", urls["Homepage"])
    assert uri == urls["Homepage"].rstrip("/") + "/blob/main/docs/rules/SCH002.md"


def test_the_code_table_names_each_rule_under_its_own_code():
    """`cfglint.rules.RULES` is the one list of codes: every entry leads to a rule class that
    carries that code, and every rule class of the rule modules is in it."""
    import inspect

    from cfglint.rules import RULES, rule_for
    from cfglint.rules.base import Rule

    assert {code: rule_for(code).code for code in RULES} == {code: code for code in RULES}
    modules = {f"cfglint.rules.{entry.partition(':')[0]}" for entry in RULES.values()}
    defined = {cls.code for module in modules for _, cls in inspect.getmembers(importlib.import_module(module))
               if inspect.isclass(cls) and issubclass(cls, Rule) and "code" in cls.__dict__}
    assert defined == set(RULES)
