"""A report's text, page by page and block by block, with its outline and metadata.

PDFs are read with pdfminer.six (chosen by `benchmarks/extract.py`: its layout
analysis gives text blocks whose lines all stand in poppler's reading, which
is what keeps a quote from running across a column, a tile or a heading).
Plain text is read as paragraphs, pages split at form feeds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from explorer.model import FORBIDDEN

LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st"}  # fmt: skip
"""Typographic ligatures and the letters they stand for."""


FORGET_EVERY = 25
"""Pages read between two clear-outs of pdfminer's cache of parsed objects."""


class ExtractError(Exception):
    """The file cannot be drafted from; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Block:
    """A run of lines the layout sets together: a paragraph, a tile, a heading, a cell."""

    lines: tuple[str, ...]
    """Its lines, cleaned (ligatures undone, soft hyphens and broken words joined)."""
    size: float = 0.0
    """The median font size of its characters (0 for plain text)."""
    bold: bool = False
    """True when most of its characters are set in a bold face."""
    top: float = 0.0
    """Its top edge, as a share of the page's height from the top (0 for plain text)."""
    bottom: float = 0.0
    """Its bottom edge, as that share."""
    left: float = 0.0
    """Its left edge, as a share of the page's width."""
    row: bool = False
    """True for a table row rebuilt from cells that stand side by side."""

    @property
    def text(self) -> str:
        """Its lines joined by spaces."""
        return " ".join(self.lines)


@dataclass(slots=True)
class Page:
    """One page: its printed label and its blocks in reading order."""

    number: int
    """Its position in the file, from 1."""
    label: str
    """The printed page: the PDF's page label where it has one, else its number."""
    blocks: list[Block] = field(default_factory=list)
    """Its text blocks."""


@dataclass(slots=True)
class Report:
    """What was read from a file: metadata, outline and pages."""

    title: str = ""
    author: str = ""
    published: str = ""
    """``YYYY-MM`` from the PDF's creation date, where it has one."""
    outline: list[tuple[int, str, int]] = field(default_factory=list)
    """Bookmarks as (level from 1, title, page number from 1), in the PDF's order."""
    pages: list[Page] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """Pages whose content could not be read, with why: left empty, the rest drafted."""


def clean_lines(raw: list[str]) -> list[str]:
    """Undo ligatures and soft hyphens, join words broken across lines, drop echoed lines.

    A word broken at a line's end by a hyphen ("water-" / "related") is joined
    with its hyphen kept: a hyphen at a line's end is as often a real one.
    """
    lines: list[str] = []
    for line in raw:
        for lig, letters in LIGATURES.items():
            line = line.replace(lig, letters)
        line = FORBIDDEN.sub("", line.replace("\t", " ")).strip()
        if line and not (lines and lines[-1] == line):  # an overprinted (fake bold) line
            lines.append(line)
    out: list[str] = []
    for line in lines:
        if out and (out[-1].endswith("\u00ad") or re.search(r"[A-Za-z]-$", out[-1])):
            if re.match(r"[a-z]", line):
                head, _, rest = line.partition(" ")
                out[-1] = out[-1].rstrip("\u00ad") + head
                line = rest
            if not line:
                continue
        out.append(line)
    return [line.replace("\u00ad", "") for line in out if line.replace("\u00ad", "")]


def read_text(path: Path, data: bytes) -> Report:
    """A plain-text report: pages at form feeds, blocks at blank lines."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ExtractError(f"is not UTF-8 text (byte {err.start}); save it as UTF-8") from err
    report = Report(title=path.stem.replace("-", " ").replace("_", " ").strip())
    for number, chunk in enumerate(text.split("\f"), 1):
        page = Page(number, str(number))
        for para in re.split(r"\n\s*\n", chunk):
            lines = clean_lines(para.splitlines())
            if lines:
                page.blocks.append(Block(tuple(lines)))
        report.pages.append(page)
    return report


def read_pdf(path: Path, progress: Callable[[int, int], None] | None = None) -> Report:
    """Read a PDF's metadata, outline and text blocks, a page at a time.

    Raises:
        ExtractError: Encrypted with a password, corrupt or truncated.
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psparser import PSException

    with open(path, "rb") as handle:
        try:
            document = PDFDocument(PDFParser(handle))
            pages = list(PDFPage.create_pages(document))
        except (PDFPasswordIncorrect, PDFEncryptionError) as err:
            raise ExtractError(
                "is encrypted and needs a password; save an unlocked copy first "
                "(e.g. `qpdf --decrypt --password=PW in.pdf out.pdf`)"
            ) from err
        except (PSException, ValueError, KeyError, TypeError, AttributeError) as err:
            raise ExtractError(f"cannot be read as a PDF (corrupt or truncated?): {err}") from err
        except Exception as err:  # pdfminer raises its own kinds from deep inside
            raise ExtractError(f"cannot be read as a PDF (corrupt or truncated?): {err}") from err
        if not pages:
            raise ExtractError("has no pages (corrupt or truncated?)")
        report = Report()
        _metadata(document, report)
        numbers: dict[Any, int] = {p.pageid: i for i, p in enumerate(pages, 1)}
        report.outline = list(_outline(document, numbers))
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=LAParams(all_texts=True))
        interpreter = PDFPageInterpreter(manager, device)
        for number, pdf_page in enumerate(pages, 1):
            label = getattr(pdf_page, "label", None)
            page = Page(number, str(label) if label else str(number))
            try:
                interpreter.process_page(pdf_page)
                page.blocks = table_rows(list(_blocks(device.get_result())))
            except Exception as err:  # a damaged page: said, and the others still drafted
                report.unread.append(f"page {number}: {str(err)[:80] or type(err).__name__}")
            report.pages.append(page)
            if progress is not None:
                progress(number, len(pages))
            pdf_page.resources = {}  # the page's fonts and images, no longer needed
            pdf_page.contents = []
            if number % FORGET_EVERY == 0:  # memory stays bounded however long the report
                getattr(document, "_cached_objs", {}).clear()
    return report


