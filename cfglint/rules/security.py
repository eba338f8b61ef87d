"""SEC rules: credentials written into a config, and settings that expose or block them.

SEC001 and SEC004 read the places where each harness keeps a provider's
credentials and base URL (`_endpoints`); SEC002 and SEC003 read Kilo's
`{file:}` / `{env:}` tokens in the original text, since Kilo substitutes them
before parsing (harness-kilo.md 2.4). No rule ever prints a credential: a
message shows at most its first 4 characters and its length (`redact`).
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit

from cfglint.context import FileContext
from cfglint.document import Path, format_path, get_path
from cfglint.findings import Finding, Severity
from cfglint.parsing.kilo_substitution import Reference
from cfglint.paths import project_root
from cfglint.rules.base import FileRule, RuleDoc
from cfglint.secrets import is_credential_variable, is_reference, is_secret_key, literal_credential, redact


@dataclass(frozen=True)
class _Endpoint:
    """One place a harness sends requests to: the settings that authenticate them
    (`credentials`), the base URLs they go to, and whether a credential is attached."""

    label: str
    credentials: tuple[Path, ...]
    base_urls: tuple[Path, ...]
    sends_key: bool


def _entries(data: Any, key: str) -> Iterator[tuple[str, dict]]:
    """The `name -> table` entries of an open map such as `providers` (names are strings in
    every harness; YAML could spell others, which no harness reads as a provider)."""
    table = data.get(key) if isinstance(data, dict) else None
    if isinstance(table, dict):
        for name, value in table.items():
            if isinstance(name, str) and isinstance(value, dict):
                yield name, value


def _keys(mapping: Any, path: Path, wanted: Callable[[object], bool]) -> tuple[Path, ...]:
    """Paths of the keys of `mapping` (at `path`) that `wanted` accepts."""
    if not isinstance(mapping, dict):
        return ()
    return tuple(path + (key,) for key in mapping if wanted(key))


def _sends_credential(data: Any, paths: Iterable[Path]) -> bool:
    """Some credential setting holds a real credential: a literal or a reference to one, not a
    placeholder such as `ollama` or `local` (which a keyless local server is given)."""
    return any(isinstance(v, str) and (is_reference(v) or literal_credential(v) is not None)
               for v in (get_path(data, p) for p in paths))


def _has_value(data: Any, paths: Iterable[Path]) -> bool:
    """Some credential setting is non-empty (a literal, a reference or a placeholder)."""
    return any(isinstance(v, str) and v.strip() for v in (get_path(data, p) for p in paths))


def _kimi_endpoints(data: Any) -> Iterator[_Endpoint]:
    """Kimi `[providers.x]` and `[services.x]` (`api_key`, `custom_headers`, the `env`
    fallbacks), and `[models.x]` with their own `api_key` / `base_url`."""
    provider_sends: dict[str, bool] = {}
    for kind, table in (("provider", "providers"), ("service", "services")):
        for name, entry in _entries(data, table):
            path = (table, name)
            env = entry.get("env")
            credentials = (
                path + ("api_key",),
                *_keys(entry.get("custom_headers"), path + ("custom_headers",), is_secret_key),
                *_keys(env, path + ("env",), is_credential_variable),
            )
            urls: tuple[Path, ...] = (path + ("base_url",),)
            if not _has_value(data, urls):  # the `env` fallbacks count only when `base_url` is unset
                urls += _keys(env, path + ("env",), lambda k: isinstance(k, str) and k.upper().endswith("_BASE_URL"))
            sends = _sends_credential(data, credentials) or isinstance(entry.get("oauth"), dict)
            if table == "providers":
                provider_sends[name] = sends
            yield _Endpoint(f"{kind} `{name}`", credentials, urls, sends)
    for alias, model in _entries(data, "models"):
        path = ("models", alias)
        credentials = (path + ("api_key",),)
        sends = (_sends_credential(data, credentials) or isinstance(model.get("oauth"), dict)
                 or provider_sends.get(str(model.get("provider")), False))
        yield _Endpoint(f"model `{alias}`", credentials, (path + ("base_url",),), sends)


def _kilo_endpoints(data: Any) -> Iterator[_Endpoint]:
    """Kilo `provider.<id>`: `options.apiKey`, auth headers, `env` (variables that hold
    the key); base URLs `options.baseURL`, `api` and each model's `provider.api`."""
    for pid, provider in _entries(data, "provider"):
        path = ("provider", pid)
        options = provider.get("options")
        credentials = [path + ("options", "apiKey")]
        if isinstance(options, dict):
            credentials += _keys(options.get("headers"), path + ("options", "headers"), is_secret_key)
        urls = [path + ("options", "baseURL"), path + ("api",)]
        for mid, model in _entries(provider, "models"):
            credentials += _keys(model.get("headers"), path + ("models", mid, "headers"), is_secret_key)
            urls.append(path + ("models", mid, "provider", "api"))
        env = provider.get("env")
        sends = _sends_credential(data, credentials) or (isinstance(env, list) and bool(env))
        yield _Endpoint(f"provider `{pid}`", tuple(credentials), tuple(urls), sends)


