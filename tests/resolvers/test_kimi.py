"""Kimi Code and kimi-cli budgets: every worked example of harness-kimi.md 5.1 and 5.4, exact numbers."""

from __future__ import annotations

import pytest

from samples import GLM_5_2

from cfglint.core.finding import Severity
from cfglint.core.versions import Version
from cfglint.harnesses.budget import DEFAULT, ENV, REGISTRY, SETTING
from cfglint.harnesses.kimi.common import Term, term_quantity
from cfglint.harnesses.kimi.facts import anthropic_default_output, parse_env_cap, parse_env_cap_2x, ratio_threshold
from cfglint.harnesses.kimi.resolve_cli import _cli_cap_terms, kimi_cli_trigger
from cfglint.harnesses.kimi.resolve_code import _request_terms, kimi_code_trigger

GLM_ALIAS = "zhipu/glm-5.2"
RESERVED = ("loop_control", "reserved_context_size")
RATIO = ("loop_control", "compaction_trigger_ratio")

GLM = GLM_5_2
GLM_NO_OUTPUT = GLM.replace("max_output_size = 131072\n", "")


def config(window: int, *, kind: str = "kimi", model: str = "kimi-k2.5", loop: str = "", extra: str = "",
           base_url: str = "https://api.moonshot.ai/v1") -> str:
    """One model `main` on provider `p`, with `extra` lines in the model table and `loop` in [loop_control]."""
    return (f'default_model = "main"\n[providers.p]\ntype = "{kind}"\nbase_url = "{base_url}"\napi_key = "k"\n'
            f'[models.main]\nprovider = "p"\nmodel = "{model}"\nmax_context_size = {window}\n{extra}\n'
            f"[loop_control]\n{loop}\n")


def one(budgets):
    assert len(budgets) == 1
    return budgets[0]


def cmp004(budget, path):
    return [e for e in budget.effects if e.code == "CMP004" and e.source.path == path]


def env_use(budget, name):
    return next(u for u in budget.env if u.name == name)


def request_tokens(cap: int, *, wire: str, version: str, window: int, used: int | None = None) -> int:
    """What Kimi Code sends for a request cap `cap` on provider type `wire` (the resolver's own
    candidates and min), with `used` the context that the remaining-window clamp subtracts."""
    terms = _request_terms([Term(cap)], wire=wire, version=Version.parse(version), legacy=False, model_id="",
                           output_size=None, window=window, used=used)
    return term_quantity(terms).value


def cli_completion_cap(window: int, reserved: int, env: int | None, floor: int) -> int:
    """kimi-cli 1.49+ `compute_max_completion_tokens` for a Kimi provider (the resolver's own
    candidates and min): the env cap (or the window) clamped to `window - (floor + 1,024)`."""
    terms = _cli_cap_terms(Term(window), Term(reserved), Term(env) if env is not None else None, floor)
    return term_quantity(terms).value


# --- 5.4 item 1: the GLM-5.2 config of issue #834 ------------------------------------------------


def test_glm_newest_kimi_code(resolve):
    b = one(resolve("kimi-code", GLM))
    assert (b.dialect, b.version, b.model, b.model_id, b.provider) == ("kimi-code", "2.1.0", GLM_ALIAS, "glm-5.2", "zhipu")
    assert b.trigger.value == 950_000 and b.trigger_rule == "reserve"
    assert b.block_at.value == 950_000
    assert b.headroom.value == 50_000
    assert b.max_tokens_normal.value == 131_072
    assert b.max_tokens_compaction.value == 131_072
    assert b.max_tokens_at_trigger.value == 50_000  # the remaining window at the trigger
    assert b.window.value == b.hard_limit.value == 1_000_000 and b.input_cap is None
    assert b.configured_output.value == 131_072 and b.configured_output.source.path == ("models", GLM_ALIAS, "max_output_size")
    assert b.declared_limits and not b.every_step and b.proactive
    assert b.kept_tail.value == b.post_compaction_floor.value == 200_000
    assert not [e for e in b.effects if e.code == "CMP004"]


