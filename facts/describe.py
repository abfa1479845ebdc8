"""One-line descriptions of facts, as shown in lists and indexed for search."""

from __future__ import annotations

from collections.abc import Callable

from .model import Fact

Namer = Callable[[str], str]

STATUS_LABELS = {
    "on-sale": "on sale", "in-talks": "in talks", "in-use": "in use", "under-way": "under way",
    "ruled-out": "ruled out", "joint-venture": "joint venture", "business-unit": "business unit",
    "industry-body": "industry body", "plug-in-hybrid": "plug-in hybrid",
}


def label(value: object) -> str:
    """A field value as words: 'on-sale' -> 'on sale'."""
    text = str(value)
    return STATUS_LABELS.get(text, text)


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _join(parts: list[str]) -> str:
    return ", ".join(p for p in parts if p)


CERTAINTY_MARKS = {"expected": "expected", "reported": "reported, unconfirmed", "opinion": "opinion"}


def as_of(f: Fact) -> str:
    """'as of 8 Nov 2022' (or 'as of ~Nov 2024' for an estimated date); '' when undated."""
    date, estimated = f.as_of
    return f"as of {date.label(estimated)}" if date else ""


def _status(f: Fact, status: str) -> str:
    """'active as of 26 Apr 2024'."""
    when = as_of(f)
    return f"{status} {when}" if when else status


def _hedge(f: Fact, key: str) -> str:
    return " (unconfirmed)" if key in (f.get("hedged") or ()) else ""


def _certainty(f: Fact) -> str:
    mark = CERTAINTY_MARKS.get(f.certainty)
    return f" [{mark}]" if mark else ""


def _company(f: Fact, name: Namer) -> str:
    bits = [label(f.get("type"))]
    if f.get("parent"):
        bits.append(_status(f, f"part of {name(f.get('parent'))}"))
    if f.get("country"):
        bits.append(f.get("country"))
    text = f"{f.name} ({_join(bits)})"
    return f"{text}: {f.get('description')}" if f.get("description") else text


def _person(f: Fact, name: Namer) -> str:
    return f"{f.name}: {f.get('description')}" if f.get("description") else f.name


def _role(f: Fact, name: Namer) -> str:
    span = ""
    if f.get("since") or f.get("until"):
        span = f" ({f.get('since') or ''}–{f.get('until') or ''})"
    when = f" ({as_of(f)})" if as_of(f) and not f.get("until") else ""
    return f"{name(f.get('person'))}: {f.get('title')} of {name(f.get('org'))}{span}{when}"


def _vehicle(f: Fact, name: Namer) -> str:
    bits = [
        f"by {name(f.get('maker'))}",
        f"{f.get('segment')}-segment" if f.get("segment") else "",
        f.get("body") or "",
        f"on {name(f.get('platform'))}{_hedge(f, 'platform')}" if f.get("platform") else "platform not stated",
        _status(f, label(f.get("status"))),
        f"launch {f.get('launch')}{_hedge(f, 'launch')}" if f.get("launch") else "",
        f"price {f.get('price')}{_hedge(f, 'price')}" if f.get("price") else "",
    ]
    return f"{f.name} ({_join(bits)})"


def _platform(f: Fact, name: Namer) -> str:
    bits = [f.get("type") or "platform", f"of {name(f.get('owner'))}",
            f"launch {f.get('launch')}" if f.get("launch") else "",
            _status(f, label(f.get("status"))) if f.get("status") else ""]
    text = f"{f.name} ({_join(bits)})"
    return f"{text}: {f.get('description')}" if f.get("description") else text


def _technology(f: Fact, name: Namer) -> str:
    owner = f" of {name(f.get('owner'))}" if f.get("owner") else ""
    category = f" ({f.get('category')}{owner})" if f.get("category") else (f" ({owner.strip()})" if owner else "")
    return f"{f.name}{category}: {f.get('description')}"


def _partnership(f: Fact, name: Namer) -> str:
    parties = " + ".join(name(p) for p in f.get("parties", []))
    when = f", since {f.get('date')}" if f.get("date") else ""
    until = f", until {f.get('until')}" if f.get("until") else ""
    return (f"{f.name} [{label(f.get('type'))}, {_status(f, label(f.get('status')))}{when}{until}]"
            f"{_certainty(f)}: {parties}: {f.get('covers')}{_hedge(f, 'covers')}")


def _stake(f: Fact, name: Namer) -> str:
    size = f"{_number(f.get('percent'))}%" if f.get("percent") is not None else (f.get("size") or "a")
    verb = {"current": "holds", "planned": "plans to hold", "proposed": "would hold", "ended": "held"}[f.get("status")]
    date = f.get("date")
    bits = [(f"for {date}" if f.get("status") in ("planned", "proposed") else f"since {date}") if date else "",
            f"until {f.get('until')}" if f.get("until") else "", as_of(f)]
    when = f" ({_join(bits)})" if any(bits) else ""
    text = f"{name(f.get('holder'))} {verb} {size} stake in {name(f.get('target'))}{when}{_certainty(f)}"
    return f"{text}: {f.get('description')}" if f.get("description") else text


def _figure(f: Fact, name: Namer) -> str:
    approx = "about " if f.get("approximate") else ""
    unit = f" {f.get('unit')}" if f.get("unit") else ""
    when = f" ({as_of(f)})" if as_of(f) else ""
    return f"{name(f.get('subject'))}: {f.get('metric')}: {approx}{_number(f.get('value'))}{unit}{when}{_certainty(f)}"


def _goal(f: Fact, name: Namer) -> str:
    when = f" by {f.get('by')}" if f.get("by") else (f" from {f.get('from')}" if f.get("from") else "")
    return f"{name(f.get('subject'))} goal{when}{_certainty(f)}: {f.get('summary')}"


def _plan(f: Fact, name: Namer) -> str:
    status = _status(f, label(f.get("status"))) if f.get("status") else as_of(f)
    status = f" ({status})" if status else ""
    when = f" {f.get('date')}" if f.get("date") else ""
    return f"{name(f.get('subject'))} plan{when}{status}{_certainty(f)}: {f.get('summary')}"


def _event(f: Fact, name: Namer) -> str:
    when = f" ({f.get('date')})" if f.get("date") else ""
    return f"{name(f.get('subject'))}{when}{_certainty(f)}: {f.get('summary')}"


STATEMENT_VERBS = {"confirmed": " said", "expected": " expects", "opinion": ", in an opinion",
                   "reported": ", as the article reports it (not their own words)"}


def speakers(f: Fact, name: Namer) -> str:
    """'Nissan and Renault Group' for a statement's speakers."""
    names = [name(s) for s in f.get("speaker") or ()]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _statement(f: Fact, name: Namer) -> str:
    when = f" ({f.get('date')})" if f.get("date") else ""
    verb = STATEMENT_VERBS[f.certainty]
    return f"{speakers(f, name)}{when}{verb}: {f.get('summary')}"


_DESCRIBERS: dict[str, Callable[[Fact, Namer], str]] = {
    "company": _company, "person": _person, "role": _role, "vehicle": _vehicle,
    "platform": _platform, "technology": _technology, "partnership": _partnership,
    "stake": _stake, "figure": _figure, "goal": _goal, "plan": _plan, "event": _event,
    "statement": _statement,
}


def describe(fact: Fact, name: Namer) -> str:
    """The fact in one line, naming the entities it refers to."""
    text = _DESCRIBERS[fact.kind](fact, name)
    return f"{text} [superseded]" if fact.superseded_by else text
