"""The knowledge base: a corpus, its index and its facts, behind one object.

The CLI and the app use only this. It keeps the index up to date (`ensure`), opens
it (rebuilding a damaged one), and gives each thread its own searcher.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from facts.articles import Article, ArticleError
from facts.base import FactBase
from facts.corpus import Corpus
from facts.names import NameTable
from facts.problems import Problem

from .bodies import current_text
from .build import Indexer, Progress
from .engine import DEFAULT_LIMIT, Cancelled, Engine
from .highlight import Span
from .results import Hit, Results
from .saved import (
    COPIES,
    DUPLICATES,
    ENTRIES,
    FACTS_CACHE,
    JOURNAL,
    METAS,
    NAMES,
    SavedProblems,
    load_copies,
    load_duplicates,
    load_entries,
    load_facts,
    load_metas,
    load_names,
)
from .store import IndexStore, LockTimeout, index_dir_for, read_state
from .update import Report

if TYPE_CHECKING:
    from facts.duplicates import DuplicateIndex
    from facts.mentions import MentionedIn, NameMatcher


class IndexUnavailable(Exception):
    """The index could not be built or opened."""


# How long a search waits for another process that is writing the index before it answers
# from the index as it is (seconds).
PATIENCE = 5.0


def _why_stale(exc: Exception) -> str:
    if isinstance(exc, LockTimeout):
        return "another alliance process is still updating it"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def _stale_notice(why: str, gen: Path, lacking: dict[str, list[str]]) -> str:
    """Tell the user that the index shown is older than the corpus, and what it lacks."""
    state = read_state(gen) or {}
    built = state.get("built_at")
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(built)) if isinstance(built, (int, float)) else "an earlier day"
    parts = []
    for key, what in (("new", "new article"), ("changed", "changed article"), ("removed", "removed article"),
                      ("facts", "changed fact file")):
        names = lacking.get(key, [])
        if names:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            parts.append(f"{len(names)} {what}{'s' if len(names) != 1 else ''} ({shown})")
    if not parts:
        return f"The index could not be updated ({why}); showing the index of {when}."
    return (f"The index could not be updated ({why}); showing the index of {when}, which does not "
            f"reflect {'; '.join(parts)}.")


def _file_key(path: Path) -> tuple[int, int] | None:
    """Size and modification time of a file (None if it is gone): an update rewrites the
    files saved beside the index within the same generation."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


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
        self._matcher: tuple | None = None  # ((generation, links file time), NameMatcher)
        self._names: tuple | None = None  # ((generation, names file's size and time), NameTable)
        self.notices: list[str] = []  # things the user should be told (a rebuilt index ...)
        self.last_report: Report | None = None
        self.attached = False  # opened with attach(): searches only, never builds
        self._shown: tuple | None = None  # (generation, fingerprint) opened by open_last(), not yet checked

    @classmethod
    def open(cls, corpus_root: Path | str | None = None, index_dir: Path | None = None,
             library: Path | str | None = None) -> KnowledgeBase:
        return cls(Corpus.open(corpus_root, library), index_dir)

    # -- keeping the index current -------------------------------------------------------

    def indexer(self, progress: Progress | None = None, waiting: Callable[[], None] | None = None) -> Indexer:
        return Indexer(self.corpus, self.store, progress, waiting)

    def is_current(self) -> bool:
        return self.indexer().is_current()

    def open_last(self) -> bool:
        """Open the live generation as it is, without looking at the corpus, when it is one this
        version can read, of this corpus, with its files as written: what the app shows at once
        while `ensure()` checks the corpus behind it. False when there is none such."""
        indexer = self.indexer()
        gen, state, _why = indexer.live()
        if gen is None or not (gen / FACTS_CACHE).is_file() or indexer.damage(gen):
            return False
        with self._facts_lock:
            self._facts = None
            self._open_generation(gen)
        self._shown = (gen, state.get("fingerprint"))
        return True

    def ensure(self, progress: Progress | None = None, rebuild: bool = False,
               waiting: Callable[[], None] | None = None, fallback: bool = True) -> Report:
        """Bring the index up to date with the corpus, then open it.

        With `fallback`, an index that cannot be brought up to date (a full disk, a read-only
        cache, another process writing for longer than `PATIENCE`) is opened as it is, with a
        notice saying what it lacks; without, or when there is none, the error is raised.
        One opened by `open_last()` and found current is left open as it is (the app keeps
        what its panes read).
        """
        indexer = self.indexer(progress, waiting)
        try:
            report = indexer.ensure(rebuild=rebuild, patience=PATIENCE if fallback else None)
        except (OSError, LockTimeout) as exc:
            gen, _state, _why = indexer.live()
            if not fallback or gen is None:
                raise
            report = Report("stale", _why_stale(exc))
            self.notices.append(_stale_notice(report.reason, gen, indexer.lacking(gen)))
        if report.action == "build" and report.reason not in ("no index yet", "rebuild requested"):
            self.notices.append(f"The index was rebuilt: {report.reason}.")
        self.last_report = report
        shown, self._shown = self._shown, None
        if report.action == "none" and shown is not None and shown == self._live_key():
            return report  # what open_last() opened is current: the panes keep what they read
        self._open(indexer)
        return report

    def _live_key(self) -> tuple[Path, str | None] | None:
        gen = self.store.current()
        return (gen, (read_state(gen) or {}).get("fingerprint")) if gen is not None else None

    def _open(self, indexer: Indexer) -> None:
        opened = None
        for _attempt in range(10):
            gen = self.store.current()
            try:
                if gen is None:
                    raise IndexUnavailable("no index")
                if not (gen / FACTS_CACHE).is_file():
                    raise IndexUnavailable("the saved facts are missing")
                damage = indexer.damage(gen)
                if damage:
                    raise IndexUnavailable(damage)
                opened = Engine(gen, self._text_of, self.name_table)  # proves the index opens
                break
            except Exception as exc:
                if gen is not None and self.store.current() != gen:
                    continue  # another process replaced it meanwhile: open the new one
                self.notices.append(f"The index could not be opened ({exc}); it was rebuilt.")
                gen = self._rebuild(gen, str(exc), exc)
                break
        with self._facts_lock:
            self._facts = None  # read when first needed
            self._open_generation(gen)
        if opened is not None:  # this thread searches with the engine that proved the index opens
            with self._lock:
                self._engines.append(opened)
            self._local.engine = opened

    def _rebuild(self, gen: Path | None, reason: str, cause: Exception) -> Path:
        """Replace a damaged generation (unless another process did); the new live one.
        A knowledge base opened with `attach` never builds: it raises IndexUnavailable."""
        if self.attached:
            raise IndexUnavailable(f"the index is damaged ({reason}); the process that keeps it current rebuilds it") \
                from cause
        self.last_report = self.indexer().rebuild_damaged(gen, reason)
        new = self.store.current()
        if new is None:
            raise IndexUnavailable(f"the index at {self.store.path} could not be built") from cause
        return new

    def attach(self) -> None:
        """Open the live generation as it is, never building or updating it (for a process that
        only searches an index another one keeps current). Raises IndexUnavailable if there is none."""
        gen = self.store.current()
        if gen is None:
            raise IndexUnavailable(f"no index at {self.store.path}")
        self.attached = True
        with self._facts_lock:
            self._facts = None
            self._open_generation(gen)

    def follow(self) -> bool:
        """Search what is live now: the generation another process published since, or the live
        one after an update wrote into it. True when something was re-opened."""
        gen = self.store.current()
        if gen is not None and gen != self._gen:
            self.attach()
            self.corpus.refresh()  # the articles read so far may have changed with it
            return True
        engine = getattr(self._local, "engine", None)
        if engine is None or engine.gen != self._gen or engine.searcher.up_to_date():
            return False
        with self._facts_lock:
            self._facts = None  # an update may have rewritten the saved facts too
            self._open_generation(self._gen)
        self.corpus.refresh()
        return True

    # -- reading -------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self._gen is not None

    @property
    def facts(self) -> FactBase:
        """The checked facts, read on first use (a quick search never needs them)."""
        with self._facts_lock:
            if self._facts is None:
                self._facts = self._read_saved(load_facts, "the saved facts")
            return self._facts

    def name_table(self) -> NameTable:
        """The names filters resolve against (`company:`, `entity:` ...), read on first use:
        a search never reads the whole fact base."""
        with self._facts_lock:
            key = (self._gen, _file_key(self._gen / NAMES)) if self._gen else None
            if self._names is None or self._names[0] != key:  # keyed before reading: a rewrite meanwhile reads again
                self._names = (key, self._read_saved(load_names, "the saved names"))
            return self._names[1]

    def _read_saved(self, load: Callable[[Path], object], what: str):
        """`load(generation)` on the live generation. One whose file cannot be read is rebuilt
        (unless another process replaced it meanwhile: then the new one is read)."""
        with self._facts_lock:
            return self._read_saved_locked(load, what)

    def _read_saved_locked(self, load: Callable[[Path], object], what: str):
        gen = self._gen
        if gen is None:
            raise IndexUnavailable("the knowledge base is not open yet (call ensure())")
        value = load(gen)
        for _attempt in range(10):
            if value is not None:
                break
            new = self.store.current()
            if new is None or new == gen:  # damaged since it was built: build a fresh generation
                self.notices.append(f"{what[0].upper()}{what[1:]} could not be read; the index was rebuilt.")
                new = self._rebuild(gen, f"{what} could not be read", IndexUnavailable(gen))
            # else another process replaced the generation (and removed this one): read the new one
            gen = new
            value = load(gen)
        if value is None:
            raise IndexUnavailable(f"{what} at {self.store.path} cannot be read")
        if gen != self._gen:
            self._facts = None  # read from the old generation, if at all
            self._open_generation(gen)
        return value

    def _open_generation(self, gen: Path) -> None:
        with self._lock:
            self._gen = gen
            self._local = threading.local()
            for engine in self._engines:
                engine.close()
            self._engines.clear()

    @property
    def manifest(self) -> dict:
        """The live generation's state: schema, corpus, fingerprint, counts and errors (every problem: `problems`)."""
        return (read_state(self._gen) if self._gen else None) or {}

    @property
    def problems(self) -> list[Problem]:
        """Every problem found in the corpus (read from the live generation)."""
        return list(SavedProblems(self._gen, self.manifest)) if self._gen else []

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors, without reading the warnings (what a start reports)."""
        return list(SavedProblems(self._gen, self.manifest).errors) if self._gen else []

    def engine(self) -> Engine:
        """This thread's Engine on the live generation."""
        engine = getattr(self._local, "engine", None)
        if engine is None or engine.gen != self._gen:
            if self._gen is None:
                raise IndexUnavailable("the knowledge base is not open yet (call ensure())")
            engine = Engine(self._gen, self._text_of, self.name_table)
            with self._lock:
                self._engines.append(engine)
            self._local.engine = engine
        return engine

    def search(self, text: str, kind: str | None = None, limit: int = DEFAULT_LIMIT,
               company: str | None = None, cancelled: Callable[[], bool] | None = None,
               detail: int | None = None) -> Results:
        """Ranked hits; copies of one story are shown once (see search/copies.py). With
        `detail`, articles after the first `detail` hits come without their snippet and body
        spans (`Hit.detailed` False): `detail_later` gives them.

        Raises search.engine.Cancelled when `cancelled()` turns true while it runs."""
        from .copies import group_copies

        dups = self.copies
        extra = min(limit, 10) if dups is not None and dups.matches else 0
        results = self._recovering(lambda: self.engine().search(text, kind=kind, limit=limit + extra,
                                                                company=company, cancelled=cancelled, detail=detail))
        return group_copies(results, dups, limit, self.article_metas()) if extra else results

    def detail_later(self, results: Results, cancelled: Callable[[], bool] | None = None) -> list[Hit]:
        """The hits of `results` (the last search's) that came without their article's snippet,
        filled in; raises search.engine.Cancelled as `search` does."""
        hits = [h for h in results.hits if not h.detailed]
        return self.engine().detail_later(hits, cancelled) if hits else []

    @property
    def duplicates(self) -> DuplicateIndex | None:
        """The copies found among the articles (None if the index of copies cannot be read)."""
        return self._saved(DUPLICATES, load_duplicates, None)

    @property
    def copies(self) -> DuplicateIndex | None:
        """The copies found, without the sketches: what a search folds results by (a small file)."""
        return self._saved(COPIES, load_copies, None)

    def article_metas(self) -> dict:
        """File name -> metadata of every readable article, sorted by name (read once per generation)."""
        return self._saved(METAS, lambda _gen: self._read_saved(load_metas, "the saved articles' metadata"), {})

    def _saved(self, name: str, load: Callable, default):
        """A file saved with the live generation, read again only when it or the journal changed."""
        gen = self._gen
        if gen is None:
            return default
        try:
            st = (gen / name).stat()
            key = (gen, st.st_size, st.st_mtime_ns, _file_key(gen / JOURNAL))  # updates change the journal
        except OSError:
            return default
        cache = self.__dict__.setdefault("_saved_files", {})
        if name not in cache or cache[name][0] != key:
            cache[name] = (key, load(gen))
        value = cache[name][1]
        return default if value is None else value

    def _recovering(self, run: Callable):
        """`run()`, again on the new generation if the live one changed while it ran (another
        process published one, or reading it found damage and replaced it); if the index fails
        while being read (damaged on disk), rebuild it and retry once."""
        rebuilt = False
        for _attempt in range(10):
            gen = self._gen
            try:
                return run()
            except (IndexUnavailable, Cancelled):
                raise
            except Exception as exc:
                if gen is None:
                    raise
                if self._gen != gen or self.store.current() not in (gen, None):
                    self._switch(self.store.current() or self._gen)
                    continue  # the generation was replaced under this search: run it on the new one
                if rebuilt:
                    raise
                rebuilt = True
                self.notices.append(f"The index failed while searching ({type(exc).__name__}: {exc}); "
                                    "it was rebuilt.")
                self._switch(self._rebuild(gen, f"{type(exc).__name__}: {exc}", exc))
        return run()

    def _switch(self, gen: Path) -> None:
        """Search generation `gen` from now on; its facts are read now, on this (worker) thread."""
        with self._facts_lock:
            if gen != self._gen:
                self._facts = None
                self._open_generation(gen)
        self.facts  # noqa: B018 - read now rather than by whoever asks next

    def article(self, name: str) -> Article:
        """One article (raises ArticleError)."""
        with self._lock:
            return self.corpus.article(name)

    def _text_of(self, name: str, saved=None) -> str | None:
        """An article's reading text: `saved` with the index (search.bodies) while its file is
        unchanged, else read (None when it cannot be)."""
        if saved is not None:
            with self._lock:
                path = None if name.startswith(".") else self.corpus.article_path(name)
            text = current_text(saved, path)
            if text is not None:
                return text
        try:
            return self.article(name).text
        except ArticleError:
            return None

    def mentions_of(self, entity_id: str, limit: int = 20) -> tuple[int, list[MentionedIn]]:
        """How many articles name an entity, and the newest `limit` of them with the sentence."""
        from facts.mentions import mentioned_in

        base = self.facts
        names = base.mentioned_in(entity_id)
        rows = []
        for name in names[:limit]:
            count, start, end = base.mention(name, entity_id)
            meta = base.articles.get(name)
            try:
                text = self.article(name).text
            except ArticleError:
                continue
            row = mentioned_in(name, meta.title if meta else name, meta.date_label if meta else "",
                               text, count, start, end)
            if row is not None:
                rows.append(row)
        return len(names), rows

    def name_matcher(self) -> NameMatcher:
        """The entity names the live index links articles by."""
        from facts.mentions import NameMatcher

        with self._facts_lock:
            try:  # an update rewrites the names of the same generation
                key = (self._gen, (self._gen / ENTRIES).stat().st_mtime_ns) if self._gen else None
            except OSError:
                key = None
            if self._matcher is None or self._matcher[0] != key:
                entries = load_entries(self._gen) if self._gen else None
                self._matcher = (key, NameMatcher.from_entries(entries or ()))
            return self._matcher[1]

    def article_links(self, name: str) -> dict:
        """What an article names: known entities, ambiguous names and candidates (raises ArticleError).

        See facts.mentions.article_links for the shape; `alliance read NAME --json` prints it.
        """
        from facts.mentions import article_links

        return article_links(self.article(name).text, self.name_matcher())

    def article_spans(self, name: str, query: str) -> list[Span]:
        """Where the words of `query` occur in an article's reading text."""
        return self._recovering(lambda: self.engine().article_spans(name, query)) if query.strip() else []

    def close(self) -> None:
        with self._lock:
            for engine in self._engines:
                engine.close()
            self._engines.clear()
