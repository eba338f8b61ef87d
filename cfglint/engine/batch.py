"""Check a run's files configuration by configuration: flat memory, every core, and a result
cache per configuration.

The files of a run fall into groups such that the files a harness merges into one
configuration (`check.configurations`: a directory's layers, its ancestors' for Kilo and
opencode, the user-level files, the companions they name, the launch layer) are always in one
group. A group's findings are then exactly those a run of every file gives its files: per-file
rules see one file, set rules one configuration, and suppressions, SUP001 and the per-file cap
the findings of one file. So a group is read, checked and dropped before the next: only its
findings (packed in a run of many files), notes and secrets stay, and memory does not grow with
the number of files but with the findings; they are read back one group at a time as they are
printed (`Findings`). With the cache on, a file is read once: its cache key and its check see
the same bytes. With no cache key to keep them apart, consecutive groups whose files select the
same rules are checked together, a few dozen files at a time (`_merged`): one set-up of
`check.run` for them all; and a file is read when its group is checked (`session._check`).

Groups are told before any file is parsed (`_grouping`), from paths, dialects, companions and
settings, so that the result cache (`cache`) is consulted before a parser or a rule module is
imported. A harness's layer methods see a stand-in without data (`_Stub`); when a document's
place, once parsed, is not the one foretold (a pi file told apart by its content), the run is
checked again as one group (`GroupResult.verified`), which is what it was before groups.

Past `JOBS_THRESHOLD` files to check, groups are checked in chunks by this process and a pool
of worker processes (one per core in all); each chunk gives plain data (`GroupResult`), and the
run puts everything back in its order (findings by `Finding.sort_key`, notes and checked paths
by the files' reading order), so the output is the same whatever the number of processes.
"""

from __future__ import annotations

import os
import sys
from collections import abc

from cfglint.core.paths import pure_path
from cfglint.core.record import named_tuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator, Sequence
    from cfglint.core.finding import Finding
    from cfglint.engine.cache import CachedGroup
    from cfglint.engine.discover import Candidate
    from cfglint.engine.session import CheckRequest, _Setup


# Files to check (cache misses) from which a pool is started by default: below it, starting
# workers costs more than it saves (bench/README.md, "Why the pool starts at 400 files").
JOBS_THRESHOLD = 400
MAX_CHUNK_FILES = 200  # files a worker checks per task: few tasks, each still a small share of the run
# Files from which their findings wait packed (`GroupResult.findings`): below, they are few, and
# importing `pickle` would cost the pre-commit path about 2 ms.
PACK_FROM = 100
# Files of consecutive groups one `check.run` call checks when no cache key keeps the groups apart
# (`_merged`): a run's set-up for many files instead of one per configuration (about a tenth of a
# run of 10,000 one-file configurations), and still a few dozen documents alive at once.
MERGE_FILES = 32

Role = tuple  # ("companion",), ("user",) or ("anchor", layer group): a document's place in configurations


@named_tuple
class Group:
    members: list[int]  # indices in the run's reading order
    roles: list[dict[str, Role]] | None  # per member: its place by dialect, as foretold (None: not foretold)
    key: str | None = None  # its cache key (None: no cache)


Task = tuple  # (number of the group, its candidates, their foretold places): one group to check


@named_tuple
class GroupResult:
    """What checking one group gives, as plain data (a worker sends it back)."""

    # Not yet scrubbed, in `Finding.sort_key` order; packed in a run of many files (`_packed`).
    findings: list[Finding] | bytes
    order: Sequence[str]  # the path of each finding (as the rules give it): the run's order across groups
    notes: Sequence[tuple[int, str]]  # (index of the file in the group, note)
    checked: Sequence[tuple[int, str]]  # (index of the file in the group, printable path)
    # Per document that has some, by (launch layer, index of its file): its credential values and
    # the environment values it used (`Redactor.from_secrets`).
    secrets: Sequence[tuple[tuple[bool, int], dict[str, str], dict[str, str]]]
    verified: bool  # every document's place is the one `_grouping` foretold


@named_tuple
class Checked:
    findings: Sequence[Finding]  # scrubbed and printable, sorted (`Findings`)
    notes: list[str]
    files_checked: int
    checked_paths: list[str]


