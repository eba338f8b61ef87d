"""Fidelity of cfglint's opencode resolver against opencode's own shipped code (issue 12).

Same technique as `tools/fidelity/kilo.py` (Kilo is a fork of opencode; the generator's limit, compaction
and model classes are Kilo's, imported from there): generate seeded `opencode.jsonc` configs, run opencode's
own functions on each (`opencode_oracle.mjs`: the JavaScript modules of the npm platform binary, partly
imported as they ship, partly sliced out by anchors and evaluated under Node), run `cfglint explain --format
json` on the same config, and compare every number exactly. Catalog models merge with the models.dev snapshot
bundled in the opencode binary (what that opencode version believes when it has no cache file), not with
cfglint's registry.

Usage: python tools/fidelity/opencode.py [--count N] [--seed S] [--versions 1.18.33,1.14.41]
                                         [--catalog bundled|registry]
                                         [--record tests/fidelity/data/opencode.json] [--sample 50]
       CFGLINT_EXTRA_CORPUS=DIR python tools/fidelity/opencode.py --debug-config OUT.jsonl [--versions V]
       python tools/fidelity/opencode.py --models-check 30 [--versions ...]

Prints, per release (default 1.18.33, then 1.14.41 against `--target opencode@1.14.41`: its 8,000 tail cap, 2
tail turns, output cap read at load and older hooks), a table per number, the mismatches grouped by class with one
reproducer each, and a final `opencode <version> fidelity: N/M exact`. `--record` writes a stratified sample of the
first release's configs with the oracle's numbers for `tests/fidelity/test_recorded.py`. The packages are downloaded
with `npm pack` into `${CFGLINT_ARTIFACT_CACHE:-~/.cache/cfglint-artifacts}` when absent. `--catalog registry` merges
catalog models with cfglint's registry instead of the binary's snapshot (to tell catalog differences from others).

`--debug-config OUT` runs opencode's own checker (`opencode debug config --pure`, harness-opencode.md 6.2) on every
real `opencode.json[c]` of the shared corpus and of CFGLINT_EXTRA_CORPUS (`kilo/<NNN>/`, outside `.kilo`/
`.kilocode`), each copied as a project config into an empty git repository with a private HOME/XDG tree and
OPENCODE_DISABLE_MODELS_FETCH=1, and writes one JSON line per file (corpus, dialect dir, NNN, file, where it
was placed, exit code, the first lines it printed on stderr, seconds). `--models-check N` checks the oracle's
model merge against the binary itself: `opencode models <provider> --verbose --pure` prints the merged model
(limit, api id) of N generated configs, which must equal the oracle's.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tools import fidelity  # noqa: E402
from tools.extract.common import Artifact, bun_modules, cache_dir  # noqa: E402
from tools.extract.opencode import PACKAGE, VERSION, read_binary  # noqa: E402
from tools.fidelity import kilo  # noqa: E402  (Kilo's generator and cfglint runner: opencode's config is alike)
from tools.fidelity.kilo import (  # noqa: E402
    OTM_GOOD,
    config_text,
    gen_compaction,
    oracle_lines,
    summary_model,
    unsent,
    value,
)

HERE = Path(__file__).resolve().parent
ORACLE = HERE / "opencode_oracle.mjs"
DIALECT = "opencode"
SECOND_VERSION = "1.14.41"  # the oldest Effect Schema build: 8,000 tail cap, 2 tail turns, output cap read at load
CONFIG = "opencode.jsonc"
NUMBERS = ("window", "trigger", "max_tokens_normal", "max_tokens_at_trigger", "max_tokens_compaction")
SECONDARY = ("kept_tail",)
OTM = "OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX"
# Effect `Config.boolean` spellings (RuntimeFlags): any other value stops opencode, so none is generated
EFFECT_BOOLEANS = ["1", "true", "yes", "on", "y", "0", "false", "no", "off", "n"]
# catalog pairs that exercise the special cases (kept when the bundled snapshot has them); more are drawn
CATALOG = [
    ("anthropic", "claude-sonnet-4-5"), ("anthropic", "claude-opus-4-1"), ("anthropic", "claude-haiku-4-5"),
    ("anthropic", "claude-sonnet-4-6"), ("anthropic", "claude-opus-4-6"),
    ("openai", "gpt-5"), ("openai", "gpt-4.1"), ("openai", "o3"), ("openai", "gpt-5.5"),
    ("google", "gemini-2.5-pro"), ("google", "gemini-2.5-flash"),
    ("deepseek", "deepseek-chat"), ("deepseek", "deepseek-reasoner"), ("zhipuai", "glm-4.6"),
    ("moonshotai", "kimi-k2-0905-preview"), ("mistral", "mistral-large-latest"), ("groq", "openai/gpt-oss-120b"),
    ("openrouter", "anthropic/claude-sonnet-4.5"), ("openrouter", "z-ai/glm-4.6"), ("openrouter", "openai/gpt-5"),
    ("github-copilot", "gpt-5-mini"), ("github-copilot", "claude-sonnet-4.5"), ("github-copilot", "gpt-4.1"),
    ("cerebras", "gpt-oss-120b"), ("zai", "glm-4.6"), ("opencode", "gpt-5-codex"), ("opencode", "claude-sonnet-4-5"),
    ("cloudflare-ai-gateway", "anthropic/claude-sonnet-4-5"), ("cloudflare-ai-gateway", "openai/gpt-5"),
]
PROVIDERS = (["myp", "local", "lab", "ollama", "lmstudio", "gw", "zhipu", "openai", "github-copilot", "cerebras",
              "anthropic"], [20, 15, 10, 8, 7, 10, 10, 6, 5, 4, 3])


# --- the artifact --------------------------------------------------------------------------------


def opencode_modules(version: str) -> tuple[Artifact, Path]:
    """The npm tarball of the platform binary of `opencode-ai` (downloaded when absent) and a folder of
    the binary's `chunk-*.js` modules as `.mjs`
    files importing each other by relative path (what the oracle reads and imports), unpacked once."""
    artifact = fidelity.required_artifact(PACKAGE, version)
    folder = cache_dir() / "unpacked" / f"{PACKAGE}@{version}-{artifact.sha256[:12]}"
    done = folder / ".complete"
    if not done.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in bun_modules(read_binary(artifact)).items():
            base = name.rsplit("/", 1)[-1]
            if base.startswith("chunk-") and base.endswith(".js"):
                text = re.sub(r'"/\$bunfs/root/([\w.-]+)\.js"', r'"./\1.mjs"', content.decode("utf-8"))
                (folder / f"{base[:-3]}.mjs").write_text(text, encoding="utf-8")
        done.write_text(artifact.sha256 + "\n")
    return artifact, folder


def opencode_binary(version: str) -> Path:
    """The `opencode` executable of the platform package, unpacked once into the artifact cache."""
    artifact = fidelity.required_artifact(PACKAGE, version)
    binary = cache_dir() / "unpacked" / f"{PACKAGE}@{version}-{artifact.sha256[:12]}-bin" / "opencode"
    return fidelity.unpacked_once(binary, lambda: read_binary(artifact), mode=0o755)


def run_oracle(node: str, modules: Path, lines: list[dict], *extra: str) -> list[dict]:
    return fidelity.run_oracle(ORACLE, node, modules, lines, *extra)


# --- generation ------------------------------------------------------------------------------------


def catalog_pairs(r: random.Random, listing: list[dict], extra: int = 60) -> list[tuple[str, str]]:
    """The fixed pairs the catalog has, plus `extra` drawn from it; models opencode drops (deprecated,
    alpha) left out."""
    kept = {(e["provider"], e["model"]) for e in listing if e["status"] not in ("deprecated", "alpha") and e["limit"]}
    ordered = sorted(kept)
    return list(dict.fromkeys([p for p in CATALOG if p in kept] + r.sample(ordered, min(extra, len(ordered)))))


def registry_catalog(pairs: list[tuple[str, str]], npm: dict[str, str]) -> dict[str, dict]:
    """cfglint's registry (snapshot + overlay, by exact key as `Registry.limits` reads it) in the shape of
    opencode's catalog, for these (provider, model id) pairs; `npm`: each provider's package (the registry
    has none), from the bundled snapshot."""
    from cfglint.registry import load_registry

    registry = load_registry(use_cache=False)
    catalog: dict[str, dict] = {}
    for provider, model in pairs:
        limits = registry.limits(provider, model)
        if limits is None or limits.context is None:
            continue
        limit = {"context": limits.context, "output": limits.output or 0,
                 **({"input": limits.input} if limits.input else {})}
        entry = catalog.setdefault(provider, {"models": {}, **({"npm": npm[provider]} if npm.get(provider) else {})})
        entry["models"][model] = {"id": model, "limit": limit, **({"status": limits.status} if limits.status else {})}
    return catalog


def referenced(cases: list[dict]) -> list[tuple[str, str]]:
    """(provider, catalog id) of every model the configs name: the session and the compaction model."""
    pairs = []
    for case in cases:
        for ref in (case["config"]["model"], summary_model(case)):
            if ref:
                provider, key = ref.split("/", 1)
                entry = ((case["config"].get("provider") or {}).get(provider) or {}).get("models", {}).get(key) or {}
                pairs.append((provider, entry.get("id", key)))
    return pairs


def gen_env(r: random.Random) -> dict:
    """Kilo's variables by opencode's names, plus Kilo's own output cap now and then."""
    env = kilo.gen_env(r, "OPENCODE", EFFECT_BOOLEANS)
    if r.random() < 0.04:
        env["KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX"] = r.choice(OTM_GOOD)  # Kilo's name: no effect on opencode
    return env


