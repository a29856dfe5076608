"""Where things live: the bundled fact base, its schema, the user's folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_FACTS = "FACT_EXPLORER_FACTS"
"""Environment variable naming a fact base folder."""

_PACKAGE = Path(__file__).resolve().parent


def bundled_facts_dir() -> Path:
    """Return the fact base that ships with the package.

    A wheel carries it inside the package (``explorer/facts``); a clone, or an
    editable install of one, has it beside the package (``../facts``).
    """
    inside = _PACKAGE / "facts"
    return inside if inside.is_dir() else _PACKAGE.parent / "facts"


def default_facts_dir() -> Path:
    """Return ``$FACT_EXPLORER_FACTS`` when set, else the bundled base."""
    chosen = os.environ.get(ENV_FACTS)
    return Path(chosen).expanduser() if chosen else bundled_facts_dir()


def schema_path() -> Path:
    """Return the JSON Schema every fact file is validated against (the bundled one)."""
    return bundled_facts_dir() / "schema.json"


_XDG = {"cache": ("XDG_CACHE_HOME", "~/.cache"), "config": ("XDG_CONFIG_HOME", "~/.config"),
        "data": ("XDG_DATA_HOME", "~/.local/share")}  # fmt: skip
"""Each folder's XDG variable and its default, for `user_dir` on Linux."""

APP = "fact-explorer"
"""The explorer's name in the user's folders."""


def user_dir(kind: str) -> Path:
    """Return the user's cache, config or data folder for the explorer (platformdirs' answer).

    On Linux the usual cases are worked out here, as platformdirs works them
    out: its import costs a warm search ~10 ms (it brings tempfile, shutil,
    bz2 and lzma). Anything else is asked of platformdirs.

    Args:
        kind: ``cache``, ``config`` or ``data``.
    """
    variable, default = _XDG[kind]
    if sys.platform.startswith("linux"):
        chosen = os.environ.get(variable, "")
        if os.path.isabs(chosen):
            return Path(os.path.join(chosen, APP))
        if not chosen and os.path.isabs(os.environ.get("HOME", "")):
            return Path(os.path.join(os.path.expanduser(default), APP))
    import platformdirs

    finder = {
        "cache": platformdirs.user_cache_dir,
        "config": platformdirs.user_config_dir,
        "data": platformdirs.user_data_dir,
    }[kind]
    return Path(finder(APP, appauthor=False))


def shown(path: str | os.PathLike[str]) -> str:
    """Return a path (or any text) as one printable line, for messages.

    Bytes that are not UTF-8 (kept by ``os.fsdecode`` as surrogates) show as
    ``\\xff``; newlines, other control and invisible characters as escapes.
    """
    text = os.fspath(path)
    try:
        text = os.fsencode(text).decode("utf-8", "backslashreplace")
    except UnicodeError:  # a lone surrogate no file system name can hold
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
