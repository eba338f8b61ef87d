#!/usr/bin/env python3
"""cfglint benchmark: medians over repeated runs, ratios from the same run (stdlib only).

    make bench                                   # sets up .venv and bench/.venv-tools, then runs this
    .venv/bin/python bench/run.py [--runs 21] [--warmup 3] [--json results.json]

Every command is spawned directly (posix_spawn, no shell) and reaped with os.wait4, which gives
its wall time and its peak resident set (ru_maxrss), by a small helper process (see Reaper). The commands run round-robin, one of each
per round, the starting case rotating from round to round, so that machine noise hits all of them
alike; the first --warmup rounds are not recorded. The table shows medians, p10-p90 and ratios of
medians taken in this same run. Exit status 0 whatever the numbers: this is a report.
See bench/README.md for what each case measures.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import gen_configs  # noqa: E402  (bench/gen_configs.py)

# The single-file inputs: the realistic configs of examples/, laid out as the harnesses name them.
SINGLE = {
    "kilo": ("examples/kilo/good/kilo.jsonc", "one-kilo/kilo.jsonc"),
    "kimi": ("examples/kimi-code/glm-5.2/.kimi-code/config.toml", "one-kimi/.kimi-code/config.toml"),
    "claude": ("examples/claude-code/.claude/settings.json", "one-claude/.claude/settings.json"),
    "hermes": ("examples/hermes/.hermes/config.yaml", "one-hermes/.hermes/config.yaml"),
}
JSON_COPY = "one-json/kilo.json"  # the comment-free .json copy both cfglint and check-jsonschema read
SCHEMA_COPY = "kilo.schema.json"

# Targets (docs: /work/shared/spec/product.md "Quality bars", the bench issue).
COLD_VS_BARE = 4.0
COLD_VS_CJS = 0.5
RERUN_VS_BARE = 3.0
MARGINAL_MS = 1.0
EXPLAIN_VS_CHECK = 1.2
RSS_MIB = 50.0



# --------------------------------------------------------------------------- helpers


def jsonc_to_json(text: str) -> str:
    """Drop // and /* */ comments and trailing commas outside strings; return canonical JSON."""

    def scan(src: str, on_other) -> str:
        out: list[str] = []
        i, n = 0, len(src)
        while i < n:
            c = src[i]
            if c == '"':
                j = i + 1
                while j < n and src[j] != '"':
                    j += 2 if src[j] == "\\" else 1
                out.append(src[i:j + 1])
                i = j + 1
            else:
                i = on_other(src, i, out)
        return "".join(out)

    def comments(src: str, i: int, out: list[str]) -> int:
        if src.startswith("//", i):
            j = src.find("\n", i)
            return len(src) if j < 0 else j
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            return len(src) if j < 0 else j + 2
        out.append(src[i])
        return i + 1

    def trailing_commas(src: str, i: int, out: list[str]) -> int:
        if src[i] == ",":
            j = i + 1
            while j < len(src) and src[j] in " \t\r\n":
                j += 1
            if j < len(src) and src[j] in "}]":
                return i + 1
        out.append(src[i])
        return i + 1

    data = json.loads(scan(scan(text, comments), trailing_commas))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def is_native_binary(path: str) -> bool:
    """True for an ELF or Mach-O executable (not a shell script shim such as pyenv's)."""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError:
        return False
    return magic == b"\x7fELF" or magic in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe")


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def capture(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          errors="replace", check=False)


def quantiles(samples: list[float]) -> tuple[float, float, float]:
    med = statistics.median(samples)
    if len(samples) < 2:
        return med, med, med
    q = statistics.quantiles(samples, n=10, method="inclusive")
    return med, q[0], q[-1]


