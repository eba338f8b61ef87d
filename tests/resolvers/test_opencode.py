"""opencode resolver: harness-opencode.md 3.5 and 5, every case of 5.6 and worked example of 5.7,
exact to the token."""

from __future__ import annotations

import json

import pytest

from cfglint.core.document import Document
from cfglint.core.finding import Severity
from cfglint.core.text import SourceText
from cfglint.harnesses.budget import DEFAULT, ENV, SETTING, Environment, ResolveInput
from cfglint.harnesses.opencode import OPENCODE

LOCAL = "http://localhost:8000/v1"  # a private host: the registry identifies no provider by it


def custom(limit: dict | None = None, compaction: dict | None = None, **top) -> str:
    """A config whose session model is `acme/m1` on a custom provider (no catalog entry)."""
    model = {"limit": limit} if limit is not None else {}
    data: dict = {"model": "acme/m1", "provider": {"acme": {"options": {"baseURL": LOCAL}, "models": {"m1": model}}},
                  **top}
    if compaction is not None:
        data["compaction"] = compaction
    return json.dumps(data)


@pytest.fixture
def resolve_all():
    from tests.resolvers.conftest import _registry

    def run(texts: list[tuple[str, str]], *, env: dict | None = None, version: str | None = None):
        docs = []
        for path, text in texts:
            source = SourceText(text)
            parse = OPENCODE.parse(source, env or {})
            assert parse.ok, parse.diagnostics
            docs.append(Document(path, path.lstrip("/"), source, parse, "opencode"))
        docs.sort(key=OPENCODE.layer_rank)
        inp = ResolveInput(OPENCODE.merge(docs), version or OPENCODE.default_version,
                           Environment.external(env or {}), _registry())
        return OPENCODE.resolve(inp)

    return run


@pytest.fixture
def one(resolve_all):
    def run(text: str, **kwargs):
        budgets = resolve_all([("/project/opencode.json", text)], **kwargs)
        assert len(budgets) == 1, [b.model for b in budgets]
        return budgets[0]

    return run


def effects(budget, code: str, severity: Severity | None = None):
    return [e for e in budget.effects if e.code == code and severity in (None, e.severity)]


# --- 5.7 worked examples (1.18.33 defaults, OTM 32000) ---------------------------------------------


class TestWorkedExamples:
    def test_1_context_200k_output_64k(self, one):
        b = one(custom({"context": 200000, "output": 64000}))
        assert b.max_tokens_normal.value == 32000 and b.max_tokens_at_trigger.value == 32000
        assert b.trigger.value == 168000 and b.trigger_rule == "usable window"
        assert b.kept_tail.value == 15000  # min(15,000, max(2,000, 42,000)); Kilo: 8,000
        assert b.max_tokens_compaction.value == 32000

    def test_1_reserved_without_input_has_no_effect(self, one):
        b = one(custom({"context": 200000, "output": 64000}, {"reserved": 50000}))
        assert b.trigger.value == 168000
        assert ["compaction.reserved" in e.message for e in effects(b, "CMP004", Severity.WARNING)] == [True]

    def test_1_output_token_max_env_moves_the_trigger(self, one):
        b = one(custom({"context": 200000, "output": 64000}), env={"OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX": "64000"})
        assert (b.max_tokens_normal.value, b.trigger.value) == (64000, 136000)
        assert b.trigger.source.kind == SETTING  # limit.output 64,000 decides once the env allows it
        assert b.kept_tail.value == 15000  # the tail's usable is at OTM 32,000 (168,000), not the env's
        assert b.env[0].changed == "max_tokens 32,000 -> 64,000; trigger 168,000 -> 136,000"

    def test_2_input_limit_and_reserved(self, one):
        limit = {"context": 1000000, "input": 900000, "output": 131072}
        b = one(custom(limit))
        assert (b.trigger.value, b.trigger_rule) == (880000, "input cap minus reserved")
        assert one(custom(limit, {"reserved": 0})).trigger.value == 900000

    def test_2_threshold_percent_has_no_effect(self, one):
        b = one(custom({"context": 1000000, "input": 900000, "output": 131072}, {"threshold_percent": 80}))
        assert b.trigger.value == 880000  # Kilo 7.7.9 would trigger at 800,000
        assert ["threshold_percent" in e.message for e in effects(b, "CMP004", Severity.WARNING)] == [True]

    def test_3_zero_output_compacts_every_step(self, one):
        b = one(custom({"context": 16384, "output": 0}))
        assert b.max_tokens_normal.value == 32000 and b.trigger.value == 0 and b.every_step

    def test_4_custom_model_without_limit_is_never_proactive(self, one):
        b = one(custom())
        assert b.trigger.value is None and b.trigger_rule == "never" and not b.proactive
        assert b.max_tokens_normal.value == 32000
        assert [e.severity for e in effects(b, "CMP002")] == [Severity.WARNING]

    def test_5_catalog_input_kept_above_an_overridden_context(self, one):
        b = one('{"model": "openai/gpt-5", "provider": {"openai": {"models": {"gpt-5": '
                '{"limit": {"context": 128000, "output": 8000}}}}}}')
        assert (b.window.value, b.input_cap.value, b.trigger.value) == (128000, 272000, 264000)
        assert b.input_cap.source.kind == DEFAULT and b.window.source.kind == SETTING
        assert b.configured_output is None  # provider `openai`: no max_tokens is sent
        assert any("sends no max_tokens" in note for note in b.notes)

    def test_6_reserved_ignored_without_input(self, one):
        b = one(custom({"context": 1000000, "output": 131072}, {"reserved": 648928}))
        assert b.trigger.value == 968000 and effects(b, "CMP004", Severity.WARNING)


