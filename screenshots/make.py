"""Regenerate the README's screenshots: python screenshots/make.py

Drives the app with Pilot on the bundled base and saves one SVG per state and
size, then a PNG of each. The PNG is drawn by headless Chromium where it is
installed: librsvg (rsvg-convert, the fallback) drops the space after a styled
run of text ("employeesin") and misdraws the big digits, which a browser does not.
Run it whenever the UI changes, and look at the PNGs.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
from pathlib import Path

from explorer import open_factbase
from explorer.tui.app import ExplorerApp

HERE = Path(__file__).resolve().parent
SMALL = (80, 24)
LARGE = (120, 40)
CONFIG = "~/.config/fact-explorer/config.toml"
"""The config path the help screen names: the usual one, not the machine's that ran this."""


async def shoot(name: str, keys: list[str], size: tuple[int, int]) -> Path:
    """Start the app at ``size``, press ``keys``, save ``name``.svg; return its path."""
    app = ExplorerApp(open_factbase(), copier=lambda text: None, config_path=CONFIG)  # type: ignore[arg-type,return-value]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.pause(0.3)  # the preview follows a pause in typing
        await app.workers.wait_for_complete()
        await pilot.pause()
        path = HERE / f"{name}.svg"
        app.save_screenshot(str(path))
    print(f"wrote screenshots/{path.name}")
    return path


def to_png(svg: Path) -> None:
    """Draw ``svg`` as a PNG beside it, by Chromium where there is one, else rsvg-convert."""
    png = svg.with_suffix(".png")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser:
        width, height = _svg_size(svg)
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 "--no-first-run", "--disable-background-networking", "--disable-sync",
                 "--disable-component-update", f"--user-data-dir={profile}",
                 f"--window-size={width},{height}", f"--screenshot={png}", svg.as_uri()],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
    elif shutil.which("rsvg-convert"):
        subprocess.run(["rsvg-convert", str(svg), "-o", str(png)], check=True)
    else:
        print(f"no Chromium nor rsvg-convert: {svg.name} left as SVG only")
        return
    print(f"wrote screenshots/{png.name}")


def _svg_size(svg: Path) -> tuple[int, int]:
    import re

    head = svg.read_text(encoding="utf-8")[:2000]
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', head)
    return (int(float(box.group(1))) + 1, int(float(box.group(2))) + 1) if box else (1200, 800)


async def main() -> None:
    shots = [
        ("related", [*list("staff 197000"), "down", "enter"], LARGE),
        ("related-80x24", [*list("staff 197000"), "down", "enter"], SMALL),
        ("results", list("how many employees"), LARGE),
        ("results-80x24", list("how many employees"), SMALL),
        ("fact", [*list("ghg emissions 2020"), "down"], LARGE),
        ("browse", ["down", "down", "right", "down", "down"], SMALL),
        ("help", ["escape", "question_mark"], SMALL),
        ("style-picker", [*list("staff 197000"), "down", "C"], LARGE),
    ]
    for name, keys, size in shots:
        to_png(await shoot(name, keys, size))


if __name__ == "__main__":
    asyncio.run(main())