# The reaper: a small process of the real interpreter (-S: no site, stdlib only) that spawns each
# command directly with posix_spawn (no shell), reaps it with os.wait4 and reports its wall time,
# exit code and ru_maxrss. Why not spawn from this script: on Linux a child's ru_maxrss is at
# least the peak RSS of the process it was forked from (the kernel carries the parent's high-water
# mark over fork and exec), and this script's own peak (~17 MiB) is above the bare interpreter's.
# The reaper's is about 10 MiB; it reports that floor (its own VmHWM) with every measurement.
REAPER = r"""
import json, os, sys, time
scale = 1024 if sys.platform == "darwin" else 1
def hwm():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // scale
acts = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY, 0) for fd in (0, 1, 2)]
for line in sys.stdin:
    argv, env = json.loads(line)
    floor = hwm()
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=acts)
    _, status, usage = os.wait4(pid, 0)
    t1 = time.perf_counter_ns()
    cpu = (usage.ru_utime + usage.ru_stime) * 1000
    print(json.dumps([(t1 - t0) / 1e6, os.waitstatus_to_exitcode(status), usage.ru_maxrss // scale, floor, cpu]),
          flush=True)
"""


class Reaper:
    def __init__(self, python: str, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([python, "-S", "-c", REAPER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env, text=True, bufsize=1)

    def run(self, argv: list[str], env: dict[str, str]) -> tuple[float, int, int, int, float]:
        """(wall ms, exit code, child peak RSS KiB, RSS floor KiB, child CPU ms) of one run of argv."""
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps([argv, env]) + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline()
        if not reply:
            raise RuntimeError(f"the reaper process died (exit {self.proc.wait()})")
        ms, code, rss, floor, cpu = json.loads(reply)
        return ms, code, rss, floor, cpu

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()


# --------------------------------------------------------------------------- cases


class Case:
    def __init__(self, key: str, label: str, argv: list[str], *, ok: tuple[int, ...] = (0, 1),
                 cache: str = "fresh", prime: bool = False, cfglint: bool = True) -> None:
        self.key = key
        self.label = label
        self.argv = argv
        self.ok = ok
        self.cache = cache      # "fresh": a new empty cache dir per run; "warm": one kept dir; "none"
        self.prime = prime      # run once untimed right before each timed run (re-run cases)
        self.cfglint = cfglint  # counts for the peak-RSS target
        self.times: list[float] = []   # wall ms
        self.cpu: list[float] = []     # user + system CPU ms of the child
        self.rss: list[int] = []
        self.floor = 0
        self.bad_exits: list[int] = []
        self.error: str | None = None

    def run_once(self, reaper: Reaper, base_env: dict[str, str], work: str, record: bool) -> None:
        env = dict(base_env)
        fresh = None
        if self.cache == "fresh":
            fresh = tempfile.mkdtemp(prefix="cache-", dir=os.path.join(work, ".caches"))
            env["CFGLINT_CACHE_DIR"] = fresh
        elif self.cache == "warm":
            env["CFGLINT_CACHE_DIR"] = os.path.join(work, ".caches", "warm-" + self.key)
        if self.prime:
            reaper.run(self.argv, env)
        ms, code, rss, floor, cpu = reaper.run(self.argv, env)
        if fresh:
            shutil.rmtree(fresh, ignore_errors=True)
        if code not in self.ok:
            self.bad_exits.append(code)
        if record:
            self.times.append(ms)
            self.cpu.append(cpu)
            self.rss.append(rss)
            self.floor = max(self.floor, floor)

    def stats(self) -> dict:
        if not self.times:
            return {}
        med, p10, p90 = quantiles(self.times)
        peak = max(self.rss)
        return {"median_ms": med, "p10_ms": p10, "p90_ms": p90, "samples_ms": self.times,
                "cpu_median_ms": statistics.median(self.cpu), "cpu_samples_ms": self.cpu,
                "peak_rss_kib": peak, "rss_floor_kib": self.floor,
                "rss_at_floor": peak <= self.floor + 256}


def build_cases(args, work: str, cfglint: str, cjs: str | None, real_python: str,
                check_nc: list[str], explain_nc: list[str], many: list[str]) -> dict[str, Case]:
    cases: list[Case] = [
        Case("bare", 'bare interpreter: python -c "import json"', [real_python, "-c", "import json"],
             ok=(0,), cache="none", cfglint=False),
    ]
    if cjs:
        cases.append(Case("cjs", f"check-jsonschema --schemafile {SCHEMA_COPY} kilo.json",
                          [cjs, "--schemafile", SCHEMA_COPY, JSON_COPY], cache="none", cfglint=False))
    nc = " ".join(check_nc)
    cases.append(Case("cold-json", f"cfglint check {nc} kilo.json (same bytes)".replace("  ", " "),
                      [cfglint, "check", *check_nc, JSON_COPY]))
    for name, (_src, rel) in SINGLE.items():
        cases.append(Case(f"cold-{name}", f"cfglint check {nc} {rel}".replace("  ", " "),
                          [cfglint, "check", *check_nc, rel]))
    cases.append(Case("rerun-kilo", f"cfglint check {SINGLE['kilo'][1]} (re-run, unchanged)",
                      [cfglint, "check", SINGLE["kilo"][1]], cache="warm", prime=True))
    ne = " ".join(explain_nc)
    for name, (_src, rel) in SINGLE.items():
        cases.append(Case(f"explain-{name}", f"cfglint explain --no-env {ne} {rel}".replace("  ", " "),
                          [cfglint, "explain", "--no-env", *explain_nc, rel]))
    cases.append(Case("one", f"cfglint check {nc} {many[0]} (1 generated file)".replace("  ", " "),
                      [cfglint, "check", *check_nc, many[0]]))
    cases.append(Case("many", f"cfglint check {nc} <{len(many)} generated configs>".replace("  ", " "),
                      [cfglint, "check", *check_nc, *many]))
    if not args.no_many_rerun:
        cases.append(Case("rerun-many", f"cfglint check <{len(many)} configs> (re-run, unchanged)",
                          [cfglint, "check", *many], cache="warm", prime=True))
    return {c.key: c for c in cases}


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description="cfglint benchmark (see bench/README.md).")
    ap.add_argument("--venv", default=os.path.join(ROOT, ".venv"), help="the project virtualenv (default .venv)")
    ap.add_argument("--tools-venv", default=os.path.join(HERE, ".venv-tools"),
                    help="virtualenv holding check-jsonschema (default bench/.venv-tools)")
    ap.add_argument("--runs", type=int, default=21, help="recorded rounds (default 21)")
    ap.add_argument("--warmup", type=int, default=3, help="unrecorded rounds first (default 3)")
    ap.add_argument("--count", type=int, default=1000, help="generated configs for the many-files case")
    ap.add_argument("--no-many-rerun", action="store_true", help="skip the re-run of the generated set")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON (- for stdout)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    args = ap.parse_args()
    if not hasattr(os, "posix_spawn") or not hasattr(os, "wait4"):
        print("bench/run.py needs os.posix_spawn and os.wait4 (Linux or macOS)", file=sys.stderr)
        return 2
    args.runs = max(1, args.runs)
    args.warmup = max(1, args.warmup)  # the first round compiles the .pyc files
    args.count = max(2, args.count)

    venv = os.path.abspath(args.venv)
    venv_python = os.path.join(venv, "bin", "python")
    cfglint = os.path.join(venv, "bin", "cfglint")
    for path in (venv_python, cfglint):
        if not os.path.exists(path):
            print(f"missing {path}: run `make bench` (or `make test`) first", file=sys.stderr)
            return 2
    real_python = os.path.realpath(venv_python)
    notes: list[str] = []
    if not is_native_binary(real_python):
        notes.append(f"warning: {real_python} does not look like a native executable")
    cjs = os.path.join(os.path.abspath(args.tools_venv), "bin", "check-jsonschema")
    if not os.path.exists(cjs):
        notes.append(f"check-jsonschema not found at {cjs} (make bench installs it): its case is skipped")
        cjs = None

    # The children's environment: ours, minus PYTHON* variables that change interpreter start-up
    # (PYTHONDONTWRITEBYTECODE, PYTHONPATH, ...), with cfglint's and XDG caches in the work dir,
    # and .pyc files written under the work dir (PYTHONPYCACHEPREFIX), not into the source tree:
    # the warm-up rounds compile them, so recorded runs start as an installed cfglint does.
    work = os.path.realpath(tempfile.mkdtemp(prefix="cfglint-bench-"))
    os.makedirs(os.path.join(work, ".caches"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(CFGLINT_CACHE_DIR=os.path.join(work, ".caches", "default"),
               XDG_CACHE_HOME=os.path.join(work, ".caches", "xdg"), NO_COLOR="1",
               PYTHONPYCACHEPREFIX=os.path.join(work, ".pycache"))
    dropped = sorted(k for k in os.environ if k.startswith("PYTHON"))
    if dropped:
        notes.append("dropped from the children's environment: " + ", ".join(dropped))

    old_cwd = os.getcwd()
    os.chdir(work)  # every command runs here, on relative paths, as pre-commit does in a repo
    try:
        # Inputs.
        for _name, (src, rel) in SINGLE.items():
            os.makedirs(os.path.dirname(rel), exist_ok=True)
            shutil.copyfile(os.path.join(ROOT, src), rel)
        os.makedirs(os.path.dirname(JSON_COPY), exist_ok=True)
        with open(os.path.join(ROOT, SINGLE["kilo"][0]), encoding="utf-8") as fh:
            json_text = jsonc_to_json(fh.read())
        with open(JSON_COPY, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(json_text)
        schema = capture([cfglint, "schema", "kilo"], env)
        if schema.returncode == 0 and schema.stdout.strip():
            with open(SCHEMA_COPY, "w", encoding="utf-8") as fh:
                fh.write(schema.stdout)
        else:
            shutil.copyfile(os.path.join(ROOT, "cfglint", "schemas", "kilo.schema.json"), SCHEMA_COPY)
            notes.append("`cfglint schema kilo` failed; used cfglint/schemas/kilo.schema.json")
        many = gen_configs.generate(os.path.join(work, "gen"), args.count)
        many = [os.path.join("gen", p) for p in many]

        # Options that exist in this cfglint build (a result cache is being added).
        check_help = capture([cfglint, "check", "--help"], env).stdout
        explain_help = capture([cfglint, "explain", "--help"], env).stdout
        check_nc = ["--no-cache"] if re.search(r"--no-cache\b", check_help) else []
        explain_nc = ["--no-cache"] if re.search(r"--no-cache\b", explain_help) else []
        notes.append("`cfglint check --no-cache`: " + ("present, used for the cold cases" if check_nc else
                     "absent; cold cases still get an empty cache directory per run"))

        versions = {
            "cfglint": capture([cfglint, "--version"], env).stdout.strip(),
            "check-jsonschema": capture([cjs, "--version"], env).stdout.strip() if cjs else None,
            "python": capture([real_python, "-c", "import sys; print(sys.version.split()[0])"], env).stdout.strip(),
        }
        machine = {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "cpu": cpu_model(),
            "os": platform.platform(),
            "python_binary": real_python,
            "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        }

        cases = build_cases(args, work, cfglint, cjs, real_python, check_nc, explain_nc, many)

        # Check each command once, output captured: a case that errors out is not timed.
        for case in list(cases.values()):
            probe_env = dict(env, CFGLINT_CACHE_DIR=os.path.join(work, ".caches", "probe-" + case.key))
            res = capture(case.argv, probe_env)
            if res.returncode not in case.ok:
                first = (res.stderr.strip().splitlines() or res.stdout.strip().splitlines() or [""])[0]
                case.error = f"exit {res.returncode}: {first[:160]}"
            elif case.key in ("many", "one"):
                m = re.search(r"in (\d+) files?", res.stdout)
                want = len(many) if case.key == "many" else 1
                if m and int(m.group(1)) != want:
                    notes.append(f"{case.key}: cfglint reported {m.group(1)} files, {want} given")
        timed = [c for c in cases.values() if c.error is None]

        total = args.warmup + args.runs
        print(f"cfglint bench: {len(timed)} cases x ({args.warmup} warm-up + {args.runs} recorded) rounds, "
              f"round-robin ...", file=sys.stderr, flush=True)
        started = time.monotonic()
        reaper = Reaper(real_python, env)
        try:
            for rnd in range(total):
                shift = rnd % len(timed)
                for case in timed[shift:] + timed[:shift]:
                    case.run_once(reaper, env, work, record=rnd >= args.warmup)
                if sys.stderr.isatty():
                    print(f"\r  round {rnd + 1}/{total}", end="", file=sys.stderr, flush=True)
        finally:
            reaper.close()
        if sys.stderr.isatty():
            print(file=sys.stderr)
        machine["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        machine["bench_seconds"] = round(time.monotonic() - started, 1)
    finally:
        os.chdir(old_cwd)
        if args.keep:
            print(f"work directory kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    results = report(cases, args, machine, versions, notes, len(many))
    if args.json:
        text = json.dumps(results, indent=2) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            with open(args.json, "w", encoding="utf-8") as fh:
                fh.write(text)
    return 0


def report(cases: dict[str, Case], args, machine: dict, versions: dict, notes: list[str], count: int) -> dict:
    st = {k: c.stats() for k, c in cases.items()}

    def med(key: str, field: str = "median_ms") -> float | None:
        return st.get(key, {}).get(field)

    targets: list[dict] = []

    def ratio_target(case: str, ref: str, limit: float, name: str) -> None:
        a, b = med(case), med(ref)
        value = a / b if a is not None and b else None
        ca, cb = med(case, "cpu_median_ms"), med(ref, "cpu_median_ms")
        cpu = ca / cb if ca is not None and cb else None
        # Also the median of the per-round ratios (round i of both cases ran back to back): a
        # cross-check that is less sensitive to load that drifts during the run.
        xs, ys = cases[case].times if case in cases else [], cases[ref].times if ref in cases else []
        paired = statistics.median(x / y for x, y in zip(xs, ys)) if xs and len(xs) == len(ys) else None
        targets.append({"case": case, "target": name, "ref": ref, "value": value, "cpu_value": cpu,
                        "paired": paired, "limit": limit, "unit": "x",
                        "met": None if value is None else value <= limit})

    ratio_target("cold-json", "cjs", COLD_VS_CJS, "cold check <= 0.5x check-jsonschema (same file)")
    for name in ("json", *SINGLE):
        ratio_target(f"cold-{name}", "bare", COLD_VS_BARE, "cold check <= 4x bare interpreter")
    ratio_target("rerun-kilo", "bare", RERUN_VS_BARE, "re-run, unchanged <= 3x bare interpreter")
    for name in SINGLE:
        ratio_target(f"explain-{name}", f"cold-{name}", EXPLAIN_VS_CHECK, "explain <= 1.2x check (same file)")
    marginal = cpu_marginal = None
    if med("many") is not None and med("one") is not None:
        marginal = (med("many") - med("one")) / (count - 1)
        cpu_marginal = (med("many", "cpu_median_ms") - med("one", "cpu_median_ms")) / (count - 1)
    targets.append({"case": "many", "target": f"marginal per file at {count} files <= 1 ms",
                    "ref": "one", "value": marginal, "cpu_value": cpu_marginal, "limit": MARGINAL_MS,
                    "unit": "ms", "met": None if marginal is None else marginal <= MARGINAL_MS})
    rss = [(st[k]["peak_rss_kib"], k) for k, c in cases.items() if c.cfglint and st.get(k)]
    peak = max(rss) if rss else None
    targets.append({"case": peak[1] if peak else None, "target": "peak RSS <= 50 MiB (max over cfglint cases)",
                    "ref": None, "value": peak[0] / 1024 if peak else None, "cpu_value": None,
                    "limit": RSS_MIB, "unit": "MiB",
                    "met": None if peak is None else peak[0] / 1024 <= RSS_MIB})

    # ---- the table
    by_case: dict[str, list[dict]] = {}
    for t in targets:
        by_case.setdefault(t["case"], []).append(t)
    ref_short = {"cjs": "check-jsonschema", "bare": "bare", "one": "1 file"}

    def fmt_target(t: dict) -> tuple[str, str, str, str]:
        if t["value"] is None:
            return "n/a", "", "", "n/a"
        met = "yes" if t["met"] else "NO"
        if t["unit"] == "x":
            ref = ref_short.get(t["ref"], "check")
            cpu = f"{t['cpu_value']:.2f}x" if t["cpu_value"] is not None else ""
            return f"{t['value']:.2f}x {ref}", cpu, f"<= {t['limit']:g}x", met
        if t["unit"] == "ms":
            cpu = f"{t['cpu_value']:.3f} ms" if t["cpu_value"] is not None else ""
            return f"{t['value']:.3f} ms/file", cpu, f"<= {t['limit']:g} ms", met
        return f"{t['value']:.1f} MiB", "", f"<= {t['limit']:g} MiB", met

    rows = [("case", "median ms", "p10-p90 ms", "CPU ms", "RSS MiB", "ratio", "CPU ratio", "target", "met?")]
    for key, case in cases.items():
        s = st.get(key)
        if case.error:
            rows.append((case.label, "error", "", "", "", case.error[:60], "", "", ""))
            continue
        rss_txt = f"{s['peak_rss_kib'] / 1024:.1f}" + (" (floor)" if s["rss_at_floor"] else "")
        ts = [t for t in by_case.get(key, []) if t["unit"] == "x"]
        first = fmt_target(ts[0]) if ts else ("", "", "", "")
        rows.append((case.label, f"{s['median_ms']:.1f}", f"{s['p10_ms']:.1f}-{s['p90_ms']:.1f}",
                     f"{s['cpu_median_ms']:.1f}", rss_txt, *first))
        for t in ts[1:]:
            rows.append(("", "", "", "", "", *fmt_target(t)))
    for t in targets:
        if t["unit"] != "x":
            label = (f"marginal per file: (many - one) / {count - 1}" if t["unit"] == "ms"
                     else f"peak RSS of the cfglint cases (max: {t['case']})")
            rows.append((label, "", "", "", "", *fmt_target(t)))

    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = {1, 2, 3, 4, 6}

    def line(r: tuple) -> str:
        return "| " + " | ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in
                                 enumerate(zip(r, widths))) + " |"

    out = sys.stderr if args.json == "-" else sys.stdout
    print(f"date {machine['date']} · {machine['nproc']} cores · {machine['cpu']} · {machine['os']}", file=out)
    print(f"python {versions['python']} ({machine['python_binary']}) · {versions['cfglint']} · "
          f"{versions['check-jsonschema'] or 'check-jsonschema: absent'}", file=out)
    print(f"{args.runs} recorded rounds after {args.warmup} warm-up, round-robin; load average "
          f"{machine['loadavg_start']} -> {machine['loadavg_end']}; {machine['bench_seconds']} s", file=out)
    print(file=out)
    print(line(rows[0]), file=out)
    print("|" + "|".join("-" * (w + 1) + ":" if i in right else "-" * (w + 2) for i, w in enumerate(widths)) + "|",
          file=out)
    for r in rows[1:]:
        print(line(r), file=out)
    print(file=out)
    floor = max((c.floor for c in cases.values()), default=0)
    print("ratio: of wall-clock medians (the targets); CPU ratio: of the children's user+system CPU "
          "medians, a cross-check that other load on the machine disturbs less", file=out)
    print(f"RSS floor: {floor / 1024:.1f} MiB (the spawning helper's own peak, which Linux counts into "
          "every child's ru_maxrss; a value marked (floor) is at most that)", file=out)
    met = sum(1 for t in targets if t["met"])
    print(f"targets met: {met} of {len(targets)}", file=out)
    bad = {k: c.bad_exits for k, c in cases.items() if c.bad_exits}
    if bad:
        notes.append("unexpected exit codes during timed runs: " + json.dumps(bad))
    busiest = max(machine["loadavg_start"][0], machine["loadavg_end"][0])
    if machine["nproc"] and busiest > machine["nproc"]:
        notes.append(f"the machine was busy (1-minute load average up to {busiest} on {machine['nproc']} "
                     "cores): wall times are inflated and noisy; compare with the CPU columns, or re-run "
                     "when it is idle")
    for n in notes:
        print("note: " + n, file=out)

    return {"machine": machine, "versions": versions, "runs": args.runs, "warmup": args.warmup,
            "count": count, "notes": notes,
            "cases": {k: {"label": c.label, "argv": [os.path.basename(c.argv[0]), *c.argv[1:6]]
                          + (["..."] if len(c.argv) > 6 else []),
                          "error": c.error, **st.get(k, {})} for k, c in cases.items()},
            "targets": targets}


if __name__ == "__main__":
    sys.exit(main())
