"""`explorer.paths` names files as `pathlib` does, without importing it; odd names never crash."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer import cli
from explorer.paths import expand, join, normal, parent
from explorer.walk import walk_base

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the text forms are POSIX's")

PIECES = st.sampled_from(["", "/", "//", "///", ".", "..", "a", "b-c", "é", " ", "x.yaml", "\n"])
NAMES = st.lists(PIECES, max_size=8).map("".join)
PART = st.text(st.characters(blacklist_characters="/\x00"), min_size=1).filter(
    lambda t: t not in (".", "..")
)


@given(NAMES)
def test_a_name_is_spelled_as_pathlib_spells_it(name: str) -> None:
    assert normal(name) == str(PurePosixPath(name))
    assert normal(Path(name)) == str(Path(name))


@given(NAMES, PART)
def test_a_name_below_a_folder_is_spelled_as_pathlib_spells_it(folder: str, name: str) -> None:
    assert join(normal(folder), name) == str(PurePosixPath(folder) / name)
    assert parent(join(normal(folder), name)) == str((PurePosixPath(folder) / name).parent)


def test_an_unknown_user_s_home_is_left_as_written() -> None:
    """``Path.expanduser`` raises for it; the name is kept, to be said not found."""
    with pytest.raises(RuntimeError):
        Path("~no-such-user-here/facts").expanduser()
    assert expand("~no-such-user-here//facts/") == "~no-such-user-here/facts"
    assert expand("~/facts") == str(Path("~/facts").expanduser())


@pytest.mark.parametrize(
    ("variable", "argv"),
    [
        ("FACT_EXPLORER_FACTS", ["search", "water"]),
        ("FACT_EXPLORER_FACTS", ["show", "env-water-2020"]),
        ("FACT_EXPLORER_CACHE", ["search", "water"]),
        ("FACT_EXPLORER_SOURCES", ["check", "--structure-only"]),
        ("FACT_EXPLORER_CONFIG", ["cite", "env-water-2020"]),
    ],
)
def test_a_folder_named_from_an_unknown_user_s_home_is_a_message(
    variable: str,
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each variable that names a file or folder, set to ``~someone/...`` for a user not here."""
    monkeypatch.setenv(variable, "~no-such-user-here/x")
    monkeypatch.chdir(tmp_path)
    code = cli.main(argv)
    _out, err = capsys.readouterr()
    assert "Traceback" not in err and code in (0, 1, 2)
    assert list(tmp_path.iterdir()) == []  # no folder named "~no-such-user-here" made here
    if variable in ("FACT_EXPLORER_FACTS", "FACT_EXPLORER_SOURCES"):
        assert f"${variable} ~no-such-user-here/x: no such folder" in err and code == 2
    if variable == "FACT_EXPLORER_CACHE":
        assert "caching off: $FACT_EXPLORER_CACHE ~no-such-user-here/x: no such user" in err


@given(st.lists(st.sampled_from(["b", "b-c", "b.c", "B", "b c", "bb", "a", "é"]), min_size=1))
def test_fact_files_come_in_pathlib_s_order(folders: list[str]) -> None:
    """Part by part, as paths sort: ``b/x.yaml`` before ``b-c/x.yaml``, though ``-`` < ``/``."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for folder in folders:
            (root / folder).mkdir(exist_ok=True)
            (root / folder / "x.yaml").write_text("", encoding="utf-8")
        walked = walk_base(root).files
        assert walked == [str(p) for p in sorted(root.glob("*/x.yaml"))]
        assert walk_base(str(root) + "//").files == walked


def test_the_current_folder_s_files_are_named_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "x.yaml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert walk_base(".").files == walk_base("").files == ["report/x.yaml"]
