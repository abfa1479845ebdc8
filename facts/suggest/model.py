"""A suggested fact: its kind, fields, quote and what it involves, not yet accepted."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..kinds import KINDS


@dataclass(eq=False)
class Suggestion:
    """One proposed fact.

    `values` holds YAML-ready field values (ids for references, ISO strings for dates).
    `span` is where the quote is in the article's raw text; `sentence` the whole sentence's span.
    `new` lists entity suggestions this one needs (companies, people ... not yet known).
    """

    kind: str
    values: dict
    article: str
    quote: str
    span: tuple[int, int]
    sentence: tuple[int, int]
    rule: str
    hedge: str | None = None  # the hedging words found, if any
    new: list[Suggestion] = field(default_factory=list)
    updates: list[tuple[str, str]] = field(default_factory=list)  # (relation, fact id)
    why: list[str] = field(default_factory=list)  # one line per update: what changed
    entities: tuple[str, ...] = ()  # ids of the known entities the sentence names

    @property
    def id(self) -> str:
        return self.values["id"]

    @property
    def spec(self):
        return KINDS[self.kind]

    @property
    def key(self) -> str:
        """Stable across runs and id changes: kind, article, quote and the defining fields."""
        parts = [self.kind, self.article, " ".join(self.quote.split())]
        for name in sorted(self.values):
            if name in ("id", "certainty", "hedged", "supersedes", "conflicts_with", "note"):
                continue
            parts.append(f"{name}={self.values[name]}")
        return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:16]

    def record(self) -> dict:
        """The YAML record: fields in the kind's order, then its source."""
        out: dict = {}
        for spec in self.spec.fields:
            if spec.name == "sources":
                out["sources"] = [{"article": self.article, "quote": self.quote}]
            elif spec.name in self.values and self.values[spec.name] not in (None, [], ""):
                out[spec.name] = self.values[spec.name]
        return out
