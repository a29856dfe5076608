"""A problem in a fact base, where it is and what to do: every check reports these.

Apart from the YAML reader (which re-exports it) so that code that only names
problems, such as opening a base from the cache, need not import YAML.
"""

from __future__ import annotations

from explorer.records import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a file, where it is and what to do."""

    path: str
    """The file, as the user named it."""
    line: int
    """1-based line (0 when the problem is the whole file)."""
    col: int
    """1-based column."""
    message: str
    """What is wrong, in words a curator can act on."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"
