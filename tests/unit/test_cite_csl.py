"""Any CSL style: the bundled ones, the user's, a .csl path, rendered by citeproc-py.

Golden files per bundled style are under ``golden/csl/<id>/``; regenerate them
after a deliberate change (and read the diff):
``UPDATE_GOLDEN=1 pytest tests/unit/test_cite_csl.py``.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from explorer import open_factbase
from explorer.cite import StyleError, UnknownStyle, all_styles, bibliography, cite, resolve
from explorer.citeformats import locate
from explorer.cli import main
from explorer.config import ENV_CONFIG, ConfigError, load_config
from explorer.model import Fact, FactBase
from explorer.styles import BUNDLED_DIR, CslStyle, available, find, read_info
from tests.conftest import FACTS, REPO
from tests.conftest import golden as kept

GOLDEN = Path(__file__).parent / "golden" / "csl"
BUNDLED = ["apa", "chicago-author-date", "harvard-cite-them-right", "ieee",
           "modern-language-association", "nature", "nlm-citation-sequence"]  # fmt: skip
NAMES = ["csl:apa" if s == "apa" else s for s in BUNDLED]
REAL = ["env-ghg-intensity-2020", "incl-bal-ruralstar-ghana-cost", "env-ghg-intensity-table",
        "moment-01-race-against-time"]  # fmt: skip


@pytest.fixture(scope="module")
def base() -> FactBase:
    return open_factbase(FACTS)


@pytest.fixture(autouse=True)
def own_styles_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Each test sees an empty user styles folder of its own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    return tmp_path / "config-home" / "fact-explorer" / "styles"


def golden(name: str, file: str, text: str) -> str:
    return kept(GOLDEN / name.removeprefix("csl:") / file, text)


def one_of_each(base: FactBase) -> list[Fact]:
    """A fact of every kind, and of every shape of locator (page, chapter, appendix, front
    matter, a numbered post's section)."""
    picked: dict[object, Fact] = {}
    for fact in base.facts:
        where = locate(base, fact)
        shape = (where.chapter.split(" ")[0], bool(where.page), bool(where.number))
        picked.setdefault(fact.kind, fact)
        picked.setdefault(shape, fact)
    return list({f.id: f for f in picked.values()}.values())


# ------------------------------------------------------------------ the bundled styles


def test_the_bundled_styles_are_independent_official_ones_under_cc_by_sa() -> None:
    assert sorted(p.stem for p in BUNDLED_DIR.glob("*.csl")) == BUNDLED
    notice = (BUNDLED_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "creativecommons.org/licenses/by-sa/3.0" in notice
    assert "https://citationstyles.org/" in notice
    for path in BUNDLED_DIR.glob("*.csl"):
        text = path.read_text(encoding="utf-8")
        assert read_info(path)[1] is None, f"{path.name} is dependent: bundle its parent"
        assert 'license="http://creativecommons.org/licenses/by-sa/3.0/"' in text
        assert path.name in notice


@pytest.mark.parametrize("name", NAMES)
def test_every_bundled_style_cites_every_kind_of_fact(base: FactBase, name: str) -> None:
    facts = one_of_each(base)
    assert {f.kind for f in facts} == {f.kind for f in base.facts}
    for fact in facts:
        plain = cite(base, fact, name)
        rich = cite(base, fact, name, flavour="html")
        assert fact.quote.split()[-1] in plain and "<" not in plain.replace("<sup>", "")
        assert rich.startswith("<p>") and rich.count("<p>") == rich.count("</p>") == 2
    text = bibliography(base, facts, name)
    assert text.count("Huawei Investment & Holding") >= 1 and "20 moments of 2020" in text.lower()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fact_id", REAL)
def test_csl_citation_matches_its_golden_file(base: FactBase, name: str, fact_id: str) -> None:
    fact = base.get(fact_id)
    assert fact is not None
    for flavour, ext in (("plain", "txt"), ("html", "html")):
        text = cite(base, fact, name, flavour=flavour)  # type: ignore[arg-type]
        assert text == golden(name, f"{fact_id}.{ext}", text), "changed? UPDATE_GOLDEN=1"


@pytest.mark.parametrize("name", NAMES)
def test_csl_bibliography_matches_its_golden_file(base: FactBase, name: str) -> None:
    facts = [f for f in (base.get(i) for i in REAL) if f]
    text = bibliography(base, facts, name)
    assert text == golden(name, "bibliography.txt", text), "changed? UPDATE_GOLDEN=1"


def test_apa_stays_hand_written_and_csl_apa_is_the_csl_one(base: FactBase) -> None:
    assert resolve("apa") == "apa"
    found = resolve("csl:apa")
    assert isinstance(found, CslStyle) and found.path == BUNDLED_DIR / "apa.csl"
    assert "csl:apa" in all_styles() and "ieee" in all_styles()


def test_vancouver_is_the_style_the_csl_project_renamed_it_to(base: FactBase) -> None:
    fact = base.get("incl-bal-ruralstar-ghana-cost")
    assert fact is not None
    assert find("vancouver").path == BUNDLED_DIR / "nlm-citation-sequence.csl"
    # citeproc-py drops a localized date's delimiter; the style's own " " is lent back
    assert "; 2021 Jul. Available from:" in cite(base, fact, "vancouver")


@pytest.mark.parametrize(("name", "start"), [("ieee", "[1] Huawei"), ("vancouver", "1. Huawei")])
def test_numbered_entries_keep_the_space_after_their_number(
    base: FactBase, name: str, start: str
) -> None:
    fact = base.get("env-ghg-intensity-2020")
    assert fact is not None
    assert cite(base, fact, name).split("\n\n")[1].startswith(start)


# ------------------------------------------------------------------ against the hand-written APA


def test_csl_json_through_citeproc_with_the_bundled_apa_agrees_with_hand_written_apa(
    base: FactBase,
) -> None:
    """Each fact's CSL-JSON, fed to citeproc-py as it is, gives APA's titles and locators."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source import Locator
    from citeproc.source.json import CiteProcJSON

    style = CitationStylesStyle(str(BUNDLED_DIR / "apa.csl"), validate=False)
    for fact in one_of_each(base) + [f for f in (base.get(i) for i in REAL) if f]:
        (item,) = json.loads(cite(base, fact, "csl-json"))
        (entry,) = item["custom"]["facts"]
        (where,) = entry["citation"]["citationItems"]  # where a CSL processor reads it
        data = {k: v for k, v in item.items() if k not in ("custom", "citation-key")}
        processor = CitationStylesBibliography(style, CiteProcJSON([data]), formatter.html)
        pin = {"locator": Locator(where["label"], where["locator"])} if "label" in where else {}
        citation = Citation([CitationItem(where["id"], **pin)])
        processor.register(citation)
        theirs = html.unescape(str(processor.cite(citation, lambda _: None)))
        (reference,) = processor.bibliography()
        mine = cite(base, fact, "apa", flavour="html")
        # the title: italic, in sentence case, the same
        title = re.search(r"<i>(.*?)</i>", str(reference))
        assert title and f"<i>{title.group(1)}</i>." in mine, (fact.id, reference)
        # every part of citeproc's in-text citation is in the hand-written one, in order
        ours = html.unescape(mine.split("</p>")[0]).rsplit(" (", 1)[1].rstrip(")").split(", ")
        parts = theirs.strip("()").split(", ")
        heading = locate(base, fact).section
        if parts[-1] == f"Section {heading}":  # CSL: "Section Corporate Profile"; the
            parts[-1] = f"{heading} section"  # hand-written APA 8.13: "Corporate Profile section"
        assert [p for p in ours if p in parts] == parts, (fact.id, theirs, ours)
        year = base.source_of(fact).published[:4]
        assert parts[-2] == year and parts[-1] != year, theirs  # a locator, always


# ------------------------------------------------------------------ the user's own styles


def dependent(folder: Path, name: str, parent: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csl"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info>'
        f"<title>My {parent}</title><id>http://www.zotero.org/styles/{name}</id>"
        f'<link href="http://www.zotero.org/styles/{parent}" rel="independent-parent"/>'
        "</info></style>\n",
        encoding="utf-8",
    )
    return path


def test_a_dependent_style_is_rendered_with_its_parent(base: FactBase, tmp_path: Path) -> None:
    fact = base.get("env-ghg-intensity-2020")
    assert fact is not None
    path = dependent(tmp_path, "my-journal", "ieee")
    found = find(str(path))
    assert (found.id, found.title, found.path) == (
        "my-journal",
        "My ieee",
        BUNDLED_DIR / "ieee.csl",
    )
    assert cite(base, fact, str(path)) == cite(base, fact, "ieee")


def test_a_dependent_style_without_its_parent_says_which_is_missing(tmp_path: Path) -> None:
    path = dependent(tmp_path, "orphan", "no-such-parent")
    with pytest.raises(StyleError, match="dependent style of 'no-such-parent'.*save"):
        find(str(path))


def test_the_users_styles_folder_adds_styles_by_id(base: FactBase, own_styles_folder: Path) -> None:
    fact = base.get("env-ghg-intensity-2020")
    assert fact is not None
    own_styles_folder.mkdir(parents=True)
    (own_styles_folder / "house.csl").write_bytes((BUNDLED_DIR / "nature.csl").read_bytes())
    assert find("house").origin == "user" and "house" in all_styles()
    assert cite(base, fact, "house") == cite(base, fact, "nature")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "no such file"),
        ("<html><body>not a style</body></html>", "not a CSL style"),
        ('<style xmlns="http://purl.org/net/xbiblio/csl"><info><title>x</tit', "citeproc-py"),
    ],
)
def test_a_csl_file_that_cannot_be_used_says_why_in_one_line(
    base: FactBase, tmp_path: Path, content: str | None, says: str
) -> None:
    path = tmp_path / "bad.csl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(StyleError, match=says) as raised:
        cite(base, base.facts[0], str(path))
    assert "\n" not in str(raised.value)


def test_an_unknown_name_lists_the_csl_styles_too(base: FactBase) -> None:
    with pytest.raises(UnknownStyle, match="plain, markdown.*ieee.*path to a .csl file"):
        cite(base, base.facts[0], "harvard")


def test_citeproc_is_imported_only_when_a_csl_style_is_asked_for() -> None:
    facts = f"'--facts', {str(FACTS)!r}"
    code = (
        "import sys, io, contextlib\n"
        "from explorer.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['search', 'solar', {facts}])\n"
        f"    main(['cite', 'env-ghg-intensity-2020', '--style', 'apa', {facts}])\n"
        "print('citeproc' in sys.modules, 'lxml' in sys.modules)\n"
        f"main(['cite', 'env-ghg-intensity-2020', '--style', 'ieee', {facts}])\n"
        "print('citeproc' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    lines = out.stdout.strip().split("\n")
    assert lines[0] == "False False" and lines[-1] == "True"


# ------------------------------------------------------------------ the command line


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args, "--facts", str(FACTS)], capture_output=True,
        text=True, timeout=60, cwd=REPO, env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_cli_cites_in_a_csl_style_by_id_and_by_path(tmp_path: Path) -> None:
    by_id = run("cite", "env-ghg-intensity-2020", "--style", "ieee")
    copy = tmp_path / "mine.csl"
    copy.write_bytes((BUNDLED_DIR / "ieee.csl").read_bytes())
    by_path = run("cite", "env-ghg-intensity-2020", "--style", str(copy))
    assert by_id.returncode == by_path.returncode == 0 and by_id.stdout == by_path.stdout
    assert by_id.stdout.rstrip("\n").endswith("Available: https://www.huawei.com/en/")


@pytest.mark.parametrize(
    ("style", "says"),
    [("nosuch", "unknown style 'nosuch'"), ("missing.csl", "missing.csl: no such file"),
     ("bibtex --html", "--html needs a prose or CSL style: bibtex is plain text only")],
)  # fmt: skip
def test_cli_style_problems_are_one_line_and_exit_2(style: str, says: str) -> None:
    out = run("cite", "env-ghg-intensity-2020", "--style", *style.split())
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr.count("\n") == 1 and says in out.stderr and "Traceback" not in out.stderr


def test_cli_help_lists_the_csl_styles_and_where_to_add_more(own_styles_folder: Path) -> None:
    out = run("cite", "--help", env={"COLUMNS": "200"})
    assert out.returncode == 0
    for name in NAMES:
        assert f"  {name} " in out.stdout
    assert "(also: vancouver)" in out.stdout and "PATH.csl" in out.stdout
    assert str(own_styles_folder) in " ".join(out.stdout.split())


def test_cli_html_prints_the_html_flavour(
    base: FactBase, capsys: pytest.CaptureFixture[str]
) -> None:
    fact = base.get("moment-01-race-against-time")
    assert fact is not None
    assert main(["cite", fact.id, "--style", "nature", "--html", "--facts", str(FACTS)]) == 0
    assert capsys.readouterr().out.rstrip("\n") == cite(base, fact, "nature", flavour="html")


# ------------------------------------------------------------------ config


def config_with(tmp_path: Path, style: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f"[cite]\nstyle = {json.dumps(style)}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("style", ["ieee", "csl:apa", "vancouver", "nature"])
def test_config_accepts_a_csl_style_by_id(tmp_path: Path, style: str) -> None:
    assert load_config(config_with(tmp_path, style)).cite_style == style


def test_config_reads_a_relative_csl_path_from_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "house.csl").write_bytes((BUNDLED_DIR / "ieee.csl").read_bytes())
    config = load_config(config_with(tmp_path, "styles/house.csl"))
    assert config.cite_style == str(tmp_path / "styles" / "house.csl")


@pytest.mark.parametrize(
    ("style", "says"),
    [("gone.csl", "gone.csl: no such file"), ("config.toml.csl", "not a CSL style"),
     ("harvard", '"harvard" is not a citation style')],
)  # fmt: skip
def test_config_refuses_a_csl_style_it_cannot_use(tmp_path: Path, style: str, says: str) -> None:
    (tmp_path / "config.toml.csl").write_text("[cite]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config_with(tmp_path, style))
    (problem,) = raised.value.problems
    assert problem.startswith(f"{tmp_path / 'config.toml'}:2: [cite] style = ") and says in problem
    assert "a CSL style (csl:apa, " in problem and "or a path to a .csl file" in problem


def test_cli_uses_a_csl_style_from_the_config(tmp_path: Path) -> None:
    out = run(
        "cite", "env-ghg-intensity-2020", env={ENV_CONFIG: str(config_with(tmp_path, "ieee"))}
    )
    assert (
        out.returncode == 0
        and out.stdout.startswith("\u201cIn 2020")
        and "[1, Ch. 4]" in out.stdout
    )


def test_available_lists_user_styles_first(own_styles_folder: Path) -> None:
    own_styles_folder.mkdir(parents=True)
    (own_styles_folder / "apa.csl").write_bytes((BUNDLED_DIR / "apa.csl").read_bytes())
    found = available()
    assert (found[0].id, found[0].origin) == ("apa", "user")
    assert [s.id for s in found].count("apa") == 1
