"""The budget record: what a harness will do with one model, every number with its provenance.

Resolvers (one per harness, `cfglint.harnesses.<h>.resolver`) are pure
functions that return `Budget`s. The REG/CMP/ENV rules and `cfglint explain`
read these records and never redo the arithmetic: a rule compares two numbers
the resolver already computed and reports the provenance of each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from cfglint.document import Document, Path, format_path
from cfglint.findings import Severity

if TYPE_CHECKING:
    from cfglint.registry import RegistryMatch


# --- provenance -----------------------------------------------------------------

SETTING, ENV, REGISTRY, DEFAULT, DERIVED = "setting", "env", "registry", "default", "derived"


@dataclass(frozen=True)
class Source:
    """Where a number came from.

    kind: `setting` (a key in a config file: `doc` + `path`), `env` (a variable:
    `label` is its name; `doc`/`path` when an env block in a file set it),
    `registry` (`label` names the entry and snapshot), `default` (a harness
    constant, `label` names it), `derived` (computed from other numbers: the
    Quantity's `formula` says how).
    """

    kind: str
    label: str
    doc: Document | None = field(default=None, compare=False)
    path: Path | None = None

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


@dataclass(frozen=True)
class Quantity:
    """A number and how it was obtained. `value` None means unknown."""

    value: int | float | None
    source: Source
    formula: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "source": self.source.as_dict()}
        if self.formula:
            out["formula"] = self.formula
        return out


def setting(value: Any, doc: Document | None, path: Path) -> Quantity:
    return Quantity(value, Source(SETTING, format_path(path), doc, tuple(path)))


def default(value: Any, label: str) -> Quantity:
    return Quantity(value, Source(DEFAULT, label))


def derived(value: Any, formula: str, label: str = "") -> Quantity:
    return Quantity(value, Source(DERIVED, label or formula), formula)


# --- environment ------------------------------------------------------------------


@dataclass(frozen=True)
class EnvValue:
    """One environment variable as the harness would see it, and where cfglint got it."""

    name: str
    value: str
    origin: str  # "command line" | "process environment" | "settings env block"
    doc: Document | None = field(default=None, compare=False)
    path: Path | None = None

    def source(self) -> Source:
        return Source(ENV, self.name, self.doc, self.path)


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


@dataclass
class EnvUse:
    """A variable the resolver consulted: its raw value, how the harness reads it, and whether
    it changed a number. `problem` (with `severity`) is set when the harness reads it
    differently from what was meant (ENV001)."""

    name: str
    raw: str | None
    parsed: Any = None
    changed: str | None = None        # which number it changed, if any
    problem: str | None = None
    severity: Severity | None = None
    fix: str | None = None
    env: EnvValue | None = None


# --- harness facts that rules report -----------------------------------------------


@dataclass
class Effect:
    """A fact for a CMP rule that is not a single comparison: a setting with no effect
    (CMP004), a deliberate switch-off (CMP002 info), ... `code` names the rule."""

    code: str
    message: str
    source: Source
    severity: Severity | None = None
    fix: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class ResolveInput:
    """Everything a resolver may read. Resolvers are pure functions of this."""

    merged: Any                 # cfglint.harnesses.base.Merged: data, origin(path), layers
    version: str                # target version text, e.g. "2.1.0"
    env: Environment            # variables from outside the files (--env, --env-file, --use-env)
    registry: Any               # cfglint.registry.Registry
    model: str | None = None    # resolve only this model (explain --model)


def registry_label(match: "RegistryMatch", registry: Any) -> str:
    """`zhipuai/glm-5.2 (models.dev@f3fc692 (2026-07-02))` for provenance and messages."""
    return f"{match.entry} ({registry.meta.describe()})"


def from_registry(value: int | None, match: "RegistryMatch", registry: Any, what: str) -> Quantity | None:
    """A registry limit as a Quantity (None when the registry does not know it)."""
    if value is None or match is None or not match.found:
        return None
    return Quantity(value, Source(REGISTRY, f"{registry_label(match, registry)} {what}"))


def status_effect(match: "RegistryMatch | None", model_source: Source, *, retired_severity: Severity,
                  alpha_dropped: bool = False, harness: str = "") -> Effect | None:
    """REG005 for a model the registry marks `deprecated` (and, for Kilo without
    KILO_ENABLE_EXPERIMENTAL_MODELS, `alpha`)."""
    if match is None or not match.found:
        return None
    if match.status == "deprecated":
        return Effect("REG005", f"the registry marks {match.entry} deprecated (no longer served)",
                      model_source, retired_severity, fix="switch to a current model",
                      details={"status": "deprecated", "entry": match.entry})
    if match.status == "alpha" and alpha_dropped:
        return Effect("REG005", f"{match.entry} is an alpha model and {harness} drops alpha models unless "
                                "KILO_ENABLE_EXPERIMENTAL_MODELS is set", model_source, retired_severity,
                      fix="set KILO_ENABLE_EXPERIMENTAL_MODELS=1 or pick a released model",
                      details={"status": "alpha", "entry": match.entry})
    return None


# --- the record ---------------------------------------------------------------------


@dataclass
class Budget:
    """What one harness version will do with one model of a configuration."""

    dialect: str
    harness: str
    version: str
    model: str                          # as configured (alias or `provider/model`)
    model_id: str | None                # the id sent to the provider
    provider: str | None                # configured provider name
    model_source: Source                # where the model is configured (positions)
    registry: "RegistryMatch | None" = None

    # windows and limits
    window: Quantity | None = None      # the window the harness uses for its arithmetic
    input_cap: Quantity | None = None   # prompt cap below the window, if any
    hard_limit: Quantity | None = None  # what the provider rejects above (window or input cap)
    model_context: Quantity | None = None  # registry: the model's real context
    model_input: Quantity | None = None
    model_output: Quantity | None = None   # registry: the model's real output limit

    # compaction trigger: always set by a resolver. value None = never compacts proactively,
    # and then `source` is what switched it off (a setting, an env var, the model entry
    # without limits) and `trigger_reason` says why.
    trigger: Quantity | None = None
    trigger_rule: str = "never"         # which rule decided it (product.md "Numbers")
    trigger_reason: str = ""            # why (for "never": the reason)
    proactive: bool = True              # False: the harness compacts only after a provider error
    deliberate_off: bool = False        # switched off on purpose (CMP002 info)
    every_step: bool = False            # compacts on every step (CMP003)
    block_at: Quantity | None = None    # where the harness blocks the turn, if different
    headroom: Quantity | None = None    # hard limit minus trigger

    # output budget
    configured_output: Quantity | None = None      # output cap written in the config/env that reaches the request (REG002)
    max_tokens_normal: Quantity | None = None      # request cap before any remaining-window clamp
    max_tokens_at_trigger: Quantity | None = None  # what is sent with the context at the trigger
    max_tokens_compaction: Quantity | None = None  # what the compaction request sends
    compaction_note: str = ""                      # assumptions about the compaction path
    output_reservation: Quantity | None = None     # output subtracted from the window before the trigger (CMP007)
    headroom_applies: bool = True                  # False where no reply can be cut off for lack of headroom (CMP001; RESOLVERS.md)

    # after compaction
    kept_tail: Quantity | None = None
    post_compaction_floor: Quantity | None = None
    summary_model: str | None = None
    summary_context: Quantity | None = None
    summary_needed: Quantity | None = None         # smallest summary-model window that works (CMP006)

    env: list[EnvUse] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    # Harness-specific fix text per finding kind, e.g. "CMP005.compaction": "upgrade to >= 0.20.2
    # or set KIMI_MODEL_MAX_COMPLETION_TOKENS=131072"; keys: a rule code, or code.path for CMP005.
    fixes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    declared_limits: bool = False       # the config itself states the limits the harness needs

    def env_changed(self) -> list[EnvUse]:
        return [e for e in self.env if e.changed]
