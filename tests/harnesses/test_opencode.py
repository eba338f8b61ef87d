"""opencode harness facts end to end (harness-opencode.md 2, 3, 8), checked against the 1.18.33 binary.

Files and layers (2.1, 2.2), which `opencode.json[c]` is Kilo's (product.md "Harnesses and
dialects"), unknown keys by release (3.1: fatal up to 1.18.15, dropped from 1.18.16), the TUI
keys opencode strips (no error), V2-native keys (1.18.33), and type errors that stop opencode.
"""

from __future__ import annotations

import json
from pathlib import PurePath

import pytest

from cfglint.core.document import Document
from cfglint.core.text import SourceText
from cfglint.engine.discover import dialect_by_name
from cfglint.harnesses.kilo import KILO
from cfglint.harnesses.opencode import OPENCODE


@pytest.fixture
def lint(cli, write):
    """Findings (JSON) for one file written at `where`, read as opencode."""

    def run(text: str, *args: str, where: str = "project/opencode.jsonc", code: str | None = None):
        path = write(where, text)
        result = cli("check", "--no-cache", "--output-format", "json", "--dialect", "opencode", *args, str(path))
        assert result.exit_code in (0, 1), result.stderr
        return [f for f in json.loads(result.stdout) if code is None or f["code"] == code]

    return run


def brief(findings):
    return [(f["code"], f["line"], f["severity"]) for f in findings]


def doc(path: str, text: str = "{}") -> Document:
    source = SourceText(text)
    return Document(path, path.lstrip("/"), source, OPENCODE.parse(source, {}), "opencode")


# --- which harness reads a file --------------------------------------------------------------------


@pytest.mark.parametrize(("path", "dialect"), [
    ("/repo/opencode.json", "opencode"),
    ("/repo/opencode.jsonc", "opencode"),
    ("/repo/.opencode/opencode.jsonc", "opencode"),
    ("/home/u/.config/opencode/opencode.json", "opencode"),
    ("/home/u/.config/opencode/config.json", "opencode"),
    ("/repo/config.json", None),                      # `config.json` only in the global directory
    ("/repo/kilo.jsonc", "kilo"),
    ("/repo/.kilo/opencode.jsonc", "kilo"),
    ("/repo/.kilocode/opencode.json", "kilo"),
    ("/home/u/.config/kilo/opencode.json", "kilo"),
])
def test_recognition_by_name(path, dialect):
    assert dialect_by_name(PurePath(path), {}) == dialect


def test_opencode_json_beside_a_kilo_json_is_kilos(write):
    kilo = write("repo/kilo.jsonc", "{}")
    beside = kilo.parent / "opencode.json"
    assert KILO.recognises(beside) and dialect_by_name(beside, {}) == "kilo"
    alone = write("other/opencode.json", "{}")
    assert not KILO.recognises(alone) and OPENCODE.recognises(alone)


def test_dialect_kilo_still_reads_any_opencode_json_as_kilo(cli, write):
    path = write("repo/opencode.json", '{"compaction": {"threshold_percent": 150}}')
    kilo = json.loads(cli("check", "--no-cache", "--output-format", "json", "--dialect", "kilo", str(path)).stdout)
    assert [f["code"] for f in kilo] == ["SCH001"]  # Kilo's bound 0 < x <= 100


# --- layers (2.2) --------------------------------------------------------------------------------------


def test_layer_order_global_project_outer_first_then_opencode_dirs_walking_up():
    docs = [doc(p) for p in ("/r/a/.opencode/opencode.jsonc", "/r/.opencode/opencode.json", "/r/a/opencode.jsonc",
                             "/r/a/opencode.json", "/r/opencode.json", "/h/.config/opencode/opencode.jsonc",
                             "/h/.config/opencode/config.json", "/r/a/.opencode/opencode.json")]
    order = [d.path for d in sorted(docs, key=OPENCODE.layer_rank)]
    assert order == ["/h/.config/opencode/config.json", "/h/.config/opencode/opencode.jsonc",
                     "/r/opencode.json", "/r/a/opencode.json", "/r/a/opencode.jsonc",
                     "/r/a/.opencode/opencode.json", "/r/a/.opencode/opencode.jsonc",
                     "/r/.opencode/opencode.json"]


