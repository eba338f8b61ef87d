"""The shipped Kilo schema (`cfglint/schemas/kilo.schema.json`) against `harness-kilo.md` 3."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cfglint.generate import schemas as schemagen
from cfglint.harnesses.kilo import facts, model

SCHEMA_PATH = schemagen.SCHEMA_DIR / schemagen.schema_filename("kilo")

# harness-kilo.md 3.2a: the complete top-level key set of Kilo CLI 7.7.9.
KILO_7_7_9_TOP_LEVEL_KEYS = {
    "$schema", "shell", "logLevel", "server", "command", "skills", "references", "reference",
    "watcher", "snapshot", "retention", "plugin", "share", "autoshare", "autoupdate",
    "disabled_providers", "enabled_providers", "remote_control", "auto_collapse_reasoning",
    "reasoning_display", "shared_agent_board", "indexing", "console", "terminal_command_display",
    "code_edit_display", "mcp_tool_display", "hide_prompt_training_models", "privacy_mode",
    "sandbox", "model", "small_model", "subagent_model", "subagent_variant",
    "subagent_variant_overrides", "default_agent", "subagent_depth", "username", "mode", "agent",
    "provider", "mcp", "formatter", "lsp", "instructions", "layout", "permission", "tools",
    "web_search", "attachment", "enterprise", "commit_message", "tool_output", "compaction",
    "experimental",
}  # fmt: skip

FULL_CONFIG: dict[str, Any] = {
    "$schema": "https://app.kilo.ai/config.json",
    "model": "anthropic/claude-sonnet-4-5",
    "small_model": "zhipu/glm-4.6",
    "provider": {
        "zhipu": {
            "npm": "@ai-sdk/openai-compatible",
            "name": "Zhipu AI",
            "options": {
                "baseURL": "https://open.bigmodel.cn/api/paas/v4",
                "apiKey": "{env:ZHIPU_API_KEY}",
                "timeout": 600000,
                "includeUsage": True,
            },
            "models": {
                "glm-4.6": {
                    "name": "GLM-4.6",
                    "reasoning": True,
                    "interleaved": {"field": "reasoning_content"},
                    "limit": {"context": 204800, "output": 131072},
                    "cost": {"input": 0.6, "output": 2.2, "cache_read": 0.11},
                    "modalities": {"input": ["text"], "output": ["text"]},
                    "variants": {"fast": {"disabled": False, "reasoningEffort": "low"}, "old": None},
                },
            },
        },
        "openrouter": None,
    },
    "compaction": {"auto": True, "threshold_percent": 75, "prune": True, "tail_turns": 2, "reserved": 20000},
    "agent": {
        "compaction": {"model": "zhipu/glm-4.6"},
        "reviewer": {"mode": "subagent", "steps": 20, "reasoningEffort": "high"},
    },
    "mcp": {"github": {"type": "remote", "url": "https://api.githubcopilot.com/mcp/", "enabled": True}},
    "permission": {"edit": "ask", "bash": {"git push *": "ask", "*": "allow"}},
    "instructions": ["AGENTS.md", "docs/guidelines/*.md"],
    "autoupdate": "notify",
    "share": "manual",
    "subagent_depth": 2,
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(Path(SCHEMA_PATH).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


def config_with(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """FULL_CONFIG with the value at `path` replaced (or added)."""
    config = copy.deepcopy(FULL_CONFIG)
    parent = config
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return config


def errors(validator: Draft202012Validator, instance: Any) -> list[tuple[tuple[Any, ...], str]]:
    return sorted(
        (tuple(error.absolute_path), error.validator) for error in validator.iter_errors(instance)
    )


def test_shipped_schema_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schemagen.render(schemagen.build_schema("kilo"))


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)


def test_top_level_keys_are_exactly_the_7_7_9_set(schema: dict[str, Any]) -> None:
    """The 54 keys of the fact sheet, plus the TUI keys Kilo accepts with a deprecation warning."""
    assert set(schema["properties"]) == KILO_7_7_9_TOP_LEVEL_KEYS | {"theme", "keybinds", "tui"}
    assert len(KILO_7_7_9_TOP_LEVEL_KEYS) == 54


def test_keys_extracted_from_the_binary_agree_with_the_fact_sheet() -> None:
    assert facts.top_level_keys() == KILO_7_7_9_TOP_LEVEL_KEYS
    assert facts.tui_keys() == ("theme", "keybinds", "tui")
    assert facts.mcp_entry_types() == ("local", "remote")
    assert {"KILO_SERVER_PASSWORD", "KILO_SERVER_USERNAME"} < facts.blocked_env_names()


def test_a_model_key_kilo_does_not_have_fails_the_import_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model follows Kilo's schema: a key set that drifts from the extracted data is refused."""
    objects = copy.deepcopy(facts.schema_facts()["objects"])
    objects["compaction"]["keys"].remove("reserved")
    monkeypatch.setitem(facts.schema_facts(), "objects", objects)
    with pytest.raises(RuntimeError, match=r"Compaction vs compaction: model-only \['reserved'\]"):
        model._check_against_kilo()


