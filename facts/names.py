"""Finding entities by name: aliases, accents, case, punctuation and small typos."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .kinds import ENTITY_KINDS
from .model import Fact
from .problems import did_you_mean
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


@dataclass(frozen=True, slots=True)
class Named:
    """What a look-up by name needs of a fact: its id, kind, name and aliases."""

    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    has_name: bool  # False for an entity without a name of its own (its id stands for it)


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A fact found by name, and how: 'exact', 'word', 'prefix' or 'typo'."""

    fact: Fact
    how: str
    matched: str  # the name or alias that matched


class NameIndex:
    """Look-up of named facts (entities and partnerships) by id, name or alias."""

    def __init__(self, facts: Iterable[Fact | Named]) -> None:
        self._keys: dict[str, tuple[Fact | Named, str]] = {}
        for fact in facts:
            if not fact.has_name:
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


class NameTable:
    """The named facts and entities of a corpus, without the rest of the facts: what a filter
    (`company:`, `entity:` ...) needs to resolve a name or suggest one. Saved with each index
    generation as `rows()`, so a search need not read the whole fact base."""

    def __init__(self, entries: Iterable[Named]) -> None:
        self.entries = list(entries)
        self.index = NameIndex(self.entries)

    @classmethod
    def of(cls, facts: Iterable[Fact]) -> NameTable:
        return cls(Named(f.id, f.kind, f.name, tuple(f.aliases), f.has_name)
                   for f in facts if f.has_name or f.kind in ENTITY_KINDS)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple]) -> NameTable:
        return cls(Named(*row) for row in rows)

    def rows(self) -> list[tuple]:
        """Plain tuples (what is saved: no class of ours in the file)."""
        return [(e.id, e.kind, e.name, e.aliases, e.has_name) for e in self.entries]

    def resolve(self, name: str, kinds: tuple[str, ...]) -> tuple[str | None, tuple[str, ...], str]:
        """(id, its name and aliases, "") of the fact of one of `kinds` called `name`, or
        (None, (), a hint such as " (did you mean 'Nissan'?)")."""
        matches = self.index.resolve(name)
        for match in matches:
            if match.fact.kind in kinds and match.how in ("exact", "word"):
                found = match.fact
                return found.id, (found.name, *found.aliases), ""
        typo = [m for m in matches if m.fact.kind in kinds]
        if typo:
            return None, (), f" (did you mean '{typo[0].fact.name}'?)"
        return None, (), did_you_mean(name, [n for e in self.entries if e.kind in kinds for n in (e.name, e.id)])
