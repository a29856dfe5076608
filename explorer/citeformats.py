"""The pieces `explorer.cite` builds on: locators, text helpers, machine formats.

Pure functions over the model; no I/O, no Textual. BibTeX and RIS (and CSL-JSON,
in `explorer.csl`) each hold one record per source, the facts' locators (and
quotes) under it. `Markup` is how the prose styles come in two flavours, plain
text and HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from explorer.model import Fact, FactBase, Source

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
_STOPWORDS = {"a", "an", "and", "for", "in", "of", "on", "the", "to"}


@dataclass(frozen=True, slots=True)
class Locator:
    """Where a fact stands in its source, as printed there."""

    chapter: str
    """``Chapter 4`` or ``Appendix I``; empty for the front matter or a post."""
    chapter_title: str
    """The chapter's title; empty when the chapter is the whole source."""
    section: str
    """The section heading; empty when it only repeats the source's title beside an item."""
    page: str | None = None
    """The printed page, where the source text shows it."""
    number: str | None = None
    """The number of a numbered post's section (``1`` for the first moment)."""

    def long(self) -> str:
        """Return the locator spelled out: chapter, section (heading or number), page."""
        parts = []
        if self.chapter_title:
            named = f"\u201c{self.chapter_title}\u201d"
            numbered = self.chapter and not self.chapter_title.startswith(self.chapter)
            parts.append(f"{self.chapter} {named}" if numbered else named)
        if self.section:
            parts.append(f"section \u201c{self.section}\u201d")
        if self.number:
            parts.append(f"section {self.number}")
        if self.page:
            parts.append(page_label(self.page))
        return ", ".join(parts)

    def csl(self) -> tuple[str, str]:
        """Return the CSL ``(locator, label)``: the page, else the chapter, else the section."""
        if self.page:
            return self.page, "page"
        if self.chapter:
            label, number = self.chapter.split(" ", 1)
            return number, label.lower()
        if self.number:  # a numbered post's items are its sections
            return self.number, "section"
        return self.section or self.chapter_title, "section"


@dataclass(frozen=True, slots=True)
class SourceFacts:
    """One source and the facts cited from it, each with its locator."""

    source: Source
    key: str
    """The citation key (BibTeX key, CSL id): ``huawei2021sustainability``."""
    facts: tuple[tuple[Fact, Locator], ...]


def locate(base: FactBase, fact: Fact) -> Locator:
    """Return where a fact stands in its source.

    Args:
        base: The base holding the fact.
        fact: The fact.
    """
    chapter, source = base.chapter_of(fact), base.source_of(fact)
    kind = "Appendix" if chapter.id.startswith("app") else "Chapter"
    number = _item_number(base, fact) if source.kind == "post" else None
    return Locator(
        chapter=f"{kind} {chapter.number}" if chapter.number else "",
        chapter_title="" if chapter.title == source.title else chapter.title,
        # A section named like the source says nothing its number does not.
        section="" if fact.section == source.title and number else fact.section,
        page=fact.page,
        number=number,
    )


def _item_number(base: FactBase, fact: Fact) -> str | None:
    """The printed number of a post's item: from the quote, else from the item it is part of."""
    found = re.match(r"(\d{1,3})\.\s", squash(fact.quote))
    if found:
        return found.group(1)
    for link in fact.related:
        whole = base.get(link.id)
        if link.rel == "part-of" and whole is not None and whole.source == fact.source:
            found = re.match(r"(\d{1,3})\.\s", squash(whole.quote))
            if found:
                return found.group(1)
    return None


def group_by_source(base: FactBase, facts: Iterable[Fact]) -> list[SourceFacts]:
    """Return the facts grouped by source, sources in order of first appearance, no repeats."""
    seen: set[str] = set()
    groups: dict[str, list[tuple[Fact, Locator]]] = {}
    for fact in facts:
        if fact.id not in seen:
            seen.add(fact.id)
            groups.setdefault(fact.source, []).append((fact, locate(base, fact)))
    return [
        SourceFacts(base.sources[sid], cite_key(base.sources[sid]), tuple(items))
        for sid, items in groups.items()
    ]


