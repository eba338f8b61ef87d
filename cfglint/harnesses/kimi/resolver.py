"""Budgets of Kimi Code (TypeScript) and kimi-cli (Python): harness-kimi.md sections 4-7.

Both harnesses compact when the context reaches a ratio of the window or comes within
`reserved_context_size` of it, whichever comes first; they differ in which rules exist in
which version and in what they send as max_tokens. Every number is an integer token count
as the harness compares it: the test is `T >= M * r` on doubles, so the first count that
compacts is `ceil(M * r)` computed in the same double arithmetic (RESOLVERS.md).

Kimi Code runs the legacy engine (`packages/agent-core`) before 0.33.0 and with
KIMI_CODE_LEGACY_FLAG=1, the v2 engine (`packages/agent-core-v2`) otherwise.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from cfglint import numbers
from cfglint.budget import (
    DEFAULT,
    SETTING,
    Budget,
    Effect,
    Environment,
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
from cfglint.document import Path, format_path, get_path
from cfglint.findings import Severity
from cfglint.harnesses.kimi import KIMI_CLI, KIMI_CODE, facts
from cfglint.versions import Version

# --- harness constants ---------------------------------------------------------------

DEFAULT_TRIGGER_RATIO = 0.85      # DEFAULT_COMPACTION_CONFIG.triggerRatio = blockRatio; kimi-cli LoopControl default
DEFAULT_RESERVED = 50_000         # reservedContextSize; kimi-cli default and its fixed RESERVED_TOKENS before 0.82
KEPT_TAIL_RATIO = 0.2             # maxRecentSizeRatio (agent-core-v2 fullCompaction/strategy.ts)
OPENAI_CEILING = 131_072          # CHAT_COMPLETIONS_MAX_OUTPUT_TOKENS_CEILING = 128 * 1024 (kosong openai-legacy.ts)
COMPACTION_DEFAULT_CAP = 131_072  # DEFAULT_COMPACTION_MAX_COMPLETION_TOKENS = 128 * 1024
ANTHROPIC_FALLBACK = 128_000      # FALLBACK_MAX_TOKENS for ids that match no Claude family/version
CLI_SAFETY_MARGIN = 1_024         # DEFAULT_COMPLETION_TOKEN_SAFETY_MARGIN (kimi-cli llm.py)
CLI_KIMI_FIXED = 32_000           # kosong default max_tokens of the kimi-cli Kimi provider before 1.49.0
CLI_ANTHROPIC_DEFAULT = 50_000    # kimi-cli llm.py: Anthropic(default_max_tokens=50000)
ENV_MODEL_ALIAS = "__kimi_env_model__"
ENV_PROVIDER = "__kimi_env__"
ENV_MODEL_WINDOW = 262_144        # KIMI_MODEL_MAX_CONTEXT_SIZE default for the env-synthesised model
MANAGED_PROVIDER = "managed:kimi-code"  # written by /login; its models' windows come from the provider's /models

# --- versions (harness-kimi.md 6) ------------------------------------------------------

KC_OUTPUT_SIZE_ON_STEPS_FROM = Version.parse("0.11")  # #365: before it steps sent max_context_size (#306)
KC_OPENAI_CEILING_FROM = Version.parse("0.20.1")       # #1131: chat-completions clamp + 131,072 ceiling
KC_COMPACTION_FIX_FROM = Version.parse("0.20.2")       # #1129/#1156: compaction passes max_output_size (bug #834)
KC_ANTHROPIC_AS_IS_FROM = Version.parse("0.23.1")      # #1465: anthropic honours max_output_size as-is
KC_ISSUE_3731_FROM = Version.parse("0.42")             # issue #3731 (unverified): anthropic sends the window
CLI_RESERVED_FROM = Version.parse("0.82")              # PR #639: reserved_context_size
CLI_RATIO_FROM = Version.parse("1.17.0")               # PR #1300: compaction_trigger_ratio
CLI_WINDOW_AWARE_FROM = Version.parse("1.49.0")        # PR #2494: compute_max_completion_tokens

COMPLETION_VAR = "KIMI_MODEL_MAX_COMPLETION_TOKENS"
MAX_TOKENS_VAR = "KIMI_MODEL_MAX_TOKENS"
LEGACY_FLAG_VAR = "KIMI_CODE_LEGACY_FLAG"
RATIO_PATH: Path = ("loop_control", "compaction_trigger_ratio")
RESERVED_PATH: Path = ("loop_control", "reserved_context_size")

# Variables a resolver reads from the process environment; inside `[providers.x.env]`,
# which holds only credential/base-URL fallbacks, they have no effect (CMP004).
_KIMI_CODE_BUDGET_VARS = (COMPLETION_VAR, MAX_TOKENS_VAR, "KIMI_MODEL_MAX_CONTEXT_SIZE",
                          "KIMI_MODEL_MAX_OUTPUT_SIZE", LEGACY_FLAG_VAR)
_KIMI_CLI_BUDGET_VARS = (COMPLETION_VAR, MAX_TOKENS_VAR, "KIMI_MODEL_MAX_CONTEXT_SIZE")
# Base-URL fallbacks of `[providers.x.env]` per wire type (harness-kimi.md 2.2).
_ENV_BLOCK_BASE_URL = {"kimi": "KIMI_BASE_URL", "openai": "OPENAI_BASE_URL",
                       "openai_responses": "OPENAI_BASE_URL", "anthropic": "ANTHROPIC_BASE_URL"}
# Wire types whose provider clamps max_tokens to the remaining window only in the v2 engine.
_V2_ONLY_CLAMP = frozenset({"anthropic", "openai_responses", "google-genai", "vertexai"})

_ENV_INTEGER = re.compile(r"^-?[0-9]+$")

# Claude default output by `<family>-<major>[-<minor>]` (2.1.0 CEILING_BY_FAMILY_VERSION).
_CLAUDE_CEILINGS = {
    "fable-5": 128_000, "mythos-5": 128_000, "opus-4-8": 128_000, "opus-4-7": 128_000, "opus-4-6": 128_000,
    "sonnet-5": 128_000, "sonnet-4-6": 128_000,
    "opus-4-5": 64_000, "sonnet-4-5": 64_000, "sonnet-4-0": 64_000, "sonnet-4": 64_000,
    "haiku-4-5": 64_000, "haiku-4": 64_000,
    "opus-4-1": 32_000, "opus-4-0": 32_000, "opus-4": 32_000,
    "opus-3-5": 8_192, "sonnet-3-5": 8_192, "sonnet-3-7": 8_192, "haiku-3-5": 8_192,
    "opus-3": 4_096, "sonnet-3": 4_096, "haiku-3": 4_096,
}
_CLAUDE_FAMILY_FIRST = re.compile(r"(opus|sonnet|haiku|fable|mythos)[-._](\d{1,2})(?!\d)(?:[-._](\d{1,2})(?!\d))?")
_CLAUDE_VERSION_FIRST = re.compile(r"(\d{1,2})[-._](\d{1,2})[-._](opus|sonnet|haiku)")
_CLAUDE_BARE = re.compile(r"(\d{1,2})[-._](opus|sonnet|haiku)")


# --- pure formulas ---------------------------------------------------------------------


def ratio_threshold(window: int, ratio: float) -> int:
    """First token count that satisfies `T >= window * ratio` (both harnesses compare doubles)."""
    return numbers.rounded(math.ceil, window * ratio)


def kimi_code_trigger(window: int, ratio: float, reserved: int) -> tuple[int, str]:
    """(tokens, rule) of Kimi Code's `shouldCompact`: the ratio rule, and the reserve rule only
    when `0 < R < M` (agent-core-v2 `fullCompaction/strategy.ts`, agent-core `compaction/strategy.ts`).
    The ratio rule wins a tie."""
    at_ratio = ratio_threshold(window, ratio)
    if 0 < reserved < window and window - reserved < at_ratio:
        return window - reserved, "reserve"
    return at_ratio, "ratio"


def kimi_cli_trigger(window: int, ratio: float | None, reserved: int) -> tuple[int, str]:
    """(tokens, rule) of kimi-cli's `should_auto_compact` (`soul/compaction.py`):
    `T >= M * r or T + R >= M`, with no guard on R, so 0 (every step) when `R >= M` or `M <= 0`.
    `ratio` None: no ratio rule (before 1.17.0). The ratio rule wins a tie."""
    rules = [(window - reserved, "reserve")]
    if ratio is not None:
        rules.insert(0, (ratio_threshold(window, ratio), "ratio"))
    tokens, rule = min(rules, key=lambda item: item[0])
    return max(0, tokens), rule


def parse_env_cap(raw: str) -> int | None:
    """KIMI_MODEL_MAX_COMPLETION_TOKENS / KIMI_MODEL_MAX_TOKENS as Kimi reads them: an integer
    matching `^-?[0-9]+$` after trimming, else None (ignored; completion-budget.ts, envOverlay.ts)."""
    text = raw.strip()
    return numbers.integer(text) if _ENV_INTEGER.match(text) else None


def anthropic_default_output(model_id: str) -> int:
    """The Anthropic provider's default max_tokens for a model id (kosong `anthropic.ts`
    `resolveDefaultMaxTokens`): the Claude family/version table, FALLBACK_MAX_TOKENS otherwise.
    Like the source, only ids containing `claude` are parsed."""
    name = model_id.lower()
    if "claude" not in name:
        return ANTHROPIC_FALLBACK
    if found := _CLAUDE_FAMILY_FIRST.search(name):
        family, major, minor = found.group(1), int(found.group(2)), found.group(3)
    elif found := _CLAUDE_VERSION_FIRST.search(name):
        family, major, minor = found.group(3), int(found.group(1)), found.group(2)
    elif found := _CLAUDE_BARE.search(name):
        family, major, minor = found.group(2), int(found.group(1)), None
    else:
        return ANTHROPIC_FALLBACK
    # lookupClaudeCeiling: the minor version, then lower minors, then the family/major entry.
    keys = [f"{family}-{major}-{m}" for m in range(int(minor), -1, -1)] if minor is not None else []
    for key in [*keys, f"{family}-{major}"]:
        if key in _CLAUDE_CEILINGS:
            return _CLAUDE_CEILINGS[key]
    return ANTHROPIC_FALLBACK


def kimi_code_request_tokens(cap: int | None, *, wire: str | None, version: str, window: int,
                             legacy: bool = False, model_id: str = "", max_output_size: int | None = None,
                             used: int | None = None) -> int | None:
    """What Kimi Code sends for a request cap `cap` (None: no cap) on provider type `wire`: the
    fixed provider ceilings, and with `used` the remaining-window clamp where the provider and
    version apply one (harness-kimi.md 5.2). None: no max_tokens is sent."""
    cap_terms = [_Term(cap)] if cap is not None else []
    output_size = _Term(max_output_size) if max_output_size is not None else None
    terms = _request_terms(cap_terms, wire=wire, version=Version.parse(version), legacy=legacy,
                           model_id=model_id, output_size=output_size, window=window, used=used)
    return _smallest(terms).value if terms else None


def kimi_cli_completion_cap(window: int, reserved: int, env: int | None, floor: int) -> int | None:
    """kimi-cli 1.49+ `compute_max_completion_tokens` for a Kimi provider (`llm.py`): the env
    cap (or the window) clamped to the window minus the input estimate `floor` plus the
    1,024-token safety margin. None: `env <= 0` opts out and no override is sent."""
    if env is not None and env <= 0:
        return None
    terms = _cli_cap_terms(_Term(window), _Term(reserved), _Term(env) if env is not None else None, floor)
    return _smallest(terms).value


# --- terms: numbers with the input that supplied them ------------------------------------


@dataclass(frozen=True)
class _Term:
    """One candidate of a min(): its value, the input it came from and a label for formulas."""

    value: int
    source: Source | None = None
    label: str = ""


def _smallest(terms: list[_Term]) -> _Term:
    """The deciding term: the smallest value, the earliest on a tie (settings come first), at least 1."""
    best = min(terms, key=lambda t: t.value)
    return best if best.value >= 1 else _Term(1, best.source, best.label)


def _term_quantity(terms: list[_Term], absent: Quantity | None = None) -> Quantity | None:
    """A Quantity for `max(1, min(terms))` with the arithmetic spelled out; `absent` when no term."""
    if not terms:
        return absent
    best = _smallest(terms)
    if len(terms) == 1:
        return Quantity(best.value, best.source, f"{terms[0].label} = {_n(best.value)}")
    parts = ", ".join(f"{t.label} {_n(t.value)}" for t in terms)
    return Quantity(best.value, best.source, f"min({parts}) = {_n(best.value)}")


def _provider_ceiling(wire: str | None, version: Version, model_id: str, output_size: _Term | None) -> _Term | None:
    """The fixed ceiling of a Kimi Code provider (harness-kimi.md 5.2 table), None where it has none."""
    if wire == "openai" and version >= KC_OPENAI_CEILING_FROM:
        return _Term(OPENAI_CEILING, Source(DEFAULT, "Kimi Code openai chat-completions ceiling 131,072 "
                                                     "(kosong openai-legacy.ts, from 0.20.1)"), "openai ceiling")
    if wire == "anthropic":
        if output_size is not None and version >= KC_ANTHROPIC_AS_IS_FROM:
            return _Term(output_size.value, output_size.source, "anthropic default = max_output_size")
        value = anthropic_default_output(model_id)
        return _Term(value, Source(DEFAULT, f"Kimi Code anthropic default output {_n(value)} for `{model_id}` "
                                            "(kosong anthropic.ts CEILING_BY_FAMILY_VERSION / FALLBACK_MAX_TOKENS)"),
                     "anthropic default")
    return None


def _clamps_to_remaining(wire: str | None, version: Version, legacy: bool) -> bool:
    """Whether the provider lowers max_tokens to `window - used` (harness-kimi.md 5.2 table)."""
    if wire == "kimi":
        return True
    if wire == "openai":
        return version >= KC_OPENAI_CEILING_FROM
    return not legacy and wire in _V2_ONLY_CLAMP


def _request_terms(cap_terms: list[_Term], *, wire: str | None, version: Version, legacy: bool, model_id: str,
                   output_size: _Term | None, window: int, used: int | None,
                   used_source: Source | None = None) -> list[_Term]:
    """The candidates of Kimi Code's `withMaxCompletionTokens`: the request cap, the provider
    ceiling, and with `used` the remaining window (`window` is max_context_size, not the input cap)."""
    terms = list(cap_terms)
    ceiling = _provider_ceiling(wire, version, model_id, output_size)
    if ceiling is not None:
        terms.append(ceiling)
    if used is not None and _clamps_to_remaining(wire, version, legacy):
        terms.append(_Term(window - used, used_source, f"remaining window ({_n(window)} - {_n(used)})"))
    return terms


def _cli_cap_terms(window: _Term, reserved: _Term, budget: _Term | None, floor: int) -> list[_Term]:
    """The candidates of kimi-cli's `compute_max_completion_tokens` (harness-kimi.md 5.3)."""
    if window.value <= 0:
        return [budget or reserved]
    room = max(1, window.value - (floor + CLI_SAFETY_MARGIN))
    label = f"window - (input {_n(floor)} + {_n(CLI_SAFETY_MARGIN)} margin)"
    return [budget or window, _Term(room, window.source, label)]


