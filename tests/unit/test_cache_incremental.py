"""After an edit, only the edited file is parsed; its kept parses cannot run code or lie."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from explorer import cache, doccache, loader, open_factbase
from explorer.digests import mac
from explorer.loader import FactBaseError
from explorer.search import search
from tests.unit.test_cache_trust import Payload
from tests.unit.test_search import write_search_base


@pytest.fixture
def facts(tmp_path: Path, cache_dir: Path) -> Path:
    return write_search_base(tmp_path / "facts")


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every file parsed from its text (not taken from the kept parses)."""
    done: list[str] = []
    real = loader.parse_file

    def counted(name: str, schema: str, raw: bytes) -> Any:
        done.append(Path(name).name)
        return real(name, schema, raw)

    monkeypatch.setattr(loader, "parse_file", counted)
    return done


def entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("*.files/*" + doccache.SUFFIX))


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new))


def test_editing_one_file_parses_that_file_alone(facts: Path, parsed: list[str]) -> None:
    open_factbase(facts)
    assert len(parsed) == len(list(facts.rglob("*.yaml")))
    parsed.clear()
    edit(facts / "moments" / "m.yaml", "charity concert.", "charity gala.")
    base = open_factbase(facts)
    assert parsed == ["m.yaml"]
    assert [h.fact.id for h in search(base, "gala").hits] == ["moment-charity"]


def test_the_base_rebuilt_from_kept_parses_is_the_base_from_the_files(
    facts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_factbase(facts)
    edit(facts / "moments" / "m.yaml", "charity concert.", "charity gala.")
    kept = open_factbase(facts)
    monkeypatch.setenv(cache.ENV_CACHE, "off")
    fresh = open_factbase(facts)
    assert kept.facts == fresh.facts and dict(kept.chapters) == dict(fresh.chapters)
    for query in ("gala", "emplyees", "kind:target", "water 2019"):
        assert search(kept, query).hits == search(fresh, query).hits


def test_fixing_one_of_two_bad_files_parses_only_the_fixed_one(
    facts: Path, parsed: list[str]
) -> None:
    bad = 'source: "report"\nchapter: "ch4"\nfacts:\n  - {id: "x", kind: "nonsense"}\n'
    (facts / "report" / "bad1.yaml").write_text(bad)
    (facts / "report" / "bad2.yaml").write_text(bad.replace('"x"', '"y"'))
    with pytest.raises(FactBaseError) as first:
        open_factbase(facts)
    parsed.clear()
    (facts / "report" / "bad1.yaml").unlink()
    with pytest.raises(FactBaseError) as second:
        open_factbase(facts)
    assert parsed == []  # nothing new to parse: bad2's problems come from its kept parse
    assert second.value.problems == [p for p in first.value.problems if "bad2" in p.path]


def test_a_removed_file_leaves_no_kept_parse(facts: Path, cache_dir: Path) -> None:
    open_factbase(facts)
    before = len(entries(cache_dir))
    (facts / "moments" / "m.yaml").unlink()
    open_factbase(facts)
    assert len(entries(cache_dir)) == before - 1


def without_postings(cache_dir: Path) -> None:
    """Make the next open after an edit load the base from its files (and the kept parses):
    without the postings it cannot be patched (`explorer.reopen`)."""
    for kept in cache_dir.glob("*.files/" + doccache.POSTINGS):
        kept.unlink()


def test_a_planted_parse_never_runs(
    facts: Path, cache_dir: Path, tmp_path: Path, parsed: list[str]
) -> None:
    open_factbase(facts)
    marker = tmp_path / "owned"
    secret = (tmp_path / "data" / cache.SECRET_NAME).read_bytes()
    for entry in entries(cache_dir):
        data = entry.read_bytes()
        header = data[: data.index(b"\n") + 1]
        body = pickle.dumps(Payload(marker))
        entry.write_bytes(header + mac(secret, header, body) + body)  # even signed
    without_postings(cache_dir)
    edit(facts / "moments" / "m.yaml", "charity concert.", "charity gala.")
    parsed.clear()
    base = open_factbase(facts)
    assert not marker.exists() and search(base, "gala").hits
    assert len(parsed) == len(list(facts.rglob("*.yaml")))  # every file parsed again
    assert any("io.open is not allowed in a cache" in w for w in cache.take_warnings())


def test_an_altered_parse_is_refused_and_said(
    facts: Path, cache_dir: Path, parsed: list[str]
) -> None:
    open_factbase(facts)
    for entry in entries(cache_dir):
        data = entry.read_bytes()
        entry.write_bytes(data.replace(b"charity concert", b"charity raffles"))
    without_postings(cache_dir)
    edit(facts / "report" / "ch4.yaml", "\n", "\n\n")
    parsed.clear()
    base = open_factbase(facts)
    assert not search(base, "raffles").hits and search(base, "concert").hits
    assert "m.yaml" in parsed
    warnings = cache.take_warnings()
    assert warnings and all("fails its integrity check" in w for w in warnings)


def test_a_parse_kept_under_other_code_is_not_used(facts: Path, tmp_path: Path) -> None:
    secret = b"s" * 32
    store = doccache.Store(tmp_path / "kept.files", secret, tools="one")
    raw = (facts / "moments" / "m.yaml").read_bytes()
    store.put("m.yaml", "fact_file", raw, loader.parse_file("m.yaml", "fact_file", raw))
    assert store.get("m.yaml", "fact_file", raw) is not None
    assert (
        doccache.Store(tmp_path / "kept.files", secret, tools="two").get("m.yaml", "fact_file", raw)
        is None
    )
    assert store.get("m.yaml", "fact_file", raw + b"\n") is None
