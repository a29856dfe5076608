"""`fact-explorer draft`: a report becomes a base that checks, with pages, once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from explorer.check import check
from explorer.cli import main
from explorer.draft import draft
from explorer.draft.candidates import figure_spans, pieces, read_figure
from explorer.draft.extract import Block, clean_lines
from explorer.loader import load_factbase
from tests.unit.pdfs import make_pdf

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
SAMPLE_NAMES = ["coca-cola-2023-environmental-update", "ifs-capital-sustainability-report-2022"]


def facts_of(into: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for file in sorted(into.glob("*/*.yaml")):
        out += yaml.safe_load(file.read_text(encoding="utf-8"))["facts"]
    return out


def test_draft_writes_a_base_that_checks(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "report.pdf")
    result = draft(pdf, tmp_path / "base")
    outcome = check(tmp_path / "base", tmp_path / "base" / "sources")
    assert outcome.ok, outcome.problems
    assert outcome.pending == outcome.facts == result.added == 5
    assert "(5 awaiting review)" in outcome.summary()


def test_check_finds_the_kept_text_without_a_flag(tmp_path: Path, capsys) -> None:
    draft(make_pdf(tmp_path / "report.pdf"), tmp_path / "base")
    assert main(["check", "--facts", str(tmp_path / "base")]) == 0
    assert "1 of 1 sources verified, 0 problems" in capsys.readouterr().out


def test_sources_yaml_records_both_hashes(tmp_path: Path) -> None:
    import hashlib

    pdf = make_pdf(tmp_path / "report.pdf")
    result = draft(pdf, tmp_path / "base")
    source = yaml.safe_load((tmp_path / "base" / "sources.yaml").read_text())["sources"][0]
    text = (tmp_path / "base" / result.text_file).read_bytes()
    assert source["sha256"] == hashlib.sha256(text).hexdigest()
    assert source["pdf_sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert source["title"] == "Example Environmental Update 2023"
    assert source["author"] == "Example Co."


def test_no_address_is_made_up_and_citations_leave_it_out(tmp_path: Path) -> None:
    from explorer import open_factbase
    from explorer.cite import STYLES, cite

    draft(make_pdf(tmp_path / "report.pdf"), tmp_path / "base")
    source = yaml.safe_load((tmp_path / "base" / "sources.yaml").read_text())["sources"][0]
    assert "url" not in source
    base = open_factbase(tmp_path / "base")
    fact = base.facts[0]
    for style in STYLES:
        text = cite(base, fact, style)
        assert '"URL"' not in text and "invalid" not in text and "http://" not in text, style
        assert style == "csl-json" or "https:" not in text, style
    assert "p. " in cite(base, fact, "apa")  # the page still stands


def test_every_citation_style_carries_the_page(tmp_path: Path) -> None:
    from explorer import open_factbase
    from explorer.cite import STYLES, cite

    draft(make_pdf(tmp_path / "report.pdf"), tmp_path / "base")
    base = open_factbase(tmp_path / "base")
    fact = max((f for f in base.facts if f.page), key=lambda f: int(f.page or 0))
    assert int(fact.page or 0) > 1  # not to be mistaken for a citation's number [1]
    bundled = [p.stem for p in (Path(__file__).parents[2] / "explorer" / "styles").glob("*.csl")]
    for style in [*STYLES, *bundled]:
        assert fact.page in cite(base, fact, style).split("\n\n")[0] or style == "csl-json", style
    assert f'"page": "{fact.page}"' in cite(base, fact, "csl-json")


def test_options_fill_in_what_the_pdf_lacks(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "report.pdf", title="", author="")
    result = draft(pdf, tmp_path / "base", author="Acme", published="2024-05", source_id="acme")
    source = yaml.safe_load((tmp_path / "base" / "sources.yaml").read_text())["sources"][0]
    assert (source["id"], source["author"], source["published"]) == ("acme", "Acme", "2024-05")
    assert [m.split(" ")[0] for m in result.missing] == ["title", "url"]


def test_each_candidate_carries_its_printed_page(tmp_path: Path) -> None:
    draft(make_pdf(tmp_path / "report.pdf", labels="A-"), tmp_path / "base")
    pages = {str(f["quote"]).split(" ")[0]: f["page"] for f in facts_of(tmp_path / "base")}
    assert pages["In"] == "A-1"
    assert pages["Renewable"] == "A-2"


def test_chapters_come_from_the_outline(tmp_path: Path) -> None:
    result = draft(make_pdf(tmp_path / "report.pdf"), tmp_path / "base")
    base, _ = load_factbase(tmp_path / "base")
    assert base is not None and result.structure == "outline"
    assert [c.title for c in base.chapters.values()] == ["Water", "Climate"]


def test_chapters_come_from_headings_without_an_outline(tmp_path: Path) -> None:
    result = draft(make_pdf(tmp_path / "report.pdf", outline=False), tmp_path / "base")
    base, _ = load_factbase(tmp_path / "base")
    assert base is not None and result.structure == "headings"
    assert [c.title for c in base.chapters.values()] == ["Water", "Climate"]


def test_a_second_run_adds_nothing(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "report.pdf")
    draft(pdf, tmp_path / "base")
    before = {p: p.read_bytes() for p in (tmp_path / "base").rglob("*") if p.is_file()}
    again = draft(pdf, tmp_path / "base")
    after = {p: p.read_bytes() for p in (tmp_path / "base").rglob("*") if p.is_file()}
    assert again.added == 0 and not again.new_source
    assert before == after


def test_a_second_run_brings_no_rejected_candidate_back(tmp_path: Path) -> None:
    from explorer.review import ReviewSession

    pdf = make_pdf(tmp_path / "report.pdf")
    draft(pdf, tmp_path / "base")
    session = ReviewSession(tmp_path / "base")
    rejected = session.pending[0].id
    session.reject(rejected)
    assert draft(pdf, tmp_path / "base").added == 0
    base, _ = load_factbase(tmp_path / "base")
    assert base is not None and base.get(rejected) is None


def test_a_text_report_drafts_too(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text(
        "Our year\n\nWe planted 12,000 trees in 2023, up from 9,500 in 2022.\f"
        "Sales rose 14% to 3.2 billion dollars in the year.\n",
        encoding="utf-8",
    )
    result = draft(text, tmp_path / "base", source_id="notes")
    assert check(tmp_path / "base", tmp_path / "base" / "sources").ok
    base, _ = load_factbase(tmp_path / "base")
    assert base is not None and result.structure == "pages"  # no outline, no headings
    assert [s.title for s in base.chapters["notes-c1"].sections] == ["Page 1", "Page 2"]
    assert [f["page"] for f in facts_of(tmp_path / "base")] == ["1", "2"]


def test_the_running_footer_is_never_quoted(tmp_path: Path) -> None:
    draft(make_pdf(tmp_path / "report.pdf", repeat=2), tmp_path / "base")
    assert not any("Example Environmental Update" in str(f["quote"]) for f in facts_of(
        tmp_path / "base"))  # fmt: skip


def test_ligatures_and_soft_hyphens_are_undone() -> None:
    assert clean_lines(["The e\ufb03cient \ufb02eet", "saves 5% of fuel"]) == [
        "The efficient fleet",
        "saves 5% of fuel",
    ]
    assert clean_lines(["sustain\u00ad", "ability rose 5%"]) == ["sustainability", "rose 5%"]


def test_a_word_broken_across_lines_is_joined_with_its_hyphen() -> None:
    assert clean_lines(["the water-", "related risks"]) == ["the water-related", "risks"]


def test_an_overprinted_line_is_read_once() -> None:
    assert clean_lines(["Agriculture", "Agriculture"]) == ["Agriculture"]


@pytest.mark.parametrize(
    ("text", "printed", "value", "unit", "qualifier"),
    [
        ("Total weight 5.30M metric tons", "5.30", 5.3, "million metric", "exact"),
        ("Plastic bottles ~125B units", "~125", 125, "billion units", "exact"),
        ("female employees made up 34.8% of staff", "34.8%", 34.8, "%", "exact"),
        ("between 26\u201350% of sites", "26\u201350%", 26, "%", "exact"),
        ("more than 3,400 suppliers joined", "3,400", 3400, "suppliers", "more-than"),
        ("about 1.55 billion people", "1.55 billion", 1.55e9, "people", "about"),
    ],
)
def test_figures_are_read_with_the_projects_number_code(
    text: str, printed: str, value: float, unit: str, qualifier: str
) -> None:
    start, end = figure_spans(text)[0]
    figure = read_figure(text, start, end)
    assert figure is not None
    assert (figure.as_printed, figure.value, figure.unit, figure.qualifier) == (
        printed, value, unit, qualifier)  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["see page 13 for more", "GRI 305-1 emissions", "on 31 December 2022", "ISO 14001 sites",
     "recyclable globally1 by", "10 Businesses should work", "2-26 Mechanisms for advice",
     "Engagements (ISAE) 3000 Revised", "of Schedule 19 of the Act"],
)  # fmt: skip
def test_references_codes_dates_and_marks_are_not_figures(text: str) -> None:
    assert figure_spans(text) == []


def test_a_decimal_point_is_no_sentence_end() -> None:
    block = Block(("Water Use Ratio (liters per liter) 1.81 1.79 1.78",), row=True)
    assert list(pieces(block)) == ["Water Use Ratio (liters per liter) 1.81 1.79 1.78"]


def test_sentences_split_after_a_footnote_mark() -> None:
    block = Block(("Returned 148% of the water in 2023.2 GOAL: Return 2 trillion liters by 2030.",))
    assert list(pieces(block)) == [
        "Returned 148% of the water in 2023.2",
        "GOAL: Return 2 trillion liters by 2030.",
    ]


def test_the_cli_draws_progress_only_on_a_terminal(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "report.pdf")
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "draft", str(pdf), "--into", str(tmp_path / "b")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "5 candidates from 2 pages" in done.stdout
    assert "\r" not in done.stderr and "Traceback" not in done.stderr


def test_the_progress_bar_redraws_in_place() -> None:
    import io

    from explorer.cli_draft import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = Progress(stream, width=10)
    bar(1, 4)
    bar(4, 4)
    assert stream.getvalue() == ("\rdraft: [##--------] page 1/4\rdraft: [##########] page 4/4")


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="the sample reports are not beside the repo")
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_sample_report_drafts_and_checks(tmp_path: Path, name: str) -> None:
    pdf = SAMPLES / f"{name}.pdf"
    if not pdf.exists():
        pytest.skip(f"{pdf} is absent")
    result = draft(pdf, tmp_path / "base")
    outcome = check(tmp_path / "base", tmp_path / "base" / "sources")
    assert outcome.ok, outcome.problems[:3]
    assert result.added >= 100 and result.structure == "outline"
    assert all(f.page for f in load_factbase(tmp_path / "base")[0].facts)  # type: ignore[union-attr]


def test_the_loader_accepts_pending_and_nothing_else(tmp_path: Path) -> None:
    draft(make_pdf(tmp_path / "report.pdf"), tmp_path / "base")
    file = next((tmp_path / "base").glob("*/*-c1.yaml"))
    file.write_text(file.read_text().replace('review: "pending"', 'review: "done"', 1))
    _base, problems = load_factbase(tmp_path / "base")
    assert [p.message for p in problems] == ["review: text 'done' is not one of: pending"]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="the sample reports are not beside the repo")
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_quotes_stand_in_pdftotext(tmp_path: Path, name: str) -> None:
    """At least 98% of quotes are in poppler's plain or -layout text (letters and digits)."""
    import re
    import shutil

    pdf = SAMPLES / f"{name}.pdf"
    if not pdf.exists() or shutil.which("pdftotext") is None:
        pytest.skip("needs the sample and pdftotext (poppler-utils)")

    def alnum(text: str) -> str:
        return "".join(re.findall(r"[^\W_]+", text.lower()))

    readings = [
        alnum(subprocess.run(["pdftotext", *flag, str(pdf), "-"], capture_output=True,
                             text=True, check=True).stdout)
        for flag in ([], ["-layout"])
    ]  # fmt: skip
    draft(pdf, tmp_path / "base")
    quotes = [alnum(str(f["quote"])) for f in facts_of(tmp_path / "base")]
    found = sum(any(q in r for r in readings) for q in quotes)
    assert found >= 0.98 * len(quotes)
