"""Budgets of Kimi Code (TypeScript): harness-kimi.md sections 4-6.

Kimi Code compacts when the context reaches a ratio of the window or comes within
`reserved_context_size` of it, whichever comes first. Every number is an integer token count
as the harness compares it: the test is `T >= M * r` on doubles, so the first count that
compacts is `ceil(M * r)` computed in the same double arithmetic (RESOLVERS.md).

Kimi Code runs the legacy engine (`packages/agent-core`) before 0.33.0 and with
KIMI_CODE_LEGACY_FLAG=1, the v2 engine (`packages/agent-core-v2`) otherwise.
"""

from __future__ import annotations

import math

from cfglint.core.finding import Severity
from cfglint.core.versions import Version
from cfglint.harnesses.budget import DEFAULT, SETTING, Budget, Effect, Environment, EnvUse, Provenance, Quantity, \
    ResolveInput, default
from cfglint.harnesses.kimi import KIMI_CODE, facts
from cfglint.harnesses.kimi.common import EnvCap, KimiReader, Model, Term, clamped_default_cap, \
    model_tables, no_window, output_limit_text, provider_env_effects, read_env_cap, reserve_fix, shown_ratio, \
    start, term_quantity
from cfglint.harnesses.kimi.facts import COMPLETION_VAR, DEFAULT_RESERVED, DEFAULT_TRIGGER_RATIO, ENV_MODEL_ALIAS, \
    KC_2X_FROM, KC_ANTHROPIC_AS_IS_FROM, KC_COMPACTION_FIX_FROM, KC_ISSUE_3731_FROM, KC_OPENAI_CEILING_FROM, \
    KC_OUTPUT_SIZE_ON_STEPS_FROM, LEGACY_FLAG_VAR, RATIO_PATH, RESERVED_PATH, ratio_threshold
from cfglint.harnesses.kit import headroom, n

TYPE_CHECKING = False
if TYPE_CHECKING:
    from cfglint.harnesses.kimi.common import CapSetter


def resolve(inp: ResolveInput) -> list[Budget]:
    """One budget per Kimi Code model: the env-synthesised model first when KIMI_MODEL_NAME is
    set (Kimi Code selects it before `default_model`), then `default_model`, then file order."""
    cfg = KimiReader(inp.merged)
    version = KIMI_CODE.version(inp.version)
    flag = inp.env.get(LEGACY_FLAG_VAR)
    legacy = KIMI_CODE.legacy_engine(version, {LEGACY_FLAG_VAR: flag.value} if flag else {})
    engine_uses = []
    if flag is not None:
        use = EnvUse(LEGACY_FLAG_VAR, flag.value, flag.value.strip() == "1", env=flag,
                     changed="engine" if legacy and version >= facts.V2_DEFAULT_FROM else None)
        if version >= KC_2X_FROM:
            use.problem = f"Kimi Code {version} ships only the v2 engine: {LEGACY_FLAG_VAR} is never read"
            use.severity = Severity.INFO
        engine_uses.append(use)
    env_model, env_problems = _env_model(inp.env, version)
    # 2.x: a bad env-model size drops the whole env overlay, the output-cap variables with it
    overlay_dropped = bool(env_problems) and version >= KC_2X_FROM
    return [_budget(cfg, inp, version, legacy, m, overlay_dropped)
            for m in _models(cfg, inp, engine_uses, env_model, env_problems)]


def kimi_code_trigger(window: int, ratio: float, reserved: int) -> tuple[int, str]:
    """(tokens, rule) of Kimi Code's `shouldCompact`: the ratio rule, and the reserve rule only
    when `0 < R < M` (agent-core-v2 `fullCompaction/strategy.ts`, agent-core `compaction/strategy.ts`).
    The ratio rule wins a tie."""
    at_ratio = ratio_threshold(window, ratio)
    if 0 < reserved < window and window - reserved < at_ratio:
        return window - reserved, "reserve"
    return at_ratio, "ratio"


# --- models -----------------------------------------------------------------------------------


def _models(cfg: KimiReader, inp: ResolveInput, engine_uses: list[EnvUse], env_model: Model | None,
            env_problems: list[EnvUse]) -> list[Model]:
    """The env-synthesised model (unless `inp.model` names another), then the file's models; the
    engine variable and a bad env-model size show on each."""
    models: list[Model] = []
    if env_model is not None and inp.model in (None, ENV_MODEL_ALIAS):
        models.append(env_model)
    for alias, table in model_tables(cfg, inp):
        model = _file_model(cfg, alias, table)
        model.env.extend(env_problems)
        models.append(model)
    for model in models:
        model.env[:0] = engine_uses
    return models


