"""The app at the sizes people use, and the defects a first run at 80x24 showed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets._footer import FooterKey

from explorer.model import FactBase
from explorer.tui.app import ExplorerApp
from explorer.tui.widgets.fact_pane import FactPane
from explorer.tui.widgets.footer import KeyFooter
from explorer.tui.widgets.related_pane import RelatedPane
from explorer.tui.widgets.results import ResultsList
from tests.app.conftest import rendered, settle

SIZES = [(80, 24), (60, 20), (120, 40), (100, 30), (200, 50)]


def visible(app: ExplorerApp, selector: str) -> bool:
    widget = app.screen.query_one(selector)
    return bool(widget.display) and widget.region.height > 0 and widget.region.width > 0


async def typed(pilot: Any, text: str = "employees") -> None:
    await pilot.pause()
    await pilot.press(*text)
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_the_results_and_the_quote_are_on_the_first_screen(
    small_base: FactBase, size: tuple[int, int]
) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=size) as pilot:
        await typed(pilot)
        results = app.query_one(ResultsList)
        rows = results.scrollable_content_region.height // results.ROW_HEIGHT
        assert rows >= {80: 8, 60: 5}.get(size[0], 12 if size[1] >= 40 else 5), rows
        fact = app.query_one(FactPane)
        quote = fact.query_one("#fact-quote")
        assert quote.region.y < fact.region.bottom - 1, "the quote's start is below the fold"
        screen = rendered(app)
        assert "\u201c" in screen  # the quote's opening mark is painted


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (120, 40)], ids=["80x24", "60x20", "120x40"])
async def test_related_and_chapter_are_one_key_away(
    small_base: FactBase, size: tuple[int, int]
) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=size) as pilot:
        await typed(pilot)
        await pilot.press("down", "r")
        await settle(pilot)
        assert visible(app, "#related") and app.focused is app.query_one(RelatedPane)
        await pilot.press("o")
        await settle(pilot)
        assert visible(app, "#chapter") and app.focused is app.query_one("#section-facts")
        await pilot.press("escape")  # back to the search bar, and the fact in its place
        await settle(pilot)
        assert visible(app, "#fact")


async def test_enter_on_a_small_screen_shows_the_related_facts_then_the_one_followed(
    small_base: FactBase,
) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(80, 24)) as pilot:
        await typed(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        related = app.query_one(RelatedPane)
        assert visible(app, "#related") and not visible(app, "#fact") and related.ids
        target = related.ids[0]
        await pilot.press("enter")
        await settle(pilot)
        assert visible(app, "#fact") and app.main.current is not None
        assert app.main.current.id == target


async def test_space_marks_the_highlighted_row_not_the_fact_shown_before(
    small_base: FactBase,
) -> None:
    """After n (another fact in the pane), escape, down: space marks the row highlighted."""
    app = ExplorerApp(small_base)
    async with app.run_test(size=(80, 24)) as pilot:
        await typed(pilot)
        results = app.query_one(ResultsList)
        other = next(f for f in small_base.facts if f.id != results.ids[0])
        app.main.open_fact(other.id)  # what n does: the pane shows another fact
        await settle(pilot)
        await pilot.press("escape", "down", "space")
        await settle(pilot)
        assert app.main.marked == {results.ids[0]}
        assert app.main.current is not None and app.main.current.id == results.ids[0]


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)], ids=["60", "80", "120"])
async def test_the_footer_shows_whole_keys_only(
    small_base: FactBase, size: tuple[int, int]
) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=size) as pilot:
        await typed(pilot)
        await pilot.press("down")
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        keys = list(footer.query(FooterKey))
        assert keys and all(k.region.right <= footer.region.right for k in keys)
        assert all(k.region.width >= len(k.key_display) + len(k.description) for k in keys)
        shown = {k.description for k in keys}
        assert {"Search", "Cite", "Related", "Chapter"} <= shown


async def test_a_modal_footer_shows_the_modals_keys(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(80, 24)) as pilot:
        await typed(pilot)
        await pilot.press("down", "e")
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        shown = {k.description for k in footer.query(FooterKey)}
        assert "Close" in shown and "Cite" not in shown and "Quote" not in shown


async def test_the_export_dialog_counts_and_says_where(
    small_base: FactBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr("platformdirs.user_documents_dir", lambda: str(documents))
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30)) as pilot:
        await typed(pilot)
        await pilot.press("down", "space", "down", "space", "e")
        await settle(pilot)
        screen = rendered(app)
        assert "Export 2 facts as:" in screen and "fact(s)" not in screen
        path = app.screen.query_one("#export-path")
        assert path.value == str(documents / "fact-explorer-collection.md")  # type: ignore[attr-defined]
        assert "your Documents folder" in screen
        later = tmp_path / "later"
        later.mkdir()
        path.value = str(later / "out.json")  # type: ignore[attr-defined]
        path.focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")  # the next export starts where the last one went
        await settle(pilot)
        assert app.screen.query_one("#export-path").value.startswith(str(later))  # type: ignore[attr-defined]


async def test_browse_counts_are_never_cut(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "right")
        await settle(pilot)
        tree = app.query_one("#browse")
        labels = [str(node.label) for node in tree.root.children[0].children]  # type: ignore[attr-defined]
        assert labels and all(label.split()[0].isdigit() for label in labels)


async def test_notices_come_one_at_a_time(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await typed(pilot)
        await pilot.press("down")
        for _ in range(4):
            await pilot.press("space")
            await pilot.pause()
        assert len(app._notifications) <= 1


def test_rows_are_cut_at_a_word() -> None:
    from textual.content import Content

    from explorer.tui.safe import fit

    cut = fit(Content("Huawei had approximately 197,000 employees in 2020."), 30).plain
    assert cut == "Huawei had approximately…"
