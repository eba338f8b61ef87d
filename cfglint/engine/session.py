"""The application service: one `check` or `explain` run, from a request to an outcome.

The command line only turns options into a `CheckRequest` / `ExplainRequest` and an
outcome into output and an exit status; everything in between (environment,
settings, discovery, the registry pre-check, the result cache, running the rules,
secret scrubbing) is here, and testable without click. A usage problem (exit 2) is
one exception type, `SessionError`.

Imports stay lazy: a cache hit imports no rule module and does not load the registry.
"""

from __future__ import annotations

import os
import sys
from cfglint.core.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO, Callable, Sequence
    from cfglint.core.document import Document
    from cfglint.core.finding import Finding, Severity
    from cfglint.core.secrets import Redactor
    from cfglint.engine.discover import Candidate
    from cfglint.harnesses.budget import Budget
    from cfglint.rules.context import RunOptions, SetContext
    from cfglint.settings.files import FileSettings, SettingsFinder


ENV_FILE_LIMIT = 1024 * 1024  # a dotenv file is a few KB; the path may name a FIFO or /dev/zero


class SessionError(Exception):
    """A usage problem (exit 2): a bad option, a missing path, broken settings or a broken
    registry overlay. `notes` are what the run had found before it, said first."""

    def __init__(self, message: str, notes: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.notes = list(notes)


def _standard_input() -> BinaryIO:
    return sys.stdin.buffer


class Request(Record):
    """What check and explain share: the paths and everything a run reads besides the files."""

    __slots__ = ("paths", "dialect", "targets", "env_pairs", "env_file", "use_env", "registry_files", "config_file",
                 "context_layers", "harness_args", "no_cache", "stdin_filename", "stdin")

    def __init__(self, paths: Sequence[str] = (), dialect: str | None = None, targets: Sequence[str] = (),
                 env_pairs: Sequence[str] = (), env_file: str | None = None, use_env: bool = False,
                 registry_files: Sequence[str] = (), config_file: str | None = None, context_layers: bool = True,
                 harness_args: Sequence[str] = (), no_cache: bool = False, stdin_filename: str | None = None,
                 stdin: Callable[[], BinaryIO] = _standard_input) -> None:
        self.paths = paths
        self.dialect = dialect  # read every named file as this dialect
        self.targets = targets  # `HARNESS@VERSION`
        self.env_pairs = env_pairs  # `KEY=VALUE`
        self.env_file = env_file
        self.use_env = use_env  # also read the process environment
        self.registry_files = registry_files
        self.config_file = config_file  # this settings file for every path, instead of the closest one
        # also read the other files a harness merges with a named file (`discover.context_layers`)
        self.context_layers = context_layers
        self.harness_args = harness_args  # `DIALECT=ARGS`: the flags a harness is launched with
        self.no_cache = no_cache  # no result cache (check), no registry user cache (both)
        self.stdin_filename = stdin_filename  # with path `-`: read standard input as if it were this file
        self.stdin = stdin  # an editor's unsaved buffer, for the language server


class CheckRequest(Request):
    __slots__ = ("select", "extend_select", "ignore", "fail_on", "show_source", "jobs")

    def __init__(self, paths: Sequence[str] = (), *, select: Sequence[str] = (), extend_select: Sequence[str] = (),
                 ignore: Sequence[str] = (), fail_on: str | None = None, show_source: bool = False,
                 jobs: int | None = None, **request: Any) -> None:
        super().__init__(paths, **request)
        self.select, self.extend_select, self.ignore = select, extend_select, ignore
        self.fail_on = fail_on  # a severity name; None: the `fail-on` setting
        self.show_source = show_source  # the outcome keeps the documents (so the result is not cached)
        # Processes that check, this one included: None one per core past `batch.JOBS_THRESHOLD` files, 0 one per core.
        self.jobs = jobs


class CheckOutcome(Record):
    __slots__ = ("findings", "notes", "files_checked", "checked_paths", "sources", "fail_on")

    def __init__(self, findings: list[Finding], notes: list[str], files_checked: int, checked_paths: list[str],
                 sources: dict[str, Document], fail_on: Callable[[], Severity]) -> None:
        self.findings = findings  # scrubbed of the run's secrets and printable
        self.notes = notes  # one-line messages for stderr, in order: the walk's, then the run's
        self.files_checked = files_checked
        # the files checked (not the layers read for them), printable, in reading order
        self.checked_paths = checked_paths
        self.sources = sources  # by display path, for --show-source (empty unless `show_source`)
        # The lowest failing severity, looked up only when asked (after the output): with files
        # outside the current directory, its broken settings file is said after the findings.
        self.fail_on = fail_on

    def failed(self) -> bool:
        """Whether a finding is at or above the `fail-on` severity (exit status 1)."""
        threshold = self.fail_on()
        return any(f.severity >= threshold for f in self.findings)


class ExplainRequest(Request):
    __slots__ = ("model",)

    def __init__(self, paths: Sequence[str] = (), *, model: str | None = None, **request: Any) -> None:
        super().__init__(paths, **request)
        self.model = model  # only this model, as the config names it


class Explained(Record):
    __slots__ = ("budget", "redactor", "findings")

    def __init__(self, budget: Budget, redactor: Redactor, findings: list[Finding] | None = None) -> None:
        self.budget = budget
        # Every text taken from the budget (model names, notes, env values) passes through it.
        self.redactor = redactor
        self.findings = [] if findings is None else findings


class ExplainOutcome(Record):
    __slots__ = ("explained", "notes", "documents")

    def __init__(self, explained: list[Explained], notes: list[str], documents: list[Document]) -> None:
        self.explained = explained
        self.notes = notes  # one-line messages for stderr
        self.documents = documents  # the files read, to say why there is nothing to explain


# --- set-up shared by check and explain ----------------------------------------------


class _Setup(Record):
    """The environment a run sees, its settings lookup and its options."""

    __slots__ = ("env", "origins", "finder", "options")

    def __init__(self, env: dict[str, str], origins: dict[str, str], finder: SettingsFinder,
                 options: RunOptions) -> None:
        self.env = env
        self.origins = origins  # variable -> where it came from
        self.finder, self.options = finder, options

    def settings_for(self, doc: Document) -> FileSettings:
        return self.finder.for_file(doc.display_path)  # the display path is the stdin file's name, too

    def options_for(self, doc: Document) -> RunOptions:
        """The options of one file: its settings' targets and registry overlays."""
        return self.finder.run_options(self.settings_for(doc).resolved, self.options)

    @property
    def homes(self) -> dict[str, str]:
        from cfglint.engine.discover import homes_from

        return homes_from(self.env)


def _setup(request: Request, **selection: Any) -> _Setup:
    """Environment first, then settings (`selection`: the check's code selection and fail-on)."""
    from cfglint.rules.context import RunOptions

    env, origins = _environment(request.env_pairs, request.env_file, dict(os.environ) if request.use_env else {})
    finder = settings_finder(config=request.config_file, targets=request.targets,
                             registry_files=request.registry_files, harness_args=request.harness_args, **selection)
    options = RunOptions(env=env, targets=finder.overrides.targets, registry_files=tuple(request.registry_files),
                         use_env=request.use_env, env_origins=origins, harness_args=finder.overrides.harness_args,
                         registry_cache=not request.no_cache)
    return _Setup(env, origins, finder, options)


def _registry_notes(request: Request) -> list[str]:
    """Why the user's registry cache is not used, when it exists and is not (said on every run
    until `registry update` or `registry reset`). A cache that is no snapshot is a usage error."""
    if request.no_cache:
        return []
    from cfglint.registry import RegistryError, choose_snapshot

    try:
        note = choose_snapshot().note
    except RegistryError as exc:
        raise SessionError(str(exc)) from None
    return [note] if note else []


def _environment(env_pairs: Sequence[str], env_file: str | None,
                 base: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The environment a run sees and where each variable came from."""
    env = dict(base)
    origins = {name: "process environment" for name in base}
    if not env_file and not env_pairs:
        return env, origins
    from cfglint.core.safeio import read_text
    from cfglint.engine.envfile import EnvFileError, parse_assignment, parse_env_file

    try:
        if env_file:
            try:
                values = parse_env_file(read_text(env_file, ENV_FILE_LIMIT, what="it"), env_file)
            except OSError as exc:
                raise SessionError(f"{env_file}: {exc.strerror or exc}") from None
            except UnicodeDecodeError:
                raise SessionError(f"{env_file}: not UTF-8 text") from None
            env.update(values)
            origins.update({name: f"--env-file {env_file}" for name in values})
        for pair in env_pairs:
            key, value = parse_assignment(pair)
            env[key] = value
            origins[key] = "--env"
    except EnvFileError as exc:
        raise SessionError(str(exc)) from None
    return env, origins


def settings_finder(*, config: str | None, targets: Sequence[str] = (), registry_files: Sequence[str] = (),
                    harness_args: Sequence[str] = (), select: Sequence[str] = (), extend_select: Sequence[str] = (),
                    ignore: Sequence[str] = (), fail_on: str | None = None) -> SettingsFinder:
    """The settings lookup of a run, with the command line's options as the top layer."""
    from cfglint.core.finding import Severity
    from cfglint.settings.files import Overrides, SettingsError, SettingsFinder, normalise_codes

    try:
        overrides = Overrides(
            select=tuple(normalise_codes(select)) or None,  # `--select ""` selects the default (all)
            extend_select=tuple(normalise_codes(extend_select)),
            ignore=tuple(normalise_codes(ignore)),
            fail_on=Severity.parse(fail_on) if fail_on else None,
            targets=_targets(targets),
            registry=tuple(registry_files),
            harness_args=_harness_args(harness_args),
        )
    except ValueError as exc:
        raise SessionError(str(exc)) from None
    try:
        return SettingsFinder(overrides, config=config)
    except SettingsError as exc:
        raise SessionError(str(exc)) from None


def _targets(values: Sequence[str]) -> dict[str, str]:
    from cfglint.core.versions import parse_target
    from cfglint.harnesses import DIALECTS, harness_for

    targets = {}
    for value in values:
        try:
            name, version = parse_target(value, f"{DIALECTS[0]}@{harness_for(DIALECTS[0]).default_version}")
        except ValueError as exc:
            raise SessionError(str(exc)) from None
        if name not in DIALECTS:
            raise SessionError(f"unknown harness {name!r} in --target (expected one of: {', '.join(DIALECTS)})")
        targets[name] = version
    return targets


def _harness_args(values: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """`--harness-args DIALECT=ARGS` (repeatable; the flags of one dialect add up), each dialect's
    flags checked by its harness unit before any file is read."""
    from cfglint.harnesses import DIALECTS
    from cfglint.settings.files import launch_args

    texts: dict[str, list[str]] = {}
    for value in values:
        dialect, eq, text = value.partition("=")
        if not eq or dialect not in DIALECTS:
            raise SessionError(f"invalid --harness-args {value!r} (expected DIALECT=ARGS, DIALECT one of: "
                               f"{', '.join(DIALECTS)})")
        texts.setdefault(dialect, []).append(text)
    out = {}
    for dialect, parts in texts.items():
        try:
            out[dialect] = tuple(arg for text in parts for arg in launch_args(dialect, text))
        except ValueError as exc:
            raise SessionError(f"--harness-args {dialect}: {exc}") from None
    return out


def _discover(paths: Sequence[str], dialect: str | None, setup: "_Setup") -> tuple[list[Candidate], list[str]]:
    """The files `paths` name, and the walk's notes (symbolic links skipped, git failing)."""
    from cfglint.engine.discover import UsageError, discover

    notes: list[str] = []
    try:
        return list(discover(list(paths), dialect=dialect, homes=setup.homes, notes=notes,
                             mapped=setup.finder.dialect_of)), notes
    except UsageError as exc:
        raise SessionError(str(exc)) from None


def _load_registry(options: RunOptions) -> None:
    """Load the registry of `options` now: a broken overlay is a usage error, before any output."""
    from cfglint.registry import RegistryError

    try:
        options.registry  # noqa: B018
    except RegistryError as exc:
        raise SessionError(str(exc)) from None


class _usage_problems:  # noqa: N801 (used as `with _usage_problems(notes):`)
    """A problem found from here on is a `SessionError` said after `notes` (as they stand then);
    broken settings, found while looking up a file's, are one too. (A class, not a
    `contextlib.contextmanager`: importing `contextlib` cost every check ~0.5 ms.)"""

    def __init__(self, notes: list[str]) -> None:
        self.notes = notes

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, traceback: Any) -> None:
        from cfglint.settings.files import SettingsError

        if isinstance(exc, SessionError):
            exc.notes[:0] = self.notes
        elif isinstance(exc, SettingsError):
            raise SessionError(str(exc), self.notes) from None


# --- check ---------------------------------------------------------------------------


def check(request: CheckRequest) -> CheckOutcome:
    """Lint the files of `request`; a re-run on unchanged inputs comes from the result cache."""
    notes: list[str] = []
    with _usage_problems(notes):
        setup = check_setup(request)
        candidates, walk_notes = _candidates(request, setup)
        notes += _registry_notes(request) + walk_notes  # said whether or not the run is cached
        return _check(request, setup, candidates, notes)


def check_setup(request: CheckRequest) -> _Setup:
    """The environment, settings and options of a check (a spawned worker builds its own)."""
    return _setup(request, select=request.select, extend_select=request.extend_select, ignore=request.ignore,
                  fail_on=request.fail_on)


def _candidates(request: Request, setup: "_Setup") -> tuple[list[Candidate], list[str]]:
    """Standard input (path `-`, as `stdin_filename`), the files the other paths name, and the
    layers the harness merges with them."""
    candidates = _stdin_candidates(request, setup)
    others = [p for p in request.paths if p != "-"]
    notes: list[str] = []
    if others or not candidates:
        found, notes = _discover(others, request.dialect, setup)
        candidates += found
    return candidates + _context_layers(request, candidates, setup), notes


def _stdin_candidates(request: Request, setup: "_Setup") -> list[Candidate]:
    """Standard input, when a path is `-`: one candidate named `stdin_filename`."""
    if "-" not in request.paths:
        return []
    if not request.stdin_filename:
        raise SessionError("reading standard input (`-`) needs --stdin-filename NAME")
    from cfglint.core.paths import pure_path
    from cfglint.engine.discover import Candidate, dialect_by_name

    forced = request.dialect or setup.finder.dialect_of(request.stdin_filename)
    dialect = forced or dialect_by_name(pure_path(os.path.abspath(request.stdin_filename)), setup.homes)
    return [Candidate("-", request.stdin_filename, dialect, True, forced=forced is not None)]


def _context_layers(request: Request, candidates: list[Candidate], setup: "_Setup") -> list[Candidate]:
    """The layers the harness merges with the files named one by one, unless asked not to."""
    from cfglint.engine.discover import context_layers

    if not request.context_layers or request.dialect:  # `--dialect` lints the named files as given
        return []
    return context_layers(candidates, setup.homes, mapped=setup.finder.dialect_of)


def _check(request: CheckRequest, setup: _Setup, candidates: list[Candidate], notes: list[str]) -> CheckOutcome:
    """Exclusion, reading the files and their companions, the registry pre-check, then each
    configuration's cached result or a fresh check of it (`batch`); with the documents kept for
    the outcome (`show_source`), one run of every file, not cached."""
    from cfglint.engine.discover import needed_before_check, with_companions

    finder = setup.finder
    # `exclude` applies to files named on the command line too (pre-commit names them).
    candidates = [c for c in candidates if not finder.for_file(c.display).excluded]
    for c in candidates:
        c.content = _read(c, request)
        if request.no_cache and not needed_before_check(c):
            c.content = None  # read again when checked: a run of 10,000 files does not hold them all
    candidates = with_companions(candidates, notes, excluded=lambda display: finder.for_file(display).excluded)
    for candidate in candidates:
        resolved = finder.for_file(candidate.display).resolved
        if resolved.registry_files:
            _load_registry(finder.run_options(resolved, setup.options))
    sources: dict[str, Document] = {}
    if not request.show_source:
        from cfglint.engine.batch import check_in_groups

        findings, run_notes, files_checked, checked_paths = check_in_groups(candidates, setup, request)
    else:
        from cfglint.core.finding import one_line
        from cfglint.engine.check import run as run_rules

        distinct = {id(s): s for s in (finder.for_file(c.display) for c in candidates)}.values()
        result = run_rules(candidates, setup.options, options_for=setup.options_for,
                           wanted=lambda code: any(settings.enabled(code) for settings in distinct),
                           settings_for=setup.settings_for)
        redactor = result.redactor(setup.env, setup.origins)
        findings = [f.scrubbed(redactor).printable() for f in result.findings]
        run_notes, files_checked = result.notes, result.files_checked
        checked_paths = [one_line(doc.display_path) for doc in result.documents
                         if not doc.context and not doc.from_launch]
        sources = {doc.display_path: doc for doc in result.documents}

    def fail_on() -> Severity:
        with _usage_problems([]):
            return finder.overrides.fail_on if finder.overrides.fail_on is not None else finder.for_run().fail_on

    return CheckOutcome(findings, notes + run_notes, files_checked, checked_paths, sources, fail_on)


def _read(candidate: Candidate, request: Request) -> bytes | None:
    """A candidate's bytes; standard input bounded like a file: more than the size limit
    (`- < /dev/zero`) is SYN004."""
    from cfglint.core.safeio import BoundedReadError, read_stream
    from cfglint.core.text import MAX_FILE_BYTES
    from cfglint.engine.discover import read_candidate

    if candidate.path != "-":
        return read_candidate(candidate)
    try:
        return read_stream(request.stdin(), MAX_FILE_BYTES, what="file")
    except BoundedReadError as exc:
        candidate.problem = str(exc)
        return b""


# --- explain -------------------------------------------------------------------------


def explain(request: ExplainRequest) -> ExplainOutcome:
    """The budgets of each model the files configure, with the budget findings of each."""
    from cfglint.engine.check import configurations, run as load
    from cfglint.engine.discover import with_companions

    notes: list[str] = []
    with _usage_problems(notes):
        setup = _setup(request)
        candidates, walk_notes = _candidates(request, setup)
        for c in candidates:
            c.content = _read(c, request)
        candidates = with_companions(candidates, walk_notes)
        # explain runs the rules itself, per model
        result = load(candidates, setup.options, check=False, options_for=setup.options_for)
        notes += _registry_notes(request) + walk_notes + result.notes
        for doc in result.documents:
            if not doc.from_launch:  # a launch layer has the options of a file of the run
                _load_registry(setup.options_for(doc))
        redactor = result.redactor(setup.env, setup.origins)
        explained = [item for ctx in configurations(result.documents, setup.options, model=request.model,
                                                    options_for=setup.options_for)
                     for item in _explain_configuration(ctx, redactor)]
        if not explained and request.model:
            raise SessionError(f"no model named {request.model!r} to explain "
                               "(`cfglint explain` without --model lists them)")
    return ExplainOutcome(explained, notes, result.documents)


def _explain_configuration(ctx: SetContext, redactor: Redactor) -> list[Explained]:
    """Budgets of one configuration, each with the budget findings that concern it (secrets
    of the run redacted)."""
    from cfglint.core.finding import Finding
    from cfglint.rules import all_rules
    from cfglint.rules.base import BudgetRule

    rules = [cls() for cls in all_rules().values() if issubclass(cls, BudgetRule)]
    out = []
    for budget in ctx.budgets:
        single = ctx.for_budget(budget)  # the rules read exactly this record
        findings = []
        for rule in rules:
            findings.extend(rule.check(single))
        findings = sorted((f.scrubbed(redactor).printable() for f in findings), key=Finding.sort_key)
        out.append(Explained(budget, redactor, findings))
    return out
