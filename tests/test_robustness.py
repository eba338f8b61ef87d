"""Robustness: any bytes given as a config give findings or a one-line error, never a traceback.

product.md, "Quality bars" (robustness, limits) and "Exit codes". Three parts:

1. Property tests (hypothesis). Arbitrary bytes, and mutations of the real configs
   in `examples/` (byte flips, deletions, duplicated slices, inserted tokens such as
   `{`, `"`, `/*`, `\\x00`, `\\xff`, `{env:X}`, `*a`, `!!python/object`, `1e999`, huge
   integers, deep brackets, CRLF/CR, a BOM, non-ASCII text), written under every file
   name cfglint recognises, go through each parser directly and through the CLI
   in-process (`check --output-format json`, `check` text with and without
   `--show-source`, `explain --format json --no-env`). Each run must: exit 0, 1 or 2
   (`check` on an existing regular file: 0 or 1); let no exception escape
   (`catch_exceptions=False`); print JSON that parses strictly (no NaN/Infinity);
   print stderr, if anything, as `cfglint: ...` lines (one line for a recognised file);
   never say "internal error"; put every finding at a position inside the file.
2. The limits: a file over 10 MiB (a sparse file), 100,000-deep nesting in JSON,
   JSONC, TOML and YAML, YAML alias bombs, invalid UTF-8, a BOM, empty files,
   special files (FIFO, character device, socket), a directory named like a config.
   Each is checked for its documented outcome (usually SYN004, exit 1) within a
   budget of work that does not depend on the machine (Python calls, `work_budget`:
   guards against unbounded behaviour, not performance claims; timing is in bench/)
   and, for the expensive ones, a bound on traced memory. Subprocess runs have a
   generous timeout that only catches a hang.
3. Determinism: the same input gives byte-identical output run after run (fresh and
   warm result cache), whatever the order of the paths on the command line and
   whatever `PYTHONHASHSEED` (subprocess runs of `python -m cfglint`).

Bugs these tests found have regression tests (section "Found by these tests"); the ones
not fixed yet are strict xfails there: each turns into a failure (XPASS) once its bug is
fixed, so its marker is removed (and its entry in KNOWN_INTERNAL_ERRORS, if any).

Hypothesis profiles (registered here under `cfglint-` names: re-registering the
built-in `ci` profile would change every other hypothesis test of the session when
it runs in CI, where hypothesis loads `ci` itself):

- `ci` (default, `cfglint-ci`): a few dozen examples per property; the whole module
  runs in well under a minute.
- `long` (`cfglint-long`): 20,000 examples per property (hours). Select it with the
  environment variable `HYPOTHESIS_PROFILE`; `CFGLINT_FUZZ_EXAMPLES` overrides the
  number of examples of either profile:

      HYPOTHESIS_PROFILE=long python3 -m pytest tests/test_robustness.py -q
      HYPOTHESIS_PROFILE=long CFGLINT_FUZZ_EXAMPLES=5000 python3 -m pytest tests/test_robustness.py -q

  The long profile also runs `test_files_just_under_the_limit_finish` (worst-case
  files of almost 10 MiB, tens of seconds each).

  A failure prints the shrunk input and a `@reproduce_failure` blob; the example
  database (`.hypothesis/`) replays it on the next run.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import tracemalloc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Iterator

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, example, given, note, settings
from hypothesis.errors import InvalidArgument
from hypothesis import strategies as st

from conftest import EXAMPLES, REPO
from cfglint.engine.discover import dialect_by_name
from cfglint.harnesses import harness_for

# --------------------------------------------------------------------------------------
# Profiles

settings.register_profile(
    "cfglint-ci",
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "cfglint-long",
    max_examples=20_000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
# HYPOTHESIS_PROFILE=long (or cfglint-long) selects the long run; anything else, the CI one.
_PROFILE = settings.get_profile(
    "cfglint-long" if os.environ.get("HYPOTHESIS_PROFILE", "").removeprefix("cfglint-") == "long" else "cfglint-ci"
)
if os.environ.get("CFGLINT_FUZZ_EXAMPLES"):
    _PROFILE = settings(_PROFILE, max_examples=int(os.environ["CFGLINT_FUZZ_EXAMPLES"]))
_LONG = _PROFILE.max_examples > 1_000


def fuzz(scale: float = 1.0):
    """The profile's settings for one property, `scale` times its number of examples."""
    return settings(_PROFILE, max_examples=max(1, round(_PROFILE.max_examples * scale)))


# --------------------------------------------------------------------------------------
# Inputs

# Every name a harness recognises: (relative path, parser family). `team.toml` is told
# by its content (a Kimi TOML outside .kimi/ and .kimi-code/), or skipped.
NAMES = {
    "kilo.jsonc": "jsonc",
    "kilo.json": "jsonc",
    "opencode.json": "jsonc",
    "opencode.jsonc": "jsonc",
    ".opencode/opencode.jsonc": "jsonc",
    ".kilo/kilo.jsonc": "jsonc",
    ".pi/agent/settings.json": "json",
    ".pi/agent/models.json": "jsonc",
    ".pi/settings.json": "json",
    ".claude/settings.json": "json",
    ".claude/settings.local.json": "json",
    "managed-settings.json": "json",
    ".kimi-code/config.toml": "toml",
    ".kimi/config.toml": "toml",
    ".hermes/config.yaml": "yaml",
    ".codex/config.toml": "toml",
    ".codex/fast.config.toml": "toml",
    "team.toml": "sniffed",
}
RECOGNISED = sorted(name for name, kind in NAMES.items() if kind != "sniffed")


def _recognised_name(path: Path) -> str | None:
    """The name under which a fuzzed copy of an example is written (same dialect)."""
    rel = path.relative_to(EXAMPLES).as_posix()
    for name in sorted(NAMES, key=len, reverse=True):
        if NAMES[name] != "sniffed" and rel.endswith("/" + name):
            return name
    return None


EXAMPLE_FILES = sorted(p for p in EXAMPLES.rglob("*") if p.is_file() and _recognised_name(p))
EXAMPLE_INPUTS = [(_recognised_name(p), p.read_bytes()) for p in EXAMPLE_FILES]

BOM = b"\xef\xbb\xbf"
HUGE_INT = b"9" * 5_000  # beyond Python's 4,300-digit int conversion limit
# Tokens that break or stress one parser or another.
TOKENS = [
    b"{", b"}", b"[", b"]", b'"', b"'", b"#", b"//", b"/*", b"*/", b",", b":", b"=", b".",
    b"\\", b"\\u", b"\\x", b"\\ud800", b"\\udfff\\ud800", b"\\n", b"\\r",
    b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\t", b"\x0b", b"\x7f",
    b"{env:X}", b"{env:KILO_SERVER_PASSWORD}", b"{file:x}", b"{env:}", b"{env:X",
    b"*a", b"&a", b"&a [*a, *a]", b"<<: *a", b"? ", b"- ", b"---\n", b"...\n", b"%YAML 1.1\n",
    b"!!python/object:os.system", b"!!binary", b"!!set", b"!!omap", b"!custom", b"!!str", b"!!int",
    b"1e999", b"-1e999", b"-0", b"0x", b"nan", b".nan", b"inf", b"-inf", b".inf", b"NaN",
    b"Infinity", HUGE_INT, b"-" + HUGE_INT, b"1979-05-27T07:32:00Z", b"2024-02-30",
    b"true", b"null", b"~", b'"""', b"'''", b"[[", b"]]", b"[a]\n", b"[[a]]\n", b"a.b.c = 1\n",
    b"\r\n", b"\r", b"\n", BOM, "é".encode(), "\u2028".encode(), "😀".encode(),
    "\u200b".encode(), "\ufeff".encode(),
]
DEEP = [b"[" * 300, b"{" * 300, b'{"a":' * 300, b"a = " + b"[" * 300, b"- " * 300,
        b"[{" * 150, b"a." * 300]
SYNTAX_ALPHABET = st.sampled_from(list("{}[]\"':,#/*=.-&!?<>| \t\r\n\\aexz019") + ["\ufeff", "é"])

ARBITRARY_BYTES = st.one_of(
    st.binary(max_size=1_500),
    st.text(max_size=600).map(lambda s: s.encode("utf-8")),
    st.text(alphabet=SYNTAX_ALPHABET, max_size=600).map(lambda s: s.encode("utf-8")),
    st.lists(st.sampled_from(TOKENS + DEEP), max_size=40).map(b"".join),
)


