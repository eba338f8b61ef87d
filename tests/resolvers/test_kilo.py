"""Kilo resolver: harness-kilo.md 3.6 and 5 (every worked example of 5.8), exact to the token."""

from __future__ import annotations

import json

import pytest

from cfglint.harnesses.budget import DEFAULT, ENV, REGISTRY, SETTING
from cfglint.core.finding import Severity
from cfglint.harnesses.kilo.resolver import (
    cap_output_tokens,
    chunk_budget,
    max_output_tokens,
    percent_cap,
    tail_budget,
    trigger_tokens,
    usable_tokens,
)

LOCAL = "http://localhost:8000/v1"  # a private host: the registry identifies no provider by it


def custom(limit: dict | None = None, compaction: dict | None = None, *, npm: str | None = None,
           model_id: str | None = None, **top) -> str:
    """A config whose session model is `acme/m1` on a custom provider (no catalog entry)."""
    model: dict = {}
    if limit is not None:
        model["limit"] = limit
    if model_id is not None:
        model["id"] = model_id
    provider: dict = {"options": {"baseURL": LOCAL}, "models": {"m1": model}}
    if npm is not None:
        provider["npm"] = npm
    data: dict = {"model": "acme/m1", "provider": {"acme": provider}, **top}
    if compaction is not None:
        data["compaction"] = compaction
    return json.dumps(data)


@pytest.fixture
def one(resolve):
    """resolve(...) for configurations with one model: that model's Budget."""

    def run(text: str, **kwargs):
        budgets = resolve("kilo", text, **kwargs)
        assert len(budgets) == 1, [b.model for b in budgets]
        return budgets[0]

    return run


def effects(budget, code: str, severity: Severity | None = None):
    return [e for e in budget.effects if e.code == code and severity in (None, e.severity)]


# --- the 5.1 formulas ---------------------------------------------------------------------------


class TestFormulas:
    def test_max_output_tokens(self):
        assert max_output_tokens(64_000, 32_000) == 32_000
        assert max_output_tokens(8_000, 32_000) == 8_000
        assert max_output_tokens(0, 32_000) == 32_000        # `or OTM`
        assert max_output_tokens(-5, 32_000) == -5           # negative stays (5.6)

    def test_usable(self):
        assert usable_tokens(200_000, None, 64_000, None, 32_000) == 168_000
        assert usable_tokens(200_000, None, 64_000, 50_000, 32_000) == 168_000  # reserved unused
        assert usable_tokens(1_000_000, 900_000, 131_072, None, 32_000) == 880_000
        assert usable_tokens(0, None, 0, None, 32_000) == 0
        assert usable_tokens(32_000, None, 0, None, 32_000) == 0              # max(0, ...)
        assert usable_tokens(100_000, 10_000, 8_000, 20_000, 32_000) == 0

    def test_percent_cap_floors(self):
        assert percent_cap(200_000, 75) == 150_000
        # Kilo floors `context * (tp / 100)` (errata 5.1): 33.3 / 100 is 0.33299999999999996
        assert percent_cap(1_000, 33.3) == 332
        assert percent_cap(200_000, 29) == 57_999

    def test_trigger_base_by_release(self):
        assert trigger_tokens(880_000, 1_000_000, 900_000, 80, "context") == 800_000
        assert trigger_tokens(880_000, 1_000_000, 900_000, 80, "input") == 720_000
        assert trigger_tokens(880_000, 1_000_000, 900_000, 80, None) == 880_000
        assert trigger_tokens(168_000, 200_000, None, 95, "context") == 168_000

    def test_cap_output_tokens(self):
        # 5.8 example 1: est 170,000 on a 200,000 window.
        assert cap_output_tokens(32_000, 200_000, 170_000) == 27_952
        # 5.8 example 3 (test @1716922b): context 300,000, configured 32,000, reported 280,000.
        assert cap_output_tokens(32_000, 300_000, 280_000) == 17_952
        assert cap_output_tokens(32_000, 200_000, 100_000) == 32_000          # enough room
        assert cap_output_tokens(32_000, 200_000, 199_000) == 32_000          # overrun: unchanged
        assert cap_output_tokens(32_000, 200_000, 197_500) == 1_024           # floor
        assert cap_output_tokens(32_000, 0, 10) == 32_000                     # no context: inactive

    def test_tail_and_chunk_budgets(self):
        assert tail_budget(168_000) == 15_000          # Kilo 7.7.9 (errata 5.5)
        assert tail_budget(168_000, 8_000) == 8_000    # the bound of harness-kilo.md 5.5, before 7.7.9
        assert tail_budget(0) == 2_000
        assert tail_budget(20_000) == 5_000
        assert chunk_budget(168_000) == 100_800
        assert chunk_budget(0) == 1_000


