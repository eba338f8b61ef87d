"""Hermes Agent's config keys, read statically from the published `hermes-agent` wheels (PyPI).

For every release cfglint targets, the keys of the objects cfglint checks for
unknown keys (the top level, the `model` mapping, `compression` and one
`auxiliary.<task>`) are the union of:

- `DEFAULT_CONFIG` (`hermes_cli/config.py`, later `hermes_cli/config_defaults.py`);
- `_KNOWN_ROOT_KEYS` / `_EXTRA_KNOWN_ROOT_KEYS`, the roots Hermes's own
  `validate_config_structure` accepts;
- the keys the wheel's code reads from the loaded config: a small data-flow
  pass over every module's `ast` follows the dict that `load_config()`,
  `load_config_readonly()`, `read_raw_config()`, `load_cli_config()` or a
  `yaml.safe_load` next to "config.yaml" return, through assignments,
  `.get(...)`, `[...]`, `cfg_get(cfg, "a", "b")`, `.items()` loops, function
  parameters and return values, and records every literal key read on it.

A root key that Hermes accepts but whose name no module of the wheel uses
except where it is declared or written (`smart_model_routing` in 0.19.0) is
listed apart: it is accepted and has no effect. So are the root keys Hermes's
own check calls misplaced (`_CUSTOM_PROVIDER_LIKE_FIELDS` that are neither known
roots nor migrated into `model` by a `cfg.pop(key)`); they are not known keys;
and the root keys code pops that name a `model` key (moved into `model`). Each
release's `DEFAULT_CONFIG["_config_version"]` is kept too: the schema version it
writes, which tells a file written by a newer Hermes; and the auxiliary keys only
named tasks have (`title_generation.enabled`), with those tasks. The wheel is never imported or executed; a release takes a minute or more.
`python -m tools.extract.hermes` downloads the wheels when needed and writes
`cfglint/harnesses/hermes/data/known_keys.json`.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tools.extract.common import REPO, Artifact, pypi_artifact, render, write_outputs

PACKAGE = "hermes-agent"
# Every release on PyPI from the first cfglint maps (harness-hermes.md 6.1) to the newest.
VERSIONS = ("0.13.0", "0.14.0", "0.15.0", "0.15.1", "0.15.2", "0.16.0", "0.17.0", "0.18.0", "0.18.1",
            "0.18.2", "0.19.0")
OUTPUT = REPO / "cfglint" / "harnesses" / "hermes" / "data" / "known_keys.json"
OUTPUTS = (OUTPUT,)  # every file this script writes
# The objects whose keys cfglint knows completely; `*` stands for any auxiliary task (task names
# stay open: plugins add tasks).
SECTIONS = ((), ("model",), ("compression",), ("auxiliary", "*"))
WILDCARD = "*"
KEY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # not `"/" in model` on a model string
MAX_DEPTH = max(map(len, SECTIONS)) + 1  # deeper paths are not followed (`cur = cur.get(k)` loops)
DEFAULTS_MODULES = ("hermes_cli.config_defaults", "hermes_cli.config")
KNOWN_ROOT_SETS = ("_KNOWN_ROOT_KEYS", "_EXTRA_KNOWN_ROOT_KEYS")
# Root keys Hermes's own `validate_config_structure` warns about ("looks misplaced") unless known.
MISPLACED_ROOT_SET = "_CUSTOM_PROVIDER_LIKE_FIELDS"
# Functions returning the whole user config (module they are defined in, name).
ROOT_LOADERS = {
    ("hermes_cli.config", "load_config"),
    ("hermes_cli.config", "load_config_readonly"),
    ("hermes_cli.config", "read_raw_config"),
    ("cli", "load_cli_config"),
}
ROOT_GLOBALS = {("cli", "CLI_CONFIG")}
PATH_HELPERS = {"cfg_get"}  # cfg_get(cfg, "a", "b") reads cfg["a"]["b"]
# Root-key lists written to the output, by the release fact they come from.
LISTS = {"accepted_unread_root_keys": "accepted_unread", "misplaced_root_keys": "misplaced",
         "migrated_root_keys": "migrated"}

KeyPath = tuple[str, ...]


# --- reading the wheel ---------------------------------------------------------------------
def wheel_sources(artifact: Artifact) -> dict[str, str]:
    """The source of every importable module of the wheel, by dotted name."""
    sources = {}
    with zipfile.ZipFile(artifact.path) as wheel:
        for name in wheel.namelist():
            if name.endswith(".py") and ".dist-info/" not in name and ".data/" not in name:
                dotted = name[:-3].replace("/", ".").removesuffix(".__init__")
                sources[dotted] = wheel.read(name).decode("utf-8", errors="replace")
    return sources


@functools.lru_cache(maxsize=4)
def _parse(source: str) -> ast.Module:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return ast.Module(body=[], type_ignores=[])


def _module_assignment(tree: ast.Module, name: str) -> ast.expr | None:
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == name for t in statement.targets):
                return statement.value
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            if statement.target.id == name and statement.value is not None:
                return statement.value
    return None


def default_config_paths(sources: dict[str, str]) -> set[KeyPath]:
    """Every key path of the `DEFAULT_CONFIG` literal (nested dicts followed)."""
    for module in DEFAULTS_MODULES:
        value = _module_assignment(_parse(sources.get(module, "")), "DEFAULT_CONFIG")
        if isinstance(value, ast.Dict):
            paths: set[KeyPath] = set()
            _dict_paths(value, (), paths)
            return paths
    raise LookupError("DEFAULT_CONFIG not found")


def written_config_version(sources: dict[str, str]) -> int:
    """`DEFAULT_CONFIG["_config_version"]`: the schema version this release writes to config.yaml
    (`migrate_config` bumps an older file to it)."""
    for module in DEFAULTS_MODULES:
        value = _module_assignment(_parse(sources.get(module, "")), "DEFAULT_CONFIG")
        if isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values):
                if isinstance(key, ast.Constant) and key.value == "_config_version":
                    return ast.literal_eval(item)
    raise LookupError("DEFAULT_CONFIG[\"_config_version\"] not found")


def _dict_paths(node: ast.Dict, prefix: KeyPath, out: set[KeyPath]) -> None:
    for key, value in zip(node.keys, node.values):
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            out.add(prefix + (key.value,))
            if isinstance(value, ast.Dict):
                _dict_paths(value, prefix + (key.value,), out)


def known_root_keys(sources: dict[str, str]) -> set[str]:
    """The string members of `_KNOWN_ROOT_KEYS` / `_EXTRA_KNOWN_ROOT_KEYS` in hermes_cli/config.py."""
    tree = _parse(sources["hermes_cli.config"])
    values = [_module_assignment(tree, name) for name in KNOWN_ROOT_SETS]
    return {n.value for value in values if value is not None for n in ast.walk(value)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def custom_provider_like_fields(sources: dict[str, str]) -> set[str]:
    """`_CUSTOM_PROVIDER_LIKE_FIELDS`: root keys Hermes warns about as misplaced."""
    value = _module_assignment(_parse(sources["hermes_cli.config"]), MISPLACED_ROOT_SET)
    return {n.value for n in ast.walk(value) if isinstance(n, ast.Constant)} if value is not None else set()


# --- the data-flow pass ------------------------------------------------------------------
LOADER_NAMES = frozenset({name for _, name in ROOT_LOADERS | ROOT_GLOBALS} | PATH_HELPERS)


@dataclass
class _Scope:
    """A function (or a module's top level) and what the pass needs to know about it."""

    module: str
    name: str | None
    params: list[str]
    statements: list[ast.stmt]
    names: set[str]  # every name and attribute it mentions
    reads_config_yaml: bool


class ConfigReads:
    """Key paths read from the user config across the wheel (see the module docstring).

    Flow-insensitive and by name: a variable holds the key paths of every value
    assigned to it anywhere in its function. A worklist carries paths through
    parameters, return values and module globals. Modules are parsed when they
    mention a config loader or receive a config argument.
    """

    def __init__(self, sources: dict[str, str], index=None) -> None:
        self.sources = sources
        self.index = index or index_module
        self.scopes: list[_Scope] = []
        self.by_function: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.imports: dict[str, dict[str, tuple[str, str | None]]] = {}
        self.returns: dict[tuple[str, str], set[KeyPath]] = {f: {()} for f in ROOT_LOADERS}
        self.params: dict[int, dict[str, set[KeyPath]]] = defaultdict(dict)
        self.globals: dict[str, dict[str, set[KeyPath]]] = defaultdict(dict)
        for module, name in ROOT_GLOBALS:
            self.globals[module][name] = {()}
        self.reads: set[KeyPath] = set()
        self.removed: set[KeyPath] = set()  # `cfg.pop(key)`: read and taken out (migrations)
        self.pending: set[int] = set()

    def run(self) -> set[KeyPath]:
        for module, source in self.sources.items():
            if any(name in source for name in LOADER_NAMES) or "config.yaml" in source and "safe_load" in source:
                self.load(module)
        while self.pending:
            self._evaluate(self.pending.pop())
        return self.reads

    def load(self, module: str) -> None:
        """Index `module` and queue its scopes that touch the config."""
        if module in self.imports or module not in self.sources:
            return
        imports, scopes = self.index(module, self.sources[module])
        self.imports[module] = imports
        for scope in scopes:
            index = len(self.scopes)
            self.scopes.append(scope)
            if scope.name is not None:
                self.by_function[(module, scope.name)].append(index)
            for name in scope.names:
                self.by_name[name].add(index)
            if scope.names & LOADER_NAMES or scope.names & set(self.globals[module]) or scope.reads_config_yaml:
                self.pending.add(index)

    def _evaluate(self, index: int) -> None:
        scope = self.scopes[index]
        env = {k: set(v) for k, v in self.params[index].items()}
        if scope.name is None:
            env = self.globals[scope.module]
        evaluator = _Evaluator(self, scope, env)
        size = -1
        while size != (size := sum(map(len, env.values()))):  # until no variable gains a path
            for statement in scope.statements:
                evaluator.visit_statement(statement)
        if scope.name is None:
            for name in scope.names & set(env):
                self.pending |= {i for i in self.by_name[name] if self.scopes[i].module == scope.module and i != index}
            return
        returned = set().union(*(evaluator.eval(s.value) for s in scope.statements
                                 if isinstance(s, ast.Return) and s.value is not None))
        known = self.returns.setdefault((scope.module, scope.name), set())
        if not returned <= known:
            known |= returned
            self.pending |= self.by_name[scope.name]

    def bind_arguments(self, target: tuple[str, str], args: list[set[KeyPath]],
                       keywords: dict[str | None, set[KeyPath]]) -> None:
        """Pass config paths to the parameters of the called function."""
        if not any(args) and not any(keywords.values()):
            return
        self.load(target[0])
        for index in self.by_function.get(target, ()):
            params = self.params[index]
            names = self.scopes[index].params
            changed = False
            for name, paths in [*zip(names, args), *keywords.items()]:
                if paths and name in names and not paths <= params.get(name, set()):
                    params.setdefault(name, set()).update(paths)
                    changed = True
            if changed:
                self.pending.add(index)

    def resolve(self, module: str, func: ast.expr) -> tuple[str, str] | None:
        """The (module, name) a called name refers to, through this module's imports."""
        if isinstance(func, ast.Name):
            if (module, func.id) in self.by_function or (module, func.id) in self.returns:
                return module, func.id
            source = self.imports[module].get(func.id)
            if source and source[1]:
                return source[0], source[1]
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            source = self.imports[module].get(func.value.id)
            if source and source[1] is None:
                return source[0], func.attr
        return None


class _Evaluator:
    def __init__(self, reads: ConfigReads, scope: _Scope, env: dict[str, set[KeyPath]]):
        self.reads = reads
        self.scope = scope
        self.env = env
        self.literals: dict[str, set[str]] = {}  # loop variables over tuples of string literals

    def lookup(self, name: str) -> set[KeyPath]:
        return self.env.get(name) or self.reads.globals[self.scope.module].get(name) or set()

    def bind(self, target: ast.expr, paths: set[KeyPath]) -> None:
        if paths and isinstance(target, ast.Name):
            self.env.setdefault(target.id, set()).update(paths)

    def visit_statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Assign):
            paths = self.eval(node.value)
            for target in node.targets:
                self.bind(target, paths)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            self.bind(node.target, self.eval(node.value))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._loop(node.target, node.iter)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                paths = self.eval(item.context_expr)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, paths)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.eval(child)

    def _loop(self, target: ast.expr, iterable: ast.expr) -> None:
        """`for k, v in cfg.items()` / `for v in cfg.values()` bind v to any child of cfg;
        `for k in ("a", "b")` makes `cfg.get(k)` read "a" and "b"."""
        self.eval(iterable)
        if isinstance(iterable, (ast.Tuple, ast.List, ast.Set)) and isinstance(target, ast.Name):
            strings = {e.value for e in iterable.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            if strings:
                self.literals.setdefault(target.id, set()).update(strings)
        elif isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute):
            children = {p + (WILDCARD,) for p in self.eval(iterable.func.value) if len(p) < MAX_DEPTH}
            if iterable.func.attr == "items" and isinstance(target, ast.Tuple) and len(target.elts) == 2:
                self.bind(target.elts[1], children)
            elif iterable.func.attr == "values":
                self.bind(target, children)

    def read(self, parents: set[KeyPath], key: ast.expr | None) -> set[KeyPath]:
        """Record reading `key` (a literal, else any key) of the values at `parents`."""
        if not parents:
            return set()
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names = {key.value}
        elif isinstance(key, ast.Name) and key.id in self.literals:
            names = self.literals[key.id]
        else:
            names = {WILDCARD}
        found = {p + (name,) for p in parents for name in names if len(p) < MAX_DEPTH}
        self.reads.reads |= found
        return found

    def eval(self, node: ast.expr | None) -> set[KeyPath]:
        """The key paths of the user config `node` may hold (empty: not config)."""
        if node is None:
            return set()
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.BoolOp):
            return set().union(*(self.eval(v) for v in node.values))
        if isinstance(node, ast.IfExp):
            self.eval(node.test)
            return self.eval(node.body) | self.eval(node.orelse)
        if isinstance(node, ast.NamedExpr):
            paths = self.eval(node.value)
            self.bind(node.target, paths)
            return paths
        if isinstance(node, ast.Subscript):
            parents = self.eval(node.value)
            self.eval(node.slice)
            return self.read(parents, node.slice) if isinstance(node.ctx, ast.Load) else set()
        if isinstance(node, ast.Compare):
            self.eval(node.left)
            for op, right in zip(node.ops, node.comparators):
                container = self.eval(right)
                if isinstance(op, (ast.In, ast.NotIn)):
                    self.read(container, node.left)
            return set()
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            for generator in node.generators:
                self._loop(generator.target, generator.iter)
                for condition in generator.ifs:
                    self.eval(condition)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.eval(child)
        return set()

    def call(self, node: ast.Call) -> set[KeyPath]:
        args = [self.eval(a) for a in node.args]
        keywords = {k.arg: self.eval(k.value) for k in node.keywords}
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = self.eval(func.value)
            if func.attr in ("get", "setdefault", "pop") and node.args:
                found = self.read(receiver, node.args[0])
                if func.attr == "pop":
                    self.reads.removed |= found
                return found
            if func.attr == "copy":
                return receiver
            if func.attr == "safe_load" and self.scope.reads_config_yaml:
                return {()}
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in PATH_HELPERS and node.args:
            paths = args[0]
            for key in node.args[1:]:
                paths = self.read(paths, key)
            return paths
        if name in ("dict", "deepcopy") and args:
            return args[0]
        target = self.reads.resolve(self.scope.module, func)
        if target is None:
            return set()
        self.reads.bind_arguments(target, args, keywords)
        return set(self.reads.returns.get(target, ()))


