"""The pi unit: files, kinds, syntax, layers and the facts it gives the rules (`harness-pi.md` §2, §3, §8)."""

from __future__ import annotations

import json
from pathlib import PurePath

import pytest

from cfglint.core.document import Document
from cfglint.core.finding import Severity
from cfglint.core.text import SourceText
from cfglint.core.versions import Version
from cfglint.harnesses.pi import MODELS, PI, SETTINGS, kind_by_name, kind_of, strip_json_comments
from cfglint.harnesses.pi.endpoints import endpoints


# Configs using most keys pi 1.6.0 knows, valid under both schemas (also the compiled validators' corpus).
FULL_SETTINGS = {
    "$schema": "https://pi.dev/schemas/settings.schema.json", "lastChangelogVersion": "1.6.0",
    "defaultProvider": "anthropic", "defaultModel": "claude-sonnet-4-5", "defaultThinkingLevel": "high",
    "modelThinkingLevels": {"anthropic/claude-opus-4-7": "xhigh"}, "transport": "sse", "steeringMode": "all",
    "followUpMode": "one-at-a-time", "theme": "dark",
    "compaction": {"enabled": True, "reserveTokens": 32768, "keepRecentTokens": 20000,
                   "modelOverrides": {"anthropic/claude-opus-4-7": {"reserveTokens": 65536, "keepRecentTokens": 40000}}},
    "branchSummary": {"reserveTokens": 16384, "skipPrompt": True},
    "retry": {"enabled": True, "maxRetries": 5, "baseDelayMs": 1000, "provider": {"maxRetryDelayMs": 30000}},
    "hideThinkingBlock": False, "quietStartup": "header", "defaultProjectTrust": "ask", "shellPath": "/bin/bash",
    "npmCommand": ["npm"], "packages": ["npm:@acme/pi-tools"], "extensions": ["./ext"], "skills": ["./skills"],
    "prompts": ["./prompts"], "enabledModels": ["anthropic/*"], "defaultTools": ["+grep"],
    "thinkingBudgets": {"high": 32000}, "markdown": {"mermaid": "final"}, "warnings": {"anthropicExtraUsage": False},
    "httpIdleTimeoutMs": "disabled", "cacheWarming": "off", "tuiMode": "regular",
}
FULL_MODELS = {
    "$schema": "https://pi.dev/schemas/models.schema.json",
    "providers": {
        "lab": {"name": "Lab", "baseUrl": "https://llm.example.com/v1", "api": "openai-completions",
                "apiKey": "$LAB_API_KEY", "headers": {"X-Team": "core"}, "authHeader": True,
                "compat": {"supportsDeveloperRole": False},
                "models": [{"id": "qwen3-32b", "name": "Qwen3 32B", "reasoning": True, "input": ["text"],
                            "cost": {"input": 0.1, "output": 0.3, "cacheRead": 0, "cacheWrite": 0},
                            "promptCache": {"short": 300}, "contextWindow": 131072, "maxTokens": 8192,
                            "samplingParams": {"temperature": 0.6}}]},
        "anthropic": {"modelOverrides": {"claude-opus-4-7": {"maxTokens": 64000, "headers": {"X-Team": "core"}}}},
    },
}


def doc(path: str, text: str) -> Document:
    source = SourceText(text)
    return Document(path, path, source, PI.parse(source, {}, path), "pi")


@pytest.mark.parametrize(("path", "home", "read"), [
    ("/home/u/.pi/agent/settings.json", None, True),
    ("/home/u/.pi/agent/models.json", None, True),
    ("/work/app/.pi/settings.json", None, True),
    ("/work/app/.pi/models.json", None, False),      # models.json is global only
    ("/work/app/settings.json", None, False),
    ("/opt/pi-agent/models.json", "/opt/pi-agent", True),  # $PI_CODING_AGENT_DIR with --use-env
    ("/dots/dot_pi/agent/settings.json", None, True),      # chezmoi's source copy of ~/.pi/agent
    ("/dots/dot_pi/agent/private_settings.json", None, True),
    ("/dots/private_dot_pi/private_agent/private_models.json", None, True),
    ("/dots/dot_pi/agent/private_auth.json", None, False),
    ("/dots/dot_pi/settings.json", None, False),
    ("/work/app/.claude/settings.json", None, False),
])
def test_recognises(path, home, read):
    assert PI.recognises(PurePath(path), home) is read


