"""Codex CLI's budget per model (`harness-codex.md` §3.6, §5): window, trigger and the
post-compaction floor, every number with its provenance.

Models: the merged config's `model` (after a legacy `profile` selection before 0.134.0), then the
model of each profile file (`<name>.config.toml`, >= 0.134.0: what `codex -p <name>` runs). The
metadata is the catalog entry the lookup finds (the custom `model_catalog_json` file, which replaces
the bundled catalog entirely, else the bundled catalog of the targeted release), else the fallback
metadata (>= 0.99.0), else none (<= 0.98: no window, no auto-compaction). Then (§5.1-5.2):

    ctx        = model_context_window, min(that, max_context_window) from 0.122.0, else the entry's
    resolved   = ctx if set else max_context_window
    window_eff = resolved * effective_context_window_percent / 100       (the window Codex shows)
    ninety     = resolved * 9 / 10
    trigger    = min(limit, ninety) from 0.100.0 (limit: config, else the entry's), else limit or ninety;
                 capped at window_eff from 0.145.0

Integer arithmetic is Rust's i64 (`/` truncates toward zero). Codex compacts when its count is
at or above the trigger. It sends no output cap, so max_tokens is never a number here.
"""

from __future__ import annotations

import os

from cfglint.core.document import Document
from cfglint.core.finding import Severity
from cfglint.core.paths import pure_path
from cfglint.core.record import Record
from cfglint.core.versions import Version
from cfglint.harnesses.base import Merged
from cfglint.harnesses.budget import (
    DEFAULT,
    Budget,
    Effect,
    EnvUse,
    Provenance,
    Quantity,
    ResolveInput,
    default,
    setting,
)
from cfglint.harnesses.codex import (
    CODEX,
    base_layers,
    is_catalog,
    is_project_file,
    merge_config,
    profile_name,
    project_dropped_keys,
)
from cfglint.harnesses.codex import facts
from cfglint.harnesses.kit import ConfigReader, n, start_budget, strong_match

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _Reader(ConfigReader):
    """Codex reads the budget keys as i64: a float or a string is a start-up error (SCH001), so
    only integers count here."""

    def number(self, path):
        found = self.value(path)
        return found if isinstance(found, int) and not isinstance(found, bool) else None


class _Metadata(Record):
    """The model metadata Codex uses: a catalog entry, the fallback, or nothing (<= 0.98)."""

    __slots__ = ("kind", "entry", "label", "doc", "index")

    def __init__(self, kind: str, entry: dict[str, Any], label: str, doc: Document | None = None,
                 index: int | None = None) -> None:
        self.kind = kind  # "custom", "bundled", "fallback", "none"
        self.entry = entry
        self.label = label  # provenance text of the entry's numbers
        self.doc = doc  # the catalog file, for a custom entry
        self.index = index  # the entry's index in it

    def quantity(self, field: str) -> Quantity | None:
        value = self.entry.get(field)
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        if self.doc is not None and self.index is not None:
            return setting(value, self.doc, ("models", self.index, field))
        return default(value, f"{self.label} {field}")


def resolve(inp: ResolveInput) -> list[Budget]:
    version = CODEX.version(inp.version)
    runs = [(None, inp.merged)] + [(name, merged) for name, merged in _profile_runs(inp.merged, version)]
    budgets = []
    for profile, merged in runs:
        cfg = _Reader(merged)
        model = _selected(cfg, version, "model") or _default_model(version)
        if model is None or (inp.model is not None and inp.model != model[0]):
            continue
        budget = _budget(cfg, inp, version, model, profile)
        budget.layers = [doc.display_path for doc in merged.layers
                         if profile_name(doc.path) in (None, profile) or is_catalog(doc.path)]
        budgets.append(budget)
    if budgets:
        budgets[0].effects.extend(_dropped_project_keys(inp.merged, version))
    return budgets


