"""The click commands of `cfglint` (the entry point, `main`, is in `cfglint.cli`, which runs the
commonest check without them).
"""

from __future__ import annotations

import os
import sys

import click

from cfglint import __version__
from cfglint.cli import COLOR_CHOICES, EXIT_ERROR, _one_line_errors, _say, colour_wanted, run_check
from cfglint.harnesses import DIALECTS
from cfglint.report import FORMATS, STATISTICS_FORMATS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class CfglintError(click.ClickException):
    """A one-line error that exits with status 2."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        _say([self.format_message()])


def _print_version(ctx: click.Context, _param: Any, value: bool) -> None:
    """`cfglint 0.1.0`, then both registry snapshots, their dates and which one is in use."""
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"cfglint {__version__}")
    try:
        lines = _snapshot_lines()
    except Exception as exc:  # the version must print whatever state the registry data is in
        lines = [f"registry: unavailable: {exc}"]
    click.echo("\n".join(lines))
    ctx.exit()


def _snapshot_lines() -> list[str]:
    """The bundled snapshot and the user cache: label, newest entry, which one a run uses."""
    from cfglint.registry import RegistryError, choose_snapshot

    try:
        choice, broken = choose_snapshot(), None
    except RegistryError as exc:  # the user cache is not a snapshot: say so, show the bundled one
        choice, broken = choose_snapshot(use_cache=False), str(exc)

    def label(meta: Any) -> str:
        return meta.describe_dates() + (" (in use)" if meta is choice.in_use else "")

    if broken:
        cache = f"unusable: {broken}"
    elif choice.cache is None:
        cache = "none"
    elif choice.cache_in_use:
        cache = f"{label(choice.cache)}, {choice.cache.path}"
    else:
        why = "no data date" if choice.cache.data_date is None else "older than the bundled snapshot"
        cache = f"{label(choice.cache)}, {choice.cache.path} (not used: {why})"
    return [f"bundled registry: {label(choice.bundled)}", f"user registry cache: {cache}"]


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


# Options `check` and `explain` share.
_env_file_option = click.option("--env-file", type=click.Path(dir_okay=False),
                                help="Environment values in dotenv format.")
_registry_option = click.option("--registry", "registry_files", multiple=True, type=click.Path(dir_okay=False),
                                help="Extra registry overlay file (repeatable).")
_harness_args_option = click.option(
    "--harness-args", "harness_args", multiple=True, metavar="DIALECT=ARGS",
    help="Flags the harness is launched with, e.g. its command-line config overrides (repeatable; overrides the "
         "`harness-args` setting for that dialect).")
_context_layers_option = click.option(
    "--no-context-layers", "no_context_layers", is_flag=True,
    help="Lint the named files alone: do not also read the other files of the project the harness merges with "
         "them (pre-commit names only the staged ones).")
_stdin_filename_option = click.option(
    "--stdin-filename", metavar="NAME", help="With PATH `-`: read standard input as if it were the file NAME.")


@click.group(cls=CfglintGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and the registry snapshots' dates, then exit.")
def cli() -> None:
    """Lint the configuration files of AI coding agents (Kimi Code, kimi-cli, Kilo, opencode, pi, Claude Code,
    Hermes, Codex CLI)."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--dialect", type=click.Choice(DIALECTS), help="Read every named file as this dialect.")
@click.option("--target", "targets", multiple=True, metavar="HARNESS@VERSION",
              help="Harness version whose behaviour to check against (repeatable).")
@click.option("--select", multiple=True, metavar="CODES", help="Only these codes or prefixes (comma-separated).")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Add codes or prefixes to the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Drop these codes or prefixes.")
@click.option("--output-format", "output_format", type=click.Choice(list(FORMATS)), default="text",
              show_default=True,
              help="text; concise (one line each, no fix); full (text with each source line and fix); json; "
                   "json-lines (one finding a line); sarif; github (workflow commands); gitlab (Code Quality); "
                   "junit (XML).")
@click.option("--show-source", is_flag=True, help="Show the source line under each finding (text output).")
@click.option("--statistics", is_flag=True,
              help="Count the findings per code instead of listing them (text, concise, full, json, json-lines).")
@click.option("--env", "env_pairs", multiple=True, metavar="KEY=VALUE",
              help="An environment value the harness would see (repeatable).")
@_env_file_option
@click.option("--use-env", is_flag=True, help="Also read the process environment (off by default: CI must be reproducible).")
@_registry_option
@_harness_args_option
@_context_layers_option
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
              help="Lowest severity that makes the exit status 1 [default: the `fail-on` setting, else error].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--color", "color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
              help="Colour the text output (auto: on a terminal, unless NO_COLOR is set or FORCE_COLOR is).")
