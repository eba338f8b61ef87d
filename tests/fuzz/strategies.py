"""Hypothesis strategies: config files of every dialect, as a fuzzer or a typo writes them.

A case is one file (its dialect's file name and bytes) plus the `--env` values a run
passes. Files come from three sources:

- documents walked from the dialect's own JSON Schema (cfglint/schemas/), so the keys
  are the harness's real key names, with values drawn from extremes;
- the examples/ configs with a few values replaced by extremes (these reach the
  resolvers: the model references resolve);
- raw byte mutations of the examples.

Numbers that no Python value can carry into a file (a 5,000-digit integer, `1e400`,
`nan` in each syntax) are `Literal`s, written verbatim by the emitters. Credential
values are random 32-character secrets, recorded on the case so a test can look for
them in the output.
"""

from __future__ import annotations

import copy
import json
import re
import string
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import json5
import yaml
from hypothesis import strategies as st

from tests.resolvers.conftest import FILE_NAMES  # each dialect's file name

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "cfglint" / "schemas"

DIALECTS = tuple(FILE_NAMES)
SYNTAX = {"kimi-code": "toml", "kimi-cli": "toml", "kilo": "json", "claude-code": "json", "hermes": "yaml"}
EXAMPLES = {
    "kimi-code": ("examples/kimi-code/team/.kimi-code/config.toml", "examples/kimi-code/glm-5.2/.kimi-code/config.toml"),
    "kimi-cli": ("examples/kimi-cli/.kimi/config.toml",),
    "kilo": ("examples/kilo/bad/kilo.jsonc", "examples/kilo/good/kilo.jsonc", "examples/kilo/custom-provider/kilo.jsonc"),
    "claude-code": ("examples/claude-code/.claude/settings.json",),
    "hermes": ("examples/hermes/.hermes/config.yaml",),
}
# Where each harness reads a credential, and the environment variables its resolver reads as numbers.
CREDENTIAL_PATHS = {
    "kimi-code": (("providers", "moonshot", "api_key"), ("providers", "zhipu", "api_key")),
    "kimi-cli": (("providers", "moonshot", "api_key"),),
    "kilo": (("provider", "zhipu", "options", "apiKey"), ("provider", "anthropic", "options", "apiKey")),
    "claude-code": (("env", "ANTHROPIC_API_KEY"), ("env", "ANTHROPIC_AUTH_TOKEN")),
    "hermes": (("model", "api_key"), ("providers", "anthropic", "api_key")),
}
NUMBER_ENV = {
    "kimi-code": ("KIMI_MODEL_MAX_CONTEXT_SIZE", "KIMI_MODEL_MAX_OUTPUT_SIZE", "KIMI_MODEL_MAX_TOKENS",
                  "KIMI_MODEL_MAX_COMPLETION_TOKENS"),
    "kimi-cli": ("KIMI_MODEL_MAX_CONTEXT_SIZE", "KIMI_MODEL_MAX_OUTPUT_SIZE", "KIMI_MODEL_MAX_TOKENS"),
    "kilo": ("KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX",),
    "claude-code": ("CLAUDE_CODE_MAX_OUTPUT_TOKENS", "CLAUDE_AUTOCOMPACT_PCT_OVERRIDE", "CLAUDE_CODE_AUTO_COMPACT_WINDOW",
                    "CLAUDE_CODE_MAX_CONTEXT_TOKENS", "CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE", "MAX_THINKING_TOKENS"),
    "hermes": ("HERMES_MAX_TOKENS",),
}
SECRET_ALPHABET = string.ascii_letters + string.digits
MAX_DEPTH = 3  # of the schema walk; deep nesting comes from `Literal` nests


@dataclass(frozen=True)
class Literal:
    """A value written verbatim, per syntax (`text[syntax]`, or `text["any"]`)."""

    text: dict[str, str]

    def render(self, syntax: str) -> str:
        return self.text.get(syntax, self.text.get("any", "0"))


def _number(any_syntax: str, **per_syntax: str) -> Literal:
    return Literal({"any": any_syntax, **per_syntax})


