"""The plumbing Kimi Code's and kimi-cli's resolvers share: reading the config, the models it
configures, the output-cap variables, and the parts of a budget both fill the same way.

Both harnesses read `[models.<alias>]` entries with `max_context_size` and a `[loop_control]`
table, and both take their output cap from KIMI_MODEL_MAX_COMPLETION_TOKENS, else
KIMI_MODEL_MAX_TOKENS; the arithmetic that differs lives in `resolve_code.py` and
`resolve_cli.py`.
"""

from __future__ import annotations


from cfglint.core import numbers
from cfglint.core.document import Path
from cfglint.core.finding import Severity
from cfglint.core.record import FrozenRecord, Record
from cfglint.harnesses.budget import Budget, Effect, Environment, EnvUse, EnvValue, Provenance, Quantity, \
    ResolveInput, setting
from cfglint.harnesses.kimi import facts
from cfglint.harnesses.kit import ConfigReader, n, start_budget

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterator
    from cfglint.harnesses.base import Harness, Merged

    # How the user writes an output cap of `limit` tokens, in the harness's terms (a fix text).
    CapSetter = Callable[[str], str]


class KimiReader(ConfigReader):
    """Integers and ratios as the harnesses validate them; kimi-cli (`lax`) also reads numbers
    written as strings, as pydantic's lax mode does."""

    def __init__(self, merged: "Merged", lax: bool = False) -> None:
        super().__init__(merged)
        self.lax = lax

    def integer(self, path: Path) -> Quantity | None:
        value = self.value(path)
        if self.lax and isinstance(value, str):
            value = facts.lax_integer(value)
        if isinstance(value, int) and numbers.finite(value) is not None:
            return setting(value, self.merged.origin(path), path)
        return None

    def ratio(self, path: Path) -> Quantity | None:
        """A written ratio; `inf`/`nan` (valid TOML, outside the schema's 0.5..0.99: SCH001) and
        numbers past a double are treated as unset, since no harness run gets past its validation
        with them (cfglint.core.numbers)."""
        value = self.value(path)
        if self.lax and isinstance(value, str):
            value = facts.lax_number(value)
        if numbers.finite(value) is not None:
            return setting(value, self.merged.origin(path), path)
        return None


def shown_ratio(ratio: float) -> str:
    """A ratio as formulas and messages write it (`0.85`)."""
    return format(ratio, "g")


# --- models ---------------------------------------------------------------------------------


class Model(Record):
    """One model as the harness will run it, whether from `[models.<alias>]` or the environment."""

    __slots__ = ("alias", "model_id", "provider", "lookup_provider", "wire", "base_url", "source", "window",
                 "input_size", "output_size", "effects", "env", "notes", "provider_type", "wire_name", "has_overrides",
                 "refused")

    def __init__(self, alias: str, model_id: str | None, provider: str | None, lookup_provider: str | None,
                 wire: str | None, base_url: str | None, source: Provenance, window: Quantity | None,
                 input_size: Quantity | None = None, output_size: Quantity | None = None,
                 effects: list[Effect] | None = None, env: list[EnvUse] | None = None, notes: list[str] | None = None,
                 provider_type: str | None = None, wire_name: str | None = None, has_overrides: bool = False,
                 refused: str | None = None) -> None:
        self.alias = alias
        self.model_id = model_id
        self.provider = provider  # configured provider name
        self.lookup_provider = lookup_provider  # provider name for the registry lookup
        self.wire = wire  # provider type (or the model's `protocol`)
        self.base_url = base_url
        self.source = source
        self.window = window
        self.input_size = input_size
        self.output_size = output_size
        self.effects = [] if effects is None else effects
        self.env = [] if env is None else env
        self.notes = [] if notes is None else notes
        # Kimi Code 2.x: the provider's `type` apart from the model's `protocol`, the wire name
        # (`name`, else `model`), whether an `[overrides]` table exists, and why the harness refuses it
        self.provider_type = provider_type
        self.wire_name = wire_name
        self.has_overrides = has_overrides
        self.refused = refused


