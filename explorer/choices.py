"""The names a user chooses from on the command line: citation styles and export formats.

Kept apart from `explorer.cite` and `explorer.export` (which re-export them):
every run of ``fact-explorer`` builds its parser, whose help names them, and a
search should not import the citation and export code to do so.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

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
"""The hand-written styles: each name (for ``--style`` and the config) to a label."""

FORMATS: Mapping[str, str] = MappingProxyType(
    {
        "markdown": "Markdown bibliography (.md)",
        "bibtex": "BibTeX (.bib)",
        "csl-json": "CSL-JSON (.json)",
        "ris": "RIS (.ris)",
        "csv": "CSV, one row per fact (.csv)",
        "json": "JSON, every field of every fact (.json)",
    }
)
"""Every export format: its name (for ``--format``) to a label."""
