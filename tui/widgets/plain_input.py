"""PlainInput: an Input that keeps terminal control sequences out of what is typed or pasted."""

from __future__ import annotations

from textual.widgets import Input

from facts.text import sanitize


class PlainInput(Input):
    """Typing and pasting go through `replace`: control sequences are dropped there, so a
    pasted title carrying ESC[2J cannot reach the terminal when the box draws its value."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(sanitize(text).replace("\n", " "), start, end)