def cite_key(source: Source) -> str:
    """Return a stable citation key: author's first word, year published, first title word."""
    author = re.findall(r"[a-z0-9]+", source.author.lower())
    words = [w for w in re.findall(r"[a-z]+", source.title.lower()) if w not in _STOPWORDS]
    first = author[0] if author else "anon"
    return f"{first}{year_month(source.published)[0]}{words[0] if words else ''}"


# ------------------------------------------------------------------ text helpers


def squash(text: str) -> str:
    """Return ``text`` with every run of white space (line breaks too) as one space."""
    return " ".join(text.split())


def year_month(published: str) -> tuple[str, int]:
    """Split ``YYYY[-MM[-DD]]`` into the year and the month (0 when not given)."""
    parts = published.split("-")
    return parts[0], int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def period_text(period: str) -> str:
    """Return ``2020`` for a calendar year ``2020-01-01/2020-12-31``, else ``start to end``."""
    start, _, end = period.partition("/")
    if start[:4] == end[:4] and start[4:] == "-01-01" and end[4:] == "-12-31":
        return start[:4]
    return f"{start} to {end}" if end else start


def period_end(text: str) -> str:
    """Return ``text`` ending in one full stop (none added after ``.``, ``?`` or ``!``)."""
    return text if not text or text[-1] in ".?!" else f"{text}."


def page_label(page: str) -> str:
    """Return a printed page as a locator: ``p. 41``, ``pp. 69–73``, ``pp. 95, 98``."""
    if "-" in page or "," in page:
        return "pp. " + page.replace("-", "\u2013")
    return f"p. {page}"


def sentence_case(title: str) -> str:
    """Lower-case the capitalised words of a title but its first (APA's sentence case).

    Acronyms and words with inner capitals (``ICT``, ``TECH4ALL``) keep their case, and
    so does the first word after a colon.
    """
    words = title.split(" ")
    for i, word in enumerate(words[1:], start=1):
        if word[:1].isupper() and word[1:].islower() and not words[i - 1].endswith(":"):
            words[i] = word.lower()
    return " ".join(words)


