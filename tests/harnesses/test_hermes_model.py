"""The shipped Hermes schema (`cfglint/schemas/hermes.schema.json`) against `harness-hermes.md`."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from cfglint.generate import schemas as schemagen
from cfglint.harnesses.hermes import keys as release_keys

SCHEMA_PATH = schemagen.SCHEMA_DIR / schemagen.schema_filename("hermes")

# harness-hermes.md 3.1: the top-level keys of DEFAULT_CONFIG in hermes-agent 0.19.0.
DEFAULT_CONFIG_TOP_LEVEL_KEYS = {
    "model", "providers", "fallback_providers", "credential_pool_strategies", "toolsets",
    "max_concurrent_sessions", "max_live_sessions", "agent", "terminal", "web", "browser",
    "checkpoints", "context_file_max_chars", "file_read_max_chars", "mcp_discovery_timeout", "mcp",
    "tool_output", "tool_loop_guardrails", "compression", "kanban", "prompt_caching", "openrouter",
    "bedrock", "auxiliary", "display", "dashboard", "privacy", "tts", "stt", "voice", "human_delay",
    "context", "memory", "delegation", "prefill_messages_file", "goals", "moa", "skills", "curator",
    "honcho", "timezone", "slack", "discord", "whatsapp", "telegram", "mattermost", "matrix",
    "approvals", "command_allowlist", "quick_commands", "platform_hints", "hooks",
    "hooks_auto_accept", "personalities", "security", "cron", "code_execution", "tools", "logging",
    "model_catalog", "network", "gateway", "streaming", "sessions", "onboarding", "updates", "lsp",
    "x_search", "secrets", "paste_collapse_threshold", "paste_collapse_threshold_fallback",
    "paste_collapse_char_threshold", "computer_use", "desktop", "vertex", "_config_version",
}  # fmt: skip

FULL_CONFIG: dict[str, Any] = yaml.safe_load("""
_config_version: 50
model:
  default: glm-5.2
  provider: custom
  base_url: https://open.bigmodel.cn/api/paas/v4
  context_length: 1048576
  max_tokens: 131072
providers: {}
fallback_providers:
  - provider: openrouter
    model: anthropic/claude-sonnet-4.5
toolsets: [hermes-cli]
agent:
  max_turns: 500
terminal:
  backend: docker
  timeout: 180
  docker_volumes: []
compression:
  enabled: true
  threshold: 0.5
  threshold_tokens: null
  target_ratio: 0.2
  tail_mode: lean
  protect_last_n: 20
  protect_first_n: 3
  min_tail_user_messages: 1
  max_attempts: 3
  abort_on_summary_failure: false
  in_place: true
  codex_gpt55_autoraise: true
  codex_gpt55_autoraise_notice: false
  codex_app_server_auto: native
  proactive_prune_tokens: 0
  proactive_prune_min_result_chars: 8000
  proactive_prune_min_reclaim_tokens: 4096
  idle_compact_after_seconds: 0
  hygiene_hard_message_limit: 5000
  hygiene_timeout_seconds: 30
  context_timeout_seconds: 120
  model_thresholds:
    "glm-5.2": 0.4
    "openrouter:claude-sonnet": 0.35
auxiliary:
  compression:
    provider: openrouter
    model: google/gemini-3-flash-preview
    timeout: 120
    context_length: 1048576
    extra_body:
      provider:
        order: [google]
  vision:
    provider: auto
    model: ""
context:
  engine: compressor
custom_providers:
  - name: zhipu
    base_url: https://open.bigmodel.cn/api/paas/v4
    api_key: ""
    max_output_tokens: 131072
    models:
      glm-5.2:
        context_length: 1048576
model_overrides:
  glm-5.2:
    context_length: 1048576
display:
  streaming: true
timezone: Europe/Berlin
command_allowlist: [ls, git status]
hooks_auto_accept: false
""")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


def with_value(config: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A deep copy of `config` with `value` set at `path` (missing mappings are created)."""
    changed = copy.deepcopy(config)
    target = changed
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(key, str) else target[key]
    target[path[-1]] = value
    return changed


