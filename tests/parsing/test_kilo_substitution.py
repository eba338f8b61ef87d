"""Tests for Kilo's {env:}/{file:} substitution: what is replaced, and original positions."""

from __future__ import annotations

import builtins
import io
import os
import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cfglint.harnesses.kilo.substitution import Reference, find_references, parse_kilo, substitute
from cfglint.core.text import SourceText

CONFIG = """\
{
  "provider": {
    "zhipu": {
      "options": {"apiKey": "{env:ZHIPU_API_KEY}", "baseURL": "https://{env:HOST}/v4"},
      "models": {"glm": {"limit": {"context": {env:CTX}, "output": 32000}}}
    }
  },
  // "model": {env:COMMENTED_OUT},
  "small_model": "kilo/auto"
}
"""


def at(text: str, offset: int) -> tuple[int, int]:
    return SourceText(text).position(offset)


def key_position(text: str, result, path) -> tuple[int, int]:
    location = result.locations.get(path)
    assert location is not None and location.key_start is not None, path
    return at(text, location.key_start)


def value_text(text: str, result, path) -> str:
    location = result.locations.get(path)
    assert location is not None, path
    return text[location.value_start : location.value_end]


def test_env_values_are_inserted_raw():
    env = {"ZHIPU_API_KEY": "sk-123", "HOST": "open.bigmodel.cn", "CTX": "200000"}
    result = parse_kilo(SourceText(CONFIG), env)
    assert result.diagnostics == [] and result.ok
    zhipu = result.data["provider"]["zhipu"]
    assert zhipu["options"] == {"apiKey": "sk-123", "baseURL": "https://open.bigmodel.cn/v4"}
    assert zhipu["models"]["glm"]["limit"] == {"context": 200000, "output": 32000}
    assert result.unresolved == frozenset()
    context = ("provider", "zhipu", "models", "glm", "limit", "context")
    assert value_text(CONFIG, result, context) == "{env:CTX}"
    assert key_position(CONFIG, result, ("small_model",)) == (9, 3)
    base_url = ("provider", "zhipu", "options", "baseURL")
    assert value_text(CONFIG, result, base_url) == '"https://{env:HOST}/v4"'


def test_unknown_env_inside_a_string_stays_as_written():
    result = parse_kilo(SourceText(CONFIG), {"CTX": "1000"})
    options = result.data["provider"]["zhipu"]["options"]
    assert options == {"apiKey": "{env:ZHIPU_API_KEY}", "baseURL": "https://{env:HOST}/v4"}
    assert result.unresolved == frozenset()


def test_unknown_bare_env_is_an_unresolved_null_and_later_positions_stay_exact():
    result = parse_kilo(SourceText(CONFIG))
    assert result.diagnostics == []
    context = ("provider", "zhipu", "models", "glm", "limit", "context")
    limit = result.data["provider"]["zhipu"]["models"]["glm"]["limit"]
    assert limit == {"context": None, "output": 32000}
    assert result.unresolved == frozenset({context})
    assert value_text(CONFIG, result, context) == "{env:CTX}"
    assert key_position(CONFIG, result, context) == (5, 36)
    output = ("provider", "zhipu", "models", "glm", "limit", "output")
    assert key_position(CONFIG, result, output) == (5, 58)
    assert value_text(CONFIG, result, output) == "32000"
    assert key_position(CONFIG, result, ("small_model",)) == (9, 3)
    assert value_text(CONFIG, result, ()) == CONFIG.rstrip("\n")


def test_commented_out_tokens_are_left_alone():
    substituted = substitute(CONFIG, {"COMMENTED_OUT": "boom"})
    assert "// \"model\": {env:COMMENTED_OUT}," in substituted.text
    commented = [r for r in substituted.references if r.name == "COMMENTED_OUT"]
    start = CONFIG.index("{env:COMMENTED_OUT}")
    assert commented == [Reference("env", "COMMENTED_OUT", start, start + 19, False, True, in_comment=True)]


def test_a_token_after_a_trailing_comment_is_substituted_as_kilo_does():
    text = '{"a": 1, // see {env:X}\n"b": "{env:X}"}'
    substituted = substitute(text, {"X": "v"})
    assert substituted.text == '{"a": 1, // see v\n"b": "v"}'
    assert [r.inert for r in substituted.references] == [False, False]
    assert parse_kilo(SourceText(text)).data == {"a": 1, "b": "{env:X}"}