def test_glm_provenance(resolve):
    b = one(resolve("kimi-code", GLM))
    assert b.trigger.source.kind == SETTING and b.trigger.source.path == RESERVED
    assert b.trigger.formula == "1,000,000 - 50,000 = 950,000"
    assert "990,000" in b.trigger_reason and "reserve" in b.trigger_reason
    assert b.headroom.source.path == RESERVED
    assert b.window.source.path == ("models", GLM_ALIAS, "max_context_size")
    assert b.window.source.doc.display_path == "project/.kimi-code/config.toml"
    assert b.registry_match.entry == "zhipuai/glm-5.2" and b.registry_match.kind == "base-url"
    for q in (b.model_context, b.model_output):
        assert q.source.kind == REGISTRY and "zhipuai/glm-5.2" in q.source.label
    assert (b.model_context.value, b.model_output.value) == (1_000_000, 131_072)
    assert b.model_input is None
    assert b.layers == ["project/.kimi-code/config.toml"]


def test_glm_0_16_0_legacy_engine_and_bug_834(resolve):
    b = one(resolve("kimi-code", GLM, version="0.16.0"))
    assert b.trigger.value == 850_000 and b.trigger_rule == "ratio"
    assert b.trigger.source.kind == DEFAULT and "0.85" in b.trigger.source.label
    assert b.block_at.value == 850_000
    [effect] = cmp004(b, RATIO)
    assert effect.severity is None and "legacy engine" in effect.message
    assert b.max_tokens_normal.value == 131_072
    assert b.max_tokens_compaction.value == 1_000_000
    assert b.max_tokens_compaction.source.path == ("models", GLM_ALIAS, "max_context_size")
    assert "#834" in b.compaction_note
    fix = b.fixes.cmp005_compaction
    assert "0.20.2" in fix and "KIMI_MODEL_MAX_COMPLETION_TOKENS=131072" in fix


def test_glm_0_20_1_openai_ceiling_caps_compaction(resolve):
    b = one(resolve("kimi-code", GLM, version="0.20.1"))
    assert b.trigger.value == 850_000
    assert b.max_tokens_normal.value == 131_072
    assert b.max_tokens_compaction.value == 131_072
    assert b.max_tokens_compaction.formula == "min(max_context_size (bug #834) 1,000,000, openai ceiling 131,072) = 131,072"
    assert b.max_tokens_compaction.source.kind == DEFAULT


def test_glm_0_20_2_passes_max_output_size_to_compaction(resolve):
    b = one(resolve("kimi-code", GLM, version="0.20.2"))
    assert b.max_tokens_compaction.value == 131_072
    assert b.max_tokens_compaction.source.path == ("models", GLM_ALIAS, "max_output_size")
    assert "0.20.2" not in b.fixes.cmp005_compaction


def test_glm_without_max_output_size_newest(resolve):
    b = one(resolve("kimi-code", GLM_NO_OUTPUT))
    assert b.max_tokens_normal.value == 131_072
    assert b.max_tokens_normal.formula == "min(max_context_size 1,000,000, openai ceiling 131,072) = 131,072"
    assert b.max_tokens_compaction.value == 131_072
    assert b.configured_output is None


def test_glm_env_workaround_on_0_16_0(resolve):
    b = one(resolve("kimi-code", GLM, version="0.16.0", env={"KIMI_MODEL_MAX_COMPLETION_TOKENS": "131072"}))
    assert b.max_tokens_normal.value == b.max_tokens_compaction.value == 131_072
    assert b.max_tokens_compaction.source.kind == ENV
    assert b.max_tokens_compaction.source.label == "KIMI_MODEL_MAX_COMPLETION_TOKENS"
    use = env_use(b, "KIMI_MODEL_MAX_COMPLETION_TOKENS")
    assert use.parsed == 131_072 and use.problem is None
    assert use.changed == "max_tokens_normal, max_tokens_compaction"
    assert b.configured_output.value == 131_072 and b.configured_output.source.kind == ENV


def test_glm_legacy_flag_selects_legacy_engine_before_2x(resolve):
    b = one(resolve("kimi-code", GLM, env={"KIMI_CODE_LEGACY_FLAG": "1"}, version="0.43.1"))
    assert b.trigger.value == 850_000
    assert cmp004(b, RATIO)
    assert env_use(b, "KIMI_CODE_LEGACY_FLAG").changed == "engine"
    assert b.max_tokens_compaction.value == 131_072  # the version still has the #834 fix