def model_tables(cfg: KimiReader, inp: ResolveInput) -> Iterator[tuple[str, dict]]:
    """`[models.<alias>]` tables: default_model first, then file order; `inp.model` restricts."""
    models = {alias: m for alias, m in cfg.table(("models",)).items() if isinstance(m, dict)}
    first = cfg.text(("default_model",))
    order = ([first] if first in models else []) + [alias for alias in models if alias != first]
    for alias in order:
        if inp.model is None or inp.model == alias:
            yield alias, models[alias]


def provider_env_effects(cfg: KimiReader, provider: str, names: tuple[str, ...], why: str) -> list[Effect]:
    """CMP004 for each budget variable written in `[providers.<provider>.env]`."""
    env_block = cfg.table(("providers", provider, "env"))
    return [
        Effect("CMP004", f"`{name}` in [providers.{provider}.env] has no effect: {why}",
               cfg.source(("providers", provider, "env", name)),
               fix=f"remove it from the provider's env table and set {name} in the environment that launches the harness",
               details={"variable": name})
        for name in names if name in env_block
    ]


# --- request caps: candidates of a min() with the input that supplied each ---------------------


class Term(FrozenRecord):
    """One candidate of a min(): its value, the input it came from and a label for formulas."""

    __slots__ = ("value", "source", "label")

    def __init__(self, value: int, source: Provenance | None = None, label: str = "") -> None:
        self.value = value
        self.source = source
        self.label = label


def term_quantity(terms: list[Term], absent: Quantity | None = None) -> Quantity | None:
    """A Quantity for `max(1, min(terms))` with the arithmetic spelled out; `absent` when no term.
    The deciding term is the smallest, the earliest on a tie (settings come first)."""
    if not terms:
        return absent
    best = min(terms, key=lambda t: t.value)
    value = best.value if best.value >= 1 else 1
    if len(terms) == 1:
        return Quantity(value, best.source, f"{terms[0].label} = {n(value)}")
    parts = ", ".join(f"{t.label} {n(t.value)}" for t in terms)
    return Quantity(value, best.source, f"min({parts}) = {n(value)}")


class EnvCap(Record):
    """The output-cap variable the harness uses (KIMI_MODEL_MAX_COMPLETION_TOKENS, else
    KIMI_MODEL_MAX_TOKENS) and a record of every one consulted."""

    __slots__ = ("value", "var", "use", "uses")

    def __init__(self, value: int | None = None, var: EnvValue | None = None, use: EnvUse | None = None,
                 uses: list[EnvUse] | None = None) -> None:
        self.value = value
        self.var = var
        self.use = use
        self.uses = [] if uses is None else uses

    @property
    def opt_out(self) -> bool:
        return self.value is not None and self.value <= 0

    def terms(self) -> list[Term] | None:
        """The cap as request terms: None when no variable decides, [] for the opt-out (no cap)."""
        if self.var is None:
            return None
        return [] if self.opt_out else [Term(self.value, self.var.source(), self.var.name)]

    def mark_changed(self, budget: Budget) -> None:
        """Record which output numbers the variable decided (all of them for the opt-out, which
        removes the cap)."""
        if self.use is None:
            return
        paths = (("max_tokens_normal", budget.max_tokens_normal),
                 ("max_tokens_compaction", budget.max_tokens_compaction))
        changed = [name for name, q in paths if self.opt_out or (q is not None and q.source == self.var.source())]
        if changed:
            self.use.changed = ", ".join(changed)


def read_env_cap(env: Environment, harness: str, parse: Callable[[str], int | None] = facts.parse_env_cap,
                 syntax: str = "`^-?[0-9]+$` after trimming") -> EnvCap:
    """KIMI_MODEL_MAX_COMPLETION_TOKENS, else KIMI_MODEL_MAX_TOKENS: the first that `parse` reads
    wins; an unparsable one is ignored (ENV001 error), an empty one counts as unset, one at or below
    0 is the documented opt-out (ENV001 info)."""
    cap = EnvCap()
    for name in (facts.COMPLETION_VAR, facts.MAX_TOKENS_VAR):
        var = env.get(name)
        if var is None:
            continue
        parsed = parse(var.value)
        use = EnvUse(name, var.value, parsed, env=var)
        cap.uses.append(use)
        if cap.var is not None or not var.value.strip():
            continue
        if parsed is None:
            use.problem = f"{name}={var.value!r} is not an integer ({syntax}): {harness} ignores it"
            use.severity = Severity.ERROR
            use.fix = f"write a plain integer, e.g. {name}=131072"
            continue
        if parsed <= 0:
            use.problem = (f"{name}={var.value.strip()} is the documented opt-out: {harness} sends no output "
                           "cap of its own (fixed provider ceilings still apply)")
            use.severity = Severity.INFO
        cap.value, cap.var, cap.use = parsed, var, use
    return cap


