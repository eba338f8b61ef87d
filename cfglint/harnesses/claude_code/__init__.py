"""Claude Code settings files (`.claude/settings.json`, `.claude/settings.local.json`,
`managed-settings.json`) and their `env` blocks; default target 2.1.329.

Facts: `harness-claude-code.md`. Settings are strict JSON; layers merge user <
project < local < managed.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, Iterable, Mapping

from cfglint.document import Document, ParseResult, Path
from cfglint.harnesses.base import Harness, Note
from cfglint.paths import home_dir
from cfglint.source import SourceText
from cfglint.versions import Version

PROJECT_FILES = ("settings.json", "settings.local.json")
MANAGED_FILE = "managed-settings.json"
_DEPRECATED_ENV = {"ANTHROPIC_SMALL_FAST_MODEL": "ANTHROPIC_DEFAULT_HAIKU_MODEL"}


class ClaudeCode(Harness):
    dialect = "claude-code"
    title = "Claude Code"
    resolver_module = "cfglint.harnesses.claude_code.resolver"
    syntax = "json"
    default_version = "2.1.329"
    file_names = (*PROJECT_FILES, MANAGED_FILE)
    config_dirs = (".claude",)

    def recognises(self, path: PurePath, home: str | None = None) -> bool:
        if path.name == MANAGED_FILE:
            return True
        return path.name in PROJECT_FILES and path.parent.name == ".claude"

    def parse(self, source: SourceText, env: Mapping[str, str]) -> ParseResult:
        from cfglint.parsing.jsonc import parse_json

        return parse_json(source, allow_comments=False, allow_trailing_commas=False)

    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        return "does not document this setting (its handling of unknown keys is undocumented)"

    def layer_group(self, doc: Document) -> Any:
        path = PurePath(doc.path)
        return str(path.parent.parent if path.parent.name == ".claude" else path.parent)

    def is_user_layer(self, doc: Document) -> bool:
        """`~/.claude/settings.json` applies to every project."""
        path = PurePath(doc.path)
        return path.parent.name == ".claude" and str(path.parent.parent) == home_dir()

    def layer_rank(self, doc: Document) -> tuple:
        name = PurePath(doc.path).name
        if name == MANAGED_FILE:
            return (3,)
        if self.is_user_layer(doc):
            return (0,)
        return (1 + PROJECT_FILES.index(name),)

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str]) -> Iterable[Note]:
        block = data.get("env") if isinstance(data, dict) else None
        if not isinstance(block, dict):
            return
        for name, new in _DEPRECATED_ENV.items():
            if name in block:
                yield Note(("env", name), f"`{name}` is deprecated in Claude Code {version}; use `{new}`",
                           fix=f"rename the variable to `{new}`", details={"replacement": new})


CLAUDE_CODE = ClaudeCode()