def test_path_patterns_match_the_recognised_files():
    import re

    patterns = [re.compile(p + "$") for p in PI.path_patterns()]
    for path in (".pi/agent/settings.json", ".pi/agent/models.json", "app/.pi/settings.json",
                 "dots/dot_pi/agent/private_settings.json", "private_dot_pi/agent/models.json"):
        assert any(p.search(path) for p in patterns), path
    assert not any(p.search(".pi/models.json") for p in patterns)


def test_kind_by_name_then_content():
    assert kind_by_name("x/models.json") == MODELS and kind_by_name("case.models.json") == MODELS
    assert kind_by_name("x/settings.json") == SETTINGS and kind_by_name("pi.json") is None
    assert kind_by_name("dot_pi/agent/private_settings.json") == SETTINGS
    assert PI.schema_name("/a/.pi/agent/models.json") == "pi-models" and PI.schema_name("/a/settings.json") == "pi"
    assert kind_of(doc("forced.json", '{"providers": {}}')) == MODELS
    assert kind_of(doc("forced.json", '{"defaultModel": "x"}')) == SETTINGS
    assert kind_of(doc("forced.json", '{"providers": {}, "defaultModel": "x"}')) == SETTINGS  # a misplaced `providers`


def test_strip_json_comments_keeps_offsets_and_strings():
    text = '{"a": "//not a comment", // gone\n "b": [1, 2,],\n}'
    stripped = strip_json_comments(text)
    assert len(stripped) == len(text)
    assert json.loads(stripped) == {"a": "//not a comment", "b": [1, 2]}


def test_settings_are_strict_json():
    comment = doc("/h/.pi/agent/settings.json", '{\n  // x\n  "theme": "dark"\n}')
    trailing = doc("/h/.pi/agent/settings.json", '{"theme": "dark",}')
    for parsed in (comment, trailing):
        [diagnostic] = parsed.parse.diagnostics
        assert diagnostic.code == "SYN001" and "pi ignores this whole file" in diagnostic.message


def test_models_json_takes_line_comments_and_trailing_commas_but_not_block_comments():
    assert doc("/h/.pi/agent/models.json", '{// x\n "providers": {},}').parse.ok
    blocked = doc("/h/.pi/agent/models.json", '{/* x */ "providers": {}}')
    [diagnostic] = blocked.parse.diagnostics
    assert diagnostic.code == "SYN001" and diagnostic.start == 1
    assert "every custom provider, model and override is gone" in diagnostic.message


def test_duplicates_are_syn003():
    parsed = doc("/h/.pi/agent/settings.json", '{"theme": "a", "theme": "b"}')
    assert [d.code for d in parsed.parse.diagnostics] == ["SYN003"]


def test_layers_group_and_merge():
    settings = doc("/h/.pi/agent/settings.json", '{"compaction": {"reserveTokens": 1, "keepRecentTokens": 2}}')
    models = doc("/h/.pi/agent/models.json", '{"providers": {}}')
    project = doc("/w/app/.pi/settings.json", '{"compaction": {"reserveTokens": 3}}')
    assert PI.layer_group(settings) == PI.layer_group(models) == "/h/.pi/agent"
    assert PI.layer_group(project) == "/w/app"
    layers = sorted([project, settings, models], key=PI.layer_rank)
    assert layers == [models, settings, project]
    merged = PI.merge(layers)
    assert merged.data == {"compaction": {"reserveTokens": 3, "keepRecentTokens": 2}}
    assert merged.layers == layers and merged.origin(("compaction", "keepRecentTokens")) is settings


@pytest.mark.parametrize(("value", "version", "severity"), [
    ("16384", "1.6.0", Severity.ERROR), (-1, "1.6.0", Severity.ERROR), (1.5, "1.6.0", Severity.ERROR),
    (None, "1.6.0", Severity.ERROR), (2 ** 53, "1.6.0", Severity.ERROR),
    ("16k", "0.85.0", Severity.ERROR), ("16384", "0.85.0", Severity.WARNING),
])
def test_compaction_token_values(value, version, severity):
    notes = list(PI.value_checks({"compaction": {"reserveTokens": value}}, Version.parse(version)))
    [note] = notes
    assert (note.severity or Severity.ERROR) is severity
    assert note.path == ("compaction", "reserveTokens")


@pytest.mark.parametrize("value", [0, 16384, 16384.0])
def test_valid_token_values(value):
    assert list(PI.value_checks({"compaction": {"keepRecentTokens": value}}, Version.parse("1.6.0"))) == []


