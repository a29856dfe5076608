"""The facts a reader wants next, and every contradiction in the base.

Indexes by metric, section, tag and link are built once per base, on first
use, and kept in the base's cache; after that a call touches only the facts
that share something with the one asked about.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process, utils

from explorer.records import dataclass, field
from explorer.related.compare import Verdict, compare, metric_key
from explorer.related.measure import period_key

if TYPE_CHECKING:
    from explorer.model import Fact, FactBase

RELATIONS = (
    "conflicts", "supports", "target-of", "breakdown-of", "part-of", "same-metric",
    "see-also", "cited-by", "same-section", "shared-topic", "similar",
)  # fmt: skip
"""Every relation `related` reports, strongest first."""

CURATED = {
    "part-of": ("this fact is part of it", "part of this fact"),
    "breakdown-of": ("this fact breaks it down", "breaks this fact down"),
    "target-of": ("linked as target and result", "linked as target and result"),
    "supports": ("linked as agreeing", "linked as agreeing"),
    "conflicts": ("marked as conflicting by the curators", "marked as conflicting by the curators"),
    "same-metric": ("same metric", "same metric"),
    "see-also": ("linked by the curators", "linked by the curators"),
    "cited-by": ("cites this GRI disclosure", "the GRI disclosure it cites"),
}
"""A curated relation's reason, (written on this fact, written on the other)."""

NEIGHBOURS = 2
"""Facts taken on each side of a fact in its section."""

SIMILAR_CUTOFF = 60.0
"""The least rapidfuzz token-set score that counts as similar wording."""


@dataclass(frozen=True, slots=True)
class Related:
    """A fact related to the one being read, how, and why."""

    fact: Fact
    """The related fact."""
    rel: str
    """One of `RELATIONS`."""
    reason: str
    """A short phrase for a reader: "same metric, 2019"."""


@dataclass
class Index:
    """Lookups built once per base (plain dicts once built: reads never add keys)."""

    position: dict[str, int] = field(default_factory=dict)
    """Each fact's place in base order."""
    by_metric: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))
    """Facts by `metric_key` of their metric, in base order."""
    by_section: dict[tuple[str, str], list[Fact]] = field(default_factory=lambda: defaultdict(list))
    """Facts by (chapter, section), in base order."""
    by_topic: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))
    """Facts by ``tag:x`` and ``gri:305-1`` keys."""
    weight: dict[str, float] = field(default_factory=dict)
    """How much sharing a topic says: rare tags weigh more."""
    links: dict[str, list[tuple[str, str, bool]]] = field(default_factory=lambda: defaultdict(list))
    """Curated links of each fact, both ways: (other id, rel, written on this fact)."""
    texts: list[str] = field(default_factory=list)
    """Each fact's claim, processed for rapidfuzz, in base order."""
    conflicts: list[tuple[Fact, Fact, str]] | None = None
    """Every conflicting pair, once `conflicts` has been asked for."""


def index(base: FactBase) -> Index:
    """Return the base's index, building it on first use."""
    cache = base._related_cache
    found = cache.get("related.index")
    if isinstance(found, Index):
        return found
    built = Index()
    for number, fact in enumerate(base.facts):
        built.position[fact.id] = number
        if fact.metric:
            built.by_metric[metric_key(fact.metric)].append(fact)
        if fact.section:
            built.by_section[fact.chapter, fact.section].append(fact)
        for topic in topics(fact):
            built.by_topic[topic].append(fact)
        for link in fact.related:
            if link.id != fact.id and base.get(link.id) is not None:
                built.links[fact.id].append((link.id, link.rel, True))
                built.links[link.id].append((fact.id, link.rel, False))
        built.texts.append(utils.default_process(fact.claim))
    total = max(len(base.facts), 1)
    built.weight = {t: math.log(1 + total / len(fs)) for t, fs in built.by_topic.items()}
    built.by_metric, built.by_section = dict(built.by_metric), dict(built.by_section)
    built.by_topic, built.links = dict(built.by_topic), dict(built.links)
    cache["related.index"] = built
    return built


def topics(fact: Fact) -> list[str]:
    """A fact's tags and GRI codes, as index keys."""
    return [f"tag:{t}" for t in fact.tags] + [f"gri:{g}" for g in fact.gri]


def related(base: FactBase, fact_id: str, limit: int = 10) -> list[Related]:
    """Return the facts related to one, strongest links first, each once.

    Curated links come first (written on either fact), then the same metric
    (conflicts, agreement, targets, then other periods in order), neighbours
    in the section, shared tags and GRI codes, and similar wording.

    Args:
        base: The fact base.
        fact_id: The fact's id.
        limit: The most related facts to return.

    Raises:
        KeyError: No fact has this id.
    """
    fact = base.get(fact_id)
    if fact is None:
        raise KeyError(fact_id)
    if limit <= 0:
        return []
    idx = index(base)
    verdicts = {o.id: compare(base, fact, o) for o in _same_metric(idx, fact)}
    out: dict[str, Related] = {fact.id: Related(fact, "", "")}
    curated: dict[str, Related] = {}
    for other_id, rel, mine in sorted(idx.links.get(fact.id, ()), key=_strength):
        if other_id not in curated:  # the strongest link between the two
            other = _get(base, other_id)
            curated[other_id] = _curated(fact, other, rel, mine, verdicts.get(other_id))
    for item in sorted(curated.values(), key=lambda item: RELATIONS.index(item.rel)):
        out[item.fact.id] = item
    ranked = sorted(
        verdicts.items(),
        key=lambda kv: (
            RELATIONS.index(kv[1].rel),
            period_key(_get(base, kv[0]).period),
            idx.position[kv[0]],
        ),
    )
    for other_id, verdict in ranked:
        out.setdefault(other_id, Related(_get(base, other_id), verdict.rel, verdict.reason))
    for filler in (_neighbours, _shared_topics, _similar):
        if len(out) > limit:
            break
        for item in filler(base, idx, fact, limit + 1):
            out.setdefault(item.fact.id, item)
    del out[fact.id]
    return list(out.values())[:limit]