# --- 5.6 zero or missing limits ---------------------------------------------------------------------


class TestZeroLimits:
    def test_no_limit_context_zero_never_proactive(self, one):
        b = one(custom())
        assert b.window is None and b.trigger.value is None and b.max_tokens_normal.value == 32000

    def test_context_at_most_otm_with_output_zero(self, one):
        b = one(custom({"context": 32000, "output": 0}))
        assert b.trigger.value == 0 and b.every_step

    def test_input_at_most_reserved(self, one):
        b = one(custom({"context": 200000, "input": 20000, "output": 64000}))
        assert b.trigger.value == 0 and b.every_step  # 20,000 - min(20,000, 32,000)

    def test_1_3_has_no_floor_at_zero(self, one):
        b = one(custom({"context": 16384, "output": 20000}), version="1.3.2")
        assert b.trigger.value == 0 and b.every_step and "-3,616" in b.trigger.formula
        assert b.kept_tail.value == 0  # 1.3.x keeps no verbatim tail


# --- versions, env and request paths ------------------------------------------------------------------


def test_tail_bound_is_8000_before_1_18_17(one):
    text = custom({"context": 200000, "output": 64000})
    assert one(text, version="1.18.16").kept_tail.value == 8000
    assert one(text, version="1.18.17").kept_tail.value == 15000


def test_preserve_recent_tokens_and_tail_turns(one):
    assert one(custom({"context": 200000, "output": 8000}, {"preserve_recent_tokens": 4000})).kept_tail.value == 4000
    assert one(custom({"context": 200000, "output": 8000}, {"tail_turns": 0})).kept_tail.value == 0


def test_disable_autocompact_is_a_deliberate_switch_off(one):
    b = one(custom({"context": 200000, "output": 8000}), env={"OPENCODE_DISABLE_AUTOCOMPACT": "1"})
    assert b.trigger.value is None and b.deliberate_off
    assert [e.severity for e in effects(b, "CMP002")] == [Severity.INFO]


@pytest.mark.parametrize("value", ["64k", "0", "-1", " 48000"])
def test_output_token_max_not_a_positive_integer_is_ignored(one, value):
    b = one(custom({"context": 200000, "output": 64000}), env={"OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX": value})
    assert b.max_tokens_normal.value == 32000 and b.env[0].problem and b.env[0].severity == Severity.ERROR


def test_kilo_variables_have_no_effect(one):
    b = one(custom({"context": 200000, "output": 64000}), env={"KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX": "64000"})
    assert b.max_tokens_normal.value == 32000
    kilo = [e for e in effects(b, "CMP004") if e.details.get("variable")]
    assert [(e.severity, e.source.kind, e.fix) for e in kilo] == [
        (Severity.WARNING, ENV, "use OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX for opencode")]


def test_output_above_32000_is_clamped_info_once(one):
    b = one(custom({"context": 400000, "output": 128000}))
    assert [e.severity for e in effects(b, "CMP004")] == [Severity.INFO]


