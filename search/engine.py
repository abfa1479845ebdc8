"""Running queries against one generation of the index.

An Engine owns one Whoosh searcher, which is not thread-safe: use one Engine per
thread (KnowledgeBase does), or call it from one thread at a time.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import query as q

from facts.names import NameTable, fold

from . import bulk
from .analysis import analyze
from .bodies import BODY_FIELD
from .boost import lift
from .compile import Compiled, compile_tree, word_nodes
from .documents import ARTICLE, article_uid
from .expand import Budget
from .highlight import Span, field_spans, snippet
from .query import And, Filter, Not, Or, Parsed, Phrase, Word, parse, render
from .results import Hit, Results
from .schema import TEXT_FIELD
from .scoring import CachedBM25F
from .spelling import SPELLING, Speller
from .synonyms import is_synonym

DEFAULT_LIMIT = 20
# Matching documents are counted up to this many; beyond it a result says "1000+"
# (an exact count would walk every match, which is slow for common words in a large corpus).
# A query holding a word that alone matches more is not walked at all.
COUNT_CAP = 1000
# The same for a query with phrases: counting checks the words' positions in every match.
PHRASE_COUNT_CAP = 200
# Candidates ranked by a phrase's words, per hit wanted, in which the phrase is looked for;
# when too few hold it, the next number is tried, then the query is run whole.
CANDIDATES_PER_HIT = (3, 12)
# Hits fetched beyond those asked for, so that equal scores are ordered alike whatever the limit.
TIE_ROOM = 10
# Unknown words given a spelling suggestion, at most (each is compared with part of the dictionary).
MAX_CORRECTED = 8
# Documents the "some of the words" pass of a plain query may score (summed over its words).
LOOSE_POSTINGS = 60_000


class Cancelled(Exception):
    """A search was abandoned because its `cancelled` callback said so (a newer query came)."""


Check = Callable[[], bool]


def _check(cancelled: Check | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled


class _Found:
    """A document found by search.bulk, as much of a Whoosh hit as the engine uses."""

    __slots__ = ("docnum", "score", "searcher")

    def __init__(self, searcher, docnum: int, score: float) -> None:
        self.searcher, self.docnum, self.score = searcher, docnum, score

    def fields(self) -> dict:
        return self.searcher.stored_fields(self.docnum)


class Engine:
    """Searches one index generation. `text_of(name, saved)` gives an article's reading text,
    from what the index saved of it (search.bodies) while its file is unchanged."""

    def __init__(self, gen: Path, text_of: Callable[..., str | None],
                 names: Callable[[], NameTable | None] | None = None) -> None:
        from whoosh import index as whoosh_index

        self.gen = gen
        self.ix = whoosh_index.open_dir(str(gen))
        self.searcher = self.ix.searcher(weighting=CachedBM25F())
        self.text_of = text_of
        self._names = names  # read on the first filter by name
        self._speller: Speller | None = None
        self._lock = threading.Lock()
        self._cancelled: Check | None = None
        self._detail: int | None = None  # hits given their article's snippet at once (search's `detail`)
        self._later: list[tuple[Hit, Compiled]] = []  # the last search's hits left for detail_later
        self._postings = bulk.Cache()  # scores of the terms read lately (this generation's)
        self._terms: dict = {}  # the terms' scores read by the search running (bulk.score's memo)
        self._bodies = None  # the saved reading texts' column, opened on the first snippet

    def close(self) -> None:
        self.searcher.close()

    @property
    def speller(self) -> Speller:
        if self._speller is None:
            self._speller = Speller.load(self.gen / SPELLING)
        return self._speller

    # -- name resolution for filters ------------------------------------------------------

    def resolve(self, name: str, kinds: tuple[str, ...]) -> tuple[str | None, tuple[str, ...], str]:
        table = self._names() if self._names else None
        if table is None:
            return name.lower(), (), ""
        return table.resolve(name, kinds)

    # -- searching -----------------------------------------------------------------------

    def search(self, text: str, kind: str | None = None, limit: int = DEFAULT_LIMIT,
               company: str | None = None, cancelled: Check | None = None, detail: int | None = None) -> Results:
        """Search; never raises on any query text. Raises Cancelled when `cancelled()` turns
        true between the steps of the search. With `detail`, only the first `detail` hits get
        their article's snippet and body spans (each reads and analyses the article); the
        others come with `detailed` False, for `detail_later`."""
        with self._lock:
            self._cancelled, self._detail, self._later, self._terms = cancelled, detail, [], {}
            try:
                return self._search(text, kind, limit, company)
            finally:
                self._cancelled, self._terms = None, {}

    def detail_later(self, hits: list[Hit], cancelled: Check | None = None) -> list[Hit]:
        """Those of `hits` that the last search's `detail` left without their article's snippet
        and spans, filled in (Cancelled between two of them). Hits of an earlier search get nothing."""
        with self._lock:
            self._cancelled = cancelled
            later, self._later = self._later, []
            wanted = {id(hit) for hit in hits}
            try:
                done = []
                for hit, compiled in later:
                    if id(hit) in wanted:
                        _check(self._cancelled)
                        self._fill(hit, compiled)
                        done.append(hit)
                return done
            finally:
                self._cancelled = None

    def _search(self, text: str, kind: str | None, limit: int, company: str | None) -> Results:
        started = time.perf_counter()
        extra = " ".join(x for x in (f"kind:{kind}" if kind else "", f'company:"{company}"' if company else "") if x)
        parsed = parse(f"{text} {extra}".strip() if extra else text, self.resolve)
        results = Results(text, parsed.text)
        results.messages = parsed.messages
        if parsed.tree is None:
            if not results.messages:
                results.messages.append("Type something to search for.")
            results.seconds = time.perf_counter() - started
            return results
        budget = Budget()  # shared by every pass below: one query, one budget
        hits, total, capped = self._run(parsed, parsed.tree, limit, budget)
        corrected = self._correct(parsed.tree)
        if corrected is not None:
            corrected_text = render(corrected)
            if total == 0:
                hits, total, capped = self._run(parsed, corrected, limit, budget)
                if total:
                    results.corrected_from = text
                    results.searched = corrected_text
            else:
                results.suggestion = corrected_text
        results.messages.extend(m for m in budget.messages() if m not in results.messages)
        results.hits, results.total, results.total_capped = hits, total, capped
        results.seconds = time.perf_counter() - started
        return results

    def _run(self, parsed: Parsed, tree, limit: int, budget: Budget) -> tuple[list[Hit], int, bool]:
        """The hits, the number of matching documents and whether that number is capped."""
        _check(self._cancelled)
        reader = self.searcher.reader()
        compiled = compile_tree(tree, reader, all_words=True, budget=budget)
        if compiled is None:
            return [], 0, False
        boost = lift(compiled.words(), _words_text(tree) if parsed.plain else None)
        found, exact = self._top(compiled.query, boost, limit)
        chosen = [(h, compiled, True) for h in found]
        counted = compiled.query
        if parsed.plain and isinstance(tree, And) and sum(not isinstance(n, Filter) for n in tree.nodes) > 1:
            # Documents with only some of the words follow those with all of them; they are
            # searched only when those with all the words do not fill the page.
            _check(self._cancelled)
            loose = compile_tree(_rarest(tree, reader, budget), reader, all_words=False, budget=budget)
            counted, exact = loose.query, None
            if len(chosen) < limit:
                _check(self._cancelled)
                more, exact = self._top(loose.query, boost, limit)
                seen = {h.docnum for h in found}
                chosen.extend((h, loose, False) for h in more if h.docnum not in seen)
                del chosen[limit:]
        hits: list[Hit] = []
        self._later = []
        for h, c, all_words in chosen:  # only the hits returned are highlighted
            _check(self._cancelled)
            hits.append(self._hit(h, c, all_words, later=self._detail is not None and len(hits) >= self._detail))
        if exact is not None:
            cap = _cap(counted)
            return hits, min(exact, cap), exact > cap
        _check(self._cancelled)
        return (hits, *self._count(counted, reader))

    def _top(self, query: q.Query, boost: q.Query | None, limit: int) -> tuple[list, int | None]:
        """The best `limit` hits of `query`, and how many documents match it when that was
        found on the way (else None).

        Whoosh checks a phrase's word positions in every document holding its words, and
        scores each of those that match (a phrase gives it no bound to skip by). Its score is
        that of its words together, so the documents are ranked by the words alone, and the
        phrases are checked in the best candidates only; when too few of those hold the
        phrases, the query is run whole.
        """
        relaxed = _relaxed(query)
        if relaxed != query:
            memo: dict = {}
            for per_hit in CANDIDATES_PER_HIT:
                _check(self._cancelled)
                wanted = (limit + TIE_ROOM) * per_hit
                candidates, matched = self._scored(relaxed, boost, wanted, memo)
                matching = self._matching(query, [h.docnum for h in candidates])
                kept = [h for h in candidates if h.docnum in matching]
                if matched is not None and matched <= wanted:  # every document with the words
                    return _best(kept, limit), len(kept)
                if len(kept) >= limit + TIE_ROOM:
                    _check(self._cancelled)
                    return _best(kept, limit), self._phrase_count(query, memo.get(id(relaxed)))
            _check(self._cancelled)
            scores = memo.get(id(relaxed))
            holding = bulk.matches(self.searcher, query, scores) if scores is not None else None
            if holding is not None:  # every document with the words checked: the phrases are rare
                found = [_Found(self.searcher, d, s) for s, d in bulk.best({d: scores[d] for d in holding}, limit)]
                return found, len(holding)
        found, matched = self._scored(query, boost, limit + TIE_ROOM)
        return _best(found, limit), matched

    def _phrase_count(self, query: q.Query, scores: bulk.Scores | None) -> int | None:
        """How many of the documents scored for `query`'s words hold its phrases, counted up to
        one more than the cap; None when they were not scored in bulk."""
        if scores is None:
            return None
        holding = bulk.matches(self.searcher, query, scores, at_most=_cap(query) + 1)
        return len(holding) if holding is not None else None

    def _scored(self, query: q.Query, boost: q.Query | None, wanted: int,
                memo: dict | None = None) -> tuple[list, int | None]:
        """The best `wanted` hits of `query` with the `boost` clause's score added where it
        matches too, best first, and how many documents match `query` when that is known.

        A query of words is scored in bulk (search.bulk: every match, exactly), the boost
        added to the few documents it matches; `memo` keeps those scores for a second call
        with the same query. Other queries are left to Whoosh, in two searches: the best of
        `query` alone, and the best of those that match the boost too (entities' own names:
        few documents), scored with it. A document that does not match the boost is ranked
        right by the first; one that does but is not among the second's is outranked by all
        of those. (Whoosh's AndMaybe would add the boost's best possible score to every
        block's bound, so it skipped fewer blocks.)
        """
        scores = memo.get(id(query)) if memo is not None else None
        if scores is None:
            scores = bulk.score(self.searcher, query, self._postings, self._terms)
            if scores is not None and boost is not None:
                _check(self._cancelled)
                for lifted in self.searcher.search(boost, limit=None):  # every boosted document: few
                    if lifted.docnum in scores:
                        scores[lifted.docnum] += lifted.score
            if scores is not None and memo is not None:
                memo[id(query)] = scores
        if scores is not None:
            return [_Found(self.searcher, doc, score) for score, doc in bulk.best(scores, wanted)], len(scores)
        alone = self.searcher.search(query, limit=wanted)
        matched = alone.scored_length() if alone.scored_length() < wanted else None
        if boost is None:
            return list(iter(alone)), matched  # iter: list() counts every match
        _check(self._cancelled)
        both = self.searcher.search(q.And([query, boost]), limit=wanted)
        lifted = {h.docnum for h in both}
        if both.scored_length() >= wanted:  # the boosted left out: they would come with too low a score
            lifted.update(self.searcher.docs_for_query(boost))
        return _best([*iter(both), *(h for h in alone if h.docnum not in lifted)], wanted), matched

    def _matching(self, query: q.Query, docnums: list[int]) -> set[int]:
        """Which of `docnums` match `query`, its positions checked in those documents only."""
        from whoosh.matching import IntersectionMatcher, ListMatcher

        checked = bulk.matches(self.searcher, query, docnums)
        if checked is not None:
            return checked
        found: set[int] = set()
        ordered = sorted(docnums)
        for sub, offset in self.searcher.leaf_searchers():
            end = offset + sub.doc_count_all()
            ids = [d - offset for d in ordered if offset <= d < end]
            if not ids:
                continue
            matcher = IntersectionMatcher(ListMatcher(ids), query.matcher(sub, sub.boolean_context()))
            while matcher.is_active():
                found.add(matcher.id() + offset)
                matcher.next()
        return found

    def _count(self, query: q.Query, reader) -> tuple[int, bool]:
        """How many documents match `query`, at most COUNT_CAP (PHRASE_COUNT_CAP for a query
        with phrases), and whether there are more."""
        cap = _cap(query)
        if not reader.has_deletions() and _at_least(query, reader) > cap:
            return cap, True
        total = sum(1 for _ in itertools.islice(self.searcher.docs_for_query(query), cap + 1))
        return min(total, cap), total > cap

    def _hit(self, whoosh_hit, compiled: Compiled, all_words: bool, later: bool = False) -> Hit:
        fields = whoosh_hit.fields()
        payload = fields.get("payload") or {}
        doctype = fields.get("doctype", "")
        uid = fields.get("uid", "")
        hit = Hit(uid, doctype, fields.get("kind", ""), uid[2:], fields.get("title", ""),
                  float(whoosh_hit.score or 0.0), payload, all_words=all_words, docnum=whoosh_hit.docnum)
        if later and doctype == ARTICLE:  # its title now, its article when detail_later asks
            spans = field_spans(hit.title, compiled.terms, compiled.phrases)
            if spans:
                hit.spans["title"] = spans
            hit.detailed = False
            self._later.append((hit, compiled))
            return hit
        self._fill(hit, compiled)
        return hit

    def _fill(self, hit: Hit, compiled: Compiled) -> None:
        """A hit's highlight spans and snippet (an article's read and analysed again)."""
        payload = hit.payload
        body = (self._body(hit) or "") if hit.doctype == ARTICLE else None
        shown = {"title": hit.title}
        if body is not None:
            shown["body"] = body
        else:
            shown["quote"] = "\n".join(s.get("quote", "") for s in payload.get("sources", []))
        for name, text in shown.items():
            spans = field_spans(text, compiled.terms, compiled.phrases)
            if spans:
                hit.spans[name] = spans
        if body is not None:
            hit.snippet, hit.snippet_spans = snippet(body, hit.spans.get("body", []))
        else:
            hit.snippet, hit.snippet_spans = hit.title, hit.spans.get("title", [])
        hit.detailed = True

    def _body(self, hit: Hit) -> str | None:
        """An article hit's reading text: saved with the index, or read from its file."""
        if self._bodies is None:
            self._bodies = self.searcher.reader().column_reader(BODY_FIELD)
        saved = self._bodies[hit.docnum] if hit.docnum >= 0 else None
        return self.text_of(hit.id, saved) if saved else self.text_of(hit.id)

    # -- spelling ------------------------------------------------------------------------

    def _known(self, word: str) -> bool:
        reader = self.searcher.reader()
        return any(reader.doc_frequency(TEXT_FIELD, t) > 0 for t in analyze(word))

    def _correct(self, tree):
        """The tree with unknown words replaced by their closest known word, or None.

        Only the first MAX_CORRECTED unknown words are looked up (each costs a scan of
        part of the dictionary).
        """
        replace: dict[int, str] = {}
        unknown = 0
        for word in word_nodes(tree):
            surface = fold(word.text).strip(".,;:!?'\"")
            if not surface.isalpha() or not analyze(word.text) or self._known(word.text) or is_synonym(word.text):
                continue
            unknown += 1
            if unknown > MAX_CORRECTED:
                break
            better = self.speller.suggest(surface, self._known)
            if better:
                replace[id(word)] = better
        return _replaced(tree, replace) if replace else None

    # -- highlighting a whole article --------------------------------------------------------

    def article_spans(self, name: str, text: str) -> list[Span]:
        """Spans in an article's reading text of what `text` (a query) searches for."""
        parsed = parse(text, None)
        if parsed.tree is None:
            return []
        with self._lock:
            compiled = compile_tree(parsed.tree, self.searcher.reader())
        body = self.text_of(name)
        if compiled is None or body is None:
            return []
        return field_spans(body, compiled.terms, compiled.phrases)

    def article_payloads(self, names: Iterable[str] | None = None) -> dict[str, dict]:
        """File name -> stored payload of the indexed articles called `names` (default: all)."""
        with self._lock:
            if names is None:
                return {fields["uid"][2:]: fields.get("payload") or {}
                        for fields in self.searcher.documents(doctype=ARTICLE)}
            out = {}
            for name in dict.fromkeys(names):
                fields = self.searcher.document(uid=article_uid(name))
                if fields is not None:
                    out[name] = fields.get("payload") or {}
            return out


