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
include it): 7.3.0..7.7.8 use the input base, older releases ignore the key
(`facts.THRESHOLD_PERCENT_FROM`, `facts.CONTEXT_BASE_FROM`). What the 7.7.9 binary showed and
the sources did not (kept tail up to 15,000, flags read through Effect `Config`) is placed
at 7.7.9 too (`facts.RUNTIME_FLAGS_FROM`). `tools/fidelity/kilo.py` compares every number
with Kilo's own shipped functions.

Shape (`harnesses/kit.py`): `resolve` reads the configuration (`_Config`), builds one
budget per model (`_budget`: limits -> window -> trigger -> output -> after compaction ->
env, effects, fixes, notes), then reports the output clamps once per file. Upstream opencode
(Kilo's origin) shares the steps whose code is the same: the public functions here take the
harness's name (`harness="Kilo"` by default) and are imported by `cfglint.harnesses.opencode`.
"""

from __future__ import annotations

import math
import re

from cfglint.core import numbers
from cfglint.core.document import Path, format_path, get_path
from cfglint.core.finding import Severity
from cfglint.core.record import FrozenRecord
from cfglint.core.versions import Version
from cfglint.harnesses import kit
from cfglint.harnesses.budget import (
    DEFAULT,
    ENV,
    SETTING,
    Budget,
    Effect,
    Environment,
    EnvUse,
    EnvValue,
    Fixes,
    Provenance,
    Quantity,
    ResolveInput,
    default,
    from_registry,
)
from cfglint.harnesses.kilo import KILO, facts
from cfglint.harnesses.kilo.facts import (
    CAP_FLOOR,
    CAP_MARGIN,
    CHUNK_MIN_BUDGET,
    CHUNK_OUTPUT_MAX,
    COMPACTION_BUFFER,
    CONTEXT_BASE_FROM,
    DISABLE_AUTOCOMPACT_ENV,
    DISABLE_DEFAULT_PLUGINS_ENV,
    EFFECT_FALSE,
    EFFECT_NON_FINITE,
    EFFECT_NUMBER,
    EFFECT_TRUE,
    EXPERIMENTAL_MODELS_ENV,
    FLAG_TRUE,
    GATEWAY_PROVIDER,
    MODEL_REF,
    MODEL_REF_KEYS,
    OPENAI_COMPATIBLE,
    OTM_ENV,
    OUTPUT_TOKEN_MAX,
    ROUTER_MODELS,
    RUNTIME_FLAGS_FROM,
    TAIL_MAX,
    TAIL_MAX_BEFORE,
    TAIL_MIN,
    THRESHOLD_PERCENT_FROM,
)
from cfglint.harnesses.kit import ConfigReader, n
from cfglint.registry.lookup import RegistryMatch

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable


# Boolean flag values that read as false without surprise (any other value is an ENV001 problem).
_FALSY = ("0", "false", "")


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
                  reserved: float | None, otm: int, *, floor_at_zero: bool = True) -> float:
    """Tokens a step may reach before Kilo compacts. `reserved` only applies below
    `limit.input`; without one Kilo subtracts the whole max output from the context.
    `floor_at_zero=False`: upstream opencode 1.3.x, which has no `max(0, ...)`."""
    max_out = max_output_tokens(output, otm)
    reserved = first(reserved, default_reserved(max_out))
    if context == 0:
        return 0
    usable = input_limit - reserved if input_limit else context - max_out
    return max(0, usable) if floor_at_zero else usable


def percent_cap(base: float, percent: float) -> int:
    """`Math.floor(base * (tp / 100))`, in the same order of float operations as Kilo
    (KiloSessionOverflow.limit; 200,000 at 29% is 57,999), Infinity when the product
    overflows a double."""
    return numbers.rounded(math.floor, base * (percent / 100))


def trigger_tokens(usable: float, context: float, input_limit: float | None,
                   percent: float | None, base_rule: str | None) -> float:
    """KiloSessionOverflow.limit: the usable window, lowered by `threshold_percent`.
    `base_rule` is "context" (7.7.9), "input" (7.3.0..7.7.8) or None (no threshold_percent)."""
    if percent is None or base_rule is None or context == 0:
        return usable
    base = (input_limit or context) if base_rule == "input" else context
    return min(usable, percent_cap(base, percent))


def cap_output_tokens(configured: float, context: float, estimate: float) -> float | None:
    """KiloLLM.capOutputTokens: max_tokens with the context at `estimate` (uses
    `limit.context`, never `limit.input`). A window already overrun keeps the full cap; a
    cap <= 0 is not sent at all (None)."""
    if configured <= 0:
        return None
    if context <= 0:
        return configured
    available = context - estimate - CAP_MARGIN
    if available <= 0 or available >= configured:
        return configured
    return max(CAP_FLOOR, available)


def tail_budget(usable: float, bound: int = TAIL_MAX) -> int:
    """`preserve_recent_tokens` default: min(15,000, max(2,000, floor(usable x 0.25)))
    (session/compaction.ts; the bound was 8,000 before `RUNTIME_FLAGS_FROM`)."""
    return min(bound, max(TAIL_MIN, numbers.rounded(math.floor, usable * 0.25)))


def first_count(limit: float) -> int | float:
    """The first token count Kilo compacts at: it compares `count >= limit`, so a fractional
    limit compacts at its ceiling and a negative one at 0."""
    return max(0, numbers.rounded(math.ceil, limit))


def chunk_budget(usable: float) -> int:
    """Budget of one compaction chunk: max(1,000, floor(usable x 0.6))."""
    return max(CHUNK_MIN_BUDGET, math.floor(usable * 0.6))


def unsent_max_tokens(provider: str, npm: str, api_id: str, options: dict, plugins: bool, *,
                      gpt5_exception: bool = True) -> str | None:
    """Why Kilo 7.7.9 sends no max_tokens for this model (None: it sends one). The request
    leaves it out for `gpt-5` ids on openai-compatible endpoints; the built-in plugins'
    `chat.params` hooks unset it for provider `openai` (Codex plugin), `github-copilot` GPT
    ids, and `@ai-sdk/cerebras` with `options.max_completion_tokens` (errata 5.3). Upstream
    opencode has the hooks but not the `gpt-5` exception (`gpt5_exception=False`)."""
    if gpt5_exception and npm == OPENAI_COMPATIBLE and "gpt-5" in api_id.lower():
        return f"npm {OPENAI_COMPATIBLE} with a `gpt-5` model id"
    if npm == "@ai-sdk/cerebras" and options.get("max_completion_tokens") is not None:
        # ProviderTransform.maxOutputTokensForRequest returns undefined here, plugins or not
        return "npm @ai-sdk/cerebras with `options.max_completion_tokens`, which replaces max_tokens"
    if not plugins:
        return None
    if provider == "openai":
        return "provider `openai`: the built-in Codex plugin's chat.params hook unsets it"
    if "github-copilot" in provider and "gpt" in api_id:
        return "a GitHub Copilot GPT model: the built-in Copilot plugin's chat.params hook unsets it"
    return None


FREE_SUFFIX = ":free"  # OpenRouter's free endpoints: limits of their own, not the paid model's


def without_paid_twin(match: RegistryMatch, api_id: str) -> RegistryMatch:
    """No registry limits for a `:free` variant that only matched its paid model by spelling:
    the free endpoint has limits of its own (qwen3-coder:free output 262,000 vs 65,536)."""
    matched = match.model_id or ""
    if match.found and match.normalised and api_id.lower().endswith(FREE_SUFFIX) \
            and not matched.lower().endswith(FREE_SUFFIX):
        return RegistryMatch(kind="none", provider_id=match.provider_id, suggest=match.suggest)
    return match


# --- inputs ---------------------------------------------------------------------------------


class _Flags(FrozenRecord):
    """The Kilo environment variables of this run, read as Kilo reads them."""

    __slots__ = ("otm", "otm_env", "otm_problem", "autocompact_off", "experimental", "default_plugins", "bool_env")

    def __init__(self, otm: Quantity, otm_env: EnvValue | None, otm_problem: str | None,
                 autocompact_off: EnvValue | None, experimental: bool, default_plugins: bool,
                 bool_env: tuple[EnvValue, ...]) -> None:
        self.otm = otm
        self.otm_env = otm_env
        self.otm_problem = otm_problem
        self.autocompact_off = autocompact_off  # set when KILO_DISABLE_AUTOCOMPACT is truthy
        self.experimental = experimental
        self.default_plugins = default_plugins  # False when KILO_DISABLE_DEFAULT_PLUGINS is truthy
        self.bool_env = bool_env  # boolean variables present, for EnvUse


def _default_otm() -> Quantity:
    return default(OUTPUT_TOKEN_MAX, "Kilo OUTPUT_TOKEN_MAX 32,000")


def _read_flags(env: Environment, version: Version) -> _Flags:
    otm_env = env.get(OTM_ENV)
    otm, problem = _default_otm(), None
    if otm_env is not None:
        read = _read_number(otm_env.value, version)
        if numbers.javascript_integer(read) and read > 0:
            otm = Quantity(int(read), otm_env.source())
        elif version >= RUNTIME_FLAGS_FROM:
            problem = (f"{OTM_ENV}={otm_env.value!r} is not a positive integer to Kilo's Effect Config.number "
                       "(a plain decimal number: no spaces, no hex, no `64k`): Kilo ignores it and keeps "
                       "max_tokens at 32,000")
        else:
            problem = (f"{OTM_ENV}={otm_env.value!r} is not a positive integer to JavaScript's Number(): Kilo "
                       f"ignores it and keeps max_tokens at 32,000")
    autocompact = env.get(DISABLE_AUTOCOMPACT_ENV)
    experimental = env.get(EXPERIMENTAL_MODELS_ENV)
    no_plugins = env.get(DISABLE_DEFAULT_PLUGINS_ENV)
    return _Flags(
        otm=otm,
        otm_env=otm_env,
        otm_problem=problem,
        autocompact_off=autocompact if autocompact and _truthy(autocompact.value) else None,
        experimental=bool(experimental and _truthy(experimental.value)),
        default_plugins=not (no_plugins and _flag_true(no_plugins, version)),
        bool_env=tuple(e for e in (autocompact, experimental, no_plugins) if e is not None),
    )


def _read_number(value: str, version: Version) -> float | None:
    """The output cap as Kilo reads it: `Number(value)` (flag.ts), from RUNTIME_FLAGS_FROM only
    when Effect's `Config.number` accepts the string (`RuntimeFlags.outputTokenMax`)."""
    if version >= RUNTIME_FLAGS_FROM and not (re.fullmatch(EFFECT_NUMBER, value) or value in EFFECT_NON_FINITE):
        return None
    return numbers.javascript_number(value)


def _read_as_config_boolean(env: EnvValue, version: Version) -> bool:
    """Whether Kilo reads this flag with Effect `Config.boolean` (KILO_DISABLE_DEFAULT_PLUGINS,
    from RUNTIME_FLAGS_FROM) rather than `Flag.truthy`."""
    return env.name == DISABLE_DEFAULT_PLUGINS_ENV and version >= RUNTIME_FLAGS_FROM


def _flag_true(env: EnvValue, version: Version) -> bool:
    return env.value in EFFECT_TRUE if _read_as_config_boolean(env, version) else _truthy(env.value)


def _truthy(value: str) -> bool:
    return value.lower() in FLAG_TRUE


class _Config(ConfigReader):
    """The merged configuration as Kilo reads it, with the targeted release and the run's
    Kilo variables (`flags`)."""

    def __init__(self, inp: ResolveInput) -> None:
        super().__init__(inp.merged)
        self.version = KILO.version(inp.version)
        self.flags = _read_flags(inp.env, self.version)

    def number(self, path: Path) -> int | float | None:
        """A JSON number as Kilo's `Finite` accepts it (a huge integer is Infinity to JavaScript);
        anything else counts as unset."""
        return numbers.finite(self.value(path))


class ConfiguredModel(FrozenRecord):
    """One `provider/model` reference as Kilo loads it (`parseModel`: split at the first `/`)."""

    __slots__ = ("ref", "provider", "key", "api_id", "path", "config", "provider_config", "source")

    def __init__(self, ref: str, provider: str, key: str, api_id: str, path: Path | None, config: dict,
                 provider_config: dict, source: Provenance) -> None:
        self.ref = ref
        self.provider = provider
        self.key = key  # the key under `provider.<pid>.models`, or the reference's model part
        self.api_id = api_id  # `models.<key>.id`, else the key
        self.path = path  # `provider.<pid>.models.<key>` when the config defines the model
        self.config = config  # that entry ({} when not defined)
        self.provider_config = provider_config  # `provider.<pid>` ({} when not configured)
        self.source = source  # where the model is named


class MergedLimits(FrozenRecord):
    """The merged `limit` Kilo computes with (3.6), and opencode, from which Kilo forked it (3.5);
    `input` None = absent."""

    __slots__ = ("context", "input", "output", "catalog")

    def __init__(self, context: Quantity, input: Quantity | None, output: Quantity,
                 catalog: facts.CatalogModel | None) -> None:
        self.context = context
        self.input = input
        self.output = output
        self.catalog = catalog  # the harness's bundled catalog entry merged under the config


def deciding(*quantities: Quantity | None) -> Provenance:
    """The source a derived number reports: the first written setting among its inputs (so
    findings point at it), else the first env variable, else the first input."""
    present = [q for q in quantities if q is not None]
    for kind in (SETTING, ENV):
        for quantity in present:
            if quantity.source.kind == kind:
                return quantity.source
    return present[0].source


# --- the resolver ---------------------------------------------------------------------------


def resolve(inp: ResolveInput) -> list[Budget]:
    """One Budget per `provider/model` of the configuration, the session `model` first."""
    cfg = _Config(inp)
    built = [_budget(cfg, inp, model) for model in _models(cfg, inp)]
    report_output_clamps([(budget, output) for budget, output in built if output is not None])
    return [budget for budget, _ in built]


# -- which models -------------------------------------------------------------------------------


def _models(cfg: _Config, inp: ResolveInput) -> list[ConfiguredModel]:
    """`model`, `small_model`, `subagent_model`, `agent.*.model`, then every model defined
    under `provider.*.models` not named yet, in config order; `inp.model` keeps one."""
    named: list[tuple[str, Path]] = []
    for path in [(key,) for key in MODEL_REF_KEYS] + [("agent", name, "model") for name in cfg.table(("agent",))]:
        ref = cfg.value(path)
        if isinstance(ref, str):
            named.append((ref, path))
    for pid in cfg.table(("provider",)):
        for key in cfg.table(("provider", pid, "models")):
            named.append((f"{pid}/{key}", ("provider", pid, "models", key)))

    models: dict[str, ConfiguredModel] = {}
    for ref, path in named:
        match = MODEL_REF.match(ref)
        if not match:
            continue  # not `provider/model`: SCH004 reports it
        if ref in ROUTER_MODELS or ref in models or not _provider_exists(cfg, inp, match.group(1)):
            continue
        if inp.model is None or ref == inp.model:
            models[ref] = configured_model(cfg, ref, cfg.source(path))
    return list(models.values())


def _provider_exists(cfg: _Config, inp: ResolveInput, provider: str) -> bool:
    """A provider Kilo can load: configured, in its catalog (or a newer models.dev), or the
    gateway. A reference to any other fails with ProviderModelNotFoundError (SCH004 says so):
    that model never runs, so it gets no budget."""
    return (provider in cfg.table(("provider",)) or provider == GATEWAY_PROVIDER
            or provider in facts.catalog_provider_ids() or provider in inp.registry.catalog_provider_ids)


def configured_model(cfg: _Config, ref: str, source: Provenance) -> ConfiguredModel:
    pid, key = ref.split("/", 1)
    path = ("provider", pid, "models", key)
    entry = cfg.value(path)
    config = entry if isinstance(entry, dict) else {}
    api_id = config["id"] if isinstance(config.get("id"), str) else key
    return ConfiguredModel(ref, pid, key, api_id, path if isinstance(entry, dict) else None, config,
                  cfg.table(("provider", pid)), source)


# -- Kilo's limits (3.6) and the registry's -----------------------------------------------------


def _kilo_limits(cfg: _Config, model: ConfiguredModel) -> MergedLimits:
    """`first(cfg.limit.X, catalog.X[, 0])` against the EXACT entry of Kilo's bundled catalog."""
    catalog = facts.catalog_model(model.provider, model.api_id)
    label = f"{facts.catalog_label()}, {model.provider}/{model.api_id}"

    def pick(name: str, fallback: int | None) -> Quantity | None:
        written = cfg.setting(model.path + ("limit", name)) if model.path else None
        if written is not None:
            return written
        from_catalog = getattr(catalog, name) if catalog else None
        if from_catalog is not None:
            return Quantity(from_catalog, Provenance(DEFAULT, f"{label} {name}"))
        if fallback is None:
            return None
        return default(fallback, f"Kilo: no `limit.{name}` in the config or the catalog entry -> 0")

    return MergedLimits(pick("context", 0), pick("input", None), pick("output", 0), catalog)


def base_url(model: ConfiguredModel) -> str | None:
    """The endpoint Kilo calls: `options.baseURL`, else the model's or provider's `api`."""
    candidates = (get_path(model.provider_config, ("options", "baseURL")), get_path(model.config, ("provider", "api")),
                  model.provider_config.get("api"))
    return next((c for c in candidates if isinstance(c, str) and c), None)


def _npm(model: ConfiguredModel) -> str:
    """The AI-SDK package, in the order of Kilo's config merge: the model's `provider.npm`,
    the provider's `npm`, the catalog entry's, the model-id prefix rule, the catalog
    provider's, else `@ai-sdk/openai-compatible`."""
    for value in (get_path(model.config, ("provider", "npm")), model.provider_config.get("npm")):
        if isinstance(value, str):
            return value
    entry = facts.catalog_model(model.provider, model.api_id)
    if entry is not None:
        return entry.npm
    return (facts.npm_rule(model.provider, model.api_id) or facts.catalog_provider_npm(model.provider)
            or OPENAI_COMPATIBLE)


def _unsent_max_tokens(cfg: _Config, model: ConfiguredModel) -> str | None:
    options = model.config.get("options")
    return unsent_max_tokens(model.provider, _npm(model), model.api_id, options if isinstance(options, dict) else {},
                             cfg.flags.default_plugins)


def _runtime_limits(model: ConfiguredModel, limits: MergedLimits) -> str | None:
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


# -- one budget -----------------------------------------------------------------------------------


def _budget(cfg: _Config, inp: ResolveInput, model: ConfiguredModel) -> tuple[Budget, Quantity | None]:
    """The record of one model, and its `limit.output` when Kilo clamps it to 32,000 (reported
    once per file by `report_output_clamps`)."""
    limits = _kilo_limits(cfg, model)
    match = without_paid_twin(
        inp.registry.lookup(model.api_id, provider=model.provider, base_url=base_url(model)), model.api_id)
    budget = kit.start_budget(KILO, inp, model=model.ref, model_id=model.api_id, provider=model.provider,
                              model_source=model.source, match=match,
                              retired=False)  # Kilo drops a model for its own status (`_status_effect`)
    # A limit found only under another provider (a bare model id) says nothing about this
    # endpoint (a self-hosted vLLM, a litellm proxy): Kilo's output numbers are not compared with it.
    if not match.authoritative:
        budget.model_output = None

    context = limits.context
    budget.window = context if context.value != 0 else None
    drop_snapshot_disagreement(budget, limits)
    budget.input_cap = limits.input if limits.input and limits.input.value else None
    budget.hard_limit = budget.input_cap or budget.window
    runtime = _runtime_limits(model, limits)
    # Kilo has the limits it needs: from the config, its bundled catalog, or (for a gateway
    # model) the Kilo API; REG001 then has no limits to ask for.
    budget.declared_limits = bool(context.value) or model.provider == GATEWAY_PROVIDER

    max_out = max_out_quantity(limits.output, cfg.flags.otm)
    usable = usable_quantity(cfg, limits, max_out, cfg.flags.otm.value)
    _trigger(cfg, budget, model, limits, usable, runtime)
    clamped = _output(cfg, budget, model, limits, max_out)
    _compaction(cfg, inp, budget, model)
    budget.env = _env_uses(cfg, limits, budget, sent=_unsent_max_tokens(cfg, model) is None)
    effect = _status_effect(cfg, model, limits)
    if effect:
        budget.effects.append(effect)
    budget.fixes = fixes(budget, model)
    budget.notes.extend(_notes(cfg, model, limits))
    return budget, clamped


def drop_snapshot_disagreement(budget: Budget, limits: MergedLimits, catalog_label: str | None = None) -> None:
    """A limit Kilo takes from its bundled catalog (none written in the config) comes from a
    newer models.dev snapshot of the same entry than cfglint's registry: where the two
    disagree, neither is evidence against the other and the user wrote nothing to correct,
    so the registry's number is not compared with it (no REG003 on the window, no CMP005 on
    the max_tokens it gives); `explain` says so. `catalog_label` names another harness's bundled
    catalog (upstream opencode's)."""
    for name, used, attribute in (("context", limits.context, "model_context"),
                                  ("output", limits.output, "model_output")):
        real = getattr(budget, attribute)
        if real is None or used.source.kind == SETTING or not used.value or real.value == used.value:
            continue
        catalog = catalog_label or facts.catalog_label()
        budget.notes.append(f"cfglint's registry gives {budget.model} a {name} of {n(real.value)} "
                            f"({real.source.describe()}), {catalog} {n(used.value)}: two models.dev "
                            "snapshots disagree and the config sets no limit, so they are not compared")
        setattr(budget, attribute, None)


def _status_effect(cfg: _Config, model: ConfiguredModel, limits: MergedLimits) -> Effect | None:
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
    if status == "alpha" and not cfg.flags.experimental:
        return Effect("REG005", f"{where} marks it alpha: Kilo drops alpha models unless "
                                f"{EXPERIMENTAL_MODELS_ENV} is set", model.source, Severity.ERROR,
                      fix=f"set {EXPERIMENTAL_MODELS_ENV}=1 or pick a released model",
                      details={"status": status, "entry": f"{model.provider}/{model.api_id}"})
    return None


def max_out_quantity(output: Quantity, otm: Quantity) -> Quantity:
    """5.1 `max_output_tokens`, attributed to limit.output when it decides, else to OTM."""
    value = max_output_tokens(output.value, otm.value)
    zero = "" if min(output.value, otm.value) else " or OTM"
    source = output.source if output.value and output.value <= otm.value else otm.source
    return Quantity(value, source, f"min(limit.output {n(output.value)}, OTM {n(otm.value)}){zero} = {n(value)}")


def reserved_quantity(cfg: ConfigReader, max_out: Quantity, harness: str = "Kilo") -> Quantity:
    """`compaction.reserved` as written, else min(20,000, max output) (upstream opencode's too)."""
    written = cfg.setting(("compaction", "reserved"))
    if written is not None:
        return written
    value = default_reserved(max_out.value)
    source = max_out.source if value < COMPACTION_BUFFER else Provenance(DEFAULT, f"{harness} COMPACTION_BUFFER 20,000")
    return Quantity(value, source, f"reserved = min(20,000, max output {n(max_out.value)}) = {n(value)}")


def usable_quantity(cfg: ConfigReader, limits: MergedLimits, max_out: Quantity, otm: int, *, harness: str = "Kilo",
                    floor_at_zero: bool = True) -> Quantity:
    """5.1 `usable` at OTM `otm`, with the input that decided it as its source (upstream
    opencode's too, whose 1.3.x has no `max(0, ...)`: `floor_at_zero=False`)."""
    context, input_limit = limits.context, limits.input
    reserved = reserved_quantity(cfg, max_out, harness)
    value = usable_tokens(context.value, input_limit.value if input_limit else None,
                          limits.output.value, reserved.value, otm, floor_at_zero=floor_at_zero)
    opening, closing = ("max(0, ", ")") if floor_at_zero else ("", "")
    if context.value == 0:
        return Quantity(value, context.source, f"limit.context 0: {harness} does not track the context")
    if input_limit and input_limit.value:
        return Quantity(value, deciding(reserved, input_limit),
                        f"{opening}limit.input {n(input_limit.value)} - reserved {n(reserved.value)}{closing} = "
                        f"{n(value)}")
    return Quantity(value, deciding(context, max_out),
                    f"{opening}limit.context {n(context.value)} - max output {n(max_out.value)}{closing} = {n(value)}")


# -- trigger ----------------------------------------------------------------------------------------


def _percent(cfg: _Config) -> tuple[Quantity | None, str | None]:
    """`compaction.threshold_percent` and the base rule the targeted release applies."""
    quantity = cfg.setting(("compaction", "threshold_percent"))
    if quantity is None:
        return None, None
    if cfg.version < THRESHOLD_PERCENT_FROM:
        return quantity, None
    return quantity, ("context" if cfg.version >= CONTEXT_BASE_FROM else "input")


def _trigger(cfg: _Config, budget: Budget, model: ConfiguredModel, limits: MergedLimits, usable: Quantity,
             runtime: str | None) -> None:
    """Trigger, rule, headroom: never when switched off (deliberate) or untracked (context 0);
    unknown (None) when Kilo gets the limits only at run time."""
    if no_trigger(cfg, budget, model, limits.context, runtime):
        return
    has_input = bool(limits.input and limits.input.value)
    budget.trigger = usable
    budget.trigger_rule = "input cap minus reserved" if has_input else "usable window"
    budget.trigger_reason = ("the token count of the last finished step reaches the usable window"
                             if cfg.version >= CONTEXT_BASE_FROM else
                             "the token count reaches the usable window")
    percent, base_rule = _percent(cfg)
    if percent is not None and base_rule is not None:
        _apply_percent(budget, limits, usable, percent, base_rule)
    whole_count(budget)
    budget.every_step = budget.trigger.value <= 0
    hard = budget.hard_limit
    budget.headroom = kit.headroom(hard, budget.trigger,
                                   labels=("limit.input" if has_input else "limit.context", "trigger"))


def no_trigger(cfg: ConfigReader, budget: Budget, model: ConfiguredModel, context: Quantity, runtime: str | None,
               harness: str = "Kilo", entry: str = "no exact catalog entry") -> bool:
    """The trigger when there is no number (True then): never when switched off (deliberate,
    CMP002 info) or untracked (context 0, CMP002 warning); unknown (None) when the harness gets
    the limits only at run time (`runtime` says why). Upstream opencode's alike."""
    off = switched_off(cfg, cfg.flags.autocompact_off)
    if off is not None:
        budget.trigger, budget.trigger_reason = off
        budget.trigger_rule, budget.proactive, budget.deliberate_off = "never", False, True
        budget.effects.append(Effect("CMP002", budget.trigger_reason, budget.trigger.source, Severity.INFO))
        return True
    if runtime is not None:
        budget.trigger, budget.trigger_rule, budget.trigger_reason = None, "unknown", runtime
        return True
    if context.value == 0:
        where = cfg.source(model.path) if model.path else model.source
        source = context.source if context.source.kind == SETTING else where
        budget.trigger = Quantity(None, source)
        budget.trigger_rule, budget.proactive = "never", False
        budget.trigger_reason = (f"{model.ref} has no `limit.context` in the config and {entry} "
                                 f"({model.provider}/{model.api_id}): {harness} does not track its context and "
                                 "compacts only after the provider rejects a request")
        budget.effects.append(Effect("CMP002", budget.trigger_reason, source, Severity.WARNING))
        return True
    return False


def whole_count(budget: Budget, harness: str = "Kilo") -> None:
    """The trigger as the first token count that compacts (`first_count`): a fractional or
    negative limit (from fractional or negative `limit` values) becomes a whole count >= 0."""
    limit = budget.trigger.value
    count = first_count(limit)
    if count != limit or not isinstance(count, type(limit)):
        formula = f"{budget.trigger.formula}; " if budget.trigger.formula else ""
        budget.trigger = Quantity(count, budget.trigger.source,
                                  f"{formula}{harness} compacts when the count >= {n(limit)}: first count {n(count)}")


def switched_off(cfg: ConfigReader, env: EnvValue | None) -> tuple[Quantity, str] | None:
    """`compaction.auto: false` or a truthy `env` (KILO_DISABLE_AUTOCOMPACT, or upstream
    opencode's OPENCODE_DISABLE_AUTOCOMPACT), which forces it."""
    if env is not None:
        return (Quantity(None, env.source()),
                f"{env.name}={env.value} forces `compaction.auto = false`")
    if cfg.value(("compaction", "auto")) is False:
        return Quantity(None, cfg.source(("compaction", "auto"))), "`compaction.auto` is false"
    return None


def _apply_percent(budget: Budget, limits: MergedLimits, usable: Quantity, percent: Quantity, base_rule: str) -> None:
    """`min(usable, floor(base x tp / 100))`, measured on the preflight estimate (5.2 item 4)."""
    input_value = limits.input.value if limits.input else None
    base_name, base = "limit.context", limits.context.value
    if base_rule == "input" and input_value:
        base_name, base = "limit.input", input_value
    cap = percent_cap(base, percent.value)
    value = trigger_tokens(usable.value, limits.context.value, input_value, percent.value, base_rule)
    formula = (f"min(usable {n(usable.value)}, floor({base_name} {n(base)} × {n(percent.value)} / 100) = "
               f"{n(cap)}) = {n(value)}")
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
            f"`compaction.threshold_percent` {n(percent.value)} gives floor({n(base)} × {n(percent.value)} / 100) "
            f"= {n(cap)}, above the usable window {n(usable.value)}: Kilo compacts at {n(usable.value)} anyway",
            percent.source, Severity.WARNING,
            fix=f"lower `threshold_percent` below {n(numbers.rounded(math.floor, usable.value * 100 / base))} or remove it",
            details={"threshold_percent": percent.value, "cap": cap, "usable": usable.value}))


