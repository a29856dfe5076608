"""The facts that match one clause of a query, and the weight each gets.

A clause that few facts match is a dict (fact -> weight) built from postings
at C speed. One that many match (a common word, a wide filter) is a bitset
for exact membership and counting, tiers of bitsets for its weights, and a
head of best facts to draw candidates from; nothing is done per fact for it
but for its rarer alternatives, held a byte or two per fact (`FactWeights`).
"""

from __future__ import annotations

from array import array
from collections import ChainMap, OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import chain, compress, islice, repeat
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
        extra: Mapping[int, float] | None = None,
        head: Sequence[int] = (),
    ) -> None:
        self.small = small
        """Every member with its weight, when the clause is small; else None."""
        self.bits = bits
        """Membership bitset, when big."""
        self.extra: Mapping[int, float] = extra if extra is not None else {}
        """Weights from the clause's rarer alternatives, when big (a dict or `FactWeights`)."""
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


SCATTER = 8192
"""From this many fact numbers up, `bitset` marks a byte per number, then packs the bytes;
and a common clause's rarer alternatives are held as `FactWeights`, not a dict."""


def bitset(ids: Collection[int], size: int) -> int:
    """Return the bitset of some fact numbers."""
    if len(ids) >= SCATTER:
        # Setting a bit costs ~80 ns a number in Python (10 ms for the 100k facts of a word's
        # completions at 1M facts); setting a byte ~15 ns, and `gathered` packs them in C.
        flags = bytearray(size)
        for i in ids:
            flags[i] = 1
        return gathered(flags)
    out = bytearray((size + 7) // 8)
    for i in ids:
        out[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(out, "little")


_ONES = bytes([0] + [1] * 255)


def gathered(ones: bytes | bytearray) -> int:
    """Return the bitset of the facts whose byte in ``ones`` is 1 (every other byte is 0).

    Each byte of the bitset gathers its eight bits from every eighth byte, all in C:
    ~0.7 ms at 1M facts.
    """
    bits = 0
    for r in range(8):
        bits |= int.from_bytes(ones[r::8], "little") << r
    return bits


_SPREAD: list[bytes] = []


def spread(bits: int, size: int) -> bytearray:
    """Return a byte per fact, 1 where ``bits`` (a bitset of ``size`` facts) has it, else 0.

    Its ``__getitem__`` tests membership in C: ~25 ns a fact against ~100 for `tester`'s,
    worth its ~0.7 ms at 1M facts from ~10k tests up.
    """
    if not _SPREAD:
        _SPREAD.extend(bytes(b >> r & 1 for b in range(256)) for r in range(8))
    packed = bits.to_bytes((size + 7) // 8, "little")
    ones = bytearray(len(packed) * 8)
    for r in range(8):
        ones[r::8] = packed.translate(_SPREAD[r])
    return ones


class FactWeights(Mapping[int, float]):
    """The weights of a common clause's rarer alternatives, a byte or two per fact.

    A word being typed at 1M facts has ~100k facts from its rarer completions; as a dict
    of weights they cost ~15 ms a keystroke, as bytes ~5 ms. For each fact, a byte says
    which alternative counts (the last one added that holds it, as a dict's update would)
    and a byte its impact there, whose weight is worked out when looked up: only the
    candidates' ever are (`Members.weight`).
    """

    __slots__ = ("_which", "_impacts", "_scales")

    MOST = 255
    """Alternatives one can hold (a byte numbers them, 0 for none)."""

    def __init__(self, size: int) -> None:
        self._which = bytearray(size)
        self._impacts = bytearray(size)
        self._scales: list[float] = [0.0]

    def add(
        self,
        ids: Iterable[int],
        impacts: Iterable[int],
        quality: float,
        among: Sequence[bytes | bytearray] = (),
    ) -> None:
        """Add a term's postings, each weighing its impact times ``quality / FULL``: those
        of facts whose byte is set in each of ``among`` (a phrase's other terms)."""
        code = self._code(quality / FULL)
        which, kept = self._which, self._impacts
        if not among:
            for i, impact in zip(ids, impacts, strict=True):
                which[i] = code
                kept[i] = impact
        elif len(among) == 1:
            (ones,) = among
            for i, impact in zip(ids, impacts, strict=True):
                if ones[i]:
                    which[i] = code
                    kept[i] = impact
        else:
            for i, impact in zip(ids, impacts, strict=True):
                if all(o[i] for o in among):
                    which[i] = code
                    kept[i] = impact

    def _code(self, scale: float) -> int:
        if len(self._scales) > self.MOST:
            raise ValueError("too many alternatives for one byte each")
        self._scales.append(scale)
        return len(self._scales) - 1

    def bits(self) -> int:
        """The bitset of every fact held."""
        return gathered(self._which.translate(_ONES))

    def __contains__(self, i: object) -> bool:
        return type(i) is int and 0 <= i < len(self._which) and self._which[i] != 0

    def __getitem__(self, i: int) -> float:
        code = self._which[i] if 0 <= i < len(self._which) else 0
        if not code:
            raise KeyError(i)
        return self._impacts[i] * self._scales[code]

    def get(self, i: int, default: float = 0.0) -> float:  # type: ignore[override]
        """Fact ``i``'s weight, ``default`` when it is not held."""
        return self[i] if i in self else default

    def __iter__(self) -> Iterator[int]:
        return compress(range(len(self._which)), self._which)

    def __len__(self) -> int:
        return len(self._which) - self._which.count(0)


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
    ranked = sorted(alts, key=lambda a: -a.quality)
    common = {n: _alt_members(index, alt) for n, alt in enumerate(ranked)
              if all(t in index.big for t in alt.terms)}  # fmt: skip
    rarer = sum(min(index.df[t] for t in alt.terms if t not in index.big)
                for n, alt in enumerate(ranked) if n not in common)  # fmt: skip
    if common and rarer >= SCATTER and len(ranked) <= FactWeights.MOST:
        found = _held_as_bytes(index, ranked, common)
    else:
        found = _held_as_dict(index, ranked, common)
    with MEMO_LOCK:
        recent[key] = found
        while len(recent) > RECENT:
            recent.popitem(last=False)
    return found


def _held_as_dict(index: SearchIndex, ranked: list[Alt], common: dict[int, Members]) -> Members:
    """The members of alternatives (best first), the rarer ones' weights in a dict; those
    that are ``common`` (bitsets) already worked out."""
    # A rare term's postings go straight into the merged weights, not first into a dict of
    # their own: a word being typed has dozens of completions, ~100k postings at 1M facts.
    rare = {n: index.postings(alt.terms[0]) for n, alt in enumerate(ranked)
            if len(alt.terms) == 1 and alt.terms[0] not in index.big}  # fmt: skip
    parts = {n: common[n] if n in common else _alt_members(index, alt)
             for n, alt in enumerate(ranked) if n not in rare}  # fmt: skip
    head = _merged_heads([rare[n][0][:HEAD] if n in rare else parts[n].head
                          for n in range(len(ranked))])  # fmt: skip
    small: dict[int, float] = {}
    for n in reversed(range(len(ranked))):  # worst first: better alternatives overwrite
        if n in rare:
            small.update(_weighted(*rare[n], ranked[n].quality))
        elif parts[n].small is not None:
            small.update(parts[n].small or {})
    tiers = [tier for part in parts.values() if part.small is None for tier in part.tiers]
    if not tiers:
        return Members(small=small, head=head)
    bits = bitset(small, index.size) if small else 0
    for tier_bits, _w in tiers:
        bits |= tier_bits
    return Members(bits=bits, tiers=tiers, extra=small, head=head)


def _held_as_bytes(index: SearchIndex, ranked: list[Alt], common: dict[int, Members]) -> Members:
    """The members of alternatives (best first) of which some are ``common`` (bitsets), the
    rarer ones' weights held as `FactWeights`.

    Their weights are only looked up, never walked, so a phrase among them is the facts
    of its rarest term that every other term's bytes admit, in no particular order: not a
    set, then a dict, of ~20k facts each ("energy efficiency" in "energy saving", 1M facts).
    """
    extra = FactWeights(index.size)
    ones: dict[int, bytearray] = {}
    heads: dict[int, Sequence[int]] = {n: part.head for n, part in common.items()}
    for n in reversed(range(len(ranked))):  # worst first: better alternatives overwrite
        alt = ranked[n]
        if n in common:
            continue
        rarer = [t for t in alt.terms if t not in index.big]
        if len(rarer) > 1:  # the rarest first (the first of equals)
            rarer.sort(key=lambda t: len(index.postings(t)[0]))
        ids, impacts = index.postings(rarer[0])
        among = [_ones(index, t, ones) for t in (*rarer[1:], *(t for t in alt.terms
                                                              if t in index.big))]  # fmt: skip
        extra.add(ids, impacts, alt.quality, among)
        heads[n] = [i for i in ids[:HEAD] if all(o[i] for o in among)] if among else ids[:HEAD]
    tiers = [tier for part in common.values() for tier in part.tiers]
    bits = extra.bits()
    for tier_bits, _w in tiers:
        bits |= tier_bits
    head = _merged_heads(heads[n] for n in range(len(ranked)))
    return Members(bits=bits, tiers=tiers, extra=extra, head=head)


def _ones(index: SearchIndex, term: int, made: dict[int, bytearray]) -> bytearray:
    """A term's facts, a byte each (kept in ``made``: phrases share their terms)."""
    found = made.get(term)
    if found is None:
        common = index.big.get(term)
        if common is not None:
            found = spread(common[1], index.size)
        else:
            found = bytearray(index.size)
            for i in index.postings(term)[0]:
                found[i] = 1
        made[term] = found
    return found


def _merged_heads(heads: Iterable[Sequence[int]]) -> list[int]:
    """The parts' heads in turn, best part first, without repeats, up to `HEAD`."""
    return list(dict.fromkeys(islice(chain.from_iterable(heads), 2 * HEAD)))[:HEAD]


def _alt_members(index: SearchIndex, alt: Alt) -> Members:
    """Members of one alternative: a term, or all the terms of a phrase."""
    if len(alt.terms) == 1:
        return _term_members(index, alt.terms[0], alt.quality)
    bigs = [_term_members(index, t, alt.quality) for t in alt.terms if t in index.big]
    # The rarer terms' postings, rarest first. Only the rarest one's weights count, so the
    # others' never become a dict: a phrase of common words holds ~100k postings at 1M.
    smalls = sorted((index.postings(t) for t in alt.terms if t not in index.big),
                    key=lambda p: len(p[0]))  # fmt: skip
    if smalls:  # weighted by its rarest term, in that term's order (best first)
        ids, impacts = smalls[0]
        rarest = dict(_weighted(ids, impacts, alt.quality))
        keys = set(rarest)
        for others, _impacts in smalls[1:]:
            keys.intersection_update(others)
        for part in bigs:
            keys = set(filter(part.tester, keys))
        return Members(
            small={i: rarest[i] for i in keys}, head=[i for i in ids[:HEAD] if i in keys]
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
        return Members(small=dict(_weighted(ids, impacts, quality)), head=ids[:HEAD])
    primary, anywhere = common
    return Members(
        bits=anywhere, tiers=[(primary, quality), (anywhere, quality * SECONDARY)], head=ids
    )


def _weighted(ids: array[int], impacts: array[int], quality: float) -> Iterator[tuple[int, float]]:
    """A rare term's facts with their weights, in its postings' order (best first)."""
    scale = quality / FULL
    if len(ids) < 1024:
        return zip(ids, map(mul, impacts, repeat(scale)), strict=True)
    # Impacts are bytes: the 256 weights made once and shared, not a float made a posting
    # (~25% of merging the ~40k postings of "womn"'s other words at 1M facts).
    weights = [impact * scale for impact in range(256)]
    return zip(ids, map(weights.__getitem__, impacts), strict=True)


def union(index: SearchIndex, parts: Sequence[Members]) -> Members:
    """Return the members of any of ``parts`` (a clause with ``|``), best weight each."""
    if len(parts) == 1:
        return parts[0]
    head = _merged_heads(p.head for p in parts)
    if all(p.small is not None for p in parts):
        merged: dict[int, float] = {}
        for part in parts:
            for i, weight in (part.small or {}).items():
                if merged.get(i, 0.0) < weight:
                    merged[i] = weight
        return Members(small=merged, head=head)
    bits, tiers = 0, []
    weights: list[Mapping[int, float]] = []
    for part in parts:
        if part.small is not None:
            weights.append(part.small)
            bits |= bitset(part.small, index.size)
        else:
            bits |= part.bits
            tiers += part.tiers
            weights.append(part.extra)
    # The later part's weight for a fact wins, as if each had updated one dict in turn;
    # only looked up, never walked (a part's may be `FactWeights`, ~100k facts).
    extra: Mapping[int, float] = ChainMap(*reversed(weights))  # type: ignore[arg-type]  # only read
    return Members(bits=bits, tiers=tiers, extra=extra, head=head)
