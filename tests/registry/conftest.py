"""Registry tests never read the real user cache: CFGLINT_CACHE_DIR points into tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfglint.registry import Registry, load_registry

SHARED_API_JSON = Path(__file__).resolve().parents[3] / "shared" / "registry" / "models-dev-api.json"


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(use_cache=False)


@pytest.fixture
def shared_api_json() -> Path:
    if not SHARED_API_JSON.is_file():
        pytest.skip(f"{SHARED_API_JSON} is not present")
    return SHARED_API_JSON
