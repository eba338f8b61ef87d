"""ENV rules: environment values the harness reads differently from what was meant."""

from __future__ import annotations


from cfglint.rules.context import SetContext
from cfglint.core.finding import Finding, Severity
from cfglint.rules.base import BudgetRule, RuleDoc
from cfglint.rules.wording import subject

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable


class InvalidEnvValue(BudgetRule):
    code = "ENV001"
    name = "invalid-env-value"
    severity = Severity.ERROR
    summary = "An environment variable the harness will parse differently from what was meant."
    doc = RuleDoc(
        what=(
            "Parses each budget variable the way the targeted harness does: Claude Code "
            "`CLAUDE_CODE_AUTO_COMPACT_WINDOW` before 2.1.329 reads only leading digits (`500k` -> "
            "500, then clamped to 100,000); `CLAUDE_CODE_MAX_OUTPUT_TOKENS` never takes suffixes; "
            "Kimi `KIMI_MODEL_MAX_COMPLETION_TOKENS` must be an integer (a value <= 0 is the "
            "documented opt-out: info); Kilo and opencode numeric flags "
            "(`KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX`, `OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX`) must be "
            "positive integers, else ignored."
        ),
        why=(
            "The harness silently uses another number, or none: before Claude Code 2.1.329 a "
            "`CLAUDE_CODE_AUTO_COMPACT_WINDOW` of `500k` reads as 500 and is clamped to 100,000, so "
            "compaction fires at a fifth of the intended point; before 2.1.211 `1e6` read as 1 "
            "(harness-claude-code.md 2.4). A Kimi `KIMI_MODEL_MAX_COMPLETION_TOKENS` that is not an "
            "integer is ignored, so the #834 workaround silently does nothing."
        ),
        example='{\n  "env": {"CLAUDE_CODE_AUTO_COMPACT_WINDOW": "500k"}\n}',
        fix="Write the value as the harness parses it (plain digits for most variables).",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for b in ctx.budgets:
            for use in b.env:
                if not use.problem:
                    continue
                origin = use.env.origin if use.env is not None else "the environment"
                where = "" if use.env is not None and use.env.doc is not None else f" (from {origin})"
                yield ctx.source_finding(
                    type(self), use.env.source() if use.env is not None else None,
                    f"{subject(b)}: {use.name}={use.raw!r}{where}: {use.problem}",
                    fix=use.fix, severity=self.severity if use.severity is None else use.severity,
                    details={"variable": use.name, "value": use.raw, "parsed": use.parsed},
                )
