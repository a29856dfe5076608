"""The fact base as immutable data: sources, chapters, sections and facts.

Nothing here reads files or imports Textual; `explorer.loader` builds these
objects from YAML and `explorer.check` proves them against the source texts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from explorer.lazyre import lazy
from explorer.records import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from explorer.related import Related, Series
    from explorer.search import Hit

FORBIDDEN = lazy("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""Characters no fact text may hold: C0 controls but tab and newline, DEL, C1,
bidi embeddings, overrides and isolates, and lone surrogates (text that can
hide or reorder what a reader sees). The loader refuses them; the app strips them.
Compiled when first used: a search never does (~0.5 ms of its process)."""

ENTRY_KINDS = ("disclosure", "acronym")
"""Kinds the loader builds from ``gri.yaml`` and ``glossary.yaml`` (never in a fact file)."""

KINDS = ("figure", "table", "target", "statement", "award", "event", "moment", *ENTRY_KINDS)
"""Every kind of fact, in the order FACTBASE.md lists them, then the appendix entries."""

NUMERIC_KINDS = ("figure", "table", "target")
"""Kinds that must carry `as_printed`, `value` and `unit`."""

QUALIFIERS = ("exact", "about", "nearly", "more-than", "at-least", "less-than", "up-to")
"""How a printed figure relates to the true quantity."""

GAP = " \u2026 "
"""What joins the spans of a quote made of several: an ellipsis, as a writer marks a cut."""

RELS = ("same-metric", "breakdown-of", "part-of", "target-of", "supports", "conflicts", "see-also")
"""Relations a curator may write under `related:`."""

ASSURANCE = ("assured", "excluded-positional", "excluded-financial", "not-covered")
"""What the external assurance statement says about a fact."""

STATUSES = ("achieved", "on-track", "not-achieved")
"""The status of a goal (Appendix I)."""

REVIEW = ("pending",)
"""What `review` may say: a drafted candidate still awaiting a reviewer."""


@dataclass(frozen=True, slots=True)
class Source:
    """A document facts are quoted from."""

    id: str
    """Short id used by facts, e.g. ``report``."""
    title: str
    """The document's title as published."""
    kind: str
    """``report`` or ``post``: decides the citation type."""
    author: str
    """The author, a corporate body for the report."""
    publisher: str
    """Who published it."""
    published: str
    """Publication date as ``YYYY`` or ``YYYY-MM`` or ``YYYY-MM-DD``."""
    period: str
    """The reporting period the document covers, ``start/end``."""
    sha256: str
    """The sha256 of the text edition every quote is proven against."""
    url: str = ""
    """Where the document can be found (empty where not known: citations then leave it out)."""
    file: str = ""
    """The usual file name of that text edition (a hint; check matches by hash)."""
    language: str = "en"
    """Language of the text."""
    place: str = ""
    """Place of publication, where known."""
    notes: str = ""
    """Anything a reader of the source should know."""
    pdf_sha256: str = ""
    """The sha256 of the PDF the text edition was extracted from, where one was."""


@dataclass(frozen=True, slots=True)
class Section:
    """A named section of a chapter."""

    chapter_id: str
    """The chapter it belongs to."""
    title: str
    """The section heading as printed."""
    index: int
    """Position in its chapter, from 0."""


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter (or the front matter, an appendix, the whole post) of a source."""

    id: str
    """Short id used by facts, e.g. ``ch4``."""
    source_id: str
    """The source it belongs to."""
    title: str
    """The chapter's title as printed."""
    summary: str
    """A summary paragraph in the curators' words."""
    sections: tuple[Section, ...]
    """Its sections, in order."""
    number: str = ""
    """The chapter number as printed ("4", "II"); empty for front matter."""
    lines: str = ""
    """The line range of the chapter in the source text, ``first-last``."""
    index: int = 0
    """Position of the chapter in the base, from 0."""

    @property
    def label(self) -> str:
        """A short badge for the chapter: ``Ch 4``, ``App II``, or its title."""
        if not self.number:
            return self.title
        return f"App {self.number}" if self.id.startswith("app") else f"Ch {self.number}"

    def section(self, title: str) -> Section | None:
        """Return the section with this title, or None."""
        return next((s for s in self.sections if s.title == title), None)


