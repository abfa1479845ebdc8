"""NarrowingLabel: the company the panes and the search are narrowed to, beside the search box."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from facts.text import safe_for_terminal


class NarrowingLabel(Static):
    """'company: Nissan ×'-style label (ASCII 'x'); a click, backspace in the empty search box,
    or `x` clears the narrowing. Hidden when nothing is narrowed."""

    class Cleared(Message):
        """The user asked to stop narrowing."""

    def show_name(self, name: str | None) -> None:
        self.display = bool(name)
        self.update(Content(f"company: {safe_for_terminal(name)} [x]") if name else Content(""))
        self.tooltip = "Click, or backspace in the empty search box, to show every company" if name else None

    def on_click(self) -> None:
        self.post_message(self.Cleared())
