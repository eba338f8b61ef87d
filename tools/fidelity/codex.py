"""Differential test of cfglint's codex dialect against the released Codex binary (issue 13).

Codex ships a native binary (npm `@openai/codex@<version>-linux-x64`). This script unpacks it into the
artifact cache (`${CFGLINT_ARTIFACT_CACHE:-~/.cache/cfglint-artifacts}/codex/<version>/package/...`) and runs
`codex exec` on generated configs, offline, against a mock Responses server on 127.0.0.1 (`codex_mock.py`):
a private CODEX_HOME holding the generated `config.toml` (provider `mock`, key in a dummy variable) and
sometimes a `model_catalog_json` file next to it. Numbers, per release (harness-codex.md §1 "run X", §5):
- `input_cap`: the window Codex uses and shows, `model_context_window` of the rollout's `task_started` /
  `token_count` events: window_eff, which cfglint's budget calls `input_cap` (its `window` is the resolved
  window before the percentage, a number Codex never prints).
- `trigger`: the lowest count at which Codex compacts before the follow-up request of a tool-call step
  (scope `total`). The mock bisects the step's `usage.total_tokens` inside one `codex exec` run (one process
  per config); Codex counts that total plus its estimate of the tool output appended after it, a constant
  `offset` per release calibrated on the sheet's measured cases (§5.2) and checked to be one constant.
  Negative totals are accepted, so a trigger <= 0 (Codex then compacts before every request, the first
  one included: `before_first_request`) is measured exactly like any other; null: no compaction up to 2^24.
Harness answers are cached as JSON lines in `<cache>/codex-fidelity/<version>.jsonl` (a rerun only runs new
configs). cfglint's side: `cfglint explain --no-env --format json --target codex@<version> --model <model>`
on the same files, in-process.

    python tools/fidelity/codex.py [--count 400] [--seed 1] [--versions 0.99.0,0.121.0,0.171.0]
                                   [--record tests/fidelity/data/codex.json] [--sample 60] [--oracle-only]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import queue
import random
import re
import shlex
import subprocess
import sys
import tarfile
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from click.testing import CliRunner  # noqa: E402

from cfglint.cli import cli  # noqa: E402
from tools import fidelity  # noqa: E402
from tools.extract.common import Artifact, cache_dir  # noqa: E402
from tools.fidelity.codex_mock import Bisection, MockServer  # noqa: E402

DIALECT = "codex"
PACKAGE = "@openai/codex"
VERSIONS = ("0.99.0", "0.121.0", "0.171.0")
# Codex's reported window is window_eff = resolved * effective_context_window_percent / 100: in cfglint's
# budget that is `input_cap` (its `window` is `resolved`, which Codex never prints)
NUMBERS = ("input_cap", "trigger")
CONFIG, CATALOG = ".codex/config.toml", ".codex/catalog.json"
# the address written in the generated files; each run substitutes its mock server's port
MOCK_ADDRESS = "127.0.0.1:8790"
KEY_VARIABLE = "CFGLINT_MOCK_KEY"
# bump when the mock's answers change: cached harness answers of another protocol are not reused
PROTOCOL = 3
RUN_TIMEOUT = 180
# where the tarball holds the binary (before about 0.133: `.../codex/codex`)
BINARY_MEMBERS = ("package/vendor/x86_64-unknown-linux-musl/bin/codex",
                  "package/vendor/x86_64-unknown-linux-musl/codex/codex")
WORKERS = 2   # concurrent codex processes (the machine has 2 cores)


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# --- the harness: binary and bundled catalog ---------------------------------------------------------------

def codex_binary(version: str) -> tuple[Path, Artifact]:
    """The release's native binary, unpacked from its npm tarball into the artifact cache once."""
    artifact = fidelity.required_artifact(PACKAGE, f"{version}-linux-x64")
    unpacked = [path for path in BINARY_MEMBERS if (cache_dir() / "codex" / version / path).is_file()]
    if unpacked:
        member = unpacked[0]
    else:
        with tarfile.open(artifact.path) as archive:
            member = next(name for name in archive.getnames() if name in BINARY_MEMBERS)

    def content() -> bytes:
        with tarfile.open(artifact.path) as archive:
            return archive.extractfile(member).read()

    return fidelity.unpacked_once(cache_dir() / "codex" / version / member, content, mode=0o755), artifact


