"""`tools/extract/claude_code.py`: how zod's JSON Schema and the loader probes become cfglint's facts.

The nodes below are shaped like what the driver prints for Claude Code 2.1.329 (no artifact needed).
"""

from __future__ import annotations

from tools.extract.claude_code import simplify


def test_checks_are_kept_and_loader_facts_sit_beside_them():
    node = {"description": "Auto-compact window size", "type": "integer", "minimum": 100000,
            "maximum": 9007199254740991, "pattern": "x", "x-catch": True}
    assert simplify(node, {"autoCompactWindow": "dropped"}, ("autoCompactWindow",), {}) == {
        "description": "Auto-compact window size", "x-invalid": "dropped", "x-catch": True,
        "type": "integer", "minimum": 100000,
    }


def test_a_rewritten_value_keeps_no_checks_unless_the_loader_showed_what_it_lets_through():
    node = {"type": "string", "enum": ["default", "plan"], "x-preprocess": True}
    assert simplify(node, {}, ("permissions", "defaultMode"), {}) == {}
    assert simplify(node, {}, ("permissions", "defaultMode"), {("permissions", "defaultMode"): ["manual"]}) == {
        "type": "string", "enum": ["default", "plan", "manual"], "x-rewritten-from": ["manual"],
    }


def test_union_branches_no_value_takes_are_dropped_and_an_open_branch_opens_the_union():
    closed = {"anyOf": [{"type": "boolean"}, {"x-never": True}]}
    assert simplify(closed, {}, (), {}) == {"anyOf": [{"type": "boolean"}]}
    assert simplify({"anyOf": [{"type": "boolean"}, {}]}, {}, (), {}) == {}


def test_a_map_with_a_fixed_key_list_records_what_the_loader_does_per_key():
    hooks = {"type": "object", "propertyNames": {"type": "string", "enum": ["PreToolUse", "Stop"]},
             "additionalProperties": {"type": "array"}}
    probes = {"hooks.PreToolUse": "file", "hooks.PreToolUse.[]": "file", "hooks.PreToolUse.[].hooks.[]": "file",
              "hooks.Stop": "dropped-warning", "hooks.Stop.[]": "dropped-warning",
              "hooks.Stop.[].hooks.[]": "dropped-warning"}
    assert simplify(hooks, probes, ("hooks",), {}) == {
        "type": "object",
        "x-events": {"PreToolUse": {"value": "file", "matcher": "file", "hook": "file"},
                     "Stop": {"value": "dropped-warning", "matcher": "dropped-warning", "hook": "dropped-warning"}},
        "additionalProperties": {"type": "array"},
        "x-unknown": "strip",
    }


def test_objects_say_what_happens_to_unknown_keys():
    node = {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"],
            "x-unknown": "strip"}
    assert simplify(node, {}, (), {}) == {
        "type": "object", "required": ["command"], "properties": {"command": {"type": "string"}}, "x-unknown": "strip",
    }
