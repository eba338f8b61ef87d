"""Build a `ResolveInput` from config text and run a harness resolver."""

from __future__ import annotations

import functools

import pytest

from cfglint.harnesses.budget import Environment, ResolveInput
from cfglint.core.document import Document
from cfglint.harnesses import harness_for
from cfglint.core.text import SourceText

FILE_NAMES = {
    "kimi-code": ".kimi-code/config.toml",
    "kimi-cli": ".kimi/config.toml",
    "kilo": "kilo.jsonc",
    "claude-code": ".claude/settings.json",
    "hermes": ".hermes/config.yaml",
}


@functools.lru_cache(maxsize=None)
def _registry():
    from cfglint.registry import load_registry

    return load_registry(use_cache=False)


def document(dialect: str, text: str, path: str | None = None, env: dict | None = None) -> Document:
    harness = harness_for(dialect)
    path = path or "/project/" + FILE_NAMES[dialect]
    source = SourceText(text)
    parse = harness.parse(source, env or {}, path)
    assert parse.ok, parse.diagnostics
    return Document(path, path.lstrip("/"), source, parse, dialect)


def resolve_texts(dialect: str, texts: list[tuple[str, str]], *, env: dict | None = None,
                  version: str | None = None, model: str | None = None):
    """Resolve the merge of several files [(path, text)], lowest precedence first."""
    harness = harness_for(dialect)
    docs = [document(dialect, text, path, env) for path, text in texts]
    docs.sort(key=harness.layer_rank)
    inp = ResolveInput(
        merged=harness.merge(docs),
        version=version or harness.default_version,
        env=Environment.external(env or {}),
        registry=_registry(),
        model=model,
    )
    return harness.resolve(inp)


@pytest.fixture
def resolve():
    """resolve(dialect, text, env=..., version=..., model=...) -> list[Budget]"""

    def run(dialect: str, text: str, *, env: dict | None = None, version: str | None = None,
            model: str | None = None, path: str | None = None):
        path = path or "/project/" + FILE_NAMES[dialect]
        return resolve_texts(dialect, [(path, text)], env=env, version=version, model=model)

    return run
