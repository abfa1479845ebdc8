"""Run the rule families over an article's sentences and put the suggestions in order."""

from __future__ import annotations

from ..articles import Article
from . import updates
from .context import Context
from .model import Suggestion
from .rules import FAMILIES
from .sentences import split

MAX_SENTENCES = 5000  # an article's cost is bounded: the first 5,000 sentences are read
PER_SENTENCE = 12  # suggestions one family may make from one sentence (a list of names is not 100 facts)


def suggest_article(article: Article, base=None, taken_ids: set[str] | None = None,
                    rejected: set[str] | None = None) -> list[Suggestion]:
    """Suggestions for one article, in text order, entities proposed alongside the facts that need them.

    `base` is the FactBase of known facts (None: nothing is known); `rejected` holds keys of
    suggestions the user turned down, which do not come back.
    """
    ctx = Context(article, base, taken_ids)
    found: list[Suggestion] = []
    for sentence in split(article)[:MAX_SENTENCES]:
        for family in FAMILIES:
            found.extend([s for s in family.find(sentence, ctx) if s is not None][:PER_SENTENCE])
    out: list[Suggestion] = []
    seen: set[str] = set()
    for s in [*found, *ctx.new.values()]:
        if s.key in seen or (rejected and s.key in rejected):
            continue
        seen.add(s.key)
        s.values["_reported"] = ctx.date
        keep = updates.link(s, base)
        s.values.pop("_reported", None)
        if keep:
            out.append(s)
    kept = {id(s) for s in out}
    for s in out:
        s.new = [n for n in s.new if id(n) in kept]
    return sorted(out, key=lambda s: (s.span[0], s.kind))
