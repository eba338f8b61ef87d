"""The result cache: keys change with every input that can change a finding; entries are
validated, written atomically and pruned."""

from __future__ import annotations

import os
import threading
import time

from cfglint.core.finding import Finding, Severity
from cfglint.core.text import Span
from cfglint.engine import cache

FILES = [["a/kilo.jsonc", "a/kilo.jsonc", "kilo", b'{"model": "x/y"}', None, False]]


def key(files=FILES, settings=None, overlays=(), run=None):
    return cache.Keys(run or {"env": []}).key(files, settings or {"select": ["ALL"]}, overlays)


def finding(message: str = "bad value") -> Finding:
    return Finding("a/kilo.jsonc", Span(1, 2, 1, 5), "SCH001", "invalid-value", Severity.ERROR, message)


def entry(*findings: Finding) -> cache.CachedGroup:
    return cache.CachedGroup(list(findings), [f.path for f in findings], [(0, "a note")], [(0, "a/kilo.jsonc")])


def test_same_inputs_same_key(monkeypatch, tmp_path):
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path))
    assert key() == key()


def test_every_input_changes_the_key(monkeypatch, tmp_path):
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path))
    base = key()
    assert key(files=[[*FILES[0][:3], b'{"model": "x/z"}', None, False]]) != base  # content
    assert key(files=[[*FILES[0][:5], True]]) != base                           # read as a context layer
    assert key(files=[["b/kilo.jsonc", *FILES[0][1:]]]) != base                 # path
    assert key(files=[[*FILES[0][:2], "claude-code", *FILES[0][3:]]]) != base   # dialect
    assert key(files=FILES * 2) != base                                         # another file in the group
    assert key(settings={"select": ["SCH"]}) != base                            # the group's settings
    assert key(run={"env": [["A", "1"]]}) != base                               # the run's settings
    overlay = tmp_path / "overlay.toml"
    overlay.write_text("# a\n")
    with_overlay = key(overlays=[str(overlay)])
    assert with_overlay != base
    overlay.write_text("# b\n")
    assert key(overlays=[str(overlay)]) != with_overlay                         # overlay content
    snapshot = tmp_path / "registry" / "models-dev.json"
    snapshot.parent.mkdir()
    snapshot.write_text("{}")
    assert key() != base                                                        # user registry cache


def test_version_is_part_of_the_key(monkeypatch, tmp_path):
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path))
    before = key()
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert key() != before


def test_store_and_load_round_trip(tmp_path):
    cache.store("ab" * 32, entry(finding()), str(tmp_path))
    loaded = cache.load("ab" * 32, 1, str(tmp_path))
    assert [f.as_dict() for f in loaded.findings] == [finding().as_dict()]
    assert loaded.order == ["a/kilo.jsonc"] and loaded.notes == [(0, "a note")]
    assert loaded.checked == [(0, "a/kilo.jsonc")]
    assert cache.load("cd" * 32, 1, str(tmp_path)) is None


def test_corrupt_or_foreign_entries_are_misses_and_deleted(tmp_path):
    path = tmp_path / "results" / "ab" / ("ab" * 32 + ".json")
    for text in ["{not json", '{"format": 0}', '{"format": 3, "findings": [], "order": [], "notes": [[5, "x"]], '
                 '"checked": []}', '{"format": 3, "findings": [], "order": ["x"], "notes": [], "checked": []}']:
        cache.store("ab" * 32, entry(), str(tmp_path))
        path.write_text(text)
        assert cache.load("ab" * 32, 1, str(tmp_path)) is None
        assert not path.exists()


def test_an_entry_for_a_larger_group_is_refused(tmp_path):
    """A note's file index must be one of the group's files."""
    cache.store("ab" * 32, entry(), str(tmp_path))
    assert cache.load("ab" * 32, 1, str(tmp_path)) is not None
    cache.store("ab" * 32, entry()._replace(notes=[(3, "x")]), str(tmp_path))
    assert cache.load("ab" * 32, 1, str(tmp_path)) is None


def test_concurrent_writers_never_leave_a_partial_entry(tmp_path):
    stored = entry(finding("x" * 10_000))

    def write():
        for _ in range(20):
            cache.store("ef" * 32, stored, str(tmp_path))

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [f.message for f in cache.load("ef" * 32, 1, str(tmp_path)).findings] == ["x" * 10_000]
    assert not [p for p in (tmp_path / "results" / "ef").iterdir() if p.name.startswith(".tmp-")]


def test_a_failed_write_leaves_no_temporary_file(monkeypatch, tmp_path):
    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    cache.store("ab" * 32, entry(), str(tmp_path))  # skipped, nothing raised
    assert list((tmp_path / "results" / "ab").iterdir()) == []


def test_unwritable_cache_is_skipped(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache.store("ab" * 32, entry(), str(blocker))  # a file where a directory should be
    assert cache.load("ab" * 32, 1, str(blocker)) is None
    cache.prune_if_due(str(blocker))  # nothing to prune, nothing raised


def _age(path, days: float) -> None:
    then = time.time() - days * cache.DAY
    os.utime(path, (then, then))


def test_prune_removes_old_entries_at_most_once_a_day(tmp_path):
    for k in ("aa", "bb"):
        cache.store(k * 32, entry(), str(tmp_path))
    old, recent = (tmp_path / "results" / k / (k * 32 + ".json") for k in ("aa", "bb"))
    _age(old, cache.MAX_AGE_DAYS + 1)
    cache.prune_if_due(str(tmp_path))
    assert not old.exists() and recent.exists()
    cache.store("aa" * 32, entry(), str(tmp_path))
    _age(old, cache.MAX_AGE_DAYS + 1)
    cache.prune_if_due(str(tmp_path))  # pruned less than a day ago: not walked again
    assert old.exists()
    cache.prune_if_due(str(tmp_path), now=time.time() + 2 * cache.DAY)
    assert not old.exists()


def test_prune_bounds_the_total_size_least_recently_used_first(monkeypatch, tmp_path):
    for n, k in enumerate(("aa", "bb", "cc", "dd")):
        cache.store(k * 32, entry(finding("x" * 1000)), str(tmp_path))
        _age(tmp_path / "results" / k / (k * 32 + ".json"), 4 - n)  # aa is the least recently used
    size = (tmp_path / "results" / "aa" / ("aa" * 32 + ".json")).stat().st_size
    monkeypatch.setattr(cache, "MAX_TOTAL_BYTES", 3 * size)
    cache.prune_if_due(str(tmp_path))
    left = sorted(p.name[:2] for p in (tmp_path / "results").rglob("*.json"))
    assert left == ["cc", "dd"]  # down to 3/4 of the bound


def test_a_hit_marks_an_old_entry_used(tmp_path):
    cache.store("ab" * 32, entry(), str(tmp_path))
    path = tmp_path / "results" / "ab" / ("ab" * 32 + ".json")
    _age(path, cache.MAX_AGE_DAYS - 1)
    assert cache.load("ab" * 32, 1, str(tmp_path)) is not None
    assert path.stat().st_mtime > time.time() - cache.DAY
    cache.prune_if_due(str(tmp_path), now=time.time() + 2 * cache.DAY)
    assert path.exists()