def _file_model(cfg: KimiReader, alias: str, table: dict) -> Model:
    """A `[models.<alias>]` entry with its provider: the wire type is the model's `protocol`, else
    the provider `type`; the base URL is the provider's, the model's own with `protocol`, else the
    `[providers.x.env]` fallback (session/provider-manager.ts, kosongConfig/configSection.ts)."""
    provider = table.get("provider") if isinstance(table.get("provider"), str) else None
    provider_table = cfg.table(("providers", provider)) if provider else {}
    protocol = cfg.text(("models", alias, "protocol"))
    provider_type = provider_table.get("type") if isinstance(provider_table.get("type"), str) else None
    wire = protocol or provider_type
    base_url = (cfg.text(("models", alias, "base_url")) if protocol else None) or \
        (provider_table.get("base_url") if isinstance(provider_table.get("base_url"), str) else None)
    env_block = provider_table.get("env") if isinstance(provider_table.get("env"), dict) else {}
    if not base_url and isinstance(env_block.get(facts.ENV_BLOCK_BASE_URL.get(wire or "")), str):
        base_url = env_block[facts.ENV_BLOCK_BASE_URL[wire]]
    model = Model(
        alias=alias,
        model_id=table.get("model") if isinstance(table.get("model"), str) else None,
        provider=provider, lookup_provider=provider, wire=wire, base_url=base_url or None,
        source=cfg.source(("models", alias)),
        window=_model_field(cfg, alias, "max_context_size"),
        input_size=_model_field(cfg, alias, "max_input_size"),
        output_size=_model_field(cfg, alias, "max_output_size"),
        provider_type=provider_type,
        wire_name=next((v for v in (table.get("name"), table.get("model")) if isinstance(v, str)), None),
        has_overrides=isinstance(table.get("overrides"), dict),
        refused=_refusal(cfg, alias, provider, protocol, provider_type),
    )
    if provider:
        model.effects = provider_env_effects(
            cfg, provider, facts.KIMI_CODE_BUDGET_VARS,
            "Kimi Code reads only credential and base-URL fallbacks there, and budget variables only from "
            "the environment")
    return model


def _refusal(cfg: KimiReader, alias: str, provider: str | None, protocol: str | None,
             provider_type: str | None) -> str | None:
    """Why Kimi Code 2.x cannot use a `[models.<alias>]` entry when it resolves it (catalogService
    `resolveModel` / `resolveModelProtocol`), None when it can: an undefined provider, no provider
    and no base_url, no protocol (the model's, a provider type that is one, or the base protocol of
    the provider definition it names), no wire name."""
    if provider is not None and not isinstance(cfg.table(("providers",)).get(provider), dict):
        return f"provider `{provider}` referenced by model `{alias}` is not configured"
    if provider is None and not cfg.text(("models", alias, "base_url")):
        return f"model `{alias}` must set either a provider or base_url"
    if _protocol_2x(protocol, provider_type) is None:
        return (f"model `{alias}` must declare a wire protocol (provider type `{provider_type}` is neither a protocol "
                "nor a provider definition; set `protocol`)")
    if not any(isinstance(cfg.value(("models", alias, key)), str) for key in ("name", "model")):
        return f"model `{alias}` must define a wire-facing name (`model` or `name`)"
    return None


def _protocol_2x(protocol: str | None, provider_type: str | None) -> str | None:
    """`resolveModelProtocol`: the model's protocol, else a provider type that is a protocol, else
    the base protocol of the provider definition the type names."""
    if protocol is not None:
        return protocol
    if provider_type in facts.PROTOCOLS:
        return provider_type
    return facts.DEFINITION_BASE_PROTOCOL.get(provider_type or "")


def _model_field(cfg: KimiReader, alias: str, key: str) -> Quantity | None:
    """A model's integer field; `[models.<alias>.overrides]` wins at runtime."""
    return cfg.integer(("models", alias, "overrides", key)) or cfg.integer(("models", alias, key))


