"""A raw paste (one key per character, no bracketed paste) is one edit and one search,
wherever the focus is: on a list or pane its keys never fire bindings one by one."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual import events

import explorer.search
from explorer.model import FactBase
from explorer.search.query import MAX_QUERY
from explorer.tui.app import ExplorerApp
from explorer.tui.screens.main import RESULTS_LIMIT, MainScreen
from explorer.tui.widgets.results import ResultsList
from explorer.tui.widgets.search_bar import QUERY_LIMIT, SearchBar
from tests.app.conftest import FakeClipboard, settle

WORDS = "solar employees 2020 "


KEY_NAMES = {" ": "space", "\n": "ctrl+j", "\r": "enter", "[": "left_square_bracket",
             "]": "right_square_bracket", "?": "question_mark"}  # fmt: skip

BINDINGS_TEXT = "ab c e y n p f ] [ C ? "
"""A paste made of the main screen's keys: back, mark, copy, export, quote, next..."""


def send_keys(app: ExplorerApp, text: str) -> None:
    """Queue a key per character at once, as a terminal's driver does for a raw paste."""
    for char in text:
        key = events.Key(KEY_NAMES.get(char, char), char)
        key.set_sender(app)
        app.post_message(key)


async def focus_on(pilot: Any, target: str) -> None:
    """Focus a list or pane of the main screen, with a fact shown."""
    app = pilot.app
    if target != "#browse":  # the tree is the left pane while the query is empty
        await pilot.press(*"employees")
    await settle(pilot)
    app.main.open_fact("env-employees-report")  # the related and section panes fill
    await settle(pilot)
    app.query_one(target).focus()
    await pilot.pause()
    assert app.focused is app.query_one(target)


def bindings_fired(app: ExplorerApp, clipboard: FakeClipboard) -> list[str]:
    """What the main screen's bindings would have left behind (after `focus_on`)."""
    history = app.main.history
    fired = [f"{history.current} opened"] if history.current != "env-employees-report" else []
    fired += [f"copied {text!r}" for text in clipboard.copied]
    fired += [f"{type(s).__name__} opened" for s in app.screen_stack[1:]]
    fired += [f"{fact_id} marked" for fact_id in app.main.marked]
    fired += [f"said {n.message!r}" for n in app._notifications if "cut" not in n.message]
    return fired