def test_glm_kimi_cli(resolve):
    b = one(resolve("kimi-cli", GLM))
    assert (b.dialect, b.version) == ("kimi-cli", "1.49.0")
    assert b.trigger.value == 950_000 and b.trigger_rule == "reserve"
    assert b.trigger.source.path == RESERVED
    assert b.headroom.value == 50_000
    assert b.block_at is None and b.kept_tail is None
    assert b.max_tokens_normal is None  # kimi-cli sends no max_tokens for a non-Kimi provider


# --- 5.4 item 2: the K3 window ----------------------------------------------------------------------

K3 = config(1_048_576, model="k3", base_url="https://api.kimi.com/coding/v1")


def test_k3_trigger_and_caps(resolve):
    b = one(resolve("kimi-code", K3))
    assert b.trigger.value == 891_290 and b.trigger_rule == "ratio"
    assert b.trigger.formula == "ceil(1,048,576 × 0.85) = 891,290"
    assert b.trigger.source.kind == DEFAULT and "compaction_trigger_ratio unset" in b.trigger.source.label
    assert "998,576" in b.trigger_reason
    assert b.max_tokens_normal.value == 1_048_576  # kimi provider: no ceiling, the whole window
    assert b.max_tokens_at_trigger.value == 1_048_576 - 891_290
    assert b.max_tokens_compaction.value == 131_072
    assert b.kept_tail.value == 209_715
    assert b.registry_match.entry == "kimi-for-coding/k3"


def test_k3_step_cap_with_used():
    assert request_tokens(1_048_576, wire="kimi", version="2.1.0", window=1_048_576, used=500_000) == 548_576


def test_k3_formula():
    assert ratio_threshold(1_048_576, 0.85) == 891_290
    assert kimi_code_trigger(1_048_576, 0.85, 50_000) == (891_290, "ratio")


# --- 5.4 item 3 and 5.1 -------------------------------------------------------------------------------


@pytest.mark.parametrize("dialect,version", [("kimi-code", "2.1.0"), ("kimi-code", "0.16.0"), ("kimi-cli", "1.49.0")])
def test_200k_window_reserve_wins_everywhere(resolve, dialect, version):
    b = one(resolve(dialect, config(200_000, loop="reserved_context_size = 50000"), version=version))
    assert b.trigger.value == 150_000 and b.trigger_rule == "reserve"
    assert b.trigger.source.path == RESERVED
    assert b.headroom.value == 50_000


def test_32k_window_kimi_cli_compacts_every_step(resolve):
    b = one(resolve("kimi-cli", config(32_768, loop="reserved_context_size = 50000")))
    assert b.every_step and b.trigger.value == 0 and b.trigger_rule == "reserve"
    assert b.trigger.source.path == RESERVED
    assert b.fixes.cmp003


def test_32k_window_kimi_code_disables_reserve_rule(resolve):
    b = one(resolve("kimi-code", config(32_768, loop="reserved_context_size = 50000")))
    assert b.trigger.value == 27_853 and b.trigger_rule == "ratio" and not b.every_step
    [effect] = cmp004(b, RESERVED)
    assert "disables the reserve rule" in effect.message and effect.severity is None


def test_32k_window_default_reserve_is_no_cmp004(resolve):
    b = one(resolve("kimi-code", config(32_768)))
    assert b.trigger.value == 27_853 and not cmp004(b, RESERVED)
    assert "disabled" in b.trigger_reason


def test_5_1_ratio_0_8(resolve):
    text = config(262_144, loop="compaction_trigger_ratio = 0.8")
    b = one(resolve("kimi-code", text))
    assert b.trigger.value == 209_716 and b.trigger_rule == "ratio"
    assert b.trigger.source.path == RATIO
    assert b.block_at.value == 212_144  # block ratio max(0.8, 0.85): the reserve rule comes first
    assert one(resolve("kimi-cli", text)).trigger.value == 209_716


def test_trigger_formulas():
    assert kimi_code_trigger(32_768, 0.85, 50_000) == (27_853, "ratio")
    assert kimi_code_trigger(200_000, 0.85, 0) == (170_000, "ratio")
    assert kimi_cli_trigger(32_768, 0.85, 50_000) == (0, "reserve")
    assert kimi_cli_trigger(0, 0.85, 50_000) == (0, "reserve")
    assert kimi_cli_trigger(200_000, None, 50_000) == (150_000, "reserve")


# --- 5.4 items 4 and 5 -------------------------------------------------------------------------------


