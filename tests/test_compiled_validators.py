"""The validators generated from the shipped schemas (`cfglint.generate.validators`) against jsonschema.

jsonschema is the reference: on every config under `examples/`, the valid configs of the harness
model tests, and hypothesis mutations of them, the generated validator must report exactly the
failures jsonschema reports (same keywords, paths, values, order), hence exactly the same
`SchemaIssue`s. Keywords the shipped schemas do not use yet are checked on small schemas of their own.
"""

from __future__ import annotations

import copy
import datetime
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from cfglint.generate import validators as schemacompile

from cfglint.validation import validate as validation
from cfglint.rules.context import RunOptions
from cfglint.engine.discover import discover
from cfglint.engine.check import load_document
from cfglint.harnesses import harness_for, schema_names
from harnesses.test_claude_code_model import FULL_SETTINGS as CLAUDE_CODE_FULL
from harnesses.test_hermes_model import FULL_CONFIG as HERMES_FULL
from harnesses.test_kilo_model import FULL_CONFIG as KILO_FULL
from harnesses.test_kimi_model import GLM_5_2_CONFIG, KIMI_CLI_FULL_CONFIG, KIMI_CODE_FULL_CONFIG
from harnesses.test_pi import FULL_MODELS as PI_MODELS_FULL, FULL_SETTINGS as PI_SETTINGS_FULL
from harnesses.test_codex_model import FULL_CONFIG as CODEX_FULL, catalog as codex_catalog

REPO = Path(__file__).resolve().parent.parent


SCHEMAS = schema_names()


def _example_configs() -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {name: [] for name in SCHEMAS}
    for candidate in discover([str(REPO / "examples")], dialect=None, homes={}):
        doc = load_document(candidate, RunOptions())
        if doc is not None and doc.parse.ok:
            found[harness_for(doc.dialect).schema_name(doc.path)].append(doc.data)
    return found


CORPUS = _example_configs()
CORPUS["kimi-code"] += [GLM_5_2_CONFIG, KIMI_CODE_FULL_CONFIG]
CORPUS["kimi-cli"].append(KIMI_CLI_FULL_CONFIG)
CORPUS["kilo"].append(KILO_FULL)
CORPUS["claude-code"].append(CLAUDE_CODE_FULL)
CORPUS["hermes"].append(HERMES_FULL)
CORPUS["pi"].append(PI_SETTINGS_FULL)
CORPUS["pi-models"].append(PI_MODELS_FULL)
CORPUS["codex"].append(CODEX_FULL)
# A catalog is read as the companion of the config naming it, which discovery does not list.
CORPUS["codex-catalog"] += [json.loads((REPO / "examples/codex/local-catalog/.codex/models.json").read_text()),
                            codex_catalog()]


def _generated(dialect: str) -> Callable[[Any], list]:
    return importlib.import_module(validation.validator_module_name(dialect)).validate


def _outcome(run: Callable[[], Any]) -> str:
    """What a validator gives, compared as text so that True, 1 and 1.0 stay apart; an
    exception counts too (both validators must fail alike)."""
    try:
        return repr(run())
    except Exception as exc:  # noqa: BLE001  (the comparison is the point)
        return f"raised {type(exc).__name__}: {exc}"


def assert_same_as_reference(instance: Any, dialect: str) -> None:
    failures = _outcome(lambda: _generated(dialect)(instance))
    assert failures == _outcome(lambda: validation._reference_failures(instance, dialect))
    issues = _outcome(lambda: validation.validate(instance, dialect))
    assert issues == _outcome(lambda: validation.validate_reference(instance, dialect))


# -- the generated modules are the ones the shipped schemas give -------------------------------


@pytest.mark.parametrize("dialect", SCHEMAS)
def test_generated_module_is_fresh(dialect: str) -> None:
    committed = schemacompile.validator_path(dialect).read_text(encoding="utf-8")
    assert committed == schemacompile.render(dialect), "run `python -m cfglint.generate.validators`"


@pytest.mark.parametrize("dialect", SCHEMAS)
def test_generated_module_is_used(dialect: str) -> None:
    assert validation._compiled(dialect) is importlib.import_module(validation.validator_module_name(dialect))


# -- the corpus ------------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", SCHEMAS)
def test_corpus_covers_every_dialect(dialect: str) -> None:
    assert len(CORPUS[dialect]) >= 2


