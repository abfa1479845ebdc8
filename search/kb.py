"""The knowledge base: a corpus, its index and its facts, behind one object.

The CLI and the app use only this. It keeps the index up to date (`ensure`), opens
it (rebuilding a damaged one), and gives each thread its own searcher.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from facts.articles import Article, ArticleError
from facts.base import FactBase
from facts.corpus import Corpus
from facts.duplicates import DuplicateIndex
from facts.problems import Problem

from .build import (
    DUPLICATES,
    FACTS_CACHE,
    METAS,
    Indexer,
    Progress,
    Report,
    load_duplicates,
    load_facts,
    load_metas,
)
from .engine import DEFAULT_LIMIT, Engine
from .highlight import Span
from .results import Results
from .store import IndexStore, index_dir_for, read_state


class IndexUnavailable(Exception):
    """The index could not be built or opened."""


class KnowledgeBase:
    """One corpus with its index. Thread-safe: each thread searches with its own Engine."""

    def __init__(self, corpus: Corpus, index_dir: Path | None = None) -> None:
        self.corpus = corpus
        self.store = IndexStore(Path(index_dir) if index_dir else index_dir_for(*corpus.roots))
        self._gen: Path | None = None
        self._facts: FactBase | None = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._facts_lock = threading.RLock()
        self._engines: list[Engine] = []
        self.notices: list[str] = []  # things the user should be told (a rebuilt index ...)
        self.last_report: Report | None = None

    @classmethod
    def open(cls, corpus_root: Path | str | None = None, index_dir: Path | None = None,
             library: Path | str | None = None) -> KnowledgeBase:
        return cls(Corpus.open(corpus_root, library), index_dir)

    # -- keeping the index current -------------------------------------------------------

    def indexer(self, progress: Progress | None = None, waiting: Callable[[], None] | None = None) -> Indexer:
        return Indexer(self.corpus, self.store, progress, waiting)

    def is_current(self) -> bool:
        return self.indexer().is_current()

    def ensure(self, progress: Progress | None = None, rebuild: bool = False,
               waiting: Callable[[], None] | None = None) -> Report:
        """Bring the index up to date with the corpus, then open it."""
        indexer = self.indexer(progress, waiting)
        report = indexer.ensure(rebuild=rebuild)
        if report.action == "build" and report.reason not in ("no index yet", "rebuild requested"):
            self.notices.append(f"The index was rebuilt: {report.reason}.")
        self.last_report = report
        self._open(indexer)
        return report

    def _open(self, indexer: Indexer) -> None:
        gen = self.store.current()
        try:
            if gen is None:
                raise IndexUnavailable("no index")
            if not (gen / FACTS_CACHE).is_file():
                raise IndexUnavailable("the saved facts are missing")
            damage = indexer.damage(gen)
            if damage:
                raise IndexUnavailable(damage)
            opened = Engine(gen, self._text_of, lambda: self.facts)  # proves the index opens
        except Exception as exc:  # damaged: build a fresh generation
            self.notices.append(f"The index could not be opened ({exc}); it was rebuilt.")
            self.last_report = indexer.ensure(rebuild=True)
            gen = self.store.current()
            if gen is None:
                raise IndexUnavailable(f"the index at {self.store.path} could not be built") from exc
            opened = None
        with self._facts_lock:
            self._facts = None  # read when first needed
            self._open_generation(gen)
        if opened is not None:  # this thread searches with the engine that proved the index opens
            with self._lock:
                self._engines.append(opened)
            self._local.engine = opened

    # -- reading -------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self._gen is not None

    @property
    def facts(self) -> FactBase:
        """The checked facts, read on first use (a quick search never needs them)."""
        with self._facts_lock:
            if self._facts is None:
                if self._gen is None:
                    raise IndexUnavailable("the knowledge base is not open yet (call ensure())")
                facts = load_facts(self._gen)
                if facts is None:  # damaged since it was built: build a fresh generation
                    self.notices.append("The saved facts could not be read; the index was rebuilt.")
                    self.last_report = self.indexer().ensure(rebuild=True)
                    gen = self.store.current()
                    facts = load_facts(gen) if gen else None
                    if gen is None or facts is None:
                        raise IndexUnavailable(f"the index at {self.store.path} could not be built")
                    self._open_generation(gen)
                self._facts = facts
            return self._facts

    def _open_generation(self, gen: Path) -> None:
        with self._lock:
            self._gen = gen
            self._local = threading.local()
            for engine in self._engines:
                engine.close()
            self._engines.clear()

    @property
    def manifest(self) -> dict:
        """The live generation's state: schema, corpus, fingerprint, counts and problems."""
        return (read_state(self._gen) if self._gen else None) or {}

    @property
    def problems(self) -> list[Problem]:
        return [Problem(*row) for row in self.manifest.get("problems", [])]

    def engine(self) -> Engine:
        """This thread's Engine on the live generation."""
        engine = getattr(self._local, "engine", None)
        if engine is None or engine.gen != self._gen:
            if self._gen is None:
                raise IndexUnavailable("the knowledge base is not open yet (call ensure())")
            engine = Engine(self._gen, self._text_of, lambda: self.facts)
            with self._lock:
                self._engines.append(engine)
            self._local.engine = engine
        return engine

    def search(self, text: str, kind: str | None = None, limit: int = DEFAULT_LIMIT,
               company: str | None = None) -> Results:
        """Ranked hits; copies of one story are shown once (see search/copies.py)."""
        from .copies import group_copies

        dups = self.duplicates
        extra = min(limit, 10) if dups is not None and dups.matches else 0
        results = self._recovering(lambda: self.engine().search(text, kind=kind, limit=limit + extra,
                                                                company=company))
        return group_copies(results, dups, limit, self.article_metas()) if extra else results

    @property
    def duplicates(self) -> DuplicateIndex | None:
        """The copies found among the articles (None if the index of copies cannot be read)."""
        return self._saved(DUPLICATES, load_duplicates, None)

    def article_metas(self) -> dict:
        """File name -> metadata of every readable article, sorted by name (read once per generation)."""
        return self._saved(METAS, load_metas, {})

    def _saved(self, name: str, load: Callable, default):
        """A file saved with the live generation, read again only when it changed (updates rewrite it)."""
        gen = self._gen
        if gen is None:
            return default
        try:
            st = (gen / name).stat()
            key = (gen, st.st_size, st.st_mtime_ns)
        except OSError:
            return default
        cache = self.__dict__.setdefault("_saved_files", {})
        if name not in cache or cache[name][0] != key:
            cache[name] = (key, load(gen))
        value = cache[name][1]
        return default if value is None else value

    def _recovering(self, run: Callable):
        """`run()`; if the index fails while being read (damaged on disk), rebuild it and retry once."""
        gen = self._gen
        try:
            return run()
        except IndexUnavailable:
            raise
        except Exception as exc:
            if gen is None or self._gen != gen:
                raise
            self.notices.append(f"The index failed while searching ({type(exc).__name__}: {exc}); it was rebuilt.")
            self.last_report = self.indexer().ensure(rebuild=True)
            with self._facts_lock:
                self._facts = None
                new = self.store.current()
                if new is None:
                    raise IndexUnavailable(f"the index at {self.store.path} could not be built") from exc
                self._open_generation(new)
            self.facts  # noqa: B018 - read now, on this (worker) thread, rather than by whoever asks next
            return run()

    def article(self, name: str) -> Article:
        """One article (raises ArticleError)."""
        with self._lock:
            return self.corpus.article(name)

    def _text_of(self, name: str) -> str | None:
        try:
            return self.article(name).text
        except ArticleError:
            return None

    def article_spans(self, name: str, query: str) -> list[Span]:
        """Where the words of `query` occur in an article's reading text."""
        return self._recovering(lambda: self.engine().article_spans(name, query)) if query.strip() else []

    def close(self) -> None:
        with self._lock:
            for engine in self._engines:
                engine.close()
            self._engines.clear()
