"""CompanyList: every company and brand with its fact count; type to filter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from facts.describe import label
from facts.names import fold
from facts.text import safe_for_terminal
from tui.widgets.list_keys import list_keys
from tui.widgets.plain_input import PlainInput

if TYPE_CHECKING:
    from facts.base import FactBase
    from facts.model import Fact


class CompanyOptions(OptionList):
    """The list itself: j/k move, and any other letter starts filtering."""

    BINDINGS = [
        *list_keys(),
        Binding("f", "filter", "Filter", id="companies.filter", tooltip="Type to filter the companies"),
    ]

    def on_key(self, event: Key) -> None:
        if event.key in self.app.active_bindings or not event.is_printable or not event.character:
            return  # a key with a binding keeps its meaning
        if event.character.isalnum() or event.character in " -'&.":
            event.stop()
            event.prevent_default()
            self.parent.start_filter(event.character)

    def action_filter(self) -> None:
        self.parent.start_filter("")


def count_label(count: int, noun: str) -> str:
    """'39 facts', '1 article'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


class CompanyList(Vertical):
    """Companies pane. Enter selects a company: its profile opens and other panes narrow to it."""

    class Selected(Message):
        def __init__(self, company_id: str) -> None:
            super().__init__()
            self.company_id = company_id

    company: reactive[str | None] = reactive(None, init=False)  # bound to the app's narrowing (marked *)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.base: FactBase | None = None
        self.companies: list[tuple[Fact, int]] = []
        self._widths = (7, 10)  # of the fact and article counts

    def compose(self) -> ComposeResult:
        yield PlainInput(placeholder="type to filter", id="company-filter", select_on_focus=False)
        yield CompanyOptions(id="company-options")

    @property
    def options(self) -> CompanyOptions:
        return self.query_one(CompanyOptions)

    def load(self, base: FactBase) -> None:
        self.base = base
        counted = [(f, base.count_for(f.id)) for f in base.of_kind("company")]
        self.companies = sorted(counted, key=lambda fc: (-fc[1], fc[0].name.lower()))
        # Fixed widths for the two counts, so that they line up from row to row.
        self._widths = (max((len(count_label(n, "fact")) for _, n in counted), default=7),
                        max((len(count_label(base.article_count(f.id), "article")) for f, _ in counted), default=10))
        self._refill()

    def watch_company(self) -> None:
        if self.base is not None:
            self._refill()

    def _matches(self, fact: Fact, needle: str) -> bool:
        if not needle:
            return True
        return any(needle in fold(name) for name in (fact.name, *fact.aliases, fact.id))

    def _refill(self) -> None:
        needle = fold(self.query_one(Input).value.strip())
        options = self.options
        keep = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        shown = [(f, n) for f, n in self.companies if self._matches(f, needle)]
        for fact, count in shown:
            options.add_option(Option(self._row(fact, count), id=fact.id))
        if not shown:
            options.add_option(Option(Text(f"No company matches “{safe_for_terminal(needle)}”.", style="italic"), disabled=True))
        ids = [f.id for f, _ in shown]
        options.highlighted = ids.index(keep) if keep in ids else (0 if ids else None)

    def _row(self, fact: Fact, count: int) -> Table:
        """'* Nissan   39 facts  4 articles  automaker' on one line, the name cut short if need be."""
        active = fact.id == self.company
        row = Table.grid(padding=(0, 1), expand=True)
        row.add_column(width=1)
        row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        row.add_column(width=self._widths[0], no_wrap=True, justify="right")
        row.add_column(width=self._widths[1], no_wrap=True, justify="right")
        row.add_column(width=13, no_wrap=True, overflow="ellipsis")
        articles = self.base.article_count(fact.id)
        row.add_row("*" if active else " ", Text(fact.name, style="bold" if active else ""),
                    Text(count_label(count, "fact")), Text(count_label(articles, "article"), style="" if articles else "dim"),
                    Text(label(fact.get("type")), style="dim"))
        return row

    def start_filter(self, text: str) -> None:
        box = self.query_one(Input)
        box.value += text
        box.focus()
        box.cursor_position = len(box.value)

    @on(Input.Changed, "#company-filter")
    def _filter(self) -> None:
        self._refill()

    @on(Input.Submitted, "#company-filter")
    def _submit(self) -> None:
        options = self.options
        if options.highlighted is not None:
            options.focus()
            options.action_select()

    def on_key(self, event: Key) -> None:
        box = self.query_one(Input)
        if not box.has_focus:
            return
        if event.key in ("down", "up", "pagedown", "pageup"):
            event.stop()
            {"down": self.options.action_cursor_down, "up": self.options.action_cursor_up,
             "pagedown": self.options.action_page_down, "pageup": self.options.action_page_up}[event.key]()
        elif event.key == "escape":
            event.stop()
            if box.value:
                box.value = ""
            else:
                self.options.focus()

    @on(OptionList.OptionSelected, "#company-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Selected(event.option.id))

    def selected_fact_id(self) -> str | None:
        option = self.options.highlighted_option
        return option.id if option is not None else None
