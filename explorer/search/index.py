"""The search index: built once per fact base, then reused by every query.

An inverted index over normalised terms. Each term's postings are sorted by
impact (how much the fact's best field for the term counts), best first, so
the head of a list is its best facts. A common term (``huawei``, ``2020``: in
more than 1/32 of the base) keeps only that head, plus two bitsets (facts
with it in a primary field, facts with it anywhere) for exact membership and
counts: that bounds both the memory and the work of the commonest words.
"""

from __future__ import annotations

import bisect
import sys
from _thread import allocate_lock  # what threading.Lock is, without importing threading
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from explorer.model import Fact, FactBase
from explorer.records import dataclass, field
from explorer.search.fields import INDEXED, WEIGHTS, Tables, figure_text
from explorer.search.terms import Buckets, Grouped, TermIds, Terms
from explorer.search.text import is_number, stem, term_set, term_texts
from explorer.search.thesaurus import Thesaurus, build_thesaurus

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FULL = 200
"""Impact of a match in a claim; impacts are bytes, 0-255."""

PRIMARY_FIELDS = 0b100101
"""Bits of `INDEXED` for the primary fields: claim, tags, metric."""

LENGTH_WEIGHT = 0.2
"""How much a long claim dilutes its matches (BM25's b): short claims say more."""

HEAD = 3000
"""Postings kept for a common term (its best facts)."""

COMMON = 32
"""A term in more than 1/COMMON of the facts (and at least `COMMON_MIN`) is common."""

COMMON_MIN = 2048

_ID = 0xFFFFFFFF

MEMO_LOCK = allocate_lock()
"""Guards every index's memo: the app searches from worker threads, several at once."""


def impact(mask: int) -> int:
    """Return the impact of a term found in the fields of ``mask`` (a bit per `INDEXED`)."""
    weights = sorted((WEIGHTS[b] for b in range(len(INDEXED)) if mask >> b & 1), reverse=True)
    if not weights:
        return 0
    return min(255, round(FULL * (weights[0] + 0.1 * sum(weights[1:]))))


_IMPACTS = [impact(m) for m in range(1 << len(INDEXED))]


def _lengths(base: FactBase) -> list[float]:
    """Per fact, the factor its claim's length gives its impacts (about 0.7-1.25)."""
    counts = claim_lengths(base.facts)
    factors = length_factors(counts)
    return [factors[n] for n in counts]


def claim_lengths(facts: Iterable[Fact]) -> list[int]:
    """The words of each fact's claim, which `length_factors` weighs against their average."""
    return [len(f.claim.split()) for f in facts]


def length_factors(counts: Sequence[int]) -> dict[int, float]:
    """The factor each claim length in ``counts`` gives its impacts, against their average.

    Claims that hold no words at all (an average of 0) are weighed alike, at 1.
    """
    average = sum(counts) / len(counts) if counts else 0.0
    if average <= 0:
        return dict.fromkeys(counts, 1.0)
    return {
        n: min(1.25, max(0.7, 1 / (1 - LENGTH_WEIGHT + LENGTH_WEIGHT * n / average)))
        for n in set(counts)
    }


