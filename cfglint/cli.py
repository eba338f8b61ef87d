"""The `cfglint` command line.

Exit codes (product.md): 0 nothing at or above `--fail-on`; 1 findings at or
above it; 2 usage errors, missing or unopenable paths, invalid settings, or an
internal error (one line on stderr; the traceback only with `--debug`).
"""

from __future__ import annotations

import os
import sys
from typing import Any, Sequence

import click

from cfglint import __version__
from cfglint.report import FORMATS

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
DIALECT_NAMES = ("kimi-code", "kimi-cli", "kilo", "claude-code", "hermes")


class CfglintError(click.ClickException):
    """A one-line error that exits with status 2."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        from cfglint.findings import one_line

        click.echo(f"cfglint: {one_line(self.format_message())}", err=True)


def _print_version(ctx: click.Context, _param: Any, value: bool) -> None:
    """`cfglint 0.1.0 (registry models.dev@f3fc692 (2026-07-02))`."""
    if not value or ctx.resilient_parsing:
        return
    try:
        from cfglint.registry import load_registry

        snapshot = load_registry().meta.describe()
    except Exception as exc:  # the version must print even with a broken user cache
        snapshot = f"unavailable: {exc}"
    click.echo(f"cfglint {__version__} (registry {snapshot})")
    ctx.exit()


class UsageLineError(CfglintError):
    """A click usage error (unknown option, bad choice, missing argument) as one line that
    names the help to read, instead of click's three (`Usage:`, `Try ...`, `Error:`)."""

    def __init__(self, error: click.UsageError) -> None:
        message = " ".join(error.format_message().split()).rstrip(".")  # click lists choices on lines
        command = error.ctx.command_path if error.ctx is not None else "cfglint"
        super().__init__(f"{message[:1].lower()}{message[1:]} (see `{command} --help`)")


class CfglintGroup(click.Group):
    """The top-level group: usage errors from any command's arguments become one line."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError:
            raise  # bare `cfglint` prints its help, as before
        except click.UsageError as error:
            raise UsageLineError(error) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)  # parses the subcommand's own arguments
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as error:
            raise UsageLineError(error) from None


@click.group(cls=CfglintGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and the registry snapshot, then exit.")
def cli() -> None:
    """Lint the configuration files of AI coding agents (Kimi Code, kimi-cli, Kilo, Claude Code, Hermes)."""


def _env_options(env_pairs: Sequence[str], env_file: str | None,
                 base: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The environment a run sees and where each variable came from."""
    from cfglint.envfile import EnvFileError, parse_assignment, parse_env_file
    from cfglint.safeio import read_text

    env_file_limit = 1024 * 1024  # a dotenv file is a few KB; the path may name a FIFO or /dev/zero

    env = dict(base)
    origins = {name: "process environment" for name in base}
    try:
        if env_file:
            try:
                values = parse_env_file(read_text(env_file, env_file_limit, what="it"), env_file)
            except OSError as exc:
                raise CfglintError(f"{env_file}: {exc.strerror or exc}") from None
            except UnicodeDecodeError:
                raise CfglintError(f"{env_file}: not UTF-8 text") from None
            env.update(values)
            origins.update({name: f"--env-file {env_file}" for name in values})
        for pair in env_pairs:
            key, value = parse_assignment(pair)
            env[key] = value
            origins[key] = "--env"
    except EnvFileError as exc:
        raise CfglintError(str(exc)) from None
    return env, origins


def _settings_finder(*, config: str | None, targets: Sequence[str] = (), registry_files: Sequence[str] = (),
                     select: Sequence[str] = (), extend_select: Sequence[str] = (), ignore: Sequence[str] = (),
                     fail_on: str | None = None) -> Any:
    """The settings lookup of a run, with the command line's options as the top layer."""
    from cfglint.findings import Severity
    from cfglint.settings import Overrides, SettingsError, SettingsFinder, normalise_codes

    try:
        overrides = Overrides(
            select=tuple(normalise_codes(select)) or None,  # `--select ""` selects the default (all)
            extend_select=tuple(normalise_codes(extend_select)),
            ignore=tuple(normalise_codes(ignore)),
            fail_on=Severity.parse(fail_on) if fail_on else None,
            targets=_targets(targets),
            registry=tuple(registry_files),
        )
    except ValueError as exc:
        raise CfglintError(str(exc)) from None
    try:
        return SettingsFinder(overrides, config=config)
    except SettingsError as exc:
        raise CfglintError(str(exc)) from None