def bundled_catalog(binary: Path) -> list[dict]:
    """The release's bundled model catalog: `codex debug models --bundled` where the release has it, else the
    `{"models": [...]}` document embedded in the binary (the same file, compiled in)."""
    listed = subprocess.run([str(binary), "debug", "models", "--bundled"], capture_output=True, text=True,
                            timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"})
    if listed.returncode == 0:
        return json.loads(listed.stdout)["models"]
    data = binary.read_bytes()
    for found in re.finditer(rb'\{\s*"models"\s*:\s*\[', data):
        try:
            document, _ = json.JSONDecoder().raw_decode(data[found.start():found.start() + 4_000_000].decode(
                "utf-8", "replace"))
        except ValueError:
            continue
        if document["models"] and "slug" in document["models"][0]:
            return document["models"]
    raise SystemExit(f"{binary}: no bundled model catalog found")


# --- generation ---------------------------------------------------------------------------------------------

# local models, and gpt-5.5 names (not a slug before 0.130: prefix matching may still find `gpt-5`)
UNKNOWN_SLUGS = ["qwen3-coder:30b", "my-local-model", "llama3.1:8b", "deepseek-coder-v2", "openai/gpt-5.5",
                 "gpt-5.5-2026-01-01", "GPT-5.5"]
WINDOWS = [32768, 100000, "200_000", 272000, 400000, 1000000, 0, -5]
LIMITS = [0, -5, 100000, 250000, 258400, 950000, "above"]
CATALOG_CONTEXTS = [None, 128000, 200000, 400000, 1000000, "keep"]
CATALOG_MAXIMA = [None, "consistent", "inconsistent", 872000]
CATALOG_PERCENTS = [None, 50, 95, 100, 150, 0]
CATALOG_LIMITS = [None, 100000, 950000, 0]
KINDS = {"bundled": 0.14, "unknown": 0.12, "prefixed": 0.12, "window": 0.16, "limit": 0.14, "catalog": 0.18,
         "catalog-omits": 0.06, "scope-total": 0.08}


def kinds_for(version: str) -> dict[str, float]:
    """The generator's classes a release supports (`model_catalog_json` >= 0.105.0, the scope key >= 0.135.0)."""
    v = version_tuple(version)
    return {kind: weight for kind, weight in KINDS.items()
            if not (kind.startswith("catalog") and v < (0, 105)) and not (kind == "scope-total" and v < (0, 135))}


def prefixed_forms(slug: str) -> list[str]:
    """Names that are not a catalog slug but may resolve to one (prefix, namespace) or not (case)."""
    return [f"openai/{slug}", f"{slug}-2026-01-01", f"{slug}:latest", slug.upper(), slug[:1].upper() + slug[1:],
            f"cx/{slug}"]


# Configs generated after the others, each class from its own random stream (adding them changed none
# of the configs before them): no `model` (Codex sends its default model); a budget key given as a
# `-c key=value` session override instead of in the file (cfglint: `--harness-args codex=-c ...`); scope
# `body_after_prefix` with a limit no body reaches (compaction only at the usable window, >= 0.134.0).
EXTRA_CASES = 12
OVERRIDDEN_KEYS = ("model", "model_context_window", "model_auto_compact_token_limit")


def generate(version: str, catalog: list[dict], count: int, seed: int) -> list[dict]:
    """`count` configs for one release from `seed` (the same seed gives the same configs), then
    DEFAULT_MODEL_CASES without a model."""
    rng = random.Random(f"{seed}-{version}")
    kinds = kinds_for(version)
    cases = [_case(rng, version, catalog, kinds, index) for index in range(count)]
    extra = ["default-model", "override"] + (["scope-hard-cap"] if version_tuple(version) >= (0, 134) else [])
    for kind in extra:
        stream = random.Random(f"{seed}-{version}-{kind}")
        for _ in range(EXTRA_CASES):
            case = _case(stream, version, catalog, {"window": 1.0, "limit": 1.0}, len(cases))
            _EXTRA[kind](stream, case["config"], case)
            case["kind"] = kind
            case["files"] = {CONFIG: config_text(case["config"])}
            cases.append(case)
    return cases


def _without_model(rng: random.Random, config: dict, case: dict) -> None:
    del config["model"]


def _overridden(rng: random.Random, config: dict, case: dict) -> None:
    """One budget key (or the model) moves from the file to `-c key=value` (TOML text, as typed)."""
    key = rng.choice([k for k in OVERRIDDEN_KEYS if k in config])
    case["args"] = ["-c", f"{key}={toml_value(config.pop(key))}"]


def _hard_cap_only(rng: random.Random, config: dict, case: dict) -> None:
    config["model_auto_compact_token_limit_scope"] = "body_after_prefix"
    config["model_auto_compact_token_limit"] = rng.choice([9223372036854775807, 10_000_000])


_EXTRA = {"default-model": _without_model, "override": _overridden, "scope-hard-cap": _hard_cap_only}


def _case(rng: random.Random, version: str, catalog: list[dict], kinds: dict[str, float], index: int) -> dict:
    kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
    slugs = [entry["slug"] for entry in catalog]
    config: dict = {"model": rng.choice(slugs)}
    entry = None
    if kind == "unknown":
        config["model"] = rng.choice(UNKNOWN_SLUGS)
    elif kind == "prefixed":
        config["model"] = rng.choice(prefixed_forms(config["model"]))
    elif kind in ("catalog", "catalog-omits"):
        entry = _catalog_entry(rng, rng.choice(catalog))
        if kind == "catalog-omits":
            entry["slug"] = "test-model"
        elif rng.random() < 0.3:
            config["model"] = entry["slug"] = rng.choice(["my-gateway-model", "qwen3-coder:30b"])
        else:
            config["model"] = entry["slug"]
        config["model_catalog_json"] = "catalog.json"
    if kind == "window" or rng.random() < 0.3:
        config["model_context_window"] = rng.choice(WINDOWS)
    if kind in ("limit", "scope-total") or rng.random() < 0.3:
        limit = rng.choice(LIMITS)
        if limit == "above":
            window = config.get("model_context_window")
            limit = (window if isinstance(window, int) and window > 0 else 272000) + 50000
        config["model_auto_compact_token_limit"] = limit
    if kind == "scope-total":
        config["model_auto_compact_token_limit_scope"] = "total"
    files = {CONFIG: config_text(config)}
    if entry is not None:
        files[CATALOG] = json.dumps({"models": [entry]}, indent=1) + "\n"
    return {"id": f"{DIALECT}-{version}-{index + 1:04d}", "kind": kind, "version": version, "config": config,
            "env": {}, "files": files}


def _catalog_entry(rng: random.Random, bundled: dict) -> dict:
    """A full copy of a bundled entry (every field the release requires) with varied budget fields."""
    entry = json.loads(json.dumps(bundled))
    context = rng.choice(CATALOG_CONTEXTS)
    if context is None:
        entry.pop("context_window", None)
    elif context != "keep":
        entry["context_window"] = context
    maximum = rng.choice(CATALOG_MAXIMA)
    current = entry.get("context_window") or 272000
    if maximum is None:
        entry.pop("max_context_window", None)
    else:
        entry["max_context_window"] = {"consistent": max(current, 400000), "inconsistent": current * 3 // 4}.get(
            maximum, maximum)
    for field, values in (("effective_context_window_percent", CATALOG_PERCENTS),
                          ("auto_compact_token_limit", CATALOG_LIMITS)):
        value = rng.choice(values)
        if value is None:
            entry.pop(field, None)
        else:
            entry[field] = value
    return entry


def toml_value(value) -> str:
    """A generated value as TOML text (`200_000`, generated as written, stays a bare integer)."""
    return value if isinstance(value, str) and value.replace("_", "").isdigit() else json.dumps(value)


def config_text(config: dict) -> str:
    """config.toml: the budget keys as generated (`200_000` as written), the mock provider, and approval `never`
    in a read-only sandbox (the probe's tool call runs nothing; no step could prompt or write)."""
    lines = [f"{key} = {toml_value(v)}" for key, v in config.items()]
    lines += ['model_provider = "mock"', 'approval_policy = "never"', 'sandbox_mode = "read-only"', "",
              "[model_providers.mock]", 'name = "mock"', f'base_url = "http://{MOCK_ADDRESS}/v1"',
              'wire_api = "responses"', f'env_key = "{KEY_VARIABLE}"']
    return "\n".join(lines) + "\n"


# --- the harness side: one `codex exec` per config ------------------------------------------------------------

def run_codex(binary: Path, files: dict[str, str], server: MockServer, root: Path, args: tuple[str, ...] = ()) -> dict:
    """Codex's raw answer for one set of files: the rollout's window, the lowest compacting total (the mock's
    bisection), whether it compacted before its first request, the probes, the time; or the startup error."""
    home = root / ".codex"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace(MOCK_ADDRESS, f"127.0.0.1:{server.port}"), encoding="utf-8")
    work = root / "work"
    work.mkdir(parents=True, exist_ok=True)
    bisection = Bisection()
    server.start_run(bisection)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root), "CODEX_HOME": str(home), KEY_VARIABLE: "dummy",
           "RUST_LOG": "error"}
    started = time.monotonic()
    try:
        done = subprocess.run([str(binary), "exec", *args, "--skip-git-repo-check", "-C", str(work), "probe"], env=env,
                              capture_output=True, text=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
        failure = None if done.returncode == 0 else f"exit {done.returncode}: {_last_lines(done.stderr)}"
    except subprocess.TimeoutExpired:
        failure = f"timeout after {RUN_TIMEOUT} s"
    answer = {"seconds": round(time.monotonic() - started, 2), "requests": len(server.requests),
              "probes": bisection.probes, "lowest_total": bisection.lowest_compacting,
              "before_first_request": server.pre_turn_compaction, "window": rollout_window(home)}
    if server.unexpected:
        answer["unexpected"] = server.unexpected
    if failure and not bisection.probes:
        answer["error"] = failure
    elif failure or bisection.next_probe() is not None:
        answer["error"] = f"bisection not finished ({failure or 'exit 0'})"
    return answer


def _last_lines(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip() and "WARNING: proceeding" not in line]
    return " | ".join(lines[-3:])[:400]


def rollout_window(home: Path) -> int | None:
    """`model_context_window` of the session rollout: `task_started` (>= about 0.100) or the first
    `token_count` event that has one (0.99.0 only logs it there)."""
    found = []
    for path in sorted(home.glob("sessions/**/rollout-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            payload = json.loads(line).get("payload")
            if not isinstance(payload, dict):
                continue
            if payload.get("type") == "task_started" and "model_context_window" in payload:
                found.append(payload["model_context_window"])
            elif payload.get("type") == "token_count" and (payload.get("info") or {}).get("model_context_window") \
                    is not None:
                found.append(payload["info"]["model_context_window"])
    return found[0] if found else None


def case_key(version: str, files: dict[str, str], args: tuple[str, ...] = ()) -> str:
    """The cache key of one run (the command-line arguments count only when there are some)."""
    parts = [PROTOCOL, version, files] + ([list(args)] if args else [])
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:24]


class HarnessCache:
    """Codex's raw answers per release, one JSON line per config (key: version + files), kept between runs."""

    def __init__(self, version: str) -> None:
        self.path = cache_dir() / "codex-fidelity" / f"{version}.jsonl"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.answers: dict[str, dict] = {}
        if self.path.is_file():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                entry = json.loads(line)
                self.answers[entry["key"]] = entry["answer"]

    def add(self, key: str, answer: dict) -> None:
        self.answers[key] = answer
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"key": key, "answer": answer}) + "\n")


