"""Run a check: read each file, parse it as its harness does, apply the rules.

Per-file rules (SYN, SCH except SCH004) run on each file; set rules run on the
merge of the files one harness reads together (`product.md`, "Files and
layers").

cfglint's own settings can differ between files (targets and registry overlays
through `options_for`, which gives each file its `RunOptions`; selection,
severity and suppressions through `SettingsJudge`, before the per-file cap).
"""

from __future__ import annotations

import functools
import os

from cfglint.rules.context import FileContext, RunOptions, SetContext
from cfglint.engine.discover import Candidate, document_path, read_file, sniffers
from cfglint.core.document import Diagnostic, Document, Locations, ParseResult
from cfglint.core.finding import Finding
from cfglint.core.paths import pure_path
from cfglint.core.record import Record
from cfglint.harnesses import DIALECTS, harness_for, plain_env_variables
from cfglint.rules import RULES, rule_for
from cfglint.settings import SUPPRESSION_MARKER, UNUSED_SUPPRESSION
from cfglint.core.text import FILE_START, SourceText, UnreadableText, decode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Iterator
    from cfglint.core.secrets import Redactor
    from cfglint.settings.files import FileSettings

    # The options of one file: its targets and registry overlays come from its settings file.
    OptionsFor = Callable[[Document], RunOptions]
    # The settings of one file (selection, severities, per-file-ignores).
    SettingsFor = Callable[[Document], FileSettings]

# Findings one file may get: far above any real config, far below a generated one's (`_Collected`).
MAX_FINDINGS_PER_FILE = 1000


# `rules.rule_for`, remembered: `batch` checks a run in thousands of small groups.
_rule_class = functools.cache(rule_for)


@functools.lru_cache(maxsize=64)
def _rules(codes: tuple[str, ...]) -> tuple[list, list]:
    """The per-file and the set rules of `codes`, made once for every check that selects the same
    codes: rules keep no state, and a run of 10,000 configurations checked apart made 580,000."""
    from cfglint.rules.base import FileRule, SetRule

    classes = [_rule_class(code) for code in codes]
    return [cls() for cls in classes if issubclass(cls, FileRule)], [cls() for cls in classes if issubclass(cls, SetRule)]


class RunResult(Record):
    __slots__ = ("findings", "documents", "files_checked", "notes", "note_at", "document_at")

    def __init__(self, findings: list[Finding] | None = None, documents: list[Document] | None = None,
                 files_checked: int = 0, notes: list[str] | None = None, note_at: list[int] | None = None,
                 document_at: list[int] | None = None) -> None:
        self.findings = [] if findings is None else findings
        self.documents = [] if documents is None else documents
        self.files_checked = files_checked
        self.notes = [] if notes is None else notes  # one-line messages for stderr
        # The index, among the candidates in the order `run` read them, of the one each note is
        # about and of each document's (a launch layer: the file whose options gave it), so that
        # `batch` can put the groups of a run back in its order.
        self.note_at = [] if note_at is None else note_at
        self.document_at = [] if document_at is None else document_at

    def redactor(self, env: dict[str, str] | None = None, origins: dict[str, str] | None = None) -> "Redactor":
        """What no output of the run may contain: the credential values of its files and the
        environment values it used (`Redactor.for_run`)."""
        from cfglint.core.secrets import Redactor

        return Redactor.for_run(self.documents, env, origins, plain_env_variables())


def load_document(candidate: Candidate, options: RunOptions, data: bytes | None = None,
                  result: RunResult | None = None) -> Document | None:
    """Read and parse one candidate; None (with a note) when its dialect cannot be told."""
    if candidate.problem is not None:
        return _unreadable(candidate, candidate.problem)
    try:
        if data is None:
            data = read_file(candidate.path)
        text = decode(data)
    except UnreadableText as exc:
        return _unreadable(candidate, str(exc))
    except OSError as exc:
        return _unreadable(candidate, f"file cannot be read: {exc.strerror or exc}")
    source = SourceText(text)
    dialect = candidate.dialect
    if dialect is None:
        return _load_by_content(candidate, options, source, data, result)
    harness = harness_for(dialect)
    parse = harness.parse(source, options.env, document_path(candidate))
    foreign = None if candidate.forced or not parse.ok else harness.foreign_content(parse.data)
    if foreign is not None:
        if result is not None:
            result.notes.append(f"{candidate.display}: skipped, not a {harness.title} config: {foreign} "
                                f"(use --dialect {dialect} to lint it anyway)")
        return None
    return Document(document_path(candidate), candidate.display, source, parse, dialect,
                    companion_of=candidate.companion_of, named_by=candidate.named_by, context=candidate.context)


