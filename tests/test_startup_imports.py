"""Start-up cost, bounded by counting modules rather than by timing (issue 15): a check imports
only what its dialect, command and output format need, and a cache hit runs no rule.

Each case runs `cfglint check` in a fresh interpreter and reads the modules it imported; the
files sit outside any git worktree, so no context layer is read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from cfglint.harnesses import _UNITS
from cfglint.rules import RULES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Run the CLI as the entry point does, then report every module imported and, if Kilo's bundled
# catalog was read, how many of its providers were decoded.
_PROBE = """
import json, sys
out, sys.argv = sys.argv[1], ["cfglint", *sys.argv[2:]]
try:
    from cfglint.cli import main
    main()
except SystemExit:
    pass
kilo = sys.modules.get("cfglint.harnesses.kilo.facts")
catalog = kilo._catalog() if kilo and kilo._catalog.cache_info().currsize else None
decoded = sum(isinstance(p, dict) for p in catalog.providers.values()) if catalog else None
with open(out, "w") as handle:
    json.dump({"modules": sorted(sys.modules), "decoded_catalog_providers": decoded}, handle)
"""

# Never needed by `check` with the default output, whatever the file: other commands, other output
# formats, and the libraries only they use.
NOT_FOR_A_CHECK = (
    "cfglint.report.explain", "cfglint.report.json_report", "cfglint.report.sarif", "cfglint.report.junit",
    "cfglint.report.github", "cfglint.report.gitlab", "cfglint.report.masking", "cfglint.report.statistics",
    "cfglint.rules.docs", "cfglint.engine.fix", "cfglint.registry.generate", "cfglint.server",
    "cfglint.generate", "jsonschema", "pydantic", "json5", "pygls", "lsprotocol",
)
# Each syntax's parser, and what only that syntax's harnesses read.
PARSERS = {
    "toml": ("cfglint.parsing.toml",),
    "json": ("cfglint.parsing.jsonc", "cfglint.harnesses.kilo.substitution"),
    "yaml": ("cfglint.parsing.yaml", "yaml"),
}
RULE_MODULES = sorted({f"cfglint.rules.{target.partition(':')[0]}" for target in RULES.values()})
# What a cache hit must not reach: the rules, the parsers, the validators, the registry lookup.
NOT_FOR_A_CACHE_HIT = (*RULE_MODULES, "cfglint.rules.base", "cfglint.parsing.toml", "cfglint.validation.validate",
                       "cfglint.registry.lookup", "tomli", "jsonschema")


def _imported(tmp_path: Path, *args: str) -> set[str]:
    """The modules a `cfglint check ARGS` run in `tmp_path/work` imported."""
    return set(_probe(tmp_path, *args)["modules"])


def _probe(tmp_path: Path, *args: str, bare: bool = False) -> dict[str, Any]:
    """What `_PROBE` reports of a `cfglint check ARGS` run in `tmp_path/work`. `bare`: without
    `site` (`-S`), the dependencies on `PYTHONPATH`, as a regular install starts: the editable
    install these tests run imports `pathlib`, `contextlib` and `importlib` at start-up itself."""
    out = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CFGLINT_"))}
    paths = [str(EXAMPLES.parent), *(sysconfig.get_paths()[kind] for kind in ("purelib", "platlib"))] if bare else \
        [str(EXAMPLES.parent)]
    env |= {"CFGLINT_CACHE_DIR": str(tmp_path / "cache"), "XDG_CACHE_HOME": str(tmp_path / "xdg"),
            "PYTHONPATH": os.pathsep.join(paths)}
    flags = ["-S"] if bare else []
    result = subprocess.run([sys.executable, *flags, "-c", _PROBE, str(out), "check", *args], cwd=tmp_path / "work",
                            env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(out.read_text())


@pytest.mark.parametrize("example, target, syntax", [
    ("codex/gateway/.codex/config.toml", ".codex/config.toml", "toml"),
    ("kimi-code/glm-5.2/.kimi-code/config.toml", ".kimi-code/config.toml", "toml"),
    ("kilo/good/kilo.jsonc", "kilo.jsonc", "json"),
    ("hermes/.hermes/config.yaml", ".hermes/config.yaml", "yaml"),
])
def test_a_check_imports_only_its_syntax_command_and_format(tmp_path: Path, example: str, target: str,
                                                             syntax: str) -> None:
    path = tmp_path / "work" / target
    path.parent.mkdir(parents=True)
    shutil.copyfile(EXAMPLES / example, path)
    modules = _imported(tmp_path, "--no-cache", target)
    assert PARSERS[syntax][0] in modules  # the probe saw the check itself
    unneeded = {*NOT_FOR_A_CHECK, *(m for other, names in PARSERS.items() if other != syntax for m in names)}
    assert sorted(modules & unneeded) == []


def test_a_cache_hit_runs_no_rule_and_parses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "work" / ".codex" / "config.toml"
    path.parent.mkdir(parents=True)
    shutil.copyfile(EXAMPLES / "codex/gateway/.codex/config.toml", path)
    assert {"cfglint.rules.compaction", "cfglint.parsing.toml"} <= _imported(tmp_path, ".codex/config.toml")
    assert sorted(_imported(tmp_path, ".codex/config.toml").intersection(NOT_FOR_A_CACHE_HIT)) == []


UNITS = sorted({module for module, _ in _UNITS.values()})


def _units(modules: set[str]) -> list[str]:
    return sorted(modules.intersection(UNITS))


@pytest.mark.parametrize("target", ["kilo.jsonc", "."])
def test_a_check_imports_only_the_unit_of_its_dialect(tmp_path: Path, target: str) -> None:
    """Files are recognised by name, and files no name tells pre-filtered for sniffing, from data
    (`harnesses.names`), not by asking every unit."""
    path = tmp_path / "work" / "kilo.jsonc"
    path.parent.mkdir(parents=True)
    shutil.copyfile(EXAMPLES / "kilo/good/kilo.jsonc", path)
    (path.parent / "package.json").write_text('{"name": "app"}\n')
    (path.parent / "pyproject.toml").write_text('[project]\nname = "app"\n')
    assert _units(_imported(tmp_path, "--no-cache", target)) == ["cfglint.harnesses.kilo"]


def test_a_cache_hit_imports_no_other_unit(tmp_path: Path) -> None:
    path = tmp_path / "work" / ".hermes" / "config.yaml"
    path.parent.mkdir(parents=True)
    shutil.copyfile(EXAMPLES / "hermes/.hermes/config.yaml", path)
    _imported(tmp_path, ".hermes/config.yaml")
    # named another way: not a replay of the run (`engine.replay`), a hit of its configuration
    assert set(_units(_imported(tmp_path, "./.hermes/config.yaml"))) <= {"cfglint.harnesses.hermes"}


# `dataclasses` imports `inspect` (with `ast`, `dis`, `tokenize`): ~8 ms CPU, half a clean interpreter.
NOT_FOR_A_PLAIN_CACHE_HIT = ("dataclasses", "inspect", "click")
# One example per dialect, laid out as its harness names it.
EVERY_DIALECT = [
    ("codex/gateway/.codex/config.toml", ".codex/config.toml"),
    ("kimi-code/glm-5.2/.kimi-code/config.toml", ".kimi-code/config.toml"),
    ("kimi-cli/.kimi/config.toml", ".kimi/config.toml"),
    ("kilo/good/kilo.jsonc", "kilo.jsonc"),
    ("opencode/good/opencode.json", "opencode.json"),
    ("claude-code/.claude/settings.json", ".claude/settings.json"),
    ("pi/.pi/agent/settings.json", ".pi/agent/settings.json"),
    ("hermes/.hermes/config.yaml", ".hermes/config.yaml"),
]


@pytest.mark.parametrize("example, target", EVERY_DIALECT)
def test_a_plain_cache_hit_imports_no_dataclasses_inspect_or_click(tmp_path: Path, example: str,
                                                                    target: str) -> None:
    """The pre-commit hook's `cfglint check FILE` on an unchanged file, in every dialect: the same
    command again is a replay of the run; the file named another way (another command, so no
    replay) reads its configuration's cache entry."""
    path = tmp_path / "work" / target
    path.parent.mkdir(parents=True)
    shutil.copyfile(EXAMPLES / example, path)
    assert "cfglint.rules.base" in _imported(tmp_path, target)  # the miss ran the rules
    modules = _imported(tmp_path, f"./{target}")
    assert "cfglint.engine.cache" in modules and "cfglint.rules.base" not in modules  # a hit
    assert sorted(modules.intersection(NOT_FOR_A_PLAIN_CACHE_HIT)) == []
    replayed = _imported(tmp_path, target)
    assert sorted(m for m in replayed if m.startswith("cfglint")) == REPLAY_MODULES
    assert sorted(replayed.intersection(("typing", "cfglint.engine.cache", "tomli", "yaml"))) == []


