"""Collector: the app's full garbage collections wait until the keyboard is quiet.

A full collection walks every object the collector tracks and stops every thread meanwhile:
30-50 ms in the app once a large corpus is open, so when it came in the middle of typing it
was the longest freeze. Long-lived objects (the facts, the filled panes) are frozen out of
its way; full collections come only after QUIET seconds without a key; the young
generations are collected as usual (cheap: ~1 ms).
"""

from __future__ import annotations

import gc
import time

QUIET = 2.0  # seconds without a key before a full collection
CHECK = 1.0  # how often the quiet is checked
GEN1_PER_FULL = 100_000  # young collections before Python would start a full one itself


class Collector:
    def __init__(self, app) -> None:
        self.app = app
        self.last_key = time.monotonic()
        self._owed = False  # keys came since the last full collection
        self._timer = None
        self._threshold = gc.get_threshold()

    def start(self) -> None:
        """Freeze what lives now and take over full collections (once; the app calls it when
        its panes are filled)."""
        gc.freeze()
        if self._timer is None:
            self._threshold = gc.get_threshold()
            young, middle, _ = self._threshold
            gc.set_threshold(young, middle, GEN1_PER_FULL)
            self._timer = self.app.set_interval(CHECK, self._check, name="collector")

    def key(self) -> None:
        self.last_key = time.monotonic()
        self._owed = True

    def _check(self) -> None:
        if self._owed and time.monotonic() - self.last_key >= QUIET:
            self._owed = False
            gc.collect()

    def stop(self) -> None:
        """Give Python its own schedule back."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            gc.set_threshold(*self._threshold)
