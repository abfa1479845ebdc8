"""The search process: owns one index and answers queries, the latest first.

    python -m search.server CORPUS_ROOT INDEX_DIR [LIBRARY]

Started by search.client.SearchProcess once the index is current: it opens the live
generation as it is (never builds), follows it when another process updates or replaces
it, and exits when its standard input closes (the app quit, crashed or was killed).

Requests come on stdin and replies go out on stdout, each a pickled tuple framed by
multiprocessing.connection:

    request ("search", seq, text, kind, limit, company[, detail])
    replies ("ready", generation) once, then for each request one of
            ("results", seq, Results), ("cancelled", seq), ("failed", seq, "Type: message");
            ("unavailable", reason) instead of "ready" when the index cannot be opened.
            When `detail` left hits without their article's snippet (Hit.detailed False), the
            results are followed by ("details", seq, [(uid, spans, snippet, snippet_spans)])
            unless a newer request came first.

A request that arrives while another runs cancels it (KnowledgeBase.search's `cancelled`
check polls the pipe between the steps of a search); of several waiting, only the last runs.
"""

from __future__ import annotations

import os
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path

SEARCH, READY, RESULTS, CANCELLED, FAILED, UNAVAILABLE = "search", "ready", "results", "cancelled", "failed", "unavailable"
DETAILS = "details"


class _Closed(Exception):
    """The app closed the pipe: stop."""


class Server:
    """Answers the requests of one pipe with one knowledge base."""

    def __init__(self, kb, rx: Connection, tx: Connection) -> None:
        self.kb, self.rx, self.tx = kb, rx, tx
        self.waiting: tuple | None = None  # a request that came while another ran
        self.closed = False

    def _latest(self) -> tuple:
        """The newest of the requests waiting on the pipe (at least one must be)."""
        try:
            request = self.rx.recv()
            while self.rx.poll():
                request = self.rx.recv()
        except (EOFError, OSError):
            self.closed = True
            raise _Closed from None
        return request

    def _cancelled(self) -> bool:
        """True when a newer request (or the end of the pipe) is waiting."""
        if self.waiting is not None or self.closed:
            return True
        try:
            if not self.rx.poll():
                return False
            self.waiting = self._latest()
        except (_Closed, OSError):
            self.closed = True
        return True

    def serve(self) -> None:
        """Answer requests until either pipe closes."""
        from .engine import Cancelled

        while not self.closed:
            try:
                request, self.waiting = self.waiting or self._latest(), None
            except _Closed:
                return
            if request[0] != SEARCH:
                continue
            _, seq, text, kind, limit, company, *more = request
            detail = more[0] if more else None
            results = None
            try:
                self.kb.follow()
                results = self.kb.search(text, kind=kind, limit=limit, company=company, cancelled=self._cancelled,
                                         detail=detail)
                reply = (RESULTS, seq, results)
            except Cancelled:
                reply = (CANCELLED, seq)
            except Exception as exc:  # the app runs it again itself, where it can rebuild the index
                reply = (FAILED, seq, f"{type(exc).__name__}: {exc}")
            if not self._send(reply):
                return
            if results is not None and any(not h.detailed for h in results.hits):
                try:
                    hits = self.kb.detail_later(results, cancelled=self._cancelled)
                except Cancelled:
                    continue  # a newer request replaced this one: the app no longer waits for these
                except Exception:  # the hits stay as they were sent, without a snippet
                    hits = []
                if not self._send((DETAILS, seq, [(h.uid, h.spans, h.snippet, h.snippet_spans) for h in hits])):
                    return

    def _send(self, reply: tuple) -> bool:
        """Send a reply; False when the app is gone."""
        if self.closed:
            return False
        try:
            self.tx.send(reply)
        except OSError:
            return False
        return True


def _pipes() -> tuple[Connection, Connection]:
    """The request and reply pipes (stdin and stdout); fds 0 and 1 then point at /dev/null so
    that nothing else written to stdout can corrupt the replies."""
    rx, tx = Connection(os.dup(0), writable=False), Connection(os.dup(1), readable=False)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    return rx, tx


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the app decides when this process ends
    rx, tx = _pipes()
    try:
        from facts.corpus import Corpus

        from .kb import KnowledgeBase

        root, index_dir, *library = argv
        kb = KnowledgeBase(Corpus(Path(root), library=Path(library[0]) if library else None), Path(index_dir))
        kb.attach()
        kb.engine()  # open the searcher now rather than at the first query
        kb.copies  # noqa: B018 - and read the copies a search folds results by
    except Exception as exc:
        tx.send((UNAVAILABLE, f"{type(exc).__name__}: {exc}"))
        return 1
    tx.send((READY, str(kb.store.current())))
    Server(kb, rx, tx).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
