"""Export a collection of facts to a file: Markdown, BibTeX, CSL-JSON, RIS, CSV or JSON.

Writes are atomic: the text goes to a temporary file in the same folder, is
flushed to disk, and replaces the target in one step, so a crash or a kill
leaves either the old file or the new one, never half of one. An existing
file keeps its mode. Only regular files are written: a folder, a device, a
FIFO or a socket (also behind a symlink) is refused, as is anything inside the
fact base; a symlink to a regular file stays a link, and its target is
written. Every refusal is one line naming the path, printable whatever the
name holds (see `shown`).
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import secrets
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from explorer.choices import FORMATS as FORMATS
from explorer.cite import bibliography
from explorer.citeformats import locate
from explorer.model import Fact, FactBase
from explorer.paths import shown

CSV_COLUMNS = (
    "id", "kind", "claim", "quote", "source", "author", "title", "published", "url", "chapter",
    "chapter_title", "section", "page", "as_printed", "value", "upper", "unit", "qualifier",
    "period", "metric", "scope", "assurance", "status", "actual", "series", "tags", "gri", "notes",
)  # fmt: skip
"""The columns of a CSV export, in order."""


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_TEMP_NAME_BYTES = 200
"""The most of the target's name a temporary file's name carries (names stop at 255 bytes)."""


class ExportError(Exception):
    """An export that cannot or must not be written; the message says why, in one line."""


def export(base: FactBase, facts: Iterable[Fact], fmt: str, path: str | os.PathLike[str]) -> Path:
    """Write ``facts`` to ``path`` in format ``fmt``, atomically.

    Only a regular file is written: a new one, or an existing one replaced in
    one step. A symlink is followed and the file it points to is written (as
    editors do), so the link stays a link.

    Args:
        base: The base the facts come from.
        facts: The facts, in the order to write them.
        fmt: One of `FORMATS`.
        path: The file to write (created or replaced). A name ending in ``/``
            names a folder and is refused; the command line's ``-`` (standard
            output) is not a path here, and `render` gives the text for it.

    Returns:
        The absolute path written.

    Raises:
        ExportError: For an unknown format, a path inside the fact base or
            over one of its files, a target that is a folder, a device, a FIFO
            or a socket, a missing folder (or a file where a folder should
            be), a read-only file, or a failed write.
    """
    data = render(base, facts, fmt).encode("utf-8")
    target = _safe_target(base, path)
    try:
        write_atomic(target, data)
    except OSError as err:
        raise ExportError(f"cannot write {shown(target)}: {_reason(err)}") from err
    return target


def render(base: FactBase, facts: Iterable[Fact], fmt: str) -> str:
    """Return the text an export of ``facts`` in ``fmt`` holds (repeated facts once).

    Raises:
        ExportError: For an unknown format.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    unique = list({fact.id: fact for fact in facts}.values())
    return _RENDER[fmt](base, unique)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step, keeping an existing file's mode.

    Raises:
        OSError: When the folder cannot be written, or ``path`` has become
            something other than a regular file; the old file is then untouched.
    """
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    while True:
        temp = path.with_name(f".{_short(path.name)}.{secrets.token_hex(4)}.tmp")
        try:  # 0o666 less the umask, as open() would give a new file
            fd = os.open(temp, _NEW_FILE, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        if _kind(path) not in ("", "a regular file"):  # it changed while we wrote: leave it
            raise OSError(errno.EEXIST, f"it is now {_kind(path)}")
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _short(name: str) -> str:
    """The start of ``name`` that fits a temporary file's name."""
    while len(os.fsencode(name)) > _TEMP_NAME_BYTES:
        name = name[:-1]
    return name


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable, where the system allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _safe_target(base: FactBase, path: str | os.PathLike[str]) -> Path:
    """Return the real path to write, or raise `ExportError` saying why it must not be."""
    from explorer.paths import bundled_facts_dir

    raw = os.fspath(path)
    if not raw:
        raise ExportError("cannot write to an empty path; name a file")
    if "\0" in raw:
        raise ExportError(f"cannot write {shown(raw)}: a file name cannot hold a NUL character")
    try:
        os.fsencode(raw)
    except UnicodeError:
        raise ExportError(f"cannot write {shown(raw)}: the name cannot be a file's name") from None
    if raw.endswith(tuple(sep for sep in (os.sep, os.altsep) if sep)):
        raise ExportError(f"cannot write {shown(raw)}: a name ending in '/' names a folder")
    given = Path(raw)
    try:  # through symlinks: the file really written
        given = given.expanduser()
        target = given.resolve()
    except (OSError, RuntimeError) as err:  # a symlink loop; an unknown ~user
        loop = "loop" in str(err).lower() or getattr(err, "errno", None) == errno.ELOOP
        why = "it is a loop of symbolic links" if loop else _reason(err)
        raise ExportError(f"cannot write {shown(raw)}: {why}") from None
    bundled = Path(bundled_facts_dir()).resolve()
    for root in {Path(base.root).resolve() if base.root else None, bundled}:
        if root is not None and target.is_relative_to(root):
            raise ExportError(
                f"refusing to write {shown(target)}: it is inside the fact base {shown(root)}"
            )
    name = shown(target)
    if os.path.islink(given):
        name = f"{shown(given)} (a link to {shown(target)})"
    kind = _kind(target)
    if kind == "":
        _check_folder(target, name)
    elif kind != "a regular file":
        what = "a folder" if kind == "a folder" else f"{kind}, not a regular file"
        raise ExportError(f"cannot write {name}: it is {what}")
    elif _is_fact_file(base, target):
        raise ExportError(f"refusing to write {name}: it is a file of the fact base")
    elif not os.access(target, os.W_OK):
        raise ExportError(f"cannot write {name}: the file is read-only (permission denied)")
    return target


