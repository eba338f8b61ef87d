"""`python -m tools.extract [NAME ...]`: download each harness artifact and regenerate its facts."""

from __future__ import annotations

import importlib
import sys

from tools.extract.common import write_outputs

EXTRACTORS = ("hermes", "kilo", "kimi_code", "kimi_cli", "claude_code", "pi", "codex")


def main(names: list[str]) -> int:
    for name in names or EXTRACTORS:
        write_outputs(importlib.import_module(f"tools.extract.{name}").generate(download=True), name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
