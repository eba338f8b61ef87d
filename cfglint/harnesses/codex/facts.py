"""Codex CLI's constants and version gates (`harness-codex.md` §2-§6), each with its evidence.

Evidence kinds, as in the sheet: "run X" = the released binary of X executed against a local mock
Responses server; "bin X" = data read out of that binary (`data/`, `tools/extract/codex.py`:
serde field lists, the bundled model catalog). Paths such as `models-manager/src/model_info.rs`
are inside `codex-rs/` of openai/codex and explain a mechanism; the run decides the number. A
version between two gates behaves like the lower one (§6).
"""

from __future__ import annotations

import functools
import json
import os

from cfglint.core.paths import data_file, read_data
from cfglint.core.versions import Version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


DATA = data_file(__file__)

# --- files (§2.1) --------------------------------------------------------------------------------
CONFIG_DIR = ".codex"
CONFIG_FILE = "config.toml"
PROFILE_SUFFIX = ".config.toml"         # `$CODEX_HOME/<name>.config.toml`, applied with `-p <name>` (>= 0.134.0)
HOME_ENV = "CODEX_HOME"
CATALOG_SCHEMA = "codex-catalog"        # schema of a `model_catalog_json` file (cfglint/schemas/<name>.schema.json)

# --- built-in providers (§3.4, run 0.171.0) -----------------------------------------------------
BUILTIN_PROVIDERS = ("openai", "ollama", "lmstudio", "amazon-bedrock")
RESERVED_PROVIDER_IDS = ("openai", "ollama", "lmstudio")   # `[model_providers.<id>]` = startup error
BEDROCK_OVERRIDABLE = ("base_url", "auth", "http_headers", "aws")
BEDROCK_AWS_OVERRIDABLE = ("profile", "region", "credential_export", "auth_refresh")
REMOVED_PROVIDER = "ollama-chat"         # "`ollama-chat` is no longer supported"

# --- fallback metadata for an unknown slug (§3.6; model_info.rs `model_info_from_slug`) -----------
FALLBACK_CONTEXT_WINDOW = 272_000
DEFAULT_EFFECTIVE_PERCENT = 95           # `effective_context_window_percent` default (openai_models.rs)
NINETY_NUMERATOR, NINETY_DENOMINATOR = 9, 10   # `auto = resolved * 9 / 10`
# Post-compaction floor estimate (§5.5): initial context (~6,060 tokens in an empty project, run
# 0.171.0) + earlier user messages up to COMPACT_USER_MESSAGE_MAX_TOKENS = 20,000 (compact.rs).
INITIAL_CONTEXT_ESTIMATE = 6_000
KEPT_USER_MESSAGES = 20_000
I64_MAX = 2 ** 63 - 1

