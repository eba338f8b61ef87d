"""Tests for the TOML parser: tomli's data and errors, the scanner's positions, limits."""

from __future__ import annotations

import random
import re
from typing import Any, Iterator

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cfglint.parsing.toml as toml_parser
from cfglint.core.document import Path
from cfglint.parsing.toml import parse_toml
from cfglint.core.text import MAX_DEPTH, Span, SourceText
from samples import GLM_5_2

KIMI_GLM = GLM_5_2


def parse(text: str):
    source = SourceText(text)
    return source, parse_toml(source)


def key_span(source: SourceText, result, path: Path) -> Span:
    loc = result.locations.get(path)
    assert loc is not None and loc.key_start is not None, path
    return source.span(loc.key_start, loc.key_end)


def value_span(source: SourceText, result, path: Path) -> Span:
    loc = result.locations.get(path)
    assert loc is not None, path
    return source.span(loc.value_start, loc.value_end)


def key_text(text: str, result, path: Path) -> str | None:
    loc = result.locations.get(path)
    assert loc is not None, path
    return None if loc.key_start is None else text[loc.key_start : loc.key_end]


def value_text(text: str, result, path: Path) -> str:
    loc = result.locations.get(path)
    assert loc is not None, path
    return text[loc.value_start : loc.value_end]


def only_diagnostic(source: SourceText, result) -> tuple[str, str, tuple[int, int]]:
    assert result.data is None
    assert not result.ok
    (diag,) = result.diagnostics
    return diag.code, diag.message, source.position(diag.start)


# --- the Kimi example (harness-kimi.md 5.4) ---------------------------------


def test_kimi_glm_config_data():
    _, result = parse(KIMI_GLM)
    assert result.ok
    assert result.diagnostics == []
    assert result.data == {
        "default_model": "zhipu/glm-5.2",
        "providers": {
            "zhipu": {
                "type": "openai",
                "base_url": "https://open.bigmodel.cn/api/paas/v4",
                "api_key": "",
            }
        },
        "models": {
            "zhipu/glm-5.2": {
                "provider": "zhipu",
                "model": "glm-5.2",
                "max_context_size": 1000000,
                "max_output_size": 131072,
                "capabilities": ["thinking"],
            }
        },
        "loop_control": {"reserved_context_size": 50000, "compaction_trigger_ratio": 0.99},
    }


def test_kimi_glm_config_positions():
    source, result = parse(KIMI_GLM)
    ratio = ("loop_control", "compaction_trigger_ratio")
    assert key_span(source, result, ratio) == Span(14, 1, 14, 25)
    assert value_span(source, result, ratio) == Span(14, 28, 14, 32)

    model = ("models", "zhipu/glm-5.2")
    assert key_span(source, result, model) == Span(6, 2, 6, 24)
    assert value_span(source, result, model) == Span(6, 1, 6, 25)
    assert key_text(KIMI_GLM, result, model) == 'models."zhipu/glm-5.2"'
    assert value_text(KIMI_GLM, result, model) == '[models."zhipu/glm-5.2"]'

    first_capability = ("models", "zhipu/glm-5.2", "capabilities", 0)
    assert result.locations.get(first_capability).key_start is None
    assert value_span(source, result, first_capability) == Span(11, 18, 11, 28)
    capabilities = first_capability[:-1]
    assert key_span(source, result, capabilities) == Span(11, 1, 11, 13)
    assert value_span(source, result, capabilities) == Span(11, 16, 11, 30)


def test_kimi_glm_config_implicit_tables_point_at_their_first_header():
    source, result = parse(KIMI_GLM)
    assert key_span(source, result, ("models",)) == Span(6, 2, 6, 8)
    assert value_span(source, result, ("models",)) == Span(6, 1, 6, 25)
    assert key_span(source, result, ("providers",)) == Span(2, 2, 2, 11)
    assert value_span(source, result, ("providers",)) == Span(2, 1, 2, 18)
    root = result.locations.get(())
    assert (root.key_start, root.key_end, root.value_start, root.value_end) == (None, None, 0, 0)


def test_kimi_glm_config_every_path_located():
    _, result = parse(KIMI_GLM)
    assert set(result.locations.paths()) == set(data_paths(result.data))


def test_syntax_error_in_kimi_config():
    text = KIMI_GLM.replace("reserved_context_size = 50000", "reserved_context_size = ")
    source, result = parse(text)
    assert only_diagnostic(source, result) == ("SYN001", "Invalid value", (13, 25))


