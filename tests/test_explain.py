"""`cfglint explain`: the numbers, their provenance, the bar, and the findings that apply."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cfglint.core.numbers import tokens
from conftest import REPO
from tests.rules.test_cases import _case_files, _parts

GLM = "examples/kimi-code/glm-5.2/.kimi-code/config.toml"


def explain(cli, *args):
    return cli("explain", "--no-env", *args, cwd=REPO)


def test_glm_text_on_the_newest_kimi_code(cli, snapshot):
    result = explain(cli, GLM)
    assert result.exit_code == 0
    assert "950,000 (95.0%)" in result.stdout and "trigger rule: reserve" in result.stdout
    assert "CMP001" in result.stdout
    assert result.stdout == snapshot


def test_glm_text_on_kimi_code_0_16_0(cli, snapshot):
    result = explain(cli, GLM, "--target", "kimi-code@0.16.0")
    assert "850,000" in result.stdout and "1,000,000" in result.stdout
    assert "CMP005" in result.stdout and "upgrade to >= 0.20.2" in result.stdout
    assert result.stdout == snapshot


def test_glm_json_has_every_number_with_provenance(cli, snapshot):
    result = explain(cli, GLM, "--format", "json")
    data = json.loads(result.stdout)
    assert len(data) == 1
    numbers = data[0]["numbers"]
    assert numbers["trigger"]["value"] == 950000
    assert numbers["trigger"]["source"] == {
        "kind": "setting", "label": "loop_control.reserved_context_size",
        "file": GLM, "key": "loop_control.reserved_context_size",
    }
    assert numbers["max_tokens_normal"]["value"] == 131072
    assert numbers["max_tokens_compaction"]["value"] == 131072
    assert numbers["model_output"]["source"]["kind"] == "registry"
    assert data[0]["trigger_rule"] == "reserve"
    assert [f["code"] for f in data[0]["findings"]] == ["CMP001"]
    assert result.stdout == snapshot


@pytest.mark.parametrize("path", [
    "examples/kilo/good/kilo.jsonc",
    "examples/claude-code/.claude/settings.json",
    "examples/hermes/.hermes/config.yaml",
    "examples/kimi-cli/.kimi/config.toml",
    "examples/opencode/local-models/opencode.json",
    "examples/pi",
    "examples/codex/local-catalog",
])
def test_every_dialect_explains(cli, snapshot, path):
    result = explain(cli, path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data and all(item["numbers"]["window"] is not None or item["trigger_rule"] == "never" for item in data)
    assert result.stdout == snapshot


def test_pi_text_gives_the_output_clamp_as_a_formula(cli, snapshot):
    """pi >= 0.80.3 clamps max_tokens to the room left for each request: explain prints the
    clamp as a formula of the request's size, never as one number (issue 12)."""
    result = explain(cli, "examples/pi", "--model", "anthropic/claude-opus-4-7")
    assert result.exit_code == 0, result.stderr
    assert "max_tokens at trigger per request = margin = max(4096, ceil(0.15 * E))" in " ".join(result.stdout.split())
    assert result.stdout == snapshot


def test_codex_text_shows_the_usable_window_and_the_clamps(cli, snapshot):
    """Codex: the window and the usable window it shows (95%), the trigger as 90% of the window
    with the configured limit clamped, and where the numbers come from (issue 13)."""
    result = explain(cli, "examples/codex/gateway/.codex/config.toml")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.split()[:2] == ["window", "872,000"] for line in lines), result.stdout
    assert any(line.split()[:3] == ["input", "cap", "828,400"] for line in lines), result.stdout
    assert any(line.split()[:2] == ["trigger", "784,800"] for line in lines), result.stdout
    assert result.stdout == snapshot


def test_model_option_restricts_to_one_model(cli):
    result = explain(cli, "examples/kilo/good/kilo.jsonc", "--model", "zhipu/glm-5.2", "--format", "json")
    assert [item["model"] for item in json.loads(result.stdout)] == ["zhipu/glm-5.2"]


def test_unknown_model_is_a_one_line_error(cli):
    result = explain(cli, GLM, "--model", "nope")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "nope" in result.stderr


