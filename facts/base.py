"""The checked facts of a corpus, with the look-ups the CLI, the index and the app need."""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import PartialDate
from .describe import describe
from .kinds import ENTITY_KINDS, KINDS, LINK_FIELDS
from .model import Fact, Link
from .names import NameIndex
from .problems import ERROR, Problem

if TYPE_CHECKING:  # a search that changes nothing needs none of them: `load` imports what it uses
    from .articles import Article
    from .corpus import Corpus
    from .metadata import ArticleMeta

# Reference fields that make a fact "about" the entity they name (everything but links).


class FactBase:
    """All checked facts of a corpus, by id, kind and entity."""

    def __init__(self, facts: Iterable[Fact], articles: dict[str, ArticleMeta]) -> None:
        self.facts: dict[str, Fact] = {f.id: f for f in facts}
        _share_equal_values(self.facts.values())
        self.articles = articles  # file name -> metadata, for every readable article
        # entity id -> (the articles that name it, and for each in turn: times named, first
        # mention's start and end in the reading text); see set_named
        self._named: dict[str, tuple[list[str], array]] = {}
        self.by_kind: dict[str, list[Fact]] = defaultdict(list)
        self._about: dict[str, list[Fact]] = defaultdict(list)
        self._linked: dict[str, list[Link]] = defaultdict(list)
        for fact in self.facts.values():
            fact.superseded_by = []
        for fact in self.facts.values():
            for old in fact.get("supersedes") or ():
                if old in self.facts:
                    self.facts[old].superseded_by.append(fact)
        for fact in self.facts.values():
            self.by_kind[fact.kind].append(fact)
            fact.text = describe(fact, self.name_of)
            for field, ref in fact.refs():
                if field in LINK_FIELDS:
                    self._add_link(fact, field, ref)
                elif fact not in self._about[ref]:
                    self._about[ref].append(fact)
        self.names = NameIndex(self.facts.values())

    def _add_link(self, fact: Fact, field: str, ref: str) -> None:
        other = self.facts[ref]
        forward, backward = {
            "supersedes": ("supersedes", "superseded by"),
            "conflicts_with": ("conflicts with", "conflicts with"),
            "related": ("related", "related"),
        }[field]
        self._linked[fact.id].append(Link(forward, other))
        if not any(link.fact is fact for link in self._linked[ref]):
            self._linked[ref].append(Link(backward, fact))

    def __len__(self) -> int:
        return len(self.facts)

    def get(self, fact_id: str) -> Fact | None:
        return self.facts.get(fact_id)

    def name_of(self, fact_id: str) -> str:
        fact = self.facts.get(fact_id)
        return fact.name if fact else fact_id

    def of_kind(self, kind: str) -> list[Fact]:
        return list(self.by_kind.get(kind, []))

    def entities(self) -> list[Fact]:
        return [f for f in self.facts.values() if f.kind in ENTITY_KINDS]

    def about(self, entity_id: str) -> list[Fact]:
        """Facts that refer to an entity (its maker, party, subject, speaker ...)."""
        return list(self._about.get(entity_id, []))

    def links(self, fact: Fact) -> list[Link]:
        """Facts this one supersedes, conflicts with or relates to, and the reverse."""
        return list(self._linked.get(fact.id, []))

    def companies_of(self, fact: Fact) -> set[str]:
        """Ids of the companies a fact involves, directly or through a person, vehicle or platform."""
        out: set[str] = set()
        if fact.kind == "company":
            out.add(fact.id)
        for field, ref in fact.refs():
            if field in LINK_FIELDS:
                continue
            target = self.facts.get(ref)
            if target is None:
                continue
            if target.kind == "company":
                out.add(ref)
            elif target.kind == "partnership":
                out.update(target.get("parties", []))
            elif target.kind == "person":
                out.update(r.get("org") for r in self.about(ref) if r.kind == "role"
                           and self.facts.get(r.get("org"), fact).kind == "company")
            elif target.kind in ("vehicle", "platform", "technology"):
                for key in ("maker", "brand", "owner"):
                    if target.get(key) and self.facts.get(target.get(key), fact).kind == "company":
                        out.add(target.get(key))
        return out

    def count_for(self, entity_id: str) -> int:
        """How many facts there are about an entity, itself included."""
        return len(self._about.get(entity_id, [])) + (1 if entity_id in self.facts else 0)

    def set_named(self, named: dict[str, dict[str, tuple[int, int, int]]]) -> None:
        """What each article names (article -> entity id -> facts.mentions.summary), from the
        index or `load`. Kept by entity, the numbers in flat arrays: 100,000 small tuples
        and 10,000 dicts would cost several times as much memory."""
        by_entity: dict[str, tuple[list[str], array]] = {}
        for article, entities in named.items():
            for entity_id, (count, start, end) in entities.items():
                entry = by_entity.get(entity_id)
                if entry is None:
                    entry = by_entity[entity_id] = ([], array("q"))
                entry[0].append(article)
                entry[1].extend((count, start, end))
        self._named = by_entity

    def mentioned_in(self, entity_id: str) -> list[str]:
        """The articles that name an entity, newest first (undated ones last)."""
        names = self._named.get(entity_id, ((), ()))[0]
        dated = sorted((n for n in names if self._date(n) is not None), key=lambda n: (self._date(n), n), reverse=True)
        return dated + sorted(n for n in names if self._date(n) is None)

    def mention(self, article: str, entity_id: str) -> tuple[int, int, int] | None:
        """How often `article` names an entity, and where it first does (start, end)."""
        names, numbers = self._named.get(entity_id, ([], ()))
        try:
            at = 3 * names.index(article)
        except ValueError:
            return None
        return numbers[at], numbers[at + 1], numbers[at + 2]

    def _date(self, article: str):
        meta = self.articles.get(article)
        return meta.date if meta is not None else None

    def article_count(self, entity_id: str) -> int:
        """How many articles name an entity."""
        return len(self._named.get(entity_id, ((), ()))[0])

    def __getstate__(self) -> dict:
        """Saved without the articles' metadata and what they name (saved on their own)."""
        return {**self.__dict__, "articles": {}, "_named": {}}

    def latest_article_date(self):
        """The date of the newest dated article (a PartialDate), or None."""
        dates = [m.date for m in self.articles.values() if m.date is not None]
        return max(dates) if dates else None

    def kind_label(self, kind: str) -> str:
        return KINDS[kind].label