def _targets(values: Sequence[str]) -> dict[str, str]:
    from cfglint.versions import parse_target

    targets = {}
    for value in values:
        try:
            name, version = parse_target(value)
        except ValueError as exc:
            raise CfglintError(str(exc)) from None
        if name not in DIALECT_NAMES:
            raise CfglintError(f"unknown harness {name!r} in --target (expected one of: {', '.join(DIALECT_NAMES)})")
        targets[name] = version
    return targets


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--dialect", type=click.Choice(DIALECT_NAMES), help="Read every named file as this dialect.")
@click.option("--target", "targets", multiple=True, metavar="HARNESS@VERSION",
              help="Harness version whose behaviour to check against (repeatable).")
@click.option("--select", multiple=True, metavar="CODES", help="Only these codes or prefixes (comma-separated).")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Add codes or prefixes to the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Drop these codes or prefixes.")
@click.option("--output-format", "output_format", type=click.Choice(list(FORMATS)), default="text",
              show_default=True)
@click.option("--show-source", is_flag=True, help="Show the source line under each finding (text output).")
@click.option("--env", "env_pairs", multiple=True, metavar="KEY=VALUE",
              help="An environment value the harness would see (repeatable).")
@click.option("--env-file", type=click.Path(dir_okay=False), help="Environment values in dotenv format.")
@click.option("--use-env", is_flag=True, help="Also read the process environment (off by default: CI must be reproducible).")
@click.option("--registry", "registry_files", multiple=True, type=click.Path(dir_okay=False),
              help="Extra registry overlay file (repeatable).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
              help="Lowest severity that makes the exit status 1 [default: the `fail-on` setting, else error].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--no-color", is_flag=True, help="Never colour the output.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary line.")
@click.option("--stdin-filename", metavar="NAME", help="With PATH `-`: lint standard input as if it were NAME.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this settings file for every path (no search for the closest one).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def check(paths: tuple[str, ...], dialect: str | None, targets: tuple[str, ...], select: tuple[str, ...],
          extend_select: tuple[str, ...], ignore: tuple[str, ...], output_format: str, show_source: bool,
          env_pairs: tuple[str, ...], env_file: str | None, use_env: bool, registry_files: tuple[str, ...],
          fail_on: str | None, exit_zero: bool, no_color: bool, quiet: bool, stdin_filename: str | None,
          config_file: str | None, no_cache: bool, debug: bool) -> None:
    """Lint config files and directories (default: the current directory)."""
    from cfglint.settings import SettingsError

    try:
        code = _run_check(paths, dialect=dialect, targets=targets, select=select, extend_select=extend_select,
                          ignore=ignore, output_format=output_format, show_source=show_source,
                          env_pairs=env_pairs, env_file=env_file, use_env=use_env,
                          registry_files=registry_files, fail_on=fail_on, exit_zero=exit_zero,
                          no_color=no_color, quiet=quiet, stdin_filename=stdin_filename, config_file=config_file,
                          no_cache=no_cache)
    except click.ClickException:
        raise
    except SettingsError as exc:  # found while looking up the settings of a file
        raise CfglintError(str(exc)) from None
    except Exception as exc:  # an internal error: one line, exit 2
        if debug:
            raise
        raise CfglintError(f"internal error: {type(exc).__name__}: {exc}") from None
    sys.exit(code)


