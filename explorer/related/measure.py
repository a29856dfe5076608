"""What a printed figure says, and whether two figures measure the same thing.

A printed figure is an interval, not a point: "about 197,000" covers a little
either side of 197,000, "more than 190,000" everything from 190,000 up. Two
figures agree when their intervals meet. Bounds are closed, because printed
figures are rounded: "more than 190,000" and "190,000" agree (the curators
read them so), while "about 197,000" and "190,000" do not.

Units, periods and scopes are compared leniently enough to survive the
curators' wording ("Huawei worldwide" and "worldwide"; "1.55 billion kWh" and
"1,550 million kWh") and strictly enough not to set China against overseas.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from explorer.records import dataclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from explorer.model import Fact

ABOUT_MIN, ABOUT_MAX = 0.01, 0.10
""""About" spans one unit of the last printed digit, kept within 1-10% of the value."""

SCALES = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
"""Scale words a unit may carry ("million kWh", "CNY billion")."""

UNITS = {
    "wh": (1e-3, "kwh"), "kwh": (1.0, "kwh"), "mwh": (1e3, "kwh"), "gwh": (1e6, "kwh"),
    "twh": (1e9, "kwh"), "w": (1.0, "w"), "kw": (1e3, "w"), "mw": (1e6, "w"), "gw": (1e9, "w"),
    "kg": (1e-3, "t"), "t": (1.0, "t"), "ton": (1.0, "t"), "tons": (1.0, "t"),
    "tonne": (1.0, "t"), "tonnes": (1.0, "t"), "co2e": (1.0, "co2"), "rmb": (1.0, "cny"),
    "yuan": (1.0, "cny"), "percent": (1.0, "%"), "minutes": (1 / 60, "hours"),
    "hour": (1.0, "hours"), "h": (1.0, "hours"), "day": (24.0, "hours"), "days": (24.0, "hours"),
    "weeks": (168.0, "hours"), "years": (8766.0, "hours"), "persons": (1.0, "people"),
}  # fmt: skip
"""Unit words and what they are in a common base unit."""

PHYSICAL = {"%", "kwh", "w", "t", "hours", "m", "km", "m2", "km2", "m3", "cny", "usd", "eur", "ft"}
"""Base units that are measures, not counts of things."""

GENERIC = {
    "a", "an", "and", "by", "for", "in", "its", "of", "s", "the", "to", "all", "whole",
    "huawei", "huaweis", "worldwide", "global", "world", "company", "group", "total", "overall",
}  # fmt: skip
"""Scope words that narrow nothing: "Huawei worldwide" is the whole company."""

EXCLUSIONS = {"outside", "overseas", "excluding", "except", "non", "not", "other", "abroad"}
"""Scope words that cut something out: "overseas (outside China)" is not "China"."""


@dataclass(frozen=True, slots=True)
class Interval:
    """The values a printed figure allows, in its base unit; bounds included."""

    lo: float
    """The least value it allows (may be ``-inf``)."""
    hi: float
    """The greatest value it allows (may be ``inf``)."""

    def meets(self, other: Interval) -> bool:
        """True when the two intervals share a value (allowing float noise)."""
        ends = [abs(x) for x in (self.lo, self.hi, other.lo, other.hi) if math.isfinite(x)]
        slack = 1e-9 * max(ends, default=0.0)
        return self.lo <= other.hi + slack and other.lo <= self.hi + slack


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit as a factor times a base unit: "million kWh" is 1e6 x "kwh"."""

    factor: float
    """How many base units one of this unit is."""
    base: str
    """The base unit, lower case: ``kwh``, ``t co2``, ``people/month``, ``count``."""

    def fits(self, other: Unit) -> bool:
        """True when values in the two units can be compared."""
        if self.base == other.base:
            return True
        return (
            "count" in (self.base, other.base) and _countable(self.base) and _countable(other.base)
        )


def _countable(base: str) -> bool:
    return base.isalpha() and base not in PHYSICAL


