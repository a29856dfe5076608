"""Candidate facts: every sentence, clause or table row of a report that holds a figure.

A quote never runs across blocks (a heading, a tile, a column, a table cell
are blocks of their own), so it stands in the text as printed. Its figure is
read with the project's own number code, and each candidate is proven with
`explorer.check.prove_fact` before it is kept: a draft passes `check` by
construction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from explorer.coverage import FIGURE, NAME_WORDS, is_year
from explorer.draft.extract import Block
from explorer.numbers import parse_number, parse_range, ranges_in

MIN_WORDS, MAX_WORDS = 5, 60
"""A quote is 5 to 60 words (FACTBASE.md)."""


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure as read from a quote."""

    as_printed: str
    value: float | int
    upper: float | int | None
    unit: str
    qualifier: str
    period: str | None
    others: tuple[str, ...]
    """The quote's other figures, as printed (a reviewer may split them out)."""


_ABBREVIATIONS = {
    "u.s", "e.g", "i.e", "no", "approx", "inc", "ltd", "co", "vs", "st", "dr", "mr", "ms", "mrs",
    "fig", "p", "pp", "corp", "dept", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "u.k", "s",
}  # fmt: skip
_BOUNDARY = re.compile(r"(?<=[.!?])(\d{1,2})?[\"\u201d\u2019)]*(\s+)(?=[\"\u201c(]?[A-Z0-9\u2022])")
_BULLET = re.compile(r"\s(?=[\u2022\u25cf\u25aa\u25a0\u25e6\u2013\u2014]\s)")
_LINE_BULLET = re.compile(r"^(?:[\u2022\u25cf\u25aa\u25a0\u25e6l]|\d{1,2}[.)])\s")
_CLAUSE = re.compile(r"(?<=[;,:])\s+")
_YEAR = re.compile(r"(?<![\d.,])((?:19[5-9]|20[0-4])\d|2050)(?![\d.,]\d)")
_YEAR_RANGE = re.compile(
    r"(?<![\d.,])((?:19|20)\d{2})\s*(?:-|\u2013|\u2014|to|and)\s*((?:19|20)\d{2})(?![\d])"
)
_QUALIFIERS = (
    (r"(?:more than|over|above|exceed(?:ed|ing)?|greater than|in excess of)\s*$", "more-than"),
    (r"(?:at least|a minimum of|minimum)\s*$", "at-least"),
    (r"(?:less than|under|below|fewer than)\s*$", "less-than"),
    (r"(?:up to|as much as|a maximum of|maximum)\s*$", "up-to"),
    (r"(?:nearly|almost)\s*$", "nearly"),
    (r"(?:about|approximately|around|roughly|some|circa|an estimated|~)\s*$", "about"),
)
_STOP = {
    "and", "or", "in", "the", "by", "from", "to", "of", "for", "with", "is", "was", "per", "a",
    "an", "on", "at", "as", "that", "this", "were", "are", "be", "our", "we", "since", "compared",
    "between", "than", "vs", "year", "years", "has", "have", "had", "which",
}  # fmt: skip
_CURRENCY = {"$": "USD", "US$": "USD", "S$": "SGD", "\u20ac": "EUR", "\u00a3": "GBP",
             "\u00a5": "JPY"}  # fmt: skip
_REFERENCE = re.compile(
    r"\b(?:pages?|p\.|pp\.|paragraph|para\.|section|principle|note|footnote|number|no|"
    r"schedule|article|clause|rule|act)\s*$",
    re.I,
)
_STANDARD = re.compile(r"(?<![\w-])\(?[A-Z]{2,6}\)?\s*$")
"""An acronym right before a whole number names a standard or a product: "ISAE 3000"."""
_MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
           r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")  # fmt: skip
_MONTH_AFTER = re.compile(rf"\s*{_MONTHS}\b")
_MONTH_BEFORE = re.compile(rf"\b{_MONTHS}\s*$")
_NUMBERING = re.compile(r"\s*(?:[\u2022\u25cf\u25aa\u25a0\u25e6l\u2013\u2014*]\s*)?")
_SCALED = re.compile(
    r"(?<![\w.,:/-])~?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:[MBK]|bn|mn)\b"
)
_SUFFIX = re.compile(r"\s?%|\s*(?:hundred|thousand|million|billion|trillion)\b|\s(?:bn|mn)\b")
_GLUED = re.compile(r"(?:[MBK]|bn|mn)\b")
"""A scale glued to its number ("5.30M"): the number code does not read it, so it goes
into the unit ("million") and the number alone into ``as_printed``."""


