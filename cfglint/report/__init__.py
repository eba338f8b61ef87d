"""Output formats. Each reporter turns sorted findings into the text written to stdout; most also
give it in pieces (`pieces`), so that a run of many files never holds its whole output at once."""

from __future__ import annotations

import json
import re

from cfglint.core import load_module

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterable, Iterator
    from cfglint.core.finding import Finding


# format name -> (module, function) of its renderer, imported on demand so a run loads only its own
_RENDERERS = {
    "text": ("cfglint.report.text", "render_text"),
    "concise": ("cfglint.report.text", "render_concise"),
    "full": ("cfglint.report.text", "render_full"),
    "json": ("cfglint.report.json_report", "render_json"),
    "json-lines": ("cfglint.report.json_report", "render_json_lines"),
    "sarif": ("cfglint.report.sarif", "render_sarif"),
    "github": ("cfglint.report.github", "render_github"),
    "gitlab": ("cfglint.report.gitlab", "render_gitlab"),
    "junit": ("cfglint.report.junit", "render_junit"),
}
FORMATS = tuple(_RENDERERS)
JSON_FORMATS = ("json", "json-lines", "sarif", "gitlab")
XML_FORMATS = ("junit",)
# The formats a terminal reads: the only ones ever coloured (escapes would corrupt JSON, XML or workflow commands).
TERMINAL_FORMATS = ("text", "concise", "full")
# The formats that read the source lines of the findings (snippets, fingerprints): their runs keep
# the documents, so they are not served from the result cache, as with `--show-source`.
SOURCE_FORMATS = ("full", "gitlab")
# The formats `--statistics` can print in (`cfglint.report.statistics`): the others have no place for a table.
STATISTICS_FORMATS = ("text", "concise", "full", "json", "json-lines")
_NON_ASCII = r"[^\x00-\x7f]"  # compiled (by `re`'s cache) only when an output needs escaping


def reporter(name: str) -> Callable[..., str]:
    """The renderer for an output format."""
    module, function = _RENDERERS.get(name, _RENDERERS["text"])
    return getattr(load_module(module), function)


def pieces(name: str) -> Callable[..., Iterator[str]]:
    """The output of a format as pieces whose concatenation is `reporter`'s text: each finding's
    lines apart (the format's `iter_*` function), or the whole text as one piece for the formats
    that are one document built at once (junit, gitlab)."""
    module, function = _RENDERERS.get(name, _RENDERERS["text"])
    loaded = load_module(module)
    iterate = getattr(loaded, "iter_" + function.removeprefix("render_"), None)
    if iterate is not None:
        return iterate
    whole = getattr(loaded, function)
    return lambda findings, **options: iter((whole(findings, **options),))


def json_list_pieces(items: Iterator[object], level: int = 0) -> Iterator[str]:
    """`json.dumps(list(items), indent=2, ensure_ascii=False)` item by item, for a list nested
    `level` deep in an indented document (its text after the key, up to its closing bracket).
    JSON strings escape their line breaks, so each item's lines can be indented alone."""
    margin = "\n" + "  " * (level + 1)
    first = True
    for item in items:
        yield ("[" if first else ",") + margin + json.dumps(item, indent=2, ensure_ascii=False).replace("\n", margin)
        first = False
    yield "[]" if first else "\n" + "  " * level + "]"


def message_with_fix(finding: Finding) -> str:
    """The message with the fix appended as its own sentence, for formats that show one text."""
    if not finding.fix:
        return finding.message
    stop = "" if finding.message.endswith((".", "!", "?")) else "."
    return f"{finding.message}{stop} Fix: {finding.fix}"


def batched(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """`pieces` joined into chunks of about `size` characters (whole pieces each: an escape
    sequence or a line is never cut), so few writes carry a large output."""
    chunk: list[str] = []
    length = 0
    for piece in pieces:
        chunk.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(chunk)
            chunk, length = [], 0
    if length:
        yield "".join(chunk)


def utf8(encoding: str | None) -> bool:
    """Whether a stream of `encoding` takes any output as it is: then `encodable` changes nothing
    (findings are UTF-8-safe once printable, and their details' keys are the rules' own names),
    so the output may be written in pieces; otherwise its escaping is decided for the whole."""
    import codecs

    try:
        return codecs.lookup(encoding or "utf-8").name == "utf-8"
    except LookupError:
        return False


def encodable(output: str, output_format: str, encoding: str | None) -> str:
    """`output` ready for a stream of `encoding`: a JSON or XML format that the encoding cannot
    hold (`PYTHONIOENCODING=latin-1`, a C locale) gets `\\u` escapes or character references,
    which keep it valid and mean the same; text formats are left to the stream's
    `backslashreplace` (`cli.main`)."""
    if output_format not in JSON_FORMATS + XML_FORMATS:
        return output
    try:
        output.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        if output_format in XML_FORMATS:
            # Non-ASCII characters can only be in attribute values and text, where `&#xNNNN;` means the same.
            return re.sub(_NON_ASCII, lambda match: f"&#x{ord(match.group()):x};", output)
        # Non-ASCII characters can only be inside JSON strings, where `\\uXXXX` means the same.
        return re.sub(_NON_ASCII, lambda match: json.dumps(match.group()).strip('"'), output)
    return output
