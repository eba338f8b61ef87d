"""SEC rules: plaintext secrets, Kilo `{file:}` escapes and blocked `{env:}` references, plain-http base URLs.

Every rule fires on a realistic config of each dialect it covers and stays quiet on the fixed form. No
credential may reach any output: the messages (before the CLI's scrubbing), every output format and
`--show-source` are checked.
"""

from __future__ import annotations

import json

import pytest

from cfglint.rules.context import RunOptions
from cfglint.engine.discover import discover
from cfglint.engine.check import run
from cfglint.report import FORMATS
from cfglint.core.secrets import is_credential_variable, is_placeholder, literal_credential

SECRET = "sk-live-0123456789abcdefghij"  # 28 characters


def run_json(cli, *args):
    result = cli("check", "--output-format", "json", "--select", "SEC", *args)
    return result, json.loads(result.stdout or "[]")


def where(items):
    return [(f["code"], f["line"], f["column"]) for f in items]


def codes(items):
    return [f["code"] for f in items]


# --- SEC001 plaintext-secret ---------------------------------------------------------------------------

KIMI_CODE = f"""default_model = "glm"

[providers.zhipu]
type = "openai"
base_url = "https://open.bigmodel.cn/api/paas/v4"
api_key = "{SECRET}"

[models.glm]
provider = "zhipu"
model = "glm-5.2"
max_context_size = 200000
"""


def test_kimi_code_api_key_is_reported_at_the_value_without_the_value(cli, write):
    result, items = run_json(cli, str(write(".kimi-code/config.toml", KIMI_CODE)))
    assert where(items) == [("SEC001", 6, 11)]
    finding = items[0]
    assert finding["severity"] == "error" and finding["end_column"] == 11 + len(SECRET) + 2
    assert "`providers.zhipu.api_key`" in finding["message"] and "Kimi Code" in finding["message"]
    assert "'sk-l…' (28 chars)" in finding["message"]
    assert "/login" in finding["fix"] and "[providers.x.env]" in finding["fix"]
    assert finding["details"] == {"key": "providers.zhipu.api_key", "length": 28}
    assert result.exit_code == 1


def test_kimi_headers_env_fallbacks_and_services_are_credentials(cli, write):
    text = f"""[providers.zhipu]
type = "openai"
base_url = "https://open.bigmodel.cn/api/paas/v4"
api_key = ""
custom_headers = {{ Authorization = "Bearer {SECRET}", X-Trace = "abcdefghijklmnopqrstuvwxyz" }}

[providers.zhipu.env]
OPENAI_API_KEY = "{SECRET}"
KIMI_MODEL_MAX_COMPLETION_TOKENS = "131072"

[services.moonshot_search]
base_url = "https://api.moonshot.cn/v1/search"
api_key = "{SECRET}"
"""
    _, items = run_json(cli, str(write(".kimi-code/config.toml", text)))
    assert where(items) == [("SEC001", 5, 36), ("SEC001", 8, 18), ("SEC001", 13, 11)]
    assert "custom_headers.Authorization" in items[0]["message"]
    assert "'sk-l…' (28 chars)" in items[0]["message"]  # the `Bearer ` scheme is not part of the secret


def test_kimi_cli_fix_names_the_shell_variables_it_reads(cli, write):
    text = f'[providers.kimi]\ntype = "kimi"\nbase_url = "https://api.moonshot.cn/v1"\napi_key = "{SECRET}"\n'
    _, items = run_json(cli, str(write(".kimi/config.toml", text)))
    assert where(items) == [("SEC001", 4, 11)]
    assert items[0]["message"].startswith("kimi-cli: `providers.kimi.api_key`")
    assert "KIMI_API_KEY" in items[0]["fix"]


