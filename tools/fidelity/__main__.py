"""`make fidelity`: every harness's differential run, one after the other, then a summary.

Each `tools/fidelity/<harness>.py` downloads its harness package into the artifact cache
(`${CFGLINT_ARTIFACT_CACHE:-~/.cache/cfglint-artifacts}`), runs the harness's own code and
`cfglint explain` on the same generated configs and prints its tables and mismatch classes; this
runner adds one line per harness at the end. `--record` rewrites the recorded samples that
`tests/fidelity/test_recorded.py` replays in `make test`. Options after the harness names are
passed to every script (`--count`, `--seed`).

    python -m tools.fidelity [--record] [harness ...] [-- --count 200]
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# script -> the recorded samples it writes (one per dialect it covers)
SCRIPTS = {
    "kimi_code": ["kimi-code"],
    "kimi_cli": ["kimi-cli"],
    "kilo": ["kilo"],
    "opencode": ["opencode"],
    "claude_code": ["claude-code"],
    "hermes": ["hermes"],
    "pi": ["pi"],
    "codex": ["codex"],
}
_RESULT = re.compile(r"^(?P<line>.+ fidelity: \d+/\d+ exact.*)$", re.MULTILINE)


def main(argv: list[str]) -> int:
    passthrough = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    if {"-h", "--help"} & set(argv):
        print(__doc__)
        return 0
    unknown = [a for a in argv if a != "--record" and a not in SCRIPTS]
    if unknown:
        print(f"unknown harness {unknown[0]!r} (expected one of: {', '.join(SCRIPTS)})", file=sys.stderr)
        return 2
    record = "--record" in argv
    chosen = [a for a in argv if a != "--record"] or [s for s in SCRIPTS if (HERE / f"{s}.py").exists()]
    summary, failed = [], []
    for name in chosen:
        script = HERE / f"{name}.py"
        args = [sys.executable, str(script), *passthrough]
        if record:
            args += ["--record", str(REPO / "tests" / "fidelity" / "data" / f"{SCRIPTS[name][0]}.json")]
        print(f"\n=== {name}: {' '.join(args[1:])}", flush=True)
        run = subprocess.run(args, cwd=REPO, stdout=subprocess.PIPE, text=True)
        sys.stdout.write(run.stdout)
        found = list(dict.fromkeys(_RESULT.findall(run.stdout)))  # a script may repeat its line at the end
        summary += found or [f"{name}: no result line (exit {run.returncode})"]
        if run.returncode != 0 or not found:
            failed.append(name)
    print("\n=== fidelity summary")
    for line in summary:
        print(f"  {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