# --- 5.8 example 1: context 200,000, output 64,000, no input ---------------------------------------

LIMIT_1 = {"context": 200000, "output": 64000}


class TestExample1:
    def test_defaults(self, one):
        b = one(custom(LIMIT_1))
        assert b.max_tokens_normal.value == 32_000
        assert b.trigger.value == 168_000
        assert b.trigger_rule == "usable window"
        assert b.window.value == 200_000 and b.input_cap is None and b.hard_limit.value == 200_000
        assert b.headroom.value == 32_000
        assert b.output_reservation.value == 32_000
        assert b.kept_tail.value == 15_000 and b.post_compaction_floor.value == 15_000
        assert b.max_tokens_at_trigger.value == 29_952  # 200,000 - 168,000 - 2,048
        assert b.declared_limits and b.proactive and not b.every_step
        assert b.trigger.source.kind == SETTING and b.trigger.source.path[-2:] == ("limit", "context")
        assert b.trigger.formula == "max(0, limit.context 200,000 - max output 32,000) = 168,000"

    def test_reserved_unused(self, one):
        b = one(custom(LIMIT_1, {"reserved": 50000}))
        assert b.trigger.value == 168_000
        (effect,) = effects(b, "CMP004", Severity.WARNING)
        assert effect.source.path == ("compaction", "reserved")

    @pytest.mark.parametrize("percent, trigger, decides", [(75, 150_000, True), (90, 168_000, False),
                                                           (95, 168_000, False)])
    def test_threshold_percent(self, one, percent, trigger, decides):
        b = one(custom(LIMIT_1, {"threshold_percent": percent}))
        assert b.trigger.value == trigger
        if decides:
            assert b.trigger_rule == "threshold_percent"
            assert b.trigger.source.path == ("compaction", "threshold_percent")
            assert b.trigger.formula == "min(usable 168,000, floor(limit.context 200,000 × 75 / 100) = 150,000) = 150,000"
            assert not effects(b, "CMP004", Severity.WARNING)
        else:
            assert b.trigger_rule == "usable window"
            assert b.trigger.source.path[-2:] == ("limit", "context")
            (effect,) = effects(b, "CMP004", Severity.WARNING)  # cap above the usable window: no effect
            assert effect.source.path == ("compaction", "threshold_percent")

    def test_env_output_max(self, one):
        b = one(custom(LIMIT_1), env={"KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX": "64000"})
        assert b.max_tokens_normal.value == 64_000
        assert b.trigger.value == 136_000
        assert b.configured_output.value == 64_000  # the written limit.output reaches the request
        assert not effects(b, "CMP004")
        (use,) = b.env
        assert use.parsed == 64_000 and use.problem is None
        assert use.changed == "max_tokens 32,000 -> 64,000; trigger 168,000 -> 136,000"
        # 7.7.9's preserve_recent takes usable at the env OTM: 136,000 -> min(15,000, 34,000)
        assert b.kept_tail.value == 15_000
        assert b.kept_tail.formula == "min(15,000, max(2,000, floor(usable 136,000 × 0.25) = 34,000)) = 15,000"

    def test_written_output_clamped_is_info(self, one):
        b = one(custom(LIMIT_1))
        assert b.configured_output is None  # 64,000 never reaches the request
        (effect,) = effects(b, "CMP004")
        assert effect.severity == Severity.INFO
        assert effect.source.path[-2:] == ("limit", "output")


