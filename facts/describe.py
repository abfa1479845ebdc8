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


def _company(f: Fact, name: Namer) -> str:
    bits = [label(f.get("type"))]
    if f.get("parent"):
        bits.append(f"part of {name(f.get('parent'))}")
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
    return f"{name(f.get('person'))}: {f.get('title')} of {name(f.get('org'))}{span}"


def _vehicle(f: Fact, name: Namer) -> str:
    bits = [
        f"by {name(f.get('maker'))}",
        f"{f.get('segment')}-segment" if f.get("segment") else "",
        f.get("body") or "",
        f"on {name(f.get('platform'))}" if f.get("platform") else "platform not stated",
        label(f.get("status")),
        f"launch {f.get('launch')}" if f.get("launch") else "",
        f"price {f.get('price')}" if f.get("price") else "",
    ]
    return f"{f.name} ({_join(bits)})"


def _platform(f: Fact, name: Namer) -> str:
    bits = [f.get("type") or "platform", f"of {name(f.get('owner'))}",
            f"launch {f.get('launch')}" if f.get("launch") else "",
            label(f.get("status")) if f.get("status") else ""]
    text = f"{f.name} ({_join(bits)})"
    return f"{text}: {f.get('description')}" if f.get("description") else text


def _technology(f: Fact, name: Namer) -> str:
    owner = f" of {name(f.get('owner'))}" if f.get("owner") else ""
    category = f" ({f.get('category')}{owner})" if f.get("category") else (f" ({owner.strip()})" if owner else "")
    return f"{f.name}{category}: {f.get('description')}"


def _partnership(f: Fact, name: Namer) -> str:
    parties = " + ".join(name(p) for p in f.get("parties", []))
    when = f", {f.get('date')}" if f.get("date") else ""
    return f"{f.name} [{label(f.get('type'))}, {label(f.get('status'))}{when}]: {parties}: {f.get('covers')}"


def _stake(f: Fact, name: Namer) -> str:
    size = f"{_number(f.get('percent'))}%" if f.get("percent") is not None else (f.get("size") or "a")
    verb = {"current": "holds", "planned": "plans to hold", "proposed": "would hold", "ended": "held"}[f.get("status")]
    when = f" ({f.get('date')})" if f.get("date") else ""
    text = f"{name(f.get('holder'))} {verb} {size} stake in {name(f.get('target'))}{when}"
    return f"{text}: {f.get('description')}" if f.get("description") else text


def _figure(f: Fact, name: Namer) -> str:
    approx = "about " if f.get("approximate") else ""
    unit = f" {f.get('unit')}" if f.get("unit") else ""
    when = f" ({f.get('as_of')})" if f.get("as_of") else ""
    return f"{name(f.get('subject'))}: {f.get('metric')}: {approx}{_number(f.get('value'))}{unit}{when}"


def _goal(f: Fact, name: Namer) -> str:
    when = f" by {f.get('by')}" if f.get("by") else (f" from {f.get('from')}" if f.get("from") else "")
    return f"{name(f.get('subject'))} goal{when}: {f.get('summary')}"


def _plan(f: Fact, name: Namer) -> str:
    status = f" ({label(f.get('status'))})" if f.get("status") else ""
    when = f" {f.get('date')}" if f.get("date") else ""
    return f"{name(f.get('subject'))} plan{when}{status}: {f.get('summary')}"


def _event(f: Fact, name: Namer) -> str:
    when = f" ({f.get('date')})" if f.get("date") else ""
    return f"{name(f.get('subject'))}{when}: {f.get('summary')}"


def _statement(f: Fact, name: Namer) -> str:
    when = f" ({f.get('date')})" if f.get("date") else ""
    return f"{name(f.get('speaker'))}{when} said: {f.get('summary')}"


_DESCRIBERS: dict[str, Callable[[Fact, Namer], str]] = {
    "company": _company, "person": _person, "role": _role, "vehicle": _vehicle,
    "platform": _platform, "technology": _technology, "partnership": _partnership,
    "stake": _stake, "figure": _figure, "goal": _goal, "plan": _plan, "event": _event,
    "statement": _statement,
}


def describe(fact: Fact, name: Namer) -> str:
    """The fact in one line, naming the entities it refers to."""
    return _DESCRIBERS[fact.kind](fact, name)