class _Stub:
    """A candidate as a harness's layer methods see a document: its path, no data."""

    __slots__ = ("path", "display_path", "dialect", "data", "companion_of", "named_by", "from_launch", "context")

    def __init__(self, path: str, candidate: Candidate, dialect: str) -> None:
        self.path, self.display_path, self.dialect, self.data = path, candidate.display, dialect, None
        self.companion_of, self.named_by = candidate.companion_of, candidate.named_by
        self.from_launch, self.context = False, candidate.context


def _role(harness: Any, doc: Any) -> Role:
    """Where `check.configurations` puts a document."""
    if doc.companion_of is not None:
        return ("companion",)
    if harness.is_user_layer(doc):
        return ("user",)
    return ("anchor", harness.layer_group(doc))


def check_in_groups(candidates: list[Candidate], setup: _Setup, request: CheckRequest) -> Checked:
    """Check `candidates` (read, companions included) group by group, each from the cache when
    its inputs did not change; the same result as `check.run` on all of them."""
    from cfglint.engine import cache
    from cfglint.engine.discover import read_candidate

    ordered = sorted(candidates, key=lambda c: c.companion_of is not None)  # `check.run`'s reading order
    key = None if request.no_cache else _keys(ordered, setup, request)
    groups = [group._replace(key=key and key(group.members)) for group in _grouping(ordered, setup)]
    if key is None and len(groups) > 1:
        groups = _merged(groups, ordered, setup)
    done: dict[int, CachedGroup | GroupResult] = {}
    for n, group in enumerate(groups):
        hit = cache.load(group.key, len(group.members)) if group.key else None
        if hit is not None:
            done[n] = hit
    tasks = [(n, [ordered[i] for i in g.members], g.roles) for n, g in enumerate(groups) if n not in done]
    groups = [g._replace(roles=None) for g in groups]  # the foretold places: only the tasks need them
    done.update(_check_groups(tasks, setup, request))
    if not all(r.verified for r in done.values() if isinstance(r, GroupResult)):
        # A place not foretold: all files at once (read again: `_check_groups` let go of their bytes).
        for c in ordered:
            if c.content is None and c.path != "-":
                c.content = read_candidate(c)
        everything = list(range(len(ordered)))
        groups = [Group(everything, None, key and key(everything))]
        hit = cache.load(groups[0].key, len(ordered)) if groups[0].key else None
        done = {0: hit if hit is not None else check_group(setup, ordered, None)}
    return _assemble(groups, done, setup)


def _assemble(groups: list[Group], done: dict[int, Any], setup: _Setup) -> Checked:
    """The groups' results in the run's order; the fresh ones to be scrubbed of the run's secrets
    (as `check.RunResult.redactor`), and those with a cache key scrubbed now and stored (each
    let go of once used)."""
    from cfglint.engine import cache

    redactor = _redactor({n: r for n, r in done.items() if isinstance(r, GroupResult)}, groups, setup)
    ordered: list[tuple[str, int, int]] = []
    kept: dict[int, bytes | list[Finding]] = {}
    notes: list[tuple[int, int, str]] = []
    checked: list[tuple[int, str]] = []
    stored = False
    many = sum(len(group.members) for group in groups) >= PACK_FROM
    for n in sorted(done):
        result, (members, _, key) = done.pop(n), groups[n]
        if isinstance(result, GroupResult):
            stores = key is not None and result.verified
            if isinstance(result.findings, bytes) and not stores:
                kept[n] = result.findings  # packed, scrubbed when read (`Findings`)
            else:
                printable = _printable(result.findings, redactor)
                if stores:
                    cache.store(key, cache.CachedGroup(printable, result.order, result.notes, result.checked))
                    stored = True
                kept[n] = _Ready.packed(printable) if many else printable
        else:
            printable = [f.printable() for f in result.findings]
            kept[n] = _Ready.packed(printable) if many else printable
        # No two groups share a file, so the rules' paths alone order findings across groups.
        ordered += [(path, n, i) for i, path in enumerate(result.order)]
        notes += [(members[at], i, note) for i, (at, note) in enumerate(result.notes)]
        checked += [(members[at], path) for at, path in result.checked]
    if stored:
        cache.prune_if_due()
    ordered.sort()
    checked.sort()
    runs: list[list[int]] = []  # (group, how many of its findings in a row): one per group in a tree's order
    for _, n, _ in ordered:
        if runs and runs[-1][0] == n:
            runs[-1][1] += 1
        else:
            runs.append([n, 1])
    return Checked(Findings(runs, kept, redactor), [note for *_, note in sorted(notes)], len(checked),
                   [path for _, path in checked])


