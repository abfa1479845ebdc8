"""Small helpers the rule families share: years, money, subjects."""

from __future__ import annotations

import re

from ..context import Context
from ..entities import Mention
from ..sentences import Sentence

YEAR = re.compile(r"\b(19[5-9]\d|20[0-6]\d)\b")
BY_YEAR = re.compile(r"\b(?:by|before|until|through|in|from|for|starting|after)\s+(?:the\s+end\s+of\s+)?(?:early\s+|late\s+|mid-?)?"
                     r"((?:19|20)\d\d)\b", re.I)
MONEY = re.compile(r"(?:[€£$¥]|US\$|USD\s?|EUR\s?|GBP\s?)\s?\d[\d,.]*(?:\s?(?:billion|million|bn|m|trillion|k))?"
                   r"|\d[\d,.]*\s?(?:billion|million|bn|trillion)?\s?(?:euros?|dollars?|pounds?|yen|yuan)", re.I)
NEGATED = re.compile(r"\b(not|no|never|won['’]t|isn['’]t|aren['’]t|didn['’]t|doesn['’]t|without)\b", re.I)


def year_after(text: str, start: int = 0) -> str | None:
    match = BY_YEAR.search(text, start)
    return match.group(1) if match else None


def subject(ctx: Context, sentence: Sentence, needs: list, before: int | None = None) -> str | None:
    """The first entity of the sentence (before `before`): a known one, else a company-like name."""
    mentions: list[Mention] = [m for m in ctx.mentions(sentence) if before is None or m.start < before]
    for m in mentions:
        if m.fact is not None and m.fact.kind in ("company", "partnership", "vehicle", "platform", "technology",
                                                  "person"):
            return m.fact.id
    for m in ctx.companies(sentence, 0, before):
        return ctx.ref(m, "company", sentence, needs)
    return None


def main_subject(ctx: Context, sentence: Sentence, needs: list) -> str | None:
    """The sentence's subject, else the article's most recent one (for 'it', 'the company')."""
    found = subject(ctx, sentence, needs)
    if found:
        ctx.last_subject = found
        return found
    return getattr(ctx, "last_subject", None)
