"""Differential runs of cfglint against the harnesses' own code (`make fidelity`, issue 11)."""

from __future__ import annotations

import datetime
import json
import subprocess
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable

from tools.extract.common import Artifact, npm_artifact


def required_artifact(package: str, version: str) -> Artifact:
    """The npm tarball of package@version (downloaded when absent): a differential run stops without it."""
    artifact = npm_artifact(package, version)
    if artifact is None:
        raise SystemExit(f"{package}@{version}: could not be downloaded")
    return artifact


def unpacked_once(target: Path, content: Callable[[], bytes], mode: int | None = None) -> Path:
    """`target` (in the artifact cache), written whole through a `.part` file the first time only."""
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(content())
        if mode is not None:
            partial.chmod(mode)
        partial.replace(target)
    return target


def write_sample(path: Path, *, dialect: str, package: str, sha256: str, generator: str, cases: list[dict]) -> None:
    """Write the recorded sample `tests/fidelity/test_recorded.py` replays (its docstring has the format):
    the cases with the harness's numbers, and the package, its sha256 and the generator that made them."""
    document = {"harness": dialect, "package": package, "sha256": sha256, "generator": generator,
                "recorded": datetime.date.today().isoformat(), "cases": cases}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {len(cases)} cases in {path}")


def round_robin(queues: list[list], size: int) -> list:
    """Up to `size` items taken one from each queue in turn (in the queues' order), so a recorded
    sample spreads over the generator's classes. The queues are emptied."""
    picked: list = []
    while len(picked) < size and any(queues):
        for queue in queues:
            if queue and len(picked) < size:
                picked.append(queue.pop(0))
    return picked


def add_run_arguments(parser, count: int = 1000) -> None:
    """The options every differential script takes: how many configs, the seed, and the sample to record."""
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--record", type=Path, help="write the recorded sample here")
    parser.add_argument("--sample", type=int, default=50)


def run_oracle(oracle: Path, node: str, source: Path, lines: list[dict], *extra: str) -> list[dict]:
    """One answer per JSON line, from the oracle script run under Node on the harness's code at `source`."""
    p = subprocess.run([node, str(oracle), str(source), *extra], capture_output=True, text=True,
                       input="".join(json.dumps(x) + "\n" for x in lines))
    if p.returncode:
        raise SystemExit(f"oracle failed: {p.stderr[-2000:]}")
    return [json.loads(x) for x in p.stdout.splitlines() if x.strip()]


def compare(cases: list[dict], answers: dict[str, dict], names: tuple[str, ...],
            measure: Callable[[dict, dict], tuple | str], classify: Callable[..., str]) -> list[dict]:
    """One row per case: both sets of numbers, which differ, and why. `measure(case, answer)` gives the
    oracle's numbers, cfglint's, the names cfglint says are not sent and the session record's numbers,
    or why there are none; `classify(name, case, answer, ours, theirs, not_sent)` the cause of one
    mismatch (one starting with `documented` is a documented decision)."""
    rows = []
    for case in cases:
        answer = answers[case["id"]]
        row: dict[str, Any] = {"case": case, "answer": answer, "differ": {}, "documented": {}}
        rows.append(row)
        measured = measure(case, answer)
        if isinstance(measured, str):
            row["error"] = measured
            continue
        theirs, ours, not_sent, row["record"] = measured
        row["theirs"], row["ours"] = theirs, ours
        for name in names:
            if ours[name] == theirs[name]:  # 15000 and 15000.0 alike: JSON numbers
                continue
            why = classify(name, case, answer, ours[name], theirs[name], name in not_sent)
            (row["documented"] if why.startswith("documented") else row["differ"])[name] = why
    return rows


