"""`fact-explorer draft` measured against the issue's Targets, on the sample reports.

Run by hand (needs ``pdftotext`` from poppler-utils)::

    python -m benchmarks.draft                  # both samples in ../shared/samples
    python -m benchmarks.draft REPORT.pdf ...

- recall: of the distinct figures ``pdftotext -layout`` shows on each page
  (as a reader counts them: "5.30M", "~125B", "34.8%", "2020-2025"), the share
  that stand in a candidate's quote on that page;
- junk: the share of candidates whose figure is no citable figure (a page
  number of a contents line, a GRI code, a footnote mark, a footer's number);
- faithful: the share of quotes found in ``pdftotext``'s plain or ``-layout``
  text (letters and digits compared, ligatures and line-break hyphens undone);
- pages: the share of candidates with a page whose ``pdftotext`` text holds the quote;
- seconds: the whole draft, wall time.

Then speed: a report of 100 pages and more (the samples joined by poppler's
``pdfunite``) drafted from the command line, and the drafted base opened
(``open_factbase``, cold and from the cache) beside the bundled one. First
paint in the app: ``python -m benchmarks.app --facts DIR`` on the printed DIR.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from explorer.coverage import NAME_WORDS, is_year

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"

# A figure as a reader counts it: a sign or currency, digits, a unit or scale; or a range.
READER = re.compile(
    r"(?<![\w.,:/-])[~$\u20ac\u00a3]?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?%|[MBK]\b|bn\b|\s(?:million|billion|thousand|trillion)\b)?"
    r"(?:\s?[-\u2013]\s?\d+(?:\.\d+)?%?)?(?![\w]|[.,:/]\d)"
)


def alnum(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"(?<=[a-z])-\n\s*(?=[a-z])", "", text)
    return "".join(re.findall(r"[^\W_]+", text.lower()))


_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
_MONTH = re.compile(rf"\b{_MONTHS}\.?\s*$")


_ENTRY = re.compile(r"[A-Za-z)]\s{2,}(\d{1,3})(?=\s{3,}|$)")


def reader_figures(page: str, number: int = 0) -> set[str]:
    """The figures a reader sees on a page, each as its digits (the page's own numbering out)."""
    found = set()
    lines = [line for line in page.splitlines() if line.strip()]
    # A contents page: titles, each followed by its page number standing alone.
    entries = [m for line in lines for m in _ENTRY.finditer(line)]
    contents = {m.group(1) for m in entries} if len(entries) >= 4 else set()
    edges = lines[:3] + lines[-3:]
    for line in lines:
        if re.fullmatch(r"[\d\s.]*", line.strip()):
            continue  # a page number or a list number standing alone
        for match in READER.finditer(line):
            token, core = match.group(0), match.group(1)
            if NAME_WORDS.search(line[: match.start()]) or _MONTH.search(line[: match.start()]):
                continue  # a name's number, or a day of a month
            rest = line[match.end() :]
            if re.match(rf"\s+{_MONTHS}\b", rest):
                continue  # "31 December 2022"
            if (
                re.fullmatch(r"\d{1,2}", token)
                and re.match(r"\s{1,2}[A-Z][a-z]", rest)
                and (re.search(r"(?:^|\s{3})$", line[: match.start()]))
            ):
                continue  # "10  Businesses should ...": an item's number
            alone = re.search(rf"(?:^|\s{{3}}){re.escape(token)}(?:\s{{3}}|$)", line.strip())
            if core in contents and token.strip() == core:
                continue  # a contents entry's page number
            if core == str(number) and (line in edges or alone):
                continue  # the page's own number, in its running header or footer
            code = re.fullmatch(r"(\d+)\s?[-\u2013]\s?(\d+)", token.strip())
            if code and not is_year(code.group(1)):
                continue  # "205-1", "2-3": a code (a range has a unit, or is of years)
            if re.search(r"\b(?:pages?|paragraph|schedule|section|article)\s*$",
                         line[: match.start()], re.I):  # fmt: skip
                continue  # "Page 11", "Schedule 19": a reference
            if (
                core.isdigit()
                and len(core) >= 3
                and token.strip() == core
                and re.search(r"(?<![\w-])\(?[A-Z]{2,6}\)?\s*$", line[: match.start()])
            ):
                continue  # "(ISAE) 3000": a standard's number
            if is_year(core) and token.strip() == core:
                continue
            if core.isdigit() and int(core) < 10 and token.strip() == core:
                continue
            if (
                re.search(r"\s\d{1,3}\s*$", line)
                and line.rstrip().endswith(token.strip())
                and (len(line.split()) <= 8 and not re.search(r"[%$]", token))
            ):
                continue  # "Water ...... 4": a contents line's page number
            found.add(core)
    return found


def junk(fact: dict[str, object], pages: int) -> bool:
    """A candidate whose figure no reader would cite."""
    quote, printed = str(fact["quote"]), str(fact["as_printed"])
    at = quote.find(printed)
    before = quote[:at]
    if re.search(r"\b(?:pages?|p\.|pp\.|paragraph|section|schedule)\s*$", before, re.I):
        return True  # "see page 13": a reference
    if printed.isdigit() and re.search(r"\b\(?[A-Z]{2,6}\)?\s*$", before):
        return True  # "(ISAE) 3000": a standard's number
    if re.fullmatch(r"\d+-\d+", printed) and not is_year(printed.split("-")[0]):
        return True  # "2-26": a disclosure code
    if (
        printed.isdigit()
        and not before.strip(" l\u2022*")
        and re.match(r"\s+[A-Z]", quote[at + len(printed) :])
    ):
        return True  # "10 Businesses should...": list numbering
    if (
        printed.isdigit()
        and int(printed) <= pages
        and re.fullmatch(rf"(?:\d+\s+)?[A-Z][^\d%]*\s{re.escape(printed)}", quote)
    ):
        return True  # "Our TCFD journey 10": a contents entry
    if (
        printed.isdigit()
        and int(printed) <= 31
        and re.search(rf"{re.escape(printed)}\s+{_MONTHS}", quote)
    ):
        return True  # "31 December": a date
    if re.search(rf"\b(?:GRI|SASB|SDG)\s*{re.escape(printed)}", quote):
        return True
    if re.search(rf"[A-Za-z]{re.escape(printed)}\b", quote):
        return True  # glued to a word: a footnote mark
    if re.search(r"\b\d{5,}\b", printed) and re.search(r"20\d\d\d{1,3}$", printed):
        return True  # "202228": a footer's year glued to a page number
    return False


def measure(pdf: Path) -> dict[str, float]:
    import yaml

    plain = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    layout = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    plain_pages, layout_pages = plain.split("\f"), layout.split("\f")
    whole = alnum(plain), alnum(layout)
    with tempfile.TemporaryDirectory() as folder:
        into = Path(folder) / "base"
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "explorer", "draft", str(pdf), "--into", str(into)],
            capture_output=True, text=True,
        )  # fmt: skip
        seconds = time.perf_counter() - start
        if done.returncode:
            raise SystemExit(done.stderr)
        facts = []
        for file in sorted(into.glob("*/*.yaml")):
            facts += yaml.safe_load(file.read_text(encoding="utf-8"))["facts"]
    by_page: dict[str, list[str]] = {}
    for fact in facts:
        by_page.setdefault(str(fact.get("page")), []).append(" ".join(str(fact["quote"]).split()))
    wanted = hit = 0
    for number, page in enumerate(layout_pages, 1):
        quotes = " | ".join(by_page.get(str(number), []))
        for core in reader_figures(page, number):
            wanted += 1
            hit += bool(re.search(rf"(?<![\d.,]){re.escape(core)}(?![\d]|[.,]\d)", quotes))
    faithful = sum(alnum(str(f["quote"])) in whole[0] or alnum(str(f["quote"])) in whole[1]
                   for f in facts)  # fmt: skip
    paged = 0
    for fact in facts:
        page = str(fact.get("page", ""))
        if page.isdigit() and 0 < int(page) <= len(plain_pages):
            q = alnum(str(fact["quote"]))
            paged += q in alnum(plain_pages[int(page) - 1]) or q in alnum(
                layout_pages[int(page) - 1]
            )
    n = max(1, len(facts))
    bad = sum(junk(f, len(plain_pages)) for f in facts)
    return {
        "candidates": len(facts), "recall": hit / max(1, wanted), "junk": bad / n,
        "faithful": faithful / n, "pages": paged / n, "seconds": seconds,
        "pdf pages": len(plain_pages) - (plain_pages[-1].strip() == ""),
    }  # fmt: skip


