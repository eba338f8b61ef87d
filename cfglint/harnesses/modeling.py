"""Conventions for the pydantic models that mirror each harness's schema.

The models exist to generate the JSON Schemas shipped in `cfglint/schemas/`
(`cfglint.generate.schemas`); the hot path validates against those schemas and never
imports pydantic. Conventions:

- `Closed` objects: the harness knows every key, so an unknown key is a
  finding (SCH002, `additionalProperties: false`). Its severity is a warning
  unless the object's schema carries `x-cfglint-unknown-keys: "error"` (use
  `STRICT_UNKNOWN_KEYS`), for harnesses that reject the whole file or entry.
- `Open` objects: any key is accepted (sections whose inner keys the fact
  sheets do not describe); open maps are `dict[str, Model]`.
- Harness defaults are pydantic defaults (they show up as `default`).
- An optional key that must not be null: `x: Absent[int] = None` (the key may be
  absent, but null is not a valid value: `int | SkipJsonSchema[None]`). Use
  `X | None` only where the harness accepts an explicit null.
- Bounds on optional fields go on the type (`PositiveInt = Annotated[int, Field(ge=1)]`):
  `Field(None, ge=1)` on `Absent[int]` emits a raw `ge` key that no JSON Schema
  validator checks.
- Descriptions come from attribute docstrings (editors show them).
- Deprecated keys: `Field(deprecated="use `new_key`")`; the SCH003 rule takes
  its facts from the harness unit, the schema marks them for editors.
"""

from __future__ import annotations

from typing import TypeVar, Union

from pydantic import BaseModel, ConfigDict
from pydantic.json_schema import SkipJsonSchema

T = TypeVar("T")
# A key that may be left out but never written as null (the schema does not offer null).
Absent = Union[T, SkipJsonSchema[None]]

STRICT_UNKNOWN_KEYS = {"x-cfglint-unknown-keys": "error"}


class Closed(BaseModel):
    """An object whose keys are all known: unknown keys are findings."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, use_attribute_docstrings=True
    )


class Open(BaseModel):
    """An object that accepts keys beyond the ones modelled."""

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, use_attribute_docstrings=True
    )