def test_kimi_references_and_placeholders_are_quiet(cli, write):
    # Kimi sends `${X}` literally, but it is still no secret in the file.
    text = """[providers.a]
type = "openai"
base_url = "https://example.com/v1"
api_key = "${ZHIPU_API_KEY}"
custom_headers = { Authorization = "Bearer <token>" }

[providers.a.env]
OPENAI_API_KEY = "YOUR_API_KEY"
"""
    _, items = run_json(cli, str(write(".kimi-code/config.toml", text)))
    assert items == []


KILO = f"""{{
  "$schema": "https://app.kilo.ai/config.json",
  "provider": {{
    "zhipu": {{
      "npm": "@ai-sdk/openai-compatible",
      "options": {{
        "baseURL": "https://open.bigmodel.cn/api/paas/v4",
        "apiKey": "{SECRET}",
        "headers": {{"x-api-key": "{SECRET}"}}
      }},
      "models": {{"glm-5.2": {{"headers": {{"Authorization": "Bearer {SECRET}"}}}}}}
    }}
  }}
}}
"""


def test_kilo_api_key_and_auth_headers_are_reported(cli, write):
    """In the global config the fix is an `{env:}` reference, which Kilo substitutes there."""
    _, items = run_json(cli, str(write("home/.config/kilo/kilo.jsonc", KILO)))
    assert where(items) == [("SEC001", 8, 19), ("SEC001", 9, 34), ("SEC001", 11, 59)]
    assert "`provider.zhipu.options.apiKey`" in items[0]["message"]
    assert '`"{env:ZHIPU_API_KEY}"`' in items[0]["fix"]
    assert '`"Bearer {env:ZHIPU_API_KEY}"`' in items[2]["fix"]


def test_kilo_fix_in_a_project_config_never_advises_an_env_reference_there(cli, write):
    """Kilo 7.7.9 refuses a project config containing `{env:...}` ("environment references are not
    allowed in project config"): the fix moves the key to `kilo auth login` or the global config."""
    _, items = run_json(cli, str(write("proj/kilo.jsonc", KILO)))
    assert [item["code"] for item in items] == ["SEC001"] * 3
    for item in items:
        assert "kilo auth login" in item["fix"] and "global config `~/.config/kilo/kilo.jsonc`" in item["fix"]
        assert item["fix"].startswith("move it out of this project file")


def test_kilo_env_and_file_references_are_quiet_even_with_the_value_given(cli, write):
    text = """{
  "provider": {
    "zhipu": {
      "options": {
        "apiKey": "{env:ZHIPU_API_KEY}",
        "headers": {"Authorization": "Bearer {file:./.secrets/zhipu}"}
      }
    }
  }
}
"""
    path = str(write(".config/kilo/kilo.jsonc", text))  # global: Kilo refuses `{env:}` in a project config
    _, items = run_json(cli, path)
    assert items == []
    # With --env the parsed value is the real key: still no finding, and the key is printed nowhere.
    result, items = run_json(cli, "--env", f"ZHIPU_API_KEY={SECRET}", path)
    assert items == [] and SECRET not in result.stdout


def test_claude_code_env_credentials_are_reported(cli, write):
    text = f"""{{
  "env": {{
    "ANTHROPIC_AUTH_TOKEN": "{SECRET}",
    "GITHUB_TOKEN": "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    "CLAUDE_CODE_MAX_OUTPUT_TOKENS": "32000",
    "OPENAI_API_KEY": "${{OPENAI_API_KEY}}",
    "DB_PASSWORD": "changeme"
  }}
}}
"""
    _, items = run_json(cli, str(write(".claude/settings.json", text)))
    assert where(items) == [("SEC001", 3, 29), ("SEC001", 4, 21)]
    assert "`env.GITHUB_TOKEN`" in items[1]["message"] and "'ghp_…' (40 chars)" in items[1]["message"]
    assert "apiKeyHelper" in items[0]["fix"]