@dataclass
class SearchIndex:
    """Postings, vocabulary and filter tables of one fact base."""

    size: int
    """How many facts the base has."""
    vocab: Sequence[str]
    """Every indexed term, sorted (a term's id is its position): a list, or from a cache `Terms`."""
    offsets: array[int]
    """Where each term's postings start in `ids`; one more entry at the end."""
    ids: array[int]
    """Fact numbers of all postings, term by term, best impact first."""
    impacts: array[int]
    """The impact of each posting."""
    df: array[int]
    """How many facts hold each term."""
    big: dict[int, tuple[int, int]]
    """Common terms: (primary bitset, any-field bitset); their postings are only a head."""
    stems: Mapping[str, tuple[int, ...]]
    """Each stem with the terms that have it."""
    by_start: Mapping[tuple[int, str], list[str]]
    """Word terms (not numbers) by length and first letter, for typo matching."""
    by_second: Mapping[tuple[int, str], list[str]]
    """The same by length and second letter (a typo seldom hits both)."""
    common: int
    """From this many facts up a term or a filter is common: bitsets, not dicts."""
    tables: Tables
    """Fact numbers by field value, for filters."""
    thesaurus: Thesaurus
    """Synonyms and acronyms."""
    acronyms: frozenset[str] = frozenset()
    """The glossary's acronyms, as terms."""
    term_ids: Mapping[str, int] = field(default_factory=dict)
    """Term -> id (from `vocab` on load: by bisection, see `TermIds`)."""
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    """Expansions already worked out (typing repeats them); never saved."""

    def __post_init__(self) -> None:
        if not self.term_ids:
            if isinstance(self.vocab, Terms):
                self.term_ids = TermIds(self.vocab)
            else:
                self.term_ids = {t: i for i, t in enumerate(self.vocab)}

    def __getstate__(self) -> dict[str, Any]:
        """The index as a cache holds it: the vocabulary and its tables as a few texts and
        arrays each (`explorer.search.terms`), unpickled as blocks rather than millions of
        objects."""
        state = dict(self.__dict__)
        state["term_ids"] = {}
        state["memo"] = {}
        vocab = self.vocab if isinstance(self.vocab, Terms) else Terms.of(self.vocab)
        if "\n" not in vocab.state()[0]:  # a bucket is its terms joined by newlines
            state["vocab"] = vocab.state()
            state["stems"] = _grouped(self.stems).state()
            state["by_start"] = _buckets(self.by_start).state()
            state["by_second"] = _buckets(self.by_second).state()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if type(state.get("vocab")) is tuple:
            text, ends = state["vocab"]
            state["vocab"] = Terms(text, ends)
            (keys, key_ends), starts, values = state["stems"]
            state["stems"] = Grouped(Terms(keys, key_ends), starts, values)
            state["by_start"] = Buckets(state["by_start"])
            state["by_second"] = Buckets(state["by_second"])
        self.__dict__.update(state)
        self.__post_init__()

    def postings(self, term_id: int) -> tuple[array[int], array[int]]:
        """Return a term's fact numbers and impacts (only the head for a common term)."""
        start, end = self.offsets[term_id], self.offsets[term_id + 1]
        return self.ids[start:end], self.impacts[start:end]

    def prefixed(self, prefix: str) -> range:
        """Return the ids of the terms that start with ``prefix``."""
        start = bisect.bisect_left(self.vocab, prefix)
        end = bisect.bisect_left(self.vocab, prefix + "\U0010ffff", lo=start)
        return range(start, end)

    def suffixed(self, suffix: str) -> list[int]:
        """Return the ids of the terms that end with ``suffix``."""
        ends = self.memo.get("__ends__")
        if ends is None:
            ends = sorted((t[::-1], i) for i, t in enumerate(self.vocab))
            with MEMO_LOCK:
                self.memo["__ends__"] = ends
        key = suffix[::-1]
        start = bisect.bisect_left(ends, (key,))
        end = bisect.bisect_left(ends, (key + "\U0010ffff",), lo=start)
        return [i for _, i in ends[start:end]]


def _grouped(stems: Mapping[str, tuple[int, ...]]) -> Grouped:
    return stems if isinstance(stems, Grouped) else Grouped.of(stems)


def _buckets(buckets: Mapping[tuple[int, str], list[str]]) -> Buckets:
    return buckets if isinstance(buckets, Buckets) else Buckets.of(buckets)


def build_index(base: FactBase) -> SearchIndex:
    """Index every fact of ``base``.

    Args:
        base: The fact base.

    Returns:
        Its index; build it once and reuse it (see `explorer.search.index_for`).
    """
    return _build(base, None)


def build_index_kept(base: FactBase) -> tuple[SearchIndex, Postings]:
    """Index every fact of ``base``, keeping every posting (`Postings`) to patch it later."""
    kept = Postings(array("Q"), array("Q", [0]), array("I"))
    return _build(base, kept), kept


