"""`tools/extract/kilo.py` on a miniature of Kilo's bundle: it finds every fact by its anchor.

The real run reads npm `@kilocode/cli-linux-x64@7.7.9` (`tests/test_extracted_facts.py`
compares it with the committed data when the artifact is cached); this miniature keeps the
bundle's minified shapes (export maps, `V.Struct`, strings Kilo logs) with other names, so
the extraction can never depend on a minified name or an offset.
"""

from __future__ import annotations

from tools.extract import kilo

BUNDLE = r'''var Zq="7.7.9",Zr="latest";
var ab={};WL(ab,{Local:()=>Lc,Info:()=>Mc,ConfigMCPV1:()=>ab});var Lc,Rc,Mc;var zz=CH(()=>{Lc=V.Struct({type:V.Literal("local"),command:V.mutable(V.Array(V.String)),enabled:V.optional(V.Boolean)}),Rc=V.Struct({type:V.Literal("remote"),url:V.String,headers:V.optional(V.Record(V.String,V.String))}),Mc=V.Union([Lc,Rc]).annotate({discriminator:"type"})});
Pm=["codex","gemini"];
var Top=V.Struct({$schema:V.optional(V.String).annotate({description:"JSON schema reference"}),hide_prompt_training_models:V.optional(V.Boolean),reference:V.optional(V.Record(V.String,V.String)).annotate({description:"@deprecated Use 'references' field instead. Named refs"}),mode:V.optional(V.StructWithRest(V.Struct({build:V.optional(Ag)}),[V.Record(V.String,Ag)])).annotate({description:"@deprecated Use `agent` field instead."}),provider:V.optional(V.Record(V.String,V.NullOr(V.Struct({models:V.optional(V.Record(V.String,V.Struct({prompt:V.optional(V.Literals(Pm)),limit:V.optional(V.Struct({context:V.Finite,input:V.optional(V.Finite),output:V.Finite}))})))})))),mcp:V.optional(V.Record(V.String,V.Union([ab.Info,V.Struct({enabled:V.Boolean})]))),watcher:V.optional(V.Struct({ignore:V.optional(V.mutable(V.Array(V.String.check(V.isPattern(/^[a-z(]+$/)))))}))});
var Ag=V.StructWithRest(V.Struct({model:V.optional(V.NullOr(V.String)),steps:V.optional(w7)}),[V.Record(V.String,V.Any)]);
function Tk(H,A){let L={...H};if(!(("theme"in L)||("keybinds"in L)||("tui"in L)))return L;return delete L.theme,Lg.warn("tui keys in the main config are deprecated; move them to tui.json",{path:A}),L}
let Bs=new Set(["KILO_SERVER_PASSWORD","KILO_SERVER_USERNAME","KILO_BROWSER_BROKER_URL"]);
Dirs=hqH("ConfigPaths.directories")(function*(H,A){return k8H([r.config,...yield*L.up({targets:[".kilocode",".kilo"],start:H,stop:A})])});
if(C)throw new Err({message:`environment references are not allowed in project config: "${C[0]}"`});
function Sk(H,A){for(let[D,E]of Object.entries(H.mcp)){let f=Object.entries(E.headers).flatMap(([M,B])=>[M,B]).find((M)=>typeof M==="string"&&Hr.test(M))?.match(Hr)?.[0];L.push({message:`Skipped MCP "${D}": variable references are not allowed in project MCP headers ("${f}")`})}}var Hr;var Ss=CH(()=>{Hr=/\{(?:env|file):[^}]+\}/});
'''


def test_every_fact_is_found_by_its_anchor():
    facts = kilo.facts(BUNDLE)
    assert facts["kilo_version"] == "7.7.9"
    assert set(facts["top_level"]) == {"$schema", "hide_prompt_training_models", "reference", "mode", "provider",
                                       "mcp", "watcher"}
    assert facts["top_level"]["reference"] == {"description": "@deprecated Use 'references' field instead. Named refs",
                                               "deprecated": True, "replacement": "references"}
    assert facts["top_level"]["mode"]["replacement"] == "agent"
    assert facts["tui_keys"] == ["theme", "keybinds", "tui"]
    assert facts["blocked_env"] == ["KILO_SERVER_PASSWORD", "KILO_SERVER_USERNAME", "KILO_BROWSER_BROKER_URL"]
    assert facts["config_dirs"] == [".kilo", ".kilocode"]
    assert facts["project_config"]["mcp_header_reference_pattern"] == r"/\{(?:env|file):[^}]+\}/"


def test_objects_keep_required_keys_open_maps_and_union_members():
    objects = kilo.facts(BUNDLE)["objects"]
    assert objects["provider.*.models.*.limit"] == {"keys": ["context", "input", "output"],
                                                   "required": ["context", "output"], "open": False}
    assert objects["mode"]["open"] and objects["mode.*"] == {"keys": ["model", "steps"], "required": [], "open": True}
    assert objects["mcp.*|0|0"]["required"] == ["command", "type"]
    assert objects["mcp.*|0|1"]["keys"] == ["headers", "type", "url"]
    assert objects["mcp.*|1"] == {"keys": ["enabled"], "required": ["enabled"], "open": False}
    assert objects["watcher"]["keys"] == ["ignore"]  # a regex literal with a `(` inside is skipped whole


def test_enums_are_resolved_through_names():
    enums = kilo.facts(BUNDLE)["enums"]
    assert enums["provider.*.models.*.prompt"] == ["codex", "gemini"]
    assert enums["mcp.*|0|0.type"] == ["local"] and enums["mcp.*|0|1.type"] == ["remote"]


CATALOG_BUNDLE = r'''x=Q.fn("ModelsDev.fetchApi")(function*(){return 1}),F=x.sync(()=>({acme:{id:"acme",npm:"@ai-sdk/openai-compatible",models:{"m-1":{id:"m-1",name:"M \"1\"",attachment:!1,limit:{context:1e6,input:9.5e5,output:131072},status:"deprecated",experimental:{modes:{fast:{cost:{input:.5}}}}},m2:{id:"m2",limit:{context:8192,output:4096},provider:{npm:"@ai-sdk/anthropic"}}}},gw:{id:"gw",models:{}}})),C=1;
function PY9(H,A){if(H!=="gw")return;if(A.startsWith("openai/"))return"@ai-sdk/openai";return}function GY9(H,A){let L={api:{npm:PY9(H.id,A.id)??A.provider?.npm??H.npm??"@ai-sdk/openai-compatible"}}}
'''


def test_bundled_catalog_keeps_limits_status_npm_and_modes():
    src = kilo.Source(CATALOG_BUNDLE)
    catalog = kilo.bundled_catalog(src)
    assert catalog["acme"] == {"npm": "@ai-sdk/openai-compatible", "models": {
        "m-1": [1000000, 950000, 131072, "deprecated"], "m-1-fast": [1000000, 950000, 131072, "deprecated"],
        "m2": [8192, None, 4096, None, "@ai-sdk/anthropic"]}}
    assert catalog["gw"] == {"npm": None, "models": {}}
    assert kilo._npm_rules(src) == {"gw": {"openai/": "@ai-sdk/openai"}}


def test_js_literal_reads_minified_values():
    value, end = kilo.js_literal('{a:[!0,!1,null,-2.5e3,.25],"b c":"x\\u0041\\n"}tail', 0)
    assert value == {"a": [True, False, None, -2500, 0.25], "b c": "xA\n"} and end == 45
