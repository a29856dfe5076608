"""The HTML flavour of the prose styles: italic titles, links, user text escaped.

Golden files are under ``golden/html/<style>/``; regenerate them after a
deliberate change (and read the diff): ``UPDATE_GOLDEN=1 pytest
tests/unit/test_cite_html.py``.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

import pytest

from explorer import open_factbase
from explorer.cite import StyleError, bibliography, cite, has_html
from explorer.clipboard import Rich
from explorer.model import FactBase
from tests.conftest import FACTS, make_base
from tests.conftest import golden as kept

GOLDEN = Path(__file__).parent / "golden" / "html"
PROSE = ["plain", "markdown", "apa", "mla", "chicago"]
REAL = ["env-ghg-intensity-2020", "incl-bal-ruralstar-ghana-cost", "env-ghg-intensity-table",
        "moment-01-race-against-time"]  # fmt: skip


@pytest.fixture(scope="module")
def base() -> FactBase:
    return open_factbase(FACTS)


def golden(style: str, name: str, text: str) -> str:
    return kept(GOLDEN / style / f"{name}.html", text)


class Tags(HTMLParser):
    """Records the elements opened and closed, and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.opened: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "br":
            self.stack.append(tag)
        self.opened.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"</{tag}> closes nothing open"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(text: str) -> Tags:
    tags = Tags()
    tags.feed(text)
    tags.close()
    assert tags.stack == [], f"left open: {tags.stack}"
    return tags


@pytest.mark.parametrize("style", PROSE)
@pytest.mark.parametrize("fact_id", REAL)
def test_html_citation_matches_its_golden_file(base: FactBase, style: str, fact_id: str) -> None:
    fact = base.get(fact_id)
    assert fact is not None
    text = cite(base, fact, style, flavour="html")
    assert text == golden(style, fact_id, text), "changed on purpose? UPDATE_GOLDEN=1"


@pytest.mark.parametrize("style", PROSE)
def test_html_bibliography_matches_its_golden_file(base: FactBase, style: str) -> None:
    facts = [f for f in (base.get(i) for i in REAL) if f]
    text = bibliography(base, facts, style, flavour="html")
    assert text == golden(style, "bibliography", text), "changed on purpose? UPDATE_GOLDEN=1"


@pytest.mark.parametrize("style", PROSE)
def test_html_says_what_the_plain_text_says(base: FactBase, style: str) -> None:
    facts = [f for f in (base.get(i) for i in REAL) if f]
    for fact in facts:
        plain, rich = cite(base, fact, style), cite(base, fact, style, flavour="html")
        seen = " ".join("".join(parsed(rich).text).split())
        if style != "markdown":  # Markdown's plain flavour is its own markup
            assert seen == " ".join(plain.split())


@pytest.mark.parametrize(
    ("style", "report", "post"),
    [
        ("apa", "<i>2020 sustainability report</i>.", "<i>20 moments of 2020</i>."),
        ("mla", "<i>2020 Sustainability Report</i>.", "\u201c20 Moments of 2020.\u201d"),
        ("chicago", "<i>2020 Sustainability Report</i>.", "\u201c20 Moments of 2020.\u201d"),
        ("plain", "<i>2020 Sustainability Report</i> (", "<i>20 Moments of 2020</i> ("),
    ],
)
def test_reports_and_stand_alone_web_works_are_italic(
    base: FactBase, style: str, report: str, post: str
) -> None:
    text = bibliography(base, [base.get(REAL[0]), base.get(REAL[3])], style, flavour="html")  # type: ignore[list-item]
    assert report in text and post in text


def test_mla_names_the_report_in_italics_in_the_text(base: FactBase) -> None:
    fact = base.get(REAL[0])
    assert fact is not None
    assert "(<i>2020 Sustainability Report</i>, ch. 4," in cite(base, fact, "mla", flavour="html")


def test_every_address_is_a_link(base: FactBase) -> None:
    for style in PROSE:
        text = bibliography(base, base.facts[:3] + base.facts[-2:], style, flavour="html")
        for source in base.sources.values():
            assert f'<a href="{source.url}">' in text, style


def test_user_text_is_escaped_never_markup(tmp_path: Path) -> None:
    hostile = "Costs <script>alert(1)</script> & <b>bold</b> fell"
    fact_file = f"""\
        source: "report"
        chapter: "ch4"
        facts:
          - id: "hostile"
            kind: "statement"
            claim: "{hostile}."
            quote: "{hostile}"
            section: "Reducing Carbon Emissions"
            assurance: "assured"
        """
    base = open_factbase(make_base(tmp_path / "facts", {"report/ch4.yaml": fact_file}))
    fact = base.get("hostile")
    assert fact is not None
    for style in [*PROSE, "ieee", "csl:apa", "nature"]:
        text = cite(base, fact, style, flavour="html")
        tags = parsed(text)
        assert "script" not in tags.opened and "b" not in tags.opened, style
        assert hostile in html.unescape(text), style


def test_both_gives_the_plain_text_carrying_its_html(base: FactBase) -> None:
    fact = base.get(REAL[1])
    assert fact is not None
    both = cite(base, fact, "apa", flavour="both")
    assert isinstance(both, Rich)
    assert str(both) == cite(base, fact, "apa")
    assert both.html == cite(base, fact, "apa", flavour="html")


@pytest.mark.parametrize("style", ["bibtex", "ris", "csl-json"])
def test_machine_styles_have_no_html_flavour(base: FactBase, style: str) -> None:
    fact = base.facts[0]
    assert not has_html(style)
    with pytest.raises(StyleError, match="plain text only"):
        cite(base, fact, style, flavour="html")
    both = cite(base, fact, style, flavour="both")
    assert not isinstance(both, Rich) and both == cite(base, fact, style)
