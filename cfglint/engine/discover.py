"""Find the config files to lint and tell their dialect.

Paths named on the command line are always linted (when their dialect can be
told); directories are walked, using `git ls-files` inside a git repository
(tracked and untracked-but-not-ignored files), and never descend into `.git`,
`node_modules` or virtualenvs. The dialect comes from the file's name and
directory (`product.md`, "Harnesses and dialects"), a TOML file elsewhere by
its content, and `--dialect` wins for files named explicitly. The other
files a harness merges with a named file (`context_layers`) are looked for
in the few directories where they can lie before git lists the worktree.

The walk trusts nothing in the tree (SECURITY.md): git runs with a
configuration cfglint fixes (`_git_files`), a symbolic link is only followed
when it stays inside the directory being walked, an entry's type is known
before it is opened, and every read is bounded (`cfglint.core.safeio`).
"""

from __future__ import annotations

import os
import stat

from cfglint.core.paths import project_root, pure_path
from cfglint.core.record import Record
from cfglint.harnesses import DIALECTS, harness_for, home_variables
from cfglint.harnesses.names import NAMES, may_sniff, recognises
from cfglint.core.safeio import BoundedReadError, read_bytes
from cfglint.core.text import MAX_FILE_BYTES, UnreadableText

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import PurePath
    from typing import Callable, Iterator, Mapping
    from cfglint.engine.gitignore import IgnoreTree

SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".nox",
                       ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages"})
SNIFF_LIMIT = 1024 * 1024
PROBE_LIMIT = 1000  # paths judged before git is asked instead (`_list_region`): about 15 ms


class UsageError(Exception):
    """A path on the command line that does not exist or cannot be opened (exit 2)."""


class Candidate(Record):
    __slots__ = ("path", "display", "dialect", "explicit", "problem", "forced", "content", "companion_of",
                 "named_by", "context")

    def __init__(self, path: str, display: str, dialect: str | None, explicit: bool, problem: str | None = None,
                 forced: bool = False, content: bytes | None = None, companion_of: str | None = None,
                 named_by: tuple[str, ...] = (), context: bool = False) -> None:
        self.path = path  # the path to open
        self.display = display  # the path as findings print it
        self.dialect = dialect  # None: tell by content (TOML)
        self.explicit = explicit
        self.problem = problem  # set when the path is not a regular file (SYN004)
        # The dialect comes from --dialect or the settings' `dialects`, not from the file's name.
        self.forced = forced
        self.content = content  # the bytes, once read (the session reads each file once, for the cache key)
        # A companion (`Harness.companion_files`): the path of the file naming it, and of every file naming it.
        self.companion_of, self.named_by = companion_of, named_by
        self.context = context  # read only to complete the configuration of the files asked about


def document_path(candidate: Candidate) -> str:
    """The absolute path a candidate is linted as. Standard input (`-`) is linted as the file
    `--stdin-filename` names: its layers, harness facts and companions follow that name."""
    return os.path.abspath(candidate.display if candidate.path == "-" else candidate.path)


def dialect_by_name(path: PurePath, homes: Mapping[str, str]) -> str | None:
    """The first dialect in table order whose harness reads a file at `path`, by its name and
    directory; told from data (`harnesses.names`), without importing any unit."""
    for dialect in DIALECTS:
        home_env = NAMES[dialect].home_env
        if recognises(dialect, path, homes.get(home_env) if home_env else None):
            return dialect
    return None


def sniffers(path: PurePath, head: bytes) -> list[str]:
    """Dialects whose harness may read a file found by no name, by its suffix and first bytes."""
    return [dialect for dialect in DIALECTS if may_sniff(dialect, path, head)]


def _sniffable_suffixes() -> frozenset[str]:
    return frozenset(suffix for dialect in DIALECTS for suffix in NAMES[dialect].sniff_suffixes)


if TYPE_CHECKING:
    # The dialect cfglint's own settings give a path (`dialects = {"configs/*.json" = "opencode"}`).
    DialectMap = Callable[[str], "str | None"]


def _unmapped(path: str) -> str | None:
    return None


