"""Inline suppressions: `cfglint: ignore[CODES]` / `ignore-file[CODES]` in real comments of each syntax."""

from __future__ import annotations

import json

import pytest

from samples import GLM_5_2 as GLM

RESERVE = "reserved_context_size = 50000"


def codes_at(cli, path, *args):
    result = cli("check", "--output-format", "json", *args, str(path))
    assert result.exit_code in (0, 1), result.stderr
    return [(f["code"], f["line"]) for f in json.loads(result.stdout)]


def test_glm_has_cmp001_on_the_reserve_line(cli, write):
    assert codes_at(cli, write(".kimi-code/config.toml", GLM), "--select", "CMP001") == [("CMP001", 13)]


@pytest.mark.parametrize("text", [
    GLM.replace(RESERVE, RESERVE + "  # cfglint: ignore[CMP001]"),
    GLM.replace(RESERVE, RESERVE + "  # cfglint: ignore[SCH002, CMP001]"),
    GLM.replace(RESERVE, RESERVE + "  # cfglint: ignore[CMP]"),
    GLM.replace(RESERVE, RESERVE + "  # reserve for replies cfglint: ignore[cmp001]"),
    GLM.replace(RESERVE, "# cfglint: ignore[CMP001]\n" + RESERVE),
    GLM.replace(RESERVE, "    # cfglint: ignore[CMP001]\n" + RESERVE),
], ids=["trailing", "list", "prefix", "inside-a-longer-comment", "line-above", "indented-line-above"])
def test_toml_inline_suppression(cli, write, text):
    path = write(".kimi-code/config.toml", text)
    assert codes_at(cli, path, "--select", "CMP001") == []
    assert cli("check", str(path)).exit_code == 0


@pytest.mark.parametrize("text", [
    GLM.replace(RESERVE, RESERVE + "  # cfglint: ignore[CMP002]"),  # another code
    GLM.replace(RESERVE, RESERVE + "  # cfglint: ignore"),  # codes are required
    GLM.replace(RESERVE, RESERVE + "  # cfglint: ignore[]"),
    GLM.replace(RESERVE, "# cfglint: ignore[CMP001]\n\n" + RESERVE),  # two lines above
    GLM.replace("[loop_control]", "[loop_control]  # cfglint: ignore[CMP001]"),  # trailing: its own line only
    GLM.replace(RESERVE, RESERVE + "\n# cfglint: ignore[CMP001]"),  # the line below
], ids=["other-code", "no-codes", "empty-codes", "two-lines-above", "trailing-on-line-above", "line-below"])
def test_toml_comments_that_do_not_suppress(cli, write, text):
    path = write(".kimi-code/config.toml", text)
    assert [code for code, _ in codes_at(cli, path, "--select", "CMP001")] == ["CMP001"]


def test_ignore_file_anywhere(cli, write):
    path = write(".kimi-code/config.toml", GLM + "# cfglint: ignore-file[CMP001]\n")
    assert codes_at(cli, path, "--select", "CMP001") == []
    path = write("top/.kimi-code/config.toml", "# cfglint: ignore-file[CMP]\n" + GLM)
    assert codes_at(cli, path, "--select", "CMP001") == []


def test_hash_inside_a_toml_string_is_not_a_comment(cli, write):
    text = GLM.replace("[providers.zhipu]", '"key # cfglint: ignore-file[CMP001]" = 1\n[providers.zhipu]')
    text = text.replace('api_key = ""', 'api_key = ""\nname = """\n# cfglint: ignore-file[CMP001]\n"""')
    text = text.replace('model = "glm-5.2"', "model = 'glm-5.2'\nnote = '''# cfglint: ignore-file[CMP]'''")
    path = write(".kimi-code/config.toml", text)
    assert [code for code, _ in codes_at(cli, path, "--select", "CMP001")] == ["CMP001"]


KILO = """\
{
  "compaction": {
    "auto": true,
    "bogus": 1
  }
}
"""