def test_kimi_cli_cap_with_floor(resolve):
    assert cli_completion_cap(262_144, 50_000, None, 100_000) == 161_120
    assert cli_completion_cap(262_144, 50_000, 8_192, 100_000) == 8_192
    assert cli_completion_cap(0, 50_000, None, 100_000) == 50_000
    b = one(resolve("kimi-cli", config(262_144), env={"KIMI_MODEL_MAX_COMPLETION_TOKENS": "-1"}))
    assert b.max_tokens_normal.value is None and b.max_tokens_compaction.value is None  # the opt-out sends none


def test_kimi_code_openai_step_and_compaction():
    common = dict(wire="openai", version="2.1.0", window=262_144)
    assert request_tokens(262_144, used=100_000, **common) == 131_072
    assert request_tokens(min(262_144, 131_072), **common) == 131_072
    assert request_tokens(262_144, wire="openai", version="0.20.0", window=262_144, used=100_000) == 262_144


def test_kimi_code_openai_budget_item_5(resolve):
    b = one(resolve("kimi-code", config(262_144, kind="openai", model="gpt-5", base_url="https://api.openai.com/v1")))
    assert b.max_tokens_normal.value == b.max_tokens_compaction.value == 131_072


def test_kimi_cli_budget_kimi_provider_floor_zero(resolve):
    b = one(resolve("kimi-cli", config(262_144)))
    assert b.max_tokens_normal.value == 262_144 - 1_024
    assert any("floor = 0" in note for note in b.notes)
    assert b.trigger.value == 212_144 and b.trigger_rule == "reserve"
    assert b.max_tokens_at_trigger.value == 262_144 - 212_144 - 1_024
    assert b.registry_match.entry == "moonshotai/kimi-k2.5"


def test_kimi_cli_env_cap(resolve):
    b = one(resolve("kimi-cli", config(262_144), env={"KIMI_MODEL_MAX_COMPLETION_TOKENS": "16384"}))
    assert b.max_tokens_normal.value == 16_384 and b.max_tokens_normal.source.kind == ENV
    assert b.configured_output.value == 16_384


def test_kimi_cli_before_1_49_sends_fixed_32000(resolve):
    b = one(resolve("kimi-cli", config(262_144), version="1.48.0"))
    assert b.max_tokens_normal.value == b.max_tokens_compaction.value == 32_000
    b = one(resolve("kimi-cli", config(262_144), version="1.48.0", env={"KIMI_MODEL_MAX_TOKENS": "8192"}))
    assert b.max_tokens_normal.value == 8_192 and b.configured_output.value == 8_192


def test_kimi_cli_anthropic_sends_50000(resolve):
    b = one(resolve("kimi-cli", config(200_000, kind="anthropic", model="claude-opus-4-5",
                                       base_url="https://api.anthropic.com")))
    assert b.max_tokens_normal.value == b.max_tokens_compaction.value == 50_000


def test_kimi_cli_version_rules(resolve):
    text = config(200_000, loop="reserved_context_size = 20000\ncompaction_trigger_ratio = 0.6")
    assert one(resolve("kimi-cli", text)).trigger.value == 120_000
    b = one(resolve("kimi-cli", text, version="1.16.0"))  # no ratio rule
    assert b.trigger.value == 180_000 and b.trigger_rule == "reserve"
    b = one(resolve("kimi-cli", text, version="0.81.0"))  # fixed reserve 50,000
    assert b.trigger.value == 150_000 and b.trigger.source.kind == DEFAULT


def test_kimi_cli_env_window_for_kimi_provider(resolve):
    b = one(resolve("kimi-cli", config(262_144), env={"KIMI_MODEL_MAX_CONTEXT_SIZE": "131072"}))
    assert b.window.value == 131_072 and b.window.source.kind == ENV
    assert b.trigger.value == 81_072


# --- environment variables --------------------------------------------------------------------------


def test_parse_env_cap():
    assert parse_env_cap("abc") is None
    assert parse_env_cap("8k") is None
    assert parse_env_cap(" 4096 ") == 4_096
    assert parse_env_cap("-1") == -1
    assert parse_env_cap("0") == 0