class _Ready(bytes):
    """Findings already scrubbed and printable (a stored or cached group's), packed while they
    wait in a run of many files."""

    @classmethod
    def packed(cls, findings: list[Finding]) -> _Ready:
        return cls(_pack(findings))

    def unpacked(self) -> list[Finding]:
        return _unpack(self)


def _pack(findings: list[Finding]) -> bytes:
    """`findings` pickled and compressed (zlib's fastest level): about a tenth of their memory as
    objects (the pickle alone: a third), for ~1 µs a file (the pickle's texts repeat: paths,
    codes, harness names, most of each message)."""
    import pickle
    import zlib

    return zlib.compress(pickle.dumps(findings, pickle.HIGHEST_PROTOCOL), 1)


def _unpack(data: bytes) -> list[Finding]:
    import pickle
    import zlib

    return pickle.loads(zlib.decompress(data))


def _printable(findings: list[Finding] | bytes, redactor: Any) -> list[Finding]:
    if isinstance(findings, bytes):
        findings = _unpack(findings)
    return [f.scrubbed(redactor).printable() for f in findings]


def _packed(result: GroupResult) -> GroupResult:
    """`result` with its findings packed (`_pack`): they wait for the last group, whose secrets
    are scrubbed from every finding."""
    return result._replace(findings=_pack(result.findings))


