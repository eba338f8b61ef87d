"""Claude Code resolver: `harness-claude-code.md` 5.0 (2.1.329, the default target) and 5.1-5.7 / 6
(older targets). Numbers are exact: a token off is a bug."""

from __future__ import annotations

import json

import pytest

from cfglint.harnesses.budget import DEFAULT, ENV, SETTING
from cfglint.core.finding import Severity
from cfglint.harnesses.claude_code.facts import CATALOG_WINDOW, OUTPUT_LIMITS
from cfglint.harnesses.claude_code.resolver import COMPACTION_NOTE, canonical_id, parse_float, parse_window
from tests.resolvers.conftest import resolve_texts

OLD = "2.1.221"
MOONSHOT = "https://api.moonshot.ai/anthropic"   # registry: moonshotai/kimi-k2.6, context 262,144
SETTINGS_FILE = "project/.claude/settings.json"
WINDOW = "CLAUDE_CODE_AUTO_COMPACT_WINDOW"
PCT = "CLAUDE_AUTOCOMPACT_PCT_OVERRIDE"
MAX_OUTPUT = "CLAUDE_CODE_MAX_OUTPUT_TOKENS"
MAX_CONTEXT = "CLAUDE_CODE_MAX_CONTEXT_TOKENS"


def settings(model: str | None = None, env: dict | None = None, **keys) -> str:
    data = dict(keys)
    if model is not None:
        data["model"] = model
    if env is not None:
        data["env"] = env
    return json.dumps(data)


def third_party(**env: str) -> dict:
    """Environment for a third-party model behind ANTHROPIC_BASE_URL."""
    return {"ANTHROPIC_BASE_URL": MOONSHOT, **env}


@pytest.fixture
def budget(resolve):
    """budget(text, env=..., version=..., model=...) -> the one Budget."""

    def run(text: str = "{}", **kwargs):
        budgets = resolve("claude-code", text, **kwargs)
        assert len(budgets) == 1
        return budgets[0]

    return run


def effects(budget, code: str) -> list:
    return [e for e in budget.effects if e.code == code]


def env_use(budget, name: str):
    return next(e for e in budget.env if e.name == name)


# --- 5.0 worked examples (2.1.329, no settings) ------------------------------------------------------

TABLE_329 = [
    # case, model, env, window, reserve, threshold, blocked, proactive
    ("sonnet-4-6", "claude-sonnet-4-6", {}, 200_000, 20_000, 167_000, 177_000, True),
    ("sonnet-4-6, PCT 50", "claude-sonnet-4-6", {PCT: "50"}, 200_000, 20_000, 90_000, 177_000, True),
    ("sonnet-4-5", "claude-sonnet-4-5", {}, 200_000, 20_000, 167_000, 177_000, False),
    ("opus-4-5", "claude-opus-4-5", {}, 200_000, 20_000, 167_000, 177_000, False),
    ("opus-4-8", "claude-opus-4-8", {}, 1_000_000, 20_000, 967_000, 977_000, True),
    ("third-party id, no window", "kimi-k2.6", third_party(), 1_000_000, 20_000, 967_000, 977_000, True),
    ("third-party id, env 262144", "kimi-k2.6", third_party(**{WINDOW: "262144"}),
     262_144, 20_000, 229_144, 977_000, True),
    ("third-party id [1m], env 262144", "kimi-k2.6[1m]", third_party(**{WINDOW: "262144"}),
     262_144, 20_000, 229_144, 977_000, True),
    ("same, PCT 50", "kimi-k2.6", third_party(**{WINDOW: "262144", PCT: "50"}),
     262_144, 20_000, 121_072, 977_000, True),
    ("third-party id [1m], no window", "kimi-k2.6[1m]", third_party(), 1_000_000, 20_000, 967_000, 977_000, False),
    ("third-party id, MAX_CONTEXT_TOKENS 262144", "kimi-k2.6", third_party(**{MAX_CONTEXT: "262144"}),
     262_144, 20_000, 229_144, 239_144, True),
    ("sonnet-4-6, MAX_OUTPUT 8000", "claude-sonnet-4-6", {MAX_OUTPUT: "8000"}, 200_000, 8_000, 179_000, 189_000, True),
]


@pytest.mark.parametrize("case, model, env, window, reserve, threshold, blocked, proactive", TABLE_329,
                         ids=[row[0] for row in TABLE_329])
def test_worked_examples_329(budget, case, model, env, window, reserve, threshold, blocked, proactive):
    b = budget(settings(model), env=env)
    assert b.version == "2.1.329"
    assert b.window.value == window
    assert b.hard_limit.value == window
    assert b.block_at.value == blocked
    assert b.proactive is proactive
    assert f"{window:,} - {reserve:,} -" in b.trigger.formula or f"floor({window - reserve:,} ×" in b.trigger.formula
    if proactive:
        assert b.trigger.value == threshold
        assert b.headroom.value == window - threshold
        assert b.max_tokens_at_trigger == b.max_tokens_normal
    else:
        assert b.trigger.value is None
        assert f"= {threshold:,}" in b.trigger.formula
        assert b.headroom is None and b.max_tokens_at_trigger is None


def test_reactive_by_design_is_not_cmp002(budget):
    b = budget(settings("claude-sonnet-4-5"))
    assert b.trigger.value is None
    assert b.trigger_rule == "reactive by design"
    assert b.trigger_reason == "compacts reactively at the model's limit by design"
    assert not b.proactive and not b.deliberate_off
    assert b.headroom_applies is False
    assert effects(b, "CMP002") == []
    assert any("reactively" in n for n in b.notes)
    assert b.trigger.source == b.model_source


def test_unrecognised_one_m_without_window_is_cmp002_warning(budget):
    b = budget(settings("kimi-k2.6[1m]"), env=third_party())
    assert b.trigger.value is None and b.trigger_rule == "never"
    assert not b.deliberate_off and not b.proactive
    [effect] = effects(b, "CMP002")
    assert effect.severity == Severity.WARNING
    assert "auto" in effect.message
    assert WINDOW in b.fixes.cmp002 and "262144" in b.fixes.cmp002