@pytest.mark.parametrize("text", [
    KILO.replace('"bogus": 1', '"bogus": 1  // cfglint: ignore[SCH002]'),
    KILO.replace('"bogus": 1', '// cfglint: ignore[SCH002]\n    "bogus": 1'),
    KILO.replace('"bogus": 1', '/* cfglint: ignore[SCH002] */ "bogus": 1'),
    KILO.replace('"auto": true,', '"auto": true, /*\n  cfglint: ignore-file[SCH002]\n */'),
    KILO.replace('"bogus": 1', '/*\n  cfglint: ignore[SCH002]\n */\n    "bogus": 1'),
    "// cfglint: ignore-file[SCH]\n" + KILO,
], ids=["trailing-line-comment", "line-above", "block-before", "multi-line-block-file", "block-above",
        "file"])
def test_jsonc_suppression_on_a_kilo_file(cli, write, text):
    path = write("kilo.jsonc", text)
    assert codes_at(cli, path) == []


def test_kilo_file_without_suppression_has_the_finding(cli, write):
    assert codes_at(cli, write("kilo.jsonc", KILO)) == [("SCH002", 4)]


def test_slashes_inside_a_json_string_are_not_a_comment(cli, write):
    text = KILO.replace('"auto": true,', '"auto": true, "x": "a // cfglint: ignore[SCH002]",')
    text = text.replace('"bogus": 1', '"bogus": "// cfglint: ignore[SCH002] /* cfglint: ignore[SCH002] */"')
    path = write("kilo.jsonc", text)
    assert codes_at(cli, path) == [("SCH002", 3), ("SCH002", 4)]


HERMES = "compression:\n  threshold: 75\n"


@pytest.mark.parametrize("text", [
    HERMES.replace("75", "75  # cfglint: ignore[SCH001]"),
    HERMES.replace("  threshold", "  # cfglint: ignore[SCH001]\n  threshold"),
    "# cfglint: ignore-file[SCH001]\n" + HERMES,
], ids=["trailing", "line-above", "file"])
def test_yaml_suppression(cli, write, text):
    assert codes_at(cli, write(".hermes/config.yaml", text), "--select", "SCH") == []


def test_hash_inside_yaml_scalars_is_not_a_comment(cli, write):
    text = ('note: "# cfglint: ignore-file[SCH001]"\n'
            "other: 'x # cfglint: ignore-file[SCH001]'\n"
            'flow: ["# cfglint: ignore-file[SCH001]", a#b]\n'
            "block: |\n  # cfglint: ignore-file[SCH001]\n" + HERMES)
    path = write(".hermes/config.yaml", text)
    assert codes_at(cli, path, "--select", "SCH001") == [("SCH001", 7)]


def test_strict_json_has_no_inline_suppressions(cli, write):
    text = '{\n  "x": "// cfglint: ignore-file[SCH001]",\n  "env": {"CLAUDE_CODE_MAX_OUTPUT_TOKENS": 32000}\n}\n'
    path = write(".claude/settings.json", text)
    assert codes_at(cli, path, "--select", "SCH001") == [("SCH001", 3)]


PARENT = """\
{
  "provider": {
    "zhipu": {
      "npm": "@ai-sdk/openai-compatible",
      "options": { "baseURL": "https://open.bigmodel.cn/api/paas/v4" },
      "models": {
        "glm-5.2": { "name": "GLM-5.2" }
      }
    }
  }
}
"""
CHILD = '{\n  "model": "zhipu/glm-5.2" // cfglint: ignore[CMP002]\n}\n'


def test_set_finding_is_suppressed_in_the_file_that_supplied_the_value(cli, write, tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    parent = write("repo/kilo.jsonc", PARENT)
    child = write("repo/app/kilo.jsonc", CHILD)
    found = codes_at(cli, parent, str(child), "--select", "CMP002")
    assert found == [("CMP002", 7)]  # it points into the parent: the child's comment does not count
    write("repo/kilo.jsonc", PARENT.replace('"GLM-5.2" }', '"GLM-5.2" } // cfglint: ignore[CMP002]'))
    assert codes_at(cli, parent, str(child), "--select", "CMP002") == []