def gen_opencode_compaction(r: random.Random) -> dict | None:
    """Kilo's compaction classes (threshold_percent is dropped by opencode) plus `prune`."""
    comp = gen_compaction(r)
    if comp is not None and r.random() < 0.1:
        comp["prune"] = r.choice([True, False])
    return comp


def generate(count: int, seed: int, pairs: list[tuple[str, str]]) -> list[dict]:
    return kilo.generate(count, seed, pairs, dialect=DIALECT, schema="https://opencode.ai/config.json",
                         providers_drawn=PROVIDERS,
                         catalog_model=functools.partial(kilo.gen_catalog_model, cuts=(0.30, 0.45, 0.75, 0.90)),
                         compaction=gen_opencode_compaction, environment=gen_env)


def oracle_numbers(answer: dict) -> dict[str, Any]:
    """The numbers opencode computed, by cfglint's names; `None` = opencode has none (no trigger, not sent)."""
    comp = answer.get("compaction") or {}
    return {"window": answer["window"], "trigger": answer["trigger"], "max_tokens_normal": answer["maxTokens"],
            "max_tokens_at_trigger": answer["maxTokensAtTrigger"], "max_tokens_compaction": comp.get("maxTokens"),
            "kept_tail": comp.get("keptTail")}


# --- cfglint's side ------------------------------------------------------------------------------------


