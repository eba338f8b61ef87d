"""Fidelity of cfglint's Kilo resolver against Kilo CLI's own shipped code (issue 11).

Adapted from the project's shared differential harness (shared/oracles/kilo_compare.py and
kilo_oracle.mjs, same technique and much of the same code): generate seeded `kilo.jsonc` configs,
run Kilo's own functions on each (`kilo_oracle.mjs`: sliced out of the JavaScript bundled in the
npm platform binary, evaluated under Node), run `cfglint explain --format json` on the same
config, and compare every number exactly. Unlike the shared script, the oracle merges catalog
models from the models.dev snapshot bundled in the Kilo binary itself (what that Kilo version
believes), not from cfglint's registry.

Usage: python tools/fidelity/kilo.py [--count N] [--seed S] [--record [tests/fidelity/data/kilo.json]]
                                     [--sample 50] [--node NODE] [--keep DIR]

Prints a table per number, the mismatches grouped by class with one reproducer each, and a final
`kilo 7.7.9 fidelity: N/M exact`. `--record` writes a stratified sample of the configs with the
oracle's numbers for `tests/fidelity/test_recorded.py`. The package is downloaded with `npm pack`
into `${CFGLINT_ARTIFACT_CACHE:-~/.cache/cfglint-artifacts}` when absent.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Sequence

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tools import fidelity  # noqa: E402
from tools.extract.common import Artifact, cache_dir  # noqa: E402
from tools.extract.kilo import PACKAGE, VERSION, read_bundle  # noqa: E402

HERE = Path(__file__).resolve().parent
ORACLE = HERE / "kilo_oracle.mjs"
DIALECT = "kilo"
CONFIG = "kilo.jsonc"
NUMBERS = ("window", "trigger", "max_tokens_normal", "max_tokens_at_trigger", "max_tokens_compaction")
SECONDARY = ("kept_tail", "chunk_budget")
UNSENT = "no max_tokens sent"  # how cfglint's formula says Kilo sends no max_tokens

# (provider, model key) pairs of Kilo's bundled catalog that exercise its special cases; more are
# drawn at random from the bundled catalog itself.
CATALOG = [
    ("anthropic", "claude-sonnet-4-5"), ("anthropic", "claude-opus-4-1"), ("anthropic", "claude-haiku-4-5"),
    ("anthropic", "claude-sonnet-4-6"), ("anthropic", "claude-opus-4-6"),
    ("openai", "gpt-5"), ("openai", "gpt-4.1"), ("openai", "o3"),
    ("google", "gemini-2.5-pro"), ("google", "gemini-2.5-flash"),
    ("deepseek", "deepseek-chat"), ("deepseek", "deepseek-reasoner"),
    ("moonshotai", "kimi-k2-0905-preview"), ("mistral", "mistral-large-latest"),
    ("groq", "openai/gpt-oss-120b"), ("openrouter", "anthropic/claude-sonnet-4.5"), ("openrouter", "z-ai/glm-4.6"),
    ("openrouter", "openai/gpt-5"), ("302ai", "gpt-5-mini"), ("llmgateway", "gpt-5-mini"),
    ("github-copilot", "gpt-5-mini"), ("github-copilot", "claude-sonnet-4.5"), ("github-copilot", "gpt-4.1"),
    ("cerebras", "gpt-oss-120b"), ("zai", "glm-4.6"), ("requesty", "openai/gpt-5"),
    ("opencode", "gpt-5-codex"), ("opencode", "claude-sonnet-4-5"),
    ("cloudflare-ai-gateway", "anthropic/claude-sonnet-4-5"), ("cloudflare-ai-gateway", "openai/gpt-5"),
]
OTM_GOOD = ["4096", "8000", "16384", "32000", "48000", "64000", "100000", "128000", "200000"]
OTM_ODD = ["1e5", "6.4e4", "64000.0", "+48000", "048000", " 48000", "48000 ", "0x9c40", "48000.5", "0", "-5", "abc",
           "64k", "", ".5e5", "1E5", "1_000", "Infinity", "64000.", "-0"]
BOOL_SPELLINGS = ["1", "true", "TRUE", "True", "yes", "on", "y", "0", "false", "no"]
CONTEXTS = [4096, 8192, 16000, 16384, 32000, 32768, 40000, 50000, 64000, 100000, 128000, 131072, 163840, 200000,
            202752, 256000, 262144, 400000, 1000000, 1048576, 2000000]
OUTPUTS = [0, 1024, 2048, 4096, 8192, 16384, 20000, 32000, 32768, 40960, 64000, 65536, 100000, 128000, 131072, 262144]
CUSTOM_KEYS = ["m1", "qwen3-coder", "glm-4.6", "llama-3.3-70b", "gpt-5-mini", "gpt-5.1-codex", "my-gpt-5", "GPT-5",
               "deepseek-v3", "kimi-k2", "coder", "gpt-4o", "openai/gpt-5", "vendor/model:free"]
NPMS = ["@ai-sdk/openai-compatible", "@ai-sdk/anthropic", "@ai-sdk/openai", "@ai-sdk/cerebras", "@ai-sdk/google"]
PROVIDERS = (["myp", "local", "lab", "vllm", "gw", "zhipu", "openai", "github-copilot", "cerebras", "cerebras-lab",
              "anthropic"], [20, 15, 10, 10, 10, 10, 6, 4, 3, 3, 3])


# --- the artifact --------------------------------------------------------------------------------


def kilo_bundle() -> tuple[Artifact, Path]:
    """The npm tarball (downloaded when absent) and its `src/index.js`, unpacked once into the cache."""
    artifact = fidelity.required_artifact(PACKAGE, VERSION)
    bundle = cache_dir() / "unpacked" / f"kilo-cli-linux-x64@{VERSION}-{artifact.sha256[:12]}" / "index.js"
    return artifact, fidelity.unpacked_once(bundle, lambda: read_bundle(artifact).encode("utf-8"))


def run_oracle(node: str, bundle: Path, lines: list[dict], *extra: str) -> list[dict]:
    return fidelity.run_oracle(ORACLE, node, bundle, lines, *extra)


# --- generation ------------------------------------------------------------------------------------


def gen_limit(r: random.Random) -> dict | None:
    if r.random() < 0.08:
        return None  # no `limit`: context 0, untracked
    x = r.random()
    if x < 0.70:
        context: float = r.choice(CONTEXTS)
    elif x < 0.94:
        context = r.randint(8000, 2_000_000)
    elif x < 0.96:
        context = 0
    elif x < 0.985:
        context = round(r.uniform(1000, 300000), r.choice([1, 2]))  # fractional: Kilo's Finite accepts it
    else:
        context = -r.randint(1, 50000)
    y = r.random()
    if y < 0.55:
        output: float = r.choice(OUTPUTS)
    elif y < 0.70:
        output = context                                          # output == context
    elif y < 0.80:
        output = int(abs(context) * r.choice([1.5, 2, 4])) + 1    # output above the window
    elif y < 0.97:
        output = r.randint(1, 300000)
    elif y < 0.99:
        output = round(r.uniform(100, 70000), 1)
    else:
        output = -r.randint(1, 5000)
    lim: dict = {"context": context, "output": output}
    z = r.random()
    if z < 0.35 and context:
        c = abs(context)
        lim["input"] = r.choice([int(c * r.uniform(0.3, 0.95)), c, r.randint(1, 30000), int(c * 1.2) + 1,
                                 int(c * r.uniform(0.5, 0.9))])
    elif z < 0.40:
        lim["input"] = 0
    return lim


def gen_compaction(r: random.Random) -> dict | None:
    c: dict = {}
    a = r.random()
    if a < 0.08:
        c["auto"] = False
    elif a < 0.15:
        c["auto"] = True
    t = r.random()
    if t < 0.35:
        c["threshold_percent"] = r.randint(1, 100)
    elif t < 0.55:
        c["threshold_percent"] = max(0.1, round(r.uniform(0.1, 100), r.choice([1, 2])))
    if r.random() < 0.40:
        c["reserved"] = r.choice([0, 1000, 4096, 8000, 16000, 20000, 32000, 50000, 100000, 300000])
    if r.random() < 0.15:
        c["preserve_recent_tokens"] = r.choice([0, 1000, 4000, 8000, 20000])
    if r.random() < 0.15:
        c["tail_turns"] = r.choice([0, 1, 2, 5])
    return c or (None if r.random() < 0.5 else {})


def gen_env(r: random.Random, prefix: str = "KILO",
            plugin_spellings: Sequence[str] = ("1", "true", "yes", "on", "y", "0", "false", "no")) -> dict:
    """The output cap, autocompact and default-plugins variables, by the harness's `prefix`."""
    env = {}
    x = r.random()
    if x < 0.30:
        env[f"{prefix}_EXPERIMENTAL_OUTPUT_TOKEN_MAX"] = r.choice(OTM_GOOD)
    elif x < 0.45:
        env[f"{prefix}_EXPERIMENTAL_OUTPUT_TOKEN_MAX"] = r.choice(OTM_ODD)
    if r.random() < 0.10:
        env[f"{prefix}_DISABLE_AUTOCOMPACT"] = r.choice(BOOL_SPELLINGS)
    if r.random() < 0.06:
        env[f"{prefix}_DISABLE_DEFAULT_PLUGINS"] = r.choice(plugin_spellings)
    return env