def _env_model(env: Environment, version: Version) -> tuple[Model | None, list[EnvUse]]:
    """The model Kimi Code synthesises from KIMI_MODEL_NAME (alias `__kimi_env_model__`, provider
    `__kimi_env__`; harness-kimi.md 4.1, 6.1). It is simple enough to budget: window
    KIMI_MODEL_MAX_CONTEXT_SIZE (default 262,144), max_output_size KIMI_MODEL_MAX_OUTPUT_SIZE,
    type KIMI_MODEL_PROVIDER_TYPE (default `kimi`), and the file's `[loop_control]`. When one of
    the size variables is not a positive integer Kimi Code fails at start-up (2.x: ignores the
    whole env overlay with a warning): no budget then, the problem is returned to be shown on every
    file model."""
    name = env.get("KIMI_MODEL_NAME")
    if name is None or not name.value.strip():
        return None, []
    window, window_use = _positive_env_int(env, "KIMI_MODEL_MAX_CONTEXT_SIZE", "env model window", version)
    output, output_use = _positive_env_int(env, "KIMI_MODEL_MAX_OUTPUT_SIZE", "env model max_output_size", version)
    uses = [u for u in (window_use, output_use) if u is not None]
    if any(u.problem for u in uses):
        return None, [u for u in uses if u.problem]
    kind = env.get("KIMI_MODEL_PROVIDER_TYPE")
    base_url = env.get("KIMI_MODEL_BASE_URL")
    model = Model(
        alias=ENV_MODEL_ALIAS, model_id=name.value.strip(), provider=facts.ENV_PROVIDER, lookup_provider=None,
        wire=kind.value.strip() if kind and kind.value.strip() else "kimi",
        base_url=base_url.value.strip() if base_url and base_url.value.strip() else None,
        source=name.source(),
        window=window or default(facts.ENV_MODEL_WINDOW, "Kimi Code env model window 262,144 "
                                                         "(KIMI_MODEL_MAX_CONTEXT_SIZE unset)"),
        output_size=output,
        provider_type=kind.value.strip() if kind and kind.value.strip() else "kimi",
        wire_name=name.value.strip(),
        env=[EnvUse("KIMI_MODEL_NAME", name.value, name.value.strip(), changed="selects the env model", env=name),
             *uses],
        notes=["KIMI_MODEL_NAME is set: Kimi Code synthesises `__kimi_env_model__` and selects it before "
               "default_model (unless -m names another)"],
    )
    for var in (kind, base_url):
        if var is not None:
            model.env.append(EnvUse(var.name, var.value, var.value.strip(), changed="env model provider", env=var))
    if _protocol_2x(None, model.provider_type) is None:
        model.refused = (f"KIMI_MODEL_PROVIDER_TYPE `{model.provider_type}` is neither a protocol nor a provider "
                         "definition: the env model has no wire protocol")
    return model, []


def _positive_env_int(env: Environment, name: str, changes: str,
                      version: Version) -> tuple[Quantity | None, EnvUse | None]:
    """A positive integer variable of the env-synthesised model; (None, use with problem) if bad.
    2.x reads a blank value as unset (envOverlay.ts `trimmed`)."""
    var = env.get(name)
    if var is None or (version >= KC_2X_FROM and not var.value.strip()):
        return None, None
    parsed = facts.parse_env_cap(var.value)
    use = EnvUse(name, var.value, parsed, env=var)
    if parsed is None or parsed <= 0:
        if version >= KC_2X_FROM:
            use.problem = (f"{name}={var.value!r} is not a positive integer: Kimi Code {version} ignores the whole env "
                           f"overlay (a warning): no env model, and {COMPLETION_VAR} / {facts.MAX_TOKENS_VAR} do not apply")
            use.severity = Severity.WARNING
        else:
            use.problem = f"{name}={var.value!r} is not a positive integer: Kimi Code fails at start-up"
            use.severity = Severity.ERROR
        use.fix = f"set {name} to a positive integer or unset it"
        return None, use
    use.changed = changes
    return Quantity(parsed, var.source()), use


# --- the budget -------------------------------------------------------------------------------


