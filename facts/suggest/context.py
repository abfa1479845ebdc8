"""What the rules share while reading one article: known names, new entities, ids, quotes."""

from __future__ import annotations

import re
from functools import lru_cache

from ..articles import Article
from ..kinds import KINDS
from ..names import name_key
from ..text import QuoteFinder, one_line
from .entities import (
    TITLE_WORDS,
    Known,
    Mention,
    capitalised,
    looks_like_company,
    looks_like_person,
    slug,
)
from .hedges import hedge_of
from .model import Suggestion
from .sentences import Sentence

MAX_QUOTE = 280
_CLAUSE = re.compile(r"[,;:–—]\s|\s[–—-]\s")


@lru_cache(maxsize=2)
def _known_for(base) -> Known:
    return Known(base.facts.values())


def known_names(base) -> Known:
    """The name finder for a fact base, built once per base (reviewing many articles reuses it)."""
    return _known_for(base) if base is not None else Known(())


class Context:
    """One article being read, against the facts already known (`base` may be None)."""

    def __init__(self, article: Article, base=None, taken_ids: set[str] | None = None) -> None:
        self.article = article
        self.base = base
        self.known = known_names(base)
        self.ids: set[str] = set(base.facts) if base is not None else set()
        self.ids |= set(taken_ids or ())
        self.finder = QuoteFinder(article.raw)
        self.new: dict[tuple[str, str], Suggestion] = {}  # (kind, name key) -> entity suggestion
        self._next_number: dict[str, int] = {}
        self.has_certainty = KINDS["stake"].field("certainty") is not None
        self._mentions: dict[int, list[Mention]] = {}
        # words printed capitalised inside a sentence: a sentence's first word is a name only if it is one of these
        self.midcaps = set(re.findall(r"(?<=[a-z,;] )([A-Z][\w\-]+)", article.cleaned.text))

    @property
    def date(self) -> str | None:
        date = self.article.meta.date
        return date.iso if date is not None and hasattr(date, "iso") else (str(date) if date else None)

    # names -------------------------------------------------------------------------------
    def mentions(self, sentence: Sentence) -> list[Mention]:
        """Known names first, then capitalised names not inside them, in text order."""
        if sentence.start not in self._mentions:
            known = self.known.find(sentence.text)
            spans = [(m.start, m.end) for m in known]
            found = known + [m for m in (self._initial(m, sentence.text) for m in capitalised(sentence.text, spans)) if m]
            self._mentions[sentence.start] = sorted(found, key=lambda m: m.start)
        return self._mentions[sentence.start]

    def _initial(self, m: Mention, text: str) -> Mention | None:
        """Drop a sentence-initial word that is only capitalised because it starts the sentence."""
        lead = len(text) - len(text.lstrip(" “\"‘'("))
        if m.start != lead:
            return m
        first, _, rest = m.name.partition(" ")
        if first in self.midcaps or rest:  # "Hyundai Motor Group said": a name of several words stays whole
            return m
        return None

    def companies(self, sentence: Sentence, lo: int = 0, hi: int | None = None, new_ok: bool = True) -> list[Mention]:
        """Company mentions (known, or capitalised names that look like companies) between lo and hi."""
        hi = len(sentence.text) if hi is None else hi
        out = []
        for m in self.mentions(sentence):
            if not (lo <= m.start and m.end <= hi):
                continue
            if m.fact is not None:
                if m.fact.kind == "company" or (m.fact.kind == "partnership" and m.fact.get("type") == "alliance"):
                    out.append(m)
            elif ("company", name_key(m.name)) in self.new or (
                    new_ok and looks_like_company(m.name, sentence.text) and not looks_like_person(m.name, sentence.text)):
                out.append(m)
        return out

    def people(self, sentence: Sentence) -> list[Mention]:
        out = []
        for m in self.mentions(sentence):
            if (m.fact is not None and m.fact.kind == "person") or (m.fact is None and looks_like_person(m.name, sentence.text)):
                out.append(m)
        return out

    def ref(self, mention: Mention, kind: str, sentence: Sentence, needs: list[Suggestion], **fields) -> str:
        """The id for a mention: the known fact's, or a new entity suggested alongside."""
        if mention.fact is not None:
            return mention.fact.id
        return self.entity(mention.name, kind, sentence, needs, **fields)

    def entity(self, name: str, kind: str, sentence: Sentence, needs: list[Suggestion] | None = None,
               **fields) -> str:
        name = re.sub(r"['’]s$", "", one_line(name)).strip(" .,'’")
        if kind == "person":
            words = name.split()
            while len(words) > 2 and words[0].lower() in TITLE_WORDS:
                words.pop(0)
            name = " ".join(words)
        if kind in ("platform", "technology", "company"):
            name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
        key = (kind, name_key(name))
        existing = self.base.names.exact(name) if self.base is not None else None
        if existing is not None and existing.kind == kind:
            return existing.id
        if key not in self.new:
            values = {"id": self.new_id(slug(name)), "name": name, **fields}
            if kind == "company":
                values.setdefault("type", "automaker" if re.search(r"\b(auto|motor|car)", sentence.text, re.I)
                                  else "technology")
            if kind == "technology":
                values.setdefault("description", one_line(sentence.text, 200))
            focus = sentence.text.find(name)
            suggestion = self.make(kind, values, sentence, "new-" + kind, focus=(focus, focus + len(name))
                                   if focus >= 0 else None, hedge=False)
            if suggestion is None:
                return values["id"]
            self.new[key] = suggestion
        if needs is not None and self.new[key] not in needs:
            needs.append(self.new[key])
        return self.new[key].id

    def new_id(self, base: str) -> str:
        """`base`, or `base-2`, `base-3` ...: an id no known fact or other suggestion has."""
        base = base.strip("-")[:70].rstrip("-") or "fact"
        candidate, n = base, self._next_number.get(base, 2)
        while candidate in self.ids:
            candidate, n = f"{base}-{n}", n + 1
        self._next_number[base] = n
        self.ids.add(candidate)
        return candidate

    # quotes ------------------------------------------------------------------------------
    def quote(self, sentence: Sentence, focus: tuple[int, int] | None = None) -> tuple[str, tuple[int, int]] | None:
        """The sentence, or around `focus` the shortest run of clauses that is not too long."""
        text = sentence.text
        a, b = 0, len(text)
        if len(text) > MAX_QUOTE and focus is not None:
            cuts = [0] + [m.end() for m in _CLAUSE.finditer(text)] + [len(text)]
            a = max(c for c in cuts if c <= max(0, focus[0]))
            b = min(c for c in cuts if c >= min(len(text), focus[1]))
            ends = [m.start() for m in _CLAUSE.finditer(text) if m.start() >= focus[1]]
            b = ends[0] if ends else len(text)
            if b - a > MAX_QUOTE:
                a, b = max(0, focus[0] - 100), min(len(text), focus[1] + 100)
        quote = one_line(text[a:b]).strip(" ,;:")
        if len(quote) < 3:
            return None
        span = self.finder.find(quote)
        if span is None:
            return None
        return quote, span

    def make(self, kind: str, values: dict, sentence: Sentence, rule: str, focus: tuple[int, int] | None = None,
             needs: list[Suggestion] | None = None, hedge: bool = True) -> Suggestion | None:
        """A suggestion quoting the sentence, hedged if the sentence is; None if the quote can't be verified."""
        found = self.quote(sentence, focus)
        if found is None:
            return None
        quote, span = found
        values = {k: v for k, v in values.items() if v not in (None, "", [])}
        values.setdefault("id", self.new_id(f"{kind}-{slug(values.get('name') or quote)[:40]}"))
        hedged = hedge_of(quote) if hedge else None
        named = tuple(m.fact.id for m in self.mentions(sentence) if m.fact is not None)
        suggestion = Suggestion(kind, values, self.article.name, quote, span, (sentence.start, sentence.end), rule,
                                hedge=hedged[1] if hedged else None, new=list(needs or []), entities=named)
        if hedged:
            if self.has_certainty:
                values["certainty"] = hedged[0]
            else:
                values["note"] = f"The article hedges this ('{hedged[1]}'): not confirmed."
        return suggestion