def _run_check(paths: Sequence[str], *, dialect: str | None, targets: Sequence[str], select: Sequence[str],
               extend_select: Sequence[str], ignore: Sequence[str], output_format: str, show_source: bool,
               env_pairs: Sequence[str], env_file: str | None, use_env: bool, registry_files: Sequence[str],
               fail_on: str | None, exit_zero: bool, no_color: bool, quiet: bool, stdin_filename: str | None,
               config_file: str | None, no_cache: bool = False) -> int:
    from cfglint.context import RunOptions
    from cfglint import cache
    from cfglint.discovery import Candidate, UsageError, dialect_by_name, discover, homes_from, read_candidate
    from cfglint.findings import one_line
    from cfglint.report import encodable, reporter

    env, origins = _env_options(env_pairs, env_file, dict(os.environ) if use_env else {})
    finder = _settings_finder(config=config_file, targets=targets, registry_files=registry_files, select=select,
                              extend_select=extend_select, ignore=ignore, fail_on=fail_on)
    options = RunOptions(env=env, targets=finder.overrides.targets, registry_files=tuple(registry_files),
                         use_env=use_env, env_origins=origins)
    homes = homes_from(env)

    stdin_reader = None
    if "-" in paths:
        if not stdin_filename:
            raise CfglintError("reading standard input (`-`) needs --stdin-filename NAME")
        from pathlib import PurePath

        stdin_dialect = dialect or dialect_by_name(PurePath(os.path.abspath(stdin_filename)), homes)
        stdin_candidate = Candidate("-", stdin_filename, stdin_dialect, True)
        candidates: list[Candidate] = [stdin_candidate]

        def read_stdin() -> bytes:
            """Standard input, bounded like a file: more than the size limit (`- < /dev/zero`) is SYN004."""
            from cfglint.safeio import BoundedReadError, read_stream
            from cfglint.source import MAX_FILE_BYTES

            try:
                return read_stream(sys.stdin.buffer, MAX_FILE_BYTES, what="file")
            except BoundedReadError as exc:
                stdin_candidate.problem = str(exc)
                return b""

        stdin_reader = read_stdin
        others = [p for p in paths if p != "-"]
    else:
        candidates, others = [], list(paths)
    walk_notes: list[str] = []  # symbolic links skipped, git failing: said whether or not the run is cached
    try:
        if others or not candidates:
            candidates += list(discover(others, dialect=dialect, homes=homes, notes=walk_notes))
    except UsageError as exc:
        raise CfglintError(str(exc)) from None
    for note in walk_notes:
        click.echo(f"cfglint: {one_line(note)}", err=True)
    # `exclude` applies to files named on the command line too (pre-commit names them).
    candidates = [c for c in candidates if not finder.for_file(c.display).excluded]

    def settings_for(doc: Any) -> Any:
        return finder.for_file(doc.display_path)  # the display path is the stdin file's name, too

    def options_for(doc: Any) -> RunOptions:
        return finder.run_options(settings_for(doc).resolved, options)

    for candidate in candidates:  # a broken overlay is a usage error (exit 2), before any output
        resolved = finder.for_file(candidate.display).resolved
        if resolved.registry_files:
            _check_registry(finder.run_options(resolved, options))
    contents: dict[int, bytes | None] = {}
    stdin_bytes = None
    if stdin_reader is not None:
        stdin_bytes = stdin_reader()
        stdin_reader = lambda: stdin_bytes  # noqa: E731  (read standard input once)
    for candidate in candidates:
        contents[id(candidate)] = stdin_bytes if candidate.path == "-" else read_candidate(candidate)
    key = None
    if not no_cache and not show_source:  # snippets need the documents: not cached
        key = cache.run_key(
            [(c.path, c.display, c.dialect, contents[id(c)], c.problem) for c in candidates],
            {"overrides": repr(finder.overrides), "env": sorted(env.items()), "dialect": dialect,
             "files": [[finder.for_file(c.display).resolved.as_dict(), finder.for_file(c.display).per_file_ignores]
                       for c in candidates]},
            [path for c in candidates for path in finder.run_options(
                finder.for_file(c.display).resolved, options).registry_files])
    cached = cache.load(key) if key else None
    if cached is not None:  # validated by `cache.load`; printed through the same filter as a fresh run
        findings = [f.printable() for f in cached.findings]
        notes, files_checked, sources = cached.notes, cached.files_checked, {}
    else:
        from cfglint.engine import run

        distinct = {id(s): s for s in (finder.for_file(c.display) for c in candidates)}.values()
        result = run(candidates, options, stdin_reader, options_for=options_for, contents=contents,
                     wanted=lambda code: any(settings.enabled(code) for settings in distinct),
                     settings_for=settings_for)
        redactor = result.redactor(env, origins)
        findings = [f.scrubbed(redactor).printable() for f in result.findings]
        notes, files_checked = result.notes, result.files_checked
        sources = {doc.display_path: doc for doc in result.documents}
        if key:
            cache.store(key, {"findings": [f.as_dict() for f in findings], "notes": notes,
                              "files_checked": files_checked})
    for note in notes:
        click.echo(f"cfglint: {one_line(note)}", err=True)
    if not files_checked:
        click.echo("cfglint: no config files found", err=True)
    colour = not no_color and output_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    output = reporter(output_format)(findings, files_checked=files_checked, colour=colour,
                                     show_source=show_source, sources=sources, quiet=quiet)
    if output:
        click.echo(encodable(output, output_format, getattr(sys.stdout, "encoding", None)), nl=False)
    threshold = finder.overrides.fail_on if finder.overrides.fail_on is not None else finder.for_run().fail_on
    if not exit_zero and any(f.severity >= threshold for f in findings):
        return EXIT_FINDINGS
    return EXIT_OK


