"""The GRI content index and the glossary as entries of the real base."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from explorer import FactBase, open_factbase
from explorer.check import check, prove_fact
from explorer.cite import cite
from explorer.export import render
from explorer.loader import load_factbase
from explorer.search import search
from tests.conftest import FACTS, GOOD_FACT, SOURCES


@pytest.fixture(scope="module")
def base() -> FactBase:
    return open_factbase(FACTS)


def entries(base: FactBase, kind: str) -> list:
    return [f for f in base.facts if f.kind == kind]


def test_every_disclosure_and_every_acronym_is_an_entry(base: FactBase) -> None:
    assert len(entries(base, "disclosure")) == len(base.gri) == 148
    assert len(entries(base, "acronym")) == len(base.glossary) == 90
    curated = [f for f in base.facts if f.kind not in ("disclosure", "acronym")]
    assert len(base.facts) == len(curated) + 148 + 90


def test_a_disclosure_entry_quotes_its_index_row_with_its_pages(base: FactBase) -> None:
    fact = base.get("gri-303-5")
    assert fact is not None
    assert (fact.kind, fact.chapter, fact.section) == ("disclosure", "app2", "GRI Standards")
    assert fact.quote == "303-5 Water consumption"
    assert fact.page == "69-73"
    assert fact.claim == "GRI 303-5 Water consumption is reported on pages 69-73."
    assert fact.gri == ("303-5",)


def test_an_acronym_entry_quotes_its_glossary_line(base: FactBase) -> None:
    fact = base.get("acronym-csd")
    assert fact is not None
    assert (fact.kind, fact.chapter) == ("acronym", "app3")
    assert fact.quote == "CSD Corporate Sustainable Development"
    assert fact.claim == "CSD stands for Corporate Sustainable Development."
    assert base.get("acronym-brics-wba") is not None


def test_a_disclosure_without_a_page_says_so(base: FactBase) -> None:
    fact = base.get("gri-102-10")
    assert fact is not None and fact.page is None
    assert "without a page" in fact.claim


@pytest.mark.skipif(not SOURCES.is_dir(), reason="needs the source texts")
def test_every_entry_quote_is_proven_by_check(base: FactBase) -> None:
    result = check(FACTS, SOURCES)
    assert result.ok, result.problems[:3]
    assert result.facts == len(base.facts)
    assert result.proven == len(base.facts)


def test_an_entry_quote_may_be_two_words_a_curated_one_may_not(base: FactBase) -> None:
    app = base.get("acronym-app")
    assert app is not None and app.quote == "App Application"
    assert prove_fact(app, None) == []
    curated = base.get("env-water-2020")
    assert curated is not None
    short = type(curated)(**{**curated.to_dict(), "quote": "14 million", "as_printed": "14 million",
                             "value": 14000000, "tags": (), "gri": (), "related": ()})  # fmt: skip
    assert any("words" in m for m in prove_fact(short, None))


def test_a_disclosure_relates_the_facts_citing_it(base: FactBase) -> None:
    citing = {f.id for f in base.facts if "303-5" in f.gri and f.kind != "disclosure"}
    assert citing
    fact = base.get("gri-303-5")
    assert fact is not None
    assert {link.id for link in fact.related} == citing
    assert {link.rel for link in fact.related} == {"cited-by"}
    shown = {r.fact.id for r in base.related("gri-303-5", limit=20) if r.rel == "cited-by"}
    assert shown == citing
    back = {r.fact.id: r.rel for r in base.related(sorted(citing)[0], limit=50)}
    assert back.get("gri-303-5") == "cited-by"


@pytest.mark.parametrize(
    ("query", "expected", "within"),
    [
        ("gri 303-5", "gri-303-5", 1),
        ("what does CSD stand for", "acronym-csd", 1),
        ("gri 405-1 diversity", "gri-405-1", 3),
        ("gri 303-3 water withdrawal", "gri-303-3", 3),
        ("what does IPE stand for", "acronym-ipe", 3),
        ("what does IPE mean", "acronym-ipe", 3),
    ],
)
def test_the_entry_asked_for_is_found(
    base: FactBase, query: str, expected: str, within: int
) -> None:
    ids = [hit.fact.id for hit in search(base, query, limit=5).hits]
    assert expected in ids[:within], ids


def test_a_question_for_a_gri_disclosure_finds_disclosures(base: FactBase) -> None:
    hits = search(base, "which GRI disclosure covers water", limit=3).hits
    assert hits and all(h.fact.kind == "disclosure" and "Water" in h.fact.claim for h in hits)


def test_an_entry_not_asked_for_stands_behind_the_fact(base: FactBase) -> None:
    ids = [hit.fact.id for hit in search(base, "gtac", limit=5).hits]
    assert ids[0] == "sec-tac-global" and "acronym-gtac" in ids


def test_kind_filters_find_the_entries(base: FactBase) -> None:
    assert len(search(base, "kind:acronym", limit=200).hits) == 90
    assert len(search(base, "kind:disclosure", limit=200).hits) == 148


def test_the_appendices_hold_their_entries_for_the_browse_tree(base: FactBase) -> None:
    assert len(base.in_section("app2", "GRI Standards")) == 148
    assert len(base.in_section("app3", "Acronyms and Abbreviations")) == 90


def test_an_entry_is_cited_with_its_appendix_and_pages(base: FactBase) -> None:
    fact = base.get("gri-303-5")
    assert fact is not None
    apa = cite(base, fact, "apa")
    assert apa.startswith("\u201c303-5 Water consumption\u201d (Huawei")
    assert "Appendix II, GRI Standards section, pp. 69\u201373)" in apa
    acronym = base.get("acronym-csd")
    assert acronym is not None
    assert "Appendix III, Acronyms and Abbreviations section)" in cite(base, acronym, "apa")


def test_an_entry_is_exported_like_a_fact(base: FactBase, tmp_path: Path) -> None:
    facts = [base.get("gri-303-5"), base.get("acronym-csd")]
    assert all(facts)
    (first, second) = json.loads(render(base, facts, "json"))["facts"]  # type: ignore[arg-type]
    assert first["id"] == "gri-303-5" and first["kind"] == "disclosure"
    assert first["page"] == "69-73"
    assert second["quote"] == "CSD Corporate Sustainable Development"


def test_a_curated_fact_taking_an_entry_id_is_a_problem(tmp_path: Path) -> None:
    root = tmp_path / "facts"
    shutil.copytree(FACTS, root)
    clash = GOOD_FACT.replace('"env-ghg-total-2020"', '"gri-303-5"')
    (root / "report" / "clash.yaml").write_text(clash, encoding="utf-8")
    _base, problems = load_factbase(root)
    assert [p.message for p in problems if "gri-303-5" in p.message] == [
        f"disclosure 'gri-303-5': a fact has its id (at {root / 'report' / 'clash.yaml'}:4); "
        "rename that fact"
    ]
