"""`cfglint check` on Kimi Code and kimi-cli files: schema, references, dialect rules."""

from __future__ import annotations

import json

from samples import GLM_5_2

GLM = GLM_5_2


def findings(cli, *args):
    result = cli("check", "--output-format", "json", *args)
    return result, json.loads(result.stdout or "[]")


def codes(items, code=None):
    return [(f["code"], f["line"], f["column"]) for f in items if code is None or f["code"] == code]


def test_trigger_ratio_out_of_bounds_is_sch001_on_its_line(cli, write):
    path = write(".kimi-code/config.toml", GLM.replace("= 0.99", "= 1.5"))
    result, items = findings(cli, "--select", "SCH", str(path))
    assert result.exit_code == 1
    assert codes(items) == [("SCH001", 14, 28)]
    assert items[0]["message"].startswith("`loop_control.compaction_trigger_ratio` must be <= 0.99, got 1.5")
    assert items[0]["end_column"] == 31
    assert items[0]["dialect"] == "kimi-code" and items[0]["harness_version"] == "2.1.0"


def test_reserved_context_size_500_rejected_by_kimi_cli_but_not_kimi_code(cli, write):
    text = GLM.replace('type = "openai"', 'type = "kimi"').replace("50000", "500")
    text = text.replace("max_output_size = 131072\n", "")
    cli_file = write(".kimi/config.toml", text)
    code_file = write(".kimi-code/config.toml", text)
    _, items = findings(cli, "--select", "SCH", str(cli_file))
    assert codes(items) == [("SCH001", 12, 25)]
    assert "must be >= 1000, got 500" in items[0]["message"]
    result, items = findings(cli, "--select", "SCH", str(code_file))
    assert items == [] and result.exit_code == 0


def test_dangling_default_model_is_sch004_on_its_line(cli, write):
    path = write(".kimi-code/config.toml", GLM.replace('default_model = "zhipu/glm-5.2"', 'default_model = "glm"'))
    _, items = findings(cli, "--select", "SCH004", str(path))
    assert codes(items) == [("SCH004", 1, 17)]
    assert '"glm"' in items[0]["message"] and items[0]["severity"] == "error"


def test_dangling_provider_reference(cli, write):
    path = write(".kimi-code/config.toml", GLM.replace('provider = "zhipu"', 'provider = "zhipuai"'))
    _, items = findings(cli, "--select", "SCH004", str(path))
    assert codes(items) == [("SCH004", 7, 12)]
    assert items[0]["fix"] == "did you mean `zhipu`?"


def test_kimi_cli_provider_type_in_kimi_code_is_sch005_with_rename(cli, write):
    path = write(".kimi-code/config.toml", GLM.replace('type = "openai"', 'type = "openai_legacy"'))
    _, items = findings(cli, "--select", "SCH", str(path))
    assert codes(items) == [("SCH005", 3, 8)]
    assert items[0]["fix"].startswith('use `type = "openai"`')


def test_kimi_code_keys_in_kimi_cli_are_sch005_warnings_not_unknown_keys(cli, write):
    text = GLM.replace('type = "openai"', 'type = "kimi"')
    path = write(".kimi/config.toml", text)
    _, items = findings(cli, "--select", "SCH", str(path))
    assert codes(items) == [("SCH005", 10, 1)]
    assert items[0]["severity"] == "warning"


def test_unknown_key_warns_with_suggestion_and_hook_keys_are_errors(cli, write):
    text = GLM + "reserved_context_sise = 1\n\n[[hooks]]\nevent = \"Stop\"\ncommand = \"true\"\ntimout = 5\n"
    path = write(".kimi-code/config.toml", text)
    _, items = findings(cli, "--select", "SCH002", str(path))
    assert [(f["line"], f["column"], f["severity"], f["fix"]) for f in items] == [
        (15, 1, "warning", "did you mean `reserved_context_size`?"),
        (20, 1, "error", "did you mean `timeout`?"),
    ]


def test_deprecated_loop_key_depends_on_engine(cli, write):
    path = write(".kimi-code/config.toml", GLM + "max_retries_per_step = 3\n")
    _, items = findings(cli, "--select", "SCH", str(path))
    assert codes(items) == [("SCH003", 15, 1)]
    _, items = findings(cli, "--select", "SCH", "--env", "KIMI_CODE_LEGACY_FLAG=1", str(path))
    assert items == []
    _, items = findings(cli, "--select", "SCH", "--target", "kimi-code@0.20.1", str(path))
    assert items == []


def test_toml_syntax_error_position(cli, write):
    path = write(".kimi-code/config.toml", 'default_model = "x"\n[models.x\nprovider = "p"\n')
    result, items = findings(cli, str(path))
    assert result.exit_code == 1
    assert codes(items) == [("SYN001", 2, 10)]


def test_toml_outside_kimi_dirs_is_recognised_by_content(cli, write, tmp_path):
    write("team/kimi.toml", GLM.replace("1000000", "0"))
    write("team/pyproject.toml", "[project]\nname = 'x'\n")
    result, items = findings(cli, str(tmp_path / "team"))
    assert {f["dialect"] for f in items} == {"kimi-code"}
    assert ("SCH001", 9, 20) in codes(items)