@dataclass(frozen=True, slots=True)
class Link:
    """A curated relation from one fact to another."""

    id: str
    """The other fact's id."""
    rel: str
    """One of `RELS`."""


@dataclass(frozen=True, slots=True)
class Fact:
    """One claim, its verbatim quote and where it stands in its source."""

    id: str
    """Stable unique id, ``[a-z0-9-]``."""
    kind: str
    """One of `KINDS`."""
    claim: str
    """One self-contained sentence in the curators' words."""
    quote: str
    """A contiguous span of the source, copied exactly; or its spans joined by `GAP`."""
    source: str
    """The source id."""
    chapter: str
    """The chapter id."""
    assurance: str
    """One of `ASSURANCE`."""
    section: str = ""
    """The section title, one of its chapter's sections."""
    as_printed: str | None = None
    """The figure exactly as it stands in the quote."""
    value: float | int | None = None
    """``as_printed`` normalised to a number (a range's lower bound)."""
    upper: float | int | None = None
    """A range's upper bound: "26\u201350%" is value 26, upper 50."""
    unit: str | None = None
    """Unit of ``value``."""
    qualifier: str = "exact"
    """One of `QUALIFIERS`."""
    period: str | None = None
    """The period the figure covers: ``2020``, ``2012/2020``, ``2020-02-03``."""
    metric: str | None = None
    """Id of the measured quantity, shared across sources and periods."""
    scope: str | None = None
    """The boundary the figure covers."""
    tags: tuple[str, ...] = ()
    """Topic tags."""
    gri: tuple[str, ...] = ()
    """GRI disclosure codes."""
    related: tuple[Link, ...] = ()
    """Curated relations to other facts."""
    notes: str | None = None
    """How the figure was read."""
    page: str | None = None
    """Printed page, only where the text shows it."""
    series: Mapping[str, float | int] | None = None
    """For ``table`` facts: period to value."""
    status: str | None = None
    """For ``target`` facts: one of `STATUSES`."""
    actual: str | None = None
    """For ``target`` facts: the actual result, as printed."""
    file: str = ""
    """The fact file it was loaded from, relative to the base."""
    line: int = 0
    """The line of its ``id`` in that file."""
    spans: tuple[str, ...] = ()
    """The quote's spans, in source order, where it has more than one."""
    review: str | None = None
    """``pending`` for a drafted candidate no one has reviewed yet (see `explorer.draft`)."""

    @property
    def parts(self) -> tuple[str, ...]:
        """The spans of the source the quote is made of: one, or those of ``spans``."""
        return self.spans or (self.quote,)

    def to_dict(self) -> dict[str, Any]:
        """Return every field the fact has, as JSON-ready data, in schema order."""
        out: dict[str, Any] = {}
        for name in FACT_FIELDS:
            value = getattr(self, name)
            if value is None or value == () or (name == "section" and not value):
                continue
            if name == "related":
                value = [{"id": link.id, "rel": link.rel} for link in value]
            elif name in ("tags", "gri"):
                value = list(value)
            elif name == "series":
                value = dict(value)
            elif name == "quote" and self.spans:
                value = list(self.spans)
            out[name] = value
        return out


FACT_FIELDS = (
    "id", "kind", "claim", "quote", "source", "chapter", "section", "as_printed", "value",
    "upper", "unit", "qualifier", "period", "metric", "scope", "tags", "gri", "related",
    "assurance", "notes", "page", "series", "status", "actual", "review",
)  # fmt: skip
"""The fields of a fact as they appear in a fact file."""


@dataclass(frozen=True, slots=True)
class GriDisclosure:
    """One line of the GRI content index (Appendix II)."""

    code: str
    """Disclosure code, e.g. ``305-1``."""
    title: str
    """Its title as printed."""
    pages: str
    """Pages as printed ("/" where none)."""
    part: str = ""
    """Part heading of the index."""
    group: str = ""
    """Group heading (the GRI standard for topic-specific disclosures)."""
    sdgs: tuple[str, ...] = ()
    """UN SDG numbers printed beside it."""
    notes: str = ""
    """Omission reasons and the like."""
    line: int = 0
    """Its line in gri.yaml."""


