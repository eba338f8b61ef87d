"""Hermes resolver: exact numbers from `harness-hermes.md` sections 5 and 6.1."""

from __future__ import annotations

import pytest

from cfglint.harnesses.budget import DEFAULT, ENV, REGISTRY, SETTING
from cfglint.core.finding import Severity
from cfglint.harnesses.hermes.facts import DEFAULT_CONTEXT_LENGTHS


@pytest.fixture
def budget(resolve):
    """The single Hermes budget of a config text."""

    def run(text: str, **kwargs):
        budgets = resolve("hermes", text, **kwargs)
        assert len(budgets) == 1
        return budgets[0]

    return run


def local(window: int, extra: str = "") -> str:
    """A model no table knows, with its window declared."""
    return f"model:\n  default: my-local-model\n  context_length: {window}\n{extra}"


def effects(b, code: str):
    return [e for e in b.effects if e.code == code]


# --- section 5.7 worked examples (0.19.0, threshold 0.50) ------------------------------------------


@pytest.mark.parametrize(
    ("window", "trigger", "rule"),
    [
        (64_000, 54_400, "85% rule"),
        (128_000, 96_000, "0.75 floor"),
        (200_000, 150_000, "0.75 floor"),
        (262_144, 196_608, "0.75 floor"),
        (1_000_000, 500_000, "percentage"),
    ],
)
def test_worked_examples(budget, window, trigger, rule):
    b = budget(local(window))
    assert b.window.value == b.hard_limit.value == window
    assert b.trigger.value == trigger
    assert b.trigger_rule == rule
    assert b.headroom.value == window - trigger
    assert b.declared_limits


def test_worked_example_output_reservation(budget):
    b = budget(local(128_000, "  max_tokens: 65536\n"))
    assert b.trigger.value == 53_094
    assert b.trigger_rule == "85% rule"
    assert b.output_reservation.value == b.configured_output.value == b.max_tokens_normal.value == 65_536
    assert "eff = 128,000 - 65,536 = 62,464" in b.trigger.formula
    assert b.trigger.formula.endswith("= 53,094")


def test_64k_window_formula(budget):
    assert budget(local(64_000)).trigger.formula == (
        "threshold 0.5 raised to 0.75 (window 64,000 < 512,000); int(64,000 × 0.75) = 48,000; "
        "64,000 floor → 64,000; ≥ eff 64,000 → 85% rule: max(1, min(int(64,000 × 0.85), 63,999)) = 54,400")


@pytest.mark.parametrize(("window", "tail", "summary", "floor"),
                         [(200_000, 30_000, 10_000, 40_000), (64_000, 10_880, 3_200, 14_080)])
def test_summary_caps(budget, window, tail, summary, floor):
    """Tail = int(trigger × 0.20): int(150,000 × 0.2) = 30,000; int(54,400 × 0.2) = 10,880."""
    b = budget(local(window))
    assert b.kept_tail.value == tail
    assert b.post_compaction_floor.value == floor
    assert b.post_compaction_floor.formula == f"kept tail {tail:,} + summary budget {summary:,} = {floor:,}"


def test_summary_ceiling_before_0_19(budget):
    # trigger int(1,000,000 × 0.5) = 500,000 on both; tail int(500,000 × 0.2) = 100,000
    assert budget(local(1_000_000)).post_compaction_floor.value == 100_000 + 10_000
    assert budget(local(1_000_000), version="0.18.0").post_compaction_floor.value == 100_000 + 12_000


def test_issue_60103(budget):
    b = budget(local(65_536))
    assert b.trigger.value == 64_000
    assert b.trigger_rule == "64,000 floor"
    assert any("int(65,536 × 0.85) = 55,705" in note for note in b.notes)


# --- Anthropic output cap (5.5) ---------------------------------------------------------------------


def test_anthropic_cap_clamped_to_window(budget):
    b = budget("model:\n  default: claude-opus-4-6\n  provider: anthropic\n  context_length: 100000\n")
    assert b.max_tokens_normal.value == b.max_tokens_at_trigger.value == 99_999
    assert b.max_tokens_normal.source.path == ("model", "context_length")
    assert b.configured_output is None


