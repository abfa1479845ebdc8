"""Reader: the source pane. Shows an article (with the selected quote) or an entity profile,
and keeps the navigation history that backspace walks back through."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static

from facts.text import safe_for_terminal
from tui.labels import plural
from tui.widgets.profile_view import ProfileView
from tui.widgets.source_view import SourceView
from tui.widgets.timeline_view import TimelineView

if TYPE_CHECKING:
    from facts.articles import Article

HISTORY_LIMIT = 200
WELCOME = (
    "Nothing open yet.\n\n"
    "Press / and type to search, or pick a company, a car or a partnership and press Enter.\n"
    "o opens the quote behind any fact; backspace goes back; ? lists every key."
)


def names_footer(links: dict | None) -> str:
    """What an article names, known or not (see facts.mentions.article_links), as lines of text."""
    if not links:
        return ""

    def counted(name: str, count: int) -> str:
        return f"{name} ({count})" if count > 1 else name

    lines = []
    if links["mentions"]:
        lines.append("Named here: " + ", ".join(counted(m["name"], m["count"]) for m in links["mentions"]))
    if links["candidates"]:
        lines.append("Names not in the knowledge base: "
                     + ", ".join(counted(c["name"], c["count"]) for c in links["candidates"]))
    return "\n".join(lines)


@dataclass(frozen=True)
class Location:
    """Where the reader is: an article (maybe at a fact's quote) or an entity profile."""

    kind: str  # "article", "entity" or "timeline"
    name: str  # article file name, entity id, or the company a timeline is narrowed to ("" for all)
    fact_id: str | None = None
    source: int = 0
    focus: int | None = None  # reading-text offset to bring into view (timeline: the entry under the cursor)
    raw: bool = False
    first_term: bool = False  # no `focus`: bring the first search term found into view


class Reader(Vertical):
    """The source pane: header, then the article text or a profile."""

    BINDINGS = [
        Binding("s", "next_source", "Next source", id="reader.next_source",
                tooltip="Show the fact's next source (maybe another article)"),
        Binding("r", "toggle_raw", "Raw text", id="reader.raw",
                tooltip="Show the article as stored, boilerplate included"),
        Binding("e", "open_entry", "Entry", id="reader.entry",
                tooltip="Open the entry of what the shown fact is about"),
    ]

    class Shown(Message):
        """An article or a profile is on show: there is something to focus now."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.location: Location | None = None
        self.history: list[Location] = []
        self.query_text = ""  # the search box text: its words are highlighted in articles
        self.article: Article | None = None
        self._hits = ""
        self.focus_timeline = False  # the next timeline shown takes the focus (the user asked for it)

    def compose(self) -> ComposeResult:
        yield Static(id="reader-header", markup=False)
        with ContentSwitcher(initial="reader-welcome", id="reader-switcher"):
            welcome = Static(WELCOME, id="reader-welcome", markup=False)
            welcome.can_focus = True  # the pane holds the focus even with nothing open
            yield welcome
            yield SourceView(id="source-view")
            yield ProfileView(id="profile-view")
            yield TimelineView(id="timeline-view")

    # -- navigation ---------------------------------------------------------------------------

    def go(self, location: Location, remember: bool = True) -> None:
        """Show `location`, remembering where we were so back can return."""
        if remember and self.location is not None and self.location != location:
            here = self.location
            if here.kind == "timeline":  # come back to the same entry
                here = replace(here, focus=self.query_one(TimelineView).highlighted)
            self.history.append(here)
            del self.history[:-HISTORY_LIMIT]
        self.location = location
        self.refresh_bindings()
        if location.kind == "entity":
            self._show_entity(location)
        elif location.kind == "timeline":
            self._show_timeline(location)
        else:
            # The article view is what the pane shows (and what takes the focus) from now on,
            # though its text comes from the knowledge thread a moment later.
            self.query_one(ContentSwitcher).current = "source-view"
            self._load_article(location, self.query_text)

    def back(self) -> bool:
        """Return to the previous location; False when there is none."""
        if not self.history:
            return False
        self.go(self.history.pop(), remember=False)
        return True

    def refresh_terms(self, query: str) -> None:
        """The search text changed: re-highlight the open article (only its terms are found
        again when it is shown already: it is not read again, nor scrolled)."""
        self.query_text = query
        location = self.location
        if location is None or location.kind != "article":
            return
        if self.article is None or self.article.name != location.name:
            self._load_article(location, query)
            return

        def job(kb):
            return kb.article_spans(location.name, query) if query.strip() else []

        self.app.service.submit("reader", job, lambda terms: self._show_terms(location, terms))

    def _show_terms(self, location: Location, terms: list[tuple[int, int]]) -> None:
        if location != self.location or self.article is None or self.article.name != location.name:
            return  # the user has moved on
        if location.raw:
            terms = [self.article.cleaned.span_to_raw(*s) for s in terms]
        self.query_one(SourceView).set_terms(terms)

    # -- entities -------------------------------------------------------------------------------

    def _show_entity(self, location: Location) -> None:
        base = self.app.kb.facts
        entity = base.get(location.name)
        if entity is None:
            self.app.notify(f"No entry '{location.name}'.", severity="warning")
            return
        self.article = None
        self._hits = ""
        self.parent.border_subtitle = None
        profile = self.query_one(ProfileView)
        profile.show(base, entity)
        if base.article_count(entity.id):
            self.app.service.submit("mentions", lambda kb: kb.mentions_of(entity.id),
                                    lambda found: profile.show_mentions(entity.id, *found))
        self.query_one(ContentSwitcher).current = "profile-view"
        header = Text(entity.name, style="bold")
        articles = base.article_count(entity.id)
        header.append(f"\nEntry · {entity.kind} · {plural(base.count_for(entity.id), 'fact')} · "
                      f"named in {plural(articles, 'article')}", style="dim")
        self.query_one("#reader-header", Static).update(header)
        self.post_message(self.Shown())

    # -- timeline -------------------------------------------------------------------------------

    def _show_timeline(self, location: Location) -> None:
        """Work out the timeline off the UI thread, then show it."""
        from facts.timeline import timeline

        company = location.name or None

        def job(kb):
            return timeline(kb.facts, company if kb.facts.get(company or "") else None)

        def failed(exc: Exception) -> None:
            self.app.notify(str(exc), title="Cannot build the timeline", severity="error")

        self.app.service.submit("reader", job, lambda entries: self._fill_timeline(location, entries), failed)

    def _fill_timeline(self, location: Location, entries: list) -> None:
        if location != self.location:
            return  # the user has moved on
        from facts.timeline import split

        base = self.app.kb.facts
        company = location.name if base.get(location.name) else None
        self.article = None
        view = self.query_one(TimelineView)
        view.show(company, entries)
        if location.focus is not None and location.focus < view.option_count:
            view.highlighted = location.focus
        self.query_one(ContentSwitcher).current = "timeline-view"
        happened, targets = split(entries)
        header = Text("Timeline · ", style="bold")
        header.append(base.name_of(company) if company else "all companies", style="bold")
        header.append(f"\n{len(happened)} dated · {len(targets)} targets · Enter: the quote in its source"
                      f"{' · x: all companies' if company else ''}", style="dim")
        self.query_one("#reader-header", Static).update(header)
        if self.focus_timeline or self.app.focused is None or self.screen.pane_of(self.app.focused) == "reader":
            view.focus()
        self.focus_timeline = False

    # -- articles -------------------------------------------------------------------------------

    def _load_article(self, location: Location, query: str) -> None:
        """Read the article and find the search words in it, off the UI thread."""

        def job(kb):
            article = kb.article(location.name)
            return (article, (kb.article_spans(location.name, query) if query.strip() else []),
                    kb.article_links(location.name))

        def failed(exc: Exception) -> None:
            from facts.articles import ArticleError

            message = exc.message if isinstance(exc, ArticleError) else str(exc)
            self.app.notify(f"{location.name}: {message}", title="Cannot open the article", severity="error")

        self.app.service.submit("reader", job, lambda result: self._show_article(location, *result), failed)

    def _show_article(self, location: Location, article: Article, terms: list[tuple[int, int]],
                      links: dict | None = None) -> None:
        if location != self.location:
            return  # the user has moved on
        self.article = article
        base = self.app.kb.facts
        fact = base.get(location.fact_id) if location.fact_id else None
        quote_raw = None
        if fact is not None and 0 <= location.source < len(fact.sources):
            quote_raw = fact.sources[location.source].span
        cleaned = article.cleaned
        raw = location.raw
        focus = location.focus
        if focus is None and location.first_term and terms:
            focus = terms[0][0]
        quote_clean = cleaned.span_to_clean(*quote_raw) if quote_raw else None
        if quote_raw and quote_clean is None and not raw:
            raw = True  # the quote sits in boilerplate: only the raw text has it
            self.location = location = replace(location, raw=True)
        self.query_one(ContentSwitcher).current = "source-view"
        view = self.query_one(SourceView)
        if raw:
            view.show(
                article.raw,
                terms=[cleaned.span_to_raw(*s) for s in terms],
                quotes=[quote_raw] if quote_raw else [],
                cuts=[(a, b) for a, b, _ in cleaned.removed],
                focus=cleaned.to_raw(focus) if focus is not None else None,
            )
        else:
            view.show(article.text, terms=terms, quotes=[quote_clean] if quote_clean else [],
                      focus=focus, footer=names_footer(links))
        self._header(article, fact, location)
        self.post_message(self.Shown())

    def _header(self, article: Article, fact, location: Location) -> None:
        """Title; publisher, date, file and highlight count; then the fact with its note,
        cut to two lines (the text is what matters on a small screen)."""
        meta = article.meta
        width = max(20, self.size.width - 2)
        head = Text(meta.title, style="bold", no_wrap=True, overflow="ellipsis")
        bits = [meta.publisher or "publisher unknown", meta.date_label, safe_for_terminal(article.name)]
        if location.raw:
            bits.append("RAW TEXT (r: reading text)")
        lines = [head, Text(" · ".join(bits), style="dim")]
        if fact is not None:
            line = Text(f"Quote {location.source + 1}/{len(fact.sources)}: ", style="bold")
            line.append(fact.text)
            if fact.note:  # the fact and its note, a line each
                note = Text("Note: ", style="bold italic")
                note.append(fact.note, style="italic")
                lines += [_cut(line, width), _cut(note, width)]
            else:
                lines.append(_cut(line, 2 * width))
        self.query_one("#reader-header", Static).update(Group(*lines))

    def on_resize(self) -> None:
        if self.article is not None and self.location is not None and self.location.kind == "article":
            fact = self.app.kb.facts.get(self.location.fact_id) if self.location.fact_id else None
            self._header(self.article, fact, self.location)

    @on(SourceView.Moved)
    def _moved(self, event: SourceView.Moved) -> None:
        if event.count == 0:
            self._hits = ""
        elif event.index < 0:
            self._hits = f"{plural(event.count, 'highlight')} (n/N)"
        else:
            self._hits = f"highlight {event.index + 1} of {event.count} (n/N)"
        # The count goes on the pane's bottom border: the header keeps its lines for the text.
        self.parent.border_subtitle = Content(self._hits) if self._hits else None

    # -- actions --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that apply to what is on show."""
        loc = self.location
        on_article = loc is not None and loc.kind == "article"
        if action == "toggle_raw":
            return on_article
        if action == "next_source":
            fact = self.app.kb.facts.get(loc.fact_id) if on_article and loc.fact_id and self.app.kb else None
            return fact is not None and len(fact.sources) > 1
        if action == "open_entry":
            return self.current_fact_id() is not None
        return True

    @property
    def shown(self) -> Widget:
        """The widget on show (welcome, article or profile): it takes the pane's focus."""
        switcher = self.query_one(ContentSwitcher)
        return switcher.get_child_by_id(switcher.current) if switcher.current else switcher

    def current_fact_id(self) -> str | None:
        """The fact on show: its quote in an article, or the line under the profile cursor."""
        if self.location is None:
            return None
        if self.location.kind == "entity":
            return self.query_one(ProfileView).selected_fact_id()
        if self.location.kind == "timeline":
            return self.query_one(TimelineView).selected_fact_id()
        return self.location.fact_id

    def action_next_source(self) -> None:
        loc = self.location
        fact = self.app.kb.facts.get(loc.fact_id) if loc and loc.fact_id else None
        if fact is None or len(fact.sources) < 2:
            self.app.notify("This fact has one source." if fact else "No fact is open.", severity="warning")
            return
        index = (loc.source + 1) % len(fact.sources)
        self.go(Location("article", fact.sources[index].article, fact.id, index))

    def action_toggle_raw(self) -> None:
        loc = self.location
        if loc is None or loc.kind != "article":
            self.app.notify("No article is open.", severity="warning")
            return
        view = self.query_one(SourceView)
        start, _ = view.visible_offsets()
        cleaned = self.article.cleaned if self.article else None
        focus = loc.focus
        if cleaned is not None:  # keep the same passage in view across the switch
            focus = (cleaned.to_clean(start) if loc.raw else start)
        self.go(replace(loc, raw=not loc.raw, focus=focus), remember=False)

    def action_open_entry(self) -> None:
        fact_id = self.current_fact_id()
        base = self.app.kb.facts
        fact = base.get(fact_id) if fact_id else None
        if fact is None:
            self.app.notify("No fact is open.", severity="warning")
            return
        target = fact.id if "name" in fact.values else next(
            (ref for _field, ref in fact.subject_refs()), None)
        if target:
            self.go(Location("entity", target))


def _cut(text: Text, cells: int) -> Text:
    """`text` cut to about `cells` cells (two wrapped lines), ending with '…' when cut."""
    if text.cell_len <= cells:
        return text
    cut = text[: max(1, cells - 2)]
    cut.rstrip()
    cut.append("…")
    return cut