def gen_custom_model(r: random.Random) -> tuple[str, dict, dict]:
    key = r.choice(CUSTOM_KEYS)
    entry: dict = {}
    lim = gen_limit(r)
    if lim is not None:
        entry["limit"] = lim
    if r.random() < 0.10:
        entry["id"] = r.choice(["GPT-5-Turbo", "gpt-4o", "vendor/gpt-5", "model-x"])
    if r.random() < 0.06:
        entry["provider"] = {"npm": r.choice(NPMS)}
    prov: dict = {"options": {"baseURL": "http://127.0.0.1:9/v1"}}
    if r.random() < 0.15:
        prov["npm"] = r.choice(NPMS)
    if "@ai-sdk/cerebras" in (prov.get("npm"), entry.get("provider", {}).get("npm")) and r.random() < 0.6:
        entry["options"] = {"max_completion_tokens": r.choice([1024, 8192])}
    return key, entry, prov


def gen_catalog_model(r: random.Random, pairs: list[tuple[str, str]],
                      cuts: tuple[float, ...] = (0.30, 0.50, 0.80, 0.92)) -> tuple[str, str, str, dict | None]:
    """(kind, provider, key, the config's model entry or None for no provider block); `cuts`: where
    each kind's share of the draws ends."""
    pid, mid = r.choice(pairs)
    v = r.random()
    if v < cuts[0]:
        return "catalog", pid, mid, None                              # catalog only, no provider block
    if v < cuts[1]:
        return "catalog", pid, mid, {}                                # provider block, empty model entry
    if v < cuts[2]:
        lim = gen_limit(r) or {"context": 128000, "output": 8192}
        lim.pop("input", None)                                        # partial override: catalog input kept
        return "catalog-override", pid, mid, {"limit": lim}
    if v < cuts[3]:
        return "catalog-override", pid, mid, {"limit": gen_limit(r) or {"context": 64000, "output": 4096}}
    return "alias", pid, f"alias-{r.randint(1, 9)}", {"id": mid}      # key differs, `id` names the catalog entry


