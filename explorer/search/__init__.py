"""Search the fact base: query parsing, index and ranking (no Textual)."""

from __future__ import annotations

from explorer.search.engine import Hit, SearchResult, search

__all__ = ["Hit", "SearchResult", "search"]
