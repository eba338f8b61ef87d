"""Claude Code resolver: window, auto-compact threshold, gate and output cap of the session model.

Facts: `harness-claude-code.md`. From 2.1.329 (the default target) the window, threshold and gate
of section 5.0 apply; earlier targets get the documented behaviour of 5.1-5.3 and 6. The release
in which each 5.0 change first shipped is unknown, so a target between the last documented release
and 2.1.329 gets the documented behaviour and a note saying so.

Claude Code runs one session model, so `resolve` returns one budget: `inp.model` (`--model`), else
`ANTHROPIC_MODEL`, else the `model` setting, else `ANTHROPIC_DEFAULT_MODEL` (2.1.236+), else the
`sonnet` alias of the identified provider. Variables come from the external environment with the
merged settings `env` block on top (the block wins, as in Claude Code), and every variable read is
recorded as an `EnvUse`, pointing into the file when the block set it.

How the rules tell the non-proactive cases apart (`trigger.value` is None in all three):
- `deliberate_off=True`: a switch-off (`DISABLE_COMPACT`, `DISABLE_AUTO_COMPACT`,
  `autoCompactEnabled: false`); CMP002 info, with a CMP002 effect.
- `trigger_rule == "reactive by design"` (and `headroom_applies=False`): a Claude model whose
  window source is "auto" compacts on the provider's prompt-too-long error by design; no CMP002
  and no CMP002 effect, only a note.
- `trigger_rule == "never"` otherwise: the gate keeps compaction off (CMP002 warning, with a
  CMP002 effect carrying the reason).
In every case the trigger's formula shows the threshold that would apply.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cfglint import numbers
from cfglint.budget import (
    DEFAULT,
    ENV,
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
from cfglint.document import Path, get_path
from cfglint.findings import Severity
from cfglint.harnesses.claude_code import ClaudeCode
from cfglint.versions import Version

# --- releases (harness-claude-code.md 5.0 and 6) -------------------------------------------------

CURRENT_RULES = Version.parse("2.1.329")      # 5.0 applies from here on
LAST_DOCUMENTED = Version.parse("2.1.296")    # newest release the older sources describe (section 1)
AUTO_COMPACT_ENABLED_READ = Version.parse("2.1.90")   # settings.json copy ignored before (#42817)
GATE_FIRST_SEEN = Version.parse("2.1.131")            # #56666
CLOUD_GATE = (Version.parse("2.1.154"), Version.parse("2.1.222"))      # Bedrock/Vertex (#64802)
GATEWAY_GATE = (Version.parse("2.1.161"), Version.parse("2.1.222"))    # ANTHROPIC_BASE_URL (#65585)
UNKNOWN_ENFORCEMENT_SWITCH = Version.parse("2.1.223")
MAX_CONTEXT_RESTRICTED = Version.parse("2.1.193")
NUMERIC_SPELLINGS = Version.parse("2.1.211")  # `2e3`, `64_000` accepted from here on
DEFAULT_MODEL_VARIABLE = Version.parse("2.1.236")
OPUS_4_8, SONNET_5, OPUS_5 = Version.parse("2.1.154"), Version.parse("2.1.197"), Version.parse("2.1.219")

# --- arithmetic constants (5.0, 5.2) --------------------------------------------------------------

RESERVE_CAP = 20_000          # MAX_OUTPUT_TOKENS_FOR_SUMMARY
BUFFER = 13_000               # AUTOCOMPACT_BUFFER_TOKENS
BLOCK_BUFFER = 3_000          # MANUAL_COMPACT_BUFFER_TOKENS
MIN_WINDOW = 100_000
MAX_WINDOW_BEFORE_329 = 1_000_000
DEFAULT_WINDOW = 200_000
ONE_M_WINDOW = 1_000_000
MIN_THINKING = 1_024

# --- Claude Code's catalog (5.0), keyed by canonical id --------------------------------------------

_CLAUDE_3 = ("claude-3-opus", "claude-3-sonnet", "claude-3-haiku", "claude-3-5-sonnet", "claude-3-5-haiku",
             "claude-3-7-sonnet")
NO_LONG_CONTEXT = ("claude-haiku-4-5", "claude-opus-4-0", "claude-opus-4-1", "claude-opus-4-5", *_CLAUDE_3)
LONG_CONTEXT_BETA = ("claude-sonnet-4-0", "claude-sonnet-4-5", "claude-sonnet-4-6", "claude-opus-4-6")
NATIVE_1M = ("claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "claude-opus-5-5", "claude-sonnet-5",
             "claude-sonnet-5-5", "claude-haiku-5-5", "claude-fable-5", "claude-fable-5-1", "claude-fable-5-2",
             "claude-mythos-5", "claude-mythos-5-1", "claude-mythos-5-2")
CATALOG_WINDOW = {**{m: DEFAULT_WINDOW for m in NO_LONG_CONTEXT + LONG_CONTEXT_BETA},
                  **{m: ONE_M_WINDOW for m in NATIVE_1M}}
# Gate on 2.1.329 with no window setting: these take the "model default" source (proactive);
# every other catalog model without a native 1M window is "auto" (reactive by design).
MODEL_DEFAULT_SOURCE = ("claude-sonnet-4-6", "claude-opus-4-6")

# {default, upper} max output tokens per model (5.0); unknown ids 32,000 / 128,000.
OUTPUT_LIMITS = {
    **dict.fromkeys(("claude-3-opus", "claude-3-haiku"), (4_096, 4_096)),
    **dict.fromkeys(("claude-3-sonnet", "claude-3-5-haiku", "claude-3-5-sonnet"), (8_192, 8_192)),
    **dict.fromkeys(("claude-opus-4-0", "claude-opus-4-1"), (32_000, 32_000)),
    **dict.fromkeys(("claude-3-7-sonnet", "claude-haiku-4-5", "claude-sonnet-4-0", "claude-sonnet-4-5",
                     "claude-opus-4-5"), (32_000, 64_000)),
    "claude-sonnet-4-6": (32_000, 128_000),
    **dict.fromkeys(("claude-opus-4-6", "claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "claude-sonnet-5",
                     "claude-fable-5", "claude-fable-5-1", "claude-mythos-5", "claude-mythos-5-1"), (64_000, 128_000)),
    **dict.fromkeys(("claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5", "claude-fable-5-2",
                     "claude-mythos-5-2"), (128_000, 128_000)),
}
UNKNOWN_OUTPUT = (32_000, 128_000)

# Releases before 2.1.329 with no window setting (5.3, docs 2026-08-22): these compact proactively
# at their window; other Claude models compact at the model's limit (reactively).
PROACTIVE_BEFORE_329 = ("claude-sonnet-4-6", "claude-opus-4-6", "claude-sonnet-5")
PROACTIVE_ON_CLOUD_BEFORE_329 = ("claude-opus-4-8", "claude-opus-5")   # on Bedrock/Vertex/Foundry

# --- variables --------------------------------------------------------------------------------------

AUTO_COMPACT_WINDOW = "CLAUDE_CODE_AUTO_COMPACT_WINDOW"
PCT_OVERRIDE = "CLAUDE_AUTOCOMPACT_PCT_OVERRIDE"
MAX_OUTPUT = "CLAUDE_CODE_MAX_OUTPUT_TOKENS"
MAX_CONTEXT = "CLAUDE_CODE_MAX_CONTEXT_TOKENS"
DISABLE_1M = "CLAUDE_CODE_DISABLE_1M_CONTEXT"
DISABLE_COMPACT = "DISABLE_COMPACT"
DISABLE_AUTO_COMPACT = "DISABLE_AUTO_COMPACT"
DISABLE_UNKNOWN_ENFORCEMENT = "CLAUDE_CODE_DISABLE_UNKNOWN_MODEL_WINDOW_ENFORCEMENT"
BLOCKING_OVERRIDE = "CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE"
MAX_THINKING = "MAX_THINKING_TOKENS"

# Provider switches in the order Claude Code tests them: (variable, kind, registry provider).
# Microsoft Foundry serves Claude as the registry's `azure` provider.
PROVIDER_SWITCHES = (
    ("CLAUDE_CODE_USE_BEDROCK", "bedrock", "amazon-bedrock"),
    ("CLAUDE_CODE_USE_VERTEX", "vertex", "google-vertex"),
    ("CLAUDE_CODE_USE_FOUNDRY", "foundry", "azure"),
)
PROVIDER_TITLES = {"anthropic": "the Anthropic API", "gateway": "a third-party ANTHROPIC_BASE_URL",
                   "bedrock": "Bedrock", "vertex": "Google Cloud", "foundry": "Microsoft Foundry"}
FIRST_PARTY_HOST = "api.anthropic.com"
CLOUD_KINDS = ("bedrock", "vertex", "foundry")

ALIAS_VARIABLES = {family: f"ANTHROPIC_DEFAULT_{family.upper()}_MODEL"
                   for family in ("opus", "sonnet", "haiku", "fable")}
# Aliases that stand for another one in a normal (non-plan) session.
ALIAS_STANDS_FOR = {"best": "fable", "opusplan": "sonnet", "default": "sonnet"}
ALIAS_NOTES = {
    "best": "`best` is Fable 5 where available, else the latest Opus; cfglint takes Fable 5",
    "opusplan": "`opusplan` runs `opus` in plan mode and `sonnet` otherwise; cfglint resolves the session model",
    "default": "`default` is the account's runtime default, which cfglint cannot see; it assumes `sonnet`",
}

TRUTHY = frozenset({"1", "true", "yes", "on"})
ONE_M_SUFFIX = "[1m]"
REACTIVE_REASON = "compacts reactively at the model's limit by design"

COMPACTION_NOTE = "Claude Code does not document the summary request's max_tokens"


# --- small pure helpers ----------------------------------------------------------------------------

_REGION_PREFIX = re.compile(r"^(?:us|eu|apac|global|au|jp)\.")
_VERTEX_PIN = re.compile(r"@[^@]*$")
_BEDROCK_VERSION = re.compile(r"-v\d+(?::\d+)?$")
_DATE_SUFFIX = re.compile(r"-(?:\d{8}|latest)$")
_SHORT_NAMES = {"claude-opus-4": "claude-opus-4-0", "claude-sonnet-4": "claude-sonnet-4-0"}


def canonical_id(model_id: str) -> str:
    """Claude Code's catalog spelling of an id (5.0): lower case, no Bedrock region/vendor prefix or
    version, no Vertex pin, dashes for dots, no date; `claude-opus-4` is `claude-opus-4-0`."""
    text = _REGION_PREFIX.sub("", model_id.strip().lower()).removeprefix("anthropic.")
    text = _BEDROCK_VERSION.sub("", _VERTEX_PIN.sub("", text)).replace(".", "-")
    text = _DATE_SUFFIX.sub("", text)
    return _SHORT_NAMES.get(text, text)


def split_one_m(model: str) -> tuple[str, bool]:
    """Strip the `[1m]` suffix (any case) and say whether it was there."""
    if model.lower().endswith(ONE_M_SUFFIX):
        return model[: -len(ONE_M_SUFFIX)], True
    return model, False


def truthy(raw: str | None) -> bool:
    """Claude Code's switch reading: 1/true/yes/on, any case."""
    return raw is not None and raw.strip().lower() in TRUTHY


