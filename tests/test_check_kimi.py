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
    # 0.33 .. 1.x: KIMI_CODE_LEGACY_FLAG=1 brings the legacy engine back; 2.x never reads it
    _, items = findings(cli, "--select", "SCH", "--env", "KIMI_CODE_LEGACY_FLAG=1", "--target", "kimi-code@0.43.1",
                        str(path))
    assert items == []
    _, items = findings(cli, "--select", "SCH", "--env", "KIMI_CODE_LEGACY_FLAG=1", str(path))
    assert codes(items) == [("SCH003", 15, 1)]
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


# A kimi-cli config as dotfile repositories keep it (`kimi/config.toml`, `dot_kimi/config.toml`):
# kimi-cli-only top-level keys, and `max_retries_per_step`, which kimi-cli 1.49.0 reads.
KIMI_CLI_DOTFILE = """\
default_model = "main"
default_thinking = true
default_yolo = false
[providers.p]
type = "kimi"
base_url = "https://api.moonshot.ai/v1"
api_key = ""
[models.main]
provider = "p"
model = "kimi-k2.5"
max_context_size = 262144
[loop_control]
max_retries_per_step = 3
[notifications]
claim_stale_after_ms = 15000
"""


def test_kimi_cli_config_outside_dot_kimi_is_told_by_its_keys(cli, write, tmp_path):
    for folder in ("kimi", "dot_kimi", "configs"):
        write(f"{folder}/config.toml", KIMI_CLI_DOTFILE)
    _, items = findings(cli, str(tmp_path))
    assert items == []
    _, items = findings(cli, "--dialect", "kimi-code", str(tmp_path / "configs" / "config.toml"))
    assert ("SCH002", 2, 1) in codes(items)  # the same file read as Kimi Code: kimi-cli keys unknown


def test_kimi_code_keys_outweigh_the_folder_name(cli, write, tmp_path):
    text = GLM.replace('type = "openai"', 'type = "kimi"')  # max_output_size: Kimi Code only
    write("kimi/config.toml", text)
    _, items = findings(cli, "--select", "SCH", str(tmp_path))
    assert {f["dialect"] for f in items} <= {"kimi-code"} and not [f for f in items if f["code"] == "SCH005"]


def test_folder_name_decides_when_the_keys_do_not(cli, write, tmp_path):
    text = 'default_model = "m"\n[models.m]\nprovider = "p"\nmodel = "x"\nmax_context_size = 1\n'
    write("kimi/config.toml", text)
    write("dot_kimi-code/config.toml", text)
    _, items = findings(cli, "--select", "SCH004", str(tmp_path))
    assert sorted((f["path"].rsplit("/", 2)[-2], f["dialect"]) for f in items) == [
        ("dot_kimi-code", "kimi-code"), ("kimi", "kimi-cli")]


def test_kimi_code_only_provider_type_outweighs_the_folder_name(cli, write, tmp_path):
    """`type = "openai"` is a Kimi Code wire type that kimi-cli 1.49.0 rejects: a dotfile
    `kimi/config.toml` holding it is a Kimi Code config (no SCH001 on the type)."""
    text = 'default_model = "m"\n[providers.p]\ntype = "openai"\nbase_url = "https://x.example/v1"\napi_key = ""\n' \
           '[models.m]\nprovider = "p"\nmodel = "x"\nmax_context_size = 1000000\n'
    write("kimi/config.toml", text)
    _, items = findings(cli, "--select", "SCH", str(tmp_path))
    assert items == []
    write("kimi/config.toml", text.replace('"openai"', '"openai_legacy"'))
    _, items = findings(cli, "--select", "SCH", str(tmp_path))
    assert items == []  # kimi-cli's own type: read as kimi-cli, which accepts it


def test_chezmoi_kimi_code_folder_is_kimi_codes_home(cli, write, tmp_path):
    """chezmoi deploys `private_dot_kimi-code/` as `~/.kimi-code/`: Kimi Code reads it, whatever
    kimi-cli type a provider has; its Kimi Code keys are no SCH005."""
    text = ('default_model = "m"\n[providers.p]\ntype = "openai_legacy"\nbase_url = "https://x.example/v1"\n'
            '[models.m]\nprovider = "p"\nmodel = "x"\nmax_context_size = 200000\nprotocol = "openai"\n')
    path = write("private_dot_kimi-code/config.toml", text)
    _, items = findings(cli, str(tmp_path))
    assert items == []
    _, items = findings(cli, "--dialect", "kimi-cli", str(path))
    assert codes(items, "SCH005") == [("SCH005", 9, 1)]


