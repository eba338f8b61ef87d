"""Replay a whole run: `cfglint check FILE...` run again on inputs that did not change prints
what the last run printed, without importing the linter.

The result cache (`cfglint.engine.cache`) saves checking a configuration again, but a run that
reads only cache entries still imports the settings lookup, discovery, the harness units and
the output formats: more than twice the interpreter's start-up (issue 15). The commonest hit is
the same command on the same files (a commit retried after another hook failed, `pre-commit run
--all-files` twice, an editor saving an unchanged buffer), so such a run is recorded: what it
printed, its exit status, and every input it had, as the operating system saw them:

- each path it asked about (`os.stat`, `os.lstat`, `os.access`), with what the answer was: absent,
  a directory (its type, permissions and inode), or a file (type, permissions, inode, size,
  modification and change times);
- each file it opened (the `open` audit event), by a hash of its bytes: times alone would miss an
  edit within the file system's timestamp granularity that keeps the size (the program's own data
  files, which change only with the program, by their metadata);
- each directory it listed (`os.scandir`, `os.listdir`), by a hash of its entries' names and types;
- each environment variable it read (a hash of the value, so nothing secret is stored);
- the source file of every module outside the standard library it had imported (an upgrade or an
  edit of cfglint or a dependency is a different program);
- and, in the key itself: cfglint's version, the interpreter, its flags and module search path
  (another copy of cfglint on `PYTHONPATH` is another program), the working directory, the
  arguments, and the terminal and encoding of both output streams.

A later run with the same key replays the record only if every input answers as it did; anything
else (a file edited, a settings file created in a parent directory, a variable set) is a normal
run, which records afresh. Those primitives are the only ways cfglint asks the file system (a
test fails on any other in `cfglint/`). A run is not recorded when it started a process (git
lists a worktree's files; workers), asked about a path relative to a directory descriptor, read
the whole environment, wrote outside the cache directory, printed to a stream's raw buffer,
exited with status 2 (a usage or internal error), or printed more than `MAX_OUTPUT` characters.

Entries live in the result cache's directory, under keys of their own, and are pruned with it.
An entry is input like any cache entry: a malformed one is a miss, never an error.
"""

from __future__ import annotations

import json
import os
import stat
import sys

