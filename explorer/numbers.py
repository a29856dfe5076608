"""Numbers as printed in prose: "2,285,458", "33.2%", "1.55 billion", "three billion".

Used by `check` (does ``value`` agree with ``as_printed``?) and by search
(197,000 = 197000 = 197 000; "1.55 billion" finds "1,550 million").
"""

from __future__ import annotations

import math
import re

from explorer.lazyre import lazy

SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
"""Scale words and the factor each stands for."""

WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "half": 0.5, "dozen": 12,
    "dozens": 12, "hundreds": 100, "thousands": 1000, "millions": 1e6, "billions": 1e9,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "tenth": 10,
}  # fmt: skip
"""Number words a report writes out."""

# Digits with thousands separators (comma, thin or plain space) and decimals.
DIGITS = r"\d{1,3}(?:(?:,|\u2009|\u202f| )\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
SCALE_WORDS = "hundred|thousand|million|billion|trillion|bn|mn"
"""The scale words a figure may carry after its digits, as a pattern's alternatives."""
_NUMBER = lazy(rf"(?P<num>{DIGITS})\s*(?P<scale>{SCALE_WORDS})?\b", re.IGNORECASE)
# In running text a space between digits separates two numbers ("2019 2020").
_TEXT_NUMBER = lazy(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    rf"(?P<scale>{SCALE_WORDS})?\b",
    re.IGNORECASE,
)
_WORD_NUMBER = lazy(
    r"\b(?P<word>" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")(?:[\s-]+"
    r"(?P<unit>one|two|three|four|five|six|seven|eight|nine))?\s*"
    r"(?P<scale>hundred|thousand|million|billion|trillion)?\b",
    re.IGNORECASE,
)


FRACTIONS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
"""Fraction words and their denominators ("one-tenth", "two-thirds", "a quarter")."""

_FRACTION = lazy(
    r"\b(?P<count>a|an|one|two|three|four)[\s-]+(?P<part>half|thirds?|quarters?|fifths?|tenths?)\b",
    re.IGNORECASE,
)
_CLOCK = lazy(r"\b(?P<h>\d{1,2}):(?P<m>\d{2})\s*(?P<ampm>[ap])\.?\s?m\b\.?", re.IGNORECASE)
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4}
FREQUENCIES = {"weekly": 52, "monthly": 12, "quarterly": 4, "annually": 1, "yearly": 1}
"""How many times a year a frequency word means."""


def parse_number(text: str) -> float | None:
    """Read the first number in ``text``, with its scale word.

    Args:
        text: A figure as printed, e.g. ``"1,550 million"``, ``"33.2%"``,
            ``"more than three billion"``.

    Returns:
        Its value (``1550000000.0``, ``33.2``, ``3000000000.0``), or None when
        ``text`` holds no number.
    """
    clock = _CLOCK.search(text)
    if clock:  # a time of day, as hours on a 24-hour clock: "10:00 p.m." is 22
        hours = int(clock.group("h")) % 12 + (12 if clock.group("ampm").lower() == "p" else 0)
        return hours + int(clock.group("m")) / 60
    fraction = _FRACTION.search(text)
    if fraction:
        part = fraction.group("part").lower().rstrip("s")
        return _COUNTS[fraction.group("count").lower()] / FRACTIONS[part]
    match = _NUMBER.search(text)
    if match:
        value = _digits(match.group("num"))
        if text[: match.start()].strip() in ("-", "\u2212"):
            value = -value  # "-33.2%": a printed decrease
        scale = match.group("scale")
        return value * SCALES[scale.lower()] if scale else value
    word = _WORD_NUMBER.search(text)
    if word is None:
        frequency = re.search("|".join(FREQUENCIES), text, re.IGNORECASE)
        return float(FREQUENCIES[frequency.group().lower()]) if frequency else None
    value = float(WORDS[word.group("word").lower()])
    if word.group("unit"):
        value += WORDS[word.group("unit").lower()]
    scale = word.group("scale")
    if scale:
        if word.group("word").lower() in ("a", "an") and not word.group("unit"):
            value = 1.0
        value *= SCALES[scale.lower()]
    return value