def test_unrecognised_id_assumes_one_million_reg003_material(budget):
    b = budget(settings("kimi-k2.6"), env=third_party())
    assert b.window.value == 1_000_000
    assert "assumes 1,000,000" in b.window.formula
    assert b.model_context.value == 262_144
    assert b.registry_match.entry == "moonshotai/kimi-k2.6" and b.registry_match.kind == "base-url"
    assert b.provider is None and b.model_id == "kimi-k2.6"
    assert b.declared_limits is False
    assert b.headroom_applies is True
    assert b.max_tokens_normal.value == 32_000
    assert b.fixes.reg003.startswith(f"set {WINDOW}=262144")


def test_sonnet_4_5_one_m_with_window_uses_the_1m_beta(budget):
    b = budget(settings("claude-sonnet-4-5[1m]"), env={WINDOW: "1000000"})
    assert b.trigger.value == 967_000
    assert b.window.value == 1_000_000
    assert b.model_context.value == 1_000_000   # first-party 1M beta (overlay): no REG003 material
    assert b.registry_match.entry == "anthropic/claude-sonnet-4-5"
    assert b.model_id == "claude-sonnet-4-5"
    assert b.proactive and b.headroom_applies and b.declared_limits


# --- 5.7 worked examples (older target) -----------------------------------------------------------------

TABLE_OLD = [
    # case, model, env, window, threshold
    ("200K window", "claude-sonnet-4-6", {}, 200_000, 167_000),
    ("262,144 window", "kimi-k2.6[1m]", third_party(**{WINDOW: "262144"}), 262_144, 229_144),
    ("1M window", "claude-sonnet-5", {}, 1_000_000, 967_000),
    ("window 350,000, PCT 35", "claude-opus-4-8", {WINDOW: "350000", PCT: "35"}, 350_000, 115_500),
    ("MAX_OUTPUT 8000", "claude-sonnet-4-6", {MAX_OUTPUT: "8000"}, 200_000, 179_000),
    ("window 493,000", "claude-sonnet-5", {WINDOW: "493000"}, 493_000, 460_000),
    ("third-party env 1,000,000", "kimi-k2.6", third_party(**{WINDOW: "1000000"}), 200_000, 167_000),
]


@pytest.mark.parametrize("case, model, env, window, threshold", TABLE_OLD, ids=[row[0] for row in TABLE_OLD])
def test_worked_examples_older_target(budget, case, model, env, window, threshold):
    b = budget(settings(model), env=env, version=OLD)
    assert b.window.value == window
    assert b.trigger.value == threshold
    assert b.proactive


def test_pct_formula_older_target(budget):
    b = budget(settings("claude-opus-4-8"), env={WINDOW: "350000", PCT: "35"}, version=OLD)
    assert b.trigger_rule == "PCT override"
    assert b.trigger.formula == "min(floor(330,000 × 35 / 100), 317,000) = 115,500"
    assert b.trigger.source.kind == ENV and b.trigger.source.label == PCT
    assert env_use(b, PCT).changed == "threshold"


def test_third_party_window_clamped_to_200k_older_target(budget):
    b = budget(settings("kimi-k2.6"), env=third_party(**{WINDOW: "1000000"}), version=OLD)
    [effect] = effects(b, "CMP004")
    assert "CLAUDE_CODE_AUTO_COMPACT_WINDOW" in effect.message
    assert "above the resolved model window 200,000 (capped)" in effect.message
    assert effect.source.label == WINDOW
    assert b.window.formula == "min(200,000, 1,000,000) = 200,000"
    assert b.window.source.label == WINDOW


def test_third_party_without_window_on_2_1_168_never_compacts(budget):
    b = budget(settings("kimi-k2.6"), env=third_party(), version="2.1.168")
    assert b.trigger.value is None
    assert b.trigger_rule == "never"
    assert not b.deliberate_off and not b.proactive
    [effect] = effects(b, "CMP002")
    assert effect.severity == Severity.WARNING and "#65585" in effect.message
    assert b.trigger.source.label == "ANTHROPIC_BASE_URL"
    assert "167,000" in b.trigger.formula


def test_thinking_budget_derived_example(budget):
    b = budget(settings("claude-sonnet-4-6"), env={MAX_OUTPUT: "16000", "MAX_THINKING_TOKENS": "32000"})
    use = env_use(b, "MAX_THINKING_TOKENS")
    assert use.parsed == 15_999 and use.changed == "thinking budget" and use.problem is None
    assert b.max_tokens_normal.value == 16_000


# --- CLAUDE_CODE_AUTO_COMPACT_WINDOW parsing (ENV001) -----------------------------------------------------


def test_500k_older_target_reads_500_and_clamps(budget):
    b = budget(settings("kimi-k2.6"), env=third_party(**{WINDOW: "500k"}), version=OLD)
    use = env_use(b, WINDOW)
    assert use.parsed == 100_000
    assert "reads as 500" in use.problem and "100,000" in use.problem
    assert use.severity == Severity.ERROR
    assert use.fix == f"write {WINDOW}=500000"
    assert b.window.value == 100_000 and b.trigger.value == 67_000


def test_500k_on_329_parses_as_meant(budget):
    b = budget(settings("kimi-k2.6"), env=third_party(**{WINDOW: "500k"}))
    use = env_use(b, WINDOW)
    assert use.parsed == 500_000 and use.problem is None and use.changed == "window"
    assert b.window.value == 500_000 and b.trigger.value == 467_000


