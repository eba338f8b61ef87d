"""Suppressions like ruff: SUP001 for unused and unknown codes (RUF100), and `check --add-ignore`
(ruff's --add-noqa) to baseline a repository in one command."""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import REPO

EXAMPLES = REPO / "examples"

KIMI = """\
default_model = "kimi-k2"{line1}

[providers.moonshot]
type = "kimi"
base_url = "https://api.moonshot.ai/v1"
api_key = ""

[models.kimi-k2]
provider = "moonshot"
model = "kimi-k2-0905-preview"
max_context_size = 262144

[loop_control]
reserved_context_sise = 60000{line14}
"""


def check(cli, *args, cwd=None):
    return cli("check", "--no-cache", "--no-color", "--output-format", "concise", *args, cwd=cwd)


def codes_at(stdout: str) -> list[str]:
    """`path:line:col CODE` of each finding of a concise output."""
    return [" ".join(line.split()[:2]) for line in stdout.splitlines() if line.count(":") >= 3]


def kimi(write, line1="", line14=""):
    return write("config.toml", KIMI.format(line1=line1, line14=line14))


def test_used_suppression_is_quiet_unused_and_unknown_fire(cli, write, tmp_path):
    kimi(write, line1="  # cfglint: ignore[SCH004, XYZ12]", line14="  # cfglint: ignore[SCH002]")
    result = check(cli, "--dialect", "kimi-code", str(tmp_path / "config.toml"))
    findings = [line for line in result.stdout.splitlines() if "SUP001" in line]
    assert len(findings) == 2, result.stdout
    unused, unknown = findings
    assert ":1:28: SUP001" in unused and "`SCH004` suppressed no finding here" in unused
    assert ":1:54: SUP001" in unknown and "`XYZ12`" in unknown and "not a cfglint rule code" in unknown
    assert "SCH002" not in result.stdout.replace("ignore[SCH002]", "")  # the used one suppresses


def test_a_comment_alone_covers_the_next_line_and_counts_as_used(cli, write, tmp_path):
    write("config.toml", KIMI.format(line1="", line14="").replace(
        "reserved_context_sise", "# cfglint: ignore[SCH002]\nreserved_context_sise"))
    result = check(cli, "--dialect", "kimi-code", str(tmp_path / "config.toml"))
    assert "SUP001" not in result.stdout and "SCH002" not in result.stdout


@pytest.mark.parametrize("args", [("--select", "SCH,SEC"), ("--ignore", "SUP001"), ("--ignore", "SUP")])
def test_sup001_runs_only_when_selected(cli, write, tmp_path, args):
    kimi(write, line1="  # cfglint: ignore[SEC001]")
    result = check(cli, "--dialect", "kimi-code", *args, str(tmp_path / "config.toml"))
    assert "SUP001" not in result.stdout


def test_a_code_the_run_does_not_check_is_not_unused(cli, write, tmp_path):
    """ruff's rule: unused means the code was enabled and produced nothing there."""
    kimi(write, line1="  # cfglint: ignore[SEC001, REG005]")
    path = str(tmp_path / "config.toml")
    assert "`SEC001`, `REG005`" in check(cli, "--dialect", "kimi-code", path).stdout
    only_sec = check(cli, "--dialect", "kimi-code", "--select", "SEC,SUP", path).stdout
    assert "`SEC001` suppressed no finding" in only_sec and "REG005" not in only_sec.replace("[SEC001, REG005]", "")
    ignored = check(cli, "--dialect", "kimi-code", "--ignore", "SEC,REG", path).stdout
    assert "SUP001" not in ignored


def test_per_file_ignores_make_a_code_not_unused(cli, write, tmp_path):
    kimi(write, line1="  # cfglint: ignore[SEC001]")
    write("cfglint.toml", '[per-file-ignores]\n"config.toml" = ["SEC001"]\n')
    result = check(cli, "--dialect", "kimi-code", str(tmp_path / "config.toml"), cwd=tmp_path)
    assert "SUP001" not in result.stdout


def test_sup001_can_be_suppressed(cli, write, tmp_path):
    kimi(write, line1="  # cfglint: ignore[SEC001, SUP001]")
    result = check(cli, "--dialect", "kimi-code", str(tmp_path / "config.toml"))
    assert "SUP001" not in result.stdout
    kimi(write, line1="  # cfglint: ignore[SEC001]", line14="\n# cfglint: ignore-file[SUP001]")
    assert "SUP001" not in check(cli, "--dialect", "kimi-code", str(tmp_path / "config.toml")).stdout


def test_unused_whole_file_suppression_and_broken_file(cli, write, tmp_path):
    kimi(write, line14="\n# cfglint: ignore-file[CMP]")
    result = check(cli, "--dialect", "kimi-code", str(tmp_path / "config.toml"))
    assert ":15:1: SUP001" in result.stdout and "`CMP` suppressed no finding in this file" in result.stdout
    # rules did not run on a file that does not parse: only unknown codes are reported
    write("config.toml", 'x = = 1  # cfglint: ignore[SCH002, NOPE1]\n')
    broken = check(cli, "--dialect", "kimi-code", str(tmp_path / "config.toml")).stdout
    assert "`NOPE1`" in broken and "`SCH002`" not in broken


