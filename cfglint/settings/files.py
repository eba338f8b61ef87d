"""cfglint's own settings: `.cfglint.toml`, `cfglint.toml` or `[tool.cfglint]` in `pyproject.toml`.

Each linted file uses the settings file closest to it: walking up from the
file's directory, the first directory holding one wins, and inside one
directory `.cfglint.toml` beats `cfglint.toml` beats a `pyproject.toml` with a
`[tool.cfglint]` table (a pyproject without that table does not count).
Settings files do not inherit from each other. `--config FILE` applies one file
to every path instead and turns the search off.

Command-line options are one more layer on top, with ruff's semantics:
`--select` starts the selection afresh, `--extend-select` and `--ignore` adjust
the file's, `--target` replaces the file's target of that dialect, `--harness-args` the
file's launch flags of that dialect, `--registry` overlays come after the
file's, and `--fail-on` replaces `fail-on`.

Settings are validated strictly: any problem is one `SettingsError` whose
message is `file:line: what is wrong` (exit 2).
"""

from __future__ import annotations

import os
import re

from cfglint.core.finding import Severity
from cfglint.core.record import Record
from cfglint.core.globs import SegmentGlob
from cfglint.core.safeio import read_bytes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Mapping, Sequence
    from cfglint.rules.context import RunOptions
    from cfglint.core.document import Path as KeyPath
    from cfglint.core.text import SourceText


SETTINGS_FILES = (".cfglint.toml", "cfglint.toml", "pyproject.toml")  # precedence inside one directory
# Settings files are a few KB; the largest real pyproject.toml files are tens of KB. A settings file
# comes from the repository being linted, and is parsed in full before cfglint knows whether it is
# one (`[tool.cfglint]`): a larger file is an error rather than seconds of parsing or gigabytes read.
SETTINGS_LIMIT = 1024 * 1024
KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "severity", "fail-on", "targets", "registry",
        "exclude", "dialects", "harness-args")


def _close_matches(word: str, possibilities: Sequence[str]) -> list[str]:
    """The closest of `possibilities` to a misspelt `word` (at most one), for a hint."""
    import difflib  # only a settings file with a misspelling pays for it

    return difflib.get_close_matches(word, possibilities, n=1, cutoff=0.6)


class SettingsError(Exception):
    """Invalid settings: one line, `file:line: message`."""


def display_path(path: str) -> str:
    """`path` relative to the current directory when it lies below it, else absolute."""
    rel = os.path.relpath(path)
    return path if rel == ".." or rel.startswith(".." + os.sep) else rel


# --- globs ----------------------------------------------------------------------------------


class Glob:
    """A gitignore-like pattern for `exclude` and `per-file-ignores`.

    Without a `/` it matches any single path component (a file or directory
    name: `*.jsonc`, `legacy`); with a `/` it is anchored at the settings file's
    directory and matches the path relative to it, or one of that path's parent
    directories. `*` and `?` stay inside one component, `**` spans directories.
    Matching is linear in the path's length (`cfglint.core.globs`): the patterns come
    from the repository being linted.
    """

    __slots__ = ("text", "anchored", "_glob")

    def __init__(self, text: str) -> None:
        self.text = text
        pattern = text[2:] if text.startswith("./") else text
        pattern = pattern.rstrip("/")
        self.anchored = "/" in pattern
        self._glob = SegmentGlob(pattern.lstrip("/"))

    def matches(self, parts: Sequence[str]) -> bool:
        """True when the pattern matches the path whose components (relative to the settings
        directory) are `parts`."""
        if self.anchored:
            return self._glob.matches_a_prefix(parts)
        return any(self._glob.matches([part]) for part in parts)


def _relative_parts(path: str, root: str) -> list[str]:
    """Components of `path` relative to `root`; none when it lies outside `root`, so that
    anchored patterns cannot match, only the file's own name and directories below `root`."""
    rel = os.path.relpath(path, root)
    if rel == ".." or rel.startswith(".." + os.sep):
        return [os.path.basename(path)]
    return [] if rel == "." else rel.split(os.sep)


# --- one settings file ------------------------------------------------------------------------


