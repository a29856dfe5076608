"""What a question asks for: a kind of quantity, a period, a metric's total.

"How many" asks for a count, "what share" for a percentage, "how much water"
for tons or cubic metres, "in 2019" for that year. The words of the query say
which; each fact's unit, metric and period say what it gives. `Intent.factor`
turns the agreement into a mild multiplier on a candidate's score, so words
still decide what matches and the intent only orders the facts they found.
"""

from __future__ import annotations

import re
from _weakref import ref  # weakref.ref; weakref.py (its finalize, WeakSet) costs a search ~0.5 ms
from collections.abc import Iterable, Sequence
from itertools import compress

from explorer.lazyre import lazy
from explorer.model import Fact, FactBase
from explorer.records import NamedTuple, dataclass, field
from explorer.search.fields import field_values
from explorer.search.index import MEMO_LOCK, SearchIndex
from explorer.search.text import SOFT_WORDS, STOPWORDS, stem

TYPE_CHECKING = False  # typing costs a warm search ~3.5 ms: nothing on its path imports it
if TYPE_CHECKING:
    from typing import Any

COUNT, SHARE, MONEY, ENERGY, EMISSIONS, WATER, MASS = (
    "count", "share", "money", "energy", "emissions", "water", "mass"
)  # fmt: skip
"""Classes of quantity a question can ask for."""

MEASURES = frozenset({MONEY, ENERGY, EMISSIONS, WATER, MASS})
"""What "how much" asks for when the query names none of them."""

KIND_CUES = frozenset({COUNT, SHARE, MONEY})
"""Classes whose cue words name only the kind of figure ("share", "number"), not its
subject: in a question they rank hits but need not match."""

UNIT_BOOST = 0.22
"""Extra share of its score a fact gets for giving the kind of quantity asked for."""

PERIOD_BOOST = 0.12
"""Extra share for covering the year asked for (half of it for a wider period)."""

TOTAL_BOOST = 0.12
"""Extra share for a metric's total whose subject the query names, and nothing more of it."""

# Words that say which class is wanted. A class word stands for itself and
# for the subject it measures: "water" asks for water, "share" for a %.
CUES = {
    COUNT: "number numbers count counts",
    SHARE: "share shares percentage percentages percent proportion proportions fraction",
    MONEY: "money cost costs spend spent spending invest invested investment investments "
    "budget funding fund funds donate donated donation donations cny rmb usd yuan dollars eur",
    ENERGY: "energy electricity power kwh mwh gwh twh gj tj tce",
    EMISSIONS: "emission emissions co2 co2e carbon ghg greenhouse",
    WATER: "water m3",
    MASS: "ton tons tonne tonnes kg weight waste",
}
_CUE = {word: name for name, words in CUES.items() for word in words.split()}

QUESTION_STARTS = frozenset("how what which".split())
"""Words that make a query a question."""

FRAME_VERBS = frozenset(
    "use used uses using consume consumed consumes have has had get got make made employ "
    "employed employs emit emitted emits spend spent produce produced generate generated "
    "save saved reach reached hire hired give gave".split()
)
"""Verbs of a question's frame ("how much water did huawei use"): in a question they
rank hits but need not match, as the question words do; a fact says "water usage"."""

ENTRY_CUES = {
    "acronym": frozenset(
        "acronym acronyms abbreviation abbreviations abbreviated meaning meanings definition "
        "define defined expansion".split()
    ),
    "disclosure": frozenset("gri disclosure disclosures".split()),
}
"""Words that ask for an appendix entry of one kind: "which GRI disclosure", "acronym"."""

ENTRY_FRAMES = {
    "acronym": frozenset("stand stands for mean means meaning full form name short".split()),
    "disclosure": frozenset("cover covers covered covering address addresses".split()),
}
"""Words that frame a question for an entry ("what does CSD stand for"): soft there."""

DATE_WORDS = frozenset("when year years date dates".split())
"""Words that ask for a date."""

DATE_BOOST = 0.15
"""Extra share for a dated fact when the query asks when."""

EMIT_WORDS = frozenset("emit emits emitted emitting".split())
"""Verbs that ask for an amount emitted."""

SAVE_WORDS = frozenset(
    "avoid avoided avoiding save saved saving savings cut cuts reduce reduced reduction reductions "
    "offset offsets".split()
)
"""Words that ask for an amount avoided or saved."""

AVOIDED_DAMP = 0.85
"""Share of its score a metric of avoided or saved amounts keeps when the query asks what was
emitted ("how much co2 did huawei emit")."""

ENTRY_BOOST = 0.6
"""Extra share of its score an entry of the kind asked for gets."""

