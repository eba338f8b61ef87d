"""The package's structure as a contract (issue 10, `CONTRIBUTING.md`).

1. Layers: a module imports only from its own layer and the layers below it (the order of
   `LAYERS`); the layer names are the top-level packages, so the tree shows the architecture.
   Imports under `if TYPE_CHECKING:` count too: an annotation that needs an upper layer is a
   contract the layer does not have.
2. One unit per harness: outside `cfglint/harnesses/` no code names a dialect or a
   harness-specific string (env variable prefixes, harness names). Documentation (docstrings,
   comments and the `RuleDoc`/`summary` prose of a rule, which cites harnesses as examples) is
   prose, not code, and is not searched.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cfglint"

# Lowest first. A module may import its own layer and any layer before it.
LAYERS = ("core", "parsing", "registry", "validation", "harnesses", "rules", "settings", "engine",
          "report", "generate", "cli")
# Modules at the top of the package that belong to a layer.
TOP_LEVEL = {"__init__": "core", "__main__": "cli", "cli": "cli", "commands": "cli", "server": "cli",
             "schemas": "validation"}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "cfglint":
        return None
    if len(parts) == 1:
        return "core"  # `from cfglint import __version__`
    return TOP_LEVEL.get(parts[1], parts[1])


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            # `from cfglint import rules` imports the package `cfglint.rules`
            if name == "cfglint":
                found += [(node.lineno, f"cfglint.{alias.name}") for alias in node.names]
    return found


def test_every_module_belongs_to_a_layer() -> None:
    unknown = {_layer(_module_name(p)) for p in _sources()} - set(LAYERS)
    assert not unknown, f"top-level packages or modules in no layer: {sorted(unknown)} (add them to LAYERS)"


def test_imports_point_down_the_layers() -> None:
    rank = {name: i for i, name in enumerate(LAYERS)}
    wrong = []
    for path in _sources():
        module = _module_name(path)
        own = _layer(module)
        for line, imported in _imports(ast.parse(path.read_text()), module, path.name == "__init__.py"):
            layer = _layer(imported)
            if layer is not None and layer in rank and rank[layer] > rank[own]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {own} imports {imported} ({layer})")
    assert not wrong, "imports against the layer order " + " < ".join(LAYERS) + ":\n" + "\n".join(wrong)


def test_the_layer_check_sees_a_wrong_import(tmp_path) -> None:
    """The check above is not vacuous: an upward import in a core module is reported."""
    tree = ast.parse("from cfglint.rules import base\nif False:\n    import cfglint.engine.check\n")
    layers = {_layer(name) for _, name in _imports(tree, "cfglint.core.text", False)}
    assert layers == {"rules", "engine"}


# -- dialect names outside the harness units --------------------------------------------------

DIALECT_WORDS = re.compile(
    r"(?i)\b(kimi|kilo|kilocode|claude|hermes|opencode|codex)\b"
    r"|\b(KIMI|KILO|HERMES|CLAUDE|ANTHROPIC|OPENCODE|CODEX)_[A-Z0-9_]*"
)


class _CodeStrings(ast.NodeVisitor):
    """String constants and identifiers that are code, not documentation."""

    def __init__(self) -> None:
        self.hits: list[tuple[int, str]] = []

    def _prose(self, node: ast.AST) -> bool:
        return False

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # a docstring or a bare string statement
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "RuleDoc":
            return  # rule documentation (cites harnesses as examples)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id == "summary" for t in node.targets):
            return  # a rule's one-line summary (documentation)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self.hits += [(node.lineno, m.group(0)) for m in DIALECT_WORDS.finditer(node.value)]

    def visit_Name(self, node: ast.Name) -> None:
        self._identifier(node.lineno, node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._identifier(node.lineno, node.attr)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._identifier(node.lineno, node.name)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._identifier(node.lineno, node.name)
        self.generic_visit(node)

    def _identifier(self, line: int, name: str) -> None:
        words = re.split(r"_|(?<=[a-z])(?=[A-Z])", name)
        self.hits += [(line, name) for w in words if DIALECT_WORDS.fullmatch(w)]


def _outside_units() -> list[Path]:
    """Modules outside the units, except the validators generated from each unit's model (named
    after it by construction, and rewritten by `make schemas`)."""
    apart = (PACKAGE / "harnesses", PACKAGE / "validation" / "generated")
    return [p for p in _sources() if not any(d in p.parents for d in apart)]


def dialect_mentions(source: str) -> list[tuple[int, str]]:
    visitor = _CodeStrings()
    visitor.visit(ast.parse(source))
    return visitor.hits


@pytest.mark.parametrize("path", _outside_units(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_dialect_named_outside_the_harness_units(path: Path) -> None:
    hits = dialect_mentions(path.read_text())
    assert not hits, "\n".join(f"{path.relative_to(PACKAGE.parent)}:{line}: {what!r}" for line, what in hits)


def test_the_dialect_check_sees_code_but_not_prose() -> None:
    source = (
        '"""Kilo docs."""\n'
        'x = "kilo"  # Kilo comment\n'
        'def kimi_fix(): return "set KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX"\n'
        'doc = RuleDoc(what="Kilo")\n'
    )
    assert [w for _, w in dialect_mentions(source)] == ["kilo", "kimi_fix", "KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX"]
