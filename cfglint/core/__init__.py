"""Shared records and helpers: text, documents, findings, budgets, numbers. Imports nothing else from cfglint."""

import sys


def load_module(name: str):  # noqa: ANN201 (a module)
    """`importlib.import_module(name)` for an absolute name, without importing `importlib` and the
    `warnings` it imports (~0.3 ms of every check): units, rules and reporters load by name."""
    __import__(name)
    return sys.modules[name]
