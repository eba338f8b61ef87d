"""The fixes of findings: a fixer (one per code, `FIXERS`) turns a finding into an edit of the
source text by position. It replaces exactly a key's characters, so comments, order,
whitespace, line endings and the BOM stay as they were. A fix is *safe* when the harness reads
the file the same way afterwards except for the problem fixed (a typo with one close known key,
a pure rename), *unsafe* when it may change what the file means. No fixer returns an unsafe edit
yet: a deprecated key whose replacement takes another form (Kilo `autoshare: false` ->
`share: "disabled"`, pi `websockets: true` -> `transport: "websocket"`) is not renamed, since
the renamed key would hold a value the harness rejects.

The engine asks `edit_for` while a finding's document is loaded, to mark the finding fixable
(`[*]`); `cfglint.engine.fix` plans, shows and writes the edits (`check --fix`, `--diff`).
"""

from __future__ import annotations

import re

from cfglint.core.record import FrozenRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable
    from cfglint.core.document import Document, Path
    from cfglint.core.finding import Finding


SAFE, UNSAFE = "safe", "unsafe"

# Names every dialect can hold as a key without escaping (quoted where a dialect needs it).
_PLAIN_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*")
_TOML_BARE = re.compile(r"[A-Za-z0-9_-]+")
# Plain YAML scalars that would not read back as the string (YAML 1.1 booleans, null).
_YAML_SPECIAL = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


class Edit(FrozenRecord):
    """Replace `text[start:end]` (code-point offsets into the decoded source) with `new`."""

    __slots__ = ("start", "end", "new", "code", "applicability", "parent", "name")

    def __init__(self, start: int, end: int, new: str, code: str, applicability: str, parent: "Path" = (),
                 name: str = "") -> None:
        self.start = start
        self.end = end
        self.new = new
        self.code = code
        self.applicability = applicability  # SAFE or UNSAFE
        # The object the key lives in and the name it gets: two fixes must not give one object
        # two keys of the same name.
        self.parent = parent
        self.name = name


# --- fixers ----------------------------------------------------------------------------------


def _rename_key(doc: "Document", finding: "Finding", new_name: object, applicability: str) -> Edit | None:
    """An edit renaming the key the finding points at to `new_name`, or None when that cannot
    be done safely: the name is not a plain key name, the finding is not on a key, the object
    already has a key of that name, or (TOML) the key names a table that headers may repeat."""
    from cfglint.core.document import get_path

    if not isinstance(new_name, str) or not _PLAIN_NAME.fullmatch(new_name):
        return None
    located = _key_at(doc, finding)
    if located is None:
        return None
    path, start, end = located
    old_name, parent = path[-1], get_path(doc.data, path[:-1])
    if not isinstance(old_name, str) or old_name == new_name or not isinstance(parent, dict) \
            or new_name in parent:
        return None
    kind = _syntax(doc)
    if kind == "toml" and isinstance(parent.get(old_name), (dict, list)):
        return None
    raw = doc.source.text[start:end]
    if _key_text(raw, kind) != old_name:  # not exactly the key: a value, or a form we do not edit
        return None
    return Edit(start, end, _spell_like(raw, new_name, kind), finding.code, applicability,
                path[:-1], new_name)


def _fix_unknown_key(doc: "Document", finding: "Finding") -> Edit | None:
    """SCH002: the key the harness knows, when exactly one is close (`did_you_mean`)."""
    return _rename_key(doc, finding, finding.details.get("did_you_mean"), SAFE)


def _fix_deprecated_key(doc: "Document", finding: "Finding") -> Edit | None:
    """SCH003: the replacement key in the same object, when the harness unit words the fix as a
    rename (the same value under the new name); other moves may need the value rewritten too."""
    if not (finding.fix or "").startswith("rename"):
        return None
    return _rename_key(doc, finding, finding.details.get("replacement"), SAFE)


#: code -> fixer. Adding a fix is adding a function here (returning an `Edit` marked SAFE or
#: UNSAFE) and `fixable` in the rule's `RuleDoc`.
FIXERS: dict[str, Callable[["Document", "Finding"], Edit | None]] = {
    "SCH002": _fix_unknown_key,
    "SCH003": _fix_deprecated_key,
}


# --- positions and spelling ------------------------------------------------------------------


def _key_at(doc: "Document", finding: "Finding") -> tuple["Path", int, int] | None:
    """The path and offsets of the key the finding's span covers exactly. None as well when
    several paths share that key (a YAML anchor merged or aliased elsewhere): renaming the
    text would rename it in every one of them."""
    start = _offset(doc, finding.span.line, finding.span.column)
    end = _offset(doc, finding.span.end_line, finding.span.end_column)
    locations = doc.parse.locations
    matches = [path for path in locations.paths() if path and (loc := locations.get(path)) is not None
               and loc.key_start == start and loc.key_end == end]
    return (matches[0], start, end) if start is not None and end is not None and len(matches) == 1 else None


def _syntax(doc: "Document") -> str:
    """`json` (JSON and JSONC), `toml` or `yaml`: how the file writes its keys."""
    from cfglint.harnesses import harness_for

    syntax = harness_for(doc.dialect).syntax
    return "json" if syntax.startswith("json") else syntax


def _offset(doc: "Document", line: int, column: int) -> int | None:
    """The code-point offset of a 1-based line and column, or None outside the text."""
    starts = doc.source._line_starts()
    if not 1 <= line <= len(starts):
        return None
    offset = starts[line - 1] + column - 1
    return offset if offset <= len(doc.source.text) else None


def _key_text(raw: str, kind: str) -> str | None:
    """The name a key's source text spells, for the forms a rename edits: bare, or quoted
    without escapes."""
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        inner = raw[1:-1]
        return None if "\\" in inner or raw[0] in inner else inner
    if kind == "json":
        return None
    return raw


def _spell_like(raw: str, name: str, kind: str) -> str:
    """`name` written the way the old key was: in the same quotes, or bare where the dialect
    takes it bare."""
    if raw[:1] in ("\"", "'"):
        return f"{raw[0]}{name}{raw[0]}"
    if kind == "toml" and not _TOML_BARE.fullmatch(name):
        return f'"{name}"'
    if kind == "yaml" and name.lower() in _YAML_SPECIAL:
        return f'"{name}"'
    return name


def edit_for(doc: "Document", finding: "Finding") -> Edit | None:
    """The edit that fixes `finding` in `doc` (safe or unsafe), or None when it has no fix."""
    fixer = FIXERS.get(finding.code)
    return fixer(doc, finding) if fixer is not None and doc.parse.ok else None


def fixable_document(doc: "Document") -> bool:
    """Whether the run may edit `doc`: a file it was asked about that parsed."""
    return (doc.parse.ok and doc.companion_of is None and not doc.context and not doc.from_launch
            and doc.path != "-")