@pytest.mark.parametrize(("provider", "model", "options", "sent"), [
    ("github-copilot", "gpt-5.4", {}, False),
    ("github-copilot", "claude-sonnet-4.5", {}, True),
    ("acme", "gpt-5", {}, True),  # no Kilo-style openai-compatible gpt-5 exception upstream
])
def test_requests_without_max_tokens(one, provider, model, options, sent):
    text = json.dumps({"model": f"{provider}/{model}", "provider": {provider: {
        "options": {"baseURL": LOCAL}, "models": {model: {"limit": {"context": 200000, "output": 16000}, **options}}}}})
    b = one(text)
    assert (not any("sends no max_tokens" in note for note in b.notes)) is sent


def test_compaction_model_sizes_the_summary_request(resolve_all):
    text = json.dumps({"model": "acme/big", "agent": {"compaction": {"model": "acme/small"}},
                       "provider": {"acme": {"options": {"baseURL": LOCAL}, "models": {
                           "big": {"limit": {"context": 400000, "output": 32000}},
                           "small": {"limit": {"context": 40000, "output": 32000}}}}}})
    big = resolve_all([("/project/opencode.json", text)])[0]
    assert big.summary_model == "acme/small"
    assert (big.summary_context.value, big.summary_needed.value) == (40000, 32000 + 2000)
    # the tail is the compaction model's: floor(max(0, 40,000 - 32,000) * 0.25) = 2,000 -> 2,000
    assert big.kept_tail.value == 2000


def test_layers_merge_in_opencode_order(resolve_all):
    """2.2: global, project files outer first (`.json` before `.jsonc`), `.opencode` dirs walking up."""
    budgets = resolve_all([
        ("/home/u/.config/opencode/opencode.json", custom({"context": 100000, "output": 1000})),
        ("/repo/opencode.jsonc", custom({"context": 300000, "output": 3000})),
        ("/repo/opencode.json", custom({"context": 200000, "output": 2000})),
        ("/repo/.opencode/opencode.json", custom({"context": 400000, "output": 4000})),
    ])
    assert budgets[0].window.value == 400000 and budgets[0].window.source.doc.path == "/repo/.opencode/opencode.json"


def test_null_is_no_delete_sentinel(resolve_all):
    """Kilo deletes a model written as null; opencode refuses the file (SCH001): no budget pretends it is gone."""
    budgets = resolve_all([("/repo/opencode.json", custom({"context": 100000, "output": 1000})),
                           ("/repo/.opencode/opencode.json", '{"provider": {"acme": {"models": {"m1": null}}}}')])
    assert [b.model for b in budgets] == ["acme/m1"]


def test_experimental_models_switch_is_an_effect_config_boolean(one):
    """1.18.33 RuntimeFlags: `enableExperimentalModels:k(...)`, `k = Config.boolean`: `yes` is true."""
    text = custom({"context": 200000, "output": 8000})
    alpha = text.replace('"limit"', '"status": "alpha", "limit"')
    assert not effects(one(alpha, env={"OPENCODE_ENABLE_EXPERIMENTAL_MODELS": "yes"}), "REG005")
    assert effects(one(alpha, env={"OPENCODE_ENABLE_EXPERIMENTAL_MODELS": "yes"}, version="1.14.41"), "REG005")
    assert one(alpha, env={"OPENCODE_ENABLE_EXPERIMENTAL_MODELS": "TRUE"}).env[0].problem


def test_1_18_34_behaves_as_1_18_33_and_unknown_versions_take_the_row_below(one):
    """harness-opencode.md 1, 6: opencode-linux-x64@1.18.34 has 1.18.33's code; 1.18.20 is the 1.18.17 row."""
    text = custom({"context": 200000, "output": 64000})
    latest = one(text)
    assert (one(text, version="1.18.34").trigger.value, one(text, version="1.18.34").kept_tail.value) == \
        (latest.trigger.value, latest.kept_tail.value)
    assert one(text, version="1.18.20").kept_tail.value == 15000 and one(text, version="1.18.16").kept_tail.value == 8000


# --- fidelity classes (notes/opencode_fidelity.md) ------------------------------------------------------

OTM = "OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX"


@pytest.mark.parametrize(("limit", "compaction"), [({"context": 16384, "output": 20000}, {"auto": False}),
                                                   (None, None)])
def test_no_request_at_a_trigger_that_never_comes(one, limit, compaction):
    """O1: auto off or context 0: max_tokens_at_trigger is None (as Kilo), the normal cap stays."""
    b = one(custom(limit, compaction))
    assert b.trigger.value is None and b.max_tokens_at_trigger is None
    assert b.max_tokens_normal.value == (20000 if limit else 32000)


