"""REG, CMP and ENV rules end to end: each fires on a config that should, and stays quiet on its fix."""

from __future__ import annotations

import json

import pytest

from samples import GLM_5_2

GLM = GLM_5_2

FILES = {"kimi-code": ".kimi-code/config.toml", "kimi-cli": ".kimi/config.toml", "kilo": "kilo.jsonc",
         "claude-code": ".claude/settings.json", "hermes": ".hermes/config.yaml"}


@pytest.fixture
def lint(cli, write):
    def run(dialect: str, text: str, *args: str, code: str | None = None):
        path = write(FILES[dialect], text)
        result = cli("check", "--output-format", "json", *args, str(path))
        assert result.exit_code in (0, 1), result.stderr
        items = json.loads(result.stdout)
        return [f for f in items if code is None or f["code"] == code]

    return run


# --- Kimi: the GLM-5.2 config of harness-kimi.md 5.4 -----------------------------------


def test_glm_newest_kimi_code_headroom_is_cmp001_at_the_reserve(lint):
    found = lint("kimi-code", GLM, code="CMP001")
    assert [(f["line"], f["column"], f["severity"]) for f in found] == [(13, 25, "warning")]
    msg = found[0]["message"]
    assert "Kimi Code 2.1.0" in msg and "950,000" in msg and "50,000" in msg and "131,072" in msg
    assert found[0]["details"]["trigger"]["value"] == 950000
    assert found[0]["details"]["headroom"]["value"] == 50000


def test_glm_with_room_has_no_cmp001(lint):
    assert lint("kimi-code", GLM.replace("= 50000", "= 200000"), code="CMP001") == []


def test_glm_on_0_16_0_ratio_ignored_and_compaction_asks_for_the_window(lint):
    found = lint("kimi-code", GLM, "--target", "kimi-code@0.16.0")
    cmp005 = [f for f in found if f["code"] == "CMP005"]
    assert len(cmp005) == 1 and cmp005[0]["severity"] == "error"
    assert cmp005[0]["details"]["path"] == "compaction"
    assert cmp005[0]["details"]["max_tokens"]["value"] == 1000000
    assert "1,000,000" in cmp005[0]["message"] and "131,072" in cmp005[0]["message"]
    assert "0.20.2" in cmp005[0]["fix"] and "KIMI_MODEL_MAX_COMPLETION_TOKENS=131072" in cmp005[0]["fix"]
    cmp004 = [f for f in found if f["code"] == "CMP004"]
    assert [(f["line"], f["column"]) for f in cmp004] == [(14, 28)]


def test_glm_on_0_16_0_with_the_env_workaround_has_no_cmp005(lint):
    found = lint("kimi-code", GLM, "--target", "kimi-code@0.16.0", "--env",
                 "KIMI_MODEL_MAX_COMPLETION_TOKENS=131072", code="CMP005")
    assert found == []


def test_output_above_model_limit_is_reg002(lint):
    found = lint("kimi-code", GLM.replace("max_output_size = 131072", "max_output_size = 200000"), code="REG002")
    assert [(f["line"], f["severity"]) for f in found] == [(10, "error")]
    assert "zhipuai/glm-5.2" in found[0]["message"] and "models.dev@f3fc692" in found[0]["message"]
    assert lint("kimi-code", GLM, code="REG002") == []


def test_window_above_model_context_is_reg003(lint):
    found = lint("kimi-code", GLM.replace("max_context_size = 1000000", "max_context_size = 2000000"), code="REG003")
    assert [(f["line"], f["severity"]) for f in found] == [(9, "error")]
    assert lint("kimi-code", GLM, code="REG003") == []


