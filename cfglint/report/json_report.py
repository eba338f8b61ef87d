"""`--output-format json` and `json-lines`: every field of every finding, in a stable order.

`json` is one indented list; `json-lines` is one compact object per line (the same
keys), so a stream processor (`jq -c`, a log shipper) can read findings one by one.
"""

from __future__ import annotations

import json

from cfglint.core.finding import Finding
from cfglint.report import json_list_pieces

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator, Sequence


def render_json(findings: Sequence[Finding], **options: Any) -> str:
    return "".join(iter_json(findings, **options))


def render_json_lines(findings: Sequence[Finding], **options: Any) -> str:
    return "".join(iter_json_lines(findings, **options))


def iter_json(findings: Sequence[Finding], **_: Any) -> Iterator[str]:
    yield from json_list_pieces(f.as_dict() for f in findings)
    yield "\n"


def iter_json_lines(findings: Sequence[Finding], **_: Any) -> Iterator[str]:
    return (json.dumps(f.as_dict(), ensure_ascii=False) + "\n" for f in findings)
