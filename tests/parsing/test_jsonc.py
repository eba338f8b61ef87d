"""Tests for the JSON/JSONC parser: data, positions, first errors, SYN002-SYN004, limits.

The expected JSONC error kinds and offsets were checked against jsonc-parser 3.3.1
(`parse(text, errors, {allowTrailingComma: true})`, first error), and the strict
offsets against V8's `JSON.parse` (Node 20).
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cfglint.parsing.jsonc as jsonc_parser
from cfglint.core.document import ParseResult
from cfglint.parsing.jsonc import parse_json, parse_text
from cfglint.core.text import MAX_DEPTH, SourceText

KILO = {"allow_comments": True, "allow_trailing_commas": True}
CLAUDE = {"allow_comments": False, "allow_trailing_commas": False}

KILO_FILE = """\
{
  // Kilo config
  "$schema": "https://app.kilo.ai/config.json",
  /* block
     comment */
  "provider": {
    "zhipu": {"models": {"glm-5.2": {"limit": {"context": 200000, "output": 32000,},},},},
  },
  "instructions": ["a.md", "b.md",],
}
"""


def kilo(text: str) -> ParseResult:
    return parse_json(SourceText(text), allow_comments=True, allow_trailing_commas=True, diagnose_json5="Kilo")


def claude(text: str) -> ParseResult:
    return parse_json(SourceText(text), **CLAUDE)


def only(result: ParseResult):
    assert len(result.diagnostics) == 1, result.diagnostics
    return result.diagnostics[0]


def at(text: str, offset: int) -> tuple[int, int]:
    return SourceText(text).position(offset)


# -- dialects ------------------------------------------------------------------------


def test_kilo_accepts_comments_and_trailing_commas():
    result = kilo(KILO_FILE)
    assert result.diagnostics == []
    assert result.ok
    assert result.data == {
        "$schema": "https://app.kilo.ai/config.json",
        "provider": {
            "zhipu": {"models": {"glm-5.2": {"limit": {"context": 200000, "output": 32000}}}}
        },
        "instructions": ["a.md", "b.md"],
    }


def test_claude_rejects_a_comment_where_json_parse_stops():
    text = '{\n  // note\n  "model": "opus"\n}'
    diagnostic = only(claude(text))
    assert (diagnostic.code, diagnostic.message) == ("SYN001", "comments are not allowed in JSON")
    assert at(text, diagnostic.start) == (2, 3)
    assert diagnostic.fix == "remove the comment"
    assert claude(text).data is None


def test_claude_rejects_a_trailing_comma_at_the_closing_brace():
    text = '{\n  "model": "opus",\n}'
    diagnostic = only(claude(text))
    assert (diagnostic.code, diagnostic.details["error"]) == ("SYN001", "TrailingComma")
    assert diagnostic.message == 'trailing comma: JSON allows no comma before "}" or "]"'
    assert at(text, diagnostic.start) == (3, 1)
    assert diagnostic.fix == "remove the trailing comma"


def test_claude_rejects_a_trailing_comma_in_an_array():
    text = '{"a": [1, 2,]}'
    diagnostic = only(claude(text))
    assert diagnostic.details["error"] == "TrailingComma"
    assert diagnostic.start == text.index("]")


def test_claude_accepts_plain_json():
    text = '{"permissions": {"allow": ["Bash(ls)"], "deny": []}, "env": {"A": "1"}}'
    result = claude(text)
    assert result.ok and result.diagnostics == []
    assert result.data == json.loads(text)


def test_jsonc_without_trailing_commas_follows_jsonc_parser_default():
    result = parse_json(SourceText("[1,]"), allow_comments=True, allow_trailing_commas=False)
    diagnostic = only(result)
    assert (diagnostic.details["error"], diagnostic.start) == ("ValueExpected", 3)


def test_any_top_level_value_is_data():
    assert kilo('"text"').data == "text"
    assert kilo("[1, 2]").data == [1, 2]
    assert claude("12").data == 12
    assert kilo("true").data is True


# -- errors: position and wording ------------------------------------------------


def test_missing_comma_in_the_middle_of_a_file():
    text = '{\n  "a": 1,\n  "b": 2\n  "c": 3\n}\n'
    expected = ((kilo(text), "comma expected"), (claude(text), 'comma or "}" expected'))
    for result, message in expected:
        diagnostic = only(result)
        assert (diagnostic.code, diagnostic.message) == ("SYN001", message)
        assert at(text, diagnostic.start) == (4, 3)
        assert result.data is None and not result.ok


@pytest.mark.parametrize(
    ("text", "kind", "offset"),
    [
        ("", "ValueExpected", 0),
        ("  \n ", "ValueExpected", 4),
        ("// only a comment", "ValueExpected", 17),
        ("[01]", "CommaExpected", 2),
        ("[1 2]", "CommaExpected", 3),
        ('{"a" 1}', "ColonExpected", 5),
        ('"abc', "UnexpectedEndOfString", 0),
        ('["a\\q"]', "InvalidEscapeCharacter", 1),
        ('["a\tb"]', "InvalidCharacter", 1),
        ('["abc\n"]', "UnexpectedEndOfString", 1),
        ('["a\\\nb"]', "InvalidEscapeCharacter", 1),
        ('["\\u12"]', "InvalidUnicode", 1),
        ('"\\u12', "UnexpectedEndOfString", 0),  # the last error in a token wins
        ("[1.]", "UnexpectedEndOfNumber", 1),
        ("[1e]", "UnexpectedEndOfNumber", 1),
        ("[1.e5]", "UnexpectedEndOfNumber", 1),
        ("[-]", "InvalidSymbol", 1),
        ("[.5]", "InvalidSymbol", 1),
        ("[+1]", "InvalidSymbol", 1),
        ("[0x1F]", "InvalidSymbol", 2),
        ("[NaN]", "InvalidSymbol", 1),
        ('{"a":tru}', "InvalidSymbol", 5),
        ("[1.5.3]", "InvalidSymbol", 4),
        ('{"a":1}}', "EndOfFileExpected", 7),
        ("[1] x", "InvalidSymbol", 4),
        ('{"a":1', "CloseBraceExpected", 6),
        ("{", "CloseBraceExpected", 1),
        ("[", "CloseBracketExpected", 1),
        ("[1,", "ValueExpected", 3),
        ('{"a":1,', "PropertyNameExpected", 7),
        ('{"a":}', "ValueExpected", 5),
        ("{,}", "ValueExpected", 1),
        ("[,1]", "ValueExpected", 1),
        ('{"a":1,,"b":2}', "PropertyNameExpected", 7),
        ("[1,,2]", "ValueExpected", 3),
        ("{1: 2}", "PropertyNameExpected", 1),
        ("/ [1]", "InvalidSymbol", 0),
        ("/* x", "UnexpectedEndOfComment", 0),
        ('{"a":1}\n/*', "UnexpectedEndOfComment", 8),
        # jsonc-parser scans a whole token before finding it misplaced.
        ('{"a":1 "b\\q":2}', "InvalidEscapeCharacter", 7),
        ('{"a":1 "b":2}', "CommaExpected", 7),
        ("[-01]", "CommaExpected", 3),
        ('{"a":-Infinity}', "InvalidSymbol", 5),
    ],
)
def test_jsonc_first_error_matches_jsonc_parser(text: str, kind: str, offset: int):
    result = parse_text(text, **KILO)
    diagnostic = only(result)
    assert diagnostic.code == "SYN001"
    assert (diagnostic.details["error"], diagnostic.start) == (kind, offset)
    assert result.data is None


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("ValueExpected", "value expected"),
        ("CommaExpected", "comma expected"),
        ("CloseBraceExpected", "closing brace expected"),
        ("EndOfFileExpected", "end of file expected"),
        ("UnexpectedEndOfString", "unexpected end of string"),
        ("InvalidEscapeCharacter", "invalid escape character"),
        ("InvalidCharacter", "invalid character (a control character inside a string)"),
    ],
)
def test_jsonc_messages_name_the_error_in_plain_words(kind: str, message: str):
    examples = {
        "ValueExpected": '{"a": }',
        "CommaExpected": "[1 2]",
        "CloseBraceExpected": '{"a": 1',
        "EndOfFileExpected": "{}}",
        "UnexpectedEndOfString": '"abc',
        "InvalidEscapeCharacter": '"a\\qb"',
        "InvalidCharacter": '"a\tb"',
    }
    diagnostic = only(parse_text(examples[kind], **KILO))
    assert diagnostic.details["error"] == kind
    assert diagnostic.message == message


def test_invalid_symbols_are_not_echoed():
    diagnostic = only(kilo('{"apiKey": sk-live-0123456789abcdef}'))
    assert (diagnostic.message, diagnostic.start) == ("invalid symbol", 11)
    assert only(kilo("[1 +]")).message == "invalid symbol '+'"


def test_empty_and_comment_only_files_are_syn001():
    assert only(kilo("")).message == "value expected: the file is empty"
    comments_only = kilo("/* nothing */\n// here\n")
    assert only(comments_only).message == "value expected: the file contains only comments"
    diagnostic = only(claude(""))
    assert (diagnostic.code, diagnostic.message) == ("SYN001", "value expected: the file is empty")


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ('{"a":1,}', 7),
        ("[01]", 2),
        ("[1 2]", 3),
        ('{"a" 1}', 5),
        ("{a:1}", 1),
        ("", 0),
        ('"abc', 4),
        ('["a\\q"]', 4),
        ('["a\tb"]', 3),
        ("[1.]", 3),
        ("[1e]", 3),
        ("[-]", 2),
        ("[.5]", 1),
        ("[0x1F]", 2),
        ('{"a":1}}', 7),
        ('{"a":1', 6),
        ('["\\u12"]', 6),
        ('"\\u12', 5),
        ("/* x", 0),
        ("[NaN]", 1),
        ('["abc\n"]', 5),
        ('{"a":}', 5),
        ("[tru]", 4),
        ("tr", 2),
        ("01", 1),
        ('{"a":-Infinity}', 6),
        ("[1,]", 3),
    ],
)
def test_strict_errors_are_where_json_parse_stops(text: str, offset: int):
    diagnostic = only(claude(text))
    assert (diagnostic.code, diagnostic.start) == ("SYN001", offset)


# -- SYN002: JSON5 in a Kilo file --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset", "construct", "fix"),
    [
        ("{\n  'model': 'x'\n}", 4, "a single-quoted string", "use double quotes"),
        ('{\n  model: "x"\n}', 4, "an unquoted property name", 'put the key in double quotes: "model"'),
        ('{"limit": NaN}', 10, "NaN (not a JSON number)", "use a finite number or null"),
        ('{"limit": Infinity}', 10, "Infinity (not a JSON number)", "use a finite number or null"),
        ('{"limit": -Infinity}', 10, "-Infinity (not a JSON number)", "use a finite number or null"),
        ('{"limit": 0x1F}', 10, "a hexadecimal number", "write the number in decimal"),
        ('{"limit": -0x1F}', 10, "a hexadecimal number", "write the number in decimal"),
        ('{"limit": +1}', 10, "a number with a leading '+'", "remove the '+'"),
        ('{"limit": .5}', 10, "a number starting with a decimal point", "write 0 before the point (0.5)"),
        ('{"limit": 5.}', 10, "a number ending in a decimal point", "write a digit after the point (5.0) or drop it"),
        ('{"a": "one\\\ntwo"}', 10, "a string continued on the next line with a backslash", None),
        ('{"a": "\\x41"}', 7, "the escape sequence \\x", None),
        ('{"a": "tab\there"}', 10, "an unescaped control character U+0009 in a string", None),
        ('{null: 1}', 1, "an unquoted property name", 'put the key in double quotes: "null"'),
        ('\u00a0{"a": 1}', 0, "the whitespace character U+00A0", "replace it with a space"),
        ("[true\u00a0, 1]", 5, "the whitespace character U+00A0", "replace it with a space"),
    ],
)
def test_json5_only_syntax_is_syn002_at_the_construct(
    text: str, offset: int, construct: str, fix: str | None
):
    result = kilo(text)
    diagnostic = only(result)
    assert diagnostic.code == "SYN002"
    assert diagnostic.start == offset
    assert diagnostic.details["construct"] == construct
    assert diagnostic.message == (
        f"JSON5-only syntax: {construct}; Kilo reads JSONC, not JSON5, and skips this file"
    )
    if fix is not None:
        assert diagnostic.fix == fix
    assert result.data is None and not result.ok


def test_single_quoted_file_reports_line_and_column_of_the_first_quote():
    text = "{\n  // provider\n  \"model\": 'kilo/auto',\n  'small_model': 'x'\n}"
    diagnostic = only(kilo(text))
    assert diagnostic.code == "SYN002"
    assert at(text, diagnostic.start) == (3, 12)
    assert text[diagnostic.start : diagnostic.end] == "'kilo/auto'"


def test_text_that_is_neither_jsonc_nor_json5_stays_syn001():
    for text in ("{'a': 1", "{a: 1 b: 2}", '{"a": 1 "b": 2}', "[0x]", "{'a': 1,, }", "[/]"):
        diagnostic = only(kilo(text))
        assert diagnostic.code == "SYN001", text


def test_json5_check_only_in_kilo_mode():
    assert only(parse_json(SourceText("{a: 1}"), **KILO)).code == "SYN001"
    assert only(claude("{a: 1}")).code == "SYN001"


def test_json5_check_survives_deep_json5():
    text = "{a: " + "[" * 5000 + "]" * 5000 + "}"
    assert only(kilo(text)).code == "SYN001"  # json5 recurses too deep: not provably JSON5


# -- SYN003: duplicate keys ------------------------------------------------------------


def test_duplicate_key_warns_at_the_second_key_and_the_last_value_wins():
    text = '{\n  "model": "a",\n  "small": {"x": 1},\n  "model": "b"\n}'
    for result in (kilo(text), claude(text)):
        diagnostic = only(result)
        assert diagnostic.code == "SYN003"
        assert at(text, diagnostic.start) == (4, 3)
        assert text[diagnostic.start : diagnostic.end] == '"model"'
        assert diagnostic.details == {"key": "model", "first_offset": 4, "first_line": 2}
        assert diagnostic.message == (
            'duplicate key "model" (first defined on line 2); the last value wins'
        )
        assert result.ok
        assert result.data == {"model": "b", "small": {"x": 1}}
        location = result.locations.get(("model",))
        assert location is not None and at(text, location.key_start) == (4, 3)


def test_duplicate_key_forgets_the_nested_positions_of_the_replaced_value():
    result = kilo('{"a": {"x": [1]}, "a": 2, "a": 3}')
    assert result.data == {"a": 3}
    assert sorted(result.locations.paths()) == [(), ("a",)]
    assert [d.details["first_offset"] for d in result.diagnostics] == [1, 1]


def test_duplicates_in_nested_objects_are_per_object():
    result = kilo('{"a": {"k": 1}, "b": {"k": 2}}')
    assert result.diagnostics == []


# -- SYN004: nesting ---------------------------------------------------------------------


class _CountingPattern:
    """A compiled pattern that counts its `match` calls."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.matches = 0

    def match(self, *args: Any) -> re.Match[str] | None:
        self.matches += 1
        return self.pattern.match(*args)