def _budget(cfg: KimiReader, inp: ResolveInput, version: Version, legacy: bool, model: Model,
            overlay_dropped: bool) -> Budget:
    budget = start(KIMI_CODE, inp, model)
    by_flag = " selected by KIMI_CODE_LEGACY_FLAG=1" if version >= facts.V2_DEFAULT_FROM else ""
    budget.notes.insert(0, f"Kimi Code {version}: " + (
        f"legacy engine (agent-core){by_flag}" if legacy else "v2 engine (agent-core-v2)"))
    if model.refused is not None and version >= KC_2X_FROM:
        return no_window(budget, model, f"Kimi Code {version} cannot use this model: {model.refused}")
    if model.window is None or model.window.value <= 0:
        return no_window(budget, model, "no positive max_context_size: Kimi Code refuses to resolve this model")
    window = budget.window = model.window
    budget.input_cap = _input_cap(budget, model, version)
    budget.hard_limit = budget.input_cap or window
    limit = _unclamped_input(budget, model, version) or budget.hard_limit

    _trigger(cfg, budget, version, legacy, limit)
    env_cap = _output(inp, budget, model, version, legacy, overlay_dropped)
    tail = _after_compaction(budget, limit, legacy)
    set_cap = _output_fixes(budget, model, env_cap, version)
    budget.fixes.cmp006 = (f"lower loop_control.reserved_context_size below {n(limit.value - tail)}, so the "
                           "trigger stays above the tail kept after compaction")
    reserve_fix(budget, _limit_name(budget), set_cap, model.output_size)
    return budget


def _limit_name(budget: Budget) -> str:
    return "input cap (max_input_size)" if budget.input_cap is not None else "window (max_context_size)"


def _input_cap(budget: Budget, model: Model, version: Version) -> Quantity | None:
    """`max_input_size`, clamped to `max_context_size` (docs): the clamp is a CMP004 info. 2.x
    clamps only a model with an `[overrides]` table (see `_unclamped_input`)."""
    size, window = model.input_size, model.window
    if size is None or size.value <= 0:
        return None
    if size.value <= window.value:
        return size
    if _unclamped_input(budget, model, version) is not None:
        return None
    budget.effects.append(Effect(
        "CMP004",
        f"`max_input_size = {n(size.value)}` is above `max_context_size = {n(window.value)}`: Kimi Code "
        f"clamps it to {n(window.value)}",
        size.source, severity=Severity.INFO, fix=f"set max_input_size to at most {window.value}, or remove it",
        details={"max_input_size": size.value, "max_context_size": window.value},
    ))
    return Quantity(window.value, size.source,
                    f"min(max_input_size {n(size.value)}, max_context_size {n(window.value)}) = {n(window.value)}")


def _unclamped_input(budget: Budget, model: Model, version: Version) -> Quantity | None:
    """A `max_input_size` above `max_context_size` that Kimi Code 2.x compacts from as written: its
    `applyModelOverrides` clamps it (`clampMaxInputSize`) only when the model has an `[overrides]`
    table, and `DefaultCompactionStrategy` takes the input size as its limit. None otherwise."""
    size, window = model.input_size, model.window
    if version < KC_2X_FROM or model.has_overrides or size is None or size.value <= window.value:
        return None
    note = (f"max_input_size {n(size.value)} is above max_context_size {n(window.value)} and the model has no "
            f"[overrides] table: Kimi Code {version} does not clamp it and compacts from {n(size.value)}")
    if note not in budget.notes:
        budget.notes.append(note)
    return size


# --- trigger ----------------------------------------------------------------------------------


def _trigger(cfg: KimiReader, budget: Budget, version: Version, legacy: bool, limit: Quantity) -> None:
    """The trigger, where the turn blocks, the headroom, and a reserve that disables its rule."""
    ratio, reserved, loop_effects = _loop(cfg, version, legacy)
    budget.effects.extend(loop_effects)
    budget.trigger, budget.trigger_rule, budget.trigger_reason = _threshold(limit, ratio, reserved)
    if legacy:
        budget.trigger_reason += " (the legacy engine fixes the ratio at 0.85)"
    # Both engines block the turn at blockRatio = max(trigger ratio, 0.85) (the legacy ratio is 0.85 anyway).
    block_ratio = ratio if ratio.value >= DEFAULT_TRIGGER_RATIO else default(
        DEFAULT_TRIGGER_RATIO, "Kimi Code blockRatio 0.85 (max(compaction_trigger_ratio, 0.85))")
    budget.block_at = _threshold(limit, block_ratio, reserved)[0]
    budget.headroom = headroom(budget.hard_limit, budget.trigger)
    if reserved.source.kind == SETTING and reserved.value >= limit.value:
        budget.effects.append(Effect(
            "CMP004",
            f"`reserved_context_size = {n(reserved.value)}` has no effect: it is not below the "
            f"{_limit_name(budget)} ({n(limit.value)}), so Kimi Code disables the reserve rule and compacts "
            f"at the ratio rule only ({n(budget.trigger.value)} tokens)",
            reserved.source, fix=f"set reserved_context_size below {n(limit.value)}, or remove it",
            details={"reserved": reserved.value, "limit": limit.value},
        ))


