"""Schema models of pi's two kinds of file: `settings.json` (dialect `pi`) and `models.json`
(schema `pi-models`).

Target: pi 1.6.0. Both come from the JSON Schemas pi ships and generates from its TypeBox sources
(`schemas/settings.schema.json`, `schemas/models.schema.json` of `@earendil-works/pi-coding-agent@1.6.0`,
extracted into `data/` by `tools/extract/pi.py`), with what cfglint changes, each for a stated reason:

- settings.json: pi never validates the file as a whole (`additionalProperties: true`, values
  read as they come), so the schema keeps the key structure and no value types, not even "object":
  a type error would claim a rejection pi does not make (and the file would be left out of the
  merge, `Pi.skips_invalid_files`). The compaction token values, which pi checks when it reads
  them and differently per version, are checked by the unit (`Pi.value_checks`).
- models.json: pi validates the whole file with the compiled TypeBox schema and ignores the file
  on any error (§3.3), so the schema is kept as shipped (types, bounds, required keys), with
  `$ref`s written out.
- Every object stays open, as pi's own: pi ignores unknown keys, and the unit reports them
  (`Pi.unknown_keys_for_version`: in `compaction` and the models.json objects, and likely typos at
  the settings' top level, which extensions share) except comment-like keys (`_note`, `//`),
  which pi keeps unread as their writers mean.
- `default`s are dropped (issue 14: an editor inserts them), descriptions kept; TypeBox's
  `Record(String, X)` (`patternProperties: {"^.*$": X}`) is written `additionalProperties: X`, and a
  union of literals (`anyOf` of `const`s) the equal `enum`.
"""

from __future__ import annotations

import copy
from typing import Annotated, Any

from pydantic import RootModel, WithJsonSchema

from cfglint.harnesses.pi.facts import inlined_models_schema, inlined_settings_schema

UNDESCRIBED = {
    "lastChangelogVersion": "Last changelog version shown; pi writes it.",
    "defaultProvider": "Provider of the model pi starts with (with `defaultModel`; `/model` writes both).",
    "defaultModel": "Model id pi starts with, looked up under `defaultProvider` (built-in or models.json).",
    "defaultThinkingLevel": "Thinking level pi starts with: off, minimal, low, medium, high, xhigh, max.",
    "transport": "Transport for providers that offer several: auto, sse, websocket, websocket-cached.",
    "steeringMode": "How queued steering messages are delivered: all, one-at-a-time.",
    "followUpMode": "How queued follow-up messages are delivered: all, one-at-a-time.",
    "theme": "Name of the TUI theme.",
    "compaction": ("Auto-compaction: `enabled`, `reserveTokens` (compaction when the context exceeds "
                   "contextWindow - reserveTokens; default 16384), `keepRecentTokens` (default 20000), "
                   "`modelOverrides` keyed by \"provider/modelId\" (0.86.0)."),
    "branchSummary": "`/tree` branch summaries: `reserveTokens` (default 16384), `skipPrompt`; never auto-compaction.",
    "retry": "Retries of failed requests: `enabled`, `maxRetries`, `baseDelayMs`, `maxAgentDelayMs`, `provider`.",
    "hideThinkingBlock": "Hide thinking blocks in the transcript.",
    "terminal": "Terminal display settings (images, clearing).",
    "images": "Image handling: `autoResize`, `blockImages`.",
    "markdown": "Markdown rendering: `codeBlockIndent`, `mermaid`.",
    "warnings": "Warnings pi shows (`anthropicExtraUsage`).",
    "codemode": "Codemode tool presentation.",
    "tuiMode": "TUI mode: regular or fullscreen.",
}
"""Descriptions for editors where pi 1.6.0's schema has none."""


def _untyped(node: dict[str, Any]) -> dict[str, Any]:
    """A settings value as pi reads it: its description (and deprecation) only."""
    return {key: node[key] for key in ("description", "deprecated") if key in node}


def settings_json_schema() -> dict[str, Any]:
    shipped = inlined_settings_schema()
    properties = {key: {"description": UNDESCRIBED[key], **_untyped(node)} if key in UNDESCRIBED else _untyped(node)
                  for key, node in shipped["properties"].items()}
    compaction = shipped["properties"]["compaction"]
    override = compaction["properties"]["modelOverrides"]["additionalProperties"]
    properties["compaction"] = {
        "description": UNDESCRIBED["compaction"],
        "properties": {
            **{key: _untyped(node) for key, node in compaction["properties"].items() if key != "modelOverrides"},
            "modelOverrides": {
                **_untyped(compaction["properties"]["modelOverrides"]),
                "additionalProperties": {"properties": {
                    key: _untyped(node) for key, node in override["properties"].items()}},
            },
        },
    }
    return {"type": "object", "description": "pi settings (`~/.pi/agent/settings.json`, project `.pi/settings.json`).",
            "properties": properties}


def models_json_schema() -> dict[str, Any]:
    shipped = copy.deepcopy(inlined_models_schema())
    shipped["properties"]["$schema"]["description"] = "JSON Schema reference."
    shipped["properties"]["providers"]["description"] = (
        "Custom providers and overrides of built-in ones, by provider id: `models` (custom models; a model "
        "without contextWindow/maxTokens gets 128000/16384) and `modelOverrides` (fields of existing models).")
    return {**{k: v for k, v in shipped.items() if k not in ("$schema", "$id")},
            "description": "pi custom providers and models (`~/.pi/agent/models.json`)."}


class PiSettings(RootModel[Annotated[Any, WithJsonSchema(settings_json_schema())]]):
    """pi settings file: the keys of pi 1.6.0's own settings schema."""


class PiModels(RootModel[Annotated[Any, WithJsonSchema(models_json_schema())]]):
    """pi models.json: pi 1.6.0's own models schema."""
