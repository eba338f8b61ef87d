"""What a run checked group by group holds: each group's task (its candidates' list and their
foretold places) is let go of once the group is checked, here and in the pool's parent. Counted
with weak references, never by memory size or time."""

from __future__ import annotations

import gc
import weakref
from collections import Counter

from cfglint.core.finding import Finding
from cfglint.engine import batch, session

from .test_batch import _generator, outcome


class Places(list):
    """A group's foretold places, as a list that a weak reference can follow."""


def test_each_group_is_let_go_of_once_checked(tmp_path, monkeypatch):
    _generator().generate(str(tmp_path), count=60)
    grouping, check_group = batch._grouping, batch.check_group
    made: list[weakref.ref] = []
    alive: list[int] = []

    def foretold(ordered, setup):
        groups = [g._replace(roles=Places(g.roles)) for g in grouping(ordered, setup)]
        made.extend(weakref.ref(g.roles) for g in groups)
        return groups

    def counting(setup, candidates, roles, selected=None):
        alive.append(sum(ref() is not None for ref in made))
        return check_group(setup, candidates, roles, selected)

    monkeypatch.setattr(batch, "_grouping", foretold)
    monkeypatch.setattr(batch, "check_group", counting)
    findings, _, files_checked, _ = outcome(tmp_path, jobs=1)
    assert files_checked == 60 and findings and len(alive) == 60
    # the k-th group is checked while only the groups not yet checked are held
    assert alive == [60 - k for k in range(60)]


def test_findings_wait_packed_and_are_read_one_group_at_a_time(tmp_path, monkeypatch):
    """After the check no finding object is alive; going through them in order holds one
    group's at a time (each generated project is a group of one file, with a few findings)."""
    _generator().generate(str(tmp_path), count=60)
    monkeypatch.setattr(batch, "PACK_FROM", 60)

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
    assert max(at_once) <= max(per_file.values())
    assert [f.as_dict() for f in result.findings] == \
        [f.as_dict() for f in session.check(session.CheckRequest(paths=[str(tmp_path)], show_source=True)).findings]


def test_a_few_groups_keep_their_findings_as_objects(tmp_path, monkeypatch):
    """Below `PACK_FROM` groups (the pre-commit path) nothing is pickled."""
    _generator().generate(str(tmp_path), count=5)
    kinds: list[type] = []
    assemble = batch._assemble

    def looking(groups, done, setup):
        kinds.extend(type(r.findings) for r in done.values())
        return assemble(groups, done, setup)

    monkeypatch.setattr(batch, "_assemble", looking)
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