def _loop(cfg: KimiReader, version: Version, legacy: bool) -> tuple[Quantity, Quantity, list[Effect]]:
    """(trigger ratio, reserve, CMP004 effects) for the engine: the legacy engine fixes the ratio at
    0.85 (`full.ts` overrides only reservedContextSize); v2 reads `compaction_trigger_ratio`."""
    written = cfg.ratio(RATIO_PATH)
    reserved = cfg.integer(RESERVED_PATH) or default(
        DEFAULT_RESERVED, "Kimi Code reservedContextSize 50,000 (loop_control.reserved_context_size unset)")
    if not legacy:
        return written or default(DEFAULT_TRIGGER_RATIO, "Kimi Code DEFAULT_COMPACTION_CONFIG.triggerRatio 0.85 "
                                                         "(compaction_trigger_ratio unset)"), reserved, []
    ratio = default(DEFAULT_TRIGGER_RATIO, "Kimi Code legacy engine triggerRatio 0.85, fixed "
                                           "(agent-core compaction/strategy.ts)")
    effects = []
    if written is not None:
        effects.append(Effect(
            "CMP004",
            f"`compaction_trigger_ratio = {shown_ratio(written.value)}` has no effect: Kimi Code {version} runs the "
            "legacy engine, which never reads it and compacts at a fixed ratio of 0.85",
            written.source,
            fix=("remove it, or target Kimi Code >= 0.33.0 without KIMI_CODE_LEGACY_FLAG=1 (the v2 engine reads it)"),
            details={"setting": written.value, "effective": DEFAULT_TRIGGER_RATIO},
        ))
    return ratio, reserved, effects


def _threshold(limit: Quantity, ratio: Quantity, reserved: Quantity) -> tuple[Quantity, str, str]:
    """(tokens, rule, reason) of one Kimi Code threshold (trigger or block) with provenance."""
    tokens, rule = kimi_code_trigger(limit.value, ratio.value, reserved.value)
    at_ratio = ratio_threshold(limit.value, ratio.value)
    ratio_text = f"ceil({n(limit.value)} × {shown_ratio(ratio.value)}) = {n(at_ratio)}"
    reserve_text = f"{n(limit.value)} - {n(reserved.value)} = {n(limit.value - reserved.value)}"
    if rule == "reserve":
        return (Quantity(tokens, reserved.source, reserve_text), rule,
                f"reserve rule {reserve_text} fires before the ratio rule {ratio_text}")
    if reserved.value <= 0:
        other = "the reserve rule is off (reserved_context_size 0)"
    elif reserved.value >= limit.value:
        other = f"the reserve rule is disabled (reserve {n(reserved.value)} >= {n(limit.value)})"
    else:
        other = f"the reserve rule {reserve_text} fires later"
    return Quantity(tokens, ratio.source, ratio_text), rule, f"ratio rule {ratio_text} fires first; {other}"


# --- output -----------------------------------------------------------------------------------


COMPACTION_NOTE = ("compaction request: the env cap, else max_output_size, else min(max_context_size, 131,072); "
                   "provider ceilings apply, no remaining-window clamp (>= 0.20.2, #1129/#1156)")


