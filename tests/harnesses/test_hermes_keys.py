"""Hermes keys and values judged as the `hermes-agent` wheels judge them (`keys.py`, `data/known_keys.json`).

Each config below reproduces a pattern seen in real Hermes configs; the expected
verdict is what the wheel's own code does with it.
"""

from __future__ import annotations

import json

import pytest

from cfglint.harnesses.hermes import HERMES
from cfglint.harnesses.hermes import keys as release_keys

MODEL = "model:\n  default: anthropic/claude-sonnet-4.5\n  provider: openrouter\n"


def check(cli, write, text: str, *args: str, where: str = ".hermes/config.yaml") -> list[dict]:
    path = write(where, text)
    result = cli("check", "--output-format", "json", "--select", "SCH", *args, str(path))
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout or "[]")


def found(items: list[dict]) -> list[tuple[str, int]]:
    return [(f["code"], f["line"]) for f in items]


# --- keys the wheel reads although the fact sheet's DEFAULT_CONFIG list lacks them ------------------
GATEWAY_AND_TOOL_KEYS = MODEL + """\
session_reset:
  mode: idle
group_sessions_per_user: true
platform_toolsets:
  cli: [hermes-cli]
known_plugin_toolsets: {}
plugins:
  enabled: []
image_gen:
  provider: fal
platforms: {}
mcp_servers: {}
fallback_model:
  provider: openrouter
  model: openai/gpt-5
auxiliary:
  transient_retries: 2
  vision:
    download_timeout: 30
    max_concurrency: 4
  title_generation:
    language: de
    enabled: false
"""


def test_keys_read_by_gateway_tools_and_auxiliary_code_are_known(cli, write):
    assert check(cli, write, GATEWAY_AND_TOOL_KEYS) == []


def test_a_key_only_another_auxiliary_task_reads_has_no_effect(cli, write):
    """0.19.0 reads `enabled` only as `auxiliary.title_generation`'s switch: a goal judge is not
    turned off by it."""
    items = check(cli, write, MODEL + "auxiliary:\n  goal_judge:\n    enabled: false\n")
    assert found(items) == [("SCH002", 6)]
    assert "reads `enabled` only in `auxiliary.title_generation`" in items[0]["message"]


def test_a_task_key_an_older_release_wrote_is_a_quiet_leftover(cli, write):
    """0.13-0.14 wrote and read `auxiliary.session_search.max_concurrency`; 0.19.0 ignores the leftover."""
    text = MODEL + "auxiliary:\n  session_search:\n    max_concurrency: 3\n"
    assert check(cli, write, text, "--target", "hermes@0.14.0") == []
    assert check(cli, write, text, "--target", "hermes@0.19.0") == []
    items = check(cli, write, MODEL + "auxiliary:\n  compression:\n    max_concurrency: 3\n")
    assert found(items) == [("SCH002", 6)] and "only in `auxiliary.vision`" in items[0]["message"]


def test_model_api_mode_is_known(cli, write):
    assert check(cli, write, MODEL + "  api_mode: chat_completions\n") == []


def test_a_key_no_release_reads_is_a_warning_that_says_what_hermes_does(cli, write):
    items = check(cli, write, MODEL + "  timeout: 30\ncompression:\n  threshold_pct: 0.8\nsmart_routing: {}\n")
    assert found(items) == [("SCH002", 4), ("SCH002", 6), ("SCH002", 7)]
    for item in items:
        assert item["severity"] == "warning"
        assert "keeps it in the loaded config, but no code of hermes-agent 0.13.0..0.19.0 reads it" in item["message"]
        assert "does not read it (its handling" not in item["message"]


def test_env_style_top_level_scalars_feed_the_gateway_environment(cli, write):
    items = check(cli, write, MODEL + "TELEGRAM_HOME_CHANNEL: '-100123'\ntemperature: 0.7\n")
    assert found(items) == [("SCH002", 5)]


