"""Kilo CLI's config schema and config-loading facts, read from its shipped binary.

npm `@kilocode/cli-linux-x64` is a Bun single-file executable: the CLI's bundled
JavaScript (`src/index.js`) sits in the ELF section `.bun`. This script slices it
out and reads, by stable anchors (schema keys, log and error strings, export
maps; never offsets or minified names):

- the top-level config `Struct` (`ConfigV1.Info`) and every object reachable from
  it: keys, required keys, whether the object takes any key (records,
  `StructWithRest`), string enums, `@deprecated` descriptions;
- the TUI keys Kilo deletes from the main config with a deprecation warning;
- the environment variables `{env:}` may never name, and the project-config
  rules of `config/variable.ts` and the MCP-header check;
- the directories Kilo reads config files from;
- the models.dev snapshot bundled in the binary (`ModelsDev`'s fallback when no cache
  file exists), reduced to what the resolver needs: per provider its npm package, per
  model its limits, status and own npm package (`catalog.json`).

Only the top level is strict: Kilo lists its unknown keys (`SPH.keys` on the
top-level AST) and rejects the file; nested objects are decoded with Effect
Schema's default, which drops unknown keys.

Run `python -m tools.extract.kilo` to (download and) regenerate
`cfglint/harnesses/kilo/data/config_schema.json` and `catalog.json`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from tools.extract.common import REPO, Artifact, bun_modules, npm_artifact, read_from_tgz, render, write_outputs

PACKAGE = "@kilocode/cli-linux-x64"
VERSION = "7.7.9"
BINARY = "package/bin/kilo"
SCHEMA_FACTS = REPO / "cfglint" / "harnesses" / "kilo" / "data" / "config_schema.json"
CATALOG_FACTS = REPO / "cfglint" / "harnesses" / "kilo" / "data" / "catalog.json"
OUTPUTS = (SCHEMA_FACTS, CATALOG_FACTS)

# Anchors: text that identifies a piece of the bundle whatever the minifier named things.
TOP_LEVEL_ANCHOR = "hide_prompt_training_models:V.optional("
TUI_WARNING = "tui keys in the main config are deprecated; move them to tui.json"
PROJECT_ENV_ERROR = "environment references are not allowed in project config"
MCP_HEADER_WARNING = "variable references are not allowed in project MCP headers"
BLOCKED_ENV_ANCHOR = 'new Set(["KILO_SERVER_PASSWORD"'
DIRECTORIES_ANCHOR = 'hqH("ConfigPaths.directories")'
CATALOG_ANCHOR = 'ModelsDev.fetchApi'  # the bundled snapshot is the next `x.sync(()=>({...}))`
# GY9 (models.dev entry -> Model): `npm: PY9(provider.id, model.id) ?? model.provider?.npm ?? provider.npm`
# (whatever the minifier named the provider and the model: opencode's build has `gN($.id,Z.id)`).
NPM_RULE_CALL = re.compile(r"npm:([\w$]+)\(([\w$]+)\.id,([\w$]+)\.id\)\?\?\3\.provider\?\.npm\?\?\2\.npm")

_IDENT = re.compile(r"[\w$]+")
_WRAPPERS = {"optional", "NullOr", "mutable", "UndefinedOr"}
_NOT_SHAPE = {"optional", "nullable", "description"}  # how a shape is used, not what it is


# --- the bundle -------------------------------------------------------------------------------


def bundle_text(binary: bytes) -> str:
    """`src/index.js` of a Bun single-file executable (module graph at the end of `.bun`)."""
    for name, content in bun_modules(binary).items():
        if name.endswith("/root/src/index.js"):
            return content.decode("utf-8")
    raise ValueError("src/index.js not found in the module graph")


def read_bundle(artifact: Artifact) -> str:
    return bundle_text(read_from_tgz(artifact, BINARY))


# --- a reader for the minified Effect Schema expressions ---------------------------------------


class Source:
    """The bundle text with the scanning helpers the schema reader needs."""

    def __init__(self, text: str) -> None:
        self.text = text

    def skip_string(self, i: int) -> int:
        quote, s = self.text[i], self.text
        k = i + 1
        while True:
            c = s[k]
            if c == "\\":
                k += 2
                continue
            if quote == "`" and c == "$" and s[k + 1] == "{":
                k = self.balanced(k + 1)
                continue
            if c == quote:
                return k + 1
            k += 1

    def skip_regex(self, i: int) -> int:
        s, k, in_class = self.text, i + 1, False
        while True:
            c = s[k]
            if c == "\\":
                k += 2
                continue
            if c == "[":
                in_class = True
            elif c == "]":
                in_class = False
            elif c == "/" and not in_class:
                k += 1
                while s[k].isalpha():
                    k += 1
                return k
            k += 1

    def skip_literal(self, k: int) -> int | None:
        """Index after the string or regex literal that starts at `k`, None if none starts there."""
        c = self.text[k]
        if c in "\"'`":
            return self.skip_string(k)
        if c == "/" and self.text[k - 1] in "(,:[=!&|?{;":
            return self.skip_regex(k)
        return None

    def balanced(self, i: int) -> int:
        """Index after the bracket that closes the one at `i`."""
        s, depth, k = self.text, 0, i
        while True:
            c = s[k]
            after = self.skip_literal(k)
            if after is not None:
                k = after
                continue
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
                if depth == 0:
                    return k + 1
            k += 1

    def split_top(self, start: int, end: int) -> list[tuple[int, int]]:
        """Spans of the comma-separated items between `start` and `end` (depth 0 only)."""
        s, items, k, item = self.text, [], start, start
        while k < end:
            c = s[k]
            after = self.skip_literal(k)
            if after is not None:
                k = after
                continue
            if c in "([{":
                k = self.balanced(k)
                continue
            if c == ",":
                items.append((item, k))
                item = k + 1
            k += 1
        if item < end:
            items.append((item, end))
        return items

    def find(self, anchor: str, start: int = 0) -> int:
        index = self.text.find(anchor, start)
        if index < 0:
            raise ValueError(f"anchor not found: {anchor[:80]}")
        return index


class SchemaReader:
    """Turns Effect Schema expressions (`V.optional(V.Struct({...}))`) into plain shapes."""

    def __init__(self, source: Source) -> None:
        self.src = source
        self.text = source.text
        self._resolved: dict[str, dict[str, Any]] = {}

    # - expressions are read as: primary ( .name | .name(args) | (args) )*
    def chain(self, start: int, end: int) -> list[tuple[str, tuple[int, int] | None]]:
        """The links of a call chain: (name, args span or None)."""
        s, k, links = self.text, start, []
        while k < end:
            if s[k] == ".":
                k += 1
            match = _IDENT.match(s, k)
            if not match:
                break
            name, k = match.group(), match.end()
            args = None
            if k < end and s[k] == "(":
                close = self.src.balanced(k)
                args, k = (k + 1, close - 1), close
            links.append((name, args))
            if k < end and s[k] != ".":
                break
        return links

    def shape(self, start: int, end: int, seen: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The shape of the schema expression text[start:end]."""
        s = self.text
        while s[start] in " \n":
            start += 1
        links = self.chain(start, end)
        if not links:
            return {"type": "unknown", "text": s[start:min(end, start + 60)]}
        # `V.X(...)` is one node; `ns.Member` an import; `a.b.c` a chain of methods on `a`.
        head, rest = links[0], links[1:]
        if head[0] == "V" and rest:
            node, modifiers = self._schema_call(rest[0], seen), rest[1:]
        elif rest and rest[0][1] is None and head[1] is None:
            node, modifiers = self.resolve_member(head[0], rest[0][0], seen), rest[1:]
        else:
            node, modifiers = self.resolve_name(head[0], seen), rest
        for name, args in modifiers:
            if name == "annotate" and args:
                description = self._description(args)
                if description is not None:
                    node = {**node, "description": description}
            elif name == "pipe" and args:
                for item_start, item_end in self.src.split_top(*args):
                    inner = self.chain(item_start, item_end)
                    if inner and inner[0][0] == "V" and len(inner) > 1 and inner[1][0] in _WRAPPERS:
                        node = {**node, "optional": True} if inner[1][0] == "optional" else node
        return node

    def _description(self, args: tuple[int, int]) -> str | None:
        match = re.match(r'\{description:"((?:[^"\\]|\\.)*)"', self.text[args[0]:args[1]])
        return match.group(1).encode().decode("unicode_escape") if match else None

    def _schema_call(self, link: tuple[str, tuple[int, int] | None], seen: frozenset[str]) -> dict[str, Any]:
        name, args = link
        if args is None:
            return {"type": name}
        items = self.src.split_top(*args)
        if name in _WRAPPERS:
            inner = self.shape(*items[0], seen)
            if name == "optional":
                return {**inner, "optional": True}
            if name == "NullOr":
                return {**inner, "nullable": True}
            return inner
        if name == "Struct":
            return self._struct(items[0], seen)
        if name == "StructWithRest":
            known = self.shape(*items[0], seen)
            rest = self.src.split_top(items[1][0] + 1, items[1][1] - 1)
            rest_shape = self.shape(*rest[0], seen) if rest else {"type": "unknown"}
            values = rest_shape.get("values") if rest_shape.get("type") == "record" else None
            return {**known, "open": True, **({"rest": values} if values else {})}
        if name == "Record":
            return {"type": "record", "values": self.shape(*items[1], seen)}
        if name == "Union":
            members = self.src.split_top(items[0][0] + 1, items[0][1] - 1)
            return {"type": "union", "members": [self.shape(*m, seen) for m in members]}
        if name == "Array":
            return {"type": "array", "items": self.shape(*items[0], seen)}
        if name == "Literal":
            return {"type": "literal", "value": self._literal(*items[0])}
        if name == "Literals":
            return {"type": "enum", "values": self._literal_list(*items[0])}
        if name == "Class":
            return {"type": "class"}
        return {"type": name}

    def _struct(self, span: tuple[int, int], seen: frozenset[str]) -> dict[str, Any]:
        start, end = span
        keys: dict[str, Any] = {}
        for item_start, item_end in self.src.split_top(start + 1, end - 1):
            text = self.text[item_start:item_end]
            match = re.match(r'\s*("(?:[^"\\]|\\.)*"|[\w$]+)\s*:', text)
            if not match:
                continue
            key = match.group(1).strip('"')
            keys[key] = self.shape(item_start + match.end(), item_end, seen)
        return {"type": "struct", "keys": keys}

    def _literal(self, start: int, end: int) -> Any:
        text = self.text[start:end].strip()
        if text.startswith('"'):
            return text[1:-1]
        return {"!0": True, "!1": False}.get(text, text)

    def _literal_list(self, start: int, end: int) -> list[Any]:
        text = self.text[start:end].strip()
        if not text.startswith("["):
            definition = self.definition(text)
            if definition is None:
                return []
            start, end = definition
            text = self.text[start:end].strip()
            if not text.startswith("["):
                return []
            start = self.text.index("[", start)
            end = self.src.balanced(start)
        else:
            start = self.text.index("[", start)
        return [self._literal(*item) for item in self.src.split_top(start + 1, end - 1)]

    # - names
    def definition(self, name: str) -> tuple[int, int] | None:
        """The expression assigned to `name` (`name=EXPR` ending at the next top-level `,` or `;`)."""
        needle, at = name + "=", -1
        while (at := self.text.find(needle, at + 1)) >= 0:
            start = at + len(needle)
            before = self.text[at - 1]
            if before.isalnum() or before in "_$." or self.text[start] in "=>":
                continue
            if self.text.startswith("class ", start):
                header = re.compile(r"class [\w$]+ extends V\.Class\(\"[^\"]*\"\)\(").match(self.text, start)
                if header:
                    open_at = header.end() - 1
                    return open_at + 1, self.src.balanced(open_at) - 1
                continue
            if self.text[start] != "[" and not _IDENT.match(self.text, start):
                continue
            end, k = start, start
            while k < len(self.text):
                c = self.text[k]
                if c in "\"'`":
                    k = self.src.skip_string(k)
                    continue
                if c in "([{":
                    k = self.src.balanced(k)
                    continue
                if c in ",;)}":
                    end = k
                    break
                k += 1
            return start, end
        return None

    def resolve_name(self, name: str, seen: frozenset[str]) -> dict[str, Any]:
        """The shape a name is bound to (each name is read once: the bundle is 30 MB)."""
        if name in seen:
            return {"type": "recursive", "ref": name}
        if name not in self._resolved:
            definition = self.definition(name)
            if definition is None:
                self._resolved[name] = {"type": "unknown", "ref": name}
            elif self.text[definition[0]] == "{":  # a class body
                self._resolved[name] = self._struct(definition, seen | {name})
            else:
                self._resolved[name] = self.shape(*definition, seen | {name})
        return self._resolved[name]

    def resolve_member(self, namespace: str, member: str, seen: frozenset[str]) -> dict[str, Any]:
        """`ns.Member` through the namespace's export map `WL(ns,{Member:()=>NAME,...})`."""
        match = re.search(r"WL\(" + re.escape(namespace) + r",\{[^}]*?\b" + re.escape(member) + r":\(\)=>([\w$]+)",
                          self.text)
        if not match:
            return {"type": "unknown", "ref": f"{namespace}.{member}"}
        return self.resolve_name(match.group(1), seen)

    def top_level(self) -> dict[str, Any]:
        """The config's top-level `V.Struct({$schema:...})` that holds the anchor key."""
        anchor = self.src.find(TOP_LEVEL_ANCHOR)
        start = self.text.rindex("V.Struct({$schema:", 0, anchor)
        end = self.src.balanced(start + len("V.Struct"))
        return self.shape(start, end)


