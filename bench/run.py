#!/usr/bin/env python3
"""cfglint benchmark: medians over repeated runs, ratios from the same run (stdlib only).

    make bench                                   # sets up .venv and bench/.venv-tools, then runs this
    .venv/bin/python bench/run.py [--runs 21] [--count 10000] [--many-runs 5] [--json results.json]
    python3 bench/run.py --cfglint-venv /tmp/other/.venv   # another cfglint checkout (a "before")

Every command is spawned directly (posix_spawn, no shell) and reaped with os.wait4, which gives
its wall time, its user+system CPU time and its peak resident set (ru_maxrss), by a small helper
process (see Reaper). The commands run round-robin, one of each per round, the starting case
rotating from round to round, so that machine noise hits all of them alike; the first --warmup
rounds are not recorded. The many-files cases run in their own, fewer rounds (--many-runs),
spread between the others. Ratios are paired (the median over rounds of case / reference, wall
and CPU), against a clean-venv interpreter and the "job floor" (read, parse and walk the same file
in `python -I -S`), among others. Exit status 0 whatever the numbers: this is a report. See
bench/README.md for what each case measures.
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
PRECOMMIT = (1, 3, 5)  # changed files in the pre-commit cases

# Targets: issue 15 (against the clean-venv interpreter and the job floor) and the spec's quality
# bars that it does not replace (/work/shared/spec/product.md "Quality bars").
COLD_VS_CLEAN = 3.0
COLD_VS_FLOOR = 2.0
HIT_VS_CLEAN = 1.5
RSS_MIB = 50.0
PARALLEL_EFFICIENCY = 0.7  # N workers: wall <= 1 / (0.7 N) of --jobs 1, N = the cores available
COLD_VS_CJS = 0.5
EXPLAIN_VS_CHECK = 1.2
MARGINAL_MS = 1.0

# The job floor: what any linter must do for one file, in `python -I -S` (no site, stdlib only,
# except PyYAML, the parser cfglint itself uses, imported from cfglint's venv). argv[1] is the file.
FLOOR_WALK = """
import sys
def walk(node):
    n = 1
    if isinstance(node, dict):
        for v in node.values():
            n += walk(v)
    elif isinstance(node, list):
        for v in node:
            n += walk(v)
    return n
"""
FLOOR_PARSE = {
    "json": "import json\nwith open(sys.argv[1], 'rb') as fh:\n    doc = json.loads(fh.read())\n",
    # Minimal JSONC: one regex pass drops comments, a second drops trailing commas (strings kept).
    "jsonc": "import json, re\n"
             "with open(sys.argv[1], encoding='utf-8') as fh:\n    text = fh.read()\n"
             "keep = lambda m: m.group() if m.group()[0] == '\"' else ''\n"
             "text = re.sub(r'\"(?:[^\"\\\\]|\\\\.)*\"|//[^\\n]*|/\\*.*?\\*/', keep, text, flags=re.S)\n"
             "text = re.sub(r'\"(?:[^\"\\\\]|\\\\.)*\"|,(?=\\s*[}\\]])', keep, text)\n"
             "doc = json.loads(text)\n",
    "toml": "try:\n    import tomllib\nexcept ImportError:  # Python 3.10: tomli, from cfglint's venv\n"
            "    sys.path.append(SITE)\n    import tomli as tomllib\n"
            "with open(sys.argv[1], 'rb') as fh:\n    doc = tomllib.load(fh)\n",
    "yaml": "sys.path.append(SITE)\nimport yaml\n"
            "with open(sys.argv[1], encoding='utf-8') as fh:\n    doc = yaml.safe_load(fh)\n",
}
FLOOR_FORMAT = {".json": "json", ".jsonc": "jsonc", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}

# Imports the modules of a list, as a cold check did (site's own tries, such as `sitecustomize`, may fail).
IMPORT_ALL = """
for name in {!r}:
    try:
        __import__(name)
    except ImportError:
        pass
"""

# The no-op pre-commit hook: a console script like the one pip wrote for cfglint (same venv
# interpreter in the shebang, same `import sys`), whose main does nothing.
NOOP_HOOK = """#!{python}
import sys
if __name__ == '__main__':
    sys.argv[0] = sys.argv[0].removesuffix('.exe')
    sys.exit(0)
