"""ResultOptions: the search results list under its header, drawn a line at a time.

A results list is replaced at every keystroke, so it must be cheap to fill: rows are given
as builders and are built, wrapped and rendered only when they come on screen (or the cursor
or a scroll needs them). Work on an answer is done in steps of about a millisecond, with the
event loop free between them, so that a key typed meanwhile is echoed first and the UI never
stops for long: a new answer's first screenful is rendered before it replaces the rows shown
(`prepare`), the rest is laid out once it has stayed on screen a moment (while typing, the
next answer comes first). Rendered blocks are kept by what they
show (the same title, quote or source line in the next answer is not wrapped again) until
the width or the styles change, and only the screen lines that changed are drawn again.
The header (count, notes) stays at the top, above the rows that scroll: a header that grows
or shrinks is drawn by the list, not laid out by the screen. Text is never parsed as markup:
rows are Rich `Text` built from parts.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets.list_keys import list_keys

Blocks = Sequence[tuple[Text, int]]  # (text, indent in cells) one under the other
STEP_SECONDS = 0.001  # rows laid out in one step, at most about this long
STEP_PAUSE = 0.001  # between steps: the loop's timers (a frame, a key's echo) come first
FILL_AFTER = 0.05  # the rows below the screen are laid out once the rows shown stayed this long
KEPT_BLOCKS = 600  # rendered blocks kept for the next answers (a page of rows has ~70)
HEADER_LINES = 3  # the header's lines at most (its rule under them besides)


@dataclass(eq=False)
class Row:
    """One entry: `build()` gives its blocks, made when the row is first needed.
    A row without an id is a heading the cursor skips."""

    build: Callable[[], Blocks]
    id: str | None = None
    _blocks: Blocks | None = field(default=None, repr=False)

    @property
    def blocks(self) -> Blocks:
        if self._blocks is None:
            self._blocks = self.build()
        return self._blocks

    @property
    def selectable(self) -> bool:
        return self.id is not None

    @property
    def text(self) -> str:
        """What the row says, as plain text (indents included)."""
        return "\n".join(" " * indent + text.plain for text, indent in self.blocks)


class _StandardKeys(ScrollView):
    """The keys every Textual list has (help lists them once, not for each list)."""

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]


class ResultOptions(_StandardKeys, can_focus=True):
    """A header and a list of rows with a cursor: ↑ ↓ PgUp PgDn Home End (and j k g G) move,
    Enter selects."""

    BINDINGS = list_keys()
    COMPONENT_CLASSES = {"result-options--cursor", "result-options--rule"}
    # The rows' height changes with every answer: that needs the scrollbar updated
    # (_sync_size), not the screen laid out again nor the list drawn again (the lines that
    # changed are refreshed by whoever changed them).
    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)

    class Selected(Message):
        """Enter (or a click) on a row."""

        def __init__(self, options: ResultOptions, row: Row, index: int) -> None:
            super().__init__()
            self.options, self.row, self.index = options, row, index

        @property
        def control(self) -> ResultOptions:
            return self.options

    class Highlighted(Message):
        """The cursor moved (by a key, or new rows came while the list has the focus)."""

        def __init__(self, options: ResultOptions) -> None:
            super().__init__()
            self.options = options

        @property
        def control(self) -> ResultOptions:
            return self.options

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.header: Text | None = None  # shown above the rows, with a rule under it
        self._cursor: int | None = None
        self._width = 0  # the width the rendered rows were wrapped to
        self._base = Style()  # the widget's style under them
        self._head: list[Strip] = []  # the header's lines and its rule, rendered
        self._strips: list[list[Strip]] = []  # the rendered rows: a prefix of self.rows
        self._lines: list[tuple[int, int]] = []  # each rendered line: (row, line in the row)
        self._tops: list[int] = []  # each rendered row's first line
        self._kept: dict[tuple, list[Strip]] = {}  # rendered blocks by what they show
        self._stepping = False  # a task lays out the rest of the rows
        self._replaced = 0  # how many times rows were given (a fill waits for them to stay)
        self._prepared: tuple[list[Row], Callable[[], None]] | None = None  # rows to render, then what
        self._preparing = False  # a task renders them

    # -- the rows -----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row], cursor: int | None = None, header: Text | None = None) -> None:
        """Show `rows` from the top, the cursor on `cursor` (or the first row it can be on),
        under `header` when one is given (the header shown stays otherwise)."""
        drawn = self._drawn()
        self.rows = list(rows)
        self._replaced += 1
        if header is not None:
            self.header = header
        self._strips, self._lines, self._tops = [], [], []
        if self._width != self.scrollable_content_region.width or self._base != self.rich_style:
            self._reset()
        elif header is not None:
            self._head = self._render_header()
        if cursor is None or not 0 <= cursor < len(self.rows) or not self.rows[cursor].selectable:
            cursor = self._next(-1, 1)
        self._cursor = cursor
        self.scroll_to(y=0, animate=False, immediate=True)
        self._lay_out(self._screenful(), cursor)
        self._sync_size(final=False)
        if cursor is not None:
            self._scroll_to_row(cursor)
        self._redraw(drawn)
        self._fill_later()
        if self.has_focus:
            self.post_message(self.Highlighted(self))

    def prepare(self, rows: Sequence[Row], then: Callable[[], None]) -> None:
        """Render the blocks of the rows the screen will show first, in short steps, then call
        `then()` (which shows them: set_rows finds them rendered). A newer call replaces one
        still preparing, whose `then` is never called."""
        job = self._prepared = (list(rows), then)
        if self._prepare_step(job):
            self._prepared = None
            then()
        elif not self._preparing:
            self._preparing = True
            self.run_worker(self._prepare(), name="render the first results", group="result-options-first",
                            exit_on_error=True)

    @property
    def preparing(self) -> bool:
        """Rows given to `prepare` are not shown yet."""
        return self._prepared is not None

    def _prepare_step(self, job: tuple[list[Row], Callable[[], None]]) -> bool:
        """Render blocks of the job's first rows for a while; True when they are all rendered."""
        deadline = time.perf_counter() + STEP_SECONDS
        lines, screen = 0, self._rows_height() + 1
        for row in job[0]:
            if lines >= screen or not self._width:
                return True
            if time.perf_counter() > deadline:
                return False
            for text, indent in row.blocks:
                lines += len(self._block(text, indent))
        return True

    async def _prepare(self) -> None:
        """Step through the newest job until its rows are rendered, a turn of the loop apart."""
        try:
            while (job := self._prepared) is not None and self.is_attached:
                await asyncio.sleep(0)
                if job is self._prepared and self._prepare_step(job):
                    self._prepared = None
                    job[1]()
        finally:
            self._preparing = False

    def update_rows(self, rows: Sequence[Row]) -> None:
        """New versions of some shown rows (the same ids in the same places; unchanged rows are
        the same objects): the rows from the first changed one are laid out again, the cursor
        and the scroll stay."""
        if len(rows) != len(self.rows) or any(a.id != b.id for a, b in zip(rows, self.rows, strict=True)):
            self.set_rows(rows, self._cursor)
            return
        first = next((i for i, (a, b) in enumerate(zip(rows, self.rows, strict=True)) if a is not b), None)
        self.rows = list(rows)
        if first is None:
            return
        drawn = self._drawn()
        self._replaced += 1
        if first < len(self._strips):
            del self._lines[self._tops[first]:]
            del self._strips[first:], self._tops[first:]
        self._lay_out(self._screenful(), self._cursor)
        self._sync_size(final=False)
        self._redraw(drawn)
        self._fill_later()

    @property
    def filling(self) -> bool:
        """Rows are still to be prepared or laid out (they are, in steps)."""
        return self.preparing or (bool(self._width) and len(self._strips) < len(self.rows))

    @property
    def highlighted(self) -> int | None:
        """The index of the row under the cursor."""
        return self._cursor

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None and not (0 <= index < len(self.rows) and self.rows[index].selectable):
            return
        old, self._cursor = self._cursor, index
        for row in (old, index):
            self._refresh_row(row)
        if index is not None:
            self._scroll_to_row(index)
        if old != index:
            self.post_message(self.Highlighted(self))

    @property
    def highlighted_row(self) -> Row | None:
        return self.rows[self._cursor] if self._cursor is not None else None

    # -- keys ---------------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self._move(self._next(self._cursor if self._cursor is not None else -1, 1))

    def action_cursor_up(self) -> None:
        self._move(self._next(self._cursor if self._cursor is not None else len(self.rows), -1))

    def action_first(self) -> None:
        self._move(self._next(-1, 1))

    def action_last(self) -> None:
        self._move(self._next(len(self.rows), -1))

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_select(self) -> None:
        if self._cursor is not None:
            self.post_message(self.Selected(self, self.rows[self._cursor], self._cursor))

    def _move(self, index: int | None) -> None:
        if index is not None:
            self.highlighted = index

    def _next(self, start: int, step: int) -> int | None:
        """The first row after `start` (going by `step`) that the cursor can be on."""
        index = start + step
        while 0 <= index < len(self.rows):
            if self.rows[index].selectable:
                return index
            index += step
        return None

    def _page(self, direction: int) -> None:
        """Move the cursor about a screen's height, onto a row it can be on."""
        cursor = self._cursor
        if cursor is None or not self._width:
            self.action_first() if direction < 0 else self.action_last()
            return
        self._lay_out(0, cursor)
        line = self._tops[cursor] + direction * self._rows_height()
        self._lay_out(line + 1)
        row = self._lines[min(max(0, line), len(self._lines) - 1)][0]
        target = row if self.rows[row].selectable else self._next(row, direction)
        if target is None:
            target = self._next(row, -direction)
        if target is None or target == cursor:
            target = self._next(cursor, direction)  # a row taller than the screen
        self._move(target)

    async def _on_click(self, event: events.Click) -> None:
        line = self.scroll_offset.y + event.y - len(self._head)
        row = self._lines[line][0] if event.y >= len(self._head) and 0 <= line < len(self._lines) else None
        if row is not None and self.rows[row].selectable:
            self.highlighted = row
            self.action_select()

    # -- laying out and drawing ---------------------------------------------------------------

    def _reset(self) -> None:
        """Everything rendered is dropped: the width or the styles changed."""
        self._width = self.scrollable_content_region.width
        self._base = self.rich_style
        self._strips, self._lines, self._tops = [], [], []
        self._kept.clear()
        self._head = self._render_header()

    def _rows_height(self) -> int:
        """The lines the rows have on screen (under the header)."""
        return max(1, self.scrollable_content_region.height - len(self._head))

    def _screenful(self) -> int:
        """The lines to lay out at once: what is on screen, and one more, so that the scrollbar
        is there from the start when more rows will come (it is not shown, then hidden again)."""
        return self.scroll_offset.y + self._rows_height() + 1

    def _lay_out(self, lines: int, row: int | None = None) -> None:
        """Render rows until `lines` lines and row `row` are rendered (or all rows are)."""
        if not self._width:
            return
        while len(self._strips) < len(self.rows) and (len(self._lines) < lines
                                                      or (row is not None and len(self._strips) <= row)):
            self._render_row()

    def _render_row(self) -> None:
        index = len(self._strips)
        strips: list[Strip] = []
        for text, indent in self.rows[index].blocks:
            strips.extend(self._block(text, indent))
        strips = strips or [Strip.blank(self._width, self._base)]
        self._tops.append(len(self._lines))
        self._lines.extend((index, n) for n in range(len(strips)))
        self._strips.append(strips)

    def _block(self, text: Text, indent: int) -> list[Strip]:
        """`text` wrapped under `indent` cells and rendered, or kept from an earlier answer."""
        key = (text.plain, text.style, tuple(text.spans), indent)
        kept = self._kept.pop(key, None)
        if kept is None:
            kept = self._wrap(text, indent, self._width - indent)
            if len(self._kept) >= KEPT_BLOCKS:
                del self._kept[next(iter(self._kept))]
        self._kept[key] = kept  # the most recently used last
        return kept

    def _wrap(self, text: Text, indent: int, width: int, limit: int | None = None) -> list[Strip]:
        return self._strips_of(text.wrap(self.app.console, max(1, width), no_wrap=False)[:limit], indent)

    def _strips_of(self, lines: Sequence[Text], indent: int) -> list[Strip]:
        console, base, full = self.app.console, self._base, self._width
        pad = [Segment(" " * indent, base)] if indent else []
        strips = []
        for line in lines:
            line.rstrip()
            segments = [*pad, *Segment.apply_style(line.render(console), base)]
            strips.append(Strip(segments).crop_extend(0, full, base))
        return strips

    def _render_header(self) -> list[Strip]:
        """The header's lines (a cell of padding each side) and the rule under them. Its last
        line (the count, or "Nothing matches") is always shown whole; the notes above it get
        the lines left, the last one kept ending in "…" when some are cut."""
        if self.header is None or not self._width:
            return []
        console, width = self.app.console, max(1, self._width - 2)
        *notes, last = self.header.split("\n", allow_blank=True) or [Text()]
        tail = list(last.wrap(console, width, no_wrap=False))[:HEADER_LINES]
        above: list[Text] = [line for note in notes for line in note.wrap(console, width, no_wrap=False)]
        room = HEADER_LINES - len(tail)
        if len(above) > room:
            above = above[:room]
            if above:
                cut = above[-1]
                cut.truncate(max(1, width - 1))
                cut.rstrip()
                cut.append("…")
        lines = self._strips_of([*above, *tail], 1)
        rule = self._base + self.get_component_rich_style("result-options--rule", partial=True)
        return [*lines, Strip([Segment("─" * self._width, rule)], self._width)]

    def _fill_later(self) -> None:
        """Lay out the rest of the rows in steps (one task does it for every answer)."""
        if not self._stepping and len(self._strips) < len(self.rows):
            self._stepping = True
            self.run_worker(self._fill(), name="lay out the results", group="result-options", exit_on_error=True)

    async def _fill(self) -> None:
        """Once the rows shown have stayed FILL_AFTER seconds (while typing, the next answer
        usually replaces them first: their rows below the screen are never needed), lay out
        rows for a while, pause, again until every row is laid out. A pause, not just a turn of
        the loop: a timer that is due (the next frame, the echo of a key) runs before the next
        step. Rows replaced meanwhile are waited for in turn. Until then the scrollbar is as
        long as the rows laid out (or the earlier rows, if longer), and a key that needs rows
        below (End, PgDn) lays them out itself."""
        try:
            while self.is_attached and self._width and len(self._strips) < len(self.rows):
                replaced = self._replaced
                await asyncio.sleep(FILL_AFTER)
                while replaced == self._replaced and self._width and len(self._strips) < len(self.rows):
                    deadline = time.perf_counter() + STEP_SECONDS
                    while len(self._strips) < len(self.rows) and time.perf_counter() < deadline:
                        self._render_row()
                    if len(self._strips) == len(self.rows):
                        self._sync_size()
                    else:
                        await asyncio.sleep(STEP_PAUSE)
        finally:
            self._stepping = False

    def _sync_size(self, final: bool = True) -> None:
        """The scrollable height: the header and the lines laid out so far (all of them once
        laid out). Not `final` while rows are still to come: it only grows then (the scrollbar
        is drawn again once, when they are all laid out)."""
        size = Size(self._width, len(self._head) + len(self._lines))
        within = size.height <= self.virtual_size.height and size.width == self.virtual_size.width
        if not final and len(self._strips) < len(self.rows) and within:
            return
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def _drawn(self) -> tuple | None:
        """What each screen line shows (strips are kept, so the same object is the same line),
        to draw again only the lines that change."""
        if not self._width:
            return None
        lines: list = list(self._head)
        first = self.scroll_offset.y
        for line in range(first, first + self._rows_height()):
            if line >= len(self._lines):
                break
            row, offset = self._lines[line]
            lines.append((self._strips[row][offset], row == self._cursor))
        return self.scroll_offset, self.size, lines

    def _redraw(self, before: tuple | None) -> None:
        """Refresh the screen lines that differ from `before` (all of them if it scrolled)."""
        after = self._drawn()
        if before is None or after is None or before[:2] != after[:2]:
            self.refresh()
            return
        old, new = before[2], after[2]
        changed = [y for y in range(max(len(old), len(new)))
                   if y >= len(old) or y >= len(new) or (old[y] is not new[y] and old[y] != new[y])]
        # Runs of changed lines, as wide as the rows (the scrollbar beside them is not drawn again).
        for n, y in enumerate(changed):
            if n == 0 or changed[n - 1] != y - 1:
                start = y
            if n == len(changed) - 1 or changed[n + 1] != y + 1:
                self.refresh(Region(0, start, self._width, y + 1 - start))

    def _refresh_row(self, row: int | None) -> None:
        if row is not None and row < len(self._tops):
            self.refresh_lines(len(self._head) + self._tops[row], len(self._strips[row]))

    def _scroll_to_row(self, row: int) -> None:
        if not self._width:
            return
        self._lay_out(0, row)
        self._sync_size(final=False)
        top, height, head = self._tops[row], len(self._strips[row]), len(self._head)
        self.scroll_to_region(Region(0, head + top, self._width, height), spacing=Spacing(head, 0, 0, 0),
                              animate=False, force=True, immediate=True)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._reset()
            self._fill_later()
        if y < len(self._head):
            return self._head[y]
        line = self.scroll_offset.y + y - len(self._head)
        self._lay_out(line + 1)
        if line >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        row, offset = self._lines[line]
        strip = self._strips[row][offset]
        if row == self._cursor:  # over the row's own styles (a marked word stays marked)
            cursor = self.get_component_rich_style("result-options--cursor")
            strip = Strip(Segment.apply_style(strip, post_style=cursor), strip.cell_length)
        return strip

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._reset()
            self._lay_out(self._screenful(), self._cursor)
            self._sync_size()
            self._fill_later()
        if self._cursor is not None:
            self._scroll_to_row(self._cursor)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.rich_style != self._base:  # the rows are rendered over the old style: again
            self._reset()
            self._lay_out(self._screenful(), self._cursor)
            self._sync_size()
            self.refresh()
            self._fill_later()
