"""Goals and targets with their years: 'aims to', 'the goal is', 'target', 'by 2030'."""

from __future__ import annotations

import re

from ..context import Context
from ..sentences import Sentence
from .common import cued_subject, summary, topic, year_after
from .figures import QUANTITY

CUE = re.compile(r"\b(aims? to|aim is|aiming to|with the aim of|goal|goals|target(?:s|ed|ing)?|ambition|objective|"
                 r"in order to|seeks? to|wants? to|quest to|determination to|strive\w* to|commit\w* to|"
                 r"should (?:grow|have|reach|become|produce|sell)|on track (?:to|for)|by 20\d\d|before 20\d\d)\b", re.I)


def find(sentence: Sentence, ctx: Context) -> list:
    if (found := cued_subject(sentence, ctx, CUE)) is None:
        return []
    match, subject, needs = found
    text = sentence.text
    values = {"subject": subject, "summary": summary(text), "by": None}
    year = year_after(text, max(0, match.start() - 40))
    if year and re.search(rf"\b(by|before|until)\s+{year}", text):
        values["by"] = year
    elif year and re.search(rf"\bfrom\s+{year}", text):
        values["from"] = year
    elif year:
        values["by"] = year
    quantity = QUANTITY.search(text, match.start())
    if quantity:
        values["value"] = quantity.group("value")
        if quantity.group("unit"):
            values["unit"] = quantity.group("unit")
    values["id"] = ctx.new_id(f"goal-{subject}-{topic(text, match.end())}")
    made = ctx.make("goal", values, sentence, "goal", focus=match.span(), needs=needs)
    return [made] if made else []

