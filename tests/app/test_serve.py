"""`fact-explorer serve`: the app in a real browser (headless Chromium), and the server's guards.

Every request goes to 127.0.0.1: the server is bound there, and the browser
aborts (and the test fails on) any request for another address.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.serve import (
    exposure_warning,
    host_arg,
    is_loopback,
    port_arg,
    serving_line,
    url_of,
)
from tests.conftest import GOOD_FACT, REPO, make_base

WATER_CLAIM = "Huawei's water usage in China in 2020 was 14 million tons."
WATER_FACT = """\
  - id: "env-water-2020"
    kind: "figure"
    claim: "Huawei's water usage in China in 2020 was 14 million tons."
    quote: "In 2020, Huawei's water usage in China was 14 million tons"
    section: "Promoting Renewable Energy"
    as_printed: "14 million"
    value: 14000000
    unit: "t"
    period: "2020"
    metric: "water.total"
    assurance: "assured"
"""

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]  # fmt: skip

# textual-serve keeps its xterm.js Terminal in a closure. The page assigns it
# as `this.terminal = new Terminal(...)`; a setter on Object.prototype sees
# that assignment, keeps the terminal on window and lets the property be set
# as usual. Its buffer is the text on screen, whichever renderer (canvas,
# WebGL) draws it.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer && value.buffer.active) { window.__factExplorerTerminal = value; }
  },
});
"""
SCREEN_TEXT = """
() => {
  const term = window.__factExplorerTerminal;
  if (!term) { return null; }
  const buffer = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}
"""


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    url: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(process: subprocess.Popen[str], port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}: {process.communicate()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"serve did not answer on port {port} within {seconds} s")


