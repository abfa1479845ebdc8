"""KnowledgeService: the one worker thread that touches the index.

The UI thread never touches Whoosh. Panes submit jobs (a function of the knowledge
base); a newer job with the same key replaces one still waiting (typing fast runs
only the latest search), and each result is handed back on the UI thread.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

Job = Callable[[Any], Any]  # kb -> result
Done = Callable[[Any], None]  # result -> None, called on the UI thread


class KnowledgeService:
    """A queue of jobs run in order by one worker thread, latest-wins per key."""

    def __init__(self, app) -> None:
        self.app = app
        self.kb = None
        self._jobs: OrderedDict[str, tuple[Job, Done | None, Callable[[Exception], None] | None]] = OrderedDict()
        self._wake = threading.Condition()
        self._stopped = False
        self.busy_since: float | None = None

    def submit(self, key: str, job: Job, done: Done | None = None,
               failed: Callable[[Exception], None] | None = None) -> None:
        """Queue `job`; a waiting job with the same key is dropped in its favour."""
        with self._wake:
            self._jobs.pop(key, None)
            self._jobs[key] = (job, done, failed)
            self._wake.notify()

    def drop(self, key: str) -> None:
        """Forget the waiting job with this key, if any (one already running finishes)."""
        with self._wake:
            self._jobs.pop(key, None)

    def idle(self) -> bool:
        """True when no job is waiting or running."""
        with self._wake:
            return not self._jobs and self.busy_since is None

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()

    def loop(self) -> None:
        """The worker thread's body: run jobs until stopped."""
        while True:
            with self._wake:
                while not self._jobs and not self._stopped:
                    self._wake.wait(0.5)
                if self._stopped:
                    return
                _key, (job, done, failed) = self._jobs.popitem(last=False)
                self.busy_since = time.perf_counter()
            try:
                result = job(self.kb)
            except Exception as exc:  # reported in the UI, never a traceback on screen
                if failed is not None:
                    self._deliver(failed, exc)
                else:
                    self._deliver(self._notify_error, exc)
            else:
                if done is not None:
                    self._deliver(done, result)
            finally:
                self.busy_since = None

    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        if self._stopped:
            return
        with contextlib.suppress(RuntimeError):  # the app is shutting down
            self.app.call_from_thread(callback, value)

    def _notify_error(self, exc: Exception) -> None:
        self.app.notify(f"{type(exc).__name__}: {exc}", title="Something went wrong", severity="error")
