"""opencode's config schema, read from its shipped binaries (one per version of the sheet's table).

npm `opencode-linux-x64` is a Bun single-file executable whose JavaScript modules are stored as
plain text, one after another, each ended by a NUL byte (1.3.2's build has no `.bun` ELF section,
so the modules are found by a strings-like scan of the whole binary, not through the module
graph). This script finds the module that holds the config schema by its anchor, then reads
object literals by their keys (never offsets or minified names):

- Effect Schema builds (1.14 and later): the struct annotated `identifier:"Config"`, the one
  annotated `identifier:"ProviderConfig"` and the model struct its `models` record names;
- the zod build (1.3.2): `Config.Info = zod.object({...}).strict()` and `ref: "ProviderConfig"`.

Recorded per version: the top-level keys (with `@deprecated` descriptions for the default
target), `compaction`, provider, provider `options`, model, `limit` (with required keys),
whether the top level drops unknown keys (`ConfigParse.schema` decodes with
`onExcessProperty:"ignore"`, 1.18.16 and later), the keys stripped before validation
(`theme`, `keybinds`, `tui`), the MCP entry types and the V2-native keys `ConfigV2Compat.lower`
handles (1.18.33).

From the default target it also reads the models.dev snapshot bundled in the binary
(`@opencode/ModelsDev`: the cache file, else `p=n.sync(()=>({deepinfra:{...}}))`, refreshed from
models.opencode.ai), which opencode merges under the config's models: `catalog.json`, in the
slim format of Kilo's and by Kilo's code (`tools/extract/kilo.py`: each model's limits, status
and own npm package, `experimental.modes` expanded into `<id>-<mode>` models as opencode's
`fromModelsDevProvider` does, the npm rule per model-id prefix).

Run `python -m tools.extract.opencode` to (download and) regenerate
`cfglint/harnesses/opencode/data/config_schema.json` and `catalog.json`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from tools.extract.common import REPO, Artifact, npm_artifact, read_from_tgz, render, write_outputs
from tools.extract.kilo import CATALOG_ANCHOR, SchemaReader, Source, _npm_rules, bundled_catalog, render_catalog

PACKAGE = "opencode-linux-x64"
# The default target first; then the rows of harness-opencode.md 3.2 / 6.
VERSION = "1.18.33"
VERSIONS = ("1.3.2", "1.14.41", "1.15.13", "1.17.19", "1.18.3", "1.18.15", "1.18.16", "1.18.33")
BINARY = "package/bin/opencode"
SCHEMA_FACTS = REPO / "cfglint" / "harnesses" / "opencode" / "data" / "config_schema.json"
CATALOG_FACTS = REPO / "cfglint" / "harnesses" / "opencode" / "data" / "catalog.json"
OUTPUTS = (SCHEMA_FACTS, CATALOG_FACTS)
# `fromModelsDevProvider`'s npm: `gN(provider.id, model.id) ?? model.provider?.npm ?? provider.npm`.
NPM_RULE_ANCHOR = "@ai-sdk/openai-compatible\"},status:"

# Anchors (string literals and property names survive minification).
EFFECT_CONFIG = 'identifier:"Config"'
EFFECT_PROVIDER = 'identifier:"ProviderConfig"'
ZOD_CONFIG = 'ref: "Config"'
ZOD_PROVIDER = 'ref: "ProviderConfig"'
# ConfigParse.schema (1.18.16+): the top level is decoded with unknown keys dropped.
LENIENT_TOP = re.compile(r'decodeUnknownExit\([\w$]+\)\([\w$]+,\{errors:"all",onExcessProperty:"ignore"')
# The keys deleted before validation (`sW`): `("theme"in _)||("keybinds"in _)||("tui"in _)`.
STRIPPED = re.compile(r'if\(!\(\("(\w+)"in [\w$]+\)\|\|\("(\w+)"in [\w$]+\)\|\|\("(\w+)"in [\w$]+\)\)\)return')
V2_ANCHOR = "ConfigV2Compat:()=>"
V2_FATAL = 'V2 permissions are not supported by OpenCode V1'
_STRUCT_OPEN = re.compile(r"(?:Struct|object)\(\{")
_IDENT = re.compile(r"[\w$]+")


def module_at(binary: bytes, anchor: str) -> str:
    """The NUL-delimited module (JavaScript text) that holds `anchor`."""
    at = binary.find(anchor.encode())
    if at < 0:
        raise ValueError(f"anchor not found: {anchor}")
    start = binary.rfind(b"\0", 0, at) + 1
    end = binary.find(b"\0", at)
    return binary[start:end].decode("utf-8", "replace")


def read_binary(artifact: Artifact) -> bytes:
    return read_from_tgz(artifact, BINARY)


class ObjectReader:
    """Key sets of the object literals of one module (Effect `X.Struct({...})` or zod
    `z.object({...})`), following a value that names another struct defined in the module."""

    def __init__(self, text: str) -> None:
        self.src = Source(text)
        self.text = text
        self.names = SchemaReader(self.src)  # only for `definition(name)`: where a name is bound

    def struct_ending_at(self, anchor: str) -> int:
        """Index of the `{` of the struct literal whose call ends just before `anchor`
        (`X.Struct({...}).annotate({identifier:...})`, `z.object({...}).strict().meta({ref: ...})`)."""
        at = self.src.find(anchor)
        for match in reversed(list(_STRUCT_OPEN.finditer(self.text, 0, at))):
            brace = match.end() - 1
            tail = self.text[self.src.balanced(brace):at]
            if re.fullmatch(r"\)(?:\.strict\(\))?\.(?:annotate|meta)\(\{\s*", tail):
                return brace
        raise ValueError(f"no struct ends at {anchor}")

    def keys(self, brace: int) -> dict[str, dict[str, Any]]:
        """{key: {"optional": bool, "value": (start, end)}} of the object literal at `brace`."""
        end = self.src.balanced(brace)
        out: dict[str, dict[str, Any]] = {}
        for start, stop in self.src.split_top(brace + 1, end - 1):
            match = re.match(r'\s*("(?:[^"\\]|\\.)*"|[\w$]+)\s*:\s*', self.text[start:stop])
            if not match:
                continue
            value = (start + match.end(), stop)
            out[match.group(1).strip('"')] = {"optional": self._optional(*value), "value": value,
                                              "description": self._description(*value)}
        return out

    def _top_level_brackets(self, start: int, end: int) -> list[tuple[int, int]]:
        """Spans of the bracketed parts at depth 0 of the value `text[start:end]`."""
        spans, k = [], start
        while k < end:
            if self.text[k] in "([{":
                close = self.src.balanced(k)
                spans.append((k, close))
                k = close
                continue
            k += 1
        return spans

    def _chain(self, start: int, end: int) -> str:
        """The value's text with every bracketed part emptied: what is left is its call chain."""
        parts, k = [], start
        for open_at, close in self._top_level_brackets(start, end):
            parts.append(self.text[k:open_at + 1] + self.text[close - 1])
            k = close
        return "".join(parts) + self.text[k:end]

    def _optional(self, start: int, end: int) -> bool:
        """`X.optional(...)` (Effect) or a `.optional()` link of the chain (zod)."""
        chain = self._chain(start, end)
        return bool(re.match(r"[\w$]+\.optional\(", chain)) or ".optional()" in chain

    def _description(self, start: int, end: int) -> str:
        """The value's own description: the last `.annotate({description:...})` or
        `.describe("...")` of its call chain (not one of a nested key)."""
        found = ""
        for open_at, close in self._top_level_brackets(start, end):
            if self.text.endswith(("annotate", "describe"), start, open_at):
                match = re.match(r'\(\{?(?:description:)?\s*"((?:[^"\\]|\\.)*)"', self.text[open_at:close])
                if match:
                    found = match.group(1).encode().decode("unicode_escape")
        return found

    def nested(self, value: tuple[int, int]) -> int:
        """The `{` of the struct a value holds: inline, or bound to the last name it uses."""
        start, end = value
        inline = _STRUCT_OPEN.search(self.text, start, end)
        if inline:
            return inline.end() - 1
        names = [m.group() for m in _IDENT.finditer(self.text, start, end)]
        for name in reversed(names):
            bound = self.names.definition(name)
            if bound is not None:
                found = _STRUCT_OPEN.search(self.text, *bound)
                if found:
                    return found.end() - 1
        raise ValueError(f"no struct in {self.text[start:end][:80]!r}")


