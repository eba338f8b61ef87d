"""The generator and the committed snapshot it produced."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cfglint.registry import BUNDLED_SNAPSHOT, DATA_DIR
from cfglint.registry.generate import SourceError, build_snapshot, main, read_source

COMMIT = "f3fc692299671838c7c65fd8126bf84d81a2e817"
COMMIT_DATE = "2026-07-02T00:40:28+08:00"
SOURCE_SHA256 = "1b421339b1247d0678610236ecb95f5f53be6f46966cbdd8b8c42940469dcdb6"


def _bundled() -> dict:
    return json.loads(Path(BUNDLED_SNAPSHOT).read_bytes())


def test_regenerating_from_the_shared_api_json_reproduces_the_committed_snapshot(shared_api_json: Path, tmp_path: Path) -> None:
    out = tmp_path / "models-dev.json"
    code = main([str(shared_api_json), "-o", str(out), "--commit", COMMIT, "--commit-date", COMMIT_DATE])
    assert code == 0
    assert out.read_bytes() == Path(BUNDLED_SNAPSHOT).read_bytes()


def test_shared_api_json_is_the_pinned_upstream_build(shared_api_json: Path) -> None:
    assert hashlib.sha256(shared_api_json.read_bytes()).hexdigest() == SOURCE_SHA256


def test_committed_snapshot_meta_matches_its_data() -> None:
    snapshot = _bundled()
    meta = snapshot["_meta"]
    assert meta == {
        "schema": 1,
        "source": "models-dev-api.json",
        "upstream_repo": "anomalyco/models.dev",
        "upstream_commit": COMMIT,
        "upstream_commit_date": COMMIT_DATE,
        "generated_at": COMMIT_DATE,
        "source_sha256": SOURCE_SHA256,
        "providers": 147,
        "models": 5276,
        "data_date": "2026-06-30",
    }
    providers = snapshot["providers"]
    assert len(providers) == meta["providers"]
    assert sum(len(p["models"]) for p in providers.values()) == meta["models"]


def test_committed_snapshot_is_slim_and_well_formed() -> None:
    providers = _bundled()["providers"]
    assert sum(1 for p in providers.values() if "api" in p) == 123
    for provider in providers.values():
        assert set(provider) <= {"api", "models"}
        for entry in provider["models"].values():
            assert len(entry) in (3, 4)
            assert all(v is None or (isinstance(v, int) and v > 0) for v in entry[:3])
            if len(entry) == 4:
                assert entry[3] in ("alpha", "beta", "deprecated")
    assert providers["zhipuai"]["api"] == "https://open.bigmodel.cn/api/paas/v4"
    assert providers["zhipuai"]["models"]["glm-5.2"] == [1000000, None, 131072]
    assert providers["openai"]["models"]["gpt-5"] == [400000, 272000, 128000]
    assert providers["anthropic"]["models"]["claude-3-7-sonnet-20250219"] == [200000, None, 64000, "deprecated"]
    assert providers["openai"]["models"]["gpt-image-1"] == [None, None, None]  # all three were 0


def test_license_sits_next_to_the_data() -> None:
    notice = (Path(DATA_DIR) / "LICENSE.models-dev").read_text()
    assert "MIT License" in notice and "Copyright (c) 2025 models.dev" in notice


def _api(**models: dict) -> bytes:
    return json.dumps({"acme": {"id": "acme", "api": "https://api.acme.test/v1", "models": models}}).encode()


def test_zero_limits_become_null_and_status_is_kept_only_when_set() -> None:
    raw = _api(
        a={"limit": {"context": 0, "output": 0}},
        b={"limit": {"context": 1000, "input": 800, "output": 100}, "status": "beta"},
    )
    snapshot = json.loads(build_snapshot(raw, source="api.json"))
    assert snapshot["providers"]["acme"] == {
        "api": "https://api.acme.test/v1",
        "models": {"a": [None, None, None], "b": [1000, 800, 100, "beta"]},
    }
    meta = snapshot["_meta"]
    assert meta["providers"] == 1 and meta["models"] == 2
    assert meta["source_sha256"] == hashlib.sha256(raw).hexdigest()
    assert "generated_at" not in meta and "upstream_commit" not in meta


def test_output_is_deterministic_and_compact() -> None:
    raw = _api(z={"limit": {"context": 2, "output": 1}}, a={"limit": {"context": 2, "output": 1}})
    first = build_snapshot(raw, source="api.json", commit="abc", commit_date="2026-01-01")
    assert first == build_snapshot(raw, source="api.json", commit="abc", commit_date="2026-01-01")
    assert first.endswith(b"\n") and b": " not in first and b", " not in first
    assert first.index(b'"a"') < first.index(b'"z"')


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"[]", b'{"acme": {"id": "acme"}}', b'{"acme": {"models": {"m": {"name": "M"}}}}'],
)
def test_a_source_that_is_not_a_models_dev_catalogue_is_refused(raw: bytes) -> None:
    with pytest.raises(SourceError):
        build_snapshot(raw, source="api.json")


def test_missing_source_file_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SourceError):
        read_source(str(tmp_path / "absent.json"))
    assert main([str(tmp_path / "absent.json")]) == 2
    assert capsys.readouterr().err.startswith("error: cannot read")


def test_file_sources_record_only_their_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "nested" / "api.json"
    source.parent.mkdir()
    source.write_bytes(_api(m={"limit": {"context": 2, "output": 1}}))
    assert main([str(source)]) == 0
    assert json.loads(capsys.readouterr().out)["_meta"]["source"] == "api.json"


@pytest.mark.parametrize("url", ["http://[::1", "https://"])
def test_malformed_url_is_a_clean_error(url: str) -> None:
    with pytest.raises(SourceError, match="cannot download"):
        read_source(url)


def test_data_date_is_the_newest_valid_model_date() -> None:
    raw = _api(
        a={"last_updated": "2026-06", "release_date": "2026-05-01", "limit": {"context": 1}},
        b={"last_updated": "2026-06-03", "limit": {"context": 1}},
        c={"last_updated": "soon", "release_date": 20990101, "limit": {"context": 1}},
    )
    assert json.loads(build_snapshot(raw, source="api.json"))["_meta"]["data_date"] == "2026-06-03"
    undated = _api(a={"limit": {"context": 1}})
    assert "data_date" not in json.loads(build_snapshot(undated, source="api.json"))["_meta"]
