"""The search engine on a small base made in tmp_path: language, matching, spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer import FactBase, open_factbase
from explorer.search import SPAN_FIELDS, field_text, index_for, search
from explorer.search import engine as engine_module
from tests.conftest import make_base

CHAPTERS = """\
chapters:
  - {id: "front", source: "report", title: "Huawei Profile", summary: "Who.",
     sections: ["About Huawei"]}
  - {id: "ch4", source: "report", number: "4", title: "Environmental Protection",
     summary: "Carbon.", sections: ["Reducing Carbon Emissions", "Promoting Renewable Energy"]}
  - {id: "moments", source: "moments", title: "20 Moments of 2020", summary: "Twenty.",
     sections: ["20 Moments of 2020"]}
"""

FRONT = """\
source: "report"
chapter: "front"
facts:
  - {id: "profile-employees", kind: "figure", section: "About Huawei",
     claim: "Huawei had approximately 197,000 employees in 2020.",
     quote: "approximately 197,000 employees", as_printed: "197,000", value: 197000,
     unit: "people", qualifier: "about", period: "2020", metric: "employees.total",
     tags: ["employees"], assurance: "assured"}
  - {id: "csd-committee", kind: "statement", section: "About Huawei",
     claim: "Huawei's Corporate Sustainable Development Committee oversees sustainability.",
     quote: "The CSD Committee oversees sustainability.", tags: ["governance"],
     assurance: "assured"}
"""

CH4 = """\
source: "report"
chapter: "ch4"
facts:
  - {id: "env-ghg-total-2020", kind: "figure", section: "Reducing Carbon Emissions",
     claim: "Huawei emitted 2,285,458 tonnes of greenhouse gas in 2020.",
     quote: "Emissions (t-CO2) 41,736 2,243,722 2,285,458", as_printed: "2,285,458",
     value: 2285458, unit: "t CO2e", period: "2020", metric: "ghg.total", tags: ["ghg"],
     gri: ["305-1"], assurance: "assured"}
  - {id: "env-clean-electricity", kind: "figure", section: "Promoting Renewable Energy",
     claim: "In 2020 about 1,550 million kWh of the electricity Huawei bought was clean.",
     quote: "about 1,550 million kWh", as_printed: "1,550 million", value: 1550000000,
     unit: "kWh", period: "2020", metric: "energy.clean", tags: ["clean-energy"],
     assurance: "assured"}
  - {id: "env-solar-campus", kind: "statement", section: "Promoting Renewable Energy",
     claim: "Photovoltaic plants on Huawei campuses generate green electricity.",
     quote: "PV plants on our campuses", tags: ["renewable-energy"], assurance: "assured"}
  - {id: "env-water-table", kind: "table", section: "Reducing Carbon Emissions",
     claim: "Huawei's water usage in China was 12.94 million tons in 2019 and 14 in 2020.",
     quote: "Water 12.94 14.00", as_printed: "14.00", value: 14, unit: "million t",
     period: "2019/2020", metric: "water.total", series: {"2019": 12.94, "2020": 14},
     tags: ["water"], assurance: "assured"}
  - {id: "env-intensity-target", kind: "target", section: "Reducing Carbon Emissions",
     claim: "Huawei aimed to cut carbon emissions per million RMB of revenue by 30%.",
     quote: "reduce carbon emissions by 30%", as_printed: "30%", value: 30, unit: "%",
     period: "2012/2020", metric: "ghg.intensity.target", status: "achieved",
     tags: ["ghg", "targets"], gri: ["305-4"], assurance: "excluded-positional"}
"""

MOMENTS = """\
source: "moments"
chapter: "moments"
facts:
  - {id: "moment-charity", kind: "moment", section: "20 Moments of 2020",
     claim: "Huawei staff volunteered at a charity concert.",
     quote: "staff at a charity concert", assurance: "not-covered"}
"""

GLOSSARY = """\
terms:
  - {acronym: "CSD", full: "Corporate Sustainable Development"}
  - {acronym: "GHG", full: "Greenhouse Gas"}
"""

SYNONYMS = """\
synonyms:
  - ["employees", "staff", "workforce"]
  - ["solar", "pv", "photovoltaic"]
