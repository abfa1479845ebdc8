"""Highlight spans found by analysing a displayed text again, and snippets.

Spans are (start, end) character offsets into exactly the text given (an article's
reading text, a fact's text, its quotes). The index keeps no character offsets: the
few hits shown are analysed again with the index's own analyzer, each distinct word
once (words repeat, so a hit costs little more than finding its words with a regex).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .analysis import TOKEN_PATTERN, text_analyzer

Span = tuple[int, int]

_TOKEN = re.compile(TOKEN_PATTERN)
# Distinct words whose analysis is remembered (a word's terms never change).
WORDS_KEPT = 20_000


@lru_cache(maxsize=WORDS_KEPT)
def _word_terms(word: str) -> tuple[tuple[tuple[str, int, int, int], ...], int, frozenset[str]]:
    """(term, position, start, end) of one word as the index analyses it, from 0 in the word,
    how many positions the word takes, and its terms as a set."""
    if word.isalnum():  # one part (most words): the analyzer's term, without its tokens
        stopped, term = text_analyzer().term(word)
        return ((), 0, frozenset()) if stopped else (((term, 0, 0, len(word)),), 1, frozenset((term,)))
    terms = tuple((t.text, t.pos, t.startchar, t.endchar)
                  for t in text_analyzer()(word, positions=True, chars=True, mode="index"))
    return terms, max((pos for _, pos, _, _ in terms), default=-1) + 1, frozenset(t[0] for t in terms)


@lru_cache(maxsize=WORDS_KEPT)
def _word_shape(word: str) -> tuple[int, str | None]:
    """How many positions a word takes, and the first letter of its term when it is one part
    (None otherwise): a word whose letter starts no wanted term need not be stemmed."""
    if word.isalnum():
        stopped, folded = text_analyzer().folded(word)
        return (0, "") if stopped else (1, folded[:1])
    return _word_terms(word)[1], None


def occurrences(text: str, wanted: frozenset[str] | set[str] | None = None) -> Iterator[tuple[str, int, int, int]]:
    """(term, position, start, end) of every term of `text` (of the words holding one of
    `wanted`, when given), as the indexing analyzer gives them.

    The analyzer keeps each word of the tokenizer to itself (a word's parts and its joined
    form; a dropped stop word takes no position), so it is run on each distinct word alone,
    and only on the words that may hold a wanted term (a term starts with its word's letter).
    """
    leads = None if wanted is None else {term[:1] for term in wanted}
    base = 0
    for match in _TOKEN.finditer(text):
        word = match.group()
        width, lead = _word_shape(word)
        if width:
            if leads is None or lead is None or lead in leads:
                terms, _, names = _word_terms(word)
                if wanted is None or not names.isdisjoint(wanted):
                    at = match.start()
                    for term, pos, start, end in terms:
                        yield term, base + pos, at + start, at + end
            base += width


def field_spans(text: str, terms: Iterable[str], phrases: Iterable[tuple[str, ...]]) -> list[Span]:
    """Spans in `text` of the terms, and of the phrases where their words stand in a row."""
    terms, phrases = set(terms), [p for p in phrases if p]
    wanted = terms | {w for p in phrases for w in p}
    if not text or not wanted:
        return []
    spans: list[Span] = []
    at: dict[str, dict[int, Span]] = {}
    for term, pos, start, end in occurrences(text, wanted):
        if term in wanted:
            if term in terms:
                spans.append((start, end))
            at.setdefault(term, {})[pos] = (start, end)
    for phrase in phrases:
        later = [at.get(word, {}) for word in phrase[1:]]
        for pos, (start, end) in at.get(phrase[0], {}).items():
            for k, positions in enumerate(later, 1):
                hit = positions.get(pos + k)
                if hit is None:
                    break
                end = hit[1]
            else:
                if later:
                    spans.append((start, end))
    return merge(spans)


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans with overlaps joined."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def snippet(text: str, spans: list[Span], width: int = 160) -> tuple[str, list[Span]]:
    """A one-line window of `text` around the densest group of spans, and spans in it."""
    if not text:
        return "", []
    if not spans:
        start = 0
    else:
        best, best_count = spans[0][0], 0
        for i, (s, _) in enumerate(spans):
            count = sum(1 for a, b in spans[i:] if b <= s + width)
            if count > best_count:
                best, best_count = s, count
        start = max(0, best - width // 4)
        while start > 0 and not text[start - 1].isspace() and best - start < width // 2:
            start -= 1
    end = min(len(text), start + width)
    if end < len(text):
        cut = text.rfind(" ", start + width // 2, end)
        end = cut if cut > 0 else end
    body = text[start:end].replace("\n", " ").replace("\t", " ")
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(max(s, start) + shift, min(e, end) + shift) for s, e in spans if e > start and s < end]
    return prefix + body + suffix, inside