def test_unknown_top_level_key_is_strict(schema: dict[str, Any]) -> None:
    assert schema["additionalProperties"] is False
    assert schema["x-cfglint-unknown-keys"] == "error"


def test_realistic_full_config_is_valid(validator: Draft202012Validator) -> None:
    assert errors(validator, FULL_CONFIG) == []


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("compaction", "threshold_percent"), 150, (("compaction", "threshold_percent"), "maximum")),
        (("compaction", "threshold_percent"), 0, (("compaction", "threshold_percent"), "exclusiveMinimum")),
        (("compaction", "tail_turns"), -1, (("compaction", "tail_turns"), "minimum")),
        (("compaction", "tail_turns"), 1.5, (("compaction", "tail_turns"), "type")),
        (("compaction", "bogus"), True, (("compaction",), "additionalProperties")),
        (("compation",), {"auto": False}, ((), "additionalProperties")),
        (
            ("provider", "zhipu", "models", "glm-4.6", "limit"),
            {"context": 204800},
            (("provider", "zhipu", "models", "glm-4.6", "limit"), "required"),
        ),
        (
            ("provider", "zhipu", "models", "glm-4.6", "limit"),
            {"context": 204800, "output": 8192, "foo": 1},
            (("provider", "zhipu", "models", "glm-4.6", "limit"), "additionalProperties"),
        ),
        (
            ("provider", "zhipu", "models", "glm-4.6", "status"),
            "retired",
            (("provider", "zhipu", "models", "glm-4.6", "status"), "enum"),
        ),
        (
            ("provider", "zhipu", "options", "timeout"),
            0,
            (("provider", "zhipu", "options", "timeout"), "anyOf"),
        ),
        (("subagent_depth",), -1, (("subagent_depth",), "minimum")),
        (("share",), "always", (("share",), "enum")),
        (("model",), 42, (("model",), "anyOf")),
    ],
)
def test_schema_violation_is_reported_at_its_path(
    validator: Draft202012Validator, path: tuple[str, ...], value: Any, expected: tuple[tuple[str, ...], str]
) -> None:
    assert errors(validator, config_with(path, value)) == [expected]


@pytest.mark.parametrize(
    "limit",
    [{"context": 0, "output": -1}, {"context": 131072.5, "input": -3, "output": 0}],
    ids=["zero-and-negative", "fractional"],
)
def test_limit_accepts_any_finite_number(validator: Draft202012Validator, limit: dict[str, Any]) -> None:
    """Kilo accepts these limits at load time; the CMP rules report them, not the schema."""
    assert errors(validator, config_with(("provider", "zhipu", "models", "glm-4.6", "limit"), limit)) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("compaction", "threshold_percent"), None),
        (("compaction", "threshold_percent"), 100),
        (("provider", "zhipu", "models", "glm-4.6"), None),
        (("provider", "zhipu", "options", "timeout"), False),
        (("provider", "zhipu", "models", "glm-4.6", "interleaved"), True),
        (("provider", "zhipu", "models", "glm-4.6", "interleaved"), {"field": "reasoning_text"}),
        (("theme",), "tokyonight"),
        (("mcp", "toggled"), {"type": "http", "url": "https://mcp.example.com", "enabled": False}),
        (("agent", "compaction", "unknownKey"), "moved into agent.options by Kilo"),
        (("model",), None),
        (("formatter",), False),
        (("permission",), "allow"),
    ],
)
def test_documented_value_is_valid(
    validator: Draft202012Validator, path: tuple[str, ...], value: Any
) -> None:
    assert errors(validator, config_with(path, value)) == []