def test_provider_type_outside_the_wire_types_is_sch005_only_where_a_model_needs_it(cli, write):
    """Kimi Code 2.1.0 takes a model's own `protocol` before its provider's type
    (`resolveModelProtocol`); the legacy engine rejects the type at load."""
    text = ('default_model = "m"\n[providers.p]\ntype = "openai_legacy"\nbase_url = "https://x.example/v1"\n'
            '[models.m]\nprovider = "p"\nmodel = "x"\nmax_context_size = 200000\nprotocol = "openai"\n')
    path = write(".kimi-code/config.toml", text)
    assert codes(findings(cli, "--select", "SCH005", str(path))[1]) == []
    assert codes(findings(cli, "--select", "SCH005", "--target", "kimi-code@0.30.0", str(path))[1]) == [
        ("SCH005", 3, 8)]
    path = write(".kimi-code/config.toml", text + '[models.n]\nprovider = "p"\nmodel = "y"\nmax_context_size = 1\n')
    assert codes(findings(cli, "--select", "SCH005", str(path))[1]) == [("SCH005", 3, 8)]


# The config Kimi Code's `/login` writes: no max_output_size, so the cap is the whole window.
MANAGED = """\
default_model = "kimi-code/kimi-for-coding"
[providers."managed:kimi-code"]
type = "kimi"
base_url = "https://api.kimi.com/coding/v1"
[providers."managed:kimi-code".oauth]
storage = "file"
key = "oauth/kimi-code"
[models."kimi-code/kimi-for-coding"]
provider = "managed:kimi-code"
model = "kimi-for-coding"
max_context_size = 262144
"""


def test_managed_window_is_the_providers_own_so_no_reg003(cli, write):
    """Kimi Code writes a managed model's max_context_size from the provider's /models API
    (`toManagedModelAlias`); models.dev's 262,144 for kimi-for-coding is older."""
    managed = MANAGED.replace("max_context_size = 262144", "max_context_size = 1048576")
    _, items = findings(cli, "--select", "REG003", str(write(".kimi-code/config.toml", managed)))
    assert items == []
    custom = managed.replace('"managed:kimi-code"', '"kimi-code"')
    _, items = findings(cli, "--select", "REG003", str(write(".kimi-code/config.toml", custom)))
    assert [f["code"] for f in items] == ["REG003"]


def test_whole_window_default_cap_is_clamped_so_no_cmp001(cli, write):
    for name in (".kimi-code/config.toml", ".kimi/config.toml"):
        _, items = findings(cli, "--select", "CMP001", str(write(name, MANAGED)))
        assert items == [], name


def test_explicit_output_cap_above_the_headroom_is_cmp001_with_a_sane_reserve_fix(cli, write):
    path = write(".kimi-code/config.toml", MANAGED + "max_output_size = 65536\n")
    _, items = findings(cli, "--select", "CMP001", str(path))
    assert codes(items) == [("CMP001", 8, 1)] and items[0]["severity"] == "warning"
    assert "reserved_context_size = 65536" in items[0]["fix"]
    path = write(".kimi-code/config.toml", MANAGED + "max_output_size = 200000\n")
    _, items = findings(cli, "--select", "CMP001", str(path))
    assert "lower the output cap of 200,000 to at most 131,072" in items[0]["fix"]
    assert "reserved_context_size = 200000" not in items[0]["fix"]


def test_env_cap_above_the_headroom_is_cmp001_in_kimi_cli(cli, write):
    path = write(".kimi/config.toml", MANAGED)
    _, items = findings(cli, "--select", "CMP001", "--env", "KIMI_MODEL_MAX_COMPLETION_TOKENS=65536", str(path))
    assert [f["code"] for f in items] == ["CMP001"]


def test_model_on_an_undefined_provider_has_no_cmp001(cli, write):
    path = write(".kimi-code/config.toml", MANAGED.replace('provider = "managed:kimi-code"', 'provider = "gone"')
                 + "max_output_size = 65536\n")
    _, items = findings(cli, "--select", "CMP001,SCH004", str(path))
    assert [f["code"] for f in items] == ["SCH004"]


def test_default_model_not_a_string_names_no_model(cli, write):
    """Kimi Code 2.1.0 does not validate `default_model` (`kimi doctor config` says valid)."""
    path = write(".kimi-code/config.toml", GLM.replace('default_model = "zhipu/glm-5.2"', "default_model = 5"))
    _, items = findings(cli, "--select", "SCH", str(path))
    assert codes(items) == [("SCH004", 1, 17)]
    assert "is not a string" in items[0]["message"]
    path = write(".kimi/config.toml", GLM.replace('default_model = "zhipu/glm-5.2"', "default_model = 5")
                 .replace('type = "openai"', 'type = "kimi"').replace("max_output_size = 131072\n", ""))
    _, items = findings(cli, "--select", "SCH", str(path))
    assert codes(items) == [("SCH001", 1, 17)]  # kimi-cli's pydantic model wants a string


def test_model_kimi_code_cannot_use_is_sch001_but_overrides_count(cli, write):
    text = GLM.replace("max_context_size = 1000000\n", "")
    _, items = findings(cli, "--select", "SCH,CMP", str(write(".kimi-code/config.toml", text)))
    assert codes(items) == [("SCH001", 6, 2)]
    assert "must define a positive max_context_size" in items[0]["message"] and "loads the file" in items[0]["message"]
    with_override = text + '[models."zhipu/glm-5.2".overrides]\nmax_context_size = 1000000\n'
    _, items = findings(cli, "--select", "SCH001", str(write(".kimi-code/config.toml", with_override)))
    assert items == []
    no_name = GLM.replace('model = "glm-5.2"\n', "")
    _, items = findings(cli, "--select", "SCH001", str(write(".kimi-code/config.toml", no_name)))
    assert [f["details"]["key"] for f in items] == ["model"]


