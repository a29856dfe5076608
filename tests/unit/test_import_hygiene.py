"""The core never imports Textual (Harlequin's test_import_hygiene, in spirit)."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = ["explorer", "explorer.model", "explorer.loader", "explorer.check", "explorer.search",
        "explorer.numbers", "explorer.coverage", "explorer.cli", "explorer.keys",
        "explorer.config", "explorer.cache", "explorer.export", "explorer.cite",
        "explorer.serve", "explorer.completion", "explorer.draft", "explorer.draft.build",
        "explorer.draft.base", "explorer.cli_draft", "explorer.review", "explorer.review.edit",
        "explorer.cli_review"]  # fmt: skip


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
