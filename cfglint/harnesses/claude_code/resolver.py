"""Claude Code resolver: window, auto-compact threshold, gate and output cap of the session model.

Facts: `harness-claude-code.md`. From 2.1.329 (the default target) the window, threshold and gate
of section 5.0 apply; earlier targets get the documented behaviour of 5.1-5.3 and 6. The release
in which each 5.0 change first shipped is unknown, so a target between the last documented release
and 2.1.329 gets the documented behaviour and a note saying so.

Claude Code runs one session model, so `resolve` returns one budget: `inp.model` (`--model`), else
`ANTHROPIC_MODEL`, else the `model` setting, else `ANTHROPIC_DEFAULT_MODEL` (2.1.236+), else the
`sonnet` alias of the identified provider (`opus` on 2.1.329 off the clouds). On 2.1.329 aliases,
legacy Opus ids and `modelSettings` keys resolve as its own code does (measured with
`tools/fidelity/claude_code.py`, which runs that code on generated configs). Variables come from the
external environment with the merged settings `env` block on top (the block wins, as in Claude
Code), and every variable read is recorded as an `EnvUse`, pointing into the file when the block set it.

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

from cfglint.core import numbers
from cfglint.core.document import get_path
from cfglint.core.finding import Severity
from cfglint.core.record import FrozenRecord
from cfglint.core.versions import Version
from cfglint.harnesses import kit
from cfglint.harnesses.budget import (
    DEFAULT,
    ENV,
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
from cfglint.harnesses.claude_code import CLAUDE_CODE
from cfglint.harnesses.claude_code.facts import (
    ALIAS_NOTES,
    ALIAS_STANDS_FOR,
    ALIAS_STANDS_FOR_329,
    ALIAS_TARGETS_329,
    ALIAS_VARIABLES,
    AUTO_COMPACT_ENABLED_READ,
    AUTO_COMPACT_WINDOW,
    BLOCK_BUFFER,
    BLOCKING_OVERRIDE,
    BUFFER,
    CATALOG_WINDOW,
    CLOUD_GATE,
    CLOUD_KINDS,
    CURRENT_RULES,
    DEFAULT_MODEL_VARIABLE,
    DEFAULT_WINDOW,
    DISABLE_1M,
    DISABLE_AUTO_COMPACT,
    DISABLE_COMPACT,
    DISABLE_UNKNOWN_ENFORCEMENT,
    FIRST_PARTY_HOST,
    GATE_FIRST_SEEN,
    GATEWAY_GATE,
    LAST_DOCUMENTED,
    LEGACY_OPUS,
    LEGACY_REMAP_OFF,
    MAX_CONTEXT,
    MAX_CONTEXT_RESTRICTED,
    MAX_OUTPUT,
    MAX_THINKING,
    MAX_WINDOW_BEFORE_329,
    MIN_THINKING,
    MIN_WINDOW,
    MODEL_DEFAULT_SOURCE,
    NATIVE_1M,
    NO_MODEL_ALIAS_329,
    NUMERIC_SPELLINGS,
    ONE_M_WINDOW,
    OPUS_4_8,
    OPUS_5,
    OUTPUT_LIMITS,
    PCT_OVERRIDE,
    PROACTIVE_BEFORE_329,
    PROACTIVE_ON_CLOUD_BEFORE_329,
    PROVIDER_SWITCHES,
    PROVIDER_TITLES,
    RESERVE_CAP,
    SHORT_NAMES,
    SONNET_5,
    TRUTHY,
    UNKNOWN_ENFORCEMENT_SWITCH,
    UNKNOWN_OUTPUT,
)
from cfglint.harnesses.kit import n
from cfglint.registry.names import ONE_M_SUFFIX, REGION_PREFIX, split_one_m

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any
    from cfglint.harnesses.budget import EffectCode, TriggerRule
    from cfglint.registry import RegistryMatch


REACTIVE_REASON = "compacts reactively at the model's limit by design"
COMPACTION_NOTE = "Claude Code does not document the summary request's max_tokens"


# --- how Claude Code spells ids and reads numbers -------------------------------------------------

# Claude Code's own canonicalisation (5.0, the 2.1.329 bundle) drops more than the registry's
# lookup (`cfglint.registry.names`, registry.md 7.2 step 6): any Bedrock version (`-v2:1`, not only
# `-v1:0`), any Vertex pin (not only `@default` / `@YYYYMMDD`) and `-latest` (the catalog has one
# window per model, where the registry takes `-latest` as the newest entry of a family); it keeps
# ISO dates (`-2025-08-07`), which no Claude id carries.
_BEDROCK_VERSION = re.compile(r"-v\d+(?::\d+)?$")
_VERTEX_PIN = re.compile(r"@[^@]*$")
_DATE_SUFFIX = re.compile(r"-(?:\d{8}|latest)$")


def canonical_id(model_id: str) -> str:
    """Claude Code's catalog spelling of an id (5.0): lower case, no Bedrock region/vendor prefix or
    version, no Vertex pin, dashes for dots, no date; `claude-opus-4` is `claude-opus-4-0`."""
    text = REGION_PREFIX.sub("", model_id.strip().lower()).removeprefix("anthropic.")
    text = _BEDROCK_VERSION.sub("", _VERTEX_PIN.sub("", text)).replace(".", "-")
    text = _DATE_SUFFIX.sub("", text)
    return SHORT_NAMES.get(text, text)


def catalog_key(model_id: str, current: bool) -> str:
    """The id Claude Code looks its catalog and `modelSettings` up with (`EU`, `_t`). 2.1.329 also
    recognises a Claude id behind a provider prefix (`anthropic/claude-sonnet-4.5` is
    claude-sonnet-4-5) and keeps an unrecognised id as written, in lower case (`z-ai/glm-4.6`);
    older releases get `canonical_id`."""
    text = canonical_id(model_id)
    if not current or text in CATALOG_WINDOW:
        return text
    behind_prefix = canonical_id(model_id.rsplit("/", 1)[-1])
    return behind_prefix if behind_prefix in CATALOG_WINDOW else model_id.strip().lower()


def truthy(raw: str | None) -> bool:
    """Claude Code's switch reading: 1/true/yes/on, any case."""
    return raw is not None and raw.strip().lower() in TRUTHY


