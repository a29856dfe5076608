"""Review: each change is one surgical, checked, undoable edit of one fact's lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.draft import draft
from explorer.review import ReviewError, ReviewSession
from explorer.review.edit import remove_field, set_field
from tests.unit.pdfs import make_pdf

FILE = """\
# A comment that stays.
facts:
  # Water
  - id: "a"
    kind: "figure"
    claim: 'Single quotes stay.'
    quote: "Q"
    review: "pending"

  - id: "b"
    kind: "figure"
    claim: "B"
    tags: ["x",
           "y"]
    quote: "Q"
"""


@pytest.fixture
def session(tmp_path: Path) -> ReviewSession:
    draft(make_pdf(tmp_path / "report.pdf"), tmp_path / "base")
    return ReviewSession(tmp_path / "base")


def snapshot(root: Path) -> dict[Path, str]:
    return {p: p.read_text() for p in root.rglob("*.yaml")}


def changed_lines(before: str, after: str) -> list[str]:
    import difflib

    return [
        line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0,
                                              lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]  # fmt: skip


def test_setting_a_field_changes_only_its_line() -> None:
    after = set_field(FILE, 4, "claim", "New claim.")
    assert changed_lines(FILE, after) == [
        "-    claim: 'Single quotes stay.'",
        '+    claim: "New claim."',
    ]


def test_a_new_field_goes_in_schema_order() -> None:
    after = set_field(FILE, 4, "metric", "water.use")
    assert changed_lines(FILE, after) == ['+    metric: "water.use"']
    assert after.index("metric") > after.index("quote") and after.index("metric") < after.index(
        "review")  # fmt: skip


def test_removing_a_field_takes_its_continuation_lines() -> None:
    after = remove_field(FILE, 10, "tags")
    assert changed_lines(FILE, after) == ['-    tags: ["x",', '-           "y"]']


def test_accept_removes_only_the_pending_line(session: ReviewSession) -> None:
    before = snapshot(session.root)
    fact = session.pending[0]
    session.accept(fact.id)
    after = snapshot(session.root)
    file = session.root / fact.file
    assert changed_lines(before[file], after[file]) == ['-    review: "pending"']
    assert len(session.pending) == 4


def test_reject_removes_the_fact_and_nothing_else(session: ReviewSession) -> None:
    fact = session.pending[1]
    session.reject(fact.id)
    assert session.base.get(fact.id) is None
    assert len(session.base.facts) == 4


def test_a_change_that_breaks_the_check_is_put_back(session: ReviewSession) -> None:
    before = snapshot(session.root)
    fact = session.pending[0]
    with pytest.raises(ReviewError, match="does not match as_printed"):
        session.set(fact.id, "value", "7")
    assert snapshot(session.root) == before
    with pytest.raises(ReviewError, match="qualifier is one of"):
        session.set(fact.id, "qualifier", "roughly")
    with pytest.raises(ReviewError, match="value is a number"):
        session.set(fact.id, "value", "lots")


def test_split_makes_two_pending_candidates(session: ReviewSession) -> None:
    fact = next(f for f in session.pending if "5.49" in f.quote)
    words = fact.quote.split()
    cut = next(i for i, w in enumerate(words) if w.startswith("baseline")) + 1
    session.split(fact.id, cut)
    first, second = session.base.get(fact.id), session.base.get(f"{fact.id}-b")
    assert first is not None and second is not None
    assert first.as_printed == "6%" and second.as_printed == "5.49 million"
    assert first.review == second.review == "pending"
    assert first.page == second.page


def test_undo_puts_the_file_back_byte_for_byte(session: ReviewSession) -> None:
    before = snapshot(session.root)
    fact = session.pending[0]
    session.set(fact.id, "claim", "Reviewed.")
    session.reject(session.pending[1].id)
    session.undo()
    session.undo()
    assert snapshot(session.root) == before
    with pytest.raises(ReviewError, match="nothing to undo"):
        session.undo()


def test_the_metric_suggestions_are_the_bases_metrics(session: ReviewSession) -> None:
    fact = session.pending[0]
    session.set(fact.id, "metric", "water.replenished")
    assert session.metrics() == ["water.replenished"]


def test_the_context_holds_the_quote(session: ReviewSession) -> None:
    fact = session.pending[0]
    line, around = session.context(fact)
    assert line > 0 and " ".join(fact.quote.split()[:3]) in " ".join(around.split())