# --- 5.8 example 2: context 1,000,000, input 900,000, output 131,072 ---------------------------------

LIMIT_2 = {"context": 1000000, "input": 900000, "output": 131072}


class TestExample2:
    def test_defaults(self, one):
        b = one(custom(LIMIT_2))
        assert b.max_tokens_normal.value == 32_000
        assert b.trigger.value == 880_000
        assert b.trigger_rule == "input cap minus reserved"
        assert b.input_cap.value == 900_000 and b.hard_limit.value == 900_000
        assert b.headroom.value == 20_000
        assert b.output_reservation is None
        assert b.max_tokens_at_trigger.value == 32_000  # output cap uses context 1,000,000
        assert b.kept_tail.value == 15_000
        assert b.trigger.formula == "max(0, limit.input 900,000 - reserved 20,000) = 880,000"

    @pytest.mark.parametrize("reserved, trigger", [(0, 900_000), (100000, 800_000)])
    def test_reserved(self, one, reserved, trigger):
        b = one(custom(LIMIT_2, {"reserved": reserved}))
        assert b.trigger.value == trigger
        assert b.trigger.source.path == ("compaction", "reserved")
        assert not effects(b, "CMP004", Severity.WARNING)  # reserved acts below limit.input

    def test_threshold_percent_on_7_7_9(self, one):
        b = one(custom(LIMIT_2, {"threshold_percent": 80}))
        assert b.trigger.value == 800_000 and b.trigger_rule == "threshold_percent"

    def test_threshold_percent_before_pr_13340(self, one):
        b = one(custom(LIMIT_2, {"threshold_percent": 80}), version="7.5.0")
        assert b.trigger.value == 720_000 and b.trigger_rule == "threshold_percent"
        assert "limit.input 900,000 × 80" in b.trigger.formula

    def test_threshold_percent_unknown_before_7_3(self, one):
        b = one(custom(LIMIT_2, {"threshold_percent": 80}), version="7.2.42")
        assert b.trigger.value == 880_000 and b.trigger_rule == "input cap minus reserved"
        assert any("threshold_percent" in n and "ignored" in n for n in b.notes)

    def test_env_output_max(self, one):
        b = one(custom(LIMIT_2), env={"KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX": "131072"})
        assert b.max_tokens_normal.value == 131_072
        assert b.trigger.value == 880_000  # reserved stays min(20,000, 131,072)
        assert b.configured_output.value == 131_072
        assert b.env[0].changed == "max_tokens 32,000 -> 131,072"

    def test_written_output_above_clamp(self, one):
        (effect,) = effects(one(custom(LIMIT_2)), "CMP004")
        assert effect.severity == Severity.INFO and effect.details["sent"] == 32_000


# --- 5.8 example 3: the tests of @1716922b -----------------------------------------------------------


class TestExample3:
    @pytest.mark.parametrize("otm, usable", [("8000", 192_000), ("64000", 136_000)])
    def test_output_100k(self, one, otm, usable):
        b = one(custom({"context": 200000, "output": 100000}), env={"KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX": otm})
        assert b.trigger.value == usable

    @pytest.mark.parametrize("version, trigger", [("7.5.0", 150_000), ("7.7.9", 180_000)])
    def test_threshold_with_input(self, one, version, trigger):
        text = custom({"context": 400000, "input": 200000, "output": 64000}, {"threshold_percent": 75})
        assert one(text, version=version).trigger.value == trigger


# --- 5.8 example 4: the catalog's input is kept -------------------------------------------------------


def test_gpt5_override_keeps_catalog_input(one):
    text = json.dumps({"model": "openai/gpt-5",
                       "provider": {"openai": {"models": {"gpt-5": {"limit": {"context": 128000, "output": 8000}}}}}})
    b = one(text)
    assert b.window.value == 128_000 and b.window.source.kind == SETTING
    assert b.input_cap.value == 272_000 and b.input_cap.source.kind == DEFAULT  # Kilo's bundled catalog
    assert b.trigger.value == 264_000  # above the stated context (CMP008)
    assert b.trigger_rule == "input cap minus reserved"
    assert any("kept from the catalog entry" in n for n in b.notes)


