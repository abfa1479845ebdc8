"""Building the index and keeping it up to date with the corpus.

A full build streams the articles (each is read, indexed and dropped) into a new
generation and swaps it in. An update compares the corpus with the manifest of the
live generation and re-indexes only the articles and facts that changed.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import pickle
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from facts.articles import ArticleError, read_article
from facts.base import FactBase
from facts.corpus import Corpus
from facts.dates import PartialDate
from facts.duplicates import DuplicateIndex, Sketch, sketch
from facts.loader import QuoteChecker, check_facts, quotes_by_article
from facts.mentions import NameMatcher, body_start, summary
from facts.metadata import SIDECAR, Sidecar
from facts.problems import Problem

from .documents import article_doc, article_uid, doc_hash, fact_doc, fact_uid
from .schema import SCHEMA_VERSION, make_schema
from .spelling import SPELLING, Speller
from .store import (
    LOCK_TIMEOUT,
    MANIFEST,
    STATE,
    IndexStore,
    LockTimeout,
    read_manifest,
    read_state,
    write_json_atomic,
)

FACTS_CACHE = "facts.pickle"
CITED = "cited.pickle"
METAS = "articles.pickle"  # file name -> ArticleMeta of every readable article
LINKS = "links.pickle"  # the entity names matched and what each article names (Links)
DUPLICATES = "duplicates.pickle"  # the DuplicateIndex: sketches, copies and rewrites
Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _quiet(stage: str, done: int, total: int) -> None:
    pass


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
    problems: list[Problem] = field(default_factory=list)


def _signature(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _article_rows(corpus: Corpus) -> tuple[dict[str, list[int]], list[list]]:
    """[size, mtime, folder] of each entry in each folder's `seeds/` that `article_files` reports
    on (one scandir per folder), by name; entries named like one in an earlier folder apart, as
    [folder, name, size, mtime]. A link is never opened here."""
    rows: dict[str, list[int]] = {}
    shadowed: list[list] = []
    for index, seeds_dir in enumerate(f.seeds_dir for f in corpus.folders):
        try:
            entries = os.scandir(seeds_dir)
        except OSError:
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name == SIDECAR or name.startswith("."):
                    continue
                try:  # a link by its target (an edit of it is seen), or by itself if it cannot be followed
                    st = entry.stat()
                except OSError:
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                if name in rows:
                    shadowed.append([index, name, st.st_size, st.st_mtime_ns])
                else:
                    rows[name] = [st.st_size, st.st_mtime_ns, index]
    return rows, sorted(shadowed)


def _sidecars(corpus: Corpus) -> list:
    return [_signature(p) for p in corpus.sidecar_paths()]


def scan(corpus: Corpus) -> dict:
    """Size and modification time of every input file: what an update compares."""
    articles, shadowed = _article_rows(corpus)
    facts = {corpus.rel(p): _signature(p) for p in corpus.fact_files()}
    return {"articles": articles, "shadowed": shadowed, "facts": facts, "sidecar": _sidecars(corpus)}


def _digest(rows: dict, shadowed: list, facts: dict, sidecar) -> str:
    return hashlib.sha1(repr((sorted(rows.items()), shadowed, sorted(facts.items()), sidecar)).encode()).hexdigest()


def fingerprint(corpus: Corpus) -> str:
    """A digest of `scan(corpus)`, computed as cheaply as possible: the start-up check."""
    facts = {corpus.rel(p): _signature(p) for p in corpus.fact_files()}
    return _digest(*_article_rows(corpus), facts, _sidecars(corpus))


def fingerprint_of(snapshot: dict) -> str:
    """The fingerprint of a corpus whose scan was `snapshot`."""
    return _digest(snapshot["articles"], snapshot.get("shadowed", []), snapshot["facts"], snapshot["sidecar"])


def _sidecar_sha1s(corpus: Corpus) -> list:
    return [_sha1(p) for p in corpus.sidecar_paths()]


def _sha1(path: Path) -> str | None:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _problem_dicts(problems: list[Problem]) -> list[list]:
    return [[p.file, p.line, p.message, p.severity, p.cause] for p in problems]


def _problems_from(rows: list[list]) -> list[Problem]:
    return [Problem(*row) for row in rows]


def _entry_hash(sidecar: Sidecar, name: str) -> str:
    entry = sidecar.entries.get(name)
    return hashlib.sha1(repr(sorted((entry or {}).items(), key=str)).encode()).hexdigest()[:16]


class Indexer:
    """Builds and updates the index of one corpus in one index folder."""

    def __init__(self, corpus: Corpus, store: IndexStore, progress: Progress | None = None,
                 waiting: Callable[[], None] | None = None) -> None:
        self.corpus = corpus
        self.store = store
        self.progress = progress or _quiet
        self.waiting = waiting
        self._metas: dict = {}  # file name -> metadata of the articles read
        self._matcher = NameMatcher()  # the entity names articles are linked by
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
        if _changed_files(gen) is None:
            return None
        try:
            with self.store.lock(timeout=0):
                return _changed_files(gen) if self.store.current() == gen else None
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
            _gen, state, _why = self.live()
            if state is not None and state.get("fingerprint") == fingerprint(self.corpus):
                return Report("none", seconds=time.perf_counter() - started,
                              problems=_problems_from(state.get("problems", [])))
        timeout = patience if patience is not None and state is not None else LOCK_TIMEOUT
        with self.store.lock(timeout=timeout, waiting=self.waiting):
            gen, state, why = self.live()
            if rebuild:
                why = "rebuild requested"
            elif state is not None:
                snapshot = scan(self.corpus)
                if state.get("fingerprint") == fingerprint_of(snapshot):  # another process did it
                    return Report("none", seconds=time.perf_counter() - started,
                                  problems=_problems_from(state.get("problems", [])))
                manifest = read_manifest(gen)
                damage = _changed_files(gen)
                if manifest is None:
                    why = "the index manifest is missing or damaged"
                elif damage:
                    why = damage
                else:
                    try:
                        report = self._update(gen, manifest, snapshot)
                        report.seconds = time.perf_counter() - started
                        return report
                    except Exception as exc:  # a damaged index: build a fresh one
                        if cannot_write(exc):  # a build would fail the same way
                            raise
                        why = f"the index could not be updated ({type(exc).__name__}: {exc})"
            report = self._build(why)
            report.seconds = time.perf_counter() - started
            return report

    def rebuild_damaged(self, gen: Path | None, reason: str) -> Report:
        """Replace generation `gen`, found damaged, unless another process already has (or does
        while we wait for the lock: processes building one after another rarely let us have it)."""
        deadline = time.monotonic() + LOCK_TIMEOUT
        waiting = self.waiting
        while True:
            live, state, _ = self.live()
            if state is not None and live != gen:
                return Report("none", "another process replaced the damaged index",
                              problems=_problems_from(state.get("problems", [])))
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
        manifest = read_manifest(gen) or {}
        old = manifest.get("scan") or {}
        old_articles, old_facts = old.get("articles") or {}, old.get("facts") or {}
        now = scan(self.corpus)
        corpus = self.corpus
        def differs(name: str) -> bool:
            path = corpus.article_path(name)
            return path is None or _sha1(path) != (manifest.get("articles", {}).get(name) or {}).get("sha1")

        changed = [n for n, sig in now["articles"].items() if n in old_articles and old_articles[n] != sig
                   and differs(n)]
        facts = [rel for rel in set(now["facts"]) | set(old_facts) if now["facts"].get(rel) != old_facts.get(rel)
                 and _sha1(corpus.abspath(rel)) != manifest.get("fact_files", {}).get(rel)]
        return {"new": sorted(set(now["articles"]) - set(old_articles)), "changed": sorted(changed),
                "removed": sorted(set(old_articles) - set(now["articles"])), "facts": sorted(facts)}

    # -- full build ------------------------------------------------------------------------

    def _build(self, reason: str) -> Report:
        from whoosh import index as whoosh_index

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
            writer = _build_writer(ix, len(files))
            articles_state: dict[str, dict] = {}
            total = len(files)
            for done, path in enumerate(files, 1):
                state = self._index_article(writer, path, checker, wanted, speller, fresh=True)
                articles_state[path.name] = state
                problems.extend(_problems_from(state.get("problems", [])))
                if done % 25 == 0 or done == total:
                    self.progress("Indexing articles", done, total)
            problems.extend(corpus.sidecar.check_names({p.name for p in files}))
            base, fact_problems = self._facts(raw_facts, checker)
            problems.extend(fact_problems)
            fact_hashes = self._index_facts(writer, base, {}, speller)
            self.progress("Writing the index", 0, 1)
            writer.commit()
            self.progress("Writing the index", 1, 1)
            self.progress("Finding copies", 0, 1)
            dups = DuplicateIndex.build(self._sketches, corpus.order_key)
            _pickle_atomic(building / DUPLICATES, dups)
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

    def _index_article(self, writer, path: Path, checker: QuoteChecker, wanted: dict, speller: Speller | None,
                       fresh: bool = False) -> dict:
        """Read and index one article and check the quotes that cite it; returns its manifest entry."""
        try:
            article, extra = read_article(path, self.corpus.sidecar)
        except ArticleError as exc:
            checker.fail(path.name, exc.message)
            return self._index_read_article(writer, path, None, [Problem(self.corpus.problem_file(path.name), exc.line, exc.message)],
                                            checker, speller, fresh)
        checker.feed(article, wanted.get(path.name, ()))
        return self._index_read_article(writer, path, article, extra, checker, speller, fresh)

    def _index_read_article(self, writer, path: Path, article, extra: list[Problem], checker: QuoteChecker,
                            speller: Speller | None, fresh: bool = False) -> dict:
        """Index an article already read (None: unreadable, `extra` says why); its manifest entry."""
        state: dict = {"sha1": _sha1(path), "meta": _entry_hash(self.corpus.sidecar, path.name),
                       "problems": _problem_dicts(extra)}
        if article is None:
            state["error"] = extra[0].message if extra else "unreadable"
            self._links.pop(path.name, None)
            return state
        self._metas[path.name] = article.meta
        named = self._links[path.name] = _named(self._matcher, article)
        doc = article_doc(article, state["sha1"] or "", named, self._matcher.kinds)
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

    def _save(self, gen: Path, snapshot: dict, articles_state: dict, base: FactBase | None, fact_hashes: dict,
              speller: Speller, problems: list[Problem], cited: Cited, metas: dict | None = None) -> None:
        """Write what the next start and the next update read; the small state file last.

        `base` None means the facts did not change (only `metas`, the articles' metadata).
        """
        speller.save(gen / SPELLING)
        _pickle_atomic(gen / LINKS, Links(self._matcher.entries, dict(sorted(self._links.items()))))
        if base is not None:
            _save_facts(gen, base)
            _pickle_atomic(gen / CITED, cited)
        else:
            _pickle_atomic(gen / METAS, metas)
        old = read_state(gen) if base is None else None
        manifest = {
            "schema": SCHEMA_VERSION,
            "scan": snapshot,
            "articles": articles_state,
            "fact_files": {rel: _sha1(self.corpus.abspath(rel)) for rel in snapshot["facts"]},
            "sidecar_sha1": _sidecar_sha1s(self.corpus),
            "fact_docs": fact_hashes,
        }
        write_json_atomic(gen / MANIFEST, manifest)
        state = {
            "schema": SCHEMA_VERSION,
            "files": index_files(gen),
            "corpus": self.corpus.key,
            "built_at": time.time(),
            "fingerprint": fingerprint_of(snapshot),
            "counts": {
                "articles": sum(1 for s in articles_state.values() if "error" not in s),
                **({"facts": len(base.facts), "entities": len(base.entities()),
                    "sources": sum(len(f.sources) for f in base.facts.values())}
                   if base is not None else {k: (old or {}).get("counts", {}).get(k, 0)
                                             for k in ("facts", "entities", "sources")}),
            },
            "problems": _problem_dicts(problems),
        }
        write_json_atomic(gen / STATE, state)

    # -- incremental update ----------------------------------------------------------------

    def _update(self, gen: Path, manifest: dict, snapshot: dict) -> Report:
        corpus = self.corpus
        old_scan = manifest["scan"]
        old_articles: dict[str, dict] = manifest["articles"]
        files, file_problems = corpus.article_files()
        names = {p.name for p in files}
        sidecar_changed = snapshot["sidecar"] != old_scan.get("sidecar") and \
            _sidecar_sha1s(corpus) != manifest.get("sidecar_sha1")

        to_index: list[Path] = []
        for path in files:
            old = old_articles.get(path.name)
            touched = snapshot["articles"].get(path.name) != old_scan["articles"].get(path.name)
            if (old is None
                    or (touched and _sha1(path) != old.get("sha1"))
                    or (sidecar_changed and _entry_hash(corpus.sidecar, path.name) != old.get("meta"))):
                to_index.append(path)
        removed = sorted(set(old_articles) - names)
        facts_changed = any(
            snapshot["facts"].get(rel) != old_scan["facts"].get(rel)
            and _sha1(corpus.abspath(rel)) != manifest["fact_files"].get(rel)
            for rel in set(snapshot["facts"]) | set(manifest["fact_files"])
        )
        # A file that is passed over (not an article, a name that is not UTF-8) coming or going
        # changes the problems only: the updates below report them again.
        same_files = snapshot["articles"].keys() == old_scan["articles"].keys()
        if not to_index and not removed and not facts_changed and not sidecar_changed and same_files:
            # Only times changed (a file touched or rewritten unchanged): record them.
            manifest["scan"] = snapshot
            write_json_atomic(gen / MANIFEST, manifest)
            state = read_state(gen) or {}
            state["fingerprint"] = fingerprint_of(snapshot)
            write_json_atomic(gen / STATE, state)
            return Report("none", "files touched, contents unchanged",
                          problems=_problems_from(state.get("problems", [])))
        change = _Change(gen, manifest, snapshot, files, file_problems, to_index, removed)
        if not facts_changed and not sidecar_changed:
            report = self._update_articles(change)
            if report is not None:
                return report
        return self._update_all(change, facts_changed)

    def _update_articles(self, change: _Change) -> Report | None:
        """The quick update when only articles changed and every fact still checks as before.

        Facts are not read again: the saved fact base is kept, the spans of the quotes in
        changed articles are moved, and only the documents of those facts are replaced.
        Returns None when the facts' checks would change (a quote appears or disappears,
        an article's date changes ...): the full update handles that.
        """
        corpus, gen, manifest = self.corpus, change.gen, change.manifest
        cited = load_cited(gen)
        links = load_links(gen)
        if cited is None or links is None:
            return None
        self._matcher = NameMatcher.from_entries(links.entries)
        self._links = {n: named for n, named in links.articles.items() if n in change.names}
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

        # The facts are read only when a changed article is cited: otherwise only the
        # articles' metadata, saved on its own, changes.
        cites = any(cited.wanted.get(name) for name in read)
        base = load_facts(gen) if cites else None
        metas = load_metas(gen)
        if (cites and base is None) or metas is None:
            return None
        from whoosh import index as whoosh_index

        ix = whoosh_index.open_dir(str(gen))
        speller = Speller.load(gen / SPELLING)
        articles_state = {n: s for n, s in old_articles.items() if n in change.names}
        writer = ix.writer(timeout=30, **WRITER_OPTIONS)
        try:
            for done, path in enumerate(change.to_index, 1):
                writer.delete_by_term("uid", article_uid(path.name))
                article, extra = read[path.name]
                articles_state[path.name] = self._index_read_article(writer, path, article, extra, checker, speller)
                self.progress("Indexing articles", done, len(change.to_index))
            for name in change.removed:
                writer.delete_by_term("uid", article_uid(name))
                metas.pop(name, None)
            for name, (article, _extra) in read.items():
                if article is not None:
                    metas[name] = article.meta
                else:
                    metas.pop(name, None)
            metas = dict(sorted(metas.items()))
            moved = []
            if base is not None:
                base.articles = metas
                moved = _move_spans(base, checker, set(read))
            fact_hashes = dict(manifest.get("fact_docs", {}))
            for fact in moved:
                doc = fact_doc(fact, base)
                digest = doc_hash(doc)
                if fact_hashes.get(fact.id) != digest:
                    fact_hashes[fact.id] = digest
                    writer.update_document(**doc)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        problems = self._problems(change, articles_state, cited)
        self._update_duplicates(change)
        self._save(gen, change.snapshot, articles_state, base, fact_hashes, speller, problems, cited, metas)
        return Report("update", "articles changed", articles_indexed=len(change.to_index),
                      articles_removed=len(change.removed),
                      facts_indexed=sum(1 for f in moved if manifest["fact_docs"].get(f.id) != fact_hashes[f.id]),
                      problems=problems)

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
        _pickle_atomic(change.gen / DUPLICATES, dups)

    def _problems(self, change: _Change, articles_state: dict, cited: Cited) -> list[Problem]:
        """Every problem, in the order a full build reports them."""
        corpus = self.corpus
        return (change.file_problems + list(corpus.sidecar.problems) + cited.fact_file_problems
                + [p for s in articles_state.values() for p in _problems_from(s.get("problems", []))]
                + corpus.sidecar.check_names(change.names) + cited.fact_problems)

    def _update_all(self, change: _Change, facts_changed: bool) -> Report:
        """The update that reads and checks every fact again (facts or metadata changed)."""
        from whoosh import index as whoosh_index

        corpus, gen, manifest = self.corpus, change.gen, change.manifest
        old_base = load_facts(gen)
        links = load_links(gen)
        if old_base is None or links is None:
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
        writer = ix.writer(timeout=30, **WRITER_OPTIONS)
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
            fact_hashes = self._index_facts(writer, base, manifest.get("fact_docs", {}), None)
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
        changed_facts = sum(1 for k, v in fact_hashes.items() if manifest.get("fact_docs", {}).get(k) != v)
        return Report("update", "the corpus changed", articles_indexed=len(change.to_index) + relinked,
                      articles_removed=len(change.removed), facts_indexed=changed_facts,
                      facts_removed=len(set(manifest.get("fact_docs", {})) - set(fact_hashes)), problems=problems)


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
            named = _named(self._matcher, article)
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


@dataclass
class Links:
    """Saved with a generation: the entity names articles were matched against
    (`facts.mentions.entries_of`) and, by article, what it names (`facts.mentions.summary`)."""

    entries: tuple
    articles: dict[str, dict[str, tuple[int, int, int]]]


def _named(matcher: NameMatcher, article) -> dict[str, tuple[int, int, int]]:
    return summary(matcher.find(article.text, sentences=False), body_start(article.text, article.title))


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
                        q.Or([q.Term(f, t) for t in sorted(terms) for f in ("title", "body")])])
        with ix.searcher() as searcher:
            out.update(hit["source"] for hit in searcher.search(wanted, limit=None))
    return sorted(n for n in out if n in names)


@dataclass
class _Change:
    """What an update found changed."""

    gen: Path
    manifest: dict
    snapshot: dict
    files: list[Path]
    file_problems: list[Problem]
    to_index: list[Path]
    removed: list[str]

    @functools.cached_property
    def names(self) -> set[str]:
        return {p.name for p in self.files}


@dataclass
class Cited:
    """Saved with a generation: every quote the fact files cite, by article (checked or not),
    and the problems found in the fact files, so an article-only update need not read them."""

    wanted: dict[str, set[str]]
    fact_file_problems: list[Problem]
    fact_problems: list[Problem]


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


def cannot_write(exc: BaseException) -> bool:
    """True for the errors of a full disk or a cache that cannot be written."""
    return isinstance(exc, OSError) and exc.errno in _WRITE_ERRORS


_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}


def _changed_files(gen: Path) -> str | None:
    expected = (read_state(gen) or {}).get("files")
    if expected is None:
        return None
    found = index_files(gen)
    # Files the state does not list are left by an update that failed or is under way
    # (Whoosh's table of contents does not name them; the next update removes them).
    odd = sorted(n for n in expected if found.get(n) != expected[n])
    if not odd:
        return None
    return f"index files were changed or removed since they were written ({', '.join(odd[:3])})"


def index_files(gen: Path) -> dict[str, list[int]]:
    """Size and modification time of each of Whoosh's files in a generation (none if it is gone)."""
    out = {}
    try:
        entries = os.scandir(gen)
    except OSError:
        return out
    with entries:
        for entry in entries:
            if "MAIN_" in entry.name and entry.name != "MAIN_WRITELOCK":
                with contextlib.suppress(OSError):
                    st = entry.stat()
                    out[entry.name] = [st.st_size, st.st_mtime_ns]
    return dict(sorted(out.items()))


def _pickle_atomic(path: Path, value: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


# Segments are left as separate files: Whoosh copies every part of a compound segment
# file into memory when it opens it (80 MB for 10,000 articles), plain files are read
# through the operating system's cache.
WRITER_OPTIONS = {"compound": False}

# Corpora from this many articles up are built by parallel sub-writers (one per core),
# each writing its own segment; smaller ones are not worth starting processes for.
PARALLEL_FROM = 400


def _build_writer(ix, articles: int):
    """The writer of a full build: parallel on a large corpus with more than one core."""
    procs = min(2, os.cpu_count() or 1)
    if articles >= PARALLEL_FROM and procs > 1:
        return _parallel_writer(ix, procs)
    return ix.writer(limitmb=128, **WRITER_OPTIONS)


def _parallel_writer(ix, procs: int):
    """Whoosh's MpWriter, with sub-writers that die with us, stop when cancelled and report
    their failures to us (rather than printing a traceback and leaving their documents out)."""
    import queue

    from whoosh.multiproc import MpWriter, SubWriterTask
    from whoosh.writing import SegmentWriter

    class Task(SubWriterTask):
        def __init__(self, *args) -> None:
            super().__init__(*args)
            self.daemon = True
            self.parent = os.getpid()

        def run(self) -> None:
            # SubWriterTask.run (multisegment), but a failure is sent to the parent, and the jobs
            # still coming are taken off the queue so that the parent is never stuck handing them out.
            _die_with_parent(self.parent)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
            jobs_done = False
            try:
                writer = self.writer = SegmentWriter(self.storage.open_index(self.indexname), _lk=False,
                                                     **self.kwargs)
                while (job := self.jobqueue.get()) is not None:
                    self._process_file(*job)
                jobs_done = True
                self.resultqueue.put((None, writer.pool.fieldnames, writer._finalize_segment()), timeout=5)
            except BaseException as exc:  # reported to the parent, which raises it
                with contextlib.suppress(BaseException):
                    self.resultqueue.put(_SubWriterFailed(*_describe(exc)), timeout=5)
                with contextlib.suppress(BaseException):
                    while not jobs_done and self.jobqueue.get() is not None:
                        pass

    class Writer(MpWriter):
        def _new_task(self):
            task = Task(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                        self.multisegment)
            self.tasks.append(task)
            task.start()
            return task

        def _commit(self, mergetype, optimize, merge):
            # MpWriter._commit (multisegment), but a sub-writer that failed or vanished is an error.
            if self.docbuffer:
                self._enqueue()
            for _task in self.tasks:
                self.jobqueue.put(None)
            finalsegments = self._merge_segments(mergetype, optimize, merge)
            results = []
            for task in self.tasks:
                with contextlib.suppress(queue.Empty):
                    results.append(self.resultqueue.get(timeout=_SUBWRITER_PATIENCE))
                task.join(_SUBWRITER_PATIENCE)
            failed = [r for r in results if isinstance(r, _SubWriterFailed)]
            if failed or len(results) < len(self.tasks):
                raise failed[0].error() if failed else OSError("an indexing sub-process ended unexpectedly")
            finalsegments += [segment for _, _, segment in results]
            if self._added:
                finalsegments.append(self._finalize_segment())
            else:
                self._close_segment()
            self._commit_toc(finalsegments)
            self._finish()

        def cancel(self):
            for task in self.tasks:  # MpWriter.cancel only flags its own copy of each task
                task.terminate()
                task.join(5)
            self.tasks = []
            MpWriter.cancel(self)

    # Each sub-writer writes its own segment; they are not merged (a search reads them all).
    return Writer(ix, procs=procs, batchsize=50, multisegment=True, subargs={"limitmb": 96, **WRITER_OPTIONS},
                  **WRITER_OPTIONS)


# How long a sub-writer may take to hand back its segment once told to finish.
_SUBWRITER_PATIENCE = 600.0


@dataclass
class _SubWriterFailed:
    """Sent by a sub-writer that failed: what went wrong, as the parent will raise it."""

    errno: int | None
    message: str

    def error(self) -> OSError:
        return OSError(self.errno, self.message) if self.errno else OSError(self.message)


def _describe(exc: BaseException) -> tuple[int | None, str]:
    if isinstance(exc, OSError) and exc.errno:
        return exc.errno, exc.strerror or str(exc)
    return None, f"an indexing sub-process failed ({type(exc).__name__}: {exc})"


def _die_with_parent(parent: int) -> None:
    """Make this (forked) process end when `parent` does, even if it is killed outright."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):  # elsewhere: watch for being handed to another parent
        import threading

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _cancel(writer) -> None:
    with contextlib.suppress(Exception):  # the generation is being thrown away anyway
        writer.cancel()


def load_cited(gen: Path) -> Cited | None:
    return _unpickle(gen / CITED, Cited)


def _save_facts(gen: Path, base: FactBase) -> None:
    """The fact base, and apart from it the articles' metadata (which changes more often)."""
    metas, named = base.articles, base.named
    base.articles, base.named = {}, {}
    try:
        _pickle_atomic(gen / FACTS_CACHE, base)
    finally:
        base.articles, base.named = metas, named
    _pickle_atomic(gen / METAS, metas)


def load_links(gen: Path) -> Links | None:
    return _unpickle(gen / LINKS, Links)
def load_duplicates(gen: Path) -> DuplicateIndex | None:
    return _unpickle(gen / DUPLICATES, DuplicateIndex)


def load_metas(gen: Path) -> dict | None:
    return _unpickle(gen / METAS, dict)


def load_facts(gen: Path) -> FactBase | None:
    """The checked facts saved with a generation, or None if they cannot be read."""
    base = _unpickle(gen / FACTS_CACHE, FactBase)
    metas = load_metas(gen) if base is not None else None
    links = load_links(gen) if metas is not None else None
    if base is None or metas is None or links is None:
        return None
    base.articles = metas
    base.set_named(links.articles)
    return base


def _unpickle(path: Path, kind: type):
    import gc

    frozen = gc.isenabled()
    gc.disable()  # hundreds of thousands of small objects: collections would only slow this down
    try:
        with open(path, "rb") as f:
            value = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError,
            ValueError, IndexError, KeyError, MemoryError):
        return None
    finally:
        if frozen:
            gc.enable()
    return value if isinstance(value, kind) else None
