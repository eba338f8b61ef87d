"""pi's data files equal a fresh extraction from the packages (when they are in the artifact cache), and
the schemas cfglint ships know exactly the keys pi 1.6.0 knows (always)."""

from __future__ import annotations

import json

import pytest

from cfglint.harnesses.pi import facts
from cfglint.validation.validate import load_schema
from tools.extract import pi as extract


def test_committed_data_equals_a_fresh_extraction():
    outputs = extract.generate(download=False)
    if outputs is None:
        pytest.skip("pi packages not in the artifact cache (run `python -m tools.extract pi`)")
    assert set(outputs) == set(extract.OUTPUTS)
    for path, text in outputs.items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name}: run `python -m tools.extract pi`"


def test_data_names_its_packages():
    for path in extract.OUTPUTS:
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["generated_by"] == "tools/extract/pi.py"
        [artifact] = document["artifacts"]
        assert artifact["package"].endswith(("pi-coding-agent", "pi-ai")) and len(artifact["sha256"]) == 64


def test_settings_schema_keys_equal_the_extracted_keys():
    shipped = load_schema("pi")
    extracted = facts.settings_schema()
    assert set(shipped["properties"]) == set(extracted["properties"])
    compaction = extracted["properties"]["compaction"]
    assert set(shipped["properties"]["compaction"]["properties"]) == set(compaction["properties"])
    override = compaction["properties"]["modelOverrides"]["patternProperties"]["^.*$"]["properties"]
    assert set(shipped["properties"]["compaction"]["properties"]["modelOverrides"]["additionalProperties"]
               ["properties"]) == set(override)


def test_models_schema_keys_equal_the_extracted_keys():
    shipped = load_schema("pi-models")["properties"]["providers"]["additionalProperties"]
    extracted = facts.models_schema()["properties"]["providers"]["patternProperties"]["^.*$"]
    assert set(shipped["properties"]) == set(extracted["properties"])
    assert set(shipped["properties"]["models"]["items"]["properties"]) == \
        set(extracted["properties"]["models"]["items"]["properties"])
    assert set(shipped["properties"]["modelOverrides"]["additionalProperties"]["properties"]) == \
        set(extracted["properties"]["modelOverrides"]["patternProperties"]["^.*$"]["properties"])


def test_compaction_defaults_are_the_extracted_ones():
    compaction = facts.settings_schema()["properties"]["compaction"]["properties"]
    assert compaction["reserveTokens"]["default"] == facts.DEFAULT_RESERVE_TOKENS
    assert compaction["keepRecentTokens"]["default"] == facts.DEFAULT_KEEP_RECENT_TOKENS
    model = facts.models_schema()["properties"]["providers"]["patternProperties"]["^.*$"]["properties"]["models"]["items"]
    assert model["properties"]["contextWindow"]["default"] == facts.CUSTOM_MODEL_CONTEXT_WINDOW
    assert model["properties"]["maxTokens"]["default"] == facts.CUSTOM_MODEL_MAX_TOKENS


@pytest.mark.parametrize(("version", "key", "window", "output"), [
    ("1.6.0", ("anthropic", "claude-sonnet-4-5"), 200_000, 64_000),
    ("1.6.0", ("anthropic", "claude-opus-4-7"), 1_000_000, 128_000),
    ("1.6.0", ("openai", "gpt-5.5"), 272_000, 128_000),
    ("1.6.0", ("minimax", "MiniMax-M2.7"), 204_800, 131_072),
    ("0.73.1", ("anthropic", "claude-opus-4-7"), 1_000_000, 128_000),
])
def test_catalog_has_the_sheets_examples(version, key, window, output):
    model = facts.builtin_model(facts.Version.parse(version), *key)
    assert (model["contextWindow"], model["maxTokens"]) == (window, output)