_PERCENT = lazy(r"\d%")
_AVOIDED = lazy(r"avoid|sav(?:ed|ing)|reduc|offset")
_DATED = lazy(
    r"\b(?:1[89]\d\d|20\d\d)\b|\b(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b"
)
_YEAR = lazy(r"^(19[5-9]\d|20\d\d)$")
_RANGE = lazy(r"^(\d{4})[^/]*/(\d{4})")


@dataclass
class Intent:
    """What one query asks for, read from its words."""

    classes: frozenset[str] = frozenset()
    """Classes of quantity wanted (empty: any)."""
    quantity: bool = False
    """The query asks for a figure ("how many", "how much", a class word)."""
    years: frozenset[str] = frozenset()
    """Years the query names."""
    question: bool = False
    """The query is worded as a question (frame verbs are then soft)."""
    named: frozenset[str] = frozenset()
    """Classes of measure the query names by a word ("co2", "water", "electricity")."""
    totals: frozenset[str] = frozenset()
    """Metric ids ending in ``.total`` whose subject the query names; set by the plan."""
    entry: str = ""
    """The kind of appendix entry asked for ("acronym", "disclosure"), or empty."""
    plain: tuple[str, ...] = ()
    """The query's plain words, as read."""
    date: bool = False
    """The query asks when ("when was it launched", "start year"): dated facts rank higher."""
    emitted: bool = False
    """The query asks what was emitted, used or produced, not what was avoided or saved."""
    _features: dict[tuple[Any, ...], Features] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def active(self) -> bool:
        """Whether the intent can change any score."""
        return bool(
            self.classes or self.years or self.totals or self.entry or self.date or self.emitted
        )

    def bind(self, index: SearchIndex, words: set[str]) -> None:
        """Ready the intent for ranking on ``index``, given the terms the query looks for."""
        rest = [w for w in self.plain if w not in QUESTION_STARTS and w not in STOPWORDS]
        if self.question and not self.entry and len(rest) <= 2 and index.acronyms & set(rest):
            self.entry = "acronym"  # "what is nesas": the question a glossary line answers
        cues = {w for name in self.named & MEASURES for w in CUES[name].split()}
        self.totals = named_totals(index, words | cues)  # "co2" names the ghg total
        if self.active:
            self._features = _features_of(index)

    def factors(self, base: FactBase, rows: Sequence[int]) -> list[float]:
        """Return the multiplier, 1 or more, of each fact numbered in ``rows`` of ``base``.

        What decides it (the unit, metric, tags, period, kind...) is read from the base's
        columns (`explorer.search.fields.field_values`), never by making the facts, and
        worked out once per distinct combination: candidates share a few hundred.
        """
        known = self._features
        if known is None:
            return [1.0] * len(rows)
        values, series, kinds, units, metrics, tags, periods = (
            field_values(base, name, rows) for name in _READ
        )
        blanks = [v is None and not s for v, s in zip(values, series, strict=True)]
        shares = [False] * len(rows)
        if SHARE in self.classes:  # else a statement's shares change no factor: not read
            asked = [at for at in compress(range(len(rows)), blanks) if kinds[at] == "statement"]
            claims = field_values(base, "claim", [rows[at] for at in asked])
            for at, claim in zip(asked, claims, strict=True):
                shares[at] = _PERCENT.search(claim) is not None
        dated = (
            [m is not None for m in map(_DATED.search, field_values(base, "claim", rows))]
            if self.date
            else [False] * len(rows)
        )
        spans = [tuple(s) if s else () for s in series]
        # One key per candidate, made in C; a factor worked out once per distinct key.
        keys = zip(blanks, spans, kinds, units, metrics, tags, periods, shares, dated, strict=True)
        memo = _Factors(self, known)
        return list(map(memo.__getitem__, keys))

    def _factor(self, features: Features, kind: str, dated: bool) -> float:
        """The multiplier for a fact with these features, of this kind, dated or not."""
        unit_class, exact, covered, metric = features
        boost = ENTRY_BOOST if self.entry and kind == self.entry else 0.0
        if unit_class in self.classes:
            boost += UNIT_BOOST
        if self.years:
            if self.years & exact:
                boost += PERIOD_BOOST
            elif self.years & covered:
                boost += PERIOD_BOOST / 2
        if metric and metric in self.totals:
            boost += TOTAL_BOOST
        if dated:
            boost += DATE_BOOST
        if self.emitted and _AVOIDED.search(metric):
            return (1.0 + boost) * AVOIDED_DAMP  # "emit" asks for the emissions, not the savings
        return 1.0 + boost


_READ = ("value", "series", "kind", "unit", "metric", "tags", "period")
"""The fields of a fact `Intent.factors` reads."""


class _Factors(dict[tuple[object, ...], float]):
    """One query's factors by `Intent.factors`' keys, each worked out when first missed."""

    def __init__(self, intent: Intent, known: dict[tuple[Any, ...], Features]) -> None:
        super().__init__()
        self.intent, self.known = intent, known

    def __missing__(self, key: tuple[Any, ...]) -> float:
        fields, dated = key[:-1], key[-1]
        features = self.known.get(fields)
        if features is None:
            features = self.known[fields] = _features(fields)
        factor = self[key] = self.intent._factor(features, key[2], dated)
        return factor


