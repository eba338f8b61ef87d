"""Kimi Code fidelity: cfglint's `explain` numbers against the harness's own functions (issue 11).

Usage: python tools/fidelity/kimi_code.py [--count N] [--seed S] [--record tests/fidelity/data/kimi-code.json]
                                          [--sample 50] [--node NODE] [--show N]

Downloads `@moonshot-ai/kimi-code@2.1.0` from npm into the artifact cache (`CFGLINT_ARTIFACT_CACHE`, else
~/.cache/cfglint-artifacts; reused when there), generates N configs with a seed (`kimi_code_gen.py`), computes each
model's numbers with `kimi_code_oracle.mjs` (the harness's functions sliced from its bundle at run time, run
under Node >= 20) and cfglint's with `explain --format json --no-env --target kimi-code@2.1.0` in-process, and
compares them exactly: window, trigger, block point, max_tokens of a normal step (the first request, measured
usage 0), at the trigger and of the compaction request. A model the harness refuses (no wire protocol, undefined
provider) counts as exact when cfglint says it cannot be used. Prints a table per number, the mismatches grouped
by class with one reproducer each, and `kimi-code 2.1.0 fidelity: N/M exact` (configs all of whose models agree).

Adapted from ../shared/oracles/kimi_compare.py, kimi_gen.py and kimi_oracle_wire.mjs.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(Path(__file__).resolve().parent)]

import kimi_code_gen  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from cfglint.cli import cli  # noqa: E402
from tools.extract.common import cache_dir, npm_artifact  # noqa: E402
from tools.fidelity import add_run_arguments, round_robin, write_sample  # noqa: E402

PACKAGE, VERSION = "@moonshot-ai/kimi-code", "2.1.0"
DIALECT = "kimi-code"
CONFIG_PATH = ".kimi-code/config.toml"
ORACLE = Path(__file__).resolve().parent / "kimi_code_oracle.mjs"
# (cfglint's number, the oracle's key); only the first five are recorded (tests/fidelity/test_recorded.py)
NUMBERS = (("window", "maxContext"), ("trigger", "trigger"), ("max_tokens_normal", "normal"),
           ("max_tokens_at_trigger", "atTrigger"), ("max_tokens_compaction", "compaction"), ("block_at", "blockAt"))
RECORDED = {name for name, _ in NUMBERS[:5]}
MIN_NODE = 20


def bundle_path() -> tuple[Path, str]:
    """`dist/main.mjs` unpacked next to the cached tarball, and the tarball's sha256."""
    artifact = npm_artifact(PACKAGE, VERSION)
    if artifact is None:
        raise SystemExit(f"{PACKAGE}@{VERSION}: not in the cache and npm could not fetch it")
    digest = artifact.sha256
    target = cache_dir() / "unpacked" / f"kimi-code@{VERSION}-{digest[:12]}" / "main.mjs"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(artifact.path) as archive:
            target.write_bytes(archive.extractfile("package/dist/main.mjs").read())
    return target, digest


def node_binary(explicit: str | None) -> str:
    node = explicit or shutil.which("node")
    if not node:
        raise SystemExit("need Node >= 20 (--node)")
    major = int(subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout[1:].split(".")[0])
    if major < MIN_NODE:
        raise SystemExit(f"{node} is Node {major}; the oracle needs Node >= {MIN_NODE}")
    return node


def run_oracle(node: str, bundle: Path, cases: list[dict]) -> dict[str, dict]:
    lines = "".join(json.dumps(c["oracle"]) + "\n" for c in cases)
    proc = subprocess.run([node, str(ORACLE), str(bundle)], input=lines, capture_output=True, text=True, check=True)
    answers = {}
    for line in proc.stdout.splitlines():
        answer = json.loads(line)
        if "oracleError" in answer:
            raise SystemExit(f"oracle failed on {answer['id']}: {answer['oracleError']}")
        answers[answer["id"]] = answer
    return answers


def explain(files: dict[str, str], env: dict[str, str], dialect: str, version: str,
            model: str | None = None) -> list[dict] | str:
    """`cfglint explain --format json --no-env` on the files in a fresh directory: the dialect's budgets, or an
    error text on failure."""
    with tempfile.TemporaryDirectory(prefix="cfglint-fidelity-") as tmp:
        root = Path(tmp)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        args = ["explain", "--format", "json", "--no-env", "--target", f"{dialect}@{version}"]
        args += [arg for name, value in env.items() for arg in ("--env", f"{name}={value}")]
        args += ["--model", model] if model else []
        result = CliRunner().invoke(cli, args + [str(root / name) for name in files])
    if result.exit_code != 0 or result.exception:
        return f"cfglint rc={result.exit_code}: {(result.output or repr(result.exception))[-400:]}"
    return [b for b in json.loads(result.stdout) if b["dialect"] == dialect]


