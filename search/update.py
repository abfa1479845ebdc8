"""Keeping an index up to date: re-indexing only the articles and facts that changed.

An update compares the corpus with the manifest of the live generation. When only
articles changed and every fact still checks as before, the saved facts are kept and what
changed is added to the generation's journal (`search.saved.Journal`); otherwise every
fact is read and checked again and everything is saved whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from facts.articles import ArticleError, read_article
from facts.base import FactBase
from facts.dates import PartialDate
from facts.problems import ERROR, Problem

from .documents import FACT, article_uid, doc_hash, fact_doc, fact_document
from .saved import (
    WRITER_OPTIONS,
    Cited,
    Links,
    SavedProblems,
    load_cited,
    load_duplicates,
    load_entries,
    load_fact_docs,
    load_facts,
    load_journal,
    load_links,
    named_in,
    problems_from,
    save_duplicates,
    save_journal,
)
from .scan import entry_hash, sha1_of, sidecar_sha1s
from .spelling import SPELLING, Speller
from .store import read_state

# An article-only update folds the journal into the saved files once it holds more articles
# than this (or than a fiftieth of the corpus): reading it back then stays cheap.
JOURNAL_FOLD = 200

if TYPE_CHECKING:  # imported by the updates that use them
    from facts.loader import QuoteChecker
    from facts.mentions import NameMatcher


@dataclass
class Report:
    """What an index check or update did."""

    action: str  # "none", "update" or "build"
    reason: str = ""
    seconds: float = 0.0
    articles_indexed: int = 0
    articles_removed: int = 0
    facts_indexed: int = 0
    facts_removed: int = 0
    problems: Sequence[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors (of an index found current: without reading the others)."""
        if isinstance(self.problems, SavedProblems):
            return list(self.problems.errors)
        return [p for p in self.problems if p.severity == ERROR]