def _blocks(layout: Any) -> Iterator[Block]:
    """The text boxes of a page, each split where the font changes (a heading on a tile)."""
    from pdfminer.layout import LTChar, LTTextBox, LTTextLine

    height = float(layout.height) or 1.0
    width = float(layout.width) or 1.0

    def boxes(item: Any) -> Iterator[Any]:
        for child in item:
            if isinstance(child, LTTextBox):
                yield child
            elif hasattr(child, "__iter__") and not isinstance(child, LTTextLine):
                yield from boxes(child)

    for box in boxes(layout):
        run: list[tuple[str, float, bool]] = []
        top = bottom = 0.0
        left = float(box.x0) / width
        for line in box:
            if not isinstance(line, LTTextLine):
                continue
            chars = [c for c in line if isinstance(c, LTChar) and not c.get_text().isspace()]
            if not chars:
                continue
            size = median(round(c.size, 1) for c in chars)
            bold = sum(_is_bold(c.fontname) for c in chars) * 2 > len(chars)
            if run and (abs(size - run[-1][1]) > 0.1 * max(size, run[-1][1]) or bold != run[-1][2]):
                yield _block(run, top, bottom, left)
                run = []
            if not run:
                top = 1 - float(line.y1) / height
            bottom = 1 - float(line.y0) / height
            run.append((line.get_text().rstrip("\n"), size, bold))
        if run:
            yield _block(run, top, bottom, left)


def _block(run: list[tuple[str, float, bool]], top: float, bottom: float, left: float) -> Block:
    lines = clean_lines([text for text, _size, _bold in run])
    return Block(tuple(lines), median(s for _t, s, _b in run), run[0][2], top, bottom, left)


_CELL = re.compile(
    r"[-~$\u20ac\u00a3(]*\d[\d.,]*\s?(?:%|[A-Za-z]{1,3})?\)?[*\u00b9\u00b2\u00b3]*"
    r"(?:\s*\(\d[\d.,]*\s?%?\))?"
)


def table_rows(blocks: list[Block]) -> list[Block]:
    """Cells that stand side by side on one line, one of them a number, as one row each.

    A table's cells come out of the layout analysis as blocks of one line; a
    quote of a row as printed ("Total Water Withdrawn (megaliters) 298,235
    308,736 311,998") needs them joined, left to right. The rows take the place
    of the first cell, top to bottom, so that rows stand together in the text.
    """
    singles = [i for i, b in enumerate(blocks) if len(b.lines) == 1 and b.bottom > b.top]
    singles.sort(key=lambda i: (blocks[i].top + blocks[i].bottom) / 2)
    groups: list[list[int]] = []
    for i in singles:
        block = blocks[i]
        middle = (block.top + block.bottom) / 2
        if groups:
            last = blocks[groups[-1][0]]
            tall = min(last.bottom - last.top, block.bottom - block.top)
            if abs(middle - (last.top + last.bottom) / 2) < 0.35 * tall:
                groups[-1].append(i)
                continue
        groups.append([i])
    rows: list[Block] = []
    used: set[int] = set()
    labelled = _label_cells(blocks, singles, used)
    for group in groups:
        group = [i for i in group if i not in used]
        cells = sorted((blocks[i] for i in group), key=lambda b: b.left)
        texts = [c.text for c in cells]
        # A label, then cells (numbers, or a word or two such as a unit); or tiles side
        # by side, each a short text with a number ("34.77% female employees").
        numbers = sum(1 for t in texts if _CELL.fullmatch(t))
        table = numbers * 2 >= len(texts) and all(
            _CELL.fullmatch(t) or len(t.split()) <= 6 for t in texts[1:]
        )
        table = table or (
            len(texts[0].split()) <= 12
            and all(re.search(r"\d", t) and len(t.split()) <= 6 for t in texts[1:])
        )
        tiles = all(re.search(r"\d", t) and len(t.split()) <= 8 for t in texts)
        if len(group) < 2 or not (table or tiles):
            continue
        rows.append(Block((" ".join(c.text for c in cells),), cells[0].size, cells[0].bold,
                          min(c.top for c in cells), max(c.bottom for c in cells),
                          cells[0].left, row=True))  # fmt: skip
        used.update(group)
    if not rows and not labelled:
        return blocks
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if i in labelled:
            found = labelled[i]
            out.extend(found if isinstance(found, list) else [found])
        elif i not in used:
            out.append(block)
        elif rows:
            out.extend(rows)
            rows = []
    return out