def test_window_above_model_context_with_the_trigger_below_it_is_no_reg003(lint):
    """Kimi Code compacts at ceil(1,048,576 x 0.85) = 891,290, below DeepSeek's 1,000,000: the
    larger window never reaches the provider."""
    text = ('default_model = "ds"\n[providers.ds]\ntype = "openai"\nbase_url = "https://api.deepseek.com"\n'
            'api_key = ""\n[models.ds]\nprovider = "ds"\nmodel = "deepseek-v4-pro"\nmax_context_size = 1048576\n'
            'max_output_size = 65536\n')
    assert lint("kimi-code", text, code="REG003") == []
    late = text + "[loop_control]\ncompaction_trigger_ratio = 0.99\nreserved_context_size = 1000\n"
    found = lint("kimi-code", late, code="REG003")
    assert [(f["line"], f["severity"]) for f in found] == [(9, "error")]
    assert "1,038,091" in found[0]["message"] and "1,000,000" in found[0]["message"]
    assert found[0]["details"]["trigger"]["value"] == 1038091


# A loopback proxy (Volcengine Ark behind 127.0.0.1): no registry provider is the host.
LOCAL_PROXY = """\
default_model = "ark/doubao"
[providers.ark]
type = "openai"
base_url = "http://127.0.0.1:8897/v1"
api_key = "local"
[models."ark/doubao"]
provider = "ark"
model = "doubao-seed-2-0-code-preview-260215"
max_context_size = 262144
"""


def test_output_limit_listed_only_by_other_hosts_is_not_compared(lint):
    """aihubmix caps the id at 128,000; the proxy's own cap is unknown, so Kimi Code's 131,072 is
    no CMP005 there (and a `Qwen/` prefix on an unlisted gateway names no host either)."""
    assert lint("kimi-code", LOCAL_PROXY, code="CMP005") == []
    gateway = LOCAL_PROXY.replace("http://127.0.0.1:8897/v1", "https://api.commandcode.ai/v1").replace(
        "doubao-seed-2-0-code-preview-260215", "Qwen/Qwen3.7-Max")
    assert lint("kimi-code", gateway, code="CMP005") == []
    first_party = gateway.replace("https://api.commandcode.ai/v1", "https://dashscope.aliyuncs.com/compatible-mode/v1")
    assert [f["severity"] for f in lint("kimi-code", first_party.replace("Qwen/Qwen3.7-Max", "qwen3.7-max"),
                                        code="CMP005")] == ["error", "error"]


def test_context_listed_only_by_other_hosts_is_a_warning(lint):
    text = LOCAL_PROXY.replace("262144", "2000000") + "[loop_control]\ncompaction_trigger_ratio = 0.99\n"
    found = lint("kimi-code", text, code="REG003")
    assert [f["severity"] for f in found] == ["warning"] and "matched under" in found[0]["message"]


def test_vendor_entry_through_a_gateway_is_a_hedged_warning(lint):
    """OpenRouter does not list kimi-k2.7-code-highspeed: Moonshot's own 262,144 is the vendor's
    number, not the gateway's, so no certain HTTP 400."""
    text = ('default_model = "m"\n[providers.or]\ntype = "openai"\nbase_url = "https://openrouter.ai/api/v1"\n'
            'api_key = ""\n[models.m]\nprovider = "or"\nmodel = "moonshotai/kimi-k2.7-code-highspeed"\n'
            'max_context_size = 262144\nmax_output_size = 300000\n')
    found = lint("kimi-code", text, code="REG002")
    assert [f["severity"] for f in found] == ["warning"]
    assert "a provider keeping that limit rejects" in found[0]["message"] and "vendor's entry" in found[0]["message"]


GPT5 = """\
default_model = "gpt5"
[providers.openai]
type = "openai"
base_url = "https://api.openai.com/v1"
api_key = ""
[models.gpt5]
provider = "openai"
model = "gpt-5"
max_context_size = 400000
max_input_size = {input}
max_output_size = 128000
"""


def test_input_above_model_limit_is_reg004(lint):
    found = lint("kimi-code", GPT5.format(input=300000), code="REG004")
    assert [(f["line"], f["severity"]) for f in found] == [(10, "warning")]
    assert lint("kimi-code", GPT5.format(input=272000), code="REG004") == []


