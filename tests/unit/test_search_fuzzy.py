"""`explorer.search.fuzzy`: the reranking scores and typo neighbours computed in Python are
rapidfuzz's, to the bit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz as theirs
from rapidfuzz import process as their_process_module
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process as their_process

import explorer
from benchmarks.process import QUERIES
from explorer import cli
from explorer.search import expand, fuzzy, search
from explorer.search import rank as rank_module
from explorer.search.fuzzy import default_process, fuzz

LETTERS = "aAbBeEsStTxX019 _-.,'’–“”/%²€éÉßøİΣσςΑλ漢\t\n"
"""Letters of both kinds: those `fuzzy` computes itself, and those it leaves to rapidfuzz."""


@pytest.fixture(autouse=True)
def in_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """Score in Python, as a process that has not imported rapidfuzz does (these tests have)."""
    monkeypatch.setattr(fuzzy, "_compiled", lambda: None)


texts = st.text(alphabet=LETTERS, max_size=40) | st.text(max_size=20)
WORDS = ["energy", "Energy", "saving", "base", "station", "2020", "co2", "CO₂", "women", "womn",
         "-", "&"]  # fmt: skip
words = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)


@given(texts | words, texts | words)
def test_token_sort_ratio_is_rapidfuzzs(a: str, b: str) -> None:
    mine = fuzz.token_sort_ratio(a, b, processor=default_process)
    assert mine == theirs.token_sort_ratio(a, b, processor=their_process)


@given(texts | words, texts | words)
def test_token_set_ratio_is_rapidfuzzs(a: str, b: str) -> None:
    mine = fuzz.token_set_ratio(a, b, processor=default_process)
    assert mine == theirs.token_set_ratio(a, b, processor=their_process)


CUTOFFS = st.none() | st.sampled_from([0.0, 50.0, 100.0]) | st.floats(0, 100)


@given(texts | words, texts | words, CUTOFFS)
def test_a_score_below_its_cutoff_is_0_as_rapidfuzzs(a: str, b: str, cutoff: float | None) -> None:
    for mine, their in ((fuzz.token_set_ratio, theirs.token_set_ratio),
                        (fuzz.token_sort_ratio, theirs.token_sort_ratio)):  # fmt: skip
        got = mine(a, b, processor=default_process, score_cutoff=cutoff)
        assert got == their(a, b, processor=their_process, score_cutoff=cutoff)


def test_a_long_quote_below_the_cutoff_is_0_without_comparing_its_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its words are 400 characters longer than the query's: no score of theirs can reach 40."""
    quote = " ".join(f"word{n}" for n in range(60))
    monkeypatch.setattr(fuzzy, "_indel", None)  # never called: a call would raise
    assert fuzz.token_set_ratio("water usage", quote, processor=default_process,
                                score_cutoff=40) == 0  # fmt: skip
    monkeypatch.undo()
    assert 0 < theirs.token_set_ratio("water usage", quote, processor=their_process) < 40


@given(texts)
def test_default_process_is_rapidfuzzs(text: str) -> None:
    assert default_process(text) == their_process(text)


def test_every_character_computed_here_is_processed_as_rapidfuzz_does() -> None:
    """Each character `fuzzy` does not leave to rapidfuzz, alone and between letters."""
    ours = [chr(c) for c in range(0x110000) if fuzzy.computed_here(chr(c))]
    assert len(ours) == 0x370 - 1 + 0xC00  # Latin but "İ", then punctuation and symbols
    for char in ours:
        assert fuzzy._processed(f"a{char}B", default_process) == their_process(f"a{char}B")
        assert fuzzy._processed(char, default_process) == their_process(char)


def test_the_base_claims_and_quotes_score_as_with_rapidfuzz() -> None:
    """Every query of the process benchmark against every fact's claim and quote."""
    base = explorer.open_factbase()
    for fact in base.facts:
        for query in QUERIES:
            assert fuzz.token_sort_ratio(
                query, fact.claim, processor=default_process
            ) == theirs.token_sort_ratio(query, fact.claim, processor=their_process)
            assert fuzz.token_set_ratio(
                query, fact.quote, processor=default_process
            ) == theirs.token_set_ratio(query, fact.quote, processor=their_process)
            assert fuzz.token_set_ratio(
                query, fact.quote, processor=default_process, score_cutoff=50
            ) == theirs.token_set_ratio(query, fact.quote, processor=their_process, score_cutoff=50)


def test_once_rapidfuzz_is_imported_its_c_scores_every_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fuzzy, "_compiled", lambda: theirs)
    monkeypatch.setattr(fuzzy, "_processed", None)  # never called: any call would raise
    assert fuzz.token_sort_ratio("b A", "a b", processor=default_process) == 100.0
    assert fuzz.token_set_ratio(
        "the A", "a b", processor=default_process
    ) == theirs.token_set_ratio("the A", "a b", processor=their_process)
    assert fuzzy._compiled is not None and fuzzy._their_processor(default_process) is their_process


