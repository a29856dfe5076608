"""Strict, safe YAML reading with a position for every value and every problem.

PyYAML's loaders drop duplicate keys silently, expand anchors, and recurse
(a 1,000-deep nesting raises RecursionError). This reader walks libyaml's
event stream instead and keeps only plain data: mappings, sequences and
scalars, each remembered with its 1-based line and column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import SafeLoader as _PureLoader
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from explorer.model import FORBIDDEN
from explorer.problems import Problem as Problem

_Loader: Any
try:  # libyaml is ~8x faster; the pure-Python parser is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    _Loader = _PureLoader

MAX_DEPTH = 64
"""Deeper nesting than any fact file needs is refused, not recursed into."""

Path = tuple[str | int, ...]

_LOOK_PAST = 400
"""Characters past libyaml's error that the pure-Python parser reads to explain it
(bounded: that parser's cost grows with the square of a flow nesting's depth)."""


# Plain scalars that some YAML reader takes for a number, date, time or
# boolean ("2021-07", "1.20", "010", "y", "off"): text like this must be quoted.
AMBIGUOUS = re.compile(r"[-+.]?\d|(?i:y|n|yes|no|on|off|true|false|null|~)$")

_resolver = Resolver()
_ScalarEvent = yaml.ScalarEvent
_constructor = SafeConstructor()


class RawInt(int):
    """An integer that remembers how it was written."""

    raw: str


class RawFloat(float):
    """A number that remembers how it was written ("1.20")."""

    raw: str


@dataclass(frozen=True, slots=True)
class Bare:
    """A plain scalar YAML reads as something other than text (``no``, ``010``)."""

    raw: str
    """The scalar as written."""
    value: Any
    """What YAML makes of it."""

    @property
    def kind(self) -> str:
        """A word for what YAML reads it as."""
        return {
            bool: "a boolean",
            int: "an integer",
            float: "a number",
            type(None): "null",
            str: "a number or date by some YAML readers",
        }.get(type(self.value), "a date")


@dataclass
class Document:
    """A parsed file: its data and where each value stands."""

    data: Any = None
    """Plain data; numbers are int/float, other non-text scalars are `Bare`."""
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    """Position (line, col) of each value, by path from the top."""
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    """Position of each mapping key, by the path of its value."""

    def mark(self, path: Path) -> tuple[int, int]:
        """Return the position of a value, or of its nearest enclosing one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.marks:
                return self.marks[path[:end]]
        return (1, 1)