# --- version gates (§6) --------------------------------------------------------------------------
EFFECTIVE_PERCENT_FROM = Version.parse("0.58.0")    # 95 % usable window (0.45.0 had none)
FALLBACK_FROM = Version.parse("0.99.0")             # unknown slugs get fallback metadata; before: no window
NINETY_CLAMP_FROM = Version.parse("0.100.0")        # min(limit, 90 % of the window) (PR #11516; #11805)
NARROWING_FROM = Version.parse("0.122.0")           # model_context_window narrowed to max_context_window
PROJECT_KEYS_RESTRICTED_FROM = Version.parse("0.130.0")
PROFILE_FILES_FROM = Version.parse("0.134.0")       # `profile = "x"` is a startup error; `<name>.config.toml`
INSTRUCTIONS_FILE_RENAMED_FROM = Version.parse("0.134.0")  # experimental_instructions_file gone (bin 0.134.0)
HARD_CAP_FROM = Version.parse("0.145.0")            # count >= window_eff compacts in scope `total` too
UNKNOWN_KEY_WARNING_FROM = Version.parse("0.156.0")  # startup warning; `--strict-config` makes it an error
OUTPUT_KEY_REMOVED_FROM = Version.parse("0.63.0")   # model_max_output_tokens (PR #7100): never sent before either
# Start-up errors by the first extracted release whose binary holds the message (bin 0.99.0 ... 0.171.0;
# a release between two extracted ones may already have it: the gate errs towards no finding).
RESERVED_PROVIDER_IDS_FROM = Version.parse("0.121.0")     # "reserved built-in provider IDs" (not in 0.105.0)
BEDROCK_PARTIAL_OVERRIDE_FROM = Version.parse("0.130.0")  # "model_providers.amazon-bedrock only supports changing"
EMPTY_PROVIDER_NAME_REFUSED_FROM = Version.parse("0.130.0")  # "provider name must not be empty"
THREAD_STORE_ENDPOINT_REFUSED_FROM = Version.parse("0.171.0")  # run 0.171.0; older releases not run
UNTRUSTED_APPROVAL_REFUSED_FROM = Version.parse("0.171.0")  # "approval_policy = \"untrusted\" is no longer supported" (run)
MULTI_AGENT_FLAG_DEPRECATED_FROM = Version.parse("0.171.0")  # "`[features].multi_agent` is deprecated" (run)


# --- data read from the binaries (tools/extract/codex.py) ---------------------------------------
@functools.lru_cache(maxsize=None)
def _keys_document() -> dict[str, Any]:
    return json.loads(read_data(os.path.join(DATA, "keys.json")))


def extracted_releases() -> tuple[Version, ...]:
    """The releases whose key sets and catalogs were read out of the binary, oldest first."""
    return tuple(sorted(Version.parse(v) for v in _keys_document()["releases"]))


def release_of(version: Version) -> str:
    """The extracted release a target behaves like: the nearest one at or below it (the oldest
    for a target older than every extracted release)."""
    releases = extracted_releases()
    below = [r for r in releases if r <= version]
    return str(below[-1] if below else releases[0])


def release_keys(version: Version) -> dict[str, Any]:
    """The key sets of the release `version` behaves like (`config`, `profile`, `provider`,
    `model_info`, `features`, `project_forbidden`, `catalog_required`, ...)."""
    return _keys_document()["releases"][release_of(version)]


def section_keys(version: Version, section: str) -> frozenset[str]:
    """The keys of `section`; `features` with the old flag names the release still accepts
    (`feature_aliases`: `collab`, `codex_hooks`, ... in 0.171.0, run: no warning)."""
    keys = release_keys(version)
    found = set(keys.get(section) or ())
    if section == "features":
        found.update(keys.get("feature_aliases") or ())
    return frozenset(found)


def reads(version: Version, key: str) -> bool:
    """The release has the top-level key: the gate of every setting that came with its key
    (`model_catalog_json` 0.105.0, `model_auto_compact_token_limit_scope` 0.134.0,
    `model_post_turn_compact_threshold_percent` 0.156.0 in the extracted releases)."""
    return key in section_keys(version, "config")


def reads_catalog_field(version: Version, field: str) -> bool:
    """The release's `ModelInfo` has the field (0.121.0 has no `max_context_window`: run, an entry with
    only that field has no window there)."""
    return field in section_keys(version, "model_info")


def closed_reasoning_efforts(version: Version) -> tuple[str, ...] | None:
    """The `model_reasoning_effort` values the release accepts (any other stops it), or None where
    it takes any string (from 0.140.0)."""
    found = release_keys(version).get("reasoning_efforts")
    return tuple(found) if found else None


@functools.lru_cache(maxsize=None)
def all_keys(section: str) -> frozenset[str]:
    """Every key any extracted release knows in `section`: what the editor schema offers."""
    return frozenset(k for release in extracted_releases() for k in section_keys(release, section))


def first_release_with(section: str, key: str) -> str | None:
    for release in extracted_releases():
        if key in release_keys(release).get(section, ()):
            return str(release)
    return None