# --- facts ------------------------------------------------------------------------------------


def _walk(node: dict[str, Any], path: str, objects: dict[str, Any], enums: dict[str, list[Any]],
          seen: set[str]) -> None:
    """Every object and enum reachable from `node`, by dotted path (`*` = any map key, `|n` =
    union member, `[]` = array item). A shape met twice (e.g. one agent schema under every
    built-in agent name) is listed once, under its first path."""
    kind = node.get("type")
    if kind == "struct":
        same = json.dumps({k: v for k, v in node.items() if k not in _NOT_SHAPE}, sort_keys=True)
        if same in seen:
            return
        seen.add(same)
    if kind == "enum":
        enums[path] = node["values"]
    elif kind == "literal":
        enums[path] = [node["value"]]
    elif kind == "struct":
        keys = node["keys"]
        objects[path or "."] = {
            "keys": sorted(keys),
            "required": sorted(k for k, v in keys.items() if not v.get("optional")),
            "open": bool(node.get("open")),
        }
        if "rest" in node:
            _walk(node["rest"], f"{path}.*", objects, enums, seen)
        for key, child in keys.items():
            _walk(child, f"{path}.{key}" if path else key, objects, enums, seen)
    elif kind == "record":
        _walk(node["values"], f"{path}.*", objects, enums, seen)
    elif kind == "array":
        _walk(node["items"], f"{path}[]", objects, enums, seen)
    elif kind == "union":
        for index, member in enumerate(node["members"]):
            _walk(member, f"{path}|{index}", objects, enums, seen)


