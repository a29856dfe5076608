"""From a read report to a draft: the kept text, the chapters and the proven candidates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from explorer.check import SourceText, prove_fact
from explorer.draft.candidates import figure_spans, pieces, read_figure
from explorer.draft.extract import Block, Page, Report
from explorer.draft.structure import (
    Part,
    block_key,
    contents_pages,
    furniture,
    is_page_number,
    parts,
    place,
)
from explorer.model import Fact

PAGE_BREAK = "\n\f\n"
"""Between two pages of the kept text."""


@dataclass
class Drafted:
    """A report as a draft, ready to write."""

    text: str
    """The kept text: pages of blocks, blocks split by a blank line, pages by a form feed."""
    chapters: list[Part]
    facts: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """(chapter position, fact as data) for each candidate, in reading order."""
    structure: str = ""


def kept_text(report: Report, furniture: set[str]) -> str:
    """The text every quote is proven against: the pages without their running headers,
    footers and page numbers (so a row above a footer and the row below it read on)."""
    return PAGE_BREAK.join(page_text(page, furniture) for page in report.pages) + "\n"


def page_text(page: Page, furniture: set[str]) -> str:
    """One page of the kept text."""
    return "\n\n".join("\n".join(b.lines) for b in page.blocks if not _furniture(b, furniture))


def _furniture(block: Block, keys: set[str]) -> bool:
    return block_key(block) in keys or is_page_number(block)


def build(report: Report, source_id: str) -> Drafted:
    """Every candidate fact of ``report``, each proven against the kept text."""
    skip_keys = furniture(report)
    text = kept_text(report, skip_keys)
    chapters, structure = parts(report)
    drafted = Drafted(text, chapters, structure=structure)
    skip_pages = contents_pages(report)
    seen: set[tuple[int, str]] = set()
    for page in report.pages:
        if page.number in skip_pages:
            continue
        count = 0
        source = SourceText(page_text(page, skip_keys))  # a quote stands on its page
        chapter, section = place(chapters, page.number)
        blocks = [
            b for b in page.blocks
            if not (_furniture(b, skip_keys) or "(cid:" in b.text
                    or _page_numbers(b.text, len(report.pages)))
        ]  # fmt: skip
        for at, block in enumerate(blocks):
            units = list(pieces(block))
            if len(block.lines) == 1 and len(block.text.split()) < 5 and figure_spans(block.text):
                units = _short(block, blocks[at - 1] if at else None, blocks[at + 1 : at + 2])
            for piece in units:
                if (page.number, piece) in seen or _contents_line(piece, len(report.pages)):
                    continue
                fact = _candidate(piece, source_id, page.number, page.label, count + 1, section)
                if fact is None or prove_fact(_as_fact(fact, source_id), source):
                    continue
                seen.add((page.number, piece))
                count += 1
                drafted.facts.append((chapter, fact))
    return drafted


def _short(block: Block, before: Block | None, after: list[Block]) -> list[str]:
    """A short row or tile with a figure, joined to the row or block that stands next to it.

    A row goes with the row just above it (else just below); a tile such as
    "64%" with the text just below it ("of IFS employees completed the
    training"). Only blocks that touch are joined: nothing else stands between.
    """
    tall = block.bottom - block.top
    below = after[0] if after else None
    if block.row:  # rows of one table start at one left edge
        if (
            before is not None
            and before.row
            and abs(before.left - block.left) < 0.02
            and (0 <= block.top - before.bottom < tall)
        ):
            return [f"{before.text} {block.text}"]
        if (
            below is not None
            and below.row
            and abs(below.left - block.left) < 0.02
            and (0 <= below.top - block.bottom < tall)
        ):
            return [f"{block.text} {below.text}"]
        return [block.text]
    if (
        below is not None
        and abs(below.left - block.left) < 0.02
        and (-0.01 <= below.top - block.bottom < 2 * tall)
    ):
        first = next(iter(pieces(below)), "")
        if first and below.text.startswith(first):
            return [f"{block.text} {first}"]
    return [block.text]


_YEARS = re.compile(r"(?:19|20)\d\d\s*(?:-|\u2013|\u2014|to|and)\s*(?:19|20)\d\d")


def _contents_line(piece: str, pages: int) -> bool:
    """A contents entry: a title and its page number ("9 Our TCFD journey 10")."""
    found = re.fullmatch(r"(?:\d{1,3}\s+)?([A-Z][^\d%$]*?)\s+(\d{1,3})", piece)
    if found is None:
        return False
    return int(found.group(2)) <= pages and len(found.group(1).split()) <= 8


def _page_numbers(text: str, pages: int) -> bool:
    """True for a row of page numbers only: whole numbers, rising, none past the last page."""
    numbers = text.split()
    if not numbers or not all(n.isascii() and n.isdigit() for n in numbers):
        return False
    values = [int(n) for n in numbers]
    return values == sorted(values) and max(values) <= pages


def _candidate(
    piece: str, source_id: str, page: int, label: str, n: int, section: str
) -> dict[str, Any] | None:
    """The candidate for one sentence or row: its first figure that reads and proves."""
    spans = figure_spans(piece)
    years = [s for s in spans if _YEARS.fullmatch(piece[s[0] : s[1]].strip())]
    # A range of years is a figure, but the quote's other figures come first for as_printed.
    for start, end in [s for s in spans if s not in years] + years:
        figure = read_figure(piece, start, end)
        if figure is None:
            continue
        others = [_printed(piece, a, b) for a, b in spans if (a, b) != (start, end)]
        data: dict[str, Any] = {
            "id": f"{source_id}-p{page}-{n}",
            "kind": "figure",
            "claim": " ".join(piece.split()),
            "quote": " ".join(piece.split()),
            "section": section,
            "as_printed": figure.as_printed,
            "value": figure.value,
        }
        if figure.upper is not None:
            data["upper"] = figure.upper
        data["unit"] = figure.unit
        data["qualifier"] = figure.qualifier
        if figure.period:
            data["period"] = figure.period
        data["assurance"] = "not-covered"
        notes = "Drafted: the claim is the quote; rewrite it in your own words."
        if others:
            notes += " Other figures here: " + ", ".join(dict.fromkeys(others)) + "."
        data["notes"] = notes
        data["page"] = label
        data["review"] = "pending"
        if _as_fact(data, source_id).as_printed and not prove_fact(_as_fact(data, source_id), None):
            return data
    return None


def _printed(piece: str, start: int, end: int) -> str:
    figure = read_figure(piece, start, end)
    return figure.as_printed if figure else piece[start:end]


def _as_fact(data: dict[str, Any], source_id: str) -> Fact:
    keys = ("as_printed", "value", "upper", "unit", "qualifier", "period", "page", "review")
    return Fact(
        id=data["id"], kind=data["kind"], claim=data["claim"], quote=data["quote"],
        source=source_id, chapter="", assurance=data["assurance"], section=data["section"],
        **{k: data[k] for k in keys if k in data},
    )  # fmt: skip
