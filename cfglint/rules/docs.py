"""Render a rule's documentation (`cfglint rule`, the docs pages)."""

from __future__ import annotations

from cfglint.rules.base import Rule


def render_rule(cls: type[Rule]) -> str:
    doc = cls.doc
    example = "\n".join("    " + line for line in doc.example.splitlines())
    return (
        f"# {cls.name} ({cls.code})\n\n"
        f"Default severity: {cls.severity.label}\n\n"
        f"{cls.summary}\n\n"
        f"## What it checks\n{doc.what}\n\n"
        f"## Why it matters\n{doc.why}\n\n"
        f"## Example\n{example}\n\n"
        f"## Fix\n{doc.fix}\n"
    )
