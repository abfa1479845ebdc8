"""Command palette provider: jump to any entry or article by name (the actions come from the
bindings, through `AllianceApp.get_system_commands`).

Names, titles and file names come from the corpus: the palette shows them as plain
`Content` (Textual parses a `str` prompt or help as markup), made terminal-safe.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from facts.kinds import KINDS, NAMED_KINDS
from facts.text import safe_for_terminal


def highlighted(matcher: Matcher, text: str) -> Content:
    """`text` taken literally, with the letters the query matched styled.

    `Matcher.highlight` would parse `text` as markup: a title such as
    "Renault news [/x]" would raise, and "[@click=app.quit]q[/]" would become a link.
    """
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class EntryCommands(Provider):
    """Companies, people, vehicles, platforms, technologies, partnerships and articles."""

    def _entries(self) -> list[tuple[str, str, object]]:
        app = self.app
        if app.kb is None or not app.kb.ready:
            return []
        base = app.kb.facts
        out = []
        for fact in base.facts.values():
            if fact.kind in NAMED_KINDS:
                names = " ".join(fact.aliases)
                out.append((f"{KINDS[fact.kind].label}: {fact.name}", names,
                            partial(app.main.open_entity, fact.id)))
        for name, meta in base.articles.items():
            out.append((f"Article: {meta.title}", f"{name} {meta.publisher or ''} {meta.date_label}",
                        partial(app.main.open_article, name)))
        return [(safe_for_terminal(title), safe_for_terminal(help_text), callback)
                for title, help_text, callback in out]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            yield DiscoveryHit(Content(title), callback, text=title,
                               help=Content(help_text) if help_text else None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = max(matcher.match(title), matcher.match(help_text) * 0.8 if help_text else 0)
            if score > 0:
                yield Hit(score, highlighted(matcher, title), callback, text=title,
                          help=Content(help_text) if help_text else None)