def _n(value: int | float) -> str:
    return numbers.text(value, grouped=True)


def _r(ratio: float) -> str:
    return format(ratio, "g")


# --- reading the configuration -------------------------------------------------------------


class _Config:
    """The merged layers, every value read with the file and key that supplied it."""

    def __init__(self, merged: Any, lax: bool = False) -> None:
        self.merged = merged
        self.data = merged.data if isinstance(merged.data, dict) else {}
        self.lax = lax  # numbers written as strings count, as pydantic's lax mode reads them (kimi-cli)

    def value(self, path: Path) -> Any:
        return get_path(self.data, path)

    def table(self, path: Path) -> dict:
        found = self.value(path)
        return found if isinstance(found, dict) else {}

    def source(self, path: Path) -> Source:
        return Source(SETTING, format_path(path), self.merged.origin(path), tuple(path))

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
        with them (cfglint.numbers)."""
        value = self.value(path)
        if self.lax and isinstance(value, str):
            value = facts.lax_number(value)
        if numbers.finite(value) is not None:
            return setting(value, self.merged.origin(path), path)
        return None

    def text(self, path: Path) -> str | None:
        value = self.value(path)
        return value if isinstance(value, str) and value else None


@dataclass
class _Model:
    """One model as the harness will run it, whether from `[models.<alias>]` or the environment."""

    alias: str
    model_id: str | None
    provider: str | None          # configured provider name
    lookup_provider: str | None   # provider name for the registry lookup
    wire: str | None              # provider type (or the model's `protocol`)
    base_url: str | None
    source: Source
    window: Quantity | None
    input_size: Quantity | None = None
    output_size: Quantity | None = None
    effects: list[Effect] = field(default_factory=list)
    env: list[EnvUse] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Run:
    """What every model of one resolve call shares."""

    inp: ResolveInput
    dialect: str
    harness: str
    version: Version
    config: _Config

    def models(self) -> Iterator[tuple[str, dict]]:
        """`[models.<alias>]` tables: default_model first, then file order; `inp.model` restricts."""
        models = {alias: m for alias, m in self.config.table(("models",)).items() if isinstance(m, dict)}
        first = self.config.text(("default_model",))
        order = ([first] if first in models else []) + [alias for alias in models if alias != first]
        for alias in order:
            if self.inp.model is None or self.inp.model == alias:
                yield alias, models[alias]


def _model_field(config: _Config, alias: str, key: str, with_overrides: bool) -> Quantity | None:
    """A model's integer field; Kimi Code's `[models.<alias>.overrides]` wins at runtime."""
    if with_overrides:
        found = config.integer(("models", alias, "overrides", key))
        if found is not None:
            return found
    return config.integer(("models", alias, key))


def _provider_env_effects(config: _Config, provider: str, names: tuple[str, ...], why: str) -> list[Effect]:
    """CMP004 for each budget variable written in `[providers.<provider>.env]`."""
    env_block = config.table(("providers", provider, "env"))
    return [
        Effect("CMP004", f"`{name}` in [providers.{provider}.env] has no effect: {why}",
               config.source(("providers", provider, "env", name)),
               fix=f"remove it from the provider's env table and set {name} in the environment that launches the harness",
               details={"variable": name})
        for name in names if name in env_block
    ]


# --- environment ---------------------------------------------------------------------------


@dataclass
class _EnvCap:
    """The output-cap variable the harness uses (KIMI_MODEL_MAX_COMPLETION_TOKENS, else
    KIMI_MODEL_MAX_TOKENS) and a record of every one consulted."""

    value: int | None = None
    var: EnvValue | None = None
    use: EnvUse | None = None
    uses: list[EnvUse] = field(default_factory=list)

    @property
    def opt_out(self) -> bool:
        return self.value is not None and self.value <= 0

    def terms(self) -> list[_Term] | None:
        """The cap as request terms: None when no variable decides, [] for the opt-out (no cap)."""
        if self.var is None:
            return None
        return [] if self.opt_out else [_Term(self.value, self.var.source(), self.var.name)]

    def mark_changed(self, fields: list[str]) -> None:
        if self.use is not None and fields:
            self.use.changed = ", ".join(fields)


def _read_env_cap(env: Environment, harness: str) -> _EnvCap:
    """KIMI_MODEL_MAX_COMPLETION_TOKENS, else KIMI_MODEL_MAX_TOKENS: the first that parses wins; an
    unparsable one is ignored (ENV001 error), an empty one counts as unset, one at or below 0 is
    the documented opt-out (ENV001 info)."""
    cap = _EnvCap()
    for name in (COMPLETION_VAR, MAX_TOKENS_VAR):
        var = env.get(name)
        if var is None:
            continue
        parsed = parse_env_cap(var.value)
        use = EnvUse(name, var.value, parsed, env=var)
        cap.uses.append(use)
        if cap.var is not None or not var.value.strip():
            continue
        if parsed is None:
            use.problem = (f"{name}={var.value!r} is not an integer (`^-?[0-9]+$` after trimming): "
                           f"{harness} ignores it")
            use.severity = Severity.ERROR
            use.fix = f"write a plain integer, e.g. {name}=131072"
            continue
        if parsed <= 0:
            use.problem = (f"{name}={var.value.strip()} is the documented opt-out: {harness} sends no output "
                           "cap of its own (fixed provider ceilings still apply)")
            use.severity = Severity.INFO
        cap.value, cap.var, cap.use = parsed, var, use
    return cap


def _changed_by(env_cap: _EnvCap, budget: Budget) -> list[str]:
    """The output numbers the cap variable decided (all of them for the opt-out, which removes the cap)."""
    if env_cap.var is None:
        return []
    paths = (("max_tokens_normal", budget.max_tokens_normal), ("max_tokens_compaction", budget.max_tokens_compaction))
    return [name for name, q in paths if env_cap.opt_out or (q is not None and q.source == env_cap.var.source())]


def _python_int(raw: str) -> int | None:
    """`int(raw)` as kimi-cli calls it (whitespace, `+` and `_` allowed), None where it raises
    (and past a double, where kimi-cli's first `window × ratio` raises OverflowError)."""
    try:
        return numbers.finite(int(raw))
    except ValueError:
        return None


def _positive_env_int(env: Environment, name: str, changes: str) -> tuple[Quantity | None, EnvUse | None]:
    """A positive integer variable of the env-synthesised Kimi Code model; (None, use with problem) if bad."""
    var = env.get(name)
    if var is None:
        return None, None
    parsed = parse_env_cap(var.value)
    use = EnvUse(name, var.value, parsed, env=var)
    if parsed is None or parsed <= 0:
        use.problem = f"{name}={var.value!r} is not a positive integer: Kimi Code fails at start-up"
        use.severity = Severity.ERROR
        use.fix = f"set {name} to a positive integer or unset it"
        return None, use
    use.changed = changes
    return Quantity(parsed, var.source()), use


# --- the record ----------------------------------------------------------------------------


def _new_budget(run: _Run, model: _Model) -> Budget:
    """The fields every Kimi budget fills the same way: identity, registry, layers, fixes that
    do not depend on the dialect."""
    registry = run.inp.registry
    match = (registry.lookup(model.model_id, provider=model.lookup_provider, base_url=model.base_url)
             if model.model_id else None)
    budget = Budget(
        dialect=run.dialect, harness=run.harness, version=str(run.version), model=model.alias,
        model_id=model.model_id, provider=model.provider, model_source=model.source, registry=match,
        declared_limits=True,
        layers=[doc.display_path for doc in run.inp.merged.layers],
        env=list(model.env), effects=list(model.effects), notes=list(model.notes),
    )
    if match is not None:
        if model.provider == MANAGED_PROVIDER:
            # Kimi Code rewrites a managed model's max_context_size from the provider's own /models
            # `context_length` on every login and refresh (toManagedModelAlias): newer than any snapshot.
            budget.notes.append(f"managed model: max_context_size comes from the provider's /models API, "
                                f"not compared with the registry's context ({_n(match.context) if match.context else 'unknown'})")
        else:
            budget.model_context = from_registry(match.context, match, registry, "context")
        budget.model_input = from_registry(match.input, match, registry, "input")
        budget.model_output = from_registry(match.output, match, registry, "output")
        retired = status_effect(match, model.source, retired_severity=Severity.WARNING)
        if retired is not None:
            budget.effects.append(retired)
    if budget.model_context is not None:
        budget.fixes["REG003"] = f"lower max_context_size to {_n(budget.model_context.value)}"
    return budget


def _no_window(budget: Budget, model: _Model, why: str) -> Budget:
    """A model the harness refuses to run: no trigger, and no compaction finding either (the
    schema rules report the cause)."""
    budget.trigger = Quantity(None, model.window.source if model.window else model.source)
    budget.headroom_applies = False
    budget.trigger_reason = why
    budget.notes.append(why)
    return budget


def _headroom(hard_limit: Quantity, trigger: Quantity) -> Quantity:
    value = hard_limit.value - trigger.value
    return Quantity(value, trigger.source, f"{_n(hard_limit.value)} - {_n(trigger.value)} = {_n(value)}")


def _output_limit_text(budget: Budget, fallback: Quantity | None = None) -> str:
    """The model's output limit for fix texts: the registry's, else `fallback`, else a placeholder."""
    known = budget.model_output or fallback
    return str(known.value) if known is not None else "<model output limit>"


def _reserve_fix(budget: Budget, limit_name: str, cap_fix: str) -> None:
    """CMP001: a reserve of one full reply keeps the trigger that far below the limit. A reserve
    above half the limit would compact most of the window away, so a larger cap comes down first."""
    cap = budget.max_tokens_normal.value if budget.max_tokens_normal else None
    if cap is None:
        return
    half = budget.hard_limit.value // 2
    if cap <= half:
        budget.fixes["CMP001"] = (f"set loop_control.reserved_context_size = {cap} (or more), so compaction starts "
                                  f"one full reply ({_n(cap)} tokens) below the {limit_name}")
    else:
        budget.fixes["CMP001"] = (f"lower the output cap of {_n(cap)} to at most {_n(half)} ({cap_fix} or less), "
                                  "then set loop_control.reserved_context_size to that value")


def _clamped_default_cap(budget: Budget, clamps: bool) -> bool:
    """True when no output cap is configured and the request is clamped to the room left in the
    window: the default cap (the whole window, or a provider ceiling) then never overflows, and
    no reply the user asked for is cut short, so CMP001 does not apply."""
    return clamps and budget.configured_output is None


# --- Kimi Code -------------------------------------------------------------------------------


def resolve_kimi_code(inp: ResolveInput) -> list[Budget]:
    """One budget per Kimi Code model: the env-synthesised model first when KIMI_MODEL_NAME is
    set (Kimi Code selects it before `default_model`), then `default_model`, then file order."""
    run = _Run(inp, KIMI_CODE.dialect, KIMI_CODE.title, KIMI_CODE.version(inp.version), _Config(inp.merged))
    flag = inp.env.get(LEGACY_FLAG_VAR)
    legacy = KIMI_CODE.legacy_engine(run.version, {LEGACY_FLAG_VAR: flag.value} if flag else {})
    engine_uses = []
    if flag is not None:
        engine_uses.append(EnvUse(LEGACY_FLAG_VAR, flag.value, flag.value.strip() == "1", env=flag,
                                  changed="engine" if legacy and run.version >= "0.33.0" else None))

    models: list[_Model] = []
    env_model, env_problems = _kimi_code_env_model(run)
    if env_model is not None and inp.model in (None, ENV_MODEL_ALIAS):
        models.append(env_model)
    for alias, table in run.models():
        model = _kimi_code_file_model(run, alias, table)
        model.env.extend(env_problems)
        models.append(model)

    budgets = []
    for model in models:
        model.env[:0] = engine_uses
        budgets.append(_kimi_code_budget(run, model, legacy))
    return budgets


def _kimi_code_file_model(run: _Run, alias: str, table: dict) -> _Model:
    """A `[models.<alias>]` entry with its provider: the wire type is the model's `protocol`, else
    the provider `type`; the base URL is the provider's, the model's own with `protocol`, else the
    `[providers.x.env]` fallback (session/provider-manager.ts, kosongConfig/configSection.ts)."""
    config = run.config
    provider = table.get("provider") if isinstance(table.get("provider"), str) else None
    provider_table = config.table(("providers", provider)) if provider else {}
    protocol = config.text(("models", alias, "protocol"))
    wire = protocol or (provider_table.get("type") if isinstance(provider_table.get("type"), str) else None)
    base_url = (config.text(("models", alias, "base_url")) if protocol else None) or \
        (provider_table.get("base_url") if isinstance(provider_table.get("base_url"), str) else None)
    env_block = provider_table.get("env") if isinstance(provider_table.get("env"), dict) else {}
    if not base_url and isinstance(env_block.get(_ENV_BLOCK_BASE_URL.get(wire or "")), str):
        base_url = env_block[_ENV_BLOCK_BASE_URL[wire]]
    model = _Model(
        alias=alias,
        model_id=table.get("model") if isinstance(table.get("model"), str) else None,
        provider=provider, lookup_provider=provider, wire=wire, base_url=base_url or None,
        source=config.source(("models", alias)),
        window=_model_field(config, alias, "max_context_size", True),
        input_size=_model_field(config, alias, "max_input_size", True),
        output_size=_model_field(config, alias, "max_output_size", True),
    )
    if provider:
        model.effects = _provider_env_effects(
            config, provider, _KIMI_CODE_BUDGET_VARS,
            "Kimi Code reads only credential and base-URL fallbacks there, and budget variables only from "
            "the environment")
    return model


def _kimi_code_env_model(run: _Run) -> tuple[_Model | None, list[EnvUse]]:
    """The model Kimi Code synthesises from KIMI_MODEL_NAME (alias `__kimi_env_model__`, provider
    `__kimi_env__`; harness-kimi.md 4.1, 6.1). It is simple enough to budget: window
    KIMI_MODEL_MAX_CONTEXT_SIZE (default 262,144), max_output_size KIMI_MODEL_MAX_OUTPUT_SIZE,
    type KIMI_MODEL_PROVIDER_TYPE (default `kimi`), and the file's `[loop_control]`. When one of
    the size variables is not a positive integer Kimi Code fails at start-up: no budget then, the
    problem is returned to be shown on every file model."""
    env = run.inp.env
    name = env.get("KIMI_MODEL_NAME")
    if name is None or not name.value.strip():
        return None, []
    window, window_use = _positive_env_int(env, "KIMI_MODEL_MAX_CONTEXT_SIZE", "env model window")
    output, output_use = _positive_env_int(env, "KIMI_MODEL_MAX_OUTPUT_SIZE", "env model max_output_size")
    uses = [u for u in (window_use, output_use) if u is not None]
    if any(u.problem for u in uses):
        return None, [u for u in uses if u.problem]
    kind = env.get("KIMI_MODEL_PROVIDER_TYPE")
    base_url = env.get("KIMI_MODEL_BASE_URL")
    model = _Model(
        alias=ENV_MODEL_ALIAS, model_id=name.value.strip(), provider=ENV_PROVIDER, lookup_provider=None,
        wire=kind.value.strip() if kind and kind.value.strip() else "kimi",
        base_url=base_url.value.strip() if base_url and base_url.value.strip() else None,
        source=name.source(),
        window=window or default(ENV_MODEL_WINDOW, "Kimi Code env model window 262,144 "
                                                   "(KIMI_MODEL_MAX_CONTEXT_SIZE unset)"),
        output_size=output,
        env=[EnvUse("KIMI_MODEL_NAME", name.value, name.value.strip(), changed="selects the env model", env=name),
             *uses],
        notes=["KIMI_MODEL_NAME is set: Kimi Code synthesises `__kimi_env_model__` and selects it before "
               "default_model (unless -m names another)"],
    )
    for var in (kind, base_url):
        if var is not None:
            model.env.append(EnvUse(var.name, var.value, var.value.strip(), changed="env model provider", env=var))
    return model, []


def _kimi_code_loop(run: _Run, legacy: bool) -> tuple[Quantity, Quantity, list[Effect]]:
    """(trigger ratio, reserve, CMP004 effects) for the engine: the legacy engine fixes the ratio at
    0.85 (`full.ts` overrides only reservedContextSize); v2 reads `compaction_trigger_ratio`."""
    config = run.config
    written = config.ratio(RATIO_PATH)
    reserved = config.integer(RESERVED_PATH) or default(
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
            f"`compaction_trigger_ratio = {_r(written.value)}` has no effect: Kimi Code {run.version} runs the "
            "legacy engine, which never reads it and compacts at a fixed ratio of 0.85",
            written.source,
            fix=("remove it, or target Kimi Code >= 0.33.0 without KIMI_CODE_LEGACY_FLAG=1 (the v2 engine reads it)"),
            details={"setting": written.value, "effective": DEFAULT_TRIGGER_RATIO},
        ))
    return ratio, reserved, effects


