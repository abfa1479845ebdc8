"""Finding entities by name: aliases, accents, case, punctuation and small typos."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Fact
from .text import fold_char

_NON_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and fold quote marks and dashes."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(fold_char(c) for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def name_key(name: str) -> str:
    """The form names are compared in: folded, punctuation as spaces, no leading 'the'."""
    key = _NON_WORD.sub(" ", fold(name).replace("'s ", " ")).strip()
    key = re.sub(r"^the ", "", key)
    return " ".join(key.split())


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (a swap of neighbours costs 1), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, prev2[j - 2] + 1)
            cur[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def typo_budget(word: str) -> int:
    """How many edits a word of this length may carry and still be recognised."""
    n = len(word)
    return 0 if n < 4 else 1 if n < 7 else 2


@dataclass(frozen=True)
class NameMatch:
    """A fact found by name, and how: 'exact', 'word', 'prefix' or 'typo'."""

    fact: Fact
    how: str
    matched: str  # the name or alias that matched


class NameIndex:
    """Look-up of named facts (entities and partnerships) by id, name or alias."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        self._keys: dict[str, tuple[Fact, str]] = {}
        for fact in facts:
            if "name" not in fact.values:
                continue
            for name in (fact.name, *fact.aliases, fact.id.replace("-", " ")):
                self._keys.setdefault(name_key(name), (fact, name))

    def keys(self) -> list[str]:
        return list(self._keys)

    def exact(self, query: str) -> Fact | None:
        """The fact whose name, alias or id is `query` (folded), or None."""
        hit = self._keys.get(name_key(query))
        return hit[0] if hit else None

    def resolve(self, query: str, limit: int = 10) -> list[NameMatch]:
        """Candidates for `query`, best first."""
        key = name_key(query)
        if not key:
            return []
        if key in self._keys:
            fact, name = self._keys[key]
            return [NameMatch(fact, "exact", name)]
        found: dict[str, NameMatch] = {}

        def add(fact: Fact, how: str, name: str) -> None:
            if fact.id not in found:
                found[fact.id] = NameMatch(fact, how, name)

        words = key.split()
        for candidate, (fact, name) in self._keys.items():
            if all(w in candidate.split() for w in words):
                add(fact, "word", name)
        for candidate, (fact, name) in self._keys.items():
            if candidate.startswith(key) or any(part.startswith(key) for part in candidate.split()):
                add(fact, "prefix", name)
        if not found:
            scored = []
            for candidate, (fact, name) in self._keys.items():
                budget = typo_budget(key)
                distance = edit_distance(key, candidate, budget)
                if distance > budget:  # try the words of a longer name: "uchdia" -> "makoto uchida"
                    distance = min(
                        [edit_distance(key, part, budget) for part in candidate.split()] + [budget + 1]
                    )
                if distance <= budget:
                    scored.append((distance, len(candidate), candidate, fact, name))
            for _, _, _, fact, name in sorted(scored, key=lambda t: t[:3]):
                add(fact, "typo", name)
        return list(found.values())[:limit]
