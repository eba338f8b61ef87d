"""Kimi Code's config.toml schema, read from the shipped bundle `@moonshot-ai/kimi-code` `dist/main.mjs`.

Kimi Code (v2 engine) validates config.toml section by section: every
`registerConfigSection(domain, zodSchema, options)` call registers one top-level key
(`camelToSnake(domain)`), and `kimi doctor config` warns about any other top-level key
except the schemaless `SCHEMALESS_DOMAINS`. This script finds those calls, reads each
zod schema expression (`object({...})`, `number$1().int().min(1).optional()`, ...)
with a small JavaScript expression parser, and writes the result as a plain schema
description (`cfglint/harnesses/kimi/data/kimi_code_config.json`) that the Kimi Code
pydantic model is built from. The anchors are the zod builder functions (classified by
the zod class each one constructs), `registerConfigSection(`, `SCHEMALESS_DOMAINS`,
the `deprecations` option and the TOML shorthands of `permissionFromToml`; minified
names are never hard-coded.

Unknown keys: a zod `object()` drops them silently, `.strict()` rejects the entry,
`.passthrough()` / `looseObject()` keeps them (nothing reads them).
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path
from typing import Any

from tools.extract.common import REPO, npm_artifact, read_from_tgz, render, write_outputs

PACKAGE, VERSION = "@moonshot-ai/kimi-code", "2.1.0"
BUNDLE = "package/dist/main.mjs"
OUTPUT = REPO / "cfglint" / "harnesses" / "kimi" / "data" / "kimi_code_config.json"
OUTPUTS = (OUTPUT,)  # every file this script writes
ZOD_SCHEMAS_REGION = re.compile(r"^//#region [^\n]*/zod/v4/classic/schemas\.js$", re.M)

# --- a parser for the JavaScript expressions zod schemas are written in ---------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<tpl>`(?:[^`\\]|\\.)*`)
  | (?P<id>[A-Za-z_$][\w$]*)
  | (?P<punct>=>|\.\.\.|\?\?|===|!==|==|!=|<=|>=|&&|\|\||\?\.|[-+*/%(){}\[\],.:;?!<>=&|])
""", re.X | re.S)


class _Opaque:
    """A value the parser skipped (a function, a template string, ...)."""

    def __repr__(self) -> str:
        return "<opaque>"


OPAQUE = _Opaque()


