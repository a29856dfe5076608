"""Export: every format, atomic writes that survive a kill, and a fact base left alone."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy

from explorer import open_factbase
from explorer.export import FORMATS, ExportError, export
from explorer.model import Fact, FactBase
from tests.conftest import FACTS, REPO

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals, modes and links")
CSL_SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.json").read_text("utf-8"))
IDS = ["env-ghg-intensity-2020", "incl-bal-ruralstar-ghana-cost", "env-ghg-intensity-table",
       "moment-01-race-against-time"]  # fmt: skip


@pytest.fixture(scope="module")
def base() -> FactBase:
    return open_factbase(FACTS)


@pytest.fixture
def facts(base: FactBase) -> list[Fact]:
    found = [base.get(i) for i in IDS]
    return [f for f in found if f is not None]


def test_formats_are_the_six(base: FactBase) -> None:
    assert list(FORMATS) == ["markdown", "bibtex", "csl-json", "ris", "csv", "json"]


def test_bibtex_export_parses(base: FactBase, facts: list[Fact], tmp_path: Path) -> None:
    written = export(base, facts, "bibtex", tmp_path / "refs.bib")
    assert written == (tmp_path / "refs.bib").resolve()
    library = bibtexparser.parse_file(str(written))
    assert library.failed_blocks == [] and len(library.entries) == 2
    assert len(library.comments) == 4


def test_csl_json_export_validates(base: FactBase, facts: list[Fact], tmp_path: Path) -> None:
    written = export(base, facts, "csl-json", tmp_path / "refs.json")
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(json.loads(written.read_text("utf-8")))


def test_ris_export_parses(base: FactBase, facts: list[Fact], tmp_path: Path) -> None:
    written = export(base, facts, "ris", tmp_path / "refs.ris")
    assert len(rispy.loads(written.read_text("utf-8"))) == 2


def test_markdown_export_lists_each_source_once(
    base: FactBase, facts: list[Fact], tmp_path: Path
) -> None:
    text = export(base, facts, "markdown", tmp_path / "refs.md").read_text("utf-8")
    assert text.count("[*2020 Sustainability Report*]") == 1 and text.count("\n- ") == 4


def test_csv_export_has_a_row_per_fact_with_its_locator(
    base: FactBase, facts: list[Fact], tmp_path: Path
) -> None:
    text = export(base, [*facts, facts[0]], "csv", tmp_path / "facts.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == IDS
    assert rows[1]["page"] == "41" and rows[1]["section"] == "Driving Balanced Development"
    assert rows[2]["series"] == '{"2012": 3.83, "2020": 2.56}'
    assert rows[0]["published"] == "2021-07" and rows[0]["chapter"] == "Chapter 4"


def test_csv_cells_never_run_as_formulas(base: FactBase, tmp_path: Path) -> None:
    fact = base.get(IDS[0])
    assert fact is not None
    hostile = dataclasses.replace(fact, claim='=HYPERLINK("http://x")', notes="-2+3")
    text = export(base, [hostile], "csv", tmp_path / "x.csv").read_text("utf-8")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["claim"] == '\'=HYPERLINK("http://x")' and row["notes"] == "'-2+3"
    assert row["value"] == "2.56"


def test_json_export_has_every_field_and_the_sources(
    base: FactBase, facts: list[Fact], tmp_path: Path
) -> None:
    data = json.loads(export(base, facts, "json", tmp_path / "f.json").read_text("utf-8"))
    assert [s["id"] for s in data["sources"]] == ["report", "moments"]
    assert data["facts"][0] == {**facts[0].to_dict(), "chapter_title": "Environmental Protection"}


def test_an_unknown_format_is_refused(base: FactBase, facts: list[Fact], tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format 'docx'"):
        export(base, facts, "docx", tmp_path / "x.docx")


# ------------------------------------------------------------------ atomic and safe


def test_a_failed_replace_leaves_the_old_file_intact(
    base: FactBase, facts: list[Fact], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("old bibliography\n", encoding="utf-8")

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(ExportError, match="No space left on device"):
        export(base, facts, "bibtex", target)
    assert target.read_text(encoding="utf-8") == "old bibliography\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["refs.bib"]  # no temp file left


KILLED_MID_WRITE = """
import os, sys, time
from explorer import open_factbase
from explorer.export import export

def stall(fd):  # the new text is written but not yet in place: die here
    print("writing", flush=True)
    time.sleep(60)

