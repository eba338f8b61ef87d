"""`core.paths.PurePosix` takes a path apart as `pathlib.PurePosixPath` does: every check
recognises files by these parts, and it stands in for `pathlib` (issue 15: ~3.4 ms of a cold
check with the `urllib.parse` and `ipaddress` it imports)."""

from __future__ import annotations

import os
from pathlib import PurePosixPath

from hypothesis import given, settings, strategies as st

from cfglint.core.paths import PurePosix, data_file, project_root, pure_path, read_data

# Pieces that exercise what PurePosixPath normalises: roots of one, two and three slashes, `.`
# and `..` parts, repeated and trailing slashes, dot files, names with several suffixes.
PIECES = st.sampled_from(["/", "//", "///", ".", "..", "a", "b.c", ".d", "e.", "f.tar.gz", "g..h", "", "x/", "./",
                          "é.json", " "])
SEGMENT = st.lists(PIECES, max_size=6).map("".join)


def _described(path: object) -> tuple:
    return (str(path), path.name, path.suffix, path.parts, str(path.parent),  # type: ignore[attr-defined]
            [str(p) for p in path.parents], os.fspath(path), path.is_absolute())  # type: ignore[attr-defined]


@settings(max_examples=3000, deadline=None)
@given(st.lists(SEGMENT, min_size=1, max_size=3), st.lists(SEGMENT, min_size=1, max_size=3), SEGMENT)
def test_it_agrees_with_pure_posix_path(segments: list[str], others: list[str], name: str) -> None:
    assert _described(PurePosix(*segments)) == _described(PurePosixPath(*segments))
    assert (PurePosix(*segments) == PurePosix(*others)) == (PurePosixPath(*segments) == PurePosixPath(*others))
    if PurePosix(*segments) == PurePosix(*others):
        assert hash(PurePosix(*segments)) == hash(PurePosix(*others))
    if name and "/" not in name:
        assert str(PurePosix(*segments) / name) == str(PurePosixPath(*segments) / name)
    assert str(PurePosix(*segments) / PurePosix(*others)) == str(PurePosixPath(*segments) / PurePosixPath(*others))


def test_pure_path_is_a_pure_posix_on_posix() -> None:
    assert isinstance(pure_path("a/b"), PurePosix) == (os.name == "posix")
    assert pure_path("/x/.claude/settings.json").parent.name == ".claude"


def test_data_files_sit_beside_the_module(tmp_path) -> None:
    module = tmp_path / "unit" / "facts.py"
    (tmp_path / "unit" / "data").mkdir(parents=True)
    (tmp_path / "unit" / "data" / "table.json").write_text('{"é": 1}', encoding="utf-8")
    assert data_file(str(module), "table.json") == str(tmp_path / "unit" / "data" / "table.json")
    assert read_data(data_file(str(module), "table.json")) == '{"é": 1}'


def test_project_root_is_the_nearest_worktree(tmp_path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "a" / "b").mkdir(parents=True)
    assert project_root(str(tmp_path / "repo" / "a" / "b")) == str(tmp_path / "repo")
    (tmp_path / "alone").mkdir()
    assert project_root(str(tmp_path / "alone")) == str(tmp_path / "alone")
