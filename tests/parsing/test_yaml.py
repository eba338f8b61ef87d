"""Tests for the YAML parser: safe_load's data and errors, positions, limits, safety."""

from __future__ import annotations

import datetime
import importlib
import math
import os
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cfglint.parsing.yaml as yaml_parser
from cfglint.core.document import Path
from cfglint.parsing.yaml import MAX_ALIASES, MAX_EXPANDED_NODES, parse_yaml
from cfglint.core.text import MAX_DEPTH, Span, SourceText

HERMES = """\
# ~/.hermes/config.yaml
model:
  default: anthropic/claude-sonnet-4.5
  provider: openrouter
  base_url: https://openrouter.ai/api/v1
  context_length: 200000
  max_tokens: 16384
compression:
  enabled: true
  threshold: 0.85   # fire late
  target_ratio: 0.2
  protect_last_n: 20
auxiliary:
  compression:
    provider: openrouter
    model: google/gemini-2.5-flash
    timeout: 120
toolsets: [web, terminal]
"""

# Everything safe_load resolves: anchors, merge keys, core-schema tags, block scalars.
RICH = """\
defaults: &defaults
  provider: auto
  timeout: 60
  extra: {a: 1, b: [1, 2.5, .inf, ~, yes, 0x1F, 0o17, 1_000, 190:20:30]}
auxiliary:
  compression:
    <<: *defaults
    timeout: 120
  vision:
    <<: [*defaults, {model: x}]
dates: [2024-01-02, 2024-01-02 10:20:30Z]
tagged: [!!str 12, !!float 1, !!binary aGVsbG8=, ! 5, !<tag:yaml.org,2002:str> 7]
set: !!set {a, b}
omap: !!omap [x: 1, y: 2]
literal: |
  line one
  line two

folded: >-
  a
  b
"""


def parse(text: str):
    source = SourceText(text)
    return source, parse_yaml(source)


def key_span(source: SourceText, result, path: Path) -> Span:
    loc = result.locations.get(path)
    assert loc is not None and loc.key_start is not None, path
    return source.span(loc.key_start, loc.key_end)


def value_span(source: SourceText, result, path: Path) -> Span:
    loc = result.locations.get(path)
    assert loc is not None, path
    return source.span(loc.value_start, loc.value_end)


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics]


def diagnostic_at(source: SourceText, result) -> tuple[str, int, int]:
    (diagnostic,) = result.diagnostics
    line, column = source.position(diagnostic.start)
    return diagnostic.code, line, column


# --- data and positions ---------------------------------------------------------------


def test_hermes_config_data_matches_safe_load():
    _, result = parse(HERMES)
    assert result.ok and result.diagnostics == []
    assert result.data == yaml.safe_load(HERMES)
    assert result.data["compression"]["threshold"] == 0.85


def test_hermes_config_positions():
    source, result = parse(HERMES)
    assert key_span(source, result, ("model",)) == Span(2, 1, 2, 6)
    assert value_span(source, result, ("model",)) == Span(3, 3, 7, 20)
    assert key_span(source, result, ("model", "default")) == Span(3, 3, 3, 10)
    assert value_span(source, result, ("model", "default")) == Span(3, 12, 3, 39)
    assert key_span(source, result, ("model", "context_length")) == Span(6, 3, 6, 17)
    assert value_span(source, result, ("model", "context_length")) == Span(6, 19, 6, 25)
    assert value_span(source, result, ("model", "max_tokens")) == Span(7, 15, 7, 20)
    assert key_span(source, result, ("compression", "threshold")) == Span(10, 3, 10, 12)
    # The trailing comment is not part of the value.
    assert value_span(source, result, ("compression", "threshold")) == Span(10, 14, 10, 18)
    assert value_span(source, result, ("compression",)) == Span(9, 3, 12, 21)
    assert key_span(source, result, ("auxiliary", "compression", "model")) == Span(16, 5, 16, 10)
    assert value_span(source, result, ("auxiliary", "compression", "model")) == Span(16, 12, 16, 35)
    assert value_span(source, result, ("toolsets",)) == Span(18, 11, 18, 26)
    assert value_span(source, result, ("toolsets", 1)) == Span(18, 17, 18, 25)
    assert result.locations.get(("toolsets", 1)).key_start is None
    assert value_span(source, result, ()) == Span(2, 1, 18, 26)
    assert result.locations.get(()).key_start is None


