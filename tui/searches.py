"""Searches: where the app's searches run.

In the search process (search/client.py) when it is up, so that typing and drawing never
wait on Whoosh; on the knowledge service thread, as before, while it starts, after it died
(until it is back) or when it cannot start. Answers are handed over on the UI thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from search.client import NotAnswered, Request, SearchProcess

if TYPE_CHECKING:
    from search.results import Results

Done = Callable[["Results"], None]


class Searches:
    """The app's searches, latest first: only the newest request's answer is handed over."""

    def __init__(self, app) -> None:
        self.app = app
        self.process: SearchProcess | None = None
        self.answered = {"process": 0, "thread": 0}  # where the answers handed over came from
        self._closed = False

    def start(self, kb) -> None:
        """Start the search process for `kb` (its index must be current: the process never builds);
        not once the app has closed its searches (it may quit while the index is being built)."""
        if self._closed:
            return
        if self.process is None:
            self.process = SearchProcess(kb)
        self.process.start()

    def close(self) -> None:
        self._closed = True
        if self.process is not None:
            self.process.close()

    def idle(self) -> bool:
        """No search is waiting for the search process (the service thread has its own idle())."""
        return self.process is None or self.process.idle()

    def search(self, text: str, done: Done, limit: int, company: str | None = None, detail: int | None = None) -> None:
        """Search; `done(results)` is called on the UI thread unless a newer search replaced this one.
        With `detail`, the search process may answer first with only the first `detail` hits'
        article snippets, then call `done` again with all of them."""
        request = Request(text, limit, company=company, detail=detail)
        if self.process is not None and self.process.search(request, lambda answer: self._answered(request, done, answer)):
            self.app.service.drop("search")  # an older search still waiting there is not wanted
            return
        self._on_thread(request, done)

    def _answered(self, request: Request, done: Done, answer) -> None:
        """On the process's reader thread: hand the results over, or search on the service thread."""
        if isinstance(answer, NotAnswered):
            self.app.log.warning(f"search process: {answer}")
            self._on_thread(request, done)
            return
        with contextlib.suppress(RuntimeError):  # the app is shutting down
            self.app.call_from_thread(self._hand_over, "process", done, answer)

    def _on_thread(self, request: Request, done: Done) -> None:
        self.app.service.submit("search", lambda kb: kb.search(request.text, kind=request.kind, limit=request.limit,
                                                               company=request.company),
                                lambda results: self._hand_over("thread", done, results))

    def _hand_over(self, where: str, done: Done, results: Results) -> None:
        self.answered[where] += 1
        done(results)