def test_only_a_process_that_searches_once_scores_in_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.undo()  # the real `_compiled`
    assert not fuzzy.ONE_SEARCH and fuzzy._compiled() is theirs  # imported if need be
    monkeypatch.setattr(fuzzy, "ONE_SEARCH", True)
    assert fuzzy._compiled() is theirs  # imported already (for a typo): its C
    monkeypatch.delitem(sys.modules, "rapidfuzz.fuzz")
    assert fuzzy._compiled() is None


def test_any_other_processor_is_rapidfuzzs() -> None:
    assert fuzz.token_sort_ratio("b a", "a b") == theirs.token_sort_ratio("b a", "a b")
    assert fuzz.token_set_ratio("A b", "a b") == theirs.token_set_ratio("A b", "a b")
    assert fuzz.ratio("abc", "abd") == theirs.ratio("abc", "abd")  # the rest: rapidfuzz's


def queries() -> list[str]:
    """Many queries: the benchmark's, and words and pairs of words of the base's claims."""
    base = explorer.open_factbase()
    found = list(QUERIES)
    for fact in list(base.facts)[::7]:
        claim = fact.claim.split()
        found.append(claim[len(claim) // 2])
        found.append(" ".join(claim[1:3]))
    return found


def test_search_ranks_as_it_does_with_rapidfuzzs_scorers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same hits, in the same order, with the same scores, over hundreds of queries."""
    base = explorer.open_factbase()
    asked = queries()
    assert len(asked) > 200
    ours = [[(h.fact.id, h.score) for h in search(base, q).hits] for q in asked]
    monkeypatch.setattr(rank_module, "fuzz", theirs)
    monkeypatch.setattr(rank_module, "default_process", their_process)
    base._search_index.memo.clear()  # type: ignore[union-attr]
    rapidfuzzs = [[(h.fact.id, h.score) for h in search(base, q).hits] for q in asked]
    assert ours == rapidfuzzs


def their_typos(text: str, terms: list[str], most: int) -> list[tuple[str, int]]:
    found = their_process_module.extract(
        text, terms, scorer=OSA.distance, score_cutoff=most, limit=None
    )
    return [(term, distance) for term, distance, _i in found]


SMALL = st.text(alphabet="abcé漢", max_size=7) | st.text(alphabet="ab", max_size=9)
"""Short words over few letters, so that many are one or two edits apart (and some Unicode)."""


@given(SMALL, st.lists(SMALL, max_size=12), st.sampled_from([1, 2]))
def test_typo_neighbours_are_rapidfuzzs(text: str, terms: list[str], most: int) -> None:
    """The same terms, the same distances, in the same order (nearest, then as given)."""
    assert fuzzy._near(text, terms, most) == their_typos(text, terms, most)


def edited(word: str, edits: list[tuple[int, int, str]]) -> str:
    """``word`` with each edit (a kind, a place, a letter): replaced, added, dropped, swapped."""
    for kind, place, letter in edits:
        at = place % (len(word) + 1)
        if kind == 0:
            word = word[:at] + letter + word[at + 1 :]
        elif kind == 1:
            word = word[:at] + letter + word[at:]
        elif kind == 2:
            word = word[:at] + word[at + 1 :]
        else:
            word = word[:at] + word[at + 1 : at + 2] + word[at : at + 1] + word[at + 2 :]
    return word


EDITS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 9), st.sampled_from("abcé漢")),
                 max_size=3)  # fmt: skip


@given(SMALL, SMALL | SMALL.flatmap(lambda w: EDITS.map(lambda e: edited(w, e))), st.integers(0, 4))
def test_osa_distance_is_rapidfuzzs_up_to_the_bound(a: str, b: str, most: int) -> None:
    assert fuzzy._osa(a, b, most) == min(OSA.distance(a, b), most + 1)


@given(SMALL, st.lists(EDITS, max_size=8), st.sampled_from([1, 2]))
def test_near_misspellings_are_rapidfuzzs(
    text: str, edits: list[list[tuple[int, int, str]]], most: int
) -> None:
    """Terms one to three edits from the word: a swap beside another edit, and so on."""
    terms = [edited(text, e) for e in edits]
    assert fuzzy._near(text, terms, most) == their_typos(text, terms, most)


@given(st.text(max_size=12), st.lists(st.text(max_size=12), max_size=8), st.sampled_from([1, 2]))
def test_typo_neighbours_of_any_text_are_rapidfuzzs(text: str, terms: list[str], most: int) -> None:
    assert fuzzy._near(text, terms, most) == their_typos(text, terms, most)


def test_every_typo_word_of_the_benchmark_finds_rapidfuzzs_neighbours() -> None:
    """Every word of the process benchmark's queries against the bundled vocabulary, in the
    buckets `_typos` compares it with and all at once."""
    base = explorer.open_factbase()
    search(base, "warm up")
    index = base._search_index
    assert index is not None
    vocabulary = list(index.term_ids)
    words = {w for q in QUERIES for w in q.split() if len(w) >= 4}
    assert {"renewble", "electricty", "emisions", "sustainabilty", "womn"} <= words
    found = 0
    for text in sorted(words):
        for most in (1, 2):
            assert fuzzy._near(text, vocabulary, most) == their_typos(text, vocabulary, most)
            for length in range(len(text) - most, len(text) + most + 1):
                for bucket in (index.by_start.get((length, text[0])),
                               index.by_second.get((length, text[1]))):  # fmt: skip
                    if bucket:
                        mine = fuzzy._near(text, bucket, most)
                        assert mine == their_typos(text, bucket, most)
                        found += len(mine)
    assert found > 50


def test_a_process_that_searches_once_finds_typos_in_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    near = fuzzy._near
    monkeypatch.setattr(fuzzy, "_near", lambda t, terms, m: calls.append(t) or near(t, terms, m))
    assert fuzzy.osa_within("womn", ["women", "woman", "wom"], 1) == [
        ("women", 1), ("woman", 1), ("wom", 1)
    ]  # fmt: skip
    monkeypatch.setattr(fuzzy, "ONE_SEARCH", True)
    assert fuzzy.osa_within("womn", ["women"], 1) == [("women", 1)]
    assert not calls  # rapidfuzz imported already: its C
    monkeypatch.delitem(sys.modules, "rapidfuzz.process")
    assert fuzzy.osa_within("womn", ["women"], 1) == [("women", 1)]
    assert calls == ["womn"]


def typo_queries() -> list[str]:
    """The benchmark's queries and words of the base's claims misspelled: a letter dropped,
    doubled, replaced or two swapped, alone and beside another word."""
    base = explorer.open_factbase()
    found = list(QUERIES)
    for n, fact in enumerate(list(base.facts)[::5]):
        words = [w for w in fact.claim.lower().split() if w.isalpha() and len(w) >= 4]
        if not words:
            continue
        word = words[n % len(words)]
        at = n % (len(word) - 1)
        edits = (word[:at] + word[at + 1 :], word[:at] + word[at] + word[at:],
                 word[:at] + "xq"[n % 2] + word[at + 1 :],
                 word[:at] + word[at + 1] + word[at] + word[at + 2 :])  # fmt: skip
        typo = edits[n % 4]
        found.append(typo if n % 3 else f"{typo} {words[0]}")
    return found


def test_typo_searches_print_what_they_print_with_rapidfuzz(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`fact-explorer search --json` over many typo queries: the same output, whether the
    typo neighbours are found in Python (rapidfuzz not imported) or by rapidfuzz."""
    asked = typo_queries()
    assert len(asked) > 100
    calls: list[str] = []
    near = fuzzy._near
    monkeypatch.setattr(fuzzy, "_near", lambda t, terms, m: calls.append(t) or near(t, terms, m))

    def printed() -> list[str]:
        out = []
        for query in asked:
            assert cli.main(["search", "--json", *query.split()]) in (0, 1)
            out.append(capsys.readouterr().out)
        return out

    with monkeypatch.context() as python_only:
        python_only.delitem(sys.modules, "rapidfuzz.process")
        in_python = printed()
    assert len(set(calls)) > 80  # found in Python
    calls.clear()
    with_rapidfuzz = printed()
    assert not calls
    assert in_python == with_rapidfuzz
    assert expand.osa_within is fuzzy.osa_within


WARM = """
import sys
from explorer.cli import main
main(sys.argv[1:])
heavy = ("typing", "rapidfuzz", "hashlib", "hmac", "_hashlib", "json")
print(" ".join(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("query", "imported"),
    [(["renewable", "energy"], set()), (["renewble", "electricty"], set())],
)
def test_a_warm_search_imports_no_rapidfuzz(
    query: list[str], imported: set[str], tmp_path: Path
) -> None:
    """A warm search, of words the base holds or with typos, imports neither rapidfuzz nor
    typing, nor OpenSSL, hashlib, hmac or json."""
    env = {**os.environ, "FACT_EXPLORER_CACHE": str(tmp_path / "cache"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "NO_COLOR": "1"}  # fmt: skip
    args = [sys.executable, "-c", WARM, "search", *query]
    subprocess.run(args, capture_output=True, text=True, env=env, check=True)  # writes the cache
    warm = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    assert set(warm.stderr.split()) == imported