def speed(paths: list[Path], keep: Path) -> None:
    """Draft a report of over 100 pages; open the result beside the bundled base."""
    import shutil

    if shutil.which("pdfunite") is None:
        print("speed: needs pdfunite (poppler-utils)")
        return
    big = keep / "joined.pdf"
    parts = sorted(paths, key=lambda p: -p.stat().st_size)
    joined = [parts[0]] * 3 + parts[1:]
    subprocess.run(["pdfunite", *map(str, joined), str(big)], check=True, capture_output=True)
    pages = subprocess.run(["pdfinfo", str(big)], capture_output=True, text=True).stdout
    count = re.search(r"Pages:\s+(\d+)", pages)
    into = keep / "base"
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "explorer", "draft", str(big), "--into", str(into), "--title", "J"],
        check=True, capture_output=True,
    )  # fmt: skip
    print(f"\nspeed: {count.group(1) if count else '?'} pages drafted in "
          f"{time.perf_counter() - start:.1f} s (target: 100 pages <= 10 s)")  # fmt: skip
    code = "import sys, time; from explorer import open_factbase; t = time.perf_counter(); " \
           "b = open_factbase(sys.argv[1]); print(len(b), time.perf_counter() - t)"  # fmt: skip
    from explorer.paths import bundled_facts_dir

    for name, folder in (("drafted", into), ("bundled", Path(bundled_facts_dir()))):
        times = []
        env = {**os.environ, "FACT_EXPLORER_CACHE": str(keep / f"cache-{name}")}
        for _run in ("cold", "warm"):  # a fresh cache folder: built, then read
            done = subprocess.run(
                [sys.executable, "-c", code, str(folder)], env=env, capture_output=True, text=True
            )
            out = done.stdout.split()
            times.append(float(out[1]))
        print(f"open {name:<8} base: {out[0]:>5} facts, first open {times[0] * 1000:5.0f} ms, "
              f"from the cache {times[1] * 1000:5.0f} ms")  # fmt: skip
    print(f"app first paint: python -m benchmarks.app --facts {into}")


TARGETS = {"recall": ">= 95%", "junk": "<= 5%", "faithful": ">= 98%", "pages": ">= 95%"}


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(SAMPLES.glob("*.pdf"))
    if not paths:
        print(f"no PDFs given and none in {SAMPLES}", file=sys.stderr)
        return 1
    print(f"{'report':<42} {'pages':>5} {'cands':>5} {'recall':>7} {'junk':>6} {'faithful':>8} "
          f"{'pages':>6} {'sec':>5}")  # fmt: skip
    for pdf in paths:
        m = measure(pdf)
        print(f"{pdf.name[:42]:<42} {m['pdf pages']:5.0f} {m['candidates']:5.0f} "
              f"{m['recall']:7.1%} {m['junk']:6.1%} {m['faithful']:8.1%} {m['pages']:6.1%} "
              f"{m['seconds']:5.1f}")  # fmt: skip
    print("targets: " + ", ".join(f"{k} {v}" for k, v in TARGETS.items()))
    if len(paths) > 1:
        speed(paths, Path(tempfile.mkdtemp(prefix="draft-speed-")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