# What a replayed run imports of cfglint (`engine.replay`): the entry point, the replay, where the
# cache is and how it is read.
REPLAY_MODULES = ["cfglint", "cfglint.cli", "cfglint.core", "cfglint.core.paths", "cfglint.core.safeio",
                  "cfglint.engine", "cfglint.engine.replay"]


# A cold check (the hook's `cfglint check FILE` on a changed file: it runs the rules and stores an entry)
# needs no dataclass (budgets, resolvers and registry matches are Records: `dataclasses` and its
# decorations cost ~5 ms), no `tempfile` (the entry is written without it: its shutil, random, bz2 and
# lzma cost ~2.5 ms) and, for a file that is not TOML, no TOML library (the registry's bundled overlay
# is read as JSON). Nor `typing` (~3 ms: names are typed under `if TYPE_CHECKING:` and tuples made by
# `record.named_tuple`), `shlex` or `numbers`. (`contextlib` neither, but the editable install these
# tests run imports it at start-up.)
# Nor cfglint's own modules for what the file and the command line do not have: suppression comments,
# `--env`/`--env-file`, a git that fails.
NOT_FOR_A_COLD_CHECK = ("dataclasses", "inspect", "tempfile", "shutil", "random", "typing", "shlex", "numbers",
                        "cfglint.settings.suppressions", "cfglint.engine.envfile", "cfglint.engine.gitignore")


