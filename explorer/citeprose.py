"""The hand-written prose styles: each source's reference and each fact's in-text citation.

APA 7, MLA 9 and Chicago (17th edition, author-date), and the sources as the
``plain`` and ``markdown`` styles name them, each written with a `Markup`, so
that one rule gives the plain text and the HTML (italic titles, linked
addresses). Pure functions; `explorer.cite` puts them together.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from explorer import citeformats as fmt
from explorer.citeformats import Locator, Markup, sentence_case
from explorer.model import Source

_MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.",
               "Oct.", "Nov.", "Dec.")  # fmt: skip


# ------------------------------------------------------------------ plain and Markdown


def month_year(published: str) -> str:
    """Return ``July 2021`` for ``2021-07``, ``2021`` for ``2021``."""
    year, month = fmt.year_month(published)
    return f"{fmt.MONTHS[month - 1]} {year}" if 1 <= month <= 12 else year


def bare_url(url: str) -> str:
    """Return a URL without its scheme, as MLA prints it."""
    return re.sub(r"^https?://", "", url)


def _dates(m: Markup, source: Source) -> str:
    published = m.text(month_year(source.published))
    period = m.text(fmt.period_text(source.period))
    return (
        f"published {published}; reporting period {period}" if period else f"published {published}"
    )


def plain_source(m: Markup, source: Source, where: Locator | None = None) -> str:
    place = f", {m.text(where.long())}" if where is not None else ""
    title = m.italic(m.text(source.title))
    url = f" {m.link(source.url)}" if source.url else ""
    return f"{m.text(source.author)}, {title} ({_dates(m, source)}){place}.{url}"


def markdown_source(m: Markup, source: Source) -> str:
    title = m.italic(m.text(source.title))
    link = m.link(source.url, title) if source.url else title
    return f"{m.text(source.author)}, {link} ({_dates(m, source)})"


# ------------------------------------------------------------------ APA 7


def _apa_reference(m: Markup, source: Source) -> str:
    year, month = fmt.year_month(source.published)
    date = f"{year}, {fmt.MONTHS[month - 1]}" if month and source.kind == "post" else year
    parts = [
        m.end(m.text(source.author)),
        f"({m.text(date)}).",
        m.end(m.italic(m.text(sentence_case(source.title)))),  # §9.19: reports, webpages
    ]
    if source.publisher and source.publisher != source.author:
        parts.append(m.end(m.text(source.publisher)))
    return " ".join([*parts, m.link(source.url) if source.url else ""]).strip()


def _apa_in_text(m: Markup, source: Source, where: Locator) -> str:
    year, _ = fmt.year_month(source.published)
    pin = [where.chapter or "", f"{where.section} section" if where.section else ""]
    pin += [f"Section {where.number}" if where.number else ""]
    pin += [fmt.page_label(where.page) if where.page else ""]
    return f"({m.text(', '.join(p for p in [source.author, year, *pin] if p))})"


# ------------------------------------------------------------------ MLA 9


def _mla_reference(m: Markup, source: Source) -> str:
    year, month = fmt.year_month(source.published)
    date = f"{_MLA_MONTHS[month - 1]} {year}" if month else year
    title = m.text(source.title)
    # A page of a website is in quotation marks; a work that stands alone, in italics.
    title = f"\u201c{m.end(title)}\u201d" if source.kind == "post" else m.end(m.italic(title))
    # MLA: a body that is both author and publisher is named once, as publisher.
    head = [] if source.author == source.publisher else [m.end(m.text(source.author))]
    url = m.link(source.url, m.text(bare_url(source.url))) if source.url else ""
    container = ", ".join(p for p in (m.text(source.publisher), m.text(date), url) if p)
    return " ".join([*head, title, m.end(container)])


def _mla_in_text(m: Markup, source: Source, where: Locator) -> str:
    by_title = source.author == source.publisher
    lead = m.italic(m.text(source.title)) if by_title else m.text(source.author)
    pin = [where.chapter.replace("Chapter", "ch.").replace("Appendix", "app.") or ""]
    pin += [f"sec. \u201c{where.section}\u201d" if where.section else ""]
    pin += [f"sec. {where.number}" if where.number else ""]
    rest = m.text(", ".join(p for p in pin if p))
    if where.page:
        page = m.text(where.page)
        return f"({lead} {page}; {rest})" if rest else f"({lead} {page})"
    return f"({lead}, {rest})" if rest else f"({lead})"


# ------------------------------------------------------------------ Chicago author-date


def _chicago_reference(m: Markup, source: Source) -> str:
    year, month = fmt.year_month(source.published)
    if source.kind == "post":
        date = f"{fmt.MONTHS[month - 1]} {year}" if month else year
        where = ", ".join(p for p in (m.text(source.publisher), date) if p)
        body = f"\u201c{m.end(m.text(source.title))}\u201d {m.end(where)}"
    else:
        imprint = ": ".join(p for p in (m.text(source.place), m.text(source.publisher)) if p)
        body = f"{m.end(m.italic(m.text(source.title)))} {m.end(imprint)}".strip()
    url = m.end(m.link(source.url)) if source.url else ""  # CMOS ends every entry with a period
    return f"{m.end(m.text(source.author))} {m.text(year)}. {body} {url}".strip()


def _chicago_in_text(m: Markup, source: Source, where: Locator) -> str:
    year, _ = fmt.year_month(source.published)
    pin = [where.chapter.replace("Chapter", "chap.").replace("Appendix", "app.")]
    pin += [f"\u201c{where.section}\u201d" if where.section else ""]
    pin += [f"sec. {where.number}" if where.number else ""]
    rest = ", ".join(p for p in pin if p)
    if where.page:
        rest = f"{where.page}; {rest}" if rest else where.page
    head = f"{source.author} {year}"
    return f"({m.text(f'{head}, {rest}' if rest else head)})"


_Reference = Callable[[Markup, Source], str]
_InText = Callable[[Markup, Source, Locator], str]
PROSE: dict[str, tuple[_Reference, _InText]] = {
    "apa": (_apa_reference, _apa_in_text),
    "mla": (_mla_reference, _mla_in_text),
    "chicago": (_chicago_reference, _chicago_in_text),
}
