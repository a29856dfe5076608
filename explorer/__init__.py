"""Fact Explorer: find, check and cite facts from a curated YAML fact base.

The library's face::

    import explorer
    base = explorer.open_factbase()          # the bundled base
    fact = base.get("profile-employees-total")
    for hit in base.search("employees 2020"):
        print(hit.score, hit.fact.claim)
"""

from __future__ import annotations

from explorer.model import Chapter, Fact, FactBase, Section, Source

TYPE_CHECKING = False  # typing costs a warm search ~3.5 ms: nothing on its path imports it
if TYPE_CHECKING:
    from typing import Any

    from explorer.opener import FactBaseError, open_factbase

__version__ = "0.1.0"

__all__ = [
    "Chapter",
    "Fact",
    "FactBase",
    "FactBaseError",
    "Section",
    "Source",
    "__version__",
    "open_factbase",
]


def __getattr__(name: str) -> Any:
    """Import the opener on first use (the app paints before it needs it)."""
    if name in ("FactBaseError", "open_factbase"):
        from explorer import opener

        return getattr(opener, name)
    raise AttributeError(f"module 'explorer' has no attribute {name!r}")
