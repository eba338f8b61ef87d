"""Recognise credentials so that no output ever prints one.

A value is treated as secret when its key names a credential (`api_key`,
`apiKey`, `*_TOKEN`, `Authorization`, ...). Output shows at most the first 4
characters and the length (rules.md SEC001).

`literal_credential` tells a credential written in plain text from the forms
that are not one: references to where it lives (`${X}`, `{env:X}`,
`{file:...}`) and placeholders left from a template (SEC001).
"""

from __future__ import annotations

import re

# `token` but not `tokens`: `MAX_COMPLETION_TOKENS` is a count, `GITHUB_TOKEN` a credential.
_SECRET_KEY = re.compile(
    r"(?i)(api[_-]?key|apikey|secret|token(?![a-z])|password|passwd|authorization|auth[_-]?header|"
    r"credential|private[_-]?key|access[_-]?key|x-api-key|bearer|cookie)"
)


def is_secret_key(key: object) -> bool:
    return isinstance(key, str) and bool(_SECRET_KEY.search(key))


def redact(value: object) -> str:
    """Describe a secret without revealing it: `'sk-a…' (51 chars)`."""
    text = str(value)
    if len(text) <= 8:
        return f"<redacted, {len(text)} chars>"
    return f"'{text[:4]}…' ({len(text)} chars)"


def path_is_secret(path: tuple) -> bool:
    """True when any key on the path names a credential (e.g. `env.OPENAI_API_KEY`)."""
    return any(is_secret_key(elem) for elem in path)


_ASSIGNMENT = re.compile(
    r"""(?P<key>["']?[A-Za-z0-9_.$-]*["']?)(?P<sep>\s*[:=]\s*)"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s,}\]#]+))"""
)


def mask_line(line: str) -> str:
    """A source line with every credential value replaced by its redacted form."""

    def replace(match: re.Match[str]) -> str:
        key = match.group("key").strip("\"'")
        value = next(v for v in (match.group("dq"), match.group("sq"), match.group("bare")) if v is not None)
        if not is_secret_key(key) or not value or value.startswith(("${", "{env:", "{file:")):
            return match.group(0)
        return f"{match.group('key')}{match.group('sep')}{redact(value)}"

    return _ASSIGNMENT.sub(replace, line)


_REFERENCE = re.compile(r"^\s*(\$\{[^}]*\}|\{env:[^}]*\}|\{file:[^}]*\})\s*$")


