"""Synonyms and abbreviations of the field, folded together at query time.

A word or run of words of the query that is one of a group's spellings matches any of
them: `ipo` also finds "listing" and "going public", `joint venture` also finds "JV".
The table is applied to the query only (the index is unchanged), in the search box,
`alliance search` and the article highlights alike. Spellings are compared after
analysis (case, accents, stemming), so "electric vehicles" is "electric vehicle".
"""

from __future__ import annotations

from functools import cache

from .analysis import analyze

# Each group: spellings that mean the same thing here. Keep it small and unambiguous.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("IPO", "initial public offering", "listing", "flotation", "float", "going public"),
    ("JV", "joint venture"),
    ("EV", "electric vehicle", "electric car"),
    ("BEV", "battery electric vehicle"),
    ("PHEV", "plug-in hybrid"),
    ("CEO", "chief executive", "chief executive officer"),
    ("CFO", "chief financial officer"),
    ("SDV", "software-defined vehicle"),
    ("ICE", "combustion engine", "internal combustion engine"),
    ("automaker", "carmaker", "car maker"),
    ("MoU", "memorandum of understanding"),
)
LONGEST = 4  # words in the longest spelling


@cache
def table() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Analysed spelling -> every analysed spelling of its group."""
    out: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for group in GROUPS:
        forms = tuple(dict.fromkeys(tuple(analyze(spelling)) for spelling in group))
        for form in forms:
            out[form] = forms
    return out


def alternatives(terms: tuple[str, ...]) -> tuple[tuple[str, ...], ...] | None:
    """Every spelling of the group `terms` (analysed words) belongs to, or None."""
    return table().get(terms)


def is_synonym(word: str) -> bool:
    """True when `word` alone is a spelling in the table (so not a typo to correct)."""
    return alternatives(tuple(analyze(word))) is not None