_LEADING_INT = re.compile(r"[+-]?\d+")
_LEADING_FLOAT = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_PLAIN_DIGITS = re.compile(r"\d+")
_SUFFIXED = re.compile(r"(\d+(?:\.\d+)?)([km])", re.IGNORECASE)
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?e\d+", re.IGNORECASE)
_GROUPED = re.compile(r"\d{1,3}(?:[,_]\d{3})+")
_UNDERSCORED = re.compile(r"\d{1,3}(?:_\d{3})+")


def parse_int(raw: str) -> int | None:
    """JavaScript `parseInt(raw, 10)`: the leading integer after trimming (`8k` -> 8), None for NaN
    and for Infinity (digits past a double; cfglint.numbers)."""
    match = _LEADING_INT.match(raw.strip())
    return numbers.integer(match.group()) if match else None


def parse_float(raw: str) -> float | None:
    """JavaScript `parseFloat`: the leading number (`50%` -> 50), None for NaN."""
    match = _LEADING_FLOAT.match(raw.strip())
    return float(match.group().replace("Infinity", "inf")) if match else None


def is_plain(raw: str) -> bool:
    return _PLAIN_DIGITS.fullmatch(raw.strip()) is not None


def parse_window(raw: str) -> int | None:
    """`CLAUDE_CODE_AUTO_COMPACT_WINDOW` as 2.1.329 reads it (5.0): `k`/`m` suffixes, integer
    scientific notation, 3-digit groups, else the leading integer. Also what a writer meant."""
    text = raw.strip()
    if match := _SUFFIXED.fullmatch(text):
        scaled = numbers.finite(float(match.group(1)) * (1_000 if match.group(2).lower() == "k" else 1_000_000))
        return None if scaled is None else round(scaled)
    if _SCIENTIFIC.fullmatch(text) and float(text).is_integer():
        return int(float(text))
    if _GROUPED.fullmatch(text):
        return numbers.integer(re.sub(r"[,_]", "", text))
    return parse_int(text)


