"""Claude Code's settings schema, from the harness's own code.

Source: npm `@anthropic-ai/claude-code-linux-x64@2.1.329`, a Bun single-file executable. Its ES modules
sit in the ELF `.bun` section; `claude_code_settings.mjs` imports them under the Bun release the
executable embeds (npm `@oven/bun-linux-x64@1.4.4`) and prints the settings schema (zod, as JSON Schema)
plus what the settings-file loader does with a wrong value at each key. The output keeps what cfglint
validates with (types, bounds, allowed values, required keys, nested objects) and the loader facts
JSON Schema cannot say (`x-catch`, `x-unknown`, `x-invalid`), in
`cfglint/harnesses/claude_code/data/settings.json`.

`python -m tools.extract.claude_code` downloads what is missing and writes the file.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tools.extract.common import (REPO, Artifact, bun_modules, cache_dir, npm_artifact, read_from_tgz, render,
                                  write_outputs)

PACKAGE = "@anthropic-ai/claude-code-linux-x64"
VERSION = "2.1.329"
BUN_PACKAGE = "@oven/bun-linux-x64"
BUN_VERSION = "1.4.4"  # the runtime Claude Code 2.1.329 is built on
DRIVER = Path(__file__).with_name("claude_code_settings.mjs")
OUTPUT = REPO / "cfglint" / "harnesses" / "claude_code" / "data" / "settings.json"
OUTPUTS = (OUTPUT,)

# JSON Schema keywords kept as they are; everything else (pattern, format, default, ...) is dropped:
# cfglint's compiled validators do not check it and a lost check is never a false finding.
KEPT_KEYWORDS = ("description", "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum",
                 "exclusiveMaximum", "minItems", "maxItems", "minLength", "maxLength", "required")
UNBOUNDED = 2 ** 53 - 1  # zod's int() bound: no bound at all

# Values rewritten before they are checked (`x-preprocess`) keep no checks, except where the loader,
# asked about a document, shows what the rewrite lets through: path -> (document, path of the value in
# the loaded settings, value expected there, inputs the rewrite adds to the allowed ones).
VERIFIED_PREPROCESS = {
    ("permissions", "defaultMode"): ({"permissions": {"defaultMode": "manual"}}, "default", ["manual"]),
    ("modelSettings",): ({"modelSettings": {"claude-opus-4-6": {"autoCompactWindow": "auto"}}},
                         {"claude-opus-4-6": {"autoCompactWindow": "auto"}}, []),
}


def generate(download: bool) -> dict[Path, str] | None:
    claude = npm_artifact(PACKAGE, VERSION, download)
    bun = npm_artifact(BUN_PACKAGE, BUN_VERSION, download)
    if claude is None or bun is None:
        return None
    asked = [document for document, _, _ in VERIFIED_PREPROCESS.values()]
    raw = _run_driver(_bun_binary(bun), _module_root(claude), asked)
    rewrites = {path: extra for (path, (_, expected, extra)), answer in zip(VERIFIED_PREPROCESS.items(), raw["answers"])
                if answer["settings"] is not None and _value_at(answer["settings"], path) == expected}
    facts = {
        "settings_schema": simplify(raw["schema"], _probes(raw["probes"]), (), rewrites),
    }
    return {OUTPUT: render(facts, [claude, bun], "tools/extract/claude_code.py")}


def _probes(raw: dict[str, dict[str, str]]) -> dict[str, str | dict[str, str]]:
    """Per path, the loader's outcome: one string where project and managed files agree, else both."""
    paths = {**raw["project"], **raw["managed"]}
    return {path: raw["project"].get(path) if raw["project"].get(path) == raw["managed"].get(path)
            else {"project": raw["project"].get(path), "managed": raw["managed"].get(path)} for path in paths}


