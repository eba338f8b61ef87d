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
    for text in [fix or "" for fix in b.fixes._fields()] + [e.fix or "" for e in b.effects]:
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


@pytest.mark.parametrize(
    ("model", "window", "trigger"),
    [
        ("gpt-5.5-900k", 272_000, 231_200),  # _CODEX_OAUTH_CONTEXT_FALLBACK `gpt-5.5`; raised by prefix
        ("gpt-5.1-codex", 272_000, 204_000),  # `gpt-5`, no autoraise
        ("gpt-5.3-codex-spark", 128_000, 96_000),  # 0.70 raise, then the 0.75 floor
    ],
)
def test_codex_oauth_fallback_table(budget, model, window, trigger):
    b = budget(f"model:\n  default: {model}\n  provider: openai-codex\n")
    assert (b.window.value, b.trigger.value) == (window, trigger)


def test_codex_autoraise_from_0_17(budget):
    text = "model:\n  default: gpt-5.5\n  provider: openai-codex\n"
    assert budget(text, version="0.16.0").trigger.value == 136_000


def test_arcee_trinity_threshold(budget):
    """_compression_threshold_for_model sets 0.75 for trinity-large-thinking on any route, also lowering."""
    b = budget("model:\n  default: arcee-ai/trinity-large-thinking\n  context_length: 1000000\n"
               "compression:\n  threshold: 0.9\n")
    assert b.trigger.value == 750_000


def test_threshold_true_is_one(budget):
    """agent_init: `float(compression.threshold)`: `true` is 1.0 (then the 85% rule)."""
    assert budget(local(1_000_000, "compression:\n  threshold: true\n")).trigger.value == 850_000


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
            "custom_providers:\n  - name: ollama\n    base_url: http://localhost:11434/v1/\n    models:\n"
            "      'qwen3:32b':\n        context_length: 131072\n")
    b = budget(text)
    assert b.window.value == 131_072
    assert b.window.source.path == ("custom_providers", 0, "models", "qwen3:32b", "context_length")
    assert b.declared_limits


def test_custom_provider_window_needs_the_route_base_url(budget):
    """get_custom_provider_context_length matches only an entry whose base_url is the route's."""
    text = ("model:\n  default: my-private-model\n  provider: custom\n  base_url: http://localhost:11434/v1\n"
            "custom_providers:\n  - name: other\n    base_url: https://llm.example.com/v1\n    models:\n"
            "      my-private-model:\n        context_length: 131072\n")
    assert budget(text).window.value == 256_000


@pytest.mark.parametrize(("value", "window"), [("131072.7", 131_072), ('" 200000 "', 200_000)])
def test_context_length_read_with_int(budget, value, window):
    """agent_init: `int(model.context_length)`."""
    assert budget(f"model:\n  default: my-private-model\n  context_length: {value}\n").window.value == window


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


@pytest.mark.parametrize("value", ["0", "-5"])
def test_invalid_config_max_tokens_is_ignored(budget, value):
    b = budget(local(128_000, f"  max_tokens: {value}\n"))
    assert b.configured_output is None and b.output_reservation is None
    assert b.trigger.value == 96_000


def test_config_max_tokens_read_with_int(budget):
    """agent_init: `int(model.max_tokens)` when the CLI passes none: 4096.5 is 4,096 (not only "8192")."""
    b = budget(local(128_000, "  max_tokens: 4096.5\n"))
    assert b.configured_output.value == b.output_reservation.value == b.max_tokens_normal.value == 4_096
    assert b.trigger.value == 92_928  # int((128,000 - 4,096) × 0.75)


@pytest.mark.parametrize(("env", "sent"), [("0", 0), ("-5", -5)])
def test_env_max_tokens_not_positive_is_sent(budget, env, sent):
    """cli.py (0.16+): `int(HERMES_MAX_TOKENS)` of any sign is passed on, `model.max_tokens` is not read,
    and the compressor reserves nothing (`_coerce_max_tokens`)."""
    b = budget(local(128_000, "  max_tokens: 8192\n"), env={"HERMES_MAX_TOKENS": env})
    assert b.max_tokens_normal.value == sent and b.max_tokens_normal.source.kind == ENV
    assert b.configured_output is None and b.output_reservation is None
    assert b.trigger.value == 96_000
    assert b.env[0].severity == Severity.ERROR


def test_config_max_tokens_not_positive_is_sent_from_0_16(budget):
    """cli.py passes an int `model.max_tokens` as it is (0 included); before 0.16.0 agent init refuses it."""
    assert budget(local(128_000, "  max_tokens: 0\n")).max_tokens_normal.value == 0
    assert budget(local(128_000, "  max_tokens: 0\n"), version="0.15.2").max_tokens_normal is None


