"""Codex CLI resolver: the numbers `harness-codex.md` §5 measured by running the released binaries
(run 0.99.0, 0.120.0/0.121.0, 0.171.0) and its worked examples (§5.6)."""

from __future__ import annotations

import functools
import json

import pytest

from cfglint.core.document import Document
from cfglint.core.text import SourceText
from cfglint.harnesses.budget import SETTING, Environment, ResolveInput
from cfglint.harnesses.codex import CODEX, facts

USER = "/home/u/.codex/config.toml"
CATALOG = "/home/u/.codex/catalog.json"
PROFILE = "/home/u/.codex/fast.config.toml"


@functools.lru_cache(maxsize=None)
def _registry():
    from cfglint.registry import load_registry

    return load_registry(use_cache=False)


def doc(path: str, text: str) -> Document:
    source = SourceText(text)
    parse = CODEX.parse(source, {}, path)
    assert parse.ok, parse.diagnostics
    return Document(path, path.lstrip("/"), source, parse, "codex")


def resolve(config: str, *, version: str | None = None, catalog: dict | None = None, profile: str | None = None,
            env: dict | None = None):
    layers = [doc(USER, config)]
    if catalog is not None:
        layers.append(doc(CATALOG, json.dumps(catalog)))
    if profile is not None:
        layers.append(doc(PROFILE, profile))
    layers.sort(key=CODEX.layer_rank)
    inp = ResolveInput(CODEX.merge(layers), version or CODEX.default_version, Environment.external(env or {}),
                       _registry())
    return CODEX.resolve(inp)


def only(config: str, **kw):
    [budget] = resolve(config, **kw)
    return budget


def numbers(budget) -> tuple:
    """(usable window, trigger): the window Codex shows (`budget.input_cap`) and where it compacts."""
    return budget.input_cap.value, budget.trigger.value


def codes(budget) -> list[str]:
    return [effect.code for effect in budget.effects]


def entry(slug: str, **fields) -> dict:
    """A complete catalog entry (the bundled one's fields) with `fields` changed or removed (None)."""
    base = dict(next(m for m in facts.bundled_catalog(facts.extracted_releases()[-1]) if m["slug"] == "gpt-5.5"))
    base.update(slug=slug, **{k: v for k, v in fields.items() if v is not None})
    for key in [k for k, v in fields.items() if v is None]:
        base.pop(key, None)
    return base


# --- §5.2 measured on 0.171.0 -----------------------------------------------------------------------


def test_unknown_slug_gets_the_fallback_and_cmp010():
    b = only('model = "qwen3-coder:30b"\n')
    assert numbers(b) == (258_400, 244_800)
    assert "CMP010" in codes(b)
    assert not b.declared_limits and "272,000" in b.assumed_limits


@pytest.mark.parametrize("window, expected", [(1_000_000, (258_400, 244_800)), (100_000, (95_000, 90_000)),
                                              (32_768, (31_129, 29_491))])
def test_model_context_window_on_an_unknown_slug(window, expected):
    b = only(f'model = "my-local-model"\nmodel_context_window = {window}\n')
    assert numbers(b) == expected
    assert ("CMP010" in codes(b)) == (window > 272_000)
    assert ("CMP004" in codes(b)) == (window > 272_000)  # narrowed to the fallback's 272,000


@pytest.mark.parametrize("limit, trigger", [(250_000, 244_800), (100_000, 100_000), (0, 0), (-5, -5)])
def test_limit_is_clamped_to_ninety_percent(limit, trigger):
    b = only(f'model = "my-local-model"\nmodel_auto_compact_token_limit = {limit}\n')
    assert numbers(b) == (258_400, trigger)
    assert b.every_step == (trigger <= 0)
    assert ("CMP004" in codes(b)) == (limit > 244_800)


def test_zero_window_compacts_before_every_request():
    b = only('model = "m"\nmodel_context_window = 0\n')
    assert numbers(b) == (0, 0) and b.every_step


def test_negative_window_truncates_toward_zero():
    b = only('model = "m"\nmodel_context_window = -5\n')
    assert b.input_cap.value == -4  # -5 × 95 / 100 = -4.75, Rust i64 division
    assert b.window.value == -5


def test_bundled_gpt_6_2_sol():
    assert numbers(only('model = "gpt-6.2-sol"\n')) == (475_000, 450_000)
    b = only('model = "gpt-6.2-sol"\nmodel_context_window = 1000000\n')
    assert numbers(b) == (828_400, 784_800)
    assert "CMP004" in codes(b)
    b = only('model = "gpt-6.2-sol"\nmodel_context_window = 600000\nmodel_auto_compact_token_limit = 560000\n')
    assert numbers(b) == (570_000, 540_000)


def test_prefix_and_namespace_lookup():
    assert numbers(only('model = "gpt-6.2-sol-2026-11-01"\n')) == (475_000, 450_000)
    assert numbers(only('model = "openai/gpt-6.2-sol"\n')) == (475_000, 450_000)
    assert "CMP010" in codes(only('model = "GPT-6.2-SOL"\n'))  # case-sensitive


