"""Bad input to `fact-explorer draft`: one clear line and an exit status, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.paths import bundled_facts_dir
from tests.unit.pdfs import make_pdf, make_scan


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["draft", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_an_encrypted_pdf_asks_for_an_unlocked_copy(tmp_path: Path, capsys) -> None:
    pdf = make_pdf(tmp_path / "locked.pdf", password="secret")
    code, _out, err = run(capsys, str(pdf), "--into", str(tmp_path / "base"))
    assert code == 1
    assert "is encrypted and needs a password" in err and "qpdf --decrypt" in err
    assert not (tmp_path / "base").exists()


def test_a_pdf_locked_only_against_editing_drafts(tmp_path: Path, capsys) -> None:
    from fpdf import FPDF

    pdf = tmp_path / "owner.pdf"
    locked = FPDF()
    locked.add_page()
    locked.set_font("Helvetica", size=11)
    locked.multi_cell(0, 5, "We recycled 4,200 tonnes of packaging waste across our sites in 2023.")
    locked.set_encryption(owner_password="owner")  # opens without a password
    locked.output(str(pdf))
    code, _out, err = run(capsys, str(pdf), "--into", str(tmp_path / "base"), "--title", "T")
    assert code == 0, err


def test_a_scan_says_so_and_suggests_ocr(tmp_path: Path, capsys) -> None:
    pdf = make_scan(tmp_path / "scan.pdf")
    code, _out, err = run(capsys, str(pdf), "--into", str(tmp_path / "base"))
    assert code == 1
    assert "has no text layer on any of its 2 pages (a scan?)" in err and "ocrmypdf" in err


def test_a_truncated_pdf_is_named(tmp_path: Path, capsys) -> None:
    whole = make_pdf(tmp_path / "whole.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 2])
    code, _out, err = run(capsys, str(cut), "--into", str(tmp_path / "base"))
    assert code == 1 and "looks truncated" in err


def test_a_corrupt_pdf_is_named(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage\ntrailer <<>>\n%%EOF\n")
    code, _out, err = run(capsys, str(bad), "--into", str(tmp_path / "base"))
    assert code == 1
    assert "cannot be read as a PDF (corrupt or truncated?)" in err or "no pages" in err


def test_a_file_that_is_not_a_pdf_is_named(tmp_path: Path, capsys) -> None:
    png = tmp_path / "report.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    code, _out, err = run(capsys, str(png), "--into", str(tmp_path / "base"))
    assert code == 1 and "is not a PDF (a PDF starts with %PDF-" in err


def test_a_binary_file_without_a_pdf_name_is_not_read_as_text(tmp_path: Path, capsys) -> None:
    blob = tmp_path / "report.bin"
    blob.write_bytes(b"PK\x03\x04" + bytes(100))
    code, _out, err = run(capsys, str(blob), "--into", str(tmp_path / "base"))
    assert code == 1 and "is not a PDF" in err


def test_a_report_with_no_figures_writes_nothing(tmp_path: Path, capsys) -> None:
    words = [("Values", ["Our values", "We care about our people and our planet, always."])]
    pdf = make_pdf(tmp_path / "words.pdf", words, footer=False)
    code, _out, err = run(capsys, str(pdf), "--into", str(tmp_path / "base"))
    assert code == 1 and "no figures found in its 1 pages" in err
    assert not (tmp_path / "base").exists()


def test_a_missing_report_is_usage(tmp_path: Path, capsys) -> None:
    code, _out, err = run(capsys, str(tmp_path / "nope.pdf"), "--into", str(tmp_path / "b"))
    assert code == 2 and "no such file or directory" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_never_opened(tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "report.pdf"
    os.mkfifo(fifo)
    code, _out, err = run(capsys, str(fifo), "--into", str(tmp_path / "b"))
    assert code == 2 and "a FIFO, not a report file" in err


def test_the_bundled_base_is_refused(tmp_path: Path, capsys) -> None:
    pdf = make_pdf(tmp_path / "report.pdf")
    inside = Path(bundled_facts_dir()) / "mine"
    code, _out, err = run(capsys, str(pdf), "--into", str(inside))
    assert code == 2 and "is inside the bundled fact base" in err
    assert not inside.exists()


def test_a_folder_of_other_files_is_refused(tmp_path: Path, capsys) -> None:
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "notes.md").write_text("mine", encoding="utf-8")
    pdf = make_pdf(tmp_path / "report.pdf")
    code, _out, err = run(capsys, str(pdf), "--into", str(tmp_path / "stuff"))
    assert code == 2 and "holds files but no fact base (no sources.yaml)" in err
    assert sorted(p.name for p in (tmp_path / "stuff").iterdir()) == ["notes.md"]


def test_a_base_with_other_sources_gains_this_one_beside_them(tmp_path: Path, capsys) -> None:
    first = make_pdf(tmp_path / "first.pdf", title="First Report 2023")
    second = make_pdf(tmp_path / "second.pdf", title="Second Report 2024", footer=False)
    assert run(capsys, str(first), "--into", str(tmp_path / "base"))[0] == 0
    code, _out, err = run(capsys, str(second), "--into", str(tmp_path / "base"))
    assert code == 0
    assert "already held first-report-2023; 'second-report-2024' is added beside them" in err
    assert main(["check", "--facts", str(tmp_path / "base")]) == 0
    assert "2 of 2 sources verified" in capsys.readouterr().out


def test_an_id_taken_by_another_text_is_refused(tmp_path: Path, capsys) -> None:
    first = make_pdf(tmp_path / "first.pdf")
    second = make_pdf(tmp_path / "second.pdf", footer=False)
    assert run(capsys, str(first), "--into", str(tmp_path / "base"), "--id", "r")[0] == 0
    before = {p: p.read_bytes() for p in (tmp_path / "base").rglob("*") if p.is_file()}
    code, _out, err = run(capsys, str(second), "--into", str(tmp_path / "base"), "--id", "r")
    assert code == 2 and "already has a source 'r' with another text" in err and "--id" in err
    assert before == {p: p.read_bytes() for p in (tmp_path / "base").rglob("*") if p.is_file()}


def test_a_base_with_problems_is_left_alone(tmp_path: Path, capsys) -> None:
    pdf = make_pdf(tmp_path / "report.pdf")
    assert run(capsys, str(pdf), "--into", str(tmp_path / "base"))[0] == 0
    (tmp_path / "base" / "chapters.yaml").write_text("chapters: 3\n", encoding="utf-8")
    code, _out, err = run(capsys, str(pdf), "--into", str(tmp_path / "base"))
    assert code == 1 and "holds a fact base with" in err and "nothing is added" in err


def test_a_bad_id_or_date_is_usage(tmp_path: Path, capsys) -> None:
    pdf = make_pdf(tmp_path / "report.pdf")
    assert run(capsys, str(pdf), "--into", str(tmp_path / "a"), "--id", "Bad Id")[0] == 2
    code, _out, err = run(capsys, str(pdf), "--into", str(tmp_path / "b"), "--published", "May")
    assert code == 2 and "give YYYY or YYYY-MM" in err


def test_review_needs_a_terminal_and_a_base(tmp_path: Path, capsys) -> None:
    assert main(["review", str(tmp_path / "nothing")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["review", str(bundled_facts_dir())]) == 2
    assert "curated by hand" in capsys.readouterr().err
    pdf = make_pdf(tmp_path / "report.pdf")
    assert run(capsys, str(pdf), "--into", str(tmp_path / "base"))[0] == 0
    assert main(["review", str(tmp_path / "base")]) == 2  # pytest's stdin is no terminal
    assert "needs a terminal" in capsys.readouterr().err


def test_a_folder_that_cannot_be_made_is_named(tmp_path: Path, capsys) -> None:
    pdf = make_pdf(tmp_path / "report.pdf")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, _out, err = run(capsys, str(pdf), "--into", str(tmp_path / "file" / "base"))
    assert code == 1 and "cannot write into" in err and "nothing was written" in err


def test_a_damaged_page_is_said_and_the_others_drafted(tmp_path: Path, capsys, monkeypatch) -> None:
    from pdfminer.pdfinterp import PDFPageInterpreter

    real = PDFPageInterpreter.process_page
    calls = []

    def flaky(self: PDFPageInterpreter, page: object) -> None:
        calls.append(page)
        if len(calls) == 1:
            raise ValueError("bad content stream")
        real(self, page)  # type: ignore[arg-type]

    monkeypatch.setattr(PDFPageInterpreter, "process_page", flaky)
    pdf = make_pdf(tmp_path / "report.pdf")
    code, out, err = run(capsys, str(pdf), "--into", str(tmp_path / "base"))
    assert code == 0 and "could not read page 1: bad content stream" in err
    assert "2 candidates from 2 pages" in out
