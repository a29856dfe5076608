"""Launching without a terminal: one clear line and exit code 2, quickly, never a hang."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO


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