def read_intent(words: list[str]) -> Intent:
    """Read what a query asks for from its plain words (normalised, in order).

    Args:
        words: The query's fuzzy words, as parsed.

    Returns:
        The intent; empty when the words ask for nothing in particular.
    """
    classes: set[str] = set()
    named: set[str] = set()
    quantity = False
    years = frozenset(w for w in words if _YEAR.match(w))
    for a, b in zip(words, [*words[1:], ""], strict=False):
        if a == "how" and b == "many":
            classes.add(COUNT)
            quantity = True
        elif a == "how" and b == "much":
            quantity = True
        elif a in ("total", "amount"):
            quantity = True
    for word in words:
        cue = _CUE.get(word)
        if cue is not None:
            classes.add(cue)
            named.add(cue)
            quantity = quantity or cue in KIND_CUES
    if COUNT in classes and len(classes) > 1 and not _asks_count(words):
        classes.discard(COUNT)  # "number" with "energy": the energy is the figure asked for
    question = bool(words) and words[0] in QUESTION_STARTS
    if quantity and not classes:  # "how much", "total": an amount, not a share
        classes = set(MEASURES) if "much" in words else {COUNT, *MEASURES}
    intent = Intent(frozenset(classes), quantity, years, question, frozenset(named))
    intent.entry = _entry_asked(words, question)
    intent.date = bool(DATE_WORDS & set(words)) and not quantity
    intent.emitted = bool(EMIT_WORDS & set(words)) and not SAVE_WORDS & set(words)
    intent.plain = tuple(words)
    return intent


_ACRONYM_PAIRS = {("stand", "for"), ("stands", "for"), ("full", "form"), ("full", "name"),
                  ("short", "for"), ("spelled", "out"), ("spelt", "out")}  # fmt: skip
"""Word pairs that ask what an acronym stands for ("gesi full form")."""


def _entry_asked(words: list[str], question: bool) -> str:
    """The kind of appendix entry the words ask for, or ""."""
    pairs = zip(words, [*words[1:], ""], strict=False)
    if any((a, b) in _ACRONYM_PAIRS for a, b in pairs):
        return "acronym"
    if question and any(w in ("mean", "means", "meaning") for w in words):
        return "acronym"
    return next((kind for kind, cues in ENTRY_CUES.items() if cues & set(words)), "")


def is_soft(intent: Intent, word: str) -> bool:
    """Whether a question's word frames it rather than says what to find."""
    if intent.entry and (word in ENTRY_FRAMES[intent.entry] or word in ENTRY_CUES[intent.entry]):
        return True
    if intent.date and word in DATE_WORDS:
        return True  # "start year": the year is what is asked for, not a word to match
    if _CUE.get(word) in (COUNT, SHARE):
        return True  # "share of women employees": a % is asked for, "share" need not stand
    return intent.question and (word in FRAME_VERBS or _CUE.get(word) in KIND_CUES)


def _asks_count(words: list[str]) -> bool:
    return any(a == "how" and b == "many" for a, b in zip(words, words[1:], strict=False))


def unit_class(fact: Fact) -> str:
    """Return the class of quantity a fact gives, or "" when it gives none.

    Args:
        fact: The fact; its unit decides, its metric and tags tell water and fuel
            from other tons.
    """
    blank = fact.value is None and not fact.series
    shares = blank and fact.kind == "statement" and _PERCENT.search(fact.claim) is not None
    return _unit_class(blank, shares, fact.unit, fact.metric, fact.tags)


def _unit_class(
    blank: bool, shares: bool, unit: str | None, metric: str | None, tags: tuple[str, ...]
) -> str:
    """`unit_class` from the fields that decide it: ``blank`` when there is no value nor
    series, ``shares`` when such a statement's claim gives a percentage."""
    if blank:
        # A statement of shares it cannot pin to one value ("women at 20.1% to 20.6%").
        return SHARE if shares else ""
    unit = (unit or "").casefold()
    if unit in ("%", "percentage points", "percent"):
        return SHARE
    if "co2" in unit:
        return EMISSIONS
    if any(c in unit.split() for c in ("cny", "usd", "rmb", "eur", "yuan")):
        return MONEY
    last = unit.split()[-1] if unit else ""
    if last.endswith("wh") or last in ("gj", "tj", "tce", "w", "kw", "mw", "gw", "coal"):
        return ENERGY
    metric = (metric or "").casefold()
    if metric.startswith("energy."):  # fuel in tons or cubic metres is energy used
        return ENERGY
    if last in ("m3", "t", "tons", "tonnes", "litres", "liters") and (
        metric.startswith("water") or "water" in tags
    ):
        return WATER
    if last in ("t", "kg", "g", "tons", "tonnes", "m3"):
        return MASS
    return COUNT


