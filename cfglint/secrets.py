"""Recognise credentials so that no output ever prints one.

A value is treated as secret when its key names a credential (`api_key`,
`apiKey`, `*_TOKEN`, `Authorization`, ...). Output shows at most the first 4
characters and the length (rules.md SEC001).
"""

from __future__ import annotations

import re

_SECRET_KEY = re.compile(
    r"(?i)(api[_-]?key|apikey|secret|token|password|passwd|authorization|auth[_-]?header|"
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
