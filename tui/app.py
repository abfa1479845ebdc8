"""AllianceApp: companies, the vehicle lineup, partnerships, search results and the source.

The first frame is drawn before any index work; the knowledge base is opened (and the
index built or updated) on the knowledge service thread, with progress shown.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import (
    DataTable,
    Footer,
    Label,
    OptionList,
    ProgressBar,
    Static,
    Tab,
    Tabs,
    Tree,
)

from facts.problems import error_summary
from facts.text import safe_for_terminal
from tui.commands import EntryCommands
from tui.labels import clip_text, plural
from tui.messages import OpenArticle, OpenEntity, OpenFact
from tui.screens.help import HelpScreen, key_label
from tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen, fits
from tui.service import KnowledgeService
from tui.widgets.company_list import CompanyList, CompanyOptions
from tui.widgets.lineup_tree import LineupTree
from tui.widgets.narrowing_label import NarrowingLabel
from tui.widgets.pane import Pane
from tui.widgets.partnership_table import PartnershipGrid, PartnershipTable
from tui.widgets.profile_view import ProfileView
from tui.widgets.reader import Location, Reader
from tui.widgets.search_bar import SearchBar
from tui.widgets.search_results import ResultOptions, SearchResults
from tui.widgets.source_view import SourceView
from tui.widgets.timeline_view import TimelineView

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from facts.corpus import Corpus

class PaletteAction(NamedTuple):
    """A command palette entry made from a binding: run `action` on the `target` widget
    (the app when None)."""

    title: str
    help: str
    action: str
    target: type | None


def _own(cls) -> list[Binding]:
    return [b for b in cls.BINDINGS if isinstance(b, Binding)]


# Pane names in number order (1-5), their titles, and the widget that takes focus in each.
PANES = ("companies", "lineup", "partnerships", "results", "reader")
TITLES = {"companies": "Companies", "lineup": "Lineup", "partnerships": "Partnerships",
          "results": "Search results", "reader": "Source"}
# Actions on the panes: off while another screen (the review, a form) is on top; tab then
# moves between a form's fields.
_MAIN_SCREEN_ACTIONS = ("next_pane", "previous_pane", "pane", "focus_search", "open_quote", "copy", "back",
                        "clear_company", "review", "timeline", "cancel")


class AllianceApp(App):
    """The terminal browser."""

    CSS_PATH = "app.tcss"
    TITLE = "alliance"
    COMMANDS = App.COMMANDS | {EntryCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny-w"), (MIN_WIDTH, "-narrow"), (120, "-medium"), (180, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-tiny-h"), (MIN_HEIGHT, "-short"), (30, "-tall")]
    BINDINGS = [
        Binding("escape", "cancel", "Back", id="app.cancel",
                tooltip="Back: close the source (to the pane you came from), clear a filter, or stop narrowing"),
        Binding("slash", "focus_search", "Search", id="app.search",
                tooltip="A new query (the old one selected: type to replace it, up for older ones)"),
        Binding("f1,question_mark", "help", "Help", id="app.help", tooltip="Show every key"),
        Binding("tab", "next_pane", "Next pane", show=False, priority=True, id="app.next_pane",
                tooltip="Move to the next pane"),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, priority=True,
                id="app.previous_pane", tooltip="Move to the previous pane"),
        *(Binding(str(n), f"pane('{name}')", TITLES[name], show=False, id=f"app.pane{n}",
                  tooltip=f"Go to pane {n}: {TITLES[name]}") for n, name in enumerate(PANES, 1)),
        Binding("o", "open_quote", "Quote", id="app.quote", tooltip="Show the selected fact's quote in its source"),
        Binding("y", "copy", "Copy", id="app.copy", tooltip="Copy the selected fact with its citation (OSC 52)"),
        Binding("backspace,alt+left", "back", "Previous", show=False, id="app.back",
                tooltip="The previously shown article or entry"),
        Binding("t", "timeline", "Timeline", id="app.timeline",
                tooltip="What happened when, and the targets set (narrowed to the selected company)"),
        Binding("x", "clear_company", "All cos", id="app.clear",
                tooltip="Stop narrowing the panes to one company"),
        Binding("ctrl+r", "review", "Review", show=False, id="app.review",
                tooltip="Review suggested facts from the articles: accept, edit or reject them"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit", tooltip="Quit"),
    ]

    active_pane: reactive[str] = reactive("companies", init=False)
    left_pane: reactive[str] = reactive("companies", init=False)  # shown beside the source when split
    company: reactive[str | None] = reactive(None, init=False)

    def __init__(self, corpus: Corpus, index_dir: Path | None = None, theme: str | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.index_dir = index_dir
        self.kb = None
        self.service = KnowledgeService(self)
        self._theme_name = theme

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Label("alliance", id="brand")
            yield NarrowingLabel(id="narrowing", markup=False)
            yield SearchBar(id="search")
        yield Tabs(*(Tab(f"{n} {TITLES[name]}", id=f"tab-{name}") for n, name in enumerate(PANES, 1)),
                   id="pane-tabs")
        with Horizontal(id="deck"):
            with Pane(1, TITLES["companies"], id="pane-companies"):
                yield CompanyList(id="companies").data_bind(AllianceApp.company)
            with Pane(2, TITLES["lineup"], id="pane-lineup"):
                yield LineupTree(id="lineup").data_bind(AllianceApp.company)
            with Pane(5, TITLES["reader"], id="pane-reader"):
                yield Reader(id="reader")
            with Pane(3, TITLES["partnerships"], id="pane-partnerships"):
                yield PartnershipTable(id="partnerships").data_bind(AllianceApp.company)
            with Pane(4, TITLES["results"], id="pane-results"):
                yield SearchResults(id="results")
        with Horizontal(id="statusbar"):
            yield Static("Opening the knowledge base…", id="status", markup=False)
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self._theme_name:
            if self._theme_name in self.available_themes:
                self.theme = self._theme_name
            else:
                self.notify(f"No theme '{self._theme_name}'; themes: {', '.join(sorted(self.available_themes))}",
                            severity="warning")
        self.query_one("#pane-companies").add_class("-active", "-left")
        self.query_one(NarrowingLabel).show_name(None)
        self.query_one(CompanyOptions).focus()
        if not fits(*self.size) and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen(*self.size))
        self.run_worker(self.service.loop, thread=True, group="knowledge", exit_on_error=False,
                        name="knowledge service")
        self.service.submit("open", self._open_knowledge, self._knowledge_ready, self._knowledge_failed)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast that shows its text literally: messages quote names, titles and file names."""
        super().notify(safe_for_terminal(str(message)), title=safe_for_terminal(title), severity=severity,
                       timeout=timeout, markup=False)

    def on_unmount(self) -> None:
        self.service.stop()

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
        """On the service thread: build or update the index, then open it."""
        from search.kb import KnowledgeBase

        kb = KnowledgeBase(self.corpus, self.index_dir)

        def progress(stage: str, done: int, total: int) -> None:
            self.call_from_thread(self._progress, stage, done, total)

        def waiting() -> None:
            self.call_from_thread(self._status, "Waiting for another alliance process to finish indexing…")

        kb.ensure(progress=progress, waiting=waiting)
        kb.facts  # noqa: B018 - read the saved facts here, off the UI thread
        # The facts live as long as the app: keep the collector from walking them again and
        # again (a full collection over a large corpus's facts stops every thread for ~0.3 s).
        gc.collect()
        gc.freeze()
        self.service.kb = kb
        return kb

    def _progress(self, stage: str, done: int, total: int) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=total, progress=done)
        self._status(f"{stage}: {done} of {total}")

    def _status(self, text: str | Text) -> None:
        self.query_one("#status", Static).update(text if isinstance(text, Text) else Text(safe_for_terminal(text)))

    def _knowledge_ready(self, kb) -> None:
        self.kb = kb
        self.query_one(ProgressBar).display = False
        base = kb.facts
        self.query_one(CompanyList).load(base)
        self.query_one(LineupTree).load(base)
        self.query_one(PartnershipTable).load(base)
        self._show_status()
        for notice in kb.notices:
            self.notify(notice, severity="warning", timeout=8)
        summary = error_summary(kb.problems)
        if summary:
            self.notify(f"The corpus has {summary}. Run 'alliance check' for all.", severity="warning", timeout=10)
        query = self.query_one(SearchBar).value
        if query.strip():
            self._search(query)

    def knowledge_changed(self, kb) -> None:
        """The facts changed on disk and the index was updated: refill the panes and the search."""
        if kb is None:
            return
        self.kb = kb
        base = kb.facts
        main = self.screen_stack[0]  # the review screen may be on top
        main.query_one(CompanyList).load(base)
        main.query_one(LineupTree).load(base)
        main.query_one(PartnershipTable).load(base)
        counts = kb.manifest.get("counts", {})
        main.query_one("#status", Static).update(Text(
            f"{counts.get('articles', 0)} articles · {counts.get('facts', 0)} facts · {counts.get('entities', 0)} entries"))
        query = main.query_one(SearchBar).value
        if query.strip():
            main.query_one(SearchResults).search(query, self.company)

    def action_review(self) -> None:
        """Open the review of suggested facts (once the knowledge base is open)."""
        if self.kb is None:
            self.notify("The knowledge base is still opening", severity="warning")
            return
        from facts.suggest.store import ReviewStore, review_root
        from tui.screens.review import ReviewScreen

        root = review_root(self.corpus)
        self.push_screen(ReviewScreen(ReviewStore(root) if root is not None else None, self.kb.facts))

    def _knowledge_failed(self, exc: Exception) -> None:
        self.query_one(ProgressBar).display = False
        self._status(f"The knowledge base could not be opened: {exc}")
        self.notify(str(exc), title="Cannot open the knowledge base", severity="error", timeout=30)

    def _show_status(self) -> None:
        if self.kb is None:
            return
        counts = self.kb.manifest.get("counts", {})
        text = Text(" · ".join(plural(counts.get(key, 0), word) for key, word in
                               (("articles", "article"), ("facts", "fact"), ("entities", "entry"))))
        self._status(text)

    # -- panes and focus ---------------------------------------------------------------------------

    def pane_of(self, widget: Widget | None) -> str | None:
        while widget is not None:
            if isinstance(widget, Pane):
                return widget.id.removeprefix("pane-")
            widget = widget.parent
        return None

    def focus_target(self, name: str) -> Widget | None:
        if name == "reader":
            return self.query_one(Reader).shown
        return self.query_one({"companies": CompanyOptions, "lineup": LineupTree,
                               "partnerships": PartnershipGrid, "results": ResultOptions}[name])

    def show_pane(self, name: str, focus: bool = True) -> None:
        self.active_pane = name
        target = self.focus_target(name)
        if focus and target is not None:
            target.focus()

    def watch_active_pane(self, name: str) -> None:
        if name != "reader":
            self.left_pane = name
        for pane in self.query(Pane):
            pane.set_class(pane.id == f"pane-{name}", "-active")
        tabs = self.query_one(Tabs)
        if tabs.active != f"tab-{name}":
            tabs.active = f"tab-{name}"

    def on_descendant_focus(self, event) -> None:
        name = self.pane_of(event.widget if hasattr(event, "widget") else self.focused)
        if name and name != self.active_pane:
            self.active_pane = name

    @on(Tabs.TabActivated, "#pane-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        name = (event.tab.id or "").removeprefix("tab-")
        # A tab activated just before the app exits arrives once the panes are gone.
        if name in PANES and name != self.active_pane and event.tab.is_attached:
            self.show_pane(name)

    def watch_left_pane(self, name: str) -> None:
        for pane in self.query(Pane):
            pane.set_class(pane.id == f"pane-{name}", "-left")

    @property
    def layout_mode(self) -> str:
        """'grid' (all panes), 'split' (one pane beside the source) or 'single'."""
        screen = self.screen
        if not screen.has_class("-tall"):
            return "single"
        if screen.has_class("-wide"):
            return "grid"
        return "split" if screen.has_class("-medium") else "single"

    @property
    def wide(self) -> bool:
        """True when the source pane is always on screen."""
        return self.layout_mode != "single"

    def action_pane(self, name: str) -> None:
        self.show_pane(name)

    def _step_pane(self, step: int) -> None:
        focused_pane = self.pane_of(self.focused) or self.active_pane
        index = PANES.index(focused_pane)
        for _ in PANES:
            index = (index + step) % len(PANES)
            if self.focus_target(PANES[index]) is not None or self.layout_mode == "single":
                self.show_pane(PANES[index])
                return

    def action_next_pane(self) -> None:
        self._step_pane(+1)

    def action_previous_pane(self) -> None:
        self._step_pane(-1)

    def action_focus_search(self) -> None:
        self.query_one(SearchBar).focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.binding_groups()))

    def _key_places(self) -> list[tuple[str, tuple[type, ...], list[Binding]]]:
        """Where keys apply: (title, the classes whose BINDINGS apply there, built-in keys
        worth listing). The help screen and the command palette are both made from it."""
        from tui.screens.help import HelpScreen as _Help

        return [
            ("Everywhere", (AllianceApp,), [Binding("ctrl+p", "command_palette", "Command palette: jump to any entry, article or action")]),
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
        return [(title, [b for cls in classes for b in _own(cls)] + extra)
                for title, classes, extra in self._key_places()]

    def palette_actions(self) -> list[PaletteAction]:
        """The command palette's actions: every key with a tooltip, where it applies (list
        movement, the search box's own keys and help's are left out)."""
        out = []
        for where, classes, _extra in self._key_places():
            if where in ("Search box", "Help"):
                continue
            for cls in classes:
                for binding in _own(cls):
                    if not binding.tooltip or (binding.id or "").startswith("list.") or binding.action == "quit":
                        continue
                    keys = key_label(binding.key)
                    help_text = keys if cls is AllianceApp else f"{keys} in {where.split(' (')[0].lower()}"
                    title = binding.tooltip  # the footer's word first: what people search for
                    if not title.lower().startswith(binding.description.lower()):
                        title = f"{binding.description}: {title[0].lower()}{title[1:]}"
                    out.append(PaletteAction(title, help_text, binding.action,
                                             None if cls is AllianceApp else cls))
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
        target = self.screen.query(item.target).first() if item.target is not None else self
        self.call_later(target.run_action, item.action)

    # -- navigation --------------------------------------------------------------------------------

    def _reveal_reader(self) -> None:
        if not self.wide:
            self.show_pane("reader")

    @on(Reader.Shown)
    def _reader_shown(self) -> None:
        # Revealed before its content had arrived (nothing to focus then): focus it now,
        # unless the user has gone elsewhere meanwhile (another pane, the search box).
        if self.active_pane == "reader" and self.pane_of(self.focused) != "reader" \
                and not isinstance(self.focused, SearchBar):
            self.show_pane("reader")

    def open_entity(self, entity_id: str) -> None:
        if self.kb is None:
            return
        self.query_one(Reader).go(Location("entity", entity_id))
        self._after_navigation()

    def open_article(self, name: str, focus: int | None = None) -> None:
        if self.kb is None:
            return
        self.query_one(Reader).go(Location("article", name, focus=focus))
        self._after_navigation()

    def open_fact(self, fact_id: str, source: int = 0) -> None:
        fact = self.kb.facts.get(fact_id) if self.kb else None
        if fact is None:
            return
        source = source if 0 <= source < len(fact.sources) else 0
        self.query_one(Reader).go(Location("article", fact.sources[source].article, fact.id, source))
        self._after_navigation()

    def _after_navigation(self) -> None:
        self.refresh_bindings()
        if self.wide:
            return
        self.call_after_refresh(self._reveal_reader)

    @on(OpenFact)
    def _on_open_fact(self, event: OpenFact) -> None:
        self.open_fact(event.fact_id, event.source)

    @on(OpenEntity)
    def _on_open_entity(self, event: OpenEntity) -> None:
        self.open_entity(event.entity_id)

    @on(OpenArticle)
    def _on_open_article(self, event: OpenArticle) -> None:
        self.open_article(event.name, event.focus)

    def action_cancel(self) -> None:
        """Escape: close the source (back to the pane you came from), clear the pane's
        filter, or stop narrowing to a company: one step back, never quit."""
        name = self.pane_of(self.focused) or self.active_pane
        if name == "reader" and self.left_pane != "reader":
            self.show_pane(self.left_pane)
        elif name == "partnerships" and self.query_one(PartnershipTable).status is not None:
            self.query_one(PartnershipTable).clear_status()
        elif self.company is not None:
            self.action_clear_company()
        else:
            self.notify("Nothing to go back from (ctrl+q quits).", timeout=2)

    def action_back(self) -> None:
        if not self.query_one(Reader).back():
            self.notify("Nothing to go back to.", timeout=2)
            return
        self._after_navigation()

    # -- selection: quote and copy -------------------------------------------------------------------

    def selected_fact_id(self) -> str | None:
        """The fact under the cursor in the focused pane (or shown in the source)."""
        name = self.pane_of(self.focused) or self.active_pane
        widget = {"companies": CompanyList, "lineup": LineupTree, "partnerships": PartnershipTable,
                  "results": SearchResults, "reader": Reader}[name]
        pane = self.query_one(widget)
        fact_id = pane.current_fact_id() if isinstance(pane, Reader) else pane.selected_fact_id()
        return fact_id if fact_id and self.kb and self.kb.facts.get(fact_id) else None

    def _selected_article_hit(self):
        return self.query_one(SearchResults).selected_hit() if self.pane_of(self.focused) == "results" else None

    def action_timeline(self) -> None:
        if self.kb is None:
            self.notify("The knowledge base is still opening.", severity="warning", timeout=3)
            return
        reader = self.query_one(Reader)
        reader.focus_timeline = True
        reader.go(Location("timeline", self.company or ""))
        self._after_navigation()

    def _quote_target(self):
        """What `o` opens from where the cursor is, as a callable, or None: a fact's quote, an
        article result at its first hit, a profile's "Mentioned in" line at that sentence."""
        from functools import partial

        if isinstance(self.focused, TimelineView) and (chosen := self.focused.selected()):
            return partial(self.open_fact, *chosen)
        fact_id = self.selected_fact_id()
        if fact_id is not None:
            return partial(self.open_fact, fact_id)
        hit = self._selected_article_hit()
        if hit is not None:
            return partial(self.query_one(SearchResults).open, hit)
        mention = self.query_one(ProfileView).selected_mention() if self.pane_of(self.focused) == "reader" else None
        return partial(self.open_article, *mention) if mention is not None else None

    def action_open_quote(self) -> None:
        target = self._quote_target()
        if target is None:
            self.notify("Select a fact first.", severity="warning", timeout=3)
            return
        target()

    def action_copy(self) -> None:
        fact_id = self.selected_fact_id()
        if fact_id is None:
            self.notify("Select a fact to copy.", severity="warning", timeout=3)
            return
        fact = self.kb.facts.get(fact_id)
        text = clip_text(self.kb.facts, fact)
        self.copy_to_clipboard(text)
        self.notify(f"Copied to the clipboard: {fact.text[:60]}{'…' if len(fact.text) > 60 else ''}", timeout=4)

    # -- company narrowing ---------------------------------------------------------------------------

    @on(CompanyList.Selected)
    def _company_selected(self, event: CompanyList.Selected) -> None:
        self.company = event.company_id
        self.open_entity(event.company_id)

    def watch_company(self, company: str | None) -> None:
        if self.kb is None:
            return
        name = self.kb.facts.name_of(company) if company else ""
        self.query_one(NarrowingLabel).show_name(name or None)
        for pane_id in ("pane-lineup", "pane-partnerships", "pane-results"):
            self.query_one(f"#{pane_id}", Pane).set_note(name)
        query = self.query_one(SearchBar).value
        if query.strip():
            self._search(query)
        reader = self.query_one(Reader)
        if reader.location is not None and reader.location.kind == "timeline":
            reader.go(Location("timeline", company or ""), remember=False)
        self._show_status()
        self.refresh_bindings()

    def action_clear_company(self) -> None:
        if self.company is not None:
            self.company = None
            self.notify("Showing all companies.", timeout=2)

    @on(NarrowingLabel.Cleared)
    @on(SearchBar.ClearNarrowing)
    def _clear_narrowing(self) -> None:
        self.action_clear_company()

    @on(OptionList.OptionHighlighted)
    @on(Tree.NodeHighlighted)
    @on(DataTable.RowHighlighted)
    def _selection_moved(self) -> None:
        self.refresh_bindings()  # o and y are offered only on a fact

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, TooSmallScreen):
            return action == "quit"
        if len(self.screen_stack) > 1 and action in _MAIN_SCREEN_ACTIONS:
            return False  # the panes' keys wait while a screen (review, a form) is above them
        if action == "clear_company":
            return bool(self.company)
        if action in ("open_quote", "copy"):
            if not (self.is_mounted and self.kb):
                return False
            if action == "copy":
                return self.selected_fact_id() is not None
            return self._quote_target() is not None
        if action == "back":
            return bool(self.is_mounted and self.query(Reader) and self.query_one(Reader).history)
        return True

    # -- search -------------------------------------------------------------------------------------

    @on(SearchBar.Changed, "#search")
    def _query_changed(self, event: SearchBar.Changed) -> None:
        if not self.wide and self.active_pane != "results":
            # Typing keeps the focus in the box; a query set otherwise moves it to the results.
            self.show_pane("results", focus=not self.query_one(SearchBar).has_focus)
        self._search(event.value)

    def _search(self, query: str) -> None:
        if self.kb is None:
            return
        self.query_one(SearchResults).search(query, self.company)

    @on(SearchResults.Searched)
    def _searched(self, event: SearchResults.Searched) -> None:
        """The reader highlights what was searched (a corrected query's words), not what was typed."""
        self.query_one(Reader).refresh_terms(event.searched)

    @on(SearchBar.Leave)
    def _leave_search(self) -> None:
        self.show_pane(self.active_pane)

    @on(SearchBar.ToResults)
    def _to_results(self, event: SearchBar.ToResults) -> None:
        results = self.query_one(SearchResults)
        self.show_pane("results")
        if event.open_first:
            results.open_first()

    @on(SearchResults.Replace)
    def _replace_query(self, event: SearchResults.Replace) -> None:
        bar = self.query_one(SearchBar)
        bar.value = event.text
        bar.cursor_position = len(event.text)

    # -- palette-only actions -------------------------------------------------------------------------

    def action_ansi_theme(self) -> None:
        self.theme = "ansi-light" if self.theme == "ansi-dark" else "ansi-dark"