def _share_equal_values(facts: Iterable[Fact]) -> None:
    """Make equal strings and dates of the facts one object each (a saved fact base then holds
    and loads each once), and drop the facts' line numbers by field (`Fact.lines`): only the
    checks read them, and they ran before a fact base is made. The facts then share one empty
    `lines`; nothing writes to it."""
    seen: dict = {}

    def one(value):
        if isinstance(value, str | PartialDate):
            return seen.setdefault(value, value)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [seen.setdefault(v, v) for v in value]
        return value

    no_lines: dict = {}
    for fact in facts:
        fact.lines = no_lines
        fact.id, fact.kind, fact.file = one(fact.id), one(fact.kind), one(fact.file)
        for key, value in fact.values.items():
            fact.values[key] = one(value)
        for source in fact.sources:
            source.article, source.reported = one(source.article), one(source.reported)


@dataclass
class Loaded:
    """A corpus read and checked: the fact base, the readable articles and every problem."""

    corpus: Corpus
    facts: FactBase
    articles: dict[str, Article]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def load(corpus: Corpus) -> Loaded:
    """Read every article and fact file of a corpus and check them."""
    from .loader import QuoteChecker, check_facts, quotes_by_article
    from .mentions import NameMatcher, body_start, summary

    articles, problems = corpus.read_all()
    raw_facts, fact_problems = corpus.read_facts()
    files, _ = corpus.article_files()
    checker = QuoteChecker({p.name for p in files})
    wanted = quotes_by_article(raw_facts)
    for path in files:
        if path.name in articles:
            checker.feed(articles[path.name], wanted.get(path.name, ()))
        else:
            checker.fail(path.name, "it has problems of its own (see above)")
    facts, check_problems = check_facts(raw_facts, checker)
    base = FactBase(facts, {name: a.meta for name, a in articles.items()})
    matcher = NameMatcher.from_facts(base.facts.values())
    base.set_named({name: summary(matcher.find(a.text), body_start(a.text, a.title))
                    for name, a in sorted(articles.items())})
    return Loaded(corpus, base, articles, problems + fact_problems + check_problems)