def index_module(module: str, source: str) -> tuple[dict[str, tuple[str, str | None]], list[_Scope]]:
    """One walk over a module: its imports (local name -> (module, name), name None for
    `import m`) and its scopes: the top level and every function, each with its own
    statements (not those of nested functions or class bodies) and the names it mentions."""
    package = module.split(".")[:-1]
    imports: dict[str, tuple[str, str | None]] = {}
    top = _Scope(module, None, [], [], set(), False)
    scopes = [top]
    stack: list[tuple[ast.AST, _Scope | None]] = [(_parse(source), top)]
    while stack:
        node, scope = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            scope = _Scope(module, node.name, [a.arg for a in arguments], [], set(), False)
            scopes.append(scope)
            children = node.body
        elif isinstance(node, ast.ClassDef):
            scope, children = None, node.body
        else:
            children = list(ast.iter_child_nodes(node))
        if scope is not None:
            if isinstance(node, ast.Name):
                scope.names.add(node.id)
            elif isinstance(node, ast.Attribute):
                scope.names.add(node.attr)
            elif isinstance(node, ast.Constant) and node.value == "config.yaml":
                scope.reads_config_yaml = True
            scope.statements.extend(c for c in children if isinstance(c, ast.stmt)
                                    and not isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - (node.level - 1)]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:
                imports[alias.asname or alias.name] = (base, alias.name)
                if scope is not None:  # `from m import load_config as _load` inside a function
                    scope.names.add(alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                top_name = alias.name.split(".")[0]
                imports[alias.asname or top_name] = (alias.name if alias.asname else top_name, None)
        stack.extend((child, scope) for child in children)
    for scope in scopes:
        scope.statements.sort(key=lambda statement: statement.lineno)
    return imports, scopes


# --- per release ---------------------------------------------------------------------------
def unread_names(sources: dict[str, str], names: set[str]) -> set[str]:
    """Those of `names` no module uses except in the known-root sets or as a write-only
    `cfg.setdefault(name, ...)[...] = value`."""
    unread = set()
    for name in names:
        mentioned = [m for m, text in sources.items() if f'"{name}"' in text or f"'{name}'" in text]
        if not any(_uses(_parse(sources[m]), name, skip_known_root_sets=m == "hermes_cli.config") for m in mentioned):
            unread.add(name)
    return unread


def _uses(tree: ast.Module, name: str, skip_known_root_sets: bool) -> bool:
    ignored: set[int] = set()
    if skip_known_root_sets:
        for set_name in KNOWN_ROOT_SETS:
            value = _module_assignment(tree, set_name)
            ignored |= {id(n) for n in ast.walk(value)} if value is not None else set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute) and node.value.func.attr == "setdefault"
                and node.value.args):
            ignored.add(id(node.value.args[0]))
    return any(isinstance(n, ast.Constant) and n.value == name and id(n) not in ignored for n in ast.walk(tree))


