"""`cfglint explain` as text, markdown and JSON: the resolved numbers of each model, where
each came from, and why.

The text fits 80 columns: a number's source goes on the line under it, and a source already
shown for an earlier number of the model is referred back to (`← same as window`), not
repeated. Markdown lays out the same facts as a table per model, to paste into an issue.

The engine session (`cfglint.engine.session.explain`) resolves the budgets and runs the budget
rules on each record, so explain and check can never disagree; this module only renders.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from cfglint.core.document import format_path
from cfglint.core.finding import json_safe, one_line
from cfglint.core.numbers import tokens
from cfglint.core.secrets import describe_env, mask_userinfo
from cfglint.harnesses.budget import Budget, EnvUse, Quantity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable
    from cfglint.engine.session import Explained


BAR_WIDTH = 50
_OVERFLOW = "  (can overflow)"

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


# --- the facts both readable formats show -------------------------------------------


@dataclass
class _Row:
    """One number: its label, value as shown, formula, and source (or `same as <label>`)."""

    label: str
    value: str
    formula: str
    source: str


@dataclass
class _FindingText:
    """A finding as explain shows it (texts escaped to one line)."""

    location: str  # `path:line:column:`
    code: str
    severity: str
    message: str
    fix: str


@dataclass
class _Model:
    """What explain says about one model, as plain one-line texts (redacted, control
    characters escaped): the text and markdown renderers lay out the same facts."""

    harness: str  # `Kimi Code 0.16.0`
    model: str
    model_id: str  # empty when the same as the model
    registry: str
    layers: list[str]
    rows: list[_Row]
    trigger_rule: str
    compaction_path: str
    bar: list[str]
    env_heading: str
    env: list[str]
    notes: list[str]
    findings: list[_FindingText]


def _model(item: Explained, env_note: str) -> _Model:
    b, r = item.budget, item.redactor.text
    rows: list[_Row] = []
    first_with: dict[str, str] = {}  # a source text -> the label that showed it first
    for label, attr in NUMBERS:
        q = getattr(b, attr)
        if q is None:
            continue
        where = one_line(r(_where(q, single_file=len(b.layers) == 1)))
        source = f"same as {first_with[where]}" if where in first_with else where
        first_with.setdefault(where, label)
        rows.append(_Row(label, _value(q, b), one_line(r(q.formula)), source))
    rule = r(b.trigger_rule) + (f" ({r(b.trigger_reason)})" if b.trigger_reason else "")
    findings = [_FindingText(one_line(f"{f.path}:{f.span.line}:{f.span.column}:"), f.code, f.severity.label,
                             one_line(f.message), one_line(f.fix or "")) for f in item.findings]
    return _Model(
        harness=one_line(f"{b.harness} {b.version}"), model=one_line(r(b.model)),
        model_id=one_line(r(b.model_id)) if b.model_id and b.model_id != b.model else "",
        registry=one_line(r(_registry_line(b))), layers=[one_line(x) for x in b.layers],
        rows=rows, trigger_rule=one_line(rule), compaction_path=one_line(r(b.compaction_note or "")), bar=_bar(b),
        env_heading=f"environment ({env_note})",
        env=[one_line(_env_line(use, item)) for use in b.env]
        or ["no variable set that this harness reads for these numbers"],
        notes=[one_line(r(note)) for note in b.notes], findings=findings)


# --- text ------------------------------------------------------------------------

WIDTH = 80  # every line fits, but for a token longer than a line (a deep path), which gets its own
LABEL_WIDTH, VALUE_WIDTH = 22, 15  # `  max_tokens at trigger    850,000 (85.0%)`
UNDER = " " * 6  # where a number's formula and source start when they go under it
_BOLD, _DIM, _RED = "1", "2", "31"
_SEVERITY_COLOURS = {"error": "31", "warning": "33", "info": "36"}  # as `check`'s text output


def render_text(items: list[Explained], *, env_note: str, colour: bool = False) -> str:
    """The numbers of each model, their formulas and sources under them, wrapped to 80
    columns; `colour` adds ANSI styles (the CLI asks for it on a terminal)."""
    paint = _painter(colour)
    return "\n".join(_render_one(_model(item, env_note), paint) for item in items)


if TYPE_CHECKING:
    Paint = Callable[[str, str], str]  # (text, ANSI style) -> the text as shown


def _painter(colour: bool) -> Paint:
    def paint(text: str, style: str) -> str:
        return f"\x1b[{style}m{text}\x1b[0m" if colour and text else text

    return paint


def wrap(text: str, indent: str, hang: str = "  ") -> list[str]:
    """`text` wrapped at spaces to WIDTH, continuation lines indented by `indent + hang`; a
    word longer than a line stays whole on a line of its own."""
    import textwrap

    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + hang,
                         break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]


def _render_one(m: _Model, paint: Paint) -> str:
    title = f"{m.harness} · model `{m.model}`" + (f" (id {m.model_id})" if m.model_id else "")
    lines = [paint(line, _BOLD) for line in wrap(title, "")]
    lines += wrap(f"registry: {m.registry}", "  ")
    lines += wrap(f"layers: {', '.join(m.layers) or '(none)'}", "  ")
    lines.append("")
    for row in m.rows:
        lines += _number_lines(row, paint)
    lines.append("")
    lines += wrap(f"trigger rule: {m.trigger_rule}", "  ")
    if m.compaction_path:
        lines += wrap(f"compaction path: {m.compaction_path}", "  ")
    lines += _bar_lines(m.bar, paint)
    lines.append("")
    lines += wrap(f"{m.env_heading}:", "  ")
    for env in m.env:
        lines += wrap(env, "    ")
    for note in m.notes:
        lines += wrap(f"note: {note}", "  ")
    lines.append("")
    if not m.findings:
        lines.append("  findings: none")
    else:
        lines.append("  findings:")
        for f in m.findings:
            colour = _SEVERITY_COLOURS[f.severity]
            styles = ((f.location, _BOLD), (f.code, f"{_BOLD};{colour}"), (f"[{f.severity}]", colour))
            for line in wrap(f"{f.location} {f.code} [{f.severity}]", "    "):
                for word, style in styles:
                    line = _paint_word(line, word, style, paint)
                lines.append(line)
            lines += wrap(f.message, "      ", hang="")
            if f.fix:
                lines += wrap(f"fix: {f.fix}", "      ", hang="     ")
    return "\n".join(lines) + "\n"


def _number_lines(row: _Row, paint: Paint) -> list[str]:
    """`label  value  = formula` when that fits, else the formula under the value; then
    `← source` under it."""
    head = f"  {row.label:<{LABEL_WIDTH}}{' ' * (VALUE_WIDTH - len(row.value))}"
    value = paint(row.value, _BOLD)
    formula = f"= {row.formula}" if row.formula else ""
    lines: list[str] = []
    if formula and len(head) + len(row.value) + 2 + len(formula) <= WIDTH:
        lines.append(f"{head}{value}  {formula}")
    else:
        lines.append(f"{head}{value}")
        if formula:
            lines += wrap(formula, UNDER)
    lines += [paint(line, _DIM) for line in wrap(f"← {row.source}", UNDER)]
    return lines


def _paint_word(line: str, word: str, style: str, paint: Paint) -> str:
    """`line` with the last `word` in it styled (a finding's location, code or severity: the
    path before them may hold the code too)."""
    before, found, after = line.rpartition(word)
    return f"{before}{paint(word, style)}{after}" if found else line


def _bar_lines(bar: list[str], paint: Paint) -> list[str]:
    lines = ["  " + line for line in bar]
    if len(lines) > 1:
        lines[1] = paint(lines[1], _BOLD)  # the trigger marker
    return [paint(line, _RED) if line.endswith(_OVERFLOW) else line for line in lines]


# --- markdown --------------------------------------------------------------------


def render_markdown(items: list[Explained], *, env_note: str) -> str:
    """GitHub-flavoured markdown to paste into an issue: per model a heading, a table of the
    numbers (quantity | value | formula | source), the rules and the bar, then the
    environment, notes and findings as lists."""
    return "\n".join(_markdown_one(_model(item, env_note)) for item in items)


def _markdown_one(m: _Model) -> str:
    title = f"{_md(m.harness)} · model {_code(m.model)}" + (f" (id {_code(m.model_id)})" if m.model_id else "")
    lines = [f"### {title}", "", f"- registry: {_md(m.registry)}",
             f"- layers: {', '.join(_code(layer) for layer in m.layers) or '(none)'}", ""]
    if m.rows:
        lines += ["| quantity | value | formula | source |", "| --- | ---: | --- | --- |"]
        lines += [f"| {_md(row.label)} | {_md(row.value)} | {_md(row.formula)} | {_md(row.source)} |"
                  for row in m.rows]
        lines.append("")
    lines.append(f"- trigger rule: {_md(m.trigger_rule)}")
    if m.compaction_path:
        lines.append(f"- compaction path: {_md(m.compaction_path)}")
    if m.bar:
        lines += ["", "```text", *m.bar, "```"]
    lines += ["", f"{_md(m.env_heading)}:", "", *(f"- {_md(env)}" for env in m.env)]
    if m.notes:
        lines += ["", "Notes:", "", *(f"- {_md(note)}" for note in m.notes)]
    lines += ["", "Findings:" if m.findings else "Findings: none"]
    if m.findings:
        lines.append("")
    for f in m.findings:
        fix = f" Fix: {_md(f.fix)}" if f.fix else ""
        lines.append(f"- {_code(f.location.rstrip(':'))} **{f.code}** [{f.severity}] {_md(f.message)}{fix}")
    return "\n".join(lines) + "\n"


_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
# what markdown would read in running text: escapes, emphasis, links, HTML, strikethrough,
# table cells; `_` only at a word's edge (GFM never reads `max_tokens` as emphasis)
_MD_SPECIAL = re.compile(r"[\\`*\[\]<|~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


def _md(text: str) -> str:
    """`text` as markdown: cfglint's `code spans` kept, every other character that markdown
    reads escaped (a model name cannot open a link or HTML), pipes escaped everywhere (GFM
    splits table cells on them, even inside a code span), and a first character that would
    open a heading, quote or list inside a list item."""
    if text[:1] in ("#", ">", "+", "-", "="):
        return "\\" + text[:1] + _md(text[1:])
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_escape(text[last:match.start()]))
        out.append(match.group(0).replace("|", "\\|"))
        last = match.end()
    out.append(_escape(text[last:]))
    return "".join(out)


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(lambda match: "\\" + match.group(), text)


def _code(text: str) -> str:
    """`text` as one code span, fenced with more backticks than it holds."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


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


def _where(q: Quantity, *, single_file: bool) -> str:
    """The setting (with its position; the file only when several layers are merged),
    variable, registry entry or default a number came from."""
    src = q.source
    if src.doc is not None and src.path is not None:
        span = src.doc.value_span(src.path)
        kind = "env" if src.kind == "env" else "setting"
        file = "" if single_file else f"{src.doc.display_path}:"
        return f"{kind} {format_path(src.path)} ({file}{span.line}:{span.column})"
    return src.describe()


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
        return [f"[{'.' * BAR_WIDTH}] {tokens(total)}", " (no proactive trigger)"]
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
                    f"{tokens(b.max_tokens_normal.value)}" + ("" if fits else _OVERFLOW))
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
