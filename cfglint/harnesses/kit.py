"""The frame every resolver shares, so that each one reads like the others.

A resolver is `resolve(inp) -> list[Budget]`, written as functions in the record's order:

    def resolve(inp):
        cfg = ConfigReader(inp.merged)
        return [_budget(cfg, inp, m) for m in _models(cfg, inp)]   # default model first
    # _budget: start_budget -> window -> trigger -> output -> after compaction -> env/effects/fixes/notes

The arithmetic inside each step is the harness's own and stays in its unit; this module holds
only what was written four times: reading typed settings with their provenance, the identity
and registry part of a budget, the retired-model effect, headroom, and the one way numbers and
formulas are written (`n`, ASCII minus).
"""

from __future__ import annotations


from cfglint.core.document import Path, format_path, get_path
from cfglint.core.finding import Severity
from cfglint.core.numbers import tokens as n
from cfglint.harnesses.budget import SETTING, Budget, Effect, Provenance, Quantity, ResolveInput, from_registry, setting

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable
    from cfglint.harnesses.base import Harness, Merged
    from cfglint.registry import RegistryMatch


__all__ = ["ConfigReader", "start_budget", "retired_effect", "strong_match", "headroom", "difference", "smallest", "n"]


class ConfigReader:
    """Values of the merged configuration, each readable as a `Quantity` that points at the
    layer and key it came from. Units whose harness reads numbers differently (JavaScript
    doubles, lax strings) subclass it and override `number`."""

    def __init__(self, merged: "Merged") -> None:
        self.merged = merged
        self.data = merged.data

    def value(self, path: Path) -> Any:
        return get_path(self.data, path)

    def table(self, path: Path) -> dict:
        """The mapping at `path`, or an empty one (absent or not a mapping)."""
        found = self.value(path)
        return found if isinstance(found, dict) else {}

    def text(self, path: Path) -> str | None:
        """A non-empty string, else None."""
        found = self.value(path)
        return found if isinstance(found, str) and found else None

    def number(self, path: Path) -> int | float | None:
        """A number as the harness accepts it (here: an int or float, not a bool)."""
        found = self.value(path)
        return found if isinstance(found, (int, float)) and not isinstance(found, bool) else None

    def setting(self, path: Path) -> Quantity | None:
        """`number(path)` with its provenance (the layer that wrote it), or None when unset."""
        found = self.number(path)
        return None if found is None else setting(found, self.merged.origin(path), path)

    def source(self, path: Path) -> Provenance:
        """Where `path` is (or would be) written: for findings about a key that may be absent."""
        return Provenance(SETTING, format_path(path), self.merged.origin(path), tuple(path))


def start_budget(harness: "Harness", inp: ResolveInput, *, model: str, model_id: str | None,
                 provider: str | None, model_source: Provenance, match: "RegistryMatch | None",
                 registry_limits: Iterable[str] = ("context", "input", "output"), retired: bool = True,
                 **fields: Any) -> Budget:
    """A budget with its identity, the layers read, the registry's limits of the matched model
    (`registry_limits` names the ones the harness can compare with) and, for a model the
    registry marks deprecated, REG005 (`retired_effect`; `retired=False` for a harness that
    drops models by its own catalog's status and reports that itself). Other fields pass through."""
    budget = Budget(
        dialect=harness.dialect, harness=harness.title, version=str(harness.version(inp.version)),
        model=model, model_id=model_id, provider=provider, model_source=model_source,
        registry_match=match, layers=[doc.display_path for doc in inp.merged.layers], **fields,
    )
    if match is not None and match.found:
        for limit in registry_limits:
            setattr(budget, f"model_{limit}", from_registry(getattr(match, limit), match, inp.registry, limit))
        effect = retired_effect(match, model_source) if retired else None
        if effect is not None:
            budget.effects.append(effect)
    return budget


def retired_effect(match: "RegistryMatch | None", model_source: Provenance,
                   severity: Severity = Severity.WARNING) -> Effect | None:
    """REG005 for a model the registry marks `deprecated` (no longer served). A harness that
    drops such models itself (Kilo) reports its own status instead."""
    if match is None or not match.found or match.status != "deprecated":
        return None
    return Effect("REG005", f"the registry marks {match.entry} deprecated (no longer served)",
                  model_source, severity, fix="switch to a current model",
                  details={"status": "deprecated", "entry": match.entry})


def strong_match(match: "RegistryMatch") -> "RegistryMatch":
    """No registry limits from a match across other providers that names no model: found only
    after spelling normalisation (`qwen3.6-35b` -> another host's broken `qwen3-6-35b` entry), or a
    bare word such as `free` (a gateway's routing id, `kilo-auto/free`). A custom provider serves
    its own models under its own ids; the lookup's suggestions stay for REG001."""
    from cfglint.registry.lookup import RegistryMatch

    if match.kind == "model-only" and (match.normalised or (match.model_id or "").isalpha()):
        return RegistryMatch(kind="none", provider_id=match.provider_id, suggest=match.suggest)
    return match


def difference(a: Quantity, b: Quantity, source: Provenance | None = None,
               labels: tuple[str, str] = ("", "")) -> Quantity:
    """`a - b` with its formula (`limit.context 200,000 - trigger 180,000 = 20,000` with
    `labels`); the source is `b`'s (the number the user moves) unless given."""
    value = a.value - b.value
    first, second = (f"{label} " if label else "" for label in labels)
    return Quantity(value, source or b.source, f"{first}{n(a.value)} - {second}{n(b.value)} = {n(value)}")


def headroom(hard_limit: Quantity, trigger: Quantity, labels: tuple[str, str] = ("", "")) -> Quantity:
    """Room between the trigger and what the provider rejects; found at the trigger's source."""
    return difference(hard_limit, trigger, labels=labels)


def smallest(terms: Iterable[Quantity | None], label: str = "min") -> Quantity | None:
    """The smallest known term, with `min(a, b) = c` when more than one was compared; the source
    is the winning term's (the first one on a tie)."""
    known = [t for t in terms if t is not None and t.value is not None]
    if not known:
        return None
    best = min(known, key=lambda t: t.value)
    if len(known) == 1:
        return best
    return Quantity(best.value, best.source,
                    f"{label}({', '.join(n(t.value) for t in known)}) = {n(best.value)}")
