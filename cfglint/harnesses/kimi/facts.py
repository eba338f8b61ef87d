"""Facts read from the shipped Kimi harnesses (`data/*.json`, by `tools/extract/kimi_code.py`, `kimi_cli.py`).

The JSON files are the one source of the config schemas of Kimi Code 2.1.0 and kimi-cli
1.49.0: the pydantic models (`model.py`) are built from them, and the harness unit reads
Kimi Code's deprecated keys and the requirements of a usable model from them. Regenerate
them with `python -m tools.extract.kimi_code` and `python -m tools.extract.kimi_cli`.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any, Iterator

DATA = Path(__file__).with_name("data") / "kimi_code_config.json"


@cache
def kimi_code_facts() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def wire_types() -> tuple[str, ...]:
    """Provider types Kimi Code 2.1.0 can send requests through (any other string loads, unusable)."""
    return tuple(kimi_code_facts()["wire_types"])


def kimi_cli_only_provider_types() -> frozenset[str]:
    """Provider types kimi-cli 1.49.0 accepts that Kimi Code 2.1.0 cannot send requests through."""
    cli_types = kimi_cli_facts()["config"]["properties"]["providers"]["values"]["properties"]["type"]["enum"]
    return frozenset(cli_types) - frozenset(wire_types())


def kimi_code_only_provider_types() -> frozenset[str]:
    """Wire types of Kimi Code 2.1.0 that kimi-cli 1.49.0 rejects (`openai`, `google-genai`)."""
    cli_types = kimi_cli_facts()["config"]["properties"]["providers"]["values"]["properties"]["type"]["enum"]
    return frozenset(wire_types()) - frozenset(cli_types)


def migrate_type_renames() -> dict[str, str]:
    """The Kimi Code type `kimi migrate` gives each kimi-cli provider type it renames."""
    return kimi_code_facts()["migrate_type_renames"]


def deprecated_keys() -> Iterator[tuple[str, str, str]]:
    """(section, old key, replacement) of the keys Kimi Code 2.1.0 ignores with a warning."""
    for section, node in kimi_code_facts()["config"]["properties"].items():
        for key, spec in node.get("properties", {}).items():
            if "deprecated" in spec:
                yield section, key, spec["deprecated"]


def model_requirements() -> list[dict[str, Any]]:
    """What a `[models.x]` entry needs to be usable: one of `one_of_keys` (in the entry or its
    `overrides`), else Kimi Code fails with `message` when the model is selected."""
    return kimi_code_facts()["model_requirements"]


@cache
def kimi_cli_facts() -> dict[str, Any]:
    """kimi-cli 1.49.0's config model (`data/kimi_cli_config.json`, by `tools/extract/kimi_cli.py`)."""
    return json.loads(DATA.with_name("kimi_cli_config.json").read_text(encoding="utf-8"))


def section_keys(facts: dict[str, Any], path: tuple[str, ...]) -> frozenset[str]:
    """Keys of the object at `path` ("*" = an entry of a map) in an extracted schema."""
    node = facts["config"]
    for key in path:
        node = node["values"] if key == "*" else node["properties"][key]
    return frozenset(node["properties"])


def kimi_code_only_keys(path: tuple[str, ...]) -> frozenset[str]:
    """Keys Kimi Code 2.1.0 reads at `path` that kimi-cli 1.49.0 does not know."""
    return section_keys(kimi_code_facts(), path) - section_keys(kimi_cli_facts(), path)


def unknown_keys_policy(facts: dict[str, Any], path: tuple) -> str | None:
    """What the harness does with an unknown key inside the object at `path` (`drop`, `keep`,
    `reject`; None when the path leaves the schema)."""
    node = facts["config"]
    for key in path:
        if "any_of" in node:
            node = next((b for b in node["any_of"] if b.get("type") == ("array" if isinstance(key, int) else "object")),
                        node["any_of"][0])
        kind = node.get("type")
        if kind == "record":
            node = node["values"]
        elif kind == "array" and isinstance(key, int):
            node = node["items"]
        elif kind == "object" and key in node["properties"]:
            node = node["properties"][key]
        else:
            return None
    if "any_of" in node:
        node = next((b for b in node["any_of"] if b.get("type") == "object"), node)
    return node.get("unknown_keys")


