"""The pre-commit hook's `cfglint check FILE...` runs without click (`cfglint.cli.main`), and
gives what click gives: each invocation below runs in a fresh interpreter once through the
plain path and once through click, and stdout, stderr (bytes) and the exit status must be equal.
"""

from __future__ import annotations

import inspect
import json
import os
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# `plain`: as the entry point runs; `click`: the same `main`, told that no invocation is plain.
# Either way, say whether click was imported (on another pipe: the streams compared stay untouched).
_PROBE = """
import os, sys
mode, side, sys.argv = sys.argv[1], int(sys.argv[2]), ["cfglint", *sys.argv[3:]]
import cfglint.cli
if mode == "click":
    cfglint.cli._plain_check = lambda args: False
try:
    cfglint.cli.main()
finally:
    os.write(side, b"click" if "click" in sys.modules else b"no click")
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "CFGLINT_", "_CFGLINT")) and k not in ("NO_COLOR", "FORCE_COLOR")}
    return env | {"CFGLINT_CACHE_DIR": str(tmp_path / "cache"), "XDG_CACHE_HOME": str(tmp_path / "xdg"),
                  "PYTHONPATH": str(ROOT)} | extra


def _run(mode: str, args: list[str | bytes], cwd: Path, env: dict[str, str], terminal: bool = False
         ) -> tuple[bytes, bytes, int, str]:
    """stdout, stderr, exit status and whether click was imported; on pseudo-terminals if asked."""
    side_r, side_w = os.pipe()
    if terminal:
        import pty

        (out_r, out_w), (err_r, err_w) = pty.openpty(), pty.openpty()
    else:
        (out_r, out_w), (err_r, err_w) = os.pipe(), os.pipe()
    proc = subprocess.Popen([sys.executable, "-c", _PROBE, mode, str(side_w), *args], cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, stdout=out_w, stderr=err_w, pass_fds=(side_w,))
    for fd in (out_w, err_w, side_w):
        os.close(fd)
    chunks: dict[int, list[bytes]] = {out_r: [], err_r: [], side_r: []}
    open_fds = set(chunks)
    while open_fds:
        for fd in select.select(list(open_fds), [], [], 120)[0]:
            try:
                data = os.read(fd, 65536)
            except OSError:  # a pseudo-terminal whose other end closed
                data = b""
            if data:
                chunks[fd].append(data)
            else:
                open_fds.discard(fd)
                os.close(fd)
    status = proc.wait(timeout=120)
    return b"".join(chunks[out_r]), b"".join(chunks[err_r]), status, b"".join(chunks[side_r]).decode()


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A directory outside any git worktree: configs with and without findings, a broken
    settings file, a file that is not UTF-8, a directory whose name holds an escape sequence."""
    root = tmp_path_factory.mktemp("fastpath")
    work = root / "work"

    def copy(example: str, target: str) -> None:
        (work / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLES / example, work / target)

    copy("opencode/good/opencode.json", "clean/opencode.json")
    copy("kilo/bad/kilo.jsonc", "bad/kilo.jsonc")
    copy("codex/gateway/.codex/config.toml", "codex/.codex/config.toml")
    copy("kilo/bad/kilo.jsonc", "settings/kilo.jsonc")
    (work / "settings" / ".cfglint.toml").write_text("select = [\n")
    (work / "latin1").mkdir()
    (work / "latin1" / "kilo.jsonc").write_bytes(b'{"model": "caf\xe9"}\n')
    copy("kilo/bad/kilo.jsonc", "esc\x1b[31mdir/kilo.jsonc")
    copy("kilo/bad/kilo.jsonc", os.fsdecode(b"bad\xff/kilo.jsonc"))
    return work


CASES = {
    "clean": ["check", "clean/opencode.json"],
    "findings": ["check", "bad/kilo.jsonc"],
    "several": ["check", "bad/kilo.jsonc", "clean/opencode.json", "codex/.codex/config.toml"],
    "missing path": ["check", "bad/kilo.jsonc", "no/such/file.json"],
    "directory": ["check", "bad"],
    "no path": ["check"],
    "broken settings": ["check", "settings/kilo.jsonc"],
    "not UTF-8": ["check", "latin1/kilo.jsonc"],
    "escape in a name": ["check", "esc\x1b[31mdir/kilo.jsonc"],
    "name not UTF-8": ["check", b"bad\xff/kilo.jsonc"],
}
ENVS = {"plain": {}, "NO_COLOR": {"NO_COLOR": "1"}, "FORCE_COLOR": {"FORCE_COLOR": "1"}}


@pytest.mark.parametrize("env_name", ENVS)
@pytest.mark.parametrize("case", CASES)
def test_the_plain_path_gives_what_click_gives(tmp_path: Path, work: Path, case: str, env_name: str) -> None:
    env = _env(tmp_path, **ENVS[env_name])
    for run in ("miss", "hit"):  # the second run of each path reads the first one's cache entries
        plain = _run("plain", CASES[case], work, env | {"CFGLINT_CACHE_DIR": str(tmp_path / "plain")})
        via_click = _run("click", CASES[case], work, env | {"CFGLINT_CACHE_DIR": str(tmp_path / "click")})
        assert plain[3] == "no click" and via_click[3] == "click", run
        assert plain[:3] == via_click[:3], run
    assert b"Traceback" not in plain[1]


