"""Schema model of Claude Code settings files (`.claude/settings.json`, dialect `claude-code`).

Target: Claude Code 2.1.329. The keys, nested shapes, types and bounds are the harness's own settings
schema, extracted from its npm package into `data/settings.json` (`tools/extract/claude_code.py`);
this module turns that data into the pydantic model `cfglint.generate.schemas` writes the JSON Schema from.
What cfglint adds, each for a stated reason:

- Keys the docs list that 2.1.329's schema does not have (read by the desktop app or from
  `~/.claude.json`): known, any value (`DOCUMENTED_ELSEWHERE`).
- The top level is open: 2.1.329 passes unknown top-level keys through and never reads them, so the
  unit reports them (SCH002, `ClaudeCode.unknown_keys_for_version`) except comment-like keys
  (`_comment`, `//`, `#note`), for which never being read is the point.
- `env` values: the loader turns any value into its string (probed on 2.1.329), so the schema
  accepts them; the unit warns about the ones that are not strings (`ClaudeCode.value_checks`).
- Objects the loader strips or passes unknown keys through are closed here (an unknown key is a
  warning: the harness ignores it), except inside unions, where an unknown key would hide which
  branch was meant.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, WithJsonSchema, create_model

from cfglint.harnesses.claude_code.facts import DOCUMENTED_ELSEWHERE, extracted
from cfglint.harnesses.modeling import Open

ENV_VALUE: dict[str, Any] = {}
"""What an `env` value may be: anything, 2.1.329 turns it into a string (`String(value)`) when it loads
the file (probed with the harness's loader)."""

DEPRECATED = {
    "disableArtifact": "use `enableArtifact`",
    "includeCoAuthoredBy": "use `attribution`",
    "keybindingFlavor": "no effect; no replacement",
    "permissionExplainerEnabled": "removed; no effect",
    "teammateDefaultModel": "removed; no effect",
    "voiceEnabled": "use `voice`",
}
"""Keys the docs (2026-08-22) call deprecated or removed: marked for editors."""

UNDESCRIBED = {"sandbox": "Sandbox for Bash commands: filesystem and network rules (docs `settings-reference`)."}
"""Descriptions for editors where 2.1.329's schema has none."""


def json_schema(node: dict[str, Any], in_union: bool = False) -> dict[str, Any]:
    """The JSON Schema cfglint validates with, for one node of the extracted schema."""
    out = {k: v for k, v in node.items()
           if not k.startswith("x-") and k not in ("properties", "items", "additionalProperties", "anyOf", "oneOf")}
    if "properties" in node:
        out["properties"] = {key: json_schema(child) for key, child in node["properties"].items()}
    if "items" in node:
        out["items"] = json_schema(node["items"], in_union)
    for union in ("anyOf", "oneOf"):
        if union in node:
            out[union] = [json_schema(branch, in_union=True) for branch in node[union]]
    rest = node.get("additionalProperties")
    if isinstance(rest, dict):
        # A map (`env`, `modelSettings`; `hooks`, whose event names `ClaudeCode.unknown_keys_for_version` checks).
        out["additionalProperties"] = json_schema(rest, in_union)
    elif "x-unknown" in node and not in_union:
        out["additionalProperties"] = False
    return out


def _top_level_fields() -> dict[str, Any]:
    """One pydantic field per top-level key, carrying that key's JSON Schema."""
    schema = extracted()["settings_schema"]
    fragments = {key: json_schema(node) for key, node in schema["properties"].items()}
    fragments["env"]["additionalProperties"] = ENV_VALUE
    for key, description in UNDESCRIBED.items():
        fragments[key] = {"description": description, **fragments[key]}
    for key, description in DOCUMENTED_ELSEWHERE.items():
        fragments.setdefault(key, {"description": f"{description} Not in Claude Code 2.1.329's settings schema."})
    for key, why in DEPRECATED.items():
        fragments[key] = {**fragments[key], "deprecated": True,
                          "description": f"{fragments[key].get('description', '')} Deprecated: {why}.".strip()}
    return {_field_name(key): (Annotated[Any, WithJsonSchema(fragment)],
                               Field(None, alias=key, title=key, json_schema_extra=_only_the_fragment))
            for key, fragment in sorted(fragments.items())}


def _only_the_fragment(schema: dict[str, Any]) -> None:
    """Drop the `null` default pydantic adds beside a fragment: it only means "optional" (the key
    may be absent; null is not a valid value)."""
    schema.pop("default", None)


def _field_name(key: str) -> str:
    """A Python name for a settings key that shadows nothing of pydantic's (`$schema`, `copy`)."""
    return "f_" + re.sub(r"\W", "_", key)


def _build() -> type[Open]:
    """The model: one field per key, each carrying its JSON Schema."""
    fields = _top_level_fields()
    return create_model("ClaudeCodeSettings", __base__=Open, __module__=__name__,
                        __doc__="Claude Code settings file: the keys of Claude Code 2.1.329's own settings schema.",
                        **fields)


ClaudeCodeSettings = _build()
