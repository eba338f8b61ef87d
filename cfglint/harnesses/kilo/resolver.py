"""Kilo resolver: what Kilo CLI does with each model of a configuration (`RESOLVERS.md`).

Formulas are those of `harness-kilo.md`: 3.6 (the limits Kilo merges from the config and
its catalog), 5.1 (max output, usable window, trigger), 5.3 (request cap), 5.4-5.5
(compaction path), 5.6 (zero limits). Two registries are kept apart on purpose:

- the window Kilo itself uses comes only from the config's `limit` and the EXACT
  (provider id, model id) catalog entry (`Registry.limits`), so a custom provider id such
  as `zhipu` gets no catalog limits even when cfglint knows the model by its base URL;
- the model's real limits (`model_*`, `registry`) come from `Registry.lookup`, with alias
  and base-URL resolution, and serve only the REG/CMP comparisons.

Release mapping (cfglint's, `harness-kilo.md` 5.1): PR #10218 (2026-05-13) added
`compaction.threshold_percent` with percent base `limit.input or limit.context`; PR #13340
(2026-08-23) changed the base to `limit.context`. No release number is published for
either, so cfglint places #10218 at 7.3.0 and #13340 at 7.7.9 (the first release known to
include it): 7.3.0..7.7.8 use the input base, older releases ignore the key.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from cfglint.budget import (
    DEFAULT,
    ENV,
    REGISTRY,
    SETTING,
    Budget,
    Effect,
    EnvUse,
    EnvValue,
    Quantity,
    ResolveInput,
    Source,
    default,
    from_registry,
    setting,
    status_effect,
)
from cfglint.document import Path, format_path
from cfglint.findings import Severity
from cfglint.harnesses.kilo import KILO, MODEL_REF_KEYS, THRESHOLD_PERCENT_FROM
from cfglint.versions import Version

OUTPUT_TOKEN_MAX = 32_000       # provider/transform.ts: max_tokens clamp without the env override
COMPACTION_BUFFER = 20_000      # session/overflow.ts: default `reserved` = min(20,000, max output)
CAP_MARGIN = 2_048              # KiloLLM.capOutputTokens: tokens kept free below the window
CAP_FLOOR = 1_024               # capOutputTokens never clamps below this
CHUNK_OUTPUT_MAX = 2_048        # compaction-chunks.ts: output cap of a chunk worker
CHUNK_MIN_BUDGET = 1_000        # compaction-chunks.ts: smallest chunk budget
TAIL_MIN, TAIL_MAX = 2_000, 8_000  # session/compaction.ts: preserve_recent default bounds
OPENAI_COMPATIBLE = "@ai-sdk/openai-compatible"  # Kilo's npm default for custom providers
# PR #13340: percent base `limit.context` instead of `limit.input or limit.context`.
CONTEXT_BASE_FROM = Version.parse("7.7.9")

OTM_ENV = "KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX"
DISABLE_AUTOCOMPACT_ENV = "KILO_DISABLE_AUTOCOMPACT"
EXPERIMENTAL_MODELS_ENV = "KILO_ENABLE_EXPERIMENTAL_MODELS"
# `core/src/flag/flag.ts`: numbers must be positive integers, booleans are "1"/"true".
_POSITIVE_INT = re.compile(r"^[1-9][0-9]*$")
_TRUTHY = ("1", "true")
_FALSY = ("0", "false", "")
_MODEL_REF = re.compile(r"^([^/]+)/(.+)$")
# `morph/auto` is a pseudo-router for `agent.compaction.model`, not a model with limits.
_PSEUDO_PROVIDERS = frozenset({"morph"})


# --- the formulas of harness-kilo.md 5.1-5.5, as pure functions ---------------------------


def first(*values: Any) -> Any:
    """Kilo's `first()`: the first value that is not None (0 counts as a value)."""
    return next((v for v in values if v is not None), None)


def max_output_tokens(limit_output: float, otm: int) -> float:
    """`min(limit.output, OTM) or OTM`: output 0 means OTM, a negative output stays negative."""
    return min(limit_output, otm) or otm


def default_reserved(max_out: float) -> float:
    """`compaction.reserved` when unset: min(20,000, max output)."""
    return min(COMPACTION_BUFFER, max_out)


def usable_tokens(context: float, input_limit: float | None, output: float,
                  reserved: float | None, otm: int) -> float:
    """Tokens a step may reach before Kilo compacts. `reserved` only applies below
    `limit.input`; without one Kilo subtracts the whole max output from the context."""
    max_out = max_output_tokens(output, otm)
    reserved = first(reserved, default_reserved(max_out))
    if context == 0:
        return 0
    if input_limit:
        return max(0, input_limit - reserved)
    return max(0, context - max_out)


