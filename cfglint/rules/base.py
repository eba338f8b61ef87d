"""The rule framework: one class per code, its documentation next to its check.

A rule is a `Rule` subclass with a code, a name, a default severity and
ruff-style documentation (what it checks, why it matters, an example that
fires, the fix). Rules come in three kinds:

- parser rules (SYN*): emitted by the parsers; the class carries the docs only;
- `FileRule`: checks one parsed file (schema, deprecated keys, secrets);
- `SetRule`: checks the merge of the files a harness reads together
  (references, registry limits, budgets).

Adding a rule is adding one class in a module listed in `cfglint.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from cfglint.findings import Finding, Severity

if TYPE_CHECKING:
    from cfglint.context import FileContext, SetContext


@dataclass(frozen=True)
class RuleDoc:
    what: str
    why: str
    example: str
    fix: str


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    doc: ClassVar[RuleDoc]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "code" in cls.__dict__:
            _REGISTRY[cls.code] = cls


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


_REGISTRY: dict[str, type[Rule]] = {}


def registered() -> dict[str, type[Rule]]:
    return _REGISTRY
