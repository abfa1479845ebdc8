"""Roles: 'X, chief executive of Y', "Y's CEO X", 'X will step down as CEO', bylines."""

from __future__ import annotations

import re

from ...names import name_key
from ..context import Context
from ..sentences import Sentence

TITLE = (r"(?i:(?:(?:interim|acting|former|new|deputy|group|global|senior|executive|vice|co-)\s*)*"
         r"(?:chief executive(?: officer)?|chief \w+ officer|CEO|CFO|CTO|COO|president|chairman|chairwoman|chair|"
         r"managing director|director(?: of [A-Z][\w ]+?(?: and [A-Z][\w]+)?)?|head(?: of [\w ]+?)?|founder|"
         r"co-founder|boss|spokes(?:man|woman|person)|chief))")
_NAME = r"[A-Z][\w'’\-]+(?: (?:de |van |von |da |del |le |la )?[A-Z][\w'’\-]+){1,3}"
_ORG = r"[A-Z][\w&'’\-]*(?: [A-Z][\w&'’\-]*){0,3}"
PATTERNS = (
    # Makoto Uchida, CEO of Nissan / Luca de Meo, also president of the Association ...
    re.compile(rf"(?P<person>{_NAME}),\s+(?:the\s+|also\s+|now\s+|then\s+)*(?P<title>{TITLE})\s+(?:of|at)\s+(?:the\s+)?(?P<org>{_ORG})"),
    # Nissan's CEO Makoto Uchida / Renault chief executive Luca de Meo
    re.compile(rf"(?P<org>{_ORG})(?:['’]s)?\s+(?P<title>{TITLE})\s+(?P<person>{_NAME})"),
    # our Managing Director Luca de Meo
    re.compile(rf"\b(?i:our|its|the company['’]s)\s+(?P<title>{TITLE})\s+(?P<person>{_NAME})"),
    # CEO of Nissan Makoto Uchida
    re.compile(rf"\b(?P<title>{TITLE})\s+of\s+(?P<org>{_ORG}),?\s+(?P<person>{_NAME})"),
)
STEP_DOWN = re.compile(
    rf"(?P<person>{_NAME})\s+(?:will|would|is to|is set to|plans to|has|had)?\s*(?:step(?:ped|s)? down|resign(?:ed|s)?|"
    rf"quit|left|leave|leaves|was (?:ousted|replaced|fired|dismissed))(?:\s+(?:as|from)\s+(?:the\s+)?(?P<title>{TITLE}))?"
    rf"(?:\s+(?:of|at)\s+(?P<org>{_ORG}))?")
FORMER = (
    # Former CEO Carlos Tavares / former Nissan chief executive Jane Doe
    re.compile(rf"\b(?i:former|ex-|outgoing|departing)\s*(?:(?P<org>{_ORG})\s+)?(?P<title>{TITLE})\s+"
               rf"(?:of\s+(?P<org2>{_ORG})\s*,?\s+)?(?P<person>{_NAME})"),
    # Carlos Tavares, the former CEO of Stellantis
    re.compile(rf"(?P<person>{_NAME}),\s+(?:the\s+|a\s+)?(?:former|ex-|outgoing)\s*(?P<title>{TITLE})"
               rf"(?:\s+(?:of|at)\s+(?P<org>{_ORG}))?"),
)
BYLINE = re.compile(r"\b(?P<title>(?i:Written|Reported|Report|Edited|Reviewed|Reporting|Editing))\s+by\s+(?P<person>"
                    + _NAME + ")")
_NOT_ORG = {"the", "our", "its", "former", "outgoing", "departing", "ex", "new", "interim", "acting", "then"}
_ENDED_WORD = re.compile(r"\b(former|ex-|outgoing|departing)", re.I)
_BYLINE_TITLE = {"written": "Author", "reported": "Reporter", "report": "Reporter", "reporting": "Reporter",
                 "edited": "Editor", "editing": "Editor", "reviewed": "Reviewer"}


def _title(text: str) -> str:
    text = " ".join(text.split())
    if text.isupper():
        return text
    return text[:1].upper() + text[1:]


def find(sentence: Sentence, ctx: Context) -> list:
    out = []
    text = sentence.text
    seen: set[str] = set()
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            person_name = match.group("person")
            org_name = match.groupdict().get("org")
            if name_key(person_name) in seen or (org_name and org_name.split()[0].lower() in _NOT_ORG) \
                    or _ENDED_WORD.search(match.group(0)):
                continue
            needs: list = []
            person = ctx.entity(person_name, "person", sentence, needs)
            org = _org(ctx, sentence, org_name, needs)
            if org is None:
                continue
            seen.add(name_key(person_name))
            values = {"id": ctx.new_id(f"role-{person}-{org}"), "person": person, "title": _title(match.group("title")),
                      "org": org, "since": None}
            made = ctx.make("role", values, sentence, "role", focus=match.span(), needs=needs)
            if made:
                out.append(made)
    ended = [*STEP_DOWN.finditer(text), *(m for pattern in FORMER for m in pattern.finditer(text))]
    for match in ended:
        if not match.group("person")[:1].isupper():
            continue
        needs = []
        person = ctx.entity(match.group("person"), "person", sentence, needs)
        org_name = match.group("org") or match.groupdict().get("org2")
        org = _org(ctx, sentence, org_name, needs) or _current_org(ctx, person)
        title = _current_title(ctx, person, org) or match.group("title")
        if title:
            title = _ENDED_WORD.sub("", title).strip()
        if org is None or title is None:
            continue
        from .events import sentence_date

        values = {"id": ctx.new_id(f"role-{person}-{org}-until"), "person": person, "title": _title(title),
                  "org": org, "until": sentence_date(text, ctx) or ctx.date}
        made = ctx.make("role", values, sentence, "role-ended", focus=match.span(), needs=needs)
        if made:
            out.append(made)
    for match in BYLINE.finditer(text):
        publisher = ctx.article.meta.publisher
        if not publisher:
            continue
        needs = []
        person = ctx.entity(match.group("person"), "person", sentence, needs)
        org = ctx.entity(publisher, "company", sentence, needs, type="media")
        values = {"id": ctx.new_id(f"role-{person}-{org}"), "person": person,
                  "title": _BYLINE_TITLE[match.group("title").lower()], "org": org}
        made = ctx.make("role", values, sentence, "byline", focus=match.span(), needs=needs)
        if made:
            out.append(made)
    return out


def _org(ctx: Context, sentence: Sentence, name: str | None, needs: list) -> str | None:
    if not name:
        return None
    name = re.sub(r"['’]s$", "", name)
    for m in ctx.mentions(sentence):
        if m.fact is not None and name.startswith(m.name) and m.fact.kind in ("company", "partnership"):
            return m.fact.id
    if ctx.base is not None:
        hit = ctx.base.names.exact(name)
        if hit is not None and hit.kind in ("company", "partnership"):
            return hit.id
    if name.split()[0].lower() in ("the", "our", "its", "his", "her"):
        return None
    return ctx.entity(name, "company", sentence, needs)


def _current_roles(ctx: Context, person: str):
    if ctx.base is None:
        return []
    return [f for f in ctx.base.of_kind("role") if f.get("person") == person and not f.get("until")]


def _current_org(ctx: Context, person: str) -> str | None:
    roles = _current_roles(ctx, person)
    return roles[0].get("org") if len(roles) == 1 else None


def _current_title(ctx: Context, person: str, org: str | None) -> str | None:
    roles = [r for r in _current_roles(ctx, person) if r.get("org") == org]
    return roles[0].get("title") if roles else None