def percent_cap(base: float, percent: float) -> int:
    """`Math.floor(base * tp / 100)`, in the same order of float operations as Kilo."""
    return math.floor(base * percent / 100)


def trigger_tokens(usable: float, context: float, input_limit: float | None,
                   percent: float | None, base_rule: str | None) -> float:
    """KiloSessionOverflow.limit: the usable window, lowered by `threshold_percent`.
    `base_rule` is "context" (7.7.9), "input" (7.3.0..7.7.8) or None (no threshold_percent)."""
    if percent is None or base_rule is None or context == 0:
        return usable
    base = (input_limit or context) if base_rule == "input" else context
    return min(usable, percent_cap(base, percent))


def cap_output_tokens(configured: float, context: float, estimate: float) -> float:
    """KiloLLM.capOutputTokens: max_tokens with the context at `estimate` (uses
    `limit.context`, never `limit.input`). A window already overrun keeps the full cap."""
    if configured <= 0 or context <= 0:
        return configured
    available = context - estimate - CAP_MARGIN
    if available <= 0 or available >= configured:
        return configured
    return max(CAP_FLOOR, available)


def tail_budget(usable: float) -> int:
    """`preserve_recent_tokens` default: min(8,000, max(2,000, floor(usable x 0.25)))."""
    return min(TAIL_MAX, max(TAIL_MIN, math.floor(usable * 0.25)))


def chunk_budget(usable: float) -> int:
    """Budget of one compaction chunk: max(1,000, floor(usable x 0.6))."""
    return max(CHUNK_MIN_BUDGET, math.floor(usable * 0.6))


def sends_max_tokens(npm: str | None, api_id: str) -> bool:
    """Kilo sends no max_tokens to an openai-compatible endpoint for a `gpt-5` model."""
    return not (npm == OPENAI_COMPATIBLE and "gpt-5" in api_id.lower())


# --- inputs ---------------------------------------------------------------------------------