def describe_char(char: str) -> str:
    """Name a character for a message: ``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    name = unicodedata.name(char, "control character")
    return f"U+{ord(char):04X} ({name})"


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a file as UTF-8, or say where it is not.

    Returns:
        The text (None when it cannot be decoded) and the problems found.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        byte = raw[err.start : err.start + 1].hex()
        return None, [Problem(path, line, col, f"not UTF-8: byte 0x{byte} cannot be decoded")]
    return text.removeprefix("\ufeff"), []


def read_yaml(text: str, path: str, every: bool = True) -> tuple[Document, list[Problem]]:
    """Parse one YAML document strictly.

    Args:
        text: The file's text.
        path: The name to use in problems.
        every: False when a file in the plain form may be read without the marks
            of its texts but those of the ``id`` keys (`read_plain`).

    Returns:
        The document and every problem found. Data is None when the file
        cannot be read as one YAML document.
    """
    problems = _tab_indents(text, path) + _raw_controls(text, path)
    if problems:
        return Document(), problems
    plain = read_plain(text, every)
    if plain is not None:
        return plain, []
    reader, error, at = _parse(text, path, _Loader)
    if error is not None and _Loader is not _PureLoader:
        # libyaml refuses some input before its events reach the reader (a flow
        # nesting past its own limit is scanned ahead in one go; an escape it
        # cannot decode), in words that change between its releases. The
        # pure-Python parser, run up to just past the error, lets the reader's
        # own rules speak: what they find there first explains the failure.
        end = text.find("\n", at)
        cut = min(len(text) if end < 0 else end, at + _LOOK_PAST)
        pure, _artifact, _ = _parse(text[:cut], path, _PureLoader)
        seen = set(reader.problems)
        new = [p for p in pure.problems if p not in seen]
        reader.problems.extend(new)
        inside_refused = reader.skipping > 0 or pure.skipping > 0  # too deep, already refused
        if inside_refused or any((p.line, p.col) <= (error.line, error.col) for p in new):
            error = None
        if error is None:
            return Document(), reader.problems
    if error is not None:
        reader.problems.append(error)
        return Document(), reader.problems
    if reader.documents == 0 or reader.doc.data is None and not reader.problems:
        reader.problems.append(Problem(path, 1, 1, "the file is empty"))
    return reader.doc, reader.problems


def _parse(text: str, path: str, loader: Any) -> tuple[_Reader, Problem | None, int]:
    """Feed the events of ``text`` to a new reader.

    Returns:
        The reader, the syntax error (None when there is none) and the
        character offset where the parser stopped on it.
    """
    reader = _Reader(path, escapes="\\" in text)
    try:
        parser = loader(text)
        try:  # yaml.parse's loop without its generator: a resumed frame per event adds up
            check, get, feed = parser.check_event, parser.get_event, reader.feed
            while check():
                feed(get())
        finally:
            parser.dispose()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(part for part in (err.context, err.problem) if part)
        at = mark.index if mark else 0
        return reader, Problem(path, line, col, f"YAML syntax: {what}"), at
    except yaml.YAMLError as err:  # pragma: no cover - unmarked reader errors
        return reader, Problem(path, 1, 1, f"YAML syntax: {err}"), 0
    return reader, None, len(text)


def _tab_indents(text: str, path: str) -> list[Problem]:
    if "\t" not in text:  # nearly every file: one scan in C instead of one per line
        return []
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            col = indent.index("\t") + 1
            problems.append(Problem(path, number, col, "tab in indentation: indent with spaces"))
    return problems


def _raw_controls(text: str, path: str) -> list[Problem]:
    """Control characters typed into the file itself (libyaml misplaces them)."""
    if FORBIDDEN.search(text) is None:  # nearly every file: one scan in C, not one per line
        return []
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        for match in FORBIDDEN.finditer(line.rstrip("\r")):
            char = describe_char(match.group())
            problems.append(Problem(path, number, match.start() + 1, f"control character {char}"))
    return problems


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path
    key: str | None = None
    key_mark: tuple[int, int] = (1, 1)
    skip: bool = False
    skip_value: bool = False


class _Reader:
    """Turns libyaml events into plain data, collecting problems as it goes."""

    def __init__(self, path: str, escapes: bool = True) -> None:
        self.path = path
        self.escapes = escapes
        """False when the text has no backslash: no escape can make a control character
        (raw ones are refused before parsing), so values need no check."""
        self.doc = Document()
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.documents = 0
        self.skipping = 0  # depth inside a subtree that is too deep to keep

    def problem(self, mark: tuple[int, int], message: str) -> None:
        self.problems.append(Problem(self.path, mark[0], mark[1], message))

    def feed(self, event: yaml.Event) -> None:
        start = event.start_mark
        if type(event) is _ScalarEvent and self.documents == 1 and not self.skipping:
            # Most events are scalars of the one document: straight to them.
            mark = (start.line + 1, start.column + 1) if start is not None else (1, 1)
            if event.anchor is not None:
                self.problem(mark, f"anchor &{event.anchor} is not allowed: write each value out")
            self.scalar(event, mark)
            return
        mark = (start.line + 1, start.column + 1) if start is not None else (1, 1)
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents == 2:
                self.problem(mark, "several YAML documents in one file: keep one")
            return
        if self.documents > 1 or isinstance(
            event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
        ):
            return
        if self.skipping:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self.skipping += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self.skipping -= 1
            return
        if isinstance(event, yaml.AliasEvent):
            self.problem(mark, f"alias *{event.anchor} is not allowed: write the value out")
            self.place(None, mark)
            return
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if not frame.skip:
                self.place(frame.container, self.doc.marks.get(frame.path, mark), done=frame)
            return
        assert isinstance(event, yaml.NodeEvent)
        if event.anchor is not None:
            self.problem(mark, f"anchor &{event.anchor} is not allowed: write each value out")
        if isinstance(event, yaml.ScalarEvent):
            self.scalar(event, mark)
            return
        assert isinstance(event, yaml.CollectionStartEvent)
        if event.tag is not None and not event.implicit:
            self.problem(mark, f"tag {_short(event.tag)} is not allowed")
        if len(self.stack) >= MAX_DEPTH:
            self.problem(mark, f"nesting deeper than {MAX_DEPTH} levels")
            self.skipping = 1
            self.place(None, mark)
            return
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        path = self.child_path()
        self.doc.marks[path] = mark
        self.stack.append(_Frame(container, path))

    def child_path(self) -> Path:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        return (*frame.path, frame.key if frame.key is not None else "?")

    def scalar(self, event: yaml.ScalarEvent, mark: tuple[int, int]) -> None:
        plain, _quoted = event.implicit
        raw = event.value
        value: Any = raw
        if plain:
            kind = _plain_kinds.get(raw)
            if kind is None:
                kind = _plain_kind(raw)
                if len(_plain_kinds) < _PLAIN_KINDS:
                    _plain_kinds[raw] = kind
            if kind is not _TEXT:
                value = Bare(raw, raw) if kind is _AMBIGUOUS else _construct(kind, raw)
        elif event.tag is not None and not _quoted:
            self.problem(mark, f"tag {_short(event.tag)} is not allowed")
        # `place`, written out for a scalar: a file's values are nearly all scalars.
        stack = self.stack
        if not stack:
            if self.escapes and isinstance(value, str):
                self.check_text(value, mark)
            self.place(value, mark)
            return
        frame = stack[-1]
        container = frame.container
        if isinstance(container, dict):
            key = frame.key
            if key is None:
                self.key(frame, value, raw, mark)
                return
            if self.escapes and isinstance(value, str):
                self.check_text(value, mark)
            path = (*frame.path, key)
            if frame.skip_value:
                frame.skip_value = False
            else:
                container[key] = value
            doc = self.doc
            doc.key_marks.setdefault(path, frame.key_mark)
            frame.key = None
            doc.marks[path] = mark
            return
        if self.escapes and isinstance(value, str):
            self.check_text(value, mark)
        self.doc.marks[(*frame.path, len(container))] = mark
        container.append(value)

    def key(self, frame: _Frame, value: Any, raw: str, mark: tuple[int, int]) -> None:
        if raw == "<<" and not isinstance(value, str):
            self.problem(mark, "merge key << is not allowed: write each field out")
        elif not isinstance(value, str):
            self.problem(mark, f"key {raw!r} must be text")
        assert isinstance(frame.container, dict)
        if raw in frame.container:
            first = self.doc.key_marks.get((*frame.path, raw), (0, 0))
            self.problem(mark, f"duplicate key {raw!r} (first at line {first[0]})")
            frame.skip_value = True
        frame.key = raw
        frame.key_mark = mark

    def check_text(self, text: str, mark: tuple[int, int]) -> None:
        bad = FORBIDDEN.search(text)
        if bad:
            where = f"at character {bad.start() + 1} of the text"
            self.problem(mark, f"control character {describe_char(bad.group())} {where}")

    def place(self, value: Any, mark: tuple[int, int], done: _Frame | None = None) -> None:
        if not self.stack:
            self.doc.data = value
            self.doc.marks[()] = mark
            if not isinstance(value, (dict, list)) and value is not None:
                self.problem(mark, "the file holds a single value; expected a mapping")
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(value)
        else:
            key = frame.key if frame.key is not None else "?"
            path = (*frame.path, key)
            if frame.skip_value:
                frame.skip_value = False
            else:
                frame.container[key] = value
            self.doc.key_marks.setdefault(path, frame.key_mark)
            frame.key = None
        if done is None:
            self.doc.marks[path] = mark


_TEXT = "tag:yaml.org,2002:str"
_AMBIGUOUS = "ambiguous"

_plain_kinds: dict[str, str] = {}
"""What each plain scalar seen is: `_TEXT`, `_AMBIGUOUS` text, or the tag it resolves to.
Keys and repeating values (``value: 0``) are most of a file's plain scalars."""