def test_kimi_cli_reserve_at_or_above_window_compacts_every_step(lint):
    text = GLM.replace('type = "openai"', 'type = "kimi"').replace("max_output_size = 131072\n", "")
    found = lint("kimi-cli", text.replace("1000000", "32768"), code="CMP003")
    assert len(found) == 1 and found[0]["severity"] == "error"
    assert lint("kimi-cli", text, code="CMP003") == []


def test_budget_variable_in_provider_env_has_no_effect(lint):
    text = GLM.replace('api_key = ""\n', 'api_key = ""\n[providers.zhipu.env]\nKIMI_MODEL_MAX_COMPLETION_TOKENS = "131072"\n')
    found = lint("kimi-code", text, code="CMP004")
    assert [f["line"] for f in found] == [7]


def test_invalid_kimi_env_cap_is_env001(lint):
    found = lint("kimi-code", GLM, "--env", "KIMI_MODEL_MAX_COMPLETION_TOKENS=128k", code="ENV001")
    assert [(f["line"], f["column"], f["severity"]) for f in found] == [(1, 1, "error")]
    assert "--env" in found[0]["message"]
    found = lint("kimi-code", GLM, "--env", "KIMI_MODEL_MAX_COMPLETION_TOKENS=0", code="ENV001")
    assert [f["severity"] for f in found] == ["info"]
    assert lint("kimi-code", GLM, "--env", "KIMI_MODEL_MAX_COMPLETION_TOKENS=131072", code="ENV001") == []


# --- Kilo ------------------------------------------------------------------------------

ZHIPU = """{
  "model": "zhipu/glm-5.2",
  "provider": {
    "zhipu": {
      "npm": "@ai-sdk/openai-compatible",
      "options": { "baseURL": "https://open.bigmodel.cn/api/paas/v4" },
      "models": { "glm-5.2": { "name": "GLM-5.2"LIMIT } }
    }
  }
}
"""


def test_kilo_custom_model_without_limit_never_compacts(lint):
    found = lint("kilo", ZHIPU.replace("LIMIT", ""), code="CMP002")
    assert [(f["severity"], f["line"]) for f in found] == [("warning", 7)]
    assert lint("kilo", ZHIPU.replace("LIMIT", ', "limit": {"context": 1000000, "output": 131072}'),
                code="CMP002") == []


def test_kilo_auto_false_is_an_info(lint):
    text = '{"model": "anthropic/claude-sonnet-4-5", "compaction": {"auto": false}}'
    found = lint("kilo", text, code="CMP002")
    assert [f["severity"] for f in found] == ["info"]


def test_kilo_zero_output_small_context_compacts_every_step(lint):
    found = lint("kilo", ZHIPU.replace("LIMIT", ', "limit": {"context": 32000, "output": 0}'), code="CMP003")
    assert [f["severity"] for f in found] == ["error"]
    assert lint("kilo", ZHIPU.replace("LIMIT", ', "limit": {"context": 32000, "output": 8192}'),
                code="CMP003") == []


def test_kilo_sonnet_defaults_have_no_budget_errors(lint):
    found = lint("kilo", '{"model": "anthropic/claude-sonnet-4-5"}')
    assert [f for f in found if f["severity"] == "error"] == []


def test_kilo_catalog_window_is_not_compared_with_an_older_snapshot(lint):
    """Kilo 7.7.9's bundled catalog (newer models.dev) gives claude-sonnet-4-5 1,000,000, the
    registry 200,000: nothing written to correct, no REG003 (extra corpus kilo/259, 285)."""
    assert lint("kilo", '{"model": "anthropic/claude-sonnet-4-5"}', code="REG003") == []
    written = ('{"model": "anthropic/claude-sonnet-4-5", "provider": {"anthropic": {"models": '
               '{"claude-sonnet-4-5": {"limit": {"context": 1000000, "output": 64000}}}}}}')
    assert [f["severity"] for f in lint("kilo", written, code="REG003")] == ["error"]