@pytest.mark.parametrize("raw, window, problem", [
    ("256k", 256_000, None),
    ("1M", 1_000_000, None),
    ("1e6", 1_000_000, None),
    ("262,144", 262_144, None),
    ("262_144", 262_144, None),
    (" 300000 ", 300_000, None),
    ("50000", 100_000, "raised to 100,000"),
    ("12abc", 100_000, "raised to 100,000"),
    ("0", 1_000_000, "ignores it"),
    ("-5", 1_000_000, "ignores it"),
    ("abc", 1_000_000, "ignores it"),
])
def test_window_parsing_329(budget, raw, window, problem):
    b = budget(settings("kimi-k2.6"), env=third_party(**{WINDOW: raw}))
    assert b.window.value == window
    use = env_use(b, WINDOW)
    if problem is None:
        assert use.problem is None
    else:
        assert problem in use.problem and use.severity == Severity.ERROR


@pytest.mark.parametrize("raw, window", [("1e6", 100_000), ("2000000", 1_000_000), ("64_000", 100_000)])
def test_window_parsing_older_target(budget, raw, window):
    b = budget(settings("claude-sonnet-5"), env={WINDOW: raw}, version=OLD)
    assert b.window.value == window
    assert env_use(b, WINDOW).problem


def test_unusable_env_window_leaves_the_settings_to_decide(budget):
    b = budget(settings("claude-sonnet-5", autoCompactWindow=400_000), env={WINDOW: "0"})
    assert b.window.value == 400_000
    assert b.window.source.kind == SETTING


# --- the settings env block ---------------------------------------------------------------------------


def test_env_block_values_carry_the_file_position(budget):
    text = settings("kimi-k2.6", env={"ANTHROPIC_BASE_URL": MOONSHOT, WINDOW: "262144"})
    b = budget(text, env={WINDOW: "900000"})   # the block wins over the external value
    use = env_use(b, WINDOW)
    assert use.raw == "262144" and use.parsed == 262_144
    assert use.env.origin == "settings env block"
    assert use.env.doc.display_path == SETTINGS_FILE
    assert use.env.path == ("env", WINDOW)
    assert b.window.value == 262_144
    assert b.window.source.kind == ENV
    assert b.window.source.doc.display_path == SETTINGS_FILE
    assert b.window.source.path == ("env", WINDOW)
    assert b.trigger.source.path == ("env", WINDOW)


def test_external_env_has_no_file_position(budget):
    b = budget(settings("claude-sonnet-4-6"), env={PCT: "50"})
    use = env_use(b, PCT)
    assert use.env.origin != "settings env block" and use.env.doc is None and use.env.path is None
    assert b.trigger.source.label == PCT and b.trigger.source.path is None


def test_empty_env_block_value_cancels_the_external_one(budget):
    b = budget(settings("kimi-k2.6", env={"ANTHROPIC_BASE_URL": ""}), env=third_party())
    assert b.provider == "anthropic"


def test_non_string_env_block_value_is_skipped(budget):
    b = budget(settings("claude-sonnet-4-6", env={WINDOW: 300000}))
    assert b.window.value == 200_000
    assert any("env.CLAUDE_CODE_AUTO_COMPACT_WINDOW is not a string" in n for n in b.notes)


# --- window settings ---------------------------------------------------------------------------------


def test_model_settings_window_beats_top_level(budget):
    text = settings("claude-sonnet-5", autoCompactWindow=500_000,
                    modelSettings={"claude-sonnet-5": {"autoCompactWindow": 300_000}})
    b = budget(text)
    assert b.window.value == 300_000 and b.trigger.value == 267_000
    assert b.window.source.path == ("modelSettings", "claude-sonnet-5", "autoCompactWindow")
    assert b.window.source.doc.display_path == SETTINGS_FILE
    assert b.declared_limits


def test_model_settings_auto_skips_top_level(budget):
    text = settings("claude-sonnet-4-5", autoCompactWindow=150_000,
                    modelSettings={"claude-sonnet-4-5": {"autoCompactWindow": "auto"}})
    b = budget(text)
    assert b.window.value == 200_000 and b.trigger_rule == "reactive by design"


def test_env_window_beats_settings(budget):
    b = budget(settings("claude-sonnet-5", autoCompactWindow=500_000), env={WINDOW: "400000"})
    assert b.window.value == 400_000 and b.window.source.label == WINDOW


def test_window_setting_opens_the_gate_for_a_reactive_model(budget):
    b = budget(settings("claude-sonnet-4-5", autoCompactWindow=150_000))
    assert b.proactive and b.trigger.value == 117_000
    assert b.trigger.source.path == ("autoCompactWindow",)
    assert b.headroom_applies is True


def test_window_setting_above_model_window_is_capped(budget):
    b = budget(settings("claude-sonnet-4-6", autoCompactWindow=500_000))
    assert b.window.value == 200_000
    [effect] = effects(b, "CMP004")
    assert effect.message == "autoCompactWindow 500,000 is above the resolved model window 200,000 (capped)"
    assert effect.source.path == ("autoCompactWindow",)


def test_model_settings_are_not_read_before_329(budget):
    text = settings("claude-sonnet-5", modelSettings={"claude-sonnet-5": {"autoCompactWindow": 300_000}})
    assert budget(text, version=OLD).window.value == 1_000_000


def test_settings_window_clamped_before_329(budget):
    b = budget(settings("claude-sonnet-5", autoCompactWindow=50_000), version=OLD)
    assert b.window.value == 100_000 and "clamped" in b.window.formula


# --- deliberate switch-offs --------------------------------------------------------------------------


@pytest.mark.parametrize("env, keys, label", [
    ({"DISABLE_AUTO_COMPACT": "1"}, {}, "DISABLE_AUTO_COMPACT"),
    ({"DISABLE_COMPACT": "true"}, {}, "DISABLE_COMPACT"),
    ({"DISABLE_AUTO_COMPACT": "Yes"}, {}, "DISABLE_AUTO_COMPACT"),
    ({}, {"autoCompactEnabled": False}, "autoCompactEnabled"),
])
def test_deliberate_switch_offs(budget, env, keys, label):
    b = budget(settings("claude-sonnet-4-6", **keys), env=env)
    assert b.trigger.value is None and b.trigger_rule == "never"
    assert b.deliberate_off and not b.proactive
    assert b.trigger.source.label == label
    [effect] = effects(b, "CMP002")
    assert effect.severity == Severity.INFO


