"""Hermes budget resolver: window, compression trigger and output caps of the main model.

Facts: `harness-hermes.md` sections 5 (arithmetic) and 6.1 (which release uses which trigger
formula), their constants and version gates in `facts.py`; the contract: `RESOLVERS.md`.
cfglint cannot probe endpoints or read Hermes's window cache, so the window is resolved
offline (section 5.2a): `model.context_length` or a custom provider's per-model window,
Hermes's Codex OAuth table, the runtime provider's models.dev entry by the id as written,
Hermes's own family table, else its 256,000 fallback. Checked against the wheels' own agent
init by tools/fidelity/hermes.py (`auto` is taken as OpenRouter, Hermes's first choice).
"""

from __future__ import annotations

import math
import re

from cfglint.core import numbers
from cfglint.core.document import Path, format_path
from cfglint.core.finding import Severity
from cfglint.core.record import FrozenRecord
from cfglint.core.versions import Version
from cfglint.harnesses import kit
from cfglint.harnesses.budget import (
    DERIVED,
    REGISTRY,
    SETTING,
    Budget,
    Effect,
    Environment,
    EnvUse,
    Fixes,
    Provenance,
    Quantity,
    ResolveInput,
    default,
)
from cfglint.harnesses.hermes import HERMES, token_count
from cfglint.harnesses.hermes.facts import (
    ANTHROPIC_DEFAULT_OUTPUT_LIMIT,
    ANTHROPIC_MESSAGES_PROVIDERS,
    ANTHROPIC_OUTPUT_LIMITS,
    ANTHROPIC_TABLE_ON_EVERY_ROUTE_FROM,
    ANTHROPIC_TABLE_HOSTS_BEFORE,
    ANTHROPIC_TABLE_ROUTES_BEFORE,
    AUTO_PROVIDER,
    CLI_MAX_TOKENS_FROM,
    ARCEE_TRINITY_THINKING,
    ARCEE_TRINITY_THRESHOLD,
    CODEX_AUTORAISE_THRESHOLD,
    CODEX_FAMILIES,
    CODEX_AUTORAISE_FROM,
    CODEX_GPT55_ONLY_FAMILY,
    CODEX_OAUTH_CONTEXT_FALLBACK,
    CODEX_PROVIDER,
    CODEX_RAISE_ONLY_FROM,
    CODEX_SPARK,
    CODEX_SPARK_THRESHOLD,
    COMPUTE_THRESHOLD_FROM,
    CUSTOM_ANTHROPIC_URL_FROM,
    CUSTOM_ENDPOINT_FAMILY_TABLE_FROM,
    CUSTOM_DEFAULT_MAX_TOKENS_FROM,
    DEFAULT_FALLBACK_CONTEXT,
    DEFAULT_TARGET_RATIO,
    DEFAULT_THRESHOLD,
    GATEWAY_HYGIENE_RATIO,
    GEMINI_DEFAULT_MAX_OUTPUT_TOKENS,
    GEMINI_DEFAULT_OUTPUT_FROM,
    GEMINI_PROVIDERS,
    HERMES_PROVIDERS,
    GEMINI_RESERVATION_FROM,
    HERMES_MAX_TOKENS,
    LAZY_AUX_CHECK_FROM,
    LEAN_TAIL_BOUNDS,
    LEAN_TAIL_MAX_SHARE,
    LEAN_TAIL_PERCENT,
    LEGACY_SUMMARY_TOKENS_CEILING,
    MIN_CTX_TRIGGER_RATIO,
    MINIMUM_CONTEXT_LENGTH,
    MODEL_NAME_FROM,
    MODELS_DEV_SUFFIXES,
    OLDEST_MAPPED_RELEASE,
    PROFILE_DEFAULT_MAX_TOKENS,
    PROVIDER_ALIASES,
    PROVIDER_BASE_URLS,
    PROVIDER_TO_MODELS_DEV,
    SMALL_CTX_THRESHOLD_PERCENT,
    SMALL_CTX_WINDOW_LIMIT,
    SMALL_WINDOW_FLOOR_FROM,
    SUMMARY_CEILING_FROM,
    SUMMARY_TOKENS_CEILING,
    SUMMARY_WINDOW_RATIO,
    TARGET_RATIO_BOUNDS,
    family_table,
    reads_as_on,
    reads_later_compression_keys,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any
    from cfglint.harnesses.budget import TriggerRule
    from cfglint.registry import Registry


# A model id an installer or template fills in later (`__MODEL__`, `{{ model }}`, `${MODEL}`,
# `<model>`): no registry knows it and no budget applies to it.
TEMPLATE_PLACEHOLDER = re.compile(r"__[A-Za-z0-9_]+__|\{\{[^{}]*\}\}|\$\{[^{}]*\}|<[^<>]+>")

_RULE_REASONS: dict[TriggerRule, str] = {
    "percentage": "the threshold times the usable window (window minus the output reservation)",
    "0.75 floor": "Hermes raises a threshold below 0.75 to 0.75 on windows below 512,000",
    "64,000 floor": "Hermes never triggers below 64,000 tokens",
    "85% rule": "the trigger reached the usable window, so Hermes takes 85% of it",
    "threshold_tokens cap": "`compression.threshold_tokens` caps the trigger",
}
_FIX_DISABLED = "remove `compression.enabled: false` to compress automatically (`/compress` still works)"
_FIX_NEVER = ("upgrade Hermes to 0.18.0 or later (its 85% rule keeps the trigger below the window), or keep "
              "`compression.threshold` below 1.0 with a `model.context_length` above 64,000")


def _fixes() -> Fixes:
    """Hermes's fixes, in its own keys; CMP002's depends on why it does not compress (`_set_trigger`)."""
    return Fixes(
        cmp001="lower `compression.threshold` (Hermes 0.19.0 raises it to 0.75 on windows below 512,000) or "
               "`model.max_tokens`; from 0.18.0 a configured `model.max_tokens` is also reserved below the trigger",
        cmp003="set `model.context_length` to the model's real window and `model.max_tokens` below it",
        cmp005_normal="set `model.max_tokens` to at most the model's output limit",
        cmp006="give `auxiliary.compression` a model whose window is at least the main trigger, and keep "
               "the tail small (a lower `compression.target_ratio`: the tail is trigger × target_ratio)",
        cmp007="lower `model.max_tokens` (or `HERMES_MAX_TOKENS`): Hermes subtracts it from the window "
               "before computing the trigger",
        reg002="lower `model.max_tokens` to at most the model's output limit",
        reg003="set `model.context_length` to at most the model's real context window",
    )


# --- reading the config --------------------------------------------------------------------------


class _Config(kit.ConfigReader):
    """Hermes's numbers are token counts read with `int()`: `setting(path)` is one, with its
    provenance (fractions, read with `float()`, go through `_fraction`)."""

    def number(self, path: Path) -> int | None:
        """A token count as Hermes reads it (`int()`, so "128000" counts), None unless positive."""
        return _positive_int(self.value(path))


class _Route(FrozenRecord):
    """The main model and where requests for it go."""

    __slots__ = ("model", "provider", "base_url", "source", "configured")

    def __init__(self, model: str, provider: str | None, base_url: str | None, source: Provenance,
                 configured: bool) -> None:
        self.model = model
        self.provider = provider
        self.base_url = base_url
        self.source = source
        self.configured = configured  # the configured default model: `model.context_length` applies only to it

    @property
    def provider_key(self) -> str:
        return (self.provider or "").strip().lower()


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _positive_int(value: Any) -> int | None:
    """Hermes's reading of a token count, when positive: an int (a bool or float is not one) or a
    string `int()` reads ("128000"). An integer past a double is none: Hermes's first
    `int(window × ratio)` raises OverflowError on it (cfglint.core.numbers)."""
    number = numbers.finite(token_count(value))
    return number if number is not None and number > 0 else None


def _int_reading(value: Any) -> int | None:
    """Python's `int(value)`, as agent init applies it to `model.context_length` and
    `model.max_tokens`: "128000" and " 4096 " read, 131072.7 is 131072, `true` is 1; None where
    it raises (or past a double, see `_positive_int`)."""
    if not isinstance(value, (int, float, str)):
        return None
    try:
        return numbers.finite(int(value))
    except (ValueError, OverflowError):
        return None


def _fraction(value: Any) -> float | None:
    """Hermes reads fractions with `float()`: a number, a numeric string, or a bool (`true` is
    1.0); an integer past a double is none, as `float()` raises OverflowError on it."""
    if isinstance(value, int) and not isinstance(value, bool) and numbers.finite(value) is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _model_id_keys(version: Version) -> tuple[str, ...]:
    """Where the model id sits, first non-empty wins: every release reads `default or model`
    (cli.py); from 0.18.0 `_normalize_root_model_keys` also promotes `model.name`."""
    return ("default", "model", "name") if version >= MODEL_NAME_FROM else ("default", "model")


def _routes(cfg: _Config, requested: str | None, version: Version) -> list[_Route]:
    """The main model, the one Hermes budgets: `model` as a string, or the model id of a `model`
    mapping with `provider` and `base_url`. A model requested with `--model` replaces it
    (Hermes's own `--model` does the same)."""
    raw = cfg.value(("model",))
    spec = raw if isinstance(raw, dict) else {}
    path: Path = ("model",)
    name = _text(raw)
    for key in _model_id_keys(version):
        if name is None and _text(spec.get(key)):
            path, name = ("model", key), _text(spec.get(key))
    if name is not None and TEMPLATE_PLACEHOLDER.fullmatch(name):
        name = None  # a template, not a model: nothing to budget until the installer fills it in
    provider, base_url = _text(spec.get("provider")), _text(spec.get("base_url"))
    if requested and requested != name:
        return [_Route(requested, provider, base_url, Provenance(DERIVED, f"--model {requested}"), configured=False)]
    if name is None:
        return []  # Hermes then picks the provider's default model at run time: nothing to budget
    return [_Route(name, provider, base_url, cfg.source(path), configured=True)]


def _longest_key(table: dict[str, Any], model: str) -> str | None:
    """The longest key contained in MODEL, case-insensitive; the first listed wins a tie."""
    lowered = model.lower()
    best = None
    for key in table:
        if key.lower() in lowered and (best is None or len(key) > len(best)):
            best = key
    return best


# --- window --------------------------------------------------------------------------------------


def _declared_window(cfg: _Config, route: _Route, notes: list[str]) -> Quantity | None:
    """Step 0: `model.context_length` for the configured default model (agent init `int()`s it:
    "128000", 131072.7 and `true` count), else `custom_providers[].models.<model>.context_length`
    of the first entry whose `base_url` is the runtime's (`get_custom_provider_context_length`: the
    configured one, else the provider's own)."""
    path: Path = ("model", "context_length")
    raw = cfg.value(path)
    window = _int_reading(raw)
    if raw is not None and not route.configured:
        notes.append(f"`model.context_length` applies only to the configured default model, not to {route.model}")
    elif window is not None and window > 0:
        return Quantity(window, cfg.source(path))
    elif raw is not None:
        notes.append(f"`model.context_length` {raw!r} is not a positive integer: Hermes ignores it with a "
                     "warning and detects the window instead")
    providers = cfg.value(("custom_providers",))
    route_url = (route.base_url or PROVIDER_BASE_URLS.get(_runtime_provider(route), "")).rstrip("/")
    for index, entry in enumerate(providers if isinstance(providers, list) and route_url else []):
        if isinstance(entry, dict) and str(entry.get("base_url") or "").rstrip("/") == route_url:
            window = cfg.setting(("custom_providers", index, "models", route.model, "context_length"))
            if window is not None:
                return window
    return None


def _in_codex_family(bare: str, families: tuple[str, ...] = CODEX_FAMILIES) -> bool:
    return any(bare == f or bare.startswith(f + "-") or bare.startswith(f + ".") for f in families)


def _codex_window(route: _Route) -> Quantity | None:
    """Hermes's Codex OAuth fallback table (the longest slug contained in the id)."""
    if route.provider_key != CODEX_PROVIDER:
        return None
    key = _longest_key(CODEX_OAUTH_CONTEXT_FALLBACK, route.model)
    if key is None:
        return None
    window = CODEX_OAUTH_CONTEXT_FALLBACK[key]
    return default(window, f"Hermes Codex OAuth context fallback `{key}` {window:,}")


def _models_dev_window(route: _Route, registry: "Registry") -> Quantity | None:
    """`lookup_models_dev_context`: the runtime provider's models.dev catalog, by the id as written
    (then case-insensitive, then with a `:cloud`/`-cloud` suffix); cfglint's spelling rules are not
    Hermes's, so `claude-sonnet-4.6` on anthropic is not `claude-sonnet-4-6` (the family table decides)."""
    catalog = PROVIDER_TO_MODELS_DEV.get(_runtime_provider(route))
    if catalog is None:
        return None
    listed = {model_id.lower(): (model_id, limits) for provider, model_id, limits in registry.entries_for(route.model)
              if provider == catalog}
    for suffix in MODELS_DEV_SUFFIXES:
        found = listed.get(route.model.lower() + suffix)
        if found is not None and found[1].context:
            return Quantity(found[1].context, Provenance(REGISTRY, f"{catalog}/{found[0]} "
                                                                   f"({registry.meta.describe()}) context"))
    return None


def _window(cfg: _Config, route: _Route, registry: "Registry", version: Version,
            notes: list[str]) -> tuple[Quantity, bool]:
    """(window, declared in the config) in the offline order of section 5.2a, as the wheels take it:
    the config, the Codex OAuth table, the runtime provider's models.dev entry, the family table."""
    declared = _declared_window(cfg, route, notes)
    if declared is not None:
        return declared, True
    codex = _codex_window(route)
    if codex is not None:
        return codex, False
    listed = _models_dev_window(route, registry)
    if listed is not None:
        return listed, False
    if version < CUSTOM_ENDPOINT_FAMILY_TABLE_FROM and _runtime_provider(route) == "custom" and \
            route.base_url and registry.identify_provider(route.base_url, None) is None:
        notes.append(f"Hermes {version} gives a custom endpoint that does not answer `/models` its 256,000 "
                     "fallback before its family table (#15563); set `model.context_length`")
        return default(DEFAULT_FALLBACK_CONTEXT, "Hermes fallback window 256,000 (custom endpoint)"), False
    table = family_table(version)
    key = _longest_key(table, route.model)
    if key is not None:
        notes.append(f"window from Hermes's family table (key `{key}`): Hermes may detect another one live "
                     "(endpoint `/models`, provider metadata); set `model.context_length` to pin it")
        return default(table[key], f"Hermes DEFAULT_CONTEXT_LENGTHS `{key}`"), False
    notes.append(f"no window known for {route.model}: Hermes falls back to 256,000 with a warning unless it "
                 "detects one live; set `model.context_length`")
    return default(DEFAULT_FALLBACK_CONTEXT, "Hermes fallback window 256,000 (detection failed)"), False


# --- output --------------------------------------------------------------------------------------


def _env_max_tokens(env: Environment, version: Version) -> tuple[int | None, EnvUse | None]:
    """`HERMES_MAX_TOKENS` as the CLI reads it from 0.16.0: when non-empty, `int()` of it (any
    sign) wins over `model.max_tokens`; a value `int()` refuses is dropped (agent init then reads
    `model.max_tokens`)."""
    value = env.get(HERMES_MAX_TOKENS)
    if value is None or not value.value:
        return None, None
    if version < CLI_MAX_TOKENS_FROM:
        return None, EnvUse(HERMES_MAX_TOKENS, value.value, None, env=value, severity=Severity.WARNING,
                            problem=f"Hermes {version} does not read it (the CLI reads it from 0.16.0)",
                            fix=f"set `model.max_tokens` instead, or upgrade Hermes to 0.16.0 or later")
    parsed = _int_reading(value.value)
    if parsed is None:
        return None, EnvUse(HERMES_MAX_TOKENS, value.value, None, env=value, severity=Severity.ERROR,
                            problem="not an integer, so Hermes ignores it (`model.max_tokens` applies)",
                            fix=f"set {HERMES_MAX_TOKENS} to a positive integer such as 16384, or unset it")
    if parsed <= 0:
        return parsed, EnvUse(HERMES_MAX_TOKENS, value.value, parsed, env=value, severity=Severity.ERROR,
                              problem=f"Hermes passes {parsed} on as max_tokens (a provider rejects it) and no "
                                      "longer reads `model.max_tokens`; nothing is reserved below the trigger",
                              fix=f"set {HERMES_MAX_TOKENS} to a positive integer such as 16384, or unset it")
    return parsed, EnvUse(HERMES_MAX_TOKENS, value.value, parsed, env=value,
                          changed="max_tokens (from 0.18.0 also the output reservation)")


def _agent_max_tokens(cfg: _Config, env: Environment, version: Version,
                      notes: list[str]) -> tuple[Quantity | None, list[EnvUse]]:
    """`AIAgent.max_tokens`: from 0.16.0 what the CLI passes (HERMES_MAX_TOKENS, else an int
    `model.max_tokens`, even 0 or negative); when it passes none, agent init's `int()` of
    `model.max_tokens` if positive (a bool is refused, "8192" and 4096.5 read). May be <= 0."""
    from_env, use = _env_max_tokens(env, version)
    path: Path = ("model", "max_tokens")
    raw = cfg.value(path)
    if from_env is not None:
        if raw is not None:
            notes.append(f"{HERMES_MAX_TOKENS} {from_env:,} wins over `model.max_tokens` {raw!r}")
        return Quantity(from_env, env.get(HERMES_MAX_TOKENS).source()), [use] if use else []
    uses = [use] if use else []
    passed_by_cli = version >= CLI_MAX_TOKENS_FROM and use is None and isinstance(raw, int)
    if isinstance(raw, bool):
        notes.append(f"`model.max_tokens: {str(raw).lower()}` is not a number of tokens" +
                     (": the Hermes CLI passes it on as it is (the request carries `max_tokens: true`, the "
                      "compressor reserves int(True) = 1); cfglint counts no output cap"
                      if passed_by_cli else ": Hermes ignores it with a warning"))
        return None, uses
    if passed_by_cli:
        return Quantity(raw, cfg.source(path)), uses
    parsed = _int_reading(raw)
    if parsed is not None and parsed > 0:
        return Quantity(parsed, cfg.source(path)), uses
    if raw is not None:
        notes.append(f"`model.max_tokens` {raw!r} is not a positive integer: Hermes ignores it with a warning")
    return None, uses


def _configured_output(cfg: _Config, env: Environment, version: Version,
                       notes: list[str]) -> tuple[Quantity | None, list[EnvUse]]:
    """The output cap written by the user that reaches the agent (`AIAgent.max_tokens`)."""
    output, uses = _agent_max_tokens(cfg, env, version, notes)
    providers = cfg.value(("custom_providers",))
    if any(isinstance(p, dict) and ("max_output_tokens" in p or "max_tokens" in p)
           for p in (providers if isinstance(providers, list) else [])):
        notes.append("`custom_providers[].max_output_tokens` is a provider-wide output fallback; cfglint does not "
                     "know which custom provider serves the route, so it counts none")
    return output, uses


def _runtime_provider(route: _Route) -> str:
    """The provider the runtime resolves: `auto` (or none) is OpenRouter, aliases are their profile."""
    key = route.provider_key
    return AUTO_PROVIDER if key in ("", "auto") else PROVIDER_ALIASES.get(key, key)


def _is_native_gemini(route: _Route) -> bool:
    """Hermes's native generateContent client: only for a Gemini provider (a Google AI Studio URL on
    `custom` or `auto` speaks chat-completions)."""
    return route.provider_key in GEMINI_PROVIDERS


def _speaks_anthropic(route: _Route, version: Version) -> bool:
    """Anthropic Messages: an Anthropic-API provider (after aliases), or from 0.18.0 `custom` on
    Anthropic's API or an `/anthropic` endpoint (`auto` on such a URL resolves to OpenRouter)."""
    runtime = _runtime_provider(route)
    url = (route.base_url or "").rstrip("/").lower()
    by_url = version >= CUSTOM_ANTHROPIC_URL_FROM and ("api.anthropic.com" in url or url.endswith("/anthropic"))
    return runtime in ANTHROPIC_MESSAGES_PROVIDERS or (runtime == "custom" and by_url)


def _unknown_provider(cfg: _Config, route: _Route) -> bool:
    """A provider name Hermes cannot resolve: not one of its providers or aliases, not the name of a
    `custom_providers` or `providers` entry, and no base URL of its own."""
    key = route.provider_key
    if not key or key in HERMES_PROVIDERS or key in PROVIDER_ALIASES or route.base_url:
        return False
    entries = cfg.value(("custom_providers",))
    named = {str(e.get("name", "")).strip().lower() for e in entries if isinstance(e, dict)} \
        if isinstance(entries, list) else set()
    return key not in named and key not in {str(k).lower() for k in cfg.table(("providers",))}


def _anthropic_table(model: str) -> tuple[int, str]:
    """`_get_anthropic_max_output(model)`: the longest key in the lower-cased id, dots read as hyphens."""
    key = _longest_key(ANTHROPIC_OUTPUT_LIMITS, model.lower().replace(".", "-"))
    if key is None:
        return ANTHROPIC_DEFAULT_OUTPUT_LIMIT, "Hermes _get_anthropic_max_output default 128,000 (model not in its table)"
    return ANTHROPIC_OUTPUT_LIMITS[key], f"Hermes _get_anthropic_max_output `{key}` {ANTHROPIC_OUTPUT_LIMITS[key]:,}"


def _anthropic_messages_cap(route: _Route, window: Quantity, output: Quantity | None) -> Quantity:
    """Anthropic Messages (`build_anthropic_kwargs`): a positive max_tokens, else the output table;
    then clamped to `context_length - 1` when above the window (commit 6f11ff5)."""
    if output is not None and output.value > 0:
        sent = output
    else:
        cap, label = _anthropic_table(route.model)
        sent = default(cap, label)
    ctx = window.value
    if sent.value > ctx:
        return Quantity(max(ctx - 1, 1), window.source,
                        f"max_tokens {sent.value:,} > window {ctx:,} → {ctx:,} - 1 = {ctx - 1:,}")
    return sent


def _chat_default(route: _Route, version: Version, notes: list[str]) -> Quantity | None:
    """chat-completions with no max_tokens: the provider profile's default_max_tokens, else the
    Anthropic output table for a Claude/MiniMax/Qwen3 id (every route from 0.18.0; before it only a
    Claude id on an OpenRouter or Nous URL), else nothing (#4404)."""
    provider = _runtime_provider(route)
    profile = PROFILE_DEFAULT_MAX_TOKENS.get(provider)
    if profile is not None and (provider != "custom" or version >= CUSTOM_DEFAULT_MAX_TOKENS_FROM):
        return default(profile, f"Hermes provider profile `{provider}` default_max_tokens {profile:,}")
    if version >= ANTHROPIC_TABLE_ON_EVERY_ROUTE_FROM:
        applies = _longest_key(ANTHROPIC_OUTPUT_LIMITS, route.model.lower().replace(".", "-")) is not None
    else:  # `if (_is_or or _is_nous) and "claude" in model`: the URL decides (`auto` keeps a configured one)
        url = (route.base_url or "").lower()
        aggregator = any(host in url for host in ANTHROPIC_TABLE_HOSTS_BEFORE) if url else \
            provider in ANTHROPIC_TABLE_ROUTES_BEFORE
        applies = aggregator and "claude" in route.model.lower()
    if applies:
        cap, label = _anthropic_table(route.model)
        return default(cap, f"{label} (Claude/MiniMax/Qwen3 id on chat-completions)")
    notes.append("no max_tokens configured: Hermes omits the field on chat-completions requests, so the "
                 "backend's own default applies (#4404)")
    return None


def _normal_cap(route: _Route, window: Quantity, output: Quantity | None, version: Version,
                notes: list[str]) -> Quantity | None:
    """What a normal request sends as max_tokens (section 5.5), by the runtime's API mode."""
    if route.provider_key == CODEX_PROVIDER:
        notes.append("Codex OAuth: Hermes never sends max_output_tokens to the ChatGPT backend")
        return None
    if _speaks_anthropic(route, version):
        return _anthropic_messages_cap(route, window, output)
    if output is not None:
        return output
    if _is_native_gemini(route):
        if version >= GEMINI_DEFAULT_OUTPUT_FROM:
            return default(GEMINI_DEFAULT_MAX_OUTPUT_TOKENS, "Hermes native Gemini adapter maxOutputTokens 65,535")
        return None
    if route.provider_key in ("", "auto") and route.model.lower().startswith("claude"):
        notes.append(f"provider `auto`: assumed OpenRouter (chat-completions) for {route.model}")
    return _chat_default(route, version, notes)


def _reservation(route: _Route, output: Quantity | None, version: Version, notes: list[str]) -> Quantity | None:
    """What the compressor subtracts from the window (`_coerce_max_tokens(agent.max_tokens)`: a
    positive value); none before 0.18."""
    positive = output if output is not None and output.value > 0 else None
    if version < COMPUTE_THRESHOLD_FROM:
        if positive is not None:
            notes.append(f"Hermes {version} subtracts no output reservation from the window (legacy trigger)")
        return None
    if positive is not None:
        return positive
    if _is_native_gemini(route) and GEMINI_RESERVATION_FROM is not None and version >= GEMINI_RESERVATION_FROM:
        return default(GEMINI_DEFAULT_MAX_OUTPUT_TOKENS, "Hermes native Gemini reservation 65,535")
    return None


# --- trigger -------------------------------------------------------------------------------------


def _threshold_key_rank(key: str, model: str, provider: str) -> tuple[int, int] | None:
    """Rank of one `model_thresholds` key: (substring length, provider-scoped), None if it does not
    apply. `"<provider>:<substr>"` applies only on that provider; substrings are case-sensitive."""
    scope, sep, substring = key.partition(":")
    if not sep:
        return (len(key), 0) if key in model else None
    return (len(substring), 1) if scope.strip().lower() == provider and substring in model else None


def _model_threshold(cfg: _Config, route: _Route) -> Quantity | None:
    """The best-ranked numeric `compression.model_thresholds` entry for the route, if any."""
    ranked = [(rank, str(key)) for key, value in cfg.table(("compression", "model_thresholds")).items()
              if _fraction(value) is not None
              and (rank := _threshold_key_rank(str(key), route.model, route.provider_key)) is not None]
    if not ranked:
        return None
    path = ("compression", "model_thresholds", max(ranked)[1])
    return Quantity(cfg.value(path), cfg.source(path))


def _route_threshold(cfg: _Config, route: _Route, version: Version) -> tuple[float, str, bool] | None:
    """`_compression_threshold_for_model`: (threshold, why, raise only) for the route, if any."""
    bare = route.model.lower().rsplit("/", 1)[-1]
    if bare == ARCEE_TRINITY_THINKING:
        return ARCEE_TRINITY_THRESHOLD, "Hermes Arcee Trinity Large Thinking threshold 0.75", False
    if route.provider_key != CODEX_PROVIDER or version < CODEX_AUTORAISE_FROM:
        return None
    wider = version >= CODEX_RAISE_ONLY_FROM
    families = CODEX_FAMILIES if wider else (CODEX_GPT55_ONLY_FAMILY,)
    if _in_codex_family(bare, families) and reads_as_on(cfg.table(("compression",)).get("codex_gpt55_autoraise", True)):
        return CODEX_AUTORAISE_THRESHOLD, "Hermes Codex OAuth autoraise 0.85", wider
    if bare == CODEX_SPARK and wider:
        return CODEX_SPARK_THRESHOLD, "Hermes Codex OAuth gpt-5.3-codex-spark autoraise 0.70", True
    return None


def _threshold(cfg: _Config, route: _Route, version: Version, notes: list[str]) -> Quantity:
    """The fraction before any floor: `compression.threshold` (default 0.50), or on a release that
    reads it the best `model_thresholds` key; then the route's own threshold (Codex OAuth raises
    only, Arcee Trinity sets it)."""
    written = _fraction(cfg.value(("compression", "threshold")))
    pct = Quantity(written, cfg.source(("compression", "threshold"))) if written is not None else \
        default(DEFAULT_THRESHOLD, "Hermes compression.threshold default 0.50")
    override = _model_threshold(cfg, route) if reads_later_compression_keys(version) else None
    if override is not None:
        if written is not None:
            notes.append(f"`{override.source.label}` overrides `compression.threshold` for {route.model}")
        pct = Quantity(_fraction(override.value), override.source)
    own = _route_threshold(cfg, route, version)
    if own is not None and (not own[2] or pct.value < own[0]):
        notes.append(f"{own[1]}: Hermes replaces the threshold {pct.value:g}" +
                     (" (`compression.codex_gpt55_autoraise: false` keeps it)" if own[0] == CODEX_AUTORAISE_THRESHOLD
                      else ""))
        pct = default(own[0], own[1])
    elif route.provider_key in ("", "auto") and _in_codex_family(route.model.lower().rsplit("/", 1)[-1]):
        notes.append("if provider `auto` resolves to Codex OAuth (ChatGPT login), Hermes uses a 272,000 window and "
                     "threshold 0.85; set `model.provider: openai-codex` for cfglint to model that route")
    return pct


def _cap(cfg: _Config, version: Version) -> Quantity | None:
    """`compression.threshold_tokens`, on a release that reads it (none up to 0.19.0): any non-zero
    integer applies (`if cap:`)."""
    if not reads_later_compression_keys(version):
        return None
    path = ("compression", "threshold_tokens")
    raw = cfg.value(path)
    is_int = isinstance(raw, int) and not isinstance(raw, bool)
    return Quantity(raw, cfg.source(path)) if is_int and raw != 0 else None


class _Computed(FrozenRecord):
    """Hermes's trigger before any switch-off: may reach the window on legacy releases."""

    __slots__ = ("tokens", "rule", "formula", "pct")

    def __init__(self, tokens: int, rule: TriggerRule, formula: str, pct: float) -> None:
        self.tokens = tokens
        self.rule = rule
        self.formula = formula
        self.pct = pct  # after the 0.75 floor


def _compute_trigger(ctx: int, pct: float, reserve: int, cap: int | None, version: Version) -> _Computed:
    """The trigger formula of the targeted release (section 6.1), with every step spelled out."""
    steps: list[str] = []
    rule: TriggerRule = "percentage"
    if version < COMPUTE_THRESHOLD_FROM:  # legacy "v2": no reservation, no 85% rule, no 0.75 floor
        eff = ctx
    else:
        if version >= SMALL_WINDOW_FLOOR_FROM and ctx < SMALL_CTX_WINDOW_LIMIT and pct < SMALL_CTX_THRESHOLD_PERCENT:
            steps.append(f"threshold {pct:g} raised to 0.75 (window {ctx:,} < 512,000)")
            pct, rule = SMALL_CTX_THRESHOLD_PERCENT, "0.75 floor"
        eff = ctx - reserve
        if reserve:
            steps.append(f"eff = {ctx:,} - {reserve:,} = {eff:,}")
        if eff <= 0:
            eff = ctx
            steps.append(f"eff ≤ 0 → eff = {ctx:,}")
    t = int(eff * pct)
    steps.append(f"int({eff:,} × {pct:g}) = {t:,}")
    if t < MINIMUM_CONTEXT_LENGTH:
        t, rule = MINIMUM_CONTEXT_LENGTH, "64,000 floor"
        steps.append("64,000 floor → 64,000")
    if version >= COMPUTE_THRESHOLD_FROM and t >= eff:
        t, rule = max(1, min(int(eff * MIN_CTX_TRIGGER_RATIO), eff - 1)), "85% rule"
        steps.append(f"≥ eff {eff:,} → 85% rule: max(1, min(int({eff:,} × 0.85), {eff - 1:,})) = {t:,}")
    if cap and min(cap, ctx) < t:
        steps.append(f"threshold_tokens cap: min({t:,}, min({cap:,}, {ctx:,})) = {min(cap, ctx):,}")
        t, rule = min(cap, ctx), "threshold_tokens cap"
    return _Computed(t, rule, "; ".join(steps), pct)


def _trigger_source(computed: _Computed, pct: Quantity, cap: Quantity | None, reserve: Quantity | None,
                    window: Quantity) -> Provenance:
    """The input that findings about the trigger should point at: the cap when it decided, else
    the threshold when written, else the reservation, else the window."""
    if computed.rule == "threshold_tokens cap" and cap is not None:
        return cap.source
    if pct.source.kind == SETTING:
        return pct.source
    return (reserve or window).source


def _trigger_effects(pct: Quantity, computed: _Computed, cap: Quantity | None, ctx: int,
                     version: Version) -> list[Effect]:
    """CMP004: a written threshold that the 0.75 floor overrides; a cap not below the window."""
    effects = []
    if pct.source.kind == SETTING and computed.pct > pct.value:
        name = format_path(pct.source.path)
        effects.append(Effect(
            "CMP004", f"`{name}` {pct.value:g} has no effect: Hermes {version} raises it to 0.75 for windows below "
                      f"512,000 (window {ctx:,})", pct.source,
            fix=f"remove `{name}`, or set it to 0.75 or more: on windows below 512,000 Hermes {version} "
                f"compresses at 75% at the earliest (`/compress` compresses by hand)",
            details={"value": pct.value, "effective": computed.pct, "window": ctx}))
    if cap is not None and cap.value >= ctx:
        effects.append(Effect(
            "CMP004", f"`compression.threshold_tokens` {cap.value:,} has no effect: it is not below the window "
                      f"{ctx:,}", cap.source, fix="remove the cap, or set it below the window",
            details={"value": cap.value, "window": ctx}))
    return effects


# --- after compaction ----------------------------------------------------------------------------


def _target_ratio(cfg: _Config) -> tuple[float, Effect | None]:
    """`compression.target_ratio` clamped to 0.10..0.80 (CMP004 info when it had to be)."""
    raw = _fraction(cfg.value(("compression", "target_ratio")))
    if raw is None or math.isnan(raw):  # no clamp holds NaN, and `int(trigger × NaN)` raises: the default
        return DEFAULT_TARGET_RATIO, None
    low, high = TARGET_RATIO_BOUNDS
    clamped = min(max(raw, low), high)
    if clamped == raw:
        return raw, None
    source = cfg.source(("compression", "target_ratio"))
    return clamped, Effect("CMP004", f"Hermes clamps `compression.target_ratio` {raw:g} to {clamped:g} "
                                     "(allowed 0.10..0.80)", source, Severity.INFO,
                           fix=f"set `compression.target_ratio` to {clamped:g}",
                           details={"value": raw, "effective": clamped})


def _kept_tail(cfg: _Config, ctx: int, t: int, ratio: float, window: Quantity, version: Version) -> Quantity:
    """`tail_token_budget`: every supported wheel (0.13.0..0.19.0) sets it at init to
    `int(threshold_tokens × summary_target_ratio)`, where threshold_tokens is the trigger the
    compressor computed (before the auxiliary-model check lowers it) and the ratio is
    `compression.target_ratio` clamped to 0.10..0.80. A later release's `tail_mode` is gated."""
    if reads_later_compression_keys(version) and cfg.value(("compression", "tail_mode")) != "legacy":
        low, high = LEAN_TAIL_BOUNDS
        share = int(ctx * LEAN_TAIL_MAX_SHARE)
        tail = min(max(int(ctx * LEAN_TAIL_PERCENT), low), high, share)
        return Quantity(tail, window.source, f"lean tail: min(max(int({ctx:,} × 0.025), 10,000), 25,000, "
                                             f"int({ctx:,} × 0.20) = {share:,}) = {tail:,}")
    tail = int(t * ratio)
    written = cfg.value(("compression", "target_ratio")) is not None
    source = cfg.source(("compression", "target_ratio")) if written else window.source
    origin = "`compression.target_ratio`" if written else "default target_ratio"
    return Quantity(tail, source, f"tail_token_budget = int(trigger {t:,} × {origin} {ratio:g}) = {tail:,}")


def _summary_budget(ctx: int, window: Quantity, version: Version) -> Quantity:
    """`max_summary_tokens`: 5% of the window up to the release's ceiling."""
    ceiling = SUMMARY_TOKENS_CEILING if version >= SUMMARY_CEILING_FROM else LEGACY_SUMMARY_TOKENS_CEILING
    value = min(int(ctx * SUMMARY_WINDOW_RATIO), ceiling)
    return Quantity(value, window.source, f"min(int({ctx:,} × 0.05), {ceiling:,}) = {value:,}")


def _summary_model(cfg: _Config) -> str | None:
    """`auxiliary.compression.model`, or the legacy `compression.summary_model` Hermes migrates there."""
    return _text(cfg.value(("auxiliary", "compression", "model"))) or _text(cfg.value(("compression", "summary_model")))


# --- the budget ----------------------------------------------------------------------------------


def _version_notes(version: Version) -> list[str]:
    if version < OLDEST_MAPPED_RELEASE:
        return [f"Hermes {version} predates the releases cfglint maps (0.13.0+): the 0.13..0.17 formula is used"]
    if version < COMPUTE_THRESHOLD_FROM:
        return [f"Hermes {version} uses the legacy trigger max(int(window × threshold), 64,000): no output "
                "reservation, no 85% rule, no 0.75 floor"]
    return []


def _compression_enabled(cfg: _Config) -> bool:
    """agent_init: `str(compression.get("enabled", True)).lower() in {"true", "1", "yes"}`."""
    return reads_as_on(cfg.table(("compression",)).get("enabled", True))


def _set_window(budget: Budget, cfg: _Config, route: _Route, registry: "Registry", version: Version) -> None:
    """The window, which is also the hard limit (Hermes has no separate input cap)."""
    window, budget.declared_limits = _window(cfg, route, registry, version, budget.notes)
    budget.window = budget.hard_limit = window
    if window.source.kind == REGISTRY:
        # The runtime provider's own models.dev entry is what that host accepts (OpenRouter serves
        # `anthropic/claude-sonnet-4.6` with 1,000,000): REG003 must not hold it to another host's entry.
        budget.model_context = window
    if window.value < MINIMUM_CONTEXT_LENGTH and window.source.path != ("model", "context_length"):
        budget.notes.append(f"Hermes refuses windows below 64,000 at agent init ({window.value:,} here)")


def _set_output(budget: Budget, cfg: _Config, route: _Route, env: Environment, version: Version) -> None:
    """The configured output cap, what a normal request sends, and what the compressor reserves."""
    output, budget.env = _configured_output(cfg, env, version, budget.notes)
    budget.configured_output = output if output is not None and output.value > 0 else None
    budget.max_tokens_normal = budget.max_tokens_at_trigger = _normal_cap(route, budget.window, output, version,
                                                                          budget.notes)
    budget.output_reservation = _reservation(route, output, version, budget.notes) or \
        _reserved_bool(cfg, env, version)


def _reserved_bool(cfg: _Config, env: Environment, version: Version) -> Quantity | None:
    """`model.max_tokens: true` passed on by the 0.16+ CLI (`isinstance(True, int)`): the compressor
    reserves `int(True)` = 1 token from 0.18.0 (`_coerce_max_tokens`)."""
    path: Path = ("model", "max_tokens")
    env_value = env.get(HERMES_MAX_TOKENS)
    if cfg.value(path) is not True or version < COMPUTE_THRESHOLD_FROM or (env_value is not None and env_value.value):
        return None
    return Quantity(1, cfg.source(path), "the CLI passes `true` on; the compressor reserves int(True) = 1")


def _set_trigger(budget: Budget, cfg: _Config, route: _Route, version: Version) -> _Computed | None:
    """The trigger of the targeted release and the CMP004 effects around it; None when Hermes's own
    `int(window * threshold)` raises OverflowError: the agent does not start, so there is no budget
    (SCH001 reports the threshold itself)."""
    window, reserve = budget.window, budget.output_reservation
    ctx = window.value
    pct = _threshold(cfg, route, version, budget.notes)
    if not math.isfinite(ctx * pct.value):
        return None
    cap = _cap(cfg, version)
    computed = _compute_trigger(ctx, pct.value, reserve.value if reserve else 0, cap.value if cap else None, version)
    _record_trigger(budget, cfg, computed, _trigger_source(computed, pct, cap, reserve, window), version)
    if budget.trigger.value is not None:
        budget.effects += _trigger_effects(pct, computed, cap, ctx, version)
    return computed


def _record_trigger(budget: Budget, cfg: _Config, computed: _Computed, source: Provenance, version: Version) -> None:
    """The trigger fields: switched off, never reached (legacy floor at the window), or a number."""
    ctx = budget.window.value
    if not _compression_enabled(cfg):
        budget.trigger = Quantity(None, cfg.source(("compression", "enabled")))
        written = cfg.value(("compression", "enabled"))
        shown = "null" if written is None else str(written).lower() if isinstance(written, bool) else written
        budget.trigger_reason = f"`compression.enabled: {shown}`: Hermes compresses only on `/compress`"
        budget.proactive, budget.deliberate_off = False, True
        budget.fixes.cmp002 = _FIX_DISABLED
    elif computed.tokens >= ctx:
        budget.trigger = Quantity(None, source, f"{computed.formula} ≥ window {ctx:,}")
        budget.trigger_reason = (f"the trigger {computed.tokens:,} ({computed.rule}) is not below the window "
                                 f"{ctx:,}, so Hermes {version} never compresses (#14690)")
        budget.proactive = False
        budget.fixes.cmp002 = _FIX_NEVER
    else:
        t = computed.tokens
        budget.trigger = Quantity(t, source, computed.formula)
        budget.trigger_rule, budget.trigger_reason = computed.rule, _RULE_REASONS[computed.rule]
        budget.every_step = t <= 0
        budget.headroom = kit.headroom(budget.hard_limit, budget.trigger)
        budget.notes.append(f"gateway sessions also compress at 85% of the window: "
                            f"int({ctx:,} × 0.85) = {int(ctx * GATEWAY_HYGIENE_RATIO):,} (session hygiene)")


def _set_after_compaction(budget: Budget, cfg: _Config, computed: _Computed, version: Version) -> None:
    """Kept tail, summary budget and summary model (CMP006)."""
    window = budget.window
    ratio, ratio_effect = _target_ratio(cfg)
    if ratio_effect is not None:
        budget.effects.append(ratio_effect)
    tail = _kept_tail(cfg, window.value, computed.tokens, ratio, window, version)
    summary = _summary_budget(window.value, window, version)
    floor = tail.value + summary.value
    budget.kept_tail = tail
    budget.post_compaction_floor = Quantity(
        floor, tail.source, f"kept tail {tail.value:,} + summary budget {summary.value:,} = {floor:,}")
    budget.summary_model = _summary_model(cfg)
    budget.summary_context = aux = cfg.setting(("auxiliary", "compression", "context_length"))
    if aux is not None and aux.value < MINIMUM_CONTEXT_LENGTH and version < LAZY_AUX_CHECK_FROM and \
            _compression_enabled(cfg):
        budget.notes.append(f"Hermes refuses to start: the auxiliary compression model's window {aux.value:,} is "
                            f"below 64,000 (Hermes {version} checks it at agent init)")
    t = budget.trigger.value
    if t is None:
        return
    budget.summary_needed = Quantity(t, budget.trigger.source,
                                     "the main trigger, before Hermes lowers it to fit the summary model")
    if aux is not None and aux.value < t:
        budget.notes.append(f"the summary model's window {aux.value:,} is below the trigger {t:,}: Hermes lowers "
                            f"the session threshold to fit, so it will really compress at about {aux.value:,} tokens")


def resolve(inp: ResolveInput) -> list[Budget]:
    """The budget of Hermes's main model (Hermes budgets one model per configuration)."""
    cfg = _Config(inp.merged)
    version = HERMES.version(inp.version)
    budgets = [_budget(cfg, inp, version, route) for route in _routes(cfg, inp.model, version)]
    return [budget for budget in budgets if budget is not None]


def _budget(cfg: _Config, inp: ResolveInput, version: Version, route: _Route) -> Budget | None:
    """Window, output, trigger, after compaction: the output comes before the trigger because from
    0.18.0 Hermes subtracts the output reservation from the window first. None when Hermes cannot
    start with this configuration."""
    match = inp.registry.lookup(route.model, provider=route.provider, base_url=route.base_url)
    budget = kit.start_budget(
        HERMES, inp, model=route.model, model_id=route.model, provider=route.provider, model_source=route.source,
        match=match, fixes=_fixes(), notes=_version_notes(version),
        compaction_note="current Hermes sends no max_tokens on the summary call (the budget is only asked for "
                        "in the prompt); legacy compressors sent summary budget × 2, at most 24,000",
    )
    _set_window(budget, cfg, route, inp.registry, version)
    if _unknown_provider(cfg, route):
        budget.notes.append(f"Hermes refuses to start: provider `{route.provider}` is none of its providers and no "
                            "`custom_providers` entry is named so (\"Provider resolver returned an empty base URL\")")
    _set_output(budget, cfg, route, inp.env, version)
    computed = _set_trigger(budget, cfg, route, version)
    if computed is None:
        return None
    _set_after_compaction(budget, cfg, computed, version)
    engine = _text(cfg.value(("context", "engine")))
    if engine and engine != "compressor":
        budget.notes.append(f"`context.engine: {engine}` is a plugin engine: it ignores `compression.threshold`, so "
                            "the trigger above is the built-in compressor's")
    return budget
