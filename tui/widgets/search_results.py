"""SearchResults: ranked facts and articles for the search box, with highlighted snippets."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message

from facts.kinds import NAMED_KINDS
from facts.text import quote_marks, safe_for_terminal
from tui.labels import citation, marked
from tui.messages import OpenArticle, OpenEntity, OpenFact
from tui.widgets.result_options import Blocks, ResultOptions, Row

if TYPE_CHECKING:
    from search.results import Hit, Results

PAGE = 20  # results asked for as you type; "more" asks for another page
# Hits whose article snippets come with the first answer (more than a 24-line screen shows);
# the others' come right after, unless another key was typed meanwhile.
DETAIL = 8
TERM = "reverse"


class SearchResults(Vertical):
    """Results pane: a header (count, notes) over the results, both drawn by ResultOptions.
    Searches run in the search process (tui/searches.py); stale answers are dropped."""

    class Searched(Message):
        """What the shown results searched for changed; `searched` is what was run (a
        corrected query, not what was typed; '' for none): the reader highlights its words."""

        def __init__(self, searched: str) -> None:
            super().__init__()
            self.searched = searched

    class Replace(Message):
        """Put this text in the search box (a 'did you mean' was chosen)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results: Results | None = None
        self.hits: list[Hit] = []
        self.query_text = ""
        self.company: str | None = None
        self._seq = 0
        self._shown = 0  # the search whose results are shown
        self.limit = PAGE
        self._keep: int | None = None  # where the cursor goes when the next results come

    def compose(self) -> ComposeResult:
        options = ResultOptions(id="result-options")
        options.header = self._header(None)
        yield options

    @property
    def options(self) -> ResultOptions:
        return self.query_one(ResultOptions)

    def search(self, query: str, company: str | None = None, limit: int = PAGE) -> None:
        """Ask for the first `limit` results of `query`; only the newest answer is shown."""
        self.query_text, self.company, self.limit = query, company, limit
        if limit == PAGE:  # a new query: its results start at the top
            self._keep = None
        self._seq += 1
        seq = self._seq
        if not query.strip():
            self._show(seq, None)
            return
        # Typing: the first screenful's snippets first. "More": every snippet at once (the cursor is on the new ones).
        self.app.searches.search(query, lambda results: self._show(seq, results), limit, company,
                                 detail=DETAIL if limit == PAGE else None)

    def _show(self, seq: int, results: Results | None) -> None:
        """An answer: a new one is shown once the blocks of the rows the screen shows first
        are rendered (in short steps: the rows shown meanwhile stay, and stay the ones Enter
        opens); the same results with every snippet redraw only the rows that changed."""
        if seq != self._seq:
            return  # a newer search is on its way
        rows = self._rows(results)
        if results is not None and seq == self._shown:  # the same results with every snippet
            earlier, self.results, self.hits = self.hits, results, results.hits
            old = self.options.rows
            changed = {f"hit:{i}" for i, hit in enumerate(self.hits) if i >= len(earlier) or hit is not earlier[i]}
            self.options.update_rows([old[i] if i < len(old) and old[i].id == row.id and row.id not in changed else row
                                      for i, row in enumerate(rows)])
            return
        self.options.prepare(rows, partial(self._swap, seq, results, rows))

    def _swap(self, seq: int, results: Results | None, rows: list[Row]) -> None:
        """Show a new answer's rows and header (its first rows are rendered by now)."""
        if seq != self._seq:
            return  # a newer search is on its way
        self._shown = seq
        before = self.searched
        self.results = results
        if self.searched != before:
            self.post_message(self.Searched(self.searched))
        self.hits = results.hits if results else []
        keep, self._keep = self._keep, None
        self.options.set_rows(rows, keep, header=self._header(results))

    def _rows(self, results: Results | None) -> list[Row]:
        rows: list[Row] = []
        if results is None:
            return rows
        if results.suggestion:
            rows.append(Row(partial(_line, f"Did you mean: {safe_for_terminal(results.suggestion)}  "
                                           "(Enter to search for it)", "italic"),
                            id=f"suggest:{results.suggestion}"))
        base, told = self.app.kb.facts, False
        for index, hit in enumerate(results.hits):
            if not hit.all_words and not told:
                rows.append(Row(partial(_line, "Matching some of the words:", "dim italic")))
                told = True
            rows.append(Row(partial(self._prompt, base, hit), id=f"hit:{index}"))
            rows.extend(self._copies(hit))
        if len(results.hits) < results.total:
            rows.append(Row(partial(_line, f"Show {PAGE} more results (Enter)", "bold"), id="more"))
        return rows

    @property
    def filling(self) -> bool:
        """An answer is still being prepared, or rows of the shown one are still to be laid out."""
        return self.options.filling

    @property
    def searched(self) -> str:
        """What the shown results searched for ('' when nothing was found): the one source of
        the words highlighted in the reader."""
        return self.results.searched if self.results is not None and self.results.total else ""

    def _header(self, results: Results | None) -> Text:
        if results is None:
            return Text("Type to search articles and facts.", style="dim")
        safe = safe_for_terminal  # the query as typed, and messages quoting it
        head = Text()
        for message in results.messages:
            head.append(f"Note: {safe(message)}\n", style="italic")
        # The company narrowing is shown (and cleared) beside the search box, not repeated here.
        searched = _without_company(results.searched, self.company) if results.corrected_from else results.query
        if results.corrected_from:
            head.append(f"No results for “{safe(results.corrected_from)}”; showing “{safe(searched)}”.\n", style="italic")
        if results.total:
            shown = len(results.hits)
            head.append(results.count_label, style="bold")
            head.append(f" for “{safe(searched)}”" + (f", top {shown}" if shown < results.total else ""))
        else:
            head.append(f"Nothing matches “{safe(results.query)}”.", style="bold")
        return head

    @staticmethod
    def _prompt(base, hit: Hit) -> Blocks:
        head = Text.assemble((f"[{hit.kind}] ", "bold"))
        head.append_text(marked(hit.title, hit.spans.get("title"), TERM))
        if hit.is_fact:
            sources = hit.payload.get("sources", [])
            if not sources:
                return [(head, 0)]
            opening, closing = quote_marks(sources[0]["quote"])
            quote = Text(opening) + marked(sources[0]["quote"], hit.quote_spans(0), TERM) + Text(closing)
            fact = base.get(hit.id)
            more = f" +{len(sources) - 1} more" if len(sources) > 1 else ""
            where = Text((citation(base, fact.sources[0]) if fact else safe_for_terminal(sources[0]["article"])) + more,
                         style="dim")
            return [(head, 0), (quote, 2), (where, 2)]
        p = hit.payload
        where = Text(f"{safe_for_terminal(hit.id)} · {p.get('publisher') or 'publisher unknown'} · {p.get('date_label')}",
                     style="dim")
        if not hit.detailed:
            return [(head, 0), (Text("…", style="dim"), 2), (where, 2)]
        if not hit.snippet:  # it could not be made: no empty line for it
            return [(head, 0), (where, 2)]
        return [(head, 0), (marked(hit.snippet, hit.snippet_spans, TERM), 2), (where, 2)]

    @staticmethod
    def _copies(hit: Hit) -> list[Row]:
        """One line per other article of the same story (copies, excerpts, rewrites): Enter opens it."""
        names = hit.payload.get("also_in") or []
        labels = hit.payload.get("also_in_labels") or names
        if not names:
            return []
        out = [Row(partial(_line, f"    also in {len(names)} other article{'s' if len(names) != 1 else ''}:",
                           "dim italic"))]
        for name, label in zip(names, labels, strict=False):
            out.append(Row(partial(_line, safe_for_terminal(f"{label} [{name}]"), "dim", 4), id=f"copy:{name}"))
        return out

    @on(ResultOptions.Selected, "#result-options")
    def _selected(self, event: ResultOptions.Selected) -> None:
        event.stop()
        kind, _, value = (event.row.id or "").partition(":")
        if kind == "suggest":
            self.post_message(self.Replace(value))
        elif kind == "more":
            self._keep = event.index  # the cursor stays where "more" was: on the first new result
            self.search(self.query_text, self.company, self.limit + PAGE)
        elif kind == "hit":
            self.open(self.hits[int(value)])
        elif kind == "copy":
            self.post_message(OpenArticle(value))

    def open(self, hit: Hit) -> None:
        if hit.is_fact:
            if hit.kind in NAMED_KINDS:
                self.post_message(OpenEntity(hit.id))
            else:
                self.post_message(OpenFact(hit.id, self._best_source(hit)))
        else:
            body = hit.spans.get("body", [])
            # No spans (the snippet has not come yet, or could not be made): the reader finds the terms itself.
            self.post_message(OpenArticle(hit.id, body[0][0] if body else None, first_term=not body))

    @staticmethod
    def _best_source(hit: Hit) -> int:
        for index in range(len(hit.payload.get("sources", []))):
            if hit.quote_spans(index):
                return index
        return 0

    def open_first(self) -> bool:
        if self.options.highlighted_row is None:
            return False
        self.options.action_select()
        return True

    def selected_hit(self) -> Hit | None:
        row = self.options.highlighted_row
        if row is None or not (row.id or "").startswith("hit:"):
            return None
        return self.hits[int(row.id.partition(":")[2])]

    def selected_fact_id(self) -> str | None:
        hit = self.selected_hit()
        return hit.id if hit is not None and hit.is_fact else None


def _line(text: str, style: str, indent: int = 0) -> Blocks:
    """One line of our own words (what it quotes is made terminal-safe by the caller)."""
    return [(Text(text, style=style), indent)]


def _without_company(searched: str, company: str | None) -> str:
    """A corrected query as shown: without the company filter the narrowing added to it."""
    if not company:
        return searched
    for form in (f' company:"{company}"', f" company:{company}"):
        searched = searched.replace(form, "")
    return searched