def test_custom_catalog_replaces_the_bundled_one():
    catalog = {"models": [entry("big", context_window=1_000_000, max_context_window=None)]}
    b = only('model = "big"\nmodel_catalog_json = "catalog.json"\n', catalog=catalog)
    assert numbers(b) == (950_000, 900_000)
    assert b.window.value == 1_000_000
    assert b.input_cap.source.kind == SETTING and b.input_cap.source.doc.path == CATALOG
    b = only('model = "gpt-6.2-sol"\nmodel_catalog_json = "catalog.json"\n', catalog=catalog)
    assert numbers(b) == (258_400, 244_800)  # run 0.171.0: the bundled entry is gone
    assert {"CMP004", "CMP010"} <= set(codes(b))


def test_catalog_limits():
    catalog = {"models": [entry("big", context_window=None, max_context_window=500_000)]}
    assert numbers(only('model = "big"\nmodel_catalog_json = "catalog.json"\n', catalog=catalog)) == (475_000, 450_000)
    catalog = {"models": [entry("big", context_window=1_000_000, max_context_window=None,
                                auto_compact_token_limit=950_000)]}
    assert numbers(only('model = "big"\nmodel_catalog_json = "catalog.json"\n', catalog=catalog)) == (950_000, 900_000)
    catalog = {"models": [entry("big", context_window=1_000_000, max_context_window=None)]}
    b = only('model = "big"\nmodel_catalog_json = "catalog.json"\nmodel_context_window = 2000000\n', catalog=catalog)
    assert numbers(b) == (1_900_000, 1_800_000)
    catalog = {"models": [entry("big", context_window=400_000, max_context_window=300_000)]}
    assert only('model = "big"\nmodel_catalog_json = "catalog.json"\n', catalog=catalog).input_cap.value == 380_000
    b = only('model = "big"\nmodel_catalog_json = "catalog.json"\nmodel_context_window = 350000\n', catalog=catalog)
    assert b.input_cap.value == 285_000


def test_effective_percent_and_the_hard_cap():
    catalog = {"models": [entry("half", context_window=200_000, max_context_window=None,
                                effective_context_window_percent=50)]}
    config = 'model = "half"\nmodel_catalog_json = "catalog.json"\n'
    b = only(config, catalog=catalog)
    assert numbers(b) == (100_000, 100_000)  # hard cap from 0.145.0
    assert b.output_reservation.value == 100_000  # CMP007
    assert numbers(only(config, catalog=catalog, version="0.141.0")) == (100_000, 180_000)  # CMP008
    catalog["models"][0]["effective_context_window_percent"] = 150
    assert only(config, catalog=catalog).input_cap.value == 300_000  # CMP008: above the window


# --- other releases --------------------------------------------------------------------------------


def test_0_99_limit_is_not_clamped():
    assert numbers(only('model = "m"\nmodel_auto_compact_token_limit = 250000\n', version="0.99.0")) == (258_400, 250_000)
    assert numbers(only('model = "m"\nmodel_auto_compact_token_limit = 250000\n', version="0.100.0")) == (258_400, 244_800)


def test_0_121_raises_the_window_freely():
    b = only('model = "m"\nmodel_context_window = 1000000\n', version="0.121.0")
    assert numbers(b) == (950_000, 900_000)
    assert "CMP004" not in codes(b)
    assert numbers(only('model = "m"\nmodel_context_window = 1000000\n', version="0.122.0")) == (258_400, 244_800)


def test_before_0_99_an_unknown_slug_never_compacts():
    b = only('model = "qwen3-coder:30b"\n', version="0.90.0")
    assert b.trigger.value is None and b.trigger_rule == "never"
    assert "CMP010" not in codes(b)


# --- layers ------------------------------------------------------------------------------------------


def test_profile_file_is_its_own_run():
    budgets = resolve('model = "gpt-6.2-sol"\n', profile='model = "my-local"\nmodel_context_window = 32768\n')
    assert [(b.model, numbers(b)) for b in budgets] == [("gpt-6.2-sol", (475_000, 450_000)),
                                                        ("my-local", (31_129, 29_491))]


def test_legacy_profile_selection_before_0_134():
    config = 'profile = "local"\nmodel = "gpt-6.2-sol"\n[profiles.local]\nmodel = "tiny"\n'
    assert only(config, version="0.121.0").model == "tiny"
    assert only(config).model == "gpt-6.2-sol"  # >= 0.134.0: `profile` is a start-up error (SCH001)


def test_body_after_prefix_hard_cap_only():
    b = only('model = "m"\nmodel_auto_compact_token_limit_scope = "body_after_prefix"\n'
             'model_auto_compact_token_limit = 9223372036854775807\n')
    assert numbers(b) == (258_400, 258_400)
    assert [e.severity.name for e in b.effects if e.code == "CMP002"] == ["INFO"]


