"""Hermes Agent fidelity: cfglint's `explain` numbers against the `hermes-agent` wheels' own agent init (issue 11).

Usage: python tools/fidelity/hermes.py [--count N] [--seed S] [--record tests/fidelity/data/hermes.json]
                                       [--sample 50] [--versions 0.19.0,0.18.2,...] [--show N] [--dump FILE]

Downloads `hermes-agent==<version>` from PyPI into the artifact cache (`CFGLINT_ARTIFACT_CACHE`, else
~/.cache/cfglint-artifacts; reused when there), unpacks it, makes one virtualenv there with the newest wheel's
requirements (never the project's .venv), generates N config.yaml files with a seed (`hermes_gen.py`), runs the
wheel's own agent init on each, offline (`hermes_oracle.py`), and cfglint's `explain --format json --no-env
--target hermes@<version>` in-process, and compares exactly:
  window                 ContextCompressor.context_length
  trigger                ContextCompressor.threshold_tokens; None when compression is off or it is not below the window
  max_tokens_normal      the max-token field of AIAgent._build_api_kwargs for a short request (None: not sent)
  max_tokens_at_trigger  the same for a request of about threshold_tokens tokens (only when there is a trigger)
  output_reservation     ContextCompressor.max_tokens (subtracted from the window from 0.18.0)
  summary_budget         ContextCompressor.max_summary_tokens (cfglint: post_compaction_floor - kept_tail)
  kept_tail              ContextCompressor.tail_token_budget
The compaction request is not computed: its max_tokens depends on the conversation (0.13..0.18: int(summary budget
x 1.3) from the middle's size; 0.19.0 sends none), so cfglint's `max_tokens_compaction` is not compared.
A config the wheel refuses at start-up (window below 64,000, a provider without credentials) is exact when cfglint
says so (no budget, or `cfglint check` names the 64,000 minimum). Prints a table per number, the mismatches grouped
by class with one reproducer each (a `D` class is a documented decision, `DOCUMENTED` below), and
`hermes <version> fidelity: N/M exact` (configs all of whose numbers agree). The wheel's answers are kept in the
artifact cache (`fidelity/`, named by wheel, oracle, models.dev data and configs): a rerun after a resolver change
takes seconds (1,000 agent inits take about ten minutes on two cores).

Adapted from ../shared/oracles/hermes_compare.py and hermes_oracle.py.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(Path(__file__).resolve().parent)]

import hermes_gen  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from cfglint.cli import cli  # noqa: E402
from cfglint.harnesses.hermes import HERMES  # noqa: E402
from tools.extract.common import Artifact, cache_dir, pypi_artifact  # noqa: E402
from tools.fidelity import add_run_arguments, round_robin, write_sample  # noqa: E402

PACKAGE = "hermes-agent"
DIALECT = "hermes"
CONFIG_PATH = ".hermes/config.yaml"
ORACLE = Path(__file__).resolve().parent / "hermes_oracle.py"
# The summary model's SDK the agent imports for Anthropic routes (not among the wheel's base requirements).
EXTRA_REQUIREMENTS = ("anthropic==0.87.0",)
# (cfglint's number, the oracle's); the first four are recorded (tests/fidelity/test_recorded.py)
NUMBERS = ("window", "trigger", "max_tokens_normal", "max_tokens_at_trigger", "output_reservation",
           "summary_budget", "kept_tail")
RECORDED = NUMBERS[:4]


# --- the harness ---------------------------------------------------------------------------------


def wheel(version: str) -> tuple[Artifact, Path]:
    """The cached (else downloaded) wheel and its unpacked tree."""
    artifact = pypi_artifact(PACKAGE, version)
    if artifact is None:
        raise SystemExit(f"{PACKAGE}=={version}: not in the cache and pip could not fetch it")
    target = cache_dir() / "unpacked" / f"{PACKAGE}@{version}-{artifact.sha256[:12]}"
    if not (target / "run_agent.py").is_file():
        with zipfile.ZipFile(artifact.path) as archive:
            archive.extractall(target)
    return artifact, target


def runtime(newest: Path) -> Path:
    """The virtualenv the oracle runs in: the newest wheel's runtime requirements (made once, in the cache)."""
    venv = cache_dir() / "venv-hermes"
    python = venv / "bin" / "python"
    if not python.is_file():
        subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
        meta = next(newest.glob("hermes_agent-*.dist-info")) / "METADATA"
        reqs = []
        for line in meta.read_text().splitlines():
            spec, _, marker = line.removeprefix("Requires-Dist: ").partition(";")
            if line.startswith("Requires-Dist:") and "extra ==" not in marker and '== "win32"' not in marker:
                reqs.append(spec.strip())
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *reqs, *EXTRA_REQUIREMENTS], check=True)
    return python


