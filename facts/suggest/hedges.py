"""Hedged wording: what marks a suggestion as expected, reported or opinion, never confirmed."""

from __future__ import annotations

import re

_REPORTED = re.compile(
    r"\b(reportedly|sources? (?:said|say|says|told|familiar)|according to (?:people|sources|a person|two people|"
    r"three people|reports?)|people (?:familiar|close) with|familiar with the matter|is said to|are said to|"
    r"rumou?r\w*|mooted|has learned|have learned|understood to|allegedly|unconfirmed)\b", re.I)
_EXPECTED = re.compile(
    r"\b(is expected to|are expected to|expected to|we expect|expects? to|is likely to|are likely to|likely|"
    r"could|might|may|would|should|is set to|are set to|set to|potential(?:ly)?|possibl[ey]|"
    r"hopes? to|consider\w*|envisag\w*|envision\w*|forecast\w*|projected|estimated)\b", re.I)
_OPINION = re.compile(r"\b(we believe|i believe|we think|in our view|in my view|we assume|we can assume)\b", re.I)

CERTAINTIES = ("reported", "expected", "opinion")


def hedge_of(text: str) -> tuple[str, str] | None:
    """(certainty, the words) when `text` hedges what it says, else None."""
    for certainty, pattern in (("opinion", _OPINION), ("reported", _REPORTED), ("expected", _EXPECTED)):
        match = pattern.search(text)
        if match:
            return certainty, match.group(0)
    return None
