"""Load the YAML facts of a corpus and check them: fields, references and quotes."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from .articles import Article
from .dates import DateError, PartialDate, date_key
from .files import Refused, read_limited
from .kinds import (
    BOOL,
    CHOICE,
    DATE,
    KINDS,
    LINK_FIELDS,
    NUMBER,
    REF,
    REFS,
    SECTIONS,
    SOURCE_FIELDS,
    TEXT,
    TEXTS,
    VALUE,
    FieldSpec,
    KindSpec,
)
from .model import Fact, Source
from .problems import WARNING, Problem, did_you_mean
from .text import QuoteFinder, one_line
from .yamlfile import MAX_YAML_BYTES, Located, LocatedList, YamlError, load_file

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LONG_QUOTE = 300
MAX_TEXT = 2000  # characters in one field; the longest in the bundled facts is under 300
_ITEM_NOUNS = {"parties": "party", "mentions": "mention", "aliases": "alias", "supersedes": "superseded fact",
               "conflicts_with": "conflicting fact", "related": "related fact"}


def _noun(field: str) -> str:
    return _ITEM_NOUNS.get(field, field)


def _kinds_phrase(kinds: tuple[str, ...]) -> str:
    if set(kinds) == set(KINDS):
        return "fact"
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " or " + kinds[-1]


class RawFacts(list):
    """Facts read from YAML files, each checked on its own.

    `left_out` maps the id of every record that was not read (its file could not be read,
    or it has problems of its own) to why, so that references to it are reported as what
    follows from that, not as unknown ids. `unopened` names the files that could not be
    read at all, whose ids are not known: an unknown id may be in one of them.
    """

    def __init__(self) -> None:
        super().__init__()
        self.left_out: dict[str, _Gone] = {}
        self.unopened: list[str] = []  # files whose text could not be read at all: their ids are unknown


class _Gone:
    """Why a fact is not available to facts that refer to it."""

    __slots__ = ("cause", "why")

    def __init__(self, why: str, cause: str) -> None:
        self.why = why      # completes "party 'x' ...": "is in facts/a.yaml, which could not be read"
        self.cause = cause  # what the knock-ons depend on: "facts in facts/a.yaml, which could not be read"

    @classmethod
    def unreadable_file(cls, rel: str) -> _Gone:
        return cls(f"is in {rel}, which could not be read", f"facts in {rel}, which could not be read")

    @classmethod
    def own_problems(cls, kind: str, fact_id: str, where: str) -> _Gone:
        return cls(f"has problems of its own ({where})", f"{kind} '{fact_id}' ({where}), which has problems of its own")


_ID_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?id:[ \t]*[\"']?([a-z0-9][a-z0-9-]*)", re.MULTILINE)


def _ids_in(path: Path) -> list[str] | None:
    """The ids a YAML file that could not be parsed seems to define (line by line);
    None when its text cannot be read at all."""
    try:
        data = read_limited(path, MAX_YAML_BYTES)
    except Refused:
        return None
    return _ID_LINE.findall(data.decode("utf-8", "replace"))


class _FileReader:
    """Turns one YAML file into facts, collecting problems."""

    def __init__(self, rel: str, problems: list[Problem], out: RawFacts) -> None:
        self.rel = rel
        self.problems = problems
        self.out = out

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.rel, line, message))

    def read(self, path: Path) -> list[Fact]:
        try:
            data = load_file(path)
        except YamlError as exc:
            self.error(exc.line, exc.message)
            self.unreadable(path)
            return []
        if data is None:
            return []
        if not isinstance(data, Located):
            self.error(1, f"expected sections such as 'companies:' or 'partnerships:' at the top, found a {type(data).__name__}")
            self.unreadable(path)
            return []
        facts: list[Fact] = []
        for section, records in data.items():
            line = data.line_of(section)
            spec = SECTIONS.get(section)
            if spec is None:
                self.error(line, f"unknown section '{section}'{did_you_mean(str(section), SECTIONS)}; "
                                 f"sections are {', '.join(SECTIONS)}")
                continue
            if records is None:
                continue
            if not isinstance(records, LocatedList):
                self.error(line, f"section '{section}' must be a list of records (each starting with '- id:')")
                continue
            for record, item_line in zip(records, records.item_lines, strict=True):
                fact = self.record(spec, record, item_line)
                if fact is not None:
                    facts.append(fact)
        return facts

    def unreadable(self, path: Path) -> None:
        ids = _ids_in(path)
        if ids is None:
            self.out.unopened.append(self.rel)
            return
        gone = _Gone.unreadable_file(self.rel)
        for fact_id in ids:
            self.out.left_out.setdefault(fact_id, gone)

    def record(self, spec: KindSpec, record: object, line: int) -> Fact | None:
        if not isinstance(record, Located):
            self.error(line, f"each {spec.kind} must be a mapping of fields, found {one_line(repr(record), 60)}")
            return None
        before = len(self.problems)
        raw_id = record.get("id")
        label = f"{spec.kind} '{raw_id}'" if isinstance(raw_id, str) else f"this {spec.kind}"
        for key in record:
            if spec.field(str(key)) is None:
                self.error(record.line_of(key), f"unknown field '{key}' in {label}{did_you_mean(str(key), spec.field_names)}")
        values: dict = {}
        lines: dict = {key: record.line_of(key) for key in record}
        sources: list[Source] = []
        for fspec in spec.fields:
            if fspec.name not in record or record[fspec.name] is None:
                if fspec.required:
                    self.error(record.line, f"{label} has no '{fspec.name}' (required)")
                continue
            value = record[fspec.name]
            fline = record.line_of(fspec.name)
            if fspec.name == "sources":
                sources = self.sources(value, fline, label)
                continue
            checked = self.value(fspec, value, fline, label)
            if checked is not None:
                values[fspec.name] = checked
            if fspec.type in (REFS, TEXTS) and isinstance(value, LocatedList):
                for item, item_line in zip(value, value.item_lines, strict=True):
                    lines[(fspec.name, one_line(str(item)))] = item_line
        if isinstance(raw_id, str) and not ID_RE.match(raw_id):
            self.error(record.line_of("id"), f"id '{raw_id}' must use only lower-case letters, digits and '-'")
        if len(self.problems) > before:
            if isinstance(raw_id, str):
                self.out.left_out.setdefault(raw_id, _Gone.own_problems(spec.kind, raw_id, f"{self.rel}:{record.line}"))
            return None
        return Fact(values["id"], spec.kind, values, sources, self.rel, record.line, lines)

    def too_long(self, text: str, line: int, where: str) -> bool:
        """Report a text over MAX_TEXT characters (it would flood every list and message)."""
        if len(text) <= MAX_TEXT:
            return False
        self.error(line, f"{where} is {len(text):,} characters long; the limit is {MAX_TEXT:,}")
        return True

    def value(self, fspec: FieldSpec, value: object, line: int, label: str):
        where = f"'{fspec.name}' of {label}"
        kind = fspec.type
        if kind in (TEXT, REF):
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                self.error(line, f"{where} must be text, not {type(value).__name__}")
                return None
            text = one_line(str(value))
            if not text:
                self.error(line, f"{where} is empty")
                return None
            if self.too_long(text, line, where):
                return None
            return text
        if kind in (TEXTS, REFS):
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list):
                self.error(line, f"{where} must be a list")
                return None
            lines = getattr(value, "item_lines", [line] * len(value))
            items = []
            for item, item_line in zip(value, lines, strict=True):
                if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
                    self.error(item_line, f"each {_noun(fspec.name)} in {where} must be non-empty text")
                    continue
                text = one_line(str(item))
                if not self.too_long(text, item_line, f"an item of {where}"):
                    items.append(text)
            if len(items) < fspec.min_items:
                self.error(line, f"{where} needs at least {fspec.min_items} items, has {len(items)}")
            if len(set(items)) != len(items):
                self.error(line, f"{where} lists the same item twice")
            return items
        if kind == CHOICE:
            text = str(value).strip()
            if text not in fspec.choices:
                self.error(line, f"{where} is '{text}', not one of: {', '.join(fspec.choices)}"
                                 f"{did_you_mean(text, fspec.choices)}")
                return None
            return text
        if kind == DATE:
            try:
                return PartialDate.parse(value)
            except DateError as exc:
                self.error(line, f"{where}: {exc}")
                return None
        if kind == NUMBER:
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.error(line, f"{where} must be a number, not {one_line(repr(value), 40)}")
                return None
            return value
        if kind == VALUE:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                self.error(line, f"{where} must be a number or text")
                return None
            return value
        if kind == BOOL:
            if not isinstance(value, bool):
                self.error(line, f"{where} must be true or false")
                return None
            return value
        raise AssertionError(kind)

    def sources(self, value: object, line: int, label: str) -> list[Source]:
        if not isinstance(value, LocatedList) or not value:
            self.error(line, f"'sources' of {label} must be a non-empty list of {{article, quote}}")
            return []
        out: list[Source] = []
        for item, item_line in zip(value, value.item_lines, strict=True):
            if not isinstance(item, Located):
                self.error(item_line, f"each source of {label} must be a mapping with 'article' and 'quote'")
                continue
            bad = False
            for key in item:
                if key not in SOURCE_FIELDS:
                    self.error(item.line_of(key), f"unknown field '{key}' in a source of {label}"
                                                  f"{did_you_mean(str(key), SOURCE_FIELDS)}")
                    bad = True
            for key in ("article", "quote", "note"):
                value = item.get(key)
                if key != "note" and (not isinstance(value, str) or not value.strip()):
                    self.error(item.line_of(key), f"a source of {label} has no '{key}' (required, text)")
                    bad = True
                elif value is not None and self.too_long(str(value), item.line_of(key), f"'{key}' of a source of {label}"):
                    bad = True
            if bad:
                continue
            note = item.get("note")
            out.append(Source(item["article"].strip(), item["quote"], item.line_of("quote"),
                              one_line(str(note)) if note else None, item.line_of("article")))
        return out


def check_record(kind: str, record: Located, known: dict[str, Fact], name: str = "edit",
                 any_kind: tuple[str, ...] = (), hints: int = 10) -> tuple[Fact | None, list[str]]:
    """Check one record of `kind` as `alliance check` does: its fields, then its references
    against `known` (id -> fact). A reference in an `any_kind` field only needs to exist.
    Returns the fact (None when its fields are bad) and the messages, [] when good."""
    problems: list[Problem] = []
    fact = _FileReader(name, problems, RawFacts()).record(KINDS[kind], record, record.line)
    messages = [p.message for p in problems]
    if fact is None:
        return None, messages
    suggestions = [hints]
    for field_name, ref in fact.refs():
        if field_name in any_kind and ref in known:
            continue
        message = _ref_problem(fact, field_name, ref, known, suggestions)
        if message:
            messages.append(message)
    return fact, messages


def read_fact_files(files: list[Path], rel: Callable[[Path], str]) -> tuple[RawFacts, list[Problem]]:
    """Parse YAML fact files; facts with any problem in their own fields are left out."""
    problems: list[Problem] = []
    facts = RawFacts()
    for path in files:
        facts.extend(_FileReader(rel(path), problems, facts).read(path))
    return facts, problems


class QuoteChecker:
    """Checks quotes against articles, which can be fed one at a time and then dropped.

    Results can be seeded from an earlier run for articles that did not change.
    """

    def __init__(self, names: set[str]) -> None:
        self.names = set(names)
        self.found: dict[str, dict[str, tuple[int, int] | None]] = {}
        self.dates: dict[str, tuple[PartialDate | None, bool]] = {}
        self.unreadable: dict[str, str] = {}

    def feed(self, article: Article, quotes: Iterable[str]) -> None:
        """Look up `quotes` in `article` (its text is not kept)."""
        finder = QuoteFinder(article.raw)
        found = self.found.setdefault(article.name, {})
        for quote in quotes:
            if quote not in found:
                found[quote] = finder.find(quote)
        self.dates[article.name] = (article.meta.date, article.meta.date_estimated)

    def seed(self, name: str, date: PartialDate | None, estimated: bool, found: dict) -> None:
        """Results for an unchanged article from an earlier run."""
        self.found.setdefault(name, {}).update(found)
        self.dates[name] = (date, estimated)

    def fail(self, name: str, reason: str) -> None:
        self.unreadable[name] = reason

    def missing(self, quotes_by_article: dict[str, set[str]]) -> dict[str, set[str]]:
        """The quotes of readable articles that have not been looked up yet."""
        out = {}
        for name, quotes in quotes_by_article.items():
            if name in self.names and name not in self.unreadable:
                todo = {q for q in quotes if q not in self.found.get(name, {})}
                if todo:
                    out[name] = todo
        return out

    def cause(self, name: str) -> str | None:
        """What a source's failure follows from, when it is not the source's own mistake."""
        if not self.names:
            return "articles, and the corpus has none that can be read"
        if name in self.unreadable:
            return f"seeds/{name}, which could not be read"
        return None

    def check(self, source: Source) -> str | None:
        """Set the source's span and date, or return what is wrong with it."""
        name = source.article
        if name not in self.names:
            return f"article '{name}' is not in the corpus{did_you_mean(name, self.names)}"
        if name in self.unreadable:
            return f"article '{name}' cannot be read: {self.unreadable[name]}"
        span = self.found.get(name, {}).get(source.quote)
        if span is None:
            return f'quote not found in {name}: "{one_line(source.quote, 80)}"'
        source.span = tuple(span)
        source.reported, source.reported_estimated = self.dates.get(name, (None, False))
        return None