_REPLACEMENT = re.compile(r"@deprecated\s+(?:Use|use)\s+['`]([\w.]+)['`]")


def _top_level_keys(top: dict[str, Any]) -> dict[str, Any]:
    keys = {}
    for key, node in top["keys"].items():
        description = node.get("description", "")
        entry: dict[str, Any] = {"description": description}
        if description.startswith("@deprecated"):
            replacement = _REPLACEMENT.match(description)
            entry["deprecated"] = True
            entry["replacement"] = replacement.group(1) if replacement else None
        keys[key] = entry
    return keys


def _tui_keys(src: Source) -> list[str]:
    """The keys TsL deletes: `("theme"in L)||("keybinds"in L)||("tui"in L)` before the warning."""
    warning = src.find(TUI_WARNING)
    window = src.text[src.text.rindex("function ", 0, warning):warning]
    return re.findall(r'\("(\w+)"in [\w$]+\)', window)


def _string_set_at(src: Source, anchor: str) -> list[str]:
    start = src.find(anchor) + len("new Set(")
    return [item.strip('"') for item in re.findall(r'"[^"]*"', src.text[start:src.balanced(start)])]


def _config_dirs(src: Source) -> list[str]:
    at = src.find(DIRECTORIES_ANCHOR)
    body = src.text[at:src.balanced(src.text.index("{", at))]
    return sorted(set(re.findall(r'targets:\[([^\]]*)\]', body)[0].replace('"', "").split(",")))


