"""The dialect table: every harness cfglint reads, by dialect name. This is the one list.

Each entry names the unit's module and the `Harness` object in it; a unit is imported only when
one of its files is read, so importing this table costs nothing (the CLI builds its `--dialect`
choices from it on every run). What every run needs of every dialect (which files it reads, its
home and plain-setting variables) is data in `names`, so that recognising a path imports no unit.
Adding a dialect: one row here and in `names.NAMES`, plus its unit (`CONTRIBUTING.md`).
"""

from __future__ import annotations

from cfglint.core import load_module


TYPE_CHECKING = False
if TYPE_CHECKING:
    from cfglint.harnesses.base import Harness


# dialect -> (module, attribute)
_UNITS: dict[str, tuple[str, str]] = {
    "kimi-code": ("cfglint.harnesses.kimi", "KIMI_CODE"),
    "kimi-cli": ("cfglint.harnesses.kimi", "KIMI_CLI"),
    "kilo": ("cfglint.harnesses.kilo", "KILO"),
    "opencode": ("cfglint.harnesses.opencode", "OPENCODE"),
    "pi": ("cfglint.harnesses.pi", "PI"),
    "claude-code": ("cfglint.harnesses.claude_code", "CLAUDE_CODE"),
    "hermes": ("cfglint.harnesses.hermes", "HERMES"),
    "codex": ("cfglint.harnesses.codex", "CODEX"),
}

DIALECTS: tuple[str, ...] = tuple(_UNITS)


def harness_for(dialect: str) -> "Harness":
    try:
        module, attr = _UNITS[dialect]
    except KeyError:
        raise ValueError(
            f"unknown dialect {dialect!r} (expected one of: {', '.join(DIALECTS)})"
        ) from None
    return getattr(load_module(module), attr)


def schema_names() -> tuple[str, ...]:
    """Every shipped schema: one per dialect, plus a harness's schemas for its other kinds of file."""
    return tuple(name for dialect in DIALECTS
                 for name in (dialect, *harness_for(dialect).extra_schemas))


def harness_of_schema(name: str) -> "Harness":
    """The harness whose schema is called `name`."""
    for dialect in DIALECTS:
        harness = harness_for(dialect)
        if name == dialect or name in harness.extra_schemas:
            return harness
    raise ValueError(f"unknown schema {name!r} (expected one of: {', '.join(schema_names())})")


def home_variables() -> tuple[str, ...]:
    """The variables that name a harness's home directory (`--use-env`), in table order."""
    from cfglint.harnesses.names import NAMES

    return tuple(dict.fromkeys(NAMES[d].home_env for d in DIALECTS if NAMES[d].home_env))


def plain_env_variables() -> frozenset[str]:
    """The variables some harness documents as plain settings (numbers, model names, URLs):
    `explain` may print their values; every other value from the environment is a secret."""
    from cfglint.harnesses.names import NAMES

    return frozenset().union(*(NAMES[d].plain_env for d in DIALECTS), home_variables())
