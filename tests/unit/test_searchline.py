"""A plain search line read without argparse means what argparse makes of it, or is left to it."""

from __future__ import annotations

import contextlib
import io
import random

import pytest

from explorer.cli import build_parser
from explorer.searchline import names_search, read

PLAIN = [
    ["search", "renewable", "energy"],
    ["search", "x", "--limit", "3", "--json", "--explain"],
    ["search", "--limit=5", "x", "y"],
    ["--facts", "d", "search", "x"],
    ["--facts=d", "search", "x", "--facts", "e"],
    ["--facts", "search", "search", "search"],
    ["search", "x", "--limit", " 7 "],
    ["search", "", "x"],
]  # fmt: skip

LEFT = [
    ["search"], ["search", "-h"], ["search", "--help"], ["search", "--", "x"], ["search", "-5"],
    ["search", "x", "--limit", "0"], ["search", "x", "--limit", "-3"], ["search", "x", "--limit"],
    ["search", "x", "--limit", "many"], ["search", "--lim", "5", "x"], ["search", "x", "--js"],
    ["search", "a", "--json", "b"], ["search", "x", "--facts", ""], ["search", "x", "--facts="],
    ["--facts", "", "search", "x"], ["--fa", "d", "search", "x"], ["-h", "search", "x"],
    ["show", "x"], [], ["--facts"], ["search", "x", "--version"], ["search", "x", "--json=1"],
]  # fmt: skip


def parsed(words: list[str]) -> dict[str, object] | None:
    """What argparse makes of ``words``, or None when it refuses them."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            return vars(build_parser().parse_args(words))
        except SystemExit:
            return None


@pytest.mark.parametrize("words", PLAIN)
def test_a_plain_search_line_is_read_as_argparse_reads_it(words: list[str]) -> None:
    assert read(words) == parsed(words) is not None


@pytest.mark.parametrize("words", LEFT)
def test_any_other_line_is_left_to_argparse(words: list[str]) -> None:
    assert read(words) is None


def test_random_lines_are_read_as_argparse_reads_them_or_left_to_it() -> None:
    pieces = ["search", "x", "two words", "--limit", "--limit=2", "3", "0", "-1", "--json",
              "--explain", "--facts", "--facts=d", "d", "", "--", "-h", "--lim"]  # fmt: skip
    chance = random.Random(16)
    for _ in range(3000):
        words = [chance.choice(pieces) for _ in range(chance.randint(0, 6))]
        if chance.random() < 0.7:
            words.insert(chance.randint(0, len(words)), "search")
        mine = read(words)
        if mine is not None:
            assert mine == parsed(words), words


def test_search_is_named_after_leading_facts_options_only() -> None:
    assert names_search(["--facts", "d", "--facts=e", "search"])
    assert not names_search(["--factsd", "search"])
    assert not names_search(["--version", "search"])
