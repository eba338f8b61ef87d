"""The Codex schemas (`codex`, `codex-catalog`) against `harness-codex.md` §3: key sets of every
extracted release, types and enums of the default target 0.171.0 (each invalid value below stops
Codex 0.171.0 at start-up, run; each valid one loads)."""

from __future__ import annotations

import copy
import importlib
import json
import sys
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cfglint.core.versions import Version
from cfglint.generate import schemas as schemagen
from cfglint.harnesses.codex import facts

MODEL_MODULE = "cfglint.harnesses.codex.model"
TARGET = Version.parse("0.171.0")


def _clear_caches() -> None:
    facts._keys_document.cache_clear()
    facts.all_keys.cache_clear()


# --- the model built from a small keys.json: how release key sets become the schema -----------------

FAKE_KEYS = {"releases": {
    "0.120.0": {"config": ["model", "model_context_window", "zsh_path", "model_providers", "features", "profiles"],
                "profile": ["model"], "provider": ["name", "base_url"],
                "model_info": ["slug", "display_name", "supports_parallel_tool_calls"],
                "features": ["rmcp_client", "unified_exec"], "catalog_required": ["display_name",
                                                                                 "supports_parallel_tool_calls"],
                "catalog_required_any": [], "scopes": [], "reasoning_efforts": ["low", "high"]},
    "0.145.0": {"config": ["model", "model_context_window", "zsh_path", "model_providers", "features", "profiles"],
                "profile": ["model"], "provider": ["name", "base_url"],
                "model_info": ["slug", "display_name"], "features": ["rmcp_client", "unified_exec"],
                "catalog_required": ["display_name"], "catalog_required_any": [], "scopes": ["total"],
                "reasoning_efforts": None},
    "0.171.0": {"config": ["model", "model_context_window", "model_auto_compact_token_limit_scope",
                           "model_providers", "features", "profiles", "mcp_servers"],
                "profile": ["model", "features"], "provider": ["name", "base_url", "wire_api"],
                "model_info": ["slug", "display_name", "context_window", "visibility"],
                "features": ["unified_exec", "token_budget"], "catalog_required": ["display_name", "visibility"],
                "catalog_required_any": [["base_instructions", "model_messages.instructions_template"]],
                "scopes": ["total", "body_after_prefix"], "reasoning_efforts": None},
}}


@pytest.fixture
def fake_model(tmp_path, monkeypatch):
    """`model.py` built from FAKE_KEYS; the real module is rebuilt on next import."""
    (tmp_path / "keys.json").write_text(json.dumps(FAKE_KEYS), encoding="utf-8")
    monkeypatch.setattr(facts, "DATA", tmp_path)
    _clear_caches()
    sys.modules.pop(MODEL_MODULE, None)
    yield importlib.import_module(MODEL_MODULE)
    sys.modules.pop(MODEL_MODULE, None)
    monkeypatch.undo()
    _clear_caches()


