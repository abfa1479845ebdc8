"""Building the index of a corpus, and the Indexer that keeps it matching the corpus.

A full build streams the articles (each is read, indexed and dropped) into a new
generation and swaps it in. `Indexer.ensure` decides between nothing, an update
(`search.update`) and a full build.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from facts.articles import ArticleError, read_article
from facts.base import FactBase
from facts.problems import Problem

from .bodies import Key, file_key
from .documents import article_doc, doc_hash, fact_doc, fact_uid
from .saved import (
    WRITER_OPTIONS,
    Cited,
    Links,
    SavedProblems,
    journal_missing,
    load_manifest,
    named_in,
    paused_gc,
    problem_rows,
    problems_from,
    save,
    save_duplicates,
)
from .scan import changed_files, entry_hash, fingerprint, fingerprint_of, scan, sha1_of
from .schema import SCHEMA_VERSION, make_schema
from .spelling import Speller
from .store import LOCK_TIMEOUT, IndexStore, LockTimeout, read_state
from .update import Report, Updater

if TYPE_CHECKING:  # what a build and an update use, imported then: a start that changes nothing needs none
    from facts.corpus import Corpus
    from facts.duplicates import Sketch
    from facts.loader import QuoteChecker
    from facts.mentions import NameMatcher

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _quiet(stage: str, done: int, total: int) -> None:
    pass


class Indexer(Updater):
    """Builds and updates the index of one corpus in one index folder."""

    def __init__(self, corpus: Corpus, store: IndexStore, progress: Progress | None = None,
                 waiting: Callable[[], None] | None = None) -> None:
        self.corpus = corpus
        self.store = store
        self.progress = progress or _quiet
        self.waiting = waiting
        self._metas: dict = {}  # file name -> metadata of the articles read
        self._matcher: NameMatcher | None = None  # the entity names articles are linked by (set by a build or update)
        self._links: dict[str, dict] = {}  # file name -> what the article names (facts.mentions.summary)
        self._sketches: dict[str, Sketch] = {}  # file name -> duplicate-detection sketch of those read

    # -- checking --------------------------------------------------------------------------

    def live(self) -> tuple[Path | None, dict | None, str]:
        """The live generation and its state, or why there is no usable one."""
        for _attempt in range(10):
            gen = self.store.current()
            if gen is None:
                return None, None, "no index yet"
            state = read_state(gen)
            if state is not None or self.store.current() == gen:
                break
            # another process replaced the generation while we read it: read the new one
        if state is None:
            return None, None, "the index state is missing or damaged"
        if state.get("schema") != SCHEMA_VERSION:
            return None, None, "the index was made by another version of alliance"
        if state.get("corpus") != self.corpus.key:
            return None, None, "the index belongs to another corpus"
        return gen, state, ""

    def damage(self, gen: Path) -> str | None:
        """What is wrong with the index files of `gen` (changed since written), or None.

        Sizes and modification times only: cheap enough for every start. A difference seen
        while no other process is updating the index is checked again under the lock; while
        one is, the files are changing and Whoosh's own table of contents keeps them readable.
        """
        if changed_files(gen) is None and journal_missing(gen) is None:
            return None
        try:
            with self.store.lock(timeout=0):
                return changed_files(gen) or journal_missing(gen) if self.store.current() == gen else None
        except (LockTimeout, OSError):  # busy, or a read-only cache: let Whoosh try the files
            return None

    def is_current(self) -> bool:
        """True when the live index matches the corpus exactly (the fast start-up check)."""
        _gen, state, _ = self.live()
        return state is not None and state.get("fingerprint") == fingerprint(self.corpus)

    def ensure(self, rebuild: bool = False, patience: float | None = None) -> Report:
        """Make the index match the corpus: nothing, an update or a full build.

        With `patience`, wait at most that long for another process's lock when there is a
        live generation to fall back on (LockTimeout then); without one, wait as long as it takes.
        """
        started = time.perf_counter()
        self.corpus.refresh()
        self.store.clean_leftovers()
        state = None
        if not rebuild:
            gen, state, _why = self.live()
            if state is not None and state.get("fingerprint") == fingerprint(self.corpus):
                return Report("none", seconds=time.perf_counter() - started, problems=SavedProblems(gen, state))
        timeout = patience if patience is not None and state is not None else LOCK_TIMEOUT
        with self.store.lock(timeout=timeout, waiting=self.waiting):
            gen, state, why = self.live()
            if rebuild:
                why = "rebuild requested"
            elif state is not None:
                # Many small objects are made and dropped, few in cycles: the collector's full
                # passes over a process's fact base would cost more than the update. They are
                # dropped before it runs again (when _update_live returns).
                with paused_gc():
                    done = self._update_live(gen, state)
                if isinstance(done, Report):
                    done.seconds = time.perf_counter() - started
                    return done
                why = done
            report = self._build(why)
            report.seconds = time.perf_counter() - started
            return report

    def _update_live(self, gen: Path, state: dict) -> Report | str:
        """Bring live generation `gen` up to date (under the lock): its Report, or why it must be built again."""
        snapshot = scan(self.corpus)
        if state.get("fingerprint") == fingerprint_of(snapshot):  # another process did it
            return Report("none", problems=SavedProblems(gen, state))
        manifest = load_manifest(gen)
        damage = changed_files(gen) or journal_missing(gen)
        if manifest is None:
            return "the index manifest is missing or damaged"
        if damage:
            return damage
        try:
            return self._update(gen, manifest, snapshot)
        except Exception as exc:  # a damaged index: build a fresh one
            if cannot_write(exc):  # a build would fail the same way
                raise
            return f"the index could not be updated ({type(exc).__name__}: {exc})"

    def rebuild_damaged(self, gen: Path | None, reason: str) -> Report:
        """Replace generation `gen`, found damaged, unless another process already has (or does
        while we wait for the lock: processes building one after another rarely let us have it)."""
        deadline = time.monotonic() + LOCK_TIMEOUT
        waiting = self.waiting
        while True:
            live, state, _ = self.live()
            if state is not None and live != gen:
                return Report("none", "another process replaced the damaged index",
                              problems=SavedProblems(live, state))
            try:
                with self.store.lock(timeout=1.0, waiting=waiting):
                    live, state, _ = self.live()
                    if state is not None and live != gen:
                        continue
                    return self._build(reason)
            except LockTimeout:
                if time.monotonic() > deadline:
                    raise
                waiting = None  # told once

    def lacking(self, gen: Path) -> dict[str, list[str]]:
        """What the corpus has now that generation `gen` was not built from: article files
        new, changed and removed, and fact files changed (added or removed)."""
        manifest = load_manifest(gen) or {}
        old = manifest.get("scan") or {}
        old_articles, old_facts = old.get("articles") or {}, old.get("facts") or {}
        now = scan(self.corpus)
        corpus = self.corpus
        def differs(name: str) -> bool:
            path = corpus.article_path(name)
            return path is None or sha1_of(path) != (manifest.get("articles", {}).get(name) or {}).get("sha1")

        changed = [n for n, sig in now["articles"].items() if n in old_articles and old_articles[n] != sig
                   and differs(n)]
        facts = [rel for rel in set(now["facts"]) | set(old_facts) if now["facts"].get(rel) != old_facts.get(rel)
                 and sha1_of(corpus.abspath(rel)) != manifest.get("fact_files", {}).get(rel)]
        return {"new": sorted(set(now["articles"]) - set(old_articles)), "changed": sorted(changed),
                "removed": sorted(set(old_articles) - set(now["articles"])), "facts": sorted(facts)}

    # -- full build ------------------------------------------------------------------------

    def _build(self, reason: str) -> Report:
        from whoosh import index as whoosh_index

        from facts.duplicates import DuplicateIndex
        from facts.loader import QuoteChecker, quotes_by_article
        from facts.mentions import NameMatcher

        corpus = self.corpus
        snapshot = scan(corpus)
        self._metas: dict = {}
        self._sketches = {}
        building = self.store.new_generation()
        writer = None
        try:
            raw_facts, fact_file_problems = corpus.read_facts()
            self._matcher, self._links = NameMatcher.from_facts(raw_facts), {}
            files, file_problems = corpus.article_files()
            problems = file_problems + list(corpus.sidecar.problems) + fact_file_problems
            wanted = quotes_by_article(raw_facts)
            checker = QuoteChecker({p.name for p in files})
            speller = Speller()
            ix = whoosh_index.create_in(str(building), make_schema())
            writer = _build_writer(ix, len(files), _ReadArticles(self, wanted))
            articles_state = self._index_articles(writer, files, checker, wanted, speller)
            for state in articles_state.values():
                problems.extend(problems_from(state.get("problems", [])))
            problems.extend(corpus.sidecar.check_names({p.name for p in files}))
            base, fact_problems = self._facts(raw_facts, checker)
            problems.extend(fact_problems)
            fact_hashes = self._index_facts(writer, base, {}, speller)
            self.progress("Writing the index", 0, 1)
            writer.commit()
            for counts in getattr(writer, "extras", ()):  # the words the sub-writers counted
                speller.add_counts(counts)
            self.progress("Writing the index", 1, 1)
            self.progress("Finding copies", 0, 1)
            dups = DuplicateIndex.build(self._sketches, corpus.order_key)
            save_duplicates(building, dups)
            self.progress("Finding copies", 1, 1)
            self._save(building, snapshot, articles_state, base, fact_hashes, speller, problems,
                       Cited(wanted, fact_file_problems, fact_problems))
            self.store.publish(building)
        except BaseException:
            if writer is not None and not writer.is_closed:
                _cancel(writer)
            self.store.abandon(building)
            raise
        return Report("build", reason, articles_indexed=sum(1 for s in articles_state.values() if "sha1" in s and "error" not in s),
                      facts_indexed=len(fact_hashes), problems=problems)

    def _index_articles(self, writer, files: list[Path], checker: QuoteChecker, wanted: dict,
                        speller: Speller) -> dict[str, dict]:
        """Index every article file of a full build, in the sub-writers when the writer has them;
        their manifest entries, in the order of `files`."""
        total = len(files)
        states: dict[str, dict] = {}
        if not hasattr(writer, "add_articles"):
            for done, path in enumerate(files, 1):
                states[path.name] = self._index_article(writer, path, checker, wanted, speller, fresh=True)
                if done % 25 == 0 or done == total:
                    self.progress("Indexing articles", done, total)
            return states
        back: dict[int, list] = {}

        def receive(results) -> None:
            for start, (rows, found, dates, unreadable) in results:
                back[start] = rows
                checker.found.update(found)
                checker.dates.update(dates)
                checker.unreadable.update(unreadable)
                self.progress("Indexing articles", min(total, len(back) * ARTICLE_BATCH), total)

        for start in range(0, total, ARTICLE_BATCH):
            receive(writer.add_articles(start, files[start:start + ARTICLE_BATCH]))
        receive(writer.article_results())
        for start in sorted(back):
            for name, state, meta, named, sketched in back[start]:
                states[name] = state
                if meta is not None:
                    self._metas[name] = meta
                if named is not None:
                    self._links[name] = named
                if sketched is not None:
                    self._sketches[name] = sketched
        return states

    def _index_article(self, writer, path: Path, checker: QuoteChecker, wanted: dict, speller: Speller | None,
                       fresh: bool = False) -> dict:
        """Read and index one article and check the quotes that cite it; returns its manifest entry."""
        key = file_key(path)  # before reading: a change while it is read gives another key
        try:
            article, extra = read_article(path, self.corpus.sidecar)
        except ArticleError as exc:
            checker.fail(path.name, exc.message)
            return self._index_read_article(writer, path, None, [Problem(self.corpus.problem_file(path.name), exc.line, exc.message)],
                                            checker, speller, fresh)
        checker.feed(article, wanted.get(path.name, ()))
        return self._index_read_article(writer, path, article, extra, checker, speller, fresh, key)

    def _index_read_article(self, writer, path: Path, article, extra: list[Problem], checker: QuoteChecker,
                            speller: Speller | None, fresh: bool = False, key: Key | None = None) -> dict:
        """Index an article already read (None: unreadable, `extra` says why); its manifest entry.
        `key` is its file's key from before it was read (taken now when not given)."""
        state: dict = {"sha1": sha1_of(path), "meta": entry_hash(self.corpus.sidecar, path.name),
                       "problems": problem_rows(extra)}
        if article is None:
            state["error"] = extra[0].message if extra else "unreadable"
            self._links.pop(path.name, None)
            return state
        from facts.duplicates import sketch

        self._metas[path.name] = article.meta
        named = self._links[path.name] = named_in(self._matcher, article)
        doc = article_doc(article, state["sha1"] or "", named, self._matcher.kinds, key or file_key(path))
        self._sketches[path.name] = sketch(article.text)
        if fresh:  # a new generation: nothing to replace
            writer.add_document(**doc)
        else:
            writer.update_document(**doc)
        if speller is not None:
            speller.add_document(f"{article.title}\n{article.text}")
        meta = article.meta
        state["date"] = meta.date.iso if meta.date else None
        state["estimated"] = meta.date_estimated
        state["quotes"] = {q: list(s) if s else None for q, s in checker.found.get(path.name, {}).items()}
        return state

    def _facts(self, raw_facts, checker: QuoteChecker) -> tuple[FactBase, list[Problem]]:
        from facts.loader import check_facts

        self.progress("Checking facts", 0, 1)
        good, problems = check_facts(raw_facts, checker)
        base = FactBase(good, dict(sorted(self._metas.items())))
        self.progress("Checking facts", 1, 1)
        return base, problems

    def _index_facts(self, writer, base: FactBase, old: dict[str, str], speller: Speller | None) -> dict[str, str]:
        """Add or replace the documents of facts that changed; returns the new hashes."""
        hashes: dict[str, str] = {}
        total = len(base.facts)
        for done, fact in enumerate(base.facts.values(), 1):
            doc = fact_doc(fact, base)
            digest = doc_hash(doc)
            hashes[fact.id] = digest
            if fact.id not in old:
                writer.add_document(**doc)
            elif old[fact.id] != digest:
                writer.update_document(**doc)
            if done % 200 == 0 or done == total:
                self.progress("Indexing facts", done, total)
        if speller is not None:
            speller.add_entity_names(n for f in base.facts.values() if "name" in f.values for n in (f.name, *f.aliases))
            for fact in base.facts.values():
                speller.add_document(fact.text)
        for fact_id in set(old) - set(hashes):
            writer.delete_by_term("uid", fact_uid(fact_id))
        return hashes

    def _save(self, gen: Path, snapshot: dict, articles_state: dict, base: FactBase, fact_hashes: dict,
              speller: Speller, problems: list[Problem], cited: Cited) -> None:
        """Save whole with `gen` what the next start and the next update read (`search.saved.save`)."""
        links = Links(self._matcher.entries, dict(sorted(self._links.items())))
        save(gen, self.corpus, snapshot, articles_state, base, fact_hashes, speller, links, problems, cited)


