"""The shared corpus of real configs (`../shared/corpus/wild/`) and its verdicts, run through cfglint.

The files are third-party: they are read where the shared folder has them (beside
the clone, as CI lays it out) and never copied into the project. Each
`<dialect>/<NNN>/` directory is linted as the repository it came from (a copy in a
temporary directory, so no cache, ancestor file or git metadata of ours leaks in);
a file that cfglint does not recognise by its name is run with `--dialect` where
the corpus judged it that way (`forced` in `verdicts.jsonl`).

Every finding is matched to a verdict by (dialect, NNN, file, line, code):
`verdicts.jsonl` judged the findings of the build at e853a79; `wild_judged.jsonl`
beside this module judges the findings cfglint reports since then (new codes or
lines after fixes), each with the harness fact that decides it.

Run as a script for a report: `python -m tests.corpus.wild [--dialect hermes]`.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WILD = Path(os.environ.get("CFGLINT_WILD_CORPUS", REPO.parent / "shared" / "corpus" / "wild"))
JUDGED = Path(__file__).with_name("wild_judged.jsonl")
FORCED_DIALECT = {"hermes": "hermes", "claude": "claude-code", "kilo": "kilo"}
CORPUS_DIALECTS = ("kimi", "kilo", "claude", "hermes")

Key = tuple[str, str, str, int, str]  # corpus dialect, NNN, file, line, code


@dataclass(frozen=True)
class Verdict:
    verdict: str  # TP, FP or noise
    reason: str
    source: str  # which file judged it


def available() -> bool:
    return (WILD / "verdicts.jsonl").is_file()


def _read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def verdicts() -> dict[Key, Verdict]:
    """Shared verdicts first, then ours (which may judge a key again where the harness says otherwise)."""
    judged: dict[Key, Verdict] = {}
    for source in (WILD / "verdicts.jsonl", JUDGED):
        for row in _read_jsonl(source):
            key = (row["dialect"], row["NNN"], row["file"], int(row["line"]), row["code"])
            judged[key] = Verdict(row["verdict"], row.get("reason", ""), source.name)
    return judged


def forced_files() -> set[tuple[str, str, str]]:
    forced = set()
    for source in (WILD / "verdicts.jsonl", JUDGED):
        forced |= {(r["dialect"], r["NNN"], r["file"]) for r in _read_jsonl(source) if r.get("forced")}
    return forced


def cases() -> list[tuple[str, str]]:
    """(dialect, NNN) of every corpus directory."""
    return sorted((d.name, n.name) for d in WILD.iterdir() if d.name in CORPUS_DIALECTS for n in d.iterdir())


@dataclass
class CaseResult:
    """cfglint's findings on one corpus directory: keys (a multiset) and the findings themselves."""

    found: Counter
    findings: dict[Key, list[dict]]


def run_case(dialect: str, nnn: str, invoke) -> CaseResult:
    """The findings of cfglint on one corpus directory.

    `invoke(args, cwd) -> stdout` runs `cfglint ARGS` (in-process in the tests).
    """
    forced = {f for d, n, f in forced_files() if (d, n) == (dialect, nnn)}
    found: Counter = Counter()
    findings: dict[Key, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix=f"wild-{dialect}-{nnn}-") as tmp:
        root = Path(tmp) / nnn
        shutil.copytree(WILD / dialect / nnn, root, symlinks=True)
        common = ["check", "--no-cache", "--output-format", "json", "--exit-zero"]
        runs = [(common + ["."], None)]
        runs += [(common + ["--dialect", FORCED_DIALECT[dialect], f], f) for f in sorted(forced)]
        for args, only in runs:
            out = invoke(args, root)
            for finding in json.loads(out or "[]"):
                path = finding["path"]
                if path.startswith("./"):
                    path = path[2:]
                if (only is None and path in forced) or (only is not None and path != only):
                    continue
                key = (dialect, nnn, path, int(finding["line"]), finding["code"])
                found[key] += 1
                findings.setdefault(key, []).append(finding)
    return CaseResult(found, findings)


def subprocess_invoke(args: list[str], cwd: Path) -> str:
    import subprocess

    exe = Path(sys.executable).with_name("cfglint")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=300).stdout


def report(dialects: list[str]) -> int:
    judged = verdicts()
    totals: Counter = Counter()
    for dialect, nnn in cases():
        if dialect not in dialects:
            continue
        found = run_case(dialect, nnn, subprocess_invoke).found
        expected_tp = {k for k, v in judged.items() if k[:2] == (dialect, nnn) and v.verdict == "TP"}
        for key, count in sorted(found.items()):
            verdict = judged.get(key)
            label = verdict.verdict if verdict else "UNJUDGED"
            totals[(dialect, label)] += count
            if label != "TP":
                print(f"{label:9} {'/'.join(key[:3])}:{key[3]} {key[4]}  {verdict.reason if verdict else ''}")
        for key in sorted(expected_tp - set(found)):
            totals[(dialect, "TP lost")] += 1
            print(f"TP LOST   {'/'.join(key[:3])}:{key[3]} {key[4]}  {judged[key].reason}")
    for (dialect, label), count in sorted(totals.items()):
        print(f"{dialect:7} {label:9} {count}")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    chosen = args[args.index("--dialect") + 1].split(",") if "--dialect" in args else list(CORPUS_DIALECTS)
    sys.exit(report(chosen))
