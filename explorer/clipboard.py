"""Copy text to the user's clipboard, and say truthfully where it went.

On a local desktop session the native tool does it (``wl-copy``, ``xclip``,
``xsel``, ``pbcopy``, ``clip.exe``) and we know it worked. Otherwise, and
always over SSH, the text goes to the terminal as an OSC 52 sequence, which
the terminal may silently ignore: the outcome says so. When neither can be
tried the text is saved to a file in the user's data folder and the outcome
names it. `copy` never raises, whatever the text.

Text may come with an HTML flavour (italics, links) for word processors. It
goes beside the plain text only where one clipboard entry can hold both: on
macOS, through the pasteboard itself (``osascript``). ``wl-copy`` and ``xclip``
hold one flavour per copy (``wl-copy --type text/html`` hands the HTML source
to a plain-text paste too; ``xclip -t text/html`` hands it nothing), and
``xsel``, ``clip.exe`` and OSC 52 carry plain text alone: there the plain text
goes, and the outcome says so.
"""

from __future__ import annotations

import base64
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

OSC52_LIMIT = 100_000
"""Bytes of OSC 52 beyond which terminals may drop the whole sequence silently."""

FALLBACK_NAME = "last-copy.txt"
"""The file in the user's data folder that holds text no clipboard took."""


class Rich(str):
    """Plain text that carries an HTML flavour of itself, ``html``: `copy` offers both."""

    html: str
    """The same text as HTML (a fragment: ``<p>``, ``<i>``, ``<a href>``)."""

    def __new__(cls, text: str, html: str) -> Rich:
        made = super().__new__(cls, text)
        made.html = html
        return made


# Both flavours on the macOS pasteboard at once (JavaScript for Automation: NSPasteboard).
_PASTEBOARD_SCRIPT = """
function run(argv) {
  ObjC.import("AppKit");
  var board = $.NSPasteboard.generalPasteboard;
  board.clearContents;
  var plain = board.setStringForType($(argv[0]), $.NSPasteboardTypeString);
  var html = board.setStringForType($(argv[1]), $.NSPasteboardTypeHTML);
  if (!plain || !html) { throw new Error("the pasteboard refused the text"); }
  return "";
}
"""
_MAX_ARGUMENT_BYTES = 200_000
"""The most text handed to ``osascript`` as arguments (macOS allows about 1 MB in all)."""


@dataclass(frozen=True, slots=True)
class CopyOutcome:
    """What became of a copy, to tell the user as it is."""

    ok: bool
    """True when the text was handed to a clipboard tool or sent to the terminal."""
    method: str
    """The tool's name (``wl-copy``, ``xclip``, ...), ``osc52``, ``file`` or ``none``."""
    message: str
    """One truthful sentence for the user."""
    path: Path | None = None
    """The file holding the text when no clipboard could take it."""
    warning: str = ""
    """A caution to show beside the message (a large OSC 52 payload)."""
    html: bool = False
    """True when an HTML flavour went beside the plain text."""


def osc52_sequence(text: str, *, tmux: bool = False) -> str:
    """Return the OSC 52 sequence that sets the clipboard to ``text`` (UTF-8, base64).

    Args:
        text: Any text; lone surrogates become ``?``.
        tmux: Wrap it in tmux's DCS passthrough (each ESC doubled).
    """
    payload = base64.b64encode(_utf8(text)).decode("ascii")
    sequence = f"\x1b]52;c;{payload}\x07"
    if tmux:
        return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence


def osc52_warning(text: str) -> str | None:
    """Return a warning when ``text`` is too large to trust to OSC 52, else None.

    The app calls this before copying and may then pass ``allow_large=True``.
    """
    size = len(osc52_sequence(text))
    if size <= OSC52_LIMIT:
        return None
    return (
        f"The text is {size // 1000} KB as OSC 52, more than the {OSC52_LIMIT // 1000} KB "
        "many terminals accept; they drop larger ones without a word."
    )


