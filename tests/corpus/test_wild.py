"""Real configs from public repositories: cfglint is right on them.

Two corpora (`tests/corpus/wild.py`): the shared one (`../shared/corpus/wild/`, beside
the clone as CI lays it out) and the one this project collected (`extra/SOURCES.tsv`;
its files are read from CFGLINT_EXTRA_CORPUS when present). For every directory: no
internal error, and exactly the findings judged true positives: none judged FP or noise,
none unjudged, none of the true positives lost. The harnesses' own checkers agree: where
`kilo config check` 7.7.9 or `kimi doctor config` 2.1.0 refuse a file, cfglint reports an
error on it; where they accept it, no finding claims that the harness refuses it. So does upstream
opencode's `opencode debug config` 1.18.33 for the `opencode.json[c]` files cfglint reads as opencode's.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import PurePath

import pytest
from click.testing import CliRunner

from tests.corpus import wild

CASES = [(corpus, dialect, nnn) for corpus in wild.CORPORA.values() if corpus.available()
         for dialect, nnn in corpus.cases()]
# Words with which a finding says the harness refuses or skips the whole file.
REFUSAL_WORDS = ("rejects the whole file", "refuses", "skips it", "will not start")
# (harness, corpus folder, checker's verdicts). opencode's cover the `opencode.json[c]` of both corpora's kilo
# folders and are kept beside the extra corpus's verdicts, each row naming its corpus.
ORACLES = [("kilo", "kilo", "oracle_kilo_config_check_7.7.9.jsonl"),
           ("kimi", "kimi", "oracle_kimi_doctor_2.1.0.jsonl"),
           ("opencode", "kilo", "oracle_opencode_debug_config_1.18.33.jsonl"),
           ("codex", "codex", "oracle_codex_doctor_0.171.0.jsonl")]
# opencode refused the file for a `{file:~/...}` that the checker's empty home lacks: that says nothing of the
# user's machine.
HOME_FILE_MISSING = re.compile(r'bad file reference: "\{file:~/')


def test_the_shared_corpus_is_checked():
    """CI lays out ../shared beside the clone: the corpus must be found there, not silently skipped."""
    if not wild.WILD.available() and not os.environ.get("CI"):
        pytest.skip(f"shared corpus not found at {wild.WILD.root}")
    assert wild.WILD.available() and len(wild.WILD.cases()) >= 100


@pytest.fixture(scope="module")
def findings_of(tmp_path_factory):
    """cfglint's findings per corpus directory, computed once for the module (in-process)."""
    from cfglint.cli import cli as command

    results: dict[tuple[str, str, str], wild.CaseResult] = {}
    cache_dir = str(tmp_path_factory.mktemp("cache"))

    def invoke(args: list[str], cwd) -> tuple[str, str]:
        old = os.getcwd()
        os.chdir(cwd)
        try:
            result = CliRunner().invoke(command, args, catch_exceptions=False, env={"CFGLINT_CACHE_DIR": cache_dir})
        finally:
            os.chdir(old)
        assert result.exit_code == 0, (args, cwd, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        return result.stdout, result.stderr

    def get(corpus: wild.Corpus, dialect: str, nnn: str) -> wild.CaseResult:
        key = (corpus.name, dialect, nnn)
        if key not in results:
            results[key] = wild.run_case(corpus, dialect, nnn, invoke)
        return results[key]

    return get


def _show(keys) -> str:
    return "\n".join(f"  {'/'.join(k[:3])}:{k[3]} {k[4]}" for k in sorted(keys))


@pytest.mark.parametrize("corpus, dialect, nnn", CASES, ids=[f"{c.name}-{d}-{n}" for c, d, n in CASES])
def test_findings_are_exactly_the_judged_true_positives(corpus, dialect, nnn, findings_of):
    judged = corpus.verdicts()
    found = findings_of(corpus, dialect, nnn).found
    unjudged = [k for k in found if k not in judged]
    wrong = [k for k in found if k in judged and judged[k].verdict not in ("TP", "artefact")]
    lost = {k for k, v in judged.items() if k[:2] == (dialect, nnn) and v.verdict == "TP"} - set(found)
    assert not wrong, "findings judged FP or noise:\n" + "\n".join(
        f"{_show([k])}  ({judged[k].verdict}: {judged[k].reason})" for k in wrong)
    assert not unjudged, ("findings nobody judged (judge them against the harness, then record them in "
                          f"tests/corpus/):\n{_show(unjudged)}")
    assert not lost, "true positives no longer reported:\n" + _show(lost)


@pytest.mark.parametrize("corpus", [c for c in wild.CORPORA.values() if c.available()], ids=lambda c: c.name)
@pytest.mark.parametrize("harness, dialect, oracle", ORACLES)
def test_errors_agree_with_the_harness_checker(corpus, harness, dialect, oracle, findings_of):
    """An error where the harness's own checker refuses the file; no refusal claimed where it accepts it."""
    rows = _oracle(corpus, oracle)
    if not rows:
        pytest.skip(f"no {oracle} in the {corpus.name} corpus")
    disagreements = []
    forced = corpus.forced_files()
    for (nnn, _), row in sorted(rows.items()):
        renamed = PurePath(row["file"]).name != PurePath(row.get("placed_as", row["file"])).name
        if renamed and (dialect, nnn, row["file"]) not in forced:
            continue  # checked under a name the harness reads, where the repository has another one
        result = findings_of(corpus, dialect, nnn)
        if row["file"] in result.not_configs:
            continue  # a data file that shares the name (judged so in the verdicts): nobody meant it for the harness
        mine = [f for key, items in result.findings.items() if key[2] == row["file"] for f in items]
        if dialect == "kimi" and _kimi_dialect(row["file"], mine) != "kimi-code":
            continue  # `kimi doctor` is Kimi Code's checker: it says nothing of kimi-cli files
        if harness == "kilo" and _read_as(corpus, dialect, nnn, row["file"]) not in (None, "kilo"):
            continue  # an `opencode.json` that is upstream opencode's, not Kilo's: Kilo's verdict does not apply
        if harness == "opencode" and (_read_as(corpus, dialect, nnn, row["file"]) != "opencode"
                                      or HOME_FILE_MISSING.search(row["output"])):
            continue  # a Kilo file (Kilo's checker judges it), or a refusal for the checker's empty home
        errors = [f for f in mine if f["severity"] == "error"]
        where = f"{dialect}/{nnn}/{row['file']}"
        if _harness_refuses(harness, row):
            if not errors:
                disagreements.append(f"{where}: the harness refuses it, cfglint reports no error")
        else:
            disagreements += [f"{where}:{f['line']} {f['code']}: claims a refusal the harness does not make"
                              for f in errors if any(word in f["message"] for word in REFUSAL_WORDS)]
    assert not disagreements, "\n".join(disagreements)


def _kimi_dialect(file: str, findings: list[dict]) -> str | None:
    """The dialect cfglint read a Kimi file as (its findings say; else its place: `.kimi/` is
    kimi-cli's); None for a file cfglint does not read (not a `config.toml`)."""
    if findings:
        return findings[0]["dialect"]
    if PurePath(file).name != "config.toml":
        return None
    return "kimi-cli" if PurePath(file).parent.name == ".kimi" else "kimi-code"


def _read_as(corpus: wild.Corpus, dialect: str, nnn: str, file: str) -> str | None:
    """The dialect cfglint reads a corpus file as by its name and place (None: not by name)."""
    from cfglint.engine.discover import dialect_by_name

    return dialect_by_name(PurePath(os.path.abspath(corpus.root / dialect / nnn / file)), {})


def _oracle(corpus: wild.Corpus, name: str) -> dict[tuple[str, str], dict]:
    """The checker's verdicts on this corpus by (NNN, file): beside its files, else beside the extra
    corpus's verdicts (rows naming their corpus); rows marked `copy_artefact` are left out."""
    own = corpus.oracle_dir / name
    path = own if own.is_file() else wild.EXTRA.oracle_dir / name
    if not path.is_file():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    unnamed = corpus.name if path == own else None
    return {(row["NNN"], row["file"]): row for row in rows if row.get("corpus", unnamed) == corpus.name
            and not row.get("copy_artefact")}  # a refusal only the copy causes (a template it could not copy)


def _harness_refuses(harness: str, row: dict) -> bool:
    """Kilo prints "Configuration is invalid" for a file it rejects; opencode exits 1 on an invalid
    file (`debug config` prints the config only when it loads); `codex doctor --json` reports
    `config.load` failed (its own exit code fails on the missing login too); Kimi's doctor ends without
    "All checked config files are valid" when one is not."""
    if harness == "kilo":
        return "Configuration is invalid" in row["output"]
    if harness == "opencode":
        return row["rc"] != 0
    if harness == "codex":
        return row["status"] == "fail"
    return "All checked config files are valid" not in row["output"]