@lru_cache(maxsize=1024)
def parse_unit(unit: str | None) -> Unit:
    """Read a unit string into a factor and a base unit.

    Args:
        unit: A unit as curated: ``"million kWh"``, ``"t CO2e"``, ``"CNY billion"``,
            ``"t CO2e per million RMB revenue"``; None or empty means ``count``.

    Returns:
        The unit; scale words count only before ``per``.
    """
    top, _, per = (unit or "").lower().partition(" per ")
    factor, words = 1.0, []
    for word in re.findall(r"[a-z0-9%/.]+", top):
        if word in SCALES:
            factor *= SCALES[word]
            continue
        scale, name = UNITS.get(word, (1.0, word))
        factor *= scale
        words.append(name)
    base = " ".join(words) or "count"
    if per:
        base += "/" + " ".join(re.findall(r"[a-z0-9%]+", per))
    return Unit(factor, base)


def precision(value: float) -> float:
    """Return the place of the last non-zero printed digit: 1000 for 197,000, 0.1 for 33.2."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    from decimal import Decimal  # not at import: a figure's text (a warm search) needs none

    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return 10.0 ** int(exponent)


def interval(value: float, qualifier: str, factor: float = 1.0) -> Interval:
    """Return the values a printed figure allows.

    Args:
        value: The figure as printed (``value`` of a fact, or a series point).
        qualifier: One of the model's QUALIFIERS; unknown ones read as exact.
        factor: Multiplies the result into a base unit.
    """
    v = value * factor
    size = abs(value)
    tolerance = min(ABOUT_MAX * size, max(ABOUT_MIN * size, precision(value))) * factor
    if qualifier == "about":
        return Interval(v - tolerance, v + tolerance)
    if qualifier == "nearly":
        return Interval(v - tolerance, v)
    if qualifier in ("more-than", "at-least"):
        return Interval(v, math.inf)
    if qualifier in ("less-than", "up-to"):
        return Interval(-math.inf, v)
    return Interval(v, v)


def fact_interval(fact: Fact, factor: float = 1.0) -> Interval:
    """Return the values a fact's figure allows: its range, or its value as qualified."""
    low = interval(fact.value or 0, fact.qualifier, factor)
    if fact.upper is None:
        return low
    high = interval(fact.upper, fact.qualifier, factor)
    return Interval(min(low.lo, high.lo), max(low.hi, high.hi))


def _span(period: str) -> tuple[str, str]:
    start, _, end = period.partition("/")
    end = end or start
    low = start + "-01-01"[len(start) - 4 :] if len(start) < 10 else start
    high = end + "-12-31"[len(end) - 4 :] if len(end) < 10 else end
    return low, high


def match_period(a: str | None, b: str | None) -> str:
    """Compare two periods.

    Returns:
        ``same`` (equal, or a year and its year-end date: a headcount "as of
        December 31, 2020" is the 2020 headcount), ``overlap`` (one within or
        across the other), ``unknown`` (either missing) or ``other``.
    """
    if not a or not b:
        return "unknown"
    if normal_period(a) == normal_period(b):
        return "same"
    (a_lo, a_hi), (b_lo, b_hi) = _span(a), _span(b)
    return "overlap" if a_lo <= b_hi and b_lo <= a_hi else "other"


def period_key(period: str | None) -> tuple[str, str]:
    """Sort key for periods: by end, then start; missing periods last."""
    if not period:
        return ("~", "~")
    low, high = _span(period)
    return (high, low)


@lru_cache(maxsize=4096)
def scope_words(scope: str | None) -> frozenset[str]:
    """The words of a scope that narrow it, singular, without generic words."""
    words = re.findall(r"[a-z0-9]+", (scope or "").lower().replace("'s", ""))
    stems = (
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words
    )
    return frozenset(w for w in stems if w not in GENERIC)


def match_scope(a: str | None, b: str | None) -> str:
    """Compare two scopes.

    Returns:
        ``same`` (either missing, or the same narrowing words), ``other``
        (one cuts out what the other names: "overseas (outside China)" and
        "China") or ``unclear`` (worded differently: may or may not differ).
    """
    if not a or not b:
        return "same"
    wa, wb = scope_words(a), scope_words(b)
    if wa == wb:
        return "same"
    if wa & EXCLUSIONS != wb & EXCLUSIONS:
        ra, rb = wa - EXCLUSIONS, wb - EXCLUSIONS
        if ra <= rb or rb <= ra:
            return "other"
    return "unclear"


def normal_period(period: str) -> str:
    """A period as a chart point: a year-end date becomes its year."""
    return period[:4] if len(period) == 10 and period.endswith("-12-31") else period