def test_rich_document_matches_safe_load():
    _, result = parse(RICH)
    assert result.ok and result.diagnostics == []
    assert result.data == yaml.safe_load(RICH)
    assert result.data["auxiliary"]["compression"] == {
        "provider": "auto",
        "timeout": 120,
        "extra": {"a": 1, "b": [1, 2.5, math.inf, None, True, 31, "0o17", 1000, 685230]},
    }
    assert result.data["dates"][0] == datetime.date(2024, 1, 2)
    assert result.data["tagged"] == ["12", 1.0, b"hello", 5, "7"]


def test_merged_keys_are_located_where_they_are_written():
    source, result = parse(RICH)
    # `timeout` is overridden in place; `provider` comes from the anchored mapping.
    assert key_span(source, result, ("auxiliary", "compression", "timeout")) == Span(8, 5, 8, 12)
    assert key_span(source, result, ("auxiliary", "compression", "provider")) == Span(2, 3, 2, 11)
    assert value_span(source, result, ("auxiliary", "vision", "model")) == Span(10, 29, 10, 30)
    # An alias's own position is where it is used.
    assert value_span(source, result, ("auxiliary", "compression")) == Span(7, 5, 8, 17)


def test_alias_value_is_located_at_the_alias():
    source, result = parse("a: &ctx 200000\nb:\n  context_length: *ctx\n")
    assert result.data == {"a": 200000, "b": {"context_length": 200000}}
    assert value_span(source, result, ("a",)) == Span(1, 4, 1, 15)
    assert value_span(source, result, ("b", "context_length")) == Span(3, 19, 3, 23)


def test_block_scalar_value_ends_at_its_last_character():
    source, result = parse(RICH)
    assert result.data["literal"] == "line one\nline two\n"
    assert value_span(source, result, ("literal",)) == Span(15, 10, 17, 11)
    assert value_span(source, result, ("folded",)) == Span(19, 9, 21, 4)


def test_non_ascii_columns_count_code_points():
    text = 'model:\n  default: "模型-𝄞"\n  provider: é\n  base_url: x\n'
    source, result = parse(text)
    assert result.data == {"model": {"default": "模型-𝄞", "provider": "é", "base_url": "x"}}
    assert value_span(source, result, ("model", "default")) == Span(2, 12, 2, 18)
    assert value_span(source, result, ("model", "provider")) == Span(3, 13, 3, 14)
    assert key_span(source, result, ("model", "base_url")) == Span(4, 3, 4, 11)


def test_crlf_line_endings():
    text = HERMES.replace("\n", "\r\n")
    source, result = parse(text)
    assert result.data == yaml.safe_load(HERMES)
    assert value_span(source, result, ("compression", "threshold")) == Span(10, 14, 10, 18)
    assert value_span(source, result, ("model",)) == Span(3, 3, 7, 20)
    block = "a: |\r\n  x\r\n\r\nb: 1\r\n"
    source, result = parse(block)
    assert result.data == {"a": "x\n", "b": 1}
    assert value_span(source, result, ("a",)) == Span(1, 4, 2, 4)


def test_non_string_keys_are_in_data_but_not_located():
    source, result = parse("1: one\ntrue: yes\nname: {2: two}\n")
    assert result.data == {1: "one", True: True, "name": {2: "two"}}
    assert sorted(map(repr, result.locations.paths())) == ["('name',)", "()"]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n", "---\n", "---\n...\n", "~\n"])
