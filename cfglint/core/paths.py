"""Where a config file sits (its project root), where cfglint keeps its cache, and paths taken
apart as `pathlib.PurePath` does without importing `pathlib`."""

from __future__ import annotations

import functools
import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` is not imported at run time: a replayed run does without it
    from typing import Any


class PurePosix:
    """The parts of a path as `pathlib.PurePosixPath` takes them apart (`name`, `parent`,
    `suffix`, `parts`, `/`, `is_absolute`, `str`), without importing `pathlib`: with `urllib.parse` and
    `ipaddress`, which it imports, ~3.4 ms CPU of every cold check (issue 15). `pure_path` gives
    one on POSIX and a real `PurePath` elsewhere. Exactly two leading slashes are a root of their
    own, as POSIX allows and `pathlib` keeps; `.` parts and repeated slashes are dropped."""

    __slots__ = ("_root", "_names")

    def __init__(self, *segments: str) -> None:
        root, names = "", []
        for segment in segments:
            text = os.fspath(segment)
            if text.startswith("/"):
                relative = text.lstrip("/")
                root, names = ("//" if len(text) - len(relative) == 2 else "/"), []
                text = relative
            names.extend(name for name in text.split("/") if name and name != ".")
        self._root, self._names = root, tuple(names)

    @classmethod
    def _made(cls, root: str, names: tuple[str, ...]) -> PurePosix:
        made = object.__new__(cls)
        made._root, made._names = root, names
        return made

    def __str__(self) -> str:
        return self._root + "/".join(self._names) or "."

    __fspath__ = __str__

    def __repr__(self) -> str:
        return f"PurePosix({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PurePosix):
            return NotImplemented
        return (self._root, self._names) == (other._root, other._names)

    def __hash__(self) -> int:
        return hash((self._root, self._names))

    def __truediv__(self, name: str) -> PurePosix:
        return PurePosix(str(self), name)

    def is_absolute(self) -> bool:
        return bool(self._root)

    @property
    def parts(self) -> tuple[str, ...]:
        return (self._root, *self._names) if self._root else self._names

    @property
    def name(self) -> str:
        return self._names[-1] if self._names else ""

    @property
    def parent(self) -> PurePosix:
        return self._made(self._root, self._names[:-1]) if self._names else self

    @property
    def parents(self) -> tuple[PurePosix, ...]:
        return tuple(self._made(self._root, self._names[:end]) for end in range(len(self._names) - 1, -1, -1))

    @property
    def suffix(self) -> str:
        name = self.name
        dot = name.rfind(".")
        return name[dot:] if 0 < dot < len(name) - 1 else ""


def pure_path(*segments: str) -> Any:
    """`pathlib.PurePath(*segments)`, as a `PurePosix` on POSIX (where they agree: a property
    test compares them) and a `PurePath` on Windows, whose drives and separators it leaves to
    `pathlib`."""
    if os.name == "posix":
        return PurePosix(*segments)
    from pathlib import PurePath

    return PurePath(*segments)


def data_file(module_file: str, name: str = "") -> str:
    """The file `name` (or, without one, the directory) of the `data/` directory beside the
    module whose `__file__` is `module_file`: where a harness unit keeps the facts extracted from
    the harness's package."""
    return os.path.join(os.path.dirname(module_file), "data", name)


def read_data(path: str) -> str:
    """The text of a bundled data file (UTF-8, as `make extract` writes it)."""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@functools.lru_cache(maxsize=1024)  # bounded: a run of 10,000 projects asks about each directory once or twice
def project_root(directory: str) -> str:
    """The nearest ancestor holding `.git` (a worktree root), else `directory` itself."""
    current = pure_path(directory)
    for candidate in (current, *current.parents):
        if os.path.exists(os.path.join(candidate, ".git")):
            return str(candidate)
    return str(current)


def home_dir() -> str:
    return os.path.expanduser("~")


def cache_dir() -> str:
    """cfglint's user cache directory (registry snapshot, result cache): ``$CFGLINT_CACHE_DIR``,
    else ``$XDG_CACHE_HOME/cfglint``, else ``~/.cache/cfglint``."""
    explicit = os.environ.get("CFGLINT_CACHE_DIR")
    if explicit:
        return explicit
    xdg = os.environ.get("XDG_CACHE_HOME")
    return os.path.join(xdg or os.path.join(os.path.expanduser("~"), ".cache"), "cfglint")


def results_dir(root: str | None = None) -> str:
    """The result cache's directory in the cache directory `root` (default: `cache_dir()`)."""
    return os.path.join(root or cache_dir(), "results")


def cache_entry_path(key: str, root: str | None = None) -> str:
    """Where the result cache keeps the entry of `key` (a hex digest): sharded by its first two
    digits, so no directory holds more than a few hundred entries."""
    return os.path.join(results_dir(root), key[:2], key + ".json")


def digest(data: bytes = b"") -> Any:
    """A 256-bit BLAKE2b hash object of `data`: `_blake2` loads in a fraction of `hashlib`'s
    import, which loads OpenSSL (~2 ms of a cache hit, issue 15)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # an interpreter built without it
        from hashlib import blake2b
    return blake2b(data, digest_size=32)