def findings(validator: Draft202012Validator, instance: Any) -> set[tuple[tuple, str]]:
    """(absolute path, failing keyword) of every error, including those inside anyOf."""
    found = set()
    pending = list(validator.iter_errors(instance))
    while pending:
        error = pending.pop()
        found.add((tuple(error.absolute_path), error.validator))
        pending.extend(error.context or ())
    return found


def assert_valid(validator: Draft202012Validator, instance: Any) -> None:
    assert [error.message for error in validator.iter_errors(instance)] == []


def test_shipped_schema_is_up_to_date() -> None:
    expected = schemagen.render(schemagen.build_schema("hermes"))
    assert SCHEMA_PATH.read_text(encoding="utf-8") == expected


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)


def test_no_pydantic_only_constraint_keys(schema: dict[str, Any]) -> None:
    """`ge`/`le`/`gt`/`lt`/`min_length` are not JSON Schema: a bound spelled so is never checked."""
    text = json.dumps(schema)
    for keyword in ("ge", "le", "gt", "lt", "min_length", "max_length"):
        assert f'"{keyword}":' not in text


def test_top_level_keys_are_what_the_wheels_know_plus_the_fact_sheet(schema: dict[str, Any]) -> None:
    """Every root some release 0.13..0.19 defines or reads (data/known_keys.json), the roots
    Hermes calls misplaced (marked deprecated), and `model_overrides`, which harness-hermes.md
    describes for code after 0.19.0."""
    assert len(DEFAULT_CONFIG_TOP_LEVEL_KEYS) == 76
    extracted = set(release_keys.section_keys(""))
    misplaced = release_keys.misplaced_root_keys(None)
    assert DEFAULT_CONFIG_TOP_LEVEL_KEYS <= extracted and misplaced == {"api_key", "api_mode", "rate_limit_delay"}
    assert set(schema["properties"]) == extracted | misplaced | {"model_overrides"}
    assert all(schema["properties"][key]["deprecated"] for key in misplaced)


def test_unknown_keys_are_warnings_never_errors(schema: dict[str, Any]) -> None:
    assert schema["additionalProperties"] is False
    assert "x-cfglint-unknown-keys" not in json.dumps(schema)


def test_full_config_is_valid(validator: Draft202012Validator) -> None:
    assert_valid(validator, FULL_CONFIG)


def test_empty_config_is_valid(validator: Draft202012Validator) -> None:
    assert_valid(validator, {})


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("model",), "claude-sonnet-4-5"),
        (("model",), ""),
        (("model",), {"model": "gpt-5", "provider": "openrouter"}),
        (("model", "context_length"), 32768),
        (("model", "ollama_num_ctx"), 65536),
        (("compression", "threshold"), 1),
        (("compression", "threshold"), 0.75),
        (("compression", "target_ratio"), 0.95),
        (("compression", "target_ratio"), 0.05),
        (("compression", "threshold_tokens"), 256000),
        (("compression", "max_attempts"), 10),
        (("compression", "protect_first_n"), 0),
        (("compression", "tail_mode"), "legacy"),
        (("compression", "summary_model"), "google/gemini-3-flash-preview"),
        (("auxiliary", "title_generation"), {"provider": "auto", "model": ""}),
        (("context",), {"engine": "lcm", "lcm": {"depth": 3}}),
        (("terminal",), None),
        (("display",), "anything"),
        (("custom_providers", 0, "api_mode"), "chat_completions"),
        (("model_overrides", "gpt-5"), {"max_output_tokens": 128000}),
        (("custom_providers",), None),
        (("custom_providers", 0, "models"), ["glm-5.2", {"id": "glm-5.1"}]),
        (("compression", "enabled"), "no"),
        (("compression", "enabled"), None),
        (("compression", "threshold"), True),
        (("compression", "summary_base_url"), None),
        (("model", "context_length"), "128000"),
        (("model", "api_mode"), "chat_completions"),
        (("auxiliary", "transient_retries"), 2),
        (("auxiliary", "vision", "download_timeout"), 30),
        (("session_reset",), {"mode": "idle"}),
    ],
)
def test_accepts(validator: Draft202012Validator, path: tuple, value: Any) -> None:
    assert_valid(validator, with_value(FULL_CONFIG, path, value))


