"""Stakes and investments: percentages and amounts with their holder and target."""

from __future__ import annotations

import re

from ..context import Context
from ..sentences import Sentence
from .common import MONEY, NEGATED, summary

PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|per ?cent|percent)", re.I)
STAKE = re.compile(r"\b(stake|shareholding|holding|holdings|cross-holdings?|equity|shares?|ownership)\b", re.I)
INVEST = re.compile(r"\b(invest(?:s|ed|ing|ment)?|acquir(?:e|es|ed|ing)|buy(?:s|ing)?|bought|take a \w+ stake)\s+in\b"
                    r"|\b(?:acquir(?:e|es|ed|ing)|bought|buys|purchas\w+)\b", re.I)
ENDED = re.compile(r"\b(sold (?:off )?(?:its|their|the) (?:entire |remaining |whole )?(?:stake|shares|holding)|"
                   r"exit(?:ed|s)? (?:its|their)|divest\w*|offload\w*)\b", re.I)
PLANNED = re.compile(r"\b(will|would|plans? to|planned|set to|is to|are to|to reduce|to raise|to cut|to increase|"
                     r"reducing|raising|agreed to|intends?|proposed|proposes|considering|could|may)\b", re.I)
MAJORITY = re.compile(r"\b(majority|minority|controlling|full|entire)\s+(?:stake|shareholding|control)\b", re.I)
BOTH = re.compile(r"\b(cross-?holdings?|each other['’]s|mutual|respective)\b", re.I)


def find(sentence: Sentence, ctx: Context) -> list:
    text = sentence.text
    has_stake = STAKE.search(text)
    invest = INVEST.search(text)
    if not has_stake and not invest:
        return []
    if NEGATED.search(text[:(has_stake or invest).start()]):
        return []  # "has no plans to invest in", "does not hold a stake"
    companies = ctx.companies(sentence)
    if len(companies) < 2 and not BOTH.search(text):
        return []
    status = "ended" if ENDED.search(text) else "planned" if PLANNED.search(text) else "current"
    percent = PERCENT.search(text)
    size = MAJORITY.search(text)
    trigger = has_stake or invest
    # holder: the company before the trigger (else the first); target: after "in" (else the next one)
    before = [m for m in companies if m.end <= trigger.start()]
    after = [m for m in companies if m.start >= trigger.start()]
    pairs = []
    if BOTH.search(text) and len(companies) >= 2:
        a, b = companies[0], companies[1]
        pairs = [(a, b), (b, a)]
    else:
        in_target = re.search(r"\bin\s+(?:the\s+)?", text[trigger.start():])
        targets = [m for m in after if in_target and m.start >= trigger.start() + in_target.start()] or after
        holder = before[-1] if before else None
        target = next((m for m in targets if holder is None or m.name != holder.name), None)
        if target is not None:  # "in Renault's Ampere": the last of a possessive chain
            for m in targets[targets.index(target) + 1:]:
                if re.fullmatch(r"['’]s\s+(?:\w+\s+)?", text[target.end:m.start]):
                    target = m
        if holder is None:
            return []
        if target is None:
            if len(before) >= 2:
                holder, target = before[0], before[-1]
            else:
                return []
        pairs = [(holder, target)]
    out = []
    for holder, target in pairs:
        needs: list = []
        h = ctx.ref(holder, "company", sentence, needs)
        t = ctx.ref(target, "company", sentence, needs)
        if h == t:
            continue
        values = {"id": ctx.new_id(f"stake-{h}-in-{t}"), "holder": h, "target": t, "status": status}
        if percent:
            number = float(percent.group(1))
            values["percent"] = int(number) if number.is_integer() else number
        elif size:
            values["size"] = size.group(1).lower()
        elif (money := MONEY.search(text)) and invest:
            values["size"] = money.group(0)
        elif not invest:
            continue
        values["date"] = ctx.date
        values["description"] = summary(text)
        made = ctx.make("stake", values, sentence, "stake", focus=trigger.span(), needs=needs)
        if made:
            out.append(made)
    return out
