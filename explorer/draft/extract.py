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

    from explorer.draft.tables import table_rows

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
                page.blocks = table_rows([b for b in _blocks(device.get_result()) if b.lines])
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