def quotes_by_article(facts: Iterable[Fact]) -> dict[str, set[str]]:
    """Every quote the facts cite, by article."""
    out: dict[str, set[str]] = {}
    for fact in facts:
        for source in fact.sources:
            out.setdefault(source.article, set()).add(source.quote)
    return out


def check_facts(facts: list[Fact], quotes: QuoteChecker) -> tuple[list[Fact], list[Problem]]:
    """Check ids, quotes and references across files. Returns the facts that pass.

    A fact that refers to a fact that is left out is left out too. Its problem names the
    first cause (`Problem.cause`): an unreadable file or a fact with problems of its own,
    so that what follows from one mistake can be shown as one line.
    """
    problems: list[Problem] = []
    by_id: dict[str, Fact] = {}
    for fact in facts:
        if fact.id in by_id:
            first = by_id[fact.id]
            problems.append(Problem(fact.file, fact.line, f"duplicate id '{fact.id}' (first defined at {first.where})"))
            continue
        by_id[fact.id] = fact
    gone: dict[str, _Gone] = dict(getattr(facts, "left_out", {}))
    gone.update(_check_sources(by_id, quotes, problems))

    broken = _check_refs(by_id, gone, getattr(facts, "unopened", []), problems)
    good = [f for f in by_id.values() if f.id not in broken]
    problems.extend(_check_names(good))
    problems.extend(_check_time_links(good))
    return good, problems


