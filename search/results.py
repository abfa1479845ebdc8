"""Search results, and their JSON form (schema version 1, documented in the README)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .highlight import Span

JSON_VERSION = 1


@dataclass
class Hit:
    """One result: an article or a fact.

    `spans` maps a displayed field to highlight spans in it: for articles "title" and
    "body" (the reading text), for facts "title" (the fact's text) and "quote" (its
    quotes joined by newlines; `payload["quote_starts"]` says where each begins).
    """

    uid: str
    doctype: str  # "article" or "fact"
    kind: str
    id: str  # article file name or fact id
    title: str
    score: float
    payload: dict
    spans: dict[str, list[Span]] = field(default_factory=dict)
    snippet: str = ""
    snippet_spans: list[Span] = field(default_factory=list)
    all_words: bool = True  # False for results that match only some of the words
    docnum: int = -1
    detailed: bool = True  # False: an article's snippet and body spans are still to come (Engine.detail_later)

    @property
    def is_fact(self) -> bool:
        return self.doctype == "fact"

    def quote_spans(self, index: int) -> list[Span]:
        """Highlight spans inside the `index`-th quote of a fact."""
        starts = self.payload.get("quote_starts", [])
        if index >= len(starts):
            return []
        start = starts[index]
        quote = self.payload["sources"][index]["quote"]
        end = start + len(quote)
        return [(max(s, start) - start, min(e, end) - start) for s, e in self.spans.get("quote", []) if e > start and s < end]


def count_label(total: int, capped: bool) -> str:
    """'1 result', '98 results', 'more than 1,000 results'."""
    if capped:
        return f"more than {total:,} results"
    return f"{total:,} result{'s' if total != 1 else ''}"


@dataclass
class Results:
    """The answer to one query."""

    query: str  # as typed
    searched: str  # what was run (differs when corrected)
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # matching documents, at most engine.COUNT_CAP
    total_capped: bool = False  # there are more than `total`
    corrected_from: str | None = None  # set when no result matched and a correction did
    suggestion: str | None = None  # "did you mean", when the query as typed found something
    messages: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def count_label(self) -> str:
        return count_label(self.total, self.total_capped)

    def to_json(self, articles: dict[str, dict] | None = None) -> dict:
        """The stable JSON form; `articles` maps file names to their payloads (for titles)."""
        articles = articles or {}
        return {
            "version": JSON_VERSION,
            "query": self.query,
            "searched": self.searched,
            "corrected_from": self.corrected_from,
            "did_you_mean": self.suggestion,
            "messages": list(self.messages),
            "total": self.total,
            "total_capped": self.total_capped,
            "seconds": round(self.seconds, 4),
            "results": [_hit_json(i, h, articles) for i, h in enumerate(self.hits, 1)],
        }


def _hit_json(rank: int, hit: Hit, articles: dict[str, dict]) -> dict:
    out = {
        "rank": rank,
        "type": hit.doctype,
        "kind": hit.kind,
        "id": hit.id,
        "score": round(hit.score, 4),
        "all_words": hit.all_words,
        "text": hit.title,
        "highlights": [list(s) for s in hit.spans.get("title", [])],
        "snippet": hit.snippet,
        "snippet_highlights": [list(s) for s in hit.snippet_spans],
    }
    if hit.is_fact:
        out["note"] = hit.payload.get("note")
        out["sources"] = []
        for i, source in enumerate(hit.payload.get("sources", [])):
            art = articles.get(source["article"], {})
            span = source.get("span") or [None, None]
            out["sources"].append({
                "article": source["article"],
                "title": art.get("title"),
                "publisher": art.get("publisher"),
                "date": source.get("reported"),
                "date_estimated": source.get("reported_estimated", False),
                "quote": source["quote"],
                "quote_start": span[0],
                "quote_end": span[1],
                "quote_highlights": [list(s) for s in hit.quote_spans(i)],
            })
    else:
        p = hit.payload
        out["sources"] = [{
            "article": p.get("name"), "title": p.get("title"), "publisher": p.get("publisher"),
            "author": p.get("author"), "date": p.get("date"), "date_estimated": p.get("date_estimated", False),
            "url": p.get("url"),
        }]
        out["also_in"] = list(p.get("also_in", []))
    return out
