"""The index's vocabulary and term tables as a cache holds them: the same answers as the dicts."""

from __future__ import annotations

import bisect
import io
import pickle
from dataclasses import replace
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.cache import _Unpickler
from explorer.model import FactBase
from explorer.search import terms
from explorer.search.index import SearchIndex, build_index, term_tables
from explorer.search.terms import Buckets, Grouped, TermIds, Terms


def _base_of_claims(claims: list[str]) -> FactBase:
    """The bundled base's first facts, with these claims."""
    real = _bundled()
    facts = tuple(
        replace(real.facts[i % len(real.facts)], id=f"t{i}", claim=claim, related=())
        for i, claim in enumerate(claims)
    )
    return FactBase(
        facts=facts, sources=real.sources, chapters=real.chapters, gri=real.gri,
        glossary=real.glossary, synonyms=real.synonyms, broader=real.broader, root="",
    )  # fmt: skip


@cache
def _bundled() -> FactBase:
    from explorer import open_factbase
    from explorer.paths import bundled_facts_dir

    return open_factbase(bundled_facts_dir())


_term = st.text(st.characters(codec="utf-8", exclude_characters="\n"), min_size=1, max_size=12)
_vocab = st.lists(_term, unique=True, max_size=60).map(sorted)


@given(_vocab, st.lists(_term, max_size=20))
def test_sorted_terms_find_and_slice_as_a_list(vocab: list[str], others: list[str]) -> None:
    held = Terms.of(vocab)
    assert held == vocab and vocab == held and list(held) == vocab and len(held) == len(vocab)
    assert [held[i] for i in range(-len(vocab), len(vocab))] == vocab + vocab
    assert held[1:4] == vocab[1:4]
    for text in vocab + others:
        assert held.find(text) == (vocab.index(text) if text in vocab else None)
        assert (text in held) == (text in vocab)
        assert bisect.bisect_left(held, text) == bisect.bisect_left(vocab, text)
    with pytest.raises(IndexError):
        held[len(vocab)]


@given(_vocab, st.lists(_term, max_size=20), st.booleans())
def test_term_ids_answer_as_the_dict(vocab: list[str], others: list[str], many: bool) -> None:
    ids = {t: i for i, t in enumerate(vocab)}
    held = TermIds(Terms.of(vocab))
    if many:  # past the bisections: a dict answers, the same way
        held._asked = terms.DICT_AFTER
    for text in vocab + others:
        assert held.get(text) == ids.get(text) and (text in held) == (text in ids)
        if text in ids:
            assert held[text] == ids[text]
        else:
            with pytest.raises(KeyError):
                held[text]
    assert held == ids and len(held) == len(ids) and list(held) == list(ids)


@given(_vocab)
def test_stems_and_typo_buckets_answer_as_the_dicts(vocab: list[str]) -> None:
    stems, by_start, by_second = term_tables(vocab)
    grouped = Grouped.of(stems)
    assert grouped == stems and dict(grouped.items()) == stems
    for key in list(stems) + ["", "zzz-none"]:
        assert grouped.get(key) == stems.get(key) and (key in grouped) == (key in stems)
    for table in (by_start, by_second):
        buckets = Buckets.of(table)
        assert buckets == table
        for key in list(table) + [(99, "q")]:
            assert buckets.get(key) == table.get(key) and (key in buckets) == (key in table)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text("abcdeéz 0123456789", min_size=1, max_size=40), min_size=1, max_size=30))
def test_an_index_comes_back_from_its_pickle_the_same(claims: list[str]) -> None:
    index = build_index(_base_of_claims(claims))
    back: SearchIndex = _Unpickler(io.BytesIO(pickle.dumps(index, protocol=5))).load()
    assert isinstance(back.vocab, Terms) and isinstance(back.term_ids, TermIds)
    assert back == index and index == back
    for term in list(index.vocab) + ["nothing-such"]:
        assert back.term_ids.get(term) == index.term_ids.get(term)
        assert back.stems.get(term) == index.stems.get(term)
    for prefix in ("a", "é", "1", "zz"):
        assert back.prefixed(prefix) == index.prefixed(prefix)
        assert back.suffixed(prefix) == index.suffixed(prefix)
    index.memo.clear()  # what the lookups above remembered; never pickled
    again = _Unpickler(io.BytesIO(pickle.dumps(back, protocol=5))).load()
    assert again == index and again.vocab == back.vocab


def test_ends_that_do_not_match_their_text_are_refused() -> None:
    from array import array

    with pytest.raises(ValueError):
        Terms("abc", array("Q", [1, 2]))
    with pytest.raises(ValueError):
        Grouped(Terms.of(["a"]), array("Q", [0]), array("I"))
