"""Budgets of kimi-cli (Python, legacy): harness-kimi.md sections 4-7.

kimi-cli compacts when the context reaches a ratio of the window (from 1.17.0) or comes
within `reserved_context_size` of it, whichever comes first, with no guard on the reserve.
What it sends as max_tokens depends on the provider type and, for a Kimi provider, on the
version (window-aware from 1.49.0).
"""

from __future__ import annotations

from cfglint.core import numbers
from cfglint.core.finding import Severity
from cfglint.core.versions import Version
from cfglint.harnesses.budget import Budget, Environment, EnvUse, Quantity, ResolveInput, default
from cfglint.harnesses.kimi import KIMI_CLI, facts
from cfglint.harnesses.kimi.common import KimiReader, Model, Term, clamped_default_cap, model_tables, \
    no_window, output_limit_text, provider_env_effects, read_env_cap, reserve_fix, shown_ratio, start, \
    term_quantity
from cfglint.harnesses.kimi.facts import CLI_RATIO_FROM, CLI_RESERVED_FROM, CLI_SAFETY_MARGIN, COMPLETION_VAR, \
    DEFAULT_RESERVED, DEFAULT_TRIGGER_RATIO, MAX_TOKENS_VAR, RATIO_PATH, RESERVED_PATH, ratio_threshold
from cfglint.harnesses.kit import headroom, n

TYPE_CHECKING = False
if TYPE_CHECKING:
    from cfglint.harnesses.kimi.common import CapSetter


def resolve(inp: ResolveInput) -> list[Budget]:
    """One budget per kimi-cli model, `default_model` first, then file order."""
    cfg = KimiReader(inp.merged, lax=facts.kimi_cli_facts()["coercion"] == "pydantic-lax")
    version = KIMI_CLI.version(inp.version)
    return [_budget(cfg, inp, version, m) for m in _models(cfg, inp)]


def kimi_cli_trigger(window: int, ratio: float | None, reserved: int) -> tuple[int, str]:
    """(tokens, rule) of kimi-cli's `should_auto_compact` (`soul/compaction.py`):
    `T >= M * r or T + R >= M`, with no guard on R, so 0 (every step) when `R >= M` or `M <= 0`.
    `ratio` None: no ratio rule (before 1.17.0). The ratio rule wins a tie."""
    rules = [(window - reserved, "reserve")]
    if ratio is not None:
        rules.insert(0, (ratio_threshold(window, ratio), "ratio"))
    tokens, rule = min(rules, key=lambda item: item[0])
    return max(0, tokens), rule


# --- models -----------------------------------------------------------------------------------


def _models(cfg: KimiReader, inp: ResolveInput) -> list[Model]:
    return [_model(cfg, inp.env, alias, table) for alias, table in model_tables(cfg, inp)]


def _model(cfg: KimiReader, env: Environment, alias: str, table: dict) -> Model:
    """A `[models.<alias>]` entry after `llm.py::augment_provider_with_env_vars`: for a `kimi`
    provider KIMI_BASE_URL, KIMI_MODEL_NAME and KIMI_MODEL_MAX_CONTEXT_SIZE replace the file's
    values; for `openai_*` OPENAI_BASE_URL replaces the base URL."""
    provider = table.get("provider") if isinstance(table.get("provider"), str) else None
    provider_table = cfg.table(("providers", provider)) if provider else {}
    wire = provider_table.get("type") if isinstance(provider_table.get("type"), str) else None
    model = Model(
        alias=alias,
        model_id=table.get("model") if isinstance(table.get("model"), str) else None,
        provider=provider, lookup_provider=provider, wire=wire,
        base_url=provider_table.get("base_url") if isinstance(provider_table.get("base_url"), str) else None,
        source=cfg.source(("models", alias)),
        window=cfg.integer(("models", alias, "max_context_size")),
    )
    if provider:
        model.effects = provider_env_effects(
            cfg, provider, facts.KIMI_CLI_BUDGET_VARS,
            "kimi-cli reads budget variables from the process environment, and copies a provider's env table "
            "there only for `vertexai` providers, whose requests they do not affect")
    overrides = {"kimi": ("KIMI_BASE_URL", "KIMI_MODEL_NAME", "KIMI_MODEL_MAX_CONTEXT_SIZE"),
                 "openai_legacy": ("OPENAI_BASE_URL",), "openai_responses": ("OPENAI_BASE_URL",)}
    for name in overrides.get(wire or "", ()):
        var = env.get(name)
        if var is None or not var.value:
            continue  # `if value := os.getenv(...)`: unset and empty are the same
        use = EnvUse(name, var.value, var.value, env=var)
        model.env.append(use)
        if name.endswith("_BASE_URL"):
            model.base_url, use.changed = var.value, "base URL (registry lookup)"
        elif name == "KIMI_MODEL_NAME":
            model.model_id, use.changed = var.value, "model id"
        elif (size := _python_int(var.value)) is None:
            use.problem = f"{name}={var.value!r}: kimi-cli calls int() on it and fails at start-up"
            use.severity = Severity.ERROR
            use.fix = f"set {name} to an integer or unset it"
        else:
            use.parsed, use.changed = size, "window"
            model.window = Quantity(size, var.source())
    return model


