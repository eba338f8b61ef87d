"""`tools/extract/opencode.py` and the opencode model against what it extracts.

The real run reads npm `opencode-linux-x64` 1.3.2 ... 1.18.33 from the artifact cache (skipped
when they are not there: `make test` downloads no harness package); the miniatures keep the
binaries' shapes (NUL-delimited modules, Effect `X.Struct`/zod `z.object`, export maps) with
other names, so the extraction never depends on a minified name or an offset.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cfglint.core.versions import Version
from cfglint.harnesses.opencode import facts, model
from tools.extract import opencode as extract

EFFECT_BINARY = (
    b"\x7fELF\0junk\0"
    b'var Q={};u(Q,{Info:()=>Pv,ConfigProviderV1:()=>Q});var Mm=W.Struct({id:W.optional(W.String),'
    b'limit:W.optional(W.Struct({context:W.Finite,input:W.optional(W.Finite),output:W.Finite})),'
    b'options:W.optional(W.Record(W.String,W.Any))}),Pv=W.Struct({npm:W.optional(W.String),'
    b'options:W.optional(W.StructWithRest(W.Struct({apiKey:W.optional(W.String),baseURL:W.optional(W.String)}),'
    b'[W.Record(W.String,W.Any)])),models:W.optional(W.Record(W.String,Mm))}).annotate({identifier:"ProviderConfig"});'
    b'var Cf=W.Struct({$schema:W.optional(W.String).annotate({description:"JSON schema"}),'
    b'share:W.optional(W.Literals(["manual","auto"])),autoshare:W.optional(W.Boolean).annotate({description:'
    b'"@deprecated Use \'share\' field instead. Share"}),provider:W.optional(W.Record(W.String,Q.Info)),'
    b'compaction:W.optional(W.Struct({auto:W.optional(W.Boolean),reserved:W.optional(c)}))})'
    b'.annotate({identifier:"Config"});\0'
    b'function b(o,t,r){let E=g.decodeUnknownExit(o)(t,{errors:"all",onExcessProperty:"ignore",propertyOrder:"x"})}'
    b'function sW($){let _={...$};if(!(("theme"in _)||("keybinds"in _)||("tui"in _)))return _;return _}\0'
)

ZOD_BINARY = (
    b"junk\0    Config.Info = zod_default.object({\n      $schema: zod_default.string().optional(),\n"
    b"      model: ModelId.describe(\"Model\").optional(),\n      compaction: zod_default.object({\n"
    b"        auto: zod_default.boolean().optional(),\n        reserved: zod_default.number().int().min(0).optional()\n"
    b"      }).optional()\n    }).strict().meta({\n      ref: \"Config\"\n    });\n\0"
)


def test_effect_build_key_sets_are_found_by_their_anchors():
    found = extract.version_facts(EFFECT_BINARY)
    assert found["schema_library"] == "effect" and found["top_level_unknown"] == "dropped"
    assert found["top_level"] == ["$schema", "autoshare", "compaction", "provider", "share"]
    assert found["compaction"] == ["auto", "reserved"]
    assert found["provider"] == ["models", "npm", "options"]
    assert found["provider_options"] == ["apiKey", "baseURL"]
    assert found["model"] == ["id", "limit", "options"]
    assert found["limit"] == {"keys": ["context", "input", "output"], "required": ["context", "output"]}
    assert extract.stripped_keys(EFFECT_BINARY) == ["theme", "keybinds", "tui"]


def test_zod_build_reads_the_top_level_and_compaction():
    found = extract.version_facts(ZOD_BINARY)
    assert found == {"schema_library": "zod", "top_level": ["$schema", "compaction", "model"],
                     "top_level_unknown": "error", "compaction": ["auto", "reserved"]}


def test_deprecations_name_their_replacement():
    reader = extract.ObjectReader(extract.module_at(EFFECT_BINARY, extract.EFFECT_CONFIG))
    top = extract._top_level_entries(reader.keys(reader.struct_ending_at(extract.EFFECT_CONFIG)))
    assert top["autoshare"]["replacement"] == "share" and "deprecated" not in top["share"]


# The ModelsDev module (`p=n.sync(()=>({...}))` after the anchor) and the Provider module
# (`fromModelsDevProvider`'s npm rule), NUL-delimited as in the 1.18.33 binary.
CATALOG_BINARY = (
    b"\0let f=o.readJson(ge.OPENCODE_MODELS_PATH);n.fn(\"ModelsDev.fetchApi\");let p=n.sync(()=>({acme:{id:\"acme\","
    b'npm:"@ai-sdk/openai-compatible",models:{"m-1":{id:"m-1",limit:{context:128e3,output:8192},status:"deprecated"},'
    b'"m-2":{id:"m-2",limit:{context:4e5,input:272e3,output:128e3},experimental:{modes:{fast:{}}}}}},'
    b'"cloudflare-ai-gateway":{id:"cloudflare-ai-gateway",models:{}}}));\0'
    b'function gN($,Z){if($!=="cloudflare-ai-gateway")return;if(Z.startsWith("openai/"))return"@ai-sdk/openai";return}'
    b'function CN($,Z){return{api:{id:Z.id,npm:gN($.id,Z.id)??Z.provider?.npm??$.npm??"@ai-sdk/openai-compatible"},'
    b'status:Z.status??"active"}}\0'
)


def test_bundled_catalog_is_read_with_kilo_code_and_modes_expanded():
    artifact = extract.Artifact("npm", extract.PACKAGE, extract.VERSION, Path(__file__))
    document = json.loads(extract.catalog(CATALOG_BINARY, artifact))
    assert document["generated_by"] == "tools/extract/opencode.py" and document["opencode_version"] == extract.VERSION
    assert document["npm_by_model_prefix"] == {"cloudflare-ai-gateway": {"openai/": "@ai-sdk/openai"}}
    assert document["providers"]["acme"]["models"] == {
        "m-1": [128000, None, 8192, "deprecated"], "m-2": [400000, 272000, 128000],
        "m-2-fast": [400000, 272000, 128000]}


def test_committed_data_regenerates_from_the_cached_binaries():
    outputs = extract.generate(download=False)
    if outputs is None:
        pytest.skip("opencode-linux-x64 binaries not in the artifact cache (run `make extract`)")
    for path, text in outputs.items():
        assert path.read_text(encoding="utf-8") == text, f"{path} differs from a fresh extraction"


def test_the_committed_data_names_every_binary_read():
    document = json.loads(Path(facts.DATA).read_text(encoding="utf-8"))
    assert [a["version"] for a in document["artifacts"]] == list(extract.VERSIONS)
    assert all(a["package"] == "opencode-linux-x64" and len(a["sha256"]) == 64 for a in document["artifacts"])
    catalog = json.loads(Path(facts.CATALOG).read_text(encoding="utf-8"))
    assert [(a["package"], a["version"]) for a in catalog["artifacts"]] == [("opencode-linux-x64", extract.VERSION)]
    assert catalog["opencode_version"] == facts.catalog_version() == extract.VERSION


def test_the_model_has_exactly_the_extracted_keys():
    """The import-time check, spelled out: the root is the Config struct plus what opencode strips
    or lowers before validating; the nested objects are the extracted ones."""
    keys = {field.alias or name for name, field in model.OpenCodeConfig.model_fields.items()}
    assert keys == facts.top_level_keys() | set(facts.stripped_keys()) | facts.v2_top_level_keys()
    assert len(facts.top_level_keys()) == 36
    limit = {field.alias or name for name, field in model.ModelLimit.model_fields.items()}
    assert (limit, facts.object_keys("limit")[1]) == ({"context", "input", "output"}, {"context", "output"})
    provider = {name for name in model.ProviderConfig.model_fields}
    assert provider == facts.object_keys("provider")[0]


@pytest.mark.parametrize(("version", "count"), [("1.3.2", 30), ("1.14.41", 32), ("1.15.13", 34), ("1.17.19", 35),
                                                ("1.18.3", 36), ("1.18.33", 36)])
def test_top_level_key_counts_per_release_row(version, count):
    """harness-opencode.md 3.2's table, from the binaries."""
    assert len(facts.top_level_keys(Version.parse(version))) == count


def test_unknown_top_level_keys_are_fatal_up_to_1_18_15():
    assert facts.unknown_top_level_fatal(Version.parse("1.18.15"))
    assert not facts.unknown_top_level_fatal(Version.parse("1.18.16"))
    assert facts.unknown_top_level_fatal(Version.parse("1.2.0"))  # older than every row: the oldest row


def test_kilo_only_keys_are_the_difference_of_the_two_extractions():
    assert len(facts.kilo_only_top_level()) == 18 and "threshold_percent" in facts.kilo_only_nested()["compaction"]
    assert facts.kilo_only_nested()["provider.*.models.*"] == {"prompt", "isFree", "ai_sdk_provider"}
