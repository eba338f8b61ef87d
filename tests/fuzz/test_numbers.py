"""Issue 9, class 8: the numbers a fuzzer or a typo writes give a finding or none, never an internal error.

Each row is one classic input per dialect (each crashed with "internal error", exit 2,
before `cfglint.core.numbers`); the run must exit 0 or 1 and, where the harness refuses
the value, report it with the expected code.
"""

from __future__ import annotations

import json
import math

import pytest

from cfglint.core import numbers

BIG = "9" * 5_000  # past Python's 4,300-digit int/str limit
HUGE = str(2**1024)  # an exact int in Python, Infinity in JavaScript
KIMI = """default_model = "k"
[providers.p]
type = "kimi"
base_url = "https://api.moonshot.ai/v1"
api_key = ""
[models.k]
provider = "p"
model = "kimi-k2"
max_context_size = {window}
[loop_control]
compaction_trigger_ratio = {ratio}
"""
KILO = ('{"model": "zhipu/glm", "provider": {"zhipu": {"npm": "@ai-sdk/openai-compatible", '
        '"models": {"glm": {"limit": {"context": %s, "output": 8000}}}}}}')
CLAUDE = '{"model": "claude-sonnet-4-5", %s}'
HERMES = "model:\n  default: claude-sonnet-4-5\n  provider: anthropic\n  context_length: {window}\ncompression:\n  threshold: {threshold}\n"


def kimi(window: str = "262144", ratio: str = "0.85") -> str:
    return KIMI.format(window=window, ratio=ratio)


def hermes(window: str = "200000", threshold: str = "0.5") -> str:
    return HERMES.format(window=window, threshold=threshold)