def test_invalid_value_says_the_section_is_ignored(cli, write):
    path = write(".kimi-code/config.toml", GLM.replace("= 0.99", "= 1.5"))
    _, items = findings(cli, "--select", "SCH001", str(path))
    assert "ignores the whole `loop_control` section" in items[0]["message"]
    _, items = findings(cli, "--select", "SCH001", "--target", "kimi-code@0.20.1", str(path))
    assert "ignores the whole" not in items[0]["message"]


def test_sections_of_2_1_0_are_known_and_legacy_top_level_flags_are_not(cli, write):
    text = GLM + """
[task]
max_running_tasks = 2
[cron]
disabled = true
[permission]
deny = [{ tool = "Bash", match = "rm -rf*" }]
ask = { pattern = "Write" }
"""
    _, items = findings(cli, "--select", "SCH", str(write(".kimi-code/config.toml", text)))
    assert items == []
    _, items = findings(cli, "--select", "SCH", str(write(".kimi-code/config.toml", "plan_mode = true\n" + GLM)))
    assert codes(items) == [("SCH002", 1, 1)]


def test_every_kimi_code_only_key_in_kimi_cli_is_sch005(cli, write):
    text = KIMI_CLI_DOTFILE.replace("max_context_size = 262144\n", "max_context_size = 262144\nsupport_efforts = "
                                    '["max"]\nprotocol = "openai"\n') + "compaction_max_attempts = 2\n"
    text = text.replace("[notifications]\nclaim_stale_after_ms = 15000\n", "")
    _, items = findings(cli, "--select", "SCH", str(write(".kimi/config.toml", text)))
    assert sorted((f["code"], f["details"].get("path", f["message"].split("`")[1])) for f in items) == [
        ("SCH005", "compaction_max_attempts"), ("SCH005", "protocol"), ("SCH005", "support_efforts")]


def test_unknown_key_says_whether_kimi_code_drops_or_keeps_it(cli, write):
    text = GLM.replace("max_context_size = 1000000\n", "max_context_size = 1000000\nreasoning = true\n")
    _, items = findings(cli, "--select", "SCH002", str(write(".kimi-code/config.toml", text + "bogus = 1\n")))
    assert [(f["line"], f["message"].split(": ", 1)[1]) for f in items] == [
        (10, "Kimi Code 2.1.0 keeps it but never reads it"), (16, "Kimi Code 2.1.0 drops it silently")]


def test_invalid_kimi_cli_value_stops_kimi_cli(cli, write):
    text = KIMI_CLI_DOTFILE.replace("max_retries_per_step = 3", "max_retries_per_step = 0")
    _, items = findings(cli, "--select", "SCH001", str(write(".kimi/config.toml", text)))
    assert codes(items) == [("SCH001", 13, 24)]
    assert items[0]["message"].endswith("kimi-cli refuses to start with this file (ConfigError: Invalid configuration file)")


def test_kimi_cli_reads_numbers_and_booleans_written_as_strings(cli, write):
    """pydantic's lax mode (kimi-cli 1.49.0 `Config.model_validate`): `"131072"`, `"yes"`, 1 are read."""
    text = (KIMI_CLI_DOTFILE.replace("max_context_size = 262144", 'max_context_size = "262_144"')
            .replace("default_yolo = false", 'default_yolo = "no"').replace("default_thinking = true", "default_thinking = 1"))
    path = write(".kimi/config.toml", text)
    _, items = findings(cli, "--select", "SCH,CMP", str(path))
    assert items == []
    _, items = findings(cli, "--select", "SCH", str(write(".kimi/config.toml", text.replace('"no"', '"nope"')
                                                          .replace('"262_144"', '"256K"'))))
    assert [(f["code"], f["line"]) for f in items] == [("SCH001", 3), ("SCH001", 11)]
    assert "not a valid integer" in items[1]["message"] and "refuses to start" in items[1]["message"]


def test_kimi_cli_old_step_key_is_read_only_without_the_new_one(cli, write):
    both = KIMI_CLI_DOTFILE.replace("max_retries_per_step = 3", "max_steps_per_turn = 100\nmax_steps_per_run = 0")
    _, items = findings(cli, "--select", "SCH", str(write(".kimi/config.toml", both)))
    assert [(f["code"], f["line"]) for f in items] == [("SCH003", 14)]
    alone = KIMI_CLI_DOTFILE.replace("max_retries_per_step = 3", "max_steps_per_run = 0")
    _, items = findings(cli, "--select", "SCH", str(write(".kimi/config.toml", alone)))
    assert [(f["code"], f["line"]) for f in items] == [("SCH001", 13)]