def test_empty_document_is_an_empty_mapping(text):
    _, result = parse(text)
    assert result.ok and result.data == {} and result.diagnostics == []
    assert result.locations.get(()) is not None


def test_empty_file_root_location_is_zero_width():
    _, result = parse("")
    loc = result.locations.get(())
    assert (loc.key_start, loc.key_end, loc.value_start, loc.value_end) == (None, None, 0, 0)


# --- syntax errors ----------------------------------------------------------------------


def test_syntax_error_position_and_message():
    source, result = parse("model:\n  default: gpt: 5\n")
    assert not result.ok and result.data is None
    assert diagnostic_at(source, result) == ("SYN001", 2, 15)
    assert result.diagnostics[0].message == "mapping values are not allowed here"


def test_bad_indentation_stops_where_pyyaml_stops():
    source, result = parse("model:\n  default: x\n provider: y\n")
    assert diagnostic_at(source, result) == ("SYN001", 3, 2)
    message = result.diagnostics[0].message
    assert message == "expected <block end>, but found '<block mapping start>'"


def test_unterminated_quote():
    source, result = parse('compression:\n  threshold: "0.5\n')
    assert diagnostic_at(source, result) == ("SYN001", 3, 1)
    assert result.diagnostics[0].message == "found unexpected end of stream"


def test_tab_in_plain_scalar_is_rejected_as_safe_load_rejects_it():
    # libyaml (CSafeLoader) accepts this; Hermes's yaml.safe_load does not.
    text = "model:\n  provider: open\trouter\n"
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(text)
    source, result = parse(text)
    assert diagnostic_at(source, result) == ("SYN001", 2, 17)


def test_multiple_documents_are_rejected_at_the_second():
    source, result = parse("model: a\n---\nmodel: b\n")
    assert diagnostic_at(source, result) == ("SYN001", 2, 1)
    assert "expected a single document" in result.diagnostics[0].message


def test_undefined_alias():
    source, result = parse("a: 1\nb: *nope\n")
    assert diagnostic_at(source, result) == ("SYN001", 2, 4)
    assert result.diagnostics[0].message == "found undefined alias 'nope'"


def test_duplicate_anchor():
    source, result = parse("a: &x 1\nb: &x 2\n")
    assert diagnostic_at(source, result) == ("SYN001", 2, 4)
    assert result.diagnostics[0].message == "found duplicate anchor 'x'; first occurrence on line 1"


def test_unacceptable_character():
    source, result = parse("a: b\x07c\n")
    assert diagnostic_at(source, result) == ("SYN001", 1, 5)
    assert result.diagnostics[0].message.startswith("unacceptable character #x0007")


def test_unhashable_key_fails_like_safe_load():
    source, result = parse("a:\n  {[1]: 2}: x\n")
    assert result.data is None and codes(result) == ["SYN001"]
    assert result.diagnostics[0].message == "found unhashable key"


@pytest.mark.parametrize(
    ("text", "line", "column", "tag"),
    [
        ("model:\n  context_length: !!int sk-secret\n", 2, 19, "!!int"),
        ("when: 2024-02-30\n", 1, 7, "!!timestamp"),
        ("flag: !!bool maybe\n", 1, 7, "!!bool"),
    ],
)
def test_value_safe_load_cannot_construct(text, line, column, tag):
    with pytest.raises(Exception):
        yaml.safe_load(text)
    source, result = parse(text)
    assert diagnostic_at(source, result) == ("SYN001", line, column)
    message = result.diagnostics[0].message
    assert message == f"invalid {tag} value: yaml.safe_load cannot load it"


# --- unsupported tags: never constructed, never executed ---------------------------------


def test_python_tag_is_rejected_and_nothing_runs(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "system", lambda command: calls.append(command))
    text = 'model:\n  default: !!python/object/apply:os.system ["touch /tmp/pwned"]\n'
    source, result = parse(text)
    assert calls == []
    assert result.data is None
    assert diagnostic_at(source, result) == ("SYN001", 2, 12)
    diagnostic = result.diagnostics[0]
    assert diagnostic.message.startswith("unsupported tag !!python/object/apply:os.system")
    assert source.span(diagnostic.start, diagnostic.end) == Span(2, 12, 2, 64)