_LEADING_INT = re.compile(r"[+-]?\d+")
_LEADING_FLOAT = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_PLAIN_DIGITS = re.compile(r"\d+")
# The spellings below are patterns `re` compiles at their first use, each tried only on a value
# with the letter or separator it needs: a plain count never compiles them.
_SUFFIXED = r"(?i)(\d+(?:\.\d+)?)([km])"
_SCIENTIFIC = r"(?i)\d+(?:\.\d+)?e\d+"
_GROUPED = r"\d{1,3}(?:[,_]\d{3})+"
_UNDERSCORED = r"\d{1,3}(?:_\d{3})+"


def _scientific(text: str) -> bool:
    return ("e" in text or "E" in text) and re.fullmatch(_SCIENTIFIC, text) is not None


def parse_int(raw: str) -> int | None:
    """JavaScript `parseInt(raw, 10)`: the leading integer after trimming (`8k` -> 8), None for NaN
    and for Infinity (digits past a double; cfglint.core.numbers)."""
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
    if text[-1:] in ("k", "K", "\u212a", "m", "M") and (match := re.fullmatch(_SUFFIXED, text)):  # (Kelvin: `re`'s k)
        scaled = numbers.finite(float(match.group(1)) * (1_000 if match.group(2).lower() == "k" else 1_000_000))
        return None if scaled is None else round(scaled)
    if _scientific(text) and float(text).is_integer():
        return int(float(text))
    if ("," in text or "_" in text) and re.fullmatch(_GROUPED, text):
        return numbers.integer(re.sub(r"[,_]", "", text))
    return parse_int(text)


def parse_numeric(raw: str, version: Version) -> int | None:
    """Other numeric variables (2.4): from 2.1.211 `2e3` and `64_000` are read as meant; before,
    only the leading digits (`1e6` -> 1)."""
    text = raw.strip()
    if version >= NUMERIC_SPELLINGS:
        if _scientific(text) and float(text).is_integer():
            return int(float(text))
        if "_" in text and re.fullmatch(_UNDERSCORED, text):
            return numbers.integer(text.replace("_", ""))
    return parse_int(text)


def is_count(value: Any) -> bool:
    """An integer Claude Code's zod `.int()` accepts (a huge one is Infinity to JavaScript: refused)."""
    return isinstance(value, int) and numbers.finite(value) is not None


def host_of(url: str) -> str | None:
    """The host of a base URL (scheme optional); None when it cannot be parsed."""
    from urllib.parse import urlsplit  # only for a configured base URL (~1.5 ms with `ipaddress`)

    try:
        return urlsplit(url if "://" in url else "//" + url).hostname
    except ValueError:
        return None


def in_range(version: Version, bounds: tuple[Version, Version]) -> bool:
    return bounds[0] <= version <= bounds[1]


# --- the configuration as Claude Code reads it ---------------------------------------------------


class Config(kit.ConfigReader):
    """The merged settings and the environment of one resolution: the external variables with the
    settings `env` block on top, the target release, and a record of every variable read (`uses`,
    the budget's `env`). An empty variable counts as unset (an empty `env` entry cancels a shell
    export)."""

    def __init__(self, inp: ResolveInput) -> None:
        super().__init__(inp.merged)
        self.version = Version.parse(inp.version)
        self.env, self.env_notes = _environment(inp)
        self.uses: dict[str, EnvUse] = {}

    @property
    def current(self) -> bool:
        """True when section 5.0 (2.1.329) applies."""
        return self.version >= CURRENT_RULES

    def raw(self, name: str) -> str | None:
        """The variable's text; empty counts as unset."""
        value = self.env.value(name)
        return value if value is not None and value.strip() else None

    def env_source(self, name: str) -> Provenance:
        found = self.env.get(name)
        return found.source() if found else Provenance(ENV, name)

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


def _environment(inp: ResolveInput) -> tuple[Environment, list[str]]:
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


def _effect(budget: Budget, code: EffectCode, message: str, source: Provenance, severity: Severity,
            fix: str | None = None, **details: Any) -> None:
    budget.effects.append(Effect(code, message, source, severity, fix, details))


# --- the resolver --------------------------------------------------------------------------------------


def resolve(inp: ResolveInput) -> list[Budget]:
    """The budget of Claude Code's session model (module docstring; RESOLVERS.md)."""
    cfg = Config(inp)
    return [_budget(cfg, inp, model) for model in _models(cfg, inp)]


def _budget(cfg: Config, inp: ResolveInput, model: Model) -> Budget:
    """One budget, in the record's order, except that the output comes before the trigger: the
    threshold subtracts a reserve of min(max output, 20,000)."""
    budget = kit.start_budget(CLAUDE_CODE, inp, model=model.name, model_id=model.sent_id,
                              provider=model.provider.registry_name, model_source=model.source,
                              match=_lookup(inp, model), compaction_note=COMPACTION_NOTE)
    budget.notes += [*cfg.env_notes, *_version_notes(cfg), *model.notes]
    kr, configured = _window(cfg, budget, model)
    reserve = _output(cfg, budget, model)
    budget.block_at = _blocking_limit(cfg, kr, budget.window, reserve)
    gate = _trigger(cfg, budget, model, configured, reserve)
    # Claude Code's own catalog states the limits of the models it knows (as Kilo's bundled one does
    # for Kilo): an alias target the registry lacks (`claude-opus-5-5`) is not "unverifiable" (REG001).
    budget.declared_limits = configured is not None or _max_context_given(cfg) or _recognised(cfg, model)
    # CMP001 does not apply to Claude models without a window: on an "input + max_tokens > context"
    # error Claude Code retries with a smaller max_tokens, and at the limit it compacts reactively.
    # A deliberate switch-off is still reported (CMP002 info, rules.md), window setting or not.
    budget.headroom_applies = configured is not None or not _recognised(cfg, model) or budget.deliberate_off
    budget.fixes = _fixes(model, budget.model_context, budget.model_output, gate, reserve)
    if configured is not None and configured.value < DEFAULT_WINDOW and not cfg.current:
        budget.notes.append("a community report for 2.1.221 (unverified) says a window of 100,000-199,999 turns "
                            "auto-compaction off completely (claude-sdlc-harness#520)")
    budget.env = list(cfg.uses.values())
    return budget


def _version_notes(cfg: Config) -> list[str]:
    if cfg.current:
        return ["server-side inputs (client data, experiments, a served catalog) can change the window at run "
                "time; cfglint cannot see them"]
    if cfg.version > LAST_DOCUMENTED:
        return [f"Claude Code {cfg.version} falls between the last documented release ({LAST_DOCUMENTED}) and "
                f"{CURRENT_RULES}; the release that brought the {CURRENT_RULES} behaviour is unknown, so cfglint "
                "applies the documented behaviour"]
    return []


