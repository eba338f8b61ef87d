"""The harness units, by dialect name. Units are imported only when used."""

from __future__ import annotations

import importlib

from cfglint.harnesses.base import Harness

# dialect -> (module, attribute)
_UNITS: dict[str, tuple[str, str]] = {
    "kimi-code": ("cfglint.harnesses.kimi", "KIMI_CODE"),
    "kimi-cli": ("cfglint.harnesses.kimi", "KIMI_CLI"),
    "kilo": ("cfglint.harnesses.kilo", "KILO"),
    "claude-code": ("cfglint.harnesses.claude_code", "CLAUDE_CODE"),
    "hermes": ("cfglint.harnesses.hermes", "HERMES"),
}

DIALECTS: tuple[str, ...] = tuple(_UNITS)


def harness_for(dialect: str) -> Harness:
    try:
        module, attr = _UNITS[dialect]
    except KeyError:
        raise ValueError(
            f"unknown dialect {dialect!r} (expected one of: {', '.join(DIALECTS)})"
        ) from None
    return getattr(importlib.import_module(module), attr)


def all_harnesses() -> list[Harness]:
    return [harness_for(d) for d in DIALECTS]
