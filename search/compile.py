"""Compile a parsed query to a Whoosh query, noting what to highlight.

Prefix, wildcard and typo-tolerant words are expanded here from the index's vocabulary
(search.expand), within the query's Budget, so their terms are known before searching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as q

from facts.names import fold

from .analysis import analyze
from .expand import Budget, expand_fuzzy, expand_pattern, expand_sources
from .query import MIN_PREFIX, And, Filter, Not, Or, Phrase, Word, render
from .schema import TEXT_FIELD
from .synonyms import LONGEST, alternatives

_STRIP = re.compile(r"[^\w*?]+")
# Longer words are matched exactly even with "~": Whoosh's typo matching slows down
# steeply with the length of the word, and no word of the corpus is this long.
MAX_FUZZY_LENGTH = 40
# Words of a phrase searched: each more word is one more posting list walked for every
# document holding them all ("battery battery battery ..." holds a large corpus).
MAX_PHRASE_WORDS = 10


@dataclass
class Compiled:
    """A Whoosh query and the terms (index form) whose occurrences are highlighted."""

    query: q.Query
    terms: set[str] = field(default_factory=set)
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    _order: list[str] = field(default_factory=list)  # the terms in the order the query names them

    def add(self, *terms: str) -> None:
        self._order.extend(t for t in terms if t not in self.terms)
        self.terms.update(terms)

    def words(self) -> list[str]:
        """Every term searched, phrase words included, in query order."""
        return list(dict.fromkeys([*self._order, *(w for p in self.phrases for w in p)]))


def _term(term: str) -> q.Query:
    return q.Term(TEXT_FIELD, term)


def _terms(terms: list[str] | None, out: Compiled) -> q.Query | None:
    """Any of `terms` (expansions of one word); matches nothing when empty, and is left out
    (None) when the word was not searched."""
    if terms is None:
        return None
    out.add(*terms)
    if not terms:
        return q.NullQuery
    return q.Or([_term(t) for t in terms]) if len(terms) > 1 else _term(terms[0])


def _word(node: Word, out: Compiled, reader, budget: Budget) -> q.Query | None:
    if node.prefix:
        pattern = _STRIP.sub("", fold(node.text))
        literal = re.split(r"[*?]", pattern, maxsplit=1)[0]
        if sum(ch.isalnum() for ch in literal) < MIN_PREFIX:  # the parser keeps these out
            return None
        return _terms(expand_pattern(reader, budget, node.text, pattern), out)
    terms = analyze(node.text)
    if not terms:
        return None
    if node.edits and all(len(t) <= MAX_FUZZY_LENGTH for t in terms):
        options = []
        for t in terms:  # each part of a joined word counts as a word with ~
            label = render(node) if len(terms) == 1 else f"{t}~{node.edits}"
            if budget.allow_fuzzy(label):
                options.append(_terms(expand_fuzzy(reader, budget, label, t, node.edits), out))
            else:
                out.add(t)
                options.append(_term(t))
        options = [p for p in options if p is not None]
        return q.Or(options) if options else None
    if len(terms) == 1:
        out.add(terms[0])
        return _term(terms[0])
    # A joined word such as "e-power": the parts in a row, or the joined form.
    terms = _phrase_words(terms, node.text, budget)
    out.phrases.append(tuple(terms))
    joined = analyze(re.sub(r"[\W_]+", "", node.text))
    options = [q.Phrase(TEXT_FIELD, terms)]
    if len(joined) == 1:
        out.add(joined[0])
        options.append(_term(joined[0]))
    return q.Or(options)


def _phrase_words(terms: list[str], text: str, budget: Budget) -> list[str]:
    """The first MAX_PHRASE_WORDS words of a phrase, noting the cut."""
    if len(terms) <= MAX_PHRASE_WORDS:
        return terms
    shown = text if len(text) <= 40 else text[:39] + "…"
    note = f"Only the first {MAX_PHRASE_WORDS} words of “{shown}” were searched as a phrase."
    if note not in budget.notes:
        budget.notes.append(note)
    return terms[:MAX_PHRASE_WORDS]


def _phrase(node: Phrase, out: Compiled, budget: Budget) -> q.Query | None:
    terms = _phrase_words(analyze(node.text), node.text, budget)
    if not terms:
        return None
    if len(terms) == 1:
        out.add(terms[0])
        return _term(terms[0])
    out.phrases.append(tuple(terms))
    return q.Phrase(TEXT_FIELD, terms)


def _filter(node: Filter, reader, budget: Budget) -> q.Query:
    if node.field == "source":  # a prefix of article file names
        names = expand_sources(reader, budget, node.label, node.value.rstrip("*"))
        return q.Or([q.Term("source", name) for name in names]) if names else q.NullQuery
    if node.field == "status":
        return q.Term("status", re.sub(r"\s+", "-", node.value))
    # Articles carry the ids of the entities they name (facts.mentions), facts those they involve.
    return q.Term(node.field, node.value)


@dataclass
class _Synonyms:
    """Words of the query that spell an entry of the synonym table: they match as typed, or
    as any other spelling of the entry."""

    nodes: list
    forms: tuple[tuple[str, ...], ...]


def _spelled(node) -> tuple[str, ...] | None:
    """The analysed terms of a plain word (what the synonym table is keyed on); a quoted
    phrase is taken literally."""
    if isinstance(node, Word) and not node.prefix and not node.edits:
        return tuple(analyze(node.text))
    return None


def _with_synonyms(nodes: list) -> list:
    """`nodes` with each run of words found in the synonym table replaced by its group."""
    out, i = [], 0
    while i < len(nodes):
        for j in range(min(len(nodes), i + LONGEST), i, -1):
            spelled = [_spelled(n) for n in nodes[i:j]]
            if all(spelled) and (forms := alternatives(tuple(t for s in spelled for t in s))):
                out.append(_Synonyms(nodes[i:j], forms))
                i = j
                break
        else:
            out.append(nodes[i])
            i += 1
    return out


def _synonyms(node: _Synonyms, out: Compiled, all_words: bool, reader, budget: Budget) -> q.Query | None:
    if len(node.nodes) == 1:
        options = [_word(node.nodes[0], out, reader, budget)]
    else:  # the words as typed: all of them, or (for "some of the words") any
        typed = And(node.nodes, implicit=False) if all_words else Or(node.nodes)
        options = [_compile(typed, out, all_words, reader, budget)]
    own = tuple(t for n in node.nodes for t in _spelled(n))
    for terms in node.forms:
        if terms == own:
            continue
        if len(terms) == 1:
            out.add(terms[0])
            options.append(_term(terms[0]))
        else:
            out.phrases.append(terms)
            options.append(q.Phrase(TEXT_FIELD, list(terms)))
    options = [o for o in options if o is not None]
    return q.Or(options) if options else None


def _compile(node, out: Compiled, all_words: bool, reader, budget: Budget) -> q.Query | None:
    if isinstance(node, Word) and (forms := alternatives(_spelled(node) or ())):
        return _synonyms(_Synonyms([node], forms), out, all_words, reader, budget)
    if isinstance(node, _Synonyms):
        return _synonyms(node, out, all_words, reader, budget)
    if isinstance(node, Word):
        return _word(node, out, reader, budget)
    if isinstance(node, Phrase):
        return _phrase(node, out, budget)
    if isinstance(node, Filter):
        return _filter(node, reader, budget)
    if isinstance(node, Not):
        inner = _compile(node.node, Compiled(q.NullQuery), all_words, reader, budget)  # not highlighted
        return q.Not(inner) if inner is not None else None
    if isinstance(node, And | Or):
        nodes = _distinct(node.nodes)
        nodes = _with_synonyms(nodes) if isinstance(node, And) and node.implicit else nodes
        compiled = [(n, p) for n, p in ((n, _compile(n, out, all_words, reader, budget)) for n in nodes)
                    if p is not None]
        parts = [p for _, p in compiled]
        if not parts:
            return None
        if len(parts) == 1 and not isinstance(parts[0], q.Not):
            return parts[0]
        if isinstance(node, And) and node.implicit and not all_words:
            # Some of the words will do, but every filter (company:, kind: ...) still applies.
            musts = [p for n, p in compiled if isinstance(n, Filter)]
            loose = [p for n, p in compiled if not isinstance(n, Filter)]
            if musts and loose:
                return q.And([q.Or(loose) if len(loose) > 1 else loose[0], *musts])
            return q.Or(parts)
        if isinstance(node, Or):
            return q.Or(parts)
        positives = [p for p in parts if not isinstance(p, q.Not)]
        return q.And((positives or [q.Every()]) + [p for p in parts if isinstance(p, q.Not)])
    return None


def _distinct(nodes: list) -> list:
    """The nodes without repeats: `x x` and `x OR x` mean `x`."""
    out = []
    for node in nodes:
        if node not in out:
            out.append(node)
    return out


def compile_tree(tree, reader, all_words: bool = True, budget: Budget | None = None) -> Compiled | None:
    """Compile a tree; plain words are ANDed when `all_words`, else ORed.

    `reader` (a Whoosh IndexReader) gives the vocabulary that prefix, wildcard and
    typo-tolerant words expand to, within `budget` (a fresh one when None).
    """
    out = Compiled(q.NullQuery)
    query = _compile(tree, out, all_words, reader, budget if budget is not None else Budget())
    if query is None:
        return None
    if isinstance(query, q.Not):
        query = q.And([q.Every(), query])
    out.query = query
    return out


def word_nodes(tree) -> list[Word]:
    """The plain words of a tree outside NOT (candidates for spelling correction)."""
    if isinstance(tree, Word):
        return [tree] if not tree.prefix and not tree.edits else []
    if isinstance(tree, And | Or):
        return [w for n in tree.nodes for w in word_nodes(n)]
    return []
