"""The registry's user cache from the command line: the newer data wins, `--no-cache` and
`registry reset` bypass or remove the cache, `--version` and `registry info` show both dates.
No network: every cache is written from a local models.dev-shaped file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cfglint.registry import cached_snapshot_path
from cfglint.registry.generate import build_snapshot

BUNDLED_LABEL = "models.dev@f3fc692 (2026-07-02)"
KILO_QWEN = """{
  "model": "bailian/qwen3-32b",
  "provider": {"bailian": {"npm": "@ai-sdk/openai-compatible",
    "options": {"baseURL": "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"},
    "models": {"qwen3-32b": {"limit": {"context": 131072, "output": 30000}}}}}
}
"""


def _api(last_updated: str, output: int) -> bytes:
    """A models.dev api.json with one model, dated `last_updated`, whose output limit is `output`
    (the bundled snapshot says 16,384)."""
    model = {"last_updated": last_updated, "limit": {"context": 131_072, "output": output}}
    return json.dumps({"alibaba": {"id": "alibaba", "api": "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
                                   "models": {"qwen3-32b": model}}}).encode()


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write the user cache as `cfglint registry update` would (after the `cli` fixture set
    CFGLINT_CACHE_DIR: it is requested after it)."""

    def write(last_updated: str, output: int = 32_768) -> Path:
        target = Path(cached_snapshot_path())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(build_snapshot(_api(last_updated, output), source="api.json"))
        return target

    return write


@pytest.fixture
def kilo(write) -> str:
    return str(write("project/kilo.jsonc", KILO_QWEN))


def _reg002(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if " REG002 " in line]


def test_without_a_user_cache_the_bundled_snapshot_is_used_and_named(cli, kilo) -> None:
    result = cli("check", "--no-cache", kilo)
    assert result.exit_code == 1 and "registry" not in result.stderr
    assert f"output limit 16,384 (registry alibaba/qwen3-32b ({BUNDLED_LABEL}) output)" in _reg002(result)[0]


def test_a_newer_user_cache_wins_and_only_the_label_changes(cli, user_cache, kilo) -> None:
    bundled = _reg002(cli("check", kilo))
    user_cache("2099-01-01", output=16_384)  # same numbers, newer data
    result = cli("check", kilo)
    assert result.exit_code == 1 and result.stderr == ""
    assert _reg002(result) == [line.replace(BUNDLED_LABEL, "models.dev (2099-01-01)") for line in bundled]


def test_a_newer_user_cache_changes_the_verdict_and_no_cache_bypasses_it(cli, user_cache, kilo) -> None:
    user_cache("2099-01-01", output=32_768)
    assert _reg002(cli("check", kilo)) == []  # 30,000 fits the cache's 32,768
    bypassed = cli("check", "--no-cache", kilo)
    assert len(_reg002(bypassed)) == 1 and BUNDLED_LABEL in _reg002(bypassed)[0]
    assert bypassed.stderr == ""  # nothing to say: the cache was not looked at


def test_a_user_cache_older_than_the_bundled_snapshot_is_ignored_with_a_note(cli, user_cache, kilo) -> None:
    path = user_cache("2026-05-01", output=32_768)
    result = cli("check", kilo)
    assert len(_reg002(result)) == 1 and BUNDLED_LABEL in _reg002(result)[0]  # the bundled numbers
    assert result.stderr.splitlines()[0] == (
        f"cfglint: the registry user cache {path} (models.dev (2026-05-01)) is older than the bundled snapshot "
        f"({BUNDLED_LABEL}, newest entry 2026-06-30): using the bundled one (`cfglint registry update` "
        "refreshes it, `cfglint registry reset` removes it)")


