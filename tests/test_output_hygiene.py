"""Issue 9, classes 6-8: what cfglint prints is safe whatever the repository holds.

Terminal escapes in source lines and file names are escaped in every format,
cold and from the cache; snippets are a bounded window of the line; a file
gets at most `MAX_FINDINGS_PER_FILE` findings and its rules stop there; a
broken cache entry is discarded and rewritten; output encodes in any locale;
usage errors are one line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cfglint
from cfglint.engine.check import MAX_FINDINGS_PER_FILE
from cfglint.core.finding import Finding, Severity
from cfglint.report.text import SNIPPET_WIDTH
from cfglint.core.text import Span

FORMATS = ("text", "json", "sarif", "github")
# Bytes that drive a terminal: an OSC 52 clipboard write, an OSC 8 link, an 8-bit CSI, a bidi override.
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
OSC8 = "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"
CSI8 = "\x9b31m"
BIDI = "\u202e"
UNPRINTABLE = ("\x1b", "\x07", "\x9b", "\x9d", BIDI, "\r")


def entries(tmp_path: Path) -> list[Path]:
    results = tmp_path / "cache" / "results"
    return sorted(p for p in results.rglob("*.json")) if results.exists() else []


def assert_printable(text: str) -> None:
    assert not [c for c in UNPRINTABLE if c in text], repr(text)


def run_module(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m cfglint ARGS` in a subprocess (the real `main()`, real stdout encoding)."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd), "CFGLINT_CACHE_DIR": str(cwd / ".cache"),
            "PYTHONPATH": str(Path(cfglint.__file__).parent.parent)}
    return subprocess.run([sys.executable, "-m", "cfglint", *args], cwd=cwd, env={**base, **(env or {})},
                          capture_output=True, timeout=60)


# --- class 6: terminal escapes -------------------------------------------------------------------


def test_printable_escapes_the_path_c1_controls_and_bidi_overrides():
    finding = Finding(f"a{OSC52}\nb.json", Span(1, 1, 1, 2), "SCH002", "unknown-key", Severity.WARNING,
                      f"key `{CSI8}{BIDI}x`", fix=f"{OSC8}", details={"key": f"{CSI8}\u2066"})
    printable = finding.printable()
    for text in (printable.path, printable.message, printable.fix, json.dumps(printable.details, ensure_ascii=False)):
        assert_printable(text)
        assert "\n" not in text
    assert printable.path == "a\\x1b]52;c;ZWNobyBwd25lZA==\\x07\\nb.json"
    assert printable.message == "key `\\x9b31m\\u202ex`"


def test_source_lines_with_escapes_are_escaped_in_snippets(cli, write, tmp_path):
    # Raw ESC is not valid JSON, so the file does not parse and its line is shown as is (masked).
    write("kilo.json", f'{{"theme": "{OSC52}{OSC8}{CSI8}{BIDI}"}}\n')
    result = cli("check", "--show-source", str(tmp_path / "kilo.json"))
    assert " | " in result.stdout  # a snippet is there
    assert_printable(result.stdout)
    assert "\\x1b]52;c;" in result.stdout and "\\x9b31m" in result.stdout and "\\u202e" in result.stdout


def test_caret_stays_under_the_span_after_escaping(cli, write, tmp_path):
    line = '{"theme": "\x9b\x9b\x85", "compation": 1}'
    write("kilo.json", line + "\n")
    result = cli("check", "--show-source", "--output-format", "text", str(tmp_path / "kilo.json"))
    text_lines = result.stdout.splitlines()
    finding = next(n for n, text in enumerate(text_lines) if " SCH002 " in text)
    source = finding + 2  # after the empty gutter line
    caret = text_lines[source + 1].index("^")
    assert text_lines[source][caret:].startswith('"compation"')
    assert text_lines[source + 1][caret:] == "^" * len('"compation"')


NAMES = {
    "esc": f"d{OSC52}{CSI8}",
    "newline": "d\nx/kilo.json:1:1: SEC001 [error] forged finding",
    "carriage-return": "d\rforged",
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", NAMES)
def test_file_names_with_control_characters_cannot_forge_output(cli, write, tmp_path, fmt, name):
    write(f"repo/{NAMES[name]}/kilo.json", '{"compation": 1, "lenght": 2}')
    cold = cli("check", "--output-format", fmt, "repo", cwd=tmp_path)
    cached = cli("check", "--output-format", fmt, "repo", cwd=tmp_path)
    assert len(entries(tmp_path)) == 1
    assert cold.stdout == cached.stdout and cold.exit_code == cached.exit_code == 1
    assert_printable(cold.stdout)
    lines = cold.stdout.splitlines()
    if fmt == "text":
        assert len(lines) == 2 + 2 and lines[-2].startswith("2 errors") and lines[-1].startswith("[*] 1 fixable")
    elif fmt == "github":
        assert len(lines) == 2 and all(line.startswith("::error file=repo/d") for line in lines)
    else:
        json.loads(cold.stdout)
        assert "\\u001b" not in cold.stdout  # JSON's own escape of ESC would still reach a viewer's terminal


def test_snippets_show_for_a_file_whose_name_is_escaped(cli, write, tmp_path):
    write(f"repo/d{OSC52}/kilo.json", '{"compation": 1}')
    result = cli("check", "--show-source", "repo", cwd=tmp_path)
    assert '1 | {"compation": 1}' in result.stdout
    assert_printable(result.stdout)


def test_findings_from_the_cache_go_through_the_printable_filter(cli, write, tmp_path):
    write("repo/kilo.json", '{"compation": 1}')
    cold = cli("check", "--output-format", "text", "repo", cwd=tmp_path)
    [entry] = entries(tmp_path)
    payload = json.loads(entry.read_text(encoding="utf-8"))
    payload["findings"][0]["message"] += f" {OSC52}{CSI8}\nforged.json:1:1: SEC001 [error] x"
    payload["findings"][0]["path"] += OSC8
    entry.write_text(json.dumps(payload), encoding="utf-8")
    cached = cli("check", "--output-format", "text", "repo", cwd=tmp_path)
    assert cached.exit_code == cold.exit_code == 1
    assert_printable(cached.stdout)
    assert len(cached.stdout.splitlines()) == len(cold.stdout.splitlines())


def test_notes_on_stderr_are_one_line_each(cli, write, tmp_path):
    write("odd\nname\x1b[2J.txt", "x = 1\n")
    result = cli("check", "odd\nname\x1b[2J.txt", cwd=tmp_path)
    assert_printable(result.stderr)
    assert all(line.startswith("cfglint: ") for line in result.stderr.splitlines())


# --- class 7: snippet width and findings per file -------------------------------------------------


def test_a_20000_letter_line_gives_a_bounded_snippet(cli, write, tmp_path):
    write("kilo.json", "x" * 20_000 + "\n")
    result = cli("check", "--show-source", str(tmp_path / "kilo.json"))
    assert result.exit_code == 1 and " | " in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) < SNIPPET_WIDTH + 20
    assert len(result.stdout) < 2_000


def test_a_one_line_file_prints_a_window_per_finding_and_masks_the_line_once(cli, write, tmp_path, monkeypatch):
    import cfglint.report.masking

    calls = []
    real = cfglint.report.masking.masked_line
    monkeypatch.setattr(cfglint.report.masking, "masked_line", lambda doc, line: calls.append(line) or real(doc, line))
    keys = ", ".join(f'"k{i}": {i}' for i in range(6_000))  # 67 KB on one line
    write("kilo.json", "{" + keys + "}")
    assert (tmp_path / "kilo.json").stat().st_size > 67_000
    result = cli("check", "--show-source", "--dialect", "kilo", str(tmp_path / "kilo.json"))
    findings = [line for line in result.stdout.splitlines() if " SCH002 " in line]
    assert len(findings) == MAX_FINDINGS_PER_FILE + 1
    assert len(result.stdout) < len(findings) * 4 * (SNIPPET_WIDTH + 300)  # was 300 MB
    assert calls == [1]
    windows = [line for line in result.stdout.splitlines() if line.startswith("1 | ")]
    assert all(line.startswith("1 | …") and line.endswith("…") for line in windows[10:-10])


def test_a_finding_far_into_a_long_line_has_its_caret_inside_the_window(cli, write, tmp_path):
    write("kilo.json", "{" + " " * 15_000 + '"compation": 1' + " " * 5_000 + "}")
    result = cli("check", "--show-source", str(tmp_path / "kilo.json"))
    lines = result.stdout.splitlines()
    source = next(n for n, text in enumerate(lines) if text.startswith("1 | "))
    caret = lines[source + 1].index("^")
    assert lines[source].startswith("1 | …") and lines[source].endswith("…")
    assert lines[source][caret:].startswith('"compation"')


def test_findings_per_file_are_capped_and_the_rules_stop(cli, write, tmp_path, monkeypatch):
    from cfglint.rules.context import FileContext

    made = []
    real = FileContext.finding
    monkeypatch.setattr(FileContext, "finding", lambda self, *a, **kw: made.append(1) or real(self, *a, **kw))
    write("config.toml", "".join(f"unknown_key_{i} = {i}\n" for i in range(20_000)))
    result = cli("check", "--no-cache", "--dialect", "kimi-code", "--output-format", "json",
                 str(tmp_path / "config.toml"))
    items = json.loads(result.stdout)
    assert len(items) == MAX_FINDINGS_PER_FILE + 1
    assert {item["code"] for item in items} == {"SCH002"}
    [notice] = [item for item in items if item["details"].get("findings_limit") == MAX_FINDINGS_PER_FILE]
    assert notice["message"].startswith(f"more than {MAX_FINDINGS_PER_FILE:,} findings in this file")
    assert notice["severity"] == "warning"  # the severity of the first finding left out
    assert len(made) <= MAX_FINDINGS_PER_FILE + 1  # was 20,000


def test_findings_the_settings_drop_do_not_count_against_the_cap(cli, write, tmp_path):
    """With `per-file-ignores` for one file's unknown keys, its other findings still show (the
    rule runs: another file keeps SCH002)."""
    write(".cfglint.toml", '[per-file-ignores]\n"generated/config.toml" = ["SCH002"]\n')
    keys = "".join(f"unknown_key_{i} = {i}\n" for i in range(MAX_FINDINGS_PER_FILE + 500))
    provider = '[providers.p]\ntype = "openai"\napi_key = "sk-proj-8fK2mQ9xLp3RtV7wZ1yB4nC6"\n'
    write("generated/config.toml", keys + provider)
    write("handwritten/config.toml", "unknown_key = 1\n")
    result = cli("check", "--no-cache", "--dialect", "kimi-code", "--output-format", "json",
                 str(tmp_path / "generated" / "config.toml"), str(tmp_path / "handwritten" / "config.toml"))
    items = json.loads(result.stdout)
    assert sorted((item["code"], Path(item["path"]).parent.name) for item in items) == [
        ("SCH002", "handwritten"), ("SEC001", "generated")], [item["message"] for item in items][:3]


def test_close_match_suggestions_are_only_searched_for_reported_keys(cli, write, tmp_path, monkeypatch):
    import cfglint.validation.validate

    searched = []
    real = cfglint.validation.validate._closest
    monkeypatch.setattr(cfglint.validation.validate, "_closest", lambda key, known: searched.append(key) or real(key, known))
    write("config.toml", "".join(f"unknown_key_{i} = {i}\n" for i in range(20_000)))
    cli("check", "--no-cache", "--dialect", "kimi-code", "--quiet", str(tmp_path / "config.toml"))
    assert 0 < len(searched) <= MAX_FINDINGS_PER_FILE + 1  # was 20,000


# --- class 8: cache entries -------------------------------------------------------------------------


def _break_findings(payload, change):
    change(payload["findings"][0])
    return payload


BROKEN_ENTRIES = {
    "truncated": lambda text: text[: len(text) // 2],
    "not-an-object": lambda text: "[1, 2]",
    "checked-a-string": lambda text: json.dumps({**json.loads(text), "checked": "1"}),
    "notes-not-pairs": lambda text: json.dumps({**json.loads(text), "notes": [1]}),
    "order-too-short": lambda text: json.dumps({**json.loads(text), "order": []}),
    "finding-missing-a-field": lambda text: json.dumps(_break_findings(json.loads(text), lambda f: f.pop("fix"))),
    "finding-line-a-string": lambda text: json.dumps(_break_findings(json.loads(text), lambda f: f.update(line="1"))),
    "finding-line-a-bool": lambda text: json.dumps(_break_findings(json.loads(text), lambda f: f.update(line=True))),
    "finding-unknown-code": lambda text: json.dumps(_break_findings(json.loads(text), lambda f: f.update(code="X1"))),
    "finding-bad-severity": lambda text: json.dumps(_break_findings(json.loads(text),
                                                                    lambda f: f.update(severity="fatal"))),
    "finding-details-a-list": lambda text: json.dumps(_break_findings(json.loads(text),
                                                                      lambda f: f.update(details=[]))),
    "deeply-nested": lambda text: "[" * 100_000 + "]" * 100_000,
    "not-utf8": lambda text: text.encode() + b"\xff",
}


@pytest.mark.parametrize("kind", BROKEN_ENTRIES)
def test_a_broken_cache_entry_is_discarded_and_rewritten(cli, write, tmp_path, kind):
    from cfglint.engine import cache

    write("repo/kilo.json", '{"compation": 1}')
    cold = cli("check", "--output-format", "json", "repo", cwd=tmp_path)
    [entry] = entries(tmp_path)
    broken = BROKEN_ENTRIES[kind](entry.read_text(encoding="utf-8"))
    entry.write_bytes(broken if isinstance(broken, bytes) else broken.encode("utf-8"))
    again = cli("check", "--output-format", "json", "repo", cwd=tmp_path)
    assert (again.exit_code, again.stdout, again.stderr) == (cold.exit_code, cold.stdout, cold.stderr)
    assert cache.load(entry.stem, 1, str(tmp_path / "cache")) is not None  # rewritten by the run


def test_a_cache_entry_above_the_size_limit_is_discarded(cli, write, tmp_path, monkeypatch):
    from cfglint.engine import cache

    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 64 * 1024)
    write("repo/kilo.json", '{"compation": 1}')
    cold = cli("check", "--output-format", "json", "repo", cwd=tmp_path)
    [entry] = entries(tmp_path)
    entry.write_text(entry.read_text(encoding="utf-8") + " " * cache.MAX_ENTRY_BYTES, encoding="utf-8")
    again = cli("check", "--output-format", "json", "repo", cwd=tmp_path)
    assert (again.exit_code, again.stdout) == (cold.exit_code, cold.stdout)
    assert entry.stat().st_size < 64 * 1024


def test_a_fifo_in_place_of_a_cache_entry_does_not_block(tmp_path):
    (tmp_path / "kilo.json").write_text('{"compation": 1}', encoding="utf-8")
    cold = run_module(["check", "kilo.json"], tmp_path)
    stored = sorted((tmp_path / ".cache" / "results").rglob("*.json"))
    assert len(stored) == 2  # the configuration's entry and the run's record (`engine.replay`)
    for entry in stored:
        entry.unlink()
        os.mkfifo(entry)
    again = run_module(["check", "kilo.json"], tmp_path)  # opening a FIFO to read would wait for a writer
    assert (again.returncode, again.stdout) == (cold.returncode, cold.stdout)
    assert all(entry.is_file() for entry in stored)


# --- class 8: output encoding -----------------------------------------------------------------------


def check_a_non_utf8_file_name(tmp_path: Path, output_format: str, encoding: str) -> str:
    """`check` of a directory whose name is not UTF-8, holding a key outside Latin-1, under the
    locale `encoding`: it fails on the findings (exit 1), without an error; its stdout, decoded."""
    directory = os.path.join(os.fsencode(tmp_path), b"d\xff\xe9-\xe4\xb8\xad")  # not UTF-8, then UTF-8 CJK
    os.mkdir(directory)
    with open(os.path.join(directory, b"kilo.json"), "w", encoding="utf-8") as handle:
        handle.write('{"compation": 1, "caf\\u00e9\\u4e2d\\ud83d\\ude00": 2}')
    result = run_module(["check", "--output-format", output_format, "."], tmp_path, {"PYTHONIOENCODING": encoding})
    stderr = result.stderr.decode(encoding)
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    return result.stdout.decode("latin-1" if encoding == "latin-1" else "utf-8")  # click writes UTF-8 for ASCII


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_any_locale_and_a_non_utf8_file_name_print_without_error(tmp_path, fmt, encoding):
    stdout = check_a_non_utf8_file_name(tmp_path, fmt, encoding)
    if fmt in ("json", "sarif"):
        parsed = json.loads(stdout)
        text = json.dumps(parsed, ensure_ascii=False)
        assert "caf\u00e9\u4e2d\U0001f600" in text  # the key itself, not a mangled escape
    else:
        assert "compation" in stdout and "d\\udcff\\udce9" in stdout


# --- class 8: usage errors --------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "command"), [
    (["check", "--bogus"], " check"),
    (["check", "--output-format", "yaml"], " check"),
    (["schema"], " schema"),
    (["registry", "show"], " registry show"),
    (["no-such-command"], ""),
])
def test_usage_errors_are_one_line(cli, args, command):
    result = cli(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("cfglint: ") and result.stderr.endswith(f"{command} --help`)\n")


def test_usage_errors_are_one_line_from_the_entry_point(tmp_path):
    result = run_module(["check", "--frobnicate"], tmp_path)
    assert result.returncode == 2
    assert result.stderr == b"cfglint: no such option '--frobnicate' (see `cfglint check --help`)\n"


def test_help_is_unchanged(cli):
    result = cli("check", "--help")
    assert result.exit_code == 0 and result.stdout.startswith("Usage: ")
    assert "check [OPTIONS] [PATHS]...\n\n  Lint config files" in result.stdout
    bare = cli()
    assert bare.exit_code == 2 and "Commands:" in bare.stderr + bare.stdout


def test_a_message_quoting_a_huge_value_is_cut_in_its_middle(tmp_path):
    """ENV001 quotes the variable's value: a 5,000-character one printed whole, on every finding."""
    settings = tmp_path / ".claude" / "settings.json"
    settings.parent.mkdir()
    settings.write_text('{"model": "claude-sonnet-4-5"}')
    value = "7" * 2_500 + "x" * 2_500
    result = run_module(["check", "--no-cache", "--output-format", "json", "--env",
                         f"CLAUDE_CODE_MAX_OUTPUT_TOKENS={value}", str(settings)], tmp_path)
    findings = json.loads(result.stdout)
    env001 = [f for f in findings if f["code"] == "ENV001"]
    assert env001, findings
    for finding in findings:
        assert len(finding["message"]) <= 2_000 and value not in finding["message"]
    assert "characters left out" in env001[0]["message"] and env001[0]["message"].startswith(
        "Claude Code"), env001[0]["message"][:200]