def _digits(count: int) -> Literal:
    """An integer literal of `count` digits (no Python int: str() of one is limited to 4,300 digits)."""
    return _number("9" * count)


def _nested(depth: int) -> Literal:
    return _number("[" * depth + "1" + "]" * depth)


EXTREME_NUMBERS = (
    0, -1, 1, 2**31, 2**53, 2**53 + 1, 2**63, 2**64, 10**308, 2**1024, -(2**1024), 0.5, 1e-320, 1e308, -1e308,
    _number("1e400"), _number("-1e400"), _number("1.0e+400"), _digits(400), _digits(4300), _digits(4301),
    _digits(5000),
    _number("nan", json="NaN", yaml=".nan"), _number("inf", json="Infinity", yaml=".inf"),
    _number("-inf", json="-Infinity", yaml="-.inf"), _number("nan", yaml="nan"),  # a string to YAML
    _nested(255), _nested(256), _nested(257), _nested(300),
)
# Numbers written as strings: the environment, Hermes' "256K", Claude Code's env block.
NUMBER_STRINGS = ("0", "-1", "1e400", "-1e400", "nan", "NaN", "inf", "Infinity", "-Infinity", "9" * 5000,
                  str(2**1024), "1" + "0" * 400, "256K", "1e3K", "9" * 400 + "K", "0x10", "1_000", " 12 ", "", "١٢")


