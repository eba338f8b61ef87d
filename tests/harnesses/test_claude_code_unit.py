"""`cfglint check` on Claude Code settings: what the 2.1.329 loader does, in the findings.

Each config is modelled on a real pattern (shared corpus `claude/`); each expectation was checked
against the 2.1.329 settings loader (`tools/extract/claude_code_settings.mjs` runs it).
"""

from __future__ import annotations

import json

SCHEMA = '"$schema": "https://json.schemastore.org/claude-code-settings.json"'


def check(cli, *args):
    result = cli("check", "--no-cache", "--output-format", "json", "--select", "SYN,SCH", *args)
    return json.loads(result.stdout or "[]")


def found(items):
    return [(f["code"], f["line"], f["severity"]) for f in items]


# --- files found by their `$schema` ---------------------------------------------------------------

def test_bare_settings_json_with_the_schemastore_schema_is_a_claude_code_file(cli, write, tmp_path):
    write("dotfiles/claude/settings.json", "{\n  " + SCHEMA + ',\n  "model": 4\n}\n')
    items = check(cli, str(tmp_path))
    assert found(items) == [("SCH001", 3, "error")]
    assert items[0]["dialect"] == "claude-code"


def test_json_file_without_that_schema_is_not_claimed(cli, write, tmp_path):
    write("dotfiles/claude/settings.json", '{"model": 4}\n')
    write("other/settings.json", '{"$schema": "https://json.schemastore.org/tsconfig.json", "model": 4}\n')
    assert check(cli, str(tmp_path)) == []


# --- unknown keys -----------------------------------------------------------------------------------

def test_keys_of_the_harness_schema_missing_from_the_fact_sheet_are_known(cli, write):
    path = write(".claude/settings.json", '{"autoDreamEnabled": true, "skipWorkflowUsageWarning": true}\n')
    assert check(cli, str(path)) == []


def test_comment_keys_draw_no_finding_but_a_typo_does(cli, write):
    path = write(".claude/settings.json",
                 '{\n  "_comment": "team defaults",\n  "//": "see README",\n  "statusline": {}\n}\n')
    items = check(cli, str(path))
    assert found(items) == [("SCH002", 4, "warning")]
    assert "keeps it but never reads it" in items[0]["message"]
    assert items[0]["fix"] == "did you mean `statusLine`?"


def test_unknown_nested_key_says_what_the_loader_does(cli, write):
    path = write(".claude/settings.json",
                 '{\n  "permissions": {"mode": "plan"},\n  "statusLine": {"type": "command", "command": "x",'
                 ' "color": "red"}\n}\n')
    items = check(cli, str(path))
    assert found(items) == [("SCH002", 2, "warning"), ("SCH002", 3, "warning")]
    assert "`mode` in `permissions`" in items[0]["message"] and "keeps it but never reads it" in items[0]["message"]
    assert "drops it when it loads the file" in items[1]["message"]


def test_unknown_hook_event_is_ignored_with_a_warning(cli, write):
    path = write(".claude/settings.json", '{"hooks": {"PreToolUser": []}}\n')
    items = check(cli, str(path))
    assert found(items) == [("SCH002", 1, "warning")]
    assert "Unknown hook event" in items[0]["message"] and items[0]["fix"] == "did you mean `PreToolUse`?"


# --- invalid values and what the loader does with them ---------------------------------------------------

def test_wrong_type_that_makes_claude_code_skip_the_file(cli, write):
    """A project file: only what the project loader does is said."""
    items = check(cli, str(write(".claude/settings.json", '{"cleanupPeriodDays": "30"}\n')))
    assert found(items) == [("SCH001", 1, "error")]
    assert items[0]["message"].endswith("Claude Code does not load the file: none of its settings are in effect")


def test_managed_settings_fail_closed_on_a_restrictive_key(cli, write):
    """Managed settings never fail as a whole (2.1.329's policy-tolerant loader): only that is said."""
    for text in ('{"sandbox": {"enabled": "yes"}}\n', '{"strictKnownMarketplaces": true}\n'):
        items = check(cli, str(write("managed-settings.json", text)))
        assert found(items) == [("SCH001", 1, "error")]
        assert items[0]["message"].endswith("in managed settings Claude Code applies a fail-closed value instead, "
                                            "with a warning")
        assert "does not load the file" not in items[0]["message"]