# --- provider and model -----------------------------------------------------------------------------------


class Provider(FrozenRecord):
    """Who serves the requests (5.1a); `source` is the variable that said so (None: first party)."""

    __slots__ = ("kind", "registry_name", "base_url", "source")

    def __init__(self, kind: str, registry_name: str | None, base_url: str | None = None,
                 source: Provenance | None = None) -> None:
        self.kind = kind  # anthropic | gateway | bedrock | vertex | foundry
        self.registry_name = registry_name  # registry provider id for the lookup (None: identify by base URL)
        self.base_url = base_url
        self.source = source

    @property
    def first_party(self) -> bool:
        return self.kind == "anthropic"


class Model(FrozenRecord):
    """The session model: as configured, as sent, and as Claude Code's catalog knows it."""

    __slots__ = ("name", "source", "sent_id", "catalog_id", "one_m", "provider", "notes")

    def __init__(self, name: str, source: Provenance, sent_id: str, catalog_id: str, one_m: bool, provider: Provider,
                 notes: tuple[str, ...] = ()) -> None:
        self.name = name  # as configured (alias or id, `[1m]` included)
        self.source = source  # where it was configured
        self.sent_id = sent_id  # id sent to the provider (alias resolved, `[1m]` dropped, modelOverrides applied)
        self.catalog_id = catalog_id  # canonical id Claude Code looks its catalog up with
        self.one_m = one_m
        self.provider = provider
        self.notes = notes  # what resolving the name assumed (alias targets)


def _models(cfg: Config, inp: ResolveInput) -> list[Model]:
    """The one session model, served by the identified provider."""
    return [_session_model(cfg, inp, _provider(cfg))]


def _provider(cfg: Config) -> Provider:
    """5.1a: Bedrock, Vertex, Foundry switches, else a non-Anthropic ANTHROPIC_BASE_URL, else first party."""
    for name, kind, registry_name in PROVIDER_SWITCHES:
        if cfg.switch(name):
            cfg.use(name, True, changed="provider")
            return Provider(kind, registry_name, None, cfg.env_source(name))
    base_url = cfg.raw("ANTHROPIC_BASE_URL")
    if base_url is None:
        return Provider("anthropic", "anthropic")
    base_url = base_url.strip()
    if host_of(base_url) == FIRST_PARTY_HOST:
        cfg.use("ANTHROPIC_BASE_URL", base_url)
        return Provider("anthropic", "anthropic", base_url)
    cfg.use("ANTHROPIC_BASE_URL", base_url, changed="provider")
    return Provider("gateway", None, base_url, cfg.env_source("ANTHROPIC_BASE_URL"))


def _configured_model(cfg: Config) -> tuple[str, Provenance] | None:
    """The model as configured: ANTHROPIC_MODEL beats `model`; ANTHROPIC_DEFAULT_MODEL (2.1.236+)
    applies only when nothing sets one (2.3)."""
    if (raw := cfg.raw("ANTHROPIC_MODEL")) is not None:
        cfg.use("ANTHROPIC_MODEL", raw.strip())
        return raw.strip(), cfg.env_source("ANTHROPIC_MODEL")
    value = cfg.value(("model",))
    if isinstance(value, str) and value.strip():
        return value.strip(), cfg.source(("model",))
    if cfg.version >= DEFAULT_MODEL_VARIABLE and (raw := cfg.raw("ANTHROPIC_DEFAULT_MODEL")) is not None:
        cfg.use("ANTHROPIC_DEFAULT_MODEL", raw.strip())
        return raw.strip(), cfg.env_source("ANTHROPIC_DEFAULT_MODEL")
    return None


def _session_model(cfg: Config, inp: ResolveInput, provider: Provider) -> Model:
    """`inp.model`, else the configured model, else the provider's default alias (with a note)."""
    configured = _configured_model(cfg)
    notes: list[str] = []
    if inp.model:
        name = inp.model.strip()
        source = (configured[1] if configured and configured[0] == name
                  else Provenance(DEFAULT, "model named by --model"))
    elif configured:
        name, source = configured
        if source.kind == ENV:
            cfg.use(source.label, changed="model")
    else:
        name = NO_MODEL_ALIAS_329.get(provider.kind, "opus") if cfg.current else "sonnet"
        source = Provenance(DEFAULT, f"Claude Code with no model set: the `{name}` alias")
        notes.append(f"no model is set: cfglint uses the `{name}` alias of {PROVIDER_TITLES[provider.kind]}")
    base, one_m = split_one_m(_resolve_alias(cfg, name, provider, notes))
    return _apply_overrides(cfg, Model(name, source, base, catalog_key(base, cfg.current), one_m, provider,
                                       tuple(notes)))


def _legacy_opus(cfg: Config, alias: str, provider: Provider, notes: list[str]) -> bool:
    """2.1.329 runs a legacy Opus id as `opus` (`if(tm()&&D1t(y)&&V$n())return ... fk()`) off the
    clouds, unless CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP is set."""
    if alias not in LEGACY_OPUS or not cfg.current or provider.kind in CLOUD_KINDS or cfg.switch(LEGACY_REMAP_OFF):
        return False
    notes.append(f"Claude Code {cfg.version} runs `{alias}` as the `opus` alias "
                 f"({LEGACY_REMAP_OFF}=1 keeps the requested model)")
    return True


def _resolve_alias(cfg: Config, name: str, provider: Provider, notes: list[str]) -> str:
    """An alias's target (5.1a; `ANTHROPIC_DEFAULT_*_MODEL` wins), `[1m]` kept; ids pass through."""
    base, one_m = split_one_m(name)
    alias = base.strip().lower()
    offline = cfg.current   # 2.1.329 resolves aliases from its own catalog (facts)
    family = (ALIAS_STANDS_FOR_329 if offline else ALIAS_STANDS_FOR).get(alias, alias)
    if _legacy_opus(cfg, alias, provider, notes):
        family = "opus"
    if family not in ALIAS_VARIABLES:
        return name
    if alias in ALIAS_NOTES and (not offline or alias == "opusplan"):
        notes.append(ALIAS_NOTES[alias])
    variable = ALIAS_VARIABLES[family]
    if (raw := cfg.raw(variable)) is not None:
        target = raw.strip()
        cfg.use(variable, target, changed="model")
        notes.append(f"`{name}` resolves to {target} ({variable})")
    else:
        target = ALIAS_TARGETS_329[provider.kind][family] if offline else _builtin_alias(cfg, family, provider, notes)
        notes.append(f"`{name}` resolves to {target} on {PROVIDER_TITLES[provider.kind]} "
                     f"(Claude Code {cfg.version})")
    return target if split_one_m(target)[1] or not one_m else target + ONE_M_SUFFIX