def _rarest(tree: And, reader, budget: Budget) -> And:
    """The plain words of `tree` worth ranking documents that have only some of them.

    Scoring "any of the words" reads every document holding any one of them: the rarest
    words (the most telling) are kept while the documents they match, summed, fit in
    LOOSE_POSTINGS; the first is always kept. What is left out is noted in the budget.
    """
    def postings(node) -> int:
        terms = analyze(node.text)
        return sum(reader.doc_frequency(TEXT_FIELD, t) for t in terms)

    filters = {id(n) for n in tree.nodes if isinstance(n, Filter)}  # always kept: they narrow
    costs = {id(n): postings(n) for n in tree.nodes if id(n) not in filters}
    kept, spent = set(filters), 0
    for node in sorted((n for n in tree.nodes if id(n) not in filters), key=lambda n: costs[id(n)]):
        if len(kept) > len(filters) and spent + costs[id(node)] > LOOSE_POSTINGS:
            break
        kept.add(id(node))
        spent += costs[id(node)]
    if len(kept) == len(tree.nodes):
        return tree
    budget.common.extend(w for w in (render(n) for n in tree.nodes if id(n) not in kept) if w not in budget.common)
    return And([n for n in tree.nodes if id(n) in kept], tree.implicit)


def _best(hits, limit: int) -> list:
    """The first `limit` of Whoosh hits, equal scores in index order: Whoosh may add a
    document's scores up in another order when it skips (so its last digits differ)."""
    return sorted(iter(hits), key=lambda h: (-round(h.score or 0.0, 9), h.docnum))[:limit]


