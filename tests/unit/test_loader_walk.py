"""Nothing under a base is skipped in silence: every entry not loaded is named."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explorer import loader
from explorer.check import check
from explorer.loader import FactBaseError, load_factbase, open_factbase, walk_base
from tests.conftest import GOOD_FACT, REPO, make_base


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in load_factbase(root)[1]]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.symlink_to(p.parent / "gone.yaml"), "not loaded: a symbolic link to nothing"),
        (lambda p: p.mkdir(), "a folder, not a fact file: not loaded"),
        (lambda p: os.mkfifo(p), "a FIFO, not a fact file: not loaded"),
        (lambda p: p.symlink_to("/dev/null"), "a character device, not a fact file: not loaded"),
    ],
    ids=["dangling symlink", "folder", "fifo", "device link"],
)
def test_a_yaml_name_that_is_not_a_file_is_a_problem(tiny_base: Path, make, expected) -> None:  # type: ignore[no-untyped-def]
    bad = tiny_base / "report" / "extra.yaml"
    make(bad)
    assert problems_of(tiny_base) == [f"{bad}:0:0: {expected}"]


def test_a_folder_named_like_a_fact_file_is_not_walked(tiny_base: Path) -> None:
    folder = tiny_base / "report" / "more.yaml"
    folder.mkdir()
    (folder / "inside.yaml").write_text(GOOD_FACT.replace("env-ghg", "env-x"), encoding="utf-8")
    assert problems_of(tiny_base) == [f"{folder}:0:0: a folder, not a fact file: not loaded"]


def test_fact_files_in_the_wrong_place_or_name_are_problems(tiny_base: Path) -> None:
    (tiny_base / "report" / "ch5.yml").write_text(GOOD_FACT, encoding="utf-8")
    (tiny_base / "extra.yaml").write_text(GOOD_FACT, encoding="utf-8")
    shown = problems_of(tiny_base)
    assert f"{tiny_base}/extra.yaml:0:0: not loaded: fact files go in a sub-folder" in shown[0]
    assert shown[1] == f"{tiny_base}/report/ch5.yml:0:0: not loaded: fact files end in .yaml"


def test_an_unreadable_folder_is_a_problem(
    tiny_base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tiny_base / "locked"
    locked.mkdir()
    real = os.scandir

    def scandir(path: os.PathLike[str] | str) -> object:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(loader.os, "scandir", scandir)
    assert problems_of(tiny_base) == [f"{locked}:0:0: cannot read folder: permission denied"]
    result = check(tiny_base, structure_only=True)
    assert not result.ok and "1 problems" in result.summary()


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv"
)
def test_an_unreadable_folder_for_a_real_user(tmp_path: Path) -> None:
    """As a user who cannot read the folder (root reads everything), via setpriv."""
    home = Path("/tmp") / f"fe-walk-{os.getpid()}"
    shutil.rmtree(home, ignore_errors=True)
    try:
        root = make_base(home / "facts")
        (root / "locked").mkdir()
        (root / "locked" / "x.yaml").write_text(GOOD_FACT, encoding="utf-8")
        (root / "locked").chmod(0)
        for path in [home, *[p for p in home.rglob("*") if p.name != "locked"]]:
            if path.parent.name != "locked":
                path.chmod(0o755 if path.is_dir() else 0o644)
        code = (
            f"import sys; sys.path.insert(0, {str(REPO)!r}); "
            "from explorer.loader import load_factbase; from pathlib import Path; "
            f"print([str(p) for p in load_factbase(Path({str(root)!r}))[1]])"
        )
        # The venv's interpreter may sit under a private home; the system's of
        # the same version reads the venv's packages as well.
        python = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
        if not os.access(python, os.X_OK):
            pytest.skip(f"no {python} that another user can run")
        packages = os.pathsep.join(p for p in sys.path if p.endswith("site-packages"))
        env = {**os.environ, "HOME": str(home), "PYTHONPATH": packages}
        done = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", python, "-c", code],
            capture_output=True, text=True, timeout=60, env=env,
        )  # fmt: skip
        if "Permission denied" in done.stderr and "explorer" not in done.stderr:
            pytest.skip(f"the code is not readable by another user here: {done.stderr[-200:]}")
        assert done.returncode == 0, done.stderr
        assert f"{root}/locked:0:0: cannot read folder: permission denied" in done.stdout
    finally:
        (home / "facts" / "locked").chmod(0o755)
        shutil.rmtree(home, ignore_errors=True)


def test_a_symlink_loop_is_named_once(tiny_base: Path) -> None:
    (tiny_base / "report" / "again").symlink_to(tiny_base / "report")
    assert problems_of(tiny_base) == [
        f"{tiny_base}/report/again:0:0: a symbolic link loop: not followed"
    ]


def test_a_symlinked_folder_is_followed(tiny_base: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "more.yaml").write_text(GOOD_FACT.replace("env-ghg", "env-x"), encoding="utf-8")
    (tiny_base / "linked").symlink_to(elsewhere)
    base, problems = load_factbase(tiny_base)
    assert problems == [] and base is not None and base.get("env-x-total-2020") is not None


def test_other_entries_are_named_by_check_but_harmless(tiny_base: Path) -> None:
    (tiny_base / "README.md").write_text("notes", encoding="utf-8")
    (tiny_base / "report" / ".ch4.yaml.swp").write_bytes(b"\0")
    (tiny_base / "report" / ".#ch4.yaml").symlink_to("root@host.123")  # an editor's lock
    assert problems_of(tiny_base) == []
    result = check(tiny_base, structure_only=True)
    assert result.ok
    assert [(Path(p.path).name, p.message) for p in result.skipped] == [
        ("README.md", "not a .yaml file: not loaded"),
        (".#ch4.yaml", "hidden: not loaded"),
        (".ch4.yaml.swp", "hidden: not loaded"),
    ]
    assert "3 entries not loaded" in result.summary()


@pytest.mark.parametrize("name", ["sources.yaml", "chapters.yaml", "gri.yaml"])
def test_a_top_file_that_is_a_fifo_is_never_opened(tiny_base: Path, name: str) -> None:
    top = tiny_base / name
    top.unlink(missing_ok=True)
    os.mkfifo(top)
    assert f"{top}:0:0: a FIFO, not a fact file: not read" in problems_of(tiny_base)


def test_a_huge_file_is_refused_unread(tiny_base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tiny_base / "report" / "ch4.yaml"
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", file.stat().st_size + 1)
    with file.open("a", encoding="utf-8") as out:
        out.write("#" * 2)
    size = file.stat().st_size
    assert f"{file}:0:0: not read: {size:,} bytes, more than {size - 1:,}" in (
        problems_of(tiny_base)
    )


def test_a_folder_without_the_top_files_stops_before_walking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--facts /` says what is missing at once instead of walking the disk."""

    def walk(root: Path) -> None:
        raise AssertionError("walked a folder that is no fact base")

    monkeypatch.setattr(loader, "walk_base", walk)
    (tmp_path / "deep" / "deeper").mkdir(parents=True)
    base, problems = load_factbase(tmp_path)
    assert base is None
    assert [str(p) for p in problems] == [
        f"{tmp_path}/sources.yaml:0:0: missing: a fact base needs sources.yaml",
        f"{tmp_path}/chapters.yaml:0:0: missing: a fact base needs chapters.yaml",
    ]


def test_a_cached_base_is_not_served_past_a_new_bad_entry(
    tiny_base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACT_EXPLORER_CACHE", str(tmp_path / "cache"))
    assert open_factbase(tiny_base).get("env-ghg-total-2020") is not None
    os.mkfifo(tiny_base / "report" / "new.yaml")
    with pytest.raises(FactBaseError, match="a FIFO, not a fact file"):
        open_factbase(tiny_base)


def test_the_bundled_base_walks_clean() -> None:
    walk = walk_base(REPO / "facts")
    assert walk.problems == [] and walk.skipped == [] and len(walk.files) == 9