def _output(inp: ResolveInput, budget: Budget, model: Model, version: Version, legacy: bool,
            overlay_dropped: bool) -> EnvCap:
    """max_tokens on the normal path, at the trigger and on the compaction path (harness-kimi.md 5.2);
    returns the output-cap variable that decides them, if any."""
    if version >= KC_2X_FROM:
        return _output_2x(inp, budget, model, version, overlay_dropped)
    window = model.window
    env_cap = read_env_cap(inp.env, "Kimi Code")
    budget.env.extend(env_cap.uses)
    output = Term(model.output_size.value, model.output_size.source, "max_output_size") if model.output_size else None
    whole_window = Term(window.value, window.source, "max_context_size")

    normal_caps = env_cap.terms()
    if normal_caps is None:
        on_steps = output is not None and version >= KC_OUTPUT_SIZE_ON_STEPS_FROM
        normal_caps = [output] if on_steps else [whole_window]
        if output is not None and not on_steps:
            budget.notes.append(f"Kimi Code {version} predates #365: normal steps send max_context_size, "
                                "not max_output_size (#306)")
    compaction_caps = env_cap.terms()
    fixed = version >= KC_COMPACTION_FIX_FROM
    if compaction_caps is None:
        if fixed:
            default_cap = Term(facts.COMPACTION_DEFAULT_CAP, Provenance(
                DEFAULT, "Kimi Code DEFAULT_COMPACTION_MAX_COMPLETION_TOKENS 131,072"), "compaction default")
            compaction_caps = [output] if output is not None else [whole_window, default_cap]
        else:
            compaction_caps = [Term(window.value, window.source, "max_context_size (bug #834)")]

    def request(caps: list[Term], used: int | None = None) -> list[Term]:
        return _request_terms(caps, wire=model.wire, version=version, legacy=legacy, model_id=model.model_id or "",
                              output_size=output, window=window.value, used=used, used_source=budget.trigger.source)

    unsent = Quantity(None, env_cap.var.source() if env_cap.var else window.source,
                      "no max_tokens sent (no cap and no provider ceiling)")
    budget.max_tokens_normal = term_quantity(request(normal_caps), unsent)
    budget.max_tokens_at_trigger = term_quantity(request(normal_caps, budget.trigger.value), unsent)
    budget.max_tokens_compaction = term_quantity(request(compaction_caps), unsent)
    budget.configured_output = _configured_output(env_cap, output, version, model.wire)
    budget.compaction_note = (
        COMPACTION_NOTE if fixed else
        f"compaction request before 0.20.2 (bug #834): max_output_size is not passed, so it asks for the whole "
        f"window unless {COMPLETION_VAR} is set" + ("; the openai ceiling caps it from 0.20.1"
                                                   if model.wire == "openai" and version >= KC_OPENAI_CEILING_FROM else ""))
    env_cap.mark_changed(budget)
    # A model without a usable wire type sends no request at all (SCH004/SCH005 report why).
    budget.headroom_applies = model.wire in facts.wire_types() and not clamped_default_cap(
        budget, _clamps_to_remaining(model.wire, version, legacy))
    _wire_notes(budget, model, version, env_cap)
    return env_cap


def _output_2x(inp: ResolveInput, budget: Budget, model: Model, version: Version, overlay_dropped: bool) -> EnvCap:
    """The 2.x requests, as its own functions compute them: `resolveCompletionBudget` (the env cap,
    a value <= 0 sends none; else max_output_size; else max_context_size), `resolveMaxCompletionCap`
    (every normal step passes the measured usage, 0 on the first request: min(cap, max_context_size -
    used); the compaction request passes none), then the protocol's encoder."""
    window = model.window
    if overlay_dropped:
        env_cap = EnvCap()
        for name in (COMPLETION_VAR, facts.MAX_TOKENS_VAR):
            if (var := inp.env.get(name)) is not None:
                env_cap.uses.append(EnvUse(name, var.value, None, env=var, problem=(
                    f"{name} does not apply: a bad KIMI_MODEL_* size makes Kimi Code {version} ignore the whole env "
                    "overlay"), severity=Severity.WARNING, fix="fix or unset the KIMI_MODEL_* size variable"))
    else:
        env_cap = read_env_cap(inp.env, "Kimi Code", facts.parse_env_cap_2x, "`Number()` of the trimmed text")
    budget.env.extend(env_cap.uses)
    output = (Term(model.output_size.value, model.output_size.source, "max_output_size")
              if model.output_size is not None and model.output_size.value > 0 else None)
    whole_window = Term(window.value, window.source, "max_context_size")
    default_cap = Term(facts.COMPACTION_DEFAULT_CAP, Provenance(
        DEFAULT, "Kimi Code DEFAULT_COMPACTION_MAX_COMPLETION_TOKENS 131,072"), "compaction default")
    step_caps = env_cap.terms()
    compaction_caps = env_cap.terms()
    if step_caps is None:
        step_caps = [output or whole_window]
        compaction_caps = [output] if output else [whole_window, default_cap]
    protocol = _protocol_2x(model.wire if model.wire in facts.PROTOCOLS else None, model.provider_type)
    wire_name = model.wire_name or ""

    def request(caps: list[Term], used: int | None) -> Quantity | None:
        if not caps:  # no completion budget: only the anthropic encoder still sends its default
            if protocol != "anthropic":
                return Quantity(None, env_cap.var.source(), f"{env_cap.var.name} <= 0: no max_tokens sent")
            value = facts.anthropic_default_output(wire_name)
            return Quantity(value, Provenance(DEFAULT, f"Kimi Code anthropic default {n(value)} for `{wire_name}` "
                                                       "(resolveDefaultMaxTokens)"))
        terms = list(caps)
        ceiling = _encoder_ceiling_2x(protocol, model.provider_type, wire_name)
        if ceiling is not None:
            terms.append(ceiling)
        # the first request (used 0) is clamped to the whole window: shown only where that lowers it
        if used is not None and (used or min(c.value for c in caps) > window.value):
            terms.append(Term(window.value - used, budget.trigger.source if used else window.source,
                              f"remaining window ({n(window.value)} - {n(used)})"))
        return term_quantity(terms)

    budget.max_tokens_normal = request(step_caps, 0)
    budget.max_tokens_at_trigger = request(step_caps, budget.trigger.value)
    budget.max_tokens_compaction = request(compaction_caps, None)
    if env_cap.var is not None:
        budget.configured_output = None if env_cap.opt_out else Quantity(env_cap.value, env_cap.var.source())
    elif output is not None:
        budget.configured_output = Quantity(output.value, output.source)
    budget.compaction_note = COMPACTION_NOTE
    env_cap.mark_changed(budget)
    budget.headroom_applies = not clamped_default_cap(budget, clamps=True)
    return env_cap


