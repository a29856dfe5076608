"""Read a fact base folder into a `FactBase`, reporting every problem at once.

The loader only reads: it never writes to, renames or creates anything in the
fact base. Each problem carries ``path:line:col``; a run collects them all
instead of stopping at the first.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import math
import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from explorer.appendices import appendix_entries
from explorer.files import NotReadable, read_regular
from explorer.model import (
    GAP,
    Chapter,
    Fact,
    FactBase,
    GriDisclosure,
    Link,
    Section,
    Source,
    Term,
)
from explorer.opener import FactBaseError as FactBaseError
from explorer.opener import open_factbase as open_factbase
from explorer.problems import Problem
from explorer.walk import REQUIRED_FILES, TOP_FILES, walk_base
from explorer.walk import why as _why
from explorer.yamlread import Bare, Document, decode, read_yaml

if TYPE_CHECKING:  # jsonschema costs ~60 ms to import; a cached start never needs it
    from subprocess import Popen

    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

    from explorer import parsepool


def _load_strict(root: str | Path) -> FactBase:
    """Load a base from its files; raise `FactBaseError` on any problem."""
    base, problems = load_factbase(root)
    if problems or base is None:
        raise FactBaseError(problems)
    return base


def load_factbase(
    root: str | Path, skipped: list[Problem] | None = None
) -> tuple[FactBase | None, list[Problem]]:
    """Load and validate every file of the base in ``root``.

    Args:
        root: The base's folder (text, as the cache names it, or a path).
        skipped: Where to list the entries under it that are not fact files and
            were left alone (a README, hidden files), as `Walk.skipped`.

    Returns:
        The base (None when it cannot be built) and every problem found.
    """
    collector = gc.isenabled()
    # Off for the whole load, not each parse: every object made is kept (the base), so
    # each collection the parses' garbage would set off is a walk over all of them.
    gc.disable()
    try:
        return _load_factbase(Path(root), skipped)
    finally:
        if collector:
            gc.enable()


def _load_factbase(
    root: Path, skipped: list[Problem] | None
) -> tuple[FactBase | None, list[Problem]]:
    if not root.is_dir():
        return None, [Problem(str(root), 0, 0, "no fact base folder here")]
    problems: list[Problem] = []
    # The required files first: a folder without them (`--facts /`) is told so
    # at once, before anything below it is walked.
    for name in REQUIRED_FILES:
        if not os.path.lexists(root / name):
            problems.append(Problem(str(root / name), 0, 0, f"missing: a fact base needs {name}"))
    if problems:
        return None, problems
    docs: dict[str, tuple[str, Document]] = {}
    for name, schema in TOP_FILES.items():
        file = root / name
        if not os.path.lexists(file):
            continue
        doc = _read(file, schema, problems)
        if doc is not None:
            docs[name] = (str(file), doc)
    walk = walk_base(root)
    problems.extend(walk.problems)
    if skipped is not None:
        skipped.extend(walk.skipped)
    usable = "sources.yaml" in docs and "chapters.yaml" in docs
    built: list[Problem] = []  # said after every file's own problems, as they always were
    builder = _Builder(built)
    sources = builder.sources(*docs["sources.yaml"]) if usable else {}
    chapters = builder.chapters(*docs["chapters.yaml"], sources) if usable else {}
    facts: list[Fact] = []
    known: dict[Any, Any] = {}  # facts' terms and their fields, found by workers
    titles = {cid: chapter.title for cid, chapter in chapters.items()}
    # One file at a time, its document dropped once its facts are made: a large base
    # never holds every parsed document (and its positions) at once.
    files = [Path(f) for f in walk.files]
    for file, doc, valid in _documents(files, "fact_file", problems, known, titles):
        if usable:
            relative = file.relative_to(root).as_posix()
            facts.extend(builder.facts(str(file), doc, relative, sources, chapters, valid))
    if not usable:
        return None, problems
    gri = builder.gri(docs.get("gri.yaml"))
    glossary = builder.glossary(docs.get("glossary.yaml"))
    facts.extend(builder.entries(root, appendix_entries(gri, glossary, chapters, facts)))
    builder.check_links(facts)
    problems.extend(built)
    order = {cid: i for i, cid in enumerate(chapters)}
    facts.sort(key=lambda f: order.get(f.chapter, len(order)))
    base = FactBase(
        facts=tuple(facts),
        sources=sources,
        chapters=chapters,
        gri=gri,
        glossary=glossary,
        synonyms=builder.synonyms(docs.get("synonyms.yaml")),
        broader=builder.synonyms(docs.get("synonyms.yaml"), "broader"),
        root=str(root),
    )
    if known:
        object.__setattr__(base, "_known_terms", known)
    return base, problems


MAX_FILE_BYTES = 64 << 20
"""A fact file larger than this is refused unread (the bundled base's largest is ~0.3 MB)."""


class Store(Protocol):
    """Where parsed and checked files are kept between runs (`explorer.cache` keeps one)."""

    def get(self, name: str, schema: str, raw: bytes) -> Parsed | None:
        """The parse of these bytes under this name and schema, if kept."""

    def put(self, name: str, schema: str, raw: bytes, parsed: Parsed) -> None:
        """Keep a parse for next time."""


Parsed = tuple[Document | None, list[Problem]]
"""A file's document (None when it cannot be used) and the problems found in it alone."""

_store: ContextVar[Store | None] = ContextVar("explorer_loader_store", default=None)


@contextmanager
def kept_in(store: Store) -> Iterator[None]:
    """Within this block, files already parsed and checked come from ``store``, unread.

    A file is read for its bytes, and parsed and validated only when ``store``
    has no parse of those bytes: editing one file of a large base re-parses
    that file alone.
    """
    token = _store.set(store)
    try:
        yield
    finally:
        _store.reset(token)


def _documents(
    files: list[Path],
    schema: str,
    problems: list[Problem],
    known: dict[Any, Any] | None = None,
    titles: dict[str, str] | None = None,
) -> Iterator[tuple[Path, Document, bool]]:
    """Each file's usable document in turn, its problems added to ``problems`` in file order,
    and whether it had none (the schema accepted it).

    A large base's files are parsed in worker processes (`explorer.parsepool`)
    a few files ahead of the one whose document is given; the search terms
    they found for the facts (`parsepool.known_masks`, told the chapters'
    ``titles``) go into ``known``.
    """
    from explorer import parsepool

    pool = parsepool.start(files, titles)
    if pool is None:
        for file in files:
            said = len(problems)
            doc = _finish(file, schema, _begin(file, schema, None), problems)
            if doc is not None:
                yield file, doc, len(problems) == said
        return
    window: deque[tuple[Path, _Begun]] = deque()

    def oldest() -> Iterator[tuple[Path, Document, bool]]:
        done, begun = window.popleft()
        said = len(problems)
        doc = _finish(done, schema, begun, problems, pool, known)
        if doc is not None:
            yield done, doc, len(problems) == said

    try:
        for file in files:
            window.append((file, _begin(file, schema, pool)))
            if len(window) > parsepool.AHEAD:
                yield from oldest()
        pool.done()
        while window:
            yield from oldest()
    finally:
        pool.close()


_Begun = tuple[list[Problem], "Parsed | None", bytes, "Popen[bytes] | None"]
"""A file on its way: problems reading it, its parse if known, its bytes, the worker asked."""


def _begin(file: Path, schema: str, pool: parsepool.Pool | None) -> _Begun:
    """Read a file; take its parse from the store, or hand it to a worker."""
    try:
        raw = read_regular(file, MAX_FILE_BYTES)
    except OSError as err:
        return [Problem(str(file), 0, 0, f"cannot read: {_why(err)}")], None, b"", None
    except NotReadable as err:
        why = f"{err.kind}, not a fact file: not read" if err.kind else f"not read: {err}"
        return [Problem(str(file), 0, 0, why)], None, b"", None
    store = _store.get()
    parsed = store.get(str(file), schema, raw) if store is not None else None
    if parsed is not None or pool is None:
        return [], parsed, raw, None
    return [], None, raw, pool.submit(str(file), schema, file, whole=store is not None)


def _finish(
    file: Path,
    schema: str,
    begun: _Begun,
    problems: list[Problem],
    pool: parsepool.Pool | None = None,
    known: dict[Any, Any] | None = None,
) -> Document | None:
    """Say a file's problems and give its document, parsing it here if no one has."""
    unread, parsed, raw, worker = begun
    if unread:
        problems.extend(unread)
        return None
    if parsed is None:
        if pool is not None and worker is not None:
            answer = pool.result(worker, raw)
            if answer is not None:
                parsed, terms = answer
                if known is not None:
                    known.update(terms)
                if parsed[0] is not None and _store.get() is None:
                    parsed = (_Partial(parsed[0], str(file), schema, raw), parsed[1])
        if parsed is None:
            parsed = parse_file(str(file), schema, raw)
        store = _store.get()
        if store is not None:
            store.put(str(file), schema, raw, parsed)
    problems.extend(parsed[1])
    return parsed[0]


class _Partial(Document):
    """A worker's document that holds the positions of its facts' ids alone.

    Any other position is wanted only to place a problem the loader finds: the
    first time one is, the file's bytes are parsed here for all of them (the same
    bytes give the same document, so the problem stands where it always did).
    """

    def __init__(self, doc: Document, name: str, schema: str, raw: bytes) -> None:
        super().__init__(doc.data, doc.marks, doc.key_marks)
        self._whole: tuple[str, str, bytes] | None = (name, schema, raw)

    def mark(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        """Return the position of a value, or of its nearest enclosing one."""
        if self._whole is not None and path not in self.marks:
            doc = parse_file(*self._whole)[0]
            self._whole = None
            if doc is not None:
                self.marks, self.key_marks = doc.marks, doc.key_marks
        return super().mark(path)


def _read(file: Path, schema: str, problems: list[Problem]) -> Document | None:
    return _finish(file, schema, _begin(file, schema, None), problems)


def parse_file(name: str, schema: str, raw: bytes, every: bool = True) -> Parsed:
    """Decode, parse and validate one file's bytes.

    Args:
        name: The file as the user named it (for the problems).
        schema: Which of the schema's definitions the file follows.
        raw: Its bytes.
        every: False when the document need hold no marks but its facts' ids'
            (`read_yaml`'s ``every``) unless a problem is found: a file the
            schema refuses is read again, for every mark its problems need.

    Returns:
        The document (None when it cannot be used) and every problem found in it.
    """
    text, problems = decode(raw, name)
    if text is None:
        return None, problems
    collector = gc.isenabled()
    gc.disable()  # the parse makes many objects; the collector triples its cost
    try:
        doc, found = read_yaml(text, name, every)
    finally:
        if collector:
            gc.enable()
    problems.extend(found)
    if doc.data is None:
        return None, problems
    if not isinstance(doc.data, dict):
        if isinstance(doc.data, list):
            problems.append(Problem(name, *doc.mark(()), "expected a mapping, found a list"))
        return None, problems
    if not every and not problems:
        if schema_accepts(doc.data, schema):
            return doc, problems
        return parse_file(name, schema, raw)
    problems.extend(_schema_problems(name, doc, schema))
    return doc, problems


@cache
def _schema() -> dict[str, Any]:
    from explorer.paths import schema_path

    with open(schema_path(), encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


@cache
def _validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": _schema()["$defs"]})


@cache
def _fast(name: str) -> Callable[[Any], Any]:
    """The schema's definition ``name`` compiled to Python by fastjsonschema: ~16x faster.

    It only says whether a document is valid. A valid one (nearly every file)
    is done; an invalid one goes to jsonschema, whose errors name every
    problem. The schema uses no keyword whose meaning differs between the
    draft fastjsonschema follows (7) and the schema's (2020-12); a test holds
    the two to the same verdict over the bundled base and the hostile corpora.
    """
    import fastjsonschema

    return fastjsonschema.compile(
        {"$ref": f"#/$defs/{name}", "$defs": _schema()["$defs"]}, use_formats=False
    )


@cache
def _by_hand(name: str) -> Callable[[Any], bool] | None:
    """The hand-written check of the definition ``name`` (`explorer.factcheck`), if it has one
    and the bundled schema still holds the definitions it was written for."""
    if name != "fact_file":
        return None
    from explorer import factcheck

    return factcheck.fact_file if factcheck.pinned(_schema()["$defs"]) else None


def schema_accepts(data: Any, schema: str) -> bool:
    """True when ``data`` follows the schema's definition ``schema`` (the fast checks alone).

    A fact file is asked of `explorer.factcheck` first (~4x cheaper per fact than
    fastjsonschema): its True is the schema's, its False may not be, so a file it
    refuses is asked of fastjsonschema, whose verdict stands.
    """
    hand = _by_hand(schema)
    if hand is not None and hand(data):
        return True
    from fastjsonschema import JsonSchemaException

    try:
        _fast(schema)(data)
    except JsonSchemaException:
        return False
    return True


def _schema_problems(file: str, doc: Document, schema: str) -> Iterator[Problem]:
    if schema_accepts(doc.data, schema):
        return
    errors = sorted(_validator(schema).iter_errors(doc.data), key=lambda e: list(e.absolute_path))
    if not errors:
        # jsonschema's patterns let a trailing newline through (Python's ``$`` matches
        # before one); the schema's meaning (ECMA 262's ``$``) and fastjsonschema's do not.
        yield _strict_problem(file, doc, schema)
        return
    for err in errors:
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            known = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
            for key in err.instance:
                if key not in known:
                    line, col = doc.key_marks.get((*path, key), doc.mark(path))
                    yield Problem(file, line, col, f"unknown field {key!r}")
            continue
        line, col = doc.mark(path)
        yield Problem(file, line, col, _message(err, path))


def _strict_problem(file: str, doc: Document, schema: str) -> Problem:
    """The problem fastjsonschema finds in a document that jsonschema passes."""
    from fastjsonschema import JsonSchemaValueException

    try:
        _fast(schema)(doc.data)
    except JsonSchemaValueException as err:
        path: list[str | int] = []
        node = doc.data
        for part in err.path[1:]:  # "data", then the keys and indexes, all as text
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                path.append(int(part))
                node = node[int(part)]
            else:
                path.append(part)
                node = node.get(part) if isinstance(node, dict) else None
        where, field = _field(tuple(path))
        if err.rule == "pattern":
            message = _unlike(field, where, err.value)
        else:
            message = f"{field}{_describe(err.value)} breaks the schema's {err.rule!r} rule"
        return Problem(file, *doc.mark(tuple(path)), message)
    except Exception:  # noqa: BLE001 - any other verdict is no more precise than this one
        pass
    return Problem(file, *doc.mark(()), "the file does not follow the fact schema")


def _field(path: tuple[str | int, ...]) -> tuple[str, str]:
    """The name of the field a path ends in, and the ``name: `` a message begins with."""
    where = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    return where, f"{where}: " if where else ""


def _unlike(field: str, where: str, value: Any) -> str:
    """What a value its field's pattern refuses is told."""
    return f"{field}{value!r} is not in the expected form ({_PATTERN_HINTS.get(where, '')})"


def _message(err: ValidationError, path: tuple[str | int, ...]) -> str:
    where, field = _field(path)
    value = err.instance
    if err.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", err.message)
        name = missing.group(1) if missing else err.message
        kind = value.get("kind") if isinstance(value, dict) else None
        why = f" (a {kind} fact needs it)" if kind in ("figure", "table", "target") else ""
        return f"missing required field {name!r}{why}"
    if err.validator == "type":
        expected = err.validator_value
        raw = getattr(value, "raw", None)
        if expected == "string" and raw is not None:
            kind = value.kind if isinstance(value, Bare) else "a number"
            return f'{field}bare {raw} is read as {kind}, not text: quote it as "{raw}"'
        if expected == "number":
            return f"{field}expected a number, found {_describe(value)}"
        return f"{field}expected {_a(expected)}, found {_describe(value)}"
    if err.validator == "enum":
        choices = ", ".join(str(c) for c in list(err.validator_value))  # type: ignore[arg-type]
        return f"{field}{_describe(value)} is not one of: {choices}"
    if err.validator == "pattern" and err.validator_value == r"\S":
        return f"{field}blank text: it holds only spaces"
    if err.validator == "pattern":
        return _unlike(field, where, value)
    if err.validator == "minLength":
        return f"{field}empty text"
    if err.validator in ("maxItems", "maxProperties"):
        return f"{field}{_describe(value)} has too many: at most {err.validator_value}"
    if err.validator in ("minItems", "minProperties"):
        return f"{field}{_describe(value)} is empty: it needs at least {err.validator_value}"
    if err.validator == "const":
        return f"{field}{_describe(value)} must be {err.validator_value!r}"
    if err.validator in ("oneOf", "anyOf"):
        forms = _FORMS.get(where, "none of the allowed forms")
        return f"{field}{_describe(value)} fits {forms}"
    # Any other rule the schema may gain: say which, in our words, not the validator's.
    return f"{field}{_describe(value)} breaks the schema's {err.validator!r} rule"


_PATTERN_HINTS = {
    "id": "lowercase letters and digits joined by single hyphens",
    "period": "2020, 2012/2020, 2020-02 or 2020-02-03",
    "metric": "lowercase words joined by dots, e.g. ghg.total",
    "sha256": "64 lowercase hex digits",
    "url": "an http(s) address",
    "published": "2021, 2021-07 or 2021-07-01",
    "lines": "first-last, e.g. 548-1567",
    "code": "a GRI code such as 305-1",
    "series": "each key a period: 2020, 2020-02 or 2012/2020",
}


def _a(kind: Any) -> str:
    return {"string": "text", "array": "a list", "object": "a mapping", "number": "a number"}.get(
        str(kind), str(kind)
    )


def _describe(value: Any) -> str:
    if isinstance(value, Bare):
        return "null" if value.value is None else f"bare {value.raw}"
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, str):
        return f"text {value!r}" if len(value) <= 60 else f"text {value[:57]!r}..."
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    shown = getattr(value, "raw", None) or repr(value)
    return shown if len(shown) <= 24 else f"a {len(shown)}-character number"


class _Builder:
    """Turns validated documents into model objects, checking what spans files."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.where: dict[str, tuple[str, int, int]] = {}
        self.sections: dict[tuple[str, str], Chapter] = {}
        """(chapter, section) pairs found good, with the chapter they were found in."""

    def problem(self, file: str, mark: tuple[int, int], message: str) -> None:
        self.problems.append(Problem(file, mark[0], mark[1], message))

    def sources(self, file: str, doc: Document) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        for i, item in _items(doc.data, "sources"):
            if not _texts(item, *_SOURCE_REQUIRED):
                continue
            if item["id"] in sources:
                self.problem(
                    file, doc.mark(("sources", i, "id")), f"duplicate source {item['id']!r}"
                )
                continue
            fields = {k: v for k, v in item.items() if k in _SOURCE_FIELDS and isinstance(v, str)}
            sources[item["id"]] = Source(**fields)
        return sources

    def chapters(self, file: str, doc: Document, sources: dict[str, Source]) -> dict[str, Chapter]:
        chapters: dict[str, Chapter] = {}
        for i, item in _items(doc.data, "chapters"):
            if not _texts(item, "id", "source", "title", "summary"):
                continue
            cid = item["id"]
            if cid in chapters:
                self.problem(file, doc.mark(("chapters", i, "id")), f"duplicate chapter {cid!r}")
                continue
            if item["source"] not in sources:
                self.problem(
                    file, doc.mark(("chapters", i, "source")), f"unknown source {item['source']!r}"
                )
            titles = [t for t in _list(item.get("sections")) if isinstance(t, str)]
            for j, title in enumerate(titles):
                if titles.index(title) != j:
                    mark = doc.mark(("chapters", i, "sections", j))
                    self.problem(file, mark, f"section {title!r} listed twice")
            sections = tuple(Section(cid, t, j) for j, t in enumerate(dict.fromkeys(titles)))
            chapters[cid] = Chapter(
                id=cid,
                source_id=item["source"],
                title=item["title"],
                summary=item["summary"],
                sections=sections,
                number=item.get("number", "") if isinstance(item.get("number"), str) else "",
                lines=item.get("lines", "") if isinstance(item.get("lines"), str) else "",
                index=len(chapters),
            )
        return chapters

    def facts(
        self,
        file: str,
        doc: Document,
        relative: str,
        sources: dict[str, Source],
        chapters: dict[str, Chapter],
        valid: bool = False,
    ) -> list[Fact]:
        """The facts of a fact file's document (``valid`` when the schema accepted it)."""
        data = doc.data
        facts = []
        for i, item in _items(data, "facts"):
            path: tuple[str | int, ...] = ("facts", i)
            if not valid and (not _texts(item, "id", "kind", "claim", "assurance")
                              or not _quote(item)):  # fmt: skip
                continue  # the schema check has said what is wrong (it accepts none of these)
            fact = self.fact(file, doc, path, item, data, relative, sources, chapters, valid)
            if fact is not None:
                facts.append(fact)
        return facts

    def fact(
        self,
        file: str,
        doc: Document,
        path: tuple[str | int, ...],
        item: dict[str, Any],
        data: dict[str, Any],
        relative: str,
        sources: dict[str, Source],
        chapters: dict[str, Chapter],
        valid: bool = False,
    ) -> Fact | None:
        where = (*path, "id")
        mark = doc.marks.get(where) or doc.mark(where)
        fid = item["id"]
        if fid in self.where:
            first = self.where[fid]
            self.problem(file, mark, f"duplicate id {fid!r} (first at {first[0]}:{first[1]})")
            return None
        self.where[fid] = (file, mark[0], mark[1])
        source = item.get("source", data.get("source"))
        chapter = item.get("chapter", data.get("chapter"))
        ok = True
        if not isinstance(source, str) or source not in sources:
            what = (
                f"unknown source {source!r}"
                if source
                else "no source (set source: here or atop the file)"
            )
            self.problem(file, doc.mark((*path, "source")), what)
            ok = False
        if not isinstance(chapter, str) or chapter not in chapters:
            what = (
                f"unknown chapter {chapter!r}"
                if chapter
                else "no chapter (set chapter: here or atop the file)"
            )
            self.problem(file, doc.mark((*path, "chapter")), what)
            ok = False
        elif ok and chapters[chapter].source_id != source:
            self.problem(file, mark, f"chapter {chapter!r} is not a chapter of source {source!r}")
            ok = False
        if ok:
            section = item.get("section")
            assert isinstance(chapter, str)
            if section is None:
                self.problem(file, mark, "missing required field 'section'")
            elif isinstance(section, str) and not self.has_section(chapters[chapter], section):
                known = "; ".join(s.title for s in chapters[chapter].sections)
                self.problem(
                    file,
                    doc.mark((*path, "section")),
                    f"section {section!r} is not a section of {chapter} (known: {known})",
                )
        # A fact the schema accepted is well typed (a test holds the one to the other).
        typed = valid or _well_typed(item)
        if not ok or not typed or not self.in_range(file, doc, path, item):
            return None
        assert isinstance(source, str) and isinstance(chapter, str)
        parts = _quote(item)
        return Fact(
            id=fid,
            kind=item["kind"],
            claim=item["claim"],
            quote=GAP.join(parts),
            source=source,
            chapter=chapter,
            assurance=item["assurance"],
            section=item.get("section", ""),
            as_printed=item.get("as_printed"),
            value=_number(item.get("value")),
            upper=_number(item.get("upper")),
            unit=item.get("unit"),
            qualifier=item.get("qualifier", "exact"),
            period=item.get("period"),
            metric=item.get("metric"),
            scope=item.get("scope"),
            tags=tuple(item.get("tags", ())),
            gri=tuple(item.get("gri", ())),
            related=tuple(Link(r["id"], r["rel"]) for r in item.get("related", ())),
            notes=item.get("notes"),
            page=item.get("page"),
            series={k: _number(v) for k, v in item["series"].items()} if "series" in item else None,
            status=item.get("status"),
            actual=item.get("actual"),
            file=relative,
            line=mark[0],
            spans=parts if len(parts) > 1 else (),
            review=item.get("review"),
        )

    def has_section(self, chapter: Chapter, title: str) -> bool:
        """True when ``chapter`` has a section of this title (each pair looked up once)."""
        if self.sections.get((chapter.id, title)) is chapter:
            return True
        if chapter.section(title) is None:
            return False
        self.sections[(chapter.id, title)] = chapter
        return True

    def in_range(
        self, file: str, doc: Document, path: tuple[str | int, ...], item: dict[str, Any]
    ) -> bool:
        """Say where a value or a series value is too large for a figure; True when none is."""
        value, upper = item.get("value"), item.get("upper")
        if (value is None or _in_range(value)) and (upper is None or _in_range(upper)):
            if not item.get("series"):
                return True  # most facts: nothing more to look at
        numbers: list[tuple[tuple[str | int, ...], str, Any]] = [
            ((*path, key), key, item.get(key)) for key in ("value", "upper")
        ]
        for period, value in (item.get("series") or {}).items():
            numbers.append(((*path, "series", period), f"series {period}", value))
        fine = True
        for where, name, value in numbers:
            if value is not None and not _in_range(value):
                digits = getattr(value, "raw", str(value))
                shown = digits if len(digits) <= 24 else f"a {len(digits)}-character number"
                self.problem(
                    file,
                    doc.mark(where),
                    f"{name}: {shown} is out of range (at most {MAX_FIGURE:g})",
                )
                fine = False
        return fine

    def entries(self, root: Path, entries: list[Fact]) -> list[Fact]:
        """The appendix entries whose id no curated fact has taken (a clash is a problem)."""
        out = []
        for entry in entries:
            file = str(root / entry.file)
            if entry.id in self.where:
                first = self.where[entry.id]
                self.problem(file, (entry.line, 1),
                             f"{entry.kind} {entry.id!r}: a fact has its id "
                             f"(at {first[0]}:{first[1]}); rename that fact")  # fmt: skip
                continue
            self.where[entry.id] = (file, entry.line, 1)
            out.append(entry)
        return out

    def check_links(self, facts: list[Fact]) -> None:
        ids = {f.id for f in facts} | set(self.where)
        for fact in facts:
            file, line, _col = self.where[fact.id]
            for link in fact.related:
                if link.id == fact.id:
                    self.problems.append(Problem(file, line, 1, f"{fact.id} is related to itself"))
                elif link.id not in ids:
                    self.problems.append(
                        Problem(file, line, 1, f"{fact.id}: related id {link.id!r} does not exist")
                    )

    def gri(self, entry: tuple[str, Document] | None) -> tuple[GriDisclosure, ...]:
        if entry is None:
            return ()
        out = []
        for i, item in _items(entry[1].data, "disclosures"):
            if _texts(item, "code", "title", "pages"):
                out.append(
                    GriDisclosure(
                        code=item["code"],
                        title=item["title"],
                        pages=item["pages"],
                        part=_text(item, "part"),
                        group=_text(item, "group"),
                        sdgs=tuple(s for s in _list(item.get("sdgs")) if isinstance(s, str)),
                        notes=_text(item, "notes"),
                        line=entry[1].mark(("disclosures", i))[0],
                    )
                )
        return tuple(out)

    def glossary(self, entry: tuple[str, Document] | None) -> tuple[Term, ...]:
        if entry is None:
            return ()
        doc = entry[1]
        return tuple(
            Term(item["acronym"], item["full"], line=doc.mark(("terms", i))[0])
            for i, item in _items(doc.data, "terms")
            if _texts(item, "acronym", "full")
        )

    def synonyms(
        self, entry: tuple[str, Document] | None, key: str = "synonyms"
    ) -> tuple[tuple[str, ...], ...]:
        """The groups of words under ``key`` (``synonyms`` or ``broader``) of synonyms.yaml."""
        if entry is None:
            return ()
        groups = _list(entry[1].data.get(key)) if isinstance(entry[1].data, dict) else []
        return tuple(
            tuple(w for w in g if isinstance(w, str)) for g in groups if isinstance(g, list)
        )


MAX_FIGURE = 1e18
"""The largest magnitude of a value or series value (beyond it, floats lose the figure)."""


def _in_range(value: int | float) -> bool:
    if isinstance(value, int):
        return -MAX_FIGURE <= value <= MAX_FIGURE  # exact, whatever the size
    return math.isfinite(value) and abs(value) <= MAX_FIGURE


_SOURCE_FIELDS = {f.name for f in dataclasses.fields(Source)}
_SOURCE_REQUIRED = tuple(
    f.name for f in dataclasses.fields(Source) if f.default is dataclasses.MISSING
)


def _list(value: Any) -> list[Any]:
    """The value when it is a list, else nothing to iterate (the schema has said why)."""
    return value if isinstance(value, list) else []


def _number(value: Any) -> Any:
    """A plain int or float (the reader's numbers remember their spelling)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    return float(value) if isinstance(value, float) else value


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """Return the mappings listed under ``key``, each with its position in the list."""
    items = data.get(key, []) if isinstance(data, dict) else []
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


class _Figure(NamedTuple):
    """The fields of a fact file's item that its figure's text is made of."""

    unit: Any
    scope: Any
    period: Any
    status: Any
    actual: Any
    value: Any
    series: Any


def figure_of(item: dict[str, Any]) -> _Figure:
    """What `explorer.search.fields.figure_text` reads of an item, as its `Fact` holds it."""
    series = {k: _number(v) for k, v in item["series"].items()} if "series" in item else None
    return _Figure(item.get("unit"), item.get("scope"), item.get("period"), item.get("status"),
                   item.get("actual"), _number(item.get("value")), series)  # fmt: skip


def quote_text(item: dict[str, Any]) -> str:
    """A fact item's quote as its `Fact` holds it (spans joined by `GAP`); "" when ill-typed."""
    return GAP.join(_quote(item))


def _quote(item: dict[str, Any]) -> tuple[str, ...]:
    """The spans of a fact's quote (one text, or a list of texts); none when ill-typed."""
    quote = item.get("quote")
    if isinstance(quote, str):
        return (quote,)
    if isinstance(quote, list) and quote and all(isinstance(q, str) for q in quote):
        return tuple(quote)
    return ()


def _texts(item: dict[str, Any], *keys: str) -> bool:
    return all(isinstance(item.get(k), str) for k in keys)


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key, "")
    return value if isinstance(value, str) else ""


_FORMS = {"quote": "neither form: one text, or a list of 2 to 4 texts (spans in source order)"}
"""What a field with several allowed forms may be, in a reader's words."""

_TEXT_FIELDS = ("section", "as_printed", "unit", "qualifier", "period", "metric", "scope", "notes",
                "page", "status", "actual", "review")  # fmt: skip
_TEXT_FIELD_SET = frozenset(_TEXT_FIELDS)


def _well_typed(item: dict[str, Any]) -> bool:
    """True when every field has the type the model needs (the schema said why not)."""
    for key in _TEXT_FIELD_SET.intersection(item):
        if not isinstance(item[key], str):
            return False
    for key in ("value", "upper"):
        value = item.get(key)
        if value is not None and (
            isinstance(value, (bool, Bare)) or not isinstance(value, (int, float))
        ):
            return False
    for key in ("tags", "gri", "related"):
        if key in item and not isinstance(item[key], list):
            return False
    for key in ("tags", "gri"):
        if not all(isinstance(t, str) for t in item.get(key, ())):
            return False
    series = item.get("series")
    if "series" in item and not (
        isinstance(series, dict)
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in series.values())
    ):
        return False
    return all(
        isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("rel"), str)
        for r in item.get("related", ())
    )