def _load_by_content(candidate: Candidate, options: RunOptions, source: SourceText, data: bytes,
                     result: RunResult | None) -> Document | None:
    """A file no harness recognises by name: each harness whose markers it has parses it and
    says whether it is one of its files (`Harness.dialect_by_content`)."""
    path = pure_path(document_path(candidate))
    for sniffer in sniffers(path, data[:1024 * 1024]):
        harness = harness_for(sniffer)
        parse = harness.parse(source, options.env, str(path))
        dialect = harness.dialect_by_content(path, parse.data) if parse.ok else None
        if dialect is not None:
            return Document(str(path), candidate.display, source, parse, dialect)
    if candidate.explicit and result is not None:
        result.notes.append(f"{candidate.display}: skipped, cannot tell which harness reads it (use --dialect)")
    return None


def _unreadable(candidate: Candidate, reason: str) -> Document:
    parse = ParseResult(None, Locations({}), [Diagnostic("SYN004", f"not a usable config: {reason}", 0)])
    return Document(document_path(candidate), candidate.display, SourceText(""), parse,
                    candidate.dialect or "unknown", companion_of=candidate.companion_of, named_by=candidate.named_by,
                    context=candidate.context)


def check_documents(documents: list[Document], options: RunOptions,
                    options_for: OptionsFor | None = None,
                    wanted: Callable[[str], bool] | None = None,
                    settings_for: SettingsFor | None = None) -> list[Finding]:
    """Per-file rules on each file, set rules on each configuration. A rule whose code no
    file's settings select (`wanted`) does not run at all: its work (e.g. REG001's search for
    close registry ids) is never done. A file gets at most `MAX_FINDINGS_PER_FILE` findings
    (`_Collected`): its rules stop once it has them."""
    file_rules, set_rules = _rules(tuple(code for code in sorted(RULES) if wanted is None or wanted(code)))
    collected = _Collected(SettingsJudge(documents, settings_for) if settings_for else None)
    skipped: set[int] = set()  # files the harness skips whole: not part of any configuration
    for doc in documents:
        doc_options = options_for(doc) if options_for else options
        version = doc_options.targets.get(doc.dialect)
        ctx = None
        if doc.parse.ok and doc.dialect in DIALECTS:
            harness = harness_for(doc.dialect)
            ctx = FileContext(doc, harness, version or harness.default_version, doc_options)
        if not doc.context:
            collected.add_all(_file_findings(doc, version, ctx, file_rules))
        if ctx is not None and isinstance(doc.data, dict) and ctx.harness.skips_invalid_files and ctx.rejected:
            skipped.add(id(doc))
    loaded = [doc for doc in documents if id(doc) not in skipped]
    context = {doc.display_path for doc in documents if doc.context}
    for set_ctx in configurations(loaded, options, options_for=options_for):
        for rule in set_rules:
            # findings land only on the files asked about, never on a layer read for the merge
            collected.add_all(f for f in rule.check(set_ctx) if f.path not in context)
    if collected.judge is not None and (wanted is None or wanted(UNUSED_SUPPRESSION)):
        # last: a suppression is unused only once every rule had its say (not on a file the
        # harness skips, whose set rules did not run, nor on one stopped at the cap)
        partial = collected.past_cap | {doc.display_path for doc in documents if id(doc) in skipped}
        collected.add_all(collected.judge.unused_suppressions(partial))
    return collected.findings()


def _file_findings(doc: Document, version: str | None, ctx: FileContext | None,
                   file_rules: list[Any]) -> Iterator[Finding]:
    """One file's findings, produced lazily (the parser's, then each per-file rule's in turn),
    so that stopping the iteration stops the rules."""
    yield from _parse_findings(doc, version)
    if ctx is None:
        return
    if not isinstance(doc.data, dict):
        yield _not_a_table(ctx)
        return
    for rule in file_rules:
        yield from rule.check(ctx)


