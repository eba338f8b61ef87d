"""Kilo harness facts end to end, each on a config modelled on a real pattern (corpus kilo/*).

Facts from Kilo CLI 7.7.9's own code (`@kilocode/cli-linux-x64@7.7.9`, read by
`tools/extract/kilo.py`): TUI keys are deprecated, not unknown; a project config is
refused for any `{env:}`; MCP servers with references in their headers are skipped; MCP
entries must be `local`/`remote` (or carry a boolean `enabled`); Kilo Gateway limits come
from the Kilo API; Kilo drops a model for its status only through its own catalog entry.
"""

from __future__ import annotations

import json

import pytest

from cfglint.core.document import Document
from cfglint.harnesses import harness_for
from cfglint.core.text import SourceText

KILO = harness_for("kilo")


@pytest.fixture
def lint(cli, write):
    """Findings (JSON) for one file written at `where` (a project config unless said otherwise)."""

    def run(text: str, *args: str, where: str = "project/kilo.jsonc", code: str | None = None):
        path = write(where, text)
        result = cli("check", "--no-cache", "--output-format", "json", *args, str(path))
        assert result.exit_code in (0, 1), result.stderr
        return [f for f in json.loads(result.stdout) if code is None or f["code"] == code]

    return run


def brief(findings):
    return [(f["code"], f["line"], f["severity"]) for f in findings]


# --- TUI keys (corpus kilo/019) -------------------------------------------------------------------


def test_tui_keys_are_deprecated_not_unknown(lint):
    text = '{\n  "theme": "rosepine",\n  "keybinds": {"leader": "ctrl+b"},\n  "tui": {"scroll_speed": 3}\n}\n'
    found = [f for f in lint(text) if f["code"].startswith("SCH")]
    assert brief(found) == [("SCH003", 2, "warning"), ("SCH003", 3, "warning"), ("SCH003", 4, "warning")]
    assert "tui.json" in found[0]["message"] and found[0]["fix"] == "move it to `tui.json`"
    assert [f for f in lint('{"thme": "rosepine"}') if f["code"] == "SCH002"][0]["severity"] == "error"


# --- `{env:}` in project config (corpus kilo/014, 019, 032) ---------------------------------------

PROJECT_WITH_ENV = """{
  "model": "{env:OPENCODE_MODEL}",
  // "small_model": "{env:COMMENTED_OUT}",
  /* "username": "{env:IN_A_BLOCK_COMMENT}" */
  "mcp": {
    "context7": {
      "type": "remote",
      "url": "https://mcp.context7.com/mcp",
      "headers": {"CONTEXT7_API_KEY": "{env:CONTEXT7_API_KEY}"}
    },
    "github": {"type": "remote", "url": "https://api.githubcopilot.com/mcp/", "headers": {"X-Plain": "yes"}}
  }
}
"""


def test_env_reference_in_a_project_config_rejects_the_file_and_skips_mcp_servers(lint):
    found = lint(PROJECT_WITH_ENV, code="SEC003")
    assert brief(found) == [("SEC003", 2, "error"), ("SEC003", 9, "warning")]
    rejected, skipped = found
    assert "environment references are not allowed in project config" in rejected["message"]
    assert "{env:OPENCODE_MODEL}" in rejected["message"] and "more" not in rejected["message"]
    assert (rejected["column"], rejected["end_column"]) == (13, 13 + len("{env:OPENCODE_MODEL}"))
    assert "Kilo skips MCP server `context7`" in skipped["message"]
    assert "global config" in rejected["fix"] and "global config" in skipped["fix"]


def test_only_the_mcp_header_reference_skips_the_server_and_keeps_the_file(lint):
    """kilo/003: the header reference drops the server; nothing else is left, so Kilo loads the file."""
    text = '{"mcp": {"zread": {"type": "remote", "url": "https://x.example.com/mcp",\n' \
           '  "headers": {"Authorization": "Bearer {env:ZHIPU_API_KEY}"}}}}'
    assert brief(lint(text, code="SEC003")) == [("SEC003", 2, "warning")]


def test_env_references_are_allowed_in_the_global_config(lint):
    for where in (".config/kilo/kilo.jsonc", "dotfiles/dot_config/opencode/opencode.jsonc"):
        # an `opencode.jsonc` outside Kilo's places is upstream opencode's unless --dialect kilo
        assert lint(PROJECT_WITH_ENV, "--dialect", "kilo", where=where, code="SEC003") == []


def test_blocked_variables_are_refused_in_the_global_config_in_any_case(lint):
    text = '{"provider": {"a": {"options": {"apiKey": "{env:kilo_browser_broker_token}"}}}}'
    found = lint(text, where=".config/kilo/kilo.jsonc", code="SEC003")
    assert brief(found) == [("SEC003", 1, "error")] and "blocked environment reference" in found[0]["message"]


