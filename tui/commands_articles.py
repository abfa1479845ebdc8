"""The article commands: `alliance add`, `alliance articles` and `alliance read`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.text import Text

from facts.text import one_line, sanitize
from tui.cli import EXIT_ERROR, EXIT_FOUND, EXIT_NOTHING, _fail, _open_kb, library_of
from tui.printing import DIM, HEAD, WARN, console, plain


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' if n != 1 else ''}"


def _safe(text: str, limit: int | None = None) -> str:
    return one_line(sanitize(text), limit)


def _meta_line(meta, words: int | None) -> str:
    parts = [meta.publisher or "site unknown", str(meta.date) + (" (estimated)" if meta.date_estimated else "")
             if meta.date else "date unknown"]
    if words is not None:
        parts.append(_plural(words, "word"))
    if meta.author:
        parts.append(f"by {meta.author}")
    return " · ".join(parts)


def _title_of(kb, name: str) -> str:
    meta = kb.article_metas().get(name)
    return meta.title if meta else name


_IT_IS = {"copy": "a copy", "excerpt": "an excerpt", "rewrite": "a rewrite"}


# -- add -------------------------------------------------------------------------------------

def cmd_add(args) -> int:
    from facts.adding import AddError, Library, expand, prepare
    from facts.articles import ArticleError
    from facts.boilerplate import clean
    from facts.duplicates import COPY, DuplicateIndex, sketch
    from facts.mentions import article_links

    if getattr(args, "no_library", False):
        return _fail("add writes to your library: it cannot be used with --no-library")
    library = Library(library_of(args))
    kb = _open_kb(args, quiet=True)
    if kb is None:
        return EXIT_ERROR
    out, err = console(), console(stderr=True)
    corpus = kb.corpus
    dups = kb.duplicates or DuplicateIndex()
    files, _ = corpus.article_files()
    taken = {p.name for p in files}
    if library.seeds_dir.is_dir():
        taken |= {p.name for p in library.seeds_dir.iterdir()}
    added, failed = [], 0
    matcher = kb.name_matcher()
    for kind, source in expand(args.sources):
        shown = "standard input" if kind == "stdin" else _safe(source, 200)
        try:
            prepared = prepare(kind, source, stdin=sys.stdin.buffer, timeout=args.timeout)
            sk = sketch(clean(prepared.text).text)
            matches = dups.find(sk, corpus.order_key)
            same = next((m for m in matches if m.how == COPY and m.resemblance == 1.0), None)
            if same is not None:
                raise AddError(f"already there as {same.name} (“{_title_of(kb, same.name)}”)")
            name = library.add(prepared, taken)
        except AddError as exc:
            failed += 1
            err.print(plain(f"not added: {shown}: {exc}", style=WARN))
            continue
        except OSError as exc:
            failed += 1
            err.print(plain(f"not added: {shown}: cannot write to the library: {exc.strerror or exc}", style=WARN))
            continue
        taken.add(name)
        dups.add(name, sk, corpus.order_key)
        added.append(name)
        corpus.refresh()
        try:
            article = corpus.article(name)
        except ArticleError as exc:  # written, but the reader disagrees: say so rather than hide it
            err.print(plain(f"added {name}, but it cannot be read back: {exc.message}", style=WARN))
            continue
        meta = article.meta
        out.print(Text.assemble("Added ", plain(f"“{meta.title}”", HEAD), f" as {name}"))
        out.print(plain(f"  {_meta_line(meta, sk.words)}", style=DIM))
        names = [m["name"] for m in article_links(article.text, matcher)["mentions"]]
        out.print(plain("  Names: " + (", ".join(names[:12]) + (" …" if len(names) > 12 else "")
                                      if names else "no known company, person, vehicle or platform"), style=DIM))
        for match in matches[:3]:
            if match.is_duplicate:
                out.print(plain(f"  Looks like {match.describe()} (“{_title_of(kb, match.name)}”).", style=WARN))
            else:
                out.print(plain(f"  {match.name} looks like {_IT_IS[match.how]} of it.", style=WARN))
        if prepared.page is not None:
            out.print(plain(f"  Original page kept as {library.pages_dir / (Path(name).stem + '.html')}", style=DIM))
    if added:
        kb.ensure()
    summary = f"{_plural(len(added), 'article')} added to {library.root}"
    out.print(plain(summary + (f"; {failed} not added." if failed else "."), style=HEAD))
    return EXIT_FOUND if not failed else EXIT_ERROR


# -- articles --------------------------------------------------------------------------------

def article_record(kb, name: str, meta) -> dict:
    """An article's JSON fields (shared by `articles --json` and `read --json`)."""
    dups = kb.duplicates
    dup = dups.duplicate_of(name) if dups is not None else None
    return {
        "name": name, "title": meta.title, "publisher": meta.publisher, "author": meta.author,
        "date": meta.date.iso if meta.date else None, "date_estimated": meta.date_estimated,
        "url": meta.url, "words": dups.words(name) if dups is not None else None,
        "origin": kb.corpus.origin(name), "duplicate_of": dup.name if dup else None,
        "duplicate_kind": dup.how if dup else None,
        "copies": dups.copies_of(name) if dups is not None else [],
    }


