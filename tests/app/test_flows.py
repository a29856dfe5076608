"""Pilot flows: type, results, open, follow a related fact, back; copy; mark and export."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from explorer.model import FactBase
from explorer.tui.app import ExplorerApp
from explorer.tui.screens.main import MainScreen
from explorer.tui.widgets.related_pane import RelatedPane
from explorer.tui.widgets.results import ResultsList
from tests.app.conftest import FakeClipboard, rendered, settle


def main(app: ExplorerApp) -> MainScreen:
    return app.main


async def test_type_open_follow_related_and_back(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press(*"employees")
        await settle(pilot)
        results = app.query_one(ResultsList)
        assert len(results.ids) == 2
        assert "2 of 4 facts" in str(app.query_one("#count").render())
        await pilot.press("down")  # into the results
        assert app.focused is results
        report_first = results.ids[0]
        await pilot.press("enter")  # open: the related pane takes focus
        await settle(pilot)
        assert main(app).current is not None and main(app).current.id == report_first
        related = app.query_one(RelatedPane)
        assert app.focused is related and len(related.ids) >= 1
        other = related.ids[0]
        await pilot.press("enter")  # follow the related fact
        assert main(app).current.id == other
        await pilot.press("left_square_bracket")  # back
        assert main(app).current.id == report_first
        await pilot.press("right_square_bracket")  # forward
        assert main(app).current.id == other


async def test_clicking_a_result_opens_it(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"employees")
        await settle(pilot)
        results = app.query_one(ResultsList)
        assert await pilot.click(ResultsList, offset=(4, 3))  # the second line of row 2
        await settle(pilot)
        assert results.cursor == 1
        assert main(app).current is not None and main(app).current.id == results.ids[1]


async def test_related_pane_shows_the_conflict(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30)) as pilot:
        main(app).open_fact("env-employees-report")
        await settle(pilot)
        line = app.query_one(RelatedPane).plain(0)
        assert line.lstrip().startswith("⚠ conflicts") and "190,000" in line


async def test_copy_citation_and_quote(small_base: FactBase, clipboard: FakeClipboard) -> None:
    app = ExplorerApp(small_base, copier=clipboard)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        main(app).open_fact("env-ghg-total-2020")
        app.query_one(ResultsList).focus()
        await pilot.press("c")
        await pilot.press("y")
        await pilot.pause()
        assert "2,285,458" in clipboard.copied[0] and "Sustainability Report" in clipboard.copied[0]
        assert clipboard.copied[1] == "Emissions (t-CO2) 41,736 2,243,722 2,285,458"
        messages = [n.message for n in app._notifications]
        assert any("Copied with the test clipboard" in m for m in messages)


async def test_style_picker_copies_in_the_chosen_style(
    small_base: FactBase, clipboard: FakeClipboard
) -> None:
    app = ExplorerApp(small_base, copier=clipboard)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        main(app).open_fact("env-ghg-total-2020")
        app.query_one(ResultsList).focus()
        await pilot.press("C")
        await pilot.pause()
        assert str(app.screen.query_one("#preview").render())  # a live preview
        await pilot.press("down", "down", "down", "down", "down", "enter")  # bibtex
        await pilot.pause()
        assert clipboard.copied[-1].lstrip().startswith("@")


async def test_mark_and_export(small_base: FactBase, tmp_path: Path) -> None:
    app = ExplorerApp(small_base)
    target = tmp_path / "out" / "collection.json"
    target.parent.mkdir()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press(*"employees")
        await settle(pilot)
        await pilot.press("down", "space", "down", "space", "e")
        await pilot.pause()
        path = app.screen.query_one("#export-path")
        path.value = str(target)  # type: ignore[attr-defined]
        await pilot.press("end")
        path.focus()
        await pilot.press("enter")
        await pilot.pause()
    assert target.exists() and "190,000" in target.read_text()


@pytest.mark.parametrize("kind", ["folder/", "fifo", "device"])
async def test_export_refuses_what_is_not_a_regular_file(
    small_base: FactBase, tmp_path: Path, kind: str
) -> None:
    """The dialog's path goes to export() as typed: a trailing / names a folder, never a file."""
    import os

    target = {"folder/": str(tmp_path / "out") + "/", "fifo": str(tmp_path / "pipe"),
              "device": "/dev/null"}[kind]  # fmt: skip
    if kind == "fifo":
        os.mkfifo(target)
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press(*"employees")
        await settle(pilot)
        await pilot.press("down", "space", "e")
        await pilot.pause()
        path = app.screen.query_one("#export-path")
        path.value = target  # type: ignore[attr-defined]
        path.focus()
        await pilot.press("enter")
        await pilot.pause()
        said = [n.message for n in app._notifications]
    assert any(m.startswith("Not exported:") for m in said), said
    assert not (tmp_path / "out").exists()
    assert Path("/dev/null").is_char_device()


