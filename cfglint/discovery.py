"""Find the config files to lint and tell their dialect.

Paths named on the command line are always linted (when their dialect can be
told); directories are walked, using `git ls-files` inside a git repository
(tracked and untracked-but-not-ignored files), and never descend into `.git`,
`node_modules` or virtualenvs. The dialect comes from the file's name and
directory (`product.md`, "Harnesses and dialects"), a TOML file elsewhere by
its content, and `--dialect` wins for files named explicitly.
"""

from __future__ import annotations

import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Iterator, Mapping

from cfglint.harnesses import DIALECTS, harness_for
from cfglint.source import MAX_FILE_BYTES, UnreadableText

SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".nox",
                       ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages"})
SNIFF_LIMIT = 1024 * 1024


class UsageError(Exception):
    """A path on the command line that does not exist or cannot be opened (exit 2)."""


@dataclass
class Candidate:
    path: str          # the path to open
    display: str       # the path as findings print it
    dialect: str | None  # None: tell by content (TOML)
    explicit: bool
    problem: str | None = None  # set when the path is not a regular file (SYN004)
    forced: bool = False  # the dialect comes from --dialect, not from the file's name


def dialect_by_name(path: PurePath, homes: Mapping[str, str]) -> str | None:
    for dialect in DIALECTS:
        harness = harness_for(dialect)
        home = homes.get(harness.home_env) if harness.home_env else None
        if harness.recognises(path, home):
            return dialect
    return None


def sniffers(path: PurePath, head: bytes) -> list[str]:
    """Dialects whose harness may read a file found by no name, by its suffix and first bytes."""
    return [dialect for dialect in DIALECTS if harness_for(dialect).may_sniff(path, head)]


def _sniffable_suffixes() -> frozenset[str]:
    return frozenset(suffix for dialect in DIALECTS for suffix in harness_for(dialect).sniff_suffixes)


def discover(paths: list[str], *, dialect: str | None, homes: Mapping[str, str],
             exclude: tuple[str, ...] = ()) -> Iterator[Candidate]:
    for given in paths or ["."]:
        try:
            st = os.stat(given)
        except FileNotFoundError:
            raise UsageError(f"{given}: no such file or directory") from None
        except OSError as exc:
            raise UsageError(f"{given}: {exc.strerror or exc}") from None
        if stat.S_ISDIR(st.st_mode):
            named = dialect or dialect_by_name(PurePath(os.path.abspath(given)), homes)
            if named and PurePath(given).suffix in (".json", ".jsonc", ".toml", ".yaml", ".yml"):
                yield Candidate(given, _display(given), named, True, "path is a directory, not a config file")
                continue
            yield from _walk(given, dialect=dialect, homes=homes, exclude=exclude)
            continue
        if not os.access(given, os.R_OK):
            raise UsageError(f"{given}: permission denied")
        chosen = dialect or dialect_by_name(PurePath(os.path.abspath(given)), homes)
        problem = None if stat.S_ISREG(st.st_mode) else "path is not a regular file (device, FIFO or socket)"
        yield Candidate(given, _display(given), chosen, True, problem, forced=dialect is not None)


def _walk(root: str, *, dialect: str | None, homes: Mapping[str, str],
          exclude: tuple[str, ...]) -> Iterator[Candidate]:
    for rel in sorted(_list_files(root)):
        parts = PurePath(rel).parts
        if any(part in SKIP_DIRS for part in parts[:-1]) or _excluded(rel, exclude):
            continue
        full = os.path.join(root, rel) if root != "." else rel
        abs_path = PurePath(os.path.abspath(full))
        named = dialect_by_name(abs_path, homes)
        if named is None and (abs_path.suffix not in _sniffable_suffixes() or not sniffers(abs_path, _head(full))):
            continue
        try:
            st = os.lstat(full)
        except OSError:
            continue
        if stat.S_ISLNK(st.st_mode):
            try:
                st = os.stat(full)
            except OSError:
                continue
        if stat.S_ISDIR(st.st_mode):
            yield Candidate(full, _display(full), dialect or named, False, "path is a directory, not a config file")
        elif not stat.S_ISREG(st.st_mode):
            yield Candidate(full, _display(full), dialect or named, False, "path is not a regular file (device, FIFO or socket)")
        else:
            yield Candidate(full, _display(full), dialect or named, False, forced=dialect is not None)


def _head(path: str) -> bytes:
    """The first bytes of a file, for content sniffing (empty when unreadable)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(SNIFF_LIMIT)
    except OSError:
        return b""


def _list_files(root: str) -> list[str]:
    listed = _git_files(root)
    if listed is not None:
        return listed
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS
                       and not os.path.exists(os.path.join(dirpath, d, "pyvenv.cfg"))]
        rel_dir = os.path.relpath(dirpath, root)
        for name in filenames + [d for d in dirnames if _config_like_dir(d)]:
            found.append(name if rel_dir == "." else os.path.join(rel_dir, name))
    return found


def _config_like_dir(name: str) -> bool:
    return PurePath(name).suffix in (".json", ".jsonc", ".toml", ".yaml")


def _git_files(root: str) -> list[str] | None:
    """Files git knows under `root` (tracked, plus untracked ones not ignored); None outside git."""
    try:
        out = subprocess.run(
            ["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True, check=True, timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names = [n for n in out.decode("utf-8", "surrogateescape").split("\0") if n]
    return [n for n in dict.fromkeys(names) if os.path.lexists(os.path.join(root, n))]


def _excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    if not patterns:
        return False
    path = PurePath(rel)
    return any(path.match(p) or any(PurePath(*path.parts[:i]).match(p) for i in range(1, len(path.parts)))
               for p in patterns)


def _display(path: str) -> str:
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return path
        return path if rel.startswith("..") else rel
    return os.path.normpath(path)


def homes_from(env: Mapping[str, str]) -> dict[str, str]:
    """Harness home directories named by environment variables (only the ones given)."""
    result = {}
    for var in ("KIMI_CODE_HOME", "KIMI_SHARE_DIR", "HERMES_HOME"):
        value = env.get(var)
        if value:
            result[var] = str(Path(value).expanduser().resolve())
    return result


def read_candidate(candidate: Candidate) -> bytes | None:
    """The bytes of a candidate for the cache key; None when it cannot be read as a file
    (the SYN004 for that is made when the document is loaded)."""
    if candidate.problem is not None or candidate.path == "-":
        return None
    try:
        return read_file(candidate.path)
    except (OSError, UnreadableText):
        return None


def read_file(path: str) -> bytes:
    """A config's bytes, refusing files over the size limit before reading them."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableText(f"file is {size:,} bytes, above the {MAX_FILE_BYTES:,}-byte limit")
        return handle.read(MAX_FILE_BYTES + 1)
