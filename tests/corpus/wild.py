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
lines after fixes), each with the harness fact that decides it. A second corpus,
collected by this project (`extra/SOURCES.tsv`, `extra/verdicts.jsonl`), is run the
same way when its files are present (`CFGLINT_EXTRA_CORPUS`).

Run as a script for a report: `python -m tests.corpus.wild [--corpus extra] [--dialect hermes]`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FORCED_DIALECT = {"hermes": "hermes", "claude": "claude-code", "kilo": "kilo", "kimi": "kimi-code", "pi": "pi",
                  "codex": "codex"}
CORPUS_DIALECTS = ("kimi", "kilo", "claude", "hermes", "pi", "codex")
# Dialects whose forced files of one directory are read in one run: a pi settings.json names the
# custom models of the models.json beside it (`dot_pi/agent/`), as pi reads the two of one agent dir;
# a Codex profile file (`fast.config.toml`) is layered over the `config.toml` beside it.
FORCED_TOGETHER = frozenset({"pi", "codex"})

Key = tuple[str, str, str, int, str]  # corpus dialect, NNN, file, line, code


@dataclass(frozen=True)
class Verdict:
    # TP, FP, noise; `redacted`: a TP on the original file that the corpus copy masks (must not
    # fire on the copy); `artefact`: a finding the copy causes (a `{file:}` target or symlink
    # target the collector did not copy): true on the copy, not expected of the original
    verdict: str
    reason: str
    source: str  # which file judged it


@dataclass(frozen=True)
class Corpus:
    """A folder of real configs (`<dialect>/<NNN>/<path in its repository>`) and the files that judge
    cfglint's findings on it, later files judging a key again."""

    name: str
    root: Path
    verdict_files: tuple[Path, ...]
    oracle_dir: Path  # where the harnesses' own checkers' verdicts on these files are kept

    def available(self) -> bool:
        return self.root.is_dir() and any((self.root / d).is_dir() for d in CORPUS_DIALECTS)

    def verdicts(self) -> dict[Key, Verdict]:
        judged: dict[Key, Verdict] = {}
        for source in self.verdict_files:
            for row in _read_jsonl(source):
                key = (row["dialect"], row["NNN"], row["file"], int(row["line"]), row["code"])
                judged[key] = Verdict(row["verdict"], row.get("reason", ""), source.name)
        return judged

    def forced_files(self) -> set[tuple[str, str, str]]:
        """Files judged as read with `--dialect` (cfglint does not recognise them by name)."""
        return {(r["dialect"], r["NNN"], r["file"]) for source in self.verdict_files
                for r in _read_jsonl(source) if r.get("forced")}

    def cases(self) -> list[tuple[str, str]]:
        """(dialect, NNN) of every corpus directory."""
        return sorted((d.name, n.name) for d in self.root.iterdir() if d.name in CORPUS_DIALECTS
                      for n in d.iterdir() if n.is_dir())


# The shared corpus (beside the clone, as CI lays it out): its verdicts, then ours since e853a79.
WILD_ROOT = Path(os.environ.get("CFGLINT_WILD_CORPUS", REPO.parent / "shared" / "corpus" / "wild"))
WILD = Corpus("wild", WILD_ROOT, (WILD_ROOT / "verdicts.jsonl", HERE / "wild_judged.jsonl"), WILD_ROOT)
# Real configs this project collected (SOURCES.tsv beside the verdicts names each file's repository,
# path and commit); the files are third-party too, so they are read from CFGLINT_EXTRA_CORPUS.
EXTRA_ROOT = Path(os.environ.get("CFGLINT_EXTRA_CORPUS") or "/nonexistent/cfglint-extra-corpus")
EXTRA = Corpus("extra", EXTRA_ROOT, (HERE / "extra" / "verdicts.jsonl",), HERE / "extra")
CORPORA = {corpus.name: corpus for corpus in (WILD, EXTRA)}


def _read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class CaseResult:
    """cfglint's findings on one corpus directory: keys (a multiset) and the findings themselves."""

    found: Counter
    findings: dict[Key, list[dict]]
    not_configs: set[str]  # files cfglint skipped as data files that only share a config's name


def run_case(corpus: Corpus, dialect: str, nnn: str, invoke) -> CaseResult:
    """The findings of cfglint on one corpus directory.

    `invoke(args, cwd) -> (stdout, stderr)` runs `cfglint ARGS` (in-process in the tests).
    """
    forced = {f for d, n, f in corpus.forced_files() if (d, n) == (dialect, nnn)}
    found: Counter = Counter()
    findings: dict[Key, list[dict]] = {}
    not_configs: set[str] = set()
    with tempfile.TemporaryDirectory(prefix=f"wild-{dialect}-{nnn}-") as tmp:
        root = Path(tmp) / nnn
        shutil.copytree(corpus.root / dialect / nnn, root, symlinks=True)
        common = ["check", "--no-cache", "--output-format", "json", "--exit-zero"]
        runs = [(common + ["."], None)]
        runs += [(common + ["--dialect", FORCED_DIALECT[dialect], *group], set(group))
                 for group in _forced_runs(dialect, forced)]
        for args, only in runs:
            out, err = invoke(args, root)
            not_configs |= set(re.findall(r"^cfglint: (?:\./)?(.+?): skipped, not a .* config", err, flags=re.M))
            for finding in json.loads(out or "[]"):
                path = finding["path"]
                if path.startswith("./"):
                    path = path[2:]
                if (only is None and path in forced) or (only is not None and path not in only):
                    continue
                key = (dialect, nnn, path, int(finding["line"]), finding["code"])
                found[key] += 1
                findings.setdefault(key, []).append(finding)
    return CaseResult(found, findings, not_configs)


def _forced_runs(dialect: str, forced: set[str]) -> list[list[str]]:
    """The files of each forced run: one a run, or one directory a run for FORCED_TOGETHER dialects."""
    if dialect not in FORCED_TOGETHER:
        return [[f] for f in sorted(forced)]
    by_directory: dict[str, list[str]] = {}
    for f in sorted(forced):
        by_directory.setdefault(str(Path(f).parent), []).append(f)
    return list(by_directory.values())


def subprocess_invoke(args: list[str], cwd: Path) -> tuple[str, str]:
    import subprocess

    exe = Path(sys.executable).with_name("cfglint")
    done = subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    return done.stdout, done.stderr


def report(corpus: Corpus, dialects: list[str]) -> int:
    judged = corpus.verdicts()
    totals: Counter = Counter()
    for dialect, nnn in corpus.cases():
        if dialect not in dialects:
            continue
        found = run_case(corpus, dialect, nnn, subprocess_invoke).found
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
    sys.exit(report(CORPORA[args[args.index("--corpus") + 1]] if "--corpus" in args else WILD, chosen))
