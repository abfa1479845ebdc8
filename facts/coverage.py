"""Which sentences of each article no fact cites: the check that nothing was left out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .articles import Article
from .base import FactBase

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|\n|$)")


@dataclass(frozen=True)
class Sentence:
    article: str
    start: int  # raw offsets
    end: int
    text: str


def sentences(article: Article) -> list[Sentence]:
    """The sentences of an article's reading text, with raw offsets."""
    out = []
    for m in _SENTENCE.finditer(article.text):
        text = m.group(0).strip()
        if len(text.split()) < 3:
            continue
        lead = len(m.group(0)) - len(m.group(0).lstrip())
        start = m.start() + lead
        raw_start, raw_end = article.cleaned.span_to_raw(start, start + len(text))
        out.append(Sentence(article.name, raw_start, raw_end, text))
    return out


def uncited(facts: FactBase, articles: dict[str, Article]) -> tuple[list[Sentence], int]:
    """Sentences with no quote in them, and the total number of sentences."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for fact in facts.facts.values():
        for source in fact.sources:
            if source.span:
                spans.setdefault(source.article, []).append(source.span)
    missing: list[Sentence] = []
    total = 0
    for name, article in sorted(articles.items()):
        cited = spans.get(name, [])
        for sentence in sentences(article):
            total += 1
            if not any(a < sentence.end and b > sentence.start for a, b in cited):
                missing.append(sentence)
    return missing, total