def _profile_runs(merged: Merged, version: Version) -> list[tuple[str, Merged]]:
    """`codex -p <name>` for each profile file (>= 0.134.0): the base layers with the profile file
    above the user config and below the project file."""
    if version < facts.PROFILE_FILES_FROM:
        return []
    runs = []
    for doc in merged.layers:
        name = profile_name(doc.path)
        if name is None or not isinstance(doc.data, dict) or is_project_file(pure_path(doc.path).parent / "config.toml"):
            continue  # Codex reads profile files from $CODEX_HOME only, never from a project's `.codex/`
        layers = sorted(base_layers(merged.layers) + [doc], key=CODEX.layer_rank)
        runs.append((name, merge_config(layers, merged.layers)))
    return runs


def _default_model(version: Version) -> tuple[str, Provenance] | None:
    """No `model` set: the release's default (with an API key or a custom provider; a ChatGPT login
    may get another one from the server)."""
    slug = facts.default_model(version)
    if slug is None:
        return None
    return slug, Provenance(DEFAULT, f"Codex CLI {facts.catalog_release(version)} default model (no `model` set)")


def _selected(cfg: ConfigReader, version: Version, key: str) -> tuple[str, Provenance] | None:
    """A top-level string setting as Codex reads it: before 0.134.0 the `[profiles.<profile>]`
    table `profile` selects overrides it (`ConfigProfile`)."""
    legacy = cfg.text(("profile",))
    if legacy and version < facts.PROFILE_FILES_FROM:
        found = cfg.text(("profiles", legacy, key))
        if found:
            return found, cfg.source(("profiles", legacy, key))
    found = cfg.text((key,))
    return (found, cfg.source((key,))) if found else None


def _budget(cfg: _Reader, inp: ResolveInput, version: Version, model: tuple[str, Provenance],
            profile: str | None) -> Budget:
    slug, model_source = model
    provider_id = (_selected(cfg, version, "model_provider") or ("openai", None))[0]
    provider = cfg.table(("model_providers", provider_id))
    base_url = provider.get("base_url") if isinstance(provider.get("base_url"), str) else None
    match = strong_match(inp.registry.lookup(slug, provider=provider_id, base_url=base_url))
    budget = start_budget(CODEX, inp, model=slug, model_id=slug, provider=provider_id, model_source=model_source,
                          match=match)
    if profile is not None:
        budget.notes.append(f"with `codex -p {profile}` ({profile}.config.toml over the user config)")
    if model_source.kind == DEFAULT:
        budget.notes.append(f"no `model` is set: `{slug}` is the default Codex CLI {version} sends with an API key or a "
                            "custom provider (run); with a ChatGPT login the server may choose another")
    _use_input_limit(budget)
    meta = _metadata(cfg, inp.merged, version, slug, budget)
    if meta.kind == "unreadable":
        budget.trigger = Quantity(None, meta.entry["source"])
        budget.trigger_rule = "unknown"
        budget.headroom_applies = False
        budget.trigger_reason = meta.label
        budget.notes.append(meta.label)
        budget.declared_limits = True  # the catalog states them; cfglint cannot see it (no REG001)
        return budget
    resolved = _window(cfg, budget, version, meta)
    if resolved is None:
        _without_window(cfg, budget, version, meta, slug)
        _after_compaction(budget)
        return budget
    _trigger(cfg, budget, version, meta, resolved)
    _after_compaction(budget)
    _registry_fix(budget)
    _headroom(budget)
    _env(budget, inp, provider_id)
    _notes(budget, cfg, version, meta, provider_id)
    return budget


def _use_input_limit(budget: Budget) -> None:
    """Codex's window is an input budget (OpenAI's 272,000 of a 400,000 context): where the
    registry gives the model a separate input limit, that is what the window is compared with."""
    if budget.model_input is not None and budget.model_input.value is not None:
        budget.model_context = budget.model_input
        budget.model_input = None


# --- metadata (§3.6) ------------------------------------------------------------------------------

