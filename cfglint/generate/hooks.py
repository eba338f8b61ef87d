"""Write the `files` pattern of `.pre-commit-hooks.yaml` from the dialect table, so the hook
selects every file some harness recognises by name (`Harness.path_patterns`), and a new dialect
needs no edit to it. Run by `make schemas`; `tests/test_precommit.py` checks it is fresh."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from cfglint.harnesses import DIALECTS, harness_for

HOOKS_FILE = Path(__file__).resolve().parent.parent.parent / ".pre-commit-hooks.yaml"
_FILES_LINE = re.compile(r"^(  files: ).*$", re.MULTILINE)


def files_pattern() -> str:
    """`(^|/)(a|b|...)$` over every dialect's path patterns, in table order, without repeats."""
    patterns = dict.fromkeys(p for dialect in DIALECTS for p in harness_for(dialect).path_patterns())
    return f"(^|/)({'|'.join(patterns)})$"


def render(text: str) -> str:
    """The hooks file with its `files:` line rewritten."""
    pattern = files_pattern()
    return _FILES_LINE.sub(lambda m: m.group(1) + pattern, text, count=1)


def main() -> int:
    text = HOOKS_FILE.read_text(encoding="utf-8")
    HOOKS_FILE.write_text(render(text), encoding="utf-8")
    print(f"wrote {HOOKS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
