"""The result cache: keys change with every input that can change a finding."""

from __future__ import annotations

import threading

from cfglint.engine import cache
from cfglint.core.finding import Finding, Severity
from cfglint.core.text import Span

FILES = [("a/kilo.jsonc", "a/kilo.jsonc", "kilo", b'{"model": "x/y"}', None, False)]


def key(files=FILES, settings=None, overlays=()):
    return cache.run_key(files, settings or {"select": ["ALL"]}, overlays)


def stored_finding(message: str = "bad value") -> dict:
    return Finding("a/kilo.jsonc", Span(1, 2, 1, 5), "SCH001", "invalid-value", Severity.ERROR, message).as_dict()


def test_same_inputs_same_key(monkeypatch, tmp_path):
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path))
    assert key() == key()


def test_every_input_changes_the_key(monkeypatch, tmp_path):
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path))
    base = key()
    assert key(files=[(*FILES[0][:3], b'{"model": "x/z"}', None, False)]) != base  # content
    assert key(files=[(*FILES[0][:5], True)]) != base                           # read as a context layer
    assert key(files=[("b/kilo.jsonc", *FILES[0][1:])]) != base                 # path
    assert key(files=[(*FILES[0][:2], "claude-code", *FILES[0][3:])]) != base   # dialect
    assert key(settings={"select": ["SCH"]}) != base                            # settings
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
    payload = {"findings": [stored_finding()], "notes": ["a note"], "files_checked": 1,
               "checked_paths": ["a/kilo.jsonc"]}
    cache.store("ab" * 32, payload, str(tmp_path))
    loaded = cache.load("ab" * 32, str(tmp_path))
    assert [f.as_dict() for f in loaded.findings] == payload["findings"]
    assert loaded.notes == ["a note"] and loaded.files_checked == 1
    assert cache.load("cd" * 32, str(tmp_path)) is None


def test_corrupt_or_foreign_entries_are_misses(tmp_path):
    cache.store("ab" * 32, {"findings": []}, str(tmp_path))
    path = tmp_path / "results" / "ab" / ("ab" * 32 + ".json")
    path.write_text("{not json")
    assert cache.load("ab" * 32, str(tmp_path)) is None
    path.write_text('{"format": 0}')
    assert cache.load("ab" * 32, str(tmp_path)) is None


def test_concurrent_writers_never_leave_a_partial_entry(tmp_path):
    payload = {"findings": [stored_finding("x" * 10_000)], "notes": [], "files_checked": 1,
               "checked_paths": ["a/kilo.jsonc"]}

    def write():
        for _ in range(20):
            cache.store("ef" * 32, payload, str(tmp_path))

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [f.as_dict() for f in cache.load("ef" * 32, str(tmp_path)).findings] == payload["findings"]
    assert not [p for p in (tmp_path / "results" / "ef").iterdir() if p.name.startswith(".tmp-")]


def test_unwritable_cache_is_skipped(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache.store("ab" * 32, {"findings": []}, str(blocker))  # a file where a directory should be
    assert cache.load("ab" * 32, str(blocker)) is None
