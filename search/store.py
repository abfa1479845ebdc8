"""Where an index lives and how it is swapped in safely.

An index folder holds generations (`gen-*`), each a complete Whoosh index with its
manifest, spelling dictionary and fact cache, and a `CURRENT` file naming the live one.
A full build writes a new generation and then replaces `CURRENT` atomically, so an
interrupted build or a reader in another process never sees half an index. Writers
take an exclusive lock on `lock`; readers take none.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None

CURRENT = "CURRENT"
LOCK = "lock"
BUILDER = "builder.lock"  # in a generation being built, locked by its builder
MANIFEST = "manifest.pickle"  # what updates compare: every file's state (see search/saved.py)
STATE = "state.json"  # small: schema, corpus, fingerprint, counts, errors (read at each start)
GEN_PREFIX = "gen-"
LOCK_TIMEOUT = 300.0  # how long a writer waits for another by default (seconds)
BUILDING_PREFIX = "building-"


def cache_root() -> Path:
    """`$ALLIANCE_CACHE_DIR`, else `$XDG_CACHE_HOME/alliance`, else `~/.cache/alliance`."""
    if env := os.environ.get("ALLIANCE_CACHE_DIR"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "alliance"


def index_dir_for(corpus_root: Path, *more_roots: Path) -> Path:
    """The index folder of a corpus in the cache: one per set of corpus folders (primary first)."""
    root = str(Path(corpus_root).resolve())
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(root).name or "corpus")[:40]
    key = "\n".join([root, *(str(Path(r).resolve()) for r in more_roots)])
    digest = hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return cache_root() / "indexes" / f"{slug}-{digest}"


class LockTimeout(Exception):
    """Another process held the index lock for too long."""


class IndexStore:
    """The generations of one index folder."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._builders: dict[Path, IO] = {}  # generations this process is building: their BUILDER lock

    def ensure(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)

    @contextlib.contextmanager
    def lock(self, timeout: float = LOCK_TIMEOUT, waiting: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the writer lock; `waiting` is called once if another process has it."""
        self.ensure()
        deadline = time.monotonic() + timeout
        told = False
        while True:
            handle = open(self.path / LOCK, "a+")  # noqa: SIM115 - held for the whole block
            if fcntl is None or _locked(handle.fileno(), self.path / LOCK):
                break
            handle.close()
            if not told and waiting is not None:
                waiting()
                told = True
            if time.monotonic() > deadline:
                raise LockTimeout(f"another alliance process is still indexing {self.path}")
            time.sleep(0.05)
        try:
            yield
        finally:
            if fcntl is not None:
                with contextlib.suppress(OSError):
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()

    def busy(self) -> bool:
        """True when another process holds the writer lock right now."""
        try:
            handle = open(self.path / LOCK, "rb")  # noqa: SIM115 - closed below
        except OSError:
            return False
        with handle:
            if fcntl is None:
                return False
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            return False

    def current(self) -> Path | None:
        """The live generation, or None when there is none."""
        try:
            name = (self.path / CURRENT).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):  # missing, unreadable or garbage
            return None
        if not name.startswith(GEN_PREFIX) or "/" in name:
            return None
        gen = self.path / name
        return gen if gen.is_dir() else None

    def new_generation(self) -> Path:
        """An empty folder to build a generation in (not live until `publish`).

        The builder holds a lock on a file in it until it publishes or abandons the
        folder, so that no other process takes the folder for a crash's leftover.
        """
        self.ensure()
        building = Path(tempfile.mkdtemp(prefix=BUILDING_PREFIX, dir=self.path))
        handle = open(building / BUILDER, "a+")  # noqa: SIM115 - held until published or abandoned
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        self._builders[building] = handle
        return building

    def publish(self, building: Path) -> Path:
        """Make a built generation live, atomically, and remove the ones it replaces."""
        final = self.path / f"{GEN_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}-{building.name[-8:]}"
        (building / BUILDER).unlink()
        os.replace(building, final)
        self._release(building)
        tmp = self.path / f"{CURRENT}.tmp"
        tmp.write_text(final.name, encoding="utf-8")
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, self.path / CURRENT)
        self.collect(keep=final)
        return final

    def abandon(self, building: Path) -> None:
        """Throw away a generation that was being built."""
        shutil.rmtree(building, ignore_errors=True)
        self._release(building)

    def _release(self, building: Path) -> None:
        handle = self._builders.pop(building, None)
        if handle is not None:
            handle.close()

    def collect(self, keep: Path | None = None) -> None:
        """Remove every generation but the live one, and the half-built ones whose builder is gone.

        Call only while holding the lock. Processes reading an old generation keep
        their open files (POSIX), and re-read CURRENT when they next open.
        """
        keep = keep or self.current()
        for child in self._children():
            if child.name.startswith(GEN_PREFIX) and child != keep:
                shutil.rmtree(child, ignore_errors=True)
        self.clean_leftovers()

    def clean_leftovers(self) -> None:
        """Remove half-built generations left by processes that ended (killed, crashed ...)."""
        for child in self._children():
            if child.name.startswith(BUILDING_PREFIX) and child not in self._builders and _abandoned(child):
                shutil.rmtree(child, ignore_errors=True)

    def _children(self) -> list[Path]:
        try:
            return [child for child in self.path.iterdir() if child.is_dir()]
        except OSError:
            return []

    def discard(self) -> None:
        """Forget the live generation (after it proved unreadable)."""
        with contextlib.suppress(OSError):
            (self.path / CURRENT).unlink()


def _locked(fd: int, path: Path) -> bool:
    """Take an exclusive lock on `fd` without waiting; False if another process has it.

    The lock counts only if `fd` is still the file at `path`: one deleted (and perhaps made
    again by another process) while we waited for it locks nothing.
    """
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except OSError:
        there = None
    if there is not None and (mine.st_ino, mine.st_dev) == (there.st_ino, there.st_dev):
        return True
    fcntl.flock(fd, fcntl.LOCK_UN)
    return False


def _abandoned(building: Path) -> bool:
    """True when no process holds the builder lock of a half-built generation (or it has none
    and is older than a minute: made by a process that died before it could take the lock)."""
    try:
        fd = os.open(building / BUILDER, os.O_RDONLY)
    except FileNotFoundError:
        try:
            return time.time() - building.stat().st_mtime > 60
        except OSError:
            return False
    except OSError:
        return False
    try:
        if fcntl is None:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    finally:
        os.close(fd)


def read_json(path: Path) -> dict | None:
    """A JSON object from `path`, or None when it is missing or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_manifest(gen: Path) -> dict | None:
    """The manifest of a generation (a pickle: several times quicker than JSON at 10,000 articles),
    or None when it is missing or damaged."""
    import pickle

    try:
        with open(gen / MANIFEST, "rb") as f:
            data = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError,
            ValueError, IndexError, KeyError, MemoryError):
        return None
    return data if isinstance(data, dict) else None


def write_manifest(gen: Path, manifest: dict) -> None:
    import pickle

    tmp = gen / (MANIFEST + ".tmp")
    with open(tmp, "wb") as f:
        pickle.dump(manifest, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, gen / MANIFEST)


def read_state(gen: Path) -> dict | None:
    return read_json(gen / STATE)


def write_json_atomic(path: Path, data: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    # ASCII: a file name that is not UTF-8 (a lone surrogate) round-trips as a \udcXX escape.
    tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="ascii")
    os.replace(tmp, path)
