"""The app for one browser connection: ``python -m explorer.serve.app --facts DIR``.

textual-serve runs this once per page opened, with Textual's web driver
(``TEXTUAL_DRIVER``) talking to the browser over standard input and output,
so the terminal check of ``fact-explorer`` does not apply. What goes to
standard error shows in the console of ``fact-explorer serve``.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app for one browser; return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m explorer.serve.app")
    parser.add_argument("--facts", type=Path, required=True, help="the fact base folder")
    args = parser.parse_args(argv)
    # ctrl+c in the server's terminal reaches this process too; the server asks
    # each app to quit as it stops, so the signal itself is not for us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Copies go to the browser (OSC 52, which the page's terminal takes), never
    # to the desktop clipboard of the machine serving.
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        os.environ.pop(name, None)

    from explorer.cli import app_for, report_unusable
    from explorer.cli_cite import report_config
    from explorer.config import ConfigError

    try:
        app = app_for(args)
    except ConfigError as err:
        return report_config(err)
    server = os.getppid()
    threading.Thread(target=end_when_orphaned, args=(app, server), daemon=True).start()
    app.run()
    if app.failure is not None:
        return report_unusable(app.failure)
    return app.return_code or 0


def end_when_orphaned(app: App[object], server: int, grace: float = 5.0) -> None:
    """End the app once the server that started it has gone (killed, not stopped).

    Its browser can never reach it again, and Textual's web driver does not
    end on the end of its input. The app is asked to exit; after ``grace``
    seconds the process ends regardless (exports are atomic: nothing is left half-written).

    Args:
        app: The running app.
        server: The server's process id (this process's parent at start).
        grace: Seconds the app has to exit before the process is ended.
    """
    while os.getppid() == server:
        time.sleep(1)
    threading.Thread(target=app.call_from_thread, args=(app.exit,), daemon=True).start()
    time.sleep(grace)
    os._exit(1)


if __name__ == "__main__":
    raise SystemExit(main())
