"""`core.record.named_tuple` makes the class `typing.NamedTuple` would, without importing `typing`
(issue 15: ~3 ms of every cold check)."""

from __future__ import annotations

import pickle
import typing

import pytest

from cfglint.core.record import named_tuple


@named_tuple
class Made:
    """A docstring."""

    first: int
    rest: tuple[str, ...] = ()
    note: str | None = None  # a comment

    def total(self) -> int:
        return self.first + len(self.rest)

    @classmethod
    def one(cls) -> Made:
        return cls(1, ("a",))


class Typed(typing.NamedTuple):
    """A docstring."""

    first: int
    rest: tuple[str, ...] = ()
    note: str | None = None  # a comment


def test_it_is_the_tuple_typing_would_make() -> None:
    made, typed = Made(1, ("a", "b")), Typed(1, ("a", "b"))
    assert tuple(made) == tuple(typed) == (1, ("a", "b"), None)
    assert Made._fields == Typed._fields and Made._field_defaults == Typed._field_defaults
    assert repr(made) == repr(typed).replace("Typed", "Made")
    assert hash(made) == hash(typed) and made == typed  # tuples compare as tuples
    assert made._replace(note="x") == (1, ("a", "b"), "x")
    assert Made.__doc__ == "A docstring." and Made.__qualname__ == "Made" and Made.__module__ == __name__
    assert Made.__annotations__ == {"first": "int", "rest": "tuple[str, ...]", "note": "str | None"}
    assert Made.one().total() == 2
    assert isinstance(made, tuple) and Made.__mro__[1] is tuple
    assert not hasattr(made, "__dict__")  # `__slots__ = ()`, as a NamedTuple


def test_it_pickles_by_name() -> None:
    made = Made(2, note="n")
    assert pickle.loads(pickle.dumps(made)) == made
    assert type(pickle.loads(pickle.dumps(made))) is Made


def test_a_field_without_a_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default"):
        @named_tuple
        class Wrong:
            first: int = 0
            second: int
