"""The facts that match one clause of a query, and the weight each gets.

A clause that few facts match is a dict (fact -> weight) built from postings
at C speed. One that many match (a common word, a wide filter) is a bitset
for exact membership and counting, tiers of bitsets for its weights, and a
head of best facts to draw candidates from; nothing is done per fact for it.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, islice, repeat
from operator import mul

from explorer.search.expand import Alt
from explorer.search.index import FULL, MEMO_LOCK, SearchIndex

HEAD = 2000
"""Best members a clause keeps in order, to draw candidates from."""

RECENT = 32
"""Members of recent words kept for the next keystroke."""

SECONDARY = 0.6
"""Weight of a common term found only outside the primary fields."""


class Members:
    """Facts matching a clause: a dict when few, bitsets when many."""

    __slots__ = ("small", "bits", "tiers", "extra", "head", "size", "_test", "_tiers")

    def __init__(
        self,
        small: dict[int, float] | None = None,
        bits: int = 0,
        tiers: Sequence[tuple[int, float]] = (),
        extra: dict[int, float] | None = None,
        head: Sequence[int] = (),
    ) -> None:
        self.small = small
        """Every member with its weight, when the clause is small; else None."""
        self.bits = bits
        """Membership bitset, when big."""
        self.extra = extra or {}
        """Weights from the clause's rarer alternatives, when big."""
        merged: dict[float, int] = {}
        for tier_bits, weight in tiers:
            merged[weight] = merged.get(weight, 0) | tier_bits
        self.tiers = [(b, w) for w, b in sorted(merged.items(), reverse=True)]
        """(bitset, weight), best first, when big."""
        self.head = head
        """Its best members, best first (up to `HEAD`): where candidates are drawn from."""
        self.size = len(small) if small is not None else bits.bit_count()
        """How many facts are members."""
        self._test: Callable[[int], bool] | None = None
        self._tiers: list[tuple[bytes, float]] | None = None

    def __contains__(self, i: int) -> bool:
        return self.tester(i)

    @property
    def tester(self) -> Callable[[int], bool]:
        """A fast membership test (a bound C method for a dict, a byte probe for bits)."""
        if self.small is not None:
            return self.small.__contains__
        if self._test is None:
            self._test = tester(self.bits)
        return self._test

    def weight(self, i: int, default: float = 0.0) -> float:
        """Return fact ``i``'s weight in this clause (``default`` when not a member)."""
        if self.small is not None:
            return self.small.get(i, default)
        tiers = self._tiers
        if tiers is None:
            width = (self.bits.bit_length() + 7) // 8 + 1  # every tier is within the bits
            tiers = self._tiers = [(b.to_bytes(width, "little"), w) for b, w in self.tiers]
        j = i >> 3
        if tiers and j < len(tiers[0][0]):
            bit = 1 << (i & 7)
            for tier, weight in tiers:
                if tier[j] & bit:
                    return max(weight, self.extra[i]) if i in self.extra else weight
        return self.extra.get(i, default)