def md(text: str) -> str:
    """Return text safe to put in Markdown: it shows as written, never as markup."""
    text = re.sub(r"([\\`*_\[\]<>|#~])", r"\\\1", squash(text))
    text = re.sub(r"&(?=#?\w+;)", r"\\&", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", re.sub(r"^([-+=])", r"\\\1", text))


def md_url(url: str) -> str:
    """Return a URL safe inside a Markdown link's parentheses."""
    return "".join(
        {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}.get(c, c) for c in url
    )


class Markup:
    """How the prose styles mark italics and links: not at all, in plain text.

    Every piece of user text goes through `text` before it is put in a citation, so
    the HTML flavour (`HtmlMarkup`) escapes it; `italic` and `link` take marked text.
    """

    html = False

    def text(self, text: str) -> str:
        """Return user text as it goes in the output (white space squashed)."""
        return squash(text)

    def italic(self, marked: str) -> str:
        """Return marked text in italics (plain text has none)."""
        return marked

    def link(self, url: str, marked: str | None = None) -> str:
        """Return a link to ``url`` showing ``marked`` text (default: the URL itself)."""
        return self.text(url) if marked is None else marked

    def visible(self, marked: str) -> str:
        """Return what a reader sees of marked text."""
        return marked

    def end(self, marked: str) -> str:
        """Return marked text ending in one full stop, judged by what a reader sees."""
        seen = self.visible(marked)
        return marked if not seen or seen[-1] in ".?!" else f"{marked}."


class HtmlMarkup(Markup):
    """Italics as ``<i>``, links as ``<a href>``; user text escaped, never markup."""

    html = True

    def text(self, text: str) -> str:
        return html.escape(squash(text), quote=False)

    def italic(self, marked: str) -> str:
        return f"<i>{marked}</i>" if marked else marked

    def link(self, url: str, marked: str | None = None) -> str:
        href = html.escape(squash(url), quote=True)
        return f'<a href="{href}">{self.text(url) if marked is None else marked}</a>'

    def visible(self, marked: str) -> str:
        return html.unescape(re.sub(r"<[^>]*>", "", marked))


class MarkdownMarkup(Markup):
    """Markdown's own marks, for the ``markdown`` style; user text escaped (see `md`)."""

    def text(self, text: str) -> str:
        return md(text)

    def italic(self, marked: str) -> str:
        return f"*{marked}*" if marked else marked

    def link(self, url: str, marked: str | None = None) -> str:
        return f"[{md(url) if marked is None else marked}]({md_url(url)})"


PLAIN, HTML, MARKDOWN = Markup(), HtmlMarkup(), MarkdownMarkup()
"""The flavours of the prose styles: plain text, HTML, and Markdown for its style."""


# ------------------------------------------------------------------ BibTeX

_TEX = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
        "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
        "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}  # fmt: skip


def tex(text: str) -> str:
    """Return text escaped for a BibTeX field: braces stay balanced, specials are literal."""
    return "".join(_TEX.get(c, c) for c in squash(text))


def bibtex(groups: list[SourceFacts]) -> str:
    """Return one BibTeX entry per source, then an ``@comment`` per fact with its pinpoint.

    The report is a ``@techreport`` (its publisher the ``institution``); the post a
    ``@misc``, which BibTeX styles, biblatex and pybtex all know (``@online`` is
    biblatex's alone), with its publisher in ``howpublished`` (the field standard
    styles print for a ``@misc``) and its address once, in ``url``.
    """
    blocks = []
    for group in groups:
        s = group.source
        year, month = year_month(s.published)
        fields = [("author", f"{{{{{tex(s.author)}}}}}"), ("title", f"{{{{{tex(s.title)}}}}}")]
        if s.kind == "report":
            fields += [("institution", f"{{{tex(s.publisher)}}}"), ("type", "{Report}")]
        elif s.publisher:
            fields += [("howpublished", f"{{{tex(s.publisher)}}}")]
        fields += [("address", f"{{{tex(s.place)}}}")] if s.place else []
        fields += [("year", f"{{{year}}}")]
        fields += [("month", MONTHS[month - 1][:3].lower())] if month else []
        fields += [("url", f"{{{s.url}}}")] if s.url else []
        fields += (
            [("note", f"{{Reporting period: {tex(period_text(s.period))}}}")] if s.period else []
        )
        entry = ",\n".join(f"  {name:<12} = {value}" for name, value in fields)
        kind = "techreport" if s.kind == "report" else "misc"
        lines = [f"@{kind}{{{group.key},\n{entry},\n}}"]
        for fact, where in group.facts:
            pin = tex(where.long()).replace("\u201c", "``").replace("\u201d", "''")
            quote = tex(fact.quote).replace("@", r"{\char64}")  # an @ would start an entry
            pin = pin.replace("@", r"{\char64}")
            cite = f"\\cite[{{{pin}}}]{{{group.key}}}" if pin else f"\\cite{{{group.key}}}"
            lines.append(f"@comment{{{fact.id}: {cite} ``{quote}''}}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# ------------------------------------------------------------------ RIS


def ris_name(author: str) -> str:
    """Return a corporate author as RIS holds it: one name, without commas.

    Importers read ``AU  - Last, First``: Zotero would split ``Huawei Investment &
    Holding Co., Ltd.`` into the last name ``Huawei Investment & Holding Co.`` and the
    first name ``Ltd.``. Without the comma (``Co. Ltd.``) it is one single-field name.
    """
    return squash(re.sub(r"\s*,\s*", " ", author))


def ris(groups: list[SourceFacts]) -> str:
    """Return one RIS record per source, a note per fact with its locator and quote."""
    records = []
    for group in groups:
        s = group.source
        year, month = year_month(s.published)
        tags = [("TY", "RPRT" if s.kind == "report" else "ELEC"), ("ID", group.key),
                ("AU", ris_name(s.author)), ("TI", s.title), ("PY", year),
                ("DA", f"{year}/{month:02d}//" if month else f"{year}///"), ("PB", s.publisher),
                ("CY", s.place), ("UR", s.url), ("LA", s.language)]  # fmt: skip
        if s.period:
            tags.append(("N1", f"Reporting period: {period_text(s.period)}"))
        if len(group.facts) == 1:
            where = group.facts[0][1]
            tags += [("SE", where.section), ("SP", where.page or "")]
        for fact, where in group.facts:
            quote = squash(fact.quote)
            place = f" {where.long()}." if where.long() else ""
            tags.append(("N1", f"{fact.id}:{place} Quote: \u201c{quote}\u201d"))
        lines = [f"{tag}  - {squash(value)}" for tag, value in tags if value]
        records.append("\n".join([*lines, "ER  - "]))
    return "\n\n".join(records)
