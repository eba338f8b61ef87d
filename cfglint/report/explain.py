"""`cfglint explain` as text and JSON: the resolved numbers of each model, where each came
from, and why.

The engine session (`cfglint.engine.session.explain`) resolves the budgets and runs the budget
rules on each record, so explain and check can never disagree; this module only renders.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cfglint.core.document import format_path
from cfglint.core.finding import json_safe
from cfglint.core.numbers import tokens
from cfglint.core.secrets import describe_env, mask_userinfo
from cfglint.harnesses.budget import Budget, EnvUse, Quantity

if TYPE_CHECKING:
    from cfglint.engine.session import Explained

BAR_WIDTH = 50

# (label, Budget attribute) in the order explain prints them
NUMBERS = (
    ("window", "window"),
    ("input cap", "input_cap"),
    ("model context", "model_context"),
    ("model input", "model_input"),
    ("model output", "model_output"),
    ("trigger", "trigger"),
    ("blocks at", "block_at"),
    ("headroom", "headroom"),
    ("max_tokens normal", "max_tokens_normal"),
    ("max_tokens at trigger", "max_tokens_at_trigger"),
    ("max_tokens compaction", "max_tokens_compaction"),
    ("output reservation", "output_reservation"),
    ("tail kept", "kept_tail"),
    ("post-compaction floor", "post_compaction_floor"),
    ("summary model window", "summary_context"),
    ("summary window needed", "summary_needed"),
)


# --- text ------------------------------------------------------------------------


def render_text(items: list[Explained], *, env_note: str) -> str:
    blocks = [_render_one(item, env_note) for item in items]
    return "\n".join(blocks)


def _render_one(item: Explained, env_note: str) -> str:
    b, r = item.budget, item.redactor.text
    lines = [f"{b.harness} {b.version} · model `{r(b.model)}`"
             + (f" (id {r(b.model_id)})" if b.model_id and b.model_id != b.model else "")]
    lines.append(f"  registry: {r(_registry_line(b))}")
    lines.append(f"  layers: {', '.join(b.layers) or '(none)'}")
    lines.append("")
    for label, attr in NUMBERS:
        q = getattr(b, attr)
        if q is None:
            continue
        lines.append(f"  {label:<23}{_value(q, b):>12}  {r(_origin(q, single_file=len(b.layers) == 1))}")
    lines.append("")
    lines.append(f"  trigger rule: {r(b.trigger_rule)}" + (f" ({r(b.trigger_reason)})" if b.trigger_reason else ""))
    if b.compaction_note:
        lines.append(f"  compaction path: {r(b.compaction_note)}")
    lines.extend("  " + line for line in _bar(b))
    lines.append("")
    lines.append(f"  environment ({env_note}):")
    if b.env:
        lines.extend("    " + _env_line(use, item) for use in b.env)
    else:
        lines.append("    no variable set that this harness reads for these numbers")
    for note in b.notes:
        lines.append(f"  note: {r(note)}")
    lines.append("")
    if item.findings:
        lines.append("  findings:")
        for f in item.findings:
            lines.append(f"    {f.path}:{f.span.line}:{f.span.column}: {f.code} [{f.severity.label}] {f.message}")
            if f.fix:
                lines.append(f"      fix: {f.fix}")
    else:
        lines.append("  findings: none")
    return "\n".join(lines) + "\n"


def _registry_line(b: Budget) -> str:
    m = b.registry_match
    if m is None or not m.found:
        return "no entry" + (f" (close: {', '.join(m.suggestions)})" if m is not None and m.suggestions else "")
    limits = " · ".join(f"{name} {tokens(v)}" for name, v in (("context", m.context), ("input", m.input),
                                                                 ("output", m.output)) if v is not None)
    return f"{m.entry} [{m.kind} match] {limits}"


def _value(q: Quantity, b: Budget) -> str:
    if q.value is None:
        if q is b.trigger:
            return "unknown" if b.trigger_rule == "unknown" else "never"
        return "per request" if q.formula else "unknown"  # a formula of the request's size (pi's clamp)
    text = tokens(q.value)
    if q is b.trigger and b.window is not None and b.window.value:
        text += f" ({100 * (q.value / b.window.value):.1f}%)"
    return text


def _origin(q: Quantity, *, single_file: bool) -> str:
    """`= formula  ← where`: the arithmetic, then the setting (with its position; the file only
    when several layers are merged), variable, registry entry or default it came from."""
    src = q.source
    if src.doc is not None and src.path is not None:
        span = src.doc.value_span(src.path)
        kind = "env" if src.kind == "env" else "setting"
        file = "" if single_file else f"{src.doc.display_path}:"
        where = f"{kind} {format_path(src.path)} ({file}{span.line}:{span.column})"
    else:
        where = src.describe()
    return f"= {q.formula}  ← {where}" if q.formula else f"← {where}"


def _is_plain(use: EnvUse, item: Explained) -> bool:
    from cfglint.harnesses import harness_for

    return use.name in harness_for(item.budget.dialect).plain_env_variables


def _env_value(use: EnvUse, item: Explained) -> str | None:
    """A variable's value as explain may show it: a plain setting of the harness as written
    (URL password masked), anything else by name and length (`$GITHUB_TOKEN (40 chars)`)."""
    if use.raw is None:
        return None
    return mask_userinfo(use.raw) if _is_plain(use, item) else describe_env(use.name, use.raw)


def _env_line(use: EnvUse, item: Explained) -> str:
    origin = use.env.origin if use.env is not None else "not set"
    state = f"changed {use.changed}" if use.changed else "changed nothing"
    problem = f"; {item.redactor.text(use.problem)}" if use.problem else ""
    value = _env_value(use, item)
    shown = "(not set)" if value is None else repr(value) if _is_plain(use, item) else value
    return f"{use.name}={shown} [{origin}]: {state}{problem}"


def _bar(b: Budget) -> list[str]:
    """`[=====...=====|...]` from 0 to the hard limit: `=` up to the trigger, `.` headroom,
    and how one request's output compares with the headroom."""
    limit = (b.hard_limit or b.window)
    if limit is None or not limit.value:
        return []
    total = limit.value
    if b.trigger is None or b.trigger.value is None:
        return [f"[{'.' * BAR_WIDTH}] {tokens(total)}  (no proactive trigger)"]
    share = b.trigger.value / total  # the ratio first: 60 × 1e308 overflows; a trigger may be +-inf
    cut = BAR_WIDTH if share >= 1 else round(BAR_WIDTH * share) if share > 0 else 0
    bar = "=" * cut + "|" + "." * (BAR_WIDTH - cut)
    marker = " " * (cut + 1) + "^ trigger " + tokens(b.trigger.value)
    line = f"[{bar}] {tokens(total)}"
    tail = []
    if b.headroom is not None and b.headroom.value is not None and b.max_tokens_normal is not None \
            and b.max_tokens_normal.value is not None:
        fits = b.headroom.value >= b.max_tokens_normal.value
        verb = ">=" if fits else "<"
        tail.append(f" headroom {tokens(b.headroom.value)} {verb} one reply's max_tokens "
                    f"{tokens(b.max_tokens_normal.value)}" + ("" if fits else "  (can overflow)"))
    return [line, marker] + tail