def last_release_with(section: str, key: str) -> str | None:
    found = [str(r) for r in extracted_releases() if key in release_keys(r).get(section, ())]
    return found[-1] if found else None


@functools.lru_cache(maxsize=None)
def _catalog(release: str) -> tuple[dict[str, Any], ...]:
    path = os.path.join(DATA, f"catalog-{release}.json")
    if not os.path.isfile(path):
        return ()
    return tuple(json.loads(read_data(path))["models"])


def bundled_catalog(version: Version) -> tuple[dict[str, Any], ...]:
    """The model catalog the release bundles (`codex debug models --bundled`)."""
    return _catalog(release_of(version))


def catalog_release(version: Version) -> str:
    return release_of(version)


# The model Codex sends when the config names none (run: `codex exec` with a custom provider and no
# `model`, the slug in the request; tools/fidelity/codex.py "default-model" cases). It is the
# `list`-visible bundled entry of lowest `priority`: catalog order up to 0.157.0, not in 0.165.0.
DEFAULT_MODELS = {
    "0.99.0": "gpt-5.2-codex", "0.100.0": "gpt-5.2-codex", "0.105.0": "gpt-5.2-codex", "0.121.0": "gpt-5.3-codex",
    "0.122.0": "gpt-5.3-codex", "0.130.0": "gpt-5.5", "0.134.0": "gpt-5.5", "0.135.0": "gpt-5.5", "0.140.0": "gpt-5.5",
    "0.145.0": "gpt-5.6-sol", "0.147.0": "gpt-5.6-sol", "0.148.0": "gpt-5.6-sol", "0.150.0": "gpt-5.6-sol",
    "0.156.0": "gpt-6-astra", "0.157.0": "gpt-6-astra", "0.165.0": "gpt-6.1-sol", "0.169.1": "gpt-6.2-sol",
    "0.171.0": "gpt-6.2-sol",
}


def default_model(version: Version) -> str | None:
    """The default model of the release `version` behaves like (None before the oldest extracted)."""
    return DEFAULT_MODELS.get(release_of(version)) if version >= extracted_releases()[0] else None


# --- rules of the harness that are not one constant ------------------------------------------------
_NAMESPACE = __import__("re").compile(r"[A-Za-z0-9_]+/")


def lookup(slug: str, models: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> dict[str, Any] | None:
    """The catalog entry Codex uses for `slug` (`manager.rs @bc770a94`, run 0.171.0): the longest
    catalog slug that is a prefix of it (case-sensitive); if none, one `namespace/` segment is
    stripped and the lookup retried once."""
    def longest_prefix(name: str) -> dict[str, Any] | None:
        best = None
        for entry in models:
            candidate = entry.get("slug")
            if isinstance(candidate, str) and candidate and name.startswith(candidate) \
                    and (best is None or len(candidate) > len(best["slug"])):
                best = entry
        return best

    found = longest_prefix(slug)
    if found is None:
        namespace = _NAMESPACE.match(slug)
        if namespace is not None and len(slug) > namespace.end():
            found = longest_prefix(slug[namespace.end():])
    return found


def trunc_div(a: int, b: int) -> int:
    """Rust's `i64 /`: truncates toward zero (`-475 / 100 = -4`)."""
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b > 0) else -quotient


def saturating_mul(a: int, b: int) -> int:
    """Rust's `i64::saturating_mul`."""
    return max(-I64_MAX - 1, min(I64_MAX, a * b))


def percent_of(value: int, percent: int) -> int:
    """`value.saturating_mul(percent) / 100`, as Codex computes the usable window."""
    return trunc_div(saturating_mul(value, percent), 100)


def ninety_percent(value: int) -> int:
    """`value * 9 / 10`: the default trigger and the clamp of a configured limit."""
    return trunc_div(saturating_mul(value, NINETY_NUMERATOR), NINETY_DENOMINATOR)
