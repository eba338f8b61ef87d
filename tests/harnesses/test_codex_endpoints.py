"""Where Codex sends credentials (`harness-codex.md` §3.4, §4; MCP server keys checked with
`codex mcp list`, 0.99.0 ... 0.171.0), and the fix SEC001 gives for each place."""

from __future__ import annotations

from typing import Any

import pytest
import tomli

from cfglint.core.document import get_path
from cfglint.core.secrets import literal_credential
from cfglint.harnesses.codex.endpoints import endpoints, secret_fix

KEY = "sk-proj-Qw3rTy9UiOp4AsDf7GhJk2LzXc"


def by_label(text: str) -> dict[str, Any]:
    return {e.label: e for e in endpoints(tomli.loads(text))}


def plaintext(text: str) -> list[tuple]:
    """The credential paths holding a literal credential: what SEC001 reports."""
    data = tomli.loads(text)
    return [p for e in endpoints(data) for p in e.credentials if literal_credential(get_path(data, p)) is not None]


# --- providers ------------------------------------------------------------------------------------

def test_a_literal_bearer_token_is_a_credential_and_is_sent():
    found = by_label(f'[model_providers.gw]\nname = "GW"\nbase_url = "http://10.0.0.5/v1"\n'
                     f'experimental_bearer_token = "{KEY}"\n')["provider `gw`"]
    assert found.credentials[0] == ("model_providers", "gw", "experimental_bearer_token")
    assert found.base_urls == (("model_providers", "gw", "base_url"),)
    assert found.sends_key


@pytest.mark.parametrize("setting", [
    'env_key = "GW_API_KEY"',                           # a variable NAME: sent, but no credential in the file
    'env_http_headers = { "X-Api-Key" = "GW_KEY" }',
    'env_http_headers = { Authorization = "GW_AUTH" }',
    'requires_openai_auth = true',
    'auth = { command = "gw-token", args = [] }',
    'aws = { profile = "dev", region = "us-east-1" }',
])
def test_a_credential_from_elsewhere_is_sent_but_not_written(setting):
    text = f'[model_providers.gw]\nname = "GW"\nbase_url = "http://gw.lan/v1"\n{setting}\n'
    assert by_label(text)["provider `gw`"].sends_key
    assert plaintext(text) == []


@pytest.mark.parametrize("setting", [
    '',                                                  # a keyless local server
    'experimental_bearer_token = "ollama"',              # a placeholder
    'env_http_headers = { "X-Org" = "GW_ORG" }',         # not a credential header
    'http_headers = { "X-Title" = "codex" }',
    'query_params = { api-version = "2026-01-01" }',
    'env_key = ""',
    'requires_openai_auth = false',
])
def test_a_provider_without_a_credential_sends_none(setting):
    text = f'[model_providers.local]\nname = "Local"\nbase_url = "http://192.168.1.9:8080/v1"\n{setting}\n'
    assert not by_label(text)["provider `local`"].sends_key
    assert plaintext(text) == []


@pytest.mark.parametrize(("table", "key"), [
    ("http_headers", "Authorization"),
    ("http_headers", "X-Api-Key"),
    ("query_params", "api-key"),
])
def test_secret_headers_and_query_parameters_are_credentials(table, key):
    text = f'[model_providers.gw]\nname = "GW"\n{table} = {{ "{key}" = "Bearer {KEY}", "X-Team" = "core" }}\n'
    assert plaintext(text) == [("model_providers", "gw", table, key)]
    assert by_label(text)["provider `gw`"].sends_key


def test_the_bedrock_override_keeps_its_aws_signing():
    assert by_label('[model_providers.amazon-bedrock]\nbase_url = "http://bedrock.lan/v1"\n')[
        "provider `amazon-bedrock`"].sends_key


def test_env_key_names_are_never_credentials():
    text = '[model_providers.gw]\nname = "GW"\nenv_key = "Zx8Qw2Er5Ty7Ui9Op1As3Df"\n'
    assert all("env_key" not in p for e in endpoints(tomli.loads(text)) for p in e.credentials)


# --- the built-in openai provider ------------------------------------------------------------------