class _Collected:
    """The findings of a run: each once (a file shared by several configurations, such as a
    parent directory's Kilo layer, reports once), at most `MAX_FINDINGS_PER_FILE` per file.

    Findings the user's settings drop (`SettingsJudge`) are not counted. A file past the cap
    (a generated file with 950,000 unknown keys) gets one more finding
    instead of the rest: the first one left out, under its own code and severity (so a
    dropped error still fails the run), its message saying that the file's other findings
    are not reported. They are not counted either: counting them would mean doing the work
    (close-match suggestions, positions) that the cap is there to avoid."""

    def __init__(self, judge: "SettingsJudge | None" = None) -> None:
        self.judge = judge  # a finding the user's settings drop does not count against the cap
        self._kept: dict[tuple, Finding] = {}
        self._per_file: dict[str, int] = {}
        self._past_cap: dict[str, Finding] = {}

    @property
    def past_cap(self) -> set[str]:
        """The files whose rules were stopped at the cap."""
        return set(self._past_cap)

    def add_all(self, findings: Iterable[Finding]) -> None:
        """Take findings until one is past its file's cap, then stop pulling from `findings`
        (a rule that reports on several files stops too: its work must stay bounded)."""
        for finding in findings:
            key = (finding.path, finding.span, finding.code, finding.message)
            if key in self._kept:
                continue
            if self.judge is not None:
                finding = self.judge(finding)
                if finding is None:
                    continue
            if self._per_file.get(finding.path, 0) >= MAX_FINDINGS_PER_FILE:
                self._past_cap.setdefault(finding.path, _past_cap(finding))
                return
            self._per_file[finding.path] = self._per_file.get(finding.path, 0) + 1
            self._kept[key] = finding

    def findings(self) -> list[Finding]:
        return [*self._kept.values(), *self._past_cap.values()]


def _past_cap(first_left_out: Finding) -> Finding:
    return first_left_out._replace(
        message=f"more than {MAX_FINDINGS_PER_FILE:,} findings in this file: the rest are not reported "
                f"and its remaining checks did not run; the first one left out: {first_left_out.message}",
        details={**first_left_out.details, "findings_limit": MAX_FINDINGS_PER_FILE})


def configurations(documents: list[Document], options: RunOptions, model: str | None = None, *,
                   options_for: OptionsFor | None = None) -> Iterator[SetContext]:
    """The configurations the files make up: for each directory a harness reads, its layers
    (user-level files, the directory's own files and, for Kilo, its ancestors' files) and the
    companions any of them names (`Document.named_by`), in the harness's precedence order
    (`layer_rank`); then, above every file whatever `layer_rank` says, the layer of the flags the
    harness is launched with (`--harness-args`, a document `from_launch`), when the
    configuration's options give some. A configuration uses the options of its
    highest-precedence file (the last layer that is not a companion)."""
    anchored: dict[tuple[str, str], list[Document]] = {}
    user_layers: dict[str, list[Document]] = {}
    companions: list[Document] = []
    launches: dict[tuple[str, str], Document] = {}  # (dialect, text) -> the launch layer
    for doc in documents:
        if not doc.parse.ok or doc.dialect not in DIALECTS or not isinstance(doc.data, dict):
            continue
        harness = harness_for(doc.dialect)
        if doc.from_launch:
            launches[(doc.dialect, doc.source.text)] = doc
        elif doc.companion_of is not None:
            companions.append(doc)
        elif harness.is_user_layer(doc):
            user_layers.setdefault(doc.dialect, []).append(doc)
        else:
            anchored.setdefault((doc.dialect, harness.layer_group(doc)), []).append(doc)
    for dialect in user_layers:
        if not any(d == dialect for d, _ in anchored):
            anchored[(dialect, "")] = []
    # A generator: each configuration's merge and budgets are dropped once its rules ran.
    for (dialect, anchor), docs in anchored.items():
        if docs and all(doc.context for doc in docs):
            continue  # only layers read to complete other configurations: nothing was asked about them
        harness = harness_for(dialect)
        layers = user_layers.get(dialect, []) + docs + _ancestor_layers(harness, dialect, anchor, anchored)
        files = {doc.path for doc in layers}
        layers += [doc for doc in companions if doc.dialect == dialect and not files.isdisjoint(doc.named_by)]
        layers.sort(key=harness.layer_rank)
        top = next(doc for doc in reversed(layers) if doc.companion_of is None)
        layer_options = options_for(top) if options_for else options
        version = layer_options.targets.get(dialect) or harness.default_version
        text = harness.launch(layer_options.harness_args.get(dialect, ())).layer
        launch = launches.get((dialect, text)) if text is not None else None
        yield SetContext(layers + ([launch] if launch else []), harness, version, layer_options, model=model)