Job = tuple[dict[str, str], tuple[str, ...]]   # the files and the extra `codex exec` arguments of one run


def run_harness(version: str, binary: Path, jobs: list[Job]) -> tuple[list[dict], int]:
    """Codex's raw answer for each job (from the cache, else one `codex exec` each, WORKERS at a time) and how
    many ran now."""
    cache = HarnessCache(version)
    keys = [case_key(version, *job) for job in jobs]
    missing = {key: job for key, job in zip(keys, jobs) if key not in cache.answers}
    if missing:
        servers: queue.Queue = queue.Queue()
        for _ in range(WORKERS):
            servers.put(MockServer())
        with tempfile.TemporaryDirectory(prefix="cfglint-fidelity-codex-") as scratch:
            def one(item: tuple[str, Job]) -> tuple[str, dict]:
                key, (files, args) = item
                server = servers.get()
                try:
                    return key, run_codex(binary, files, server, Path(scratch) / key, args)
                finally:
                    servers.put(server)

            with ThreadPoolExecutor(WORKERS) as pool:
                for key, answer in pool.map(one, missing.items()):
                    cache.add(key, answer)
        while not servers.empty():
            servers.get().close()
    return [cache.answers[key] for key in keys], len(missing)


# --- calibration: the offset between the mock's total and Codex's count --------------------------------------

