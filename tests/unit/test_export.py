"""Export: every format, atomic writes that survive a kill, and a fact base left alone."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy

from explorer import export as export_module
from explorer import open_factbase
from explorer.cli import main
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


# ------------------------------------------------------------------ only regular files


ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def device(tmp_path: Path) -> Path:
    """A character device: a null device made in tmp_path as root, else /dev/null itself.

    Never /dev/null as root: code that replaced a device would replace the system's.
    """
    if not ROOT:
        return Path("/dev/null")
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError as err:
        pytest.skip(f"cannot make a device node here: {err}")
    return node


def refusal(base: FactBase, facts: list[Fact], path: str | Path) -> str:
    with pytest.raises(ExportError) as caught:
        export(base, facts, "csv", path)
    message = str(caught.value)
    assert "\n" not in message
    return message


@POSIX
@pytest.mark.parametrize("via_link", [False, True])
def test_a_device_is_refused_and_stays_a_device(
    base: FactBase, facts: list[Fact], device: Path, tmp_path: Path, via_link: bool
) -> None:
    target: Path = device
    if via_link:
        target = tmp_path / "out.csv"
        target.symlink_to(device)
    message = refusal(base, facts, target)
    assert "it is a device, not a regular file" in message and str(device) in message
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert not via_link or target.is_symlink()


@POSIX
@pytest.mark.parametrize("via_link", [False, True])
def test_a_fifo_is_refused_and_stays_a_fifo(
    base: FactBase, facts: list[Fact], tmp_path: Path, via_link: bool
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = fifo
    if via_link:
        target = tmp_path / "link.csv"
        target.symlink_to(fifo)
    message = refusal(base, facts, target)
    assert "it is a named pipe (FIFO), not a regular file" in message
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"pipe", target.name})


@POSIX
def test_a_socket_is_refused(base: FactBase, facts: list[Fact], tmp_path: Path) -> None:
    import socket

    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert "it is a socket, not a regular file" in refusal(base, facts, path)
    assert stat.S_ISSOCK(os.stat(path).st_mode)


@POSIX
def test_a_link_to_a_folder_is_refused(base: FactBase, facts: list[Fact], tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "folder")
    assert refusal(base, facts, tmp_path / "link").endswith("it is a folder")


@pytest.mark.parametrize("name", ["new/", "existing/", "existing/sub/"])
def test_a_name_ending_in_a_slash_is_a_folder_not_a_file(
    base: FactBase, facts: list[Fact], tmp_path: Path, name: str
) -> None:
    (tmp_path / "existing").mkdir()
    assert "a name ending in '/' names a folder" in refusal(base, facts, f"{tmp_path}/{name}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing"]
    assert not list((tmp_path / "existing").iterdir())


def test_a_file_where_a_folder_should_be_is_named(
    base: FactBase, facts: list[Fact], tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    message = refusal(base, facts, tmp_path / "notes.txt" / "deeper" / "x.csv")
    assert message.endswith(f"{tmp_path / 'notes.txt'} is a file, not a folder")


def test_a_missing_folder_names_the_folder(
    base: FactBase, facts: list[Fact], tmp_path: Path
) -> None:
    message = refusal(base, facts, tmp_path / "a" / "b" / "x.csv")
    assert message.endswith(f"no folder {tmp_path / 'a' / 'b'}")


@POSIX
def test_a_symlink_loop_is_one_clear_error(
    base: FactBase, facts: list[Fact], tmp_path: Path
) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert "it is a loop of symbolic links" in refusal(base, facts, tmp_path / "a")


@POSIX
def test_a_dangling_symlink_creates_its_target_and_stays_a_link(
    base: FactBase, facts: list[Fact], tmp_path: Path
) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "real.csv")
    assert export(base, facts, "csv", link) == (tmp_path / "real.csv").resolve()
    assert link.is_symlink() and link.read_text("utf-8").startswith("id,kind,")


def test_an_empty_path_or_a_nul_is_refused(base: FactBase, facts: list[Fact]) -> None:
    assert "empty path" in refusal(base, facts, "")
    assert "cannot hold a NUL character" in refusal(base, facts, "a\0b.csv")


def test_an_existing_fact_base_file_is_refused_and_untouched(
    tiny_base: Path, tmp_path: Path
) -> None:
    base = open_factbase(tiny_base)
    before = (tiny_base / "sources.yaml").read_bytes()
    message = refusal(base, list(base.facts), tiny_base / "sources.yaml")
    assert "inside the fact base" in message
    assert (tiny_base / "sources.yaml").read_bytes() == before


@POSIX
@pytest.mark.skipif(ROOT, reason="root may write anything")
def test_a_read_only_file_or_folder_is_refused_for_real(
    base: FactBase, facts: list[Fact], tmp_path: Path
) -> None:
    locked = tmp_path / "locked.csv"
    locked.write_text("old", encoding="utf-8")
    locked.chmod(0o444)
    assert "the file is read-only" in refusal(base, facts, locked)
    assert locked.read_text("utf-8") == "old"
    folder = tmp_path / "shut"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert "no permission to create a file in" in refusal(base, facts, folder / "x.csv")
    finally:
        folder.chmod(0o755)


@POSIX
def test_no_write_permission_is_said_as_for_a_user(
    base: FactBase, facts: list[Fact], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same refusals as the test above, as root sees them when access is denied."""
    locked = tmp_path / "locked.csv"
    locked.write_text("old", encoding="utf-8")
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False)
    assert refusal(base, facts, locked).endswith("the file is read-only (permission denied)")
    assert locked.read_text("utf-8") == "old"
    message = refusal(base, facts, tmp_path / "new.csv")
    assert message.endswith(f"no permission to create a file in {tmp_path}")


