"""A hostile but valid base renders literally: markup stays text, nothing acts."""

from __future__ import annotations

from pathlib import Path

from explorer import open_factbase
from explorer.tui.app import ExplorerApp
from explorer.tui.safe import clean
from explorer.tui.widgets.results import ResultsList
from tests.app.conftest import rendered, workers_done
from tests.conftest import make_base

MARKUP = "[TODO] [/] [@click=app.quit] [link=https://x]click[/link] [b]bold"
RTL = "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd"
LONG = "word " * 1000

HOSTILE = f"""\
source: "report"
chapter: "ch4"
facts:
  - id: "env-markup"
    kind: "statement"
    claim: "{MARKUP}"
    quote: "{MARKUP} 华为 {RTL} 🌍👩‍👩‍👧"
    section: "Reducing Carbon Emissions"
    tags: ["[red]", "华为"]
    assurance: "assured"
  - id: "env-long"
    kind: "statement"
    claim: "A fact with a 5,000-character quote and 华为 in it 🌍"
    quote: "{LONG}"
    section: "Reducing Carbon Emissions"
    assurance: "assured"
"""


async def test_markup_like_text_shows_as_written(tmp_path: Path) -> None:
    base = open_factbase(make_base(tmp_path / "facts", {"report/ch4.yaml": HOSTILE}))
    app = ExplorerApp(base)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.main.open_fact("env-markup")
        await pilot.pause()
        text = rendered(app)
        assert MARKUP in text and "华为" in text and RTL in text and "🌍" in text
        await pilot.press(*"todo")
        await workers_done(app)
        await pilot.pause()
        results = app.query_one(ResultsList)
        assert len(results.ids) >= 1
        assert "[@click=app.quit]" in results.plain(0)
        app.query_one(ResultsList).focus()
        await pilot.press("enter", "space")  # a notification naming the fact
        await pilot.pause()
        assert app.is_running


async def test_long_quote_renders(tmp_path: Path) -> None:
    base = open_factbase(make_base(tmp_path / "facts", {"report/ch4.yaml": HOSTILE}))
    app = ExplorerApp(base)
    async with app.run_test(size=(80, 24)) as pilot:
        app.main.open_fact("env-long")
        await pilot.pause()
        assert "word word" in rendered(app)
        await pilot.press("tab", "pagedown", "pagedown")
        assert app.is_running


def test_escape_sequences_never_reach_the_terminal() -> None:
    assert clean("a\x1b[31mred\x1b[0m b\x1b]52;c;aGk=\x07c \x9b1m d\x00e") == "ared bc  de"