def _n(value: Any) -> str:
    """A number as messages write it: 200,000."""
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def _number(value: Any) -> float | None:
    """A JSON number as Kilo's `Finite` accepts it; anything else counts as unset."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return value


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _deciding(*quantities: Quantity | None) -> Source:
    """The source a derived number reports: the first written setting among its inputs (so
    findings point at it), else the first env variable, else the first input."""
    present = [q for q in quantities if q is not None]
    for kind in (SETTING, ENV):
        for quantity in present:
            if quantity.source.kind == kind:
                return quantity.source
    return present[0].source


@dataclass(frozen=True)
class _Flags:
    """The Kilo environment variables of this run, read as Kilo reads them."""

    otm: Quantity
    otm_env: EnvValue | None
    otm_problem: str | None
    autocompact_off: EnvValue | None      # set when KILO_DISABLE_AUTOCOMPACT is truthy
    experimental: bool
    bool_env: tuple[EnvValue, ...]        # boolean variables present, for EnvUse


def _read_flags(inp: ResolveInput) -> _Flags:
    otm_env = inp.env.get(OTM_ENV)
    otm, problem = default(OUTPUT_TOKEN_MAX, "Kilo OUTPUT_TOKEN_MAX 32,000"), None
    if otm_env is not None:
        if _POSITIVE_INT.match(otm_env.value):
            otm = Quantity(int(otm_env.value), otm_env.source())
        else:
            problem = (f"{OTM_ENV}={otm_env.value!r} is not a positive integer (^[1-9][0-9]*$): Kilo "
                       f"ignores it and keeps max_tokens at 32,000")
    autocompact = inp.env.get(DISABLE_AUTOCOMPACT_ENV)
    experimental = inp.env.get(EXPERIMENTAL_MODELS_ENV)
    return _Flags(
        otm=otm,
        otm_env=otm_env,
        otm_problem=problem,
        autocompact_off=autocompact if autocompact and _truthy(autocompact.value) else None,
        experimental=bool(experimental and _truthy(experimental.value)),
        bool_env=tuple(e for e in (autocompact, experimental) if e is not None),
    )


def _truthy(value: str) -> bool:
    return value.lower() in _TRUTHY


@dataclass(frozen=True)
class _Model:
    """One `provider/model` reference as Kilo loads it (`parseModel`: split at the first `/`)."""

    ref: str
    provider: str
    key: str                    # the key under `provider.<pid>.models`, or the reference's model part
    api_id: str                 # `models.<key>.id`, else the key
    path: Path | None           # `provider.<pid>.models.<key>` when the config defines the model
    config: dict                # that entry ({} when not defined)
    provider_config: dict       # `provider.<pid>` ({} when not configured)
    source: Source              # where the model is named


@dataclass(frozen=True)
class _Limits:
    """The merged `limit` Kilo computes with (3.6); `input` None = absent."""

    context: Quantity
    input: Quantity | None
    output: Quantity
    catalog: bool               # some value came from the catalog entry


# --- the resolver ---------------------------------------------------------------------------


def resolve(inp: ResolveInput) -> list[Budget]:
    """One Budget per `provider/model` of the configuration, the session `model` first."""
    resolver = _Resolver(inp)
    return [resolver.budget(model) for model in resolver.models()]


class _Resolver:
    """Reads one merged configuration; `budget()` builds the record of one model."""

    def __init__(self, inp: ResolveInput) -> None:
        self.inp = inp
        self.merged = inp.merged
        self.data = _dict(inp.merged.data)
        self.registry = inp.registry
        self.version = Version.parse(inp.version or KILO.default_version)
        self.flags = _read_flags(inp)
        self.compaction = _dict(self.data.get("compaction"))

    # -- which models -------------------------------------------------------------------------

    def models(self) -> list[_Model]:
        """`model`, `small_model`, `subagent_model`, `agent.*.model`, then every model defined
        under `provider.*.models` not named yet, in config order; `inp.model` keeps one."""
        named: list[tuple[str, Path]] = [(self.data[k], (k,)) for k in MODEL_REF_KEYS
                                         if isinstance(self.data.get(k), str)]
        for name, agent in _dict(self.data.get("agent")).items():
            if isinstance(_dict(agent).get("model"), str):
                named.append((agent["model"], ("agent", name, "model")))
        for pid, provider in _dict(self.data.get("provider")).items():
            for key in _dict(_dict(provider).get("models")):
                named.append((f"{pid}/{key}", ("provider", pid, "models", key)))

        models: dict[str, _Model] = {}
        for ref, path in named:
            match = _MODEL_REF.match(ref)
            if not match:
                continue  # not `provider/model`: SCH004 reports it
            if match.group(1) in _PSEUDO_PROVIDERS or ref in models:
                continue
            if self.inp.model is None or ref == self.inp.model:
                models[ref] = self._model(ref, self._setting(ref, path).source)
        return list(models.values())

    def _model(self, ref: str, source: Source) -> _Model:
        pid, key = ref.split("/", 1)
        provider = _dict(_dict(self.data.get("provider")).get(pid))
        entry = _dict(provider.get("models")).get(key)
        config = _dict(entry)
        api_id = config["id"] if isinstance(config.get("id"), str) else key
        path = ("provider", pid, "models", key) if isinstance(entry, dict) else None
        return _Model(ref, pid, key, api_id, path, config, provider, source)

    def _setting(self, value: Any, path: Path) -> Quantity:
        return setting(value, self.merged.origin(path), path)

    # -- Kilo's limits (3.6) and the registry's ---------------------------------------------------

    def kilo_limits(self, model: _Model) -> _Limits:
        """`first(cfg.limit.X, catalog.X[, 0])` against the EXACT catalog entry.

        `Registry.limits` reads cfglint's merged registry, which includes the bundled
        hand-written overlay (e.g. DeepSeek output 393,216, claude-sonnet-4-6 context
        200,000): Kilo's raw models.dev catalog can differ for such entries, so every budget
        that uses a catalog value carries a note saying so.
        """
        written = _dict(model.config.get("limit"))
        catalog = self.registry.limits(model.provider, model.api_id)
        label = f"{model.provider}/{model.api_id} ({self.registry.meta.describe()})"

        def pick(name: str, fallback: int | None) -> tuple[Quantity | None, bool]:
            value = _number(written.get(name))
            if value is not None:
                return self._setting(value, model.path + ("limit", name)), False
            from_catalog = getattr(catalog, name) if catalog else None
            if from_catalog is not None:
                return Quantity(from_catalog, Source(REGISTRY, f"{label} {name}, Kilo's catalog entry")), True
            if fallback is None:
                return None, False
            return default(fallback, f"Kilo: no `limit.{name}` in the config or the catalog entry -> 0"), False

        context, c1 = pick("context", 0)
        input_limit, c2 = pick("input", None)
        output, c3 = pick("output", 0)
        return _Limits(context, input_limit, output, c1 or c2 or c3)

    def base_url(self, model: _Model) -> str | None:
        """The endpoint Kilo calls: `options.baseURL`, else the model's or provider's `api`."""
        candidates = (_dict(model.provider_config.get("options")).get("baseURL"),
                      _dict(model.config.get("provider")).get("api"), model.provider_config.get("api"))
        return next((c for c in candidates if isinstance(c, str) and c), None)

    def npm(self, model: _Model) -> str | None:
        """The AI-SDK package: model, then provider, then the catalog's (None: cfglint's
        registry does not carry it), and `@ai-sdk/openai-compatible` for a custom provider."""
        for value in (_dict(model.config.get("provider")).get("npm"), model.provider_config.get("npm")):
            if isinstance(value, str):
                return value
        if model.provider in self.registry.catalog_provider_ids:
            return None
        return OPENAI_COMPATIBLE

    # -- one budget -------------------------------------------------------------------------------

    def budget(self, model: _Model) -> Budget:
        limits = self.kilo_limits(model)
        match = self.registry.lookup(model.api_id, provider=model.provider, base_url=self.base_url(model))
        budget = Budget(
            dialect=KILO.dialect, harness=KILO.title, version=str(self.version), model=model.ref,
            model_id=model.api_id, provider=model.provider, model_source=model.source, registry=match,
            model_context=from_registry(match.context, match, self.registry, "context"),
            model_input=from_registry(match.input, match, self.registry, "input"),
            model_output=from_registry(match.output, match, self.registry, "output"),
            layers=[doc.display_path for doc in self.merged.layers],
        )
        context = limits.context
        budget.window = context if context.value != 0 else None
        budget.input_cap = limits.input if limits.input and limits.input.value else None
        budget.hard_limit = budget.input_cap or budget.window
        budget.declared_limits = context.source.kind == SETTING and bool(context.value)

        max_out = self._max_out(limits.output, self.flags.otm)
        usable = self._usable(limits, max_out, self.flags.otm.value)
        self._trigger(budget, model, limits, usable)
        self._output(budget, model, limits, max_out)
        self._compaction(budget, model, usable)
        budget.env = self._env_uses(limits, budget)
        effect = status_effect(match, model.source, retired_severity=Severity.ERROR,
                               alpha_dropped=not self.flags.experimental, harness=KILO.title)
        if effect:
            budget.effects.append(effect)
        budget.fixes.update(self._fixes(budget, model))
        budget.notes.extend(self._notes(model, limits))
        return budget

    def _max_out(self, output: Quantity, otm: Quantity) -> Quantity:
        """5.1 `max_output_tokens`, attributed to limit.output when it decides, else to OTM."""
        value = max_output_tokens(output.value, otm.value)
        zero = "" if min(output.value, otm.value) else " or OTM"
        source = output.source if output.value and output.value <= otm.value else otm.source
        return Quantity(value, source, f"min(limit.output {_n(output.value)}, OTM {_n(otm.value)}){zero} = {_n(value)}")

    def _reserved(self, max_out: Quantity) -> Quantity:
        """`compaction.reserved` as written, else min(20,000, max output)."""
        written = _number(self.compaction.get("reserved"))
        if written is not None:
            return self._setting(written, ("compaction", "reserved"))
        value = default_reserved(max_out.value)
        source = max_out.source if value < COMPACTION_BUFFER else Source(DEFAULT, "Kilo COMPACTION_BUFFER 20,000")
        return Quantity(value, source, f"reserved = min(20,000, max output {_n(max_out.value)}) = {_n(value)}")

    def _usable(self, limits: _Limits, max_out: Quantity, otm: int) -> Quantity:
        """5.1 `usable` at OTM `otm`, with the input that decided it as its source."""
        context, input_limit = limits.context, limits.input
        reserved = self._reserved(max_out)
        value = usable_tokens(context.value, input_limit.value if input_limit else None,
                              limits.output.value, reserved.value, otm)
        if context.value == 0:
            return Quantity(value, context.source, "limit.context 0: Kilo does not track the context")
        if input_limit and input_limit.value:
            return Quantity(value, _deciding(reserved, input_limit),
                            f"max(0, limit.input {_n(input_limit.value)} − reserved {_n(reserved.value)}) = {_n(value)}")
        return Quantity(value, _deciding(context, max_out),
                        f"max(0, limit.context {_n(context.value)} − max output {_n(max_out.value)}) = {_n(value)}")

    # -- trigger --------------------------------------------------------------------------------

    def _percent(self) -> tuple[Quantity | None, str | None]:
        """`compaction.threshold_percent` and the base rule the targeted release applies."""
        value = _number(self.compaction.get("threshold_percent"))
        if value is None:
            return None, None
        quantity = self._setting(value, ("compaction", "threshold_percent"))
        if self.version < THRESHOLD_PERCENT_FROM:
            return quantity, None
        return quantity, ("context" if self.version >= CONTEXT_BASE_FROM else "input")

    def _trigger(self, budget: Budget, model: _Model, limits: _Limits, usable: Quantity) -> None:
        """Trigger, rule, headroom: never when switched off (deliberate) or untracked (context 0)."""
        off = self._switched_off()
        if off is not None:
            budget.trigger, budget.trigger_reason = off
            budget.trigger_rule, budget.proactive, budget.deliberate_off = "never", False, True
            budget.effects.append(Effect("CMP002", budget.trigger_reason, budget.trigger.source, Severity.INFO))
            return
        context = limits.context
        if context.value == 0:
            where = self._setting(None, model.path).source if model.path else model.source
            source = context.source if context.source.kind == SETTING else where
            budget.trigger = Quantity(None, source)
            budget.trigger_rule, budget.proactive = "never", False
            budget.trigger_reason = (f"{model.ref} has no `limit.context` in the config and no exact catalog entry "
                                     f"({model.provider}/{model.api_id}): Kilo does not track its context and "
                                     "compacts only after the provider rejects a request")
            budget.effects.append(Effect("CMP002", budget.trigger_reason, source, Severity.WARNING))
            return

        has_input = bool(limits.input and limits.input.value)
        rule = "input cap minus reserved" if has_input else "usable window"
        budget.trigger, budget.trigger_rule = usable, rule
        budget.trigger_reason = ("the token count of the last finished step reaches the usable window"
                                 if self.version >= CONTEXT_BASE_FROM else
                                 "the token count reaches the usable window")
        percent, base_rule = self._percent()
        if percent is not None and base_rule is not None:
            self._apply_percent(budget, limits, usable, percent, base_rule)
        budget.every_step = budget.trigger.value <= 0
        hard = budget.hard_limit
        budget.headroom = Quantity(hard.value - budget.trigger.value, budget.trigger.source,
                                   f"{'limit.input' if has_input else 'limit.context'} {_n(hard.value)} − "
                                   f"trigger {_n(budget.trigger.value)} = {_n(hard.value - budget.trigger.value)}")

    def _switched_off(self) -> tuple[Quantity, str] | None:
        """`compaction.auto: false` or a truthy KILO_DISABLE_AUTOCOMPACT (which forces it)."""
        env = self.flags.autocompact_off
        if env is not None:
            return (Quantity(None, env.source()),
                    f"{DISABLE_AUTOCOMPACT_ENV}={env.value} forces `compaction.auto = false`")
        if self.compaction.get("auto") is False:
            return (Quantity(None, self._setting(False, ("compaction", "auto")).source),
                    "`compaction.auto` is false")
        return None

    def _apply_percent(self, budget: Budget, limits: _Limits, usable: Quantity, percent: Quantity,
                       base_rule: str) -> None:
        """`min(usable, floor(base x tp / 100))`, measured on the preflight estimate (5.2 item 4)."""
        input_value = limits.input.value if limits.input else None
        base_name, base = "limit.context", limits.context.value
        if base_rule == "input" and input_value:
            base_name, base = "limit.input", input_value
        cap = percent_cap(base, percent.value)
        value = trigger_tokens(usable.value, limits.context.value, input_value, percent.value, base_rule)
        formula = (f"min(usable {_n(usable.value)}, floor({base_name} {_n(base)} × {_n(percent.value)} / 100) = "
                   f"{_n(cap)}) = {_n(value)}")
        if cap < usable.value:
            budget.trigger = Quantity(value, percent.source, formula)
            budget.trigger_rule = "threshold_percent"
            budget.trigger_reason = ("the preflight estimate of the next request reaches threshold_percent of "
                                     f"{base_name}")
            return
        budget.trigger = Quantity(value, usable.source, formula)
        if cap > usable.value:
            budget.effects.append(Effect(
                "CMP004",
                f"`compaction.threshold_percent` {_n(percent.value)} gives floor({_n(base)} × {_n(percent.value)} / 100) "
                f"= {_n(cap)}, above the usable window {_n(usable.value)}: Kilo compacts at {_n(usable.value)} anyway",
                percent.source, Severity.WARNING,
                fix=f"lower `threshold_percent` below {_n(math.floor(usable.value * 100 / base))} or remove it",
                details={"threshold_percent": percent.value, "cap": cap, "usable": usable.value}))

    # -- output ---------------------------------------------------------------------------------

    def _output(self, budget: Budget, model: _Model, limits: _Limits, max_out: Quantity) -> None:
        """5.3: the request cap, the cap at the trigger, and the CMP004 facts about output."""
        output, context = limits.output, limits.context
        has_input = bool(limits.input and limits.input.value)
        if context.value != 0 and not has_input:
            budget.output_reservation = Quantity(
                max_out.value, max_out.source,
                f"without `limit.input` Kilo subtracts the max output {_n(max_out.value)} from limit.context")
        reserved = _number(self.compaction.get("reserved"))
        if reserved is not None and context.value != 0 and not has_input:  # untracked: CMP002 says it all
            budget.effects.append(Effect(
                "CMP004",
                f"`compaction.reserved` has no effect on {model.ref}: Kilo subtracts it only from `limit.input`, and "
                "this model has none (usable = limit.context − max output)",
                self._setting(reserved, ("compaction", "reserved")).source, Severity.WARNING,
                fix=f"remove `compaction.reserved`, or give {model.ref} a `limit.input`"))
        if output.source.kind == SETTING and output.value > OUTPUT_TOKEN_MAX and self.flags.otm.source.kind != ENV:
            budget.effects.append(Effect(
                "CMP004",
                f"`limit.output` {_n(output.value)} is clamped to 32,000: Kilo caps max_tokens at OUTPUT_TOKEN_MAX "
                f"unless {OTM_ENV} is set",
                output.source, Severity.INFO,
                fix=f"set {OTM_ENV}={output.value} to send it",
                details={"limit_output": output.value, "sent": OUTPUT_TOKEN_MAX}))

        if not sends_max_tokens(self.npm(model), model.api_id):
            budget.notes.append(f"Kilo sends no max_tokens for {model.ref}: npm {OPENAI_COMPATIBLE} with a `gpt-5` "
                                "model id (the provider's own default applies)")
            return
        budget.max_tokens_normal = max_out
        if output.source.kind == SETTING and output.value and max_out.value == output.value:
            budget.configured_output = output
        trigger = budget.trigger.value if budget.trigger else None
        if trigger is not None:
            sent = cap_output_tokens(max_out.value, context.value, trigger)
            available = context.value - trigger - CAP_MARGIN
            if sent == max_out.value:
                formula = (f"limit.context {_n(context.value)} − estimate {_n(trigger)} − 2,048 = {_n(available)}: "
                           f"max_tokens {_n(max_out.value)} sent unchanged")
                budget.max_tokens_at_trigger = Quantity(sent, max_out.source, formula)
            else:
                formula = (f"max(1,024, limit.context {_n(context.value)} − estimate {_n(trigger)} − 2,048 "
                           f"= {_n(available)}) = {_n(sent)}")
                budget.max_tokens_at_trigger = Quantity(sent, budget.trigger.source, formula)

    # -- compaction path (5.4, 5.5) -------------------------------------------------------------------

    def _compaction(self, budget: Budget, model: _Model, usable: Quantity) -> None:
        """Summary model, its request cap (an assumption), kept tail and the window it needs."""
        otm = self.flags.otm
        summary, source = self._summary_model(model)
        budget.summary_model = summary
        chunk_cap = min(CHUNK_OUTPUT_MAX, otm.value)
        needed = chunk_budget(usable.value) + chunk_cap
        budget.summary_needed = Quantity(
            needed, usable.source,
            f"max(1,000, floor(usable {_n(usable.value)} × 0.6) = {_n(math.floor(usable.value * 0.6))}) + "
            f"min(2,048, OTM {_n(otm.value)}) = {_n(needed)}")
        assumption = ("assumed: the single-pass summary request sends max_output_tokens of the compaction model "
                      "(harness-kilo.md 5.4: the sources give no separate cap); chunked compaction workers send "
                      f"min(2,048, OTM) = {_n(chunk_cap)}")

        compaction_model = self._model(summary, source)
        if compaction_model.provider in _PSEUDO_PROVIDERS:
            budget.compaction_note = f"{summary} is a Kilo pseudo-router: its limits are unknown; {assumption}"
            budget.kept_tail = self._kept_tail(None)
            budget.post_compaction_floor = self._floor(budget.kept_tail)
            return
        limits = self.kilo_limits(compaction_model)
        budget.compaction_note = assumption
        comp_max_out = self._max_out(limits.output, otm)
        if sends_max_tokens(self.npm(compaction_model), compaction_model.api_id):
            budget.max_tokens_compaction = comp_max_out
        else:
            budget.compaction_note += (f"; Kilo sends no max_tokens for {summary} (npm {OPENAI_COMPATIBLE}, "
                                       "`gpt-5` model id)")
        budget.kept_tail = self._kept_tail(limits)
        budget.post_compaction_floor = self._floor(budget.kept_tail)
        budget.summary_context = self._summary_context(compaction_model, limits)

    def _summary_model(self, model: _Model) -> tuple[str, Source]:
        """`agent.compaction.model`, else the model running the session (this budget's)."""
        path = ("agent", "compaction", "model")
        value = _dict(_dict(self.data.get("agent")).get("compaction")).get("model")
        if isinstance(value, str) and _MODEL_REF.match(value):
            return value, self._setting(value, path).source
        return model.ref, model.source

    def _kept_tail(self, limits: _Limits | None) -> Quantity:
        """5.5: `first(preserve_recent_tokens, min(8000, max(2000, floor(usable x 0.25))))`, with
        `usable` of the compaction model at OTM 32,000; `tail_turns <= 0` keeps no tail."""
        tail_turns = _number(self.compaction.get("tail_turns"))
        if tail_turns is not None and tail_turns <= 0:
            turns = self._setting(tail_turns, ("compaction", "tail_turns"))
            return Quantity(0, turns.source, f"tail_turns {_n(tail_turns)}: no recent tail is kept")
        written = _number(self.compaction.get("preserve_recent_tokens"))
        if written is not None:
            return self._setting(written, ("compaction", "preserve_recent_tokens"))
        if limits is None:
            value = tail_budget(0)
            return Quantity(value, Source(DEFAULT, "Kilo preserve_recent minimum 2,000"),
                            "compaction model limits unknown: usable 0 -> 2,000")
        usable = self._usable_at_default_otm(limits)
        quarter = math.floor(usable.value * 0.25)
        value = tail_budget(usable.value)
        source = usable.source if value == quarter else Source(DEFAULT, f"Kilo preserve_recent bound {_n(value)}")
        return Quantity(value, source, f"min(8,000, max(2,000, floor(usable {_n(usable.value)} × 0.25) = "
                                       f"{_n(quarter)})) = {_n(value)}")

    def _usable_at_default_otm(self, limits: _Limits) -> Quantity:
        """`usable` at Kilo's 32,000, whatever the env says (the tail budget, and what the env changed)."""
        otm = default(OUTPUT_TOKEN_MAX, "Kilo OUTPUT_TOKEN_MAX 32,000")
        return self._usable(limits, self._max_out(limits.output, otm), OUTPUT_TOKEN_MAX)

    @staticmethod
    def _floor(kept: Quantity) -> Quantity:
        return Quantity(kept.value, kept.source,
                        f"kept tail {_n(kept.value)} + summary budget 0 (Kilo has none) = {_n(kept.value)}")

    def _summary_context(self, model: _Model, limits: _Limits) -> Quantity | None:
        """The compaction model's window: Kilo's `limit.context`, else the registry's real one."""
        if limits.context.value:
            return limits.context
        match = self.registry.lookup(model.api_id, provider=model.provider, base_url=self.base_url(model))
        return from_registry(match.context, match, self.registry, "context")

    # -- env, fixes, notes --------------------------------------------------------------------------------

    def _env_uses(self, limits: _Limits, budget: Budget) -> list[EnvUse]:
        """Every Kilo variable set for this run: how Kilo reads it and what it changed."""
        flags, uses = self.flags, []
        if flags.otm_env is not None:
            env = flags.otm_env
            if flags.otm_problem:
                uses.append(EnvUse(env.name, env.value, None, problem=flags.otm_problem, severity=Severity.ERROR,
                                   fix=f"set {OTM_ENV} to a positive integer such as 64000", env=env))
            else:
                uses.append(EnvUse(env.name, env.value, flags.otm.value, changed=self._otm_changes(limits, budget),
                                   env=env))
        for env in flags.bool_env:
            lowered = env.value.lower()
            changed = None
            if env.name == DISABLE_AUTOCOMPACT_ENV and lowered in _TRUTHY:
                changed = "trigger: never (auto-compaction off)"
            problem = None
            if lowered not in _TRUTHY + _FALSY:
                problem = f"Kilo reads {env.name} as true only for `1` or `true`; `{env.value}` counts as false"
            uses.append(EnvUse(env.name, env.value, lowered in _TRUTHY, changed=changed, problem=problem,
                               severity=Severity.ERROR if problem else None,
                               fix=f"set {env.name}=1" if problem else None, env=env))
        return uses

    def _otm_changes(self, limits: _Limits, budget: Budget) -> str | None:
        """Which numbers the env OTM moved, against Kilo's 32,000."""
        before_out = max_output_tokens(limits.output.value, OUTPUT_TOKEN_MAX)
        changes = []
        if budget.max_tokens_normal and before_out != budget.max_tokens_normal.value:
            changes.append(f"max_tokens {_n(before_out)} -> {_n(budget.max_tokens_normal.value)}")
        if budget.trigger and budget.trigger.value is not None:
            percent, base_rule = self._percent()
            usable = self._usable_at_default_otm(limits).value
            before = trigger_tokens(usable, limits.context.value, limits.input.value if limits.input else None,
                                    percent.value if percent else None, base_rule)
            if before != budget.trigger.value:
                changes.append(f"trigger {_n(before)} -> {_n(budget.trigger.value)}")
        return "; ".join(changes) or None

    def _fixes(self, budget: Budget, model: _Model) -> dict[str, str]:
        """Kilo's fix text per finding, with the registry's numbers where known."""

        def key(*names: str) -> str:
            return f"`{format_path(('provider', model.provider, 'models', model.key, *names))}`"

        context = budget.model_context.value if budget.model_context else None
        output = budget.model_output.value if budget.model_output else None
        cap = budget.max_tokens_normal.value if budget.max_tokens_normal else OUTPUT_TOKEN_MAX
        limit = (f"{{context: {context}, output: {output}}}" if context and output
                 else "{context: <window>, output: <max output>}")
        return {
            "CMP001": (f"raise `compaction.reserved` to at least the output cap {_n(cap)}, or lower {key('limit', 'output')}"
                       if budget.input_cap else "lower `compaction.threshold_percent` or the model's `limit.output`"),
            "CMP002": self._cmp002_fix(budget, f"add {key('limit')} = {limit}"),
            "CMP003": ("set `compaction.reserved` well below `limit.input`" if budget.input_cap else
                       f"set {key('limit', 'output')} to the model's real output limit, so that the context minus "
                       "the max output leaves room"),
            "CMP005.normal": f"set {key('limit', 'output')} to {_n(output) if output else 'the model output limit'}",
            "CMP005.compaction": ("set `limit.output` of the compaction model to its output limit, or pick an "
                                  "`agent.compaction.model` that accepts the request"),
            "CMP006": ("lower `compaction.preserve_recent_tokens`, or pick an `agent.compaction.model` whose window "
                       f"is at least {_n(budget.summary_needed.value)}"),
            "CMP007": (f"set {key('limit', 'input')} (Kilo then reserves only `compaction.reserved`) or lower "
                       f"{key('limit', 'output')}"),
            "REG002": f"lower {key('limit', 'output')} to {_n(output) if output else 'the model output limit'}",
            "REG003": f"lower {key('limit', 'context')} to {_n(context) if context else 'the model context'}",
        }

    @staticmethod
    def _cmp002_fix(budget: Budget, add_limit: str) -> str:
        """Add limits to an untracked model; undo the switch-off that was actually used."""
        if not budget.deliberate_off:
            return add_limit
        if budget.trigger.source.kind == ENV:
            return f"unset {DISABLE_AUTOCOMPACT_ENV} to let Kilo compact automatically"
        return "remove `compaction.auto: false` to let Kilo compact automatically"

    def _notes(self, model: _Model, limits: _Limits) -> list[str]:
        """Assumptions behind the numbers, for `explain`."""
        notes = []
        if limits.catalog:
            notes.append(f"Kilo's catalog entry {model.provider}/{model.api_id} is taken from cfglint's registry, "
                         "which includes its hand-written overlay (e.g. DeepSeek output 393,216, claude-sonnet-4-6 "
                         "context 200,000); Kilo's own models.dev catalog may hold other numbers for such entries")
        if model.provider == "kilo":
            notes.append("Kilo Gateway limits come from the Kilo API at run time; cfglint uses the registry's `kilo` "
                         "entry as a stand-in")
        if (limits.input and limits.input.source.kind == REGISTRY and limits.context.source.kind == SETTING):
            notes.append(f"`limit.context` is set in the config but `limit.input` {_n(limits.input.value)} is kept "
                         "from the catalog entry (Kilo merges limits field by field)")
        percent, base_rule = self._percent()
        if percent is not None and base_rule is None:
            notes.append(f"Kilo {self.version} has no `compaction.threshold_percent` (added in 7.3 by PR #10218): "
                         "the value is ignored")
        elif base_rule == "input":
            notes.append(f"Kilo {self.version} takes threshold_percent of `limit.input or limit.context` "
                         "(PR #10218; `limit.context` only from 7.7.9, PR #13340)")
        if self.npm(model) is None and "gpt-5" in model.api_id.lower():
            notes.append(f"cfglint's registry does not record the npm package of provider {model.provider}; "
                         f"assumed not {OPENAI_COMPATIBLE}, so Kilo sends max_tokens")
        return notes
