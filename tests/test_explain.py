"""`cfglint explain`: the numbers, their provenance, the bar, and the findings that apply."""

from __future__ import annotations

import json

import pytest

from conftest import REPO

GLM = "examples/kimi-code/glm-5.2/.kimi-code/config.toml"


def explain(cli, *args):
    return cli("explain", "--no-env", *args, cwd=REPO)


def test_glm_text_on_the_newest_kimi_code(cli, snapshot):
    result = explain(cli, GLM)
    assert result.exit_code == 0
    assert "950,000 (95.0%)" in result.stdout and "trigger rule: reserve" in result.stdout
    assert "CMP001" in result.stdout
    assert result.stdout == snapshot


def test_glm_text_on_kimi_code_0_16_0(cli, snapshot):
    result = explain(cli, GLM, "--target", "kimi-code@0.16.0")
    assert "850,000" in result.stdout and "1,000,000" in result.stdout
    assert "CMP005" in result.stdout and "upgrade to >= 0.20.2" in result.stdout
    assert result.stdout == snapshot


def test_glm_json_has_every_number_with_provenance(cli, snapshot):
    result = explain(cli, GLM, "--format", "json")
    data = json.loads(result.stdout)
    assert len(data) == 1
    numbers = data[0]["numbers"]
    assert numbers["trigger"]["value"] == 950000
    assert numbers["trigger"]["source"] == {
        "kind": "setting", "label": "loop_control.reserved_context_size",
        "file": GLM, "key": "loop_control.reserved_context_size",
    }
    assert numbers["max_tokens_normal"]["value"] == 131072
    assert numbers["max_tokens_compaction"]["value"] == 131072
    assert numbers["model_output"]["source"]["kind"] == "registry"
    assert data[0]["trigger_rule"] == "reserve"
    assert [f["code"] for f in data[0]["findings"]] == ["CMP001"]
    assert result.stdout == snapshot


@pytest.mark.parametrize("path", [
    "examples/kilo/good/kilo.jsonc",
    "examples/claude-code/.claude/settings.json",
    "examples/hermes/.hermes/config.yaml",
    "examples/kimi-cli/.kimi/config.toml",
    "examples/opencode/local-models/opencode.json",
    "examples/pi",
    "examples/codex/local-catalog",
])
def test_every_dialect_explains(cli, snapshot, path):
    result = explain(cli, path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data and all(item["numbers"]["window"] is not None or item["trigger_rule"] == "never" for item in data)
    assert result.stdout == snapshot


def test_pi_text_gives_the_output_clamp_as_a_formula(cli, snapshot):
    """pi >= 0.80.3 clamps max_tokens to the room left for each request: explain prints the
    clamp as a formula of the request's size, never as one number (issue 12)."""
    result = explain(cli, "examples/pi", "--model", "anthropic/claude-opus-4-7")
    assert result.exit_code == 0, result.stderr
    at_trigger = next(line for line in result.stdout.splitlines() if "max_tokens at trigger" in line)
    assert "per request  = margin = max(4096, ceil(0.15 * E))" in at_trigger
    assert result.stdout == snapshot


def test_codex_text_shows_the_usable_window_and_the_clamps(cli, snapshot):
    """Codex: the window and the usable window it shows (95%), the trigger as 90% of the window
    with the configured limit clamped, and where the numbers come from (issue 13)."""
    result = explain(cli, "examples/codex/gateway/.codex/config.toml")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.split()[:2] == ["window", "872,000"] for line in lines), result.stdout
    assert any(line.split()[:3] == ["input", "cap", "828,400"] for line in lines), result.stdout
    assert any(line.split()[:2] == ["trigger", "784,800"] for line in lines), result.stdout
    assert result.stdout == snapshot


def test_model_option_restricts_to_one_model(cli):
    result = explain(cli, "examples/kilo/good/kilo.jsonc", "--model", "zhipu/glm-5.2", "--format", "json")
    assert [item["model"] for item in json.loads(result.stdout)] == ["zhipu/glm-5.2"]


def test_unknown_model_is_a_one_line_error(cli):
    result = explain(cli, GLM, "--model", "nope")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "nope" in result.stderr


@pytest.mark.parametrize("name, text, why", [
    ("kilo.json", '{"theme": "opencode"}\n', "no model is configured"),
    ("kilo.json", '{"model": \n', "kilo.json does not parse"),
])
def test_a_file_without_a_model_has_nothing_to_explain(cli, tmp_path, name, text, why):
    """Not an error (exit 2 is for usage and internal errors): one line, exit 0; json stays JSON."""
    (tmp_path / name).write_text(text)
    result = cli("explain", str(tmp_path / name))
    assert result.exit_code == 0 and result.stdout.count("\n") == 1
    assert result.stdout.startswith("nothing to explain: ") and why in result.stdout
    result = cli("explain", "--format", "json", str(tmp_path / name))
    assert result.exit_code == 0 and json.loads(result.stdout) == [] and why in result.stderr


def test_missing_path_is_exit_2(cli):
    result = explain(cli, "does/not/exist.toml")
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_env_changes_numbers_and_says_so(cli):
    result = explain(cli, GLM, "--target", "kimi-code@0.16.0", "--env", "KIMI_MODEL_MAX_COMPLETION_TOKENS=131072",
                     "--format", "json")
    item = json.loads(result.stdout)[0]
    assert item["numbers"]["max_tokens_compaction"]["value"] == 131072
    used = {u["name"]: u for u in item["environment"]}
    assert used["KIMI_MODEL_MAX_COMPLETION_TOKENS"]["origin"] == "--env"
    assert used["KIMI_MODEL_MAX_COMPLETION_TOKENS"]["changed"]
    assert "CMP005" not in [f["code"] for f in item["findings"]]


def test_explain_reads_the_process_environment_unless_no_env(cli, monkeypatch):
    monkeypatch.setenv("KIMI_MODEL_MAX_COMPLETION_TOKENS", "65536")
    with_env = cli("explain", GLM, "--format", "json", cwd=REPO)
    item = json.loads(with_env.stdout)[0]
    assert item["numbers"]["max_tokens_normal"]["value"] == 65536
    assert item["environment"][0]["origin"] == "process environment"
    without = cli("explain", "--no-env", GLM, "--format", "json", cwd=REPO)
    assert json.loads(without.stdout)[0]["numbers"]["max_tokens_normal"]["value"] == 131072


def test_check_ignores_the_process_environment_unless_use_env(cli, monkeypatch):
    monkeypatch.setenv("KIMI_MODEL_MAX_COMPLETION_TOKENS", "abc")
    plain = cli("check", "--output-format", "json", "--select", "ENV", GLM, cwd=REPO)
    assert json.loads(plain.stdout) == []
    used = cli("check", "--output-format", "json", "--select", "ENV", "--use-env", GLM, cwd=REPO)
    assert [f["code"] for f in json.loads(used.stdout)] == ["ENV001"]


def test_readme_shows_the_current_explain_output(cli):
    """The README's explain example is real output; regenerate it when explain changes."""
    result = explain(cli, GLM, "--target", "kimi-code@0.16.0")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert result.stdout in readme