def tester(bits: int) -> Callable[[int], bool]:
    """Return a fast membership test for a bitset (negative: all but some, as ``~x``)."""
    if bits < 0:
        inside = tester(~bits)
        return lambda i: not inside(i)
    admitted = bits.to_bytes((bits.bit_length() + 7) // 8 + 1, "little")
    width = len(admitted)

    def test(i: int) -> bool:
        j = i >> 3
        return j < width and bool(admitted[j] >> (i & 7) & 1)

    return test


def bitset(ids: Iterable[int], size: int) -> int:
    """Return the bitset of some fact numbers."""
    out = bytearray((size + 7) // 8)
    for i in ids:
        out[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(out, "little")


def of_ids(index: SearchIndex, ids: array[int] | Sequence[int]) -> Members:
    """Return members with weight 1 for some fact numbers (a filter's), in base order."""
    if len(ids) < index.common:
        return Members(small=dict.fromkeys(ids, 1.0), head=ids[:HEAD])
    bits = bitset(ids, index.size)
    return Members(bits=bits, tiers=[(bits, 1.0)], head=ids[:HEAD])


def of_alts(index: SearchIndex, alts: Sequence[Alt]) -> Members:
    """Return the members of a word's alternatives.

    A fact found by several alternatives keeps the weight of the best quality
    one; the head lists the best alternatives' best facts first.
    """
    key = tuple(alts)
    with MEMO_LOCK:
        recent: OrderedDict[tuple[Alt, ...], Members] = index.memo.setdefault(
            "__members__", OrderedDict()
        )
        found = recent.get(key)
        if found is not None:  # typing repeats the words before the one being typed
            recent.move_to_end(key)
            return found
    parts = [_alt_members(index, alt) for alt in sorted(alts, key=lambda a: -a.quality)]
    head = _merged_heads(parts)
    small: dict[int, float] = {}
    for part in reversed(parts):  # worst first: better alternatives overwrite (at C speed)
        if part.small is not None:
            small.update(part.small)
    tiers = [tier for part in parts if part.small is None for tier in part.tiers]
    if not tiers:
        found = Members(small=small, head=head)
    else:
        bits = bitset(small, index.size) if small else 0
        for tier_bits, _w in tiers:
            bits |= tier_bits
        found = Members(bits=bits, tiers=tiers, extra=small, head=head)
    with MEMO_LOCK:
        recent[key] = found
        while len(recent) > RECENT:
            recent.popitem(last=False)
    return found


def _merged_heads(parts: Sequence[Members]) -> list[int]:
    """The parts' heads in turn, best part first, without repeats, up to `HEAD`."""
    return list(dict.fromkeys(islice(chain.from_iterable(p.head for p in parts), 2 * HEAD)))[:HEAD]


def _alt_members(index: SearchIndex, alt: Alt) -> Members:
    """Members of one alternative: a term, or all the terms of a phrase."""
    parts = [_term_members(index, t, alt.quality) for t in alt.terms]
    if len(parts) == 1:
        return parts[0]
    smalls = sorted((p for p in parts if p.small is not None), key=lambda p: p.size)
    bigs = [p for p in parts if p.small is None]
    if smalls:  # weighted by its rarest term, in that term's order (best first)
        rarest = smalls[0].small or {}
        keys = set(rarest)
        for part in smalls[1:]:
            keys.intersection_update(part.small or ())
        for part in bigs:
            keys = set(filter(part.tester, keys))
        return Members(
            small={i: rarest[i] for i in keys}, head=[i for i in smalls[0].head if i in keys]
        )
    bits, primary = -1, -1
    for part in bigs:
        bits &= part.bits
        primary &= part.tiers[0][0]
    return Members(
        bits=bits,
        tiers=[(primary & bits, alt.quality), (bits, alt.quality * SECONDARY)],
        head=list(filter(tester(bits), bigs[0].head)),
    )


def _term_members(index: SearchIndex, term_id: int, quality: float) -> Members:
    ids, impacts = index.postings(term_id)
    common = index.big.get(term_id)
    if common is None:
        weights = map(mul, impacts, repeat(quality / FULL))
        return Members(small=dict(zip(ids, weights, strict=True)), head=ids[:HEAD])
    primary, anywhere = common
    return Members(
        bits=anywhere, tiers=[(primary, quality), (anywhere, quality * SECONDARY)], head=ids
    )


def union(index: SearchIndex, parts: Sequence[Members]) -> Members:
    """Return the members of any of ``parts`` (a clause with ``|``), best weight each."""
    if len(parts) == 1:
        return parts[0]
    head = _merged_heads(parts)
    if all(p.small is not None for p in parts):
        merged: dict[int, float] = {}
        for part in parts:
            for i, weight in (part.small or {}).items():
                if merged.get(i, 0.0) < weight:
                    merged[i] = weight
        return Members(small=merged, head=head)
    bits, tiers, extra = 0, [], {}
    for part in parts:
        if part.small is not None:
            extra.update(part.small)
            bits |= bitset(part.small, index.size)
        else:
            bits |= part.bits
            tiers += part.tiers
            extra.update(part.extra)
    return Members(bits=bits, tiers=tiers, extra=extra, head=head)