"""

# Run in cfglint's venv: how many of the cfglint package's modules have a current .pyc beside
# their source (what a PYTHONDONTWRITEBYTECODE=1 run reads instead of compiling), and where it is.
PYC_STATE = r"""
import importlib.util, os
root = os.path.dirname(importlib.util.find_spec("cfglint").origin)
current = total = 0
for d, dirs, files in os.walk(root):
    dirs[:] = [x for x in dirs if x != "__pycache__"]
    for f in files:
        if not f.endswith(".py"):
            continue
        src = os.path.join(d, f)
        total += 1
        try:
            with open(importlib.util.cache_from_source(src), "rb") as fh:
                head = fh.read(16)
        except OSError:
            continue
        st = os.stat(src)
        flags = int.from_bytes(head[4:8], "little")
        if head[:4] != importlib.util.MAGIC_NUMBER:
            continue
        if flags & 1:  # hash-based: checked ones must match the source's hash
            with open(src, "rb") as fh:
                ok = not flags & 2 or head[8:16] == importlib.util.source_hash(fh.read())
        else:
            ok = head[8:16] == ((int(st.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little")
                                + (st.st_size & 0xFFFFFFFF).to_bytes(4, "little"))
        current += ok
print(root)
print(current, total)
"""

# Run in cfglint's venv: the checkout a regular install was made from (pip's direct_url.json), where
# `git describe` names the revision measured; the package's own directory for an editable install.
SOURCE_CHECKOUT = r"""
import importlib.metadata, json, os, urllib.parse, urllib.request
try:
    url = json.loads(importlib.metadata.distribution("cfglint-agents").read_text("direct_url.json") or "{}").get("url", "")
except importlib.metadata.PackageNotFoundError:
    url = ""
print(urllib.request.url2pathname(urllib.parse.urlparse(url).path) if url.startswith("file:") else "")
"""


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


def make_worktree(directory: str, env: dict[str, str]) -> str:
    """Make `directory` a git worktree holding every file in it, as a repository is where
    pre-commit and CI run cfglint (and where it looks for the other layers of a harness's
    configuration). The note to print."""
    if not shutil.which("git"):
        return "git not found: the inputs are not in a git worktree (cfglint reads no context layer)"
    for command in (["git", "-C", directory, "init", "-q"], ["git", "-C", directory, "add", "-A"]):
        done = capture(command, env)
        if done.returncode != 0:
            return f"`{' '.join(command)}` failed ({done.stderr.strip()[:120]}): the inputs are not in a git worktree"
    return f"{os.path.basename(directory)}/ is a git worktree (git init, every file added)"


def quantiles(samples: list[float]) -> tuple[float, float, float]:
    med = statistics.median(samples)
    if len(samples) < 2:
        return med, med, med
    q = statistics.quantiles(samples, n=10, method="inclusive")
    return med, q[0], q[-1]


def tree_memory_kib(root: int) -> int | None:
    """Memory of `root` and its descendants now: the sum of their PSS (shared pages, such as those
    forked workers share with their parent, split between the processes sharing them), or of
    VmRSS where /proc/PID/smaps_rollup is missing. Linux /proc; None elsewhere."""
    if not os.path.isdir("/proc/self"):
        return None
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        for name, field in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
            try:
                with open(f"/proc/{pid}/{name}", encoding="ascii", errors="replace") as fh:
                    total += next((int(line.split()[1]) for line in fh if line.startswith(field)), 0)
                break
            except OSError:
                continue
    return total


def run_sampled(argv: list[str], env: dict[str, str], interval: float = 0.05) -> tuple[int, bytes, str, int | None]:
    """Run argv once, untimed: (exit code, stdout, stderr, peak memory of its process tree, sampled
    every `interval` s). The sum counts worker processes, which ru_maxrss does not add up."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        peak: int | None = None
        while proc.poll() is None:
            now = tree_memory_kib(proc.pid)
            if now is not None:
                peak = max(peak or 0, now)
            time.sleep(interval)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read().decode("utf-8", "replace"), peak


# The reaper: a small process of the real interpreter (-S: no site, stdlib only) that spawns each
# command directly with posix_spawn (no shell), reaps it with os.wait4 and reports its wall time,
# exit code, CPU time and ru_maxrss. Why not spawn from this script: on Linux a child's ru_maxrss
# is at least the peak RSS of the process it was forked from (the kernel carries the parent's
# high-water mark over fork and exec), and this script's own peak (~17 MiB) is above the clean
# interpreter's. The reaper's is about 10 MiB; it reports that floor (its own VmHWM) with every
# measurement. wait4 gives the child's CPU time plus that of the descendants it reaped (workers),
# and the largest ru_maxrss among them (not their sum).
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
        import resource
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
                 cache: str = "fresh", prime: bool = False, many: bool = False,
                 env: dict[str, str | None] | None = None) -> None:
        self.key = key
        self.label = label
        self.argv = argv
        self.ok = ok
        self.cache = cache      # "fresh": a new empty cache dir per run; "warm": one kept dir; "none"
        self.prime = prime      # run once untimed before the first timed run (re-run cases)
        self.many = many        # in the many-files group (its own, fewer rounds)
        self.env = env or {}    # changes to the children's environment (None: remove the variable)
        self.times: list[float] = []   # wall ms
        self.cpu: list[float] = []     # user + system CPU ms of the child and its reaped children
        self.rss: list[int] = []
        self.floor = 0
        self.bad_exits: list[int] = []
        self.error: str | None = None
        self.stdout: bytes | None = None      # from the untimed probe run
        self.tree_memory: int | None = None   # peak PSS summed over the process tree, probe run

    def environ(self, base_env: dict[str, str]) -> dict[str, str]:
        env = dict(base_env)
        for k, v in self.env.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        return env

    def run_once(self, reaper: Reaper, base_env: dict[str, str], work: str, record: bool) -> None:
        env = self.environ(base_env)
        fresh = None
        if self.cache == "fresh":
            fresh = tempfile.mkdtemp(prefix="cache-", dir=os.path.join(work, ".caches"))
            env["CFGLINT_CACHE_DIR"] = fresh
        elif self.cache == "warm":
            env["CFGLINT_CACHE_DIR"] = os.path.join(work, ".caches", "warm-" + self.key)
        if self.prime:
            reaper.run(self.argv, env)
            self.prime = False
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
                "rss_at_floor": peak <= self.floor + 256, "tree_pss_kib": self.tree_memory}