# --- catalog models, missing and degenerate limits -----------------------------------------------------


def test_catalog_model_uses_what_kilo_believes(one):
    """Kilo's bundled catalog gives claude-sonnet-4-5 a 1,000,000 window (errata 3.6): the
    trigger follows it, while the registry keeps what Anthropic accepts (REG003's side)."""
    b = one('{"model": "anthropic/claude-sonnet-4-5"}')
    assert b.trigger.value == 968_000 and b.max_tokens_normal.value == 32_000
    assert b.window.source.kind == DEFAULT and b.window.value == 1_000_000
    assert "bundled models.dev catalog" in b.window.source.label
    assert b.max_tokens_normal.source.kind == DEFAULT
    # the registry's 200,000 is an older snapshot of the same entry: not compared (no REG003)
    assert b.model_context is None and b.model_output.value == 64_000
    assert any("snapshots disagree" in n for n in b.notes)
    assert b.registry_match.kind == "exact" and b.declared_limits
    assert b.configured_output is None and not effects(b, "CMP004")
    assert any("refreshes that catalog" in n for n in b.notes)


def test_provider_openai_sends_no_max_tokens(one):
    """Errata 5.3: the built-in Codex plugin unsets max_tokens for provider `openai`, so no
    clamp (CMP004) and no output-cap headroom (CMP001) applies; KILO_DISABLE_DEFAULT_PLUGINS
    brings the 32,000 back."""
    text = json.dumps({"model": "openai/gpt-5", "provider": {"openai": {"models": {
        "gpt-5": {"limit": {"context": 400000, "input": 272000, "output": 128000}}}}}})
    b = one(text)
    assert b.trigger.value == 252_000  # 272,000 - min(20,000, 32,000): the arithmetic keeps OTM
    assert b.max_tokens_at_trigger is None and b.configured_output is None
    # one reply may be as long as OpenAI allows: CMP001's cap, no request above the limit (CMP005)
    assert b.max_tokens_normal.value == b.model_output.value == 128_000
    assert b.max_tokens_normal.source.kind == REGISTRY and "no max_tokens sent" in b.max_tokens_normal.formula
    assert not effects(b, "CMP004") and any("Codex plugin" in n for n in b.notes)
    b = one(text, env={"KILO_DISABLE_DEFAULT_PLUGINS": "1"})
    assert b.headroom.value == 20_000 and b.max_tokens_normal.value == 32_000  # CMP001 by design
    assert effects(b, "CMP004")


def test_other_plugin_hooks_send_no_max_tokens(one):
    copilot = json.dumps({"model": "github-copilot/gpt-4.1"})
    assert any("Copilot plugin" in n for n in one(copilot).notes)
    cerebras = custom({"context": 131000, "output": 40000}, npm="@ai-sdk/cerebras")
    assert one(cerebras).max_tokens_normal.value == 32_000
    data = json.loads(cerebras)
    data["provider"]["acme"]["models"]["m1"]["options"] = {"max_completion_tokens": 8000}
    assert one(json.dumps(data)).max_tokens_normal is None  # a custom endpoint: no known default


def test_custom_model_without_limit(one):
    b = one(custom())
    assert b.trigger.value is None and b.trigger_rule == "never"
    assert not b.deliberate_off and not b.proactive and not b.declared_limits
    assert b.window is None and b.hard_limit is None and b.headroom is None
    assert b.trigger.source.path == ("provider", "acme", "models", "m1")
    (effect,) = effects(b, "CMP002")
    assert effect.severity == Severity.WARNING
    assert b.max_tokens_normal.value == 32_000  # 5.6: OTM
    assert b.kept_tail.value == 2_000           # usable 0 -> 2,000


def test_small_context_without_output_compacts_every_step(one):
    b = one(custom({"context": 32000, "output": 0}))
    assert b.every_step and b.trigger.value == 0
    assert b.max_tokens_normal.value == 32_000


