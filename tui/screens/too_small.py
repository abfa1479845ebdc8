"""TooSmallScreen: said instead of a broken layout when the terminal is below the minimum size.

It sits on top of whatever was shown (the panes, help): keys typed meanwhile go nowhere
but ctrl+q, and when the terminal grows again the screen below comes back with its focus.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 60, 16


def fits(width: int, height: int) -> bool:
    return width >= MIN_WIDTH and height >= MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    """'alliance needs at least 60x16; this one is 40x10.'"""

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", id="too-small.quit", tooltip="Quit")]
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen > #too-small { width: 1fr; height: auto; text-align: center; }
    """

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.size_now = (width, height)

    def compose(self) -> ComposeResult:
        yield Static(self._message(*self.size_now), id="too-small", markup=False)

    def show_size(self, width: int, height: int) -> None:
        self.size_now = (width, height)
        if self.is_mounted:
            self.query_one("#too-small", Static).update(self._message(width, height))

    @staticmethod
    def _message(width: int, height: int) -> Text:
        return Text(f"alliance needs a terminal of at least {MIN_WIDTH}x{MIN_HEIGHT}; this one is "
                    f"{width}x{height}.\nMake the window larger, or press ctrl+q to quit.")
