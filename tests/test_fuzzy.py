"""The palette's fuzzy matching: what Textual's matcher finds, in time linear in the text."""

from __future__ import annotations

import itertools

import pytest
from textual.fuzzy import FuzzySearch

from tui.fuzzy import match

TITLES = [
    "Article: Renault and Nissan rebalance their alliance",
    "Company: Mitsubishi Motors",
    "Article: Ampere, Renault's electric vehicle and software unit, files for an IPO",
    "Person: Luca de Meo",
    "Technology: LFP battery (lithium iron phosphate)",
    "Vehicle: Renault 5 E-Tech electric",
]
QUERIES = ["rn", "ren", "renault", "nissan", "amp ipo", "mits", "lfp", "r5", "e-tech", "luca", "xyz", "ee", "a a",
           "RENAULT", "Nissan alliance", "phosphate)", "q"]


@pytest.mark.parametrize(("query", "title"), list(itertools.product(QUERIES, TITLES)))
def test_matches_where_textual_matches_and_marks_the_letters(query: str, title: str) -> None:
    theirs, _ = FuzzySearch().match(query, title)
    score, offsets = match(query, title)
    assert (score > 0) == (theirs > 0)
    if score:
        assert offsets == sorted(set(offsets)) and len(offsets) == len(query)
        assert "".join(title[i] for i in offsets).lower() == query.lower()
        assert score >= 0.75 * theirs, "ranked about as Textual ranks it"


def test_a_word_found_whole_ranks_first() -> None:
    assert match("renault", TITLES[0])[0] > match("rnlt", TITLES[0])[0] > 0
    assert match("renault", "renault")[0] > match("renault", TITLES[0])[0]


@pytest.mark.parametrize("text", ["", "a"])
def test_nothing_to_match(text: str) -> None:
    assert match("", "Renault") == (0.0, [])
    assert match("renault", text) == (0.0, [])


def test_a_letter_repeated_many_times_is_answered() -> None:
    """Textual's matcher enumerates every placement: C(400, 40) of them here."""
    title = "e" * 400
    score, offsets = match("e" * 40, title)
    assert score > 0 and offsets == list(range(40))
    score, offsets = match("e" * 40 + "x", title + "x")
    assert score > 0 and offsets[-1] == 400


def test_letters_whose_lower_case_is_longer_keep_the_offsets_right() -> None:
    title = "İstanbul İzmir electric"
    score, offsets = match("elec", title)
    assert score > 0 and title[offsets[0]:offsets[-1] + 1] == "elec"
