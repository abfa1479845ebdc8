"""The `alliance` command: the app with no arguments, quick look-ups with one.

Exit status: 0 when something was found (or all is well), 1 when nothing matched,
2 on a usage or corpus error. Arguments are parsed before anything heavy is imported.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from tui import __version__

EXIT_FOUND, EXIT_NOTHING, EXIT_ERROR = 0, 1, 2

EPILOG = """\
commands:
  (none)            open the terminal app
  search QUERY      ranked articles and facts, with highlighted snippets
  show NAME         everything known about a company, person, vehicle, platform ...
  timeline [NAME]   what happened when, and the targets set, in date order (--since, --json)
  index             bring the index up to date (--rebuild: from scratch)
  check             validate the corpus: YAML, references, quotes (--coverage)
  suggest ARTICLE   facts an article states, with their quotes, for review (--json, --yaml)
  add PATH|URL|-    add articles, saved web pages or URLs to your library
  articles          list every article: title, site, date, words, where, copies
  read NAME         print an article's reading text and metadata (--raw, --json)

query language (search and the app):
  plain words, "quoted phrases", AND / OR / NOT / -word, ( ), prefix ampr*,
  typo tolerance (renualt finds renault), fields: kind:partnership company:nissan
  person: vehicle: platform: technology: status:in-talks year:2024 source:002*

the bundled corpus (or --corpus DIR) and your library are shown together;
--no-library leaves the library out.

environment: ALLIANCE_CACHE_DIR (where indexes live), ALLIANCE_LIBRARY_DIR (your library),
NO_COLOR (plain output)
"""


ADD_EXAMPLES = """\
examples:
  alliance add story.txt notes.md saved-page.html
  alliance add https://example.com/news/article.html
  alliance add ~/Downloads/articles/
  curl -s URL | alliance add -