def parse_numeric(raw: str, version: Version) -> int | None:
    """Other numeric variables (2.4): from 2.1.211 `2e3` and `64_000` are read as meant; before,
    only the leading digits (`1e6` -> 1)."""
    text = raw.strip()
    if version >= NUMERIC_SPELLINGS:
        if _SCIENTIFIC.fullmatch(text) and float(text).is_integer():
            return int(float(text))
        if _UNDERSCORED.fullmatch(text):
            return numbers.integer(text.replace("_", ""))
    return parse_int(text)


def host_of(url: str) -> str | None:
    """The host of a base URL (scheme optional); None when it cannot be parsed."""
    try:
        return urlsplit(url if "://" in url else "//" + url).hostname
    except ValueError:
        return None


def in_range(version: Version, bounds: tuple[Version, Version]) -> bool:
    return bounds[0] <= version <= bounds[1]


# --- one resolution ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    """Who serves the requests (5.1a); `source` is the variable that said so (None: first party)."""

    kind: str                    # anthropic | gateway | bedrock | vertex | foundry
    registry_name: str | None    # registry provider id for the lookup (None: identify by base URL)
    base_url: str | None = None
    source: Source | None = None

    @property
    def first_party(self) -> bool:
        return self.kind == "anthropic"


@dataclass(frozen=True)
class Model:
    """The session model: as configured, as sent, and as Claude Code's catalog knows it."""

    name: str          # as configured (alias or id, `[1m]` included)
    source: Source     # where it was configured
    sent_id: str       # id sent to the provider (alias resolved, `[1m]` dropped, modelOverrides applied)
    catalog_id: str    # canonical id Claude Code looks its catalog up with
    one_m: bool


@dataclass(frozen=True)
class Gate:
    """Whether compaction runs proactively: `state` is proactive | reactive | never | off."""

    state: str
    source: Source
    reason: str = ""
    fix: str = ""


@dataclass
class Run:
    """The inputs of one resolution and what it has collected (variables read, effects, notes)."""

    inp: ResolveInput
    version: Version
    env: Environment
    uses: dict[str, EnvUse] = field(default_factory=dict)
    effects: list[Effect] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def current(self) -> bool:
        """True when section 5.0 (2.1.329) applies."""
        return self.version >= CURRENT_RULES

    @property
    def data(self) -> dict:
        data = self.inp.merged.data
        return data if isinstance(data, dict) else {}

    def setting(self, path: Path) -> Any:
        return get_path(self.data, path)

    def setting_source(self, path: Path) -> Source:
        return setting(None, self.inp.merged.origin(path), path).source

    def setting_quantity(self, value: Any, path: Path, formula: str = "") -> Quantity:
        return Quantity(value, self.setting_source(path), formula)

    def raw(self, name: str) -> str | None:
        """The variable's text; empty counts as unset (an empty `env` entry cancels a shell export)."""
        value = self.env.value(name)
        return value if value is not None and value.strip() else None

    def source(self, name: str) -> Source:
        found = self.env.get(name)
        return found.source() if found else Source(ENV, name)

    def use(self, name: str, parsed: Any = None, *, changed: str | None = None, problem: str | None = None,
            severity: Severity | None = None, fix: str | None = None) -> None:
        """Record (or update) the EnvUse of a variable that is set."""
        found = self.uses.get(name)
        if found is None:
            found = self.uses[name] = EnvUse(name, self.env.value(name), parsed, env=self.env.get(name))
        if parsed is not None:
            found.parsed = parsed
        if changed:
            found.changed = changed
        if problem:
            found.problem, found.severity, found.fix = problem, severity or Severity.ERROR, fix

    def switch(self, name: str) -> bool:
        """A truthy switch, recorded when set."""
        raw = self.raw(name)
        if raw is None:
            return False
        self.use(name, truthy(raw))
        return truthy(raw)

    def effect(self, code: str, message: str, source: Source, severity: Severity, fix: str | None = None,
               **details: Any) -> None:
        self.effects.append(Effect(code, message, source, severity, fix, details))


def environment(inp: ResolveInput) -> tuple[Environment, list[str]]:
    """The external environment with the merged settings `env` block on top; each block value
    carries its file and key so findings point into the file. Non-string values are skipped."""
    block = get_path(inp.merged.data, ("env",))
    values: dict[str, EnvValue] = {}
    notes: list[str] = []
    for name, value in (block.items() if isinstance(block, dict) else ()):
        path = ("env", name)
        if isinstance(value, str):
            values[name] = EnvValue(name, value, "settings env block", inp.merged.origin(path), path)
        else:
            notes.append(f"env.{name} is not a string; Claude Code's settings schema rejects it, so cfglint skips it")
    return inp.env.overlay(values), notes


# --- provider and model -----------------------------------------------------------------------------------


def identify_provider(run: Run) -> Provider:
    """5.1a: Bedrock, Vertex, Foundry switches, else a non-Anthropic ANTHROPIC_BASE_URL, else first party."""
    for name, kind, registry_name in PROVIDER_SWITCHES:
        if run.switch(name):
            run.use(name, True, changed="provider")
            return Provider(kind, registry_name, None, run.source(name))
    base_url = run.raw("ANTHROPIC_BASE_URL")
    if base_url is None:
        return Provider("anthropic", "anthropic")
    base_url = base_url.strip()
    if host_of(base_url) == FIRST_PARTY_HOST:
        run.use("ANTHROPIC_BASE_URL", base_url)
        return Provider("anthropic", "anthropic", base_url)
    run.use("ANTHROPIC_BASE_URL", base_url, changed="provider")
    return Provider("gateway", None, base_url, run.source("ANTHROPIC_BASE_URL"))


