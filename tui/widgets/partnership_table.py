"""PartnershipTable: every partnership, joint venture and set of talks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from facts.dates import PartialDate
from facts.describe import label
from facts.kinds import PARTNERSHIP_STATUSES
from tui.labels import reported_label
from tui.messages import OpenEntity
from tui.widgets.list_keys import list_keys

if TYPE_CHECKING:
    from facts.base import FactBase
    from facts.model import Fact

STATUS_FILTERS = (None, *PARTNERSHIP_STATUSES)
FIXED = {"parties": 19, "status": 9, "date": 10, "type": 13}  # column widths; "covers" takes the rest
MIN_COVERS = 12


def _cell(value: str) -> Text:
    """A cell cut with '…' when it is wider than its column."""
    return Text(value, no_wrap=True, overflow="ellipsis", end="")


class PartnershipGrid(DataTable):
    """The table: j/k move, Enter opens the partnership's entry."""

    BINDINGS = [
        *list_keys("scroll_top", "scroll_bottom"),
    ]


class PartnershipTable(Vertical):
    """Partnerships pane: filter by the selected company and (s) by status."""

    BINDINGS = [
        Binding("s", "cycle_status", "Status filter", id="partnerships.status",
                tooltip="Show only active, announced, in-talks, planned or ended partnerships"),
    ]

    company: reactive[str | None] = reactive(None, init=False)  # bound to the app's narrowing

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.base: FactBase | None = None
        self.status: str | None = None
        self.rows: list[Fact] = []

    def compose(self) -> ComposeResult:
        yield Static(id="partnership-filter", markup=False)
        yield PartnershipGrid(id="partnership-grid", cursor_type="row", zebra_stripes=True)
        yield Static(id="partnership-detail", markup=False)

    @property
    def grid(self) -> PartnershipGrid:
        return self.query_one(PartnershipGrid)

    def on_mount(self) -> None:
        for key, width in FIXED.items():
            self.grid.add_column(key.title(), key=key, width=width)
        self.grid.add_column("Covers", key="covers", width=MIN_COVERS)

    def on_resize(self) -> None:
        """The 'Covers' column takes the width the others leave (no sideways scrolling)."""
        grid = self.grid
        padding = 2 * grid.cell_padding * (len(FIXED) + 1)
        room = grid.scrollable_content_region.width or self.size.width
        width = max(MIN_COVERS, room - sum(FIXED.values()) - padding)
        column = grid.columns.get("covers")
        if column is not None and column.width != width:
            column.width = width
            column.auto_width = False
            grid.refresh()

    def load(self, base: FactBase) -> None:
        self.base = base
        self.rebuild()

    def watch_company(self) -> None:
        self.rebuild()

    def action_cycle_status(self) -> None:
        self.status = STATUS_FILTERS[(STATUS_FILTERS.index(self.status) + 1) % len(STATUS_FILTERS)]
        self.rebuild()

    def clear_status(self) -> None:
        self.status = None
        self.rebuild()

    def rebuild(self) -> None:
        if self.base is None:
            return
        base = self.base
        rows = [p for p in base.of_kind("partnership")
                if (self.company is None or self.company in p.get("parties", []))
                and (self.status is None or p.get("status") == self.status)]
        rows.sort(key=lambda p: (p.get("date") or p.reported or PartialDate(1), p.name), reverse=True)
        self.rows = rows
        grid = self.grid
        keep = self.selected_fact_id()
        grid.clear()
        for p in rows:
            parties = " + ".join(base.name_of(x) for x in p.get("parties", []))
            date = str(p.get("date") or "") or str(p.reported or "")
            grid.add_row(_cell(parties), _cell(label(p.get("status"))), _cell(date),
                         _cell(label(p.get("type"))), _cell(p.get("covers", "")), key=p.id)
        line = Text(f"{len(rows)} of {len(base.of_kind('partnership'))} · ", style="dim")
        line.append(f"company: {base.name_of(self.company)} · " if self.company else "", style="dim")
        line.append_text(self._status_cycle())
        self.query_one("#partnership-filter", Static).update(line)
        ids = [p.id for p in rows]
        if keep in ids:
            grid.move_cursor(row=ids.index(keep))
        self._detail()

    def _status_cycle(self) -> Text:
        """'s: any > active > announced > ...', the current one reversed (not colour alone)."""
        out = Text("s: ", style="dim")
        for index, status in enumerate(STATUS_FILTERS):
            if index:
                out.append(" > ", style="dim")
            name = label(status) if status else "any"
            out.append(name, style="bold reverse" if status == self.status else "dim")
        return out

    @on(DataTable.RowHighlighted)
    def _detail(self, event: DataTable.RowHighlighted | None = None) -> None:
        fact = self.base.get(self.selected_fact_id() or "") if self.base else None
        detail = self.query_one("#partnership-detail", Static)
        if fact is None:
            detail.update(Text("No partnership matches these filters.", style="italic") if self.base else "")
            return
        text = Text(fact.name, style="bold")
        text.append(f"  [{label(fact.get('status'))}]  {reported_label(self.base, fact)}, "
                    f"{len(fact.sources)} source{'s' if len(fact.sources) != 1 else ''}", style="dim")
        text.append("\n")
        text.append(fact.get("covers", ""))
        detail.update(text)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(OpenEntity(str(event.row_key.value)))

    def selected_fact_id(self) -> str | None:
        grid = self.grid
        if not self.rows or grid.cursor_row is None or grid.cursor_row >= len(self.rows):
            return None
        return self.rows[grid.cursor_row].id