def test_deprecated_small_fast_model_only_when_renaming_is_harmless(cli, write):
    """2.1.329 still reads ANTHROPIC_SMALL_FAST_MODEL ahead of ANTHROPIC_DEFAULT_HAIKU_MODEL: with
    both set (to different models) the advice to rename would switch the background model."""
    alone = '{"env": {"ANTHROPIC_SMALL_FAST_MODEL": "glm-4.5-air"}}\n'
    items = check(cli, str(write("a/.claude/settings.json", alone)))
    assert found(items) == [("SCH003", 1, "warning")] and "still reads it" in items[0]["message"]
    both = '{"env": {"ANTHROPIC_SMALL_FAST_MODEL": "glm-4.5-air", "ANTHROPIC_DEFAULT_HAIKU_MODEL": "free"}}\n'
    assert check(cli, str(write("b/.claude/settings.json", both))) == []
    same = '{"env": {"ANTHROPIC_SMALL_FAST_MODEL": "glm-4.5-air", "ANTHROPIC_DEFAULT_HAIKU_MODEL": "glm-4.5-air"}}\n'
    assert found(check(cli, str(write("c/.claude/settings.json", same)))) == [("SCH003", 1, "warning")]


def test_value_claude_code_drops_silently(cli, write):
    items = check(cli, str(write(".claude/settings.json", '{"autoCompactWindow": 50000}\n')))
    assert found(items) == [("SCH001", 1, "error")]
    assert items[0]["message"].endswith("Claude Code ignores the value silently, as if the key were absent")


def test_permission_mode_alias_is_valid_and_a_wrong_mode_is_not(cli, write):
    assert check(cli, str(write("a/.claude/settings.json", '{"permissions": {"defaultMode": "manual"}}\n'))) == []
    items = check(cli, str(write("b/.claude/settings.json", '{"permissions": {"defaultMode": "yolo"}}\n')))
    assert found(items) == [("SCH001", 1, "error")]


def test_invalid_hook_under_pre_tool_use_stops_the_file_loading(cli, write):
    text = '{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "cmd", "command": "x"}]}]}}\n'
    items = check(cli, str(write(".claude/settings.json", text)))
    assert found(items) == [("SCH001", 1, "error")]
    message = items[0]["message"]
    assert message.startswith('`hooks.PreToolUse[0].hooks[0].type` must be one of "command", "prompt"')
    assert "does not load the file" in message


def test_invalid_hook_elsewhere_is_left_out(cli, write):
    text = '{"hooks": {"PostToolUse": [{"hooks": [{"type": "command", "command": "x", "timeout": 0}]}]}}\n'
    items = check(cli, str(write(".claude/settings.json", text)))
    assert found(items) == [("SCH001", 1, "error")]
    assert "leaves this hook out with a warning" in items[0]["message"]


def test_matcher_without_hooks_is_left_out(cli, write):
    items = check(cli, str(write(".claude/settings.json", '{"hooks": {"Stop": [{"matcher": "x"}]}}\n')))
    assert found(items) == [("SCH001", 1, "error")]
    assert items[0]["message"].endswith("Claude Code leaves this matcher and its hooks out with a warning")


def test_valid_hooks_of_every_type_pass(cli, write):
    hooks = [{"type": "command", "command": "x", "timeout": 5}, {"type": "prompt", "prompt": "ok?"},
             {"type": "agent", "prompt": "review"}, {"type": "http", "url": "https://hooks.example.com"}]
    text = json.dumps({"hooks": {"Stop": [{"hooks": hooks}], "PreToolUse": [{"matcher": "Bash", "hooks": hooks[:1]}]}})
    assert check(cli, str(write(".claude/settings.json", text))) == []


# --- env values ---------------------------------------------------------------------------------------

def test_env_number_is_turned_into_a_string_with_a_warning(cli, write):
    path = write(".claude/settings.json",
                 '{\n  "env": {\n    "API_TIMEOUT_MS": "3000000",\n'
                 '    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": 1\n  }\n}\n')
    items = check(cli, str(path))
    assert [(f["code"], f["line"], f["column"], f["severity"]) for f in items] == [("SCH001", 4, 49, "warning")]
    assert 'turns it into the string "1"' in items[0]["message"]


def test_env_secret_that_is_not_a_string_is_not_printed(cli, write):
    path = write(".claude/settings.json", '{"env": {"ANTHROPIC_AUTH_TOKEN": 123456789012345}}\n')
    items = check(cli, str(path))
    assert found(items) == [("SCH001", 1, "warning")]
    assert "123456789012345" not in json.dumps(items)