def pieces(block: Block) -> Iterator[str]:
    """The sentences, clauses or table rows of a block, each 5 to 60 words where it can be."""
    if _tabular(block):
        yield from _rows(block)
        return
    for unit in _merge_short(list(_sentences(block))):
        words = unit.split()
        if len(words) <= MAX_WORDS:
            yield unit
        else:
            yield from _merge_short(list(_clauses(unit)))


def _tabular(block: Block) -> bool:
    lines = block.lines
    if len(lines) < 3:
        return False
    digits = sum(1 for line in lines if re.search(r"\d", line))
    words = sum(len(line.split()) for line in lines) / len(lines)
    stops = sum(1 for line in lines if line.endswith("."))
    return digits * 2 >= len(lines) and words <= 7 and stops <= 1


def _rows(block: Block) -> Iterator[str]:
    lines = list(block.lines)
    i = 0
    while i < len(lines):
        row = [lines[i]]
        j = i + 1
        while sum(len(r.split()) for r in row) < MIN_WORDS and j < len(lines):
            row.append(lines[j])
            j += 1
        back = i
        while sum(len(r.split()) for r in row) < MIN_WORDS and back > 0:
            back -= 1
            row.insert(0, lines[back])
        yield " ".join(row)
        i = j if j > i + 1 else i + 1


def _sentences(block: Block) -> Iterator[str]:
    """Split at sentence ends and at bullets (a bullet starting a line starts an item)."""
    chunks: list[str] = []
    for line in block.lines:
        if chunks and _LINE_BULLET.match(line):
            chunks.append(line)
        elif chunks:
            chunks[-1] += " " + line
        else:
            chunks.append(line)
    for chunk in chunks:
        for part in _BULLET.split(chunk):
            start = 0
            for match in _BOUNDARY.finditer(part):
                stop = match.start() - 1  # the full stop
                before = re.search(r"(\S+)$", part[:stop])
                word = before.group(1).lower().strip('("\u201c') if before else ""
                if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
                    continue
                if (
                    match.group(1)
                    and word[-1:].isdigit()
                    and not re.search(r"(?:19|20)\d\d$", word)
                ):
                    continue  # "1.81 1.79": a decimal point, not a sentence's end
                yield part[start : match.start(2)].strip()
                start = match.end()
            yield part[start:].strip()


def _clauses(sentence: str) -> Iterator[str]:
    """A long sentence cut at semicolons and commas into runs of at most 60 words."""
    run: list[str] = []
    for clause in _CLAUSE.split(sentence):
        size = len(clause.split())
        if run and sum(len(c.split()) for c in run) + size > MAX_WORDS:
            yield " ".join(run)
            run = []
        if size > MAX_WORDS:  # no comma to cut at: a window of words
            words = clause.split()
            for k in range(0, len(words), MAX_WORDS):
                yield " ".join(words[k : k + MAX_WORDS])
            continue
        run.append(clause)
    if run:
        yield " ".join(run)


def _merge_short(units: list[str]) -> list[str]:
    """Join a unit of fewer than 5 words to the next (else the last) unit of its block."""
    out: list[str] = []
    carry = ""
    for unit in units:
        if not unit:
            continue
        unit = f"{carry} {unit}".strip() if carry else unit
        carry = ""
        if len(unit.split()) < MIN_WORDS and not _LINE_BULLET.match(unit):
            carry = unit
            continue  # a bullet's item stays on its own: the next may stand in another column
        out.append(unit)
    if carry:
        if out and len(out[-1].split()) + len(carry.split()) <= MAX_WORDS:
            out[-1] = f"{out[-1]} {carry}"
        else:
            out.append(carry)
    return out