def configured_model(run: Run) -> tuple[str, Source] | None:
    """The model as configured: ANTHROPIC_MODEL beats `model`; ANTHROPIC_DEFAULT_MODEL (2.1.236+)
    applies only when nothing sets one (2.3)."""
    if (raw := run.raw("ANTHROPIC_MODEL")) is not None:
        run.use("ANTHROPIC_MODEL", raw.strip())
        return raw.strip(), run.source("ANTHROPIC_MODEL")
    value = run.setting(("model",))
    if isinstance(value, str) and value.strip():
        return value.strip(), run.setting_source(("model",))
    if run.version >= DEFAULT_MODEL_VARIABLE and (raw := run.raw("ANTHROPIC_DEFAULT_MODEL")) is not None:
        run.use("ANTHROPIC_DEFAULT_MODEL", raw.strip())
        return raw.strip(), run.source("ANTHROPIC_DEFAULT_MODEL")
    return None


def session_model(run: Run, provider: Provider) -> Model:
    """`inp.model`, else the configured model, else the provider's `sonnet` alias (with a note)."""
    configured = configured_model(run)
    if run.inp.model:
        name = run.inp.model.strip()
        source = configured[1] if configured and configured[0] == name else Source(DEFAULT, "model named by --model")
    elif configured:
        name, source = configured
        if source.kind == ENV:
            run.use(source.label, changed="model")
    else:
        name = "sonnet"
        source = Source(DEFAULT, "Claude Code with no model set: the `sonnet` alias")
        run.notes.append(f"no model is set: cfglint uses the `sonnet` alias of {PROVIDER_TITLES[provider.kind]}")
    base, one_m = split_one_m(resolve_alias(run, name, provider))
    return apply_overrides(run, Model(name, source, base, canonical_id(base), one_m))


def resolve_alias(run: Run, name: str, provider: Provider) -> str:
    """An alias's target (5.1a; `ANTHROPIC_DEFAULT_*_MODEL` wins), `[1m]` kept; ids pass through."""
    base, one_m = split_one_m(name)
    alias = base.strip().lower()
    family = ALIAS_STANDS_FOR.get(alias, alias)
    if family not in ALIAS_VARIABLES:
        return name
    if alias in ALIAS_NOTES:
        run.notes.append(ALIAS_NOTES[alias])
    variable = ALIAS_VARIABLES[family]
    if (raw := run.raw(variable)) is not None:
        target = raw.strip()
        run.use(variable, target, changed="model")
        run.notes.append(f"`{name}` resolves to {target} ({variable})")
    else:
        target = builtin_alias(run, family, provider)
        run.notes.append(f"`{name}` resolves to {target} on {PROVIDER_TITLES[provider.kind]} "
                         f"(Claude Code {run.version})")
    return target if split_one_m(target)[1] or not one_m else target + ONE_M_SUFFIX


def builtin_alias(run: Run, family: str, provider: Provider) -> str:
    """The alias table of 5.1a; a gateway speaks the Anthropic API, so it takes that column.
    Targets the docs do not give for old releases are assumed (and noted)."""
    if family == "haiku":
        return "claude-haiku-4-5"
    if family == "fable":
        return "claude-fable-5"
    if family == "sonnet":
        if provider.kind in CLOUD_KINDS:
            return "claude-sonnet-4-5"
        if run.version >= SONNET_5:
            return "claude-sonnet-5"
        run.notes.append("Sonnet 5 needs 2.1.197+; the docs do not say what `sonnet` named before, "
                         "cfglint assumes Sonnet 4.6")
        return "claude-sonnet-4-6"
    if provider.kind == "foundry":
        return "claude-opus-4-6"
    if run.version >= OPUS_5:
        return "claude-opus-5"
    if run.version >= OPUS_4_8:
        return "claude-opus-4-8"
    run.notes.append("the docs do not say what `opus` named before 2.1.154; cfglint assumes Opus 4.6")
    return "claude-opus-4-6"


def apply_overrides(run: Run, model: Model) -> Model:
    """`modelOverrides` maps an Anthropic id to the provider's id: the key is what Claude Code
    knows (catalog), the value is what it sends; a configured value maps back onto its key."""
    overrides = run.setting(("modelOverrides",))
    if not isinstance(overrides, dict):
        return model
    for key, value in sorted(overrides.items()):
        if not isinstance(value, str):
            continue
        if canonical_id(key) == model.catalog_id:
            return Model(model.name, model.source, value, model.catalog_id, model.one_m)
        if value == model.sent_id:
            return Model(model.name, model.source, model.sent_id, canonical_id(key), model.one_m)
    return model


def recognised(run: Run, model: Model) -> bool:
    """2.1.329: in the catalog after canonicalisation; before: a `claude-` id (aliases resolve to one)."""
    if run.current:
        return model.catalog_id in CATALOG_WINDOW
    return model.catalog_id.startswith("claude-")


def lookup(run: Run, model: Model, provider: Provider) -> Any:
    """The registry entry of the served model (registry.md 7.2): Bedrock spells Claude ids
    `anthropic.<id>`; an id mapped by modelOverrides falls back to its Anthropic id."""
    registry = run.inp.registry

    def find(model_id: str) -> Any:
        if provider.kind == "bedrock" and model_id.lower().startswith("claude-"):
            model_id = "anthropic." + model_id
        return registry.lookup(model_id + (ONE_M_SUFFIX if model.one_m else ""),
                               provider=provider.registry_name, base_url=provider.base_url)

    match = find(model.sent_id)
    if not match.found and model.catalog_id != canonical_id(model.sent_id):
        match = find(model.catalog_id)
    return match


# --- windows -------------------------------------------------------------------------------------------


def plain_int_variable(run: Run, name: str) -> int | None:
    """A plain-integer variable (`8k` reads as 8): its positive value, recording ENV001 problems."""
    raw = run.raw(name)
    if raw is None:
        return None
    value = parse_int(raw)
    meant = parse_window(raw)
    if value is None or value <= 0:
        run.use(name, value, problem=f"`{raw}` is not a positive integer: Claude Code ignores it",
                fix=f"write {name} as a plain positive integer")
        return None
    if not is_plain(raw):
        run.use(name, value, problem=f"`{raw}` reads as {value:,} ({name} takes a plain integer)",
                fix=f"write {name}={meant}" if meant and meant != value else f"write {name} in digits only")
    else:
        run.use(name, value)
    return value