@click.option("--no-color", is_flag=True, help="Same as --color never.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary line.")
@_stdin_filename_option
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this settings file for every path (no search for the closest one).")
@click.option("--no-cache", is_flag=True,
              help="Neither read nor write the result cache, and use the bundled registry snapshot, not the user's "
                   "(`registry update`).")
@click.option("--fix", is_flag=True,
              help="Apply the safe fixes (rename a deprecated key, a typo with one close known key), then report "
                   "what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: also the fixes that may change a value's "
                                                   "meaning (a deprecated key moved to a replacement of another form).")
@click.option("--diff", is_flag=True,
              help="Print the fixes as a unified diff and write nothing; exit 1 if there are any (with --fix too).")
@click.option("--add-ignore", is_flag=True,
              help="Baseline: add a `cfglint: ignore[CODES]` comment for every finding on its line, then exit 0.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), metavar="N",
              help="Processes that check files, this one included: 0 one per core, 1 this one alone [default: one "
                   "per core past a few hundred files to check, else 1].")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def check(paths: tuple[str, ...], dialect: str | None, targets: tuple[str, ...], select: tuple[str, ...],
          extend_select: tuple[str, ...], ignore: tuple[str, ...], output_format: str, show_source: bool,
          statistics: bool, env_pairs: tuple[str, ...], env_file: str | None, use_env: bool,
          registry_files: tuple[str, ...], harness_args: tuple[str, ...], no_context_layers: bool, fail_on: str | None,
          exit_zero: bool, color: str, no_color: bool, quiet: bool,
          stdin_filename: str | None, config_file: str | None, no_cache: bool, fix: bool, unsafe_fixes: bool,
          diff: bool, add_ignore: bool, jobs: int | None, debug: bool) -> None:
    """Lint config files and directories (default: the current directory)."""
    if statistics and output_format not in STATISTICS_FORMATS:
        raise click.UsageError(f"--statistics works with --output-format {', '.join(STATISTICS_FORMATS)}, "
                               f"not {output_format}", click.get_current_context())
    if fix and not diff and "-" in paths:
        raise click.UsageError("--fix cannot write standard input (`-`); use --diff to see the fixes",
                               click.get_current_context())
    if add_ignore and (fix or diff or "-" in paths):
        raise click.UsageError("--add-ignore edits files: it cannot be combined with --fix, --diff or standard "
                               "input (`-`)", click.get_current_context())
    run_check(**click.get_current_context().params)


