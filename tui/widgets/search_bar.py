"""SearchBar: the query box. Results update as you type."""

from __future__ import annotations

from textual.binding import Binding
from textual.events import Key
from textual.message import Message

from tui.widgets.plain_input import PlainInput

HISTORY_LIMIT = 100


class SearchBar(PlainInput):
    """`/` focuses it with the old query selected (typing replaces it, ↑ recalls older ones);
    Escape leaves; Enter opens the top result; Down goes to the results."""

    BINDINGS = [
        Binding("escape", "leave", "Back", id="search.leave", tooltip="Leave the search box, back to the panes"),
        Binding("down", "to_results", "Results", show=False, id="search.results", tooltip="Go to the results"),
        Binding("up", "older", "Older query", show=False, id="search.older",
                tooltip="The previous query (again: older ones)"),
        Binding("enter", "submit", "Open top", show=False, id="search.open",
                tooltip="Open the top result"),
    ]

    class Leave(Message):
        """The user left the search box (Escape)."""

    class ToResults(Message):
        """Move to the results (Down), `open_first` when Enter was pressed."""

        def __init__(self, open_first: bool) -> None:
            super().__init__()
            self.open_first = open_first

    class ClearNarrowing(Message):
        """Backspace in an empty box: drop the company the search is narrowed to."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="/ search: words, \"phrases\", AND OR NOT, ampr*, kind:partnership, company:nissan",
                         id=id, select_on_focus=True)
        self.history: list[str] = []
        self._back = 0  # how far back ↑ has gone (0: the text being typed)

    def remember(self) -> None:
        """Keep the query in the history (when it is left, submitted or followed to the results)."""
        text = self.value.strip()
        if text and (not self.history or self.history[-1] != text):
            self.history.append(text)
            del self.history[:-HISTORY_LIMIT]
        self._back = 0

    def action_older(self) -> None:
        if self._back < len(self.history):
            self._back += 1
            self.value = self.history[-self._back]
            self.cursor_position = len(self.value)

    def on_key(self, event: Key) -> None:
        if event.key == "backspace" and not self.value:
            event.stop()
            self.post_message(self.ClearNarrowing())

    def action_leave(self) -> None:
        self.remember()
        self.post_message(self.Leave())

    def action_to_results(self) -> None:
        self.remember()
        self.post_message(self.ToResults(open_first=False))

    async def action_submit(self) -> None:
        self.remember()
        self.post_message(self.ToResults(open_first=True))
