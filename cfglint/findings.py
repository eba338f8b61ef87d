"""Findings: what cfglint reports, with exact positions and the numbers behind them."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from typing import Any

from cfglint.source import Span


class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected error, warning or info)"
            ) from None


@dataclass(slots=True)
class Finding:
    path: str
    span: Span
    code: str
    severity: Severity
    message: str
    fix: str | None = None
    dialect: str | None = None
    harness_version: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        from cfglint.rules import rule_for

        return rule_for(self.code).name

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code, self.message)

    def scrubbed(self, secrets: set[str]) -> "Finding":
        """This finding with every known secret value redacted from its texts, before any
        reporter escapes them (an escaped secret would no longer match)."""
        if not secrets:
            return self
        from dataclasses import replace

        from cfglint.secrets import scrub, scrub_value

        return replace(self, message=scrub(self.message, secrets),
                       fix=scrub(self.fix, secrets) if self.fix else self.fix,
                       details=scrub_value(self.details, secrets))

    def printable(self) -> "Finding":
        """This finding made safe for every output: one line of text (control characters from
        keys and values escaped), details that JSON can write (YAML dates, bytes and sets
        become strings or sorted lists)."""
        from dataclasses import replace

        return replace(self, message=one_line(self.message),
                       fix=one_line(self.fix) if self.fix else self.fix,
                       details=json_safe(self.details))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        """The inverse of `as_dict` (the result cache stores findings this way)."""
        return cls(
            path=data["path"],
            span=Span(data["line"], data["column"], data["end_line"], data["end_column"]),
            code=data["code"],
            severity=Severity.parse(data["severity"]),
            message=data["message"],
            fix=data["fix"],
            dialect=data["dialect"],
            harness_version=data["harness_version"],
            details=data["details"],
        )

    def as_dict(self) -> dict[str, Any]:
        """The json output form (product.md "Outputs"), keys in a stable order."""
        return {
            "path": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
            "fix": self.fix,
            "dialect": self.dialect,
            "harness_version": self.harness_version,
            "details": self.details,
        }


_CONTROL = {i: f"\\x{i:02x}" for i in range(32)} | {10: "\\n", 13: "\\r", 9: "\\t", 0x7F: "\\x7f",
                                                    0x2028: "\\u2028", 0x2029: "\\u2029"}


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters escaped, and lone surrogates
    (from a `\\ud800` escape in a config) written as escapes, so it prints as one UTF-8 line."""
    text = text.translate(_CONTROL)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def json_safe(value: Any) -> Any:
    """`value` with everything JSON cannot hold turned into strings (keys) or plain values."""
    if isinstance(value, dict):
        return {k if isinstance(k, str) else str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((json_safe(v) for v in value), key=str)
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no inf/nan
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)