# (file name, content, --env values, the code the run must report or None)
CASES = {
    "kimi-code window 1e400": (".kimi-code/config.toml", kimi("1e400"), {}, "SCH001"),
    "kimi-code window of 5,000 digits": (".kimi-code/config.toml", kimi(BIG), {}, "SYN001"),
    "kimi-code window nan": (".kimi-code/config.toml", kimi("nan"), {}, "SCH001"),
    "kimi-code window inf": (".kimi-code/config.toml", kimi("inf"), {}, "SCH001"),
    "kimi-code window -inf": (".kimi-code/config.toml", kimi("-inf"), {}, "SCH001"),
    "kimi-code window 2**1024": (".kimi-code/config.toml", kimi(HUGE), {}, None),
    "kimi-code ratio 2**1024": (".kimi-code/config.toml", kimi(ratio=HUGE), {}, "SCH001"),
    "kimi-code env window of 5,000 digits": (".kimi-code/config.toml", kimi(), {"KIMI_MODEL_MAX_CONTEXT_SIZE": BIG},
                                             None),
    "kimi-cli window 2**1024": (".kimi/config.toml", kimi(HUGE), {}, None),
    "kimi-cli window × ratio of two 301-digit integers": (".kimi/config.toml", kimi("1" + "0" * 300, "1" + "0" * 300),
                                                           {}, "SCH001"),
    "kimi-cli ratio 1e308 (window × ratio overflows)": (".kimi/config.toml", kimi(ratio="1e308"), {}, "SCH001"),
    "kimi-cli env window 2**1024": (".kimi/config.toml", kimi(), {"KIMI_MODEL_MAX_CONTEXT_SIZE": HUGE}, None),
    "claude-code autoCompactWindow 1e400": (".claude/settings.json", CLAUDE % '"autoCompactWindow": 1e400', {},
                                            "SCH001"),
    "claude-code autoCompactWindow 2**1024 (Infinity in JavaScript)": (
        ".claude/settings.json", CLAUDE % f'"autoCompactWindow": {HUGE}', {}, "SCH001"),
    "claude-code autoCompactWindow of 5,000 digits": (".claude/settings.json", CLAUDE % f'"autoCompactWindow": {BIG}',
                                                      {}, "SCH001"),
    "claude-code env window of 5,000 digits": (
        ".claude/settings.json", CLAUDE % f'"env": {{"CLAUDE_CODE_AUTO_COMPACT_WINDOW": "{BIG}"}}', {}, "ENV001"),
    "claude-code env window 5,000 digits + k": (
        ".claude/settings.json", CLAUDE % f'"env": {{"CLAUDE_CODE_AUTO_COMPACT_WINDOW": "{BIG}k"}}', {}, "ENV001"),
    "claude-code env output tokens of 400 digits + K": (
        ".claude/settings.json", CLAUDE % '"includeCoAuthoredBy": false',
        {"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "9" * 400 + "K"}, None),
    "kilo limit.context 2**1024": ("kilo.jsonc", KILO % HUGE, {}, None),
    "kilo limit.context of 5,000 digits": ("kilo.jsonc", KILO % BIG, {}, None),
    "kilo limit.context 1e400": ("kilo.jsonc", KILO % "1e400", {}, None),
    "kilo limit.context 1e308 (explain's bar: 60 × 1e308 overflows)": ("kilo.jsonc", KILO % "1e308", {}, None),
    "kilo threshold_percent -1.79e308 (a trigger of -Infinity)": (
        "kilo.jsonc", KILO.replace('{"model"', '{"compaction": {"threshold_percent": -1.7976931348623157e+308}, "model"')
        % "1000000", {}, "SCH001"),
    "kilo env output cap rounding to Infinity, context 0.5": (
        "kilo.jsonc", KILO.replace(', "output": 8000', "") % "0.5",
        {"KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX": str(2**1024 - 2**970)}, None),
    "kilo env output cap of 5,000 digits": ("kilo.jsonc", KILO % "100000", {"KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX": BIG},
                                            None),
    "kilo threshold_percent 1e308 (base × percent overflows)": (
        "kilo.jsonc", (KILO % "100000")[:-1] + ', "compaction": {"threshold_percent": 1e308}}', {}, None),
    "hermes target_ratio nan": (".hermes/config.yaml", hermes() + "  target_ratio: .nan\n", {}, None),
    "hermes threshold .nan": (".hermes/config.yaml", hermes(threshold=".nan"), {}, None),
    "hermes threshold 2**1024": (".hermes/config.yaml", hermes(threshold=HUGE), {}, "SCH001"),
    "hermes context_length 2**1024": (".hermes/config.yaml", hermes(window=HUGE), {}, None),
    "hermes env max tokens 2**1024": (".hermes/config.yaml", hermes(), {"HERMES_MAX_TOKENS": HUGE}, None),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_extreme_number_gives_a_finding_or_none(name, cli, write, tmp_path):
    file_name, content, env, code = CASES[name]
    write(f"project/{file_name}", content)
    env_args = [arg for key, value in env.items() for arg in ("--env", f"{key}={value}")]
    result = cli("check", "--no-cache", "--output-format", "json", *env_args, str(tmp_path / "project"))
    assert "internal error" not in result.stderr
    assert result.exit_code in (0, 1), result.stderr
    codes = {finding["code"] for finding in json.loads(result.stdout)}
    if code is not None:
        assert code in codes
    for output_format in ("text", "json"):
        explained = cli("explain", "--no-env", "--format", output_format, *env_args, str(tmp_path / "project"))
        assert "internal error" not in explained.stderr
        assert explained.exit_code == 0, explained.stderr


def test_a_number_too_long_to_print_is_described_by_its_size():
    assert numbers.tokens(int(BIG[:4_000])) == "a 4,000-digit number"
    assert numbers.text(-(10**4_999)) == "a negative 5,000-digit number"
    assert numbers.tokens(131_072) == "131,072" and numbers.tokens(131_072.0) == "131,072"
    assert numbers.tokens(0.85) == "0.85" and numbers.tokens(math.inf) == "inf"


def test_only_numbers_a_harness_computes_with_pass_the_guard():
    assert numbers.finite(262_144) == 262_144 and numbers.finite(0.85) == 0.85
    assert numbers.finite(2**1023) == 2**1023  # exact, as before
    for refused in (2**1024, -(2**1024), math.inf, -math.inf, math.nan, True, "1", None):
        assert numbers.finite(refused) is None
    assert numbers.integer(BIG) is None and numbers.integer("-12") == -12
    assert numbers.decimal(BIG) == math.inf and numbers.decimal("-" + BIG) == -math.inf
    assert numbers.rounded(math.ceil, 262_144 * 0.85) == 222_823
    assert numbers.rounded(math.floor, 262_144 * 1e308) == math.inf


def test_digit_count_is_exact_at_the_powers_of_ten():
    for digits in (1, 2, 40, 4_300, 4_301, 10_000):
        assert numbers.digit_count(10 ** (digits - 1)) == digits
        assert numbers.digit_count(10**digits - 1) == digits