# -- output -----------------------------------------------------------------------------------------


def _output(cfg: _Config, budget: Budget, model: ConfiguredModel, limits: MergedLimits, max_out: Quantity) -> Quantity | None:
    """5.3: the request cap, the cap at the trigger, and the CMP004 facts about output; returns
    `limit.output` when Kilo clamps it to OUTPUT_TOKEN_MAX."""
    if not request_cap(budget, model, limits, max_out, cfg.setting(("compaction", "reserved")),
                       _unsent_max_tokens(cfg, model)):
        return None
    output, context = limits.output, limits.context
    trigger = budget.trigger.value if budget.trigger else None
    if trigger is not None:
        sent = cap_output_tokens(max_out.value, context.value, trigger)
        available = context.value - trigger - CAP_MARGIN
        if sent is None:
            budget.notes.append(f"at the trigger Kilo sends no max_tokens: KiloLLM.capOutputTokens drops a cap "
                                f"<= 0 ({n(max_out.value)})")
        elif sent == max_out.value:
            formula = (f"limit.context {n(context.value)} - estimate {n(trigger)} - 2,048 = {n(available)}: "
                       f"max_tokens {n(max_out.value)} sent unchanged")
            budget.max_tokens_at_trigger = Quantity(sent, max_out.source, formula)
        else:
            formula = (f"max(1,024, limit.context {n(context.value)} - estimate {n(trigger)} - 2,048 "
                       f"= {n(available)}) = {n(sent)}")
            budget.max_tokens_at_trigger = Quantity(sent, budget.trigger.source, formula)
    clamped = output.source.kind == SETTING and output.value > OUTPUT_TOKEN_MAX and cfg.flags.otm.source.kind != ENV
    return output if clamped else None