def release_facts(sources: dict[str, str], index=None) -> dict[str, dict]:
    """One release: the known keys of each checked section, the accepted root keys nothing
    reads, the root keys Hermes's own check calls misplaced, and the root keys code takes out
    of the config (`cfg.pop(key)`: moved into `model` by `_normalize_root_model_keys`)."""
    defaults = default_config_paths(sources)
    accepted_roots = known_root_keys(sources)
    flow = ConfigReads(sources, index)
    reads = flow.run()
    known: dict[KeyPath, set[str]] = {}
    for section in SECTIONS:
        depth = len(section)
        keys = {p[depth] for p in defaults | reads if len(p) > depth and _matches(p[:depth], section)}
        if section == ("auxiliary", WILDCARD):  # any task: the keys of every default task
            keys |= {p[2] for p in defaults if len(p) == 3 and p[0] == "auxiliary"}
        known[section] = {k for k in keys if KEY_NAME.fullmatch(k)}
    # Taken out of the top level and named like a `model` key: moved into `model` (the root
    # `model` itself is that section, other popped roots are dropped, not moved).
    migrated = {p[0] for p in flow.removed if len(p) == 1} & known[("model",)] - {"model"}
    misplaced = custom_provider_like_fields(sources) - accepted_roots - migrated - {p[0] for p in defaults}
    known[()] = (known[()] | accepted_roots) - misplaced
    unread = unread_names(sources, accepted_roots - {p[0] for p in defaults | reads})
    return {"known": known, "accepted_unread": unread, "misplaced": misplaced, "migrated": migrated,
            "config_version": written_config_version(sources),
            "auxiliary_task_keys": task_only_auxiliary_keys(defaults, reads)}


