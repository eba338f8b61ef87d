"""The shipped JSON Schemas work in editors as they are, and the README tells how.

Editors show a schema's `title` and `description`s on hover and in completion,
find the schema by the URL in `$id`, and (YAML and TOML language servers) often
implement only draft-07: so every schema and top-level property is described,
the `$id` is the raw GitHub URL the README documents, and only keywords that
draft-07 tools understand appear. The README's examples are then checked the
way a user would copy them: the in-file directives lint clean and validate.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import REPO

from cfglint.harnesses import schema_names

SCHEMAS = schema_names()

SCHEMA_DIR = REPO / "cfglint" / "schemas"
README = REPO / "README.md"
RAW_BASE = "https://raw.githubusercontent.com/cfglint/cfglint/main/cfglint/schemas/"

# Where each dialect's example goes, and the in-file directive the README documents for it.
EXAMPLE_FILE = {
    "kimi-code": ".kimi-code/config.toml",
    "kilo": "kilo.jsonc",
    "claude-code": ".claude/settings.json",
    "hermes": ".hermes/config.yaml",
}
DIRECTIVE = {
    "kimi-code": "#:schema {url}\n",
    "kimi-cli": "`#:schema {url}`",
    "kilo": '"$schema": "{url}"',
    "opencode": '"$schema": "{url}"',
    "pi": '"$schema": "{url}"',
    "pi-models": '"$schema": "{url}"',
    "claude-code": '"$schema": "{url}"',
    "hermes": "# yaml-language-server: $schema={url}\n",
    "codex": "`#:schema {url}`",
    "codex-catalog": '`"$schema": "{url}"`',
}

# Draft-07 keywords (validation and annotations), plus `$defs` (only ever a JSON-pointer target
# here) and `deprecated` (an annotation older tools ignore). `x-...` extensions are ignored by all.
DRAFT7_KEYWORDS = {
    "$schema", "$id", "$ref", "$comment", "$defs", "definitions",
    "title", "description", "default", "examples", "readOnly", "writeOnly", "deprecated",
    "type", "enum", "const",
    "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "format", "contentMediaType", "contentEncoding",
    "items", "additionalItems", "maxItems", "minItems", "uniqueItems", "contains",
    "maxProperties", "minProperties", "required", "properties", "patternProperties",
    "additionalProperties", "dependencies", "propertyNames",
    "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
}
NAME_MAPS = {"properties", "patternProperties", "$defs", "definitions", "dependencies"}


@lru_cache(maxsize=None)
def schema(dialect: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{dialect}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def editor_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Editor support")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def code_blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced code block."""
    return re.findall(r"^```(\w*)\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def test_every_dialect_ships_a_schema():
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json")) == sorted(f"{d}.schema.json" for d in SCHEMAS)


@pytest.mark.parametrize("dialect", SCHEMAS)
def test_schema_has_a_title_and_a_description(dialect):
    s = schema(dialect)
    assert isinstance(s.get("title"), str) and s["title"].strip()
    assert isinstance(s.get("description"), str) and s["description"].strip()


@pytest.mark.parametrize("dialect", SCHEMAS)
def test_every_top_level_property_has_a_description(dialect):
    """Hover text for every key an editor completes at the top of the file.

    A property that is only a `$ref` needs its own `description` next to it: draft-07 tools
    (yaml-language-server, taplo's older releases) ignore what sits beside a `$ref`, and the
    description of the referenced definition is not shown for the key by every editor.
    """
    missing = sorted(name for name, spec in schema(dialect)["properties"].items()
                     if not str(spec.get("description", "")).strip())
    assert missing == [], (
        f"{dialect}: top-level properties without a description: {missing} "
        "(give the model fields a description, or have cfglint/generate/schemas.py copy the "
        "referenced $defs description onto such properties)"
    )


@pytest.mark.parametrize("dialect", SCHEMAS)
def test_id_is_the_raw_github_url_of_the_shipped_file(dialect):
    from cfglint.generate.schemas import SCHEMA_BASE_URL, schema_filename

    assert SCHEMA_BASE_URL == RAW_BASE
    assert schema(dialect)["$id"] == RAW_BASE + schema_filename(dialect)
    # The URL's path inside the repository is where the file really is.
    assert (REPO / schema(dialect)["$id"].split("/main/", 1)[1]).is_file()
    assert schema(dialect)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_id_points_at_the_project_repository():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    homepage = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Homepage"]
    owner_repo = homepage.removeprefix("https://github.com/").strip("/")
    assert RAW_BASE.startswith(f"https://raw.githubusercontent.com/{owner_repo}/")


@pytest.mark.parametrize("dialect", SCHEMAS)
def test_schema_uses_only_keywords_draft7_editors_understand(dialect):
    found: set[str] = set()

    def walk(node, is_name_map=False):
        if isinstance(node, dict):
            for key, value in node.items():
                if not is_name_map:
                    found.add(key)
                walk(value, is_name_map=(not is_name_map and key in NAME_MAPS))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema(dialect))
    assert sorted(k for k in found if k not in DRAFT7_KEYWORDS and not k.startswith("x-")) == []