def _project_rules(src: Source) -> dict[str, Any]:
    """config/variable.ts and the MCP-header check: confirm the anchors, record the messages."""
    src.find(PROJECT_ENV_ERROR)
    header = src.find(MCP_HEADER_WARNING)
    pattern_name = re.search(r"&&([\w$]+)\.test\(", src.text[header - 600:header]).group(1)
    pattern = re.search(re.escape(pattern_name) + r"=(/(?:[^/\\]|\\.)+/)", src.text).group(1)
    return {
        "env_reference_error": PROJECT_ENV_ERROR,
        "mcp_header_warning": MCP_HEADER_WARNING,
        "mcp_header_reference_pattern": pattern,
    }


# --- the bundled models.dev catalog --------------------------------------------------------------

_JS_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_JS_WORDS = (("!0", True), ("!1", False), ("null", None), ("void 0", None), ("true", True), ("false", False))


def js_literal(text: str, i: int) -> tuple[Any, int]:
    """The minified JS object literal at text[i] (objects, arrays, strings, numbers, `!0`/`!1`)
    as Python data, and the index after it."""
    c = text[i]
    if c == "{":
        out: dict[str, Any] = {}
        i += 1
        while text[i] != "}":
            if text[i] in "\"'`":
                key, i = _js_string(text, i)
            else:
                match = _IDENT.match(text, i) or _JS_NUMBER.match(text, i)
                key, i = match.group(), match.end()
            out[key], i = js_literal(text, i + 1)  # skips the `:`
            i += text[i] == ","
        return out, i + 1
    if c == "[":
        items = []
        i += 1
        while text[i] != "]":
            value, i = js_literal(text, i)
            items.append(value)
            i += text[i] == ","
        return items, i + 1
    if c in "\"'`":
        return _js_string(text, i)
    for word, value in _JS_WORDS:
        if text.startswith(word, i):
            return value, i + len(word)
    match = _JS_NUMBER.match(text, i)
    if not match:
        raise ValueError(f"not a JS literal: {text[i:i + 40]!r}")
    number = float(match.group())
    return (int(number) if number.is_integer() else number), match.end()