class Settings(Record):
    """The validated contents of one settings file; `path` None means the defaults. Equal only
    to itself (a record, not a value: no two files are the same settings)."""

    __slots__ = ("path", "root", "table", "select", "extend_select", "ignore", "per_file_ignores", "severity",
                 "fail_on", "targets", "registry", "exclude", "dialects", "harness_args")
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, path: str | None = None,
                 root: str = "",  # the directory globs and registry paths are relative to
                 table: str = "",  # "[tool.cfglint]" for a pyproject.toml
                 select: tuple[str, ...] | None = None, extend_select: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = (), per_file_ignores: tuple[tuple[Glob, tuple[str, ...]], ...] = (),
                 severity: Mapping[str, Severity] | None = None, fail_on: Severity | None = None,
                 targets: Mapping[str, str] | None = None,
                 registry: tuple[str, ...] = (),  # absolute paths
                 exclude: tuple[Glob, ...] = (),
                 # File patterns read as a dialect their names do not tell (`"configs/*.json" = "opencode"`)
                 dialects: tuple[tuple[Glob, str], ...] = (),
                 # The flags each harness is launched with (`{"<dialect>" = "--flag value"}`), split as a shell would
                 harness_args: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.path, self.root, self.table = path, root, table
        self.select, self.extend_select, self.ignore = select, extend_select, ignore
        self.per_file_ignores = per_file_ignores
        self.severity = {} if severity is None else severity
        self.fail_on = fail_on
        self.targets = {} if targets is None else targets
        self.registry, self.exclude, self.dialects = registry, exclude, dialects
        self.harness_args = {} if harness_args is None else harness_args

    def describe(self) -> str:
        if self.path is None:
            return "none (defaults)"
        return display_path(self.path) + (f" {self.table}" if self.table else "")


DEFAULTS = Settings()


def load_settings(path: str, *, explicit: bool = False) -> Settings | None:
    """Read and validate one settings file; None for a pyproject.toml without `[tool.cfglint]`
    (unless `explicit`: `--config pyproject.toml` must have the table)."""
    shown = display_path(os.path.abspath(path))
    try:
        data = read_bytes(path, SETTINGS_LIMIT, what="it")
    except OSError as exc:
        raise SettingsError(f"{shown}: cannot read settings: {exc.strerror or exc}") from None
    is_pyproject = os.path.basename(path) == "pyproject.toml"
    if is_pyproject and b"cfglint" not in data and not explicit:
        return None  # cheap: most pyproject files never mention cfglint
    from cfglint.parsing.toml import parse_toml
    from cfglint.core.text import SourceText, UnreadableText, decode

    try:
        source = SourceText(decode(data))
    except UnreadableText as exc:
        raise SettingsError(f"{shown}:1: {exc}") from None
    parsed = parse_toml(source)
    if not parsed.ok:
        diag = parsed.diagnostics[0]
        raise SettingsError(f"{shown}:{source.position(diag.start)[0]}: invalid TOML: {diag.message}")
    table: Any = parsed.data
    prefix: KeyPath = ()
    if is_pyproject:
        tool = table.get("tool")
        table = tool.get("cfglint") if isinstance(tool, dict) else None
        prefix = ("tool", "cfglint")
        if table is None:
            if explicit:
                raise SettingsError(f"{shown}:1: no [tool.cfglint] table")
            return None
    checker = _Checker(shown, source, parsed.locations, prefix)
    return checker.settings(table, os.path.abspath(path), "[tool.cfglint]" if is_pyproject else "")