@pytest.mark.parametrize(
    ("path", "value", "error_at", "keyword"),
    [
        (("compression", "threshold"), 75, ("compression", "threshold"), "maximum"),
        (("compression", "threshold"), 0, ("compression", "threshold"), "exclusiveMinimum"),
        (("compression", "threshold"), -0.5, ("compression", "threshold"), "exclusiveMinimum"),
        (("compression", "threshold"), "50%", ("compression", "threshold"), "type"),
        (("compression", "model_thresholds", "glm-5.2"), 75, ("compression", "model_thresholds", "glm-5.2"), "maximum"),
        (("compression", "model_thresholds", "glm-5.2"), 0, ("compression", "model_thresholds", "glm-5.2"), "exclusiveMinimum"),
        (("compression", "max_attempts"), 11, ("compression", "max_attempts"), "maximum"),
        (("compression", "max_attempts"), 0, ("compression", "max_attempts"), "minimum"),
        (("compression", "protect_first_n"), -1, ("compression", "protect_first_n"), "minimum"),
        (("compression", "min_tail_user_messages"), 0, ("compression", "min_tail_user_messages"), "minimum"),
        (("compression", "tail_mode"), "aggressive", ("compression", "tail_mode"), "enum"),
        (("compression", "threshold_tokens"), "256000", ("compression", "threshold_tokens"), "anyOf"),
        (("compression", "target_ratio"), "20%", ("compression", "target_ratio"), "type"),
        (("compression", "trigger"), 0.5, ("compression",), "additionalProperties"),
        (("model", "context_length"), 0, ("model", "context_length"), "exclusiveMinimum"),
        (("model", "max_tokens"), True, ("model", "max_tokens"), "type"),
        (("model", "max_tokens"), 0, ("model", "max_tokens"), "exclusiveMinimum"),
        (("model", "max_tokens"), 4096.5, ("model", "max_tokens"), "type"),
        (("model", "context_window"), 200000, ("model",), "additionalProperties"),
        (("model",), 42, ("model",), "anyOf"),
        (("auxiliary", "compression", "context_length"), "1M", ("auxiliary", "compression", "context_length"), "type"),
        (("auxiliary", "compression", "temprature"), 0.2, ("auxiliary", "compression"), "additionalProperties"),
        (("compression", "threshold"), False, ("compression", "threshold"), "anyOf"),
        (("custom_providers",), '[{"name": "x"}]', ("custom_providers",), "anyOf"),
        (("context", "engine"), 3, ("context", "engine"), "type"),
        (("custom_providers", 0, "models", "glm-5.2", "context_length"), "1M", ("custom_providers", 0, "models", "glm-5.2", "context_length"), "type"),
        (("custom_providers",), {"zhipu": {}}, ("custom_providers",), "anyOf"),
        (("compresion",), {"threshold": 0.5}, (), "additionalProperties"),
    ],
)  # fmt: skip
def test_rejects(
    validator: Draft202012Validator, path: tuple, value: Any, error_at: tuple, keyword: str
) -> None:
    assert (error_at, keyword) in findings(validator, with_value(FULL_CONFIG, path, value))


def test_summary_keys_are_deprecated(schema: dict[str, Any]) -> None:
    compression = schema["$defs"]["HermesCompression"]["properties"]
    deprecated = {name for name, body in compression.items() if body.get("deprecated")}
    assert deprecated == {"summary_model", "summary_provider", "summary_base_url"}


def test_compression_defaults_match_0_19_0(schema: dict[str, Any]) -> None:
    compression = schema["$defs"]["HermesCompression"]["properties"]
    defaults = {name: body.get("default") for name, body in compression.items()}
    assert defaults["threshold"] == 0.5
    assert defaults["target_ratio"] == 0.2
    assert defaults["protect_last_n"] == 20
    assert defaults["protect_first_n"] == 3
    assert defaults["max_attempts"] == 3
    assert defaults["tail_mode"] == "lean"
    assert defaults["threshold_tokens"] is None
    assert defaults["hygiene_hard_message_limit"] == 5000