def max_context_given(run: Run) -> bool:
    """REG001: a positive CLAUDE_CODE_MAX_CONTEXT_TOKENS states the window itself."""
    use = run.uses.get(MAX_CONTEXT)
    return use is not None and isinstance(use.parsed, int) and use.parsed > 0


def max_context_applies(run: Run, is_claude: bool, one_m: bool, disable_1m: bool, disable_compact: bool) -> bool:
    """CLAUDE_CODE_MAX_CONTEXT_TOKENS (4, 5.0): on any id before 2.1.193; since, directly only on
    non-Claude ids without `[1m]`, on `[1m]` ones with CLAUDE_CODE_DISABLE_1M_CONTEXT, and on
    Claude ids with DISABLE_COMPACT."""
    if not run.current and run.version < MAX_CONTEXT_RESTRICTED:
        return True
    return disable_compact or (not is_claude and (not one_m or disable_1m))


def model_window(run: Run, model: Model, provider: Provider) -> Quantity:
    """kR: the window Claude Code assumes for the model (5.0; before 2.1.329: 5.1)."""
    max_context = plain_int_variable(run, MAX_CONTEXT)
    disable_1m = run.switch(DISABLE_1M)
    disable_compact = run.switch(DISABLE_COMPACT)
    is_claude = recognised(run, model)
    if max_context is not None:
        if max_context_applies(run, is_claude, model.one_m, disable_1m, disable_compact):
            run.use(MAX_CONTEXT, changed="model window")
            return Quantity(max_context, run.source(MAX_CONTEXT), f"{MAX_CONTEXT} = {max_context:,}")
        needs = DISABLE_COMPACT if is_claude else DISABLE_1M
        run.effect("CMP004", f"{MAX_CONTEXT} has no effect on `{model.name}` without {needs}",
                   run.source(MAX_CONTEXT), Severity.WARNING,
                   fix=f"set {AUTO_COMPACT_WINDOW} instead" if is_claude else f"also set {DISABLE_1M}=1 or drop `[1m]`")
    if model.one_m and not disable_1m:
        return Quantity(ONE_M_WINDOW, model.source, "`[1m]` suffix: 1,000,000")
    if not run.current and not provider.first_party:
        return Quantity(DEFAULT_WINDOW, provider.source or model.source,
                        "third-party providers resolve to 200,000 without `[1m]` (#65966)")
    catalog = CATALOG_WINDOW.get(model.catalog_id)
    if catalog is not None:
        if disable_1m and catalog > DEFAULT_WINDOW:
            run.use(DISABLE_1M, changed="model window")
            return Quantity(DEFAULT_WINDOW, run.source(DISABLE_1M), f"{DISABLE_1M}: {model.catalog_id} held to 200,000")
        return Quantity(catalog, model.source, f"Claude Code catalog: {model.catalog_id} = {catalog:,}")
    if is_claude or not run.current:
        return Quantity(DEFAULT_WINDOW, model.source, "default window for a model Claude Code does not know: 200,000")
    if disable_1m:
        run.use(DISABLE_1M, changed="model window")
        return Quantity(DEFAULT_WINDOW, run.source(DISABLE_1M), f"{DISABLE_1M}: unrecognised id held to 200,000")
    return Quantity(ONE_M_WINDOW, model.source, "unrecognised id: Claude Code assumes 1,000,000")


def env_window(run: Run) -> Quantity | None:
    """CLAUDE_CODE_AUTO_COMPACT_WINDOW as the target reads it (5.0 parsing from 2.1.329; before,
    plain digits else the leading digits, clamped to 100,000..1,000,000), with ENV001 problems."""
    raw = run.raw(AUTO_COMPACT_WINDOW)
    if raw is None:
        return None
    meant = parse_window(raw)
    fix = f"write {AUTO_COMPACT_WINDOW}={max(meant, MIN_WINDOW)}" if meant and meant > 0 else None
    value = parse_window(raw) if run.current else parse_int(raw)
    if value is None or (run.current and value <= 0):
        run.use(AUTO_COMPACT_WINDOW, value, problem=f"`{raw}` is not a usable window: Claude Code ignores it "
                                                    "and the settings decide", fix=fix)
        return None
    upper = math.inf if run.current else MAX_WINDOW_BEFORE_329
    read = min(max(value, MIN_WINDOW), upper)
    steps = []
    if not run.current and not is_plain(raw):
        steps.append(f"reads as {value:,} ({AUTO_COMPACT_WINDOW} takes a plain integer before 2.1.329)")
    if read != value:
        steps.append(f"is {'raised' if read > value else 'lowered'} to {read:,}")
    source = run.source(AUTO_COMPACT_WINDOW)
    if steps:
        run.use(AUTO_COMPACT_WINDOW, read, problem=f"`{raw}` " + " and ".join(steps), fix=fix)
        return Quantity(read, source, f"`{raw}` -> {read:,}")
    run.use(AUTO_COMPACT_WINDOW, read)
    return Quantity(read, source)


def settings_window(run: Run, model: Model) -> Quantity | None:
    """The window settings: `modelSettings.<canonical id>.autoCompactWindow` (an int >= 100,000 or
    "auto", 2.1.329+) beats top-level `autoCompactWindow`; before 2.1.329 the top-level key is
    clamped to 100,000..1,000,000 (5.2)."""
    if not run.current:
        value = run.setting(("autoCompactWindow",))
        if not is_count(value):
            return None
        read = min(max(value, MIN_WINDOW), MAX_WINDOW_BEFORE_329)
        clamp = f"{value:,} clamped to {read:,}" if read != value else ""
        return run.setting_quantity(read, ("autoCompactWindow",), clamp)
    for path in (("modelSettings", model.catalog_id, "autoCompactWindow"), ("autoCompactWindow",)):
        value = run.setting(path)
        if value == "auto" and path[0] == "modelSettings":
            run.notes.append(f"modelSettings.{model.catalog_id}.autoCompactWindow is \"auto\": "
                             "the model default applies")
            return None
        if is_count(value) and value >= MIN_WINDOW:
            return run.setting_quantity(value, path)
        if value is not None:
            run.notes.append(f"{'.'.join(path)} = {value!r} is not an integer >= 100,000; Claude Code ignores it")
    return None