_SUGGESTIONS = 200  # "did you mean" compares with every id: only for the first this many unknown ids


def _check_refs(by_id: dict[str, Fact], gone: dict[str, _Gone], unopened: list[str],
                problems: list[Problem]) -> set[str]:
    """Report bad references; returns the ids of the facts left out because of them."""
    maybe = None
    if unopened:
        files = " or ".join(unopened)
        maybe = _Gone(f"is not known; it may be in {files}, which could not be read",
                      f"facts that may be in {files}, which could not be read")
    broken: dict[str, _Gone | None] = {}  # id -> what it depends on (None: a problem of its own)
    referrers: dict[str, list[tuple[Fact, str]]] = {}
    suggestions = [_SUGGESTIONS]
    for fact in by_id.values():
        knock_on = None
        for field_name, ref in fact.refs():
            referrers.setdefault(ref, []).append((fact, field_name))
            if fact.id in broken:
                continue
            if ref not in by_id and (ref in gone or maybe):
                knock_on = knock_on or (field_name, ref)
                continue
            message = _ref_problem(fact, field_name, ref, by_id, suggestions)
            if message:
                problems.append(Problem(fact.file, _ref_line(fact, field_name, ref), message))
                broken[fact.id] = None
        if knock_on is not None and fact.id not in broken:
            field_name, ref = knock_on
            why = gone.get(ref, maybe)
            _left_out(fact, field_name, ref, why, problems)
            broken[fact.id] = why
    queue = deque(broken)
    while queue:  # whatever refers to a fact left out is left out too
        target = by_id[queue.popleft()]
        own = broken[target.id]
        because = own or _Gone.own_problems(target.kind, target.id, target.where)
        why = _Gone(f"is left out because it depends on {own.cause}", own.cause) if own else because
        for fact, field_name in referrers.get(target.id, ()):
            if fact.id not in broken and fact.id != target.id:
                _left_out(fact, field_name, target.id, why, problems)
                broken[fact.id] = because
                queue.append(fact.id)
    return set(broken)