def request_cap(budget: Budget, model: ConfiguredModel, limits: MergedLimits, max_out: Quantity,
                reserved: Quantity | None, unsent: str | None, harness: str = "Kilo") -> bool:
    """5.3, the part upstream opencode shares: the max output reserved below the context, a
    `compaction.reserved` without effect (CMP004), and the normal request cap; False when no
    max_tokens is sent (`unsent` says why)."""
    output, context = limits.output, limits.context
    has_input = bool(limits.input and limits.input.value)
    if context.value != 0 and not has_input:
        budget.output_reservation = Quantity(
            max_out.value, max_out.source,
            f"without `limit.input` {harness} subtracts the max output {n(max_out.value)} from limit.context")
    if reserved is not None and context.value != 0 and not has_input:  # untracked: CMP002 says it all
        budget.effects.append(Effect(
            "CMP004",
            f"`compaction.reserved` has no effect on {model.ref}: {harness} subtracts it only from `limit.input`, "
            "and this model has none (usable = limit.context - max output)",
            reserved.source, Severity.WARNING,
            fix=f"remove `compaction.reserved`, or give {model.ref} a `limit.input`"))
    if unsent is not None:
        budget.notes.append(f"{harness} sends no max_tokens for {model.ref}: {unsent} (the provider's own default "
                            "applies)")
        # One reply can then be as long as the model allows (CMP001's cap), which is no
        # request above the output limit (CMP005) and no clamp (CMP004).
        real = budget.model_output
        if real is not None:
            budget.max_tokens_normal = Quantity(
                real.value, real.source, f"no max_tokens sent: the provider's default, up to the model's output "
                                         f"limit {n(real.value)}")
        return False
    budget.max_tokens_normal = max_out
    if output.source.kind == SETTING and output.value and max_out.value == output.value:
        budget.configured_output = output
    return True