def _metadata(cfg: ConfigReader, merged: Merged, version: Version, slug: str, budget: Budget) -> _Metadata:
    named = _selected(cfg, version, "model_catalog_json")
    if named is not None and facts.reads(version, "model_catalog_json"):
        doc = _catalog_document(merged, named)
        if doc is None:
            return _Metadata("unreadable", {"source": named[1]},
                             f"the model catalog `{named[0]}` (model_catalog_json) is not part of this run (cfglint "
                             "reads it only inside the project, and only when it parses): the window and trigger "
                             "depend on it")
        models = doc.data.get("models") if isinstance(doc.data, dict) else None
        entries = [e for e in models if isinstance(e, dict)] if isinstance(models, list) else []
        entry = facts.lookup(slug, entries)
        if entry is not None:
            return _Metadata("custom", entry, f"{doc.display_path} entry `{entry.get('slug')}`", doc,
                             models.index(entry))
        bundled = facts.lookup(slug, facts.bundled_catalog(version))
        if bundled is not None and version >= facts.FALLBACK_FROM:
            budget.effects.append(Effect(
                "CMP004", f"the catalog `{named[0]}` has no entry for `{slug}`: it replaces Codex CLI {version}'s bundled "
                          f"catalog entirely, so the bundled `{bundled['slug']}` entry is no longer used and Codex falls "
                          "back to its default metadata", named[1], Severity.WARNING,
                fix=f"add a `{slug}` entry to the catalog (copy it from `codex debug models --bundled`)",
                details={"catalog": named[0], "bundled_slug": bundled["slug"]}))
    else:
        entry = facts.lookup(slug, facts.bundled_catalog(version))
        if entry is not None:
            return _Metadata("bundled", entry, f"Codex CLI {facts.catalog_release(version)} bundled catalog "
                                               f"`{entry['slug']}`")
    where = f"the catalog `{named[0]}`" if named is not None and facts.reads(version, "model_catalog_json") else "its catalog"
    if version < facts.FALLBACK_FROM:
        return _Metadata("none", {}, f"no entry in {where}")
    return _Metadata("fallback", {}, f"Codex CLI fallback metadata (no entry in {where})")


def _catalog_document(merged: Merged, named: tuple[str, Provenance]) -> Document | None:
    """The catalog file of the run that the setting names (relative to the naming file's folder)."""
    text, source = named
    base = pure_path(source.doc.path).parent if source.doc is not None and source.doc.path else None
    wanted = pure_path(os.path.expanduser(text))
    if not wanted.is_absolute() and base is not None:
        wanted = base / wanted
    wanted_path = os.path.normpath(str(wanted))
    for doc in merged.layers:
        if is_catalog(doc.path) and os.path.normpath(doc.path) == wanted_path and isinstance(doc.data, dict):
            return doc
    return None


# --- window (§5.1) --------------------------------------------------------------------------------

def _window(cfg: _Reader, budget: Budget, version: Version, meta: _Metadata) -> Quantity | None:
    """`resolved`: the window Codex computes with (`budget.window`); the usable part, which Codex shows
    as the context window and compacts at from 0.145.0, is `budget.input_cap`."""
    configured = cfg.setting(("model_context_window",))
    entry_context = meta.quantity("context_window")
    entry_max = meta.quantity("max_context_window") if facts.reads_catalog_field(version, "max_context_window") else None
    if meta.kind == "fallback":
        entry_context = default(facts.FALLBACK_CONTEXT_WINDOW, meta.label + " context_window")
        entry_max = (default(facts.FALLBACK_CONTEXT_WINDOW, meta.label + " max_context_window")
                     if version >= facts.NARROWING_FROM else None)
    context = entry_context
    if configured is not None:
        if version >= facts.NARROWING_FROM and entry_max is not None:
            if configured.value > entry_max.value:
                context = Quantity(entry_max.value, configured.source,
                                   f"min(model_context_window {n(configured.value)}, max_context_window "
                                   f"{n(entry_max.value)}) = {n(entry_max.value)}")
                budget.effects.append(Effect(
                    "CMP004", f"`model_context_window = {configured.value}` is narrowed to {n(entry_max.value)}, the "
                              f"max_context_window of {meta.label} (Codex CLI >= 0.122.0 never raises the window above it)",
                    configured.source, Severity.WARNING,
                    fix=_narrowing_fix(meta, entry_max.value),
                    details={"configured": configured.value, "used": entry_max.value}))
            else:
                context = configured
        else:
            context = configured
    resolved = context if context is not None else entry_max
    if resolved is None:
        return None
    percent = meta.quantity("effective_context_window_percent") or default(
        facts.DEFAULT_EFFECTIVE_PERCENT, "Codex effective_context_window_percent default 95")
    if version < facts.EFFECTIVE_PERCENT_FROM:
        percent = default(100, f"Codex CLI {version}: no usable-window percentage before 0.58.0")
    usable = facts.percent_of(resolved.value, percent.value)
    budget.window = budget.hard_limit = resolved
    budget.input_cap = Quantity(usable, resolved.source,
                                f"window {n(resolved.value)} × effective_context_window_percent {percent.value} / 100 "
                                f"= {n(usable)}")
    budget.output_reservation = Quantity(resolved.value - usable, percent.source,
                                         f"{n(resolved.value)} - usable {n(usable)} = {n(resolved.value - usable)} "
                                         "(headroom for instructions, tools and the reply)")
    budget.fixes.cmp007 = ("raise the catalog entry's `effective_context_window_percent` (Codex's default is 95: the "
                           "rest is headroom for instructions, tools and the reply)")
    budget.declared_limits = meta.kind in ("custom", "bundled") or configured is not None
    if meta.kind == "fallback":
        _fallback_effect(budget, version, meta, configured)
    return resolved


