"""`explorer.records.dataclass` behaves as `dataclasses.dataclass` for what the explorer uses."""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer import records
from explorer.model import Chapter, Fact, Link, Section


def _post_init(self: Any) -> None:
    object.__setattr__(self, "e", self.a * 2)


def _make(name: str, make: Any, field: Any, frozen: bool, slots: bool) -> type:
    """One sample class, kept in this module under ``name`` (so that it pickles)."""
    body = {
        "__module__": __name__, "__qualname__": name, "__doc__": "A sample.",
        "__annotations__": {"a": "int", "b": "str", "c": "list[int]", "d": "float", "e": "int"},
        "b": "b", "c": field(default_factory=list),
        "d": field(default=0.5, repr=False, compare=False),
        "e": field(default=7, init=False), "__post_init__": _post_init,
    }  # fmt: skip
    made = make(frozen=frozen, slots=slots)(type(name, (), body))
    globals()[name] = made
    return made  # type: ignore[no-any-return]


PAIRS = {
    (frozen, slots): tuple(
        _make(f"{who}_{frozen}_{slots}", make, field, frozen, slots)
        for who, make, field in (
            ("Theirs", dataclasses.dataclass, dataclasses.field),
            ("Ours", records.dataclass, records.field),
        )  # fmt: skip
    )
    for frozen in (False, True)
    for slots in (False, True)
}
"""The same class made by the standard library and by `explorer.records`, for each kind."""


KINDS = sorted(PAIRS)


def _outcome(function: Any, value: Any) -> Any:
    """What ``function(value)`` returns, or the type of what it raises."""
    try:
        return function(value)
    except Exception as err:
        return type(err)


VALUES = st.tuples(st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=3),
                   st.floats(allow_nan=False))  # fmt: skip


@pytest.mark.parametrize(("frozen", "slots"), KINDS)
@given(one=VALUES, two=VALUES)
def test_a_record_acts_as_the_dataclass(frozen: bool, slots: bool, one: Any, two: Any) -> None:
    theirs, ours = PAIRS[frozen, slots]
    for values in (one, two):
        a, b = theirs(*values), ours(*values)
        assert repr(a).replace("Theirs", "Ours") == repr(b)
        assert [f.name for f in dataclasses.fields(a)] == [f.name for f in dataclasses.fields(b)]
        assert dataclasses.asdict(a) == dataclasses.asdict(b)
        assert (a.a, a.b, a.c, a.d, a.e) == (b.a, b.b, b.c, b.d, b.e)
        assert hasattr(a, "__dict__") == hasattr(b, "__dict__")
        assert type(a).__match_args__ == type(b).__match_args__
        if frozen:
            assert _outcome(hash, a) == _outcome(hash, b)
            assert _outcome(hash, theirs(values[0])) == _outcome(hash, ours(values[0]))
            with pytest.raises(dataclasses.FrozenInstanceError):
                b.a = 1
            with pytest.raises(dataclasses.FrozenInstanceError):
                del b.a
        else:
            assert type(b).__hash__ is None
        again = pickle.loads(pickle.dumps(b))
        assert again == b and repr(again) == repr(b)
    assert (theirs(*one) == theirs(*two)) == (ours(*one) == ours(*two))
    assert ours(*one) != theirs(*one)  # another class: never equal, as two dataclasses
    changed = dataclasses.replace(ours(*one), b="changed")
    assert changed.b == "changed" and changed.a == one[0]
    assert ours(one[0]).c == [] and ours(one[0]).c is not ours(one[0]).c
    assert ours(a=one[0], c=[1]).c == [1] and ours(one[0], "x").b == "x"
    for wrong in ((), (1, "b", [], 0.5, 9)):
        with pytest.raises(TypeError):
            ours(*wrong)
        with pytest.raises(TypeError):
            theirs(*wrong)
    for wrong_keywords in ({"a": 1, "e": 2}, {"a": 1, "z": 2}, {"b": "b"}):
        with pytest.raises(TypeError):
            ours(**wrong_keywords)
        with pytest.raises(TypeError):
            theirs(**wrong_keywords)
    with pytest.raises(TypeError):
        ours(1, a=1)


def test_a_class_writes_its_own_init_once_it_is_used_enough() -> None:
    """The first instances go through the generic one; from then on, the written one."""
    _theirs, ours = PAIRS[True, True]
    made = [ours(i) for i in range(records.WRITTEN_AFTER + 1)]
    assert ours.__init__.__code__.co_varnames[:5] == ("self", "a", "b", "c", "d")
    assert [m.e for m in made] == [2 * i for i in range(len(made))]


def test_the_models_classes_are_dataclasses_to_their_users() -> None:
    fact = Fact(id="x", kind="figure", claim="c", quote="q", source="s", chapter="ch",
                assurance="assured", related=(Link("y", "supports"),))  # fmt: skip
    assert dataclasses.is_dataclass(fact)
    assert dataclasses.replace(fact, claim="d").claim == "d"
    assert records.field_names(Fact) == tuple(f.name for f in dataclasses.fields(Fact))
    assert "Fact(id='x'" in repr(fact) and "Link(id='y', rel='supports')" in repr(fact)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fact.claim = "d"  # type: ignore[misc]
    chapter = Chapter("ch", "s", "Title", "", (Section("ch", "One", 0),))
    assert pickle.loads(pickle.dumps(chapter)) == chapter
    assert hash(pickle.loads(pickle.dumps(chapter))) == hash(chapter)


def test_a_warm_search_makes_no_dataclass_and_no_platformdirs(tmp_path: Path) -> None:
    """What a warm search does not import: `dataclasses` (with `inspect`), platformdirs and more."""
    from tests.unit.test_search import write_search_base

    facts = write_search_base(tmp_path / "facts")
    env = {**os.environ, "FACT_EXPLORER_CACHE": str(tmp_path / "cache"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "NO_COLOR": "1"}  # fmt: skip
    code = (
        "import sys\nfrom explorer.cli import main\nmain(sys.argv[1:])\n"
        "heavy = ('dataclasses', 'inspect', 'platformdirs', 'pickle', 'threading', 'string')\n"
        "print(*(m for m in heavy if m in sys.modules),"
        " file=sys.stderr)"
    )
    args = [sys.executable, "-c", code, "search", "greenhouse", "--facts", str(facts)]
    subprocess.run(args, capture_output=True, text=True, env=env, check=True)  # writes the cache
    warm = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    assert warm.stdout
    assert warm.stderr.split() == []
