"""All rules, by code: the one table (ruff's `codes.rs`). A code never moves or changes meaning.

The table names each rule's class as text, so reading it imports no rule module: selections
are validated on every run, including cache hits that never run a rule, and `rule_for` /
`all_rules` import a rule's module only when it is used.

Adding a rule: a class in the module of its family (code, name, severity, summary, `RuleDoc`,
`check`), a line here, its cases in `tests/rules/cases/<CODE>/`, then `make docs`.
"""

from __future__ import annotations

from cfglint.core import load_module


TYPE_CHECKING = False
if TYPE_CHECKING:
    from cfglint.rules.base import Rule


RULES: dict[str, str] = {
    "CMP001": "compaction:TriggerLeavesNoHeadroom",
    "CMP002": "compaction:AutoCompactionDisabled",
    "CMP003": "compaction:CompactionEveryStep",
    "CMP004": "compaction:SettingHasNoEffect",
    "CMP005": "compaction:RequestExceedsOutputLimit",
    "CMP006": "compaction:CompactionCannotShrink",
    "CMP007": "compaction:OutputReservationStarvesInput",
    "CMP008": "compaction:InconsistentLimits",
    "CMP009": "compaction:BuiltinModelReplaced",
    "CMP010": "compaction:FallbackModelMetadata",
    "ENV001": "environment:InvalidEnvValue",
    "REG001": "registry_limits:UnknownModel",
    "REG002": "registry_limits:OutputAboveModelLimit",
    "REG003": "registry_limits:ContextAboveModelLimit",
    "REG004": "registry_limits:InputAboveModelLimit",
    "REG005": "registry_limits:RetiredModel",
    "SCH001": "schema:InvalidValue",
    "SCH002": "schema:UnknownKey",
    "SCH003": "schema:DeprecatedKey",
    "SCH004": "schema:DanglingReference",
    "SCH005": "schema:WrongDialect",
    "SEC001": "security:PlaintextSecret",
    "SEC002": "security:FileReferenceEscape",
    "SEC003": "security:BlockedEnvReference",
    "SEC004": "security:InsecureBaseUrl",
    "SUP001": "suppression:UnusedSuppression",
    "SYN001": "syntax:InvalidSyntax",
    "SYN002": "syntax:Json5OnlySyntax",
    "SYN003": "syntax:DuplicateKey",
    "SYN004": "syntax:UnreadableFile",
}


def rule_for(code: str) -> type["Rule"]:
    """The rule class of `code` (its module is imported on first use)."""
    try:
        module, _, name = RULES[code].partition(":")
    except KeyError:
        raise KeyError(f"unknown rule code {code!r}") from None
    return getattr(load_module(f"cfglint.rules.{module}"), name)


def all_rules() -> dict[str, type["Rule"]]:
    """Every rule class by code, in code order."""
    return {code: rule_for(code) for code in sorted(RULES)}