from cfglint import __version__
from cfglint.core.paths import cache_entry_path, digest, results_dir

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` is not imported at run time: a replay does without it
    from typing import Any, Callable, NoReturn

FORMAT = 1  # bump when the record or the key changes shape
MAX_OUTPUT = 1024 * 1024  # characters printed; a larger output is not recorded
MAX_INPUTS = 20_000  # paths, listings and variables; a run that asks about more is not recorded
MAX_PATHS = 2_000  # a file named asks at least its stat, its real path's links, its settings files
MAX_ENTRY_BYTES = 8 * 1024 * 1024
MAX_HASHED_BYTES = 10 * 1024 * 1024  # as `core.safeio`'s default: no file cfglint reads whole is larger
PROGRAM = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "")  # cfglint's own files
_ABSENT = ("absent",)
_PROCESS_EVENTS = frozenset({"subprocess.Popen", "os.fork", "os.forkpty", "os.posix_spawn", "os.exec", "os.system"})
# The audit events the recorder reads; the others (an import, a `marshal.loads`, an `exec`: most of
# the ~450 of a check) are passed over before anything else is done.
_NOTED_EVENTS = _PROCESS_EVENTS | {"open", "os.scandir", "os.listdir"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def run(paths: list[str], check: Callable[[], NoReturn]) -> NoReturn:
    """Replay the record of `cfglint check PATHS` when its inputs are unchanged; else run `check`
    (which exits) and record it. A run naming more than `MAX_PATHS` paths is neither: its inputs
    would outnumber `MAX_INPUTS`, so noting them would only slow it down."""
    try:
        key = _key(paths)
    except OSError:  # no working directory (removed under the shell): nothing to key a record by
        check()
    if len(paths) > MAX_PATHS:
        check()
    _replay(cache_entry_path(key))
    recorder = _Recorder()
    try:
        with recorder:
            check()
    except SystemExit as exc:
        if exc.code in (0, 1):
            recorder.store(cache_entry_path(key), exc.code)
        raise
    raise AssertionError("check() returned")  # it always exits


def _key(paths: list[str]) -> str:
    streams = [[_isatty(s), getattr(s, "encoding", None), getattr(s, "errors", None)] for s in (sys.stdout, sys.stderr)]
    header = ["replay", FORMAT, __version__, sys.version, sys.executable, list(sys.flags), sys.path, sys.platform,
              os.getcwd(), paths, streams]
    return digest(json.dumps(header).encode("utf-8", "surrogateescape")).hexdigest()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except Exception:
        return False


# --- replaying ------------------------------------------------------------------------


def _replay(entry_path: str) -> None:
    """Print the record at `entry_path` and exit, when it is valid and every input it lists is
    unchanged; otherwise return (a malformed record is removed)."""
    from cfglint.core.safeio import read_bytes

    try:
        try:
            record = json.loads(read_bytes(entry_path, MAX_ENTRY_BYTES, what="replay record"))
        except FileNotFoundError:
            return
        if not _valid(record):
            raise ValueError("not a replay record")
    except (OSError, ValueError, RecursionError):  # not a regular file (a FIFO would block), too big, broken
        try:
            os.unlink(entry_path)
        except OSError:
            pass
        return
    try:
        if not all(_answer(kind, subject) == expected for kind, subject, expected in record["inputs"]):
            return
    except (OSError, ValueError, TypeError):  # a subject no system call takes (a NUL byte, a bad mode)
        return
    for to_stderr, text in record["output"]:
        stream = sys.stderr if to_stderr else sys.stdout
        stream.write(text)
        stream.flush()
    sys.exit(record["status"])


def _valid(record: Any) -> bool:
    return (isinstance(record, dict) and record.get("format") == FORMAT and record.get("status") in (0, 1)
            and isinstance(record.get("inputs"), list) and isinstance(record.get("output"), list)
            and all(isinstance(item, list) and len(item) == 3 and item[0] in _ANSWERS and isinstance(item[1], str)
                    for item in record["inputs"])
            and all(isinstance(item, list) and len(item) == 2 and isinstance(item[0], bool) and isinstance(item[1], str)
                    for item in record["output"]))


def _answer(kind: str, subject: str) -> Any:
    """What the system answers now about `subject` (a path, or a variable name for `env`), in
    the form the record keeps (JSON: lists, not tuples)."""
    return json.loads(json.dumps(_ANSWERS[kind](subject)))


def _stat_answer(subject: str, follow: bool = True, stat_function: Callable[..., os.stat_result] | None = None
                 ) -> Any:
    try:
        st = (stat_function or os.stat)(subject, follow_symlinks=follow)
    except (FileNotFoundError, NotADirectoryError):
        return _ABSENT
    except OSError as exc:
        return ("error", exc.errno)
    return _shape(st)


def _shape(st: os.stat_result) -> Any:
    """A directory by its type, permissions and inode (its times move whenever an entry changes,
    which matters only for a listing); anything else by all it can change."""
    if stat.S_ISDIR(st.st_mode):
        return ("dir", st.st_mode, st.st_ino)
    return ("entry", st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _listing_answer(subject: str) -> Any:
    """The entries of a directory, by name and type (from the listing itself: no `stat`)."""
    try:
        with os.scandir(subject) as listing:
            entries = sorted(f"{e.is_dir(follow_symlinks=False):d}{e.is_symlink():d}{e.name}" for e in listing)
    except OSError as exc:
        return ("error", exc.errno)
    return ("listed", digest("\0".join(entries).encode("utf-8", "surrogateescape")).hexdigest())


def _content_answer(subject: str) -> Any:
    """A file's bytes, by their hash (read as `core.safeio` reads: never blocking, bounded)."""
    from cfglint.core.safeio import read_bytes

    try:
        return ("content", digest(read_bytes(subject, MAX_HASHED_BYTES)).hexdigest())
    except (FileNotFoundError, NotADirectoryError):
        return _ABSENT
    except OSError as exc:
        return ("error", exc.errno)


def _access_answer(subject: str) -> Any:
    mode, _, path = subject.partition(":")
    return os.access(path, int(mode))


def _env_answer(name: str) -> Any:
    value = os.environ.get(name)
    return None if value is None else _value_hash(value)


def _value_hash(value: str) -> str:
    return digest(value.encode("utf-8", "surrogateescape")).hexdigest()


_ANSWERS: dict[str, Callable[[str], Any]] = {
    "stat": _stat_answer,
    "lstat": lambda subject: _stat_answer(subject, follow=False),
    "list": _listing_answer,
    "content": _content_answer,
    "access": _access_answer,
    "env": _env_answer,
}


# --- recording ------------------------------------------------------------------------


class _Recorder:
    """While active: `os.stat`, `os.lstat`, `os.access`, `os.environ` and both output streams
    answer as before and note what was asked and printed; an audit hook notes files opened,
    directories listed and processes started. Everything is restored on exit (an audit hook
    cannot be removed: it is idle once the recorder is inactive)."""

    def __init__(self) -> None:
        self.inputs: dict[tuple[str, str], Any] = {}
        self.output: list[list[Any]] = []
        self.refusal: str | None = None
        self.active = False
        self._asking = False  # the recorder's own questions (a hash of a file, of a listing) are not noted
        self._results = os.path.join(os.path.abspath(results_dir()), "")
        self._saved: dict[str, Any] = {}

    def __enter__(self) -> _Recorder:
        self._saved = {"stat": os.stat, "lstat": os.lstat, "access": os.access, "environ": os.environ,
                       "stdout": sys.stdout, "stderr": sys.stderr}
        os.stat, os.lstat, os.access = self._stat, self._lstat, self._access  # type: ignore[assignment]
        os.environ = _RecordingEnviron(self, os.environ)  # type: ignore[assignment]
        sys.stdout, sys.stderr = _Tee(self, sys.stdout, False), _Tee(self, sys.stderr, True)
        sys.addaudithook(self._audit)
        self.active = True
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.active = False
        os.stat, os.lstat, os.access = self._saved["stat"], self._saved["lstat"], self._saved["access"]
        os.environ = self._saved["environ"]
        sys.stdout, sys.stderr = self._saved["stdout"], self._saved["stderr"]

    def refuse(self, why: str) -> None:
        if self.refusal is None:
            self.refusal = why
            self.inputs.clear()  # nothing more is noted: a large run frees what it held

    def note(self, kind: str, subject: Any, answer: Any) -> None:
        """Note an input; an input that cannot be noted (the working directory removed, say) makes
        the run unrecordable, never changes it."""
        if not self.active or self.refusal is not None or self._asking:
            return
        try:
            self._note(kind, subject, answer)
        except Exception:
            self.refuse("could not note an input")

    def _note(self, kind: str, subject: Any, answer: Any) -> None:
        if not isinstance(subject, (str, bytes, os.PathLike)):
            return  # a file descriptor: the file was noted when it was opened
        subject = os.fsdecode(subject)
        if kind != "env" and self._derived(subject.partition(":")[2] if kind == "access" else subject, answer):
            return
        self.inputs.setdefault((kind, subject), answer)
        if len(self.inputs) > MAX_INPUTS:
            self.refuse("too many inputs")

    def _derived(self, path: str, answer: Any = None) -> bool:
        """The result cache (its entries, this record among them): derived from the inputs,
        whether an entry was there or not changes nothing printed; nor does a directory above it
        that does not exist yet (the run creates it to store its entries)."""
        path = os.path.join(os.path.abspath(path), "")
        return path.startswith(self._results) or (answer == _ABSENT and self._results.startswith(path))

    def _stat(self, path: Any, *, dir_fd: int | None = None, follow_symlinks: bool = True) -> os.stat_result:
        return self._stat_noted(path, dir_fd, follow_symlinks, "stat" if follow_symlinks else "lstat")

    def _lstat(self, path: Any, *, dir_fd: int | None = None) -> os.stat_result:
        return self._stat_noted(path, dir_fd, False, "lstat")

    def _stat_noted(self, path: Any, dir_fd: int | None, follow: bool, kind: str) -> os.stat_result:
        if dir_fd is not None:
            self.refuse("a path relative to a directory descriptor")
        try:
            st = self._saved["stat"](path, dir_fd=dir_fd, follow_symlinks=follow)
        except (FileNotFoundError, NotADirectoryError):
            self.note(kind, path, _ABSENT)
            raise
        except OSError as exc:
            self.note(kind, path, ("error", exc.errno))
            raise
        self.note(kind, path, _shape(st))
        return st

    def _access(self, path: Any, mode: int, **kwargs: Any) -> bool:
        if kwargs:
            self.refuse("os.access with options")
        allowed = self._saved["access"](path, mode, **kwargs)
        if isinstance(path, (str, bytes, os.PathLike)):
            self.note("access", f"{mode}:{os.fsdecode(path)}", allowed)
        return allowed

    def _audit(self, event: str, args: tuple) -> None:
        if event not in _NOTED_EVENTS or not self.active or self._asking:
            return
        try:
            self._audited(event, args)
        except Exception:  # an audit hook's exception would fail the operation audited
            self.refuse("could not note an input")

    def _audited(self, event: str, args: tuple) -> None:
        if event == "open":
            self._opened(*args[:3])
        elif event in ("os.scandir", "os.listdir"):
            path = args[0] if args and args[0] is not None else "."
            if isinstance(path, (str, bytes, os.PathLike)) and not _in_program(os.fsdecode(path)):
                self._note_asked("list", os.fsdecode(path), _listing_answer)
        elif event in _PROCESS_EVENTS:
            self.refuse(f"started a process ({event})")

    def _note_asked(self, kind: str, subject: str, ask: Callable[[str], Any]) -> None:
        """Note the answer of `ask` (which itself opens and lists: not noted)."""
        if (kind, subject) in self.inputs:
            return
        self._asking = True
        try:
            answer = ask(subject)
        finally:
            self._asking = False
        self.note(kind, subject, answer)

    def _opened(self, path: Any, mode: Any, flags: Any) -> None:
        if not isinstance(path, (str, bytes, os.PathLike)):
            return
        name = os.fsdecode(path)
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
            (isinstance(flags, int) and flags & _WRITE_FLAGS)
        if not writes and name.endswith((".py", ".pyc", ".so")):
            return  # a module: the sources are noted at the end
        if self._derived(name):
            return
        if writes:
            self.refuse("wrote a file")
        elif _in_program(name):
            self.note("stat", name, _stat_answer(name, stat_function=self._saved["stat"]))
        else:
            self._note_asked("content", name, _content_answer)

    def store(self, entry_path: str, status: int) -> None:
        """Write the record, unless the run could not be recorded."""
        if "concurrent.futures.process" in sys.modules:  # workers (forked or spawned) read what no hook here saw
            self.refuse("started worker processes")
        self._note_modules()
        if self.refusal is not None or sum(len(text) for _, text in self.output) > MAX_OUTPUT:
            return
        inputs = [[kind, subject, answer] for (kind, subject), answer in self.inputs.items()]
        record = {"format": FORMAT, "status": status, "inputs": inputs, "output": self.output}
        from cfglint.engine.cache import write_atomic

        write_atomic(entry_path, json.dumps(record).encode("utf-8", "surrogateescape"))

    def _note_modules(self) -> None:
        """The program is an input too: the source of every imported module outside the
        standard library (cfglint's own, its dependencies, the installer's hooks)."""
        if self.refusal is not None:
            return
        stdlib = sys.stdlib_module_names
        for name, module in list(sys.modules.items()):
            source = getattr(module, "__file__", None)
            if isinstance(source, str) and name.partition(".")[0] not in stdlib:
                self.inputs.setdefault(("stat", source), _stat_answer(source))  # (never in the result cache)
        if len(self.inputs) > MAX_INPUTS:
            self.refuse("too many inputs")


def _in_program(path: str) -> bool:
    """A path among cfglint's own files. Its data files are noted by their metadata; its
    directories, which the import system lists, are not inputs: a module added to them changes
    nothing until an edited module imports it, and every imported module's source is noted."""
    return os.path.join(os.path.abspath(path), "").startswith(PROGRAM)


class _RecordingEnviron(os._Environ):  # type: ignore[name-defined,misc]
    """`os.environ` that notes each variable read; reading them all cannot be recorded."""

    def __init__(self, recorder: _Recorder, environ: Any) -> None:
        super().__init__(environ._data, environ.encodekey, environ.decodekey, environ.encodevalue,
                         environ.decodevalue)
        self._recorder = recorder

    def __getitem__(self, name: str) -> str:
        try:
            value = super().__getitem__(name)
        except KeyError:
            self._recorder.note("env", name, None)
            raise
        self._recorder.note("env", name, _value_hash(value))
        return value

    def __iter__(self) -> Any:
        self._recorder.refuse("read the whole environment")
        return super().__iter__()

    def __setitem__(self, name: str, value: str) -> None:
        self._recorder.refuse("changed the environment")
        super().__setitem__(name, value)

    def __delitem__(self, name: str) -> None:
        self._recorder.refuse("changed the environment")
        super().__delitem__(name)


class _Tee:
    """An output stream that notes what is written to it."""

    def __init__(self, recorder: _Recorder, stream: Any, is_stderr: bool) -> None:
        self._recorder, self._stream, self._is_stderr = recorder, stream, is_stderr

    def write(self, text: str) -> int:
        if self._recorder.active:
            self._recorder.output.append([self._is_stderr, text])
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":
            self._recorder.refuse("wrote to a raw stream")
        return getattr(self._stream, name)
