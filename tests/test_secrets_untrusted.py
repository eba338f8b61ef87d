"""Issue 9, classes 1, 4, 5 and the secret-related part of 7: no secret reaches any output or
the cache, from the files or from the environment; redaction never corrupts a report; the
work it does is linear.

Secrets are shown at most by their first 4 characters, so each test asserts that the rest
(`secret[4:]`) appears nowhere.
"""

from __future__ import annotations

import base64
import json
import sys
import tracemalloc

import pytest

from cfglint.rules.context import RunOptions
from cfglint.engine.discover import discover
from cfglint.engine.check import run
from cfglint.report.masking import masked_line
from cfglint.harnesses.kilo import substitution as kilo_substitution
from cfglint.harnesses.kilo.substitution import parse_kilo, substitute
from cfglint.core.secrets import Redactor
from cfglint.core.text import MAX_FILE_BYTES, SourceText

TOKEN = "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"  # a GitHub token's shape, 40 characters
SECRET = "sk-proj-Zq81XbN4mVt7Lw2Rc9Yd6Hs3Kf0Jg5"
KILO_ENV_MODEL = '{"model": "openai/{env:GITHUB_TOKEN}"}\n'


def _cache_text(tmp_path) -> str:
    """Everything the result cache holds (the `cli` fixture points it at tmp_path/cache)."""
    return "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "cache").rglob("*") if p.is_file())


# --- class 1: environment values ----------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_explain_shows_an_env_value_by_name_and_length(cli, write, monkeypatch, output_format):
    path = write("proj/kilo.json", KILO_ENV_MODEL)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    result = cli("explain", "--format", output_format, str(path))
    assert result.exit_code == 0
    assert TOKEN[4:] not in result.stdout + result.stderr
    assert f"$GITHUB_TOKEN ({len(TOKEN)} chars)" in result.stdout


@pytest.mark.parametrize("output_format", ["text", "json"])
@pytest.mark.parametrize("how", ["--env", "--use-env"])
def test_check_with_env_values_prints_and_caches_none(cli, write, monkeypatch, tmp_path, output_format, how):
    path = write("proj/kilo.json", KILO_ENV_MODEL)
    args = ["--env", f"GITHUB_TOKEN={TOKEN}"] if how == "--env" else ["--use-env"]
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    runs = [cli("check", "--output-format", output_format, *args, *extra, str(path))
            for extra in ([], [], ["--no-cache"])]  # cold, cached, uncached
    assert all(TOKEN[4:] not in r.stdout + r.stderr for r in runs)
    assert f"$GITHUB_TOKEN ({len(TOKEN)} chars)" in runs[0].stdout
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert _cache_text(tmp_path) and TOKEN[4:] not in _cache_text(tmp_path)


def test_explain_masks_the_password_of_anthropic_base_url(cli, write, monkeypatch):
    path = write("proj/.claude/settings.json", '{"model": "claude-opus-4-6"}\n')
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "https://gateway:Pw9xQ2mZr7Lk4Tn@proxy.example.com/v1")
    for output_format in ("text", "json"):
        result = cli("explain", "--format", output_format, str(path))
        assert "proxy.example.com" in result.stdout and "Pw9xQ2mZr7Lk4Tn"[4:] not in result.stdout


def test_plain_settings_from_the_environment_are_shown(cli, write, monkeypatch):
    """A documented numeric variable is not a secret: explain prints its value."""
    path = write("proj/.claude/settings.json", '{"model": "claude-opus-4-6"}\n')
    monkeypatch.setenv("CLAUDE_CODE_MAX_OUTPUT_TOKENS", "12345")
    assert "CLAUDE_CODE_MAX_OUTPUT_TOKENS='12345'" in cli("explain", str(path)).stdout


# --- class 5: redaction never corrupts a report ------------------------------------------------


def _kilo_with_api_keys(*keys: str) -> str:
    providers = {f"p{i}": {"npm": "@ai-sdk/openai-compatible", "options": {"apiKey": key}, "models": {"m": {}}}
                 for i, key in enumerate(keys)}
    return json.dumps({"model": "p0/m", "provider": providers, "unknownSetting": 1})