@st.composite
def mutated_examples(draw) -> tuple[str, bytes]:
    """A real example config, damaged 1 to 5 times; usually under its own file name."""
    name, data = draw(st.sampled_from(EXAMPLE_INPUTS))
    if draw(st.integers(0, 7)) == 0:
        name = draw(st.sampled_from(sorted(NAMES)))
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["flip", "delete", "duplicate", "insert", "insert", "deep",
                                   "text", "newlines", "bom"]))
        at = draw(st.integers(0, len(buf)))
        if op == "flip" and buf:
            at = min(at, len(buf) - 1)
            buf[at] ^= draw(st.integers(1, 255))
        elif op == "delete":
            del buf[at: at + draw(st.integers(1, 80))]
        elif op == "duplicate":
            start = draw(st.integers(0, len(buf)))
            piece = bytes(buf[start: start + draw(st.integers(1, 120))])
            buf[at:at] = piece * draw(st.integers(1, 3))
        elif op == "insert":
            buf[at:at] = draw(st.sampled_from(TOKENS))
        elif op == "deep":
            buf[at:at] = draw(st.sampled_from(DEEP))
        elif op == "text":
            buf[at:at] = draw(st.text(min_size=1, max_size=8)).encode("utf-8")
        elif op == "newlines":
            buf[:] = bytes(buf).replace(b"\r\n", b"\n").replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r"])))
        elif op == "bom":
            buf[:0] = BOM
    return name, bytes(buf)


# Values a launcher could give `{env:X}` (Kilo inserts them raw into the text).
ENV_VALUES = st.one_of(st.none(), st.text(alphabet=SYNTAX_ALPHABET, max_size=12),
                       st.sampled_from(["1", "1e999", "null", '"x"', "{", "}", "[1,", "9" * 5_000]))


# --------------------------------------------------------------------------------------
# Running the CLI in-process

@dataclass
class Run:
    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str


class Cli:
    """`cfglint ARGS` in-process with CliRunner (catch_exceptions=False: nothing may escape).

    Usable from hypothesis tests, which cannot take function-scoped fixtures: the
    environment is set per invocation (`CliRunner(env=...)`), not by monkeypatch.
    """

    def __init__(self, cache_dir: Path) -> None:
        from cfglint.cli import check

        self.cache_dir = cache_dir
        # The result cache would skip the parsers on a re-run of the same input; the
        # fuzzing wants them every time (when the option exists in this version).
        self.no_cache = ("--no-cache",) if any(p.name == "no_cache" for p in check.params) else ()

    def __call__(self, *args: str, input: bytes | None = None, cache_dir: Path | None = None) -> Run:
        from cfglint.cli import cli as command

        env = {"CFGLINT_CACHE_DIR": str(cache_dir or self.cache_dir), "NO_COLOR": None}
        result = CliRunner(env=env).invoke(command, list(args), input=input, catch_exceptions=False)
        return Run(tuple(args), result.exit_code, result.stdout, result.stderr)

    def check(self, *args: str, **kwargs) -> Run:
        return self("check", *self.no_cache, *args, **kwargs)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("robustness")


@pytest.fixture(scope="module")
def run_cli(workdir) -> Cli:
    return Cli(workdir / "cache")