def _left_out(fact: Fact, field_name: str, ref: str, gone: _Gone, problems: list[Problem]) -> None:
    problems.append(Problem(fact.file, _ref_line(fact, field_name, ref),
                            f"{_noun(field_name)} '{ref}' {gone.why}, so {fact.kind} '{fact.id}' is left out",
                            cause=gone.cause))


def _ref_line(fact: Fact, field_name: str, ref: str) -> int:
    return fact.lines.get((field_name, ref)) or fact.lines.get(field_name) or fact.line


def _ref_problem(fact: Fact, field_name: str, ref: str, by_id: dict[str, Fact], suggestions: list[int]) -> str | None:
    """What is wrong with one reference of the fact's own making (not what it depends on)."""
    spec = fact.spec.field(field_name)
    allowed = spec.refs if spec else ()
    target = by_id.get(ref)
    noun = _noun(field_name)
    if target is None:
        hint = ""
        if suggestions[0] > 0:
            suggestions[0] -= 1
            hint = did_you_mean(ref, [f.id for f in by_id.values() if f.kind in allowed])
        return f"{noun} '{ref}' is not a known {_kinds_phrase(allowed)}{hint}"
    if target.kind not in allowed:
        return f"{noun} '{ref}' is a {target.kind}, not a {_kinds_phrase(allowed)}"
    if ref == fact.id:
        return f"{noun} '{ref}' refers to the fact itself"
    return None


