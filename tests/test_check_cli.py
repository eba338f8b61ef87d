"""`cfglint check` across dialects: syntax, schema, exit codes, bad input, selection."""

from __future__ import annotations

import json
import os

import pytest

from conftest import EXAMPLES, REPO

from cfglint.harnesses import schema_names


def run_json(cli, *args, **kwargs):
    result = cli("check", "--output-format", "json", *args, **kwargs)
    return result, json.loads(result.stdout or "[]")


def where(items):
    return [(f["code"], f["line"], f["column"]) for f in items]


KILO_OK = """{
  // comments and trailing commas are fine for Kilo
  "$schema": "https://app.kilo.ai/config.json",
  "model": "anthropic/claude-sonnet-4-5",
  "compaction": { "auto": true, },
}
"""


def test_kilo_jsonc_with_comments_and_trailing_commas_is_clean(cli, write):
    result, items = run_json(cli, "--select", "SYN,SCH", str(write("kilo.jsonc", KILO_OK)))
    assert items == [] and result.exit_code == 0


def test_kilo_jsonc_syntax_error_at_exact_position(cli, write):
    text = '{\n  "model": "anthropic/claude-sonnet-4-5"\n  "small_model": "anthropic/claude-haiku-4-5"\n}\n'
    result, items = run_json(cli, str(write("kilo.jsonc", text)))
    assert result.exit_code == 1
    assert where(items) == [("SYN001", 3, 3)]
    assert "comma expected" in items[0]["message"].lower()


def test_unknown_kilo_top_level_key_is_an_error_at_the_key(cli, write):
    text = '{\n  "model": "anthropic/claude-sonnet-4-5",\n  "compation": {"auto": true}\n}\n'
    result, items = run_json(cli, str(write("kilo.jsonc", text)))
    assert where(items) == [("SCH002", 3, 3)]
    assert items[0]["severity"] == "error" and items[0]["fix"] == "did you mean `compaction`?"
    assert items[0]["end_column"] == 14
    assert result.exit_code == 1


def test_unknown_nested_kilo_key_is_a_warning(cli, write):
    text = '{"compaction": {"auto": true, "bogus": 1}}'
    result, items = run_json(cli, str(write("kilo.jsonc", text)))
    assert [(f["code"], f["severity"]) for f in items] == [("SCH002", "warning")]
    assert result.exit_code == 0


def test_single_quoted_kilo_file_is_syn002(cli, write):
    text = "{\n  'model': 'anthropic/claude-sonnet-4-5'\n}\n"
    result, items = run_json(cli, str(write("kilo.jsonc", text)))
    assert where(items) == [("SYN002", 2, 3)]
    assert result.exit_code == 1


def test_unquoted_env_substitution_is_valid_kilo_input(cli, write):
    text = ('{"provider": {"zhipu": {"models": {"glm-5.2": {"limit": {"context": {env:CTX}, "output": 8192}}}}},\n'
            ' "compaction": {"tail_turns": -1}}\n')
    result, items = run_json(cli, "--select", "SYN,SCH", str(write("kilo.jsonc", text)))
    assert where(items) == [("SCH001", 2, 31)]  # positions after the substitution stay exact
    result, items = run_json(cli, "--select", "SYN,SCH", "--env", "CTX=oops",
                             str(write("kilo.jsonc", text)))
    assert "SYN001" in [f["code"] for f in items]


def test_claude_settings_syntax_error_at_its_line(cli, write):
    text = '{\n  "model": "claude-sonnet-4-5",\n  // comment\n}\n'
    result, items = run_json(cli, str(write(".claude/settings.json", text)))
    assert where(items) == [("SYN001", 3, 3)]
    assert items[0]["dialect"] == "claude-code"


def test_claude_settings_trailing_comma_is_an_error(cli, write):
    result, items = run_json(cli, str(write(".claude/settings.json", '{"model": "opus",}')))
    assert [f["code"] for f in items] == ["SYN001"]


def test_claude_env_values_must_be_strings(cli, write):
    text = '{\n  "env": {\n    "CLAUDE_CODE_MAX_OUTPUT_TOKENS": 32000\n  }\n}\n'
    _, items = run_json(cli, "--select", "SCH", str(write(".claude/settings.json", text)))
    assert where(items) == [("SCH001", 3, 38)]


def test_hermes_type_error_at_its_line(cli, write):
    text = "model:\n  default: claude-sonnet-4-5\n  context_length: \"256K\"\n"
    result, items = run_json(cli, "--select", "SCH", str(write(".hermes/config.yaml", text)))
    assert where(items) == [("SCH001", 3, 19)]
    assert "must be integer" in items[0]["message"]


