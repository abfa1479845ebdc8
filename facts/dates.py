"""Partial dates: a year, a half or quarter, a month or a day."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
)
_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
_MONTH_NUMBER = {m: i + 1 for i, m in enumerate(MONTHS)} | _ABBR

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_PART = re.compile(r"^(\d{4})-([HQ])([1-4])$", re.IGNORECASE)
_PART_PREFIX = re.compile(r"^([HQ])([1-4])\s+(\d{4})$", re.IGNORECASE)


class DateError(ValueError):
    """A date that cannot be read."""


# Coarser spans sort before finer ones that start on the same day: 2023, H1 2023, Q1 2023,
# Jan 2023, 1 Jan 2023.
_PRECISION = {"year": 0, "H": 1, "Q": 2, "month": 3, "day": 4}


@total_ordering
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to a year, half, quarter, month or day.

    Dates sort by the first day of their span; of two spans that start on the same day the
    coarser comes first (2023 < H1 2023 < Q1 2023 < Jan 2023 < 1 Jan 2023). Every distinct
    date has its own place, so the order is total and agrees with equality.
    """

    year: int
    month: int = 0  # 0 when unknown; for halves and quarters, the first month of the part
    day: int = 0
    part: str = ""  # "", "H1".."H2" or "Q1".."Q4"

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Read `2026`, `2023-11`, `2022-11-08`, `2023-H2`, `H2 2023`, `2024-Q1` or a date."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise DateError(f"expected a date such as 2023, 2023-11, 2023-11-08 or 2023-H2, got {value!r}")
        text = str(value).strip()
        if m := _PART_PREFIX.match(text):
            text = f"{m.group(3)}-{m.group(1)}{m.group(2)}"
        if m := _PART.match(text):
            year, letter, n = int(m.group(1)), m.group(2).upper(), int(m.group(3))
            if letter == "H" and n > 2:
                raise DateError(f"there is no half {n} in {text!r}")
            first = (n - 1) * (6 if letter == "H" else 3) + 1
            return cls(year, first, 0, f"{letter}{n}")
        m = _ISO.match(text)
        if not m:
            raise DateError(f"expected a date such as 2023, 2023-11, 2023-11-08 or 2023-H2, got {text!r}")
        year = int(m.group(1))
        month = int(m.group(2) or 0)
        day = int(m.group(3) or 0)
        if month and not 1 <= month <= 12:
            raise DateError(f"month {month} is out of range in {text!r}")
        if day:
            try:
                dt.date(year, month, day)
            except ValueError as exc:
                raise DateError(f"{text!r} is not a real date ({exc})") from None
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        """'year', 'H', 'Q', 'month' or 'day'."""
        if self.part:
            return self.part[0]
        return "day" if self.day else ("month" if self.month else "year")

    @property
    def sort_key(self) -> tuple[int, int, int, int]:
        return (self.year, self.month or 1, self.day or 1, _PRECISION[self.precision])

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key < other.sort_key

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The last day of the span: 31 Dec for a year, 30 Jun for H1 2023 ..."""
        if self.day:
            return self.first_day
        if self.part:
            last_month = self.month + (5 if self.part[0] == "H" else 2)
        else:
            last_month = self.month or 12
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def label(self, estimated: bool = False) -> str:
        """'8 Nov 2022', or '~Nov 2024' for an estimate."""
        return f"~{self}" if estimated else str(self)

    @property
    def iso(self) -> str:
        """The form `parse` reads back: `2023`, `2023-H2`, `2023-11`, `2023-11-08`."""
        if self.part:
            return f"{self.year}-{self.part}"
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        if self.part:
            return f"{self.part} {self.year}"
        if self.day:
            return f"{self.day} {MONTHS[self.month - 1][:3].title()} {self.year}"
        if self.month:
            return f"{MONTHS[self.month - 1][:3].title()} {self.year}"
        return str(self.year)


def date_key(value: PartialDate | None) -> tuple:
    """A sort key for an optional date: dates in order, then undated things last."""
    return (0, value.sort_key) if value is not None else (1, ())


def month_number(name: str) -> int | None:
    """1-12 for an English month name or abbreviation, else None."""
    return _MONTH_NUMBER.get(name.strip().lower().rstrip("."))
