"""SourceView: article text, word-wrapped, with search terms and a quote highlighted."""

from __future__ import annotations

import bisect

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.wrapping import line_of, wrap

Span = tuple[int, int]


class SourceView(ScrollView, can_focus=True):
    """Long text rendered line by line; knows which line holds any character offset."""

    COMPONENT_CLASSES = {
        "source-view--term",  # a search term
        "source-view--quote",  # the quote of the selected fact
        "source-view--current",  # the highlight last jumped to
        "source-view--cut",  # boilerplate, when the raw text is shown
        "source-view--footer",  # what is said about the text after it (the names it has)
    }
    DEFAULT_CSS = """
    SourceView { background: $surface; padding: 0 1; }
    SourceView > .source-view--term { text-style: reverse; }
    SourceView > .source-view--quote { text-style: bold underline; background: $accent 35%; }
    SourceView > .source-view--current { text-style: bold reverse underline; }
    SourceView > .source-view--cut { color: $text-muted; text-style: italic strike; }
    SourceView > .source-view--footer { color: $text-muted; text-style: italic; }
    """
    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
        Binding("g,home", "scroll_home", "Top", show=False),
        Binding("G,end", "scroll_end", "Bottom", show=False),
        Binding("space,pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("n", "next_highlight", "Next hit", id="source.next", tooltip="Jump to the next highlight"),
        Binding("N,p", "previous_highlight", "Prev hit", id="source.previous",
                tooltip="Jump to the previous highlight"),
    ]

    class Moved(Message):
        """The current highlight changed: `index` of `count` (0-based), or -1 for none."""

        def __init__(self, index: int, count: int) -> None:
            super().__init__()
            self.index = index
            self.count = count

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = ""
        self.footer = ""
        self.terms: list[Span] = []
        self.quotes: list[Span] = []
        self.cuts: list[Span] = []
        self.current = -1
        self._lines: list[Span] = []
        self._wrapped: tuple[str, int] = ("", 0)  # the text and width _plain_lines were wrapped for
        self._plain_lines: list[Span] = []
        self._line_texts: list[Text] = []
        self._width = 0
        self._cache: LRUCache[int, Strip] = LRUCache(1024)
        self._pending_focus: int | None = None

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._rebuild())

    # -- content -----------------------------------------------------------------------------

    def show(self, text: str, terms: list[Span] = (), quotes: list[Span] = (), cuts: list[Span] = (),
             focus: int | None = None, footer: str = "") -> None:
        """Display `text`; scroll so that offset `focus` (or the first quote) is in view.

        `footer` (plain text) is shown after the text, apart from it: no offset points into it.
        """
        self.text = text
        self.footer = footer
        self.terms, self.quotes, self.cuts = list(terms), list(quotes), list(cuts)
        self.current = -1
        self._width = 0
        if focus is None and self.quotes:
            focus = self.quotes[0][0]
        self._pending_focus = focus
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._rebuild()
        self._announce()

    def set_terms(self, terms: list[Span]) -> None:
        """Highlight other search terms in the text shown, where the reader is (nothing is
        redrawn when they are the same)."""
        terms = list(terms)
        if terms == self.terms:
            return
        self.terms, self.current = terms, -1
        self._rebuild()
        self._announce()

    @property
    def highlights(self) -> list[Span]:
        """Quotes and search terms, in text order: what n and N step through."""
        return sorted(set(self.quotes) | set(self.terms))

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _rebuild(self) -> None:
        width = self.scrollable_content_region.width or self.size.width or 80
        top = self._lines[self.scroll_offset.y][0] if self._lines and self.scroll_offset.y < len(self._lines) else None
        if (self.text, width) != self._wrapped:  # new terms alone wrap the same lines
            self._wrapped, self._plain_lines = (self.text, width), wrap(self.text, width)
        self._width = width
        self._lines = self._plain_lines
        styled = Text(self.text, end="")
        for spans, name in ((self.cuts, "source-view--cut"), (self.terms, "source-view--term"),
                            (self.quotes, "source-view--quote")):
            style = self._style(name)
            for start, end in spans:
                styled.stylize(style, start, end)
        highlights = self.highlights
        if 0 <= self.current < len(highlights):
            styled.stylize(self._style("source-view--current"), *highlights[self.current])
        cuts = sorted({b for _, b in self._lines} | {a for a, _ in self._lines})
        pieces = styled.divide(cuts)
        by_start = {p_start: piece for p_start, piece in zip([0, *cuts], pieces, strict=False)}
        self._line_texts = [by_start.get(a, Text("")) if b > a else Text("") for a, b in self._lines]
        if self.footer:
            end = len(self.text)
            footer = Text(self.footer, style=self._style("source-view--footer"))
            lines = [Text(""), *footer.wrap(self.app.console, width)]
            self._lines = [*self._lines, *[(end, end)] * len(lines)]
            self._line_texts.extend(lines)
        self._cache.clear()
        self.virtual_size = Size(width, len(self._lines))
        if self._pending_focus is not None:
            if self.scrollable_content_region.height > 0 and self.scrollable_content_region.width == width:
                focus, self._pending_focus = self._pending_focus, None
                self.call_after_refresh(self._scroll_to_offset, focus)
            # else: not laid out yet; on_resize rebuilds and scrolls then
        elif top is not None:
            self.scroll_to(y=line_of(self._lines, top), animate=False)
        self.refresh()

    def on_resize(self) -> None:
        if self.text and (self.scrollable_content_region.width != self._width or self._pending_focus is not None):
            self._rebuild()

    # -- moving ------------------------------------------------------------------------------

    def line_for(self, offset: int) -> int:
        return line_of(self._lines, offset)

    def _scroll_to_offset(self, offset: int) -> None:
        line = self.line_for(offset)
        height = self.scrollable_content_region.height or self.size.height
        target = min(max(0, line - max(1, height // 3)), self.max_scroll_y)
        self.scroll_to(y=target, animate=False, immediate=True)
        if self.scroll_offset.y != target:
            # Not scrollable yet (the scrollbar comes with the next layout): try again then.
            self._pending_focus = offset

    def visible_offsets(self) -> Span:
        """The character range currently on screen."""
        if not self._lines:
            return (0, 0)
        first = min(self.scroll_offset.y, len(self._lines) - 1)
        last = min(first + max(1, self.scrollable_content_region.height) - 1, len(self._lines) - 1)
        return self._lines[first][0], self._lines[last][1]

    def jump(self, step: int) -> None:
        highlights = self.highlights
        if not highlights:
            self.app.bell()
            return
        if self.current < 0:
            start, _ = self.visible_offsets()
            starts = [s for s, _ in highlights]
            self.current = bisect.bisect_left(starts, start) if step > 0 else bisect.bisect_left(starts, start) - 1
        else:
            self.current += step
        self.current %= len(highlights)
        self._pending_focus = None  # the user has moved: a layout still to come must not scroll back
        self._rebuild()
        self._scroll_to_offset(highlights[self.current][0])
        self._announce()

    def _announce(self) -> None:
        self.post_message(self.Moved(self.current, len(self.highlights)))

    def action_next_highlight(self) -> None:
        self.jump(+1)

    def action_previous_highlight(self) -> None:
        self.jump(-1)

    # -- rendering ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self._line_texts):
            return Strip.blank(width, style)
        strip = self._cache.get(index)
        if strip is None:
            text = self._line_texts[index]
            strip = Strip(list(text.render(self.app.console)), text.cell_len)
            self._cache[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, style).apply_style(style)