def test_input_at_or_below_reserved_compacts_every_step(one):
    b = one(custom({"context": 100000, "input": 15000, "output": 8000}, {"reserved": 20000}))
    assert b.every_step and b.trigger.value == 0


def test_custom_provider_gets_no_catalog_limits(one):
    text = json.dumps({"model": "zhipu/glm-5.2", "provider": {"zhipu": {
        "npm": "@ai-sdk/openai-compatible", "options": {"baseURL": "https://open.bigmodel.cn/api/paas/v4"},
        "models": {"glm-5.2": {}}}}})
    b = one(text)
    assert b.trigger.value is None and not b.deliberate_off and b.window is None
    assert effects(b, "CMP002")[0].severity == Severity.WARNING
    assert b.registry_match.kind == "base-url" and b.registry_match.entry == "zhipuai/glm-5.2"
    assert b.model_output.value == 131_072 and b.model_context.value == 1_000_000
    assert "{context: 1000000, output: 131072}" in b.fixes.cmp002


# --- switch-offs and the environment --------------------------------------------------------------------


def test_auto_false_is_deliberate(one):
    b = one(custom(LIMIT_1, {"auto": False}))
    assert b.trigger.value is None and b.deliberate_off and not b.proactive
    assert b.trigger.source.path == ("compaction", "auto")
    assert effects(b, "CMP002")[0].severity == Severity.INFO


@pytest.mark.parametrize("value", ["1", "true", "TRUE"])
def test_env_disables_autocompact(one, value):
    b = one(custom(LIMIT_1), env={"KILO_DISABLE_AUTOCOMPACT": value})
    assert b.trigger.value is None and b.deliberate_off
    assert b.trigger.source.kind == ENV and b.trigger.source.label == "KILO_DISABLE_AUTOCOMPACT"
    assert b.env[0].changed and b.env[0].problem is None


def test_env_boolean_misread(one):
    b = one(custom(LIMIT_1), env={"KILO_DISABLE_AUTOCOMPACT": "yes"})
    assert b.trigger.value == 168_000 and not b.deliberate_off
    assert b.env[0].problem and b.env[0].severity == Severity.ERROR


@pytest.mark.parametrize("value", ["64k", "0", "-1", "64000.5", "1e400", "0x", ""])
def test_invalid_output_max_is_ignored(one, value):
    """`Number(value)` must be a positive integer (flag.ts); `064000` and ` 64000` are (64000),
    which the fact sheet's "positive integers only" reading got wrong."""
    b = one(custom(LIMIT_1), env={"KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX": value})
    assert b.max_tokens_normal.value == 32_000 and b.trigger.value == 168_000
    (use,) = b.env
    assert use.severity == Severity.ERROR and use.problem and use.parsed is None


# --- output -----------------------------------------------------------------------------------------


def test_written_output_reaches_request(one):
    b = one(custom({"context": 200000, "output": 8000}))
    assert b.configured_output.value == 8_000 and b.configured_output.source.kind == SETTING
    assert b.max_tokens_normal.source.path[-2:] == ("limit", "output")
    assert b.trigger.value == 192_000


def test_openai_compatible_gpt5_sends_no_max_tokens(one):
    b = one(custom({"context": 400000, "output": 128000}, npm="@ai-sdk/openai-compatible", model_id="gpt-5"))
    assert b.max_tokens_normal is None and b.max_tokens_at_trigger is None and b.configured_output is None
    assert b.trigger.value == 368_000  # the overflow arithmetic still uses max output 32,000
    assert any("no max_tokens" in n for n in b.notes)


# --- compaction path --------------------------------------------------------------------------------