def cmd_articles(args) -> int:
    kb = _open_kb(args, quiet=args.json)
    if kb is None:
        return EXIT_ERROR
    records = [article_record(kb, name, meta) for name, meta in sorted(kb.article_metas().items())]
    if args.json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return EXIT_FOUND if records else EXIT_NOTHING
    out = console()
    metas = kb.article_metas()
    for rec in records:
        meta = metas[rec["name"]]
        head = plain(f"{rec['name']}  ")
        head.append(meta.title, style=HEAD)
        out.print(head)
        line = f"    {rec['origin']} · {_meta_line(meta, rec['words'])}"
        out.print(plain(line, style=DIM))
        if rec["duplicate_of"]:
            from facts.duplicates import DESCRIBE

            out.print(plain(f"    {DESCRIBE[rec['duplicate_kind']]} {rec['duplicate_of']}", style=WARN))
    counts: dict[str, int] = {}
    for rec in records:
        counts[rec["origin"]] = counts.get(rec["origin"], 0) + 1
    dupes = sum(1 for r in records if r["duplicate_of"])
    out.print(plain(f"{_plural(len(records), 'article')} ("
                   + ", ".join(f"{n} {o}" for o, n in counts.items())
                   + (f"; {dupes} duplicate{'s' if dupes != 1 else ''} of others" if dupes else "") + ")",
                   style=HEAD))
    return EXIT_FOUND if records else EXIT_NOTHING


# -- read ------------------------------------------------------------------------------------

def find_articles(metas: dict, query: str) -> list[str]:
    """Articles called `query`: the file name, its number prefix, or words of the title."""
    from facts.names import name_key

    query = query.strip()
    if query in metas:
        return [query]
    if query.isdigit():
        number = int(query)
        return [n for n in metas if n.split("_", 1)[0].isdigit() and int(n.split("_", 1)[0]) == number]
    prefixed = [n for n in metas if n.startswith(query)]
    if prefixed:
        return prefixed
    words = name_key(query).split()
    if not words:
        return []
    return [n for n, m in metas.items() if all(w in name_key(m.title).split() for w in words)] or \
        [n for n, m in metas.items() if all(w in name_key(m.title) for w in words)]


def cmd_read(args) -> int:
    from facts.articles import ArticleError

    kb = _open_kb(args, quiet=args.json)
    if kb is None:
        return EXIT_ERROR
    out = console()
    tell = console(stderr=True) if args.json else out  # --json keeps stdout for JSON
    query = " ".join(args.name)
    metas = kb.article_metas()
    found = find_articles(metas, query)
    if not found:
        tell.print(plain(f"No article is called “{query}” (try a file name, its number or words of its title).", style=HEAD))
        return EXIT_NOTHING
    if len(found) > 1:
        tell.print(plain(f"“{query}” could be:", style=HEAD))
        for name in found[:20]:
            tell.print(plain(f"  {name}  {metas[name].title}"))
        tell.print(Text("Be more specific (the file name always works).", style=DIM))
        return EXIT_ERROR
    name = found[0]
    try:
        article = kb.article(name)
    except ArticleError as exc:
        return _fail(f"{name}: {exc.message}")
    meta = article.meta
    record = article_record(kb, name, meta)
    text = article.raw if args.raw else article.text
    if args.json:
        record["text"] = text
        links = kb.article_links(name)  # known names (most named first), ambiguous ones, candidates
        kinds = kb.name_matcher().kinds
        record["mentions"] = [{**m, "kind": kinds.get(m["id"])} for m in links["mentions"]]
        record["ambiguous"], record["candidates"] = links["ambiguous"], links["candidates"]
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return EXIT_FOUND
    out.print(plain(meta.title, style=HEAD))
    out.print(plain(_meta_line(meta, record["words"]), style=DIM))
    out.print(plain(f"{name} · {record['origin']}" + (f" · {meta.url}" if meta.url else ""), style=DIM))
    if record["duplicate_of"]:
        from facts.duplicates import DESCRIBE

        out.print(plain(f"{DESCRIBE[record['duplicate_kind']]} {record['duplicate_of']}", style=WARN))
    out.print()
    out.print(plain(text))
    return EXIT_FOUND
