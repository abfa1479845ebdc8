"""An article's reading text cut into sentences, each with its span in the raw text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..articles import Article

MAX_SENTENCE = 600  # longer runs (lists, tables) are cut at clause marks
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "St", "Inc", "Co", "Corp", "Ltd", "vs", "No", "Jan", "Feb", "Mar",
                  "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "U.S", "U.K", "e.g", "i.e")
_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s+[\"'“‘(]*[A-Z0-9])|\n")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the reading text: `text` as printed, `start`/`end` raw offsets."""

    text: str
    start: int
    end: int
    heading: bool  # a short line without a final full stop (a headline or subheading)


def _is_abbreviation(text: str, end: int) -> bool:
    word = re.search(r"([A-Za-z.]+)\.\s*$", text[max(0, end - 8):end + 1])
    return bool(word) and word.group(1).rstrip(".") in _ABBREVIATIONS


def split(article: Article) -> list[Sentence]:
    """The sentences of the article's reading text (boilerplate left out)."""
    text = article.cleaned.text
    out: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        if match.group(0) == "\n":
            _add(out, article, text, start, match.start())
            start = match.end()
        elif not _is_abbreviation(text, match.start()):
            _add(out, article, text, start, match.end())
            start = match.end()
    _add(out, article, text, start, len(text))
    return out


def _add(out: list[Sentence], article: Article, text: str, start: int, end: int) -> None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    start += lead
    end = start + len(piece.strip())
    if end - start < 3:
        return
    for a, b in _cut(text, start, end):
        raw_a, raw_b = article.cleaned.span_to_raw(a, b)
        body = text[a:b]
        heading = "\n" not in body and not body.rstrip().endswith((".", "!", "?", "”", '"', ":")) and len(body) < 120
        out.append(Sentence(body, raw_a, raw_b, heading))


def _cut(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Very long sentences are cut at '; ' or ', ' (else at a space) so a quote stays short."""
    pieces = []
    while end - start > MAX_SENTENCE:
        window = text[start:start + MAX_SENTENCE]
        cut = max(window.rfind("; "), window.rfind(", "))
        if cut < 100:
            cut = window.rfind(" ")  # never inside a word
        if cut < 100:
            cut = MAX_SENTENCE
        pieces.append((start, start + cut))
        start += cut
        while start < end and text[start] in ";, ":
            start += 1
    pieces.append((start, end))
    return pieces
