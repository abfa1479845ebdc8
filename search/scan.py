"""The cheap look at the corpus and the index files an update compares: sizes and times.

`scan` records the size and change time of every input file; `fingerprint` digests them for
the start-up check. `index_files` does the same for Whoosh's files in a generation.

An input file's time is the later of its modification and status-change times: an edit that
keeps the size and sets the modification time back (`touch -r`, `os.utime`, a tool that
restores times) still moves the status-change time, which no user can set.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

from facts.files import SIDECAR

from .store import read_state

# Look entries up from their open folder (fstatat) where the system can.
_BY_FD = os.stat in os.supports_dir_fd and os.listdir in os.supports_fd

Listing = tuple[list[str], array, array]  # names, sizes, times (see above)

if TYPE_CHECKING:
    from facts.corpus import Corpus
    from facts.metadata import Sidecar


def _signature(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, max(st.st_mtime_ns, st.st_ctime_ns)]


def _listing(corpus: Corpus) -> list[Listing | None]:
    """For each folder's `seeds/`, the names of the entries `article_files` reports on, with
    their sizes and times, in the order the folder lists them (None for a folder that cannot
    be read). A link is never opened here."""
    return [_folder_listing(f.seeds_dir) for f in corpus.folders]


def _folder_listing(seeds_dir: Path) -> Listing | None:
    """One folder's listing. Where the system allows, each entry is looked up from the open
    folder rather than by its whole path: a quarter less time at 10,000 articles."""
    if not _BY_FD:
        return _entries(os.fspath(seeds_dir), None)
    try:
        fd = os.open(seeds_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        return _entries(fd, fd)
    finally:
        os.close(fd)


def _entries(folder: int | str, dir_fd: int | None) -> Listing | None:
    try:
        names = [n for n in os.listdir(folder) if n != SIDECAR and not n.startswith(".")]
    except OSError:
        return None
    kept: list[str] = []
    sizes, times = array("q"), array("q")
    stat, keep, add_size, add_time = os.stat, kept.append, sizes.append, times.append
    join = None if dir_fd is not None else os.path.join
    for name in names:  # each result dropped at once: keeping them costs more than the loop
        where = name if join is None else join(folder, name)
        try:  # a link by its target (an edit of it is seen), or by itself if it cannot be followed
            st = stat(where, dir_fd=dir_fd)
        except OSError:
            try:
                st = stat(where, dir_fd=dir_fd, follow_symlinks=False)
            except OSError:
                continue
        keep(name)
        add_size(st.st_size)
        modified, changed = st.st_mtime_ns, st.st_ctime_ns
        add_time(changed if changed > modified else modified)
    return kept, sizes, times


def _article_rows(listing: list) -> tuple[dict[str, list[int]], list[list]]:
    """[size, time, folder] of each listed entry by name; entries named like one in an earlier
    folder apart, as [folder, name, size, time]."""
    rows: dict[str, list[int]] = {}
    shadowed: list[list] = []
    for index, listed in enumerate(listing):
        if listed is None:
            continue
        for name, size, changed in zip(*listed, strict=True):
            if name in rows:
                shadowed.append([index, name, size, changed])
            else:
                rows[name] = [size, changed, index]
    return rows, sorted(shadowed)


def _sidecars(corpus: Corpus) -> list:
    return [_signature(p) for p in corpus.sidecar_paths()]


def scan(corpus: Corpus) -> dict:
    """Size and time of every input file: what an update compares; and their fingerprint,
    what the start-up check compares."""
    listing = _listing(corpus)
    articles, shadowed = _article_rows(listing)
    facts = {corpus.rel(p): _signature(p) for p in corpus.fact_files()}
    sidecar = _sidecars(corpus)
    return {"articles": articles, "shadowed": shadowed, "facts": facts, "sidecar": sidecar,
            "fingerprint": _digest(listing, facts, sidecar)}


def _digest(listing: list, facts: dict, sidecar: list) -> str:
    """A digest of the listings as they come (no sorting, no text per file: this is the cost of
    every start). A folder listed in another order gives another digest, which only sends the
    start-up check to the update's comparison of every file, which finds nothing changed."""
    digest = hashlib.sha1()
    for listed in listing:
        if listed is None:
            digest.update(b"\x01")
            continue
        names, sizes, times = listed
        digest.update("\0".join(names).encode("utf-8", "surrogatepass"))
        digest.update(b"\x02" + sizes.tobytes() + times.tobytes() + b"\x03")
    digest.update(repr((sorted(facts.items()), sidecar)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def fingerprint(corpus: Corpus) -> str:
    """The fingerprint of the corpus as it is now, computed as cheaply as possible: the start-up check."""
    facts = {corpus.rel(p): _signature(p) for p in corpus.fact_files()}
    return _digest(_listing(corpus), facts, _sidecars(corpus))


def fingerprint_of(snapshot: dict) -> str:
    """The fingerprint of a corpus whose scan was `snapshot` (none for a scan saved by an earlier
    version of alliance: the next check then compares every file)."""
    return snapshot.get("fingerprint", "")


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