def test_env_max_tokens_read_from_0_16(budget):
    b = budget(local(128_000), env={"HERMES_MAX_TOKENS": "16384"}, version="0.15.2")
    assert b.max_tokens_normal is None and b.env[0].problem


def test_native_gemini_sends_adapter_default(budget):
    """build_gemini_request: maxOutputTokens 65,535 when max_tokens is unset (from 0.16.0); no wheel up to
    0.19.0 reserves it below the trigger (the compressor reserves agent.max_tokens only)."""
    text = "model:\n  default: gemini-2.5-pro\n  provider: gemini\n"
    b = budget(text)
    assert b.window.value == 1_048_576
    assert b.max_tokens_normal.value == 65_535 and b.output_reservation is None
    assert b.trigger.value == 524_288
    assert budget(text, version="0.15.2").max_tokens_normal is None


def test_gemini_base_url_without_gemini_provider_is_chat_completions(budget):
    """Only provider gemini builds the native client: `auto` with an AI Studio URL is OpenRouter-style chat."""
    b = budget("model:\n  default: gemini-2.5-pro\n  base_url: https://generativelanguage.googleapis.com/v1beta\n")
    assert b.max_tokens_normal is None and b.output_reservation is None


@pytest.mark.parametrize(
    ("spec", "sent"),
    [
        ("  provider: custom\n  base_url: http://localhost:11434/v1\n", 65_536),
        ("  provider: kimi\n", 32_000),
        ("  provider: nvidia\n", 16_384),
        ("  provider: lmstudio\n  base_url: http://127.0.0.1:1234/v1\n", None),
    ],
)
def test_provider_profile_default_max_tokens(budget, spec, sent):
    """build_kwargs: with no max_tokens the provider profile's default_max_tokens is sent."""
    b = budget(f"model:\n  default: my-local-model\n  context_length: 128000\n{spec}")
    assert (b.max_tokens_normal and b.max_tokens_normal.value) == sent


def test_custom_profile_default_from_0_17(budget):
    text = "model:\n  default: my-model\n  provider: custom\n  base_url: http://localhost:8000/v1\n  context_length: 128000\n"
    assert budget(text).max_tokens_normal.value == 65_536
    assert budget(text, version="0.16.0").max_tokens_normal is None


def test_anthropic_table_on_chat_completions(budget):
    """A Claude/MiniMax/Qwen3 id on chat-completions gets `_get_anthropic_max_output`, not clamped to the
    window; before 0.18.0 only on OpenRouter (what `auto` resolves to)."""
    b = budget("model:\n  default: qwen3-max\n  provider: alibaba\n  context_length: 64000\n")
    assert b.max_tokens_normal.value == 65_536
    assert budget("model:\n  default: qwen3-max\n  provider: alibaba\n", version="0.17.0").max_tokens_normal is None
    assert budget("model: claude-sonnet-4-5\n", version="0.17.0").max_tokens_normal.value == 64_000


def test_anthropic_configured_cap_clamped_to_window(budget):
    """build_anthropic_kwargs clamps any max_tokens above the window to context_length - 1."""
    b = budget("model:\n  default: claude-opus-4-6\n  provider: anthropic\n  context_length: 100000\n"
               "  max_tokens: 200000\n")
    assert b.max_tokens_normal.value == 99_999


def test_minimax_speaks_anthropic_messages(budget):
    assert budget("model:\n  default: MiniMax-M2\n  provider: minimax\n").max_tokens_normal.value == 131_072


def test_codex_never_sends_max_tokens(budget):
    b = budget("model:\n  default: gpt-5.5\n  provider: openai-codex\n  max_tokens: 8192\n")
    assert b.max_tokens_normal is None and b.output_reservation.value == 8_192


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


@pytest.mark.parametrize(("provider", "refused"), [("my-gateway", True), ("openai", True), ("claude", False)])
def test_unknown_provider_is_refused(budget, provider, refused):
    """resolve_runtime_provider has no base URL for a provider name it does not know: the CLI stops."""
    b = budget(f"model:\n  default: gpt-4.1\n  provider: {provider}\n  context_length: 128000\n")
    assert any(note.startswith("Hermes refuses to start: provider") for note in b.notes) is refused
    named = budget("model:\n  default: gpt-4.1\n  provider: my-gateway\ncustom_providers:\n  - name: my-gateway\n"
                   "    base_url: https://llm.example.com/v1\n")
    assert not any(note.startswith("Hermes refuses") for note in named.notes)