def _js_string(text: str, i: int) -> tuple[str, int]:
    quote, parts, k = text[i], [], i + 1
    start = k
    while text[k] != quote:
        if text[k] == "\\":
            parts.append(text[start:k])
            escape = text[k + 1]
            if escape == "u" and text[k + 2] == "{":
                end = text.index("}", k)
                parts.append(chr(int(text[k + 3:end], 16)))
                k = end + 1
            elif escape in "ux":
                width = 4 if escape == "u" else 2
                parts.append(chr(int(text[k + 2:k + 2 + width], 16)))
                k += 2 + width
            else:
                parts.append("" if escape == "\n" else _JS_ESCAPES.get(escape, escape))
                k += 2
            start = k
            continue
        if quote == "`" and text.startswith("${", k):
            raise ValueError("template literal with a substitution in the catalog")
        k += 1
    parts.append(text[start:k])
    return "".join(parts), k + 1


def _npm_rules(src: Source) -> dict[str, dict[str, str]]:
    """PY9: per provider id, the npm package a model-id prefix selects (cloudflare-ai-gateway)."""
    name = NPM_RULE_CALL.search(src.text).group(1)
    provider_var, model_var, body = re.search(
        r"function " + re.escape(name) + r"\(([\w$]+),([\w$]+)\)\{(.*?)return\}", src.text).groups()
    provider = re.match(r"if\(" + re.escape(provider_var) + r'!=="([^"]+)"\)return;', body).group(1)
    prefixes = r"if\(" + re.escape(model_var) + r'\.startsWith\("([^"]+)"\)\)return"([^"]+)";'
    return {provider: dict(re.findall(prefixes, body))}


