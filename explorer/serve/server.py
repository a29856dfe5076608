"""The web server behind ``fact-explorer serve``: textual-serve, made safe to leave running.

The only module that imports textual-serve (and aiohttp); `explorer.serve`
imports it inside the command. On top of textual-serve's `Server`:

- The page is our own template (`templates/app_index.html`): textual-serve's
  loads its font from a CDN, which a machine offline waits on; ours uses the
  Roboto Mono that textual-serve bundles, so the page loads nothing from
  outside the server. Its URLs are built from the request, so the page works
  under whatever name the browser used (``0.0.0.0`` is no address to connect to).
- A websocket is accepted only from a page of this server (its ``Origin`` is
  this server). Browsers let any site open a websocket to 127.0.0.1; without
  this check any page the user visits could drive the app.
- Bound to a loopback address, only requests naming this machine
  (``127.0.0.1``, ``localhost``, ``[::1]``) are answered: a DNS-rebinding page
  sends its own name in ``Host``.
- Ctrl+c (or SIGTERM) closes every session (each app is asked to quit) and
  stops, without a traceback; the address is said only once it is listened on.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

TEMPLATES = Path(__file__).resolve().parent / "templates"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
SHUTDOWN_SECONDS = 5.0
"""How long a stop waits for the sessions to end before it cancels them."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class FactServer(Server):
    """textual-serve's server with a page that loads nothing from outside, and guards."""

    def __init__(self, command: str, host: str, port: int, *, loopback: bool) -> None:
        """Serve ``command`` on ``host:port``.

        Args:
            command: The shell command that runs the app for one browser connection.
            host: The address to listen on.
            port: The port to listen on.
            loopback: Whether ``host`` is a loopback address: then ``Host`` is checked.
        """
        super().__init__(command, host=host, port=port, title="Fact Explorer",
                         templates_path=TEMPLATES)  # fmt: skip
        self.allowed_hosts: frozenset[str] | None = None
        if loopback:
            names = {*LOOPBACK_NAMES, f"[{host}]" if ":" in host else host}
            with_port = {f"{name}:{port}" for name in names}
            self.allowed_hosts = frozenset(with_port | (names if port == 80 else set()))
        self.sockets: set[web.WebSocketResponse] = set()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        return app

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a request naming another host, and a websocket from another site's page."""
        host = request.headers.get("Host", "").lower()
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            raise web.HTTPMisdirectedRequest(text=f"This server does not answer for {host!r}.\n")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and origin.lower() != f"http://{host}":
            raise web.HTTPForbidden(text="A websocket is accepted only from this server's page.\n")
        return await handler(request)

    async def on_startup(self, app: web.Application) -> None:
        """Say nothing: `explorer.serve` says the address once it is listened on."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every session's websocket, so each app is asked to quit."""
        for socket in list(self.sockets):
            await socket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: AppService
    ) -> None:
        self.sockets.add(websocket)
        try:
            await super()._process_messages(websocket, app_service)
        finally:
            self.sockets.discard(websocket)

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page: its terminal connects back to the host and port the browser used."""
        try:
            font_size = min(max(int(request.query.get("fontsize", "16")), 6), 64)
        except ValueError:
            font_size = 16
        return {
            "font_size": font_size,
            "app_websocket_url": f"ws://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }


def serve(command: str, host: str, port: int, *, ready: Callable[[], None]) -> None:
    """Serve the app until ctrl+c or SIGTERM.

    Args:
        command: The shell command that runs the app for one browser connection.
        host: The address to listen on.
        port: The port to listen on.
        ready: Called once the address is listened on (to say it).

    Raises:
        OSError: When the address cannot be listened on (in use, not this machine's).
    """
    from explorer.serve import is_loopback

    server = FactServer(command, host, port, loopback=is_loopback(host))
    asyncio.run(_run(server, ready))


async def _run(server: FactServer, ready: Callable[[], None]) -> None:
    runner = web.AppRunner(
        await server._make_app(), access_log=None, shutdown_timeout=SHUTDOWN_SECONDS
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, server.host, server.port).start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        ready()
        await stop.wait()
    finally:
        await runner.cleanup()