def write_file(root: Path, name: str, data: bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# Bugs these tests find outside the parsers and that are not fixed yet. Each gets a
# strict xfail test in "Found by these tests" and, here, the signature of its
# internal error: while it stands, the property tests set aside the examples that hit
# it (`reject()`: hypothesis draws others) instead of failing on them again, so they
# keep looking for new bugs. Delete the entry when the bug is fixed (its xfail test then
# fails as XPASS and says so). Empty: everything found so far is fixed, e.g.
#   "kimi-nonfinite-ratio": r"OverflowError: cannot convert float infinity to integer",
KNOWN_INTERNAL_ERRORS: dict[str, str] = {}


def _set_aside_known_bug(run: Run) -> None:
    """Inside a property test, reject an example that only hits a known bug."""
    from hypothesis import currently_in_test_context, reject

    if currently_in_test_context() and "internal error" in run.stderr and any(
            re.search(pattern, run.stderr) for pattern in KNOWN_INTERNAL_ERRORS.values()):
        reject()


def strict_json(text: str):
    """json.loads that rejects NaN and Infinity, which are not JSON."""

    def refuse(constant: str):
        raise AssertionError(f"non-JSON constant {constant} in the output")

    return json.loads(text, parse_constant=refuse)


FINDING_KEYS = {"path", "line", "column", "end_line", "end_column", "code", "name", "severity", "message",
                "fix", "fix_applicability", "dialect", "harness_version", "details"}
SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings?(, \d+ info)? in \d+ files?(\n\[\*\] \d+ fixable with `cfglint check --fix`)?$")


def _note(message: str) -> None:
    """hypothesis.note inside a property; nothing in a plain test (assertions carry the runs)."""
    try:
        note(message)
    except InvalidArgument:
        pass


def assert_clean_stderr(run: Run, *, max_lines: int | None = 1) -> None:
    """No traceback, no internal error; stderr is `cfglint: ...` lines (at most `max_lines`;
    None: only its first line is checked, for errors that may quote a line break)."""
    _set_aside_known_bug(run)
    assert "Traceback" not in run.stderr, run
    assert "internal error" not in run.stderr + run.stdout, run
    assert run.stderr == "" or run.stderr.endswith("\n"), run
    lines = run.stderr.split("\n")[:-1]
    if max_lines is None:
        assert not lines or lines[0].startswith("cfglint: "), run
        return
    assert len(lines) <= max_lines, run
    for line in lines:
        assert line.startswith("cfglint: "), run


def decoded(data: bytes) -> str | None:
    """The text cfglint positions refer to (BOM removed), None when it is not text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text[1:] if text.startswith("\ufeff") else text


def assert_positions_inside(findings: list[dict], text: str | None) -> None:
    """Every finding starts and ends inside the file (an end column may point just past a
    line's last character); the end is not before the start."""
    lines = re.split(r"(?<=\r\n)|(?<=\n)(?<!\r\n)|(?<=\r)(?!\n)", text) if text else [""]
    for f in findings:
        assert 1 <= f["line"] <= f["end_line"], f
        if f["line"] == f["end_line"]:
            assert f["column"] <= f["end_column"], f
        if text is None or f["code"] == "SYN004":
            continue
        for line, column in ((f["line"], f["column"]), (f["end_line"], f["end_column"])):
            assert line <= len(lines), (f, len(lines))
            assert 1 <= column <= len(lines[line - 1]) + 1, (f, lines[line - 1])


def _companions(path: Path, data: bytes) -> set[str]:
    """The files the harness reads along with this one (Codex `model_catalog_json`): their findings
    are part of its output too."""
    dialect = dialect_by_name(PurePath(os.path.abspath(path)), {})
    named = harness_for(dialect).companion_files(PurePath(path), data) if dialect else []
    return {os.path.abspath(path.parent / name) for name in named}


def assert_well_behaved(run_cli: Cli, path: Path, data: bytes, name: str, env_args: tuple[str, ...] = (),
                        extra_formats: tuple[str, ...] = ()) -> None:
    """The properties of `check` (json, text, text with source, `extra_formats`) and
    `explain` on one file."""
    sniffed = NAMES[name] == "sniffed"
    text = decoded(data)

    as_json = run_cli.check("--output-format", "json", *env_args, str(path))
    _note(f"check json: {as_json}")
    # A file named like a harness's config whose content is plainly another's (another dialect's example
    # written under this name) is skipped with a note, then "no config files found": two lines.
    foreign = ", not a " in as_json.stderr and "config:" in as_json.stderr
    note_lines = 2 if sniffed or foreign else 1
    assert_clean_stderr(as_json, max_lines=note_lines)
    assert as_json.exit_code in (0, 1), as_json  # an existing regular file is never exit 2
    findings = strict_json(as_json.stdout) if as_json.stdout else []
    assert isinstance(findings, list)
    companions = _companions(path, data)
    for f in findings:
        assert set(f) == FINDING_KEYS, f
        assert f["path"] in (os.path.relpath(path), str(path)) or os.path.abspath(f["path"]) in companions, f
    own = [f for f in findings if os.path.abspath(f["path"]) not in companions]  # positions: in this file's text
    assert_positions_inside(own, text)
    syntax = [f for f in own if f["code"] in ("SYN001", "SYN002", "SYN004")]
    assert not syntax or as_json.exit_code == 1, as_json
    if not sniffed and not foreign:
        assert as_json.stdout, "a recognised file is always linted"

    plain = run_cli.check(*env_args, str(path))
    _note(f"check text: {plain}")
    assert_clean_stderr(plain, max_lines=note_lines)
    assert plain.exit_code == as_json.exit_code, (plain, as_json)
    if plain.stdout:
        # The text output is the json findings, one `path:line:col: CODE [severity] message`
        # each, then the summary. (Compared as a whole: a message holding a line break,
        # see test_messages_are_one_line, must not fail this property too.)
        expected = "".join(f"{f['path']}:{f['line']}:{f['column']}: {f['code']}"
                           + (" [*]" if f["fix_applicability"] == "safe" else "") + f" [{f['severity']}] {f['message']}"
                           + (f" (fix: {f['fix']})" if f["fix"] else "") + "\n" for f in findings)
        assert plain.stdout.startswith(expected), (plain.stdout, expected)
        summary = plain.stdout[len(expected):]
        fixable = sum(f["fix_applicability"] == "safe" for f in findings)
        assert SUMMARY.match(summary.rstrip("\n")) and summary.count("\n") == 1 + bool(fixable), summary
        assert (f"[*] {fixable} fixable" in summary) == bool(fixable), summary

    with_source = run_cli.check("--show-source", *env_args, str(path))
    _note(f"check --show-source: {with_source}")
    assert_clean_stderr(with_source, max_lines=note_lines)
    assert with_source.exit_code == as_json.exit_code, (with_source, as_json)

    for fmt in extra_formats:
        other = run_cli.check("--output-format", fmt, *env_args, str(path))
        _note(f"check {fmt}: {other}")
        assert_clean_stderr(other, max_lines=note_lines)
        assert other.exit_code == as_json.exit_code, (other, as_json)
        if fmt == "sarif":
            log = strict_json(other.stdout)
            assert [r["ruleId"] for r in log["runs"][0]["results"]] == [f["code"] for f in findings]
        elif fmt == "github":  # one workflow command per finding, whatever the message holds
            lines = other.stdout.split("\n")
            assert lines.pop() == "" and len(lines) == len(findings), other
            assert all(re.match(r"::(error|warning|notice) file=[^:]*,line=\d+", line) for line in lines), other

    explained = run_cli("explain", "--format", "json", "--no-env", *env_args, str(path))
    _note(f"explain: {explained}")
    assert_clean_stderr(explained, max_lines=note_lines)
    assert explained.exit_code == 0, explained
    items = strict_json(explained.stdout)
    assert isinstance(items, list) and all(isinstance(item, dict) for item in items)
    if not items:  # no model, or the file does not parse: one line says so
        assert "nothing to explain" in explained.stderr, explained


# --------------------------------------------------------------------------------------
# 1. Properties: every parser directly

def _parse(kind: str, text: str):
    from cfglint.parsing.jsonc import parse_json
    from cfglint.harnesses.kilo.substitution import parse_kilo
    from cfglint.parsing.toml import parse_toml
    from cfglint.parsing.yaml import parse_yaml
    from cfglint.core.text import SourceText

    source = SourceText(text)
    if kind == "jsonc":
        return parse_kilo(source, {"X": "1"})
    if kind == "jsonc-noenv":
        return parse_kilo(source, None)
    if kind == "json":
        return parse_json(source, allow_comments=False, allow_trailing_commas=False)
    if kind == "toml":
        return parse_toml(source)
    return parse_yaml(source)


PARSERS = ["jsonc", "jsonc-noenv", "json", "toml", "yaml"]


class WorkBudgetExceeded(BaseException):
    """Raised into the code under test once it exceeds its `work_budget` (a BaseException,
    so that cfglint's `except Exception` handlers do not turn it into an internal error)."""


@contextmanager
def work_budget(calls: int) -> Iterator[list[int]]:
    """Stop the code run inside after `calls` Python function calls (WorkBudgetExceeded).

    Calls are a measure of work that does not depend on the machine or its load, unlike
    CPU or wall-clock time: the budget guards against unbounded behaviour (a loop that
    never ends while it calls anything, work that grows faster than the input), not
    performance, which bench/ measures. Nothing is counted while another tracer is
    installed (coverage, a debugger, hypothesis's explain phase): it is left alone.
    """
    counted = [0]
    if sys.gettrace() is not None:
        yield counted
        return

    def trace(frame, event, arg):  # called on each Python call ("call" events) only
        counted[0] += 1
        if counted[0] == calls + 1:
            raise WorkBudgetExceeded(f"more than {calls:,} Python calls")

    sys.settrace(trace)
    try:
        yield counted
    finally:
        sys.settrace(None)


# Python calls allowed for parsing one fuzzed text (a few kB): the pure-Python YAML
# parser, the costliest, makes a few tens of thousands on the largest examples.
PARSE_CALLS = 2_000_000


def assert_parse_result(kind: str, text: str) -> None:
    with work_budget(PARSE_CALLS):
        result = _parse(kind, text)
    for diag in result.diagnostics:
        assert diag.code in ("SYN001", "SYN002", "SYN003", "SYN004"), diag
        assert 0 <= diag.start <= len(text), diag
        assert diag.end is None or diag.start <= diag.end <= len(text), diag
        assert diag.message, diag  # (line breaks in messages: see test_messages_are_one_line)
    if not result.ok:
        assert result.data is None
        return
    for path in result.locations.paths():
        loc = result.locations.get(path)
        assert 0 <= loc.value_start <= loc.value_end <= len(text), (path, loc)
        if loc.key_start is not None:
            assert 0 <= loc.key_start <= loc.key_end <= len(text), (path, loc)


@fuzz(2)
@given(kind=st.sampled_from(PARSERS), data=ARBITRARY_BYTES)
def test_parsers_never_raise_on_arbitrary_text(kind, data):
    text = decoded(data)
    assume(text is not None)
    assert_parse_result(kind, text)


@fuzz(2)
@given(kind=st.sampled_from(PARSERS), sample=mutated_examples())
def test_parsers_never_raise_on_mutated_examples(kind, sample):
    text = decoded(sample[1])
    assume(text is not None)
    assert_parse_result(kind, text)


# --------------------------------------------------------------------------------------
# 1. Properties: the CLI, in-process

@fuzz()
@given(name=st.sampled_from(sorted(NAMES)), data=ARBITRARY_BYTES)
@example(name="kilo.json", data=b"")
@example(name=".hermes/config.yaml", data=b"\xff")
@example(name=".kimi-code/config.toml", data=BOM + b"a = 1")
@example(name="team.toml", data=b"[loop_control]\nx = {")
def test_cli_on_arbitrary_bytes(run_cli, workdir, name, data):
    path = write_file(workdir / "arbitrary", name, data)
    assert_well_behaved(run_cli, path, data, name)


def _formats() -> list[str]:
    """The other output formats this version of `check` offers."""
    from cfglint.cli import check

    choices = next(p.type.choices for p in check.params if p.name == "output_format")
    return [fmt for fmt in ("sarif", "github") if fmt in choices]


@fuzz()
@given(sample=mutated_examples(), env_value=ENV_VALUES, other=st.sampled_from([()] + [(f,) for f in _formats()]))
def test_cli_on_mutated_examples(run_cli, workdir, sample, env_value, other):
    name, data = sample
    env_args = ("--env", f"X={env_value}") if env_value is not None else ()
    path = write_file(workdir / "mutated", name, data)
    assert_well_behaved(run_cli, path, data, name, env_args, other)


# --------------------------------------------------------------------------------------
# Well-formed configs with hostile values where the resolvers do arithmetic: byte-level
# mutations almost never produce `compaction_trigger_ratio = inf` in a file that still
# parses, so this generator writes the harnesses' own keys with extreme values, in
# valid syntax, with extreme `--env` values and older `--target` versions.

INF, NAN = float("inf"), float("nan")
NUMBERS = [0, 1, -1, 2, 75, 80, 100, 999, 1_000, 13_000, 32_000, 64_000, 100_000, 128_000, 200_000, 1_000_000,
           2**31, 2**53 + 1, 2**63, 10**30, -(10**30), 0.0, -0.0, 1e-300, 0.5, 0.75, 0.85, 0.99, 1.0, 1.5, 100.5,
           1e308, INF, -INF, NAN]
OTHER_VALUES = ["", "x", "auto", "never", "true", "1e999", "NaN", " 32000 ", "\u0668\u0660", True, False, None,
                [], {}, [1], {"a": 1}]
MODEL_IDS = ["claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5", "opus", "sonnet[1m]", "kimi-k2",
             "kimi-k2-0905-preview", "kimi-k3", "glm-5.2", "gpt-5", "gemini-2.5-pro", "qwen3", "deepseek-chat",
             "anthropic/claude-sonnet-4-5", "zhipu/glm-5.2", "p/m", "m", "unknown-model", "", "x/y/z"]
ENV_STRINGS = ["0", "1", "-1", "-0", "32000", "1e999", "inf", "-inf", "nan", "NaN", "Infinity", "0x10", "1_000",
               "2e3", " 5 ", "", "true", "false", "yes", "99999999999999999999999999", "\u0668\u0660", "1.5"]
URLS = ["https://api.anthropic.com", "https://api.moonshot.ai/v1", "https://open.bigmodel.cn/api/paas/v4",
        "http://localhost:1234/v1", "", "not a url"]

values = st.one_of(st.sampled_from(NUMBERS), st.sampled_from(NUMBERS), st.sampled_from(OTHER_VALUES),
                   st.sampled_from(MODEL_IDS))
model_ids = st.one_of(st.sampled_from(MODEL_IDS), values)


def _some(**fields):
    """A dict with any subset of these fields."""
    return st.fixed_dictionaries({}, optional=fields)


KIMI_DATA = _some(
    default_model=st.one_of(st.sampled_from(["m", "n", "absent"]), values),
    providers=_some(p=_some(type=st.one_of(st.sampled_from(["kimi", "openai", "openai_legacy", "openai_responses",
                                                            "anthropic", "gemini", "google-genai", "google_genai",
                                                            "vertexai", "other"]), values),
                            base_url=st.sampled_from(URLS), api_key=st.just(""))),
    models=_some(**{name: _some(provider=st.sampled_from(["p", "q", ""]), model=model_ids, max_context_size=values,
                                max_output_size=values, max_input_size=values,
                                capabilities=st.sampled_from([["thinking"], [], "thinking"]))
                    for name in ("m", "n")}),
    loop_control=_some(reserved_context_size=values, compaction_trigger_ratio=values, max_steps_per_turn=values,
                       max_retries_per_step=values),
)
KILO_DATA = _some(
    model=model_ids, small_model=model_ids,
    provider=_some(**{name: _some(npm=st.sampled_from(["@ai-sdk/openai-compatible", "@ai-sdk/anthropic", ""]),
                                  options=_some(baseURL=st.sampled_from(URLS)),
                                  models=_some(**{m: _some(limit=_some(context=values, output=values, input=values))
                                                  for m in ("m", "claude-sonnet-4-5", "glm-5.2")}))
                      for name in ("p", "anthropic", "zhipu")}),
    compaction=_some(auto=values, threshold_percent=values, reserved=values, tail_turns=values,
                     preserve_recent_tokens=values),
    agent=_some(compaction=_some(model=model_ids)),
)
CLAUDE_ENV = ["CLAUDE_CODE_MAX_OUTPUT_TOKENS", "CLAUDE_AUTOCOMPACT_PCT_OVERRIDE", "CLAUDE_CODE_AUTO_COMPACT_WINDOW",
              "CLAUDE_CODE_MAX_CONTEXT_TOKENS", "CLAUDE_CODE_BLOCKING_LIMIT_OVERRIDE", "CLAUDE_CODE_DISABLE_1M_CONTEXT",
              "DISABLE_AUTO_COMPACT", "DISABLE_COMPACT", "MAX_THINKING_TOKENS", "ANTHROPIC_MODEL",
              "ANTHROPIC_DEFAULT_MODEL", "ANTHROPIC_BASE_URL", "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX"]
CLAUDE_DATA = _some(
    model=model_ids,
    env=_some(**{name: st.one_of(st.sampled_from(ENV_STRINGS), st.sampled_from(MODEL_IDS), values)
                 for name in CLAUDE_ENV}),
    autoCompactWindow=values, autoCompactEnabled=values,
)
HERMES_DATA = _some(
    model=_some(default=model_ids, provider=st.one_of(st.sampled_from(["anthropic", "openrouter", "lmstudio",
                                                                        "custom", "zhipu"]), values),
                context_length=values, max_tokens=values, base_url=st.sampled_from(URLS)),
    compression=_some(enabled=values, threshold=values, target_ratio=values, protect_last_n=values,
                      summary_model=model_ids, threshold_tokens=values, engine=values,
                      model_thresholds=_some(**{"claude-sonnet-4-5": values, "m": values})),
    auxiliary=_some(compression=_some(provider=values, model=model_ids, context_length=values)),
    custom_providers=st.lists(_some(name=st.sampled_from(["c", ""]), base_url=st.sampled_from(URLS),
                                    models=_some(m=_some(context_length=values))), max_size=2),
)
ENV_VARS = {
    "kimi": ["KIMI_MODEL_MAX_CONTEXT_SIZE", "KIMI_MODEL_MAX_OUTPUT_SIZE", "KIMI_MODEL_MAX_TOKENS",
             "KIMI_MODEL_MAX_COMPLETION_TOKENS", "KIMI_MODEL_NAME", "KIMI_MODEL_PROVIDER_TYPE", "KIMI_CODE_LEGACY_FLAG",
             "KIMI_BASE_URL"],
    "kilo": ["KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX", "KILO_DISABLE_AUTOCOMPACT", "KILO_ENABLE_EXPERIMENTAL_MODELS"],
    "claude": CLAUDE_ENV,
    "hermes": ["HERMES_MAX_TOKENS"],
}
TARGETS = {
    ".kimi-code/config.toml": ["kimi-code@0.10.0", "kimi-code@0.20.1", "kimi-code@0.23.1", "kimi-code@0.33.0",
                               "kimi-code@0.42.0"],
    ".kimi/config.toml": ["kimi-cli@0.81.0", "kimi-cli@1.17.0", "kimi-cli@1.48.0"],
    "kilo.jsonc": ["kilo@7.0.0", "kilo@7.7.8"],
    ".claude/settings.json": ["claude-code@2.0.0", "claude-code@2.1.90", "claude-code@2.1.154", "claude-code@2.1.200",
                              "claude-code@2.1.222", "claude-code@2.1.296"],
    ".hermes/config.yaml": ["hermes@0.12.0", "hermes@0.13.0", "hermes@0.17.0", "hermes@0.18.0"],
}
DIALECT_DATA = {".kimi-code/config.toml": ("kimi", KIMI_DATA), ".kimi/config.toml": ("kimi", KIMI_DATA),
                "kilo.jsonc": ("kilo", KILO_DATA), ".claude/settings.json": ("claude", CLAUDE_DATA),
                ".hermes/config.yaml": ("hermes", HERMES_DATA)}


def to_json(value) -> str:
    """JSON text; infinities as 1e999 (what a file can say), NaN, which JSON cannot, as null."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {to_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(to_json, value)) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return "null" if math.isnan(value) else ("1e999" if value > 0 else "-1e999")
    return json.dumps(value, ensure_ascii=False)


def to_toml(data: dict) -> str:
    """TOML text: top-level scalars, then one `[table]` per top-level table (inline below)."""
    def inline(value) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            return "nan" if math.isnan(value) else "inf" if value == INF else "-inf" if value == -INF else repr(value)
        if isinstance(value, (int, str)):
            return str(value) if isinstance(value, int) else json.dumps(value, ensure_ascii=False)
        if isinstance(value, list):
            return "[" + ", ".join(x for x in map(inline, value) if x is not None) + "]"
        items = ((json.dumps(k), inline(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k} = {v}" for k, v in items if v is not None) + "}"

    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        elif inline(value) is not None:
            lines.append(f"{json.dumps(key)} = {inline(value)}")
    for key, table in tables:
        lines.append(f"[{json.dumps(key)}]")
        lines.extend(f"{json.dumps(k)} = {inline(v)}" for k, v in table.items() if inline(v) is not None)
    return "\n".join(lines) + "\n"


def to_yaml(data: dict) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


SERIALISE = {".kimi-code/config.toml": to_toml, ".kimi/config.toml": to_toml, "kilo.jsonc": to_json,
             ".claude/settings.json": to_json, ".hermes/config.yaml": to_yaml}


@st.composite
def hostile_configs(draw) -> tuple[str, bytes, tuple[str, ...]]:
    name = draw(st.sampled_from(sorted(DIALECT_DATA)))
    family, strategy = DIALECT_DATA[name]
    data = draw(strategy)
    args: list[str] = []
    for var in draw(st.lists(st.sampled_from(ENV_VARS[family]), max_size=3, unique=True)):
        args += ["--env", f"{var}={draw(st.one_of(st.sampled_from(ENV_STRINGS), st.sampled_from(MODEL_IDS)))}"]
    if draw(st.booleans()):
        args += ["--target", draw(st.sampled_from(TARGETS[name]))]
    return name, SERIALISE[name](data).encode("utf-8"), tuple(args)


@fuzz()
@given(config=hostile_configs(), other=st.sampled_from([()] + [(f,) for f in _formats()]))
def test_cli_on_hostile_values(run_cli, workdir, config, other):
    name, data, args = config
    path = write_file(workdir / "hostile", name, data)
    assert_well_behaved(run_cli, path, data, name, args, other)


@pytest.mark.parametrize("source", EXAMPLE_FILES, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_cli_on_the_unmodified_examples(run_cli, source):
    name, data = _recognised_name(source), source.read_bytes()
    assert_well_behaved(run_cli, source, data, name, extra_formats=tuple(_formats()))


@fuzz(0.5)
@given(sample=mutated_examples())
def test_stdin_is_linted_like_the_file(run_cli, workdir, sample):
    """`-` with --stdin-filename reads the same bytes through another path: same findings.
    (Not yet for a TOML file told by its content: see test_stdin_toml_is_told_by_its_content.)"""
    name, data = sample
    assume(NAMES[name] != "sniffed")
    path = write_file(workdir / "stdin", name, data)
    from_file = run_cli.check("--output-format", "json", str(path))
    from_stdin = run_cli.check("--output-format", "json", "--stdin-filename", str(path), "-", input=data)
    assert_clean_stderr(from_stdin)
    assert from_stdin.exit_code == from_file.exit_code
    assert from_stdin.stdout == from_file.stdout


# cfglint's own settings and --env-file: the other files a run reads.

SETTINGS_SEED = b"""\
select = ["SYN", "SCH", "CMP"]
extend-select = ["REG"]
ignore = ["SCH003"]
fail-on = "warning"
exclude = ["vendor/**"]

[per-file-ignores]
"**/kilo.jsonc" = ["SCH002"]

[severity]
SCH001 = "info"

[targets]
kimi-code = "0.16.0"
"""
SETTINGS_NAMES = ["cfglint.toml", ".cfglint.toml", "pyproject.toml"]


@st.composite
def settings_files(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(SETTINGS_NAMES))
    if draw(st.booleans()):
        data = draw(ARBITRARY_BYTES)
    else:
        data = bytearray(SETTINGS_SEED)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data)))
            if draw(st.booleans()):
                del data[at: at + draw(st.integers(1, 20))]
            else:
                data[at:at] = draw(st.sampled_from(TOKENS + [b"SCH", b"XYZ999", b'"**"', b'"["', b"kilo@1"]))
        data = bytes(data)
    if name == "pyproject.toml" and draw(st.booleans()):
        data = b"[tool.cfglint]\n" + data.replace(b"\n[", b"\n[tool.cfglint.")
    return name, data


def assert_usage_outcome(run: Run) -> None:
    """Findings (exit 0/1) or a one-line usage error (exit 2) naming the culprit."""
    assert run.exit_code in (0, 1, 2), run
    assert_clean_stderr(run, max_lines=None)  # (a quoted key may hold a line break: see above)
    if run.exit_code == 2:
        assert run.stdout == "" and run.stderr.startswith("cfglint: "), run
    else:
        assert isinstance(strict_json(run.stdout), list)


@fuzz(0.5)
@given(settings_file=settings_files())
def test_cli_on_arbitrary_settings_files(run_cli, workdir, settings_file):
    name, data = settings_file
    root = workdir / "settings" / name.strip(".").replace(".", "-")
    shutil.rmtree(root, ignore_errors=True)
    write_file(root, name, data)
    config = write_file(root, "kilo.jsonc", (EXAMPLES / "kilo" / "bad" / "kilo.jsonc").read_bytes())
    run = run_cli.check("--output-format", "json", str(config))
    _note(f"check: {run}")
    assert_usage_outcome(run)
    explicit = run_cli.check("--output-format", "json", "--config", str(root / name), str(config))
    assert_usage_outcome(explicit)


@fuzz(0.5)
@given(data=st.one_of(ARBITRARY_BYTES, st.lists(st.sampled_from(
    [b"X=1\n", b"export X='{'\n", b'X="\n', b"# c\n", b"X\n", b"=\n", b"X=1 # c\n", b" X = a b \n",
     b"\r\n", b"\xff", b"\x00", BOM]), max_size=8).map(b"".join)))
def test_cli_on_arbitrary_env_files(run_cli, workdir, data):
    env_file = write_file(workdir / "envfile", "launch.env", data)
    config = write_file(workdir / "envfile", "kilo.jsonc", b'{"compaction": {"reserved": {env:X}}, "model": "{env:X}"}')
    for command in (("check", "--output-format", "json"), ("explain", "--format", "json", "--no-env")):
        run = run_cli(*command, "--env-file", str(env_file), str(config))
        _note(f"{command[0]}: {run}")
        assert run.exit_code in (0, 1, 2), run
        assert_clean_stderr(run, max_lines=None)
        if run.exit_code != 2:
            strict_json(run.stdout)


# --------------------------------------------------------------------------------------
# Found by these tests: regression tests for the bugs since fixed, strict xfails for the
# ones not fixed yet (remove the marker, and its KNOWN_INTERNAL_ERRORS entry, once fixed).

@pytest.mark.parametrize("name, data", [
    ("kilo.json", b'{"\\ud800": 1}'),
    (".claude/settings.json", b'{"model": "\\udfff"}'),
    (".hermes/config.yaml", b'"\\ud800": 1\n'),
])
def test_lone_surrogate_escape_is_reported(run_cli, workdir, name, data):
    path = write_file(workdir / "surrogate", name, data)
    assert_well_behaved(run_cli, path, data, name)


KIMI_RATIO = b"""default_model = "m"
[providers.p]
type = "kimi"
[models.m]
provider = "p"
model = "kimi-k2"
max_context_size = 1000
[loop_control]
compaction_trigger_ratio = %s
"""


@pytest.mark.parametrize("ratio", [b"inf", b"nan", b"-inf"])
def test_kimi_non_finite_ratio_is_a_finding(run_cli, workdir, ratio):
    path = write_file(workdir / "kimi-ratio", ".kimi-code/config.toml", KIMI_RATIO % ratio)
    assert_well_behaved(run_cli, path, KIMI_RATIO % ratio, ".kimi-code/config.toml")


@pytest.mark.parametrize("key", [b"2024-01-01", b"!!binary aGk=", b"2024-01-01T00:00:00Z"])
def test_non_string_yaml_keys_in_json_output(run_cli, workdir, key):
    data = b"? " + key + b"\n: 1\n"
    path = write_file(workdir / "yaml-keys", ".hermes/config.yaml", data)
    assert_well_behaved(run_cli, path, data, ".hermes/config.yaml")


@pytest.mark.parametrize("name, data", [
    (".claude/settings.json", b'{"env": {"CLAUDE_AUTOCOMPACT_PCT_OVERRIDE": "1e999"}}'),
])
def test_json_output_is_strict_json(run_cli, workdir, name, data):
    path = write_file(workdir / "non-finite", name, data)
    strict_json(run_cli.check("--output-format", "json", str(path)).stdout)


@pytest.mark.parametrize("value", ["1e999", "Infinity"])
def test_explain_json_is_strict_json(run_cli, workdir, value):
    path = write_file(workdir / "explain-non-finite", ".claude/settings.json", b"{}")
    result = run_cli("explain", "--format", "json", "--no-env", "--env", f"CLAUDE_AUTOCOMPACT_PCT_OVERRIDE={value}",
                     str(path))
    assert result.exit_code == 0
    strict_json(result.stdout)


@pytest.mark.parametrize("name, data", [
    ("kilo.json", b'{"a\\nb": 1}'),
    (".claude/settings.json", b'{"x\\r\\n::error file=a::forged": 1}'),
    (".kimi-code/config.toml", b'"a\\nb" = 1\n'),
    (".hermes/config.yaml", b'"a\\nb": 1\n'),
    # Kilo's `{env:...}` token runs to the next `}`, line breaks included, and the
    # SYN001 note quotes it: "(where {env:X\n  "a": 1} stands, ...)".
    ("kilo.jsonc", b'{{env:X\n  "a": 1}\n'),
])
def test_messages_are_one_line(run_cli, workdir, name, data):
    path = write_file(workdir / "line-break", name, data)
    result = run_cli.check(str(path))
    findings = strict_json(run_cli.check("--output-format", "json", str(path)).stdout)
    assert findings and result.stdout.count("\n") == len(findings) + 1, result.stdout


def test_settings_errors_are_one_line(run_cli, tmp_path):
    write_file(tmp_path, "cfglint.toml", b'"a\\nb" = 1\n')
    run = run_cli.check(str(write_file(tmp_path, "kilo.json", b"{}")))
    assert run.exit_code == 2
    assert_clean_stderr(run)


# Inputs that never end (a FIFO nobody writes to, /dev/zero): each case runs in a
# subprocess with an address-space cap, all at once. A process that opens one of the
# FIFOs gets an empty file at once (`_FifoWatch`), so that it does not block: whether it
# opened it is the outcome. The timeout only catches a hang.
NEVER_ENDING_TIMEOUT = 120.0
NEVER_ENDING = {
    # case: (check arguments, with {fifo}, {dir} and {config} filled in)
    "registry-dev-zero": ("--registry", "/dev/zero", "{config}"),
    "registry-fifo": ("--registry", "{fifo}", "{config}"),
    "env-file-dev-zero": ("--env-file", "/dev/zero", "{config}"),
    "config-dev-zero": ("--config", "/dev/zero", "{config}"),
    "walk-toml-fifo": ("{dir}",),
}


class _FifoWatch:
    """Notes whether a FIFO is opened for reading, and gives its readers an empty file.

    A thread opens the FIFO's write end, which blocks until some process opens it for
    reading (blocking or not), and closes it at once: the reader sees the end of the
    file instead of waiting forever for a writer. It does so again for as long as it
    runs (so a reader that opens the FIFO twice does not block either). `stop()` ends
    the thread by opening the FIFO itself, which is not noted.
    """

    def __init__(self, fifo: Path) -> None:
        self.fifo = fifo
        self.opened = False
        self._stopping = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            os.close(os.open(self.fifo, os.O_WRONLY))
            if self._stopping:
                return
            self.opened = True

    def stop(self) -> None:
        self._stopping = True
        reader = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
        try:
            self._thread.join()
        finally:
            os.close(reader)


@pytest.fixture(scope="module")
def never_ending_outcomes(tmp_path_factory) -> dict[str, tuple]:
    """case -> (exit code or "timeout", stdout, stderr, whether it opened a FIFO)."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (512 * MIB, 512 * MIB))

    root = tmp_path_factory.mktemp("never-ending")
    fifo = root / "overlay.toml"
    os.mkfifo(fifo)
    walked = root / "walked"
    walked.mkdir()
    os.mkfifo(walked / "team.toml")  # a TOML outside .kimi*/ is sniffed by content
    config = write_file(root, "kilo.json", b"{}")
    env = {**os.environ, "PYTHONPATH": str(REPO), "CFGLINT_CACHE_DIR": str(root / "cache")}
    outcomes = {}
    for case, args in NEVER_ENDING.items():  # one at a time: each FIFO watch is per case
        watches = [_FifoWatch(path) for path in (fifo, walked / "team.toml")]
        args = [a.format(fifo=fifo, dir=walked, config=config) for a in args]
        proc = subprocess.Popen([sys.executable, "-m", "cfglint", "check", "--output-format", "json", *args],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=cap)
        try:
            stdout, stderr = proc.communicate(timeout=NEVER_ENDING_TIMEOUT)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
            code = "timeout"
        for watch in watches:
            watch.stop()
        outcomes[case] = (code, stdout.decode(errors="replace"), stderr.decode(errors="replace"),
                          any(watch.opened for watch in watches))
    return outcomes


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"), reason="POSIX only")
@pytest.mark.parametrize("case", sorted(NEVER_ENDING))
def test_inputs_that_never_end_are_refused(never_ending_outcomes, case):
    """A usage error (exit 2, one line) for the auxiliary files; SYN004 or a skip for the walk."""
    code, stdout, stderr, opened_fifo = never_ending_outcomes[case]
    assert code != "timeout", f"{case}: still running after {NEVER_ENDING_TIMEOUT} s"
    assert not opened_fifo, f"{case}: opened a FIFO (without a writer, it would block there forever)"
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    if case.startswith("walk"):
        assert code in (0, 1) and all(f["code"] == "SYN004" for f in strict_json(stdout)), (code, stdout)
    else:
        assert code == 2 and stderr.startswith("cfglint: ") and stderr.count("\n") == 1, (code, stderr)


@pytest.mark.parametrize("name", [".claude/settings.json", ".claude/settings.local.json", "managed-settings.json"])
def test_stdin_claude_settings_are_linted(run_cli, workdir, name):
    """Found here (internal error: ClaudeCode.layer_rank on the path `<cwd>/-`), fixed in engine."""
    result = run_cli.check("--output-format", "json", "--stdin-filename", name, "-", input=b"{}")
    assert_clean_stderr(result)
    assert result.exit_code == 0 and strict_json(result.stdout) == []


def test_stdin_toml_is_told_by_its_content(run_cli, workdir):
    from samples import GLM_5_2  # a Kimi Code config: `[models.*]` with max_context_size

    data = GLM_5_2.encode()
    path = write_file(workdir / "stdin-sniffed", "team.toml", data)
    from_file = run_cli.check("--output-format", "json", str(path))
    from_stdin = run_cli.check("--output-format", "json", "--stdin-filename", str(path), "-", input=data)
    assert from_file.stderr == "" and from_file.stdout != "[]\n"
    assert (from_stdin.exit_code, from_stdin.stdout, from_stdin.stderr) == \
        (from_file.exit_code, from_file.stdout, from_file.stderr)


# --------------------------------------------------------------------------------------
# 2. The limits

MIB = 1024 * 1024
# A generous bound against unbounded behaviour, in Python calls (`work_budget`): the
# runs below make from a few thousand to a few hundred thousand.
CHECK_CALLS = 5_000_000


def bounded(run_cli: Cli, *args: str, input: bytes | None = None,
            memory_mib: float | None = None) -> tuple[Run, list]:
    """Run `check --output-format json ARGS` within CHECK_CALLS Python calls (and traced
    memory when given)."""
    if memory_mib is not None:
        tracemalloc.start()
    try:
        with work_budget(CHECK_CALLS):
            result = run_cli.check("--output-format", "json", *args, input=input)
        if memory_mib is not None:
            _, peak = tracemalloc.get_traced_memory()
            assert peak < memory_mib * MIB, f"peak traced memory {peak / MIB:.1f} MiB"
    finally:
        if memory_mib is not None:
            tracemalloc.stop()
    assert_clean_stderr(result)
    return result, strict_json(result.stdout) if result.stdout else []


def codes(findings: list) -> list[str]:
    return [f["code"] for f in findings]


@pytest.mark.parametrize("name", RECOGNISED)
def test_file_over_10_mib_is_syn004_without_reading_it(run_cli, tmp_path, name):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:  # sparse: no 10 MiB of real data is written
        handle.truncate(10 * MIB + 1)
    result, findings = bounded(run_cli, str(path), memory_mib=16)
    assert result.exit_code == 1
    assert codes(findings) == ["SYN004"] and "limit" in findings[0]["message"]
    assert (findings[0]["line"], findings[0]["column"]) == (1, 1)


def test_stdin_over_10_mib_is_syn004(run_cli):
    data = b'{"a": "' + b"x" * (10 * MIB) + b'"}'
    result, findings = bounded(run_cli, "--stdin-filename", "kilo.json", "-", input=data)
    assert result.exit_code == 1
    assert codes(findings) == ["SYN004"] and "limit" in findings[0]["message"]


def test_file_of_exactly_10_mib_is_read(run_cli, tmp_path):
    """The limit is 'over 10 MiB': a file of exactly 10 MiB is linted (mostly blanks)."""
    body = b'{"compation": 1,'
    path = write_file(tmp_path, "kilo.jsonc", body + b" " * (10 * MIB - len(body) - 1) + b"}")
    assert path.stat().st_size == 10 * MIB
    result, findings = bounded(run_cli, str(path))
    assert codes(findings) == ["SCH002"] and result.exit_code == 1


# Worst cases found for files under the limit, and their time on the development
# machine (Nov 2026, 2 shared cores): linear, but seconds. Long profile only; the bound
# (Python calls per byte) guards against anything worse than linear, not a performance target.
SLOW_10_MIB = {
    "json-5m-numbers": (".claude/settings.json", b'{"a": [' + b"1," * (5 * MIB - 8) + b"1]}"),  # ~32 s
    "yaml-blank-lines": (".hermes/config.yaml", b"model:\n  default: x\n" + b"\n" * (10 * MIB - 30)),  # ~22 s
    "yaml-long-string": (".hermes/config.yaml", b'a: "' + b"x" * (10 * MIB - 10) + b'"\n'),  # ~8 s
    "toml-blank-lines": (".kimi-code/config.toml", b"\n" * (10 * MIB)),  # ~1 s
    # Not near 10 MiB, but the slowest found per byte: a Kilo file that fails JSONC at a
    # JSON5-only construct goes through the `json5` package (SYN002 check) when it is at
    # most JSON5_CHECK_LIMIT (256 KiB) long; json5 spends ~0.1 ms per byte on arrays.
    "jsonc-json5-check": ("kilo.jsonc", b"{'a': [" + b"1," * (128 * 1024 - 8) + b"1]}"),  # ~25-45 s
}
# Linear in the size: Python calls per byte (the json5 package makes ~370, the YAML
# parser ~7 on blank lines, the others ~1 or fewer).
SLOW_10_MIB_CALLS_PER_BYTE = 1_000


@pytest.mark.skipif(not _LONG, reason="long profile only (HYPOTHESIS_PROFILE=long)")
@pytest.mark.parametrize("case", sorted(SLOW_10_MIB))
def test_files_just_under_the_limit_finish(run_cli, tmp_path, case):
    name, data = SLOW_10_MIB[case]
    assert len(data) <= 10 * MIB
    with work_budget(SLOW_10_MIB_CALLS_PER_BYTE * len(data)):
        result = run_cli.check("--output-format", "json", str(write_file(tmp_path, name, data)))
    assert result.exit_code in (0, 1) and "SYN004" not in result.stdout


DEPTH = 100_000
DEEP_INPUTS = {
    # name -> (bytes, parser family)
    "json-array": ("kilo.json", b"[" * DEPTH),
    "json-array-closed": ("kilo.json", b"[" * DEPTH + b"]" * DEPTH),
    "json-object": ("kilo.json", b'{"a":' * DEPTH + b"1" + b"}" * DEPTH),
    "jsonc-comments": ("kilo.jsonc", b"[/**/" * DEPTH),
    "jsonc-env": ("kilo.jsonc", b'{"a":' * DEPTH + b"{env:X}" + b"}" * DEPTH),
    "strict-json-array": (".claude/settings.json", b"[" * DEPTH + b"]" * DEPTH),
    "strict-json-object": (".claude/settings.json", b'{"a":' * DEPTH + b"1" + b"}" * DEPTH),
    "toml-array": (".kimi-code/config.toml", b"a = " + b"[" * DEPTH + b"]" * DEPTH),
    "toml-array-open": (".kimi-code/config.toml", b"a = " + b"[" * DEPTH),
    "toml-inline-table": (".kimi/config.toml", b"a = " + b"{b = " * DEPTH + b"1" + b"}" * DEPTH),
    "toml-dotted-key": (".kimi-code/config.toml", b"a" + b".a" * DEPTH + b" = 1\n"),
    "toml-header": (".kimi-code/config.toml", b"[a" + b".a" * DEPTH + b"]\n"),
    "toml-array-of-tables": (".kimi-code/config.toml", b"[[a" + b".a" * DEPTH + b"]]\n"),
    "yaml-flow-sequence": (".hermes/config.yaml", b"[" * DEPTH + b"]" * DEPTH),
    "yaml-flow-mapping": (".hermes/config.yaml", b"{a: " * DEPTH + b"1" + b"}" * DEPTH),
    "yaml-flow-open": (".hermes/config.yaml", b"a: " + b"[" * DEPTH),
    "yaml-block-sequence": (".hermes/config.yaml", b"- " * DEPTH + b"x\n"),
    "yaml-block-mapping": (".hermes/config.yaml", b"".join(b"  " * i + b"a:\n" for i in range(2_000))),
}


@pytest.mark.parametrize("case", sorted(DEEP_INPUTS))
def test_deep_nesting_is_syn004(run_cli, tmp_path, case):
    name, data = DEEP_INPUTS[case]
    path = write_file(tmp_path, name, data)
    result, findings = bounded(run_cli, "--env", "X=1", str(path), memory_mib=200)
    assert result.exit_code == 1
    assert codes(findings) == ["SYN004"], findings
    assert "nesting deeper than 256 levels" in findings[0]["message"]
    text = decoded(data)
    assert_positions_inside(findings, text)
    explained = run_cli("explain", "--format", "json", "--no-env", str(path))
    assert explained.exit_code == 0 and "does not parse" in explained.stderr


# Documents with `n` nested collections counting the top-level table/object/mapping.
NESTED = {
    "kilo.json": lambda n: b'{"a":' * n + b"1" + b"}" * n,
    ".claude/settings.json": lambda n: b'{"a":' + b"[" * (n - 1) + b"]" * (n - 1) + b"}",
    ".kimi-code/config.toml": lambda n: b"a = " + b"[" * (n - 1) + b"]" * (n - 1),
    ".kimi/config.toml": lambda n: b"[a" + b".a" * (n - 2) + b"]\n",
    ".hermes/config.yaml": lambda n: b"{a: " * n + b"1" + b"}" * n,
}


@pytest.mark.parametrize("name", sorted(NESTED))
def test_nesting_around_the_limit(run_cli, tmp_path, name):
    """256 levels (with the top level) are accepted, 258 are SYN004, in every dialect."""
    _, findings = bounded(run_cli, str(write_file(tmp_path, name, NESTED[name](256))))
    assert "SYN004" not in codes(findings), findings
    _, findings = bounded(run_cli, str(write_file(tmp_path, name, NESTED[name](258))))
    assert codes(findings) == ["SYN004"], findings


_TOML_OFF_BY_ONE = pytest.mark.xfail(
    strict=True, reason="off by one between dialects: JSON, JSONC and YAML reject 257 levels counting the "
                        "top level, TOML accepts them (it counts 256 levels below its root table)")


@pytest.mark.parametrize("name", [pytest.param(name, marks=[_TOML_OFF_BY_ONE] if NAMES[name] == "toml" else [])
                                  for name in sorted(NESTED)])
def test_nesting_limit_is_the_same_in_every_dialect(run_cli, tmp_path, name):
    _, findings = bounded(run_cli, str(write_file(tmp_path, name, NESTED[name](257))))
    assert codes(findings) == ["SYN004"], findings


def _billion_laughs(levels: int = 9, width: int = 9) -> bytes:
    lines = [b'a0: &a0 "lol"']
    for i in range(1, levels + 1):
        refs = b", ".join(b"*a%d" % (i - 1) for _ in range(width))
        lines.append(b"a%d: &a%d [%s]" % (i, i, refs))
    return b"\n".join(lines) + b"\n"


YAML_BOMBS = {
    "billion-laughs": _billion_laughs(),
    "billion-laughs-flow": b"{" + _billion_laughs().replace(b"\n", b", ").rstrip(b", ") + b"}",
    # Few aliases, each to a big node: the node count after expansion is the limit.
    "quadratic": b"a: &a [" + b", ".join([b"x"] * 5_000) + b"]\nb: [" + b", ".join([b"*a"] * 50) + b"]\n",
    "many-aliases": b"a: &a x\nb: [" + b", ".join([b"*a"] * 1_000) + b"]\n",
    "merge-keys": b"a0: &a0 {k: 1}\n" + b"".join(b"a%d: &a%d {<<: *a%d, k%d: 1}\n" % (i, i, i - 1, i)
                                                  for i in range(1, 150)),
    "deep-by-alias": b"a0: &a0 [x]\n" + b"".join(b"a%d: &a%d [*a%d]\n" % (i, i, i - 1) for i in range(1, 300)),
    "recursive": b"a: &a [*a]\n",
    "recursive-mapping": b"a: &a {b: *a}\n",
}


@pytest.mark.parametrize("case", sorted(YAML_BOMBS))
def test_yaml_alias_bombs_are_syn004_in_bounded_work_and_memory(run_cli, tmp_path, case):
    path = write_file(tmp_path, ".hermes/config.yaml", YAML_BOMBS[case])
    result, findings = bounded(run_cli, str(path), memory_mib=100)
    assert result.exit_code == 1
    assert codes(findings) == ["SYN004"], findings
    assert findings[0]["line"] >= 1
    assert re.search(r"alias|nesting|nodes", findings[0]["message"]), findings[0]["message"]


def test_aliases_within_the_limits_are_accepted(run_cli, tmp_path):
    data = b"model: &m\n  default: claude-sonnet-4-5\n  provider: anthropic\nauxiliary:\n  compression: *m\n"
    _, findings = bounded(run_cli, str(write_file(tmp_path, ".hermes/config.yaml", data)))
    assert "SYN004" not in codes(findings)


INVALID_UTF8 = {
    "latin-1": b"caf\xe9",
    "lone-continuation": b"\x80",
    "truncated": b"\xe2\x82",
    "overlong": b"\xc0\xaf",
    "surrogate": b"\xed\xa0\x80",
    "above-u10ffff": b"\xf4\x90\x80\x80",
    "utf-16": "{}".encode("utf-16"),
}


@pytest.mark.parametrize("name", RECOGNISED)
@pytest.mark.parametrize("case", sorted(INVALID_UTF8))
def test_invalid_utf8_is_syn004(run_cli, tmp_path, name, case):
    bad = INVALID_UTF8[case]
    data = bad if case == "utf-16" else b"{}\n# " + bad + b"\n"
    result, findings = bounded(run_cli, str(write_file(tmp_path, name, data)))
    assert result.exit_code == 1
    assert codes(findings) == ["SYN004"], findings
    assert "UTF-8" in findings[0]["message"] or "NUL" in findings[0]["message"]


@pytest.mark.parametrize("name", RECOGNISED)
def test_nul_byte_is_syn004(run_cli, tmp_path, name):
    result, findings = bounded(run_cli, str(write_file(tmp_path, name, b"{}\x00")))
    assert result.exit_code == 1 and codes(findings) == ["SYN004"]


# One finding per dialect, and where it is without a BOM.
BOM_CASES = {
    "kilo.jsonc": (b'{\n  // x\n  "compation": 1\n}\n', ("SCH002", 3, 3)),
    ".claude/settings.json": (b'{"statusline": 1}', ("SCH002", 1, 2)),
    ".kimi-code/config.toml": (b"[loop_control]\ncompaction_trigger_ratio = 1.5\n", ("SCH001", 2, 28)),
    ".kimi/config.toml": (b"[loop_control]\nreserved_context_size = 500\n", ("SCH001", 2, 25)),
    ".hermes/config.yaml": (b"compression:\n  threshold: 75\n", ("SCH001", 2, 14)),
}


@pytest.mark.parametrize("name", sorted(BOM_CASES))
@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
def test_bom_does_not_shift_positions(run_cli, tmp_path, name, newline):
    body, expected = BOM_CASES[name]
    body = body.replace(b"\n", newline)
    if newline == b"\r" and NAMES[name] == "toml":
        expected = ("SYN001", 1, 15)  # TOML has no CR-only line break: the end of the header
    _, plain = bounded(run_cli, str(write_file(tmp_path / "plain", name, body)))
    _, with_bom = bounded(run_cli, str(write_file(tmp_path / "bom", name, BOM + body)))
    assert expected in [(f["code"], f["line"], f["column"]) for f in plain], plain
    strip = [{k: v for k, v in f.items() if k != "path"} for f in plain]
    assert [{k: v for k, v in f.items() if k != "path"} for f in with_bom] == strip


EMPTY_OUTCOME = {"jsonc": ["SYN001"], "json": ["SYN001"], "toml": [], "yaml": []}


@pytest.mark.parametrize("name", RECOGNISED)
@pytest.mark.parametrize("content", [b"", BOM, b"\n\n", b"  \r\n \n"], ids=["empty", "bom-only", "blank", "spaces"])
def test_empty_files(run_cli, tmp_path, name, content):
    """SYN001 for JSON and JSONC (the harnesses reject them); an empty document for TOML/YAML."""
    result, findings = bounded(run_cli, str(write_file(tmp_path, name, content)))
    assert codes(findings) == EMPTY_OUTCOME[NAMES[name]]
    assert result.exit_code == (1 if findings else 0)
    for f in findings:
        assert f["line"] >= 1 and f["column"] >= 1


def test_comment_only_files(run_cli, tmp_path):
    _, findings = bounded(run_cli, str(write_file(tmp_path, "kilo.jsonc", b"// nothing\n/* here */\n")))
    assert codes(findings) == ["SYN001"]
    for name in (".kimi-code/config.toml", ".hermes/config.yaml"):
        result, findings = bounded(run_cli, str(write_file(tmp_path, name, b"# nothing here\n")))
        assert findings == [] and result.exit_code == 0


def _subprocess_check(*args: str, cwd: Path = REPO, seed: str = "0", cache: Path | None = None,
                      timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PYTHONHASHSEED")}
    env.update(PYTHONHASHSEED=seed, PYTHONPATH=str(REPO),
               CFGLINT_CACHE_DIR=str(cache or Path(tempfile.mkdtemp(prefix="cfglint-cache-"))))
    return subprocess.run([sys.executable, "-m", "cfglint", *args], cwd=cwd, env=env, capture_output=True,
                          timeout=timeout)


def _special_file_finding(run_cli: Cli, path: str, *extra: str) -> None:
    """A special file is SYN004 with exit 1; checked in a subprocess (with a timeout that
    only catches a hang) so a regression that opens and blocks on it fails the test
    instead of hanging the run."""
    proc = _subprocess_check("check", "--output-format", "json", *extra, path, timeout=120)
    assert proc.returncode == 1, proc
    findings = strict_json(proc.stdout.decode())
    assert codes(findings) == ["SYN004"], findings
    assert proc.stderr == b""
    # In-process too, with the json/text/explain properties.
    result, findings = bounded(run_cli, *extra, path)
    assert result.exit_code == 1 and codes(findings) == ["SYN004"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("name", ["kilo.json", ".hermes/config.yaml", ".kimi-code/config.toml"])
def test_fifo_is_syn004_without_blocking(run_cli, tmp_path, name):
    fifo = tmp_path / name
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    _special_file_finding(run_cli, str(fifo))


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_dev_null_given_explicitly_is_syn004(run_cli):
    _special_file_finding(run_cli, "/dev/null", "--dialect", "kilo")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero", "/dev/urandom"])
def test_symlink_to_a_device_named_like_a_config_is_syn004(run_cli, tmp_path, device):
    """/dev/zero and /dev/urandom never end: reading them would not be bounded."""
    link = tmp_path / ".claude" / "settings.json"
    link.parent.mkdir()
    link.symlink_to(device)
    _special_file_finding(run_cli, str(link))


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
def test_socket_named_like_a_config_is_syn004(run_cli):
    directory = Path(tempfile.mkdtemp(prefix="cfglint-sock-"))  # short: socket paths are limited
    try:
        path = directory / "kilo.json"
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(path))
            _special_file_finding(run_cli, str(path))
        finally:
            server.close()
    finally:
        shutil.rmtree(directory)


@pytest.mark.parametrize("name", RECOGNISED)
def test_directory_named_like_a_config_is_syn004(run_cli, tmp_path, name):
    (tmp_path / name).mkdir(parents=True)
    for path in (tmp_path / name, tmp_path):  # named explicitly, then found by the walk
        result, findings = bounded(run_cli, str(path))
        assert result.exit_code == 1, (path, result)
        assert codes(findings) == ["SYN004"] and "directory" in findings[0]["message"]


def test_special_files_found_by_the_walk_are_syn004(run_cli, tmp_path):
    """A FIFO in the tree is SYN004; a link out of the tree (to a device) is not followed."""
    os.mkfifo(tmp_path / "kilo.json")
    (tmp_path / ".hermes").mkdir()
    (tmp_path / ".hermes" / "config.yaml").symlink_to("/dev/zero")
    result = run_cli.check("--output-format", "json", str(tmp_path))
    assert result.exit_code == 1
    assert codes(strict_json(result.stdout)) == ["SYN004"], result.stdout
    assert "config.yaml: skipped, a symbolic link out of" in result.stderr


def test_symlink_loop_is_a_one_line_error(run_cli, tmp_path):
    """A path that cannot be opened (ELOOP) is exit 2 with one line, like ENOENT."""
    link = tmp_path / "kilo.json"
    link.symlink_to(link)
    result = run_cli.check(str(link))
    assert result.exit_code == 2 and result.stdout == ""
    assert_clean_stderr(result)
    assert result.stderr.startswith("cfglint: ")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file_is_a_one_line_error(run_cli, tmp_path):
    path = write_file(tmp_path, "kilo.json", b"{}")
    path.chmod(0)
    result = run_cli.check(str(path))
    assert result.exit_code == 2 and "permission denied" in result.stderr
    assert_clean_stderr(result)


# --------------------------------------------------------------------------------------
# 3. Determinism

@fuzz(0.5)
@given(sample=mutated_examples())
def test_same_input_same_output(run_cli, workdir, sample):
    """Byte-identical output run after run: fresh caches, then a warm one."""
    name, data = sample
    path = write_file(workdir / "determinism", name, data)
    for args in (("--output-format", "json"), ("--show-source",)):
        with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
            runs = [run_cli("check", *args, str(path), cache_dir=Path(one)),
                    run_cli("check", *args, str(path), cache_dir=Path(two)),
                    run_cli("check", *args, str(path), cache_dir=Path(two))]  # warm cache, if any
        assert len({(r.exit_code, r.stdout, r.stderr) for r in runs}) == 1, runs
    explained = [run_cli("explain", "--format", "json", "--no-env", str(path)) for _ in range(2)]
    assert explained[0] == explained[1]


EXAMPLE_ARGS = [p.relative_to(REPO).as_posix() for p in EXAMPLE_FILES]  # for runs in REPO


@pytest.fixture(scope="module")
def examples_output(run_cli) -> dict[str, Run]:
    """`check` on every example, in sorted order, per output format."""
    return {fmt: run_cli.check("--output-format", fmt, *map(str, EXAMPLE_FILES)) for fmt in ("json", "text")}


@fuzz(0.25)
@given(order=st.permutations([str(p) for p in EXAMPLE_FILES]))
def test_output_does_not_depend_on_path_order(run_cli, examples_output, order):
    for fmt, reference in examples_output.items():
        assert reference.exit_code == 1 and reference.stdout
        shuffled = run_cli.check("--output-format", fmt, *order)
        assert shuffled == Run(shuffled.args, reference.exit_code, reference.stdout, reference.stderr)


@pytest.fixture
def at_repo(monkeypatch):
    monkeypatch.chdir(REPO)


def test_directory_and_file_list_give_the_same_output(run_cli, at_repo):
    by_files = run_cli.check("--output-format", "json", *EXAMPLE_ARGS)
    by_dir = run_cli.check("--output-format", "json", "examples")
    assert by_files.stdout == by_dir.stdout and by_files.exit_code == by_dir.exit_code


HASH_SEEDS = ["0", "1", "4242"]
SUBPROCESS_RUNS = {
    "check-json": ("check", "--output-format", "json", "examples"),
    "check-text": ("check", "--show-source", "examples"),
    "explain-json": ("explain", "--format", "json", "--no-env", *EXAMPLE_ARGS),
}


@pytest.mark.parametrize("command", sorted(SUBPROCESS_RUNS))
def test_output_does_not_depend_on_the_hash_seed(command):
    outputs = {seed: _subprocess_check(*SUBPROCESS_RUNS[command], seed=seed) for seed in HASH_SEEDS}
    first = outputs[HASH_SEEDS[0]]
    assert first.returncode in (0, 1) and first.stdout, first
    for seed, proc in outputs.items():
        assert (proc.returncode, proc.stdout, proc.stderr) == (first.returncode, first.stdout, first.stderr), seed


def test_yaml_set_values_do_not_depend_on_the_hash_seed(tmp_path):
    path = write_file(tmp_path, ".hermes/config.yaml",
                      b"model: !!set {alpha, beta, gamma, delta}\ncompression:\n  threshold: !!set {x, y, z}\n")
    outputs = {_subprocess_check("check", "--output-format", "json", str(path), seed=seed).stdout
               for seed in ("0", "1", "2")}
    assert len(outputs) == 1