# --- syntax errors ---------------------------------------------------------


def test_syntax_error_message_has_no_position_suffix():
    source, result = parse('a = 1\nb = "unterminated')
    code, message, position = only_diagnostic(source, result)
    assert (code, message, position) == ("SYN001", "Unterminated string", (2, 18))
    assert "line" not in message


def test_error_at_end_of_file_stays_inside_the_file():
    source, result = parse('a = 1\r\nb = "\\')
    assert only_diagnostic(source, result) == ("SYN001", "Unescaped '\\' in a string", (2, 7))


def test_duplicate_key_is_syn001_where_tomli_stops():
    source, result = parse("a = 1\nb = 2\na = 3\n")
    assert only_diagnostic(source, result) == ("SYN001", "Cannot overwrite a value", (3, 6))


def test_redefined_table_is_syn001_with_dotted_path():
    source, result = parse('[models."x.y"]\na = 1\n[models."x.y"]\n')
    assert only_diagnostic(source, result) == (
        "SYN001",
        'Cannot declare `models."x.y"` twice',
        (3, 14),
    )


def test_integer_beyond_python_digit_limit_is_syn001():
    source, result = parse("a = 1\nb = " + "9" * 5000 + "\n")
    code, message, position = only_diagnostic(source, result)
    assert (code, position) == ("SYN001", (2, 5))
    assert "digits" in message


# --- positions -------------------------------------------------------------


def test_columns_count_code_points():
    text = '"ключ" = "日本😀" # 😀\nb = [ "é😀", 2 ]\n'
    source, result = parse(text)
    assert result.data == {"ключ": "日本😀", "b": ["é😀", 2]}
    assert key_span(source, result, ("ключ",)) == Span(1, 1, 1, 7)
    assert value_span(source, result, ("ключ",)) == Span(1, 10, 1, 15)
    assert value_span(source, result, ("b", 1)) == Span(2, 13, 2, 14)


def test_syntax_error_column_counts_code_points():
    source, result = parse('a = "😀😀" b\n')
    assert only_diagnostic(source, result) == (
        "SYN001",
        "Expected newline or end of document after a statement",
        (1, 10),
    )


def test_crlf_line_endings():
    text = "a = 1\r\n[t]\r\nb = [\r\n  1,\r\n  2,\r\n]\r\nc = '''x\r\ny'''\r\nd = 4\r\n"
    source, result = parse(text)
    assert result.data == {"a": 1, "t": {"b": [1, 2], "c": "x\ny", "d": 4}}
    assert value_span(source, result, ("t",)) == Span(2, 1, 2, 4)
    assert value_span(source, result, ("t", "b", 1)) == Span(5, 3, 5, 4)
    assert value_span(source, result, ("t", "b")) == Span(3, 5, 6, 2)
    assert value_span(source, result, ("t", "c")) == Span(7, 5, 8, 5)
    assert key_span(source, result, ("t", "d")) == Span(9, 1, 9, 2)


def test_crlf_syntax_error_position():
    source, result = parse("a = 1\r\nb = 2\r\nc = [1,,]\r\n")
    assert only_diagnostic(source, result) == ("SYN001", "Invalid value", (3, 8))


def test_multiline_strings_hide_keys_headers_and_quotes():
    text = (
        'a = """\n[fake]\nb = 1 # "\n\\"""\n[x]"""\n'
        "c = '''\n[[also.fake]]\nd = 'x' ''\n'''''\n"
        "e = \"q#[\\\"]\" # ']\n"
        "f = 'g\"#'\n"
        "h = 2\n"
    )
    source, result = parse(text)
    assert result.data == {
        "a": '[fake]\nb = 1 # "\n"""\n[x]',
        "c": "[[also.fake]]\nd = 'x' ''\n''",
        "e": 'q#["]',
        "f": 'g"#',
        "h": 2,
    }
    assert set(result.locations.paths()) == {(), ("a",), ("c",), ("e",), ("f",), ("h",)}
    assert value_text(text, result, ("c",)).endswith("'''''")
    assert value_text(text, result, ("e",)) == '"q#[\\"]"'
    assert key_span(source, result, ("h",)) == Span(12, 1, 12, 2)
    assert value_span(source, result, ("h",)) == Span(12, 5, 12, 6)


