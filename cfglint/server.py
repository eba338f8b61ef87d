"""`cfglint server`: a language server (LSP over standard input and output).

It publishes `check`'s findings for every open document as the user types (the unsaved
text is checked as if it were the file, `check - --stdin-filename FILE`: the same layers,
settings and findings as `cfglint check FILE`), offers each safe or unsafe fix of `--fix`
as a quick fix, and on hover over a model or a setting a budget reads, shows `explain`'s
numbers for the models it concerns.

It reads what `check` reads: the project's cfglint settings, never the process environment
(so the editor shows what CI will say). The other layers of a configuration are read from
disk; saving a file re-checks every open document.

pygls is imported only by this module, so no other command pays for it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from cfglint import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable
    from cfglint.core.document import Document, Path
    from cfglint.core.finding import Finding
    from cfglint.harnesses.budget import Budget


_SEVERITIES = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
               "info": types.DiagnosticSeverity.Information}
# codes an editor shows greyed out (an unused suppression) or struck through (a deprecated key)
_TAGS = {"SUP001": [types.DiagnosticTag.Unnecessary], "SCH003": [types.DiagnosticTag.Deprecated]}


@dataclass
class Options:
    """What the client may set in `initializationOptions`, as `check`'s options of the same names."""

    targets: tuple[str, ...] = ()  # `HARNESS@VERSION`
    config: str | None = None  # one settings file for every document

    @classmethod
    def from_client(cls, value: Any) -> "Options":
        if not isinstance(value, dict):
            return cls()
        targets = value.get("targets", ())
        config = value.get("config")
        return cls(tuple(t for t in targets if isinstance(t, str)) if isinstance(targets, list) else (),
                   config if isinstance(config, str) else None)


class CfglintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("cfglint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.options = Options()
        # the last check of each open document, for code actions
        self.checked: dict[str, tuple[list[Finding], Document | None]] = {}


def build_server() -> CfglintServer:
    server = CfglintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: CfglintServer, params: types.InitializeParams) -> None:
        ls.options = Options.from_client(params.initialization_options)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CfglintServer, params: types.DidOpenTextDocumentParams) -> None:
        _publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CfglintServer, params: types.DidChangeTextDocumentParams) -> None:
        _publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CfglintServer, params: types.DidSaveTextDocumentParams) -> None:
        for uri in list(ls.workspace.text_documents):  # the saved file may be a layer of another one
            _publish(ls, uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CfglintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.checked.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(params.text_document.uri, []))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: CfglintServer, params: types.HoverParams) -> types.Hover | None:
        return _hover(ls, params.text_document.uri, params.position)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: CfglintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return _code_actions(ls, params.text_document.uri, params.range)

    return server


def main() -> None:
    """Serve one client over standard input and output until it exits."""
    build_server().start_io()


# --- checking a buffer -----------------------------------------------------------------------


class _Buffer:
    """An open document: its file path and unsaved text, and the conversion between cfglint's
    1-based code-point positions and the client's (UTF-16 code units unless negotiated)."""

    def __init__(self, ls: CfglintServer, uri: str) -> None:
        self.uri = uri
        self.path = to_fs_path(uri) if uri.startswith("file:") else None
        self.text = ls.workspace.get_text_document(uri).source
        self.encoding = str(ls.workspace.position_encoding or types.PositionEncodingKind.Utf16)
        from cfglint.core.text import SourceText

        self.source = SourceText(self.text)

    def stdin(self) -> io.BytesIO:
        return io.BytesIO(self.text.encode("utf-8"))

    def _units(self, text: str) -> int:
        if self.encoding == types.PositionEncodingKind.Utf8:
            return len(text.encode("utf-8"))
        if self.encoding == types.PositionEncodingKind.Utf32:
            return len(text)
        return len(text.encode("utf-16-le")) // 2

    def position(self, line: int, column: int) -> types.Position:
        """A 1-based code-point line:column as the client counts."""
        prefix = self.source.line_text(line)[:max(column - 1, 0)]
        return types.Position(max(line - 1, 0), self._units(prefix))

    def range(self, start: int, end: int) -> types.Range:
        """Code-point offsets as a client range."""
        return types.Range(self.position(*self.source.position(start)), self.position(*self.source.position(end)))

    def offset(self, position: types.Position) -> int:
        """The code-point offset of a client position (clamped to its line)."""
        starts = self.source._line_starts()
        line = min(position.line, len(starts) - 1)
        text, units, column = self.source.line_text(line + 1), 0, 0
        while column < len(text) and units + self._units(text[column]) <= position.character:
            units += self._units(text[column])
            column += 1
        return starts[line] + column


def _check(ls: CfglintServer, buffer: _Buffer) -> tuple[list[Finding], Document | None]:
    """`check` of the buffer as its file: its findings (not those of the other layers) and its
    document. A usage problem (a broken settings file) is shown as a message, no findings."""
    from cfglint.core.finding import one_line
    from cfglint.engine import session

    request = session.CheckRequest(paths=["-"], stdin_filename=buffer.path, stdin=buffer.stdin,
                                   targets=ls.options.targets, config_file=ls.options.config,
                                   show_source=True)  # keeps the documents, for fixes; never cached
    try:
        outcome = session.check(request)
    except session.SessionError as exc:
        ls.window_show_message(types.ShowMessageParams(types.MessageType.Warning, f"cfglint: {exc}"))
        return [], None
    own = one_line(buffer.path)
    return [f for f in outcome.findings if f.path == own], outcome.sources.get(buffer.path)


