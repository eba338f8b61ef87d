"""Lookups against the bundled snapshot plus the bundled overlay (registry.md 7.2)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cfglint.registry import MATCH_KINDS, Registry, RegistryMatch, load_registry
from cfglint.registry.lookup import MAX_SUGGESTION_POOL

ZHIPU_URL = "https://open.bigmodel.cn/api/paas/v4"


def _limits(match: RegistryMatch) -> tuple:
    return match.context, match.input, match.output


# -- step 0: base URL ------------------------------------------------------------------------


def test_kimi_issue_834_config_resolves_by_base_url(registry: Registry) -> None:
    match = registry.lookup("zhipu/glm-5.2", provider="zhipu", base_url=ZHIPU_URL)
    assert match.kind == "base-url" and match.authoritative
    assert (match.provider_id, match.model_id, match.entry) == ("zhipuai", "glm-5.2", "zhipuai/glm-5.2")
    assert _limits(match) == (1_000_000, None, 131_072)
    assert not match.normalised and not match.one_m and match.providers_count == 1


def test_same_model_without_base_url_resolves_by_alias(registry: Registry) -> None:
    match = registry.lookup("zhipu/glm-5.2", provider="zhipu")
    assert (match.kind, match.entry) == ("alias", "zhipuai/glm-5.2")
    assert _limits(match) == (1_000_000, None, 131_072)
    assert registry.lookup("zhipu/glm-5.2").kind == "alias"  # prefix split, no provider given


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://openrouter.ai/api", "openrouter"),
        ("https://openrouter.ai/api/v1/", "openrouter"),
        ("openrouter.ai/api", "openrouter"),  # scheme-less
        ("https://api.deepseek.com/anthropic", "deepseek"),
        (ZHIPU_URL, "zhipuai"),
        ("https://open.bigmodel.cn/api/coding/paas/v4", "zhipuai-coding-plan"),  # longest path
        ("https://api.z.ai/api/coding/paas/v4", "zai-coding-plan"),
        ("https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "alibaba"),
        ("https://api.minimax.io/anthropic", "minimax"),  # shared with minimax-coding-plan: plainest id
        ("https://opencode.ai/zen/v1", "opencode"),
        ("https://opencode.ai/zen/go/v1", "opencode-go"),
        ("https://api.anthropic.com", "anthropic"),  # well-known hosts (overlay)
        ("https://api.openai.com/v1", "openai"),
        ("https://generativelanguage.googleapis.com/v1beta/openai/", "google"),
        ("https://bedrock-runtime.eu-west-1.amazonaws.com", "amazon-bedrock"),
        ("https://europe-west4-aiplatform.googleapis.com", "google-vertex"),
        ("https://acme.snowflakecomputing.com/api/v2/cortex/v1", "snowflake-cortex"),  # templated host
        ("https://API.DeepSeek.com:443/", "deepseek"),
    ],
)
def test_base_url_identifies_the_serving_provider(registry: Registry, base_url: str, expected: str) -> None:
    assert registry.identify_provider(base_url, None) == expected


def test_a_base_url_is_compared_only_with_the_urls_that_may_share_its_host(monkeypatch) -> None:
    """A provider URL is taken apart only when its text holds the host looked for (or a `${...}`
    template): a one-file check took apart all ~130 of them (issue 15). The answers are those of
    the test above, which compares with every URL."""
    from cfglint.registry import lookup

    parsed: list[str] = []
    endpoint = lookup.endpoint
    monkeypatch.setattr(lookup, "endpoint", lambda url: parsed.append(url) or endpoint(url))
    fresh = load_registry(use_cache=False)
    assert fresh.identify_provider("https://API.DeepSeek.com:443/", None) == "deepseek"
    urls = parsed[1:]  # (the first: the base URL itself)
    assert urls and all("deepseek.com" in url.lower() or "${" in url for url in urls)
    assert len(urls) < 20


def test_shared_host_prefers_the_configured_provider_name(registry: Registry) -> None:
    url = "https://api.minimax.io/anthropic/v1"
    assert registry.identify_provider(url, "minimax-coding-plan") == "minimax-coding-plan"
    assert registry.identify_provider(url, "my-minimax") == "minimax"


@pytest.mark.parametrize(
    "base_url",
    [
        "http://localhost:8080/v1",
        "http://127.0.0.1:1234/v1",  # LM Studio's own registry URL: still the user's machine
        "http://[::1]:11434",
        "http://192.168.1.20:8000/v1",
        "http://10.0.0.5/v1",
        "http://gpu-box:8000/v1",
        "http://ollama.local/v1",
        "https://my-proxy.example.com/v1",  # public but unknown
    ],
)
def test_loopback_private_and_unknown_hosts_identify_nothing(registry: Registry, base_url: str) -> None:
    assert registry.identify_provider(base_url, None) is None


def test_loopback_base_url_falls_back_to_the_model_id(registry: Registry) -> None:
    match = registry.lookup("glm-5.2", base_url="http://localhost:8080/v1")
    assert match.kind == "model-only" and not match.authoritative
    assert registry.lookup("glm-5.2", provider="zhipu", base_url="http://127.0.0.1:4000").kind == "alias"


def test_deepseek_anthropic_endpoint_gets_the_overlay_output(registry: Registry) -> None:
    match = registry.lookup("deepseek-v4-pro", base_url="https://api.deepseek.com/anthropic")
    assert (match.kind, match.entry) == ("base-url", "deepseek/deepseek-v4-pro")
    assert _limits(match) == (1_000_000, None, 393_216)


def test_deepseek_first_party_output_is_corrected_for_all_four_models(registry: Registry) -> None:
    for model in ("deepseek-chat", "deepseek-reasoner", "deepseek-v4-flash", "deepseek-v4-pro"):
        assert registry.lookup(model, provider="deepseek").output == 393_216
    # third parties keep their own numbers
    assert registry.lookup("openrouter/deepseek/deepseek-chat").output == 16_000


# -- Claude and [1m] -------------------------------------------------------------------------


def test_claude_sonnet_4_5_window_depends_on_1m(registry: Registry) -> None:
    plain = registry.lookup("claude-sonnet-4-5", provider="anthropic")
    assert (plain.kind, plain.entry, _limits(plain), plain.one_m) == ("exact", "anthropic/claude-sonnet-4-5", (200_000, None, 64_000), False)
    long = registry.lookup("claude-sonnet-4-5[1m]", provider="anthropic")
    assert (long.entry, _limits(long), long.one_m) == ("anthropic/claude-sonnet-4-5", (1_000_000, None, 64_000), True)


def test_claude_sonnet_4_6_is_200k_without_1m(registry: Registry) -> None:
    assert _limits(registry.lookup("claude-sonnet-4-6", provider="anthropic")) == (200_000, None, 64_000)
    assert _limits(registry.lookup("claude-sonnet-4-6[1M]", provider="anthropic")) == (1_000_000, None, 64_000)


def test_claude_sonnet_4_dated_forms_also_get_the_1m_window(registry: Registry) -> None:
    for model in ("claude-sonnet-4", "claude-sonnet-4-0", "claude-sonnet-4-20250514", "claude-sonnet-4-5-20250929"):
        assert registry.lookup(f"{model}[1m]", provider="anthropic").context == 1_000_000, model
        assert registry.lookup(model, provider="anthropic").context == 200_000, model


def test_1m_does_not_widen_a_model_without_the_rule(registry: Registry) -> None:
    match = registry.lookup("claude-opus-4-5[1m]", provider="anthropic")
    assert match.one_m and match.context == 200_000
    bedrock = registry.lookup("us.anthropic.claude-sonnet-4-5-20250929-v1:0[1m]", provider="amazon-bedrock")
    assert bedrock.one_m and bedrock.context == 200_000  # the rule is first-party only


def test_dotted_claude_version_is_normalised(registry: Registry) -> None:
    match = registry.lookup("claude-sonnet-4.5", provider="anthropic")
    assert (match.kind, match.entry, match.normalised, match.authoritative) == ("exact", "anthropic/claude-sonnet-4-5", True, True)


def test_bedrock_cross_region_id_resolves(registry: Registry) -> None:
    match = registry.lookup("us.anthropic.claude-sonnet-4-5-20250929-v1:0", provider="amazon-bedrock")
    assert (match.kind, match.model_id, match.normalised) == ("exact", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", False)
    assert _limits(match) == (200_000, None, 64_000)


def test_unlisted_bedrock_region_prefix_is_normalised_away(registry: Registry) -> None:
    match = registry.lookup("apac.anthropic.claude-sonnet-4-5-20250929-v1:0", provider="bedrock")
    assert (match.kind, match.model_id, match.normalised) == ("alias", "anthropic.claude-sonnet-4-5-20250929-v1:0", True)


def test_vertex_pins_are_normalised(registry: Registry) -> None:
    match = registry.lookup("claude-sonnet-4-5", provider="vertex_ai")
    assert (match.kind, match.entry, match.normalised) == ("alias", "google-vertex/claude-sonnet-4-5@20250929", True)
    assert registry.lookup("claude-opus-4-8@default", provider="google-vertex").normalised is False


def test_claude_opus_5_is_added_by_the_overlay(registry: Registry) -> None:
    assert _limits(registry.lookup("claude-opus-5", provider="anthropic")) == (1_000_000, None, 128_000)


def test_retired_ids_are_known_as_retired(registry: Registry) -> None:
    assert registry.lookup("claude-3-7-sonnet-20250219", provider="anthropic").status == "deprecated"
    tombstone = registry.lookup("claude-3-5-haiku-20241022", provider="anthropic")
    assert (tombstone.kind, tombstone.status, tombstone.context, tombstone.output) == ("exact", "deprecated", 200_000, 8_192)


def test_latest_is_the_newest_of_its_family(registry: Registry) -> None:
    assert registry.lookup("claude-3-5-haiku-latest", provider="anthropic").model_id == "claude-3-5-haiku-20241022"
    assert registry.lookup("devstral-small-latest", provider="mistral").model_id == "devstral-small-2507"


def test_openai_dated_snapshot_is_normalised(registry: Registry) -> None:
    match = registry.lookup("gpt-5-2025-08-07", provider="openai")
    assert (match.entry, match.normalised) == ("openai/gpt-5", True)


# -- gateways and variants -------------------------------------------------------------------


def test_openrouter_free_variant_is_looked_up_as_written(registry: Registry) -> None:
    match = registry.lookup("openrouter/qwen/qwen3-coder:free")
    assert (match.kind, match.entry, match.normalised) == ("exact", "openrouter/qwen/qwen3-coder:free", False)
    assert _limits(match) == (262_000, None, 262_000)
    assert registry.lookup("openrouter/qwen/qwen3-coder").output == 65_536


def test_unknown_openrouter_variant_falls_back_to_the_base_model(registry: Registry) -> None:
    match = registry.lookup("qwen/qwen3-coder:nitro", provider="openrouter")
    assert (match.entry, match.normalised, match.output) == ("openrouter/qwen/qwen3-coder", True, 65_536)


def test_openrouter_glm_5_1_output_error_is_unknown(registry: Registry) -> None:
    match = registry.lookup("openrouter/z-ai/glm-5.1")
    assert (match.kind, match.context, match.output) == ("exact", 65_536, None)


def test_gateway_without_the_model_falls_back_to_the_vendor_approximately(registry: Registry) -> None:
    kimi = registry.lookup("moonshotai/kimi-k2.7-code-highspeed", provider="openrouter")
    assert (kimi.kind, kimi.entry, _limits(kimi)) == ("gateway", "moonshotai/kimi-k2.7-code-highspeed", (262_144, None, 262_144))
    fallback = registry.lookup("anthropic/claude-opus-5", base_url="https://openrouter.ai/api/v1")
    assert (fallback.kind, fallback.entry, fallback.authoritative) == ("gateway", "anthropic/claude-opus-5", False)
    assert _limits(fallback) == (1_000_000, None, 128_000)


def test_model_unknown_to_gateway_and_vendor_is_none_with_the_gateways_ids_as_suggestions(registry: Registry) -> None:
    match = registry.lookup("z-ai/glm-5.2-turbo-preview", provider="openrouter")
    assert (match.kind, match.provider_id) == ("none", "openrouter")
    assert match.suggestions[0] == "z-ai/glm-5-turbo"


def test_gateways_own_entry_wins_even_when_spelled_differently(registry: Registry) -> None:
    match = registry.lookup("openrouter/anthropic/claude-sonnet-4-5")
    assert (match.kind, match.entry, match.normalised) == ("exact", "openrouter/anthropic/claude-sonnet-4.5", True)


# -- aliases, twins, managed Kimi --------------------------------------------------------------


def test_regional_and_plan_twins_are_tried(registry: Registry) -> None:
    # glm-5-turbo is listed by zhipuai-coding-plan only, deepseek-r1 by alibaba-cn only
    assert registry.lookup("glm-5-turbo", provider="zhipu").entry == "zhipuai-coding-plan/glm-5-turbo"
    assert registry.lookup("glm-5-turbo", provider="zhipuai").kind == "alias"
    via_url = registry.lookup("glm-5-turbo", base_url=ZHIPU_URL)
    assert (via_url.kind, via_url.entry) == ("base-url", "zhipuai-coding-plan/glm-5-turbo")
    assert registry.lookup("deepseek-r1", provider="dashscope").entry == "alibaba-cn/deepseek-r1"


def test_kimi_managed_models(registry: Registry) -> None:
    k3 = registry.lookup("kimi-code/k3")
    assert (k3.kind, k3.entry, _limits(k3)) == ("alias", "kimi-for-coding/k3", (1_048_576, None, None))
    for model in ("kimi-for-coding", "kimi-for-coding-highspeed"):
        match = registry.lookup(model, base_url="https://api.kimi.com/coding/v1")
        assert (match.kind, match.context, match.output) == ("base-url", 262_144, None)


def test_provider_names_compare_case_insensitively(registry: Registry) -> None:
    assert registry.lookup("GLM-5.2", provider="ZhipuAI").entry == "zhipuai/glm-5.2"
    assert registry.lookup("minimax-m2.7", provider="minimax").model_id == "MiniMax-M2.7"


def test_gpt_5_has_a_separate_input_cap(registry: Registry) -> None:
    match = registry.lookup("gpt-5", provider="openai")
    assert (match.kind, _limits(match)) == ("exact", (400_000, 272_000, 128_000))


def test_zero_limits_are_unknown(registry: Registry) -> None:
    match = registry.lookup("gpt-image-1", provider="openai")
    assert match.found and _limits(match) == (None, None, None)


# -- bare ids and misses -----------------------------------------------------------------------


def test_bare_model_id_takes_the_maximum_across_providers(registry: Registry) -> None:
    match = registry.lookup("glm-5.2")
    assert match.kind == "model-only" and not match.authoritative
    assert match.providers_count == 34
    assert match.output == 1_048_560  # neuralwatt's entry: the most permissive avoids false positives
    assert match.context == 1_049_000  # siliconflow
    assert match.input is None
    assert match.provider_id is None and match.entry == "glm-5.2 (matched under 34 providers)"


def test_vendor_prefix_names_the_host_only_when_no_endpoint_is_configured(registry: Registry) -> None:
    """`Qwen/...` sent to an unlisted gateway (commandcode) or a local proxy is served there, not
    by alibaba: every host listing the id counts, and none is the serving provider."""
    assert registry.lookup("zhipu/glm-5.2").kind == "alias"
    for where in ({"provider": "ccg", "base_url": "https://api.commandcode.ai/v1"},
                  {"provider": "ark", "base_url": "http://127.0.0.1:8897/v1"}, {"provider": "my-gateway"}):
        match = registry.lookup("Qwen/Qwen3.6-Max-Preview", **where)
        assert (match.kind, match.authoritative) == ("model-only", False), where
    sonnet = registry.lookup("anthropic/claude-sonnet-4.5", provider="cloudflare-zenmux")
    assert sonnet.context == 1_000_000  # zenmux and openrouter list the 1M window, anthropic 200,000


def test_model_missing_from_the_identified_provider_is_only_approximate(registry: Registry) -> None:
    match = registry.lookup("glm-5.2", provider="anthropic")
    assert match.kind == "model-only"


def test_misspelt_model_gets_suggestions_and_no_limits(registry: Registry) -> None:
    match = registry.lookup("glm-5.3")
    assert (match.kind, match.found, match.authoritative) == ("none", False, False)
    assert _limits(match) == (None, None, None)
    assert match.suggestions == ("glm-5.2", "glm-5.1", "glm-5")
    on_provider = registry.lookup("glm-5.3", provider="zhipu")
    assert (on_provider.kind, on_provider.provider_id) == ("none", "zhipuai")
    assert on_provider.suggestions == ("glm-5.2", "glm-5.1", "glm-5")


def test_close_match_search_compares_a_bounded_pool(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    """difflib sees at most MAX_SUGGESTION_POOL ids, chosen by shared name tokens, never the
    whole registry (thousands of ids)."""
    import difflib

    compared: list[int] = []
    real = difflib.get_close_matches

    def counting(word, possibilities, *args, **kwargs):
        compared.append(len(possibilities))
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    assert registry.meta.models > 10 * MAX_SUGGESTION_POOL
    match = registry.lookup("claude-sonet-4-5")
    assert match.suggestions[0] == "claude-sonnet-4-5"
    assert registry.lookup("qwq-nonexistent-zz").suggestions == ()  # shares no token: nothing to compare
    assert compared and max(compared) <= MAX_SUGGESTION_POOL


def test_close_matches_are_searched_only_when_asked_for(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lookup (every model of every config) never searches; reading `suggestions` (REG001,
    `explain`) searches once."""
    searches: list[str] = []
    real = Registry._suggest

    def counting(self, name, provider_id):
        searches.append(name)
        return real(self, name, provider_id)

    monkeypatch.setattr(Registry, "_suggest", counting)
    match = registry.lookup("claude-sonet-4-5", provider="anthropic")
    assert searches == []
    assert match.suggestions and match.suggestions == match.suggestions and searches == ["claude-sonet-4-5"]