def _build(base: FactBase, kept: Postings | None) -> SearchIndex:
    postings: defaultdict[str, array[int]] = defaultdict(_new_postings)
    repeated: dict[str, frozenset[str]] = {}  # sections, titles, tags, figures repeat: split once
    tables = Tables()
    lengths = _lengths(base)
    by_length: dict[float, list[int]] = {}
    known = base._known_terms or None  # the parse workers' terms: used once, then dropped
    object.__setattr__(base, "_known_terms", None)
    for i, fact in enumerate(base.facts):
        # One sortable key per posting: best impact first, then base order; the mask rides
        # along. Claims of a length share the factor, so the keys by mask are made once.
        keys = by_length.get(lengths[i])
        if keys is None:
            keys = by_length[lengths[i]] = posting_keys(lengths[i])
        shared = shared_texts(base, fact)
        # The terms and masks a parse worker found for these texts, else found here.
        found = known.pop((fact.claim, fact.quote, *shared), None) if known is not None else None
        if found is not None:
            pairs: Iterable[tuple[str, int]] = zip(*found, strict=True)
        else:
            claim, quote = term_set(fact.claim), term_set(fact.quote)
            pairs = text_masks(claim, quote, shared, repeated).items()
        for term, mask in pairs:
            postings[term].append(keys[mask] | i)
    tables.add_all(base.facts)
    tables.add_values(base.facts)
    if kept is not None:
        kept.counts.extend(claim_lengths(base.facts))
    return _assemble(len(base.facts), postings, tables, base, kept)


def _new_postings() -> array[int]:
    return array("Q")


def fact_terms(base: FactBase, fact: Fact, repeated: dict[str, frozenset[str]]) -> dict[str, int]:
    """Each term of a fact with the fields it is in (a bit per `INDEXED`).

    Args:
        base: The fact's base (for its chapter's title).
        fact: The fact.
        repeated: The terms of texts many facts share (tags, sections, titles, figures),
            filled here.
    """
    return text_masks(
        term_set(fact.claim), term_set(fact.quote), shared_texts(base, fact), repeated
    )


Shared = tuple[str, str, str, str, str]
"""A fact's texts that repeat across facts: tags, section, chapter title, metric, figure."""


def shared_texts(base: FactBase, fact: Fact) -> Shared:
    """The texts of a fact's fields after claim and quote in `INDEXED`, as `field_text`
    gives them (read here directly: this runs for every fact of a base being indexed)."""
    chapter = base.chapters.get(fact.chapter)
    title = chapter.title if chapter is not None else ""
    return ", ".join(fact.tags), fact.section, title, fact.metric or "", figure_text(fact)


def text_masks(
    claim: Iterable[str],
    quote: Iterable[str],
    shared: Shared,
    repeated: dict[str, frozenset[str]],
) -> dict[str, int]:
    """Each term of a fact's texts with the fields it is in (a bit per `INDEXED`).

    Args:
        claim: The claim's terms (`term_set`).
        quote: The quote's.
        shared: The other fields' texts (`shared_texts`).
        repeated: The terms of the shared texts met before, filled here.
    """
    masks = dict.fromkeys(claim, 1)
    get = masks.get
    for term in quote:
        masks[term] = get(term, 0) | 2
    for bit, text in enumerate(shared, 2):
        if not text:
            continue
        found = repeated.get(text)
        if found is None:
            found = frozenset(term_set(text))
            if len(repeated) < 200_000:
                repeated[text] = found
        flag = 1 << bit
        for term in found:
            masks[term] = get(term, 0) | flag
    return masks


def posting_keys(length: float) -> list[int]:
    """The high bits of a posting's key, by field mask, for a claim of this length factor."""
    return [
        (255 - min(255, round(_IMPACTS[m] * length))) << 40 | m << 32 for m in range(len(_IMPACTS))
    ]


