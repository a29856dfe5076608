"""Notices come one at a time: a new one replaces the last, a repeat is not shown again."""

from __future__ import annotations

from textual.widgets._toast import Toast

from explorer.model import FactBase
from explorer.tui.app import ExplorerApp
from explorer.tui.widgets.results import ResultsList
from tests.app.conftest import FakeClipboard, settle


def on_screen(app: ExplorerApp) -> list[str]:
    """The notices kept and the toasts shown: the same one, or none."""
    kept = [n.message for n in app._notifications]
    toasts = list(app.screen.query(Toast))
    assert len(toasts) == len(kept)
    return kept


async def test_many_notices_at_once_show_the_latest_alone(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        for n in range(300):  # Textual stacked them, and looked through all before each new one
            app.notify(f"Notice {n}", markup=False)
        await pilot.pause()
        assert on_screen(app) == ["Notice 299"]


async def test_notices_at_a_persons_pace_replace_each_other(
    small_base: FactBase, clipboard: FakeClipboard
) -> None:
    app = ExplorerApp(small_base, copier=clipboard)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.main.open_fact("env-employees-report")
        app.query_one(ResultsList).focus()
        await pilot.pause()
        for key in ("space", "c", "space", "y", "b", "space"):
            await pilot.press(key)
            await pilot.pause()
            assert len(on_screen(app)) == 1
        assert on_screen(app) == ["Marked env-employees-report; 1 marked. e exports them."]
        assert len(clipboard.copied) == 2


async def test_a_notice_still_on_screen_is_not_shown_again(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.main.query_one(ResultsList).focus()
        await pilot.press("b")
        await pilot.pause()
        first = list(app._notifications)
        assert [n.message for n in first] == ["Nothing further back."]
        await pilot.press("b", "b")
        await pilot.pause()
        assert list(app._notifications) == first  # the same toast, not a new one each time
        app.notify("Something else.", markup=False)
        await pilot.pause()
        app.notify("Nothing further back.", markup=False)  # no longer on screen: said again
        await pilot.pause()
        assert on_screen(app) == ["Nothing further back."]
        assert list(app._notifications) != first


async def test_a_notice_keeps_its_text_literal(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.notify("[b]Copied[/b] to [/", markup=False, severity="warning", timeout=9)
        await pilot.pause()
        (notice,) = app._notifications
        assert (notice.message, notice.markup, notice.severity, notice.timeout) == (
            "[b]Copied[/b] to [/", False, "warning", 9
        )  # fmt: skip
        assert "[b]Copied[/b] to [/" in str(app.screen.query_one(Toast).render())