def test_every_unsupported_tag_is_reported():
    source, result = parse("a: !custom 1\nb: !!python/name:os.system {}\nc: !!str ok\n")
    assert [source.position(d.start) for d in result.diagnostics] == [(1, 4), (2, 4)]
    assert [d.message.split(":")[0] for d in result.diagnostics] == [
        "unsupported tag !custom",
        "unsupported tag !!python/name",
    ]


def test_syntax_error_wins_over_unsupported_tag():
    source, result = parse("a: !custom 1\nb: [\n")
    assert codes(result) == ["SYN001"]
    assert "unsupported" not in result.diagnostics[0].message


# --- duplicate keys ----------------------------------------------------------------------


def test_duplicate_key_warns_at_second_and_last_wins():
    text = "model:\n  default: a\n  max_tokens: 1\n  default: b\n"
    source, result = parse(text)
    assert result.ok
    assert result.data == {"model": {"default": "b", "max_tokens": 1}}
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "SYN003"
    assert source.span(diagnostic.start, diagnostic.end) == Span(4, 3, 4, 10)
    assert diagnostic.details == {"first_line": 2}
    assert key_span(source, result, ("model", "default")) == Span(4, 3, 4, 10)
    assert value_span(source, result, ("model", "default")) == Span(4, 12, 4, 13)


def test_duplicate_keys_compare_as_constructed_values():
    source, result = parse("1: a\n0x1: b\nx: {k: 1, 'k': 2}\n")
    assert result.data == {1: "b", "x": {"k": 2}}
    assert [(d.code, source.position(d.start), d.details) for d in result.diagnostics] == [
        ("SYN003", (2, 1), {"first_line": 1}),
        ("SYN003", (3, 11), {"first_line": 3}),
    ]


def test_merge_override_is_not_a_duplicate():
    _, result = parse(RICH)
    assert result.diagnostics == []


# --- limits --------------------------------------------------------------------------------


@pytest.fixture
def work(monkeypatch) -> dict[str, int]:
    """Counts of the pure-Python parser's work: tokens its scanner fetches, events its
    parser emits, objects SafeConstructor builds (each with its own counter)."""
    counts = {"tokens": 0, "events": 0, "constructed": 0}

    def counting(cls: type, method: str, counter: str) -> None:
        real = getattr(cls, method)

        def counted(self, *args, **kwargs):
            counts[counter] += 1
            return real(self, *args, **kwargs)

        monkeypatch.setattr(cls, method, counted)

    counting(yaml.scanner.Scanner, "fetch_more_tokens", "tokens")
    counting(yaml.parser.Parser, "get_event", "events")
    counting(yaml.constructor.BaseConstructor, "construct_object", "constructed")
    return counts


def test_billion_laughs_is_refused_without_expanding(work):
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    written = sum(1 for _ in yaml.parse(text))  # the document's own events, 9 x 13 or so
    work.update(events=0, constructed=0)
    source, result = parse(text)
    assert diagnostic_at(source, result)[0] == "SYN004"
    assert result.diagnostics[0].message == "YAML alias expansion exceeds the limit of 10,000 nodes"
    # Refused while reading the events as written (9**9 nodes once expanded), before
    # anything is built from them.
    assert work["events"] <= written
    assert work["constructed"] == 0


def aliases(count: int) -> str:
    return "a: &a 1\nb: [" + ", ".join(["*a"] * count) + "]\n"


def test_alias_limit():
    _, result = parse(aliases(MAX_ALIASES))
    assert result.ok and result.data["b"] == [1] * MAX_ALIASES
    source, result = parse(aliases(MAX_ALIASES + 1))
    assert diagnostic_at(source, result) == ("SYN004", 2, 5 + 4 * MAX_ALIASES)
    assert result.diagnostics[0].message == "YAML alias expansion exceeds the limit of 100 aliases"