def report_output_clamps(clamped: list[tuple[Budget, Quantity]], harness: str = "Kilo",
                         otm_env: str = OTM_ENV) -> None:
    """One CMP004 (info) per file for the `limit.output` values Kilo clamps to 32,000, at the
    first of them: catalog-copied limits above 32,000 are common and need no change unless
    the larger output is wanted. Upstream opencode clamps alike (`harness`, `otm_env`)."""
    by_file: dict[str, list[tuple[Budget, Quantity]]] = {}
    for budget, output in clamped:
        by_file.setdefault(output.source.doc.path, []).append((budget, output))
    for in_file in by_file.values():
        first_budget, first_output = in_file[0]
        others = [budget.model for budget, _ in in_file[1:]]
        also = ""
        if others:
            listed = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            also = f" (so are the outputs of {listed})"
        largest = max(output.value for _, output in in_file)
        first_budget.effects.append(Effect(
            "CMP004",
            f"`limit.output` {n(first_output.value)} is clamped to 32,000{also}: {harness} caps max_tokens at "
            f"OUTPUT_TOKEN_MAX unless {otm_env} is set",
            first_output.source, Severity.INFO,
            fix=f"set {otm_env}={largest} to send it" if not others else
                f"set {otm_env}={largest} to send the configured outputs",
            details={"limit_output": first_output.value, "sent": OUTPUT_TOKEN_MAX,
                     **({"models": [first_budget.model, *others]} if others else {})}))