@pytest.fixture
def work(monkeypatch) -> dict[str, Any]:
    """Counts of the parser's work: containers opened, steps over trivia (between two
    tokens), and calls of the slow paths (escaped strings, the json5 check)."""
    counts: dict[str, Any] = {"containers": 0, "escaped_strings": 0, "json5_checks": 0}

    class CountingFrame(jsonc_parser._Frame):
        def __init__(self, *args: Any) -> None:
            counts["containers"] += 1
            super().__init__(*args)

    monkeypatch.setattr(jsonc_parser, "_Frame", CountingFrame)
    skips = []
    for parser in (jsonc_parser._JsoncParser, jsonc_parser._StrictParser):
        skip = _CountingPattern(parser.trivia)
        monkeypatch.setattr(parser, "trivia", skip)
        skips.append(skip)

        def escaped(self, p: int, real=parser._escaped_string) -> tuple[str, int]:
            counts["escaped_strings"] += 1
            return real(self, p)

        monkeypatch.setattr(parser, "_escaped_string", escaped)

    def is_json5(text: str, real=jsonc_parser._is_json5) -> bool:
        counts["json5_checks"] += 1
        return real(text)

    monkeypatch.setattr(jsonc_parser, "_is_json5", is_json5)
    counts["skips"] = lambda: sum(skip.matches for skip in skips)
    return counts