class _Parser:
    """Parses one expression starting at `pos` into tuples: ("id", name), ("lit", value),
    ("arr", items), ("obj", [(key, expr)]), ("call", callee, args), ("get", obj, name),
    ("bin", op, left, right), ("neg", expr); functions become OPAQUE."""

    def __init__(self, text: str, pos: int) -> None:
        self.text, self.pos = text, pos
        self.token: tuple[str, str] = ("", "")
        self._next()

    def _next(self) -> None:
        while True:
            match = _TOKEN.match(self.text, self.pos)
            if match is None:
                self.token = ("end", "")
                return
            self.pos = match.end()
            if match.lastgroup != "space":
                self.token = (match.lastgroup, match.group())
                return

    def _take(self, value: str) -> None:
        if self.token[1] != value:
            raise ValueError(f"expected {value!r}, got {self.token[1]!r} at {self.pos}")
        self._next()

    def expression(self) -> Any:
        left = self._unary()
        while self.token[1] in ("*", "/", "+", "-"):
            op = self.token[1]
            self._next()
            left = ("bin", op, left, self._unary())
        return left

    def _unary(self) -> Any:
        if self.token[1] == "-":
            self._next()
            return ("neg", self._unary())
        return self._postfix(self._primary())

    def _postfix(self, node: Any) -> Any:
        while True:
            if self.token[1] == ".":
                self._next()
                node = ("get", node, self.token[1])
                self._next()
            elif self.token[1] == "(":
                node = ("call", node, self._list("(", ")"))
            else:
                return node

    def _list(self, open_: str, close: str) -> list[Any]:
        self._take(open_)
        items = []
        while self.token[1] != close:
            items.append(self.expression())
            if self.token[1] == ",":
                self._next()
        self._take(close)
        return items

    def _primary(self) -> Any:
        kind, value = self.token
        if kind == "num":
            self._next()
            number = float(value)  # `5e4` is the integer 50000, `.85` a fraction
            return ("lit", int(number) if number.is_integer() and "." not in value else number)
        if kind == "str":
            self._next()
            return ("lit", bytes(value[1:-1], "utf-8").decode("unicode_escape"))
        if kind == "tpl":
            self._next()
            return OPAQUE
        if kind == "id":
            self._next()
            if value in ("true", "false"):
                return ("lit", value == "true")
            if value == "new":
                return ("new", self._postfix(self._primary()))
            if self.token[1] == "=>":
                return self._arrow_body()
            return ("id", value)
        if value == "[":
            return ("arr", self._list("[", "]"))
        if value == "{":
            return self._object()
        if value == "(":
            start = self.pos
            depth = 1
            while depth:  # an arrow function's parameters, or a parenthesised expression
                self._next()
                depth += {"(": 1, ")": -1}.get(self.token[1], 0)
            self._next()
            if self.token[1] == "=>":
                return self._arrow_body()
            return _Parser(self.text, start).expression()
        raise ValueError(f"unexpected {value!r} at {self.pos}")

    def _arrow_body(self) -> Any:
        self._take("=>")
        if self.token[1] == "{":
            self._skip_balanced("{", "}")
        else:
            self.expression()
        return OPAQUE

    def _skip_balanced(self, open_: str, close: str) -> None:
        depth = 0
        while True:
            depth += {open_: 1, close: -1}.get(self.token[1], 0)
            self._next()
            if depth == 0:
                return

    def _object(self) -> Any:
        self._take("{")
        entries = []
        while self.token[1] != "}":
            if self.token[1] == "...":
                self._next()
                entries.append(("...", self.expression()))
            elif self.token[1] == "[":
                self._next()
                key = self.expression()
                self._take("]")
                self._take(":")
                entries.append((key, self.expression()))
            else:
                kind, key = self.token
                key = key[1:-1] if kind == "str" else key
                self._next()
                if self.token[1] == ":":
                    self._next()
                    entries.append((key, self.expression()))
                elif self.token[1] == "(":  # a method
                    self._skip_balanced("(", ")")
                    self._skip_balanced("{", "}")
                    entries.append((key, OPAQUE))
                else:
                    entries.append((key, ("id", key)))
            if self.token[1] == ",":
                self._next()
        self._take("}")
        return ("obj", entries)


# --- the bundle: definitions and zod builders ---------------------------------------------


def camel_to_snake(name: str) -> str:
    """Kimi Code's `camelToSnake` (app/config/toml.ts)."""
    return re.sub(r"[A-Z]", lambda m: "_" + m.group().lower(), name)


class _Bundle:
    def __init__(self, text: str) -> None:
        self.text = text
        self._values: dict[str, Any] = {}
        self._offsets: dict[str, int] = {}
        for match in re.finditer(r"^(?:\t+|const |let )([\w$]+) = ", text, re.M):
            self._offsets.setdefault(match.group(1), match.end())
        self.builders = self._zod_builders()

    def definition(self, name: str) -> Any:
        """The parsed right-hand side of the first `NAME = ...` assignment of a module-level
        name (inside a module's init function, or a top-level `const`)."""
        if name not in self._values:
            if name not in self._offsets:
                raise LookupError(f"no definition of {name}")
            self._values[name] = _Parser(self.text, self._offsets[name]).expression()
        return self._values[name]

    def _zod_builders(self) -> dict[str, str]:
        """Minified name -> zod builder kind, read from zod's `classic/schemas.js` region: each
        `function NAME(...)` is classified by the zod class it constructs."""
        start = ZOD_SCHEMAS_REGION.search(self.text)
        if start is None:
            raise LookupError("zod classic/schemas.js region not found")
        end = self.text.index("\n//#endregion", start.end())
        region = self.text[start.end():end]
        kinds = {"ZodString": "string", "ZodNumber": "number", "ZodNumberFormat": "integer",
                 "ZodBoolean": "boolean", "ZodAny": "any", "ZodUnknown": "any", "ZodArray": "array",
                 "ZodObject": "object", "ZodUnion": "union", "ZodRecord": "record", "ZodEnum": "enum",
                 "ZodLiteral": "literal"}
        builders: dict[str, str] = {}
        functions = list(re.finditer(r"^function ([\w$]+)\(", region, re.M))
        for here, following in zip(functions, functions[1:] + [None]):
            body = region[here.end():following.start() if following else len(region)]
            zod_class = re.search(r"\b(Zod[A-Za-z]+)(?:\$\d+)?(?![\w$])", body)
            kind = kinds.get(zod_class.group(1)) if zod_class else None
            if kind == "object":
                kind = "loose_object" if "catchall: unknown()" in body else (
                    "strict_object" if "catchall: never()" in body else "object")
            if kind is not None:
                builders.setdefault(here.group(1), kind)
        missing = {"string", "number", "boolean", "array", "object", "record", "enum"} - set(builders.values())
        if missing:
            raise LookupError(f"zod builders not found: {sorted(missing)}")
        return builders


