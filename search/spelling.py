"""The spelling dictionary behind "did you mean": words of the corpus as written.

Entity names and aliases come first, then words by how many documents use them.
Suggestions allow a swap of neighbouring letters as one edit ("renualt" -> "renault").
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from facts.names import edit_distance, typo_budget

from .analysis import surface_word_set, surface_words

SPELLING = "spelling.json"
_WORD = re.compile(r"^[^\W\d_]{3,30}$")
SUGGESTIONS_KEPT = 4096


class Speller:
    """Word counts and entity words; suggests the closest known word for a typo."""

    def __init__(self, counts: Counter | None = None, entity_words: Iterable[str] = ()) -> None:
        self.counts: Counter = counts or Counter()
        self.entity_words: set[str] = set(entity_words)
        self._buckets: dict[str, list[str] | dict[str, frozenset[str]]] | None = None
        self._suggested: dict[str, str | None] = {}  # the app asks again on every keystroke

    def add_document(self, text: str) -> None:
        """Count each word of one document once."""
        self.counts.update(w for w in surface_word_set(text) if _WORD.match(w))
        self._buckets = None
        self._suggested.clear()

    def add_counts(self, counts: Counter) -> None:
        """Add the word counts of another Speller's documents (a sub-writer's, in a parallel build)."""
        self.counts.update(counts)
        self._buckets = None
        self._suggested.clear()

    def add_entity_names(self, names: Iterable[str]) -> None:
        for name in names:
            for word in surface_words(name):
                if _WORD.match(word):
                    self.entity_words.add(word)
                    self.counts[word] += 0
        self._buckets = None
        self._suggested.clear()

    def known(self, word: str) -> bool:
        return word in self.counts or word in self.entity_words

    def _bucket(self, letter: str) -> dict[str, frozenset[str]]:
        """The known words starting with `letter` -> their letters (each letter's made when first asked)."""
        if self._buckets is None:
            by_letter: dict[str, list[str]] = defaultdict(list)
            for word in set(self.counts) | self.entity_words:
                by_letter[word[0]].append(word)
            self._buckets = dict(by_letter)
        words = self._buckets.get(letter, {})
        if isinstance(words, list):
            words = self._buckets[letter] = {word: frozenset(word) for word in words}
        return words

    def suggest(self, word: str, exists: Callable[[str], bool] = lambda w: True) -> str | None:
        """The best known word within the typo budget of `word` for which `exists`, or None.

        Answers are remembered (up to SUGGESTIONS_KEPT words): `exists` must give the same
        answer for the life of this Speller (the engine's one index generation).
        """
        word = word.lower()
        if word in self._suggested:
            return self._suggested[word]
        if len(self._suggested) >= SUGGESTIONS_KEPT:
            self._suggested.clear()
        self._suggested[word] = self._suggest(word, exists)
        return self._suggested[word]

    def _suggest(self, word: str, exists: Callable[[str], bool]) -> str | None:
        budget = typo_budget(word)
        if budget == 0:
            return None
        pool = dict(self._bucket(word[0]))
        if len(word) > 1:  # a typo in the first letter: the second letter leads
            pool.update(self._bucket(word[1]))
        letters = frozenset(word)
        scored = []
        for candidate, its in pool.items():
            if candidate == word or abs(len(candidate) - len(word)) > budget:
                continue
            # Each letter that only one of the two words holds takes an edit of its own (a
            # swap changes no letter): a cheap bound that spares most of the comparisons.
            if len(letters - its) > budget or len(its - letters) > budget:
                continue
            distance = edit_distance(word, candidate, budget)
            if distance <= budget:
                scored.append((distance, candidate not in self.entity_words, -self.counts[candidate], candidate))
        for *_, candidate in sorted(scored):
            if exists(candidate):
                return candidate
        return None

    def save(self, path: Path) -> None:
        data = {"counts": dict(self.counts), "entities": sorted(self.entity_words)}
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Speller:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(Counter(data.get("counts", {})), data.get("entities", []))
        except (OSError, ValueError, AttributeError):
            return cls()
