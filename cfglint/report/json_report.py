"""`--output-format json`: a list of findings with every field, in a stable order."""

from __future__ import annotations

import json
from typing import Any, Sequence

from cfglint.core.finding import Finding


def render_json(findings: Sequence[Finding], **_: Any) -> str:
    return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"