@cli.command()
@click.argument("name")
def schema(name: str) -> None:
    """Print the JSON Schema cfglint ships for NAME: a dialect, or a harness's other kind of
    file (`pi-models`)."""
    from importlib import resources

    from cfglint.harnesses import schema_names

    names = schema_names()
    if name not in names:
        raise click.BadParameter(f"{name!r} is not one of {', '.join(map(repr, names))}", param_hint="'NAME'")
    click.echo(resources.files("cfglint.schemas").joinpath(f"{name}.schema.json").read_text(encoding="utf-8"),
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


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--model", help="Only this model, as the config names it (an alias, or `provider/model`).")
@click.option("--dialect", type=click.Choice(DIALECTS), help="Read the named files as this dialect.")
@click.option("--target", "targets", multiple=True, metavar="HARNESS@VERSION",
              help="Harness version whose behaviour to explain (repeatable).")
@click.option("--format", "--output-format", "output_format", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True, help="markdown: a table per model, to paste into an issue.")
@click.option("--color", "color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
              help="Colour the text output (auto: on a terminal, unless NO_COLOR is set or FORCE_COLOR is).")
@click.option("--no-color", is_flag=True, help="Same as --color never.")
@click.option("--env", "env_pairs", multiple=True, metavar="KEY=VALUE", help="An environment value (repeatable).")
@_env_file_option
@click.option("--no-env", is_flag=True, help="Do not read the process environment.")
@_registry_option
@_harness_args_option
@_context_layers_option
@_stdin_filename_option
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this settings file (its `targets` and `registry`) instead of the closest one.")
@click.option("--no-cache", is_flag=True, help="Use the bundled registry snapshot, not the user's (`registry update`).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def explain(paths: tuple[str, ...], model: str | None, dialect: str | None, targets: tuple[str, ...],
            output_format: str, color: str, no_color: bool, env_pairs: tuple[str, ...], env_file: str | None, no_env: bool,
            registry_files: tuple[str, ...], harness_args: tuple[str, ...], no_context_layers: bool,
            stdin_filename: str | None, config_file: str | None, no_cache: bool,
            debug: bool) -> None:
    """Show where compaction fires and the max_tokens each model gets, and why.

    Reads the process environment (unlike `check`) unless --no-env, and says
    which numbers an environment variable changed. The `targets` and `registry`
    settings apply as in `check`.
    """
    from cfglint.engine import session
    from cfglint.report import encodable
    from cfglint.report.explain import render_json, render_markdown, render_text

    request = session.ExplainRequest(
        paths=paths, dialect=dialect, targets=targets, env_pairs=env_pairs, env_file=env_file, use_env=not no_env,
        registry_files=registry_files, config_file=config_file, harness_args=harness_args,
        context_layers=not no_context_layers, no_cache=no_cache, model=model, stdin_filename=stdin_filename)
    with _one_line_errors(debug):
        outcome = session.explain(request)
        _say(outcome.notes)
        if not outcome.explained:
            _nothing_to_explain(outcome.documents, output_format)
            return
        env_note = "process environment not read (--no-env)" if no_env else "process environment read"
        colour = output_format == "text" and colour_wanted("never" if no_color else color)
        if output_format == "json":
            text = render_json(outcome.explained, env_note=env_note)
        elif output_format == "markdown":
            text = render_markdown(outcome.explained, env_note=env_note)
        else:  # the renderer escapes the files' texts itself, so that its colours survive
            text = render_text(outcome.explained, env_note=env_note, colour=colour)
        # color=: click would strip the styles from a pipe even when FORCE_COLOR or --color asks for them
        click.echo(encodable(text, output_format, getattr(sys.stdout, "encoding", None)), nl=False, color=colour)


def _nothing_to_explain(documents: list[Any], output_format: str) -> None:
    """No model in the files (or none that parses): a fact about the files, not an error (exit 0)."""
    broken = [doc.display_path for doc in documents if not doc.parse.ok]
    if broken:
        why = f"{', '.join(broken)} does not parse (`cfglint check` says why)"
    elif documents:
        why = "no model is configured and the harness has no default model"
    else:
        why = "no config file found"
    from cfglint.core.finding import one_line

    why = one_line(why)
    if output_format == "json":
        click.echo("[]")
        click.echo(f"cfglint: nothing to explain: {why}", err=True)
    else:
        from cfglint.report.explain import wrap

        click.echo("\n".join(wrap(f"nothing to explain: {why}", "")))


@cli.command()
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the only transport; editors pass it).")
def server(stdio: bool) -> None:
    """Run the language server: an editor gets check's findings as you type, its fixes as quick
    fixes, and explain's numbers on hover over a model or a setting its budget reads."""
    from cfglint.server import main as serve

    serve()


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
    from cfglint.engine.session import SessionError, settings_finder
    from cfglint.settings.files import SettingsError, render_settings

    if not os.path.exists(path):
        raise CfglintError(f"{path}: no such file or directory")
    try:
        finder = settings_finder(config=config_file)
        directory = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
        resolved = finder.for_directory(directory)
    except (SessionError, SettingsError) as exc:
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
    from cfglint.core.numbers import tokens

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
    """Snapshot source, dates and counts; which snapshot is in use."""
    from cfglint.registry import RegistryError, load_registry

    try:
        reg = load_registry(registry_files)
    except RegistryError as exc:
        raise CfglintError(str(exc)) from None
    meta = reg.meta
    click.echo(f"registry: {meta.describe()}")
    click.echo("\n".join(_snapshot_lines()))
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
    """Write a slim snapshot of a models.dev api.json to the user cache (the only network use).
    It is used while its data is at least as new as the bundled snapshot's."""
    from cfglint.registry import RegistryError, choose_snapshot, update_cache

    try:
        path = update_cache(source)
        choice = choose_snapshot()
    except RegistryError as exc:
        raise CfglintError(str(exc)) from None
    meta = choice.cache or choice.bundled
    click.echo(f"wrote {path}: {meta.describe()}, {meta.providers:,} providers, {meta.models:,} models")
    if choice.note:
        _say([choice.note])


@registry.command("reset")
def registry_reset() -> None:
    """Remove the user cache written by `registry update`: the bundled snapshot is used again."""
    from cfglint.registry import RegistryError, cached_snapshot_path, reset_cache

    try:
        removed = reset_cache()
    except RegistryError as exc:
        raise CfglintError(str(exc)) from None
    click.echo(f"removed the registry user cache {removed}" if removed
               else f"no registry user cache at {cached_snapshot_path()}: nothing to remove")
