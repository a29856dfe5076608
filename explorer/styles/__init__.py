"""The CSL styles the explorer can cite in: the bundled ones, the user's, any ``.csl`` file.

The bundled files beside this module are official styles of the Citation Style
Language project (https://citationstyles.org/), unchanged, under CC BY-SA 3.0
(see ``LICENSE`` here). A user adds a style by saving its ``.csl`` file in
`user_styles_dir` (``styles`` in the explorer's config folder): its file name,
without ``.csl``, is its id, and a user's file overrides a bundled one of the
same id. A dependent style (one that only names an ``independent-parent``) is
rendered with its parent, found the same way or beside it.

Only file names and the ``<info>`` head of each file are read here: nothing
imports citeproc-py or lxml until a citation is rendered (`explorer.csl`).
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from explorer.paths import shown

BUNDLED_DIR = Path(__file__).resolve().parent
"""Where the bundled ``.csl`` files are."""

PREFIX = "csl:"
"""Names a CSL style by id where a hand-written style has the same name (``csl:apa``)."""

ALIASES = {"vancouver": "nlm-citation-sequence", "harvard1": "harvard-cite-them-right"}
"""Ids the CSL repository renamed (its ``renamed-styles.json``), to the style they became."""

SHORT_TITLES = {
    "apa": "APA 7", "chicago-author-date": "Chicago 18",
    "harvard-cite-them-right": "Harvard", "ieee": "IEEE",
    "modern-language-association": "MLA 9", "nature": "Nature",
    "nlm-citation-sequence": "Vancouver",
}  # fmt: skip
"""Short names of the bundled styles, for a narrow list (their own titles run long)."""

MAX_STYLE_BYTES = 4 << 20
"""A ``.csl`` file larger than this is refused (the largest official one is under 200 KB)."""

_HEAD_BYTES = 64 << 10
_CSL_NS = "http://purl.org/net/xbiblio/csl"
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


class StyleError(ValueError):
    """A CSL style that cannot be found or used; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class CslStyle:
    """A CSL style: its id, its title and the file to render with."""

    id: str
    """The file name without ``.csl`` (``ieee``)."""
    title: str
    """The style's own title (``IEEE Reference Guide version 11.29.2023``)."""
    path: Path
    """The ``.csl`` file to render with: the style's own, or its independent parent's."""
    origin: str
    """``bundled``, ``user`` (the user's styles folder) or ``file`` (a path given)."""


def user_styles_dir() -> Path:
    """Return the folder the user's own ``.csl`` files go in: ``styles`` in the config folder."""
    from explorer.paths import user_dir

    return Path(user_dir("config")) / "styles"


def looks_like_path(name: str) -> bool:
    """Return True when a style name is a path to a file rather than an id."""
    return name.endswith(".csl") or "/" in name or os.sep in name or name.startswith("~")


def available() -> list[CslStyle]:
    """Return every style found by id: the user's, then the bundled ones not overridden."""
    found: dict[str, CslStyle] = {}
    for folder, origin in ((_user_dir_or_none(), "user"), (BUNDLED_DIR, "bundled")):
        if folder is None:
            continue
        try:
            files = sorted(folder.glob("*.csl"))
        except OSError:
            continue
        for path in files:
            if path.stem not in found and _ID.fullmatch(path.stem):
                try:
                    found[path.stem] = _load(path, origin)
                except StyleError:
                    continue  # a broken file in the folder hides no other style
    return sorted(found.values(), key=lambda s: (s.origin != "user", s.id))


