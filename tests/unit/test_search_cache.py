"""The cache of the loaded and indexed base: where it lives, when it is used or rebuilt."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from explorer import cache, doccache, loader, open_factbase
from explorer.loader import FactBaseError
from explorer.model import FactBase
from explorer.search import search
from tests.unit.test_search import write_search_base


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    return write_search_base(tmp_path / "facts")


def listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make loading from the files fail, so only the cache can answer."""

    def refuse(root: Path) -> FactBase:
        raise AssertionError("loaded from the files")

    monkeypatch.setattr(loader, "_load_strict", refuse)


def test_the_first_open_writes_the_cache_in_the_cache_folder(facts: Path, cache_dir: Path) -> None:
    before = listing(facts)
    open_factbase(facts)
    files = sorted(cache_dir.iterdir())
    assert [f.suffix for f in files] == [".factbase", ".files"]  # the base; its parsed files
    assert files[1].stem == files[0].stem
    kept = sorted(p.name for p in files[1].iterdir())  # one a file, and the index's postings
    assert kept.count(doccache.POSTINGS) == 1
    assert len(kept) - 1 == len(list(facts.rglob("*.yaml")))
    assert listing(facts) == before  # nothing written beside the fact files


def test_the_cache_is_private_and_left_whole(facts: Path, cache_dir: Path) -> None:
    open_factbase(facts)
    (written,) = cache_dir.glob("*.factbase")
    (parsed,) = cache_dir.glob("*.files")
    for file in [written, *parsed.iterdir()]:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    for folder in (cache_dir, parsed):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not [p for p in cache_dir.rglob("*") if p.name.startswith(".tmp-")]


def test_the_next_open_comes_from_the_cache_with_its_index(
    facts: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = open_factbase(facts)
    no_loading(monkeypatch)
    cached = open_factbase(facts)
    assert cached.facts == fresh.facts and dict(cached.chapters) == dict(fresh.chapters)
    assert cached._search_index is not None
    for query in ("emplyees", "csd", "kind:target", "1.55 billion", "water 2019"):
        assert search(cached, query).hits == search(fresh, query).hits


def test_a_changed_fact_file_rebuilds_the_cache(
    facts: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_factbase(facts)
    file = facts / "moments" / "m.yaml"
    file.write_text(file.read_text().replace("charity concert.", "charity gala."))
    assert search(open_factbase(facts), "gala").hits
    no_loading(monkeypatch)
    assert search(open_factbase(facts), "gala").hits  # the rebuilt cache


def test_a_changed_synonym_table_rebuilds_the_cache(facts: Path, cache_dir: Path) -> None:
    assert not search(open_factbase(facts), "headcount").hits
    synonyms = facts / "synonyms.yaml"
    synonyms.write_text(synonyms.read_text().replace('"workforce"]', '"workforce", "headcount"]'))
    assert search(open_factbase(facts), "headcount").hits


def test_a_damaged_cache_is_ignored_and_replaced(facts: Path, cache_dir: Path) -> None:
    open_factbase(facts)
    (written,) = cache_dir.glob("*.factbase")
    header = written.read_bytes().split(b"\n", 1)[0]
    written.write_bytes(header + b"\nnot a pickle")
    assert len(open_factbase(facts).facts) == 8
    assert written.read_bytes() != header + b"\nnot a pickle"
    assert cache.take_warnings() == [
        f"ignoring the cache file {written}: it fails its integrity check (damaged or altered); "
        "loading from the fact files"
    ]


def test_a_base_with_problems_is_never_cached(facts: Path, cache_dir: Path) -> None:
    (facts / "report" / "bad.yaml").write_text('source: "report"\nfacts:\n  - {id: "x"}\n')
    with pytest.raises(FactBaseError) as first:
        open_factbase(facts)
    assert not list(cache_dir.glob("*.factbase"))  # its files' parses may be kept, not the base
    with pytest.raises(FactBaseError) as again:
        open_factbase(facts)
    assert again.value.problems == first.value.problems


def test_the_cache_can_be_turned_off(
    facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.ENV_CACHE, "off")
    monkeypatch.setattr(cache, "write", lambda *a: pytest.fail("wrote a cache"))
    assert len(open_factbase(facts).facts) == 8


def test_the_cache_never_goes_inside_the_fact_folder(
    facts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = listing(facts)
    monkeypatch.setenv(cache.ENV_CACHE, str(facts / "cache"))
    open_factbase(facts)
    assert listing(facts) == before


def test_the_default_folder_is_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.paths import user_dir

    monkeypatch.delenv(cache.ENV_CACHE, raising=False)
    assert cache.cache_dir() == user_dir("cache")


def test_old_cache_files_are_pruned(cache_dir: Path) -> None:
    cache_dir.mkdir()
    for n in range(cache.KEEP + 3):
        path = cache_dir / f"{n:02d}.factbase"
        path.write_bytes(b"x")
        os.utime(path, (n, n))
    cache.prune(cache_dir)
    kept = sorted(p.name for p in cache_dir.iterdir())
    assert kept == [f"{n:02d}.factbase" for n in range(3, cache.KEEP + 3)]
