"""An index patched after an edit, equal to the index built from scratch.

Re-indexing a 100k-fact base tokenises every fact (~6 s); after one file's
edit, most facts are the very objects the last index was built from. So
`patch_index` takes that index and every one of its postings (`Postings`,
kept beside the cache), tokenises only the facts that went and came, and
moves the rest: a posting key is (impact, field mask, fact number), so a
kept fact's postings change only with its number, or with its claim-length
factor when the base's average claim length moved a rounding across
(those facts are tokenised again too). What depends on the whole base is
worked out again: the term counts, which terms are common (and their
bitsets and heads), the filter tables and their order. The result is equal,
field by field, to `build_index` of the new base (a property test holds it
to that over random edits); when too much changed, None says build instead.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from explorer.model import Fact, FactBase
from explorer.search.fields import Tables
from explorer.search.index import (
    _ID,
    COMMON,
    COMMON_MIN,
    HEAD,
    PRIMARY_FIELDS,
    Postings,
    SearchIndex,
    _bitsets,
    claim_lengths,
    fact_terms,
    length_factors,
    posting_keys,
    term_tables,
)

_GONE = 0xFFFFFFFF
_TABLES = ("kind", "chapter", "source", "assurance", "tag", "gri", "metric", "year")
_FEW = 48
"""Up to this many changes to a term's postings are made in place; more, by one pass."""

MOST_CHANGED = 4
"""When more than 1/MOST_CHANGED of the facts changed, building afresh is as quick."""


@dataclass
class _Edit:
    """What became of the old facts: where each kept one stands now, and what is new."""

    moved: array[int]
    """Old fact number -> new, `_GONE` for a fact that went."""
    removed: list[int]
    """Old numbers of the facts that went."""
    added: list[int]
    """New numbers of the facts that came."""
    same: bool
    """True when every kept fact keeps its number."""
    again: list[int] = field(default_factory=list)
    """Old numbers of kept facts whose postings are keyed anew (their length factor moved)."""
    drop: dict[str, list[int]] = field(default_factory=dict)
    """Per term, the old keys that go."""
    put: dict[str, list[int]] = field(default_factory=dict)
    """Per term, the new keys that come."""


def patch_index(
    old_base: FactBase,
    old: SearchIndex,
    kept: Postings,
    base: FactBase,
    found: list[int | None] | None = None,
) -> tuple[SearchIndex, Postings] | None:
    """The index of ``base``, made from the index of ``old_base`` and all its postings.

    Args:
        old_base: The base ``old`` indexes; the facts ``base`` shares with it
            are the same objects.
        old: Its index.
        kept: Every posting of ``old`` (`explorer.search.index.build_index_kept`).
        base: The base to index; its chapters, glossary and synonyms are ``old_base``'s.
        found: `seats` of the two bases' facts, when known already.

    Returns:
        The index and its postings, equal to `build_index_kept` of ``base``;
        None when they do not fit ``old`` or so much changed that building is as quick.
    """
    size = len(base.facts)
    if not old.size == len(old_base.facts) == len(kept.counts):
        return None
    if not len(kept.offsets) == len(old.offsets) == len(old.vocab) + 1:
        return None
    if kept.offsets[-1] != len(kept.keys) or old.offsets[-1] != len(old.ids):
        return None
    edit = _diff(old_base.facts, base.facts, found)
    counts = _counts(kept.counts, base.facts, edit)
    old_keys = _keys_by_count(kept.counts)
    new_keys = _keys_by_count(counts)
    flipped = {  # the average moved a rounding: these claim lengths' keys of these masks
        n: {m for m, (a, b) in enumerate(zip(old_keys[n], keys, strict=True)) if a != b}
        for n, keys in new_keys.items()
        if old_keys.get(n, keys) != keys
    }
    if flipped:
        edit.again = [o for o, j in enumerate(edit.moved) if j != _GONE and counts[j] in flipped]
    changes = len(edit.removed) + len(edit.added) + 2 * len(edit.again)
    if changes * MOST_CHANGED > max(size, 1) * 2:
        return None
    repeated: dict[str, frozenset[str]] = {}
    for o in edit.removed:
        keys = old_keys[kept.counts[o]]
        for term, mask in fact_terms(old_base, old_base.facts[o], repeated).items():
            edit.drop.setdefault(term, []).append(keys[mask] | o)
    for o in edit.again:  # only the postings whose key moved go and come back
        j, n = edit.moved[o], kept.counts[o]
        was, now, masks = old_keys[n], new_keys[n], flipped[n]
        for term, mask in fact_terms(old_base, old_base.facts[o], repeated).items():
            if mask in masks:
                edit.drop.setdefault(term, []).append(was[mask] | o)
                edit.put.setdefault(term, []).append(now[mask] | j)
    for j in edit.added:
        keys = new_keys[counts[j]]
        for term, mask in fact_terms(base, base.facts[j], repeated).items():
            edit.put.setdefault(term, []).append(keys[mask] | j)
    try:
        laid = _lay_out(old, kept, edit, size)
        if laid is None:
            return None
        index, postings = laid
        index.tables = _patch_tables(old.tables, old_base.facts, base.facts, edit)
    except _Mismatch:
        return None
    postings.counts = counts
    return index, postings