def is_count(value: Any) -> bool:
    """An integer Claude Code's zod `.int()` accepts (a huge one is Infinity to JavaScript: refused)."""
    return isinstance(value, int) and numbers.finite(value) is not None


def effective_window(run: Run, kr: Quantity, configured: Quantity | None) -> Quantity:
    """window = min(kR, configured): a setting lowers the window, never raises it (CMP004 when capped)."""
    if configured is None:
        return kr
    value = min(kr.value, configured.value)
    formula = f"min({kr.value:,}, {configured.value:,}) = {value:,}"
    if configured.formula:
        formula = f"{configured.formula}; {formula}"
    if configured.value > kr.value:
        name = AUTO_COMPACT_WINDOW if configured.source.kind == ENV else configured.source.label
        run.effect("CMP004", f"{name} {configured.value:,} is above the resolved model window {kr.value:,} (capped)",
                   configured.source, Severity.WARNING, fix=f"set it to at most {kr.value:,}",
                   configured=configured.value, model_window=kr.value)
    elif configured.source.kind == ENV:
        run.use(AUTO_COMPACT_WINDOW, changed="window")
    return Quantity(value, configured.source, formula)


# --- output ------------------------------------------------------------------------------------------


def max_output(run: Run, model: Model) -> tuple[Quantity, Quantity | None]:
    """(max_output_tokens, the env cap that reaches the request): CLAUDE_CODE_MAX_OUTPUT_TOKENS
    (plain integer; NaN or <= 0 -> the default) else the catalog default, capped at the upper limit.
    Every catalog default below 20,000 equals its upper limit, so the reserve `min(this, 20,000)`
    is also what 5.2 computes from the upper limit for older targets."""
    default_tokens, upper = OUTPUT_LIMITS.get(model.catalog_id, UNKNOWN_OUTPUT)
    known = model.catalog_id if model.catalog_id in OUTPUT_LIMITS else "unrecognised ids"
    fallback = default(default_tokens, f"Claude Code catalog: {known} default output {default_tokens:,} "
                                       f"(upper {upper:,})")
    value = plain_int_variable(run, MAX_OUTPUT)
    if value is None:
        return fallback, None
    source = run.source(MAX_OUTPUT)
    if min(value, upper) != default_tokens:
        run.use(MAX_OUTPUT, changed="max output tokens")
    if value > upper:
        run.effect("CMP004", f"{MAX_OUTPUT} {value:,} is above the {upper:,} output limit of {known} (capped)",
                   source, Severity.WARNING, fix=f"set {MAX_OUTPUT}={upper}", configured=value, upper=upper)
        capped = Quantity(upper, source, f"min({value:,}, {upper:,}) = {upper:,}")
        return capped, capped
    written = Quantity(value, source)
    return written, written


def thinking_budget(run: Run, output: int) -> None:
    """MAX_THINKING_TOKENS (5.4): max(1,024, min(value, output - 1)) when set and nonzero;
    recorded for explain (no budget field holds it)."""
    raw = run.raw(MAX_THINKING)
    if raw is None:
        return
    value = parse_numeric(raw, run.version)
    meant = parse_numeric(raw, CURRENT_RULES)
    if value is None:
        run.use(MAX_THINKING, problem=f"`{raw}` is not a number: Claude Code ignores it",
                fix=f"write {MAX_THINKING} as an integer")
        return
    if value != meant:
        run.use(MAX_THINKING, value, problem=f"`{raw}` reads as {value:,} before {NUMERIC_SPELLINGS}",
                fix=f"write {MAX_THINKING}={meant}")
    if value <= 0:
        run.use(MAX_THINKING, 0)
        return
    budget = max(MIN_THINKING, min(value, output - 1))
    run.use(MAX_THINKING, budget, changed="thinking budget")
    run.notes.append(f"thinking budget max(1,024, min({value:,}, {output:,} - 1)) = {budget:,} "
                     "(ignored on adaptive-reasoning models unless CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING=1)")


# --- gate and threshold -------------------------------------------------------------------------------


def switched_off(run: Run) -> Gate | None:
    """Deliberate switch-offs (5.0): DISABLE_COMPACT, DISABLE_AUTO_COMPACT, `autoCompactEnabled: false`
    (read from settings.json only from ~2.1.90, #42817)."""
    if run.switch(DISABLE_COMPACT):
        run.use(DISABLE_COMPACT, changed="auto-compaction")
        return Gate("off", run.source(DISABLE_COMPACT), "DISABLE_COMPACT turns off auto-compaction and /compact",
                    f"remove {DISABLE_COMPACT} to compact again")
    if run.switch(DISABLE_AUTO_COMPACT):
        run.use(DISABLE_AUTO_COMPACT, changed="auto-compaction")
        return Gate("off", run.source(DISABLE_AUTO_COMPACT),
                    "DISABLE_AUTO_COMPACT turns off auto-compaction (/compact still works)",
                    f"remove {DISABLE_AUTO_COMPACT} to compact automatically")
    if run.setting(("autoCompactEnabled",)) is False:
        source = run.setting_source(("autoCompactEnabled",))
        if run.version < AUTO_COMPACT_ENABLED_READ:
            run.effect("CMP004", f"Claude Code {run.version} reads autoCompactEnabled only from ~/.claude.json "
                                 "(settings.json copy ignored before ~2.1.90, #42817)", source, Severity.WARNING,
                       fix="set it with `claude config set -g autoCompactEnabled false`")
            return None
        return Gate("off", source, "autoCompactEnabled is false", "remove `autoCompactEnabled: false`")
    return None


def window_fix(context: int | None) -> str:
    """CMP002 fix: give Claude Code a window so the gate opens."""
    target = f"{context}" if context else "<the model's real window>"
    return f"set {AUTO_COMPACT_WINDOW}={target} in the settings env block (or `autoCompactWindow`)"


