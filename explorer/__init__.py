"""Fact Explorer: find, check and cite facts from a curated YAML fact base.

The library's face::

    import explorer
    base = explorer.open_factbase()          # the bundled base
    fact = base.get("profile-employees-total")
    for hit in base.search("employees 2020"):
        print(hit.score, hit.fact.claim)
"""

from __future__ import annotations

from explorer.loader import FactBaseError, open_factbase
from explorer.model import Chapter, Fact, FactBase, Section, Source

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
