"""How a fact's figure is written for a reader: "about 197,000", "more than 4,500 t (2020)".

Apart from `explorer.related` (which compares figures) so that printing a
search's hits does not import the comparison.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from explorer.model import Fact

QUALIFIER_WORDS = {
    "exact": "", "about": "about ", "nearly": "nearly ", "more-than": "more than ",
    "at-least": "at least ", "less-than": "less than ", "up-to": "up to ",
}  # fmt: skip
"""How each qualifier is written before a figure."""

UNSHOWN_UNITS = ("", "count", "people")
"""Units left out of a figure's text: "about 197,000", not "about 197,000 people"."""


def number_text(value: float) -> str:
    """A number as a reader writes it: ``2,285,458``, ``3,467.14``."""
    return f"{int(value):,}" if value == int(value) else f"{value:,}"


def unit_text(fact: Fact, printed: str = "") -> str:
    """The unit to print after a figure, with its leading space, or nothing."""
    unit = fact.unit or ""
    if unit in UNSHOWN_UNITS or (printed and printed.endswith(unit)):
        return ""
    return f" {unit}"


def figure_text(fact: Fact, period: bool = False) -> str:
    """A fact's figure for a reason: "about 197,000", "more than 4,500 t (2020)".

    Args:
        fact: A fact with a value.
        period: Add the period in brackets.
    """
    printed = fact.as_printed or number_text(fact.value or 0)
    qualifier = "" if printed.endswith("+") else QUALIFIER_WORDS.get(fact.qualifier, "")
    text = f"{qualifier}{printed}{unit_text(fact, printed)}"
    return f"{text} ({fact.period})" if period and fact.period else text
