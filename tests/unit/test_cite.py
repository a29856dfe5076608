"""Citation styles: golden files on real facts, real parsers, the schema, the CLI and config.

Regenerate the golden files after a deliberate change (and read the diff):
``UPDATE_GOLDEN=1 pytest tests/unit/test_cite.py``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser import middlewares

from explorer import open_factbase
from explorer.cite import STYLES, UnknownStyle, bibliography, cite, locate
from explorer.citeformats import md
from explorer.cli import main
from explorer.config import ENV_CONFIG, ConfigError, load_config
from explorer.model import FactBase
from tests.conftest import FACTS, REPO, make_base
from tests.conftest import golden as kept

GOLDEN = Path(__file__).parent / "golden"
CSL_SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.json").read_text("utf-8"))
CSL_CITATION_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "csl-citation.json").read_text("utf-8")
)
REAL = {
    "figure": "env-ghg-intensity-2020",  # Chapter 4, a report figure
    "page": "incl-bal-ruralstar-ghana-cost",  # Chapter 2, with a printed page
    "table": "env-ghg-intensity-table",  # a `table` fact with a series
    "moment": "moment-01-race-against-time",  # the 20 Moments post
}
EXT = {"plain": "txt", "markdown": "md", "apa": "txt", "mla": "txt", "chicago": "txt",
       "bibtex": "bib", "ris": "ris", "csl-json": "json"}  # fmt: skip


@pytest.fixture(scope="module")
def base() -> FactBase:
    return open_factbase(FACTS)


def golden(style: str, name: str, text: str) -> str:
    return kept(GOLDEN / style / f"{name}.{EXT[style]}", text)


def test_styles_are_the_eight_in_order() -> None:
    assert list(STYLES) == ["plain", "markdown", "apa", "mla", "chicago", "bibtex", "ris",
                            "csl-json"]  # fmt: skip


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("kind", REAL)
def test_citation_matches_its_golden_file(base: FactBase, style: str, kind: str) -> None:
    fact = base.get(REAL[kind])
    assert fact is not None, f"{REAL[kind]} is gone from the base: pick another real fact"
    text = cite(base, fact, style)
    assert text == golden(style, REAL[kind], text), "changed on purpose? UPDATE_GOLDEN=1"


@pytest.mark.parametrize("style", STYLES)
def test_bibliography_matches_its_golden_file(base: FactBase, style: str) -> None:
    facts = [base.get(i) for i in REAL.values()]
    text = bibliography(base, [f for f in facts if f], style)
    assert text == golden(style, "bibliography", text), "changed on purpose? UPDATE_GOLDEN=1"


def test_every_fact_has_a_locator_in_every_style(base: FactBase) -> None:
    for fact in base.facts:
        where = locate(base, fact)
        assert where.long(), fact.id
        for style in STYLES:
            text = cite(base, fact, style)
            if where.page:  # a range may be set with an en dash: "pp. 69–73"
                pages = (where.page, where.page.replace("-", "\u2013"))
                assert any(p in text for p in pages), (fact.id, style)
            if where.section and style not in ("csl-json",):
                assert where.section.replace("&", r"\&") in text or where.section in text


def test_report_is_dated_by_publication_not_by_reporting_period(base: FactBase) -> None:
    fact = base.get(REAL["figure"])
    assert fact is not None
    assert "(2021)." in cite(base, fact, "apa")
    assert "July 2021" in cite(base, fact, "mla")
    assert "Ltd. 2021." in cite(base, fact, "chicago")
    assert "published July 2021; reporting period 2020" in cite(base, fact, "plain")
    assert "PY  - 2021\nDA  - 2021/07//" in cite(base, fact, "ris")
    assert json.loads(cite(base, fact, "csl-json"))[0]["issued"] == {"date-parts": [[2021, 7]]}


def test_bibliography_names_each_source_once_and_drops_repeats(base: FactBase) -> None:
    a, b = base.get("env-ghg-intensity-2020"), base.get("env-ghg-intensity-table")
    assert a and b
    text = bibliography(base, [a, b, a], "apa")
    assert text.count("(2021). 2020 sustainability report.") == 1
    assert text.count("\u201cIn 2020, our carbon emissions") == 1
    assert text.count("Intensity of GHG emissions") == 1


def test_bibtex_of_the_whole_base_parses_with_one_entry_per_source(base: FactBase) -> None:
    library = bibtexparser.parse_string(bibliography(base, base.facts, "bibtex"))
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == ["huawei2021sustainability", "huawei2020moments"]
    assert len(library.comments) == len(base.facts)


def test_bibtex_keeps_the_corporate_author_as_one_name(base: FactBase) -> None:
    fact = base.get(REAL["table"])
    assert fact is not None
    layers = [middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    library = bibtexparser.parse_string(cite(base, fact, "bibtex"), append_middleware=layers)
    (entry,) = library.entries
    assert entry.entry_type == "techreport" and entry["year"] == "2021"
    (author,) = entry["author"]
    assert author.last == ["{Huawei Investment \\& Holding Co., Ltd.}"] and author.first == []
    assert "Chapter 4 ``Environmental Protection'', section ``Reducing Carbon Emissions''" in (
        library.comments[0].comment
    )


def test_bibtex_escapes_hostile_text(tmp_path: Path) -> None:
    hostile = 'Costs {were} 5% & $3_000 #1 ~ ^ \\\\ at mail@example.com "}" for @misc{x,'
    fact_file = f"""\
        source: "report"
        chapter: "ch4"
        facts:
          - id: "hostile"
            kind: "statement"
            claim: "A hostile claim."
            quote: '{hostile.replace("'", "''")}'
            section: "Reducing Carbon Emissions"
            assurance: "assured"
        """
    base = open_factbase(make_base(tmp_path / "facts", {"report/ch4.yaml": fact_file}))
    fact = base.get("hostile")
    assert fact is not None
    library = bibtexparser.parse_string(cite(base, fact, "bibtex"))
    assert library.failed_blocks == [] and len(library.entries) == 1
    assert "@" not in library.comments[0].comment


def test_ris_parses_with_rispy_and_keeps_the_locator(base: FactBase) -> None:
    records = rispy.loads(bibliography(base, base.facts, "ris"))
    assert [r["type_of_reference"] for r in records] == ["RPRT", "ELEC"]
    report, post = records
    assert report["authors"] == ["Huawei Investment & Holding Co. Ltd."]
    assert report["publisher"] == "Huawei Investment & Holding Co., Ltd."  # as printed
    assert report["year"] == "2021" and post["year"] == "2020"
    assert any(n.startswith("incl-bal-ruralstar-ghana-cost: Chapter 2") and "p. 41" in n
               for n in report["notes"])  # fmt: skip


def zotero_ris_name(value: str) -> dict[str, str | int]:
    """How Zotero's RIS importer (translators/RIS.js) reads an ``AU`` line."""
    last = re.split(r"\s*,\s*", value)[0]
    first = re.sub(r"^\s*,\s*", "", value[len(last) :])
    return {"lastName": last, "firstName": first} if first else {"lastName": last, "fieldMode": 1}