def test_entries_for_lists_every_provider_serving_a_model(registry: Registry) -> None:
    entries = registry.entries_for("claude-sonnet-4-6")
    by_provider = {p: (m, limits) for p, m, limits in entries}
    model_id, limits = by_provider["anthropic"]
    assert model_id == "claude-sonnet-4-6"
    assert (limits.context, limits.output, limits.context_1m) == (200_000, 64_000, 1_000_000)
    assert entries == sorted(entries, key=lambda e: (e[0], e[1]))
    assert {p for p, _, _ in registry.entries_for("zhipu/glm-5.2")} >= {"zhipuai", "zai", "openrouter"}
    assert registry.entries_for("no-such-model-anywhere") == []


def test_provider_ids_include_aliases(registry: Registry) -> None:
    ids = registry.provider_ids
    assert {"zhipuai", "openrouter", "zhipu", "kimi", "bedrock"} <= ids
    assert registry.identify_provider(None, "moonshot") == "moonshotai"
    assert registry.identify_provider(None, "nobody") is None


def test_meta_describes_the_snapshot(registry: Registry) -> None:
    meta = registry.meta
    assert meta.describe() == "models.dev@f3fc692 (2026-07-02)"
    assert (meta.short_commit, meta.date, meta.providers, meta.models) == ("f3fc692", "2026-07-02", 147, 5276)
    assert not meta.from_cache and meta.overlays == ()


