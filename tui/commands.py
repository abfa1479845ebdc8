"""Command palette provider: jump to any entry or article by name (the actions come from the
bindings, through `AllianceApp.get_system_commands`).

Names, titles and file names come from the corpus: the palette shows them as plain
`Content` (Textual parses a `str` prompt or help as markup), made terminal-safe. Its cost
is bounded: matching is linear in the text (tui/fuzzy.py), the search gives the event loop
a turn every few hundred entries (a newer key cancels it there), and only the best hits
are listed.
"""

from __future__ import annotations

import asyncio
import heapq
import weakref
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from facts.kinds import KINDS, NAMED_KINDS
from facts.text import safe_for_terminal
from tui.fuzzy import match

BEST = 100  # hits listed for a query
TURN = 250  # entries matched between two turns of the event loop

_cache: tuple[weakref.ref, list] | None = None  # (the fact base, weakly: an old one is not kept; its entries)


def highlighted(matcher: Matcher, text: str, offsets: list[int]) -> Content:
    """`text` taken literally, with the letters at `offsets` styled.

    `Matcher.highlight` would parse `text` as markup: a title such as
    "Renault news [/x]" would raise, and "[@click=app.quit]q[/]" would become a link.
    """
    content = Content(text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class EntryCommands(Provider):
    """Companies, people, vehicles, platforms, technologies, partnerships and articles."""

    def _entries(self) -> list[tuple[str, str, object]]:
        """(title, help, callback) of every entry and article, made once per fact base."""
        global _cache
        app = self.app
        if app.kb is None or not app.kb.ready:
            return []
        base = app.kb.facts
        if _cache is not None and _cache[0]() is base:
            return _cache[1]
        out = []
        for fact in base.facts.values():
            if fact.kind in NAMED_KINDS:
                names = " ".join(fact.aliases)
                out.append((f"{KINDS[fact.kind].label}: {fact.name}", names,
                            partial(app.main.open_entity, fact.id)))
        for name, meta in base.articles.items():
            out.append((f"Article: {meta.title}", f"{name} {meta.publisher or ''} {meta.date_label}",
                        partial(app.main.open_article, name)))
        entries = [(safe_for_terminal(title), safe_for_terminal(help_text), callback)
                   for title, help_text, callback in out]
        _cache = (weakref.ref(base), entries)
        return entries

    async def discover(self) -> Hits:
        """The first BEST entries (companies, people, … then articles): the rest are found by typing."""
        for title, help_text, callback in self._entries()[:BEST]:
            yield DiscoveryHit(Content(title), callback, text=title,
                               help=Content(help_text) if help_text else None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        best: list[tuple[float, int, list[int]]] = []
        entries = self._entries()
        for number, (title, help_text, _) in enumerate(entries):
            if number % TURN == TURN - 1:
                await asyncio.sleep(0)  # keys are echoed meanwhile; a newer key cancels this search here
            score, offsets = match(query, title)
            if help_text and (other := match(query, help_text)[0] * 0.8) > score:
                score = other
            if score > 0:
                item = (score, -number, offsets)
                if len(best) < BEST:
                    heapq.heappush(best, item)
                elif item > best[0]:
                    heapq.heapreplace(best, item)
        for score, number, offsets in sorted(best, reverse=True):
            title, help_text, callback = entries[-number]
            yield Hit(score, highlighted(matcher, title, offsets), callback, text=title,
                      help=Content(help_text) if help_text else None)