@pytest.mark.parametrize("mode", [KILO, CLAUDE])
@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_100000_levels_stop_at_the_limit(mode: dict[str, bool], opener: str, work):
    """One pass that stops at the 257th level: MAX_DEPTH containers opened, one step
    over trivia per level, nothing looked at past the limit."""
    text = opener * 100_000
    result = parse_json(SourceText(text), **mode)
    assert work["containers"] == MAX_DEPTH
    assert work["skips"]() <= MAX_DEPTH + 1
    diagnostic = only(result)
    assert (diagnostic.code, diagnostic.message) == ("SYN004", "nesting deeper than 256 levels")
    assert diagnostic.start == MAX_DEPTH * len(opener)
    assert result.data is None


def test_exactly_max_depth_levels_parse():
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    result = kilo(text)
    assert result.diagnostics == [] and result.ok
    assert only(kilo("[" + text + "]")).code == "SYN004"


def test_deep_kilo_file_is_syn004_not_json5():
    assert only(kilo("{a: " + "[" * 300)).code == "SYN001"  # the first problem comes first
    assert only(kilo("[" * 300 + "'x'")).code == "SYN004"


# -- positions ---------------------------------------------------------------------------


def test_locations_of_nested_keys_and_array_items():
    text = '{\n  "provider": {\n    "kilo": {"models": ["a", {"id": 7}]}\n  }\n}'
    source = SourceText(text)
    result = parse_json(source, **KILO)

    def key(path):
        location = result.locations.get(path)
        return source.position(location.key_start), text[location.key_start : location.key_end]

    def value(path):
        location = result.locations.get(path)
        start, end = location.value_start, location.value_end
        return source.position(start), text[start:end]

    assert key(("provider",)) == ((2, 3), '"provider"')
    assert key(("provider", "kilo")) == ((3, 5), '"kilo"')
    assert key(("provider", "kilo", "models", 1, "id")) == ((3, 31), '"id"')
    assert value(("provider", "kilo", "models")) == ((3, 24), '["a", {"id": 7}]')
    assert value(("provider", "kilo", "models", 0)) == ((3, 25), '"a"')
    assert value(("provider", "kilo", "models", 1)) == ((3, 30), '{"id": 7}')
    assert value(()) == ((1, 1), text)
    item = result.locations.get(("provider", "kilo", "models", 0))
    assert item.key_start is None and item.key_end is None
    assert result.locations.get(()).key_start is None


