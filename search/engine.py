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

from facts.names import NameTable, fold, name_key

from .analysis import analyze
from .compile import Compiled, compile_tree, word_nodes
from .documents import ARTICLE, article_uid
from .expand import Budget
from .highlight import Occurrences, Span, field_spans, snippet
from .query import And, Filter, Not, Or, Parsed, Phrase, Word, parse, render
from .results import Hit, Results
from .schema import TEXT_FIELDS
from .spelling import SPELLING, Speller
from .synonyms import is_synonym

DEFAULT_LIMIT = 20
# Matching documents are counted up to this many; beyond it a result says "1000+"
# (an exact count would walk every match, which is slow for common words in a large corpus).
COUNT_CAP = 1000
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


class Engine:
    """Searches one index generation. `text_of(name)` gives an article's reading text."""

    def __init__(self, gen: Path, text_of: Callable[[str], str | None],
                 names: Callable[[], NameTable | None] | None = None) -> None:
        from whoosh import index as whoosh_index

        self.gen = gen
        self.ix = whoosh_index.open_dir(str(gen))
        self.searcher = self.ix.searcher()
        self.text_of = text_of
        self._names = names  # read on the first filter by name
        self._speller: Speller | None = None
        self._lock = threading.Lock()
        self._cancelled: Check | None = None

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
               company: str | None = None, cancelled: Check | None = None) -> Results:
        """Search; never raises on any query text. Raises Cancelled when `cancelled()` turns
        true between the steps of the search."""
        with self._lock:
            self._cancelled = cancelled
            try:
                return self._search(text, kind, limit, company)
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
        boost = _name_boost(_words_text(tree)) if parsed.plain else None
        query = q.AndMaybe(compiled.query, boost) if boost is not None else compiled.query
        found = self.searcher.search(query, limit=limit)
        chosen = [(h, compiled, True) for h in found]
        counted = compiled.query
        exact = found.scored_length() if found.scored_length() < limit else None
        _check(self._cancelled)
        if parsed.plain and isinstance(tree, And):
            # Documents with only some of the words follow those with all of them.
            loose = compile_tree(_rarest(tree, reader, budget), reader, all_words=False, budget=budget)
            counted, exact = loose.query, None
            if len(chosen) < limit:
                loose_query = q.AndMaybe(loose.query, boost) if boost is not None else loose.query
                more = self.searcher.search(loose_query, limit=limit)
                seen = {h.docnum for h in found}
                chosen.extend((h, loose, False) for h in more if h.docnum not in seen)
                del chosen[limit:]
                if more.scored_length() < limit:
                    exact = more.scored_length()
        _check(self._cancelled)
        # Only the hits returned are highlighted; each term's postings are read once for all.
        occurrences = Occurrences(self.searcher, [h.docnum for h, _, _ in chosen])
        hits = [self._hit(h, c, all_words, occurrences) for h, c, all_words in chosen]
        if exact is not None:
            return hits, exact, False
        _check(self._cancelled)
        total = sum(1 for _ in itertools.islice(self.searcher.docs_for_query(counted), COUNT_CAP + 1))
        return hits, min(total, COUNT_CAP), total > COUNT_CAP

    def _hit(self, whoosh_hit, compiled: Compiled, all_words: bool, occurrences: Occurrences) -> Hit:
        fields = whoosh_hit.fields()
        payload = fields.get("payload") or {}
        doctype = fields.get("doctype", "")
        uid = fields.get("uid", "")
        hit = Hit(uid, doctype, fields.get("kind", ""), uid[2:], fields.get("title", ""),
                  float(whoosh_hit.score or 0.0), payload, all_words=all_words, docnum=whoosh_hit.docnum)
        shown = ("title", "body") if doctype == ARTICLE else ("title", "quote")
        for name in shown:
            spans = field_spans(self.searcher, whoosh_hit.docnum, name, compiled.terms, compiled.phrases, occurrences)
            if spans:
                hit.spans[name] = spans
        if doctype == ARTICLE:
            body = self.text_of(hit.id) or ""
            spans = [s for s in hit.spans.get("body", []) if s[1] <= len(body)]
            hit.snippet, hit.snippet_spans = snippet(body, spans)
        else:
            hit.snippet, hit.snippet_spans = hit.title, hit.spans.get("title", [])
        return hit

    # -- spelling ------------------------------------------------------------------------

    def _known(self, word: str) -> bool:
        reader = self.searcher.reader()
        return any(reader.doc_frequency(f, t) > 0 for t in analyze(word) for f in TEXT_FIELDS)

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
        with self._lock:
            parsed = parse(text, None)
            compiled = compile_tree(parsed.tree, self.searcher.reader()) if parsed.tree is not None else None
            if compiled is None:
                return []
            docnum = self.searcher.document_number(uid=article_uid(name))
            if docnum is None:
                return []
            return field_spans(self.searcher, docnum, "body", compiled.terms, compiled.phrases)

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
        return sum(reader.doc_frequency(f, t) for t in terms for f in TEXT_FIELDS)

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


def _name_boost(text: str):
    """An optional clause that lifts the entity called exactly `text` to the top."""
    key = name_key(text.replace('"', " "))
    return q.Term("namekey", key, boost=25.0) if key else None


def _words_text(tree) -> str:
    """The words of a plain query without its filters (a name is looked up by its words)."""
    nodes = tree.nodes if isinstance(tree, And) and tree.implicit else [tree]
    return " ".join(render(n) for n in nodes if not isinstance(n, Filter))


def _only(searcher, docnum: int):
    from whoosh.idsets import BitSet

    return BitSet([docnum], size=searcher.doc_count_all())


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
