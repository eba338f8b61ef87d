"""The facts read from the harnesses' shipped packages are what their scripts extract today.

Each `tools/extract/<name>.py` reads one published artifact (npm tarball or PyPI wheel)
and renders JSON files inside a harness unit, with the artifact's package, version and
sha256. Here every script runs again on the artifact in the cache (`make extract`
downloads it; CFGLINT_ARTIFACT_CACHE points elsewhere) and its output must equal the
committed files byte for byte. Without a cached artifact the test is skipped, never
failed: `make test` downloads no harness package.
"""

from __future__ import annotations

import importlib
import json

import pytest

from tools.extract.__main__ import EXTRACTORS


def _extractor(name: str):
    try:
        return importlib.import_module(f"tools.extract.{name}")
    except ModuleNotFoundError:  # pragma: no cover - an extractor not written yet
        pytest.fail(f"tools/extract/{name}.py is missing")


@pytest.mark.parametrize("name", EXTRACTORS)
def test_committed_facts_equal_a_fresh_extraction(name):
    outputs = _extractor(name).generate(download=False)
    if outputs is None:
        pytest.skip(f"{name}: artifact not in the cache (run `make extract`)")
    assert outputs, f"{name} extracted nothing"
    for path, text in outputs.items():
        assert path.is_file(), f"{path} is not committed"
        assert path.read_text(encoding="utf-8") == text, f"{path} differs from a fresh extraction: run `make extract`"


@pytest.mark.parametrize("name", EXTRACTORS)
def test_committed_facts_name_their_artifact(name):
    """Every committed facts file says which package version and artifact digest it came from."""
    module = _extractor(name)
    paths = module.OUTPUTS
    assert paths
    for path in paths:
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["generated_by"] == f"tools/extract/{name}.py"
        for artifact in document["artifacts"]:
            assert artifact["package"] and artifact["version"]
            assert len(artifact["sha256"]) == 64 and int(artifact["sha256"], 16) >= 0