def test_harness_defaults_are_recorded(schema: dict[str, Any]) -> None:
    compaction = schema["$defs"]["Compaction"]["properties"]
    assert compaction["auto"]["default"] is True
    assert compaction["tail_turns"]["default"] == 2
    assert schema["properties"]["subagent_depth"]["default"] == 1
    assert schema["properties"]["default_agent"]["default"] == "code"


def test_deprecated_keys_are_marked(schema: dict[str, Any]) -> None:
    deprecated = {key for key, prop in schema["properties"].items() if prop.get("deprecated")}
    assert deprecated == {"reference", "autoshare", "auto_collapse_reasoning", "mode", "layout", "tools",
                          "theme", "keybinds", "tui"}
    agent = schema["$defs"]["AgentConfig"]["properties"]
    assert agent["maxSteps"]["deprecated"] is True
    assert agent["tools"]["deprecated"] is True


def test_every_property_has_a_description(schema: dict[str, Any]) -> None:
    objects = [schema, *schema["$defs"].values()]
    undocumented = [
        (obj["title"], key) for obj in objects for key, prop in obj.get("properties", {}).items()
        if not prop.get("description")
    ]  # fmt: skip
    assert undocumented == []


def test_the_bundled_catalog_is_parsed_once_per_run() -> None:
    """0.45 MB of JSON (~3.5 ms): the label and the lookups share one parse."""
    facts._catalog.cache_clear()
    facts.catalog_label(), facts.catalog_provider_ids(), facts.catalog_model("zhipuai", "glm-5.2")
    assert facts._catalog.cache_info().misses == 1


@pytest.mark.parametrize("path", [Path(facts.CATALOG), Path(facts.__file__).parents[1] / "opencode" / "data" / "catalog.json"],
                         ids=["kilo", "opencode"])
def test_the_bundled_catalog_decodes_a_provider_on_first_use(path: Path) -> None:
    """A check reads one or two of ~220 providers: the others stay undecoded offsets. Read whole,
    provider by provider, the catalog is `json.loads` of the file (keys and order included)."""
    text = path.read_text(encoding="utf-8")
    catalog, whole = facts._Catalog(text), json.loads(text)
    assert all(isinstance(at, int) for at in catalog.providers.values())
    decoded = {provider_id: catalog.provider(provider_id) for provider_id in catalog.providers}
    assert list(decoded) == list(whole["providers"]) and decoded == whole["providers"]
    assert {**catalog.head, "providers": decoded} == whole and list(whole)[-1] == "providers"
    assert catalog.provider("no-such-provider") is None


def test_a_catalog_in_another_layout_is_parsed_whole() -> None:
    """Any layout but `render_catalog`'s (here one line, and an escaped id) reads the same."""
    document = {"kilo_version": "1", "npm_by_model_prefix": {}, "providers": {
        "a": {"npm": "x", "models": {"m": [1, None, 2]}}, 'q"d': {"npm": "y", "models": {}}}}
    for text in (json.dumps(document), json.dumps(document, indent=1).replace('\n  "a"', '\n  "\\u0061"') + "\n"):
        catalog = facts._Catalog(text)
        assert catalog.head == {"kilo_version": "1", "npm_by_model_prefix": {}}
        assert {k: catalog.provider(k) for k in catalog.providers} == document["providers"]