def test_api_keys_shaped_like_report_syntax_do_not_corrupt_reports(cli, write):
    path = write("proj/kilo.jsonc", _kilo_with_api_keys("::error", "SEC001", '"results": [', "::warning file="))
    items = json.loads(cli("check", "--output-format", "json", str(path)).stdout)
    assert items and "SEC001" in {item["code"] for item in items}
    github = cli("check", "--output-format", "github", str(path)).stdout
    assert sum(line.startswith("::") for line in github.splitlines()) == len(items)
    sarif = json.loads(cli("check", "--output-format", "sarif", str(path)).stdout)
    assert len(sarif["runs"][0]["results"]) == len(items)
    text = cli("check", str(path)).stdout
    assert sum(f" {item['code']} [" in text for item in items) >= 1
    assert text.count(" SEC001 [") == sum(item["code"] == "SEC001" for item in items)


def test_harmless_values_under_credential_like_keys_leave_rule_texts_alone(cli, write, tmp_path):
    """`token_counting` looks like a credential key; its value must not be searched for in the
    SARIF rule texts (here a value that the rule texts contain)."""
    write("proj/.kimi-code/config.toml", '[token_counting]\nstrategy = "Claude Code"\n')
    write("clean/.kimi-code/config.toml", '[token_counting]\nstrategy = "x"\n')
    rules = [json.loads(cli("check", "--no-cache", "--output-format", "sarif", str(tmp_path / d)).stdout)
             ["runs"][0]["tool"]["driver"]["rules"] for d in ("proj", "clean")]
    assert rules[0] == rules[1] and "Claude Code" in json.dumps(rules[0])


@pytest.mark.parametrize("output_format", ["text", "json", "github", "sarif"])
def test_cold_and_cached_runs_print_the_same_bytes(cli, write, tmp_path, output_format):
    write("proj/.kimi-code/config.toml", '[token_counting]\nstrategy = "Claude Code"\n'
                                         f'[providers.p]\ntype = "kimi"\napi_key = "{SECRET}"\n')
    write("proj/kilo.jsonc", _kilo_with_api_keys(SECRET, "SEC001"))
    cold, cached = (cli("check", "--output-format", output_format, str(tmp_path / "proj")) for _ in range(2))
    assert cold.stdout == cached.stdout and SECRET[4:] not in cold.stdout + _cache_text(tmp_path)


# --- class 4: snippets and messages ------------------------------------------------------------

_SNIPPETS = {
    "a `{` value swallowing the rest of the line": ("kilo.jsonc", '{"apiKey": {"nested": "%s"}, oops}\n'),
    "the value on the next line": ("kilo.jsonc", '{"apiKey":\n  "%s" oops}\n'),
    "JSON5 unquoted key, comment, single quotes": ("kilo.jsonc", "{apiKey: /* k */ '%s', oops}\n"),
    "an escaped key name": ("kilo.jsonc", '{"api\\u004bey": "%s", oops}\n'),
    "the first of two duplicate keys": ("kilo.jsonc", '{"apiKey": "%s",\n "apiKey": "other-value-7Hq2mZp9Xv", oops}\n'),
    "YAML !!python/str": (".hermes/config.yaml", "model:\n  api_key: !!python/str %s\n  default: [\n"),
    "YAML !!int": (".hermes/config.yaml", "model:\n  api_key: !!int %s\n"),
    "YAML block scalar": (".hermes/config.yaml", "model:\n  api_key: |\n    %s\n  default: [\n"),
    "TOML table of credentials": (".kimi-code/config.toml", "[secrets]\nmain = \"%s\"\nbroken = = \n"),
    "a list under a credential key": ("kilo.jsonc", '{"credentials": ["other-7Hq2mZp9Xv", "%s"], oops}\n'),
    "TOML inline table": (".kimi-code/config.toml", 'model = { name = "x", api_key = "%s" }\nbroken = = \n'),
    "TOML unterminated string": (".kimi-code/config.toml", 'api_key = "%s\n'),
    "YAML flow mapping": (".hermes/config.yaml", "model: {default: x, api_key: %s}\nbad: [\n"),
    "URL userinfo": ("kilo.jsonc", '{"provider": {"p": {"options": {"baseURL": "https://u:%s@h.example/v1"}}}, oops}\n'),
}


