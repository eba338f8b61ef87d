"""Generate the JSON Schemas in `cfglint/schemas/` from the pydantic models.

One schema per dialect, Draft 2020-12. The shipped files are the single source
the validator reads at run time; a test regenerates them and fails when they
are stale. Run `python -m cfglint.generate.schemas` after changing a model.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any, Iterator

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue

from cfglint.harnesses import harness_of_schema, schema_names
from cfglint.validation.validate import schema_filename

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"
SCHEMA_BASE_URL = "https://raw.githubusercontent.com/cfglint/cfglint/main/cfglint/schemas/"

# Keywords whose value maps names to schemas, and keywords whose value is instance data, not a schema.
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_INSTANCE_DATA = ("default", "const", "enum", "examples")


class _KeepFieldDescriptions(GenerateJsonSchema):
    """Keep a field's description next to its `$ref`.

    pydantic drops sibling keys of a `$ref` that repeat the referenced model's own
    (a field documented like its model class loses its description), but editors on
    draft-07 tooling show only what sits on the property itself.
    """

    def handle_ref_overrides(self, json_schema: JsonSchemaValue) -> JsonSchemaValue:
        description = json_schema.get("description")
        result = super().handle_ref_overrides(json_schema)
        if description is not None and "$ref" in result:
            result["description"] = description
        return result


def build_schema(name: str) -> dict[str, Any]:
    """The schema called `name`: a dialect's, or one of a harness's `extra_schemas`."""
    source, title = harness_of_schema(name).schema_source(name)
    module_name, _, class_name = source.partition(":")
    model = getattr(importlib.import_module(module_name), class_name)
    body = model.model_json_schema(by_alias=True, mode="validation", schema_generator=_KeepFieldDescriptions)
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE_URL + schema_filename(name),
    }
    schema.update(body)
    schema["title"] = f"{title} configuration ({name})"
    drop_defaults_editors_must_not_insert(schema)
    return schema


def drop_defaults_editors_must_not_insert(schema: dict[str, Any]) -> None:
    """Remove every `default` that is null or that its own schema rejects.

    Editors insert a property's `default` on completion. pydantic writes `default: null`
    for every optional field (`Absent[X] = None`), where null only means "may be left
    out": the schema rejects it, and even where null is valid it says nothing that
    leaving the key out does not (TOML cannot write it at all). The defaults left are
    the harness defaults the models state (`modeling.py`).
    """
    from jsonschema import Draft202012Validator

    root = Draft202012Validator(schema)  # resolves each node's `#/$defs/...` against the whole schema
    for node in list(_schema_objects(schema)):
        if "default" in node and (node["default"] is None or not root.evolve(schema=node).is_valid(node["default"])):
            del node["default"]


def _schema_objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema object in `node` (a schema), `node` first."""
    if not isinstance(node, dict):
        return
    yield node
    for keyword, value in node.items():
        if keyword in _SCHEMA_MAPS:
            for child in value.values():
                yield from _schema_objects(child)
        elif isinstance(value, list) and keyword not in _INSTANCE_DATA:
            for child in value:
                yield from _schema_objects(child)
        elif keyword not in _INSTANCE_DATA:
            yield from _schema_objects(value)


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    names = (argv if argv else None) or list(schema_names())
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name in names:
        target = SCHEMA_DIR / schema_filename(name)
        target.write_text(render(build_schema(name)), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
