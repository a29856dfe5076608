"""Open a fact base: from the cache when its files are unchanged, else through the loader.

Light on purpose: a warm start (``fact-explorer search``) opens its base here
without importing the loader, YAML or the schema validator, which only a load
from the files needs.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from explorer.model import FactBase
    from explorer.paths import Name
    from explorer.problems import Problem


class FactBaseError(Exception):
    """The fact base cannot be used; `problems` says every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def open_factbase(path: Name | None = None) -> FactBase:
    """Load a fact base, the bundled one by default.

    Args:
        path: A fact base folder; None means ``$FACT_EXPLORER_FACTS`` or the
            bundled base.

    Returns:
        The loaded base, with its search index: from the cache when the files
        are unchanged (see `explorer.cache`), else from the files. From the
        cache, each fact is made when first asked for (`explorer.cache.FactsOnDemand`):
        making all of a million facts costs ~3.3 s and ~0.5 GB that a search,
        or an app showing a few of them, never needs.

    Raises:
        FactBaseError: With every problem found, when there is any.
    """
    from explorer.cache import cached
    from explorer.paths import default_facts_dir

    return cached(path if path is not None else default_facts_dir(), _load, on_demand=True)


def open_for_search(path: Name) -> FactBase:
    """`open_factbase` for one search (the command line's path, without its defaults).

    A search reads the index and the few facts it ranks and prints; making every
    fact first costs more than the search at 100k facts (`explorer.cache.FactsOnDemand`).
    """
    from explorer.cache import cached

    return cached(path, _load, on_demand=True)


def _load(root: str) -> FactBase:
    """Load a base from its files (the loader, and YAML, imported only now)."""
    from explorer import loader

    return loader._load_strict(root)
