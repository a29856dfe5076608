"""The GRI content index and the glossary as entries of the base.

Each disclosure of ``gri.yaml`` (Appendix II) and each acronym of
``glossary.yaml`` (Appendix III) becomes a `Fact` of its own kind, so a reader
finds, reads, cites and exports it like any curated fact. Its quote is the
index row's code and title, or the glossary line, as the report prints them:
`explorer.check` proves it like any other quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from explorer.model import Chapter, Fact, GriDisclosure, Link, Term

SOURCE = "report"
"""The source both appendices belong to."""

GRI_CHAPTER = "app2"
"""The chapter of the GRI content index."""

GLOSSARY_CHAPTER = "app3"
"""The chapter of the acronyms."""

ASSURANCE = "not-covered"
"""The assurance statement attests the report's data, not its index rows or its glossary."""


def disclosure_id(code: str) -> str:
    """The id of a disclosure's entry: ``gri-303-5``."""
    return "gri-" + _slug(code)


def acronym_id(acronym: str) -> str:
    """The id of an acronym's entry: ``acronym-csd``, ``acronym-brics-wba``."""
    return "acronym-" + _slug(acronym)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def appendix_entries(
    gri: Iterable[GriDisclosure],
    glossary: Iterable[Term],
    chapters: Mapping[str, Chapter],
    facts: Iterable[Fact],
) -> list[Fact]:
    """Return one entry per disclosure and per acronym, in printed order.

    Args:
        gri: The GRI content index.
        glossary: The acronyms.
        chapters: The base's chapters; an appendix the base lacks (a small
            base of its own) gives no entries.
        facts: The curated facts; a disclosure links to each fact citing it.
    """
    citing: dict[str, list[str]] = {}
    for fact in facts:
        for code in dict.fromkeys(fact.gri):
            citing.setdefault(code, []).append(fact.id)
    out: list[Fact] = []
    chapter = chapters.get(GRI_CHAPTER)
    if chapter is not None and chapter.source_id == SOURCE and chapter.sections:
        section = chapter.sections[0].title
        out += [_disclosure(item, section, citing.get(item.code, ())) for item in gri]
    chapter = chapters.get(GLOSSARY_CHAPTER)
    if chapter is not None and chapter.source_id == SOURCE and chapter.sections:
        section = chapter.sections[0].title
        out += [_acronym(term, section) for term in glossary]
    return out


def _disclosure(item: GriDisclosure, section: str, citing: Iterable[str]) -> Fact:
    name = f"GRI {item.code} {item.title}"
    printed_page = any(c.isdigit() for c in item.pages) and "%" not in item.pages
    if printed_page:
        many = any(c in item.pages for c in "-,")
        claim = f"{name} is reported on page{'s' if many else ''} {item.pages}."
    elif item.pages.strip() == "/":
        claim = f"{name} is listed in the GRI content index without a page."
    else:
        claim = f'{name} is listed in the GRI content index with "{item.pages}" for its page.'
    notes = [f"{item.part}; {item.group}." if item.part and item.group else ""]
    if item.sdgs:
        notes.append("Relevance to the UN SDGs: " + ", ".join(f"SDG{s}" for s in item.sdgs) + ".")
    notes.append(f'Pages as printed: "{item.pages}".')
    if item.notes:
        notes.append(item.notes)
    return Fact(
        id=disclosure_id(item.code),
        kind="disclosure",
        claim=claim,
        quote=f"{item.code} {item.title}",
        source=SOURCE,
        chapter=GRI_CHAPTER,
        assurance=ASSURANCE,
        section=section,
        tags=("gri",),  # not the group: "Occupational Health and Safety" would outweigh facts
        gri=(item.code,),
        related=tuple(Link(fid, "cited-by") for fid in citing),
        notes=" ".join(n for n in notes if n),
        page=item.pages if printed_page else None,
        file="gri.yaml",
        line=item.line,
    )


def _acronym(term: Term, section: str) -> Fact:
    return Fact(
        id=acronym_id(term.acronym),
        kind="acronym",
        claim=f"{term.acronym} stands for {term.full}.",
        quote=f"{term.acronym} {term.full}",
        source=SOURCE,
        chapter=GLOSSARY_CHAPTER,
        assurance=ASSURANCE,
        section=section,
        tags=("acronym",),
        file="glossary.yaml",
        line=term.line,
    )
