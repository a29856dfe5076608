"""Fact text made safe to paint: no escape sequences, no control characters.

The loader already rejects control characters in fact files; the app does not
rely on that alone, since a base may come from elsewhere.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.content import Content

from explorer.model import FORBIDDEN

# ANSI CSI and OSC sequences; then what the loader forbids in text (FORBIDDEN: C0/C1
# controls but newline and tab, bidi overrides, lone surrogates).
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]"
)


def clean(text: str) -> str:
    """Return ``text`` with escape sequences and control characters removed."""
    return FORBIDDEN.sub("", _ESCAPES.sub("", text))


def literal(text: str, style: str = "") -> Content:
    """Return fact text as Content that is never parsed as markup."""
    content = Content(clean(text))
    return content.stylize(style) if style else content


def highlighted(
    text: str, spans: list[tuple[int, int]], style: str = "reverse", base: str = ""
) -> Content:
    """Return literal text with the given character spans styled.

    Spans are offsets into ``text`` before cleaning; text with control
    characters (which the loader rejects anyway) is shown without highlights.
    """
    cleaned = clean(text)
    content = Content(cleaned)
    if base:
        content = content.stylize(base)
    if cleaned != text:
        return content
    for start, end in spans:
        if 0 <= start < end <= len(text):
            content = content.stylize(style, start, end)
    return content


def find_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Return where each needle stands in text, ignoring case."""
    spans = []
    lowered = text.casefold()
    for needle in needles:
        folded = needle.casefold()
        if not folded.strip() or len(folded) != len(needle):
            continue
        start = lowered.find(folded)
        while start >= 0:
            spans.append((start, start + len(folded)))
            start = lowered.find(folded, start + len(folded))
    return spans


def fit(content: Content, width: int) -> Content:
    """Cut ``content`` to ``width`` cells at a word boundary, with an ellipsis; never mid-word.

    A single word longer than the width is the one thing cut inside (there is
    no boundary to cut at).
    """
    if content.cell_length <= width:
        return content
    if width <= 1:
        return Content("…"[:width])
    plain = content.plain
    end = 0
    cells = 0
    for char in plain:  # the longest start that leaves a cell for the ellipsis
        cells += cell_len(char)
        if cells > width - 1:
            break
        end += 1
    space = plain.rfind(" ", 0, end + 1)
    if space > 0 and plain[:space].strip():
        end = space
    return Content.assemble(content[:end].rstrip(), "…")


def split_at_width(content: Content, width: int) -> tuple[Content, Content]:
    """Split ``content`` at the last word boundary within ``width`` cells: the head fits,
    the rest (without its leading spaces) follows. A first word wider than ``width``
    is the head alone."""
    plain = content.plain
    if cell_len(plain) <= width:
        return content, Content("")
    end = None
    for word in re.finditer(r"\S+", plain):
        if end is not None and cell_len(plain[: word.end()]) > width:
            break
        end = word.end()
        if cell_len(plain[:end]) > width:
            break
    end = len(plain) if end is None else end
    rest = len(plain) - len(plain[end:].lstrip())
    return content[:end], content[rest:]