def test_env_not_an_integer_is_ignored(resolve):
    b = one(resolve("kimi-code", GLM, env={"KIMI_MODEL_MAX_COMPLETION_TOKENS": "abc"}))
    use = env_use(b, "KIMI_MODEL_MAX_COMPLETION_TOKENS")
    assert use.parsed is None and use.severity == Severity.ERROR and use.problem and not use.changed
    assert b.max_tokens_normal.source.path == ("models", GLM_ALIAS, "max_output_size")


def test_env_falls_through_to_legacy_alias(resolve):
    env = {"KIMI_MODEL_MAX_COMPLETION_TOKENS": "abc", "KIMI_MODEL_MAX_TOKENS": "8192"}
    b = one(resolve("kimi-code", GLM, env=env))
    assert b.max_tokens_normal.value == 8_192 and b.max_tokens_normal.source.label == "KIMI_MODEL_MAX_TOKENS"


def test_env_opt_out_removes_cap_but_not_ceilings_before_2x(resolve):
    env = {"KIMI_MODEL_MAX_COMPLETION_TOKENS": "-1"}
    b = one(resolve("kimi-code", GLM, env=env, version="0.43.1"))
    use = env_use(b, "KIMI_MODEL_MAX_COMPLETION_TOKENS")
    assert use.parsed == -1 and use.severity == Severity.INFO and use.problem
    assert b.max_tokens_normal.value == b.max_tokens_compaction.value == 131_072
    assert b.max_tokens_normal.source.kind == DEFAULT  # the openai ceiling
    assert b.configured_output is None
    b = one(resolve("kimi-code", config(262_144), env=env, version="0.43.1"))
    assert b.max_tokens_normal.value is None and b.max_tokens_compaction.value is None


def test_env_trimmed(resolve):
    b = one(resolve("kimi-code", GLM, env={"KIMI_MODEL_MAX_COMPLETION_TOKENS": " 4096 "}))
    use = env_use(b, "KIMI_MODEL_MAX_COMPLETION_TOKENS")
    assert use.parsed == 4_096 and use.problem is None
    assert b.max_tokens_normal.value == b.max_tokens_compaction.value == 4_096
    assert b.configured_output.value == 4_096


def test_budget_variable_in_provider_env_block_has_no_effect(resolve):
    text = GLM.replace('api_key = ""\n', 'api_key = ""\n[providers.zhipu.env]\nKIMI_MODEL_MAX_COMPLETION_TOKENS = "4096"\n'
                                         'OPENAI_API_KEY = "x"\n')
    for dialect in ("kimi-code", "kimi-cli"):
        b = one(resolve(dialect, text))
        [effect] = cmp004(b, ("providers", "zhipu", "env", "KIMI_MODEL_MAX_COMPLETION_TOKENS"))
        assert not cmp004(b, ("providers", "zhipu", "env", "OPENAI_API_KEY"))
    assert b.trigger.value == 950_000
    assert one(resolve("kimi-code", text)).max_tokens_normal.value == 131_072


# --- limits, models and registry ----------------------------------------------------------------------


def test_input_cap_above_window_is_clamped_before_2x(resolve):
    b = one(resolve("kimi-code", config(200_000, extra="max_input_size = 300000"), version="0.43.1"))
    [effect] = cmp004(b, ("models", "main", "max_input_size"))
    assert effect.severity == Severity.INFO
    assert b.input_cap.value == b.hard_limit.value == 200_000
    assert b.trigger.value == 150_000


def test_input_cap_drives_trigger_but_not_remaining_window(resolve):
    b = one(resolve("kimi-code", config(262_144, extra="max_input_size = 200000")))
    assert b.input_cap.value == b.hard_limit.value == 200_000 and b.window.value == 262_144
    assert b.trigger.value == 150_000 and b.headroom.value == 50_000
    assert b.max_tokens_at_trigger.value == 262_144 - 150_000


def test_overrides_win(resolve):
    b = one(resolve("kimi-code", config(262_144, extra="[models.main.overrides]\nmax_context_size = 131072")))
    assert b.window.value == 131_072 and b.window.source.path == ("models", "main", "overrides", "max_context_size")