def test_ris_round_trips_the_corporate_author_as_one_name(base: FactBase) -> None:
    text = bibliography(base, base.facts, "ris")
    for record in rispy.loads(text):
        (author,) = record["authors"]
        assert zotero_ris_name(author) == {"lastName": author, "fieldMode": 1}
        assert rispy.loads(rispy.dumps([record]))[0]["authors"] == [author]
    # a name with a comma is what Zotero split: "Huawei Investment & Holding Co." / "Ltd."
    assert zotero_ris_name("Huawei Investment & Holding Co., Ltd.")["firstName"] == "Ltd."


def test_bibtex_prints_no_field_twice_in_pybtex(base: FactBase) -> None:
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    text = bibliography(base, [base.get(i) for i in REAL.values()], "bibtex")  # type: ignore[misc]
    style = find_plugin("pybtex.style.formatting", "unsrt")()
    entries = parse_string(text, "bibtex").entries
    rendered = {e.key: e.text.render_as("text") for e in style.format_entries(entries.values())}
    post, report = rendered["huawei2020moments"], rendered["huawei2021sustainability"]
    for source, shown in ((base.sources["moments"], post), (base.sources["report"], report)):
        assert shown.count(source.url) == 1, shown
        assert shown.count("Reporting period: 2020") == 1
        assert source.publisher in shown  # publisher printed (not in an ignored field)
    assert post.startswith("Huawei. 20 Moments of 2020. Huawei Technologies Co., Ltd., December")


