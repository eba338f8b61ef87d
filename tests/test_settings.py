"""cfglint's own settings: where they are found, what each key does, and how invalid ones fail."""

from __future__ import annotations

import json

import pytest

from samples import GLM_5_2 as GLM

KIMI = ".kimi-code/config.toml"
CLAUDE_SCH001 = '{\n  "env": {"CLAUDE_CODE_MAX_OUTPUT_TOKENS": 32000}\n}\n'


def lint(cli, *args, cwd=None):
    result = cli("check", "--output-format", "json", *map(str, args), cwd=cwd)
    assert result.exit_code in (0, 1), result.stderr
    return result, json.loads(result.stdout or "[]")


def codes(items):
    return sorted({f["code"] for f in items})


def test_pyproject_ignore_removes_cmp001(cli, write, tmp_path):
    path = write(KIMI, GLM)
    result, items = lint(cli, path)
    assert codes(items) == ["CMP001"] and items[0]["line"] == 13
    write("pyproject.toml", '[project]\nname = "x"\n\n[tool.cfglint]\nignore = ["CMP001"]\n')
    result, items = lint(cli, path)
    assert items == [] and result.exit_code == 0
    result, items = lint(cli, tmp_path, cwd=tmp_path)  # a walked file too
    assert items == []


def test_closest_settings_win_between_nested_directories(cli, write, tmp_path):
    write("outer/.cfglint.toml", 'ignore = ["CMP001"]\n')
    write("outer/inner/cfglint.toml", 'extend-select = ["CMP"]\n')
    write(f"outer/{KIMI}", GLM)
    write(f"outer/inner/{KIMI}", GLM)
    _, items = lint(cli, tmp_path / "outer")
    assert [(f["path"].split("outer/")[-1], f["code"]) for f in items] == [(f"inner/{KIMI}", "CMP001")]


def test_precedence_inside_one_directory(cli, write, tmp_path):
    dot = write(".cfglint.toml", 'ignore = ["CMP001"]\n')
    plain = write("cfglint.toml", 'select = ["SCH"]\n')
    write("pyproject.toml", '[tool.cfglint]\nfail-on = "info"\n')
    path = write(KIMI, GLM)

    def shown():
        out = cli("config", "show", str(path), cwd=tmp_path).stdout
        return out.splitlines()[1]

    assert shown() == "# settings file: .cfglint.toml"
    dot.unlink()
    assert shown() == "# settings file: cfglint.toml"
    plain.unlink()
    assert shown() == "# settings file: pyproject.toml [tool.cfglint]"
    assert cli("check", str(path)).exit_code == 1  # fail-on info: CMP001 (a warning) fails


def test_pyproject_without_the_table_does_not_count(cli, write, tmp_path):
    write("cfglint.toml", 'ignore = ["CMP001"]\n')
    write("proj/pyproject.toml", '[project]\nname = "cfglint-user"\n')
    path = write(f"proj/{KIMI}", GLM)
    _, items = lint(cli, path)
    assert items == []
    out = cli("config", "show", str(path), cwd=tmp_path).stdout
    assert out.splitlines()[1] == "# settings file: cfglint.toml"


def test_severity_override_changes_severity_and_exit_code(cli, write):
    path = write(KIMI, GLM)
    assert cli("check", str(path)).exit_code == 0  # CMP001 is a warning
    write("cfglint.toml", 'severity = {CMP001 = "error"}\n')
    result, items = lint(cli, path)
    assert [(f["code"], f["severity"]) for f in items] == [("CMP001", "error")]
    assert result.exit_code == 1
    write("cfglint.toml", 'severity = {CMP = "info", CMP001 = "error"}\n')  # the most specific wins
    _, items = lint(cli, path)
    assert items[0]["severity"] == "error"


