"""Where a harness sends requests and the credentials it attaches (read by SEC001 and SEC004).

Each unit describes its own files with `Harness.endpoints(data)`, built from the helpers here;
the SEC rules read only `Endpoint`s, so a new dialect needs no change outside its unit.
"""

from __future__ import annotations


from cfglint.core.document import Path, get_path
from cfglint.core.record import Record
from cfglint.core.secrets import is_reference, literal_credential

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Iterator


class Endpoint(Record):
    """One place a harness sends requests to: the settings that authenticate them
    (`credentials`), the base URLs they go to, and whether a credential is attached."""

    __slots__ = ("label", "credentials", "base_urls", "sends_key")

    def __init__(self, label: str, credentials: tuple[Path, ...], base_urls: tuple[Path, ...],
                 sends_key: bool) -> None:
        self.label, self.credentials, self.base_urls, self.sends_key = label, credentials, base_urls, sends_key

    def __hash__(self) -> int:
        return hash(self._fields())


def entries(data: Any, key: str) -> Iterator[tuple[str, dict]]:
    """The `name -> table` entries of an open map such as `providers` (names are strings in
    every harness; YAML could spell others, which no harness reads as a provider)."""
    table = data.get(key) if isinstance(data, dict) else None
    if isinstance(table, dict):
        for name, value in table.items():
            if isinstance(name, str) and isinstance(value, dict):
                yield name, value


def keys_where(mapping: Any, path: Path, wanted: Callable[[object], bool]) -> tuple[Path, ...]:
    """Paths of the keys of `mapping` (at `path`) that `wanted` accepts."""
    if not isinstance(mapping, dict):
        return ()
    return tuple(path + (key,) for key in mapping if wanted(key))


def sends_credential(data: Any, paths: Iterable[Path]) -> bool:
    """Some credential setting holds a real credential: a literal or a reference to one, not a
    placeholder such as `ollama` or `local` (which a keyless local server is given)."""
    return any(isinstance(v, str) and (is_reference(v) or literal_credential(v) is not None)
               for v in (get_path(data, p) for p in paths))


def has_value(data: Any, paths: Iterable[Path]) -> bool:
    """Some credential setting is non-empty (a literal, a reference or a placeholder)."""
    return any(isinstance(v, str) and v.strip() for v in (get_path(data, p) for p in paths))