def native_tools(env: Mapping[str, str]) -> list[list[str]]:
    """Return the clipboard commands a local desktop session offers, best first.

    Over SSH there are none: a tool there would fill the remote machine's clipboard.
    """
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY") or env.get("SSH_CLIENT"):
        return []
    tools = []
    if env.get("WAYLAND_DISPLAY"):
        tools.append(["wl-copy"])
    if env.get("DISPLAY"):
        tools += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    if sys.platform == "darwin":
        tools.append(["pbcopy"])
    if sys.platform == "win32" or _is_wsl(env):
        tools.append(["clip.exe"])
    return tools


def copy(
    text: str,
    *,
    html: str | None = None,
    osc52: Callable[[str], object] | None = None,
    env: Mapping[str, str] | None = None,
    tty: str | None = "/dev/tty",
    fallback_dir: Path | None = None,
    allow_large: bool = False,
) -> CopyOutcome:
    """Copy ``text`` to the clipboard by the best means the session has.

    Args:
        text: Any text; a `Rich` text brings its HTML flavour.
        html: The same text as HTML, to offer beside the plain text where the
            clipboard can hold both (default: a `Rich` text's own); where it
            cannot, the plain text goes alone and the message says so.
        osc52: Sends OSC 52 for us (the app passes Textual's ``copy_to_clipboard``);
            None means write the sequence to ``tty`` ourselves (the CLI).
        env: The environment to judge the session by (default ``os.environ``).
        tty: The terminal device to write OSC 52 to; None when there is none.
        fallback_dir: Where to save the text when nothing else works
            (default: the user's data folder).
        allow_large: Send OSC 52 even beyond `OSC52_LIMIT` (the user agreed).

    Returns:
        The outcome, with a message that says what happened. Never raises.
    """
    env = os.environ if env is None else env
    if html is None and isinstance(text, Rich):
        html = text.html
    text = str(text)
    failures: list[str] = []
    try:
        tools = native_tools(env)
        if html is not None and ["pbcopy"] in tools:
            outcome = _run_pasteboard(text, html, env)
            if outcome.ok:
                return outcome
            if outcome.message:
                failures.append(outcome.message)
        for command in tools:
            outcome = _run_tool(command, text, env)
            if outcome.ok:
                return _plain_only(outcome, html)
            if outcome.message:
                failures.append(outcome.message)
        warning = osc52_warning(text)
        if warning and not allow_large:
            why = f"Not sent to the terminal: OSC 52 over {OSC52_LIMIT // 1000} KB is often dropped"
            outcome = _save(text, fallback_dir, why)
            outcome = replace(outcome, warning=warning)
        else:
            outcome = _send_osc52(text, osc52, env, tty) or _save(
                text, fallback_dir, "No clipboard tool and no terminal to send it to"
            )
            outcome = replace(outcome, warning=warning or "")
        outcome = _plain_only(outcome, html)
    except Exception as err:  # a copy must never crash the caller
        outcome = _save(text, fallback_dir, f"Copy failed ({err})")
    if failures:
        return replace(outcome, message=f"{'; '.join(failures)}. {outcome.message}")
    return outcome


def _plain_only(outcome: CopyOutcome, html: str | None) -> CopyOutcome:
    """Say that an HTML flavour offered did not go, where it did not."""
    if html is None or not outcome.ok or outcome.html:
        return outcome
    if outcome.method == "osc52":
        reason = ""  # a terminal takes text alone: no need to say why
    elif outcome.method in ("xsel", "pbcopy", "clip.exe"):
        reason = f"{outcome.method} takes plain text alone"
    else:  # wl-copy, xclip: one MIME type per copy, and HTML alone would fail a plain paste
        reason = f"{outcome.method} holds one flavour per copy"
    head, colon, rest = outcome.message.partition(":")
    why = f" ({reason})" if reason else ""
    return replace(outcome, message=f"{head}, as plain text only{why}{colon}{rest}")


