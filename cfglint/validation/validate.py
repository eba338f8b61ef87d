"""Validate a document against the shipped JSON Schema of its dialect.

Two validators report the same *failures*, one per failed keyword, in the same
order: the plain-Python validator generated from each shipped schema
(`cfglint.validation.generated`, written by `python -m cfglint.generate.validators`), which is
the hot path and never imports jsonschema, and jsonschema itself, which stays
the reference (`validate_reference`) and the fallback when a generated module
is missing or stale. `_translate` is the one place that turns failures into
`SchemaIssue`s: one per problem, each tied to the path of the key or value it
is about, so every problem is reported at its own position. Unknown keys are
split out of `additionalProperties` failures one key at a time, with the
closest known key as a suggestion.

A failure is a plain tuple `(keyword, path, instance, expected, branches)`:
the keyword that failed (`type`, `required`, ...), the absolute path of the
value, the value, what the keyword expects, and for `anyOf`/`oneOf` the
failures of each failed branch (lists, in branch order; `()` otherwise).
`expected` is the keyword's value in the schema, except for
`additionalProperties` (`closed_object_facts`) and `anyOf`/`oneOf`
(`expected_types`): there it holds what the wording needs from the schema,
which the compiler works out ahead of time with the same functions.

Staleness: a generated module records the sha256 of the schema it was compiled
from. At run time the hash is computed only when the schema file is newer than
the module (an edited or regenerated schema): comparing two mtimes costs
microseconds, hashing would cost a hashlib import (~2 ms) on every run. A
stale module is ignored and jsonschema validates instead. The test suite
recompiles every schema and compares, so a stale module cannot ship.
"""

from __future__ import annotations

import functools
import json
import os
import re
from types import ModuleType

from cfglint.core.document import Path, format_path
from cfglint.core.finding import Severity
from cfglint.core.record import Record
from cfglint.core.secrets import describe_binary, path_is_secret, redact

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable


UNKNOWN_KEYS_ANNOTATION = "x-cfglint-unknown-keys"
_SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "schemas")

Failure = tuple  # (keyword: str, path: Path, instance: Any, expected: Any, branches: tuple[list[Failure], ...])


_NOT_SEARCHED = object()


class SchemaIssue(Record):
    """One schema problem. kind: `unknown-key`, `missing-key` or `invalid-value`."""

    __slots__ = ("kind", "path", "message", "severity", "details", "known", "_suggestion")

    def __init__(self, kind: str, path: Path, message: str, severity: Severity | None = None,
                 details: dict[str, Any] | None = None, known: tuple[str, ...] = ()) -> None:
        self.kind, self.path, self.message, self.severity = kind, path, message, severity
        self.details = {} if details is None else details
        self.known = known  # unknown-key: the keys its object knows, for `suggestion`
        self._suggestion: Any = _NOT_SEARCHED

    @property
    def suggestion(self) -> str | None:
        """The closest known key of an unknown key. Searched when a finding is made of the issue,
        not before: a file of a million unknown keys pays for the capped number of findings only
        (`engine.MAX_FINDINGS_PER_FILE`)."""
        if self._suggestion is _NOT_SEARCHED:
            key = self.path[-1] if self.kind == "unknown-key" and self.path else None  # YAML keys may be ints, dates...
            self._suggestion = _closest(key, self.known) if isinstance(key, str) else None
        return self._suggestion


def validate(data: Any, dialect: str, unresolved: frozenset[Path] = frozenset()) -> list[SchemaIssue]:
    """Every schema problem in `data`, each at its own path."""
    compiled = _compiled(dialect)
    failures = compiled.validate(data) if compiled is not None else _reference_failures(data, dialect)
    return _issues(failures, unresolved)


def validate_reference(data: Any, dialect: str, unresolved: frozenset[Path] = frozenset()) -> list[SchemaIssue]:
    """`validate` through jsonschema, whatever the generated validators say: the reference
    they are tested against."""
    return _issues(_reference_failures(data, dialect), unresolved)


def validator_module_name(dialect: str) -> str:
    """`cfglint.validation.generated.kimi_code` for `kimi-code`."""
    return "cfglint.validation.generated." + dialect.replace("-", "_")


@functools.lru_cache(maxsize=None)
def load_schema(dialect: str) -> dict[str, Any]:
    from importlib import resources

    text = resources.files("cfglint.schemas").joinpath(schema_filename(dialect)).read_text(encoding="utf-8")
    return json.loads(text)