def _claude_endpoints(data: Any) -> Iterator[_Endpoint]:
    """Claude Code's `env` block; the API key or auth token goes to `ANTHROPIC_BASE_URL`
    whenever that is set."""
    env = data.get("env") if isinstance(data, dict) else None
    yield _Endpoint("Claude Code", _keys(env, ("env",), is_credential_variable),
                    (("env", "ANTHROPIC_BASE_URL"),), True)


def _hermes_endpoints(data: Any) -> Iterator[_Endpoint]:
    """Hermes `model`, `auxiliary.<task>` and `custom_providers[]`, each with `api_key`
    and `base_url`."""
    blocks: list[tuple[str, Path, Any]] = [("`model`", ("model",), data.get("model"))]
    blocks += [(f"`auxiliary.{task}`", ("auxiliary", task), block) for task, block in _entries(data, "auxiliary")]
    custom = data.get("custom_providers")
    if isinstance(custom, list):
        for index, entry in enumerate(custom):
            name = entry.get("name") if isinstance(entry, dict) else None
            label = f"custom provider `{name}`" if isinstance(name, str) else f"`custom_providers[{index}]`"
            blocks.append((label, ("custom_providers", index), entry))
    for label, path, block in blocks:
        if isinstance(block, dict):
            credentials = (path + ("api_key",),)
            yield _Endpoint(label, credentials, (path + ("base_url",),), _sends_credential(data, credentials))


_ENDPOINTS: dict[str, Callable[[Any], Iterator[_Endpoint]]] = {
    "kimi-code": _kimi_endpoints,
    "kimi-cli": _kimi_endpoints,
    "kilo": _kilo_endpoints,
    "claude-code": _claude_endpoints,
    "hermes": _hermes_endpoints,
}


def _endpoints(ctx: FileContext) -> Iterator[_Endpoint]:
    return _ENDPOINTS[ctx.harness.dialect](ctx.doc.data)


def _active_references(ctx: FileContext) -> list[Reference]:
    """Kilo tokens Kilo substitutes in this file (`Kilo.substituted_references`); none in other dialects."""
    if ctx.harness.dialect != "kilo":
        return []
    return ctx.harness.substituted_references(ctx.doc)


def _substituted(ctx: FileContext, path: Path, references: list[Reference]) -> bool:
    """The value at `path` is written with a Kilo token: its parsed form is not what the
    file says (it may hold an `--env` value) and the file holds no credential there."""
    location = ctx.doc.parse.locations.get(path)
    return location is not None and any(
        ref.start < location.value_end and ref.end > location.value_start for ref in references
    )


def _env_name(path: Path) -> str:
    """A variable name for a Kilo `{env:}` suggestion, from the provider id."""
    return re.sub(r"[^A-Za-z0-9]+", "_", str(path[1])).strip("_").upper() + "_API_KEY"