@pytest.mark.parametrize("pattern,ignored", [
    (".claude/settings.json", ["top"]),
    ("settings.json", ["sub", "top"]),
    ("**/settings.json", ["sub", "top"]),
    ("sub/**", ["sub"]),
    ("sub", ["sub"]),
    ("other/*.json", []),
])
def test_per_file_ignores_for_claude_settings(cli, write, tmp_path, pattern, ignored):
    write("cfglint.toml", f'[per-file-ignores]\n"{pattern}" = ["SCH001"]\n')
    write(".claude/settings.json", CLAUDE_SCH001)
    write("sub/.claude/settings.json", CLAUDE_SCH001)
    _, items = lint(cli, tmp_path / ".claude/settings.json", tmp_path / "sub/.claude/settings.json", "--select", "SCH",
                    cwd=tmp_path)
    reported = {"sub" if f["path"].startswith("sub") else "top" for f in items}
    assert sorted({"sub", "top"} - reported) == ignored


def test_targets_change_results(cli, write):
    path = write(KIMI, GLM)
    _, items = lint(cli, path)
    assert "CMP005" not in codes(items)
    write("cfglint.toml", '[targets]\nkimi-code = "0.16.0"\n')
    _, items = lint(cli, path)
    assert "CMP005" in codes(items) and {f["harness_version"] for f in items} == {"0.16.0"}
    _, items = lint(cli, path, "--target", "kimi-code@2.1.0")  # the command line wins
    assert codes(items) == ["CMP001"]


def test_targets_apply_to_explain(cli, write):
    path = write(KIMI, GLM)
    write("cfglint.toml", 'targets = {kimi-code = "0.16.0"}\n')
    result = cli("explain", "--no-env", "--format", "json", str(path))
    assert result.exit_code == 0, result.stderr
    assert '"0.16.0"' in result.stdout


def test_registry_overlay_relative_to_the_settings_file(cli, write):
    path = write(KIMI, GLM)
    write("conf/models.toml", '[models.zhipuai."glm-5.2"]\noutput = 100000\n')
    write("cfglint.toml", 'registry = ["conf/models.toml"]\n')
    _, items = lint(cli, path)
    assert [(f["code"], f["line"]) for f in items if f["code"] == "REG002"] == [("REG002", 10)]


@pytest.mark.parametrize("exclude", ["legacy", "legacy/", "legacy/**", "**/.kimi-code", "*.toml"])
def test_exclude_skips_walked_and_named_files(cli, write, tmp_path, exclude):
    write("cfglint.toml", f'exclude = ["{exclude}"]\n')
    named = write(f"legacy/{KIMI}", GLM)
    result, items = lint(cli, tmp_path, cwd=tmp_path)
    assert items == []
    result, items = lint(cli, named)
    assert items == [] and result.exit_code == 0
    assert result.stderr == "cfglint: no config files found\n"


def test_exclude_is_anchored_with_a_slash(cli, write, tmp_path):
    write("cfglint.toml", 'exclude = ["legacy/.kimi-code"]\n')
    write(f"legacy/{KIMI}", GLM)
    kept = write(f"team/legacy/{KIMI}", GLM)
    _, items = lint(cli, tmp_path, cwd=tmp_path)
    assert {f["path"] for f in items} == {str(kept.relative_to(tmp_path))}


def test_command_line_is_a_layer_over_the_settings(cli, write):
    path = write(KIMI, GLM)
    write("cfglint.toml", 'ignore = ["CMP001"]\n')
    _, items = lint(cli, path, "--select", "CMP001")  # --select starts afresh (ruff)
    assert codes(items) == ["CMP001"]
    _, items = lint(cli, path, "--target", "kimi-code@0.16.0", "--extend-select", "CMP005")
    assert codes(items) == ["CMP004", "CMP005"]
    write("cfglint.toml", 'select = ["CMP"]\n')
    _, items = lint(cli, path, "--ignore", "CMP001")
    assert items == []


def test_fail_on_comes_from_the_current_directory(cli, write, tmp_path):
    path = write(f"proj/{KIMI}", GLM)
    write("cfglint.toml", 'fail-on = "warning"\n')
    assert cli("check", str(path), cwd=tmp_path).exit_code == 1
    assert cli("check", "--fail-on", "error", str(path), cwd=tmp_path).exit_code == 0
    assert cli("check", str(path), cwd=tmp_path / "proj").exit_code == 1  # found walking up from the cwd