def value(budget: dict, name: str):
    return ((budget.get("numbers") or {}).get(name) or {}).get("value")


def acknowledges_refusal(budget: dict | None) -> bool:
    """cfglint says the harness cannot use the model: no budget, or one without a trigger."""
    return budget is None or value(budget, "trigger") is None


ENV_CAP_VARS = ("KIMI_MODEL_MAX_COMPLETION_TOKENS", "KIMI_MODEL_MAX_TOKENS")


def effective(case: dict, alias: str) -> dict:
    """The model's fields as the oracle saw them, `overrides` applied."""
    fields = dict(case["oracle"]["models"].get(alias, {}))
    overrides = fields.pop("overrides", None)
    fields.update(overrides or {})
    fields["_has_overrides"] = overrides is not None
    return fields


def classify(case: dict, alias: str, answer: dict, model: dict, number: str) -> str:
    """A short name for why a number differs: the known classes of ../shared/oracles/kimi_compare.py
    (errata.md), then the route."""
    env, env_cap = case["env"], answer.get("envCap")
    protocol, provider_type = model.get("protocol"), model.get("providerType")
    fields = effective(case, alias)
    output = fields.get("maxOutputSize")
    output_number = number.startswith("max_tokens")
    if "overlayIgnored" in answer and any(v in env for v in ENV_CAP_VARS) and output_number:
        return "C15 a bad KIMI_MODEL_* size makes 2.1.0 ignore the whole env overlay, the env cap included"
    if env.get("KIMI_CODE_LEGACY_FLAG", "").strip() == "1":
        return "C1 KIMI_CODE_LEGACY_FLAG=1: 2.1.0 has no legacy engine (the flag is never read)"
    if number in ("trigger", "block_at", "max_tokens_at_trigger") and fields.get("maxInputSize") is not None \
            and fields["maxInputSize"] > fields.get("maxContextSize", 0) and not fields["_has_overrides"]:
        return "C2 max_input_size > max_context_size without [overrides]: the harness uses it unclamped"
    if env_cap is not None and abs(env_cap) >= 2 ** 53 and output_number:
        return "C13 env cap above 2^53: Number() rounds it"
    if env_cap is not None and output_number:
        first = next((v for v in ENV_CAP_VARS if v in env and env[v].strip()), None)
        if first and not re.fullmatch(r"-?[0-9]+", env[first].strip()):
            return "C3 env cap such as 1e5 / 0x8000 / +4096 / 4096.0: the harness parses it with Number()"
    if protocol == "anthropic" and output_number:
        if fields.get("name") and fields.get("name") != fields.get("model"):
            return "C4 anthropic `name` differs from `model`: the Claude table looks up the wire name"
        if env_cap is not None and env_cap <= 0:
            return "C5 anthropic with the env opt-out (<= 0): resolveDefaultMaxTokens(model)"
        if output is not None or (env_cap is not None and env_cap > 0):
            return "C6 anthropic with a cap: min(cap, Claude family ceiling)"
        return "C7 anthropic, no cap: resolveDefaultMaxTokens(model, max_context_size)"
    cap = env_cap if env_cap is not None else output
    if number == "max_tokens_normal" and cap is not None and cap > 0 and cap > fields.get("maxContextSize", 0):
        return "C14 cap above max_context_size: the first request is clamped to max_context_size - 0"
    if env_cap is not None and env_cap <= 0 and output_number:
        if number == "max_tokens_at_trigger":
            return "C8 env opt-out (<= 0), at the trigger: no max_tokens sent"
        if protocol == "openai" and provider_type != "kimi":
            return "C9 openai with the env opt-out (<= 0): no max_tokens sent"
    if provider_type == "kimi" and protocol == "openai" and fields.get("protocol") == "openai":
        return "C10 provider type kimi with protocol = openai: the kimi trait (no 131,072 ceiling)"
    if protocol != provider_type:
        return f"C11 protocol {protocol} over provider type {provider_type}"
    return f"C99 {number} on {provider_type}/{protocol}"