@pytest.mark.parametrize(("path", "is_global"), [
    ("/home/u/.config/kilo/kilo.jsonc", True),
    ("/repo/dot_config/opencode/opencode.jsonc", True),
    ("/repo/dotfiles/opencode/opencode.jsonc", True),
    ("/repo/kilo.jsonc", False),
    ("/repo/.kilo/kilo.jsonc", False),
    ("/repo/config/kilo.jsonc", False),
])
def test_is_global_config_by_path(path, is_global):
    source = SourceText('{"model": "anthropic/claude-sonnet-4-5"}')
    doc = Document(path, path, source, KILO.parse(source, {}), "kilo")
    assert KILO.is_global_config(doc) is is_global


def with_instructions(instructions: list[str]) -> str:
    """PROJECT_WITH_ENV, with an `instructions` line first when given (one line lower then)."""
    if not instructions:
        return PROJECT_WITH_ENV
    return PROJECT_WITH_ENV.replace("{\n", "{\n  \"instructions\": " + json.dumps(instructions) + ",\n", 1)


@pytest.mark.parametrize(("where", "siblings", "instructions"), [
    ("dot_config/opencode_home/opencode.jsonc", (), []),            # chezmoi profiles (extra kilo/241, 242)
    ("private_dot_config/kilo-work/kilo.jsonc", (), []),
    ("profiles/default/opencode.jsonc", ("agent/a.md", "package.json"), []),
    ("ocp/default/opencode.jsonc", (), ["~/.config/ocp/default/INSTRUCTIONS.md"]),  # extra kilo/193
])
def test_global_config_profiles_in_dotfile_repos(lint, write, where, siblings, instructions):
    """Kilo's checker accepts these folders as global config: `{env:}` is allowed there (no SEC003)."""
    folder = where.rpartition("/")[0]
    for sibling in siblings:
        write(f"{folder}/{sibling}", "{}")
    assert lint(with_instructions(instructions), "--dialect", "kilo", where=where, code="SEC003") == []


@pytest.mark.parametrize(("where", "siblings", "instructions"), [
    ("opencode_work/opencode.jsonc", (), []),                        # not below a ~/.config folder
    ("dot_config/work/opencode.jsonc", (), []),
    ("app/opencode.jsonc", ("package.json",), []),                   # one sibling: an ordinary project
    ("app/opencode.jsonc", (), ["~/.config/opencode/AGENTS.md"]),   # names another folder
])
def test_project_configs_stay_projects(lint, write, where, siblings, instructions):
    folder = where.rpartition("/")[0]
    for sibling in siblings:
        write(f"{folder}/{sibling}", "{}")
    found = lint(with_instructions(instructions), "--dialect", "kilo", where=where, code="SEC003")
    assert brief(found) == [("SEC003", 3 if instructions else 2, "error"), ("SEC003", 10 if instructions else 9, "warning")]


def test_model_reference_written_with_env_is_not_a_dangling_reference(lint):
    assert lint('{"model": "{env:OPENCODE_MODEL}"}', where=".config/kilo/kilo.jsonc", code="SCH004") == []
    assert brief(lint('{"model": "claude-sonnet-4-5"}', code="SCH004")) == [("SCH004", 1, "error")]


# --- MCP entries --------------------------------------------------------------------------------------


def test_mcp_entry_of_an_unknown_type_rejects_the_file(lint):
    text = """{"mcp": {
  "api": {"type": "http", "url": "https://mcp.example.com"},
  "off": {"type": "http", "url": "https://mcp.example.com", "enabled": false},
  "web": {"type": "remote", "url": "https://mcp.example.com"},
  "cli": {"type": "local", "command": ["npx", "-y", "some-mcp"]}
}}"""
    found = lint(text, code="SCH001")
    assert brief(found) == [("SCH001", 2, "error")]
    assert "'http'" in found[0]["message"] and "rejects the whole file" in found[0]["message"]


# --- limits Kilo gets at run time (corpus kilo/023, 045, 052, 080) ------------------------------------


def test_kilo_gateway_model_is_neither_untracked_nor_unknown(lint):
    found = lint('{"model": "kilo/stealth/ox-alpha"}')
    assert [f for f in found if f["code"] in ("CMP002", "REG001")] == []


def test_catalog_provider_model_newer_than_the_snapshot_is_unknown_not_untracked(lint):
    found = lint('{"model": "openai/gpt-9.9-preview"}')
    assert [f["code"] for f in found if f["code"] in ("CMP002", "REG001")] == ["REG001"]