def catalog_pairs(r: random.Random, node: str, bundle: Path, extra: int = 40) -> list[tuple[str, str]]:
    """The fixed pairs plus `extra` drawn from cfglint's copy of the bundled catalog, kept only where
    the binary's own snapshot has them (the oracle's `--catalog`)."""
    catalog = json.loads((REPO / "cfglint" / "harnesses" / "kilo" / "data" / "catalog.json").read_text())
    providers = sorted(catalog["providers"])
    drawn = []
    while len(drawn) < extra:
        pid = r.choice(providers)
        models = sorted(catalog["providers"][pid]["models"])
        if models:
            drawn.append((pid, r.choice(models)))
    candidates = list(dict.fromkeys(CATALOG + drawn))
    answers = run_oracle(node, bundle, [{"provider": p, "model": m} for p, m in candidates], "--catalog")
    return [(a["provider"], a["model"]) for a in answers if a["limit"] is not None]


def generate(count: int, seed: int, pairs: list[tuple[str, str]], *, dialect: str = DIALECT,
             schema: str = "https://app.kilo.ai/config.json", providers_drawn: tuple[list, list] = PROVIDERS,
             catalog_model: Callable = gen_catalog_model, compaction: Callable = gen_compaction,
             environment: Callable = gen_env) -> list[dict]:
    """`count` seeded configs of `dialect` (opencode's have the same shape, drawn by its own functions)."""
    r = random.Random(seed)
    cases = []
    for i in range(count):
        cfg: dict = {"$schema": schema}
        providers: dict = {}
        if r.random() < 0.55:
            pid = r.choices(*providers_drawn)[0]
            key, entry, prov = gen_custom_model(r)
            prov["models"] = {key: entry}
            providers[pid] = prov
            kind = "custom"
        else:
            kind, pid, key, entry = catalog_model(r, pairs)
            if entry is not None:
                providers[pid] = {"models": {key: entry}}
        cfg["model"] = f"{pid}/{key}"
        if r.random() < 0.15:  # a separate compaction model
            kind += "+compaction-model"
            if r.random() < 0.5:
                cpid, ckey = "summ", "small"
                lim = gen_limit(r)
                providers[cpid] = {"options": {"baseURL": "http://127.0.0.1:9/v1"},
                                   "models": {ckey: ({"limit": lim} if lim else {})}}
            else:
                cpid, ckey = r.choice(pairs)
            cfg["agent"] = {"compaction": {"model": f"{cpid}/{ckey}"}}
        comp = compaction(r)
        if comp is not None:
            cfg["compaction"] = comp
        if providers:
            cfg["provider"] = providers
        env = environment(r)
        if env:
            kind += "+env"
        cases.append({"id": f"{dialect}-{i + 1:04d}", "kind": kind, "config": cfg, "env": env})
    return cases


