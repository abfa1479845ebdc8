"""Rule families, one module each; every one has `find(sentence, ctx) -> list[Suggestion]`."""

from . import (
    entities,
    events,
    figures,
    goals,
    partnerships,
    plans,
    roles,
    stakes,
    statements,
    vehicles,
)

FAMILIES = (entities, roles, stakes, partnerships, goals, plans, figures, events, vehicles, statements)
