"""Chapters and sections of a report, and the blocks that are furniture, not content.

Chapters come from the PDF's outline (bookmarks) where it has one, else from
headings (short blocks set larger than the body), else there is one chapter
with a section per page. Running headers and footers, page numbers and
contents pages are found here so that no quote is drawn from them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from explorer.draft.extract import Block, Page, Report


@dataclass(slots=True)
class Part:
    """A drafted chapter: its title, the page it starts on and its sections."""

    title: str
    page: int
    sections: list[tuple[str, int]] = field(default_factory=list)
    """(title, first page) in reading order; the first starts where the chapter does."""


def furniture(report: Report) -> set[str]:
    """The keys (see `block_key`) of blocks that repeat on many pages: headers, footers."""
    pages_with: Counter[str] = Counter()
    for page in report.pages:
        pages_with.update({block_key(b) for b in page.blocks})
    least = max(3, round(0.3 * len(report.pages)))
    return {key for key, count in pages_with.items() if count >= least}


def block_key(block: Block) -> str:
    """A block's words with every number as ``#``: a running footer's key across pages."""
    return re.sub(r"\d+", "#", " ".join(block.text.lower().split()))


def is_page_number(block: Block) -> bool:
    """A block that is only a page number ("12", "Page 12", "12 | 33")."""
    return bool(re.fullmatch(r"(?:page\s*)?\d{1,4}(?:\s*(?:\||/|of)\s*\d{1,4})?", block.text, re.I))


def contents_pages(report: Report) -> set[int]:
    """Pages that are a table of contents: titled so, with many lines ending in a page number."""
    out = set()
    for page in report.pages:
        titled = any(
            re.fullmatch(r"(table of )?contents?", b.text.strip(), re.I) for b in page.blocks
        )
        numbered = sum(
            1
            for b in page.blocks
            for line in b.lines
            if re.search(r"(^|\s)\d{1,3}(\s*[-\u2013]\s*\d{1,3})?$", line)
        )
        if titled and numbered >= 4:
            out.add(page.number)
    return out


def parts(report: Report) -> tuple[list[Part], str]:
    """The chapters and sections, and where they came from: outline, headings or pages."""
    for how, find in (("outline", _from_outline), ("headings", _from_headings)):
        found = find(report)
        if found:
            return found, how
    return _by_page(report), "pages"


def clean_title(title: str) -> str:
    """A bookmark's title without the page it names ("Governance page 8" is "Governance")."""
    whole = " ".join(title.split())
    cut = re.sub(r"\s*\bpage\s*\d+\s*$", "", whole, flags=re.I).strip(" -|")
    return cut or whole


def _from_outline(report: Report) -> list[Part]:
    entries = sorted(
        (
            (page, i, level, clean_title(title))
            for i, (level, title, page) in enumerate(report.outline)
        ),
    )
    top = min((level for _p, _i, level, _t in entries), default=0)
    chapters: list[Part] = []
    for page, _i, level, title in entries:
        if level == top or not chapters:
            if chapters and chapters[-1].title == title:
                continue
            chapters.append(Part(title, page, [(title, page)]))
        elif all(title != t for t, _p in chapters[-1].sections):
            chapters[-1].sections.append((title, page))
    return _tidy(chapters)


def _from_headings(report: Report) -> list[Part]:
    sizes = [b.size for p in report.pages for b in p.blocks if b.size and len(b.text) > 40]
    if not sizes:
        return []
    body = median(sizes)
    heads: list[tuple[int, float, str]] = []
    for page in report.pages:
        for block in page.blocks:
            words = block.text.split()
            if block.size >= 1.25 * body and 1 <= len(words) <= 10 and not block.text.endswith("."):
                if re.search(r"[A-Za-z]{3}", block.text):
                    heads.append((page.number, block.size, " ".join(words)))
    if not heads:
        return []
    biggest = max(size for _p, size, _t in heads)
    chapters: list[Part] = []
    for at, size, title in heads:
        if size >= 0.95 * biggest:
            if not (chapters and chapters[-1].title == title):
                chapters.append(Part(title, at, [(title, at)]))
        elif chapters and all(title != t for t, _p in chapters[-1].sections):
            chapters[-1].sections.append((title, at))
    if chapters and chapters[0].page > 1:
        chapters.insert(0, Part("Front matter", 1, [("Front matter", 1)]))
    return _tidy(chapters)


def _by_page(report: Report) -> list[Part]:
    title = report.title or "The report"
    return [Part(title, 1, [(f"Page {p.label}", p.number) for p in report.pages])]


def _tidy(chapters: list[Part]) -> list[Part]:
    if chapters and chapters[0].page > 1:
        chapters[0].page = 1  # pages before the first bookmark belong to it
        chapters[0].sections[0] = (chapters[0].sections[0][0], 1)
    return chapters


def place(chapters: list[Part], page: int) -> tuple[int, str]:
    """The chapter (its position) and section a page falls in: the last begun by then."""
    at = 0
    for i, part in enumerate(chapters):
        if part.page <= page:
            at = i
    section = chapters[at].sections[0][0]
    for title, first in chapters[at].sections:
        if first <= page:
            section = title
    return at, section


def page_of(report: Report, number: int) -> Page:
    """The page with this number."""
    return report.pages[number - 1]
