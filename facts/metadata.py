"""Article metadata: what the text itself says, overridden by the user's sidecar file."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .dates import DateError, PartialDate, month_number
from .files import corpus_roots, refusal
from .problems import WARNING, Problem, did_you_mean
from .text import one_line
from .yamlfile import Located, YamlError, load_file

SIDECAR = "metadata.yaml"
SIDECAR_FIELDS = (
    "title", "publisher", "date", "date_estimated", "date_basis", "author", "url", "note",
)

_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MDY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b")
_DMY = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})\b")
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
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
_BYLINE = re.compile(r"^(?i:written by|by)\s+(?P<name>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})")
_REPORT_BY = re.compile(r"\(Report(?:ing)?\s+by\s+(?P<name>[A-Z][^,;)]{2,60}?)(?:[,;)]|\s+edited\b)")
_HEAD_LINES = 15


@dataclass(frozen=True)
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


def detect(name: str, clean_text: str, raw_text: str) -> ArticleMeta:
    """Metadata the text states: title line, dates, datelines, bylines, copyright lines."""
    lines = [line.strip() for line in clean_text.split("\n") if line.strip()]
    head = lines[:_HEAD_LINES]
    origin: dict[str, str] = {}
    title = lines[0] if lines and len(lines[0]) <= 200 else Path(name).stem
    origin["title"] = "first line" if lines and title == lines[0] else "file name"
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
    if "date" not in meta:
        for line in head:
            m = _MDY.search(line) or _DMY.search(line) or _ISO.search(line)
            if m and (date := _date_from(m)):
                meta["date"] = date
                meta["date_basis"] = f"stated in the article: '{m.group(0)}'"
                break
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
