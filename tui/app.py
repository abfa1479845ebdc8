"""AllianceApp: opens the knowledge base and shows it on the main screen.

The first frame is drawn before any index work; the knowledge base is opened (and the
index built or updated) on the knowledge service thread, with progress shown.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from textual import events
from textual.app import App
from textual.binding import Binding

from facts.problems import error_summary
from facts.text import safe_for_terminal
from tui.collector import Collector
from tui.commands import EntryCommands
from tui.screens.help import HELP_BINDING, HelpScreen, key_label
from tui.screens.main import MainScreen
from tui.screens.too_small import TooSmallScreen, fits
from tui.searches import Searches
from tui.service import KnowledgeService
from tui.widgets.company_list import CompanyOptions
from tui.widgets.lineup_tree import LineupTree
from tui.widgets.partnership_table import PartnershipGrid, PartnershipTable
from tui.widgets.profile_view import ProfileView
from tui.widgets.reader import Reader
from tui.widgets.result_options import ResultOptions
from tui.widgets.search_bar import SearchBar
from tui.widgets.source_view import SourceView
from tui.widgets.timeline_view import TimelineView

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from facts.corpus import Corpus

class PaletteAction(NamedTuple):
    """A command palette entry made from a binding: run `action` on the `target` widget
    (the main screen when None)."""

    title: str
    help: str
    action: str
    target: type | None


def _own(classes: tuple[type, ...]) -> list[Binding]:
    """The classes' own bindings, each once (the help key is on the app and the main screen)."""
    seen: set[str | None] = set()
    out = []
    for cls in classes:
        for binding in cls.BINDINGS:
            if isinstance(binding, Binding) and (binding.id is None or binding.id not in seen):
                seen.add(binding.id)
                out.append(binding)
    return out


