"""Layering: bundled overlay, user overlays, the user cache, `update_cache`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import tomli

from cfglint.registry import (
    BUNDLED_OVERLAY,
    BUNDLED_OVERLAY_JSON,
    BUNDLED_SNAPSHOT,
    RegistryError,
    cached_snapshot_path,
    choose_snapshot,
    load_registry,
    reset_cache,
    update_cache,
)
from cfglint.registry.generate import build_overlay_json, build_snapshot
from cfglint.registry.layers import parse_snapshot


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _slim(providers: dict) -> str:
    return json.dumps({"_meta": {"source": "test", "providers": len(providers), "models": 1}, "providers": providers})


# -- bundled overlay ---------------------------------------------------------------------------


def test_bundled_overlay_names_only_existing_providers() -> None:
    overlay = tomli.loads(Path(BUNDLED_OVERLAY).read_text(encoding="utf-8"))
    registry = load_registry([BUNDLED_OVERLAY], use_cache=False)  # strict mode: any dangling name raises
    known = registry.provider_ids
    assert set(overlay["gateways"]) <= known
    for table in ("aliases", "hosts", "vendors"):
        assert set(overlay[table].values()) <= known, table


def test_the_bundled_overlay_runs_read_is_generated_from_overlay_toml() -> None:
    toml = Path(BUNDLED_OVERLAY).read_bytes()
    assert Path(BUNDLED_OVERLAY_JSON).read_bytes() == build_overlay_json(toml, BUNDLED_OVERLAY), \
        "run `python -m cfglint.registry.generate --overlay`"
    assert json.loads(Path(BUNDLED_OVERLAY_JSON).read_bytes()) == tomli.loads(toml.decode("utf-8"))


def test_the_bundled_snapshot_decodes_each_providers_models_on_first_use() -> None:
    data = Path(BUNDLED_SNAPSHOT).read_bytes()
    lazy, whole = parse_snapshot(data, BUNDLED_SNAPSHOT, trusted=True), json.loads(data)
    assert lazy["_meta"] == whole["_meta"] and list(lazy["providers"]) == list(whole["providers"])
    assert [p for p in lazy["providers"].values() if "models" in p] == []  # nothing decoded yet
    assert {pid: dict(p, models=p["models"]) for pid, p in lazy["providers"].items()} == whole["providers"]
    assert type(parse_snapshot(json.dumps(whole, indent=1).encode(), "x", trusted=True)["providers"]["zai"]) is dict


def test_bundled_overlay_carries_the_required_aliases() -> None:
    aliases = tomli.loads(Path(BUNDLED_OVERLAY).read_text(encoding="utf-8"))["aliases"]
    assert {
        "zhipu": "zhipuai", "bigmodel": "zhipuai", "z-ai": "zai", "z.ai": "zai", "moonshot": "moonshotai",
        "kimi": "moonshotai", "dashscope": "alibaba", "qwen": "alibaba", "gemini": "google",
        "vertex_ai": "google-vertex", "nvidia_nim": "nvidia", "together_ai": "togetherai",
        "fireworks_ai": "fireworks-ai", "bedrock": "amazon-bedrock", "claude": "anthropic",
    }.items() <= aliases.items()


# -- user overlays -----------------------------------------------------------------------------


def test_user_toml_overlay_adds_and_patches_models(tmp_path: Path) -> None:
    overlay = _write(
        tmp_path / "mine.toml",
        """
gateways = ["my-proxy"]

[aliases]
corp = "my-proxy"

[hosts]
"llm.corp.example.com/openai" = "my-proxy"

[models.my-proxy."glm-5.2-internal"]
context = 500000
output = 65536

[models.zhipuai."GLM-5.2"]   # ids compare case-insensitively: patches glm-5.2
output = 98304
""",
    )
    registry = load_registry([overlay], use_cache=False)
    added = registry.lookup("corp/glm-5.2-internal")
    assert (added.kind, added.entry, added.context, added.output) == ("alias", "my-proxy/glm-5.2-internal", 500_000, 65_536)
    by_host = registry.lookup("glm-5.2-internal", base_url="https://llm.corp.example.com/openai/v1")
    assert (by_host.kind, by_host.provider_id) == ("base-url", "my-proxy")
    patched = registry.lookup("glm-5.2", provider="zhipuai")
    assert (patched.model_id, patched.context, patched.output) == ("glm-5.2", 1_000_000, 98_304)
    assert registry.meta.overlays == (str(overlay),)


def test_user_overlay_can_clear_a_status_and_a_1m_window(tmp_path: Path) -> None:
    overlay = _write(
        tmp_path / "o.toml",
        """