def test_config_option_replaces_the_search(cli, write, tmp_path):
    path = write(KIMI, GLM)
    write("cfglint.toml", 'select = ["SCH"]\n')
    custom = write("ci/cfglint-ci.toml", 'fail-on = "warning"\n')
    result, items = lint(cli, "--config", custom, path)
    assert codes(items) == ["CMP001"] and result.exit_code == 1
    out = cli("config", "show", "--config", str(custom), str(path), cwd=tmp_path).stdout
    assert out.splitlines()[1] == "# settings file: ci/cfglint-ci.toml"


@pytest.mark.parametrize("name,text,line,message", [
    ("cfglint.toml", 'select = ["SCH"]\nignor = ["CMP001"]\n', 2,
     "unknown setting `ignor` (did you mean `ignore`?)"),
    ("pyproject.toml", '[tool.cfglint]\nignore = ["CMP001", "XYZ9"]\n', 2,
     "`ignore`: unknown rule code or prefix 'XYZ9'"),
    ("cfglint.toml", '[targets]\nkimi = "0.16.0"\n', 2,
     "`targets`: unknown harness `kimi` (did you mean `kimi-cli`?)"),
    ("cfglint.toml", 'targets = {kimi-code = "latest"}\n', 1,
     "`targets.kimi-code`: invalid version 'latest' (expected digits and dots, e.g. 0.20.2)"),
    ("cfglint.toml", 'targets = {kimi-code = 0.16}\n', 1,
     "`targets.kimi-code` must be a version string such as \"0.16.0\", not a number"),
    ("cfglint.toml", 'select = "CMP"\n', 1, "`select` must be a list of strings, not a string"),
    ("cfglint.toml", '\nseverity = {CMP001 = "fatal"}\n', 2,
     "`severity.CMP001`: unknown severity 'fatal' (expected error, warning or info)"),
    ("cfglint.toml", 'fail-on = "never"\n', 1, "`fail-on`: unknown severity 'never' (expected error, warning or info)"),
    ("cfglint.toml", '[per-file-ignores]\n"*.json" = ["SCH", "NOPE"]\n', 2,
     "`per-file-ignores.*.json`: unknown rule code or prefix 'NOPE'"),
    ("cfglint.toml", 'registry = ["missing.toml"]\n', 1,
     "`registry`: file 'missing.toml' not found (paths are relative to the directory of cfglint.toml)"),
    ("cfglint.toml", 'severity = {"CMP001,SCH002" = "info"}\n', 1,
     "`severity`: key 'CMP001,SCH002' must be one rule code or prefix"),
    ("cfglint.toml", "exclude = [1]\n", 1, "`exclude` must be a list of strings; item 1 is an integer"),
    ("cfglint.toml", 'per-file-ignores = ["x"]\n', 1, "`per-file-ignores` must be a table, not a list"),
    ("cfglint.toml", "select = [\n", 2, "invalid TOML: "),
    ("cfglint.toml", '[dialects]\n"configs/*.json" = "kiloo"\n', 2,
     "`dialects`: unknown dialect `kiloo` (did you mean `kilo`?)"),
    ("cfglint.toml", '[dialects]\n"configs/*.json" = 1\n', 2,
     "`dialects.configs/*.json` must be a dialect name, not an integer"),
    ("cfglint.toml", '[harness-args]\nkilo-code = "--x"\n', 2,
     "`harness-args`: unknown harness `kilo-code` (did you mean `kimi-code`?)"),
    ("cfglint.toml", 'harness-args = {hermes = ["--x"]}\n', 1,
     "`harness-args.hermes` must be a string of command-line flags, not a list"),
    ("cfglint.toml", 'harness-args = {hermes = "--yolo"}\n', 1,
     "`harness-args.hermes`: cfglint knows no launch flags of Hermes"),
    ("cfglint.toml", 'harness-args = {hermes = "-c \'x"}\n', 1,
     "`harness-args.hermes`: cannot split \"-c 'x\" into flags: no closing quotation"),
])
def test_invalid_settings_are_one_line_exit_2(cli, write, tmp_path, name, text, line, message):
    write(name, text)
    path = write(KIMI, GLM)
    result = cli("check", str(path), cwd=tmp_path)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"cfglint: {name}:{line}: {message}")
    assert result.stderr.count("\n") == 1
    assert cli("config", "show", cwd=tmp_path).exit_code == 2


