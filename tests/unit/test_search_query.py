"""The query parser on its own: clauses, modes, filters and messages."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import FactBase, open_factbase
from explorer.search import search
from explorer.search.query import FIELDS, MAX_CLAUSES, MAX_QUERY, Filter, Phrase, Word, parse
from explorer.search.text import canonical_number, join_numbers, stem, term_texts, terms
from tests.unit.test_search import write_search_base


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


# ------------------------------------------------------------------ filters that name nothing


EMPTY_CHAPTER = """\
  - {id: "app2", source: "report", number: "II", title: "Appendix II: GRI Standards",
     summary: "The index.", sections: ["GRI Index"]}
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> FactBase:
    """The search tests' base, with a chapter that has no facts (as the real Appendix II)."""
    root = write_search_base(tmp_path_factory.mktemp("filters") / "facts")
    chapters = root / "chapters.yaml"
    chapters.write_text(chapters.read_text("utf-8") + EMPTY_CHAPTER, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACT_EXPLORER_CACHE", "off")
        return open_factbase(root)


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("kind:targt", "no kind 'targt'; did you mean target?"),
        ("kind:zzz", "no kind 'zzz'; kinds are figure, table, target, statement, award, event"),
        ("source:zz", "no source 'zz'; sources are report, moments"),
        ("source:moment", None),  # a prefix names one
        ("chapter:9", "no chapter '9'; chapters are front, 4, moments, II"),
        ("chapter:moment", None),
        ("tag:zzz", "no tag 'zzz'"),
        ("tag:watr", "no tag 'watr'; did you mean water?"),
        ("gri:water", "no GRI disclosure 'water'; GRI disclosures are 305-1, 305-4"),
        ("gri:305-9", "no GRI disclosure '305-9'; did you mean 305-1, 305-4?"),
        ("metric:zzz", "no metric 'zzz'"),
        ("metric:water.totl", "no metric 'water.totl'; did you mean water.total?"),
        ("assured:maybe", "assured:maybe should be yes or no, or one of assured, excluded"),
        ("year:2020..2010", "year:2020..2010 is reversed; write year:2010..2020"),
        ("year:twenty", "year:twenty should be a year"),
        ("year:..", "year:.. should be a year"),
        ("year:٢٠٢٠", "year:٢٠٢٠ should be a year"),  # Arabic-Indic digits: isdigit, but not a year
        ("value:500..100", "value:500..100 is reversed; write value:100..500"),
        ("value:lots", "value:lots should be a comparison"),
        ("value:>>5", "value:>>5 should be a comparison"),
        ("value:5abc", "value:5abc should be a comparison"),  # not "the first number in it"
        ("value:1e400", "value:1e400 should be a comparison"),  # infinite
        ("value:..", "value:.. should be a comparison"),
    ],
)  # fmt: skip
def test_a_filter_that_names_nothing_is_said_and_dropped(
    base: FactBase, written: str, said: str | None
) -> None:
    result = search(base, f"{written} water")
    if said is None:
        assert not result.messages
        return
    assert [m for m in result.messages if m.startswith(said)], result.messages
    assert [h.fact.id for h in result.hits] == ["env-water-table"]  # the rest still runs


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("chapter:II", "no fact is in chapter II (Appendix II: GRI Standards)"),
        ("kind:award", "no fact is of kind award"),
        ("year:1990", "no fact covers year:1990; facts cover 2012 to 2020"),
        ("year:1900..1999", "no fact covers year:1900..1999; facts cover 2012 to 2020"),
        ("value:>1e15", "no fact has value:>1e15"),
        ("value:-10..-1", "no fact has value:-10..-1"),
    ],
)
def test_a_filter_no_fact_meets_matches_nothing_and_says_so(
    base: FactBase, written: str, said: str
) -> None:
    for query in (written, f"{written} water"):
        result = search(base, query)
        assert (result.hits, result.total) == ([], 0)
        assert result.messages == [said]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("year:2020..", ["profile-employees", "env-ghg-total-2020", "env-clean-electricity",
                         "env-water-table", "env-intensity-target"]),
        ("year:..2019", ["env-water-table", "env-intensity-target"]),
        ("year:2019..2019", ["env-water-table", "env-intensity-target"]),
        ("value:1.4e1", ["env-water-table"]),
        ("value:1.5billion..1.6bn", ["env-clean-electricity"]),
        ("value:\u221250..20", ["env-water-table"]),
        ("value:>=30 value:<=30", ["env-intensity-target"]),
        ("value:30%", ["env-intensity-target"]),
    ],
)  # fmt: skip
def test_ranges_open_at_one_end_and_numbers_in_any_spelling(
    base: FactBase, written: str, expected: list[str]
) -> None:
    result = search(base, written)
    assert [h.fact.id for h in result.hits] == expected and not result.messages


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("colour:red", "unknown field 'colour:'; fields are chapter, source, kind"),
        ("assurance:yes", "unknown field 'assurance:'; did you mean 'assured:'? fields are"),
        ("period:2020", "unknown field 'period:'; did you mean 'year:'?"),
        ("tags:ghg", "unknown field 'tags:'; did you mean 'tag:'?"),
    ],
)
def test_an_unknown_field_suggests_the_one_meant(written: str, said: str) -> None:
    assert parse(written).messages[0].startswith(said)


def test_each_problem_is_said_once_and_again_on_the_next_search(base: FactBase) -> None:
    for _ in range(2):  # the second search answers from the memo: the message must come too
        assert search(base, "tag:zzz tag:zzz ! ! water").messages == [
            "'!' needs a word after it",
            "no tag 'zzz'; tags are clean-energy, employees, ghg, governance, renewable-energy, "
            "targets, water",
        ]


FILTER_VALUES = st.text(st.sampled_from("0123456789.,-+<>=%ekmbxyz:'\"\u2212"), max_size=12)
"""Values of one filter: no white space, which would start a second clause."""


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(FIELDS),
    value=FILTER_VALUES | st.text(max_size=8).filter(lambda v: not any(c.isspace() for c in v)),
)
def test_an_empty_answer_to_a_filter_is_never_silent(base: FactBase, name: str, value: str) -> None:
    result = search(base, f"{name}:{value}")
    assert result.total or result.messages, (name, value)