def test_compaction_model(resolve):
    text = json.dumps({"model": "acme/m1", "agent": {"compaction": {"model": "acme/small"}},
                       "provider": {"acme": {"options": {"baseURL": LOCAL}, "models": {
                           "m1": {"limit": LIMIT_1},
                           "small": {"limit": {"context": 64000, "output": 4096}}}}}})
    session, small = resolve("kilo", text)
    assert [session.model, small.model] == ["acme/m1", "acme/small"]
    assert session.summary_model == "acme/small"
    assert session.summary_context.value == 64_000
    # chunks are sized from the compaction model itself: usable 64,000 - min(4,096, 2,048)
    assert session.summary_needed.value == 39_219  # floor(61,952 × 0.6) + 2,048
    assert session.summary_needed.value < session.summary_context.value  # no CMP006
    # its request is checked against its own output limit, in its own record (CMP005)
    assert session.max_tokens_compaction is None and small.max_tokens_compaction.value == 4_096
    assert "assum" in session.compaction_note and "2,048" in session.compaction_note
    # the tail budget is the compaction model's: usable 64,000 - 4,096 = 59,904 -> 14,976
    assert session.kept_tail.value == 14_976


def test_preserve_recent_and_tail_turns(one):
    assert one(custom(LIMIT_1, {"preserve_recent_tokens": 3000})).kept_tail.value == 3_000
    b = one(custom(LIMIT_1, {"preserve_recent_tokens": 3000, "tail_turns": 0}))
    assert b.kept_tail.value == 0 and b.post_compaction_floor.value == 0


def test_small_compaction_window_tail(one):
    b = one(custom({"context": 30000, "output": 4000}))
    assert b.kept_tail.value == 6_500  # floor((30,000 - 4,000) × 0.25)


# --- models, order, registry status, layers ---------------------------------------------------------------


def test_model_order_and_restriction(resolve):
    text = json.dumps({
        "model": "anthropic/claude-sonnet-4-5", "small_model": "openai/gpt-5",
        "subagent_model": "anthropic/claude-sonnet-4-5", "agent": {"plan": {"model": "deepseek/deepseek-chat"},
                                                                  "build": {"model": "not-a-ref"}},
        "provider": {"acme": {"options": {"baseURL": LOCAL}, "models": {"m1": {}, "m2": {}}},
                     "openai": {"models": {"gpt-5": {}}}}})
    assert [b.model for b in resolve("kilo", text)] == [
        "anthropic/claude-sonnet-4-5", "openai/gpt-5", "deepseek/deepseek-chat", "acme/m1", "acme/m2"]
    (only,) = resolve("kilo", text, model="deepseek/deepseek-chat")
    assert only.model_source.path == ("agent", "plan", "model")
    assert resolve("kilo", text, model="nope/nothing") == []


def test_deprecated_is_what_kilos_catalog_says(one):
    (effect,) = effects(one('{"model": "openai/gpt-4-turbo"}'), "REG005")  # deprecated in Kilo's catalog
    assert effect.severity == Severity.ERROR and "bundled models.dev catalog" in effect.message
    # active in Kilo 7.7.9's catalog, whatever cfglint's registry says: Kilo keeps it
    assert not effects(one('{"model": "anthropic/claude-3-7-sonnet-20250219"}'), "REG005")
    # a model Kilo's catalog does not have, defined in the config, has no status to drop it for
    defined = json.dumps({"model": "google/gemini-3-pro-preview", "provider": {"google": {"models": {
        "gemini-3-pro-preview": {"limit": {"context": 1048576, "output": 65535}}}}}})
    assert not effects(one(defined), "REG005")


def test_alpha_model_dropped_unless_experimental(one):
    text = custom(LIMIT_1).replace('"limit"', '"status": "alpha", "limit"')
    (effect,) = effects(one(text), "REG005")
    assert effect.severity == Severity.ERROR and effect.details["status"] == "alpha"
    assert not effects(one(text, env={"KILO_ENABLE_EXPERIMENTAL_MODELS": "1"}), "REG005")


def test_layers_and_provenance_positions(one):
    b = one(custom(LIMIT_1, {"threshold_percent": 75}), path="/work/repo/kilo.jsonc")
    assert b.layers == ["work/repo/kilo.jsonc"]
    assert b.trigger.source.doc.display_path == "work/repo/kilo.jsonc"