def _python_int(raw: str) -> int | None:
    """`int(raw)` as kimi-cli calls it (whitespace, `+` and `_` allowed), None where it raises
    (and past a double, where kimi-cli's first `window × ratio` raises OverflowError)."""
    try:
        return numbers.finite(int(raw))
    except ValueError:
        return None


# --- the budget -------------------------------------------------------------------------------


def _budget(cfg: KimiReader, inp: ResolveInput, version: Version, model: Model) -> Budget:
    budget = start(KIMI_CLI, inp, model)
    if model.window is None:
        return no_window(budget, model, "no integer max_context_size: kimi-cli rejects the model")
    window = budget.window = budget.hard_limit = model.window
    ratio, reserved = _loop(cfg, version)
    _trigger(budget, version, window, ratio, reserved)
    # Before the output notes, where explain has always listed it.
    budget.notes.append("kimi-cli: harness-kimi.md does not state the tail kept after compaction (kept tail unknown)")
    set_cap = _output(inp.env, budget, model, version, reserved)
    if budget.every_step:
        budget.fixes.cmp003 = (f"set loop_control.reserved_context_size below max_context_size ({n(window.value)}); "
                               "the default is 50,000" if window.value > 0 else "set a positive max_context_size")
    reserve_fix(budget, "window (max_context_size)", set_cap)
    return budget


# --- trigger ----------------------------------------------------------------------------------


def _loop(cfg: KimiReader, version: Version) -> tuple[Quantity | None, Quantity]:
    """(trigger ratio or None, reserve) by version: the reserve is a fixed 50,000 before 0.82
    and the ratio rule exists from 1.17.0 (the harness unit reports the unknown keys, SCH002)."""
    ratio = None
    if version >= CLI_RATIO_FROM:
        ratio = cfg.ratio(RATIO_PATH) or default(DEFAULT_TRIGGER_RATIO, "kimi-cli compaction_trigger_ratio "
                                                                        "default 0.85")
    if version < CLI_RESERVED_FROM:
        return ratio, default(DEFAULT_RESERVED, f"kimi-cli {version} RESERVED_TOKENS 50,000 (fixed before 0.82)")
    return ratio, cfg.integer(RESERVED_PATH) or default(DEFAULT_RESERVED, "kimi-cli reserved_context_size "
                                                                         "default 50,000")


def _trigger(budget: Budget, version: Version, window: Quantity, ratio: Quantity | None, reserved: Quantity) -> None:
    """The trigger, which rule decided it (every step when it is at or below 0), and the headroom."""
    tokens, rule = kimi_cli_trigger(window.value, ratio.value if ratio else None, reserved.value)
    reserve_text = f"{n(window.value)} - {n(reserved.value)} = {n(window.value - reserved.value)}"
    ratio_text = (f"ceil({n(window.value)} × {shown_ratio(ratio.value)}) = "
                  f"{n(ratio_threshold(window.value, ratio.value))}" if ratio else "")
    budget.trigger_rule = rule
    budget.every_step = tokens <= 0
    if rule == "reserve":
        budget.trigger = Quantity(tokens, reserved.source, reserve_text + (" <= 0" if tokens <= 0 else ""))
        budget.trigger_reason = (f"reserve rule T + {n(reserved.value)} >= {n(window.value)}: "
                                 + (f"{reserve_text}, at or below 0, so every step compacts" if budget.every_step
                                    else f"fires at {reserve_text}")
                                 + (f", before the ratio rule {ratio_text}" if ratio else
                                    f" (kimi-cli {version} has no ratio rule)"))
    else:
        budget.trigger = Quantity(tokens, ratio.source, ratio_text)
        budget.trigger_reason = f"ratio rule {ratio_text} fires before the reserve rule {reserve_text}"
    if version < CLI_RESERVED_FROM and window.value < DEFAULT_RESERVED:
        budget.notes.append(f"kimi-cli {version} asserts 50,000 <= max_context_size: with "
                            f"{n(window.value)} every step fails")
    budget.headroom = headroom(window, budget.trigger)


# --- output -----------------------------------------------------------------------------------