@cli.command()
@click.argument("dialect", type=click.Choice(DIALECT_NAMES))
def schema(dialect: str) -> None:
    """Print the JSON Schema cfglint ships for DIALECT."""
    from importlib import resources

    click.echo(resources.files("cfglint.schemas").joinpath(f"{dialect}.schema.json").read_text(encoding="utf-8"),
               nl=False)


@cli.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Document every rule.")
def rule(code: str | None, show_all: bool) -> None:
    """Explain a rule: what it checks, why it matters, an example, the fix."""
    from cfglint.rules import all_rules
    from cfglint.rules.docs import ordered, render_rule

    rules = all_rules()
    if show_all:
        click.echo("\n".join(render_rule(cls) for cls in ordered(rules.values())), nl=False)
        return
    if not code:
        raise CfglintError("give a rule CODE, or --all")
    cls = rules.get(code.upper())
    if cls is None:
        raise CfglintError(f"unknown rule code {code!r}")
    click.echo(render_rule(cls), nl=False)


def _load_documents(paths: Sequence[str], dialect: str | None, options: Any, homes: dict[str, str]) -> Any:
    """Read and parse the files of `paths` (explain runs the rules itself, per model)."""
    from cfglint.discovery import UsageError, discover
    from cfglint.engine import run

    notes: list[str] = []
    try:
        candidates = list(discover(list(paths), dialect=dialect, homes=homes, notes=notes))
    except UsageError as exc:
        raise CfglintError(str(exc)) from None
    result = run(candidates, options, check=False)
    result.notes[:0] = notes
    return result


def _check_registry(options: Any) -> None:
    from cfglint.registry import RegistryError

    try:
        options.registry  # noqa: B018  (load now: a broken overlay is a usage error, exit 2)
    except RegistryError as exc:
        raise CfglintError(str(exc)) from None


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--model", help="Only this model (alias, or `provider/model` for Kilo).")
@click.option("--dialect", type=click.Choice(DIALECT_NAMES), help="Read the named files as this dialect.")
@click.option("--target", "targets", multiple=True, metavar="HARNESS@VERSION",
              help="Harness version whose behaviour to explain (repeatable).")
