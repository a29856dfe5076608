"""`explorer.search.fuzzy`: the reranking scorers computed in Python are rapidfuzz's, to the bit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz as theirs
from rapidfuzz.utils import default_process as their_process

import explorer
from benchmarks.process import QUERIES
from explorer.search import fuzzy, search
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


WARM = """
import sys
from explorer.cli import main
main(sys.argv[1:])
heavy = ("typing", "rapidfuzz", "hashlib", "hmac", "_hashlib", "json")
print(" ".join(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("query", "imported"),
    [(["renewable", "energy"], set()), (["renewble", "electricty"], {"rapidfuzz", "typing"})],
)
def test_rapidfuzz_is_imported_for_a_typo_only(
    query: list[str], imported: set[str], tmp_path: Path
) -> None:
    """A warm search of words the base holds imports neither rapidfuzz nor typing; no warm
    search imports OpenSSL, hashlib, hmac or json."""
    env = {**os.environ, "FACT_EXPLORER_CACHE": str(tmp_path / "cache"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "NO_COLOR": "1"}  # fmt: skip
    args = [sys.executable, "-c", WARM, "search", *query]
    subprocess.run(args, capture_output=True, text=True, env=env, check=True)  # writes the cache
    warm = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    assert set(warm.stderr.split()) == imported