@pytest.mark.parametrize("dialect", ["kilo", "claude-code"])
def test_json_dialects_accept_a_schema_key(dialect):
    """What the README tells users to write into a JSON config validates against the schema."""
    from jsonschema import Draft202012Validator

    s = schema(dialect)
    assert s["properties"]["$schema"]["type"] == "string"
    assert list(Draft202012Validator(s).iter_errors({"$schema": s["$id"]})) == []


# The `$schema` each harness writes into a file that has none (Kilo, opencode) or its docs tell users
# to add (pi, Claude Code): harness-kilo.md §2, harness-opencode.md §2, harness-pi.md §2, the Claude Code docs.
HARNESS_SCHEMA_URL = {
    "kilo": "https://app.kilo.ai/config.json",
    "opencode": "https://opencode.ai/config.json",
    "pi": "https://pi.dev/schemas/settings.schema.json",
    "pi-models": "https://pi.dev/schemas/models.schema.json",
    "claude-code": "https://json.schemastore.org/claude-code-settings.json",
}


@pytest.mark.parametrize("dialect", sorted(HARNESS_SCHEMA_URL))
def test_json_dialects_accept_the_harness_own_schema_url(dialect):
    """A file keeps the `$schema` its harness wrote; an editor that maps that URL to cfglint's
    schema (the README's recipe) must not then flag the line itself."""
    from jsonschema import Draft202012Validator

    errors = Draft202012Validator(schema(dialect)).iter_errors({"$schema": HARNESS_SCHEMA_URL[dialect]})
    assert [e.message for e in errors if e.validator != "required"] == []  # pi's models.json needs `providers`


def defaults(node, pointer=""):
    """(JSON pointer, value) of every `default` in a schema; instance data (`const`, `enum`,
    `examples`, a default's own value) is not searched."""
    if not isinstance(node, dict):
        return
    if "default" in node:
        yield pointer, node["default"]
    for key, value in node.items():
        if key in ("default", "const", "enum", "examples"):
            continue
        if key in NAME_MAPS and isinstance(value, dict):
            children = value.items()
        elif isinstance(value, list):
            children = ((str(i), item) for i, item in enumerate(value))
        else:
            children = [("", value)]
        for name, child in children:
            escaped = name.replace("~", "~0").replace("/", "~1")
            yield from defaults(child, f"{pointer}/{key}" + (f"/{escaped}" if name else ""))


@pytest.mark.parametrize("dialect", SCHEMAS)
def test_every_default_is_a_value_the_schema_accepts(dialect):
    """Editors insert a property's `default` on completion (VS Code does), so each must pass the
    very schema that offers it. null is never one: pydantic writes it for "optional", and it says
    nothing that leaving the key out does not."""
    from urllib.parse import quote

    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    s = schema(dialect)
    registry = Registry().with_resource(s["$id"], Resource.from_contents(s))
    rejected = [(pointer, value) for pointer, value in defaults(s)
                if value is None or not Draft202012Validator(
                    {"$ref": f"{s['$id']}#{quote(pointer)}"}, registry=registry).is_valid(value)]
    assert rejected == []


def test_stated_harness_defaults_stay_for_hover():
    """The defaults the models state as harness facts survive the clean-up."""
    assert schema("hermes")["$defs"]["HermesCompression"]["properties"]["threshold"]["default"] == 0.5
    assert schema("kilo")["$defs"]["Compaction"]["properties"]["tail_turns"]["default"] == 2
    assert schema("kimi-cli")["$defs"]["KimiCliLoopControl"]["properties"]["reserved_context_size"]["default"] == 50000


# --- the README ---------------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", SCHEMAS)
def test_readme_documents_the_id(dialect):
    url = schema(dialect)["$id"]
    assert f"| `{dialect}` | `{url}` |" in editor_section()
    assert DIRECTIVE[dialect].format(url=url) in editor_section()


