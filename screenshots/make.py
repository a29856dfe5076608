"""Regenerate the README's screenshots: python screenshots/make.py

Drives the app with Pilot on the bundled base and saves one SVG per state.
Run it whenever the UI changes.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from explorer import open_factbase
from explorer.tui.app import ExplorerApp

HERE = Path(__file__).resolve().parent
SIZE = (120, 36)


async def shoot(name: str, keys: list[str], fact: str | None = None) -> None:
    """Start the app, press ``keys`` (opening ``fact`` first if given), save ``name``.svg."""
    app = ExplorerApp(open_factbase(), copier=lambda text: None)  # type: ignore[arg-type,return-value]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if fact:
            app.main.open_fact(fact)
        for key in keys:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.pause(0.3)  # the preview follows a pause in typing
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.save_screenshot(str(HERE / f"{name}.svg"))
        print(f"wrote screenshots/{name}.svg")


async def main() -> None:
    typed = list("greenhouse gas emissions")
    await shoot("results", typed)
    await shoot("fact", [*list("ghg emissions 2020"), "down"])
    await shoot("related", [*list("staff 197000"), "down", "enter"])
    await shoot("browse", ["down", "down", "right", "down", "down"])
    await shoot("help", ["escape", "question_mark"])
    await shoot("style-picker", [*list("staff 197000"), "down", "C"])


if __name__ == "__main__":
    asyncio.run(main())
