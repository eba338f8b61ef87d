"""Checking by configuration group (`cfglint.engine.batch`): the same result as one run of every
file, whatever the number of workers; memory bounded by the group, not the run; a cache entry
per configuration. Work is bounded by counting, never by timing."""

from __future__ import annotations

import gc
import importlib.util
import multiprocessing
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from cfglint.core.document import Document
from cfglint.engine import batch, check, session
from cfglint.engine.discover import with_companions

KILO = '{\n  "model": "anthropic/claude-sonnet-4-5",\n  "compation": {}\n}\n'


def _generator():
    spec = importlib.util.spec_from_file_location("gen_configs", REPO / "bench" / "gen_configs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_tree(root: Path, count: int) -> Path:
    """`count` generated projects plus files that exercise every path: broken syntax, bytes that
    are not UTF-8, a directory named like a config, an unused suppression, Kilo layers that merge
    their ancestors' files, a user-level Kilo file, a Codex catalog companion, a TOML file told
    by content, and a copy of examples/."""
    _generator().generate(str(root / "gen"), count=count)
    files = {
        "bad/kilo.jsonc": '{"model": ',
        "bad/.claude/settings.json": b'{"model": "\xff\xfe"}',
        "suppressed/kilo.jsonc": '{\n  // cfglint: ignore[SCH001]\n  "model": "anthropic/claude-sonnet-4-5"\n}\n',
        "nested/kilo.jsonc": '{"model": "anthropic/claude-sonnet-4-5", "small_model": "nope/none"}\n',
        "nested/a/kilo.jsonc": KILO,
        "nested/a/b/.kilocode/kilo.jsonc": '{"compaction": {"threshold_percent": 150}}\n',
        "home/.config/kilo/kilo.jsonc": '{"compaction": {"auto": false}}\n',
        "sniffed/settings.toml": 'default_model = "kimi-k2"\n[models.kimi-k2]\nprovider = "x"\nmodel = "k"\n'
                                 'max_context_size = 1000\n',
    }
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    (root / "dir" / "kilo.jsonc").mkdir(parents=True)
    shutil.copytree(REPO / "examples", root / "examples")
    return root


def outcome(root: Path, **options) -> tuple:
    result = session.check(session.CheckRequest(paths=[str(root)], no_cache=True, **options))
    return [f.as_dict() for f in result.findings], result.notes, result.files_checked, result.checked_paths


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    return make_tree(tmp_path_factory.mktemp("tree"), 300)


def test_groups_give_what_one_run_of_every_file_gives(tree, monkeypatch):
    """`show_source` keeps every document: one run of all files, as before groups."""
    grouped = outcome(tree, jobs=1)
    assert grouped == outcome(tree, show_source=True)
    codes = {f["code"] for f in grouped[0]}
    assert {"SYN001", "SYN004", "SUP001", "SCH002"} <= codes


def test_one_or_two_workers_print_the_same_bytes(tree, cli):
    for fmt in ("json", "text"):
        one = cli("check", "--no-cache", "-j", "1", "--output-format", fmt, str(tree))
        two = cli("check", "--no-cache", "--jobs", "2", "--output-format", fmt, str(tree))
        assert (one.stdout, one.stderr, one.exit_code) == (two.stdout, two.stderr, two.exit_code)
        assert one.exit_code == 1 and one.stdout


def test_a_place_not_foretold_checks_the_run_as_one_group(tree, monkeypatch):
    """When a document's configuration is not the one its path foretold, the run falls back to
    one group (here every file is foretold alone, with no place)."""
    expected = outcome(tree, jobs=1)
    monkeypatch.setattr(batch, "_grouping", lambda ordered, setup: [batch.Group([i], [{}]) for i in range(len(ordered))])
    assert outcome(tree, jobs=1) == expected


def test_groups_follow_the_configurations(tmp_path):
    root = make_tree(tmp_path, 0)
    setup = session.check_setup(session.CheckRequest(paths=[str(root)]))
    candidates, _ = session._candidates(session.CheckRequest(paths=[str(root)]), setup)
    for c in candidates:
        c.content = session._read(c, session.CheckRequest())
    candidates = with_companions(candidates, [])
    groups = batch._grouping(candidates, setup)
    by_display = {c.display: n for n, g in enumerate(groups) for c in (candidates[i] for i in g.members)}

    def group(relative: str) -> int:
        return by_display[str(root / relative)]

    kilo = {group(p) for p in ("nested/kilo.jsonc", "nested/a/kilo.jsonc", "nested/a/b/.kilocode/kilo.jsonc",
                               "home/.config/kilo/kilo.jsonc", "bad/kilo.jsonc")}
    assert len(kilo) == 1  # ancestors, and the user-level file joins every Kilo configuration
    assert group("bad/.claude/settings.json") != group("examples/claude-code/.claude/settings.json")
    assert group("examples/codex/local-catalog/.codex/config.toml") == \
        group("examples/codex/local-catalog/.codex/models.json")  # a companion
    assert len(groups) >= 10  # the other harnesses: one per project


@pytest.mark.parametrize("merged", [1, batch.MERGE_FILES])
def test_documents_are_let_go_group_by_group(tmp_path, monkeypatch, merged):
    """At most a few documents are alive at once while 200 files are checked (before groups:
    all 200 until the end of the run): those of the groups one `check.run` call checks."""
    _generator().generate(str(tmp_path), count=200)
    original = check.load_document
    alive: list[int] = []

    def counting(*args, **kwargs):
        gc.collect()
        alive.append(sum(isinstance(o, Document) for o in gc.get_objects()))
        return original(*args, **kwargs)

    gc.collect()
    before = sum(isinstance(o, Document) for o in gc.get_objects())  # what other tests keep
    monkeypatch.setattr(check, "load_document", counting)
    monkeypatch.setattr(batch, "MERGE_FILES", merged)
    findings, _, files_checked, _ = outcome(tmp_path, jobs=1)
    assert files_checked == 200 and findings
    assert len(alive) == 200 and max(alive) - before <= merged + 2


def _runs(monkeypatch) -> list[int]:
    """The number of files of each `check.run` call."""
    runs: list[int] = []
    run = check.run
    monkeypatch.setattr(check, "run",
                        lambda candidates, *a, **k: runs.append(len(candidates)) or run(candidates, *a, **k))
    return runs


def test_groups_checked_together_give_what_each_gives_alone(tree, monkeypatch):
    """With no cache key to keep them apart, consecutive groups are checked MERGE_FILES files at a
    time (`_merged`), their members in reading order (a Kilo ancestor's file, a companion)."""
    runs = _runs(monkeypatch)
    together = outcome(tree, jobs=1)
    joined = len(runs)
    monkeypatch.setattr(batch, "MERGE_FILES", 1)
    runs.clear()
    assert outcome(tree, jobs=1) == together
    assert joined < len(runs) / 10 and max(runs) > batch.MERGE_FILES  # a group larger than that stays whole


def test_groups_join_only_where_their_files_select_the_same_rules(tmp_path, monkeypatch):
    """b/'s settings select other rules: a/'s ten configurations are checked by one call, b/'s by
    another; with the cache on, each configuration by its own (one entry each)."""
    for part in ("a", "b"):
        _generator().generate(str(tmp_path / part), count=10)
    (tmp_path / "b" / ".cfglint.toml").write_text('ignore = ["CMP"]\n')
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))
    runs = _runs(monkeypatch)
    grouped = outcome(tmp_path, jobs=1)
    assert runs == [10, 10]
    assert grouped == outcome(tmp_path, show_source=True)
    assert any(f["path"].startswith(str(tmp_path / "a")) and f["code"].startswith("CMP") for f in grouped[0])
    runs.clear()
    session.check(session.CheckRequest(paths=[str(tmp_path)], jobs=1))
    assert runs == [1] * 20