@click.option("--format", "--output-format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--env", "env_pairs", multiple=True, metavar="KEY=VALUE", help="An environment value (repeatable).")
@click.option("--env-file", type=click.Path(dir_okay=False), help="Environment values in dotenv format.")
@click.option("--no-env", is_flag=True, help="Do not read the process environment.")
@click.option("--registry", "registry_files", multiple=True, type=click.Path(dir_okay=False),
              help="Extra registry overlay file (repeatable).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this settings file (its `targets` and `registry`) instead of the closest one.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def explain(paths: tuple[str, ...], model: str | None, dialect: str | None, targets: tuple[str, ...],
            output_format: str, env_pairs: tuple[str, ...], env_file: str | None, no_env: bool,
            registry_files: tuple[str, ...], config_file: str | None, debug: bool) -> None:
    """Show where compaction fires and the max_tokens each model gets, and why.

    Reads the process environment (unlike `check`) unless --no-env, and says
    which numbers an environment variable changed. The `targets` and `registry`
    settings apply as in `check`.
    """
    from cfglint.context import RunOptions
    from cfglint.discovery import homes_from
    from cfglint.engine import configurations
    from cfglint.explain import explain_configuration, render_json, render_text
    from cfglint.findings import one_line
    from cfglint.report import encodable
    from cfglint.settings import SettingsError

    try:
        env, origins = _env_options(env_pairs, env_file, {} if no_env else dict(os.environ))
        finder = _settings_finder(config=config_file, targets=targets, registry_files=registry_files)
        options = RunOptions(env=env, targets=finder.overrides.targets, registry_files=tuple(registry_files),
                             use_env=not no_env, env_origins=origins)
        result = _load_documents(paths, dialect, options, homes_from(env))
        for note in result.notes:
            click.echo(f"cfglint: {one_line(note)}", err=True)

        def options_for(doc: Any) -> RunOptions:
            return finder.run_options(finder.for_file(doc.display_path).resolved, options)

        for doc in result.documents:
            _check_registry(options_for(doc))
        redactor = result.redactor(env, origins)
        items = []
        for ctx in configurations(result.documents, options, model=model, options_for=options_for):
            items.extend(explain_configuration(ctx, redactor))
        if not items and model:
            raise CfglintError(f"no model named {model!r} to explain (`cfglint explain` without --model lists them)")
        if not items:
            _nothing_to_explain(result.documents, output_format)
            return
        env_note = "process environment not read (--no-env)" if no_env else "process environment read"
        render = render_json if output_format == "json" else render_text
        text = render(items, env_note=env_note)
        if output_format == "text":  # names from the files: no terminal escapes, one line each
            text = "\n".join(one_line(line) for line in text.split("\n"))
        click.echo(encodable(text, output_format, getattr(sys.stdout, "encoding", None)), nl=False)
    except click.ClickException:
        raise
    except SettingsError as exc:
        raise CfglintError(str(exc)) from None
    except Exception as exc:
        if debug:
            raise
        raise CfglintError(f"internal error: {type(exc).__name__}: {exc}") from None


def _nothing_to_explain(documents: list[Any], output_format: str) -> None:
    """No model in the files (or none that parses): a fact about the files, not an error (exit 0)."""
    broken = [doc.display_path for doc in documents if not doc.parse.ok]
    if broken:
        why = f"{', '.join(broken)} does not parse (`cfglint check` says why)"
    elif documents:
        why = "no model is configured and the harness has no default model"
    else:
        why = "no config file found"
    from cfglint.findings import one_line

    why = one_line(why)
    if output_format == "json":
        click.echo("[]")
        click.echo(f"cfglint: nothing to explain: {why}", err=True)
    else:
        click.echo(f"nothing to explain: {why}")


@cli.group()
def config() -> None:
    """cfglint's own settings (`.cfglint.toml`, `cfglint.toml`, `[tool.cfglint]` in pyproject.toml)."""


