"""Differential runs of cfglint against the harnesses' own code (`make fidelity`, issue 11)."""