def test_arrays_of_tables_count_across_headers():
    text = (
        "[[hooks]]\nevent = 'a'\n"
        "[[hooks.run]]\ncmd = 1\n"
        "[[hooks]]\nevent = 'b'\n"
        "[[hooks.run]]\ncmd = 2\n"
        "[[hooks.run]]\ncmd = 3\n"
        "[hooks.opts]\nx = 1\n"
        "[[other]]\n"
    )
    source, result = parse(text)
    assert result.data == {
        "hooks": [
            {"event": "a", "run": [{"cmd": 1}]},
            {"event": "b", "run": [{"cmd": 2}, {"cmd": 3}], "opts": {"x": 1}},
        ],
        "other": [{}],
    }
    assert set(result.locations.paths()) == set(data_paths(result.data))
    assert key_span(source, result, ("hooks", 1, "event")) == Span(6, 1, 6, 6)
    assert value_span(source, result, ("hooks", 1, "run", 1, "cmd")) == Span(10, 7, 10, 8)
    assert value_span(source, result, ("hooks", 1)) == Span(5, 1, 5, 10)
    assert result.locations.get(("hooks", 1)).key_start is None
    assert value_span(source, result, ("hooks",)) == Span(1, 1, 1, 10)
    assert key_text(text, result, ("hooks", 1, "run")) == "hooks.run"
    assert value_span(source, result, ("hooks", 1, "run")) == Span(7, 1, 7, 14)
    assert value_span(source, result, ("hooks", 1, "opts", "x")) == Span(12, 5, 12, 6)
    assert value_span(source, result, ("other", 0)) == Span(13, 1, 13, 10)


def test_inline_tables_and_arrays():
    text = (
        "srv = { name = \"x\", env = { A = '1', b.c = [1, { d = 2 }] }, }\n"
        "arr = [\n  1, # one, [x]\n  [2, 3],\n  { e = true },\n]\n"
        "t = { x = 1,\n  y = 2 }\n"
    )
    source, result = parse(text)
    assert result.data == {
        "srv": {"name": "x", "env": {"A": "1", "b": {"c": [1, {"d": 2}]}}},
        "arr": [1, [2, 3], {"e": True}],
        "t": {"x": 1, "y": 2},
    }
    assert set(result.locations.paths()) == set(data_paths(result.data))
    assert value_text(text, result, ("srv",)) == text.splitlines()[0][6:]
    assert value_text(text, result, ("srv", "env")) == "{ A = '1', b.c = [1, { d = 2 }] }"
    assert value_text(text, result, ("srv", "env", "b")) == "b.c = [1, { d = 2 }]"
    assert key_text(text, result, ("srv", "env", "b", "c", 1, "d")) == "d"
    assert value_span(source, result, ("arr", 1, 0)) == Span(4, 4, 4, 5)
    assert value_span(source, result, ("arr", 2, "e")) == Span(5, 9, 5, 13)
    assert value_span(source, result, ("arr",)) == Span(2, 7, 6, 2)
    assert value_span(source, result, ("t", "y")) == Span(8, 7, 8, 8)


def test_dotted_keys():
    text = 'a . "b.c" .d = 1 # c\na.e = 1979-05-27 07:32:00Z\n[t]\nx.\'y z\'.w = "v"\n'
    source, result = parse(text)
    assert set(result.locations.paths()) == {
        (), ("a",), ("a", "b.c"), ("a", "b.c", "d"), ("a", "e"),
        ("t",), ("t", "x"), ("t", "x", "y z"), ("t", "x", "y z", "w"),
    }  # fmt: skip
    assert key_text(text, result, ("a",)) == "a"
    assert key_text(text, result, ("a", "b.c")) == '"b.c"'
    assert key_span(source, result, ("a", "b.c", "d")) == Span(1, 12, 1, 13)
    assert value_span(source, result, ("a", "b.c", "d")) == Span(1, 16, 1, 17)
    # A table implied by a dotted key spans the statement that first implied it.
    assert value_text(text, result, ("a",)) == 'a . "b.c" .d = 1'
    assert value_text(text, result, ("a", "e")) == "1979-05-27 07:32:00Z"
    assert key_text(text, result, ("t", "x", "y z")) == "'y z'"
    assert value_text(text, result, ("t", "x")) == "x.'y z'.w = \"v\""


def test_escaped_quoted_keys_match_data():
    text = '"a\\u00e9\\"b" = 1\n["t\\\\".\'lit\\\']\nk = 2\n'
    _, result = parse(text)
    assert result.data == {'aé"b': 1, "t\\": {"lit\\": {"k": 2}}}
    assert set(result.locations.paths()) == set(data_paths(result.data))
    assert key_text(text, result, ('aé"b',)) == '"a\\u00e9\\"b"'


