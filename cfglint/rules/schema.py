"""SCH rules: the file's structure against the harness's own schema.

SCH001/SCH002 read the jsonschema validation of the shipped schema (one pass,
shared through `FileContext.schema_issues`) plus the version-specific facts of
the harness unit; SCH003/SCH005 take their facts from the harness unit;
SCH004 checks references on the merge of the files in the run.
"""

from __future__ import annotations


from cfglint.rules.context import FileContext, SetContext
from cfglint.core.document import get_path
from cfglint.core.finding import Finding, Severity
from cfglint.rules.base import FileRule, RuleDoc, SetRule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable


class InvalidValue(FileRule):
    code = "SCH001"
    name = "invalid-value"
    severity = Severity.ERROR
    summary = "A value breaks the harness schema: wrong type, out of bounds, not allowed, or missing."
    doc = RuleDoc(
        what=(
            "Validates every value against the harness's own schema for the targeted version: types, "
            "bounds (Kimi `compaction_trigger_ratio` 0.5..0.99; kimi-cli `reserved_context_size` >= 1000 "
            "but Kimi Code >= 0; Kimi Code `max_context_size` >= 1; Kilo `compaction.threshold_percent` "
            "0 < x <= 100; Hermes `model.context_length` >= 64,000 except on LM Studio), allowed values "
            "and required keys (opencode: `limit` without `context` or `output`, `null` entries, V2 "
            "`permissions`; pi: `compaction` token values that are not non-negative safe integers, "
            "`models.json` limits <= 0). Every problem is reported at its own position; a missing key "
            "points at the table or object that should hold it."
        ),
        why=(
            "The harness rejects the file at start-up (Kimi, Kilo skips it), or ignores the value with "
            "a warning and falls back to a default (Hermes `context_length: \"256K\"` means "
            "auto-detection and a 256K fallback), so the config does not do what it says."
        ),
        example="[loop_control]\ncompaction_trigger_ratio = 1.5   # Kimi accepts 0.5..0.99",
        fix="Use a value inside the harness's bounds, of the type the harness expects.",
    )

    def check(self, ctx: FileContext) -> Iterable[Finding]:
        for issue in ctx.schema_issues:
            if issue.kind == "invalid-value":
                effect = ctx.harness.invalid_value_effect(issue.path, get_path(ctx.doc.data, issue.path), ctx.version,
                                                         ctx.doc)
                message = issue.message + _harness(ctx) + (f": {effect}" if effect else "")
                yield ctx.finding(type(self), issue.path, message, at="value", details=issue.details)
            elif issue.kind == "missing-key":
                effect = ctx.harness.invalid_value_effect(issue.path + (issue.details["key"],), None, ctx.version,
                                                         ctx.doc)
                message = issue.message + _harness(ctx) + (f": {effect}" if effect else "")
                yield ctx.finding(type(self), issue.path, message, at="value",
                                  fix=f"add `{issue.details['key']}`", details=issue.details)
        for note in ctx.harness.value_checks(ctx.doc.data, ctx.version, ctx.doc.path):
            yield ctx.note_finding(type(self), note)


class UnknownKey(FileRule):
    code = "SCH002"
    name = "unknown-key"
    severity = Severity.WARNING
    summary = "A key the harness (at the targeted version) does not know."
    doc = RuleDoc(
        what=(
            "Keys the targeted harness version does not know, with the closest known key as a "
            "suggestion. Error where the harness rejects the whole file or entry (a Kilo top-level "
            "key; an opencode top-level key up to 1.18.15; a Kimi Code `hooks[]` entry), warning where "
            "it drops the key silently (nested Kilo keys, opencode from 1.18.16, pi, Kimi, Codex CLI before 0.156.0; from 0.156.0 Codex warns at start-up, and with `--strict-config` (`--harness-args codex=--strict-config`) it refuses the file: error) or keeps it without ever reading it (Claude Code, Hermes; the key sets are "
            "read from the harnesses' shipped packages). The message says which. Open maps "
            "(provider ids, model ids, agent names, `options`, `env`) never have unknown keys; "
            "`$schema` is known in every JSON dialect, and comment-like keys (`_comment`, `//`) are "
            "not reported where the harness keeps them unread."
        ),
        why=(
            "A typo such as `compation` makes Kilo skip the file entirely; in Kimi a misspelt "
            "`reserved_context_sise` is dropped without a word and the default applies."
        ),
        example='{\n  "compation": {"auto": true}\n}',
        fix="Rename the key to the one the harness knows (the message suggests it), or remove it. "
            "`--fix` renames it when exactly one known key is close and the object does not hold that key yet.",
        fixable="safe",
    )

    def check(self, ctx: FileContext) -> Iterable[Finding]:
        # The targeted version's own verdict on a key (opencode <= 1.18.15 refuses any unknown
        # top-level key) replaces the schema's, which speaks for the newest release.
        version_notes = list(ctx.harness.unknown_keys_for_version(ctx.doc.data, ctx.version, ctx.doc.path))
        claimed = ctx.claimed_paths | {tuple(note.path) for note in version_notes}
        # A launch flag (Codex `--strict-config`) makes every unknown key an error.
        strict = ctx.strict_unknown_keys
        for issue in ctx.schema_issues:
            if issue.kind != "unknown-key" or issue.path in claimed:
                continue
            suggestion = issue.suggestion  # a close-match search: only for the findings the engine takes
            fix = f"did you mean `{suggestion}`?" if suggestion else "remove the key"
            severity = Severity.ERROR if strict else issue.severity
            effect = ctx.harness.unknown_key_effect(issue.path, severity is Severity.ERROR)
            message = f"{issue.message}: {ctx.harness.title} {ctx.version_text} {effect}"
            details = {**issue.details, **({"did_you_mean": suggestion} if suggestion else {})}
            yield ctx.finding(type(self), issue.path, message, at="key", fix=fix,
                              severity=severity, details=details)
        for note in version_notes:
            if tuple(note.path) not in ctx.claimed_paths:  # SCH003/SCH005 say more about the key
                yield ctx.note_finding(type(self), note._replace(severity=Severity.ERROR) if strict else note)