def _kind(path: Path) -> str:
    """What ``path`` is, in words (``""`` when nothing is there); raises `ExportError`."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return ""
    except OSError as err:
        raise ExportError(f"cannot write {shown(path)}: {_reason(err)}") from None
    mode = info.st_mode
    kinds = ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a folder"),
             (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
             (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))  # fmt: skip
    return next((what for test, what in kinds if test(mode)), "not a file or a folder")


def _check_folder(target: Path, name: str) -> None:
    """Raise `ExportError` unless the folder a new file ``target`` goes in can take it."""
    folder = target.parent
    above = next((p for p in (folder, *folder.parents) if os.path.lexists(p)), folder)
    if not above.is_dir():
        raise ExportError(f"cannot write {name}: {shown(above)} is a file, not a folder")
    if above != folder:
        raise ExportError(f"cannot write {name}: no folder {shown(folder)}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {name}: no permission to create a file in {shown(folder)}")


def _reason(err: Exception) -> str:
    """An error in words, without the path an OSError repeats."""
    return str(getattr(err, "strerror", None) or err).rstrip(".")


def _is_fact_file(base: FactBase, target: Path) -> bool:
    """True when ``target`` is (a hard link to) one of the fact base's files."""
    if not base.root:
        return False
    wanted = target.stat()
    for file in Path(base.root).rglob("*"):
        try:
            found = file.stat()
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (wanted.st_dev, wanted.st_ino):
            return True
    return False


# ------------------------------------------------------------------ renderers


def _csv(base: FactBase, facts: list[Fact]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for fact in facts:
        writer.writerow([_cell(value) for value in _row(base, fact)])
    return out.getvalue()


def _row(base: FactBase, fact: Fact) -> list[Any]:
    source, where = base.source_of(fact), locate(base, fact)
    series = json.dumps(dict(fact.series), ensure_ascii=False) if fact.series else ""
    return [
        fact.id, fact.kind, fact.claim, " ".join(fact.quote.split()), fact.source, source.author,
        source.title, source.published, source.url, where.chapter, base.chapter_of(fact).title,
        fact.section, fact.page, fact.as_printed, fact.value, fact.upper, fact.unit, fact.qualifier,
        fact.period, fact.metric, fact.scope, fact.assurance, fact.status, fact.actual, series,
        "; ".join(fact.tags), "; ".join(fact.gri), fact.notes,
    ]  # fmt: skip


def _cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _json(base: FactBase, facts: list[Fact]) -> str:
    used = list(dict.fromkeys(f.source for f in facts))
    sources = [_source_dict(base, sid) for sid in used]
    rows = [{**f.to_dict(), "chapter_title": base.chapter_of(f).title} for f in facts]
    return json.dumps({"sources": sources, "facts": rows}, ensure_ascii=False, indent=2) + "\n"


def _source_dict(base: FactBase, source_id: str) -> dict[str, str]:
    s = base.sources[source_id]
    fields = ("id", "title", "kind", "author", "publisher", "published", "period", "url", "sha256")
    return {name: getattr(s, name) for name in fields}


def _styled(style: str) -> Callable[[FactBase, list[Fact]], str]:
    return lambda base, facts: bibliography(base, facts, style) + "\n"


_RENDER: dict[str, Callable[[FactBase, list[Fact]], str]] = {
    "markdown": _styled("markdown"),
    "bibtex": _styled("bibtex"),
    "csl-json": _styled("csl-json"),
    "ris": _styled("ris"),
    "csv": _csv,
    "json": _json,
}
