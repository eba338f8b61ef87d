"""What a run checked group by group holds: each group's task (its candidates' list and their
foretold places) is let go of once the group is checked, here and in the pool's parent. Counted
with weak references, never by memory size or time."""

from __future__ import annotations

import gc
import weakref
from collections import Counter

import pytest

from cfglint.core.finding import Finding
from cfglint.engine import batch, session

from .test_batch import _generator, outcome


class Places(list):
    """A group's foretold places, as a list that a weak reference can follow."""


@pytest.mark.parametrize("merged", [1, 4])
def test_each_group_is_let_go_of_once_checked(tmp_path, monkeypatch, merged):
    """Groups joined by `_merged` (MERGE_FILES 1: none) are let go of alike."""
    _generator().generate(str(tmp_path), count=60)
    joining, check_group = batch._merged, batch.check_group
    made: list[weakref.ref] = []
    alive: list[int] = []

    def foretold(groups, ordered, setup):
        groups = [g._replace(roles=Places(g.roles)) for g in joining(groups, ordered, setup)]
        made.extend(weakref.ref(g.roles) for g in groups)
        return groups

    def counting(setup, candidates, roles, selected=None):
        alive.append(sum(ref() is not None for ref in made))
        return check_group(setup, candidates, roles, selected)

    monkeypatch.setattr(batch, "MERGE_FILES", merged)
    monkeypatch.setattr(batch, "_merged", foretold)
    monkeypatch.setattr(batch, "check_group", counting)
    findings, _, files_checked, _ = outcome(tmp_path, jobs=1)
    checks = 60 // merged  # each generated project is a group of one file
    assert files_checked == 60 and findings and len(alive) == checks
    # the k-th group is checked while only the groups not yet checked are held
    assert alive == [checks - k for k in range(checks)]


@pytest.mark.parametrize("merged", [1, 4])
def test_findings_wait_packed_and_are_read_one_group_at_a_time(tmp_path, monkeypatch, merged):
    """After the check no finding object is alive; going through them in order holds one
    group's at a time (each generated project is a group of one file, with a few findings;
    `merged` of them are checked, and kept, together)."""
    _generator().generate(str(tmp_path), count=60)
    monkeypatch.setattr(batch, "PACK_FROM", 60)
    monkeypatch.setattr(batch, "MERGE_FILES", merged)

    def alive() -> int:
        gc.collect()
        return sum(isinstance(o, Finding) for o in gc.get_objects())

    before = alive()  # what other tests keep
    result = session.check(session.CheckRequest(paths=[str(tmp_path)], no_cache=True, jobs=1))
    assert alive() == before and len(result.findings) > 30
    at_once = []
    for f in result.findings:
        at_once.append(alive() - before)
    per_file = Counter(f.path for f in result.findings)
    per_group: Counter = Counter()
    for n, path in enumerate(result.checked_paths):
        per_group[n // merged] += per_file[path]
    assert max(at_once) <= max(per_group.values()) and (merged == 1 or max(at_once) > max(per_file.values()))
    assert [f.as_dict() for f in result.findings] == \
        [f.as_dict() for f in session.check(session.CheckRequest(paths=[str(tmp_path)], show_source=True)).findings]


def test_a_few_groups_keep_their_findings_as_objects(tmp_path, monkeypatch):
    """Below `PACK_FROM` files (the pre-commit path) nothing is pickled."""
    _generator().generate(str(tmp_path), count=5)
    kinds: list[type] = []
    assemble = batch._assemble

    def looking(groups, done, setup):
        kinds.extend(type(r.findings) for r in done.values())
        return assemble(groups, done, setup)

    monkeypatch.setattr(batch, "_assemble", looking)
    monkeypatch.setattr(batch, "MERGE_FILES", 1)  # five groups
    assert outcome(tmp_path, jobs=1)[2] == 5 and kinds == [list] * 5
    monkeypatch.setattr(batch, "PACK_FROM", 5)
    kinds.clear()
    assert outcome(tmp_path, jobs=1)[2] == 5 and kinds == [bytes] * 5


def test_a_file_edited_during_the_run_is_checked_as_it_was_keyed(tmp_path, monkeypatch):
    """A file is read once: edited after its cache key was made, it is checked and stored as it was
    read, so an entry always holds the findings of the bytes of its key."""
    from cfglint.engine import cache

    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))
    config = tmp_path / "repo" / "kilo.json"
    config.parent.mkdir()
    old, new = '{"compation": 1}\n', '{"compactionn": 1}\n'
    config.write_text(old)

    def check(path=config) -> list[str]:
        findings = session.check(session.CheckRequest(paths=[str(path)])).findings
        return [f.message for f in findings]

    load = cache.load

    def edit_then_load(key, files, directory=None):
        config.write_text(new)  # after the keys were made from `old`
        return load(key, files, directory)

    monkeypatch.setattr(cache, "load", edit_then_load)
    during = check()
    monkeypatch.setattr(cache, "load", load)
    assert any("compation" in m for m in during) and not any("compactionn" in m for m in during)
    assert any("compactionn" in m for m in check())  # the edited bytes: another key, checked afresh
    config.write_text(old)
    assert check() == during  # the entry of the bytes first read