def test_env_output_cap_below_32000_the_post_step_check_fires_first(one):
    """O2: after each step opencode checks at OTM 32,000, at the loop top at the env's: the trigger is
    the smaller usable. 1,026,784 - 32,000 = 994,784 (the env alone: 1,026,784 - 4,096 = 1,022,688)."""
    b = one(custom({"context": 1026784, "output": 262144}, {"reserved": 1000}), env={OTM: "4096"})
    assert (b.trigger.value, b.max_tokens_normal.value, b.max_tokens_at_trigger.value) == (994784, 4096, 4096)
    assert "min(after a step, at OTM 32,000" in b.trigger.formula
    assert b.output_reservation.value == 32000  # what the trigger leaves below the context (CMP007)
    # with limit.input: post-step reserved min(20,000, 32,000) -> 150,000 - 20,000 = 130,000;
    # loop top min(20,000, 4,096) -> 145,904
    assert one(custom({"context": 200000, "input": 150000, "output": 64000}), env={OTM: "4096"}).trigger.value == 130000
    # an env cap above 32,000 lowers the loop-top usable: that one fires first (worked example 1)
    assert one(custom({"context": 200000, "output": 64000}), env={OTM: "64000"}).trigger.value == 136000


def test_1_14_reads_the_env_output_cap_once_for_every_check_and_the_tail(one):
    """O2/O6 on 1.14.41: `TS = Flag.OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX || 32000` is a module constant."""
    b = one(custom({"context": 1026784, "output": 262144}, {"reserved": 1000}), env={OTM: "4096"}, version="1.14.41")
    assert b.trigger.value == 1022688
    # usable max(0, 100,000 - 128,000) = 0 -> tail max(2,000, 0) = 2,000
    tail = one(custom({"context": 100000, "output": 175657}, {"reserved": 16000}), env={OTM: "128000"},
               version="1.14.41").kept_tail
    assert tail.value == 2000
    assert one(custom({"context": 100000, "output": 175657}, {"reserved": 16000}), env={OTM: "128000"}).kept_tail.value \
        == 15000  # 1.18.33: floor((100,000 - 32,000) x 0.25) = 17,000 -> 15,000


@pytest.mark.parametrize(("value", "ok"), [("1e5", 100000), ("+48000", 48000), ("6.4e4", 64000), (" 48000", None),
                                           ("0x9c40", None), ("48000.5", None)])
def test_env_output_cap_read_by_effect_config_number(one, value, ok):
    b = one(custom({"context": 400000, "output": 128000}), env={OTM: value})
    assert b.max_tokens_normal.value == (ok or 32000) and bool(b.env[0].problem) is (ok is None)


@pytest.mark.parametrize(("value", "sent"), [(" 48000", 48000), ("0x9c40", 40000), ("1e5", 100000)])
def test_1_14_reads_the_env_output_cap_with_number(one, value, sent):
    b = one(custom({"context": 400000, "output": 128000}), env={OTM: value}, version="1.14.41")
    assert b.max_tokens_normal.value == sent and not b.env[0].problem


def test_disable_default_plugins_sends_max_tokens_on_hook_paths(one):
    """O3: 1.18.33 loads no internal plugin with the flag on, so the hooks that unset max_tokens are gone;
    1.14.41 loads them whatever the flag says."""
    text = json.dumps({"model": "openai/coder", "provider": {"openai": {"options": {"baseURL": LOCAL}, "models": {
        "coder": {"limit": {"context": 1000000, "output": 4096, "input": 24240}}}}}})
    on = {"OPENCODE_DISABLE_DEFAULT_PLUGINS": "1"}
    assert one(text, env=on).configured_output.value == 4096
    assert one(text, env=on, version="1.14.41").configured_output is None
    assert one(text).configured_output is None


@pytest.mark.parametrize("value", ["TRUE", "maybe"])
def test_config_boolean_spelling_outside_its_list_stops_opencode(one, value):
    b = one(custom({"context": 200000, "output": 8000}), env={"OPENCODE_DISABLE_DEFAULT_PLUGINS": value})
    assert b.env[0].severity == Severity.ERROR and "stops at start" in b.env[0].problem