@POSIX
def test_a_failed_temp_file_says_why_in_one_line(
    base: FactBase, facts: list[Fact], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", denied)
    target = tmp_path / "x.csv"
    assert refusal(base, facts, target) == f"cannot write {target}: Permission denied"


@POSIX
def test_a_target_that_turns_into_a_fifo_while_written_is_left_alone(
    base: FactBase, facts: list[Fact], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.csv"
    real_fsync = os.fsync

    def swap(fd: int) -> None:  # someone puts a FIFO there while the text is written
        real_fsync(fd)
        if not target.exists():
            os.mkfifo(target)

    monkeypatch.setattr(os, "fsync", swap)
    assert "it is now a named pipe (FIFO)" in refusal(base, facts, target)
    assert stat.S_ISFIFO(os.stat(target).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]  # no temporary file left


@POSIX
@pytest.mark.parametrize("name", [b"two\nlines.csv", b"latin-\xe9t\xe9.csv", b"\x1b[31mred.csv"])
def test_an_odd_file_name_is_written_and_shown_on_one_line(
    base: FactBase, facts: list[Fact], tmp_path: Path, name: bytes
) -> None:
    written = export(base, facts, "csv", tmp_path / os.fsdecode(name))
    assert os.listdir(os.fsencode(tmp_path)) == [name]
    assert written.read_text("utf-8").startswith("id,kind,")
    assert export_module.shown(written).isprintable()


def test_shown_escapes_what_a_terminal_would_act_on() -> None:
    shown = export_module.shown
    assert shown(os.fsdecode(b"/tmp/x\xff")) == "/tmp/x\\xff"
    assert shown("a\nb\tc\x1b[2J\u202e") == "a\\nb\\tc\\x1b[2J\\u202e"
    assert shown("caf\u00e9 \u4e2d\u6587.csv") == "caf\u00e9 \u4e2d\u6587.csv"
    assert shown("lone \ud800") == "lone \\ud800"


def test_a_name_as_long_as_a_file_system_allows_is_written(
    base: FactBase, facts: list[Fact], tmp_path: Path
) -> None:
    long = tmp_path / ("n" * 251 + ".csv")  # 255 bytes: the temporary file's name must be shorter
    assert export(base, facts, "csv", long).read_text("utf-8").startswith("id,kind,")
    assert [p.name for p in tmp_path.iterdir()] == [long.name]


def test_render_gives_the_text_export_writes(
    base: FactBase, facts: list[Fact], tmp_path: Path
) -> None:
    written = export(base, facts, "ris", tmp_path / "x.ris")
    assert export_module.render(base, facts, "ris") == written.read_text("utf-8")
    with pytest.raises(ExportError, match="unknown export format"):
        export_module.render(base, facts, "docx")


# ------------------------------------------------------------------ the command line, in-process


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run `main` in a scratch folder, with a scratch cache; return the folder."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("FACT_EXPLORER_CACHE", str(tmp_path / "cache"))
    return work


def test_cli_dash_writes_to_standard_output_and_no_file(
    cli: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", IDS[0], "--format", "csv", "-o", "-"]) == 0
    out, err = capsys.readouterr()
    assert next(csv.DictReader(io.StringIO(out)))["id"] == IDS[0] and err == ""
    assert list(cli.iterdir()) == []


def test_cli_dot_slash_dash_is_a_file_named_dash(
    cli: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", IDS[0], "--format", "json", "-o", "./-"]) == 0
    assert capsys.readouterr().out == f"wrote 1 fact as json to {cli / '-'}\n"
    assert json.loads((cli / "-").read_text("utf-8"))["facts"][0]["id"] == IDS[0]


@POSIX
def test_cli_refuses_a_device_in_one_line(
    cli: Path, device: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", IDS[0], "--format", "csv", "-o", str(device)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"fact-explorer: cannot write {device}: it is a device, not a regular file\n"
    assert stat.S_ISCHR(os.stat(device).st_mode)


@POSIX
def test_cli_says_an_odd_name_in_one_printable_line(
    cli: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(b"bad\xff\nname.csv")
    assert main(["export", IDS[0], "--format", "csv", "-o", name]) == 0
    out = capsys.readouterr().out
    assert out == f"wrote 1 fact as csv to {cli}/bad\\xff\\nname.csv\n"
    assert os.listdir(os.fsencode(cli)) == [b"bad\xff\nname.csv"]


@pytest.mark.parametrize(
    ("output", "code", "says"),
    [
        ("", 2, "argument -o/--output: needs a file name, or - for standard output"),
        ("out/", 1, "cannot write out/: a name ending in '/' names a folder"),
        (".", 1, "it is a folder"),
        ("missing/x.csv", 1, "no folder"),
    ],
)
def test_cli_export_refusals_exit_as_documented(
    cli: Path, capsys: pytest.CaptureFixture[str], output: str, code: int, says: str
) -> None:
    try:
        got = main(["export", IDS[0], "--format", "csv", "-o", output])
    except SystemExit as usage:  # argparse ends bad usage itself
        got = usage.code
    err = capsys.readouterr().err
    assert got == code and says in err and "Traceback" not in err
    assert code == 2 or err.count("\n") == 1
    assert list(cli.iterdir()) == []