def test_stored_and_cached_findings_wait_packed_too(tmp_path, monkeypatch):
    """With the cache on, a run of many groups stores each group's findings and keeps them
    pickled, as it does those read from the cache: no finding object is alive after the check."""
    _generator().generate(str(tmp_path / "tree"), count=30)
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(batch, "PACK_FROM", 30)

    def alive() -> int:
        gc.collect()
        return sum(isinstance(o, Finding) for o in gc.get_objects())

    before = alive()
    for _ in ("stored", "from the cache"):
        result = session.check(session.CheckRequest(paths=[str(tmp_path / "tree")], jobs=1))
        assert alive() == before and len(result.findings) > 10


def test_findings_wait_compressed(tmp_path):
    """A group's findings wait pickled and compressed (`batch._pack`): the pickle's texts repeat
    (paths, codes, harness names, most of each message), so they take well under half its bytes."""
    import pickle

    _generator().generate(str(tmp_path), count=32)
    findings = list(session.check(session.CheckRequest(paths=[str(tmp_path)], no_cache=True)).findings)
    packed = batch._pack(findings)
    assert len(findings) > 20 and batch._unpack(packed) == findings
    assert len(packed) < len(pickle.dumps(findings, pickle.HIGHEST_PROTOCOL)) / 2


def test_without_the_cache_no_file_waits_read(tmp_path, monkeypatch):
    """With no cache key to make, a file is read when its group is checked, not all of them
    before the first group (a run of 10,000 files held 4 MiB of bytes); with the cache on, each is
    read once, for its key and its check, and let go of once checked."""
    _generator().generate(str(tmp_path), count=20)
    (tmp_path / "sniffed.toml").write_text('default_model = "kimi-k2"\n[models.kimi-k2]\nprovider = "x"\n'
                                           'model = "k"\nmax_context_size = 1000\n')  # told by its content
    held: list[int] = []
    check_groups, check_group = batch._check_groups, batch.check_group
    every: list = []

    def seeing(tasks, setup, request):
        every[:] = [c for _, candidates, _ in tasks for c in candidates]
        return check_groups(tasks, setup, request)

    def counting(setup, candidates, roles, selected=None):
        held.append(sum(c.content is not None for c in every))
        return check_group(setup, candidates, roles, selected)

    monkeypatch.setattr(batch, "_check_groups", seeing)
    monkeypatch.setattr(batch, "check_group", counting)
    monkeypatch.setattr(batch, "MERGE_FILES", 1)
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))
    no_cache = outcome(tmp_path, jobs=1)
    assert no_cache[2] == 21 and set(held) == {1}  # the file only its content tells
    held.clear()
    cached = session.check(session.CheckRequest(paths=[str(tmp_path)], jobs=1))
    assert held == [21 - k for k in range(21)]
    assert [f.as_dict() for f in cached.findings] == no_cache[0]