def _key_list(keys: dict[str, dict[str, Any]], with_required: bool = False) -> dict[str, Any] | list[str]:
    if not with_required:
        return sorted(keys)
    return {"keys": sorted(keys), "required": sorted(k for k, v in keys.items() if not v["optional"])}


def version_facts(binary: bytes) -> dict[str, Any]:
    """The key sets of one binary (provider and model: Effect builds only)."""
    effect = binary.find(EFFECT_CONFIG.encode()) >= 0
    config_anchor, provider_anchor = (EFFECT_CONFIG, EFFECT_PROVIDER) if effect else (ZOD_CONFIG, ZOD_PROVIDER)
    reader = ObjectReader(module_at(binary, config_anchor))
    top = reader.keys(reader.struct_ending_at(config_anchor))
    compaction = reader.keys(reader.nested(top["compaction"]["value"]))
    facts: dict[str, Any] = {}
    if effect:  # zod's ProviderConfig is `ModelsDev.Provider.partial().extend(...)`: not read (1.3.2)
        provider_reader = ObjectReader(module_at(binary, provider_anchor))
        provider = provider_reader.keys(provider_reader.struct_ending_at(provider_anchor))
        options = provider_reader.keys(provider_reader.nested(provider["options"]["value"]))
        model = provider_reader.keys(provider_reader.nested(provider["models"]["value"]))
        limit = provider_reader.keys(provider_reader.nested(model["limit"]["value"]))
        facts = {"provider": _key_list(provider), "provider_options": _key_list(options),
                 "model": _key_list(model), "limit": _key_list(limit, with_required=True)}
    return {
        "schema_library": "effect" if effect else "zod",
        "top_level": sorted(top),
        "top_level_unknown": "dropped" if LENIENT_TOP.search(binary.decode("utf-8", "replace")) else "error",
        "compaction": _key_list(compaction),
        **facts,
    }