def _check_sources(by_id: dict[str, Fact], quotes: QuoteChecker, problems: list[Problem]) -> dict[str, _Gone]:
    """Check every source; facts left with none are removed from `by_id` and returned with why.

    A source whose article cannot be read only follows from the article's own problem: a
    fact that loses all its sources that way is one problem whose cause is that article;
    a fact that keeps other sources gets a warning for the one it loses.
    """
    dropped: dict[str, _Gone] = {}
    for fact in list(by_id.values()):
        good: list[Source] = []
        own: list[Problem] = []
        following: list[Problem] = []
        for source in fact.sources:
            message = quotes.check(source)
            if message is not None:
                line = (source.article_line if message.startswith("article") else source.line) or source.line
                cause = quotes.cause(source.article)
                (own if cause is None else following).append(Problem(fact.file, line, message, cause=cause))
                continue
            if len(source.quote) > LONG_QUOTE:
                problems.append(Problem(fact.file, source.line,
                                        f"quote is {len(source.quote)} characters; keep it as short as still makes the fact true",
                                        WARNING))
            good.append(source)
        fact.sources = good
        problems.extend(own)
        if good:
            problems.extend(Problem(p.file, p.line, f"{p.message}; this source is left out", WARNING) for p in following)
            continue
        del by_id[fact.id]
        if own:
            problems.extend(replace(p, cause=None) for p in following)
            dropped[fact.id] = _Gone.own_problems(fact.kind, fact.id, fact.where)
        else:
            first = following[0]
            problems.append(replace(first, message=f"{first.message}, so {fact.kind} '{fact.id}' is left out"))
            dropped[fact.id] = _Gone(f"is left out because it depends on {first.cause}", first.cause)
    return dropped


def _check_names(facts: list[Fact]) -> list[Problem]:
    from .names import name_key

    problems: list[Problem] = []
    seen: dict[str, Fact] = {}
    for fact in facts:
        if "name" not in fact.values:
            continue
        for name in [fact.name, *fact.aliases]:
            key = name_key(name)
            other = seen.get(key)
            if other is not None and other is not fact:
                problems.append(Problem(fact.file, fact.line,
                                        f"name '{name}' of {fact.kind} '{fact.id}' is also a name of "
                                        f"{other.kind} '{other.id}' ({other.where}); look-ups by it will pick '{other.id}'",
                                        WARNING))
                continue
            seen.setdefault(key, fact)
    return problems


def _check_time_links(facts: list[Fact]) -> list[Problem]:
    """Warnings about time: supersedes links that point forward, statuses with no date, current
    facts that disagree without a link, joint statements given to a partnership, hedges that
    name no field."""
    by_id = {f.id: f for f in facts}
    problems: list[Problem] = []
    for fact in facts:
        for old_id in fact.values.get("supersedes", []):
            old = by_id.get(old_id)
            if old and fact.reported and old.reported and old.reported > fact.reported:
                problems.append(Problem(fact.file, _ref_line(fact, "supersedes", old_id),
                                        f"{fact.kind} '{fact.id}' supersedes '{old_id}', which was reported later "
                                        f"({old.reported} after {fact.reported})", WARNING))
        problems.extend(_check_time_fields(fact, by_id))
    problems.extend(_check_disagreements(facts))
    return problems


