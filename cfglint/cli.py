"""The `cfglint` command line: each command turns its options into a request to
`cfglint.engine.session` and the outcome into output and an exit status.

Exit codes (product.md): 0 nothing at or above `--fail-on`; 1 findings at or
above it; 2 usage errors, missing or unopenable paths, invalid settings, or an
internal error (one line on stderr; the traceback only with `--debug`).

The click commands are in `cfglint.commands`. This module is what the entry point imports,
and it needs no click: the pre-commit hook's `cfglint check FILE...` (no option) runs
`run_check` directly, because importing click alone costs more than the whole cache hit may
(issue 15). Every other invocation goes through click, which calls the same `run_check`.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` is not imported at run time: a replayed check (`engine.replay`) does without it
    from typing import Any, NoReturn, Sequence

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def echo(text: str, *, nl: bool = True, err: bool = False, color: bool | None = None) -> None:
    """Write `text` to stdout or stderr as `click.echo` does: with click running the command,
    through it; else (the plain check path) the same for the streams that path accepts: escape
    codes stripped unless `color` is True (`color` None: unless the stream is a terminal)."""
    click = sys.modules.get("click")
    if click is not None:
        click.echo(text, nl=nl, err=err, color=color)
        return
    stream = sys.stderr if err else sys.stdout
    text += "\n" if nl else ""
    if "\033[" in text and not (color if color is not None else _isatty(stream)):
        import re

        text = re.sub(r"\033\[[0-?]*[ -/]*[@-~]", "", text)  # click's `_compat._ansi_re`
    stream.write(text)
    stream.flush()


def _isatty(stream: Any) -> bool:
    try:
        return stream.isatty()
    except Exception:  # as click's `_compat.isatty`
        return False


class _one_line_errors:
    """Usage problems and internal errors as one line on stderr, exit 2 (with `--debug`, an
    internal error's traceback instead). A class, not `contextlib.contextmanager`: this module
    is imported by every run, a replayed one too."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug

    def __enter__(self) -> None:
        pass

    def __exit__(self, kind: Any, exc: Any, traceback: Any) -> bool:
        if exc is None or isinstance(exc, BrokenPipeError):  # the reader went away: `main` says nothing
            return False
        from cfglint.engine.session import SessionError

        if isinstance(exc, SessionError):
            _say([*exc.notes, str(exc)])
            sys.exit(EXIT_ERROR)
        if isinstance(exc, Exception) and not self.debug:  # an internal error
            _say([f"internal error: {type(exc).__name__}: {exc}"])
            sys.exit(EXIT_ERROR)
        return False


COLOR_CHOICES = ("auto", "always", "never")


def colour_wanted(choice: str) -> bool:
    """`--color`: `always`/`never` as asked; `auto` colours a terminal, unless NO_COLOR is set
    (no-color.org), or when FORCE_COLOR is (force-color.org) — both only when not empty."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def _say(notes: Sequence[str]) -> None:
    from cfglint.core.finding import one_line

    for note in notes:
        echo(f"cfglint: {one_line(note)}", err=True)


def run_check(paths: Sequence[str] = (), *, dialect: str | None = None, targets: Sequence[str] = (),
              select: Sequence[str] = (), extend_select: Sequence[str] = (), ignore: Sequence[str] = (),
              output_format: str = "text", show_source: bool = False, statistics: bool = False,
              env_pairs: Sequence[str] = (), env_file: str | None = None, use_env: bool = False,
              registry_files: Sequence[str] = (), harness_args: Sequence[str] = (), no_context_layers: bool = False,
              fail_on: str | None = None, exit_zero: bool = False, color: str = "auto", no_color: bool = False,
              quiet: bool = False, stdin_filename: str | None = None, config_file: str | None = None,
              no_cache: bool = False, fix: bool = False, unsafe_fixes: bool = False, diff: bool = False,
              add_ignore: bool = False, jobs: int | None = None, debug: bool = False) -> NoReturn:
    """`cfglint check`, its option combinations already checked (`cfglint.commands.check`); the
    defaults are the options' (tests/test_fastpath.py compares them). Exits."""
    from cfglint.engine import session
    from cfglint.report import SOURCE_FORMATS, TERMINAL_FORMATS, batched, encodable, pieces, utf8

    # snippets and fingerprints read the source lines: such runs keep the documents (and skip the cache)
    show_source = show_source or (output_format in SOURCE_FORMATS and not statistics)
    request = session.CheckRequest(
        paths=paths, dialect=dialect, targets=targets, env_pairs=env_pairs, env_file=env_file, use_env=use_env,
        registry_files=registry_files, config_file=config_file, harness_args=harness_args,
        context_layers=not no_context_layers, select=select,
        extend_select=extend_select, ignore=ignore, fail_on=fail_on, stdin_filename=stdin_filename,
        no_cache=no_cache, show_source=show_source or fix or diff or add_ignore,  # fixes edit the documents' text
        jobs=jobs)
    with _one_line_errors(debug):
        outcome = session.check(request)
        if add_ignore:
            _say(outcome.notes)
            _add_ignores(outcome)
            sys.exit(EXIT_OK)
        if diff:
            _say(outcome.notes)
            sys.exit(_print_fix_diff(outcome, unsafe_fixes))
        fixed, unsafe_hint = _apply_fixes(outcome, unsafe_fixes) if fix else (None, "")
        if fixed:
            outcome = session.check(request)  # report what is left, as the files now are
        _say(outcome.notes)
        if not outcome.files_checked:
            echo("cfglint: no config files found", err=True)
        colour = output_format in TERMINAL_FORMATS and colour_wanted("never" if no_color else color)
        if statistics:
            from cfglint.report.statistics import render_statistics

            output = [render_statistics(outcome.findings, output_format, files_checked=outcome.files_checked,
                                        colour=colour, quiet=quiet)]
        else:
            output = pieces(output_format)(outcome.findings, files_checked=outcome.files_checked, colour=colour,
                                           show_source=show_source, sources=outcome.sources, quiet=quiet,
                                           checked_paths=outcome.checked_paths)
        encoding = getattr(sys.stdout, "encoding", None)
        if not utf8(encoding):  # whether `encodable` escapes is decided for the whole output
            output = ["".join(output)]
        for chunk in batched(output):
            # escape codes are stripped from output that is not a terminal unless the colour is wanted
            echo(encodable(chunk, output_format, encoding), nl=False, color=colour)
        if fixed is not None:
            _say([f"fixed {_count(fixed, 'finding')}, {len(outcome.findings):,} remaining{unsafe_hint}"])
        failed = outcome.failed()
    sys.exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_OK)