def schema_filename(dialect: str) -> str:
    """`kilo.schema.json`: the file name of a dialect's schema in `cfglint/schemas/` (and its `$id`)."""
    return f"{dialect}.schema.json"


@functools.lru_cache(maxsize=None)
def _compiled(dialect: str) -> ModuleType | None:
    """The generated validator of `dialect`; None when it is missing or stale."""
    try:  # `__import__`, unlike `importlib.import_module`, shows in `python -X importtime`
        module = __import__(validator_module_name(dialect), fromlist=["validate"])
    except ImportError:
        return None
    return module if _is_current(module, os.path.join(_SCHEMA_DIR, schema_filename(dialect))) else None


def _is_current(module: ModuleType, schema_file: str) -> bool:
    """Whether `module` was compiled from `schema_file`; trusted without hashing when the module
    file is at least as new as the schema file (see the module docstring)."""
    try:
        if os.stat(module.__file__).st_mtime_ns >= os.stat(schema_file).st_mtime_ns:
            return True
        with open(schema_file, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    import hashlib

    return hashlib.sha256(data).hexdigest() == module.SCHEMA_SHA256


@functools.lru_cache(maxsize=None)
def _validator(dialect: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(dialect))


def _reference_failures(data: Any, dialect: str) -> list[Failure]:
    return [_failure(error) for error in _validator(dialect).iter_errors(data)]


def _failure(error: Any) -> Failure:
    """A jsonschema `ValidationError` as a failure tuple."""
    keyword = error.validator
    if keyword == "additionalProperties":
        expected = closed_object_facts(error.schema)
    elif keyword in ("anyOf", "oneOf"):
        expected = expected_types(error.schema)
    else:
        expected = error.validator_value
    branches: dict[Any, list[Failure]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.schema_path[0] if sub.schema_path else 0, []).append(_failure(sub))
    return (keyword, tuple(error.absolute_path), error.instance, expected, tuple(branches.values()))


def closed_object_facts(schema: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """What the unknown-key wording needs from a closed object's schema: its known keys (in
    order, for suggestions), its key patterns, and whether an unknown key is an error."""
    return (
        tuple(schema.get("properties", {})),
        tuple(schema.get("patternProperties", {})),
        schema.get(UNKNOWN_KEYS_ANNOTATION) == "error",
    )


def expected_types(schema: dict[str, Any]) -> list[str]:
    """The types a schema accepts, for "must be X or Y" (through its anyOf/oneOf branches)."""
    if "type" in schema:
        t = schema["type"]
        return t if isinstance(t, list) else [t]
    types: list[str] = []
    for branch in schema.get("anyOf", []) + schema.get("oneOf", []):
        types.extend(expected_types(branch) or (["an allowed value"] if "enum" in branch or "const" in branch else []))
    return list(dict.fromkeys(types))


def _issues(failures: Iterable[Failure], unresolved: frozenset[Path]) -> list[SchemaIssue]:
    # jsonschema reports one `required` failure per missing key, each carrying the whole list: keep
    # each missing key once.
    issues = list({(i.kind, i.path, i.message): i for failure in failures for i in _translate(failure)}.values())
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


def _translate(failure: Failure) -> Iterable[SchemaIssue]:
    keyword, path, instance, expected, branches = failure
    if keyword == "additionalProperties":
        yield from _unknown_keys(instance, path, expected)
    elif keyword == "required":
        missing = [k for k in expected if isinstance(instance, dict) and k not in instance]
        for key in missing:
            yield SchemaIssue(
                "missing-key",
                path,
                f"missing required key `{key}` in {_where(path)}",
                details={"key": key},
            )
    elif keyword in ("anyOf", "oneOf"):
        yield from _translate_union(failure)
    else:
        yield _invalid_value(failure)


def _unknown_keys(instance: dict[Any, Any], path: Path,
                  facts: tuple[tuple[str, ...], tuple[str, ...], bool]) -> Iterable[SchemaIssue]:
    known, patterns, strict = facts
    severity = Severity.ERROR if strict else Severity.WARNING
    for key in instance:
        if key in known or any(re.search(p, key) for p in patterns):
            continue
        yield SchemaIssue(
            "unknown-key",
            path + (key,),
            f"unknown key `{key}` in {_where(path)}",
            severity=severity,
            details={"key": key},
            known=known,
        )


def _closest(key: str, known: tuple[str, ...]) -> str | None:
    import difflib  # only a file with an unknown key pays for it

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return close[0] if close else None


def _translate_union(failure: Failure) -> Iterable[SchemaIssue]:
    """Pick the branch of an anyOf/oneOf that matches the value's type and report its failures."""
    path, branches = failure[1], failure[4]
    matching = [
        found
        for found in branches
        if not any(keyword == "type" and where == path for keyword, where, *_ in found)
    ]
    if len(matching) > 1:  # a tagged union: keep the branch whose tag (a `const` child) the value has
        matching = [found for found in matching if not _tag_mismatches(found, path)] or matching
    if len(matching) == 1:
        for sub in matching[0]:
            yield from _translate(sub)
        return
    tags = [_tag_mismatches(found, path) for found in matching]
    keys = {key for found in tags for key, _ in found}
    if len(keys) == 1 and all(tags):  # no branch has the value's tag: say which tags there are
        key = keys.pop()
        allowed = [value for found in tags for _, value in found]
        yield _invalid_value(("enum", path + (key,), failure[2].get(key) if isinstance(failure[2], dict) else None,
                              allowed, ()))
        return
    yield _invalid_value(failure)


def _tag_mismatches(found: list[Failure], path: Path) -> list[tuple[Any, Any]]:
    """(key, expected) of each `const` failure of a branch on a direct child of `path`."""
    return [(where[-1], expected) for keyword, where, _, expected, _ in found
            if keyword == "const" and len(where) == len(path) + 1 and where[:-1] == path]


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
    """A value for a message: binary (YAML `!!binary`) never decoded, and anything under a
    credential key redacted whatever its type (`api_key: !!int 123...`)."""
    if isinstance(value, (bytes, bytearray)):
        return describe_binary(value)
    if path_is_secret(path) and not isinstance(value, (dict, list)):
        return redact(value)
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "an array"
    text = json.dumps(value, ensure_ascii=False, default=_plain)
    return text if len(text) <= 60 else text[:57] + "..."


def _where(path: Path) -> str:
    return f"`{format_path(path)}`" if path else "the top level"


def _invalid_value(failure: Failure) -> SchemaIssue:
    keyword, path, instance, expected, _ = failure
    return SchemaIssue("invalid-value", path, _value_message(keyword, path, instance, expected),
                       details=_value_details(keyword, path, instance, expected))


def _value_message(keyword: str, path: Path, instance: Any, expected: Any) -> str:
    got = _describe(instance, path)
    where = f"`{format_path(path)}`" if path else "the document"
    if keyword in _BOUNDS:
        return f"{where} must be {_BOUNDS[keyword]} {expected}, got {got}"
    if keyword in ("type", "anyOf", "oneOf"):
        types = expected if isinstance(expected, list) else [expected]
        kind = _JSON_TYPES.get(type(instance), type(instance).__name__)
        shown = kind if instance is None else f"{kind} {got}"  # `got null`, not `got null null`
        return f"{where} must be {' or '.join(types) or 'a different value'}, got {shown}"
    if keyword == "enum":
        allowed = ", ".join(json.dumps(x) for x in expected)
        return f"{where} must be one of {allowed}, got {got}"
    if keyword == "const":
        return f"{where} must be {json.dumps(expected)}, got {got}"
    if keyword == "uniqueItems":
        return f"{where} must not repeat items"
    if keyword in ("minItems", "maxItems", "minLength", "maxLength", "minProperties"):
        return f"{where} breaks {keyword} {expected}"
    if keyword == "pattern":
        return f"{where} must match {expected!r}, got {got}"
    if keyword == "multipleOf":
        return f"{where} must be a multiple of {expected}, got {got}"
    return f"{where} is invalid: {keyword} {expected!r}"


def _value_details(keyword: str, path: Path, instance: Any, expected: Any) -> dict[str, Any]:
    details: dict[str, Any] = {"constraint": keyword}
    if keyword in _BOUNDS or keyword in ("enum", "const", "type"):
        details["expected"] = expected
    if isinstance(instance, (int, float)) and not isinstance(instance, bool) and not path_is_secret(path):
        details["value"] = instance
    return details


def _plain(value: Any) -> Any:
    """JSON for values only YAML/TOML produce: sets in a stable order, dates as text."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)