def _narrowing_fix(meta: _Metadata, maximum: int) -> str:
    if meta.kind == "fallback":
        return (f"give the model a `model_catalog_json` entry with its real `context_window` (the fallback allows at "
                f"most {n(maximum)}), or lower model_context_window to {maximum}")
    return f"lower model_context_window to at most {maximum}, or raise the entry's max_context_window in a custom catalog"


def _fallback_effect(budget: Budget, version: Version, meta: _Metadata, configured: Quantity | None) -> None:
    """CMP010: the window comes from the fallback metadata (no catalog entry, no
    `model_context_window` at or below 272,000)."""
    budget.assumed_limits = (f"Codex CLI {version} has no metadata for it and assumes a "
                             f"{n(facts.FALLBACK_CONTEXT_WINDOW)}-token window")
    if configured is not None and configured.value <= facts.FALLBACK_CONTEXT_WINDOW:
        return
    window = budget.input_cap.value
    trigger = facts.ninety_percent(facts.FALLBACK_CONTEXT_WINDOW)
    budget.effects.append(Effect(
        "CMP010", f"Codex CLI {version} has no metadata for `{budget.model}` ({meta.label.split('(', 1)[1]}: it "
                  f"uses its fallback, a {n(facts.FALLBACK_CONTEXT_WINDOW)}-token window ({n(window)} usable, "
                  f"compaction at {n(trigger)}) whatever the model holds, and warns \"Model metadata for "
                  f"`{budget.model}` not found\"",
        budget.model_source, Severity.WARNING,
        fix=("add a `model_catalog_json` entry for the model with its real `context_window`, or set "
             f"`model_context_window` to its real window (at most {n(facts.FALLBACK_CONTEXT_WINDOW)})"),
        details={"fallback_window": facts.FALLBACK_CONTEXT_WINDOW, "usable": window, "trigger": trigger}))