def _builtin_alias(cfg: Config, family: str, provider: Provider, notes: list[str]) -> str:
    """The alias table of 5.1a; a gateway speaks the Anthropic API, so it takes that column.
    Targets the docs do not give for old releases are assumed (and noted)."""
    if family == "haiku":
        return "claude-haiku-4-5"
    if family == "fable":
        return "claude-fable-5"
    if family == "sonnet":
        if provider.kind in CLOUD_KINDS:
            return "claude-sonnet-4-5"
        if cfg.version >= SONNET_5:
            return "claude-sonnet-5"
        notes.append("Sonnet 5 needs 2.1.197+; the docs do not say what `sonnet` named before, "
                     "cfglint assumes Sonnet 4.6")
        return "claude-sonnet-4-6"
    if provider.kind == "foundry":
        return "claude-opus-4-6"
    if cfg.version >= OPUS_5:
        return "claude-opus-5"
    if cfg.version >= OPUS_4_8:
        return "claude-opus-4-8"
    notes.append("the docs do not say what `opus` named before 2.1.154; cfglint assumes Opus 4.6")
    return "claude-opus-4-6"


def _apply_overrides(cfg: Config, model: Model) -> Model:
    """`modelOverrides` maps an Anthropic id to the provider's id: the key is what Claude Code
    knows (catalog), the value is what it sends; a configured value maps back onto its key."""
    overrides = cfg.value(("modelOverrides",))
    if not isinstance(overrides, dict):
        return model
    for key, value in sorted(overrides.items()):
        if not isinstance(value, str):
            continue
        if catalog_key(key, cfg.current) == model.catalog_id:
            return model._replace(sent_id=value)
        if value == model.sent_id:
            return model._replace(catalog_id=catalog_key(key, cfg.current))
    return model


def _recognised(cfg: Config, model: Model) -> bool:
    """2.1.329: in the catalog after canonicalisation; before: a `claude-` id (aliases resolve to one)."""
    if cfg.current:
        return model.catalog_id in CATALOG_WINDOW
    return model.catalog_id.startswith("claude-")


def _lookup(inp: ResolveInput, model: Model) -> RegistryMatch:
    """The registry entry of the served model (registry.md 7.2): Bedrock spells Claude ids
    `anthropic.<id>`; an id mapped by modelOverrides falls back to its Anthropic id."""
    provider = model.provider

    def find(model_id: str) -> RegistryMatch:
        if provider.kind == "bedrock" and model_id.lower().startswith("claude-"):
            model_id = "anthropic." + model_id
        return inp.registry.lookup(model_id + (ONE_M_SUFFIX if model.one_m else ""),
                                   provider=provider.registry_name, base_url=provider.base_url)

    match = find(model.sent_id)
    if not match.found and model.catalog_id != canonical_id(model.sent_id):
        match = find(model.catalog_id)
    return match


# --- window --------------------------------------------------------------------------------------------


def _window(cfg: Config, budget: Budget, model: Model) -> tuple[Quantity, Quantity | None]:
    """Sets `window` (= `hard_limit`): min(kR, the configured window); returns kR and the
    configured window (None: the model default applies)."""
    kr = _model_window(cfg, budget, model)
    configured = _env_window(cfg)
    if configured is None and not (cfg.current and _auto_compact_off(cfg)):
        configured = _settings_window(cfg, budget, model)
    budget.window = budget.hard_limit = _effective_window(cfg, budget, kr, configured)
    return kr, configured


def _auto_compact_off(cfg: Config) -> bool:
    """2.1.329's `km()` is false: it then hands no window settings to the window resolution
    (`gee`: `g=km()?o:void 0`), so only the variable and the model default are left."""
    return (truthy(cfg.raw(DISABLE_COMPACT)) or truthy(cfg.raw(DISABLE_AUTO_COMPACT))
            or cfg.value(("autoCompactEnabled",)) is False)


def _plain_int_variable(cfg: Config, name: str, numeric: bool = False) -> int | None:
    """A plain-integer variable (`8k` reads as 8; `numeric`: read like the other numeric variables,
    `1e4` and `64_000` as meant from 2.1.211): its positive value, recording ENV001 problems."""
    raw = cfg.raw(name)
    if raw is None:
        return None
    value = parse_numeric(raw, cfg.version) if numeric else parse_int(raw)
    meant = parse_window(raw)
    if value is None or value <= 0:
        cfg.use(name, value, problem=f"`{raw}` is not a positive integer: Claude Code ignores it",
                fix=f"write {name} as a plain positive integer")
        return None
    if not is_plain(raw) and (value != meant or not numeric):
        cfg.use(name, value, problem=f"`{raw}` reads as {n(value)} ({name} takes a plain integer)",
                fix=f"write {name}={meant}" if meant and meant != value else f"write {name} in digits only")
    else:
        cfg.use(name, value)
    return value


def _max_context_given(cfg: Config) -> bool:
    """REG001: a positive CLAUDE_CODE_MAX_CONTEXT_TOKENS states the window itself."""
    use = cfg.uses.get(MAX_CONTEXT)
    return use is not None and isinstance(use.parsed, int) and use.parsed > 0


def _max_context_applies(cfg: Config, is_claude: bool, one_m: bool, disable_1m: bool,
                         disable_compact: bool) -> bool:
    """CLAUDE_CODE_MAX_CONTEXT_TOKENS (4, 5.0): on any id before 2.1.193; since, directly only on
    non-Claude ids without `[1m]`, on `[1m]` ones with CLAUDE_CODE_DISABLE_1M_CONTEXT, and on
    Claude ids with DISABLE_COMPACT."""
    if not cfg.current and cfg.version < MAX_CONTEXT_RESTRICTED:
        return True
    return disable_compact or (not is_claude and (not one_m or disable_1m))


