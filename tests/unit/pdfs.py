"""PDFs made for the drafting tests with fpdf2: text, outline, labels, encryption, a scan."""

from __future__ import annotations

from pathlib import Path

REPORT = [
    (
        "Water",
        [
            "Water Stewardship",
            "In 2023 we returned 148% of the water used in our beverages to nature and "
            "communities. The water use ratio fell to 1.78 liters per liter of product.",
            "We aim to reduce the water use ratio by 20% by 2030 from a 2015 baseline.",
        ],
    ),
    (
        "Climate",
        [
            "Emissions",
            "Our absolute emissions fell by more than 6% against the 2015 baseline, to 5.49 "
            "million metric tons in 2023.",
            "Renewable electricity reached about 24% of the total in 2023, up from 12% in 2021.",
        ],
    ),
]
"""Chapters, each a heading then paragraphs (a figure in each paragraph)."""


def make_pdf(
    path: Path,
    chapters: list[tuple[str, list[str]]] = REPORT,
    *,
    outline: bool = True,
    title: str = "Example Environmental Update 2023",
    author: str = "Example Co.",
    labels: str = "",
    password: str = "",
    repeat: int = 1,
    footer: bool = True,
) -> Path:
    """Write a PDF of ``chapters``, a page each (``repeat`` times over), with a running footer.

    Args:
        outline: Bookmark each chapter.
        labels: A page label prefix ("A-" gives "A-1", "A-2", ...); none by default.
        password: Encrypt it with this user password.
    """
    from fpdf import FPDF
    from fpdf.enums import PageLabelStyle

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_font("Helvetica", size=11)
    for _round in range(repeat):
        for name, paragraphs in chapters:
            pdf.add_page()
            if labels and pdf.page == 1:
                pdf.set_page_label(label_style=PageLabelStyle.NUMBER, label_prefix=labels)
            if outline:
                pdf.start_section(name)
            pdf.set_font("Helvetica", "B", size=20)
            pdf.multi_cell(0, 10, name)
            pdf.ln(4)
            for text in paragraphs:
                bold = len(text.split()) < 4
                pdf.set_font("Helvetica", "B" if bold else "", size=14 if bold else 11)
                pdf.multi_cell(0, 5, text)
                pdf.ln(6)
            if footer:
                pdf.set_y(-20)
                pdf.set_font("Helvetica", size=8)
                pdf.cell(0, 5, f"Example Environmental Update   {pdf.page}")
    if password:
        pdf.set_encryption(owner_password=password + "-owner", user_password=password)
    pdf.output(str(path))
    return path


def make_scan(path: Path, pages: int = 2) -> Path:
    """A PDF with pages of drawings and no text at all, as a scan without OCR is."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path