def test_override_entry_must_be_an_object_from_0_86_0():
    data = {"compaction": {"modelOverrides": {"p/m": 5}}}
    assert [n.path for n in PI.value_checks(data, Version.parse("1.6.0"))] == [("compaction", "modelOverrides", "p/m")]
    assert list(PI.value_checks(data, Version.parse("0.85.0"))) == []


def test_fractional_limits_are_a_warning():
    data = {"providers": {"p": {"baseUrl": "http://localhost:1/v1", "api": "openai-completions",
                              "models": [{"id": "m", "contextWindow": 1000.5}]}}}
    [note] = PI.value_checks(data, Version.parse("1.6.0"))
    assert note.severity is Severity.WARNING and note.path[-1] == "contextWindow"


def test_deprecated_keys():
    data = {"queueMode": "all", "websockets": True, "retry": {"maxDelayMs": 5}, "skills": {"customDirectories": []}}
    paths = [n.path for n in PI.deprecated_keys(data, Version.parse("1.6.0"), {})]
    assert paths == [("queueMode",), ("websockets",), ("retry", "maxDelayMs"), ("skills",)]


def test_endpoints_skip_env_and_command_references():
    data = {"providers": {"a": {"apiKey": "$A_KEY", "baseUrl": "http://x.example"},
                          "b": {"apiKey": "!pass show b", "headers": {"Authorization": "Bearer sk-live-0123456789abcdefXYZ"}},
                          "c": {"apiKey": "sk-live-0123456789abcdefXYZ"}}}
    found = {e.label: e for e in endpoints(data)}
    assert found["provider `a`"].credentials == () and found["provider `a`"].sends_key
    assert found["provider `b`"].credentials == (("providers", "b", "headers", "Authorization"),)
    assert found["provider `c`"].credentials == (("providers", "c", "apiKey"),)


def test_schema_key_set_is_the_shipped_one():
    from cfglint.harnesses.pi.facts import settings_schema
    from cfglint.harnesses.pi.model import settings_json_schema

    shipped = settings_schema()["properties"]
    assert len(shipped) == 61
    assert set(settings_json_schema()["properties"]) == set(shipped)
    compaction = settings_json_schema()["properties"]["compaction"]["properties"]
    assert set(compaction) == {"enabled", "reserveTokens", "keepRecentTokens", "modelOverrides"}


@pytest.mark.parametrize(("data", "schema"), [(FULL_SETTINGS, "pi"), (FULL_MODELS, "pi-models")])
def test_full_configs_are_valid(data, schema):
    from cfglint.validation.validate import validate

    assert validate(data, schema) == []
    assert list(PI.value_checks(data, Version.parse("1.6.0"))) == []


@pytest.mark.parametrize(("version", "says"), [("1.6.0", "disables provider `lab`"),
                                               ("0.80.2", "ignores the whole models.json")])
def test_provider_errors(version, says):
    data = {"providers": {"lab": {"models": [{"id": "m"}]}}}
    [note] = PI.value_checks(data, Version.parse(version))
    assert note.path == ("providers", "lab") and says in note.message


def test_api_key_required_for_custom_models_up_to_0_73_1():
    data = {"providers": {"lab": {"baseUrl": "http://localhost:1/v1", "api": "openai-completions",
                                  "models": [{"id": "m"}]}}}
    assert [n.details["problem"] for n in PI.value_checks(data, Version.parse("0.73.1"))] == [
        'Provider lab: "apiKey" is required when defining custom models.']
    assert list(PI.value_checks(data, Version.parse("0.74.0"))) == []


# --- corpus false positives (`pi_corpus.md`) -------------------------------------------------------


def test_top_level_settings_keys_of_extensions_are_not_reported():
    """pi hands the settings to extensions (`pi.getSettings()`); only a likely typo of a pi key is reported."""
    from cfglint.validation.validate import validate

    data = {"packages": ["npm:pi-subagents"], "subagents": {"maxDepth": 2}, "powerline": {"preset": "x"},
            "extensionSettings": {}, "autoSave": True, "_note": "mine", "compation": {}, "defaultModle": "x",
            "reserve_tokens": 5, "providers": {}}
    assert [i.path for i in validate(data, "pi") if i.kind == "unknown-key"] == []
    notes = {n.path[0]: n for n in PI.unknown_keys_for_version(data, Version.parse("1.6.0"))}
    assert set(notes) == {"compation", "defaultModle", "reserve_tokens", "providers"}
    assert notes["compation"].details["did_you_mean"] == "compaction"
    assert notes["defaultModle"].details["did_you_mean"] == "defaultModel"
    assert notes["reserve_tokens"].details["did_you_mean"] == "compaction.reserveTokens"
    assert "belong in models.json" in notes["providers"].message