# --- evaluation: parsed zod expressions -> schema descriptions -------------------------------


def _value(bundle: _Bundle, node: Any) -> Any:
    """A plain value (literal, array, object, arithmetic), resolving identifiers."""
    kind = node[0] if isinstance(node, tuple) else None
    if kind == "lit":
        return node[1]
    if kind == "id":
        return math.inf if node[1] == "Infinity" else _value(bundle, bundle.definition(node[1]))
    if kind == "arr":
        return [_value(bundle, item) for item in node[1]]
    if kind == "obj":
        return {key: _value(bundle, value) for key, value in node[1]}
    if kind == "neg":
        return -_value(bundle, node[1])
    if kind == "bin":
        left, right = _value(bundle, node[2]), _value(bundle, node[3])
        result = {"*": left * right, "+": left + right, "-": left - right}.get(node[1])
        if result is None:
            result = left / right
        return int(result) if float(result).is_integer() else result
    raise ValueError(f"not a plain value: {node!r}")


def _schema(bundle: _Bundle, node: Any) -> dict[str, Any]:
    """The description of a zod schema expression."""
    kind = node[0] if isinstance(node, tuple) else None
    if kind == "id":
        return _schema(bundle, bundle.definition(node[1]))
    if kind == "obj" and any(key == "parse" for key, _ in node[1]):
        return {"type": "any"}  # a hand-written `{ parse }` schema (cron): accepts anything
    if kind != "call":
        raise ValueError(f"not a zod schema: {node!r}")
    callee, args = node[1], node[2]
    if callee[0] == "id":
        return _build(bundle, bundle.builders[callee[1]], args)
    if callee[0] == "get":
        return _method(bundle, _schema(bundle, callee[1]), callee[2], args)
    raise ValueError(f"not a zod schema: {node!r}")


def _shape(bundle: _Bundle, node: Any) -> dict[str, dict[str, Any]]:
    return {camel_to_snake(key): _schema(bundle, value) for key, value in node[1]}


def _build(bundle: _Bundle, kind: str, args: list[Any]) -> dict[str, Any]:
    if kind in ("object", "loose_object", "strict_object"):
        unknown = {"object": "drop", "loose_object": "keep", "strict_object": "reject"}[kind]
        return {"type": "object", "properties": _shape(bundle, args[0]), "unknown_keys": unknown}
    if kind == "record":
        return {"type": "record", "values": _schema(bundle, args[1])}
    if kind == "array":
        return {"type": "array", "items": _schema(bundle, args[0])}
    if kind == "enum":
        return {"enum": _value(bundle, args[0])}
    if kind == "literal":
        return {"enum": [_value(bundle, args[0])]}
    if kind == "union":
        return {"any_of": [_schema(bundle, option) for option in args[0][1]]}
    return {"type": kind}


_BOUND = {("string", "min"): "min_length", ("string", "max"): "max_length", ("array", "min"): "min_items",
          ("integer", "min"): "minimum", ("integer", "max"): "maximum",
          ("number", "min"): "minimum", ("number", "max"): "maximum"}