def test_switch_values_that_are_not_truthy(budget):
    b = budget(settings("claude-sonnet-4-6"), env={"DISABLE_AUTO_COMPACT": "0", "DISABLE_COMPACT": "false"})
    assert b.proactive and not b.deliberate_off and b.trigger.value == 167_000


def test_auto_compact_enabled_in_settings_ignored_before_2_1_90(budget):
    b = budget(settings("claude-sonnet-4-6", autoCompactEnabled=False), version="2.1.80")
    assert not b.deliberate_off and b.trigger.value == 167_000
    [effect] = effects(b, "CMP004")
    assert "~/.claude.json" in effect.message


def test_pct_with_compaction_off_has_no_effect(budget):
    b = budget(settings("claude-sonnet-4-6"), env={"DISABLE_AUTO_COMPACT": "1", PCT: "50"})
    [effect] = effects(b, "CMP004")
    assert "does not compact proactively" in effect.message


def test_pct_on_a_reactive_model_has_no_effect(budget):
    b = budget(settings("claude-opus-4-5"), env={PCT: "50"})
    assert b.trigger.value is None
    [effect] = effects(b, "CMP004")
    assert effect.source.label == PCT and WINDOW in effect.fix


# --- PCT override ---------------------------------------------------------------------------------------


def test_pct_above_default_has_no_effect(budget):
    b = budget(settings("claude-sonnet-4-6"), env={PCT: "95"})
    assert b.trigger.value == 167_000
    assert b.trigger_rule == "window - reserve - 13,000 buffer"
    [effect] = effects(b, "CMP004")
    assert "has no effect" in effect.message and effect.severity == Severity.WARNING
    assert effect.fix == "use at most 92.7 or remove it"


@pytest.mark.parametrize("raw, threshold", [("50%", 90_000), ("92.7", 166_860), ("35.5", 63_900)])
def test_pct_parsing(budget, raw, threshold):
    b = budget(settings("claude-sonnet-4-6"), env={PCT: raw})
    assert b.trigger.value == threshold and b.trigger_rule == "PCT override"


@pytest.mark.parametrize("raw", ["150", "0", "-10", "abc"])
def test_pct_out_of_range_is_ignored(budget, raw):
    b = budget(settings("claude-sonnet-4-6"), env={PCT: raw})
    assert b.trigger.value == 167_000
    assert "ignores it" in env_use(b, PCT).problem


def test_pct_fraction_reads_as_a_tiny_percentage(budget):
    b = budget(settings("claude-sonnet-4-6"), env={PCT: "0.5"})
    assert b.trigger.value == 900
    use = env_use(b, PCT)
    assert use.severity == Severity.WARNING and "not 50 %" in use.problem


# --- output cap -----------------------------------------------------------------------------------------


def test_max_output_defaults_and_compaction_path(budget):
    b = budget(settings("claude-sonnet-4-6"))
    assert b.max_tokens_normal.value == 32_000 and b.max_tokens_normal.source.kind == DEFAULT
    assert b.configured_output is None
    assert b.max_tokens_compaction is None
    assert b.compaction_note == COMPACTION_NOTE


def test_max_output_above_upper_is_capped(budget):
    b = budget(settings("claude-sonnet-4-6"), env={MAX_OUTPUT: "200000"})
    assert b.max_tokens_normal.value == 128_000
    assert b.configured_output.value == 128_000
    [effect] = effects(b, "CMP004")
    assert "above the 128,000 output limit" in effect.message
    assert b.trigger.value == 167_000


def test_max_output_suffix_reads_leading_digits(budget):
    b = budget(settings("claude-sonnet-4-6"), env={MAX_OUTPUT: "8k"})
    use = env_use(b, MAX_OUTPUT)
    assert use.parsed == 8 and "reads as 8" in use.problem and use.fix == f"write {MAX_OUTPUT}=8000"
    assert b.max_tokens_normal.value == 8
    assert b.trigger.value == 200_000 - 8 - 13_000


@pytest.mark.parametrize("raw", ["0", "-1", "none"])
def test_unusable_max_output_falls_back_to_default(budget, raw):
    b = budget(settings("claude-opus-4-8"), env={MAX_OUTPUT: raw})
    assert b.max_tokens_normal.value == 64_000 and b.configured_output is None
    assert env_use(b, MAX_OUTPUT).problem


# --- CLAUDE_CODE_MAX_CONTEXT_TOKENS and CLAUDE_CODE_DISABLE_1M_CONTEXT -----------------------------------


def test_max_context_suffix_makes_a_tiny_window(budget):
    b = budget(settings("kimi-k2.6"), env=third_party(**{MAX_CONTEXT: "262k"}))
    assert env_use(b, MAX_CONTEXT).parsed == 262
    assert "reads as 262" in env_use(b, MAX_CONTEXT).problem
    assert b.window.value == 262
    assert b.every_step


def test_max_context_on_claude_id_needs_disable_compact(budget):
    b = budget(settings("claude-sonnet-4-6"), env={MAX_CONTEXT: "150000"})
    assert b.window.value == 200_000
    [effect] = effects(b, "CMP004")
    assert "has no effect" in effect.message and "DISABLE_COMPACT" in effect.message
    b = budget(settings("claude-sonnet-4-6"), env={MAX_CONTEXT: "150000", "DISABLE_COMPACT": "1"})
    assert b.window.value == 150_000 and b.block_at.value == 127_000 and b.deliberate_off