def _publish(ls: CfglintServer, uri: str) -> None:
    buffer = _Buffer(ls, uri)
    if buffer.path is None:  # an unsaved new file has no name to tell its harness by
        return
    findings, document = _check(ls, buffer)
    ls.checked[uri] = (findings, document)
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri, [_diagnostic(buffer, f) for f in findings]))


def _diagnostic(buffer: _Buffer, finding: Finding) -> types.Diagnostic:
    from cfglint.rules.docs import help_uri

    span = finding.span
    message = finding.message + (f"\nFix: {finding.fix}" if finding.fix else "")
    return types.Diagnostic(
        range=types.Range(buffer.position(span.line, span.column), buffer.position(span.end_line, span.end_column)),
        message=message, severity=_SEVERITIES[finding.severity.label], code=finding.code,
        code_description=types.CodeDescription(help_uri(finding.code)), source="cfglint",
        tags=_TAGS.get(finding.code))


def _code_actions(ls: CfglintServer, uri: str, wanted: types.Range) -> list[types.CodeAction]:
    """The fixes `check --fix` (and `--unsafe-fixes`) would make, for the findings in `wanted`."""
    from cfglint.rules.fixes import SAFE, edit_for

    findings, document = ls.checked.get(uri, ([], None))
    if document is None:
        return []
    buffer = _Buffer(ls, uri)
    if buffer.text != document.source.text:  # changed since the last check: its offsets are stale
        return []
    actions = []
    for finding in findings:
        diagnostic = _diagnostic(buffer, finding)
        if not _overlaps(diagnostic.range, wanted):
            continue
        edit = edit_for(document, finding)
        if edit is None:
            continue
        actions.append(types.CodeAction(
            title=f"cfglint {finding.code}: {finding.fix or 'fix'}" + ("" if edit.applicability == SAFE else " (unsafe)"),
            kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
            is_preferred=edit.applicability == SAFE,
            edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(buffer.range(edit.start, edit.end), edit.new)]})))
    return actions


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return p.line, p.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


# --- hover -------------------------------------------------------------------------------------


def _hover(ls: CfglintServer, uri: str, position: types.Position) -> types.Hover | None:
    """`explain`'s numbers for the models whose budget reads the setting under the cursor."""
    from cfglint.engine import session
    from cfglint.report.explain import render_markdown

    buffer = _Buffer(ls, uri)
    if buffer.path is None:
        return None
    request = session.ExplainRequest(paths=["-"], stdin_filename=buffer.path, stdin=buffer.stdin,
                                     targets=ls.options.targets, config_file=ls.options.config)
    try:
        outcome = session.explain(request)
    except session.SessionError:
        return None
    document = next((d for d in outcome.documents if d.display_path == buffer.path and not d.context), None)
    if document is None or not document.parse.ok:
        return None
    found = _setting_at(document, buffer.offset(position))
    if found is None:
        return None
    path, start, end = found
    concerned = [item for item in outcome.explained if _reads(item.budget, document, path)]
    if not concerned:
        return None
    text = render_markdown(concerned, env_note="process environment not read (as `check`)")
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text), buffer.range(start, end))


def _setting_at(document: Document, offset: int) -> tuple[Path, int, int] | None:
    """The deepest key path whose key or value holds `offset`, with that key's (else value's) offsets."""
    locations = document.parse.locations
    best: tuple[Path, int, int] | None = None
    for path in locations.paths():
        loc = locations.get(path)
        if not path or loc is None:
            continue
        on_key = loc.key_start is not None and loc.key_end is not None and loc.key_start <= offset <= loc.key_end
        if (on_key or loc.value_start <= offset <= loc.value_end) and (best is None or len(path) > len(best[0])):
            start = loc.key_start if on_key else loc.value_start
            end = loc.key_end if on_key else loc.value_end
            best = (path, start, end)
    return best


def _reads(budget: Budget, document: Document, hovered: Path) -> bool:
    """Whether the budget reads a setting of `document` at, above, below or beside `hovered`:
    the model's own entry, a limit inside it, a table holding the settings it reads, or another
    key of such a table (a trigger ratio the reserve rule overrode sits beside the reserve)."""
    return any(path[:len(hovered)] == hovered or hovered[:len(path)] == path
               or len(path) > 1 and path[:-1] == hovered[:-1]
               for path in _settings_read(budget, document))


def _settings_read(budget: Budget, document: Document) -> Iterable[Path]:
    from cfglint.harnesses.budget import Provenance, Quantity

    sources = [budget.model_source] + [use.env.source() for use in budget.env if use.env is not None]
    for f in budget.FIELDS:
        value = getattr(budget, f.name)
        if isinstance(value, Quantity):
            sources.append(value.source)
    for source in sources:
        if isinstance(source, Provenance) and source.doc is document and source.path:
            yield source.path