# --- the record -----------------------------------------------------------------------------


def start(harness: "Harness", inp: ResolveInput, model: Model) -> Budget:
    """`kit.start_budget` for a Kimi model (a managed model's window is not compared with the
    registry's context), with what it brings along and the REG003 fix."""
    registry = inp.registry
    match = (registry.lookup(model.model_id, provider=model.lookup_provider, base_url=model.base_url)
             if model.model_id else None)
    managed = model.provider == facts.MANAGED_PROVIDER
    budget = start_budget(
        harness, inp, model=model.alias, model_id=model.model_id, provider=model.provider,
        model_source=model.source, match=match,
        registry_limits=("input", "output") if managed else ("context", "input", "output"),
        declared_limits=True, env=list(model.env), effects=list(model.effects), notes=list(model.notes),
    )
    if managed and match is not None:
        # Kimi Code rewrites a managed model's max_context_size from the provider's own /models
        # `context_length` on every login and refresh (toManagedModelAlias): newer than any snapshot.
        budget.notes.append(f"managed model: max_context_size comes from the provider's /models API, "
                            f"not compared with the registry's context ({n(match.context) if match.context else 'unknown'})")
    if budget.model_context is not None:
        budget.fixes.reg003 = f"lower max_context_size to {n(budget.model_context.value)}"
    return budget


def no_window(budget: Budget, model: Model, why: str) -> Budget:
    """A model the harness refuses to run: no trigger, and no compaction finding either (the
    schema rules report the cause)."""
    budget.trigger = Quantity(None, model.window.source if model.window else model.source)
    budget.headroom_applies = False
    budget.trigger_reason = why
    budget.notes.append(why)
    return budget


def output_limit(budget: Budget, fallback: Quantity | None = None) -> int | None:
    """The model's output limit for fix texts: the registry's, else `fallback`, else None."""
    known = budget.model_output or fallback
    return known.value if known is not None else None


def output_limit_text(budget: Budget, fallback: Quantity | None = None) -> str:
    """`output_limit` as a fix text writes it, a placeholder when unknown."""
    limit = output_limit(budget, fallback)
    return str(limit) if limit is not None else "<model output limit>"


def clamped_default_cap(budget: Budget, clamps: bool) -> bool:
    """True when no output cap is configured and the request is clamped to the room left in the
    window: the default cap (the whole window, or a provider ceiling) then never overflows, and
    no reply the user asked for is cut short, so CMP001 does not apply."""
    return clamps and budget.configured_output is None


def reserve_fix(budget: Budget, limit_name: str, set_cap: CapSetter | None,
                output_fallback: Quantity | None = None) -> None:
    """CMP001: a reserve of one full reply keeps the trigger that far below the limit. A reserve
    above half the limit would compact most of the window away, so a larger cap comes down first:
    to half the limit, or to the model's output limit (`output_limit`) when that is lower."""
    cap = budget.max_tokens_normal.value if budget.max_tokens_normal else None
    if cap is None:
        return
    half = budget.hard_limit.value // 2
    if cap <= half:
        budget.fixes.cmp001 = (f"set loop_control.reserved_context_size = {cap} (or more), so compaction starts "
                               f"one full reply ({n(cap)} tokens) below the {limit_name}")
        return
    model_limit = output_limit(budget, output_fallback)
    lowered = half if model_limit is None else min(half, model_limit)
    cap_fix = set_cap(str(lowered)) if set_cap is not None else "lower the output cap"
    budget.fixes.cmp001 = (f"lower the output cap of {n(cap)} to at most {n(half)} ({cap_fix} or less), "
                           "then set loop_control.reserved_context_size to that value")