def test_invalid_command_line_code_is_still_a_usage_error(cli, write):
    result = cli("check", "--extend-select", "NOPE1", str(write(KIMI, GLM)))
    assert result.exit_code == 2 and result.stderr == "cfglint: unknown rule code or prefix 'NOPE1'\n"


def test_config_show_defaults(cli, tmp_path):
    result = cli("config", "show", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stdout == (
        "# cfglint settings for .\n"
        "# settings file: none (defaults)\n"
        'select = ["ALL"]\n'
        "extend-select = []\n"
        "ignore = []\n"
        "per-file-ignores = {}\n"
        "severity = {}\n"
        'fail-on = "error"\n'
        'targets = { kimi-code = "2.1.0", kimi-cli = "1.49.0", kilo = "7.7.9", opencode = "1.18.33", '
        'pi = "1.6.0", claude-code = "2.1.329", hermes = "0.19.0", codex = "0.171.0" }\n'
        "registry = []\n"
        "exclude = []\n"
        "dialects = {}\n"
        "harness-args = {}\n"
    )


SETTINGS = """\
[tool.cfglint]
select = ["SCH", "CMP"]
extend-select = ["REG001"]
ignore = ["cmp001"]
severity = {SCH002 = "info"}
fail-on = "warning"
targets = {kimi-code = "0.16.0"}
registry = ["models.toml"]
exclude = ["vendor"]
harness-args = {hermes = ""}

[tool.cfglint.per-file-ignores]
".claude/settings.json" = ["SCH001"]
"""


def test_config_show_every_key(cli, write, tmp_path):
    write("pyproject.toml", SETTINGS)
    write("models.toml", "")
    write(".claude/settings.json", "{}")
    result = cli("config", "show", ".claude/settings.json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "# cfglint settings for .claude/settings.json\n"
        "# settings file: pyproject.toml [tool.cfglint]\n"
        "# per-file-ignores applied here: SCH001\n"
        'select = ["SCH", "CMP"]\n'
        'extend-select = ["REG001"]\n'
        'ignore = ["CMP001"]\n'
        'per-file-ignores = { ".claude/settings.json" = ["SCH001"] }\n'
        'severity = { SCH002 = "info" }\n'
        'fail-on = "warning"\n'
        'targets = { kimi-code = "0.16.0", kimi-cli = "1.49.0", kilo = "7.7.9", opencode = "1.18.33", '
        'pi = "1.6.0", claude-code = "2.1.329", hermes = "0.19.0", codex = "0.171.0" }\n'
        'registry = ["models.toml"]\n'
        'exclude = ["vendor"]\n'
        'dialects = {}\n'
        'harness-args = { hermes = "" }\n'
    )
    data = json.loads(cli("config", "show", "--format", "json", ".claude/settings.json", cwd=tmp_path).stdout)
    assert data["settings_file"] == "pyproject.toml" and data["excluded"] is False
    assert data["per_file_ignores_applied"] == ["SCH001"]
    assert data["settings"]["targets"]["kimi-code"] == "0.16.0" and data["settings"]["fail-on"] == "warning"
    assert list(data["settings"]) == ["select", "extend-select", "ignore", "per-file-ignores", "severity", "fail-on",
                                      "targets", "registry", "exclude", "dialects", "harness-args"]
    assert data["settings"]["harness-args"] == {"hermes": ""}


def test_config_show_says_when_a_path_is_excluded(cli, write, tmp_path):
    write("pyproject.toml", SETTINGS)
    write("models.toml", "")
    write("vendor/kilo.json", "{}")
    out = cli("config", "show", "vendor/kilo.json", cwd=tmp_path).stdout
    assert out.splitlines()[2] == "# excluded: `exclude` matches this path, cfglint skips it"
    result = cli("config", "show", "nope", cwd=tmp_path)
    assert result.exit_code == 2 and result.stderr == "cfglint: nope: no such file or directory\n"


def test_output_formats_come_from_the_reporters(cli, write):
    from cfglint.report import FORMATS

    path = write("kilo.json", "{}")
    for name in FORMATS:
        assert cli("check", "--output-format", name, str(path)).exit_code == 0, name


KILO_PARENT = """\
{
  "provider": {
    "zhipu": {
      "npm": "@ai-sdk/openai-compatible",
      "options": { "baseURL": "https://open.bigmodel.cn/api/paas/v4" },
      "models": { "glm-5.2": { "name": "GLM-5.2" } }
    }
  }
}
"""


def test_merged_layers_use_the_settings_of_the_highest_precedence_layer(cli, write, tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    parent = write("repo/kilo.jsonc", KILO_PARENT)
    child = write("repo/app/kilo.jsonc", '{"model": "zhipu/glm-5.2"}')
    write("repo/app/cfglint.toml", 'targets = {kilo = "7.0.0"}\n')
    _, items = lint(cli, parent, child, "--select", "CMP002")
    # The parent's own configuration uses the parent's (default) settings; the app's, whose
    # highest-precedence layer is the app's file, uses the app's target, even for the finding
    # that points into the parent's file.
    assert sorted((f["path"].split("repo/")[-1], f["harness_version"]) for f in items) == [
        ("kilo.jsonc", "7.0.0"), ("kilo.jsonc", "7.7.9")]


def test_stdin_uses_the_settings_of_its_file_name(cli, write, tmp_path):
    write("proj/cfglint.toml", 'ignore = ["CMP001"]\n')
    args = ("check", "--output-format", "json", "-", "--stdin-filename")
    result = cli(*args, f"proj/{KIMI}", input=GLM, cwd=tmp_path)
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    result = cli(*args, KIMI, input=GLM, cwd=tmp_path)
    assert [f["code"] for f in json.loads(result.stdout)] == ["CMP001"]


def test_dialects_map_files_their_names_do_not_tell(cli, write, tmp_path):
    """A walked file and a named one take the dialect the settings give their path; files
    outside the pattern are not linted; `--dialect` still wins."""
    write("cfglint.toml", '[dialects]\n"configs/*.json" = "kilo"\n')
    write("configs/agent.json", '{"compation": {}}\n')
    write("other/agent.json", '{"compation": {}}\n')
    result, items = lint(cli, tmp_path, cwd=tmp_path)
    assert [(f["path"], f["code"], f["dialect"]) for f in items] == [("configs/agent.json", "SCH002", "kilo")]
    result, items = lint(cli, "configs/agent.json", cwd=tmp_path)
    assert [f["dialect"] for f in items] == ["kilo"]
    result, items = lint(cli, "--dialect", "claude-code", "configs/agent.json", cwd=tmp_path)
    assert {f["dialect"] for f in items} == {"claude-code"}


def test_files_share_their_settings_unless_a_pattern_singles_one_out(write, tmp_path, monkeypatch):
    """A run of 10,000 files holds one `FileSettings` per settings file, not one per file, when
    no `per-file-ignores` or `exclude` pattern can tell its files apart; each file is looked up
    once by the path the run holds, however often the run asks."""
    from cfglint.settings.files import Overrides, SettingsFinder

    write("plain/.cfglint.toml", 'ignore = ["CMP001"]\n')
    write("patterns/.cfglint.toml", '[per-file-ignores]\n"b/*" = ["CMP002"]\n')
    monkeypatch.chdir(tmp_path)
    finder = SettingsFinder(Overrides())
    looked_up: list[str] = []
    for_directory = finder.for_directory
    monkeypatch.setattr(finder, "for_directory", lambda directory: looked_up.append(directory)
                        or for_directory(directory))
    plain = [finder.for_file(f"plain/{d}/kilo.jsonc") for d in ("a", "b", "a/c")]
    assert plain[0] is plain[1] is plain[2] and not plain[0].enabled("CMP001") and plain[0].enabled("CMP002")
    a, b = finder.for_file("patterns/a/kilo.jsonc"), finder.for_file("patterns/b/kilo.jsonc")
    assert a is not b and a.enabled("CMP002") and not b.enabled("CMP002")
    assert finder.for_file("patterns/b/kilo.jsonc") is b and finder.for_file("plain/a/kilo.jsonc") is plain[0]
    assert len(looked_up) == 5  # one lookup per file