def test_max_context_on_unrecognised_one_m_needs_disable_1m(budget):
    b = budget(settings("kimi-k2.6[1m]"), env=third_party(**{MAX_CONTEXT: "262144"}))
    assert b.window.value == 1_000_000 and effects(b, "CMP004")
    b = budget(settings("kimi-k2.6[1m]"),
               env=third_party(**{MAX_CONTEXT: "262144", "CLAUDE_CODE_DISABLE_1M_CONTEXT": "1"}))
    assert b.window.value == 262_144 and b.proactive


def test_max_context_applies_to_every_id_before_2_1_193(budget):
    b = budget(settings("claude-sonnet-4-6"), env={MAX_CONTEXT: "150000"}, version="2.1.190")
    assert b.window.value == 150_000


def test_disable_1m_holds_native_1m_models_to_200k(budget):
    b = budget(settings("claude-sonnet-5"), env={"CLAUDE_CODE_DISABLE_1M_CONTEXT": "1", WINDOW: "500000"})
    assert b.window.value == 200_000 and b.trigger.value == 167_000
    [effect] = effects(b, "CMP004")
    assert "above the resolved model window 200,000 (capped)" in effect.message


def test_disable_1m_on_unrecognised_id(budget):
    b = budget(settings("kimi-k2.6"), env=third_party(CLAUDE_CODE_DISABLE_1M_CONTEXT="1"))
    assert b.window.value == 200_000 and b.trigger.value == 167_000


# --- gate (2.1.329) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("model, proactive", [
    ("claude-haiku-4-5", False), ("claude-opus-4-5", False), ("claude-3-7-sonnet-20250219", False),
    ("claude-sonnet-4-6", True), ("claude-opus-4-6", True), ("claude-sonnet-4-6[1m]", False),
    ("claude-opus-4-8[1m]", True), ("claude-fable-5", True), ("claude-sonnet-5", True),
])
def test_gate_329_by_model(budget, model, proactive):
    b = budget(settings(model))
    assert b.proactive is proactive
    assert b.trigger_rule == ("window - reserve - 13,000 buffer" if proactive else "reactive by design")
    assert b.headroom_applies is False   # Claude models without a window: CMP001 does not apply


def test_disable_unknown_enforcement_on_329(budget):
    b = budget(settings("kimi-k2.6"), env=third_party(CLAUDE_CODE_DISABLE_UNKNOWN_MODEL_WINDOW_ENFORCEMENT="1"))
    assert b.trigger.value is None and b.trigger_rule == "never" and not b.deliberate_off
    assert effects(b, "CMP002")[0].severity == Severity.WARNING


def test_recognised_spellings_on_329(budget):
    b = budget(settings("claude-sonnet-4.6"))
    assert b.window.value == 200_000 and b.proactive
    b = budget(settings("us.anthropic.claude-opus-4-8"), env={"CLAUDE_CODE_USE_BEDROCK": "1"})
    assert b.window.value == 1_000_000 and b.trigger.value == 967_000
    assert b.registry_match.entry == "amazon-bedrock/us.anthropic.claude-opus-4-8"


# --- gate (older targets) -------------------------------------------------------------------------------


@pytest.mark.parametrize("env, version", [
    ({"CLAUDE_CODE_USE_BEDROCK": "1"}, "2.1.154"),
    ({"CLAUDE_CODE_USE_VERTEX": "1"}, "2.1.222"),
    (third_party(), "2.1.161"),
])
def test_third_party_risk_window(budget, env, version):
    b = budget(settings("claude-sonnet-4-6"), env=env, version=version)
    assert b.trigger.value is None and b.trigger_rule == "never" and not b.deliberate_off
    assert effects(b, "CMP002")[0].severity == Severity.WARNING
    with_window = budget(settings("claude-sonnet-4-6"), env={**env, WINDOW: "150000"}, version=version)
    assert with_window.proactive and with_window.trigger.value == 117_000


@pytest.mark.parametrize("env, version, threshold", [
    (third_party(), "2.1.160", 167_000),          # before the gateway gate
    (third_party(), "2.1.223", 167_000),          # unrecognised ids compact at the assumed window
    ({"CLAUDE_CODE_USE_BEDROCK": "1"}, "2.1.153", 167_000),
])
def test_third_party_outside_risk_window(budget, env, version, threshold):
    model = "claude-sonnet-4-6" if "CLAUDE_CODE_USE_BEDROCK" in env else "kimi-k2.6"
    b = budget(settings(model), env=env, version=version)
    assert b.proactive and b.trigger.value == threshold


def test_disable_unknown_enforcement_from_2_1_223(budget):
    env = third_party(CLAUDE_CODE_DISABLE_UNKNOWN_MODEL_WINDOW_ENFORCEMENT="1")
    assert budget(settings("kimi-k2.6"), env=env, version="2.1.223").trigger.value is None
    assert budget(settings("kimi-k2.6"), env=env, version="2.1.222").trigger.value is None  # gateway gate
    assert budget(settings("kimi-k2.6"), env=env, version="2.1.160").trigger.value == 167_000


def test_unrecognised_one_m_compacts_at_assumed_window_before_329(budget):
    b = budget(settings("kimi-k2.6[1m]"), env=third_party(), version="2.1.223")
    assert b.window.value == 1_000_000 and b.trigger.value == 967_000


@pytest.mark.parametrize("model, env, proactive", [
    ("claude-opus-4-8", {}, False),                              # local Opus 4.8 compacts at the limit
    ("claude-sonnet-4-6[1m]", {}, False),                        # extended context
    ("claude-opus-4-8", {"CLAUDE_CODE_USE_BEDROCK": "1"}, True),   # compacts at 200K on Bedrock (2.1.223+)
    ("claude-opus-4-8", {"CLAUDE_CODE_DISABLE_1M_CONTEXT": "1"}, True),
    ("claude-haiku-4-5", {}, False),
])
def test_claude_models_before_329(budget, model, env, proactive):
    b = budget(settings(model), env=env, version="2.1.230")
    assert b.proactive is proactive
    if proactive:
        assert b.window.value == 200_000 and b.trigger.value == 167_000