def test_model_order_and_selection(resolve):
    text = GLM + '[models.other]\nprovider = "zhipu"\nmodel = "glm-4.6"\nmax_context_size = 200000\n'
    text = text.replace('default_model = "zhipu/glm-5.2"', 'default_model = "other"')
    assert [b.model for b in resolve("kimi-code", text)] == ["other", GLM_ALIAS]
    assert [b.model for b in resolve("kimi-cli", text)] == ["other", GLM_ALIAS]
    assert [b.model for b in resolve("kimi-code", text, model=GLM_ALIAS)] == [GLM_ALIAS]
    assert resolve("kimi-code", text, model="nope") == []


def test_deprecated_model_reg005(resolve):
    text = config(200_000, kind="anthropic", model="claude-3-opus-20240229", base_url="https://api.anthropic.com")
    b = one(resolve("kimi-code", text))
    [effect] = [e for e in b.effects if e.code == "REG005"]
    assert effect.severity == Severity.WARNING and effect.source.path == ("models", "main")


def test_anthropic_default_output_table(resolve):
    assert anthropic_default_output("claude-opus-4-5-20251101") == 64_000
    assert anthropic_default_output("claude-sonnet-4-20250514") == 64_000
    assert anthropic_default_output("claude-3-5-sonnet-20241022") == 8_192
    assert anthropic_default_output("claude-3-opus-20240229") == 4_096
    assert anthropic_default_output("claude-opus-4-10") == 128_000  # lower minors: opus-4-8
    assert anthropic_default_output("opus-4-5") == 128_000  # no `claude`: fallback
    b = one(resolve("kimi-code", config(200_000, kind="anthropic", model="claude-opus-4-5",
                                        base_url="https://api.anthropic.com"), version="0.43.1"))
    assert b.max_tokens_normal.value == 64_000 and b.max_tokens_compaction.value == 64_000
    assert b.max_tokens_at_trigger.value == 50_000  # the v2 engine clamps anthropic to the remaining window
    assert any("#3731" in note for note in b.notes)


def test_output_size_before_365_not_sent_on_steps(resolve):
    b = one(resolve("kimi-code", GLM, version="0.10.0"))
    assert b.max_tokens_normal.value == 1_000_000
    assert b.configured_output is None


def test_missing_window_never_compacts(resolve):
    text = 'default_model = "m"\n[providers.p]\ntype = "kimi"\n[models.m]\nprovider = "p"\nmodel = "kimi-k2.5"\n'
    b = one(resolve("kimi-code", text))
    assert b.trigger.value is None and b.trigger_rule == "never" and "max_context_size" in b.trigger_reason


# --- the env-synthesised model -------------------------------------------------------------------------


def test_env_model_first_with_defaults(resolve):
    budgets = resolve("kimi-code", GLM, env={"KIMI_MODEL_NAME": "kimi-k2.5"})
    assert [b.model for b in budgets] == ["__kimi_env_model__", GLM_ALIAS]
    b = budgets[0]
    assert b.provider == "__kimi_env__" and b.model_id == "kimi-k2.5"
    assert b.window.value == 262_144 and b.window.source.kind == DEFAULT
    assert b.trigger.value == 212_144  # the file's [loop_control]: reserve 50,000
    assert b.model_source.kind == ENV


def test_env_model_sizes(resolve):
    env = {"KIMI_MODEL_NAME": "kimi-k2.5", "KIMI_MODEL_MAX_CONTEXT_SIZE": "131072", "KIMI_MODEL_MAX_OUTPUT_SIZE": "8192"}
    b = resolve("kimi-code", GLM, env=env, model="__kimi_env_model__")[0]
    assert b.window.value == 131_072 and b.window.source.label == "KIMI_MODEL_MAX_CONTEXT_SIZE"
    assert b.max_tokens_normal.value == 8_192


def test_env_model_bad_size_is_a_startup_error_before_2x(resolve):
    budgets = resolve("kimi-code", GLM, env={"KIMI_MODEL_NAME": "x", "KIMI_MODEL_MAX_CONTEXT_SIZE": "1M"},
                      version="0.43.1")
    assert [b.model for b in budgets] == [GLM_ALIAS]
    use = env_use(budgets[0], "KIMI_MODEL_MAX_CONTEXT_SIZE")
    assert use.severity == Severity.ERROR and "start-up" in use.problem


