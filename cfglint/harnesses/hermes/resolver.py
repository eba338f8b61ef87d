"""Hermes budget resolver: window, compression trigger and output caps of the main model.

Facts: `harness-hermes.md` sections 5 (arithmetic) and 6.1 (which release uses which trigger
formula), their constants and version gates in `facts.py`; the contract: `RESOLVERS.md`.
cfglint cannot probe endpoints or read Hermes's window cache, so the window is resolved
offline (section 5.2a): `model.context_length` or a custom provider's per-model window,
Hermes's Codex OAuth catalog, the registry entry of the identified provider, Hermes's own
family table, else its 256,000 fallback.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cfglint.core import numbers
from cfglint.core.document import Path, format_path
from cfglint.core.finding import Severity
from cfglint.core.versions import Version
from cfglint.harnesses import kit
from cfglint.harnesses.budget import (
    DERIVED,
    SETTING,
    Budget,
    Effect,
    Environment,
    EnvUse,
    Fixes,
    Provenance,
    Quantity,
    ResolveInput,
    TriggerRule,
    default,
    from_registry,
)
from cfglint.harnesses.hermes import HERMES, token_count
from cfglint.harnesses.hermes.facts import (
    ANTHROPIC_DEFAULT_OUTPUT_LIMIT,
    ANTHROPIC_OUTPUT_LIMITS,
    CODEX_900K_WINDOW,
    CODEX_AUTORAISE_THRESHOLD,
    CODEX_FAMILIES,
    CODEX_PROVIDER,
    CODEX_WINDOW,
    COMPUTE_THRESHOLD_FROM,
    DEFAULT_CONTEXT_LENGTHS,
    DEFAULT_FALLBACK_CONTEXT,
    DEFAULT_TARGET_RATIO,
    DEFAULT_THRESHOLD,
    GATEWAY_HYGIENE_RATIO,
    GEMINI_DEFAULT_MAX_OUTPUT_TOKENS,
    GEMINI_PROVIDERS,
    GEMINI_RESERVATION_FROM,
    HERMES_MAX_TOKENS,
    LEAN_TAIL_BOUNDS,
    LEAN_TAIL_MAX_SHARE,
    LEAN_TAIL_PERCENT,
    LEGACY_SUMMARY_TOKENS_CEILING,
    MIN_CTX_TRIGGER_RATIO,
    MINIMUM_CONTEXT_LENGTH,
    MODEL_NAME_FROM,
    OLDEST_MAPPED_RELEASE,
    SMALL_CTX_THRESHOLD_PERCENT,
    SMALL_CTX_WINDOW_LIMIT,
    SMALL_WINDOW_FLOOR_FROM,
    SUMMARY_CEILING_FROM,
    SUMMARY_TOKENS_CEILING,
    SUMMARY_WINDOW_RATIO,
    TARGET_RATIO_BOUNDS,
    reads_as_on,
    reads_later_compression_keys,
)

if TYPE_CHECKING:
    from cfglint.registry import Registry, RegistryMatch

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


@dataclass(frozen=True)
class _Route:
    """The main model and where requests for it go."""

    model: str
    provider: str | None
    base_url: str | None
    source: Provenance
    configured: bool  # the configured default model: `model.context_length` applies only to it

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


def _fraction(value: Any) -> float | None:
    """Hermes reads fractions with `float()`: a number or a numeric string (a bool is refused here;
    an integer past a double too, as `float()` raises OverflowError on it)."""
    if isinstance(value, bool) or isinstance(value, int) and numbers.finite(value) is None:
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
    """Step 0: `model.context_length` for the configured default model, else the first
    `custom_providers[].models.<model>.context_length`."""
    path: Path = ("model", "context_length")
    raw = cfg.value(path)
    if raw is not None and not route.configured:
        notes.append(f"`model.context_length` applies only to the configured default model, not to {route.model}")
    elif raw is not None and _positive_int(raw):
        return cfg.setting(path)
    elif raw is not None:
        notes.append(f"`model.context_length` {raw!r} is not a positive integer: Hermes ignores it with a "
                     "warning and detects the window instead")
    providers = cfg.value(("custom_providers",))
    for index in range(len(providers) if isinstance(providers, list) else 0):
        window = cfg.setting(("custom_providers", index, "models", route.model, "context_length"))
        if window is not None:
            return window
    return None


def _codex_bare_model(route: _Route) -> str | None:
    """The lower-case slug without a vendor prefix, on the Codex OAuth route only."""
    return route.model.lower().rsplit("/", 1)[-1] if route.provider_key == CODEX_PROVIDER else None


def _in_codex_family(bare: str) -> bool:
    return any(bare == f or bare.startswith(f + "-") or bare.startswith(f + ".") for f in CODEX_FAMILIES)


def _codex_window(route: _Route) -> Quantity | None:
    """Hermes's Codex OAuth catalog for the gpt-5.4/5.5/5.6 families."""
    bare = _codex_bare_model(route)
    if bare is None or not _in_codex_family(bare):
        return None
    if "900k" in bare:
        return default(CODEX_900K_WINDOW, "Hermes Codex OAuth catalog: `-900k` variant 900,000")
    return default(CODEX_WINDOW, "Hermes Codex OAuth catalog: gpt-5.4/5.5/5.6 capped at 272,000")


