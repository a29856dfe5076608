"""Launching without a terminal: one clear line and exit code 2, quickly, never a hang."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import GOOD_FACT, REPO, make_base


def launch(env: dict[str, str], stdin: int | None = subprocess.DEVNULL) -> tuple[int, str, float]:
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "explorer"], stdin=stdin, capture_output=True,
                         text=True, timeout=20, cwd=REPO, env=env)  # fmt: skip
    return out.returncode, out.stderr, time.monotonic() - start


def test_stdin_not_a_terminal() -> None:
    code, err, seconds = launch(dict(os.environ))
    assert code == 2 and seconds < 2
    assert err.strip().splitlines() == [
        "fact-explorer: the app needs a terminal, but standard input is not one; "
        "use `fact-explorer search WORDS` in scripts"
    ]


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_term_dumb() -> None:
    leader, follower = os.openpty()  # a real terminal for stdin and stdout
    try:
        start = time.monotonic()
        out = subprocess.run([sys.executable, "-m", "explorer"], stdin=follower, stdout=follower,
                             stderr=subprocess.PIPE, text=True, timeout=20, cwd=REPO,
                             env={**os.environ, "TERM": "dumb"})  # fmt: skip
        seconds = time.monotonic() - start
    finally:
        os.close(leader)
        os.close(follower)
    assert out.returncode == 2 and seconds < 2
    assert out.stderr.strip() == (
        "fact-explorer: the app cannot draw on TERM=dumb; "
        "use `fact-explorer search WORDS` in scripts"
    )


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_broken_base_ends_the_app_and_prints_its_problems(tmp_path: Path) -> None:
    root = make_base(tmp_path / "facts", {"report/ch4.yaml": GOOD_FACT + "    unit: 't'\n"})
    leader, follower = os.openpty()
    drained = threading.Thread(target=drain, args=(leader,), daemon=True)
    drained.start()  # the app draws its first frame before it opens the base
    try:
        out = subprocess.run([sys.executable, "-m", "explorer", "--facts", str(root)],
                             stdin=follower, stdout=follower, stderr=subprocess.PIPE, text=True,
                             timeout=30, cwd=REPO, env={**os.environ, "TERM": "xterm"})  # fmt: skip
    finally:
        os.close(follower)
        drained.join(5)
        os.close(leader)
    # Textual draws on stderr; the problems follow once it has restored the terminal.
    *_, problem, summary = out.stderr.splitlines()
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"{root}/report/ch4.yaml:16:5: duplicate key 'unit' (first at line 11)" in problem
    assert summary == "fact-explorer: the fact base has 1 problem"


def drain(fd: int) -> None:
    """Read a terminal's output until it closes, so the app never blocks writing."""
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
