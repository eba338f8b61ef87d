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
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue

from cfglint.harnesses import harness_of_schema, schema_names
from cfglint.validation.validate import schema_filename

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"
SCHEMA_BASE_URL = "https://raw.githubusercontent.com/cfglint/cfglint/main/cfglint/schemas/"



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
    return schema


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
