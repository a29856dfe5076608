"""A base re-opened after an edit is patched, and equals the base loaded from its files."""

from __future__ import annotations

import dataclasses
import json
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import cache, doccache, loader, open_factbase
from explorer.digests import mac
from explorer.model import ENTRY_KINDS, Fact, FactBase
from explorer.opener import FactBaseError
from explorer.paths import bundled_facts_dir
from explorer.problems import Problem
from explorer.search import index as index_module
from explorer.search import patch as patch_module
from explorer.search import search
from explorer.search.fields import Tables
from explorer.search.index import SearchIndex, build_index_kept
from explorer.search.patch import patch_index

QUERIES = ("huawei", "emissions 2020", "water", "employees", "solar | wind", "kind:figure",
           "tag:ghg", "year:2019", "value:>1000", "renewable", "edited", "zebra")  # fmt: skip
TOP = ("sources.yaml", "chapters.yaml", "gri.yaml", "glossary.yaml", "synonyms.yaml")
FIXTURES = HealthCheck.function_scoped_fixture
WORDS = ("zebra", "edited", "water", "emissions", "2020", "renewable", "the", "99", "huawei")


@pytest.fixture(scope="module")
def real() -> FactBase:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.ENV_CACHE, "off")
        return open_factbase(bundled_facts_dir())


@pytest.fixture(autouse=True)
def small_common(monkeypatch: pytest.MonkeyPatch) -> None:
    """Common terms (bitsets and a head) in a base this small too, and patch whatever changed."""
    for module in (index_module, patch_module):
        monkeypatch.setattr(module, "COMMON_MIN", 12)
        monkeypatch.setattr(module, "HEAD", 9)
    monkeypatch.setattr(patch_module, "MOST_CHANGED", 0.01)


def assert_same_index(got: SearchIndex, want: SearchIndex) -> None:
    """Field by field, dictionaries in the same order too (filters list their keys)."""
    for f in dataclasses.fields(SearchIndex):
        if f.name == "memo":
            continue
        mine, theirs = getattr(got, f.name), getattr(want, f.name)
        if isinstance(mine, Tables):
            for t in dataclasses.fields(Tables):
                a, b = getattr(mine, t.name), getattr(theirs, t.name)
                assert (list(a.items()) if isinstance(a, dict) else a) == (
                    list(b.items()) if isinstance(b, dict) else b
                ), t.name
        elif isinstance(mine, dict):
            assert list(mine.items()) == list(theirs.items()), f.name
        else:
            assert mine == theirs, f.name


def rebased(base: FactBase, facts: list[Fact]) -> FactBase:
    return FactBase(
        facts=tuple(facts), sources=base.sources, chapters=base.chapters, gri=base.gri,
        glossary=base.glossary, synonyms=base.synonyms, root=base.root,
    )  # fmt: skip


def edited(
    facts: list[Fact], pool: tuple[Fact, ...], rng: random.Random, n: int, values: bool = True
) -> list[Fact]:
    """``facts`` after ``n`` random edits: claims longer or shorter, facts gone and new."""
    facts = list(facts)
    for step in range(n):
        roll = rng.random()
        if roll < 0.45 and facts:
            at = rng.randrange(len(facts))
            words = facts[at].claim.split()
            if rng.random() < 0.6 or len(words) < 2:
                words.insert(rng.randrange(len(words) + 1), rng.choice(WORDS))
            else:
                del words[rng.randrange(len(words))]
            facts[at] = dataclasses.replace(facts[at], claim=" ".join(words))
        elif roll < 0.7 and facts:
            del facts[rng.randrange(len(facts))]
        else:
            model = rng.choice(pool)
            tags = (*model.tags, rng.choice(("new-a", "new-b", "ghg")))
            value = rng.choice((None, 7, 2.5, model.value)) if values else model.value
            new = dataclasses.replace(model, id=f"{model.id}-{step}-{rng.randrange(10**6)}",
                                      tags=tags, value=value)  # fmt: skip
            facts.insert(rng.randrange(len(facts) + 1), new)
    return facts


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32), rounds=st.integers(1, 3), edits=st.integers(1, 6))
def test_an_index_patched_after_any_edit_equals_the_index_built_from_scratch(
    real: FactBase, seed: int, rounds: int, edits: int
) -> None:
    rng = random.Random(seed)
    start = rng.randrange(len(real.facts) - 150)
    base = rebased(real, list(real.facts[start : start + 150]))
    index, postings = build_index_kept(base)
    for _ in range(rounds):
        new = rebased(base, edited(list(base.facts), real.facts, rng, edits))
        patched = patch_index(base, index, postings, new)
        assert patched is not None
        want_index, want_postings = build_index_kept(new)
        assert_same_index(patched[0], want_index)
        assert patched[1] == want_postings
        object.__setattr__(new, "_search_index", patched[0])
        fresh = rebased(new, list(new.facts))
        object.__setattr__(fresh, "_search_index", want_index)
        for query in QUERIES:
            assert search(new, query).hits == search(fresh, query).hits
        base, index, postings = new, patched[0], patched[1]


