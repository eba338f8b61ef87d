"""What every run needs of every harness, without importing its unit: which files it reads (told
by name and directory, or a pre-filter on the content of a file no name tells), its home and
plain-setting variables, its default release.

Every run recognises its paths by name (`engine.discover`), reads the home and plain-setting
variables of every dialect and puts every default release in its cache key; keeping those as data
here means a run imports only the units of the dialects it reads. The units take the same data (`Harness.__init_subclass__`, `Harness.recognises`,
`Harness.path_patterns`), so this is the one place a file name is declared. Imports nothing heavy:
patterns are strings, compiled by their first use through `re`'s cache.
"""

from __future__ import annotations

import os
import re

from cfglint.core.record import named_tuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import PurePath
    from typing import Callable


# chezmoi's source names for dot-directories in a dotfile repository (`dot_codex/private_config.toml`):
# attribute prefixes chezmoi strips when it installs the files (chezmoi docs, "Source state attributes").
CHEZMOI_FILE_PREFIX = r"^(?:private_)?(?:readonly_)?"
_CHEZMOI_DIR = r"(?:exact_)?(?:private_)?(?:readonly_)?"
CODEX_CHEZMOI_DIR = rf"{_CHEZMOI_DIR}dot_codex"
_PI_CHEZMOI_CONFIG_DIR = rf"{_CHEZMOI_DIR}dot_pi"
_PI_CHEZMOI_AGENT_DIR = rf"{_CHEZMOI_DIR}agent"

KILO_FILES = ("kilo.jsonc", "kilo.json")  # Kilo's own names: Kilo's wherever they are
KILO_DIRS = (".kilo", ".kilocode")  # `kilo.facts.config_dir_names()`, extracted from Kilo (a test compares)
KILO_GLOBAL_DIR = "kilo"  # `~/.config/kilo/`
OPENCODE_FILES = ("opencode.json", "opencode.jsonc")  # in one directory `.json` merges first (loses)
OPENCODE_GLOBAL_ONLY_FILE = "config.json"  # read only from the global directory `~/.config/opencode/`
CLAUDE_PROJECT_FILES = ("settings.json", "settings.local.json")
CLAUDE_MANAGED_FILE = "managed-settings.json"
PI_SETTINGS_FILE, PI_MODELS_FILE = "settings.json", "models.json"
CODEX_PROFILE_SUFFIX = ".config.toml"  # `$CODEX_HOME/<name>.config.toml`, applied with `-p <name>`


@named_tuple
class Names:
    """One dialect's files. The default recogniser: a name of `files` in a directory of `dirs`
    (anywhere when empty) or in the home directory `home_env` names."""

    default_version: str  # the release checked against unless `--target`/`targets` name another
    files: tuple[str, ...]
    dirs: tuple[str, ...] = ()
    home_env: str | None = None  # the variable naming the harness home (used only with --use-env)
    # Variables the harness documents as plain settings (numbers, model names, base URLs, switches):
    # explain prints their values. Every other value from the environment is shown by name and
    # length only (cfglint.core.secrets.Redactor).
    plain_env: frozenset[str] = frozenset()
    recognise: Callable[[PurePath, "str | None"], bool] | None = None  # when the default is not enough
    patterns: tuple[str, ...] = ()  # `path_patterns` when the default is not enough
    # A file found by no name is parsed and offered to the unit's `dialect_by_content` when its
    # suffix is one of `sniff_suffixes` and one of `sniff_markers` occurs in its first MiB.
    sniff_suffixes: tuple[str, ...] = ()
    sniff_markers: tuple[bytes, ...] = ()


def _in_dirs(names: Names, path: PurePath, home: str | None) -> bool:
    if path.name not in names.files:
        return False
    if not names.dirs:
        return True
    parent = path.parent
    return parent.name in names.dirs or _is_home(parent, home)


def _is_home(directory: PurePath, home: str | None) -> bool:
    return home is not None and str(directory) == home.rstrip("/")


def _kilo(path: PurePath, home: str | None) -> bool:
    """`kilo.json[c]` anywhere; an `opencode.json[c]` only where it is Kilo's (product.md
    "Harnesses and dialects"): inside `.kilo/` or `.kilocode/`, next to a `kilo.json[c]`, or in
    Kilo's global directory (`~/.config/kilo/`, or a copy of it named `kilo`). Every other
    `opencode.json[c]` belongs to upstream opencode."""
    if path.name in KILO_FILES:
        return True
    if path.name not in OPENCODE_FILES:
        return False
    parent = path.parent
    return (parent.name in KILO_DIRS or parent.name == KILO_GLOBAL_DIR
            or any(os.path.exists(os.path.join(parent, name)) for name in KILO_FILES))


def in_opencode_global_dir(path: PurePath) -> bool:
    return path.parent.name == "opencode" and path.parent.parent.name == ".config"


