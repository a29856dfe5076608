"""Relations between facts: what to read next, what agrees, what contradicts.

No Textual here; the app, the CLI and scripts all use this API::

    from explorer.related import related, conflicts, series

    for item in related(base, "profile-employees-total-2020"):
        print(item.rel, item.fact.id, item.reason)
    for a, b, reason in conflicts(base):
        print(a.id, b.id, reason)
    chart = series(base, "energy.electricity")   # chart.points: (period, value, fact id)

Relations are derived from the fields (metric, period, scope, qualifier,
value, unit, section, tags, gri) as well as read from curated ``related:``
links, so they hold while curators are still writing.
"""

from __future__ import annotations

# `compare` and `series` are imported here, as they share their modules' names:
# bound now, the package's attribute is the function, never the module.
from explorer.related.compare import Verdict, compare
from explorer.related.series import Series, series

TYPE_CHECKING = False  # a warm search prints figures through here: typing costs it ~3.5 ms
if TYPE_CHECKING:
    from typing import Any

    from explorer.related.graph import RELATIONS, Related, conflicts, related

__all__ = ["RELATIONS", "Related", "Series", "Verdict", "compare", "conflicts", "related", "series"]

_GRAPH = ("RELATIONS", "Related", "conflicts", "related")
"""Names of `explorer.related.graph`, imported on first use: a figure's text needs no graph."""


def __getattr__(name: str) -> Any:
    """Import the module that holds ``name`` on first use."""
    if name not in _GRAPH:
        raise AttributeError(f"module 'explorer.related' has no attribute {name!r}")
    from explorer.related import graph

    return getattr(graph, name)