# (config, the trigger the sheet measured) per release (harness-codex.md §5.2, §5.6); the first fixes the offset
SHEET = {
    "0.99.0": [({"model": "my-local-model"}, 244800),
               ({"model": "my-local-model", "model_auto_compact_token_limit": 250000}, 250000),
               ({"model": "my-local-model", "model_auto_compact_token_limit": 0}, 0)],
    "0.121.0": [({"model": "my-local-model"}, 244800),
                ({"model": "my-local-model", "model_context_window": 1000000}, 900000),
                ({"model": "qwen3-coder:30b", "model_context_window": 32768}, 29491)],
    "0.171.0": [({"model": "my-local-model"}, 244800),
                ({"model": "qwen3-coder:30b", "model_context_window": 32768}, 29491),
                ({"model": "my-local-model", "model_auto_compact_token_limit": 100000}, 100000),
                ({"model": "my-local-model", "model_context_window": 1000000}, 244800),
                ({"model": "gpt-6.2-sol", "model_context_window": 1000000}, 784800),
                ({"model": "my-local-model", "model_auto_compact_token_limit": -5}, -5)],
}


def calibrate(version: str, binary: Path) -> int:
    """Codex's estimate of the tool output (count - total): fixed by the sheet's first case, and the same on
    the others, or the run stops (the bisection would not measure the trigger)."""
    answers, _ = run_harness(version, binary, [({CONFIG: config_text(config)}, ()) for config, _ in SHEET[version]])
    offsets = []
    for (config, expected), answer in zip(SHEET[version], answers):
        if "error" in answer or answer["lowest_total"] is None:
            raise SystemExit(f"codex {version} calibration {config}: {answer}")
        offsets.append(expected - answer["lowest_total"])
    print(f"codex {version}: offset {offsets[0]} (count - mock total) on {len(offsets)} sheet cases: "
          f"{'constant' if len(set(offsets)) == 1 else 'NOT CONSTANT ' + str(offsets)}")
    if len(set(offsets)) != 1:
        raise SystemExit(f"codex {version}: the count's offset is not one constant: {offsets}")
    return offsets[0]