# --- json ------------------------------------------------------------------------


def render_json(items: list[Explained], *, env_note: str) -> str:
    # json_safe: a parsed env value may be inf (`CLAUDE_AUTOCOMPACT_PCT_OVERRIDE=1e400`), which JSON cannot hold
    return json.dumps(json_safe([_as_dict(item) for item in items]), indent=2, ensure_ascii=False) + "\n"


def _as_dict(item: Explained) -> dict[str, Any]:
    """The json form; every text taken from the budget passes through the run's redactor."""
    b = item.budget
    m = b.registry_match
    out = {
        "dialect": b.dialect,
        "harness": b.harness,
        "harness_version": b.version,
        "model": b.model,
        "model_id": b.model_id,
        "provider": b.provider,
        "layers": b.layers,
        "registry": None if m is None else {
            "entry": m.entry if m.found else None, "match": m.kind, "context": m.context, "input": m.input,
            "output": m.output, "status": m.status, "suggestions": list(m.suggestions),
        },
        "numbers": {attr: (getattr(b, attr).as_dict() if getattr(b, attr) is not None else None)
                    for _, attr in NUMBERS},
        "trigger_rule": b.trigger_rule,
        "trigger_reason": b.trigger_reason,
        "proactive": b.proactive,
        "every_step": b.every_step,
        "compaction_note": b.compaction_note,
        "environment": [
            {"name": u.name, "value": _env_value(u, item), "origin": u.env.origin if u.env else None,
             "parsed": u.parsed, "changed": u.changed, "problem": u.problem} for u in b.env
        ],
        "notes": b.notes,
    }
    return {**item.redactor.value(out), "findings": [f.as_dict() for f in item.findings]}
