"""New entities: companies, people, technologies and platforms the article names and the base does not know."""

from __future__ import annotations

import re

from ..context import Context
from ..entities import looks_like_company, looks_like_person
from ..sentences import Sentence

TECH = re.compile(r"\b((?:[a-z][\w\-]+ |[\w]+-[\w\-]+ ){0,2}(?:[\w\-]+)) (technology|technologies|battery|batteries|software|"
                  r"powertrain|engines?|chemistry|cells?|chips?|cockpit|driving|system)\b", re.I)
ACRONYM = re.compile(r"\b((?:[A-Za-z][\w\-]+ ){1,5}[A-Za-z][\w\-]+) \(([A-Z][A-Za-z]{1,6})\)")
PLATFORM = re.compile(r"\b((?:[A-Z][\w\-]*|\d+)(?: (?:[A-Z][\w\-]*|\d+)){0,2}) (platform|architecture)\b")
_TECH_WORDS = {
    "lithium", "ion", "iron", "phosphate", "solid", "state", "sodium", "nickel", "cobalt", "manganese", "hybrid",
    "hydrogen", "fuel", "autonomous", "self", "driving", "driver", "assistance", "assist", "lidar", "radar",
    "android", "software", "defined", "connected", "charging", "fast", "wireless", "thermal", "combustion",
    "gasoline", "diesel", "electric", "battery", "cell", "silicon", "carbide", "semiconductor", "cockpit",
    "infotainment", "over", "air", "ota", "ai", "vehicle-to-grid", "bidirectional", "heat", "pump", "motor",
    "drive", "powertrain", "range", "extender", "plug", "plug-in", "blade", "cell-to-pack", "structural",
}
_WEAK = {"the", "a", "an", "its", "their", "our", "new", "this", "that", "of", "and", "for", "with", "in", "on", "to",
         "is", "are", "will", "has", "have", "own", "such", "more", "other", "which", "was", "including", "like",
         "develops", "develop", "developing", "relevant", "key", "s", "vehicle", "future", "major", "advanced"}


def find(sentence: Sentence, ctx: Context) -> list:
    text = sentence.text
    before = len(ctx.new)
    for m in ctx.mentions(sentence):
        if m.fact is not None:
            continue
        if looks_like_person(m.name, text):
            ctx.entity(m.name, "person", sentence)
        elif looks_like_company(m.name, text) and len(m.name) > 2:
            ctx.entity(m.name, "company", sentence)
    for match in ACRONYM.finditer(text):
        words = match.group(1).split()
        while words and words[0].lower() in _WEAK:
            words.pop(0)
        if len(words) < 2 or (ctx.base is not None and ctx.base.names.exact(match.group(2))):
            continue
        kind = "company" if re.search(r"\b(association|agency|commission|council|ministry|group|company)\b",
                                      " ".join(words), re.I) else "technology"
        ctx.entity(" ".join(words), kind, sentence, aliases=[match.group(2)])
    for match in TECH.finditer(text):
        words = match.group(1).split()
        while words and words[0].lower() in _WEAK:
            words.pop(0)
        if not any("-" in w or w.lower() in _TECH_WORDS for w in words):
            continue  # "different battery", "US battery": not the name of a technology
        if not words or any(w.lower() in _WEAK for w in words) or (ctx.base is not None and ctx.base.names.exact(
                " ".join([*words, match.group(2)]))):
            continue
        name = " ".join([*words, match.group(2)])
        ctx.entity(name, "technology", sentence)
    for match in PLATFORM.finditer(text):
        name = f"{match.group(1)} {match.group(2)}" if len(match.group(1)) < 3 else match.group(1)
        if ctx.base is not None and ctx.base.names.exact(name):
            continue
        owner = next((ctx.ref(m, "company", sentence, None) for m in ctx.companies(sentence, new_ok=False)
                      if m.name not in name), None)
        if owner:
            ctx.entity(name, "platform", sentence, owner=owner, type=match.group(2))
    return list(ctx.new.values())[before:]