def _model_window(cfg: Config, budget: Budget, model: Model) -> Quantity:
    """kR: the window Claude Code assumes for the model (5.0; before 2.1.329: 5.1)."""
    max_context = _plain_int_variable(cfg, MAX_CONTEXT)
    disable_1m = cfg.switch(DISABLE_1M)
    disable_compact = cfg.switch(DISABLE_COMPACT)
    is_claude = _recognised(cfg, model)
    if max_context is not None:
        if _max_context_applies(cfg, is_claude, model.one_m, disable_1m, disable_compact):
            cfg.use(MAX_CONTEXT, changed="model window")
            return Quantity(max_context, cfg.env_source(MAX_CONTEXT), f"{MAX_CONTEXT} = {n(max_context)}")
        if cfg.current and not is_claude and model.one_m and not disable_1m and max_context > ONE_M_WINDOW:
            # measured on 2.1.329 (tools/fidelity/claude_code.py): `[1m]` on an unrecognised id is
            # 1,000,000 or the variable, whichever is larger
            cfg.use(MAX_CONTEXT, changed="model window")
            return Quantity(max_context, cfg.env_source(MAX_CONTEXT),
                            f"`[1m]` on an unrecognised id: max(1,000,000, {n(max_context)}) = {n(max_context)}")
        needs = DISABLE_COMPACT if is_claude else DISABLE_1M
        _effect(budget, "CMP004", f"{MAX_CONTEXT} has no effect on `{model.name}` without {needs}",
                cfg.env_source(MAX_CONTEXT), Severity.WARNING,
                fix=f"set {AUTO_COMPACT_WINDOW} instead" if is_claude else f"also set {DISABLE_1M}=1 or drop `[1m]`")
    if model.one_m and not disable_1m:
        return Quantity(ONE_M_WINDOW, model.source, "`[1m]` suffix: 1,000,000")
    if not cfg.current and not model.provider.first_party:
        return Quantity(DEFAULT_WINDOW, model.provider.source or model.source,
                        "third-party providers resolve to 200,000 without `[1m]` (#65966)")
    catalog = CATALOG_WINDOW.get(model.catalog_id)
    if catalog is not None:
        if disable_1m and catalog > DEFAULT_WINDOW:
            cfg.use(DISABLE_1M, changed="model window")
            return Quantity(DEFAULT_WINDOW, cfg.env_source(DISABLE_1M),
                            f"{DISABLE_1M}: {model.catalog_id} held to 200,000")
        return Quantity(catalog, model.source, f"Claude Code catalog: {model.catalog_id} = {n(catalog)}")
    if is_claude or not cfg.current:
        return Quantity(DEFAULT_WINDOW, model.source, "default window for a model Claude Code does not know: 200,000")
    if disable_1m:
        cfg.use(DISABLE_1M, changed="model window")
        return Quantity(DEFAULT_WINDOW, cfg.env_source(DISABLE_1M), f"{DISABLE_1M}: unrecognised id held to 200,000")
    return Quantity(ONE_M_WINDOW, model.source, "unrecognised id: Claude Code assumes 1,000,000")


def _env_window(cfg: Config) -> Quantity | None:
    """CLAUDE_CODE_AUTO_COMPACT_WINDOW as the target reads it (5.0 parsing from 2.1.329; before,
    plain digits else the leading digits, clamped to 100,000..1,000,000), with ENV001 problems."""
    raw = cfg.raw(AUTO_COMPACT_WINDOW)
    if raw is None:
        return None
    meant = parse_window(raw)
    fix = f"write {AUTO_COMPACT_WINDOW}={max(meant, MIN_WINDOW)}" if meant and meant > 0 else None
    value = parse_window(raw) if cfg.current else parse_int(raw)
    if value is None or (cfg.current and value <= 0):
        cfg.use(AUTO_COMPACT_WINDOW, value, problem=f"`{raw}` is not a usable window: Claude Code ignores it "
                                                    "and the settings decide", fix=fix)
        return None
    upper = math.inf if cfg.current else MAX_WINDOW_BEFORE_329
    read = min(max(value, MIN_WINDOW), upper)
    steps = []
    if not cfg.current and not is_plain(raw):
        steps.append(f"reads as {n(value)} ({AUTO_COMPACT_WINDOW} takes a plain integer before 2.1.329)")
    if read != value:
        steps.append(f"is {'raised' if read > value else 'lowered'} to {n(read)}")
    source = cfg.env_source(AUTO_COMPACT_WINDOW)
    if steps:
        cfg.use(AUTO_COMPACT_WINDOW, read, problem=f"`{raw}` " + " and ".join(steps), fix=fix)
        return Quantity(read, source, f"`{raw}` -> {n(read)}")
    cfg.use(AUTO_COMPACT_WINDOW, read)
    return Quantity(read, source)


def _settings_window(cfg: Config, budget: Budget, model: Model) -> Quantity | None:
    """The window settings: `modelSettings.<canonical id>.autoCompactWindow` (an int >= 100,000 or
    "auto", 2.1.329+) beats top-level `autoCompactWindow`; before 2.1.329 the top-level key is
    clamped to 100,000..1,000,000 (5.2)."""
    if not cfg.current:
        value = cfg.value(("autoCompactWindow",))
        if not is_count(value):
            return None
        read = min(max(value, MIN_WINDOW), MAX_WINDOW_BEFORE_329)
        clamp = f"{n(value)} clamped to {n(read)}" if read != value else ""
        return Quantity(read, cfg.source(("autoCompactWindow",)), clamp)
    key = _model_settings_key(cfg, model)
    for path in (("modelSettings", key, "autoCompactWindow"), ("autoCompactWindow",)):
        value = cfg.value(path)
        if value == "auto" and path[0] == "modelSettings":
            budget.notes.append(f"modelSettings.{model.catalog_id}.autoCompactWindow is \"auto\": "
                                "the model default applies")
            return None
        if is_count(value) and value >= MIN_WINDOW:
            return Quantity(value, cfg.source(path))
        if value is not None:
            budget.notes.append(f"{'.'.join(path)} = {value!r} is not an integer >= 100,000; Claude Code ignores it")
    return None


def _model_settings_key(cfg: Config, model: Model) -> str:
    """The `modelSettings` key 2.1.329 reads for the model: keys are canonicalised like model ids
    (`EU`: alias resolved, catalog id, no `[1m]`); a key written exactly as the canonical id wins,
    else the first one (`aEn`: `let k=EU(g);if(g===k||!Object.hasOwn(r,k))r[k]=y`)."""
    entries = cfg.value(("modelSettings",))
    if not isinstance(entries, dict):
        return model.catalog_id
    matching = [key for key, entry in entries.items()
                if isinstance(entry, dict) and "autoCompactWindow" in entry
                and _settings_key(cfg, key, model.provider) == model.catalog_id]
    return model.catalog_id if model.catalog_id in matching or not matching else matching[0]


