"""YAML parser for Hermes `config.yaml`: what `yaml.safe_load` sees, with positions and limits.

Hermes reads its config with `yaml.safe_load`, i.e. PyYAML's *pure-Python*
`SafeLoader`. This module uses that same scanner and parser, not libyaml's:
libyaml disagrees with it on real inputs (a tab inside a plain scalar, `?` or
`:` inside a flow-context plain scalar, ...; about 1.6% of randomly mutated
Hermes configs), and cfglint must accept exactly what Hermes accepts. Both give
marks in code points, which is what `Location` wants.

PyYAML's `Composer` is recursive and has no limits, so this module composes the
node graph itself from the parser's event stream (the parser keeps an explicit
state stack and never recurses). While composing it enforces, in time linear in
the events read and without expanding anything:

- nesting deeper than `MAX_DEPTH` collections, counted after alias expansion
  (memoised subtree heights), is SYN004;
- more than `MAX_ALIASES` aliases, or more than `MAX_EXPANDED_NODES` nodes after
  alias expansion (memoised subtree sizes; aliases share node objects), is SYN004;
- an alias to a node that contains it (which `safe_load` would turn into a
  self-containing list or dict) is SYN004;
- an explicit tag that `SafeConstructor` does not know (`!!python/object...`,
  `!custom`) is SYN001: `safe_load` would reject the file.

Text with more than `MAX_DEPTH` brackets first goes through libyaml's event parser,
because the pure-Python scanner takes ~0.3 s to reach the depth limit in `[[[[...`
(`_fast_depth_limit`): where libyaml nests that deep, the composer's depth rejection
on libyaml's events is confirmed by the pure-Python parser on the text up to it,
cheaply. libyaml decides nothing: anything unconfirmed takes the usual path.

Only then is the graph handed to a `SafeConstructor`, so `data` is built by
PyYAML's own safe code and equals `yaml.safe_load(text)` (merge keys, last
duplicate wins, timestamps, ...), except that an empty or `null` document gives `{}`.

Location paths hold the actual dict keys of `data`, but only string keys are
located: a YAML key such as `1`, `true` or `2024-01-01` becomes an int, bool or
date in `data`, and an int path element means a list index to `get_path` and
`format_path`. Entries under non-string keys are therefore left out; findings
there fall back to the nearest located ancestor. Locations are built lazily,
on the first lookup, from the retained node graph.
"""

from __future__ import annotations

import re

from cfglint.core.document import Diagnostic, Location, Locations, ParseResult, Path
from cfglint.core.record import Record
from cfglint.core.text import MAX_DEPTH, SourceText
from cfglint.parsing.pyyaml import import_pyyaml

