"""`numbers.javascript_number` against JavaScript's own `Number()` (recorded with Bun by
`tools/oracles/javascript_number.py`): Kilo reads its numeric flags with it."""

from __future__ import annotations

import json
import math
from pathlib import Path

from cfglint.core import numbers

RECORDING = Path(__file__).parent / "data" / "javascript_number.json"


def _expected(value: object) -> float | None:
    return float(value) if isinstance(value, str) else value  # "Infinity" / "-Infinity" as JSON cannot hold them


def test_javascript_number_agrees_with_javascript_on_every_recorded_string():
    recording = json.loads(RECORDING.read_text(encoding="utf-8"))
    assert len(recording["cases"]) > 1_000
    wrong = [(text, expected, numbers.javascript_number(text)) for text, expected in recording["cases"]
             if numbers.javascript_number(text) != _expected(expected)]
    assert not wrong, wrong[:10]


def test_javascript_integer_is_number_is_integer():
    assert numbers.javascript_integer(64000.0) and numbers.javascript_integer(-0.0)
    assert not any(numbers.javascript_integer(v) for v in (None, 0.5, math.inf, -math.inf, math.nan))


def test_the_recording_regenerates(tmp_path):
    """The recording is what Bun says today (skipped when the Bun artifact is not cached)."""
    import pytest

    from tools.oracles import javascript_number as oracle

    if oracle.bun_binary() is None:
        pytest.skip("Bun is not in the artifact cache (`make extract`)")
    oracle.record(tmp_path / "recording.json")
    assert (tmp_path / "recording.json").read_bytes() == RECORDING.read_bytes()
