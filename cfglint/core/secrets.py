"""Recognise credentials so that no output ever prints one.

A value is treated as secret when its key names a credential (`api_key`,
`apiKey`, `*_TOKEN`, `Authorization`, ...). Output shows at most the first 4
characters and the length (rules.md SEC001).

`literal_credential` tells a credential written in plain text from the forms
that are not one: references to where it lives (`${X}`, `{env:X}`,
`{file:...}`) and placeholders left from a template (SEC001).

`Redactor` holds every secret of one run (credential values of its files, the
environment values it used) and is applied to the texts cfglint builds, never to
a rendered report; `cfglint.report.masking` masks source snippets from the file's
structure.
"""

from __future__ import annotations

import re

# The patterns are compiled by their first use (`re` caches them): a cache hit uses none.

# `token` but not `tokens`: `MAX_COMPLETION_TOKENS` is a count, `GITHUB_TOKEN` a credential.
_SECRET_KEY = (
    r"(?i)(api[_-]?key|apikey|secret|token(?![a-z])|password|passwd|authorization|auth[_-]?header|"
    r"credential|private[_-]?key|access[_-]?key|x-api-key|bearer|cookie)"
)


def is_secret_key(key: object) -> bool:
    return isinstance(key, str) and bool(re.search(_SECRET_KEY, key))


def redact(value: object) -> str:
    """Describe a secret without revealing it: `'sk-a…' (51 chars)`."""
    text = str(value)
    if len(text) <= 8:
        return f"<redacted, {len(text)} chars>"
    return f"'{text[:4]}…' ({len(text)} chars)"


def path_is_secret(path: tuple) -> bool:
    """True when any key on the path names a credential (e.g. `env.OPENAI_API_KEY`)."""
    return any(is_secret_key(elem) for elem in path)


# `*_API_KEY`, `*_TOKEN`, `*_SECRET`, `*_PASSWORD` (rules.md SEC001), and AWS's
# `*_SECRET_ACCESS_KEY`, which Claude Code's Bedrock setups put in `env`.
_CREDENTIAL_VARIABLE = r"(?i)(?:^|_)(?:API_KEY|TOKEN|SECRET|PASSWORD|SECRET_ACCESS_KEY)$"
_REFERENCE_TOKEN = r"\$\{[^}]*\}|\{env:[^}]*\}|\{file:[^}]*\}"
_AUTH_SCHEME = r"(?i)^(?:bearer|basic|token)(?:\s+|$)"


def is_credential_variable(name: object) -> bool:
    """An environment variable that holds a credential (`OPENAI_API_KEY`, `GITHUB_TOKEN`),
    not a count (`CLAUDE_CODE_MAX_OUTPUT_TOKENS`)."""
    return isinstance(name, str) and bool(re.search(_CREDENTIAL_VARIABLE, name))


def is_reference(value: str) -> bool:
    """The value says where the credential lives (`${X}`, `{env:X}`, `{file:...}`) rather
    than holding it."""
    return bool(re.search(_REFERENCE_TOKEN, value))


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
_WORD_SEPARATORS = r"[\s_.:/-]+"


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
    words = [word for word in re.split(_WORD_SEPARATORS, lowered) if word]
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


_PLAIN_WORD = r"[a-z]{1,15}|[A-Z]{1,15}"


def _plain_words(text: str) -> bool:
    """`claude-code`, `local-dev-key`, `sk_omniroute`, `dont-worry-it-will-be-injected`: words of
    one case and no digits, made up by hand for a keyless proxy. Keys a provider issues have
    random parts (digits, mixed case, long runs); these do not."""
    words = [word for word in re.split(_WORD_SEPARATORS, text) if word]
    return bool(words) and len(words) <= 8 and all(re.fullmatch(_PLAIN_WORD, word) for word in words)


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
    credential = re.sub(_AUTH_SCHEME, "", value.strip(), count=1)
    if is_reference(credential) or is_placeholder(credential):
        return None
    return credential


# --- one redaction per run ------------------------------------------------------------

# Shorter values are not searched in texts: `1`, `true`, `ollama` would mangle ordinary words.
MIN_SEARCHED_LENGTH = 6
# `scheme://user:PASSWORD@host`: the password is a secret wherever it appears. Each match starts
# at a `://` and stops at the next `/`, so the search is linear.
_URL_USERINFO = r"(://[^/\s@:]*:)([^/\s@]+)(@)"


def mask_userinfo(text: str, *, same_width: bool = False) -> str:
    """`text` with the password of every `scheme://user:password@host` redacted (with
    `same_width`, as `same_width_mask` does, so that columns after it do not move)."""
    if "://" not in text:
        return text
    hide = same_width_mask if same_width else redact
    return re.sub(_URL_USERINFO, lambda m: m.group(1) + hide(m.group(2)) + m.group(3), text)


def same_width_mask(token: str) -> str:
    """A secret as it was written (quotes included) replaced character for character: its
    quotes and, when it is longer than 8 characters, its first 4 kept, every other character
    `*`. Source snippets use it so that the caret of every finding on the line stays under
    its column."""
    quote = token[0] if token[:1] in ("'", '"') else ""
    closing = quote if quote and len(token) > 1 and token.endswith(quote) else ""
    content = len(token) - len(quote) - len(closing)
    shown = 4 if content > 8 else 0
    head = token[: len(quote) + shown]
    return head + "*" * (len(token) - len(head) - len(closing)) + closing


def describe_binary(value: bytes | bytearray) -> str:
    """A YAML `!!binary` value is never decoded for output."""
    return f"<binary, {len(value)} bytes>"


def describe_env(name: str, value: str) -> str:
    """An environment value shown by name and length only."""
    return f"${name} ({len(value)} chars)"