def test_misplaced_root_api_key_says_hermes_warns(cli, write):
    items = check(cli, write, MODEL + "api_key: ${OPENROUTER_API_KEY}\n")
    assert found(items) == [("SCH002", 4)]
    assert "looks misplaced" in items[0]["message"]


def test_accepted_but_unread_root_key_has_no_effect_on_0_19_only(cli, write):
    text = MODEL + "smart_model_routing:\n  enabled: true\n"
    items = check(cli, write, text)
    assert found(items) == [("SCH002", 4)]
    assert "has no effect" in items[0]["message"] and "_KNOWN_ROOT_KEYS" in items[0]["message"]
    old = check(cli, write, text, "--target", "hermes@0.18.2")
    assert found(old) == [("SCH002", 4)] and "no release reads it" in old[0]["message"]


def test_root_provider_and_api_base_are_migrated_into_model_on_0_19(cli, write):
    text = "provider: custom\napi_base: http://localhost:8000/v1\nmodel: mistral\n"
    assert check(cli, write, text) == []


def test_root_provider_is_dropped_when_model_provider_is_set(cli, write):
    items = check(cli, write, MODEL + "provider:\n  router_enabled: true\n")
    assert found(items) == [("SCH002", 4)]
    assert "moves it into `model.provider` only when that is unset" in items[0]["message"]


@pytest.mark.parametrize("key", ["model_thresholds", "threshold_tokens", "tail_mode"])
def test_compression_keys_of_later_code_are_unknown_to_0_19_0(cli, write, key):
    value = {"model_thresholds": "{glm: 0.8}", "threshold_tokens": "100000", "tail_mode": "lean"}[key]
    items = check(cli, write, MODEL + f"compression:\n  {key}: {value}\n", "--target", "hermes@0.19.0")
    assert found(items) == [("SCH002", 5)]
    assert "no released hermes-agent up to 0.19.0 reads it" in items[0]["message"]


def test_a_key_older_releases_do_not_read_is_reported_for_them(cli, write):
    text = MODEL + "compression:\n  in_place: true\n"
    assert check(cli, write, text, "--target", "hermes@0.19.0") == []
    items = check(cli, write, text, "--target", "hermes@0.13.0")
    assert found(items) == [("SCH002", 5)]
    assert "only hermes-agent" in items[0]["message"]


# --- custom_providers --------------------------------------------------------------------------------
def test_null_custom_providers_and_list_shaped_models_are_accepted(cli, write):
    assert check(cli, write, MODEL + "custom_providers: null\n") == []
    text = MODEL + ("custom_providers:\n  - name: local\n    base_url: http://localhost:8080/v1\n"
                    "    models: [qwen3, {id: glm}]\n")
    assert check(cli, write, text) == []


def test_json_string_custom_providers_drops_every_custom_provider(cli, write):
    text = MODEL + 'custom_providers: \'[{"name": "local", "base_url": "http://localhost:8080/v1"}]\'\n'
    items = check(cli, write, text)
    assert found(items) == [("SCH001", 4)]
    assert "dropped without a warning" in items[0]["message"] and "JSON string is not parsed" in items[0]["message"]


# --- coercions Hermes applies ------------------------------------------------------------------------
@pytest.mark.parametrize("value", ['"no"', "0", '"off"', "null", "false", "true", '"yes"'])
def test_compression_enabled_values_hermes_reads_are_not_type_errors(cli, write, value):
    assert check(cli, write, MODEL + f"compression:\n  enabled: {value}\n") == []


def test_compression_enabled_on_word_is_read_as_off(cli, write):
    items = check(cli, write, MODEL + "compression:\n  enabled: 'on'\n")
    assert found(items) == [("SCH001", 5)] and "turns compression off" in items[0]["message"]


def test_threshold_true_is_one(cli, write):
    assert check(cli, write, MODEL + "compression:\n  threshold: true\n") == []
    assert found(check(cli, write, MODEL + "compression:\n  threshold: false\n")) == [("SCH001", 5)]