def test_header_declared_after_implying_header_takes_over():
    text = "[a.b]\nx = 1\n[a]\ny = 2\n"
    source, result = parse(text)
    assert value_span(source, result, ("a",)) == Span(3, 1, 3, 4)
    assert key_span(source, result, ("a",)) == Span(3, 2, 3, 3)
    assert value_span(source, result, ("a", "b")) == Span(1, 1, 1, 6)


def test_scalar_kinds():
    text = (
        "i = +1_000\nh = 0xff\nf = -3.5e2\nn = nan\ninf = -inf\nb = false\n"
        "d = 1979-05-27\nt = 07:32:00\nodt = 1979-05-27T00:32:00.999999-07:00 # tz\n"
    )
    _, result = parse(text)
    lines = text.splitlines()
    for line in lines:
        key, _, rest = line.partition(" = ")
        assert value_text(text, result, (key,)) == rest.split(" #")[0]


def test_empty_and_blank_files_are_empty_documents():
    for text in ("", "\n\n", "# only a comment\n", "  \r\n"):
        _, result = parse(text)
        assert result.ok
        assert result.data == {}
        assert result.diagnostics == []
        assert set(result.locations.paths()) == {()}


def test_locations_are_built_only_when_asked(monkeypatch):
    calls = []
    real_scan = toml_parser._scan_locations
    monkeypatch.setattr(
        toml_parser, "_scan_locations", lambda text: calls.append(text) or real_scan(text)
    )
    _, result = parse(KIMI_GLM)
    assert calls == []
    assert result.locations.get(("default_model",)) is not None
    result.locations.get(("loop_control",))
    assert calls == [KIMI_GLM]


# --- nesting limits --------------------------------------------------------


class _CountingPattern:
    """A compiled pattern that counts its `search` calls."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.searches = 0

    def search(self, *args: Any) -> re.Match[str] | None:
        self.searches += 1
        return self.pattern.search(*args)


def test_100000_nested_arrays_are_syn004_without_tomli(monkeypatch):
    """The linear pre-scan refuses it at the 257th bracket, having looked at nothing past
    it; tomli's recursive descent (a RecursionError deep down) never runs."""
    tokens = _CountingPattern(toml_parser._DEPTH_TOKEN)
    monkeypatch.setattr(toml_parser, "_DEPTH_TOKEN", tokens)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("tomli ran")

    monkeypatch.setattr(toml_parser.tomli, "loads", refuse)
    text = "a = " + "[" * 100_000 + "]" * 100_000 + "\n"
    source, result = parse(text)
    assert tokens.searches == MAX_DEPTH + 1
    code, message, position = only_diagnostic(source, result)
    assert (code, message) == ("SYN004", f"nesting deeper than {MAX_DEPTH} levels")
    assert position == (1, 5 + MAX_DEPTH)


def test_unclosed_deep_inline_tables_are_syn004():
    source, result = parse("x = " + "{a = " * 100_000)
    assert only_diagnostic(source, result)[:2] == ("SYN004", "nesting deeper than 256 levels")


def test_nesting_at_the_limit_parses():
    deepest = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    text = f"# [[[[\na = {deepest}\n[t]\ns = '" + "[" * 300 + "'\n"
    _, result = parse(text)
    assert result.ok
    assert result.diagnostics == []


def test_nesting_counts_tables_too():
    # The array opens level 2 inside `[t]`, so its innermost level is 257.
    text = "[t]\na = " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    source, result = parse(text)
    assert only_diagnostic(source, result) == ("SYN004", "nesting deeper than 256 levels", (2, 260))


def test_brackets_in_strings_comments_and_headers_are_not_nesting():
    text = (
        "[[a]]\n[[a]]\n"
        + "# " + "[" * 300 + "\n"
        + 's = """' + "{" * 300 + '"""\n'
        + "l = '''" + "[" * 300 + "'''\n"
        + 'b = "' + "[" * 300 + '"\n'
    )  # fmt: skip
    _, result = parse(text)
    assert result.ok


def test_deep_dotted_keys_are_syn004_at_the_key():
    text = "x = 1\n" + ".".join(["k"] * 300) + " = 1\n"
    source, result = parse(text)
    code, message, position = only_diagnostic(source, result)
    assert (code, message) == ("SYN004", "nesting deeper than 256 levels")
    # The 257th segment is the first table below the limit.
    assert position == (2, 2 * MAX_DEPTH + 1)