def stop(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Ctrl+c, as a user would; the server's output once it has ended."""
    process.send_signal(signal.SIGINT)
    try:
        return process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"serve did not stop within 20 s after ctrl+c\n{out}\n{err}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """`fact-explorer serve` on a free port of 127.0.0.1, over a two-fact base."""
    facts = make_base(tmp_path / "facts", {"report/ch4.yaml": GOOD_FACT + WATER_FACT})
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "explorer", "serve", "--port", str(port), "--facts", str(facts)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=REPO, env={**os.environ, "FACT_EXPLORER_CONFIG": str(tmp_path / "none.toml")},
    )  # fmt: skip
    try:
        wait_for_port(process, port)
        yield Served(process, port, f"http://127.0.0.1:{port}")
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def chromium() -> str:
    """Debian's Chromium (the binary behind its /usr/bin/chromium wrapper), or skip."""
    for path in ("/usr/lib/chromium/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):  # fmt: skip
        if path and os.access(path, os.X_OK):
            return path
    pytest.skip("chromium is not installed (.ci/run installs Debian's)")


def request(port: int, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_app_answers_a_query_in_headless_chromium(served: Served, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = chromium()
    elsewhere: list[str] = []

    def only_this_server(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith((f"{served.url}/", f"ws://127.0.0.1:{served.port}/")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            elsewhere.append(url)
            route.abort()  # type: ignore[attr-defined]

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 800}, timeout=30_000,
        )  # fmt: skip
        try:
            browser.route("**/*", only_this_server)
            browser.add_init_script(CATCH_TERMINAL)
            page = browser.new_page()
            page.goto(served.url, timeout=30_000)
            screen = wait_for_screen(page, lambda text: "1 of 2" in text or "2 facts" in text)
            assert WATER_CLAIM[:30] not in screen  # browse mode opens on the other fact
            # Keys go to the terminal's own input, as when a person types; a click
            # would be a mouse event for the app and move its focus.
            page.focus(".xterm-helper-textarea")
            page.keyboard.type("water")
            screen = wait_for_screen(page, lambda text: WATER_CLAIM[:30] in text)
            page.screenshot(path=str(tmp_path / "browser.png"))
        finally:
            browser.close()
    assert "water" in screen and "Results" in screen
    assert elsewhere == []  # the page loads nothing from outside the server
    out, err = stop(served.process)
    assert served.process.returncode == 0
    assert out.splitlines()[0] == f"Serving on {served.url} — ctrl+c to stop"
    assert out.splitlines()[-1] == "Stopped."
    assert "Traceback" not in out + err


def wait_for_screen(page: object, done: object, seconds: float = 30) -> str:
    """The terminal's text once ``done(text)`` holds; after ``seconds``, fail showing it."""
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        text = page.evaluate(SCREEN_TEXT) or ""  # type: ignore[attr-defined]
        if done(text):  # type: ignore[operator]
            return text
        time.sleep(0.2)
    if not text:
        pytest.fail("could not read the page's terminal: textual-serve's page has changed")
    pytest.fail(f"not on the page within {seconds} s; the screen was:\n{text}")


def test_the_page_and_its_assets_come_from_this_server_only(served: Served) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        connection.request("GET", "/")
        page = connection.getresponse().read().decode()
    finally:
        connection.close()
    assert "googleapis" not in page and "https://" not in page
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page
    for asset in ("/static/js/textual.js", "/static/css/xterm.css",
                  "/static/fonts/RobotoMono-VariableFont_wght.ttf"):  # fmt: skip
        assert request(served.port, asset, {}) == 200, asset
    stop(served.process)


def test_a_request_for_another_host_name_is_refused(served: Served) -> None:
    # A DNS-rebinding page reaches 127.0.0.1 under its own name.
    assert request(served.port, "/", {"Host": f"evil.example:{served.port}"}) == 421
    assert request(served.port, "/", {"Host": f"localhost:{served.port}"}) == 200
    stop(served.process)


def test_a_websocket_from_another_sites_page_is_refused(served: Served) -> None:
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}  # fmt: skip
    assert request(served.port, "/ws", {**upgrade, "Origin": "http://evil.example"}) == 403
    stop(served.process)


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid`` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


async def open_session(port: int) -> tuple[object, object]:
    """A websocket session as the page opens it; returns once the app has drawn."""
    import aiohttp

    client = aiohttp.ClientSession()
    socket_ = await client.ws_connect(f"ws://127.0.0.1:{port}/ws?width=100&height=30",
                                      origin=f"http://127.0.0.1:{port}")  # fmt: skip
    await socket_.receive(timeout=30)
    return client, socket_


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("how", ["ctrl+c", "killed"])
async def test_no_app_outlives_the_server(served: Served, how: str) -> None:
    client, socket_ = await open_session(served.port)
    try:
        (app,) = children(served.process.pid)
        if how == "ctrl+c":
            served.process.send_signal(signal.SIGINT)
        else:  # no chance to close anything: the app must notice by itself
            served.process.kill()
        deadline = time.monotonic() + 15
        while alive(app) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert not alive(app)
    finally:
        await client.close()  # type: ignore[attr-defined]
    served.process.wait(10)


def test_a_port_in_use_is_said_in_one_line(tiny_base: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "explorer", "serve", "--port", str(port), "--facts",
             str(tiny_base)], capture_output=True, text=True, timeout=30, cwd=REPO,
        )  # fmt: skip
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.strip().splitlines() == [
        f"fact-explorer: serve: cannot listen on http://127.0.0.1:{port}: address already in use"
    ]


@pytest.mark.parametrize("port", ["0", "65536", "-1", "http", ""])
def test_a_port_outside_1_to_65535_is_bad_usage(port: str) -> None:
    out = subprocess.run([sys.executable, "-m", "explorer", "serve", "--port", port],
                         capture_output=True, text=True, timeout=30, cwd=REPO)  # fmt: skip
    assert out.returncode == 2 and out.stdout == ""
    assert "argument --port: must be a port from 1 to 65535" in out.stderr


def test_port_and_host_arguments() -> None:
    assert port_arg("1") == 1 and port_arg("65535") == 65535
    assert host_arg("[::1]") == "::1" and host_arg("localhost") == "localhost"
    with pytest.raises(Exception, match="empty"):
        host_arg(" ")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.9.1", True), ("::1", True), ("localhost", True),
     ("LOCALHOST.", True), ("0.0.0.0", False), ("::", False), ("192.168.1.2", False),
     ("example.org", False)],
)  # fmt: skip
def test_only_a_loopback_address_goes_without_a_warning(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    warning = exposure_warning(host, 8000)
    assert (warning == "") is loopback
    if not loopback:
        assert "can use the app as you" in warning and f"--host {host} " in warning


def test_every_address_is_said_so() -> None:
    assert "anyone who can reach this machine on port 8000" in exposure_warning("0.0.0.0", 8000)
    assert serving_line("::", 8000) == (
        "Serving on http://[::]:8000 (every address of this machine) — ctrl+c to stop"
    )
    assert serving_line("127.0.0.1", 8000) == "Serving on http://127.0.0.1:8000 — ctrl+c to stop"
    assert "reach http://192.168.1.2:8000 can" in exposure_warning("192.168.1.2", 8000)


def test_an_ipv6_address_is_bracketed_in_the_url() -> None:
    assert url_of("::1", 8000) == "http://[::1]:8000"


def test_the_command_line_does_not_import_textual_serve() -> None:
    code = "import sys, explorer.cli, explorer.serve; print('textual_serve' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