def test_claude_alias_speaks_anthropic_messages(budget):
    assert budget("model:\n  default: claude-opus-4-1\n  provider: claude\n").max_tokens_normal.value == 32_000


def test_max_tokens_true_reserves_one_token(budget):
    """cli.py passes `model.max_tokens: true` on (True is an int); `_coerce_max_tokens` reserves int(True) = 1."""
    b = budget(local(1_000_000, "  max_tokens: true\n"))
    assert b.output_reservation.value == 1 and b.configured_output is None
    assert b.trigger.value == 499_999  # int((1,000,000 - 1) × 0.5)
    assert budget(local(1_000_000, "  max_tokens: true\n"), version="0.15.2").output_reservation is None


@pytest.mark.parametrize(("version", "window"), [("0.19.0", 1_048_576), ("0.18.2", 262_144)])
def test_family_table_of_the_release(budget, version, window):
    """DEFAULT_CONTEXT_LENGTHS gained `kimi-k3` in 0.19.0; before it `kimi` (262,144) decides."""
    b = budget("model:\n  default: kimi-k3\n  base_url: http://localhost:8000/v1\n", version=version)
    assert b.window.value == window


def test_family_key_dropped_after_0_14(budget):
    text = "model:\n  default: grok-4-1-fast-reasoning\n  base_url: http://localhost:8000/v1\n"
    assert budget(text, version="0.14.0").window.value == 2_000_000
    assert budget(text, version="0.15.0").window.value == 256_000  # `grok-4`


def test_codex_autoraise_before_0_18_1(budget):
    """0.17.0..0.18.0 (`_is_codex_gpt55`) set 0.85 on gpt-5.5 only, whatever the threshold; from 0.18.1
    gpt-5.4/5.6 too, and `_resolve_compression_threshold` only raises."""
    text = "model:\n  default: gpt-5.5\n  provider: openai-codex\ncompression:\n  threshold: 0.95\n"
    assert budget(text, version="0.18.0").trigger.value == 231_200
    assert budget(text, version="0.18.1").trigger.value == 258_400
    mini = "model:\n  default: gpt-5.4-mini\n  provider: openai-codex\n"
    assert budget(mini, version="0.18.0").trigger.value == 136_000  # no 0.75 floor before 0.19.0
    assert budget(mini, version="0.18.1").trigger.value == 231_200


def test_custom_on_anthropic_url_from_0_18(budget):
    """`custom` on api.anthropic.com speaks Anthropic Messages from 0.18.0 (table 128,000), chat before."""
    text = "model:\n  default: claude-opus-4-6\n  provider: custom\n  base_url: https://api.anthropic.com\n"
    assert budget(text).max_tokens_normal.value == 128_000
    assert budget(text, version="0.17.0").max_tokens_normal.value == 65_536


def test_anthropic_table_before_0_18_needs_claude_on_an_aggregator_url(budget):
    assert budget("model:\n  default: qwen/qwen3-coder\n  provider: openrouter\n",
                  version="0.17.0").max_tokens_normal is None
    assert budget("model:\n  default: claude-sonnet-4-5\n  base_url: http://localhost:8000/v1\n",
                  version="0.17.0").max_tokens_normal is None


def test_custom_endpoint_fallback_before_0_17(budget):
    """Before 0.17.0 a custom endpoint that does not answer `/models` gets 256,000 before the family table."""
    text = "model:\n  default: claude-opus-4-6\n  provider: custom\n  base_url: http://127.0.0.1:1234/v1\n"
    assert budget(text, version="0.16.0").window.value == 256_000
    assert budget(text, version="0.17.0").window.value == 1_000_000


def test_small_summary_window_refused_at_init_before_0_15(budget):
    """0.13/0.14 run `_check_compression_model_feasibility` in agent init: a summary window below 64,000 stops it."""
    text = local(1_000_000, "auxiliary:\n  compression:\n    context_length: 32000\n")
    assert any(n.startswith("Hermes refuses to start: the auxiliary") for n in budget(text, version="0.14.0").notes)
    assert not any(n.startswith("Hermes refuses to start") for n in budget(text, version="0.15.0").notes)


def test_custom_provider_window_on_the_provider_url(budget):
    """Without `model.base_url` the runtime URL is the provider's own (gemini: generativelanguage...)."""
    text = ("model:\n  default: gemini-2.5-flash\n  provider: gemini\ncustom_providers:\n  - name: mine\n"
            "    base_url: https://generativelanguage.googleapis.com/v1beta\n    models:\n"
            "      gemini-2.5-flash:\n        context_length: 512000\n")
    assert budget(text).window.value == 512_000