def _settings_key(cfg: Config, key: str, provider: Provider) -> str:
    """`EU(key)`: an alias's target (its variable, else the 2.1.329 catalog), as a catalog key."""
    base = split_one_m(key)[0].strip()
    family = ALIAS_STANDS_FOR_329.get(base.lower(), base.lower())
    if family in ALIAS_VARIABLES and cfg.current:
        base = split_one_m(cfg.raw(ALIAS_VARIABLES[family]) or ALIAS_TARGETS_329[provider.kind][family])[0].strip()
    return catalog_key(base, cfg.current)


def _effective_window(cfg: Config, budget: Budget, kr: Quantity, configured: Quantity | None) -> Quantity:
    """window = min(kR, configured): a setting lowers the window, never raises it (CMP004 when capped)."""
    if configured is None:
        return kr
    value = min(kr.value, configured.value)
    formula = f"min({n(kr.value)}, {n(configured.value)}) = {n(value)}"
    if configured.formula:
        formula = f"{configured.formula}; {formula}"
    if configured.value > kr.value:
        name = AUTO_COMPACT_WINDOW if configured.source.kind == ENV else configured.source.label
        _effect(budget, "CMP004", f"{name} {n(configured.value)} is above the resolved model window {n(kr.value)} "
                                  "(capped)",
                configured.source, Severity.WARNING, fix=f"set it to at most {n(kr.value)}",
                configured=configured.value, model_window=kr.value)
    elif configured.source.kind == ENV:
        cfg.use(AUTO_COMPACT_WINDOW, changed="window")
    return Quantity(value, configured.source, formula)


# --- output ------------------------------------------------------------------------------------------


def _output(cfg: Config, budget: Budget, model: Model) -> int:
    """Sets `max_tokens_normal` and `configured_output`; returns the reserve the threshold
    subtracts, min(max output, 20,000)."""
    budget.max_tokens_normal, budget.configured_output = _max_output(cfg, budget, model)
    _thinking_budget(cfg, budget, budget.max_tokens_normal.value)
    return min(budget.max_tokens_normal.value, RESERVE_CAP)


def _max_output(cfg: Config, budget: Budget, model: Model) -> tuple[Quantity, Quantity | None]:
    """(max_output_tokens, the env cap that reaches the request): CLAUDE_CODE_MAX_OUTPUT_TOKENS
    (plain integer; NaN or <= 0 -> the default) else the catalog default, capped at the upper limit.
    Every catalog default below 20,000 equals its upper limit, so the reserve `min(this, 20,000)`
    is also what 5.2 computes from the upper limit for older targets."""
    default_tokens, upper = OUTPUT_LIMITS.get(model.catalog_id, UNKNOWN_OUTPUT)
    known = model.catalog_id if model.catalog_id in OUTPUT_LIMITS else "unrecognised ids"
    fallback = default(default_tokens, f"Claude Code catalog: {known} default output {n(default_tokens)} "
                                       f"(upper {n(upper)})")
    value = _plain_int_variable(cfg, MAX_OUTPUT, numeric=True)
    if value is None:
        return fallback, None
    source = cfg.env_source(MAX_OUTPUT)
    if min(value, upper) != default_tokens:
        cfg.use(MAX_OUTPUT, changed="max output tokens")
    if value > upper:
        _effect(budget, "CMP004", f"{MAX_OUTPUT} {n(value)} is above the {n(upper)} output limit of {known} (capped)",
                source, Severity.WARNING, fix=f"set {MAX_OUTPUT}={upper}", configured=value, upper=upper)
        capped = Quantity(upper, source, f"min({n(value)}, {n(upper)}) = {n(upper)}")
        return capped, capped
    written = Quantity(value, source)
    return written, written


def _thinking_budget(cfg: Config, budget: Budget, output: int) -> None:
    """MAX_THINKING_TOKENS (5.4): max(1,024, min(value, output - 1)) when set and nonzero;
    recorded for explain (no budget field holds it)."""
    raw = cfg.raw(MAX_THINKING)
    if raw is None:
        return
    value = parse_numeric(raw, cfg.version)
    meant = parse_numeric(raw, CURRENT_RULES)
    if value is None:
        cfg.use(MAX_THINKING, problem=f"`{raw}` is not a number: Claude Code ignores it",
                fix=f"write {MAX_THINKING} as an integer")
        return
    if value != meant:
        cfg.use(MAX_THINKING, value, problem=f"`{raw}` reads as {n(value)} before {NUMERIC_SPELLINGS}",
                fix=f"write {MAX_THINKING}={meant}")
    if value <= 0:
        cfg.use(MAX_THINKING, 0)
        return
    thinking = max(MIN_THINKING, min(value, output - 1))
    cfg.use(MAX_THINKING, thinking, changed="thinking budget")
    budget.notes.append(f"thinking budget max(1,024, min({n(value)}, {n(output)} - 1)) = {n(thinking)} "
                        "(ignored on adaptive-reasoning models unless CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING=1)")


# --- trigger: gate and threshold ------------------------------------------------------------------------


class Gate(FrozenRecord):
    """Whether compaction runs proactively: `state` is proactive | reactive | never | off."""

    __slots__ = ("state", "source", "reason", "fix")

    def __init__(self, state: str, source: Provenance, reason: str = "", fix: str = "") -> None:
        self.state = state
        self.source = source
        self.reason = reason
        self.fix = fix


class Threshold(FrozenRecord):
    """The auto-compact threshold, the rule that decided it and the input behind that rule."""

    __slots__ = ("value", "rule", "formula", "source")

    def __init__(self, value: int, rule: TriggerRule, formula: str, source: Provenance) -> None:
        self.value = value
        self.rule = rule
        self.formula = formula
        self.source = source


def _trigger(cfg: Config, budget: Budget, model: Model, configured: Quantity | None, reserve: int) -> Gate:
    """Sets the trigger fields: the threshold when the gate is open, else None with the threshold
    that would apply in the formula; returns the gate."""
    context = budget.model_context.value if budget.model_context else None
    gate = _switched_off(cfg, budget) or (_gate_current(cfg, model, configured, context) if cfg.current
                                          else _gate_before_329(cfg, model, configured, context))
    proactive = gate.state == "proactive"
    pct = _pct_override(cfg)
    found = _threshold(cfg, budget, budget.window, reserve, budget.max_tokens_normal.source, pct, proactive)
    if cfg.current:
        found = _first_compacting_count(found, budget.block_at)
    if pct is not None and not proactive:
        _effect(budget, "CMP004", f"{PCT_OVERRIDE} has no effect: Claude Code does not compact proactively here "
                                  f"({gate.reason})", cfg.env_source(PCT_OVERRIDE), Severity.WARNING,
                fix=gate.fix)
    _apply_gate(budget, gate, found)
    return gate


