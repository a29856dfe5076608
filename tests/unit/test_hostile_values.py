"""Any YAML value in any field of any file is a message with its position, never a traceback.

A real fact with every field, and each top-level file, gets one field (or one
top-level value) replaced by an arbitrary YAML value: null, booleans, numbers
of any size, text, lists, mappings, nested, plus the odd spellings YAML has
(aliases, anchors, tags, ``.inf``, sexagesimal times, hex). Loading must then
either succeed or raise `FactBaseError` whose every problem has a line and a
column, and ``check``, ``search`` and ``show`` must exit with a code, not a
traceback. ``HYPOTHESIS_PROFILE=thorough`` runs many more examples by hand.
"""

from __future__ import annotations

import contextlib
import io
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.cli import main
from explorer.loader import FactBaseError, load_factbase, open_factbase
from tests.conftest import CHAPTERS, FACTS, make_base

FACT_FIELDS = {
    "id": '"env-ghg-total-2020"',
    "kind": '"figure"',
    "claim": '"Huawei emitted 2,285,458 tonnes of CO2 in 2020."',
    "quote": '"Emissions (t-CO2) 41,736 2,243,722 2,285,458"',
    "section": '"Reducing Carbon Emissions"',
    "as_printed": '"2,285,458"',
    "value": "2285458",
    "unit": '"t CO2e"',
    "qualifier": '"exact"',
    "period": '"2020"',
    "metric": '"ghg.total"',
    "scope": '"Global"',
    "tags": '["ghg"]',
    "gri": '["305-1"]',
    "related": '[{id: "env-other", rel: "supports"}]',
    "notes": '"A note."',
    "page": '"88"',
    "series": '{"2019": 2000000, "2020": 2285458}',
    "assurance": '"assured"',
    "source": '"report"',
    "chapter": '"ch4"',
}

OTHER_FACT = """\
  - id: "env-other"
    kind: "statement"
    claim: "Another fact."
    quote: "Huawei said something else about emissions here."
    section: "Reducing Carbon Emissions"
    related: [{id: "env-ghg-total-2020", rel: "supports"}]
    assurance: "not-covered"
"""

TOP_FILES = {
    "sources.yaml": (FACTS / "sources.yaml").read_text(encoding="utf-8"),
    "chapters.yaml": CHAPTERS,
    "gri.yaml": 'disclosures:\n  - code: "305-1"\n    title: "Direct GHG emissions"\n'
    '    pages: "88"\n    part: "Part 3"\n    group: "Emissions"\n    sdgs: ["13"]\n',
    "glossary.yaml": 'terms:\n  - acronym: "GHG"\n    full: "Greenhouse Gas"\n',
    "synonyms.yaml": 'synonyms:\n  - ["emissions", "carbon"]\n  - ["staff", "employees"]\n',
}

# YAML spellings that no Python value dumps to.
ODD = st.sampled_from([
    "*a", "&a 1", "[*a]", "!!str 1", "!!python/object/apply:os.system ['true']", "!custom x",
    "~", "null", "Null", "yes", "no", "on", "off", "y", ".inf", "-.inf", ".nan", "1e400",
    "1.0e+400", "-1.0e+400", "1.0e400", "0x1F", "0o17", "010", "0b101", "1_000", "12:30:00",
    "190:20:30",
    "2020-01-01", "2020-01-01T10:00:00Z", "1.20", "'1'", '"\\ud800"', '"\\x00"', '"\\u202e"',
    "? x", "[]", "{}", "[[]]", "[null]", "[~, ~]", "{a: }", "[1, [2, [3]]]", "<<: {a: 1}",
    "9" * 400, "-" + "9" * 400, "1." + "9" * 400, "9" * 5000, "''", '""', "' '",
])  # fmt: skip

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-(10**500), 10**500)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=10,
)  # fmt: skip


def flow(value: Any) -> str:
    """One line of YAML for a Python value."""
    return (
        yaml.safe_dump(value, default_flow_style=True, width=math.inf).strip().removesuffix("\n...")
    )


YAML_VALUE = ODD | VALUES.map(flow)


def fact_file(fields: dict[str, str]) -> str:
    lines = ['source: "report"', 'chapter: "ch4"', "facts:"]
    first = True
    for key, value in fields.items():
        lines.append(f"  {'- ' if first else '  '}{key}: {value}")
        first = False
    return "\n".join(lines) + "\n" + OTHER_FACT


def write_base(root: Path, facts: str, top: dict[str, str]) -> Path:
    make_base(root, {"report/ch4.yaml": facts})
    for name, text in top.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def assert_reported(root: Path) -> None:
    """Loading either works or names every problem with its place; the CLI never crashes."""
    _base, problems = load_factbase(root)
    for problem in problems:
        assert problem.line >= 1 and problem.col >= 1, str(problem)
        assert "\n" not in problem.message, str(problem)
    try:
        open_factbase(root)
        broken = False
    except FactBaseError as err:
        broken = True
        assert err.problems
    for argv in (["check", "--structure-only"], ["search", "emissions"],
                 ["show", "env-ghg-total-2020"]):  # fmt: skip
        out, err_out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err_out):
            code = main([*argv, "--facts", str(root)])
        if broken:
            assert code == 1, (argv, err_out.getvalue())
        assert code in (0, 1), (argv, code, err_out.getvalue())
        assert "Traceback" not in err_out.getvalue()