def test_one_changed_file_checks_one_configuration(tmp_path, monkeypatch, cli):
    _generator().generate(str(tmp_path / "gen"), count=40)
    loads: list[str] = []
    original = check.load_document

    def counting(candidate, *args, **kwargs):
        loads.append(candidate.display)
        return original(candidate, *args, **kwargs)

    monkeypatch.setattr(check, "load_document", counting)
    first = cli("check", "--output-format", "json", str(tmp_path / "gen"))
    assert len(loads) == 40
    del loads[:]
    assert cli("check", "--output-format", "json", str(tmp_path / "gen")).stdout == first.stdout
    assert loads == []  # every configuration from the cache
    changed = tmp_path / "gen" / "p0001" / "kilo.jsonc"
    changed.write_text(KILO, encoding="utf-8")
    after = cli("check", "--output-format", "json", str(tmp_path / "gen"))
    assert [Path(p).name for p in loads] == ["kilo.jsonc"] and len(loads) == 1
    assert after.stdout == cli("check", "--no-cache", "--output-format", "json", str(tmp_path / "gen")).stdout
    assert "compation" in after.stdout and "compation" not in first.stdout


def test_notes_are_said_on_a_cache_hit(cli, write, tmp_path):
    write("proj/notes.toml", "x = 1\n")
    first = cli("check", str(tmp_path / "proj" / "notes.toml"))
    assert "cannot tell which harness reads it" in first.stderr
    assert cli("check", str(tmp_path / "proj" / "notes.toml")).stderr == first.stderr