# --- the oracle's side --------------------------------------------------------------------------------


def oracle_model(cfg: dict, ref: str) -> dict:
    pid, key = ref.split("/", 1)
    prov = (cfg.get("provider") or {}).get(pid) or {}
    return {"providerID": pid, "modelKey": key, "configModel": (prov.get("models") or {}).get(key),
            "configProvider": {k: v for k, v in prov.items() if k != "models"}, "catalogProvider": "bundled"}


def oracle_lines(cases: list[dict]) -> list[dict]:
    lines = []
    for case in cases:
        cfg = case["config"]
        line = {"id": case["id"], "env": case["env"], "compaction": cfg.get("compaction"),
                "model": oracle_model(cfg, cfg["model"])}
        summary = summary_model(case)
        if summary:
            line["compactionModel"] = oracle_model(cfg, summary)
        lines.append(line)
    return lines


def oracle_numbers(answer: dict) -> dict[str, Any]:
    """The numbers Kilo computed, by cfglint's names; `None` = Kilo has none (no trigger, not sent)."""
    comp = answer.get("compaction") or {}
    return {"window": answer["window"], "trigger": answer["trigger"], "max_tokens_normal": answer["maxTokens"],
            "max_tokens_at_trigger": answer["maxTokensAtTrigger"], "max_tokens_compaction": comp.get("maxTokens"),
            "kept_tail": comp.get("keptTail"), "chunk_budget": comp.get("chunkBudget")}


# --- cfglint's side ------------------------------------------------------------------------------------


def summary_model(case: dict) -> str | None:
    """`agent.compaction.model`, the model Kilo summarises with, when set."""
    return ((case["config"].get("agent") or {}).get("compaction") or {}).get("model")


def config_text(case: dict) -> str:
    return json.dumps(case["config"], indent=1) + "\n"


def run_cfglint(cases: list[dict], root: Path, version: str = VERSION, dialect: str = DIALECT,
                config: str = CONFIG) -> dict[str, list[dict]]:
    """`cfglint explain --format json --target <dialect>@<version>` on every config, written to
    `<case id>/<config>` (in-process, one call per environment and 200 files); the budgets of each
    config by case id."""
    from click.testing import CliRunner

    from cfglint.cli import cli

    groups: dict[tuple, list[dict]] = defaultdict(list)
    for case in cases:
        folder = root / case["id"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / config).write_text(config_text(case), encoding="utf-8")
        groups[tuple(sorted(case["env"].items()))].append(case)
    results: dict[str, list[dict]] = defaultdict(list)
    runner = CliRunner()

    def explain(env: tuple, members: list[dict], model: str | None = None) -> list[dict]:
        args = ["explain", "--format", "json", "--no-env", "--target", f"{dialect}@{version}"]
        args += [arg for name, value in env for arg in ("--env", f"{name}={value}")]
        args += ["--model", model] if model else []
        args += [str(root / c["id"] / config) for c in members]
        result = runner.invoke(cli, args)
        try:
            return json.loads(result.stdout)
        except ValueError:
            print(f"cfglint failed for env {env}: {result.output[-500:]}", file=sys.stderr)
            return []

    for env, members in groups.items():
        for k in range(0, len(members), 200):
            for budget in explain(env, members[k:k + 200]):
                layer = (budget.get("layers") or ["?"])[0]
                results[Path(layer).parent.name].append(budget)
    # cfglint's output hygiene elides untrusted strings that look like secrets (model ids among
    # them, `tencent-token-plan/'hy4-…' (11 chars)`): ask for such a model by name
    for case in cases:
        for ref in (case["config"]["model"], summary_model(case)):
            if ref and not any(b["model"] == ref for b in results[case["id"]]):
                for budget in explain(tuple(sorted(case["env"].items())), [case], model=ref):
                    results[case["id"]].append({**budget, "model": ref})
    return results