def test_crlf_positions():
    text = '{\r\n  "a": 1,\r\n  "b" 2\r\n}'
    diagnostic = only(kilo(text))
    assert diagnostic.details["error"] == "ColonExpected"
    assert at(text, diagnostic.start) == (3, 7)
    ok = kilo('{\r\n  "a": 1,\r\n  "b": 2\r\n}')
    assert at(text, ok.locations.get(("b",)).key_start) == (3, 3)


def test_columns_count_code_points():
    text = '{"😀": 1, "ключ": x}'
    diagnostic = only(claude(text))
    assert at(text, diagnostic.start) == (1, 18)
    result = kilo('{"😀": 1, "ключ": 2}')
    assert at(text, result.locations.get(("ключ",)).key_start) == (1, 10)
    assert result.data == {"😀": 1, "ключ": 2}


def test_bom_is_the_callers_job():
    assert only(claude("\ufeff{}")).start == 0
    assert only(kilo("\ufeff{}")).code == "SYN002"  # U+FEFF is whitespace only to JSON5


# -- values ------------------------------------------------------------------------------


def test_numbers_like_json():
    text = "[0, -0, 12, -3.5, 1e3, 1E-2, 2.5e+2, 123456789012345678901234567890]"
    for result in (kilo(text), claude(text)):
        assert result.data == json.loads(text)
        assert [type(v) for v in result.data] == [type(v) for v in json.loads(text)]