_PLAIN_KINDS = 4096


def _plain_kind(raw: str) -> str:
    """What YAML reads a plain scalar as: text, text some reader takes for more, or a tag."""
    tag: str = _resolver.resolve(ScalarNode, raw, (True, False))  # type: ignore[no-untyped-call]
    if tag != _TEXT:
        return tag
    return _AMBIGUOUS if AMBIGUOUS.match(raw) else _TEXT


def _construct(tag: str, raw: str) -> Any:
    """Make the number YAML means by a plain scalar; keep other types as `Bare`."""
    try:
        value = _constructor.construct_object(ScalarNode(tag, raw), deep=True)
    except (ConstructorError, ValueError):
        return Bare(raw, raw)
    number: RawInt | RawFloat
    if isinstance(value, int) and not isinstance(value, bool):
        if re.fullmatch(r"[-+]?(0|[1-9][0-9_]*)", raw):
            number = RawInt(value)
            number.raw = raw
            return number
    elif isinstance(value, float):
        if re.fullmatch(r"[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)?", raw):
            number = RawFloat(value)
            number.raw = raw
            return number
    return Bare(raw, value)


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


class _Unplain(Exception):
    """The text steps outside the plain form `read_plain` reads: libyaml reads it."""


_SPACES = re.compile(r" *")
_REST = re.compile(r"(?: +#.*| *)$")
_KEY = re.compile(r'(?:([A-Za-z_][A-Za-z0-9_-]{0,127})|"([^"\\]{0,127})"):(?= |$)')
_FLOW_KEY = re.compile(r'(?:([A-Za-z_][A-Za-z0-9_-]{0,127})|"([^"\\]{0,127})"): +')
_QUOTED = re.compile(r'"((?:[^"\\]|\\["\\])*)"')
_QUOTED_PAIR = re.compile(r'([A-Za-z_][A-Za-z0-9_-]{0,127}): +"([^"\\]*)"(?: +#.*| *)$')
_PLAIN = re.compile(r"(?:[A-Za-z0-9_]|[-+.](?=[0-9]))[A-Za-z0-9_.+-]*")
_ESCAPED = re.compile(r'\\(["\\])')
# A row's flow list of texts without escapes, read at once where no mark of it is kept.
_TEXTS_ROW = re.compile(r' +\[ *((?:"[^"\\]*" *, *)*"[^"\\]*")? *\](?: +#.*| *)$')
_TEXT_ITEM = re.compile(r'"([^"\\]*)"')
_PLAIN_DEPTH = 16
"""Nesting deeper than this (a fact file needs 4) is left to libyaml and `MAX_DEPTH`."""
_UNPLAIN = "\r\t\x85\u2028\u2029\ufeff\ufffe\uffff"
"""What the plain form never holds: other line breaks, tabs, a byte-order mark."""