def test_kimi_cli_reads_a_window_written_as_a_string(resolve):
    """kimi-cli 1.49.0 validates with pydantic's lax mode: `"262_144"` is the integer 262,144."""
    b = one(resolve("kimi-cli", config(262144, loop='reserved_context_size = "60000"').replace(
        "max_context_size = 262144", 'max_context_size = "262_144"')))
    assert b.window.value == 262_144 and b.trigger.value == 262_144 - 60_000
    b = one(resolve("kimi-code", config(262144).replace("max_context_size = 262144", 'max_context_size = "262144"')))
    assert b.trigger.value is None  # Kimi Code's zod schema wants a number


# --- Kimi Code 2.x, as its own functions compute it (tools/fidelity/kimi_code.py on 2.1.0) ----------------


def test_2x_has_no_legacy_engine(resolve):
    """2.1.0 ships only agent-core-v2: KIMI_CODE_LEGACY_FLAG=1 changes nothing (ENV001 info)."""
    b = one(resolve("kimi-code", GLM, env={"KIMI_CODE_LEGACY_FLAG": "1"}))
    assert b.trigger.value == 950_000 and not cmp004(b, RATIO)
    use = env_use(b, "KIMI_CODE_LEGACY_FLAG")
    assert use.changed is None and use.severity == Severity.INFO and "never read" in use.problem


def test_2x_env_cap_read_with_javascript_number(resolve):
    """envOverlay.ts parseCompletionTokens: Number(value), kept when Number.isInteger."""
    assert [parse_env_cap_2x(v) for v in ("1e5", "0x8000", "+4096", "4096.0", " 32000 ", "12.5", "1_000", "Infinity",
                                          "", "  ", "-0")] == [100_000, 32_768, 4_096, 4_096, 32_000, None, None, None,
                                                               None, None, 0]
    assert parse_env_cap_2x("9007199254740993") == 9_007_199_254_740_992  # a double, as JavaScript reads it
    b = one(resolve("kimi-code", config(262_144), env={"KIMI_MODEL_MAX_COMPLETION_TOKENS": "+4096"}))
    assert b.max_tokens_normal.value == b.max_tokens_compaction.value == 4_096


def test_2x_env_opt_out_sends_no_max_tokens(resolve):
    """A value <= 0: resolveCompletionBudget returns undefined, so openai sends no max_tokens at all
    (no 131,072 ceiling either) and anthropic its resolveDefaultMaxTokens(model) default."""
    env = {"KIMI_MODEL_MAX_COMPLETION_TOKENS": "0"}
    b = one(resolve("kimi-code", GLM, env=env))
    assert b.max_tokens_normal.value is b.max_tokens_at_trigger.value is b.max_tokens_compaction.value is None
    b = one(resolve("kimi-code", config(1_000_000, kind="anthropic", model="claude-opus-4-1",
                                        extra="max_output_size = 4096"), env=env))
    assert b.max_tokens_normal.value == b.max_tokens_at_trigger.value == b.max_tokens_compaction.value == 32_000


def test_2x_first_request_clamped_to_the_window(resolve):
    """Every normal step passes the measured usage (0 on the first request): min(cap, 200,000 - 0)."""
    b = one(resolve("kimi-code", config(200_000, extra="max_output_size = 300000")))
    assert b.max_tokens_normal.value == 200_000 and "remaining window (200,000 - 0)" in b.max_tokens_normal.formula
    assert b.max_tokens_compaction.value == 300_000  # the compaction request passes no usage


def test_2x_anthropic_caps_at_the_claude_ceiling_of_the_wire_name(resolve):
    """resolveDefaultMaxTokens(name ?? model, cap) = min(cap, ceiling); an id without one keeps the cap,
    which without max_output_size is max_context_size."""
    anthropic = dict(kind="anthropic", base_url="https://api.anthropic.com")
    b = one(resolve("kimi-code", config(1_000_000, model="claude-opus-4-1", extra="max_output_size = 50000", **anthropic)))
    assert b.max_tokens_normal.value == b.max_tokens_compaction.value == 32_000
    b = one(resolve("kimi-code", config(1_000_000, model="glm-4.6", **anthropic)))
    assert b.max_tokens_normal.value == 1_000_000 and b.max_tokens_compaction.value == 131_072
    assert b.max_tokens_at_trigger.value == 150_000  # 1,000,000 - the trigger 850,000
    b = one(resolve("kimi-code", config(200_000, model="my-claude", extra='name = "claude-opus-4-1"', **anthropic)))
    assert b.max_tokens_normal.value == 32_000 and not any("#3731" in note for note in b.notes)


