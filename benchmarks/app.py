"""App speed: first paint from process start, and keystroke to settled results.

Run by hand (not a test)::

    python -m benchmarks.app                  # the bundled base
    python -m benchmarks.app --facts DIR      # another base, e.g. 100k facts

Targets (issue #7): first paint <= 350 ms on the bundled base; keystroke to
settled results <= 50 ms on the bundled base, <= 100 ms at 100k facts.

Each figure is measured beside a floor, in the same run: the smallest Textual
app of the same kind (an Input, an OptionList and a Static; for keystrokes, a
substring filter over the same claims). Textual's floor moves with the
machine (importing it takes 150-190 ms on the machines PERFORMANCE.md was
measured on, and up to twice that on a busy one), so the app's cost over the
floor says what is ours; the absolute target holds where the floor is as
documented.

Keys are fed the way a terminal feeds them (through the driver, one at a
time, no Pilot waits), and the end of each keystroke is stamped by the app
after the refresh that paints its results. The main figure sends each key the
moment the last one's results are painted (harder than any typist: a frame
that runs over 1/60 s makes Textual wait up to two more before the next); a
second row types at a typist's pace, so the fact pane fills between keys as
it does for a user. The fact pane follows the results after a short pause;
that is reported too ("top fact shown").
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

TYPING_GAP = 0.15
"""Seconds between keys for a brisk typist (about 80 words a minute): long enough for
the fact pane to follow the results between keys, as it does for a user."""

QUERIES = ("greenhouse gas", "employees 2020", "solar energy", "seeds future", "rnd spending")

APP = """
import sys, time
from explorer.cli import app_for, build_parser
app = app_for(build_parser().parse_args(sys.argv[1:]))
def painted():
    print("painted", flush=True)
    ready = app.main.base_ready
    def base_ready(base, warmed):
        ready(base, warmed=warmed)
        app.main.call_after_refresh(lambda: (print("ready", flush=True), app.exit()))
    app.main.base_ready = base_ready
app.call_after_refresh(painted)
app.run(headless=True, size=(100, 30))
"""
"""The explorer as `fact-explorer` starts it (config, then the app, which opens
the base after its first frame); prints when it first paints and when the
base is in and painted."""

FLOOR = """
from textual.app import App
from textual.widgets import Input, OptionList, Static
class Floor(App):
    def compose(self):
        yield Input()
        yield OptionList(*[f"option {i}" for i in range(30)])
        yield Static("detail")
app = Floor()
def painted():
    print("painted", flush=True)
    app.exit()
app.call_after_refresh(painted)
app.run(headless=True, size=(100, 30))
"""


def first_paint(script: str, args: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall times from spawning Python to the first frame, and to "ready" if printed, in ms."""
    paints: list[float] = []
    readies: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert child.stdout is not None
        for line in child.stdout:
            now = (time.perf_counter() - start) * 1000
            (paints if line.strip() == "painted" else readies).append(now)
        if child.wait() != 0 or not paints:
            raise SystemExit(child.stderr.read() if child.stderr else "child failed")
    return paints, readies


Hook = Callable[[list[float], dict[str, float]], None]
"""Installs the stamps: the first list gets the results' paint time; the dict
maps each typed query to the time its last key was sent."""


async def type_queries(app: object, hook: Hook, gap: float = 0.0) -> list[float]:
    """Type QUERIES into a running app, each key ``gap`` s after the last (or as soon as
    its results are painted, if later); return ms from each key to its results."""
    from textual import events
    from textual.app import App

    assert isinstance(app, App) and app._driver is not None
    stamps: list[float] = []
    sent: dict[str, float] = {}
    hook(stamps, sent)
    times: list[float] = []
    for query in QUERIES:
        for end, char in enumerate(query, 1):
            stamps.clear()
            key = events.Key("space" if char == " " else char, char)
            key.set_sender(app)
            sent[query[:end]] = start = time.perf_counter()
            app._driver.send_message(key)  # as the terminal's input thread does
            while not stamps:
                await asyncio.sleep(0.0005)
            times.append((stamps[0] - start) * 1000)
            await asyncio.sleep(max(0.0, start + gap - time.perf_counter()))
        await asyncio.sleep(0.3)  # let the fact pane and related facts settle
        for _ in query:
            key = events.Key("backspace", None)
            key.set_sender(app)
            app._driver.send_message(key)
        await asyncio.sleep(0.3)
    return times


