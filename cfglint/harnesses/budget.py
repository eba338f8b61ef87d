"""The budget record: what a harness will do with one model, every number with its provenance.

Resolvers (one per harness unit, `resolve(inp)`) are pure functions that return
`Budget`s. The REG/CMP/ENV rules and `cfglint explain`
read these records and never redo the arithmetic: a rule compares two numbers
the resolver already computed and reports the provenance of each.
"""

from __future__ import annotations


from cfglint.core.document import Document, Path, format_path
from cfglint.core.finding import Severity
from cfglint.core.record import FrozenRecord, Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Mapping
    from cfglint.harnesses.base import Merged
    from cfglint.registry import Registry, RegistryMatch


# --- provenance -----------------------------------------------------------------

SETTING, ENV, REGISTRY, DEFAULT, DERIVED = "setting", "env", "registry", "default", "derived"


class Provenance(Record):
    """Where a number came from.

    kind: `setting` (a key in a config file: `doc` + `path`), `env` (a variable:
    `label` is its name; `doc`/`path` when an env block in a file set it),
    `registry` (`label` names the entry and snapshot), `default` (a harness
    constant, `label` names it), `derived` (computed from other numbers: the
    Quantity's `formula` says how). Equality and hash leave `doc` out.
    """

    __slots__ = ("kind", "label", "doc", "path")

    def __init__(self, kind: str, label: str, doc: Document | None = None, path: Path | None = None) -> None:
        self.kind, self.label, self.doc, self.path = kind, label, doc, path

    def _fields(self) -> tuple:
        return self.kind, self.label, self.path

    def __hash__(self) -> int:
        return hash(self._fields())

    def describe(self) -> str:
        if self.kind == SETTING:
            where = f" in {self.doc.display_path}" if self.doc else ""
            return f"setting `{format_path(self.path or ())}`{where}"
        if self.kind == ENV:
            where = f" (env block of {self.doc.display_path})" if self.doc else ""
            return f"env {self.label}{where}"
        if self.kind == REGISTRY:
            return f"registry {self.label}"
        if self.kind == DEFAULT:
            return f"default: {self.label}"
        return self.label or "derived"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "label": self.label}
        if self.doc is not None:
            out["file"] = self.doc.display_path
        if self.path is not None:
            out["key"] = format_path(self.path)
        return out


class Quantity(FrozenRecord):
    """A number and how it was obtained. `value` None means unknown."""

    __slots__ = ("value", "source", "formula")

    def __init__(self, value: int | float | None, source: Provenance, formula: str = "") -> None:
        self.value, self.source, self.formula = value, source, formula

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "source": self.source.as_dict()}
        if self.formula:
            out["formula"] = self.formula
        return out


def setting(value: Any, doc: Document | None, path: Path) -> Quantity:
    return Quantity(value, Provenance(SETTING, format_path(path), doc, tuple(path)))


def default(value: Any, label: str) -> Quantity:
    return Quantity(value, Provenance(DEFAULT, label))


# --- environment ------------------------------------------------------------------


class EnvValue(Record):
    """One environment variable as the harness would see it, and where cfglint got it. Equality
    and hash leave `doc` out."""

    __slots__ = ("name", "value", "origin", "doc", "path")

    def __init__(self, name: str, value: str, origin: str, doc: Document | None = None,
                 path: Path | None = None) -> None:
        self.name, self.value, self.doc, self.path = name, value, doc, path
        self.origin = origin  # "command line" | "process environment" | "settings env block"

    def _fields(self) -> tuple:
        return self.name, self.value, self.origin, self.path

    def __hash__(self) -> int:
        return hash(self._fields())

    def source(self) -> Provenance:
        return Provenance(ENV, self.name, self.doc, self.path)


class Environment:
    """Environment values in precedence order (later layers win)."""

    def __init__(self, values: Mapping[str, EnvValue] | None = None) -> None:
        self._values: dict[str, EnvValue] = dict(values or {})

    @classmethod
    def external(cls, env: Mapping[str, str], origins: Mapping[str, str] | None = None) -> "Environment":
        """Variables from outside the files; `origins` names where each came from
        (`--env`, an env file, the process environment)."""
        origins = origins or {}
        return cls({k: EnvValue(k, v, origins.get(k, "--env")) for k, v in env.items()})

    def overlay(self, values: Mapping[str, EnvValue]) -> "Environment":
        merged = dict(self._values)
        merged.update(values)
        return Environment(merged)

    def get(self, name: str) -> EnvValue | None:
        return self._values.get(name)

    def value(self, name: str) -> str | None:
        found = self._values.get(name)
        return found.value if found else None

    def names(self) -> list[str]:
        return sorted(self._values)


