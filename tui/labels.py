"""Rich `Text` for facts, citations and results: built from parts, never parsed as markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.text import Text

from facts.dates import date_key
from facts.describe import label
from facts.text import bare_quote, safe_for_terminal

if TYPE_CHECKING:
    from facts.base import FactBase
    from facts.model import Fact, Source

# Status markers carry the state in words, so nothing depends on colour alone.
STATUS_MARK = {
    "on-sale": "on sale", "announced": "announced", "planned": "planned", "rumoured": "rumoured",
    "concept": "concept", "discontinued": "discontinued", "active": "active", "in-talks": "in talks",
    "ended": "ended", "in-use": "in use",
}


def marked(text: str, spans, style: Style | str = "reverse") -> Text:
    """`text` taken literally, with `spans` styled."""
    out = Text(text)
    for start, end in spans or ():
        if 0 <= start < end <= len(text):
            out.stylize(style, start, end)
    return out


def indented(renderable: RenderableType, indent: int) -> Padding:
    """`renderable` with every wrapped line indented by `indent` cells (a Padding measures and
    renders in half the time of a two-column grid, which counts while results are typed)."""
    return Padding(renderable, (0, 0, 0, indent))


def stack(first: RenderableType, *rest: tuple[RenderableType, int]) -> Group:
    """A block: `first`, then each (renderable, indent) below it with a hanging indent."""
    return Group(first, *(indented(r, n) if n else r for r, n in rest))


def date_label(base: FactBase, source: Source) -> str:
    meta = base.articles.get(source.article)
    if meta is not None:
        return meta.date_label
    if source.reported is None:
        return "unknown date"
    return f"~{source.reported} (estimate)" if source.reported_estimated else str(source.reported)


def citation(base: FactBase, source: Source) -> str:
    """'Title, Publisher, date [file]' for one source (a file name is made terminal-safe)."""
    meta = base.articles.get(source.article)
    name = safe_for_terminal(source.article)
    title = meta.title if meta else name
    publisher = f", {meta.publisher}" if meta and meta.publisher else ""
    return f"{title}{publisher}, {date_label(base, source)} [{name}]"


def clip_text(base: FactBase, fact: Fact) -> str:
    """A fact with its citations, as plain text for the clipboard."""
    lines = [fact.text]
    if fact.note:
        lines.append(f"Note: {fact.note}")
    for source in fact.sources:
        quote = bare_quote(source.quote)
        lines.append(f"“{quote}” — {citation(base, source)}")
    return "\n".join(lines)


def vehicle_label(base: FactBase, fact: Fact) -> Text:
    """'Renault 5 Electric  B · 2026 · [announced]' for the lineup tree."""
    out = Text(fact.name, style="bold")
    bits = []
    if fact.get("segment"):
        bits.append(f"{fact.get('segment')}-seg")
    elif fact.get("body"):
        bits.append(fact.get("body"))
    if fact.get("launch"):
        bits.append(str(fact.get("launch").year))
    if bits:
        out.append("  " + " · ".join(bits), style="dim")
    out.append(f"  [{STATUS_MARK.get(fact.get('status'), label(fact.get('status')))}]")
    return out


def reported_label(base: FactBase, fact: Fact) -> str:
    """'reported 8 Nov 2022' from the earliest source."""
    dates = sorted(fact.sources, key=lambda s: date_key(s.reported))
    return f"reported {date_label(base, dates[0])}" if dates else ""


def plural(count: int, word: str) -> str:
    """'1 fact', '2 facts', '1 entry', '3 entries', '1,000 articles'."""
    if count == 1:
        return f"1 {word}"
    return f"{count:,} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


def mentions_heading(total: int, shown: int) -> str:
    """'Mentioned in 5 articles' (and how many are listed when not all)."""
    head = f"Mentioned in {total} article{'' if total == 1 else 's'}"
    return head + (f" (the newest {shown})" if shown < total else "")