def test_a_patch_that_does_not_fit_its_postings_says_so(real: FactBase) -> None:
    base = rebased(real, list(real.facts[:80]))
    index, postings = build_index_kept(base)
    other = rebased(real, list(real.facts[80:170]))
    assert patch_index(other, index, postings, base) is None


# Through the cache: fact files written, edited, and opened again.


def write_fact_file(path: Path, facts: list[Fact]) -> None:
    """A fact file of ``facts`` (JSON scalars are YAML), each fact naming its chapter."""
    lines = [f"source: {json.dumps(facts[0].source)}", "facts:"]
    for fact in facts:
        data: dict[str, Any] = fact.to_dict()
        data.pop("related", None)
        lines.append("  - " + "\n    ".join(f"{k}: {json.dumps(v)}" for k, v in data.items()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def curated(real: FactBase, source: str, count: int, skip: int = 0) -> list[Fact]:
    facts = [f for f in real.facts if f.source == source and f.kind not in ENTRY_KINDS]
    return facts[skip : skip + count]


@pytest.fixture
def folder(tmp_path: Path, real: FactBase, cache_dir: Path) -> Path:
    root = tmp_path / "facts"
    root.mkdir()
    for name in TOP:
        shutil.copy(Path(bundled_facts_dir()) / name, root / name)
    write_fact_file(root / "report" / "a.yaml", curated(real, "report", 40))
    write_fact_file(root / "report" / "b.yaml", curated(real, "report", 40, skip=300))
    write_fact_file(root / "moments" / "m.yaml", curated(real, "moments", 20))
    return root


def from_files(root: Path) -> FactBase:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.ENV_CACHE, "off")
        return open_factbase(root)


def typed(fact: Fact) -> list[tuple[type, str]]:
    """Every field with its type: 1 and 1.0 are equal, yet not the same."""
    return [
        (type(getattr(fact, f.name)), repr(getattr(fact, f.name))) for f in dataclasses.fields(Fact)
    ]


def assert_same_base(got: FactBase, want: FactBase) -> None:
    assert got == want
    assert_same_index(got._search_index, build_index_kept(want)[0])
    for query in QUERIES:
        assert search(got, query).hits == search(want, query).hits


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times an index was built from scratch."""
    done: list[int] = []
    real_build = index_module.build_index_kept

    def counted(base: FactBase) -> Any:
        done.append(len(base.facts))
        return real_build(base)

    monkeypatch.setattr(index_module, "build_index_kept", counted)
    return done


def refused_alike(folder: Path) -> list[Problem]:
    """The problems a re-open of ``folder`` says, which must be those a load from its files says."""
    with pytest.raises(FactBaseError) as reopening:
        open_factbase(folder)
    with pytest.raises(FactBaseError) as loading:
        from_files(folder)
    assert reopening.value.problems == loading.value.problems
    return loading.value.problems


def test_editing_a_claim_patches_the_base_and_its_index(
    folder: Path, loads: list[Path], built: list[int]
) -> None:
    open_factbase(folder)
    assert len(loads) == len(built) == 1
    file = folder / "report" / "b.yaml"
    file.write_text(file.read_text().replace('claim: "', 'claim: "Edited: zebra ', 1))
    got = open_factbase(folder)
    assert len(loads) == len(built) == 1  # neither loaded from the files nor indexed afresh
    assert [h.fact.file for h in search(got, "zebra").hits] == ["report/b.yaml"]
    assert open_factbase(folder) == got and len(loads) == 1  # and cached as it is now
    assert_same_base(got, from_files(folder))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32))
def test_a_base_reopened_after_random_edits_of_its_files_is_the_base_from_the_files(
    real: FactBase, seed: int
) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.ENV_CACHE, str(Path(tmp) / "cache"))
        patch.setattr(cache, "secret_path", lambda: Path(tmp) / "data" / cache.SECRET_NAME)
        root = Path(tmp) / "facts"
        root.mkdir()
        for name in TOP:
            shutil.copy(Path(bundled_facts_dir()) / name, root / name)
        files = {
            "report/a.yaml": curated(real, "report", 30, skip=rng.randrange(200)),
            "report/b.yaml": curated(real, "report", 30, skip=400 + rng.randrange(200)),
            "moments/m.yaml": curated(real, "moments", 15),
        }
        for name, facts in files.items():
            write_fact_file(root / name, facts)
        loaded: list[Path] = []
        strict = loader._load_strict
        patch.setattr(loader, "_load_strict", lambda root: loaded.append(root) or strict(root))
        open_factbase(root)
        for _ in range(2):
            name = rng.choice(sorted(files))
            facts = edited(files[name], tuple(files[name]), rng, rng.randint(1, 4), values=False)
            if rng.random() < 0.3 and len(facts) > 1:  # and facts swap places
                i, j = rng.sample(range(len(facts)), 2)
                facts[i], facts[j] = facts[j], facts[i]
            if not facts:
                continue
            files[name] = facts
            write_fact_file(root / name, facts)
            before = len(loaded)
            got = open_factbase(root)
            assert len(loaded) == before  # patched, not loaded from the files
            want = from_files(root)
            assert_same_base(got, want)
            assert [typed(f) for f in got.facts] == [typed(f) for f in want.facts]


def test_an_edit_that_breaks_the_base_says_what_a_load_says(folder: Path) -> None:
    open_factbase(folder)
    file = folder / "moments" / "m.yaml"
    file.write_text(file.read_text().replace('kind: "', 'kind: "nonsense', 1))
    refused_alike(folder)


def test_a_duplicate_id_across_files_is_said_as_a_load_says_it(folder: Path) -> None:
    open_factbase(folder)
    text = (folder / "report" / "a.yaml").read_text()
    first = text.split('id: "', 1)[1].split('"')[0]
    file = folder / "report" / "b.yaml"
    second = file.read_text().split('id: "', 1)[1].split('"')[0]
    file.write_text(file.read_text().replace(f'id: "{second}"', f'id: "{first}"', 1))
    assert any("duplicate id" in p.message for p in refused_alike(folder))


def test_altered_postings_are_refused_with_one_warning_and_the_base_loads_from_files(
    folder: Path, cache_dir: Path, loads: list[Path]
) -> None:
    open_factbase(folder)
    kept = next(cache_dir.glob("*.files")) / doccache.POSTINGS
    data = bytearray(kept.read_bytes())
    data[-5] ^= 1
    kept.write_bytes(bytes(data))
    file = folder / "report" / "a.yaml"
    file.write_text(file.read_text().replace('claim: "', 'claim: "Edited: ', 1))
    got = open_factbase(folder)
    assert len(loads) == 2  # loaded from the files
    assert_same_base(got, from_files(folder))
    warnings = cache.take_warnings()
    assert len(warnings) == 1 and "integrity" in warnings[0] and str(kept) in warnings[0]


def test_postings_may_name_no_class_but_an_array(folder: Path, cache_dir: Path) -> None:
    import pickle

    from tests.unit.test_cache_trust import Payload

    open_factbase(folder)
    kept = next(cache_dir.glob("*.files")) / doccache.POSTINGS
    header = kept.read_bytes().split(b"\n", 1)[0] + b"\n"
    body = pickle.dumps((Payload(folder / "ran"), None, None))
    secret = cache.user_secret()
    assert secret is not None
    kept.write_bytes(header + mac(secret, header, body) + body)
    key = header.split(b" ")[-1].strip().decode()
    assert doccache.get_postings(kept.parent.with_suffix(".factbase"), key, secret) is None
    assert "is not allowed" in cache.take_warnings()[0] and not (folder / "ran").exists()


def test_a_changed_top_file_loads_from_the_files(folder: Path, loads: list[Path]) -> None:
    open_factbase(folder)
    synonyms = folder / "synonyms.yaml"
    synonyms.write_text(synonyms.read_text() + '  - ["zebra", "horse"]\n')
    got = open_factbase(folder)
    assert len(loads) == 2
    assert_same_base(got, from_files(folder))


def test_an_undone_edit_is_not_parsed_again(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = folder / "report" / "a.yaml"
    before = file.read_text()
    open_factbase(folder)
    file.write_text(before.replace('claim: "', 'claim: "Edited: ', 1))
    open_factbase(folder)
    parsed: list[str] = []
    real_parse = loader.parse_file
    monkeypatch.setattr(loader, "parse_file", lambda *a: parsed.append(a[0]) or real_parse(*a))
    file.write_text(before)
    got = open_factbase(folder)
    assert parsed == []
    assert_same_base(got, from_files(folder))


def test_a_patch_that_fails_is_said_once_and_the_base_loads_from_its_files(
    folder: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    open_factbase(folder)

    def broken(*args: Any) -> None:
        raise IndexError("a bug")

    monkeypatch.setattr(patch_module, "patch_index", broken)
    file = folder / "report" / "a.yaml"
    file.write_text(file.read_text().replace('claim: "', 'claim: "Edited: ', 1))
    got = open_factbase(folder)
    assert len(loads) == 2
    warnings = cache.take_warnings()
    assert len(warnings) == 1 and "IndexError: a bug" in warnings[0]
    assert_same_base(got, from_files(folder))


def write_linked(path: Path, facts: list[Fact], links: dict[str, list[str]]) -> None:
    """As `write_fact_file`, each fact of ``links`` related to the ids it names."""
    lines = [f"source: {json.dumps(facts[0].source)}", "facts:"]
    for fact in facts:
        data: dict[str, Any] = fact.to_dict()
        data.pop("related", None)
        if fact.id in links:
            data["related"] = [{"id": other, "rel": "see-also"} for other in links[fact.id]]
        lines.append("  - " + "\n    ".join(f"{k}: {json.dumps(v)}" for k, v in data.items()))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("gone", [True, False])
def test_a_link_into_an_edited_file_is_checked_as_a_load_checks_it(
    folder: Path, real: FactBase, loads: list[Path], gone: bool
) -> None:
    a, b = curated(real, "report", 40), curated(real, "report", 40, skip=300)
    write_linked(folder / "report" / "a.yaml", a, {a[3].id: [b[5].id, b[6].id]})
    open_factbase(folder)
    kept = [f for f in b if f.id != b[5].id] if gone else [*b[:5], b[6], b[5], *b[7:]]
    write_fact_file(folder / "report" / "b.yaml", kept)  # b[5] went, or moved down one
    if gone:
        assert any("does not exist" in p.message for p in refused_alike(folder))
    else:
        got = open_factbase(folder)
        assert len(loads) == 1  # patched
        assert_same_base(got, from_files(folder))
        assert got.get(a[3].id).related == from_files(folder).get(a[3].id).related
