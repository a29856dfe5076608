"""Read a user's file only when it is a regular file of a sane size.

A name can point at a FIFO (reading blocks for ever), a device (``/dev/zero``
never ends) or a folder. Such an entry is named, never read: its type is
looked at before it is opened, and again on the opened descriptor (opened
non-blocking, so a FIFO swapped in between cannot hang the reader).
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from explorer.paths import Name

_KINDS = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
)  # fmt: skip


class NotReadable(ValueError):
    """The entry is not a regular file, or is too large; the message says which."""

    def __init__(self, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        """What the entry is when it is not a regular file ("a FIFO"), else ""."""


def kind_of(mode: int) -> str:
    """Say what an entry that is not a regular file is ("a FIFO"), or "" for a regular one."""
    return next((what for test, what in _KINDS if test(mode)), "")


def read_regular(path: Name, limit: int) -> bytes:
    """Return the bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises:
        NotReadable: When it is not a regular file (its message is what it is,
            "a FIFO") or holds more than ``limit`` bytes.
        OSError: When it cannot be opened or read.
    """
    info = os.stat(path)
    _check(info.st_mode, info.st_size, limit)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        _check(info.st_mode, info.st_size, limit)
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:  # it grew while being read
        raise NotReadable(f"more than {limit:,} bytes")
    return data


def _check(mode: int, size: int, limit: int) -> None:
    kind = kind_of(mode)
    if kind:
        raise NotReadable(f"{kind}, not a regular file", kind)
    if size > limit:
        raise NotReadable(f"{size:,} bytes, more than {limit:,}")
