"""Fact files parsed in worker processes give the base, and the problems, the loader gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import loader, parsepool
from explorer.model import FactBase
from explorer.search import search
from explorer.search.index import build_index
from tests.conftest import make_base
from tests.unit.test_index_build import assert_same_index
from tests.unit.test_search import write_search_base


@pytest.fixture
def in_workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every base, however small, parsed in workers; the files each pool was asked to parse."""
    asked: list[int] = []
    real = parsepool.Pool.close

    def close(pool: parsepool.Pool) -> None:
        asked.append(pool.asked)
        real(pool)

    monkeypatch.setattr(parsepool, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(parsepool, "_busy", lambda cores: False)
    monkeypatch.setattr(parsepool.Pool, "close", close)
    return asked


def serial(root: Path) -> tuple[object, list[str]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parsepool, "start", lambda files, titles=None: None)
        base, problems = loader.load_factbase(root)
    return base, [str(p) for p in problems]


def test_a_base_parsed_in_workers_is_the_base_parsed_alone(
    tmp_path: Path, in_workers: list[int]
) -> None:
    root = write_search_base(tmp_path / "facts")
    base, problems = loader.load_factbase(root)
    assert in_workers == [3] and problems == []
    alone, _ = serial(root)
    assert base == alone and isinstance(alone, FactBase) and base is not None
    known = base._known_terms
    assert known  # each fact's terms and fields, found by the workers
    assert_same_index(build_index(base), build_index(alone))
    assert not known  # every fact's were taken
    assert search(base, "greenhouse").hits


def test_problems_found_in_workers_are_said_in_file_order(
    tmp_path: Path, in_workers: list[int]
) -> None:
    root = write_search_base(tmp_path / "facts")
    (root / "report" / "bad.yaml").write_text('source: "report"\nfacts:\n  - {id: "x"}\n')
    (root / "report" / "broken.yaml").write_text("facts: [\n")
    (root / "report" / "latin.yaml").write_bytes(b"\xff\xfe not utf-8")
    base, problems = loader.load_factbase(root)
    assert in_workers and base is not None
    assert [str(p) for p in problems] == serial(root)[1] and len(problems) > 3


def test_a_worker_that_dies_leaves_the_parse_to_the_loader(
    tmp_path: Path, in_workers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_search_base(tmp_path / "facts")
    real = parsepool.Pool.__init__

    def dying(pool: parsepool.Pool, workers: int, titles: dict[str, str] | None = None) -> None:
        real(pool, workers, titles)
        for worker in pool.workers:
            worker.kill()
            worker.wait()

    monkeypatch.setattr(parsepool.Pool, "__init__", dying)
    assert loader.load_factbase(root) == serial(root)


# Facts in the plain form (the form workers trim to their ids' positions), each broken in
# a way only the loader sees, so each problem it says needs a position the worker left out.
_FACT = (
    '  - id: "{id}"\n    kind: "figure"\n    claim: "Huawei had {n} employees."\n'
    '    quote: "{n} employees"\n    section: "{section}"\n    value: {value}\n'
    '    period: "2020"\n    assurance: "assured"\n'
)
_BROKEN = {
    "good": {},
    "unknown source": {"extra": '    source: "nowhere"\n'},
    "unknown chapter": {"extra": '    chapter: "nowhere"\n'},
    "other source's chapter": {"extra": '    chapter: "moments"\n'},
    "unknown section": {"section": "Nowhere"},
    "out of range": {"value": "1e30"},
    "series out of range": {"extra": '    series: {"2019": 1e30, "2020": 3}\n'},
    "duplicate id": {"id": "dup"},
}


def _fact(n: int, broken: str) -> str:
    fields = {"id": f"f{n}", "n": n, "section": "Reducing Carbon Emissions", "value": n}
    change = _BROKEN[broken]
    fields.update({k: v for k, v in change.items() if k != "extra"})
    return _FACT.format(**fields) + change.get("extra", "")


_FILES = st.lists(st.lists(st.sampled_from(sorted(_BROKEN)), min_size=1, max_size=6), max_size=3)


_FIXTURES = [HealthCheck.function_scoped_fixture]  # `in_workers` patches for every example alike


@settings(max_examples=12, deadline=None, suppress_health_check=_FIXTURES)
@given(_FILES.filter(bool))
def test_problems_the_loader_finds_stand_where_they_stand_when_parsed_alone(
    tmp_path_factory: pytest.TempPathFactory, in_workers: list[int], files: list[list[str]]
) -> None:
    root = make_base(tmp_path_factory.mktemp("base") / "facts", {})
    n = 0
    for i, kinds in enumerate(files):
        text = 'source: "report"\nchapter: "ch4"\nfacts:\n'
        for kind in kinds:
            text += _fact(n, kind)
            n += 1
        (root / "report" / f"ch4-{i}.yaml").parent.mkdir(parents=True, exist_ok=True)
        (root / "report" / f"ch4-{i}.yaml").write_text(text, encoding="utf-8")
    del in_workers[:]
    base, problems = loader.load_factbase(root)
    assert in_workers == [len(files)]
    assert (base, [str(p) for p in problems]) == serial(root)


def test_a_worker_sends_its_ids_positions_alone_unless_the_parse_is_kept(tmp_path: Path) -> None:
    root = write_search_base(tmp_path / "facts")
    file = root / "report" / "ch4.yaml"
    raw = file.read_bytes()
    _digest, (trimmed, _), terms = parsepool._answer(str(file), "fact_file", raw, whole=False)
    _digest, (whole, _), _terms = parsepool._answer(str(file), "fact_file", raw, whole=True)
    assert whole == loader.parse_file(str(file), "fact_file", raw)[0]
    assert trimmed.data == whole.data and not trimmed.key_marks
    assert trimmed.marks == {p: m for p, m in whole.marks.items() if p[2:] == ("id",)}
    assert len(trimmed.marks) == 5 and terms == _terms


def test_answers_whose_terms_are_not_texts_with_tuples_are_refused() -> None:
    assert parsepool._terms_shaped({("a b", "c"): (("a", "b", "c"), b"\x01\x01\x02")})
    assert not parsepool._terms_shaped({("a b",): (("a", "b"), b"\x01")})  # one mask short
    assert not parsepool._terms_shaped({("a b",): (["a", "b"], b"\x01\x01")})
    assert not parsepool._terms_shaped({"a b": ("a", "b")})
    assert not parsepool._terms_shaped([("a b", ("a", "b"))])