def test_anthropic_cap_from_table(budget):
    b = budget("model:\n  default: claude-opus-4.6\n  provider: anthropic\n")
    assert b.max_tokens_normal.value == 128_000
    assert b.max_tokens_normal.source.kind == DEFAULT


def test_anthropic_cap_unknown_model(budget):
    assert budget("model:\n  default: claude-next\n  provider: anthropic\n").max_tokens_normal.value == 128_000


def test_chat_completions_send_no_max_tokens(budget):
    b = budget(local(200_000))
    assert b.max_tokens_normal is None
    assert any("omits the field" in note for note in b.notes)


def test_compaction_path_sends_nothing(budget):
    b = budget(local(200_000))
    assert b.max_tokens_compaction is None
    assert b.compaction_note.startswith("current Hermes sends no max_tokens on the summary call")


# --- trigger by release (6.1) -----------------------------------------------------------------------


def test_threshold_floor_on_newest_release(budget):
    b = budget("model:\n  default: claude-sonnet-4-5\ncompression:\n  threshold: 0.5\n")
    assert b.window.value == 200_000
    assert b.trigger.value == 150_000
    assert b.trigger_rule == "0.75 floor"
    assert b.trigger.source.kind == SETTING and b.trigger.source.path == ("compression", "threshold")
    [effect] = effects(b, "CMP004")
    assert effect.source.path == ("compression", "threshold")
    assert effect.details == {"value": 0.5, "effective": 0.75, "window": 200_000}


def test_threshold_honoured_on_0_18(budget):
    b = budget("model:\n  default: claude-sonnet-4-5\ncompression:\n  threshold: 0.5\n", version="0.18.0")
    assert b.trigger.value == 100_000
    assert b.trigger_rule == "percentage"
    assert b.trigger.formula == "int(200,000 × 0.5) = 100,000"
    assert not effects(b, "CMP004")


def test_legacy_64k_window_never_compacts(budget):
    b = budget(local(64_000), version="0.15.0")
    assert b.trigger.value is None
    assert b.trigger_rule == "never"
    assert not b.proactive and not b.deliberate_off
    assert b.trigger.source.path == ("model", "context_length")
    assert "64,000 floor" in b.trigger_reason
    assert b.headroom is None
    assert b.fixes.cmp002


def test_legacy_has_no_reservation(budget):
    b = budget(local(120_000, "  max_tokens: 65536\n"), version="0.17.0")
    assert b.output_reservation is None
    assert b.configured_output.value == 65_536
    assert b.trigger.value == 64_000  # max(int(120,000 × 0.5), 64,000)
    assert b.trigger_rule == "64,000 floor"


def test_threshold_above_one(budget):
    text = local(200_000, "compression:\n  threshold: 75\n")
    assert budget(text, version="0.15.0").trigger.value is None
    b = budget(text)
    assert b.trigger.value == 170_000
    assert b.trigger_rule == "85% rule"


@pytest.mark.parametrize("version", ["0.15.0", "0.19.0"])
def test_threshold_that_overflows_gives_no_budget(resolve, version):
    """`int(window * 1e308)` raises OverflowError in Hermes itself: the agent does not start, so
    there is nothing to budget (SCH001 reports the value); cfglint must not crash on it."""
    assert resolve("hermes", local(200_000, "compression:\n  threshold: 1.0e+308\n"), version=version) == []


LATER_KEYS = ("  threshold_tokens: 256000\n  tail_mode: lean\n  model_thresholds:\n    my-local: 0.9\n"
              "    'custom:my-local-model': 0.95\n")


@pytest.mark.parametrize("version", ["0.13.0", "0.17.0", "0.18.0", "0.19.0"])
@pytest.mark.parametrize("window", [200_000, 1_000_000])
def test_later_compression_keys_have_no_effect(budget, version, window):
    """errata: no wheel up to 0.19.0 reads `threshold_tokens`, `model_thresholds` or `tail_mode`."""
    plain = budget(local(window, "  provider: custom\n"), version=version)
    b = budget(local(window, "  provider: custom\ncompression:\n" + LATER_KEYS), version=version)
    assert (b.trigger.value, b.trigger_rule, b.trigger.formula) == \
        (plain.trigger.value, plain.trigger_rule, plain.trigger.formula)
    assert b.kept_tail.value == plain.kept_tail.value == int(plain.trigger.value * 0.2)
    assert b.post_compaction_floor.value == plain.post_compaction_floor.value
    assert not effects(b, "CMP004")
    assert b.trigger.source.path == plain.trigger.source.path
    assert "threshold_tokens" not in b.trigger.formula and "lean" not in b.kept_tail.formula
    for text in [fix or "" for fix in vars(b.fixes).values()] + [e.fix or "" for e in b.effects]:
        assert "threshold_tokens" not in text and "tail_mode" not in text