def test_no_gate_before_2_1_131(budget):
    b = budget(settings("claude-opus-4-8"), version="2.1.120")
    assert b.proactive and b.trigger.value == 967_000


def test_unrecognised_id_before_329_assumes_200k(budget):
    b = budget(settings("my-model"), version="2.1.230")
    assert b.window.value == 200_000 and b.max_tokens_normal.value == 32_000


def test_community_note_for_small_window_before_329(budget):
    b = budget(settings("claude-sonnet-4-6"), env={WINDOW: "150000"}, version=OLD)
    assert any("unverified" in n for n in b.notes)


# --- models, aliases, providers --------------------------------------------------------------------------


@pytest.mark.parametrize("model, env, version, model_id, provider", [
    ("sonnet", {}, "2.1.329", "claude-sonnet-5-5", "anthropic"),
    ("sonnet", {}, "2.1.190", "claude-sonnet-4-6", "anthropic"),
    ("sonnet", {"CLAUDE_CODE_USE_BEDROCK": "1"}, "2.1.329", "claude-sonnet-4-5", "amazon-bedrock"),
    ("sonnet", {"CLAUDE_CODE_USE_VERTEX": "1"}, "2.1.329", "claude-sonnet-4-5", "google-vertex"),
    ("opus", {"CLAUDE_CODE_USE_FOUNDRY": "1"}, "2.1.329", "claude-opus-4-6", "azure"),
    ("opus", {}, "2.1.329", "claude-opus-5-5", "anthropic"),
    ("opus", {}, "2.1.200", "claude-opus-4-8", "anthropic"),
    ("haiku", {}, "2.1.329", "claude-haiku-5-5", "anthropic"),
    ("fable", {}, "2.1.329", "claude-fable-5-2", "anthropic"),
    ("best", {}, "2.1.329", "claude-opus-5-5", "anthropic"),
    ("opusplan", {}, "2.1.329", "claude-sonnet-5-5", "anthropic"),
    ("opus", third_party(), "2.1.329", "claude-opus-5-5", None),
    ("Sonnet", {"ANTHROPIC_DEFAULT_SONNET_MODEL": "claude-sonnet-4-6"}, "2.1.329", "claude-sonnet-4-6", "anthropic"),
    ("sonnet", {"ANTHROPIC_BASE_URL": "https://api.anthropic.com"}, "2.1.329", "claude-sonnet-5-5", "anthropic"),
])
def test_alias_resolution(budget, model, env, version, model_id, provider):
    b = budget(settings(model), env=env, version=version)
    assert b.model == model and b.model_id == model_id and b.provider == provider


def test_bedrock_alias_uses_the_bedrock_entry(budget):
    b = budget(settings("sonnet"), env={"CLAUDE_CODE_USE_BEDROCK": "1"})
    assert b.registry_match.entry == "amazon-bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert b.model_context.value == 200_000 and b.model_output.value == 64_000
    assert b.trigger_rule == "reactive by design"
    assert env_use(b, "CLAUDE_CODE_USE_BEDROCK").changed == "provider"


def test_one_m_alias(budget):
    b = budget(settings("sonnet[1m]"))
    assert b.model_id == "claude-sonnet-5-5" and b.window.value == 1_000_000 and b.proactive
    b = budget(settings("opus[1m]"), env={"ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-6"})
    assert b.model_id == "claude-opus-4-6" and b.window.value == 1_000_000
    assert b.trigger_rule == "reactive by design"


def test_no_model_uses_the_default_alias_with_a_note(budget):
    b = budget("{}", env={"CLAUDE_CODE_USE_FOUNDRY": "1"})
    assert b.model == "sonnet" and b.model_id == "claude-sonnet-4-5"
    assert b.model_source.kind == DEFAULT
    assert any("no model is set" in n and "Microsoft Foundry" in n for n in b.notes)
    b = budget("{}", env={"CLAUDE_CODE_USE_VERTEX": "1"})
    assert b.model == "opus" and b.model_id == "claude-opus-5-5"
    assert budget("{}", env={"CLAUDE_CODE_USE_VERTEX": "1"}, version=OLD).model == "sonnet"


def test_anthropic_model_beats_the_setting(budget):
    b = budget(settings("claude-sonnet-4-6"), env={"ANTHROPIC_MODEL": "claude-opus-4-8"})
    assert b.model_id == "claude-opus-4-8"
    assert b.model_source.label == "ANTHROPIC_MODEL"
    assert env_use(b, "ANTHROPIC_MODEL").changed == "model"


def test_model_setting_source(budget):
    b = budget(settings("claude-opus-4-8"))
    assert b.model_source.kind == SETTING and b.model_source.path == ("model",)
    assert b.window.source == b.model_source   # the catalog window is decided by the model setting


def test_anthropic_default_model_from_2_1_236(budget):
    env = {"ANTHROPIC_DEFAULT_MODEL": "claude-opus-4-8"}
    assert budget("{}", env=env, version="2.1.236").model_id == "claude-opus-4-8"
    assert budget("{}", env=env, version="2.1.235").model_id == "claude-sonnet-5"
    assert budget(settings("claude-haiku-4-5"), env=env).model_id == "claude-haiku-4-5"


def test_model_argument_names_another_model(budget):
    b = budget(settings("claude-sonnet-4-6"), model="haiku")
    assert b.model == "haiku" and b.model_id == "claude-haiku-5-5"
    assert b.model_source.kind == DEFAULT
    same = budget(settings("claude-sonnet-4-6"), model="claude-sonnet-4-6")
    assert same.model_source.kind == SETTING


