"""`cfglint server` driven over LSP's JSON-RPC, as an editor drives it: the diagnostics it
publishes are `check`'s findings, its quick fixes are `--fix`'s edits, and hover shows
`explain`'s numbers."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from cfglint.core.finding import Finding

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TIMEOUT = 120  # seconds: only catches a hang (a check takes well under one)


class Client:
    """A minimal LSP client over the server's standard input and output."""

    def __init__(self, cwd: Path, initialization_options: Any = None, position_encodings: list[str] | None = None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("CFGLINT")}
        self.process = subprocess.Popen([sys.executable, "-m", "cfglint", "server", "--stdio"], cwd=cwd, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue = queue.Queue()
        self.passed: list[dict] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        general = {"positionEncodings": position_encodings} if position_encodings else {}
        self.request("initialize", {"processId": os.getpid(), "rootUri": cwd.as_uri(),
                                    "capabilities": {"general": general},
                                    "initializationOptions": initialization_options})
        self.notify("initialized", {})

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(stream.read(length)))

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        reply = self._wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in reply, reply
        return reply["result"]

    def _wait(self, wanted) -> dict:
        """The next message `wanted` accepts; the others go to `passed`."""
        while True:
            message = self.messages.get(timeout=TIMEOUT)
            if wanted(message):
                return message
            self.passed.append(message)

    def diagnostics(self, uri: str) -> list[dict]:
        """The next diagnostics published for `uri`."""
        message = self._wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                             and m["params"]["uri"] == uri)
        return message["params"]["diagnostics"]

    def open(self, path: Path, text: str | None = None, language: str = "json") -> list[dict]:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language, "version": 1,
            "text": path.read_text(encoding="utf-8") if text is None else text}})
        return self.diagnostics(uri)

    def change(self, path: Path, text: str, version: int = 2) -> list[dict]:
        uri = path.as_uri()
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})
        return self.diagnostics(uri)

    def close(self) -> int:
        self.request("shutdown", None)
        self.notify("exit", None)
        return self.process.wait(timeout=TIMEOUT)


@pytest.fixture
def client():
    made: list[Client] = []

    def start(cwd: Path = ROOT, **kwargs: Any) -> Client:
        made.append(Client(cwd, **kwargs))
        return made[-1]

    yield start
    for c in made:
        if c.process.poll() is None:
            c.process.kill()
            c.process.wait()


def _check_json(path: Path, cwd: Path = ROOT) -> list[dict]:
    """`cfglint check FILE --output-format json`, run as a user would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CFGLINT")}
    done = subprocess.run([sys.executable, "-m", "cfglint", "check", "--no-cache", "--output-format", "json",
                           str(path)], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def _as_lsp(finding: dict) -> tuple:
    """A `check` JSON finding as the diagnostic it must become (0-based; these files are ASCII)."""
    severity = {"error": 1, "warning": 2, "info": 3}[finding["severity"]]
    message = finding["message"] + (f"\nFix: {finding['fix']}" if finding.get("fix") else "")
    return (finding["code"], finding["line"] - 1, finding["column"] - 1, finding["end_line"] - 1,
            finding["end_column"] - 1, severity, message)


def _of(diagnostic: dict) -> tuple:
    r = diagnostic["range"]
    return (diagnostic["code"], r["start"]["line"], r["start"]["character"], r["end"]["line"],
            r["end"]["character"], diagnostic["severity"], diagnostic["message"])


EXAMPLE_FILES = sorted(p for p in EXAMPLES.rglob("*") if p.is_file() and p.suffix in (".json", ".jsonc", ".toml", ".yaml")
                       and "cfglint" not in p.name)


def test_publishes_the_same_findings_as_check_for_every_example(client):
    """Every example file, opened unsaved in an editor, gets exactly `check`'s findings."""
    c = client()
    seen_codes = set()
    for path in EXAMPLE_FILES:
        expected = sorted(_as_lsp(f) for f in _check_json(path) if Path(f["path"]).resolve() == path.resolve())
        got = sorted(_of(d) for d in c.open(path))
        assert got == expected, path
        seen_codes.update(code for code, *_ in got)
    assert {"SCH002", "SCH003", "CMP001", "CMP003"} <= seen_codes  # the examples do exercise the rules
    assert c.close() == 0


def test_diagnostics_follow_the_unsaved_text(client, tmp_path):
    """A change is checked as typed, without saving; a fix of the text clears the finding."""
    config = tmp_path / ".kimi-code" / "config.toml"
    config.parent.mkdir()
    good = (EXAMPLES / "kimi-code" / "glm-5.2" / ".kimi-code" / "config.toml")
    text = good.read_text(encoding="utf-8")
    config.write_text(text, encoding="utf-8")
    c = client(tmp_path)
    before = c.open(config, language="toml")
    broken = c.change(config, text + "\n[loop_control\n")
    assert [d["code"] for d in broken] == ["SYN001"]
    assert broken[0]["range"]["start"]["line"] == len(text.splitlines()) + 1
    assert c.change(config, text, version=3) == before
    assert config.read_text(encoding="utf-8") == text  # nothing written


