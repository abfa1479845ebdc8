"""Where a keystroke's time goes, from the key to its results drawn (run by hand).

    python bench/keystroke_parts.py CORPUS INDEX_DIR [--runs N]

Runs the app headless at 80x24 as child_app.py does (same queries, same way of sending
keys) with time stamps (time.perf_counter, CLOCK_MONOTONIC, the same clock in both
processes) at each hand-over of a keystroke that is answered by the search process:

    key      the key is sent to the app (as the terminal driver sends it)
    asked    SearchResults.search is called (the box changed, the screen asked)
    sent     the request is written to the search process's pipe
    search   Results.seconds: the engine's own time in the search process
    received the reader thread has the unpickled answer (sent → received minus the search:
             waiting for the process, pickling, the pipe, unpickling)
    handler  the UI thread runs the hand-over (call_from_thread's queue)
    shown    SearchResults._show has returned
    drawn    the next refresh after it has been drawn

and, per answer, the pickled size and the time to pickle and unpickle it in this process.
Prints median / p95 of each step over every keystroke, and the worst keystrokes.
"""

from __future__ import annotations

import argparse
import asyncio
import pickle
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import child_app
from run import TYPED

STEPS = ["asked", "sent", "received", "handler", "shown", "drawn"]


def patch(keys: list[dict]) -> None:
    """Wrap the hand-over points to stamp the current keystroke's record (the last of `keys`)."""
    from search.client import SearchProcess
    from tui.searches import Searches
    from tui.widgets.search_results import SearchResults

    def wrap(cls, name, step, after=True):
        inner = getattr(cls, name)

        def wrapper(*args, **kwargs):
            if not after:
                keys[-1].setdefault(step, time.perf_counter())
            out = inner(*args, **kwargs)
            if after:
                keys[-1][step] = time.perf_counter()
            return out

        setattr(cls, name, wrapper)

    wrap(SearchResults, "search", "asked", after=False)
    wrap(SearchProcess, "search", "sent")
    inner_received = SearchProcess._received

    def received(self, proc, message):
        if message[0] == "results":
            record = keys[-1]
            record["received"] = time.perf_counter()
            results = message[2]
            started = time.perf_counter()
            data = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
            pickled = time.perf_counter()
            pickle.loads(data)
            record["pickle"] = (len(data), pickled - started, time.perf_counter() - pickled)
        return inner_received(self, proc, message)

    SearchProcess._received = received
    wrap(Searches, "_hand_over", "handler", after=False)
    wrap(SearchResults, "_show", "shown")


async def drive(app, queries: list[str], keys: list[dict]) -> None:
    from tui.widgets.search_bar import SearchBar
    from tui.widgets.search_results import SearchResults

    async with app.run_test(size=(80, 24)) as pilot:
        await child_app.filled(app)
        await child_app.wait_for(lambda: app.service.idle(), 30.0)
        await child_app.wait_for(lambda: app.searches.process.ready, child_app.PROCESS_TIMEOUT)
        await pilot.press("slash")
        bar, results = app.query_one(SearchBar), app.query_one(SearchResults)
        for query in queries:
            for ch in query:
                want = bar.value + ch
                record = keys[-1]
                record.clear()
                record["key"] = time.perf_counter()
                child_app.press(app, ch)
                if not await child_app.wait_for(lambda want=want: results.results is not None
                                                and results.results.query == want == bar.value, 10.0):
                    record["timeout"] = True
                    keys.append({})
                    continue
                drawn: list[float] = []
                app.call_after_refresh(lambda drawn=drawn: drawn.append(time.perf_counter()))
                await child_app.wait_for(lambda drawn=drawn: bool(drawn), 10.0)
                record["drawn"] = drawn[0] if drawn else time.perf_counter()
                record["search"] = results.results.seconds
                keys.append({})
            bar.value = ""
            await pilot.pause()
            await child_app.wait_for(lambda: results.results is None, 10.0)
        keys.pop()


def report(keys: list[dict]) -> None:
    full = [k for k in keys if all(s in k for s in STEPS) and "pickle" in k]
    print(f"{len(full)} of {len(keys)} keystrokes answered by the search process")

    def spread(values: list[float]) -> str:
        values = sorted(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        return f"{statistics.median(values) * 1000:6.1f} / {p95 * 1000:6.1f} / {values[-1] * 1000:6.1f} ms"

    previous = "key"
    for step in STEPS:
        print(f"  {previous:>8} → {step:<8} {spread([k[step] - k[previous] for k in full])}")
        previous = step
    print(f"  {'search':>8} (engine) {spread([k['search'] for k in full])}")
    rest = [k["received"] - k["sent"] - k["search"] for k in full]
    print(f"  sent → received minus the search: {spread(rest)}")
    print(f"  key → drawn              {spread([k['drawn'] - k['key'] for k in full])}")
    print(f"  key → drawn minus search {spread([k['drawn'] - k['key'] - k['search'] for k in full])}")
    sizes = [k["pickle"][0] for k in full]
    print(f"  answer pickled: median {statistics.median(sizes) / 1024:.1f} KiB, max {max(sizes) / 1024:.1f} KiB; "
          f"dumps {spread([k['pickle'][1] for k in full])}; loads {spread([k['pickle'][2] for k in full])}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("index", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    from facts.corpus import Corpus

    keys: list[dict] = []
    app_class = child_app.make_app_class()
    patch(keys)
    for _ in range(args.runs):
        keys.append({})
        app = app_class(Corpus.open(args.corpus), args.index)
        asyncio.run(drive(app, TYPED, keys))
    report(keys)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