def simplify(node: dict[str, Any], probes: dict[str, Any], path: tuple[str, ...],
             rewrites: dict[tuple[str, ...], list[Any]]) -> dict[str, Any]:
    """The part of one JSON Schema node that cfglint uses, with the loader's facts beside it.

    `x-invalid` (from the probes): what the loader does with a wrong value here: "file" (the whole
    file is not loaded), "dropped" / "dropped-warning" (the key is removed, with or without a
    warning), "accepts-anything"; `{"project": ..., "managed": ...}` where managed settings get
    another outcome. `x-catch`: zod drops an invalid value here (the file loads).
    `x-unknown` on objects: "strip" (unknown keys dropped), "keep" (kept, never read), "reject".
    A value rewritten before it is checked (`x-preprocess`) keeps no checks: its schema shows
    what it becomes, not what the file may hold; `rewrites` names the ones the loader was seen to
    let through unchanged, or with extra inputs (`x-rewritten-from`).
    `x-events` on `hooks`: per event, what the loader does with a wrong value for the event, with a
    matcher that is not valid and with a hook that is not valid.
    """
    out: dict[str, Any] = {}
    if "description" in node:
        out["description"] = node["description"]
    outcome = probes.get(".".join(path)) if path else None
    if outcome:
        out["x-invalid"] = outcome
    if node.get("x-catch"):
        out["x-catch"] = True
    unverified = node.get("x-preprocess") and path not in rewrites
    accepted = (outcome.get("project") if isinstance(outcome, dict) else outcome) == "accepts-anything"
    if unverified or accepted or _accepts_anything(node):
        return out
    for keyword in KEPT_KEYWORDS[1:]:
        if keyword in node and not (keyword == "maximum" and node[keyword] >= UNBOUNDED):
            out[keyword] = node[keyword]
    if rewrites.get(path):
        out["x-rewritten-from"] = rewrites[path]
        out["enum"] = [*out["enum"], *rewrites[path]]
    if "items" in node and isinstance(node["items"], dict):
        out["items"] = simplify(node["items"], probes, path + ("[]",), rewrites)
    for union in ("anyOf", "oneOf"):
        if union in node:
            out[union] = [simplify(branch, {}, (), rewrites) for branch in node[union] if not branch.get("x-never")]
    if node.get("type") == "object":
        _simplify_object(node, probes, path, rewrites, out)
    return out


def _simplify_object(node: dict[str, Any], probes: dict[str, Any], path: tuple[str, ...],
                     rewrites: dict[tuple[str, ...], list[Any]], out: dict[str, Any]) -> None:
    properties = {key: simplify(child, probes, path + (key,), rewrites)
                  for key, child in node.get("properties", {}).items()}
    rest = node.get("additionalProperties")
    names = node.get("propertyNames", {}).get("enum")
    if names and isinstance(rest, dict):
        # A map whose keys come from a fixed list (hook events): `x-events` lists them, each holds
        # `additionalProperties`; the loader drops any other key.
        out["x-events"] = {name: {"value": probes[".".join(path + (name,))],
                                  "matcher": probes[".".join(path + (name, "[]"))],
                                  "hook": probes[".".join(path + (name, "[]", "hooks", "[]"))]} for name in names}
        # each outcome is a string, or {"project": ..., "managed": ...}
        out["additionalProperties"] = simplify(rest, {}, (), rewrites)
        out["x-unknown"] = "strip"
        return
    if properties:
        out["properties"] = properties
    if isinstance(rest, dict) and (rest.keys() - {"x-catch", "x-preprocess", "x-unknown"}):
        out["additionalProperties"] = simplify(rest, {}, (), rewrites)  # an open map: its keys are names
    elif "x-unknown" in node:
        out["x-unknown"] = node["x-unknown"]


def _accepts_anything(node: dict[str, Any]) -> bool:
    """A union with an unconstrained branch (a type JSON Schema cannot state) accepts any value."""
    return any(set(branch) <= {"description"} for union in ("anyOf", "oneOf") for branch in node.get(union, []))


def _value_at(settings: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        settings = settings.get(key) if isinstance(settings, dict) else None
    return settings


def _run_driver(bun: Path, root: Path, asked: list[dict[str, Any]]) -> dict[str, Any]:
    """The driver's JSON, from a process that sees no user settings (empty HOME and config dir);
    `asked`: documents whose loading the driver reports (`answers`)."""
    with tempfile.TemporaryDirectory(prefix="cfglint-claude-extract-") as home:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "CLAUDE_CONFIG_DIR": home,
               "NO_COLOR": "1"}
        done = subprocess.run([str(bun), str(DRIVER), str(root)], cwd=home, env=env, check=True,
                              input=json.dumps(asked), capture_output=True, text=True, timeout=600)
    return json.loads(done.stdout)


def _bun_binary(bun: Artifact) -> Path:
    target = cache_dir() / "unpacked" / f"bun-linux-x64@{BUN_VERSION}-{bun.sha256[:12]}" / "bun"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(read_from_tgz(bun, "package/bin/bun"))
        target.chmod(target.stat().st_mode | stat.S_IXUSR)
    return target


def _module_root(claude: Artifact) -> Path:
    """The executable's ES modules on disk, their `/$bunfs/root/` imports pointing at that folder."""
    root = cache_dir() / "unpacked" / f"claude-code-linux-x64@{VERSION}-{claude.sha256[:12]}"
    done = root / ".complete"
    if done.is_file():
        return root
    modules = {re.sub(r"^(/\$bunfs/root/|B:/~BUN/root/)", "", name): text  # names under the bundle's root
               for name, text in bun_modules(read_from_tgz(claude, "package/claude")).items()}
    prefix = (str(root) + "/").encode()
    for name, data in modules.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.replace(b"/$bunfs/root/", prefix) if name.endswith(".js") else data)
    done.write_text("", encoding="utf-8")
    return root


def main() -> int:
    return write_outputs(generate(download=True))


if __name__ == "__main__":
    sys.exit(main())