def test_quick_fix_is_the_fix_of_check_fix(client, tmp_path):
    """The quick fix of an unknown key with one close known key is the rename `--fix` makes."""
    config = tmp_path / "kilo.jsonc"
    config.write_text('{\n  // mine\n  "compation": {"auto": true}\n}\n', encoding="utf-8")
    c = client(tmp_path)
    diagnostics = c.open(config)
    typo = next(d for d in diagnostics if d["code"] == "SCH002")
    actions = c.request("textDocument/codeAction", {"textDocument": {"uri": config.as_uri()},
                                                     "range": typo["range"], "context": {"diagnostics": [typo]}})
    assert len(actions) == 1 and actions[0]["kind"] == "quickfix" and actions[0]["isPreferred"]
    (edit,) = actions[0]["edit"]["changes"][config.as_uri()]
    assert edit == {"range": {"start": {"line": 2, "character": 2}, "end": {"line": 2, "character": 13}},
                    "newText": '"compaction"'}
    # elsewhere in the file there is nothing to fix
    assert c.request("textDocument/codeAction", {"textDocument": {"uri": config.as_uri()},
                                                  "range": {"start": {"line": 1, "character": 0},
                                                            "end": {"line": 1, "character": 3}},
                                                  "context": {"diagnostics": []}}) == []


def test_positions_count_utf16_code_units(client, tmp_path):
    """A finding after a character outside the BMP: its column counts that character as two
    UTF-16 units (the LSP default), as one with UTF-32 negotiated."""
    config = tmp_path / "kilo.jsonc"
    config.write_text('{"\U0001F600": 1, "modle": "x"}\n', encoding="utf-8")
    for encodings, column in ((None, 10), (["utf-32"], 9)):
        c = client(tmp_path, position_encodings=encodings)
        typo = next(d for d in c.open(config) if d["code"] == "SCH002" and "modle" in d["message"])
        assert typo["range"]["start"] == {"line": 0, "character": column}
        c.close()


def test_hover_shows_explains_numbers(client):
    """Hover over the model setting shows the trigger and max_tokens `explain` computes."""
    path = EXAMPLES / "kilo" / "good" / "kilo.jsonc"
    explained = json.loads(subprocess.run(
        [sys.executable, "-m", "cfglint", "explain", "--no-env", "--format", "json", str(path)], cwd=ROOT,
        capture_output=True, text=True, timeout=TIMEOUT, check=True).stdout)
    numbers = explained[0]["numbers"]
    c = client()
    c.open(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines) if '"model"' in text)
    hover = c.request("textDocument/hover", {"textDocument": {"uri": path.as_uri()},
                                             "position": {"line": line, "character": lines[line].index('"model"') + 2}})
    text = hover["contents"]["value"]
    assert hover["contents"]["kind"] == "markdown"
    assert f"{numbers['trigger']['value']:,}" in text and f"{numbers['max_tokens_normal']['value']:,}" in text
    # a key no budget reads has no hover
    other = next(i for i, text in enumerate(lines) if '"$schema"' in text)
    assert c.request("textDocument/hover", {"textDocument": {"uri": path.as_uri()},
                                            "position": {"line": other, "character": lines[other].index("$")}}) is None


def test_stdin_is_not_merged_with_the_file_on_disk(tmp_path):
    """`check - --stdin-filename F` inside a git worktree lints the given text as F: the copy of F
    on disk is not read again as one of its context layers (it was, before the server needed it)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    config = tmp_path / "kilo.jsonc"
    config.write_text('{"model": "anthropic/claude-sonnet-4-5", "modle": 1}\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CFGLINT")}
    done = subprocess.run([sys.executable, "-m", "cfglint", "explain", "--no-env", "-", "--stdin-filename",
                           "kilo.jsonc", "--format", "json"], input='{"model": "openai/gpt-5"}\n', cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=TIMEOUT, check=True)
    assert done.stdout.count("claude-sonnet-4-5") == 0 and '"kilo.jsonc"' in done.stdout


def test_hover_over_a_trigger_setting(client):
    """In Kimi Code's example the reserve rule decides the trigger: hovering the reserve, or the
    ratio it overrode beside it, shows the trigger; a provider's `type` concerns no number."""
    path = EXAMPLES / "kimi-code" / "glm-5.2" / ".kimi-code" / "config.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    c = client()
    c.open(path, language="toml")

    def hover(key: str) -> dict | None:
        line = next(i for i, text in enumerate(lines) if text.startswith(key))
        return c.request("textDocument/hover", {"textDocument": {"uri": path.as_uri()},
                                                "position": {"line": line, "character": 1}})

    for key in ("reserved_context_size", "compaction_trigger_ratio", "max_context_size"):
        found = hover(key)
        assert "| trigger | 950,000" in found["contents"]["value"], key
        assert found["range"]["start"]["character"] == 0 and found["range"]["end"]["character"] == len(key)
    assert hover("type") is None


def test_initialization_options_and_settings(client, tmp_path):
    """The project's settings file applies as in `check`; `initializationOptions.config` names
    another one and `targets` a harness release; a broken settings file is a message, not a crash."""
    config = tmp_path / "kilo.jsonc"
    config.write_text('{\n  "compation": {}\n}\n', encoding="utf-8")
    (tmp_path / "cfglint.toml").write_text('ignore = ["SCH002"]\n', encoding="utf-8")
    other = tmp_path / "strict.toml"
    other.write_text('select = ["ALL"]\n', encoding="utf-8")
    assert [d["code"] for d in client(tmp_path).open(config)] == []
    named = client(tmp_path, initialization_options={"config": str(other), "targets": ["kilo@7.0.0"]})
    (typo,) = named.open(config)
    assert typo["code"] == "SCH002" and "Kilo 7.0.0" in typo["message"]
    (tmp_path / "cfglint.toml").write_text('ignore = [\n', encoding="utf-8")
    broken = client(tmp_path)
    assert broken.open(config) == []
    (shown,) = [m for m in broken.passed if m.get("method") == "window/showMessage"]
    assert shown["params"]["message"].startswith("cfglint: ") and "cfglint.toml" in shown["params"]["message"]
