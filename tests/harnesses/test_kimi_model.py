"""The shipped Kimi schemas (`kimi-code`, `kimi-cli`) against `harness-kimi.md` section 3."""

from __future__ import annotations

import copy
import json
import tomli
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cfglint.generate import schemas as schemagen
from samples import GLM_5_2

DIALECTS = ("kimi-code", "kimi-cli")

GLM_5_2_CONFIG = tomli.loads(GLM_5_2)

KIMI_CODE_FULL_CONFIG = tomli.loads("""
default_model = "kimi-code/k3"
default_permission_mode = "manual"
default_plan_mode = false
merge_all_available_skills = true
builtin_product_skills = true
telemetry = true
extra_skill_dirs = ["~/skills"]

[providers."managed:kimi-code"]
type = "kimi"
base_url = "https://api.kimi.com/coding/v1"
api_key = ""
oauth = { storage = "keyring", key = "kimi-code" }

[providers.openrouter]
type = "openai"
base_url = "https://openrouter.ai/api/v1"
custom_headers = { "X-Title" = "kimi" }
[providers.openrouter.env]
OPENAI_API_KEY = "sk-or-placeholder"

[models."kimi-code/k3"]
provider = "managed:kimi-code"
model = "k3"
max_context_size = 1048576
capabilities = [ "thinking", "always_thinking", "image_in", "video_in", "tool_use" ]
display_name = "K3"
support_efforts = [ "low", "high", "max" ]
default_effort = "max"
[models."kimi-code/k3".overrides]
max_context_size = 524288
default_effort = "high"

[models."gpt-5"]
provider = "openrouter"
model = "openai/gpt-5"
max_context_size = 400000
max_input_size = 272000
max_output_size = 128000
protocol = "openai_responses"

[thinking]
enabled = true
effort = "high"
keep = "all"

[loop_control]
max_steps_per_turn = 0
max_attempts_per_step = 10
max_ralph_iterations = -1
reserved_context_size = 50000
compaction_trigger_ratio = 0.85
compaction_max_attempts = 5

[background]
max_running_tasks = 4
keep_alive_on_exit = false
print_background_mode = "drain"

[subagent]
timeout_ms = 0

[secondary_model]
default_model = "kimi-code/k3"
[secondary_model.models]
"kimi-code/k3" = "Hard problems."

[mcp]
startup_timeout_ms = 30000
tool_timeout_ms = 60000

[image]
max_edge_px = 2048

[model_catalog]
refresh_interval_ms = 0
refresh_on_start = true

[experimental]
swarm = true

[token_counting]
strategy = "measured"

[tools]
disabled = ["EnterPlanMode", "mcp__github__*"]

[identity]
name = "Acme Dev Agent"
slug = "acme-dev"

[services.moonshot_search]
base_url = "https://api.kimi.com/coding/v1/search"
api_key = ""

[[permission.rules]]
decision = "allow"
pattern = "Read"

[[permission.rules]]
decision = "deny"
scope = "project"
pattern = "Bash(rm -rf*)"
reason = "destructive"

[[hooks]]
event = "PreToolUse"
matcher = "Bash"
command = "node ~/.kimi-code/hooks/check-bash.mjs"
timeout = 5
""")

KIMI_CLI_FULL_CONFIG = tomli.loads("""
default_model = "kimi-for-coding"
default_thinking = true
theme = "light"
extra_skill_dirs = ["~/skills"]

[providers.kimi]
type = "kimi"
base_url = "https://api.kimi.com/coding/v1"
api_key = "sk-placeholder"
oauth = { key = "kimi-code" }

[providers.deepseek]
type = "openai_legacy"
base_url = "https://api.deepseek.com/v1"
api_key = "sk-placeholder"
reasoning_key = "reasoning_content"

[providers.vertex]
type = "vertexai"
base_url = ""
api_key = ""
env = { GOOGLE_CLOUD_PROJECT = "my-project" }

[models.kimi-for-coding]
provider = "kimi"
model = "kimi-for-coding"
max_context_size = 262144
capabilities = ["thinking", "image_in", "video_in"]

[models.deepseek-chat]
provider = "deepseek"
model = "deepseek-chat"
max_context_size = 128000
display_name = "DeepSeek"

[loop_control]
max_steps_per_turn = 1000
max_retries_per_step = 3
max_ralph_iterations = 0
reserved_context_size = 50000
compaction_trigger_ratio = 0.85

[background]
max_running_tasks = 4
agent_task_timeout_s = 900
keep_alive_on_exit = true

[notifications]
claim_stale_after_ms = 15000

[mcp.client]
tool_call_timeout_ms = 60000

[services.moonshot_search]
base_url = "https://api.kimi.com/coding/v1/search"
api_key = "sk-placeholder"

[[hooks]]
event = "PreToolUse"
command = "~/.kimi/hooks/check.sh"
matcher = "Shell"
timeout = 10
""")