class AllianceApp(App):
    """The terminal browser."""

    CSS_PATH = "app.tcss"
    TITLE = "alliance"
    COMMANDS = App.COMMANDS | {EntryCommands}
    BINDINGS = [
        HELP_BINDING,
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit", tooltip="Quit"),
    ]

    def __init__(self, corpus: Corpus, index_dir: Path | None = None, theme: str | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.index_dir = index_dir
        self.kb = None
        self.service = KnowledgeService(self)
        self.searches = Searches(self)
        self.collector = Collector(self)
        self._theme_name = theme

    def get_default_screen(self) -> MainScreen:
        return MainScreen(id="main")

    @property
    def main(self) -> MainScreen:
        """The panes' screen (the bottom of the stack; the review or a form may be above it)."""
        return self.screen_stack[0]

    def on_mount(self) -> None:
        if self._theme_name:
            if self._theme_name in self.available_themes:
                self.theme = self._theme_name
            else:
                self.notify(f"No theme '{self._theme_name}'; themes: {', '.join(sorted(self.available_themes))}",
                            severity="warning")
        if not fits(*self.size) and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen(*self.size))

    def open_knowledge(self) -> None:
        """Open the knowledge base on the service thread (called once the panes are mounted)."""
        self.run_worker(self.service.loop, thread=True, group="knowledge", exit_on_error=False,
                        name="knowledge service")
        self.service.submit("open", self._open_knowledge, self._knowledge_ready, self._knowledge_failed)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast that shows its text literally: messages quote names, titles and file names."""
        super().notify(safe_for_terminal(str(message)), title=safe_for_terminal(title), severity=severity,
                       timeout=timeout, markup=False)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.collector.key()
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.service.stop()
        self.searches.close()
        self.collector.stop()

    def on_resize(self, event) -> None:
        """Below MIN_WIDTH x MIN_HEIGHT a notice covers every screen; growing again uncovers
        what was there, focus included."""
        width, height = event.size
        top = self.screen
        if fits(width, height):
            while isinstance(self.screen, TooSmallScreen):
                self.pop_screen()
        elif isinstance(top, TooSmallScreen):
            top.show_size(width, height)
        else:
            self.push_screen(TooSmallScreen(width, height))

    # -- knowledge base ----------------------------------------------------------------------------

    def _open_knowledge(self, _kb):
        """On the service thread: open the last index at once and check the corpus behind it
        (`_check_knowledge`, the next job); build or update first when there is no index this
        version can read."""
        from search.kb import KnowledgeBase

        kb = KnowledgeBase(self.corpus, self.index_dir)
        if kb.open_last():
            self.service.submit("check", self._check_knowledge, self._knowledge_checked, self._check_failed)
        else:
            kb.ensure(progress=self._progress, waiting=self._waiting)
        self._read_facts(kb)
        self.service.kb = kb
        self.searches.start(kb)  # searches go to the search process once it is up
        return kb

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.call_from_thread(self.main.show_progress, stage, done, total)

    def _waiting(self) -> None:
        self.call_from_thread(self.main.show_status, "Waiting for another alliance process to finish indexing…")

    @staticmethod
    def _read_facts(kb) -> None:
        """Read the saved facts here, off the UI thread."""
        kb.facts  # noqa: B018
        # The facts live as long as the app: keep the collector from walking them again and
        # again (a full collection over a large corpus's facts stops every thread for ~0.3 s).
        gc.collect()
        gc.freeze()

    def _check_knowledge(self, kb):
        """On the service thread, with the panes already filled from the last index: bring the
        index up to date with the corpus. The knowledge base when that changed what it shows."""
        shown, notices = kb.facts, len(kb.notices)
        kb.ensure(progress=self._progress, waiting=self._waiting)
        if kb.facts is shown:  # nothing changed: the index was opened again only if it did
            return None
        self._read_facts(kb)
        return kb, notices

    def _knowledge_checked(self, changed) -> None:
        self.main.knowledge_checked(changed is not None)
        if changed is not None:
            kb, notices = changed
            self.knowledge_changed(kb)
            for notice in kb.notices[notices:]:
                self.notify(notice, severity="warning", timeout=8)

    def _check_failed(self, exc: Exception) -> None:
        self.main.knowledge_checked(False)
        self.notify(f"The corpus could not be checked for changes ({exc}); showing the index as it was.",
                    title="Index not updated", severity="warning", timeout=15)

    def _knowledge_ready(self, kb) -> None:
        self.kb = kb
        self.main.knowledge_ready()
        # The panes just filled live as long as the facts: out of the collector's way too once
        # drawn; full collections wait for a pause in the typing (tui/collector.py).
        self.call_after_refresh(self.collector.start)
        for notice in kb.notices:
            self.notify(notice, severity="warning", timeout=8)
        summary = error_summary(kb.errors)
        if summary:
            self.notify(f"The corpus has {summary}. Run 'alliance check' for all.", severity="warning", timeout=10)
        self.main.search_again()

    def knowledge_changed(self, kb) -> None:
        """The facts changed on disk and the index was updated: refill the panes and the search."""
        if kb is None:
            return
        self.kb = kb
        self.main.knowledge_changed()

    def _knowledge_failed(self, exc: Exception) -> None:
        self.main.knowledge_failed(exc)
        self.notify(str(exc), title="Cannot open the knowledge base", severity="error", timeout=30)

    # -- help and the command palette -----------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.binding_groups()))

    def _key_places(self) -> list[tuple[str, tuple[type, ...], list[Binding]]]:
        """Where keys apply: (title, the classes whose BINDINGS apply there, built-in keys
        worth listing). The help screen and the command palette are both made from it."""
        from tui.screens.help import HelpScreen as _Help

        return [
            ("Everywhere", (MainScreen, AllianceApp), [Binding("ctrl+p", "command_palette", "Command palette: jump to any entry, article or action")]),
            ("Search box", (SearchBar,), []),
            ("Companies (type to filter)", (CompanyOptions,), [Binding("enter", "select", "Select: open its entry and narrow the other panes to it")]),
            ("Lineup", (LineupTree,), [Binding("enter", "select", "Open the entry of a car, platform or maker"), Binding("space", "toggle", "Fold or unfold")]),
            ("Partnerships", (PartnershipGrid, PartnershipTable), [Binding("enter", "select", "Open the partnership's entry")]),
            ("Search results", (ResultOptions,), [Binding("enter", "select", "Open: a fact at its quote, an article at its first hit")]),
            ("Source", (SourceView, Reader), []),
            ("Entry (profile)", (ProfileView,), [Binding("enter", "select", "Open a fact's quote or a name's entry")]),
            ("Timeline", (TimelineView,), [Binding("enter", "select", "Show the entry's quote in its source")]),
            ("Help", (_Help,), []),
        ]

    def binding_groups(self) -> list[tuple[str, list[Binding]]]:
        """Every binding of the app and its panes, for the help screen."""
        return [(title, _own(classes) + extra)
                for title, classes, extra in self._key_places()]

    def palette_actions(self) -> list[PaletteAction]:
        """The command palette's actions: every key with a tooltip, where it applies (list
        movement, the search box's own keys and help's are left out)."""
        out = []
        seen: set[str | None] = set()
        for where, classes, _extra in self._key_places():
            if where in ("Search box", "Help"):
                continue
            for cls in classes:
                everywhere = cls in (MainScreen, AllianceApp)
                for binding in _own((cls,)):
                    if not binding.tooltip or (binding.id or "").startswith("list.") or binding.action == "quit" \
                            or (everywhere and binding.id in seen):
                        continue
                    seen.add(binding.id)
                    keys = key_label(binding.key)
                    help_text = keys if everywhere else f"{keys} in {where.split(' (')[0].lower()}"
                    title = binding.tooltip  # the footer's word first: what people search for
                    if not title.lower().startswith(binding.description.lower()):
                        title = f"{binding.description}: {title[0].lower()}{title[1:]}"
                    out.append(PaletteAction(title, help_text, binding.action, None if everywhere else cls))
        return out

    def get_system_commands(self, screen):
        """Textual's commands, then every action with a key (from the bindings), then themes."""
        from functools import partial

        from textual.app import SystemCommand

        yield from super().get_system_commands(screen)
        for item in self.palette_actions():
            yield SystemCommand(item.title, item.help, partial(self._run_palette_action, item))
        yield SystemCommand("Use ANSI colours", "For terminals that mangle true colour (theme ansi-dark)",
                            self.action_ansi_theme)

    def _run_palette_action(self, item: PaletteAction) -> None:
        target = self.screen.query(item.target).first() if item.target is not None else self.main
        self.call_later(target.run_action, item.action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, TooSmallScreen):
            return action == "quit"
        return True

    # -- palette-only actions -------------------------------------------------------------------------

    def action_ansi_theme(self) -> None:
        self.theme = "ansi-light" if self.theme == "ansi-dark" else "ansi-dark"
