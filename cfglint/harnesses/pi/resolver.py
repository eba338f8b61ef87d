"""pi's budget per model (`harness-pi.md` §3.3, §5): window, trigger, max_tokens with provenance.

Models: the settings' `defaultProvider`/`defaultModel` first, then every `models[]` entry and every
`modelOverrides` entry of models.json. The window is `model.contextWindow` after models.json: an
override's value, else a custom entry's (default 128,000), else the built-in catalog's (pi-ai of
the targeted release). Compaction settings resolve per field: `compaction.modelOverrides["p/id"]`
(0.86.0) -> `compaction` -> default (16,384 / 20,000). pi compacts when the context EXCEEDS
`contextWindow - reserveTokens` (`shouldCompact`, strict `>`); the trigger reported is that number
(`rules.md`: claude-opus-4-7 at 128,000 "compacts at 111,616").
"""

from __future__ import annotations

import math

from cfglint.core.document import Document, Path, get_path
from cfglint.core.finding import Severity
from cfglint.core.record import Record
from cfglint.core.versions import Version
from cfglint.harnesses.base import Merged
from cfglint.harnesses.budget import (
    DEFAULT,
    Budget,
    Effect,
    Provenance,
    Quantity,
    ResolveInput,
    default,
    setting,
)
from cfglint.harnesses.kit import ConfigReader, n, start_budget, strong_match
from cfglint.harnesses.pi import (
    DYNAMIC_PROVIDERS,
    MODELS,
    PI,
    kind_of,
    legacy_number,
    safe_token_count,
    strip_json_comments,
)
from cfglint.harnesses.pi import facts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


TOKEN_FIELDS = {"reserveTokens": facts.DEFAULT_RESERVE_TOKENS, "keepRecentTokens": facts.DEFAULT_KEEP_RECENT_TOKENS}


class _Model(Record):
    __slots__ = ("provider", "model_id", "source", "custom", "override")

    def __init__(self, provider: str, model_id: str, source: Provenance, custom: Path | None = None,
                 override: Path | None = None) -> None:
        self.provider = provider
        self.model_id = model_id
        self.source = source
        self.custom = custom  # the models.json `models[]` entry
        self.override = override  # the models.json `modelOverrides` entry

    @property
    def key(self) -> str:
        return f"{self.provider}/{self.model_id}"


def models_document(merged: Merged) -> Document | None:
    """The models.json of the configuration (the last one when several are given)."""
    found = [doc for doc in merged.layers if kind_of(doc) == MODELS and isinstance(doc.data, dict)]
    return found[-1] if found else None


def known_model(version: Version | None, models_doc: Document | None, provider: str, model_id: str) -> bool:
    """A built-in model of pi (of `version`'s catalog; of any extracted catalog when None) or a
    model models.json defines."""
    versions = [version] if version is not None else [Version.parse(v) for v in facts.CATALOG_VERSIONS]
    if any(facts.builtin_model(v, provider, model_id) is not None for v in versions):
        return True
    data = models_doc.data if models_doc is not None else {}
    entries = get_path(data, ("providers", provider, "models"))
    return isinstance(entries, list) and any(isinstance(e, dict) and e.get("id") == model_id for e in entries)


def resolve(inp: ResolveInput) -> list[Budget]:
    cfg = ConfigReader(inp.merged)
    version = PI.version(inp.version)
    models_doc = models_document(inp.merged)
    models_data, skipped = _composed(version, models_doc)
    models = _models(cfg, models_doc, models_data)
    if inp.model is not None:
        models = [m for m in models if inp.model in (m.key, m.model_id)] or _named(inp.model)
    found = [_budget(cfg, inp, version, models_doc, models_data, model) for model in models]
    budgets = [b for b in found if b is not None]
    for budget in budgets:
        budget.notes.extend(skipped)
    if budgets:
        budgets[0].effects.extend(_unmatched_overrides(cfg, version, models_doc))
        if budgets[0].model_source.path == ("defaultModel",):
            budgets[0].effects.extend(_shadowed(cfg, version, budgets[0].model))
    return budgets