def test_openrouter_free_variant_gets_no_paid_limits(one):
    """extra kilo/172: `deepseek/deepseek-r1:free` has its own limits; the paid entry's
    (openrouter 64,000 / 16,000) say nothing about it, so no REG002/REG003/CMP005 basis."""
    text = json.dumps({"model": "openrouter/deepseek/deepseek-r1:free", "provider": {"openrouter": {"models": {
        "deepseek/deepseek-r1:free": {"limit": {"context": 131072, "output": 16384}}}}}})
    b = one(text)
    assert not b.registry_match.found and b.model_context is None and b.model_output is None
    assert b.declared_limits  # no REG001 either: the config states the limits
    paid = one(text.replace(":free", ""))
    assert paid.registry_match.found and paid.model_output.value == 16_000


def test_model_of_a_provider_kilo_cannot_load_gets_no_budget(resolve):
    """extra kilo/213, 270: `github/...` (no such provider; SCH004 says so) never runs, so no
    CMP002/REG001 about its compaction or limits."""
    text = json.dumps({"model": "github/gpt-5", "small_model": "anthropic/claude-haiku-4-5"})
    assert [b.model for b in resolve("kilo", text)] == ["anthropic/claude-haiku-4-5"]


def test_summary_room_of_a_model_with_catalog_input_is_its_input(one):
    """extra kilo/172: gpt-5.4 overridden to context 128,000 keeps Kilo's catalog input 922,000;
    chunks are sized below that input, so the summary request fits (CMP008 reports the mix-up)."""
    text = json.dumps({"model": "openai/gpt-5.4", "provider": {"openai": {"models": {
        "gpt-5.4": {"limit": {"context": 128000, "output": 16384}}}}}})
    b = one(text)
    assert b.summary_context.value == 922_000 and b.summary_needed.value < b.summary_context.value


def test_written_window_is_still_compared_with_the_registry(one):
    text = json.dumps({"model": "anthropic/claude-sonnet-4-5", "provider": {"anthropic": {"models": {
        "claude-sonnet-4-5": {"limit": {"context": 1000000, "output": 64000}}}}}})
    assert one(text).model_context.value == 200_000  # the user's own number: REG003 may fire


def test_catalog_output_newer_than_the_registry_is_not_compared(one):
    """extra kilo/149: Kilo's bundled catalog gives openrouter deepseek-chat-v3-0324 output
    147,456 (so Kilo sends 32,000), the older registry 16,384: no CMP005 on that disagreement."""
    b = one('{"model": "openrouter/deepseek/deepseek-chat-v3-0324"}')
    assert b.max_tokens_normal.value == 32_000 and b.model_output is None
    assert any("snapshots disagree" in n for n in b.notes)


# --- classes closed by the differential run against Kilo 7.7.9's own code (tools/fidelity/kilo.py) ---
# Every expected number below is what Kilo 7.7.9's shipped functions compute for the config
# (`tools/fidelity/kilo_oracle.mjs` on npm @kilocode/cli-linux-x64@7.7.9).

OTM = "KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX"


