"""The clause that lifts some hits of a query: the entities whose own name holds its words,
and the entity called exactly what was typed (engine.Engine._scored adds its score)."""

from __future__ import annotations

from whoosh import query as q

from facts.names import name_key

from .schema import BOOST_FIELDS

# Terms of a query whose presence in an entity's name lifts it (BOOST_FIELDS).
MAX_BOOSTED = 16
# The lift of the entity called exactly what was typed.
NAME_KEY_BOOST = 25.0


def lift(words: list[str], name: str | None) -> q.Query | None:
    """The lift of the entities whose name holds `words` (terms, in query order), and
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