@pytest.mark.parametrize(
    ("dialect", "index"), [(dialect, index) for dialect in SCHEMAS for index in range(len(CORPUS[dialect]))]
)
def test_corpus_config(dialect: str, index: int) -> None:
    assert_same_as_reference(CORPUS[dialect][index], dialect)


def _schema_facts(dialect: str) -> tuple[list[tuple[Any, ...]], list[Any], list[Any]]:
    """Paths the schema describes (key `x` in open maps, index 0 in arrays), the numbers its
    bounds use, and its key names and enum/const values: material for mutations that reach
    every definition and every boundary."""
    schema = validation.load_schema(dialect)
    paths: list[tuple[Any, ...]] = []
    bounds: list[Any] = []
    words: list[Any] = []

    def walk(node: Any, path: tuple[Any, ...], seen: frozenset[str]) -> None:
        if not isinstance(node, dict) or len(path) > 8:
            return
        ref = node.get("$ref")
        if ref is not None and ref not in seen:
            walk(schema["$defs"][ref.rpartition("/")[2]], path, seen | {ref})
        bounds.extend(node[k] for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum") if k in node)
        words.extend(node.get("enum", []) + ([node["const"]] if "const" in node else []))
        for name, sub in node.get("properties", {}).items():
            paths.append(path + (name,))
            words.append(name)
            walk(sub, path + (name,), seen)
        if isinstance(node.get("additionalProperties"), dict):
            paths.append(path + ("x",))
            walk(node["additionalProperties"], path + ("x",), seen)
        if isinstance(node.get("items"), dict):
            paths.append(path + (0,))
            walk(node["items"], path + (0,), seen)
        for branch in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
            walk(branch, path, seen)

    walk(schema, (), frozenset())
    numbers = [b + d for b in bounds for d in (-1, -0.5, 0, 0.5, 1)] + [float(b) for b in bounds]
    return paths, list({repr(n): n for n in numbers}.values()), list({repr(w): w for w in words}.values())


FACTS = {dialect: _schema_facts(dialect) for dialect in SCHEMAS}

KEYS = st.one_of(
    st.text(max_size=6),
    st.integers(-3, 3),  # YAML keys: `1:`, `true:`, `null:`, `2024-01-01:`
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, width=16),
    st.dates(),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.sampled_from([0, 1, -1, 1.0, -0.0, 0.5, 1e300, 2**64, float("inf"), float("nan")]),
    st.text(max_size=8),
    st.datetimes(),  # TOML and YAML timestamps
    st.dates(),
    st.times(),
    st.binary(max_size=3),  # YAML !!binary
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)


def _slots(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) pair under `value`: the places a mutation can change."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    found = []
    for key, item in items:
        found.append((value, key))
        found += _slots(item)
    return found


def _put(config: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    """Put `value` at a schema path, replacing what is in the way by the container the path needs."""
    node: Any = config
    for key, following in zip(path, path[1:]):
        if isinstance(node, list):
            node[:] = node or [None]  # an empty array (Codex catalog `experimental_supported_tools = []`)
            key = min(key, len(node) - 1)
        wanted = list if isinstance(following, int) else dict
        if not isinstance(node[key] if isinstance(node, list) else node.get(key), wanted):
            node[key] = [None] if wanted is list else {}
        node = node[key]
    if isinstance(node, list):
        node[:] = node or [None]
    node[min(path[-1], len(node) - 1) if isinstance(node, list) else path[-1]] = value


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@st.composite
def mutated(draw: st.DrawFn, dialect: str) -> Any:
    """A corpus config after one to four mutations: a value replaced (by another type, a
    boundary number, an allowed word), a key deleted, an unknown key (maybe not a string)
    added, a value wrapped in the wrong container, a value put where the schema describes one."""
    paths, numbers, words = FACTS[dialect]
    config = copy.deepcopy(draw(st.sampled_from(CORPUS[dialect])))
    typos = [word + "s" for word in words if isinstance(word, str)]
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["replace", "bound", "word", "delete", "add", "wrap", "schema"]))
        slots = _slots(config)
        if operation == "schema" or not slots:
            _put(config, draw(st.sampled_from(paths)), draw(VALUES | st.sampled_from(numbers or [0])))
            continue
        container, key = draw(st.sampled_from(slots))
        value = container[key]
        if operation == "delete" and isinstance(container, dict):
            del container[key]
        elif operation == "add" and isinstance(value, dict):
            value[draw(KEYS | st.sampled_from(typos))] = draw(VALUES)
        elif operation == "wrap":
            wrappers = [[value], {"value": value}, (value,)] + ([{value}] if _hashable(value) else [])
            container[key] = draw(st.sampled_from(wrappers))
        elif operation == "bound":
            container[key] = draw(st.sampled_from(numbers or [0]))
        elif operation == "word":
            container[key] = copy.deepcopy(draw(st.sampled_from(words)))
        else:
            container[key] = draw(VALUES)
    return config