def _switched_off(cfg: Config, budget: Budget) -> Gate | None:
    """Deliberate switch-offs (5.0): DISABLE_COMPACT, DISABLE_AUTO_COMPACT, `autoCompactEnabled: false`
    (read from settings.json only from ~2.1.90, #42817)."""
    if cfg.switch(DISABLE_COMPACT):
        cfg.use(DISABLE_COMPACT, changed="auto-compaction")
        return Gate("off", cfg.env_source(DISABLE_COMPACT), "DISABLE_COMPACT turns off auto-compaction and /compact",
                    f"remove {DISABLE_COMPACT} to compact again")
    if cfg.switch(DISABLE_AUTO_COMPACT):
        cfg.use(DISABLE_AUTO_COMPACT, changed="auto-compaction")
        return Gate("off", cfg.env_source(DISABLE_AUTO_COMPACT),
                    "DISABLE_AUTO_COMPACT turns off auto-compaction (/compact still works)",
                    f"remove {DISABLE_AUTO_COMPACT} to compact automatically")
    if cfg.value(("autoCompactEnabled",)) is False:
        source = cfg.source(("autoCompactEnabled",))
        if cfg.version < AUTO_COMPACT_ENABLED_READ:
            _effect(budget, "CMP004", f"Claude Code {cfg.version} reads autoCompactEnabled only from ~/.claude.json "
                                      "(settings.json copy ignored before ~2.1.90, #42817)", source, Severity.WARNING,
                    fix="set it with `claude config set -g autoCompactEnabled false`")
            return None
        return Gate("off", source, "autoCompactEnabled is false", "remove `autoCompactEnabled: false`")
    return None


def _window_fix(context: int | None) -> str:
    """CMP002 fix: give Claude Code a window so the gate opens."""
    target = f"{context}" if context else "<the model's real window>"
    return f"set {AUTO_COMPACT_WINDOW}={target} in the settings env block (or `autoCompactWindow`)"


def _gate_current(cfg: Config, model: Model, configured: Quantity | None, context: int | None) -> Gate:
    """The 2.1.329 gate (5.0 table): proactive unless the window source is "auto"."""
    if configured is not None:
        return Gate("proactive", configured.source)
    one_m = model.one_m and not truthy(cfg.raw(DISABLE_1M))
    if _recognised(cfg, model):
        if model.catalog_id in NATIVE_1M or (model.catalog_id in MODEL_DEFAULT_SOURCE and not one_m):
            return Gate("proactive", model.source)
        return _reactive(model)
    if one_m:
        return Gate("never", model.source, f"`{model.name}` is an unrecognised id with `[1m]` and no window "
                                           "setting: the window source is \"auto\", so Claude Code never compacts "
                                           "proactively", _window_fix(context))
    if cfg.switch(DISABLE_UNKNOWN_ENFORCEMENT):
        return _unknown_enforcement_off(cfg, model, context)
    return Gate("proactive", model.source)


def _reactive(model: Model) -> Gate:
    """A Claude model whose window source is "auto": compaction happens on prompt-too-long."""
    return Gate("reactive", model.source, REACTIVE_REASON,
                f"set {AUTO_COMPACT_WINDOW} (or `autoCompactWindow`) to make Claude Code compact proactively")


def _unknown_enforcement_off(cfg: Config, model: Model, context: int | None) -> Gate:
    """CLAUDE_CODE_DISABLE_UNKNOWN_MODEL_WINDOW_ENFORCEMENT=1 on an unrecognised id (CMP002 warning)."""
    cfg.use(DISABLE_UNKNOWN_ENFORCEMENT, changed="auto-compaction")
    return Gate("never", cfg.env_source(DISABLE_UNKNOWN_ENFORCEMENT),
                f"{DISABLE_UNKNOWN_ENFORCEMENT} skips proactive compaction for the unrecognised id `{model.name}`",
                f"unset {DISABLE_UNKNOWN_ENFORCEMENT} or " + _window_fix(context))


def _gate_before_329(cfg: Config, model: Model, configured: Quantity | None, context: int | None) -> Gate:
    """The gate of 5.3 and 6: a window setting always opens it; before 2.1.131 there is none;
    third parties without a window never compact on 2.1.154/2.1.161..2.1.222; from 2.1.223 an
    unrecognised id compacts at the assumed window unless enforcement is switched off; Claude
    models compact proactively only where the 2026-08-22 docs say so, else at the model's limit."""
    provider = model.provider
    if configured is not None or cfg.version < GATE_FIRST_SEEN:
        return Gate("proactive", configured.source if configured else model.source)
    cloud_gate = provider.kind in ("bedrock", "vertex") and in_range(cfg.version, CLOUD_GATE)
    if cloud_gate or (provider.kind == "gateway" and in_range(cfg.version, GATEWAY_GATE)):
        issue = "#64802" if cloud_gate else "#65585"
        return Gate("never", provider.source or model.source,
                    f"Claude Code {cfg.version} never auto-compacts on {PROVIDER_TITLES[provider.kind]} without an "
                    f"auto-compact window ({issue})", _window_fix(context))
    if not _recognised(cfg, model):
        if cfg.version >= UNKNOWN_ENFORCEMENT_SWITCH and cfg.switch(DISABLE_UNKNOWN_ENFORCEMENT):
            return _unknown_enforcement_off(cfg, model, context)
        return Gate("proactive", model.source)
    if truthy(cfg.raw(DISABLE_1M)):
        return Gate("proactive", cfg.env_source(DISABLE_1M))
    proactive = PROACTIVE_BEFORE_329 + (PROACTIVE_ON_CLOUD_BEFORE_329 if provider.kind in CLOUD_KINDS else ())
    if model.catalog_id in proactive and not model.one_m:
        return Gate("proactive", model.source)
    return _reactive(model)


