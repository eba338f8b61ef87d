"""Output written in pieces (`cfglint.report.pieces`, `batched`): the same bytes as the whole
text, for every format, on a tree of many configurations (multi-file ones, notes, broken files);
a run never holds more than one finding's output at once. Bounded by counting, never by size
of memory or time."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfglint import report
from cfglint.engine import session
from cfglint.report import FORMATS, SOURCE_FORMATS, pieces, reporter

from engine.test_batch import make_tree

STREAMED = [name for name in FORMATS if name not in ("junit", "gitlab")]  # one document built at once


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    return make_tree(tmp_path_factory.mktemp("pieces"), 40)


@pytest.fixture(scope="module")
def checked(tree):
    return session.check(session.CheckRequest(paths=[str(tree)], no_cache=True, show_source=True))


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("quiet", [False, True])
def test_the_pieces_are_the_whole_text(checked, name, quiet):
    assert len(checked.findings) > 40
    options = dict(files_checked=checked.files_checked, show_source=True, sources=checked.sources, quiet=quiet,
                   checked_paths=checked.checked_paths, colour=name == "text")
    parts = list(pieces(name)(checked.findings, **options))
    assert "".join(parts) == reporter(name)(checked.findings, **options)
    if name in STREAMED:  # a piece per finding, and a few around them (summary, brackets, the SARIF rules)
        assert len(checked.findings) <= len(parts) <= len(checked.findings) + 3


@pytest.mark.parametrize("name", STREAMED)
def test_no_findings_in_pieces(name):
    assert "".join(pieces(name)([], files_checked=3)) == reporter(name)([], files_checked=3)


def test_batches_are_whole_pieces():
    parts = ["a\n", "bb\n", "\x1b[1mccc\x1b[0m\n", "", "d\n"]
    assert list(report.batched(parts, size=4)) == ["a\nbb\n", "\x1b[1mccc\x1b[0m\n", "d\n"]
    assert list(report.batched(["", ""])) == []


@pytest.mark.parametrize("name", [n for n in FORMATS if n not in SOURCE_FORMATS])
def test_the_command_writes_the_output_a_few_findings_at_a_time(tree, cli, monkeypatch, name):
    """With chunks of one piece, the command prints what the whole text is, each write at most
    one finding's output (or the SARIF rules before them): never the whole output at once."""
    whole = cli("check", "--no-cache", "--output-format", name, str(tree))
    writes: list[str] = []
    batched = report.batched

    def one_by_one(parts, size=1):
        for chunk in batched(parts, size=1):
            writes.append(chunk)
            yield chunk

    monkeypatch.setattr(report, "batched", one_by_one)
    streamed = cli("check", "--no-cache", "--output-format", name, str(tree))
    assert (streamed.stdout, streamed.stderr, streamed.exit_code) == (whole.stdout, whole.stderr, whole.exit_code)
    assert "".join(writes) == whole.stdout
    if name in STREAMED:
        findings = len(session.check(session.CheckRequest(paths=[str(tree)], no_cache=True)).findings)
        assert findings <= len(writes) <= findings + 3
        assert sum(name not in ("json", "sarif") and w.count("\n") > 1 for w in writes[:-1]) == 0


def test_an_encoding_that_escapes_gets_the_whole_output(tree, cli, monkeypatch):
    """`encodable` decides for the whole output: under an encoding other than UTF-8 it is one write."""
    writes: list[str] = []
    batched = report.batched

    def counting(parts, size=1 << 16):
        for chunk in batched(parts, size=1):
            writes.append(chunk)
            yield chunk

    monkeypatch.setattr(report, "batched", counting)
    monkeypatch.setattr(report, "utf8", lambda encoding: False)
    result = cli("check", "--no-cache", "--output-format", "json", str(tree))
    assert result.exit_code == 1 and writes == [result.stdout]