def _kimi_code_threshold(limit: Quantity, ratio: Quantity, reserved: Quantity) -> tuple[Quantity, str, str]:
    """(tokens, rule, reason) of one Kimi Code threshold (trigger or block) with provenance."""
    tokens, rule = kimi_code_trigger(limit.value, ratio.value, reserved.value)
    at_ratio = ratio_threshold(limit.value, ratio.value)
    ratio_text = f"ceil({_n(limit.value)} × {_r(ratio.value)}) = {_n(at_ratio)}"
    reserve_text = f"{_n(limit.value)} - {_n(reserved.value)} = {_n(limit.value - reserved.value)}"
    if rule == "reserve":
        return (Quantity(tokens, reserved.source, reserve_text), rule,
                f"reserve rule {reserve_text} fires before the ratio rule {ratio_text}")
    if reserved.value <= 0:
        other = "the reserve rule is off (reserved_context_size 0)"
    elif reserved.value >= limit.value:
        other = f"the reserve rule is disabled (reserve {_n(reserved.value)} >= {_n(limit.value)})"
    else:
        other = f"the reserve rule {reserve_text} fires later"
    return Quantity(tokens, ratio.source, ratio_text), rule, f"ratio rule {ratio_text} fires first; {other}"


def _kimi_code_budget(run: _Run, model: _Model, legacy: bool) -> Budget:
    budget = _new_budget(run, model)
    budget.notes.insert(0, f"Kimi Code {run.version}: " + (
        "legacy engine (agent-core)" + (" selected by KIMI_CODE_LEGACY_FLAG=1" if run.version >= "0.33.0" else "")
        if legacy else "v2 engine (agent-core-v2)"))
    if model.window is None or model.window.value <= 0:
        return _no_window(budget, model, "no positive max_context_size: Kimi Code refuses to resolve this model")
    window = budget.window = model.window
    budget.input_cap = _kimi_code_input_cap(budget, model)
    limit = budget.hard_limit = budget.input_cap or window

    ratio, reserved, loop_effects = _kimi_code_loop(run, legacy)
    budget.effects.extend(loop_effects)
    budget.trigger, budget.trigger_rule, budget.trigger_reason = _kimi_code_threshold(limit, ratio, reserved)
    if legacy:
        budget.trigger_reason += " (the legacy engine fixes the ratio at 0.85)"
    # Both engines block the turn at blockRatio = max(trigger ratio, 0.85) (the legacy ratio is 0.85 anyway).
    block_ratio = ratio if ratio.value >= DEFAULT_TRIGGER_RATIO else default(
        DEFAULT_TRIGGER_RATIO, "Kimi Code blockRatio 0.85 (max(compaction_trigger_ratio, 0.85))")
    budget.block_at = _kimi_code_threshold(limit, block_ratio, reserved)[0]
    budget.headroom = _headroom(limit, budget.trigger)
    if reserved.source.kind == SETTING and reserved.value >= limit.value:
        budget.effects.append(Effect(
            "CMP004",
            f"`reserved_context_size = {_n(reserved.value)}` has no effect: it is not below the "
            f"{_limit_name(budget)} ({_n(limit.value)}), so Kimi Code disables the reserve rule and compacts "
            f"at the ratio rule only ({_n(budget.trigger.value)} tokens)",
            reserved.source, fix=f"set reserved_context_size below {_n(limit.value)}, or remove it",
            details={"reserved": reserved.value, "limit": limit.value},
        ))

    _kimi_code_output(run, budget, model, legacy)
    tail = math.floor(limit.value * KEPT_TAIL_RATIO)
    budget.kept_tail = Quantity(tail, limit.source, f"floor({_n(limit.value)} × {KEPT_TAIL_RATIO}) = {_n(tail)} "
                                                    "(maxRecentSizeRatio; at most 4 recent messages)")
    budget.post_compaction_floor = Quantity(tail, limit.source, f"kept tail {_n(tail)} + no summary budget")
    if legacy:
        budget.notes.append("kept tail: the sheet states maxRecentSizeRatio 0.2 for the v2 engine; "
                            "cfglint assumes the same for the legacy engine")
    budget.fixes["CMP006"] = (f"lower loop_control.reserved_context_size below {_n(limit.value - tail)}, so the "
                              "trigger stays above the tail kept after compaction")
    _reserve_fix(budget, _limit_name(budget), budget.fixes["CMP005.normal"])
    return budget


