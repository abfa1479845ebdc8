"""Child process of run.py: the app's cold start, typing latency, UI freezes and memory.

    python bench/child_app.py SPAWNED CORPUS INDEX_DIR QUERIES_JSON OUT_JSON

SPAWNED is the parent's time.time() just before it started this process. The child
imports the app the way the CLI does (tui.cli, then tui.app), runs AllianceApp headless
at 80x24 on an index that is already built, and records (as time.time(), so the
process start-up counts) the first paint and when the panes are filled. Then it types
each query letter by letter, waits after each key until the results pane shows the
results for the text in the box, and measures each keystroke's latency (keystroke to
results on the pane), the longest gap between 10 ms UI ticks while
typing, and its own peak RSS. Then it types the same queries fast (a key every
FAST_KEY seconds, not waiting for results) and measures each key's echo: from the key
to the first refresh that draws the new text in the search box, noting whether a search
was running (waiting for the search process or on the service thread) when it was
pressed. The memory is the app's peak RSS plus its search process's (VmHWM), if any.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import sys
import time
from pathlib import Path

from common import self_peak_rss_mb, write_json

KEY_TIMEOUT = 10.0  # seconds to wait for the results of one keystroke
OPEN_TIMEOUT = 300.0  # seconds to wait for the knowledge base
TICK = 0.01  # the UI-freeze probe's interval
FAST_KEY = 0.03  # seconds between keys when typing fast (a fast typist: ~100 ms)
PROCESS_TIMEOUT = 60.0  # seconds to wait for the search process to be up before typing


def make_app_class():
    """AllianceApp with probes for the first paint and the UI ticks."""
    import tui.cli  # noqa: F401 - the CLI module is imported first, as `alliance` does
    from tui.app import AllianceApp

    class BenchApp(AllianceApp):
        CSS_PATH = str(Path(inspect.getfile(AllianceApp)).parent / AllianceApp.CSS_PATH)

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.first_paint: float | None = None
            self.ticks: list[float] = []
            self._ticker = None

        def on_mount(self) -> None:  # runs besides AllianceApp.on_mount (Textual calls both)
            self.call_after_refresh(self._painted)

        def _painted(self) -> None:
            if self.first_paint is None:
                self.first_paint = time.time()

        def start_ticks(self) -> None:
            self.ticks = [stamp()]
            self._ticker = self.set_interval(TICK, lambda: self.ticks.append(stamp()))

        def stop_ticks(self) -> tuple[float, float]:
            """The longest gap between ticks since start_ticks, and the longest part of a gap
            that this process spent on the CPU (its own work, not a wait for a core), in seconds."""
            self._ticker.stop()
            self.ticks.append(stamp())
            pairs = list(zip(self.ticks, self.ticks[1:], strict=False))
            return max(b[0] - a[0] for a, b in pairs), max(busy_time(a, b) for a, b in pairs)

    return BenchApp


def stamp() -> tuple[float, float]:
    """Wall clock and this process's CPU time (all its threads)."""
    return time.perf_counter(), time.process_time()


def busy_time(a: tuple[float, float], b: tuple[float, float]) -> float:
    """How much of the time from stamp a to stamp b this process was running: on a shared
    machine the rest is waiting for a core, which no design of ours removes."""
    return min(b[0] - a[0], b[1] - a[1])