class DeprecatedKey(FileRule):
    code = "SCH003"
    name = "deprecated-key"
    severity = Severity.WARNING
    summary = "A key or variable the targeted harness version ignores or renames."
    doc = RuleDoc(
        what=(
            "Keys and variables the targeted version ignores or renames: Kimi Code "
            "`max_retries_per_step` and `max_steps_per_run` (ignored from 0.33.0, the v2 engine, "
            "unless `KIMI_CODE_LEGACY_FLAG=1`); Kilo `mode`, `maxSteps`, `tools`, `reference`, "
            "`autoshare`, `auto_collapse_reasoning`, `layout`; Claude Code "
            "`ANTHROPIC_SMALL_FAST_MODEL`; Hermes `compression.summary_model`, `summary_provider`, "
            "`summary_base_url`; opencode `theme`/`keybinds`/`tui` (info: they belong in `tui.json`) and "
            "a V2 key beside its V1 twin; pi `queueMode`, `websockets`; Codex CLI `model_max_output_tokens` "
            "(never sent), `model_supports_reasoning_summaries`, legacy `[profiles.*]` (>= 0.134.0). The message names the "
            "replacement."
        ),
        why=(
            "The setting looks active but the harness ignores it (with at most a start-up warning "
            "nobody reads), so the limit it was meant to set does not apply."
        ),
        example="[loop_control]\nmax_retries_per_step = 5   # Kimi Code >= 0.33 reads max_attempts_per_step",
        fix="Rename the key to its replacement, or remove it when there is none. `--fix` renames it when the "
            "replacement is a key of the same object that the object does not hold yet and the harness reads the "
            "same value under it; a move where the value needs another form too (Kilo `autoshare: false` -> "
            "`share: \"disabled\"`) is left to you.",
        fixable="safe",
    )

    def check(self, ctx: FileContext) -> Iterable[Finding]:
        for note in ctx.deprecations:
            yield ctx.note_finding(type(self), note)


class DanglingReference(SetRule):
    code = "SCH004"
    name = "dangling-reference"
    severity = Severity.ERROR
    summary = "A reference that cannot resolve inside the configuration."
    doc = RuleDoc(
        what=(
            "References checked on the merge of the files in the run: Kimi `default_model` must be a "
            "key of `[models]` and every `models.X.provider` a key of `[providers]`; Kilo `model`, "
            "`small_model`, `subagent_model` and `agent.*.model` must have the `provider/model` form "
            "and name a provider that is configured in the files of the run or known to the "
            "registry (a warning, since a Kilo layer outside the run, such as the global file, could "
            "define it); a Kilo `{file:./path}` whose target does not exist beside the config (Kilo "
            "rejects the whole file: \"bad file reference\")."
        ),
        why=(
            "kimi-cli refuses to start with a dangling reference; Kimi Code accepts it in "
            "`kimi doctor` and fails when the model is first used; Kilo fails the session with "
            "ProviderModelNotFoundError."
        ),
        example='default_model = "glm"\n\n[models."zhipu/glm-5.2"]\nprovider = "zhipu"',
        fix="Point the reference at a defined key, or define the missing model/provider.",
    )

    def check(self, ctx: SetContext) -> Iterable[Finding]:
        for note in ctx.harness.references(ctx.merged, ctx.registry):
            yield ctx.note_finding(type(self), note)


class WrongDialect(FileRule):
    code = "SCH005"
    name = "wrong-dialect"
    severity = Severity.ERROR
    summary = "A construct from the other Kimi dialect (Kimi Code vs legacy kimi-cli)."
    doc = RuleDoc(
        what=(
            "Kimi Code provider `type` outside its six wire types (`kimi`, `openai`, "
            "`openai_responses`, `anthropic`, `google-genai`, `vertexai`); the kimi-cli names "
            "`openai_legacy`, `gemini`, `google_genai` get the rename `kimi migrate` applies. In a "
            "kimi-cli file, Kimi Code keys (`max_output_size`, `max_input_size`, `overrides`, "
            "`max_attempts_per_step`) that kimi-cli silently ignores (warning)."
        ),
        why=(
            "The Kimi Code legacy engine rejects an unknown provider type at load; the v2 engine "
            "(default since 0.33) loads it but cannot send a request through it, and `kimi doctor` "
            "passes it. kimi-cli drops Kimi Code keys, so the output cap you wrote is not applied."
        ),
        example='[providers.gemini]\ntype = "gemini"   # Kimi Code calls it "google-genai"',
        fix="Use the dialect's own spelling (the message names it), or move the file to the right directory.",
    )

    def check(self, ctx: FileContext) -> Iterable[Finding]:
        for note in ctx.mixups:
            yield ctx.note_finding(type(self), note)


def _harness(ctx: FileContext | SetContext, tail: str = "") -> str:
    return f" ({ctx.harness.title} {ctx.version_text}{tail})"