class EnvUse(Record):
    """A variable the resolver consulted: its raw value, how the harness reads it, and whether
    it changed a number. `problem` (with `severity`) is set when the harness reads it
    differently from what was meant (ENV001)."""

    __slots__ = ("name", "raw", "parsed", "changed", "problem", "severity", "fix", "env")

    def __init__(self, name: str, raw: str | None, parsed: Any = None, changed: str | None = None,
                 problem: str | None = None, severity: Severity | None = None, fix: str | None = None,
                 env: EnvValue | None = None) -> None:
        self.name, self.raw, self.parsed = name, raw, parsed
        self.changed = changed  # which number it changed, if any
        self.problem, self.severity, self.fix, self.env = problem, severity, fix, env


# --- harness facts that rules report -----------------------------------------------


# The rules an `Effect` reports: a deliberate or silent switch-off (CMP002), a setting with no
# effect (CMP004), a known model replaced by a custom entry with default limits (CMP009), a model
# the harness drops or the provider no longer serves (REG005), a model the harness knows nothing
# about and gives its fallback metadata (CMP010). `Effect.code` is one of them.
EFFECT_CODES = ("CMP002", "CMP004", "CMP009", "CMP010", "REG005")

# Which rule of the harness decided the trigger (product.md "Numbers"); "never" = no proactive
# trigger, "reactive by design" = the harness compacts on the provider's prompt-too-long error
# by design, "unknown" = the harness decides at run time from data cfglint cannot see.
# `Budget.trigger_rule` is one of them.
TRIGGER_RULES = (
    "ratio", "reserve", "usable window", "threshold_percent", "input cap minus reserved",
    "window - reserve - 13,000 buffer", "PCT override", "percentage", "0.75 floor", "64,000 floor",
    "85% rule", "threshold_tokens cap", "never", "reactive by design", "unknown",
)
if TYPE_CHECKING:
    EffectCode = str  # one of EFFECT_CODES (a `Literal` would need `typing` at run time)
    TriggerRule = str  # one of TRIGGER_RULES


class Effect(Record):
    """A fact for a rule that is not a single comparison: a setting with no effect
    (CMP004), a deliberate switch-off (CMP002 info), a retired model (REG005)."""

    __slots__ = ("code", "message", "source", "severity", "fix", "details")

    def __init__(self, code: EffectCode, message: str, source: Provenance, severity: Severity | None = None,
                 fix: str | None = None, details: dict[str, Any] | None = None) -> None:
        self.code, self.message, self.source, self.severity, self.fix = code, message, source, severity, fix
        self.details = {} if details is None else details


class ResolveInput(Record):
    """Everything a resolver may read. Resolvers are pure functions of this."""

    __slots__ = ("merged", "version", "env", "registry", "model")

    def __init__(self, merged: "Merged", version: str, env: Environment, registry: "Registry",
                 model: str | None = None) -> None:
        self.merged = merged      # data, origin(path), layers
        self.version = version    # target version text, e.g. "2.1.0"
        self.env = env            # variables from outside the files (--env, --env-file, --use-env)
        self.registry = registry
        self.model = model        # resolve only this model (explain --model)


def registry_label(match: "RegistryMatch", registry: "Registry") -> str:
    """`zhipuai/glm-5.2 (models.dev@f3fc692 (2026-07-02))` for provenance and messages."""
    return f"{match.entry} ({registry.meta.describe()})"


def from_registry(value: int | None, match: "RegistryMatch", registry: "Registry", what: str) -> Quantity | None:
    """A registry limit as a Quantity (None when the registry does not know it)."""
    if value is None or match is None or not match.found:
        return None
    return Quantity(value, Provenance(REGISTRY, f"{registry_label(match, registry)} {what}"))


class Fixes(Record):
    """The harness's own fix text for a finding on this budget, in its terms (`lower
    max_context_size to 131,072`); None: the rule's generic fix applies. One field per finding
    kind, so a misspelt kind is an error, not a silent fallback."""

    __slots__ = ("cmp001", "cmp002", "cmp003", "cmp005_normal", "cmp005_compaction", "cmp006", "cmp007", "cmp008",
                 "reg002", "reg003")

    def __init__(self, cmp001: str | None = None, cmp002: str | None = None, cmp003: str | None = None,
                 cmp005_normal: str | None = None, cmp005_compaction: str | None = None, cmp006: str | None = None,
                 cmp007: str | None = None, cmp008: str | None = None, reg002: str | None = None,
                 reg003: str | None = None) -> None:
        self.cmp001 = cmp001                        # trigger leaves no headroom
        self.cmp002 = cmp002                        # no proactive compaction
        self.cmp003 = cmp003                        # compaction on every step
        self.cmp005_normal = cmp005_normal          # the normal request asks for more than the model's output limit
        self.cmp005_compaction = cmp005_compaction  # the compaction request does
        self.cmp006 = cmp006                        # compaction cannot shrink the context below the trigger
        self.cmp007 = cmp007                        # the output reservation starves the input
        self.cmp008 = cmp008                        # limits contradict each other
        self.reg002 = reg002                        # output cap above the model's limit
        self.reg003 = reg003                        # window above the model's context


