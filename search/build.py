"""Building the index and keeping it up to date with the corpus.

A full build streams the articles (each is read, indexed and dropped) into a new
generation and swaps it in. An update compares the corpus with the manifest of the
live generation and re-indexes only the articles and facts that changed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from facts.articles import ArticleError, read_article
from facts.base import FactBase
from facts.corpus import SEEDS, Corpus
from facts.dates import PartialDate
from facts.loader import QuoteChecker, check_facts, quotes_by_article, read_fact_files
from facts.metadata import SIDECAR, Sidecar
from facts.problems import Problem

from .documents import article_doc, article_uid, doc_hash, fact_doc, fact_uid
from .schema import SCHEMA_VERSION, make_schema
from .spelling import SPELLING, Speller
from .store import MANIFEST, IndexStore, read_manifest, write_json_atomic

FACTS_CACHE = "facts.pickle"
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


def scan(corpus: Corpus) -> dict:
    """Size and modification time of every input file: cheap enough to run at each start."""
    articles: dict[str, list[int]] = {}
    if corpus.seeds_dir.is_dir():
        with os.scandir(corpus.seeds_dir) as entries:
            for entry in entries:
                if entry.name == SIDECAR or entry.name.startswith("."):
                    continue
                try:
                    if entry.is_file():
                        st = entry.stat()
                        articles[entry.name] = [st.st_size, st.st_mtime_ns]
                except OSError:
                    continue
    facts = {corpus.rel(p): _signature(p) for p in corpus.fact_files()}
    return {"articles": articles, "facts": facts, "sidecar": _signature(corpus.seeds_dir / SIDECAR)}


def _sha1(path: Path) -> str | None:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _problem_dicts(problems: list[Problem]) -> list[list]:
    return [[p.file, p.line, p.message, p.severity] for p in problems]


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

    # -- checking --------------------------------------------------------------------------

    def live(self) -> tuple[Path | None, dict | None, str]:
        """The live generation and its manifest, or why there is no usable one."""
        gen = self.store.current()
        if gen is None:
            return None, None, "no index yet"
        manifest = read_manifest(gen)
        if manifest is None:
            return None, None, "the index manifest is missing or damaged"
        if manifest.get("schema") != SCHEMA_VERSION:
            return None, None, "the index was made by another version of alliance"
        if manifest.get("corpus") != str(self.corpus.root):
            return None, None, "the index belongs to another corpus"
        return gen, manifest, ""

    def is_current(self) -> bool:
        """True when the live index matches the corpus exactly (the fast start-up check)."""
        _gen, manifest, _ = self.live()
        return manifest is not None and manifest.get("scan") == scan(self.corpus)

    def ensure(self, rebuild: bool = False) -> Report:
        """Make the index match the corpus: nothing, an update or a full build."""
        started = time.perf_counter()
        self.corpus.refresh()
        if not rebuild:
            gen, manifest, why = self.live()
            if manifest is not None and manifest.get("scan") == scan(self.corpus):
                return Report("none", seconds=time.perf_counter() - started,
                              problems=_problems_from(manifest.get("problems", [])))
        with self.store.lock(waiting=self.waiting):
            gen, manifest, why = self.live()
            if rebuild:
                why = "rebuild requested"
            elif manifest is not None:
                if manifest.get("scan") == scan(self.corpus):  # another process did it
                    return Report("none", seconds=time.perf_counter() - started,
                                  problems=_problems_from(manifest.get("problems", [])))
                try:
                    report = self._update(gen, manifest)
                    report.seconds = time.perf_counter() - started
                    return report
                except Exception as exc:  # a damaged index: build a fresh one
                    why = f"the index could not be updated ({type(exc).__name__}: {exc})"
            report = self._build(why)
            report.seconds = time.perf_counter() - started
            return report

    # -- full build ------------------------------------------------------------------------

    def _build(self, reason: str) -> Report:
        from whoosh import index as whoosh_index

        corpus = self.corpus
        snapshot = scan(corpus)
        self._metas: dict = {}
        building = self.store.new_generation()
        try:
            raw_facts, problems = read_fact_files(corpus.fact_files(), corpus.rel)
            files, file_problems = corpus.article_files()
            problems = file_problems + list(corpus.sidecar.problems) + problems
            wanted = quotes_by_article(raw_facts)
            checker = QuoteChecker({p.name for p in files})
            speller = Speller()
            ix = whoosh_index.create_in(str(building), make_schema())
            writer = ix.writer(limitmb=128)
            articles_state: dict[str, dict] = {}
            total = len(files)
            for done, path in enumerate(files, 1):
                state = self._index_article(writer, path, checker, wanted, speller)
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
            self._save(building, snapshot, articles_state, base, fact_hashes, speller, problems, checker)
            self.store.publish(building)
        except BaseException:
            import shutil

            shutil.rmtree(building, ignore_errors=True)
            raise
        return Report("build", reason, articles_indexed=sum(1 for s in articles_state.values() if "sha1" in s and "error" not in s),
                      facts_indexed=len(fact_hashes), problems=problems)

    def _index_article(self, writer, path: Path, checker: QuoteChecker, wanted: dict, speller: Speller | None) -> dict:
        """Index one article and check the quotes that cite it; returns its manifest entry."""
        corpus = self.corpus
        state: dict = {"sha1": _sha1(path), "meta": _entry_hash(corpus.sidecar, path.name)}
        try:
            article, extra = read_article(path, corpus.sidecar)
        except ArticleError as exc:
            state["error"] = exc.message
            state["problems"] = _problem_dicts([Problem(f"{SEEDS}/{path.name}", exc.line, exc.message)])
            checker.fail(path.name, exc.message)
            return state
        state["problems"] = _problem_dicts(extra)
        self._metas[path.name] = article.meta
        doc = article_doc(article, state["sha1"] or "")
        writer.update_document(**doc)
        if speller is not None:
            speller.add_document(f"{article.title}\n{article.text}")
        checker.feed(article, wanted.get(path.name, ()))
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
            if old.get(fact.id) != digest:
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
              speller: Speller, problems: list[Problem], checker: QuoteChecker) -> None:
        speller.save(gen / SPELLING)
        with open(gen / (FACTS_CACHE + ".tmp"), "wb") as f:
            pickle.dump(base, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(gen / (FACTS_CACHE + ".tmp"), gen / FACTS_CACHE)
        sources = sum(len(f.sources) for f in base.facts.values())
        manifest = {
            "schema": SCHEMA_VERSION,
            "corpus": str(self.corpus.root),
            "built_at": time.time(),
            "scan": snapshot,
            "articles": articles_state,
            "fact_files": {rel: _sha1(self.corpus.root / rel) for rel in snapshot["facts"]},
            "sidecar_sha1": _sha1(self.corpus.seeds_dir / SIDECAR),
            "fact_docs": fact_hashes,
            "counts": {
                "articles": sum(1 for s in articles_state.values() if "error" not in s),
                "facts": len(base.facts),
                "entities": len(base.entities()),
                "sources": sources,
            },
            "problems": _problem_dicts(problems),
        }
        write_json_atomic(gen / MANIFEST, manifest)

    # -- incremental update ----------------------------------------------------------------

    def _update(self, gen: Path, manifest: dict) -> Report:
        from whoosh import index as whoosh_index

        corpus = self.corpus
        snapshot = scan(corpus)
        old_base = load_facts(gen)
        if old_base is None:
            raise ValueError("the saved facts cannot be read")
        old_scan = manifest["scan"]
        old_articles: dict[str, dict] = manifest["articles"]
        files, file_problems = corpus.article_files()
        names = {p.name for p in files}
        sidecar_changed = snapshot["sidecar"] != old_scan.get("sidecar") and \
            _sha1(corpus.seeds_dir / SIDECAR) != manifest.get("sidecar_sha1")

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
            _sha1(corpus.root / rel) != manifest["fact_files"].get(rel)
            for rel in set(snapshot["facts"]) | set(manifest["fact_files"])
        )
        if not to_index and not removed and not facts_changed and not sidecar_changed:
            # Only times changed (a file touched or rewritten unchanged): record them.
            manifest["scan"] = snapshot
            write_json_atomic(gen / MANIFEST, manifest)
            return Report("none", "files touched, contents unchanged",
                          problems=_problems_from(manifest.get("problems", [])))

        raw_facts, fact_file_problems = read_fact_files(corpus.fact_files(), corpus.rel)
        wanted = quotes_by_article(raw_facts)
        checker = QuoteChecker(names)
        self._metas = {n: m for n, m in old_base.articles.items() if n in names}
        reindexed = {p.name for p in to_index}
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
        writer = ix.writer(timeout=30)
        try:
            articles_state = {n: s for n, s in old_articles.items() if n in names}
            for done, path in enumerate(to_index, 1):
                writer.delete_by_term("uid", article_uid(path.name))
                articles_state[path.name] = self._index_article(writer, path, checker, wanted, speller)
                self.progress("Indexing articles", done, len(to_index))
            for name in removed:
                writer.delete_by_term("uid", article_uid(name))
            # Unchanged articles cited by new quotes: look the quotes up now.
            for name, quotes in checker.missing(wanted).items():
                try:
                    article, _ = read_article(corpus.seeds_dir / name, corpus.sidecar)
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
        problems = (file_problems + list(corpus.sidecar.problems) + fact_file_problems
                    + [p for s in articles_state.values() for p in _problems_from(s.get("problems", []))]
                    + corpus.sidecar.check_names(names) + fact_problems)
        self._save(gen, snapshot, articles_state, base, fact_hashes, speller, problems, checker)
        changed_facts = sum(1 for k, v in fact_hashes.items() if manifest.get("fact_docs", {}).get(k) != v)
        return Report("update", "the corpus changed", articles_indexed=len(to_index), articles_removed=len(removed),
                      facts_indexed=changed_facts,
                      facts_removed=len(set(manifest.get("fact_docs", {})) - set(fact_hashes)), problems=problems)


def load_facts(gen: Path) -> FactBase | None:
    """The checked facts saved with a generation, or None if they cannot be read."""
    try:
        with open(gen / FACTS_CACHE, "rb") as f:
            base = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return base if isinstance(base, FactBase) else None