def test_max_tokens_hooks_per_release(one):
    """O5: 1.14.41-1.18.16 unset max_tokens for cloudflare-ai-gateway `openai/*` reasoning models and
    have no cerebras hook; 1.18.33 the reverse."""
    cerebras = json.dumps({"model": "ollama/gpt-4o", "provider": {"ollama": {"options": {"baseURL": LOCAL},
        "npm": "@ai-sdk/cerebras", "models": {"gpt-4o": {"limit": {"context": 202752, "output": 64000},
                                                          "options": {"max_completion_tokens": 8192}}}}}})
    assert one(cerebras, version="1.14.41").max_tokens_normal.value == 32000
    latest = one(cerebras)
    assert latest.configured_output is None and any("cerebras" in note for note in latest.notes)
    gateway = json.dumps({"model": "cloudflare-ai-gateway/openai/gpt-x", "provider": {"cloudflare-ai-gateway": {
        "options": {"baseURL": LOCAL}, "models": {"openai/gpt-x": {"reasoning": True,
                                                                    "limit": {"context": 200000, "output": 16000}}}}}})
    assert any("cloudflare" in note for note in one(gateway, version="1.18.16").notes)
    assert one(gateway).configured_output.value == 16000


def test_openrouter_free_variant_is_not_compared_with_its_paid_twin(one):
    """F6 (corpus extra 172): `deepseek/deepseek-r1:free` matched the paid entry by spelling (output 16,000);
    the free endpoint has limits of its own (Kilo's rule, imported)."""
    text = json.dumps({"model": "openrouter/deepseek/deepseek-r1:free", "provider": {"openrouter": {"models": {
        "deepseek/deepseek-r1:free": {"limit": {"context": 163840, "output": 16384}}}}}})
    b = one(text)
    assert b.model_output is None and b.max_tokens_normal.value == 16384


def test_anthropic_thinking_variant_budget_is_an_explain_note(one):
    """5.3 / #34099: `limit.output` 32,768 on @ai-sdk/anthropic: `high` adds min(16,000, 16,383) = 16,000 to
    the 32,000 sent, so a gateway sees 48,000; cfglint notes it (no variant is selected by the config).
    1.18.33 gives kimi/moonshot ids adaptive variants (no budget): no note."""
    def config(provider: str, model: str) -> str:
        return json.dumps({"model": f"{provider}/{model}", "provider": {provider: {
            "npm": "@ai-sdk/anthropic", "options": {"baseURL": LOCAL},
            "models": {model: {"limit": {"context": 262144, "output": 32768}}}}}})

    b = one(config("gw", "claude-house"))
    note = next(note for note in b.notes if "thinking variant" in note)
    assert "= 16,000" in note and "32,768 - 1) = 31,999" in note and "48,000" in note
    assert b.max_tokens_normal.value == 32000
    assert not any("thinking variant" in note for note in one(config("kimi", "k2")).notes)


def test_copilot_limits_the_config_leaves_out_come_from_the_copilot_api(one):
    """O7 (fidelity) and F1 (corpus: 197, 211, 248, 257): opencode's Copilot plugin replaces the catalog's
    github-copilot models with the Copilot API's (`CopilotModels.get`) BEFORE the config's models merge over
    them (`limit:{context:C.limit?.context??_?.limit?.context??0,input:C.limit?.input??_?.limit?.input,...}`):
    the config's numbers win, and a limit it leaves out (here `input`: max_prompt_tokens) comes from the API
    for a model Copilot serves, so the trigger is unknown; with `input` written too, or for an id Copilot does
    not serve (not in opencode's catalog), every number is the config's."""
    def copilot(model_id, limit):
        return one(json.dumps({"model": f"github-copilot/{model_id}", "provider": {"github-copilot": {
            "models": {model_id: {"limit": limit}}}}}))

    b = copilot("claude-sonnet-4.6", {"context": 128000, "output": 16000})
    assert b.trigger is None and b.trigger_rule == "unknown" and b.declared_limits
    assert b.window.value == 128000 and b.window.source.kind == SETTING
    assert not effects(b, "CMP004")
    full = copilot("claude-sonnet-4.6", {"context": 128000, "input": 100000, "output": 16000})
    assert full.trigger.value == 100000 - 16000  # limit.input - reserved (min(20,000, 16,000))
    unserved = copilot("m1", {"context": 128000, "output": 16000})
    assert unserved.trigger.value == 128000 - 16000  # no input anywhere: limit.context - max output
    named = one('{"model": "github-copilot/claude-opus-4.7"}')
    assert named.trigger is None and named.trigger_rule == "unknown" and not effects(named, "CMP004")