def _encoder_ceiling_2x(protocol: str | None, provider_type: str | None, wire_name: str) -> Term | None:
    """What the 2.x protocol encoder caps max_tokens at: openai chat-completions 131,072
    (`encodeOpenAIMaxCompletionTokens`) unless the provider definition's trait encodes it (type
    `kimi`: as is); anthropic the Claude table's entry for the wire name (`resolveDefaultMaxTokens(
    model, cap)`); the others none."""
    if protocol == "openai" and provider_type != "kimi":
        return Term(facts.OPENAI_CEILING, Provenance(DEFAULT, "Kimi Code CHAT_COMPLETIONS_MAX_OUTPUT_TOKENS_CEILING "
                                                              "131,072"), "openai ceiling")
    if protocol == "anthropic" and (ceiling := facts.claude_ceiling(wire_name)) is not None:
        return Term(ceiling, Provenance(DEFAULT, f"Kimi Code Claude output ceiling {n(ceiling)} for `{wire_name}` "
                                                 "(CEILING_BY_FAMILY_VERSION)"), "Claude ceiling")
    return None


def _request_terms(cap_terms: list[Term], *, wire: str | None, version: Version, legacy: bool, model_id: str,
                   output_size: Term | None, window: int, used: int | None,
                   used_source: Provenance | None = None) -> list[Term]:
    """The candidates of Kimi Code's `withMaxCompletionTokens`: the request cap, the provider
    ceiling, and with `used` the remaining window (`window` is max_context_size, not the input cap)."""
    terms = list(cap_terms)
    ceiling = _provider_ceiling(wire, version, model_id, output_size)
    if ceiling is not None:
        terms.append(ceiling)
    if used is not None and _clamps_to_remaining(wire, version, legacy):
        terms.append(Term(window - used, used_source, f"remaining window ({n(window)} - {n(used)})"))
    return terms


def _provider_ceiling(wire: str | None, version: Version, model_id: str, output_size: Term | None) -> Term | None:
    """The fixed ceiling of a Kimi Code provider (harness-kimi.md 5.2 table), None where it has none."""
    if wire == "openai" and version >= KC_OPENAI_CEILING_FROM:
        return Term(facts.OPENAI_CEILING, Provenance(DEFAULT, "Kimi Code openai chat-completions ceiling 131,072 "
                                                              "(kosong openai-legacy.ts, from 0.20.1)"), "openai ceiling")
    if wire == "anthropic":
        if output_size is not None and version >= KC_ANTHROPIC_AS_IS_FROM:
            return Term(output_size.value, output_size.source, "anthropic default = max_output_size")
        value = facts.anthropic_default_output(model_id)
        return Term(value, Provenance(DEFAULT, f"Kimi Code anthropic default output {n(value)} for `{model_id}` "
                                               "(kosong anthropic.ts CEILING_BY_FAMILY_VERSION / FALLBACK_MAX_TOKENS)"),
                    "anthropic default")
    return None


