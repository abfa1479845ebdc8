"""EditSuggestion: a form with the kind's fields, checked as you type like `alliance check`."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from facts.kinds import BOOL, NUMBER, REFS, TEXTS, VALUE
from facts.suggest.checking import check_edit
from tui.widgets.plain_input import PlainInput

_SKIP = ("sources",)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parsed(ftype: str, text: str):
    text = text.strip()
    if not text:
        return None
    if ftype in (REFS, TEXTS):
        return [part.strip() for part in text.split(",") if part.strip()]
    if ftype in (NUMBER, VALUE):
        try:
            return int(text) if text.lstrip("-").isdigit() else float(text)
        except ValueError:
            return text
    if ftype == BOOL:
        return {"true": True, "yes": True, "false": False, "no": False}.get(text.lower(), text)
    return text


class EditSuggestion(ModalScreen[dict | None]):
    """Edit a suggestion's fields and quote; ctrl+s keeps the edit once the checker has nothing to say."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Keep edit", id="edit.save", tooltip="Keep the edited suggestion (when it checks)"),
        Binding("escape", "cancel", "Cancel", id="edit.cancel", tooltip="Leave the suggestion as it was"),
    ]

    def __init__(self, suggestion, article_raw: str, base) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.raw = article_raw
        self.base = base
        self.messages: list[str] = []

    def compose(self) -> ComposeResult:
        s = self.suggestion
        with VerticalScroll(id="edit-form"):
            yield Static(Text(f"Edit {s.kind} — ctrl+s keeps it, esc cancels", style="bold"), markup=False)
            for spec in s.spec.fields:
                if spec.name in _SKIP:
                    continue
                with Horizontal(classes="edit-row"):
                    yield Label(Text(spec.name + ("*" if spec.required else "")), classes="edit-label")
                    yield PlainInput(_shown(s.values.get(spec.name)), id=f"field-{spec.name}", compact=True)
            with Horizontal(classes="edit-row"):
                yield Label(Text("quote*"), classes="edit-label")
                yield PlainInput(s.quote, id="field-quote", compact=True)
        yield Static(id="edit-problems", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.recheck()
        self.query(Input).first().focus()

    def record(self) -> dict:
        s = self.suggestion
        out: dict = {}
        for spec in s.spec.fields:
            if spec.name in _SKIP:
                continue
            value = _parsed(spec.type, self.query_one(f"#field-{spec.name}", Input).value)
            if value is not None:
                out[spec.name] = value
        out["sources"] = [{"article": s.article, "quote": self.query_one("#field-quote", Input).value}]
        return out

    @on(Input.Changed)
    def recheck(self) -> None:
        self.messages = check_edit(self.suggestion.kind, self.record(), self.raw, self.base, self.suggestion.new)
        box = self.query_one("#edit-problems", Static)
        if self.messages:
            box.update(Text("\n".join(self.messages), style="bold"))
        else:
            box.update(Text("checks: no problems (ctrl+s to keep)"))
        box.set_class(bool(self.messages), "-problems")

    def action_save(self) -> None:
        self.recheck()
        if self.messages:
            self.notify("Fix the problems shown first", severity="warning")
            return
        self.dismiss(self.record())

    def action_cancel(self) -> None:
        self.dismiss(None)