def _composed(version: Version, models_doc: Document | None) -> tuple[dict, list[str]]:
    """The models.json providers pi composes, and notes on the ones it drops (`facts.provider_problem`):
    before 0.80.8 one bad provider makes pi ignore the whole file, before 0.73.1 one `//` comment or
    trailing comma (the parse accepts them, as 0.73.1 and later read the file: `Pi.parse` does not
    know the target)."""
    if models_doc is None:
        return {}, []
    text = models_doc.source.text
    if version < facts.MODELS_JSON_COMMENTS_FROM and strip_json_comments(text) != text:
        return {}, [f"pi {version} ignores the whole models.json (\"Failed to load models.json\"): it reads the file "
                    "with plain `JSON.parse`, and `//` comments and trailing commas are allowed only from 0.73.1 "
                    "(#4162)"]
    from cfglint.validation.validate import validate

    invalid = [issue for issue in validate(models_doc.data, facts.MODELS_SCHEMA) if issue.kind != "unknown-key"
               and (facts.schema_requires_positive_limits(version) or not positive_limit_issue(issue))]
    if invalid:
        return {}, [f"pi {version} ignores the whole models.json (\"Invalid models.json schema\"): {invalid[0].message}"]
    providers = models_doc.data["providers"]
    problems = {pid: problem for pid, entry in providers.items() if isinstance(entry, dict)
                and (problem := facts.provider_problem(version, pid, entry)) is not None}
    if problems and not facts.provider_error_disables_only_the_provider(version):
        return {}, [f"pi {version} ignores the whole models.json: {next(iter(problems.values()))}"]
    notes = [f"pi {version} disables provider `{pid}`: {problem}" for pid, problem in problems.items()]
    return {"providers": {pid: entry for pid, entry in providers.items() if pid not in problems}}, notes


def positive_limit_issue(issue: Any) -> bool:
    """The 1.2.0 schema's `contextWindow`/`maxTokens` > 0, which older releases check elsewhere or not at all."""
    return issue.details.get("constraint") == "exclusiveMinimum" and issue.path[-1] in ("contextWindow", "maxTokens")


def _named(model: str) -> list[_Model]:
    """`explain --model provider/id` for a model no file names (pi's `--model` takes any built-in)."""
    provider, slash, model_id = model.partition("/")
    return [_Model(provider, model_id, Provenance(DEFAULT, "explain --model"))] if slash and model_id else []


def _models(cfg: ConfigReader, models_doc: Document | None, models_data: dict) -> list[_Model]:
    found: dict[str, _Model] = {}
    provider, model_id = cfg.text(("defaultProvider",)), cfg.text(("defaultModel",))
    if provider and model_id:  # findInitialModel reads the pair only (model-resolver.ts)
        found[f"{provider}/{model_id}"] = _Model(provider, model_id, cfg.source(("defaultModel",)))
    for pid, entry in models_data.get("providers", {}).items():
        if not isinstance(entry, dict):
            continue
        custom = entry.get("models")
        for index, model in enumerate(custom if isinstance(custom, list) else ()):
            if isinstance(model, dict) and isinstance(model.get("id"), str) and model["id"]:
                path = ("providers", pid, "models", index)
                known = found.setdefault(f"{pid}/{model['id']}", _Model(pid, model["id"], _at(models_doc, path + ("id",))))
                known.custom = path  # upserted in order: the last entry with the id wins
        overrides = entry.get("modelOverrides")
        for mid in (overrides if isinstance(overrides, dict) else ()):
            path = ("providers", pid, "modelOverrides", mid)
            found.setdefault(f"{pid}/{mid}", _Model(pid, mid, _at(models_doc, path))).override = path
    return list(found.values())


def _at(doc: Document, path: Path) -> Provenance:
    return setting(None, doc, path).source