def test_openai_and_chatgpt_base_urls_carry_the_users_credentials():
    found = by_label('openai_base_url = "http://proxy.lan/v1"\nchatgpt_base_url = "https://chatgpt.com/backend-api"\n'
                     '[profiles.work]\nchatgpt_base_url = "http://chat.lan/"\n')["built-in provider `openai`"]
    assert found.base_urls == (("openai_base_url",), ("chatgpt_base_url",), ("profiles", "work", "chatgpt_base_url"))
    assert found.sends_key and found.credentials == ()


def test_no_openai_endpoint_without_its_urls():
    assert "built-in provider `openai`" not in by_label('model = "gpt-6.2-sol"\n')


# --- MCP servers -------------------------------------------------------------------------------------

def test_an_http_mcp_server_with_a_literal_token_or_header():
    text = (f'[mcp_servers.docs]\nurl = "http://mcp.lan/mcp"\nbearer_token = "{KEY}"\n'
            f'http_headers = {{ "X-Api-Key" = "{KEY}", "X-Client" = "codex" }}\n')
    assert plaintext(text) == [("mcp_servers", "docs", "bearer_token"), ("mcp_servers", "docs", "http_headers",
                                                                          "X-Api-Key")]
    found = by_label(text)["MCP server `docs`"]
    assert found.base_urls == (("mcp_servers", "docs", "url"),) and found.sends_key


@pytest.mark.parametrize("setting", [
    'bearer_token_env_var = "DOCS_TOKEN"',
    'env_http_headers = { Authorization = "DOCS_AUTH" }',
    'oauth = { client_id = "codex-cli" }',
    'scopes = ["read"]',
])
def test_an_http_mcp_server_with_a_credential_from_elsewhere_sends_without_writing(setting):
    text = f'[mcp_servers.docs]\nurl = "http://mcp.lan/mcp"\n{setting}\n'
    assert by_label(text)["MCP server `docs`"].sends_key
    assert plaintext(text) == []


def test_an_mcp_server_without_credentials_sends_none():
    text = '[mcp_servers.docs]\nurl = "http://mcp.lan/mcp"\nhttp_headers = { "X-Client" = "codex" }\n'
    assert not by_label(text)["MCP server `docs`"].sends_key


def test_a_stdio_server_env_holds_credentials_by_name():
    text = (f'[mcp_servers.gh]\ncommand = "github-mcp"\nenv_vars = ["GITHUB_TOKEN"]\n'
            f'env = {{ GITHUB_PERSONAL_ACCESS_TOKEN = "ghp_{KEY[8:]}", LOG_LEVEL = "debug", '
            f'MAX_TOKENS = "4000" }}\n')
    assert plaintext(text) == [("mcp_servers", "gh", "env", "GITHUB_PERSONAL_ACCESS_TOKEN")]


# --- secret_fix -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "advice"), [
    (("model_providers", "my-gw", "experimental_bearer_token"), 'env_key = "MY_GW_API_KEY"'),
    (("model_providers", "my-gw", "http_headers", "Authorization"), 'env_key = "MY_GW_API_KEY"'),
    (("model_providers", "my-gw", "http_headers", "X-Api-Key"),
     'env_http_headers = { "X-Api-Key" = "MY_GW_X_API_KEY" }'),
    (("model_providers", "my-gw", "query_params", "api-key"), "keep this config.toml private"),
    (("mcp_servers", "docs", "bearer_token"), 'bearer_token_env_var = "DOCS_TOKEN"'),
    (("mcp_servers", "docs", "http_headers", "Authorization"), 'bearer_token_env_var = "DOCS_TOKEN"'),
    (("mcp_servers", "docs", "http_headers", "X-Api-Key"), 'env_http_headers = { "X-Api-Key" = "DOCS_X_API_KEY" }'),
    (("mcp_servers", "gh", "env", "GITHUB_TOKEN"), 'env_vars = ["GITHUB_TOKEN"]'),
])
def test_the_fix_names_a_variable_and_never_the_secret(path, advice):
    fix = secret_fix(None, path, f"Bearer {KEY}", KEY)
    assert advice in fix
    assert KEY not in fix and KEY[:8] not in fix
    assert "revoke" in fix
