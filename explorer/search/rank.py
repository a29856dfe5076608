"""Combine the clauses of a plan into candidates, count them, and rank them.

Selective clauses (dicts) intersect at C speed and every member is scored.
When every clause is common (``huawei 2020``), the bitsets are AND-ed for an
exact count and only the best heads of the postings are scored: the work per
query stays bounded however large the base grows.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from itertools import chain, islice
from operator import mul

from explorer.model import ENTRY_KINDS, FactBase
from explorer.search.fields import SPAN_FIELDS, field_text
from explorer.search.fuzzy import default_process, fuzz
from explorer.search.members import SCATTER, Members, bitset, spread, tester
from explorer.search.plan import Part, Plan
from explorer.search.spans import has_phrase

POOL = 1500
"""Candidates scored at most: beyond it, the best by the most selective clause."""

SOME_POOL = 300
"""Facts taken from each clause when facts holding only some of the words are looked for."""

RERANK = 40
"""Candidates whose claims are compared with the query as a whole."""

CLOSENESS = 0.12
"""Share of the final score that comes from that comparison."""

SOME_SHARE = 0.9
"""What a fact holding only some of the words keeps of its score."""

SOFT_SHARE = 0.25
"""What a question word ("how many") counts, against a word that must match."""


def select(base: FactBase, plan: Plan, want: int) -> tuple[list[int], int]:
    """Return candidates to score and how many facts match every clause (exactly).

    Args:
        base: The fact base.
        plan: The evaluated clauses.
        want: How many hits are wanted.

    Returns:
        At most `POOL` candidates (the best by the most selective clause when
        more match) and the number of matches.
    """
    size = len(base.facts)
    required = [p for p in plan.positive if p.required]
    smalls = sorted((p.members for p in required if p.members.small is not None), key=_size)
    bigs = [p.members for p in required if p.members.small is None]
    bigs += [Members(bits=~m.bits) for m in plan.negative if m.small is None]  # all but them
    if smalls:
        keys = set(smalls[0].small or ())
        for members in smalls[1:]:
            keys.intersection_update(members.small or ())
        for members in plan.negative:
            if members.small is not None:
                keys.difference_update(members.small)
        if len(keys) <= POOL:  # every match is a candidate: the count is exact
            tests = [m.tester for m in bigs]
            found = [i for i in keys if all(t(i) for t in tests)] if tests else list(keys)
            found = _verified(base, plan.positive, found)
            return found, len(found)
        if not bigs:
            return _verified(base, plan.positive, _first(smalls[0], keys.__contains__)), len(keys)
        if len(keys) >= SCATTER:  # many: count them against a byte per fact, in C
            common = -1
            for members in bigs:
                common &= members.bits
            ones = spread(common & ((1 << size) - 1), size)
            found = _first(smalls[0], ones.__getitem__, keys.__contains__)
            return _verified(base, plan.positive, found), sum(map(ones.__getitem__, keys))
        bits = bitset(keys, size)  # count through bitsets (C speed); score the best few
        for members in bigs:
            bits &= members.bits
        return _verified(base, plan.positive, _first(smalls[0], tester(bits))), bits.bit_count()
    bits = (1 << size) - 1
    for members in bigs:
        bits &= members.bits
    for members in plan.negative:
        if members.small is not None:
            bits &= ~bitset(members.small, size)
    total = bits.bit_count()
    admitted = tester(bits)
    heads = islice(chain.from_iterable(m.head for m in bigs), 2 * POOL)
    found = [i for i in dict.fromkeys(heads) if admitted(i)]
    if len(found) < want:
        found += [i for i in _first_bits(bits, want + len(found)) if i not in found]
    return _verified(base, plan.positive, found), total


def _first(members: Members, *keep: Callable[[int], object]) -> list[int]:
    """The first `POOL` members that each of ``keep`` admits: from the head (best first),
    then the rest."""
    order: Iterable[int] = chain(members.head, members.small or ())
    for test in keep:
        order = filter(test, order)
    return list(dict.fromkeys(islice(order, 2 * POOL)))[:POOL]


def relaxed(base: FactBase, plan: Plan) -> list[int]:
    """Return facts matching any scored clause and every filter: for a query none matches."""
    scored = [p.members for p in plan.positive if p.scored and p.required]
    others = [p.members for p in plan.positive if not p.scored]
    pool: dict[int, None] = {}
    for members in scored:  # each clause's best first (its head), then the rest
        pool.update(dict.fromkeys(islice(chain(members.head, members.small or ()), SOME_POOL)))
    if not others and not plan.negative:
        return list(pool)
    return [
        i for i in pool if all(i in m for m in others) and not any(i in m for m in plan.negative)
    ]


ENTRY_DAMP = 0.7
"""Share of its score an appendix entry keeps when the query does not ask for its kind:
"gtac" finds the fact about the centre before the glossary line naming it."""


def rank(
    base: FactBase,
    plan: Plan,
    found: Iterable[int],
    want: int,
    text: str,
    some: AbstractSet[int] = frozenset(),
) -> list[tuple[float, int]]:
    """Return the best ``want`` candidates as (score 0-100, fact number), best first.

    ``some`` are the candidates that hold only some of the words: they keep `SOME_SHARE`
    of their score."""
    scored = [p for p in plan.positive if p.scored]
    if not scored:
        return [(100.0, i) for i in sorted(found)[:want]]
    total = sum(_share(p) for p in scored) or 1.0
    scores = dict.fromkeys(found, 0.0)
    for part in scored:
        share, members = _share(part) / total, part.members
        weight = members.small.get if members.small is not None else members.weight
        loose = part.loose.weight if part.loose is not None and some else None
        if loose is None:
            scores = {i: s + weight(i, 0.0) * share for i, s in scores.items()}
        else:  # a fact lacking the clause may still say it in other terms, faintly
            scores = {i: s + (weight(i, 0.0) or loose(i, 0.0)) * share for i, s in scores.items()}
    if some:
        scores = {i: s * SOME_SHARE if i in some else s for i, s in scores.items()}
    if plan.intent.active:  # the kind of figure, the period and the total asked for
        rows = list(scores)
        factors = plan.intent.factors(base, rows)
        scores = dict(zip(rows, map(mul, scores.values(), factors), strict=True))
    if not plan.intent.entry:  # a disclosure or an acronym not asked for: behind a fact
        entries = _entries(base)
        if entries:
            scores = {i: s * ENTRY_DAMP if i in entries else s for i, s in scores.items()}
    best = heapq.nlargest(max(want, RERANK), ((s, -i) for i, s in scores.items()))
    if text and len(best) > 1:
        # Only the best `RERANK` are compared with the query, however many are wanted, so a
        # longer list starts with the shorter one; the rest follow, as if not alike at all.
        head = [(s * (1 - CLOSENESS) + CLOSENESS * _closeness(base, -i, text), i)
                for s, i in best[:RERANK]]  # fmt: skip
        head.sort(reverse=True)
        floor = head[-1][0]
        best = head + [(min(floor, s * (1 - CLOSENESS)), i) for s, i in best[RERANK:]]
    return [(round(100.0 * min(1.0, s), 2), -i) for s, i in best[:want]]


def _entries(base: FactBase) -> set[int]:
    """The appendix entries' numbers, from the index's table of kinds: reading each
    candidate's kind made thousands of facts a query from a cache (`FactsOnDemand`)."""
    index = base._search_index
    if index is None:
        return {i for i, fact in enumerate(base.facts) if fact.kind in ENTRY_KINDS}
    return {i for kind in ENTRY_KINDS for i in index.tables.kind.get(kind, ())}