def cfglint_numbers(case: dict, budgets: list[dict]) -> tuple[dict[str, Any], set[str], dict[str, Any]]:
    """cfglint's numbers for the session model, the names of those that stand for `not sent`, and the
    session record's own numbers (what `tests/fidelity/test_recorded.py` reads)."""
    ref = case["config"]["model"]
    session = next((b for b in budgets if b["model"] == ref and b.get("dialect", DIALECT) == DIALECT), None)
    if session is None:
        return {}, set(), {}
    ours = {name: value(session, name) for name in NUMBERS}
    record = dict(ours)
    not_sent = {name for name in ("max_tokens_normal", "max_tokens_at_trigger", "max_tokens_compaction")
                if unsent(session, name)}
    summary = summary_model(case)
    if summary and summary != ref:
        # cfglint may report the summary request's cap in the compaction model's own record
        other = next((b for b in budgets if b["model"] == summary), None)
        if ours["max_tokens_compaction"] is None and other is not None:
            ours["max_tokens_compaction"] = value(other, "max_tokens_normal")
            if unsent(other, "max_tokens_normal"):
                not_sent.add("max_tokens_compaction")
    ours["kept_tail"] = value(session, "kept_tail")
    return ours, not_sent, record


# --- comparison ------------------------------------------------------------------------------------