def _budget(cfg: ConfigReader, inp: ResolveInput, version: Version, models_doc: Document | None,
            data: dict, model: _Model) -> Budget | None:
    """None for a model pi has no limits for (a default model it does not know: it cannot select
    it, SCH004 says so)."""
    provider_entry = get_path(data, ("providers", model.provider))
    provider_entry = provider_entry if isinstance(provider_entry, dict) else {}
    custom = get_path(data, model.custom) if model.custom else None
    override = get_path(data, model.override) if model.override else None
    if custom is not None and not facts.overrides_reach_custom_models(version):
        override = None  # < 0.80.8: modelOverrides reach built-in models only; a custom entry replaces them
    builtin = facts.builtin_model(version, model.provider, model.model_id)
    window = _limit("contextWindow", models_doc, model, custom, override, builtin, version)
    if window.value is None:
        return None
    base_url = (custom or {}).get("baseUrl") or provider_entry.get("baseUrl")
    match = strong_match(inp.registry.lookup(model.model_id, provider=model.provider,
                                               base_url=base_url if isinstance(base_url, str) else None))
    budget = start_budget(PI, inp, model=model.key, model_id=model.model_id, provider=model.provider,
                          model_source=model.source, match=match, retired=False)
    output = _limit("maxTokens", models_doc, model, custom, override, builtin, version)
    api = _api(custom, provider_entry, builtin)
    budget.window = budget.hard_limit = window
    # pi has what it needs: its catalog's limits, or a declared window (a missing maxTokens is the
    # 16,384 default, clamped to the window from 0.80.3; the note below says so)
    budget.declared_limits = builtin is not None or window.source.doc is not None
    if custom is None:  # a built-in model: a limit the config does not write is the catalog's
        _drop_catalog_disagreement(budget, version, window, output)
    defaulted = [f"{field} {n(q.value)}" for field, q in (("contextWindow", window), ("maxTokens", output))
                 if q.source.kind == DEFAULT and custom is not None]
    if defaulted:
        budget.assumed_limits = (f"the models.json entry states no {' or '.join(f.split()[0] for f in defaulted)}: "
                                 f"pi assumes its custom-model default {', '.join(defaulted)}")
        budget.notes.append(budget.assumed_limits)
    _trigger(cfg, budget, version, model, window)
    if custom is not None and builtin is not None:
        effect = _replaced_builtin(model, models_doc, custom, override, builtin, budget)
        if effect is not None:
            budget.effects.append(effect)
    _output(budget, version, model, window, output, api)
    _compaction_request(cfg, budget, version, model, window, output)
    budget.kept_tail = budget.post_compaction_floor = _token_setting(cfg, version, model, "keepRecentTokens")[0]
    budget.notes.extend(_notes(version, models_doc))
    return budget


def _drop_catalog_disagreement(budget: Budget, version: Version, window: Quantity, output: Quantity) -> None:
    """A limit pi takes from its own catalog (the config writes none) is what pi-ai of the targeted
    release ships, newer than cfglint's registry: where the two disagree the registry cannot show that
    the provider rejects it, and the user wrote nothing to correct, so they are not compared (no
    REG003, CMP005 on it), as for Kilo's bundled catalog; `explain` says so."""
    for name, used, attribute in (("context", window, "model_context"), ("output", output, "model_output")):
        real = getattr(budget, attribute)
        if real is None or used.value is None or used.source.kind != DEFAULT or real.value == used.value:
            continue
        budget.notes.append(f"cfglint's registry gives {budget.model} {name} {n(real.value)} "
                            f"({real.source.describe()}), pi-ai {facts.catalog_release(version)}'s catalog "
                            f"{n(used.value)}: the config sets no limit, so the two are not compared")
        setattr(budget, attribute, None)


def _limit(field: str, models_doc: Document | None, model: _Model, custom: dict | None, override: dict | None,
           builtin: dict | None, version: Version) -> Quantity:
    """`override.<field> ?? model.<field>` (applyModelOverride), the model being the custom entry
    (with pi's default for an omitted limit) or the built-in one; an override of a model that does
    not exist changes nothing."""
    if custom is None and builtin is None:
        return Quantity(None, model.source)
    if isinstance(override, dict) and _number(override.get(field)):
        return setting(override[field], models_doc, model.override + (field,))
    if custom is not None:
        if _number(custom.get(field)):
            return setting(custom[field], models_doc, model.custom + (field,))
        value = facts.CUSTOM_MODEL_CONTEXT_WINDOW if field == "contextWindow" else facts.CUSTOM_MODEL_MAX_TOKENS
        return default(value, f"pi custom model {field} {n(value)} (models.json entry without `{field}`)")
    if builtin is not None and _number(builtin.get(field)):
        return default(builtin[field], f"pi-ai {facts.catalog_release(version)} built-in {model.key} {field}")
    return Quantity(None, model.source)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _api(custom: dict | None, provider_entry: dict, builtin: dict | None) -> str | None:
    for candidate in ((custom or {}).get("api"), provider_entry.get("api"), (builtin or {}).get("api")):
        if isinstance(candidate, str) and candidate:
            return candidate
    return None


