"""The command line of a plain search, read without argparse.

``fact-explorer search WORDS [--limit N] [--json] [--explain] [--facts DIR]``
is what scripts run most, and building argparse's parser for every command
(with the help formatter it imports) costs a warm search more than its
search. `read` takes the lines whose meaning is plain and returns what
argparse would make of them; any other line (help, ``--``, an abbreviation, a
value argparse would refuse, words on both sides of an option) gives None, and
`explorer.cli` parses it with argparse, whose messages stay the only ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from explorer.paths import normal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFAULT_LIMIT = 20
"""``--limit`` when not given (the same as the parser's)."""


def names_search(words: Sequence[str]) -> bool:
    """True when ``words`` name the ``search`` command, with no more than ``--facts`` before it."""
    return _command_at(words, {}) is not None


def read(words: Sequence[str]) -> dict[str, Any] | None:
    """What argparse would parse ``words`` into, for a plain search line; else None.

    Args:
        words: The command line after the program's name.

    Returns:
        The parsed options (``facts``, ``command``, ``query``, ``limit``, ``json``,
        ``explain``), or None when the line is not one this reads (argparse then
        parses it, and says what is wrong, if anything is).
    """
    out: dict[str, Any] = {"facts": None, "command": "search", "query": [],
                           "limit": DEFAULT_LIMIT, "json": False, "explain": False}  # fmt: skip
    at = _command_at(words, out)
    if at is None:
        return None
    at += 1
    run = "before"  # the query's words are one run: argparse takes no second
    while at < len(words):
        word = words[at]
        if not word.startswith("-"):
            if run == "after":
                return None
            run = "in"
            out["query"].append(word)
            at += 1
            continue
        run = "after" if run == "in" else run
        if word in ("--json", "--explain"):
            out[word[2:]] = True
            at += 1
        elif word == "--limit" or word.startswith("--limit="):
            value, at = _value(words, at, "--limit")
            limit = _positive(value)
            if limit is None:
                return None
            out["limit"] = limit
        elif word == "--facts" or word.startswith("--facts="):
            value, at = _value(words, at, "--facts")
            if not value:
                return None
            out["facts"] = normal(value)
        else:
            return None
    return out if out["query"] else None


def _command_at(words: Sequence[str], out: dict[str, Any]) -> int | None:
    """Where ``search`` stands after leading ``--facts`` options (kept in ``out``), or None."""
    at = 0
    while at < len(words) and words[at] != "search":
        if not (words[at] == "--facts" or words[at].startswith("--facts=")):
            return None
        value, at = _value(words, at, "--facts")
        if not value:
            return None
        out["facts"] = normal(value)
    return at if at < len(words) else None


def _value(words: Sequence[str], at: int, flag: str) -> tuple[str, int]:
    """The value of the option at ``at`` and where the next word is; ``""`` when it has none.

    A value that starts with ``-`` after a space is none: argparse reads it as an option.
    """
    if words[at] != flag:
        return words[at][len(flag) + 1 :], at + 1
    if at + 1 < len(words) and not words[at + 1].startswith("-"):
        return words[at + 1], at + 2
    return "", at + 1


def _positive(text: str) -> int | None:
    """``text`` as `explorer.cli.positive_int` reads it, or None where it refuses it."""
    try:
        number = int(text)
    except ValueError:
        return None
    return number if number >= 1 else None
