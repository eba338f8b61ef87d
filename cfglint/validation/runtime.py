"""Validators generated from the shipped JSON Schemas, and the helpers they share.

`python -m cfglint.generate.validators` writes one module per dialect here
(`kimi_code.py` for `kimi-code`, ...). Each records the sha256 of the schema it
was compiled from (`SCHEMA_SHA256`) and exposes `validate(instance)`, which
returns the failures jsonschema's `Draft202012Validator.iter_errors` reports,
in the same order, as the plain tuples `cfglint.validation.validate` translates into
findings. This package holds the checks that take more than one line of
generated code; they mirror jsonschema (`_types`, `_utils`, `_keywords`, MIT
licence) so that both validators answer alike on every Python value, not only
on JSON ones (bool is no number, 1.0 is an integer, `equal` keeps True and 1
apart).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable
    Branch = Callable[[Any, tuple, list], None]


# What the parsers give besides numbers: `number` answers them without importing `numbers`.
_PLAIN_VALUES = (str, list, dict, type(None), bytes, tuple)


def number(x: Any) -> bool:
    """jsonschema's `number`: any `numbers.Number` except bool (`numbers` is imported only for a
    value of a type no parser of cfglint's gives, or a date)."""
    if isinstance(x, bool) or isinstance(x, _PLAIN_VALUES):
        return False
    if isinstance(x, (int, float)):
        return True
    from numbers import Number

    return isinstance(x, Number)


def integer(x: Any) -> bool:
    """Draft 2020-12 `integer`: an int (not a bool), or a float with no fractional part."""
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


def equal(one: Any, two: Any) -> bool:
    """jsonschema's equality for `enum` and `const`: True and 1 differ, also inside containers."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(i, j) for i, j in zip(one, two))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(key in two and equal(value, two[key]) for key, value in one.items())
    return _unbool(one) == _unbool(two)


def uniq(container: Sequence[Any]) -> bool:
    """jsonschema's `uniqueItems` test: sorts when it can, else compares every pair."""
    try:
        ordered = sorted(_unbool(i) for i in container)
        return not any(equal(i, j) for i, j in zip(ordered, ordered[1:]))
    except (NotImplementedError, TypeError):
        seen: list[Any] = []
        for e in container:
            e = _unbool(e)
            if any(equal(i, e) for i in seen):
                return False
            seen.append(e)
        return True


def key(k: Any) -> tuple:
    """The path elements of dict key `k`: none for None, which jsonschema's `descend` takes
    for "no path" (a YAML `null:` key)."""
    return () if k is None else (k,)


def any_of(x: Any, path: tuple, branches: Sequence[Branch]) -> tuple[list, ...] | None:
    """jsonschema's `anyOf`: None as soon as a branch holds, else every branch's failures."""
    failed = []
    for branch in branches:
        found: list = []
        branch(x, path, found)
        if not found:
            return None
        failed.append(found)
    return tuple(failed)


def one_of(x: Any, path: tuple, branches: Sequence[Branch]) -> tuple[tuple[list, ...] | None, bool]:
    """jsonschema's `oneOf`: (every branch's failures when none holds, else None; whether a
    branch after the first one that holds holds too)."""
    failed = []
    for index, branch in enumerate(branches):
        found: list = []
        branch(x, path, found)
        if not found:
            return None, any(_holds(later, x, path) for later in branches[index + 1:])
        failed.append(found)
    return tuple(failed), False


def _holds(branch: Branch, x: Any, path: tuple) -> bool:
    found: list = []
    branch(x, path, found)
    return not found


_TRUE = object()
_FALSE = object()


def _unbool(x: Any) -> Any:
    """Stand-ins for True and False that equal nothing else (jsonschema's `unbool`)."""
    if x is True:
        return _TRUE
    if x is False:
        return _FALSE
    return x

