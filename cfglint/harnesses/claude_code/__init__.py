"""Claude Code settings files (`.claude/settings.json`, `.claude/settings.local.json`,
`managed-settings.json`) and their `env` blocks; default target 2.1.329.

Facts: `harness-claude-code.md`; keys, nested shapes and what the loader does with a
wrong value or an unknown key come from the harness's own code (`data/settings.json`,
`tools/extract/claude_code.py`). Settings are strict JSON; layers merge user < project <
local < managed. A `.json` file elsewhere whose `$schema` is SchemaStore's
`claude-code-settings.json` is a settings file too (errata, Claude Code 2.1.329).
"""

from __future__ import annotations

import json
import re

from cfglint.core.document import Document, ParseResult, Path, format_path
from cfglint.core.finding import Severity
from cfglint.harnesses.base import Harness, Note
from cfglint.harnesses.names import CLAUDE_MANAGED_FILE, CLAUDE_PROJECT_FILES
from cfglint.harnesses.claude_code import endpoints as _endpoints
from cfglint.harnesses.claude_code.facts import COMMENT_KEY, DEPRECATED_ENV, schema_node, schema_nodes, top_level_keys
from cfglint.core.paths import home_dir, pure_path
from cfglint.core.secrets import path_is_secret, redact
from cfglint.core.text import SourceText
from cfglint.core.versions import Version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import PurePath
    from typing import Any, Iterable, Mapping
    from cfglint.harnesses.endpoints import Endpoint


PROJECT_FILES, MANAGED_FILE = CLAUDE_PROJECT_FILES, CLAUDE_MANAGED_FILE
SCHEMA_URL = re.compile(r"^https?://json\.schemastore\.org/claude-code-settings\.json$")

# What the 2.1.329 loader does with a wrong value (`x-invalid` in data/settings.json), for a key, for an
# entry of a list and for a hook; managed settings (a fail-closed loader) can differ.
_INVALID_EFFECT = {
    "key": {
        "file": "Claude Code does not load the file: none of its settings are in effect",
        "dropped": "Claude Code ignores the value silently, as if the key were absent",
        "dropped-warning": "Claude Code ignores the value with a warning, as if the key were absent",
    },
    "entry": {
        "file": "Claude Code does not load the file: none of its settings are in effect",
        "dropped": "Claude Code leaves this entry out silently; the rest of the list applies",
        "dropped-warning": "Claude Code leaves this entry out with a warning; the rest of the list applies",
    },
    "hook": {
        "file": "Claude Code does not load the file: none of its settings are in effect (a PreToolUse/"
                "PermissionRequest hook that cannot be loaded)",
        "dropped": "Claude Code leaves this hook out silently; the event's other hooks run",
        "dropped-warning": "Claude Code leaves this hook out with a warning; the event's other hooks run",
    },
    "matcher": {
        "file": "Claude Code does not load the file: none of its settings are in effect (a PreToolUse/"
                "PermissionRequest matcher that cannot be loaded)",
        "dropped": "Claude Code leaves this matcher and its hooks out silently",
        "dropped-warning": "Claude Code leaves this matcher and its hooks out with a warning",
    },
}
_MANAGED_EFFECT = {
    "file": "it does not load the file",
    "dropped": "it ignores the value silently",
    "dropped-warning": "it ignores the value with a warning",
    "replaced-warning": "it applies a fail-closed value instead, with a warning",
}


def _effect(outcome: Any, kind: str, managed_file: bool | None = None) -> str | None:
    """The wording of a loader outcome: one string, or {"project": ..., "managed": ...}; for a
    file known to be managed settings (or known not to be) only the outcome that applies."""
    if not isinstance(outcome, dict):
        return _INVALID_EFFECT[kind].get(outcome)
    project = _INVALID_EFFECT[kind].get(outcome.get("project"))
    managed = _MANAGED_EFFECT.get(outcome.get("managed"))
    if managed_file is True:
        return f"in managed settings Claude Code {managed.removeprefix('it ')}" if managed else None
    if managed_file is False:
        return project
    if project and managed:
        return f"{project} (in managed settings {managed})"
    return project or (f"in managed settings Claude Code {managed.removeprefix('it ')}" if managed else None)


