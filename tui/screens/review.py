"""ReviewScreen: articles with suggested facts; for one article, each suggestion beside its source.

Keys: a accept, e edit, r reject, s skip, u undo, n/p next/previous pending, esc back.
Accepted facts go to the library's facts (one YAML file per article, written atomically);
the knowledge base is then updated on the service thread, so panes and search show them.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, OptionList, Static
from textual.widgets.option_list import Option

from facts.suggest.render import fields_line, label
from facts.text import one_line
from tui.screens.review_confirm import ConfirmUpdate
from tui.screens.review_edit import EditSuggestion
from tui.widgets.suggestion_list import SuggestionList
from tui.widgets.suggestion_source import SuggestionSource

MAX_ARTICLES = 500  # suggestions are counted for this many articles at most, newest first
SCAN_CHUNK = 20  # articles read per job on the knowledge service thread


def _date_key(date) -> tuple[int, int, int]:
    return (date.year, date.month or 0, date.day or 0) if date is not None else (0, 0, 0)


class ArticleChoices(OptionList):
    """Articles with suggestions waiting, with their counts."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="review-articles.down", tooltip="Next article"),
        Binding("k", "cursor_up", "Up", show=False, id="review-articles.up", tooltip="Previous article"),
    ]


class ReviewScreen(Screen):
    """Review suggested facts, article by article."""

    BINDINGS = [
        Binding("a", "accept", "Accept", id="review.accept", tooltip="Write the suggestion to your library's facts"),
        Binding("e", "edit", "Edit", id="review.edit", tooltip="Edit the fields and quote (checked as you type)"),
        Binding("r", "reject", "Reject", id="review.reject", tooltip="Reject it; it will not be suggested again"),
        Binding("s", "skip", "Skip", id="review.skip", tooltip="Leave it undecided for now"),
        Binding("u", "undo", "Undo", id="review.undo", tooltip="Take back the last decision"),
        Binding("n", "move(1)", "Next", id="review.next", tooltip="Next undecided suggestion"),
        Binding("p", "move(-1)", "Prev", id="review.previous", tooltip="Previous undecided suggestion"),
        Binding("escape", "back", "Back", id="review.back", tooltip="Back to the articles, or leave the review"),
    ]

    def __init__(self, store, base) -> None:
        super().__init__()
        self.store = store  # a ReviewStore, or None when there is nowhere to write
        self.base = base
        self.session = None
        self.raw = ""
        self.names: list[str] = []
        self.scan_done = False

    def compose(self) -> ComposeResult:
        yield Static(Text("Review suggested facts"), id="review-title", markup=False)
        with ContentSwitcher(initial="review-articles", id="review-switcher"):
            yield ArticleChoices(id="review-articles")
            with Vertical(id="review-article"):
                yield SuggestionList(id="review-suggestions")
                yield Static(id="review-detail", markup=False)
                yield SuggestionSource(id="review-source")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(ArticleChoices).focus()
        self._scan_all()

    # -- articles ----------------------------------------------------------------------------
    def _scan_all(self) -> None:
        """Count suggestions article by article, a chunk per job, so searches are not held up."""
        self.scan_done = False
        self.query_one(ArticleChoices).clear_options()
        self.names = []
        self._status("Reading the articles for suggestions…")
        self.app.service.submit("review-scan", lambda kb: self._scan(kb, 0), self._scanned)

    def _scan(self, kb, start: int):
        from facts.suggest import suggest_article

        base = kb.facts
        rejected = self.store.rejected() if self.store else set()
        names = sorted(base.articles, key=lambda n: (_date_key(base.articles[n].date), n), reverse=True)
        names = names[:MAX_ARTICLES]
        rows = []
        for name in names[start:start + SCAN_CHUNK]:
            try:
                found = suggest_article(kb.article(name), base, rejected=rejected)
            except Exception as exc:  # an unreadable article is listed with its reason
                rows.append((name, base.articles[name].title, -1, str(exc)))
                continue
            rows.append((name, base.articles[name].title, len(found), ""))
        end = min(len(names), start + SCAN_CHUNK)
        return base, rows, end, len(names), len(base.articles) > MAX_ARTICLES

    def _scanned(self, result) -> None:
        self.base, rows, end, total, capped = result
        if not self.is_mounted or self.session is not None:
            return
        choices = self.query_one(ArticleChoices)
        for name, title, count, problem in rows:
            if count == 0:
                continue
            row = Text(no_wrap=True, overflow="ellipsis")
            row.append(f"{count:3} " if count > 0 else "  ! ", style="bold")
            row.append(one_line(title, 200))
            row.append(f"  {name}" + (f" ({problem})" if problem else ""), style="dim")
            row.truncate(max(20, (choices.size.width or self.app.size.width) - 4), overflow="ellipsis")
            choices.add_option(Option(row))
            self.names.append(name)
        if end < total:
            self._status(f"Reading the articles for suggestions… {end} of {total}")
            self.app.service.submit("review-scan", lambda kb: self._scan(kb, end), self._scanned)
            return
        where = f" Accepted facts go to {self.store.facts_dir}." if self.store else \
            " This corpus is read-only here (the bundled corpus is never written): nothing can be accepted."
        more = f" (the newest {MAX_ARTICLES} articles)" if capped else ""
        self._status(f"{len(self.names)} articles with suggestions{more}. Enter opens one.{where}")
        if self.names and choices.highlighted is None:
            choices.highlighted = 0
        self.scan_done = True

    @on(OptionList.OptionSelected, "#review-articles")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.open_article(self.names[event.option_index])

    def open_article(self, name: str) -> None:
        self._status(f"Suggesting facts from {name}…")
        self.app.service.submit("review-open", lambda kb: self._prepare(kb, name), self._opened)

    def _prepare(self, kb, name: str):
        from facts.suggest import suggest_article
        from facts.suggest.session import ReviewSession
        from facts.suggest.store import ReviewStore

        base = kb.facts
        article = kb.article(name)
        rejected = self.store.rejected() if self.store else set()
        found = suggest_article(article, base, rejected=rejected)
        store = self.store or ReviewStore(kb.corpus.root)
        if self.store:
            self.store.ids_in(self.store.path_for(name))  # remember the file as it is now
        return base, article.raw, ReviewSession(store, name, found)

    def _opened(self, result) -> None:
        self.base, self.raw, self.session = result
        self.query_one(ContentSwitcher).current = "review-article"
        self.query_one("#review-title", Static).update(Text(f"Review: {self.session.article}"))
        self._refresh_list(0)
        self.query_one(SuggestionList).focus()

    # -- one article ---------------------------------------------------------------------------
    def _refresh_list(self, keep: int | None = None) -> None:
        listing = self.query_one(SuggestionList)
        keep = listing.highlighted if keep is None else keep
        listing.show(self.session.suggestions, self.session.status, keep)
        pending = len(self.session.pending())
        self._status(f"{len(self.session.suggestions)} suggestions, {pending} undecided · "
                     "a accept · e edit · r reject · s skip · u undo · n/p next/prev · esc back")
        self._show_detail()

    @property
    def current(self) -> int | None:
        if self.session is None or self.query_one(ContentSwitcher).current != "review-article":
            return None
        return self.query_one(SuggestionList).highlighted

    @on(OptionList.OptionHighlighted, "#review-suggestions")
    def _show_detail(self) -> None:
        index = self.current
        if index is None or not self.session.suggestions:
            return
        s = self.session.suggestions[index]
        detail = Text()
        detail.append(f"{label(s)}  {s.id}\n", style="bold")
        detail.append(one_line(fields_line(s), 400) + "\n")
        for why in s.why:
            detail.append(one_line(why, 200) + "\n", style="italic")
        if s.new:
            detail.append("with new: " + ", ".join(n.id for n in s.new) + "\n", style="dim")
        self.query_one("#review-detail", Static).update(detail)
        self.query_one(SuggestionSource).show(self.raw, s.sentence, s.span)

    def _status(self, text: str) -> None:
        head = f"Review: {self.session.article}" if self.session else "Review suggested facts"
        self.query_one("#review-title", Static).update(Text(f"{head} — {text}"))

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("accept", "edit", "reject", "skip", "move"):
            return self.current is not None and bool(self.session.suggestions)
        if action == "undo":
            return bool(self.session and self.session.history)
        return True

    # -- decisions ------------------------------------------------------------------------------
    def action_accept(self) -> None:
        index = self.current
        if index is None:
            return
        if self.store is None:
            self.app.notify("Nothing can be written here: the bundled corpus is never written. "
                            "Use your library (or --corpus DIR).", severity="warning")
            return
        s = self.session.suggestions[index]
        if s.updates:
            def answered(ok: bool | None) -> None:
                if ok:
                    self._write(index)
            self.app.push_screen(ConfirmUpdate(s, self.base), answered)
            return
        self._write(index)

    def _write(self, index: int) -> None:
        from facts.suggest.store import StoreError

        session = self.session

        def job(kb):
            from facts.articles import ArticleError

            taken = set(kb.facts.facts)
            try:
                kb.corpus.refresh()  # the article as it is on disk now, not as it was read
                text = kb.corpus.article(session.article).raw
            except ArticleError as exc:
                return None, f"{session.article} cannot be read now ({exc.message}); nothing was written"
            try:
                written = session.accept(index, text, taken)
            except StoreError as exc:
                return None, str(exc)
            kb.ensure()
            return kb.facts, written

        def done(result) -> None:
            base, written = result
            if base is None:
                self.app.notify(written, title="Not written", severity="error", timeout=10)
                return
            self.base = base
            extra = ("; " + "; ".join(written.messages)) if written.messages else ""
            self.app.notify(f"Wrote {', '.join(written.ids)} to {written.path.name}{extra}", timeout=6)
            self.app.knowledge_changed(self.app.service.kb)
            self._refresh_list()
            self._advance()

        self.app.service.submit(f"review-write-{index}", job, done)

    def action_reject(self) -> None:
        index = self.current
        if index is None:
            return
        try:
            self.session.reject(index)
        except OSError as exc:
            self.app.notify(f"Could not remember the rejection: {exc}", severity="error")
            return
        self._refresh_list()
        self._advance()

    def action_skip(self) -> None:
        index = self.current
        if index is None:
            return
        self.session.skip(index)
        self._refresh_list()
        self._advance()

    def action_undo(self) -> None:
        if not self.session or not self.session.history:
            return
        session = self.session

        def job(kb):
            step = session.undo()
            if step is not None and step.written is not None:
                kb.ensure()
            return step

        def done(step) -> None:
            if step is None:
                return
            self.base = self.app.service.kb.facts
            self.app.knowledge_changed(self.app.service.kb)
            self.app.notify(f"Undone: {step.action} of {session.suggestions[step.index].id}", timeout=4)
            self._refresh_list(step.index)

        self.app.service.submit("review-undo", job, done)

    def action_edit(self) -> None:
        index = self.current
        if index is None:
            return
        s = self.session.suggestions[index]

        def edited(record: dict | None) -> None:
            if not record:
                return
            quote = record.pop("sources")[0]["quote"]
            span = self._span(quote)
            s.values = {k: v for k, v in record.items()}
            s.quote = " ".join(quote.split())
            if span is not None:
                s.span = span
            self._refresh_list(index)

        self.app.push_screen(EditSuggestion(s, self.raw, self.base), edited)

    def _span(self, quote: str):
        from facts.text import QuoteFinder

        return QuoteFinder(self.raw).find(quote)

    def action_move(self, step: int) -> None:
        index = self.current
        if index is None:
            return
        pending = self.session.pending()
        ahead = [i for i in pending if (i - index) * step > 0]
        if ahead:
            self.query_one(SuggestionList).highlighted = ahead[0] if step > 0 else ahead[-1]
        else:
            listing = self.query_one(SuggestionList)
            listing.highlighted = max(0, min(len(self.session.suggestions) - 1, index + step))

    def _advance(self) -> None:
        index = self.current
        pending = self.session.pending()
        after = [i for i in pending if index is None or i > index] or pending
        if after:
            self.query_one(SuggestionList).highlighted = after[0]

    def action_back(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        if switcher.current == "review-article":
            switcher.current = "review-articles"
            self.session = None
            self.query_one(ArticleChoices).focus()
            self._scan_all()
            return
        self.app.pop_screen()
