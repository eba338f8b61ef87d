"""kimi-cli fidelity: cfglint's `explain` numbers against the installed kimi-cli's own functions (issue 11).

Usage: python tools/fidelity/kimi_cli.py [--count N] [--seed S] [--record tests/fidelity/data/kimi-cli.json]
                                         [--sample 50] [--show N]

Downloads the `kimi-cli==1.49.0` wheel from PyPI into the artifact cache (`CFGLINT_ARTIFACT_CACHE`, else
~/.cache/cfglint-artifacts) and installs it with its requirements into a virtualenv of its own there
(`venvs/kimi-cli==1.49.0`, Python >= 3.13: 3.12.1's typing breaks kimi-cli's slash-command registry at import;
`--python` picks the interpreter), never into cfglint's. Generates N configs with a seed, computes each one's
numbers with `kimi_cli_oracle.py` in that virtualenv (offline: the package's config loader, env handling,
`should_auto_compact` and KimiSoul's completion cap), and cfglint's with `explain --format json --no-env --target
kimi-cli@1.49.0` in-process, and compares window, trigger, max_tokens of a step with an empty request and at the
trigger exactly. A config kimi-cli refuses (validation, int() of an env size) counts as exact when cfglint gives it
no trigger. Prints a table per number, the mismatches grouped by class with one reproducer each, and
`kimi-cli 1.49.0 fidelity: N/M exact`.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE)]

import kimi_code_gen as gen  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from kimi_code import explain, stratified, value  # noqa: E402

from cfglint.cli import cli  # noqa: E402
from tools.extract.common import cache_dir, pypi_artifact  # noqa: E402
from tools.fidelity import add_run_arguments, write_sample  # noqa: E402

PACKAGE, VERSION = "kimi-cli", "1.49.0"
DIALECT = "kimi-cli"
CONFIG_PATH = ".kimi/config.toml"
ORACLE = HERE / "kimi_cli_oracle.py"
MIN_PYTHON = (3, 13)
# (cfglint's number, the oracle's key); the compaction request is not run (kimi_cli_oracle.py)
NUMBERS = (("window", "window"), ("trigger", "trigger"), ("max_tokens_normal", "normal"),
           ("max_tokens_at_trigger", "atTrigger"))

PROVIDER_TYPES = ["kimi", "openai_legacy", "openai_responses", "anthropic", "google_genai", "gemini", "vertexai"]
# int() as kimi-cli reads the variables: whitespace, `+`, `_` are fine, the rest raises (skipped or fatal)
ENV_INTS = ["131072", "65536", "32000", "8192", "1", "0", "-1", " 32000 ", "+4096", "1_000", "abc", "", "1e5", "0x8000",
            "4096.0", "200000", "2000000", "-0"]
# How a number may be written as a TOML string (kimi-cli validates with pydantic's lax mode).
LAX_SPELLINGS = [str, lambda v: f" {v} ", lambda v: f"{v:_}" if isinstance(v, int) else str(v),
                 lambda v: f"{float(v)}", lambda v: f"{v:e}", lambda v: f"+{v}"]


def interpreter(explicit: str | None) -> str:
    """A Python >= 3.13 for the virtualenv: `--python`, else python3.14 / python3.13 on PATH or under pyenv."""
    candidates = [explicit] if explicit else [
        *(shutil.which(name) for name in ("python3.14", "python3.13")),
        *map(str, sorted(Path.home().glob(".pyenv/versions/3.1[3-9]*/bin/python"), reverse=True))]
    check = f"import sys; sys.exit(sys.version_info < {MIN_PYTHON})"
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", check], capture_output=True).returncode == 0:
            return candidate
    raise SystemExit("kimi-cli's virtualenv needs Python >= 3.13 (--python)")


def venv_python(explicit: str | None) -> Path:
    """The virtualenv's Python, made and filled from the cached wheel on first use."""
    wheel = pypi_artifact(PACKAGE, VERSION, python_version="3.13")
    if wheel is None:
        raise SystemExit(f"{PACKAGE}=={VERSION}: not in the cache and pip could not fetch it")
    venv = cache_dir() / "venvs" / f"{PACKAGE}=={VERSION}"
    python = venv / "bin" / "python"
    if not (venv / ".installed").is_file():
        subprocess.run([interpreter(explicit), "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel.path)],
                       check=True)
        (venv / ".installed").write_text(wheel.sha256 + "\n")
    return python


def generate(count: int, seed: int) -> list[dict]:
    """`count` single-model configs: provider types, windows 1..2M (and <= 0), loop_control inside and outside
    the schema, the output-cap and window variables with the spellings int() takes or refuses."""
    rng = random.Random(seed)
    draw = gen._Draw(rng)
    cases = []
    for index in range(count):
        tags = []
        ptype = rng.choice(PROVIDER_TYPES)
        window = draw.window() if rng.random() < 0.97 else rng.choice([0, -1, -100_000])
        model = {"provider": "p", "model": draw.model_id({"kimi": "kimi", "anthropic": "anthropic"}.get(ptype, "openai")),
                 "max_context_size": window}
        if rng.random() < 0.3:
            model["max_output_size"] = draw.output(max(window, 1))  # kimi-cli has no such key: ignored
        data = {"default_model": "m", "providers": {"p": gen._provider_table("p", ptype)}, "models": {"m": model}}
        loop = {}
        if rng.random() < 0.7:
            loop["reserved_context_size"] = max(1_000, draw.reserved(max(window, 1))) if rng.random() < 0.95 \
                else rng.randint(0, 999)
        if rng.random() < 0.65:
            loop["compaction_trigger_ratio"] = draw.ratio()
        if loop:
            data["loop_control"] = loop
        if rng.random() < 0.08:  # numbers written as strings: pydantic's lax mode reads (or refuses) them
            table, key = rng.choice([(model, "max_context_size"), (loop, "reserved_context_size"),
                                     (loop, "compaction_trigger_ratio")])
            if key in table:
                table[key] = rng.choice(LAX_SPELLINGS)(table[key])
                tags.append("string-number")
        env = {}
        if rng.random() < 0.35:
            for name in rng.choice([["KIMI_MODEL_MAX_COMPLETION_TOKENS"], ["KIMI_MODEL_MAX_TOKENS"],
                                    ["KIMI_MODEL_MAX_COMPLETION_TOKENS", "KIMI_MODEL_MAX_TOKENS"]]):
                env[name] = rng.choice(ENV_INTS) if rng.random() < 0.6 else str(rng.randint(-5, 300_000))
            tags.append("env-cap")
        if rng.random() < 0.12:
            env["KIMI_MODEL_MAX_CONTEXT_SIZE"] = rng.choice(ENV_INTS[:10] + [str(draw.window())])
            tags.append("env-window")
        if rng.random() < 0.05:
            env["KIMI_MODEL_NAME"] = rng.choice(["kimi-k3", "my-model"])
            tags.append("env-name")
        cases.append({"id": f"kimi-cli-{index + 1:04d}", "tags": [ptype, *tags], "env": env,
                      "toml": gen.to_toml(data), "model": "m"})
    return cases


def run_oracle(python: Path, cases: list[dict]) -> dict[str, dict]:
    lines = "".join(json.dumps({k: c[k] for k in ("id", "toml", "env", "model")}) + "\n" for c in cases)
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "TMPDIR")}
    # -I: the oracle's own directory holds this module, which would shadow the `kimi_cli` package
    proc = subprocess.run([str(python), "-I", str(ORACLE)], input=lines, capture_output=True, text=True, check=True, env=env)
    answers = {}
    for line in proc.stdout.splitlines():
        answer = json.loads(line)
        if "oracleError" in answer:
            raise SystemExit(f"oracle failed on {answer['id']}: {answer['oracleError']}")
        answers[answer["id"]] = answer
    return answers


