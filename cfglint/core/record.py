"""A base for the small value classes every run creates (spans, locations, versions, findings,
requests), and `named_tuple`, a `typing.NamedTuple` made without `typing`.

`@dataclass` writes each class's methods as source and compiles them when the module is
imported: 0.3-0.5 ms per class, and `import dataclasses` itself costs ~8 ms CPU (it imports
`inspect`), paid on every run before any work (issue 15). A `Record` has the equality, repr
and `replace` a dataclass would have, from its `__slots__`, and writes its own `__init__`.

`import typing` costs ~3 ms CPU of a cold check (a fifth of a clean interpreter's start-up), and
each `typing.NamedTuple` another ~0.1 ms (a `compile()` per field for its string annotations):
modules type their names under `if TYPE_CHECKING:` and declare tuples with `named_tuple`.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _Class = TypeVar("_Class", bound=type)


class Record:
    """Equal to a record of the same class with equal fields (compared as a tuple, as a
    dataclass does); repr `Name(field=value, ...)`. Unhashable unless a subclass says how.

    The fields are the `__slots__` of the class and its Record bases, in that order (bases
    first, as a dataclass orders inherited fields); a slot named `_...` is private state (a
    cache), outside equality, repr and `_replace`."""

    __slots__ = ()
    _names: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("__slots__", ())
        cls._names = cls._names + tuple(name for name in own if not name.startswith("_"))

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self._names)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._names)
        return f"{self.__class__.__qualname__}({fields})"

    def _replace(self, **changes: Any) -> Any:
        """A copy with `changes` to some fields, as `dataclasses.replace` (private state is not
        copied: a cache is rebuilt for the new values)."""
        unknown = changes.keys() - set(self._names)
        if unknown:
            raise TypeError(f"{self.__class__.__qualname__} has no field {', '.join(sorted(unknown))}")
        copy = object.__new__(self.__class__)
        for name in self._names:
            object.__setattr__(copy, name, changes[name] if name in changes else getattr(self, name))
        return copy


class FrozenRecord(Record):
    """A Record hashable over its fields, as a frozen dataclass is (nothing assigns to one
    after `__init__`; that is not enforced)."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._fields())


def named_tuple(cls: _Class) -> _Class:
    """The class `class X(NamedTuple): ...` would make, from `@named_tuple class X: ...`: the
    fields are the class's annotations in order, the defaults their values, and the methods and
    docstring are the class's (as `typing.NamedTuple` copies them), without importing `typing`
    or evaluating an annotation."""
    fields = tuple(cls.__dict__.get("__annotations__", {}))
    defaults = [cls.__dict__[name] for name in fields if name in cls.__dict__]
    if any(name in cls.__dict__ for name in fields[: len(fields) - len(defaults)]):
        raise TypeError(f"{cls.__qualname__}: a field without a default follows one with a default")
    made = namedtuple(cls.__name__, fields, defaults=defaults, module=cls.__module__)
    for key, value in cls.__dict__.items():
        if key not in fields and key not in ("__dict__", "__weakref__", "__module__"):
            setattr(made, key, value)
    made.__qualname__ = cls.__qualname__
    return made  # type: ignore[return-value]