def _add_ignores(outcome: Any) -> None:
    """`--add-ignore`: suppress every current finding where it is (ruff's --add-noqa)."""
    from cfglint.settings.suppressions import add_ignores

    baseline = add_ignores(outcome.findings, outcome.sources)
    _say([*baseline.notes, f"added {_count(baseline.added, 'suppression')} in {_count(baseline.files, 'file')}"])


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _unsafe_hint(outcome: Any, fixes: list, unsafe: bool) -> str:
    """` (N more with --unsafe-fixes)` when unsafe fixes were left out."""
    from cfglint.engine.fix import plan

    if unsafe:
        return ""
    hidden = sum(len(f.edits) for f in plan(outcome.findings, outcome.sources, unsafe=True)) \
        - sum(len(f.edits) for f in fixes)
    return f" ({hidden:,} more with --unsafe-fixes)" if hidden else ""


def _print_fix_diff(outcome: Any, unsafe: bool) -> int:
    """`--diff`: the fixes as a unified diff on stdout, the count on stderr; 1 if there are any."""
    from cfglint.engine.fix import plan, unified_diff

    fixes = plan(outcome.findings, outcome.sources, unsafe=unsafe)
    if fixes:
        echo("".join(unified_diff(f) for f in fixes), nl=False)
    count, hint = sum(len(f.edits) for f in fixes), _unsafe_hint(outcome, fixes, unsafe)
    _say([f"would fix {_count(count, 'finding')}{hint}" if count else f"no fixes to apply{hint}"])
    return EXIT_FINDINGS if fixes else EXIT_OK


