"""The best documents of a query of words, scored in bulk rather than by Whoosh's matchers.

A query of words (terms of the `text` field joined by AND and OR: what plain, prefix and
typo-tolerant words compile to, and a phrase's words) is scored here from whole posting
lists: each list is read block by block into a dict (document -> score, with the same
BM25F expression as search.scoring), and AND and OR become dict intersections and sums.
Whoosh walks the lists a document at a time in Python, and its block-skipping for AND is
not exact (it can pass over a document that belongs in the top N); here every matching
document is scored, in less time, and the number of matches comes for free.
Anything else (NOT, phrases, filters, boosts) is left to Whoosh: `score` returns None.
"""

from __future__ import annotations

import heapq
from array import array
from collections import OrderedDict
from itertools import accumulate, compress

from whoosh import query as q

from .schema import TEXT_FIELD

Scores = dict[int, float]
# Postings whose scores a Cache keeps (12 bytes each): typing "nissan p", "nissan pa", ...
# reads "nissan" once.
CACHED_POSTINGS = 300_000


class Cache:
    """Scores of the terms read lately, per segment, as arrays (least recently used dropped)."""

    def __init__(self, postings: int = CACHED_POSTINGS) -> None:
        self.room = postings
        self._kept: OrderedDict[tuple[str, str], tuple[array, array]] = OrderedDict()
        self._size = 0

    def get(self, key: tuple[str, str]) -> tuple[array, array] | None:
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
        return found

    def put(self, key: tuple[str, str], ids: array, scores: array) -> None:
        if len(ids) > self.room or key in self._kept:
            return
        self._kept[key] = (ids, scores)
        self._size += len(ids)
        while self._size > self.room:
            old_ids, _ = self._kept.popitem(last=False)[1]
            self._size -= len(old_ids)


def supported(query: q.Query) -> bool:
    """Whether `query` is words of the text field joined by AND / OR, unboosted."""
    if type(query) is q.Term:
        return query.fieldname == TEXT_FIELD and query.boost == 1.0 and not query.minquality
    if type(query) in (q.And, q.Or):
        return (query.boost == 1.0 and not getattr(query, "scale", None) and bool(query.subqueries)
                and all(supported(sub) for sub in query.subqueries))
    return False


def score(searcher, query: q.Query, cache: Cache | None = None, memo: dict | None = None) -> Scores | None:
    """Top-level document number -> score of every live document matching `query`, or None
    when `query` is not supported or a segment's postings cannot be read in bulk. `memo`
    (per segment, then per term) keeps the terms' scores for other queries of one search:
    the caller must not change what it holds."""
    if not supported(query):
        return None
    memo = {} if memo is None else memo
    leaves = searcher.leaf_searchers()
    out: Scores = {}
    for sub, offset in leaves:
        found = _node(sub, query, memo.setdefault(sub.reader().segment().segment_id(), {}), cache)
        if found is None:
            return None
        if sub.reader().has_deletions():
            deleted = sub.reader().deleted_docs_set
            out.update((doc + offset, s) for doc, s in found.items() if doc not in deleted)
        elif offset or len(leaves) > 1:
            out.update(zip([doc + offset for doc in found], found.values(), strict=True))
        else:  # one segment, nothing deleted (the usual case): the scores as they are
            out = dict(found) if type(query) is q.Term else found  # a term's own scores stay in the memo
    return out


def best(scores: Scores, wanted: int) -> list[tuple[float, int]]:
    """The `wanted` best (score, docnum), best first; equal scores (to 9 places, as Whoosh
    may add a document's scores in another order) in index order."""
    if len(scores) > wanted:
        floor = round(heapq.nlargest(wanted, scores.values())[-1], 9)  # the wanted-th score
        # Only scores near the floor can round to it: the rest are kept or left out unrounded.
        near = floor - 1e-8
        docs = compress(scores, map(near.__le__, scores.values()))
        items = [(d, scores[d]) for d in docs if round(scores[d], 9) >= floor]
    else:
        items = scores.items()
    top = sorted(items, key=lambda kv: (-round(kv[1], 9), kv[0]))[:wanted]
    return [(s, doc) for doc, s in top]


def _node(sub, node: q.Query, memo: dict, cache: Cache | None) -> Scores | None:
    if type(node) is q.Term:
        if node.text not in memo:
            memo[node.text] = _cached_term(sub, node.text, cache)
        return memo[node.text]
    parts = []
    for child in node.subqueries:
        found = _node(sub, child, memo, cache)
        if found is None:
            return None
        parts.append(found)
    if type(node) is q.And:
        first, *rest = parts
        if not rest:
            return dict(first)
        fewest = min(parts, key=len)
        docs = fewest.keys()
        for part in parts:
            if part is not fewest:
                docs = docs & part.keys()
        found = {d: first[d] for d in docs}
        for part in rest:  # scores added in the query's order
            found = {d: s + part[d] for d, s in found.items()}
        return found
    merged, *rest = parts
    merged = dict(merged)
    for part in rest:  # scores added in the query's order, only where documents hold both
        both = merged.keys() & part.keys()
        sums = [merged[d] + part[d] for d in both]
        merged.update(part)
        merged.update(zip(both, sums, strict=True))
    return merged


def _cached_term(sub, text: str, cache: Cache | None) -> Scores | None:
    if cache is None:
        return _term(sub, text)
    key = (sub.reader().segment().segment_id(), text)
    if (kept := cache.get(key)) is not None:
        return dict(zip(*kept, strict=True))
    found = _term(sub, text)
    if found is not None:
        cache.put(key, array("l", found.keys()), array("d", found.values()))
    return found