def _opencode(path: PurePath, home: str | None) -> bool:
    """`opencode.json[c]` anywhere (Kilo's are taken first by the dialect table), and
    `config.json` only in the global directory `~/.config/opencode/`."""
    if path.name in OPENCODE_FILES:
        return True
    return path.name == OPENCODE_GLOBAL_ONLY_FILE and in_opencode_global_dir(path)


def _pi(path: PurePath, home: str | None) -> bool:
    """`.pi/agent/{settings,models}.json`, `$PI_CODING_AGENT_DIR/{settings,models}.json`, the
    project's `.pi/settings.json` (pi reads no project models.json), and chezmoi's source copy
    of the agent dir (`dot_pi/agent/`, file names with `private_`)."""
    parent = path.parent
    files = NAMES["pi"].files
    if re.fullmatch(_PI_CHEZMOI_AGENT_DIR, parent.name) and re.fullmatch(_PI_CHEZMOI_CONFIG_DIR, parent.parent.name):
        return re.sub(CHEZMOI_FILE_PREFIX, "", path.name) in files
    if path.name not in files:
        return False
    if (parent.name == "agent" and parent.parent.name == ".pi") or _is_home(parent, home):
        return True
    return path.name == PI_SETTINGS_FILE and parent.name == ".pi"


def _claude(path: PurePath, home: str | None) -> bool:
    if path.name == CLAUDE_MANAGED_FILE:
        return True
    return path.name in CLAUDE_PROJECT_FILES and path.parent.name == ".claude"


def _hermes(path: PurePath, home: str | None) -> bool:
    """Also a profile's file: `.hermes/profiles/<name>/config.yaml` (`hermes -p <name>`)."""
    names = NAMES["hermes"]
    if _in_dirs(names, path, home):
        return True
    profiles = path.parent.parent
    return path.name in names.files and profiles.name == "profiles" and profiles.parent.name in names.dirs


def codex_profile(name: str) -> str | None:
    """`fast` for the file name `fast.config.toml` (chezmoi's prefixes stripped), else None."""
    name = re.sub(CHEZMOI_FILE_PREFIX, "", name)
    if name.endswith(CODEX_PROFILE_SUFFIX) and len(name) > len(CODEX_PROFILE_SUFFIX):
        return name[: -len(CODEX_PROFILE_SUFFIX)]
    return None


def _codex(path: PurePath, home: str | None) -> bool:
    """`config.toml` and profile files `<name>.config.toml` in `.codex/` or `$CODEX_HOME`, and
    chezmoi's source copy (`dot_codex/private_config.toml`)."""
    names = NAMES["codex"]
    name, parent = path.name, path.parent
    if re.fullmatch(CODEX_CHEZMOI_DIR, parent.name):
        name = re.sub(CHEZMOI_FILE_PREFIX, "", name)
    elif not (parent.name in names.dirs or _is_home(parent, home)):
        return False
    return name in names.files or codex_profile(name) is not None


_KIMI_SNIFF = {"sniff_suffixes": (".toml",), "sniff_markers": (b"max_context_size", b"loop_control")}
_KIMI_PLAIN = frozenset({
    "KIMI_MODEL_NAME", "KIMI_MODEL_PROVIDER_TYPE", "KIMI_MODEL_BASE_URL", "KIMI_MODEL_MAX_CONTEXT_SIZE",
    "KIMI_MODEL_MAX_OUTPUT_SIZE", "KIMI_MODEL_MAX_TOKENS", "KIMI_MODEL_MAX_COMPLETION_TOKENS",
    "KIMI_CODE_LEGACY_FLAG", "KIMI_BASE_URL", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL",
})