def gate_current(run: Run, model: Model, configured: Quantity | None, context: int | None) -> Gate:
    """The 2.1.329 gate (5.0 table): proactive unless the window source is "auto"."""
    if configured is not None:
        return Gate("proactive", configured.source)
    one_m = model.one_m and not truthy(run.raw(DISABLE_1M))
    if recognised(run, model):
        if model.catalog_id in NATIVE_1M or (model.catalog_id in MODEL_DEFAULT_SOURCE and not one_m):
            return Gate("proactive", model.source)
        return reactive(model)
    if one_m:
        return Gate("never", model.source, f"`{model.name}` is an unrecognised id with `[1m]` and no window "
                                           "setting: the window source is \"auto\", so Claude Code never compacts "
                                           "proactively", window_fix(context))
    if run.switch(DISABLE_UNKNOWN_ENFORCEMENT):
        return unknown_enforcement_off(run, model, context)
    return Gate("proactive", model.source)


def reactive(model: Model) -> Gate:
    """A Claude model whose window source is "auto": compaction happens on prompt-too-long."""
    return Gate("reactive", model.source, REACTIVE_REASON,
                f"set {AUTO_COMPACT_WINDOW} (or `autoCompactWindow`) to make Claude Code compact proactively")


def unknown_enforcement_off(run: Run, model: Model, context: int | None) -> Gate:
    """CLAUDE_CODE_DISABLE_UNKNOWN_MODEL_WINDOW_ENFORCEMENT=1 on an unrecognised id (CMP002 warning)."""
    run.use(DISABLE_UNKNOWN_ENFORCEMENT, changed="auto-compaction")
    return Gate("never", run.source(DISABLE_UNKNOWN_ENFORCEMENT),
                f"{DISABLE_UNKNOWN_ENFORCEMENT} skips proactive compaction for the unrecognised id `{model.name}`",
                f"unset {DISABLE_UNKNOWN_ENFORCEMENT} or " + window_fix(context))


def gate_before_329(run: Run, model: Model, provider: Provider, configured: Quantity | None,
                    context: int | None) -> Gate:
    """The gate of 5.3 and 6: a window setting always opens it; before 2.1.131 there is none;
    third parties without a window never compact on 2.1.154/2.1.161..2.1.222; from 2.1.223 an
    unrecognised id compacts at the assumed window unless enforcement is switched off; Claude
    models compact proactively only where the 2026-08-22 docs say so, else at the model's limit."""
    if configured is not None or run.version < GATE_FIRST_SEEN:
        return Gate("proactive", configured.source if configured else model.source)
    cloud_gate = provider.kind in ("bedrock", "vertex") and in_range(run.version, CLOUD_GATE)
    if cloud_gate or (provider.kind == "gateway" and in_range(run.version, GATEWAY_GATE)):
        issue = "#64802" if cloud_gate else "#65585"
        return Gate("never", provider.source or model.source,
                    f"Claude Code {run.version} never auto-compacts on {PROVIDER_TITLES[provider.kind]} without an "
                    f"auto-compact window ({issue})", window_fix(context))
    if not recognised(run, model):
        if run.version >= UNKNOWN_ENFORCEMENT_SWITCH and run.switch(DISABLE_UNKNOWN_ENFORCEMENT):
            return unknown_enforcement_off(run, model, context)
        return Gate("proactive", model.source)
    if truthy(run.raw(DISABLE_1M)):
        return Gate("proactive", run.source(DISABLE_1M))
    proactive = PROACTIVE_BEFORE_329 + (PROACTIVE_ON_CLOUD_BEFORE_329 if provider.kind in CLOUD_KINDS else ())
    if model.catalog_id in proactive and not model.one_m:
        return Gate("proactive", model.source)
    return reactive(model)


@dataclass(frozen=True)
class Threshold:
    """The auto-compact threshold, the rule that decided it and the input behind that rule."""

    value: int
    rule: str
    formula: str
    source: Source


def threshold(run: Run, window: Quantity, reserve: int, reserve_source: Source, pct: float | None,
              proactive: bool) -> Threshold:
    """threshold = window - reserve - 13,000; a PCT override can only lower it (5.0, 5.2)."""
    effective = window.value - reserve
    base = effective - BUFFER
    written = reserve_source if reserve < RESERVE_CAP and reserve_source.kind == ENV else window.source
    plain = Threshold(base, "window - reserve - 13,000 buffer",
                      f"{window.value:,} - {reserve:,} - 13,000 = {base:,}", written)
    if pct is None:
        return plain
    lowered = math.floor(effective * pct / 100)
    formula = f"min(floor({effective:,} × {pct:g} / 100), {base:,})"
    if lowered < base:
        if proactive:
            run.use(PCT_OVERRIDE, changed="threshold")
        return Threshold(lowered, "PCT override", f"{formula} = {lowered:,}", run.source(PCT_OVERRIDE))
    if proactive:
        run.effect("CMP004", f"{PCT_OVERRIDE} {pct:g} has no effect: floor({effective:,} × {pct:g} / 100) = "
                             f"{lowered:,} is not below the default threshold {base:,}",
                   run.source(PCT_OVERRIDE), Severity.WARNING,
                   fix=f"use at most {math.floor(base * 1000 / effective) / 10:g} or remove it", pct=pct, default=base)
    return Threshold(base, plain.rule, f"{formula} = {base:,}", plain.source)


def pct_override(run: Run) -> float | None:
    """CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: parseFloat (`50%` = 50), used when 0 < PCT <= 100."""
    raw = run.raw(PCT_OVERRIDE)
    if raw is None:
        return None
    value = parse_float(raw)
    if value is None or not 0 < value <= 100:
        run.use(PCT_OVERRIDE, value, problem=f"`{raw}` is not a percentage in (0, 100]: Claude Code ignores it",
                fix=f"write {PCT_OVERRIDE} as a number from 1 to 100")
        return None
    if value < 1:
        run.use(PCT_OVERRIDE, value, severity=Severity.WARNING,
                problem=f"`{raw}` reads as {value:g} % of the window, not {value * 100:g} %",
                fix=f"write {PCT_OVERRIDE}={value * 100:g} for {value * 100:g} %")
    else:
        run.use(PCT_OVERRIDE, value)
    return value


def blocking_limit(run: Run, kr: Quantity, window: Quantity, reserve: int) -> Quantity:
    """Where the turn blocks: 2.1.329 uses the model window kR (or CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE
    > 0); older releases the window after the auto-compact setting (5.2 constants)."""
    if run.current and (raw := run.raw(BLOCKING_OVERRIDE)) is not None:
        value = parse_numeric(raw, run.version)
        if value is not None and value > 0:
            run.use(BLOCKING_OVERRIDE, value, changed="blocking limit")
            return Quantity(value, run.source(BLOCKING_OVERRIDE))
        run.use(BLOCKING_OVERRIDE, value)
    base = kr if run.current else window
    value = base.value - reserve - BLOCK_BUFFER
    return Quantity(value, base.source, f"{base.value:,} - {reserve:,} - 3,000 = {value:,}")


