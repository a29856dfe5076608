"""Apps built on small bases in tmp_path, with a clipboard that only records."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.worker import WorkerCancelled

from explorer import open_factbase
from explorer.clipboard import CopyOutcome
from explorer.model import FactBase
from tests.conftest import GOOD_FACT, make_base

TWO_SOURCES = {
    "report/ch4.yaml": GOOD_FACT
    + """\
  - id: "env-employees-report"
    kind: "figure"
    claim: "Huawei had approximately 197,000 employees in 2020."
    quote: "We have approximately 197,000 employees"
    section: "Reducing Carbon Emissions"
    as_printed: "197,000"
    value: 197000
    unit: "people"
    qualifier: "about"
    period: "2020"
    metric: "employees.total"
    related: [{id: "moment-employees", rel: "conflicts"}]
    assurance: "assured"
  - id: "env-solar"
    kind: "statement"
    claim: "Huawei builds solar power plants on its campuses."
    quote: "solar power plants on its campuses and elsewhere"
    section: "Promoting Renewable Energy"
    assurance: "assured"
""",
    "moments/moments.yaml": """\
source: "moments"
chapter: "moments"
facts:
  - id: "moment-employees"
    kind: "figure"
    claim: "The post speaks of Huawei's 190,000 employees."
    quote: "The dedicated families behind Huawei's 190,000 employees"
    section: "20 Moments of 2020"
    as_printed: "190,000"
    value: 190000
    unit: "people"
    period: "2020"
    metric: "employees.total"
    related: [{id: "env-employees-report", rel: "conflicts"}]
    assurance: "not-covered"
""",
}


class FakeClipboard:
    """Records what the app copies; says so truthfully."""

    def __init__(self) -> None:
        self.copied: list[str] = []

    def __call__(self, text: str) -> CopyOutcome:
        self.copied.append(text)
        return CopyOutcome(ok=True, method="test", message="Copied with the test clipboard")


@pytest.fixture
def small_base(tmp_path: Path) -> FactBase:
    return open_factbase(make_base(tmp_path / "facts", TWO_SOURCES))


@pytest.fixture
def clipboard() -> FakeClipboard:
    return FakeClipboard()


async def workers_done(app: Any) -> None:
    """Wait for the app's workers; one cancelled by a newer one (stale work) is done too."""
    while True:
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:  # it stops at the first: yield, so it leaves the list, and wait on
            await asyncio.sleep(0)


async def settle(pilot: Any) -> None:
    """Wait until the app is still: searches done, the top hit previewed, related facts in.

    Still means two looks, a preview's pause apart, that find the same screen: on a
    loaded machine a timer fires late, and one look could catch the preview unmade.
    A blinking cursor is never still: it is held shown (a snapshot caught it off).
    """
    from textual.widgets import Input

    from explorer.tui.screens.main import PREVIEW_PAUSE

    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
    seen = None
    for _ in range(STILL_LOOKS):
        await workers_done(pilot.app)
        await pilot.pause(PREVIEW_PAUSE * 2)  # the pause after typing before the preview
        await workers_done(pilot.app)  # the preview's related facts
        await pilot.pause()
        now = rendered(pilot.app)
        if now == seen:
            return
        seen = now


STILL_LOOKS = 20
"""The most looks `settle` takes before it gives up waiting for a still screen."""


def rendered(app: Any) -> str:
    """The text of every Static on the current screen."""
    return "\n".join(str(w.render()) for w in app.screen.query("Static"))
