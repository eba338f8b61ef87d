"""A result cache per configuration: a run prints the stored findings of every configuration
whose inputs did not change, and reads and checks only the others.

A run's files are checked in groups, each the files one harness merges into one configuration
(`cfglint.engine.batch`). A group's key covers everything its findings can depend on:
cfglint's version, the registry data (bundled snapshot, the user's cached snapshot and every
overlay the group's settings name, by size and modification time or content), the settings of
the run and of each of the group's files, the environment values, and each file by path,
display path, dialect, content hash and role (context layer, companion). Any change to any of
them is a different key, so an entry can never be stale; a pre-commit run that changed one
file checks that file's configuration and reads the others' entries. Keys are computed from
the bytes and the settings alone, before any parser or rule module is imported.

Entries live in the user cache directory (`cfglint.core.paths.cache_dir()`), one JSON file per
key, written to a temporary file and renamed into place so concurrent runs (pre-commit in
several terminals) never see a half-written entry. Findings are stored after secret scrubbing,
and no config text is stored. `--no-cache` bypasses the cache entirely.

The cache directory can be written by anything (another tool, a full disk, an attacker on a
shared machine), so an entry is input like any config: it is read through
`cfglint.core.safeio` (regular files only, at most `MAX_ENTRY_BYTES`) and every field is checked
before use. An entry that fails is deleted and the group is checked again, writing a good
entry in its place.

Eviction: an entry read is touched (at most once a day), and at most once a day a run that
stores entries prunes the entries unused for `MAX_AGE_DAYS`, then the least recently used ones
while the whole exceeds `MAX_TOTAL_BYTES` (`_prune`).
"""

from __future__ import annotations

import json
import os
import time

from cfglint import __version__
from cfglint.core.paths import cache_entry_path, digest as _hash, results_dir as _results
from cfglint.core.record import named_tuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable
    from cfglint.core.finding import Finding


FORMAT = 4  # bump when the stored payload changes shape, or the keys (4: BLAKE2b, was SHA-256)
MAX_ENTRY_BYTES = 32 * 1024 * 1024  # a larger result is not cached, so a larger entry is never valid
DAY = 24 * 3600
MAX_AGE_DAYS = 30  # an entry no run read for a month belongs to a file that changed or a removed project
# Entries are ~0.3-2 KB per configuration: 64 MiB holds several 10,000-file trees, and a prune
# (a stat per entry) stays well under a second.
MAX_TOTAL_BYTES = 64 * 1024 * 1024
PRUNE_MARKER = ".pruned"  # its modification time: the last prune


@named_tuple
class CachedGroup:
    """A validated cache entry: what checking one configuration group gave."""

    findings: list[Finding]  # scrubbed and printable, in the group's order
    order: list[str]  # each finding's path as the rules gave it (before `printable`), to merge groups
    notes: list[tuple[int, str]]  # (index of the file in the group, note)
    checked: list[tuple[int, str]]  # (index of the file in the group, printable path) of the files checked


def _registry_fingerprint(overlays: Iterable[str]) -> list[Any]:
    """Identify the registry data without reading the bundled snapshot: size and mtime of the
    data files, content hashes of the (small) user overlays."""
    from cfglint.registry import BUNDLED_OVERLAY_JSON, BUNDLED_SNAPSHOT, cached_snapshot_path

    parts: list[Any] = []
    for path in (BUNDLED_SNAPSHOT, BUNDLED_OVERLAY_JSON, cached_snapshot_path()):
        try:
            st = os.stat(path)
            parts.append([path, st.st_size, st.st_mtime_ns])
        except OSError:
            parts.append([path, None])
    for path in overlays:
        try:
            with open(path, "rb") as handle:
                parts.append([os.path.abspath(path), _hash(handle.read()).hexdigest()])
        except OSError:
            parts.append([path, None])
    return parts


class Keys:
    """The keys of one run's groups: the run's part (version, bundled registry data, the run's
    settings and environment) is hashed once; each group adds its files, their settings and
    their overlays."""

    def __init__(self, run_settings: Any) -> None:
        header = {"format": FORMAT, "cfglint": __version__, "registry": _registry_fingerprint(()),
                  "settings": run_settings}
        self._base = _hash(json.dumps(header, sort_keys=True, default=str).encode())
        self._overlays: dict[str, Any] = {}

    def key(self, files: Iterable[Iterable[Any]], settings: Any, overlays: Iterable[str]) -> str:
        """`files`: one JSON-serialisable description per file (its content as bytes, hashed here);
        `settings`: the group's effective settings; `overlays`: the registry files they name."""
        digest = self._base.copy()
        digest.update(json.dumps([settings, [self._overlay(path) for path in dict.fromkeys(overlays)]],
                                 sort_keys=True, default=str).encode())
        for fields in files:
            digest.update(json.dumps([_hash(v).hexdigest() if isinstance(v, bytes) else v
                                      for v in fields]).encode())
        return digest.hexdigest()

    def _overlay(self, path: str) -> Any:
        if path not in self._overlays:
            self._overlays[path] = _registry_fingerprint([path])[-1]
        return self._overlays[path]


