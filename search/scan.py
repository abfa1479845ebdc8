"""The cheap look at the corpus and the index files an update compares: sizes and times.

`scan` records the size and modification time of every input file; `fingerprint` digests
them for the start-up check. `index_files` does the same for Whoosh's files in a generation.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from facts.files import SIDECAR

from .store import read_state

if TYPE_CHECKING:
    from facts.corpus import Corpus
    from facts.metadata import Sidecar


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


def sidecar_sha1s(corpus: Corpus) -> list:
    return [sha1_of(p) for p in corpus.sidecar_paths()]


def sha1_of(path: Path) -> str | None:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return None



def entry_hash(sidecar: Sidecar, name: str) -> str:
    entry = sidecar.entries.get(name)
    return hashlib.sha1(repr(sorted((entry or {}).items(), key=str)).encode()).hexdigest()[:16]


def changed_files(gen: Path) -> str | None:
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