def _ancestor_layers(harness, dialect: str, anchor: str, anchored: dict) -> list[Document]:
    """Files of ancestor directories inside the same worktree, for harnesses that merge them:
    a walk up from `anchor` to its worktree root, looking each directory up (linear in depth)."""
    if not harness.layers_from_ancestors or not anchor:
        return []
    from cfglint.core.paths import project_root

    root = project_root(anchor)
    found = []
    directory = anchor
    while directory != root:
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
        found.extend(anchored.get((dialect, directory), ()))
    return found


def _not_a_table(ctx: FileContext) -> Finding:
    from cfglint.rules.schema import InvalidValue

    kind = "an object" if ctx.harness.syntax in ("json", "jsonc") else "a mapping"
    return ctx.finding(InvalidValue, (), f"the top level must be {kind} ({ctx.harness.title} "
                                         f"{ctx.version_text} rejects the file)", at="value")


def _parse_findings(doc: Document, version: str | None) -> Iterable[Finding]:
    harness_version = version
    if doc.dialect in DIALECTS:
        harness_version = version or harness_for(doc.dialect).default_version
    for diag in doc.parse.diagnostics:
        span = doc.source.span(diag.start, diag.end) if doc.source.text else FILE_START
        rule = _rule_class(diag.code)
        yield Finding(
            path=doc.display_path, span=span, code=diag.code, name=rule.name, severity=rule.severity,
            message=diag.message, fix=diag.fix,
            dialect=doc.dialect if doc.dialect in DIALECTS else None,
            harness_version=harness_version if doc.dialect in DIALECTS else None,
            details=dict(diag.details),
        )


def run(candidates: Iterable[Candidate], options: RunOptions,
        stdin_reader: Callable[[], bytes] | None = None, *, check: bool = True,
        options_for: OptionsFor | None = None,
        wanted: Callable[[str], bool] | None = None, settings_for: SettingsFor | None = None) -> RunResult:
    """Load every candidate; with `check`, apply the rules whose codes are `wanted` (each file
    with `options_for(doc)`, default `options`) and keep what `settings_for` keeps
    (`SettingsJudge`). A candidate's `content`, when set, is used instead of reading it again.
    A companion is loaded only when a file naming it parsed; the launch layers
    (`launch_documents`) follow the files and are not counted as files checked."""
    result = RunResult()
    loaded: dict[str, Document] = {}  # the files that parsed, by path: the ones whose companions count
    # Companions after the files that name them: a companion none of them names (its files did
    # not parse) is not linted.
    for index, candidate in enumerate(sorted(candidates, key=lambda c: c.companion_of is not None)):
        if candidate.companion_of is not None:
            named_by = tuple(path for path in candidate.named_by
                             if path in loaded and loaded[path].dialect == candidate.dialect)
            if not named_by:
                continue
            candidate = candidate._replace(companion_of=named_by[0], named_by=named_by)
        data = stdin_reader() if candidate.path == "-" and stdin_reader else None
        if data is None:
            data = candidate.content
        noted = len(result.notes)
        doc = load_document(candidate, options, data, result)
        result.note_at += [index] * (len(result.notes) - noted)
        if doc is None:
            continue
        result.documents.append(doc)
        result.document_at.append(index)
        if doc.parse.ok and doc.companion_of is None:
            loaded[doc.path] = doc
    result.files_checked = sum(not doc.context for doc in result.documents)
    launches = launch_documents(result.documents, options, options_for)
    result.documents += launches
    at = {id(doc): index for doc, index in zip(result.documents, result.document_at)}
    result.document_at += [at[id(owner)] for owner in launches.values()]
    if check:
        def own(doc: Document) -> Document:
            """A launch layer is judged with the options and settings of the file whose options gave it."""
            return launches.get(doc, doc)

        result.findings = check_documents(
            result.documents, options, options_for and (lambda doc: options_for(own(doc))), wanted,
            settings_for and (lambda doc: settings_for(own(doc))))
        _mark_fixable(result.findings, result.documents)
    result.findings.sort(key=Finding.sort_key)
    return result


