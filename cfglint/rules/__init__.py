"""All rules, by code. Importing this package registers every rule module."""

from __future__ import annotations

from cfglint.rules import base
from cfglint.rules import compaction, environment, registry_limits, schema, security, syntax  # noqa: F401  (registration)

Rule = base.Rule


def all_rules() -> dict[str, type[base.Rule]]:
    return dict(sorted(base.registered().items()))


def rule_for(code: str) -> type[base.Rule]:
    try:
        return base.registered()[code]
    except KeyError:
        raise KeyError(f"unknown rule code {code!r}") from None