def oracle_numbers(answer: dict, offset: int) -> dict:
    """window_eff (cfglint's `input_cap`) and trigger from one raw answer (the trigger = the lowest compacting
    total + offset)."""
    lowest = answer["lowest_total"]
    return {"input_cap": answer["window"], "trigger": None if lowest is None else lowest + offset}


# --- cfglint's side ---------------------------------------------------------------------------------------------

def explain(case: dict, version: str, root: Path) -> dict | str:
    """cfglint's window and trigger for the case's model, or why there are none."""
    for name, text in case["files"].items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    model = ["--model", case["config"]["model"]] if "model" in case["config"] else []
    if case.get("args"):
        model += ["--harness-args", f"{DIALECT}=" + shlex.join(case["args"])]
    args = ["explain", "--no-env", "--format", "json", "--target", f"{DIALECT}@{version}", *model,
            *(str(root / name) for name in case["files"])]
    result = CliRunner().invoke(cli, args)
    if result.exit_code != 0:
        return f"cfglint explain exit {result.exit_code}: {(result.output or repr(result.exception))[-300:]}"
    budgets = [b for b in json.loads(result.stdout) if b.get("dialect") == DIALECT]
    if not budgets:
        return "cfglint printed no codex budget"
    numbers = budgets[0]["numbers"]
    return {name: (numbers.get(name) or {}).get("value") for name in NUMBERS}


def classify(name: str, case: dict, answer: dict, ours, theirs, not_sent: bool) -> str:
    """The class of one mismatch, from what the config sets (the classes of notes/codex_fidelity.md)."""
    config, features = case["config"], []
    if "model_catalog_json" in config:
        entry = json.loads(case["files"][CATALOG])["models"][0]
        features.append("catalog omits the model" if entry["slug"] != config["model"] else "catalog entry")
        features += [f"catalog {field}" for field in ("max_context_window", "effective_context_window_percent",
                                                      "auto_compact_token_limit") if field in entry]
    elif case["kind"] in ("unknown", "prefixed"):
        features.append(f"{case['kind']} slug")
    for key in ("model_context_window", "model_auto_compact_token_limit"):
        if key in config:
            value = config[key]
            features.append(f"{key} {'<= 0' if isinstance(value, int) and value <= 0 else 'set'}")
    if "model" not in config:
        features.insert(0, "no model (the release's default)")
    return ", ".join(features) or "bundled model, defaults"