def _limit_name(budget: Budget) -> str:
    return "input cap (max_input_size)" if budget.input_cap is not None else "window (max_context_size)"


def _kimi_code_input_cap(budget: Budget, model: _Model) -> Quantity | None:
    """`max_input_size`, clamped to `max_context_size` (docs): the clamp is a CMP004 info."""
    size, window = model.input_size, model.window
    if size is None or size.value <= 0:
        return None
    if size.value <= window.value:
        return size
    budget.effects.append(Effect(
        "CMP004",
        f"`max_input_size = {_n(size.value)}` is above `max_context_size = {_n(window.value)}`: Kimi Code "
        f"clamps it to {_n(window.value)}",
        size.source, severity=Severity.INFO, fix=f"set max_input_size to at most {window.value}, or remove it",
        details={"max_input_size": size.value, "max_context_size": window.value},
    ))
    return Quantity(window.value, size.source,
                    f"min(max_input_size {_n(size.value)}, max_context_size {_n(window.value)}) = {_n(window.value)}")


def _kimi_code_output(run: _Run, budget: Budget, model: _Model, legacy: bool) -> None:
    """max_tokens on the normal path, at the trigger and on the compaction path (harness-kimi.md 5.2)."""
    version, window = run.version, model.window
    env_cap = _read_env_cap(run.inp.env, "Kimi Code")
    budget.env.extend(env_cap.uses)
    output = _Term(model.output_size.value, model.output_size.source, "max_output_size") if model.output_size else None
    whole_window = _Term(window.value, window.source, "max_context_size")

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
            default_cap = _Term(COMPACTION_DEFAULT_CAP, Source(DEFAULT, "Kimi Code DEFAULT_COMPACTION_MAX_COMPLETION_"
                                                                        "TOKENS 131,072"), "compaction default")
            compaction_caps = [output] if output is not None else [whole_window, default_cap]
        else:
            compaction_caps = [_Term(window.value, window.source, "max_context_size (bug #834)")]

    def request(caps: list[_Term], used: int | None = None) -> list[_Term]:
        return _request_terms(caps, wire=model.wire, version=version, legacy=legacy, model_id=model.model_id or "",
                              output_size=output, window=window.value, used=used, used_source=budget.trigger.source)

    unsent = Quantity(None, env_cap.var.source() if env_cap.var else window.source,
                      "no max_tokens sent (no cap and no provider ceiling)")
    budget.max_tokens_normal = _term_quantity(request(normal_caps), unsent)
    budget.max_tokens_at_trigger = _term_quantity(request(normal_caps, budget.trigger.value), unsent)
    budget.max_tokens_compaction = _term_quantity(request(compaction_caps), unsent)
    budget.configured_output = _kimi_code_configured_output(env_cap, output, version, model.wire)
    budget.compaction_note = (
        "compaction request: the env cap, else max_output_size, else min(max_context_size, 131,072); provider "
        "ceilings apply, no remaining-window clamp (>= 0.20.2, #1129/#1156)" if fixed else
        f"compaction request before 0.20.2 (bug #834): max_output_size is not passed, so it asks for the whole "
        f"window unless {COMPLETION_VAR} is set" + ("; the openai ceiling caps it from 0.20.1"
                                                   if model.wire == "openai" and version >= KC_OPENAI_CEILING_FROM else ""))
    env_cap.mark_changed(_changed_by(env_cap, budget))
    # A model without a usable wire type sends no request at all (SCH004/SCH005 report why).
    budget.headroom_applies = model.wire in facts.wire_types() and not _clamped_default_cap(
        budget, _clamps_to_remaining(model.wire, version, legacy))
    _kimi_code_wire_notes(budget, model, version, env_cap)
    _kimi_code_output_fixes(budget, model, env_cap, fixed)