def _term(sub, text: str) -> Scores | None:
    """Segment document number -> BM25F score of one term (deleted documents included)."""
    from whoosh.reading import TermNotFound

    reader = sub.reader()
    btext = text.encode("utf-8") if isinstance(text, str) else text
    if (TEXT_FIELD, btext) not in reader:
        return {}
    scorer = sub.weighting.scorer(sub, TEXT_FIELD, btext)
    norms = getattr(scorer, "norms", None)
    try:
        matcher = reader._terms.matcher(TEXT_FIELD, btext, reader.schema[TEXT_FIELD].format, scorer=None)
    except (AttributeError, TermNotFound):
        return None
    if norms is None or not all(hasattr(matcher, a) for a in ("_read_data", "_read_weights", "_next_block")):
        return None
    idf, k = scorer.idf, scorer.K1 + 1
    out: Scores = {}
    while matcher.is_active():
        matcher._read_data()
        ids = matcher._data[0]  # as W3LeafMatcher._read_ids reads them
        ids = ids if matcher._byteids else list(accumulate(ids))
        matcher._read_weights()
        # whoosh.scoring.bm25, the same operations in the same order (search.scoring)
        scores = [idf * ((tf * k) / (tf + norms[d])) for d, tf in zip(ids, matcher._weights, strict=True)]
        out.update(zip(ids, scores, strict=True))
        matcher._next_block()
    return out


def checkable(query: q.Query) -> bool:
    """Whether `matches` can check `query`: words and phrases of the text field joined by
    AND / OR."""
    if type(query) is q.Phrase:
        return (query.fieldname == TEXT_FIELD and query.slop == 1 and query.boost == 1.0
                and bool(query.words))
    if type(query) in (q.And, q.Or):
        return query.boost == 1.0 and bool(query.subqueries) and all(checkable(s) for s in query.subqueries)
    return supported(query)


def matches(searcher, query: q.Query, docnums, at_most: int | None = None) -> set[int] | None:
    """Which of `docnums` (top-level document numbers) match `query`, checked in ascending
    order, stopping once `at_most` are found; None when `query` is not `checkable`.

    A phrase is its words at consecutive positions (Whoosh's Phrase with slop 1); only the
    posting blocks that hold a document checked are read, each once.
    """
    if not checkable(query):
        return None
    terms = sorted(_words(query))
    found: set[int] = set()
    ordered = sorted(docnums)
    for sub, offset in searcher.leaf_searchers():
        end = offset + sub.doc_count_all()
        ids = [d - offset for d in ordered if offset <= d < end]
        if not ids:
            continue
        cursors = {}
        for term in terms:
            cursor = _Positions.open(sub.reader(), term)
            if cursor is None:
                return None
            cursors[term] = cursor
        for doc in ids:
            held = {term: cursor.at(doc) for term, cursor in cursors.items()}
            if _holds(query, held):
                found.add(doc + offset)
                if at_most is not None and len(found) >= at_most:
                    return found
    return found


def _words(query: q.Query) -> set[str]:
    if type(query) is q.Term:
        return {query.text}
    if type(query) is q.Phrase:
        return set(query.words)
    return {w for sub in query.subqueries for w in _words(sub)}


def _holds(node: q.Query, held: dict) -> bool:
    """Whether a document whose terms' positions are `held` (None: absent) matches `node`."""
    if type(node) is q.Term:
        return held[node.text] is not None
    if type(node) is q.Phrase:
        first, *rest = (held[w] for w in node.words)
        if first is None or any(p is None for p in rest):
            return False
        rest_sets = [set(p) for p in rest]
        return any(all(start + k in s for k, s in enumerate(rest_sets, 1)) for start in first)
    if type(node) is q.And:
        return all(_holds(sub, held) for sub in node.subqueries)
    return any(_holds(sub, held) for sub in node.subqueries)


class _Positions:
    """One term's postings in one segment, read forward block by block: the positions of
    the term in a document, or None when the document does not hold it."""

    def __init__(self, matcher, fmt) -> None:
        self.matcher, self.fmt = matcher, fmt
        self.block: dict[int, int] | None = None  # document -> index in the block read

    @classmethod
    def open(cls, reader, text: str) -> _Positions | None:
        from whoosh.matching import NullMatcher
        from whoosh.reading import TermNotFound

        btext = text.encode("utf-8")
        fmt = reader.schema[TEXT_FIELD].format
        if (TEXT_FIELD, btext) not in reader:
            return cls(NullMatcher(), fmt)
        try:
            matcher = reader._terms.matcher(TEXT_FIELD, btext, fmt, scorer=None)
        except (AttributeError, TermNotFound):
            return None
        if not all(hasattr(matcher, a) for a in ("_read_ids", "_read_values", "_next_block", "_maxid")):
            return None
        return cls(matcher, fmt)

    def at(self, doc: int) -> list[int] | None:
        m = self.matcher
        if not m.is_active():
            return None
        if doc > m._maxid:
            while m.is_active() and doc > m._maxid:
                m._next_block()
            self.block = None
            if not m.is_active():
                return None
        if self.block is None:
            m._read_ids()
            self.block = {d: i for i, d in enumerate(m._ids)}
        i = self.block.get(doc)
        if i is None:
            return None
        if m._values is None:
            m._read_values()
        return self.fmt.decode_positions(m._values[i])
