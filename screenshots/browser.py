"""Regenerate screenshots/browser.png: python screenshots/browser.py

Serves the bundled base with `fact-explorer serve` on a free port of
127.0.0.1, opens it in headless Chromium (Debian's, through Playwright),
types "water" and saves the page. Needs chromium and the test extras.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Route, sync_playwright

HERE = Path(__file__).resolve().parent
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]  # fmt: skip


def main() -> None:
    """Serve, shoot, stop."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "explorer", "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, text=True, cwd=HERE.parent)  # fmt: skip
    try:
        assert server.stdout is not None
        said = server.stdout.readline().strip()  # "Serving on ..." once it listens
        if not said.startswith("Serving on"):
            raise SystemExit("fact-explorer serve did not start")
        print(said)
        chromium = Path("/usr/lib/chromium/chromium")
        executable = str(chromium) if chromium.exists() else shutil.which("chromium")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})

            def only_here(route: Route) -> None:
                local = route.request.url.startswith((url, f"ws://127.0.0.1:{port}"))
                route.continue_() if local else route.abort()

            page.route("**/*", only_here)
            page.goto(url)
            time.sleep(3)  # the app starts and opens the base
            page.focus(".xterm-helper-textarea")
            page.keyboard.type("water")
            time.sleep(2)  # results, then the fact pane after the typing pause
            page.screenshot(path=str(HERE / "browser.png"))
            browser.close()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(20)
    print(f"wrote {HERE / 'browser.png'}")


if __name__ == "__main__":
    main()