def _threshold(cfg: Config, budget: Budget, window: Quantity, reserve: int, reserve_source: Provenance,
               pct: float | None, proactive: bool) -> Threshold:
    """threshold = window - reserve - 13,000; a PCT override can only lower it (5.0, 5.2)."""
    effective = window.value - reserve
    base = effective - BUFFER
    written = reserve_source if reserve < RESERVE_CAP and reserve_source.kind == ENV else window.source
    plain = Threshold(base, "window - reserve - 13,000 buffer",
                      f"{n(window.value)} - {n(reserve)} - 13,000 = {n(base)}", written)
    if pct is None:
        return plain
    # 2.1.329 divides first (`Math.floor(e*(g/100))`: 330,000 × 0.35 = 115,499.99...); older
    # releases as documented.
    lowered = math.floor(effective * (pct / 100)) if cfg.current else math.floor(effective * pct / 100)
    formula = f"min(floor({n(effective)} × {pct:g} / 100), {n(base)})"
    if lowered < base:
        if proactive:
            cfg.use(PCT_OVERRIDE, changed="threshold")
        return Threshold(lowered, "PCT override", f"{formula} = {n(lowered)}", cfg.env_source(PCT_OVERRIDE))
    if proactive:
        _effect(budget, "CMP004", f"{PCT_OVERRIDE} {pct:g} has no effect: floor({n(effective)} × {pct:g} / 100) = "
                                  f"{n(lowered)} is not below the default threshold {n(base)}",
                cfg.env_source(PCT_OVERRIDE), Severity.WARNING,
                fix=f"use at most {math.floor(base * 1000 / effective) / 10:g} or remove it", pct=pct, default=base)
    return Threshold(base, plain.rule, f"{formula} = {n(base)}", plain.source)


def _first_compacting_count(found: Threshold, block: Quantity) -> Threshold:
    """2.1.329 compacts at the first token count whose level is `compact` or `blocked` (`zkt`:
    `if(e>=z)return{level:"blocked"...}if(r.enabled&&e>=y)return{level:"compact"...}`), so a blocking
    limit below the threshold (CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE) fires first, and a threshold
    below zero fires at 0 tokens."""
    value = max(0, min(found.value, block.value))
    if value == found.value:
        return found
    source = block.source if block.value < found.value else found.source
    formula = f"{found.formula}; max(0, min({n(found.value)}, blocking limit {n(block.value)})) = {n(value)}"
    return found._replace(value=value, formula=formula, source=source)


def _pct_override(cfg: Config) -> float | None:
    """CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: parseFloat (`50%` = 50), used when 0 < PCT <= 100."""
    raw = cfg.raw(PCT_OVERRIDE)
    if raw is None:
        return None
    value = parse_float(raw)
    if value is None or not 0 < value <= 100:
        cfg.use(PCT_OVERRIDE, value, problem=f"`{raw}` is not a percentage in (0, 100]: Claude Code ignores it",
                fix=f"write {PCT_OVERRIDE} as a number from 1 to 100")
        return None
    if value < 1:
        cfg.use(PCT_OVERRIDE, value, severity=Severity.WARNING,
                problem=f"`{raw}` reads as {value:g} % of the window, not {value * 100:g} %",
                fix=f"write {PCT_OVERRIDE}={value * 100:g} for {value * 100:g} %")
    else:
        cfg.use(PCT_OVERRIDE, value)
    return value


def _apply_gate(budget: Budget, gate: Gate, found: Threshold) -> None:
    """Fill the trigger fields from the gate: the threshold when proactive, else None with the
    threshold that would apply in the formula."""
    if gate.state == "proactive":
        budget.trigger = Quantity(found.value, found.source, found.formula)
        budget.trigger_rule, budget.proactive = found.rule, True
        budget.every_step = found.value <= 0
        budget.headroom = kit.headroom(budget.hard_limit, budget.trigger)
        budget.max_tokens_at_trigger = budget.max_tokens_normal
        return
    budget.proactive = False
    budget.trigger_reason = gate.reason
    budget.trigger = Quantity(None, gate.source, f"would be {found.formula} if compaction were proactive")
    if gate.state == "reactive":
        budget.trigger_rule = "reactive by design"
        budget.notes.append(f"{budget.model_id} has no auto-compact window: Claude Code {REACTIVE_REASON} "
                            "(on the provider's prompt-too-long error, retrying with a smaller max_tokens)")
        return
    budget.trigger_rule = "never"
    budget.deliberate_off = gate.state == "off"
    _effect(budget, "CMP002", gate.reason, gate.source, Severity.INFO if budget.deliberate_off else Severity.WARNING,
            fix=gate.fix or None)


def _blocking_limit(cfg: Config, kr: Quantity, window: Quantity, reserve: int) -> Quantity:
    """Where the turn blocks: 2.1.329 uses the model window kR (or CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE
    > 0); older releases the window after the auto-compact setting (5.2 constants)."""
    if cfg.current and (raw := cfg.raw(BLOCKING_OVERRIDE)) is not None:
        value = parse_numeric(raw, cfg.version)
        if value is not None and value > 0:
            cfg.use(BLOCKING_OVERRIDE, value, changed="blocking limit")
            return Quantity(value, cfg.env_source(BLOCKING_OVERRIDE))
        cfg.use(BLOCKING_OVERRIDE, value)
    base = kr if cfg.current else window
    value = base.value - reserve - BLOCK_BUFFER
    formula = f"{n(base.value)} - {n(reserve)} - 3,000 = {n(value)}"
    if cfg.current and value < 0:   # the first token count is 0: it blocks at once
        value, formula = 0, f"max(0, {formula})"
    return Quantity(value, base.source, formula)


# --- fixes ---------------------------------------------------------------------------------------------


def _fixes(model: Model, context: Quantity | None, output: Quantity | None, gate: Gate, reserve: int) -> Fixes:
    """Claude Code's fix text per finding kind."""
    context_value = context.value if context else None
    reg003 = f"set {AUTO_COMPACT_WINDOW}={context_value if context_value else '<the real window>'}"
    if not model.catalog_id.startswith("claude-"):
        reg003 += f" (or {MAX_CONTEXT} for `{model.sent_id}`)"
    fixes = Fixes(
        cmp001=f"compact earlier with {PCT_OVERRIDE} or a lower {AUTO_COMPACT_WINDOW} (the trigger sits "
               f"{n(reserve + BUFFER)} below the window), or lower {MAX_OUTPUT}",
        cmp002=gate.fix or None,
        cmp003=f"write {MAX_CONTEXT} and {AUTO_COMPACT_WINDOW} as full integers (no `k` suffix)",
        reg003=reg003,
    )
    if output and output.value:
        fixes.cmp005_normal = fixes.reg002 = f"set {MAX_OUTPUT}={output.value}"
    return fixes
