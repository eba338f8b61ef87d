"""Where a config file sits: its project root and whether it is a user-level layer."""

from __future__ import annotations

import functools
import os
from pathlib import Path


@functools.lru_cache(maxsize=None)
def project_root(directory: str) -> str:
    """The nearest ancestor holding `.git` (a worktree root), else `directory` itself."""
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