@pytest.mark.parametrize(
    ("window", "ratio", "trigger", "tail"),
    [
        # 0.19.0: int(200,000 × 0.75) = 150,000 (0.75 floor); int(150,000 × 0.2) = 30,000
        (200_000, None, 150_000, 30_000),
        # int(128,000 × 0.75) = 96,000; int(96,000 × 0.35) = 33,600
        (128_000, 0.35, 96_000, 33_600),
        # int(1,000,000 × 0.5) = 500,000; int(500,000 × 0.1) = 50,000
        (1_000_000, 0.1, 500_000, 50_000),
        # 85% rule: int(64,000 × 0.85) = 54,400; int(54,400 × 0.6) = 32,640
        (64_000, 0.6, 54_400, 32_640),
        # int(262,144 × 0.75) = 196,608; ratio 0.05 clamped to 0.10: int(196,608 × 0.1) = 19,660
        (262_144, 0.05, 196_608, 19_660),
    ],
)
def test_kept_tail_is_trigger_times_target_ratio(budget, window, ratio, trigger, tail):
    """Every wheel 0.13.0..0.19.0: `tail_token_budget = int(threshold_tokens × summary_target_ratio)`."""
    extra = f"compression:\n  target_ratio: {ratio}\n" if ratio is not None else ""
    b = budget(local(window, extra))
    assert b.trigger.value == trigger
    assert b.kept_tail.value == tail
    shown = 0.2 if ratio is None else max(ratio, 0.1)
    origin = "default target_ratio" if ratio is None else "`compression.target_ratio`"
    assert b.kept_tail.formula == f"tail_token_budget = int(trigger {trigger:,} × {origin} {shown:g}) = {tail:,}"
    if ratio is not None:
        assert b.kept_tail.source.path == ("compression", "target_ratio")


def test_kept_tail_on_legacy_trigger(budget):
    """0.17.0 (no reservation, no 0.75 floor): max(int(200,000 × 0.5), 64,000) = 100,000; tail 20,000."""
    b = budget(local(200_000, "  max_tokens: 65536\n"), version="0.17.0")
    assert b.trigger.value == 100_000
    assert b.kept_tail.value == 20_000


def test_compression_disabled_is_deliberate(budget):
    b = budget(local(200_000, "compression:\n  enabled: false\n"))
    assert b.trigger.value is None
    assert b.trigger.source.path == ("compression", "enabled")
    assert b.deliberate_off and not b.proactive
    assert b.summary_needed is None


@pytest.mark.parametrize("value", ['"no"', "0", '"off"', "null", '"on"'])
def test_compression_enabled_is_read_as_hermes_reads_it(budget, value):
    """errata: `str(v).lower() in {"true", "1", "yes"}`; everything else, "on" included, is off."""
    b = budget(local(200_000, f"compression:\n  enabled: {value}\n"))
    assert b.trigger.value is None and b.deliberate_off
    assert budget(local(200_000, 'compression:\n  enabled: "yes"\n')).trigger.value == 150_000


def test_numeric_string_window_and_output_cap_are_used_as_int(budget):
    b = budget('model:\n  default: my-local-model\n  context_length: "200000"\n  max_tokens: "8192"\n')
    assert b.window.value == 200_000 and b.window.source.path == ("model", "context_length")
    assert b.configured_output.value == 8192


def test_model_thresholds_not_read_up_to_0_19(budget):
    """PR #69339 arrived after the 0.19.0 wheel: `compression.threshold` 0.6 decides."""
    text = ("model:\n  default: vendor/big-model-xl\n  provider: acme\n  context_length: 1000000\n"
            "compression:\n  threshold: 0.6\n  model_thresholds:\n    big: 0.9\n    big-model: 0.7\n"
            "    'acme:big-model': 0.8\n    'other:big-model-xl': 0.95\n")
    b = budget(text)
    assert b.trigger.value == 600_000
    assert b.trigger.source.path == ("compression", "threshold")