def _top_level_entries(top: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Top-level keys with their `@deprecated` replacement (`@deprecated Use 'share' field ...`)."""
    out = {}
    for key in sorted(top):
        description = top[key]["description"]
        entry: dict[str, Any] = {"description": description}
        if description.startswith("@deprecated"):
            replacement = re.match(r"@deprecated\s+Use\s+['`]([\w.]+)['`]", description)
            entry["deprecated"] = True
            entry["replacement"] = replacement.group(1) if replacement else None
        out[key] = entry
    return out


# ConfigV2Compat.lower (1.18.33): each V2-native key and the V1 key it becomes. Confirmed in the
# binary by the `Object.hasOwn(value,"<key>")` test that starts each lowering step.
V2_TOP_LEVEL = {"snapshots": "snapshot", "media": "attachment", "agents": "agent", "commands": "command"}
V2_COMPACTION = {"keep": "preserve_recent_tokens", "buffer": "reserved"}
V2_DROPPED = re.compile(r'for\(let [\w$]+ of(\["\w+"(?:,"\w+")*\])\)if\(Object\.hasOwn\([\w$]+\.value,[\w$]+\)\)')


def v2_facts(binary: bytes) -> dict[str, Any] | None:
    """What `ConfigV2Compat.lower` does with V2-native keys, None when the binary has no lowering."""
    if binary.find(V2_ANCHOR.encode()) < 0:
        return None
    text = module_at(binary, V2_ANCHOR)
    for key in [*V2_TOP_LEVEL, *V2_COMPACTION, "permissions"]:
        if not re.search(r'hasOwn\([\w$.]+,"' + key + '"\\)', text):
            raise ValueError(f"ConfigV2Compat no longer tests {key!r}")
    if V2_FATAL not in text:
        raise ValueError("ConfigV2Compat: the V2 permissions error moved")
    dropped = V2_DROPPED.search(text)
    if dropped is None:
        raise ValueError("ConfigV2Compat: the list of dropped V2 keys moved")
    return {
        "top_level_lowered": V2_TOP_LEVEL,
        "compaction_lowered": V2_COMPACTION,
        "dropped": re.findall(r'"(\w+)"', dropped.group(1)),
        "fatal": "permissions",
        "fatal_message": V2_FATAL,
    }


def stripped_keys(binary: bytes) -> list[str]:
    """Top-level keys deleted before validation (they belong to tui.json)."""
    match = STRIPPED.search(binary.decode("utf-8", "replace"))
    if match is None:
        raise ValueError("the theme/keybinds/tui strip moved")
    return list(match.groups())


MCP_ANCHORS = ('identifier:"McpLocalConfig"', 'identifier:"McpRemoteConfig"')


def mcp_types(binary: bytes) -> list[str]:
    """The `type` literal of each MCP entry struct (`local`, `remote`)."""
    types = []
    for anchor in MCP_ANCHORS:
        reader = ObjectReader(module_at(binary, anchor))
        value = reader.keys(reader.struct_ending_at(anchor))["type"]["value"]
        types.append(re.match(r'[\w$]+\.Literal\("(\w+)"\)', reader.text[value[0]:value[1]]).group(1))
    return types


def catalog(binary: bytes, artifact: Artifact) -> str:
    """`catalog.json`: the bundled snapshot (in the ModelsDev module) and the npm rule (in the
    Provider module), read by Kilo's extraction code."""
    snapshot = bundled_catalog(Source(module_at(binary, CATALOG_ANCHOR)))
    rules = _npm_rules(Source(module_at(binary, NPM_RULE_ANCHOR)))
    return render_catalog(snapshot, rules, VERSION, artifact, harness="opencode")


def generate(download: bool) -> dict[Path, str] | None:
    artifacts = {version: npm_artifact(PACKAGE, version, download=download) for version in VERSIONS}
    if any(artifact is None for artifact in artifacts.values()):
        return None
    per_version: dict[str, Any] = {}
    target: dict[str, Any] = {}
    for version, artifact in artifacts.items():
        binary = read_binary(artifact)
        per_version[version] = version_facts(binary)
        if version == VERSION:
            effect_reader = ObjectReader(module_at(binary, EFFECT_CONFIG))
            top = effect_reader.keys(effect_reader.struct_ending_at(EFFECT_CONFIG))
            target = {
                "opencode_version": VERSION,
                "top_level": _top_level_entries(top),
                "stripped_keys": stripped_keys(binary),
                "mcp_types": mcp_types(binary),
                "v2": v2_facts(binary),
            }
            catalog_text = catalog(binary, artifact)
    facts = {**target, "versions": per_version}
    return {SCHEMA_FACTS: render(facts, list(artifacts.values()), "tools/extract/opencode.py"),
            CATALOG_FACTS: catalog_text}


def main() -> int:
    return write_outputs(generate(download=True))


if __name__ == "__main__":
    sys.exit(main())