def test_kilo_gpt5_context_override_keeps_catalog_input(lint):
    text = '{"model": "openai/gpt-5", "provider": {"openai": {"models": {"gpt-5": {"limit": {"context": 128000, "output": 8000}}}}}}'
    found = lint("kilo", text, code="CMP008")
    assert len(found) == 1 and "272,000" in found[0]["message"] and "264,000" in found[0]["message"]
    fixed = text.replace('"context": 128000', '"context": 128000, "input": 120000')
    assert lint("kilo", fixed, code="CMP008") == []


def test_kilo_deprecated_model_is_a_reg005_error(lint):
    found = lint("kilo", '{"model": "openai/gpt-4-turbo"}', code="REG005")  # deprecated in Kilo's catalog
    assert [f["severity"] for f in found] == ["error"]
    assert lint("kilo", '{"model": "anthropic/claude-sonnet-4-5"}', code="REG005") == []


def test_kilo_unknown_model_is_reg001_with_suggestions(lint):
    found = lint("kilo", '{"model": "anthropic/claude-sonet-4-5"}', code="REG001")
    assert len(found) == 1 and "claude-sonnet-4-5" in found[0]["message"]
    assert lint("kilo", '{"model": "anthropic/claude-sonnet-4-5"}', code="REG001") == []


@pytest.mark.parametrize("value", ["64k", "64000.5", "0", "-5", "1e400", "9" * 400, "+0x10", "1_000"])
def test_kilo_invalid_output_flag_is_env001(lint, value):
    """Kilo reads the flag as `Number(value)` and keeps it only when that is a positive integer."""
    found = lint("kilo", '{"model": "anthropic/claude-sonnet-4-5"}', "--env", f"KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX={value}",
                 code="ENV001")
    assert len(found) == 1 and "keeps max_tokens at 32,000" in found[0]["message"]


@pytest.mark.parametrize("value, tokens", [("6.4e4", 64_000), ("64000.0", 64_000), ("00064000", 64_000)])
def test_kilo_output_flag_takes_decimal_spellings(cli, write, value, tokens):
    """Kilo 7.7.9 reads the flag with Effect `Config.number` (`[+-]?\\d*\\.?\\d+(?:[Ee][+-]?\\d+)?`),
    then `Number.isInteger(A) && A > 0`: `6.4e4` and `64000.0` are 64,000 (tools/fidelity/kilo.py,
    measured against the binary's own code)."""
    path = write("kilo.jsonc", '{"model": "anthropic/claude-sonnet-4-5"}')
    result = cli("explain", "--no-env", "--format", "json", "--env", f"KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX={value}",
                 str(path))
    [item] = json.loads(result.stdout)
    [use] = item["environment"]
    assert use["problem"] is None and use["parsed"] == tokens
    assert item["numbers"]["max_tokens_normal"]["value"] == min(tokens, 64_000)  # claude-sonnet-4-5's output limit


@pytest.mark.parametrize("value, tokens", [("0x10000", 65_536), (" 64000 ", 64_000), ("0b1111101000000000", 64_000)])
def test_kilo_output_flag_spellings_only_number_reads(cli, write, value, tokens):
    """Hex, binary and padded values pass `Number()` (read before 7.7.9, `flag.ts`) but not
    7.7.9's `Config.number` pattern: 7.7.9 ignores them (ENV001), 7.7.8 takes them."""
    path = write("kilo.jsonc", '{"model": "anthropic/claude-sonnet-4-5"}')
    env = ("--env", f"KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX={value}")
    [item] = json.loads(cli("explain", "--no-env", "--format", "json", *env, str(path)).stdout)
    [use] = item["environment"]
    assert use["problem"] is not None
    assert item["numbers"]["max_tokens_normal"]["value"] == 32_000
    [older] = json.loads(cli("explain", "--no-env", "--format", "json", "--target", "kilo@7.7.8", *env,
                             str(path)).stdout)
    assert older["environment"][0]["problem"] is None and older["environment"][0]["parsed"] == tokens


