"""Command palette providers: jump to any entry or article by name, and every app action."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from facts.kinds import KINDS, NAMED_KINDS


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
                            partial(app.open_entity, fact.id)))
        for name, meta in base.articles.items():
            out.append((f"Article: {meta.title}", f"{name} {meta.publisher or ''} {meta.date_label}",
                        partial(app.open_article, name)))
        return out

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            yield DiscoveryHit(title, callback, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = max(matcher.match(title), matcher.match(help_text) * 0.8 if help_text else 0)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text or None)


class ActionCommands(Provider):
    """Every action that has a key, by its description."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in self.app.palette_actions():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.app.run_action, action), help=help_text)

    async def discover(self) -> Hits:
        for title, help_text, action in self.app.palette_actions():
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=help_text)