class _Mismatch(Exception):
    """The old index does not hold what its facts say it should: build instead."""


def seats(old: Sequence[Fact], new: Sequence[Fact]) -> list[int | None]:
    """For each new fact, the number it had among the old (the same object), or None."""
    where = dict(zip(map(id, old), range(len(old)), strict=True))
    return list(map(where.get, map(id, new)))


def _diff(old: Sequence[Fact], new: Sequence[Fact], found: list[int | None] | None) -> _Edit:
    """Match the new facts to the old by identity (a kept fact is the old object)."""
    moved = array("I", [_GONE]) * len(old)
    added = []
    same = len(old) == len(new)
    for j, o in enumerate(seats(old, new) if found is None else found):
        if o is None:
            added.append(j)
        else:
            moved[o] = j
            same = same and o == j
    removed = [o for o, j in enumerate(moved) if j == _GONE]
    return _Edit(moved, removed, added, same)


def _counts(old: array[int], facts: Sequence[Fact], edit: _Edit) -> array[int]:
    """The new facts' claim lengths: the kept ones' as they were, the new ones' counted."""
    if edit.same:
        counts = array("I", old)
    else:
        counts = array("I", bytes(4 * len(facts)))
        for o, j in enumerate(edit.moved):
            if j != _GONE:
                counts[j] = old[o]
    for j, n in zip(edit.added, claim_lengths(facts[j] for j in edit.added), strict=True):
        counts[j] = n
    return counts


def _keys_by_count(counts: array[int]) -> dict[int, list[int]]:
    """The posting keys by field mask for each claim length, as `build_index` makes them."""
    return {n: posting_keys(factor) for n, factor in length_factors(counts).items()}


