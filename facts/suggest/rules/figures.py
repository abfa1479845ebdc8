"""Figures with units: '10,000 employees', '€23 billion', '400,000 cars', '£17,000'."""

from __future__ import annotations

import re

from ..context import Context
from ..sentences import Sentence
from .common import main_subject

_NUMBER = (r"(?:[€£$¥]\s?)?\d{1,3}(?:[,.]\d{3})+(?:\.\d+)?|(?:[€£$¥]\s?)?\d+(?:\.\d+)?|"
           r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|fifty|hundred")
QUANTITY = re.compile(
    rf"(?P<approx>\b(?:about|around|some|nearly|almost|roughly|approximately|over|more than|up to|at least)\s+)?"
    rf"(?P<value>(?<![\w\-,.])(?:{_NUMBER})(?:\s?(?:billion|million|bn|trillion))?(?:\s?(?:%|per ?cent|percent))?)"
    rf"(?:\s+(?P<unit>(?:new\s+|major\s+|electric\s+|fully\s+|common\s+|EV\s+)*(?:employees|engineers|workers|staff|people|"
    rf"cars|vehicles|EVs|units|models|brands|platforms|plants|factories|dealers|customers|orders|deliveries|"
    rf"kilometres|kilometers|km|miles|kWh|GWh|kW|hp|minutes|hours|years|players|partners|markets|countries|"
    rf"tonnes|batteries|chargers|charging points|stations|jobs|shares)))?", re.I)
_WORD_NUMBERS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                 "twenty", "fifty", "hundred"}
_RANK = re.compile(r"\b(\d+(?:st|nd|rd|th)|largest|biggest|leading|second-largest|third-largest)\b[^.,]{0,40}"
                   r"\b(player|maker|manufacturer|carmaker|automaker|seller|company|group)\b", re.I)
_AGE = re.compile(r"\b(\d+)-year-old\b")


def find(sentence: Sentence, ctx: Context) -> list:
    text = sentence.text
    out = []
    for match in QUANTITY.finditer(text):
        value = match.group("value").strip()
        unit = match.group("unit")
        money = value[:1] in "€£$¥" or re.search(r"billion|million|bn", value, re.I)
        if value.lower() in _WORD_NUMBERS and not unit:
            continue
        if not unit and not money and "%" not in value and "cent" not in value.lower():
            continue
        if re.fullmatch(r"(19|20)\d\d", value):
            continue
        if re.match(r"\s*(?:stake|share|shareholding|holding|of the shares)\b", text[match.end():]):
            continue  # a stake: the stake rule reads it with its holder and target
        if unit and unit.split()[-1].lower() in ("years", "minutes", "hours") and not value[:1].isdigit():
            continue  # "the next ten years": a span of time, not a figure
        out.append(_figure(ctx, sentence, match.span(), value, unit, bool(match.group("approx")), text))
    for match in list(_RANK.finditer(text)) + list(_AGE.finditer(text)):
        metric = "age" if match.re is _AGE else "rank"
        out.append(_figure(ctx, sentence, match.span(), match.group(1), "years" if metric == "age" else None, False,
                           text, metric))
    return [s for s in out if s]


def _figure(ctx: Context, sentence: Sentence, span, value: str, unit: str | None, approx: bool, text: str,
            metric: str | None = None):
    needs: list = []
    subject = main_subject(ctx, sentence, needs)
    if subject is None:
        return None
    unit = " ".join(unit.split()) if unit else None
    metric = metric or _metric(text, span, unit, value)
    number = _as_number(value)
    values = {"id": ctx.new_id(f"fig-{subject}-{re.sub(r'[^a-z0-9]+', '-', metric.lower()).strip('-')[:30]}"),
              "subject": subject, "metric": metric, "value": number if number is not None else value,
              "unit": unit, "approximate": True if approx else None, "as_of": ctx.date}
    return ctx.make("figure", values, sentence, "figure", focus=span, needs=needs)


def _metric(text: str, span, unit: str | None, value: str) -> str:
    if unit:
        return unit.split()[-1].lower()
    if value[:1] in "€£$¥" or re.search(r"billion|million|euro|dollar|pound", value, re.I):
        before = text[max(0, span[0] - 40):span[0]].lower()
        for word in ("investment", "price", "revenue", "profit", "loss", "sales", "cost", "valuation", "funding"):
            if word in before or word in text[span[1]:span[1] + 30].lower():
                return word
        return "amount"
    return "share" if "%" in value or "cent" in value.lower() else "value"


def _as_number(value: str):
    plain = value.replace(",", "")
    if re.fullmatch(r"\d+", plain):
        return int(plain)
    if re.fullmatch(r"\d+\.\d+", plain):
        return float(plain)
    return None