def test_the_export_path_follows_the_format() -> None:
    from explorer.tui.screens.export import with_extension

    cases = {"a/b.md": "a/b.bib", "out/": "out/", "": "", "~/x": "~/x.bib", "..": "..",
             "dir.v2/file": "dir.v2/file.bib", ".hidden": ".hidden.bib"}  # fmt: skip
    assert {path: with_extension(path, "bib") for path in cases} == cases


async def test_empty_query_browses_the_base(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.query_one("#left").current == "browse"  # type: ignore[attr-defined]
        await pilot.press(*"solar")
        await settle(pilot)
        assert app.query_one("#left").current == "results-box"  # type: ignore[attr-defined]
        await pilot.press(*["backspace"] * 5)
        await settle(pilot)
        assert app.query_one("#left").current == "browse"  # type: ignore[attr-defined]


async def test_help_lists_every_binding(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30)) as pilot:
        app.query_one(ResultsList).focus()
        await pilot.press("question_mark")
        await pilot.pause()
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        for _keys, binding in app.all_bindings():
            assert binding.id and f"[{binding.id}]" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_user_keymap_remaps_a_binding(small_base: FactBase, clipboard: FakeClipboard) -> None:
    app = ExplorerApp(small_base, copier=clipboard, keymap={"copy-quote": "ctrl+y"})
    async with app.run_test(size=(100, 30)) as pilot:
        main(app).open_fact("env-solar")
        app.query_one(ResultsList).focus()
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert clipboard.copied == ["solar power plants on its campuses and elsewhere"]


@pytest.mark.parametrize(("keymap", "key"), [({}, "ctrl+p"), ({"palette": "f2,ctrl+o"}, "f2")])
async def test_the_footer_shows_the_palette_key_once(
    small_base: FactBase, keymap: dict[str, str], key: str
) -> None:
    app = ExplorerApp(small_base, keymap=keymap)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = [k.key for k in app.screen.query(FooterKey) if k.action == "command_palette"]
        assert shown == [key]


async def test_a_huge_pasted_query_stays_responsive(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30)) as pilot:
        app.query_one("#search").value = "employees " * 2_000  # type: ignore[attr-defined]
        await settle(pilot)
        assert len(app.query_one("#search").value) <= 10_000  # type: ignore[attr-defined]
        await pilot.press("ctrl+a")
        assert app.is_running


@pytest.mark.parametrize("size", [(20, 5), (40, 10), (66, 24), (80, 24), (300, 100)])
async def test_no_crash_at_any_size(small_base: FactBase, size: tuple[int, int]) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"ghg")
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.is_running


async def test_resize_sequence(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"solar")
        for size in [(20, 5), (300, 100), (40, 10), (66, 24), (1, 1), (100, 30)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert app.is_running


async def test_paints_first_and_searches_what_was_typed_while_opening(
    small_base: FactBase,
) -> None:
    arrived = threading.Event()

    def opener() -> FactBase:
        arrived.wait(10)
        return small_base

    app = ExplorerApp(opener)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"employees")
        await pilot.pause()
        assert "Opening the fact base" in rendered(app)
        assert app.query_one(ResultsList).ids == ()
        arrived.set()
        await settle(pilot)
        assert len(app.query_one(ResultsList).ids) == 2
        assert main(app).current is not None and main(app).current.id in ids_of(small_base)


async def test_a_base_that_cannot_be_opened_ends_the_app_with_its_problems(tmp_path: Path) -> None:
    from explorer.loader import FactBaseError
    from explorer.yamlread import Problem

    problem = Problem(str(tmp_path / "ch4.yaml"), 16, 5, "duplicate key 'unit'")

    def opener() -> FactBase:
        raise FactBaseError([problem])

    app = ExplorerApp(opener)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert app.return_code == 1
    assert isinstance(app.failure, FactBaseError) and app.failure.problems == [problem]


def ids_of(base: FactBase) -> set[str]:
    return {fact.id for fact in base.facts}


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_small_screen_counts_the_facts_that_hold_only_some_words(
    small_base: FactBase, size: tuple[int, int]
) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"employees solar")  # no fact says both
        await settle(pilot)
        partial = len(app.query_one(ResultsList).ids)
        assert partial and str(app.query_one("#left").border_title).endswith(f" +{partial} partial")
        await pilot.press(*["backspace"] * 6)
        await settle(pilot)
        assert "partial" not in str(app.query_one("#left").border_title)