def test_more_digits_than_int_conversion_allows_do_not_raise():
    result = claude("1" * 5000)
    assert result.data == float("inf")


def test_escapes_and_surrogate_pairs():
    text = r'["\"\\\/\b\f\n\r\t", "\u0041\uD83D\uDE00", "\uD800x"]'
    for result in (kilo(text), claude(text)):
        assert result.data == json.loads(text)


def test_a_typical_config_takes_one_pass_on_the_fast_paths(work):
    """Work linear in the values, and none of the slow paths: at most two steps over
    trivia per value (after it, after its comma; a member's key, colon and the spaces
    around them take one regex), no escape decoding, no json5 check. Its speed is
    measured in bench/."""
    models = {f"m{j}": {"limit": {"context": 128000, "output": 32000}} for j in range(4)}
    provider = {"options": {"baseURL": "https://x.test/v1"}, "models": models}
    config = {f"p{i}": provider for i in range(8)}
    text = json.dumps({"provider": config}, indent=2)
    result = parse_json(SourceText(text), **KILO)
    assert result.data == json.loads(text) and result.diagnostics == []
    values = len(list(result.locations.paths()))
    assert values == 1 + 1 + 8 * (1 + 2 + 1 + 4 * (1 + 1 + 2))
    assert work["skips"]() <= 2 * values
    assert work["containers"] == text.count("{")
    assert (work["escaped_strings"], work["json5_checks"]) == (0, 0)