def classify(name: str, case: dict, answer: dict, session: dict, ours: Any, theirs: Any, not_sent: bool) -> str:
    """The cause of one mismatch, from what the config contains and the session record cfglint printed
    (the classes of notes/opencode_fidelity.md, most specific first)."""
    env = case["env"]
    parsed = {e.get("name"): e.get("parsed") for e in session.get("environment") or []}
    raw, otm = env.get(OTM), answer.get("outputTokenMax")
    if raw is not None and (parsed.get(OTM) or 32000) != (otm or 32000):
        return f"{OTM} spelling (opencode reads {raw!r} as {otm}, cfglint as {parsed.get(OTM)})"
    sends = name.startswith("max_tokens") and theirs is not None and (ours is None or not_sent)
    if name.startswith("max_tokens") and theirs is None and ours is not None and not_sent:
        return "documented: opencode sends no max_tokens; cfglint shows the provider's default"
    provider, key = case["config"]["model"].split("/", 1)
    entry = ((case["config"].get("provider") or {}).get(provider) or {}).get("models", {}).get(key) or {}
    if "github-copilot" in provider:
        # the config's limits win over the API's (merged after the plugin's list); what it leaves out of a
        # model Copilot serves (in the catalog) comes from the API after sign-in, which the oracle lacks
        unwritten = "limit" not in entry or ("input" not in entry["limit"] and answer["model"].get("fromCatalog"))
        if unwritten:
            return ("documented: github-copilot with OAuth takes the model's limits from the Copilot API at run time "
                    "(cfglint: unknown); the oracle has no OAuth and merges the catalog's")
        return "github-copilot: cfglint takes the limits for the Copilot API's (unknown); the config's win"
    if session.get("trigger_rule") == "unknown":
        return "catalog entry: cfglint's catalog has none, so cfglint says unknown (opencode fetches its catalog at run time)"
    lim = answer["model"]["limit"]
    if not answer["model"].get("fromCatalog") and answer["window"] is None and value(session, "window"):
        return "catalog entry: in cfglint's catalog, not in opencode's bundled snapshot (session model)"
    if answer["model"].get("fromCatalog") and (
            value(session, "window") != answer["window"] or value(session, "input_cap") != (lim.get("input") or None)
            or ("limit" not in entry and value(session, "model_output") not in (None, lim.get("output")))):
        return "catalog entry: opencode's bundled snapshot and cfglint's catalog differ (session model)"
    summary = answer.get("compaction") or {}
    if name in ("max_tokens_compaction", "kept_tail") and summary.get("fromCatalog") and summary_model(case):
        return "catalog entry of the compaction model (opencode's bundled snapshot vs cfglint's catalog)"
    if sends and answer.get("disableDefaultPlugins"):
        return ("OPENCODE_DISABLE_DEFAULT_PLUGINS on: opencode loads no internal plugin (none of the hooks that "
                "unset max_tokens), so it sends max_tokens; cfglint says not sent")
    if name == "max_tokens_at_trigger" and answer["trigger"] is None and ours is not None:
        return "no trigger (auto off or context 0): opencode has no request at the trigger, cfglint gives a cap"
    if name == "trigger" and otm is not None and answer["postStepTrigger"] != answer["loopTopTrigger"] \
            and ours == answer["loopTopTrigger"]:
        return ("the post-step check (OTM 32,000) fires before the loop-top check (env OTM): cfglint takes the "
                "loop-top one")
    if sends:
        return "opencode sends max_tokens, cfglint says not sent (a hook of another release?)"
    if name.startswith("max_tokens") and theirs is None:
        return "opencode sends no max_tokens, cfglint sends one (a hook of another release?)"
    if name == "kept_tail" and otm is not None and answer.get("opencode", "").startswith("1.14."):
        return "kept tail: 1.14.x computes usable with the env output cap (a module constant)"
    values = [lim.get("context"), lim.get("input"), lim.get("output")]
    if any(isinstance(v, (int, float)) and v < 0 for v in values):
        return f"{name}: negative limit values"
    if any(isinstance(v, float) and not float(v).is_integer() for v in values):
        return f"{name}: fractional limit values"
    if 0 in values:
        return f"{name}: zero limit values"
    return f"{name}: other ({case['kind']})"


def compare(cases: list[dict], answers: dict[str, dict], budgets: dict[str, list[dict]]) -> list[dict]:
    """One row per case: both sets of numbers, which differ, and why."""
    def measure(case: dict, answer: dict) -> tuple | str:
        if "error" in answer:
            return f"oracle: {answer['error'][:160]}"
        ours, not_sent, record = cfglint_numbers(case, budgets.get(case["id"], []))
        if not ours:
            return ("cfglint printed no opencode budget for the session model"
                    + (" (a catalog model: its provider is not in cfglint's catalog?)"
                       if answer["model"].get("fromCatalog") else ""))
        return oracle_numbers(answer), ours, not_sent, record

    def cause(name: str, case: dict, answer: dict, ours: Any, theirs: Any, not_sent: bool) -> str:
        session = next(b for b in budgets[case["id"]] if b["model"] == case["config"]["model"])
        return classify(name, case, answer, session, ours, theirs, not_sent)

    return fidelity.compare(cases, answers, NUMBERS + SECONDARY, measure, cause)


