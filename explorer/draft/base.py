"""The folder a draft goes into: checked before anything is read, written after.

A new or empty folder becomes a base; a base gains the source beside the ones
it has. A folder inside the bundled base, or one holding files but no base, is
refused. A second run over the same report adds only what is not there yet.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from explorer.draft import DraftError, DraftResult
from explorer.draft.build import Drafted
from explorer.draft.write import (
    CHAPTER_ORDER,
    SOURCE_ORDER,
    Transaction,
    fact_item,
    mapping_item,
    q,
)
from explorer.model import FactBase


def existing_base(into: Path) -> FactBase | None:
    """The base already in ``into``, or None for a new or empty folder.

    Raises:
        DraftError: ``into`` is inside the bundled base, is a file, holds files
            but no base, or holds a base with problems.
    """
    from explorer.loader import load_factbase
    from explorer.paths import bundled_facts_dir, shown

    bundled = Path(bundled_facts_dir()).resolve()
    target = into.resolve()
    if target == bundled or bundled in target.parents:
        raise DraftError(
            f"--into {shown(into)} is inside the bundled fact base {shown(bundled)}, which only "
            "curators change; choose a folder of your own, e.g. --into ~/facts/my-report",
            2,
        )
    if into.exists() and not into.is_dir():
        raise DraftError(f"--into {shown(into)} is a file, not a folder", 2)
    if not into.exists() or not any(into.iterdir()):
        return None
    if not (into / "sources.yaml").exists():
        raise DraftError(
            f"--into {shown(into)} holds files but no fact base (no sources.yaml); choose a new "
            "or empty folder, or a base made by fact-explorer draft",
            2,
        )
    base, problems = load_factbase(into)
    if problems or base is None:
        first = "; ".join(str(p) for p in problems[:3])
        raise DraftError(
            f"--into {shown(into)} holds a fact base with {len(problems)} problems, so nothing "
            f"is added to it; fix them first (fact-explorer check --facts DIR): {first}"
        )
    return base


def write_draft(
    into: Path,
    existing: FactBase | None,
    sid: str,
    meta: dict[str, Any],
    drafted: Drafted,
    pdf_sha: str,
    file_name: str,
) -> DraftResult:
    """Write the draft into ``into``, checking the result; undo everything when it fails."""
    from explorer.check import check

    text_sha = hashlib.sha256(drafted.text.encode("utf-8")).hexdigest()
    others = [s for s in (existing.sources if existing else {}) if s != sid]
    known = existing.sources.get(sid) if existing else None
    if known is not None and known.sha256 != text_sha:
        raise DraftError(
            f"--into already has a source {sid!r} with another text (sha256 "
            f"{known.sha256[:12]}...); pass --id NEW-ID to add this report beside it",
            2,
        )
    result = DraftResult(sid, new_source=known is None, others=others, missing=meta["missing"])
    result.candidates = len(drafted.facts)
    result.structure = drafted.structure
    result.text_file = f"sources/{sid}.txt"
    have_ids = {f.id for f in existing.facts} if existing else set()
    have_quotes = {(f.source, f.quote) for f in existing.facts} if existing else set()
    have_chapters = set(existing.chapters) if existing else set()
    job = Transaction()
    try:
        job.folder(into)
        if known is None:
            job.write(into / "sources" / f"{sid}.txt", drafted.text)
            job.append(into / "sources.yaml", _SOURCES_HEAD, mapping_item(_source(
                sid, meta, text_sha, pdf_sha, file_name), SOURCE_ORDER))  # fmt: skip
        items = ""
        for n, part in enumerate(drafted.chapters, 1):
            cid = f"{sid}-c{n}"
            if cid in have_chapters:
                continue
            last = drafted.chapters[n].page - 1 if n < len(drafted.chapters) else 0
            pages = f"pages {part.page}-{last}" if last > part.page else f"page {part.page}"
            items += mapping_item({
                "id": cid, "source": sid, "number": str(n), "title": part.title,
                "summary": f"Drafted from the {drafted.structure} ({pages}); awaiting a summary.",
                "sections": [title for title, _page in part.sections],
            }, CHAPTER_ORDER)  # fmt: skip
        if items:
            job.append(into / "chapters.yaml", _CHAPTERS_HEAD, items)
        by_chapter: dict[int, str] = {}
        for chapter, fact in drafted.facts:
            if known is not None:
                break  # drafted before: what a reviewer rejected since stays rejected
            if fact["id"] in have_ids or (sid, fact["quote"]) in have_quotes:
                continue
            by_chapter[chapter] = by_chapter.get(chapter, "") + fact_item(fact) + "\n"
            result.added += 1
        for chapter, text in by_chapter.items():
            cid = f"{sid}-c{chapter + 1}"
            head = (
                f"# Drafted by fact-explorer draft from {file_name} on {date.today()}; every "
                f"fact awaits review.\nsource: {q(sid)}\nchapter: {q(cid)}\nfacts:\n"
            )
            job.append(into / sid / f"{cid}.yaml", head, text)
        result.chapters = len(drafted.chapters)
        outcome = check(into, into / "sources")
        if not outcome.ok:
            first = "; ".join(str(p) for p in outcome.problems[:3])
            raise DraftError(f"the draft did not check, so nothing was written: {first}")
    except BaseException:
        job.undo()
        raise
    return result


_SOURCES_HEAD = """# The documents the facts are taken from. `sha256` names the exact text
# edition each quote is proven against (kept in sources/ beside this file);
# `pdf_sha256` the PDF it was extracted from.
sources:
"""
_CHAPTERS_HEAD = """# Chapters and sections of each source, in reading order.
chapters:
"""


def _source(sid: str, meta: dict[str, Any], sha: str, pdf_sha: str, file: str) -> dict[str, Any]:
    data = {
        "id": sid, "title": meta["title"], "kind": "report", "author": meta["author"],
        "publisher": meta["author"], "published": meta["published"], "period": meta["period"],
        "url": meta["url"], "language": "en", "file": f"{sid}.txt", "sha256": sha,
    }  # fmt: skip
    if not data["url"]:
        del data["url"]
    if pdf_sha:
        data["pdf_sha256"] = pdf_sha
    data["notes"] = f"Drafted by fact-explorer draft from {file}; check title, author and date."
    return data