# --- opencode's bundled catalog (data/catalog.json, the 1.18.33 snapshot) ---------------------------


class TestBundledCatalog:
    """Catalog models merge from opencode 1.18.33's bundled models.dev snapshot, not cfglint's registry
    (notes/opencode_corpus.md F1-F3); the registry stays what the provider accepts."""

    def test_model_the_catalog_dropped_keeps_only_the_config_limits(self, one):
        """F1: openai/gpt-5.2-codex is gone from the snapshot: no input cap, usable 272,000 - 32,000."""
        b = one('{"provider": {"openai": {"models": {"gpt-5.2-codex": '
                '{"limit": {"context": 272000, "output": 128000}}}}}}')
        assert b.input_cap is None and b.window.value == 272000
        assert (b.trigger.value, b.trigger_rule) == (240000, "usable window")
        assert b.headroom.value == 32000

    def test_model_only_opencode_knows_merges_its_limits(self, one):
        """F2: gpt-5.6-sol {1,050,000, input 922,000, output 128,000}: trigger 922,000 - 20,000, no REG001."""
        b = one('{"provider": {"openai": {"models": {"gpt-5.6-sol": {"name": "GPT-5.6 Sol"}}}}}')
        assert (b.window.value, b.input_cap.value, b.trigger.value) == (1050000, 922000, 902000)
        assert b.declared_limits and b.input_cap.source.label.startswith("opencode 1.18.33's bundled")
        assert not effects(b, "CMP002")
        assert any("opencode 1.18.33's bundled models.dev catalog" in note for note in b.notes)

    def test_experimental_modes_are_models_and_the_id_is_looked_up(self, one):
        """`${id}-${mode}` models, and a config model found by `id ?? key` (openrouter luna-flex)."""
        assert one('{"model": "openai/gpt-5.6-sol-fast"}').trigger.value == 902000
        b = one('{"provider": {"openrouter": {"models": {"openai/gpt-5.6-luna-flex": '
                '{"id": "openai/gpt-5.6-luna"}}}}}')
        assert (b.window.value, b.trigger.value) == (1050000, 902000)

    def test_status_is_the_configs_else_the_snapshots_else_active(self, one):
        """F3: google/gemini-3-pro-preview is absent from the snapshot: active. opencode/deepseek-v4-flash-free
        is deprecated there (REG005 error), unless the config says otherwise."""
        absent = one('{"provider": {"google": {"models": {"gemini-3-pro-preview": '
                     '{"limit": {"context": 1048576, "output": 65536}}}}}}')
        assert not effects(absent, "REG005")
        dropped = one('{"model": "opencode/deepseek-v4-flash-free"}')
        found = [(e.severity, e.details["status"]) for e in effects(dropped, "REG005")]
        assert found == [(Severity.ERROR, "deprecated")]
        kept = one('{"provider": {"opencode": {"models": {"deepseek-v4-flash-free": {"status": "active"}}}}}')
        assert not effects(kept, "REG005")

    def test_untracked_only_without_config_limits_and_catalog_entry(self, one):
        """CMP002 for a defined model that neither the config limits nor the snapshot cover."""
        b = one('{"provider": {"anthropic": {"models": {"claude-opus-4-1": {}}}}}')
        assert b.trigger.value is None and effects(b, "CMP002", Severity.WARNING)

    def test_named_model_models_dev_removed_is_reg005(self, one):
        """Only named, absent from the snapshot, still in the older registry: opencode has no such model."""
        b = one('{"model": "openai/gpt-5.2-codex"}')
        assert [(e.severity, e.details["status"]) for e in effects(b, "REG005")] == [(Severity.ERROR, "removed")]
        assert b.trigger.value is None and not b.headroom_applies and b.window is None  # unusable: REG005 only
        assert not effects(one('{"model": "openai/gpt-5.2-codex"}', version="1.14.41"), "REG005")
        assert not effects(one('{"model": "github-copilot/claude-opus-4.6"}'), "REG005")

    def test_older_targets_use_the_same_snapshot_with_a_note(self, one):
        b = one('{"model": "openai/gpt-5.6-sol"}', version="1.14.41")
        assert b.window.value == 1050000
        assert any("opencode 1.14.41 bundles its own models.dev snapshot" in note for note in b.notes)