def _unplain(text: str) -> bool:
    """True when ``text`` holds a character of `_UNPLAIN`, or an escape other than ``\\"``
    and ``\\\\`` (or a backslash outside a text, or one that ends the text).

    Each is looked for with ``in``, a scan in C: a pattern (a class of characters,
    or escapes told by a look-behind) took ~35 us per fact of a file, half the read.
    """
    if text.isascii():
        if "\r" in text or "\t" in text:
            return True
    elif any(char in text for char in _UNPLAIN):
        return True
    # Escapes pair up from the left of a run of backslashes, as str.replace takes them.
    return "\\" in text and "\\" in text.replace("\\\\", "").replace('\\"', "")


def read_plain(text: str, every: bool = True) -> Document | None:
    """Read a file written in the plain form of fact files, as `read_yaml` would, or None.

    The plain form: a block mapping at the top, block mappings and sequences
    nested by indentation, and on one line each double-quoted texts (escaping
    only ``"`` and ``\\``), plain numbers and words, and flow lists and
    mappings of those; comments. Any other YAML gives None, and libyaml reads
    it. Read line by line, without libyaml's events: ~3x faster, with the
    same document and marks (a test compares the two over generated files).
    The caller has refused tabs in indentation and raw control characters.

    With ``every`` False, a quoted text on its own line (most of a fact file's
    values) leaves no mark of itself or its key unless its key is ``id``, nor
    does a flow list of such texts (a fact's tags, read with one pattern); a
    mapping leaves none of its start, unless it is an ``id``'s value. What a
    parse worker keeps of a document is the marks of its facts' ids
    (`explorer.parsepool`): the others cost a fifth of the read.
    """
    if _unplain(text):
        return None
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" "))
        if indent < len(line) and line[indent] != "#":
            if indent == 0 and line.startswith(("---", "...", "%")):
                return None
            rows.append((number, indent, line))
    if not rows or rows[0][1] != 0:
        return None
    reader = _PlainReader(rows, every)
    try:
        data = reader.mapping(0, 0, ())
    except (_Unplain, IndexError):
        return None
    if reader.at != len(rows):
        return None
    return Document(data, reader.marks, reader.key_marks)


