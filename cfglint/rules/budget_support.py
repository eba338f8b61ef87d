"""Shared wording and severity logic for the rules that read budget records."""

from __future__ import annotations

from typing import Any

from typing import TYPE_CHECKING, Iterable

from cfglint.budget import REGISTRY, SETTING, Budget, Quantity
from cfglint.findings import Finding, Severity

if TYPE_CHECKING:
    from cfglint.context import SetContext
    from cfglint.rules.base import Rule


def tokens(value: Any) -> str:
    """`131,072` for token counts; other numbers as written."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def subject(budget: Budget) -> str:
    """`Kimi Code 2.1.0, model `zhipu/glm-5.2`` — every message names harness, version and model."""
    return f"{budget.harness} {budget.version}, model `{budget.model}`"


def downgraded(severity: Severity, budget: Budget, *numbers: Quantity | None) -> Severity:
    """Registry numbers from an approximate match (gateway fallback, bare model id) make at
    most a warning (rules.md, REG section)."""
    uses_registry = any(q is not None and q.source.kind == REGISTRY for q in numbers)
    if uses_registry and budget.registry is not None and not budget.registry.authoritative:
        return min(severity, Severity.WARNING)
    return severity


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