def test_hermes_api_keys_are_reported_in_model_auxiliary_and_custom_providers(cli, write):
    text = f"""model:
  default: glm-5.2
  base_url: https://open.bigmodel.cn/api/paas/v4
  api_key: {SECRET}
auxiliary:
  compression:
    model: glm-4.5-air
    api_key: "{SECRET}"
  vision:
    api_key: ""
custom_providers:
  - name: zhipu
    base_url: https://open.bigmodel.cn/api/paas/v4
    api_key: {SECRET}
"""
    _, items = run_json(cli, str(write(".hermes/config.yaml", text)))
    assert where(items) == [("SEC001", 4, 12), ("SEC001", 8, 14), ("SEC001", 14, 14)]
    assert "`custom_providers[0].api_key`" in items[2]["message"]
    assert "~/.hermes/.env" in items[0]["fix"]


@pytest.mark.parametrize("value", [
    "", "   ", "<your-api-key>", "YOUR_API_KEY", "your_zhipu_key", "xxxxxxxxxxxxxxxxxxxxxxxx", "XXX-KEY",
    "changeme", "CHANGE_ME", "sk-short", "sk-xxxxxxxxxxxxxxxxxxxxxxxx", "****************", "0000000000000000",
    "${ZHIPU_API_KEY}", "{env:ZHIPU_API_KEY}", "{file:~/.secrets/zhipu}", "Bearer {env:TOKEN}", "Bearer ",
    # dummy keys of real configs (local servers, templates): ../shared/corpus/wild, errata "Secrets"
    "ollama", "lm-studio", "dummy", "local", "none", "proxy-auth", "sk_live_dummy", "REPLACED_BY_ENV_VAR",
    "your-api-key-here", "kp-xxx", "not-needed", "sk-no-key-required", "Bearer dummy",
    # a known prefix, then only x's: documentation placeholders and hand-redacted keys
    "app-xxxxxxxxxxxxxxxxxxxxxxxx", "ark-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx-xxxxx", "sk-cp-" + "x" * 40,
    # words of one case, no digits: made up by hand for keyless proxies (../shared corpus, extra corpus)
    "claude-code", "local-dev-key", "sk_omniroute", "dont-worry-it-will-be-injected", "NOT_SET",
])
def test_placeholders_and_references_are_not_credentials(value):
    assert literal_credential(value) is None


@pytest.mark.parametrize("value,credential", [
    (SECRET, SECRET),
    ("sk-ant-api03-abcdefghijklmnopqr", "sk-ant-api03-abcdefghijklmnopqr"),
    ("Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc", "eyJhbGciOiJIUzI1NiJ9.e30.abc"),
    ("0123456789abcdef0123", "0123456789abcdef0123"),
])
def test_literal_credentials_are_recognised(value, credential):
    assert literal_credential(value) == credential


@pytest.mark.parametrize("value", [
    "sk-live-0123456789abcdefghij", "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5", "test-key-9f8e7d6c5b4a",
    "local-7Hq2mZp9Xv", "xox-" + "a1" * 12, "app-" + "x" * 10 + "9",
])
def test_a_random_part_makes_a_credential(value):
    """Dummy words or x's around a random part do not make a placeholder."""
    assert literal_credential(value) == value


def test_a_dummy_key_equal_to_the_provider_name_is_neither_reported_nor_masked(cli, write):
    """`"apiKey": "ollama"` on provider `ollama`: no SEC001, and the provider's name stays readable
    in what cfglint prints (the output scrub masks credential values only)."""
    path = write("proj/kilo.jsonc", """{
  "model": "ollama/qwen3-coder:30b",
  "provider": {"ollama": {"npm": "@ai-sdk/openai-compatible",
                          "options": {"baseURL": "http://localhost:11434/v1", "apiKey": "ollama"},
                          "models": {"qwen3-coder:30b": {}}}}
}
""")
    _, items = run_json(cli, str(path))
    assert "SEC001" not in [item["code"] for item in items]
    explained = cli("explain", str(path))
    assert "model `ollama/qwen3-coder:30b`" in explained.stdout and "redacted" not in explained.stdout