# --- Claude Code -----------------------------------------------------------------------


def test_claude_sonnet_1m_window_has_no_reg003(lint):
    text = '{"model": "claude-sonnet-4-5[1m]", "env": {"CLAUDE_CODE_AUTO_COMPACT_WINDOW": "1000000"}}'
    found = lint("claude-code", text)
    assert [f for f in found if f["code"] == "REG003"] == []


def test_claude_third_party_without_window_on_2_1_168_never_compacts(lint):
    text = '{"model": "glm-5.2", "env": {"ANTHROPIC_BASE_URL": "https://open.bigmodel.cn/api/anthropic"}}'
    found = lint("claude-code", text, "--target", "claude-code@2.1.168", code="CMP002")
    assert [f["severity"] for f in found] == ["warning"]
    windowed = text.replace('"}}', '", "CLAUDE_CODE_AUTO_COMPACT_WINDOW": "200000"}}')
    assert lint("claude-code", windowed, "--target", "claude-code@2.1.168", code="CMP002") == []


def test_claude_window_with_suffix_is_env001_on_older_releases(lint):
    text = '{\n  "model": "claude-sonnet-4-6",\n  "env": {\n    "CLAUDE_CODE_AUTO_COMPACT_WINDOW": "500k"\n  }\n}\n'
    found = lint("claude-code", text, "--target", "claude-code@2.1.221", code="ENV001")
    assert [(f["line"], f["column"]) for f in found] == [(4, 40)]
    assert lint("claude-code", text, code="ENV001") == []


def test_claude_third_party_model_assumed_1m_is_reg003_on_2_1_329(lint):
    text = '{"model": "kimi-k2.5", "env": {"ANTHROPIC_BASE_URL": "https://api.moonshot.ai/anthropic"}}'
    found = lint("claude-code", text, code="REG003")
    assert len(found) == 1 and "1,000,000" in found[0]["message"] and "262,144" in found[0]["message"]
    windowed = text.replace('"}}', '", "CLAUDE_CODE_AUTO_COMPACT_WINDOW": "262144"}}')
    assert lint("claude-code", windowed, code="REG003") == []


def test_claude_output_suffix_is_env001(lint):
    text = '{"model": "claude-sonnet-4-6", "env": {"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "8k"}}'
    assert len(lint("claude-code", text, code="ENV001")) == 1
    assert lint("claude-code", text.replace("8k", "8000"), code="ENV001") == []


# --- Hermes ----------------------------------------------------------------------------

HERMES = """\
model:
  default: claude-sonnet-4-5
  provider: anthropic
compression:
  threshold: 0.5
"""


def test_hermes_low_threshold_is_raised_on_small_windows(lint):
    found = lint("hermes", HERMES, code="CMP004")
    assert [(f["line"], f["column"]) for f in found] == [(5, 14)]
    assert lint("hermes", HERMES.replace("0.5", "0.8"), code="CMP004") == []


def test_hermes_small_summary_model_is_cmp006(lint):
    aux = HERMES + "auxiliary:\n  compression:\n    context_length: 64000\n"
    found = lint("hermes", aux, code="CMP006")
    assert len(found) == 1 and "150,000" in found[0]["message"]
    assert lint("hermes", aux.replace("64000", "200000"), code="CMP006") == []


def test_hermes_large_output_reservation_is_cmp007(lint):
    text = "model:\n  default: llama-3.3\n  context_length: 128000\n  max_tokens: 65536\n"
    found = lint("hermes", text, code="CMP007")
    assert len(found) == 1 and "65,536" in found[0]["message"]
    assert lint("hermes", text.replace("65536", "16000"), code="CMP007") == []


def test_hermes_disabled_compression_is_info(lint):
    found = lint("hermes", HERMES + "  enabled: false\n", code="CMP002")
    assert [f["severity"] for f in found] == ["info"]