@pytest.mark.parametrize("dialect", SCHEMAS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_mutated_configs(dialect: str, data: st.DataObject) -> None:
    assert_same_as_reference(data.draw(mutated(dialect)), dialect)


@pytest.mark.parametrize("dialect", SCHEMAS)
@settings(max_examples=100, deadline=None)
@given(instance=VALUES)
def test_arbitrary_documents(dialect: str, instance: Any) -> None:
    assert_same_as_reference(instance, dialect)


# -- keywords the shipped schemas do not use (yet) ---------------------------------------------

SMALL_SCHEMA = {
    "$defs": {
        "node": {
            "type": "object",
            "properties": {"child": {"$ref": "#/$defs/node"}, "n": {"exclusiveMaximum": 3, "const": 2}},
            "patternProperties": {"^p": {"type": "integer"}, "q$": {"maxLength": 2}},
            "additionalProperties": False,
        },
    },
    "type": ["object", "array"],
    "properties": {
        "one": {"oneOf": [{"type": "integer"}, {"minimum": 0}, {"enum": [1, True, None, [1], {"a": 1}]}]},
        "all": {"allOf": [{"minLength": 2}, {"maxLength": 3}, {"type": "string"}]},
        "list": {"items": {"$ref": "#/$defs/node"}, "minItems": 1, "maxItems": 2, "uniqueItems": True},
        "const": {"anyOf": [{"const": 1.5}, {"const": [1, "a"]}, {"const": None}, {"const": {"k": False}}]},
        "map": {"additionalProperties": {"type": "number"}, "patternProperties": {"^x": {"type": "string"}}},
        "root": {"$ref": "#"},
    },
    "required": ["one"],
}


def _compile(schema: dict[str, Any]) -> Callable[[Any], list]:
    namespace: dict[str, Any] = {}
    exec(compile(schemacompile.compile_schema(schema, "test", "0" * 64), "<generated>", "exec"), namespace)  # noqa: S102
    return namespace["validate"]


SMALL_GENERATED = _compile(SMALL_SCHEMA)
SMALL_REFERENCE = Draft202012Validator(SMALL_SCHEMA)


SMALL_LEAVES = SCALARS | st.sampled_from([0, 1, 2, 3, 1.5, "ab", "abcd", True, [1], [1, "a"], {"a": 1}, {"k": False}])
SMALL_NODES = st.recursive(
    st.dictionaries(st.sampled_from(["child", "n", "p1", "aq", "zz"]) | st.deferred(lambda: KEYS), SMALL_LEAVES, max_size=3),
    lambda inner: st.dictionaries(st.sampled_from(["child", "n", "p1"]), inner | SMALL_LEAVES, max_size=3),
    max_leaves=5,
)
SMALL_DOCUMENTS = st.recursive(
    st.fixed_dictionaries({}, optional={
        "one": SMALL_LEAVES,
        "all": SMALL_LEAVES,
        "list": st.lists(SMALL_NODES | st.sampled_from([1, {"n": 2}]), max_size=3),
        "const": SMALL_LEAVES,
        "map": st.dictionaries(st.sampled_from(["x1", "y", "xy"]) | st.deferred(lambda: KEYS), SMALL_LEAVES, max_size=3),
    }),
    lambda inner: st.fixed_dictionaries({}, optional={"root": inner, "one": SMALL_LEAVES}) | st.lists(inner, max_size=2),
    max_leaves=3,
)


@settings(max_examples=500, deadline=None)
@given(instance=SMALL_DOCUMENTS)
def test_small_schema_with_the_other_keywords(instance: Any) -> None:
    expected = _outcome(lambda: [validation._failure(e) for e in SMALL_REFERENCE.iter_errors(instance)])
    assert _outcome(lambda: SMALL_GENERATED(instance)) == expected


@pytest.mark.parametrize(
    "schema",
    [
        {"pattern": "^a"},
        {"properties": {"a": {"not": {}}}},
        {"if": {}, "then": {}},
        {"prefixItems": [{}]},
        {"items": False},
        {"type": "decimal"},
        {"$ref": "other.schema.json#/$defs/a"},
        {"$ref": "#/$defs/missing"},
        {"properties": {"a": {"format": "email"}}},
        {"additionalProperties": {"x-other-annotation": 1}},
        {"anyOf": []},
        {"properties": {"a": {"$defs": {}}}},
        {"properties": {"a": False}},
        {"minimum": "1"},
    ],
)
def test_unsupported_schema_is_refused(schema: dict[str, Any]) -> None:
    with pytest.raises(schemacompile.UnsupportedSchema):
        schemacompile.compile_schema(schema, "test", "0" * 64)


def _assert_compiles_like_jsonschema(schema: dict[str, Any], instances: list[Any]) -> None:
    generated, reference = _compile(schema), Draft202012Validator(schema)
    for instance in instances:
        assert repr(generated(instance)) == repr([validation._failure(e) for e in reference.iter_errors(instance)])


def test_integer_and_number_follow_jsonschema() -> None:
    values = [1.0, -0.0, 1.5, True, False, 2**70, float("inf"), float("nan"), "1", datetime.date(2024, 1, 1)]
    _assert_compiles_like_jsonschema(
        {"properties": {"i": {"type": "integer"}, "n": {"type": "number", "minimum": 0}}},
        [{"i": value, "n": value} for value in values],
    )


def test_deeply_nested_schema_compiles() -> None:
    schema: dict[str, Any] = {"type": "integer", "maximum": 1}
    instance: Any = 2
    for _ in range(3 * schemacompile.MAX_INLINE_DEPTH):
        schema = {"properties": {"a": schema}, "additionalProperties": {"items": {"type": "string"}}}
        instance = {"a": instance, "b": ["x", 1]}
    _assert_compiles_like_jsonschema(schema, [instance, {"a": {"a": True}}])


# -- fallback and staleness -----------------------------------------------------------------


@pytest.fixture
def fresh_lookup():
    validation._compiled.cache_clear()
    yield
    validation._compiled.cache_clear()


def test_missing_module_falls_back_to_jsonschema(monkeypatch, fresh_lookup) -> None:
    monkeypatch.setitem(sys.modules, validation.validator_module_name("kilo"), None)  # import fails
    assert validation._compiled("kilo") is None
    config = {"compation": {"auto": "yes"}, "model": 3}
    assert validation.validate(config, "kilo") == validation.validate_reference(config, "kilo") != []


def test_module_older_than_its_schema_is_checked_by_hash(tmp_path) -> None:
    schema_file = tmp_path / "x.schema.json"
    schema_file.write_bytes(b'{"type": "object"}\n')
    module_file = tmp_path / "x.py"
    module_file.write_text("")
    os.utime(module_file, ns=(1_000_000_000, 1_000_000_000))

    class Module:
        __file__ = str(module_file)
        SCHEMA_SHA256 = "0" * 64

    assert not validation._is_current(Module, str(schema_file))  # type: ignore[arg-type]
    Module.SCHEMA_SHA256 = __import__("hashlib").sha256(schema_file.read_bytes()).hexdigest()
    assert validation._is_current(Module, str(schema_file))  # type: ignore[arg-type]


def test_module_newer_than_its_schema_is_trusted(tmp_path) -> None:
    schema_file = tmp_path / "x.schema.json"
    schema_file.write_bytes(b"{}")
    os.utime(schema_file, ns=(1_000_000_000, 1_000_000_000))
    module_file = tmp_path / "x.py"
    module_file.write_text("")

    class Module:
        __file__ = str(module_file)
        SCHEMA_SHA256 = "not checked"

    assert validation._is_current(Module, str(schema_file))  # type: ignore[arg-type]


# -- the hot path never imports jsonschema ----------------------------------------------------

NO_JSONSCHEMA = """
import sys
from cfglint.cli import cli
try:
    cli.main(["check", *sys.argv[1:]], prog_name="cfglint")
except SystemExit:
    pass
print(sorted(m for m in sys.modules if m.split(".")[0] == "jsonschema"))
print(sorted(m for m in sys.modules if m.startswith("cfglint.validation.generated.")))
"""


def test_check_does_not_import_jsonschema(tmp_path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "CFGLINT_CACHE_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-c", NO_JSONSCHEMA, "examples"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )
    *output, jsonschema_modules, validators = run.stdout.splitlines()
    assert any(" SCH001 " in line for line in output), run.stdout + run.stderr  # schemas were checked
    assert jsonschema_modules == "[]"
    assert validators == repr(sorted(validation.validator_module_name(d) for d in SCHEMAS))