@pytest.mark.parametrize("case", ["findings", "missing path", "escape in a name"])
def test_on_a_terminal_too(tmp_path: Path, work: Path, case: str) -> None:
    """Colour on (stdout is a terminal) and escape codes kept on stderr (a terminal)."""
    env = _env(tmp_path)
    plain = _run("plain", CASES[case], work, env, terminal=True)
    via_click = _run("click", CASES[case], work, env, terminal=True)
    assert plain[3] == "no click" and via_click[3] == "click"
    assert plain[:3] == via_click[:3]
    if case == "findings":
        assert b"\x1b[" in plain[0]


@pytest.mark.parametrize("args", [
    ["check", "--select", "SCH", "bad/kilo.jsonc"],  # an option
    ["check", "-", "bad/kilo.jsonc"],  # standard input
    ["check", "--", "bad/kilo.jsonc"],
    ["check", "--help"],
    ["--version"],
])
def test_anything_else_goes_through_click(tmp_path: Path, work: Path, args: list[str]) -> None:
    out, err, status, click = _run("plain", args, work, _env(tmp_path))
    assert click == "click"
    assert b"Traceback" not in err, err


def test_an_ascii_stream_goes_through_click(tmp_path: Path, work: Path) -> None:
    """click re-encodes a stream whose encoding is ASCII: the plain path leaves such a run to it."""
    out, err, status, click = _run("plain", CASES["findings"], work, _env(tmp_path, PYTHONIOENCODING="ascii"))
    assert click == "click" and status == 1


def test_run_check_defaults_are_the_options_defaults() -> None:
    """The plain path calls `run_check(paths)`: its defaults must be what click passes for
    options not given."""
    from cfglint.cli import run_check
    from cfglint.commands import check

    defaults = {name: p.default for name, p in inspect.signature(run_check).parameters.items()}
    assert defaults == check.make_context("check", []).params


def test_the_module_of_the_entry_point_does_not_import_click() -> None:
    probe = "import sys, json, cfglint.cli; from cfglint.cli import main; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert not [m for m in json.loads(result.stdout) if m == "click" or m.startswith("click.")]


@pytest.mark.parametrize("terminal", [False, True])
@pytest.mark.parametrize("color", [None, False, True])
@pytest.mark.parametrize("err", [False, True])
def test_echo_writes_what_click_echo_writes(monkeypatch, terminal: bool, color: bool | None, err: bool) -> None:
    """The reports escape control characters in what they print, so no run above reaches the
    escape-code stripping: compared here, text by text."""
    import pty

    import click

    from cfglint import cli

    def written(write, text: str) -> bytes:
        read_fd, write_fd = pty.openpty() if terminal else os.pipe()
        stream = open(write_fd, "w", encoding="utf-8", errors="backslashreplace")
        with monkeypatch.context() as patch:
            patch.setattr(sys, "stderr" if err else "stdout", stream)
            write(text, nl=True, err=err, color=color)
        stream.close()
        data = b""
        while chunk := _read_some(read_fd):
            data += chunk
        os.close(read_fd)
        return data

    def plain(*args, **kwargs) -> None:
        with monkeypatch.context() as patch:
            patch.delitem(sys.modules, "click")
            cli.echo(*args, **kwargs)

    for text in ("plain", "a \x1b[31mred\x1b[0m word", "\x1b[1;2mx\x1b[m\x1b[?25h", "\x1b]8;;url\x07link", "é \udcff"):
        assert written(plain, text) == written(click.echo, text), text


def _read_some(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # a pseudo-terminal whose other end closed
        return b""


_INTERRUPTED = """
import sys
mode, sys.argv = sys.argv[1], ["cfglint", *sys.argv[2:]]
import cfglint.cli

def interrupted(*args, **kwargs):
    raise KeyboardInterrupt

cfglint.cli.run_check = interrupted
if mode == "click":
    import cfglint.commands
    cfglint.cli._plain_check = lambda args: False
    cfglint.commands.run_check = interrupted
cfglint.cli.main()
"""


def test_an_interrupt_ends_both_paths_alike(tmp_path: Path, work: Path) -> None:
    runs = [subprocess.run([sys.executable, "-c", _INTERRUPTED, mode, *CASES["findings"]], cwd=work,
                           env=_env(tmp_path), capture_output=True, timeout=120) for mode in ("plain", "click")]
    assert (runs[0].stdout, runs[0].stderr, runs[0].returncode) == (runs[1].stdout, runs[1].stderr, runs[1].returncode)
    assert runs[0].stderr == b"\nAborted!\n" and runs[0].returncode == 1
