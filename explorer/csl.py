"""CSL: the CSL-JSON the explorer exports, and citations in any CSL style, by citeproc-py.

`csl_json` is the ``csl-json`` style and export format; `render` cites facts in
a CSL style (`explorer.styles`) through citeproc-py, the Python CSL processor,
fed the same items. citeproc-py and lxml are imported by `render` alone, when a
CSL style is asked for: nothing else here needs them.
"""

from __future__ import annotations

import html
import json
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from explorer.citeformats import (
    Locator,
    Markup,
    SourceFacts,
    period_text,
    sentence_case,
    squash,
    year_month,
)
from explorer.model import Fact
from explorer.styles import CslStyle, StyleError

CSL_CITATION_SCHEMA = (
    "https://resource.citationstyles.org/schema/latest/input/json/csl-citation.json"
)
"""The schema of a CSL citation object, as its ``schema`` field names it."""


# ------------------------------------------------------------------ CSL-JSON


def csl_items(groups: list[SourceFacts]) -> list[dict[str, Any]]:
    """Return the CSL-JSON items of the sources, without the facts: what a processor reads.

    Titles are in sentence case, as CSL wants its data: a style that wants title case
    (MLA, Chicago) converts them itself, and one that wants sentence case (APA) cannot.
    """
    items = []
    for group in groups:
        s = group.source
        year, month = year_month(s.published)
        item: dict[str, Any] = {
            "id": group.key, "citation-key": group.key,
            "type": "report" if s.kind == "report" else "webpage",
            "title": sentence_case(squash(s.title)), "author": [{"literal": s.author}],
            "publisher": s.publisher, "publisher-place": s.place,
            "issued": {"date-parts": [[int(year), month] if month else [int(year)]]},
            "URL": s.url, "language": s.language,
            "note": f"Reporting period: {period_text(s.period)}" if s.period else "",
        }  # fmt: skip
        items.append({k: v for k, v in item.items() if v})
    return items


def csl_json(groups: list[SourceFacts]) -> str:
    """Return a CSL-JSON array: one item per source, its facts' locators under ``custom``.

    Each fact under ``custom.facts`` carries its ``locator`` and ``label`` (a CSL
    locator type), chapter, section, page and quote, and a ``citation``: a
    csl-citation.json object whose citation item holds the locator and label where a
    CSL processor reads them. A lone fact also sets the item's ``locator``.
    """
    items = csl_items(groups)
    for item, group in zip(items, groups, strict=True):
        facts = [_csl_fact(fact, where, group.key) for fact, where in group.facts]
        if len(facts) == 1 and "locator" in facts[0]:
            item["locator"] = facts[0]["locator"]
        item["custom"] = {"facts": facts}
    return json.dumps(items, ensure_ascii=False, indent=2)


def cite_item(key: str, where: Locator) -> dict[str, str]:
    """Return the csl-citation.json citation item citing ``key`` at ``where``."""
    locator, label = where.csl()
    return {"id": key, "locator": locator, "label": label} if locator else {"id": key}


def _csl_fact(fact: Fact, where: Locator, key: str) -> dict[str, Any]:
    cited = cite_item(key, where)
    out: dict[str, Any] = {
        "id": fact.id, "locator": cited.get("locator", ""), "label": cited.get("label", ""),
        "chapter": where.chapter, "chapter-title": where.chapter_title,
        "section": where.section or where.number or "", "page": where.page or "",
        "quote": squash(fact.quote),
    }  # fmt: skip
    out = {k: v for k, v in out.items() if v}
    out["citation"] = {
        "schema": CSL_CITATION_SCHEMA, "citationID": fact.id, "citationItems": [cited],
        "properties": {"noteIndex": 0},
    }  # fmt: skip
    return out


# ------------------------------------------------------------------ citeproc-py


@dataclass(frozen=True, slots=True)
class Rendered:
    """One source as a CSL style cites it: its reference and each fact's in-text citation."""

    reference: str
    """The bibliography entry, in the flavour asked for."""
    cites: tuple[tuple[Fact, str], ...]
    """Each fact with its in-text citation (its locator in it), in the order given."""


def render(style: CslStyle, groups: list[SourceFacts], markup: Markup) -> list[Rendered]:
    """Cite the facts of each source in a CSL style, sources in the style's order.

    Args:
        style: The style (`explorer.styles.find`).
        groups: The sources and their facts (`explorer.citeformats.group_by_source`).
        markup: `explorer.citeformats.PLAIN` or `HTML`: the flavour to render in.

    Returns:
        One `Rendered` per source, in the order of the style's bibliography.

    Raises:
        StyleError: citeproc-py cannot read the style or render with it.
    """
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source import Locator as CiteprocLocator
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():  # citeproc-py warns of what it skips, on stderr
        warnings.simplefilter("ignore")
        parsed = _parse(style.path, *_stamp(style.path))
        try:
            items = [_supported(item) for item in csl_items(groups)]
            source = CiteProcJSON([_escaped(i) for i in items] if markup.html else items)
            output = formatter.html if markup.html else formatter.plain
            bib = CitationStylesBibliography(parsed, source, output)
            citations: dict[str, list[tuple[Fact, tuple[str, str], Any]]] = {}
            prints = _prints_locators(parsed)
            for group in groups:
                for fact, where in group.facts:
                    locator, label = where.csl()
                    pin = {"locator": CiteprocLocator(label, locator)} if locator else {}
                    citation = Citation([CitationItem(group.key, **pin)])
                    bib.register(citation)
                    pair = (fact, (locator, label), citation)
                    citations.setdefault(group.key.lower(), []).append(pair)
            bib.sort()
            cites = {
                key: tuple(
                    (fact, _tidy(_pinned(_cite(bib, source, key, at[0], c), *at, prints), markup))
                    for fact, at, c in pairs
                )
                for key, pairs in citations.items()
            }
            entries = [_entry(str(text), markup) for text in bib.bibliography()]
        except Exception as err:  # citeproc-py raises anything on what it does not support
            raise StyleError(f"citeproc-py cannot cite in {style.id}: {_said(err)}") from None
    return [Rendered(entry, cites[key]) for key, entry in zip(bib.keys, entries, strict=True)]