def test_explain_no_cache_bypasses_the_user_cache(cli, user_cache, kilo) -> None:
    user_cache("2099-01-01")
    assert "models.dev (2099-01-01)" in cli("explain", "--format", "json", "--no-env", kilo).stdout
    bypassed = cli("explain", "--format", "json", "--no-env", "--no-cache", kilo).stdout
    assert "models.dev (2099-01-01)" not in bypassed and BUNDLED_LABEL in bypassed


def test_version_shows_both_dates_and_which_is_in_use(cli, user_cache) -> None:
    assert cli("--version").stdout.splitlines()[1:] == [
        f"bundled registry: {BUNDLED_LABEL}, newest entry 2026-06-30 (in use)",
        "user registry cache: none",
    ]
    path = user_cache("2099-01-01")
    assert cli("--version").stdout.splitlines()[1:] == [
        f"bundled registry: {BUNDLED_LABEL}, newest entry 2026-06-30",
        f"user registry cache: models.dev (2099-01-01) (in use), {path}",
    ]
    user_cache("2026-05-01")
    assert cli("--version").stdout.splitlines()[2] == (
        f"user registry cache: models.dev (2026-05-01), {path} (not used: older than the bundled snapshot)")


def test_version_prints_with_a_broken_user_cache(cli, user_cache) -> None:
    user_cache("2099-01-01").write_text("{")
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.splitlines()[1].endswith("(in use)")
    assert "user registry cache: unusable: " in result.stdout and "cfglint registry reset" in result.stdout


def test_a_broken_user_cache_is_a_one_line_usage_error_naming_the_remedy(cli, user_cache, kilo) -> None:
    path = user_cache("2099-01-01")
    path.write_text("{")
    result = cli("check", kilo)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"cfglint: {path}: not a cfglint registry snapshot")
    assert result.stderr.rstrip().endswith("`cfglint registry reset` removes a broken user cache")
    assert cli("check", "--no-cache", kilo).exit_code == 1  # the bundled data still works


def test_registry_info_shows_both_snapshots(cli, user_cache) -> None:
    path = user_cache("2099-01-01")
    lines = cli("registry", "info").stdout.splitlines()
    assert lines[:3] == [
        "registry: models.dev (2099-01-01)",
        f"bundled registry: {BUNDLED_LABEL}, newest entry 2026-06-30",
        f"user registry cache: models.dev (2099-01-01) (in use), {path}",
    ]
    assert f"data: {path} (user cache)" in lines


def test_registry_reset_removes_the_cache_and_says_so(cli, user_cache) -> None:
    path = user_cache("2099-01-01")
    result = cli("registry", "reset")
    assert (result.exit_code, result.stdout) == (0, f"removed the registry user cache {path}\n")
    assert not path.exists()
    assert cli("--version").stdout.splitlines()[2] == "user registry cache: none"
    again = cli("registry", "reset")
    assert (again.exit_code, again.stdout) == (0, f"no registry user cache at {path}: nothing to remove\n")


def test_registry_update_writes_a_dated_cache_and_warns_when_it_is_not_newer(cli, tmp_path) -> None:
    source = tmp_path / "api.json"
    source.write_bytes(_api("2099-01-01", 32_768))
    result = cli("registry", "update", "--from", str(source))
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == f"wrote {cached_snapshot_path()}: models.dev (2099-01-01), 1 providers, 1 models\n"
    source.write_bytes(_api("2026-05-01", 32_768))
    older = cli("registry", "update", "--from", str(source))
    assert older.exit_code == 0 and "is older than the bundled snapshot" in older.stderr


def test_an_undated_user_cache_is_ignored_with_a_note(cli, kilo) -> None:
    """A cache without `data_date` (a hand-made file) cannot be shown to be newer."""
    target = Path(cached_snapshot_path())
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps({"_meta": {"source": "hand-made"}, "providers": {}}))
    result = cli("check", kilo)
    assert len(_reg002(result)) == 1 and BUNDLED_LABEL in _reg002(result)[0]
    assert result.stderr.startswith(f"cfglint: the registry user cache {target} has no data date")
