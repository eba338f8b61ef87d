"""The Claude Code facts extracted from the harness's own package (`data/settings.json`).

Read lazily and without pydantic: the unit consults them only to word a finding, and the
model (`model.py`) builds the JSON Schema from them at build time.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).with_name("data") / "settings.json"

COMMENT_KEY = r"^(_|//|#)"
"""Keys people write as comments; Claude Code keeps them and never reads them."""


DOCUMENTED_ELSEWHERE = {
    "autoConnectIde": "Connect to a running IDE from an external terminal (read from ~/.claude.json).",
    "autoInstallIdeExtension": "Install the IDE extension from a VS Code terminal (read from ~/.claude.json).",
    "browserExternalPageTools": "Keep Claude's tools off external pages in the desktop Browser pane "
                                "(desktop, managed).",
    "diffTool": "Where proposed diffs open: \"auto\" or \"terminal\" (read from ~/.claude.json).",
    "disableBrowserExternalNavigation": "Limit the desktop Browser pane to localhost (desktop, managed).",
    "disableMobileSimulatorTools": "Block Claude's tools in the desktop iOS Simulator pane (desktop, managed).",
    "externalEditorContext": "Show the last response in the external editor (read from ~/.claude.json).",
    "permissionExplainerEnabled": "Removed command explanation shortcut (read from ~/.claude.json).",
    "sshHostAllowlist": "Hosts desktop SSH sessions may reach (desktop, managed).",
    "teammateDefaultModel": "Removed default model for agent-team teammates (read from ~/.claude.json).",
}
"""harness-claude-code.md 3.1 keys missing from 2.1.329's settings schema, with the docs' meaning."""


@lru_cache(maxsize=None)
def extracted() -> dict[str, Any]:
    """`data/settings.json`: the settings schema and loader facts of the targeted release."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def schema_nodes(path: tuple[Any, ...]) -> list[dict[str, Any]]:
    """The nodes of the extracted settings schema along `path`: the root, then one per key as far
    as the schema describes it. Map keys (an `env` name, a hook event) and array indexes step into
    `additionalProperties` and `items`."""
    nodes = [extracted()["settings_schema"]]
    for key in path:
        node = nodes[-1]
        if isinstance(key, int):
            node = node.get("items")
        else:
            node = node.get("properties", {}).get(key) or node.get("additionalProperties")
        if not isinstance(node, dict):
            break
        nodes.append(node)
    return nodes


def schema_node(path: tuple[Any, ...]) -> dict[str, Any] | None:
    """The node of the extracted settings schema that describes `path` (None: not described)."""
    nodes = schema_nodes(path)
    return nodes[-1] if len(nodes) == len(path) + 1 else None


@lru_cache(maxsize=None)
def top_level_keys() -> tuple[str, ...]:
    """Every top-level key Claude Code reads from a settings file, or the docs list."""
    return tuple(sorted({*extracted()["settings_schema"]["properties"], *DOCUMENTED_ELSEWHERE}))
