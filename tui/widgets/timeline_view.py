"""TimelineView: what happened when, then the targets set, for everything or one company.

Each entry is one wrapped line beside its date; Enter (or o) shows its quote in its source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from facts.profile import ESTIMATE_LEGEND
from facts.timeline import split
from tui.messages import OpenFact
from tui.widgets.list_keys import list_keys

if TYPE_CHECKING:
    from facts.timeline import Entry

DATE_WIDTH = 12
# At most this many entries are listed (each costs ~2 ms to lay out): the most recent of what
# happened and the nearest targets. The CLI lists them all.
SHOWN_HAPPENED, SHOWN_TARGETS = 250, 50


def entry_option(entry: Entry) -> Option:
    """'26 Apr 2024  event: …' with the text wrapped beside the date; Enter shows the quote."""
    body = Text(f"{entry.what}: ", style="italic")
    body.append(entry.fact.text)
    if entry.type == "target":
        set_on, estimated = entry.set_on
        if set_on is not None:
            body.append(f"  (set {set_on.label(estimated)})", style="dim")
    if entry.note:
        body.append(f"\nNote: {entry.note}", style="italic")
    grid = Table.grid(padding=0)
    grid.add_column(width=DATE_WIDTH)
    grid.add_column(ratio=1)
    grid.add_row(Text(entry.date_label, style="bold"), body)
    return Option(grid, id=f"entry:{entry.source}:{entry.fact.id}")


class TimelineView(OptionList):
    """The timeline: Enter (or o) on an entry shows its quote in its source."""

    BINDINGS = [
        *list_keys(),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.company: str | None = None
        self.entries: list[Entry] = []

    def show(self, company: str | None, entries: list[Entry]) -> None:
        """Fill the view with a timeline (of `company`, or of everything when it is None)."""
        self.company = company
        happened, targets = split(entries)
        shown_happened, shown_targets = happened[-SHOWN_HAPPENED:], targets[:SHOWN_TARGETS]
        self.entries = shown_happened + shown_targets
        self.clear_options()
        if any(e.estimated or e.fact.sources[e.source].reported_estimated for e in self.entries):
            self.add_option(Option(Text(ESTIMATE_LEGEND, style="dim"), disabled=True))
        if len(self.entries) < len(entries):
            self.add_option(Option(Text(
                f"Showing the {len(shown_happened)} latest of {len(happened)} dated entries and the "
                f"{len(shown_targets)} nearest of {len(targets)} targets: narrow to a company (1, Enter) "
                "or run 'alliance timeline' for all.", style="italic"), disabled=True))
        for title, group, total in (("What happened", shown_happened, len(happened)),
                                    ("Targets: dates in the future of the article that sets them",
                                     shown_targets, len(targets))):
            if group:
                self.add_option(Option(Text(f"{title} ({total})", style="bold underline"), disabled=True))
                self.add_options(entry_option(e) for e in group)
        if not entries:
            self.add_option(Option(Text("Nothing dated.", style="dim"), disabled=True))
        self.action_first()
        self.scroll_home(animate=False)

    def selected(self) -> tuple[str, int] | None:
        """(fact id, source index) of the entry under the cursor."""
        if self.highlighted is None:
            return None
        kind, _, rest = (self.get_option_at_index(self.highlighted).id or "").partition(":")
        if kind != "entry":
            return None
        source, _, fact_id = rest.partition(":")
        return fact_id, int(source)

    def selected_fact_id(self) -> str | None:
        chosen = self.selected()
        return chosen[0] if chosen else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = self.selected()
        if chosen is not None:
            self.post_message(OpenFact(*chosen))

    def action_first(self) -> None:
        self.highlighted = next((i for i, o in enumerate(self.options) if not o.disabled), None)

    def action_last(self) -> None:
        if self.option_count:
            self.highlighted = self.option_count - 1
