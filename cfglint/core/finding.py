"""Findings: what cfglint reports, with exact positions and the numbers behind them."""

from __future__ import annotations

import enum
import math

from cfglint.core.record import Record
from cfglint.core.text import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any
    from cfglint.core.secrets import Redactor


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


class Finding(Record):
    __slots__ = ("path", "span", "code", "name", "severity", "message", "fix", "dialect", "harness_version",
                 "details", "fix_applicability")

    def __init__(self, path: str, span: Span, code: str, name: str, severity: Severity, message: str,
                 fix: str | None = None, dialect: str | None = None, harness_version: str | None = None,
                 details: dict[str, Any] | None = None, fix_applicability: str | None = None) -> None:
        self.path, self.span, self.code, self.severity, self.message = path, span, code, severity, message
        self.name = name  # the rule's name (`trigger-leaves-no-headroom`), stored so reporters need no rule table
        self.fix, self.dialect, self.harness_version = fix, dialect, harness_version
        self.details = {} if details is None else details
        # Whether `check --fix` fixes it: "safe", "unsafe" (only with `--unsafe-fixes`) or None; set by
        # the engine while the finding's document is loaded (`rules.fixes.edit_for`).
        self.fix_applicability = fix_applicability

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code, self.message)

    def scrubbed(self, redactor: "Redactor") -> "Finding":
        """This finding with every secret of the run redacted from its texts, before any
        reporter escapes them (an escaped secret would no longer match). The code, path and
        position are never touched."""
        return self._replace(message=redactor.text(self.message),
                       fix=redactor.text(self.fix) if self.fix else self.fix,
                       details=redactor.value(self.details))

    def printable(self) -> "Finding":
        """This finding made safe for every output: its path and texts on one line with every
        control character escaped (a file name or key holding ESC, CR or LF cannot move the
        cursor, colour the terminal or forge another finding), details that JSON can write
        (YAML dates, bytes and sets become strings or sorted lists), and texts of at most
        MAX_TEXT characters (a message quoting a 5,000-character value is cut in its middle)."""
        return self._replace(path=one_line(self.path), message=_bounded(one_line(self.message)),
                       fix=_bounded(one_line(self.fix)) if self.fix else self.fix,
                       details=json_safe(self.details))

    @classmethod
    def from_dict(cls, data: Any) -> "Finding":
        """The inverse of `as_dict` (the result cache stores findings this way). Raises
        ValueError unless every field is there with its type: a cache entry is input too."""
        if not isinstance(data, dict) or not _FIELDS <= data.keys():
            raise ValueError("a finding must be an object with every field")
        position = [data.get(name) for name in ("line", "column", "end_line", "end_column")]
        if not all(type(n) is int and 0 <= n <= _MAX_POSITION for n in position):
            raise ValueError("a finding's position must be four small non-negative integers")
        texts = {name: data.get(name) for name in ("path", "code", "name", "severity", "message")}
        optional = {name: data.get(name) for name in ("fix", "dialect", "harness_version")}
        if not all(isinstance(v, str) for v in texts.values()) or not all(
                v is None or isinstance(v, str) for v in optional.values()):
            raise ValueError("a finding's texts must be strings")
        if data.get("fix_applicability") not in _APPLICABILITIES:
            raise ValueError("a finding's fix_applicability must be safe, unsafe or null")
        if not isinstance(data.get("details"), dict):
            raise ValueError("a finding's details must be an object")
        return cls(path=texts["path"], span=Span(*position), code=texts["code"], name=texts["name"],
                   severity=Severity.parse(texts["severity"]), message=texts["message"],
                   details=data["details"], fix_applicability=data["fix_applicability"], **optional)

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
            "fix_applicability": self.fix_applicability,
            "dialect": self.dialect,
            "harness_version": self.harness_version,
            "details": self.details,
        }


# C0 and C1 controls (ESC, CSI `\x9b`, OSC `\x9d`...), DEL, line and paragraph separators, and the
# bidirectional overrides and isolates that make a terminal show text in another order than it is.
_CONTROL = ({i: f"\\x{i:02x}" for i in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
            | {10: "\\n", 13: "\\r", 9: "\\t"}
            | {i: f"\\u{i:04x}" for i in (0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))})
# The same for strings JSON writes itself: it escapes C0 controls, but would write C1 and bidi ones raw.
_JSON_UNSAFE = {i: escape for i, escape in _CONTROL.items() if i >= 0x7F}
_FIELDS = {"path", "line", "column", "end_line", "end_column", "code", "name", "severity", "message", "fix",
           "fix_applicability", "dialect", "harness_version", "details"}
_APPLICABILITIES = (None, "safe", "unsafe")
_MAX_POSITION = 2**31  # far above any line or column of a 10 MiB file


MAX_TEXT = 2_000


def _bounded(text: str) -> str:
    if len(text) <= MAX_TEXT:
        return text
    keep = (MAX_TEXT - 40) // 2
    return f"{text[:keep]} … ({len(text) - 2 * keep:,} characters left out) … {text[-keep:]}"


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters escaped, and lone surrogates
    (from a `\\ud800` escape in a config, or a file name that is not UTF-8) written as
    escapes, so it prints as one UTF-8 line that cannot drive a terminal."""
    return utf8_safe(text.translate(_CONTROL))


def utf8_safe(text: str) -> str:
    """`text` with lone surrogates written as backslash escapes, so it encodes as UTF-8."""
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
        return utf8_safe(value.translate(_JSON_UNSAFE))
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no inf/nan
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)
