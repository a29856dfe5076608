"""Two facts of one metric: do they agree, contradict, or answer a target?

`compare` is symmetric in its relation (swap the facts and the relation
stays); its reason is written from the first fact's side.
"""

from __future__ import annotations

from explorer.figures import figure_text, number_text, unit_text
from explorer.records import dataclass
from explorer.related.measure import (
    Interval,
    fact_interval,
    interval,
    match_period,
    match_scope,
    parse_unit,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from explorer.model import Fact, FactBase


@dataclass(frozen=True, slots=True)
class Verdict:
    """How one fact stands to another of the same metric."""

    rel: str
    """``conflicts``, ``supports``, ``target-of`` or ``same-metric``."""
    reason: str
    """A short phrase for a reader, from the first fact's side."""


def metric_key(metric: str) -> str:
    """A metric id as compared: case, spaces and ``_`` against ``-`` do not matter."""
    return "-".join(metric.lower().replace("_", "-").split())


def labels(base: FactBase, a: Fact, b: Fact) -> tuple[str, str]:
    """Name where each of two facts stands, as briefly as tells them apart."""
    if a.source != b.source:
        sa, sb = base.sources[a.source], base.sources[b.source]
        if sa.kind != sb.kind:
            return f"the {sa.kind}", f"the {sb.kind}"
        return sa.title, sb.title
    if a.section and b.section and a.section != b.section:
        return a.section, b.section
    if a.chapter != b.chapter:
        return base.chapters[a.chapter].label, base.chapters[b.chapter].label
    if a.kind != b.kind:
        return f"the {a.kind}", f"the {b.kind}"
    return "one passage", "another"


def readings(fact: Fact, factor: float) -> list[tuple[str | None, Interval, str]]:
    """What a fact states, as (period, interval in base units, figure text) readings.

    A table states one exact value per period of its series; any other fact
    states its own value for its own period.
    """
    if fact.kind == "table" and fact.series:
        unit = unit_text(fact)
        return [
            (period, interval(value, "exact", factor), f"{number_text(value)}{unit}")
            for period, value in fact.series.items()
        ]
    return [(fact.period, fact_interval(fact, factor), figure_text(fact))]


def compare(base: FactBase, a: Fact, b: Fact) -> Verdict:
    """Say how fact ``b`` stands to fact ``a``; both carry the same metric.

    Conflict needs the same period and the same scope; agreement is read
    more freely (overlapping or missing periods, scopes worded differently).
    A target and a result are ``target-of``, never agreement or conflict.
    A table is read point by point, against figures of the same period.

    Args:
        base: The base both facts belong to (for naming their places).
        a: The fact being read.
        b: The other fact.
    """
    when = b.period or "no period"
    if (a.kind == "target") != (b.kind == "target"):
        return _target(b)
    if a.value is None or b.value is None:
        return Verdict("same-metric", f"same metric, {when}")
    ua, ub = parse_unit(a.unit), parse_unit(b.unit)
    if not ua.fits(ub):
        return Verdict("same-metric", f"same metric, {when}, in {b.unit}")
    scope = match_scope(a.scope, b.scope)
    if scope == "other":
        return Verdict("same-metric", f"same metric, {when}, other scope: {b.scope}")
    tabled = "table" in (a.kind, b.kind)
    agreed: tuple[str, str, str] | None = None
    for pa, ia, ta in readings(a, ua.factor):
        for pb, ib, tb in readings(b, ub.factor):
            match = match_period(pa, pb)
            if match == "other" or (tabled and match != "same"):
                continue
            at = f"for {pa}, " if tabled else ""
            if not ia.meets(ib):
                if match == "same" and scope == "same":
                    return Verdict("conflicts", at + _says(base, a, b, ta, tb))
            elif agreed is None and match == "same":
                agreed = (at, ta, tb)
            elif agreed is None:
                agreed = (at, f"{ta} ({pa or 'no period'})", f"{tb} ({pb or 'no period'})")
    if agreed is None:
        return Verdict("same-metric", f"same metric, {when}")
    return Verdict("supports", agreed[0] + _says(base, a, b, agreed[1], agreed[2]))


def _says(base: FactBase, a: Fact, b: Fact, ta: str, tb: str) -> str:
    if ta == tb:
        return f"both say {ta}"
    la, lb = labels(base, a, b)
    return f"{la} says {ta}; {lb} says {tb}"


def _target(b: Fact) -> Verdict:
    if b.kind == "target":
        status = f", {b.status.replace('-', ' ')}" if b.status else ""
        figure = figure_text(b, period=True) if b.value is not None else "a target"
        return Verdict("target-of", f"its target: {figure}{status}")
    figure = figure_text(b, period=True) if b.value is not None else "a result"
    return Verdict("target-of", f"a result for this target: {figure}")
