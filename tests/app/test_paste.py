"""A raw paste (one key per character, no bracketed paste) is one edit and one search."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual import events

import explorer.search
from explorer.model import FactBase
from explorer.search.query import MAX_QUERY
from explorer.tui.app import ExplorerApp
from explorer.tui.screens.main import RESULTS_LIMIT
from explorer.tui.widgets.results import ResultsList
from explorer.tui.widgets.search_bar import QUERY_LIMIT, SearchBar
from tests.app.conftest import settle

WORDS = "solar employees 2020 "


def send_keys(app: ExplorerApp, text: str) -> None:
    """Queue a key per character at once, as a terminal's driver does for a raw paste."""
    for char in text:
        key = events.Key("space" if char == " " else char, char)
        key.set_sender(app)
        app.post_message(key)


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
