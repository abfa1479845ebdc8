"""Dated events: launched, cancelled, completed, announced, unveiled, signed, set up ..."""

from __future__ import annotations

import re

from ...dates import month_number
from ..context import Context
from ..sentences import Sentence
from .common import main_subject, summary

VERBS = re.compile(
    r"\b(launched|cancel(?:l)?ed|completed|announced|unveiled|revealed|presented|signed|agreed|acquired|"
    r"bought|sold|set up|founded|established|created|opened|closed|shut|started|began|ended|"
    r"became|posted|published|introduced|recalled|reported|filed|raised|cut|reduced|merged|spent|"
    r"listed|delisted|approved|rejected|won|lost|hired|appointed|named|elected|resigned|stepped down|"
    r"met|visited|discussed|talked|held|hosted|opened an investigation|opening of an investigation|"
    r"arrival|has multiplied|have multiplied|has been spent|was spent|dated|hardened|"
    r"investigation|probe)\b", re.I)
_DATE = re.compile(r"\b(?:on|in|since|last|this)\s+(?:(?P<day>\d{1,2})\s+)?(?P<month>January|February|March|April|"
                   r"May|June|July|August|September|October|November|December)(?:\s+(?P<day2>\d{1,2}))?,?"
                   r"(?:\s+(?P<year>(?:19|20)\d\d))?|\b(?:in|since)\s+(?:the\s+year\s+of\s+)?(?P<y>(?:19|20)\d\d)\b")
_FUTURE = re.compile(r"\b(will|would|plans? to|to be|is to|are to|expected to|next)\b", re.I)


def find(sentence: Sentence, ctx: Context) -> list:
    text = sentence.text
    match = VERBS.search(text)
    if not match or sentence.heading:
        return []
    if _FUTURE.search(text[max(0, match.start() - 25):match.start()]):
        return []
    needs: list = []
    subject = main_subject(ctx, sentence, needs)
    if subject is None:
        return []
    values = {"subject": subject, "summary": summary(text), "date": sentence_date(text, ctx)}
    values["id"] = ctx.new_id(f"event-{subject}-{match.group(1).lower().replace(' ', '-')}")
    made = ctx.make("event", values, sentence, "event-" + match.group(1).lower(), focus=match.span(), needs=needs)
    return [made] if made else []


def sentence_date(text: str, ctx: Context) -> str | None:
    """A date the sentence gives ('in June', 'on 3 May 2021', 'in 1999'), the year from the article if missing."""
    match = _DATE.search(text)
    if match is None:
        return None
    if match.group("y"):
        return match.group("y")
    year = match.group("year")
    if year is None:
        date = ctx.article.meta.date
        year = str(date.year) if date is not None else None
    if year is None:
        return None
    month = month_number(match.group("month"))
    day = match.group("day") or match.group("day2")
    return f"{year}-{month:02d}-{int(day):02d}" if day else f"{year}-{month:02d}"