def literal_secret_texts(value: object) -> list[str]:
    """The texts under a credential key that output must never contain: the value, the
    credential without its auth scheme, an integer's digits, a binary value's every
    spelling (decoded, escaped, base64). References and placeholders reveal nothing."""
    if isinstance(value, str):
        credential = literal_credential(value)
        return [] if credential is None else list(dict.fromkeys((value, credential)))
    if isinstance(value, (bytes, bytearray)):  # (YAML's !!binary)
        import base64

        raw = bytes(value)
        return [raw.decode("utf-8", "backslashreplace"), repr(raw)[2:-1], base64.b64encode(raw).decode()]
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return [str(value)]
        except ValueError:  # past Python's digit limit: no message can print it either
            return []
    return []


def credential_values(data: object) -> dict[str, str]:
    """Every scalar stored under a credential key (at any depth), with its redacted form."""
    found: dict[str, str] = {}
    stack = [(data, False)]
    while stack:  # iterative: nesting depth is the parser's business, not a recursion limit
        node, secret = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, secret or is_secret_key(k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, secret) for v in node)
        elif secret:
            for text in literal_secret_texts(node):
                found.setdefault(text, redact(text))
    return found


class Redactor:
    """Every secret of one run (credential values of the files, values that came from the
    environment) and the text that stands for each. Applied to the texts cfglint builds
    (messages, fixes, details, explain's lines), never to a rendered report.

    Texts are searched with an Aho-Corasick automaton: one pass over the text whatever the
    number of secrets. Every character covered by some secret is masked; a run that is
    exactly one secret shows that secret's label.
    """

    def __init__(self, labels: dict[str, str]) -> None:
        self._labels = {text: label for text, label in labels.items() if len(text) >= MIN_SEARCHED_LENGTH}
        self._goto: list[dict[str, int]] = [{}]
        self._fail: list[int] = [0]
        self._longest: list[int] = [0]  # length of the longest secret ending at each state
        for text in self._labels:
            self._add(text)
        self._link()

    @classmethod
    def for_run(cls, documents: "list", env: dict[str, str] | None = None,
                origins: dict[str, str] | None = None, plain: frozenset[str] = frozenset()) -> "Redactor":
        """The redactor of a run: credential values of `documents`, the environment values
        their substitutions used (`ParseResult.env_values`), and the values of `env` that came
        from the command line (`--env`, `--env-file`) or, from the process environment, hold a
        credential; the `plain` variables (documented as plain settings) excepted."""
        return cls.from_secrets([(credential_values(doc.data), doc.parse.env_values) for doc in documents],
                                env, origins, plain)

    @classmethod
    def from_secrets(cls, secrets: "list[tuple[dict[str, str], dict[str, str]]]", env: dict[str, str] | None = None,
                     origins: dict[str, str] | None = None, plain: frozenset[str] = frozenset()) -> "Redactor":
        """`for_run` from each document's `credential_values` and `env_values`, in the run's
        order: what a worker process sends back instead of the documents."""
        labels: dict[str, str] = {}
        for credentials, _ in secrets:
            labels.update(credentials)
        used = {name: value for name, value in (env or {}).items()
                if (origins or {}).get(name) != "process environment" or is_credential_variable(name)}
        for _, env_values in secrets:
            used.update(env_values)
        for name, value in used.items():
            if name not in plain:
                labels[value] = describe_env(name, value)
        return cls(labels)

    def _add(self, text: str) -> None:
        state = 0
        for char in text:
            nxt = self._goto[state].get(char)
            if nxt is None:
                nxt = len(self._goto)
                self._goto[state][char] = nxt
                self._goto.append({})
                self._fail.append(0)
                self._longest.append(0)
            state = nxt
        self._longest[state] = len(text)

    def _link(self) -> None:
        from collections import deque

        queue = deque(self._goto[0].values())
        while queue:
            state = queue.popleft()
            for char, nxt in self._goto[state].items():
                fallback = self._fail[state]
                while fallback and char not in self._goto[fallback]:
                    fallback = self._fail[fallback]
                self._fail[nxt] = self._goto[fallback].get(char, 0)
                self._longest[nxt] = max(self._longest[nxt], self._longest[self._fail[nxt]])
                queue.append(nxt)

    def text(self, text: str) -> str:
        """`text` with every secret (and URL password) replaced by its label."""
        if self._labels and text:
            text = self._replace_secrets(text)
        return mask_userinfo(text)

    def _replace_secrets(self, text: str) -> str:
        goto, fail, longest = self._goto, self._fail, self._longest
        covered: list[tuple[int, int]] = []  # merged [start, end) runs, in text order
        state = 0
        for index, char in enumerate(text):
            while state and char not in goto[state]:
                state = fail[state]
            state = goto[state].get(char, 0)
            length = longest[state]
            if length:
                start, end = index + 1 - length, index + 1
                while covered and start < covered[-1][1]:  # overlaps (or contains) earlier runs
                    start = min(start, covered.pop()[0])
                covered.append((start, end))
        if not covered:
            return text
        pieces, cursor = [], 0
        for start, end in covered:
            secret = text[start:end]
            pieces += [text[cursor:start], self._labels.get(secret) or f"<redacted, {end - start} chars>"]
            cursor = end
        pieces.append(text[cursor:])
        return "".join(pieces)

    def value(self, value: object) -> object:
        """`text` applied to every string inside a JSON-like value (finding details); binary
        values described, never decoded."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, (bytes, bytearray)):
            return describe_binary(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        return value

    def env_value(self, name: str, value: str | None, plain: frozenset[str]) -> str | None:
        """How explain shows a variable's value: a plain setting as written (URL password
        masked), anything else by name and length."""
        if value is None or name in plain:
            return None if value is None else mask_userinfo(value)
        return describe_env(name, value)

