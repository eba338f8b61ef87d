"""Bounded reads that never block: every file cfglint opens goes through here.

A repository can hold anything where a config is expected: a FIFO (opening it
for reading blocks until a writer comes), a device (`/dev/zero` never ends), a
300 MB file. Each read here opens without blocking and without following a
final symlink unless asked, checks that it got a regular file before reading a
byte, and reads at most `limit` bytes, so no input can hang cfglint or exhaust
its memory (SECURITY.md).
"""

from __future__ import annotations

import os
import stat

DEFAULT_LIMIT = 10 * 1024 * 1024


class BoundedReadError(OSError):
    """The path is not a regular file, or holds more than the limit: the message says which."""


def read_bytes(path: str, limit: int = DEFAULT_LIMIT, *, what: str = "file") -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises `BoundedReadError` for anything that is not a regular file (directory, FIFO,
    socket, device) and for a file larger than `limit`, and `OSError` when it cannot be
    opened. `what` names the file in messages ("settings file", "registry overlay")."""
    mode = os.stat(path).st_mode  # the type before any open: opening a FIFO has effects on its writer
    if not stat.S_ISREG(mode):
        raise BoundedReadError(f"{what} is not a regular file ({kind_of(mode)})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped for something else since the stat
            raise BoundedReadError(f"{what} is not a regular file ({kind_of(st.st_mode)})")
        if st.st_size > limit:
            raise BoundedReadError(f"{what} is {st.st_size:,} bytes, above the {limit:,}-byte limit")
        chunks = []
        remaining = limit + 1  # a file that grew after fstat is caught by reading one byte more
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise BoundedReadError(f"{what} is above the {limit:,}-byte limit")
        return data
    finally:
        os.close(fd)


def read_text(path: str, limit: int = DEFAULT_LIMIT, *, what: str = "file") -> str:
    """`read_bytes` decoded as UTF-8 (a `UnicodeDecodeError` propagates)."""
    return read_bytes(path, limit, what=what).decode("utf-8")


def read_stream(stream, limit: int = DEFAULT_LIMIT, *, what: str = "standard input") -> bytes:
    """At most `limit` bytes of a binary stream (standard input); more is an error, and
    reading stops one byte past the limit, so `/dev/zero` on stdin ends."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise BoundedReadError(f"{what} is above the {limit:,}-byte limit")
    return data


def kind_of(mode: int) -> str:
    """`directory`, `FIFO`, `socket`, `character device`, ...: for one-line messages."""
    for test, name in ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                       (stat.S_ISLNK, "symbolic link")):
        if test(mode):
            return name
    return "special file"