@config.command("show")
@click.argument("path", required=False, default=".", type=click.Path())
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Show this settings file's settings instead of the closest one's.")
@click.option("--format", "--output-format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def config_show(path: str, config_file: str | None, output_format: str) -> None:
    """Print the settings in effect for PATH (a file or directory; default: the current directory)."""
    from cfglint.settings import SettingsError, render_settings

    if not os.path.exists(path):
        raise CfglintError(f"{path}: no such file or directory")
    finder = _settings_finder(config=config_file)
    try:
        directory = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
        resolved = finder.for_directory(directory)
    except SettingsError as exc:
        raise CfglintError(str(exc)) from None
    click.echo(render_settings(path, resolved, resolved.for_path(os.path.abspath(path)), output_format), nl=False)


@cli.group()
def registry() -> None:
    """The model capability registry (models.dev snapshot + overlay)."""


@registry.command("show")
@click.argument("model")
@click.option("--provider", help="Configured provider name, to show which entry a harness config resolves to.")
@click.option("--base-url", help="Configured base URL (identifies the provider first).")
@click.option("--registry", "registry_files", multiple=True, type=click.Path(dir_okay=False))
def registry_show(model: str, provider: str | None, base_url: str | None, registry_files: tuple[str, ...]) -> None:
    """Limits of MODEL for every provider that serves it."""
    from cfglint.registry import RegistryError, load_registry
    from cfglint.rules.budget_support import tokens

    try:
        reg = load_registry(registry_files)
    except RegistryError as exc:
        raise CfglintError(str(exc)) from None
    match = reg.lookup(model, provider=provider, base_url=base_url)
    click.echo(f"registry: {reg.meta.describe()}")
    if match.found:
        limits = ", ".join(f"{k} {tokens(v)}" for k, v in (("context", match.context), ("input", match.input),
                                                          ("output", match.output)) if v is not None)
        click.echo(f"resolves to: {match.entry} [{match.kind} match] {limits}"
                   + (f", status {match.status}" if match.status else ""))
    entries = reg.entries_for(model)
    if not entries:
        hint = f"; close matches: {', '.join(match.suggestions)}" if match.suggestions else ""
        if not match.found:
            raise CfglintError(f"{model!r} is not in the registry{hint}")
        return
    click.echo(f"{'provider/model':<60} {'context':>11} {'input':>11} {'output':>11}  status")
    for provider_id, model_id, lim in entries:
        cells = [tokens(v) if v is not None else "-" for v in (lim.context, lim.input, lim.output)]
        click.echo(f"{provider_id + '/' + model_id:<60} {cells[0]:>11} {cells[1]:>11} {cells[2]:>11}  {lim.status or ''}")


@registry.command("info")
@click.option("--registry", "registry_files", multiple=True, type=click.Path(dir_okay=False))
def registry_info(registry_files: tuple[str, ...]) -> None:
    """Snapshot source, date and counts."""
    from cfglint.registry import RegistryError, load_registry

    try:
        reg = load_registry(registry_files)
    except RegistryError as exc:
        raise CfglintError(str(exc)) from None
    meta = reg.meta
    click.echo(f"registry: {meta.describe()}")
    click.echo(f"source: {meta.source}")
    click.echo(f"upstream: {meta.upstream_repo} {meta.upstream_commit or ''}".rstrip())
    click.echo(f"providers: {meta.providers:,}  models: {meta.models:,}")
    click.echo(f"data: {meta.path}" + (" (user cache)" if meta.from_cache else " (bundled)"))
    for overlay in meta.overlays:
        click.echo(f"overlay: {overlay}")


@registry.command("update")
@click.option("--from", "source", required=True, metavar="FILE_OR_URL",
              help="A full models.dev api.json (file path or http(s) URL).")
def registry_update(source: str) -> None:
    """Write a slim snapshot of a models.dev api.json to the user cache (the only network use)."""
    from cfglint.registry import RegistryError, load_registry, update_cache

    try:
        path = update_cache(source)
        meta = load_registry().meta
    except RegistryError as exc:
        raise CfglintError(str(exc)) from None
    click.echo(f"wrote {path}: {meta.providers:,} providers, {meta.models:,} models")


def main() -> None:
    """The `cfglint` entry point. Output never fails to encode: a file name that is not UTF-8,
    or a locale such as `PYTHONIOENCODING=latin-1`, gives backslash escapes, not a traceback."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        cli.main(prog_name="cfglint", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("cfglint: interrupted", err=True)
        sys.exit(EXIT_ERROR)