def test_post_compaction_floor_and_registry_input_limit():
    b = only('model = "gpt-5.5"\nmodel_provider = "openai"\n', version="0.171.0")
    assert b.post_compaction_floor.value == 26_000
    assert numbers(b) == (258_400, 244_800)
    # Codex's window is an input budget: REG003 compares it with the registry's input limit
    assert b.model_context.value == 922_000 and b.model_context.source.label.endswith(" input")


def test_oss_port_must_be_a_port():
    b = only('model = "qwen3-coder:30b"\nmodel_provider = "ollama"\n', env={"CODEX_OSS_PORT": "abc"})
    [use] = [u for u in b.env if u.name == "CODEX_OSS_PORT"]
    assert use.problem and use.severity.name == "ERROR"


def test_catalog_entry_without_any_window():
    """run 0.121.0/0.171.0 (tools/fidelity/codex.py): no window at all, so no auto-compaction; a
    limit still triggers, unclamped (there is no 90% term)."""
    catalog = {"models": [entry("bare", context_window=None, max_context_window=None)]}
    config = 'model = "bare"\nmodel_catalog_json = "catalog.json"\n'
    b = only(config, catalog=catalog)
    assert b.window is None and b.trigger.value is None and b.trigger_rule == "never"
    b = only(config + "model_auto_compact_token_limit = 100000\n", catalog=catalog)
    assert b.window is None and b.trigger.value == 100_000


def test_0_121_reads_no_max_context_window_in_a_catalog():
    catalog = {"models": [entry("big", context_window=None, max_context_window=500_000)]}
    config = 'model = "big"\nmodel_catalog_json = "catalog.json"\n'
    assert numbers(only(config, catalog=catalog)) == (475_000, 450_000)
    assert only(config, catalog=catalog, version="0.121.0").trigger.value is None


@pytest.mark.parametrize("version, trigger", [("0.121.0", 180_000), ("0.171.0", -20_000)])
def test_negative_effective_percent(version, trigger):
    catalog = {"models": [entry("neg", context_window=200_000, max_context_window=None,
                                effective_context_window_percent=-10)]}
    b = only('model = "neg"\nmodel_catalog_json = "catalog.json"\n', catalog=catalog, version=version)
    assert numbers(b) == (-20_000, trigger)


def test_project_file_keys_codex_drops(tmp_path):
    """A `.codex/config.toml` beside a project's manifest is the project layer: `model_provider(s)`
    there are dropped (>= 0.130.0, run 0.171.0) and reported (CMP004); profile files there are never read."""
    (tmp_path / "package.json").write_text("{}")
    path = str(tmp_path / ".codex" / "config.toml")
    project = doc(path, 'model = "gpt-5.5"\nmodel_provider = "gw"\n[model_providers.gw]\nname = "GW"\n')
    profile = doc(str(tmp_path / ".codex" / "fast.config.toml"), 'model = "tiny"\n')
    layers = sorted([project, profile], key=CODEX.layer_rank)
    budgets = CODEX.resolve(ResolveInput(CODEX.merge(layers), "0.171.0", Environment.external({}), _registry()))
    assert [b.model for b in budgets] == ["gpt-5.5"] and budgets[0].provider == "openai"
    assert sorted(e.details["key"] for e in budgets[0].effects if e.code == "CMP004") == ["model_provider",
                                                                                          "model_providers"]
    old = CODEX.resolve(ResolveInput(CODEX.merge(layers), "0.121.0", Environment.external({}), _registry()))
    assert not [e for e in old[0].effects if e.code == "CMP004"]


@pytest.mark.parametrize("config, version, expected, fallback", [
    # §5.6 example 1: gpt-5-codex is not in the 0.171.0 bundle (fallback); 0.122.0 bundles it at 272,000
    ('model = "gpt-5-codex"\n', "0.171.0", (258_400, 244_800), True),
    ('model = "gpt-5-codex"\n', "0.122.0", (258_400, 244_800), False),
    # example 3: a 1M window on gpt-5.5 (272,000/272,000) is narrowed
    ('model = "gpt-5.5"\nmodel_context_window = 1000000\n', "0.171.0", (258_400, 244_800), False),
    # example 4: a limit at 95 % of the window: clamped from 0.100.0, as written on 0.99.0
    ('model = "my-local-model"\nmodel_auto_compact_token_limit = 258400\n', "0.171.0", (258_400, 244_800), True),
    ('model = "my-local-model"\nmodel_auto_compact_token_limit = 258400\n', "0.99.0", (258_400, 258_400), True),
    ('model = "gpt-6.2-sol"\nmodel_auto_compact_token_limit = 475000\n', "0.171.0", (475_000, 450_000), False),
])
def test_worked_examples(config, version, expected, fallback):
    b = only(config, version=version)
    assert numbers(b) == expected
    assert ("CMP010" in codes(b)) == fallback  # the model is in no catalog of that release