def _share(part: Part) -> float:
    """How much a clause counts: its idf, a quarter of it for a question word."""
    return part.idf if part.required else part.idf * SOFT_SHARE


def _closeness(base: FactBase, i: int, text: str) -> float:
    """How alike the query and the fact read, 0-1: its claim as a whole, or its quote's words."""
    fact = base.facts[i]
    claim = fuzz.token_sort_ratio(text, fact.claim, processor=default_process)
    # Only a quote that reads closer than the claim counts: below that it scores 0, unread.
    quote = fuzz.token_set_ratio(text, fact.quote, processor=default_process, score_cutoff=claim)
    return max(claim, quote) / 100.0


def _verified(base: FactBase, parts: list[Part], found: list[int]) -> list[int]:
    """Keep the facts whose fields really hold each clause's phrase."""
    phrases = [phrase for part in parts for phrase in part.phrases]
    if not phrases:
        return found
    facts = base.facts
    return [
        i
        for i in found
        if all(
            any(has_phrase(field_text(base, facts[i], name), p) for name in SPAN_FIELDS)
            for p in phrases
        )
    ]


def _first_bits(bits: int, most: int) -> list[int]:
    """Return the lowest set bits of ``bits`` (base order), at most ``most``."""
    out: list[int] = []
    while bits and len(out) < most:
        low = bits & -bits
        out.append(low.bit_length() - 1)
        bits ^= low
    return out


def _size(members: Members) -> int:
    return members.size