def test_model_overrides_map_a_custom_id_onto_a_recognised_one(budget):
    text = settings("corp-opus", modelOverrides={"claude-opus-4-8": "corp-opus"})
    b = budget(text, env=third_party())
    assert b.model_id == "corp-opus"
    assert b.window.value == 1_000_000 and b.max_tokens_normal.value == 64_000
    assert b.proactive and b.headroom_applies is False


def test_deprecated_model_is_reg005(budget):
    b = budget(settings("claude-3-7-sonnet-20250219"))
    [effect] = effects(b, "REG005")
    assert effect.severity == Severity.WARNING
    assert b.max_tokens_normal.value == 32_000


# --- notes, record basics -------------------------------------------------------------------------------


@pytest.mark.parametrize("version, between", [("2.1.300", True), ("2.1.328", True), ("2.1.296", False),
                                               ("2.1.221", False)])
def test_note_between_documented_versions(budget, version, between):
    b = budget(settings("claude-sonnet-4-6"), version=version)
    assert any("falls between" in n for n in b.notes) is between


def test_default_target_notes_server_side_inputs(budget):
    b = budget(settings("claude-sonnet-4-6"))
    assert any("server-side" in n for n in b.notes)


def test_record_basics(budget):
    b = budget(settings("claude-sonnet-4-6"))
    assert (b.dialect, b.harness) == ("claude-code", "Claude Code")
    assert b.layers == [SETTINGS_FILE]
    assert b.input_cap is None and b.output_reservation is None
    assert b.model_output.value == 64_000 and "anthropic/claude-sonnet-4-6" in b.model_output.source.label
    assert b.declared_limits is True  # in Claude Code's own catalog
    assert b.headroom.value == 33_000 and b.headroom.formula == "200,000 - 167,000 = 33,000"
    assert b.trigger.formula == "200,000 - 20,000 - 13,000 = 167,000"
    assert b.block_at.formula == "200,000 - 20,000 - 3,000 = 177,000"
    assert None not in (b.fixes.cmp001, b.fixes.reg003, b.fixes.reg002, b.fixes.cmp005_normal)


def test_blocking_limit_override(budget):
    b = budget(settings("claude-sonnet-4-6"), env={"CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE": "150_000"})
    assert b.block_at.value == 150_000


def test_numeric_spellings_before_2_1_211(budget):
    env = {MAX_OUTPUT: "16000", "MAX_THINKING_TOKENS": "1e4"}
    old = env_use(budget(settings("claude-sonnet-4-6"), env=env, version="2.1.210"), "MAX_THINKING_TOKENS")
    assert old.parsed == 1_024 and "reads as 1" in old.problem and old.fix == "write MAX_THINKING_TOKENS=10000"
    new = env_use(budget(settings("claude-sonnet-4-6"), env=env, version="2.1.211"), "MAX_THINKING_TOKENS")
    assert new.parsed == 10_000 and new.problem is None


def test_multiple_layers_point_at_the_deciding_file():
    [b] = resolve_texts("claude-code", [
        ("/project/.claude/settings.json", settings("claude-sonnet-5", env={WINDOW: "500000"})),
        ("/project/.claude/settings.local.json", settings(env={WINDOW: "400000"})),
    ])
    assert b.window.value == 400_000
    assert b.window.source.doc.display_path == "project/.claude/settings.local.json"
    assert b.model_source.doc.display_path == SETTINGS_FILE
    assert b.layers == [SETTINGS_FILE, "project/.claude/settings.local.json"]


# --- pure helpers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("model_id, expected", [
    ("claude-sonnet-4.5", "claude-sonnet-4-5"),
    ("Claude-Sonnet-4-5-20250929", "claude-sonnet-4-5"),
    ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"),
    ("claude-opus-4-6@default", "claude-opus-4-6"),
    ("claude-opus-4-20250514", "claude-opus-4-0"),
    ("claude-3-5-haiku-latest", "claude-3-5-haiku"),
    ("anthropic.claude-sonnet-4-5-v2:1", "claude-sonnet-4-5"),   # any Bedrock version, unlike the registry's
    ("kimi-k2.6", "kimi-k2-6"),
])
def test_canonical_id(model_id, expected):
    assert canonical_id(model_id) == expected


def test_parsers():
    assert parse_window("1.5m") == 1_500_000 and parse_window("2e5") == 200_000 and parse_window("x") is None
    assert parse_float("50%") == 50 and parse_float(".5") == 0.5 and parse_float("abc") is None


@pytest.mark.parametrize("raw, window, numeric", [
    ("200k", 200_000, 200), ("200K", 200_000, 200), ("2\u212a", 2_000, 2),  # the Kelvin sign is `re`'s k
    ("1.5M", 1_500_000, 1), ("3E4", 30_000, 30_000), ("2e5", 200_000, 200_000), ("1e", 1, 1),
    ("200,000", 200_000, 200), ("200_000", 200_000, 200_000), ("2_00", 2, 2), ("200000", 200_000, 200_000),
])
def test_spelled_numbers_are_read_as_2_1_329_reads_them(raw, window, numeric):
    """Each spelling is tried only on a value with the letter or separator it needs (its pattern
    compiled at first use): the same numbers as trying every pattern on every value."""
    from cfglint.core.versions import Version
    from cfglint.harnesses.claude_code.resolver import parse_numeric

    assert parse_window(raw) == window and parse_numeric(raw, Version.parse("2.1.329")) == numeric


def test_catalog_is_complete():
    assert set(CATALOG_WINDOW) == set(OUTPUT_LIMITS)


# --- measured against 2.1.329's own code (tools/fidelity/claude_code.py): the classes it closed -----------


def numbers(b) -> tuple:
    """(window, trigger, block_at, max_tokens_normal) as explain prints them."""
    return b.window.value, b.trigger.value, b.block_at.value, b.max_tokens_normal.value