[models.anthropic."claude-3-7-sonnet-20250219"]
status = ""
[models.anthropic."claude-sonnet-4-5"]
context_1m = 0
""",
    )
    registry = load_registry([overlay], use_cache=False)
    assert registry.lookup("claude-3-7-sonnet-20250219", provider="anthropic").status is None
    assert registry.lookup("claude-sonnet-4-5[1m]", provider="anthropic").context == 200_000


def test_later_user_overlays_win(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.toml", '[models.acme.m]\ncontext = 1000\noutput = 100\n')
    second = _write(tmp_path / "b.toml", '[models.acme.m]\noutput = 200\n')
    match = load_registry([first, second], use_cache=False).lookup("m", provider="acme")
    assert (match.context, match.output) == (1000, 200)


def test_user_json_overlay_in_the_slim_format(tmp_path: Path) -> None:
    overlay = _write(
        tmp_path / "extra.json",
        _slim({"acme": {"api": "https://api.acme.example/v1", "models": {"a-1": [32000, None, 0, "beta"]}}}),
    )
    registry = load_registry([str(overlay)], use_cache=False)
    match = registry.lookup("a-1", base_url="https://api.acme.example")
    assert (match.kind, match.entry, match.context, match.output, match.status) == ("base-url", "acme/a-1", 32_000, None, "beta")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.toml", "[aliases\nzhipu = 1", "not a valid TOML overlay"),
        ("bad.toml", "[models.acme.m]\ncontext = -1\n", "models.acme.m.context: expected a non-negative integer"),
        ("bad.toml", '[models.acme.m]\ncontext = "128k"\n', "models.acme.m.context"),
        ("bad.toml", "[models.acme.m]\nwindow = 1\n", "unknown key(s) window"),
        ("bad.toml", '[models.acme.m]\nstatus = "retired"\n', "models.acme.m.status"),
        ("bad.toml", "[models.acme]\nm = 3\n", "models.acme.m: expected a table"),
        ("bad.toml", '[aliases]\nzhipu = "zhipu-ai"\n', "aliases.zhipu: 'zhipu-ai' is not a registry provider"),
        ("bad.toml", 'gateways = ["nope"]\n', "gateways: 'nope' is not a registry provider"),
        ("bad.toml", 'gateways = "openrouter"\n', "gateways: expected an array"),
        ("bad.toml", "[providers.acme]\napi = 'x'\n", "unknown table(s) providers"),
        ("bad.toml", b"\xff\xfe", "not a valid TOML overlay"),
        ("bad.json", "{", "not valid JSON"),
        ("bad.json", '{"models": {}}', 'no "providers" object'),
        ("bad.json", '{"providers": {"acme": {"models": {"m": [1, 2]}}}}', "providers.acme.models.m: expected [context"),
        ("bad.json", '{"providers": {"acme": {"models": {"m": [1, null, "x"]}}}}', "output must be a non-negative integer"),
        ("bad.json", '{"providers": {"acme": {"api": 3, "models": {}}}}', "providers.acme.api: expected a string"),
    ],
)
def test_broken_user_overlay_raises_a_clear_registry_error(tmp_path: Path, name: str, text: str | bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(RegistryError) as error:
        load_registry([path], use_cache=False)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_missing_user_overlay_raises_a_registry_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="cannot read the registry overlay"):
        load_registry([tmp_path / "absent.toml"], use_cache=False)


# -- user cache ------------------------------------------------------------------------------


def test_cache_location_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "explicit"))
    assert cached_snapshot_path() == os.path.join(tmp_path, "explicit", "registry", "models-dev.json")
    monkeypatch.delenv("CFGLINT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cached_snapshot_path() == os.path.join(tmp_path, "xdg", "cfglint", "registry", "models-dev.json")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cached_snapshot_path() == os.path.join(tmp_path, "home", ".cache", "cfglint", "registry", "models-dev.json")


NEWER = "2099-01-01"  # a data date after the bundled snapshot's, whatever snapshot is bundled


def test_cached_snapshot_replaces_the_bundled_data_and_the_overlay_still_applies(isolated_cache: Path) -> None:
    api = {
        "deepseek": {"id": "deepseek", "api": "https://api.deepseek.com", "models": {"deepseek-v5": {"last_updated": NEWER, "limit": {"context": 2_000_000, "output": 500_000}}, "deepseek-chat": {"limit": {"context": 1_000_000, "output": 384_000}}}},
        "anthropic": {"id": "anthropic", "models": {"claude-sonnet-4-5": {"limit": {"context": 200_000, "output": 64_000}}}},
    }
    target = Path(cached_snapshot_path())
    target.parent.mkdir(parents=True)
    target.write_bytes(build_snapshot(json.dumps(api).encode(), source="api.json"))

    registry = load_registry()
    assert registry.meta.from_cache and registry.meta.path == str(target)
    assert (registry.meta.providers, registry.meta.models) == (2, 3)
    assert registry.lookup("deepseek-v5", provider="deepseek").context == 2_000_000
    assert registry.lookup("glm-5.2", provider="zhipu").kind == "none"  # bundled data is gone
    assert registry.lookup("deepseek-chat", provider="deepseek").output == 393_216  # bundled overlay on top
    assert registry.lookup("claude-sonnet-4-5[1m]", provider="anthropic").context == 1_000_000
    assert registry.identify_provider("https://api.anthropic.com", None) == "anthropic"
    assert registry.identify_provider(None, "zhipu") is None  # alias target absent: ignored, no error

    bundled = load_registry(use_cache=False)
    assert not bundled.meta.from_cache and bundled.lookup("glm-5.2", provider="zhipu").found


def test_broken_cache_raises_a_registry_error_naming_it(isolated_cache: Path) -> None:
    target = Path(cached_snapshot_path())
    target.parent.mkdir(parents=True)
    target.write_text('{"_meta": {"data_date": "%s"}, "providers": {"acme": {"models": {"m": "big"}}}}' % NEWER)
    with pytest.raises(RegistryError, match="registry/models-dev.json: providers.acme.models.m.*registry reset"):
        load_registry()
    assert load_registry(use_cache=False).meta.from_cache is False


def test_update_cache_from_the_shared_api_json_writes_a_loadable_snapshot(shared_api_json: Path, isolated_cache: Path) -> None:
    written = update_cache(str(shared_api_json))
    assert written == Path(cached_snapshot_path()) and written.is_file()
    assert [p.name for p in written.parent.iterdir()] == ["models-dev.json"]  # no temp file left
    registry = load_registry()
    assert registry.meta.from_cache
    assert (registry.meta.providers, registry.meta.models) == (147, 5276)
    assert registry.meta.source == "models-dev-api.json" and registry.meta.upstream_commit is None
    assert registry.meta.describe() == "models.dev (2026-06-30)"  # dated by its newest entry: no commit named
    match = registry.lookup("zhipu/glm-5.2", provider="zhipu", base_url="https://open.bigmodel.cn/api/paas/v4")
    assert (match.kind, match.context, match.output) == ("base-url", 1_000_000, 131_072)


def test_update_cache_replaces_an_existing_snapshot(tmp_path: Path, isolated_cache: Path) -> None:
    source = _write(tmp_path / "api.json", json.dumps({"acme": {"id": "acme", "models": {"m": {"last_updated": NEWER, "limit": {"context": 10, "output": 5}}}}}))
    update_cache(str(source))
    source.write_text(json.dumps({"acme": {"id": "acme", "models": {"m": {"last_updated": NEWER, "limit": {"context": 20, "output": 5}}}}}))
    update_cache(str(source))
    assert load_registry().lookup("m", provider="acme").context == 20


@pytest.mark.parametrize("content", [None, "not json", '{"acme": 1}'])
def test_update_cache_refuses_a_bad_source_and_keeps_the_old_cache(tmp_path: Path, isolated_cache: Path, content: str | None) -> None:
    source = tmp_path / "api.json"
    if content is not None:
        source.write_text(content)
    with pytest.raises(RegistryError):
        update_cache(str(source))
    assert not Path(cached_snapshot_path()).exists()


@pytest.mark.parametrize(
    "text",
    [
        '{"_meta": {"providers": "many", "upstream_commit": 7, "data_date": "%s"}, "providers": {}}' % NEWER,
        '{"_meta": {"providers": "many", "upstream_commit": 7, "data_date": "zzz"}, "providers": {}}',
        '{"_meta": [], "providers": {}}',
        "[" * 100_000,
        "[]",
        '{"_meta": ' + "[" * 100_000,
    ],
)
def test_odd_cache_files_never_escape_as_tracebacks(isolated_cache: Path, text: str) -> None:
    target = Path(cached_snapshot_path())
    target.parent.mkdir(parents=True)
    target.write_text(text)
    try:
        registry = load_registry()
    except RegistryError:
        return
    if registry.meta.from_cache:  # fields of the wrong type count as absent
        assert registry.meta.providers == 0 and registry.meta.upstream_commit is None
        assert registry.meta.describe() == f"models.dev ({NEWER})"
    else:  # no valid data date (`zzz`): it cannot be shown newer, so the bundled snapshot is used
        assert registry.meta.path == BUNDLED_SNAPSHOT


def test_deeply_nested_toml_overlay_is_a_registry_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "deep.toml", "a = " + "[" * 100_000)
    with pytest.raises(RegistryError):
        load_registry([path], use_cache=False)