def _token_setting(cfg: ConfigReader, version: Version, model: _Model, field: str) -> tuple[Quantity, str | None]:
    """The value pi uses for `field` and, when pi cannot use the configured values, why (§3.2):
    `getCompactionTokenSetting` checks the ordinary value, then the model's override entry and its
    field (>= 0.86.0); before that, `compaction.<field> ?? default`, unchecked."""
    ordinary_path = ("compaction", field)
    compaction = cfg.table(("compaction",))
    written = field in compaction and compaction[field] is not None
    if facts.validates_token_settings(version):
        if field in compaction and not safe_token_count(compaction[field]):
            return Quantity(None, cfg.source(ordinary_path)), (
                f"`compaction.{field}` is not a non-negative safe integer: pi {version} throws when it reads it")
        entry_path = ("compaction", "modelOverrides", model.key)
        overrides = cfg.table(entry_path[:-1])
        entry = overrides.get(model.key)
        if model.key in overrides and not isinstance(entry, dict):  # null too: `entry !== undefined`
            return Quantity(None, cfg.source(entry_path)), (
                f"`compaction.modelOverrides[\"{model.key}\"]` is not an object: pi {version} throws when it reads it")
        if isinstance(entry, dict) and field in entry:
            if not safe_token_count(entry[field]):
                return Quantity(None, cfg.source(entry_path + (field,))), (
                    f"`compaction.modelOverrides[\"{model.key}\"].{field}` is not a non-negative safe integer: "
                    f"pi {version} throws when it reads it")
            return setting(int(entry[field]), cfg.merged.origin(entry_path + (field,)), entry_path + (field,)), None
    if not written:
        return default(TOKEN_FIELDS[field], f"pi SETTINGS_DEFAULTS.compaction.{field} {n(TOKEN_FIELDS[field])}"), None
    number = legacy_number(compaction[field])
    if number is None:
        return Quantity(None, cfg.source(ordinary_path)), (
            f"`compaction.{field}` is not a number: pi {version} computes with NaN")
    value = int(number) if float(number).is_integer() else number
    return setting(value, cfg.merged.origin(ordinary_path), ordinary_path), None


def _enabled(cfg: ConfigReader) -> bool:
    """`compaction.enabled ?? true`, then `if (!enabled)`: false, 0 and "" switch it off."""
    value = cfg.value(("compaction", "enabled"))
    return value is None or bool(value) if not isinstance(value, (dict, list)) else True


def _trigger(cfg: ConfigReader, budget: Budget, version: Version, model: _Model, window: Quantity) -> None:
    budget.trigger_rule = "reserve"
    if not _enabled(cfg):
        budget.trigger = Quantity(None, cfg.source(("compaction", "enabled")))
        budget.trigger_rule = "never"
        budget.deliberate_off = True
        budget.trigger_reason = ("`compaction.enabled: false` switches off threshold compaction; in pi 1.6.0 it also "
                                 "switches off the compact-and-retry on a context-overflow error (`_checkCompaction` "
                                 "returns first), although the docs describe overflow handling as separate; /compact "
                                 "still works")
        return
    reserve, problem = _token_setting(cfg, version, model, "reserveTokens")
    if problem is None and facts.validates_token_settings(version):
        # getCompactionSettings reads both token values: either one throwing stops the check
        kept, problem = _token_setting(cfg, version, model, "keepRecentTokens")
        reserve = reserve if problem is None else kept
    if problem is not None or reserve.value is None:
        budget.trigger = Quantity(None, reserve.source)
        budget.trigger_rule = "never"
        budget.trigger_reason = f"{problem}, so auto-compaction never fires"
        budget.fixes.cmp002 = "write the value as a whole number of tokens (e.g. 16384), or remove it for the default"
        return
    value = window.value - reserve.value
    budget.trigger = Quantity(value, reserve.source if reserve.source.doc is not None else window.source,
                              f"contextWindow {n(window.value)} - reserveTokens {n(reserve.value)} = {n(value)}")
    budget.trigger_reason = "pi compacts when the context exceeds contextWindow - reserveTokens"
    budget.headroom = Quantity(reserve.value, reserve.source,
                               f"contextWindow {n(window.value)} - trigger {n(value)} = {n(reserve.value)}")
    if value <= 0:
        budget.every_step = True
        budget.trigger_reason = (f"reserveTokens {n(reserve.value)} >= contextWindow {n(window.value)}: every "
                                 "compaction check compacts (#8651)")
        where = (f"`compaction.modelOverrides[\"{model.key}\"].reserveTokens`"
                 if facts.has_compaction_model_overrides(version) else "`compaction.reserveTokens`")
        budget.fixes.cmp003 = (f"set {where} below {n(window.value)}, or give the model its real `contextWindow` "
                               "in models.json")
    budget.fixes.cmp006 = (f"lower `compaction.keepRecentTokens` below {n(value)} (the trigger), or raise the window "
                           "or lower reserveTokens")
    budget.fixes.cmp001 = (f"raise `compaction.reserveTokens` to at least the request's max_tokens, or lower the "
                           f"model's `maxTokens` in models.json (`modelOverrides.{model.model_id}.maxTokens`)")


