"""Facts and their sources, as loaded from YAML."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .dates import PartialDate
from .kinds import KINDS, REF, REFS


@dataclass(eq=False)
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


@dataclass(eq=False)
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

    @property
    def spec(self):
        return KINDS[self.kind]

    @property
    def name(self) -> str:
        """The display name (entities and partnerships), else the id."""
        return self.values.get("name") or self.id

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
        for spec in self.spec.fields:
            value = self.values.get(spec.name)
            if value is None:
                continue
            if spec.type == REF:
                yield spec.name, value
            elif spec.type == REFS:
                for ref in value:
                    yield spec.name, ref

    @property
    def reported(self) -> PartialDate | None:
        """The earliest date of the articles that report this fact."""
        dates = [s.reported for s in self.sources if s.reported is not None]
        return min(dates) if dates else None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Link:
    """A relation between two facts, seen from one of them."""

    relation: str  # "supersedes", "superseded by", "conflicts with", "related"
    fact: Fact
