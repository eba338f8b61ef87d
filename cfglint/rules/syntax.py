"""SYN rules: the file does not parse, or is not a usable text config.

The parsers emit these findings (`cfglint.parsing`); the classes hold the docs.
"""

from __future__ import annotations

from cfglint.core.finding import Severity
from cfglint.rules.base import Rule, RuleDoc


class InvalidSyntax(Rule):
    code = "SYN001"
    name = "invalid-syntax"
    severity = Severity.ERROR
    summary = "The file does not parse under the harness's own syntax rules."
    doc = RuleDoc(
        what=(
            "Parses each file exactly as its harness does: Kilo/opencode files as JSON plus `//` and "
            "`/* */` comments plus trailing commas (the jsonc-parser rules, not JSON5); Kimi files as "
            "TOML 1.0; Claude Code settings and pi `settings.json` as strict JSON (one comment or "
            "trailing comma and pi ignores the whole file); pi `models.json` as JSON with `//` comments "
            "and trailing commas (from 0.73.1; a `/* */` comment makes pi ignore the whole file); Hermes "
            "files as YAML (safe loader). The "
            "finding sits where the harness's parser stops."
        ),
        why=(
            "A harness that cannot parse its config does not run as configured: Kilo skips the whole "
            "file and carries on with defaults, Kimi Code and Hermes refuse to start or fall back, "
            "Claude Code ignores the settings file."
        ),
        example='// kilo.jsonc\n{\n  "model": "anthropic/claude-sonnet-4-5"\n  "small_model": "anthropic/claude-haiku-4-5"\n}',
        fix="Correct the syntax at the reported position (here: add the missing comma).",
    )


class Json5OnlySyntax(Rule):
    code = "SYN002"
    name = "json5-only-syntax"
    severity = Severity.ERROR
    summary = "A Kilo/opencode file uses JSON5 syntax that Kilo's JSONC parser rejects."
    doc = RuleDoc(
        what=(
            "A Kilo/opencode file that is not valid JSONC but is valid JSON5: single-quoted strings, "
            "unquoted keys, hex numbers, `NaN`/`Infinity`, a leading `+`, multi-line strings. The "
            "finding sits at the first JSON5-only construct and replaces SYN001 for that file."
        ),
        why=(
            "Editors that speak JSON5 show such a file as fine, but Kilo parses with jsonc-parser, "
            "reports a syntax error and skips the entire file, so none of its settings apply."
        ),
        example="// kilo.jsonc\n{\n  'model': 'anthropic/claude-sonnet-4-5'\n}",
        fix="Use double-quoted strings and keys, decimal numbers, and no NaN/Infinity.",
    )


class DuplicateKey(Rule):
    code = "SYN003"
    name = "duplicate-key"
    severity = Severity.WARNING
    summary = "The same key appears twice in one JSON/JSONC/YAML object."
    doc = RuleDoc(
        what=(
            "A key that appears more than once in the same object or mapping. The finding sits at "
            "the second occurrence. (TOML forbids duplicates outright: that is SYN001.)"
        ),
        why=(
            "The harness silently keeps the last value, so the first one looks configured but has "
            "no effect; a later edit to the first copy changes nothing."
        ),
        example='{\n  "model": "anthropic/claude-sonnet-4-5",\n  "model": "openai/gpt-5"\n}',
        fix="Keep one copy of the key, with the value you mean.",
    )


class UnreadableFile(Rule):
    code = "SYN004"
    name = "unreadable-file"
    severity = Severity.ERROR
    summary = "Not a usable text config: binary, not UTF-8, too large, too deep, or not a file."
    doc = RuleDoc(
        what=(
            "A path that opens but cannot be a config: binary data or NUL bytes, invalid UTF-8, over "
            "10 MiB, nesting deeper than 256 levels, a YAML document whose aliases expand past 100 "
            "aliases or 10,000 nodes, a directory named like a config, or a special file. The "
            "message says which."
        ),
        why=(
            "The harness cannot use such a file either, and a linter that tried would spend "
            "unbounded time or memory on it."
        ),
        example="A `kilo.json` that is really a zip archive, or a YAML 'billion laughs' alias bomb.",
        fix="Replace the file with the intended text config, or stop naming it like one.",
    )