@cache
def schema(dialect: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{dialect}.schema.json").read_text(encoding="utf-8"))


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = {**root.get("$defs", {}).get(name, {}), **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def secrets() -> st.SearchStrategy[str]:
    """A random 32-character alphanumeric secret (never low-entropy: it must not occur in output by chance)."""
    return st.randoms(use_true_random=False).map(lambda rng: "".join(rng.choices(SECRET_ALPHABET, k=32)))


def texts() -> st.SearchStrategy[str]:
    huge = st.builds(lambda char, count: char * count, st.characters(), st.sampled_from((1_000, 20_000)))
    return st.one_of(st.text(max_size=30), st.sampled_from(NUMBER_STRINGS), huge,
                     st.text(st.characters(codec="utf-8", max_codepoint=0x9F), max_size=20))  # control characters


def extremes() -> st.SearchStrategy[Any]:
    extreme = st.sampled_from(EXTREME_NUMBERS)
    return st.one_of(extreme, extreme, extreme, st.integers(), st.floats(), st.booleans(),
                     st.sampled_from(NUMBER_STRINGS), st.none())


@st.composite
def _value(draw: st.DrawFn, node: Any, root: dict[str, Any], depth: int) -> Any:
    """A value for schema `node`: mostly of its type, often an extreme of another type."""
    node = _resolve(node, root)
    if not isinstance(node, dict) or depth > MAX_DEPTH or draw(st.integers(0, 4)) == 0:
        return draw(st.one_of(extremes(), texts()))
    for combinator in ("anyOf", "oneOf"):
        if combinator in node:
            return draw(_value(draw(st.sampled_from(node[combinator])), root, depth))
    if "enum" in node:
        return draw(st.sampled_from(node["enum"]))
    if "const" in node:
        return node["const"]
    kind = node.get("type")
    if isinstance(kind, list):
        kind = draw(st.sampled_from(kind))
    if kind in ("integer", "number"):
        bounds = [node[k] for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum") if k in node]
        return draw(st.one_of(extremes(), st.sampled_from(bounds or [0])))
    if kind == "string":
        return draw(texts())
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "array":
        return draw(st.lists(_value(node.get("items", {}), root, depth + 1), max_size=3))
    if kind == "object" or "properties" in node or "additionalProperties" in node:
        return draw(_object(node, root, depth))
    return draw(extremes())


@st.composite
def _object(draw: st.DrawFn, node: dict[str, Any], root: dict[str, Any], depth: int) -> dict[str, Any]:
    properties = node.get("properties", {})
    names = draw(st.lists(st.sampled_from(sorted(properties)), unique=True, max_size=4)) if properties else []
    result = {name: draw(_value(properties[name], root, depth + 1)) for name in names}
    extra = node.get("additionalProperties", True)
    if extra is not False and draw(st.booleans()):
        value_schema = extra if isinstance(extra, dict) else {}
        for key in draw(st.lists(st.one_of(st.sampled_from(("moonshot", "zhipu", "glm-5.2", "k3", "anthropic")),
                                           st.text(max_size=12)), unique=True, max_size=3)):
            result[key] = draw(_value(value_schema, root, depth + 1))
    return result


def _set_path(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    node = document
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[path[-1]] = value


def _leaf_paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict) and data:
        return [p for key, value in data.items() for p in _leaf_paths(value, path + (key,))]
    if isinstance(data, list) and data:
        return [p for index, value in enumerate(data) for p in _leaf_paths(value, path + (index,))]
    return [path] if path else []


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _is_number(value: Any) -> bool:
    """A number, or a string holding one (Claude Code's env block, Hermes' `"256K"`)."""
    if isinstance(value, str):
        return re.fullmatch(r"\s*[0-9.]+[KkMm]?\s*", value) is not None
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _replace(data[head], rest, value)}
    return [_replace(item, rest, value) if index == head else item for index, item in enumerate(data)]


@cache
def example_documents(dialect: str) -> tuple[Any, ...]:
    loaders = {"toml": tomllib.loads, "json": json5.loads, "yaml": yaml.safe_load}
    return tuple(loaders[SYNTAX[dialect]]((REPO / name).read_text(encoding="utf-8")) for name in EXAMPLES[dialect])


@st.composite
def _mutated_example(draw: st.DrawFn, dialect: str) -> Any:
    """An example config with up to four values (numbers above all) replaced by extremes."""
    document = draw(st.sampled_from(example_documents(dialect)))
    for _ in range(draw(st.integers(1, 4))):
        paths = _leaf_paths(document)
        numbers = [p for p in paths if _is_number(_get(document, p))]
        if numbers and draw(st.booleans()):
            document = _replace(document, draw(st.sampled_from(numbers)), draw(extremes()))
        elif paths:
            document = _replace(document, draw(st.sampled_from(paths)), draw(st.one_of(extremes(), texts())))
    return document


@dataclass
class Case:
    """One fuzzed input: a file of `dialect` and what the run is given."""

    dialect: str
    content: bytes
    env: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return FILE_NAMES[self.dialect]

    def __repr__(self) -> str:  # hypothesis prints this for a failing example: keep it short
        shown = self.content if len(self.content) <= 2_000 else self.content[:2_000] + b"..."
        return f"Case({self.dialect!r}, content={shown!r}, env={ {k: v[:40] for k, v in self.env.items()} })"


# Emitters: every syntax written by hand, so `Literal`s and extreme values land in the file as is.


def _json(value: Any) -> str:
    if isinstance(value, Literal):
        return value.render("json")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_json(v) for v in value) + "]"
    if isinstance(value, float) and value != value:
        return "NaN"
    return json.dumps(value, ensure_ascii=False)  # inf -> Infinity


def _toml_string(text: str) -> str:
    return json.dumps(text).replace("\x7f", "\\u007f")  # JSON escapes are TOML basic-string escapes


def _toml_key(key: Any) -> str:
    return _toml_string(str(key))


def _toml_value(value: Any) -> str:
    if isinstance(value, Literal):
        return value.render("toml")
    if value is None:
        return '""'  # TOML has no null
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if value != value else ("inf" if value == float("inf") else "-inf" if value == float("-inf")
                                               else repr(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


def _toml(document: dict[str, Any], table: tuple[str, ...] = ()) -> str:
    lines = [f"[{'.'.join(_toml_key(k) for k in table)}]"] if table else []
    lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in document.items() if not isinstance(v, dict)]
    for key, value in document.items():
        if isinstance(value, dict):
            lines.append(_toml(value, table + (str(key),)))
    return "\n".join(lines) + "\n"


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, Literal):
        return value.render("yaml")
    if value is None:
        return "null"
    if isinstance(value, float):
        return ".nan" if value != value else (".inf" if value == float("inf") else "-.inf" if value == float("-inf")
                                              else repr(value))
    if isinstance(value, (dict, list)):
        return _json(value)  # flow style: JSON is YAML
    return json.dumps(value, ensure_ascii=False)


def _yaml(document: dict[str, Any], indent: int = 0) -> str:
    lines = []
    for key, value in document.items():
        prefix = " " * indent + json.dumps(str(key), ensure_ascii=False) + ":"
        if isinstance(value, dict) and value:
            lines.append(prefix + "\n" + _yaml(value, indent + 2))
        else:
            lines.append(f"{prefix} {_yaml_scalar(value)}\n")
    return "".join(lines)


def emit(dialect: str, document: Any) -> bytes:
    syntax = SYNTAX[dialect]
    if not isinstance(document, dict):
        text = _json(document)
    elif syntax == "toml":
        text = _toml(document)
    elif syntax == "yaml":
        text = _yaml(document)
    else:
        text = _json(document)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def _with_secrets(draw: st.DrawFn, dialect: str, document: Any) -> Case:
    """The document with a secret under a credential key, and numbers (and an `{env:X}` secret) in the env."""
    document = copy.deepcopy(document)  # the examples are shared between cases
    recorded: list[str] = []
    env: dict[str, str] = {}
    if isinstance(document, dict):
        for path in draw(st.lists(st.sampled_from(CREDENTIAL_PATHS[dialect]), unique=True, max_size=2)):
            recorded.append(draw(secrets()))
            _set_path(document, path, recorded[-1])
        if dialect == "kilo" and draw(st.booleans()):  # Kilo substitutes `{env:X}` anywhere
            recorded.append(draw(secrets()))
            env["FUZZ_SECRET"] = recorded[-1]
            token = draw(st.sampled_from(("{env:FUZZ_SECRET}", "p/{env:FUZZ_SECRET}", "x {env:FUZZ_SECRET} y")))
            paths = _leaf_paths(document)
            if paths:
                document = _replace(document, draw(st.sampled_from(paths)), token)
            else:
                document["model"] = token
    for name in draw(st.lists(st.sampled_from(NUMBER_ENV[dialect]), unique=True, max_size=2)):
        env[name] = draw(st.sampled_from(NUMBER_STRINGS))
    return Case(dialect, emit(dialect, document), env, recorded)


@st.composite
def _byte_mutation(draw: st.DrawFn, dialect: str) -> Case:
    """An example file with its bytes cut, repeated, overwritten or interleaved with extreme literals."""
    data = bytearray((REPO / draw(st.sampled_from(EXAMPLES[dialect]))).read_bytes())
    syntax = SYNTAX[dialect]
    for _ in range(draw(st.integers(1, 5))):
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + 64)))
        operation = draw(st.sampled_from(("delete", "insert", "literal", "duplicate", "overwrite")))
        if operation == "delete":
            del data[start:end]
        elif operation == "insert":
            data[start:start] = draw(st.binary(min_size=1, max_size=16))
        elif operation == "literal":
            literal = draw(st.sampled_from([n for n in EXTREME_NUMBERS if isinstance(n, Literal)]))
            data[start:end] = literal.render(syntax).encode()
        elif operation == "duplicate":
            data[start:start] = data[start:end] * draw(st.integers(1, 50))
        else:
            data[start:end] = bytes(draw(st.integers(0, 255)) for _ in range(end - start))
    return Case(dialect, bytes(data))


@st.composite
def _structured(draw: st.DrawFn, dialect: str) -> Case:
    root = schema(dialect)
    document = draw(st.one_of(_mutated_example(dialect), _object(root, root, 0)))
    return draw(_with_secrets(dialect, document))


def cases(dialects: tuple[str, ...] = DIALECTS) -> st.SearchStrategy[Case]:
    """Fuzzed inputs of `dialects`: structured documents (3 in 4) and byte mutations."""
    return st.sampled_from(dialects).flatmap(
        lambda dialect: st.one_of(_structured(dialect), _structured(dialect), _structured(dialect),
                                  _byte_mutation(dialect)))


def secret_windows(secret: str, width: int = 6) -> list[str]:
    """Every `width`-character piece of `secret`: any one of them in the output reveals more than 4 characters."""
    return [secret[i : i + width] for i in range(len(secret) - width + 1)]