def test_unknown_keys_but_comment_keys_are_reported_by_the_unit():
    """The schemas stay open like pi's; the unit reports unknown keys of compaction and models.json
    objects, never comment-like ones."""
    from cfglint.validation.validate import validate

    models = {"_about": "notes", "extra": 1,
              "providers": {"p": {"_note": "x", "//": "y", "baseUrl": "http://localhost:1/v1", "api": "openai-completions",
                                  "models": [{"id": "m", "_launch": True, "limitSource": "x", "context_window": 1}],
                                  "modelOverrides": {"m": {"max_tokens": 1, "#": "z"}}}}}
    settings = {"compaction": {"_why": "x", "reserveTokens": 1, "reserve": 2,
                               "modelOverrides": {"p/m": {"keepRecent": 3, "//": "x"}}}}
    assert [i for i in validate(models, "pi-models") if i.kind == "unknown-key"] == []
    assert validate(settings, "pi") == []
    notes = list(PI.unknown_keys_for_version(models, Version.parse("1.6.0")))
    assert [(n.path, n.details.get("did_you_mean")) for n in notes] == [
        (("extra",), None),
        (("providers", "p", "models", 0, "limitSource"), None),
        (("providers", "p", "models", 0, "context_window"), "contextWindow"),
        (("providers", "p", "modelOverrides", "m", "max_tokens"), "maxTokens"),
    ]
    assert notes[2].message == ("unknown key `context_window` in `providers.p.models[0]`: pi 1.6.0 ignores it "
                                "(no effect)")
    notes = list(PI.unknown_keys_for_version(settings, Version.parse("1.6.0")))
    assert [(n.path, n.details.get("did_you_mean")) for n in notes] == [
        (("compaction", "reserve"), "reserveTokens"),
        (("compaction", "modelOverrides", "p/m", "keepRecent"), "keepRecentTokens"),
    ]


def test_a_file_named_models_json_is_judged_as_models_json_whatever_it_holds():
    """The file's name decides its kind: a models.json that also holds `compaction` (a settings key) is
    still a models.json, whose unknown top-level key is reported as such, never as "`providers` in a
    settings file"; without a path the content decides."""
    data = {"providers": {"x": {"models": [{"id": "m"}]}}, "compaction": 5}
    version = Version.parse("1.6.0")
    by_name = list(PI.unknown_keys_for_version(data, version, "/home/u/.pi/agent/models.json"))
    assert [n.path for n in by_name] == [("compaction",)]
    by_content = list(PI.unknown_keys_for_version(data, version))
    assert [n.path for n in by_content] == [("providers",)]


def _references(settings: dict, models: dict | None) -> list:
    layers = [doc("/h/.pi/agent/settings.json", json.dumps(settings))]
    if models is not None:
        layers.insert(0, doc("/h/.pi/agent/models.json", json.dumps(models)))
    return list(PI.references(PI.merge(layers), None))


LAB = {"providers": {"lab": {"baseUrl": "http://localhost:1/v1", "api": "openai-completions", "models": [{"id": "m"}]}}}


@pytest.mark.parametrize(("settings", "models", "says"), [
    # an extension the configuration loads may register the provider (docs/custom-provider.md)
    ({"packages": ["npm:pi-cursor-sdk"], "defaultProvider": "cursor", "defaultModel": "auto"}, LAB, None),
    ({"extensions": ["./ext/x.ts"], "defaultProvider": "anthropic-extra", "defaultModel": "o"}, LAB, None),
    ({"defaultProvider": "cursor", "defaultModel": "auto"}, None, None),   # models.json outside the run
    ({"defaultProvider": "cursor", "defaultModel": "auto"}, LAB, "unless an extension registers it"),
    ({"defaultProvider": "lab", "defaultModel": "n"}, LAB, "neither a built-in model of pi nor defined in models.json"),
    ({"defaultProvider": "anthropic", "defaultModel": "claude-sonet-4-5"}, None, "neither a built-in model"),
    ({"defaultProvider": "openrouter", "defaultModel": "x/y:floor"}, None, None),   # per-key list at run time
    ({"defaultProvider": "openrouter", "defaultModel": "x/y:floor"}, LAB, "neither a built-in model"),
    ({"defaultProvider": "lab", "defaultModel": "m"}, LAB, None),
])
def test_default_model_references(settings, models, says):
    notes = _references(settings, models)
    assert [n.message for n in notes if says is None] == []
    if says is not None:
        [note] = notes
        assert says in note.message and note.severity is Severity.WARNING