class Features(NamedTuple):
    """What of one fact the intent compares."""

    unit_class: str
    exact: frozenset[str]
    """Years its period is (``2020``, ``2020-12``)."""
    covered: frozenset[str]
    """Years a wider period or its table's series covers."""
    metric: str


def _features(key: tuple[Any, ...]) -> Features:
    """The features of a fact from `Intent.factors`' key: whether it has no value nor
    series, its series' periods, kind, unit, metric, tags and period, and whether its
    claim gives shares."""
    blank, series, _kind, unit, metric, tags, period, shares = key
    period = period or ""
    exact: frozenset[str] = frozenset()
    covered: set[str] = set()
    found = _RANGE.match(period)
    if found:
        start, end = int(found[1]), int(found[2])
        if end - start <= 100:
            covered.update(str(y) for y in range(start, end + 1))
    elif period[:4].isdigit():
        exact = frozenset({period[:4]})
    covered.update(k[:4] for k in series)
    return Features(_unit_class(blank, shares, unit, metric, tags), exact, frozenset(covered),
                    metric or "")  # fmt: skip


class _Derived(NamedTuple):
    """What the intent reads from one index, kept for the index's life."""

    owner: ref[SearchIndex]
    features: dict[tuple[Any, ...], Features]
    """The features of each combination of the fields that decide them (`Intent.factors`),
    read as candidates first need them."""
    totals: dict[str, tuple[frozenset[str], frozenset[str]]]
    """Each ``.total`` metric: its subject's stems and its siblings' qualifiers."""
    starts: frozenset[str]
    """The first three letters of every subject stem (a word that can name one)."""


_derived: dict[int, _Derived] = {}
"""By ``id(index)``; not in the index's memo, which holds per-query expansions and is
cleared freely: this is the base's own data, read once."""


def _derived_of(index: SearchIndex) -> _Derived:
    found = _derived.get(id(index))
    if found is not None and found.owner() is index:
        return found
    with MEMO_LOCK:
        found = _derived.get(id(index))
        if found is None or found.owner() is not index:
            totals = _totals(index.tables.metric)
            starts = frozenset(w[:3] for subject, _ in totals.values() for w in subject)
            key = id(index)

            def drop(_gone: ref[SearchIndex]) -> None:
                """Forget the index once it is gone (before its id can be another's)."""
                _derived.pop(key, None)

            found = _Derived(ref(index, drop), {}, totals, starts)
            _derived[key] = found
    return found


def _features_of(index: SearchIndex) -> dict[tuple[Any, ...], Features]:
    """The base's features, by the fields that decide them, as candidates need them."""
    return _derived_of(index).features


def named_totals(index: SearchIndex, words: set[str]) -> frozenset[str]:
    """Return the ``.total`` metrics whose subject the query names, and no qualifier of it.

    ``employees`` names ``employees.total``; ``r&d employees`` does not, because
    ``rd`` qualifies a sibling metric (``employees.rd.total``), nor does ``scope 2
    emissions`` name ``ghg.total`` (``ghg.scope2``).

    Args:
        index: The base's index.
        words: The index terms the query looks for, synonyms included.
    """
    derived = _derived_of(index)
    if not derived.totals or not words:
        return frozenset()
    # Most queries name no subject of a total: look at the few words that could.
    near = {stem(w) for w in words if w[:3] in derived.starts}
    named = [m for m, (subject, _) in derived.totals.items() if subject <= near]
    if not named:
        return frozenset()
    stems = {stem(w) for w in words}
    return frozenset(m for m in named if not any(_names(q, stems) for q in derived.totals[m][1]))


def _totals(metrics: Iterable[str]) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Each ``.total`` metric: the stems of its subject, and the words qualifying its siblings."""
    metrics = list(metrics)
    out = {}
    for metric in metrics:
        if metric.endswith(".total"):
            head = metric[: -len("total")]
            subject = frozenset(stem(p) for p in _segments(head))
            qualifiers = {
                p for m in metrics if m.startswith(head) and m != metric for p in _segments(m)
            }
            out[metric] = (
                subject,
                frozenset(q for q in qualifiers if stem(q) not in subject and q not in SOFT_WORDS),
            )
    return out


def _segments(metric: str) -> list[str]:
    return [p for p in re.split(r"[.\-_]", metric.casefold()) if p]


def _names(qualifier: str, stems: set[str]) -> bool:
    """Whether the query's words name a qualifier (``scope`` names ``scope2``)."""
    return stem(qualifier) in stems or any(
        len(w) >= 3 and not w.isdigit() and qualifier.startswith(w) for w in stems
    )