def models_dev_cache(path: Path) -> Path:
    """Hermes's models.dev disk cache built from the snapshot cfglint's registry ships: same data on both sides."""
    import cfglint.registry

    snapshot = json.loads((Path(cfglint.registry.__file__).parent / "data" / "models-dev.json").read_text())
    data = {}
    for pid, provider in snapshot["providers"].items():
        models = {mid: {"id": mid, "limit": {k: v for k, v in zip(("context", "input", "output"), e[:3]) if v is not None}}
                  for mid, e in provider.get("models", {}).items()}
        data[pid] = {"id": pid, "models": models, **({"api": provider["api"]} if provider.get("api") else {})}
    path.write_text(json.dumps(data))
    return path


def run_oracle(python: Path, tree: Path, models_dev: Path, cases: list[dict], saved: Path) -> dict[str, dict]:
    """The wheel's answers, kept in SAVED (named by the wheel, the oracle, the models.dev data and the cases)
    so that a rerun after a resolver change compares again without minutes of agent inits."""
    if saved.is_file():
        return {a["id"]: a for a in map(json.loads, saved.read_text().splitlines())}
    lines = "".join(json.dumps({"id": c["id"], "yaml": c["yaml"], "env": c["env"]}) + "\n" for c in cases)
    proc = subprocess.run([str(python), str(ORACLE), str(tree), str(models_dev)], input=lines, capture_output=True,
                          text=True)
    answers = {a["id"]: a for a in map(json.loads, filter(None, proc.stdout.splitlines()))}
    if len(answers) != len(cases):
        raise SystemExit(f"the oracle stopped after {len(answers)} configs:\n{proc.stderr[-3000:]}")
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text("".join(json.dumps(answers[c["id"]]) + "\n" for c in cases))
    return answers


def answers_file(artifact: Artifact, models_dev: Path, cases: list[dict]) -> Path:
    digest = hashlib.sha256(ORACLE.read_bytes() + models_dev.read_bytes())
    digest.update(json.dumps([(c["yaml"], c["env"]) for c in cases]).encode())
    return cache_dir() / "fidelity" / f"hermes-{artifact.version}-{artifact.sha256[:12]}-{digest.hexdigest()[:16]}.jsonl"


def harness_numbers(answer: dict) -> dict:
    t = answer["threshold_tokens"]
    trigger = None if not answer["compression_enabled"] or t >= answer["window"] else t
    numbers = {"window": answer["window"], "trigger": trigger, "max_tokens_normal": answer.get("normal_max_tokens"),
               "output_reservation": answer["reservation"], "summary_budget": answer["max_summary_tokens"],
               "kept_tail": answer["tail_token_budget"]}
    if trigger is not None:
        numbers["max_tokens_at_trigger"] = answer.get("at_trigger_max_tokens")
    return numbers


# --- cfglint -------------------------------------------------------------------------------------


def cfglint(command: str, text: str, env: dict[str, str], version: str) -> tuple[int, str]:
    """`cfglint <command>` in-process on the config at .hermes/config.yaml of a fresh directory."""
    with tempfile.TemporaryDirectory(prefix="cfglint-fidelity-") as tmp:
        path = Path(tmp) / CONFIG_PATH
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        args = [command, *(("--format", "json", "--no-env") if command == "explain" else ()),
                "--target", f"{DIALECT}@{version}"]
        args += [arg for name, value in env.items() for arg in ("--env", f"{name}={value}")]
        result = CliRunner().invoke(cli, args + [str(path)])
    if result.exception and not isinstance(result.exception, SystemExit):
        return -1, repr(result.exception)
    return result.exit_code, result.stdout


def explain(case: dict, version: str) -> dict | None | str:
    """The budget of the config's model, None when cfglint budgets none, an error text on failure."""
    code, out = cfglint("explain", case["yaml"], case["env"], version)
    try:
        budgets = [b for b in json.loads(out) if b["dialect"] == DIALECT]
    except ValueError:
        return f"cfglint rc={code}: {out[-400:]}"
    return budgets[0] if budgets else None


def value(budget: dict, name: str):
    return ((budget.get("numbers") or {}).get(name) or {}).get("value")


def cfglint_numbers(budget: dict) -> dict:
    floor, tail = value(budget, "post_compaction_floor"), value(budget, "kept_tail")
    numbers = {name: value(budget, name) for name in NUMBERS if name != "summary_budget"}
    numbers["summary_budget"] = None if floor is None or tail is None else floor - tail
    return numbers


def acknowledges_refusal(case: dict, budget: dict | None, version: str) -> bool:
    """cfglint says Hermes cannot start: no budget, a note, or `check` naming the 64,000 minimum."""
    if budget is None:
        return True
    text = " ".join(budget.get("notes") or [])
    if "refuses" in text or "no API key" in text:
        return True
    return "64,000" in cfglint("check", case["yaml"], case["env"], version)[1]