def test_jsonc_and_yaml_comments(cli, write, tmp_path):
    write("kilo.jsonc", '{\n  "model": "anthropic/claude-sonnet-4-5" /* cfglint: ignore[SCH002] */\n}\n')
    write(".hermes/config.yaml", "model:\n  default: gpt-5  # cfglint: ignore[SCH001]\n  provider: openai\n")
    result = check(cli, str(tmp_path / "kilo.jsonc"), str(tmp_path / ".hermes" / "config.yaml"))
    assert "kilo.jsonc:2:42: SUP001" in result.stdout
    assert "config.yaml:2:19: SUP001" in result.stdout


# --add-ignore

@pytest.fixture
def repo(tmp_path):
    """The TOML, JSONC, YAML and strict-JSON examples, copied (their findings are the baseline)."""
    root = tmp_path / "repo"
    for name in ("kimi-code", "kilo", "hermes", "codex", "claude-code", "pi"):
        shutil.copytree(EXAMPLES / name, root / name)
    return root


def snapshot_of(root):
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_add_ignore_baselines_comment_files_and_leaves_strict_json(cli, repo):
    before = snapshot_of(repo)
    findings = codes_at(check(cli, str(repo), cwd=repo).stdout)
    strict = [f for f in findings if f.split(":")[0].endswith(".json")]
    assert strict and len(strict) < len(findings)
    result = cli("check", "--no-cache", "--add-ignore", str(repo), cwd=repo)
    assert result.exit_code == 0 and result.stdout == ""
    changed = [p for p, data in snapshot_of(repo).items() if before.get(p) != data]
    assert changed and all(p.suffix in (".toml", ".jsonc", ".yaml") for p in changed)
    assert not any(p.name.startswith(".cfglint-") for p in snapshot_of(repo))  # no temporary file left
    added = len({(f.rsplit(":", 1)[0], f.split()[1]) for f in findings if f not in strict})  # one per line and code
    assert f"cfglint: added {added:,} suppressions in {len(changed)} files" in result.stderr
    for path in {f.split(":")[0] for f in strict}:
        assert f"{path}: not edited (" in result.stderr and f'[per-file-ignores] "{path}"' in result.stderr
    after = check(cli, str(repo), cwd=repo)
    assert codes_at(after.stdout) == strict  # what is left: the files that cannot hold comments
    again = cli("check", "--no-cache", "--add-ignore", str(repo), cwd=repo)
    assert "added 0 suppressions in 0 files" in again.stderr  # idempotent
    assert snapshot_of(repo) == {**before, **{p: p.read_bytes() for p in changed}}


def test_add_ignore_merges_into_an_existing_comment_and_keeps_formatting(cli, write, tmp_path):
    path = write("config.toml", KIMI.format(line1="", line14="  # keep me  cfglint: ignore[SEC001]")
                 .replace("\n", "\r\n"))
    result = cli("check", "--no-cache", "--dialect", "kimi-code", "--add-ignore", str(path))
    assert "added 2 suppressions in 1 file" in result.stderr
    text = path.read_bytes().decode()
    # SCH002 for the typo, SUP001 for the SEC001 that suppresses nothing: the baseline keeps it
    assert "reserved_context_sise = 60000  # keep me  cfglint: ignore[SEC001, SCH002, SUP001]\r\n" in text
    assert text.count("\r\n") == KIMI.count("\n") and "\n" not in text.replace("\r\n", "")
    assert codes_at(check(cli, "--dialect", "kimi-code", str(path)).stdout) == []
    again = cli("check", "--no-cache", "--dialect", "kimi-code", "--add-ignore", str(path))
    assert "added 0 suppressions in 0 files" in again.stderr and path.read_bytes().decode() == text


def test_add_ignore_skips_a_line_that_cannot_take_a_comment(cli, write, tmp_path):
    """A finding whose line ends inside a multi-line string: a comment there would be text."""
    path = write("config.toml", 'default_model = """\nk3"""\n')
    before = path.read_bytes()
    assert ":1:17: SCH004" in check(cli, "--dialect", "kimi-code", str(path)).stdout
    result = cli("check", "--no-cache", "--dialect", "kimi-code", "--add-ignore", str(path))
    assert result.exit_code == 0 and path.read_bytes() == before
    assert "config.toml:1: no suppression added for SCH004" in result.stderr


def test_add_ignore_does_not_write_through_a_symlink(cli, write, tmp_path):
    target = write("real/config.toml", KIMI.format(line1="", line14=""))
    link = tmp_path / "config.toml"
    os.symlink(target, link)
    before = target.read_bytes()
    result = cli("check", "--no-cache", "--dialect", "kimi-code", "--add-ignore", str(link))
    assert "symbolic link" in result.stderr and target.read_bytes() == before and link.is_symlink()


def test_add_ignore_refuses_stdin_and_fix(cli):
    for args in (("-",), ("--fix", ".")):
        result = cli("check", "--add-ignore", *args)
        assert result.exit_code == 2 and "--add-ignore" in result.stderr


def test_a_file_the_harness_skips_reports_only_unknown_codes(cli, write, tmp_path):
    """Kilo skips a file with an invalid value, so its set rules (CMP) never ran on it."""
    write("kilo.jsonc", '{\n  "compaction": {"threshold_percent": 150} // cfglint: ignore[SCH001, CMP001, NOPE9]\n}\n')
    result = check(cli, str(tmp_path / "kilo.jsonc"))
    assert "`NOPE9`" in result.stdout and "`CMP001`" not in result.stdout and "SCH001" not in result.stdout.replace(
        "ignore[SCH001", "")
