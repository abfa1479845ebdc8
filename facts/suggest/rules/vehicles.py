"""Vehicles with maker, segment, platform, price and launch year: 'the new Renault 5 Electric'."""

from __future__ import annotations

import re

from ..context import Context
from ..entities import STOP, slug
from ..sentences import Sentence
from .common import MONEY, YEAR

SEGMENT = re.compile(r"\b([ABCDEF])[- ]segment\b|\bsegment ([ABCDEF])\b")
BODY = re.compile(r"\b(city car|supermini|hatchback|saloon|sedan|SUV|crossover|pickup|pick-up|estate|coupe|"
                  r"convertible|van|vans|minivan|MPV|roadster|kei car)\b", re.I)
_MODEL = re.compile(r"(?:[A-Z][\w\-]*|\d+[\w\-]*)(?: (?:[A-Z][\w\-]*|\d+[\w\-]*|E-Tech|e-tech|EV|electric)){0,3}")
STATUS = (
    ("concept", re.compile(r"\bconcept\b", re.I)),
    ("discontinued", re.compile(r"\b(discontinued|axed|dropped|end of production|no longer (?:sold|built))\b", re.I)),
    ("rumoured", re.compile(r"\b(rumou?r\w*|reportedly|mooted|has learned|could|might)\b", re.I)),
    ("planned", re.compile(r"\b(upcoming|future|will|planned|yet to be unveiled|to come|next|on track for|"
                           r"would|forthcoming)\b", re.I)),
    ("announced", re.compile(r"\b(announced|unveiled|revealed|presented|new)\b", re.I)),
    ("on-sale", re.compile(r"\b(on sale|launched|sold|sells|best-selling|available)\b", re.I)),
)
_NOT_MODEL = {"group", "brand", "alliance", "ceo", "chief", "board", "and", "will", "has", "is", "said", "technology",
              "technologies", "holding", "motor", "motors", "electric"}


def find(sentence: Sentence, ctx: Context) -> list:
    text = sentence.text
    out = []
    for maker in ctx.companies(sentence, new_ok=False):
        if maker.fact is not None and maker.fact.get("type") not in ("automaker", "brand"):
            continue
        rest = text[maker.end:]
        match = _MODEL.match(rest[1:]) if rest.startswith(" ") else None
        if not match:
            continue
        model = match.group(0)
        if any(m.start == maker.end + 1 for m in ctx.mentions(sentence) if m.fact is not None):
            continue  # "Renault Nissan": two names, not a model
        words = model.split()
        while words and (words[-1].lower() in _NOT_MODEL - {"electric"} or words[-1].lower() in STOP):
            words.pop()
        if not words or words[0].lower() in _NOT_MODEL or words[0].lower() in STOP or (words[0].isupper() and len(words[0]) > 4):
            continue
        if YEAR.fullmatch(words[0]) or (re.fullmatch(r"\d+(?:st|nd|rd|th)?", words[0]) and len(words) == 1 and not \
                re.search(rf"{re.escape(maker.name)} {words[0]}\b(?! (?:per|%|billion|million))", text)):
            continue
        name = f"{maker.name} {' '.join(words)}"
        known = ctx.base.names.exact(name) if ctx.base is not None else None
        if known is not None:
            continue
        needs: list = []
        maker_id = ctx.ref(maker, "company", sentence, needs)
        out.append(_vehicle(ctx, sentence, name, maker_id, (maker.start, maker.end + 1 + len(model)), needs))
    out.extend(_runs(sentence, ctx))
    return [s for s in out if s]


def _runs(sentence: Sentence, ctx: Context) -> list:
    """'Renault 5 Electric' read as one capitalised name: a known or new maker, then a model."""
    from ...names import name_key

    out = []
    for m in ctx.mentions(sentence):
        first, _, rest = m.name.partition(" ")
        if m.fact is not None or not rest or not _MODEL.fullmatch(rest) or rest.split()[0].lower() in _NOT_MODEL:
            continue
        known = ctx.base.names.exact(first) if ctx.base is not None else None
        if known is not None and known.kind == "company" and known.get("type") in ("automaker", "brand"):
            maker = known.id
        elif ("company", name_key(first)) in ctx.new:
            maker = ctx.new[("company", name_key(first))].id
        else:
            continue
        needs: list = []
        if known is None:
            needs.append(ctx.new[("company", name_key(first))])
        out.append(_vehicle(ctx, sentence, m.name, maker, (m.start, m.end), needs))
    return out


def _vehicle(ctx: Context, sentence: Sentence, name: str, maker: str, span, needs: list):
    text = sentence.text
    values = {"maker": maker}
    segment = SEGMENT.search(text)
    if segment:
        values["segment"] = segment.group(1) or segment.group(2)
    body = BODY.search(text)
    if body:
        values["body"] = body.group(1).lower()
    if re.search(r"\b(electric|EV|battery-electric)\b", name + " " + text, re.I):
        values["powertrain"] = "electric"
    platform = re.search(r"\b(?:on|underpin\w*|based on|uses?|using) (?:the |a |an )?([A-Z][\w\- ]{1,30}?) "
                         r"(?:platform|architecture)\b", text)
    if platform and ctx.base is not None:
        hit = ctx.base.names.exact(platform.group(1))
        if hit is not None and hit.kind == "platform":
            values["platform"] = hit.id
    price = MONEY.search(text)
    if price and re.search(r"\b(price|cost|priced|costs?|from)\b", text, re.I):
        values["price"] = price.group(0)
    launch = re.search(r"\b((?:19|20)\d\d)\b", text)
    if launch and re.search(r"\b(launch|arriv|on sale|in showrooms|debut|start of production|due)\w*", text, re.I):
        values["launch"] = launch.group(1)
    status = next((s for s, pattern in STATUS if pattern.search(text)), "announced")
    values["status"] = status
    values["name"] = name
    values["id"] = ctx.new_id(slug(name))
    return ctx.make("vehicle", values, sentence, "vehicle", focus=span, needs=needs)