def imported_by(cfglint: str, venv_python: str, rel: str, env: dict[str, str], work: str) -> list[str]:
    """The modules a cold `cfglint check REL` imports, in the order their imports start.
    `-X importtime` lists each when it is done, after the modules it imported, one level
    deeper: each is put back before those."""
    run_env = dict(env, CFGLINT_CACHE_DIR=os.path.join(work, ".caches", "imports-" + rel.replace(os.sep, "_")))
    run = capture([venv_python, "-X", "importtime", cfglint, "check", rel], run_env)
    done: list[tuple[int, list[str]]] = []  # (depth, the module and what it imported, in start order)
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            column = line.rsplit("|", 1)[1]
            depth, name = len(column) - len(column.lstrip()), column.strip()
            started = [name]
            while done and done[-1][0] > depth:
                started[1:1] = done.pop()[1]
            done.append((depth, started))
    return [name for _, names in done for name in names]


def build_cases(args, cfglint: str, cjs: str | None, real_python: str, clean_python: str, noop: str,
                site: str, opts: dict[str, list[str]], many: list[str], changed: list[str],
                imports: dict[str, list[str]], venv_python: str) -> dict[str, Case]:
    check_nc, explain_nc = opts["check"], opts["explain"]
    nc = " ".join(check_nc)

    def cl(text: str) -> str:
        return " ".join(text.split())

    cases: list[Case] = [
        Case("clean", 'clean-venv interpreter: python -c "import json"', [clean_python, "-c", "import json"],
             ok=(0,), cache="none"),
        Case("bare", 'base interpreter (its own site-packages): python -c "import json"',
             [real_python, "-c", "import json"], ok=(0,), cache="none"),
        Case("noop", "no-op hook: console script in cfglint's venv", [noop], ok=(0,), cache="none"),
    ]
    singles = [("json", JSON_COPY), *((name, rel) for name, (_src, rel) in SINGLE.items())]
    for name, rel in singles:
        fmt = FLOOR_FORMAT[os.path.splitext(rel)[1]]
        script = FLOOR_WALK + FLOOR_PARSE[fmt].replace("SITE", repr(site)) + "walk(doc)\n"
        cases.append(Case(f"floor-{name}", f"job floor ({fmt}): python -I -S, read+parse+walk {rel}",
                          [clean_python, "-I", "-S", "-c", script, rel], ok=(0,), cache="none"))
    if cjs:
        cases.append(Case("cjs", f"check-jsonschema --schemafile {SCHEMA_COPY} kilo.json",
                          [cjs, "--schemafile", SCHEMA_COPY, JSON_COPY], cache="none"))
    # Cold: the command the pre-commit hook runs on a changed file, with a new, empty cache directory
    # (so it also stores its result); and, for `explain` to be compared with, `--no-cache`, which
    # takes the full command line (click), as every command with an option does.
    for name, rel in singles:
        cases.append(Case(f"cold-{name}", f"cfglint check {rel} (empty cache)", [cfglint, "check", rel]))
    # What the cold check's imports alone cost: every module it imports, imported and nothing run.
    for name, rel in singles:
        if imports.get(name):
            cases.append(Case(f"imports-{name}", f"imports of a cold check of {rel} alone ({len(imports[name])} "
                              "modules, nothing run)", [venv_python, "-c", IMPORT_ALL.format(imports[name])],
                              ok=(0,), cache="none"))
    for name, (_src, rel) in SINGLE.items() if check_nc else ():
        cases.append(Case(f"nocache-{name}", cl(f"cfglint check {nc} {rel}"), [cfglint, "check", *check_nc, rel]))
    cases.append(Case("nowrite-kilo", f"PYTHONDONTWRITEBYTECODE=1 cfglint check {SINGLE['kilo'][1]} (empty cache)",
                      [cfglint, "check", SINGLE["kilo"][1]],
                      env={"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": None}))
    cases.append(Case("hit-kilo", f"cfglint check {SINGLE['kilo'][1]} (re-run, unchanged: cache hit)",
                      [cfglint, "check", SINGLE["kilo"][1]], cache="warm", prime=True))
    ne = " ".join(explain_nc)
    for name, (_src, rel) in SINGLE.items():
        cases.append(Case(f"explain-{name}", cl(f"cfglint explain --no-env {ne} {rel}"),
                          [cfglint, "explain", "--no-env", *explain_nc, rel]))
    for n in PRECOMMIT:
        cases.append(Case(f"precommit-{n}", f"pre-commit: cfglint check <{n} changed file{'s' * (n > 1)}>, "
                          "empty cache", [cfglint, "check", *changed[:n]]))
    cases.append(Case("precommit-big", f"pre-commit: cfglint check <1 changed file> in a worktree of "
                      f"{len(many):,} configs, empty cache", [cfglint, "check", many[0]]))
    cases.append(Case("one", cl(f"cfglint check {nc} {many[0]} (1 generated file)"),
                      [cfglint, "check", *check_nc, many[0]]))
    if opts["jobs"]:
        cases.append(Case("many-1", cl(f"cfglint check {nc} --jobs 1 <{len(many)} generated configs>"),
                          [cfglint, "check", *check_nc, "--jobs", "1", *many], many=True))
    cases.append(Case("many", cl(f"cfglint check {nc} <{len(many)} generated configs>")
                      + (" (default --jobs)" if opts["jobs"] else ""),
                      [cfglint, "check", *check_nc, *many], many=True))
    if not args.no_many_rerun:
        cases.append(Case("hit-many", f"cfglint check <{len(many)} configs> (re-run, unchanged)",
                          [cfglint, "check", *many], cache="warm", prime=True, many=True))
    return {c.key: c for c in cases}