async def app_keystrokes(facts: str, gap: float = 0.0) -> tuple[list[float], list[float]]:
    """Keystroke to results painted, and to the top fact shown, in the explorer."""
    from explorer.cli import app_for, build_parser

    app = app_for(build_parser().parse_args(["--facts", facts] if facts else []))
    previews: list[float] = []
    async with app.run_test(size=(100, 30)):
        await app.workers.wait_for_complete()  # the base is in
        await asyncio.sleep(1.0)  # past the warm-up after the first frame
        await app.workers.wait_for_complete()  # and the first fact's related facts
        screen = app.main
        shown, preview = screen.show_results, screen.preview_top

        def hook(stamps: list[float], sent: dict[str, float]) -> None:
            def show_results(query: str, result: object) -> None:
                # Registered first, so it runs right after the paint, before the preview.
                screen.call_after_refresh(lambda: stamps.append(time.perf_counter()))
                shown(query, result)  # type: ignore[arg-type]

            def preview_top(query: str) -> None:
                preview(query)
                if query in sent and screen.current is not None:

                    def shown_at() -> None:
                        previews.append((time.perf_counter() - sent[query]) * 1000)

                    screen.call_after_refresh(shown_at)

            screen.show_results = show_results  # type: ignore[method-assign]
            screen.preview_top = preview_top  # type: ignore[method-assign]

        times = await type_queries(app, hook, gap)
    return times, previews


async def floor_keystrokes(facts: str) -> list[float]:
    """Keystroke to results painted in the smallest app of the same kind."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input, OptionList, Static

    from explorer import open_factbase

    claims = [fact.claim for fact in open_factbase(facts or None).facts]
    stamps_box: list[list[float]] = []

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()
            yield OptionList()
            yield Static()

        def on_input_changed(self, event: Input.Changed) -> None:
            words = event.value.lower().split()
            hits = [c for c in claims if all(w in c.lower() for w in words)][:50]
            options = self.query_one(OptionList)
            options.set_options(hits)
            self.query_one(Static).update(hits[0] if hits else "")
            self.call_after_refresh(lambda: stamps_box[0].append(time.perf_counter()))

    app = Floor()
    async with app.run_test(size=(100, 30)):
        await asyncio.sleep(0.5)
        return await type_queries(app, lambda stamps, _sent: stamps_box.append(stamps))


def row(name: str, values: list[float], target: float | None) -> str:
    p50 = statistics.median(values)
    p95 = sorted(values)[max(0, round(len(values) * 0.95) - 1)]
    goal = f"{target:6.0f}" if target else "     -"
    verdict = ("met" if p95 <= target else "MISSED") if target else ""
    return f"| {name:<36} | {p50:8.1f} | {p95:8.1f} | {goal} | {verdict:<6} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facts", default="", help="fact base folder (default: bundled)")
    parser.add_argument("--runs", type=int, default=9, help="launches per first-paint figure")
    args = parser.parse_args()
    import explorer

    # Textual was compiled to bytecode when it was installed; compile the explorer too, as
    # its first run does on a user's machine, so no launch here pays for compiling it
    # (with PYTHONDONTWRITEBYTECODE set, every launch would, ~20 ms).
    compileall.compile_dir(Path(explorer.__file__).parent, quiet=1)
    floor_paint: list[float] = []
    paint: list[float] = []
    ready: list[float] = []
    for _ in range(args.runs):  # alternated, so a busy spell slows both alike
        floor_paint += first_paint(FLOOR, [], 1)[0]
        painted, in_ = first_paint(APP, ["--facts", args.facts] if args.facts else [], 1)
        paint += painted
        ready += in_
    floor_keys = asyncio.run(floor_keystrokes(args.facts))
    keys, previews = asyncio.run(app_keystrokes(args.facts))
    typed, _ = asyncio.run(app_keystrokes(args.facts, TYPING_GAP))
    target = 50 if not args.facts else 100
    print(f"| {'measure':<36} |  p50 ms  |  p95 ms  | target | result |")
    print(f"| {'-' * 36} | -------- | -------- | ------ | ------ |")
    print(row("floor: first paint, minimal app", floor_paint, None))
    print(row("first paint from process start", paint, 350))
    print(row("(base in and painted)", ready, None))
    print(row("floor: keystroke, minimal app", floor_keys, None))
    print(row("keystroke to settled results", keys, target))
    print(row(f"(keys {TYPING_GAP * 1000:.0f} ms apart, as typed)", typed, target))
    print(row("(top fact shown, a frame later)", previews, None) if previews else "")
    over = statistics.median(p - f for p, f in zip(paint, floor_paint, strict=True))
    ratio = statistics.median(p / f for p, f in zip(paint, floor_paint, strict=True))
    print(f"\nfirst paint over the floor: {over:.0f} ms, {ratio:.2f}x (p50 of paired runs); "
          f"350 ms is {350 / 183:.2f}x the documented floor of 183 ms")  # fmt: skip


if __name__ == "__main__":
    main()
