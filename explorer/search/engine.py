"""A first ranking: rapidfuzz over each fact's claim, quote and tags.

The search issue replaces this with an indexed engine; the API (`search`,
`Hit`, `SearchResult`) stays.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from explorer.model import Fact, FactBase

MAX_QUERY = 500
"""Characters of a query that are scored; the rest is ignored (and said so)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A fact that matches a query, and how well."""

    fact: Fact
    """The fact."""
    score: float
    """0-100, higher is better."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits for a query, best first, with anything the user should know."""

    hits: list[Hit]
    """The best hits, at most the limit asked for."""
    total: int
    """How many facts matched in all."""
    messages: list[str] = field(default_factory=list)
    """Problems with the query, in words (the rest of the query still ran)."""


def normalise(text: str) -> str:
    """NFKC-normalise and case-fold text, so both sides compare alike."""
    return unicodedata.normalize("NFKC", text).casefold()


def search(base: FactBase, query: str, limit: int = 20) -> SearchResult:
    """Return the facts of ``base`` that best match ``query``.

    Args:
        base: The fact base.
        query: Free words; empty lists the base in chapter order.
        limit: The most hits to return.
    """
    messages = []
    if len(query) > MAX_QUERY:
        messages.append(f"query cut to its first {MAX_QUERY} characters")
        query = query[:MAX_QUERY]
    words = normalise(query).split()
    if not words:
        hits = [Hit(f, 0.0) for f in base.facts]
        return SearchResult(hits[:limit], len(hits), messages)
    scored = []
    for fact in base.facts:
        text = normalise(" ".join((fact.claim, fact.quote, " ".join(fact.tags))))
        score = min(fuzz.partial_ratio(word, text) for word in words)
        if score >= 75:
            scored.append(Hit(fact, score))
    scored.sort(key=lambda h: -h.score)
    return SearchResult(scored[:limit], len(scored), messages)