_LABELS = {"page": "p.", "chapter": "ch.", "section": "sec.", "paragraph": "para."}
"""How a locator's label is written where a style drops the locator and we add it."""


def _pinned(text: str, locator: str, label: str, prints: bool) -> str:
    """The citation with its locator: a style that never prints one (Nature's bare "1")
    gets it after the mark, so every style says where in the source the quote stands."""
    if not locator or prints:
        return text
    return f"{text} ({_LABELS.get(label, label)} {locator})".strip()


@lru_cache(maxsize=8)
def _prints_locators(style: Any) -> bool:
    """Whether a style's citations can print a locator at all (Nature's and NLM's cannot)."""
    return any("locator" in (node.get("variable") or "") for node in style.root.iter())


def _cite(bib: Any, source: Any, key: str, locator: str, citation: Any) -> str:
    """One in-text citation, its item holding its locator while it is rendered.

    citeproc-py reads ``is-numeric="locator"`` from the item, not from the citation
    (APA 7 tests it to print "Chapter 4" rather than "4"), so the item lends it.
    """
    reference = source[key]
    if locator:
        reference["locator"] = source.parse_string(locator)
    try:
        return str(bib.cite(citation, _ignore))
    finally:
        reference.pop("locator", None)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError as err:
        raise StyleError(f"{_shown(path)}: cannot be read ({err.strerror or err})") from None
    return info.st_mtime_ns, info.st_size


@lru_cache(maxsize=8)
def _parse(path: Path, _mtime: int, _size: int) -> Any:
    """The parsed style, kept while its file is unchanged (the picker previews often)."""
    from citeproc import CitationStylesStyle

    try:
        style = CitationStylesStyle(str(path), validate=False)
    except Exception as err:  # lxml's syntax errors, citeproc-py's unknown elements...
        why = _said(err)
        raise StyleError(f"{_shown(path)}: not a CSL style citeproc-py can read ({why})") from None
    _lend_date_delimiters(style.root)
    return style


def _lend_date_delimiters(root: Any) -> None:
    """Give each localized date the delimiter the style's own locale sets for its form.

    citeproc-py joins a localized date's parts with the delimiter of the ``<date>``
    that calls it, not the locale's, so "2021 Jul" came out "2021Jul" (Vancouver).
    """
    ns = {"cs": "http://purl.org/net/xbiblio/csl"}
    lent = {d.get("form"): d.get("delimiter") for d in root.xpath(
        "cs:locale/cs:date[@form][@delimiter]", namespaces=ns)}  # fmt: skip
    for date in root.xpath(
        "//cs:date[@form][not(@delimiter)][not(ancestor::cs:locale)]", namespaces=ns
    ):
        if date.get("form") in lent:
            date.set("delimiter", lent[date.get("form")])


def _supported(item: dict[str, Any]) -> dict[str, Any]:
    """The item's fields that citeproc-py knows (it warns of others, such as ``custom``)."""
    from citeproc import VARIABLES

    return {
        k: v for k, v in item.items() if k in ("id", "type") or k.replace("-", "_") in VARIABLES
    }


def _escaped(value: Any, key: str = "") -> Any:
    """The item with its text escaped for HTML: citeproc-py's HTML puts data in as it is."""
    if isinstance(value, dict):
        return {k: _escaped(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v, key) for v in value]
    if isinstance(value, str) and key not in ("id", "type", "language"):
        return html.escape(value, quote=False)
    return value


def _entry(text: str, markup: Markup) -> str:
    # citeproc-py ignores display="left-margin": "[1]Huawei" needs its space back.
    return _tidy(re.sub(r"^(\[\d+\]|\d+\.)(?=\S)", r"\1 ", text.strip()), markup)


def _tidy(text: str, markup: Markup) -> str:
    """Squash white space; in HTML, make every address a link."""
    text = squash(text)
    if not markup.html:
        return text
    return re.sub(
        r"\bhttps?://[^\s<>\"]+?(?=[.,;:)\]]*(?:\s|<|$))",
        lambda found: f'<a href="{found.group(0)}">{found.group(0)}</a>',
        text,
    )


def _ignore(_item: object) -> None:
    """citeproc-py's callback for a citation of an unknown item (every item is known)."""


def _shown(path: Path) -> str:
    from explorer.paths import shown

    return shown(path)


def _said(err: Exception) -> str:
    return " ".join(str(err).split()) or type(err).__name__
