"""One metric over time, for the app's chart.

Points come from ``table`` facts' series and from single figures of the
metric. One point per period: a table's value first, then a figure stated as
a value (exact, about, nearly), then a bound (more than, up to), then base
order. Facts in a unit that does not convert, or of another scope, are left
out, and `Series.notes` says so.
"""

from __future__ import annotations

from explorer.figures import number_text
from explorer.records import dataclass
from explorer.related.compare import metric_key
from explorer.related.measure import match_scope, normal_period, parse_unit, period_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from explorer.model import Fact, FactBase

BOUNDS = ("more-than", "at-least", "less-than", "up-to")
"""Qualifiers that make a figure a bound rather than a value."""


@dataclass(frozen=True, slots=True)
class Series:
    """A metric's values by period, in one unit."""

    metric: str
    """The metric id, as the first fact of it spells it."""
    unit: str
    """The unit of every value."""
    points: tuple[tuple[str, float, str], ...]
    """(period, value, id of the fact it comes from), ordered by period."""
    scope: str | None = None
    """The scope the points share, where the facts give one."""
    notes: tuple[str, ...] = ()
    """What was left out and why, for a reader."""


def series(base: FactBase, metric: str) -> Series | None:
    """Return a metric's points over time, or None when there is nothing to chart.

    Args:
        base: The fact base.
        metric: A metric id (case, spaces and ``_``/``-`` do not matter).
    """
    from explorer.related.graph import index  # the graph (and rapidfuzz) only when charting

    facts = [
        f
        for f in index(base).by_metric.get(metric_key(metric), ())
        if f.kind != "target" and f.value is not None
    ]
    if not facts:
        return None
    seed = next((f for f in facts if f.kind == "table" and f.series), facts[0])
    unit = parse_unit(seed.unit)
    notes: list[str] = []
    # period -> (rank, position, value, fact id)
    best: dict[str, tuple[int, int, float, str]] = {}
    for position, fact in enumerate(facts):
        other = parse_unit(fact.unit)
        if not unit.fits(other):
            notes.append(f"{fact.id} left out: in {fact.unit}, not {seed.unit}")
            continue
        if match_scope(seed.scope, fact.scope) == "other":
            notes.append(f"{fact.id} left out: scope {fact.scope}, not {seed.scope}")
            continue
        factor = other.factor / unit.factor
        for period, value, rank in _values(fact):
            if period is None:
                notes.append(f"{fact.id} left out: no period")
                continue
            point = (rank, position, value * factor, fact.id)
            kept = best.setdefault(normal_period(period), point)
            if kept is not point:
                loser = max(kept, point)
                best[normal_period(period)] = min(kept, point)
                if not _close(kept[2], point[2]):
                    notes.append(
                        f"{normal_period(period)}: {number_text(loser[2])} ({loser[3]}) left out "
                        f"for {number_text(min(kept, point)[2])} ({min(kept, point)[3]})"
                    )
    points = tuple(
        (period, value, fact_id)
        for period, (_, _, value, fact_id) in sorted(best.items(), key=lambda kv: period_key(kv[0]))
    )
    if not points:
        return None
    return Series(seed.metric or metric, seed.unit or "", points, seed.scope, tuple(notes))


def _values(fact: Fact) -> list[tuple[str | None, float, int]]:
    if fact.kind == "table" and fact.series:
        return [(period, float(value), 0) for period, value in fact.series.items()]
    rank = 2 if fact.qualifier in BOUNDS or fact.upper is not None else 1
    return [(fact.period, float(fact.value or 0), rank)]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)