def _relaxed(query: q.Query) -> q.Query:
    """`query` with each phrase outside a NOT replaced by all its words: it matches at least
    the same documents, with the same scores (a Whoosh phrase scores as its words)."""
    if isinstance(query, q.Phrase):
        return q.And([q.Term(query.fieldname, w) for w in query.words])
    if isinstance(query, q.And | q.Or):
        subs = [_relaxed(sub) for sub in query.subqueries]
        return query if subs == query.subqueries else type(query)(subs, boost=query.boost)
    return query


def _cap(query: q.Query) -> int:
    """Up to how many matches of `query` are counted."""
    return COUNT_CAP if _relaxed(query) == query else PHRASE_COUNT_CAP


def _at_least(query: q.Query, reader) -> int:
    """A number of documents `query` surely matches (0 when unknown); an index without
    deleted documents is assumed."""
    if isinstance(query, q.Term):
        return reader.doc_frequency(query.fieldname, query.text)
    if isinstance(query, q.Or):
        return max((_at_least(sub, reader) for sub in query.subqueries), default=0)
    return 0


def _words_text(tree) -> str:
    """The words of a plain query without its filters (a name is looked up by its words)."""
    nodes = tree.nodes if isinstance(tree, And) and tree.implicit else [tree]
    return " ".join(render(n) for n in nodes if not isinstance(n, Filter))


def _replaced(node, replace: dict[int, str]):
    if isinstance(node, Word):
        return Word(replace[id(node)]) if id(node) in replace else node
    if isinstance(node, And):
        return And([_replaced(n, replace) for n in node.nodes], node.implicit)
    if isinstance(node, Or):
        return Or([_replaced(n, replace) for n in node.nodes])
    if isinstance(node, Not):
        return Not(_replaced(node.node, replace))
    if isinstance(node, Phrase | Filter):
        return node
    return node