def says_it_refuses(case: dict) -> bool:
    """`cfglint check` reports, as an error, that kimi-cli refuses to start with the file or environment: cfglint
    still explains the numbers as written (a documented decision, see DOCUMENTED_REFUSAL)."""
    with tempfile.TemporaryDirectory(prefix="cfglint-fidelity-") as tmp:
        path = Path(tmp) / CONFIG_PATH
        path.parent.mkdir(parents=True)
        path.write_text(case["toml"], encoding="utf-8")
        args = ["check", "--output-format", "json", "--target", f"{DIALECT}@{VERSION}"]
        args += [arg for name, text in case["env"].items() for arg in ("--env", f"{name}={text}")]
        result = CliRunner().invoke(cli, [*args, str(path)])
    return any(f["severity"] == "error" and ("refuses to start" in f["message"] or "start-up" in f["message"])
               for f in json.loads(result.stdout or "[]"))


DOCUMENTED_REFUSAL = (
    "kimi-cli refuses to start with a file its pydantic model rejects (`load_config`: `Config.model_validate` raises, "
    "ConfigError) or an env size int() cannot read (`augment_provider_with_env_vars`: `int(max_context_size)`); "
    "cfglint reports that as an error (SCH001 / ENV001) and explains the numbers as written")


def compare(cases: list[dict], answers: dict) -> tuple[dict, list[dict]]:
    exact, total = collections.Counter(), collections.Counter()
    classes: dict[str, list] = collections.defaultdict(list)
    refused = refused_ack = exact_configs = 0
    rows = []
    for case in cases:
        answer = answers[case["id"]]
        got = explain({CONFIG_PATH: case["toml"]}, case["env"], DIALECT, VERSION, case["model"])
        if isinstance(got, str):
            classes["cfglint error"].append((case, got))
            continue
        budget = got[0] if got else None
        if "refused" in answer:
            refused += 1
            if budget is None or value(budget, "trigger") is None or says_it_refuses(case):
                refused_ack += 1
                exact_configs += 1
            else:
                classes[f"kimi-cli refuses ({answer['refused'].split(':')[0]}), cfglint budgets it"].append(
                    (case, answer["refused"][:160]))
            continue
        ours = {name: value(budget, name) if budget else None for name, _ in NUMBERS}
        theirs = {name: answer[key] for name, key in NUMBERS}
        ok = True
        for name, _ in NUMBERS:
            total[name] += 1
            if ours[name] == theirs[name]:
                exact[name] += 1
            else:
                ok = False
                classes[f"{name} on provider type {case['tags'][0]}" + (f" [{', '.join(case['tags'][1:])}]"
                                                                        if case["tags"][1:] else "")].append(
                    (case, f"{name}: kimi-cli {theirs[name]} cfglint {ours[name]}"))
        exact_configs += ok
        rows.append({"case": case, "alias": case["model"], "ours": ours, "theirs": theirs})
    return {"exact": exact, "total": total, "classes": classes, "refused": (refused_ack, refused),
            "configs": (exact_configs, len(cases))}, rows


