"""``fact-explorer serve``: the app in a browser, through textual-serve.

The command is thin like the rest of the command line: it checks the
address, opens the base and the config once (so a broken one is said here,
not in a blank browser tab), then hands over to `explorer.serve.server`,
the only module that imports textual-serve. Each browser connection runs the
app in a process of its own (`explorer.serve.app`).

Bound to 127.0.0.1 unless ``--host`` says otherwise; any other address is
warned about, since whoever reaches it can use the app as the user who
started it. Exit codes: 0 after ctrl+c, 1 when the address cannot be listened
on or the base cannot be used, 2 for bad usage (a port outside 1-65535, an
empty host) or a config file that cannot be used.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def port_arg(text: str) -> int:
    """An argparse type: a TCP port, a whole number from 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port from 1 to 65535, not {text!r}")
    return port


def host_arg(text: str) -> str:
    """An argparse type: a host name or address; ``[::1]`` is read as ``::1``.

    An empty one is refused: aiohttp would take it for every address.
    """
    host = text.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host:
        raise argparse.ArgumentTypeError("needs a host name or address, not an empty one")
    return host


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only: ``localhost`` or a loopback address."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name: it may resolve anywhere
        return False


def url_of(host: str, port: int) -> str:
    """The address a browser opens: ``http://host:port``, an IPv6 address in brackets."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def exposure_warning(host: str, port: int) -> str:
    """The warning for an address other machines may reach, or ``""`` for a loopback one."""
    if is_loopback(host):
        return ""
    reach = f"this machine on port {port}" if _every_address(host) else url_of(host, port)
    return (
        f"warning: --host {host} is not a loopback address (127.0.0.1, ::1, localhost): "
        f"anyone who can reach {reach} can use the app as you (search, copy, and export "
        "files on this machine); use the default 127.0.0.1 to keep it to yourself"
    )


def serving_line(host: str, port: int) -> str:
    """What ``serve`` says once it listens."""
    every = " (every address of this machine)" if _every_address(host) else ""
    return f"Serving on {url_of(host, port)}{every} — ctrl+c to stop"


def _every_address(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def app_command(facts: Path) -> str:
    """The shell command textual-serve runs for each browser connection.

    ``exec`` makes the app the server's own child, so it can tell when the
    server is gone (`explorer.serve.app` watches its parent).

    Args:
        facts: The fact base folder, made absolute so the command names it wherever it runs.
    """
    argv = [sys.executable, "-m", "explorer.serve.app", "--facts", str(facts.absolute())]
    return f"exec {shlex.join(argv)}"


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``serve`` to the subcommands ``sub``.

    Args:
        sub: What ``ArgumentParser.add_subparsers`` returned.
        common: The parent parser holding the options every command takes.
    """
    serve = sub.add_parser(
        "serve",
        parents=[common],
        help="the app in a web browser, on 127.0.0.1 unless told otherwise",
        description="Serve the terminal app to web browsers: each page opened runs the app "
        "afresh. Bound to 127.0.0.1 by default; another --host lets anyone who can reach "
        "it use the app. ctrl+c stops.",
    )
    serve.add_argument(
        "--host", type=host_arg, default=DEFAULT_HOST, metavar="HOST",
        help=f"address to listen on (default {DEFAULT_HOST}; 0.0.0.0 for every address)",
    )  # fmt: skip
    serve.add_argument(
        "--port", type=port_arg, default=DEFAULT_PORT, metavar="PORT",
        help=f"port to listen on, 1-65535 (default {DEFAULT_PORT})",
    )  # fmt: skip


def cmd_serve(args: argparse.Namespace) -> int:
    """Check the base and the config, then serve the app until ctrl+c."""
    from explorer.cli import CliError, facts_dir, load
    from explorer.cli_cite import report_config
    from explorer.config import ConfigError, load_config

    try:
        load_config()
    except ConfigError as err:
        return report_config(err)
    load(args)  # a base that cannot be used is said now, with its problems
    from explorer.serve.server import serve

    def ready() -> None:
        warning = exposure_warning(args.host, args.port)
        if warning:
            print(f"fact-explorer: {warning}", file=sys.stderr, flush=True)
        print(serving_line(args.host, args.port), flush=True)

    try:
        serve(app_command(Path(facts_dir(args))), args.host, args.port, ready=ready)
    except OSError as err:
        where = url_of(args.host, args.port)
        raise CliError(f"serve: cannot listen on {where}: {_why(err)}", 1) from err
    print("Stopped.", flush=True)
    return 0


def _why(err: OSError) -> str:
    """The reason alone ("address already in use"), not asyncio's whole sentence."""
    import socket

    if isinstance(err, socket.gaierror) or not err.errno or err.errno < 0:
        why = err.strerror or str(err)
    else:
        why = os.strerror(err.errno)
    return why[:1].lower() + why[1:]
