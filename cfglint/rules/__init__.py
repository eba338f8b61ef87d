"""All rules, by code. The rule modules are imported on first use (`all_rules`, `rule_for`),
so paths that never run a rule (a cache hit, `--version`) do not pay for them."""

from __future__ import annotations

import importlib

from cfglint.rules import base

Rule = base.Rule

# Each module registers its rule classes when imported (`Rule.__init_subclass__`).
RULE_MODULES = ("syntax", "schema", "registry_limits", "compaction", "environment", "security")


def _load() -> None:
    for name in RULE_MODULES:
        importlib.import_module(f"cfglint.rules.{name}")


def all_rules() -> dict[str, type[base.Rule]]:
    _load()
    return dict(sorted(base.registered().items()))


def rule_for(code: str) -> type[base.Rule]:
    _load()
    try:
        return base.registered()[code]
    except KeyError:
        raise KeyError(f"unknown rule code {code!r}") from None
