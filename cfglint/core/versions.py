"""Harness versions: parsing `HARNESS@VERSION` and comparing release numbers."""

from __future__ import annotations

import functools
import re

from cfglint.core.record import Record

_VERSION = re.compile(r"^v?(\d+(?:\.\d+)*)$")


@functools.total_ordering
class Version(Record):
    """A release number; compares with other Versions or with version strings."""

    __slots__ = ("parts", "text")

    def __init__(self, parts: tuple[int, ...], text: str = "") -> None:
        self.parts = parts
        self.text = text

    @classmethod
    def parse(cls, text: str) -> "Version":
        return _parsed(cls, text)

    def __str__(self) -> str:
        return self.text or ".".join(str(p) for p in self.parts)

    def __eq__(self, other: object) -> bool:
        other = _coerce(other)
        return isinstance(other, Version) and self.parts == other.parts

    def __hash__(self) -> int:
        return hash(self.parts)

    def __lt__(self, other: object) -> bool:
        other = _coerce(other)
        if not isinstance(other, Version):
            return NotImplemented
        return self.parts < other.parts


@functools.lru_cache(maxsize=512)
def _parsed(cls: type[Version], text: str) -> Version:
    """A version is parsed once per run: the harness gates compare the same few release numbers
    for every file (30 parses a file before)."""
    match = _VERSION.match(text.strip())
    if not match:
        raise ValueError(f"invalid version {text!r} (expected digits and dots, e.g. 0.20.2)")
    parts = tuple(int(p) for p in match.group(1).split("."))
    while len(parts) > 1 and parts[-1] == 0:
        parts = parts[:-1]
    return cls(parts, match.group(1))


def _coerce(value: object) -> object:
    return Version.parse(value) if isinstance(value, str) else value


def parse_target(text: str, example: str) -> tuple[str, str]:
    """Split `<dialect>@<version>` into (dialect, version text), validating both parts; `example`
    is a valid target for the error message."""
    name, sep, version = text.partition("@")
    if not sep or not name or not version:
        raise ValueError(f"invalid --target {text!r} (expected HARNESS@VERSION, e.g. {example})")
    Version.parse(version)
    return name.strip(), version.strip()