# -- compaction path (5.4, 5.5) -------------------------------------------------------------------


def _compaction(cfg: _Config, inp: ResolveInput, budget: Budget, model: ConfiguredModel) -> None:
    """Summary model, its request cap (an assumption), kept tail and the window it needs.

    Kilo compacts with `agent.compaction.model` when set, and sizes chunks from that
    model's own usable window. When it is another model, its own record (it is a model of
    the configuration too) compares its request with its output limit; this record only
    names it."""
    otm = cfg.flags.otm
    summary, source = summary_model(cfg, model)
    budget.summary_model = summary
    chunk_cap = min(CHUNK_OUTPUT_MAX, otm.value)
    assumption = ("assumed: the single-pass summary request sends max_output_tokens of the compaction model "
                  "(harness-kilo.md 5.4: the sources give no separate cap); chunked compaction workers send "
                  f"min(2,048, OTM) = {n(chunk_cap)}")

    compaction_model = configured_model(cfg, summary, source)
    if compaction_model.ref in ROUTER_MODELS:
        budget.compaction_note = f"{summary} is a Kilo pseudo-router: its limits are unknown; {assumption}"
        budget.kept_tail = _kept_tail(cfg, None)
        budget.post_compaction_floor = _floor(budget.kept_tail)
        return
    limits = _kilo_limits(cfg, compaction_model)
    budget.summary_needed = _chunk_needed(cfg, limits, chunk_cap)
    budget.compaction_note = assumption
    unsent = _unsent_max_tokens(cfg, compaction_model)
    if unsent is not None:
        budget.compaction_note += f"; Kilo sends no max_tokens for {summary}: {unsent}"
    elif summary == model.ref:
        budget.max_tokens_compaction = max_out_quantity(limits.output, otm)
    else:
        budget.compaction_note += f"; the summary request goes to {summary}, whose own record checks its max_tokens"
    budget.kept_tail = _kept_tail(cfg, limits)
    budget.post_compaction_floor = _floor(budget.kept_tail)
    budget.summary_context = summary_context(inp, compaction_model, limits)