# --- comparing -----------------------------------------------------------------------------------


def _env_int(env: dict):
    """HERMES_MAX_TOKENS as the 0.16+ CLI reads it: non-empty and int() -> that int, else None."""
    raw = env.get("HERMES_MAX_TOKENS")
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def classify(case: dict, answer: dict, name: str, theirs: dict, ours: dict) -> str:
    """A short name for why a number differs (the classes of ../shared/oracles/hermes_compare.py), then the route."""
    d = case["data"]
    m = d.get("model") if isinstance(d.get("model"), dict) else {}
    comp = d.get("compression") or {}
    mt, cl = m.get("max_tokens"), m.get("context_length")
    provider = str(m.get("provider") or "").lower()
    if name != "window" and theirs["window"] != ours["window"]:
        return f"(follows a window difference) {name}"
    if name == "window":
        if isinstance(cl, (str, bool, float)):
            return f"H2 model.context_length {type(cl).__name__} {cl!r}: agent init int()s it or ignores it"
        if d.get("custom_providers"):
            return "H3 custom_providers[].models.<m>.context_length"
        return f"H4 window resolution (provider {provider or 'none'}, api_mode {answer.get('api_mode')})"
    env_mt = _env_int(case["env"])
    if name in ("output_reservation", "trigger", "kept_tail") and theirs["output_reservation"] != ours["output_reservation"]:
        if env_mt is not None and env_mt <= 0:
            return "H6 HERMES_MAX_TOKENS <= 0 passed by the CLI: model.max_tokens unread, nothing reserved"
        if isinstance(mt, (bool, str, float)):
            return f"H7 model.max_tokens {type(mt).__name__} {mt!r}: the reservation reads it as the wheel does"
        return f"H10 output reservation differs ({name})"
    if name in ("trigger", "kept_tail"):
        en = comp.get("enabled", True)
        if "enabled" in comp and not isinstance(en, bool):
            return "H13 compression.enabled not a YAML bool: Hermes reads str(v).lower() in {true, 1, yes}"
        if isinstance(comp.get("threshold"), bool):
            return "H14 compression.threshold: true: Hermes float()s it to 1.0"
        if provider == "openai-codex":
            return f"H21 Codex OAuth threshold autoraise ({name})"
        return f"H15 {name} differs"
    if name.startswith("max_tokens"):
        if mt is True and name in DOCUMENTED:
            return f"D1 documented: `model.max_tokens: true` is sent as `true`; cfglint reports no number ({name})"
        if "HERMES_MAX_TOKENS" in case["env"]:
            return f"H20 HERMES_MAX_TOKENS={case['env']['HERMES_MAX_TOKENS']!r} ({name})"
        if isinstance(mt, (bool, str, float)) or (isinstance(mt, int) and mt <= 0):
            return f"H16 odd model.max_tokens {mt!r}: Hermes sends what the CLI / agent init made of it ({name})"
        return (f"H19 {name} (api_mode {answer.get('api_mode')}, provider {answer.get('provider')}, "
                f"source {answer.get('normal_source')}, field {answer.get('normal_field')})")
    return f"H99 {name}"


def compare(cases: list[dict], answers: dict, version: str) -> tuple[dict, list[dict]]:
    """Per-number counts, mismatch classes, and the comparison rows (for --record)."""
    exact, total = collections.Counter(), collections.Counter()
    classes: dict[str, list] = collections.defaultdict(list)
    refused = refused_ack = exact_configs = documented_configs = counted = 0
    rows = []
    for case in cases:
        answer = answers[case["id"]]
        if "oracle_error" in answer:
            classes["oracle error (config excluded)"].append((case, answer["oracle_error"][:200]))
            continue
        counted += 1
        budget = explain(case, version)
        if isinstance(budget, str):
            classes["cfglint error"].append((case, budget))
            continue
        if "refused" in answer:
            refused += 1
            if acknowledges_refusal(case, budget, version):
                refused_ack += 1
                exact_configs += 1
            else:
                classes[f"R1 Hermes refuses to start ({answer['refused'][:70]}), cfglint does not say so"].append(
                    (case, answer["refused"][:160]))
            continue
        if budget is None:
            classes["cfglint budgets no model"].append((case, f"harness window {answer['window']}"))
            continue
        theirs, ours = harness_numbers(answer), cfglint_numbers(budget)
        differ = [(name, classify(case, answer, name, theirs, ours)) for name in theirs if ours[name] != theirs[name]]
        for name in theirs:
            total[name] += 1
            exact[name] += ours[name] == theirs[name]
        for name, kind in differ:
            classes[kind].append((case, f"{name}: hermes {theirs[name]} cfglint {ours[name]}"))
        exact_configs += not differ
        documented_configs += bool(differ) and all(kind.startswith("D") for _, kind in differ)
        rows.append({"case": case, "ours": ours, "theirs": theirs})
    return {"exact": exact, "total": total, "classes": classes, "refused": (refused_ack, refused),
            "configs": (exact_configs, counted), "documented": documented_configs}, rows