def find(name: str, *, relative_to: Path | None = None) -> CslStyle:
    """Return the CSL style a name gives: an id (``ieee``, ``csl:apa``) or a ``.csl`` path.

    Args:
        name: An id of a bundled or user style (an old id the CSL project renamed
            works too), ``csl:`` and an id, or a path to a ``.csl`` file (``~``
            expanded).
        relative_to: The folder a relative path is read from (default: the
            current one); the config passes its own folder.

    Raises:
        StyleError: No such style, or a file that is not a usable CSL style.
    """
    ident = name.removeprefix(PREFIX)
    if looks_like_path(ident):
        try:
            path = Path(ident).expanduser()
        except RuntimeError as err:  # ~someone who is not a user here
            raise StyleError(f"{shown(ident)}: {err}") from None
        if not path.is_absolute() and relative_to is not None:
            path = relative_to / path
        return _load(path.absolute(), "file")
    ident = ALIASES.get(ident, ident)
    where = _file_of(ident)
    if where is None:
        raise StyleError(f"no CSL style {shown(ident)!r}")
    return _load(*where)


def _file_of(ident: str) -> tuple[Path, str] | None:
    """The file and origin of a style id: the user's folder first, then the bundled one."""
    if _ID.fullmatch(ident):
        for folder, origin in ((_user_dir_or_none(), "user"), (BUNDLED_DIR, "bundled")):
            if folder is not None and _is_file(folder / f"{ident}.csl"):
                return folder / f"{ident}.csl", origin
    return None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long, a NUL
        return False


def _user_dir_or_none() -> Path | None:
    try:
        return user_styles_dir()
    except Exception:  # no home folder: the bundled styles still work
        return None


def _load(path: Path, origin: str, depth: int = 0) -> CslStyle:
    """Read a style's title and, for a dependent style, find its independent parent."""
    title, parent = read_info(path)
    if parent is None:
        return CslStyle(path.stem, title, path, origin)
    try:
        if depth > 2:  # an independent parent is independent: a chain this long is a loop
            raise StyleError(f"{parent!r} is not an independent style")
        beside = path.parent / f"{parent}.csl"
        where = (beside, origin) if _is_file(beside) else _file_of(ALIASES.get(parent, parent))
        if where is None:
            raise StyleError("no such style")
        found = _load(*where, depth=depth + 1)
    except StyleError as err:
        raise StyleError(
            f"{shown(path)} is a dependent style of {parent!r}, which is not found ({err}); "
            f"save {parent}.csl beside it or in {_user_dir_or_none()}"
        ) from None
    return CslStyle(path.stem, title, found.path, origin)


def read_info(path: Path) -> tuple[str, str | None]:
    """Return a ``.csl`` file's title and its independent parent's id (None if it has none).

    Raises:
        StyleError: The file cannot be read, is too large, or is not a CSL style.
    """
    try:
        if not path.is_file():
            what = "no such file" if not path.exists() else "not a regular file"
            raise StyleError(f"{shown(path)}: {what}")
        if path.stat().st_size > MAX_STYLE_BYTES:
            raise StyleError(
                f"{shown(path)}: larger than {MAX_STYLE_BYTES >> 20} MB, not a CSL style"
            )
        with path.open("rb") as handle:  # the <info> head alone: a few KB
            chunks = [handle.read(4096)]
            while chunks[-1] and b"</info>" not in b"".join(chunks[-2:]):
                if sum(map(len, chunks)) >= _HEAD_BYTES:
                    break
                chunks.append(handle.read(4096))
        head = b"".join(chunks).decode("utf-8", "replace")
    except StyleError:
        raise
    except OSError as err:
        raise StyleError(f"{shown(path)}: cannot be read ({err.strerror or err})") from None
    except ValueError:  # a NUL in the name
        raise StyleError(f"{shown(path)}: not a file name (it holds a NUL)") from None
    if not re.search(r"<style\b[^>]*" + re.escape(_CSL_NS), head):
        raise StyleError(
            f"{shown(path)}: not a CSL style (no <style> element in the CSL namespace)"
        )
    found = re.search(r"<title>(.*?)</title>", head, re.S)
    title = " ".join(html.unescape(found.group(1)).split()) if found else path.stem
    parent = re.search(r'<link\b[^>]*\brel="independent-parent"[^>]*>', head)
    if parent is None:
        return title, None
    href = re.search(r'\bhref="([^"]+)"', parent.group(0))
    return title, href.group(1).rstrip("/").rsplit("/", 1)[-1] if href else None
