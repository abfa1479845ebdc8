"""Pane: a titled, numbered box holding one of the app's panes."""

from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content

from facts.text import safe_for_terminal


class Pane(Vertical):
    """A numbered pane. At narrow widths only the `-active` one is shown."""

    def __init__(self, number: int, title: str, *, id: str) -> None:
        super().__init__(id=id, classes="pane")
        self.number = number
        self.title = title
        self.set_note("")

    def set_note(self, note: str) -> None:
        """Extra words after the title, e.g. the company the pane is narrowed to (taken literally)."""
        self.border_title = Content(f"{self.number} {self.title}" + (f" · {safe_for_terminal(note)}" if note else ""))