def test_node_limit_counts_every_node():
    def items(count: int) -> str:  # root mapping + key + sequence + items
        return "k: [" + ",".join(["1"] * count) + "]\n"

    _, result = parse(items(MAX_EXPANDED_NODES - 3))
    assert result.ok
    _, result = parse(items(MAX_EXPANDED_NODES - 2))
    assert codes(result) == ["SYN004"]
    assert result.diagnostics[0].message == "YAML document exceeds the limit of 10,000 nodes"


@pytest.mark.parametrize("text", ["&a [*a]\n", "a: &x\n  b: *x\n", "a: &x {b: [c, *x]}\n"])
def test_recursive_alias(text):
    _, result = parse(text)
    assert codes(result) == ["SYN004"] and result.data is None
    assert "recursive YAML alias" in result.diagnostics[0].message


needs_libyaml = pytest.mark.skipif(
    yaml_parser._LibyamlParser is None, reason="PyYAML built without libyaml"
)
TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"
# PyYAML's scanner drops a possible simple key 1,024 characters past its start: to settle
# the one the first `[` of `[[[[...` opens, it reads about that many tokens ahead (0.3 s
# or more: each of them walks all the keys pending, one per level).
SIMPLE_KEY_REACH = 1024


@needs_libyaml
@pytest.mark.parametrize("text, too_deep_at", [
    ("[" * 100_000, MAX_DEPTH),
    ("[" * 100_000 + "]" * 100_000, MAX_DEPTH),
    ("{" * 100_000, MAX_DEPTH),
    ("[ " * 100_000, 2 * MAX_DEPTH),
    ("a: " + "[" * 100_000, 3 + MAX_DEPTH - 1),  # the root mapping is the first level
    ("k:\n  k:\n    k: " + "[" * 100_000, 15 + MAX_DEPTH - 3),
])
def test_deep_flow_nesting_is_refused_fast(work, text, too_deep_at):
    """libyaml finds the 257th level; the pure-Python parser confirms it on the text up
    to there: its scanner fetches one token per bracket (plus the stream's start and
    end), where reaching the limit on the whole text takes it over a thousand."""
    source, result = parse(text)
    (diagnostic,) = result.diagnostics
    assert (diagnostic.code, diagnostic.message) == ("SYN004", TOO_DEEP)
    assert (diagnostic.start, diagnostic.end) == (too_deep_at, too_deep_at + 1)
    assert work["tokens"] <= MAX_DEPTH + 8
    assert result.data is None


@needs_libyaml
@pytest.mark.parametrize("limit", [100, MAX_DEPTH, MAX_DEPTH + 1, 300, 1_000, 200_000])
def test_deep_flow_nesting_whatever_libyaml_nesting_limit(work, limit):
    """libyaml's own nesting limit (process-wide, from libyaml 0.2.6) stops it before it
    emits a single event of `[[[[...`; the verdict stays exact, and fast when the limit
    lets libyaml reach MAX_DEPTH + 1 levels."""
    libyaml = importlib.import_module("yaml._yaml")
    default = getattr(libyaml, "_get_max_nest_level", lambda: -1)()  # PyYAML >= 6.0.4
    if default == -1:
        pytest.skip("this libyaml has no nesting limit")
    libyaml._set_max_nest_level(limit)
    try:
        source, result = parse("[" * 100_000)
    finally:
        libyaml._set_max_nest_level(default)
    assert diagnostic_at(source, result) == ("SYN004", 1, MAX_DEPTH + 1)
    if limit > MAX_DEPTH:
        assert work["tokens"] <= MAX_DEPTH + 8
    else:  # the pure-Python parser on the whole text
        assert work["tokens"] <= MAX_DEPTH + SIMPLE_KEY_REACH + 8