@dataclass(frozen=True, slots=True)
class Term:
    """An acronym of the glossary (Appendix III)."""

    acronym: str
    """The acronym as printed."""
    full: str
    """Its expansion as printed."""
    line: int = 0
    """Its line in glossary.yaml."""


@dataclass(frozen=True)
class FactBase:
    """The whole base: sources, chapters and facts, with lookups.

    Build it with `explorer.open_factbase`; it never changes once loaded.
    """

    facts: tuple[Fact, ...]
    """Every fact, in base order (chapter order, then file order)."""
    sources: Mapping[str, Source]
    """Sources by id."""
    chapters: Mapping[str, Chapter]
    """Chapters by id, in reading order."""
    gri: tuple[GriDisclosure, ...] = ()
    """The GRI content index."""
    glossary: tuple[Term, ...] = ()
    """The acronyms."""
    synonyms: tuple[tuple[str, ...], ...] = ()
    """Groups of words that mean the same to a searcher."""
    broader: tuple[tuple[str, ...], ...] = ()
    """Groups whose first word names more broadly what the others name ("employees":
    "managers", "engineers"): a fact saying it may answer for them, faintly."""
    root: str = ""
    """The folder the base was loaded from."""
    _by_id: Mapping[str, Fact] = field(default_factory=dict, repr=False)
    _related_cache: dict[str, object] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """Indexes `explorer.related` builds on first use (the base itself never changes)."""
    _by_section: dict[tuple[str, str], tuple[Fact, ...]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """Facts by (chapter, section), grouped on first use."""
    _search_index: Any = field(default=None, init=False, compare=False, repr=False)
    """The search index, built once on first search (or loaded from the cache)."""
    _known_terms: Any = field(default=None, init=False, compare=False, repr=False)
    """Texts of its facts with their search terms, as the parse workers found them
    (`explorer.parsepool`): the index build takes them instead of finding them again,
    then drops them."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))
        object.__setattr__(self, "chapters", MappingProxyType(dict(self.chapters)))
        if isinstance(self._by_id, dict):  # the default; a base made on demand brings its own
            object.__setattr__(self, "_by_id", MappingProxyType({f.id: f for f in self.facts}))

    def __len__(self) -> int:
        return len(self.facts)

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    def get(self, fact_id: str) -> Fact | None:
        """Return the fact with this id, or None."""
        return self._by_id.get(fact_id)

    def chapter_of(self, fact: Fact) -> Chapter:
        """Return the chapter a fact sits in."""
        return self.chapters[fact.chapter]

    def source_of(self, fact: Fact) -> Source:
        """Return the source a fact is quoted from."""
        return self.sources[fact.source]

    def in_section(self, chapter_id: str, section: str) -> tuple[Fact, ...]:
        """Return the facts of one section, in base order."""
        if not self._by_section:  # grouped once: the app asks on every fact it shows
            groups: dict[tuple[str, str], list[Fact]] = {}
            for fact in self.facts:
                groups.setdefault((fact.chapter, fact.section), []).append(fact)
            self._by_section.update((key, tuple(facts)) for key, facts in groups.items())
        return self._by_section.get((chapter_id, section), ())

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Return the facts best matching ``query``, best first.

        Args:
            query: Words to look for; see the README for the query language.
            limit: The most hits to return.
        """
        from explorer.search import search

        return search(self, query, limit=limit).hits

    def related(self, fact_id: str, limit: int = 10) -> list[Related]:
        """Return the facts related to one, strongest first; see `explorer.related.related`.

        Args:
            fact_id: The fact's id.
            limit: The most related facts to return.

        Raises:
            KeyError: No fact has this id.
        """
        from explorer.related import related

        return related(self, fact_id, limit=limit)

    def series(self, metric: str) -> Series | None:
        """Return a metric's values by period, or None; see `explorer.related.series`."""
        from explorer.related import series

        return series(self, metric)