def _run_pasteboard(text: str, html: str, env: Mapping[str, str]) -> CopyOutcome:
    """Put both flavours on the macOS pasteboard; an empty message means no osascript."""
    plain, rich = _utf8(text).decode("utf-8"), _utf8(html_for_clipboard(html)).decode("utf-8")
    if "\x00" in plain + rich or len(_utf8(plain + rich)) > _MAX_ARGUMENT_BYTES:
        return CopyOutcome(False, "osascript", "")  # arguments cannot carry it: pbcopy will
    command = ["osascript", "-l", "JavaScript", "-e", _PASTEBOARD_SCRIPT, plain, rich]
    outcome = _run_tool(command, "", env)
    if not outcome.ok:
        return outcome
    return replace(outcome, message="Copied with osascript (plain text and HTML)", html=True)


def html_for_clipboard(html: str) -> str:
    """Return an HTML fragment as clipboards expect it: charset declared, ASCII only.

    Word processors read a clipboard's HTML in a charset of their own guessing;
    with every non-ASCII character as a reference (``&#8220;``) no guess is wrong.
    """
    body = html.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return body if body.startswith("<meta") else f'<meta charset="utf-8">{body}'


def _run_tool(command: list[str], text: str, env: Mapping[str, str]) -> CopyOutcome:
    """Run one native tool; an empty message means it is not installed."""
    name = command[0]
    found = shutil.which(name, path=env.get("PATH", os.defpath))
    if found is None:
        return CopyOutcome(False, name, "")
    data = _utf8(text)
    child_env = dict(env)
    if name == "clip.exe":  # clip.exe reads UTF-16 when it starts with a byte-order mark
        data = b"\xff\xfe" + data.decode("utf-8").encode("utf-16-le")
    if name == "pbcopy":  # pbcopy garbles non-ASCII without a UTF-8 locale
        child_env.setdefault("LC_CTYPE", "UTF-8")
    try:
        # Output to DEVNULL: xclip and wl-copy fork a child that keeps any pipe open.
        done = subprocess.run(
            [found, *command[1:]], input=data, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, env=child_env, timeout=5, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as err:
        return CopyOutcome(False, name, f"{name} failed ({err})")
    if done.returncode != 0:
        return CopyOutcome(False, name, f"{name} failed (exit {done.returncode})")
    return CopyOutcome(True, name, f"Copied with {name}")


def _send_osc52(
    text: str,
    osc52: Callable[[str], object] | None,
    env: Mapping[str, str],
    tty: str | None,
) -> CopyOutcome | None:
    """Send OSC 52 through the app or to the terminal; None when there is no terminal."""
    tmux = osc52 is None and bool(env.get("TMUX"))
    if osc52 is not None:
        osc52(_utf8(text).decode("utf-8"))
    else:
        if tty is None:
            return None
        try:
            fd = os.open(tty, os.O_WRONLY | os.O_NOCTTY)
        except OSError:
            return None
        try:
            os.write(fd, osc52_sequence(text, tmux=tmux).encode("ascii"))
        finally:
            os.close(fd)
    through = " through tmux" if tmux else ""
    message = f"Sent to the terminal{through} (OSC 52): it may ignore it"
    return CopyOutcome(True, "osc52", message)


def _save(text: str, folder: Path | None, why: str) -> CopyOutcome:
    """Keep the text in a file the user can open; say where, or that even this failed."""
    from explorer.export import write_atomic
    from explorer.paths import user_dir

    try:
        path = (folder or Path(user_dir("data"))) / FALLBACK_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, _utf8(text))
    except Exception as err:  # report, never raise
        return CopyOutcome(False, "none", f"{why}; the text could not be saved either ({err})")
    return CopyOutcome(False, "file", f"{why}: the text is saved in {path}", path)


def _utf8(text: str) -> bytes:
    """Encode any str, lone surrogates included (they become ``?``)."""
    return text.encode("utf-8", "replace")


def _is_wsl(env: Mapping[str, str]) -> bool:
    if env.get("WSL_DISTRO_NAME") or env.get("WSL_INTEROP"):
        return True
    return env is os.environ and "microsoft" in platform.release().lower()