@pytest.mark.parametrize("name, text, why", [
    ("kilo.json", '{"theme": "opencode"}\n', "no model is configured"),
    ("kilo.json", '{"model": \n', "kilo.json does not parse"),
])
def test_a_file_without_a_model_has_nothing_to_explain(cli, tmp_path, name, text, why):
    """Not an error (exit 2 is for usage and internal errors): one line, exit 0; json stays JSON."""
    (tmp_path / name).write_text(text)
    result = cli("explain", str(tmp_path / name))
    assert result.exit_code == 0 and all(len(line) <= 80 for line in result.stdout.splitlines())
    assert " ".join(result.stdout.split()).startswith("nothing to explain: ") and why in " ".join(result.stdout.split())
    result = cli("explain", "--format", "json", str(tmp_path / name))
    assert result.exit_code == 0 and json.loads(result.stdout) == [] and why in result.stderr


def test_missing_path_is_exit_2(cli):
    result = explain(cli, "does/not/exist.toml")
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_env_changes_numbers_and_says_so(cli):
    result = explain(cli, GLM, "--target", "kimi-code@0.16.0", "--env", "KIMI_MODEL_MAX_COMPLETION_TOKENS=131072",
                     "--format", "json")
    item = json.loads(result.stdout)[0]
    assert item["numbers"]["max_tokens_compaction"]["value"] == 131072
    used = {u["name"]: u for u in item["environment"]}
    assert used["KIMI_MODEL_MAX_COMPLETION_TOKENS"]["origin"] == "--env"
    assert used["KIMI_MODEL_MAX_COMPLETION_TOKENS"]["changed"]
    assert "CMP005" not in [f["code"] for f in item["findings"]]


def test_explain_reads_the_process_environment_unless_no_env(cli, monkeypatch):
    monkeypatch.setenv("KIMI_MODEL_MAX_COMPLETION_TOKENS", "65536")
    with_env = cli("explain", GLM, "--format", "json", cwd=REPO)
    item = json.loads(with_env.stdout)[0]
    assert item["numbers"]["max_tokens_normal"]["value"] == 65536
    assert item["environment"][0]["origin"] == "process environment"
    without = cli("explain", "--no-env", GLM, "--format", "json", cwd=REPO)
    assert json.loads(without.stdout)[0]["numbers"]["max_tokens_normal"]["value"] == 131072


def test_check_ignores_the_process_environment_unless_use_env(cli, monkeypatch):
    monkeypatch.setenv("KIMI_MODEL_MAX_COMPLETION_TOKENS", "abc")
    plain = cli("check", "--output-format", "json", "--select", "ENV", GLM, cwd=REPO)
    assert json.loads(plain.stdout) == []
    used = cli("check", "--output-format", "json", "--select", "ENV", "--use-env", GLM, cwd=REPO)
    assert [f["code"] for f in json.loads(used.stdout)] == ["ENV001"]


def test_readme_shows_the_current_explain_output(cli):
    """The README's explain example is real output; regenerate it when explain changes."""
    result = explain(cli, GLM, "--target", "kimi-code@0.16.0")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert result.stdout in readme


# --- the text fits a terminal, says each source once, and loses nothing ------------------

WIDTH = 80
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _every_explained_config() -> list[tuple[Path, list[str]]]:
    """(directory to run in, arguments) for every example and every rule case."""
    runs = [(REPO, [str(path.relative_to(REPO))]) for path in sorted((REPO / "examples").iterdir())]
    for case in _case_files():
        args_file = case.with_suffix(".args")
        extra = args_file.read_text(encoding="utf-8").splitlines() if args_file.exists() else []
        runs.append((case.parent, ["--dialect", _parts(case)[1], *extra, case.name]))
    return runs


def _explain_all(cli, *options):
    """(run name, stdout) of `cfglint explain --no-env OPTIONS` on every example and case."""
    for cwd, args in _every_explained_config():
        result = cli("explain", "--no-env", *options, *args, cwd=cwd)
        assert result.exit_code == 0, (args, result.stderr)
        yield " ".join(args), result.stdout


