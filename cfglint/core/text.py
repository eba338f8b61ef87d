"""Source text with exact 1-based line/column positions.

Every parser in cfglint reports positions as code-point offsets into the
decoded text (BOM removed); this module turns offsets into the line:col pairs
that findings print. Columns count Unicode code points; CRLF, LF and CR each
end a line (product.md, "Outputs").
"""

from __future__ import annotations

import bisect

from cfglint.core.record import Record

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 256


class Span(Record):
    """A region of a file, 1-based; the end column is exclusive (as SARIF's). Never changed
    once made: hashable."""

    __slots__ = ("line", "column", "end_line", "end_column")

    def __init__(self, line: int, column: int, end_line: int, end_column: int) -> None:
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    def __hash__(self) -> int:
        return hash(self._fields())


FILE_START = Span(1, 1, 1, 1)


class UnreadableText(Exception):
    """The bytes are not a text config (SYN004): the message says why."""


def decode(data: bytes) -> str:
    """Decode config bytes as the harnesses do: UTF-8, optional BOM, no NUL."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableText(
            f"file is {len(data):,} bytes, above the {MAX_FILE_BYTES:,}-byte limit"
        )
    if b"\x00" in data:
        raise UnreadableText("file contains NUL bytes (binary data, not a text config)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableText(f"file is not valid UTF-8 (byte {exc.start})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


class SourceText:
    """Decoded text plus a lazily built line index for offset -> line:col."""

    __slots__ = ("text", "_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            text = self.text
            starts = [0]
            i = 0
            n = len(text)
            find_lf = text.find
            if "\r" not in text:
                while True:
                    j = find_lf("\n", i)
                    if j < 0:
                        break
                    starts.append(j + 1)
                    i = j + 1
            else:
                while i < n:
                    c = text[i]
                    if c == "\n":
                        starts.append(i + 1)
                    elif c == "\r":
                        if i + 1 < n and text[i + 1] == "\n":
                            i += 1
                        starts.append(i + 1)
                    i += 1
            self._starts = starts
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a code-point offset."""
        starts = self._line_starts()
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def span(self, start: int, end: int | None = None) -> Span:
        line, col = self.position(start)
        if end is None or end <= start:
            return Span(line, col, line, col)
        end_line, end_col = self.position(end)
        return Span(line, col, end_line, end_col)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line ending."""
        starts = self._line_starts()
        if not 1 <= line <= len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    @property
    def line_count(self) -> int:
        return len(self._line_starts())