def report(rows: list[dict], version: str) -> int:
    """Print the tables; the number of configs that agree (exactly, or by a documented decision)."""
    return fidelity.report(rows, title=f"opencode {version} (npm {PACKAGE}@{version}) vs cfglint", harness="opencode",
                           dialect=DIALECT, version=version, numbers=NUMBERS, secondary=SECONDARY)


# --- the harness's own checker on real files ---------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def corpus_files(roots: dict[str, Path]) -> list[tuple[str, str, str, str]]:
    """(corpus, dialect dir, NNN, file) of every `opencode.json[c]` under `<root>/kilo/<NNN>/` that is
    not in a `.kilo`/`.kilocode` directory (those are Kilo's)."""
    found = []
    for corpus, root in roots.items():
        for path in sorted((root / "kilo").glob("*/**/opencode.json*")):
            relative = path.relative_to(root / "kilo")
            nnn, inner = relative.parts[0], PurePosixPath(*relative.parts[1:])
            if path.name in ("opencode.json", "opencode.jsonc") and not {".kilo", ".kilocode"} & set(inner.parts):
                found.append((corpus, "kilo", nnn, str(inner)))
    return found


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """A private HOME/XDG tree, no models fetch, no update check: opencode sees nothing of this machine."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"), "XDG_DATA_HOME": str(home / ".local/share"),
            "XDG_STATE_HOME": str(home / ".local/state"), "OPENCODE_DISABLE_MODELS_FETCH": "1",
            "OPENCODE_DISABLE_AUTOUPDATE": "1", "TERM": "dumb", **extra}


def models_check(version: str, args: argparse.Namespace) -> int:
    """Check the oracle's model merge against the running binary: for `--models-check N` configs without
    env, the session model's merged `limit` and `api.id` as `opencode models <provider> --verbose --pure`
    prints them (the bundled snapshot, offline) against the oracle's."""
    artifact, modules = opencode_modules(version)
    binary = opencode_binary(version)
    pairs = catalog_pairs(random.Random(args.seed + 1), run_oracle(args.node, modules, [{"list": True}], "--catalog"))
    cases = [c for c in generate(args.count, args.seed, pairs) if not c["env"]][:args.models_check]
    answers = {a["id"]: a for a in run_oracle(args.node, modules, oracle_lines(cases))}
    same = differ = unlisted = 0
    for case in cases:
        answer, ref = answers[case["id"]], case["config"]["model"]
        with tempfile.TemporaryDirectory(prefix="cfglint-opencode-models-") as tmp:
            project, home = Path(tmp) / "project", Path(tmp) / "home"
            project.mkdir()
            (project / CONFIG).write_text(config_text(case), encoding="utf-8")
            subprocess.run(["git", "init", "-q", str(project)], check=True)
            # a dummy key: a catalog provider without credentials is not loaded
            keys = {name: "x" for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_GENERATIVE_AI_API_KEY")}
            run = subprocess.run(["nice", str(binary), "models", ref.split("/", 1)[0], "--verbose", "--pure"],
                                 cwd=project, env=isolated_env(home, **keys), capture_output=True, text=True, timeout=120)
        listed = re.search(r"^" + re.escape(ref) + r"\n(\{.*?\n\})", run.stdout, re.M | re.S)
        if listed is None or "error" in answer:
            unlisted += 1
            continue
        model = json.loads(listed.group(1))
        mine = {k: v for k, v in answer["model"]["limit"].items() if v is not None}
        if model["limit"] == mine and model["api"]["id"] == answer["model"]["api"]["id"]:
            same += 1
        else:
            differ += 1
            print(f"  {case['id']} {ref}: opencode {model['limit']} {model['api']['id']}, oracle {mine} "
                  f"{answer['model']['api']['id']}")
    print(f"opencode {version} models check: {same} same, {differ} differ, {unlisted} not listed (no credentials)")
    return 1 if differ else 0


def debug_config(binary: Path, source: Path, file: str, work: Path) -> dict:
    """`opencode debug config --pure` on one file copied as a project config (its own `.opencode/` kept) into
    an empty git repository, with a private HOME/XDG tree and no models fetch. `--pure`: without it opencode
    installs the file's `plugin` packages from npm (and runs them) before it prints anything."""
    shutil.rmtree(work, ignore_errors=True)
    project, home = work / "project", work / "home"
    placed = f".opencode/{PurePosixPath(file).name}" if PurePosixPath(file).parent.name == ".opencode" \
        else PurePosixPath(file).name
    (project / placed).parent.mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True)
    shutil.copyfile(source, project / placed)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    env = isolated_env(home)
    started = time.monotonic()
    try:
        run = subprocess.run(["nice", str(binary), "debug", "config", "--pure"], cwd=project, env=env, capture_output=True,
                             text=True, timeout=120)
        rc, errors = run.returncode, run.stderr
    except subprocess.TimeoutExpired as timeout:
        rc, errors = None, f"timeout after 120 s (blocked?): {(timeout.stderr or b'')[-400:]!r}"
    elapsed = round(time.monotonic() - started, 1)
    lines = [_ANSI.sub("", line).replace(str(project), "<project>").replace(str(home), "<home>").rstrip()
             for line in errors.splitlines() if line.strip()]
    if "--- Errors ---" in lines:  # a JSONC error echoes the whole input first: keep the heading and the errors
        lines = lines[:1] + lines[lines.index("--- Errors ---"):]
    return {"placed_as": placed, "rc": rc, "output": "\n".join(lines[:12]) + ("\n" if lines else ""), "time_s": elapsed}