def _fits(line: str) -> bool:
    """At most WIDTH columns, or a token too long for any line (a deep path) on a line of its
    own, after the indentation and at most a one-character marker (`←`)."""
    words = line.split()
    return len(line) <= WIDTH or (len(words) == 1 or len(words) == 2 and len(words[0]) == 1)


def test_every_line_fits_80_columns_on_every_example_and_case(cli):
    too_wide = [(name, line) for name, out in _explain_all(cli) for line in out.splitlines() if not _fits(line)]
    assert too_wide == []


def test_a_path_longer_than_a_line_gets_a_line_of_its_own(cli, tmp_path):
    deep = tmp_path / ("d" * 40) / ("e" * 40) / "kilo.json"
    deep.parent.mkdir(parents=True)
    deep.write_text((REPO / "examples/kilo/good/kilo.jsonc").read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("explain", "--no-env", "--dialect", "kilo", str(deep))
    wide = [line for line in result.stdout.splitlines() if len(line) > WIDTH]
    assert wide and all(str(deep) in line and _fits(line) for line in wide)
    assert "    " + str(deep) in result.stdout.splitlines()  # the layers line wraps it under its label


def _blocks(text: str) -> list[str]:
    """The text of each model (blocks start at an unindented line)."""
    return re.split(r"\n(?=\S)", text.strip("\n"))


def test_each_source_is_said_once_per_model_and_referred_back_to(cli):
    text = explain(cli, GLM, "--target", "kimi-code@0.16.0").stdout
    assert text.count("default: Kimi Code legacy engine triggerRatio 0.85") == 1
    assert text.count("← same as trigger") == 2  # blocks at, headroom
    for name, out in _explain_all(cli):
        for block in _blocks(out):
            sources = re.findall(r"^ +← (.*(?:\n {8}\S.*)*)", block, flags=re.M)
            said = [source for source in sources if not source.startswith("same as ")]
            assert len(said) == len(set(said)), (name, block)
            labels = re.findall(r"^  (\S.*?) {2,}", block, flags=re.M)
            referred = [source.removeprefix("same as ") for source in sources if source.startswith("same as ")]
            assert set(referred) <= set(labels), (name, referred)


def _plain(text: str, output_format: str) -> str:
    """The words of an output, whatever its line breaks (and markdown's escapes)."""
    if output_format == "markdown":
        text = re.sub(r"\\(.)", r"\1", text)
    return " ".join(text.split())


def _what_json_says(item: dict) -> list[str]:
    """Every text of one model's JSON that explain's readable formats must show."""
    said = [item["trigger_rule"], item["trigger_reason"] or "", item["compaction_note"] or "", *item["notes"],
            *item["layers"]]
    for number in item["numbers"].values():
        if number is None:
            continue
        if number["value"] is not None:
            said.append(tokens(number["value"]))
        said += [number.get("formula", ""), number["source"].get("key", number["source"]["label"])]
    said += [u["name"] for u in item["environment"]]
    said += [text for f in item["findings"] for text in (f["code"], f["message"], f.get("fix") or "")]
    return [" ".join(text.split()) for text in said if text]


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_text_and_markdown_keep_every_number_formula_source_and_note(cli, output_format):
    """What the one-line-per-number text said before issue 14 is what the JSON says (both render
    the same record, and the JSON is unchanged): every number, formula, source, rule, note and
    finding of it must still be in the wrapped text and in the markdown."""
    for cwd, args in _every_explained_config():
        shown = _plain(cli("explain", "--no-env", "--format", output_format, *args, cwd=cwd).stdout, output_format)
        data = json.loads(cli("explain", "--no-env", "--format", "json", *args, cwd=cwd).stdout or "[]")
        missing = [text for item in data for text in _what_json_says(item) if text not in shown]
        assert missing == [], args


# --- colour -------------------------------------------------------------------------


@pytest.mark.parametrize("option, env, coloured", [
    ((), {}, False),  # not a terminal
    (("--color", "always"), {}, True),
    (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    (("--no-color",), {"FORCE_COLOR": "1"}, False),  # as `check --no-color`
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {"FORCE_COLOR": ""}, False),  # empty means unset (force-color.org)
    ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    (("--color", "always"), {"NO_COLOR": "1"}, True),  # the option beats the environment
])
def test_colour_follows_the_option_then_no_color_then_force_color(cli, monkeypatch, option, env, coloured):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = explain(cli, GLM, "--target", "kimi-code@0.16.0", *option)
    assert bool(ANSI.search(result.stdout)) is coloured
    assert ANSI.sub("", result.stdout) == explain(cli, GLM, "--target", "kimi-code@0.16.0", "--color", "never").stdout


def test_coloured_text_fits_80_visible_columns_and_styles_the_findings(cli):
    result = explain(cli, GLM, "--target", "kimi-code@0.16.0", "--color", "always")
    assert all(len(ANSI.sub("", line)) <= WIDTH for line in result.stdout.splitlines())
    assert "\x1b[1;31mCMP005\x1b[0m \x1b[31m[error]\x1b[0m" in result.stdout


@pytest.mark.parametrize("output_format", ["json", "markdown"])
def test_only_the_text_output_is_ever_coloured(cli, output_format):
    result = explain(cli, GLM, "--format", output_format, "--color", "always")
    assert "\x1b" not in result.stdout


HOSTILE_MODEL = "g|m<b>\u001b[31m_x`y"  # a pipe, HTML, a terminal escape, a backtick


def _hostile_kilo(write):
    return write("kilo.json", json.dumps({
        "model": f"zhipu/{HOSTILE_MODEL}".replace("\\u001b", "\x1b"),
        "provider": {"zhipu": {"models": {HOSTILE_MODEL.replace("\\u001b", "\x1b"): {
            "limit": {"context": 100000, "output": 8000}}}}},
    }))


def test_a_terminal_escape_in_a_model_name_stays_escaped_with_colour_on(cli, write):
    result = cli("explain", "--no-env", "--color", "always", str(_hostile_kilo(write)))
    assert result.exit_code == 0
    assert "\x1b[31m" not in result.stdout and "\\x1b[31m" in result.stdout


# --- markdown -----------------------------------------------------------------------

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _assert_valid_gfm_tables(markdown: str) -> int:
    """Every table: a header, a delimiter row, rows of as many cells (GFM splits cells on
    unescaped pipes, even inside code spans). Returns the number of tables."""
    tables = 0
    lines = markdown.splitlines()
    for index, line in enumerate(lines):
        if not line.startswith("| quantity "):
            continue
        tables += 1
        assert index == 0 or lines[index - 1] == ""  # a table starts its own block
        assert lines[index + 1] == "| --- | ---: | --- | --- |"
        row = index + 2
        while row < len(lines) and lines[row].startswith("|"):
            assert lines[row].endswith(" |") and len(_UNESCAPED_PIPE.findall(lines[row])) == 5, lines[row]
            row += 1
        assert row == len(lines) or lines[row] == ""
    return tables


def test_markdown_has_a_valid_table_per_model_on_every_example_and_case(cli):
    for name, out in _explain_all(cli, "--format", "markdown"):
        if out.startswith("nothing to explain"):
            continue
        assert _assert_valid_gfm_tables(out) == out.count("\n### ") + out.startswith("### "), name


def test_markdown_escapes_what_markdown_would_read_in_a_model_name(cli, write):
    out = cli("explain", "--no-env", "--format", "markdown", str(_hostile_kilo(write))).stdout
    assert _assert_valid_gfm_tables(out) == 1
    name = "g\\|m<b>\\x1b[31m_x`y"  # a code span: `<b>` is text there; the pipe escaped for the table rules
    assert out.splitlines()[0] == f"### Kilo 7.7.9 · model ``zhipu/{name}`` (id ``{name}``)"
    title, rest = out.split("\n", 1)  # in the title, the names are code spans: markdown reads no HTML there
    assert re.findall(r"(?<!\\)<b>", rest) == [] and "\\<b>" in rest and "\x1b" not in out


def test_glm_markdown(cli, snapshot):
    result = explain(cli, GLM, "--target", "kimi-code@0.16.0", "--format", "markdown")
    assert result.exit_code == 0
    assert "| trigger | 850,000 (85.0%) | ceil(1,000,000 × 0.85) = 850,000 |" in result.stdout
    assert result.stdout == snapshot