@pytest.mark.parametrize("example, target", EVERY_DIALECT)
def test_a_cold_check_imports_no_dataclasses_tempfile_or_toml_library(tmp_path: Path, example: str,
                                                                     target: str) -> None:
    path = tmp_path / "work" / target
    path.parent.mkdir(parents=True)
    shutil.copyfile(EXAMPLES / example, path)
    modules = _imported(tmp_path, target)
    assert "cfglint.rules.base" in modules and list((tmp_path / "cache").rglob("*.json"))  # a miss, stored
    unneeded = {*NOT_FOR_A_COLD_CHECK, *(() if target.endswith(".toml") else ("tomli",))}
    assert sorted(modules & unneeded) == []


# The standard library a cold check of a config without an `http://` URL does without: `pathlib`
# with the `urllib.parse`, `ipaddress` and `fnmatch` it imports (~3.4 ms CPU; paths are taken
# apart by `core.paths.PurePosix`), `importlib` with its `warnings` (units and rules are loaded
# by `core.load_module`; tomli, compiled by mypyc, imports them for a TOML file), `contextlib`.
NOT_IN_A_BARE_COLD_CHECK = ("pathlib", "urllib.parse", "ipaddress", "fnmatch", "importlib", "warnings", "contextlib",
                            *NOT_FOR_A_COLD_CHECK)


@pytest.mark.parametrize("example, target", EVERY_DIALECT)
def test_a_cold_check_imports_no_pathlib_importlib_or_contextlib(tmp_path: Path, example: str, target: str) -> None:
    path = tmp_path / "work" / target
    path.parent.mkdir(parents=True)
    shutil.copyfile(EXAMPLES / example, path)
    assert b"http://" not in path.read_bytes()
    modules = set(_probe(tmp_path, target, bare=True)["modules"])
    assert "cfglint.rules.base" in modules and list((tmp_path / "cache").rglob("*.json"))  # a miss, stored
    tomli = ("importlib", "warnings") if target.endswith(".toml") else ()
    assert sorted(modules.intersection(NOT_IN_A_BARE_COLD_CHECK).difference(tomli)) == []


def test_a_cold_kilo_check_decodes_only_the_catalog_providers_it_looks_up(tmp_path: Path) -> None:
    """Kilo's bundled catalog (0.45 MB, ~220 providers) is read provider by provider (decoding them
    all was ~3.5 ms of a Kilo check): the example names one provider, so at most one is decoded."""
    path = tmp_path / "work" / "kilo.jsonc"
    path.parent.mkdir(parents=True)
    shutil.copyfile(EXAMPLES / "kilo/good/kilo.jsonc", path)
    assert _probe(tmp_path, "kilo.jsonc")["decoded_catalog_providers"] in (0, 1)  # None: not read


def test_a_cold_kimi_code_check_without_a_dangling_reference_imports_no_difflib(tmp_path: Path) -> None:
    path = tmp_path / "work" / ".kimi-code" / "config.toml"
    path.parent.mkdir(parents=True)
    shutil.copyfile(EXAMPLES / "kimi-code/glm-5.2/.kimi-code/config.toml", path)
    assert "difflib" not in _imported(tmp_path, ".kimi-code/config.toml")