def test_hermes_context_length_below_minimum(cli, write):
    text = "model:\n  default: qwen3\n  context_length: 32768\n"
    _, items = run_json(cli, "--select", "SCH", str(write(".hermes/config.yaml", text)))
    assert where(items) == [("SCH001", 3, 19)]
    lm = text + "  provider: lmstudio\n"  # no wheel 0.13-0.19 exempts LM Studio (tests/fidelity, hermes-0716)
    _, items = run_json(cli, "--select", "SCH", str(write(".hermes/config.yaml", lm)))
    assert where(items) == [("SCH001", 3, 19)]


def test_yaml_duplicate_key_is_syn003_warning(cli, write):
    text = "compression:\n  threshold: 0.8\n  threshold: 0.9\n"
    result, items = run_json(cli, str(write(".hermes/config.yaml", text)))
    assert [(f["code"], f["line"], f["severity"]) for f in items] == [("SYN003", 3, "warning")]
    assert result.exit_code == 0


def test_binary_file_is_syn004_with_exit_1(cli, write):
    path = write("kilo.json", b"PK\x03\x04\x00\x00binary\x00data")
    result, items = run_json(cli, str(path))
    assert result.exit_code == 1
    assert where(items) == [("SYN004", 1, 1)]
    assert "NUL" in items[0]["message"]


def test_invalid_utf8_is_syn004(cli, write):
    _, items = run_json(cli, str(write(".hermes/config.yaml", b"model: caf\xe9\n")))
    assert [f["code"] for f in items] == ["SYN004"] and "UTF-8" in items[0]["message"]


def test_file_over_10_mib_is_syn004(cli, write):
    path = write("kilo.json", b'{"a": "' + b"x" * (10 * 1024 * 1024) + b'"}')
    _, items = run_json(cli, str(path))
    assert [f["code"] for f in items] == ["SYN004"] and "limit" in items[0]["message"]


def test_deep_nesting_is_syn004(cli, write):
    _, items = run_json(cli, str(write("kilo.json", "[" * 100_000)))
    assert [f["code"] for f in items] == ["SYN004"]


def test_directory_named_like_a_config_is_syn004(cli, tmp_path):
    (tmp_path / "proj" / "kilo.json").mkdir(parents=True)
    _, items = run_json(cli, str(tmp_path / "proj"))
    assert [f["code"] for f in items] == ["SYN004"] and "directory" in items[0]["message"]


def test_fifo_is_syn004_without_blocking(cli, tmp_path):
    fifo = tmp_path / "kilo.json"
    os.mkfifo(fifo)
    _, items = run_json(cli, str(fifo))
    assert [f["code"] for f in items] == ["SYN004"]


def test_empty_files(cli, write):
    _, items = run_json(cli, str(write("kilo.json", "")))
    assert [f["code"] for f in items] == ["SYN001"]
    _, items = run_json(cli, str(write(".kimi-code/config.toml", "")))
    assert items == []
    _, items = run_json(cli, str(write(".hermes/config.yaml", "")))
    assert items == []


def test_top_level_array_is_sch001(cli, write):
    _, items = run_json(cli, str(write("kilo.json", "[1, 2]")))
    assert where(items) == [("SCH001", 1, 1)]


def test_bom_does_not_shift_columns(cli, write):
    text = '\ufeff{"compation": 1}'
    _, items = run_json(cli, str(write("kilo.json", text.encode("utf-8"))))
    assert where(items) == [("SCH002", 1, 2)]