def run_debug_config(version: str, out: Path, roots: dict[str, Path]) -> int:
    """One JSON line per file (the format of `tests/corpus/extra/oracle_kilo_config_check_7.7.9.jsonl`,
    plus the corpus and dialect dir): what opencode's own checker says of it."""
    binary = opencode_binary(version)
    files = corpus_files(roots)
    rows = []
    with tempfile.TemporaryDirectory(prefix="cfglint-opencode-debug-") as tmp:
        for corpus, dialect, nnn, file in files:
            row = {"corpus": corpus, "dialect": dialect, "NNN": nnn, "file": file,
                   **debug_config(binary, roots[corpus] / dialect / nnn / file, file, Path(tmp) / "run")}
            rows.append(row)
            print(f"{corpus}/{dialect}/{nnn}/{file}: rc {row['rc']} ({row['time_s']} s)", flush=True)
    out.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    refused = sum(row["rc"] != 0 for row in rows)
    print(f"opencode {version} debug config: {len(rows)} files, {refused} refused; written to {out}")
    return 0


# --- the recorded sample ---------------------------------------------------------------------------------

DOCUMENTED_UNSENT = (
    "opencode sends no max_tokens (the built-in plugins' chat.params hooks set `output.maxOutputTokens = void 0` "
    "for provider openai, github-copilot gpt models, @ai-sdk/cerebras with max_completion_tokens); cfglint shows "
    "the provider's default, the cap CMP001 compares with the headroom")
DOCUMENTED_COPILOT = (
    "github-copilot with OAuth (the only way Copilot answers) takes a model's limits from the Copilot API: the "
    "plugin's `provider.models` hook replaces the catalog's list (`CopilotModels.get(...)`); cfglint calls them "
    "unknown, the oracle (no OAuth) merges the catalog's")
DOCUMENTED_OTHER_RECORD = (
    "the summary request goes to `agent.compaction.model` (SessionCompaction.process: `m.model ? getModel(m.model"
    "...) : getModel(session model)`); cfglint reports that request's cap in the compaction model's own record")


def plain(row: dict) -> int:
    """Fewer of the cases the classes of notes/opencode_fidelity.md turned on come later (in the recorded
    sample: both checks apart, no trigger, not sent, plugins off, input cap, zero/negative/fractional limits)."""
    answer, limit = row["answer"], row["answer"]["model"]["limit"]
    special = [answer["postStepTrigger"] != answer["loopTopTrigger"], answer["trigger"] is None,
               answer["maxTokens"] is None, answer["disableDefaultPlugins"], "input" in limit,
               any(isinstance(v, (int, float)) and (v <= 0 or v != int(v)) for v in limit.values())]
    return -sum(special)


