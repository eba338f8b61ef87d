"""pi resolver: exact numbers from `harness-pi.md` §5 (worked examples §5.5) and §3."""

from __future__ import annotations

import functools
import json

import pytest

from cfglint.core.document import Document
from cfglint.core.finding import Severity
from cfglint.core.text import SourceText
from cfglint.harnesses.budget import DEFAULT, SETTING, Environment, ResolveInput
from cfglint.harnesses.pi import PI, facts

SETTINGS = "/home/u/.pi/agent/settings.json"
MODELS = "/home/u/.pi/agent/models.json"
PROJECT = "/work/app/.pi/settings.json"


@functools.lru_cache(maxsize=None)
def _registry():
    from cfglint.registry import load_registry

    return load_registry(use_cache=False)


def doc(path: str, data: dict | str) -> Document:
    text = data if isinstance(data, str) else json.dumps(data)
    source = SourceText(text)
    parse = PI.parse(source, {}, path)
    assert parse.ok, parse.diagnostics
    return Document(path, path.lstrip("/"), source, parse, "pi")


def resolve(settings: dict | None = None, models: dict | None = None, *, project: dict | None = None,
            version: str | None = None):
    layers = [doc(path, data) for path, data in ((SETTINGS, settings), (MODELS, models), (PROJECT, project))
              if data is not None]
    layers.sort(key=PI.layer_rank)
    inp = ResolveInput(PI.merge(layers), version or PI.default_version, Environment.external({}), _registry())
    return {b.model: b for b in PI.resolve(inp)}


def sonnet(**compaction) -> dict:
    settings = {"defaultProvider": "anthropic", "defaultModel": "claude-sonnet-4-5"}
    return {**settings, "compaction": compaction} if compaction else settings


def custom(model_id: str = "big", **limits) -> dict:
    return {"providers": {"p": {"baseUrl": "http://localhost:8000/v1", "api": "openai-completions",
                                "models": [{"id": model_id, **limits}]}}}


# --- §5.5 worked examples ----------------------------------------------------------------------


def test_example_1_sonnet_defaults_on_1_6_0():
    b = resolve(sonnet())["anthropic/claude-sonnet-4-5"]
    assert b.window.value == b.hard_limit.value == 200_000
    assert b.window.source.kind == DEFAULT and "pi-ai 1.6.0 built-in" in b.window.source.label
    assert b.trigger.value == 183_616
    assert b.trigger_rule == "reserve"
    assert b.trigger.formula == "contextWindow 200,000 - reserveTokens 16,384 = 183,616"
    assert b.max_tokens_normal.value == 64_000
    at_trigger = b.max_tokens_at_trigger
    assert at_trigger.value is None
    assert at_trigger.formula == ("margin = max(4096, ceil(0.15 * E)); room = 200000 - E - margin; if room < 32768: "
                                  "room = min(32768, 200000 - E - 4096); max_tokens = min(64000, max(1, room))")
    assert b.headroom is None  # clamped to the room left: no CMP001 on 1.6.0
    assert b.max_tokens_compaction.value is None and b.max_tokens_compaction.formula == at_trigger.formula
    assert b.declared_limits and not b.every_step


@pytest.mark.parametrize(("estimate", "sent"), [(100_000, 64_000), (150_000, 32_768), (183_616, 12_288)])
def test_example_1_clamp_numbers(estimate, sent):
    assert facts.clamped_output(200_000, 64_000, estimate) == sent


def test_example_1_unclamped_anthropic_on_0_80_2_dead_zone():
    b = resolve(sonnet(), version="0.80.2")["anthropic/claude-sonnet-4-5"]
    assert b.max_tokens_normal.value == b.max_tokens_at_trigger.value == 64_000
    assert b.headroom.value == 16_384
    assert b.hard_limit.value - b.max_tokens_normal.value == 136_000   # requests above 136,000 are rejected
    assert b.trigger.value - 136_000 == 47_616                          # the dead zone
    assert b.max_tokens_compaction.value == 13_107                      # min(floor(0.8 x 16,384), 64,000)


def test_example_1_on_0_73_1_asks_32000():
    b = resolve(sonnet(), version="0.73.1")["anthropic/claude-sonnet-4-5"]
    assert b.max_tokens_normal.value == 32_000
    assert b.max_tokens_normal.formula == "min(maxTokens 64,000, 32,000) = 32,000"
    assert b.hard_limit.value - b.max_tokens_normal.value == 168_000 and b.trigger.value == 183_616
    assert b.max_tokens_compaction.value == 13_107
    assert "not clamped" in b.compaction_note


