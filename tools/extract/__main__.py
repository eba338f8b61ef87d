"""`python -m tools.extract [NAME ...]`: download each harness artifact and regenerate its facts."""

from __future__ import annotations

import importlib
import sys

from tools.extract.common import REPO, write_if_changed

EXTRACTORS = ("hermes", "kilo", "kimi_code", "kimi_cli", "claude_code")


def main(names: list[str]) -> int:
    for name in names or EXTRACTORS:
        outputs = importlib.import_module(f"tools.extract.{name}").generate(download=True)
        for path, text in outputs.items():
            state = "written" if write_if_changed(path, text) else "unchanged"
            print(f"{name}: {path.relative_to(REPO)} {state}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