def _apply_fixes(outcome: Any, unsafe: bool) -> tuple[int, str]:
    """`--fix`: write each file's fixes (a file that cannot be written safely is said and kept);
    the number of findings fixed, and the hint about the unsafe fixes left out."""
    from cfglint.engine.fix import plan, write

    fixes = plan(outcome.findings, outcome.sources, unsafe=unsafe)
    fixed = 0
    for file_fix in fixes:
        try:
            write(file_fix)
        except OSError as exc:
            _say([str(exc) if exc.filename is None else f"{file_fix.display_path}: not fixed: {exc.strerror}"])
            continue
        fixed += len(file_fix.edits)
    return fixed, _unsafe_hint(outcome, fixes, unsafe)


def _plain_check(args: Sequence[str]) -> bool:
    """Whether `cfglint ARGS` is `check` with paths only, where click's parsing and path checks
    can only pass the paths on unchanged, and click's `echo` writes to the standard streams
    as `echo` does (not Windows, whose console click wraps; no stream it would re-encode)."""
    if not args or args[0] != "check" or sys.platform.startswith("win") or os.environ.get("_CFGLINT_COMPLETE"):
        return False
    for stream in (sys.stdout, sys.stderr):  # click re-wraps a stream with an ASCII (or no) encoding
        if stream is None or _is_ascii(getattr(stream, "encoding", None) or "ascii"):
            return False
    for path in args[1:]:
        if path.startswith("-"):
            return False
        try:
            os.stat(path)
        except OSError:
            continue  # click passes a missing path on: the check says it is missing
        if not os.access(path, os.R_OK):  # click.Path(readable=True) refuses it with its own message
            return False
    return True


def _is_ascii(encoding: str) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding).name == "ascii"
    except LookupError:
        return False


def _check_without_click(paths: Sequence[str]) -> NoReturn:
    """`run_check(paths)` with what click's standalone `main` adds around a command that exits
    by itself: an interrupt is a blank line and `Aborted!` on stderr, exit 1."""
    try:
        run_check(tuple(paths))
    except (EOFError, KeyboardInterrupt):
        from gettext import gettext  # click translates the message

        echo("", err=True)
        echo(gettext("Aborted!"), err=True)
        sys.exit(1)  # click's status for an abort


def main() -> None:
    """The `cfglint` entry point. Output never fails to encode: a file name that is not UTF-8,
    or a locale such as `PYTHONIOENCODING=latin-1`, gives backslash escapes, not a traceback."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if _plain_check(sys.argv[1:]):
        from cfglint.engine import replay

        paths = sys.argv[2:]
        try:
            replay.run(paths, lambda: _check_without_click(paths))
        except BrokenPipeError:
            _reader_gone()
    from cfglint.commands import cli

    try:
        cli.main(prog_name="cfglint", standalone_mode=True)
    except KeyboardInterrupt:
        echo("cfglint: interrupted", err=True)
        sys.exit(EXIT_ERROR)


def _reader_gone() -> NoReturn:
    """The reader of the output went away (`cfglint check ... | head`): exit 1 without a word, as
    click's standalone mode does for the other commands, and let what is left go nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(1)


def __getattr__(name: str) -> Any:
    """The click commands (`cli`, `check`, ...) as attributes of this module, imported on first use
    (not for the import system's questions, such as `__path__`, which every `from cfglint.cli
    import ...` asks)."""
    if name.startswith("__"):
        raise AttributeError(name)
    from cfglint import commands

    return getattr(commands, name)