def _without_window(cfg: _Reader, budget: Budget, version: Version, meta: _Metadata, slug: str) -> None:
    """No window: an unknown slug on <= 0.98 without `model_context_window`, or a catalog entry with
    neither `context_window` nor a `max_context_window` the release reads (run 0.121.0, 0.171.0).
    Codex then compacts only at a configured limit (the config's, else the entry's), unclamped, as
    there is no 90% term; without one, never."""
    limit = cfg.setting(("model_auto_compact_token_limit",)) or meta.quantity("auto_compact_token_limit")
    where = (f"{meta.label} gives no `context_window`" + ("" if facts.reads_catalog_field(version, "max_context_window")
                                                          else f" (Codex CLI {version} reads no `max_context_window`)")
             if meta.kind in ("custom", "bundled") else f"Codex CLI {version} has no metadata for `{slug}`")
    if limit is not None:
        budget.trigger = Quantity(limit.value, limit.source, f"limit {n(limit.value)} (no window, so no 90% term)")
        budget.trigger_rule = "threshold_tokens cap"
        budget.trigger_reason = f"{where} and no `model_context_window` is set: Codex compacts only at the limit"
        budget.every_step = limit.value <= 0
        return
    budget.trigger = Quantity(None, budget.model_source)
    budget.trigger_rule = "never"
    budget.trigger_reason = (f"{where} and no `model_context_window` is set, so Codex knows no window and never "
                             "compacts automatically")
    budget.fixes.cmp002 = ("set `model_context_window` to the model's real window"
                           + (", or upgrade Codex (>= 0.99.0)" if meta.kind == "none" else
                              ", or give the catalog entry its `context_window`"))


# --- trigger (§5.2) -------------------------------------------------------------------------------

def _trigger(cfg: _Reader, budget: Budget, version: Version, meta: _Metadata, resolved: Quantity) -> None:
    ninety_value = facts.ninety_percent(resolved.value)
    ninety = Quantity(ninety_value, resolved.source, f"{n(resolved.value)} × 9 / 10 = {n(ninety_value)}")
    configured = cfg.setting(("model_auto_compact_token_limit",))
    limit = configured or meta.quantity("auto_compact_token_limit")
    scope = cfg.text(("model_auto_compact_token_limit_scope",)) if facts.reads(version, "model_auto_compact_token_limit_scope") else None
    if scope == "body_after_prefix":
        _body_after_prefix(cfg, budget, configured, limit, ninety)
        return
    budget.trigger_rule = "ratio"
    if limit is None:
        trigger = ninety
        budget.trigger_reason = "Codex compacts when its count reaches 90% of the raw window"
    elif version < facts.NINETY_CLAMP_FROM:
        trigger = limit
        budget.trigger_rule = "threshold_tokens cap"
        budget.trigger_reason = f"Codex CLI {version} uses the configured limit as it is (no 90% clamp before 0.100.0)"
    elif limit.value > ninety_value:
        trigger = Quantity(ninety_value, ninety.source,
                           f"min(limit {n(limit.value)}, {n(resolved.value)} × 9 / 10) = {n(ninety_value)}")
        budget.trigger_reason = "the configured limit is above 90% of the window, which caps it"
        budget.effects.append(Effect(
            "CMP004", f"`model_auto_compact_token_limit` {n(limit.value)} is clamped to {n(ninety_value)} (90% of the "
                      f"{n(resolved.value)}-token window): Codex CLI {version} compacts there",
            limit.source, Severity.WARNING, fix=f"set it to at most {ninety_value}, or remove it (90% is the default)",
            details={"configured": limit.value, "used": ninety_value}))
    else:
        trigger = Quantity(limit.value, limit.source,
                           f"min(limit {n(limit.value)}, {n(resolved.value)} × 9 / 10) = {n(limit.value)}")
        budget.trigger_rule = "threshold_tokens cap"
        budget.trigger_reason = "the configured limit is below 90% of the window"
    usable = budget.input_cap
    if version >= facts.HARD_CAP_FROM and trigger.value > usable.value:
        trigger = Quantity(usable.value, usable.source,
                           f"min({n(trigger.value)}, usable window {n(usable.value)}) = {n(usable.value)}")
        budget.trigger_rule = "usable window"
        budget.trigger_reason = "Codex compacts at the usable window at the latest (>= 0.145.0)"
    budget.trigger = trigger
    if trigger.value <= 0:
        budget.every_step = True
        budget.trigger_reason = (f"a trigger of {n(trigger.value)} is reached before every request: Codex compacts "
                                 "before each one (a limit of 0 does not disable compaction)")
        budget.fixes.cmp003 = ("remove `model_auto_compact_token_limit` (Codex has no switch that disables "
                               "auto-compaction; the default is 90% of the window), or set the model's real window")
    elif budget.trigger.value > budget.window.value:
        budget.fixes.cmp008 = (f"lower `model_auto_compact_token_limit` to at most {ninety_value} (90% of the window), "
                               "or upgrade Codex (0.100.0 clamps it there)")
    _post_turn(cfg, budget, version)