def test_bibtex_entries_have_each_field_once_in_bibtexparser(base: FactBase) -> None:
    library = bibtexparser.parse_string(bibliography(base, base.facts, "bibtex"))
    assert library.failed_blocks == []
    post = library.entries_dict["huawei2020moments"]
    assert post.entry_type == "misc" and "organization" not in post.fields_dict
    assert post["howpublished"] == "Huawei Technologies Co., Ltd."
    for entry in library.entries:
        names = [f.key for f in entry.fields]
        assert len(names) == len(set(names)), names
        values = [f.value for f in entry.fields]
        assert sum(entry["url"] in v for v in values) == 1  # the address once


def test_csl_json_validates_against_the_csl_data_schema(base: FactBase) -> None:
    validator = jsonschema.Draft7Validator(CSL_SCHEMA)
    for fact_id in REAL.values():
        fact = base.get(fact_id)
        assert fact is not None
        validator.validate(json.loads(cite(base, fact, "csl-json")))
    validator.validate(json.loads(bibliography(base, base.facts, "csl-json")))


def test_csl_json_carries_locator_and_label(base: FactBase) -> None:
    fact = base.get(REAL["page"])
    assert fact is not None
    (item,) = json.loads(cite(base, fact, "csl-json"))
    assert item["type"] == "report" and item["author"] == [{"literal": fact_author(base)}]
    assert item["locator"] == "41"
    (entry,) = item["custom"]["facts"]
    assert (entry["locator"], entry["label"], entry["page"]) == ("41", "page", "41")
    assert entry["section"] == "Driving Balanced Development" and entry["chapter"] == "Chapter 2"


def test_csl_json_puts_locator_and_label_in_a_csl_citation_item(base: FactBase) -> None:
    validator = jsonschema.Draft7Validator(CSL_CITATION_SCHEMA)
    for item in json.loads(bibliography(base, base.facts, "csl-json")):
        for entry in item["custom"]["facts"]:
            citation = entry["citation"]
            validator.validate(citation)
            (cited,) = citation["citationItems"]
            assert cited == {"id": item["id"], "locator": entry["locator"], "label": entry["label"]}


def test_csl_json_titles_are_in_sentence_case(base: FactBase) -> None:
    items = json.loads(bibliography(base, base.facts, "csl-json"))
    assert [i["title"] for i in items] == ["2020 sustainability report", "20 moments of 2020"]


def test_the_moment_is_section_1_in_every_style(base: FactBase) -> None:
    fact = base.get(REAL["moment"])
    assert fact is not None
    says = {"plain": "section 1", "markdown": "section 1", "apa": "(Huawei, 2020, Section 1)",
            "mla": "(Huawei, sec. 1)", "chicago": "(Huawei 2020, sec. 1)",
            "bibtex": "\\cite[{section 1}]", "ris": "section 1."}  # fmt: skip
    for style, said in says.items():
        text = cite(base, fact, style)
        assert said in text and "item" not in text, style
    (entry,) = json.loads(cite(base, fact, "csl-json"))[0]["custom"]["facts"]
    assert (entry["locator"], entry["label"], entry["section"]) == ("1", "section", "1")


def test_chicago_ends_every_entry_with_a_period(base: FactBase) -> None:
    urls = {s.url for s in base.sources.values()}
    for block in bibliography(base, base.facts, "chicago").split("\n\n"):
        reference = block.split("\n")[0]
        assert any(reference.endswith(f" {url}.") for url in urls), reference


def fact_author(base: FactBase) -> str:
    return base.sources["report"].author


def test_markdown_shows_user_text_as_written() -> None:
    assert md("[TODO] *x* _y_ <b> `c` #1") == r"\[TODO\] \*x\* \_y\_ \<b\> \`c\` \#1"
    assert md("1. A race") == r"1\. A race"
    assert md("- a list?") == r"\- a list?"


def test_an_unknown_style_raises(base: FactBase) -> None:
    with pytest.raises(UnknownStyle, match="plain, markdown"):
        cite(base, base.facts[0], "harvard")


# ------------------------------------------------------------------ the command line


