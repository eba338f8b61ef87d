"""Shared wording and severity logic for the rules that read budget records."""

from __future__ import annotations


from cfglint.harnesses.budget import REGISTRY, SETTING, Budget, Quantity
from cfglint.core.finding import Finding, Severity
from cfglint.core.numbers import tokens

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable
    from cfglint.rules.context import SetContext
    from cfglint.rules.base import Rule


def subject(budget: Budget) -> str:
    """`Kimi Code 2.1.0, model `zhipu/glm-5.2`` — every message names harness, version and model."""
    return f"{budget.harness} {budget.version}, model `{budget.model}`"


def downgraded(severity: Severity, budget: Budget, *numbers: Quantity | None) -> Severity:
    """Registry numbers from an approximate match (gateway fallback, bare model id) make at
    most a warning (rules.md, REG section)."""
    uses_registry = any(q is not None and q.source.kind == REGISTRY for q in numbers)
    if uses_registry and budget.registry_match is not None and not budget.registry_match.authoritative:
        return min(severity, Severity.WARNING)
    return severity


def host_cap(budget: Budget, q: Quantity | None) -> Quantity | None:
    """An output or input limit a rule may compare with, or None. A bare model-id match gives
    other hosts' caps, and each host sets its own (aihubmix caps a Doubao id at 128,000; Ark,
    its maker's host, is not in the registry), so they say nothing about this endpoint. A
    context is the model's own and stays."""
    if q is not None and q.source.kind == REGISTRY and budget.registry_match is not None \
            and budget.registry_match.kind == "model-only":
        return None
    return q


def rejection(budget: Budget, limit: Quantity, verb: str) -> str:
    """What the provider does above LIMIT: certain only when it is the serving provider's own
    number; a vendor's entry used for an unlisted gateway model only says what a host with
    that limit does."""
    if limit.source.kind != REGISTRY or budget.registry_match is None or budget.registry_match.authoritative:
        return f"the provider {verb}"
    return (f"a provider keeping that limit {verb} ({budget.registry_match.entry} is the model vendor's entry, "
            "not the serving provider's own)")


def explained(q: Quantity) -> str:
    """`950,000 (1,000,000 − 50,000)` or `131,072 (setting `max_output_size`)`."""
    if q.formula:
        return f"{tokens(q.value)} ({q.formula})"
    return f"{tokens(q.value)} ({q.source.describe()})"


def numbers(**quantities: Quantity | None) -> dict[str, Any]:
    """`details` for json output: every number with its provenance."""
    return {name: q.as_dict() for name, q in quantities.items() if q is not None}


def written(q: Quantity | None) -> bool:
    return q is not None and q.source.kind == SETTING


def effect_findings(ctx: "SetContext", rule: type["Rule"]) -> Iterable[Finding]:
    """Findings for the `Effect`s a resolver recorded under this rule's code (CMP004, REG005)."""
    for b in ctx.budgets:
        for effect in b.effects:
            if effect.code == rule.code:
                yield ctx.source_finding(
                    rule, effect.source, f"{subject(b)}: {effect.message}",
                    fallback=b.model_source, fix=effect.fix,
                    severity=rule.severity if effect.severity is None else effect.severity,
                    details=effect.details,
                )