def test_example_2_small_local_model_compacts_every_check():
    b = resolve({"defaultProvider": "p", "defaultModel": "small"},
                custom("small", contextWindow=8192, maxTokens=4096))["p/small"]
    assert b.window.value == 8192 and b.window.source.kind == SETTING
    assert b.trigger.value == -8_192
    assert b.every_step
    assert "reserveTokens 16,384 >= contextWindow 8,192" in b.trigger_reason


def test_example_3_per_model_reserve():
    settings = {"defaultProvider": "p", "defaultModel": "big",
                "compaction": {"modelOverrides": {"p/big": {"reserveTokens": 400_000}}}}
    models = {"providers": {"p": {"baseUrl": "http://localhost:8000/v1", "api": "openai-completions", "models": [
        {"id": "big", "contextWindow": 1_000_000, "maxTokens": 32_000},
        {"id": "other", "contextWindow": 1_000_000, "maxTokens": 32_000}]}}}
    budgets = resolve(settings, models)
    assert budgets["p/big"].trigger.value == 600_000
    assert budgets["p/big"].trigger.source.path == ("compaction", "modelOverrides", "p/big", "reserveTokens")
    assert budgets["p/other"].trigger.value == 1_000_000 - 16_384


def test_example_3_override_not_read_before_0_86_0():
    settings = {"defaultProvider": "p", "defaultModel": "big",
                "compaction": {"modelOverrides": {"p/big": {"reserveTokens": 400_000}}}}
    b = resolve(settings, custom(contextWindow=1_000_000, maxTokens=32_000), version="0.85.0")["p/big"]
    assert b.trigger.value == 1_000_000 - 16_384
    assert [e.code for e in b.effects] == ["CMP004"]


@pytest.mark.parametrize(("version", "sent"), [("0.71.1", 250_000), ("0.73.1", 250_000), ("0.74.1", 128_000)])
def test_example_4_summary_request_on_old_versions(version, sent):
    settings = {"defaultProvider": "anthropic", "defaultModel": "claude-opus-4-7",
                "compaction": {"reserveTokens": 312_500}}
    b = resolve(settings, version=version)["anthropic/claude-opus-4-7"]
    assert b.max_tokens_compaction.value == sent
    assert b.model_output.value == 128_000  # the registry: CMP005 compares the two


def test_example_5_kept_tail_at_or_above_the_threshold():
    settings = {"defaultProvider": "p", "defaultModel": "big"}
    b = resolve(settings, custom(contextWindow=32_768, maxTokens=8192))["p/big"]
    assert b.trigger.value == 16_384
    assert b.kept_tail.value == b.post_compaction_floor.value == 20_000
    assert b.post_compaction_floor.value >= b.trigger.value


def test_example_6_gateway_clamp():
    assert facts.clamped_output(1_048_576, 131_072, 815_916) == 110_272


# --- §3.3 models.json ------------------------------------------------------------------------


def test_custom_model_defaults_and_builtin_replaced():
    models = {"providers": {"anthropic": {"models": [{"id": "claude-opus-4-7"}]}}}
    b = resolve({"defaultProvider": "anthropic", "defaultModel": "claude-opus-4-7"}, models)["anthropic/claude-opus-4-7"]
    assert b.window.value == 128_000 and b.max_tokens_normal.value == 16_384
    assert b.trigger.value == 111_616
    [effect] = [e for e in b.effects if e.code == "CMP009"]
    assert effect.severity is Severity.WARNING
    assert effect.details == {"builtin": {"contextWindow": 1_000_000, "maxTokens": 128_000},
                              "defaults": {"contextWindow": 128_000, "maxTokens": 16_384},
                              "missing": ["contextWindow", "maxTokens"]}
    assert effect.source.path == ("providers", "anthropic", "models", 0, "id")


def test_model_override_keeps_builtin_limits():
    models = {"providers": {"anthropic": {"modelOverrides": {"claude-opus-4-7": {"maxTokens": 64_000}}}}}
    b = resolve({"defaultProvider": "anthropic", "defaultModel": "claude-opus-4-7"}, models)["anthropic/claude-opus-4-7"]
    assert b.window.value == 1_000_000 and b.max_tokens_normal.value == 64_000
    assert b.configured_output.source.path == ("providers", "anthropic", "modelOverrides", "claude-opus-4-7",
                                               "maxTokens")
    assert not [e for e in b.effects if e.code == "CMP009"]


def test_override_supplies_the_limits_of_a_replacing_entry():
    models = {"providers": {"anthropic": {"models": [{"id": "claude-opus-4-7"}],
                                          "modelOverrides": {"claude-opus-4-7": {"contextWindow": 1_000_000,
                                                                                 "maxTokens": 128_000}}}}}
    b = resolve(None, models)["anthropic/claude-opus-4-7"]
    assert b.window.value == 1_000_000
    assert not [e for e in b.effects if e.code == "CMP009"]