def schedule(short: int, many: int) -> list[tuple[str, int]]:
    """Round order: ("short", i) for each short round, with the `many` rounds spread evenly among them."""
    order: list[tuple[str, int]] = []
    k = 0
    for i in range(short):
        order.append(("short", i))
        while k < many and (k + 1) * short <= (i + 1) * many:
            order.append(("many", k))
            k += 1
    return order + [("many", j) for j in range(k, many)]


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description="cfglint benchmark (see bench/README.md).")
    ap.add_argument("--cfglint-venv", "--venv", dest="venv", default=os.path.join(ROOT, ".venv"),
                    help="the virtualenv whose bin/cfglint is measured (default .venv; another checkout's "
                         "venv measures that checkout)")
    ap.add_argument("--clean-venv", default=os.path.join(HERE, ".venv-clean"),
                    help="empty virtualenv of the same interpreter, the baseline (default bench/.venv-clean; "
                         "created when missing)")
    ap.add_argument("--tools-venv", default=os.path.join(HERE, ".venv-tools"),
                    help="virtualenv holding check-jsonschema (default bench/.venv-tools)")
    ap.add_argument("--runs", type=int, default=21, help="recorded rounds of the one-file cases (default 21)")
    ap.add_argument("--warmup", type=int, default=3, help="unrecorded rounds first (default 3)")
    ap.add_argument("--count", type=int, default=10000, help="generated configs for the many-files cases")
    ap.add_argument("--many-runs", type=int, default=5, help="recorded rounds of the many-files cases (default 5)")
    ap.add_argument("--many-warmup", type=int, default=1, help="unrecorded many-files rounds (default 1)")
    ap.add_argument("--no-many-rerun", action="store_true", help="skip the re-run of the generated set")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON (- for stdout)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    args = ap.parse_args()
    if not hasattr(os, "posix_spawn") or not hasattr(os, "wait4"):
        print("bench/run.py needs os.posix_spawn and os.wait4 (Linux or macOS)", file=sys.stderr)
        return 2
    args.runs = max(1, args.runs)
    args.warmup = max(1, args.warmup)  # the first round compiles the .pyc files
    args.many_runs = max(1, args.many_runs)
    args.many_warmup = max(0, args.many_warmup)
    args.count = max(max(PRECOMMIT), args.count)

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
    # (PYTHONDONTWRITEBYTECODE, PYTHONPATH, ...); for the timed commands also with cfglint's and XDG
    # caches in the work dir, and .pyc files read and written under the work dir
    # (PYTHONPYCACHEPREFIX), not in the source tree: the warm-up rounds compile them, so every
    # recorded run reads compiled bytecode.
    raw_env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    dropped = sorted(k for k in os.environ if k.startswith("PYTHON"))
    if dropped:
        notes.append("dropped from the children's environment: " + ", ".join(dropped))

    # The baseline: an empty virtualenv (no pip, so no .pth file runs at start-up) of the same interpreter.
    clean_venv = os.path.abspath(args.clean_venv)
    clean_python = os.path.join(clean_venv, "bin", "python")
    if not os.path.exists(clean_python) or os.path.realpath(clean_python) != real_python:
        made = capture([real_python, "-m", "venv", "--clear", "--without-pip", clean_venv], raw_env)
        if made.returncode != 0:
            print(f"could not create {clean_venv}: {made.stderr.strip()}", file=sys.stderr)
            return 2

    # Before any cfglint process runs: does the install carry current bytecode beside the sources
    # (what a PYTHONDONTWRITEBYTECODE=1 run reads)? And where cfglint's venv keeps PyYAML.
    # (-I: not the current directory's cfglint; -B: write no bytecode.)
    state = capture([venv_python, "-I", "-B", "-c", PYC_STATE], raw_env).stdout.split()
    source_dir = state[0] if state else ""
    pyc = {"current": int(state[1]), "modules": int(state[2])} if len(state) == 3 else None
    site = capture([venv_python, "-I", "-c", "import os, yaml; print(os.path.dirname(os.path.dirname(yaml.__file__)))"],
                   raw_env).stdout.strip()
    checkout = capture([venv_python, "-I", "-B", "-c", SOURCE_CHECKOUT], raw_env).stdout.strip() or source_dir
    git = capture(["git", "-C", checkout, "describe", "--always", "--dirty"], raw_env) \
        if checkout and shutil.which("git") else None

    work = os.path.realpath(tempfile.mkdtemp(prefix="cfglint-bench-"))
    os.makedirs(os.path.join(work, ".caches"))
    env = dict(raw_env, CFGLINT_CACHE_DIR=os.path.join(work, ".caches", "default"),
               XDG_CACHE_HOME=os.path.join(work, ".caches", "xdg"), NO_COLOR="1",
               PYTHONPYCACHEPREFIX=os.path.join(work, ".pycache"))

    old_cwd = os.getcwd()
    # Every command runs in `work/repo`, on relative paths, as pre-commit does in a repository: a
    # small one, holding the single-file inputs and the pre-commit cases' files. The generated set
    # is a repository of its own, `work/big` (its files are named as `../big/gen/...`). The caches
    # and the bytecode stay outside both, as a user's cache directory is outside their repositories.
    repo, big = os.path.join(work, "repo"), os.path.join(work, "big")
    os.makedirs(repo)
    os.chdir(repo)
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
        generated = gen_configs.generate(os.path.join(big, "gen"), args.count)
        many = [os.path.join("..", "big", "gen", p) for p in generated]
        changed = [os.path.join("changed", p) for p in generated[:max(PRECOMMIT)]]
        for rel, path in zip(generated, changed):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            shutil.copyfile(os.path.join(big, "gen", rel), path)
        noop = os.path.join(work, "noop-hook")
        with open(noop, "w", encoding="utf-8") as fh:
            fh.write(NOOP_HOOK.format(python=venv_python))
        os.chmod(noop, 0o755)
        notes += [make_worktree(repo, raw_env), make_worktree(big, raw_env)]

        # Options that exist in this cfglint build (the cache and the worker pool came later).
        check_help = capture([cfglint, "check", "--help"], env).stdout
        explain_help = capture([cfglint, "explain", "--help"], env).stdout
        opts = {"check": ["--no-cache"] if re.search(r"--no-cache\b", check_help) else [],
                "explain": ["--no-cache"] if re.search(r"--no-cache\b", explain_help) else [],
                "jobs": bool(re.search(r"--jobs\b", check_help))}
        notes.append("`cfglint check --no-cache`: " + ("present: compared with explain, and used for the many-files cases"
                     if opts["check"] else "absent; every cold case gets an empty cache directory per run"))
        notes.append("`cfglint check --jobs`: " + ("present: --jobs 1 against the default" if opts["jobs"] else
                     "absent: one process (the worker-pool targets are n/a)"))

        versions = {
            "cfglint": (capture([cfglint, "--version"], env).stdout.strip().splitlines() or [""])[0],
            "cfglint_source": source_dir,
            "cfglint_git": git.stdout.strip() if git and git.returncode == 0 else None,
            "check-jsonschema": capture([cjs, "--version"], env).stdout.strip() if cjs else None,
            "python": capture([real_python, "-c", "import sys; print(sys.version.split()[0])"], env).stdout.strip(),
        }
        machine = {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "cpu": cpu_model(),
            "os": platform.platform(),
            "python_binary": real_python,
            "clean_venv": clean_venv,
            "pyc_beside_source": pyc,
            "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        }

        imports = {name: imported_by(cfglint, venv_python, rel, env, work)
                   for name, rel in [("json", JSON_COPY), *((name, rel) for name, (_src, rel) in SINGLE.items())]}
        cases = build_cases(args, cfglint, cjs, real_python, clean_python, noop, site, opts, many, changed,
                            imports, venv_python)

        # Run each command once, output captured, before any timing: a case that errors out is not
        # timed; the many-files runs also give their output (compared between 1 and N workers) and
        # the RSS of their whole process tree.
        for case in cases.values():
            probe_env = dict(case.environ(env), CFGLINT_CACHE_DIR=os.path.join(work, ".caches", "probe-" + case.key))
            if case.many:
                code, out, err, tree = run_sampled(case.argv, probe_env)
            else:
                res = capture(case.argv, probe_env)
                code, out, err, tree = res.returncode, res.stdout.encode(), res.stderr, None
            case.stdout, case.tree_memory = out, tree
            text = out.decode("utf-8", "replace")
            if code not in case.ok:
                first = (err.strip().splitlines() or text.strip().splitlines() or [""])[0]
                case.error = f"exit {code}: {first[:160]}"
            elif case.key in ("many", "many-1", "one"):
                m = re.search(r"in (\d+) files?", text)
                want = 1 if case.key == "one" else len(many)
                if m and int(m.group(1)) != want:
                    notes.append(f"{case.key}: cfglint reported {m.group(1)} files, {want} given")
        short = [c for c in cases.values() if c.error is None and not c.many]
        heavy = [c for c in cases.values() if c.error is None and c.many]

        print(f"cfglint bench: {len(short)} cases x ({args.warmup} warm-up + {args.runs} recorded) rounds and "
              f"{len(heavy)} many-files cases x ({args.many_warmup} + {args.many_runs}) rounds, round-robin ...",
              file=sys.stderr, flush=True)
        started = time.monotonic()
        order = schedule(args.warmup + args.runs, args.many_warmup + args.many_runs) if heavy else \
            [("short", i) for i in range(args.warmup + args.runs)]
        # One reaper per group: reading the many-files argv raises a reaper's own peak RSS, which
        # Linux would carry into the small cases' ru_maxrss.
        reapers = {"short": Reaper(real_python, env), "many": Reaper(real_python, env)}
        try:
            for done, (group, rnd) in enumerate(order, 1):
                todo, warm = (short, args.warmup) if group == "short" else (heavy, args.many_warmup)
                shift = rnd % len(todo)
                for case in todo[shift:] + todo[:shift]:
                    case.run_once(reapers[group], env, work, record=rnd >= warm)
                if sys.stderr.isatty():
                    print(f"\r  round {done}/{len(order)}", end="", file=sys.stderr, flush=True)
        finally:
            for reaper in reapers.values():
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


# --------------------------------------------------------------------------- report


def verdict(wall: float | None, cpu: float | None, limit: float | None) -> tuple[bool | None, str]:
    """Met only when both the wall and the CPU value are within the limit."""
    if limit is None or wall is None:
        return None, ""
    w, c = wall <= limit, cpu is None or cpu <= limit
    if w and c:
        return True, "yes"
    return False, "wall only" if w else "CPU only" if c and cpu is not None else "NO"


def report(cases: dict[str, Case], args, machine: dict, versions: dict, notes: list[str], count: int) -> dict:
    st = {k: c.stats() for k, c in cases.items()}

    def med(key: str, field: str = "median_ms") -> float | None:
        return st.get(key, {}).get(field)

    def paired(a: list[float], b: list[float]) -> float | None:
        return statistics.median(x / y for x, y in zip(a, b)) if a and len(a) == len(b) else None

    targets: list[dict] = []

    def ratio_target(case: str, ref: str, limit: float | None, name: str, ref_name: str,
                     grade_cpu: bool = True) -> None:
        """A paired ratio, wall and CPU: the median over rounds of case/ref, whose runs in one round
        were seconds apart, so load that drifts during the run cancels out. The ratio of the two
        medians is kept as a cross-check. grade_cpu=False: only the wall ratio is graded (workers
        add CPU time to save wall time)."""
        if case not in cases:
            return
        ref_case = cases.get(ref)
        value = paired(cases[case].times, ref_case.times) if ref_case else None
        cpu = paired(cases[case].cpu, ref_case.cpu) if ref_case else None
        a, b = med(case), med(ref)
        ca, cb = med(case, "cpu_median_ms"), med(ref, "cpu_median_ms")
        met, shown = verdict(value, cpu if grade_cpu else None, limit)
        targets.append({"case": case, "target": name, "ref": ref, "ref_name": ref_name, "value": value,
                        "cpu_value": cpu, "delta_ms": a - b if a is not None and b is not None else None,
                        "ratio_of_medians": a / b if a is not None and b else None,
                        "cpu_ratio_of_medians": ca / cb if ca is not None and cb else None,
                        "limit": limit, "unit": "x", "met": met, "shown": shown})

    singles = ("json", *SINGLE)
    for name in singles:
        ratio_target(f"cold-{name}", "clean", COLD_VS_CLEAN, "cold check of one file <= 3x clean interpreter",
                     "clean")
        ratio_target(f"cold-{name}", f"floor-{name}", COLD_VS_FLOOR, "cold check of one file <= 2x job floor",
                     "job floor")
    ratio_target("cold-json", "cjs", COLD_VS_CJS, "cold check <= 0.5x check-jsonschema (same file)",
                 "check-jsonschema")
    ratio_target("hit-kilo", "clean", HIT_VS_CLEAN, "cache hit <= 1.5x clean interpreter", "clean")
    for name in SINGLE:
        reference = f"nocache-{name}" if f"nocache-{name}" in cases else f"cold-{name}"
        ratio_target(f"explain-{name}", reference, EXPLAIN_VS_CHECK, "explain <= 1.2x check (same file)",
                     "check --no-cache" if reference.startswith("nocache") else "check")
        ratio_target(f"nocache-{name}", f"cold-{name}", None, "check --no-cache (information)", "check")
    for name in singles:
        ratio_target(f"floor-{name}", "clean", None, "job floor (information)", "clean")
        ratio_target(f"imports-{name}", f"floor-{name}", None, "a cold check's imports alone (information)",
                     "job floor")
    ratio_target("bare", "clean", None, "base interpreter (information)", "clean")
    ratio_target("noop", "clean", None, "no-op hook (information)", "clean")
    ratio_target("nowrite-kilo", "cold-kilo", None, "no bytecode writes: recompiles? (information)", "check")
    for n in PRECOMMIT:
        ratio_target(f"precommit-{n}", "noop", None, f"pre-commit path, {n} changed (report)", "no-op hook")
    ratio_target("precommit-big", "noop", None, "pre-commit path in a large worktree (report)", "no-op hook")
    nproc = machine["nproc"] or 1
    ratio_target("many", "many-1", 1 / (PARALLEL_EFFICIENCY * nproc) if nproc > 1 else None,
                 f"{count} files: default workers vs --jobs 1 (>= {PARALLEL_EFFICIENCY:.0%} "
                 f"parallel efficiency on {nproc} cores)", "--jobs 1", grade_cpu=False)
    one_proc = "many-1" if "many-1" in cases else "many"
    marginal = cpu_marginal = None
    if med(one_proc) is not None and med("one") is not None:
        marginal = (med(one_proc) - med("one")) / (count - 1)
        cpu_marginal = (med(one_proc, "cpu_median_ms") - med("one", "cpu_median_ms")) / (count - 1)
    met, shown = verdict(marginal, cpu_marginal, MARGINAL_MS)
    targets.append({"case": one_proc, "target": f"marginal per file at {count} files, one process <= 1 ms",
                    "ref": "one", "value": marginal, "cpu_value": cpu_marginal, "limit": MARGINAL_MS,
                    "unit": "ms", "met": met, "shown": shown})
    for key in ("many-1", "many"):
        if st.get(key):
            # Graded on the larger of the largest process's ru_maxrss and the process tree's PSS sum.
            largest = st[key]["peak_rss_kib"] / 1024
            tree = st[key]["tree_pss_kib"] / 1024 if st[key]["tree_pss_kib"] else None
            met, shown = verdict(max(largest, tree or 0), None, RSS_MIB)
            targets.append({"case": key, "target": f"{count} files: peak memory <= 50 MiB (largest process "
                            "and all processes)", "ref": None, "value": largest, "cpu_value": None,
                            "limit": RSS_MIB, "unit": "MiB", "tree_mib": tree, "met": met, "shown": shown})
    if "many" in cases:
        a, b = cases.get("many-1"), cases["many"]
        same = None if a is None or a.error or b.error else a.stdout == b.stdout
        targets.append({"case": "many", "target": f"{count} files: output byte-identical with 1 or N workers",
                        "ref": "many-1", "value": same, "cpu_value": None, "limit": None, "unit": "same",
                        "met": same, "shown": "n/a" if same is None else "yes" if same else "NO"})

    # ---- the table
    by_case: dict[str, list[dict]] = {}
    for t in targets:
        by_case.setdefault(t["case"], []).append(t)

    def fmt_target(t: dict) -> tuple[str, str, str, str]:
        unit, lim = t["unit"], t["limit"]
        limit = ("info" if lim is None else f"<= {lim:.2f}x".replace(".00x", "x")) if unit == "x" else \
            "identical" if unit == "same" else f"<= {lim:g} {unit}"
        if t["value"] is None:
            return "n/a", "", limit, "n/a"
        if unit == "x":
            delta = f" ({t['delta_ms']:+.0f} ms)" if t["ref"] in ("noop", "clean") and lim is None else ""
            cpu = f"{t['cpu_value']:.2f}x" if t["cpu_value"] is not None else ""
            return f"{t['value']:.2f}x {t['ref_name']}{delta}", cpu, limit, t["shown"]
        if unit == "ms":
            cpu = f"{t['cpu_value']:.3f} ms" if t["cpu_value"] is not None else ""
            return f"{t['value']:.3f} ms/file", cpu, limit, t["shown"]
        if unit == "MiB":
            tree = f", all processes {t['tree_mib']:.1f} (PSS)" if t.get("tree_mib") else ""
            return f"largest process {t['value']:.1f}{tree}", "", limit, t["shown"]
        return ("identical" if t["value"] else "DIFFERENT"), "", limit, t["shown"]

    rows = [("case", "median ms", "p10-p90 ms", "CPU ms", "RSS MiB", "ratio (wall)", "CPU ratio", "target", "met?")]
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
            label = {"ms": f"marginal per file: ({t['case']} - one) / {count - 1}",
                     "MiB": f"peak memory (MiB), {cases[t['case']].label}",
                     "same": "output of --jobs 1 and the default, compared once"}[t["unit"]]
            rows.append((label, "", "", "", "", *fmt_target(t)))

    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = {1, 2, 3, 4, 6}

    def line(r: tuple) -> str:
        return "| " + " | ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in
                                 enumerate(zip(r, widths))) + " |"

    out = sys.stderr if args.json == "-" else sys.stdout
    print(f"date {machine['date']} · {machine['nproc']} cores · {machine['cpu']} · {machine['os']}", file=out)
    print(f"python {versions['python']} ({machine['python_binary']}) · {versions['cfglint']} "
          f"({versions['cfglint_git'] or versions['cfglint_source']}) · "
          f"{versions['check-jsonschema'] or 'check-jsonschema: absent'}", file=out)
    print(f"{args.runs} recorded rounds after {args.warmup} warm-up ({args.many_runs} after {args.many_warmup} "
          f"for {count} files), round-robin; load average {machine['loadavg_start']} -> "
          f"{machine['loadavg_end']}; {machine['bench_seconds']} s", file=out)
    print(file=out)
    print(line(rows[0]), file=out)
    print("|" + "|".join("-" * (w + 1) + ":" if i in right else "-" * (w + 2) for i, w in enumerate(widths)) + "|",
          file=out)
    for r in rows[1:]:
        print(line(r), file=out)
    print(file=out)
    floor = max((c.floor for c in cases.values() if not c.many), default=0)
    print("ratio (wall) and CPU ratio: paired, the median over rounds of case/reference (CPU: user+system of "
          "the command and its workers); a target is met when both are within it (workers vs --jobs 1: "
          "wall alone)", file=out)
    print(f"RSS floor: {floor / 1024:.1f} MiB (the spawning helper's own peak, which Linux counts into "
          "every child's ru_maxrss; a value marked (floor) is at most that)", file=out)
    pyc = machine["pyc_beside_source"]
    if pyc:
        print(f"compiled bytecode beside cfglint's sources before the run: {pyc['current']} of {pyc['modules']} "
              "modules current (what the PYTHONDONTWRITEBYTECODE=1 row reads; the others are compiled "
              "on every such run)", file=out)
    graded = [t for t in targets if t["limit"] is not None or t["unit"] == "same"]
    unmeasured = sum(1 for t in graded if t["value"] is None)
    met = sum(1 for t in graded if t["met"])
    print(f"targets: {met} met, {len(graded) - met - unmeasured} not met, {unmeasured} n/a", file=out)
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
            "many_runs": args.many_runs, "many_warmup": args.many_warmup, "count": count, "notes": notes,
            "cases": {k: {"label": c.label, "argv": [os.path.basename(c.argv[0]), *c.argv[1:6]]
                          + (["..."] if len(c.argv) > 6 else []),
                          "error": c.error, **st.get(k, {})} for k, c in cases.items()},
            "targets": targets}


if __name__ == "__main__":
    sys.exit(main())