def test_is_placeholder_covers_the_rules_md_list():
    assert is_placeholder("sk-" + "a" * 16) and not is_placeholder("sk-" + "ab" * 9)  # 19 vs 21 characters


@pytest.mark.parametrize("name,expected", [
    ("OPENAI_API_KEY", True), ("ANTHROPIC_AUTH_TOKEN", True), ("GITHUB_TOKEN", True), ("VAULT_SECRET", True),
    ("DB_PASSWORD", True), ("AWS_SECRET_ACCESS_KEY", True), ("CLAUDE_CODE_MAX_OUTPUT_TOKENS", False),
    ("OPENAI_BASE_URL", False), ("TOKENIZER", False),
])
def test_credential_variable_names(name, expected):
    assert is_credential_variable(name) is expected


# --- secrets never appear in any output --------------------------------------------------------------------

def _leaky_files(write):
    return [
        write("proj/.kimi-code/config.toml", KIMI_CODE),
        write("proj/kilo.jsonc", KILO),
        write("proj/.claude/settings.json", f'{{"env": {{"ANTHROPIC_API_KEY": "{SECRET}"}}}}\n'),
        write("proj/.hermes/config.yaml", f"model:\n  default: glm-5.2\n  api_key: {SECRET}\n"),
    ]


def test_rule_messages_carry_no_secret_before_any_scrubbing(write, tmp_path):
    _leaky_files(write)
    result = run(discover([str(tmp_path / "proj")], dialect=None, homes={}), RunOptions())
    sec = [f for f in result.findings if f.code == "SEC001"]
    assert len(sec) == 6
    for finding in sec:
        assert SECRET not in finding.message + (finding.fix or "") + json.dumps(finding.details)


@pytest.mark.parametrize("output_format", FORMATS)
def test_no_output_format_prints_a_secret(cli, write, tmp_path, output_format):
    _leaky_files(write)
    result = cli("check", "--output-format", output_format, str(tmp_path / "proj"))
    assert result.exit_code == 1 and "SEC001" in result.stdout
    printed = result.stdout
    if output_format == "sarif":  # the rule help quotes SEC001's own example key: cfglint's text, not the file's
        sarif = json.loads(printed)
        for sarif_run in sarif["runs"]:
            sarif_run["tool"]["driver"]["rules"] = []
        printed = json.dumps(sarif)
    assert SECRET not in printed and SECRET not in result.stderr


def test_show_source_masks_the_secret_line(cli, write, tmp_path):
    _leaky_files(write)
    result = cli("check", "--select", "SEC", "--show-source", str(tmp_path / "proj"))
    assert "SEC001" in result.stdout and "'sk-l…' (28 chars)" in result.stdout
    assert SECRET not in result.stdout


# --- SEC002 file-reference-escape ----------------------------------------------------------------------------

