"""The whole-run replay (`cfglint.engine.replay`): a re-run of `cfglint check FILE...` on
unchanged inputs prints exactly what the last run printed, without importing the linter; any
change to anything the run read is a full run again.

Each run is a fresh interpreter running the entry point, which reports whether the linter was
imported (`cfglint.engine.session`): that is how a replay is told from a full run, by counting,
never by timing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cfglint.engine import replay

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

_PROBE = """
import json, sys
report, sys.argv = sys.argv[1], ["cfglint", *sys.argv[2:]]
status = None
try:
    from cfglint.cli import main
    main()
except SystemExit as exc:
    status = exc.code
with open(report, "w") as handle:
    json.dump({"status": status, "linted": "cfglint.engine.session" in sys.modules}, handle)
"""


class Run:
    def __init__(self, stdout: str, stderr: str, status: int, linted: bool) -> None:
        self.stdout, self.stderr, self.status, self.linted = stdout, stderr, status, linted

    @property
    def printed(self) -> tuple[str, str, int]:
        return self.stdout, self.stderr, self.status


@pytest.fixture
def check(tmp_path: Path):
    """`check(*paths, env=..., cwd=..., pythonpath=...)`: run the plain check in a fresh interpreter."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CFGLINT_", "GIT_"))}
    base.pop("NO_COLOR", None)
    base.pop("FORCE_COLOR", None)
    # No bytecode written: a run that writes a `.pyc` wrote a file, and is not recorded.
    base |= {"CFGLINT_CACHE_DIR": str(tmp_path / "cache"), "XDG_CACHE_HOME": str(tmp_path / "xdg"),
             "PYTHONDONTWRITEBYTECODE": "1"}

    def run(*paths: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            pythonpath: Path | None = None) -> Run:
        report = tmp_path / "report.json"
        environment = base | (env or {}) | {"PYTHONPATH": str(pythonpath or REPO)}  # this checkout's cfglint
        result = subprocess.run([sys.executable, "-c", _PROBE, str(report), "check", *paths],
                                cwd=cwd or tmp_path / "work", env=environment, capture_output=True, text=True,
                                timeout=120)
        assert "Traceback" not in result.stderr, result.stderr
        facts = json.loads(report.read_text())
        return Run(result.stdout, result.stderr, facts["status"], facts["linted"])

    return run


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A project outside any git worktree: a good and a bad Kilo config."""
    root = tmp_path / "work"
    (root / "good").mkdir(parents=True)
    (root / "bad").mkdir()
    shutil.copyfile(EXAMPLES / "kilo/good/kilo.jsonc", root / "good/kilo.jsonc")
    shutil.copyfile(EXAMPLES / "kilo/bad/kilo.jsonc", root / "bad/kilo.jsonc")
    return root


def records(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "cache" / "results").glob("*/*.json") if '"inputs"' in p.read_text()]


def test_a_rerun_replays_what_the_run_printed(check, work, tmp_path):
    first = check("good/kilo.jsonc", "bad/kilo.jsonc")
    assert first.linted and first.status == 1 and "bad/kilo.jsonc" in first.stdout
    second = check("good/kilo.jsonc", "bad/kilo.jsonc")
    assert not second.linted
    assert second.printed == first.printed
    assert len(records(tmp_path)) == 1
    assert check("good/kilo.jsonc", "bad/kilo.jsonc").printed == first.printed


def test_a_file_read_is_an_input_by_its_bytes(check, work, tmp_path):
    """Not by its times alone: an edit within the file system's timestamp granularity that keeps
    the size would leave them as they were. The program's own data files go by their metadata."""
    from cfglint.core.paths import digest

    check("good/kilo.jsonc")
    [record] = records(tmp_path)
    inputs = {(kind, subject): answer for kind, subject, answer in json.loads(record.read_text())["inputs"]}
    assert inputs[("content", "good/kilo.jsonc")] == ["content", digest((work / "good/kilo.jsonc").read_bytes()).hexdigest()]
    snapshot = str(REPO / "cfglint" / "registry" / "data" / "models-dev.json")
    assert ("stat", snapshot) in inputs and ("content", snapshot) not in inputs


