"""PlainInput: an Input that keeps terminal control sequences out of what is typed or pasted."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from facts.text import sanitize


class PlainInput(Input):
    """Typing and pasting go through `replace`: control sequences are dropped there, so a
    pasted title carrying ESC[2J cannot reach the terminal when the box draws its value."""

    # Input sets its virtual size (the text's width) at every key; Widget's own reactive lays out
    # the whole screen when it changes (~10 ms at 80x24), which a one-line box never needs: it
    # scrolls within its own width. A key is echoed with a repaint of the box alone.
    virtual_size = Reactive(Size(0, 0), layout=False)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(sanitize(text).replace("\n", " "), start, end)
