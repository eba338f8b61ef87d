"""REG rules: configured limits against the model capability registry."""

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


class UnknownModel(BudgetRule):
    code = "REG001"
    name = "unknown-model"
    severity = Severity.WARNING
    summary = "The model is not in the registry and the config does not declare its limits."
    doc = RuleDoc(
        what=(
            "Looks the model up in the registry (provider identified by base URL first, then by id "
            "and aliases, gateways, then the bare model id across providers). Fires when nothing "
            "matches and the config does not itself declare the limits the harness needs; up to "
            "three close matches are offered."
        ),
        why=(
            "Without known limits cfglint cannot verify the output cap or the compaction trigger, "
            "and often neither can the harness: Kilo then never compacts proactively. An unknown id "
            "may also be a typo or a retired model (models.dev deletes retired ids)."
        ),
        example='{\n  "model": "anthropic/claude-sonet-4-5"\n}',
        fix="Correct the model id (see the suggestions), or declare its limits in the config.",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for b in ctx.budgets:
            match = b.registry_match
            if b.declared_limits or (match is not None and match.found):
                continue
            suggestions = ", ".join(f"`{s}`" for s in (match.suggestions if match else ())) or "none"
            yield ctx.source_finding(
                type(self), b.model_source,
                f"{subject(b)}: the model is not in the registry ({ctx.registry.meta.describe()}) and the "
                f"config declares no limits, so they cannot be verified"
                + (f" ({b.assumed_limits})" if b.assumed_limits else "") + f"; close matches: {suggestions}",
                fix="correct the model id, or declare the model's context and output limits",
                details={"model": b.model, "suggestions": list(match.suggestions if match else ())},
            )


class OutputAboveModelLimit(BudgetRule):
    code = "REG002"
    name = "output-above-model-limit"
    severity = Severity.ERROR
    summary = "A configured output cap exceeds the model's output limit."
    doc = RuleDoc(
        what=(
            "Compares the output cap written in the config that actually reaches the request (Kimi "
            "`max_output_size`, Kilo `limit.output` after the 32,000 clamp or with "
            "`KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX`, Hermes `model.max_tokens`) with the registry's "
            "output limit for the model. A limit only other providers list (the serving one is "
            "unknown or lacks the model) is not compared: each host sets its own output cap."
        ),
        why=(
            "The harness trusts the value blindly and sends it as `max_tokens`; the provider answers "
            "HTTP 400 (Kimi Code #1148: `max_output_size` set to the 1M window on a model capped at "
            "65,536)."
        ),
        example='[models."zhipu/glm-5.2"]\nmax_context_size = 1000000\nmax_output_size = 1000000   # GLM-5.2 accepts 131,072',
        fix="Set the output cap to at most the model's output limit.",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for b in ctx.budgets:
            cap, limit = b.configured_output, host_cap(b, b.model_output)
            if cap is None or limit is None or cap.value is None or limit.value is None or cap.value <= limit.value:
                continue
            yield ctx.source_finding(
                type(self), cap.source,
                f"{subject(b)}: output cap {explained(cap)} exceeds the model's output limit "
                f"{tokens(limit.value)} ({limit.source.describe()}); {rejection(b, limit, 'rejects such a request')}",
                fallback=b.model_source,
                fix=b.fixes.reg002 or f"set it to at most {tokens(limit.value)}",
                severity=downgraded(self.severity, b, limit),
                details=numbers(configured_output=cap, model_output=limit),
            )


class ContextAboveModelLimit(BudgetRule):
    code = "REG003"
    name = "context-above-model-limit"
    severity = Severity.ERROR
    summary = "The window the harness uses exceeds the model's real context."
    doc = RuleDoc(
        what=(
            "Compares the context window the harness computes with (Kimi `max_context_size`, Kilo "
            "`limit.context`, the Claude Code auto-compact window including the 1,000,000 that "
            "2.1.329 assumes for an unrecognised id, Hermes `model.context_length` or its fallback) "
            "with the registry's context for the model. Fires when the window exceeds it and the "
            "compaction trigger computed from that window is at or above it; a trigger below the "
            "real context still compacts in time."
        ),
        why=(
            "The trigger then sits above what the provider accepts: requests fail with a "
            "context-length error before compaction ever runs (opencode #50574: 1M sessions never "
            "compact before HTTP 400)."
        ),
        example='{\n  "env": {"ANTHROPIC_BASE_URL": "https://api.deepseek.com/anthropic"},\n  "model": "deepseek-chat"\n}',
        fix="Set the window to the model's real context (e.g. CLAUDE_CODE_AUTO_COMPACT_WINDOW, max_context_size).",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for b in ctx.budgets:
            window, real, trigger = b.window, b.model_context, b.trigger
            if window is None or real is None or window.value is None or real.value is None:
                continue
            # Only a trigger at or above the real context makes requests fail before compaction;
            # below it the harness compacts in time, whatever window it believes in.
            if trigger is None or trigger.value is None or window.value <= real.value or trigger.value < real.value:
                continue
            yield ctx.source_finding(
                type(self), window.source,
                f"{subject(b)}: window {explained(window)} exceeds the model's real context "
                f"{tokens(real.value)} ({real.source.describe()}), and compaction fires only at "
                f"{explained(trigger)}: requests fail with a context-length error before compaction runs",
                fallback=b.model_source,
                fix=b.fixes.reg003 or f"set the window to {tokens(real.value)}",
                severity=downgraded(self.severity, b, real),
                details=numbers(window=window, model_context=real, trigger=b.trigger),
            )


class InputAboveModelLimit(BudgetRule):
    code = "REG004"
    name = "input-above-model-limit"
    severity = Severity.WARNING
    summary = "A configured input cap exceeds the model's input limit."
    doc = RuleDoc(
        what="Compares a configured input cap (`max_input_size`, Kilo `limit.input`) with the registry's input limit.",
        why=(
            "The harness computes its trigger from the input cap (Kimi Code prefers `max_input_size`; "
            "Kilo subtracts `reserved` from `limit.input`), so above the provider's real input limit "
            "the prompt is rejected before compaction runs (openai-codex listed GPT-5.5 with a larger "
            "window than it accepted, Kilo #11801)."
        ),
        example='[models.gpt5]\nmax_context_size = 400000\nmax_input_size = 300000   # GPT-5 accepts 272,000 input',
        fix="Set the input cap to at most the model's input limit.",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for b in ctx.budgets:
            cap, limit = b.input_cap, host_cap(b, b.model_input)
            if cap is None or limit is None or cap.value is None or limit.value is None:
                continue
            if cap.source.kind not in ("setting", "env") or cap.value <= limit.value:
                continue
            yield ctx.source_finding(
                type(self), cap.source,
                f"{subject(b)}: input cap {explained(cap)} exceeds the model's input limit "
                f"{tokens(limit.value)} ({limit.source.describe()})",
                fallback=b.model_source, fix=f"set it to at most {tokens(limit.value)}",
                severity=downgraded(self.severity, b, limit),
                details=numbers(input_cap=cap, model_input=limit),
            )


class RetiredModel(BudgetRule):
    code = "REG005"
    name = "retired-model"
    severity = Severity.WARNING
    summary = "The registry marks the model deprecated (for Kilo also alpha without the opt-in)."
    doc = RuleDoc(
        what=(
            "The registry marks the model `deprecated` (no longer served). Error for Kilo, which "
            "drops deprecated models (and `alpha` ones unless `KILO_ENABLE_EXPERIMENTAL_MODELS` is "
            "set) from its catalogue."
        ),
        why=(
            "Requests to a retired model fail; Kilo drops deprecated (and, without the opt-in, alpha) "
            "models from its catalogue, so the session cannot start. models.dev deletes retired ids, "
            "which is why the registry keeps tombstones for them."
        ),
        example='{\n  "model": "anthropic/claude-3-7-sonnet-20250219"\n}',
        fix=(
            "Switch to a current model of the same family (`cfglint registry show MODEL` lists who "
            "serves it and its status); for an alpha model in Kilo, set KILO_ENABLE_EXPERIMENTAL_MODELS=1."
        ),
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        return effect_findings(ctx, type(self))