# pydantic v2 lax mode (kimi-cli's `Config.model_validate`): the strings a bool field accepts.
_LAX_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_LAX_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
_NOT_LAX = object()


def lax_value(kind: str, value: Any) -> Any:
    """What pydantic's lax mode makes of `value` for a field of JSON type `kind` (`integer`,
    `number`, `boolean`), or `_NOT_LAX` when it rejects it. Values of the right type pass as they are."""
    if isinstance(value, bool):
        return value if kind == "boolean" else _NOT_LAX
    if kind == "boolean":
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _LAX_TRUE | _LAX_FALSE:
            return value.strip().lower() in _LAX_TRUE
        return _NOT_LAX
    if isinstance(value, str):
        try:
            value = int(value.strip()) if kind == "integer" else float(value.strip())
        except ValueError:
            try:
                value = float(value.strip())
            except ValueError:
                return _NOT_LAX
    if kind == "integer" and isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else _NOT_LAX
    return value if isinstance(value, (int, float)) else _NOT_LAX


def lax_integer(value: Any) -> int | None:
    """An integer setting as kimi-cli reads it (`"131072"` too); None when it is not one."""
    parsed = lax_value("integer", value)
    return parsed if isinstance(parsed, int) and not isinstance(parsed, bool) else None


def lax_number(value: Any) -> float | None:
    """A number setting as kimi-cli reads it (`"0.85"` too); None when it is not one."""
    parsed = lax_value("number", value)
    return parsed if isinstance(parsed, (int, float)) and not isinstance(parsed, bool) else None


def coerced_values(data: Any, node: dict[str, Any], path: tuple = ()) -> Iterator[tuple[tuple, dict[str, Any], Any]]:
    """(path, field schema, value) of every number or boolean field written as a string (or a
    boolean written as an integer), for a harness whose validation coerces them
    (`"coercion": "pydantic-lax"`)."""
    kind = node.get("type")
    if kind == "object" and isinstance(data, dict):
        for key, child in node["properties"].items():
            if key in data and "alias_of" not in child:  # an old key name is judged on its own
                yield from coerced_values(data[key], child, (*path, key))
    elif kind == "record" and isinstance(data, dict):
        for key, value in data.items():
            yield from coerced_values(value, node["values"], (*path, key))
    elif kind == "array" and isinstance(data, list):
        for index, value in enumerate(data):
            yield from coerced_values(value, node["items"], (*path, index))
    elif kind in ("integer", "number", "boolean") and (isinstance(data, str) or (kind == "boolean" and type(data) is int)):
        yield path, node, data  # what the schema lets through for the value checks to judge


def is_lax_rejected(spec: dict[str, Any], value: Any) -> str | None:
    """Why pydantic's lax mode rejects `value` for `spec`, or None when it accepts it."""
    parsed = lax_value(spec["type"], value)
    if parsed is _NOT_LAX:
        return f"not a valid {spec['type']}"
    if "minimum" in spec and parsed < spec["minimum"]:
        return f"{parsed} is below {spec['minimum']}"
    if "maximum" in spec and parsed > spec["maximum"]:
        return f"{parsed} is above {spec['maximum']}"
    return None


def section_aliases(facts: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(section, alias, key, schema) of the old key names a top-level section also accepts
    (pydantic `AliasChoices`: the alias is read only when the key itself is absent)."""
    for section, node in facts["config"]["properties"].items():
        for alias, spec in node.get("properties", {}).items():
            if "alias_of" in spec:
                yield section, alias, spec["alias_of"], spec
