"""Compile a parsed query to a Whoosh query, noting what to highlight."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as q

from facts.names import fold

from .analysis import analyze
from .query import And, Filter, Not, Or, Phrase, Word
from .schema import TEXT_FIELDS
from .synonyms import LONGEST, alternatives

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


def _names_in_articles(names: tuple[str, ...]) -> q.Query | None:
    options = []
    for name in names:
        terms = analyze(name)
        if len(terms) == 1:
            options.extend(q.Term(f, terms[0]) for f in ("title", "body"))
        elif terms:
            options.extend(q.Phrase(f, terms) for f in ("title", "body"))
    if not options:
        return None
    return q.And([q.Term("doctype", "article"), q.Or(options)])


def _filter(node: Filter) -> q.Query:
    if node.field == "source":
        value = node.value.rstrip("*")
        return q.Prefix("source", value)
    if node.field == "status":
        return q.Term("status", re.sub(r"\s+", "-", node.value))
    term = q.Term(node.field, node.value)
    if node.field in ("company", "entity") and node.names:
        # Articles carry no entity ids: they match when they name the entity.
        articles = _names_in_articles(node.names)
        if articles is not None:
            return q.Or([term, articles])
    return term


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


def _synonyms(node: _Synonyms, out: Compiled, all_words: bool) -> q.Query | None:
    if len(node.nodes) == 1:
        options = [_word(node.nodes[0], out)]
    else:  # the words as typed: all of them, or (for "some of the words") any
        typed = And(node.nodes, implicit=False) if all_words else Or(node.nodes)
        options = [_compile(typed, out, all_words)]
    own = tuple(t for n in node.nodes for t in _spelled(n))
    for terms in node.forms:
        if terms == own:
            continue
        if len(terms) == 1:
            out.terms.add(terms[0])
            options.append(_fields(lambda f, b, t=terms[0]: q.Term(f, t, boost=b)))
        else:
            out.phrases.append(terms)
            options.append(_fields(lambda f, b, t=terms: q.Phrase(f, list(t), boost=b)))
    options = [o for o in options if o is not None]
    return q.Or(options) if options else None


def _compile(node, out: Compiled, all_words: bool) -> q.Query | None:
    if isinstance(node, Word) and (forms := alternatives(_spelled(node) or ())):
        return _synonyms(_Synonyms([node], forms), out, all_words)
    if isinstance(node, _Synonyms):
        return _synonyms(node, out, all_words)
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
        nodes = _with_synonyms(node.nodes) if isinstance(node, And) and node.implicit else node.nodes
        compiled = [(n, p) for n, p in ((n, _compile(n, out, all_words)) for n in nodes) if p is not None]
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
