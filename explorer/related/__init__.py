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

from explorer.related.compare import Verdict, compare
from explorer.related.graph import RELATIONS, Related, conflicts, related
from explorer.related.series import Series, series

__all__ = ["RELATIONS", "Related", "Series", "Verdict", "compare", "conflicts", "related", "series"]
