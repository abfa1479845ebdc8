"""What is saved with a generation beside Whoosh's files, and reading it back.

Pickles of the facts, the articles' metadata, the links, the cited quotes and the copies
index; the manifest an update compares with; and the small state file a start reads.

An update that changes only articles does not write the large files again: it saves what
changed (each article's metadata, links and manifest entry, the cited quotes' new spans) in
a small journal, which every reader applies to what it loads (`load_metas`, `load_links`,
`load_facts`, `load_manifest`); the next full write folds it in and removes it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from facts.names import NameTable
from facts.problems import ERROR, Problem

from .scan import fingerprint_of, index_files, sha1_of, sidecar_sha1s
from .store import MANIFEST, STATE, read_json, read_state, write_json_atomic, write_manifest

if TYPE_CHECKING:  # loaded where they are used: a start that changes nothing reads none of this
    from facts.base import FactBase
    from facts.corpus import Corpus
    from facts.duplicates import DuplicateIndex
    from facts.mentions import NameMatcher

    from .spelling import Speller

FACTS_CACHE = "facts.pickle"
CITED = "cited.pickle"
METAS = "articles.pickle"  # file name -> ArticleMeta of every readable article
LINKS = "links.pickle"  # the entity names matched and what each article names (Links)
DUPLICATES = "duplicates.pickle"  # the DuplicateIndex: sketches, copies and rewrites
COPIES = "copies.pickle"  # only the copies and rewrites found (what a search folds by), a small file
PROBLEMS = "problems.json"  # every problem found in the corpus (the state file keeps the errors)
NAMES = "names.pickle"  # facts.names.NameTable rows: what a filter by name resolves against
FACT_DOCS = "factdocs.pickle"  # fact id -> hash of its document (what a full update compares)
ENTRIES = "entries.pickle"  # Links.entries alone: what an article-only update links articles by
JOURNAL = "journal.pickle"  # the article-only updates' changes to the files above (Journal)

# Segments are left as separate files: Whoosh copies every part of a compound segment
# file into memory when it opens it (80 MB for 10,000 articles), plain files are read
# through the operating system's cache.
WRITER_OPTIONS = {"compound": False}


def problem_rows(problems: list[Problem]) -> list[list]:
    return [[p.file, p.line, p.message, p.severity, p.cause] for p in problems]


def problems_from(rows: list[list]) -> list[Problem]:
    return [Problem(*row) for row in rows]


class SavedProblems(Sequence):
    """The problems saved with generation `gen`, read when first looked at (a large corpus has
    thousands of warnings; a start needs only `errors`, kept in its state file)."""

    def __init__(self, gen: Path, state: dict) -> None:
        self.gen = gen
        self.errors = problems_from(state.get("errors", []))
        self._all: list[Problem] | None = None

    def _problems(self) -> list[Problem]:
        if self._all is None:
            rows = (read_json(self.gen / PROBLEMS) or {}).get("problems")
            self._all = problems_from(rows) if isinstance(rows, list) else list(self.errors)
        return self._all

    def __getitem__(self, index):
        return self._problems()[index]

    def __len__(self) -> int:
        return len(self._problems())


@dataclass
class Links:
    """Saved with a generation: the entity names articles were matched against
    (`facts.mentions.entries_of`) and, by article, what it names (`facts.mentions.summary`)."""

    entries: tuple
    articles: dict[str, dict[str, tuple[int, int, int]]]


def named_in(matcher: NameMatcher, article) -> dict[str, tuple[int, int, int]]:
    """What `article` names under `matcher`: its entry in `Links.articles`."""
    from facts.mentions import body_start, summary

    return summary(matcher.find(article.text, sentences=False), body_start(article.text, article.title))


@dataclass
class Cited:
    """Saved with a generation: every quote the fact files cite, by article (checked or not),
    and the problems found in the fact files, so an article-only update need not read them."""

    wanted: dict[str, set[str]]
    fact_file_problems: list[Problem]
    fact_problems: list[Problem]


def save(gen: Path, corpus: Corpus, snapshot: dict, articles_state: dict, base: FactBase,
         fact_hashes: dict, speller: Speller, links: Links, problems: list[Problem], cited: Cited) -> None:
    """Write whole what the next start and the next update read; the small state file last.

    The journal goes first: the files written next hold what it held.
    """
    from .schema import SCHEMA_VERSION
    from .spelling import SPELLING

    with contextlib.suppress(FileNotFoundError):
        (gen / JOURNAL).unlink()
    speller.save(gen / SPELLING)
    pickle_atomic(gen / LINKS, links)
    pickle_atomic(gen / ENTRIES, links.entries)
    pickle_atomic(gen / FACT_DOCS, fact_hashes)
    _save_facts(gen, base)
    pickle_atomic(gen / CITED, cited)
    manifest = {
        "schema": SCHEMA_VERSION,
        "scan": snapshot,
        "articles": articles_state,
        "fact_files": {rel: sha1_of(corpus.abspath(rel)) for rel in snapshot["facts"]},
        "sidecar_sha1": sidecar_sha1s(corpus),
    }
    write_manifest(gen, manifest)
    counts = {"facts": len(base.facts), "entities": len(base.entities()),
              "sources": sum(len(f.sources) for f in base.facts.values())}
    _write_state(gen, corpus, snapshot, articles_state, counts, problems, None)


def save_journal(gen: Path, corpus: Corpus, snapshot: dict, articles_state: dict, journal: Journal,
                 speller: Speller | None, problems: list[Problem] | None) -> None:
    """Write an article-only update's changes (in `journal`) and the state; the large files stay.
    `problems` None: they did not change (only files' times did)."""
    from .spelling import SPELLING

    if speller is not None:
        speller.save(gen / SPELLING)
    pickle_atomic(gen / JOURNAL, journal)
    old = read_state(gen) or {}
    counts = {k: old.get("counts", {}).get(k, 0) for k in ("facts", "entities", "sources")}
    if problems is None:
        _write_state(gen, corpus, snapshot, articles_state, counts, None, journal, old)
    else:
        _write_state(gen, corpus, snapshot, articles_state, counts, problems, journal)


def _write_state(gen: Path, corpus: Corpus, snapshot: dict, articles_state: dict, counts: dict,
                 problems: list[Problem] | None, journal: Journal | None, old: dict | None = None) -> None:
    """The problems, then the small state file a start reads (`problems` None: keep `old`'s errors)."""
    from .schema import SCHEMA_VERSION

    if problems is not None:
        write_json_atomic(gen / PROBLEMS, {"problems": problem_rows(problems)})
    state = {
        "schema": SCHEMA_VERSION,
        "files": index_files(gen),
        "corpus": corpus.key,
        "built_at": time.time(),
        "fingerprint": fingerprint_of(snapshot),
        "counts": {"articles": sum(1 for s in articles_state.values() if "error" not in s), **counts},
        "errors": (problem_rows([p for p in problems if p.severity == ERROR]) if problems is not None
                   else (old or {}).get("errors", [])),
        "journal": len(journal.articles) if journal is not None else 0,
    }
    write_json_atomic(gen / STATE, state)


@dataclass
class Journal:
    """What article-only updates changed since the saved files were last written whole.

    Each map holds the new value by key, None for one that is gone: `metas` and `named` by
    article for the articles' metadata (METAS) and what they name (`Links.articles`);
    `articles` and `scanned` for the manifest's entries (`scan_rest`: the rest of its scan);
    `fact_docs` for FACT_DOCS; `spans` by fact id, (article, quote, span) of each of its sources.
    """

    metas: dict = field(default_factory=dict)
    named: dict = field(default_factory=dict)
    articles: dict = field(default_factory=dict)
    scanned: dict = field(default_factory=dict)
    scan_rest: dict | None = None
    fact_docs: dict = field(default_factory=dict)
    spans: dict = field(default_factory=dict)

    def record_scan(self, old_scan: dict, snapshot: dict) -> None:
        """Note the scan `snapshot` over `old_scan` (the manifest's, this journal applied)."""
        old, new = old_scan.get("articles", {}), snapshot["articles"]
        self.scanned.update({name: row for name, row in new.items() if old.get(name) != row})
        self.scanned.update({name: None for name in old.keys() - new.keys()})
        self.scan_rest = {k: v for k, v in snapshot.items() if k != "articles"}


def load_journal(gen: Path) -> Journal | None:
    """The journal of generation `gen`: empty when there is none, None when it cannot be read."""
    if not (gen / JOURNAL).exists():
        return Journal()
    return _unpickle(gen / JOURNAL, Journal)


def journal_missing(gen: Path) -> str | None:
    """Why the journal the state file counts on is not there (None when nothing is amiss)."""
    if (read_state(gen) or {}).get("journal") and not (gen / JOURNAL).is_file():
        return "the saved changes of the last updates are missing"
    return None


def applied(saved: dict, changes: dict) -> dict:
    """`saved` with `changes` (a journal's map) applied, in name order as a full write keeps it."""
    if not changes:
        return saved
    added = False
    for key, value in changes.items():
        if value is None:
            saved.pop(key, None)
        else:
            added = added or key not in saved
            saved[key] = value
    return dict(sorted(saved.items())) if added else saved


def load_manifest(gen: Path) -> dict | None:
    """The manifest of `gen` with its journal applied (None when either cannot be read)."""
    manifest = _unpickle(gen / MANIFEST, dict)
    journal = load_journal(gen) if manifest is not None else None
    if manifest is None or journal is None:
        return None
    try:
        manifest["articles"] = applied(manifest["articles"], journal.articles)
        if journal.scan_rest is not None:
            manifest["scan"] = {**journal.scan_rest, "articles": applied(manifest["scan"]["articles"], journal.scanned)}
    except (KeyError, TypeError, AttributeError):
        return None
    return manifest


def pickle_atomic(path: Path, value: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def load_cited(gen: Path) -> Cited | None:
    return _unpickle(gen / CITED, Cited)


def _save_facts(gen: Path, base: FactBase) -> None:
    """The fact base, and apart from it the articles' metadata (which changes more often)
    and the table of names a search resolves filters with."""
    pickle_atomic(gen / FACTS_CACHE, base)  # without the metadata and the links (FactBase.__getstate__)
    pickle_atomic(gen / METAS, base.articles)
    pickle_atomic(gen / NAMES, NameTable.of(base.facts.values()).rows())


def load_fact_docs(gen: Path) -> dict | None:
    """The hashes of the fact documents of `gen`, its journal applied."""
    hashes = _unpickle(gen / FACT_DOCS, dict)
    journal = load_journal(gen) if hashes is not None else None
    if hashes is None or journal is None:
        return None
    return applied(hashes, journal.fact_docs)


def load_entries(gen: Path) -> tuple | None:
    """The entity names the articles of `gen` were linked by (`Links.entries`)."""
    return _unpickle(gen / ENTRIES, tuple)


def load_links(gen: Path, journal: Journal | None = None) -> Links | None:
    """The links saved with `gen`, its journal applied (`journal`: that journal, read already)."""
    links = _unpickle(gen / LINKS, Links)
    journal = journal or (load_journal(gen) if links is not None else None)
    if links is None or journal is None:
        return None
    links.articles = applied(links.articles, journal.named)
    return links


def load_duplicates(gen: Path) -> DuplicateIndex | None:
    from facts.duplicates import DuplicateIndex

    return _unpickle(gen / DUPLICATES, DuplicateIndex)


def save_duplicates(gen: Path, dups: DuplicateIndex) -> None:
    """The index of copies, and apart from it the copies found (a search reads only those)."""
    pickle_atomic(gen / DUPLICATES, dups)
    pickle_atomic(gen / COPIES, dups.matches)


def load_copies(gen: Path) -> DuplicateIndex | None:
    """The copies found, without the sketches (a DuplicateIndex that can fold results, not add)."""
    from facts.duplicates import DuplicateIndex

    matches = _unpickle(gen / COPIES, dict)
    if matches is None:
        return None
    dups = DuplicateIndex()
    dups.matches = matches
    return dups


def load_names(gen: Path) -> NameTable | None:
    rows = _unpickle(gen / NAMES, list)
    try:
        return NameTable.from_rows(rows) if rows is not None else None
    except TypeError:  # rows of another shape
        return None


def load_metas(gen: Path, journal: Journal | None = None) -> dict | None:
    metas = _unpickle(gen / METAS, dict)
    journal = journal or (load_journal(gen) if metas is not None else None)
    if metas is None or journal is None:
        return None
    return applied(metas, journal.metas)


def load_facts(gen: Path, bare: bool = False) -> FactBase | None:
    """The checked facts saved with a generation, or None if they cannot be read.

    `bare`: without the articles' metadata and what they name (what an update needs)."""
    from facts.base import FactBase

    journal = load_journal(gen)
    base = _unpickle(gen / FACTS_CACHE, FactBase) if journal is not None else None
    if base is None or not _apply_spans(base, journal.spans):
        return None
    if bare:
        return base
    metas = load_metas(gen, journal)
    links = load_links(gen, journal) if metas is not None else None
    if metas is None or links is None:
        return None
    base.articles = metas
    base.set_named(links.articles)
    return base


def _apply_spans(base: FactBase, spans: dict[str, tuple]) -> bool:
    """Give the facts' sources the spans a journal holds; False if they do not fit the facts."""
    for fact_id, sources in spans.items():
        fact = base.facts.get(fact_id)
        if fact is None or len(fact.sources) != len(sources):
            return False
        for source, (article, quote, span) in zip(fact.sources, sources, strict=True):
            if (source.article, source.quote) != (article, quote):
                return False
            source.span = span
    return True


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection in the block (as it was again after it)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _unpickle(path: Path, kind: type):
    try:  # hundreds of thousands of small objects: collections would only slow this down
        with paused_gc(), open(path, "rb") as f:
            value = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError,
            ValueError, IndexError, KeyError, MemoryError):
        return None
    return value if isinstance(value, kind) else None