class _PlainReader:
    """The rows of a plain-form file (number, indent, line) read into data and marks."""

    def __init__(self, rows: list[tuple[int, int, str]], every: bool = True) -> None:
        self.rows = rows
        self.every = every
        self.at = 0
        self.marks: dict[Path, tuple[int, int]] = {}
        self.key_marks: dict[Path, tuple[int, int]] = {}

    def mapping(self, indent: int, first: int, path: Path) -> dict[str, Any]:
        """The block mapping whose keys stand at column ``indent`` (the first row's at
        ``first``: after a sequence's ``- ``)."""
        if len(path) > _PLAIN_DEPTH:
            raise _Unplain
        data: dict[str, Any] = {}
        rows, column, every = self.rows, first, self.every
        while self.at < len(rows):
            number, start, line = rows[self.at]
            if data:
                if start < indent:
                    break
                if start > indent:
                    raise _Unplain
                column = start
            if not data and every:
                self.marks[path] = (number, column + 1)
            quoted = _QUOTED_PAIR.match(line, column)
            if quoted is not None:  # most rows: a word, and a text without escapes
                key = quoted.group(1)
                if _plain_kinds.get(key) is not _TEXT and not _text_key(key):
                    raise _Unplain
                if every or key == "id":
                    where = self.keyed(data, key, path, number, column)
                    self.marks[where] = (number, quoted.start(2))
                elif key in data:
                    raise _Unplain  # a duplicate key, as `keyed` says
                self.at += 1
                data[key] = quoted.group(2)
                continue
            found = _KEY.match(line, column)
            if found is None:
                raise _Unplain
            key = _key(found)
            if not every and key != "id":
                texts = _TEXTS_ROW.match(line, found.end())
                if texts is not None:  # a flow list of texts without escapes: a fact's tags
                    if key in data:
                        raise _Unplain  # a duplicate key, as `keyed` says
                    self.at += 1
                    data[key] = _TEXT_ITEM.findall(texts.group(1) or "")
                    continue
            where = self.keyed(data, key, path, number, column)
            self.at += 1
            data[key] = self.value(line, found.end(), number, indent, where)
        return data

    def keyed(self, data: dict[str, Any], key: str, path: Path, number: int, column: int) -> Path:
        """The path of ``key`` in the mapping ``data`` at ``path``, its mark kept (the key at
        ``column`` from 0 of row ``number``); a key ``data`` holds already is not plain."""
        if key in data:
            raise _Unplain  # a duplicate key: libyaml's reading names it
        where = (*path, key)
        self.key_marks[where] = (number, column + 1)
        return where

    def value(self, line: str, after: int, number: int, indent: int, path: Path) -> Any:
        """The value after a key's colon: on its line, or the block below it."""
        if _REST.match(line, after) is None:
            start = _SPACES.match(line, after).end()  # type: ignore[union-attr]
            value, end = self.inline(line, start, number, path)
            if _REST.match(line, end) is None:
                raise _Unplain
            return value
        if self.at >= len(self.rows):
            raise _Unplain  # no value: null
        below_number, start, below = self.rows[self.at]
        if _item(below, start) and start >= indent:
            return self.sequence(start, path)
        if start > indent:
            if not self.every and path[-1] == "id":  # an id's mark is kept, whatever it holds
                self.marks[path] = (below_number, start + 1)
            return self.mapping(start, start, path)
        raise _Unplain

    def sequence(self, indent: int, path: Path) -> list[Any]:
        """The block sequence whose ``-`` stand at column ``indent``."""
        if len(path) > _PLAIN_DEPTH:
            raise _Unplain
        data: list[Any] = []
        rows = self.rows
        while self.at < len(rows):
            number, start, line = rows[self.at]
            if start < indent or start == indent and not _item(line, start):
                break
            if start > indent:
                raise _Unplain
            if not data:
                self.marks[path] = (number, start + 1)
            where = (*path, len(data))
            column = _SPACES.match(line, start + 1).end()  # type: ignore[union-attr]
            if column == start + 1 or column == len(line) or line[column] == "#":
                raise _Unplain  # "-" alone, or a block under it
            if _KEY.match(line, column) is not None:
                data.append(self.mapping(column, column, where))
                continue
            value, end = self.inline(line, column, number, where)
            if _REST.match(line, end) is None:
                raise _Unplain
            self.at += 1
            data.append(value)
        return data

    def inline(self, line: str, start: int, number: int, path: Path) -> tuple[Any, int]:
        """A scalar, flow list or flow mapping at ``start``, and where it ends."""
        self.marks[path] = (number, start + 1)
        if line[start] == "[":
            return self.flow_list(line, start + 1, number, path)
        if line[start] == "{":
            return self.flow_mapping(line, start + 1, number, path)
        return _scalar(line, start)

    def flow_list(self, line: str, at: int, number: int, path: Path) -> tuple[list[Any], int]:
        items: list[Any] = []
        at = _SPACES.match(line, at).end()  # type: ignore[union-attr]
        if line[at] == "]":
            return items, at + 1
        while True:
            self.marks[(*path, len(items))] = (number, at + 1)
            value, at = _scalar(line, at)
            items.append(value)
            done, at = _step(line, at, "]")
            if done:
                return items, at

    def flow_mapping(
        self, line: str, at: int, number: int, path: Path
    ) -> tuple[dict[str, Any], int]:
        data: dict[str, Any] = {}
        at = _SPACES.match(line, at).end()  # type: ignore[union-attr]
        if line[at] == "}":
            return data, at + 1
        while True:
            found = _FLOW_KEY.match(line, at)
            if found is None:
                raise _Unplain
            key = _key(found)
            where = self.keyed(data, key, path, number, at)
            at = found.end()
            self.marks[where] = (number, at + 1)
            data[key], at = _scalar(line, at)
            done, at = _step(line, at, "}")
            if done:
                return data, at


