"""Snapshots of the main states (pytest-textual-snapshot); update with --snapshot-update."""

from __future__ import annotations

from typing import Any

import pytest

from explorer.model import FactBase
from explorer.tui.app import ExplorerApp
from tests.app.conftest import FakeClipboard, settle

SIZE = (100, 30)


def test_browse_mode(snap_compare: Any, small_base: FactBase) -> None:
    assert snap_compare(ExplorerApp(small_base), terminal_size=SIZE, run_before=settle)


def test_results_for_a_query(snap_compare: Any, small_base: FactBase) -> None:
    async def typed(pilot: Any) -> None:
        await pilot.pause()  # the search bar takes focus on mount
        await pilot.press(*"employees")
        await settle(pilot)

    assert snap_compare(ExplorerApp(small_base), terminal_size=SIZE, run_before=typed)


def test_fact_with_related(snap_compare: Any, small_base: FactBase) -> None:
    async def opened(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press(*"employees")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)

    assert snap_compare(ExplorerApp(small_base), terminal_size=SIZE, run_before=opened)


def test_help_screen(snap_compare: Any, small_base: FactBase) -> None:
    async def helped(pilot: Any) -> None:
        await pilot.press("escape", "question_mark")
        await settle(pilot)

    app = ExplorerApp(small_base, config_path="~/.config/fact-explorer/config.toml")
    assert snap_compare(app, terminal_size=SIZE, run_before=helped)


def test_style_picker(snap_compare: Any, small_base: FactBase) -> None:
    async def picking(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press(*"solar")
        await settle(pilot)
        await pilot.press("down", "C")
        await settle(pilot)

    app = ExplorerApp(small_base, copier=FakeClipboard())
    assert snap_compare(app, terminal_size=SIZE, run_before=picking)


SIZES = [(80, 24), (60, 20), (120, 40)]
"""The sizes people use: a terminal's default, a laptop split in two, a big monitor."""


async def typed_employees(pilot: Any) -> None:
    await pilot.pause()
    await pilot.press(*"employees")
    await settle(pilot)


async def opened_with_related(pilot: Any) -> None:
    await typed_employees(pilot)
    await pilot.press("down", "enter")  # a small screen shows the related facts in its place
    await settle(pilot)


async def browsing(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("down", "down", "right", "down")
    await settle(pilot)


async def helped(pilot: Any) -> None:
    await pilot.press("escape", "question_mark")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(
    "state", [typed_employees, opened_with_related, browsing, helped],
    ids=["results", "related", "browse", "help"],
)  # fmt: skip
def test_at_the_sizes_people_use(
    snap_compare: Any, small_base: FactBase, size: tuple[int, int], state: Any
) -> None:
    app = ExplorerApp(small_base, config_path="~/.config/fact-explorer/config.toml")
    assert snap_compare(app, terminal_size=size, run_before=state)
