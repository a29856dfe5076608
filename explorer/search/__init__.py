"""Search the fact base: query parsing, index and ranking (no Textual).

``search(base, query, limit)`` is the one entry point; the app, the CLI and
`FactBase.search` all use it. See the README's "Search" for the query language.
"""

from __future__ import annotations

from explorer.search.engine import Hit, SearchResult, index_for, search
from explorer.search.fields import SPAN_FIELDS, field_text
from explorer.search.spans import FieldMatch

__all__ = ["SPAN_FIELDS", "FieldMatch", "Hit", "SearchResult", "field_text", "index_for", "search"]
