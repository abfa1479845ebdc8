"""SearchProcess: the app's side of the search process (search/server.py).

Searches run in a child process that owns the index, so that the interpreter lock of the
process drawing the screen is never held by Whoosh. One request is outstanding at a time:
a newer one replaces it (the older one's reply is never given). Replies are given on this
object's reader thread. When the process is not up (starting, dead, cannot start) `search`
returns False and the caller searches elsewhere; a request the process took but did not
answer gets a NotAnswered reply. A process that ends is started again, at most RESTARTS
times in RESTART_WINDOW seconds. A request with `detail` may be answered twice: the results
first, some articles without their snippet, then the same results with every snippet.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from .server import CANCELLED, DETAILS, FAILED, READY, RESULTS, SEARCH, UNAVAILABLE

if TYPE_CHECKING:  # this module is imported by the app at start-up: no Whoosh here
    from .results import Results

RESTARTS = 3
RESTART_WINDOW = 60.0  # seconds
CLOSE_WAIT = 1.0  # seconds a process gets to end on its own when closed, before it is killed
ERROR_TAIL = 2000  # characters of a dead process's stderr kept in `last_exit`


@dataclass(frozen=True)
class Request:
    """One query, as KnowledgeBase.search takes it."""

    text: str
    limit: int
    kind: str | None = None
    company: str | None = None
    detail: int | None = None  # hits given their article's snippet in the first answer (None: all)


class NotAnswered(Exception):
    """The search process took a request but did not answer it (it ended, or the search failed there)."""


Reply = Callable[["Results | NotAnswered"], None]


class SearchProcess:
    """A search process for the corpus and index folder of one KnowledgeBase."""

    def __init__(self, kb) -> None:
        self.args = [str(kb.corpus.root), str(kb.store.path)]
        if kb.corpus.library is not None:
            self.args.append(str(kb.corpus.library))
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._tx: Connection | None = None
        self._ready = False
        self._pending: tuple[int, Reply, Results | None] | None = None  # (seq, reply, results awaiting details)
        self._seq = 0
        self._ends: list[float] = []  # when processes ended, for the restart limit
        self._closing = False
        self.starts = 0
        self.last_exit = ""  # why the last process ended (for the log and tests)

    # -- state ---------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """A process is up and takes requests."""
        return self._ready

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None else None

    def idle(self) -> bool:
        """No request is waiting for its reply."""
        with self._lock:
            return self._pending is None

    # -- starting and ending -------------------------------------------------------------------

    def start(self) -> bool:
        """Start a process unless one runs, it was closed, or it ended too often lately."""
        with self._lock:
            if self._proc is not None:
                return True
            now = time.monotonic()
            self._ends = [t for t in self._ends if now - t < RESTART_WINDOW]
            if self._closing or len(self._ends) > RESTARTS:
                return False
            errors = tempfile.TemporaryFile()  # noqa: SIM115 - read when the process ends
            try:
                # -P: the current folder is not put on the import path (a `search` folder there would run instead)
                proc = subprocess.Popen([sys.executable, "-P", "-m", "search.server", *self.args],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                                        env=_child_env(), start_new_session=True)
            except OSError as exc:
                errors.close()
                self._ends.append(now)
                self.last_exit = f"the search process cannot start: {exc}"
                return False
            self.starts += 1
            self._proc = proc
            self._tx = _connection(proc.stdin, readable=False)
            rx = _connection(proc.stdout, writable=False)
        threading.Thread(target=self._read, args=(proc, rx, errors), name="search process reader",
                         daemon=True).start()
        return True

    def close(self) -> None:
        """End the process (and any later restart); pending replies are never given."""
        with self._lock:
            self._closing = True
            proc, tx = self._proc, self._tx
            self._ready, self._pending, self._tx = False, None, None
        if tx is not None:
            tx.close()  # the process ends at the end of its pipe
        if proc is not None:
            _end(proc)

    def _read(self, proc: subprocess.Popen, rx: Connection, errors) -> None:
        """The reader thread of one process: hand on its replies until it ends."""
        try:
            while True:
                self._received(proc, rx.recv())
        except (EOFError, OSError):
            pass
        finally:
            rx.close()
            self._ended(proc, errors)

    def _received(self, proc: subprocess.Popen, message: tuple) -> None:
        kind = message[0]
        if kind == READY:
            with self._lock:
                self._ready = proc is self._proc and not self._closing
            return
        if kind == UNAVAILABLE:
            self.last_exit = f"the search process cannot open the index: {message[1]}"
            return
        with self._lock:
            if self._pending is None or self._pending[0] != message[1]:
                return  # a reply to a request that a newer one replaced
            seq, reply, earlier = self._pending
            later = kind == RESULTS and any(not h.detailed for h in message[2].hits)
            self._pending = (seq, reply, message[2]) if later else None
        if kind == DETAILS:
            if earlier is not None:
                reply(_with_details(earlier, message[2]))
        elif kind == RESULTS:
            reply(message[2])
        elif kind == FAILED:
            reply(NotAnswered(message[2]))
        elif kind == CANCELLED:
            reply(NotAnswered("the search was cancelled"))

    def _ended(self, proc: subprocess.Popen, errors) -> None:
        code = _end(proc)
        errors.seek(0, os.SEEK_END)
        errors.seek(max(0, errors.tell() - ERROR_TAIL))
        stderr = errors.read().decode("utf-8", "replace").strip()
        errors.close()
        with self._lock:
            if proc is not self._proc:
                return
            self._proc, self._ready = None, False
            if self._tx is not None:
                self._tx.close()
                self._tx = None
            lost, self._pending = self._pending, None
            self._ends.append(time.monotonic())
            closing = self._closing
        if not closing:
            self.last_exit = "; ".join(x for x in (self.last_exit if code == 1 else "",
                                                   f"the search process ended (status {code})", stderr) if x)
        if lost is not None:
            lost[1](NotAnswered(self.last_exit))
        if not closing:
            self.start()

    # -- searching -------------------------------------------------------------------------------

    def search(self, request: Request, reply: Reply) -> bool:
        """Send `request`, replacing any outstanding one; False (and nothing sent) when no process
        is ready, in which case one is started if none is running."""
        with self._lock:
            self._pending = None
            sent = False
            if self._ready and self._tx is not None:
                self._seq += 1
                try:
                    self._tx.send((SEARCH, self._seq, request.text, request.kind, request.limit, request.company,
                                   request.detail))
                except OSError:
                    self._ready = False  # it is ending: the reader thread sees it
                else:
                    self._pending, sent = (self._seq, reply, None), True
            idle = self._proc is None
        if not sent and idle:
            self.start()
        return sent


def _connection(pipe, readable: bool = True, writable: bool = True) -> Connection:
    """A Connection on its own copy of a Popen pipe's descriptor (the pipe object is closed)."""
    conn = Connection(os.dup(pipe.fileno()), readable=readable, writable=writable)
    pipe.close()
    return conn


def _end(proc: subprocess.Popen) -> int:
    """Wait for `proc` to end on its own for a moment, then make it; its exit status."""
    try:
        return proc.wait(CLOSE_WAIT)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def _with_details(results: Results, details: list) -> Results:
    """A copy of `results` with the snippets and spans that came after it. Nothing more comes:
    a hit left out (its snippet could not be made) is shown without one, not as still to come."""
    filled = {uid: (spans, snippet, snippet_spans) for uid, spans, snippet, snippet_spans in details}
    hits = []
    for hit in results.hits:
        if hit.uid in filled:
            spans, snippet, snippet_spans = filled[hit.uid]
            hit = replace(hit, spans=spans, snippet=snippet, snippet_spans=snippet_spans, detailed=True)
        elif not hit.detailed:
            hit = replace(hit, detailed=True)
        hits.append(hit)
    return replace(results, hits=hits)


def _child_env() -> dict[str, str]:
    """This environment, with the folder holding this package first on the import path."""
    env = dict(os.environ)
    here = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(x for x in (here, env.get("PYTHONPATH", "")) if x)
    return env

