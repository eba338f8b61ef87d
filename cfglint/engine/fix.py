"""Automatic fixes (`check --fix`, `--unsafe-fixes`, `--diff`), computed from a run's findings.

Rules only report; the fixers (`cfglint.rules.fixes`) turn a finding into an edit of the
source text by position. Here the edits of a run are planned per file (unsafe ones only with
`--unsafe-fixes`), shown as a diff or written.

A file is written only when it is a regular file the run was asked about (named or
discovered: not a companion, a context layer or standard input), never through a
symbolic link, and atomically (a temporary file beside it, then `os.replace`, mode kept).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass, field

from cfglint.rules.fixes import SAFE, Edit, edit_for, fixable_document

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, Mapping
    from cfglint.core.document import Document
    from cfglint.core.finding import Finding


@dataclass
class FileFix:
    """The fixed text of one file and the edits that made it."""

    document: "Document"
    before: str
    after: str
    edits: list[Edit] = field(default_factory=list)

    @property
    def display_path(self) -> str:
        return self.document.display_path


# --- planning ----------------------------------------------------------------------------------


def plan(findings: Iterable["Finding"], sources: Mapping[str, "Document"], *, unsafe: bool = False) -> list[FileFix]:
    """The fixes for `findings` (safe ones, and unsafe ones too when asked), one `FileFix` per
    file that changes, in the order of the findings' files."""
    from cfglint.core.finding import one_line

    documents = {one_line(path): doc for path, doc in sources.items()}
    edits: dict[str, list[Edit]] = {}
    for finding in findings:
        doc = documents.get(finding.path)
        if doc is None or not fixable_document(doc):
            continue
        edit = edit_for(doc, finding)
        if edit is not None and (unsafe or edit.applicability == SAFE):
            edits.setdefault(finding.path, []).append(edit)
    fixes = []
    for path, file_edits in edits.items():
        doc = documents[path]
        after, applied = apply_edits(doc.source.text, file_edits)
        if applied:
            fixes.append(FileFix(doc, doc.source.text, after, applied))
    return fixes


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, list[Edit]]:
    """`text` with the edits applied from the end backwards (offsets stay valid), and the edits
    applied: one that overlaps an edit already kept, or gives an object a name another edit
    already gave it, is dropped."""
    kept: list[Edit] = []
    named: set[tuple] = set()
    for edit in sorted(set(edits), key=lambda e: (e.start, e.end)):
        if kept and edit.start < kept[-1].end or (edit.parent, edit.name) in named:
            continue
        kept.append(edit)
        named.add((edit.parent, edit.name))
    for edit in reversed(kept):
        text = text[:edit.start] + edit.new + text[edit.end:]
    return text, kept


# --- output and writing ------------------------------------------------------------------------


def unified_diff(fix: FileFix) -> str:
    """The fix as a unified diff (`--- a` / `+++ b` both name the file, as ruff prints them)."""
    import difflib

    lines = []
    for line in difflib.unified_diff(fix.before.splitlines(keepends=True), fix.after.splitlines(keepends=True),
                                     fromfile=fix.display_path, tofile=fix.display_path):
        lines.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(lines)


class WriteRefused(OSError):
    """The file cannot be written safely (a symbolic link, not a regular file, changed since read)."""


def write(fix: FileFix) -> None:
    """Replace the file with the fixed text, atomically and keeping its mode and BOM. Refuses a
    symbolic link, anything but a regular file, and a file whose text changed since the run."""
    from cfglint.core.safeio import read_bytes

    path = fix.document.path
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise WriteRefused(f"{fix.display_path}: not fixed: it is a symbolic link")
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused(f"{fix.display_path}: not fixed: not a regular file")
    current = read_bytes(path)
    bom = current.startswith(b"\xef\xbb\xbf")
    if current[3 if bom else 0:] != fix.before.encode("utf-8"):
        raise WriteRefused(f"{fix.display_path}: not fixed: the file changed while cfglint ran")
    directory, name = os.path.split(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".cfglint-fix", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write((b"\xef\xbb\xbf" if bom else b"") + fix.after.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