def _method(bundle: _Bundle, schema: dict[str, Any], name: str, args: list[Any]) -> dict[str, Any]:
    out = dict(schema)
    if name == "optional":
        out["optional"] = True
    elif name == "default":
        out["optional"], out["default"] = True, _value(bundle, args[0])
    elif name == "nullable":
        out["nullable"] = True
    elif name == "int":
        out["type"] = "integer"
    elif name in ("min", "max"):
        out[_BOUND[(out["type"], name)]] = _value(bundle, args[0])
    elif name == "positive":
        out["minimum"] = 1 if out["type"] == "integer" else out.setdefault("exclusive_minimum", 0)
    elif name == "nonnegative":
        out["minimum"] = 0
    elif name == "refine":
        out["refined"] = True  # a check in code (e.g. a pattern that must parse): not described
    elif name == "strict":
        out["unknown_keys"] = "reject"
    elif name == "passthrough":
        out["unknown_keys"] = "keep"
    elif name == "partial":
        out["properties"] = {key: {**value, "optional": True} for key, value in out["properties"].items()}
    elif name == "omit":
        omitted = {camel_to_snake(key) for key, _ in args[0][1]}
        out["properties"] = {key: value for key, value in out["properties"].items() if key not in omitted}
    elif name == "extend":
        out["properties"] = {**out["properties"], **_shape(bundle, args[0])}
    else:
        raise ValueError(f"zod method .{name}() not understood")
    return out


# --- the config: registered sections ---------------------------------------------------------


def _registrations(bundle: _Bundle) -> list[list[Any]]:
    calls = []
    for match in re.finditer(r"\bregisterConfigSection\(", bundle.text):
        if bundle.text[max(0, match.start() - 9):match.start()] == "function ":
            continue
        calls.append(_Parser(bundle.text, match.end() - 1)._list("(", ")"))
    return calls


def _deprecations(bundle: _Bundle, options: Any) -> dict[str, str]:
    for key, value in options[1] if options and options[0] == "obj" else []:
        if key == "deprecations":
            return {entry["key"]: entry["replacement"] for entry in _value(bundle, value)}
    return {}


def _section_default(bundle: _Bundle, options: Any) -> Any:
    """The `defaultValue` option of a registration (None when absent or not a plain value)."""
    for key, value in options[1] if options and options[0] == "obj" else []:
        if key == "defaultValue":
            try:
                return _value(bundle, value)
            except (ValueError, LookupError):
                return None
    return None


def _fallback_defaults(bundle: _Bundle, section: dict[str, Any]) -> dict[str, Any]:
    """Defaults applied where a section's value is read: the one `.camelKey ?? VALUE` of the
    bundle for each key (VALUE a literal or `CONSTANT.field`), e.g. `compactionMaxAttempts ?? 5`."""
    found = {}
    for key in section["properties"]:
        camel = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)
        uses = set(re.findall(rf"\.{camel} \?\? ([\w$.]+)", bundle.text))
        if len(uses) != 1:
            continue
        (expression,) = uses
        name, _, field = expression.partition(".")
        try:
            value = _value(bundle, _Parser(expression, 0).expression()) if not field else \
                _value(bundle, bundle.definition(name))[field]
        except (ValueError, LookupError, KeyError):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            found[key] = value
    return found


def _model_requirements(bundle: _Bundle) -> list[dict[str, Any]]:
    """What a model entry must have to be used (`buildModel`: the file loads without them, the
    model fails when selected): a wire-facing name (`name ?? model`) and a window, read from the
    effective record (the entry with its `overrides` applied)."""
    start = bundle.text.index("\t\tbuildModel(id) {")
    body = bundle.text[start:bundle.text.index("\n\t\t}\n", start)]
    if "effectiveRecordOf(definition)" not in body:
        raise LookupError("buildModel no longer reads the effective record")
    wire = re.search(r"const wireName = model\.(\w+) \?\? model\.(\w+);", body)
    checks = re.findall(r"if \((\w+(?:\.\w+)?) === void 0\) throw new Error2\(CONFIG_INVALID_ERROR_CODE, `([^`]*)`", body)
    requirements = []
    for subject, message in checks:
        if subject != "wireName" and not subject.startswith("model."):
            continue  # not about the entry's keys (e.g. an alias that names no entry)
        keys = [camel_to_snake(k) for k in wire.groups()] if subject == "wireName" else \
            [camel_to_snake(subject.removeprefix("model."))]
        requirements.append({"one_of_keys": keys, "message": message.replace("${id}", "<alias>")})
    return requirements


def _function_body(bundle: _Bundle, anchor: str) -> str:
    start = bundle.text.index(anchor)
    return bundle.text[start:bundle.text.index("\n\t};\n", start)]