def _secret_fix(ctx: FileContext, path: Path, value: str, secret: str) -> str:
    """Where the credential should live instead, in the harness's own terms."""
    dialect = ctx.harness.dialect
    if dialect == "kilo":
        scheme = value.strip()[: len(value.strip()) - len(secret)]
        var = _env_name(path)
        if ctx.harness.is_global_config(ctx.doc):
            return (f"write `\"{scheme}{{env:{var}}}\"` and export {var} where Kilo starts; Kilo substitutes it when "
                    "it loads the file")
        return ("move it out of this project file: Kilo refuses a project config that contains `{env:...}`, so "
                f"store the key with `kilo auth login`, or set `\"{scheme}{{env:{var}}}\"` for provider "
                f"`{path[1]}` in the global config `~/.config/kilo/kilo.jsonc` and export {var}")
    if dialect == "kimi-code":
        return ("move it out of the file: Kimi Code substitutes no variables and `[providers.x.env]` is just as "
                "plaintext; sign in with OAuth (`/login`, `oauth.storage = \"keyring\"`) or use the shell-only "
                "env model (`KIMI_MODEL_NAME` + `KIMI_MODEL_API_KEY`), and keep config.toml private (not in git)")
    if dialect == "kimi-cli":
        return ("move it out of the file: kimi-cli reads `KIMI_API_KEY` (`kimi` providers) and `OPENAI_API_KEY` "
                "(`openai_*` providers) from the shell, so export it there and set `api_key = \"\"`, or use "
                "`oauth` with `storage = \"keyring\"`; `[providers.x.env]` is just as plaintext")
    if dialect == "claude-code":
        return ("remove it from `env` (settings files are shared and often committed): export it in the shell "
                "that starts Claude Code, or set `apiKeyHelper` to a command that prints it from a secret store")
    return ("move it to Hermes's secrets file `~/.hermes/.env` (`$HERMES_HOME/.env`) and delete it from "
            "config.yaml")


class PlaintextSecret(FileRule):
    code = "SEC001"
    name = "plaintext-secret"
    severity = Severity.ERROR
    summary = "A literal credential (API key, token, password, auth header) written in the config file."
    doc = RuleDoc(
        what=(
            "Values the harness sends as credentials, written in plain text: Kimi `api_key` of providers, "
            "services and models; Kilo `provider.*.options.apiKey`; auth headers (`Authorization`, "
            "`x-api-key`, ...) in Kimi `custom_headers` and Kilo `headers` maps; Hermes `api_key` in "
            "`model`, `auxiliary.*` and `custom_providers[]`; `*_API_KEY`, `*_TOKEN`, `*_SECRET` and "
            "`*_PASSWORD` variables in Claude Code's `env` and Kimi's `[providers.x.env]`. References "
            "(`${X}`, `{env:X}`, `{file:...}`) and placeholders (empty, `<...>`, `YOUR_...`, `xxx...`, "
            "`changeme`, dummy words only such as `ollama`, `lm-studio`, `dummy`, `proxy-auth`, "
            "`REPLACED_BY_ENV_VAR`, a few words of one case without digits such as `local-dev-key`, a "
            "short prefix then only `x`s such as `sk-cp-xxxx`, an `sk-` value "
            "shorter than 20 characters, one repeated character) are not credentials. Note that only Kilo substitutes references: Kimi, Claude Code and Hermes send "
            "`${X}` as written. The message shows at most the first 4 characters and the length."
        ),
        why=(
            "Config files are committed, shared in bug reports and synced between machines; a key in "
            "one is leaked with it and keeps working until someone notices and revokes it."
        ),
        example='[providers.zhipu]\ntype = "openai"\nbase_url = "https://open.bigmodel.cn/api/paas/v4"\n'
                'api_key = "sk-live-0123456789abcdefghij"',
        fix=(
            "Keep the credential out of the file, where the harness can still read it: Kilo "
            '`kilo auth login`, or `"apiKey": "{env:ZHIPU_API_KEY}"` in the global config (a project config '
            "may not contain `{env:}`); Claude Code the shell environment or `apiKeyHelper`; "
            "Hermes `~/.hermes/.env`; Kimi OAuth (keyring) or the shell variables it reads (kimi-cli "
            "`KIMI_API_KEY` / `OPENAI_API_KEY`). Then revoke the key that was in the file."
        ),
    )

    def check(self, ctx: FileContext) -> Iterable[Finding]:
        references = _active_references(ctx)
        for endpoint in _endpoints(ctx):
            for path in endpoint.credentials:
                value = get_path(ctx.doc.data, path)
                secret = literal_credential(value)
                if secret is None or _substituted(ctx, path, references):
                    continue
                key = format_path(path)
                yield ctx.finding(
                    type(self), path,
                    f"{ctx.harness.title}: `{key}` holds a plaintext credential {redact(secret)}",
                    at="value", fix=_secret_fix(ctx, path, value, secret),
                    details={"key": key, "length": len(secret)},
                )