_UNKNOWN_EFFECT = {
    "strip": "drops it when it loads the file",
    "keep": "keeps it but never reads it (the settings schema passes unknown keys through)",
    "reject": "does not load the file (the settings schema rejects unknown keys here)",
}


class ClaudeCode(Harness):
    dialect = "claude-code"
    title = "Claude Code"
    resolver_module = "cfglint.harnesses.claude_code.resolver"
    schema_model = "cfglint.harnesses.claude_code.model:ClaudeCodeSettings"
    schema_title = "Claude Code"
    rule_codes = frozenset({
        "CMP001", "CMP002", "CMP004", "CMP005", "CMP008", "ENV001", "REG001", "REG002", "REG003",
        "REG005", "SCH001", "SCH002", "SCH003", "SEC001", "SEC004", "SYN001", "SYN003", "SYN004",
    })
    syntax = "json"

    def dialect_by_content(self, path: PurePath, data: Any) -> str | None:
        """A JSON object whose `$schema` names SchemaStore's Claude Code settings schema."""
        url = data.get("$schema") if isinstance(data, dict) else None
        return self.dialect if isinstance(url, str) and SCHEMA_URL.match(url.strip()) else None

    def parse(self, source: SourceText, env: Mapping[str, str], path: str | None = None) -> ParseResult:
        from cfglint.parsing.jsonc import parse_json

        return parse_json(source, allow_comments=False, allow_trailing_commas=False)

    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        holder = schema_node(path[:-1])
        return _UNKNOWN_EFFECT.get((holder or {}).get("x-unknown", ""), "ignores it")

    def invalid_value_effect(self, path: Path, value: Any, version: Version,
                             doc: Document | None = None) -> str | None:
        managed = None if doc is None else pure_path(doc.path).name == MANAGED_FILE
        hook = _hook_effect(path, managed)
        if hook is not None:
            return hook
        nodes = schema_nodes(path)
        if len(nodes) == len(path) + 1 and "x-invalid" in nodes[-1]:
            return _effect(nodes[-1]["x-invalid"], "entry" if path and isinstance(path[-1], int) else "key", managed)
        # zod drops the value at the nearest enclosing `.catch()` (the value itself, or what holds it)
        for depth in range(len(nodes) - 1, 0, -1):
            if _catches(nodes[depth]):
                if depth == len(path):
                    return _INVALID_EFFECT["key"]["dropped"]
                return f"Claude Code ignores all of `{format_path(path[:depth])}` silently, as if it were absent"
        return None

    def unknown_keys_for_version(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        """Keys of the top level and of `hooks` that Claude Code does not know: both are open in the
        schema (the top level passes unknown keys through; `hooks` is a map of event names whose
        unknown names the loader drops with a warning). Comment-like keys are left alone."""
        if not isinstance(data, dict):
            return
        yield from _unknown_names(data, (), top_level_keys(), f"{self.title} {version} {_UNKNOWN_EFFECT['keep']}")
        hooks = data.get("hooks")
        if isinstance(hooks, dict):
            yield from _unknown_names(hooks, ("hooks",), tuple(schema_node(("hooks",))["x-events"]),
                                      f"{self.title} {version} ignores it with a warning (\"Unknown hook event\")")

    def value_checks(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        """`env` values that are not strings: 2.1.329 turns them into strings, older releases crash."""
        block = data.get("env") if isinstance(data, dict) else None
        if not isinstance(block, dict):
            return
        for name, value in block.items():
            if isinstance(value, str):
                continue
            secret = path_is_secret(("env", name))
            text = _js_string(value)
            shown = redact(text) if secret else json.dumps(text)
            kind = ("an object" if isinstance(value, dict) else "an array" if isinstance(value, list)
                    else "null" if value is None else "a boolean" if isinstance(value, bool) else "a number")
            yield Note(("env", name),
                       f"`env.{name}` is {kind}, not a string: {self.title} {version} turns it into the string "
                       f"{shown}; older releases crash on it (2.1.94: \"toLowerCase is not a function\", "
                       "anthropics/claude-code #45494)",
                       fix="write the value as a JSON string" if secret else f"write it as the string {shown}",
                       severity=Severity.WARNING, at="value")

    def endpoints(self, data: Any) -> Iterable[Endpoint]:
        return _endpoints.endpoints(data)

    def secret_fix(self, doc: Document, path: Path, value: str, secret: str) -> str:
        return _endpoints.secret_fix(doc, path, value, secret)

    def layer_group(self, doc: Document) -> Any:
        path = pure_path(doc.path)
        return str(path.parent.parent if path.parent.name == ".claude" else path.parent)

    def is_user_layer(self, doc: Document) -> bool:
        """`~/.claude/settings.json` applies to every project."""
        path = pure_path(doc.path)
        return path.parent.name == ".claude" and str(path.parent.parent) == home_dir()

    def layer_rank(self, doc: Document) -> tuple:
        """user < project < local < managed; a file found by its `$schema` ranks as a project file."""
        name = pure_path(doc.path).name
        if name == MANAGED_FILE:
            return (3,)
        if self.is_user_layer(doc):
            return (0,)
        return (1 + PROJECT_FILES.index(name),) if name in PROJECT_FILES else (1,)

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str],
                        path: str | None = None) -> Iterable[Note]:
        block = data.get("env") if isinstance(data, dict) else None
        if not isinstance(block, dict):
            return
        for name, new in DEPRECATED_ENV.items():
            # 2.1.329 still reads the old name, ahead of the new one: with both set to different
            # models, renaming would change which model runs, so that case is left alone.
            if name in block and block.get(new, block[name]) == block[name]:
                yield Note(("env", name),
                           f"`{name}` is deprecated (the docs name `{new}` instead); Claude Code {version} still "
                           f"reads it, so moving to `{new}` changes nothing today and keeps working in later releases",
                           fix=f"remove it: `{new}` already holds the same model" if new in block
                           else f"rename the variable to `{new}`", details={"replacement": new})