def discover(paths: list[str], *, dialect: str | None, homes: Mapping[str, str],
             notes: list[str] | None = None, mapped: DialectMap = _unmapped, sniff: bool = True
             ) -> Iterator[Candidate]:
    """The candidates of `paths` (default `.`); one-line notes about what the walk skipped or
    could not do go to `notes` when given. The dialect of a file: `dialect` (--dialect), else
    `mapped(path)` (the settings' `dialects`), else its name, else its content (a walk with
    `sniff` False leaves out, unread, the files only their content could tell)."""
    notes = [] if notes is None else notes
    for given in paths or ["."]:
        try:
            st = os.stat(given)
        except FileNotFoundError:
            raise UsageError(f"{given}: no such file or directory") from None
        except OSError as exc:
            raise UsageError(f"{given}: {exc.strerror or exc}") from None
        if stat.S_ISDIR(st.st_mode):
            named = dialect or dialect_by_name(pure_path(os.path.abspath(given)), homes)
            if named and pure_path(given).suffix in (".json", ".jsonc", ".toml", ".yaml", ".yml"):
                yield Candidate(given, _display(given), named, True, "path is a directory, not a config file")
                continue
            yield from _walk(given, dialect=dialect, homes=homes, notes=notes, mapped=mapped, sniff=sniff)
            continue
        if not os.access(given, os.R_OK):
            raise UsageError(f"{given}: permission denied")
        forced = dialect or mapped(given)
        chosen = forced or dialect_by_name(pure_path(os.path.abspath(given)), homes)
        problem = None if stat.S_ISREG(st.st_mode) else "path is not a regular file (device, FIFO or socket)"
        yield Candidate(given, _display(given), chosen, True, problem, forced=forced is not None)


def _walk(root: str, *, dialect: str | None, homes: Mapping[str, str], notes: list[str],
          mapped: DialectMap, sniff: bool, among: Callable[[str], bool] | None = None) -> Iterator[Candidate]:
    """The config files below `root`, in the order of their paths; with `among`, only those
    whose absolute path it keeps (told before any other work on the path)."""
    tree = os.path.realpath(root)
    for rel in sorted(_list_files(root, notes)):
        if among is not None and not among(os.path.abspath(os.path.join(root, rel))):
            continue
        candidate = _listed(root, rel, tree, dialect=dialect, homes=homes, notes=notes, mapped=mapped, sniff=sniff)
        if candidate is not None:
            yield candidate


def _listed(root: str, rel: str, tree: str, *, dialect: str | None, homes: Mapping[str, str], notes: list[str],
            mapped: DialectMap, sniff: bool) -> Candidate | None:
    """The candidate a walk of `root` (real path `tree`) makes of the path `rel` listed below it,
    or None; the one classification of both the walk and the context-layer probe. Names come
    first (no I/O); then the entry's type, without opening it; only a regular file is read, to
    sniff its content. Nothing outside `root` is used: a symbolic link out of it is skipped with
    a note (SECURITY.md)."""
    parts = pure_path(rel).parts
    if any(part in SKIP_DIRS for part in parts[:-1]):
        return None
    full = os.path.join(root, rel) if root != "." else rel
    abs_path = pure_path(os.path.abspath(full))
    by_settings = mapped(full)
    named = by_settings or dialect_by_name(abs_path, homes)
    if named is None and not (sniff and abs_path.suffix in _sniffable_suffixes()):
        return None
    if not _inside(os.path.realpath(full), tree):
        if named is not None:  # a file only sniffing could tell is skipped without a word
            notes.append(f"{_display(full)}: skipped, a symbolic link out of {_display(root)} "
                         "(name it on the command line to lint it)")
        return None
    try:
        st = os.stat(full)
    except OSError:
        return None
    if named is None and not (stat.S_ISREG(st.st_mode) and sniffers(abs_path, _head(full))):
        return None
    if stat.S_ISDIR(st.st_mode):
        return Candidate(full, _display(full), dialect or named, False, "path is a directory, not a config file")
    if not stat.S_ISREG(st.st_mode):
        return Candidate(full, _display(full), dialect or named, False,
                         "path is not a regular file (device, FIFO or socket)")
    return Candidate(full, _display(full), dialect or named, False,
                     forced=dialect is not None or by_settings is not None)


def _inside(path: str, tree: str) -> bool:
    return path == tree or path.startswith(tree.rstrip(os.sep) + os.sep)


def _head(path: str) -> bytes:
    """The first bytes of a regular file, for content sniffing (empty when unreadable or over
    the size limit: such a file is not sniffed)."""
    try:
        return read_bytes(path, MAX_FILE_BYTES)[:SNIFF_LIMIT]
    except OSError:
        return b""


