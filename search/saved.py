"""What is saved with a generation beside Whoosh's files, and reading it back.

Pickles of the facts, the articles' metadata, the links, the cited quotes and the copies
index; the manifest an update compares with; and the small state file a start reads.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from facts.names import NameTable
from facts.problems import ERROR, Problem

from .scan import fingerprint_of, index_files, sha1_of, sidecar_sha1s
from .store import STATE, read_json, read_state, write_json_atomic, write_manifest

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


def save(gen: Path, corpus: Corpus, snapshot: dict, articles_state: dict, base: FactBase | None,
         fact_hashes: dict, speller: Speller, links: Links, problems: list[Problem], cited: Cited,
         metas: dict | None = None) -> None:
    """Write what the next start and the next update read; the small state file last.

    `base` None means the facts did not change (only `metas`, the articles' metadata).
    """
    from .schema import SCHEMA_VERSION
    from .spelling import SPELLING

    speller.save(gen / SPELLING)
    pickle_atomic(gen / LINKS, links)
    if base is not None:
        _save_facts(gen, base)
        pickle_atomic(gen / CITED, cited)
    else:
        pickle_atomic(gen / METAS, metas)
    old = read_state(gen) if base is None else None
    manifest = {
        "schema": SCHEMA_VERSION,
        "scan": snapshot,
        "articles": articles_state,
        "fact_files": {rel: sha1_of(corpus.abspath(rel)) for rel in snapshot["facts"]},
        "sidecar_sha1": sidecar_sha1s(corpus),
        "fact_docs": fact_hashes,
    }
    write_manifest(gen, manifest)
    write_json_atomic(gen / PROBLEMS, {"problems": problem_rows(problems)})
    state = {
        "schema": SCHEMA_VERSION,
        "files": index_files(gen),
        "corpus": corpus.key,
        "built_at": time.time(),
        "fingerprint": fingerprint_of(snapshot),
        "counts": {
            "articles": sum(1 for s in articles_state.values() if "error" not in s),
            **({"facts": len(base.facts), "entities": len(base.entities()),
                "sources": sum(len(f.sources) for f in base.facts.values())}
               if base is not None else {k: (old or {}).get("counts", {}).get(k, 0)
                                         for k in ("facts", "entities", "sources")}),
        },
        "errors": problem_rows([p for p in problems if p.severity == ERROR]),
    }
    write_json_atomic(gen / STATE, state)


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


def load_links(gen: Path) -> Links | None:
    return _unpickle(gen / LINKS, Links)


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


def load_metas(gen: Path) -> dict | None:
    return _unpickle(gen / METAS, dict)


def load_facts(gen: Path) -> FactBase | None:
    """The checked facts saved with a generation, or None if they cannot be read."""
    from facts.base import FactBase

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