def _output(budget: Budget, version: Version, model: _Model, window: Quantity, output: Quantity,
            api: str | None) -> None:
    """max_tokens of a normal request (§5.3), before and at the trigger."""
    m = output.value
    if m is None:
        return
    if not facts.sends_output_cap(version, api, model.model_id):
        budget.notes.append(f"pi {version} sends no max_tokens for the `{api}` API (#4675): the provider's own "
                            "default output cap applies")
        return
    if version < facts.SUMMARY_CLAMPED_FROM:
        if m <= 0:
            return
        normal = Quantity(min(m, facts.OLD_OUTPUT_CAP), output.source,
                          f"min(maxTokens {n(m)}, 32,000) = {n(min(m, facts.OLD_OUTPUT_CAP))}")
    elif facts.OUTPUT_32K_RULE_FROM <= version < facts.NO_OUTPUT_FOR_OPENAI_FROM and window.value is not None \
            and m >= window.value - facts.OUTPUT_32K_MARGIN:
        normal = Quantity(min(m, facts.OLD_OUTPUT_CAP), output.source,
                          f"maxTokens {n(m)} >= contextWindow {n(window.value)} - 1,024: min(maxTokens, 32,000) = "
                          f"{n(min(m, facts.OLD_OUTPUT_CAP))}")
    else:
        normal = output
    budget.max_tokens_normal = normal
    if output.source.doc is not None:
        budget.configured_output = output
    triggered = budget.trigger is not None and budget.trigger.value is not None  # else no request sits at it
    if triggered and facts.clamps_output(version):
        budget.max_tokens_at_trigger = Quantity(None, output.source, facts.clamp_formula(version, window.value, m))
        budget.headroom = None  # the request is clamped to the room left (#5595): no fixed reply overflows
        budget.notes.append(f"pi {version} clamps each request's max_tokens to the room left in the window, so "
                            "the number sent depends on the request's estimated size E; near the trigger the reply is "
                            "cut short and recovered by compact-and-retry")
    elif triggered:
        budget.max_tokens_at_trigger = normal
    budget.fixes.reg002 = (f"set `maxTokens` to the model's output limit in models.json "
                           f"(`modelOverrides.{model.model_id}.maxTokens` for a built-in model)")


def _compaction_request(cfg: ConfigReader, budget: Budget, version: Version, model: _Model,
                        window: Quantity, output: Quantity) -> None:
    """max_tokens of the summary request (§5.4)."""
    reserve, problem = _token_setting(cfg, version, model, "reserveTokens")
    m = output.value
    if version >= facts.SUMMARY_NORMAL_PATH_FROM:
        if m is not None and window.value is not None:
            budget.max_tokens_compaction = Quantity(None, output.source, facts.clamp_formula(version, window.value, m))
        budget.compaction_note = (f"pi {version} sizes the summary request like a normal one (the model's maxTokens "
                                  "clamped to the summary prompt's room)")
        return
    if problem is not None or reserve.value is None:
        return
    summary = math.floor(facts.SUMMARY_RATIO * reserve.value)
    formula = f"floor(0.8 * reserveTokens {n(reserve.value)}) = {n(summary)}"
    if version >= facts.SUMMARY_CLAMPED_FROM and m is not None and m > 0 and summary > m:
        budget.max_tokens_compaction = Quantity(m, output.source, f"min({formula}, maxTokens {n(m)}) = {n(m)}")
    else:
        budget.max_tokens_compaction = Quantity(summary, reserve.source, formula)
    budget.compaction_note = (f"pi {version} asks floor(0.8 * reserveTokens) for the history summary"
                              + ("" if version >= facts.SUMMARY_CLAMPED_FROM else ", not clamped to the model's "
                                 "maxTokens (#3722, #4390)"))
    budget.fixes.cmp005_compaction = (f"lower `compaction.reserveTokens` to at most {n(math.floor((m or 0) / 0.8))} "
                                      "or upgrade pi (0.74.1 clamps the summary request to maxTokens)"
                                      if m else None)


