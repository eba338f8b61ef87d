"""Differential runs of cfglint against the harnesses' own code (`make fidelity`, issue 11)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path


def write_sample(path: Path, *, dialect: str, package: str, sha256: str, generator: str, cases: list[dict]) -> None:
    """Write the recorded sample `tests/fidelity/test_recorded.py` replays (its docstring has the format):
    the cases with the harness's numbers, and the package, its sha256 and the generator that made them."""
    document = {"harness": dialect, "package": package, "sha256": sha256, "generator": generator,
                "recorded": datetime.date.today().isoformat(), "cases": cases}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {len(cases)} cases in {path}")