def task_only_auxiliary_keys(defaults: set[KeyPath], reads: set[KeyPath]) -> dict[str, set[str]]:
    """The auxiliary keys only named tasks have, with those tasks (`title_generation.enabled`). A
    key is any task's when code reads it on a task it does not name (`auxiliary.*.timeout`) or
    every default task has it. Tasks read with keys the pass cannot tell (`curator.*`) are listed
    under the key `*`: their entries may hold any key."""
    entries = {p for p in defaults | reads if len(p) == 3 and p[0] == "auxiliary"}
    default_tasks = {p[1] for p in defaults if len(p) == 3 and p[0] == "auxiliary"}
    per_task = [{key for _, t, key in entries if t == task} for task in sorted(default_tasks)]
    generic = {key for _, task, key in entries if task == WILDCARD} | set.intersection(*per_task or [set()])
    open_tasks = {task for _, task, key in entries if key == WILDCARD and task != WILDCARD}
    only: dict[str, set[str]] = defaultdict(set)
    for _, task, key in entries:
        if task != WILDCARD and key not in generic and KEY_NAME.fullmatch(key):
            only[key].add(task)
    if open_tasks:
        only[WILDCARD] = open_tasks
    return dict(only)


def _matches(path: KeyPath, section: KeyPath) -> bool:
    """A read path lies in a section when each part is equal or the section's part is the wildcard
    (`auxiliary.vision.download_timeout` is a key of any task; a key read on any child of the
    top level is a key of no particular section)."""
    return all(a == b or b == WILDCARD for a, b in zip(path, section))