def test_file_references_outside_the_project_root_are_reported(cli, write, tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    write("repo/prompts/review.md", "inside")
    outside = write("outside.txt", "TOPSECRET-CONTENT")
    text = """{
  "instructions": ["{file:../prompts/review.md}", "{file:../../outside.txt}"],
  "provider": {"zhipu": {"options": {"apiKey": "{file:~/.secrets/zhipu}"}}},
  "agent": {"build": {"prompt": "{file:%s}"}}
  // "username": "{file:/etc/hostname}"
}
""" % outside
    result, items = run_json(cli, str(write("repo/app/kilo.jsonc", text)))
    assert where(items) == [("SEC002", 2, 52), ("SEC002", 3, 49), ("SEC002", 4, 34)]
    assert items[0]["severity"] == "warning"
    assert "`{file:../../outside.txt}` resolves outside the project root" in items[0]["message"]
    assert "reads an absolute path" in items[1]["message"] and items[0]["end_column"] == 52 + len("{file:../../outside.txt}")
    assert "TOPSECRET-CONTENT" not in result.stdout  # the target is never read
    assert result.exit_code == 0


def test_file_references_inside_the_project_are_quiet(cli, write, tmp_path):
    # No .git: the project root is the directory the config belongs to (the parent of `.kilo/`).
    text = '{"instructions": ["{file:../AGENTS.md}", "{file:./prompts/x.md}", "{file:../docs/../AGENTS.md}"]}'
    _, items = run_json(cli, str(write("app/.kilo/kilo.jsonc", text)))
    assert items == []
    _, items = run_json(cli, str(write("app/kilo.jsonc", '{"instructions": ["{file:../shared.md}"]}')))
    assert where(items) == [("SEC002", 1, 20)]


def test_global_kilo_config_may_read_anywhere(cli, write):
    text = '{"provider": {"zhipu": {"options": {"apiKey": "{file:~/.secrets/zhipu}"}}}}'
    _, items = run_json(cli, str(write(".config/kilo/kilo.jsonc", text)))
    assert items == []


# --- SEC003 blocked-env-reference ---------------------------------------------------------------------------

def test_blocked_env_references_are_errors_except_on_comment_lines(cli, write):
    text = """{
  "provider": {"local": {"options": {"apiKey": "{env:KILO_SERVER_PASSWORD}"}}},
  /* "username": "{env:KILO_SERVER_USERNAME}" */
  // "username": "{env:KILO_SERVER_USERNAME}"
  "username": "{env:USER}"
}
"""
    path = str(write(".config/kilo/kilo.jsonc", text))  # global: a project config is refused for any `{env:}`
    result, items = run_json(cli, path)
    assert where(items) == [("SEC003", 2, 49), ("SEC003", 3, 19)]
    assert items[0]["end_column"] == 49 + len("{env:KILO_SERVER_PASSWORD}")
    assert "blocked environment reference" in items[0]["message"] and items[0]["severity"] == "error"
    assert result.exit_code == 1
    # A value given on the command line is never substituted nor printed.
    result, items = run_json(cli, "--env", "KILO_SERVER_PASSWORD=hunter2-hunter2", path)
    assert codes(items) == ["SEC003", "SEC003"] and "hunter2" not in result.stdout


def test_ordinary_env_references_are_quiet(cli, write):
    text = '{"provider": {"a": {"options": {"apiKey": "{env:A_KEY}"}}}}'
    _, items = run_json(cli, str(write(".config/kilo/kilo.jsonc", text)))  # global config
    assert items == []


# --- SEC004 insecure-base-url --------------------------------------------------------------------------------

@pytest.mark.parametrize("url,fires", [
    ("http://10.0.0.5:8000/v1", True),
    ("http://192.168.1.20/v1", True),  # private ranges are reported: only loopback is exempt
    ("HTTP://gateway.example.com/v1", True),
    ("https://gateway.example.com/v1", False),
    ("http://localhost:11434/v1", False),
    ("http://127.0.0.53:8080/v1", False),
    ("http://[::1]:8000/v1", False),
])
def test_kimi_base_url(cli, write, url, fires):
    text = f'[providers.lan]\ntype = "openai"\nbase_url = "{url}"\napi_key = "${{LAN_KEY}}"\n'
    _, items = run_json(cli, str(write(".kimi-code/config.toml", text)))
    assert where(items) == ([("SEC004", 3, 12)] if fires else [])


def test_kimi_provider_without_a_key_sends_nothing(cli, write):
    text = '[providers.lan]\ntype = "openai"\nbase_url = "http://10.0.0.5/v1"\napi_key = ""\n'
    _, items = run_json(cli, str(write(".kimi-code/config.toml", text)))
    assert items == []


@pytest.mark.parametrize("key", ["local", "ollama", "sk-no-key-required"])
def test_a_placeholder_key_sent_over_http_is_no_credential(cli, write, key):
    """A LAN vLLM/Ollama given a dummy key: nothing secret travels in clear (no SEC004)."""
    text = f'[providers.lan]\ntype = "openai"\nbase_url = "http://10.0.0.5/v1"\napi_key = "{key}"\n'
    _, items = run_json(cli, str(write(".kimi-code/config.toml", text)))
    assert items == []


def test_kimi_env_base_url_fallback_counts_when_base_url_is_unset(cli, write):
    text = ('[providers.lan]\ntype = "openai"\n\n[providers.lan.env]\nOPENAI_BASE_URL = "http://10.0.0.5/v1"\n'
            'OPENAI_API_KEY = "${LAN_KEY}"\n')
    _, items = run_json(cli, str(write(".kimi-code/config.toml", text)))
    assert where(items) == [("SEC004", 5, 19)]
    assert "provider `lan` sends its API key" in items[0]["message"] and "10.0.0.5" in items[0]["message"]


def test_kilo_base_urls_on_providers_with_a_key(cli, write):
    text = """{
  "provider": {
    "lan": {"options": {"apiKey": "{env:LAN_KEY}", "baseURL": "http://10.0.0.5:8000/v1"}},
    "gw": {"env": ["GW_API_KEY"], "api": "http://gw.internal/v1"},
    "ollama": {"options": {"baseURL": "http://192.168.1.9:11434/v1"}},
    "local": {"options": {"apiKey": "{env:LOCAL_KEY}", "baseURL": "http://127.0.0.1:1234/v1"}},
    "zhipu": {"options": {"apiKey": "{env:ZHIPU_API_KEY}", "baseURL": "https://open.bigmodel.cn/api/paas/v4"}}
  }
}
"""
    _, items = run_json(cli, str(write(".config/kilo/kilo.jsonc", text)))  # global: `{env:}` allowed
    assert where(items) == [("SEC004", 3, 63), ("SEC004", 4, 42)]
    assert items[0]["severity"] == "warning" and items[0]["details"] == {"host": "10.0.0.5"}


def test_claude_base_url_is_reported_whenever_plain_http(cli, write):
    text = '{\n  "env": {\n    "ANTHROPIC_BASE_URL": "http://gateway.example.com:8080"\n  }\n}\n'
    _, items = run_json(cli, str(write(".claude/settings.json", text)))
    assert where(items) == [("SEC004", 3, 27)]
    assert "gateway.example.com" in items[0]["message"] and "https://" in items[0]["fix"]
    for fixed in ("https://gateway.example.com", "http://localhost:4000"):
        text = '{"env": {"ANTHROPIC_BASE_URL": "%s"}}' % fixed
        _, items = run_json(cli, str(write(".claude/settings.json", text)))
        assert items == []


def test_hermes_base_urls(cli, write):
    text = """model:
  default: glm-5.2
  base_url: http://10.0.0.5:8000/v1
  api_key: ${LAN_KEY}
auxiliary:
  compression:
    base_url: http://10.0.0.6/v1
custom_providers:
  - name: lan
    base_url: http://10.0.0.7/v1
    api_key: "{env:LAN_KEY}"
  - name: local
    base_url: http://localhost:8080/v1
    api_key: ${LOCAL_KEY}
"""
    _, items = run_json(cli, str(write(".hermes/config.yaml", text)))
    assert where(items) == [("SEC004", 3, 13), ("SEC004", 10, 15)]
    assert "custom provider `lan`" in items[1]["message"]


def test_url_userinfo_is_never_printed(cli, write):
    text = '{"env": {"ANTHROPIC_BASE_URL": "http://user:pa55word-pa55word@gateway.example.com/v1"}}'
    result, items = run_json(cli, str(write(".claude/settings.json", text)))
    assert codes(items) == ["SEC004"] and "pa55word" not in result.stdout


# --- documentation ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["SEC001", "SEC002", "SEC003", "SEC004"])
def test_rules_are_documented(cli, code):
    result = cli("rule", code)
    assert result.exit_code == 0
    for heading in ("## What it checks", "## Why it matters", "## Example", "## Fix"):
        assert heading in result.stdout