def print_report(result: dict, show: int) -> None:
    for name, _ in NUMBERS:
        print(f"  {name + ':':<23} {result['exact'][name]}/{result['total'][name]} exact")
    print(f"  configs kimi-cli refuses: {result['refused'][1]}, cfglint reports the refusal for {result['refused'][0]} "
          "(no trigger, or an error finding)")
    print(f"  documented: {DOCUMENTED_REFUSAL}")
    if result["classes"]:
        print("mismatches by class (configs affected), one reproducer each:")
    for name, items in sorted(result["classes"].items(), key=lambda kv: -len(kv[1])):
        print(f"  [{len(items)}] {name}")
        for case, text in items[:show]:
            print(f"      {case['id']}: {text}; env {case['env']}")
            print("        " + case["toml"].strip().replace("\n", "\n        "))
    print(f"{DIALECT} {VERSION} fidelity: {result['configs'][0]}/{result['configs'][1]} exact")


def record(rows: list[dict], path: Path, size: int, digest: str, generator: str) -> None:
    """The recorded sample of tests/fidelity/test_recorded.py (configs kimi-cli accepts)."""
    cases = [{"id": row["case"]["id"], "target": VERSION, "files": {CONFIG_PATH: row["case"]["toml"]},
              "env": row["case"]["env"], "model": row["alias"], "oracle": row["theirs"]}
             for row in stratified(rows, size)]
    write_sample(path, dialect=DIALECT, package=f"{PACKAGE}@{VERSION}", sha256=digest, generator=generator,
                 cases=cases)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(ap)
    ap.add_argument("--python", help="interpreter for the kimi-cli virtualenv (>= 3.13), made on the first run")
    ap.add_argument("--show", type=int, default=1, help="reproducers printed per mismatch class")
    args = ap.parse_args()
    python = venv_python(args.python)
    digest = pypi_artifact(PACKAGE, VERSION, download=False).sha256
    cases = generate(args.count, args.seed)
    answers = run_oracle(python, cases)
    print(f"{PACKAGE}=={VERSION} sha256 {digest}; {len(cases)} configs, seed {args.seed}")
    result, rows = compare(cases, answers)
    print_report(result, args.show)
    if args.record:
        record(rows, args.record, args.sample, digest, f"tools/fidelity/kimi_cli.py --seed {args.seed} --count {args.count}")


if __name__ == "__main__":
    main()
