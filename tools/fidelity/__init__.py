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


def round_robin(queues: list[list], size: int) -> list:
    """Up to `size` items taken one from each queue in turn (in the queues' order), so a recorded
    sample spreads over the generator's classes. The queues are emptied."""
    picked: list = []
    while len(picked) < size and any(queues):
        for queue in queues:
            if queue and len(picked) < size:
                picked.append(queue.pop(0))
    return picked


def add_run_arguments(parser, count: int = 1000) -> None:
    """The options every differential script takes: how many configs, the seed, and the sample to record."""
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--record", type=Path, help="write the recorded sample here")
    parser.add_argument("--sample", type=int, default=50)
