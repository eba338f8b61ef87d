"""Hermes's 64,000-token minimum, as the 0.13.0..0.19.0 wheels enforce it (tools/fidelity/hermes.py)."""

from __future__ import annotations

from cfglint.core.versions import Version
from cfglint.harnesses.hermes import HERMES


def test_lm_studio_is_not_exempt_in_any_wheel():
    """agent_init raises ValueError for every window below 64,000: LM Studio with an explicit
    `model.context_length: 32768` is refused too (no `_enforce_minimum_context` exemption up to 0.19.0)."""
    data = {"model": {"default": "qwen2.5-coder-7b-instruct", "provider": "lmstudio",
                      "base_url": "http://127.0.0.1:1234/v1", "context_length": 32768}}
    notes = [n for n in HERMES.value_checks(data, Version.parse("0.19.0")) if n.path == ("model", "context_length")]
    assert len(notes) == 1 and "below Hermes's minimum of 64,000" in notes[0].message