def _kimi_code_configured_output(env_cap: _EnvCap, output: _Term | None, version: Version,
                                 wire: str | None) -> Quantity | None:
    """The output cap written in the config or env that reaches a request (REG002)."""
    if env_cap.var is not None and not env_cap.opt_out:
        return Quantity(env_cap.value, env_cap.var.source())
    if output is None or version < KC_OUTPUT_SIZE_ON_STEPS_FROM:
        return None
    if env_cap.opt_out and not (wire == "anthropic" and version >= KC_ANTHROPIC_AS_IS_FROM):
        return None  # the opt-out drops max_output_size too; only the anthropic default still uses it
    return Quantity(output.value, output.source)


def _kimi_code_wire_notes(budget: Budget, model: _Model, version: Version, env_cap: _EnvCap) -> None:
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


def _kimi_code_output_fixes(budget: Budget, model: _Model, env_cap: _EnvCap, fixed: bool) -> None:
    """Fix texts for the output rules: change the variable when it decides (a value <= 0 removes
    every cap, so max_output_size would not help), else max_output_size."""
    limit = _output_limit_text(budget, model.output_size)
    if env_cap.var is not None:
        normal = f"set {env_cap.var.name}={limit}"
    elif model.alias == ENV_MODEL_ALIAS:
        normal = f"set KIMI_MODEL_MAX_OUTPUT_SIZE={limit}"
    else:
        normal = f"set max_output_size = {limit} in [models.\"{model.alias}\"]"
    budget.fixes["CMP005.normal"] = budget.fixes["REG002"] = normal
    budget.fixes["CMP005.compaction"] = normal if fixed else f"upgrade to >= 0.20.2 or set {COMPLETION_VAR}={limit}"


