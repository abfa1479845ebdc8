"""Partnerships, joint ventures and talks: 'in talks with', 'joint venture', 'agreed to', 'ended talks'."""

from __future__ import annotations

import re

from ..context import Context
from ..sentences import Sentence

CUES = (
    ("ended", "talks", re.compile(r"\b(end(?:ed|s)?|broke off|called off|abandon(?:ed|s)?|terminat\w+|scrapp\w+|"
                                  r"pulled out of|walked away from|collapsed?)\b[^.]{0,40}\b(talks|negotiations|"
                                  r"discussions|partnership|alliance|joint venture|merger|deal)\b", re.I)),
    ("ended", "partnership", re.compile(r"\b(talks|negotiations|discussions|merger talks)\b[^.]{0,30}\b(ended|collapsed|"
                                        r"broke down|fell through|were called off)\b", re.I)),
    ("in-talks", "talks", re.compile(r"\b(in (?:advanced |early |exclusive )?(?:talks|discussions|negotiations)|"
                                     r"discuss(?:ed|es|ing)? (?:this week |with|a|the)|talk(?:ed|s|ing) (?:about|with)|"
                                     r"negotiat(?:e|es|ed|ing) with|explor(?:e|es|ed|ing) (?:a |possible )?"
                                     r"(?:tie-up|partnership|cooperation|collaboration))\b", re.I)),
    ("active", "joint-venture", re.compile(r"\bjoint[- ]venture\b", re.I)),
    ("active", "partnership", re.compile(r"\b(partner(?:ed|s|ing)? with|partnership with|partnerships? (?:with|between)|"
                                         r"joined forces with|team(?:ed|s)? up with|tie-up with|alliance with|"
                                         r"collaborat\w+ with|cooperat\w+ with|signed (?:a|an) [\w\- ]*(?:agreement|deal|"
                                         r"memorandum) with|agreed to (?:work|cooperate|develop|jointly|build|share|form|"
                                         r"create|supply)|our partners|deep partnerships?|cooperative projects?)\b", re.I)),
    ("announced", "partnership", re.compile(r"\b(announced|unveiled) (?:a |an |their |its )?[\w\- ]*(?:partnership|"
                                            r"collaboration|agreement|deal)\b", re.I)),
)
PLANNED = re.compile(r"\b(will|plans? to|set to|is to|would|intends? to|aims? to|expected to|could|may)\b", re.I)


def find(sentence: Sentence, ctx: Context) -> list:
    text = sentence.text
    cue = next(((status, kind, m) for status, kind, pattern in CUES if (m := pattern.search(text))), None)
    if cue is None:
        return []
    status, kind, match = cue
    companies = ctx.companies(sentence)
    names: list = []
    for m in companies:
        if all(m.name != n.name for n in names):
            names.append(m)
    subject_id = None
    if len(names) < 2 and names:
        subject_id = getattr(ctx, "last_subject", None)
    if len(names) + (1 if subject_id else 0) < 2:
        return []
    if status == "active" and PLANNED.search(text[:match.start()]):
        status = "planned"
    if kind == "joint-venture" and re.search(r"\b(form|set up|create|establish)\b", text, re.I) and PLANNED.search(text):
        status = "planned"
    needs: list = []
    parties = [subject_id] if subject_id else []
    for m in names[:4]:
        ref = ctx.ref(m, "company", sentence, needs)
        if ref not in parties:
            parties.append(ref)
    if len(parties) < 2:
        return []
    covers = _covers(text, match.end())
    name = " ".join(ctx.base.name_of(p) if ctx.base is not None and ctx.base.get(p) else _new_name(ctx, p)
                    for p in parties[:3])
    label = {"talks": "talks", "joint-venture": "joint venture"}.get(kind, "partnership")
    values = {"id": ctx.new_id(f"{'-'.join(parties[:3])}-{label.replace(' ', '-')}"),
              "name": f"{name} {label}".replace("  ", " "), "type": kind, "parties": parties,
              "covers": covers, "status": status, "date": ctx.date}
    made = ctx.make("partnership", values, sentence, "partnership-" + kind, focus=match.span(), needs=needs)
    return [made] if made else []


def _new_name(ctx: Context, entity_id: str) -> str:
    for suggestion in ctx.new.values():
        if suggestion.id == entity_id:
            return suggestion.values["name"]
    return entity_id


def _covers(text: str, start: int) -> str:
    rest = text[start:].strip(" ,.;:")
    match = re.search(r"\b(?:to|on|in|for|over|about)\s+(.{8,160}?)(?:[.;](?:\s|$)|$)", rest)
    phrase = (match.group(0) if match else rest or text).strip(" .")
    return " ".join(phrase.split())[:160] or " ".join(text.split())[:160]
