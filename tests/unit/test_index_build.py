"""The index built in bulk is the index built fact by fact, term by term, posting by posting.

`reference_index` is the build as it was written first (each field's text
through `field_text` and `term_texts`, each posting's fact number and impact
taken out one by one); `build_index` must give the very same index over any
base, and `term_set` the very terms of `term_texts`.
"""

from __future__ import annotations

from array import array
from dataclasses import replace
from functools import cache

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from explorer.model import Fact, FactBase
from explorer.search import index
from explorer.search.fields import INDEXED, Tables, field_text
from explorer.search.index import (
    Postings,
    SearchIndex,
    _bitsets,
    build_index,
    build_index_kept,
    claim_lengths,
    posting_keys,
    shared_texts,
    term_tables,
)
from explorer.search.text import STOPWORDS, term_set, term_texts
from explorer.search.thesaurus import build_thesaurus


def reference_index(base: FactBase, kept: Postings | None = None) -> SearchIndex:
    """The index of ``base`` as the first build made it, one posting at a time."""
    postings: dict[str, array[int]] = {}
    repeated: dict[str, frozenset[str]] = {}
    tables = Tables()
    lengths = index._lengths(base)
    for i, fact in enumerate(base.facts):
        keys = posting_keys(lengths[i])
        for term, mask in _reference_terms(base, fact, repeated).items():
            postings.setdefault(term, array("Q")).append(keys[mask] | i)
        tables.add(i, fact)
    tables.add_values(base.facts)
    if kept is not None:
        kept.counts.extend(claim_lengths(base.facts))
    size = len(base.facts)
    vocab = sorted(postings)
    offsets, ids, impacts, df = array("Q", [0]), array("I"), array("B"), array("I")
    big: dict[int, tuple[int, int]] = {}
    common = max(size // index.COMMON, index.COMMON_MIN)
    for term_id, term in enumerate(vocab):
        keys = sorted(postings.pop(term))
        if kept is not None:
            kept.keys.extend(keys)
            kept.offsets.append(len(kept.keys))
        df.append(len(keys))
        if len(keys) >= common:
            big[term_id] = _bitsets(keys, size)
            keys = keys[: index.HEAD]
        ids.extend(k & 0xFFFFFFFF for k in keys)
        impacts.extend(255 - (k >> 40) for k in keys)
        offsets.append(len(ids))
    stems, by_start, by_second = term_tables(vocab)
    return SearchIndex(
        size=size, vocab=vocab, offsets=offsets, ids=ids, impacts=impacts, df=df, big=big,
        stems=stems, by_start=by_start, by_second=by_second, common=common, tables=tables,
        thesaurus=build_thesaurus(base.synonyms, base.glossary, base.broader),
        acronyms=frozenset(t for term in base.glossary for t in term_texts(term.acronym)),
    )  # fmt: skip


def _reference_terms(
    base: FactBase, fact: Fact, repeated: dict[str, frozenset[str]]
) -> dict[str, int]:
    masks: dict[str, int] = {}
    for bit, name in enumerate(INDEXED):
        text = field_text(base, fact, name)
        if not text:
            continue
        shared = 2 <= bit <= 5
        found = repeated.get(text) if shared else None
        if found is None:
            found = frozenset(term_texts(text)) - STOPWORDS
            if shared:
                repeated[text] = found
        for term in found:
            masks[term] = masks.get(term, 0) | 1 << bit
    return masks


_FIELDS = ("size", "vocab", "offsets", "ids", "impacts", "df", "big", "stems", "by_start",
           "by_second", "common", "tables", "thesaurus", "acronyms")  # fmt: skip


def assert_same_index(built: SearchIndex, reference: SearchIndex) -> None:
    for name in _FIELDS:
        assert getattr(built, name) == getattr(reference, name), name


# Text rich in what the number and code patterns look at: digits, separators, scale
# words, letters glued to digits, and characters NFKC or case folding change.
_PIECES = st.sampled_from(
    ["1", "20", "303", "2020", "1,000", "1,550.5", "0.75", "007", "303-5", "102-8", "-", ",",
     ".", " ", "  ", "\u00a0", "million", "bn", "Billion", "MN", "thousand", "5g", "CO2",
     "abc", "The", "of", "_x", "\u00e9t\u00e9", "Stra\u00dfe", "\u2460", "\ufb01le",
     "\u0663\u0664\u0665", "\u00bd", "\u0130stanbul", "x" * 50, "9" * 60, "(", "%", "\u2013"]
)  # fmt: skip
# Text without a digit, which `term_set` reads by words alone: long words, folded ones.
_WORDY = st.sampled_from(
    [" ", ", ", "the", "Of", "waste", "x" * 47, "y" * 48, "Z" * 60, "\u00e9" * 50, "\ufb01" * 30,
     "Stra\u00dfe", "\u0130", "_", "a_b", "(", "\u2013"]
)  # fmt: skip
_texts = st.one_of(
    st.lists(_PIECES, max_size=14).map("".join),
    st.lists(_WORDY, max_size=10).map("".join),
    st.text(st.characters(codec="utf-8"), max_size=40),
)


@example("Huawei " + "x" * 50)
@example("\u00c9" * 50 + " 2020")
@given(_texts)
def test_a_texts_term_set_is_its_terms_but_the_stopwords(text: str) -> None:
    assert term_set(text) == set(term_texts(text)) - STOPWORDS


@cache
def _bundled() -> FactBase:
    from explorer import open_factbase
    from explorer.paths import bundled_facts_dir

    return open_factbase(bundled_facts_dir())


_fact_texts = st.lists(_PIECES | st.sampled_from(["waste", "energy", "Huawei"]), max_size=10)
_varied = st.fixed_dictionaries(
    {
        "claim": _fact_texts.map(" ".join),
        "quote": _fact_texts.map(" ".join),
        "tags": st.lists(st.sampled_from(["energy", "5g", "co2", "Waste-2020"]), max_size=3),
        "metric": st.sampled_from([None, "ghg.total", "energy.use"]),
        "value": st.sampled_from([None, 0, 12, 1.5, 2_000_000]),
        "period": st.sampled_from([None, "2020", "2012/2020"]),
    }
)


def _base_of(changes: list[dict[str, object]]) -> FactBase:
    real = _bundled()
    facts = tuple(
        replace(real.facts[(7 * i) % len(real.facts)], id=f"v{i}", related=(),
                **{**change, "tags": tuple(change["tags"])})  # type: ignore[arg-type]
        for i, change in enumerate(changes)
    )  # fmt: skip
    return FactBase(
        facts=facts, sources=real.sources, chapters=real.chapters, gri=real.gri,
        glossary=real.glossary, synonyms=real.synonyms, broader=real.broader, root="",
    )  # fmt: skip


@settings(max_examples=60)
@given(st.lists(_varied, min_size=1, max_size=40))
def test_an_index_is_the_index_built_posting_by_posting(changes: list[dict[str, object]]) -> None:
    base = _base_of(changes)
    assert_same_index(build_index(base), reference_index(base))


@settings(max_examples=20)
@given(st.lists(_varied, min_size=2, max_size=40))
def test_common_terms_and_the_postings_kept_are_the_same(
    changes: list[dict[str, object]],
) -> None:
    base = _base_of([{**change, "claim": f"waste {change['claim']}"} for change in changes])
    with pytest.MonkeyPatch.context() as patch:
        # Most terms common, and heads shorter than their postings: the bitsets and cuts.
        patch.setattr(index, "COMMON_MIN", 2)
        patch.setattr(index, "HEAD", 3)
        patch.setattr(index, "SPLIT", 5)  # the keys cut into ids and impacts a few at a time
        built, kept = build_index_kept(base)
        reference = reference_index(base, wanted := Postings(array("Q"), array("Q", [0]),
                                                             array("I")))  # fmt: skip
    assert built.big and wanted.keys
    assert_same_index(built, reference)
    assert (kept.keys, kept.offsets, kept.counts) == (wanted.keys, wanted.offsets, wanted.counts)


def test_the_bundled_base_indexes_as_it_did() -> None:
    base = _bundled()
    assert_same_index(build_index(base), reference_index(base))


def test_keys_are_split_alike_on_a_big_endian_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    base = _bundled()
    fast = build_index(base)
    monkeypatch.setattr(index.sys, "byteorder", "big")
    assert_same_index(build_index(base), fast)


def _item(fact: Fact) -> dict[str, object]:
    """A fact file's item that the loader makes ``fact`` of (its indexed fields)."""
    item = {"claim": fact.claim, "quote": list(fact.spans) if fact.spans else fact.quote,
            "tags": list(fact.tags), "section": fact.section, "chapter": fact.chapter,
            "metric": fact.metric, "unit": fact.unit, "scope": fact.scope, "period": fact.period,
            "status": fact.status, "actual": fact.actual, "value": fact.value,
            "series": dict(fact.series) if fact.series is not None else None}  # fmt: skip
    return {k: v for k, v in item.items() if v is not None}


@settings(max_examples=40)
@given(st.lists(_varied, min_size=1, max_size=30), st.lists(_texts, max_size=3))
def test_an_index_built_from_the_workers_terms_is_the_index_built_alone(
    changes: list[dict[str, object]], spans: list[str]
) -> None:
    from explorer.parsepool import known_masks

    base = _base_of(changes)
    items: list[object] = [_item(f) for f in base.facts]
    items.append({"claim": 3, "quote": spans})  # ill-typed: no terms for it
    items.append({"claim": "a", "quote": "b", "tags": [1]})
    items.append("not a fact")
    titles = {cid: chapter.title for cid, chapter in base.chapters.items()}
    known = known_masks({"facts": items}, titles)
    assert len(known) == len({(f.claim, f.quote, *shared_texts(base, f)) for f in base.facts})
    for (claim, quote, *_shared), (terms, masks) in known.items():
        assert len(set(terms)) == len(terms) == len(masks)
        assert {t for t, m in zip(terms, masks, strict=True) if m & 1} == term_set(claim)
        assert {t for t, m in zip(terms, masks, strict=True) if m & 2} == term_set(quote)
    object.__setattr__(base, "_known_terms", known)
    assert_same_index(build_index(base), reference_index(base))
    assert base._known_terms is None and not known  # every fact's terms taken, the memory back


_filed = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["figure", "statement", "table"]),
        "chapter": st.sampled_from(["ch1", "ch2", "front"]),
        "assurance": st.sampled_from(["assured", "not-covered"]),
        "metric": st.sampled_from([None, "", "ghg.total", "energy.use"]),
        "tags": st.lists(st.sampled_from(["Energy", "energy", "5G", "co2", "ß", "SS"]), max_size=4),
        "gri": st.lists(st.sampled_from(["305-1", "302-1", "305-1a", "305-1A"]), max_size=3),
        "period": st.sampled_from([None, "2020", "2012/2020", "2019-03", "1700/2100", "soon"]),
        "series": st.one_of(
            st.none(), st.dictionaries(st.sampled_from(["2018", "2019", "2020", "2012/2020"]),
                                       st.sampled_from([1, 2.5]), min_size=1, max_size=3)
        ),
    }
)  # fmt: skip


@settings(max_examples=80)
@given(st.lists(_filed, max_size=30))
def test_the_tables_filed_at_once_are_those_filed_fact_by_fact(
    changes: list[dict[str, object]],
) -> None:
    real = _bundled().facts[0]
    facts = [
        replace(real, **{**change, "tags": tuple(change["tags"]), "gri": tuple(change["gri"])})  # type: ignore[arg-type]
        for change in changes
    ]
    one_by_one, at_once = Tables(), Tables()
    for i, fact in enumerate(facts):
        one_by_one.add(i, fact)
    at_once.add_all(facts)
    for name in ("kind", "chapter", "source", "assurance", "tag", "gri", "metric", "year"):
        # The same ids under the same keys, met in the same order (the patch keeps it).
        assert list(getattr(at_once, name).items()) == list(getattr(one_by_one, name).items())