"""


def write_search_base(root: Path) -> Path:
    """Write the small base these tests search (three chapters, eight facts)."""
    files = {"report/front.yaml": FRONT, "report/ch4.yaml": CH4, "moments/m.yaml": MOMENTS}
    make_base(root, files)
    for name, text in (("chapters.yaml", CHAPTERS), ("glossary.yaml", GLOSSARY),
                       ("synonyms.yaml", SYNONYMS)):  # fmt: skip
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FactBase:
    monkeypatch.setenv("FACT_EXPLORER_CACHE", str(tmp_path / "cache"))
    return open_factbase(write_search_base(tmp_path / "facts"))


def ids(base: FactBase, query: str, limit: int = 20) -> list[str]:
    return [hit.fact.id for hit in search(base, query, limit).hits]


def test_an_empty_query_lists_the_whole_base_in_chapter_order(base: FactBase) -> None:
    result = search(base, "", limit=100)
    assert [h.fact.id for h in result.hits] == [f.id for f in base.facts]
    assert result.total == len(base.facts) and not result.messages
    assert [h.fact.chapter for h in result.hits][:2] == ["front", "front"]


def test_a_blank_query_is_an_empty_query(base: FactBase) -> None:
    assert ids(base, " \t\n ") == [f.id for f in base.facts]


def test_the_limit_bounds_hits_but_not_the_total(base: FactBase) -> None:
    result = search(base, "huawei", limit=2)
    assert len(result.hits) == 2 and result.total >= 7


def test_space_means_and(base: FactBase) -> None:
    result = search(base, "carbon revenue")
    assert result.total == 1 and result.hits[0].fact.id == "env-intensity-target"


def test_facts_holding_some_of_the_words_follow_those_holding_all(base: FactBase) -> None:
    result = search(base, "carbon revenue")
    assert result.partial == len(result.hits) - 1 > 0
    assert all(h.score < result.hits[0].score for h in result.hits[1:])
    assert not result.messages  # one fact holds every word: nothing to warn of


def test_bar_means_or(base: FactBase) -> None:
    assert set(ids(base, "water | charity")) == {"env-water-table", "moment-charity"}
    assert set(ids(base, "water|charity")) == {"env-water-table", "moment-charity"}


def test_a_quote_mark_asks_for_the_exact_word(base: FactBase) -> None:
    assert "profile-employees" in ids(base, "employee")
    assert ids(base, "'employee") == []
    assert ids(base, "'emplyees") == []


def test_caret_asks_for_a_prefix_and_dollar_for_a_suffix(base: FactBase) -> None:
    assert "env-solar-campus" in ids(base, "^photo")
    assert "env-ghg-total-2020" in ids(base, "^emit")
    assert ids(base, "voltaic$") == ["env-solar-campus"]


def test_bang_excludes(base: FactBase) -> None:
    found = ids(base, "huawei !carbon")
    assert "env-intensity-target" not in found and "profile-employees" in found
    assert "env-ghg-total-2020" not in ids(base, "!ghg")


def test_a_phrase_needs_its_words_together(base: FactBase) -> None:
    assert ids(base, '"per million"') == ["env-intensity-target"]
    assert ids(base, '"million per"') == []
    assert set(ids(base, '"reducing carbon"')) == {  # in a section title
        "env-ghg-total-2020",
        "env-water-table",
        "env-intensity-target",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("chapter:4 water", ["env-water-table"]),
        ("source:moments", ["moment-charity"]),
        ("kind:target", ["env-intensity-target"]),
        ("tag:ghg revenue", ["env-intensity-target"]),
        ("gri:305-1", ["env-ghg-total-2020"]),
        ("year:2019", ["env-water-table", "env-intensity-target"]),
        ("metric:ghg.total", ["env-ghg-total-2020"]),
        ("assured:no", ["env-intensity-target", "moment-charity"]),
        ("value:>1000000", ["env-ghg-total-2020", "env-clean-electricity"]),
        ("value:100..500000", ["profile-employees"]),
        ("value:<=30 kind:target", ["env-intensity-target"]),
        ("!kind:figure chapter:ch4", ["env-solar-campus", "env-water-table",
                                      "env-intensity-target"]),
    ],
)  # fmt: skip
def test_field_filters(base: FactBase, query: str, expected: list[str]) -> None:
    result = search(base, query)
    assert [h.fact.id for h in result.hits] == expected and not result.messages


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("colour:red water", "unknown field 'colour:'"),
        ("kind:targt water", "no kind 'targt'"),
        ("chapter:9 water", "no chapter '9'"),
        ("value:lots water", "value:lots should be"),
        ("year:twenty water", "year:twenty should be"),
        ("kind: water", "'kind:' needs a value"),
        ("| water", "'|' needs a word on each side"),
        ("! water", "'!' needs a word after it"),
        ('"never closed  water', "no closing"),
    ],
)
def test_a_bad_part_is_said_and_the_rest_still_runs(base: FactBase, query: str, said: str) -> None:
    result = search(base, query if "never" not in query else query + " ")
    assert any(said in message for message in result.messages), result.messages
    if "never" not in query:
        assert [h.fact.id for h in result.hits] == ["env-water-table"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("emplyees", "profile-employees"),  # a letter dropped
        ("mployees", "profile-employees"),  # the first letter dropped
        ("meployees", "profile-employees"),  # the first two swapped
        ("photovoltiac", "env-solar-campus"),  # two swapped
        ("wqter", "env-water-table"),  # one wrong
    ],
)
def test_a_typo_still_finds_the_fact(base: FactBase, query: str, expected: str) -> None:
    assert ids(base, query)[0] == expected


def test_other_forms_of_a_word_match(base: FactBase) -> None:
    assert "env-intensity-target" in ids(base, "emission")
    assert "moment-charity" in ids(base, "volunteering")


def test_the_word_being_typed_matches_as_a_prefix(base: FactBase) -> None:
    typing, typed = search(base, "photov").hits, search(base, "photov ").hits
    assert typing[0].fact.id == typed[0].fact.id == "env-solar-campus"
    assert typing[0].score > typed[0].score  # a finished word is a prefix only at a cost
    assert ids(base, "pho ") == []  # and not when short


def test_synonyms_from_the_table_match_both_ways(base: FactBase) -> None:
    assert ids(base, "workforce")[0] == "profile-employees"
    assert "moment-charity" in ids(base, "employees")
    assert ids(base, "solar")[0] == "env-solar-campus"


def test_acronyms_expand_both_ways(base: FactBase) -> None:
    assert ids(base, "csd")[0] == "csd-committee"
    assert "csd-committee" in ids(base, "corporate sustainable development")
    assert ids(base, "ghg 2020")[0] == "env-ghg-total-2020"
    assert "env-ghg-total-2020" in ids(base, "greenhouse gas")


@pytest.mark.parametrize("query", ["197,000", "197000", "197 000", "197000 employees"])
def test_a_number_matches_however_it_is_written(base: FactBase, query: str) -> None:
    assert ids(base, query)[0] == "profile-employees"


@pytest.mark.parametrize("query", ["1.55 billion", "1,550 million", "1550000000", "1.55bn"])
def test_a_scaled_number_matches_its_value(base: FactBase, query: str) -> None:
    assert ids(base, query)[0] == "env-clean-electricity"


def test_a_series_year_finds_a_table_fact(base: FactBase) -> None:
    assert ids(base, "water 2019")[0] == "env-water-table"


def test_hits_say_which_fields_matched_with_spans_into_their_text(base: FactBase) -> None:
    hit = search(base, "greenhouse emissions").hits[0]
    assert hit.fact.id == "env-ghg-total-2020"
    by_field = {m.field: m.spans for m in hit.matches}
    claim = hit.fact.claim
    # "emitted" is WordNet's verb of "emissions": found, so marked too
    assert [claim[a:b] for a, b in by_field["claim"]] == ["emitted", "greenhouse"]
    quote = hit.fact.quote
    assert [quote[a:b] for a, b in by_field["quote"]] == ["Emissions"]
    assert set(by_field) <= set(SPAN_FIELDS)


def test_spans_cover_numbers_as_printed_and_stay_in_bounds(base: FactBase) -> None:
    for query, printed in (("197000", "197,000"), ("1.55 billion", "1,550 million")):
        hit = search(base, query).hits[0]
        claim = next(m for m in hit.matches if m.field == "claim")
        assert [hit.fact.claim[a:b] for a, b in claim.spans] == [printed]
    for hit in search(base, "huawei carbon 2020 ghg").hits:
        for match in hit.matches:
            text = field_text(base, hit.fact, match.field)
            assert all(0 <= a < b <= len(text) for a, b in match.spans)
            assert list(match.spans) == sorted(match.spans)


def test_tags_and_chapter_titles_are_searched_with_spans(base: FactBase) -> None:
    hit = search(base, "environmental governance | renewable").hits[0]
    assert {m.field for m in hit.matches} & {"tags", "chapter"}


def test_a_whole_word_ranks_above_a_typo_or_a_prefix(base: FactBase) -> None:
    scores = {h.fact.id: h.score for h in search(base, "charity").hits}
    assert list(scores) == ["moment-charity"] and 0 < scores["moment-charity"] <= 100


def test_the_index_is_built_once_and_reused(
    base: FactBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    fresh = FactBase(facts=base.facts, sources=base.sources, chapters=base.chapters)
    real = engine_module.build_index
    monkeypatch.setattr(engine_module, "build_index", lambda b: calls.append(1) or real(b))
    for query in ("w", "wa", "wat", "water", "water 2019"):
        search(fresh, query)
    assert len(calls) == 1 and index_for(fresh) is index_for(fresh)


def test_factbase_search_returns_the_hits(base: FactBase) -> None:
    assert [h.fact.id for h in base.search("water", 5)] == ids(base, "water", 5)
