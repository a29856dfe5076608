"""Where things live: the bundled fact base, its schema, the user's folders.

Paths here are text, spelled as `pathlib` spells them (`normal`, `join`):
a warm ``fact-explorer search`` goes through this module, the cache and the
folder walk, and importing `pathlib` (with `urllib.parse` and `ipaddress`)
costs it ~4 ms, a tenth of the whole process. A ``str`` is what `open`,
`os.stat` and `pathlib.Path` itself all take.
"""

from __future__ import annotations

import os
import sys

ENV_FACTS = "FACT_EXPLORER_FACTS"
"""Environment variable naming a fact base folder."""

_POSIX = os.name == "posix"

Name = str | os.PathLike[str]
"""A file or folder's name as this module's functions take it: text or a `pathlib.Path`."""


def normal(path: Name) -> str:
    """``str(Path(path))``: repeated separators and ``.`` parts dropped, no trailing separator.

    The same text as `pathlib` makes, so that a name is spelled one way in
    messages, in the cache's keys and in a base's ``root`` whichever made it
    (``tests/unit/test_paths.py`` compares the two).
    """
    text = os.fspath(path)
    if not _POSIX:
        from pathlib import Path

        return str(Path(text))
    root = "//" if text.startswith("//") and not text.startswith("///") else "/" * (text[:1] == "/")
    parts = [part for part in text.split("/") if part and part != "."]
    return root + "/".join(parts) if root or parts else "."


def join(folder: Name, name: str) -> str:
    """``str(Path(folder) / name)`` for a `normal` ``folder`` and a ``name`` of one part."""
    folder = os.fspath(folder)
    if not _POSIX:
        return os.path.join(folder, name)
    if folder == ".":
        return name
    return folder + name if folder.endswith("/") else folder + "/" + name


def parent(path: Name) -> str:
    """``str(Path(path).parent)`` for a `normal` ``path``: its folder, ``.`` for a bare name."""
    return os.path.dirname(path) or "."


def expand(path: str) -> str:
    """``path`` with a leading ``~`` or ``~user`` made the home folder, `normal`.

    Unlike ``Path.expanduser``, a user that does not exist (or no home to be
    found) leaves the name as it is, to be said not found, rather than raising.
    """
    return normal(os.path.expanduser(path))


_PACKAGE = os.path.dirname(os.path.realpath(__file__))


def bundled_facts_dir() -> str:
    """Return the fact base that ships with the package.

    A wheel carries it inside the package (``explorer/facts``); a clone, or an
    editable install of one, has it beside the package (``../facts``).
    """
    inside = join(_PACKAGE, "facts")
    return inside if os.path.isdir(inside) else join(os.path.dirname(_PACKAGE), "facts")


def default_facts_dir() -> str:
    """Return ``$FACT_EXPLORER_FACTS`` when set, else the bundled base."""
    chosen = os.environ.get(ENV_FACTS)
    return expand(chosen) if chosen else bundled_facts_dir()


def schema_path() -> str:
    """Return the JSON Schema every fact file is validated against (the bundled one)."""
    return join(bundled_facts_dir(), "schema.json")


_XDG = {"cache": ("XDG_CACHE_HOME", "~/.cache"), "config": ("XDG_CONFIG_HOME", "~/.config"),
        "data": ("XDG_DATA_HOME", "~/.local/share")}  # fmt: skip
"""Each folder's XDG variable and its default, for `user_dir` on Linux."""

APP = "fact-explorer"
"""The explorer's name in the user's folders."""


def user_dir(kind: str) -> str:
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
            return join(normal(chosen), APP)
        if not chosen and os.path.isabs(os.environ.get("HOME", "")):
            return join(expand(default), APP)
    import platformdirs

    finder = {
        "cache": platformdirs.user_cache_dir,
        "config": platformdirs.user_config_dir,
        "data": platformdirs.user_data_dir,
    }[kind]
    return normal(finder(APP, appauthor=False))


def shown(path: Name) -> str:
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