def test_a_worker_error_is_the_same_one_line_error(tree, cli, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(check, "check_documents", broken)  # inherited by forked workers
    for jobs in ("1", "2"):
        result = cli("check", "--no-cache", "-j", jobs, str(tree))
        assert result.exit_code == 2 and result.stderr.endswith("cfglint: internal error: RuntimeError: boom\n")


def test_an_error_in_a_worker_alone_is_the_same_one_line_error(tree, cli, monkeypatch):
    """This process checks chunks too: here only the forked workers fail."""
    import os

    parent, real = os.getpid(), check.check_documents

    def broken_in_workers(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("boom in a worker")
        return real(*args, **kwargs)

    monkeypatch.setattr(check, "check_documents", broken_in_workers)
    result = cli("check", "--no-cache", "-j", "2", str(tree))
    assert result.exit_code == 2 and result.stderr.endswith("cfglint: internal error: RuntimeError: boom in a worker\n")


def test_the_run_checks_chunks_here_and_in_the_workers(tree, monkeypatch):
    """Before the fork, the first task of each dialect is checked here (its modules and catalogs
    then shared); during the pool, this process checks chunks between the workers' turns."""
    real, real_warm, here, warmed = batch.check_group, batch._warm, [], []

    def counting(setup, candidates, *args):
        here.append({c.dialect for c in candidates})
        return real(setup, candidates, *args)

    def warm(*args):
        results = real_warm(*args)
        warmed.extend(here)
        return results

    monkeypatch.setattr(batch, "check_group", counting)
    monkeypatch.setattr(batch, "_warm", warm)
    expected = outcome(tree, jobs=1)
    tasks_alone = len(here)
    here.clear()
    assert outcome(tree, jobs=2) == expected
    every_dialect = set().union(*here)
    assert {"kilo", "claude-code", "hermes"} <= every_dialect == set().union(*warmed)
    assert all(not group <= set().union(*warmed[:n]) for n, group in enumerate(warmed))  # each brought a new one
    assert len(warmed) < len(here) < tasks_alone  # chunks here after the warm-up, and in the worker


def test_an_interrupt_stops_the_workers(tree, monkeypatch):
    """The parent is interrupted while the workers are busy: they are stopped, nothing hangs."""
    import concurrent.futures

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(concurrent.futures, "wait", interrupted)
    with pytest.raises(KeyboardInterrupt):
        session.check(session.CheckRequest(paths=[str(tree)], no_cache=True, jobs=2))
    for child in multiprocessing.active_children():
        child.join()
    assert not multiprocessing.active_children()


def test_a_few_files_start_no_pool(tmp_path, monkeypatch):
    """The pre-commit case: a handful of files is checked here, without workers."""
    _generator().generate(str(tmp_path), count=5)

    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(batch, "_pooled", no_pool)
    assert outcome(tmp_path)[2] == 5
    assert batch._jobs(None, 5, 5) == 1 and batch._jobs(0, 5, 5) >= 1
    assert batch._jobs(2, 5, 1) == 1  # never more processes than groups


def test_rules_keep_no_state_so_one_set_serves_every_group(tree, monkeypatch):
    """`check._rules` makes each rule once for every group checked with the same codes: sound only
    while a rule object holds nothing of what it checked."""
    from cfglint.engine import check

    real, used = check._rules, []
    real.cache_clear()

    def noting(codes):
        file_rules, set_rules = real(codes)
        used.extend([*file_rules, *set_rules])
        return file_rules, set_rules

    monkeypatch.setattr(check, "_rules", noting)
    assert outcome(tree, jobs=1)[0]
    assert used and len({id(rule) for rule in used}) < len(used)  # the same objects served many groups
    assert all(not getattr(rule, "__dict__", {}) for rule in used)


def test_a_run_holds_each_name_once(tmp_path, monkeypatch):
    """What a run of 10,000 files keeps per file, counted: the display path of a named file is the
    string it was given when that is how it prints, and the memo of project roots is bounded."""
    from cfglint.core.paths import project_root
    from cfglint.engine.discover import context_layers, discover

    _generator().generate(str(tmp_path / "gen"), count=1100)
    subprocess.run(["git", "-C", str(tmp_path), "init", "-q"], check=True)
    monkeypatch.chdir(tmp_path)
    given = [str(p.relative_to(tmp_path)) for p in sorted((tmp_path / "gen").rglob("*")) if p.is_file()]
    candidates = list(discover(given, dialect=None, homes={}))
    assert len(candidates) == 1100 and all(c.display is c.path for c in candidates)
    assert [c.display for c in discover(["./" + given[0]], dialect=None, homes={})] == [given[0]]
    project_root.cache_clear()
    assert context_layers(candidates, {}) == []
    assert 0 < project_root.cache_info().currsize <= 1024 < 1100