def report(rows: list[dict], *, title: str, harness: str, dialect: str, version: str,
           numbers: tuple[str, ...], secondary: tuple[str, ...]) -> int:
    """Print the tables (under `title`; `harness` labels the oracle's numbers); the number of configs
    that agree (exactly, or by a documented decision)."""
    exact = documented_only = 0
    ok: Counter = Counter()
    documented: Counter = Counter()
    classes: dict[str, dict] = {}
    decisions: dict[str, dict] = {}
    for row in rows:
        if "error" in row:
            classes.setdefault(row["error"], {"n": 0, "row": row})["n"] += 1
            continue
        headline_differ = [n for n in row["differ"] if n in numbers]
        exact += not headline_differ and not row["documented"]
        documented_only += not headline_differ and bool(row["documented"])
        for name in numbers + secondary:
            if name in row["documented"]:
                documented[name] += 1
            elif name not in row["differ"]:
                ok[name] += 1
        for name, why in row["differ"].items():
            classes.setdefault(f"{name}: {why}", {"n": 0, "row": row, "name": name})["n"] += 1
        for name, why in row["documented"].items():
            decisions.setdefault(f"{name}: {why}", {"n": 0, "row": row, "name": name})["n"] += 1
    total = len(rows)
    print(f"{title}: {total} configs")
    for name in numbers + secondary:
        extra = f", {documented[name]} documented" if documented[name] else ""
        tag = "" if name in numbers else "   (secondary: no field in the recorded sample)"
        print(f"  {name + ':':24} {ok[name]:5}/{total} exact{extra}{tag}")
    for heading, grouped in (("mismatches by class", classes), ("documented decisions", decisions)):
        if grouped:
            print(f"{heading} (count, one reproducer):")
        for cls, entry in sorted(grouped.items(), key=lambda kv: -kv[1]["n"]):
            row = entry["row"]
            case, name = row["case"], entry.get("name")
            print(f"  {entry['n']:5}  {cls}")
            if name:
                print(f"         {case['id']}: env={json.dumps(case['env'])} {harness}={row['theirs'][name]!r} "
                      f"cfglint={row['ours'][name]!r}")
            print(f"         {json.dumps(case['config'])}")
    print(f"{dialect} {version} fidelity: {exact}/{total} exact"
          + (f" ({exact + documented_only}/{total} exact or documented)" if documented_only else ""))
    return exact + documented_only


def sample(rows: list[dict], size: int, numbers: tuple[str, ...],
           plain: Callable[[dict], int] = lambda row: 0) -> list[dict]:
    """A varied `size`: round-robin over the generator's kinds, exact configs first (then by `plain`:
    lower first), then first configs first; configs with an open (undocumented) difference are left
    out, so that the sample guards what agrees."""
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if "error" not in row and not row["differ"]:
            by_kind[row["case"]["kind"]].append(row)

    def documented(row: dict) -> bool:
        return any(row["record"][name] != row["theirs"][name] for name in numbers)

    picked = round_robin([sorted(members, key=lambda row: (documented(row), plain(row)))
                          for _, members in sorted(by_kind.items())], size)
    return sorted(picked, key=lambda row: row["case"]["id"])


def record(rows: list[dict], size: int, path: Path, *, numbers: tuple[str, ...], target: str,
           files: Callable[[dict], dict[str, str]], reason: Callable[[str], str],
           plain: Callable[[dict], int] = lambda row: 0, **provenance: str) -> None:
    """Write the recorded sample of `size` rows (`sample`): per case its files, env, model and the oracle's
    numbers, and `reason(why)` for each number the session record gives otherwise (`why`: the documented
    cause, "" when the run classified none); `provenance`: `write_sample`'s dialect, package, sha256, generator."""
    cases = []
    for row in sample(rows, size, numbers, plain):
        case = row["case"]
        documented = {name: reason(row["documented"].get(name, ""))
                      for name in numbers if row["record"][name] != row["theirs"][name]}
        cases.append({"id": case["id"], "target": target, "files": files(case),
                      "env": case["env"], "model": case["config"]["model"],
                      "oracle": {name: row["theirs"][name] for name in numbers},
                      **({"documented": documented} if documented else {})})
    write_sample(path, cases=cases, **provenance)