def test_project_settings_merge_over_global():
    b = resolve(sonnet(reserveTokens=20_000, keepRecentTokens=5000),
                project={"compaction": {"reserveTokens": 40_000}})["anthropic/claude-sonnet-4-5"]
    assert b.trigger.value == 160_000
    assert b.kept_tail.value == 5000


# --- §3.2 invalid token values -------------------------------------------------------------------


def test_invalid_reserve_throws_on_1_6_0():
    b = resolve(sonnet(reserveTokens="16384"))["anthropic/claude-sonnet-4-5"]
    assert b.trigger.value is None and not b.deliberate_off
    assert "throws" in b.trigger_reason


def test_numeric_string_reserve_works_before_0_86_0():
    b = resolve(sonnet(reserveTokens="32768"), version="0.85.0")["anthropic/claude-sonnet-4-5"]
    assert b.trigger.value == 200_000 - 32_768


def test_non_numeric_reserve_disables_compaction_before_0_86_0():
    b = resolve(sonnet(reserveTokens="16k"), version="0.85.0")["anthropic/claude-sonnet-4-5"]
    assert b.trigger.value is None and "NaN" in b.trigger_reason


def test_compaction_disabled_is_deliberate():
    b = resolve(sonnet(enabled=False))["anthropic/claude-sonnet-4-5"]
    assert b.trigger.value is None and b.deliberate_off and "overflow" in b.trigger_reason


# --- §5.3 output cap by version ---------------------------------------------------------------------


@pytest.mark.parametrize(("version", "sent"), [("0.74.1", 200_000), ("0.75.0", 32_000), ("0.75.4", None)])
def test_output_rows(version, sent):
    b = resolve({"defaultProvider": "p", "defaultModel": "big"},
                custom(contextWindow=200_000, maxTokens=200_000), version=version)["p/big"]
    assert (b.max_tokens_normal.value if b.max_tokens_normal else None) == sent


def test_clamp_formula_before_1_5_1():
    b = resolve(sonnet(), version="1.2.0")["anthropic/claude-sonnet-4-5"]
    assert b.max_tokens_at_trigger.formula == ("max_tokens = min(64000, max(1, 200000 - E - 4096)), "
                                               "E = chars / 3.5 of the whole request")
    assert b.max_tokens_compaction.value == 13_107  # 0.74.1-1.3.x: min(floor(0.8 R), M)


# --- models.json as pi composes it (model-registry.ts < 0.80.8, provider-composer.ts after) ----------


def test_overrides_reach_custom_models_from_0_80_8():
    models = custom(contextWindow=65_536, maxTokens=8192)
    models["providers"]["p"]["modelOverrides"] = {"big": {"contextWindow": 32_768}}
    assert resolve(None, models)["p/big"].window.value == 32_768
    assert resolve(None, models, version="0.80.2")["p/big"].window.value == 65_536


def test_invalid_models_json_is_ignored():
    budgets = resolve(sonnet(), custom(contextWindow=0, maxTokens=8192))
    assert list(budgets) == ["anthropic/claude-sonnet-4-5"]
    assert any("ignores the whole models.json" in note for note in budgets["anthropic/claude-sonnet-4-5"].notes)


@pytest.mark.parametrize(("version", "models"), [("1.6.0", ["anthropic/claude-sonnet-4-5", "p/big"]),
                                                 ("0.80.2", ["anthropic/claude-sonnet-4-5"])])
def test_a_broken_provider(version, models):
    data = custom(contextWindow=65_536, maxTokens=8192)
    data["providers"]["broken"] = {"models": [{"id": "m"}]}
    assert list(resolve(sonnet(), data, version=version)) == models


def test_explain_model_takes_any_builtin():
    inp = ResolveInput(PI.merge([doc(SETTINGS, {})]), "1.6.0", Environment.external({}), _registry(),
                       model="openai/gpt-5.5")
    [b] = PI.resolve(inp)
    assert b.window.value == 272_000 and b.trigger.value == 272_000 - 16_384


def test_a_null_override_entry_throws():
    settings = {"defaultProvider": "p", "defaultModel": "big", "compaction": {"modelOverrides": {"p/big": None}}}
    b = resolve(settings, custom(contextWindow=131_072, maxTokens=8192))["p/big"]
    assert b.trigger.value is None and "not an object" in b.trigger_reason