# --- notes -------------------------------------------------------------------------------------------


def version_notes(run: Run) -> list[str]:
    if run.current:
        return ["server-side inputs (client data, experiments, a served catalog) can change the window at run "
                "time; cfglint cannot see them"]
    if run.version > LAST_DOCUMENTED:
        return [f"Claude Code {run.version} falls between the last documented release ({LAST_DOCUMENTED}) and "
                f"{CURRENT_RULES}; the release that brought the {CURRENT_RULES} behaviour is unknown, so cfglint "
                "applies the documented behaviour"]
    return []


def fixes(model: Model, context: int | None, output: int | None, gate: Gate, reserve: int) -> dict[str, str]:
    """Claude Code's fix text per finding kind."""
    reg003 = f"set {AUTO_COMPACT_WINDOW}={context if context else '<the real window>'}"
    if not model.catalog_id.startswith("claude-"):
        reg003 += f" (or {MAX_CONTEXT} for `{model.sent_id}`)"
    out = {
        "CMP001": f"compact earlier with {PCT_OVERRIDE} or a lower {AUTO_COMPACT_WINDOW} (the trigger sits "
                  f"{reserve + BUFFER:,} below the window), or lower {MAX_OUTPUT}",
        "CMP003": f"write {MAX_CONTEXT} and {AUTO_COMPACT_WINDOW} as full integers (no `k` suffix)",
        "REG003": reg003,
    }
    if gate.fix:
        out["CMP002"] = gate.fix
    if output:
        out["CMP005.normal"] = out["REG002"] = f"set {MAX_OUTPUT}={output}"
    return out


# --- the resolver --------------------------------------------------------------------------------------


def resolve(inp: ResolveInput) -> list[Budget]:
    """The budget of Claude Code's session model (module docstring; RESOLVERS.md)."""
    env, env_notes = environment(inp)
    run = Run(inp, Version.parse(inp.version), env, notes=env_notes)
    run.notes += version_notes(run)
    provider = identify_provider(run)
    model = session_model(run, provider)
    match = lookup(run, model, provider)
    registry = inp.registry
    context = from_registry(match.context, match, registry, "context")
    output_limit = from_registry(match.output, match, registry, "output")

    kr = model_window(run, model, provider)
    configured = env_window(run) or settings_window(run, model)
    window = effective_window(run, kr, configured)
    max_tokens, configured_output = max_output(run, model)
    reserve = min(max_tokens.value, RESERVE_CAP)
    thinking_budget(run, max_tokens.value)

    context_value = context.value if context else None
    gate = switched_off(run) or (gate_current(run, model, configured, context_value) if run.current
                                 else gate_before_329(run, model, provider, configured, context_value))
    proactive = gate.state == "proactive"
    pct = pct_override(run)
    found = threshold(run, window, reserve, max_tokens.source, pct, proactive)
    if pct is not None and not proactive:
        run.effect("CMP004", f"{PCT_OVERRIDE} has no effect: Claude Code does not compact proactively here "
                             f"({gate.reason})", run.source(PCT_OVERRIDE), Severity.WARNING,
                   fix=gate.fix)

    budget = Budget(
        dialect=ClaudeCode.dialect, harness=ClaudeCode.title, version=inp.version, model=model.name,
        model_id=model.sent_id, provider=provider.registry_name, model_source=model.source, registry=match,
        window=window, hard_limit=window, model_context=context,
        model_input=from_registry(match.input, match, registry, "input"), model_output=output_limit,
        max_tokens_normal=max_tokens, configured_output=configured_output,
        max_tokens_compaction=None, compaction_note=COMPACTION_NOTE,
        block_at=blocking_limit(run, kr, window, reserve),
        declared_limits=configured is not None or max_context_given(run),
        # CMP001 does not apply to Claude models without a window: on an "input + max_tokens > context"
        # error Claude Code retries with a smaller max_tokens, and at the limit it compacts reactively.
        headroom_applies=configured is not None or not recognised(run, model),
        layers=[doc.display_path for doc in inp.merged.layers],
        fixes=fixes(model, context_value, output_limit.value if output_limit else None, gate, reserve),
    )
    apply_gate(run, budget, gate, found, window)
    retired = status_effect(match, model.source, retired_severity=Severity.WARNING)
    if retired:
        run.effects.append(retired)
    if configured is not None and configured.value < DEFAULT_WINDOW and not run.current:
        run.notes.append("a community report for 2.1.221 (unverified) says a window of 100,000-199,999 turns "
                         "auto-compaction off completely (claude-sdlc-harness#520)")
    budget.env, budget.effects, budget.notes = list(run.uses.values()), run.effects, run.notes
    return [budget]


def apply_gate(run: Run, budget: Budget, gate: Gate, found: Threshold, window: Quantity) -> None:
    """Fill the trigger fields from the gate: the threshold when proactive, else None with the
    threshold that would apply in the formula."""
    if gate.state == "proactive":
        budget.trigger = Quantity(found.value, found.source, found.formula)
        budget.trigger_rule, budget.proactive = found.rule, True
        budget.every_step = found.value <= 0
        budget.headroom = Quantity(window.value - found.value, found.source,
                                   f"{window.value:,} - {found.value:,} = {window.value - found.value:,}")
        budget.max_tokens_at_trigger = budget.max_tokens_normal
        return
    budget.proactive = False
    budget.trigger_reason = gate.reason
    budget.trigger = Quantity(None, gate.source, f"would be {found.formula} if compaction were proactive")
    if gate.state == "reactive":
        budget.trigger_rule = "reactive by design"
        run.notes.append(f"{budget.model_id} has no auto-compact window: Claude Code {REACTIVE_REASON} "
                         "(on the provider's prompt-too-long error, retrying with a smaller max_tokens)")
        return
    budget.trigger_rule = "never"
    budget.deliberate_off = gate.state == "off"
    run.effect("CMP002", gate.reason, gate.source, Severity.INFO if budget.deliberate_off else Severity.WARNING,
               fix=gate.fix or None)
