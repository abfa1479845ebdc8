"""Fuzzy matching for the command palette, in time linear in the text.

Textual's own matcher tries every way the query's letters can occur in order: "eeeeeeee"
against one long title took 5 s, and the palette searches every article title on each key.
This one looks at three placements (leftmost, the tightest ending at the same place, word
starts first) and scores them as Textual does, so hits rank as they did.
"""

from __future__ import annotations

from textual.fuzzy import FuzzySearch

_SCORER = FuzzySearch()


def _lower(text: str) -> str:
    """`text` in lower case with the same length (so offsets stay offsets into `text`)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def _leftmost(query: str, text: str) -> list[int] | None:
    offsets, position = [], 0
    for letter in query:
        position = text.find(letter, position)
        if position < 0:
            return None
        offsets.append(position)
        position += 1
    return offsets


def _tightest(query: str, text: str, end: int) -> list[int]:
    """The latest placement of the query's letters that ends at `end` (one exists)."""
    offsets = [end]
    for letter in reversed(query[:-1]):
        offsets.append(text.rfind(letter, 0, offsets[-1]))
    offsets.reverse()
    return offsets


def _word_starts(query: str, text: str) -> list[int] | None:
    """Each letter at the next word start that has it, else at its next occurrence."""
    offsets, position = [], 0
    for letter in query:
        found = text.find(letter, position)
        if found < 0:
            return None
        at = found
        while at > 0 and text[at - 1].isalnum():
            at = text.find(letter, at + 1)
        offsets.append(found if at < 0 else at)
        position = offsets[-1] + 1
    return offsets


def match(query: str, candidate: str) -> tuple[float, list[int]]:
    """(score, offsets of the matched letters in `candidate`); (0.0, []) when it does not match."""
    if not query or len(query) > len(candidate):
        return 0.0, []
    query, text = _lower(query), _lower(candidate)
    found = text.find(query)
    if found >= 0:
        offsets = list(range(found, found + len(query)))
        return _SCORER.score(text, offsets) * (2.0 if text == query else 1.5), offsets
    leftmost = _leftmost(query, text)
    if leftmost is None:
        return 0.0, []
    tries = [leftmost, _tightest(query, text, leftmost[-1])]
    starts = _word_starts(query, text)
    if starts is not None:
        tries.append(starts)
    return max(((_SCORER.score(text, offsets), offsets) for offsets in tries), key=lambda pair: pair[0])
