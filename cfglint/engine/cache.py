"""A result cache: a re-run on unchanged inputs prints the stored findings without parsing.

The key covers everything a finding can depend on: cfglint's version, the
registry data (bundled snapshot, the user's cached snapshot and every overlay,
by size and modification time or content), the effective settings and
environment values of the run, and every file of the run by path, dialect and
content hash. Any change to any of them is a different key, so an entry can
never be stale; old entries are simply not read again.

Entries live in the user cache directory (`cfglint.core.paths.cache_dir()`), one
JSON file per key, written to a temporary file and renamed into place so
concurrent runs (pre-commit in several terminals) never see a half-written
entry. Findings are stored after secret scrubbing, and no config text is
stored. `--no-cache` bypasses the cache entirely.

The cache directory can be written by anything (another tool, a full disk, an
attacker on a shared machine), so an entry is input like any config: it is read
through `cfglint.core.safeio` (regular files only, at most `MAX_ENTRY_BYTES`) and
every field is checked before use. An entry that fails is deleted and the run
proceeds uncached, writing a good entry in its place.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from typing import Any, Iterable, NamedTuple

from cfglint import __version__
from cfglint.core.finding import Finding
from cfglint.core.paths import cache_dir

FORMAT = 2  # bump when the stored payload changes shape
MAX_ENTRY_BYTES = 32 * 1024 * 1024  # a larger result is not cached, so a larger entry is never valid


class CachedRun(NamedTuple):
    """A validated cache entry: what a run printed."""

    findings: list[Finding]
    notes: list[str]
    files_checked: int
    checked_paths: list[str]


def _registry_fingerprint(overlays: Iterable[str]) -> list[Any]:
    """Identify the registry data without reading the bundled snapshot: size and mtime of the
    data files, content hashes of the (small) user overlays."""
    from cfglint.registry import BUNDLED_OVERLAY, BUNDLED_SNAPSHOT, cached_snapshot_path

    parts: list[Any] = []
    for path in (BUNDLED_SNAPSHOT, BUNDLED_OVERLAY, cached_snapshot_path()):
        try:
            st = os.stat(path)
            parts.append([path, st.st_size, st.st_mtime_ns])
        except OSError:
            parts.append([path, None])
    for path in overlays:
        try:
            with open(path, "rb") as handle:
                parts.append([os.path.abspath(path), hashlib.sha256(handle.read()).hexdigest()])
        except OSError:
            parts.append([path, None])
    return parts


def run_key(files: Iterable[tuple[str, str, str | None, bytes | None, str | None, bool]],
            settings: Any, overlays: Iterable[str]) -> str:
    """The key of a run. `files`: (path, display path, dialect, content, problem, read only as a
    context layer) per candidate;
    `settings`: any JSON-serialisable description of the effective settings and environment."""
    digest = hashlib.sha256()
    header = {"format": FORMAT, "cfglint": __version__, "registry": _registry_fingerprint(overlays),
              "settings": settings}
    digest.update(json.dumps(header, sort_keys=True, default=str).encode())
    for path, display, dialect, content, problem, context in files:
        content_hash = hashlib.sha256(content).hexdigest() if content is not None else None
        digest.update(json.dumps([os.path.abspath(path), display, dialect, content_hash, problem, context]).encode())
    return digest.hexdigest()


def _entry_path(key: str, directory: str | None) -> str:
    return os.path.join(directory or cache_dir(), "results", key[:2], key + ".json")


def load(key: str, directory: str | None = None) -> CachedRun | None:
    """The run stored for `key`, or None: missing, unreadable, or not a valid entry of this
    format (then it is deleted, so the run rewrites it)."""
    from cfglint.core.safeio import read_bytes

    path = _entry_path(key, directory)
    try:
        payload = json.loads(read_bytes(path, MAX_ENTRY_BYTES, what="cache entry"))
        return _validated(payload)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):  # unreadable, not a regular file, too big, broken JSON or shape
        _discard(path)
        return None


def _validated(payload: Any) -> CachedRun:
    """The entry as a `CachedRun`; ValueError for anything else (another format included)."""
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError("not a cache entry of this format")
    findings, notes, files_checked = payload.get("findings"), payload.get("notes"), payload.get("files_checked")
    if not isinstance(findings, list) or not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise ValueError("findings and notes must be lists")
    if type(files_checked) is not int or files_checked < 0:
        raise ValueError("files_checked must be a count")
    checked_paths = payload.get("checked_paths")
    if not isinstance(checked_paths, list) or not all(isinstance(p, str) for p in checked_paths):
        raise ValueError("checked_paths must be a list of paths")
    if len(checked_paths) != files_checked:
        raise ValueError("checked_paths must name every file checked")
    from cfglint.rules import RULES

    run = CachedRun([Finding.from_dict(f) for f in findings], notes, files_checked, checked_paths)
    if any(f.code not in RULES for f in run.findings):  # an entry written by another cfglint
        raise ValueError("a finding has an unknown rule code")
    return run


def _discard(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # a directory in its place, or a read-only cache: every later run is simply a miss


def store(key: str, payload: dict[str, Any], directory: str | None = None) -> None:
    """Write atomically; a cache that cannot be written is silently skipped (it is only a cache)."""
    path = _entry_path(key, directory)
    data = json.dumps({**payload, "format": FORMAT}, ensure_ascii=False).encode("utf-8", "backslashreplace")
    if len(data) > MAX_ENTRY_BYTES:
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        return
