"""Kilo resolver: what Kilo CLI does with each model of a configuration (`RESOLVERS.md`).

Formulas are those of `harness-kilo.md`: 3.6 (the limits Kilo merges from the config and
its catalog), 5.1 (max output, usable window, trigger), 5.3 (request cap), 5.4-5.5
(compaction path), 5.6 (zero limits), with errata 3.6 and 5.3. Two catalogs are kept
apart on purpose:

- what Kilo BELIEVES: the config's `limit` merged field by field over the EXACT
  (provider id, model id) entry of the models.dev snapshot bundled in Kilo's binary
  (`facts.catalog_model`); it sets the window, trigger, max_tokens, npm package and the
  status Kilo drops models for. A custom provider id such as `zhipu` gets no catalog
  limits even when cfglint knows the model by its base URL;
- what the provider ACCEPTS: cfglint's registry (`Registry.lookup`, with alias and
  base-URL resolution) gives the model's real limits (`model_*`, `registry`) for the
  REG/CMP comparisons only.

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

from cfglint import numbers
from cfglint.budget import (
    DEFAULT,
    ENV,
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
)
from cfglint.document import Path, format_path
from cfglint.findings import Severity
from cfglint.harnesses.kilo import KILO, MODEL_REF_KEYS, THRESHOLD_PERCENT_FROM, facts
from cfglint.harnesses.kilo.facts import OPENAI_COMPATIBLE
from cfglint.registry.lookup import RegistryMatch
from cfglint.versions import Version

OUTPUT_TOKEN_MAX = 32_000       # provider/transform.ts: max_tokens clamp without the env override
COMPACTION_BUFFER = 20_000      # session/overflow.ts: default `reserved` = min(20,000, max output)
CAP_MARGIN = 2_048              # KiloLLM.capOutputTokens: tokens kept free below the window
CAP_FLOOR = 1_024               # capOutputTokens never clamps below this
CHUNK_OUTPUT_MAX = 2_048        # compaction-chunks.ts: output cap of a chunk worker
CHUNK_MIN_BUDGET = 1_000        # compaction-chunks.ts: smallest chunk budget
TAIL_MIN, TAIL_MAX = 2_000, 8_000  # session/compaction.ts: preserve_recent default bounds
# PR #13340: percent base `limit.context` instead of `limit.input or limit.context`.
CONTEXT_BASE_FROM = Version.parse("7.7.9")

OTM_ENV = "KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX"
DISABLE_AUTOCOMPACT_ENV = "KILO_DISABLE_AUTOCOMPACT"
EXPERIMENTAL_MODELS_ENV = "KILO_ENABLE_EXPERIMENTAL_MODELS"
# Skips the built-in plugins, whose `chat.params` hooks unset max_tokens (errata 5.3).
DISABLE_DEFAULT_PLUGINS_ENV = "KILO_DISABLE_DEFAULT_PLUGINS"
# `core/src/flag/flag.ts`: numbers are `Number(value)` when that is a positive integer
# (`numbers.javascript_number`), booleans are "1"/"true".
_TRUTHY = ("1", "true")
_FALSY = ("0", "false", "")
_MODEL_REF = re.compile(r"^([^/]+)/(.+)$")
# `morph/auto` is a pseudo-router for `agent.compaction.model`, not a model with limits.
_PSEUDO_PROVIDERS = frozenset({"morph"})
# The Kilo Gateway: its models and limits come from the Kilo API at run time (`ModelCache`).
GATEWAY_PROVIDER = "kilo"


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
    """`Math.floor(base * tp / 100)`, in the same order of float operations as Kilo (Infinity
    when the product overflows a double)."""
    return numbers.rounded(math.floor, base * percent / 100)


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


def unsent_max_tokens(provider: str, npm: str, api_id: str, options: dict, plugins: bool) -> str | None:
    """Why Kilo 7.7.9 sends no max_tokens for this model (None: it sends one). The request
    leaves it out for `gpt-5` ids on openai-compatible endpoints; the built-in plugins'
    `chat.params` hooks unset it for provider `openai` (Codex plugin), `github-copilot` GPT
    ids, and `@ai-sdk/cerebras` with `options.max_completion_tokens` (errata 5.3)."""
    if npm == OPENAI_COMPATIBLE and "gpt-5" in api_id.lower():
        return f"npm {OPENAI_COMPATIBLE} with a `gpt-5` model id"
    if not plugins:
        return None
    if provider == "openai":
        return "provider `openai`: the built-in Codex plugin's chat.params hook unsets it"
    if "github-copilot" in provider and "gpt" in api_id:
        return "a GitHub Copilot GPT model: the built-in Copilot plugin's chat.params hook unsets it"
    if npm == "@ai-sdk/cerebras" and options.get("max_completion_tokens") is not None:
        return ("npm @ai-sdk/cerebras with `options.max_completion_tokens`: the built-in Cerebras plugin's "
                "chat.params hook unsets max_tokens")
    return None


FREE_SUFFIX = ":free"  # OpenRouter's free endpoints: limits of their own, not the paid model's


def _without_paid_twin(match: RegistryMatch, api_id: str) -> RegistryMatch:
    """No registry limits for a `:free` variant that only matched its paid model by spelling:
    the free endpoint has limits of its own (qwen3-coder:free output 262,000 vs 65,536)."""
    matched = match.model_id or ""
    if match.found and match.normalised and api_id.lower().endswith(FREE_SUFFIX) \
            and not matched.lower().endswith(FREE_SUFFIX):
        return RegistryMatch(kind="none", provider_id=match.provider_id, suggest=match.suggest)
    return match


# --- inputs ---------------------------------------------------------------------------------


def _n(value: Any) -> str:
    """A number as messages write it: 200,000."""
    return numbers.text(value, grouped=True)


def _number(value: Any) -> float | None:
    """A JSON number as Kilo's `Finite` accepts it (a huge integer is Infinity to JavaScript);
    anything else counts as unset."""
    return numbers.finite(value)


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
    default_plugins: bool                 # False when KILO_DISABLE_DEFAULT_PLUGINS is truthy
    bool_env: tuple[EnvValue, ...]        # boolean variables present, for EnvUse


def _read_flags(inp: ResolveInput) -> _Flags:
    otm_env = inp.env.get(OTM_ENV)
    otm, problem = default(OUTPUT_TOKEN_MAX, "Kilo OUTPUT_TOKEN_MAX 32,000"), None
    if otm_env is not None:
        # flag.ts: `let L = Number(A); return Number.isInteger(L) && L > 0 ? L : undefined`
        read = numbers.javascript_number(otm_env.value)
        if numbers.javascript_integer(read) and read > 0:
            otm = Quantity(int(read), otm_env.source())
        else:
            problem = (f"{OTM_ENV}={otm_env.value!r} is not a positive integer to JavaScript's Number(): Kilo "
                       f"ignores it and keeps max_tokens at 32,000")
    autocompact = inp.env.get(DISABLE_AUTOCOMPACT_ENV)
    experimental = inp.env.get(EXPERIMENTAL_MODELS_ENV)
    no_plugins = inp.env.get(DISABLE_DEFAULT_PLUGINS_ENV)
    return _Flags(
        otm=otm,
        otm_env=otm_env,
        otm_problem=problem,
        autocompact_off=autocompact if autocompact and _truthy(autocompact.value) else None,
        experimental=bool(experimental and _truthy(experimental.value)),
        default_plugins=not (no_plugins and _truthy(no_plugins.value)),
        bool_env=tuple(e for e in (autocompact, experimental, no_plugins) if e is not None),
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
    catalog: facts.CatalogModel | None  # Kilo's bundled catalog entry merged under the config


# --- the resolver ---------------------------------------------------------------------------


def resolve(inp: ResolveInput) -> list[Budget]:
    """One Budget per `provider/model` of the configuration, the session `model` first."""
    resolver = _Resolver(inp)
    budgets = [resolver.budget(model) for model in resolver.models()]
    resolver.report_output_clamps()
    return budgets


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
        # `limit.output` values above 32,000 that Kilo clamps: (budget, the setting) in model order.
        self.clamped: list[tuple[Budget, Quantity]] = []

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
            if match.group(1) in _PSEUDO_PROVIDERS or ref in models or not self._provider_exists(match.group(1)):
                continue
            if self.inp.model is None or ref == self.inp.model:
                models[ref] = self._model(ref, self._setting(ref, path).source)
        return list(models.values())

    def _provider_exists(self, provider: str) -> bool:
        """A provider Kilo can load: configured, in its catalog (or a newer models.dev), or the
        gateway. A reference to any other fails with ProviderModelNotFoundError (SCH004 says so):
        that model never runs, so it gets no budget."""
        return (provider in _dict(self.data.get("provider")) or provider == GATEWAY_PROVIDER
                or provider in facts.catalog_provider_ids() or provider in self.registry.catalog_provider_ids)

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
        """`first(cfg.limit.X, catalog.X[, 0])` against the EXACT entry of Kilo's bundled catalog."""
        written = _dict(model.config.get("limit"))
        catalog = facts.catalog_model(model.provider, model.api_id)
        label = f"{facts.catalog_label()}, {model.provider}/{model.api_id}"

        def pick(name: str, fallback: int | None) -> Quantity | None:
            value = _number(written.get(name))
            if value is not None:
                return self._setting(value, model.path + ("limit", name))
            from_catalog = getattr(catalog, name) if catalog else None
            if from_catalog is not None:
                return Quantity(from_catalog, Source(DEFAULT, f"{label} {name}"))
            if fallback is None:
                return None
            return default(fallback, f"Kilo: no `limit.{name}` in the config or the catalog entry -> 0")

        return _Limits(pick("context", 0), pick("input", None), pick("output", 0), catalog)

    def base_url(self, model: _Model) -> str | None:
        """The endpoint Kilo calls: `options.baseURL`, else the model's or provider's `api`."""
        candidates = (_dict(model.provider_config.get("options")).get("baseURL"),
                      _dict(model.config.get("provider")).get("api"), model.provider_config.get("api"))
        return next((c for c in candidates if isinstance(c, str) and c), None)

    def npm(self, model: _Model) -> str:
        """The AI-SDK package, in the order of Kilo's config merge: the model's `provider.npm`,
        the provider's `npm`, the catalog entry's, the model-id prefix rule, the catalog
        provider's, else `@ai-sdk/openai-compatible`."""
        for value in (_dict(model.config.get("provider")).get("npm"), model.provider_config.get("npm")):
            if isinstance(value, str):
                return value
        entry = facts.catalog_model(model.provider, model.api_id)
        if entry is not None:
            return entry.npm
        return (facts.npm_rule(model.provider, model.api_id) or facts.catalog_provider_npm(model.provider)
                or OPENAI_COMPATIBLE)

    def _unsent_max_tokens(self, model: _Model) -> str | None:
        return unsent_max_tokens(model.provider, self.npm(model), model.api_id, _dict(model.config.get("options")),
                                 self.flags.default_plugins)

    # -- one budget -------------------------------------------------------------------------------

    def runtime_limits(self, model: _Model, limits: _Limits) -> str | None:
        """Why Kilo will have limits for a model that neither the config nor cfglint's registry
        gives any (None: it will not, the model is untracked). Kilo Gateway models get theirs from
        the Kilo API. A model only named (not defined under `provider.*.models`) for a models.dev
        provider that Kilo's bundled snapshot lacks may be newer than the snapshot, and Kilo
        refreshes its catalog from models.dev at run time; a model the config defines itself
        without `limit` (e.g. a local LM Studio model) is untracked."""
        if limits.context.value != 0 or limits.context.source.kind == SETTING:
            return None
        if model.provider == GATEWAY_PROVIDER:
            return "Kilo Gateway models get their limits from the Kilo API at run time"
        if model.path is None and model.provider in facts.catalog_provider_ids() and limits.catalog is None:
            return (f"{model.provider} is a models.dev provider and Kilo refreshes its catalog from models.dev at run "
                    f"time: {model.api_id} may be newer than {facts.catalog_label()}")
        return None

    def budget(self, model: _Model) -> Budget:
        limits = self.kilo_limits(model)
        match = _without_paid_twin(
            self.registry.lookup(model.api_id, provider=model.provider, base_url=self.base_url(model)), model.api_id)
        # A limit found only under another provider (a bare model id) says nothing about this
        # endpoint (a self-hosted vLLM, a litellm proxy): Kilo's output numbers are not compared with it.
        output_limit = match.output if match.authoritative else None
        budget = Budget(
            dialect=KILO.dialect, harness=KILO.title, version=str(self.version), model=model.ref,
            model_id=model.api_id, provider=model.provider, model_source=model.source, registry=match,
            model_context=from_registry(match.context, match, self.registry, "context"),
            model_input=from_registry(match.input, match, self.registry, "input"),
            model_output=from_registry(output_limit, match, self.registry, "output"),
            layers=[doc.display_path for doc in self.merged.layers],
        )
        context = limits.context
        budget.window = context if context.value != 0 else None
        self._drop_snapshot_disagreement(budget, limits)
        budget.input_cap = limits.input if limits.input and limits.input.value else None
        budget.hard_limit = budget.input_cap or budget.window
        runtime = self.runtime_limits(model, limits)
        # Kilo has the limits it needs: from the config, its bundled catalog, or (for a gateway
        # model) the Kilo API; REG001 then has no limits to ask for.
        budget.declared_limits = bool(context.value) or model.provider == GATEWAY_PROVIDER

        max_out = self._max_out(limits.output, self.flags.otm)
        usable = self._usable(limits, max_out, self.flags.otm.value)
        self._trigger(budget, model, limits, usable, runtime)
        self._output(budget, model, limits, max_out)
        self._compaction(budget, model)
        budget.env = self._env_uses(limits, budget, sent=self._unsent_max_tokens(model) is None)
        effect = self._status_effect(model, limits)
        if effect:
            budget.effects.append(effect)
        budget.fixes.update(self._fixes(budget, model))
        budget.notes.extend(self._notes(model, limits))
        return budget

    @staticmethod
    def _drop_snapshot_disagreement(budget: Budget, limits: _Limits) -> None:
        """A limit Kilo takes from its bundled catalog (none written in the config) comes from a
        newer models.dev snapshot of the same entry than cfglint's registry: where the two
        disagree, neither is evidence against the other and the user wrote nothing to correct,
        so the registry's number is not compared with it (no REG003 on the window, no CMP005 on
        the max_tokens it gives); `explain` says so."""
        for name, used, attribute in (("context", limits.context, "model_context"),
                                      ("output", limits.output, "model_output")):
            real = getattr(budget, attribute)
            if real is None or used.source.kind == SETTING or not used.value or real.value == used.value:
                continue
            budget.notes.append(f"cfglint's registry gives {budget.model} a {name} of {_n(real.value)} "
                                f"({real.source.describe()}), {facts.catalog_label()} {_n(used.value)}: two models.dev "
                                "snapshots disagree and the config sets no limit, so they are not compared")
            setattr(budget, attribute, None)

    def _status_effect(self, model: _Model, limits: _Limits) -> Effect | None:
        """REG005 when Kilo drops the model: its merged `status` (the config's, else the bundled
        catalog entry's) is `deprecated`, or `alpha` without KILO_ENABLE_EXPERIMENTAL_MODELS."""
        written = model.config.get("status")
        status = written if isinstance(written, str) else (limits.catalog.status if limits.catalog else None)
        where = (f"`status` of {model.ref} in the config" if isinstance(written, str)
                 else f"{facts.catalog_label()} entry {model.provider}/{model.api_id}")
        if status == "deprecated":
            return Effect("REG005", f"{where} marks it deprecated: Kilo drops deprecated models, so {model.ref} "
                                    "cannot be used", model.source, Severity.ERROR, fix="switch to a current model",
                          details={"status": status, "entry": f"{model.provider}/{model.api_id}"})
        if status == "alpha" and not self.flags.experimental:
            return Effect("REG005", f"{where} marks it alpha: Kilo drops alpha models unless "
                                    f"{EXPERIMENTAL_MODELS_ENV} is set", model.source, Severity.ERROR,
                          fix=f"set {EXPERIMENTAL_MODELS_ENV}=1 or pick a released model",
                          details={"status": status, "entry": f"{model.provider}/{model.api_id}"})
        return None

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

    def _trigger(self, budget: Budget, model: _Model, limits: _Limits, usable: Quantity,
                 runtime: str | None) -> None:
        """Trigger, rule, headroom: never when switched off (deliberate) or untracked (context 0);
        unknown (None) when Kilo gets the limits only at run time."""
        off = self._switched_off()
        if off is not None:
            budget.trigger, budget.trigger_reason = off
            budget.trigger_rule, budget.proactive, budget.deliberate_off = "never", False, True
            budget.effects.append(Effect("CMP002", budget.trigger_reason, budget.trigger.source, Severity.INFO))
            return
        context = limits.context
        if runtime is not None:
            budget.trigger, budget.trigger_rule, budget.trigger_reason = None, "unknown", runtime
            return
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
                fix=f"lower `threshold_percent` below {_n(numbers.rounded(math.floor, usable.value * 100 / base))} or remove it",
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
        unsent = self._unsent_max_tokens(model)
        if unsent is not None:
            budget.notes.append(f"Kilo sends no max_tokens for {model.ref}: {unsent} (the provider's own default "
                                "applies)")
            # One reply can then be as long as the model allows (CMP001's cap), which is no
            # request above the output limit (CMP005) and no clamp (CMP004).
            real = budget.model_output
            if real is not None:
                budget.max_tokens_normal = Quantity(
                    real.value, real.source, f"no max_tokens sent: the provider's default, up to the model's output "
                                             f"limit {_n(real.value)}")
            return
        if output.source.kind == SETTING and output.value > OUTPUT_TOKEN_MAX and self.flags.otm.source.kind != ENV:
            self.clamped.append((budget, output))
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

    def report_output_clamps(self) -> None:
        """One CMP004 (info) per file for the `limit.output` values Kilo clamps to 32,000, at the
        first of them: catalog-copied limits above 32,000 are common and need no change unless
        the larger output is wanted."""
        by_file: dict[str, list[tuple[Budget, Quantity]]] = {}
        for budget, output in self.clamped:
            by_file.setdefault(output.source.doc.path, []).append((budget, output))
        for clamped in by_file.values():
            first_budget, first = clamped[0]
            others = [budget.model for budget, _ in clamped[1:]]
            also = ""
            if others:
                listed = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
                also = f" (so are the outputs of {listed})"
            largest = max(output.value for _, output in clamped)
            first_budget.effects.append(Effect(
                "CMP004",
                f"`limit.output` {_n(first.value)} is clamped to 32,000{also}: Kilo caps max_tokens at "
                f"OUTPUT_TOKEN_MAX unless {OTM_ENV} is set",
                first.source, Severity.INFO,
                fix=f"set {OTM_ENV}={largest} to send it" if not others else
                    f"set {OTM_ENV}={largest} to send the configured outputs",
                details={"limit_output": first.value, "sent": OUTPUT_TOKEN_MAX,
                         **({"models": [first_budget.model, *others]} if others else {})}))

    # -- compaction path (5.4, 5.5) -------------------------------------------------------------------

    def _compaction(self, budget: Budget, model: _Model) -> None:
        """Summary model, its request cap (an assumption), kept tail and the window it needs.

        Kilo compacts with `agent.compaction.model` when set, and sizes chunks from that
        model's own usable window. When it is another model, its own record (it is a model of
        the configuration too) compares its request with its output limit; this record only
        names it."""
        otm = self.flags.otm
        summary, source = self._summary_model(model)
        budget.summary_model = summary
        chunk_cap = min(CHUNK_OUTPUT_MAX, otm.value)
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
        budget.summary_needed = self._chunk_needed(limits, chunk_cap)
        budget.compaction_note = assumption
        unsent = self._unsent_max_tokens(compaction_model)
        if unsent is not None:
            budget.compaction_note += f"; Kilo sends no max_tokens for {summary}: {unsent}"
        elif summary == model.ref:
            budget.max_tokens_compaction = self._max_out(limits.output, otm)
        else:
            budget.compaction_note += f"; the summary request goes to {summary}, whose own record checks its max_tokens"
        budget.kept_tail = self._kept_tail(limits)
        budget.post_compaction_floor = self._floor(budget.kept_tail)
        budget.summary_context = self._summary_context(compaction_model, limits)

    def _chunk_needed(self, limits: _Limits, chunk_cap: int) -> Quantity:
        """KiloCompactionChunks: a chunk of max(1,000, floor(usable x 0.6)) tokens plus the chunk
        output, where `usable` is the compaction model's own with output min(limit.output, 2,048)."""
        chunk_out = max_output_tokens(limits.output.value, chunk_cap)
        usable = usable_tokens(limits.context.value, limits.input.value if limits.input else None, chunk_out,
                               _number(self.compaction.get("reserved")), chunk_cap)
        needed = chunk_budget(usable) + chunk_cap
        return Quantity(needed, _deciding(limits.context, limits.input, limits.output),
                        f"max(1,000, floor(usable {_n(usable)} × 0.6) = {_n(math.floor(usable * 0.6))}) + "
                        f"min(2,048, OTM {_n(self.flags.otm.value)}) = {_n(needed)}")

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
        """The prompt room of the compaction model: Kilo's `limit.input` (what it sizes chunks
        below), else `limit.context`, else the registry's real window. An input above the
        context is CMP008's finding, not a too-small summary model."""
        if limits.context.value:
            return limits.input if limits.input and limits.input.value else limits.context
        match = self.registry.lookup(model.api_id, provider=model.provider, base_url=self.base_url(model))
        return from_registry(match.context, match, self.registry, "context")

    # -- env, fixes, notes --------------------------------------------------------------------------------

    def _env_uses(self, limits: _Limits, budget: Budget, sent: bool) -> list[EnvUse]:
        """Every Kilo variable set for this run: how Kilo reads it and what it changed."""
        flags, uses = self.flags, []
        if flags.otm_env is not None:
            env = flags.otm_env
            if flags.otm_problem:
                uses.append(EnvUse(env.name, env.value, None, problem=flags.otm_problem, severity=Severity.ERROR,
                                   fix=f"set {OTM_ENV} to a positive integer such as 64000", env=env))
            else:
                uses.append(EnvUse(env.name, env.value, flags.otm.value, changed=self._otm_changes(limits, budget, sent),
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

    def _otm_changes(self, limits: _Limits, budget: Budget, sent: bool) -> str | None:
        """Which numbers the env OTM moved, against Kilo's 32,000 (max_tokens only when Kilo sends it)."""
        before_out = max_output_tokens(limits.output.value, OUTPUT_TOKEN_MAX)
        changes = []
        if sent and budget.max_tokens_normal and before_out != budget.max_tokens_normal.value:
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
            notes.append(f"limits not in the config come from {facts.catalog_label()} (entry "
                         f"{model.provider}/{model.api_id}); Kilo refreshes that catalog from models.dev at run time, "
                         "so a running Kilo may hold newer numbers")
        if model.provider == "kilo":
            notes.append("Kilo Gateway limits come from the Kilo API at run time; cfglint uses the registry's `kilo` "
                         "entry as a stand-in")
        if limits.input and limits.input.source.kind == DEFAULT and limits.context.source.kind == SETTING:
            notes.append(f"`limit.context` is set in the config but `limit.input` {_n(limits.input.value)} is kept "
                         "from the catalog entry (Kilo merges limits field by field)")
        percent, base_rule = self._percent()
        if percent is not None and base_rule is None:
            notes.append(f"Kilo {self.version} has no `compaction.threshold_percent` (added in 7.3 by PR #10218): "
                         "the value is ignored")
        elif base_rule == "input":
            notes.append(f"Kilo {self.version} takes threshold_percent of `limit.input or limit.context` "
                         "(PR #10218; `limit.context` only from 7.7.9, PR #13340)")
        return notes