"""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose messages (which quote the arguments) are made terminal-safe."""

    def _print_message(self, message: str, file=None) -> None:
        if message and not message.replace("\n", "").replace("\t", "").isprintable():
            from facts.text import safe_for_terminal  # only then: --help stays light

            message = safe_for_terminal(message)
        super()._print_message(message, file)


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--corpus", metavar="DIR", default=default,
                        help="a corpus folder with seeds/ and facts/ (default: the bundled corpus)")
    parser.add_argument("--index-dir", metavar="DIR", default=default,
                        help="where to keep the index (default: a folder in the user's cache)")
    parser.add_argument("--library", metavar="DIR", default=default,
                        help="your library of added articles (default: $ALLIANCE_LIBRARY_DIR, "
                        "else a folder in the user's data directory)")
    parser.add_argument("--no-library", action="store_true", default=default,
                        help="leave your library out: only the bundled corpus (or --corpus)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="alliance",
        description="A keyboard-driven browser for a knowledge base about car-industry alliances and electric cars.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"alliance {__version__}")
    _common(parser, suppress=False)
    parser.add_argument("--theme", metavar="NAME", help="app theme, e.g. ansi-dark for terminals that mangle colour")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("search", help="search articles and facts", description="Search articles and facts. "
                       "Prints ranked results with highlighted snippets and where each comes from.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("query", nargs="+", help="the query: several words are joined, and words that start with '-' (-geely) are query words")
    p.add_argument("--kind", help="only this kind: article, fact, company, partnership, vehicle ...")
    p.add_argument("--company", metavar="NAME", help="only results involving this company")
    p.add_argument("--limit", type=_positive, default=10, help="how many results (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON (schema in the README)")
    _common(p, suppress=True)

    p = sub.add_parser("show", help="everything known about an entity",
                       description="Print everything known about a company, person, vehicle, platform, "
                       "technology or partnership: its facts grouped by kind, each with its source and date.")
    p.add_argument("name", nargs="+", help="a name or alias; small typos are accepted")
    _common(p, suppress=True)

    _timeline_parser(sub)

    p = sub.add_parser("index", help="bring the index up to date", description="Check the index against "
                       "the corpus and re-index what changed (or everything, with --rebuild).")
    p.add_argument("--rebuild", action="store_true", help="build the index from scratch")
    _common(p, suppress=True)

    _add_suggest(sub)
    p = sub.add_parser("check", help="validate the corpus", description="Validate articles, metadata and "
                       "facts: YAML syntax, fields, ids, references and quotes. Exits 2 if there are errors.")
    p.add_argument("--coverage", action="store_true", help="also list article sentences that no fact cites")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="also list, one by one, the facts left out only because of another problem")
    _common(p, suppress=True)

    p = sub.add_parser("add", help="add articles to your library", description="Add text files (.txt, "
                       ".md), saved web pages (.html, .htm), URLs and standard input ('-') to your library, "
                       "a corpus folder in your data directory (or --library DIR). A folder adds every "
                       "article in it. Articles are always written to the library, never to the bundled "
                       "corpus or a --corpus folder. Web pages keep their original HTML in the library's "
                       "pages/ folder. An exact copy of an article already there is not added; a near copy "
                       "is added with a note. Exits 0 when everything was added, 2 when something was not.",
                       epilog=ADD_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sources", nargs="+", metavar="PATH|URL|-", help="files, folders, http(s) URLs, or - for stdin")
    p.add_argument("--timeout", type=_seconds, default=20.0, help="seconds to wait for a URL (default 20)")
    _common(p, suppress=True)

    p = sub.add_parser("articles", help="list every article", description="List every article: title, "
                       "site, author, date (~ when estimated), words, where it lives (bundled, corpus or "
                       "library) and which article it duplicates.")
    p.add_argument("--json", action="store_true", help="print JSON (fields in the README)")
    _common(p, suppress=True)

    p = sub.add_parser("read", help="print an article", description="Print an article's reading text "
                       "(page boilerplate removed) with its metadata. NAME is the file name, its number "
                       "prefix (005) or words of the title.")
    p.add_argument("name", nargs="+", help="file name, number prefix or words of the title")
    p.add_argument("--raw", action="store_true", help="the text as stored, boilerplate included")
    p.add_argument("--json", action="store_true", help="print JSON (fields in the README)")
    _common(p, suppress=True)
    return parser


def _add_suggest(sub) -> None:
    p = sub.add_parser("suggest", help="suggest facts from an article",
                       description="Suggest facts an article states, each with the sentence it comes from as its "
                       "quote, the entities it involves (new ones proposed alongside) and the known facts it "
                       "updates (supersedes:) or disagrees with (conflicts_with:). Hedged wording is marked. "
                       "Nothing is written; review them in the app (ctrl+r) to accept.")
    p.add_argument("article", help="the article's file name, a unique prefix of it, or words of its title")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="machine-readable output")
    fmt.add_argument("--yaml", action="store_true", help="the suggestions as a facts file (valid for 'alliance check')")
    p.add_argument("--all", action="store_true", help="also those rejected in review")
    _common(p, suppress=True)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError("must be between 0 and 600 seconds")
    return value


def _timeline_parser(sub) -> None:
    p = sub.add_parser("timeline", help="what happened when, and the targets set",
                       description="Dated events, statements, partnerships and roles beginning or ending, "
                       "reports of plans and stakes, and changes of status, in date order, each with its "
                       "source and quote; then the targets the articles set (dates in their future).")
    p.add_argument("name", nargs="*", help="only what involves this company, person, vehicle ... (default: all)")
    p.add_argument("--since", metavar="DATE", type=_date,
                   help="only entries from this date on: 2024, 2023-H2, 2023-Q1, 2024-04, 2024-04-26")
    p.add_argument("--json", action="store_true", help="print JSON (schema in the README)")
    _common(p, suppress=True)


def _date(text: str):
    from facts.dates import DateError, PartialDate

    try:
        return PartialDate.parse(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


QUERY_COMMANDS = ("search", "show")
ARTICLE_COMMANDS = ("add", "articles", "read")  # in tui.commands_articles
_OPTION_LIKE = re.compile(r"--[A-Za-z]")


def words_last(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """`argv` with the query of `search` or `show` moved after a `--`, so that its words may
    start with '-' (`search nissan -geely`, `search --?*`): every argument after the command
    that is not one of the command's own options is a query word, in order. A `--` the user
    typed still ends the options; before it, `--word` that is no option is a usage error
    (most likely a mistyped option)."""
    top = parser._option_string_actions
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "--":  # options before the command
        action = top.get(argv[i])
        i += 2 if action is not None and action.nargs != 0 else 1
    if i >= len(argv) or argv[i] not in QUERY_COMMANDS:
        return argv
    sub = parser._subparsers._group_actions[0].choices[argv[i]]
    options: list[str] = []
    words: list[str] = []
    rest = argv[i + 1:]
    j = 0
    while j < len(rest):
        arg = rest[j]
        if arg == "--":
            words.extend(rest[j + 1:])
            break
        name, eq, _ = arg.partition("=")
        action = sub._option_string_actions.get(name) if arg.startswith("-") else None
        if action is None and _OPTION_LIKE.match(arg):  # a mistyped option is not quietly searched for
            sub.error(f"unrecognized arguments: {arg} (to search for it, put it after '--': "
                      f"alliance {argv[i]} -- {arg})")
        if action is None:
            words.append(arg)
            j += 1
        elif action.nargs != 0 and not eq:  # an option and its value
            options.extend(rest[j:j + 2])
            j += 2
        else:
            options.append(arg)
            j += 1
    return [*argv[:i + 1], *options, *(["--", *words] if words else [])]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(words_last(parser, list(sys.argv[1:] if argv is None else argv)))
    try:
        if args.command is None:
            return _run_app(args)
        if args.command in ARTICLE_COMMANDS:  # imported only for them
            from tui import commands_articles

            return getattr(commands_articles, f"cmd_{args.command}")(args)
        return {"search": cmd_search, "show": cmd_show, "timeline": cmd_timeline, "index": cmd_index,
                "check": cmd_check, "suggest": cmd_suggest}[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `alliance search x | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FOUND
    except Exception:  # a bug: its traceback, made safe (it can quote file names and queries)
        import traceback

        from facts.text import safe_for_terminal

        sys.stderr.write(safe_for_terminal(traceback.format_exc()))
        sys.stderr.write("alliance: internal error (the traceback above); please report it.\n")
        return EXIT_ERROR


def _fail(message: str) -> int:
    from tui.printing import ERROR, console, plain

    console(stderr=True).print(plain(f"alliance: {message}", style=ERROR))
    return EXIT_ERROR


def library_of(args) -> Path | None:
    """The library folder the command shows (None with --no-library)."""
    if getattr(args, "no_library", False):
        return None
    if getattr(args, "library", None):
        return Path(args.library).expanduser()
    from facts.library import library_root

    return library_root()


def open_corpus(args):
    """The corpus the arguments name, with the library; raises CorpusError."""
    from facts.corpus import Corpus

    return Corpus.open(args.corpus, library_of(args))


def _open_kb(args, quiet: bool = False):
    """The knowledge base, up to date; prints progress on a terminal. None on error (reported)."""
    from facts.corpus import CorpusError
    from facts.problems import error_summary
    from search.kb import IndexUnavailable, KnowledgeBase
    from search.store import LockTimeout
    from tui.printing import console, plain, progress_bar

    try:
        corpus = open_corpus(args)
    except CorpusError as exc:
        _fail(str(exc))
        return None
    err = console(stderr=True)
    kb = KnowledgeBase(corpus, Path(args.index_dir) if args.index_dir else None)

    def waiting() -> None:
        err.print("Waiting for another alliance process to finish indexing…", style="dim")

    try:
        with progress_bar(err) as progress:
            report = kb.ensure(progress=progress, waiting=waiting)
    except (IndexUnavailable, LockTimeout, OSError) as exc:
        _fail(f"cannot build or open the index: {exc}")
        return None
    _print_notices(kb)
    if not quiet and report.action == "build":
        err.print(f"Indexed {report.articles_indexed} articles and {report.facts_indexed} facts "
                  f"in {report.seconds:.1f} s.", style="dim")
    summary = error_summary(report.errors)
    if summary and not quiet:
        err.print(plain(f"warning: the corpus has {summary}; run 'alliance check' for all.", style="yellow"))
    return kb


def _print_notices(kb) -> None:
    """Tell the user what the knowledge base had to do (once each: a search may add more)."""
    from tui.printing import console, plain

    err = console(stderr=True)
    for notice in kb.notices:
        err.print(plain(notice, style="yellow"))
    kb.notices.clear()


def cmd_search(args) -> int:
    from facts.text import json_text
    from tui.printing import console, print_results

    kb = _open_kb(args, quiet=args.json)
    if kb is None:
        return EXIT_ERROR
    results = kb.search(" ".join(args.query), kind=args.kind, limit=args.limit, company=args.company)
    cited = [s["article"] for h in results.hits if h.is_fact for s in h.payload.get("sources", [])]
    articles = kb.engine().article_payloads(cited)
    _print_notices(kb)  # the index may have been rebuilt while searching
    for payload in articles.values():
        payload.setdefault("date_label", payload.get("date"))
    if args.json:
        sys.stdout.write(json_text(results.to_json(articles), indent=2) + "\n")
    else:
        print_results(console(), results, articles)
    return EXIT_FOUND if results.hits else EXIT_NOTHING


def cmd_show(args) -> int:
    from tui.printing import console, print_entity, print_mentions

    kb = _open_kb(args)
    if kb is None:
        return EXIT_ERROR
    out = console()
    base = kb.facts
    _print_notices(kb)  # reading the saved facts may have rebuilt the index
    entity = _pick_entity(out, base, " ".join(args.name))
    if entity is None:
        return EXIT_NOTHING
    print_entity(out, kb.facts, entity)
    print_mentions(out, *kb.mentions_of(entity.id))
    return EXIT_FOUND


def _pick_entity(out, base, name: str):
    """The entry a name means (printing what was chosen when it is not exact), or None."""
    from tui.printing import HEAD, plain

    matches = base.names.resolve(name)
    if not matches:
        out.print(plain(f"Nothing is called “{name}”.", style=HEAD))
        return None
    best = matches[0]
    exact = [m for m in matches if m.how == "exact"]
    if not exact and len(matches) > 1 and best.how != "typo":
        out.print(plain(f"“{name}” could be:", style=HEAD))
        for m in matches:
            out.print(plain(f"  {m.fact.name}  ({m.fact.kind}, id {m.fact.id})"))
        out.print(plain("Showing the first. Be more specific to choose another.", style="dim"))
        out.print()
    elif best.how == "typo":
        out.print(plain(f"Showing “{best.fact.name}” for “{name}”.", style="yellow"))
    return best.fact


def cmd_timeline(args) -> int:
    from facts.text import json_text
    from facts.timeline import timeline
    from tui.printing import console, print_timeline

    kb = _open_kb(args, quiet=args.json)
    if kb is None:
        return EXIT_ERROR
    base = kb.facts
    entity = None
    out = console(stderr=args.json)  # with --json, notes about the name go to stderr
    if args.name:
        entity = _pick_entity(out, base, " ".join(args.name))
        if entity is None:
            return EXIT_NOTHING
    entries = timeline(base, entity.id if entity else None, args.since)
    if args.json:
        doc = {"version": 1, "entity": {"id": entity.id, "name": entity.name, "kind": entity.kind} if entity else None,
               "since": args.since.iso if args.since else None, "entries": [e.to_json(base) for e in entries]}
        sys.stdout.write(json_text(doc, indent=2) + "\n")
    else:
        print_timeline(out, base, entries, entity, args.since)
    return EXIT_FOUND if entries else EXIT_NOTHING


def cmd_index(args) -> int:
    from facts.corpus import CorpusError
    from facts.problems import error_summary
    from search.kb import IndexUnavailable, KnowledgeBase
    from search.store import LockTimeout
    from tui.printing import console, plain, progress_bar

    try:
        corpus = open_corpus(args)
    except CorpusError as exc:
        return _fail(str(exc))
    kb = KnowledgeBase(corpus, Path(args.index_dir) if args.index_dir else None)
    out, err = console(), console(stderr=True)
    try:
        with progress_bar(err) as progress:
            report = kb.ensure(progress=progress, rebuild=args.rebuild, fallback=False,
                               waiting=lambda: err.print("Waiting for another alliance process…", style="dim"))
    except (IndexUnavailable, LockTimeout, OSError) as exc:
        return _fail(f"cannot build the index: {exc}")
    for notice in kb.notices:
        err.print(plain(notice, style="yellow"))
    counts = kb.manifest.get("counts", {})
    if report.action == "none":
        out.print(f"The index is up to date (checked in {report.seconds * 1000:.0f} ms).")
    elif report.action == "update":
        out.print(f"Updated the index in {report.seconds:.2f} s: {report.articles_indexed} articles re-indexed, "
                  f"{report.articles_removed} removed; {report.facts_indexed} facts re-indexed, "
                  f"{report.facts_removed} removed.")
    else:
        out.print(f"Built the index in {report.seconds:.2f} s ({report.reason}).")
    out.print(f"{counts.get('articles', 0)} articles, {counts.get('facts', 0)} facts "
              f"({counts.get('entities', 0)} entities, {counts.get('sources', 0)} citations). "
              f"Index: {kb.store.path}")
    summary = error_summary(report.errors)
    if summary:
        err.print(plain(f"The corpus has {summary}; run 'alliance check' for all.", style="yellow"))
    return EXIT_FOUND


def cmd_check(args) -> int:
    from facts.base import load
    from facts.corpus import CorpusError
    from facts.coverage import uncited
    from facts.problems import causes_first
    from tui.printing import ERROR, HEAD, console, plain, print_problems

    try:
        corpus = open_corpus(args)
    except CorpusError as exc:
        return _fail(str(exc))
    loaded = load(corpus)
    out = console()
    # errors first (a cause is never buried under warnings), each group by file and line
    problems = sorted(loaded.problems, key=lambda p: (p.severity != "error", p.file, p.line or 0))
    own, following = causes_first(problems)
    print_problems(out, problems if args.verbose else own)
    for line in following:
        out.print(plain(line + ("" if args.verbose else " (--verbose lists them)"), style=ERROR))
    base = loaded.facts
    sources = sum(len(f.sources) for f in base.facts.values())
    errors = sum(1 for p in own if p.severity == "error")
    left_out = len(problems) - len(own)
    warnings = len(own) - errors
    out.print(plain(f"{len(loaded.articles)} articles, {len(base)} facts ({len(base.entities())} entities), "
                   f"{sources} citations: {errors} error{'s' if errors != 1 else ''}"
                   + (f" ({left_out} more fact{'s' if left_out != 1 else ''} left out because of "
                      f"{'it' if errors == 1 else 'them'})" if left_out else "")
                   + f", {warnings} warning{'s' if warnings != 1 else ''}.", style=HEAD))
    if args.coverage:
        missing, total = uncited(base, loaded.articles)
        out.print(plain(f"{total - len(missing)} of {total} sentences are cited by at least one fact.", style=HEAD))
        for sentence in missing:
            out.print(plain(f"  not cited: {sentence.article}: {sentence.text}"))
    return EXIT_ERROR if errors or left_out else EXIT_FOUND


def cmd_suggest(args) -> int:
    from facts.base import load
    from facts.corpus import CorpusError
    from facts.suggest import suggest_article
    from facts.suggest.article_lookup import find_article
    from facts.suggest.render import to_json, to_yaml
    from facts.suggest.store import ReviewStore, review_root
    from facts.text import json_text, safe_for_terminal
    from tui.printing import console, print_suggestions

    try:
        corpus = open_corpus(args)
    except CorpusError as exc:
        return _fail(str(exc))
    loaded = load(corpus)
    name, candidates = find_article({n: a.title for n, a in loaded.articles.items()}, args.article)
    if name is None:
        hint = f"; it could be {', '.join(candidates[:5])}" if candidates else "; 'alliance search' finds articles"
        return _fail(f"no single article matches '{args.article}'{hint}")
    root = review_root(corpus)
    rejected = set() if args.all or root is None else ReviewStore(root).rejected()
    found = suggest_article(loaded.articles[name], loaded.facts, rejected=rejected)
    if args.json:
        sys.stdout.write(json_text({"version": 1, "article": name, "suggestions": [to_json(s) for s in found]},
                                   indent=1) + "\n")
    elif args.yaml:
        sys.stdout.write(safe_for_terminal(to_yaml(found, f"Suggested from {name}: review before use")))
    else:
        print_suggestions(console(), name, loaded.articles[name].title, found)
    return EXIT_FOUND if found else EXIT_NOTHING


def _run_app(args) -> int:
    from facts.corpus import CorpusError

    try:
        corpus = open_corpus(args)
    except CorpusError as exc:
        return _fail(str(exc))
    from tui.app import AllianceApp

    app = AllianceApp(corpus, Path(args.index_dir) if args.index_dir else None, theme=args.theme)
    app.run()
    return app.return_code or 0