def _assemble(
    size: int,
    postings: dict[str, array[int]],
    tables: Tables,
    base: FactBase,
    kept: Postings | None = None,
) -> SearchIndex:
    """Lay the postings out term by term; common terms become bitsets and a head."""
    vocab = sorted(postings)
    offsets, heads, df = array("Q", [0]), array("Q"), array("I")
    ids, impacts = array("I"), array("B")
    big: dict[int, tuple[int, int]] = {}
    common = max(size // COMMON, COMMON_MIN)
    for term_id, term in enumerate(vocab):
        keys = postings.pop(term).tolist()  # then sorted in place: ~15% cheaper than sorted()
        keys.sort()
        if kept is not None:
            kept.keys.fromlist(keys)
            kept.offsets.append(len(kept.keys))
        df.append(len(keys))
        if len(keys) >= common:
            big[term_id] = _bitsets(keys, size)
            keys = keys[:HEAD]
        heads.fromlist(keys)  # from a list: ~25% cheaper than extend
        offsets.append(len(ids) + len(heads))
        if len(heads) >= SPLIT:
            _split_keys(heads, ids, impacts)
            del heads[:]
    _split_keys(heads, ids, impacts)
    stems, by_start, by_second = term_tables(vocab)
    return SearchIndex(
        size=size,
        vocab=vocab,
        offsets=offsets,
        ids=ids,
        impacts=impacts,
        df=df,
        big=big,
        stems=stems,
        by_start=by_start,
        by_second=by_second,
        common=common,
        tables=tables,
        thesaurus=build_thesaurus(base.synonyms, base.glossary, base.broader),
        acronyms=frozenset(t for term in base.glossary for t in term_texts(term.acronym)),
    )


_INVERTED = bytes(range(255, -1, -1))
"""Byte ``b`` to ``255 - b``: a key holds ``255 - impact``."""


SPLIT = 1 << 18
"""Keys cut into fact numbers and impacts at a time (2 MB): all at once held ~40 MB more."""


def _split_keys(keys: array[int], ids: array[int], impacts: array[int]) -> None:
    """Add the fact numbers and the impacts of posting keys, in their order, to ``ids`` and
    ``impacts``.

    A key is 8 bytes: the fact number in the low 4, the mask in the 5th and
    ``255 - impact`` in the 6th. On a little-endian machine (any this runs on)
    the two are cut from the keys' bytes in C, not key by key in Python: the
    100k base's 4.5M postings cost ~0.9 s so.
    """
    if sys.byteorder != "little" or ids.itemsize != 4 or keys.itemsize != 8:
        ids.extend(k & _ID for k in keys)
        impacts.extend(255 - (k >> 40) for k in keys)
        return
    with memoryview(keys) as view, view.cast("B") as raw, raw.cast("I") as halves:
        ids.frombytes(halves[::2].tobytes())
        impacts.frombytes(raw[5::8].tobytes().translate(_INVERTED))


def term_tables(
    vocab: Sequence[str],
) -> tuple[
    Mapping[str, tuple[int, ...]],
    Mapping[tuple[int, str], list[str]],
    Mapping[tuple[int, str], list[str]],
]:
    """The stems, and the word terms by length and first and second letter, of a vocabulary."""
    stems: dict[str, list[int]] = {}
    by_start: dict[tuple[int, str], list[str]] = {}
    by_second: dict[tuple[int, str], list[str]] = {}
    for term_id, term in enumerate(vocab):
        stems.setdefault(stem(term), []).append(term_id)
        if not is_number(term) and len(term) > 1:
            by_start.setdefault((len(term), term[0]), []).append(term)
            by_second.setdefault((len(term), term[1]), []).append(term)
    return {s: tuple(t) for s, t in stems.items()}, by_start, by_second


@dataclass
class Postings:
    """Every posting of an index, the common terms' tails too, to patch it after an edit.

    Not part of `SearchIndex` (nor its cache file): only a re-open after an edit reads it.
    """

    keys: array[int]
    """Each term's sorted posting keys (impact, field mask, fact number), term by term."""
    offsets: array[int]
    """Where each term's keys start in `keys`; one more entry at the end."""
    counts: array[int]
    """The words of each fact's claim (`claim_lengths`)."""


def _bitsets(keys: list[int], size: int) -> tuple[int, int]:
    """Return the (primary, any) bitsets of a common term's postings."""
    primary, anywhere = bytearray((size + 7) // 8), bytearray((size + 7) // 8)
    for key in keys:
        i = key & _ID
        bit = 1 << (i & 7)
        anywhere[i >> 3] |= bit
        if key >> 32 & PRIMARY_FIELDS:
            primary[i >> 3] |= bit
    return int.from_bytes(primary, "little"), int.from_bytes(anywhere, "little")
