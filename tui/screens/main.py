"""MainScreen: the panes (companies, lineup, partnerships, search results, source), how they
are laid out at each terminal size, focus and navigation between them, and the search wiring."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
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

from facts.text import safe_for_terminal
from tui.labels import clip_text, plural
from tui.messages import OpenArticle, OpenEntity, OpenFact
from tui.screens.help import HELP_BINDING
from tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from tui.widgets.company_list import CompanyList, CompanyOptions
from tui.widgets.lineup_tree import LineupTree
from tui.widgets.narrowing_label import NarrowingLabel
from tui.widgets.pane import Pane
from tui.widgets.partnership_table import PartnershipGrid, PartnershipTable
from tui.widgets.profile_view import ProfileView
from tui.widgets.reader import Location, Reader
from tui.widgets.result_options import ResultOptions
from tui.widgets.search_bar import SearchBar
from tui.widgets.search_results import SearchResults
from tui.widgets.timeline_view import TimelineView

# Pane names in number order (1-5), their titles, and the widget that takes focus in each.
PANES = ("companies", "lineup", "partnerships", "results", "reader")
TITLES = {"companies": "Companies", "lineup": "Lineup", "partnerships": "Partnerships",
          "results": "Search results", "reader": "Source"}
# Off while another screen (the review, a form) is on top, though the footer below it still
# shows the main screen's keys; tab then moves between a form's fields.
_COVERED_OFF = ("next_pane", "previous_pane", "pane", "focus_search", "open_quote", "copy", "back",
                "clear_company", "review", "timeline", "cancel")


class MainScreen(Screen):
    """The browser's panes; the app opens the knowledge base and hands it here."""

    HORIZONTAL_BREAKPOINTS = [(0, "-tiny-w"), (MIN_WIDTH, "-narrow"), (120, "-medium"), (180, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-tiny-h"), (MIN_HEIGHT, "-short"), (30, "-tall")]
    BINDINGS = [
        Binding("escape", "cancel", "Back", id="app.cancel",
                tooltip="Back: close the source (to the pane you came from), clear a filter, or stop narrowing"),
        Binding("slash", "focus_search", "Search", id="app.search",
                tooltip="A new query (the old one selected: type to replace it, up for older ones)"),
        HELP_BINDING,
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
    ]

    active_pane: reactive[str] = reactive("companies", init=False)
    left_pane: reactive[str] = reactive("companies", init=False)  # shown beside the source when split
    _pane_before_search: str | None = None  # the pane `/` replaced by the results (Escape goes back to it)
    company: reactive[str | None] = reactive(None, init=False)

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Label("alliance", id="brand")
            yield NarrowingLabel(id="narrowing", markup=False)
            yield SearchBar(id="search")
        yield Tabs(*(Tab(f"{n} {TITLES[name]}", id=f"tab-{name}") for n, name in enumerate(PANES, 1)),
                   id="pane-tabs")
        with Horizontal(id="deck"):
            with Pane(1, TITLES["companies"], id="pane-companies"):
                yield CompanyList(id="companies").data_bind(MainScreen.company)
            with Pane(2, TITLES["lineup"], id="pane-lineup"):
                yield LineupTree(id="lineup").data_bind(MainScreen.company)
            with Pane(5, TITLES["reader"], id="pane-reader"):
                yield Reader(id="reader")
            with Pane(3, TITLES["partnerships"], id="pane-partnerships"):
                yield PartnershipTable(id="partnerships").data_bind(MainScreen.company)
            with Pane(4, TITLES["results"], id="pane-results"):
                yield SearchResults(id="results")
        with Horizontal(id="statusbar"):
            yield Static("Opening the knowledge base…", id="status", markup=False)
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer(compact=True)

    @property
    def kb(self):
        """The app's knowledge base, None until it is open."""
        return self.app.kb

    def on_mount(self) -> None:
        self.query_one("#pane-companies").add_class("-active", "-left")
        self.query_one(NarrowingLabel).show_name(None)
        self.query_one(CompanyOptions).focus()
        self.app.open_knowledge()

    # -- knowledge base ----------------------------------------------------------------------------

    def show_progress(self, stage: str, done: int, total: int) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=total, progress=done)
        self.show_status(f"{stage}: {done} of {total}")

    def show_status(self, text: str | Text) -> None:
        self.query_one("#status", Static).update(text if isinstance(text, Text) else Text(safe_for_terminal(text)))

    def knowledge_ready(self) -> None:
        """The knowledge base is open: fill the panes."""
        self.query_one(ProgressBar).display = False
        self._load_panes()
        self._show_status()

    def knowledge_checked(self, changed: bool) -> None:
        """The corpus was checked behind the panes (the app then refills them if it changed)."""
        self.query_one(ProgressBar).display = False
        if not changed:
            self._show_status()

    def knowledge_failed(self, exc: Exception) -> None:
        self.query_one(ProgressBar).display = False
        self.show_status(f"The knowledge base could not be opened: {exc}")

    def knowledge_changed(self) -> None:
        """The facts changed on disk and the index was updated: refill the panes and the search."""
        self._load_panes()
        counts = self.kb.manifest.get("counts", {})
        self.query_one("#status", Static).update(Text(
            f"{counts.get('articles', 0)} articles · {counts.get('facts', 0)} facts · {counts.get('entities', 0)} entries"))
        query = self.query_one(SearchBar).value
        if query.strip():
            self.query_one(SearchResults).search(query, self.company)

    def _load_panes(self) -> None:
        base = self.kb.facts
        self.query_one(CompanyList).load(base)
        self.query_one(LineupTree).load(base)
        self.query_one(PartnershipTable).load(base)

    def search_again(self) -> None:
        """Run the query in the search box again, if there is one."""
        query = self.query_one(SearchBar).value
        if query.strip():
            self._search(query)

    def _show_status(self) -> None:
        if self.kb is None:
            return
        counts = self.kb.manifest.get("counts", {})
        text = Text(" · ".join(plural(counts.get(key, 0), word) for key, word in
                               (("articles", "article"), ("facts", "fact"), ("entities", "entry"))))
        self.show_status(text)

    def action_review(self) -> None:
        """Open the review of suggested facts (once the knowledge base is open)."""
        if self.kb is None:
            self.notify("The knowledge base is still opening", severity="warning")
            return
        from facts.suggest.store import ReviewStore, review_root
        from tui.screens.review import ReviewScreen

        root = review_root(self.app.corpus)
        self.app.push_screen(ReviewScreen(ReviewStore(root) if root is not None else None, self.kb.facts))

    def action_help(self) -> None:
        self.app.action_help()

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
        widget = event.widget if hasattr(event, "widget") else self.focused
        if not isinstance(widget, SearchBar):
            self._pane_before_search = None
        name = self.pane_of(widget)
        if name and name != self.active_pane:
            self.active_pane = name

    @on(Tabs.TabActivated, "#pane-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        name = (event.tab.id or "").removeprefix("tab-")
        # A tab activated just before the app exits arrives once the panes are gone; one the
        # focus has moved past since (the tabs follow the focus) is stale: following it would
        # send the focus back, and the tabs after it, back and forth.
        if name in PANES and name != self.active_pane and event.tab.is_attached \
                and event.tab is self.query_one(Tabs).active_tab:
            self.show_pane(name)

    def watch_left_pane(self, name: str) -> None:
        for pane in self.query(Pane):
            pane.set_class(pane.id == f"pane-{name}", "-left")

    @property
    def layout_mode(self) -> str:
        """'grid' (all panes), 'split' (one pane beside the source) or 'single'."""
        if not self.has_class("-tall"):
            return "single"
        if self.has_class("-wide"):
            return "grid"
        return "split" if self.has_class("-medium") else "single"

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
        """The search box; on a narrow screen the results pane is shown at once (laying the
        screen out for it now, not on the first key typed, keeps typing smooth). Escape before
        a key is typed goes back to the pane it replaced."""
        if not self.wide and self.active_pane != "results":
            before = self.active_pane
            self.show_pane("results", focus=False)
            self._pane_before_search = before
        self.query_one(SearchBar).focus()

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

    def open_article(self, name: str, focus: int | None = None, first_term: bool = False) -> None:
        if self.kb is None:
            return
        self.query_one(Reader).go(Location("article", name, focus=focus, first_term=first_term))
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
        self.open_article(event.name, event.focus, event.first_term)

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
        self.app.copy_to_clipboard(text)
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
        self.search_again()
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
    @on(ResultOptions.Highlighted)
    @on(Tree.NodeHighlighted)
    @on(DataTable.RowHighlighted)
    def _selection_moved(self) -> None:
        self.refresh_bindings()  # o and y are offered only on a fact

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.app.screen, TooSmallScreen):
            return False
        if len(self.app.screen_stack) > 1 and action in _COVERED_OFF:
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
        self._pane_before_search = None  # the results are for this query now: Escape stays on them
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
        self.show_pane(self._pane_before_search or self.active_pane)
        self._pane_before_search = None

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