def _permission_shorthands(bundle: _Bundle, permission: dict[str, Any]) -> dict[str, Any]:
    """`permissionFromToml` reads `rules` and the shorthand lists `deny`/`allow`/`ask` (one table
    or an array of tables; a shorthand list sets the decision itself), each rule as `tool` +
    `match`, or `pattern`. It copies only the keys it knows, so others are dropped unchecked."""
    lists = re.findall(r'appendPermissionRules\(rules, raw\["(\w+)"\](, "\w+")?\)',
                       _function_body(bundle, "permissionFromToml = (rawSnake) =>"))
    start = bundle.text.index("function transformPermissionRule(")
    rule_keys = re.findall(r'rule\["(\w+)"\]', bundle.text[start:bundle.text.index("\n}\n", start)])
    validated = permission["properties"]["rules"]["items"]["properties"]
    properties = {key: value for key, value in permission["properties"].items() if key != "rules"}
    for name, forced_decision in lists:
        fields = {}
        for key in rule_keys:
            field = {k: v for k, v in validated.get(key, {"type": "string"}).items() if k != "refined"}
            fields[key] = field | ({"optional": True} if key != "decision" or forced_decision else {})
        entry = {"type": "object", "unknown_keys": "drop", "properties": fields}
        properties[name] = {"any_of": [entry, {"type": "array", "items": entry}], "optional": True}
    return {**permission, "properties": properties}


def _new_set_items(node: Any) -> Any:
    """The array literal of `new Set([...])`."""
    if node[0] != "new" or node[1][0] != "call":
        raise ValueError(f"not `new Set([...])`: {node!r}")
    return node[1][2][0]


def extract(text: str) -> dict[str, Any]:
    bundle = _Bundle(text)
    sections: dict[str, Any] = {}
    deprecated: dict[str, dict[str, str]] = {}
    for args in _registrations(bundle):
        key = camel_to_snake(_value(bundle, args[0]))
        schema = _schema(bundle, args[1])
        if key in sections and sections[key] != schema:
            raise ValueError(f"section {key} registered twice with different schemas")
        options = args[2] if len(args) > 2 else None
        default = _section_default(bundle, options)
        if isinstance(default, dict) and schema.get("type") == "object":
            default = {camel_to_snake(k): v for k, v in default.items()}
            schema["properties"] = {k: ({**v, "default": default[k]} if k in default else v)
                                    for k, v in schema["properties"].items()}
        elif default is not None and not isinstance(default, dict):
            schema["default"] = default
        sections[key] = schema
        if found := _deprecations(bundle, options):
            deprecated[key] = found
    sections["permission"] = _permission_shorthands(bundle, sections["permission"])
    loop = sections["loop_control"]["properties"]
    for key, value in _fallback_defaults(bundle, sections["loop_control"]).items():
        loop[key] = {**loop[key], "default": value}
    for key in _value(bundle, _new_set_items(bundle.definition("SCHEMALESS_DOMAINS"))):
        sections.setdefault(camel_to_snake(key), {"type": "any"})
    for section, renames in deprecated.items():
        for old, new in renames.items():
            # not in the zod schema: dropped unchecked, `kimi doctor` warns
            sections[section]["properties"][old] = {"type": "any", "optional": True, "deprecated": new}
    return {
        "unknown_top_level_keys": "drop (kimi doctor config warns: Unknown top-level key ignored by the v2 engine)",
        "config": {"type": "object", "unknown_keys": "drop",
                   "properties": {key: {**sections[key], "optional": True} for key in sorted(sections)}},
        # the provider `type`s Kimi Code can send requests through (its REST API's `providerWireTypeSchema`)
        "wire_types": _schema(bundle, ("id", "providerWireTypeSchema"))["enum"],
        "model_requirements": _model_requirements(bundle),
        # what `kimi migrate` renames kimi-cli provider types to
        "migrate_type_renames": _value(bundle, bundle.definition("LEGACY_PROVIDER_TYPE_MAP")),
    }


def generate(download: bool) -> dict[Path, str] | None:
    artifact = npm_artifact(PACKAGE, VERSION, download=download)
    if artifact is None:
        return None
    facts = extract(read_from_tgz(artifact, BUNDLE).decode("utf-8"))
    return {OUTPUT: render(facts, [artifact], "tools/extract/kimi_code.py")}


def main() -> int:
    return write_outputs(generate(download=True))


if __name__ == "__main__":
    sys.exit(main())