def compare(cases: list[dict], answers: dict[str, dict], offset: int, version: str) -> list[dict]:
    """One row per case (tools.fidelity.compare): Codex's numbers against cfglint's."""
    with tempfile.TemporaryDirectory(prefix="cfglint-fidelity-codex-explain-") as scratch:
        ours = {case["id"]: explain(case, version, Path(scratch) / case["id"]) for case in cases}

    def measure(case: dict, answer: dict) -> tuple | str:
        if "error" in answer:
            return f"codex: {answer['error'][:200]}"
        mine = ours[case["id"]]
        if isinstance(mine, str):
            return mine
        return oracle_numbers(answer, offset), mine, set(), mine

    return fidelity.compare(cases, answers, NUMBERS, measure, classify)


# --- the recorded sample ---------------------------------------------------------------------------------------

def record(path: Path, runs: dict[str, tuple], size: int, seed: int, count: int) -> None:
    """The sample tests/fidelity/test_recorded.py replays, spread over the releases (tools.fidelity.sample per
    release: cases that agree, round-robin over the kinds); files relative to HOME (`.codex/...`)."""
    per_version = -(-size // len(runs))
    cases = []
    for version, (rows, artifact) in runs.items():
        for row in fidelity.sample(rows, per_version, NUMBERS):
            case = row["case"]
            cases.append({"id": case["id"], "target": version, "package": f"{PACKAGE}@{version}-linux-x64 sha256:"
                                                                           f"{artifact.sha256}",
                          "home": True, "files": case["files"], "env": {}, "model": case["config"].get("model"),
                          **({"harness_args": case["args"]} if case.get("args") else {}),
                          "oracle": row["theirs"]})
    default = runs[max(runs, key=version_tuple)][1]
    fidelity.write_sample(path, dialect=DIALECT, package=f"{PACKAGE}@{default.version}", sha256=default.sha256,
                          generator=f"tools/fidelity/codex.py --seed {seed} --count {count} "
                                    f"--versions {','.join(runs)}", cases=cases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    fidelity.add_run_arguments(parser, count=400)
    parser.set_defaults(sample=60)
    parser.add_argument("--versions", default=",".join(VERSIONS))
    parser.add_argument("--oracle-only", action="store_true", help="run Codex only (fill the cache, print its numbers)")
    args = parser.parse_args(argv)
    failed, runs, results = False, {}, []
    for version in args.versions.split(","):
        started = time.monotonic()
        binary, artifact = codex_binary(version)
        offset = calibrate(version, binary)
        cases = generate(version, bundled_catalog(binary), args.count, args.seed)
        raw, fresh = run_harness(version, binary, [(case["files"], tuple(case.get("args", ()))) for case in cases])
        answers = {case["id"]: answer for case, answer in zip(cases, raw)}
        print(f"{PACKAGE}@{version}-linux-x64 sha256 {artifact.sha256}: {len(cases)} configs ({fresh} run now, the "
              f"rest cached), 1 codex run per config: {sum(a['seconds'] for a in raw) / len(raw):.1f} s/config, "
              f"{sum(len(a['probes']) for a in raw) / len(raw):.0f} probes/config; {sum('error' in a for a in raw)} "
              f"refused; {time.monotonic() - started:.0f} s for this release")
        if args.oracle_only:
            for case, answer in zip(cases, raw):
                print(f"  {case['id']} {case['kind']:13} {json.dumps(case['config'])}: "
                      + (answer["error"][:160] if "error" in answer else json.dumps(oracle_numbers(answer, offset))))
            continue
        rows = compare(cases, answers, offset, version)
        exact = fidelity.report(rows, title=f"codex {version} (npm {PACKAGE}@{version}-linux-x64) vs cfglint",
                                harness="codex", dialect=DIALECT, version=version, numbers=NUMBERS, secondary=())
        failed |= exact != len(rows)
        results.append(f"{DIALECT} {version} fidelity: {exact}/{len(rows)} exact")
        runs[version] = (rows, artifact)
    if args.record and runs:
        record(args.record, runs, args.sample, args.seed, args.count)
    for line in results:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