def _window(cfg: _Config, route: _Route, match: "RegistryMatch", registry: "Registry",
            notes: list[str]) -> tuple[Quantity, bool]:
    """(window, declared in the config) in the offline order of section 5.2a."""
    declared = _declared_window(cfg, route, notes)
    if declared is not None:
        return declared, True
    codex = _codex_window(route)
    if codex is not None:
        return codex, False
    if match.found and match.provider_id and match.context:
        if match.kind == "gateway":
            notes.append(f"window from the vendor's entry {match.entry}: the gateway's own catalogue does not "
                         "list the model")
        return from_registry(match.context, match, registry, "context"), False
    key = _longest_key(DEFAULT_CONTEXT_LENGTHS, route.model)
    if key is not None:
        notes.append(f"window from Hermes's family table (key `{key}`): Hermes may detect another one live "
                     "(endpoint `/models`, provider metadata); set `model.context_length` to pin it")
        return default(DEFAULT_CONTEXT_LENGTHS[key], f"Hermes DEFAULT_CONTEXT_LENGTHS `{key}`"), False
    notes.append(f"no window known for {route.model}: Hermes falls back to 256,000 with a warning unless it "
                 "detects one live; set `model.context_length`")
    return default(DEFAULT_FALLBACK_CONTEXT, "Hermes fallback window 256,000 (detection failed)"), False


# --- output --------------------------------------------------------------------------------------


def _env_max_tokens(env: Environment) -> tuple[Quantity | None, EnvUse | None]:
    """`HERMES_MAX_TOKENS`, read by the CLI as an integer; it wins over `model.max_tokens`."""
    value = env.get(HERMES_MAX_TOKENS)
    if value is None:
        return None, None
    try:
        parsed: int | None = numbers.finite(int(value.value.strip()))
    except ValueError:
        parsed = None
    if parsed is None or parsed <= 0:
        return None, EnvUse(HERMES_MAX_TOKENS, value.value, parsed, env=value, severity=Severity.ERROR,
                            problem="not a positive integer, so Hermes cannot use it as the output cap "
                                    "(cfglint counts no value from it)",
                            fix=f"set {HERMES_MAX_TOKENS} to a positive integer such as 16384, or unset it")
    return Quantity(parsed, value.source()), EnvUse(HERMES_MAX_TOKENS, value.value, parsed, env=value,
                                                     changed="max_tokens (from 0.18.0 also the output reservation)")


def _configured_output(cfg: _Config, env: Environment, notes: list[str]) -> tuple[Quantity | None, list[EnvUse]]:
    """The output cap written by the user that reaches the request: env, else `model.max_tokens`."""
    from_env, use = _env_max_tokens(env)
    raw = cfg.value(("model", "max_tokens"))
    from_config = cfg.setting(("model", "max_tokens"))
    if raw is not None and from_config is None:
        notes.append(f"`model.max_tokens` {raw!r} is not a positive integer: Hermes ignores it with a warning")
    if from_env is not None and from_config is not None:
        notes.append(f"{HERMES_MAX_TOKENS} {from_env.value:,} wins over `model.max_tokens` {from_config.value:,}")
    providers = cfg.value(("custom_providers",))
    if any(isinstance(p, dict) and ("max_output_tokens" in p or "max_tokens" in p)
           for p in (providers if isinstance(providers, list) else [])):
        notes.append("`custom_providers[].max_output_tokens` is a provider-wide output fallback; cfglint does not "
                     "know which custom provider serves the route, so it counts none")
    return from_env or from_config, [use] if use else []


def _is_native_gemini(route: _Route) -> bool:
    """Hermes's native generateContent adapter: a Gemini provider name, or a Google AI Studio
    base URL other than its `/openai` compatibility layer (`is_native_gemini_base_url`)."""
    url = (route.base_url or "").rstrip("/").lower()
    native_url = "generativelanguage.googleapis.com" in url and not url.endswith("/openai")
    return route.provider_key in GEMINI_PROVIDERS or native_url


def _speaks_anthropic(route: _Route) -> tuple[bool, bool]:
    """(Anthropic Messages route, assumed): provider `anthropic`, Anthropic's API or an
    `/anthropic` endpoint (MiniMax, DashScope); assumed for a bare `claude-*` id on `auto`."""
    url = (route.base_url or "").rstrip("/").lower()
    if route.provider_key == "anthropic" or "api.anthropic.com" in url or url.endswith("/anthropic"):
        return True, False
    bare_claude = route.provider_key in ("", "auto") and not url and route.model.lower().startswith("claude")
    return bare_claude, bare_claude


