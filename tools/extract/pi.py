"""pi's settings and models.json schemas and its built-in model catalog, from the shipped packages.

Sources:
- npm `@earendil-works/pi-coding-agent@1.6.0`: `schemas/settings.schema.json` and
  `schemas/models.schema.json`, the JSON Schemas pi generates from its TypeBox sources
  (`src/core/settings-schema.ts`, `src/core/model-config.ts`; "generated from TypeScript source",
  published at pi.dev/schemas since 1.2.0). Their key sets and the compaction defaults are what pi
  1.6.0 knows.
- npm `@earendil-works/pi-ai@1.6.0`: `dist/providers/data/<provider>.json`, the built-in catalog
  (`flattenChatModelCatalog` in `dist/model-catalog.js` keeps the `type: "chat"` entries, keyed by id,
  the last one winning).
- npm `@mariozechner/pi-ai@0.73.1`: `dist/models.generated.js` (`export const MODELS = {...}`), the
  catalog of the last release under the old name, read by importing it with Node.

Written: `cfglint/harnesses/pi/data/settings.json`, `models.json` (the two schemas, as shipped) and
`catalog-<version>.json` (provider -> model id -> contextWindow, maxTokens, api). pi-ai is MIT
licensed (its package.json and README; the package ships no LICENSE file and no separate notice for
its model data), recorded in each catalog file.

`python -m tools.extract.pi` downloads what is missing and writes the files.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from tools.extract.common import REPO, Artifact, npm_artifact, read_from_tgz, render, write_outputs

AGENT = ("@earendil-works/pi-coding-agent", "1.6.0")
CATALOGS = (("@earendil-works/pi-ai", "1.6.0"), ("@mariozechner/pi-ai", "0.73.1"))
DATA = REPO / "cfglint" / "harnesses" / "pi" / "data"
SETTINGS_OUTPUT = DATA / "settings.json"
MODELS_OUTPUT = DATA / "models.json"
OUTPUTS = (SETTINGS_OUTPUT, MODELS_OUTPUT, *(DATA / f"catalog-{version}.json" for _, version in CATALOGS))
GENERATOR = "tools/extract/pi.py"
PROVIDER_DATA = re.compile(r"^package/dist/providers/data/([a-z0-9-]+)\.json$")
CATALOG_FIELDS = ("contextWindow", "maxTokens", "api")


def generate(download: bool) -> dict[Path, str] | None:
    agent = npm_artifact(*AGENT, download=download)
    catalogs = [npm_artifact(package, version, download=download) for package, version in CATALOGS]
    if agent is None or any(artifact is None for artifact in catalogs):
        return None
    outputs = {
        SETTINGS_OUTPUT: render({"schema": _schema(agent, "settings")}, [agent], GENERATOR),
        MODELS_OUTPUT: render({"schema": _schema(agent, "models")}, [agent], GENERATOR),
    }
    for artifact in catalogs:
        facts = {"licence": _licence(artifact), "providers": _catalog(artifact)}
        outputs[DATA / f"catalog-{artifact.version}.json"] = render(facts, [artifact], GENERATOR)
    return outputs


def _schema(agent: Artifact, name: str) -> dict[str, Any]:
    schema = json.loads(read_from_tgz(agent, f"package/schemas/{name}.schema.json"))
    schema.pop("$comment", None)  # "generated from TypeScript source; do not edit": about pi's own file
    return schema


def _licence(artifact: Artifact) -> str:
    return json.loads(read_from_tgz(artifact, "package/package.json"))["license"]


def _catalog(artifact: Artifact) -> dict[str, dict[str, dict[str, Any]]]:
    """provider -> model id -> the limits and API pi uses for the built-in model."""
    raw = _provider_data(artifact) or _generated_models(artifact)
    return {provider: {model_id: {field: model.get(field) for field in CATALOG_FIELDS}
                       for model_id, model in sorted(models.items())}
            for provider, models in sorted(raw.items())}


def _provider_data(artifact: Artifact) -> dict[str, dict[str, Any]]:
    """The 1.x layout: one JSON file a provider, models grouped by API under `<type>:<id>` keys."""
    found: dict[str, dict[str, Any]] = {}
    with tarfile.open(artifact.path) as archive:
        for member in archive.getmembers():
            match = PROVIDER_DATA.match(member.name)
            if match is None:
                continue
            groups = json.loads(archive.extractfile(member).read())
            models = found.setdefault(match[1], {})
            for group in groups.values():
                for model in group.values():
                    if model.get("type") == "chat":  # flattenChatModelCatalog
                        models[model["id"]] = model
    return found


def _generated_models(artifact: Artifact) -> dict[str, dict[str, Any]]:
    """The 0.x layout: `dist/models.generated.js` exports MODELS; Node imports it and prints JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        module = Path(tmp) / "models.generated.mjs"
        module.write_bytes(read_from_tgz(artifact, "package/dist/models.generated.js"))
        printed = subprocess.run(
            ["node", "--input-type=module", "-e",
             f"import {{ MODELS }} from {json.dumps(module.as_uri())}; process.stdout.write(JSON.stringify(MODELS));"],
            check=True, capture_output=True, text=True)
    return json.loads(printed.stdout)


def main() -> int:
    return write_outputs(generate(download=True), "pi")


if __name__ == "__main__":
    sys.exit(main())