@settings(max_examples=200, deadline=None)
@given(
    model=st.text(max_size=40),
    provider=st.none() | st.text(max_size=15),
    base_url=st.none() | st.text(max_size=40) | st.from_regex(r"https?://[a-z0-9.\[\]:@-]{0,20}(/[a-z0-9${}]{0,8}){0,3}", fullmatch=True),
)
def test_lookup_never_raises(registry: Registry, model: str, provider: str | None, base_url: str | None) -> None:
    match = registry.lookup(model, provider=provider, base_url=base_url)
    assert match.kind in MATCH_KINDS
    if not match.found:
        assert _limits(match) == (None, None, None)


def test_limits_reads_one_entry_by_exact_key(registry: Registry) -> None:
    limits = registry.limits("anthropic", "claude-sonnet-4-6")
    assert limits is not None
    assert (limits.context, limits.input, limits.output, limits.status, limits.context_1m) == (200_000, None, 64_000, None, 1_000_000)
    assert registry.limits("anthropic", "Claude-Sonnet-4-6") is None  # no case folding, as Kilo
    assert registry.limits("zhipu", "glm-5.2") is None  # no aliases either


def test_empty_model_matches_nothing(registry: Registry) -> None:
    assert registry.lookup("  ", provider="zhipu").kind == "none"
    assert registry.lookup("[1m]").one_m


def test_the_first_search_of_every_provider_decodes_only_those_that_may_hold_the_name() -> None:
    """A check searches every provider once (Hermes' models.dev window): the search reads the
    undecoded providers' text first and finds what the whole lower-case index finds."""
    everywhere = load_registry(use_cache=False)._everywhere_index(canonical_keys=False)
    ids = sorted({model_id for hits in everywhere.values() for _, model_id in hits})
    names = [*ids[::40], *(i.rpartition("/")[2].upper() for i in ids[7::90]), "GLM-5.2", "zhipu/glm-5.2", "nope"]
    for name in names:
        fresh = load_registry(use_cache=False)
        providers = fresh._catalog.providers
        assert fresh._everywhere_part([name]).get(name.lower(), []) == everywhere.get(name.lower(), [])
        decoded = {p for p, provider in providers.items() if "models" in provider}
        assert decoded < set(providers) and {p for p, _ in everywhere.get(name.lower(), [])} <= decoded
    searched = load_registry(use_cache=False)
    assert searched.entries_for("glm-5.2") == searched.entries_for("glm-5.2")  # the second builds the index
    assert searched._everywhere is not None