@pytest.mark.parametrize("case", list(_SNIPPETS))
def test_show_source_masks_credentials_from_the_file_structure(cli, write, tmp_path, case):
    name, template = _SNIPPETS[case]
    secret = "918273645546372819" if "!!int" in case else SECRET
    path = write(f"proj/{name}", template % secret)
    result = cli("check", "--no-cache", "--show-source", str(path))
    snippet_lines = [line for line in result.stdout.splitlines() if " | " in line]
    assert snippet_lines, result.stdout  # the test needs a snippet of the file
    assert secret[4:] not in result.stdout
    doc = run(discover([str(path)], dialect=None, homes={}), RunOptions(), check=False).documents[0]
    for line_number in range(1, doc.source.line_count + 1):  # every line, as a snippet would show it
        assert secret[4:] not in masked_line(doc, line_number)


@pytest.mark.parametrize("value", [f'"{SECRET}"', '"Zq81XbN4"', '"https://u:Sup3rS3cretPw@host/v1"'])
def test_a_masked_line_keeps_its_width_so_carets_stay_under_their_columns(cli, write, value):
    """The secret is masked character for character: a finding after it on the same line is
    still pointed at (the masks used to be `'sk-a…' (32 chars)`, which moved the rest of the line)."""
    key = "ANTHROPIC_BASE_URL" if "://" in value else "ANTHROPIC_AUTH_TOKEN"
    line = f'  "env": {{"{key}": {value}, "CLAUDE_CODE_MAX_OUTPUT_TOKENS": "999999999"}}'
    path = write("proj/.claude/settings.json", '{\n  "model": "claude-sonnet-4-5",\n' + line + "\n}\n")
    result = cli("check", "--no-cache", "--show-source", str(path))
    lines = result.stdout.splitlines()
    source = next(n for n, text in enumerate(lines) if " CMP004 " in text) + 2
    shown, caret = lines[source].split(" | ", 1)[1], lines[source + 1].split(" | ", 1)[1]
    assert len(shown) == len(line)
    assert not [piece for piece in ("Sup3rS3cret", "Zq81XbN4", SECRET[4:]) if piece in shown], shown
    assert shown[caret.index("^"):].startswith('"999999999"'), (shown, caret)


def test_masking_lexes_each_file_once_however_many_snippets(cli, write, monkeypatch):
    from cfglint.report import masking

    passes = []
    original = masking._JsonMasker.spans
    monkeypatch.setattr(masking._JsonMasker, "spans",
                        lambda self, conservative: passes.append(1) or original(self, conservative))
    body = ",\n".join(f'"unknown{i}": {i}' for i in range(300))  # a snippet line per finding
    path = write("proj/.claude/settings.json", "{" + body + f', "env": {{"X_API_KEY": "{SECRET}"}}}}\n')
    result = cli("check", "--no-cache", "--show-source", str(path))
    assert result.stdout.count(" | ") >= 300 and SECRET[4:] not in result.stdout
    assert len(passes) == 1


def test_binary_api_key_is_never_decoded(cli, write, tmp_path):
    encoded = base64.b64encode(SECRET.encode()).decode()
    write("proj/.hermes/config.yaml", f"model:\n  default: glm-5.2\n  api_key: !!binary {encoded}\n")
    outputs = [cli("check", "--output-format", f, str(tmp_path / "proj")).stdout
               for f in ("text", "json", "github", "sarif")]
    outputs.append(cli("check", "--no-cache", "--show-source", str(tmp_path / "proj")).stdout)
    assert any(f"<binary, {len(SECRET)} bytes>" in out for out in outputs)
    for text in outputs + [_cache_text(tmp_path)]:
        assert SECRET[4:] not in text and encoded[4:] not in text