def _chunk_needed(cfg: _Config, limits: MergedLimits, chunk_cap: int) -> Quantity:
    """KiloCompactionChunks: a chunk of max(1,000, floor(usable x 0.6)) tokens plus the chunk
    output, where `usable` is the compaction model's own with output min(limit.output, 2,048)."""
    chunk_out = max_output_tokens(limits.output.value, chunk_cap)
    usable = usable_tokens(limits.context.value, limits.input.value if limits.input else None, chunk_out,
                           cfg.number(("compaction", "reserved")), chunk_cap)
    needed = chunk_budget(usable) + chunk_cap
    return Quantity(needed, deciding(limits.context, limits.input, limits.output),
                    f"max(1,000, floor(usable {n(usable)} × 0.6) = {n(math.floor(usable * 0.6))}) + "
                    f"min(2,048, OTM {n(cfg.flags.otm.value)}) = {n(needed)}")


def summary_model(cfg: _Config, model: ConfiguredModel) -> tuple[str, Provenance]:
    """`agent.compaction.model`, else the model running the session (this budget's)."""
    path = ("agent", "compaction", "model")
    value = cfg.value(path)
    if isinstance(value, str) and MODEL_REF.match(value):
        return value, cfg.source(path)
    return model.ref, model.source


def _kept_tail(cfg: _Config, limits: MergedLimits | None) -> Quantity:
    """5.5: `first(preserve_recent_tokens, min(15000, max(2000, floor(usable x 0.25))))`, with
    `usable` of the compaction model at the env output cap (before RUNTIME_FLAGS_FROM: bound
    8,000, usable at OTM 32,000); `tail_turns <= 0` keeps no tail."""
    turns = cfg.setting(("compaction", "tail_turns"))
    if turns is not None and turns.value <= 0:
        return Quantity(0, turns.source, f"tail_turns {n(turns.value)}: no recent tail is kept")
    written = cfg.setting(("compaction", "preserve_recent_tokens"))
    if written is not None:
        return written
    if limits is None:
        value = tail_budget(0)
        return Quantity(value, Provenance(DEFAULT, "Kilo preserve_recent minimum 2,000"),
                        "compaction model limits unknown: usable 0 -> 2,000")
    current = cfg.version >= RUNTIME_FLAGS_FROM
    bound = TAIL_MAX if current else TAIL_MAX_BEFORE
    # from RUNTIME_FLAGS_FROM `usable` is the compaction model's at the env output cap
    usable = usable_quantity(cfg, limits, max_out_quantity(limits.output, cfg.flags.otm), cfg.flags.otm.value) if current \
        else _usable_at_default_otm(cfg, limits)
    quarter = numbers.rounded(math.floor, usable.value * 0.25)
    value = tail_budget(usable.value, bound)
    source = usable.source if value == quarter else Provenance(DEFAULT, f"Kilo preserve_recent bound {n(value)}")
    return Quantity(value, source, f"min({n(bound)}, max(2,000, floor(usable {n(usable.value)} × 0.25) = "
                                   f"{n(quarter)})) = {n(value)}")


