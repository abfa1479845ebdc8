"""A profile's order: for each kind of fact, the current state first, then its history.

Both renderers (`alliance show` and the app's profile view) take their sections from here,
so the order of facts and the wording of history lines are the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .dates import PartialDate, date_key
from .kinds import KINDS

if TYPE_CHECKING:
    from .base import FactBase
    from .model import Fact

# Section order; "role" is shown as "People and roles".
SECTIONS = ("role", "stake", "figure", "partnership", "vehicle", "platform", "technology", "company",
            "goal", "plan", "event", "statement", "person")
TITLES = {"role": "People and roles", "company": "Companies and brands", "figure": "Key figures"}
ESTIMATE_LEGEND = "~ marks an estimated date: the article gives none (its metadata says why)."
_OPEN_STATUSES = ("planned", "proposed", "considered", "under-way", "announced", "in-talks")


@dataclass
class HistoryItem:
    """A fact that no longer describes the present, and why: 'listing planned … → …'."""

    fact: Fact
    text: str


@dataclass
class Section:
    kind: str
    title: str
    current: list[Fact] = field(default_factory=list)
    history: list[HistoryItem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.current) + len(self.history)


def when(fact: Fact) -> PartialDate | None:
    """The date a fact is placed at: when it happened or began, else when it was reported."""
    own = fact.get("since") if fact.kind == "role" else (
        fact.get("date") if fact.kind in ("event", "statement", "partnership") else None)
    return own or fact.reported


def order_key(fact: Fact) -> tuple:
    """Chronological (dates compared as dates, estimates by their value), then by text."""
    return (date_key(when(fact)), fact.text)


def reported_label(fact: Fact) -> str:
    """'reported 8 Nov 2022' (or '~Nov 2024') from the earliest source, '' when undated."""
    dated = [s for s in fact.sources if s.reported is not None]
    if not dated:
        return ""
    first = min(dated, key=lambda s: s.reported)
    return f"reported {first.reported.label(first.reported_estimated)}"


def target(fact: Fact) -> PartialDate | None:
    """The date an open plan or planned stake is aimed at, if it has one."""
    if fact.kind in ("plan", "stake") and fact.get("status") in _OPEN_STATUSES:
        return fact.get("date")
    return None


def history_reason(fact: Fact, newest: PartialDate | None) -> str | None:
    """Why a fact is history rather than current (None if it is current).

    Superseded by a later report; ended; or aimed at a date that passed before the newest
    article without any article saying what became of it.
    """
    if fact.superseded_by:
        later = sorted(fact.superseded_by, key=order_key)
        return "replaced by: " + " · ".join(f"{f.text} ({reported_label(f)})" for f in later)
    if fact.get("status") == "ended" or fact.get("until"):
        return f"ended{' ' + str(fact.get('until')) if fact.get('until') else ''}"
    aim = target(fact)
    if aim is not None and newest is not None and aim.last_day < newest.first_day:
        return f"the target date {aim} has passed; no later article says what became of it"
    return None


def sections(base: FactBase, entity: Fact) -> list[Section]:
    """The facts about `entity`, by kind: current facts in date order, then history."""
    about = base.about(entity.id)
    newest = base.latest_article_date()
    out = []
    for kind in SECTIONS:
        items = sorted((f for f in about if f.kind == kind), key=order_key)
        if not items:
            continue
        section = Section(kind, TITLES.get(kind, KINDS[kind].section.title()))
        for fact in items:
            reason = history_reason(fact, newest)
            if reason is None:
                section.current.append(fact)
            else:
                section.history.append(HistoryItem(fact, f"{fact.text} → {reason}"))
        out.append(section)
    return out


def has_estimates(facts: list[Fact]) -> bool:
    """True if any of these facts is dated from an estimated article date."""
    return any(s.reported_estimated for f in facts for s in f.sources)
