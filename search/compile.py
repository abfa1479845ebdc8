"""Compile a parsed query to a Whoosh query, noting what to highlight."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as q

from facts.names import fold

from .analysis import analyze
from .query import And, Filter, Not, Or, Phrase, Word
from .schema import TEXT_FIELDS

_STRIP = re.compile(r"[^\w*?]+")
# Longer words are matched exactly even with "~": Whoosh's typo matching slows down
# steeply with the length of the word, and no word of the corpus is this long.
MAX_FUZZY_LENGTH = 40


@dataclass
class Compiled:
    """A Whoosh query and the terms (index form) whose occurrences are highlighted."""

    query: q.Query
    terms: set[str] = field(default_factory=set)
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    expanding: bool = False  # has prefix, wildcard or fuzzy parts (their terms come from the hits)


def _fields(make, fields=TEXT_FIELDS) -> q.Query:
    return q.Or([make(name, boost) for name, boost in fields.items()])


def _word(node: Word, out: Compiled) -> q.Query | None:
    if node.prefix:
        pattern = _STRIP.sub("", fold(node.text))
        out.expanding = True
        if pattern.endswith("*") and not re.search(r"[*?]", pattern[:-1]):
            return _fields(lambda f, b: q.Prefix(f, pattern[:-1], boost=b))
        return _fields(lambda f, b: q.Wildcard(f, pattern, boost=b))
    terms = analyze(node.text)
    if not terms:
        return None
    if node.edits and all(len(t) <= MAX_FUZZY_LENGTH for t in terms):
        out.expanding = True
        return q.Or([_fields(lambda f, b, t=t: q.FuzzyTerm(f, t, boost=b, maxdist=node.edits, prefixlength=1))
                     for t in terms])
    if len(terms) == 1:
        out.terms.add(terms[0])
        return _fields(lambda f, b: q.Term(f, terms[0], boost=b))
    # A joined word such as "e-power": the parts in a row, or the joined form.
    out.phrases.append(tuple(terms))
    joined = analyze(re.sub(r"[\W_]+", "", node.text))
    options = [_fields(lambda f, b: q.Phrase(f, terms, boost=b))]
    if len(joined) == 1:
        out.terms.add(joined[0])
        options.append(_fields(lambda f, b: q.Term(f, joined[0], boost=b)))
    return q.Or(options)


def _phrase(node: Phrase, out: Compiled) -> q.Query | None:
    terms = analyze(node.text)
    if not terms:
        return None
    if len(terms) == 1:
        out.terms.add(terms[0])
        return _fields(lambda f, b: q.Term(f, terms[0], boost=b))
    out.phrases.append(tuple(terms))
    return _fields(lambda f, b: q.Phrase(f, terms, boost=b))


def _filter(node: Filter) -> q.Query:
    if node.field == "source":
        value = node.value.rstrip("*")
        return q.Prefix("source", value)
    if node.field == "status":
        return q.Term("status", re.sub(r"\s+", "-", node.value))
    # Articles carry the ids of the entities they name (facts.mentions), facts those they involve.
    return q.Term(node.field, node.value)


def _compile(node, out: Compiled, all_words: bool) -> q.Query | None:
    if isinstance(node, Word):
        return _word(node, out)
    if isinstance(node, Phrase):
        return _phrase(node, out)
    if isinstance(node, Filter):
        return _filter(node)
    if isinstance(node, Not):
        inner = _compile(node.node, Compiled(q.NullQuery), all_words)  # not highlighted
        return q.Not(inner) if inner is not None else None
    if isinstance(node, And | Or):
        parts = [p for p in (_compile(n, out, all_words) for n in node.nodes) if p is not None]
        if not parts:
            return None
        if len(parts) == 1 and not isinstance(parts[0], q.Not):
            return parts[0]
        if isinstance(node, Or) or (node.implicit and not all_words):
            return q.Or(parts)
        positives = [p for p in parts if not isinstance(p, q.Not)]
        return q.And((positives or [q.Every()]) + [p for p in parts if isinstance(p, q.Not)])
    return None


def compile_tree(tree, all_words: bool = True) -> Compiled | None:
    """Compile a tree; plain words are ANDed when `all_words`, else ORed."""
    out = Compiled(q.NullQuery)
    query = _compile(tree, out, all_words)
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
