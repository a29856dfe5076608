"""The core never imports Textual (Harlequin's test_import_hygiene, in spirit)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CORE = ["explorer", "explorer.model", "explorer.loader", "explorer.check", "explorer.search",
        "explorer.numbers", "explorer.coverage", "explorer.cli", "explorer.keys",
        "explorer.config", "explorer.cache", "explorer.export", "explorer.cite",
        "explorer.serve", "explorer.completion", "explorer.draft", "explorer.draft.build",
        "explorer.draft.base", "explorer.cli_draft", "explorer.review", "explorer.review.edit",
        "explorer.cli_review", "explorer.opener", "explorer.walk", "explorer.cachekey",
        "explorer.choices", "explorer.problems", "explorer.doccache", "explorer.reopen",
        "explorer.parsepool", "explorer.lazyre", "explorer.searchline"]  # fmt: skip


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_command_line_does_not_import_the_pdf_reader() -> None:
    """`fact-explorer search` never pays for pdfminer: only `draft` imports it."""
    code = "import sys, explorer.cli; print(any(m.startswith('pdfminer') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


WARM = """
import sys
from explorer.cli import main
main(sys.argv[1:])
heavy = ("yaml", "jsonschema", "explorer.loader", "explorer.yamlread", "explorer.cite",
         "explorer.export", "explorer.config", "citeproc", "textual", "explorer.cli_cite",
         "explorer.cli_draft", "explorer.cli_review", "explorer.completion", "explorer.serve",
         "argparse", "pathlib", "urllib.parse")
print(" ".join(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


ALL_COMMANDS = {"explorer.cli_cite", "explorer.cli_draft", "explorer.cli_review",
                "explorer.completion", "explorer.serve", "pathlib", "urllib.parse"}  # fmt: skip
"""Modules of the other commands: a line argparse parses names them all (its help lists them),
and some name files with `pathlib` (a search names them as text: `explorer.paths`)."""


@pytest.mark.parametrize(
    ("command", "uses"),
    [
        (["search", "greenhouse"], set()),
        (["search", "--lim", "3", "greenhouse"], {"argparse"}),  # argparse's: search's parser alone
        (["show", "profile-employees"], {"argparse", *ALL_COMMANDS}),
        (
            ["cite", "profile-employees", "--style", "apa"],
            {"explorer.cite", "explorer.config", "argparse", *ALL_COMMANDS},
        ),
    ],
)
def test_a_warm_command_imports_only_what_it_uses(
    command: list[str], uses: set[str], tmp_path: Path
) -> None:
    """A cache hit parses no YAML, validates nothing and cites nothing: none of that is imported."""
    from tests.unit.test_search import write_search_base

    facts = write_search_base(tmp_path / "facts")
    env = {**os.environ, "FACT_EXPLORER_CACHE": str(tmp_path / "cache"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "NO_COLOR": "1"}  # fmt: skip
    args = [sys.executable, "-c", WARM, *command, "--facts", str(facts)]
    subprocess.run(args, capture_output=True, text=True, env=env, check=True)  # writes the cache
    warm = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    assert set(warm.stderr.split()) == uses
