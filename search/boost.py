"""The optional clause that lifts some hits of a query: those whose name or title hold its
words, and the entity called exactly what was typed.

Whoosh's own AndMaybe skips blocks of documents by the lift's quality at the place it
has skipped to, so a document lifted enough to rank can be passed over; Lifted skips by
the most the lift can ever add, which never passes over a document that would rank.
"""

from __future__ import annotations

from whoosh import matching
from whoosh import query as q

from facts.names import name_key

from .schema import BOOST_FIELDS

# Terms of a query whose presence in a hit's name or title lifts it (BOOST_FIELDS).
MAX_BOOSTED = 16
# The lift of the entity called exactly what was typed.
NAME_KEY_BOOST = 25.0


class _LiftedMatcher(matching.AndMaybeMatcher):
    def _lift(self) -> float:
        return self.b.max_quality() if self.b.is_active() else 0.0

    def max_quality(self):
        return self.a.max_quality() + self._lift()

    def block_quality(self):
        return self.a.block_quality() + self._lift()

    def skip_to_quality(self, minquality):
        if not self.a.is_active():
            raise matching.ReadTooFar
        skipped = self.a.skip_to_quality(minquality - self._lift())
        if self.a.is_active() and self.b.is_active():
            self.b.skip_to(self.a.id())
        return skipped

    def replace(self, minquality=0):
        if not self.a.is_active():
            return matching.NullMatcher()
        if not self.b.is_active():
            return self.a.replace(minquality)
        a = self.a.replace(minquality - self._lift())
        return self if a is self.a else self.__class__(a, self.b)


class Lifted(q.AndMaybe):
    """`a`, scored with `b` added where `b` matches too."""

    matcherclass = _LiftedMatcher


def lift(words: list[str], name: str | None) -> q.Query | None:
    """The lift of the hits whose name or title hold `words` (terms, in query order), and
    of the entity called exactly `name` (the words of a plain query); None when nothing lifts."""
    clauses = [q.Term(f, t, boost=w) for t in words[:MAX_BOOSTED] for f, w in BOOST_FIELDS.items()]
    key = name_key(name.replace('"', " ")) if name else ""
    if key:
        clauses.append(q.Term("namekey", key, boost=NAME_KEY_BOOST))
    if not clauses:
        return None
    union = q.Or(clauses)
    union.matcher_type = q.Or.DEFAULT_MATCHER  # skipped to the hits: never read whole
    return union


def lifted(query: q.Query, boost: q.Query | None) -> q.Query:
    return Lifted(query, boost) if boost is not None else query