def test_codex_oauth_window_and_autoraise(budget):
    b = budget("model:\n  default: gpt-5.5\n  provider: openai-codex\n")
    assert b.window.value == 272_000
    assert b.trigger.value == 231_200
    off = budget("model:\n  default: gpt-5.5\n  provider: openai-codex\ncompression:\n  codex_gpt55_autoraise: false\n")
    assert off.trigger.value == 204_000


# --- window resolution (5.2a) -----------------------------------------------------------------------


def test_family_table_has_84_entries():
    assert len(DEFAULT_CONTEXT_LENGTHS) == 84


@pytest.mark.parametrize(
    ("model", "window"),
    [
        ("claude-opus-4-6-20260101", 1_000_000),
        ("claude-3-5-haiku-gguf", 200_000),
        ("qwen/qwen3.5-397b-a17b-fp8", 131_072),
        ("gemma-4-31b-it", 256_000),
        ("GPT-5.4-mini", 400_000),
    ],
)
def test_family_table_longest_key(budget, model, window):
    b = budget(f"model:\n  default: {model}\n  base_url: http://localhost:8000/v1\n")
    assert b.window.value == window
    assert b.window.source.kind == DEFAULT


def test_registry_window_needs_an_identified_provider(budget):
    b = budget("model:\n  default: claude-sonnet-4-5\n  provider: anthropic\n")
    assert b.window.value == 200_000 and b.window.source.kind == REGISTRY
    assert b.registry_match.kind == "exact"
    assert b.model_output.value == 64_000
    loose = budget("model: claude-sonnet-4-5\n")
    assert loose.registry_match.kind == "model-only"
    assert loose.window.source.kind == DEFAULT  # the aggregate is not the serving provider's window


def test_unknown_model_falls_back_to_256k(budget):
    b = budget("model:\n  default: mystery-model\n  base_url: http://localhost:8000/v1\n")
    assert b.window.value == 256_000
    assert not b.declared_limits
    assert any("256,000" in note for note in b.notes)


def test_string_context_length_is_ignored(budget):
    b = budget("model:\n  default: mystery-model\n  context_length: '256K'\n")
    assert b.window.value == 256_000
    assert not b.declared_limits
    assert any("'256K' is not a positive integer" in note for note in b.notes)


def test_custom_provider_window(budget):
    text = ("model:\n  default: qwen3:32b\n  provider: custom\n  base_url: http://localhost:11434/v1\n"
            "custom_providers:\n  - name: ollama\n    models:\n      'qwen3:32b':\n        context_length: 131072\n")
    b = budget(text)
    assert b.window.value == 131_072
    assert b.window.source.path == ("custom_providers", 0, "models", "qwen3:32b", "context_length")
    assert b.declared_limits


def test_requested_model_does_not_take_context_length(budget):
    b = budget(local(100_000), model="claude-sonnet-4-5")
    assert b.model == "claude-sonnet-4-5"
    assert b.window.value == 200_000
    assert b.model_source.kind == "derived"


def test_no_model_no_budget(resolve):
    assert resolve("hermes", "compression:\n  threshold: 0.8\n") == []


def test_model_as_string(budget):
    b = budget("model: claude-sonnet-4-5\n")
    assert b.model == "claude-sonnet-4-5"
    assert b.model_source.path == ("model",)


@pytest.mark.parametrize(
    ("spec", "model", "path"),
    [
        ("  provider: xiaomi\n  model: mimo-v2.5-pro\n", "mimo-v2.5-pro", ("model", "model")),
        ("  default: ''\n  model: gpt-4o\n", "gpt-4o", ("model", "model")),
        ("  default: gpt-4o\n  model: gpt-4.1\n  name: o3\n", "gpt-4o", ("model", "default")),
        ("  model: gpt-4o\n  name: o3\n", "gpt-4o", ("model", "model")),
    ],
)
def test_model_id_precedence_default_model_name(budget, spec, model, path):
    """`_normalize_root_model_keys` (and cli.py) read `default` > `model` > `name`."""
    b = budget("model:\n" + spec)
    assert (b.model, b.model_source.path) == (model, path)


