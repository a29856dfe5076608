"""The ``cite`` and ``export`` subcommands: thin over `explorer.cite` and `explorer.export`.

Kept beside `explorer.cli` so that module stays small; `explorer.cli` adds
these parsers and dispatches to `cmd_cite` and `cmd_export`. Every error is
one line on stderr: exit 1 for an unknown id or a refused or failed write
(a folder, a device, a FIFO, a socket, a missing folder, a read-only file, the
fact base), 2 for bad usage (an unknown style or format, a ``.csl`` file that
cannot be used, ``--html`` with a machine style, an empty path, a broken config
file).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from explorer.choices import FORMATS, STYLES
from explorer.paths import shown

# A search builds this module's parsers but never runs its commands: what the
# commands use is imported when one runs (citation and export code, the config).
if TYPE_CHECKING:
    from explorer.cite import Flavour
    from explorer.config import ConfigError
    from explorer.model import Fact, FactBase


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``cite`` and ``export`` to the subcommands ``sub``.

    Args:
        sub: What ``ArgumentParser.add_subparsers`` returned.
        common: The parent parser holding the options every command takes.
    """
    cite_cmd = sub.add_parser(
        "cite",
        parents=[common],
        help="cite facts in a style; several ids give a bibliography",
        description="Print the citation of one fact, or a bibliography of several: each "
        "source once, then each fact's quote and locator under it.",
        epilog=_STYLES_EPILOG,
        formatter_class=_StylesHelp,
    )
    cite_cmd.add_argument("ids", nargs="+", metavar="ID", help="fact ids")
    cite_cmd.add_argument(
        "--style", metavar="STYLE",
        help=f"one of: {', '.join(STYLES)}; a CSL style id (ieee, nature, csl:apa, ...); or a "
        "path to a .csl file (default: from the config)",
    )  # fmt: skip
    cite_cmd.add_argument(
        "--html", action="store_true",
        help="print HTML: titles in italics, addresses as links (prose and CSL styles)",
    )  # fmt: skip
    cite_cmd.add_argument(
        "--copy", action="store_true", help="also copy it to the clipboard; say how it went"
    )
    formats = "\n".join(f"  {name:<10} {label}" for name, label in FORMATS.items())
    export_cmd = sub.add_parser(
        "export",
        parents=[common],
        help="write facts to a file: Markdown, BibTeX, CSL-JSON, RIS, CSV or JSON",
        description="Write the facts to PATH atomically; an existing file keeps its mode, "
        "a symlink stays a link and the file it points to is written. Refuses folders, "
        "devices, FIFOs, sockets and anything inside the fact base. PATH - is standard "
        "output (./- is a file named -).",
        epilog=f"formats:\n{formats}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export_cmd.add_argument("ids", nargs="+", metavar="ID", help="fact ids")
    export_cmd.add_argument(
        "--format", "-f", required=True, metavar="FORMAT", help=f"one of: {', '.join(FORMATS)}"
    )
    export_cmd.add_argument(
        "-o", "--output", required=True, metavar="PATH", type=_output,
        help="the file to write; - for standard output",
    )  # fmt: skip


_STYLES_EPILOG = "<the styles, listed when the help is shown>"


class _StylesHelp(argparse.RawDescriptionHelpFormatter):
    """Lists the styles in ``cite --help`` only: finding the CSL files costs every command."""

    def add_text(self, text: str | None) -> None:
        if text == _STYLES_EPILOG:
            text = _styles_epilog()
            text = text.replace("%", "%%") if "%(prog)" in text else text
        super().add_text(text)


def _styles_epilog() -> str:
    """The styles, and where the default and more CSL styles come from."""
    from explorer.cite import all_styles
    from explorer.config import ENV_CONFIG, config_path
    from explorer.styles import ALIASES, user_styles_dir

    styles = all_styles()
    width = max(len(name) for name in styles)
    mine = "\n".join(f"  {name:<{width}}  {label}" for name, label in STYLES.items())
    also = {new: old for old, new in ALIASES.items()}
    csl = "\n".join(
        f"  {name:<{width}}  {label.removesuffix(' (CSL)')}"
        + (f" (also: {also[name]})" if name in also else "")
        for name, label in styles.items()
        if name not in STYLES
    )
    return (
        f"styles:\n{mine}\n\nCSL styles (rendered by citeproc-py):\n{csl}\n"
        f"  {'PATH.csl':<{width}}  any CSL style file\n\n"
        "More CSL styles: save a .csl file from https://www.zotero.org/styles or "
        f"https://github.com/citation-style-language/styles in {user_styles_dir()}; its "
        "file name without .csl is its id.\n\nThe default style is [cite] style in "
        f"{config_path()} (${ENV_CONFIG} names another file), else plain."
    )


def _output(text: str) -> str:
    """An argparse type: a path kept as written (``Path`` would drop a trailing ``/``)."""
    if not text:
        raise argparse.ArgumentTypeError("needs a file name, or - for standard output")
    return text


def cmd_cite(args: argparse.Namespace) -> int:
    """Print the citation (or bibliography) of the facts; copy it when asked."""
    from explorer.cite import StyleError, has_html, resolve
    from explorer.cli import load
    from explorer.config import ConfigError, load_config

    style = args.style
    if style is None:
        try:
            style = load_config().cite_style
        except ConfigError as err:
            return report_config(err)
    try:
        resolve(style)
    except StyleError as err:
        return _fail(str(err).replace("unknown citation style", "unknown style"), 2)
    if args.html and not has_html(style):
        return _fail(f"--html needs a prose or CSL style: {style} is plain text only", 2)
    base = load(args)
    facts = _facts(base, args.ids)
    if facts is None:
        return 1
    try:
        text = _cited(base, facts, style, "both" if args.html else "plain")
    except StyleError as err:  # a CSL style citeproc-py cannot render
        return _fail(str(err), 2)
    from explorer.clipboard import Rich, copy

    print(text.html if isinstance(text, Rich) else text)
    if not args.copy:
        return 0

    sys.stdout.flush()  # the citation first, then the terminal's copy sequence
    outcome = copy(text)
    print(f"fact-explorer: {outcome.message}", file=sys.stderr)
    if outcome.warning:
        print(f"fact-explorer: {outcome.warning}", file=sys.stderr)
    return 0 if outcome.ok else 1


def _cited(base: FactBase, facts: list[Fact], style: str, flavour: Flavour) -> str:
    """One fact's citation, or several facts' bibliography."""
    from explorer.cite import bibliography, cite

    if len(facts) == 1:
        return cite(base, facts[0], style, flavour=flavour)
    return bibliography(base, facts, style, flavour=flavour)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the facts to a file and say which file; ``-o -`` writes them to standard output."""
    from explorer.cli import load
    from explorer.export import ExportError, export, render

    if args.format not in FORMATS:
        return _fail(f"unknown format {args.format!r}; choose one of {', '.join(FORMATS)}", 2)
    base = load(args)
    facts = _facts(base, args.ids)
    if facts is None:
        return 1
    if args.output == "-":
        sys.stdout.write(render(base, facts, args.format))
        sys.stdout.flush()
        return 0
    try:
        written = export(base, facts, args.format, args.output)
    except ExportError as err:
        return _fail(str(err), 1)
    count = f"{len(facts)} fact" + ("s" if len(facts) != 1 else "")
    print(f"wrote {count} as {args.format} to {shown(written)}")
    return 0


def _facts(base: FactBase, ids: list[str]) -> list[Fact] | None:
    """The facts with these ids, repeats dropped; None (after saying so) if any is unknown."""
    wanted = list(dict.fromkeys(ids))
    missing = [i for i in wanted if base.get(i) is None]
    if missing:
        from rapidfuzz import process

        known = [f.id for f in base.facts]
        near = next(
            (n for i in missing if (n := process.extract(i, known, limit=3, score_cutoff=70))), []
        )
        hint = f"; did you mean {', '.join(str(m[0]) for m in near)}?" if near else ""
        names = ", ".join(repr(i if len(i) <= 80 else i[:80] + "…") for i in missing[:5])
        names += f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        _fail(f"no fact with id{'s' if len(missing) > 1 else ''} {names}{hint}", 1)
        return None
    return [f for f in (base.get(i) for i in wanted) if f is not None]


def report_config(err: ConfigError) -> int:
    """Print every problem of a config file that cannot be used, one a line; exit code 2."""
    for problem in err.problems:
        print(f"fact-explorer: {problem}", file=sys.stderr)
    return 2


def _fail(message: str, code: int) -> int:
    print(f"fact-explorer: {message}", file=sys.stderr)
    return code