def test_model_defined_without_limit_is_untracked_even_on_a_catalog_provider(lint):
    """kilo/052: local LM Studio models under the models.dev id `lmstudio`."""
    text = '{"provider": {"lmstudio": {"options": {"baseURL": "http://127.0.0.1:1234/v1"},\n' \
           '  "models": {"nextcoder-14b": {"name": "nextcoder-14b (local)"}}}}}'
    assert brief(lint(text, code="CMP002")) == [("CMP002", 2, "warning")]


# --- the registry: only Kilo's own catalog entry, only this endpoint's limits ----------------------------


def test_retired_status_of_a_bare_model_id_elsewhere_is_not_kilos(lint):
    """kilo/053: a litellm provider defines the model; Kilo never drops it."""
    custom = '{"provider": {"proxy": {"options": {"baseURL": "http://localhost:4000/v1"},\n' \
             '  "models": {"claude-3-7-sonnet-20250219": {"limit": {"context": 200000, "output": 8192}}}}}}'
    assert lint(custom, code="REG005") == []
    # deprecated in Kilo 7.7.9's bundled catalog (claude-3-7-sonnet is still active there)
    assert brief(lint('{"model": "openai/gpt-4-turbo"}', code="REG005")) == [("REG005", 1, "error")]
    assert lint('{"model": "anthropic/claude-3-7-sonnet-20250219"}', code="REG005") == []


def test_output_limit_of_another_host_is_never_compared(lint):
    """kilo/085: a self-hosted vLLM serves the model with its own limits."""
    model = '{"limit": {"context": 128000, "output": 64000}}'
    vllm = f'{{"provider": {{"vllm": {{"options": {{"baseURL": "http://vllm:8000/v1"}}, "models": {{"gpt-4o": {model}}}}}}}}}'
    assert lint(vllm, code="CMP005") == []
    openai = f'{{"provider": {{"openai": {{"models": {{"gpt-4o": {model}}}}}}}}}'
    # provider `openai`: the built-in Codex plugin sends no max_tokens at all (errata 5.3)
    assert lint(openai, code="CMP005") == []
    # without the built-in plugins, openai/gpt-4o (accepts 16,384) gets Kilo's 32,000 on both paths
    found = lint(openai, "--env", "KILO_DISABLE_DEFAULT_PLUGINS=1", code="CMP005")
    assert sorted(f["details"]["path"] for f in found) == ["compaction", "normal"]


def test_output_clamp_is_one_info_per_file(lint):
    text = """{"provider": {"acme": {"options": {"baseURL": "http://localhost:8000/v1"}, "models": {
  "big": {"limit": {"context": 400000, "output": 128000}},
  "bigger": {"limit": {"context": 400000, "output": 262144}},
  "small": {"limit": {"context": 128000, "output": 16000}}
}}}}"""
    found = lint(text, code="CMP004")
    assert brief(found) == [("CMP004", 2, "info")]
    assert "acme/bigger" in found[0]["message"] and found[0]["details"]["models"] == ["acme/big", "acme/bigger"]
    small = '{"provider": {"acme": {"options": {"baseURL": "http://localhost:8000/v1"}, "models": {\n' \
            '  "small": {"limit": {"context": 128000, "output": 16000}}}}}}'
    assert lint(small, code="CMP004") == []


def test_nothing_is_refused_in_a_directory_kilo_does_not_read(lint):
    """kilo/050: Kilo 7.7.9 reads `.kilo/` and `.kilocode/`, not `.opencode/` (ConfigPaths.directories)."""
    text = '{"mcp": {"linear": {"type": "remote", "url": "https://mcp.linear.app/mcp",\n' \
           '  "headers": {"Authorization": "Bearer {env:LINEAR_API_KEY}"}}},\n "prompt": "{file:./missing.md}"}'
    assert [f for f in lint(text, "--dialect", "kilo", where="project/.opencode/opencode.jsonc")
            if f["code"] in ("SEC003", "SCH004")] == []
    assert [f["code"] for f in lint(text, where="project/.kilo/kilo.jsonc") if f["code"] == "SEC003"] == ["SEC003"]


def test_missing_file_reference_rejects_the_file(lint, write):
    """kilo/010: `{file:./prompts/plan.md}` beside the config; Kilo: "bad file reference"."""
    text = '{"agent": {"plan": {"prompt": "{file:./prompts/plan.md}"},\n' \
           '  "build": {"prompt": "{file:./prompts/build.md}"}}}'
    found = lint(text, code="SCH004")
    assert brief(found) == [("SCH004", 1, "error")] and "and 1 more" in found[0]["message"]
    write("project/prompts/plan.md", "Plan carefully.")
    write("project/prompts/build.md", "Build it.")
    assert lint(text, code="SCH004") == []