def _usable_at_default_otm(cfg: _Config, limits: MergedLimits) -> Quantity:
    """`usable` at Kilo's 32,000, whatever the env says (the tail budget, and what the env changed)."""
    return usable_quantity(cfg, limits, max_out_quantity(limits.output, _default_otm()), OUTPUT_TOKEN_MAX)


def _floor(kept: Quantity) -> Quantity:
    return Quantity(kept.value, kept.source,
                    f"kept tail {n(kept.value)} + summary budget 0 (Kilo has none) = {n(kept.value)}")


def summary_context(inp: ResolveInput, model: ConfiguredModel, limits: MergedLimits) -> Quantity | None:
    """The prompt room of the compaction model: Kilo's `limit.input` (what it sizes chunks
    below), else `limit.context`, else the registry's real window. An input above the
    context is CMP008's finding, not a too-small summary model."""
    if limits.context.value:
        return limits.input if limits.input and limits.input.value else limits.context
    match = inp.registry.lookup(model.api_id, provider=model.provider, base_url=base_url(model))
    return from_registry(match.context, match, inp.registry, "context")


# -- env, fixes, notes --------------------------------------------------------------------------------


def _env_uses(cfg: _Config, limits: MergedLimits, budget: Budget, sent: bool) -> list[EnvUse]:
    """Every Kilo variable set for this run: how Kilo reads it and what it changed."""
    flags, uses = cfg.flags, []
    if flags.otm_env is not None:
        uses.append(otm_env_use(flags, lambda: _otm_changes(cfg, limits, budget, sent)))
    for env in flags.bool_env:
        uses.append(boolean_env_use(env, _flag_true(env, cfg.version), _read_as_config_boolean(env, cfg.version)))
    return uses


def otm_env_use(flags: Any, changes: Callable[[], str | None]) -> EnvUse:
    """The output-cap variable (`flags.otm_env`, read into `flags.otm` or refused with
    `flags.otm_problem`) and what it changed (Kilo's and upstream opencode's flags alike)."""
    env = flags.otm_env
    if flags.otm_problem:
        return EnvUse(env.name, env.value, None, problem=flags.otm_problem, severity=Severity.ERROR,
                      fix=f"set {env.name} to a positive integer such as 64000", env=env)
    return EnvUse(env.name, env.value, flags.otm.value, changed=changes(), env=env)