GLM_MODEL = ("models", "zhipu/glm-5.2")
CLI_MODEL = ("models", "kimi-for-coding")


def load_schema(dialect: str) -> dict[str, Any]:
    path = schemagen.SCHEMA_DIR / schemagen.schema_filename(dialect)
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def code_validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema("kimi-code"))


@pytest.fixture(scope="module")
def cli_validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema("kimi-cli"))


def with_value(config: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A deep copy of `config` with `value` set at `path` (missing tables are created)."""
    changed = copy.deepcopy(config)
    target = changed
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(key, str) else target[key]
    target[path[-1]] = value
    return changed


def without(config: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    changed = copy.deepcopy(config)
    target = changed
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
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


# --- both dialects ---------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", DIALECTS)
def test_shipped_schema_is_up_to_date(dialect: str) -> None:
    path = schemagen.SCHEMA_DIR / schemagen.schema_filename(dialect)
    assert path.read_text(encoding="utf-8") == schemagen.render(schemagen.build_schema(dialect))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_schema_is_valid_draft_2020_12(dialect: str) -> None:
    Draft202012Validator.check_schema(load_schema(dialect))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_no_pydantic_only_constraint_keys(dialect: str) -> None:
    """`ge`/`le`/`gt`/`lt`/`min_length` are not JSON Schema: a bound spelled so is never checked."""
    text = json.dumps(load_schema(dialect))
    for keyword in ("ge", "le", "gt", "lt", "min_length", "max_length"):
        assert f'"{keyword}":' not in text


# --- kimi-code --------------------------------------------------------------------------------


def test_kimi_code_glm_example_is_valid(code_validator: Draft202012Validator) -> None:
    assert_valid(code_validator, GLM_5_2_CONFIG)


def test_kimi_code_full_config_is_valid(code_validator: Draft202012Validator) -> None:
    assert_valid(code_validator, KIMI_CODE_FULL_CONFIG)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("loop_control", "reserved_context_size"), 500),
        (("loop_control", "reserved_context_size"), 0),
        (("loop_control", "compaction_trigger_ratio"), 0.5),
        (("loop_control", "max_steps_per_turn"), 0),
        (("loop_control", "max_attempts_per_step"), 0),
        (("loop_control", "max_ralph_iterations"), -1),
        (("loop_control", "max_retries_per_step"), 3),
        (("loop_control", "max_steps_per_run"), 100),
        (("providers", "zhipu", "type"), "gemini"),
        (("providers", "zhipu", "type"), "openai_legacy"),
        (("providers", "zhipu", "type"), "nope"),
        (("providers", "zhipu", "env"), {"KIMI_MODEL_MAX_COMPLETION_TOKENS": "131072"}),
        ((*GLM_MODEL, "capabilities"), ["thinking", "made_up"]),
        ((*GLM_MODEL, "max_input_size"), 2_000_000),
        ((*GLM_MODEL, "overrides"), {"max_output_size": 65536, "capabilities": []}),
        (("experimental",), {"anything": False}),
        # what Kimi Code 2.1.0 (`kimi doctor config`) accepts that a hand-written schema got wrong
        (("loop_control", "max_retries_per_step"), -1),  # deprecated: dropped unchecked
        (("default_model",), 5),  # schemaless: names no model (SCH004), not a schema error
        (("telemetry",), "off"),
        (("cron",), {"disabled": True, "anything": [1]}),
        (("task",), {"max_running_tasks": 2, "print_background_mode": "exit"}),
        (("permission", "deny"), [{"tool": "Bash", "match": "rm -rf*"}]),
        (("permission", "ask"), {"pattern": "Write"}),
        (("permission", "rules"), {"decision": "allow", "tool": "Read"}),
        (("providers", "zhipu", "api_key_env"), "ZHIPU_API_KEY"),
    ],
)
def test_kimi_code_accepts(code_validator: Draft202012Validator, path: tuple, value: Any) -> None:
    assert_valid(code_validator, with_value(GLM_5_2_CONFIG, path, value))


@pytest.mark.parametrize(
    ("path", "value", "error_at", "keyword"),
    [
        (("loop_control", "compaction_trigger_ratio"), 1.5, ("loop_control", "compaction_trigger_ratio"), "maximum"),
        (("loop_control", "compaction_trigger_ratio"), 0.4, ("loop_control", "compaction_trigger_ratio"), "minimum"),
        (("loop_control", "reserved_context_size"), -1, ("loop_control", "reserved_context_size"), "minimum"),
        (("loop_control", "max_steps_per_turn"), -1, ("loop_control", "max_steps_per_turn"), "minimum"),
        (("loop_control", "max_attempts_per_step"), -1, ("loop_control", "max_attempts_per_step"), "minimum"),
        (("loop_control", "max_ralph_iterations"), -2, ("loop_control", "max_ralph_iterations"), "minimum"),
        (("loop_control", "compaction_max_attempts"), 0, ("loop_control", "compaction_max_attempts"), "minimum"),
        (("loop_control", "reserved_context_size"), "50000", ("loop_control", "reserved_context_size"), "type"),
        ((*GLM_MODEL, "max_context_size"), 0, (*GLM_MODEL, "max_context_size"), "minimum"),
        ((*GLM_MODEL, "max_output_size"), 0, (*GLM_MODEL, "max_output_size"), "minimum"),
        ((*GLM_MODEL, "max_input_size"), 0, (*GLM_MODEL, "max_input_size"), "minimum"),
        ((*GLM_MODEL, "protocol"), "gemini", (*GLM_MODEL, "protocol"), "enum"),
        ((*GLM_MODEL, "overrides"), {"max_context_size": 0}, (*GLM_MODEL, "overrides", "max_context_size"), "minimum"),
        ((*GLM_MODEL, "overrides"), {"provider": "other"}, (*GLM_MODEL, "overrides"), "additionalProperties"),
        ((*GLM_MODEL, "reasoning"), True, GLM_MODEL, "additionalProperties"),  # kept, never read: SCH002
        (("task", "max_running_tasks"), 0, ("task", "max_running_tasks"), "minimum"),
        (("token_counting",), {}, ("token_counting",), "required"),
        (("hooks",), [{"event": "BeforeTool", "command": "x"}], ("hooks", 0, "event"), "enum"),
        (("permission", "rules"), [{"tool": "Read"}], ("permission", "rules", 0), "required"),
        (("providers", "zhipu", "model_source"), "nope", ("providers", "zhipu", "model_source"), "enum"),
        (("plan_mode",), True, (), "additionalProperties"),
        (("providers", "zhipu", "type"), 1, ("providers", "zhipu", "type"), "type"),
        (("providers", "zhipu", "oauth"), {"key": "k"}, ("providers", "zhipu", "oauth"), "required"),
        (("experimental",), {"swarm": "yes"}, ("experimental", "swarm"), "type"),
        (("default_permission_mode",), "ask", ("default_permission_mode",), "enum"),
        (("background", "print_background_mode"), "wait", ("background", "print_background_mode"), "enum"),
        (("mcp", "tool_timeout_ms"), 0, ("mcp", "tool_timeout_ms"), "minimum"),
        (("mcp", "tool_timeout_ms"), 2**31, ("mcp", "tool_timeout_ms"), "maximum"),
        (("permission", "rules"), [{"decision": "allow", "pattern": ""}], ("permission", "rules", 0, "pattern"), "minLength"),
        (("permission", "rules"), [{"decision": "maybe", "pattern": "Read"}], ("permission", "rules", 0, "decision"), "enum"),
        (("compaction_trigger_ratio",), 0.85, (), "additionalProperties"),
    ],
)  # fmt: skip
def test_kimi_code_rejects(
    code_validator: Draft202012Validator, path: tuple, value: Any, error_at: tuple, keyword: str
) -> None:
    assert (error_at, keyword) in findings(code_validator, with_value(GLM_5_2_CONFIG, path, value))


def test_kimi_code_loads_a_model_without_max_context_size(code_validator: Draft202012Validator) -> None:
    """2.1.0 fails only when the model is used (`Kimi.value_checks` reports it, not the schema)."""
    assert_valid(code_validator, without(GLM_5_2_CONFIG, (*GLM_MODEL, "max_context_size")))


@pytest.mark.parametrize(
    ("hook", "error_at", "keyword"),
    [
        ({"event": "Stop", "command": "true", "async": True}, ("hooks", 0), "additionalProperties"),
        ({"event": "Stop", "command": "true", "timeout": 601}, ("hooks", 0, "timeout"), "maximum"),
        ({"event": "Stop", "command": "true", "timeout": 0}, ("hooks", 0, "timeout"), "minimum"),
        ({"event": "Stop", "command": ""}, ("hooks", 0, "command"), "minLength"),
        ({"command": "true"}, ("hooks", 0), "required"),
    ],
)
def test_kimi_code_hook_entries(
    code_validator: Draft202012Validator, hook: dict, error_at: tuple, keyword: str
) -> None:
    config = with_value(GLM_5_2_CONFIG, ("hooks",), [hook])
    assert (error_at, keyword) in findings(code_validator, config)


def test_kimi_code_hook_unknown_keys_are_errors_elsewhere_warnings() -> None:
    schema = load_schema("kimi-code")
    strict = {name for name, body in schema["$defs"].items() if "x-cfglint-unknown-keys" in body}
    assert strict == {"KimiCodeHook"}
    assert schema["$defs"]["KimiCodeHook"]["x-cfglint-unknown-keys"] == "error"
    assert "x-cfglint-unknown-keys" not in schema


def test_kimi_code_marks_deprecated_loop_keys() -> None:
    loop_control = load_schema("kimi-code")["$defs"]["KimiCodeLoopControl"]["properties"]
    deprecated = {name for name, body in loop_control.items() if body.get("deprecated")}
    assert deprecated == {"max_retries_per_step", "max_steps_per_run"}


def test_kimi_code_loop_control_defaults() -> None:
    loop_control = load_schema("kimi-code")["$defs"]["KimiCodeLoopControl"]["properties"]
    assert loop_control["reserved_context_size"]["default"] == 50_000
    assert loop_control["compaction_trigger_ratio"]["default"] == 0.85
    assert loop_control["compaction_max_attempts"]["default"] == 5


def test_kimi_code_open_maps_accept_any_name(code_validator: Draft202012Validator) -> None:
    config = with_value(GLM_5_2_CONFIG, ("providers", "zhipu", "env"), {"ANY_NAME": "x"})
    config = with_value(config, ("providers", "zhipu", "custom_headers"), {"X-Anything": "y"})
    config = with_value(config, ("models", "a.b/c d"), dict(config["models"]["zhipu/glm-5.2"]))
    assert_valid(code_validator, config)


# --- kimi-cli --------------------------------------------------------------------------------


def test_kimi_cli_full_config_is_valid(cli_validator: Draft202012Validator) -> None:
    assert_valid(cli_validator, KIMI_CLI_FULL_CONFIG)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ((*CLI_MODEL, "max_context_size"), 0),
        ((*CLI_MODEL, "max_context_size"), -5),
        (("providers", "kimi", "type"), "gemini"),
        (("providers", "kimi", "type"), "google_genai"),
        (("providers", "kimi", "type"), "openai_responses"),
        (("providers", "kimi", "type"), "_scripted_echo"),
        (("loop_control", "reserved_context_size"), 1000),
        (("loop_control", "compaction_trigger_ratio"), 0.99),
        (("loop_control", "max_ralph_iterations"), -1),
        (("loop_control", "max_steps_per_run"), 50),
        ((*CLI_MODEL, "capabilities"), ["always_thinking"]),
        ((*CLI_MODEL, "capabilities"), None),
        (("providers", "kimi", "reasoning_key"), ""),
    ],
)
def test_kimi_cli_accepts(cli_validator: Draft202012Validator, path: tuple, value: Any) -> None:
    assert_valid(cli_validator, with_value(KIMI_CLI_FULL_CONFIG, path, value))


@pytest.mark.parametrize(
    ("path", "value", "error_at", "keyword"),
    [
        (("loop_control", "compaction_trigger_ratio"), 1.5, ("loop_control", "compaction_trigger_ratio"), "maximum"),
        (("loop_control", "compaction_trigger_ratio"), 0.49, ("loop_control", "compaction_trigger_ratio"), "minimum"),
        (("loop_control", "reserved_context_size"), 500, ("loop_control", "reserved_context_size"), "minimum"),
        (("loop_control", "max_steps_per_turn"), 0, ("loop_control", "max_steps_per_turn"), "minimum"),
        (("loop_control", "max_retries_per_step"), 0, ("loop_control", "max_retries_per_step"), "minimum"),
        (("loop_control", "max_ralph_iterations"), -2, ("loop_control", "max_ralph_iterations"), "minimum"),
        (("loop_control", "max_attempts_per_step"), 3, ("loop_control",), "additionalProperties"),
        ((*CLI_MODEL, "max_output_size"), 131072, CLI_MODEL, "additionalProperties"),
        ((*CLI_MODEL, "max_input_size"), 131072, CLI_MODEL, "additionalProperties"),
        ((*CLI_MODEL, "overrides"), {"max_context_size": 1}, CLI_MODEL, "additionalProperties"),
        ((*CLI_MODEL, "max_context_size"), 1.5, (*CLI_MODEL, "max_context_size"), "type"),
        ((*CLI_MODEL, "capabilities"), ["tool_use"], (*CLI_MODEL, "capabilities", 0), "enum"),
        (("providers", "kimi", "type"), "openai", ("providers", "kimi", "type"), "enum"),
        (("providers", "kimi", "type"), "google-genai", ("providers", "kimi", "type"), "enum"),
        (("providers", "kimi", "oauth"), {"storage": "vault", "key": "k"}, ("providers", "kimi", "oauth", "storage"), "enum"),
        (("background", "read_max_bytes"), 100, ("background", "read_max_bytes"), "minimum"),
        (("background", "agent_task_timeout_s"), 30, ("background", "agent_task_timeout_s"), "minimum"),
        (("notifications", "claim_stale_after_ms"), 999, ("notifications", "claim_stale_after_ms"), "minimum"),
        (("hooks",), [{"event": "Stop", "command": "true", "timeout": 601}], ("hooks", 0, "timeout"), "maximum"),
        (("theme",), "solarized", ("theme",), "enum"),
        (("hooks",), [{"event": "PermissionRequest", "command": "x"}], ("hooks", 0, "event"), "enum"),  # Kimi Code only
        (("default_model",), None, ("default_model",), "type"),
    ],
)  # fmt: skip
def test_kimi_cli_rejects(
    cli_validator: Draft202012Validator, path: tuple, value: Any, error_at: tuple, keyword: str
) -> None:
    config = with_value(KIMI_CLI_FULL_CONFIG, path, value)
    assert (error_at, keyword) in findings(cli_validator, config)


@pytest.mark.parametrize(
    ("path", "missing"),
    [
        (("providers", "kimi"), "base_url"),
        (("providers", "kimi"), "api_key"),
        (("providers", "kimi"), "type"),
        (CLI_MODEL, "provider"),
        (CLI_MODEL, "model"),
        (CLI_MODEL, "max_context_size"),
        (("services", "moonshot_search"), "api_key"),
        (("hooks", 0), "event"),
    ],
)
def test_kimi_cli_required_keys(
    cli_validator: Draft202012Validator, path: tuple, missing: str
) -> None:
    config = without(KIMI_CLI_FULL_CONFIG, (*path, missing))
    assert (path, "required") in findings(cli_validator, config)


def test_kimi_cli_has_no_strict_objects_and_marks_the_alias_deprecated() -> None:
    schema = load_schema("kimi-cli")
    assert "x-cfglint-unknown-keys" not in json.dumps(schema)
    loop_control = schema["$defs"]["KimiCliLoopControl"]["properties"]
    assert loop_control["max_steps_per_run"]["deprecated"] is True
    assert loop_control["max_steps_per_turn"]["default"] == 1000
    assert loop_control["reserved_context_size"]["default"] == 50_000
    assert loop_control["compaction_trigger_ratio"]["default"] == 0.85


def test_kimi_cli_rejects_the_kimi_code_example(cli_validator: Draft202012Validator) -> None:
    """Provider type `openai` and `max_output_size` belong to Kimi Code, not kimi-cli."""
    found = findings(cli_validator, GLM_5_2_CONFIG)
    assert (("providers", "zhipu", "type"), "enum") in found
    assert (GLM_MODEL, "additionalProperties") in found