def _body_after_prefix(cfg: _Reader, budget: Budget, configured: Quantity | None, limit: Quantity | None, ninety: Quantity) -> None:
    """Scope `body_after_prefix` (>= 0.135.0): Codex compacts when the growth since the first request
    of the compaction window reaches the limit (not clamped), or at the usable window."""
    body = configured or limit or ninety
    window = budget.input_cap
    budget.trigger_rule = "usable window" if body.value >= window.value else "threshold_tokens cap"
    if body.value >= window.value:
        budget.trigger = Quantity(window.value, window.source, f"body limit {n(body.value)} >= usable window: "
                                                               f"{n(window.value)}")
        budget.trigger_reason = "scope body_after_prefix with a limit at or above the usable window"
        budget.effects.append(Effect(
            "CMP002", "`model_auto_compact_token_limit_scope = \"body_after_prefix\"` with a limit at or above the usable "
                      f"window: Codex compacts only at the hard cap {n(window.value)} (as late as possible)",
            cfg.source(("model_auto_compact_token_limit_scope",)), Severity.INFO))
        return
    budget.trigger = Quantity(body.value, body.source,
                              f"base + {n(body.value)}, base = the first request's input of each compaction window "
                              "(shown with base 0)")
    budget.trigger_reason = ("scope body_after_prefix: Codex compacts when the context has grown by the limit since "
                             "the first request after the last compaction")


def _post_turn(cfg: _Reader, budget: Budget, version: Version) -> None:
    percent = cfg.setting(("model_post_turn_compact_threshold_percent",))
    if not facts.reads(version, "model_post_turn_compact_threshold_percent") or percent is None or not 0 < percent.value <= 100:
        return
    threshold = facts.trunc_div(facts.saturating_mul(budget.input_cap.value, percent.value), 100)
    budget.notes.append(f"after each turn Codex also compacts at {n(threshold)} (usable window × {percent.value}%, "
                        "model_post_turn_compact_threshold_percent)")


# --- after compaction (§5.5) ----------------------------------------------------------------------

def _after_compaction(budget: Budget) -> None:
    budget.kept_tail = default(facts.KEPT_USER_MESSAGES,
                               "Codex COMPACT_USER_MESSAGE_MAX_TOKENS 20,000 (earlier user messages kept)")
    floor = facts.INITIAL_CONTEXT_ESTIMATE + facts.KEPT_USER_MESSAGES
    budget.post_compaction_floor = Quantity(
        floor, Provenance(DEFAULT, "Codex post-compaction floor estimate"),
        f"initial context ~{n(facts.INITIAL_CONTEXT_ESTIMATE)} + kept user messages up to "
        f"{n(facts.KEPT_USER_MESSAGES)} = {n(floor)} (an estimate)")
    budget.fixes.cmp006 = (f"raise the window or the limit so that compaction fires above {n(floor)} tokens "
                           "(what a compacted history can still hold)")


def _registry_fix(budget: Budget) -> None:
    real = budget.model_context
    if real is not None and real.value is not None:
        budget.hard_limit = real
        budget.fixes.reg003 = (f"set `model_context_window = {real.value}` (the model's real window), or give the model a "
                               "`model_catalog_json` entry with it")