class TestMeasured779:
    @pytest.mark.parametrize("raw, otm", [("6.4e4", 64_000), ("+48000", 48_000), ("048000", 48_000),
                                          ("64000.0", 64_000), (" 48000", None), ("0x9c40", None),
                                          ("48000.5", None), ("64000.", None), ("Infinity", None)])
    def test_output_cap_is_effect_config_number(self, one, raw, otm):
        """RuntimeFlags.outputTokenMax: `Config.number(name).pipe(map((A) => Number.isInteger(A) && A > 0
        ? A : void 0))`; Config.number wants Effect's finite-number pattern, no spaces or hex."""
        b = one(custom(LIMIT_1), env={OTM: raw})
        (use,) = b.env
        assert use.parsed == otm
        assert b.max_tokens_normal.value == (otm or 32_000)
        assert b.trigger.value == 200_000 - (otm or 32_000)
        assert (use.problem is None) == (otm is not None)

    def test_output_cap_before_7_7_9_is_number(self, one):
        # flag.ts before RuntimeFlags: `Number(A)`, which reads hex
        b = one(custom(LIMIT_1), env={OTM: "0x9c40"}, version="7.7.8")
        assert b.max_tokens_normal.value == 40_000

    @pytest.mark.parametrize("raw, sent", [("yes", 32_000), ("on", 32_000), ("1", 32_000), ("TRUE", None),
                                           ("no", None)])
    def test_disable_default_plugins_is_effect_config_boolean(self, one, raw, sent):
        """`disableDefaultPlugins: Config.boolean("KILO_DISABLE_DEFAULT_PLUGINS")`: true for the
        literals true/yes/on/1/y; then the Codex plugin that unsets max_tokens for `openai` is not loaded."""
        text = json.dumps({"model": "openai/m1", "provider": {"openai": {"models": {"m1": {"limit": LIMIT_1}}}}})
        b = one(text, env={"KILO_DISABLE_DEFAULT_PLUGINS": raw})
        assert (b.max_tokens_at_trigger.value if b.max_tokens_at_trigger else None) == (sent and 29_952)
        # not sent: no cap (the registry knows no output limit of openai/m1 to show as the default)
        assert (b.max_tokens_normal.value if b.max_tokens_normal else None) == sent

    def test_cerebras_max_completion_tokens_without_plugins(self, one):
        """ProviderTransform.maxOutputTokensForRequest: `if (model.api.npm === "@ai-sdk/cerebras" &&
        options.max_completion_tokens !== void 0) return;`, whatever the plugins."""
        text = json.dumps({"model": "acme/m1", "provider": {"acme": {"npm": "@ai-sdk/cerebras", "models": {
            "m1": {"limit": LIMIT_1, "options": {"max_completion_tokens": 8192}}}}}})
        b = one(text, env={"KILO_DISABLE_DEFAULT_PLUGINS": "1"})
        assert b.max_tokens_at_trigger is None
        assert any("max_completion_tokens" in note for note in b.notes)

    def test_threshold_percent_multiplies_by_the_fraction(self, one):
        """KiloSessionOverflow.limit: `Math.floor(_ * (B / 100))`: 200,000 at 29% is 57,999."""
        b = one(custom({"context": 200000, "output": 8000}, {"threshold_percent": 29}))
        assert b.trigger.value == 57_999

    def test_fractional_limit_compacts_at_the_ceiling(self, one):
        """isOverflow: `count >= usable`: usable 204,713.7 - 2,048 = 202,665.7 compacts at 202,666."""
        b = one(custom({"context": 204713.7, "output": 2048}, {"reserved": 20000}))
        assert b.trigger.value == 202_666
        assert b.max_tokens_at_trigger.value == 2_048

    def test_negative_limit_compacts_at_zero(self, one):
        """floor(-11,139 × 0.93) = -10,360 is below every count: the first count that compacts is 0."""
        b = one(custom({"context": -11139, "output": 44557}, {"threshold_percent": 93}), env={OTM: "16384"})
        assert b.trigger.value == 0 and b.every_step

    def test_no_max_tokens_at_the_trigger_for_a_cap_below_one(self, one):
        """KiloLLM.capOutputTokens: `if (D.configured <= 0) return;`: nothing is sent."""
        b = one(custom({"context": 4096, "output": -4901}, {"threshold_percent": 60}))
        assert b.trigger.value == 2_457 and b.max_tokens_normal.value == -4_901
        assert b.max_tokens_at_trigger is None

    def test_kept_tail_bound_before_7_7_9(self, one):
        assert one(custom(LIMIT_1), version="7.7.8").kept_tail.value == 8_000

    def test_morph_models_are_catalog_models(self, resolve):
        """Kilo 7.7.9's bundled catalog has provider `morph` (morph-v3-fast: context 16,000, output
        16,000); only `morph/auto` is a pseudo-router without limits."""
        (b,) = resolve("kilo", json.dumps({"model": "morph/morph-v3-fast"}))
        assert b.window.value == 16_000 and b.trigger.value == 0 and b.max_tokens_normal.value == 16_000
        assert resolve("kilo", json.dumps({"model": "morph/auto"})) == []