@pytest.mark.parametrize("model", ["__TRIBES_MODEL__", "{{ model }}", "${HERMES_MODEL}", "<model>"])
def test_template_placeholder_model_has_no_budget(resolve, model):
    """An installer template's model id is not a model: no registry lookup, no REG001."""
    assert resolve("hermes", f"model:\n  provider: tribes\n  default: '{model}'\n") == []


@pytest.mark.parametrize("model", ["gpt-4o", "llama_3__8b", "org/<x>-model"])
def test_model_ids_that_merely_contain_template_characters_are_budgeted(budget, model):
    assert budget(f"model:\n  default: '{model}'\n").model == model


def test_model_name_read_from_0_18(budget, resolve):
    """`model.name` is promoted only from 0.18.0; 0.17.0 runs the provider's default model."""
    text = "model:\n  provider: custom\n  base_url: https://api.openai.com/v1\n  name: gpt-4o\n"
    assert budget(text, version="0.18.0").model == "gpt-4o"
    assert resolve("hermes", text, version="0.17.0") == []


# --- output reservation and env (5.3) ---------------------------------------------------------------


def test_invalid_env_max_tokens(budget):
    b = budget(local(128_000), env={"HERMES_MAX_TOKENS": "abc"})
    [use] = b.env
    assert use.problem and use.severity == Severity.ERROR and use.changed is None
    assert b.output_reservation is None
    assert b.trigger.value == 96_000


def test_env_max_tokens_wins_over_config(budget):
    b = budget(local(128_000, "  max_tokens: 8192\n"), env={"HERMES_MAX_TOKENS": "65536"})
    assert b.configured_output.value == 65_536
    assert b.configured_output.source.kind == ENV
    assert b.trigger.value == 53_094
    assert b.env[0].changed and b.env[0].problem is None


@pytest.mark.parametrize("value", ["true", "0", "-5", "1.5"])
def test_invalid_config_max_tokens_is_ignored(budget, value):
    b = budget(local(128_000, f"  max_tokens: {value}\n"))
    assert b.configured_output is None and b.output_reservation is None
    assert b.trigger.value == 96_000


def test_native_gemini_reserves_adapter_default(budget):
    text = "model:\n  default: gemini-2.5-pro\n  provider: gemini\n"
    b = budget(text)
    assert b.window.value == 1_048_576
    assert b.output_reservation.value == b.max_tokens_normal.value == 65_535
    assert b.configured_output is None
    assert b.trigger.value == 491_520  # int((1,048,576 - 65,535) × 0.5)
    assert budget(text, version="0.18.0").output_reservation is None


def test_native_gemini_by_base_url(budget):
    native = "model:\n  default: gemini-2.5-pro\n  base_url: https://generativelanguage.googleapis.com/v1beta\n"
    compat = "model:\n  default: gemini-2.5-pro\n  base_url: https://generativelanguage.googleapis.com/v1beta/openai\n"
    assert budget(native).output_reservation.value == 65_535
    assert budget(compat).output_reservation is None


# --- after compaction (5.3, 5.6) --------------------------------------------------------------------


def test_target_ratio_clamped(budget):
    b = budget(local(200_000, "compression:\n  target_ratio: 0.9\n"))
    [effect] = effects(b, "CMP004")
    assert effect.severity == Severity.INFO
    assert b.kept_tail.value == 120_000  # int(150,000 × 0.80)
    assert b.post_compaction_floor.value == 130_000


def test_summary_model_smaller_than_trigger(budget):
    text = local(200_000, "auxiliary:\n  compression:\n    model: small\n    context_length: 32000\n")
    b = budget(text)
    assert b.summary_model == "small"
    assert b.summary_context.value == 32_000
    assert b.summary_needed.value == b.trigger.value == 150_000
    assert any("really compress at about 32,000" in note for note in b.notes)


def test_plugin_context_engine_is_noted(budget):
    b = budget(local(200_000, "context:\n  engine: lcm\n"))
    assert any("`context.engine: lcm`" in note for note in b.notes)


def test_retired_model(budget):
    b = budget("model:\n  default: claude-3-opus-20240229\n  provider: anthropic\n")
    [effect] = effects(b, "REG005")
    assert effect.severity == Severity.WARNING