def test_integer_api_key_is_redacted_in_messages(cli, write):
    path = write("proj/.hermes/config.yaml", "model:\n  default: glm-5.2\n  api_key: 918273645546372819\n")
    for output_format in ("text", "json"):
        assert "73645546372819" not in cli("check", "--output-format", output_format, str(path)).stdout


# --- class 7: linear work ----------------------------------------------------------------------


def _lines_run_in_secrets(call) -> int:
    """Python lines executed in cfglint.core.secrets while `call` runs: a count of work, not a time."""
    import cfglint.core.secrets as module

    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if frame.f_code.co_filename != module.__file__:
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(None)
    return count


def test_redaction_work_does_not_grow_with_the_number_of_secrets():
    secrets = [f"sk-{i:05d}-Zq81XbN4mVt7Lw2Rc9Yd" for i in range(8000)]
    message = f"value {secrets[4321]} is set; " * 20
    few = Redactor({s: "<x>" for s in secrets[4300:4330]})
    many = Redactor({s: "<x>" for s in secrets})
    assert many.text(message) == few.text(message) and secrets[4321] not in many.text(message)
    work_few = _lines_run_in_secrets(lambda: few.text(message))
    work_many = _lines_run_in_secrets(lambda: many.text(message))
    assert work_many == work_few
    assert _lines_run_in_secrets(lambda: many.text(message * 2)) <= 2 * work_many + 50


def test_eight_thousand_credential_variables_are_checked(write, tmp_path):
    """The whole run, in a subprocess with a timeout that only catches a hang."""
    import subprocess

    env_block = {f"SERVICE{i}_API_KEY": f"sk-{i:05d}-Zq81XbN4mVt7Lw2Rc9Yd" for i in range(8000)}
    write("proj/.claude/settings.json", json.dumps({"env": env_block}))
    result = subprocess.run([sys.executable, "-m", "cfglint", "check", "--no-cache", "--output-format", "json",
                             str(tmp_path / "proj")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Zq81XbN4mVt7Lw2Rc9Yd" not in result.stdout


class _CountingText(str):
    """A text that counts the characters its Python-level searches and slices go over."""

    scanned = 0

    def rfind(self, sub, start=0, end=None):
        end = len(self) if end is None else end
        found = str.rfind(self, sub, start, end)
        _CountingText.scanned += end - (found if found >= 0 else start)
        return found

    def __getitem__(self, key):
        if isinstance(key, slice):
            _CountingText.scanned += len(range(*key.indices(len(self))))
        return str.__getitem__(self, key)


def test_substitution_work_is_linear_in_the_number_of_tokens():
    tokens = 80_000
    text = _CountingText('{"instructions": [' + ",".join(['"{env:X}"'] * tokens) + "]}")
    kilo_substitution._scan.cache_clear()
    _CountingText.scanned = 0
    substituted = substitute(text, {"X": "abcdef"})
    assert substituted.text.count("abcdef") == tokens
    assert _CountingText.scanned <= 4 * len(text)


def test_substitution_records_the_variables_it_used():
    parse = parse_kilo(SourceText('{"model": "openai/{env:GITHUB_TOKEN}", "x": "{env:UNSET}"}'),
                       {"GITHUB_TOKEN": TOKEN})
    assert parse.env_values == {"GITHUB_TOKEN": TOKEN}


def test_substitution_output_counts_against_the_size_limit():
    value = "v" * 4096
    text = '{"instructions": [' + ",".join(['"{env:BIG}"'] * 130_000) + "]}"  # ~1.4 MB, 532 MB substituted
    kilo_substitution._scan.cache_clear()
    tracemalloc.start()
    try:
        parse = parse_kilo(SourceText(text), {"BIG": value})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [d.code for d in parse.diagnostics] == ["SYN004"]
    assert "after `{env:}` substitution" in parse.diagnostics[0].message
    assert f"{MAX_FILE_BYTES:,}-byte limit" in parse.diagnostics[0].message
    assert peak < 100 * 1024 * 1024  # the substituted text was never built