def bundled_catalog(src: Source) -> dict[str, Any]:
    """The models.dev snapshot Kilo falls back to (`ModelsDev`: cache file, else this, else a
    download), as the resolver needs it. Each model is `[context, input, output, status, npm]`
    (trailing nulls dropped): `npm` only where the entry names its own package. A model's
    `experimental.modes` become models `<id>-<mode>` with the same limits (WY9)."""
    anchor = src.find(CATALOG_ANCHOR)
    start = re.compile(r"[\w$]+\.sync\(\(\)=>\(\{").search(src.text, anchor).end() - 1
    snapshot, _ = js_literal(src.text, start)
    providers: dict[str, Any] = {}
    for pid, provider in snapshot.items():
        models: dict[str, list[Any]] = {}
        for key, model in provider["models"].items():
            limit = model["limit"]
            row = [limit["context"], limit.get("input"), limit["output"], model.get("status"),
                   (model.get("provider") or {}).get("npm")]
            while row[-1] is None:
                row.pop()
            models[key] = row
            for mode in (model.get("experimental") or {}).get("modes") or {}:
                models[f"{model['id']}-{mode}"] = row
        providers[pid] = {"npm": provider.get("npm"), "models": models}
    return providers


def render_catalog(catalog: dict[str, Any], npm_rules: dict[str, Any], version: str | None,
                   artifact: Artifact, harness: str = "kilo") -> str:
    """JSON with one provider header and one model per line: compact, and a diff shows which
    models changed. `harness` names the extractor and the version field (opencode's too)."""
    head = {
        "generated_by": f"tools/extract/{harness}.py",
        "artifacts": [artifact.provenance()],
        f"{harness}_version": version,
        "source": "models.dev snapshot bundled in the binary (ModelsDev fallback, `x.sync(() => ({...}))`)",
        "model_fields": ["context", "input", "output", "status", "npm"],
        "npm_by_model_prefix": npm_rules,
    }
    lines = [json.dumps(head, indent=1, ensure_ascii=False)[:-2] + ',\n "providers": {']
    for index, (pid, provider) in enumerate(catalog.items()):
        lines.append(f'  {json.dumps(pid)}: {{"npm": {json.dumps(provider["npm"])}, "models": {{')
        models = list(provider["models"].items())
        for position, (key, row) in enumerate(models):
            comma = "," if position < len(models) - 1 else ""
            lines.append(f"   {json.dumps(key, ensure_ascii=False)}: {json.dumps(row, ensure_ascii=False)}{comma}")
        lines.append("   }}" + ("," if index < len(catalog) - 1 else ""))
    lines.append(" }\n}")
    return "\n".join(lines) + "\n"


def facts(text: str) -> dict[str, Any]:
    src = Source(text)
    reader = SchemaReader(src)
    top = reader.top_level()
    objects: dict[str, Any] = {}
    enums: dict[str, list[Any]] = {}
    _walk(top, "", objects, enums, set())
    version = re.search(r'var [\w$]+="(\d+\.\d+\.\d+)",[\w$]+="latest"', text)
    return {
        "kilo_version": version.group(1) if version else None,
        "top_level": _top_level_keys(top),
        "top_level_strict": True,
        "nested_unknown_keys": "dropped",
        "tui_keys": _tui_keys(src),
        "tui_warning": TUI_WARNING,
        "blocked_env": _string_set_at(src, BLOCKED_ENV_ANCHOR),
        "config_dirs": _config_dirs(src),
        "project_config": _project_rules(src),
        "objects": objects,
        "enums": enums,
    }


def generate(download: bool) -> dict[Path, str] | None:
    artifact = npm_artifact(PACKAGE, VERSION, download=download)
    if artifact is None:
        return None
    text = read_bundle(artifact)
    schema = facts(text)
    src = Source(text)
    return {
        SCHEMA_FACTS: render(schema, [artifact], "tools/extract/kilo.py"),
        CATALOG_FACTS: render_catalog(bundled_catalog(src), _npm_rules(src), schema["kilo_version"], artifact),
    }


def main() -> int:
    return write_outputs(generate(download=True))


if __name__ == "__main__":
    sys.exit(main())