def _lay_out(
    old: SearchIndex, kept: Postings, edit: _Edit, size: int
) -> tuple[SearchIndex, Postings] | None:
    """The new postings, term by term: runs of untouched terms copied, the others redone."""
    common = max(size // COMMON, COMMON_MIN)
    numbers = _numbers(old)
    touched = set(edit.drop) | set(edit.put)
    if not edit.same or common != old.common:  # common terms' heads and bitsets move
        touched.update(old.vocab[t] for t in old.big)
        touched.update(old.vocab[t] for t, n in enumerate(old.df) if n >= common)
    full: dict[str, _Laid] = {}
    for term in touched:
        laid = _term_laid(old, numbers, kept, edit, term, common, size)
        if laid is None:
            return None
        if laid[0]:
            full[term] = laid
    gone = {t for t in touched if t not in full}
    vocab_changed = bool(gone) or any(t not in numbers for t in full)
    vocab = sorted((set(old.vocab) - gone) | set(full)) if vocab_changed else old.vocab
    offsets, ids, impacts, df = array("Q", [0]), array("I"), array("B"), array("I")
    keys_out, key_offsets = array("Q"), array("Q", [0])
    big: dict[int, tuple[int, int]] = {}
    run_start = 0  # the first new term id of the run of untouched terms being gathered

    def copy_run(end: int) -> None:
        """Copy new terms [run_start, end), all untouched, from the old arrays."""
        if end <= run_start:
            return
        first = numbers[vocab[run_start]]
        last = first + (end - run_start)
        _extend_shifted(offsets, old.offsets[first + 1 : last + 1], len(ids) - old.offsets[first])
        moved_ids = old.ids[old.offsets[first] : old.offsets[last]]
        ids.extend(moved_ids if edit.same else _moved_ids(moved_ids, edit.moved))
        impacts.extend(old.impacts[old.offsets[first] : old.offsets[last]])
        df.extend(old.df[first:last])
        start, stop = kept.offsets[first], kept.offsets[last]
        shift = len(keys_out) - start
        _extend_shifted(key_offsets, kept.offsets[first + 1 : last + 1], shift)
        moved_keys = kept.keys[start:stop]
        keys_out.extend(moved_keys if edit.same else _moved_keys(moved_keys, edit.moved))
        for t in range(first, last):
            bits = old.big.get(t)
            if bits is not None:  # untouched: still common, same facts, same numbers
                big[t - first + run_start] = bits

    before = -2
    for term_id, term in enumerate(vocab):
        if term not in touched:
            was = numbers[term]
            if was != before + 1:  # a term that went stood between: a run ends
                copy_run(term_id)
                run_start = term_id
            before = was
            continue
        copy_run(term_id)
        run_start = term_id + 1
        before = -2
        keys, term_ids, term_impacts, bits = full[term]
        keys_out.extend(keys)
        key_offsets.append(len(keys_out))
        df.append(len(keys))
        if bits is not None:
            big[term_id] = bits
        ids.extend(term_ids)
        impacts.extend(term_impacts)
        offsets.append(len(ids))
    copy_run(len(vocab))
    if vocab_changed:
        stems, by_start, by_second = term_tables(vocab)
    else:
        stems, by_start, by_second = old.stems, old.by_start, old.by_second
    index = SearchIndex(
        size=size, vocab=vocab, offsets=offsets, ids=ids, impacts=impacts, df=df, big=big,
        stems=stems, by_start=by_start, by_second=by_second, common=common, tables=old.tables,
        thesaurus=old.thesaurus, acronyms=old.acronyms,
        term_ids={} if vocab_changed else old.term_ids,
    )  # fmt: skip
    return index, Postings(keys_out, key_offsets, array("I"))


_Laid = tuple["array[int] | list[int]", "array[int]", "array[int]", "tuple[int, int] | None"]
"""A term's keys, fact numbers, impacts (only a common term's head) and common-term bitsets."""


def _term_laid(
    old: SearchIndex,
    numbers: Mapping[str, int],
    kept: Postings,
    edit: _Edit,
    term: str,
    common: int,
    size: int,
) -> _Laid | None:
    """A touched term's postings in the new base; None when the old ones do not fit."""
    drop, put = edit.drop.get(term, ()), edit.put.get(term, ())
    at = numbers.get(term)
    if (
        at is not None
        and edit.same
        and len(drop) + len(put) <= _FEW
        and at not in old.big
        and old.df[at] - len(drop) + len(put) < common
    ):  # a few postings in and out: the old arrays, edited in place
        keys = kept.keys[kept.offsets[at] : kept.offsets[at + 1]]
        ids = old.ids[old.offsets[at] : old.offsets[at + 1]]
        impacts = old.impacts[old.offsets[at] : old.offsets[at + 1]]
        for key in drop:
            pos = bisect.bisect_left(keys, key)
            if pos == len(keys) or keys[pos] != key:
                return None
            del keys[pos], ids[pos], impacts[pos]
        for key in put:
            pos = bisect.bisect_left(keys, key)
            keys.insert(pos, key)
            ids.insert(pos, key & _ID)
            impacts.insert(pos, 255 - (key >> 40))
        return keys, ids, impacts, None
    full = _term_keys(numbers, kept, edit, term)
    if full is None:
        return None
    bits = None
    head = full
    if len(full) >= common:
        was = old.big.get(numbers.get(term, -1))
        if was is not None and edit.same:
            bits = _flip_bits(was, edit, term, size)
        elif was is not None and len(edit.removed) + len(edit.added) <= _FEW:
            bits = _shifted_bits(was, edit, term)
        else:
            bits = _bitsets(full, size)
        head = full[:HEAD]
    ids = array("I", map(_ID.__and__, head))
    impacts = array("B", map((255).__sub__, map((40).__rrshift__, head)))
    return full, ids, impacts, bits


def _term_keys(
    numbers: Mapping[str, int], kept: Postings, edit: _Edit, term: str
) -> list[int] | None:
    """A touched term's sorted keys in the new base; None when the old ones do not fit."""
    drop, put = edit.drop.get(term, ()), edit.put.get(term, ())
    at = numbers.get(term)
    keys = [] if at is None else kept.keys[kept.offsets[at] : kept.offsets[at + 1]].tolist()
    if len(drop) + len(put) <= _FEW and edit.same:
        for key in drop:
            pos = bisect.bisect_left(keys, key)
            if pos == len(keys) or keys[pos] != key:
                return None
            del keys[pos]
        for key in put:
            bisect.insort(keys, key)
        return keys
    if drop:
        going = set(drop)
        before = len(keys)
        keys = [k for k in keys if k not in going]
        if before - len(keys) != len(going):
            return None
    if not edit.same:
        keys = _moved_keys(keys, edit.moved).tolist()
    keys.extend(put)
    keys.sort()
    return keys


def _numbers(old: SearchIndex) -> Mapping[str, int]:
    """Each term's number in ``old``, as a dict: a patch looks up every term of the
    vocabulary, and a cached index finds one by bisection (`explorer.search.terms.TermIds`)
    until it has been asked 20,000 times: those cost a 100k re-open ~0.15 s."""
    if type(old.term_ids) is dict:
        return old.term_ids
    return dict(zip(old.vocab, range(len(old.vocab)), strict=True))


def _moved_ids(ids: array[int], moved: array[int]) -> array[int]:
    """Fact numbers renumbered (every one a kept fact's)."""
    return array("I", [moved[i] for i in ids])


def _moved_keys(keys: Sequence[int], moved: array[int]) -> array[int]:
    """Posting keys with their fact numbers renumbered (every one a kept fact's)."""
    return array("Q", [k ^ (k & _ID) | moved[k & _ID] for k in keys])


def _extend_shifted(out: array[int], values: array[int], shift: int) -> None:
    out.extend(values if not shift else array("Q", [v + shift for v in values]))


def _flip_bits(bits: tuple[int, int], edit: _Edit, term: str, size: int) -> tuple[int, int]:
    """A common term's bitsets after the edit, when no kept fact moved."""
    width = (size + 7) // 8
    primary = bytearray(bits[0].to_bytes(width, "little"))
    anywhere = bytearray(bits[1].to_bytes(width, "little"))
    for key in edit.drop.get(term, ()):
        i = key & _ID
        primary[i >> 3] &= ~(1 << (i & 7)) & 0xFF
        anywhere[i >> 3] &= ~(1 << (i & 7)) & 0xFF
    for key in edit.put.get(term, ()):
        i = key & _ID
        anywhere[i >> 3] |= 1 << (i & 7)
        if key >> 32 & PRIMARY_FIELDS:
            primary[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(primary, "little"), int.from_bytes(anywhere, "little")


def _shifted_bits(bits: tuple[int, int], edit: _Edit, term: str) -> tuple[int, int]:
    """A common term's bitsets after a few facts went and came (the rest renumbered)."""
    primary, anywhere = bits
    for o in reversed(edit.removed):  # highest first: the lower numbers stay put
        primary, anywhere = _without_bit(primary, o), _without_bit(anywhere, o)
    for j in edit.added:  # lowest first: each lands where the kept facts make room
        primary, anywhere = _with_zero_bit(primary, j), _with_zero_bit(anywhere, j)
    for key in edit.put.get(term, ()):  # the new facts' (a kept fact's bit is set already)
        anywhere |= 1 << (key & _ID)
        if key >> 32 & PRIMARY_FIELDS:
            primary |= 1 << (key & _ID)
    return primary, anywhere


def _without_bit(bits: int, at: int) -> int:
    return bits & ((1 << at) - 1) | bits >> (at + 1) << at


def _with_zero_bit(bits: int, at: int) -> int:
    return bits & ((1 << at) - 1) | bits >> at << (at + 1)


def _patch_tables(
    old: Tables, old_facts: Sequence[Fact], facts: Sequence[Fact], edit: _Edit
) -> Tables:
    """The filter tables of the new facts, in the order `Tables.add` gives them."""
    tables = Tables()
    changed: set[str] = set()
    for name in _TABLES:
        table: dict[str, array[int]] = dict(getattr(old, name))
        if not edit.same:
            table = {k: _kept_ids(v, edit.moved) for k, v in table.items()}
            changed.add(name)
        setattr(tables, name, table)
    if edit.same:
        for o in edit.removed:
            for name, table, key in _entries(tables, o, old_facts[o]):
                ids = table[key] = array("I", table[key])
                pos = bisect.bisect_left(ids, o)
                if pos == len(ids) or ids[pos] != o:
                    raise _Mismatch
                del ids[pos]
                changed.add(name)
    for j in edit.added:
        for name, table, key in _entries(tables, j, facts[j]):
            ids = table[key] = array("I", table.get(key, ()))
            bisect.insort(ids, j)
            changed.add(name)
    for name in changed:
        setattr(tables, name, _in_first_order(getattr(tables, name), name, facts))
    tables.values, tables.value_ids = _patch_values(old, old_facts, facts, edit)
    return tables


def _entries(
    tables: Tables, i: int, fact: Fact
) -> Iterator[tuple[str, dict[str, array[int]], str]]:
    """Each (table name, table of ``tables``, key) that fact ``i`` is filed under."""
    scratch = Tables()
    scratch.add(i, fact)
    for name in _TABLES:
        table = getattr(tables, name)
        for key in getattr(scratch, name):
            yield name, table, key


def _kept_ids(ids: array[int], moved: array[int]) -> array[int]:
    return array("I", [moved[i] for i in ids if moved[i] != _GONE])


def _in_first_order(
    table: dict[str, array[int]], name: str, facts: Sequence[Fact]
) -> dict[str, Any]:
    """Drop the empty entries and order the rest as `Tables.add` meets them."""
    table = {k: v for k, v in table.items() if v}
    firsts: dict[int, list[str]] = {}
    for key, ids in table.items():
        firsts.setdefault(ids[0], []).append(key)
    rank: dict[str, int] = {}
    for first, keys in firsts.items():
        if len(keys) > 1:  # one fact brought several: its own order
            scratch = Tables()
            scratch.add(first, facts[first])
            order = list(getattr(scratch, name))
            rank.update((k, order.index(k)) for k in keys)
    return dict(sorted(table.items(), key=lambda kv: (kv[1][0], rank.get(kv[0], 0))))


def _value(fact: Fact) -> float | None:
    value = fact.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _patch_values(
    old: Tables, old_facts: Sequence[Fact], facts: Sequence[Fact], edit: _Edit
) -> tuple[array[float], array[int]]:
    """The sorted (value, fact) pairs of the new facts (`Tables.add_values`)."""
    values, ids = array("d", old.values), array("I", old.value_ids)
    if not edit.same:
        keep = [edit.moved[i] != _GONE for i in ids]
        values = array("d", [v for v, k in zip(values, keep, strict=True) if k])
        ids = array("I", [edit.moved[i] for i, k in zip(ids, keep, strict=True) if k])
    else:
        for o in edit.removed:
            value = _value(old_facts[o])
            if value is not None:
                pos = _pair_at(values, ids, value, o)
                if pos == len(ids) or ids[pos] != o:
                    raise _Mismatch
                del values[pos], ids[pos]
    for j in edit.added:
        value = _value(facts[j])
        if value is not None:
            pos = _pair_at(values, ids, value, j)
            values.insert(pos, value)
            ids.insert(pos, j)
    return values, ids


def _pair_at(values: array[float], ids: array[int], value: float, i: int) -> int:
    """Where (value, i) stands, or would, among the sorted pairs."""
    low = bisect.bisect_left(values, value)
    high = bisect.bisect_right(values, value, lo=low)
    return low + bisect.bisect_left(ids[low:high], i)