def value(budget: dict | None, name: str) -> Any:
    entry = (budget or {}).get("numbers", {}).get(name)
    return None if entry is None else entry.get("value")


def unsent(budget: dict | None, name: str) -> bool:
    """cfglint says Kilo sends no max_tokens (it shows the provider's default instead)."""
    entry = (budget or {}).get("numbers", {}).get(name) or {}
    return (entry.get("formula") or "").startswith(UNSENT)


def cfglint_numbers(case: dict, budgets: list[dict], otm: int) -> tuple[dict[str, Any], set[str], dict[str, Any]]:
    """cfglint's numbers for the session model, the names of those that stand for `not sent`,
    and the session record's own numbers (what `tests/fidelity/test_recorded.py` reads)."""
    ref = case["config"]["model"]
    session = next((b for b in budgets if b["model"] == ref), None)
    if session is None:
        return {}, set(), {}
    ours = {name: value(session, name) for name in NUMBERS}
    record = dict(ours)
    not_sent = {name for name in ("max_tokens_normal",) if unsent(session, name)}
    summary = summary_model(case)
    if summary and summary != ref:
        # cfglint reports the summary request's cap in the compaction model's own record
        other = next((b for b in budgets if b["model"] == summary), None)
        ours["max_tokens_compaction"] = value(other, "max_tokens_normal")
        if unsent(other, "max_tokens_normal"):
            not_sent.add("max_tokens_compaction")
    needed = value(session, "summary_needed")
    ours["kept_tail"] = value(session, "kept_tail")
    ours["chunk_budget"] = None if needed is None else needed - min(2048, otm)
    return ours, not_sent, record


# --- comparison ------------------------------------------------------------------------------------


def classify(name: str, case: dict, answer: dict, budget_env: dict[str, Any], ours: Any, theirs: Any,
             not_sent: bool) -> str:
    """The cause of one mismatch, from what the config contains."""
    cfg = case["config"]
    raw = case["env"].get("KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX")
    if raw is not None and budget_env.get("KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX") != answer.get("outputTokenMax"):
        return (f"KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX spelling (Kilo reads {raw!r} as {answer.get('outputTokenMax')}, "
                f"cfglint as {budget_env.get('KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX')})")
    if name.startswith("max_tokens") and theirs is None and ours is not None:
        return "documented: Kilo sends no max_tokens; cfglint shows the provider's default" if not_sent else \
            "Kilo sends no max_tokens, cfglint sends one"
    if name.startswith("max_tokens") and ours is None and theirs is not None:
        return "cfglint omits max_tokens that Kilo sends"
    if name == "kept_tail":
        return "kept-tail default"
    if name == "chunk_budget":
        return "chunk budget"
    lim = answer["model"]["limit"]
    values = [lim.get("context"), lim.get("input"), lim.get("output")]
    if any(isinstance(v, (int, float)) and v < 0 for v in values):
        return "negative limit values"
    if any(isinstance(v, float) and not float(v).is_integer() for v in values):
        return "fractional limit values"
    tp = (cfg.get("compaction") or {}).get("threshold_percent")
    if isinstance(tp, (int, float)) and lim.get("context"):
        c = lim["context"]
        if math.floor(c * tp / 100) != math.floor(c * (tp / 100)):
            return "threshold_percent float order"
    if "KILO_DISABLE_DEFAULT_PLUGINS" in case["env"]:
        return "KILO_DISABLE_DEFAULT_PLUGINS spelling"
    if "KILO_DISABLE_AUTOCOMPACT" in case["env"]:
        return "KILO_DISABLE_AUTOCOMPACT spelling"
    return "other"


