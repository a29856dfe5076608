"""Citations of facts in the common styles, and in any CSL style: pure functions, no Textual.

`cite` gives one fact: for the prose styles the quote with its in-text
citation, then the reference; `bibliography` gives several: each source once,
then each fact's quote and locator under it. The machine styles (BibTeX, RIS,
CSL-JSON) hold the same: one record per source, the facts' locators in it.

The eight styles of `STYLES` are written here by hand. Any other name is a CSL
style (`explorer.styles`: a bundled or user style by id, ``csl:`` and an id, or
a path to a ``.csl`` file), rendered by citeproc-py (`explorer.csl`), imported
only then. Prose styles come in two flavours: plain text, and HTML with the
titles in italics and the addresses as links (``flavour="html"``);
``flavour="both"`` gives the plain text carrying its HTML, for the clipboard.

Every style carries the locator (chapter, section, the page where the source
text shows it) and dates the document by its publication (the report: July
2021), never by the period it reports on (2020).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from explorer import citeformats as fmt
from explorer.choices import STYLES as STYLES
from explorer.citeformats import HTML, MARKDOWN, PLAIN, Locator, Markup, SourceFacts, locate
from explorer.citeformats import sentence_case as sentence_case
from explorer.citeprose import PROSE, markdown_source, plain_source
from explorer.csl import csl_json
from explorer.model import Fact, FactBase
from explorer.styles import PREFIX, CslStyle, StyleError, available, find, looks_like_path

Flavour = Literal["plain", "html", "both"]
"""Plain text; HTML; or the plain text carrying its HTML (`explorer.clipboard.Rich`)."""


class UnknownStyle(StyleError):
    """A style name that is neither one of `STYLES` nor a CSL style that can be found."""

    def __init__(self, style: str) -> None:
        ids = ", ".join(csl_name(s) for s in available()) or "none found"
        super().__init__(
            f"unknown citation style {style!r}; choose one of {', '.join(STYLES)}, "
            f"a CSL style ({ids}) or a path to a .csl file"
        )


def csl_name(style: CslStyle) -> str:
    """Return the name that picks a CSL style: its id, or ``csl:`` and it where taken."""
    return f"{PREFIX}{style.id}" if style.id in STYLES else style.id


def all_styles() -> dict[str, str]:
    """Return every style that can be named: the hand-written ones, then the CSL ones found."""
    found = {csl_name(s): f"{s.title} (CSL)" for s in available()}
    return {**STYLES, **found}


def resolve(style: str) -> str | CslStyle:
    """Return a hand-written style's name as it is, or the CSL style a name gives.

    Raises:
        UnknownStyle: A name that is no style.
        StyleError: A ``.csl`` path that cannot be used (the message says why).
    """
    if style in STYLES:
        return style
    try:
        return find(style)
    except StyleError:
        if looks_like_path(style.removeprefix(PREFIX)):
            raise  # the file's own problem says more than "unknown"
        raise UnknownStyle(style) from None


def style_label(style: str) -> str:
    """Return a style's label (``APA 7th edition``; a CSL style's own title), else its name."""
    try:
        found = resolve(style)
    except StyleError:
        return style
    return STYLES[found] if isinstance(found, str) else found.title


def has_html(style: str) -> bool:
    """Return True when a style has an HTML flavour: every style but BibTeX, RIS, CSL-JSON."""
    return style not in _MACHINE


def cite(base: FactBase, fact: Fact, style: str, *, flavour: Flavour = "plain") -> str:
    """Return the citation of one fact in one style.

    Args:
        base: The base the fact belongs to (for its source and chapter).
        fact: The fact to cite.
        style: One of `STYLES`, or a CSL style (see `resolve`).
        flavour: ``plain``, ``html``, or ``both`` (the plain text carrying its HTML;
            a machine style gives its text alone).

    Returns:
        The citation, without a final newline.

    Raises:
        UnknownStyle: When ``style`` names no style.
        StyleError: A CSL style that cannot be used, or HTML asked of a machine style.
    """
    return _flavoured(style, flavour, lambda found, m: _one(base, fact, found, m))


def bibliography(
    base: FactBase, facts: Iterable[Fact], style: str, *, flavour: Flavour = "plain"
) -> str:
    """Return several facts as one bibliography: each source once, its facts under it.

    Args:
        base: The base the facts belong to.
        facts: The facts, in the order to list them; repeats are dropped.
        style: One of `STYLES`, or a CSL style (see `resolve`).
        flavour: As for `cite`.

    Returns:
        The bibliography, without a final newline.

    Raises:
        UnknownStyle: When ``style`` names no style.
        StyleError: A CSL style that cannot be used, or HTML asked of a machine style.
    """
    groups = fmt.group_by_source(base, facts)
    return _flavoured(style, flavour, lambda found, m: _many(groups, found, m))


def _flavoured(style: str, flavour: Flavour, make: Callable[[str | CslStyle, Markup], str]) -> str:
    found = resolve(style)
    if not has_html(style):
        if flavour == "html":
            raise StyleError(f"{style} is plain text only: no HTML flavour")
        return make(found, PLAIN)
    if flavour == "plain":
        return make(found, PLAIN)
    if flavour == "html":
        return make(found, HTML)
    from explorer.clipboard import Rich

    return Rich(make(found, PLAIN), make(found, HTML))


def _one(base: FactBase, fact: Fact, style: str | CslStyle, m: Markup) -> str:
    if isinstance(style, str) and style in _MACHINE:
        return _MACHINE[style](fmt.group_by_source(base, [fact]))
    quote = _quote(m, fact)
    if isinstance(style, CslStyle):
        from explorer.csl import render

        (rendered,) = render(style, fmt.group_by_source(base, [fact]), m)
        ((_fact, cited),) = rendered.cites
        return _paragraphs(m, [f"{quote} {cited}", rendered.reference])
    source, where = base.source_of(fact), locate(base, fact)
    if style == "plain":
        lines = [m.text(fact.claim), quote, plain_source(m, source, where)]
        return "<p>" + "<br>\n".join(lines) + "</p>" if m.html else "\n".join(lines)
    if style == "markdown":
        mark = m if m.html else MARKDOWN
        line = f"\u2014 {markdown_source(mark, source)}, {mark.text(where.long())}."
        if not m.html:
            return f"{fmt.md(fact.claim)}\n\n> {fmt.md(fact.quote)}\n\n{line}"
        quoted = f"<blockquote>{m.text(fact.quote)}</blockquote>"
        return f"<p>{m.text(fact.claim)}</p>\n{quoted}\n<p>{line}</p>"
    reference, in_text = PROSE[style]
    return _paragraphs(m, [f"{quote} {in_text(m, source, where)}", reference(m, source)])


def _many(groups: list[SourceFacts], style: str | CslStyle, m: Markup) -> str:
    if isinstance(style, str) and style in _MACHINE:
        return _MACHINE[style](groups)
    if isinstance(style, CslStyle):  # in the style's own order
        from explorer.csl import render

        blocks = [
            _entry(m, r.reference, [f"{_quote(m, f)} {c}" for f, c in r.cites])
            for r in render(style, groups, m)
        ]
    else:
        blocks = [_prose_block(style, group, m) for group in groups]
        if style in PROSE:  # reference lists are alphabetical
            blocks.sort(key=lambda block: m.visible(block).casefold())
    return "\n".join(blocks) if m.html else "\n\n".join(blocks)


def _prose_block(style: str, group: SourceFacts, m: Markup) -> str:
    source = group.source
    if style == "markdown" and not m.html:
        head = f"{markdown_source(MARKDOWN, source)}."
        lines = [f"- \u201c{fmt.md(f.quote)}\u201d ({fmt.md(w.long())})" for f, w in group.facts]
        return "\n\n".join([head, "\n".join(lines)])
    if style in ("plain", "markdown"):
        head = plain_source(m, source) if style == "plain" else f"{markdown_source(m, source)}."
        return _entry(m, head, [f"{_quote(m, f)} ({m.text(w.long())})" for f, w in group.facts])
    reference, in_text = PROSE[style]
    return _entry(
        m, reference(m, source), [f"{_quote(m, f)} {in_text(m, source, w)}" for f, w in group.facts]
    )


def _quote(m: Markup, fact: Fact) -> str:
    return f"\u201c{m.text(fact.quote)}\u201d"


def _paragraphs(m: Markup, paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{p}</p>" for p in paragraphs) if m.html else "\n\n".join(paragraphs)


def _entry(m: Markup, head: str, items: list[str]) -> str:
    """A reference and the facts cited from it: indented lines, or a paragraph and a list."""
    if not m.html:
        return "\n".join([head, *(f"  - {item}" for item in items)])
    listed = "".join(f"<li>{item}</li>\n" for item in items)
    return f"<p>{head}</p>\n<ul>\n{listed}</ul>"


_MACHINE: dict[str, Callable[[list[SourceFacts]], str]] = {
    "bibtex": fmt.bibtex,
    "ris": fmt.ris,
    "csl-json": csl_json,
}

__all__ = [
    "STYLES", "Flavour", "Locator", "StyleError", "UnknownStyle", "all_styles", "bibliography",
    "cite", "csl_name", "has_html", "locate", "resolve", "style_label",
]  # fmt: skip
