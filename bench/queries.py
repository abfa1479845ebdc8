"""The benchmark queries, by category, with their SQLite FTS5 equivalents, and their timing.

Each query is (ours, fts): `ours` is typed into `kb.search`; `fts` is (MATCH expression
or None, extra WHERE clause or None) for the FTS5 table built by fts.py. The words are
ones the generated corpora (and mostly the bundled one) contain.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass

from common import summary

RUNS_PER_CATEGORY = 40  # timed searches per category (spread over its queries), after a warm-up
HIGHLIGHT_RUNS = 10  # timed searches per query for the highlight measurement
HIGHLIGHT_TOP = 10  # hits on screen


@dataclass(frozen=True)
class Query:
    ours: str
    match: str | None  # FTS5 MATCH expression (None: no full-text condition)
    where: str | None = None  # extra SQL condition on the FTS5 table's columns


CATEGORIES: dict[str, tuple[Query, ...]] = {
    "plain": (
        Query("battery", "battery"),
        Query("ampere battery", "ampere battery"),
        Query("nissan renault partnership", "nissan renault partnership"),
        Query("lithium iron phosphate", "lithium iron phosphate"),
        Query("electric vans", "electric vans"),
    ),
    "phrase": (
        Query('"software-defined vehicle"', '"software defined vehicle"'),
        Query('"battery chemistry"', '"battery chemistry"'),
        Query('"joint venture"', '"joint venture"'),
        Query('"e-Power hybrid"', '"e power hybrid"'),
        Query('"Renault Group"', '"renault group"'),
    ),
    "prefix": (
        Query("ampr*", "ampr*"),
        Query("batt*", "batt*"),
        Query("elec*", "elec*"),
        Query("nis*", "nis*"),
        Query("softw*", "softw*"),
    ),
    # FTS5 has no spelling correction: the misspelt word is run as it is (and finds nothing).
    "typo": (
        Query("renualt", "renualt"),
        Query("mitsubsihi", "mitsubsihi"),
        Query("uchdia", "uchdia"),
        Query("batery", "batery"),
        Query("qualcom", "qualcom"),
    ),
    "filter": (
        Query("kind:partnership", None, "kind = 'partnership'"),
        Query("company:nissan battery", "battery nissan"),
        Query("kind:figure year:2024", None, "kind = 'figure' AND year LIKE '%2024%'"),
        Query("kind:statement renault", "renault", "kind = 'statement'"),
        Query("status:planned ampere", "ampere", "status = 'planned'"),
    ),
    # Malformed queries are read leniently by alliance; FTS5 would reject them, so it gets
    # what alliance reads them as.
    "malformed": (
        Query('"battery chemistry', "battery chemistry"),
        Query("(renault", "renault"),
        Query("nissan AND", "nissan"),
        Query("ampere OR", "ampere"),
        Query('"unbalanced', "unbalanced"),
    ),
}


def time_queries(search, queries: tuple[Query, ...], runs: int = RUNS_PER_CATEGORY) -> dict:
    """Latency of `search(query)` over `runs` calls spread over the queries, after one warm-up each.

    `search` returns the number of hits; the hit counts are reported per query.
    """
    hits = {q.ours: search(q) for q in queries}  # warm-up
    samples: list[float] = []
    for i in range(runs):
        query = queries[i % len(queries)]
        started = time.perf_counter()
        search(query)
        samples.append(time.perf_counter() - started)
    return {**summary(samples), "hits": hits}


class OurSearch:
    """kb.search as a function of a Query for time_queries; notes corrections and messages."""

    def __init__(self, kb, limit: int = 20) -> None:
        self.kb = kb
        self.limit = limit
        self.notes: dict[str, str] = {}

    def __call__(self, query: Query) -> int:
        results = self.kb.search(query.ours, limit=self.limit)
        if results.corrected_from:
            self.notes[query.ours] = f"corrected to {results.searched!r}"
        elif results.messages:
            self.notes[query.ours] = "; ".join(results.messages)
        return results.total


def measure_ours(kb) -> dict:
    """Per category: median, p95, max seconds of kb.search(q, limit=20), hits and notes."""
    out = {}
    for category, queries in CATEGORIES.items():
        search = OurSearch(kb)
        out[category] = time_queries(search, queries)
        out[category]["notes"] = search.notes
    return out


@contextlib.contextmanager
def highlight_clock() -> Iterator[list[float]]:
    """Time spent in search.highlight's field_spans and snippet as Engine calls them.

    Wraps the names search.engine uses; yields a one-item list holding the seconds.
    """
    import search.engine as engine

    spent = [0.0]
    originals = {name: getattr(engine, name) for name in ("field_spans", "snippet")}

    def wrap(fn):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started
        return timed

    for name, fn in originals.items():
        setattr(engine, name, wrap(fn))
    try:
        yield spent
    finally:
        for name, fn in originals.items():
            setattr(engine, name, fn)


def measure_highlight(kb) -> dict:
    """Seconds spent computing highlight spans and snippets for the top 10 hits of a search.

    Measured inside kb.search(q, limit=10) by wrapping field_spans and snippet, for the
    plain and phrase queries; also the whole search's time for comparison.
    """
    spans: list[float] = []
    whole: list[float] = []
    queries = CATEGORIES["plain"] + CATEGORIES["phrase"]
    for query in queries:
        kb.search(query.ours, limit=HIGHLIGHT_TOP)  # warm-up
        for _ in range(HIGHLIGHT_RUNS):
            with highlight_clock() as spent:
                started = time.perf_counter()
                kb.search(query.ours, limit=HIGHLIGHT_TOP)
                whole.append(time.perf_counter() - started)
            spans.append(spent[0])
    return {"spans": summary(spans), "search": summary(whole),
            "method": "time inside search.highlight.field_spans + snippet (wrapped where search.engine "
                      "calls them) during kb.search(q, limit=10), plain and phrase queries"}