def env_parsed(budgets: list[dict], ref: str) -> dict[str, Any]:
    session = next((b for b in budgets if b["model"] == ref), {})
    return {e.get("name"): e.get("parsed") for e in session.get("environment", []) or []}


def compare(cases: list[dict], answers: dict[str, dict], budgets: dict[str, list[dict]]) -> list[dict]:
    """One row per case: both sets of numbers, which differ, and why."""
    def measure(case: dict, answer: dict) -> tuple | str:
        if "error" in answer:
            return f"oracle: {answer['error'][:120]}"
        otm = answer.get("outputTokenMax") or 32000
        ours, not_sent, record = cfglint_numbers(case, budgets.get(case["id"], []), otm)
        if not ours:
            return "cfglint printed no budget for the session model"
        return oracle_numbers(answer), ours, not_sent, record

    def cause(name: str, case: dict, answer: dict, ours: Any, theirs: Any, not_sent: bool) -> str:
        parsed = env_parsed(budgets[case["id"]], case["config"]["model"])
        return classify(name, case, answer, parsed, ours, theirs, not_sent)

    return fidelity.compare(cases, answers, NUMBERS + SECONDARY, measure, cause)


DOCUMENTED_UNSENT = (
    "Kilo sends no max_tokens (session/llm.ts: `maxOutputTokens: H.model.api.npm === \"@ai-sdk/openai-compatible\" "
    "&& H.model.api.id.includes(\"gpt-5\") ? void 0 : ...`; the built-in plugins' chat.params hooks set "
    "`output.maxOutputTokens = void 0` for provider openai, github-copilot gpt models, cerebras with "
    "max_completion_tokens); cfglint shows the provider's default, up to the model's output limit, the cap "
    "CMP001 compares with the headroom")
DOCUMENTED_OTHER_RECORD = (
    "the summary request goes to `agent.compaction.model` (Kilo: `SessionCompaction` runs the compaction agent's "
    "model); cfglint reports that request's cap in the compaction model's own record (its max_tokens_normal, "
    "compared with its own output limit), not in the session model's")


def report(rows: list[dict]) -> int:
    """Print the tables; the number of configs that agree (exactly, or by a documented decision)."""
    version = next((r["answer"].get("kilo") for r in rows if r["answer"].get("kilo")), VERSION)
    return fidelity.report(rows, title=f"Kilo {version} (npm {PACKAGE}@{VERSION}) vs cfglint", harness="kilo",
                           dialect=DIALECT, version=version, numbers=NUMBERS, secondary=SECONDARY)


# --- the recorded sample ---------------------------------------------------------------------------------


def record(rows: list[dict], size: int, path: Path, artifact: Artifact, seed: int, count: int) -> None:
    fidelity.record(rows, size, path, numbers=NUMBERS, target=VERSION, files=lambda case: {CONFIG: config_text(case)},
                    reason=lambda why: DOCUMENTED_UNSENT if why else DOCUMENTED_OTHER_RECORD,
                    dialect=DIALECT, package=f"{PACKAGE}@{VERSION}", sha256=artifact.sha256,
                    generator=f"tools/fidelity/kilo.py --seed {seed} --count {count}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--record", type=Path, nargs="?", const=REPO / "tests" / "fidelity" / "data" / f"{DIALECT}.json",
                    help=f"write the recorded sample (default path: tests/fidelity/data/{DIALECT}.json)")
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--node", default=shutil.which("node") or "node")
    ap.add_argument("--keep", type=Path, help="write the generated configs here (default: a temporary folder)")
    args = ap.parse_args(argv)

    artifact, bundle = kilo_bundle()
    cases = generate(args.count, args.seed, catalog_pairs(random.Random(args.seed + 1), args.node, bundle))
    answers = {a["id"]: a for a in run_oracle(args.node, bundle, oracle_lines(cases))}
    with tempfile.TemporaryDirectory(prefix="cfglint-fidelity-kilo-") as tmp:
        root = args.keep or Path(tmp)
        budgets = run_cfglint(cases, root)
    rows = compare(cases, answers, budgets)
    agreeing = report(rows)
    if args.record:
        record(rows, args.sample, args.record, artifact, args.seed, args.count)
    return 0 if agreeing == len(rows) else 1  # an undocumented difference fails `make fidelity`


if __name__ == "__main__":
    sys.exit(main())
