"""Regular expressions compiled on first use.

A module of patterns pays for compiling them when it is imported; a warm
search imports modules whose patterns only `check` or a draft ever runs
(`explorer.numbers`: ~2 ms of a ~80 ms process). `lazy` costs nothing until a
method of the pattern is first called.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _Lazy:
    """Stands for ``re.compile(pattern, flags)``, compiled when first used."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Called only for a name not yet kept: compile once, then keep what was asked for
        # in the instance, so the next `.search` is a plain attribute.
        compiled = re.compile(self._pattern, self._flags)
        value = getattr(compiled, name)
        self.__dict__[name] = value
        return value


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Return a pattern that is compiled the first time one of its methods is used.

    Only its methods and attributes work (``.search``, ``.finditer``, ``.pattern``);
    pass it to no ``re`` function, which would need the compiled pattern.

    Args:
        pattern: The regular expression.
        flags: ``re`` flags, as for `re.compile`.
    """
    return _Lazy(pattern, flags)  # type: ignore[return-value]