def conflicts(base: FactBase) -> list[tuple[Fact, Fact, str]]:
    """Return every pair of conflicting facts once, in base order, with the reason.

    Pairs come from the rules (same metric, period and scope; printed values
    that cannot both hold) and from curated ``conflicts`` links.
    """
    idx = index(base)
    if idx.conflicts is not None:
        return list(idx.conflicts)
    pairs: dict[tuple[str, str], tuple[Fact, Fact, str]] = {}
    for group in idx.by_metric.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                verdict = compare(base, a, b)
                if verdict.rel == "conflicts":
                    pairs[a.id, b.id] = (a, b, verdict.reason)
    for fact_id, links in idx.links.items():
        for other_id, rel, _ in links:
            first, second = sorted((fact_id, other_id), key=idx.position.__getitem__)
            if rel == "conflicts" and (first, second) not in pairs:
                fa, fb = _get(base, first), _get(base, second)
                reason = CURATED["conflicts"][0]
                if fa.metric and fb.metric and metric_key(fa.metric) == metric_key(fb.metric):
                    reason += f"; {compare(base, fa, fb).reason}"
                pairs[first, second] = (fa, fb, reason)
    idx.conflicts = sorted(
        pairs.values(), key=lambda p: (idx.position[p[0].id], idx.position[p[1].id])
    )
    return list(idx.conflicts)


def _strength(link: tuple[str, str, bool]) -> int:
    return RELATIONS.index(link[1]) if link[1] in RELATIONS else len(RELATIONS)


def _get(base: FactBase, fact_id: str) -> Fact:
    fact = base.get(fact_id)
    assert fact is not None
    return fact


def _same_metric(idx: Index, fact: Fact) -> list[Fact]:
    if not fact.metric:
        return []
    return [o for o in idx.by_metric.get(metric_key(fact.metric), ()) if o.id != fact.id]


def _curated(fact: Fact, other: Fact, rel: str, mine: bool, derived: Verdict | None) -> Related:
    """A curated link, sharpened by what the figures say.

    A contradiction in the figures always shows; a ``see-also`` or
    ``same-metric`` link takes the relation the figures give.
    """
    if derived is not None and derived.rel == "conflicts":
        return Related(other, "conflicts", derived.reason)
    if derived is not None and rel in ("see-also", "same-metric"):
        return Related(other, derived.rel, derived.reason)
    if derived is not None and derived.rel == rel:
        return Related(other, rel, derived.reason)
    reason = CURATED.get(rel, ("linked by the curators",) * 2)[0 if mine else 1]
    if rel == "see-also":
        shared = [t for t in topics(fact) if t in set(topics(other))]
        if (fact.chapter, fact.section) == (other.chapter, other.section) and fact.section:
            reason += "; same section"
        elif shared:
            reason += "; shared " + _topic_reason(shared)
    return Related(other, rel, reason)


def _neighbours(base: FactBase, idx: Index, fact: Fact, limit: int) -> list[Related]:
    section = idx.by_section.get((fact.chapter, fact.section), [])
    here = next((i for i, o in enumerate(section) if o.id == fact.id), None)
    if here is None:
        return []
    near = section[max(here - NEIGHBOURS, 0) : here] + section[here + 1 : here + 1 + NEIGHBOURS]
    near.sort(key=lambda o: abs(idx.position[o.id] - idx.position[fact.id]))
    return [Related(o, "same-section", fact.section) for o in near]


def _shared_topics(base: FactBase, idx: Index, fact: Fact, limit: int) -> list[Related]:
    scores: dict[str, float] = defaultdict(float)
    shared: dict[str, list[str]] = defaultdict(list)
    for topic in sorted(dict.fromkeys(topics(fact)), key=lambda t: -idx.weight[t]):
        for other in idx.by_topic[topic]:
            if other.id != fact.id:
                scores[other.id] += idx.weight[topic]
                shared[other.id].append(topic)
    best = sorted(scores, key=lambda i: (-scores[i], idx.position[i]))[:limit]
    return [Related(_get(base, i), "shared-topic", _topic_reason(shared[i])) for i in best]


def _topic_reason(shared: list[str]) -> str:
    tags = [t[4:] for t in shared if t.startswith("tag:")][:3]
    gri = [t[4:] for t in shared if t.startswith("gri:")][:3]
    parts = [f"tags {', '.join(tags)}" if len(tags) > 1 else f"tag {tags[0]}"] if tags else []
    parts += [f"GRI {', '.join(gri)}"] if gri else []
    return "; ".join(parts)


def _similar(base: FactBase, idx: Index, fact: Fact, limit: int) -> list[Related]:
    query = idx.texts[idx.position[fact.id]]
    matches = process.extract(
        query, idx.texts, scorer=fuzz.token_set_ratio, processor=None,
        limit=limit + 1, score_cutoff=SIMILAR_CUTOFF,
    )  # fmt: skip
    return [
        Related(base.facts[i], "similar", f"wording {score:.0f}% alike")
        for _, score, i in matches
        if base.facts[i].id != fact.id
    ]