def compare(cases: list[dict], answers: dict) -> tuple[dict, list[dict]]:
    """Per-number counts, mismatch classes, and the comparison rows (for --record)."""
    exact = collections.Counter()
    total = collections.Counter()
    classes: dict[str, list] = collections.defaultdict(list)
    refused = refused_ack = exact_configs = 0
    rows = []
    for case in cases:
        answer = answers[case["id"]]
        got = explain({CONFIG_PATH: case["toml"]}, case["env"], DIALECT, VERSION)
        if isinstance(got, str):
            classes["cfglint error"].append((case, "-", got))
            continue
        by_alias = {b["model"]: b for b in got}
        ok = set(by_alias) == set(answer["models"])
        if not ok:
            classes["model set differs"].append(
                (case, "*", f"harness {sorted(answer['models'])} cfglint {sorted(by_alias)}"))
        for alias, model in answer["models"].items():
            budget = by_alias.get(alias)
            if "refused" in model:
                refused += 1
                if acknowledges_refusal(budget):
                    refused_ack += 1
                else:
                    ok = False
                    classes[f"harness refuses ({model['refused'].split(' must ')[-1]}), cfglint budgets it"].append(
                        (case, alias, model["refused"]))
                continue
            if budget is None:
                continue
            ours = {name: value(budget, name) for name, _ in NUMBERS}
            theirs = {name: model[key] for name, key in NUMBERS}
            for name, _ in NUMBERS:
                total[name] += 1
                if ours[name] == theirs[name]:
                    exact[name] += 1
                else:
                    ok = False
                    classes[classify(case, alias, answer, model, name)].append(
                        (case, alias, f"{name}: harness {theirs[name]} cfglint {ours[name]}"))
            rows.append({"case": case, "alias": alias, "ours": ours, "theirs": theirs})
        exact_configs += ok
    return {"exact": exact, "total": total, "classes": classes, "refused": (refused_ack, refused),
            "configs": (exact_configs, len(cases))}, rows


def print_report(result: dict, show: int) -> None:
    for name, _ in NUMBERS:
        print(f"  {name + ':':<23} {result['exact'][name]}/{result['total'][name]} exact")
    print(f"  models the harness refuses: {result['refused'][1]}, cfglint says so for {result['refused'][0]}")
    if result["classes"]:
        print("mismatches by class (models affected), one reproducer each:")
    for name, items in sorted(result["classes"].items(), key=lambda kv: -len(kv[1])):
        print(f"  [{len(items)}] {name}")
        for case, alias, text in items[:show]:
            print(f"      {case['id']} {alias}: {text}; env {case['env']}")
            print("        " + case["toml"].strip().replace("\n", "\n        "))
    print(f"{DIALECT} {VERSION} fidelity: {result['configs'][0]}/{result['configs'][1]} exact")


def stratified(rows: list[dict], size: int) -> list[dict]:
    """`size` rows, round robin over the generator's case classes (first tag: edge-case family, or what a random
    draw exercises), one model per config."""
    groups: dict[str, list[dict]] = collections.defaultdict(list)
    seen = set()
    for row in rows:
        if row["case"]["id"] not in seen:
            seen.add(row["case"]["id"])
            tags = row["case"]["tags"] or ["random"]
            groups[tags[0].split("->")[0]].append(row)
    picked = round_robin([groups[key] for key in sorted(groups)], size)
    return sorted(picked, key=lambda r: r["case"]["id"])


def record(rows: list[dict], path: Path, size: int, digest: str, generator: str) -> None:
    """The recorded sample of tests/fidelity/test_recorded.py (models the harness can use). cfglint keeps no
    deliberate difference from Kimi Code 2.1.0, so no case has a `documented` entry."""
    cases = [{"id": row["case"]["id"], "target": VERSION, "files": {CONFIG_PATH: row["case"]["toml"]},
              "env": row["case"]["env"], "model": row["alias"],
              "oracle": {name: row["theirs"][name] for name in RECORDED}}
             for row in stratified(rows, size)]
    write_sample(path, dialect=DIALECT, package=f"{PACKAGE}@{VERSION}", sha256=digest, generator=generator,
                 cases=cases)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(ap)
    ap.add_argument("--node")
    ap.add_argument("--show", type=int, default=1, help="reproducers printed per mismatch class")
    args = ap.parse_args()
    node = node_binary(args.node)
    bundle, digest = bundle_path()
    cases = kimi_code_gen.generate(args.count, args.seed)
    answers = run_oracle(node, bundle, cases)
    print(f"{PACKAGE}@{VERSION} sha256 {digest}; {len(cases)} configs, seed {args.seed}")
    result, rows = compare(cases, answers)
    print_report(result, args.show)
    if args.record:
        record(rows, args.record, args.sample, digest,
               f"tools/fidelity/kimi_code.py --seed {args.seed} --count {args.count}")


if __name__ == "__main__":
    main()
