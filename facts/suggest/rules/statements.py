"""Statements: what a named person or company said, stated, believes or disputes."""

from __future__ import annotations

import re

from ..context import Context
from ..sentences import Sentence
from .common import summary

SAID = re.compile(r"\b(said|says|stated|states|told|added|explained|wrote|warned|argued|insisted|noted|"
                  r"according to|believes?|disputes?|accuses?|expressed|stated that|reflects? \w+['’]s belief|"
                  r"has learned|have learned|we can assume|we expect|we believe)\b", re.I)
QUOTED = re.compile(r"[“\"].{12,}")


def find(sentence: Sentence, ctx: Context) -> list:
    text = sentence.text
    said = SAID.search(text)
    if not said and not QUOTED.match(text.lstrip()):
        return []
    needs: list = []
    speaker = _speaker(ctx, sentence, said, needs)
    if speaker is None:
        return []
    values = {"id": ctx.new_id(f"statement-{speaker}"), "speaker": speaker, "summary": summary(text),
              "date": ctx.date}
    made = ctx.make("statement", values, sentence, "statement", focus=said.span() if said else None, needs=needs)
    return [made] if made else []


def _speaker(ctx: Context, sentence: Sentence, said, needs: list) -> str | None:
    people = ctx.people(sentence)
    if said is not None:
        after = [p for p in people if p.start >= said.end() and p.start - said.end() < 40]
        before = [p for p in people if p.end <= said.start()]
        for m in after[:1] or before[-1:]:
            return ctx.ref(m, "person", sentence, needs)
        companies = ctx.companies(sentence, new_ok=False)
        after_c = [m for m in companies if m.start >= said.end() and m.start - said.end() < 20]
        for m in after_c[:1] or [m for m in companies if m.end <= said.start()][:1]:
            return ctx.ref(m, "company", sentence, needs)
        if re.search(r"\bwe\b", text_lower := sentence.text.lower()) and ctx.article.meta.publisher and \
                ("we " in text_lower or text_lower.startswith("we")):
            return ctx.entity(ctx.article.meta.publisher, "company", sentence, needs, type="media")
    speaker = getattr(ctx, "last_speaker", None)
    if said is not None and re.search(r"\b(he|she|they)\s+(said|added|wrote)", sentence.text):
        return speaker
    return None
