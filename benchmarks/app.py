"""App speed: first paint from process start, and keystroke to settled results.

    python benchmarks/app.py [--facts DIR]

Targets (issue #7): first paint <= 350 ms on the bundled base; keystroke to
settled results <= 50 ms on the bundled base, <= 100 ms at 100k facts (pass
a big base with --facts, e.g. one written by benchmarks/search.py).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time

CHILD = """
import time, sys
from explorer import open_factbase
from explorer.tui.app import ExplorerApp
base = open_factbase(sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else None)
app = ExplorerApp(base)
def painted():
    print("painted", flush=True)
    app.exit()
app.call_after_refresh(painted)
app.run(headless=True)
"""


def first_paint(facts: str, runs: int = 7) -> list[float]:
    """Wall time from spawning Python to the app's first refresh, in ms."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD, facts], capture_output=True, text=True)
        if "painted" not in out.stdout:
            raise SystemExit(out.stderr)
        times.append((time.perf_counter() - start) * 1000)
    return times


async def keystrokes(facts: str) -> list[float]:
    """Time from each key press to the frame that shows its results, in ms.

    The end is stamped by the app itself, after the refresh that paints the
    results, so Pilot's own waits after a press are not counted.
    """
    from explorer import open_factbase
    from explorer.tui.app import ExplorerApp

    app = ExplorerApp(open_factbase(facts or None))
    times: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.main
        shown = screen.show_results
        painted: list[float] = []

        def stamped(query: str, result: object) -> None:
            shown(query, result)  # type: ignore[arg-type]
            screen.call_after_refresh(lambda: painted.append(time.perf_counter()))

        screen.show_results = stamped  # type: ignore[method-assign]
        for query in ("greenhouse gas", "employees 2020", "solar energy", "seeds future"):
            for char in query:
                painted.clear()
                start = time.perf_counter()
                await pilot.press(char)
                while not painted:
                    await asyncio.sleep(0.001)
                times.append((painted[-1] - start) * 1000)
            for _ in query:
                await pilot.press("backspace")
            await app.workers.wait_for_complete()
            await pilot.pause()
    return times


def row(name: str, values: list[float], target: float) -> str:
    p50 = statistics.median(values)
    p95 = sorted(values)[max(0, round(len(values) * 0.95) - 1)]
    verdict = "met" if p95 <= target else "MISSED"
    return f"| {name:<32} | {p50:8.1f} | {p95:8.1f} | {target:6.0f} | {verdict:<6} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facts", default="", help="fact base folder (default: bundled)")
    args = parser.parse_args()
    paint = first_paint(args.facts)
    keys = asyncio.run(keystrokes(args.facts))
    print("| measure                          |  p50 ms  |  p95 ms  | target | result |")
    print("| -------------------------------- | -------- | -------- | ------ | ------ |")
    print(row("first paint from process start", paint, 350))
    print(row("keystroke to settled results", keys, 50 if not args.facts else 100))


if __name__ == "__main__":
    main()