def test_placeholder_hosts_are_not_base_urls():
    data = {"providers": {"a": {"apiKey": "$K", "baseUrl": "http://AI_SERVER_HOST:4000/v1"},
                          "b": {"apiKey": "$K", "baseUrl": "http://${HOST}:4000/v1"},
                          "c": {"apiKey": "$K", "baseUrl": "http://llm.example.com:4000/v1"}}}
    found = {e.label: e.base_urls for e in endpoints(data)}
    assert found == {"provider `a`": (), "provider `b`": (), "provider `c`": (("providers", "c", "baseUrl"),)}


@pytest.mark.parametrize("value", ["$ANTHROPIC_API_KEY", "${ANTHROPIC_API_KEY}", "!op read op://x/y",
                                   "ANTHROPIC_API_KEY", "OPENCODE_ZEN_API_KEY"])
def test_api_key_references_of_every_version_are_not_credentials(value):
    """1.6.0 interpolates `$NAME`/`${NAME}`; before 0.77.0 pi looked the bare name up (#5095)."""
    from cfglint.core.secrets import literal_credential

    [endpoint] = endpoints({"providers": {"a": {"apiKey": value, "baseUrl": "https://x.example/v1"}}})
    assert endpoint.credentials == () or literal_credential(value) is None  # SEC001 reads literals only


def test_a_union_of_literals_reads_as_one_of():
    from cfglint.validation.validate import validate

    models = {"providers": {"p": {"baseUrl": "http://localhost:1/v1", "api": "openai-completions",
                                  "models": [{"id": "m", "compat": {"thinkingFormat": "reasoning_effort"}}]}}}
    [issue] = validate(models, "pi-models")
    assert 'must be one of "openai", "openrouter"' in issue.message and 'got "reasoning_effort"' in issue.message


@pytest.mark.parametrize(("value", "version", "says"), [
    ("ANTHROPIC_API_KEY", "1.6.0", 'write "$ANTHROPIC_API_KEY"'),   # a plain string is a literal from 0.77.0 (#5095)
    ("ANTHROPIC_API_KEY", "0.73.1", None),                          # looked up as a variable name before
    ("$ANTHROPIC_API_KEY", "0.73.1", 'write "ANTHROPIC_API_KEY"'),  # `$NAME` is read only from 0.77.0
    ("${ANTHROPIC_API_KEY}", "0.76.0", 'write "ANTHROPIC_API_KEY"'),
    ("$ANTHROPIC_API_KEY", "1.6.0", None),
    ("YOUR_CEREBRAS_API_KEY", "1.6.0", None),                       # a template's placeholder
    ("!op read op://x/y", "0.73.1", None),
    ("sk-live-0123456789abcdefXYZ", "1.6.0", None),                 # SEC001's
])
def test_api_key_written_for_the_other_version(value, version, says):
    data = {"providers": {"a": {"baseUrl": "https://x.example/v1", "api": "openai-completions", "apiKey": value,
                                "headers": {"X-Key": value}, "models": [{"id": "m", "contextWindow": 1000}]}}}
    notes = [n for n in PI.value_checks(data, Version.parse(version)) if n.details.get("constraint") == "reference"]
    if says is None:
        assert notes == []
        return
    assert [n.path for n in notes] == [("providers", "a", "apiKey"), ("providers", "a", "headers", "X-Key")]
    assert all(n.severity is Severity.WARNING and says in n.fix for n in notes)


@pytest.mark.parametrize("text", ['{"qroviders": {"a": {"models": []}}}', '{"providers": []}', '{"providers": null}'])
def test_a_models_json_without_a_providers_object_is_a_finding_not_a_crash(tmp_path, monkeypatch, text):
    """Found by the fuzz run of a fresh-clone CI: a file named models.json is read as one, whatever it holds."""
    from cfglint.engine.session import CheckRequest, check

    (tmp_path / ".pi" / "agent").mkdir(parents=True)
    (tmp_path / ".pi" / "agent" / "models.json").write_text(text)
    monkeypatch.chdir(tmp_path)
    outcome = check(CheckRequest(paths=[".pi/agent/models.json"], no_cache=True))
    assert "SCH001" in {f.code for f in outcome.findings}  # pi ignores the whole file: schema error
