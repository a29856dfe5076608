"""The review app: keys accept, edit and reject; the file shows only those changes."""

from __future__ import annotations

from pathlib import Path

from explorer.draft import draft
from explorer.review import ReviewSession
from explorer.tui.review import ReviewApp
from tests.unit.pdfs import make_pdf


async def test_accept_edit_reject_and_undo(tmp_path: Path) -> None:
    draft(make_pdf(tmp_path / "report.pdf"), tmp_path / "base")
    session = ReviewSession(tmp_path / "base")
    first, second, third = (f.id for f in session.pending[:3])
    app = ReviewApp(session)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("a")  # accept the first
        await pilot.press("e")
        app.query_one("#entry").value = "The ratio fell to 1.78 liters per liter in 2023."  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.press("n", "r")  # reject the third
        await pilot.pause()
        assert session.base.get(third) is None
        await pilot.press("u")  # and bring it back
        await pilot.pause()
    accepted, edited = session.base.get(first), session.base.get(second)
    assert accepted is not None and accepted.review is None
    assert edited is not None and edited.claim.startswith("The ratio fell")
    assert session.base.get(third) is not None
    assert len(session.pending) == 4


async def test_letters_typed_in_the_input_are_text(tmp_path: Path) -> None:
    draft(make_pdf(tmp_path / "report.pdf"), tmp_path / "base")
    session = ReviewSession(tmp_path / "base")
    app = ReviewApp(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f", "r", "a", "q")  # not reject, accept, quit
        await pilot.pause()
        assert app.query_one("#entry").value == "raq"  # type: ignore[attr-defined]
        assert len(session.pending) == 5
        await pilot.press("escape")


async def test_the_explorer_badges_a_candidate_and_shows_its_page(tmp_path: Path) -> None:
    from explorer import open_factbase
    from explorer.tui.app import ExplorerApp
    from tests.app.conftest import rendered, settle

    draft(make_pdf(tmp_path / "report.pdf", labels="A-"), tmp_path / "base")
    app = ExplorerApp(open_factbase(tmp_path / "base"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"renewable")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        text = rendered(app)
        assert "DRAFT: awaiting review" in text
        assert "Page    A-2" in text
