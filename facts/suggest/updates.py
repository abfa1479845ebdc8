"""Which existing facts a suggestion updates (`supersedes`) or disagrees with (`conflicts_with`)."""

from __future__ import annotations

import re

from ..model import Fact
from .model import Suggestion

_STOP = {"the", "a", "an", "to", "of", "and", "in", "on", "for", "its", "their", "with", "is", "will", "be", "by",
         "that", "this", "from", "as", "at", "has", "have", "it", "are", "was", "would"}


def _words(text: str) -> set[str]:
    """Content words, a plural 's' dropped: 'Stock market plans' -> {'stock', 'market', 'plan'}."""
    words = (w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w
             for w in re.findall(r"[a-z0-9]+", text.lower()))
    return {w for w in words if w not in _STOP and len(w) > 2}


def _newer(suggestion_date: str | None, fact: Fact) -> bool | None:
    """True when the suggestion's article is later than every report of `fact`, None when unknown."""
    if suggestion_date is None or fact.reported is None:
        return None
    from ..dates import PartialDate

    mine = PartialDate.parse(suggestion_date)
    if mine == fact.reported:
        return False
    return mine > fact.reported


def _same_fields(fact: Fact, values: dict, names: tuple[str, ...]) -> bool:
    """Whether the fields the suggestion states have the fact's values (unstated fields don't count)."""
    return all(_plain(fact.get(n)) == _plain(values.get(n)) for n in names if values.get(n) is not None)


def _plain(value):
    if isinstance(value, list):
        return tuple(sorted(str(v) for v in value))
    if value is None:
        return None
    return str(getattr(value, "iso", value))


def candidates(s: Suggestion, base) -> list[tuple[Fact, tuple[str, ...]]]:
    """Existing facts about the same thing, each with the fields that define 'the same value'."""
    v = s.values
    out = []
    for fact in base.of_kind(s.kind):
        if s.kind == "stake" and fact.get("holder") == v.get("holder") and fact.get("target") == v.get("target"):
            out.append((fact, ("percent", "size", "status")))
        elif s.kind == "role" and fact.get("person") == v.get("person") and fact.get("org") == v.get("org"):
            out.append((fact, ("title", "until")))
        elif s.kind == "role" and fact.get("org") == v.get("org") and fact.get("title") == v.get("title") \
                and not fact.get("until") and v.get("person") != fact.get("person") and not v.get("until"):
            out.append((fact, ("person",)))
        elif s.kind == "partnership" and set(fact.get("parties", [])) == set(v.get("parties", [])):
            out.append((fact, ("type", "status")))
        elif s.kind in ("plan", "goal"):
            continue  # the best match only, below
        elif s.kind == "figure" and fact.get("subject") == v.get("subject") and fact.get("metric") == v.get("metric"):
            out.append((fact, ("value",)))
    if s.kind in ("plan", "goal"):
        best = _closest_plan(s, base)
        if best is not None:
            out.append((best, ("status",) if s.kind == "plan" else ("value", "by")))
    return out


def _closest_plan(s: Suggestion, base) -> Fact | None:
    """The known plan (goal) about the same entities sharing the most words besides their names (two at least)."""
    about = {s.values.get("subject"), *s.values.get("mentions", []), *getattr(s, "entities", ())}
    names = set()
    for entity in about:
        fact = base.get(entity) if entity else None
        if fact is not None:
            for name in (fact.name, *fact.aliases):
                names |= _words(name)
    mine = _words(s.values.get("summary", "")) - names - {"plan", "planned", "goal", "aim"}
    known = base.of_kind(s.kind)
    words = {fact.id: _words(fact.get("summary", "")) for fact in known}
    df: dict[str, int] = {}
    for found in words.values():
        for word in found:
            df[word] = df.get(word, 0) + 1
    scored = []
    for fact in known:
        if not ({fact.get("subject"), *fact.get("mentions", [])} & about):
            continue
        shared = mine & words[fact.id]
        if len(shared) >= 2:  # rarer shared words weigh more: 'stock market' over 'electric vehicle'
            scored.append((sum(1 / df[w] for w in shared), fact.id, fact))
    return max(scored)[2] if scored else None


def link(s: Suggestion, base) -> bool:
    """Fill `s.updates` and `s.why`; return False when an existing fact already says the same thing."""
    if base is None:
        return True
    for fact in base.of_kind(s.kind):
        for source in fact.sources:
            same_sentence = source.article == s.article and source.span and source.span[0] < s.sentence[1] \
                and s.sentence[0] < source.span[1]
            if same_sentence and (s.kind not in ("role", "stake", "partnership") or _same_core(fact, s)):
                return False
    for fact, fields in candidates(s, base):
        ended = s.rule == "role-ended" and not fact.get("until") and fact.get("person") == s.values.get("person")
        if _same_fields(fact, s.values, fields) and not ended:
            if s.kind in ("stake", "role", "partnership", "figure"):
                return False
            continue
        newer = _newer(s.values.get("date") or s.values.get("as_of") or s.values.get("until") or _date_of(s), fact)
        relation = "supersedes" if newer else "conflicts_with"
        if relation == "conflicts_with" and (s.kind in ("plan", "goal") or ended):
            relation = "supersedes" if newer is None else "related"
        if relation == "related":
            continue
        s.values.setdefault(relation, []).append(fact.id)
        s.updates.append((relation, fact.id))
        changes = [f"{n}: {_plain(fact.get(n)) or '—'} → {_plain(s.values.get(n))}" for n in fields
                   if s.values.get(n) is not None and _plain(fact.get(n)) != _plain(s.values.get(n))]
        if ended and not s.values.get("until"):
            changes.append("the role has ended")
        s.why.append(f"{relation.replace('_', ' ')} {fact.id} ({'; '.join(changes)})")
    return True


def _same_core(fact: Fact, s: Suggestion) -> bool:
    keys = {"role": ("person", "org"), "stake": ("holder", "target"), "partnership": ("parties",)}[s.kind]
    return _same_fields(fact, s.values, keys)


def _date_of(s: Suggestion) -> str | None:
    return s.values.get("_reported")