def test_deep_flow_nesting_without_libyaml_stays_bounded(monkeypatch, work):
    monkeypatch.setattr(yaml_parser, "_LibyamlParser", None)
    source, result = parse("[" * 100_000)
    assert diagnostic_at(source, result) == ("SYN004", 1, MAX_DEPTH + 1)
    # It reads ahead a bounded number of tokens (the depth plus SIMPLE_KEY_REACH), not
    # the 100,000 brackets.
    assert MAX_DEPTH < work["tokens"] <= MAX_DEPTH + SIMPLE_KEY_REACH + 8


def diagnostics(text: str) -> list[tuple]:
    return [(d.code, d.message, d.start, d.end) for d in parse(text)[1].diagnostics]


def libyaml_and_pure(monkeypatch, text: str) -> tuple[list, list]:
    """The diagnostics with libyaml's fast path, then with the pure-Python parser alone.

    With a libyaml that has a nesting limit, the fast path runs again without (a limit
    beyond reach): both must give the same diagnostics.
    """
    fast = diagnostics(text)
    libyaml = importlib.import_module("yaml._yaml")
    default = getattr(libyaml, "_get_max_nest_level", lambda: -1)()
    if default != -1:
        libyaml._set_max_nest_level(10 * len(text))
        try:
            assert diagnostics(text) == fast, "with and without libyaml's nesting limit"
        finally:
            libyaml._set_max_nest_level(default)
    with monkeypatch.context() as patch:
        patch.setattr(yaml_parser, "_LibyamlParser", None)
        pure = diagnostics(text)
    return fast, pure


@needs_libyaml
@pytest.mark.parametrize("text", [
    pytest.param("[" * 1_100 + "@", id="scan-error-in-the-lookahead"),
    pytest.param("[" * 300 + "\t" + "[" * 1_100, id="tab-in-the-lookahead"),  # libyaml accepts it
    pytest.param("a: [\t" + "[" * 1_100, id="tab-before"),
    pytest.param("[" * 1_100 + ": x", id="colon-in-the-lookahead"),
    pytest.param("a: 1\n" + "[" * 1_100, id="required-key"),  # `[[[...` where a key must be
    pytest.param("x: *nowhere\ny: " + "[" * 1_100, id="undefined-alias-before"),
    pytest.param(
        "a: &a " + "[" * 200 + "]" * 200 + "\nb: " + "[" * 60 + "*a" + "]" * 60
        + "\nc: " + "[" * 1_100,
        id="too-deep-by-alias-before",
    ),
    pytest.param("[&a" + " [&a" * 1_100, id="duplicate-anchor"),
    pytest.param("{a: " * 1_100, id="flow-mappings"),
    pytest.param("[\n" * 1_100, id="one-per-line"),
])
def test_fast_path_says_what_the_pure_python_parser_says(monkeypatch, text):
    """Whatever libyaml says, the verdict is the pure-Python parser's: libyaml only finds
    where to look, and nothing it says (or fails to say) is taken unconfirmed."""
    fast, pure = libyaml_and_pure(monkeypatch, text)
    assert fast == pure


def test_too_deep_within_libyaml_nesting_limit_is_confirmed(monkeypatch):
    text = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    fast, pure = libyaml_and_pure(monkeypatch, text)
    assert fast == pure == [("SYN004", TOO_DEEP, MAX_DEPTH, MAX_DEPTH + 1)]