async def wait_for(condition, timeout: float, step: float = 0.002) -> bool:
    """Let the app run until `condition()` holds; False on timeout."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(step)
    return True


async def filled(app) -> float | None:
    """time.time() of the first refresh after the knowledge base is ready."""
    if not await wait_for(lambda: app.kb is not None, OPEN_TIMEOUT):
        return None
    stamp: list[float] = []
    app.call_after_refresh(lambda: stamp.append(time.time()))
    await wait_for(lambda: bool(stamp), 5.0)
    return stamp[0] if stamp else None


async def type_query(app, pilot, text: str, searched: list[float], latencies: list[float]) -> int:
    """Type `text` key by key, waiting for each key's results; returns how many timed out.

    The time from each key to the refresh that draws its results on the pane is added to
    `latencies`, and the engine's own time for them (Results.seconds) to `searched`. Keys are
    sent as the terminal driver sends them: Pilot.press would also wait until the whole
    process looks idle, which is the test harness's time, not the user's.
    """
    from tui.widgets.search_bar import SearchBar
    from tui.widgets.search_results import SearchResults

    bar, results = app.query_one(SearchBar), app.query_one(SearchResults)
    timeouts = 0
    for ch in text:
        want = bar.value + ch
        asked = time.perf_counter()
        press(app, ch)

        def shown(want=want) -> bool:
            return results.results is not None and results.results.query == want == bar.value

        if await wait_for(shown, KEY_TIMEOUT):
            drawn: list[float] = []
            app.call_after_refresh(lambda drawn=drawn: drawn.append(time.perf_counter()))
            await wait_for(lambda drawn=drawn: bool(drawn), KEY_TIMEOUT)
            latencies.append((drawn[0] if drawn else time.perf_counter()) - asked)
            searched.append(results.results.seconds)
        else:
            timeouts += 1
    return timeouts


def searching(app) -> bool:
    """A search is running or waiting: in the search process or on the service thread."""
    searches = getattr(app, "searches", None)
    return not app.service.idle() or (searches is not None and not searches.idle())


def press(app, ch: str) -> None:
    """Send a key as the terminal driver does (Pilot.press would then wait until the whole
    process is idle, which includes a search on the service thread)."""
    from textual import events

    key = events.Key("space" if ch == " " else ch, ch)
    key.set_sender(app)
    app._driver.send_message(key)


class Echo:
    """When the search box first draws the text it is waiting for (one watcher for all keys)."""

    def __init__(self, app, bar) -> None:
        self.app, self.want, self.drawn = app, None, []
        app.watch(bar, "value", self._changed, init=False)

    def expect(self, text: str) -> None:
        self.want, self.drawn = text, []

    def _changed(self, value: str) -> None:
        if value == self.want and not self.drawn:
            drawn = self.drawn
            self.app.call_after_refresh(lambda: drawn.append(stamp()))


async def type_fast(app, echo: Echo, text: str, echoes: list[tuple[float, float]], busy: list[bool]) -> int:
    """Type `text` a key every FAST_KEY seconds; each key's echo (key to the refresh that
    draws it in the box: wall time, and the part of it this process was running) goes to
    `echoes`, and whether a search was running to `busy`.
    Then wait for the results of the whole text; returns 1 if they timed out."""
    from tui.widgets.search_bar import SearchBar
    from tui.widgets.search_results import SearchResults

    bar, results = app.query_one(SearchBar), app.query_one(SearchResults)
    for ch in text:
        pressed = stamp()
        running = searching(app)
        echo.expect(bar.value + ch)
        press(app, ch)
        if await wait_for(lambda: bool(echo.drawn), KEY_TIMEOUT):
            echoes.append((echo.drawn[0][0] - pressed[0], busy_time(pressed, echo.drawn[0])))
            busy.append(running)
        await asyncio.sleep(max(0.0, FAST_KEY - (time.perf_counter() - pressed[0])))
    shown = await wait_for(lambda: results.results is not None and results.results.query == bar.value, KEY_TIMEOUT)
    return 0 if shown else 1


def search_process_peak_mb(app) -> tuple[float, int | None]:
    """The search process's peak RSS (VmHWM) in MB and its pid; (0, None) when there is none."""
    process = getattr(getattr(app, "searches", None), "process", None)
    pid = process.pid if process is not None else None
    if pid is None:
        return 0.0, None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024, pid
    except OSError:
        pass
    return 0.0, pid


async def drive(app, queries: list[str]) -> dict:
    """Start the app headless, wait for it to fill, type the queries; what was seen."""
    from tui.widgets.search_bar import SearchBar

    async with app.run_test(size=(80, 24)) as pilot:
        panes = await filled(app)
        await wait_for(lambda: app.service.idle(), 30.0)
        process = getattr(getattr(app, "searches", None), "process", None)
        process_up = await wait_for(lambda: process.ready, PROCESS_TIMEOUT) if process is not None else None
        await pilot.press("slash")
        app.start_ticks()
        timeouts, searched, latencies = 0, [], []
        for query in queries:
            timeouts += await type_query(app, pilot, query, searched, latencies)
            app.query_one(SearchBar).value = ""
            await pilot.pause()
        freeze, freeze_cpu = app.stop_ticks()
        app.start_ticks()
        echoes, busy = [], []
        echo = Echo(app, app.query_one(SearchBar))
        for query in queries:
            timeouts += await type_fast(app, echo, query, echoes, busy)
            app.query_one(SearchBar).value = ""
            await pilot.pause()
        fast_freeze, fast_freeze_cpu = app.stop_ticks()
        own = self_peak_rss_mb()
        child, pid = search_process_peak_mb(app)
        answered = dict(getattr(getattr(app, "searches", None), "answered", {}))
    return {"panes_filled": panes, "latencies": latencies, "search_seconds": searched, "timeouts": timeouts,
            "ui_freeze": freeze, "ui_freeze_cpu": freeze_cpu, "fast_ui_freeze": fast_freeze,
            "fast_ui_freeze_cpu": fast_freeze_cpu, "echoes": [e for e, _ in echoes],
            "echoes_cpu": [c for _, c in echoes], "echo_busy": busy,
            "peak_rss_mb": own + child, "app_rss_mb": own, "search_process_rss_mb": child,
            "search_process": {"up_before_typing": process_up, "pid": pid, "answered": answered}}


def main(spawned: str, corpus: str, index_dir: str, queries: str, out: str) -> int:
    started = time.time()
    app_class = make_app_class()
    from facts.corpus import Corpus

    app = app_class(Corpus.open(corpus), Path(index_dir))
    imported = time.time()
    seen = asyncio.run(drive(app, json.loads(queries)))
    base = float(spawned)
    write_json(Path(out), {
        "python_started": started - base,
        "imported": imported - base,
        "first_paint": app.first_paint - base if app.first_paint else None,
        "panes_filled": seen.pop("panes_filled") - base if seen["panes_filled"] else None,
        **seen,
    })
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
