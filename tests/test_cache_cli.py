"""The result cache through the CLI: same output as a full run, never stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from samples import GLM_5_2


def entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "results").rglob("*.json")) if (tmp_path / "cache").exists() else []


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_cached_output_equals_a_full_run(cli, tmp_path, fmt):
    full = cli("check", "--no-cache", "--output-format", fmt, "examples", cwd=REPO)
    first = cli("check", "--output-format", fmt, "examples", cwd=REPO)
    stored = entries(tmp_path)
    second = cli("check", "--output-format", fmt, "examples", cwd=REPO)
    assert len(stored) > 1 and entries(tmp_path) == stored  # one entry per configuration, each read back
    assert full.stdout == first.stdout == second.stdout
    assert full.exit_code == first.exit_code == second.exit_code == 1


def test_no_cache_writes_nothing(cli, tmp_path):
    cli("check", "--no-cache", "examples", cwd=REPO)
    assert entries(tmp_path) == []


def test_editing_a_file_changes_the_result(cli, write, tmp_path):
    path = write("proj/.kimi-code/config.toml", GLM_5_2)
    before = cli("check", "--output-format", "json", str(path))
    assert '"CMP001"' in before.stdout
    path.write_text(GLM_5_2.replace("= 50000", "= 200000"), encoding="utf-8")
    after = cli("check", "--output-format", "json", str(path))
    assert '"CMP001"' not in after.stdout


def test_settings_env_and_targets_are_part_of_the_key(cli, write, tmp_path):
    path = write("proj/.kimi-code/config.toml", GLM_5_2)
    assert '"CMP001"' in cli("check", "--output-format", "json", str(path)).stdout
    write("proj/cfglint.toml", 'ignore = ["CMP001"]\n')
    assert '"CMP001"' not in cli("check", "--output-format", "json", str(path)).stdout
    assert '"CMP005"' in cli("check", "--output-format", "json", "--target", "kimi-code@0.16.0", str(path)).stdout
    assert '"CMP005"' not in cli("check", "--output-format", "json", "--target", "kimi-code@0.16.0", "--env",
                                 "KIMI_MODEL_MAX_COMPLETION_TOKENS=131072", str(path)).stdout


def test_cache_holds_no_secret(cli, write, tmp_path):
    secret = "sk-live-0123456789abcdefghijklmnopqrstuv"
    write(".claude/settings.json", '{"env": {"OPENAI_API_KEY": "' + secret + '"}}')
    cli("check", str(tmp_path / ".claude" / "settings.json"))
    stored = [p.read_text(encoding="utf-8") for p in entries(tmp_path)]
    assert stored and all(secret not in text for text in stored)


def test_a_broken_cache_entry_is_a_miss(cli, tmp_path):
    cli("check", "examples/kilo", cwd=REPO)
    for entry in entries(tmp_path):
        entry.write_text("{broken", encoding="utf-8")
    result = cli("check", "examples/kilo", cwd=REPO)
    assert result.exit_code == 1 and "SCH002" in result.stdout
