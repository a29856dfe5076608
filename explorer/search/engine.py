"""The search engine's face: `search`, its `Hit` and `SearchResult`.

The index is built once per fact base (or loaded with it from the cache) and
kept on the base, so the app can search on every keystroke.
"""

from __future__ import annotations

import gc
from _thread import allocate_lock  # what threading.Lock is, without importing threading

from explorer.model import Fact, FactBase
from explorer.records import dataclass, field
from explorer.search.associate import loosen
from explorer.search.index import SearchIndex, build_index
from explorer.search.plan import make_plan
from explorer.search.query import parse
from explorer.search.rank import rank, relaxed, select
from explorer.search.spans import FieldMatch, Targets, find_spans

_building = allocate_lock()

DEPTH = 50
"""Hits are worked out at least this deep, then cut to the limit: the list a limit of 5
gives is the head of the one 50 gives, so the app (50) and the command line (20) agree."""

FEW = 20
"""Below this many facts holding every word, facts holding some of them join the ranking."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A fact that matches a query, how well, and where."""

    fact: Fact
    """The fact."""
    score: float
    """0-100, higher is better."""
    base: FactBase | None = field(default=None, repr=False, compare=False)
    """The base the fact is in (for its chapter's title in spans)."""
    targets: Targets | None = field(default=None, repr=False, compare=False)
    """What the query looked for; `matches` finds it when asked (most hits are never shown)."""

    @property
    def matches(self) -> tuple[FieldMatch, ...]:
        """The fields that matched, with the spans to highlight."""
        if self.base is None or self.targets is None:
            return ()
        return find_spans(self.base, self.fact, self.targets)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits for a query, best first, with anything the user should know."""

    hits: list[Hit]
    """The best hits, at most the limit asked for."""
    total: int
    """How many facts matched in all."""
    messages: list[str] = field(default_factory=list)
    """Problems with the query, in words (the rest of the query still ran)."""
    partial: int = 0
    """How many of the hits match only some of the query's words (not counted in `total`)."""


def index_for(base: FactBase) -> SearchIndex:
    """Return the base's search index, building it on first use.

    Args:
        base: The fact base; its index is kept on it and reused.
    """
    index = base._search_index
    if index is None:
        with _building:
            index = base._search_index
            if index is None:
                collector = gc.isenabled()
                gc.disable()  # millions of postings, all kept: a collection meanwhile is waste
                try:
                    index = build_index(base)
                finally:
                    if collector:
                        gc.enable()
                object.__setattr__(base, "_search_index", index)
    return index  # type: ignore[no-any-return]


def search(base: FactBase, query: str, limit: int = 20) -> SearchResult:
    """Return the facts of ``base`` that best match ``query``; never raises on any query.

    Args:
        base: The fact base.
        query: Words and operators (see the README's "Search"); empty lists
            the whole base in chapter order.
        limit: The most hits to return.

    Returns:
        The hits, best first, the number of matches and any messages.
    """
    index = index_for(base)
    limit = max(0, limit)
    if not query.strip():
        return _listing(base, limit, [])
    parsed = parse(query)
    plan = make_plan(index, base, parsed)
    messages = parsed.messages
    if not plan.positive and not plan.negative:
        if messages:  # every clause was refused: listing the base would answer another question
            return SearchResult([], 0, messages)
        messages.append(f"nothing to search for in {query.strip()[:40]!r}; showing every fact")
        return _listing(base, limit, messages)
    depth = max(limit, DEPTH)
    found, total = select(base, plan, depth)
    some: set[int] = set()
    if total < FEW and sum(p.scored and p.required for p in plan.positive) > 1:
        # Few facts hold every word: those that hold most of them follow, ranked by what they
        # hold ("government stake in huawei" finds the shareholding that never says "stake").
        some = set(relaxed(base, plan)) - set(found)
        if not total:  # nothing holds every word: facts saying the rest in other terms lead
            loosen(index, base, plan)
        found = [*found, *some]
        if not total and some:
            messages.append("no fact matches every word; showing facts that match some")
    ranked = rank(base, plan, found, depth, parsed.text, some)[:limit]
    targets = Targets.of(plan.words, plan.phrases)
    hits = [Hit(base.facts[i], score, base, targets) for score, i in ranked]
    return SearchResult(hits, total, messages, sum(i in some for _s, i in ranked))


def _listing(base: FactBase, limit: int, messages: list[str]) -> SearchResult:
    """The whole base in base order (chapter order)."""
    return SearchResult([Hit(f, 0.0) for f in base.facts[:limit]], len(base.facts), messages)