class Findings(abc.Sequence):
    """A run's findings in output order, each group's kept pickled until read, and read one group
    at a time: a reporter going through them holds the findings of the group it is in (the
    groups of a directory tree come one after the other), not of the run."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, runs: list[list[int]], kept: dict[int, bytes | list[Finding]], redactor: Any) -> None:
        self._runs, self._kept, self._redactor = runs, kept, redactor
        self._length = sum(count for _, count in runs)

    def _group(self, n: int) -> list[Finding]:
        kept = self._kept[n]
        if isinstance(kept, _Ready):
            return kept.unpacked()
        return _printable(kept, self._redactor) if isinstance(kept, bytes) else kept

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Finding]:
        left: dict[int, int] = {}
        for n, count in self._runs:
            left[n] = left.get(n, 0) + count
        read: dict[int, tuple[list[Finding], int]] = {}  # group -> its findings, how many are out
        for n, count in self._runs:
            findings, out = read.pop(n, None) or (self._group(n), 0)
            yield from findings[out:out + count]
            left[n] -= count
            if left[n]:
                read[n] = (findings, out + count)

    def __getitem__(self, at: Any) -> Any:
        return list(self)[at]  # every group read again: for tests; reporters go through them in order

    def __eq__(self, other: object) -> bool:
        return list(self) == (list(other) if isinstance(other, Findings) else other)

    def __repr__(self) -> str:
        return repr(list(self))


def _redactor(fresh: dict[int, GroupResult], groups: list[Group], setup: _Setup) -> Any:
    """The secrets of the documents read in this run, in their order in one run of every file,
    and of its environment (`Redactor.for_run`); None when every group came from the cache."""
    if not fresh:
        return None
    from cfglint.core.secrets import Redactor
    from cfglint.harnesses import plain_env_variables

    secrets = sorted(((launch, groups[n].members[at]), credentials, env)
                     for n, r in fresh.items() for (launch, at), credentials, env in r.secrets)
    return Redactor.from_secrets([(credentials, env) for _, credentials, env in secrets], setup.env, setup.origins,
                                 plain_env_variables())


def _grouping(ordered: list[Candidate], setup: _Setup) -> list[Group]:
    """The groups of `ordered`, told from paths, dialects (a file found by content: every
    dialect that may read it), companions and settings: files sharing a display path, a layer
    group (`Harness.layer_group`), a companion or a launch layer, the user-level files of a
    harness with all its files, and for harnesses that merge ancestors' files each directory
    with the directories above it."""
    from cfglint.engine.discover import SNIFF_LIMIT, document_path, sniffers
    from cfglint.harnesses import DIALECTS, harness_for

    parent = list(range(len(ordered)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        i, j = find(i), find(j)
        parent[max(i, j)] = min(i, j)

    holder: dict[tuple, int] = {}  # what files may share -> the first file holding it

    def join(i: int, shared: tuple) -> None:
        union(i, holder.setdefault(shared, i))

    roles: list[dict[str, Role]] = []
    anchors: dict[str, set[str]] = {}
    for i, candidate in enumerate(ordered):
        path = document_path(candidate)
        join(i, ("display", candidate.display))
        join(i, ("path", path))
        dialects = [candidate.dialect] if candidate.dialect else \
            sniffers(pure_path(path), candidate.content[:SNIFF_LIMIT]) if candidate.content is not None else []
        options = setup.finder.run_options(setup.finder.for_file(candidate.display).resolved, setup.options)
        mine: dict[str, Role] = {}
        for dialect in dialects:
            if dialect not in DIALECTS:
                continue
            role = mine[dialect] = _role(harness_for(dialect), _Stub(path, candidate, dialect))
            if role[0] == "companion":
                for namer in candidate.named_by:
                    join(i, ("path", namer))
            elif role[0] == "user":
                join(i, ("user", dialect))
            else:
                join(i, ("anchor", dialect, role[1]))
                anchors.setdefault(dialect, set()).add(role[1])
            if options.harness_args.get(dialect):
                join(i, ("launch", dialect))
        roles.append(mine)
    for dialect, directories in anchors.items():
        for directory in directories:
            first = holder[("anchor", dialect, directory)]
            if ("user", dialect) in holder:
                union(first, holder[("user", dialect)])
            if harness_for(dialect).layers_from_ancestors and isinstance(directory, str) and directory:
                while (up := os.path.dirname(directory)) != directory:
                    directory = up
                    if ("anchor", dialect, directory) in holder:
                        union(first, holder[("anchor", dialect, directory)])
    members: dict[int, list[int]] = {}
    for i in range(len(ordered)):
        members.setdefault(find(i), []).append(i)
    return [Group(m, [roles[i] for i in m]) for m in members.values()]


def _merged(groups: list[Group], ordered: list[Candidate], setup: _Setup) -> list[Group]:
    """Consecutive groups whose files select the same rules, joined up to MERGE_FILES files (a
    larger group stays whole), to be checked by one `check.run` call: a run of several groups
    gives each group's files what it gives them alone (see the module's docstring)."""
    runs: list[list[Group]] = []
    selected: dict[tuple, frozenset[str]] = {}
    last: set[str] | None = None
    size = 0
    for group in groups:
        codes = _wanted(setup, [ordered[i] for i in group.members], selected)
        if last == codes and size + len(group.members) <= MERGE_FILES:
            runs[-1].append(group)
            size += len(group.members)
        else:
            runs.append([group])
            last, size = codes, len(group.members)
    return [run[0] if len(run) == 1 else _joined(run) for run in runs]


def _joined(run: list[Group]) -> Group:
    """One group of the members of `run`, in reading order (as `check.run` numbers them: a
    companion or a Kilo ancestor's file may come after the next group's files)."""
    members = sorted(((i, role) for group in run for i, role in zip(group.members, group.roles)),
                     key=lambda member: member[0])
    return Group([i for i, _ in members], [role for _, role in members])


def _wanted(setup: _Setup, candidates: list[Candidate], selected: dict[tuple, frozenset[str]]) -> set[str]:
    """The codes the settings of any of `candidates` enable. `selected`: the codes each settings
    enable, shared by the groups told together (the same few settings serve thousands of files)."""
    from cfglint.rules import RULES

    wanted: set[str] = set()
    for settings in (setup.finder.for_file(c.display) for c in candidates):
        key = (id(settings.resolved), settings.per_file_ignores)  # all `FileSettings.enabled` reads
        if key not in selected:
            selected[key] = frozenset(code for code in RULES if settings.enabled(code))
        wanted |= selected[key]
    return wanted


def _keys(ordered: list[Candidate], setup: _Setup, request: CheckRequest) -> Callable[[list[int]], str]:
    """The cache key of a group (by its members' indices): its files, their settings and the
    registry overlays those name, and the run's settings and environment (`cache.Keys`)."""
    from cfglint.engine import cache

    finder = setup.finder
    keys = cache.Keys({"overrides": repr(finder.overrides), "env": sorted(setup.env.items()),
                       "dialect": request.dialect})

    def key(members: list[int]) -> str:
        chosen = [ordered[i] for i in members]
        settings = [finder.for_file(c.display) for c in chosen]
        return keys.key(
            ([os.path.abspath(c.path), c.display, c.dialect, c.content, c.problem, c.context, c.explicit, c.forced,
              c.companion_of, list(c.named_by)] for c in chosen),
            [[s.resolved.as_dict(), s.per_file_ignores] for s in settings],
            [path for s in settings for path in finder.run_options(s.resolved, setup.options).registry_files])

    return key


def _check_groups(tasks: list[Task], setup: _Setup, request: CheckRequest) -> dict[int, GroupResult]:
    """Check the groups of `tasks` here, one after the other, or here and in worker processes
    (`_jobs`). Each task is let go of once checked, its files' bytes too: what a run holds does
    not grow with its files but with its findings."""
    files = sum(len(candidates) for _, candidates, _ in tasks)
    jobs = _jobs(request.jobs, files, len(tasks))
    if jobs < 2:
        results, selected = {}, {}
        pack = _packed if files >= PACK_FROM else lambda result: result
        tasks.reverse()
        while tasks:
            n, candidates, roles = tasks.pop()
            results[n] = pack(check_group(setup, candidates, roles, selected))
            _let_go(candidates)
        return results
    return _pooled(tasks, jobs, max(1, min(MAX_CHUNK_FILES, files // (jobs * 4))), setup, request)


def _let_go(candidates: list[Candidate]) -> None:
    """Drop the bytes of checked files (their key is made): memory stays flat. Standard input
    is kept, as it cannot be read again."""
    for c in candidates:
        if c.path != "-":
            c.content = None


def _jobs(jobs: int | None, files: int, groups: int) -> int:
    """Processes that check, this one included: `jobs` (0: one per core), by default one per
    core past `JOBS_THRESHOLD` files and this one alone below; never more than there are groups."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if jobs is None:
        jobs = cores if files >= JOBS_THRESHOLD else 1
    return min(jobs or cores, groups)


def check_group(setup: _Setup, candidates: list[Candidate], roles: list[dict[str, Role]] | None,
                selected: dict[tuple, frozenset[str]] | None = None) -> GroupResult:
    """Read and check one group (`check.run`, with the rules its files' settings select), keeping
    only plain data; with `roles`, whether each document's place is the foretold one. `selected`:
    as `_wanted`'s, shared by the groups checked together."""
    from cfglint.core.secrets import credential_values
    from cfglint.engine.check import run
    from cfglint.harnesses import DIALECTS, harness_for

    wanted = _wanted(setup, candidates, {} if selected is None else selected)
    result = run(candidates, setup.options, options_for=setup.options_for, wanted=wanted.__contains__,
                 settings_for=setup.settings_for)
    verified = roles is None or all(
        roles[at].get(doc.dialect) == _role(harness_for(doc.dialect), doc)
        for doc, at in zip(result.documents, result.document_at)
        if not doc.from_launch and doc.parse.ok and doc.dialect in DIALECTS and isinstance(doc.data, dict))
    return GroupResult(  # tuples: the empty one takes no memory, and most groups have no notes or secrets
        result.findings, tuple(f.path for f in result.findings),
        tuple(zip(result.note_at, result.notes)),
        tuple((at, _one_line(doc.display_path)) for doc, at in zip(result.documents, result.document_at)
              if not doc.context and not doc.from_launch),
        tuple(((doc.from_launch, at), credentials, dict(doc.parse.env_values))
              for doc, at in zip(result.documents, result.document_at)
              if (credentials := credential_values(doc.data)) or doc.parse.env_values),
        verified)


def _one_line(path: str) -> str:
    """`one_line(path)`, the same string when it escapes nothing: a run does not hold each of its
    paths twice."""
    from cfglint.core.finding import one_line

    line = one_line(path)
    return path if line == path else line


# --- the worker pool -----------------------------------------------------------------

_SETUP: _Setup | None = None  # a worker's setup: inherited (fork) or built by `_start` (spawn)


def _pooled(tasks: list[Task], jobs: int, chunk_files: int, setup: _Setup,
            request: CheckRequest) -> dict[int, GroupResult]:
    """Check the tasks in chunks of about `chunk_files` files, here and in `jobs - 1` worker
    processes, each worker with at most two chunks in flight (the parent holds no more than
    that in pipes). This process checks a chunk of its own whenever the workers have theirs:
    one process fewer for the same wall time, and it is the one that already holds the run
    (at 10,000 files on 2 cores, all processes 65.2 MiB against 85.6 with a worker per core and
    an idle parent: bench/README.md). A worker's exception is raised here as it was raised there; a worker that dies is
    a `BrokenProcessPool`; an interrupt stops the workers."""
    import gc
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    global _SETUP
    chunks: list[list[Task]] = [[]]
    size = 0
    for task in tasks:
        if size >= chunk_files:
            chunks.append([])
            size = 0
        chunks[-1].append(task)
        size += len(task[1])
    tasks.clear()  # each chunk is let go of once its results are back
    fork = sys.platform == "linux"  # fork shares the imported modules and the setup; spawn rebuilds them
    selected: dict[tuple, frozenset[str]] = {}
    results: dict[int, GroupResult] = {}
    if fork:
        results = _warm(setup, chunks, selected)
        _SETUP = setup
        gc.freeze()  # the workers' collector never walks what they inherit: its pages stay shared
    chunks.reverse()
    in_flight = 2 * (jobs - 1)
    executor = ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("fork" if fork else "spawn"),
                                   initializer=_start, initargs=(None if fork else _portable(request),))
    pending: set[Any] = set()
    sent: dict[Any, list] = {}
    try:
        while chunks or pending:
            while chunks and len(pending) < in_flight:
                chunk = chunks.pop()
                future = executor.submit(_work, chunk)
                sent[future] = chunk
                pending.add(future)
            if chunks:
                chunk = chunks.pop()
                results.update(_checked(setup, chunk, selected))
                _let_go([c for _, candidates, _ in chunk for c in candidates])
            finished, pending = wait(pending, timeout=0 if chunks else None, return_when=FIRST_COMPLETED)
            for future in finished:
                results.update(future.result())
                _let_go([c for _, candidates, _ in sent.pop(future) for c in candidates])
    except BaseException:
        # Stop the workers before the pool shuts down: a worker that read the shutdown's sentinel
        # would exit normally, and the pool replaces such a worker with a new one that outlives the
        # run. Killed workers are not replaced; the pool sees itself broken and its thread ends.
        workers = list((getattr(executor, "_processes", None) or {}).values())
        for process in workers:
            process.terminate()
        for process in workers:
            process.join()
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        _SETUP = None
        gc.unfreeze()
    executor.shutdown()
    return results


def _warm(setup: _Setup, chunks: list[list[Task]], selected: dict[tuple, frozenset[str]]) -> dict[int, GroupResult]:
    """Before forking: import every rule module, load the files' registries, and check here
    each task that holds a dialect no task before it held (taking it out of `chunks`), so that
    the workers share the modules, catalogs and patterns those checks load instead of each
    loading them again (at 10,000 files: 19 -> 12 MiB private a worker). Returns those tasks'
    results."""
    from cfglint.rules import RULES, rule_for

    for code in RULES:
        rule_for(code)
    finder = setup.finder
    candidates = [c for chunk in chunks for _, group, _ in chunk for c in group]
    for options in {id(o): o for o in (finder.run_options(finder.for_file(c.display).resolved, setup.options)
                                       for c in candidates)}.values():
        options.registry  # noqa: B018
    seen: set[str | None] = set()
    first: list[Task] = []
    for chunk in chunks:
        for task in chunk:
            if not {c.dialect for c in task[1]} <= seen:
                seen.update(c.dialect for c in task[1])
                first.append(task)
    taken = {id(task) for task in first}
    for chunk in chunks:
        chunk[:] = [task for task in chunk if id(task) not in taken]
    chunks[:] = [chunk for chunk in chunks if chunk]
    results = _checked(setup, first, selected)
    _let_go([c for _, group, _ in first for c in group])
    return results


def _portable(request: CheckRequest) -> CheckRequest:
    """The request a spawned worker rebuilds the setup from, without the standard input (read
    already, and maybe not picklable)."""
    from cfglint.engine.session import Request

    return request._replace(stdin=Request().stdin)


def _start(request: Any) -> None:
    """A worker ignores interrupts (the parent stops it) and, when spawned, builds the setup."""
    import signal

    global _SETUP
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if request is not None:
        from cfglint.engine.session import check_setup

        _SETUP = check_setup(request)


def _work(chunk: Sequence[Task]) -> dict[int, GroupResult]:
    """A worker's turn: the chunk's results."""
    assert _SETUP is not None
    return _checked(_SETUP, chunk, {})


def _checked(setup: _Setup, chunk: Sequence[Task], selected: dict[tuple, frozenset[str]]) -> dict[int, GroupResult]:
    return {n: _packed(check_group(setup, candidates, roles, selected)) for n, candidates, roles in chunk}

