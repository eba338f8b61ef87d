"""Source lines with every credential masked, for `--show-source` snippets."""

from __future__ import annotations

from cfglint.document import Document


def masked_line(doc: Document, line: int) -> str:
    """The text of 1-based `line` of `doc` (no line ending), credentials masked."""
    from cfglint.secrets import mask_line

    return mask_line(doc.source.line_text(line))
