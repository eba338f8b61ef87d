"""Generate the JSON Schemas in `cfglint/schemas/` from the pydantic models.

One schema per dialect, Draft 2020-12. The shipped files are the single source
the validator reads at run time; a test regenerates them and fails when they
are stale. Run `python -m cfglint.schemagen` after changing a model.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue

SCHEMA_DIR = Path(__file__).parent / "schemas"
SCHEMA_BASE_URL = "https://raw.githubusercontent.com/cfglint/cfglint/main/cfglint/schemas/"

# dialect -> (module holding the model, class name, harness display name)
ROOT_MODELS: dict[str, tuple[str, str, str]] = {
    "kimi-code": ("cfglint.harnesses.kimi.model", "KimiCodeConfig", "Kimi Code"),
    "kimi-cli": ("cfglint.harnesses.kimi.model", "KimiCliConfig", "Kimi CLI"),
    "kilo": ("cfglint.harnesses.kilo.model", "KiloConfig", "Kilo Code CLI"),
    "claude-code": ("cfglint.harnesses.claude_code.model", "ClaudeCodeSettings", "Claude Code"),
    "hermes": ("cfglint.harnesses.hermes.model", "HermesConfig", "Hermes Agent"),
}


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


def schema_filename(dialect: str) -> str:
    return f"{dialect}.schema.json"


def build_schema(dialect: str) -> dict[str, Any]:
    module_name, class_name, harness = ROOT_MODELS[dialect]
    model = getattr(importlib.import_module(module_name), class_name)
    body = model.model_json_schema(by_alias=True, mode="validation", schema_generator=_KeepFieldDescriptions)
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE_URL + schema_filename(dialect),
    }
    schema.update(body)
    schema["title"] = f"{harness} configuration ({dialect})"
    return schema


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    dialects = (argv if argv else None) or list(ROOT_MODELS)
    SCHEMA_DIR.mkdir(exist_ok=True)
    for dialect in dialects:
        target = SCHEMA_DIR / schema_filename(dialect)
        target.write_text(render(build_schema(dialect)), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