def _label_cells(
    blocks: list[Block], singles: list[int], used: set[int]
) -> dict[int, Block | list[Block]]:
    """Cells whose label is a block of several lines to their left, joined into that block.

    The cells go at the end of the label's line they stand beside, as ``-layout``
    prints them ("(in millions)   3.88   3.91   4.01"). Marks the cells used.
    """
    labels = [i for i, b in enumerate(blocks) if len(b.lines) > 1]
    lone: dict[int, list[int]] = {}
    for i in singles:
        cell = blocks[i]
        unit = len(cell.text) <= 12 and len(cell.text.split()) <= 2  # "%", "MWh", "t CO2e"
        if i in used or not (_CELL.fullmatch(cell.text) or unit):
            continue
        middle = (cell.top + cell.bottom) / 2
        beside = [j for j in labels if blocks[j].top <= middle <= blocks[j].bottom
                  and blocks[j].left < cell.left]  # fmt: skip
        if beside:
            lone.setdefault(max(beside, key=lambda j: blocks[j].left), []).append(i)
    out: dict[int, Block | list[Block]] = {}
    for j, cells in lone.items():
        label = blocks[j]
        lines = list(label.lines)
        if any(line.endswith(".") for line in lines) or not any(
            _CELL.fullmatch(blocks[i].text) for i in cells
        ):
            continue  # prose, not a label; or units with no number
        step = (label.bottom - label.top) / len(lines)
        cells.sort(key=lambda i: blocks[i].left)
        at = {int(((blocks[i].top + blocks[i].bottom) / 2 - label.top) / step) for i in cells}
        k = min(len(lines) - 1, at.pop()) if len(at) == 1 else -1
        if k < 0:
            continue  # cells beside different lines
        top, bottom = label.top + k * step, label.top + (k + 1) * step
        right = blocks[cells[-1]].left
        between = [
            b
            for n, b in enumerate(blocks)
            if n != j
            and n not in cells
            and b.top < bottom
            and b.bottom > top
            and label.left < b.left < right
        ]
        if between:
            continue  # other text between the label and its cells
        row = f"{lines[k]} {' '.join(blocks[i].text for i in cells)}"
        used.update(cells)
        if k == len(lines) - 1:  # beside the label's last line: label and row read on
            out[j] = Block((*lines[:-1], row), label.size, label.bold, label.top, label.bottom,
                           label.left, row=True)  # fmt: skip
            continue
        # Beside an inner line: that line and its cells are the row; the lines after
        # it print below the row, so they stand apart.
        parts = [Block(tuple(lines[:k]), label.size, label.bold, label.top, top, label.left)]
        parts.append(Block((row,), label.size, label.bold, top, bottom, label.left, row=True))
        parts.append(Block(tuple(lines[k + 1 :]), label.size, label.bold, bottom, label.bottom,
                           label.left))  # fmt: skip
        out[j] = [part for part in parts if part.lines]
    return out


def _is_bold(fontname: str) -> bool:
    return bool(re.search(r"bold|black|heavy|semibold|demi", fontname, re.IGNORECASE))


def _text(value: Any) -> str:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    value = resolve1(value)
    if isinstance(value, bytes):
        return " ".join(decode_text(value).split())
    return " ".join(value.split()) if isinstance(value, str) else ""


def _metadata(document: Any, report: Report) -> None:
    info = document.info[0] if document.info else {}
    report.title = FORBIDDEN.sub("", _text(info.get("Title")))
    report.author = FORBIDDEN.sub("", _text(info.get("Author")))
    created = re.match(r"D:(\d{4})(\d{2})?", _text(info.get("CreationDate")))
    if created:
        report.published = created.group(1) + (f"-{created.group(2)}" if created.group(2) else "")


def _outline(document: Any, page_numbers: dict[Any, int]) -> Iterator[tuple[int, str, int]]:
    """Each bookmark as (level, title, page); those whose page cannot be found are left out."""
    from pdfminer.pdfdocument import PDFNoOutlines
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral

    try:
        entries = list(document.get_outlines())
    except PDFNoOutlines:
        return
    except Exception:  # a damaged outline is no outline: chapters then come from headings
        return
    for level, title, dest, action, _se in entries:
        try:
            target = dest
            if target is None and action is not None:
                target = resolve1(resolve1(action).get("D"))
            target = resolve1(target)
            if isinstance(target, (bytes, str, PSLiteral)):
                target = resolve1(document.get_dest(getattr(target, "name", target)))
            if isinstance(target, dict):
                target = resolve1(target.get("D"))
            page = page_numbers.get(target[0].objid) if isinstance(target, list) else None
        except Exception:
            page = None
        name = FORBIDDEN.sub("", " ".join(str(title or "").split()))
        if page is not None and name:
            yield int(level), name, page
