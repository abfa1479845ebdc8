"""Highlight spans from the character offsets stored in the index, and snippets.

Spans are (start, end) character offsets into exactly the text that was indexed for a
field (an article's reading text, a fact's text, its quotes), read from the postings
of the matched terms: no text is analysed again.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh.reading import TermNotFound

Span = tuple[int, int]


class Occurrences:
    """Where terms occur in a few documents: each term's postings are read once for all of them.

    Called as `occurrences(field, docnum, term)` -> [(position, start, end), ...].
    """

    def __init__(self, searcher, docnums: Iterable[int]) -> None:
        self.searcher = searcher
        self.docnums = sorted(set(docnums))
        self._read: dict[tuple[str, str], dict[int, list[tuple[int, int, int]]]] = {}

    def __call__(self, field: str, docnum: int, term: str) -> list[tuple[int, int, int]]:
        key = (field, term)
        if key not in self._read:
            self._read[key] = self._postings(field, term)
        return self._read[key].get(docnum, [])

    def _postings(self, field: str, term: str) -> dict[int, list[tuple[int, int, int]]]:
        try:
            matcher = self.searcher.postings(field, term)
        except (TermNotFound, KeyError):
            return {}
        found = {}
        try:
            for docnum in self.docnums:
                if matcher.is_active() and matcher.id() < docnum:
                    matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
                if matcher.id() == docnum:
                    found[docnum] = list(matcher.value_as("characters"))
        except Exception:  # a field indexed without characters
            return {}
        return found


def field_spans(searcher, docnum: int, field: str, terms: Iterable[str], phrases: Iterable[tuple[str, ...]],
                occurrences: Occurrences | None = None) -> list[Span]:
    """Spans of the terms, and of the phrases where their words stand in a row.

    Pass the `occurrences` of all the documents being highlighted to read each term once.
    """
    occurrences = occurrences or Occurrences(searcher, [docnum])

    def occ(term: str) -> list[tuple[int, int, int]]:
        return occurrences(field, docnum, term)

    spans: list[Span] = []
    for term in terms:
        spans.extend((s, e) for _, s, e in occ(term))
    for phrase in phrases:
        by_pos = [{pos: (s, e) for pos, s, e in occ(word)} for word in phrase]
        for pos, (start, _) in by_pos[0].items():
            end_at = None
            for k in range(1, len(phrase)):
                hit = by_pos[k].get(pos + k)
                if hit is None:
                    break
                end_at = hit[1]
            else:
                if end_at is not None:
                    spans.append((start, end_at))
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
