"""Patterns compiled on first use behave as compiled ones; a query without digits skips two."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from explorer.model import FORBIDDEN
from explorer.search import text
from explorer.search.text import join_numbers

queries = (
    st.text(alphabet="0123456789 .,\u00a0\u2009\u202f²٣abc millionbn", max_size=30) | st.text()
)


def joined_by_both_patterns(query: str) -> str:
    """What `join_numbers` returned before it looked for a digit first."""
    query = text._SPACED.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), query)
    return text._SCALED.sub(r"\1\2", query)


@given(queries)
def test_a_query_joins_its_numbers_as_both_patterns_do(query: str) -> None:
    assert join_numbers(query) == joined_by_both_patterns(query)


def test_numbers_in_a_query_are_joined() -> None:
    assert join_numbers("197 000 staff, 1.55 billion") == "197000 staff, 1.55billion"
    assert join_numbers("٣ million") == "٣million"  # an Arabic-Indic digit is a digit too


@given(st.text())
def test_the_forbidden_characters_are_found_as_by_the_compiled_pattern(value: str) -> None:
    compiled = re.compile(FORBIDDEN.pattern)
    assert FORBIDDEN.sub("", value) == compiled.sub("", value)
    assert [m.span() for m in FORBIDDEN.finditer(value)] == [
        m.span() for m in compiled.finditer(value)
    ]


@given(queries)
def test_a_text_without_digits_has_the_terms_the_whole_pattern_finds(value: str) -> None:
    """Its words alone (`text._WORDS`), as when a number at its end makes `text._TOKEN` read it."""
    if re.search(r"\d", value):
        value = re.sub(r"\d", "x", value)
    both = value + " 1"  # a digit: read by the whole pattern
    assert list(text.terms(value)) == list(text.terms(both))[:-1]
    assert text.term_texts(value) == text.term_texts(both)[:-1]
    assert text.term_texts(value, values=False) == text.term_texts(both, values=False)[:-1]