def _mark_fixable(findings: list[Finding], documents: list[Document]) -> None:
    """Say on each finding whether `--fix` can fix it (the `[*]` of the text output), while its
    document is still loaded: a cached or streamed result keeps the answer, not the document."""
    from cfglint.rules import rule_for

    candidates = [i for i, f in enumerate(findings) if rule_for(f.code).doc.fixable]
    if not candidates:
        return
    from cfglint.rules.fixes import edit_for, fixable_document

    by_path = {doc.display_path: doc for doc in documents if fixable_document(doc)}
    for i in candidates:
        doc = by_path.get(findings[i].path)
        edit = edit_for(doc, findings[i]) if doc is not None else None
        if edit is not None:
            findings[i] = findings[i]._replace(fix_applicability=edit.applicability)


def launch_documents(documents: list[Document], options: RunOptions,
                     options_for: OptionsFor | None = None) -> dict[Document, Document]:
    """The layer each dialect's launch flags make (`Harness.launch`, given by `--harness-args` or
    the `harness-args` setting of a file's options), as a document `from_launch` mapped to the
    first file whose options gave it: one per dialect that has files in the run and per distinct
    text (settings files in different directories may give different flags). Its path is
    `<harness-args DIALECT>`, its display path the harness's label (`codex -c`), so a finding in
    it reads `codex -c:1:7`."""
    made: dict[tuple[str, str], tuple[Document, Document]] = {}
    for doc in documents:
        if doc.dialect not in DIALECTS or doc.from_launch:
            continue
        doc_options = options_for(doc) if options_for else options
        args = doc_options.harness_args.get(doc.dialect, ())
        if not args:
            continue
        harness = harness_for(doc.dialect)
        launch = harness.launch(args)
        if launch.layer is None or (doc.dialect, launch.layer) in made:
            continue
        source = SourceText(launch.layer)
        layer = Document(f"<harness-args {doc.dialect}>", launch.label or f"--harness-args {doc.dialect}", source,
                         harness.parse(source, doc_options.env, None), doc.dialect, from_launch=True)
        made[(doc.dialect, launch.layer)] = (layer, doc)
    return dict(made.values())


class SettingsJudge:
    """What a user's settings do to a finding: each is judged by the settings and the comments
    of the file it points into (a set-level finding: the file that supplied the value).
    Deselected codes, `per-file-ignores` and inline suppressions drop it (None); `severity`
    overrides change it."""

    def __init__(self, documents: Iterable[Document], settings_for: SettingsFor) -> None:
        self._by_path = {doc.display_path: doc for doc in documents}
        self._settings_for = settings_for
        self._suppressions: dict[str, Any] = {}

    def __call__(self, finding: Finding) -> Finding | None:
        doc = self._by_path.get(finding.path)
        if doc is None:  # not a file of the run (no rule reports one today): nothing to judge it by
            return finding
        settings = self._settings_for(doc)
        if not settings.enabled(finding.code):
            return None
        if SUPPRESSION_MARKER in doc.source.text and self._suppressions_of(doc).suppresses(finding.code,
                                                                                           finding.span.line):
            return None
        severity = settings.severity(finding.code, finding.severity)
        return finding if severity is finding.severity else finding._replace(severity=severity)

    def _suppressions_of(self, doc: Document) -> Any:
        from cfglint.settings.suppressions import suppressions_for

        if doc.display_path not in self._suppressions:
            self._suppressions[doc.display_path] = suppressions_for(doc)
        return self._suppressions[doc.display_path]

    def unused_suppressions(self, partial: set[str]) -> Iterator[Finding]:
        """SUP001 for each suppression comment of a linted file that suppressed nothing (judged
        after every other finding). A file that did not parse, or is `partial` (some of its rules
        did not run), gets only its unknown codes reported."""
        for doc in self._by_path.values():
            if doc.context or doc.from_launch or SUPPRESSION_MARKER not in doc.source.text:
                continue  # (a file without the marker has no suppression comment)
            from cfglint.settings.suppressions import unused_suppression_findings

            settings = self._settings_for(doc)
            complete = doc.parse.ok and doc.display_path not in partial
            yield from unused_suppression_findings(doc, self._suppressions_of(doc), settings.enabled, complete)