def test_depth_limit_is_exact():
    _, result = parse("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert result.ok
    _, result = parse("{a: " * MAX_DEPTH + "1" + "}" * MAX_DEPTH)
    assert result.ok
    _, result = parse("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert codes(result) == ["SYN004"]
    assert result.diagnostics[0].message == f"nesting deeper than {MAX_DEPTH} levels"


def test_brackets_in_strings_and_comments_do_not_count():
    text = "a: '" + "[" * 1000 + "'\n# " + "{" * 1000 + "\nb: |\n  " + "[" * 1000 + "\n"
    _, result = parse(text)
    assert result.ok and result.data["a"] == "[" * 1000


def test_deep_block_nesting():
    text = "".join(" " * level + f"k{level}:\n" for level in range(300))
    source, result = parse(text)
    # The 257th mapping starts at the key on line 257.
    assert diagnostic_at(source, result) == ("SYN004", MAX_DEPTH + 1, MAX_DEPTH + 1)


def test_depth_after_alias_expansion():
    inner = "[" * 200 + "]" * 200
    _, result = parse(f"a: &a {inner}\nb: " + "[" * 60 + "*a" + "]" * 60 + "\n")
    assert codes(result) == ["SYN004"]
    _, result = parse(f"a: &a {inner}\nb: " + "[" * 50 + "*a" + "]" * 50 + "\n")
    assert result.ok


# --- properties ----------------------------------------------------------------------------


def leaf_paths(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaf_paths(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaf_paths(value, path + (index,))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
)
nested = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=12), children, max_size=4),
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.text(max_size=12), nested, max_size=5),
    st.sampled_from([False, True, None]),  # block, flow, flow only for leaf collections
)
def test_safe_dump_round_trips_with_every_path_located(data, flow_style):
    text = yaml.safe_dump(data, default_flow_style=flow_style, allow_unicode=True)
    source, result = parse(text)
    assert result.ok and result.diagnostics == []
    # Not `data` itself: PyYAML does not round-trip every string (a lone "\x85"
    # key comes back as " "); what Hermes sees is what safe_load returns.
    expected = yaml.safe_load(text)
    assert result.data == expected
    for path, value in leaf_paths(expected):
        loc = result.locations.get(path)
        assert loc is not None, path
        if path and isinstance(path[-1], str):
            assert yaml.safe_load(source.text[loc.key_start : loc.key_end]) == path[-1]
        if not isinstance(value, (dict, list)):
            assert yaml.safe_load(source.text[loc.value_start : loc.value_end]) == value


YAML_PIECES = list(":-[]{},#&*!|>'\"%@`? \n\t~<=.0é\r") + [
    "\u2028", "\x85", "\ufeff", "---", "...", "<<: *b", "*b", "&z ", "!!int ", "!foo ", "\n  ",
]
HERMES_WITH_ANCHORS = HERMES + (
    "anchors:\n  base: &b {x: 1}\n  use:\n    <<: *b\n    y: 2024-01-02\n"
)


@st.composite
def mutated_hermes(draw) -> str:
    text = HERMES_WITH_ANCHORS
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(YAML_PIECES))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + len(piece) :]
        else:
            text = text[:at] + piece + text[at + len(piece) :]
    return text


def equal_allowing_nan(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(equal_allowing_nan(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(equal_allowing_nan, a, b))
    return a == b


def assert_agrees_with_safe_load(text: str) -> None:
    """parse_yaml accepts exactly what safe_load accepts (limits aside), with its data."""
    source, result = parse(text)
    try:
        expected = yaml.safe_load(text)
    except Exception:
        assert not result.ok and result.data is None
        assert {d.code for d in result.diagnostics} <= {"SYN001", "SYN004"}
        return
    if any(d.code == "SYN004" for d in result.diagnostics):  # recursive alias: safe_load accepts
        assert result.data is None
        return
    assert result.ok
    assert equal_allowing_nan(result.data, {} if expected is None else expected)
    for path in result.locations.paths():
        loc = result.locations.get(path)
        assert 0 <= loc.value_start <= loc.value_end <= len(source.text)


@settings(max_examples=200, deadline=None)
@given(mutated_hermes())
def test_mutated_config_agrees_with_safe_load(text):
    assert_agrees_with_safe_load(text)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.lists(st.sampled_from(YAML_PIECES + ["a", "k", "1"])).map("".join),
    )
)
def test_arbitrary_text_never_raises_and_agrees_with_safe_load(text):
    assert_agrees_with_safe_load(text)