def cannot_write(exc: BaseException) -> bool:
    """True for the errors of a full disk or a cache that cannot be written."""
    return isinstance(exc, OSError) and exc.errno in _WRITE_ERRORS


_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}


# Corpora from this many articles up are built by parallel sub-writers (one per core),
# each writing its own segment; smaller ones are not worth starting processes for.
PARALLEL_FROM = 400
ARTICLE_BATCH = 20  # article files handed to a sub-writer at a time


class _ReadArticles:
    """The articles' part of a parallel build, run in each (forked) sub-writer: read a batch of
    files, check the quotes cited in them, link, sketch, count their words and index them;
    send back what the build keeps of each."""

    def __init__(self, indexer: Indexer, wanted: dict) -> None:
        self.indexer = indexer
        self.wanted = wanted
        self.speller: Speller | None = None

    def index(self, writer, paths: list[Path]) -> tuple:
        from facts.loader import QuoteChecker

        if self.speller is None:
            self.speller = Speller()
        indexer = self.indexer
        checker = QuoteChecker(set())
        rows = []
        for path in paths:
            state = indexer._index_article(writer, path, checker, self.wanted, self.speller, fresh=True)
            name = path.name
            rows.append((name, state, indexer._metas.pop(name, None), indexer._links.pop(name, None),
                         indexer._sketches.pop(name, None)))
        return rows, checker.found, checker.dates, checker.unreadable

    def finish(self):
        return self.speller.counts if self.speller is not None else None


def _build_writer(ix, articles: int, work: _ReadArticles):
    """The writer of a full build: parallel on a large corpus with more than one core (sub-writers
    are forked, so that they share the build's state: `work` runs in them)."""
    import multiprocessing

    procs = min(2, os.cpu_count() or 1)
    if articles >= PARALLEL_FROM and procs > 1 and multiprocessing.get_start_method() == "fork":
        from .parallel import parallel_writer

        return parallel_writer(ix, procs, work)
    from .flushing import Writer

    return Writer(ix, limitmb=128, **WRITER_OPTIONS)


def _cancel(writer) -> None:
    with contextlib.suppress(Exception):  # the generation is being thrown away anyway
        writer.cancel()
