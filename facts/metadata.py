"""Article metadata: what the text itself says, overridden by the user's sidecar file."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .dates import DateError, PartialDate, month_number
from .files import SIDECAR, corpus_roots, refusal
from .problems import WARNING, Problem, did_you_mean
from .text import one_line
from .yamlfile import Located, YamlError, load_file

SIDECAR_FIELDS = (
    "title", "publisher", "date", "date_estimated", "date_basis", "author", "url", "note",
)

_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MDY = re.compile(
    r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b", re.IGNORECASE
)
_DMY = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})\b", re.IGNORECASE
)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_MONTH_YEAR = re.compile(_MONTH + r"\s+(?:19|20)\d{2}\b", re.IGNORECASE)
_AGENCIES = {
    "reuters": "Reuters", "afp": "AFP", "ap": "AP", "bloomberg": "Bloomberg", "dpa": "dpa",
    "xinhua": "Xinhua", "kyodo": "Kyodo",
}
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .'-]{1,40}),\s+" + _MONTH + r"\s+(?P<day>\d{1,2})\s+"
    r"\((?P<agency>" + "|".join(_AGENCIES) + r")\)",
    re.IGNORECASE,
)
_COPYRIGHT_YEAR = re.compile(r"(?:©|\(c\)|copyright)\s*(?P<year>(?:19|20)\d{2})(?:\s+(?P<holder>[A-Z][\w&.' -]{1,60}?))?(?=,|\.|\s+all rights|$)", re.IGNORECASE | re.MULTILINE)
_BYLINE = re.compile(r"^(?i:written by|by)(?:\s+|(?=[A-Z][a-z]))(?P<name>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})")
_REPORT_BY = re.compile(r"\(Report(?:ing)?\s+by\s+(?P<name>[A-Z][^,;)]{2,60}?)(?:[,;)]|\s+edited\b)")
_HEAD_LINES = 15
# The scraper's date stamp at the top of a page: " date 2024-10-15 …".
_STAMP = re.compile(r"^\s*date\s+(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?(?=\s|$)")
# Words that introduce a publication date on a byline or date line.
_DATE_LEAD = re.compile(
    r"^(?:[-–—|•]\s*)?(?:(?:published|posted|updated|last\s+updated|date)\b(?:\s+on\b)?\s*:?\s*"
    r"|(?:written\s+)?by\b[^|–—\d]{1,60}?[|–—,]\s*(?:published\s*:?\s*|updated\s*:?\s*)?)?",
    re.IGNORECASE,
)
# A dateline that gives the full date: "SEOUL, November 21, 2022 – …", "DETROIT, Mich., 5 May 2024 — …".
_PLACE_LEAD = re.compile(r"^(?P<place>[A-Z][A-Z .'-]{1,30}(?:,\s*[A-Z][A-Za-z.]{1,12})?),\s+")
_DASH_AFTER = re.compile(r"\s*[—–-]{1,2}\s")
_NUMERIC = re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>(?:19|20)\d{2})\b")
_BRACKET_DATE = re.compile(r"^(?P<title>.{10,200}?)\s*\[(?P<date>[^\]]{6,30})\]\s")
_DATE_LINE_WORDS = 12  # a line this short that holds a date is a date line
_TITLE_WORDS = 25
_SITE_SUFFIX = re.compile(r"\s+[-–—|]\s+(?:[A-Z][\w.&']*\s?){1,3}$")
_BULLET = re.compile(r"^[•*·▪►‣◦-]\s")
_DATELINE_START = re.compile(r"^[A-Z][A-Z .'-]{2,30}(?:,\s*[A-Z][\w.]+)?\s*[—–-]{1,2}\s|^\(")
_RELATIVE = re.compile(r"^\d{1,3}\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b", re.IGNORECASE)
_END_PUNCT = re.compile(r"[.;:,]$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
_FIRST_SENTENCE_CHARS = 90


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """Title, publisher, date and the rest; `origin` says where each value came from."""

    title: str
    publisher: str | None = None
    date: PartialDate | None = None
    date_estimated: bool = False
    date_basis: str | None = None
    author: str | None = None
    url: str | None = None
    note: str | None = None
    origin: dict = field(default_factory=dict, compare=False)

    @property
    def date_label(self) -> str:
        """The date for display: 'unknown date', '8 Nov 2022' or '~2023 (estimate)'."""
        if self.date is None:
            return "unknown date"
        return f"~{self.date} (estimate)" if self.date_estimated else str(self.date)


def _date_from(match: re.Match) -> PartialDate | None:
    month = match.group("month")
    number = int(month) if month.isdigit() else month_number(month)
    try:
        return PartialDate.parse(f"{match.group('year')}-{number:02d}-{int(match.group('day')):02d}")
    except (DateError, TypeError):
        return None


def _dated(match: re.Match | None) -> PartialDate | None:
    return _date_from(match) if match else None


def _numeric_date(match: re.Match) -> PartialDate | None:
    """A date written 27/07/2023 or 5/21/2022; None when day and month could be swapped."""
    a, b = int(match.group("a")), int(match.group("b"))
    if a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    else:
        return None
    try:
        return PartialDate.parse(f"{match.group('year')}-{month:02d}-{day:02d}")
    except DateError:
        return None


def _line_date(line: str) -> tuple[PartialDate, str] | None:
    """The date of a byline or date line: a short line with a date, or one that starts with it."""
    lead = _DATE_LEAD.match(line)
    rest = line[lead.end():] if lead else line
    # A short line that is not a sentence: "MAY 21, 2022", "By Jane Doe | May 3, 2024".
    short = len(line.split()) <= _DATE_LINE_WORDS and not line.rstrip().endswith((".", "!", "?"))
    for pattern in (_MDY, _DMY, _ISO):
        m = pattern.search(rest[:120])
        if m and (short or m.start() == 0) and (date := _date_from(m)):
            return date, m.group(0)
    m = _NUMERIC.search(rest[:40])
    if m and (short or m.start() == 0) and (date := _numeric_date(m)):
        return date, m.group(0)
    return None


def _is_date_line(line: str) -> bool:
    if _RELATIVE.match(line):
        return True
    words = len(line.split())
    return words <= 6 and any(p.search(line) for p in (_MDY, _DMY, _ISO, _NUMERIC, _MONTH_YEAR))



def _headline(line: str, words_limit: int = _TITLE_WORDS) -> bool:
    """A line that can be a headline: short, not a sentence, byline, date line, bullet or dateline."""
    words = len(line.split())
    if not 0 < words <= words_limit or len(line) > 200:
        return False
    if _BYLINE.match(line) or _BULLET.match(line) or _DATELINE_START.match(line) or _is_date_line(line):
        return False
    if line[0].islower():
        return False
    if _END_PUNCT.search(line):
        # One short sentence ending in a full stop can be a headline; a longer one is the text.
        return line.endswith(".") and words <= 10 and "," not in line and not _SENTENCE.search(line)
    return True


def _strip_site(title: str) -> str:
    """Drop a trailing ' – Roadshow', ' - CNN', ' | Reuters' that names the site."""
    m = _SITE_SUFFIX.search(title)
    return title[: m.start()].rstrip() if m and m.start() >= 15 else title


def _title(lines: list[str]) -> tuple[str, str] | None:
    """The headline: the first headline-like line before the text starts, else None."""
    for line in lines[:8]:
        if (m := _BRACKET_DATE.match(line)) and _line_date(m.group("date")):
            return m.group("title").strip(), "headline before the bracketed date"
        if _headline(line):
            return _strip_site(line), "headline"
        if len(line.split()) > _TITLE_WORDS or _SENTENCE.search(line):
            break  # the text has started
    if len(lines) > 1 and _headline(lines[-1]) and _SITE_SUFFIX.search(lines[-1]):
        return _strip_site(lines[-1]), "headline with its source at the end"
    return None


def _first_sentence(lines: list[str], name: str) -> str:
    if not lines:
        return Path(name).stem
    sentence = _SENTENCE.split(lines[0], maxsplit=1)[0]
    if len(sentence) <= _FIRST_SENTENCE_CHARS:
        return sentence
    cut = sentence[:_FIRST_SENTENCE_CHARS].rsplit(" ", 1)[0]
    return f"{cut}…"


def detect(name: str, clean_text: str, raw_text: str) -> ArticleMeta:
    """Metadata the text states: headline, date stamp, byline date, dateline, copyright line."""
    lines = [line.strip() for line in clean_text.split("\n") if line.strip()]
    head = lines[:_HEAD_LINES]
    origin: dict[str, str] = {}
    found = _title(head)
    if found:
        title, origin["title"] = found
    else:
        title, origin["title"] = _first_sentence(lines, name), "first sentence (no headline found)"
    meta: dict = {"title": one_line(title)}

    copyright = _COPYRIGHT_YEAR.search(raw_text)
    for line in head:
        if m := _DATELINE.match(line):
            meta["publisher"] = _AGENCIES[m.group("agency").lower()]
            origin["publisher"] = f"dateline '{m.group(0)}'"
            if copyright:
                meta["date"] = _date_from_parts(copyright.group("year"), m.group("month"), m.group("day"))
                meta["date_estimated"] = True
                meta["date_basis"] = (
                    f"month and day from the dateline '{m.group(0)}', "
                    f"year from the notice '{one_line(copyright.group(0))}'"
                )
            break
    stamp = _STAMP.match(raw_text[:200])
    if stamp:
        iso = "-".join(g for g in stamp.group("year", "month", "day") if g)
        try:
            meta["date"] = PartialDate.parse(iso)
            meta["date_estimated"] = False
            meta["date_basis"] = f"the page's date stamp '{one_line(stamp.group(0).strip())}'"
        except DateError:
            pass
    if "date" not in meta:
        meta.update(_head_date(head))
    if "date" not in meta and copyright:
        meta["date"] = PartialDate(int(copyright.group("year")))
        meta["date_estimated"] = True
        meta["date_basis"] = f"year of the notice '{one_line(copyright.group(0))}'"
    if "date" in meta:
        origin["date"] = "detected"
    if "publisher" not in meta and copyright and copyright.group("holder"):
        meta["publisher"] = copyright.group("holder").strip()
        origin["publisher"] = f"notice '{one_line(copyright.group(0))}'"
    for line in head:
        if m := _BYLINE.match(line):
            meta["author"] = m.group("name").strip()
            origin["author"] = f"byline '{one_line(line, 60)}'"
            break
    if "author" not in meta and (m := _REPORT_BY.search(clean_text)):
        meta["author"] = m.group("name").strip()
        origin["author"] = f"credit '{one_line(m.group(0), 60)}'"
    return ArticleMeta(origin=origin, **meta)


def _head_date(head: list[str]) -> dict:
    """The publication date from a date line or byline in the head, before the text starts.

    A date inside a sentence of the text (an event's date) is never taken: only a short line
    holding a date, or a line that starts with one, counts.
    """
    for index, line in enumerate(head):
        if index == 0 and (m := _BRACKET_DATE.match(line)) and (found := _line_date(m.group("date"))):
            date, text = found
            return {"date": date, "date_basis": f"date after the headline: '{text}'"}
        if found := _line_date(line):
            date, text = found
            return {"date": date, "date_basis": f"stated in the article: '{text}'"}
        if found := _dateline_date(line):
            date, text = found
            return {"date": date, "date_basis": f"the dateline '{text}'"}
        if len(line.split()) > _TITLE_WORDS or (index and _SENTENCE.search(line)):
            break  # the text has started: dates from here on are events, not publication
    return {}


def _dateline_date(line: str) -> tuple[PartialDate, str] | None:
    """The date of a dateline opening the text: a place in capitals, a full date, a dash."""
    lead = _PLACE_LEAD.match(line)
    if lead is None:
        return None
    for pattern in (_MDY, _DMY):
        m = pattern.match(line, lead.end())
        if m and _DASH_AFTER.match(line, m.end()) and (date := _date_from(m)):
            return date, line[:m.end()]
    return None


def _date_from_parts(year: str, month: str, day: str) -> PartialDate | None:
    number = month_number(month)
    try:
        return PartialDate.parse(f"{year}-{number:02d}-{int(day):02d}") if number else None
    except DateError:
        return None


class Sidecar:
    """The user's `seeds/metadata.yaml`: per-article overrides of detected metadata."""

    def __init__(
        self, entries: dict[str, Located], problems: list[Problem], rel: str,
        name_lines: dict[str, int] | None = None,
    ) -> None:
        self.entries = entries
        self.problems = problems
        self.rel = rel
        self.name_lines = name_lines or {}

    @classmethod
    def load(cls, seeds_dir: Path, rel_dir: str = "seeds", roots: tuple[str, ...] | None = None) -> Sidecar:
        """Read the sidecar if there is one; problems are collected, never raised.

        A symbolic link is followed only to a file inside `roots` (by default `seeds_dir`).
        """
        rel = f"{rel_dir}/{SIDECAR}"
        path = seeds_dir / SIDECAR
        if not os.path.lexists(path):
            return cls({}, [], rel)
        why = refusal(path, roots or corpus_roots(seeds_dir))
        if why is not None:
            return cls({}, [Problem(rel, None, why, WARNING)], rel)
        try:
            data = load_file(path)
        except YamlError as exc:
            return cls({}, [Problem(rel, exc.line, exc.message)], rel)
        if data is None:
            return cls({}, [], rel)
        if not isinstance(data, dict):
            return cls({}, [Problem(rel, 1, "expected a mapping of article file names to metadata")], rel)
        problems: list[Problem] = []
        entries: dict[str, Located] = {}
        for name, entry in data.items():
            line = data.line_of(name)
            if not isinstance(entry, dict):
                problems.append(Problem(rel, line, f"metadata for '{name}' must be a mapping of fields"))
                continue
            for key in entry:
                if key not in SIDECAR_FIELDS:
                    problems.append(Problem(
                        rel, entry.line_of(key),
                        f"unknown field '{key}' for '{name}'{did_you_mean(str(key), SIDECAR_FIELDS)}",
                    ))
            entries[str(name)] = entry
        return cls(entries, problems, rel, {str(k): data.line_of(k) for k in data})

    def check_names(self, names: set[str]) -> list[Problem]:
        """Warnings for sidecar entries that name no article."""
        out = []
        for name in self.entries:
            if name not in names:
                out.append(Problem(
                    self.rel, self.name_lines.get(name),
                    f"no article named '{name}'{did_you_mean(name, names)}", WARNING,
                ))
        return out

    def apply(self, name: str, meta: ArticleMeta) -> tuple[ArticleMeta, list[Problem]]:
        """`meta` with this article's overrides applied, and problems with their values."""
        entry = self.entries.get(name)
        if not entry:
            return meta, []
        problems: list[Problem] = []
        changes: dict = {}
        origin = dict(meta.origin)
        for key, value in entry.items():
            if key not in SIDECAR_FIELDS:
                continue
            line = entry.line_of(key)
            if key == "date":
                if value is None:
                    changes.update(date=None, date_estimated=False, date_basis=None)
                    continue
                try:
                    changes["date"] = PartialDate.parse(value)
                except DateError as exc:
                    problems.append(Problem(self.rel, line, f"field 'date' of '{name}': {exc}"))
                    continue
                changes.setdefault("date_basis", None)
                changes.setdefault("date_estimated", False)
            elif key == "date_estimated":
                if not isinstance(value, bool):
                    problems.append(Problem(self.rel, line, f"field 'date_estimated' of '{name}' must be true or false"))
                    continue
                changes[key] = value
            elif value is not None and not isinstance(value, str | int | float):
                problems.append(Problem(self.rel, line, f"field '{key}' of '{name}' must be text"))
                continue
            else:
                changes[key] = None if value is None else one_line(str(value))
            origin[key] = SIDECAR
        if "date" in changes and "date_basis" not in entry and changes["date"] is not None:
            changes["date_basis"] = f"set in {SIDECAR}"
        return replace(meta, origin=origin, **changes), problems
