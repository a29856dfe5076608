"""The ``fact-explorer`` command: thin over the library.

Exit codes: 0 success; 1 nothing found, a problem in the base or a failed
check; 2 bad usage or no terminal for the app.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.cli_cite import add_parsers as add_cite_parsers
from explorer.cli_cite import cmd_cite, cmd_export
from explorer.model import Fact, FactBase
from explorer.paths import ENV_FACTS

if TYPE_CHECKING:
    from explorer.search import Hit
    from explorer.tui.app import ExplorerApp

ENV_SOURCES = "FACT_EXPLORER_SOURCES"
"""Environment variable naming the folder of source texts for `check`."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--facts",
        metavar="DIR",
        type=Path,
        help=f"fact base folder (default: ${ENV_FACTS}, else the bundled base)",
    )
    parser = argparse.ArgumentParser(
        prog="fact-explorer",
        description="Find, check and cite facts from Huawei's 2020 sustainability reporting.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    find = sub.add_parser("search", parents=[common], help="facts matching a query, best first")
    find.add_argument("query", nargs="+", help="words to look for")
    find.add_argument("--limit", type=int, default=20, metavar="N", help="at most N facts")
    find.add_argument("--json", action="store_true", help="JSON for machines")
    find.add_argument(
        "--explain", action="store_true", help="show each hit's score and the text it matched"
    )

    show = sub.add_parser("show", parents=[common], help="one fact with every field")
    show.add_argument("id", help="the fact's id")
    show.add_argument("--json", action="store_true", help="JSON for machines")

    clash = sub.add_parser(
        "conflicts", parents=[common], help="every pair of facts that contradict each other"
    )
    clash.add_argument("--json", action="store_true", help="JSON for machines")

    check = sub.add_parser("check", parents=[common], help="prove every fact against its source")
    check.add_argument(
        "--sources",
        metavar="DIR",
        type=Path,
        help=f"folder of source texts, matched by sha256 (default: ${ENV_SOURCES})",
    )
    check.add_argument("--json", action="store_true", help="JSON for machines")

    add_cite_parsers(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            return run_app(args)
        handler = {
            "search": cmd_search, "show": cmd_show, "check": cmd_check, "conflicts": cmd_conflicts,
            "cite": cmd_cite, "export": cmd_export,
        }[args.command]  # fmt: skip
        return handler(args)
    except BrokenPipeError:  # `fact-explorer search x | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as err:
        return report_unusable(err)


def report_unusable(err: Exception) -> int:
    """Print every problem of a base that cannot be used (exit 1); re-raise anything else."""
    from explorer.loader import FactBaseError

    if not isinstance(err, FactBaseError):
        raise err
    for problem in err.problems:
        print(problem, file=sys.stderr)
    count = len(err.problems)
    print(f"fact-explorer: the fact base has {count} problem{'s' * (count != 1)}", file=sys.stderr)
    return 1


def load(args: argparse.Namespace) -> FactBase:
    """Open the base named by ``--facts`` (or the default)."""
    from explorer.loader import open_factbase

    return open_factbase(args.facts)


def run_app(args: argparse.Namespace) -> int:
    """Start the terminal app, or say in one line why it cannot start."""
    why = terminal_problem()
    if why:
        print(f"fact-explorer: {why}; use `fact-explorer search WORDS` in scripts", file=sys.stderr)
        return 2
    from explorer.config import ConfigError

    try:
        app = app_for(args)
    except ConfigError as err:
        print(f"fact-explorer: {err}", file=sys.stderr)
        return 2
    app.run()
    if app.failure is not None:
        return report_unusable(app.failure)
    return app.return_code or 0


def app_for(args: argparse.Namespace) -> ExplorerApp:
    """The app as ``fact-explorer`` starts it: the user's config, the base from ``args``.

    The app paints first and opens the base right after; a base that cannot be
    used ends it, and `run_app` prints its problems once the terminal is restored.
    """
    from explorer.config import config_path, load_config
    from explorer.tui.app import ExplorerApp

    config = load_config()
    return ExplorerApp(
        partial(load, args),
        style=config.cite_style,
        keymap=dict(config.keys),
        config_path=str(config_path()),
    )


def terminal_problem() -> str:
    """Return why the app cannot run here, or an empty string."""
    if not sys.stdin.isatty():
        return "the app needs a terminal, but standard input is not one"
    if not sys.stdout.isatty():
        return "the app needs a terminal, but standard output is not one"
    if os.environ.get("TERM") == "dumb":
        return "the app cannot draw on TERM=dumb"
    return ""


def cmd_search(args: argparse.Namespace) -> int:
    """Print the facts that match the query."""
    from explorer.search import search

    base = load(args)
    result = search(base, " ".join(args.query), limit=max(args.limit, 0))
    for message in result.messages:
        print(f"fact-explorer: {message}", file=sys.stderr)
    if args.json:
        hits = [{"score": round(h.score, 2), **h.fact.to_dict()} for h in result.hits]
        if args.explain:
            for out, hit in zip(hits, result.hits, strict=True):
                out["matches"] = _matches(base, hit)
        print(json.dumps({"total": result.total, "hits": hits}, ensure_ascii=False, indent=2))
    else:
        colour = _colour(sys.stdout)
        for hit in result.hits:
            print(_line(hit.fact, colour))
            if args.explain:
                print(_explanation(base, hit, colour))
    return 0 if result.hits else 1


def _matches(base: FactBase, hit: Hit) -> list[dict[str, Any]]:
    """Each matched field of a hit with its spans and the text under them."""
    from explorer.search import field_text

    out = []
    for match in hit.matches:
        text = field_text(base, hit.fact, match.field)
        spans = [list(span) for span in match.spans]
        out.append({"field": match.field, "spans": spans, "text": [text[a:b] for a, b in spans]})
    return out


def _explanation(base: FactBase, hit: Hit, colour: bool) -> str:
    """An indented line: the score, then each matched field with the words it matched."""
    parts = [f"score {hit.score:.1f}"]
    for match in _matches(base, hit):
        words = ", ".join(dict.fromkeys(" ".join(t.split()) for t in match["text"]))
        parts.append(f"{match['field']}: {words}")
    line = "  " + "; ".join(parts) if hit.matches else f"  score {hit.score:.1f}; no text matched"
    return f"\x1b[2m{line}\x1b[0m" if colour else line


def cmd_show(args: argparse.Namespace) -> int:
    """Print one fact."""
    base = load(args)
    fact = base.get(args.id)
    if fact is None:
        near = _near_ids(base, args.id)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        print(f"fact-explorer: no fact with id {args.id!r}{hint}", file=sys.stderr)
        return 1
    related = base.related(fact.id)
    if args.json:
        data = fact.to_dict()
        data.pop("related", None)
        if related:
            data["related"] = [{"id": r.fact.id, "rel": r.rel, "reason": r.reason} for r in related]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(render_fact(base, fact))
    if related:
        print("\nRelated:")
        width = max(len(r.fact.id) for r in related)
        for r in related:
            print(f"  {r.rel:<13} {r.fact.id:<{width}}  {r.reason}")
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    """Print every pair of facts that contradict each other; exit 0 either way."""
    from explorer.related import conflicts

    base = load(args)
    pairs = conflicts(base)
    if args.json:
        out = [
            {"reason": reason, "facts": [_conflict_side(base, a), _conflict_side(base, b)]}
            for a, b, reason in pairs
        ]
        print(json.dumps({"total": len(out), "conflicts": out}, ensure_ascii=False, indent=2))
        return 0
    for a, b, reason in pairs:
        print(f"{a.id}  <>  {b.id}\n  {reason}")
        for fact in (a, b):
            side = _conflict_side(base, fact)
            print(f"  {side['where']}:\n    \u201c{side['quote']}\u201d")
        print()
    print(f"conflicts: {len(pairs)} pairs" if pairs else "conflicts: none found")
    return 0


def _conflict_side(base: FactBase, fact: Fact) -> dict[str, Any]:
    source = base.source_of(fact)
    place = [source.title, base.chapter_of(fact).title, fact.section]
    place += [f"p. {fact.page}"] if fact.page else []
    return {
        "id": fact.id, "claim": fact.claim, "quote": " ".join(fact.quote.split()),
        "source": fact.source, "source_title": source.title, "chapter": fact.chapter,
        "section": fact.section, "where": ", ".join(dict.fromkeys(p for p in place if p)),
        "file": fact.file, "line": fact.line,
    }  # fmt: skip


def cmd_check(args: argparse.Namespace) -> int:
    """Prove the base against its sources; exit 1 on any problem."""
    from explorer.check import check
    from explorer.paths import default_facts_dir

    facts = args.facts if args.facts is not None else default_facts_dir()
    sources = args.sources
    if sources is None and os.environ.get(ENV_SOURCES):
        sources = Path(os.environ[ENV_SOURCES])
    if sources is not None and not sources.is_dir():
        print(f"fact-explorer: --sources {sources}: no such folder", file=sys.stderr)
        return 2
    result = check(facts, sources)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        for problem in result.problems:
            print(problem)
        print(f"check: {result.summary()}")
    return 0 if result.ok else 1


def render_fact(base: FactBase, fact: Fact) -> str:
    """Return a fact as plain text for a reader: claim, figure, quote, place."""
    chapter = base.chapter_of(fact)
    source = base.source_of(fact)
    lines = [fact.claim, ""]
    if fact.as_printed is not None:
        lines.append(f"Figure:   {_figure(fact)}")
    lines.append(f"Quote:    \u201c{' '.join(fact.quote.split())}\u201d")
    lines.append(f"Source:   {source.title} ({source.author}, {source.published})")
    lines.append(f"Chapter:  {chapter.title}")
    if fact.section:
        lines.append(f"Section:  {fact.section}")
    if fact.page:
        lines.append(f"Page:     {fact.page}")
    extra: list[tuple[str, Any]] = [
        ("Kind", fact.kind), ("Metric", fact.metric), ("Scope", fact.scope),
        ("Status", fact.status), ("Actual", fact.actual), ("Assurance", fact.assurance),
        ("GRI", ", ".join(fact.gri)), ("Tags", ", ".join(fact.tags)), ("Notes", fact.notes),
    ]  # fmt: skip
    lines += [f"{name + ':':<9} {value}" for name, value in extra if value]
    if fact.series:
        points = ", ".join(f"{period}: {value:g}" for period, value in fact.series.items())
        lines.append(f"Series:   {points}")
    lines.append(f"Id:       {fact.id}  ({fact.file}:{fact.line})")
    return "\n".join(lines)


def _figure(fact: Fact) -> str:
    from explorer.related.compare import figure_text

    return figure_text(fact, period=True)


def _line(fact: Fact, colour: bool) -> str:
    figure = _figure(fact) if fact.as_printed is not None else ""
    claim = " ".join(fact.claim.split())
    if colour:
        return f"\x1b[1m{fact.id}\x1b[0m\t\x1b[36m{figure}\x1b[0m\t{claim}"
    return f"{fact.id}\t{figure}\t{claim}"


def _colour(stream: Any) -> bool:
    return bool(stream.isatty()) and "NO_COLOR" not in os.environ


def _near_ids(base: FactBase, wanted: str) -> list[str]:
    from rapidfuzz import process

    matches = process.extract(wanted, [f.id for f in base.facts], limit=3, score_cutoff=70)
    return [str(m[0]) for m in matches]
