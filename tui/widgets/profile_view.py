"""ProfileView: everything known about one entity, each line with its source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from facts import profile
from facts.describe import label
from facts.kinds import ENTITY_KINDS, KINDS, NAMED_KINDS
from facts.text import bare_quote
from tui.labels import citation, indented, marked, mentions_heading, stack
from tui.messages import OpenArticle, OpenEntity, OpenFact
from tui.widgets.list_keys import list_keys

if TYPE_CHECKING:
    from facts.base import FactBase
    from facts.mentions import MentionedIn
    from facts.model import Fact

_MENTIONS_HEAD, _MENTIONS_WAIT = "mentions-head", "mentions-wait"


def fact_option(base: FactBase, fact: Fact, indent: int = 2, text: str | None = None) -> Option:
    """The fact, then its first source (and how many more), each wrapped with an indent."""
    text = Text(fact.text if text is None else text)
    if fact.note:
        text.append("  (note)", style="italic")
    first = fact.sources[0]
    more = f" +{len(fact.sources) - 1} more" if len(fact.sources) > 1 else ""
    cite = Text(f"“{bare_quote(first.quote)}” — {citation(base, first)}{more}", style="dim")
    prompt = indented(stack(text, (cite, 2)), indent) if indent else stack(text, (cite, 2))
    return Option(prompt, id=f"fact:{fact.id}")


class ProfileView(OptionList):
    """The profile of an entity: Enter on a fact opens its quote, on a name opens its entry."""

    BINDINGS = [
        *list_keys(),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entity: Fact | None = None

    def show(self, base: FactBase, entity: Fact) -> None:
        self.entity = entity
        self.clear_options()
        self.add_options(self._build_options(base, entity))
        total = base.article_count(entity.id)
        if total:  # the sentences come from the articles: show_mentions fills them in
            self.add_options([Option(Text(f"\n{mentions_heading(total, total)}", style="bold"), id=_MENTIONS_HEAD,
                                     disabled=True),
                              Option(Text("  reading the articles…", style="dim italic"), id=_MENTIONS_WAIT,
                                     disabled=True)])
        self.highlighted = self._first_selectable()
        self.scroll_home(animate=False)

    def _first_selectable(self) -> int | None:
        for index, option in enumerate(self.options):
            if not option.disabled:
                return index
        return None

    def _build_options(self, base: FactBase, entity: Fact) -> list[Option]:
        kind = KINDS[entity.kind].label.lower()
        head = Text(entity.name, style="bold underline")
        kind_bits = [kind] + ([label(entity.get("type"))] if entity.get("type") else []) + \
            ([entity.get("country")] if entity.get("country") else [])
        head.append("  " + " · ".join(kind_bits), style="dim")
        if entity.aliases:
            head.append("\nAlso called: " + ", ".join(entity.aliases), style="dim")
        options = [Option(head, disabled=True), fact_option(base, entity, indent=0)]
        if entity.note:
            options.append(Option(Text(f"Note: {entity.note}", style="italic"), disabled=True))
        for link in base.links(entity):
            options.append(Option(Text(f"{link.relation}: ") + Text(link.fact.text), id=f"fact:{link.fact.id}"))
        about = base.about(entity.id)
        if profile.has_estimates([entity, *about]):
            options.append(Option(Text(profile.ESTIMATE_LEGEND, style="dim"), disabled=True))
        for section in profile.sections(base, entity):
            options.append(Option(Text(f"\n{section.title} ({len(section)})", style="bold"), disabled=True))
            if section.history and section.current:
                options.append(Option(Text("  Current:", style="bold"), disabled=True))
            options.extend(fact_option(base, f) for f in section.current)
            if section.history:
                options.append(Option(Text(f"  History ({len(section.history)}), no longer current:", style="bold"),
                                      disabled=True))
                options.extend(fact_option(base, item.fact, text=item.text) for item in section.history)
        related = self._related(base, entity, about)
        if related:
            options.append(Option(Text(f"\nRelated entries ({len(related)})", style="bold"), disabled=True))
            for other in related:
                prompt = Text("  → ") + Text(other.name, style="bold") + Text(f"  {KINDS[other.kind].label.lower()}", style="dim")
                options.append(Option(prompt, id=f"entity:{other.id}"))
        return options

    def show_mentions(self, entity_id: str, total: int, rows: list[MentionedIn]) -> None:
        """List the articles that name the entity on show: the sentence, then title and date."""
        if self.entity is None or self.entity.id != entity_id or _MENTIONS_WAIT not in self._option_ids():
            return
        self.remove_option(_MENTIONS_WAIT)
        self.replace_option_prompt(_MENTIONS_HEAD, Text(f"\n{mentions_heading(total, len(rows))}", style="bold"))
        options = []
        for row in rows:
            sentence = Text("“") + marked(row.sentence, [(row.start, row.end)], "bold underline") + Text("”")
            where = Text(f"{row.title} · {row.date_label}", style="dim")
            if row.count > 1:
                where.append(f" · named {row.count} times", style="dim")
            options.append(Option(indented(stack(sentence, (where, 2)), 2), id=f"mention:{row.offset}:{row.article}"))
        if total > len(rows):
            options.append(Option(Text(f"  and {total - len(rows)} older: search company:{entity_id} or "
                                       f"entity:{entity_id}", style="dim"), disabled=True))
        self.add_options(options)

    def _option_ids(self) -> set[str]:
        return {o.id for o in self.options if o.id}

    def selected_mention(self) -> tuple[str, int] | None:
        """(article, offset of the name) of the mention under the cursor, or None."""
        if self.highlighted is None:
            return None
        kind, _, rest = (self.get_option_at_index(self.highlighted).id or "").partition(":")
        if kind != "mention":
            return None
        offset, _, article = rest.partition(":")
        return article, int(offset)

    @staticmethod
    def _related(base: FactBase, entity: Fact, about: list[Fact]) -> list[Fact]:
        seen: dict[str, Fact] = {}
        for fact in [entity, *about]:
            if fact is not entity and fact.kind in NAMED_KINDS:
                seen.setdefault(fact.id, fact)
            for _field, ref in fact.subject_refs():
                other = base.get(ref)
                if other is None:
                    continue
                if other.id != entity.id and (other.kind in ENTITY_KINDS or other.kind == "partnership"):
                    seen.setdefault(other.id, other)
        return sorted(seen.values(), key=lambda f: (f.kind, f.name.lower()))

    def selected_fact_id(self) -> str | None:
        """The fact under the cursor (for copy and open-quote)."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        kind, _, ident = option_id.partition(":")
        return ident if kind in ("fact", "entity") else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, ident = (event.option.id or "").partition(":")
        mention = self.selected_mention()
        if kind == "mention" and mention is not None:
            self.post_message(OpenArticle(mention[0], focus=mention[1]))
        elif kind == "entity":
            self.post_message(OpenEntity(ident))
        elif kind == "fact":
            fact = self.app.kb.facts.get(ident) if self.app.kb else None
            if fact is not None and fact.kind in NAMED_KINDS and fact is not self.entity:
                self.post_message(OpenEntity(ident))
            else:
                self.post_message(OpenFact(ident))

    def action_first(self) -> None:
        self.highlighted = self._first_selectable()

    def action_last(self) -> None:
        if self.option_count:
            self.highlighted = self.option_count - 1
