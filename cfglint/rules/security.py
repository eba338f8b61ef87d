"""SEC rules: credentials written into a config, and settings that expose or block them.

SEC001 and SEC004 read the places where the harness keeps a provider's credentials and base
URL (`Harness.endpoints`); SEC002 and SEC003 report the substitution tokens the harness itself
refuses (`Harness.escaping_file_references`, `Harness.refused_references`), found in the
original text because a harness that substitutes does so before parsing. No rule ever prints a
credential: a message shows at most its first 4 characters and its length (`redact`).
"""

from __future__ import annotations

from cfglint.core.document import Path, format_path, get_path
from cfglint.core.finding import Finding, Severity
from cfglint.core.secrets import literal_credential, redact
from cfglint.harnesses.base import TextNote
from cfglint.rules.base import FileRule, RuleDoc
from cfglint.rules.context import FileContext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable


def _substituted(ctx: FileContext, path: Path, spans: list[tuple[int, int]]) -> bool:
    """The value at `path` is written with a token the harness substitutes: its parsed form is
    not what the file says (it may hold an `--env` value) and the file holds no credential there."""
    location = ctx.doc.parse.locations.get(path)
    return location is not None and any(
        start < location.value_end and end > location.value_start for start, end in spans
    )


def _text_finding(ctx: FileContext, rule: type, note: TextNote) -> Finding:
    return ctx.finding(rule, (), note.message, span=ctx.doc.source.span(note.start, note.end), fix=note.fix,
                       severity=note.severity, details=note.details)


class PlaintextSecret(FileRule):
    code = "SEC001"
    name = "plaintext-secret"
    severity = Severity.ERROR
    summary = "A literal credential (API key, token, password, auth header) written in the config file."
    doc = RuleDoc(
        what=(
            "Values the harness sends as credentials, written in plain text: Kimi `api_key` of providers, "
            "services and models; Kilo and opencode `provider.*.options.apiKey`; pi `models.json` "
            "provider `apiKey` and headers (`$NAME` and `!command` values are references, not "
            "credentials); auth headers (`Authorization`, "
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
        substituted = ctx.harness.substituted_spans(ctx.doc)
        for endpoint in ctx.harness.endpoints(ctx.doc.data):
            for path in endpoint.credentials:
                value = get_path(ctx.doc.data, path)
                secret = literal_credential(value)
                if secret is None or _substituted(ctx, path, substituted):
                    continue
                key = format_path(path)
                yield ctx.finding(
                    type(self), path,
                    f"{ctx.harness.title}: `{key}` holds a plaintext credential {redact(secret)}",
                    at="value", fix=ctx.harness.secret_fix(ctx.doc, path, value, secret),
                    details={"key": key, "length": len(secret)},
                )


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
            "them; the global config (`~/.config/kilo/`) may read anywhere and is not checked. Upstream "
            "opencode reads `{file:}` anywhere: at most one info per file there, none in a global "
            "config. cfglint never reads the referenced file and prints only the path as written."
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
        for note in ctx.harness.escaping_file_references(ctx.doc):
            yield _text_finding(ctx, type(self), note)


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
        for note in ctx.harness.refused_references(ctx.doc):
            yield _text_finding(ctx, type(self), note)


# What `urlsplit` drops before it reads a scheme: leading C0 controls and spaces, then every tab
# and line break.
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_AND_BREAKS = str.maketrans("", "", "\t\r\n")


def _plain_http_host(url: Any) -> str | None:
    """The host of an `http://` URL unless it is loopback (localhost, 127.0.0.0/8, ::1)."""
    if not isinstance(url, str):
        return None
    if not url.strip().lstrip(_C0_OR_SPACE).translate(_TAB_AND_BREAKS)[:5].lower() == "http:":
        return None  # `urlsplit` gives no `http` scheme: a check of https URLs imports no `urllib.parse`
    import ipaddress
    from urllib.parse import urlsplit

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
        for endpoint in ctx.harness.endpoints(ctx.doc.data):
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
