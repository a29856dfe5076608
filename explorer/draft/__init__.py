"""A report (PDF or text) -> a drafted fact base whose every candidate is proven.

`draft` reads the report, keeps its extracted text beside the facts
(``DIR/sources/ID.txt``, its sha256 and the PDF's in ``sources.yaml``), finds
chapters and sections, and writes a candidate fact for each sentence or table
row holding a figure, marked ``review: "pending"``. Nothing here imports Textual.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.draft.extract import ExtractError, Report

__all__ = ["DraftError", "DraftResult", "draft", "read_report"]

MAX_BYTES = 2 << 30
"""The largest report read (2 GiB): past it, a file is refused unread."""


class DraftError(Exception):
    """A report that cannot be drafted, or a folder it cannot go into; the message says why."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class DraftResult:
    """What a draft did."""

    source_id: str
    pages: int = 0
    candidates: int = 0
    """Candidates found in the report."""
    added: int = 0
    """Candidates written (a second run adds none it wrote before)."""
    chapters: int = 0
    structure: str = ""
    """Where the chapters came from: ``outline``, ``headings`` or ``pages``."""
    new_source: bool = True
    others: list[str] = field(default_factory=list)
    """The ids of the other sources the folder already held."""
    missing: list[str] = field(default_factory=list)
    """Metadata neither the PDF nor the options gave (``author``), to fill in."""
    text_file: str = ""
    unread: list[str] = field(default_factory=list)
    """Pages that could not be read ("page 7: ..."): drafted without them."""


def read_report(path: Path, progress: Callable[[int, int], None] | None = None) -> Report:
    """Read a PDF or a text file into pages of blocks.

    Raises:
        DraftError: Not a regular file, not a PDF nor UTF-8 text, encrypted,
            corrupt or truncated, or with no text layer.
    """
    from explorer.draft.extract import read_pdf, read_text
    from explorer.files import NotReadable, kind_of

    try:
        info = path.stat()
    except OSError as err:
        raise DraftError(f"{_shown(path)}: {(err.strerror or str(err)).lower()}", 2) from err
    kind = kind_of(info.st_mode)
    if kind:
        raise DraftError(f"{_shown(path)}: {kind}, not a report file", 2)
    if info.st_size > MAX_BYTES:
        raise DraftError(f"{_shown(path)}: {info.st_size:,} bytes, more than {MAX_BYTES:,}")
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
            handle.seek(max(0, info.st_size - 4096))
            tail = handle.read()
    except (OSError, NotReadable) as err:
        raise DraftError(f"{_shown(path)}: cannot read: {err}") from err
    try:
        if b"%PDF-" in head:
            if b"%%EOF" not in tail:
                raise ExtractError(
                    "looks truncated: a PDF ends with %%EOF and this one does not; "
                    "download it again"
                )
            report = read_pdf(path, progress)
        elif path.suffix.lower() == ".pdf" or b"\0" in head:
            what = "empty" if not head else f"starts with {head[:8]!r}"
            raise ExtractError(f"is not a PDF (a PDF starts with %PDF-; this file {what})")
        else:
            report = read_text(path, path.read_bytes())
    except ExtractError as err:
        raise DraftError(f"{_shown(path)} {err}") from err
    if not any(page.blocks for page in report.pages) and report.unread:
        raise DraftError(
            f"{_shown(path)}: none of its pages could be read (corrupt?): {report.unread[0]}"
        )
    if not any(page.blocks for page in report.pages):
        raise DraftError(
            f"{_shown(path)} has no text layer on any of its {len(report.pages)} pages "
            "(a scan?): run OCR first, e.g. `ocrmypdf in.pdf out.pdf`, then draft out.pdf"
        )
    return report


def draft(
    path: Path,
    into: Path,
    *,
    source_id: str | None = None,
    title: str | None = None,
    author: str | None = None,
    published: str | None = None,
    url: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DraftResult:
    """Draft ``path`` into the fact base folder ``into`` (made when missing).

    Args:
        path: A PDF, or a UTF-8 text file (pages split at form feeds).
        into: The fact base folder: new, empty, or a base to add the source to.
        source_id: The source's id (default: from the title or the file's name).
        title, author, published: Used where the PDF's metadata has none.
        url: Where the report can be found.
        progress: Called with (pages read, pages) as the PDF is read.

    Raises:
        DraftError: With a message for the user and an exit code.
    """
    from explorer.draft.base import existing_base, write_draft
    from explorer.draft.build import build

    existing = existing_base(into)
    report = read_report(path, progress)
    pdf_sha = _sha256(path) if _is_pdf(path) else ""
    meta = _metadata(report, path, title, author, published)
    sid = source_id or _reuse(existing, pdf_sha) or _slug(meta["title"] or path.stem)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", sid):
        raise DraftError(
            f"--id {sid!r}: an id is lowercase letters and digits joined by hyphens", 2
        )
    drafted = build(report, sid)
    if not drafted.facts:
        raise DraftError(
            f"{_shown(path)}: no figures found in its {len(report.pages)} pages, so there is "
            "nothing to draft (a figure is a number a reader could cite; see the README)"
        )
    meta["url"] = url or ""  # none rather than a made-up one: citations leave it out
    if not url:
        meta["missing"].append("url (pass --url)")
    try:
        result = write_draft(into, existing, sid, meta, drafted, pdf_sha, path.name)
    except OSError as err:
        why = (err.strerror or str(err)).lower()
        raise DraftError(f"cannot write into {_shown(into)}: {why}; nothing was written") from err
    result.pages = len(report.pages)
    result.unread = report.unread
    return result


def _is_pdf(path: Path) -> bool:
    with open(path, "rb") as handle:
        return b"%PDF-" in handle.read(1024)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _reuse(existing: Any, pdf_sha: str) -> str:
    """The id of a source of the base drafted from this very PDF, or ""."""
    if existing is None or not pdf_sha:
        return ""
    return next((s.id for s in existing.sources.values() if s.pdf_sha256 == pdf_sha), "")


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48].strip("-")
    return slug or "report"


def _metadata(
    report: Report, path: Path, title: str | None, author: str | None, published: str | None
) -> dict[str, Any]:
    """Title, author and date: the options' where given, else the PDF's, else a stand-in.

    An option the user typed wins over the PDF's metadata (often a template's
    leftovers); what neither gives is named in ``missing`` for the message.
    """
    missing: list[str] = []
    chosen_title = title or report.title or ""
    if not chosen_title:
        chosen_title = " ".join(re.sub(r"[-_]+", " ", path.stem).split()).title() or "Report"
        missing.append("title (pass --title)")
    chosen_author = author or report.author or ""
    if not chosen_author:
        chosen_author = "Unknown"
        missing.append("author (pass --author)")
    date = published or report.published or ""
    if published and not re.fullmatch(r"\d{4}(-\d{2})?", published):
        raise DraftError(f"--published {published!r}: give YYYY or YYYY-MM", 2)
    if not date:
        years = re.findall(r"\b(?:19|20)\d{2}\b", chosen_title)
        date = years[-1] if years else "1970"
        missing.append("published (pass --published YYYY-MM)")
    years = re.findall(r"\b(?:19|20)\d{2}\b", chosen_title)
    return {"title": chosen_title, "author": chosen_author, "published": date,
            "period": years[-1] if years else date[:4], "missing": missing}  # fmt: skip


def _shown(path: Path) -> str:
    from explorer.paths import shown

    return shown(path)