def _headroom(budget: Budget) -> None:
    """Codex sends no output cap, so the provider may generate up to the model's output limit, which
    must fit between the trigger and the context the provider serves: the registry's, or the window
    the config declares when that is smaller (a local server's `max-model-len`). Compared only where
    the registry knows the model at its provider, gives one shared window (no separate input limit)
    and a real output limit (below the context)."""
    real, output, trigger = budget.model_context, budget.model_output, budget.trigger
    match = budget.registry_match
    if real is None or output is None or real.value is None or output.value is None or match is None \
            or match.kind == "model-only" or match.input is not None or output.value >= real.value \
            or trigger is None or trigger.value is None or budget.every_step or trigger.value >= real.value:
        return  # (a trigger at or above the context is REG003's)
    served = real
    if budget.window is not None and budget.window.source.kind == "setting" and budget.window.value < real.value:
        served = budget.window
    budget.hard_limit = served
    budget.max_tokens_normal = Quantity(output.value, output.source,
                                        f"not sent: the provider may generate up to the model's output limit "
                                        f"{n(output.value)}")
    budget.headroom = Quantity(served.value - trigger.value, trigger.source,
                               f"context {n(served.value)} - trigger {n(trigger.value)} = {n(served.value - trigger.value)}")
    budget.fixes.cmp001 = (f"set `model_auto_compact_token_limit` to at most {n(served.value - output.value)} "
                           "(context - output limit), or `model_context_window` to the model's real window")


# --- environment, notes, project layers ----------------------------------------------------------

def _env(budget: Budget, inp: ResolveInput, provider_id: str) -> None:
    port = inp.env.get("CODEX_OSS_PORT")
    if port is not None and provider_id in ("ollama", "lmstudio"):
        text = port.value.strip()
        valid = text.isdigit() and int(text) <= 65535
        budget.env.append(EnvUse(
            "CODEX_OSS_PORT", port.value, int(text) if valid else None, "base URL port" if valid else None,
            problem=None if valid or not text else f"`{port.value}` is not a port number (u16): Codex ignores it and "
                                                   "uses the provider's default port",
            severity=Severity.ERROR if text and not valid else None,
            fix="set a port number between 1 and 65535", env=port))
    base = inp.env.get("OPENAI_BASE_URL")
    if base is not None and provider_id == "openai":
        budget.env.append(EnvUse(
            "OPENAI_BASE_URL", base.value, None, None,
            problem="Codex CLI ignores OPENAI_BASE_URL for the built-in `openai` provider (requests still go to the "
                    "default host)", severity=Severity.WARNING, fix="set `openai_base_url` in config.toml", env=base))


def _notes(budget: Budget, cfg: ConfigReader, version: Version, meta: _Metadata, provider_id: str) -> None:
    if meta.kind == "bundled" and provider_id == "openai":
        budget.notes.append(f"numbers assume Codex CLI {facts.catalog_release(version)}'s bundled catalog: for the "
                            "built-in `openai` provider Codex refreshes it from the server per account, which can change "
                            "the window")
    elif meta.kind == "bundled":
        budget.notes.append(f"window from Codex CLI {facts.catalog_release(version)}'s bundled catalog (`{meta.entry['slug']}`, "
                            "matched by slug prefix; the provider plays no part in the lookup)")
    elif meta.kind == "custom":
        budget.notes.append(f"window from {meta.label} (model_catalog_json replaces the bundled catalog)")
    if version < facts.HARD_CAP_FROM:
        budget.notes.append(f"Codex CLI {version} has no hard cap at the usable window in scope `total` (0.145.0)")
    if any(is_project_file(doc.path) for doc in cfg.merged.layers):
        budget.notes.append("a project `.codex/config.toml` counts only in a trusted project "
                            "(`[projects.\"<path>\"] trust_level = \"trusted\"`, or `codex exec --trust`)")


def _dropped_project_keys(merged: Merged, version: Version) -> list[Effect]:
    """CMP004: keys a project `.codex/config.toml` may not set (>= 0.130.0)."""
    if version < facts.PROJECT_KEYS_RESTRICTED_FROM:
        return []
    effects = []
    for doc in merged.layers:
        if not is_project_file(doc.path) or not isinstance(doc.data, dict):
            continue
        for key in project_dropped_keys(doc.data):
            effects.append(Effect(
                "CMP004", f"`{key}` in a project `.codex/config.toml` is dropped: Codex CLI {version} says \"Ignored "
                          f"unsupported project-local config keys\" and uses the user config's value",
                setting(None, doc, (key,)).source, Severity.WARNING,
                fix=f"move `{key}` to the user config (`~/.codex/config.toml`)", details={"key": key}))
    return effects