def collect_secrets(data: object, path: tuple = ()) -> set[str]:
    """Every string stored under a credential key, for scrubbing output.

    References (`${X}`, `{env:X}`, `{file:...}`), placeholders (`ollama`, `dummy`, ...)
    and short values are left out: they reveal nothing, and scrubbing them would mangle
    ordinary text (a provider named `ollama` in a message).
    """
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            found |= collect_secrets(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found |= collect_secrets(value, path + (index,))
    elif (isinstance(data, str) and len(data) >= 6 and path_is_secret(path) and not _REFERENCE.match(data)
          and not data.strip().isdigit() and not is_placeholder(data)):
        found.add(data)
    return found


def scrub(text: str, secrets: set[str]) -> str:
    """Replace every occurrence of a known secret (longest first) by its redacted form."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, redact(secret))
    return text


# `*_API_KEY`, `*_TOKEN`, `*_SECRET`, `*_PASSWORD` (rules.md SEC001), and AWS's
# `*_SECRET_ACCESS_KEY`, which Claude Code's Bedrock setups put in `env`.
_CREDENTIAL_VARIABLE = re.compile(r"(?i)(?:^|_)(?:API_KEY|TOKEN|SECRET|PASSWORD|SECRET_ACCESS_KEY)$")
_REFERENCE_TOKEN = re.compile(r"\$\{[^}]*\}|\{env:[^}]*\}|\{file:[^}]*\}")
_AUTH_SCHEME = re.compile(r"(?i)^(?:bearer|basic|token)(?:\s+|$)")


def is_credential_variable(name: object) -> bool:
    """An environment variable that holds a credential (`OPENAI_API_KEY`, `GITHUB_TOKEN`),
    not a count (`CLAUDE_CODE_MAX_OUTPUT_TOKENS`)."""
    return isinstance(name, str) and bool(_CREDENTIAL_VARIABLE.search(name))


def is_reference(value: str) -> bool:
    """The value says where the credential lives (`${X}`, `{env:X}`, `{file:...}`) rather
    than holding it."""
    return bool(_REFERENCE_TOKEN.search(value))


# Words that make up the dummy keys people give local servers and templates: `ollama`,
# `lm-studio`, `dummy`, `local`, `none`, `proxy-auth`, `sk_live_dummy`, `REPLACED_BY_ENV_VAR`,
# `your-api-key-here`, `not-needed`, `sk-no-key-required`, ... A value made only of such
# words (split at `-`, `_`, `.`, spaces) holds no credential; a real key has random parts.
_PLACEHOLDER_WORDS = frozenset("""
    a an any anything api apikey auth bearer by change changeme default demo dummy empty env example fake
    for goes here i in insert is key lm lmstudio llama llamacpp litellm live local localhost me my mock
    na needed nil no none not null ollama optional password pk placeholder proxy put redacted replace
    replaced required sample secret set sk studio test testing todo token unused value var vllm x your
""".split())
_WORD_SEPARATORS = re.compile(r"[\s_.:/-]+")


def is_placeholder(value: str) -> bool:
    """A template or dummy value nobody would use as a key: empty, `<...>`, `YOUR_...`,
    `changeme`, a value of dummy words only (`ollama`, `lm-studio`, `proxy-auth`,
    `REPLACED_BY_ENV_VAR`, `your-api-key-here`), a short prefix followed by nothing but `x`s
    (`sk-xxxx`, `ark-xxxxxxxx-xxxx`), `sk-...` shorter than 20 characters, or one repeated
    character.
    """
    text = value.strip()
    if text.lower().startswith("sk-"):
        if len(text) < 20:
            return True
        text = text[3:]
    lowered = text.lower()
    words = [word for word in _WORD_SEPARATORS.split(lowered) if word]
    return (
        not text
        or (text.startswith("<") and text.endswith(">"))
        or lowered.startswith(("your_", "your-"))
        or lowered.startswith("xxx")
        or re.sub(r"[\s_-]", "", lowered) == "changeme"
        or len(set(text)) == 1
        or all(word in _PLACEHOLDER_WORDS for word in words)
        or _masked_after_prefix(words)
        or _plain_words(text)
    )


_PLAIN_WORD = re.compile(r"[a-z]{1,15}|[A-Z]{1,15}")


def _plain_words(text: str) -> bool:
    """`claude-code`, `local-dev-key`, `sk_omniroute`, `dont-worry-it-will-be-injected`: words of
    one case and no digits, made up by hand for a keyless proxy. Keys a provider issues have
    random parts (digits, mixed case, long runs); these do not."""
    words = [word for word in _WORD_SEPARATORS.split(text) if word]
    return bool(words) and len(words) <= 8 and all(_PLAIN_WORD.fullmatch(word) for word in words)


def _masked_after_prefix(words: list[str]) -> bool:
    """`app-xxxxxxxx`, `ark-xxxxxxxx-xxxx-xxxx`, `cp-xxxx-xxxx`: up to two short words, then only
    runs of `x` (documentation placeholders, and keys redacted by hand)."""
    masked = [i for i, word in enumerate(words) if set(word) == {"x"}]
    return bool(masked) and masked[0] <= 2 and all(set(w) == {"x"} for w in words[masked[0]:]) \
        and all(len(w) <= 5 for w in words[:masked[0]])


def literal_credential(value: object) -> str | None:
    """The credential a value holds in plain text, else None.

    An HTTP auth scheme (`Bearer `, `Basic `, `Token `) is not part of the
    credential: `"Bearer {env:TOKEN}"` is a reference and `"Bearer "` a placeholder.
    """
    if not isinstance(value, str):
        return None
    credential = _AUTH_SCHEME.sub("", value.strip(), count=1)
    if is_reference(credential) or is_placeholder(credential):
        return None
    return credential


def scrub_value(value: object, secrets: set[str]) -> object:
    """`scrub` applied to every string inside a JSON-like value (finding details)."""
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, dict):
        return {k: scrub_value(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_value(v, secrets) for v in value]
    return value