def figure_spans(text: str) -> list[tuple[int, int]]:
    """Where the figures of ``text`` stand: numbers a reader could cite, and ranges of years.

    Years used as dates, numbers in names ("ISO 14001", "Scope 3"), codes
    ("102-1") and single digits without a unit are not figures.
    """
    spans = []
    for match in FIGURE.finditer(text):
        token = match.group(1)
        before, after = text[: match.start()], text[match.end() :]
        if is_year(token) or NAME_WORDS.search(before) or _REFERENCE.search(before):
            continue
        if token.isdigit() and int(token) <= 31 and (_MONTH_AFTER.match(after) or (
            _MONTH_BEFORE.search(before))):  # fmt: skip
            continue  # "31 December 2022": a date
        if token.isdigit() and len(token) >= 3 and _STANDARD.search(before):
            continue  # "(ISAE) 3000", "AA 1000": a standard's number
        if token.isdigit() and _NUMBERING.fullmatch(before) and re.match(r"\s+[A-Z]", after):
            continue  # "3 Progress toward ...", "10 Businesses should ...": numbering
        if token.isdigit() and int(token) < 10 and not _SUFFIX.match(text, match.end()):
            continue
        spans.append((match.start(), match.end()))
    for match in _SCALED.finditer(text):  # "5.30M", "~125B": glued to a scale, still a figure
        if not NAME_WORDS.search(text[: match.start()]):
            spans.append((match.start(1), match.end(1)))
    for match in _YEAR_RANGE.finditer(text):
        if int(match.group(1)) < int(match.group(2)):
            spans.append((match.start(), match.end()))
    for start, end, _bounds in ranges_in(text):  # "52-79%": neither bound stands alone
        code = re.fullmatch(r"(\d+)-\d+", text[start:end].strip())
        if code and not is_year(code.group(1)):
            continue  # "2-26", "205-1": a disclosure's code
        if not any(a < end and start < b for a, b in spans) and not NAME_WORDS.search(text[:start]):
            spans.append((start, end))
    return sorted(spans)


def read_figure(text: str, start: int, end: int) -> Figure | None:
    """The figure at ``text[start:end]`` with its unit, qualifier and period; None if unreadable."""
    for lo, hi, _bounds in ranges_in(text):
        if lo <= start < hi:
            start, end = lo, hi
            break
    else:
        suffix = _SUFFIX.match(text, end)
        if suffix:
            end = suffix.end()
    while start > 0 and text[start - 1] in "$\u20ac\u00a3\u00a5~":
        start -= 1
    if text[max(0, start - 2) : start] in ("S$",) or text[max(0, start - 3) : start] == "US$":
        start -= 3 if text[max(0, start - 3) : start] == "US$" else 2
    printed = text[start:end].strip()
    bounds = parse_range(printed)
    number = parse_number(printed)
    if number is None:
        return None
    value: float | int = bounds[0] if bounds else number
    upper: float | int | None = bounds[1] if bounds else None
    value, upper = _plain(value), _plain(upper) if upper is not None else None
    before = text[:start]
    qualifier = next((q for pattern, q in _QUALIFIERS if re.search(pattern, before, re.I)), "exact")
    glued = _GLUED.match(text, end)
    unit = _unit(printed, text[end:])
    if glued:
        spoken = {"M": "million", "B": "billion", "K": "thousand", "bn": "billion"}
        unit = spoken.get(glued.group(), "million")
        after = re.match(r"\s*([A-Za-z][A-Za-z-]*)", text[glued.end() :])
        if after and after.group(1).lower() not in _STOP:
            unit += f" {after.group(1)}"
    return Figure(printed, value, upper, unit, qualifier,
                  _period(text, start, end), ())  # fmt: skip


def _plain(value: float | int) -> float | int:
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


def _unit(printed: str, after: str) -> str:
    if printed.endswith("%"):
        return "%"
    for symbol, code in sorted(_CURRENCY.items(), key=lambda kv: -len(kv[0])):
        if printed.lstrip("~").startswith(symbol):
            return code
    word = re.match(r"\s*([A-Za-z][A-Za-z-]*)", after)
    noun = word.group(1) if word and word.group(1).lower() not in _STOP else ""
    return noun or "count"  # "861 billion liters": the value holds the billion, the unit liters


def _period(text: str, start: int, end: int) -> str | None:
    outside = text[:start] + " " * (end - start) + text[end:]
    span = _YEAR_RANGE.search(outside)
    if span and int(span.group(1)) < int(span.group(2)):
        return f"{span.group(1)}/{span.group(2)}"
    years = [m for m in _YEAR.finditer(outside)]
    after_in = [
        m for m in years if re.search(r"\b(?:in|during|of|for|FY)\s*$", outside[: m.start()])
    ]
    chosen = (after_in or years)[:1]
    return chosen[0].group(1) if chosen else None
