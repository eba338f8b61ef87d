"""Spelling rules for model ids and endpoints (registry.md 7.2 steps 0, 2 and 6), as pure functions."""

from __future__ import annotations

import re

ONE_M_SUFFIX = "[1m]"

# OpenRouter routing variants; they are looked up as written first, because their limits can
# differ from the base model's (`qwen/qwen3-coder:free` 262,000 vs 65,536).
_VARIANT = re.compile(r":(?:free|thinking|nitro|floor|online|extended|exacto)$")
# Cross-region inference prefixes of Bedrock ids (`us.anthropic.claude-...`).
REGION_PREFIX = re.compile(r"^(?:us|eu|apac|global|au|jp)\.")
# Bedrock version suffix (`...-v1:0`, `...-v1`).
_BEDROCK_VERSION = re.compile(r"-v1(?::0)?$")
# Vertex AI pins (`claude-sonnet-4-5@20250929`, `claude-opus-4-6@default`).
_VERTEX_PIN = re.compile(r"@(?:default|\d{8})$")
# Dated snapshots (`claude-sonnet-4-5-20250929`, OpenAI's `gpt-5-2025-08-07`).
_DATE_SUFFIX = re.compile(r"-(?:\d{8}|\d{4}-\d{2}-\d{2})$")
LATEST_SUFFIX = "-latest"

# Trailing path parts that only select an API flavour of the same service (registry.md 7.2 step 0);
# longest first, so `/compatible-mode/v1` goes before `/v1`.
_API_FLAVOUR_SUFFIXES = (("compatible-mode", "v1"), ("v1",), ("api",), ("anthropic",))
# Host names that never leave the machine or the local network.
_PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


def split_one_m(model: str) -> tuple[str, bool]:
    """Strip Claude Code's `[1m]` suffix (any case); say whether it was there."""
    if model.lower().endswith(ONE_M_SUFFIX):
        return model[: -len(ONE_M_SUFFIX)], True
    return model, False


def canonical(model_id: str) -> str:
    """The spelling-insensitive form two ids share when they name the same model:
    lower case, no routing variant, region prefix, Bedrock version, Vertex pin or date, and
    dashes for dots (`claude-sonnet-4.5` = `claude-sonnet-4-5`)."""
    text = model_id.lower()
    # Each substitution runs only where a cheap test says it can match: a name with no exact match
    # canonicalises every registry key (thousands), and most keys have nothing to remove.
    if ":" in text:
        text = _VARIANT.sub("", text)
    if "." in text[:7]:
        text = REGION_PREFIX.sub("", text)
    if "-v1" in text:
        text = _BEDROCK_VERSION.sub("", text)
    if "@" in text:
        text = _VERTEX_PIN.sub("", text)
    end = len(text) - text.endswith("\n")  # `$` also matches before a final newline
    if text[end - 9:end - 8] == "-" or text[end - 11:end - 10] == "-":
        text = _DATE_SUFFIX.sub("", text)
    return text.replace(".", "-")


def latest_family(canonical_id: str) -> re.Pattern[str] | None:
    """For `<family>-latest`, a pattern matching the canonical ids of that family (the family
    itself, or the family plus a numeric version such as Mistral's `-2507`)."""
    if not canonical_id.endswith(LATEST_SUFFIX):
        return None
    family = canonical_id[: -len(LATEST_SUFFIX)]
    return re.compile(re.escape(family) + r"(?:-\d+)?")


def endpoint(url: str) -> tuple[str, tuple[str, ...]] | None:
    """Split a base URL into (host, path segments) the way registry.md 7.2 step 0 compares them:
    no scheme, user info, port, query or trailing slash, and no trailing API-flavour parts
    (`/v1`, `/api`, `/anthropic`, `/compatible-mode/v1`). None when there is no host."""
    text = url.strip()
    scheme_end = text.find("://")
    if scheme_end != -1:
        text = text[scheme_end + 3 :]
    text = re.split(r"[?#]", text, maxsplit=1)[0]
    authority, _, path = text.partition("/")
    host = authority.rpartition("@")[2]
    if host.startswith("["):  # IPv6 literal, maybe with a port
        host = host[1 : host.find("]")] if "]" in host else host[1:]
    else:
        name, colon, port = host.rpartition(":")
        if colon and (port.isdigit() or not port):
            host = name
    host = host.lower().rstrip(".")
    if not host:
        return None
    segments = [part for part in path.lower().split("/") if part]
    stripped = True
    while stripped:
        stripped = False
        for suffix in _API_FLAVOUR_SUFFIXES:
            if len(segments) >= len(suffix) and tuple(segments[-len(suffix) :]) == suffix:
                del segments[-len(suffix) :]
                stripped = True
                break
    return host, tuple(segments)


def is_private_host(host: str) -> bool:
    """Loopback, private-network and single-label hosts identify no registry provider: the same
    address means a different server on every machine."""
    if host == "localhost" or host.endswith(_PRIVATE_SUFFIXES):
        return True
    if ":" not in host and not host.replace(".", "").isdigit():
        return "." not in host  # no IP address (which `ipaddress` would refuse too)
    import ipaddress

    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return "." not in host


def host_pattern(template: str) -> re.Pattern[str] | None:
    """A registry host with `${VAR}` placeholders (`${SNOWFLAKE_ACCOUNT}.snowflakecomputing.com`)
    as a pattern where each placeholder stands for part of one DNS label. None for a host that
    is nothing but a placeholder: it could be any server."""
    parts = re.split(r"\$\{[^}]*\}", template)
    if not any(parts):
        return None
    return re.compile("[^./]+".join(re.escape(part) for part in parts))


def path_match(registry_path: tuple[str, ...], config_path: tuple[str, ...]) -> tuple[bool, int]:
    """How well a registry path matches a configured one: (registry path is a prefix of the
    configured path, number of leading segments in common). `${VAR}` segments match anything."""
    common = 0
    for wanted, given in zip(registry_path, config_path):
        if wanted != given and not (wanted.startswith("${") and wanted.endswith("}")):
            break
        common += 1
    return common == len(registry_path), common