# --- kimi-cli ---------------------------------------------------------------------------------


def resolve_kimi_cli(inp: ResolveInput) -> list[Budget]:
    """One budget per kimi-cli model, `default_model` first, then file order."""
    run = _Run(inp, KIMI_CLI.dialect, KIMI_CLI.title, KIMI_CLI.version(inp.version),
               _Config(inp.merged, lax=facts.kimi_cli_facts()["coercion"] == "pydantic-lax"))
    return [_kimi_cli_budget(run, _kimi_cli_model(run, alias, table)) for alias, table in run.models()]


def _kimi_cli_model(run: _Run, alias: str, table: dict) -> _Model:
    """A `[models.<alias>]` entry after `llm.py::augment_provider_with_env_vars`: for a `kimi`
    provider KIMI_BASE_URL, KIMI_MODEL_NAME and KIMI_MODEL_MAX_CONTEXT_SIZE replace the file's
    values; for `openai_*` OPENAI_BASE_URL replaces the base URL."""
    config, env = run.config, run.inp.env
    provider = table.get("provider") if isinstance(table.get("provider"), str) else None
    provider_table = config.table(("providers", provider)) if provider else {}
    wire = provider_table.get("type") if isinstance(provider_table.get("type"), str) else None
    model = _Model(
        alias=alias,
        model_id=table.get("model") if isinstance(table.get("model"), str) else None,
        provider=provider, lookup_provider=provider, wire=wire,
        base_url=provider_table.get("base_url") if isinstance(provider_table.get("base_url"), str) else None,
        source=config.source(("models", alias)),
        window=config.integer(("models", alias, "max_context_size")),
    )
    if provider:
        model.effects = _provider_env_effects(
            config, provider, _KIMI_CLI_BUDGET_VARS,
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


def _kimi_cli_loop(run: _Run) -> tuple[Quantity | None, Quantity]:
    """(trigger ratio or None, reserve) by version: the reserve is a fixed 50,000 before 0.82
    and the ratio rule exists from 1.17.0 (the harness unit reports the unknown keys, SCH002)."""
    config, version = run.config, run.version
    ratio = None
    if version >= CLI_RATIO_FROM:
        ratio = config.ratio(RATIO_PATH) or default(DEFAULT_TRIGGER_RATIO, "kimi-cli compaction_trigger_ratio "
                                                                           "default 0.85")
    if version < CLI_RESERVED_FROM:
        return ratio, default(DEFAULT_RESERVED, f"kimi-cli {version} RESERVED_TOKENS 50,000 (fixed before 0.82)")
    return ratio, config.integer(RESERVED_PATH) or default(DEFAULT_RESERVED, "kimi-cli reserved_context_size "
                                                                                "default 50,000")


def _kimi_cli_budget(run: _Run, model: _Model) -> Budget:
    budget = _new_budget(run, model)
    if model.window is None:
        return _no_window(budget, model, "no integer max_context_size: kimi-cli rejects the model")
    window = budget.window = budget.hard_limit = model.window
    ratio, reserved = _kimi_cli_loop(run)
    tokens, rule = kimi_cli_trigger(window.value, ratio.value if ratio else None, reserved.value)
    reserve_text = f"{_n(window.value)} - {_n(reserved.value)} = {_n(window.value - reserved.value)}"
    ratio_text = (f"ceil({_n(window.value)} × {_r(ratio.value)}) = {_n(ratio_threshold(window.value, ratio.value))}"
                  if ratio else "")
    budget.trigger_rule = rule
    budget.every_step = tokens <= 0
    if rule == "reserve":
        budget.trigger = Quantity(tokens, reserved.source, reserve_text + (" <= 0" if tokens <= 0 else ""))
        budget.trigger_reason = (f"reserve rule T + {_n(reserved.value)} >= {_n(window.value)}: "
                                 + (f"{reserve_text}, at or below 0, so every step compacts" if budget.every_step
                                    else f"fires at {reserve_text}")
                                 + (f", before the ratio rule {ratio_text}" if ratio else
                                    f" (kimi-cli {run.version} has no ratio rule)"))
    else:
        budget.trigger = Quantity(tokens, ratio.source, ratio_text)
        budget.trigger_reason = f"ratio rule {ratio_text} fires before the reserve rule {reserve_text}"
    if run.version < CLI_RESERVED_FROM and window.value < DEFAULT_RESERVED:
        budget.notes.append(f"kimi-cli {run.version} asserts 50,000 <= max_context_size: with "
                            f"{_n(window.value)} every step fails")
    budget.headroom = _headroom(window, budget.trigger)
    if budget.every_step:
        budget.fixes["CMP003"] = (f"set loop_control.reserved_context_size below max_context_size ({_n(window.value)}); "
                                  "the default is 50,000" if window.value > 0 else "set a positive max_context_size")
    budget.notes.append("kimi-cli: harness-kimi.md does not state the tail kept after compaction (kept tail unknown)")
    _kimi_cli_output(run, budget, model, reserved)
    _reserve_fix(budget, "window (max_context_size)", budget.fixes.get("CMP005.normal", "lower the output cap"))
    return budget


def _kimi_cli_output(run: _Run, budget: Budget, model: _Model, reserved: Quantity) -> None:
    """kimi-cli max_tokens (harness-kimi.md 5.3): window-aware for a Kimi provider from 1.49.0,
    a fixed 32,000 (or KIMI_MODEL_MAX_TOKENS) before; Anthropic 50,000; other types send none."""
    version, env = run.version, run.inp.env
    if model.wire == "anthropic":
        fixed = default(CLI_ANTHROPIC_DEFAULT, "kimi-cli Anthropic default_max_tokens 50,000 (llm.py)")
        budget.max_tokens_normal = budget.max_tokens_at_trigger = budget.max_tokens_compaction = fixed
        return
    if model.wire != "kimi":
        budget.notes.append(f"kimi-cli sends no max_tokens for provider type `{model.wire}` (provider default)")
        return
    if version < CLI_WINDOW_AWARE_FROM:
        _kimi_cli_fixed_output(budget, env, version)
        return

    env_cap = _read_env_cap(env, "kimi-cli")
    budget.env.extend(env_cap.uses)
    if env_cap.opt_out:
        unsent = Quantity(None, env_cap.var.source(), f"no max_tokens override ({env_cap.var.name} <= 0)")
        budget.max_tokens_normal = budget.max_tokens_at_trigger = budget.max_tokens_compaction = unsent
        env_cap.mark_changed(_changed_by(env_cap, budget))
        return
    caps = env_cap.terms()
    budget_term = caps[0] if caps else None
    window = _Term(budget.window.value, budget.window.source, "max_context_size")
    reserve = _Term(reserved.value, reserved.source, "reserved_context_size")
    at_trigger = budget.trigger.value if not budget.every_step else 0
    budget.max_tokens_normal = _term_quantity(_cli_cap_terms(window, reserve, budget_term, 0))
    budget.max_tokens_at_trigger = _term_quantity(_cli_cap_terms(window, reserve, budget_term, at_trigger))
    budget.max_tokens_compaction = budget.max_tokens_at_trigger
    budget.notes.append("kimi-cli's cap depends on the input estimate: max_tokens_normal is computed with floor = 0 "
                        f"(input = {_n(CLI_SAFETY_MARGIN)} with the safety margin)")
    budget.compaction_note = ("kimi-cli uses the step formula for compaction with the estimated compaction request "
                              "as floor; cfglint assumes that request is the context at the trigger")
    if env_cap.var is not None and budget.max_tokens_normal.source == env_cap.var.source():
        budget.configured_output = Quantity(env_cap.value, env_cap.var.source())
    budget.headroom_applies = not _clamped_default_cap(budget, clamps=True)  # the `window - input` term
    env_cap.mark_changed(_changed_by(env_cap, budget))
    fix = f"set {COMPLETION_VAR}={_output_limit_text(budget)}"
    budget.fixes["CMP005.normal"] = budget.fixes["CMP005.compaction"] = budget.fixes["REG002"] = fix


def _kimi_cli_fixed_output(budget: Budget, env: Environment, version: Version) -> None:
    """Before 1.49.0 the Kimi provider sends 32,000, or `int(KIMI_MODEL_MAX_TOKENS)`, with no clamp."""
    sent = default(CLI_KIMI_FIXED, f"kimi-cli {version} Kimi provider max_tokens 32,000 (kosong default)")
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
    budget.fixes["CMP005.normal"] = budget.fixes["CMP005.compaction"] = (
        f"set {MAX_TOKENS_VAR}={_output_limit_text(budget)}")
