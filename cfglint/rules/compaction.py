"""CMP rules: the compaction trigger and output budget, as the resolvers computed them.

Each rule compares numbers of the budget record (`cfglint.harnesses.budget.Budget`) and
reports both with their provenance; none redoes the arithmetic.
"""

from __future__ import annotations


from cfglint.rules.context import SetContext
from cfglint.core.finding import Finding, Severity
from cfglint.rules.base import BudgetRule, RuleDoc
from cfglint.rules.wording import (
    downgraded,
    effect_findings,
    explained,
    host_cap,
    numbers,
    rejection,
    subject,
    tokens,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable


class TriggerLeavesNoHeadroom(BudgetRule):
    code = "CMP001"
    name = "trigger-leaves-no-headroom"
    severity = Severity.WARNING
    summary = "At the compaction trigger, one request's output cap no longer fits below the hard limit."
    doc = RuleDoc(
        what=(
            "Headroom = the hard limit (window, or input cap) minus the compaction trigger. Fires when "
            "the headroom is smaller than the output cap of one normal request (before any "
            "remaining-window clamp), and as an error when it is zero or negative. Not for harnesses "
            "that compact reactively by design (Claude Code first-party models without an "
            "auto-compact window), nor where the request is clamped to the room left and no output "
            "cap is configured (Kimi Code; kimi-cli >= 1.49 with a Kimi provider): the default cap "
            "is the whole window, which the clamp makes fit. It fires on default Kilo GPT-5 configs "
            "by design: with an input "
            "limit Kilo keeps only `reserved` (20,000) below it, less than its 32,000 output cap "
            "(upstream opencode #32656)."
        ),
        why=(
            "Compaction is checked between requests: a context just below the trigger plus a full "
            "reply overflows the window, the provider rejects the request, and the turn fails "
            "before compaction runs (Kimi Code #834 config: trigger 950,000 leaves 50,000 for a "
            "131,072-token reply)."
        ),
        example="[loop_control]\nreserved_context_size = 50000   # window 1,000,000, max_output_size 131,072\ncompaction_trigger_ratio = 0.99",
        fix="Lower the trigger (a larger reserve or a smaller ratio) or the output cap, so the headroom covers one reply.",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for b in ctx.budgets:
            trigger, headroom, cap = b.trigger, b.headroom, b.max_tokens_normal
            if b.every_step or not b.headroom_applies or trigger is None or trigger.value is None or headroom is None \
                    or headroom.value is None or cap is None or cap.value is None:
                continue
            if headroom.value >= cap.value:
                continue
            severity = Severity.ERROR if headroom.value <= 0 else self.severity
            limit = b.hard_limit.value if b.hard_limit is not None else None
            yield ctx.source_finding(
                type(self), trigger.source,
                f"{subject(b)}: compaction fires at {explained(trigger)} [{b.trigger_rule}], leaving "
                f"{tokens(headroom.value)} tokens below the {tokens(limit)}-token limit, less than one "
                f"request's output cap of {explained(cap)}",
                fallback=b.model_source,
                fix=b.fixes.cmp001 or self.doc.fix,
                severity=downgraded(severity, b, b.hard_limit, trigger, cap),
                details=numbers(trigger=trigger, headroom=headroom, max_tokens=cap, hard_limit=b.hard_limit),
            )


class AutoCompactionDisabled(BudgetRule):
    code = "CMP002"
    name = "auto-compaction-disabled"
    severity = Severity.WARNING
    summary = "The harness will never compact proactively with this config."
    doc = RuleDoc(
        what=(
            "The resolver finds no proactive trigger: a Kilo model with no usable `limit.context` "
            "(a custom model without `limit`, or a custom provider id the catalogue does not know); "
            "Claude Code without an auto-compact window where the gate requires one; a Hermes trigger "
            "at or above the window. Deliberate switch-offs (Kilo and opencode `compaction.auto: "
            "false`, pi `compaction.enabled: false`, Hermes `compression.enabled: false`, Claude Code "
            "`DISABLE_AUTO_COMPACT`) are reported as info."
        ),
        why=(
            "The session grows until the provider rejects a request; only then (or never) does the "
            "harness compact, after a failed turn (Kilo docs: 'not tracked'; Claude Code #65585)."
        ),
        example='"provider": {"zhipu": {"models": {"glm-5.2": {"name": "GLM-5.2"}}}}   // no limit',
        fix="Give the model its limits (Kilo `limit: {context, output}`), or set the harness's window setting.",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for b in ctx.budgets:
            if b.trigger is None or b.trigger.value is not None or b.every_step or not b.headroom_applies:
                continue
            severity = Severity.INFO if b.deliberate_off else self.severity
            yield ctx.source_finding(
                type(self), b.trigger.source,
                f"{subject(b)}: never compacts proactively: {b.trigger_reason}",
                fallback=b.model_source,
                fix=None if b.deliberate_off else b.fixes.cmp002 or self.doc.fix,
                severity=severity, details={"reason": b.trigger_reason, "deliberate": b.deliberate_off},
            )


class CompactionEveryStep(BudgetRule):
    code = "CMP003"
    name = "compaction-every-step"
    severity = Severity.ERROR
    summary = "The trigger is at or below zero usable tokens: the harness compacts on every step."
    doc = RuleDoc(
        what=(
            "kimi-cli with `reserved_context_size >= max_context_size` or `max_context_size <= 0`; "
            "Kilo and opencode with zero usable tokens (`limit.context` <= the output cap when "
            "`limit.output` is 0 or missing; `limit.input` <= `reserved`); pi with `reserveTokens` >= "
            "`contextWindow` (per model, after overrides: every check compacts, #8651); Codex CLI with "
            "`model_auto_compact_token_limit` <= 0 (documented elsewhere as \"disable\": it compacts before "
            "every request) or a window <= 0."
        ),
        why=(
            "Every step starts with a compaction that cannot help, until the attempt cap ends the turn "
            "('Compaction exhausted ... after 3 attempts', Kilo #9494; upstream opencode #45368)."
        ),
        example='"limit": { "context": 32000, "output": 0 }',
        fix="Give the model its real output limit, or a window larger than the reserve.",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for b in ctx.budgets:
            if not b.every_step:
                continue
            source = b.trigger.source if b.trigger is not None else None
            formula = f" ({b.trigger.formula})" if b.trigger is not None and b.trigger.formula else ""
            yield ctx.source_finding(
                type(self), source,
                f"{subject(b)}: no usable context before compaction{formula}: {b.trigger_reason or 'it compacts on every step'}",
                fallback=b.model_source, fix=b.fixes.cmp003 or self.doc.fix,
                details=numbers(trigger=b.trigger, window=b.window, input_cap=b.input_cap),
            )


class SettingHasNoEffect(BudgetRule):
    code = "CMP004"
    name = "setting-has-no-effect"
    severity = Severity.WARNING
    summary = "A configured value is ignored or overridden by the harness."
    doc = RuleDoc(
        what=(
            "Settings the harness ignores or overrides for this model and version: Kilo "
            "`compaction.reserved` without an input limit, a `threshold_percent` above the usable "
            "window, `limit.output` > 32,000 without `KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX` (info: "
            "clamped); the Kimi Code legacy engine's fixed 0.85 ratio; a Kimi reserve >= the window; "
            "Claude Code PCT override above the default trigger, a window or output cap above the "
            "model's; Hermes `threshold` < 0.75 on windows < 512K, `threshold_tokens` >= window, "
            "`target_ratio` outside 0.10..0.80 (info); budget variables in Kimi `[providers.x.env]`; "
            "opencode `reserved` without `limit.input`, `limit.output` > 32,000 without "
            "`OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX` (info), Kilo's `threshold_percent`, a `KILO_*` "
            "variable; pi `compaction.modelOverrides` keys that match no model; Codex CLI "
            "`model_context_window` above the model's `max_context_window` (narrowed, >= 0.122.0), "
            "`model_auto_compact_token_limit` above 90% of the window (clamped, >= 0.100.0), keys a "
            "project `.codex/config.toml` may not set, a `model_catalog_json` that leaves out the model."
        ),
        why=(
            "The config says one thing and the harness does another, silently: Hermes 0.19 raises any "
            "`threshold` below 0.75 on windows under 512K; Claude Code's PCT override can only lower "
            "the trigger (#31806) and is ignored where compaction is reactive (#56666, #82761); the "
            "Kimi Code legacy engine never reads `compaction_trigger_ratio` (fixed 0.85, as in the "
            "#834 report on 0.16.0). The limit the user meant to set never applies."
        ),
        example="compression:\n  threshold: 0.5   # Hermes 0.19 raises it to 0.75 on a 200K window",
        fix="Remove the setting, or change it to a value the harness honours (the message says which).",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        return effect_findings(ctx, type(self))


class RequestExceedsOutputLimit(BudgetRule):
    code = "CMP005"
    name = "request-exceeds-output-limit"
    severity = Severity.ERROR
    summary = "The max_tokens the harness will send exceeds the model's output limit."
    doc = RuleDoc(
        what=(
            "The max_tokens the targeted harness version actually sends, on the normal path and on "
            "the compaction path, against the model's output limit (the registry, or the config's "
            "own `max_output_size` where a path ignores it). Kimi Code before 0.20.2 asks for the "
            "whole window on the compaction request (#834); Kimi Code `openai` providers send up to "
            "131,072 without `max_output_size`; Kilo sends 32,000 when `limit.output` is missing. "
            "As for REG002, an output limit only other providers list is not compared."
        ),
        why="The provider rejects the request with HTTP 400 (Zhipu: `max_tokens参数非法：限制数值范围[1,131072]`), so compaction itself fails.",
        example='# Kimi Code 0.16.0, GLM-5.2 (output limit 131,072)\n[models."zhipu/glm-5.2"]\nmax_context_size = 1000000',
        fix="Upgrade the harness, or cap the request (e.g. KIMI_MODEL_MAX_COMPLETION_TOKENS, max_output_size).",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for b in ctx.budgets:
            own = host_cap(b, b.model_output)
            limit = own if own is not None and own.value is not None else b.configured_output
            if limit is None or limit.value is None:
                continue
            for path, sent in (("normal", b.max_tokens_normal), ("compaction", b.max_tokens_compaction)):
                if sent is None or sent.value is None or sent.value <= limit.value:
                    continue
                note = f" ({b.compaction_note})" if path == "compaction" and b.compaction_note else ""
                yield ctx.source_finding(
                    type(self), sent.source,
                    f"{subject(b)}: the {path} request sends max_tokens {explained(sent)}, above the "
                    f"model's output limit {tokens(limit.value)} ({limit.source.describe()}): "
                    f"{rejection(b, limit, 'answers HTTP 400')}{note}",
                    fallback=b.model_source,
                    fix=(b.fixes.cmp005_normal if path == "normal" else b.fixes.cmp005_compaction)
                    or f"cap the request at {tokens(limit.value)}",
                    severity=downgraded(self.severity, b, limit),
                    details={"path": path, **numbers(max_tokens=sent, output_limit=limit)},
                )


class CompactionCannotShrink(BudgetRule):
    code = "CMP006"
    name = "compaction-cannot-shrink"
    severity = Severity.WARNING
    summary = "After a compaction the context cannot fall below the trigger again, or the summary model is too small."
    doc = RuleDoc(
        what=(
            "Post-compaction floor = the kept tail (Kimi 0.2 x window; Kilo and opencode "
            "`preserve_recent` budget; pi `keepRecentTokens`; Hermes tail budget) + the summary budget where the harness has one. Fires when the "
            "floor is at or above the trigger, and when the summary model's window is smaller than "
            "what the summary request needs (Kilo chunk budget + output; Hermes: below the main "
            "trigger, where Hermes lowers the trigger to fit)."
        ),
        why=(
            "The harness compacts again at once until its attempt cap and the turn fails (Kilo 3 per "
            "turn, Kimi 3 overflow attempts); a too-small summary model makes every summary fail "
            "(Hermes #53008)."
        ),
        example="auxiliary:\n  compression:\n    context_length: 64000   # main model compacts at 150,000",
        fix="Use a summary model with a larger window, or keep a smaller tail.",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for b in ctx.budgets:
            if b.every_step:  # CMP003 reports it: there is no usable window to shrink into
                continue
            trigger, floor = b.trigger, b.post_compaction_floor
            if trigger is not None and trigger.value is not None and floor is not None \
                    and floor.value is not None and floor.value >= trigger.value:
                yield ctx.source_finding(
                    type(self), floor.source,
                    f"{subject(b)}: after compaction at least {explained(floor)} tokens remain, at or above "
                    f"the trigger {tokens(trigger.value)}: the harness compacts again at once",
                    fallback=b.model_source, fix=b.fixes.cmp006 or self.doc.fix,
                    details=numbers(post_compaction_floor=floor, trigger=trigger, kept_tail=b.kept_tail),
                )
            have, need = b.summary_context, b.summary_needed
            if have is not None and need is not None and have.value is not None and need.value is not None \
                    and have.value < need.value:
                who = f"summary model `{b.summary_model}`" if b.summary_model else "the summary model"
                yield ctx.source_finding(
                    type(self), have.source,
                    f"{subject(b)}: {who} has a {tokens(have.value)}-token window, below the "
                    f"{explained(need)} the compaction request needs",
                    fallback=b.model_source, fix=b.fixes.cmp006 or self.doc.fix,
                    details=numbers(summary_context=have, summary_needed=need),
                )


class OutputReservationStarvesInput(BudgetRule):
    code = "CMP007"
    name = "output-reservation-starves-input"
    severity = Severity.WARNING
    summary = "The output reserved before the trigger is half the window or more."
    doc = RuleDoc(
        what=(
            "In harnesses that subtract the output reservation from the window before computing the "
            "trigger (Kilo models without an input limit; Hermes, `eff = window - max_tokens`), "
            "fires when the reservation is at least 50% of the window."
        ),
        why=(
            "The conversation gets half the window or less: compaction triggers very early, or "
            "requests are rejected by size estimates that add max_tokens (131,072 of a 204,800 "
            "window leaves 73,728). Hermes added the subtraction for #43547; with `max_tokens` "
            "65,536 on a 128,000 window its trigger falls to 53,094 (harness-hermes.md 5.7)."
        ),
        example="model:\n  context_length: 128000\n  max_tokens: 65536",
        fix=(
            "Lower the output cap to what one reply needs (Hermes `model.max_tokens`, Kilo "
            "`limit.output` or `KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX`); for Kilo, a `limit.input` makes it "
            "reserve only `compaction.reserved` instead."
        ),
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for b in ctx.budgets:
            reserved, window = b.output_reservation, b.window
            if b.every_step or reserved is None or window is None or reserved.value is None or not window.value:
                continue
            if reserved.value * 2 < window.value:
                continue
            left = window.value - reserved.value
            yield ctx.source_finding(
                type(self), reserved.source,
                f"{subject(b)}: {explained(reserved)} output tokens are reserved from the "
                f"{tokens(window.value)}-token window before the trigger, leaving {tokens(left)} for the "
                f"conversation",
                fallback=b.model_source, fix=b.fixes.cmp007 or self.doc.fix,
                details=numbers(output_reservation=reserved, window=window),
            )


class InconsistentLimits(BudgetRule):
    code = "CMP008"
    name = "inconsistent-limits"
    severity = Severity.ERROR
    summary = "Limits contradict each other after merging with the registry."
    doc = RuleDoc(
        what=(
            "After the harness merges the config with its catalogue: an input cap above the context "
            "window (Kilo keeps the catalogue `input` when only `context`/`output` are overridden), "
            "an output cap at or above the window, or a trigger above the window. (Kimi clamps "
            "`max_input_size` to `max_context_size` itself: CMP004 there.)"
        ),
        why=(
            "The harness computes with impossible numbers: GPT-5 overridden to context 128,000 keeps "
            "input 272,000 and triggers at 264,000, past its own window."
        ),
        example='"gpt-5": { "limit": { "context": 128000, "output": 8000 } }   // catalogue input 272,000 stays',
        fix="State all limits together (`context`, `input` and `output`) so they agree.",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for b in ctx.budgets:
            window = b.window
            if window is None or window.value is None or window.value <= 0:
                continue
            problems = []
            if b.input_cap is not None and b.input_cap.value is not None and b.input_cap.value > window.value:
                problems.append(f"input cap {explained(b.input_cap)} > window")
            out = b.configured_output
            if out is not None and out.value is not None and out.value >= window.value:
                problems.append(f"output cap {explained(out)} >= window")
            if b.trigger is not None and b.trigger.value is not None and b.trigger.value > window.value:
                problems.append(f"trigger {explained(b.trigger)} > window")
            if not problems:
                continue
            yield ctx.source_finding(
                type(self), (b.input_cap or out or b.trigger or window).source,
                f"{subject(b)}: window {explained(window)}, but " + "; ".join(problems),
                fallback=b.model_source, fix=b.fixes.cmp008 or self.doc.fix,
                details=numbers(window=window, input_cap=b.input_cap, configured_output=out, trigger=b.trigger),
            )


class BuiltinModelReplaced(BudgetRule):
    code = "CMP009"
    name = "builtin-model-replaced"
    severity = Severity.WARNING
    summary = "A custom model entry replaces a model the harness knows, with default limits below its real ones."
    doc = RuleDoc(
        what=(
            "A custom model entry that reuses the id of a model the harness already ships, and omits "
            "its limits: the harness replaces the known model wholesale and fills the gaps with its "
            "defaults instead of the real limits. pi: a `models.json` `models[]` entry whose `id` is a "
            "built-in model of the same provider, without `contextWindow` and/or `maxTokens`, gets "
            "128,000 / 16,384."
        ),
        why=(
            "Compaction fires far too early (pi: `anthropic/claude-opus-4-7` re-declared without limits "
            "compacts at 111,616 tokens instead of near its 1,000,000-token window) or replies are cut "
            "short by an output cap far below the model's, and nothing says so: the entry was only "
            "meant to change a base URL or a header."
        ),
        example=(
            '"providers": { "anthropic": { "models": [ { "id": "claude-opus-4-7" } ] } }'
            "   // pi: 128,000 / 16,384 instead of 1,000,000 / 128,000"
        ),
        fix=(
            "State the limits in the entry, or change the known model through the harness's override "
            "mechanism (pi: `modelOverrides`), which keeps every limit you do not set."
        ),
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        return effect_findings(ctx, type(self))


class FallbackModelMetadata(BudgetRule):
    code = "CMP010"
    name = "fallback-model-metadata"
    severity = Severity.WARNING
    summary = "The harness has no metadata for the model and computes with its fallback window."
    doc = RuleDoc(
        what=(
            "The configured model is in no catalog the harness reads, so it uses its fallback "
            "metadata. Codex CLI (>= 0.99.0): a slug that no entry of the bundled catalog (or of the "
            "`model_catalog_json` file, which replaces it) matches by prefix gets a 272,000-token window "
            "(258,400 usable, compaction at 244,800), whatever the model really holds, unless "
            "`model_context_window` sets 272,000 or less; from 0.122.0 a larger `model_context_window` "
            "is narrowed back to 272,000."
        ),
        why=(
            "A local 32k model overflows long before compaction fires, and a 1M model compacts at a "
            "quarter of its window; Codex only warns \"Model metadata for `x` not found\" at start-up. "
            "REG003 also fires (error) when the registry says the model is smaller."
        ),
        example='model = "qwen3-coder:30b"\nmodel_provider = "ollama"   # window 258,400 whatever num_ctx is',
        fix=(
            "Give the model a `model_catalog_json` entry with its real `context_window` (and the fields "
            "the release requires), or set `model_context_window` to its real window (<= 272,000)."
        ),
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        return effect_findings(ctx, type(self))