def _replaced_builtin(model: _Model, models_doc: Document, custom: dict, override: Any, builtin: dict,
                      budget: Budget) -> Effect | None:
    """CMP009: a `models[]` entry with a built-in id that leaves a limit to pi's custom-model default."""
    missing = [field for field in ("contextWindow", "maxTokens")
               if not _number(custom.get(field)) and not (isinstance(override, dict) and _number(override.get(field)))]
    if not missing:
        return None
    defaults = {"contextWindow": facts.CUSTOM_MODEL_CONTEXT_WINDOW, "maxTokens": facts.CUSTOM_MODEL_MAX_TOKENS}
    used = ", ".join(f"{field} {n(defaults[field])} instead of {n(builtin[field])}" for field in missing)
    real = ", ".join(f"\"{field}\": {builtin[field]}" for field in missing)
    return Effect(
        "CMP009",
        f"models.json entry `{model.model_id}` re-declares pi's built-in model {model.key} without "
        f"{' and '.join(f'`{f}`' for f in missing)}: pi replaces the built-in model and uses {used}"
        + (f" (compaction at {n(budget.trigger.value)} instead of "
           f"{n(builtin['contextWindow'] - (budget.window.value - budget.trigger.value))})"
           if "contextWindow" in missing and budget.trigger is not None and budget.trigger.value is not None else ""),
        _at(models_doc, model.custom + ("id",)), Severity.WARNING,
        fix=(f"move the entry's other fields to `providers.{model.provider}.modelOverrides.{model.model_id}` (an "
             f"override keeps every limit it does not set), or state {real} in the entry"),
        details={"builtin": {f: builtin[f] for f in ("contextWindow", "maxTokens")},
                 "defaults": {f: defaults[f] for f in missing}, "missing": missing},
    )


def _unmatched_overrides(cfg: ConfigReader, version: Version, models_doc: Document | None) -> list[Effect]:
    """CMP004: `compaction.modelOverrides` before 0.86.0 (no such setting), or a key naming no model."""
    overrides = cfg.value(("compaction", "modelOverrides"))
    if not isinstance(overrides, dict) or not overrides:
        return []
    if not facts.has_compaction_model_overrides(version):
        return [Effect("CMP004", f"`compaction.modelOverrides` has no effect: pi {version} does not read it "
                                 "(added in 0.86.0); every model uses the ordinary compaction values",
                       cfg.source(("compaction", "modelOverrides")), Severity.WARNING,
                       fix="set `compaction.reserveTokens`/`keepRecentTokens`, or upgrade pi to >= 0.86.0")]
    effects = []
    for key in overrides:
        provider, slash, model_id = str(key).partition("/")
        if not slash or not provider or not model_id or known_model(version, models_doc, provider, model_id):
            continue  # not `provider/modelId`: SCH004
        if models_doc is None and (provider in DYNAMIC_PROVIDERS or not facts.builtin_provider(version, provider)):
            continue  # a models.json outside the run may define it
        effects.append(Effect(
            "CMP004", f"`compaction.modelOverrides[\"{key}\"]` has no effect: no built-in model of pi {version} and no "
                      "models.json model is called that (keys are exact, case-sensitive `provider/modelId`)",
            cfg.source(("compaction", "modelOverrides", key)), Severity.WARNING,
            fix="use the exact `provider/modelId` of a configured model", details={"key": key}))
    return effects


def _shadowed(cfg: ConfigReader, version: Version, key: str) -> list[Effect]:
    """CMP004 (info): an ordinary compaction value the default model's override replaces."""
    if not facts.has_compaction_model_overrides(version):
        return []
    compaction, entry = cfg.table(("compaction",)), cfg.table(("compaction", "modelOverrides", key))
    return [Effect("CMP004", f"`compaction.{field}` does not apply to the default model {key}: its "
                             f"`compaction.modelOverrides[\"{key}\"].{field}` wins",
                   cfg.source(("compaction", field)), Severity.INFO, details={"field": field})
            for field in TOKEN_FIELDS if field in compaction and field in entry]


def _notes(version: Version, models_doc: Document | None) -> list[str]:
    notes = [f"pi {version}: numbers assume the built-in catalog of pi-ai {facts.catalog_release(version)}; "
             "dynamic lists (OpenRouter, llama.cpp) change limits at run time"]
    if version < facts.BETWEEN_TURN_CHECK_FROM:
        notes.append(f"pi {version} checks the threshold only after a run and before a prompt, not between tool "
                     "calls (0.84.4): a long tool loop can run past it")
    notes.append("project `.pi/settings.json` counts only once the project is trusted (pi >= 0.79.0)")
    return notes