class Counts:
    """How often the bar was edited, searches were started and the engine ran."""

    def __init__(self, app: ExplorerApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.edits = self.started = self.searched = 0
        bar, screen = app.query_one(SearchBar), app.main
        replace, run_search, search = bar.replace, screen.run_search, explorer.search.search

        def counted_replace(*args: Any) -> None:
            self.edits += 1
            replace(*args)

        def counted_run_search(query: str) -> Any:
            self.started += 1
            return run_search(query)

        def counted_search(*args: Any, **kwargs: Any) -> Any:
            self.searched += 1
            return search(*args, **kwargs)

        monkeypatch.setattr(bar, "replace", counted_replace)
        monkeypatch.setattr(screen, "run_search", counted_run_search)
        monkeypatch.setattr(explorer.search, "search", counted_search)


async def test_keys_faster_than_a_frame_coalesce_into_one_search(
    small_base: FactBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (WORDS * 50)[:900]  # under the limit
    expected = explorer.search.search(small_base, text, limit=RESULTS_LIMIT)
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        counts = Counts(app, monkeypatch)
        send_keys(app, text)
        await settle(pilot)
        assert app.query_one(SearchBar).value == text
        # The old bar edited and started a search per key: 900 of each.
        assert counts.edits <= len(text) // 100
        assert counts.started <= len(text) // 100 and counts.searched <= counts.started
        assert list(app.query_one(ResultsList).ids) == [hit.fact.id for hit in expected.hits]
        assert f"{expected.total} of 4 facts" in str(app.query_one("#count").render())


async def test_ctrl_q_answers_while_a_paste_is_queued(
    small_base: FactBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        counts = Counts(app, monkeypatch)
        at_exit: list[int] = []
        exit_app = app.exit

        def exit_counted(*args: Any, **kwargs: Any) -> None:
            at_exit.append(counts.edits)
            exit_app(*args, **kwargs)

        monkeypatch.setattr(app, "exit", exit_counted)
        send_keys(app, (WORDS * 100)[:2_000])
        quit_key = events.Key("ctrl+q", None)
        quit_key.set_sender(app)
        app.post_message(quit_key)
        for _ in range(100):  # turns of the event loop, not seconds
            if at_exit:
                break
            await pilot.pause()
        # Quit came after a handful of edits, not after one per key queued before it.
        assert at_exit and at_exit[0] <= 5


async def test_a_raw_paste_past_the_limit_keeps_its_start_and_says_so_once(
    small_base: FactBase,
) -> None:
    text = (WORDS * 200)[:3_000]
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        send_keys(app, text)
        await settle(pilot)
        assert app.query_one(SearchBar).value == text[:QUERY_LIMIT]
        cuts = [n.message for n in app._notifications if "cut" in n.message]
        assert cuts == [f"Query cut to its first {QUERY_LIMIT:,} characters."]
        send_keys(app, "more")  # the bar is full: still dropped, not said again
        await settle(pilot)
        assert app.query_one(SearchBar).value == text[:QUERY_LIMIT]
        assert len([n for n in app._notifications if "cut" in n.message]) == 1


async def test_a_bracketed_paste_past_the_limit_keeps_its_start(small_base: FactBase) -> None:
    text = (WORDS * 300)[:5_000]
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press(*"huawei ")
        app.post_message(events.Paste(text))
        await settle(pilot)
        assert app.query_one(SearchBar).value == ("huawei " + text)[:QUERY_LIMIT]
        assert any("cut" in n.message for n in app._notifications)


async def test_keys_queued_around_an_edit_keep_their_order(small_base: FactBase) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        send_keys(app, "solar")
        app.post_message(events.Paste(" panels"))  # the app hands it to the bar, in turn
        send_keys(app, " wind")
        await settle(pilot)
        assert app.query_one(SearchBar).value == "solar panels wind"


async def test_an_answer_overtaken_by_typing_is_dropped_for_the_latest_query(
    small_base: FactBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    search, release, asked = explorer.search.search, threading.Event(), []

    def held(base: FactBase, query: str, **kwargs: Any) -> Any:
        asked.append(query)
        release.wait(10)
        return search(base, query, **kwargs)

    expected = search(small_base, "solar panel", limit=RESULTS_LIMIT)
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(explorer.search, "search", held)
        bar = app.query_one(SearchBar)
        bar.value = "solar"  # its search is held...
        await pilot.pause()
        await pilot.press(*" panel")  # ...while these come
        release.set()
        await settle(pilot)
        assert asked == ["solar", "solar panel"]
        assert list(app.query_one(ResultsList).ids) == [hit.fact.id for hit in expected.hits]


def test_the_bar_holds_all_the_engine_reads() -> None:
    assert QUERY_LIMIT >= MAX_QUERY


@pytest.mark.parametrize("target", ["#results", "#related", "#section-facts", "#browse"])
async def test_a_raw_paste_on_a_list_is_a_query_not_a_binding_a_key(
    small_base: FactBase, clipboard: FakeClipboard, target: str
) -> None:
    text = (BINDINGS_TEXT * 200)[:3_000]
    app = ExplorerApp(small_base, copier=clipboard)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await focus_on(pilot, target)
        send_keys(app, text)
        await settle(pilot)
        # The old app copied, marked, stepped and opened the export dialog, key by key.
        assert bindings_fired(app, clipboard) == []
        bar = app.query_one(SearchBar)
        assert app.focused is bar and bar.value == text[:QUERY_LIMIT]  # it replaced the query


async def test_ctrl_q_answers_behind_a_raw_paste_on_the_results(
    small_base: FactBase, clipboard: FakeClipboard, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ExplorerApp(small_base, copier=clipboard)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await focus_on(pilot, "#results")
        at_exit: list[list[str]] = []
        exit_app = app.exit

        def exit_seen(*args: Any, **kwargs: Any) -> None:
            at_exit.append(bindings_fired(app, clipboard))
            exit_app(*args, **kwargs)

        monkeypatch.setattr(app, "exit", exit_seen)
        send_keys(app, (BINDINGS_TEXT * 500)[:10_000])
        quit_key = events.Key("ctrl+q", None)
        quit_key.set_sender(app)
        app.post_message(quit_key)
        for _ in range(100):  # turns of the event loop, not seconds
            if at_exit:
                break
            await pilot.pause()
        assert at_exit == [[]]  # it quit, and nothing the paste held a binding for ran


async def test_a_raw_paste_with_line_breaks_on_the_results_opens_nothing(
    small_base: FactBase, clipboard: FakeClipboard
) -> None:
    app = ExplorerApp(small_base, copier=clipboard)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await focus_on(pilot, "#results")
        send_keys(app, "solar\npanels\rwind")  # enter would open the highlighted fact
        await settle(pilot)
        assert app.query_one(SearchBar).value == "solar"  # a paste's first line, as Input keeps
        assert bindings_fired(app, clipboard) == [] and app.main.history.back() is None


async def test_a_bracketed_paste_on_the_results_goes_to_the_search_bar(
    small_base: FactBase,
) -> None:
    app = ExplorerApp(small_base)
    async with app.run_test(size=(100, 30)) as pilot:
        await focus_on(pilot, "#results")
        app.post_message(events.Paste("solar"))
        await settle(pilot)
        assert app.focused is app.query_one(SearchBar)
        assert app.query_one(SearchBar).value == "solar"
        assert app.query_one(ResultsList).ids == ("env-solar",)


async def test_keys_at_a_persons_pace_on_the_results_still_fire_their_bindings(
    small_base: FactBase, clipboard: FakeClipboard
) -> None:
    app = ExplorerApp(small_base, copier=clipboard)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await focus_on(pilot, "#results")
        for key in ("c", "y", "space"):  # pilot.press waits for each key to be handled
            await pilot.press(key)
        await pilot.pause()
        under_cursor = app.query_one(ResultsList).cursor_id  # focusing the list shows it
        assert len(clipboard.copied) == 2 and app.main.marked == {under_cursor}
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExportScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.focused is app.query_one(ResultsList)
        assert app.query_one(SearchBar).value == "employees"


async def test_two_keys_queued_together_are_still_key_presses(
    small_base: FactBase, clipboard: FakeClipboard
) -> None:
    """A person typing ahead while a frame is slow: not a paste."""
    app = ExplorerApp(small_base, copier=clipboard)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await focus_on(pilot, "#results")
        send_keys(app, "cy")
        await settle(pilot)
        assert len(clipboard.copied) == 2 and app.focused is app.query_one(ResultsList)