def test_missing_path_is_exit_2_with_one_line(cli, tmp_path):
    result = cli("check", str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "no such file or directory" in result.stderr
    assert result.stdout == ""


def test_unknown_rule_code_is_a_usage_error(cli, write):
    result = cli("check", "--select", "XYZ999", str(write("kilo.json", "{}")))
    assert result.exit_code == 2 and "XYZ999" in result.stderr


def test_explicit_file_of_unknown_dialect_is_skipped(cli, write):
    result = cli("check", str(write("notes.yaml", "a: 1\n")))
    assert result.exit_code == 0
    assert "cannot tell which harness" in result.stderr


def test_dialect_flag_wins(cli, write):
    path = write("hermes.yaml", "compression:\n  threshold: 75\n")
    result, items = run_json(cli, "--dialect", "hermes", str(path))
    assert where(items) == [("SCH001", 2, 14)]


def test_no_config_found_is_exit_0_with_a_note(cli, tmp_path):
    result = cli("check", str(tmp_path))
    assert result.exit_code == 0 and "no config files found" in result.stderr


def test_fail_on_and_exit_zero(cli, write):
    path = str(write("kilo.jsonc", '{"compaction": {"bogus": 1}}'))
    assert cli("check", path).exit_code == 0
    assert cli("check", "--fail-on", "warning", path).exit_code == 1
    bad = str(write("bad/kilo.jsonc", '{"compation": 1}'))
    assert cli("check", "--exit-zero", bad).exit_code == 0


def test_select_and_ignore_prefixes(cli, write):
    path = str(write("kilo.jsonc", '{"compation": 1, "autoshare": true}'))
    _, items = run_json(cli, path)
    assert {f["code"] for f in items} == {"SCH002", "SCH003"}
    _, items = run_json(cli, "--ignore", "SCH002", path)
    assert {f["code"] for f in items} == {"SCH003"}
    _, items = run_json(cli, "--select", "SCH002", path)
    assert {f["code"] for f in items} == {"SCH002"}


def test_a_rule_no_file_selects_does_not_run(cli, write, monkeypatch):
    """Deselected rules cost nothing: REG001's search for close registry ids is never made."""
    from cfglint.rules.registry_limits import UnknownModel

    calls = []
    original = UnknownModel.check
    monkeypatch.setattr(UnknownModel, "check", lambda self, ctx: calls.append(ctx) or original(self, ctx))
    path = str(write("kilo.jsonc", '{"model": "anthropic/claude-nonexistent-9"}'))
    _, items = run_json(cli, "--no-cache", path)
    assert "REG001" in {f["code"] for f in items} and calls
    calls.clear()
    for args in (["--ignore", "REG001"], ["--select", "SCH,CMP"]):
        _, items = run_json(cli, "--no-cache", *args, path)
        assert "REG001" not in {f["code"] for f in items} and not calls, args


def test_stdin_with_stdin_filename(cli):
    result, items = run_json(cli, "-", "--stdin-filename", "proj/kilo.jsonc", input='{"compation": 1}')
    assert where(items) == [("SCH002", 1, 2)]
    assert items[0]["path"] == "proj/kilo.jsonc"


def test_directory_walk_skips_node_modules_and_git(cli, write, tmp_path):
    write("app/node_modules/pkg/kilo.json", '{"compation": 1}')
    write("app/.venv/kilo.json", '{"compation": 1}')
    write("app/kilo.json", '{"compation": 1}')
    _, items = run_json(cli, str(tmp_path / "app"))
    assert [f["path"].endswith(os.path.join("app", "kilo.json")) for f in items] == [True]


def test_claude_local_settings_merge_with_project_settings(cli, write):
    write(".claude/settings.json", '{"model": "claude-sonnet-4-5"}')
    local = write(".claude/settings.local.json", '{"model": "claude-opus-4-8"}')
    result, items = run_json(cli, str(local.parent))
    assert result.exit_code == 0


def test_secret_values_never_appear_in_messages(cli, write):
    secret = "sk-live-0123456789abcdefghijklmnop"
    path = write(".claude/settings.json", '{"env": {"OPENAI_API_KEY": ["' + secret + '"]}}')
    result = cli("check", "--show-source", str(path))
    assert secret not in result.stdout
    result = cli("check", "--output-format", "json", str(path))
    assert secret not in result.stdout


def test_schema_command_prints_the_shipped_schema(cli):
    result = cli("schema", "kilo")
    shipped = (REPO / "cfglint" / "schemas" / "kilo.schema.json").read_text(encoding="utf-8")
    assert result.exit_code == 0 and result.stdout == shipped
    assert json.loads(result.stdout)["x-cfglint-unknown-keys"] == "error"


@pytest.mark.parametrize("dialect", schema_names())
def test_shipped_schemas_are_fresh(dialect):
    from cfglint.generate.schemas import build_schema, render, schema_filename

    shipped = (REPO / "cfglint" / "schemas" / schema_filename(dialect)).read_text(encoding="utf-8")
    assert shipped == render(build_schema(dialect)), "run `make schemas` (python -m cfglint.generate.schemas)"


def test_examples_give_their_findings(cli):
    result, items = run_json(cli, str(EXAMPLES))
    assert result.exit_code == 1
    by_file = {}
    for f in items:
        by_file.setdefault(f["path"].split("examples/")[-1], set()).add(f["code"])
    assert {"SCH001", "SCH005"} <= by_file["kimi-cli/.kimi/config.toml"]
    assert {"SCH001", "SCH002", "SCH003", "SCH004", "SCH005"} <= by_file["kimi-code/team/.kimi-code/config.toml"]
    assert {"SCH001", "SCH002", "SCH003"} <= by_file["kilo/bad/kilo.jsonc"]
    assert {"SCH004", "CMP002", "CMP003"} <= by_file["kilo/custom-provider/kilo.jsonc"]
    assert {"SCH001", "SCH002", "SCH003"} <= by_file["claude-code/.claude/settings.json"]
    assert {"SCH001", "SCH003"} <= by_file["hermes/.hermes/config.yaml"]
    assert [f["severity"] for f in items if "kilo/good" in f["path"]] == ["info"]