def _output(env: Environment, budget: Budget, model: Model, version: Version,
            reserved: Quantity) -> CapSetter | None:
    """kimi-cli max_tokens (harness-kimi.md 5.3): window-aware for a Kimi provider from 1.49.0,
    a fixed 32,000 (or KIMI_MODEL_MAX_TOKENS) before; Anthropic 50,000; other types send none.
    Returns how the user sets the cap, where a variable sets it (for the CMP001 fix)."""
    if model.wire == "anthropic":
        fixed = default(facts.CLI_ANTHROPIC_DEFAULT, "kimi-cli Anthropic default_max_tokens 50,000 (llm.py)")
        budget.max_tokens_normal = budget.max_tokens_at_trigger = budget.max_tokens_compaction = fixed
        return None
    if model.wire != "kimi":
        budget.notes.append(f"kimi-cli sends no max_tokens for provider type `{model.wire}` (provider default)")
        return None
    if version < facts.CLI_WINDOW_AWARE_FROM:
        return _fixed_output(budget, env, version)

    env_cap = read_env_cap(env, "kimi-cli", _python_int, "Python's int()")
    budget.env.extend(env_cap.uses)
    if env_cap.opt_out:
        unsent = Quantity(None, env_cap.var.source(), f"no max_tokens override ({env_cap.var.name} <= 0)")
        budget.max_tokens_normal = budget.max_tokens_at_trigger = budget.max_tokens_compaction = unsent
        env_cap.mark_changed(budget)
        return None
    caps = env_cap.terms()
    budget_term = caps[0] if caps else None
    window = Term(budget.window.value, budget.window.source, "max_context_size")
    reserve = Term(reserved.value, reserved.source, "reserved_context_size")
    at_trigger = budget.trigger.value if not budget.every_step else 0
    budget.max_tokens_normal = term_quantity(_cli_cap_terms(window, reserve, budget_term, 0))
    budget.max_tokens_at_trigger = term_quantity(_cli_cap_terms(window, reserve, budget_term, at_trigger))
    budget.max_tokens_compaction = budget.max_tokens_at_trigger
    budget.notes.append("kimi-cli's cap depends on the input estimate: max_tokens_normal is computed with floor = 0 "
                        f"(input = {n(CLI_SAFETY_MARGIN)} with the safety margin)")
    budget.compaction_note = ("kimi-cli uses the step formula for compaction with the estimated compaction request "
                              "as floor; cfglint assumes that request is the context at the trigger")
    if env_cap.var is not None and budget.max_tokens_normal.source == env_cap.var.source():
        budget.configured_output = Quantity(env_cap.value, env_cap.var.source())
    budget.headroom_applies = not clamped_default_cap(budget, clamps=True)  # the `window - input` term
    env_cap.mark_changed(budget)
    set_cap = _setting_variable(COMPLETION_VAR)
    budget.fixes.cmp005_normal = budget.fixes.cmp005_compaction = budget.fixes.reg002 = set_cap(
        output_limit_text(budget))
    return set_cap


def _cli_cap_terms(window: Term, reserved: Term, budget: Term | None, floor: int) -> list[Term]:
    """The candidates of kimi-cli's `compute_max_completion_tokens` (harness-kimi.md 5.3): the env
    cap (or the window) clamped to the window minus the input estimate `floor` plus the 1,024-token
    safety margin."""
    if window.value <= 0:
        return [budget or reserved]
    room = max(1, window.value - (floor + CLI_SAFETY_MARGIN))
    label = f"window - (input {n(floor)} + {n(CLI_SAFETY_MARGIN)} margin)"
    return [budget or window, Term(room, window.source, label)]


def _fixed_output(budget: Budget, env: Environment, version: Version) -> CapSetter:
    """Before 1.49.0 the Kimi provider sends 32,000, or `int(KIMI_MODEL_MAX_TOKENS)`, with no clamp."""
    sent = default(facts.CLI_KIMI_FIXED, f"kimi-cli {version} Kimi provider max_tokens 32,000 (kosong default)")
    var = env.get(MAX_TOKENS_VAR)
    if var is not None and var.value:
        use = EnvUse(MAX_TOKENS_VAR, var.value, _python_int(var.value), env=var)
        budget.env.append(use)
        if use.parsed is None:
            use.problem = f"{MAX_TOKENS_VAR}={var.value!r}: kimi-cli calls int() on it and fails at start-up"
            use.severity, use.fix = Severity.ERROR, f"set {MAX_TOKENS_VAR} to a positive integer or unset it"
        else:
            sent = budget.configured_output = Quantity(use.parsed, var.source())
            use.changed = "max_tokens_normal, max_tokens_compaction"
    completion = env.get(COMPLETION_VAR)
    if completion is not None:
        budget.env.append(EnvUse(
            COMPLETION_VAR, completion.value, env=completion, severity=Severity.WARNING,
            problem=f"kimi-cli {version} does not read {COMPLETION_VAR} (before 1.49.0 only {MAX_TOKENS_VAR} "
                    "overrides the Kimi provider's 32,000)",
            fix=f"use {MAX_TOKENS_VAR}, or target kimi-cli >= 1.49.0"))
    budget.max_tokens_normal = budget.max_tokens_at_trigger = budget.max_tokens_compaction = sent
    set_cap = _setting_variable(MAX_TOKENS_VAR)
    budget.fixes.cmp005_normal = budget.fixes.cmp005_compaction = set_cap(output_limit_text(budget))
    return set_cap


def _setting_variable(name: str) -> CapSetter:
    """The output cap as the variable `name` sets it."""
    return lambda limit: f"set {name}={limit}"
