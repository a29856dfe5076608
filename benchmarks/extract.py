"""PDF text extractors measured against poppler's ``pdftotext``, on the sample reports.

Run by hand (not a test; needs ``pdftotext`` from poppler-utils)::

    python -m benchmarks.extract                    # both samples in ../shared/samples
    python -m benchmarks.extract REPORT.pdf ...     # any PDFs

For each PDF and each extractor the table gives:

- ``faith``: the share of the extractor's 6-word runs (letters and digits
  only, ligatures undone) that stand in ``pdftotext``'s plain or ``-layout``
  text: text it makes up, garbles or reads out of order scores low;
- ``found``: the share of ``pdftotext``'s 6-word runs the extractor has: what
  it drops or scrambles;
- ``lig``, ``shy``: ligature characters (U+FB00-FB06) and soft hyphens left in
  its text, which a quote would then carry;
- ``brk``: words broken across lines by a hyphen ("sustain-" / "ability"),
  which a drafter has to join;
- ``sec``: seconds for the whole document (the best of two runs).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
RUN = 6


def pypdf_plain(path: Path) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def pypdf_layout(path: Path) -> list[str]:
    import pypdf

    return [
        page.extract_text(extraction_mode="layout") or "" for page in pypdf.PdfReader(path).pages
    ]


def pdfminer_text(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text

    return extract_text(str(path)).split("\f")


def pdfplumber_text(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pypdfium2_text(path: Path) -> list[str]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        return [pdf[i].get_textpage().get_text_bounded() for i in range(len(pdf))]
    finally:
        pdf.close()


def pdftotext(path: Path, *flags: str) -> list[str]:
    out = subprocess.run(
        ["pdftotext", *flags, str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout.split("\f")


def drafter_text(path: Path) -> list[str]:
    """The text `fact-explorer draft` keeps: pdfminer.six's blocks, rows rebuilt, furniture out."""
    from explorer.draft import read_report
    from explorer.draft.build import kept_text
    from explorer.draft.structure import furniture

    report = read_report(path)
    return kept_text(report, furniture(report)).split("\f")


EXTRACTORS: dict[str, Callable[[Path], list[str]]] = {
    "pdftotext (reference)": pdftotext,
    "pdftotext -layout": lambda p: pdftotext(p, "-layout"),
    "pypdf": pypdf_plain,
    "pypdf layout": pypdf_layout,
    "pdfminer.six": pdfminer_text,
    "pdfplumber": pdfplumber_text,
    "pypdfium2": pypdfium2_text,
    "fact-explorer draft": drafter_text,
}

_LIGATURES = re.compile("[\ufb00-\ufb06]")
_BROKEN = re.compile(r"[a-z]-\n\s*[a-z]")


def words(text: str) -> list[str]:
    """Letters and digits only, ligatures undone, line-break hyphens joined."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"(?<=[a-z])-\n\s*(?=[a-z])", "", text)
    return re.findall(r"[^\W_]+", text.lower())


def runs(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + RUN]) for i in range(len(w) - RUN + 1)}


def measure(path: Path) -> list[tuple[str, float, float, int, int, int, float]]:
    """Return one row per extractor: name, faith, found, lig, shy, brk, seconds."""
    reference = "\n".join(pdftotext(path))
    ref_runs = runs(reference) | runs("\n".join(pdftotext(path, "-layout")))
    plain_runs = runs(reference)
    rows = []
    for name, extract in EXTRACTORS.items():
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            pages = extract(path)
            best = min(best, time.perf_counter() - start)
        text = "\n".join(pages)
        mine = runs(text)
        faith = len(mine & ref_runs) / max(1, len(mine))
        found = len(plain_runs & mine) / max(1, len(plain_runs))
        rows.append(
            (name, faith, found, len(_LIGATURES.findall(text)), text.count("\u00ad"),
             len(_BROKEN.findall(text)), best)
        )  # fmt: skip
    return rows


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(SAMPLES.glob("*.pdf"))
    if not paths:
        print(f"no PDFs given and none in {SAMPLES}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"\n{path.name}")
        print(f"{'extractor':<22} {'faith':>6} {'found':>6} {'lig':>4} {'shy':>4} {'brk':>4} "
              f"{'sec':>6}")  # fmt: skip
        for name, faith, found, lig, shy, brk, sec in measure(path):
            print(f"{name:<22} {faith:6.1%} {found:6.1%} {lig:4d} {shy:4d} {brk:4d} {sec:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