def test_other_arguments_are_another_run(check, work):
    check("good/kilo.jsonc", "bad/kilo.jsonc")
    other = check("bad/kilo.jsonc", "good/kilo.jsonc")  # the same files named in another order
    assert other.linted
    assert check("good/kilo.jsonc").linted


def _same_size_and_time(path: Path, old: str, new: str) -> None:
    """Edit `path` keeping its size and modification time: only its change time tells."""
    st = path.stat()
    text = path.read_text()
    assert old in text and len(old) == len(new)
    path.write_text(text.replace(old, new, 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def _settings_in_parent(work: Path) -> None:
    (work / "pyproject.toml").write_text('[tool.cfglint]\nignore = ["CMP004"]\n')


def _registry_user_copy(work: Path) -> None:
    copy = work.parent / "cache" / "registry" / "models-dev.json"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text("[not a registry snapshot")


CHANGES = {
    "the file, same size and time": lambda work: _same_size_and_time(work / "good/kilo.jsonc", "zhipu", "zhipo"),
    "a settings file in a parent directory": _settings_in_parent,
    "a registry copy in the user cache": _registry_user_copy,
    "the file removed": lambda work: (work / "good/kilo.jsonc").unlink(),
    "a file made unreadable": lambda work: (work / "good/kilo.jsonc").chmod(0),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_changed_input_is_a_full_run(check, work, change):
    if change == "a file made unreadable" and os.geteuid() == 0:
        pytest.skip("root reads any file")
    first = check("good/kilo.jsonc")
    assert not check("good/kilo.jsonc").linted
    CHANGES[change](work)
    after = check("good/kilo.jsonc")
    assert after.linted
    assert after.printed != first.printed


@pytest.mark.parametrize("variable, value", [("FORCE_COLOR", "1"), ("NO_COLOR", "1")])
def test_a_variable_the_run_read_is_an_input(check, work, variable, value):
    first = check("bad/kilo.jsonc", env={"FORCE_COLOR": "1"} if variable == "NO_COLOR" else None)
    changed = check("bad/kilo.jsonc", env={variable: value, **({"FORCE_COLOR": "1"} if variable == "NO_COLOR" else {})})
    assert changed.linted
    assert changed.stdout != first.stdout  # colour on, or off


def test_the_working_directory_is_part_of_the_key(check, work):
    check("kilo.jsonc", cwd=work / "good")
    assert check("kilo.jsonc", cwd=work / "bad").linted


def test_an_edited_program_is_a_full_run(check, work, tmp_path):
    """The sources of the modules imported are inputs: an edit of cfglint replays nothing old."""
    program = tmp_path / "program"
    shutil.copytree(REPO / "cfglint", program / "cfglint", ignore=shutil.ignore_patterns("__pycache__"))
    first = check("bad/kilo.jsonc", pythonpath=program)
    assert not check("bad/kilo.jsonc", pythonpath=program).linted
    wording = program / "cfglint" / "report" / "text.py"
    wording.write_text(wording.read_text() + "\n# an edit\n")
    assert check("bad/kilo.jsonc", pythonpath=program).linted
    assert check("bad/kilo.jsonc", pythonpath=program).printed == first.printed


def test_the_programs_own_directories_are_not_inputs(check, work, tmp_path):
    """The import system lists cfglint's package directories; a module added there changes nothing
    until an edited (noted) module imports it, so re-listing and hashing them on every recorded run
    is not needed (~0.4 ms of a cold check). Other directories listed stay inputs."""
    program = tmp_path / "program"
    shutil.copytree(REPO / "cfglint", program / "cfglint", ignore=shutil.ignore_patterns("__pycache__"))
    first = check("bad/kilo.jsonc", pythonpath=program)
    [record] = records(tmp_path)
    listed = [subject for kind, subject, _ in json.loads(record.read_text())["inputs"] if kind == "list"]
    assert listed and not [path for path in listed if path.startswith(str(program / "cfglint"))]
    (program / "cfglint" / "engine" / "unused.py").write_text("RAISE = 1 / 0\n")
    again = check("bad/kilo.jsonc", pythonpath=program)
    assert not again.linted and again.printed == first.printed


def test_another_copy_of_the_program_is_another_run(check, work, tmp_path):
    """The module search path is part of the key: the same version of cfglint from another
    directory (`PYTHONPATH`) may be other code, whose unchanged files a record cannot tell."""
    program = tmp_path / "program"
    shutil.copytree(REPO / "cfglint", program / "cfglint", ignore=shutil.ignore_patterns("__pycache__"))
    check("bad/kilo.jsonc")
    assert check("bad/kilo.jsonc", pythonpath=program).linted


def test_a_run_in_a_worktree_with_no_other_layer_is_recorded(check, work, tmp_path):
    """No other file of the harness where a layer could lie: git is not started (`discover`), so
    the run is recorded and replayed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run(["git", "-C", str(work), "add", "."], check=True)
    first = check("good/kilo.jsonc")
    again = check("good/kilo.jsonc")
    assert first.linted and not again.linted and again.printed == first.printed


def test_a_run_that_starts_git_is_not_recorded(check, work, tmp_path):
    """Inside a git worktree with another layer of the same harness, git lists the files: a
    listing no record can check again, so every run is a full one."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    (work / "kilo.json").write_text('{"$schema": "https://app.kilo.ai/config.json"}\n')
    subprocess.run(["git", "-C", str(work), "add", "."], check=True)
    assert check("good/kilo.jsonc").linted
    assert check("good/kilo.jsonc").linted
    assert records(tmp_path) == []


def test_a_run_with_worker_processes_is_not_recorded(check, tmp_path):
    """Workers read files no hook of the recording process sees."""
    from cfglint.engine.batch import JOBS_THRESHOLD

    names = []
    for i in range(JOBS_THRESHOLD):
        config = tmp_path / "work" / f"p{i:04d}" / "kilo.json"
        config.parent.mkdir(parents=True)
        config.write_text('{"$schema": "https://app.kilo.ai/config.json"}\n')
        names.append(f"p{i:04d}/kilo.json")
    first = check(*names)
    assert first.linted and f"in {JOBS_THRESHOLD} files" in first.stdout
    assert records(tmp_path) == []


def test_a_usage_error_is_not_recorded(check, work, tmp_path):
    first = check("missing.jsonc")
    assert first.status == 2
    assert check("missing.jsonc").linted
    assert records(tmp_path) == []


@pytest.mark.parametrize("damage", [b"", b"{", b'{"format": 1, "status": 0, "inputs": [["stat"]], "output": []}',
                                    b"\xff\xfe", b"[" * 100_000,
                                    b'{"format": 1, "status": 0, "inputs": [["access", "x:kilo.jsonc", true]], "output": []}',
                                    b'{"format": 1, "status": 0, "inputs": [["stat", "a\\u0000b", null]], "output": []}'])
def test_a_damaged_record_is_a_full_run(check, work, tmp_path, damage):
    first = check("bad/kilo.jsonc")
    [record] = records(tmp_path)
    record.write_bytes(damage)
    again = check("bad/kilo.jsonc")
    assert again.linted and again.printed == first.printed
    assert not check("bad/kilo.jsonc").linted  # recorded afresh


def test_a_record_keeps_no_secret_and_no_config_text(check, tmp_path):
    secret = "sk-live-" + "9" * 40
    config = tmp_path / "work" / "kilo.jsonc"
    config.parent.mkdir(parents=True)
    config.write_text('{"provider": {"x": {"options": {"apiKey": "%s", "baseURL": "http://a.b"}}}}\n' % secret)
    first = check("kilo.jsonc", env={"SOME_TOKEN": secret})
    assert secret not in first.stdout + first.stderr
    [record] = records(tmp_path)
    assert secret not in record.read_text()
    assert '"apiKey"' not in record.read_text()


def test_recording_notes_inputs_and_restores_the_system(tmp_path, monkeypatch):
    """In-process: what a recorder notes, and that it leaves `os` and the streams as they were."""
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOME_VALUE", "hunter2")
    saved = (os.stat, os.lstat, os.access, os.environ, sys.stdout, sys.stderr)
    (tmp_path / "present").write_text("x")
    recorder = replay._Recorder()
    with recorder:
        assert not os.path.exists(tmp_path / "absent")
        assert os.path.isfile(tmp_path / "present")
        assert os.environ.get("SOME_VALUE") == "hunter2"
        assert os.getenv("UNSET_VALUE") is None
        (tmp_path / "present").read_text()
        os.listdir(tmp_path)
        print("printed")
    assert (os.stat, os.lstat, os.access, os.environ, sys.stdout, sys.stderr) == saved
    kinds = {(kind, subject): answer for (kind, subject), answer in recorder.inputs.items()}
    assert kinds[("stat", str(tmp_path / "absent"))] == ("absent",)
    assert kinds[("stat", str(tmp_path / "present"))][0] == "entry"
    assert kinds[("list", str(tmp_path))][0] == "listed"
    assert kinds[("env", "UNSET_VALUE")] is None
    assert kinds[("env", "SOME_VALUE")] != "hunter2" and len(kinds[("env", "SOME_VALUE")]) == 64
    assert recorder.output == [[False, "printed"], [False, "\n"]]
    assert recorder.refusal is None
    with recorder:
        subprocess.run(["true"], check=False)
    assert recorder.refusal is not None and "process" in recorder.refusal


# Ways to ask the file system, the clock or the terminal that a record cannot check again.
UNRECORDED = re.compile(r"\b(os\.readlink|os\.statvfs|os\.\w*xattr|os\.chdir|os\.fwalk|get_terminal_size"
                        r"|time\.time\(\)|time\.monotonic|datetime\.now|date\.today|utcnow|os\.times)\b")


def test_the_linter_asks_the_system_only_what_a_record_can_check():
    """`replay` records `os.stat`, `os.lstat`, `os.access`, opens, listings and variables: a
    check that asked anything else (a link's target alone, the clock, the terminal's size) could
    print something a replay would not. The cache's own clock (eviction) prints nothing."""
    allowed = {"cfglint/engine/cache.py", "cfglint/engine/replay.py", "cfglint/server.py"}
    found = [f"{path.relative_to(REPO)}:{number}: {line.strip()}"
             for path in sorted((REPO / "cfglint").rglob("*.py")) if str(path.relative_to(REPO)) not in allowed
             for number, line in enumerate(path.read_text().splitlines(), 1) if UNRECORDED.search(line)]
    assert found == []


def test_an_input_that_cannot_be_noted_leaves_the_run_as_it_was(tmp_path, monkeypatch):
    """The recorder's own failure makes the run unrecordable; the stat, open or listing it was
    noting still answers as without a recorder."""
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "present").write_text("x")
    recorder = replay._Recorder()

    def broken(*args):
        raise RuntimeError("a bug in the recorder")

    monkeypatch.setattr(recorder, "_note", broken)
    monkeypatch.setattr(recorder, "_audited", broken)
    with recorder:
        assert os.path.isfile(tmp_path / "present")
        assert (tmp_path / "present").read_text() == "x"
        assert os.listdir(tmp_path) == ["present"]
    assert recorder.refusal == "could not note an input"


def test_a_run_naming_many_files_is_neither_recorded_nor_replayed(monkeypatch, tmp_path):
    """Past `MAX_PATHS` its record would exceed `MAX_INPUTS`: the check runs as it is, without
    the recorder (no wrapped `os.stat`)."""
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    seen = []

    def check():
        seen.append(os.stat)
        raise SystemExit(0)

    with pytest.raises(SystemExit):
        replay.run([f"p{i}/kilo.json" for i in range(replay.MAX_PATHS + 1)], check)
    assert seen == [os.stat] and seen[0] is os.stat
    with pytest.raises(SystemExit):
        replay.run(["kilo.json"], check)
    assert seen[1] is not os.stat  # a run of a few files is recorded
