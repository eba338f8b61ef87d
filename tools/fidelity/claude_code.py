"""Differential test of cfglint's Claude Code resolver against Claude Code 2.1.329's own code (issue 11).

Adapted from the reference harness of issue 11 (`shared/oracles/claude_compare.py` and `claude_oracle.mjs`):
the same generator classes, the same oracle technique. Claude Code is a Bun single-file executable; its ES
modules (unpacked by `tools/extract/claude_code.py` into the artifact cache) run under the Bun release it
embeds, one process per config, in the CLI's own start-up order (`claude_code_oracle.mjs`). cfglint's side is
`cfglint explain --format json --no-env` on the same settings file and shell environment, in-process.

    python tools/fidelity/claude_code.py [--count 500] [--seed 1] [--jobs 2]
                                         [--record tests/fidelity/data/claude-code.json] [--sample 50]

Numbers compared exactly per config: `window` (the auto-compact window, Yy), `trigger` (the first token
count mSs compacts at; null when it never does proactively), `block_at` (where the turn blocks) and
`max_tokens_normal` (the max output tokens, twr: CLAUDE_CODE_MAX_OUTPUT_TOKENS or the catalog default).
The oracle computes no remaining-window clamp and no summary request, so `max_tokens_at_trigger` and
`max_tokens_compaction` are not compared. Prints a table per number, `claude-code <version> fidelity: N/M
exact`, and the mismatches grouped by class with one reproducer each.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tools.extract.claude_code import (  # noqa: E402  (needs REPO on sys.path)
    BUN_PACKAGE,
    BUN_VERSION,
    PACKAGE,
    VERSION,
    _bun_binary,
    _module_root,
)
from tools.extract.common import npm_artifact  # noqa: E402
from tools.fidelity import add_run_arguments, round_robin, write_sample  # noqa: E402

DIALECT = "claude-code"
ORACLE = Path(__file__).with_name("claude_code_oracle.mjs")
SETTINGS = ".claude/settings.json"
NUMBERS = ("window", "trigger", "block_at", "max_tokens_normal")
RECORDED = ("window", "trigger", "max_tokens_normal")   # the numbers tests/fidelity/test_recorded.py replays

# --- generation (classes of the reference generator, plus legacy Opus ids) -----------------------------

MODELS = {
    "first-party": ["claude-sonnet-4-6", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "claude-opus-4-5",
                    "claude-opus-4-6", "claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "claude-opus-5-5",
                    "claude-sonnet-5", "claude-haiku-4-5", "claude-haiku-4-5-20251001", "claude-3-5-haiku-20241022",
                    "claude-3-7-sonnet-20250219", "claude-fable-5", "claude-sonnet-4-0", "claude-opus-4.5",
                    "Claude-Sonnet-4-6"],
    "legacy-opus": ["claude-opus-4-1", "claude-opus-4-0", "claude-opus-4-20250514", "claude-opus-4-1-20250805"],
    "one-m": ["claude-sonnet-4-6[1m]", "claude-opus-4-6[1m]", "claude-sonnet-4-5[1m]", "claude-opus-5[1m]",
              "claude-opus-4-8[1M]", "claude-haiku-4-5[1m]"],
    "alias": ["sonnet", "opus", "haiku", "best", "fable", "opusplan", "sonnet[1m]", "opus[1m]", "default"],
    "third-party": ["glm-4.6", "kimi-k2-0905-preview", "deepseek-chat", "qwen3-coder-plus", "gpt-5", "glm-4.6[1m]",
                    "anthropic/claude-sonnet-4.5", "z-ai/glm-4.6", "minimax-m2", "my-model[1m]"],
}
MODEL_WEIGHTS = {"first-party": 0.34, "legacy-opus": 0.06, "one-m": 0.15, "alias": 0.17, "third-party": 0.28}
WINDOWS = ["100000", "150000", "200000", "262144", "500000", "1000000", "2000000", "50000", "500k", "256K", "0.25m",
           "1e6", "262,144", "262_144", "300000.9", "abc", "0", "-5", "", " 300000 ", "200", "8000"]
PCTS = ["50", "75", "83", "90", "95", "100", "0.5", "50%", "33.3", "0", "101", "-1", "abc"]
MAX_OUT = ["8000", "16000", "20000", "32000", "64000", "200000", "8k", "0", "abc", "12000", "1e4", "64_000"]
SETTINGS_WINDOWS = [100000, 150000, 250000, 500000, 1000000, 50000, 2000000, 8000]


def generate(count: int, seed: int) -> list[dict]:
    """`count` configs: a settings file (model, env block, windows, switches) and a shell environment;
    each variable lands in the shell or the settings `env` block at random."""
    rng = random.Random(seed)
    return [_config(rng, i) for i in range(count)]


def _config(rng: random.Random, index: int) -> dict:
    settings: dict = {}
    shell: dict[str, str] = {}
    block: dict[str, str] = {}

    def put(name: str, value: str) -> None:
        (block if rng.random() < 0.5 else shell)[name] = value

    kind = rng.choices(list(MODEL_WEIGHTS), weights=list(MODEL_WEIGHTS.values()))[0]
    model = rng.choice(MODELS[kind])
    where = rng.random()
    if where < 0.60:
        settings["model"] = model
    elif where < 0.88:
        put("ANTHROPIC_MODEL", model)
    else:
        kind = "no-model"
    chance = {"CLAUDE_CODE_AUTO_COMPACT_WINDOW": (0.45, WINDOWS), "CLAUDE_AUTOCOMPACT_PCT_OVERRIDE": (0.40, PCTS),
              "CLAUDE_CODE_MAX_OUTPUT_TOKENS": (0.25, MAX_OUT),
              "CLAUDE_CODE_MAX_CONTEXT_TOKENS": (0.12, ["262144", "128000", "262k", "2000000", "50000"]),
              "CLAUDE_CODE_DISABLE_1M_CONTEXT": (0.06, ["1"]),
              "DISABLE_AUTO_COMPACT": (0.06, ["1", "true", "yes", "0"]), "DISABLE_COMPACT": (0.03, ["1"]),
              "CLAUDE_CODE_DISABLE_UNKNOWN_MODEL_WINDOW_ENFORCEMENT": (0.06, ["1"]),
              "CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE": (0.05, ["150000", "50000", "900000"]),
              "CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP": (0.04, ["1"]),
              "ANTHROPIC_BASE_URL": (0.10, ["https://openrouter.ai/api", "https://api.anthropic.com",
                                            "http://127.0.0.1:9"]),
              "ANTHROPIC_DEFAULT_OPUS_MODEL": (0.04, ["claude-opus-4-6", "claude-opus-4-8[1m]", "glm-4.6"]),
              "ANTHROPIC_DEFAULT_SONNET_MODEL": (0.04, ["claude-sonnet-4-6", "kimi-k2-0905-preview"])}
    for name, (p, values) in chance.items():
        if rng.random() < p:
            put(name, rng.choice(values))
    if rng.random() < 0.12:   # the provider switches, tested by Claude Code in this order
        put(rng.choice(["CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY"]), "1")
    if rng.random() < 0.15:
        settings["autoCompactWindow"] = rng.choice(SETTINGS_WINDOWS)
    if rng.random() < 0.10:
        key = rng.choice(["claude-sonnet-4-6", "claude-opus-4-8", "claude-opus-5", "claude-sonnet-4-5", "sonnet",
                          "claude-sonnet-4-6[1m]", "glm-4.6", "opus", "Claude-Opus-5-5", model.split("[")[0], model])
        settings["modelSettings"] = {key: {"autoCompactWindow": rng.choice([120000, 300000, 600000, "auto"])}}
    if rng.random() < 0.05:
        settings["autoCompactEnabled"] = False
    if block:
        settings["env"] = block
    return {"id": f"{DIALECT}-{index + 1:04d}", "kind": kind, "settings": settings, "shell": shell}


# --- the two sides ---------------------------------------------------------------------------------------

def setup() -> tuple[Path, Path, str, str]:
    """Bun, the unpacked modules, `package@version` and the executable package's sha256 (downloaded
    into the artifact cache when missing)."""
    claude = npm_artifact(PACKAGE, VERSION)
    bun = npm_artifact(BUN_PACKAGE, BUN_VERSION)
    return _bun_binary(bun), _module_root(claude), f"{PACKAGE}@{VERSION}", claude.sha256


def settings_text(case: dict) -> str:
    return json.dumps(case["settings"], indent=1) + "\n"


def run_oracle(bun: Path, root: Path, case: dict, base: Path) -> dict:
    """One Claude Code start: the settings as user settings (HOME), the shell environment as the process's."""
    home = base / case["id"] / "home"
    (home / ".claude").mkdir(parents=True, exist_ok=True)
    (home / SETTINGS).write_text(settings_text(case), encoding="utf-8")
    cwd = base / case["id"] / "cwd"
    cwd.mkdir(parents=True, exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), **case["shell"]}
    done = subprocess.run(["nice", str(bun), str(ORACLE), str(root)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180)
    try:
        answer = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": (done.stderr or done.stdout)[-600:]}
    answer["numbers"] = {"window": answer["window"], "trigger": answer["trigger"], "block_at": answer["blockAt"],
                         "max_tokens_normal": answer["maxOutputTokens"]}
    return answer


def run_cfglint(case: dict, base: Path) -> dict:
    """`cfglint explain --format json --no-env` on the case, in-process: its numbers and model id."""
    from click.testing import CliRunner

    from cfglint.cli import cli

    path = base / case["id"] / "cfg" / SETTINGS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(settings_text(case), encoding="utf-8")
    args = ["explain", "--format", "json", "--no-env", "--target", f"{DIALECT}@{VERSION}"]
    args += [arg for name, value in case["shell"].items() for arg in ("--env", f"{name}={value}")]
    result = CliRunner().invoke(cli, [*args, str(path)])
    try:
        budget = next(b for b in json.loads(result.stdout) if b["dialect"] == DIALECT)
    except (ValueError, StopIteration):
        return {"error": (result.output or repr(result.exception))[-600:]}
    return {"model_id": budget["model_id"],
            "numbers": {name: (budget["numbers"].get(name) or {}).get("value") for name in NUMBERS}}


# --- classes of mismatches (the reference classifier, in its order) ----------------------------------------

LEGACY_OPUS = ("claude-opus-4-20250514", "claude-opus-4-1-20250805", "claude-opus-4-0", "claude-opus-4-1")
ALIASES = {"sonnet", "opus", "haiku", "best", "fable", "opusplan", "default", "sonnet[1m]", "opus[1m]"}

# Differences cfglint keeps on purpose, by class: the harness code quoted and why (none yet).
DOCUMENTED: dict[str, str] = {}


def variables(case: dict) -> dict[str, str]:
    """The environment Claude Code sees: the shell with the settings `env` block on top."""
    return {**case["shell"], **(case["settings"].get("env") or {})}


def classify(case: dict, ora: dict, ours: dict, number: str) -> str:
    """The first cause that explains a mismatch of `number`."""
    env = variables(case)
    configured = env.get("ANTHROPIC_MODEL", case["settings"].get("model"))
    mine = ours.get("model_id") or ""
    theirs = re.sub(r"\[1m\]$", "", ora.get("model") or "", flags=re.IGNORECASE)
    if env.get("CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE") and ora["trigger"] is not None \
            and ora["trigger"] == ora["blockAt"] and ora["trigger"] < ora["threshold"]:
        return "blocking-limit override below the threshold: mSs compacts at level compact OR blocked"
    if theirs != mine:
        if (configured or "").lower() in LEGACY_OPUS:
            return "legacy Opus id remapped to the current Opus (CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP opts out)"
        if configured is None or configured.lower() in ALIASES:
            return f"alias / default model target: Claude {ora.get('model')!r}, cfglint {mine!r}"
        return f"model id resolution: Claude {ora.get('model')!r}, cfglint {mine!r}"
    if number == "max_tokens_normal":
        return f"max output tokens (twr), CLAUDE_CODE_MAX_OUTPUT_TOKENS={env.get('CLAUDE_CODE_MAX_OUTPUT_TOKENS')!r}"
    if ora.get("recognized") and ora.get("canonical") != mine.lower() and ("/" in mine or "." in mine):
        return f"provider-prefixed / dotted id: Claude recognises it as {ora.get('canonical')}"
    if any(key != ora.get("settingsKey") for key in case["settings"].get("modelSettings") or {}) \
            and ora.get("source") == "settings":
        return "modelSettings key canonicalised by Claude (date, [1m], alias)"
    if not ora.get("autoCompact") and number == "window":
        return "auto-compaction off: Claude ignores settings windows"
    if any(isinstance(v, int) and v < 0 for v in ours["numbers"].values()):
        return "window below the output reserve: Claude fires at 0 tokens, never below"
    if env.get("CLAUDE_AUTOCOMPACT_PCT_OVERRIDE") and number == "trigger":
        return "CLAUDE_AUTOCOMPACT_PCT_OVERRIDE arithmetic: Claude floor(E * (p / 100))"
    if "[1m]" in (configured or "").lower() and env.get("CLAUDE_CODE_MAX_CONTEXT_TOKENS"):
        return "CLAUDE_CODE_MAX_CONTEXT_TOKENS with an unrecognised [1m] id"
    return "other"


# --- comparison, report, record ----------------------------------------------------------------------------

def compare(cases: list[dict], oracle: dict[str, dict], ours: dict[str, dict]) -> int:
    """Print the table, the total and the mismatch classes; returns the number of inexact configs."""
    good = Counter()
    classes: dict[str, dict] = {}
    exact = 0
    for case in cases:
        ora, mine = oracle[case["id"]], ours[case["id"]]
        if "error" in ora or "error" in mine:
            side = "oracle" if "error" in ora else "cfglint"
            entry = classes.setdefault(f"{side} failed: {(ora.get('error') or mine.get('error'))[-160:]}",
                                       {"n": 0, "case": case})
            entry["n"] += 1
            continue
        differs = [name for name in NUMBERS if ora["numbers"][name] != mine["numbers"][name]]
        good.update(name for name in NUMBERS if name not in differs)
        undocumented = [name for name in differs if classify(case, ora, mine, name) not in DOCUMENTED]
        exact += not undocumented
        for name in differs:
            entry = classes.setdefault(f"{name}: {classify(case, ora, mine, name)}",
                                       {"n": 0, "case": case, "claude": ora["numbers"][name],
                                        "cfglint": mine["numbers"][name]})
            entry["n"] += 1
    total = len(cases)
    print(f"Claude Code {VERSION} (its own modules under Bun {BUN_VERSION}) vs cfglint, {total} configs")
    for name in NUMBERS:
        print(f"  {name:18} {good[name]:5}/{total} exact")
    if classes:
        print("mismatches by class (count, one reproducer):")
    for label, entry in sorted(classes.items(), key=lambda item: -item[1]["n"]):
        case = entry["case"]
        documented = " [documented]" if label.split(": ", 1)[-1] in DOCUMENTED else ""
        print(f"  {entry['n']:4}  {label}{documented}")
        print(f"        {case['id']}: shell={json.dumps(case['shell'])} settings={json.dumps(case['settings'])}")
        if "claude" in entry:
            print(f"        Claude Code {entry['claude']}, cfglint {entry['cfglint']}")
    print(f"{DIALECT} {VERSION} fidelity: {exact}/{total} exact")
    return total - exact


def sample(cases: list[dict], size: int) -> list[dict]:
    """Up to `size` cases stratified over the generator's model classes: round-robin, in case order."""
    queues: dict[str, list[dict]] = {}
    for case in cases:
        queues.setdefault(case["kind"], []).append(case)
    return round_robin(list(queues.values()), size)


def record(path: Path, cases: list[dict], oracle: dict, ours: dict, args: argparse.Namespace, package: str,
           sha256: str) -> None:
    """The recorded sample tests/fidelity/test_recorded.py replays. A case whose difference is not a
    documented decision is left out (and said): it is a gap to close, not a fact to freeze."""
    chosen = []
    for case in sample([c for c in cases if "error" not in oracle[c["id"]]], len(cases)):
        ora, mine = oracle[case["id"]], ours[case["id"]]
        documented = {name: DOCUMENTED[cls] for name in RECORDED
                      if ora["numbers"][name] != mine.get("numbers", {}).get(name)
                      and (cls := classify(case, ora, mine, name)) in DOCUMENTED}
        if any(ora["numbers"][name] != mine.get("numbers", {}).get(name) and name not in documented
               for name in RECORDED):
            print(f"record: {case['id']} left out (undocumented difference)", file=sys.stderr)
            continue
        chosen.append({"id": case["id"], "target": VERSION, "files": {SETTINGS: settings_text(case)},
                       "env": case["shell"], "model": None,
                       "oracle": {name: ora["numbers"][name] for name in RECORDED},
                       **({"documented": documented} if documented else {})})
        if len(chosen) == args.sample:
            break
    chosen.sort(key=lambda case: case["id"])
    write_sample(path, dialect=DIALECT, package=package, sha256=sha256,
                 generator=f"tools/fidelity/claude_code.py --seed {args.seed} --count {args.count}", cases=chosen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_arguments(parser, count=500)
    parser.add_argument("--jobs", type=int, default=2, help="oracle processes at once")
    parser.add_argument("--keep", type=Path, help="work directory (kept); default: a temporary one")
    parser.add_argument("--reuse", action="store_true", help="re-score the oracle answers saved in --keep")
    args = parser.parse_args()
    bun, root, package, sha256 = setup()
    cases = generate(args.count, args.seed)
    with tempfile.TemporaryDirectory(prefix="cfglint-fidelity-claude-") as scratch:
        base = args.keep or Path(scratch)
        ours = {case["id"]: run_cfglint(case, base) for case in cases}
        saved = base / "oracle.json"
        if args.reuse and saved.is_file():
            oracle = json.loads(saved.read_text(encoding="utf-8"))
        else:
            with ThreadPoolExecutor(max_workers=args.jobs) as pool:
                oracle = dict(zip((c["id"] for c in cases), pool.map(lambda c: run_oracle(bun, root, c, base), cases)))
            saved.write_text(json.dumps(oracle), encoding="utf-8")
    print(f"{package} sha256 {sha256}")
    inexact = compare(cases, oracle, ours)
    if args.record:
        record(args.record, cases, oracle, ours, args, package, sha256)
    return 1 if inexact else 0


if __name__ == "__main__":
    sys.exit(main())