def test_an_override_limit_of_zero_is_used_before_1_2_0():
    models = {"providers": {"anthropic": {"modelOverrides": {"claude-opus-4-7": {"contextWindow": 0}}}}}
    b = resolve(None, models, version="0.73.1")["anthropic/claude-opus-4-7"]
    assert b.window.value == 0 and b.every_step
    assert resolve(None, models) == {}  # 1.6.0: schema error, pi ignores models.json (and names no model)


# --- registry comparisons (corpus false positives, `pi_corpus.md` FP-1, FP-4, FP-5) -------------


def test_a_declared_window_is_enough_for_reg001():
    """A custom model with `contextWindow` and no `maxTokens`: pi has its limits (16,384 output by
    default, clamped to the window), so no REG001; the note says what pi assumes."""
    b = resolve(None, custom("my-local-7b", contextWindow=65_536))["p/my-local-7b"]
    assert b.declared_limits
    assert b.max_tokens_normal.value == 16_384 and b.max_tokens_normal.source.kind == DEFAULT
    assert any("states no maxTokens: pi assumes its custom-model default maxTokens 16,384" in note for note in b.notes)
    bare = resolve(None, custom("my-local-7b"))["p/my-local-7b"]
    assert not bare.declared_limits and (bare.window.value, bare.max_tokens_normal.value) == (128_000, 16_384)


def test_catalog_limits_are_not_compared_with_an_older_registry():
    """claude-sonnet-4-6: pi-ai 1.6.0 ships 1,000,000 / 128,000, the registry 200,000 / 64,000; the
    settings only name the model, so neither REG003 nor CMP005 has a number to compare."""
    b = resolve({"defaultProvider": "anthropic", "defaultModel": "claude-sonnet-4-6"})["anthropic/claude-sonnet-4-6"]
    assert (b.window.value, b.max_tokens_normal.value) == (1_000_000, 128_000)
    assert b.trigger.value == 983_616
    assert b.model_context is None and b.model_output is None
    assert any("pi-ai 1.6.0's catalog 1,000,000: the config sets no limit" in note for note in b.notes)


def test_a_written_limit_is_still_compared():
    """An override's own maxTokens is the user's: compared; the window it leaves to the catalog is not."""
    models = {"providers": {"anthropic": {"modelOverrides": {"claude-sonnet-4-6": {"maxTokens": 200_000}}}}}
    b = resolve({"defaultProvider": "anthropic", "defaultModel": "claude-sonnet-4-6"}, models)[
        "anthropic/claude-sonnet-4-6"]
    assert b.model_context is None
    assert b.model_output.value == 64_000 and b.configured_output.value == 200_000


def test_catalog_limits_that_agree_stay():
    b = resolve(sonnet())["anthropic/claude-sonnet-4-5"]
    assert b.model_context.value == 200_000 and b.model_output.value == 64_000


@pytest.mark.parametrize(("model_id", "base_url"), [
    ("free", "http://localhost:20128/v1"),                 # kilo-auto/free, openrouter/free by bare id
    ("qwen3.6-35b", "https://api.neuralwatt.com/v1"),      # llmtr/qwen3-6-35b after spelling normalisation
])
def test_no_limits_from_a_weak_match_under_other_providers(model_id, base_url):
    models = {"providers": {"host": {"baseUrl": base_url, "api": "openai-completions", "apiKey": "$K",
                                     "models": [{"id": model_id, "contextWindow": 250_000, "maxTokens": 16_384}]}}}
    b = resolve(None, models)[f"host/{model_id}"]
    assert b.registry_match.kind == "none" and b.model_context is None and b.model_output is None
    assert b.declared_limits


def test_a_model_only_match_of_a_named_model_stays():
    b = resolve(None, custom("qwen3-coder-30b-a3b-instruct", contextWindow=1_000_000))["p/qwen3-coder-30b-a3b-instruct"]
    assert b.registry_match.kind == "model-only" and b.model_context is not None


def test_line_comments_make_models_json_ignored_before_0_73_1():
    """0.73.1 (PR #4162) strips `//` comments and trailing commas; before, JSON.parse fails and pi
    ignores the whole models.json."""
    text = '{"providers": {"p": {"baseUrl": "http://localhost:8000/v1", "api": "openai-completions", "apiKey": "k",\n' \
           '  // the office box\n  "models": [{"id": "big", "contextWindow": 65536},]}}}'
    layers = [doc(MODELS, text), doc(SETTINGS, {"defaultProvider": "p", "defaultModel": "big"})]

    def budgets(version):
        inp = ResolveInput(PI.merge(layers), version, Environment.external({}), _registry())
        return {b.model: b for b in PI.resolve(inp)}

    assert budgets("0.73.1")["p/big"].window.value == 65_536
    assert budgets("0.72.0") == {}  # the custom model is gone with the file
