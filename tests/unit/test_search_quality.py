"""Search quality on the real bundled base: the engine against two baselines.

Each case is a query a reader might type and the fact that must come back in
the first five. The suite prints recall@1, recall@5 and MRR for the engine,
for rapidfuzz's WRatio over the claims and for ``fzf --filter`` over the same
claim lines, and asserts the engine reaches 95% recall@5 and beats both.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest
from rapidfuzz import fuzz, process, utils

from explorer import FactBase, open_factbase
from explorer.search import search
from tests.conftest import FACTS
from tests.unit.test_search_suite import fzf_ranker

DEPTH = 20
"""Results looked at for MRR (a fact further down counts 0)."""

PLAIN = [
    ("employees 2020", "profile-employees-total-2020"),
    ("total greenhouse gas emissions", "env-ghg-total-2020"),
    ("scope 1 emissions", "env-ghg-scope1-2020"),
    ("scope 2 emissions", "env-ghg-scope2-2020"),
    ("water usage china", "env-water-2020"),
    ("active patents", "mgmt-progress-active-patents"),
    ("patent families", "mgmt-progress-patent-families"),
    ("charitable activities", "eco-charitable-activities-2020"),
    ("seeds for the future students 2020", "eco-seeds-2020-students"),
    ("transparency centers", "sec-transparency-centers"),
    ("bug bounty", "sec-bug-bounty"),
    ("storysign books", "incl-edu-storysign-books"),
    ("digitruck kenya villages", "incl-edu-digitruck-villages"),
    ("ruralstar people remote areas", "profile-csd-ruralstar-people-50m"),
    ("liquid cooling pue", "env-liquid-cooling-pue"),
    ("jakarta flood boats", "sec-jakarta-boats"),
    ("elazig earthquake trucks", "sec-turkey-emergency-trucks"),
    ("bioplastics castor oil", "env-bioplastics-castor-oil"),
    ("mate 40 packaging paper", "env-mate40-paper-saved"),
    ("gold recovered recycling phones", "env-phone-recycling-gold"),
    ("landfill rate", "env-landfill-rate-2020"),
    ("optixstar households", "env-optixstar-households"),
    ("chengdu hydropower", "env-chengdu-hydropower"),
    ("employee clubs", "eco-employee-clubs"),
    ("average training hours", "eco-training-hours-average"),
    ("face-to-face training courses", "eco-training-f2f-courses"),
    ("conflict minerals survey", "eco-minerals-survey-customers"),
    ("tech4her scholarships ireland", "eco-tech4her-ireland-scholarships"),
    ("women internet use", "eco-itu-women-internet-use"),
    ("founded 1987", "profile-founded-1987"),
    ("rotating chairman", "profile-rotating-chairmen-3"),
    ("harmonyos open source", "moment-15-open-source"),
    ("highest 5g base station himalayas", "moment-05-base-station-altitude"),
    ("flagship store shanghai", "moment-11-flagship-store-area"),
    ("coconut tree microwave", "moment-02-coconut-connection"),
    ("employees left to join honor", "moment-18-employees-to-honor"),
    ("hcie certified engineers", "incl-edu-hcie-engineers"),
    ("learn anytime online lessons", "incl-edu-learn-anytime-lessons"),
    ("digischool senegal teachers trained", "incl-edu-digischool-senegal-teachers"),
    ("amur tigers", "incl-nat-amur-tigers-count"),
    ("palawan rainforest hectares", "incl-nat-palawan-loss-hectares"),
    ("cdp climate a list", "profile-award-cdp-climate-a-list"),
    ("top employer europe", "profile-award-top-employer-europe-2020"),
    ("powerstar sites china", "profile-chair-powerstar-sites-china"),
    ("bureau veritas level of assurance", "assure-level"),
    ("report contact email", "profile-report-contact"),
]

OTHER_WORDS = [
    ("how many staff", "profile-employees-total-2020"),
    ("photovoltaic campuses generation 2020", "env-campus-pv-2020"),
    ("charity events 2020", "eco-charitable-activities-2020"),
    ("carbon dioxide per million rmb revenue", "env-ghg-intensity-2020"),
    ("overseas workforce hired locally", "profile-csd-local-hire-share-69"),
    ("kids hearing loss", "incl-edu-who-children-hearing-loss"),
    ("elderly smartphones guide", "incl-hea-spring-festival-guide"),
    ("coronavirus counseling employees", "eco-covid-counseling"),
    ("ppe batches shipped", "profile-csd-ppe-batches-620"),
    ("electronic waste recycling stations", "env-device-ewaste-processed"),
    ("cybersecurity patents", "sec-cybersec-patents-granted"),
    ("data centre share of global electricity", "env-datacenter-global-share"),
    ("electric cars charging airport", "env-hicharger-enneagon"),
    ("labour standards training", "goal-16-labor-standards-training"),
    ("programme for women kenya", "eco-kenya-with-launch"),
    ("net zero commitments", "mgmt-risk-carbon-neutrality"),
    ("renewables overtake coal", "mgmt-risk-iea-renewables"),
    ("green power purchased 2020", "env-clean-electricity-2020"),
    ("vendors data processing agreements", "sec-suppliers-dpa-signed"),
    ("incidents rectified within an hour target", "goal-06-incidents-rectified-within-hour"),
]

TYPOS = [
    ("emplyees 2020", "profile-employees-total-2020"),
    ("total emmissions 2020", "env-ghg-total-2020"),
    ("transparancy centers", "sec-transparency-centers"),
    ("bioplastcs used", "env-bioplastics-used"),
    ("huoshenshan field hosptial", "moment-01-race-against-time"),
    ("charitabel activities", "eco-charitable-activities-2020"),
    ("active patnets", "mgmt-progress-active-patents"),
    ("storysing books", "incl-edu-storysign-books"),
    ("rainforest conection", "profile-chair-rfcx-partnership"),
    ("liquid coolng pue", "env-liquid-cooling-pue"),
    ("seeds for the futrue guinea", "eco-seeds-guinea-launch"),
    ("defibrilators", "eco-china-aeds"),
    ("accesibility functions", "mgmt-progress-accessibility-functions"),
    ("jakrta flood teams", "sec-jakarta-teams"),
    ("earthqake aftershocks", "sec-turkey-aftershocks"),
    ("optixstar housholds", "env-optixstar-households"),
]

TABLES = [
    ("natural gas consumption 2018", "env-energy-natural-gas-table"),
    ("gasoline 2017", "env-energy-gasoline-table"),
    ("diesel consumption 2016", "env-energy-diesel-table"),
    ("electricity consumption china 2019", "env-energy-electricity-china-table"),
    ("overseas electricity 2019", "env-energy-electricity-overseas-table"),
    ("steam consumption 2018", "env-energy-steam-table"),
    ("water usage 2019", "env-water-table"),
    ("ghg intensity 2012", "env-ghg-intensity-table"),
    ("supplier csr audits 2016", "eco-supplier-audits-table"),
    ("landfill 2017", "env-landfill-table"),
]

ACRONYMS = [
    ("csd committee members", "mgmt-csd-members"),
    ("corporate sustainable development committee chair", "mgmt-csd-chair"),
    ("environment occupational health and safety management", "mgmt-csd-function-ehs"),
    ("occupational health and safety training labs", "eco-rd-lab-ehs-training"),
    ("authorized economic operator certificates", "sec-aeo-certificates"),
    ("aeo countries", "sec-aeo-countries"),
    ("life cycle assessment methodology", "env-lca-methodology"),
    ("pue icooling", "env-icooling-pue-reduction"),
    ("gtac", "sec-tac-global"),
    ("world health organization over 60", "incl-hea-who-over60-2000"),
    ("who hearing loss", "incl-edu-who-children-hearing-loss"),
    ("international union for conservation of nature protected areas",
     "profile-chair-tech4nature-300-areas"),
    ("international telecommunication union internet access", "incl-itu-unconnected-half"),
    ("nesas 5g vendor", "sec-nesas-first-5g-vendor"),
]  # fmt: skip

NUMBERS = [
    ("197000 employees", "profile-employees-total-2020"),
    ("197 000", "profile-employees-total-2020"),
    ("1,550 million kwh", "env-clean-electricity-2020"),
    ("2285458", "env-ghg-total-2020"),
    ("0.22 billion kwh renewable", "env-renewable-electricity-china-2020"),
    ("12,600,000 kwh", "profile-chair-campus-pv-12-6m"),
    ("325000000000 kwh", "profile-chair-digital-power-renewable-325bn"),
    ("4500 tons e-waste", "env-device-ewaste-processed"),
    ("50,000,000 students", "incl-edu-learn-anytime-students"),
    ("3 billion people served", "profile-people-served-2020"),
    ("2 million ict professionals", "incl-edu-ict-academy-2m-target"),
]

CASES = PLAIN + OTHER_WORDS + TYPOS + TABLES + ACRONYMS + NUMBERS
"""Every (query, expected fact id) case."""

Ranker = Callable[[str], list[str]]


@pytest.fixture(scope="module")
def base() -> FactBase:
    return open_factbase(FACTS)


def test_the_cases_cover_every_kind_of_query() -> None:
    assert len(CASES) >= 80
    assert len({q for q, _ in CASES}) == len(CASES), "a query is listed twice"
    assert all(len(group) >= 5 for group in (PLAIN, OTHER_WORDS, TYPOS, TABLES, NUMBERS))


def test_every_expected_fact_exists(base: FactBase) -> None:
    missing = [fact_id for _q, fact_id in CASES if base.get(fact_id) is None]
    assert not missing, f"ids no longer in the base: {missing}"


def test_the_engine_finds_the_right_fact_and_beats_both_baselines(
    base: FactBase, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = measure(lambda q: [h.fact.id for h in search(base, q, DEPTH).hits])
    wratio = measure(wratio_ranker(base))
    rankers = {"engine": engine, "rapidfuzz WRatio": wratio}
    if shutil.which("fzf"):
        rankers["fzf --filter"] = measure(fzf_ranker(base, lambda b, i: b.facts[i].claim))
    missed = engine[3]
    with capsys.disabled():  # the table is the point of this test: always show it
        print(
            f"\n{'ranker':<18} {'recall@1':>9} {'recall@5':>9} {'MRR':>7}  ({len(CASES)} queries)"
        )
        for name, (r1, r5, mrr, _missed) in rankers.items():
            print(f"{name:<18} {r1:>9.3f} {r5:>9.3f} {mrr:>7.3f}")
        print("engine misses (not in top 5):", ", ".join(missed) or "none")
    assert engine[1] >= 0.95, f"recall@5 {engine[1]:.3f}; missed {missed}"
    for name, scores in rankers.items():
        if name != "engine":
            assert engine[1] > scores[1] and engine[2] > scores[2], f"{name} is as good"
    if "fzf --filter" not in rankers:
        pytest.skip("fzf is not installed: compared with rapidfuzz only")


def measure(ranker: Ranker) -> tuple[float, float, float, list[str]]:
    """Return recall@1, recall@5, MRR and the queries missed at 5."""
    at1 = at5 = reciprocal = 0.0
    missed = []
    for query, expected in CASES:
        ranked = ranker(query)[:DEPTH]
        rank = ranked.index(expected) + 1 if expected in ranked else 0
        at1 += rank == 1
        at5 += 0 < rank <= 5
        reciprocal += 1 / rank if rank else 0.0
        if not 0 < rank <= 5:
            missed.append(f"{query!r} (rank {rank or '-'})")
    n = len(CASES)
    return at1 / n, at5 / n, reciprocal / n, missed


def wratio_ranker(base: FactBase) -> Ranker:
    """Baseline: rapidfuzz WRatio of the query against every claim."""
    claims = [f.claim for f in base.facts]
    ids = [f.id for f in base.facts]

    def rank(query: str) -> list[str]:
        found = process.extract(
            query, claims, scorer=fuzz.WRatio, processor=utils.default_process, limit=DEPTH
        )
        return [ids[index] for _claim, _score, index in found]

    return rank