_RANGE = lazy(
    rf"^\D*?(?P<lo>{DIGITS})\s*(?P<lo_scale>{SCALE_WORDS})?\s*%?\s*"
    rf"(?:\u2013|\u2014|-|~|to|and)\s*(?P<hi>{DIGITS})\s*(?P<hi_scale>{SCALE_WORDS})?\b",
    re.IGNORECASE,
)


def parse_range(text: str) -> tuple[float, float] | None:
    """Read a figure printed as a range: "26\u201350%", "80% to 95%", "1\u20132 billion".

    Returns:
        Its bounds, a scale word after the second applying to both; None when
        ``text`` is not two numbers joined by a dash, "to" or "and" with the
        first below the second (so "-33.2%" and "2.2 to 1.1" are not ranges).
    """
    match = _RANGE.match(text)
    if match is None:
        return None
    hi_scale = (match.group("hi_scale") or "").lower()
    lo_scale = (match.group("lo_scale") or hi_scale).lower()
    lo = _digits(match.group("lo")) * SCALES.get(lo_scale, 1)
    hi = _digits(match.group("hi")) * SCALES.get(hi_scale, 1)
    return (lo, hi) if lo < hi else None


_RANGES = lazy(
    rf"(?<![\d.,])(?P<lo>{DIGITS})\s*(?:{SCALE_WORDS})?\s*%?\s*"
    rf"(?:\u2013|\u2014|-|to)\s*(?P<hi>{DIGITS})\s*(?:{SCALE_WORDS})?\b\s*%?",
    re.IGNORECASE,
)


def ranges_in(text: str) -> list[tuple[int, int, tuple[float, float]]]:
    """Every range printed in ``text``: its start, end and bounds."""
    out = []
    for match in _RANGES.finditer(text):
        if re.search(r"\bfrom\s*$", text[: match.start()], re.IGNORECASE):
            continue  # "from 605 million to 2 billion" is a change, not a range
        bounds = parse_range(match.group())
        if bounds is not None:
            out.append((match.start(), match.end(), bounds))
    return out


def _digits(text: str) -> float:
    """The value of digits as `DIGITS` matches them, thousands separators dropped."""
    return float(re.sub(r"[,\u2009\u202f ]", "", text))


def same_number(a: float, b: float) -> bool:
    """True when two numbers are equal but for floating-point noise."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def numbers_in(text: str) -> list[float]:
    """Return every number written in digits in ``text``, scale words applied."""
    values = []
    for match in _TEXT_NUMBER.finditer(text):
        digits = match.group("num").replace(",", "")
        try:
            value = float(digits)
        except ValueError:  # pragma: no cover - the pattern only admits digits
            continue
        scale = match.group("scale")
        values.append(value * SCALES[scale.lower()] if scale else value)
    return values


def spellings(value: float) -> set[str]:
    """Return the common ways a number is printed, for search.

    ``197000`` gives ``{"197000", "197,000", "197 000", "197 thousand"}``;
    ``1550000000`` also gives ``"1.55 billion"`` and ``"1,550 million"``.
    """
    out = {_plain(value)}
    if value == int(value) and abs(value) >= 1000:
        whole = int(value)
        out.add(f"{whole:,}")
        out.add(f"{whole:,}".replace(",", " "))
    for word, factor in (("thousand", 1e3), ("million", 1e6), ("billion", 1e9)):
        scaled = value / factor
        if abs(scaled) >= 1 and round(scaled, 3) == scaled:
            out.add(f"{_plain(scaled)} {word}")
            if scaled >= 1000 and scaled == int(scaled):
                out.add(f"{int(scaled):,} {word}")
    return out


def _plain(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"
