"""Files in the plain form are read line by line, into the document libyaml's events give.

`read_plain` reads a subset of YAML without libyaml and declines the rest.
Whatever the text, `read_yaml` must give what the event reader gives: the same
data (types and spellings of numbers too), the same marks of every value and
key, and the same problems.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from explorer import yamlread
from explorer.paths import bundled_facts_dir
from explorer.yamlread import Document, read_plain, read_yaml


def by_events(text: str) -> tuple[Document, list[yamlread.Problem]]:
    """What the event reader alone makes of ``text``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlread, "read_plain", lambda text, every=True: None)
        return read_yaml(text, "f.yaml")


def strictly(value: Any) -> Any:
    """A value with its types and spellings spelt out, to compare exactly."""
    if isinstance(value, dict):
        return ("map", [(k, strictly(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [strictly(v) for v in value])
    return (type(value).__name__, getattr(value, "raw", None), repr(value))


def assert_read_alike(text: str) -> None:
    doc, problems = read_yaml(text, "f.yaml")
    want, wanted = by_events(text)
    assert strictly(doc.data) == strictly(want.data)
    assert doc.marks == want.marks
    assert doc.key_marks == want.key_marks
    assert [str(p) for p in problems] == [str(p) for p in wanted]


_KEYS = st.sampled_from(["id", "claim", "tags", "value", "as_printed", "x-y", "_k", "y", "no",
                         "on", "null", "2019", "a.b", '"2019"', '"q k"', '"yes"'])  # fmt: skip
_PLAINS = st.sampled_from(["12", "1.5", "-3", "0.50", "1e5", "1.0e+5", "010", "0x1f", "yes", "No",
                           "null", "true", "abc", ".5", "1_000", "2020-02", "2020-02-03", "+7",
                           "12:30", "a-b", "_", "1,5", ".inf", "-.5"])  # fmt: skip
# An escape but \\" and \\\\ (rare here: one in a file sends all of it to libyaml).
_CHARS = st.sampled_from(list("ab Z09#:,-[]{}'&*!|>%@`abcdefgh") + ['\\"', "\\\\", "\u00e9",
                         "\u4e2d", "\U0001f600", "\u00a0", "\\n"])  # fmt: skip
_QUOTED = st.lists(_CHARS, max_size=8).map(lambda chars: '"' + "".join(chars) + '"')
_SCALARS = _QUOTED | _PLAINS
_GAP = st.sampled_from([" ", " ", "  ", "   "])
_TAIL = st.sampled_from(["", "", "", " ", "  # note", " #", "#x", "\t# tab"])


@st.composite
def _inline(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["scalar", "scalar", "list", "map"]))
    if kind == "scalar":
        return draw(_SCALARS)
    inner, comma = draw(_GAP | st.just("")), draw(st.sampled_from([", ", ",", " , ", ",  "]))
    if kind == "list":
        items = draw(st.lists(_SCALARS, max_size=4))
        return "[" + inner + comma.join(items) + inner + "]"
    pairs = draw(st.lists(st.tuples(_KEYS, _SCALARS), max_size=3))
    colon = draw(st.sampled_from([": ", ":  ", ":"]))
    return "{" + inner + comma.join(k + colon + v for k, v in pairs) + inner + "}"


@st.composite
def _mapping(draw: st.DrawFn, indent: int, depth: int, lead: str = "") -> list[str]:
    """A block mapping's lines at ``indent`` (its first line after ``lead``, a ``- ``)."""
    lines: list[str] = []
    for n, key in enumerate(draw(st.lists(_KEYS, min_size=1, max_size=4))):
        pad = lead if n == 0 and lead else " " * indent
        if draw(st.integers(0, 6)) == 0:
            lines.append(
                " " * draw(st.integers(0, indent + 2)) + draw(st.sampled_from(["# c", ""]))
            )
        if depth < 3 and draw(st.integers(0, 3)) == 0:
            lines.append(pad + key + ":" + draw(_TAIL))
            lines.extend(draw(_block(indent, depth + 1)))
        else:
            lines.append(pad + key + ":" + draw(_GAP) + draw(_inline()) + draw(_TAIL))
    return lines


@st.composite
def _block(draw: st.DrawFn, indent: int, depth: int) -> list[str]:
    """The block under a key at ``indent``: a mapping or a sequence, deeper (or a sequence
    at the key's own indent)."""
    step = draw(st.sampled_from([2, 2, 4, 1]))
    if draw(st.booleans()):
        return draw(_mapping(indent + step, depth))
    at = indent + draw(st.sampled_from([step, 0]))
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        dash = " " * at + "-" + draw(_GAP)
        if draw(st.booleans()):
            lines.extend(draw(_mapping(len(dash), depth, lead=dash)))
        else:
            lines.append(dash + draw(_inline()) + draw(_TAIL))
    return lines


_files = _mapping(0, 0).map(lambda lines: "\n".join(lines) + "\n")
_ODD = st.sampled_from(["\t", "&a ", "*a", "!!str ", "|", "'", "\\", ":", "-", "#", '"', " ",
                        "\n", "{", "[", ",", "---\n", "\r", "\u2028", "  ", "- "])  # fmt: skip


@example('y: "a"\n')
@example('id: "a"\nno: "b"\n')
@example('k: [a, "b\\\\ c"]\nx: {"2019": 1, on: "b"}\n')
@example('facts:\n  - {id: "\u00e9\u4e2d", rel: "x"}\n')
@example('k: "\U0001f600"\nl: ["\U0001f600", b]\n')
@example("a:\n- 1\n- b: 2\n  c: 3\nd: 4\n")
@given(_files)
def test_a_file_in_any_form_reads_as_libyaml_reads_it(text: str) -> None:
    assert_read_alike(text)


@given(_files, st.lists(st.tuples(st.integers(0, 10_000), _ODD), min_size=1, max_size=3))
def test_a_file_a_character_off_the_plain_form_reads_as_libyaml_reads_it(
    text: str, edits: list[tuple[int, str]]
) -> None:
    for at, odd in edits:
        at %= len(text) + 1
        text = text[:at] + odd + text[at:]
    assert_read_alike(text)


def test_the_bundled_base_is_read_in_the_plain_form() -> None:
    files = sorted(Path(bundled_facts_dir()).rglob("*.yaml"))
    plain = [f.name for f in files if read_plain(f.read_text(encoding="utf-8")) is not None]
    assert len(plain) >= len(files) - 1  # all but synonyms.yaml's wrapped lists
    for file in files:
        assert_read_alike(file.read_text(encoding="utf-8"))


def test_a_generated_base_is_read_in_the_plain_form() -> None:
    from benchmarks.load import _yaml
    from explorer import open_factbase

    facts = open_factbase(bundled_facts_dir()).facts[:300]
    text = 'source: "report"\nchapter: "ch1"\nfacts:\n' + "".join(_yaml(f) for f in facts)
    text += "  - " + "\n    ".join(f"{k}: {json.dumps(v)}" for k, v in {"id": 'a "b" \\ c'}.items())
    assert read_plain(text) is not None
    assert_read_alike(text)


_OLD_UNPLAIN = re.compile("[\r\t\x85\u2028\u2029\ufeff\ufffe\uffff]")
_OLD_ESCAPE = re.compile(r'(?<!\\)(?:\\\\)*\\[^"\\]')


@example("\\")
@example('"a\\\\\\"b"')
@example("x\\\\\\n")
@given(st.text(st.sampled_from(["\\", '"', "n", "a", "\r", "\t", "\u2028", "\ufeff", "\u00e9"])))
def test_what_the_plain_form_never_holds_is_told_as_the_patterns_told_it(text: str) -> None:
    """`_unplain` scans with ``in``; the patterns it replaced are its oracle. It declines
    one text more: a lone backslash at its very end (libyaml then reads it alike)."""
    told = _OLD_UNPLAIN.search(text) is not None or _OLD_ESCAPE.search(text) is not None
    ends_odd = (len(text) - len(text.rstrip("\\"))) % 2 == 1
    assert yamlread._unplain(text) == (told or ends_odd)


@example('facts:\n  - id: "a"\n    claim: "b"\n  - {id: "c"}\n')
@example('id: "a"\nid: "b"\n')
@given(_files)
def test_a_file_read_without_every_mark_keeps_its_data_and_its_ids_marks(text: str) -> None:
    """A parse worker reads without the marks it does not send: the data is the same, the
    marks it keeps are the full read's, and every mark of an ``id`` is among them."""
    whole, part = read_plain(text), read_plain(text, every=False)
    if whole is None:
        return  # libyaml reads it, every mark and all
    assert part is not None and strictly(part.data) == strictly(whole.data)
    assert part.marks.items() <= whole.marks.items()
    assert part.key_marks.items() <= whole.key_marks.items()
    ids = {p: m for p, m in whole.marks.items() if p[-1:] == ("id",)}
    assert ids.items() <= part.marks.items()