def test_2x_kimi_type_with_openai_protocol_uses_the_kimi_trait(resolve):
    """Provider type `kimi` + protocol `openai`: the kimi trait encodes max_completion_tokens as is."""
    b = one(resolve("kimi-code", config(1_000_000, extra='protocol = "openai"\nmax_output_size = 300000')))
    assert b.max_tokens_normal.value == b.max_tokens_compaction.value == 300_000


def test_2x_input_size_above_the_window_unclamped_without_overrides(resolve):
    """applyModelOverrides clamps max_input_size only when an [overrides] table exists."""
    b = one(resolve("kimi-code", config(200_000, extra="max_input_size = 300000")))
    assert b.input_cap is None and b.hard_limit.value == 200_000
    assert b.trigger.value == 250_000 and b.headroom.value == -50_000
    assert b.max_tokens_at_trigger.value == 1  # max(1, 200,000 - 250,000)
    b = one(resolve("kimi-code", config(200_000, extra="max_input_size = 300000\n[models.main.overrides]\n"
                                                         "max_output_size = 8192")))
    assert b.input_cap.value == 200_000 and b.trigger.value == 150_000


def test_2x_refused_models_have_no_trigger(resolve):
    """resolveModelProtocol finds no protocol for `vertexai` without `protocol`; an undefined provider fails."""
    b = one(resolve("kimi-code", config(1_000_000, kind="vertexai", model="gemini-2.5-pro")))
    assert b.trigger.value is None and "wire protocol" in b.trigger_reason
    b = one(resolve("kimi-code", config(1_000_000).replace('provider = "p"', 'provider = "q"')))
    assert b.trigger.value is None and "not configured" in b.trigger_reason


def test_2x_bad_env_model_size_drops_the_env_overlay(resolve):
    """ConfigService.applyEnvOverlay catches the throw: a warning, no env model, no env cap."""
    env = {"KIMI_MODEL_NAME": "x", "KIMI_MODEL_MAX_CONTEXT_SIZE": "1M", "KIMI_MODEL_MAX_TOKENS": "4096"}
    [b] = resolve("kimi-code", GLM, env=env)
    use = env_use(b, "KIMI_MODEL_MAX_CONTEXT_SIZE")
    assert use.severity == Severity.WARNING and "whole env overlay" in use.problem
    assert b.max_tokens_normal.value == 131_072 and env_use(b, "KIMI_MODEL_MAX_TOKENS").severity == Severity.WARNING
    budgets = resolve("kimi-code", GLM, env={"KIMI_MODEL_NAME": "x", "KIMI_MODEL_MAX_CONTEXT_SIZE": " "})
    assert [b.model for b in budgets] == ["__kimi_env_model__", GLM_ALIAS]  # blank is unset: 262,144
    assert budgets[0].window.value == 262_144


def test_kimi_cli_env_cap_read_with_python_int(resolve):
    """kimi-cli 1.49.0 `create_llm`: `int(raw)` on KIMI_MODEL_MAX_COMPLETION_TOKENS, so `1_000` is 1,000 and
    `+4096` 4,096 (tools/fidelity/kimi_cli.py); the cap is then clamped to the window minus the input and margin."""
    b = one(resolve("kimi-cli", config(262_144), env={"KIMI_MODEL_MAX_COMPLETION_TOKENS": "1_000"}))
    assert b.max_tokens_normal.value == b.max_tokens_at_trigger.value == 1_000
    assert env_use(b, "KIMI_MODEL_MAX_COMPLETION_TOKENS").problem is None
    b = one(resolve("kimi-cli", config(262_144), env={"KIMI_MODEL_MAX_COMPLETION_TOKENS": " +4096 "}))
    assert b.max_tokens_normal.value == 4_096


def test_kimi_cli_integer_strings_as_pydantic_reads_them(resolve):
    """pydantic-core's str -> int: `_` between digits and zero decimals pass, an exponent does not
    (kimi-cli 1.49.0 refuses the file: no trigger)."""
    window = 'max_context_size = "{}"'
    b = one(resolve("kimi-cli", config(262144).replace("max_context_size = 262144", window.format("262_144.0"))))
    assert b.window.value == 262_144
    b = one(resolve("kimi-cli", config(262144).replace("max_context_size = 262144", window.format("2.62144e5"))))
    assert b.trigger.value is None