class Updater:
    """The incremental update of `build.Indexer`, which this is mixed into: it provides the
    corpus, the progress callback and the indexing of one article or of the facts."""

    def _update(self, gen: Path, manifest: dict, snapshot: dict) -> Report:
        corpus = self.corpus
        old_scan = manifest["scan"]
        old_articles: dict[str, dict] = manifest["articles"]
        listed, file_problems = corpus.article_names()
        names = set(listed)
        sidecar_changed = snapshot["sidecar"] != old_scan.get("sidecar") and \
            sidecar_sha1s(corpus) != manifest.get("sidecar_sha1")

        to_index: list[Path] = []
        now, before = snapshot["articles"], old_scan["articles"]
        for name in listed:
            old = old_articles.get(name)
            if (old is None
                    or (now.get(name) != before.get(name) and sha1_of(corpus.listed_path(name)) != old.get("sha1"))
                    or (sidecar_changed and entry_hash(corpus.sidecar, name) != old.get("meta"))):
                to_index.append(corpus.listed_path(name))
        removed = sorted(set(old_articles) - names)
        facts_changed = any(
            snapshot["facts"].get(rel) != old_scan["facts"].get(rel)
            and sha1_of(corpus.abspath(rel)) != manifest["fact_files"].get(rel)
            for rel in set(snapshot["facts"]) | set(manifest["fact_files"])
        )
        # A file that is passed over (not an article, a name that is not UTF-8) coming or going
        # changes the problems only: the updates below report them again.
        same_files = snapshot["articles"].keys() == old_scan["articles"].keys()
        if not to_index and not removed and not facts_changed and not sidecar_changed and same_files:
            # Only times changed (a file touched or rewritten unchanged): record them.
            journal = load_journal(gen)
            if journal is None:
                raise ValueError("the saved changes cannot be read")
            journal.record_scan(old_scan, snapshot)
            save_journal(gen, corpus, snapshot, manifest["articles"], journal, None, None)
            return Report("none", "files touched, contents unchanged",
                          problems=SavedProblems(gen, read_state(gen) or {}))
        change = _Change(gen, manifest, snapshot, names, file_problems, to_index, removed)
        if not facts_changed and not sidecar_changed:
            report = self._update_articles(change)
            if report is not None:
                return report
        return self._update_all(change, facts_changed)

    def _update_articles(self, change: _Change) -> Report | None:
        """The quick update when only articles changed and every fact still checks as before.

        Facts are not read again: the spans of the quotes in changed articles are moved, only
        the documents of those facts are replaced, and what changed goes into the journal.
        Returns None when the facts' checks would change (a quote appears or disappears,
        an article's date changes ...): the full update handles that.
        """
        from facts.loader import QuoteChecker
        from facts.mentions import NameMatcher

        corpus, gen, manifest = self.corpus, change.gen, change.manifest
        cited = load_cited(gen)
        journal = load_journal(gen)
        entries = load_entries(gen)
        if cited is None or journal is None or entries is None:
            return None
        self._matcher = NameMatcher.from_entries(entries)
        old_articles = manifest["articles"]
        if any(cited.wanted.get(name) for name in change.removed):
            return None
        checker = QuoteChecker(change.names)
        read: dict[str, tuple] = {}
        for path in change.to_index:
            wanted = cited.wanted.get(path.name, ())
            old = old_articles.get(path.name) or {}
            try:
                article, extra = read_article(path, corpus.sidecar)
            except ArticleError as exc:
                if wanted:
                    return None
                checker.fail(path.name, exc.message)
                read[path.name] = (None, [Problem(self.corpus.problem_file(path.name), exc.line, exc.message)])
                continue
            checker.feed(article, wanted)
            meta = article.meta
            found = checker.found.get(path.name, {})
            if wanted and ("error" in old or (meta.date.iso if meta.date else None) != old.get("date")
                           or meta.date_estimated != old.get("estimated", False)
                           or {q: s is None for q, s in found.items()}
                           != {q: s is None for q, s in old.get("quotes", {}).items()}):
                return None
            read[path.name] = (article, extra)

        # A journal grown large is folded into the saved files: they are read and written whole.
        fold = len(journal.articles.keys() | read.keys() | set(change.removed)) > \
            max(JOURNAL_FOLD, len(change.names) // 50)
        from whoosh import index as whoosh_index

        ix = whoosh_index.open_dir(str(gen))
        # The facts citing a changed article are made again from their stored documents; the
        # fact base is read only when that cannot be done, or to fold the journal in.
        cites = [name for name in read if cited.wanted.get(name)]
        stored = None if fold else _citing_docs(ix, cites)
        base = load_facts(gen, bare=not fold) if stored is None and (cites or fold) else None
        links = load_links(gen, journal) if fold else None
        fact_docs = load_fact_docs(gen) if fold else {}
        if (stored is None and (cites or fold) and base is None) or (fold and (links is None or fact_docs is None)):
            return None
        speller = Speller.load(gen / SPELLING)
        articles_state = {n: s for n, s in old_articles.items() if n in change.names}
        self._links = {}
        writer = _writer(ix)
        try:
            for done, path in enumerate(change.to_index, 1):
                writer.delete_by_term("uid", article_uid(path.name))
                article, extra = read[path.name]
                articles_state[path.name] = self._index_read_article(writer, path, article, extra, checker, speller)
                self.progress("Indexing articles", done, len(change.to_index))
            for name in change.removed:
                writer.delete_by_term("uid", article_uid(name))
            if base is not None:
                moved = _move_spans(base, checker, set(read))
                docs = [fact_doc(fact, base) for fact in moved]
                spans = {f.id: tuple((s.article, s.quote, s.span) for s in f.sources) for f in moved}
            else:
                docs = _moved_docs(stored or [], checker, set(read))
                spans = {d["payload"]["id"]: tuple((s["article"], s["quote"], tuple(s["span"]) if s["span"] else None)
                                                   for s in d["payload"]["sources"]) for d in docs}
            fact_hashes: dict[str, str] = {}
            for doc in docs:  # a few: not worth reading the hashes of every fact to skip one
                fact_hashes[doc["payload"]["id"]] = doc_hash(doc)
                writer.update_document(**doc)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        problems = self._problems(change, articles_state, cited)
        self._update_duplicates(change)
        gone = dict.fromkeys(change.removed)
        journal.metas.update({**gone, **{n: a.meta if a is not None else None for n, (a, _) in read.items()}})
        journal.named.update({**gone, **{n: self._links.get(n) for n in read}})
        journal.articles.update({**gone, **{n: articles_state[n] for n in read}})
        journal.fact_docs.update(fact_hashes)
        journal.spans.update(spans)
        journal.record_scan(manifest["scan"], change.snapshot)
        if fold:
            from .saved import applied

            base.articles = applied(base.articles, journal.metas)
            self._links = applied(links.articles, journal.named)
            self._save(gen, change.snapshot, articles_state, base, {**fact_docs, **fact_hashes},
                       speller, problems, cited)
        else:
            save_journal(gen, corpus, change.snapshot, articles_state, journal, speller, problems)
        return Report("update", "articles changed", articles_indexed=len(change.to_index),
                      articles_removed=len(change.removed), facts_indexed=len(fact_hashes), problems=problems)

    def _update_duplicates(self, change: _Change) -> None:
        """Take the removed and re-read articles out of the copies index and put back those read."""
        dups = load_duplicates(change.gen)
        if dups is None:
            raise ValueError("the index of copies cannot be read")
        for name in change.removed:
            dups.remove(name)
        for path in change.to_index:
            if path.name in self._sketches:
                dups.add(path.name, self._sketches[path.name], self.corpus.order_key)
            else:
                dups.remove(path.name)
        save_duplicates(change.gen, dups)

    def _problems(self, change: _Change, articles_state: dict, cited: Cited) -> list[Problem]:
        """Every problem, in the order a full build reports them."""
        corpus = self.corpus
        return (change.file_problems + list(corpus.sidecar.problems) + cited.fact_file_problems
                + [p for s in articles_state.values() for p in problems_from(s.get("problems", []))]
                + corpus.sidecar.check_names(change.names) + cited.fact_problems)

    def _update_all(self, change: _Change, facts_changed: bool) -> Report:
        """The update that reads and checks every fact again (facts or metadata changed)."""
        from whoosh import index as whoosh_index

        from facts.loader import QuoteChecker, quotes_by_article
        from facts.mentions import NameMatcher

        corpus, gen, manifest = self.corpus, change.gen, change.manifest
        old_base = load_facts(gen)
        links = load_links(gen)
        old_docs = load_fact_docs(gen)
        if old_base is None or links is None or old_docs is None:
            raise ValueError("the saved facts cannot be read")
        old_articles: dict[str, dict] = manifest["articles"]
        names = change.names
        raw_facts, fact_file_problems = corpus.read_facts()
        self._matcher = NameMatcher.from_facts(raw_facts)
        self._links = {n: named for n, named in links.articles.items() if n in names}
        wanted = quotes_by_article(raw_facts)
        checker = QuoteChecker(names)
        self._metas = {n: m for n, m in old_base.articles.items() if n in names}
        reindexed = {p.name for p in change.to_index}
        for name, state in old_articles.items():
            if name in names and name not in reindexed:
                if "error" in state:
                    checker.fail(name, state["error"])
                else:
                    date = PartialDate.parse(state["date"]) if state.get("date") else None
                    checker.seed(name, date, state.get("estimated", False),
                                 {q: tuple(s) if s else None for q, s in state.get("quotes", {}).items()})
        ix = whoosh_index.open_dir(str(gen))
        speller = Speller.load(gen / SPELLING)
        relink = _relink_candidates(ix, links, self._matcher, old_articles, names - reindexed)
        writer = _writer(ix)
        try:
            articles_state = {n: s for n, s in old_articles.items() if n in names}
            for done, path in enumerate(change.to_index, 1):
                writer.delete_by_term("uid", article_uid(path.name))
                articles_state[path.name] = self._index_article(writer, path, checker, wanted, speller)
                self.progress("Indexing articles", done, len(change.to_index))
            relinked = self._relink(writer, relink, links, articles_state, checker, wanted)
            for name in change.removed:
                writer.delete_by_term("uid", article_uid(name))
            # Unchanged articles cited by new quotes: look the quotes up now.
            for name, quotes in checker.missing(wanted).items():
                try:
                    article, _ = read_article(corpus.article_path(name), corpus.sidecar)
                except ArticleError as exc:
                    checker.fail(name, exc.message)
                    continue
                checker.feed(article, quotes)
                articles_state[name]["quotes"] = {q: list(s) if s else None for q, s in checker.found[name].items()}
            base, fact_problems = self._facts(raw_facts, checker)
            fact_hashes = self._index_facts(writer, base, old_docs, None)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        if reindexed or facts_changed:
            speller.add_entity_names(n for f in base.facts.values() if "name" in f.values for n in (f.name, *f.aliases))
        cited = Cited(wanted, fact_file_problems, fact_problems)
        problems = self._problems(change, articles_state, cited)
        self._update_duplicates(change)
        self._save(gen, change.snapshot, articles_state, base, fact_hashes, speller, problems, cited)
        changed_facts = sum(1 for k, v in fact_hashes.items() if old_docs.get(k) != v)
        return Report("update", "the corpus changed", articles_indexed=len(change.to_index) + relinked,
                      articles_removed=len(change.removed), facts_indexed=changed_facts,
                      facts_removed=len(set(old_docs) - set(fact_hashes)), problems=problems)


    def _relink(self, writer, names: list[str], old: Links, articles_state: dict, checker: QuoteChecker,
                wanted: dict) -> int:
        """Re-index the unchanged articles whose links change with the new entity names."""
        before_kinds = {e[0]: e[1] for e in old.entries}
        rekinded = {eid for eid, kind in self._matcher.kinds.items() if before_kinds.get(eid, kind) != kind}
        done = 0
        for i, name in enumerate(names, 1):
            path = self.corpus.article_path(name)
            if path is None:
                continue
            try:
                article, _ = read_article(path, self.corpus.sidecar)
            except ArticleError:
                continue  # changed since the last scan: the next update indexes it
            named = named_in(self._matcher, article)
            before = old.articles.get(name, {})
            if i % 25 == 0 or i == len(names):
                self.progress("Linking articles", i, len(names))
            if named == before and not (set(named) & rekinded):  # same links, same fields
                continue
            checker.feed(article, wanted.get(name, ()))
            state = self._index_read_article(writer, path, article, [], checker, None)
            state["problems"] = articles_state[name].get("problems", [])
            articles_state[name] = state
            done += 1
        return done


def _writer(ix):
    """A writer of index `ix`, made on a thread of its own. Whoosh keeps the error of a folder
    that exists (its writer makes one twice) in a reference cycle with the frames it went
    through, so everything the callers of the frame that made the writer hold (the manifest,
    the listing ...) would wait for the collector: 0.1 s of an update at 10,000 articles."""
    import threading

    from .flushing import Writer

    made: list = []

    def make() -> None:
        try:
            made.append(Writer(ix, timeout=30, **WRITER_OPTIONS))
        except BaseException as exc:  # raised again on the caller's thread
            made.append(exc)

    thread = threading.Thread(target=make, name="index-writer")
    thread.start()
    thread.join()
    if isinstance(made[0], BaseException):
        raise made[0]
    return made[0]


def _changed_entities(old: tuple, new: tuple) -> set[str]:
    """Ids whose names, aliases, kind or owners differ between two sets of entries."""
    before, after = {e[0]: e for e in old}, {e[0]: e for e in new}
    return {eid for eid in before.keys() | after.keys() if before.get(eid) != after.get(eid)}


def _relink_candidates(ix, old: Links, matcher: NameMatcher, old_articles: dict, names: set[str]) -> list[str]:
    """Unchanged articles that may name differently under `matcher`: those that named a changed
    entity, and those whose words include a word of a new or changed name (looked up in the index)."""
    changed = _changed_entities(old.entries, matcher.entries)
    if not changed:
        return []
    from whoosh import query as q

    from .analysis import analyze
    from .schema import TEXT_FIELD

    out = {n for n, named in old.articles.items() if set(named) & changed}
    terms: set[str] = set()
    for eid, _kind, name, aliases, _ in matcher.entries:
        if eid in changed:
            for written in (name, *aliases):
                found = analyze(written)
                if not found:
                    return sorted(n for n in names if "error" not in old_articles.get(n, {}))
                terms.update(found)
    if terms:
        wanted = q.And([q.Term("doctype", "article"),
                        q.Or([q.Term(TEXT_FIELD, t) for t in sorted(terms)])])
        with ix.searcher() as searcher:
            out.update(hit["source"] for hit in searcher.search(wanted, limit=None))
    return sorted(n for n in out if n in names)


@dataclass
class _Change:
    """What an update found changed."""

    gen: Path
    manifest: dict
    snapshot: dict
    names: set[str]  # of every article file
    file_problems: list[Problem]
    to_index: list[Path]
    removed: list[str]


def _citing_docs(ix, names: list[str]) -> list[dict] | None:
    """The stored fields of the fact documents that cite the articles `names`, each once; None
    when a name is not a term of the `source` field as it is (a comma, spaces around it)."""
    if any("," in name or name != name.strip() for name in names):
        return None
    out: dict[str, dict] = {}
    with ix.searcher() as searcher:
        for name in names:
            for docnum in searcher.document_numbers(source=name):
                fields = searcher.stored_fields(docnum)
                if fields.get("doctype") == FACT:
                    if "indexed" not in fields:
                        return None
                    out.setdefault(fields["uid"], fields)
    return list(out.values())


def _moved_docs(stored: list[dict], checker: QuoteChecker, articles: set[str]) -> list[dict]:
    """The documents of facts (as stored) with their sources in `articles` pointed at where
    their quotes now are, as `_move_spans` does to a fact base."""
    docs = []
    for fields in stored:
        payload = {k: v for k, v in fields["payload"].items() if k != "quote_starts"}
        sources = []
        for source in payload["sources"]:
            span = checker.found.get(source["article"], {}).get(source["quote"]) if source["article"] in articles else None
            sources.append({**source, "span": list(span)} if span is not None else source)
        docs.append(fact_document({**payload, "sources": sources}, fields["indexed"]))
    return docs


def _move_spans(base: FactBase, checker: QuoteChecker, articles: set[str]) -> list:
    """Point the sources citing `articles` at where their quotes now are; the facts touched."""
    moved = []
    for fact in base.facts.values():
        touched = False
        for source in fact.sources:
            if source.article in articles:
                span = checker.found.get(source.article, {}).get(source.quote)
                if span is not None:
                    source.span = tuple(span)
                touched = True
        if touched:
            moved.append(fact)
    return moved


