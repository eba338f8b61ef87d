"""`--output-format json` and `json-lines`: every field of every finding, in a stable order.

`json` is one indented list; `json-lines` is one compact object per line (the same
keys), so a stream processor (`jq -c`, a log shipper) can read findings one by one.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from cfglint.core.finding import Finding


def render_json(findings: Sequence[Finding], **_: Any) -> str:
    return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"


def render_json_lines(findings: Sequence[Finding], **_: Any) -> str:
    return "".join(json.dumps(f.as_dict(), ensure_ascii=False) + "\n" for f in findings)