def _step(line: str, at: int, close: str) -> tuple[bool, int]:
    """Past a flow item's end at ``at``: (True, just past ``close``) where the flow ends,
    else (False, where the next item starts); anything but a comma between, or a comma
    before ``close`` (a trailing comma), is not plain."""
    at = _SPACES.match(line, at).end()  # type: ignore[union-attr]
    if line[at] == close:
        return True, at + 1
    if line[at] != ",":
        raise _Unplain
    at = _SPACES.match(line, at + 1).end()  # type: ignore[union-attr]
    if line[at] == close:
        raise _Unplain
    return False, at


def _item(line: str, start: int) -> bool:
    """True when the row holds a sequence's ``- `` at ``start``."""
    return line[start] == "-" and (start + 1 == len(line) or line[start + 1] == " ")


def _key(found: re.Match[str]) -> str:
    """A key as `_Reader.key` takes it; a plain one that YAML reads as more than text is
    left to libyaml (and its problem said)."""
    plain, quoted = found.groups()
    if plain is None:
        return quoted
    if _plain_kinds.get(plain) is not _TEXT and not _text_key(plain):
        raise _Unplain
    return plain


def _text_key(plain: str) -> bool:
    """True when YAML reads this plain key as text (the verdict kept, as `_Reader.scalar` does)."""
    kind = _plain_kinds.get(plain)
    if kind is None:
        kind = _plain_kind(plain)
        if len(_plain_kinds) < _PLAIN_KINDS:
            _plain_kinds[plain] = kind
    return kind is _TEXT


def _scalar(line: str, start: int) -> tuple[Any, int]:
    """A double-quoted or plain scalar at ``start``, as `_Reader.scalar` makes it, and its end."""
    if line[start] == '"':
        found = _QUOTED.match(line, start)
        if found is None:
            raise _Unplain
        text = found.group(1)
        return (_ESCAPED.sub(r"\1", text) if "\\" in text else text), found.end()
    found = _PLAIN.match(line, start)
    if found is None:
        raise _Unplain
    raw = found.group()
    kind = _plain_kinds.get(raw)
    if kind is None:
        kind = _plain_kind(raw)
        if len(_plain_kinds) < _PLAIN_KINDS:
            _plain_kinds[raw] = kind
    if kind is _TEXT:
        return raw, found.end()
    return (Bare(raw, raw) if kind is _AMBIGUOUS else _construct(kind, raw)), found.end()
