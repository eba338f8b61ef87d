"""Where Codex CLI sends requests with a credential (SEC001, SEC004), and where a credential written
into `config.toml` belongs instead.

Codex substitutes no variables (`harness-codex.md` §2.3): a credential setting holds the credential
itself. The settings that NAME a variable are no credentials: a provider's `env_key` and the values of
its `env_http_headers`, an MCP server's `bearer_token_env_var`, `env_vars` and the values of its
`env_http_headers` (run 0.99.0 ... 0.171.0: `codex mcp list` reads them as names). They still attach a
credential to the requests, which matters for a plain-http base URL (SEC004).
"""

from __future__ import annotations

import re

from cfglint.core.document import Document, Path, format_path, get_path
from cfglint.core.secrets import is_credential_variable, is_secret_key
from cfglint.harnesses.endpoints import Endpoint, entries, has_value, keys_where, sends_credential

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator


# Built-in providers that sign their requests whatever the override sets (§3.4: `amazon-bedrock`
# keeps its AWS authentication; `[model_providers.<id>]` may override only a few of its fields).
_SIGNED_BUILTINS = ("amazon-bedrock",)
# Provider tables that attach a credential from elsewhere: a token command, AWS SigV4, gateway OAuth.
_CREDENTIAL_TABLES = ("auth", "aws", "gateway_oauth")
# Top-level URLs of the built-in `openai` provider and of the ChatGPT backend; both receive the user's
# OpenAI credentials (API key or ChatGPT sign-in). A legacy profile may set `chatgpt_base_url` too.
_OPENAI_URLS = ("openai_base_url", "chatgpt_base_url")


def endpoints(data: Any) -> Iterator[Endpoint]:
    """Each `[model_providers.<id>]`, the built-in `openai` provider's URLs, and each
    `[mcp_servers.<name>]`."""
    yield from _providers(data)
    urls = tuple(path for path in ((key,) for key in _OPENAI_URLS) if get_path(data, path) is not None)
    urls += tuple(("profiles", name, "chatgpt_base_url") for name, profile in entries(data, "profiles")
                  if "chatgpt_base_url" in profile)
    if urls:
        yield Endpoint("built-in provider `openai`", (), urls, True)
    yield from _mcp_servers(data)


def _providers(data: Any) -> Iterator[Endpoint]:
    for pid, provider in entries(data, "model_providers"):
        path = ("model_providers", pid)
        credentials = (
            path + ("experimental_bearer_token",),
            *keys_where(provider.get("http_headers"), path + ("http_headers",), is_secret_key),
            *keys_where(provider.get("query_params"), path + ("query_params",), is_secret_key),
        )
        sends = (sends_credential(data, credentials)
                 or has_value(data, [path + ("env_key",)])
                 or _names_secret_header(provider)
                 or any(isinstance(provider.get(table), dict) for table in _CREDENTIAL_TABLES)
                 or provider.get("requires_openai_auth") is True
                 or pid in _SIGNED_BUILTINS)
        yield Endpoint(f"provider `{pid}`", credentials, (path + ("base_url",),), sends)


def _mcp_servers(data: Any) -> Iterator[Endpoint]:
    """Stdio servers (`command`) get their credentials through `env`; HTTP servers (`url`) through
    headers, a bearer token or OAuth (`oauth`, `scopes`: `codex mcp login`). A literal `bearer_token`
    stops Codex at start-up, but it is written in the file all the same."""
    for name, server in entries(data, "mcp_servers"):
        path = ("mcp_servers", name)
        credentials = (
            path + ("bearer_token",),
            *keys_where(server.get("http_headers"), path + ("http_headers",), is_secret_key),
            *keys_where(server.get("env"), path + ("env",), is_credential_variable),
        )
        sends = (sends_credential(data, credentials)
                 or has_value(data, [path + ("bearer_token_env_var",)])
                 or _names_secret_header(server)
                 or isinstance(server.get("oauth"), dict) or bool(server.get("scopes")))
        yield Endpoint(f"MCP server `{name}`", credentials, (path + ("url",),), sends)


def _names_secret_header(table: dict) -> bool:
    """`env_http_headers` fills a credential header (`Authorization`, `X-Api-Key`) from a variable."""
    headers = table.get("env_http_headers")
    return isinstance(headers, dict) and any(is_secret_key(h) and isinstance(v, str) and v.strip()
                                             for h, v in headers.items())


def _variable(*parts: object) -> str:
    """An environment variable name made of `parts`: `my-gw`, `X-Api-Key` -> `MY_GW_X_API_KEY`."""
    return "_".join(re.sub(r"[^A-Za-z0-9]+", "_", str(part)).strip("_").upper() for part in parts)


def secret_fix(doc: Document, path: Path, value: str, secret: str) -> str:
    """The Codex way to keep the credential out of the file: an environment variable that a setting
    names (`env_key`, `env_http_headers`, `bearer_token_env_var`, `env_vars`). Never repeats the value."""
    table = format_path(path[:2])
    kind, header = (path[2], path[3]) if len(path) == 4 else (path[-1], None)
    then = ", then revoke the key that was in the file"
    if kind == "http_headers" and not _is_authorization(header):
        variable = _variable(path[1], header)
        return (f"move the header to `env_http_headers = {{ \"{header}\" = \"{variable}\" }}` in `[{table}]` and "
                f"export {variable} where Codex starts (its value is sent as the header){then}")
    if path[0] == "model_providers":
        variable = _variable(path[1], "API_KEY")
        bearer = (f"export the key (without `Bearer `) as {variable} where Codex starts and set `env_key = "
                  f"\"{variable}\"` in `[{table}]` (Codex sends it as `Authorization: Bearer`)")
        if kind == "query_params":
            return (f"Codex reads query parameters only from the file: if the provider accepts the key as a bearer "
                    f"token, {bearer}; else keep this config.toml private (out of git){then}")
        return bearer + then
    if kind == "env":
        return (f"remove it from `env`, list it in `env_vars = [\"{header}\"]` of `[{table}]` (Codex forwards the "
                f"variable from its own environment) and export {header} where Codex starts{then}")
    variable = _variable(path[1], "TOKEN")
    return (f"export the token as {variable} where Codex starts and set `bearer_token_env_var = \"{variable}\"` in "
            f"`[{table}]` (Codex sends it as `Authorization: Bearer`; a literal `bearer_token` stops Codex at "
            f"start-up){then}")


def _is_authorization(header: object) -> bool:
    return isinstance(header, str) and header.lower() == "authorization"
