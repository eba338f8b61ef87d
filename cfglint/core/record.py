"""A base for the small value classes every run creates at import (spans, locations, versions).

`@dataclass` writes each class's methods as source and compiles them when the module is
imported: 0.3-0.5 ms per class, paid on every run before any work (issue 15). A `Record` has
the equality and repr a dataclass would have, from its `__slots__`, and writes its own `__init__`.
"""

from __future__ import annotations


class Record:
    """Equal to a record of the same class with equal fields (compared as a tuple, as a
    dataclass does); repr `Name(field=value, ...)`. Unhashable unless a subclass says how."""

    __slots__ = ()

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{self.__class__.__qualname__}({fields})"