def _list_files(root: str, notes: list[str]) -> list[str]:
    """Paths below `root`, relative to it: from git inside a git worktree (tracked files and
    untracked ones not ignored), else by walking the directory; when git fails in a worktree,
    by walking it and honouring its `.gitignore` files, with a note saying why."""
    top = _worktree_top(root)
    if top is None:
        return _walk_tree(root, None)
    try:
        return _git_files(root)
    except GitFailed as exc:
        notes.append(f"git ls-files failed in {_display(root)} ({exc}); walked the directory instead, "
                     "honouring .gitignore files")
    from cfglint.engine.gitignore import IgnoreTree

    return _walk_tree(root, IgnoreTree(top, root, notes))


def _worktree_top(root: str) -> str | None:
    """The closest directory at or above `root` that holds a `.git` (directory or file)."""
    current = os.path.realpath(root)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _walk_tree(root: str, ignores: IgnoreTree | None) -> list[str]:
    """Paths below `root` by walking it (directory links are not followed), minus what `ignores` skips."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        base = [] if rel_dir == "." else rel_dir.split(os.sep)
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS
                       and not os.path.exists(os.path.join(dirpath, d, "pyvenv.cfg"))
                       and not (ignores and ignores.ignored(base + [d], is_dir=True))]
        files = [f for f in filenames if not (ignores and ignores.ignored(base + [f], is_dir=False))]
        for name in files + [d for d in dirnames if _config_like_dir(d)]:
            found.append(name if rel_dir == "." else os.path.join(rel_dir, name))
    return found


def _config_like_dir(name: str) -> bool:
    return pure_path(name).suffix in (".json", ".jsonc", ".toml", ".yaml")


class GitFailed(Exception):
    """`git ls-files` could not list the files; the message says why, in a few words."""


# Every repository setting that could make `git ls-files` run a program or read a file outside
# the repository is overridden here (command-line `-c` beats every config file, including ones
# pulled in by `include.path`/`includeIf`). core.excludesFile=/dev/null: the repository's value
# could name a FIFO or a device; the cost is that the user's own global ignore file is not
# honoured either (a file ignored only there is linted).
GIT_OVERRIDES = ("core.fsmonitor=false", "core.untrackedCache=false", "core.hooksPath=/dev/null",
                 "core.excludesFile=/dev/null", "core.pager=cat", "protocol.allow=never")
GIT_TIMEOUT = 30.0  # seconds; a listing takes well under one (a .gitignore that is a FIFO blocks git)
GIT_OUTPUT_LIMIT = 64 * 1024 * 1024  # about a million file names


def _git_files(root: str) -> list[str]:
    """Files git knows under `root` (tracked, plus untracked ones not ignored)."""
    command = ["git", "--no-pager"]
    for setting in GIT_OVERRIDES:
        command += ["-c", setting]
    out = _run_bounded(command + ["-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
    names = [n for n in out.decode("utf-8", "surrogateescape").split("\0") if n]
    return [n for n in dict.fromkeys(names) if os.path.lexists(os.path.join(root, n))]


def _git_environment() -> dict[str, str]:
    """A fixed environment: nothing inherited can point git elsewhere (GIT_DIR, GIT_CONFIG_*,
    GIT_EXEC_PATH...). HOME is kept so that the user's own global config still supplies
    `safe.directory`; the system config is skipped."""
    env = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    for name in ("PATH", "HOME", "SYSTEMROOT"):  # SYSTEMROOT: Windows cannot start processes without it
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _run_bounded(command: list[str]) -> bytes:
    """The standard output of `command`, killed after GIT_TIMEOUT or past GIT_OUTPUT_LIMIT bytes."""
    import subprocess  # imported here: a run outside a git worktree never starts git
    import tempfile
    import threading

    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors,
                                       env=_git_environment())
        except OSError as exc:
            raise GitFailed(f"cannot run git: {exc.strerror or exc}") from None
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            process.kill()

        timer = threading.Timer(GIT_TIMEOUT, stop)
        timer.start()
        try:
            assert process.stdout is not None
            with process.stdout:
                out = process.stdout.read(GIT_OUTPUT_LIMIT + 1)
                if len(out) > GIT_OUTPUT_LIMIT:
                    process.kill()
            process.wait()
        finally:
            timer.cancel()
        if timed_out.is_set():
            raise GitFailed(f"it did not finish within {GIT_TIMEOUT:.0f} s")
        if len(out) > GIT_OUTPUT_LIMIT:
            raise GitFailed(f"it listed more than {GIT_OUTPUT_LIMIT:,} bytes of names")
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read(4096).decode("utf-8", "replace").strip().splitlines()
            first = "".join(c if c.isprintable() else "?" for c in (message[0] if message else ""))[:200]
            raise GitFailed(first or f"exit status {process.returncode}")
        return out


def _display(path: str) -> str:
    """`path` as findings print it; `path` itself when that is how it is written (a run of
    10,000 files holds each name once)."""
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return path
        return path if rel.startswith("..") else rel
    normal = os.path.normpath(path)
    return path if normal == path else normal


def homes_from(env: Mapping[str, str]) -> dict[str, str]:
    """Harness home directories named by environment variables (only the ones given)."""
    result = {}
    for var in home_variables():
        value = env.get(var)
        if value:
            from pathlib import Path  # only with `--use-env`: a check imports no `pathlib`

            result[var] = str(Path(value).expanduser().resolve())
    return result


def with_companions(candidates: list[Candidate], notes: list[str],
                    excluded: Callable[[str], bool] = lambda display: False) -> list[Candidate]:
    """`candidates` (their `content` read) and the companion files they name
    (`Harness.companion_files`), read here, bounded like any config, so that the result cache's
    key covers their bytes. A name is relative to the naming file's directory; one that leads
    out of the project (`core.paths.project_root` of that directory; links resolved) is not read,
    with a note; a missing one is skipped without a word (the harness unit reports it), and so is
    an `excluded` one. A file named by several configs is read once and joins each; one the run
    already holds (found by the walk) becomes the companion instead of being linted twice.
    Companions name no further companions."""
    named = [(c, dialect, names) for c in candidates for dialect, names in [_companion_names(c)] if names]
    if not named:
        return candidates
    namers = {id(c) for c, _, _ in named}
    by_real = {os.path.realpath(c.path): c for c in candidates if c.path != "-"}
    added: list[Candidate] = []
    for namer, dialect, names in named:
        base = os.path.dirname(document_path(namer))
        root = project_root(base)
        inside = os.path.realpath(root)
        for name in names:
            if "\0" in name:  # no file has such a name
                continue
            target = os.path.normpath(os.path.join(base, name))
            real = os.path.realpath(target)
            if not _inside(real, inside):
                notes.append(f"{namer.display}: not reading {name!r}, which it names: it is outside the project "
                             f"({_display(root)})")
                continue
            if not os.path.lexists(target):
                continue
            companion = by_real.get(real)
            if companion is None:
                display = _display(target)
                if excluded(display):
                    continue
                companion = by_real[real] = Candidate(target, display, dialect, False, forced=True)
                companion.content = read_candidate(companion)
                added.append(companion)
            elif id(companion) in namers or companion.dialect not in (None, dialect):
                continue  # a config of its own (or another harness's file): linted as what it is
            companion.dialect, companion.forced = dialect, True
            companion.named_by = tuple(dict.fromkeys((*companion.named_by, document_path(namer))))
            companion.companion_of = companion.named_by[0]
    return candidates + added


def context_layers(candidates: list[Candidate], homes: Mapping[str, str], mapped: DialectMap = _unmapped, *,
                   probe: bool = True) -> list[Candidate]:
    """The other files of the same harnesses, inside the projects of the files named one by one
    (pre-commit passes only the staged ones), that a harness may merge with them: so that budgets
    and references are judged on the merge the harness makes. They are found as a walk of each
    project would find them (by name; git's file list inside a worktree) and returned marked
    `context`: the engine merges them and reports nothing on them. A directory given on the
    command line already brings its files; only a git worktree is searched (git lists its files).
    Git runs only when a look at the directories where a layer could be finds one (`_may_hold_layers`;
    `probe` False: always, as the comparison in the tests does)."""
    from cfglint.core.paths import project_root

    paths = [document_path(c) for c in candidates]
    named = [(c, path) for c, path in zip(candidates, paths)
             if c.explicit and c.dialect and c.problem is None and c.companion_of is None]
    if not named:
        return []
    given = set(paths)
    held = _RealPaths(given)  # standard input stands for its file
    dialects_by_root: dict[str, set[str]] = {}
    for candidate, path in named:
        dialects_by_root.setdefault(project_root(os.path.dirname(path)), set()).add(candidate.dialect)
    found: list[Candidate] = []
    for root, dialects in dialects_by_root.items():
        if not os.path.exists(os.path.join(root, ".git")):  # a worktree: git lists its files (no walk of $HOME)
            continue
        chain = _chain(root, {_project_dir(path, root) for _, path in named})
        if probe and not _may_hold_layers(root, chain, dialects, held, homes, mapped):
            continue
        # Files only their content could tell have no dialect here, so never are layers: not read.
        # A path the run holds or outside the chain is no layer (`_is_layer`): not classified (a
        # run naming every config of a large worktree would classify each twice).
        def among(path: str, root: str = root, chain: set[str] = chain) -> bool:
            return path not in given and _project_dir(path, root) in chain

        for candidate in _walk(root, dialect=None, homes=homes, notes=[], mapped=mapped, sniff=False, among=among):
            if _is_layer(candidate, root, chain, dialects, held):
                held.add(os.path.realpath(candidate.path))
                candidate.context, candidate.explicit = True, False
                candidate.display = _display(candidate.path)
                found.append(candidate)
    return found


class _RealPaths:
    """The real paths of `paths`, and those added, resolved on the first lookup: a run naming
    every config of a worktree, none of which has a layer it does not hold, resolves none."""

    def __init__(self, paths: set[str]) -> None:
        self._paths: set[str] | None = paths
        self._real: set[str] = set()

    def __contains__(self, real: str) -> bool:
        if self._paths is not None:
            self._real.update(os.path.realpath(path) for path in self._paths)
            self._paths = None
        return real in self._real

    def add(self, real: str) -> None:
        self._real.add(real)


def _is_layer(candidate: Candidate, root: str, chain: set[str], dialects: set[str], held: _RealPaths) -> bool:
    """A file of the worktree `root` is a layer of the named files (their dialects, the `_chain` of
    their projects) not yet held: it configures one of their projects or an ancestor (`_within`)."""
    return (candidate.dialect in dialects and candidate.problem is None
            and os.path.realpath(candidate.path) not in held
            and _project_dir(os.path.abspath(candidate.path), root) in chain)


def _chain(root: str, projects: set[str]) -> set[str]:
    """Each of `projects` and each directory above it up to `root`: the directories a layer may
    configure (`_within(project, other)` holds exactly for `other` in the chain of `project`), as a
    set, so that judging a file is one lookup however many files are named."""
    chain: set[str] = set()
    for project in projects:
        current = project
        while _within(current, root) and current not in chain:
            chain.add(current)
            current = os.path.dirname(current)
    return chain


def _may_hold_layers(root: str, chain: set[str], dialects: set[str], held: _RealPaths, homes: Mapping[str, str],
                     mapped: DialectMap) -> bool:
    """False only when git's list of `root` holds no layer, told without running git (a process
    and `subprocess`'s import on every commit, issue 15). Sound because every path git lists is
    on disk (`_git_files` keeps only those; when git fails, the walk lists the disk), a layer's
    path lies in the region `_layer_region` lists, and each path listed there is judged by the
    walk's own code (`_listed`, `_is_layer`): git's layers are among the probe's. When a listing
    may miss a name git could give, this says True and git decides (and always on Windows, where
    a lookup also ignores a name's trailing dots and spaces)."""
    region = _layer_region(root, chain) if os.name == "posix" else None
    if region is None:
        return True
    tree = os.path.realpath(root)
    for rel in region:
        candidate = _listed(root, rel, tree, dialect=None, homes=homes, notes=[], mapped=mapped, sniff=False)
        if candidate is not None and _is_layer(candidate, root, chain, dialects, held):
            return True
    return False


def _layer_region(root: str, chain: set[str]) -> list[str] | None:
    """The paths, relative to `root`, of every entry `_project_dir` may place in `chain` (the
    projects and the directories above them): those in each directory of the chain, in its
    dot-directories and in their subdirectories; when `root` is itself a dot-directory, also those
    in its subdirectories (`_project_dir` clamps them to `root`). None when a listing might miss a
    path git lists (`_entries`, `_subdirectory`)."""
    region: list[str] = []
    dot_root = os.path.basename(root).startswith(".")
    for directory in chain:
        rel = os.path.relpath(directory, root)
        rel = "" if rel == "." else rel
        below = int(dot_root and not rel)  # how deep a subdirectory of no dot-name may hold a layer
        if not _list_region(root, rel, lambda name: 2 if name.startswith(".") else below, region):
            return None
    return region


def _list_region(root: str, rel: str, depth: Callable[[str], int], region: list[str]) -> bool:
    """Adds to `region` the paths of the entries of `root`'s directory `rel` and of those below each
    subdirectory, `depth(name)` levels deep; False when a listing might miss a path git lists, or
    past PROBE_LIMIT paths (a large ignored dot-directory: git lists the worktree for less). A
    directory is entered or not, never itself in `region`: git lists no directory, and the walk
    makes none a layer (a directory named like a config is a problem, SYN004), so a project among
    thousands of sibling directories costs a listing, not a judgement of each."""
    entries = _entries(os.path.join(root, rel))
    if entries is None:
        return False
    for name, entry in entries.items():
        levels, inner = depth(name), _subdirectory(entry)
        if inner:
            if levels and not _list_region(root, os.path.join(rel, name), lambda _: levels - 1, region):
                return False
            continue
        if inner is None and levels:
            return False
        region.append(os.path.join(rel, name))
        if len(region) > PROBE_LIMIT:
            return False
    return True


def _subdirectory(entry: os.DirEntry) -> bool | None:
    """Whether the region's listing enters `entry`: a real directory not in SKIP_DIRS (the walk
    skips what is below those: `.git`, `node_modules`). None for a symbolic link to a directory,
    or an entry whose type cannot be told: git lists paths through a link only from a stale index,
    and its target may lie outside the worktree. The target is asked with `os.stat`, which a
    recorded run notes (`engine.replay`)."""
    if entry.name in SKIP_DIRS:
        return False
    try:
        if entry.is_dir(follow_symlinks=False):
            return True
        return None if entry.is_symlink() and os.path.isdir(entry.path) else False
    except OSError:
        return None


def _entries(directory: str) -> dict[str, os.DirEntry] | None:
    """The entries of `directory` by name (none when it is missing or not a directory: nothing
    below it exists), or None when a lookup there might find a file under a name not listed,
    which git could give: the directory is unreadable, a name is not ASCII (a file system may
    normalise Unicode; git's names are decoded as UTF-8, the listing's by the file-system
    encoding), or lookups ignore case (tried with one listed name, its case swapped)."""
    try:
        with os.scandir(directory) as listing:
            entries = {entry.name: entry for entry in listing}
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError:
        return None
    if not all(name.isascii() for name in entries):
        return None
    for name in entries:
        swapped = name.swapcase()
        if swapped != name:
            return entries if swapped in entries or not os.path.lexists(os.path.join(directory, swapped)) else None
    return entries  # no letters: a lookup that ignores case finds these names only as they are


def _project_dir(path: str, root: str) -> str:
    """The directory a config file configures: its own, or the parent of a dot-directory such as
    `.kilocode/`, `.codex/`, `.claude/` (`.pi/agent/`: the parent of `.pi`); never above the
    worktree `root` (a repository may itself be a dot-directory, `~/.dotfiles`)."""
    folder = os.path.dirname(path)
    parent = os.path.dirname(folder)
    if os.path.basename(folder).startswith("."):
        folder = parent
    elif os.path.basename(parent).startswith("."):
        folder = os.path.dirname(parent)
    return folder if _within(folder, root) else root


def _within(project: str, other: str) -> bool:
    """`other` configures `project` or one of its ancestors: a layer a harness may merge into it
    (Kilo and opencode merge ancestors' files; the others, the files of one directory)."""
    return project == other or project.startswith(other.rstrip(os.sep) + os.sep)


def _companion_names(candidate: Candidate) -> tuple[str | None, list[str]]:
    """The dialect of a candidate's harness and the companion files it names (a file found by
    content: the first harness that may read it and names some)."""
    if candidate.content is None or candidate.problem is not None or candidate.companion_of is not None:
        return None, []
    path = pure_path(document_path(candidate))
    for dialect in [candidate.dialect] if candidate.dialect else sniffers(path, candidate.content[:SNIFF_LIMIT]):
        names = harness_for(dialect).companion_files(path, candidate.content)
        if names:
            return dialect, names
    return None, []


def needed_before_check(candidate: Candidate) -> bool:
    """Whether a run without the result cache (no key to make) needs the bytes of `candidate`,
    read, before its group is checked: standard input (it cannot be read again), a file whose
    dialect only its content tells, one that names companions (`with_companions`). The others
    are read again when checked."""
    return candidate.path == "-" or candidate.dialect is None or bool(_companion_names(candidate)[1])


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
    """A config's bytes, never blocking (a FIFO, a device) and refusing files over the size limit
    before reading them; each such problem is an `UnreadableText` (SYN004)."""
    try:
        return read_bytes(path, MAX_FILE_BYTES)
    except BoundedReadError as exc:
        raise UnreadableText(str(exc)) from None
