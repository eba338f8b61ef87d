"""Spelling rules for model ids and endpoints."""

from __future__ import annotations

import pytest

from cfglint.registry.names import canonical, endpoint, host_pattern, is_private_host, path_match, split_one_m


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("claude-sonnet-4.5", "claude-sonnet-4-5"),
        ("Claude-Sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic-claude-sonnet-4-5"),
        ("global.anthropic.claude-opus-4-6-v1", "anthropic-claude-opus-4-6"),
        ("claude-sonnet-4-5@20250929", "claude-sonnet-4-5"),
        ("claude-opus-4-8@default", "claude-opus-4-8"),
        ("gpt-5-2025-08-07", "gpt-5"),
        ("qwen/qwen3-coder:free", "qwen/qwen3-coder"),
        ("kimi-k2:1t", "kimi-k2:1t"),  # not an OpenRouter variant
        ("nvidia-nemotron-nano-9b-v2", "nvidia-nemotron-nano-9b-v2"),  # only Bedrock's -v1 is a version suffix
        ("devstral-small-2507", "devstral-small-2507"),  # YYMM is a version, not a date
    ],
)
def test_canonical(model_id: str, expected: str) -> None:
    assert canonical(model_id) == expected


def test_split_one_m() -> None:
    assert split_one_m("sonnet[1m]") == ("sonnet", True)
    assert split_one_m("claude-opus-5[1M]") == ("claude-opus-5", True)
    assert split_one_m("glm-5.2") == ("glm-5.2", False)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://openrouter.ai/api/v1", ("openrouter.ai", ())),
        ("https://openrouter.ai/api", ("openrouter.ai", ())),
        ("https://api.deepseek.com/anthropic", ("api.deepseek.com", ())),
        ("https://api.minimax.io/anthropic/v1/", ("api.minimax.io", ())),
        ("https://dashscope.aliyuncs.com/compatible-mode/v1", ("dashscope.aliyuncs.com", ())),
        ("https://open.bigmodel.cn/api/paas/v4", ("open.bigmodel.cn", ("api", "paas", "v4"))),
        ("open.bigmodel.cn/api/paas/v4?x=1#f", ("open.bigmodel.cn", ("api", "paas", "v4"))),
        ("https://user:secret@API.Example.com:8443/V1", ("api.example.com", ())),
        ("http://[::1]:8080/v1", ("::1", ())),
        ("https://example.com./", ("example.com", ())),
        ("", None),
        ("https:///v1", None),
    ],
)
def test_endpoint(url: str, expected: tuple | None) -> None:
    assert endpoint(url) == expected


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("localhost", True), ("api.localhost", True), ("127.0.0.1", True), ("::1", True), ("10.1.2.3", True),
        ("172.16.0.1", True), ("192.168.0.10", True), ("169.254.1.1", True), ("100.64.0.1", True),
        ("fd00::1", True), ("printer.local", True), ("host.docker.internal", True), ("gpu-box", True),
        ("api.openai.com", False), ("8.8.8.8", False), ("2001:4860:4860::8888", False),
    ],
)
def test_is_private_host(host: str, private: bool) -> None:
    assert is_private_host(host) is private


def test_host_pattern() -> None:
    pattern = host_pattern("${snowflake_account}.snowflakecomputing.com")
    assert pattern is not None
    assert pattern.fullmatch("acme.snowflakecomputing.com")
    assert not pattern.fullmatch("a.b.snowflakecomputing.com")  # one label only
    assert host_pattern("${databricks_host}") is None


def test_path_match() -> None:
    assert path_match(("api", "paas", "v4"), ("api", "paas", "v4")) == (True, 3)
    assert path_match(("api", "paas", "v4"), ("api", "coding", "paas", "v4")) == (False, 1)
    assert path_match((), ("anything",)) == (True, 0)
    assert path_match(("client", "v4", "accounts", "${id}", "ai"), ("client", "v4", "accounts", "abc", "ai")) == (True, 5)