def print_report(result: dict, version: str, show: int) -> None:
    print(f"== hermes {version}")
    for name in NUMBERS:
        print(f"  {name + ':':<23} {result['exact'][name]}/{result['total'][name]} exact")
    print(f"  configs Hermes refuses at start-up: {result['refused'][1]}, cfglint says so for {result['refused'][0]}")
    if result["classes"]:
        print("mismatches by class (numbers affected), one reproducer each:")
    for name, items in sorted(result["classes"].items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  [{len(items)}] {name}")
        for case, text in items[:show]:
            print(f"      {case['id']}: {text}; env {case['env']}")
            print("        " + case["yaml"].strip().replace("\n", "\n        "))
    exact, counted = result["configs"]
    print(f"{DIALECT} {version} fidelity: {exact}/{counted} exact "
          f"({exact + result['documented']}/{counted} counting the documented differences)")


# --- the recorded sample -------------------------------------------------------------------------


def stratified(rows: list[dict], size: int) -> list[dict]:
    """`size` rows, round robin over the generator's case classes (first tag)."""
    groups: dict[str, list[dict]] = collections.defaultdict(list)
    for row in rows:
        groups[row["case"]["tags"][0]].append(row)
    picked = round_robin([groups[key] for key in sorted(groups)], size)
    return sorted(picked, key=lambda r: r["case"]["id"])


# Differences cfglint keeps on purpose, by number: the harness code that explains each.
_BOOL_MAX_TOKENS = ("`model.max_tokens: true`: cli.py passes it on (`self.max_tokens = _mt if isinstance(_mt, int) "
                    "else None`, and True is an int), so the chat-completions request carries `\"max_tokens\": true`; "
                    "cfglint has no number for a boolean cap and reports none (SCH001 reports the value)")
DOCUMENTED: dict[str, str] = {"max_tokens_normal": _BOOL_MAX_TOKENS, "max_tokens_at_trigger": _BOOL_MAX_TOKENS}


def record(rows: list[dict], path: Path, size: int, version: str, digest: str, generator: str) -> None:
    """The recorded sample of tests/fidelity/test_recorded.py; a difference left is listed under `documented`."""
    cases = []
    for row in stratified(rows, size):
        case = row["case"]
        oracle = {name: row["theirs"][name] for name in RECORDED if name in row["theirs"]}
        documented = {name: DOCUMENTED[name] for name in oracle
                      if row["ours"][name] != oracle[name] and name in DOCUMENTED}
        cases.append({"id": case["id"], "target": version, "files": {CONFIG_PATH: case["yaml"]}, "env": case["env"],
                      "model": None, "oracle": oracle, **({"documented": documented} if documented else {})})
    write_sample(path, dialect=DIALECT, package=f"{PACKAGE}@{version}", sha256=digest, generator=generator,
                 cases=cases)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(ap)
    ap.add_argument("--versions", default=HERMES.default_version,
                    help="comma-separated hermes-agent releases (0.13.0..0.19.0); the first is recorded")
    ap.add_argument("--show", type=int, default=1, help="reproducers printed per mismatch class")
    ap.add_argument("--dump", type=Path, help="write every config with both sides' numbers here (JSON lines)")
    args = ap.parse_args()
    versions = [v for v in args.versions.split(",") if v]
    wheels = {v: wheel(v) for v in versions}
    newest = max(versions, key=lambda v: tuple(map(int, v.split("."))))
    python = runtime(wheels[newest][1])
    cases = hermes_gen.generate(args.count, args.seed)
    with tempfile.TemporaryDirectory(prefix="cfglint-fidelity-hermes-") as tmp:
        models_dev = models_dev_cache(Path(tmp) / "models_dev_cache.json")
        for version in versions:
            artifact, tree = wheels[version]
            answers = run_oracle(python, tree, models_dev, cases, answers_file(artifact, models_dev, cases))
            print(f"{PACKAGE}=={version} sha256 {artifact.sha256}; {len(cases)} configs, seed {args.seed}")
            result, rows = compare(cases, answers, version)
            print_report(result, version, args.show)
            if args.dump:
                with args.dump.open("a", encoding="utf-8") as out:
                    for row in rows:
                        out.write(json.dumps({"version": version, **row, "answer": answers[row["case"]["id"]]}) + "\n")
            if args.record and version == versions[0]:
                record(rows, args.record, args.sample, version, artifact.sha256,
                       f"tools/fidelity/hermes.py --seed {args.seed} --count {args.count}")


if __name__ == "__main__":
    main()
