"""The ``fact-explorer`` command: thin over the library.

Exit codes: 0 success; 1 nothing found, a problem in the base, a failed
check, or an export refused or failed; 2 bad usage (an unknown option or
value, a ``--facts`` or ``--sources`` that is not a folder, a query with
nothing to search for) or no terminal for the app. Every error is one line on
stderr, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from types import SimpleNamespace

from explorer import __version__
from explorer.lazyre import lazy
from explorer.paths import ENV_FACTS, expand, join, normal, shown
from explorer.searchline import names_search
from explorer.searchline import read as read_search_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from pathlib import Path
    from typing import Any

    from explorer.model import Fact, FactBase
    from explorer.search import Hit
    from explorer.tui.app import ExplorerApp

ENV_SOURCES = "FACT_EXPLORER_SOURCES"
"""Environment variable naming the folder of source texts for `check`."""


class CliError(Exception):
    """What the user must hear, in one line, and the exit code it ends with."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def folder_arg(text: str) -> str:
    """An argparse type: a folder's name, not empty (``""`` would be the current folder)."""
    import argparse

    if not text:
        raise argparse.ArgumentTypeError("needs a folder, not an empty name")
    return normal(text)


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    import argparse

    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text!r}")
    return number


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser for every subcommand.

    Args:
        only: ``"search"`` for a parser that knows no other command (what a
            line naming ``search`` needs: its messages are the same, and the
            other commands' modules are never imported).
    """
    import argparse

    facts_help = f"fact base folder (default: ${ENV_FACTS}, else the bundled base)"
    parser = argparse.ArgumentParser(
        prog="fact-explorer",
        description="Find, check and cite facts from Huawei's 2020 sustainability reporting.",
    )
    parser.add_argument("--facts", metavar="DIR", type=folder_arg, help=facts_help)
    parser.add_argument("--version", action="version", version=f"fact-explorer {__version__}")
    # Each command takes --facts too; SUPPRESS keeps a command's parser from
    # writing its default over a --facts given before the command. The later one wins.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--facts", metavar="DIR", type=folder_arg, default=argparse.SUPPRESS, help=facts_help
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    find = sub.add_parser("search", parents=[common], help="facts matching a query, best first")
    find.add_argument("query", nargs="+", help="words to look for")
    find.add_argument(
        "--limit", type=positive_int, default=20, metavar="N", help="at most N facts (default 20)"
    )
    find.add_argument("--json", action="store_true", help="JSON for machines")
    find.add_argument(
        "--explain", action="store_true", help="show each hit's score and the text it matched"
    )

    if only == "search":
        return parser
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
        type=folder_arg,
        help=f"folder of source texts, matched by sha256 (default: ${ENV_SOURCES})",
    )
    check.add_argument(
        "--structure-only",
        action="store_true",
        help="check the files' structure and links only; prove no quote",
    )
    check.add_argument("--json", action="store_true", help="JSON for machines")

    from explorer import cli_cite, cli_draft, cli_review, completion, serve

    cli_cite.add_parsers(sub, common)
    cli_draft.add_parser(sub)
    cli_review.add_parser(sub)
    serve.add_parser(sub, common)
    completion.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    words = sys.argv[1:] if argv is None else list(argv)
    plain = None if "_ARGCOMPLETE" in os.environ else read_search_line(words)
    args: argparse.Namespace
    if plain is not None:  # a plain search line: no parser to build (see explorer.searchline)
        args = SimpleNamespace(**plain)  # type: ignore[assignment]
    elif names_search(words) and "_ARGCOMPLETE" not in os.environ:
        args = build_parser(only="search").parse_args(words)  # no other command's module
    else:
        from explorer.completion import complete

        parser = build_parser()
        complete(parser)  # a shell's Tab: answered, and the process exits here
        args = parser.parse_args(words)
    try:
        if args.command is None:
            return run_app(args)
        return _handler(args.command)(args)
    except BrokenPipeError:  # `fact-explorer search x | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as err:
        return report_unusable(err)


def _handler(command: str) -> Callable[[argparse.Namespace], int]:
    """The function that runs ``command``, its module imported only now."""
    if command in ("cite", "export"):
        from explorer import cli_cite

        return cli_cite.cmd_cite if command == "cite" else cli_cite.cmd_export
    if command == "serve":
        from explorer.serve import cmd_serve

        return cmd_serve
    if command == "completion":
        from explorer.completion import cmd_completion

        return cmd_completion
    if command == "draft":
        from explorer.cli_draft import cmd_draft

        return cmd_draft
    if command == "review":
        from explorer.cli_review import cmd_review

        return cmd_review
    handlers = {"search": cmd_search, "show": cmd_show, "check": cmd_check,
                "conflicts": cmd_conflicts}  # fmt: skip
    return handlers[command]


def report_unusable(err: Exception) -> int:
    """Print every problem of a base that cannot be used, or a `CliError`; re-raise the rest."""
    from explorer.opener import FactBaseError

    if isinstance(err, CliError):
        print(f"fact-explorer: {err}", file=sys.stderr)
        return err.code
    if not isinstance(err, FactBaseError):
        raise err
    for problem in err.problems:
        print(problem, file=sys.stderr)
    count = len(err.problems)
    print(f"fact-explorer: the fact base has {count} problem{'s' * (count != 1)}", file=sys.stderr)
    return 1


def facts_dir(args: argparse.Namespace) -> str:
    """The fact base folder asked for (``--facts``, else the environment, else the bundled one).

    Raises:
        CliError: When it is missing or not a folder (exit 2; 1 for the bundled base).
    """
    from explorer.paths import bundled_facts_dir

    chosen, named = _folder_asked(getattr(args, "facts", None), "--facts", ENV_FACTS)
    if chosen is None:
        chosen = bundled_facts_dir()
        named = f"the bundled fact base {shown(chosen)}"
    why = _not_a_folder(chosen)
    if why:
        raise CliError(f"{named}: {why}", 1 if named.startswith("the bundled") else 2)
    return chosen


def _folder_asked(option: str | Path | None, flag: str, env: str) -> tuple[str | None, str]:
    """The folder an option names, else its environment variable, with how to name it."""
    if option is not None:
        return normal(option), f"{flag} {shown(option)}"
    if os.environ.get(env):
        chosen = expand(os.environ[env])
        return chosen, f"${env} {shown(chosen)}"
    return None, ""


def _not_a_folder(path: str) -> str:
    """Why ``path`` is not a folder that can be read, or ``""``.

    As ``Path.is_dir`` and ``Path.exists`` tell: a name that is not there, or
    not reachable as a folder's (a file on the way, a loop, a NUL), is "no such
    folder"; any other failure (a folder on the way that cannot be searched)
    is said as the system says it.
    """
    import errno
    import stat

    try:
        info = os.stat(path)
    except ValueError:  # a NUL in the name
        return "no such folder"
    except OSError as err:
        if err.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return "no such folder"
        return str(err.strerror or err).rstrip(".")
    return "" if stat.S_ISDIR(info.st_mode) else "is a file, not a folder"


def load(args: argparse.Namespace, *, quiet: bool = False, search: bool = False) -> FactBase:
    """Open the base named by ``--facts`` (or the default), then print any warnings.

    Args:
        args: The parsed command line.
        quiet: Keep the warnings for later (the app draws on the terminal while it loads).
        search: Open it for one search (`explorer.opener.open_for_search`).

    Raises:
        CliError: For a folder that is not there, or a base that cannot be opened at all.
        FactBaseError: For a base with problems.
    """
    from explorer.opener import open_factbase, open_for_search

    root = facts_dir(args)
    try:
        base = open_for_search(root) if search else open_factbase(root)
    except (OSError, UnicodeError) as err:  # a folder the cache or the reader cannot handle
        raise CliError(f"cannot open the fact base {shown(root)}: {shown(str(err))}", 1) from err
    if not quiet:
        _print_warnings()
    return base


def _print_warnings() -> None:
    """Print what loading warned about (e.g. a cache folder that cannot be trusted) to stderr.

    The one place the command line says these; `explorer.cache` collects them.
    """
    from explorer import cache as cache_module

    for warning in getattr(cache_module, "take_warnings", lambda: [])():
        print(f"fact-explorer: warning: {shown(str(warning))}", file=sys.stderr)


def run_app(args: argparse.Namespace) -> int:
    """Start the terminal app, or say in one line why it cannot start."""
    facts_dir(args)  # a --facts that is no folder is said before the screen changes
    why = terminal_problem()
    if why:
        print(f"fact-explorer: {why}; use `fact-explorer search WORDS` in scripts", file=sys.stderr)
        return 2
    from explorer.cli_cite import report_config
    from explorer.config import ConfigError

    try:
        app = app_for(args)
    except ConfigError as err:
        return report_config(err)
    app.run()
    _print_warnings()
    if app.failure is not None:
        return report_unusable(app.failure)
    return app.return_code or 0


def app_for(args: argparse.Namespace) -> ExplorerApp:
    """The app as ``fact-explorer`` starts it: the user's config, the base from ``args``.

    The app paints first and opens the base right after; a base that cannot be
    used ends it, and `run_app` prints its problems once the terminal is restored.
    """
    import gc

    from explorer.config import config_path, load_config

    config = load_config()
    # Importing Textual and building the first frame make ~80k objects that live as long
    # as the app; the collector went through them over and over before the first frame
    # (~20 ms). The app turns it back on once it has painted.
    gc.disable()
    try:
        from explorer.tui.app import ExplorerApp

        return ExplorerApp(
            partial(load, args, quiet=True),
            style=config.cite_style,
            keymap=dict(config.keys),
            config_path=str(config_path()),
            collector_paused=True,
        )
    except BaseException:
        gc.enable()
        raise


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
    import gc

    # One search, then the process ends: the ~100k objects its imports, its base and its
    # ranking make live till then. Collecting them meanwhile (15 young collections and 2 of
    # the middle generation, ~2 ms) frees nothing.
    # And rapidfuzz's import (~11 ms) costs more than one search needs of it: the reranking's
    # scores and a typed word's typo neighbours are computed in Python (explorer.search.fuzzy),
    # the same to the last bit.
    collector = gc.isenabled()
    gc.disable()
    try:
        from explorer.search import fuzzy

        one_search, fuzzy.ONE_SEARCH = fuzzy.ONE_SEARCH, True
        try:
            return _search_and_print(args)
        finally:
            fuzzy.ONE_SEARCH = one_search
    finally:
        if collector:
            gc.enable()


def _search_and_print(args: argparse.Namespace) -> int:
    from explorer.search import search
    from explorer.search.query import parse

    query = " ".join(args.query)
    if not query.strip():
        raise CliError("search: the query is empty; give words, or a filter such as kind:target")
    parsed = parse(query)
    if not parsed.clauses:  # only operators, common words or broken filters: say, not list all
        said = "; ".join(parsed.messages) or "only common words"
        raise CliError(f"search: nothing to search for in {_quoted(query)}: {said}")
    base = load(args, search=True)
    result = search(base, query, limit=args.limit)
    for message in result.messages:
        print(f"fact-explorer: {message}", file=sys.stderr)
    if args.json:
        hits = [{"score": round(h.score, 2), **h.fact.to_dict()} for h in result.hits]
        if args.explain:
            for out, hit in zip(hits, result.hits, strict=True):
                out["matches"] = _matches(base, hit)
        print(_json({"total": result.total, "partial": result.partial, "hits": hits}))
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
        print(f"fact-explorer: no fact with id {_quoted(args.id)}{hint}", file=sys.stderr)
        return 1
    related = base.related(fact.id)
    if args.json:
        data = fact.to_dict()
        data.pop("related", None)
        if related:
            data["related"] = [{"id": r.fact.id, "rel": r.rel, "reason": r.reason} for r in related]
        print(_json(data))
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
        print(_json({"total": len(out), "conflicts": out}))
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
    from pathlib import Path

    from explorer.check import check

    facts = facts_dir(args)
    sources, named = _folder_asked(args.sources, "--sources", ENV_SOURCES)
    if sources is None and os.path.isdir(join(facts, "sources")):
        sources = join(facts, "sources")  # where `fact-explorer draft` keeps the texts it extracted
    why = _not_a_folder(sources) if sources is not None else ""
    if why:
        raise CliError(f"{named}: {why}")
    found = Path(sources) if sources is not None else None
    result = check(Path(facts), found, structure_only=args.structure_only)
    if args.json:
        print(_json(result.to_dict()))
    else:
        for problem in result.problems:
            print(shown(str(problem)))
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
    lines.append(f"Id:       {fact.id}  ({shown(fact.file)}:{fact.line})")
    return "\n".join(lines)


def _figure(fact: Fact) -> str:
    from explorer.figures import figure_text

    return figure_text(fact, period=True)


def _line(fact: Fact, colour: bool) -> str:
    figure = _figure(fact) if fact.as_printed is not None else ""
    claim = " ".join(fact.claim.split())
    if colour:
        return f"\x1b[1m{fact.id}\x1b[0m\t\x1b[36m{figure}\x1b[0m\t{claim}"
    return f"{fact.id}\t{figure}\t{claim}"


def _colour(stream: Any) -> bool:
    return bool(stream.isatty()) and "NO_COLOR" not in os.environ


def _json(data: Any) -> str:
    """JSON for machines: UTF-8 as is, but a name's undecodable bytes as ``\\udcXX`` escapes."""
    import json  # only --json needs it: a plain search prints none

    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


_SURROGATE = lazy("[\ud800-\udfff]")


def _quoted(text: str, most: int = 80) -> str:
    """``text`` quoted for a one-line message: escaped, and cut when long."""
    return repr(text if len(text) <= most else text[:most] + "…")


def _near_ids(base: FactBase, wanted: str) -> list[str]:
    from rapidfuzz import process

    matches = process.extract(wanted, [f.id for f in base.facts], limit=3, score_cutoff=70)
    return [str(m[0]) for m in matches]