os.fsync = stall
base = open_factbase(sys.argv[1])
export(base, list(base.facts), "json", sys.argv[2])
"""


@POSIX
def test_an_export_killed_halfway_leaves_the_old_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "facts.json"
    target.write_text('{"old": true}\n', encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED_MID_WRITE), str(FACTS), str(target)],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None and child.stdout.readline() == "writing\n"
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert len(temps) == 1 and temps[0].stat().st_size > 1000  # halfway: new text on disk
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'


@POSIX
def test_an_existing_file_keeps_its_mode(base: FactBase, facts: list[Fact], tmp_path: Path) -> None:
    target = tmp_path / "refs.ris"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    export(base, facts, "ris", target)
    assert target.stat().st_mode & 0o777 == 0o640 and target.read_text("utf-8") != "old"


@POSIX
def test_a_new_file_gets_the_usual_mode(base: FactBase, facts: list[Fact], tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        written = export(base, facts, "ris", tmp_path / "new.ris")
    finally:
        os.umask(umask)
    assert written.stat().st_mode & 0o777 == 0o644


@POSIX
def test_a_symlink_stays_a_symlink_and_its_target_is_written(
    base: FactBase, facts: list[Fact], tmp_path: Path
) -> None:
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert export(base, facts, "markdown", link) == real.resolve()
    assert link.is_symlink() and real.read_text("utf-8").startswith("Huawei Investment")


def test_refuses_to_write_inside_the_fact_base(tiny_base: Path, tmp_path: Path) -> None:
    base = open_factbase(tiny_base)
    fact_file = tiny_base / "report" / "ch4.yaml"
    before = fact_file.read_bytes()
    for path in (tiny_base / "refs.bib", fact_file, tiny_base / "new" / "x.md"):
        with pytest.raises(ExportError, match="inside the fact base"):
            export(base, base.facts, "bibtex", path)
    assert fact_file.read_bytes() == before
    assert sorted(p.name for p in tiny_base.iterdir()) == [
        "chapters.yaml",
        "report",
        "sources.yaml",
    ]


@POSIX
def test_refuses_links_to_fact_files_from_outside(tiny_base: Path, tmp_path: Path) -> None:
    base = open_factbase(tiny_base)
    fact_file = tiny_base / "report" / "ch4.yaml"
    (tmp_path / "sym.yaml").symlink_to(fact_file)
    os.link(fact_file, tmp_path / "hard.yaml")
    with pytest.raises(ExportError, match="inside the fact base"):
        export(base, base.facts, "json", tmp_path / "sym.yaml")
    with pytest.raises(ExportError, match="a file of the fact base"):
        export(base, base.facts, "json", tmp_path / "hard.yaml")
    assert fact_file.read_text("utf-8").startswith('source: "report"')


def test_refuses_the_bundled_base_whatever_base_is_open(tiny_base: Path) -> None:
    base = open_factbase(tiny_base)
    with pytest.raises(ExportError, match="inside the fact base"):
        export(base, base.facts, "csv", FACTS / "export.csv")
    assert not (FACTS / "export.csv").exists()


def test_a_missing_folder_or_a_folder_target_is_one_clear_error(
    base: FactBase, facts: list[Fact], tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="no folder"):
        export(base, facts, "csv", tmp_path / "absent" / "x.csv")
    with pytest.raises(ExportError, match="it is a folder"):
        export(base, facts, "csv", tmp_path)


# ------------------------------------------------------------------ the command line


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args], capture_output=True, text=True, timeout=60,
        cwd=REPO, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_cli_export_reports_the_path_written(tmp_path: Path) -> None:
    out = run("export", *IDS, "--format", "bibtex", "-o", str(tmp_path / "refs.bib"))
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"wrote 4 facts as bibtex to {(tmp_path / 'refs.bib').resolve()}\n"


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--format", "docx"], 2, "unknown format 'docx'"),
        (["--format", "csv", "-o", "facts/x.csv"], 1, "inside the fact base"),
        (["--format", "csv", "-o", "/nonexistent-dir/x.csv"], 1, "no folder"),
    ],
)
def test_cli_export_errors_are_one_line(
    tmp_path: Path, args: list[str], code: int, says: str
) -> None:
    if "-o" not in args:
        args = [*args, "-o", str(tmp_path / "x")]
    out = run("export", IDS[0], *args)
    assert out.returncode == code and out.stdout == ""
    assert out.stderr.count("\n") == 1 and says in out.stderr and "Traceback" not in out.stderr
