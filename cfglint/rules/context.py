"""What a rule sees: one parsed file (`FileContext`) or one merged configuration (`SetContext`)."""

from __future__ import annotations

import functools

from cfglint.core.document import Document, Path
from cfglint.core.finding import Finding, Severity
from cfglint.core.record import Record
from cfglint.harnesses.base import Harness, Launch, Merged, Note
from cfglint.core.text import FILE_START, Span
from cfglint.core.versions import Version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Mapping, Sequence
    from cfglint.harnesses.budget import Budget, Provenance
    from cfglint.registry import Registry
    from cfglint.rules.base import Rule
    from cfglint.validation.validate import SchemaIssue


class RunOptions(Record):
    """Inputs of a run that are not files: environment, targets, registry overlays, the flags
    each harness is launched with (`--harness-args`, split)."""

    __slots__ = ("env", "targets", "registry_files", "use_env", "env_origins", "harness_args", "registry_cache",
                 "_registry")

    def __init__(self, env: Mapping[str, str] | None = None, targets: Mapping[str, str] | None = None,
                 registry_files: Sequence[str] = (), use_env: bool = False,
                 env_origins: Mapping[str, str] | None = None,
                 harness_args: Mapping[str, tuple[str, ...]] | None = None, registry_cache: bool = True) -> None:
        self.env = {} if env is None else env
        self.targets = {} if targets is None else targets
        self.registry_files, self.use_env = registry_files, use_env
        self.env_origins = {} if env_origins is None else env_origins  # variable -> where it came from
        self.harness_args = {} if harness_args is None else harness_args  # dialect -> launch flags
        # read the user's registry cache (`registry update`); off with `--no-cache`
        self.registry_cache = registry_cache

    @property
    def registry(self) -> "Registry":
        """Loaded once per options (a `_replace` copy loads its own)."""
        try:
            return self._registry
        except AttributeError:
            from cfglint.registry import load_registry

            self._registry: Registry = load_registry(self.registry_files, use_cache=self.registry_cache)
            return self._registry


class _Context:
    harness: Harness
    version_text: str
    options: RunOptions

    @property
    def version(self) -> Version:
        return Version.parse(self.version_text)

    @functools.cached_property
    def launch(self) -> Launch:
        """What the flags this harness is launched with change (validated when the run began)."""
        return self.harness.launch(self.options.harness_args.get(self.harness.dialect, ()))

    def _finding(
        self,
        rule: type["Rule"],
        doc: Document,
        path: Path,
        message: str,
        *,
        at: str = "value",
        fix: str | None = None,
        severity: Severity | None = None,
        details: Mapping[str, Any] | None = None,
        span: Span | None = None,
    ) -> Finding:
        if span is None:
            span = doc.key_span(path) if at == "key" else doc.value_span(path)
        return Finding(
            path=doc.display_path,
            span=span,
            code=rule.code,
            name=rule.name,
            severity=severity if severity is not None else rule.severity,
            message=message,
            fix=fix,
            dialect=self.harness.dialect,
            harness_version=self.version_text,
            details=dict(details or {}),
        )


class FileContext(_Context):
    def __init__(self, doc: Document, harness: Harness, version_text: str, options: RunOptions) -> None:
        self.doc = doc
        self.harness = harness
        self.version_text = version_text
        self.options = options

    @functools.cached_property
    def schema_issues(self) -> list["SchemaIssue"]:
        from cfglint.validation.validate import validate

        return validate(self.doc.data, self.harness.schema_name(self.doc.path), self.doc.parse.unresolved)

    @property
    def rejected(self) -> bool:
        """The harness's own validator fails this file (a schema error, or an unknown key where
        unknown keys are errors, as with a launch flag such as Codex `--strict-config`)."""
        strict = self.strict_unknown_keys
        return any(i.kind != "unknown-key" or strict or i.severity is Severity.ERROR for i in self.schema_issues)

    @property
    def strict_unknown_keys(self) -> bool:
        """Every unknown key of this file is an error: a launch flag says so (Codex `--strict-config`)
        and the file follows the dialect's own schema (the flag covers the config, not a file of
        another kind such as Codex's model catalog, whose unknown fields are dropped silently)."""
        return self.launch.strict_unknown_keys and self.harness.schema_name(self.doc.path) == self.harness.dialect

    @functools.cached_property
    def mixups(self) -> list[Note]:
        return list(self.harness.dialect_mixups(self.doc.data, self.version))

    @functools.cached_property
    def deprecations(self) -> list[Note]:
        return list(self.harness.deprecated_keys(self.doc.data, self.version, self.options.env, self.doc.path))

    @property
    def claimed_paths(self) -> set[Path]:
        """Keys a more specific rule (SCH003, SCH005) reports, so SCH002 stays quiet on them."""
        return {n.path for n in self.mixups} | {n.path for n in self.deprecations}

    def finding(self, rule: type["Rule"], path: Path, message: str, **kw: Any) -> Finding:
        return self._finding(rule, self.doc, path, message, **kw)

    def note_finding(self, rule: type["Rule"], note: Note) -> Finding:
        return self._finding(
            rule, note.doc or self.doc, note.path, note.message,
            at=note.at, fix=note.fix, severity=note.severity, details=note.details,
        )


class SetContext(_Context):
    """The layers of one configuration (files the harness merges), and their merge."""

    def __init__(self, layers: list[Document], harness: Harness, version_text: str, options: RunOptions,
                 model: str | None = None, budgets: list["Budget"] | None = None) -> None:
        self.layers = layers
        self.harness = harness
        self.version_text = version_text
        self.options = options
        self.model = model  # only this model's budget (explain --model)
        self._budgets = budgets  # already resolved (explain's view of one record)

    @functools.cached_property
    def merged(self) -> Merged:
        return self.harness.merge(self.layers)

    @property
    def registry(self) -> "Registry":
        return self.options.registry

    def for_budget(self, budget: "Budget") -> "SetContext":
        """The same configuration seen through one model's record (explain runs the rules on it)."""
        return SetContext(self.layers, self.harness, self.version_text, self.options, model=budget.model,
                          budgets=[budget])

    @functools.cached_property
    def budgets(self) -> list["Budget"]:
        """The resolver's record for every model of this configuration (read by `BudgetRule`s)."""
        from cfglint.harnesses.budget import Environment, ResolveInput

        if self._budgets is not None:
            return self._budgets
        inp = ResolveInput(self.merged, self.version_text,
                           Environment.external(self.options.env, self.options.env_origins), self.registry,
                           model=self.model)
        return self.harness.resolve(inp)

    def source_finding(self, rule: type["Rule"], source: "Provenance | None", message: str, *,
                       fallback: "Provenance | None" = None, **kw: Any) -> Finding:
        """A finding at the setting behind `source` (else `fallback`, else the start of the
        configuration's last layer, where variables given on the command line point)."""
        for candidate in (source, fallback):
            if candidate is not None and candidate.doc is not None and candidate.path is not None:
                return self._finding(rule, candidate.doc, candidate.path, message, **kw)
        doc = (source.doc if source is not None and source.doc is not None else None) or self.layers[-1]
        return self._finding(rule, doc, (), message, span=FILE_START, **kw)

    def note_finding(self, rule: type["Rule"], note: Note) -> Finding:
        doc = note.doc or self.merged.origin(note.path)
        return self._finding(
            rule, doc, note.path, note.message,
            at=note.at, fix=note.fix, severity=note.severity, details=note.details,
        )
