"""HelpScreen: every key binding, grouped by where it applies."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

QUERY_HELP = (
    "Query language: plain words (documents with all of them first), \"quoted phrases\",\n"
    "AND, OR, NOT or -word, ( ), prefix ampr*, typo tolerance (renualt finds renault),\n"
    "fields: kind:partnership company:nissan person: vehicle: platform: technology:\n"
    "status:in-talks year:2024 source:002*"
)

# On the app (for every screen) and on the main screen (for its footer's order).
HELP_BINDING = Binding("f1,question_mark", "help", "Help", id="app.help", tooltip="Show every key")


def key_label(keys: str) -> str:
    """'j,down' -> 'j / down'; key names as people write them."""
    names = {"question_mark": "?", "slash": "/", "escape": "esc", "backspace": "backspace",
             "alt+left": "alt+left", "space": "space", "pagedown": "pgdn", "pageup": "pgup"}
    return " / ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


def binding_rows(groups: list[tuple[str, list[Binding]]]) -> Table:
    """A two-column table: keys, then what they do, group by group."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for title, bindings in groups:
        table.add_row(Text(title, style="bold underline"), "")
        for binding in bindings:
            table.add_row(Text(key_label(binding.key)), Text(binding.tooltip or binding.description))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    """All the keys. Any of esc, q, ? or F1 closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close"),
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 100; height: 90%; border: heavy $accent;
        background: $panel; padding: 0 1; }
    """

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys (esc closes)"
            yield Static(Group(binding_rows(self.groups), Text(QUERY_HELP, style="dim")), id="help-text",
                         markup=False)

    def action_scroll_down(self) -> None:
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(VerticalScroll).scroll_up()