@pytest.mark.parametrize("args", [[], ["--output-format", "concise"]], ids=["plain", "with-an-option"])
def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path, args):
    """`cfglint check ... | head`: more output than a pipe holds, its reader gone after a few bytes.
    The run, its replay (`engine.replay`) and a run through click all exit 1 without a word, as
    click's standalone mode does; never a traceback or an "internal error"."""
    for i in range(300):
        (tmp_path / f"p{i:03d}").mkdir()
        (tmp_path / f"p{i:03d}" / "kilo.json").write_text('{"compation": 1, "x%d": 2}\n' % i, encoding="utf-8")
    names = [f"p{i:03d}/kilo.json" for i in range(300)]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "CFGLINT_CACHE_DIR": str(tmp_path / ".cache"),
           "PYTHONPATH": str(Path(cfglint.__file__).parent.parent)}
    whole = subprocess.run([sys.executable, "-m", "cfglint", "check", *args, *names], cwd=tmp_path, env=env,
                           capture_output=True, timeout=120)
    assert len(whole.stdout) > 64 * 1024  # more than a pipe holds (64 KiB on Linux): the writer meets the closed end
    for _ in ("first", "again (a replay without an option)"):
        process = subprocess.Popen([sys.executable, "-m", "cfglint", "check", *args, *names], cwd=tmp_path,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        process.stdout.read(10)
        process.stdout.close()
        stderr = process.stderr.read()
        assert process.wait(timeout=120) == 1
        assert stderr == b""
