"""The clipboard: native tools on a desktop, OSC 52 otherwise, a file when nothing works.

No test touches the real clipboard or terminal: tools are fake scripts on a
PATH made in tmp_path, the "terminal" is a file, and the fallback folder is
tmp_path.
"""

from __future__ import annotations

import base64
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.clipboard import (
    OSC52_LIMIT,
    Rich,
    copy,
    html_for_clipboard,
    native_tools,
    osc52_sequence,
    osc52_warning,
)

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="fake tools are shell scripts")
CAT, SLEEP = shutil.which("cat") or "cat", shutil.which("sleep") or "sleep"
HARD_TEXT = ["华为", "华为 2020 可持续发展报告", "👩‍🔬 emoji", "e\u0301 combining", "a\x00b", ""]


def payload(sequence: str) -> str:
    """The text an OSC 52 sequence carries."""
    assert sequence.startswith("\x1b]52;c;") and sequence.endswith("\x07")
    return base64.b64decode(sequence[len("\x1b]52;c;") : -1]).decode("utf-8")


def fake_tool(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    tool.chmod(0o755)
    return folder


def test_osc52_carries_huawei_in_chinese_intact() -> None:
    sequence = osc52_sequence("华为")
    assert sequence == "\x1b]52;c;5Y2O5Li6\x07"
    assert payload(sequence) == "华为"


@pytest.mark.parametrize("text", HARD_TEXT)
def test_osc52_round_trips_any_text(text: str) -> None:
    assert payload(osc52_sequence(text)) == text


def test_osc52_inside_tmux_is_wrapped_for_passthrough() -> None:
    wrapped = osc52_sequence("华为", tmux=True)
    assert wrapped == "\x1bPtmux;\x1b\x1b]52;c;5Y2O5Li6\x07\x1b\\"


def test_with_no_tool_and_no_terminal_the_text_is_left_in_a_file(tmp_path: Path) -> None:
    text = "“华为” (Huawei Investment & Holding Co., Ltd., 2021, Chapter 4)"
    outcome = copy(text, env={"PATH": str(tmp_path / "empty")}, tty=None, fallback_dir=tmp_path)
    assert (outcome.ok, outcome.method) == (False, "file")
    assert outcome.path == tmp_path / "last-copy.txt"
    assert outcome.message.startswith("No clipboard tool and no terminal")
    assert str(outcome.path) in outcome.message
    assert outcome.path.read_text(encoding="utf-8") == text


def test_a_terminal_that_cannot_be_opened_counts_as_none(tmp_path: Path) -> None:
    outcome = copy(
        "x", env={"PATH": ""}, tty=str(tmp_path / "no" / "tty"), fallback_dir=tmp_path
    )  # fmt: skip
    assert outcome.method == "file" and outcome.path is not None


def test_the_cli_writes_osc52_to_the_terminal_and_says_it_may_be_ignored(tmp_path: Path) -> None:
    terminal = tmp_path / "tty"
    terminal.touch()
    outcome = copy("华为", env={"PATH": ""}, tty=str(terminal), fallback_dir=tmp_path)
    assert (outcome.ok, outcome.method) == (True, "osc52")
    assert outcome.message == "Sent to the terminal (OSC 52): it may ignore it"
    assert payload(terminal.read_text(encoding="ascii")) == "华为"


def test_inside_tmux_the_cli_wraps_osc52(tmp_path: Path) -> None:
    terminal = tmp_path / "tty"
    terminal.touch()
    env = {"PATH": "", "TMUX": "/tmp/tmux-0/default,1,0"}
    outcome = copy("华为", env=env, tty=str(terminal), fallback_dir=tmp_path)
    assert terminal.read_text(encoding="ascii") == osc52_sequence("华为", tmux=True)
    assert "through tmux" in outcome.message


def test_the_app_sends_osc52_itself_unwrapped(tmp_path: Path) -> None:
    sent: list[str] = []
    env = {"PATH": "", "TMUX": "x", "SSH_CONNECTION": "10.0.0.1 22 10.0.0.2 22"}
    outcome = copy("华为", osc52=sent.append, env=env, tty=None, fallback_dir=tmp_path)
    assert sent == ["华为"] and outcome.ok and outcome.method == "osc52"
    assert "may ignore it" in outcome.message


@POSIX
def test_on_a_wayland_desktop_wl_copy_takes_the_text(tmp_path: Path) -> None:
    got = tmp_path / "got"
    bin_dir = fake_tool(tmp_path / "bin", "wl-copy", f'{CAT} > "{got}"')
    env = {"PATH": str(bin_dir), "WAYLAND_DISPLAY": "wayland-0"}
    outcome = copy("华为 👩‍🔬", osc52=pytest.fail, env=env, fallback_dir=tmp_path)
    assert (outcome.ok, outcome.method, outcome.message) == (True, "wl-copy", "Copied with wl-copy")
    assert got.read_bytes().decode("utf-8") == "华为 👩‍🔬"


@POSIX
def test_xclip_that_forks_a_server_does_not_hang_the_copy(tmp_path: Path) -> None:
    got = tmp_path / "got"
    # xclip stays behind to serve the selection, holding whatever output it inherited
    bin_dir = fake_tool(tmp_path / "bin", "xclip", f'{CAT} > "{got}" && ({SLEEP} 30 &)')
    outcome = copy("华为", env={"PATH": str(bin_dir), "DISPLAY": ":0"}, fallback_dir=tmp_path)
    assert outcome.message == "Copied with xclip"
    assert got.read_text(encoding="utf-8") == "华为"


@POSIX
def test_a_failing_tool_is_reported_and_the_next_way_is_tried(tmp_path: Path) -> None:
    bin_dir = fake_tool(tmp_path / "bin", "xclip", "exit 1")
    sent: list[str] = []
    env = {"PATH": str(bin_dir), "DISPLAY": ":0"}
    outcome = copy("x", osc52=sent.append, env=env, fallback_dir=tmp_path)
    assert sent == ["x"]
    assert (
        outcome.message == "xclip failed (exit 1). Sent to the terminal (OSC 52): it may ignore it"
    )


def test_over_ssh_no_native_tool_is_used() -> None:
    env = {"SSH_CONNECTION": "a b c d", "DISPLAY": "localhost:10.0", "WAYLAND_DISPLAY": "w"}
    assert native_tools(env) == []
    assert native_tools({"SSH_TTY": "/dev/pts/1", "DISPLAY": ":0"}) == []


def test_a_local_desktop_offers_its_tools_best_first() -> None:
    tools = native_tools({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"})
    assert tools[:3] == [["wl-copy"], ["xclip", "-selection", "clipboard"],
                         ["xsel", "--clipboard", "--input"]]  # fmt: skip
    assert ["clip.exe"] in native_tools({"WSL_DISTRO_NAME": "Ubuntu"})


def test_large_text_is_not_sent_by_osc52_unless_allowed(tmp_path: Path) -> None:
    big = "华" * (OSC52_LIMIT // 3)
    warning = osc52_warning(big)
    assert warning is not None and "KB" in warning
    sent: list[str] = []
    held = copy(big, osc52=sent.append, env={"PATH": ""}, fallback_dir=tmp_path)
    assert sent == [] and not held.ok and held.warning == warning and held.path is not None
    assert held.path.read_text(encoding="utf-8") == big
    allowed = copy(big, osc52=sent.append, env={"PATH": ""}, allow_large=True)
    assert sent == [big] and allowed.ok and allowed.warning == warning
    assert osc52_warning("small") is None


def test_an_osc52_sender_that_crashes_leaves_the_text_in_a_file(tmp_path: Path) -> None:
    def broken(text: str) -> None:
        raise RuntimeError("no driver")

    outcome = copy("华为", osc52=broken, env={"PATH": ""}, fallback_dir=tmp_path)
    assert outcome.method == "file" and "no driver" in outcome.message
    assert (tmp_path / "last-copy.txt").read_text(encoding="utf-8") == "华为"


def test_when_even_the_file_cannot_be_written_the_copy_still_does_not_raise(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.touch()
    outcome = copy("x", env={"PATH": ""}, tty=None, fallback_dir=blocker / "sub")
    assert (outcome.ok, outcome.method, outcome.path) == (False, "none", None)
    assert "could not be saved" in outcome.message


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_copy_never_raises_on_any_text(text: str) -> None:
    sent: list[str] = []
    outcome = copy(text, osc52=sent.append, env={"PATH": ""}, tty=None)
    assert outcome.ok and len(sent) == 1
    assert sent[0] == text.encode("utf-8", "replace").decode("utf-8")


def test_a_lone_surrogate_is_copied_as_a_question_mark(tmp_path: Path) -> None:
    terminal = tmp_path / "tty"
    terminal.touch()
    copy("a\ud800b", env={"PATH": ""}, tty=str(terminal), fallback_dir=tmp_path)
    assert payload(terminal.read_text(encoding="ascii")) == "a?b"


def test_default_environment_is_the_process_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "a b c d")
    assert native_tools(os.environ) == []


# ------------------------------------------------------------------ an HTML flavour

HTML = "<p>\u201cQuote\u201d (Huawei, 2020, Section 1)</p>\n<p><i>20 moments of 2020</i>.</p>"
PLAIN = "\u201cQuote\u201d (Huawei, 2020, Section 1)\n\n20 moments of 2020."


@POSIX
@pytest.mark.parametrize(
    ("tool", "env"),
    [("wl-copy", {"WAYLAND_DISPLAY": "wayland-0"}), ("xclip", {"DISPLAY": ":0"}),
     ("xsel", {"DISPLAY": ":0"})],
)  # fmt: skip
def test_a_tool_that_holds_one_flavour_gets_the_plain_text_and_says_so(
    tmp_path: Path, tool: str, env: dict[str, str]
) -> None:
    got = tmp_path / "got"
    bin_dir = fake_tool(tmp_path / "bin", tool, f'{CAT} > "{got}"')
    outcome = copy(PLAIN, html=HTML, env={"PATH": str(bin_dir), **env}, fallback_dir=tmp_path)
    assert (outcome.ok, outcome.method, outcome.html) == (True, tool, False)
    assert outcome.message.startswith(f"Copied with {tool}, as plain text only ({tool} ")
    assert got.read_text(encoding="utf-8") == PLAIN


def test_a_rich_text_brings_its_html_and_osc52_carries_plain_text_only(tmp_path: Path) -> None:
    sent: list[str] = []
    outcome = copy(Rich(PLAIN, HTML), osc52=sent.append, env={"PATH": ""}, fallback_dir=tmp_path)
    assert sent == [PLAIN] and type(sent[0]) is str
    assert outcome.message == "Sent to the terminal (OSC 52), as plain text only: it may ignore it"


def test_without_an_html_flavour_the_messages_are_as_they_were(tmp_path: Path) -> None:
    outcome = copy(PLAIN, osc52=lambda _: None, env={"PATH": ""}, fallback_dir=tmp_path)
    assert outcome.message == "Sent to the terminal (OSC 52): it may ignore it"


@POSIX
def test_on_macos_both_flavours_go_on_the_pasteboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    got = tmp_path / "got"
    # osascript -l JavaScript -e SCRIPT PLAIN HTML: the fake keeps the two flavours
    body = f'printf "%s" "$5" > "{got}.plain"; printf "%s" "$6" > "{got}.html"'
    bin_dir = fake_tool(tmp_path / "bin", "osascript", body)
    fake_tool(bin_dir, "pbcopy", "exit 3")
    outcome = copy(PLAIN, html=HTML, env={"PATH": str(bin_dir)}, fallback_dir=tmp_path)
    assert (outcome.ok, outcome.method, outcome.html) == (True, "osascript", True)
    assert outcome.message == "Copied with osascript (plain text and HTML)"
    assert Path(f"{got}.plain").read_text(encoding="utf-8") == PLAIN
    assert Path(f"{got}.html").read_text(encoding="utf-8") == html_for_clipboard(HTML)


@POSIX
def test_on_macos_a_failing_osascript_leaves_the_plain_text_to_pbcopy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    got = tmp_path / "got"
    bin_dir = fake_tool(tmp_path / "bin", "osascript", "exit 1")
    fake_tool(bin_dir, "pbcopy", f'{CAT} > "{got}"')
    outcome = copy(PLAIN, html=HTML, env={"PATH": str(bin_dir)}, fallback_dir=tmp_path)
    assert (outcome.method, outcome.html) == ("pbcopy", False)
    assert (
        outcome.message == "Copied with pbcopy, as plain text only (pbcopy takes plain text alone)"
    )
    assert got.read_text(encoding="utf-8") == PLAIN


def test_clipboard_html_declares_its_charset_and_is_ascii() -> None:
    out = html_for_clipboard(HTML)
    assert out.startswith('<meta charset="utf-8">') and out.isascii()
    assert "&#8220;Quote&#8221;" in out and "<i>20 moments of 2020</i>" in out
