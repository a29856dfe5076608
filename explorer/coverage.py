"""Which figures of a source text stand in no fact's quote.

A *figure* is a number a reader could cite (FACTBASE.md): counts, amounts,
percentages, ratios, rankings. Not figures: years used as dates, page numbers,
list numbering and the numbers inside names of standards, goals or products
("ISO 14001", "SDG 4", "5G", "Mate 40").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A number as printed: "197,000", "33.2", "1.55", "60,000", "5".
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

# Glued to letters ("5G", "G20", "3D", "Wi-Fi 6") or part of a longer code
# ("102-1", "14001:2015", "v2.0") means it is a name, not a figure.
FIGURE = re.compile(rf"(?<![\w.,:/-])({_NUMBER})(?![\w]|[.,:/]\d|-\d)")

# Words that make the number after them a name or a reference.
NAME_WORDS = re.compile(
    r"\b(?:ISO|IEC|GRI|SDGs?|OHSAS|Chapter|Appendix|No\.|Article|Mate|P|EMUI|"
    r"HarmonyOS|Goal|Level|Tier|Phase|Class|Wi-Fi|Release|R|version|TL|IECQ|QC|"
    r"SA|GB|EN|IEEE|ITU-T|ETSI|Part|Scope|Category|COVID-|COP)\s*$",
    re.IGNORECASE,
)

# Telephone numbers and postcodes are addresses, not figures.
CONTACT = re.compile(r"\b(?:Tel|Fax|Postcode|Zip code|P\.R\. China|\d{6}, China)\b", re.IGNORECASE)

YEARS = range(1950, 2051)


def is_year(token: str) -> bool:
    """A bare four-digit number in 1950-2050 is read as a date, not a figure."""
    return token.isdigit() and len(token) == 4 and int(token) in YEARS


def figures_in(text: str) -> set[str]:
    """Return the distinct figures printed in ``text``, as printed.

    Args:
        text: Source text, possibly many lines.

    Returns:
        The figures, e.g. ``{"197,000", "33.2", "170"}``.
    """
    found: set[str] = set()
    for line in text.splitlines():
        stripped = line.strip()
        if re.fullmatch(r"[\d\s.]*", stripped) or CONTACT.search(line):
            continue  # a page or list number standing alone, or an address line
        for match in FIGURE.finditer(line):
            token = match.group(1)
            if is_year(token) or NAME_WORDS.search(line[: match.start()]):
                continue
            if token.isdigit() and int(token) < 10:
                continue  # single digits are mostly numbering; words carry small counts
            found.add(token)
    return found


def normalise_space(text: str) -> str:
    """Fold every run of white space to one space."""
    return " ".join(text.split())


def missing_figures(text: str, quotes: Iterable[str]) -> list[str]:
    """Return the figures of ``text`` that stand in none of ``quotes``, sorted.

    Args:
        text: The source text to cover.
        quotes: The quotes of the facts that cite it.
    """
    covered: set[str] = set()
    for quote in quotes:
        covered |= figures_in(normalise_space(quote))
    return sorted(figures_in(text) - covered, key=_numeric_key)


def _numeric_key(token: str) -> tuple[float, str]:
    return float(token.replace(",", "")), token