def version_ranges(present: list[str]) -> str:
    """`0.13.0..0.19.0` style runs of consecutive releases of VERSIONS."""
    runs: list[list[str]] = []
    for version in VERSIONS:
        if version in present:
            if runs and VERSIONS.index(runs[-1][-1]) == VERSIONS.index(version) - 1:
                runs[-1].append(version)
            else:
                runs.append([version])
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]}..{r[-1]}" for r in runs)


def generate(download: bool) -> dict[Path, str] | None:
    artifacts = [pypi_artifact(PACKAGE, version, download) for version in VERSIONS]
    if any(a is None for a in artifacts):
        return None
    sections: dict[str, dict[str, list[str]]] = {".".join(s): defaultdict(list) for s in SECTIONS}
    lists: dict[str, dict[str, list[str]]] = {name: defaultdict(list) for name in LISTS}
    config_versions: dict[str, int] = {}
    task_keys: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    indexed: dict[tuple[str, str], tuple] = {}  # modules unchanged since the previous release
    for version, artifact in zip(VERSIONS, artifacts):
        used: dict[tuple[str, str], tuple] = {}

        def index(module: str, source: str) -> tuple:
            key = (module, source)
            used[key] = indexed.get(key) or index_module(module, source)
            return used[key]

        facts = release_facts(wheel_sources(artifact), index)
        indexed = used
        config_versions[version] = facts["config_version"]
        for key, tasks in facts["auxiliary_task_keys"].items():
            for task in tasks:
                task_keys[key][task].append(version)
        for section, keys in facts["known"].items():
            for key in keys:
                sections[".".join(section)][key].append(version)
        for name, fact in LISTS.items():
            for key in facts[fact]:
                lists[name][key].append(version)
    document = {
        "versions": list(VERSIONS),
        "sections": {name: {k: version_ranges(v) for k, v in sorted(keys.items())}
                     for name, keys in sections.items()},
        **{name: {k: version_ranges(v) for k, v in sorted(keys.items())} for name, keys in lists.items()},
        "config_versions": config_versions,
        "auxiliary_task_keys": {key: {task: version_ranges(v) for task, v in sorted(tasks.items())}
                                for key, tasks in sorted(task_keys.items())},
    }
    return {OUTPUT: render(document, artifacts, "tools/extract/hermes.py")}


def main() -> int:
    return write_outputs(generate(download=True))


if __name__ == "__main__":
    sys.exit(main())
