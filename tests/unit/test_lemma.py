"""An irregular form's lemma is the same looked up by bisection as from the whole table."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from explorer.search import lexicon, text

TABLE = lexicon.irregular()
FORMS = sorted(TABLE)


def test_every_form_has_its_lemma_by_bisection() -> None:
    assert len(TABLE) > 4000
    assert [lexicon.lemma(form) for form in FORMS] == [TABLE[form] for form in FORMS]


@given(st.text(st.sampled_from("abcdehilmnorstuvwy-'é"), max_size=12) | st.sampled_from(FORMS))
def test_a_word_has_the_tables_lemma_or_none(word: str) -> None:
    assert lexicon.lemma(word) == TABLE.get(word)
    for near in (word + "s", word[:-1], "a" + word, word + "\uffff"):
        assert lexicon.lemma(near) == TABLE.get(near)


def test_a_form_on_several_lines_takes_the_last(tmp_path: Path) -> None:
    """As `irregular`'s table does (a dict, filled in order)."""
    path = tmp_path / "forms.txt"
    path.write_text("# licence\n#\naxes ax\naxes axis\nbetter good\nchildren child\n")
    mapped = lexicon._Related(path, b" ")
    assert mapped.find("axes", last=True) == ["axis"]
    assert mapped.find("children", last=True) == ["child"] and mapped.find("child") == []
    assert mapped.find("better", last=True) == ["good"] and mapped.find("a", last=True) == []


def test_stems_are_the_same_either_way() -> None:
    words = ["children", "women", "mice", "emissions", "recycling", "went", "better", "data"]
    looked_up = [text.stem(w) for w in words]
    text._STEMS.clear()
    text._looked_up[0] = text.BISECTED  # from now on, the whole table
    try:
        assert [text.stem(w) for w in words] == looked_up
    finally:
        text._STEMS.clear()
