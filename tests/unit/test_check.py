"""check: quotes, figures and series proven against the source texts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.check import SourceText, check, fold
from tests.conftest import FACTS, GOOD_FACT, make_base


def facts_with(old: str, new: str) -> dict[str, str]:
    return {"report/ch4.yaml": GOOD_FACT.replace(old, new)}


def messages(root: Path, sources: Path) -> list[str]:
    return [p.message for p in check(root, sources).problems]


def test_good_fact_is_proven(tiny_base: Path, sources_dir: Path) -> None:
    result = check(tiny_base, sources_dir)
    assert result.ok and result.verified == ["report", "moments"]
    assert result.summary() == "1 facts, 2 of 2 sources verified, 0 problems"


def test_quote_may_differ_only_in_white_space(tmp_path: Path, sources_dir: Path) -> None:
    spaced = facts_with("Emissions (t-CO2) 41,736", "Emissions\n      (t-CO2)   41,736")
    assert messages(make_base(tmp_path / "a", spaced), sources_dir) == []
    changed = facts_with("Emissions (t-CO2) 41,736", "Emissions (t-CO2) 41,737")
    assert messages(make_base(tmp_path / "b", changed), sources_dir) == [
        "env-ghg-total-2020: quote not found in source report; "
        "the source has its first words up to 'Emissions (t-CO2)'"
    ]


def test_as_printed_must_stand_in_the_quote(tmp_path: Path, sources_dir: Path) -> None:
    root = make_base(
        tmp_path / "f", facts_with('as_printed: "2,285,458"', 'as_printed: "2,285,459"')
    )
    assert "as_printed '2,285,459' is not in the quote" in messages(root, sources_dir)[0]


def test_value_must_agree_with_as_printed(tmp_path: Path, sources_dir: Path) -> None:
    root = make_base(tmp_path / "f", facts_with("value: 2285458", "value: 2285000"))
    assert messages(root, sources_dir) == [
        "env-ghg-total-2020: value 2285000 does not match as_printed '2,285,458' (2.28546e+06)"
    ]


def test_series_values_must_be_printed_near_the_quote(tmp_path: Path, sources_dir: Path) -> None:
    table = GOOD_FACT.replace('kind: "figure"', 'kind: "table"') + (
        '    series: {"2019": 2243722, "2020": 2285458, "2021": 999999}\n'
    )
    root = make_base(tmp_path / "f", {"report/ch4.yaml": table})
    assert len(found := messages(root, sources_dir)) == 1
    assert found[0].startswith("env-ghg-total-2020: series 2021: 999999 is not printed near")


def test_quote_length_is_bounded(tmp_path: Path, sources_dir: Path) -> None:
    root = make_base(tmp_path / "f", facts_with("Emissions (t-CO2) 41,736 2,243,722 2,285,458",
                                                  "2,243,722 2,285,458"))  # fmt: skip
    assert "quote has 2 words; a quote is 5 to 60" in messages(root, sources_dir)[0]


def test_sources_are_matched_by_hash_not_name(tmp_path: Path, sources_dir: Path) -> None:
    renamed = tmp_path / "texts"
    renamed.mkdir()
    for i, path in enumerate(sorted(sources_dir.iterdir())):
        (renamed / f"text-{i}.dat").write_bytes(path.read_bytes())
    (renamed / "huawei-2020-sustainability-report.txt").write_text("an impostor edition")
    result = check(make_base(tmp_path / "f"), renamed)
    assert result.ok and sorted(result.verified) == ["moments", "report"]


def test_a_check_that_proves_no_quote_fails(tiny_base: Path, tmp_path: Path) -> None:
    """No texts given, or a folder without them: the unproven source is the problem."""
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (None, empty):
        result = check(tiny_base, folder)
        assert not result.ok and result.proven == 0
        [problem] = result.problems  # only "report" has facts to prove; "moments" has none
        assert problem.path.endswith("sources.yaml") and problem.line == 6
        assert "source 'report': no text with sha256 6c399b1bc034..." in problem.message
        assert "its 1 facts' quotes are unproven" in problem.message
        assert "0 of 2 sources verified" in result.summary()


def test_structure_only_proves_nothing_and_says_so(tiny_base: Path) -> None:
    result = check(tiny_base, None, structure_only=True)
    assert result.ok and result.proven == 0 and result.verified == []
    assert "structure only, no quote proven" in result.summary()


def test_an_unreadable_source_text_is_named(tiny_base: Path, tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    os.mkfifo(texts / "a-fifo.txt")  # never opened: it would block
    (texts / "dangling.txt").symlink_to(tmp_path / "nowhere")
    result = check(tiny_base, texts)
    assert not result.ok and result.proven == 0


def test_source_text_maps_folded_offsets_to_lines() -> None:
    text = SourceText("alpha beta\n\ngamma   delta\nepsilon")
    assert text.find("beta gamma") == 1
    assert text.find("delta\nepsilon") == 3
    assert text.find("beta delta") is None
    assert fold(" a \n b ") == "a b"


def test_the_bundled_base_is_proven(sources_dir: Path) -> None:
    result = check(FACTS, sources_dir)
    assert result.problems == [], "\n".join(str(p) for p in result.problems)
    assert result.verified == ["report", "moments"]


@pytest.mark.parametrize(
    ("as_printed", "value", "unit"),
    [("2,285,458", 2285458, "t"), ("33.2%", 33.2, "%"), ("1.55 billion", 1.55e9, "kWh"),
     ("1,550 million", 1.55e9, "kWh"), ("three billion", 3e9, "people"),
     ("50 million+", 5e7, "students"), ("half", 50, "%"), ("all", 100, "%"),
     ("one-tenth", 0.1, "ratio"), ("10:00 p.m.", 22, "hour")],
)  # fmt: skip
def test_value_reading(as_printed: str, value: float, unit: str) -> None:
    from explorer.check import _value_problems
    from explorer.model import Fact

    fact = Fact(id="x", kind="figure", claim="c", quote=as_printed, source="report",
                chapter="ch4", assurance="assured", as_printed=as_printed, value=value,
                unit=unit)  # fmt: skip
    assert _value_problems(fact) == []


def test_a_quote_line_and_the_lines_around_it_agree_across_page_breaks() -> None:
    from explorer.check import SourceText

    text = SourceText("page one\n\x0cpage two starts\nthe quote stands here\nafter it\n")
    line = text.find("the quote stands here")
    assert line == 3
    assert text.around(line, 0) == "the quote stands here"