_DATE_FIELDS = ("date", "since", "until", "as_of")


def _check_time_fields(fact: Fact, by_id: dict[str, Fact]) -> list[Problem]:
    problems = []
    if "status" in fact.values and not any(k in fact.values for k in _DATE_FIELDS) and fact.reported is None:
        problems.append(Problem(fact.file, fact.lines.get("status") or fact.line,
                                f"{fact.kind} '{fact.id}' has a status but no date: its articles are undated; "
                                "give 'as_of' (when the article says it held)", WARNING))
    for ref in fact.values.get("speaker", []) if fact.kind == "statement" else ():
        speaker = by_id.get(ref)
        if speaker is not None and speaker.kind == "partnership":
            problems.append(Problem(fact.file, _ref_line(fact, "speaker", ref),
                                    f"speaker '{ref}' is a partnership; a joint statement lists its parties as "
                                    f"speakers: [{', '.join(speaker.values.get('parties', []))}]", WARNING))
    for name in fact.values.get("hedged", []):
        if name in ("id", "sources", "hedged", "certainty") or fact.spec.field(name) is None:
            problems.append(Problem(fact.file, _ref_line(fact, "hedged", name),
                                    f"'hedged' names '{name}', which is not a field of a {fact.kind}"
                                    f"{did_you_mean(name, fact.spec.field_names)}", WARNING))
        elif name not in fact.values:
            problems.append(Problem(fact.file, _ref_line(fact, "hedged", name),
                                    f"'hedged' names '{name}', which {fact.kind} '{fact.id}' does not set", WARNING))
    return problems


# Per kind: what makes two facts about the same thing, and the fields in which they may disagree.
_SAME_THING = {
    "stake": (lambda f: (f.get("holder"), f.get("target")), ("percent", "size", "status")),
    "partnership": (lambda f: (f.get("type"), frozenset(f.get("parties", []))), ("status",)),
    "figure": (lambda f: (f.get("subject"), f.get("metric", "").lower()), ("value", "unit")),
}


def _check_disagreements(facts: list[Fact]) -> list[Problem]:
    """Two current facts about the same parties and kind that disagree, with no link between them."""
    superseded = {old for f in facts for old in f.values.get("supersedes", [])}
    groups: dict[tuple, list[Fact]] = {}
    for fact in facts:
        if fact.kind in _SAME_THING and fact.id not in superseded:
            groups.setdefault((fact.kind, _SAME_THING[fact.kind][0](fact)), []).append(fact)
    problems = []
    for (kind, _), group in groups.items():
        problems.extend(_disagreements(kind, group))
    return problems


DISAGREEMENTS_SHOWN = 20  # per group of facts about the same thing: past this, one line says how many more


def _disagreements(kind: str, group: list[Fact]) -> list[Problem]:
    """The pairs of facts in `group` that differ with no link. Facts with the same values are
    compared once, as a bucket, and counting stops after DISAGREEMENTS_SHOWN: a hostile file
    of thousands of such facts costs linear time, not a warning for every pair."""
    fields = _SAME_THING[kind][1]
    buckets: dict[tuple, list[Fact]] = {}
    for fact in group:
        buckets.setdefault(tuple(repr(fact.values.get(k)) for k in fields), []).append(fact)
    keys = list(buckets)
    problems: list[Problem] = []
    for i, key_a in enumerate(keys):
        for key_b in keys[i + 1:]:
            differ = [k for k, x, y in zip(fields, key_a, key_b, strict=True) if x != y]
            for a in buckets[key_a]:
                for b in buckets[key_b]:
                    if any(b.id in a.values.get(k, []) or a.id in b.values.get(k, [])
                           for k in LINK_FIELDS):
                        continue
                    if len(problems) == DISAGREEMENTS_SHOWN:
                        first = group[0]
                        return [*problems, Problem(first.file, first.line,
                                                   f"… and more {kind} facts about the same thing as "
                                                   f"'{first.id}' that disagree with no link", WARNING)]
                    later, earlier = (a, b) if date_key(a.reported) >= date_key(b.reported) else (b, a)
                    problems.append(Problem(later.file, later.line,
                                            f"{kind} '{later.id}' and '{earlier.id}' are both current and disagree "
                                            f"({', '.join(differ)}) with no link: add 'supersedes', "
                                            "'conflicts_with' or 'related'", WARNING))
    return problems

__all__ = ["KINDS", "check_facts", "read_fact_files"]