def documented_reason(why: str) -> str:
    """The harness code behind a documented difference (a number cfglint puts in another record when
    the run classified none)."""
    if "github-copilot" in why:
        return DOCUMENTED_COPILOT
    return DOCUMENTED_UNSENT if why else DOCUMENTED_OTHER_RECORD


def record(rows: list[dict], size: int, path: Path, artifact: Artifact, version: str, seed: int, count: int) -> None:
    fidelity.record(rows, size, path, numbers=NUMBERS, target=version, files=lambda case: {CONFIG: config_text(case)},
                    reason=documented_reason, plain=plain, dialect=DIALECT, package=f"{PACKAGE}@{version}",
                    sha256=artifact.sha256, generator=f"tools/fidelity/opencode.py --seed {seed} --count {count}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    fidelity.add_run_arguments(ap)
    ap.set_defaults(record=None)
    ap.add_argument("--versions", default=f"{VERSION},{SECOND_VERSION}",
                    help="comma-separated opencode-linux-x64 releases to run; the first is recorded (and the one "
                         "--debug-config runs)")
    ap.add_argument("--catalog", choices=("bundled", "registry"), default="bundled",
                    help="the catalog configured models merge with: the models.dev snapshot bundled in the opencode "
                         "binary (default), or cfglint's registry")
    ap.add_argument("--node", default=shutil.which("node") or "node")
    ap.add_argument("--keep", type=Path, help="write the generated configs here (default: a temporary folder)")
    ap.add_argument("--debug-config", type=Path, metavar="OUT",
                    help="instead: run `opencode debug config` on the real opencode.json[c] files of the shared and "
                         "the extra corpus (--wild, --extra) and write one JSON line per file to OUT")
    ap.add_argument("--models-check", type=int, metavar="N",
                    help="instead: check the oracle's merged model limits against `opencode models --verbose` on N "
                         "generated configs")
    ap.add_argument("--wild", type=Path, default=Path(os.environ.get("CFGLINT_WILD_CORPUS")
                                                       or REPO.parent / "shared" / "corpus" / "wild"))
    ap.add_argument("--extra", type=Path, default=Path(os.environ.get("CFGLINT_EXTRA_CORPUS") or "/nonexistent"))
    args = ap.parse_args(argv)
    versions = [v for v in args.versions.split(",") if v]
    if args.debug_config:
        roots = {name: root for name, root in (("wild", args.wild), ("extra", args.extra)) if root.is_dir()}
        return run_debug_config(versions[0], args.debug_config, roots)
    if args.models_check:
        return max(models_check(version, args) for version in versions)
    failed = False
    for version in versions:
        rows, artifact = run(version, args)
        failed |= report(rows, version) != len(rows)  # an undocumented difference fails `make fidelity`
        if args.record and version == versions[0]:
            record(rows, args.sample, args.record, artifact, version, args.seed, args.count)
    return 1 if failed else 0


def run(version: str, args: argparse.Namespace) -> tuple[list[dict], Artifact]:
    """Generate, run both sides and compare, for one opencode release."""
    artifact, modules = opencode_modules(version)
    listing = run_oracle(args.node, modules, [{"list": True}], "--catalog")
    with tempfile.TemporaryDirectory(prefix="cfglint-fidelity-opencode-") as tmp:
        extra: tuple[str, ...] = ()
        if args.catalog == "registry":
            npm = {e["provider"]: e["npm"] for e in listing if e.get("npm")}
            catalog = registry_catalog([(e["provider"], e["model"]) for e in listing], npm)
            listing = [{"provider": p, "model": m, "status": e.get("status", "active"), "limit": e["limit"]}
                       for p, c in catalog.items() for m, e in c["models"].items()]
        pairs = catalog_pairs(random.Random(args.seed + 1), listing)
        cases = generate(args.count, args.seed, pairs)
        if args.catalog == "registry":  # plus the catalog ids custom entries happen to name
            catalog = registry_catalog([(e["provider"], e["model"]) for e in listing] + referenced(cases), npm)
            (Path(tmp) / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
            extra = ("--catalog-file", str(Path(tmp) / "catalog.json"))
        answers = {a["id"]: a for a in run_oracle(args.node, modules, oracle_lines(cases), *extra)}
        root = args.keep / version if args.keep else Path(tmp)
        budgets = kilo.run_cfglint(cases, root, version, DIALECT, CONFIG)
    return compare(cases, answers, budgets), artifact


if __name__ == "__main__":
    sys.exit(main())