def test_file_references_are_never_read(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch):
    secret = tmp_path / "key.txt"
    secret.write_text("SECRET")
    text = f'{{"apiKey": "{{file:{secret}}}", "prompt": {{file:{secret}}}, "n": 1}}'

    def refuse(*args, **kwargs):
        raise AssertionError(f"file opened: {args[:1]}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    monkeypatch.setattr(os, "open", refuse)
    monkeypatch.setattr(pathlib.Path, "read_text", refuse)
    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    result = parse_kilo(SourceText(text), {"unused": "x"})
    assert result.data == {"apiKey": f"{{file:{secret}}}", "prompt": None, "n": 1}
    assert result.unresolved == frozenset({("prompt",)})
    assert [(r.kind, r.name, r.in_string) for r in find_references(text)] == [
        ("file", str(secret), True),
        ("file", str(secret), False),
    ]


def test_blocked_variables_are_recorded_and_never_substituted():
    text = (
        '{"server": {"password": "{env:KILO_SERVER_PASSWORD}", '
        '"user": {env:KILO_SERVER_USERNAME}}}'
    )
    env = {"KILO_SERVER_PASSWORD": "hunter2", "KILO_SERVER_USERNAME": "kilo"}
    result = parse_kilo(SourceText(text), env)
    assert result.data == {"server": {"password": "{env:KILO_SERVER_PASSWORD}", "user": None}}
    assert result.unresolved == frozenset({("server", "user")})
    references = find_references(text)
    assert [(r.name, r.blocked, r.in_string) for r in references] == [
        ("KILO_SERVER_PASSWORD", True, True),
        ("KILO_SERVER_USERNAME", True, False),
    ]


def test_tokens_glued_into_one_word_are_one_unknown_value():
    text = '{"a": -{env:A}{env:B}0, "b": [{env:C}], "c": 2}'
    result = parse_kilo(SourceText(text), {"A": "1"})
    assert result.diagnostics == []
    assert result.data == {"a": None, "b": [None], "c": 2}
    assert result.unresolved == frozenset({("a",), ("b", 0)})
    assert value_text(text, result, ("a",)) == "-{env:A}{env:B}0"
    assert value_text(text, result, ("b", 0)) == "{env:C}"
    assert value_text(text, result, ("c",)) == "2"


def test_to_original_is_exact_outside_and_clamps_inside_replacements():
    text = '{"a": {env:LONG_NAME}, "b": 1}'
    substituted = substitute(text, {"LONG_NAME": "12"})
    assert substituted.text == '{"a": 12, "b": 1}'
    token_start = text.index("{env")
    token_end = token_start + len("{env:LONG_NAME}")
    new_start = substituted.text.index("12")
    assert substituted.to_original(0) == 0
    assert substituted.to_original(new_start) == token_start
    assert substituted.to_original(new_start + 1) == token_start
    assert substituted.to_original(new_start + 1, end=True) == token_end
    assert substituted.to_original(new_start + 2) == token_end
    b = substituted.text.index('"b"')
    assert substituted.to_original(b) == text.index('"b"')
    assert substituted.unresolved == []


def test_syntax_error_inside_a_substituted_value_points_at_the_token():
    text = '{\n  "a": "{env:QUOTE}",\n  "b": 1\n}'
    result = parse_kilo(SourceText(text), {"QUOTE": 'x"y'})
    assert len(result.diagnostics) == 1
    diagnostic = result.diagnostics[0]
    assert diagnostic.code == "SYN001"
    assert diagnostic.message == "invalid symbol 'y' (in the value substituted for {env:QUOTE})"
    assert at(text, diagnostic.start) == (2, 9)


def test_empty_value_is_reported_where_the_token_was():
    text = '{"limit": {env:EMPTY}, "b": 1}'
    result = parse_kilo(SourceText(text), {"EMPTY": ""})
    diagnostic = result.diagnostics[0]
    assert (diagnostic.code, diagnostic.details["error"]) == ("SYN001", "ValueExpected")
    assert diagnostic.message == "value expected (in the value substituted for {env:EMPTY})"
    assert diagnostic.start == text.index(",")


def test_json5_in_a_substituted_file_is_syn002_in_original_positions():
    text = "{\n  \"key\": \"{env:KEY}\",\n  'model': 'x'\n}"
    result = parse_kilo(SourceText(text), {"KEY": "a-much-longer-value-than-the-token"})
    diagnostic = result.diagnostics[0]
    assert diagnostic.code == "SYN002"
    assert at(text, diagnostic.start) == (3, 3)
    assert text[diagnostic.start : diagnostic.end] == "'model'"


def test_duplicate_key_lines_refer_to_the_original_text():
    text = '{\n  "a": "{env:MULTI}",\n  "b": 1,\n  "b": 2\n}'
    result = parse_kilo(SourceText(text), {"MULTI": "one\\ntwo"})
    diagnostic = result.diagnostics[0]
    assert diagnostic.code == "SYN003"
    assert at(text, diagnostic.start) == (4, 3)
    assert diagnostic.details["first_line"] == 3
    assert diagnostic.details["first_offset"] == text.index('"b"')


def test_no_tokens_means_no_substitution():
    text = '{"a": "{envy}", "b": "{file}"}'
    assert find_references(text) == []
    assert substitute(text, {}).text == text
    assert parse_kilo(SourceText(text)).data == {"a": "{envy}", "b": "{file}"}


def test_a_quote_inside_a_bare_token_opens_no_string():
    text = '{"a": {env:X"Y}, "b": "{env:Z}"}'
    references = find_references(text)
    assert [(r.name, r.in_string) for r in references] == [('X"Y', False), ("Z", True)]
    result = parse_kilo(SourceText(text))
    assert result.data == {"a": None, "b": "{env:Z}"}


def test_tokens_in_block_comments_are_substituted_only_when_known():
    text = '{/* {env:X} */ "a": 1}'
    assert substitute(text, None).text == text
    assert substitute(text, {"X": "*/ 2"}).text == '{/* */ 2 */ "a": 1}'


tokens = st.sampled_from(
    ["{env:A}", "{env:B}", "{file:f}", "{env:KILO_SERVER_PASSWORD}", "{env:", "}", '"']
    + ["//", "\n", "/*", "*/", " ", ":", ",", "1"]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(tokens | st.text(max_size=3), max_size=20),
    st.sampled_from([None, {}, {"A": "7", "B": '"x"'}]),
)
def test_substitution_and_parsing_never_raise_and_map_inside_the_text(parts: list[str], env):
    text = "".join(parts)
    substituted = substitute(text, env)
    for offset in range(len(substituted.text) + 1):
        assert 0 <= substituted.to_original(offset) <= len(text)
        assert substituted.to_original(offset) <= substituted.to_original(offset, end=True)
    result = parse_kilo(SourceText(text), env)
    for diagnostic in result.diagnostics:
        assert 0 <= diagnostic.start <= len(text)
    for path in result.locations.paths():
        location = result.locations.get(path)
        assert 0 <= location.value_start <= location.value_end <= len(text)
