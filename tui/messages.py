"""Navigation requests any pane can post; the app routes them to the reader."""

from __future__ import annotations

from textual.message import Message


class OpenFact(Message):
    """Show a fact's quote, highlighted in its source (`source` indexes fact.sources)."""

    def __init__(self, fact_id: str, source: int = 0) -> None:
        super().__init__()
        self.fact_id = fact_id
        self.source = source


class OpenEntity(Message):
    """Show the profile of an entity (company, person, vehicle, platform ...)."""

    def __init__(self, entity_id: str) -> None:
        super().__init__()
        self.entity_id = entity_id


class OpenArticle(Message):
    """Show an article, with offset `focus` of its reading text in view (or, with
    `first_term`, the first search term found in it)."""

    def __init__(self, name: str, focus: int | None = None, first_term: bool = False) -> None:
        super().__init__()
        self.name = name
        self.focus = focus
        self.first_term = first_term