def test_numeric_string_context_length_is_used_as_int(cli, write):
    assert check(cli, write, MODEL + '  context_length: "128000"\n') == []
    items = check(cli, write, MODEL + '  context_length: "256K"\n')
    assert found(items) == [("SCH001", 4)] and "auto-detects the window" in items[0]["message"]
    low = check(cli, write, MODEL + '  context_length: "32000"\n')
    assert found(low) == [("SCH001", 4)] and "minimum of 64,000" in low[0]["message"]


def test_context_length_true_refuses_start_up(cli, write):
    items = check(cli, write, MODEL + "  context_length: true\n")
    assert found(items) == [("SCH001", 4)] and "refuses to start" in items[0]["message"]


def test_summary_base_url_null_is_only_the_legacy_key_warning(cli, write):
    items = check(cli, write, MODEL + "compression:\n  summary_base_url: null\n")
    assert found(items) == [("SCH003", 5)]


# --- profiles and data -------------------------------------------------------------------------------
def test_profile_config_is_recognised_by_name(cli, write):
    path = write(".hermes/profiles/reviewer/config.yaml", MODEL + "  timeout: 30\n")
    result = cli("check", "--output-format", "json", "--select", "SCH", ".", cwd=path.parents[3])
    assert [(f["path"].removeprefix("./"), f["code"]) for f in json.loads(result.stdout)] == [
        (".hermes/profiles/reviewer/config.yaml", "SCH002")]


def test_profiles_outside_hermes_home_are_not_hermes_files():
    from pathlib import PurePath

    assert HERMES.recognises(PurePath("/x/.hermes/profiles/work/config.yaml"))
    assert not HERMES.recognises(PurePath("/x/app/profiles/work/config.yaml"))


def test_release_data_covers_every_supported_release():
    assert release_keys.releases()[0] == "0.13.0" and release_keys.newest_release() == HERMES.default_version
    for section in ("", "model", "compression", "auxiliary.*"):
        assert release_keys.section_keys(section)
    assert "smart_model_routing" in release_keys.accepted_unread_root_keys(HERMES.version("0.19.0"))
    written = [release_keys.written_config_version(HERMES.version(r)) for r in release_keys.releases()]
    assert written == sorted(written) and written[-1] == release_keys.newest_config_version() == 33


# --- files written by a Hermes newer than the target ------------------------------------------------
NEWER_FILE_KEYS = """\
compression:
  enabled: true
  max_attempts: 3
  idle_compact_after_seconds: 600
telemetry:
  shared_metrics:
    enabled: false
database:
  journal_mode: wal
"""


def test_file_of_a_newer_hermes_is_one_note_at_config_version(cli, write):
    """0.19.0 writes `_config_version` 33; a file at 38 comes from later code: one info note
    naming the keys 0.19.0 does not read, not one SCH002 per key."""
    items = check(cli, write, MODEL + NEWER_FILE_KEYS + "_config_version: 38\n")
    assert [(f["code"], f["line"], f["severity"]) for f in items] == [("SCH002", 13, "info")]
    message = items[0]["message"]
    assert "`_config_version` 38; hermes-agent 0.19.0 writes 33" in message
    for key in ("compression.max_attempts", "compression.idle_compact_after_seconds", "telemetry", "database"):
        assert f"`{key}`" in message
    assert "--target" in items[0]["fix"]


def test_file_newer_than_every_release_for_a_later_target(cli, write):
    items = check(cli, write, MODEL + NEWER_FILE_KEYS + "_config_version: 38\n", "--target", "hermes@0.20.0")
    assert [(f["code"], f["line"]) for f in items] == [("SCH002", 13)]
    assert "hermes-agent 0.19.0, the newest release cfglint knows, writes 33" in items[0]["message"]
    assert "`telemetry`" in items[0]["message"]


