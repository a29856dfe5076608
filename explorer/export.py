"""Export a collection of facts to a file: Markdown, BibTeX, CSL-JSON, RIS, CSV or JSON.

Writes are atomic: the text goes to a temporary file in the same folder, is
flushed to disk, and replaces the target in one step, so a crash or a kill
leaves either the old file or the new one, never half of one. An existing
file keeps its mode. Nothing is ever written inside the fact base.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from explorer.cite import bibliography
from explorer.citeformats import locate
from explorer.model import Fact, FactBase

FORMATS: Mapping[str, str] = MappingProxyType(
    {
        "markdown": "Markdown bibliography (.md)",
        "bibtex": "BibTeX (.bib)",
        "csl-json": "CSL-JSON (.json)",
        "ris": "RIS (.ris)",
        "csv": "CSV, one row per fact (.csv)",
        "json": "JSON, every field of every fact (.json)",
    }
)
"""Every export format: its name (for ``--format``) to a label."""

CSV_COLUMNS = (
    "id", "kind", "claim", "quote", "source", "author", "title", "published", "url", "chapter",
    "chapter_title", "section", "page", "as_printed", "value", "unit", "qualifier", "period",
    "metric", "scope", "assurance", "status", "actual", "series", "tags", "gri", "notes",
)  # fmt: skip
"""The columns of a CSV export, in order."""


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


class ExportError(Exception):
    """An export that cannot or must not be written; the message says why, in one line."""


def export(base: FactBase, facts: Iterable[Fact], fmt: str, path: str | os.PathLike[str]) -> Path:
    """Write ``facts`` to ``path`` in format ``fmt``, atomically.

    Args:
        base: The base the facts come from.
        facts: The facts, in the order to write them.
        fmt: One of `FORMATS`.
        path: The file to write (created or replaced).

    Returns:
        The absolute path written.

    Raises:
        ExportError: For an unknown format, a path inside the fact base or
            over one of its files, a missing folder, or a failed write.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    target = _safe_target(base, Path(path))
    unique = list({fact.id: fact for fact in facts}.values())
    text = _RENDER[fmt](base, unique)
    try:
        write_atomic(target, text.encode("utf-8"))
    except OSError as err:
        raise ExportError(f"cannot write {target}: {err.strerror or err}") from err
    return target


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step, keeping an existing file's mode.

    Raises:
        OSError: When the folder cannot be written; the old file is then untouched.
    """
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    while True:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
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
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


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


def _safe_target(base: FactBase, path: Path) -> Path:
    """Return the real path to write, or raise if it is in the fact base or not writable."""
    from explorer.paths import bundled_facts_dir

    target = path.expanduser().resolve()  # through symlinks: the file really written
    for root in {Path(base.root).resolve() if base.root else None, bundled_facts_dir().resolve()}:
        if root is not None and target.is_relative_to(root):
            raise ExportError(f"refusing to write {target}: it is inside the fact base {root}")
    if target.exists():
        if target.is_dir():
            raise ExportError(f"cannot write {target}: it is a folder")
        if _is_fact_file(base, target):
            raise ExportError(f"refusing to write {target}: it is a file of the fact base")
    if not target.parent.is_dir():
        raise ExportError(f"cannot write {target}: no folder {target.parent}")
    return target


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
        fact.section, fact.page, fact.as_printed, fact.value, fact.unit, fact.qualifier,
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
