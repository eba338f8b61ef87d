"""opencode resolver: what upstream opencode does with each model of a configuration (`RESOLVERS.md`).

Formulas are those of `harness-opencode.md` 3.5 (limits merged from the config and the
catalog), 5.1 (max output, usable window: the trigger), 5.2 (two overflow checks), 5.3
(request cap), 5.4 (compaction path), 5.6 (zero limits), 6 (release rows). The arithmetic and
the record-building steps are Kilo's v1, the same upstream code, imported from
`cfglint.harnesses.kilo.resolver` with opencode's name and constants as parameters, never
copied: the pure functions, the model reference, `usable`, the untriggered cases, the request
cap, the summary model and the env records.

The catalog: opencode 1.18.33 computes with the models.dev snapshot bundled in its binary
(`@opencode/ModelsDev`: the cache file, else the bundled snapshot; refreshed from
models.opencode.ai, models.dev before 1.18.10) and merges the config's model over the EXACT
(provider id, `id ?? key`) entry: limits field by field, `status` (REG005), npm. cfglint reads
that snapshot (`facts.catalog_model`, extracted by `tools/extract/opencode.py`, Kilo's format
and accessors), as the Kilo unit reads Kilo's; cfglint's registry stays what the provider
accepts (`Registry.lookup`: REG002, REG003, CMP005). Older targets use the same snapshot (a
note says so). GitHub Copilot models take their limits from the Copilot API at run time
instead (the trigger is unknown).

Differences from Kilo the record shows: the trigger is `usable` (no `threshold_percent`, no
preflight), the smaller of the post-step check's (OTM 32,000) and the loop-top check's (the env
OTM) from 1.15.13; max_tokens has no remaining-window clamp (the value at the trigger equals
the normal one); the kept tail uses `usable` at OTM 32,000 (1.14.x: the env OTM) with a 15,000
bound (8,000 before 1.18.17) and there is no summary budget; 1.3.x has no `max(0, ...)` in
`usable`; the built-in hooks that unset max_tokens differ per release and go with
OPENCODE_DISABLE_DEFAULT_PLUGINS.
"""

from __future__ import annotations

import math
import re

