"""SuggestionSource: the article around a suggestion's sentence, the quote highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

WINDOW = 700  # characters of context on each side of the sentence


def excerpt(raw: str, sentence: tuple[int, int], quote: tuple[int, int]) -> Text:
    """The paragraph(s) around `sentence`, quote reversed and the rest of the sentence underlined."""
    start = raw.rfind("\n\n", 0, max(0, sentence[0] - WINDOW // 2))
    start = max(0, sentence[0] - WINDOW) if start < 0 else start + 2
    end = raw.find("\n\n", min(len(raw), sentence[1] + WINDOW // 2))
    end = min(len(raw), sentence[1] + WINDOW) if end < 0 else end
    text = Text(raw[start:end])
    text.stylize("underline", max(0, sentence[0] - start), max(0, sentence[1] - start))
    text.stylize("reverse bold", max(0, quote[0] - start), max(0, quote[1] - start))
    if start > 0:
        text = Text("… ") + text
    if end < len(raw):
        text.append(" …")
    return text


class SuggestionSource(VerticalScroll):
    """The source of the highlighted suggestion, scrolled to its sentence."""

    def compose(self):
        yield Static(id="suggestion-source-text", markup=False)

    def show(self, raw: str, sentence: tuple[int, int], quote: tuple[int, int]) -> None:
        body = excerpt(raw, sentence, quote)
        static = self.query_one(Static)
        static.update(body)
        before = body.plain[: body.plain.find(raw[quote[0]:quote[0] + 20])] if quote[1] > quote[0] else ""
        width = max(20, self.size.width - 2)
        line = sum(len(part) // width + 1 for part in before.split("\n")) - 1
        self.call_after_refresh(self.scroll_to, y=max(0, line - 2), animate=False)