def test_layer_groups_and_user_layers():
    assert OPENCODE.layer_group(doc("/r/a/.opencode/opencode.json")) == "/r/a"
    assert OPENCODE.is_user_layer(doc("/h/.config/opencode/opencode.json"))
    assert not OPENCODE.is_user_layer(doc("/r/opencode.json"))
    assert OPENCODE.layers_from_ancestors and not OPENCODE.skips_invalid_files


def test_instructions_concatenate_and_null_deletes_nothing():
    low = doc("/r/opencode.json", '{"instructions": ["a.md"], "provider": {"x": {"npm": "p"}}}')
    high = doc("/r/.opencode/opencode.json", '{"instructions": ["b.md", "a.md"], "provider": {"x": null}}')
    merged = OPENCODE.merge([low, high]).data
    assert merged["instructions"] == ["a.md", "b.md"] and merged["provider"] == {"x": None}


# --- schema (3.1, 3.2) ---------------------------------------------------------------------------------


def test_tui_keys_are_accepted_with_an_info_at_most(lint):
    text = '{\n  "theme": "rosepine",\n  "keybinds": {"leader": "ctrl+b"},\n  "tui": {"scroll_speed": 3}\n}\n'
    found = [f for f in lint(text) if f["code"].startswith("SCH")]
    assert brief(found) == [("SCH003", 2, "info"), ("SCH003", 3, "info"), ("SCH003", 4, "info")]
    assert "tui.json" in found[0]["message"]


@pytest.mark.parametrize(("target", "severity", "words"), [
    ("opencode@1.18.33", "warning", "drops it"),
    ("opencode@1.18.16", "warning", "drops it"),
    pytest.param("opencode@1.18.15", "error", "refuses to start"),
    pytest.param("opencode@1.3.2", "error", "refuses to start"),
])
def test_unknown_top_level_key_by_release(lint, target, severity, words):
    found = lint('{"compation": {"auto": true}}', "--target", target, code="SCH002")
    assert [(f["severity"], words in f["message"]) for f in found] == [(severity, True)]


def test_kilo_only_keys_get_their_own_message(lint):
    found = lint('{\n  "web_search": true,\n  "compaction": {"threshold_percent": 80}\n}', code="SCH002")
    assert [(f["line"], f["severity"]) for f in found] == [(2, "warning"), (3, "warning")]
    assert all("Kilo-only key; opencode ignores it" in f["message"] for f in found)


def test_key_added_in_a_later_release(lint):
    found = lint('{"subagent_depth": 2}', "--target", "opencode@1.17.19", code="SCH002")
    assert brief(found) == [("SCH002", 1, "error")] and "added in a later release" in found[0]["message"]
    assert lint('{"subagent_depth": 2}', "--target", "opencode@1.18.3", code="SCH002") == []


@pytest.mark.parametrize("text", [
    '{"provider": {"lab": {"models": {"m": {"limit": {"context": 100000}}}}}}',   # limit.output missing
    '{"provider": {"lab": {"models": {"m": null}}}}',                            # no null sentinel
    '{"model": null}',
    '{"compaction": {"reserved": 1.5}}',
    '{"compaction": {"tail_turns": -1}}',
    '{"subagent_depth": -1}',
    '{"permissions": {"bash": "allow"}}',                                         # V2 permissions
])
def test_type_errors_stop_opencode(lint, text):
    found = lint(text, code="SCH001")
    assert found and all(f["severity"] == "error" and "refuses to start" in f["message"] for f in found)


def test_v2_keys_are_lowered_in_1_18_33_and_unknown_before(lint):
    text = '{"snapshots": false, "agents": {"x": {"description": "d"}}}'
    assert [f for f in lint(text) if f["code"].startswith("SCH")] == []
    older = lint(text, "--target", "opencode@1.18.20", code="SCH002")
    assert brief(older) == [("SCH002", 1, "warning"), ("SCH002", 1, "warning")]
    twins = lint('{"snapshot": true, "snapshots": false}', code="SCH003")
    assert len(twins) == 1 and "Retained legacy value" in twins[0]["message"]
    dropped = lint('{"providers": {}}', code="SCH002")
    assert len(dropped) == 1 and "V2" in dropped[0]["message"]


