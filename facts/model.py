"""Facts and their sources, as loaded from YAML."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .dates import PartialDate
from .kinds import KINDS, LINK_FIELDS


@dataclass(eq=False, slots=True)
class Source:
    """A citation: an article and a quote that occurs in it.

    `span` is where the quote is in the article's raw text, set once it has been checked.
    """

    article: str
    quote: str
    line: int  # of the quote
    note: str | None = None
    article_line: int = 0
    span: tuple[int, int] | None = None
    reported: PartialDate | None = None  # the article's date
    reported_estimated: bool = False


@dataclass(eq=False, slots=True)
class Fact:
    """One fact. `values` holds its checked fields (ids for references, PartialDate for dates)."""

    id: str
    kind: str
    values: dict
    sources: list[Source]
    file: str
    line: int
    lines: dict = field(default_factory=dict)  # field -> line, (field, item) -> line
    text: str = ""  # one-line description, filled in by the fact base
    superseded_by: list = field(default_factory=list)  # later facts that update this one (set by the fact base)

    @property
    def spec(self):
        return KINDS[self.kind]

    @property
    def name(self) -> str:
        """The display name (entities and partnerships), else the id."""
        return self.values.get("name") or self.id

    @property
    def has_name(self) -> bool:
        """True for the facts looked up by name (entities and partnerships)."""
        return "name" in self.values

    @property
    def aliases(self) -> list[str]:
        return list(self.values.get("aliases") or [])

    @property
    def note(self) -> str | None:
        return self.values.get("note")

    def get(self, key: str, default=None):
        return self.values.get(key, default)

    def refs(self) -> Iterator[tuple[str, str]]:
        """(field, id) for every reference this fact makes."""
        values = self.values
        for name, many in self.spec.ref_fields:
            value = values.get(name)
            if value is None:
                continue
            if many:
                for ref in value:
                    yield name, ref
            else:
                yield name, value

    def subject_refs(self) -> Iterator[tuple[str, str]]:
        """(field, id) for the references that say what the fact is about: every reference
        but the links to other facts (LINK_FIELDS)."""
        return ((field, ref) for field, ref in self.refs() if field not in LINK_FIELDS)

    @property
    def reported(self) -> PartialDate | None:
        """The earliest date of the articles that report this fact."""
        dates = [s.reported for s in self.sources if s.reported is not None]
        return min(dates) if dates else None

    @property
    def latest(self) -> tuple[PartialDate | None, bool]:
        """The latest date of the articles that report this fact, and whether it is estimated."""
        dated = [s for s in self.sources if s.reported is not None]
        if not dated:
            return None, False
        last = max(dated, key=lambda s: s.reported)
        return last.reported, last.reported_estimated

    @property
    def as_of(self) -> tuple[PartialDate | None, bool]:
        """When this was last known to hold: its `as_of` field, else its latest article's date."""
        if self.values.get("as_of") is not None:
            return self.values["as_of"], False
        return self.latest

    @property
    def certainty(self) -> str:
        return self.values.get("certainty") or "confirmed"

    @property
    def current(self) -> bool:
        """False once a later fact supersedes this one: it is then history."""
        return not self.superseded_by

    @property
    def rank(self) -> str:
        """As in Wikidata: 'preferred' (updates an earlier report) over 'normal'; a superseded
        fact ranks below both ('superseded') and is shown as history, never as current."""
        if self.superseded_by:
            return "superseded"
        return "preferred" if self.values.get("supersedes") else "normal"

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(slots=True)
class Link:
    """A relation between two facts, seen from one of them."""

    relation: str  # "supersedes", "superseded by", "conflicts with", "related"
    fact: Fact