class _Checker:
    """Validates one settings table, raising `SettingsError` at the line of the culprit."""

    def __init__(self, shown: str, source: "SourceText", locations: Any, prefix: "KeyPath") -> None:
        self.shown = shown
        self.source = source
        self.locations = locations
        self.prefix = prefix

    def error(self, path: "KeyPath", message: str) -> SettingsError:
        found = self.locations.nearest(self.prefix + tuple(path))
        line = 1
        if found is not None:
            _, loc = found
            start = loc.key_start if loc.key_start is not None else loc.value_start
            line = self.source.position(start)[0]
        return SettingsError(f"{self.shown}:{line}: {message}")

    def settings(self, table: Any, path: str, label: str) -> Settings:
        if not isinstance(table, dict):
            raise self.error((), f"{label or 'the settings'} must be a table")
        for key in table:
            if key not in KEYS:
                close = _close_matches(key, KEYS)
                hint = f" (did you mean `{close[0]}`?)" if close else f" (known: {', '.join(KEYS)})"
                raise self.error((key,), f"unknown setting `{key}`{hint}")
        root = os.path.dirname(path)
        return Settings(
            path=path,
            root=root,
            table=label,
            select=self.codes(table, "select") if "select" in table else None,
            extend_select=self.codes(table, "extend-select"),
            ignore=self.codes(table, "ignore"),
            per_file_ignores=self.per_file_ignores(table),
            severity=self.severities(table),
            fail_on=self.severity_value(table["fail-on"], ("fail-on",), "`fail-on`") if "fail-on" in table else None,
            targets=self.targets(table),
            registry=tuple(self.registry_file(root, value, i)
                           for i, value in enumerate(self.strings(table, "registry"))),
            exclude=tuple(Glob(value) for value in self.strings(table, "exclude")),
            dialects=self.dialect_patterns(table),
            harness_args=self.harness_args(table),
        )

    def per_file_ignores(self, table: dict) -> tuple[tuple[Glob, tuple[str, ...]], ...]:
        patterns = self.table(table, "per-file-ignores")
        for pattern in patterns:
            if not pattern.strip("./"):
                raise self.error(("per-file-ignores", pattern), "`per-file-ignores`: empty file pattern")
        return tuple((Glob(pattern), self.codes(patterns, pattern, ("per-file-ignores",))) for pattern in patterns)

    def table(self, table: dict, key: str) -> dict:
        value = table.get(key, {})
        if not isinstance(value, dict):
            raise self.error((key,), f"`{key}` must be a table, not {_kind(value)}")
        return value

    def strings(self, table: dict, key: str, parent: "KeyPath" = ()) -> list[str]:
        value = table.get(key, [])
        name = ".".join(parent + (key,))
        if not isinstance(value, list):
            raise self.error(parent + (key,), f"`{name}` must be a list of strings, not {_kind(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(parent + (key, i), f"`{name}` must be a list of strings; item {i + 1} is "
                                                    + ("empty" if isinstance(item, str) else _kind(item)))
        return value

    def codes(self, table: dict, key: str, parent: "KeyPath" = ()) -> tuple[str, ...]:
        out: list[str] = []
        for i, item in enumerate(self.strings(table, key, parent)):
            try:
                out += normalise_codes([item])
            except ValueError as exc:
                raise self.error(parent + (key, i), f"`{'.'.join(parent + (key,))}`: {exc}") from None
        return tuple(out)

    def severities(self, table: dict) -> dict[str, Severity]:
        out = {}
        for code, value in self.table(table, "severity").items():
            try:
                selectors = normalise_codes([code])
            except ValueError as exc:
                raise self.error(("severity", code), f"`severity`: {exc}") from None
            if len(selectors) != 1:
                raise self.error(("severity", code), f"`severity`: key {code!r} must be one rule code or prefix")
            out[selectors[0]] = self.severity_value(value, ("severity", code), f"`severity.{code}`")
        return out

    def severity_value(self, value: Any, path: "KeyPath", name: str) -> Severity:
        if not isinstance(value, str):
            raise self.error(path, f"{name} must be a string (error, warning or info), not {_kind(value)}")
        try:
            return Severity.parse(value)
        except ValueError as exc:
            raise self.error(path, f"{name}: {exc}") from None

    def dialect_patterns(self, table: dict) -> tuple[tuple[Glob, str], ...]:
        from cfglint.harnesses import DIALECTS

        out = []
        for pattern, dialect in self.table(table, "dialects").items():
            path = ("dialects", pattern)
            if not pattern.strip("./"):
                raise self.error(path, "`dialects`: empty file pattern")
            if not isinstance(dialect, str):
                raise self.error(path, f"`dialects.{pattern}` must be a dialect name, not {_kind(dialect)}")
            if dialect not in DIALECTS:
                close = _close_matches(dialect, DIALECTS)
                hint = f"did you mean `{close[0]}`?" if close else f"expected one of: {', '.join(DIALECTS)}"
                raise self.error(path, f"`dialects`: unknown dialect `{dialect}` ({hint})")
            out.append((Glob(pattern), dialect))
        return tuple(out)

    def harness_args(self, table: dict) -> dict[str, tuple[str, ...]]:
        from cfglint.harnesses import DIALECTS

        out = {}
        for dialect, text in self.table(table, "harness-args").items():
            path = ("harness-args", dialect)
            if dialect not in DIALECTS:
                close = _close_matches(dialect, DIALECTS)
                hint = f"did you mean `{close[0]}`?" if close else f"expected one of: {', '.join(DIALECTS)}"
                raise self.error(path, f"`harness-args`: unknown harness `{dialect}` ({hint})")
            if not isinstance(text, str):
                raise self.error(path, f"`harness-args.{dialect}` must be a string of command-line flags, "
                                       f"not {_kind(text)}")
            try:
                out[dialect] = launch_args(dialect, text)
            except ValueError as exc:
                raise self.error(path, f"`harness-args.{dialect}`: {exc}") from None
        return out

    def targets(self, table: dict) -> dict[str, str]:
        from cfglint.harnesses import DIALECTS
        from cfglint.core.versions import Version

        out = {}
        for dialect, version in self.table(table, "targets").items():
            if dialect not in DIALECTS:
                close = _close_matches(dialect, DIALECTS)
                hint = f"did you mean `{close[0]}`?" if close else f"expected one of: {', '.join(DIALECTS)}"
                raise self.error(("targets", dialect), f"`targets`: unknown harness `{dialect}` ({hint})")
            if not isinstance(version, str):
                raise self.error(("targets", dialect), f"`targets.{dialect}` must be a version string such as "
                                                       f"\"0.16.0\", not {_kind(version)}")
            try:
                Version.parse(version)
            except ValueError as exc:
                raise self.error(("targets", dialect), f"`targets.{dialect}`: {exc}") from None
            out[dialect] = version.strip()
        return out

    def registry_file(self, root: str, value: str, index: int) -> str:
        path = os.path.normpath(os.path.join(root, os.path.expanduser(value)))
        if not os.path.isfile(path):
            raise self.error(("registry", index), f"`registry`: file {value!r} not found "
                                                  f"(paths are relative to the directory of {self.shown})")
        return path


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
             dict: "a table"}
    return names.get(type(value), f"a {type(value).__name__}")


