"""The timeline: what happened when, and the targets the articles set, in date order.

An entry is a dated event or statement, a partnership or role beginning or ending, a report
of a plan, stake or partnership (at the date of the article that reports it), a change of
status (a fact that supersedes another), or a target: a date in the future of the article
that gives it ('by 2031', 'launch in 2026'). Targets are kept apart from what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import PartialDate, date_key
from .profile import history_reason

if TYPE_CHECKING:
    from .base import FactBase
    from .model import Fact

HAPPENED, TARGET = "happened", "target"


@dataclass
class Entry:
    """One line of the timeline."""

    date: PartialDate
    estimated: bool  # the date is an estimated article date
    type: str  # HAPPENED or TARGET
    what: str  # event, statement, began, ended, reported, status change, target, launch ...
    fact: Fact
    source: int = 0  # the source whose quote backs this entry
    note: str = ""  # e.g. "the date has passed; no later article says what became of it"

    @property
    def date_label(self) -> str:
        return self.date.label(self.estimated)

    @property
    def set_on(self) -> tuple[PartialDate | None, bool]:
        """When the article behind this entry was published."""
        source = self.fact.sources[self.source]
        return source.reported, source.reported_estimated

    def to_json(self, base: FactBase) -> dict:
        set_on, set_estimated = self.set_on
        sources = []
        for source in self.fact.sources:
            meta = base.articles.get(source.article)
            sources.append({"article": source.article, "title": meta.title if meta else None,
                            "date": source.reported.iso if source.reported else None,
                            "date_estimated": source.reported_estimated, "quote": source.quote})
        return {
            "type": self.type, "what": self.what, "date": self.date.iso, "date_label": self.date_label,
            "date_estimated": self.estimated,
            "set_on": set_on.iso if set_on else None, "set_on_estimated": set_estimated,
            "fact": self.fact.id, "kind": self.fact.kind, "text": self.fact.text,
            "certainty": self.fact.certainty, "rank": self.fact.rank, "note": self.note or None,
            "source": self.source, "sources": sources,
        }


def _first_report(fact: Fact) -> tuple[int, PartialDate | None, bool]:
    """(index, date, estimated) of the earliest dated source."""
    dated = [(s.reported, i, s.reported_estimated) for i, s in enumerate(fact.sources) if s.reported is not None]
    if not dated:
        return 0, None, False
    date, index, estimated = min(dated, key=lambda d: (d[0], d[1]))
    return index, date, estimated


def _dated(fact: Fact, date: PartialDate, what: str, reported: PartialDate | None, index: int) -> Entry:
    """An entry at a date the fact states: a target if it lies after the date of the article
    that gives it (the first source whose quote names the year, else the first report)."""
    year = str(date.year)
    index = next((i for i, s in enumerate(fact.sources) if year in s.quote), index)
    reported = fact.sources[index].reported or reported
    future = reported is not None and date.first_day > reported.last_day
    return Entry(date, False, TARGET if future else HAPPENED, "target" if future else what, fact, index)


def entries_for(fact: Fact, newest: PartialDate | None = None) -> list[Entry]:
    """The timeline entries one fact gives."""
    index, reported, estimated = _first_report(fact)
    out: list[Entry] = []

    def at_report(what: str) -> None:
        if reported is not None:
            out.append(Entry(reported, estimated, HAPPENED, what, fact, index))

    kind = fact.kind
    if kind in ("event", "statement"):
        if fact.get("date"):
            out.append(_dated(fact, fact.get("date"), kind, reported, index))
        else:
            at_report(kind)
    elif kind == "partnership":
        if fact.get("date"):
            out.append(_dated(fact, fact.get("date"), "began", reported, index))
        else:
            at_report("reported")
        if fact.get("until"):
            out.append(_dated(fact, fact.get("until"), "ended", reported, index))
    elif kind == "role":
        if fact.get("since"):
            out.append(_dated(fact, fact.get("since"), "took office", reported, index))
        if fact.get("until"):
            out.append(_dated(fact, fact.get("until"), "left office", reported, index))
    elif kind in ("plan", "stake"):
        if fact.get("date"):
            out.append(_dated(fact, fact.get("date"), "done" if kind == "plan" else "taken", reported, index))
        else:
            at_report("reported")
    elif kind == "goal":
        aim = fact.get("by") or fact.get("from")
        if aim:
            out.append(_dated(fact, aim, "goal", reported, index))
        else:
            at_report("goal set")
    elif kind in ("vehicle", "platform") and fact.get("launch"):
        out.append(_dated(fact, fact.get("launch"), "launch", reported, index))
    if fact.get("supersedes") and reported is not None:  # its report is a change of status
        out = [e for e in out if e.what != "reported"]
        out.append(Entry(reported, estimated, HAPPENED, "status change", fact, index))
    for entry in out:
        if entry.type == TARGET and newest is not None and entry.date.last_day < newest.first_day:
            reason = history_reason(fact, newest)
            entry.note = reason or "the date has passed; no later article reports the outcome"
    return out


def involves(base: FactBase, fact: Fact, entity_id: str) -> bool:
    """True if the fact is about the entity: it is the entity, names it, or (for a company)
    involves it through a person, vehicle, platform or partnership."""
    if fact.id == entity_id:
        return True
    if any(ref == entity_id for _field, ref in fact.subject_refs()):
        return True
    entity = base.get(entity_id)
    return entity is not None and entity.kind == "company" and entity_id in base.companies_of(fact)


def timeline(base: FactBase, entity_id: str | None = None, since: PartialDate | None = None) -> list[Entry]:
    """Every entry, in date order (what happened before targets on the same date), optionally
    only those about one entity and those whose date reaches `since` or later."""
    newest = base.latest_article_date()
    out = []
    for fact in base.facts.values():
        if entity_id is not None and not involves(base, fact, entity_id):
            continue
        for entry in entries_for(fact, newest):
            if since is None or entry.date.last_day >= since.first_day:
                out.append(entry)
    out.sort(key=lambda e: (date_key(e.date), e.type != HAPPENED, e.fact.text))
    return out


def split(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(what happened, targets)."""
    return [e for e in entries if e.type == HAPPENED], [e for e in entries if e.type == TARGET]