def test_dotted_keys_at_the_limit_parse():
    _, result = parse(".".join(["k"] * MAX_DEPTH) + " = [1]\n")
    assert result.ok
    _, result = parse(".".join(["k"] * (MAX_DEPTH + 1)) + " = 1\n")
    assert result.ok


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (RecursionError, "nesting deeper than 256 levels"),
        (MemoryError, "document too large to parse"),
    ],
)
def test_tomli_resource_errors_become_syn004(monkeypatch, error, message):
    def exhausted(text: str) -> Any:
        raise error

    monkeypatch.setattr(toml_parser.tomli, "loads", exhausted)
    source, result = parse("a = 1\n")
    assert only_diagnostic(source, result) == ("SYN004", message, (1, 1))


# --- property tests --------------------------------------------------------

BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
ODD_CHARS = "ab .=#[]{},\"'\\\t\né😀\x01\x7f"

keys = st.one_of(
    st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True),
    st.text(alphabet=ODD_CHARS, max_size=5),
    st.text(max_size=4),
)
strings = st.one_of(st.text(max_size=10), st.text(alphabet=ODD_CHARS, max_size=20))
scalars = st.one_of(
    strings,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(keys, inner, max_size=4),
        st.lists(st.dictionaries(keys, inner, max_size=3), min_size=1, max_size=3),
    ),
    max_leaves=25,
)
documents = st.dictionaries(keys, values, max_size=6)


def is_control(char: str) -> bool:
    return (char < " " and char != "\t") or char == "\x7f"


def basic_string(text: str) -> str:
    escaped = {'"': '\\"', "\\": "\\\\", "\n": "\\n"}
    return '"' + "".join(
        escaped.get(c) or (f"\\u{ord(c):04X}" if is_control(c) else c) for c in text
    ) + '"'


class TomlWriter:
    """Serialises data as TOML in randomly mixed styles, for the property tests."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self.lines: list[str] = []

    def chance(self, probability: float) -> bool:
        return self.rnd.random() < probability

    def document(self, data: dict[str, Any]) -> str:
        self.section([], data, header=None)
        newline = "\r\n" if self.chance(0.2) else "\n"
        return "".join(line + newline for line in self.lines)

    def section(self, keys: list[str], table: dict[str, Any], header: str | None) -> None:
        """A table's own key/values, then its sub-tables and arrays of tables as headers."""
        key_values, headed = [], []
        for key, value in table.items():
            path = keys + [self.key(key)]
            if isinstance(value, dict) and self.chance(0.4):
                headed.append((path, [value], "[{}]"))
            elif is_table_array(value) and self.chance(0.5):
                headed.append((path, value, "[[{}]]"))
            elif isinstance(value, dict) and value and self.chance(0.4):
                key_values.extend(self.dotted_lines(path[-1:], value))
            else:
                key_values.append(f"{path[-1]}{self.equals()}{self.inline(value)}")
        # A table with nothing but sub-tables may be left implied by their headers;
        # an entry of an array of tables never can.
        array_entry = header is not None and header.startswith("[[")
        if header is not None and (array_entry or key_values or not headed or self.chance(0.5)):
            self.lines.append(header)
        for line in key_values:
            self.lines.append(line + self.comment())
            if self.chance(0.1):
                self.lines.append(self.rnd.choice(["", "  # [fake.header]", "#x = 1"]))
        for path, tables, pattern in headed:
            for sub_table in tables:
                header_text = pattern.format(self.spaced(self.dotted(path)))
                self.section(path, sub_table, header_text)

    def dotted_lines(self, keys: list[str], table: dict[str, Any]) -> Iterator[str]:
        for key, value in table.items():
            path = keys + [self.key(key)]
            if isinstance(value, dict) and value and self.chance(0.4):
                yield from self.dotted_lines(path, value)
            else:
                yield f"{self.dotted(path)}{self.equals()}{self.inline(value)}"

    def key(self, key: str) -> str:
        if BARE_KEY.fullmatch(key) and self.chance(0.8):
            return key
        if "'" not in key and not any(map(is_control, key)) and self.chance(0.5):
            return f"'{key}'"
        return basic_string(key)

    def dotted(self, keys: list[str]) -> str:
        return self.rnd.choice([".", " . ", ". ", "\t.", "."]).join(keys)

    def spaced(self, text: str) -> str:
        return f" {text} " if self.chance(0.2) else text

    def equals(self) -> str:
        return self.rnd.choice([" = ", "=", "\t=  "])

    def comment(self) -> str:
        return self.rnd.choice(["", "", " # note", ' # "x" = [1, {', "# ]]'''"])

    def inline(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return hex(value) if value >= 0 and self.chance(0.2) else str(value)
        if isinstance(value, float):
            return {float("inf"): "inf", float("-inf"): "-inf"}.get(value, repr(value))
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, list):
            items = [self.inline(item) for item in value]
            if items and self.chance(0.3):
                body = "".join(f"\n  {item},{self.comment()}" for item in items)
                return f"[{body}\n]"
            trailing = "," if items and self.chance(0.3) else ""
            return "[" + ", ".join(items) + trailing + "]"
        entries = []
        for key, item in value.items():
            if isinstance(item, dict) and item and self.chance(0.3):
                entries.extend(self.dotted_lines([self.key(key)], item))
            else:
                entries.append(f"{self.key(key)} = {self.inline(item)}")
        return "{" + self.rnd.choice([", ", ","]).join(entries) + "}"

    def string(self, text: str) -> str:
        styles = ["basic", "multiline-basic"]
        if not any(map(is_control, text)):
            if "'" not in text:
                styles.append("literal")
            if "'''" not in text:
                styles.append("multiline-literal")
        elif "'''" not in text and all(c == "\n" or not is_control(c) for c in text):
            styles.append("multiline-literal")
        style = self.rnd.choice(styles)
        if style == "basic":
            return basic_string(text)
        if style == "literal":
            return f"'{text}'"
        if style == "multiline-literal":
            return f"'''\n{text}'''"
        escaped = {'"': '\\"', "\\": "\\\\"}
        body = "".join(
            escaped.get(c) or (f"\\u{ord(c):04X}" if is_control(c) and c != "\n" else c)
            for c in text
        )
        return f'"""\n{body}"""'