def launch_args(dialect: str, text: str) -> tuple[str, ...]:
    """The flags `text` gives the harness of `dialect`, split as a POSIX shell would; ValueError
    when they cannot be split or the harness's unit refuses them (`Harness.launch`)."""
    import shlex

    from cfglint.harnesses import harness_for

    try:
        args = tuple(shlex.split(text))
    except ValueError as exc:  # an unclosed quote
        raise ValueError(f"cannot split {text!r} into flags: {str(exc).lower()}") from None
    harness_for(dialect).launch(args)
    return args


def normalise_codes(values: Iterable[str]) -> list[str]:
    """Validate codes or prefixes (comma-separated allowed, `ALL` too) and upper-case them;
    ValueError names the unknown one."""
    from cfglint.rules import RULES
    from cfglint.settings.selection import Selection

    # `Selection.build` validates and normalises every selector it is given.
    return list(Selection.build(tuple(RULES), ignore=list(values)).ignore)


# --- layers: settings file + command line ----------------------------------------------------


class Overrides(Record):
    """What the command line says about settings (None / empty: not given)."""

    __slots__ = ("select", "extend_select", "ignore", "fail_on", "targets", "registry", "harness_args")

    def __init__(self, select: tuple[str, ...] | None = None, extend_select: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = (), fail_on: Severity | None = None, targets: Mapping[str, str] | None = None,
                 registry: tuple[str, ...] = (), harness_args: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.select, self.extend_select, self.ignore, self.fail_on = select, extend_select, ignore, fail_on
        self.targets = {} if targets is None else targets
        self.registry = registry
        self.harness_args = {} if harness_args is None else harness_args


class Resolved:
    """One settings file's values under the command line's: what its files get."""

    def __init__(self, settings: Settings, overrides: Overrides) -> None:
        self.settings = settings
        self.overrides = overrides
        self.targets = {**settings.targets, **overrides.targets}
        self.harness_args = {**settings.harness_args, **overrides.harness_args}  # the command line wins per dialect
        self.registry_files = tuple(dict.fromkeys(settings.registry + overrides.registry))
        # Severity.INFO is 0, so test for None rather than truth.
        self.fail_on = next((s for s in (overrides.fail_on, settings.fail_on) if s is not None), Severity.ERROR)
        self._enabled: dict[str, bool] = {}
        # What each of its files gets when no pattern can single one out: one object, not one a file.
        self._plain = None if settings.per_file_ignores or settings.exclude else FileSettings(self, (), False)

    def selected(self, code: str) -> bool:
        """The settings file, then the command line, as two layers (ruff): a layer with
        `select` starts afresh; otherwise its most specific matching `extend-select` or
        `ignore` selector decides (ties go to ignore), and a code neither matches keeps
        its state. All rules are on before the first layer."""
        known = self._enabled.get(code)
        if known is not None:
            return known
        from cfglint.settings.selection import Selection

        state = True
        for select, extend, ignore in (
            (self.settings.select, self.settings.extend_select, self.settings.ignore),
            (self.overrides.select, self.overrides.extend_select, self.overrides.ignore),
        ):
            if select is not None:
                state = Selection(select + extend, ignore).enabled(code)
            elif Selection(extend, ignore).enabled(code):
                state = True
            elif Selection(ignore).enabled(code):
                state = False
        self._enabled[code] = state
        return state

    def severity(self, code: str, default: Severity) -> Severity:
        """The override of the most specific matching selector in `severity`, else `default`."""
        best = max(((0 if s == "ALL" else len(s), sev) for s, sev in self.settings.severity.items()
                    if s == "ALL" or code.startswith(s)), default=None, key=lambda item: item[0])
        return best[1] if best else default

    def for_path(self, path: str) -> "FileSettings":
        if self._plain is not None:
            return self._plain
        parts = _relative_parts(path, self.settings.root) if self.settings.path else []
        ignored = tuple(code for glob, codes in self.settings.per_file_ignores if glob.matches(parts)
                        for code in codes)
        excluded = any(glob.matches(parts) for glob in self.settings.exclude)
        return FileSettings(self, ignored, excluded)

    def dialect_of(self, path: str) -> str | None:
        """The dialect the settings' `dialects` table gives the file at `path` (the first
        pattern that matches), else None."""
        if not self.settings.dialects:
            return None
        parts = _relative_parts(path, self.settings.root)
        return next((dialect for glob, dialect in self.settings.dialects if glob.matches(parts)), None)

    def as_dict(self) -> dict[str, Any]:
        """Every key with its value (defaults included; the selection keys as the settings file
        has them, `fail-on`, `targets`, `registry` and `harness-args` with the command line's
        overrides); `targets` covers every dialect, `harness-args` the dialects given flags."""
        from cfglint.harnesses import DIALECTS
        from cfglint.harnesses.names import NAMES

        s = self.settings
        return {
            "select": list(s.select if s.select is not None else ("ALL",)),
            "extend-select": list(s.extend_select),
            "ignore": list(s.ignore),
            "per-file-ignores": {glob.text: list(codes) for glob, codes in s.per_file_ignores},
            "severity": {code: sev.label for code, sev in s.severity.items()},
            "fail-on": self.fail_on.label,
            "targets": {d: self.targets.get(d) or NAMES[d].default_version for d in DIALECTS},
            "registry": [display_path(p) for p in self.registry_files],
            "exclude": [glob.text for glob in s.exclude],
            "dialects": {glob.text: dialect for glob, dialect in s.dialects},
            "harness-args": _joined_args(self.harness_args),
        }


def _joined_args(harness_args: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Each dialect's flags as one shell-quoted string (`shlex`, imported only when there are
    any: the cache key of every run is made from `as_dict`)."""
    if not harness_args:
        return {}
    import shlex

    return {dialect: shlex.join(args) for dialect, args in harness_args.items()}


class FileSettings(Record):
    """What applies to one file: its settings, plus the `per-file-ignores` and `exclude`
    patterns that match it."""

    __slots__ = ("resolved", "per_file_ignores", "excluded")

    def __init__(self, resolved: Resolved, per_file_ignores: tuple[str, ...], excluded: bool) -> None:
        self.resolved, self.per_file_ignores, self.excluded = resolved, per_file_ignores, excluded

    def __hash__(self) -> int:
        return hash(self._fields())

    def enabled(self, code: str) -> bool:
        if any(selector == "ALL" or code.startswith(selector) for selector in self.per_file_ignores):
            return False
        return self.resolved.selected(code)

    def severity(self, code: str, default: Severity) -> Severity:
        return self.resolved.severity(code, default)


class SettingsFinder:
    """Finds the settings for each path, caching per directory (many files share one)."""

    def __init__(self, overrides: Overrides, config: str | None = None) -> None:
        self.overrides = overrides
        self._config = Resolved(load_settings(config, explicit=True) or DEFAULTS, overrides) if config else None
        self._by_dir: dict[str, Resolved] = {}
        self._by_file: dict[str, FileSettings] = {}
        self._options: dict[tuple, "RunOptions"] = {}

    def for_directory(self, directory: str) -> Resolved:
        """The settings of the files in `directory`: `--config`, else the closest settings file."""
        if self._config is not None:
            return self._config
        directory = os.path.abspath(directory)
        visited = []
        current = directory
        while True:
            cached = self._by_dir.get(current)
            if cached is not None:
                break
            visited.append(current)
            settings = _settings_in(current)
            parent = os.path.dirname(current)
            if settings is not None or parent == current:  # found, or reached the root: defaults
                cached = Resolved(settings or DEFAULTS, self.overrides)
                break
            current = parent
        for seen in visited:
            self._by_dir[seen] = cached
        return cached

    def for_file(self, path: str) -> FileSettings:
        """The settings of the file at `path`, remembered by `path` as given (a finder serves one
        run, in one working directory): a run asks about each of its files about ten times, by
        the path it holds, and needs no second copy of it, nor of its absolute path."""
        found = self._by_file.get(path)
        if found is None:
            absolute = os.path.abspath(path)
            found = self._by_file[path] = self.for_directory(os.path.dirname(absolute)).for_path(absolute)
        return found

    def dialect_of(self, path: str) -> str | None:
        """The dialect the closest settings map the file at `path` to (`dialects`), else None.
        Broken settings map nothing here: they are reported, after the walk's notes, when the
        files found are checked."""
        path = os.path.abspath(path)
        try:
            return self.for_directory(os.path.dirname(path)).dialect_of(path)
        except SettingsError:
            return None

    def for_run(self) -> Resolved:
        """The settings whose `fail-on` decides the exit status: `--config`, else the current directory's."""
        return self.for_directory(os.getcwd())

    def run_options(self, resolved: Resolved, base: "RunOptions") -> "RunOptions":
        """`base` with the targets, registry overlays and launch flags of `resolved`; one instance
        per distinct set, so that files sharing them share one loaded registry."""
        key = (tuple(sorted(resolved.targets.items())), resolved.registry_files,
               tuple(sorted(resolved.harness_args.items())))
        options = self._options.get(key)
        if options is None:
            options = self._options[key] = base._replace(targets=dict(resolved.targets),
                                                         registry_files=resolved.registry_files,
                                                         harness_args=dict(resolved.harness_args))
        return options


def _settings_in(directory: str) -> Settings | None:
    for name in SETTINGS_FILES:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            settings = load_settings(path)
            if settings is not None:
                return settings
    return None


def render_settings(path: str, resolved: Resolved, file: FileSettings, fmt: str) -> str:
    """`cfglint config show`: the settings in effect for `path`, as TOML-like text or JSON."""
    values = resolved.as_dict()
    if fmt == "json":
        import json

        return json.dumps({"path": display_path(path), "settings_file": _settings_file(resolved),
                           "excluded": file.excluded, "per_file_ignores_applied": list(file.per_file_ignores),
                           "settings": values}, indent=2) + "\n"
    lines = [f"# cfglint settings for {display_path(path)}",
             f"# settings file: {resolved.settings.describe()}"]
    if file.excluded:
        lines.append("# excluded: `exclude` matches this path, cfglint skips it")
    if file.per_file_ignores:
        lines.append(f"# per-file-ignores applied here: {', '.join(file.per_file_ignores)}")
    lines += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def _settings_file(resolved: Resolved) -> str | None:
    return display_path(resolved.settings.path) if resolved.settings.path else None


def _toml_value(value: Any) -> str:
    import json

    if isinstance(value, dict):
        items = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + (f" {items} " if items else "") + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)


def _toml_key(key: str) -> str:
    import json

    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)
