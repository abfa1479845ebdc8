"""ConfirmUpdate: before writing a fact that updates others, show old and new side by side."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from facts.suggest.render import fields_line, label
from facts.text import one_line


def comparison(suggestion, base) -> Text:
    """'Old' facts (with their quotes) and the 'new' one, as plain Text."""
    out = Text()
    for relation, fact_id in suggestion.updates:
        fact = base.get(fact_id) if base is not None else None
        out.append(f"OLD ({relation.replace('_', ' ')} this): ", style="bold")
        if fact is None:
            out.append(f"{fact_id} (no longer in the knowledge base)\n")
            continue
        out.append(f"{fact.kind} {fact.id}\n")
        out.append(f"  {one_line(fact.text, 300)}\n")
        for source in fact.sources[:1]:
            date = f" ({source.reported})" if source.reported else ""
            out.append(f'  "{one_line(source.quote, 200)}" — {source.article}{date}\n', style="dim")
    out.append("\nNEW: ", style="bold")
    out.append(f"{label(suggestion)} {suggestion.id}\n")
    out.append(f"  {one_line(fields_line(suggestion), 400)}\n")
    out.append(f'  "{one_line(suggestion.quote, 200)}" — {suggestion.article}\n', style="dim")
    for why in suggestion.why:
        out.append(f"  {one_line(why, 200)}\n", style="italic")
    out.append("\nBoth stay; the new one is linked to the old. Write it?  y: write   n / esc: cancel")
    return out


class ConfirmUpdate(ModalScreen[bool]):
    """Old and new before an accept that supersedes or conflicts with known facts."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Write", id="confirm.yes", tooltip="Write the new fact"),
        Binding("n,escape", "answer(False)", "Cancel", id="confirm.no", tooltip="Do not write it"),
    ]

    def __init__(self, suggestion, base) -> None:
        super().__init__()
        self.body = comparison(suggestion, base)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="confirm-box"):
            yield Static(self.body, id="confirm-text", markup=False)
        yield Footer(compact=True)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