@pytest.mark.parametrize("dialect", sorted(EXAMPLE_FILE))
def test_readme_example_lints_clean_and_validates(dialect, cli, write):
    """Each in-file example: the directive or `$schema` key is first, and cfglint finds nothing."""
    url = schema(dialect)["$id"]
    (body,) = [body for _, body in code_blocks(editor_section()) if DIRECTIVE[dialect].format(url=url) in body]
    lines = [line for line in body.splitlines() if line.strip() and not line.startswith("//")]
    if lines[0] == "{":  # JSON: `$schema` is the first key
        assert lines[1].strip() == DIRECTIVE[dialect].format(url=url) + ","
    else:  # TOML, YAML: the directive is the first line
        assert body.startswith(DIRECTIVE[dialect].format(url=url))
    path = write(EXAMPLE_FILE[dialect], body)
    result = cli("check", "--output-format", "json", "--select", "SYN,SCH", str(path))
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_readme_vscode_settings_associate_every_dialect():
    import json5

    (settings_text,) = [body for lang, body in code_blocks(editor_section()) if '"json.schemas"' in body]
    settings = json5.loads(settings_text)
    ids = {d: schema(d)["$id"] for d in SCHEMAS}

    json_matches = {entry["url"]: entry["fileMatch"] for entry in settings["json.schemas"] if "fileMatch" in entry}
    assert set(json_matches) == {ids["kilo"], ids["opencode"], ids["pi"], ids["pi-models"], ids["claude-code"]}
    assert {"**/kilo.json", "**/kilo.jsonc", "**/.kilo/opencode.json"} <= set(json_matches[ids["kilo"]])
    assert {"**/opencode.json", "**/opencode.jsonc"} <= set(json_matches[ids["opencode"]])
    assert {"**/.pi/agent/settings.json", "**/.pi/settings.json"} == set(json_matches[ids["pi"]])
    assert ["**/.pi/agent/models.json"] == json_matches[ids["pi-models"]]
    assert "**/.claude/settings.json" in json_matches[ids["claude-code"]]

    assert settings["yaml.schemas"] == {ids["hermes"]: ["**/.hermes/config.yaml"]}

    toml = settings["evenBetterToml.schema.associations"]

    def toml_schema_for(uri: str) -> list[str]:
        return [url for pattern, url in toml.items() if re.search(pattern, uri)]

    assert toml_schema_for("file:///home/me/.kimi-code/config.toml") == [ids["kimi-code"]]
    assert toml_schema_for("file:///home/me/.kimi/config.toml") == [ids["kimi-cli"]]
    assert toml_schema_for("file:///home/me/.codex/config.toml") == [ids["codex"]]
    assert toml_schema_for("file:///home/me/.codex/fast.config.toml") == [ids["codex"]]
    assert toml_schema_for("file:///home/me/project/pyproject.toml") == []

def harness_redirects(entries: list[dict]) -> dict[str, dict]:
    """`url` -> inline `schema` of the settings entries that re-point a harness's own `$schema` URL."""
    return {entry["url"]: entry["schema"] for entry in entries if "schema" in entry}


def test_readme_vscode_settings_give_the_harness_urls_cfglint_schemas():
    """Kilo and opencode write their own `$schema` into the files, and VS Code prefers it to any
    `fileMatch`: the documented settings re-point those URLs, and trust the schemas' host."""
    import json5

    (settings_text,) = [body for _, body in code_blocks(editor_section()) if '"json.schemas"' in body]
    settings = json5.loads(settings_text)
    assert harness_redirects(settings["json.schemas"]) == {
        HARNESS_SCHEMA_URL[d]: {"$ref": schema(d)["$id"]} for d in ("kilo", "opencode")}
    assert settings["json.schemaDownload.trustedDomains"] == {RAW_BASE.split("/main/")[0] + "/": True}


def test_readme_zed_settings_give_the_harness_urls_cfglint_schemas():
    import json5

    (zed_text,) = [body for lang, body in code_blocks(editor_section())
                   if lang == "jsonc" and '"json-language-server"' in body]
    entries = json5.loads(zed_text)["lsp"]["json-language-server"]["settings"]["json"]["schemas"]
    assert harness_redirects(entries) == {
        HARNESS_SCHEMA_URL[d]: {"$ref": schema(d)["$id"]} for d in ("kilo", "opencode")}


def test_readme_neovim_settings_give_the_harness_urls_cfglint_schemas():
    (lua,) = [body for lang, body in code_blocks(editor_section()) if lang == "lua" and "jsonls" in body]
    base = re.search(r'local cfglint = "([^"]+)"', lua).group(1)
    redirects = dict(re.findall(r'url = "([^"]+)", schema = \{ \["\$ref"\] = cfglint \.\. "([^"]+)" \}', lua))
    assert {url: base + name for url, name in redirects.items()} == {
        HARNESS_SCHEMA_URL[d]: schema(d)["$id"] for d in ("kilo", "opencode")}