def load(key: str, files: int, directory: str | None = None) -> CachedGroup | None:
    """The group stored for `key` (a group of `files` files), or None: missing, unreadable, or
    not a valid entry of this format (then it is deleted, so the run rewrites it)."""
    from cfglint.core.safeio import read_bytes

    path = cache_entry_path(key, directory)
    try:
        entry = _validated(json.loads(read_bytes(path, MAX_ENTRY_BYTES, what="cache entry")), files)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):  # unreadable, not a regular file, too big, broken JSON or shape
        _discard(path)
        return None
    _touch(path)
    return entry


def _validated(payload: Any, files: int) -> CachedGroup:
    """The entry as a `CachedGroup`; ValueError for anything else (another format included)."""
    from cfglint.core.finding import Finding
    from cfglint.rules import RULES

    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError("not a cache entry of this format")
    findings, order = payload.get("findings"), payload.get("order")
    if not isinstance(findings, list) or not isinstance(order, list) or len(order) != len(findings) \
            or not all(isinstance(p, str) for p in order):
        raise ValueError("findings must be a list, with the path of each in order")
    notes, checked = _indexed(payload.get("notes"), files), _indexed(payload.get("checked"), files)
    entry = CachedGroup([Finding.from_dict(f) for f in findings], order, notes, checked)
    if any(f.code not in RULES for f in entry.findings):  # an entry written by another cfglint
        raise ValueError("a finding has an unknown rule code")
    return entry


def _indexed(value: Any, files: int) -> list[tuple[int, str]]:
    """A list of [file index, text] pairs, each index one of the group's files."""
    if not isinstance(value, list) or not all(
            isinstance(pair, list) and len(pair) == 2 and type(pair[0]) is int and 0 <= pair[0] < files
            and isinstance(pair[1], str) for pair in value):
        raise ValueError("notes and checked paths must be [file index, text] pairs")
    return [(index, text) for index, text in value]


def _discard(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # a directory in its place, or a read-only cache: every later run is simply a miss


def _touch(path: str) -> None:
    """Mark an entry used (its modification time is its last use), at most once a day: a run
    of 10,000 hits writes nothing more."""
    try:
        if os.stat(path).st_mtime < time.time() - DAY:
            os.utime(path)
    except OSError:
        pass


def store(key: str, entry: CachedGroup, directory: str | None = None) -> None:
    """Store the entry of `key` (`write_atomic`); a result above `MAX_ENTRY_BYTES` is not cached."""
    payload = {"format": FORMAT, "findings": [f.as_dict() for f in entry.findings], "order": entry.order,
               "notes": [list(pair) for pair in entry.notes], "checked": [list(pair) for pair in entry.checked]}
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8", "backslashreplace")
    if len(data) > MAX_ENTRY_BYTES:
        return
    write_atomic(cache_entry_path(key, directory), data)


def write_atomic(path: str, data: bytes) -> None:
    """Write `data` to `path` through a temporary file renamed into place, so a concurrent reader
    sees the old entry or the new one, never half of one; a cache that cannot be written is
    silently skipped (it is only a cache)."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # A name no other writer uses (process id, random bits), created exclusively with the
        # flags `tempfile.mkstemp` uses, whose import (shutil, random, bz2, lzma) costs ~2.5 ms.
        tmp = os.path.join(os.path.dirname(path), f".tmp-{os.getpid()}-{os.urandom(8).hex()}.json")
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
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


def prune_if_due(directory: str | None = None, now: float | None = None) -> None:
    """Prune (`_prune`) when the last prune is more than a day old: called by runs that store
    entries, so a run of cache hits never walks the cache."""
    now = time.time() if now is None else now
    marker = os.path.join(_results(directory), PRUNE_MARKER)
    try:
        if os.stat(marker).st_mtime > now - DAY:
            return
    except FileNotFoundError:
        pass
    except OSError:
        return
    try:
        with open(marker, "wb"):
            pass
        os.utime(marker, (now, now))
    except OSError:
        return  # a cache that cannot be written is not pruned either
    _prune(_results(directory), now)


def _prune(results: str, now: float) -> None:
    """Delete the entries (and leftover temporary files) unused for `MAX_AGE_DAYS`, then the
    least recently used ones until the rest takes at most 3/4 of `MAX_TOTAL_BYTES` (so the next
    prune is not due at once). Only names this module writes are touched."""
    kept: list[tuple[float, int, str]] = []
    try:
        shards = [e.path for e in os.scandir(results) if e.is_dir(follow_symlinks=False) and len(e.name) == 2]
    except OSError:
        return
    for shard in shards:
        try:
            entries = list(os.scandir(shard))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.endswith(".json"):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if st.st_mtime < now - MAX_AGE_DAYS * DAY:
                _discard(entry.path)
            else:
                kept.append((st.st_mtime, st.st_size, entry.path))
    total = sum(size for _, size, _ in kept)
    if total <= MAX_TOTAL_BYTES:
        return
    for _, size, path in sorted(kept):
        if total <= MAX_TOTAL_BYTES * 3 // 4:
            break
        _discard(path)
        total -= size
