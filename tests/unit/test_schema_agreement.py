"""The fast schema check (fastjsonschema) and jsonschema agree on what is valid.

The loader trusts the fast check's "valid" and asks jsonschema only about the
rest, for its messages; so a document the fast check accepts must be one
jsonschema accepts. Held over every file of the bundled base and over each
fact of it broken in the ways curators and hostile files break them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer.loader import _validator, schema_accepts
from explorer.paths import bundled_facts_dir
from explorer.walk import TOP_FILES, walk_base
from explorer.yamlread import Bare, read_yaml


def documents() -> Iterator[tuple[str, str, Any]]:
    root = Path(bundled_facts_dir())
    files = [(root / name, schema) for name, schema in TOP_FILES.items() if (root / name).exists()]
    files += [(Path(file), "fact_file") for file in walk_base(root).files]
    for file, schema in files:
        doc, _ = read_yaml(file.read_text(encoding="utf-8"), str(file))
        yield file.name, schema, doc.data


BREAKS: list[tuple[str, Any]] = [
    ("drop", "claim"), ("drop", "quote"), ("drop", "assurance"), ("drop", "id"),
    ("set", ("kind", "opinion")), ("set", ("id", "Not An Id")), ("set", ("claim", "")),
    ("set", ("quote", [])), ("set", ("quote", ["one"])), ("set", ("quote", ["a"] * 5)),
    ("set", ("quote", ["a", 2])), ("set", ("value", "12")), ("set", ("value", True)),
    ("set", ("upper", Bare("010", 8))), ("set", ("period", "last year")),
    ("set", ("tags", "energy")), ("set", ("tags", [1])), ("set", ("related", [{"id": "x"}])),
    ("set", ("series", {"soon": 1})), ("set", ("series", {"2020": "1"})),
    ("set", ("metric", "Energy Total")), ("set", ("qualifier", "roughly")),
    ("set", ("notes", Bare("no", False))), ("set", ("unknown_field", 1)),
    ("set", ("status", "done")), ("set", ("gri", ["305"])), ("set", ("page", 12)),
]  # fmt: skip


def broken(data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """The file with its first fact broken each way in turn."""
    for how, what in BREAKS:
        changed = copy.deepcopy(data)
        fact = changed["facts"][0]
        if how == "drop":
            fact.pop(what, None)
        else:
            fact[what[0]] = what[1]
        yield f"{how} {what}", changed


def agree(data: Any, schema: str) -> tuple[bool, bool]:
    return schema_accepts(data, schema), not list(_validator(schema).iter_errors(data))


@pytest.mark.parametrize(("name", "schema", "data"), list(documents()), ids=lambda v: str(v)[:24])
def test_each_bundled_file_is_valid_to_both(name: str, schema: str, data: Any) -> None:
    assert agree(data, schema) == (True, True)


def test_each_break_of_a_fact_is_caught_alike() -> None:
    seen = 0
    for name, schema, data in documents():
        if schema != "fact_file" or not data.get("facts"):
            continue
        for label, changed in broken(data):
            fast, full = agree(changed, schema)
            assert fast == full, f"{name}: {label}: fast says {fast}, jsonschema {full}"
            seen += 1
    assert seen > 100


def test_the_hostile_corpora_are_judged_alike(tmp_path: Path) -> None:
    """Whatever the reader makes of odd YAML, both checks give the same verdict."""
    texts = [
        "facts: {}", "facts: [1, 2]", "facts: [{id: x}]", "source: 3\nfacts: []", "chapter: [a]",
        "facts:\n  - {id: a, kind: figure, claim: c, quote: q, assurance: assured, value: 1e999}",
        "facts:\n  - {id: a, kind: statement, claim: c, quote: q, assurance: assured, x: 1}",
        "sources: []", "extra: 1\nfacts: []", "facts:\n  - null",
    ]  # fmt: skip
    for text in texts:
        doc, _ = read_yaml(text, "t.yaml")
        if isinstance(doc.data, dict):
            assert len(set(agree(doc.data, "fact_file"))) == 1, text