def boolean_env_use(env: EnvValue, parsed: bool, config_boolean: bool, harness: str = "Kilo",
                    autocompact_env: str = DISABLE_AUTOCOMPACT_ENV,
                    config_boolean_problem: str | None = None) -> EnvUse:
    """A boolean variable as read (`Flag`: `1`/`true` in any case; Effect `Config.boolean` when
    `config_boolean`) and its problem, if its spelling is not one the reader knows.
    `config_boolean_problem` replaces the default text for a spelling Config.boolean refuses."""
    changed = "trigger: never (auto-compaction off)" if env.name == autocompact_env and parsed else None
    problem = None
    if config_boolean:
        if env.value not in EFFECT_TRUE + EFFECT_FALSE:
            problem = config_boolean_problem or (f"{harness} reads {env.name} with Effect Config.boolean: true only "
                                                 f"for {', '.join(EFFECT_TRUE)}; `{env.value}` is not read as true")
    elif env.value.lower() not in FLAG_TRUE + _FALSY:
        problem = f"{harness} reads {env.name} as true only for `1` or `true`; `{env.value}` counts as false"
    return EnvUse(env.name, env.value, parsed, changed=changed, problem=problem,
                  severity=Severity.ERROR if problem else None,
                  fix=f"set {env.name}=1" if problem else None, env=env)


def _otm_changes(cfg: _Config, limits: MergedLimits, budget: Budget, sent: bool) -> str | None:
    """Which numbers the env OTM moved, against Kilo's 32,000 (max_tokens only when Kilo sends it)."""
    before_out = max_output_tokens(limits.output.value, OUTPUT_TOKEN_MAX)
    changes = []
    if sent and budget.max_tokens_normal and before_out != budget.max_tokens_normal.value:
        changes.append(f"max_tokens {n(before_out)} -> {n(budget.max_tokens_normal.value)}")
    if budget.trigger and budget.trigger.value is not None:
        percent, base_rule = _percent(cfg)
        usable = _usable_at_default_otm(cfg, limits).value
        before = trigger_tokens(usable, limits.context.value, limits.input.value if limits.input else None,
                                percent.value if percent else None, base_rule)
        if before != budget.trigger.value:
            changes.append(f"trigger {n(before)} -> {n(budget.trigger.value)}")
    return "; ".join(changes) or None


def fixes(budget: Budget, model: ConfiguredModel, harness: str = "Kilo",
          autocompact_env: str = DISABLE_AUTOCOMPACT_ENV) -> Fixes:
    """Kilo's fix text per finding, with the registry's numbers where known (upstream opencode
    replaces the two that name Kilo-only settings: CMP001 without `limit.input`, CMP006)."""
    key = model_key(model)

    context = budget.model_context.value if budget.model_context else None
    output = budget.model_output.value if budget.model_output else None
    cap = budget.max_tokens_normal.value if budget.max_tokens_normal else OUTPUT_TOKEN_MAX
    limit = (f"{{context: {context}, output: {output}}}" if context and output
             else "{context: <window>, output: <max output>}")
    return Fixes(
        cmp001=(f"raise `compaction.reserved` to at least the output cap {n(cap)}, or lower {key('limit', 'output')}"
                if budget.input_cap else "lower `compaction.threshold_percent` or the model's `limit.output`"),
        cmp002=cmp002_fix(budget, f"add {key('limit')} = {limit}", harness, autocompact_env),
        cmp003=("set `compaction.reserved` well below `limit.input`" if budget.input_cap else
                f"set {key('limit', 'output')} to the model's real output limit, so that the context minus "
                "the max output leaves room"),
        cmp005_normal=f"set {key('limit', 'output')} to {n(output) if output else 'the model output limit'}",
        cmp005_compaction=("set `limit.output` of the compaction model to its output limit, or pick an "
                           "`agent.compaction.model` that accepts the request"),
        # No summary window is needed behind a pseudo-router (its limits are unknown): no CMP006.
        cmp006=("lower `compaction.preserve_recent_tokens`, or pick an `agent.compaction.model` whose window "
                f"is at least {n(budget.summary_needed.value)}") if budget.summary_needed else None,
        cmp007=(f"set {key('limit', 'input')} ({harness} then reserves only `compaction.reserved`) or lower "
                f"{key('limit', 'output')}"),
        reg002=f"lower {key('limit', 'output')} to {n(output) if output else 'the model output limit'}",
        reg003=f"lower {key('limit', 'context')} to {n(context) if context else 'the model context'}",
    )


def model_key(model: ConfiguredModel) -> Callable[..., str]:
    """`provider.<pid>.models.<key>.<names>` of this model, quoted, for fix texts."""
    return lambda *names: f"`{format_path(('provider', model.provider, 'models', model.key, *names))}`"


def cmp002_fix(budget: Budget, add_limit: str, harness: str = "Kilo",
               autocompact_env: str = DISABLE_AUTOCOMPACT_ENV) -> str:
    """Add limits to an untracked model; undo the switch-off that was actually used."""
    if not budget.deliberate_off:
        return add_limit
    if budget.trigger.source.kind == ENV:
        return f"unset {autocompact_env} to let {harness} compact automatically"
    return f"remove `compaction.auto: false` to let {harness} compact automatically"


def _notes(cfg: _Config, model: ConfiguredModel, limits: MergedLimits) -> list[str]:
    """Assumptions behind the numbers, for `explain`."""
    notes = []
    if limits.catalog:
        notes.append(f"limits not in the config come from {facts.catalog_label()} (entry "
                     f"{model.provider}/{model.api_id}); Kilo refreshes that catalog from models.dev at run time, "
                     "so a running Kilo may hold newer numbers")
    if model.provider == GATEWAY_PROVIDER:
        notes.append("Kilo Gateway limits come from the Kilo API at run time; cfglint uses the registry's `kilo` "
                     "entry as a stand-in")
    if limits.input and limits.input.source.kind == DEFAULT and limits.context.source.kind == SETTING:
        notes.append(f"`limit.context` is set in the config but `limit.input` {n(limits.input.value)} is kept "
                     "from the catalog entry (Kilo merges limits field by field)")
    percent, base_rule = _percent(cfg)
    if percent is not None and base_rule is None:
        notes.append(f"Kilo {cfg.version} has no `compaction.threshold_percent` (added in 7.3 by PR #10218): "
                     "the value is ignored")
    elif base_rule == "input":
        notes.append(f"Kilo {cfg.version} takes threshold_percent of `limit.input or limit.context` "
                     "(PR #10218; `limit.context` only from 7.7.9, PR #13340)")
    return notes