def _is_absolute(name: str) -> bool:
    """Absolute on POSIX or Windows, or `~/` (Kilo expands it to the home directory)."""
    return name.startswith(("/", "~/", "\\\\")) or bool(re.match(r"[A-Za-z]:[\\/]", name))


def _inside(root: str, target: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


class FileReferenceEscape(FileRule):
    code = "SEC002"
    name = "file-reference-escape"
    severity = Severity.WARNING
    summary = "A Kilo `{file:...}` reference that is absolute or leaves the project root."
    doc = RuleDoc(
        what=(
            "Kilo `{file:path}` tokens in a project config whose path is absolute (including `~/`) or, "
            "resolved against the config file's directory, leaves the project root (the worktree root, "
            "else the directory the config belongs to). Tokens on `//` lines are ignored, as Kilo ignores "
            "them; the global config (`~/.config/kilo/`) may read anywhere and is not checked. cfglint "
            "never reads the referenced file and prints only the path as written."
        ),
        why=(
            "Kilo treats project config as untrusted and refuses `{file:}` outside the project root, so "
            "the value the reference was meant to supply (often an API key or a prompt) is missing. The "
            "restriction exists because a cloned repository could otherwise read `~/.ssh/...` or "
            "`../../secrets` into a prompt or a header and send local files to a model provider."
        ),
        example='{\n  "provider": {\n    "zhipu": {"options": {"apiKey": "{file:~/.secrets/zhipu}"}}\n  }\n}',
        fix=(
            "Reference a file inside the project with a relative path (`{file:./prompts/review.md}`), or "
            "put the `{file:}` reference in the global config `~/.config/kilo/kilo.jsonc` (a project config "
            "may not use `{env:VAR}` either: Kilo refuses it)."
        ),
    )

    def check(self, ctx: FileContext) -> Iterable[Finding]:
        if ctx.harness.dialect != "kilo" or ctx.harness.is_global_config(ctx.doc):
            return
        if any(refusal.severity == Severity.ERROR for refusal in ctx.harness.refused_references(ctx.doc)):
            return  # Kilo refuses the file for its `{env:}` first (SEC003): one cause, one finding
        root = project_root(ctx.harness.layer_group(ctx.doc))
        base = os.path.dirname(ctx.doc.path)
        for ref in _active_references(ctx):
            if ref.kind != "file":
                continue
            if _is_absolute(ref.name):
                problem = "reads an absolute path"
            elif not _inside(root, os.path.normpath(os.path.join(base, ref.name))):
                problem = "resolves outside the project root"
            else:
                continue
            yield ctx.finding(
                type(self), (),
                f"Kilo: `{{file:{ref.name}}}` {problem}; Kilo refuses `{{file:}}` outside the project root "
                "in project config",
                span=ctx.doc.source.span(ref.start, ref.end),
                fix="reference a file inside the project by a relative path, or move the reference to the "
                    "global config `~/.config/kilo/kilo.jsonc`",
                details={"reference": ref.name, "project_root": root},
            )


class BlockedEnvReference(FileRule):
    code = "SEC003"
    name = "blocked-env-reference"
    severity = Severity.ERROR
    summary = "A Kilo `{env:}` reference Kilo refuses: a blocked variable, or any `{env:}` in a project config."
    doc = RuleDoc(
        what=(
            "Kilo 7.7.9 `config/variable.ts`: in any config, `{env:}` naming a blocked variable "
            "(`KILO_SERVER_PASSWORD`, `KILO_SERVER_USERNAME`, `KILO_BROWSER_BROKER_URL`, "
            "`KILO_BROWSER_BROKER_TOKEN`, any case) except on `//` lines; in a project config (not the "
            "global `~/.config/kilo/`), any `{env:}` left in a key or value (error), and MCP servers "
            "whose header names or values hold `{env:}` or `{file:}` (warning: Kilo skips the server)."
        ),
        why=(
            "Kilo treats project config as untrusted: a cloned repository must not copy your "
            "environment (API keys) into requests. It stops with \"environment references are not "
            "allowed in project config\" (or \"blocked environment reference\") and the file is not "
            "loaded, so every setting in it is lost."
        ),
        example='{\n  "provider": {\n    "local": {"options": {"apiKey": "{env:KILO_SERVER_PASSWORD}"}}\n  }\n}',
        fix=(
            "Give a blocked value its own variable (`{env:LOCAL_API_KEY}`) in the global config; move "
            "`{env:}` settings and MCP headers of a project config to `~/.config/kilo/kilo.jsonc`."
        ),
    )

    def check(self, ctx: FileContext) -> Iterable[Finding]:
        if ctx.harness.dialect != "kilo":
            return
        for refused in ctx.harness.refused_references(ctx.doc):
            ref = refused.reference
            yield ctx.finding(type(self), (), refused.message, span=ctx.doc.source.span(ref.start, ref.end),
                              fix=refused.fix, severity=refused.severity, details=refused.details)


def _plain_http_host(url: Any) -> str | None:
    """The host of an `http://` URL unless it is loopback (localhost, 127.0.0.0/8, ::1)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() != "http" or not host:
        return None
    host = host.rstrip(".")
    if host == "localhost":
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    mapped = getattr(address, "ipv4_mapped", None)
    return None if address.is_loopback or (mapped is not None and mapped.is_loopback) else host


class InsecureBaseUrl(FileRule):
    code = "SEC004"
    name = "insecure-base-url"
    severity = Severity.WARNING
    summary = "An `http://` base URL to a non-loopback host on a provider that sends an API key."
    doc = RuleDoc(
        what=(
            "Plain `http://` base URLs to any host but loopback (localhost, 127.0.0.0/8, ::1; private "
            "ranges such as 10.x and 192.168.x are reported) on a provider that sends a credential: Kimi "
            "`providers.*.base_url` (or, when it is unset, the `*_BASE_URL` fallbacks of its `env`), "
            "services and models; "
            "Kilo `provider.*.options.baseURL`, `provider.*.api` and a model's `provider.api`; Claude "
            "Code `env.ANTHROPIC_BASE_URL` (the key is sent whenever it is set); Hermes "
            "`model.base_url`, `auxiliary.*.base_url` and `custom_providers[].base_url`. A provider sends "
            "a credential when it has an API key (literal or reference; a placeholder such as `ollama` "
            "or `local` that a keyless local server is given is none, as for SEC001), a credential "
            "header or `env` entry, or OAuth."
        ),
        why=(
            "The API key travels in a request header on every call; over plain http anyone on the path "
            "(shared Wi-Fi, a proxy, another host on the LAN) can read it, along with the prompts and "
            "the code sent with them."
        ),
        example='{\n  "env": {\n    "ANTHROPIC_BASE_URL": "http://gateway.example.com:8080"\n  }\n}',
        fix="Use `https://`; keep plain `http://` for a server on the same machine (localhost).",
    )

    def check(self, ctx: FileContext) -> Iterable[Finding]:
        for endpoint in _endpoints(ctx):
            if not endpoint.sends_key:
                continue
            for path in endpoint.base_urls:
                host = _plain_http_host(get_path(ctx.doc.data, path))
                if host is None:
                    continue
                yield ctx.finding(
                    type(self), path,
                    f"{ctx.harness.title}: `{format_path(path)}` is plain http to {host}, not a loopback "
                    f"address, and {endpoint.label} sends its API key there unencrypted",
                    at="value", fix="use `https://` (plain `http://` is safe only to localhost, 127.0.0.0/8 or ::1)",
                    details={"host": host},
                )
