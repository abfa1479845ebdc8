"""Partial dates: a year, a half or quarter, a month or a day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a year, half, quarter, month or day. Sorts by its first day."""

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


def month_number(name: str) -> int | None:
    """1-12 for an English month name or abbreviation, else None."""
    return _MONTH_NUMBER.get(name.strip().lower().rstrip("."))