def _clamps_to_remaining(wire: str | None, version: Version, legacy: bool) -> bool:
    """Whether the provider lowers max_tokens to `window - used` (harness-kimi.md 5.2 table)."""
    if wire == "kimi":
        return True
    if wire == "openai":
        return version >= KC_OPENAI_CEILING_FROM
    return not legacy and wire in facts.V2_ONLY_CLAMP


def _configured_output(env_cap: EnvCap, output: Term | None, version: Version, wire: str | None) -> Quantity | None:
    """The output cap written in the config or env that reaches a request (REG002)."""
    if env_cap.var is not None and not env_cap.opt_out:
        return Quantity(env_cap.value, env_cap.var.source())
    if output is None or version < KC_OUTPUT_SIZE_ON_STEPS_FROM:
        return None
    if env_cap.opt_out and not (wire == "anthropic" and version >= KC_ANTHROPIC_AS_IS_FROM):
        return None  # the opt-out drops max_output_size too; only the anthropic default still uses it
    return Quantity(output.value, output.source)


def _wire_notes(budget: Budget, model: Model, version: Version, env_cap: EnvCap) -> None:
    """Notes where the output numbers rest on an assumption (no usable wire type, issue #3731)."""
    if model.wire not in facts.wire_types():
        kind = (f"provider type `{model.wire}` is not one of Kimi Code's wire types" if model.wire else
                f"provider `{model.provider}` has no wire type (not defined, or no `type`)")
        budget.notes.append(f"{kind}: Kimi Code cannot send requests through it; max_tokens computed without "
                            "provider ceilings")
    if (model.wire == "anthropic" and model.output_size is None and env_cap.var is None
            and version >= KC_ISSUE_3731_FROM):
        budget.notes.append("issue #3731 (unverified) reports that Kimi Code 0.42 sends max_context_size as max_tokens "
                            "to anthropic when max_output_size is unset (0.41 sent 128,000); cfglint uses the "
                            "source's Claude default table; set max_output_size to be safe")


# --- after compaction and fixes -------------------------------------------------------------------


def _after_compaction(budget: Budget, limit: Quantity, legacy: bool) -> int:
    """The tail kept after compaction (`maxRecentSizeRatio` of the limit), which is all that is
    left with no summary budget; returns it."""
    tail = math.floor(limit.value * facts.KEPT_TAIL_RATIO)
    budget.kept_tail = Quantity(tail, limit.source, f"floor({n(limit.value)} × {facts.KEPT_TAIL_RATIO}) = {n(tail)} "
                                                    "(maxRecentSizeRatio; at most 4 recent messages)")
    budget.post_compaction_floor = Quantity(tail, limit.source, f"kept tail {n(tail)} + no summary budget")
    if legacy:
        budget.notes.append("kept tail: the sheet states maxRecentSizeRatio 0.2 for the v2 engine; "
                            "cfglint assumes the same for the legacy engine")
    return tail


def _output_fixes(budget: Budget, model: Model, env_cap: EnvCap, version: Version) -> CapSetter:
    """Fix texts for the output rules: change the variable when it decides (a value <= 0 removes
    every cap, so max_output_size would not help), else max_output_size; returns how that cap
    is written, for the CMP001 fix."""
    if env_cap.var is not None:
        before, after = f"set {env_cap.var.name}=", ""
    elif model.alias == ENV_MODEL_ALIAS:
        before, after = "set KIMI_MODEL_MAX_OUTPUT_SIZE=", ""
    else:
        before, after = "set max_output_size = ", f" in [models.\"{model.alias}\"]"

    def set_cap(limit: str) -> str:
        return f"{before}{limit}{after}"

    limit = output_limit_text(budget, model.output_size)
    normal = set_cap(limit)
    budget.fixes.cmp005_normal = budget.fixes.reg002 = normal
    budget.fixes.cmp005_compaction = (normal if version >= KC_COMPACTION_FIX_FROM
                                      else f"upgrade to >= 0.20.2 or set {COMPLETION_VAR}={limit}")
    return set_cap