yaml = import_pyyaml()  # first, so that PyYAML's patterns compile when first used
from yaml.constructor import SafeConstructor  # noqa: E402
from yaml.events import (  # noqa: E402
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode  # noqa: E402

TYPE_CHECKING = False

try:
    from yaml._yaml import CParser as _LibyamlParser
except ImportError:  # PyYAML built without libyaml
    _LibyamlParser = None

__all__ = ["parse_yaml", "MAX_ALIASES", "MAX_EXPANDED_NODES"]

MAX_ALIASES = 100
MAX_EXPANDED_NODES = 10_000

_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"
_CORE = "tag:yaml.org,2002:"
_STR_TAG = _CORE + "str"
_SEQ_TAG = _CORE + "seq"
_MAP_TAG = _CORE + "map"
_MERGE_TAG = _CORE + "merge"
# Explicit tags safe_load handles: its constructors', plus `!!merge` and
# `!!value`, which SafeConstructor treats specially on mapping keys.
_SAFE_TAGS = frozenset(tag for tag in SafeConstructor.yaml_constructors if tag is not None) | {
    _MERGE_TAG,
    _CORE + "value",
}
# Characters PyYAML treats as whitespace or line breaks at the end of a block scalar.
_TRAILING_BLANKS = " \t\r\n\x85\u2028\u2029"

if TYPE_CHECKING:
    from typing import Any, Union
    CollectionNode = Union[MappingNode, SequenceNode]
    OffsetSpan = tuple[int, int]


def parse_yaml(source: SourceText, reader: str = "the harness") -> ParseResult:
    """Parse a YAML config as `yaml.safe_load` sees it; never raises (failures become
    SYN001/SYN004). `reader` names the harness in messages about what safe_load refuses."""
    text = source.text
    too_deep = _fast_depth_limit(source)
    if too_deep is not None:
        return _failed([too_deep])
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        return _failed([_reader_error(exc, len(text))])
    try:
        graph = _Composer(loader, source).compose()
    except _Rejected as rejected:
        return _failed([rejected.diagnostic])
    except yaml.MarkedYAMLError as exc:
        return _failed([_syntax_error(exc, len(text))])
    finally:
        loader.dispose()
    if graph.unsupported_tags:
        return _failed([_unsupported_tag(node, graph, reader) for node in graph.unsupported_tags])

    constructor = SafeConstructor()
    if graph.root is None:
        data = None
    else:
        try:
            data = constructor.construct_document(graph.root)
        except yaml.MarkedYAMLError as exc:
            return _failed([_syntax_error(exc, len(text))])
        except RecursionError:  # flatten_mapping recurses along chains of merge keys
            return _failed([Diagnostic("SYN004", _TOO_DEEP, 0)])
        except Exception:  # safe_load raises these too (int('x'), 2024-02-30, ...)
            return _failed([_unloadable_scalar(graph)])
    if data is None:  # empty file, comments only, or an explicit `null`
        data = {}
    diagnostics = _duplicate_keys(graph, source)
    return ParseResult(
        data,
        Locations(build=lambda: _locate(graph, data)),
        diagnostics,
    )


class _Rejected(Exception):
    """Composition stopped: the diagnostic says why (a limit or a composer error)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _Graph(Record):
    """PyYAML's node graph for one document plus the positions the nodes lack.

    Aliased nodes are shared, so a node's own marks say where it is defined,
    not where each alias to it stands: occurrence spans are kept per mapping
    pair (by `id`, since SafeConstructor moves the same pair tuples around when
    it flattens merge keys) and per sequence item.
    """

    __slots__ = ("root", "root_span", "pair_spans", "item_spans", "own_pairs", "scalars", "spans", "unsupported_tags")

    def __init__(self, root: Node | None = None, root_span: OffsetSpan = (0, 0),
                 pair_spans: dict[int, tuple[OffsetSpan, OffsetSpan]] | None = None,
                 item_spans: dict[SequenceNode, list[OffsetSpan]] | None = None,
                 own_pairs: list[tuple[MappingNode, tuple[tuple[Node, Node], ...]]] | None = None,
                 scalars: list[ScalarNode] | None = None, spans: dict[Node, OffsetSpan] | None = None,
                 unsupported_tags: list[Node] | None = None) -> None:
        self.root = root
        self.root_span = root_span
        self.pair_spans = {} if pair_spans is None else pair_spans
        self.item_spans = {} if item_spans is None else item_spans
        # Each mapping's own pairs, as written: SafeConstructor rewrites `value` on merges.
        self.own_pairs = [] if own_pairs is None else own_pairs
        self.scalars = [] if scalars is None else scalars
        self.spans = {} if spans is None else spans
        self.unsupported_tags = [] if unsupported_tags is None else unsupported_tags


class _OpenCollection(Record):
    """A sequence or mapping whose end event has not come yet."""

    __slots__ = ("node", "expanded_before", "anchored", "child_height", "last_end", "key", "key_span")

    def __init__(self, node: CollectionNode, expanded_before: int, anchored: bool, child_height: int = 0,
                 last_end: int = 0, key: Node | None = None, key_span: OffsetSpan = (0, 0)) -> None:
        self.node = node
        self.expanded_before = expanded_before
        self.anchored = anchored
        self.child_height = child_height
        self.last_end = last_end
        self.key = key
        self.key_span = key_span


class _Composer:
    """Composes one document from PyYAML events, as `Composer.get_single_node` does, but
    iteratively and within the alias, size and depth limits."""

    def __init__(self, loader: yaml.SafeLoader | _LibyamlEvents, source: SourceText) -> None:
        self.loader = loader
        self.source = source
        self.text = source.text
        self.graph = _Graph()
        self.anchors: dict[str, Node] = {}
        # Memoised expanded size and collection height of anchored nodes that are
        # complete; an anchored node missing here is still open (a recursive alias).
        self.sizes: dict[Node, int] = {}
        self.heights: dict[Node, int] = {}
        self.aliases = 0
        self.expanded = 0

    def compose(self) -> _Graph:
        loader = self.loader
        loader.get_event()  # StreamStartEvent
        if not loader.check_event(StreamEndEvent):
            loader.get_event()  # DocumentStartEvent
            self.graph.root, self.graph.root_span = self._compose_root()
            loader.get_event()  # DocumentEndEvent
            if not loader.check_event(StreamEndEvent):
                event = loader.get_event()
                raise self._reject(
                    "SYN001",
                    "expected a single document in the stream, but found another document",
                    event.start_mark.index,
                )
        return self.graph

    def _compose_root(self) -> tuple[Node, OffsetSpan]:
        loader = self.loader
        graph = self.graph
        stack: list[_OpenCollection] = []
        while True:
            event = loader.get_event()
            start = event.start_mark.index
            if isinstance(event, AliasEvent):
                node, height = self._alias_target(event, len(stack))
                span = (start, event.end_mark.index)
            elif isinstance(event, ScalarEvent):
                node = self._scalar(event)
                height = 0
                span = graph.spans[node]
            elif isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                stack.append(self._open(event, len(stack)))
                continue
            else:  # SequenceEndEvent, MappingEndEvent
                node, height, span = self._close(stack.pop(), event)
            if not stack:
                return node, span
            parent = stack[-1]
            parent.child_height = max(parent.child_height, height)
            parent.last_end = span[1]
            if isinstance(parent.node, SequenceNode):
                parent.node.value.append(node)
                graph.item_spans[parent.node].append(span)
            elif parent.key is None:
                parent.key, parent.key_span = node, span
            else:
                pair = (parent.key, node)
                parent.node.value.append(pair)
                graph.pair_spans[id(pair)] = (parent.key_span, span)
                parent.key = None

    def _alias_target(self, event: AliasEvent, depth: int) -> tuple[Node, int]:
        start = event.start_mark.index
        target = self.anchors.get(event.anchor)
        if target is None:
            raise self._reject("SYN001", f"found undefined alias {event.anchor!r}", start)
        if target not in self.sizes:
            raise self._reject(
                "SYN004",
                f"recursive YAML alias *{event.anchor}: it refers to a node that contains it",
                start,
                event.end_mark.index,
            )
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise self._reject(
                "SYN004", f"YAML alias expansion exceeds the limit of {MAX_ALIASES} aliases", start
            )
        self._count(self.sizes[target], start)
        height = self.heights[target]
        if depth + height > MAX_DEPTH:
            raise self._reject("SYN004", _TOO_DEEP, start, event.end_mark.index)
        return target, height

    def _scalar(self, event: ScalarEvent) -> ScalarNode:
        start = event.start_mark.index
        self._check_new_anchor(event.anchor, start)
        self._count(1, start)
        tag = self._tag(event, ScalarNode, event.value)
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        self.graph.spans[node] = (start, _trim_end(self.text, start, event.end_mark.index))
        self.graph.scalars.append(node)
        self._note_unsupported_tag(event, node)
        if event.anchor is not None:
            self.anchors[event.anchor] = node
            self.sizes[node] = 1
            self.heights[node] = 0
        return node

    def _open(self, event: SequenceStartEvent | MappingStartEvent, depth: int) -> _OpenCollection:
        start = event.start_mark.index
        self._check_new_anchor(event.anchor, start)
        if depth + 1 > MAX_DEPTH:
            raise self._reject("SYN004", _TOO_DEEP, start, start + 1)
        self._count(1, start)
        node: CollectionNode
        if isinstance(event, SequenceStartEvent):
            tag = self._tag(event, SequenceNode, None)
            node = SequenceNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
            self.graph.item_spans[node] = []
        else:
            tag = self._tag(event, MappingNode, None)
            node = MappingNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
        self._note_unsupported_tag(event, node)
        if event.anchor is not None:
            self.anchors[event.anchor] = node
        return _OpenCollection(node, self.expanded - 1, event.anchor is not None, last_end=start)

    def _close(
        self, collection: _OpenCollection, event: SequenceEndEvent | MappingEndEvent
    ) -> tuple[CollectionNode, int, OffsetSpan]:
        node = collection.node
        node.end_mark = event.end_mark
        height = collection.child_height + 1
        if collection.anchored:
            self.sizes[node] = self.expanded - collection.expanded_before
            self.heights[node] = height
        if isinstance(node, MappingNode):
            self.graph.own_pairs.append((node, tuple(node.value)))
        start = node.start_mark.index
        # A block collection's end mark lies at the next token, past blank lines
        # and comments; its last entry is where it really ends.
        end = event.end_mark.index if node.flow_style else collection.last_end
        self.graph.spans[node] = (start, end)
        return node, height, (start, end)

    def _tag(self, event: Any, kind: type, value: str | None) -> str:
        """The node's tag as `Composer` resolves it."""
        if event.tag is None or event.tag == "!":
            return self.loader.resolve(kind, value, event.implicit)
        return event.tag

    def _note_unsupported_tag(self, event: Any, node: Node) -> None:
        """Remember a node whose explicit tag safe_load has no constructor for."""
        if event.tag is not None and event.tag != "!" and event.tag not in _SAFE_TAGS:
            self.graph.unsupported_tags.append(node)

    def _check_new_anchor(self, anchor: str | None, start: int) -> None:
        if anchor is not None and anchor in self.anchors:
            first_line = self.source.position(self.anchors[anchor].start_mark.index)[0]
            raise self._reject(
                "SYN001",
                f"found duplicate anchor {anchor!r}; first occurrence on line {first_line}",
                start,
            )

    def _count(self, nodes: int, start: int) -> None:
        self.expanded += nodes
        if self.expanded > MAX_EXPANDED_NODES:
            what = "YAML alias expansion exceeds" if self.aliases else "YAML document exceeds"
            raise self._reject(
                "SYN004", f"{what} the limit of {MAX_EXPANDED_NODES:,} nodes", start
            )

    def _reject(self, code: str, message: str, start: int, end: int | None = None) -> _Rejected:
        return _Rejected(Diagnostic(code, message, min(start, len(self.text)), end))


class _LibyamlEvents:
    """The event interface `_Composer` reads (`check_event`, `get_event`, `resolve`), over
    libyaml's event parser instead of PyYAML's pure-Python one."""

    def __init__(self, text: str) -> None:
        assert _LibyamlParser is not None
        self.parser = _LibyamlParser(text)
        self.check_event = self.parser.check_event
        self.get_event = self.parser.get_event
        self.resolve = _RESOLVER.resolve

    def dispose(self) -> None:
        self.parser.dispose()


_RESOLVER = yaml.resolver.Resolver()  # SafeLoader's; only node tags depend on it
# A YAML scanner (PyYAML's and libyaml's alike) drops a possible simple key once it is
# more than this many characters past the key's start without having found its `:`.
_SIMPLE_KEY_REACH = 1024
_FLOW_OPENERS = "[{"
# What may follow a depth rejection for `_depth_confirmed` to confirm it.
_INERT_LOOKAHEAD = re.compile(r"[\[{ \n]*")
_BLANKS = re.compile(r"[ \n]*")


def _fast_depth_limit(source: SourceText) -> Diagnostic | None:
    """SYN004 where the composer on PyYAML's pure-Python events would reject the document
    for its depth, found fast; None when that cannot be shown fast (the caller then parses
    the whole text as usual, and the pure-Python parser decides).

    Deep flow nesting (`[[[[...`) keeps one possible simple key per level pending in the
    pure-Python scanner, which walks them all for every token it reads ahead, and it reads
    up to `_SIMPLE_KEY_REACH` characters ahead of the key it must settle before emitting
    an event: merely reaching the depth limit in `[[[[...` takes it about 0.3 s (over a
    second on a loaded machine). libyaml's parser (C) gets there in milliseconds, so:

    1. if libyaml's events nest deeper than MAX_DEPTH (`_libyaml_nests_deep`),
    2. `_Composer` runs on them and, if its first rejection is the depth limit (which
       may come from an alias), gives the candidate (`_libyaml_depth_candidate`);
    3. `_depth_confirmed` then has the pure-Python parser itself make that rejection,
       cheaply, on the text up to the candidate, and shows the rest cannot change it.

    So libyaml never decides anything: whatever it says, or fails to say, at worst the
    document takes the usual path.
    """
    text = source.text
    if _LibyamlParser is None or text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    if yaml.reader.Reader.NON_PRINTABLE.search(text):  # the reader rejects the whole text
        return None
    if not _libyaml_nests_deep(text):
        return None
    candidate = _libyaml_depth_candidate(source)
    if candidate is None:
        return None
    return _depth_confirmed(source, candidate)


def _libyaml_nests_deep(text: str) -> bool:
    """Whether libyaml opens more than MAX_DEPTH nested collections, or stops at an opening
    bracket (its own nesting limit) first: a cheap test that spares the composer's run
    on libyaml's events to documents that need it (it costs about as much as the
    pure-Python parse of a large document would save)."""
    assert _LibyamlParser is not None
    try:
        parser = _LibyamlParser(text)
    except UnicodeEncodeError:  # lone surrogates (not printable: never gets here)
        return False
    depth = 0
    # A document that gets past this many events exceeds the node limit first.
    events_left = 2 * MAX_EXPANDED_NODES + 8
    try:
        while events_left and parser.check_event():
            events_left -= 1
            event = parser.get_event()
            if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return True
            elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        return _refused_opener(exc, text) is not None
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    return False


def _libyaml_depth_candidate(source: SourceText) -> Diagnostic | None:
    """The depth rejection `_Composer` makes first on libyaml's events, if it makes one.

    libyaml may stop before, at its own nesting limit (1,000 levels in the libyaml
    PyYAML 6.0.4 bundles, settable process-wide; none before libyaml 0.2.6): its scanner
    reads ahead over every `[` that could still be a simple key, so it may refuse the
    1,001st level before emitting a single event. If it stops at an opening bracket, the
    text before that bracket is composed instead, for a candidate.
    """
    text = source.text
    verdict = _libyaml_depth_verdict(source, text)
    if isinstance(verdict, int):
        verdict = _libyaml_depth_verdict(source, text[:verdict])
    return verdict if isinstance(verdict, Diagnostic) else None


def _libyaml_depth_verdict(source: SourceText, text: str) -> Diagnostic | int | None:
    """Compose `text` (`source.text` or a prefix of it) from libyaml's events: the depth
    diagnostic if the composer's first rejection is the depth limit, the offset of the
    opening bracket libyaml stopped at if it stopped at one, else None."""
    try:
        events = _LibyamlEvents(text)
    except UnicodeEncodeError:  # lone surrogates (not printable: never gets here)
        return None
    try:
        _Composer(events, source).compose()
    except _Rejected as rejected:
        if rejected.diagnostic.message == _TOO_DEEP:
            return rejected.diagnostic
    except yaml.MarkedYAMLError as exc:
        return _refused_opener(exc, text)
    except yaml.YAMLError:
        pass
    finally:
        events.dispose()
    return None


def _refused_opener(exc: yaml.MarkedYAMLError, text: str) -> int | None:
    """The offset of the opening bracket libyaml stopped at, if it stopped at one (as at
    its nesting limit). The message is not consulted: it differs between libyaml versions,
    and a candidate found this way is confirmed (or not) without libyaml anyway."""
    marks = [mark.index for mark in (exc.problem_mark, exc.context_mark) if mark is not None]
    stop = min(marks, default=0)
    return stop if 0 < stop < len(text) and text[stop] in _FLOW_OPENERS else None


def _depth_confirmed(source: SourceText, candidate: Diagnostic) -> Diagnostic | None:
    """The depth rejection the pure-Python parser makes on the whole text, if it is
    `candidate` and that can be shown by parsing the text only up to the end of the
    candidate's collection start (or alias).

    The pure-Python parser emits the event at `candidate.start` once it has settled every
    possible simple key that starts there or before: it reads on until it finds the key's
    `:`, or a line break, or the key's start lies more than `_SIMPLE_KEY_REACH` characters
    behind (and it reads the whole token found there). If everything it may read past the
    cut, through that token, is opening brackets, spaces and line breaks, that reading
    cannot end or fail such a key, cannot fail to scan, and produces only events after the
    candidate's: it only lets the keys go stale. The parse of the text up to the cut plus a
    line break, which lets the keys go stale too (and fails if one of them was a key
    required in block context, as it would fail on the whole text), then makes exactly the
    same events, and so the same rejection, as the parse of the whole text.
    """
    text = source.text
    cut = candidate.end if candidate.end is not None else candidate.start + 1
    # The first token more than _SIMPLE_KEY_REACH past the candidate makes them all stale.
    stale_at = _BLANKS.match(text, candidate.start + _SIMPLE_KEY_REACH + 1).end()
    inert_until = _INERT_LOOKAHEAD.match(text, cut).end()
    if inert_until <= stale_at and inert_until < len(text):
        return None
    loader = yaml.SafeLoader(text[:cut] + "\n")
    try:
        _Composer(loader, source).compose()
    except _Rejected as rejected:
        if rejected.diagnostic == candidate:
            return rejected.diagnostic
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return None


def _failed(diagnostics: list[Diagnostic]) -> ParseResult:
    return ParseResult(None, Locations({}), diagnostics)


def _reader_error(exc: yaml.reader.ReaderError, text_length: int) -> Diagnostic:
    message = f"unacceptable character #x{exc.character:04x}: {exc.reason}"
    return Diagnostic("SYN001", message, min(exc.position, text_length))


def _syntax_error(exc: yaml.MarkedYAMLError, text_length: int) -> Diagnostic:
    """SYN001 at the mark where PyYAML stopped, with its problem text on one line."""
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "invalid YAML"
    offset = min(mark.index, text_length) if mark is not None else 0
    return Diagnostic("SYN001", " ".join(message.split()), offset)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _unsupported_tag(node: Node, graph: _Graph, reader: str) -> Diagnostic:
    start, end = graph.spans[node]
    return Diagnostic(
        "SYN001",
        f"unsupported tag {_short_tag(node.tag)}: yaml.safe_load, which {reader} uses, rejects it",
        start,
        end,
    )


def _unloadable_scalar(graph: _Graph) -> Diagnostic:
    """SYN001 at the first scalar safe_load fails on with a non-YAML error.

    The exception text often quotes the value (an API key, say), so the message
    names only the tag.
    """
    for node in graph.scalars:
        try:
            SafeConstructor().construct_object(node)
        except Exception:
            start, end = graph.spans[node]
            return Diagnostic(
                "SYN001",
                f"invalid {_short_tag(node.tag)} value: yaml.safe_load cannot load it",
                start,
                end,
            )
    return Diagnostic("SYN001", "yaml.safe_load cannot load this document", graph.root_span[0])


def _key_value(constructor: SafeConstructor, key_node: Node) -> Any:
    """The key as it is in `data`; plain string keys skip the constructor."""
    if key_node.tag == _STR_TAG and isinstance(key_node, ScalarNode):
        return key_node.value
    return constructor.construct_object(key_node)


def _duplicate_keys(graph: _Graph, source: SourceText) -> list[Diagnostic]:
    """SYN003 for each key written again in the same mapping (merged keys excepted).

    Keys are compared as constructed, as the dict in `data` compares them: `1`
    and `0x1` are the same key, and so are `true` and `1`.
    """
    constructor = SafeConstructor()
    diagnostics = []
    for node, pairs in graph.own_pairs:
        if node.tag != _MAP_TAG:
            continue
        first_seen: dict[Any, int] = {}
        for pair in pairs:
            key_node = pair[0]
            if key_node.tag == _MERGE_TAG:
                continue
            key = _key_value(constructor, key_node)
            key_start, key_end = graph.pair_spans[id(pair)][0]
            if key not in first_seen:
                first_seen[key] = key_start
                continue
            first_line = source.position(first_seen[key])[0]
            shown = '"' + key.replace('"', '\\"') + '"' if isinstance(key, str) else repr(key)
            diagnostics.append(
                Diagnostic(
                    "SYN003",
                    f"duplicate key {shown} (first on line {first_line}); the last value wins",
                    key_start,
                    key_end,
                    details={"first_line": first_line},
                )
            )
    diagnostics.sort(key=lambda diagnostic: diagnostic.start)
    return diagnostics


def _locate(graph: _Graph, data: Any) -> dict[Path, Location]:
    """Every path of `data` reachable through string keys and list indices -> offsets.

    Walks the constructed graph, where merge keys are already flattened into
    each mapping; for a key written twice the last pair wins, as in `data`.
    """
    locations: dict[Path, Location] = {(): Location(None, None, *graph.root_span)}
    constructor = SafeConstructor()
    pending: list[tuple[Node, Any, Path]] = []
    if graph.root is not None:
        pending.append((graph.root, data, ()))
    while pending:
        node, value, path = pending.pop()
        if isinstance(node, MappingNode) and node.tag == _MAP_TAG and isinstance(value, dict):
            value_nodes: dict[str, Node] = {}
            for pair in node.value:
                key = _key_value(constructor, pair[0])
                if not isinstance(key, str):
                    continue
                key_span, value_span = graph.pair_spans[id(pair)]
                locations[path + (key,)] = Location(*key_span, *value_span)
                value_nodes[key] = pair[1]
            for key, value_node in value_nodes.items():
                pending.append((value_node, value[key], path + (key,)))
        elif isinstance(node, SequenceNode) and node.tag == _SEQ_TAG and isinstance(value, list):
            for index, (item, span) in enumerate(zip(node.value, graph.item_spans[node])):
                locations[path + (index,)] = Location(None, None, *span)
                pending.append((item, value[index], path + (index,)))
    return locations


def _trim_end(text: str, start: int, end: int) -> int:
    """`end` moved back over the trailing line breaks a block scalar's mark includes."""
    end = min(end, len(text))
    while end > start and text[end - 1] in _TRAILING_BLANKS:
        end -= 1
    return end
