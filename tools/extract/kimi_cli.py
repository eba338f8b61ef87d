"""kimi-cli's config.toml schema, read from the PyPI wheel `kimi-cli` (`kimi_cli/config.py`).

kimi-cli validates `~/.kimi/config.toml` with the pydantic model `kimi_cli.config.Config`
(unknown keys ignored, pydantic's default). This script reads that model and the classes
and `Literal` aliases it imports (`kimi_cli.llm.ProviderType`, `kimi_cli.hooks.config.HookDef`,
...) with `ast`, without importing kimi-cli, and writes the same plain schema description
as `tools/extract/kimi_code.py` (`cfglint/harnesses/kimi/data/kimi_cli_config.json`).
"""

from __future__ import annotations

import ast
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

from tools.extract.common import REPO, pypi_artifact, render, write_outputs

PACKAGE, VERSION = "kimi-cli", "1.49.0"
PYTHON_VERSION = "3.13"  # the wheel requires Python >= 3.12; cfglint runs on older ones
ROOT_MODULE, ROOT_CLASS = "kimi_cli/config.py", "Config"
OUTPUT = REPO / "cfglint" / "harnesses" / "kimi" / "data" / "kimi_cli_config.json"
OUTPUTS = (OUTPUT,)  # every file this script writes

_SCALARS = {"str": "string", "SecretStr": "string", "Path": "string", "int": "integer", "float": "number",
            "bool": "boolean"}
_BOUNDS = {"ge": "minimum", "le": "maximum", "min_length": "min_length"}


class _Wheel:
    """The wheel's modules, parsed on demand, and the names each one defines or imports."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.modules: dict[str, ast.Module] = {}

    def module(self, path: str) -> ast.Module:
        if path not in self.modules:
            source = self.archive.read(path).decode("utf-8")
            # `type X = ...` (Python 3.12) as a plain assignment, so older interpreters parse it
            self.modules[path] = ast.parse(re.sub(r"(?m)^type (\w+) = ", r"\1 = ", source))
        return self.modules[path]

    def definition(self, path: str, name: str) -> tuple[str, ast.AST]:
        """(module, node) of the class or assignment `name` seen from module `path`."""
        for node in self.module(path).body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                return path, node
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                return path, node.value
            if isinstance(node, ast.ImportFrom) and node.module and any(a.name == name for a in node.names):
                return self.definition(node.module.replace(".", "/") + ".py", name)
        raise LookupError(f"{name} not defined in {path}")


def _call_keywords(node: ast.AST) -> dict[str, ast.AST]:
    return {k.arg: k.value for k in node.keywords if k.arg} if isinstance(node, ast.Call) else {}


def _annotation(wheel: _Wheel, path: str, node: ast.AST) -> dict[str, Any]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        options = [n for n in (node.left, node.right) if not (isinstance(n, ast.Constant) and n.value is None)]
        if len(options) == 1:
            return {**_annotation(wheel, path, options[0]), "nullable": True}
        return {"any_of": [_annotation(wheel, path, n) for n in options]}
    if isinstance(node, ast.Subscript):
        outer = node.value.id
        if outer == "Literal":
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            return {"enum": [ast.literal_eval(item) for item in items]}
        if outer == "dict":
            return {"type": "record", "values": _annotation(wheel, path, node.slice.elts[1])}
        if outer in ("list", "set"):
            return {"type": "array", "items": _annotation(wheel, path, node.slice)}
    if isinstance(node, ast.Name):
        if node.id in _SCALARS:
            return {"type": _SCALARS[node.id]}
        where, found = wheel.definition(path, node.id)
        if isinstance(found, ast.ClassDef):
            return _model(wheel, where, found)
        return _annotation(wheel, where, found)
    raise ValueError(f"annotation not understood: {ast.unparse(node)}")


def _model(wheel: _Wheel, path: str, cls: ast.ClassDef) -> dict[str, Any]:
    """A pydantic model class: its annotated fields, with `Field(...)` bounds and defaults."""
    if any(isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "model_config" for t in n.targets)
           for n in cls.body):
        raise ValueError(f"{cls.name} sets model_config: unknown-key handling not read")
    properties: dict[str, Any] = {}
    for node in cls.body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        spec = _annotation(wheel, path, node.annotation)
        value = node.value
        keywords = _call_keywords(value) if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "Field" \
            else {}
        for keyword, bound in _BOUNDS.items():
            if keyword in keywords:
                spec[bound] = ast.literal_eval(keywords[keyword])
        if value is not None:
            spec["optional"] = True
            default = keywords.get("default", None if keywords else value)
            if isinstance(default, ast.Constant) and default.value is not None:
                spec["default"] = default.value
        properties[node.target.id] = spec
        aliases = keywords.get("validation_alias")
        if isinstance(aliases, ast.Call) and getattr(aliases.func, "id", "") == "AliasChoices":
            for alias in (ast.literal_eval(a) for a in aliases.args):
                if alias != node.target.id:
                    properties[alias] = {**{k: v for k, v in spec.items() if k != "default"},
                                         "optional": True, "alias_of": node.target.id}
    return {"type": "object", "properties": properties, "unknown_keys": "drop"}


def extract(archive: zipfile.ZipFile) -> dict[str, Any]:
    wheel = _Wheel(archive)
    path, root = wheel.definition(ROOT_MODULE, ROOT_CLASS)
    return {
        "unknown_keys": "drop (pydantic's default extra='ignore': no warning)",
        # `Config.model_validate` without strict mode: numbers and booleans may be written as strings
        "coercion": "pydantic-lax" if "model_validate(data)" in archive.read(ROOT_MODULE).decode("utf-8") else "strict",
        "config": _model(wheel, path, root),
    }


def generate(download: bool) -> dict[Path, str] | None:
    artifact = pypi_artifact(PACKAGE, VERSION, download=download, python_version=PYTHON_VERSION)
    if artifact is None:
        return None
    with zipfile.ZipFile(artifact.path) as archive:
        facts = extract(archive)
    return {OUTPUT: render(facts, [artifact], "tools/extract/kimi_cli.py")}


def main() -> int:
    return write_outputs(generate(download=True))


if __name__ == "__main__":
    sys.exit(main())
