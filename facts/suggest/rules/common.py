"""Small helpers the rule families share: years, money, subjects, summaries."""

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


def cued_subject(sentence: Sentence, ctx: Context, cue: re.Pattern) -> tuple[re.Match, str, list] | None:
    """The first match of `cue` and the sentence's main subject, with the new entities it needs
    (None when the cue or a subject is missing)."""
    match = cue.search(sentence.text)
    if not match:
        return None
    needs: list = []
    found = main_subject(ctx, sentence, needs)
    return (match, found, needs) if found is not None else None


def summary(text: str) -> str:
    """A sentence as one line of at most 200 characters."""
    return " ".join(text.split())[:200]


def topic(text: str, start: int) -> str:
    """Up to four content words after `start`, joined by '-' (for an id)."""
    words = re.findall(r"[a-z0-9]+", text[start:].lower())
    keep = [w for w in words if w not in ("the", "a", "an", "to", "of", "and", "its", "their", "about", "for", "be")]
    return "-".join(keep[:4]) or "goal"