# -- properties ----------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_data = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def _jsonc_variant(text: str) -> str:
    """Add comments after every line and a trailing comma before every closer on its own line."""
    lines = text.split("\n")
    out = []
    for index, line in enumerate(lines):
        following = lines[index + 1].lstrip() if index + 1 < len(lines) else ""
        if following[:1] in ("}", "]") and not line.endswith(("{", "[", ",")):
            line += ","
        out.append(line + (" // note" if index % 2 else " /* note */"))
    return "\n".join(out)


@settings(max_examples=200, deadline=None)
@given(json_data, st.sampled_from([None, 0, 2, "\t"]), st.booleans())
def test_json_dumps_round_trips_in_both_modes(data: Any, indent, ensure_ascii: bool):
    text = json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)
    for mode in (KILO, CLAUDE):
        result = parse_text(text, **mode)
        assert result.diagnostics == []
        assert result.data == data
    if indent is not None:
        result = parse_text(_jsonc_variant(text), **KILO)
        assert result.diagnostics == [] and result.data == data


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_on_any_text(text: str):
    for mode in (KILO, CLAUDE):
        result = parse_text(text, **mode)
        fatal = [d for d in result.diagnostics if d.code in ("SYN001", "SYN002", "SYN004")]
        if fatal:
            assert result.data is None and len(result.diagnostics) == 1
        else:  # parsed (possibly to a top-level null): the root has a location
            assert result.locations.get(()) is not None


jsonish = st.text(
    alphabet=list('{}[]:,"\'\\/*- \n\r\t0123456789.eExaNIfinitytrulsu+\u00a0'), max_size=40
)


@settings(max_examples=200, deadline=None)
@given(jsonish)
def test_never_raises_on_json_like_text_with_json5_diagnosis(text: str):
    result = kilo(text)
    for diagnostic in result.diagnostics:
        assert diagnostic.code in ("SYN001", "SYN002", "SYN003")
        assert 0 <= diagnostic.start <= len(text)


def _reject_constant(name: str) -> None:
    raise ValueError(name)  # JSON.parse has no NaN/Infinity


def _loads(text: str) -> tuple[bool, Any]:
    try:
        return True, json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return False, None


MUTATIONS = list('{}[]:,"\\/ 0-.e') + ["true", "null", "//", "\t", "\x01", "\\u", "1"]


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text(max_size=5), json_data, max_size=4) | st.lists(json_data, max_size=4),
    st.randoms(use_true_random=False),
)
def test_strict_mode_agrees_with_json_loads_on_mutations(data: Any, rnd: random.Random):
    text = json.dumps(data, indent=rnd.choice([None, 1]))
    for _ in range(rnd.randint(0, 3)):
        index = rnd.randint(0, len(text))
        if rnd.random() < 0.5:
            text = text[:index] + rnd.choice(MUTATIONS) + text[index:]
        else:
            text = text[:index] + text[index + 1 :]
    accepted, expected = _loads(text)
    result = parse_text(text, **CLAUDE)
    fatal = [d for d in result.diagnostics if d.code != "SYN003"]
    assert (not fatal) == accepted, (text, result.diagnostics)
    if accepted:
        assert result.data == expected


def test_json5_in_a_file_too_large_to_confirm_is_syn001_naming_the_construct(work):
    from cfglint.parsing.jsonc import JSON5_CHECK_LIMIT

    text = "{'a': 1, " + '"pad": "' + "x" * JSON5_CHECK_LIMIT + '"}'
    diagnostic = only(kilo(text))
    assert work["json5_checks"] == 0  # the json5 package (slow, ~0.1 ms a byte) is not run
    assert diagnostic.code == "SYN001"
    assert diagnostic.start == 1
    assert diagnostic.message == (
        "invalid symbol: JSON5-only syntax (a single-quoted string); Kilo reads JSONC, not JSON5"
    )
    assert diagnostic.fix == "use double quotes"
