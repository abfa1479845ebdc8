"""SearchBar: the query box. Results update as you type."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message

from tui.widgets.plain_input import PlainInput


class SearchBar(PlainInput):
    """`/` focuses it; Escape leaves; Enter opens the top result; Down goes to the results."""

    BINDINGS = [
        Binding("escape", "leave", "Leave search", id="search.leave", tooltip="Back to the panes"),
        Binding("down", "to_results", "Results", show=False),
    ]

    class Leave(Message):
        """The user left the search box (Escape)."""

    class ToResults(Message):
        """Move to the results (Down), `open_first` when Enter was pressed."""

        def __init__(self, open_first: bool) -> None:
            super().__init__()
            self.open_first = open_first

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="/ search: words, \"phrases\", AND OR NOT, ampr*, kind:partnership, company:nissan",
                         id=id, select_on_focus=False)

    def action_leave(self) -> None:
        self.post_message(self.Leave())

    def action_to_results(self) -> None:
        self.post_message(self.ToResults(open_first=False))

    async def action_submit(self) -> None:
        self.post_message(self.ToResults(open_first=True))
