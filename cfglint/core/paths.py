"""Where a config file sits (its project root) and where cfglint keeps its cache."""

from __future__ import annotations

import functools
import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` is not imported at run time: a replayed run does without it
    from typing import Any


@functools.lru_cache(maxsize=None)
def project_root(directory: str) -> str:
    """The nearest ancestor holding `.git` (a worktree root), else `directory` itself."""
    from pathlib import Path  # not at import: a replayed run (`engine.replay`) needs only `cache_dir`

    current = Path(directory)
    for candidate in (current, *current.parents):
        if (candidate / ".git").exists():
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