@pytest.mark.parametrize("text, env, model_id, expected", [
    ("{}", {}, "claude-opus-5-5", (1_000_000, 967_000, 977_000, 128_000)),        # no model: `opus`
    (settings("best"), {}, "claude-opus-5-5", (1_000_000, 967_000, 977_000, 128_000)),
    (settings("haiku"), {}, "claude-haiku-5-5", (1_000_000, 967_000, 977_000, 128_000)),
    (settings("default"), {}, "default", (1_000_000, 967_000, 977_000, 32_000)),  # no alias in 2.1.329
    ("{}", {"ANTHROPIC_MODEL": "default"}, "default", (1_000_000, 967_000, 977_000, 32_000)),
])
def test_aliases_resolve_from_the_shipped_catalog(budget, text, env, model_id, expected):
    b = budget(text, env=env)
    assert b.model_id == model_id and numbers(b) == expected


@pytest.mark.parametrize("model, env, model_id, expected", [
    ("claude-opus-4-0", {}, "claude-opus-5-5", (1_000_000, 967_000, 977_000, 128_000)),
    ("Claude-Opus-4-1", {"CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP": "0"}, "claude-opus-5-5",
     (1_000_000, 967_000, 977_000, 128_000)),
    ("claude-opus-4-1", {"CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP": "1"}, "claude-opus-4-1",
     (200_000, None, 177_000, 32_000)),
    ("claude-opus-4-1[1m]", {"ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-6"}, "claude-opus-4-6",
     (1_000_000, None, 977_000, 64_000)),
])
def test_legacy_opus_runs_as_opus(budget, model, env, model_id, expected):
    b = budget(settings(model), env=env)
    assert b.model_id == model_id and numbers(b) == expected


@pytest.mark.parametrize("switch", ["CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY"])
def test_legacy_opus_is_kept_on_the_clouds(budget, switch):
    assert budget(settings("claude-opus-4-1"), env={switch: "1"}).model_id == "claude-opus-4-1"


@pytest.mark.parametrize("alias, switch, model_id", [
    ("opus", "CLAUDE_CODE_USE_BEDROCK", "claude-opus-5-5"), ("best", "CLAUDE_CODE_USE_VERTEX", "claude-opus-5-5"),
    ("fable", "CLAUDE_CODE_USE_BEDROCK", "claude-fable-5-2"), ("haiku", "CLAUDE_CODE_USE_VERTEX", "claude-haiku-4-5"),
    ("opusplan", "CLAUDE_CODE_USE_BEDROCK", "claude-sonnet-4-5"),
    ("best", "CLAUDE_CODE_USE_FOUNDRY", "claude-opus-4-6"), ("fable", "CLAUDE_CODE_USE_FOUNDRY", "claude-fable-5-2"),
])
def test_cloud_aliases(budget, alias, switch, model_id):
    assert budget(settings(alias), env={switch: "1"}).model_id == model_id


def test_blocking_limit_below_the_threshold_compacts_there(budget):
    b = budget("{}", env={"CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE": "150000"})
    assert numbers(b) == (1_000_000, 150_000, 150_000, 128_000)
    assert b.trigger.source.label == "CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE"
    assert b.trigger.formula.endswith("max(0, min(967,000, blocking limit 150,000)) = 150,000")


@pytest.mark.parametrize("model, expected", [
    ("anthropic/claude-sonnet-4.5", (200_000, None, 177_000, 32_000)),
    ("openrouter/anthropic/claude-opus-4.6", (200_000, 167_000, 177_000, 64_000)),
    ("z-ai/glm-4.6", (1_000_000, 967_000, 977_000, 32_000)),
])
def test_provider_prefixed_and_dotted_ids(budget, model, expected):
    b = budget(settings(model))
    assert b.model_id == model and numbers(b) == expected


@pytest.mark.parametrize("model, model_settings, window", [
    ("glm-4.6", {"glm-4.6": 600_000}, 600_000),                      # unrecognised ids keep their dots
    ("claude-opus-5", {"Claude-Opus-5[1m]": 300_000}, 300_000),      # case and `[1m]` dropped
    ("sonnet", {"sonnet": 300_000, "claude-sonnet-5-5": 400_000}, 400_000),   # the exact key wins
])
def test_model_settings_keys_are_canonicalised(budget, model, model_settings, window):
    entries = {key: {"autoCompactWindow": value} for key, value in model_settings.items()}
    assert budget(settings(model, modelSettings=entries)).window.value == window


def test_switched_off_ignores_the_window_settings(budget):
    b = budget(settings(autoCompactWindow=250_000),
               env={"ANTHROPIC_MODEL": "claude-opus-5-5", "DISABLE_AUTO_COMPACT": "1"})
    assert b.window.value == 1_000_000 and b.trigger.value is None


def test_pct_override_divides_first(budget):
    b = budget(settings("claude-opus-4-6[1m]"), env={WINDOW: "50000", PCT: "33.3"})
    assert b.trigger.value == 26_639   # floor(80,000 × 0.333) = floor(26,639.99...)


def test_window_below_the_output_reserve_fires_at_zero(budget):
    b = budget(settings("glm-4.6"), env={MAX_CONTEXT: "8000"})
    assert numbers(b) == (8_000, 0, 0, 32_000) and b.every_step


@pytest.mark.parametrize("raw, value", [("64_000", 64_000), ("1e4", 10_000), ("8k", 8)])
def test_max_output_spellings(budget, raw, value):
    b = budget(settings("claude-opus-4-6[1m]"), env={MAX_OUTPUT: raw})
    assert b.max_tokens_normal.value == value
    assert (env_use(b, MAX_OUTPUT).problem is None) is (raw != "8k")


def test_max_context_raises_an_unrecognised_one_m_window(budget):
    b = budget(settings("glm-4.6[1m]"), env={MAX_CONTEXT: "2000000"})
    assert b.window.value == 2_000_000 and b.block_at.value == 1_977_000
    assert budget(settings("glm-4.6[1m]"), env={MAX_CONTEXT: "262144"}).window.value == 1_000_000
