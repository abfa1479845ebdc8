"""SuggestionList: one article's suggested facts, each with its decision so far."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from facts.suggest.render import short_label
from facts.text import one_line

MARKS = {"accepted": "ACCEPTED", "rejected": "rejected", "skipped": "skipped"}


class SuggestionList(OptionList):
    """The suggestions of the article under review; j/k move, decisions are shown as words."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="suggestions.down", tooltip="Next suggestion"),
        Binding("k", "cursor_up", "Up", show=False, id="suggestions.up", tooltip="Previous suggestion"),
        Binding("g", "first", "Top", show=False, id="suggestions.top", tooltip="First suggestion"),
        Binding("G", "last", "Bottom", show=False, id="suggestions.bottom", tooltip="Last suggestion"),
    ]

    def show(self, suggestions, status: dict[int, str], keep: int | None = None) -> None:
        self.clear_options()
        for i, s in enumerate(suggestions):
            row = Text(no_wrap=True, overflow="ellipsis")
            mark = MARKS.get(status.get(i, ""), "")
            row.append(f"{mark:9}", style="bold reverse" if mark == "ACCEPTED" else "dim" if mark else "")
            row.append(short_label(s), style="bold")
            if s.updates:
                row.append(" UPDATES", style="italic")
            row.append("  " + one_line(s.quote, 120), style="dim")
            row.truncate(max(20, (self.size.width or self.app.size.width) - 4), overflow="ellipsis")
            self.add_option(Option(row, id=f"s{i}"))
        if suggestions:
            self.highlighted = min(keep or 0, len(suggestions) - 1)
