"""The entities an article names: their names and aliases found in its text, whole words only."""

from __future__ import annotations

from collections.abc import Iterable

from .kinds import ENTITY_KINDS
from .model import Fact
from .names import name_key

MIN_KEY = 3  # shorter names and aliases ("VW" aside, too many chance hits) are not looked for


def named_in(text: str, facts: Iterable[Fact]) -> list[Fact]:
    """Entities whose name or an alias occurs in `text`, in order of first appearance."""
    haystack = f" {name_key(text)} "
    found: dict[str, tuple[int, Fact]] = {}
    for fact in facts:
        if fact.kind not in ENTITY_KINDS or "name" not in fact.values:
            continue
        for name in (fact.name, *fact.aliases):
            key = name_key(name)
            if len(key) < MIN_KEY and not (key.isalpha() and len(name) >= 2 and name.isupper()):
                continue
            at = haystack.find(f" {key} ")
            if at >= 0 and (fact.id not in found or at < found[fact.id][0]):
                found[fact.id] = (at, fact)
    return [fact for _, fact in sorted(found.values(), key=lambda item: item[0])]
