"""The rule framework: one class per code, its documentation next to its check.

A rule is a `Rule` subclass with a code, a name, a default severity and
ruff-style documentation (what it checks, why it matters, an example that
fires, the fix). Rules come in three kinds:

- parser rules (SYN*): emitted by the parsers; the class carries the docs only;
- `FileRule`: checks one parsed file (schema, deprecated keys, secrets);
- `SetRule`: checks the merge of the files a harness reads together
  (references); a `BudgetRule` reads only the budget records (registry limits,
  compaction, environment).

Adding a rule is adding one class in the module of its family and one line in
`cfglint.rules.RULES` (the code table).
"""

from __future__ import annotations


from cfglint.core.finding import Finding, Severity
from cfglint.core.record import named_tuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar, Iterable
    from cfglint.rules.context import FileContext, SetContext


@named_tuple
class RuleDoc:  # not a dataclass: decorating it cost 0.6 ms on every run that checks
    what: str
    why: str
    example: str
    fix: str
    # Whether `check --fix` can fix the finding: None (no), "safe" (`--fix`) or "unsafe" (only
    # with `--unsafe-fixes`: the fix may change what a value means). `cfglint.rules.fixes.FIXERS`
    # holds the fix itself.
    fixable: str | None = None


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    doc: ClassVar[RuleDoc]


class FileRule(Rule):
    """Checks one file that parsed; `check` yields findings, and should do each one's work
    (positions, close-match suggestions) as it yields it: the engine stops pulling once the
    file has `engine.MAX_FINDINGS_PER_FILE` findings."""

    def check(self, ctx: "FileContext") -> Iterable[Finding]:
        raise NotImplementedError


class SetRule(Rule):
    """Checks the merged configuration of the files a harness reads together."""

    def check(self, ctx: "SetContext") -> Iterable[Finding]:
        raise NotImplementedError


class BudgetRule(SetRule):
    """A set rule that reads only the resolvers' budget records (`ctx.budgets`): `explain` runs
    these on each model's record to show the findings next to the numbers."""