# By dialect, in no particular order: the dialect table (`cfglint.harnesses`) gives the order in
# which the recognisers are asked (Kilo's before opencode's).
NAMES: dict[str, Names] = {
    "kimi-code": Names("2.1.0", ("config.toml",), (".kimi-code",), "KIMI_CODE_HOME", _KIMI_PLAIN, **_KIMI_SNIFF),
    "kimi-cli": Names("1.49.0", ("config.toml",), (".kimi",), "KIMI_SHARE_DIR", _KIMI_PLAIN, **_KIMI_SNIFF),
    "kilo": Names("7.7.9", (*KILO_FILES, "opencode.jsonc", "opencode.json"), plain_env=frozenset({
        "KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX", "KILO_DISABLE_AUTOCOMPACT", "KILO_ENABLE_EXPERIMENTAL_MODELS",
        "KILO_DISABLE_DEFAULT_PLUGINS", "KILO_CONFIG_DIR", "XDG_CONFIG_HOME",
    }), recognise=_kilo),
    # `config.json` is read too, but only in the global directory (`_opencode`, `patterns`).
    "opencode": Names("1.18.33", OPENCODE_FILES, plain_env=frozenset({
        "OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX", "OPENCODE_DISABLE_AUTOCOMPACT", "OPENCODE_DISABLE_PRUNE",
        "OPENCODE_ENABLE_EXPERIMENTAL_MODELS", "OPENCODE_DISABLE_DEFAULT_PLUGINS", "OPENCODE_CONFIG",
        "OPENCODE_CONFIG_DIR", "OPENCODE_CONFIG_CONTENT", "OPENCODE_DISABLE_PROJECT_CONFIG", "XDG_CONFIG_HOME",
    }), recognise=_opencode, patterns=(r"opencode\.jsonc?", r"\.config/opencode/config\.json")),
    "pi": Names("1.6.0", (PI_SETTINGS_FILE, PI_MODELS_FILE), home_env="PI_CODING_AGENT_DIR", recognise=_pi, patterns=(
        r"\.pi/agent/(?:settings|models)\.json", r"\.pi/settings\.json",
        rf"{_PI_CHEZMOI_CONFIG_DIR}/{_PI_CHEZMOI_AGENT_DIR}/{CHEZMOI_FILE_PREFIX[1:]}(?:settings|models)\.json")),
    "claude-code": Names("2.1.329", (*CLAUDE_PROJECT_FILES, CLAUDE_MANAGED_FILE), (".claude",), plain_env=frozenset({
        "ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL", "ANTHROPIC_DEFAULT_MODEL", "ANTHROPIC_SMALL_FAST_MODEL",
        "ANTHROPIC_DEFAULT_OPUS_MODEL", "ANTHROPIC_DEFAULT_SONNET_MODEL", "ANTHROPIC_DEFAULT_HAIKU_MODEL",
        "ANTHROPIC_DEFAULT_FABLE_MODEL", "CLAUDE_CODE_AUTO_COMPACT_WINDOW", "CLAUDE_AUTOCOMPACT_PCT_OVERRIDE",
        "CLAUDE_CODE_MAX_OUTPUT_TOKENS", "CLAUDE_CODE_MAX_CONTEXT_TOKENS", "DISABLE_COMPACT", "DISABLE_AUTO_COMPACT",
        "CLAUDE_CODE_DISABLE_UNKNOWN_MODEL_WINDOW_ENFORCEMENT", "CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE",
        "MAX_THINKING_TOKENS", "CLAUDE_CODE_DISABLE_1M_CONTEXT", "CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING",
        "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY", "CLAUDE_CONFIG_DIR",
    }), recognise=_claude, patterns=(r"\.claude/settings(\.local)?\.json", r"managed-settings\.json"),
        sniff_suffixes=(".json",), sniff_markers=(b"json.schemastore.org/claude-code-settings.json",)),
    "hermes": Names("0.19.0", ("config.yaml",), (".hermes",), "HERMES_HOME", frozenset({"HERMES_MAX_TOKENS"}),
                    recognise=_hermes),
    "codex": Names("0.171.0", ("config.toml",), (".codex",), "CODEX_HOME",
                   frozenset({"CODEX_OSS_PORT", "CODEX_OSS_BASE_URL", "OPENAI_BASE_URL"}), recognise=_codex,
                   patterns=(r"\.codex/(?:[^/]+\.)?config\.toml",
                             rf"{CODEX_CHEZMOI_DIR}/{CHEZMOI_FILE_PREFIX[1:]}(?:[^/]+\.)?config\.toml"),
                   sniff_suffixes=(".toml",), sniff_markers=(b"model_providers", b"model_context_window",
                                                            b"model_auto_compact_token_limit", b"model_catalog_json",
                                                            b"model_provider")),
}


def recognises(dialect: str, path: PurePath, home: str | None = None) -> bool:
    """True when the harness reads a file at this path (by name and directory)."""
    names = NAMES[dialect]
    return names.recognise(path, home) if names.recognise else _in_dirs(names, path, home)


def may_sniff(dialect: str, path: PurePath, head: bytes) -> bool:
    """Cheap pre-filter before a file found by no name is parsed as the dialect's."""
    names = NAMES[dialect]
    return path.suffix in names.sniff_suffixes and any(marker in head for marker in names.sniff_markers)


def path_patterns(dialect: str) -> tuple[str, ...]:
    """Regular expressions of the paths `recognises` accepts by name (the end of a path), for the
    pre-commit hook's `files` pattern (`make schemas` writes it)."""
    names = NAMES[dialect]
    if names.patterns:
        return names.patterns
    files = "|".join(_escape(name) for name in names.files)
    files = f"(?:{files})" if len(names.files) > 1 else files
    if not names.dirs:
        return (files,)
    dirs = "|".join(_escape(d) for d in names.dirs)
    return (f"(?:{dirs})/{files}" if len(names.dirs) > 1 else f"{dirs}/{files}",)


def _escape(name: str) -> str:
    """A file or directory name as a regular expression (`.` escaped; `-` needs nothing)."""
    return re.escape(name).replace("\\-", "-")