def test_file_at_the_targets_config_version_keeps_one_finding_per_key(cli, write):
    text = MODEL + "telemetry:\n  enabled: false\ndatabase: {}\n_config_version: 33\n"
    assert found(check(cli, write, text)) == [("SCH002", 4), ("SCH002", 6)]


def test_later_code_keys_at_the_newest_config_version_mark_a_newer_file(cli, write):
    """git main kept writing 33 after 0.19.0: keys only later code reads tell such a file."""
    items = check(cli, write, MODEL + NEWER_FILE_KEYS + "_config_version: 33\n")
    assert [(f["code"], f["line"]) for f in items] == [("SCH002", 13)]
    assert "with keys only code after hermes-agent 0.19.0 reads" in items[0]["message"]


def test_older_target_than_the_file_folds_keys_later_releases_read(cli, write):
    """A 0.18.1-era file (`_config_version` 33) linted for 0.15.0 (writes 24): the keys 0.15.0
    does not read go into one note; a typo no release reads stays its own finding."""
    text = MODEL + "model_typo_root: 1\ncompression:\n  in_place: true\n_config_version: 33\n"
    release_only_key = [k for k, r in release_keys.section_keys("auxiliary.*").items() if r.startswith("0.18.0")]
    text += f"auxiliary:\n  vision:\n    {release_only_key[0]}: x\n"
    items = check(cli, write, text, "--target", "hermes@0.15.0")
    codes = sorted((f["code"], f["line"], f["severity"]) for f in items)
    assert ("SCH002", 4, "warning") in codes  # model_typo_root
    note = [f for f in items if f["line"] == 7]
    assert len(note) == 1 and f"auxiliary.vision.{release_only_key[0]}" in note[0]["message"]
    assert "hermes-agent 0.15.0 writes 24" in note[0]["message"]


def test_legacy_or_unreadable_config_version_is_not_newer(cli, write):
    for value in ("true", "abc", "0"):
        text = MODEL + f"telemetry: {{}}\n_config_version: {value}\n"
        assert found(check(cli, write, text)) == [("SCH002", 4)]


# --- other tools' config.yaml ------------------------------------------------------------------------
CONTEXTMAP = """\
project:
  name: ContextMap
workflows:
  dev_loop: .hermes/workflows/dev-loop.md
shields:
  quality: .hermes/shields/quality-gate.md
triggers:
  post_commit: .hermes/triggers/post-commit.md
"""


def test_foreign_config_yaml_is_skipped_with_a_note(cli, write):
    path = write(".hermes/config.yaml", CONTEXTMAP)
    result = cli("check", "--output-format", "json", str(path))
    assert json.loads(result.stdout or "[]") == []
    assert "not a Hermes config" in result.stderr and "`project`" in result.stderr
    forced = cli("check", "--output-format", "json", "--dialect", "hermes", str(path))
    assert {f["code"] for f in json.loads(forced.stdout)} == {"SCH002"}


@pytest.mark.parametrize("text", [
    CONTEXTMAP + "model: gpt-4o\n",          # one real key
    "projct: 1\nworkflws: 2\nmodle: x\n",    # too small to tell: typos stay findings
    CONTEXTMAP + "TELEGRAM_HOME_CHANNEL: '123'\n",  # a gateway variable
])
def test_config_with_a_hermes_key_or_few_keys_is_linted(text):
    from cfglint.parsing.yaml import parse_yaml
    from cfglint.core.text import SourceText

    assert HERMES.foreign_content(parse_yaml(SourceText(text)).data) is None
    assert HERMES.foreign_content(parse_yaml(SourceText(CONTEXTMAP)).data) is not None


def test_syntax_error_in_a_hermes_config_keeps_syn001(cli, write):
    path = write(".hermes/config.yaml", MODEL + "compression:\n  enabled: [true\n")
    result = cli("check", "--output-format", "json", str(path))
    assert [f["code"] for f in json.loads(result.stdout)] == ["SYN001"]