# --- the record ---------------------------------------------------------------------


class Field(Record):
    """One Budget field with the rules (and `explain`) that read it: `RESOLVERS.md`'s table is
    generated from these (`python -m cfglint.harnesses.budget`), and a test checks each
    reader really reads its fields."""

    __slots__ = ("name", "read_by", "meaning", "required", "default", "factory")

    def __init__(self, name: str, read_by: tuple[str, ...], meaning: str, required: bool, default: Any,
                 factory: Any) -> None:
        self.name, self.read_by, self.meaning = name, read_by, meaning
        self.required, self.default, self.factory = required, default, factory


def _reads(*readers: str, meaning: str, default: Any = None, factory: Any = None, required: bool = False) -> Any:
    """A row of `_Fields` (named from its attribute when `Budget.FIELDS` is built)."""
    return Field("", readers, meaning, required, default, factory)


class _Fields:
    """Budget's fields, in order, with their types and readers: a table, not a dataclass (whose
    import and decoration cost every run ~5 ms, issue 15). `Budget.FIELDS` is read from it."""

    # identity
    dialect: str = _reads("explain", required=True, meaning="the dialect of the configuration")
    harness: str = _reads("wording", "explain", required=True, meaning="the harness's display name, in every message")
    version: str = _reads("wording", "explain", required=True, meaning="the targeted harness version, in every message")
    model: str = _reads("REG001", "wording", "explain", required=True, meaning="the model as configured (alias or `provider/model`)")
    model_id: str | None = _reads("explain", required=True, meaning="the id sent to the provider")
    provider: str | None = _reads("explain", required=True, meaning="the configured provider name")
    model_source: Provenance = _reads(
        "CMP001", "CMP002", "CMP003", "CMP005", "CMP006", "CMP007", "CMP008", "REG001", "REG002", "REG003",
        "REG004", "wording", required=True, meaning="where the model is configured: findings without a setting of their own point here")
    registry_match: "RegistryMatch | None" = _reads(
        "REG001", "wording", "explain", meaning="the registry entry used (registry.md 7.2, with the configured "
        "base URL and provider); an approximate match makes registry-based findings at most warnings")

    # windows and limits
    window: Quantity | None = _reads("CMP003", "CMP007", "CMP008", "REG003", "explain",
                                     meaning="the window the harness computes with")
    input_cap: Quantity | None = _reads("CMP003", "CMP008", "REG004", "explain", meaning="a prompt cap below the window")
    hard_limit: Quantity | None = _reads("CMP001", "explain",
                                         meaning="what the provider rejects above: the input cap if any, else the window")
    model_context: Quantity | None = _reads("REG003", "explain", meaning="the registry's context of the model")
    model_input: Quantity | None = _reads("REG004", "explain", meaning="the registry's input limit of the model")
    model_output: Quantity | None = _reads("CMP005", "REG002", "explain", meaning="the registry's output limit of the model")

    # compaction trigger: always set by a resolver. value None = never compacts proactively,
    # and then `source` is what switched it off (a setting, an env var, the model entry
    # without limits) and `trigger_reason` says why.
    trigger: Quantity | None = _reads(
        "CMP001", "CMP002", "CMP003", "CMP006", "CMP008", "REG003", "explain",
        meaning="tokens at which proactive compaction fires; value None = never (source: what switched it off)")
    trigger_rule: TriggerRule = _reads("CMP001", "explain", default="never",
                                       meaning="the harness rule that decided the trigger (one of `TRIGGER_RULES`)")
    trigger_reason: str = _reads("CMP002", "CMP003", "explain", default="",
                                 meaning="why (for no trigger: the reason, CMP002's message)")
    proactive: bool = _reads("explain", default=True,
                             meaning="False: the harness compacts only after a provider error")
    deliberate_off: bool = _reads("CMP002", default=False,
                                  meaning="switched off on purpose (CMP002 says so as info, with no fix)")
    every_step: bool = _reads("CMP001", "CMP002", "CMP003", "CMP006", "CMP007", "explain", default=False,
                              meaning="the trigger is at or below zero usable tokens: compaction on every step")
    block_at: Quantity | None = _reads("explain", meaning="where the harness blocks the turn, if not at the trigger")
    headroom: Quantity | None = _reads("CMP001", "explain", meaning="`hard_limit - trigger`")
    headroom_applies: bool = _reads(
        "CMP001", "CMP002", default=True,
        meaning="False where no reply can be cut off for lack of headroom: the harness compacts reactively and "
                "retries with a smaller max_tokens, or clamps the request to the room left with no output cap "
                "configured, or cannot use the model at all")

    # output budget
    configured_output: Quantity | None = _reads(
        "CMP005", "CMP008", "REG002", meaning="the output cap written in the config or env that reaches the request")
    max_tokens_normal: Quantity | None = _reads(
        "CMP001", "CMP005", "explain", meaning="the request cap before any remaining-window clamp (env cap, else "
        "configured max output, else the harness default, then fixed provider ceilings)")
    max_tokens_at_trigger: Quantity | None = _reads("explain", meaning="what is sent when the context sits at the trigger")
    max_tokens_compaction: Quantity | None = _reads(
        "CMP005", "explain", meaning="what the compaction request sends (None: unknown or not sent)")
    compaction_note: str = _reads("CMP005", "explain", default="", meaning="assumptions about the compaction path")
    output_reservation: Quantity | None = _reads(
        "CMP007", "explain", meaning="output subtracted from the window before the trigger")

    # after compaction
    kept_tail: Quantity | None = _reads("CMP006", "explain", meaning="the tail of the conversation a compaction keeps")
    post_compaction_floor: Quantity | None = _reads(
        "CMP006", "explain", meaning="kept tail + summary budget: the context right after a compaction")
    summary_model: str | None = _reads("CMP006", meaning="the model that writes the summary, when not the main one")
    summary_context: Quantity | None = _reads("CMP006", "explain", meaning="the summary model's window")
    summary_needed: Quantity | None = _reads("CMP006", "explain", meaning="the smallest summary-model window that works")

    # facts that are not one number
    env: list[EnvUse] = _reads("ENV001", "explain", factory=list,
                               meaning="every variable consulted: raw value, parsed value, what it changed, and "
                                       "how the harness misreads it (ENV001)")
    effects: list[Effect] = _reads("wording", factory=list,
                                   meaning="facts that are not one comparison, reported by the rule of their "
                                           "`code`: CMP002, CMP004, CMP009, CMP010, REG005")
    fixes: Fixes = _reads("CMP001", "CMP002", "CMP003", "CMP005", "CMP006", "CMP007", "CMP008", "REG002", "REG003",
                          factory=Fixes, meaning="the harness's own fix text per finding kind (`Fixes`)")
    notes: list[str] = _reads("explain", factory=list, meaning="assumptions, shown by explain")
    layers: list[str] = _reads("explain", factory=list, meaning="the files merged into the configuration")
    assumed_limits: str = _reads("REG001", default="",
                                 meaning="what the harness assumes for the limits the config leaves out "
                                         "(pi: a custom model gets 128,000 / 16,384), said by REG001")
    declared_limits: bool = _reads("REG001", default=False,
                                   meaning="the config, or the catalog the harness itself ships, states the limits "
                                           "the harness needs (no REG001)")