SETTINGS = settings(  # the count comes from the profile (tests/conftest.py)
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)  # fmt: skip


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACT_EXPLORER_CACHE", "off")


@SETTINGS
@given(field=st.sampled_from(sorted(FACT_FIELDS)), value=YAML_VALUE)
def test_any_value_in_any_fact_field(field: str, value: str) -> None:
    fields = dict(FACT_FIELDS, **{field: value})
    with tempfile.TemporaryDirectory() as folder:
        assert_reported(write_base(Path(folder) / "facts", fact_file(fields), {}))


@SETTINGS
@given(field=st.sampled_from(sorted(FACT_FIELDS)), value=YAML_VALUE)
def test_any_value_in_a_related_link_or_series(field: str, value: str) -> None:
    """Inside the nested values: a link's id or rel, a series' period or value."""
    nested = {
        "related": f'[{{id: {value}, rel: "supports"}}, {value}]',
        "series": f'{{"2019": {value}, "2020": 1}}',
        "tags": f'["ghg", {value}]',
        "gri": f"[{value}]",
    }
    key = field if field in nested else "related"
    fields = dict(FACT_FIELDS, **{key: nested[key]})
    with tempfile.TemporaryDirectory() as folder:
        assert_reported(write_base(Path(folder) / "facts", fact_file(fields), {}))


def _top_variants(name: str, value: str) -> list[str]:
    """The file with its top value replaced, and with each field of its first entry replaced."""
    text = TOP_FILES[name]
    lines = text.splitlines()
    top_key = next(line for line in lines if line and not line.startswith(("#", " ")))
    variants = [f"{top_key.split(':')[0]}: {value}\n"]
    for i, line in enumerate(lines):
        stripped = line.lstrip(" -")
        if ":" in stripped and line.startswith("  "):
            indent = line[: len(line) - len(stripped)]
            key = stripped.split(":")[0]
            variants.append("\n".join([*lines[:i], f"{indent}{key}: {value}", *lines[i + 1 :]]))
        elif line.startswith("  - [") or line.startswith('  - "'):
            variants.append("\n".join([*lines[:i], f"  - {value}", *lines[i + 1 :]]))
    return variants


@SETTINGS
@given(name=st.sampled_from(sorted(TOP_FILES)), value=YAML_VALUE, pick=st.integers(0, 40))
def test_any_value_in_any_top_level_file(name: str, value: str, pick: int) -> None:
    variants = _top_variants(name, value)
    text = variants[pick % len(variants)]
    with tempfile.TemporaryDirectory() as folder:
        root = write_base(Path(folder) / "facts", fact_file(FACT_FIELDS), {name: text})
        assert_reported(root)


def test_the_unmutated_base_loads() -> None:
    """The templates themselves are a good base, so each mutation is the only fault."""
    with tempfile.TemporaryDirectory() as folder:
        root = write_base(Path(folder) / "facts", fact_file(FACT_FIELDS), TOP_FILES)
        _base, problems = load_factbase(root)
        assert problems == []


@pytest.mark.parametrize("field", ["tags", "gri", "related"])
def test_null_list_fields_are_reported(tmp_path: Path, field: str) -> None:
    root = write_base(tmp_path / "facts", fact_file(dict(FACT_FIELDS, **{field: "null"})), {})
    _base, problems = load_factbase(root)
    assert any(f"{field}: expected a list, found null" in str(p) for p in problems), problems


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("chapters.yaml", CHAPTERS.replace("    sections:\n      - \"Reducing Carbon Emissions\""
                                           "\n      - \"Promoting Renewable Energy\"",
                                           "    sections: null"), "sections: expected a list"),
        ("synonyms.yaml", "synonyms: null\n", "synonyms: expected a list, found null"),
        ("synonyms.yaml", 'synonyms:\n  - &g ["a", "b"]\n  - *g\n', "alias *g is not allowed"),
    ],
)  # fmt: skip
def test_null_top_level_lists_are_reported(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    root = write_base(tmp_path / "facts", fact_file(FACT_FIELDS), {name: text})
    _base, problems = load_factbase(root)
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]


@pytest.mark.parametrize(
    "digits", ["9" * 400, "-" + "9" * 400, "1.0e+400", "-1.0e+400", "1" + "0" * 19]
)
def test_numbers_beyond_a_float_are_reported(tmp_path: Path, digits: str) -> None:
    fields = dict(FACT_FIELDS, value=digits, series=f'{{"2019": {digits}, "2020": 1}}')
    root = write_base(tmp_path / "facts", fact_file(fields), {})
    _base, problems = load_factbase(root)
    shown = [str(p) for p in problems]
    assert any(":10:" in p and "value: " in p and "out of range" in p for p in shown), shown
    assert any(":21:" in p and "out of range" in p for p in shown), shown
