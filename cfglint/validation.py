"""Validate a document against the shipped JSON Schema of its dialect.

jsonschema is the reference validator. Its errors are translated into
`SchemaIssue`s: one per problem, each tied to the path of the key or value it
is about, so every problem is reported at its own position. Unknown keys are
split out of `additionalProperties` errors one key at a time, with the
closest known key as a suggestion.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Iterable

from cfglint.document import Path, format_path
from cfglint.findings import Severity
from cfglint.secrets import path_is_secret, redact

UNKNOWN_KEYS_ANNOTATION = "x-cfglint-unknown-keys"


@dataclass
class SchemaIssue:
    """One schema problem. kind: `unknown-key`, `missing-key` or `invalid-value`."""

    kind: str
    path: Path
    message: str
    severity: Severity | None = None
    suggestion: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@functools.lru_cache(maxsize=None)
def load_schema(dialect: str) -> dict[str, Any]:
    name = f"{dialect}.schema.json"
    text = resources.files("cfglint.schemas").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


@functools.lru_cache(maxsize=None)
def _validator(dialect: str) -> Any:
    from jsonschema import Draft202012Validator

    schema = load_schema(dialect)
    return Draft202012Validator(schema)


def validate(data: Any, dialect: str, unresolved: frozenset[Path] = frozenset()) -> list[SchemaIssue]:
    """Every schema problem in `data`, each at its own path."""
    issues: list[SchemaIssue] = []
    for error in _validator(dialect).iter_errors(data):
        issues.extend(_translate(error))
    if unresolved:
        issues = [i for i in issues if not _under_any(i.path, unresolved)]
    return _one_value_issue_per_path(issues)


def _one_value_issue_per_path(issues: list[SchemaIssue]) -> list[SchemaIssue]:
    """A value that breaks two keywords of one schema (`type` and `const`) is one problem:
    keep the type error, which says the most."""
    chosen: dict[Path, SchemaIssue] = {}
    others: list[SchemaIssue] = []
    for issue in issues:
        if issue.kind != "invalid-value":
            others.append(issue)
            continue
        current = chosen.get(issue.path)
        if current is None or (issue.details.get("constraint") == "type"
                               and current.details.get("constraint") != "type"):
            chosen[issue.path] = issue
    result = others + list(chosen.values())
    result.sort(key=lambda i: (tuple(map(str, i.path)), i.kind, i.message))
    return result


def _under_any(path: Path, prefixes: frozenset[Path]) -> bool:
    return any(path[: len(p)] == p for p in prefixes)


def _translate(error: Any) -> Iterable[SchemaIssue]:
    path: Path = tuple(error.absolute_path)
    validator = error.validator
    if validator == "additionalProperties" and error.validator_value is False:
        yield from _unknown_keys(error, path)
    elif validator == "required":
        missing = [k for k in error.validator_value if isinstance(error.instance, dict) and k not in error.instance]
        for key in missing:
            yield SchemaIssue(
                "missing-key",
                path,
                f"missing required key `{key}` in {_where(path)}",
                details={"key": key},
            )
    elif validator in ("anyOf", "oneOf"):
        yield from _translate_union(error, path)
    else:
        yield SchemaIssue("invalid-value", path, _value_message(error, path), details=_value_details(error))


def _unknown_keys(error: Any, path: Path) -> Iterable[SchemaIssue]:
    schema = error.schema
    known = list(schema.get("properties", {}))
    patterns = schema.get("patternProperties", {})
    severity = Severity.ERROR if schema.get(UNKNOWN_KEYS_ANNOTATION) == "error" else Severity.WARNING
    for key in error.instance:
        if key in schema.get("properties", {}) or any(re.search(p, key) for p in patterns):
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        suggestion = close[0] if close else None
        yield SchemaIssue(
            "unknown-key",
            path + (key,),
            f"unknown key `{key}` in {_where(path)}",
            severity=severity,
            suggestion=suggestion,
            details={"key": key, **({"did_you_mean": suggestion} if suggestion else {})},
        )


def _translate_union(error: Any, path: Path) -> Iterable[SchemaIssue]:
    """Pick the branch of an anyOf/oneOf that matches the value's type and report its errors."""
    branches: dict[int, list[Any]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.schema_path[0] if sub.schema_path else 0, []).append(sub)
    matching = [
        errs
        for errs in branches.values()
        if not any(e.validator == "type" and tuple(e.absolute_path) == path for e in errs)
    ]
    if len(matching) == 1:
        for sub in matching[0]:
            yield from _translate(sub)
        return
    yield SchemaIssue("invalid-value", path, _value_message(error, path), details=_value_details(error))


_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}

_BOUNDS = {
    "minimum": ">=",
    "maximum": "<=",
    "exclusiveMinimum": ">",
    "exclusiveMaximum": "<",
}


def _describe(value: Any, path: Path) -> str:
    if path_is_secret(path) and isinstance(value, str):
        return redact(value)
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "an array"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _where(path: Path) -> str:
    return f"`{format_path(path)}`" if path else "the top level"


def _expected_types(schema: dict[str, Any]) -> list[str]:
    if "type" in schema:
        t = schema["type"]
        return t if isinstance(t, list) else [t]
    types: list[str] = []
    for branch in schema.get("anyOf", []) + schema.get("oneOf", []):
        types.extend(_expected_types(branch) or (["an allowed value"] if "enum" in branch or "const" in branch else []))
    return list(dict.fromkeys(types))


def _value_message(error: Any, path: Path) -> str:
    v = error.validator
    got = _describe(error.instance, path)
    where = f"`{format_path(path)}`" if path else "the document"
    if v in _BOUNDS:
        return f"{where} must be {_BOUNDS[v]} {error.validator_value}, got {got}"
    if v == "type" or v in ("anyOf", "oneOf"):
        expected = _expected_types(error.schema) if v != "type" else (
            error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        )
        kind = _JSON_TYPES.get(type(error.instance), type(error.instance).__name__)
        return f"{where} must be {' or '.join(expected) or 'a different value'}, got {kind} {got}"
    if v == "enum":
        allowed = ", ".join(json.dumps(x) for x in error.validator_value)
        return f"{where} must be one of {allowed}, got {got}"
    if v == "const":
        return f"{where} must be {json.dumps(error.validator_value)}, got {got}"
    if v == "uniqueItems":
        return f"{where} must not repeat items"
    if v in ("minItems", "maxItems", "minLength", "maxLength", "minProperties"):
        return f"{where} breaks {v} {error.validator_value}"
    if v == "pattern":
        return f"{where} must match {error.validator_value!r}, got {got}"
    if v == "multipleOf":
        return f"{where} must be a multiple of {error.validator_value}, got {got}"
    return f"{where} is invalid: {v} {error.validator_value!r}"


def _value_details(error: Any) -> dict[str, Any]:
    details: dict[str, Any] = {"constraint": error.validator}
    if error.validator in _BOUNDS or error.validator in ("enum", "const", "type"):
        details["expected"] = error.validator_value
    if isinstance(error.instance, (int, float)) and not isinstance(error.instance, bool):
        details["value"] = error.instance
    return details
