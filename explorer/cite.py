"""Citations of facts in the common styles: pure functions, no I/O, no Textual.

`cite` gives one fact: for the prose styles the quote with its in-text
citation, then the reference; `bibliography` gives several: each source once,
then each fact's quote and locator under it. The machine styles (BibTeX, RIS,
CSL-JSON) hold the same: one record per source, the facts' locators in it.

Every style carries the locator (chapter, section, the page where the source
text shows it) and dates the document by its publication (the report: July
2021), never by the period it reports on (2020).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

from explorer import citeformats as fmt
from explorer.citeformats import Locator, SourceFacts, locate
from explorer.model import Fact, FactBase, Source

STYLES: Mapping[str, str] = MappingProxyType(
    {
        "plain": "Plain text",
        "markdown": "Markdown",
        "apa": "APA 7th edition",
        "mla": "MLA 9th edition",
        "chicago": "Chicago 17th edition (author-date)",
        "bibtex": "BibTeX",
        "ris": "RIS",
        "csl-json": "CSL-JSON",
    }
)
"""Every citation style: its name (for ``--style`` and the config) to a label."""

_MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.",
               "Oct.", "Nov.", "Dec.")  # fmt: skip


class UnknownStyle(ValueError):
    """A style name that is not one of `STYLES`."""

    def __init__(self, style: str) -> None:
        super().__init__(f"unknown citation style {style!r}; choose one of {', '.join(STYLES)}")


def cite(base: FactBase, fact: Fact, style: str) -> str:
    """Return the citation of one fact in one style.

    Args:
        base: The base the fact belongs to (for its source and chapter).
        fact: The fact to cite.
        style: One of `STYLES`.

    Returns:
        The citation, without a final newline.

    Raises:
        UnknownStyle: When ``style`` is not one of `STYLES`.
    """
    if style not in STYLES:
        raise UnknownStyle(style)
    if style in _MACHINE:
        return bibliography(base, [fact], style)
    source, where = base.source_of(fact), locate(base, fact)
    quote = f"\u201c{fmt.squash(fact.quote)}\u201d"
    if style == "plain":
        return f"{fmt.squash(fact.claim)}\n{quote}\n{_plain_source(source, where)}"
    if style == "markdown":
        return (
            f"{fmt.md(fact.claim)}\n\n> {fmt.md(fmt.squash(fact.quote))}\n\n"
            f"\u2014 {_markdown_source(source)}, {fmt.md(where.long())}."
        )
    reference, in_text = _PROSE[style]
    return f"{quote} {in_text(source, where)}\n\n{reference(source)}"


def bibliography(base: FactBase, facts: Iterable[Fact], style: str) -> str:
    """Return several facts as one bibliography: each source once, its facts under it.

    Args:
        base: The base the facts belong to.
        facts: The facts, in the order to list them; repeats are dropped.
        style: One of `STYLES`.

    Returns:
        The bibliography, without a final newline.

    Raises:
        UnknownStyle: When ``style`` is not one of `STYLES`.
    """
    if style not in STYLES:
        raise UnknownStyle(style)
    groups = fmt.group_by_source(base, facts)
    if style in _MACHINE:
        return _MACHINE[style](groups)
    blocks = [_prose_block(style, group) for group in groups]
    if style in _PROSE:  # reference lists are alphabetical
        blocks.sort(key=str.casefold)
    return "\n\n".join(blocks)


def _prose_block(style: str, group: SourceFacts) -> str:
    source = group.source
    if style == "plain":
        head, bullet = _plain_source(source), "  - "
        lines = [f"{bullet}\u201c{fmt.squash(f.quote)}\u201d ({w.long()})" for f, w in group.facts]
    elif style == "markdown":
        head = f"{_markdown_source(source)}."
        lines = [
            f"- \u201c{fmt.md(fmt.squash(f.quote))}\u201d ({fmt.md(w.long())})"
            for f, w in group.facts
        ]
    else:
        reference, in_text = _PROSE[style]
        head = reference(source)
        lines = [
            f"  - \u201c{fmt.squash(f.quote)}\u201d {in_text(source, w)}" for f, w in group.facts
        ]
    return (
        "\n\n".join([head, "\n".join(lines)]) if style == "markdown" else "\n".join([head, *lines])
    )


# ------------------------------------------------------------------ plain and Markdown


def month_year(published: str) -> str:
    """Return ``July 2021`` for ``2021-07``, ``2021`` for ``2021``."""
    year, month = fmt.year_month(published)
    return f"{fmt.MONTHS[month - 1]} {year}" if 1 <= month <= 12 else year


def sentence_case(title: str) -> str:
    """Lower-case the capitalised words of a title but its first (APA's sentence case).

    Acronyms and words with inner capitals (``ICT``, ``TECH4ALL``) keep their case.
    """
    words = title.split(" ")
    for i, word in enumerate(words[1:], start=1):
        if word[:1].isupper() and word[1:].islower() and not words[i - 1].endswith(":"):
            words[i] = word.lower()
    return " ".join(words)


def bare_url(url: str) -> str:
    """Return a URL without its scheme, as MLA prints it."""
    return re.sub(r"^https?://", "", url)


def _dates(source: Source) -> str:
    published = month_year(source.published)
    period = fmt.period_text(source.period)
    return (
        f"published {published}; reporting period {period}" if period else f"published {published}"
    )


def _plain_source(source: Source, where: Locator | None = None) -> str:
    place = f", {where.long()}" if where is not None else ""
    return f"{source.author}, {source.title} ({_dates(source)}){place}. {source.url}".strip()


def _markdown_source(source: Source) -> str:
    title = f"*{fmt.md(source.title)}*"
    link = f"[{title}]({fmt.md_url(source.url)})" if source.url else title
    return f"{fmt.md(source.author)}, {link} ({_dates(source)})"


# ------------------------------------------------------------------ APA 7


def _apa_reference(source: Source) -> str:
    year, month = fmt.year_month(source.published)
    date = f"{year}, {fmt.MONTHS[month - 1]}" if month and source.kind == "post" else year
    parts = [
        fmt.period_end(source.author),
        f"({date}).",
        fmt.period_end(sentence_case(source.title)),
    ]
    if source.publisher and source.publisher != source.author:
        parts.append(fmt.period_end(source.publisher))
    return " ".join([*parts, source.url]).strip()


def _apa_in_text(source: Source, where: Locator) -> str:
    year, _ = fmt.year_month(source.published)
    pin = [where.chapter or "", f"{where.section} section" if where.section else ""]
    pin += [f"item {where.item}" if where.item else "", f"p. {where.page}" if where.page else ""]
    return f"({', '.join(p for p in [source.author, year, *pin] if p)})"


# ------------------------------------------------------------------ MLA 9


def _mla_reference(source: Source) -> str:
    year, month = fmt.year_month(source.published)
    date = f"{_MLA_MONTHS[month - 1]} {year}" if month else year
    title = (
        f"\u201c{fmt.period_end(source.title)}\u201d"
        if source.kind == "post"
        else fmt.period_end(source.title)
    )
    # MLA: a body that is both author and publisher is named once, as publisher.
    head = [] if source.author == source.publisher else [fmt.period_end(source.author)]
    container = ", ".join(p for p in (source.publisher, date, bare_url(source.url)) if p)
    return " ".join([*head, title, fmt.period_end(container)])


def _mla_in_text(source: Source, where: Locator) -> str:
    lead = source.title if source.author == source.publisher else source.author
    pin = [where.chapter.replace("Chapter", "ch.").replace("Appendix", "app.") or ""]
    pin += [f"sec. \u201c{where.section}\u201d" if where.section else ""]
    pin += [f"item {where.item}" if where.item else ""]
    rest = ", ".join(p for p in pin if p)
    if where.page:
        return f"({lead} {where.page}; {rest})" if rest else f"({lead} {where.page})"
    return f"({lead}, {rest})" if rest else f"({lead})"


# ------------------------------------------------------------------ Chicago author-date


def _chicago_reference(source: Source) -> str:
    year, month = fmt.year_month(source.published)
    if source.kind == "post":
        date = f"{fmt.MONTHS[month - 1]} {year}" if month else year
        where = ", ".join(p for p in (source.publisher, date) if p)
        body = f"\u201c{fmt.period_end(source.title)}\u201d {fmt.period_end(where)}"
    else:
        imprint = ": ".join(p for p in (source.place, source.publisher) if p)
        body = f"{fmt.period_end(source.title)} {fmt.period_end(imprint)}".strip()
    return f"{fmt.period_end(source.author)} {year}. {body} {source.url}".strip()


def _chicago_in_text(source: Source, where: Locator) -> str:
    year, _ = fmt.year_month(source.published)
    pin = [where.chapter.replace("Chapter", "chap.").replace("Appendix", "app.")]
    pin += [f"\u201c{where.section}\u201d" if where.section else ""]
    pin += [f"item {where.item}" if where.item else ""]
    rest = ", ".join(p for p in pin if p)
    if where.page:
        rest = f"{where.page}; {rest}" if rest else where.page
    return f"({source.author} {year}, {rest})" if rest else f"({source.author} {year})"


_PROSE: dict[str, tuple[Callable[[Source], str], Callable[[Source, Locator], str]]] = {
    "apa": (_apa_reference, _apa_in_text),
    "mla": (_mla_reference, _mla_in_text),
    "chicago": (_chicago_reference, _chicago_in_text),
}
_MACHINE: dict[str, Callable[[list[SourceFacts]], str]] = {
    "bibtex": fmt.bibtex,
    "ris": fmt.ris,
    "csl-json": fmt.csl_json,
}

__all__ = ["STYLES", "Locator", "UnknownStyle", "bibliography", "cite", "locate"]