@pytest.fixture(autouse=True)
def loaded_once(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process CLI runs reuse the module's base instead of loading it again each time."""
    if "capsys" in request.fixturenames:
        real = request.getfixturevalue("base")
        monkeypatch.setattr("explorer.loader.open_factbase", lambda path=None: real)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("kind", ["figure", "table", "moment"])
def test_cli_cite_gives_every_style(
    style: str, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cite", REAL[kind], "--style", style, "--facts", str(FACTS)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip("\n") == golden(style, REAL[kind], out.rstrip("\n"))


def test_cli_cite_several_ids_gives_a_bibliography(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cite", *REAL.values(), "--style", "ris", "--facts", str(FACTS)]) == 0
    assert capsys.readouterr().out.count("TY  - ") == 2


def test_cli_cite_default_style_comes_from_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[cite]\nstyle = "bibtex"\n', encoding="utf-8")
    monkeypatch.setenv(ENV_CONFIG, str(config))
    assert main(["cite", REAL["figure"], "--facts", str(FACTS)]) == 0
    assert capsys.readouterr().out.startswith("@techreport{huawei2021sustainability,")


def test_cli_cite_without_config_is_plain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_CONFIG, str(tmp_path / "none.toml"))
    assert main(["cite", REAL["figure"], "--facts", str(FACTS)]) == 0
    assert capsys.readouterr().out.startswith("Huawei's carbon emissions")


def test_cli_cite_copy_says_truthfully_where_the_text_went(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import explorer.clipboard as clipboard

    real_copy = clipboard.copy
    monkeypatch.setattr(
        clipboard, "copy", lambda text: real_copy(text, env={"PATH": ""}, tty=None,
                                                  fallback_dir=tmp_path),
    )  # fmt: skip
    code = main(["cite", REAL["moment"], "--style", "plain", "--copy", "--facts", str(FACTS)])
    out = capsys.readouterr()
    assert code == 1 and out.out.startswith("Huawei's 20 Moments of 2020 post")
    saved = tmp_path / "last-copy.txt"
    assert out.err == (
        "fact-explorer: No clipboard tool and no terminal to send it to: the text is saved in "
        f"{saved}\n"
    )
    assert saved.read_text(encoding="utf-8") == out.out.rstrip("\n")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args], capture_output=True, text=True, timeout=60,
        cwd=REPO, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_cli_help_lists_every_style() -> None:
    out = run("cite", "--help")
    assert out.returncode == 0
    assert all(f"  {name} " in out.stdout for name in STYLES)


@pytest.mark.parametrize(
    ("args", "config", "code", "says"),
    [
        (["cite", "no-such-fact"], "", 1, "no fact with id 'no-such-fact'"),
        (["cite", REAL["figure"], "--style", "harvard"], "", 2, "unknown style 'harvard'"),
        (["cite", REAL["figure"]], "[cite]\nstyle = 'harvard'\n", 2, "is not a citation style"),
        (["cite", REAL["figure"]], "[cite\n", 2, "not valid TOML"),
    ],
)
def test_cli_cite_errors_are_one_line(
    tmp_path: Path, args: list[str], config: str, code: int, says: str
) -> None:
    path = tmp_path / "config.toml"
    if config:
        path.write_text(config, encoding="utf-8")
    out = run(*args, env={ENV_CONFIG: str(path)})
    assert out.returncode == code and out.stdout == ""
    assert out.stderr.count("\n") == 1 and says in out.stderr and "Traceback" not in out.stderr


# ------------------------------------------------------------------ config


def test_config_reads_style_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[cite]\nstyle = "mla"\n[keys]\ncopy-citation = "ctrl+y"\n', "utf-8")
    config = load_config(path)
    assert (config.cite_style, dict(config.keys), config.path) == (
        "mla", {"copy-citation": "ctrl+y"}, path,
    )  # fmt: skip


def test_config_missing_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml")
    assert (config.cite_style, dict(config.keys), config.path) == ("plain", {}, None)


@pytest.mark.parametrize(
    "text", ['[cite]\nstyle = ["apa"]\n', "cite = 3\n", "[keys]\nback = 1\n", "\x00"]
)
def test_config_bad_values_raise_one_clear_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=str(path).replace("\\", "\\\\")):
        load_config(path)


# ------------------------------------------------------------------ hygiene

HEADLESS = ["explorer.cite", "explorer.citeformats", "explorer.csl", "explorer.styles",
            "explorer.clipboard", "explorer.export", "explorer.config",
            "explorer.cli_cite"]  # fmt: skip


@pytest.mark.parametrize("module", HEADLESS)
def test_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
