"""The strict loader: every bad input named with its line and column, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.loader import FactBaseError, load_factbase, open_factbase
from tests.conftest import GOOD_FACT, make_base


def with_line(number: int, replacement: str) -> str:
    """GOOD_FACT with its line ``number`` (1-based) replaced."""
    lines = GOOD_FACT.splitlines()
    lines[number - 1] = replacement
    return "\n".join(lines) + "\n"


def appended(extra: str) -> str:
    return GOOD_FACT + extra


DEEP = 'source: "report"\nfacts: ' + "[" * 1000 + "]" * 1000 + "\n"

# (name, file text, expected "line:col: message")
BAD_INPUTS = [
    ("duplicate key", appended('    unit: "t"\n'),
     "16:5: duplicate key 'unit' (first at line 11)"),
    ("anchor", with_line(9, '    as_printed: &fig "2,285,458"'),
     "9:17: anchor &fig is not allowed: write each value out"),
    ("alias", appended("    notes: *fig\n"),
     "16:12: alias *fig is not allowed: write the value out"),
    ("merge key", appended("    <<: {unit: \"t\"}\n"),
     "16:5: merge key << is not allowed: write each field out"),
    ("tag", with_line(11, '    unit: !!str "t"'), "11:11: tag !!str is not allowed"),
    ("bare no", with_line(11, "    unit: no"),
     '11:11: unit: bare no is read as a boolean, not text: quote it as "no"'),
    ("bare yes", with_line(13, "    metric: yes"),
     '13:13: metric: bare yes is read as a boolean, not text: quote it as "yes"'),
    ("bare month", with_line(12, "    period: 2021-07"),
     "12:13: period: bare 2021-07 is read as a number or date by some YAML readers"),
    ("bare octal", with_line(11, "    unit: 010"),
     '11:11: unit: bare 010 is read as an integer, not text: quote it as "010"'),
    ("bare decimal", with_line(11, "    unit: 1.20"),
     '11:11: unit: bare 1.20 is read as a number, not text: quote it as "1.20"'),
    ("unknown field", appended('    colour: "red"\n'), "16:5: unknown field 'colour'"),
    ("missing field", with_line(6, '    claimed: "x"'), "4:5: missing required field 'claim'"),
    ("missing unit", with_line(11, '    scope: "China"'),
     "4:5: missing required field 'unit' (a figure fact needs it)"),
    ("missing related id", appended('    related: [{id: "env-nowhere", rel: "supports"}]\n'),
     "4:1: env-ghg-total-2020: related id 'env-nowhere' does not exist"),
    ("bell", with_line(6, '    claim: "Ring \\a the bell"'),
     "6:12: control character U+0007 (control character) at character 6 of the text"),
    ("DEL", with_line(6, '    claim: "x\\x7f"'), "6:12: control character U+007F"),
    ("C1", with_line(6, '    claim: "x\\x9b"'), "6:12: control character U+009B"),
    ("bidi override", with_line(6, '    claim: "x\u202ey"'),
     "6:14: control character U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("bidi isolate", with_line(6, '    claim: "x\u2066y"'),
     "6:14: control character U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ("lone surrogate", with_line(6, '    claim: "x\\ud800"'),
     "6:12: control character U+D800 (control character) at character 2 of the text"),
    ("raw control", with_line(6, '    claim: "x\x07"'),
     "6:14: control character U+0007 (control character)"),
    ("empty claim", with_line(6, '    claim: ""'), "6:12: claim: empty text"),
    ("blank claim", with_line(6, '    claim: "   "'),
     "6:12: claim: blank text: it holds only spaces"),
    ("blank section", with_line(8, '    section: "\\t "'),
     "8:14: section: blank text: it holds only spaces"),
    # jsonschema's `$` matches before a trailing newline; the schema's (ECMA 262) does not.
    ("id ending in a newline", with_line(4, '  - id: "env-ghg-total-2020\\n"'),
     "4:9: id: 'env-ghg-total-2020\\n' is not in the expected form (lowercase letters"),
    ("period ending in a newline", with_line(12, '    period: "2020\\n"'),
     "12:13: period: '2020\\n' is not in the expected form (2020, 2012/2020"),
    ("empty file", "", "1:1: the file is empty"),
    ("comments only", "# nothing here\n", "1:1: the file is empty"),
    ("top-level scalar", '"just text"\n', "1:1: the file holds a single value; expected a mapping"),
    ("top-level list", "- 1\n", "1:1: expected a mapping, found a list"),
    ("several documents", GOOD_FACT + "---\nfacts: []\n",
     "16:1: several YAML documents in one file: keep one"),
    ("tab indentation", GOOD_FACT.replace("    unit:", "\tunit:"),
     "11:1: tab in indentation: indent with spaces"),
    ("deep nesting", DEEP, "2:71: nesting deeper than 64 levels"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in BAD_INPUTS],
                         ids=[c[0] for c in BAD_INPUTS])  # fmt: skip
def test_bad_input_is_reported_with_its_position(tmp_path: Path, text: str, expected: str) -> None:
    root = make_base(tmp_path / "facts", {"report/ch4.yaml": text})
    base, problems = load_factbase(root)
    shown = [str(p) for p in problems]
    assert any(expected in line for line in shown), shown
    path = str(root / "report" / "ch4.yaml")
    assert all(line.startswith(path + ":") for line in shown if "ch4.yaml" in line)


def test_non_utf8_file_names_the_byte(tmp_path: Path) -> None:
    root = make_base(tmp_path / "facts", {})
    bad = root / "report" / "ch4.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(GOOD_FACT.encode().replace(b"Huawei emitted", b"Huawei \xff emitted"))
    _base, problems = load_factbase(root)
    assert [str(p) for p in problems] == [f"{bad}:6:20: not UTF-8: byte 0xff cannot be decoded"]


def test_ids_duplicated_across_files(tmp_path: Path) -> None:
    root = make_base(tmp_path / "facts", {"report/a.yaml": GOOD_FACT, "report/b.yaml": GOOD_FACT})
    _base, problems = load_factbase(root)
    assert [str(p) for p in problems] == [
        f"{root}/report/b.yaml:4:9: duplicate id 'env-ghg-total-2020' (first at "
        f"{root}/report/a.yaml:4)"
    ]


def test_all_problems_of_a_run_come_in_one_pass(tmp_path: Path) -> None:
    text = with_line(11, "    unit: no").replace('kind: "figure"', 'kind: "guess"')
    root = make_base(tmp_path / "facts", {"report/ch4.yaml": text, "report/e.yaml": ""})
    _base, problems = load_factbase(root)
    assert len(problems) == 3, [str(p) for p in problems]


def test_unknown_section_lists_the_known_ones(tmp_path: Path) -> None:
    text = with_line(8, '    section: "Nowhere"')
    _base, problems = load_factbase(make_base(tmp_path / "facts", {"report/ch4.yaml": text}))
    assert (
        "8:14: section 'Nowhere' is not a section of ch4 (known: Reducing Carbon Emissions;"
        in str(problems[0])
    )


def test_a_section_found_in_one_chapter_is_not_taken_for_another_s(tmp_path: Path) -> None:
    moment = GOOD_FACT.replace('source: "report"\nchapter: "ch4"\n', 'source: "moments"\n')
    moment = moment.replace('"env-ghg-total-2020"', '"m1"').replace(
        'kind: "figure"', 'chapter: "moments"\n    kind: "figure"'
    )
    files = {"report/a.yaml": GOOD_FACT, "report/b.yaml": moment}  # ch4 first, found good
    _base, problems = load_factbase(make_base(tmp_path / "facts", files))
    assert [p.message for p in problems] == [
        "section 'Reducing Carbon Emissions' is not a section of moments "
        "(known: 20 Moments of 2020)"
    ]


def test_open_factbase_raises_with_every_problem(tmp_path: Path) -> None:
    root = make_base(tmp_path / "facts", {"report/ch4.yaml": ""})
    with pytest.raises(FactBaseError) as caught:
        open_factbase(root)
    assert "the file is empty" in str(caught.value)


def test_missing_folder_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    base, problems = load_factbase(tmp_path / "nowhere")
    assert base is None and "no fact base folder here" in str(problems[0])


def test_good_base_loads(tiny_base: Path) -> None:
    base = open_factbase(tiny_base)
    fact = base.get("env-ghg-total-2020")
    assert fact is not None and fact.value == 2285458 and fact.file == "report/ch4.yaml"
    assert base.chapter_of(fact).title == "Environmental Protection"
    assert base.facts == (fact,)


def test_loader_never_writes(tiny_base: Path) -> None:
    files = [p for p in tiny_base.rglob("*") if p.is_file()]
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files}
    os.chmod(tiny_base / "report", 0o555)  # a write attempt would fail loudly
    try:
        open_factbase(tiny_base)
    finally:
        os.chmod(tiny_base / "report", 0o755)
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in tiny_base.rglob("*") if p.is_file()}
    assert before == after


def test_env_var_selects_the_base(tiny_base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACT_EXPLORER_FACTS", str(tiny_base))
    assert len(open_factbase()) == 1