def test_env_references_are_fine_in_a_project_config(lint):
    text = '{"provider": {"acme": {"options": {"apiKey": "{env:ACME_API_KEY}", "baseURL": "https://api.acme.dev/v1"}}}}'
    assert [f for f in lint(text) if f["code"].startswith("SEC")] == []


def test_a_data_file_sharing_the_name_is_not_a_config():
    data = {"id": "acme", "name": "Acme", "npm": "@ai-sdk/openai-compatible", "api": "https://x", "models": {}}
    assert OPENCODE.foreign_content(data).endswith("is an opencode setting")
    assert OPENCODE.foreign_content({**data, "model": "acme/m"}) is None
    assert OPENCODE.foreign_content({**data, "web_search": True}) is None  # a Kilo config misnamed: linted


def test_plugins_with_options_merge_without_error():
    """`plugin` entries may be `[name, options]` (corpus); concatenated and de-duplicated across layers."""
    low = doc("/r/opencode.json", '{"plugin": ["a", ["b", {"x": 1}]]}')
    high = doc("/r/.opencode/opencode.json", '{"plugin": [["b", {"x": 1}], "c"]}')
    assert OPENCODE.merge([low, high]).data["plugin"] == ["a", ["b", {"x": 1}], "c"]


def test_mcp_entry_of_an_unknown_type_stops_opencode(lint):
    text = '{"mcp": {"ctx": {"type": "http", "url": "https://mcp.example.com"}, "off": {"enabled": false}}}'
    found = lint(text, code="SCH001")
    assert brief(found) == [("SCH001", 1, "error")] and "refuses to start" in found[0]["message"]


def test_v2_mcp_servers_are_lowered_not_refused(lint):
    text = '{"mcp": {"servers": {"c7": {"type": "remote", "url": "https://mcp.context7.com/mcp"}}, ' \
           '"timeout": {"catalog": 5000, "execution": 5000}}}'
    assert lint(text, code="SCH001") == []
    assert len(lint(text, "--target", "opencode@1.18.20", code="SCH001")) == 2
    assert len(lint('{"permissions": {}, "mcp": {"servers": {}}}', code="SCH001")) == 1  # permissions still fatal


def test_file_references_outside_the_folder_are_info_and_fine_in_a_global_config(lint):
    """F4 (corpus wild 006, extra 242): a `~/` or absolute `{file:}` names the user's own file on purpose
    (a secret in the home directory, the deployed copy of a dotfiles repository): no finding. A relative path
    that climbs out of the project is an info, except in a global config."""
    assert lint('{"agent": {"review": {"prompt": "{file:~/prompts/review.md}"}}}', code="SEC002") == []
    text = '{"agent": {"review": {"prompt": "{file:../../prompts/review.md}"}}}'
    assert brief(lint(text, code="SEC002")) == [("SEC002", 1, "info")]
    assert lint(text, where="dotfiles/.config/opencode/opencode.json", code="SEC002") == []


def test_file_references_from_a_dot_opencode_folder_resolve_against_the_project(lint):
    """F4 (corpus extra 103): `.opencode/opencode.json` reading `{file:../commands/plan.md}` reads the
    project's own `commands/plan.md`: nothing outside the project."""
    text = '{"command": {"plan": {"template": "{file:../commands/plan.md}"}}}'
    assert lint(text, where=".opencode/opencode.json", code="SEC002") == []
    outside = lint('{"command": {"plan": {"template": "{file:../../x.md}"}}}', where=".opencode/opencode.json",
                   code="SEC002")
    assert brief(outside) == [("SEC002", 1, "info")] and "outside the project folder" in outside[0]["message"]


def test_skills_as_a_list_is_v2_lowered_only_from_1_18_33(lint):
    text = '{"skills": ["./skills"]}'
    assert lint(text, code="SCH001") == []
    older = lint(text, "--target", "opencode@1.18.20", code="SCH001")
    assert brief(older) == [("SCH001", 1, "error")] and "refuses to start" in older[0]["message"]
    assert lint('{"skills": {"paths": ["./skills"]}}', "--target", "opencode@1.18.20", code="SCH001") == []
