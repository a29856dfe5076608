"""The query parser on its own: clauses, modes, filters and messages."""

from __future__ import annotations

import subprocess
import sys

import pytest

from explorer.search.query import MAX_CLAUSES, MAX_QUERY, Filter, Phrase, Word, parse
from explorer.search.text import canonical_number, join_numbers, stem, term_texts, terms


def atoms(query: str) -> list[list[object]]:
    return [list(clause.atoms) for clause in parse(query).clauses]


def test_space_separates_clauses_and_stopwords_drop() -> None:
    assert atoms("the carbon of emissions") == [
        [Word("carbon")],
        [Word("emissions", last=True)],
    ]


def test_bar_joins_its_neighbours_into_one_clause() -> None:
    assert atoms("solar | wind hydro") == [
        [Word("solar"), Word("wind")],
        [Word("hydro", last=True)],
    ]
    assert atoms("solar|wind") == [[Word("solar"), Word("wind", last=True)]]


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("'exact ", Word("exact", "exact")),
        ("^pre ", Word("pre", "prefix")),
        ("suf$ ", Word("suf", "suffix")),
        ("^whole$ ", Word("whole", "exact")),
        ('"single" ', Word("single", "exact")),
    ],
)
def test_marks_set_the_mode(query: str, word: Word) -> None:
    assert atoms(query) == [[word]]


def test_bang_negates_and_never_joins_an_or() -> None:
    query = parse("!coal solar")
    assert [(c.negated, c.atoms) for c in query.clauses] == [
        (True, (Word("coal"),)),
        (False, (Word("solar", last=True),)),
    ]
    mixed = parse("!coal | solar")
    assert any("'!' cannot be combined" in m for m in mixed.messages)


def test_a_phrase_keeps_its_stopwords_and_order() -> None:
    assert atoms('"reduction of carbon" x') == [
        [Phrase(("reduction", "of", "carbon"))],
        [Word("x", last=True)],
    ]


def test_field_filters_parse_with_quoted_values() -> None:
    assert atoms('kind:target chapter:"Environmental Protection" value:100..500') == [
        [Filter("kind", "target")],
        [Filter("chapter", "environmental protection")],
        [Filter("value", "100..500")],
    ]


def test_a_colon_in_a_number_is_not_a_field() -> None:
    assert atoms("10:00 ") == [[Word("10")], [Word("0")]]


def test_numbers_are_joined_and_scaled_before_the_words_split() -> None:
    assert join_numbers("197 000 staff") == "197000 staff"
    assert join_numbers("in 2019 2020") == "in 2019 2020"
    assert atoms("1.55 billion kwh ") == [[Word("1550000000")], [Word("kwh")]]
    assert atoms("197 000 ") == [[Word("197000")]]


def test_the_word_being_typed_is_marked_last() -> None:
    assert atoms("solar pan") == [[Word("solar")], [Word("pan", last=True)]]
    assert atoms("solar pan ") == [[Word("solar")], [Word("pan")]]


def test_a_long_query_is_cut_and_said() -> None:
    query = parse("word " * 400)
    assert any(str(MAX_QUERY) in m for m in query.messages)
    assert len(query.clauses) == MAX_CLAUSES
    assert any(str(MAX_CLAUSES) in m for m in query.messages)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("197,000", "197000"),
        ("2,285,458", "2285458"),
        ("33.2", "33.2"),
        ("1.50", "1.5"),
        ("007", "7"),
        ("１２３", "123"),
    ],
)
def test_a_number_has_one_canonical_spelling(text: str, expected: str) -> None:
    assert canonical_number(text) == expected


def test_a_scaled_number_yields_its_digits_scale_and_value() -> None:
    found = [(t.text, t.kind) for t in terms("1.55 billion kWh")]
    assert found == [("1.55", "number"), ("billion", "scale"), ("1550000000", "value"),
                     ("kwh", "word")]  # fmt: skip
    assert term_texts("1,550 million") == ["1550", "million", "1550000000"]


def test_terms_are_nfkc_case_folded_and_keep_original_offsets() -> None:
    text = "ＣＯ２ Straße 5G"
    found = list(terms(text))
    assert [t.text for t in found] == ["co2", "strasse", "5g"]
    assert [text[t.start : t.end] for t in found] == ["ＣＯ２", "Straße", "5G"]


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (("emissions", "emission"), True),
        (("countries", "country"), True),
        (("recycling", "recycled", "recycle"), True),
        (("employees", "employee"), True),
        (("gas", "gap"), False),
    ],
)
def test_stems_join_the_forms_of_a_word(words: tuple[str, ...], same: bool) -> None:
    assert (len({stem(w) for w in words}) == 1) is same


SEARCH_MODULES = [
    "explorer.cache",
    "explorer.search.engine",
    "explorer.search.index",
    "explorer.search.rank",
    "explorer.search.spans",
    "explorer.search.expand",
]


@pytest.mark.parametrize("module", SEARCH_MODULES)
def test_search_modules_do_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