from cfglint.core import numbers
from cfglint.core.document import Path, get_path
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
)
from cfglint.harnesses.kilo import facts as kilo_facts
from cfglint.harnesses.kilo.resolver import (
    ConfiguredModel,
    MergedLimits,
    base_url,
    boolean_env_use,
    configured_model,
    deciding,
    drop_snapshot_disagreement,
    first_count,
    fixes,
    max_out_quantity,
    max_output_tokens,
    model_key,
    no_trigger,
    otm_env_use,
    report_output_clamps,
    request_cap,
    summary_context,
    summary_model,
    tail_budget,
    unsent_max_tokens,
    usable_quantity,
    whole_count,
    without_paid_twin,
)
from cfglint.harnesses.kit import ConfigReader, n
from cfglint.harnesses.opencode import OPENCODE, facts
from cfglint.harnesses.opencode.facts import (
    DISABLE_AUTOCOMPACT_ENV,
    DISABLE_DEFAULT_PLUGINS_ENV,
    DISABLE_PRUNE_ENV,
    EXPERIMENTAL_MODELS_ENV,
    FLAG_TRUE,
    KILO_ENV_PREFIX,
    MODEL_REF,
    MODEL_REF_KEYS,
    OPENAI_COMPATIBLE,
    OTM_ENV,
    OUTPUT_TOKEN_MAX,
    TAIL_MAX,
    TAIL_MAX_BEFORE,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


# The Codex plugin replaces these ids' limits with ChatGPT OAuth (harness-opencode.md 3.5).
_CODEX_OAUTH_PREFIXES = ("gpt-5.5", "gpt-5.6")


# --- inputs ---------------------------------------------------------------------------------


class _Flags(FrozenRecord):
    """The opencode environment variables of this run, read as opencode reads them."""

    __slots__ = ("otm", "otm_env", "otm_problem", "autocompact_off", "experimental", "default_plugins", "bool_env",
                 "kilo_env")

    def __init__(self, otm: Quantity, otm_env: EnvValue | None, otm_problem: str | None,
                 autocompact_off: EnvValue | None, experimental: bool, default_plugins: bool,
                 bool_env: tuple[EnvValue, ...], kilo_env: tuple[EnvValue, ...]) -> None:
        self.otm = otm
        self.otm_env = otm_env
        self.otm_problem = otm_problem
        self.autocompact_off = autocompact_off  # set when OPENCODE_DISABLE_AUTOCOMPACT is truthy
        self.experimental = experimental
        self.default_plugins = default_plugins  # False when OPENCODE_DISABLE_DEFAULT_PLUGINS switches them off
        self.bool_env = bool_env  # boolean variables present, for EnvUse
        self.kilo_env = kilo_env  # KILO_* variables given: no effect on opencode


def _default_otm() -> Quantity:
    return default(OUTPUT_TOKEN_MAX, "opencode OUTPUT_TOKEN_MAX 32,000")


def _read_flags(env: Environment, version: Version) -> _Flags:
    otm_env = env.get(OTM_ENV)
    otm, problem = _default_otm(), None
    if otm_env is not None:
        read = _read_number(otm_env.value, version)
        if numbers.javascript_integer(read) and read > 0:
            otm = Quantity(int(read), otm_env.source())
        else:
            reader = "Effect Config.number" if version >= facts.RUNTIME_FLAGS_FROM else "JavaScript's Number()"
            problem = (f"{OTM_ENV}={otm_env.value!r} is not a positive integer to {reader} (a plain decimal "
                       "number: no spaces, no hex, no `64k`): opencode ignores it and keeps max_tokens at 32,000")
    autocompact = env.get(DISABLE_AUTOCOMPACT_ENV)
    experimental = env.get(EXPERIMENTAL_MODELS_ENV)
    no_plugins = env.get(DISABLE_DEFAULT_PLUGINS_ENV)
    booleans = (autocompact, experimental, env.get(DISABLE_PRUNE_ENV), no_plugins)
    return _Flags(
        otm=otm,
        otm_env=otm_env,
        otm_problem=problem,
        autocompact_off=autocompact if autocompact and _truthy(autocompact.value) else None,
        experimental=bool(experimental and _flag_true(experimental, version)),
        # 1.18.33 `for(let N of Q.disableDefaultPlugins?[]:Yy(Q))`; 1.14.41 loads them whatever it says
        default_plugins=not (no_plugins and version >= facts.RUNTIME_FLAGS_FROM and _flag_true(no_plugins, version)),
        bool_env=tuple(e for e in booleans if e is not None),
        kilo_env=tuple(env.get(name) for name in env.names() if name.startswith(KILO_ENV_PREFIX)),
    )


def _read_number(value: str, version: Version) -> float | None:
    """The output cap as opencode reads it: from RUNTIME_FLAGS_FROM Effect `Config.number` (the
    string must be a plain finite number, as Kilo 7.7.9), before it `Number(value)`."""
    if version >= facts.RUNTIME_FLAGS_FROM and not (re.fullmatch(kilo_facts.EFFECT_NUMBER, value)
                                                    or value in kilo_facts.EFFECT_NON_FINITE):
        return None
    return numbers.javascript_number(value)


def _truthy(value: str) -> bool:
    return value.lower() in FLAG_TRUE


def _read_as_config_boolean(env: EnvValue, version: Version) -> bool:
    """Whether opencode reads this flag with Effect `Config.boolean` (RuntimeFlags) rather than
    `Flag` (`1`/`true`, any case)."""
    return env.name in facts.CONFIG_BOOLEAN_ENVS and version >= facts.RUNTIME_FLAGS_FROM


def _flag_true(env: EnvValue, version: Version) -> bool:
    return env.value in kilo_facts.EFFECT_TRUE if _read_as_config_boolean(env, version) else _truthy(env.value)


class _Config(ConfigReader):
    """The merged configuration as opencode reads it, with the targeted release and the run's
    opencode variables (`flags`)."""

    def __init__(self, inp: ResolveInput) -> None:
        super().__init__(inp.merged)
        self.version = OPENCODE.version(inp.version)
        self.flags = _read_flags(inp.env, self.version)

    def number(self, path: Path) -> int | float | None:
        """A JSON number as opencode's `Finite` accepts it; anything else counts as unset."""
        return numbers.finite(self.value(path))


# --- the resolver ---------------------------------------------------------------------------


def resolve(inp: ResolveInput) -> list[Budget]:
    """One Budget per `provider/model` of the configuration, the session `model` first."""
    cfg = _Config(inp)
    built = [_budget(cfg, inp, model) for model in _models(cfg, inp)]
    report_output_clamps([(budget, output) for budget, output in built if output is not None],
                         harness=facts.TITLE, otm_env=OTM_ENV)
    budgets = [budget for budget, _ in built]
    if budgets:
        budgets[0].effects.extend(_kilo_settings(cfg))
    return budgets


def _models(cfg: _Config, inp: ResolveInput) -> list[ConfiguredModel]:
    """`model`, `small_model`, `agent.*.model`, then every model defined under
    `provider.*.models` not named yet, in config order; `inp.model` keeps one."""
    named: list[tuple[str, Path]] = []
    for path in [(key,) for key in MODEL_REF_KEYS] + [("agent", name, "model") for name in cfg.table(("agent",))]:
        ref = _reference(cfg.value(path))
        if ref is not None:
            named.append((ref, path))
    for pid in cfg.table(("provider",)):
        for key, entry in cfg.table(("provider", pid, "models")).items():
            if isinstance(entry, dict):  # a null entry stops opencode (SCH001): no model to budget
                named.append((f"{pid}/{key}", ("provider", pid, "models", key)))
    models: dict[str, ConfiguredModel] = {}
    for ref, path in named:
        match = MODEL_REF.match(ref)
        if not match or ref in models or not _provider_exists(cfg, inp, match.group(1)):
            continue  # not `provider/model`, or an unknown provider: SCH004 reports it
        if inp.model is None or ref == inp.model:
            models[ref] = configured_model(cfg, ref, cfg.source(path))
    return list(models.values())


def _reference(value: Any) -> str | None:
    """A model reference: a string, or (lowered by 1.18.33) V2's `{providerID, model}`."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("providerID"), str) and isinstance(value.get("model"), str):
        return f"{value['providerID']}/{value['model']}"
    return None


def _provider_exists(cfg: _Config, inp: ResolveInput, provider: str) -> bool:
    """A provider opencode can load: configured, in its bundled catalog, or in cfglint's models.dev
    snapshot (what a catalog refresh brings)."""
    return (provider in cfg.table(("provider",)) or provider in facts.catalog_provider_ids()
            or provider in inp.registry.catalog_provider_ids)


# -- limits (3.5) ------------------------------------------------------------------------------------


def _limits(cfg: _Config, model: ConfiguredModel) -> MergedLimits:
    """`cfg.limit.X ?? catalog.X [?? 0]` against the EXACT entry of opencode's bundled catalog
    (provider id, `id ?? key`: `i.models[C.id??r]`). For a Copilot model the Copilot API's limits
    take the catalog's place at run time (`_runtime_limits`); the config's still win."""
    entry = facts.catalog_model(model.provider, model.api_id)
    label = f"{facts.catalog_label()}, {model.provider}/{model.api_id}"
    own = model.path or None

    def pick(name: str, fallback: int | None) -> Quantity | None:
        written = cfg.setting(own + ("limit", name)) if own else None
        if written is not None:
            return written
        from_catalog = getattr(entry, name) if entry else None
        if from_catalog is not None:
            return Quantity(from_catalog, Provenance(DEFAULT, f"{label} {name}"))
        if fallback is None:
            return None
        return default(fallback, f"opencode: no `limit.{name}` in the config or the catalog entry -> 0")

    return MergedLimits(pick("context", 0), pick("input", None), pick("output", 0), entry)


def _npm(model: ConfiguredModel) -> str:
    """The AI-SDK package: the model's `provider.npm`, the provider's `npm`, the catalog entry's
    (`gN(pid, id) ?? model.provider?.npm ?? provider.npm`), the model-id prefix rule, the catalog
    provider's, else openai-compatible."""
    for value in (get_path(model.config, ("provider", "npm")), model.provider_config.get("npm")):
        if isinstance(value, str):
            return value
    entry = facts.catalog_model(model.provider, model.api_id)
    if entry is not None:
        return entry.npm
    return (kilo_facts.npm_rule(model.provider, model.api_id, facts.CATALOG)
            or kilo_facts.catalog_provider_npm(model.provider, facts.CATALOG) or OPENAI_COMPATIBLE)


def _unsent(cfg: _Config, model: ConfiguredModel) -> str | None:
    """Why opencode sends no max_tokens (5.3): the built-in plugins' `chat.params` hooks, none
    when OPENCODE_DISABLE_DEFAULT_PLUGINS leaves them unloaded. Each release's hooks: openai and
    Copilot GPT in all; `@ai-sdk/cerebras` with `max_completion_tokens` from CEREBRAS_HOOK_FROM,
    before it cloudflare-ai-gateway `openai/*` reasoning models."""
    if not cfg.flags.default_plugins:
        return None
    options = model.config.get("options")
    if cfg.version < facts.CEREBRAS_HOOK_FROM:
        if model.provider == facts.CLOUDFLARE_GATEWAY and model.api_id.lower().startswith("openai/") \
                and model.config.get("reasoning") is True:
            return ("a cloudflare-ai-gateway `openai/` reasoning model: the built-in plugin's chat.params hook "
                    "unsets it")
        options = {}  # no cerebras hook yet
    return unsent_max_tokens(model.provider, _npm(model), model.api_id, options if isinstance(options, dict) else {},
                             True, gpt5_exception=False)


def _removed(cfg: _Config, inp: ResolveInput, model: ConfiguredModel, limits: MergedLimits) -> bool:
    """A model only named for a catalog provider that opencode's snapshot no longer has while
    cfglint's older registry (an earlier models.dev) still lists it: models.dev removed it, so
    opencode finds no such model (`ProviderModelNotFoundError` when it is used). Not for GitHub
    Copilot, whose model list the Copilot API decides at run time, nor for a release before the
    snapshot's (its own, older snapshot may still have the model)."""
    return (cfg.version >= Version.parse(facts.catalog_version()) and model.path is None and limits.catalog is None and model.provider != facts.COPILOT_PROVIDER
            and model.provider in facts.catalog_provider_ids()
            and inp.registry.limits(model.provider, model.api_id) is not None)


def _removed_effect(inp: ResolveInput, model: ConfiguredModel) -> Effect:
    return Effect("REG005", f"{facts.catalog_label()} has no {model.provider}/{model.api_id}, which cfglint's "
                            f"registry ({inp.registry.meta.describe()}) still lists: models.dev removed it, so "
                            f"opencode finds no such model and fails when {model.ref} is used",
                  model.source, Severity.ERROR,
                  fix=f"switch to a current model, or define it under "
                      f"`provider.{model.provider}.models` with its `limit`",
                  details={"status": "removed", "entry": f"{model.provider}/{model.api_id}"})


def _runtime_limits(model: ConfiguredModel, limits: MergedLimits, removed: bool) -> str | None:
    """Why opencode will have limits that neither the config nor its bundled catalog give (None:
    it will not). GitHub Copilot's plugin replaces the catalog's models with the Copilot API's
    after sign-in (1.18.33 and 1.14.41 `CopilotModels.get`: `limit:{context:max_context_window_tokens??
    max_prompt_tokens,input:max_prompt_tokens,output:max_output_tokens}`; models the API does not
    serve are deleted), before the config's models merge over them (`limit:{context:C.limit?.context
    ??_?.limit?.context??0,input:C.limit?.input??_?.limit?.input,...}`): the config's own numbers
    win, and only a limit it leaves out comes from the API. A model only named for a catalog
    provider may be newer than the snapshot: opencode refreshes the catalog at run time. A model
    the config defines without `limit` is untracked."""
    if model.provider == facts.COPILOT_PROVIDER:
        unwritten = [name for name in ("context", "input") if (getattr(limits, name) is None
                                                               or getattr(limits, name).source.kind != SETTING)]
        if not unwritten or (limits.catalog is None and "context" not in unwritten):
            return None  # all written, or an id Copilot does not serve: the config's numbers alone
        return ("opencode's Copilot plugin takes the limits the config leaves out from the Copilot API after "
                f"sign-in ({' and '.join(f'limit.{name}' for name in unwritten)}: context = "
                "max_context_window_tokens, input = max_prompt_tokens, output = max_output_tokens)")
    if limits.context.value != 0 or limits.context.source.kind == SETTING:
        return None
    if removed:
        return f"{facts.catalog_label()} no longer has {model.provider}/{model.api_id}: opencode has no limits for it"
    if model.path is None and model.provider in facts.catalog_provider_ids() and limits.catalog is None:
        return (f"{model.provider} is a models.dev provider and opencode refreshes its catalog from "
                f"models.opencode.ai at run time: {model.api_id} may be newer than {facts.catalog_label()}")
    return None


# -- one budget -----------------------------------------------------------------------------------


def _budget(cfg: _Config, inp: ResolveInput, model: ConfiguredModel) -> tuple[Budget, Quantity | None]:
    """The record of one model, and its `limit.output` when opencode clamps it to 32,000."""
    limits = _limits(cfg, model)
    match = without_paid_twin(inp.registry.lookup(model.api_id, provider=model.provider, base_url=base_url(model)),
                              model.api_id)
    budget = kit.start_budget(OPENCODE, inp, model=model.ref, model_id=model.api_id, provider=model.provider,
                              model_source=model.source, match=match,
                              retired=False)  # opencode drops a model for its status itself (`_status_effect`)
    if not match.authoritative:
        budget.model_output = None  # another provider's limit says nothing about this endpoint

    context = limits.context
    budget.window = context if context.value != 0 else None
    drop_snapshot_disagreement(budget, limits, facts.catalog_label())
    budget.input_cap = limits.input if limits.input and limits.input.value else None
    budget.hard_limit = budget.input_cap or budget.window
    # opencode has the limits it needs (config or bundled catalog): REG001 has none to ask for
    budget.declared_limits = bool(context.value)
    removed = _removed(cfg, inp, model, limits)
    dropped = _removed_effect(inp, model) if removed else _status_effect(cfg, model, limits)
    if dropped is not None:
        budget.env = _env_uses(cfg, limits, budget, sent=False)  # a misread variable is still misread (ENV001)
        return _unusable(budget, dropped), None
    runtime = _runtime_limits(model, limits, removed)
    if model.provider == facts.COPILOT_PROVIDER:
        budget.declared_limits = True  # the Copilot API gives them: none to ask for

    max_out = max_out_quantity(limits.output, cfg.flags.otm)
    _trigger(cfg, budget, model, limits, _checked_usable(cfg, limits, max_out), runtime)
    clamped = _output(cfg, budget, model, limits, max_out)
    _post_step_reservation(cfg, budget, limits, max_out)
    _compaction(cfg, inp, budget, model)
    budget.env = _env_uses(cfg, limits, budget, sent=_unsent(cfg, model) is None)
    budget.fixes = _fixes(budget, model)
    budget.notes.extend(_notes(cfg, model, limits))
    return budget, clamped


def _unusable(budget: Budget, dropped: Effect) -> Budget:
    """The record of a model opencode drops (REG005 says why): no request is ever sent with it, so
    it has no window, trigger or output cap for other rules to judge."""
    for name in ("window", "input_cap", "hard_limit", "model_context", "model_input", "model_output"):
        setattr(budget, name, None)
    budget.trigger = Quantity(None, dropped.source)
    budget.trigger_reason = f"opencode cannot use {budget.model}: {dropped.message}"
    budget.headroom_applies = False
    budget.declared_limits = True  # nothing to declare for a model that cannot be used
    budget.effects.append(dropped)
    return budget


def _status_effect(cfg: _Config, model: ConfiguredModel, limits: MergedLimits) -> Effect | None:
    """REG005 when opencode drops the model: its merged status (`C.status ?? catalog.status ??
    "active"`: the config's, else its bundled catalog entry's; a model the catalog lacks is
    active) is `deprecated`, or `alpha` without OPENCODE_ENABLE_EXPERIMENTAL_MODELS."""
    written = model.config.get("status")
    status = written if isinstance(written, str) else (limits.catalog.status if limits.catalog else None)
    where = (f"`status` of {model.ref} in the config" if isinstance(written, str)
             else f"{facts.catalog_label()} entry {model.provider}/{model.api_id}")
    details = {"status": status, "entry": f"{model.provider}/{model.api_id}"}
    if status == "deprecated":
        return Effect("REG005", f"{where} marks it deprecated: opencode drops deprecated models, so {model.ref} "
                                "cannot be used", model.source, Severity.ERROR, fix="switch to a current model",
                      details=details)
    if status == "alpha" and not cfg.flags.experimental:
        return Effect("REG005", f"{where} marks it alpha: opencode drops alpha models unless "
                                f"{EXPERIMENTAL_MODELS_ENV} is set", model.source, Severity.ERROR,
                      fix=f"set {EXPERIMENTAL_MODELS_ENV}=1 or pick a released model", details=details)
    return None


def _usable(cfg: _Config, limits: MergedLimits, max_out: Quantity, otm: int) -> Quantity:
    """5.1 `usable` (session overflow `vn`) at OTM `otm`: Kilo's, without `max(0, ...)` in 1.3.x."""
    return usable_quantity(cfg, limits, max_out, otm, harness=facts.TITLE,
                           floor_at_zero=cfg.version >= facts.EFFECT_SCHEMA_FROM)


def _post_step_reservation(cfg: _Config, budget: Budget, limits: MergedLimits, max_out: Quantity) -> None:
    """Without `limit.input` the check after each step subtracts the max output at OTM 32,000:
    with a smaller env cap that is the reservation the trigger leaves (`_checked_usable`)."""
    if budget.output_reservation is None or cfg.flags.otm.source.kind != ENV or cfg.version < facts.RUNTIME_FLAGS_FROM:
        return
    after_step = max_out_quantity(limits.output, _default_otm())
    if after_step.value > max_out.value:
        budget.output_reservation = Quantity(
            after_step.value, after_step.source,
            f"without `limit.input` opencode's check after each step subtracts the max output at OTM 32,000 "
            f"({after_step.formula}) from limit.context")


# -- trigger (5.1, 5.2) ----------------------------------------------------------------------------------


def _checked_usable(cfg: _Config, limits: MergedLimits, max_out: Quantity) -> Quantity:
    """The usable window the first of the two checks compacts at. After each step `isOverflow`
    runs without `outputTokenMax` (OTM 32,000), at the loop top with the env's (RuntimeFlags), so
    with the env set opencode compacts at the smaller of the two usables. Before
    RUNTIME_FLAGS_FROM the env value is a module constant both checks read."""
    usable = _usable(cfg, limits, max_out, cfg.flags.otm.value)
    if cfg.flags.otm.source.kind != ENV or cfg.version < facts.RUNTIME_FLAGS_FROM:
        return usable
    after_step = _usable(cfg, limits, max_out_quantity(limits.output, _default_otm()), OUTPUT_TOKEN_MAX)
    if after_step.value >= usable.value:
        return usable
    return Quantity(after_step.value, after_step.source,
                    f"min(after a step, at OTM 32,000: {after_step.formula}; before a step, at "
                    f"{OTM_ENV}: {usable.formula}) = {n(after_step.value)}")


def _trigger(cfg: _Config, budget: Budget, model: ConfiguredModel, limits: MergedLimits, usable: Quantity,
             runtime: str | None) -> None:
    """Trigger, rule, headroom: never when switched off (deliberate) or untracked (context 0);
    unknown when opencode gets the limits only at run time; else the usable window."""
    if no_trigger(cfg, budget, model, limits.context, runtime, facts.TITLE, "no catalog entry"):
        return
    has_input = bool(limits.input and limits.input.value)
    budget.trigger = usable
    budget.trigger_rule = "input cap minus reserved" if has_input else "usable window"
    budget.trigger_reason = ("the token count of the last finished step reaches the usable window (checked after "
                             "each step and before the next)")
    whole_count(budget, facts.TITLE)
    budget.every_step = budget.trigger.value <= 0
    budget.headroom = kit.headroom(budget.hard_limit, budget.trigger,
                                   labels=("limit.input" if has_input else "limit.context", "trigger"))


# -- output (5.3) ---------------------------------------------------------------------------------------


def _output(cfg: _Config, budget: Budget, model: ConfiguredModel, limits: MergedLimits, max_out: Quantity) -> Quantity | None:
    """The request cap (no remaining-window clamp: the same at the trigger) and the CMP004 facts
    about output; returns `limit.output` when opencode clamps it to OUTPUT_TOKEN_MAX."""
    if not request_cap(budget, model, limits, max_out, cfg.setting(("compaction", "reserved")), _unsent(cfg, model),
                       facts.TITLE):
        return None
    output = limits.output
    if budget.trigger and budget.trigger.value is not None:  # no request at a trigger that never comes
        budget.max_tokens_at_trigger = Quantity(
            max_out.value, max_out.source, f"{max_out.formula}: opencode sends it unchanged (no remaining-window clamp)")
    clamped = output.source.kind == SETTING and output.value > OUTPUT_TOKEN_MAX and cfg.flags.otm.source.kind != ENV
    return output if clamped else None


# -- compaction path (5.4) ------------------------------------------------------------------------------


def _compaction(cfg: _Config, inp: ResolveInput, budget: Budget, model: ConfiguredModel) -> None:
    """Summary model (`agent.compaction.model`, else this one), its request cap, the kept tail."""
    otm = cfg.flags.otm
    summary, source = summary_model(cfg, model)
    compaction_model = configured_model(cfg, summary, source)
    limits = _limits(cfg, compaction_model)
    budget.compaction_note = ("the summary request goes through the same request path: max_tokens = "
                              "max_output_tokens of the compaction model (verified in opencode 1.18.33's code)")
    unsent = _unsent(cfg, compaction_model)
    cap = max_out_quantity(limits.output, otm)
    if unsent is not None:
        budget.compaction_note += f"; opencode sends no max_tokens for {summary}: {unsent}"
    elif summary == model.ref:
        budget.max_tokens_compaction = cap
    else:
        budget.compaction_note += f"; the summary request goes to {summary}, whose own record checks its max_tokens"
    budget.kept_tail = _kept_tail(cfg, limits)
    budget.post_compaction_floor = Quantity(
        budget.kept_tail.value, budget.kept_tail.source,
        f"kept tail {n(budget.kept_tail.value)} + summary budget 0 (opencode has none) = {n(budget.kept_tail.value)}")
    if summary != model.ref:
        budget.summary_model = summary
        budget.summary_context = summary_context(inp, compaction_model, limits)
        if unsent is None:
            need = cap.value + budget.kept_tail.value
            budget.summary_needed = Quantity(need, deciding(cap, budget.kept_tail),
                                             f"its max_tokens {n(cap.value)} + kept tail {n(budget.kept_tail.value)} "
                                             f"= {n(need)}")


def _kept_tail(cfg: _Config, limits: MergedLimits) -> Quantity:
    """`first(preserve_recent_tokens, min(15000, max(2000, floor(usable x 0.25))))` with `usable`
    of the compaction model at OTM 32,000 (`oy({cfg, model})`: no env cap; 1.14.x: the env cap,
    `mc` reads the module constant); bound 8,000 before 1.18.17; `tail_turns <= 0` keeps no tail;
    1.3.x keeps none."""
    if cfg.version < facts.EFFECT_SCHEMA_FROM:
        return default(0, f"opencode {cfg.version} keeps no verbatim tail (tail_turns arrived in 1.14)")
    turns = cfg.setting(("compaction", "tail_turns"))
    if turns is not None and turns.value <= 0:
        return Quantity(0, turns.source, f"tail_turns {n(turns.value)}: no recent tail is kept")
    written = cfg.setting(("compaction", "preserve_recent_tokens"))
    if written is not None:
        return written
    bound = TAIL_MAX if cfg.version >= facts.TAIL_CAP_15000_FROM else TAIL_MAX_BEFORE
    # before RUNTIME_FLAGS_FROM the env output cap is the module constant the tail reads too
    otm = cfg.flags.otm if cfg.version < facts.RUNTIME_FLAGS_FROM else _default_otm()
    usable = _usable(cfg, limits, max_out_quantity(limits.output, otm), otm.value)
    quarter = numbers.rounded(math.floor, usable.value * 0.25)
    value = tail_budget(usable.value, bound)
    source = usable.source if value == quarter else Provenance(DEFAULT, f"opencode preserve_recent bound {n(value)}")
    return Quantity(value, source, f"min({n(bound)}, max(2,000, floor(usable {n(usable.value)} × 0.25) = "
                                   f"{n(quarter)})) = {n(value)}")


# -- env, fixes, notes --------------------------------------------------------------------------------


def _env_uses(cfg: _Config, limits: MergedLimits, budget: Budget, sent: bool) -> list[EnvUse]:
    """Every opencode variable set for this run: how opencode reads it and what it changed."""
    flags, uses = cfg.flags, []
    if flags.otm_env is not None:
        uses.append(otm_env_use(flags, lambda: _otm_changes(cfg, limits, budget, sent)))
    for env in flags.bool_env:
        config_boolean = _read_as_config_boolean(env, cfg.version)
        # RuntimeFlags is built with `Layer.orDie`: a spelling Config.boolean refuses ends the process
        dies = (f"opencode reads {env.name} with Effect Config.boolean, which accepts only "
                f"{', '.join(kilo_facts.EFFECT_TRUE + kilo_facts.EFFECT_FALSE)}: `{env.value}` is a ConfigError "
                "and opencode stops at start")
        uses.append(boolean_env_use(env, _flag_true(env, cfg.version), config_boolean, facts.TITLE,
                                    DISABLE_AUTOCOMPACT_ENV, dies))
    return uses


def _otm_changes(cfg: _Config, limits: MergedLimits, budget: Budget, sent: bool) -> str | None:
    """Which numbers the env OTM moved, against opencode's 32,000."""
    before_out = max_output_tokens(limits.output.value, OUTPUT_TOKEN_MAX)
    changes = []
    if sent and budget.max_tokens_normal and before_out != budget.max_tokens_normal.value:
        changes.append(f"max_tokens {n(before_out)} -> {n(budget.max_tokens_normal.value)}")
    if budget.trigger and budget.trigger.value is not None:
        before = first_count(_usable(cfg, limits, max_out_quantity(limits.output, _default_otm()), OUTPUT_TOKEN_MAX).value)
        if before != budget.trigger.value:
            changes.append(f"trigger {n(before)} -> {n(budget.trigger.value)}")
    return "; ".join(changes) or None


def _kilo_settings(cfg: _Config) -> list[Effect]:
    """CMP004, once per configuration: Kilo's `compaction.threshold_percent` and a KILO_* variable
    given for an opencode configuration change nothing (SCH002 also names the key)."""
    effects = []
    percent = cfg.setting(("compaction", "threshold_percent"))
    if percent is not None:
        effects.append(Effect("CMP004", f"`compaction.threshold_percent` {n(percent.value)} has no effect: it is "
                                        "Kilo's setting, opencode drops it and compacts at the usable window",
                              percent.source, Severity.WARNING,
                              fix="remove it; to compact earlier in opencode, lower the usable window (a smaller "
                                  "`limit.context`, or `limit.input` with `compaction.reserved`)"))
    for env in cfg.flags.kilo_env:
        own = facts.TITLE.upper() + "_" + env.name[len(KILO_ENV_PREFIX):]
        effects.append(Effect("CMP004", f"{env.name} is a Kilo variable: opencode reads only OPENCODE_* names, "
                                        "so it has no effect here", env.source(), Severity.WARNING,
                              fix=f"use {own} for opencode", details={"variable": env.name}))
    return effects


def _fixes(budget: Budget, model: ConfiguredModel) -> Fixes:
    """Kilo's fix texts in opencode's terms: no `threshold_percent`, and the kept tail's own knobs."""
    kilo = fixes(budget, model, facts.TITLE, DISABLE_AUTOCOMPACT_ENV)
    return kilo._replace(
        cmp001=kilo.cmp001 if budget.input_cap else f"lower {model_key(model)('limit', 'output')}",
        cmp006=("lower `compaction.preserve_recent_tokens` (or set `compaction.tail_turns`), or pick an "
                "`agent.compaction.model` with a larger window"))


def _notes(cfg: _Config, model: ConfiguredModel, limits: MergedLimits) -> list[str]:
    """Assumptions behind the numbers, for `explain`."""
    notes = []
    catalog = "models.opencode.ai" if cfg.version >= facts.MODELS_OPENCODE_AI_FROM else "models.dev"
    if any(q is not None and q.source.kind == DEFAULT and q.source.label.startswith(facts.catalog_label())
           for q in (limits.context, limits.input, limits.output)):
        if model.provider == facts.COPILOT_PROVIDER:
            notes.append(f"the limits come from {facts.catalog_label()}, standing for those the Copilot API "
                         "reports at run time")
        else:
            notes.append(f"limits not in the config come from {facts.catalog_label()} (entry "
                         f"{model.provider}/{model.api_id}); opencode refreshes that catalog from {catalog} at run "
                         "time, so a running opencode may hold newer numbers")
    if str(cfg.version) != facts.catalog_version() and (limits.catalog or model.path is None):
        notes.append(f"opencode {cfg.version} bundles its own models.dev snapshot; cfglint merges with "
                     f"{facts.catalog_label()}, the only one it has extracted")
    if limits.input and limits.input.source.kind == DEFAULT and limits.context.source.kind == SETTING:
        notes.append(f"`limit.context` is set in the config but `limit.input` {n(limits.input.value)} is kept "
                     "from the catalog entry (opencode merges limits field by field)")
    if model.provider == "openai" and model.api_id.startswith(_CODEX_OAUTH_PREFIXES) and model.path \
            and cfg.setting(model.path + ("limit", "context")) is not None:
        notes.append("with ChatGPT OAuth the built-in Codex plugin replaces this model's limits with "
                     "{context 400,000, input 272,000, output 128,000} and ignores the config's `limit`; with an "
                     "API key the config's limits apply")
    if _npm(model) in facts.ANTHROPIC_NPMS and _unsent(cfg, model) is None and model.config.get("reasoning") is not False \
            and not any(name in f"{model.provider} {model.api_id}".lower() for name in facts.ADAPTIVE_ONLY_NAMES):
        notes.append(_thinking_note(cfg, limits))
    if cfg.version < facts.AUTO_FALSE_ON_OVERFLOW_FROM and cfg.value(("compaction", "auto")) is False:
        notes.append(f"opencode {cfg.version} still compacts after a provider overflow error despite "
                     "`auto: false` (#30664; honoured from 1.17.19)")
    return notes


def _thinking_note(cfg: _Config, limits: MergedLimits) -> str:
    """harness-opencode.md 5.3: an Anthropic thinking variant adds its budget to max_tokens in the
    SDK (1.18.33 `ProviderTransform.variants`: `high` min(16000, floor(limit.output/2 - 1)), `max`
    min(31999, limit.output - 1)), clamped only for model ids the SDK knows. Which variants a
    model has depends on its id and capabilities (none without `reasoning`; adaptive ones,
    without a budget, for kimi/moonshot (`ADAPTIVE_ONLY_NAMES`) and the 4.6+ Claude ids), and which one runs on the
    agent: cfglint does not model the selection."""
    output = limits.output.value
    cap = max_output_tokens(output, cfg.flags.otm.value)
    high = min(16000, math.floor(output / 2 - 1))
    top = min(31999, output - 1)
    return (f"if a budget thinking variant is selected, the Anthropic SDK adds its budget to max_tokens: `high` "
            f"min(16,000, "
            f"floor({n(output)}/2 - 1)) = {n(high)}, `max` min(31,999, {n(output)} - 1) = {n(top)}; for a model "
            f"id the SDK does not know (a gateway) the request then carries {n(cap)} + budget (e.g. "
            f"{n(cap + high)} with `high`, #34099); cfglint models the request without a variant")