def _catches(node: dict[str, Any]) -> bool:
    """zod drops an invalid value here: a `.catch()` on the node, or on a branch of its union
    (that branch takes any value)."""
    branches = node.get("anyOf", []) + node.get("oneOf", [])
    return bool(node.get("x-catch")) or any(branch.get("x-catch") for branch in branches)


def _hook_effect(path: Path, managed: bool | None = None) -> str | None:
    """What the loader does with a wrong value for a hook event, a matcher or a hook that is not
    valid (under PreToolUse and PermissionRequest the whole file is not loaded)."""
    if len(path) < 2 or path[0] != "hooks":
        return None
    event = (schema_node(("hooks",)) or {}).get("x-events", {}).get(path[1])
    if event is None:
        return None
    if len(path) == 2:
        return _effect(event["value"], "key", managed)
    if len(path) >= 5 and path[3] == "hooks" and isinstance(path[4], int):
        return _effect(event["hook"], "hook", managed)
    return _effect(event["matcher"], "matcher", managed) if len(path) >= 3 and isinstance(path[2], int) else None


def _js_string(value: Any) -> str:
    """`String(value)` in JavaScript, for the values JSON has."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "[object Object]"
    if isinstance(value, list):
        return ",".join("" if item is None else _js_string(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _unknown_names(block: dict[Any, Any], path: Path, known: tuple[str, ...], effect: str) -> Iterable[Note]:
    """SCH002 notes for the keys of `block` outside `known`, worded like the schema's own."""
    import difflib

    where = f"`{'.'.join(path)}`" if path else "the top level"
    for key in block:
        if not isinstance(key, str) or key in known or re.match(COMMENT_KEY, key):
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        yield Note(path + (key,), f"unknown key `{key}` in {where}: {effect}",
                   fix=f"did you mean `{close[0]}`?" if close else "remove the key",
                   details={"key": key, **({"did_you_mean": close[0]} if close else {})})


CLAUDE_CODE = ClaudeCode()