def _named(table: type) -> tuple[Field, ...]:
    fields = [(name, value) for name, value in vars(table).items() if isinstance(value, Field)]
    for name, f in fields:
        f.name = name
    return tuple(f for _, f in fields)


class Budget(Record):
    """What one harness version will do with one model of a configuration: the fields of
    `FIELDS` (`_Fields`), each given by keyword or else its default."""

    FIELDS = _named(_Fields)
    __slots__ = tuple(f.name for f in FIELDS)

    def __init__(self, **values: Any) -> None:
        for f in self.FIELDS:
            if f.name in values:
                value = values.pop(f.name)
            elif f.required:
                raise TypeError(f"Budget() missing required argument: {f.name!r}")
            else:
                value = f.default if f.factory is None else f.factory()
            setattr(self, f.name, value)
        if values:
            raise TypeError(f"Budget() got unexpected arguments: {', '.join(sorted(values))}")


def render_field_table() -> str:
    """`RESOLVERS.md`'s table of what reads each field, from `Budget.FIELDS`."""
    rows = ["| Field | Read by | Meaning |", "|---|---|---|"]
    for f in Budget.FIELDS:
        readers = ", ".join(f.read_by)
        rows.append(f"| `{f.name}` | {readers} | {f.meaning} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(render_field_table(), end="")