def _schema_of(model: Any) -> dict[str, Any]:
    """The model's schema as the generator ships it (without the null defaults pydantic writes)."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    schemagen.drop_defaults_editors_must_not_insert(schema)
    return schema


def test_keys_of_every_release_are_offered(fake_model):
    schema = _schema_of(fake_model.CodexConfig)
    assert sorted(schema["properties"]) == sorted(facts.all_keys("config"))
    assert schema["additionalProperties"] is False


def test_key_the_target_lacks_is_deprecated_untyped_and_names_its_releases(fake_model):
    retired = _schema_of(fake_model.CodexConfig)["properties"]["zsh_path"]
    assert retired["deprecated"] is True
    assert "type" not in retired and "anyOf" not in retired       # 0.171.0 ignores whatever value it has
    assert "0.120.0 to 0.145.0" in retired["description"]


def test_key_of_the_target_is_typed_and_not_deprecated(fake_model):
    window = _schema_of(fake_model.CodexConfig)["properties"]["model_context_window"]
    assert window["type"] == "integer" and "deprecated" not in window and "default" not in window
    scope = _schema_of(fake_model.CodexConfig)["properties"]["model_auto_compact_token_limit_scope"]
    assert scope["enum"] == ["total", "body_after_prefix"]        # the target's extracted scopes


def test_features_offer_the_union_and_retire_old_flags(fake_model):
    features = _schema_of(fake_model.CodexConfig)["$defs"]["CodexFeatures"]
    assert sorted(features["properties"]) == ["rmcp_client", "token_budget", "unified_exec"]
    assert features["properties"]["rmcp_client"]["deprecated"] is True
    assert features["additionalProperties"] is False


def test_catalog_requires_what_the_target_requires(fake_model):
    entry = _schema_of(fake_model.CodexCatalog)["$defs"]["CodexModelInfo"]
    assert sorted(entry["required"]) == ["display_name", "slug", "visibility"]
    assert entry["properties"]["supports_parallel_tool_calls"]["deprecated"] is True
    assert "supports_parallel_tool_calls" not in entry["required"]


# --- the schemas shipped for the real key sets (data/keys.json) --------------------------------------

def schema(name: str) -> dict[str, Any]:
    return schemagen.build_schema(name)


def errors(name: str, instance: Any) -> list[tuple[str, tuple]]:
    """(keyword, path) of every failure, in a stable order."""
    found = Draft202012Validator(schema(name)).iter_errors(instance)
    return sorted((e.validator, tuple(e.absolute_path)) for e in found)


FULL_CONFIG: dict[str, Any] = {
    "model": "gpt-6.2-sol",
    "model_provider": "gateway",
    "model_context_window": 400_000,
    "model_auto_compact_token_limit": 300_000,
    "model_auto_compact_token_limit_scope": "body_after_prefix",
    "model_post_turn_compact_threshold_percent": 80,
    "model_reasoning_effort": "extreme",          # any string since 0.140.0 (the unit judges it)
    "model_reasoning_summary": "concise",
    "model_verbosity": "low",
    "tool_output_token_limit": 20_000,
    "approval_policy": {"granular": {"sandbox_approval": True, "rules": False}},
    "approvals_reviewer": "auto_review",
    "sandbox_mode": "workspace-write",
    "sandbox_workspace_write": {"network_access": True},
    "notify": ["notify-send", "Codex"],
    "forced_chatgpt_workspace_id": ["ws-1", "ws-2"],
    "forced_login_method": "api",
    "cli_auth_credentials_store": "keyring",
    "mcp_oauth_credentials_store": "file",
    "mcp_oauth_callback_port": 8765,
    "personality": "pragmatic",
    "web_search": "cached",
    "file_opener": "cursor",
    "project_doc_max_bytes": 65_536,
    "model_providers": {
        "gateway": {"name": "Gateway", "base_url": "https://llm.example.com/v1", "env_key": "GATEWAY_API_KEY",
                    "wire_api": "responses", "http_headers": {"X-Team": "core"},
                    "env_http_headers": {"X-Org": "GATEWAY_ORG"}, "query_params": {"api-version": "2026-01-01"},
                    "request_max_retries": 3, "stream_idle_timeout_ms": 120_000, "requires_openai_auth": False},
        "amazon-bedrock": {"aws": {"profile": "dev", "region": "us-west-2"}},
    },
    "mcp_servers": {
        "docs": {"url": "https://mcp.example.com/mcp", "bearer_token_env_var": "DOCS_TOKEN",
                 "env_http_headers": {"X-Api-Key": "DOCS_KEY"}, "startup_timeout_sec": 20},
        "files": {"command": "npx", "args": ["-y", "files-mcp"], "env": {"LOG_LEVEL": "info"},
                  "env_vars": ["FILES_TOKEN", {"name": "HOME", "source": "local"}]},
    },
    "projects": {"/work/app": {"trust_level": "trusted"}},
    "tui": {"anything": "goes"},
    "history": {"persistence": "none"},
    "features": {},
}


def test_a_full_config_validates():
    assert errors("codex", FULL_CONFIG) == []


def test_the_described_keys_are_the_keys_of_the_target():
    """Every key 0.171.0 reads has a type and a description, and no described key is one the
    binaries do not have (a sheet name the extraction does not confirm)."""
    from cfglint.harnesses.codex.model import CONFIG_KEYS, MODEL_INFO_KEYS, PROVIDER_KEYS

    assert sorted(set(CONFIG_KEYS) ^ facts.section_keys(TARGET, "config")) == []
    assert sorted(set(PROVIDER_KEYS) ^ facts.section_keys(TARGET, "provider")) == []
    assert sorted(set(MODEL_INFO_KEYS) - facts.section_keys(TARGET, "model_info")) == []


def test_every_top_level_key_has_a_description_and_no_default():
    properties = schema("codex")["properties"]
    assert [k for k, spec in properties.items() if not spec.get("description")] == []
    assert not [k for k in properties if "default" in properties[k]]


def test_keys_of_older_releases_are_known_but_deprecated():
    properties = schema("codex")["properties"]
    older = facts.all_keys("config") - facts.section_keys(TARGET, "config")
    assert set(properties) == set(facts.all_keys("config"))
    assert all(properties[key].get("deprecated") is True for key in older)
    assert all("deprecated" not in properties[key] for key in facts.section_keys(TARGET, "config"))


@pytest.mark.parametrize(("patch", "failure"), [
    ({"model_context_window": "200k"}, ("type", ("model_context_window",))),         # `-c ...=200k`
    ({"model_auto_compact_token_limit": 1.5}, ("type", ("model_auto_compact_token_limit",))),
    ({"model_post_turn_compact_threshold_percent": 101}, ("maximum", ("model_post_turn_compact_threshold_percent",))),
    ({"model_post_turn_compact_threshold_percent": 50.5}, ("type", ("model_post_turn_compact_threshold_percent",))),
    ({"model_auto_compact_token_limit_scope": "body"}, ("enum", ("model_auto_compact_token_limit_scope",))),
    ({"approval_policy": "sometimes"}, ("anyOf", ("approval_policy",))),
    ({"approval_policy": {"strict": {}}}, ("anyOf", ("approval_policy",))),
    ({"sandbox_mode": "full"}, ("enum", ("sandbox_mode",))),
    ({"web_search": True}, ("type", ("web_search",))),
    ({"notify": "notify-send"}, ("type", ("notify",))),
    ({"mcp_oauth_callback_port": 70_000}, ("maximum", ("mcp_oauth_callback_port",))),
    ({"project_doc_max_bytes": -1}, ("minimum", ("project_doc_max_bytes",))),
    ({"projects": {"/w": {"trust_level": "yes"}}}, ("enum", ("projects", "/w", "trust_level"))),
    ({"model_providers": {"g": {"name": "G", "wire_api": "chat"}}}, ("const", ("model_providers", "g", "wire_api"))),
    ({"model_providers": {"g": {"name": "G", "stream_max_retries": -1}}},
     ("minimum", ("model_providers", "g", "stream_max_retries"))),
    ({"mcp_servers": {"x": {"command": "x", "args": "-y"}}}, ("type", ("mcp_servers", "x", "args"))),
    ({"mcp_servers": {"x": {"command": "x", "env_vars": [{"name": "A", "source": "zz"}]}}},
     ("anyOf", ("mcp_servers", "x", "env_vars", 0))),
])
def test_a_value_codex_rejects_fails(patch, failure):
    assert failure in errors("codex", {**FULL_CONFIG, **patch})


@pytest.mark.parametrize(("patch", "where"), [
    ({"bogus_key": 1}, ()),
    ({"model_providers": {"g": {"name": "G", "max_tokens": 8192}}}, ("model_providers", "g")),
    ({"profiles": {"small": {"model_context_window": 100_000}}}, ("profiles", "small")),
    ({"features": {"auto_compaction": False}}, ("features",)),
])
def test_an_unknown_key_in_a_closed_object_fails(patch, where):
    assert ("additionalProperties", where) in errors("codex", {**FULL_CONFIG, **patch})


@pytest.mark.parametrize("patch", [
    {"tui": {"unknown_sub_key": 1}},                          # open: the sheet does not list its keys
    {"mcp_servers": {"x": {"url": "https://x.example/mcp", "custom": 1}}},
    {"model_reasoning_effort": "ultra"},
    {"model_context_window": 0},                              # loads (CMP003 judges it)
    {"model_auto_compact_token_limit": -5},
    {"approval_policy": "on-failure"},
])
def test_a_value_codex_loads_passes(patch):
    assert errors("codex", {**FULL_CONFIG, **patch}) == []


def test_known_features_validate():
    flags = {key: True for key in facts.section_keys(TARGET, "features")}
    assert errors("codex", {"features": flags}) == []


# --- the model catalog -------------------------------------------------------------------------------

# An entry as `codex debug models --bundled` prints them (0.171.0, trimmed).
ENTRY: dict[str, Any] = {
    "slug": "lab-model", "display_name": "Lab model", "supported_reasoning_levels": [
        {"effort": "high", "description": "deep"}],
    "shell_type": "shell_command", "visibility": "list", "supported_in_api": True, "priority": 1,
    "support_verbosity": False, "truncation_policy": {"mode": "tokens", "limit": 10_000},
    "experimental_supported_tools": [], "base_instructions": "You are a coding agent.",
    "context_window": 1_000_000, "max_context_window": None, "auto_compact_token_limit": None,
    "effective_context_window_percent": 95,
}


def catalog(**changes: Any) -> dict[str, Any]:
    entry = copy.deepcopy(ENTRY)
    for key, value in changes.items():
        if value is ...:
            entry.pop(key)
        else:
            entry[key] = value
    return {"models": [entry]}


def test_a_catalog_entry_with_the_required_fields_validates():
    assert errors("codex-catalog", catalog()) == []


def test_required_fields_are_those_of_the_target():
    required = set(schema("codex-catalog")["$defs"]["CodexModelInfo"]["required"])
    assert required == set(facts.release_keys(TARGET)["catalog_required"]) | {"slug"}


@pytest.mark.parametrize(("instance", "failure"), [
    ({"models": []}, ("minItems", ("models",))),
    (catalog(display_name=...), ("required", ("models", 0))),
    (catalog(slug=...), ("required", ("models", 0))),
    (catalog(visibility="public"), ("enum", ("models", 0, "visibility"))),           # cc-switch#3848
    (catalog(shell_type="zsh"), ("enum", ("models", 0, "shell_type"))),
    (catalog(truncation_policy={"mode": "chars", "limit": 5}), ("enum", ("models", 0, "truncation_policy", "mode"))),
    (catalog(truncation_policy={"mode": "tokens"}), ("required", ("models", 0, "truncation_policy"))),
    (catalog(context_window="272000"), ("anyOf", ("models", 0, "context_window"))),
    (catalog(effective_context_window_percent=None), ("type", ("models", 0, "effective_context_window_percent"))),
    (catalog(priority=2 ** 31), ("maximum", ("models", 0, "priority"))),
    (catalog(supported_reasoning_levels=["high"]), ("type", ("models", 0, "supported_reasoning_levels", 0))),
    (catalog(max_output_tokens=65_536), ("additionalProperties", ("models", 0))),   # dropped silently by Codex
])
def test_a_catalog_codex_rejects_or_drops_fails(instance, failure):
    assert failure in errors("codex-catalog", instance)


@pytest.mark.parametrize("changes", [
    {"effective_context_window_percent": 150},       # not bounded (CMP008 judges it)
    {"context_window": None},
    {"base_instructions": ..., "model_messages": {"instructions_template": "You are Codex."}},
    {"truncation_policy": {"mode": "bytes", "limit": -1}},
])
def test_a_catalog_codex_loads_passes(changes):
    assert errors("codex-catalog", catalog(**changes)) == []
