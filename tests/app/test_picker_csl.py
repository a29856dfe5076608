"""The style picker offers the CSL styles too, previews them, and copies in them."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from explorer.model import FactBase
from explorer.styles import BUNDLED_DIR
from explorer.tui.app import ExplorerApp
from explorer.tui.screens.picker import StylePicker, style_choices
from explorer.tui.widgets.results import ResultsList
from tests.app.conftest import FakeClipboard


def test_the_picker_offers_the_hand_written_styles_then_the_csl_ones() -> None:
    names = list(style_choices("plain"))
    assert names[:8] == ["plain", "markdown", "apa", "mla", "chicago", "bibtex", "ris", "csl-json"]
    assert {"csl:apa", "ieee", "nature", "nlm-citation-sequence"} <= set(names[8:])


def test_a_style_file_from_the_config_is_offered_too(tmp_path: Path) -> None:
    mine = tmp_path / "house.csl"
    mine.write_bytes((BUNDLED_DIR / "ieee.csl").read_bytes())
    choices = style_choices(str(mine))
    assert choices[str(mine)].startswith("IEEE Reference Guide") and str(mine) in choices[str(mine)]


async def test_picking_a_csl_style_previews_and_copies_it(
    small_base: FactBase, clipboard: FakeClipboard
) -> None:
    app = ExplorerApp(small_base, copier=clipboard)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.main.open_fact("env-ghg-total-2020")
        app.query_one(ResultsList).focus()
        await pilot.press("C")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, StylePicker)
        styles = picker.query_one("#styles", OptionList)
        styles.highlighted = list(picker.choices).index("ieee")
        await pilot.pause()
        assert "[1, Ch. 4]" in str(picker.query_one("#preview").render())
        await pilot.press("enter")
        await pilot.pause()
        assert "[1, Ch. 4]" in clipboard.copied[-1] and app.cite_style == "ieee"


async def test_a_broken_style_file_is_said_and_copies_nothing(
    small_base: FactBase, clipboard: FakeClipboard, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.csl"
    broken.write_text('<style xmlns="http://purl.org/net/xbiblio/csl"><info>', encoding="utf-8")
    app = ExplorerApp(small_base, copier=clipboard, style=str(broken))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.main.open_fact("env-ghg-total-2020")
        app.query_one(ResultsList).focus()
        await pilot.press("C")
        await pilot.pause()
        assert "cannot be used" in str(app.screen.query_one("#preview").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StylePicker) and clipboard.copied == []
        assert any("cannot be used" in n.message for n in app._notifications)
