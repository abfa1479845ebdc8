"""SQLite FTS5 (the standard library's sqlite3) over the same documents, as a yardstick.

One in-memory FTS5 table holds every article (title and reading text) and every fact
(its one-line text and its quotes), with the porter stemmer and accent folding, and
unindexed columns for the kind, year, status and companies that the field filters use.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

from queries import Query

SCHEMA = ("CREATE VIRTUAL TABLE docs USING fts5(title, body, kind UNINDEXED, year UNINDEXED, "
          "status UNINDEXED, companies UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')")
MATCH_SQL = ("SELECT rowid, kind, title, snippet(docs, 1, '[', ']', '…', 16) FROM docs "
             "WHERE docs MATCH ? {where} ORDER BY rank LIMIT ?")
FILTER_SQL = "SELECT rowid, kind, title FROM docs WHERE {where} LIMIT ?"


def documents(kb) -> Iterator[tuple[str, str, str, str, str, str]]:
    """(title, body, kind, year, status, companies) of every article and fact of an open kb."""
    articles, _ = kb.corpus.read_all()
    for article in articles.values():
        date = article.meta.date
        yield article.title, article.text, "article", str(date.year) if date else "", "", ""
    base = kb.facts
    for fact in base.facts.values():
        years = sorted({str(s.reported.year) for s in fact.sources if s.reported})
        yield (fact.text, "\n".join(s.quote for s in fact.sources), fact.kind, ",".join(years),
               str(fact.get("status") or ""), ",".join(sorted(base.companies_of(fact))))


class FtsIndex:
    """An in-memory FTS5 table of a corpus's documents."""

    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(SCHEMA)

    def build(self, rows: list[tuple]) -> float:
        """Insert the rows and commit; returns the seconds it took."""
        started = time.perf_counter()
        with self.db:
            self.db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", rows)
        return time.perf_counter() - started

    def search(self, query: Query, limit: int = 20) -> int:
        """Run the FTS5 form of a benchmark query; returns how many rows came back."""
        if query.match is None:
            rows = self.db.execute(FILTER_SQL.format(where=query.where), (limit,)).fetchall()
        else:
            where = f"AND {query.where}" if query.where else ""
            rows = self.db.execute(MATCH_SQL.format(where=where), (query.match, limit)).fetchall()
        return len(rows)

    def close(self) -> None:
        self.db.close()