def _normal_cap(route: _Route, window: Quantity, output: Quantity | None, notes: list[str]) -> Quantity | None:
    """What a normal request sends as max_tokens (section 5.5)."""
    anthropic, assumed = _speaks_anthropic(route)
    if output is not None:
        if anthropic:
            notes.append("how a configured max_tokens combines with Hermes's Anthropic output table is not "
                         "documented: cfglint assumes the configured value is sent")
        return output
    if _is_native_gemini(route):
        return default(GEMINI_DEFAULT_MAX_OUTPUT_TOKENS, "Hermes native Gemini adapter maxOutputTokens 65,535")
    if not anthropic:
        notes.append("no max_tokens configured: Hermes omits the field on chat-completions requests, so the "
                     "backend's own default applies (#4404)")
        return None
    if assumed:
        notes.append(f"assumed the Anthropic Messages API for {route.model} (no provider or base URL is set)")
    key = _longest_key(ANTHROPIC_OUTPUT_LIMITS, route.model.replace(".", "-"))
    cap = ANTHROPIC_OUTPUT_LIMITS[key] if key else ANTHROPIC_DEFAULT_OUTPUT_LIMIT
    label = f"Hermes _get_anthropic_max_output `{key}` {cap:,}" if key else \
        "Hermes _get_anthropic_max_output default 128,000 (model not in its table)"
    ctx = window.value
    if ctx < cap:
        return Quantity(ctx - 1, window.source,
                        f"Anthropic table {cap:,} > window {ctx:,} → {ctx:,} - 1 = {ctx - 1:,}")
    return default(cap, label)


def _reservation(route: _Route, output: Quantity | None, version: Version, notes: list[str]) -> Quantity | None:
    """What the compressor subtracts from the window (`_compressor_max_tokens`); none before 0.18."""
    if version < COMPUTE_THRESHOLD_FROM:
        if output is not None:
            notes.append(f"Hermes {version} subtracts no output reservation from the window (legacy trigger)")
        return None
    if output is not None:
        return output
    if _is_native_gemini(route):
        if version >= GEMINI_RESERVATION_FROM:
            return default(GEMINI_DEFAULT_MAX_OUTPUT_TOKENS, "Hermes native Gemini reservation 65,535")
        notes.append(f"Hermes {version} reserves only a configured max_tokens; the native Gemini default "
                     "reservation is documented from 0.19.0")
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


def _codex_autoraises(cfg: _Config, route: _Route) -> bool:
    """Codex OAuth gpt-5.4/5.5/5.6 (not `-900k`): Hermes raises the threshold to 0.85 unless opted out."""
    bare = _codex_bare_model(route)
    enabled = reads_as_on(cfg.table(("compression",)).get("codex_gpt55_autoraise", True))
    return enabled and bare is not None and _in_codex_family(bare) and "900k" not in bare


def _threshold(cfg: _Config, route: _Route, version: Version, notes: list[str]) -> Quantity:
    """The fraction before any floor: `compression.threshold` (default 0.50), or on a release that
    reads it the best `model_thresholds` key; the Codex OAuth autoraise only raises it."""
    written = _fraction(cfg.value(("compression", "threshold")))
    pct = Quantity(written, cfg.source(("compression", "threshold"))) if written is not None else \
        default(DEFAULT_THRESHOLD, "Hermes compression.threshold default 0.50")
    override = _model_threshold(cfg, route) if reads_later_compression_keys(version) else None
    if override is not None:
        if written is not None:
            notes.append(f"`{override.source.label}` overrides `compression.threshold` for {route.model}")
        pct = Quantity(_fraction(override.value), override.source)
    if _codex_autoraises(cfg, route) and pct.value < CODEX_AUTORAISE_THRESHOLD:
        notes.append(f"Codex OAuth: Hermes raises the threshold {pct.value:g} to 0.85 "
                     "(`compression.codex_gpt55_autoraise: false` keeps it)")
        pct = default(CODEX_AUTORAISE_THRESHOLD, "Hermes Codex OAuth autoraise 0.85")
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


@dataclass(frozen=True)
class _Computed:
    """Hermes's trigger before any switch-off: may reach the window on legacy releases."""

    tokens: int
    rule: TriggerRule
    formula: str
    pct: float  # after the 0.75 floor


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


def _set_window(budget: Budget, cfg: _Config, route: _Route, match: "RegistryMatch", registry: "Registry") -> None:
    """The window, which is also the hard limit (Hermes has no separate input cap)."""
    window, budget.declared_limits = _window(cfg, route, match, registry, budget.notes)
    budget.window = budget.hard_limit = window
    if window.value < MINIMUM_CONTEXT_LENGTH and window.source.path != ("model", "context_length"):
        budget.notes.append(f"Hermes refuses windows below 64,000 at agent init ({window.value:,} here); only an "
                            "explicit `model.context_length` on LM Studio is exempt")


def _set_output(budget: Budget, cfg: _Config, route: _Route, env: Environment, version: Version) -> None:
    """The configured output cap, what a normal request sends, and what the compressor reserves."""
    output, budget.env = _configured_output(cfg, env, budget.notes)
    budget.configured_output = output
    budget.max_tokens_normal = budget.max_tokens_at_trigger = _normal_cap(route, budget.window, output, budget.notes)
    budget.output_reservation = _reservation(route, output, version, budget.notes)


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
    _set_window(budget, cfg, route, match, inp.registry)
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
