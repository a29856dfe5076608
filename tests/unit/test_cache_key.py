"""The cache's key: stat calls when nothing changed, a file read only when its status did."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from explorer import cache, cachekey, open_factbase
from explorer.search import search
from tests.unit.test_search import write_search_base


@pytest.fixture
def facts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small base, cached in tmp_path; files count as settled at once (no racy window)."""
    monkeypatch.setenv(cache.ENV_CACHE, str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "secret_path", lambda: tmp_path / "data" / cache.SECRET_NAME)
    monkeypatch.setattr(cache, "_said", set())
    monkeypatch.setattr(cache, "_unread", [])
    monkeypatch.setattr(cachekey, "RACY_NS", 0)
    return write_search_base(tmp_path / "facts")


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every file the key read to hash it."""
    done: list[str] = []
    real = cachekey.file_sha256

    def counted(handle: Any) -> str:
        done.append(os.path.basename(handle.name))
        return real(handle)

    monkeypatch.setattr(cachekey, "file_sha256", counted)
    return done


def test_a_warm_open_reads_no_file_to_key_the_cache(
    facts: Path, hashed: list[str], loads: list[Path]
) -> None:
    open_factbase(facts)
    hashed.clear()
    assert search(open_factbase(facts), "greenhouse").hits
    assert hashed == [] and loads == [facts]


def test_a_touched_file_is_hashed_once_and_the_cache_still_serves(
    facts: Path, hashed: list[str], loads: list[Path]
) -> None:
    open_factbase(facts)
    hashed.clear()
    os.utime(facts / "moments" / "m.yaml")  # as `touch` or a checkout that rewrote it the same
    open_factbase(facts)
    assert hashed == ["m.yaml"] and loads == [facts]
    hashed.clear()
    open_factbase(facts)
    assert hashed == []  # its new status was recorded


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(
    facts: Path, hashed: list[str], loads: list[Path]
) -> None:
    open_factbase(facts)
    file = facts / "moments" / "m.yaml"
    before = file.stat()
    file.write_text(file.read_text().replace("charity concert.", "charity galas..."))
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))  # the change time still moves
    assert file.stat().st_size == before.st_size
    assert search(open_factbase(facts), "galas").hits
    assert loads == [facts]  # the edited file alone read again: the base patched (`reopen`)


def test_a_file_changed_just_after_it_was_recorded_is_hashed_again(
    facts: Path, hashed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cachekey, "RACY_NS", 10**18)  # every file was changed "just now"
    open_factbase(facts)
    hashed.clear()
    open_factbase(facts)
    assert "m.yaml" in hashed  # its status cannot vouch for it: an edit in the same tick


def test_a_new_fact_file_rebuilds_the_cache(facts: Path, loads: list[Path]) -> None:
    open_factbase(facts)
    moments = (facts / "moments" / "m.yaml").read_text()
    (facts / "moments" / "more.yaml").write_text(
        moments.replace("moment-charity", "moment-raffle").replace("concert.", "raffle.")
    )
    assert search(open_factbase(facts), "raffle").hits and loads == [facts, facts]


def test_the_code_it_depends_on_is_what_globbing_finds() -> None:
    """Every module of ``search/`` and its wordnet files, in order, as `Path.glob` lists them."""
    from explorer.cachekey import BUILDERS, CODE, inputs
    from explorer.paths import bundled_facts_dir

    search = Path(CODE) / "search"
    code = [Path(CODE) / name for name in BUILDERS] + sorted(search.glob("*.py"))
    expected = [str(p) for p in code + sorted(search.glob("wordnet*.txt"))]
    assert inputs(bundled_facts_dir())[-len(expected) :] == expected
    assert len(expected) > len(BUILDERS) + 15


def test_the_tools_digest_covers_the_files_outside_the_base_only(facts: Path) -> None:
    """The schema and the code, not the base's own files (nor a folder named like it)."""
    import hashlib

    from explorer.cachekey import inputs, key_of

    twin = facts.parent / (facts.name + "2")  # "facts2" starts with "facts", yet is not inside
    twin.mkdir()
    (twin / "x.yaml").write_text("x", encoding="utf-8")
    files = [Path(file) for file in inputs(facts)] + [twin / "x.yaml"]
    got = key_of(files, b"layout", {}, facts)
    expected = hashlib.sha256(b"layout")
    for file in files:
        if not file.is_relative_to(facts):
            expected.update(os.fsencode(file) + b"\0" + got.files[os.fsdecode(file)][1].encode())
    assert got.tools == expected.hexdigest()
    assert any(file.is_relative_to(facts) for file in files)


def test_the_code_of_the_caches_mac_is_part_of_the_key() -> None:
    """A new MAC rebuilds the cache silently, never warns that the old one fails its check."""
    from explorer.cachekey import BUILDERS, CODE

    assert "digests.py" in BUILDERS and all((Path(CODE) / name).is_file() for name in BUILDERS)