def is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def data_paths(value: Any, path: Path = ()) -> Iterator[Path]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from data_paths(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from data_paths(child, path + (index,))


def get(data: Any, path: Path) -> Any:
    for elem in path:
        data = data[elem]
    return data


def assert_located_exactly(text: str, result) -> None:
    """Every path is located; scalar spans and key spans reparse to the right thing."""
    data = result.data
    assert set(result.locations.paths()) == set(data_paths(data))
    for path in data_paths(data):
        loc = result.locations.get(path)
        assert 0 <= loc.value_start <= loc.value_end <= len(text)
        if not path:
            continue
        if isinstance(path[-1], int):
            assert loc.key_start is None
        else:
            key = text[loc.key_start : loc.key_end]
            node = tomli.loads(f"{key} = 0")
            while node != 0:
                (last, node), = node.items()
            assert last == path[-1]
        value = get(data, path)
        if not isinstance(value, (dict, list)):
            assert tomli.loads("x = " + text[loc.value_start : loc.value_end])["x"] == value


hypothesis_settings = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@hypothesis_settings
@given(documents, st.randoms(use_true_random=False))
def test_generated_documents_parse_and_locate_exactly(data, rnd):
    text = TomlWriter(rnd).document(data)
    assert tomli.loads(text) == data
    _, result = parse(text)
    assert result.ok
    assert result.data == data
    assert_located_exactly(text, result)


@hypothesis_settings
@given(st.one_of(st.text(), st.text(alphabet="[]{}\"'#=.,\n\r\\ a1", max_size=600)))
def test_never_raises_on_arbitrary_text(text):
    _, result = parse(text)
    for diag in result.diagnostics:
        assert 0 <= diag.start <= len(text)
    if result.ok:
        assert_located_exactly(text, result)


@hypothesis_settings
@given(documents, st.randoms(use_true_random=False), st.data())
def test_never_raises_on_damaged_documents(data, rnd, draw):
    text = TomlWriter(rnd).document(data)
    for _ in range(draw.draw(st.integers(1, 3))):
        at = draw.draw(st.integers(0, len(text)))
        cut = draw.draw(st.integers(0, 3))
        insert = draw.draw(st.text(alphabet="[]{}\"'#=.,\n\r\\ a1", max_size=3))
        text = text[:at] + insert + text[at + cut :]
    _, result = parse(text)
    for diag in result.diagnostics:
        assert 0 <= diag.start <= len(text)
    if result.ok:
        assert_located_exactly(text, result)
