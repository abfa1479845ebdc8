"""Plain queries under filters keep their 'some of the words' results; synonyms fold together."""

from __future__ import annotations

import pytest

from search.analysis import analyze
from search.synonyms import GROUPS, alternatives, is_synonym

ALL = 10_000


def _ids(results) -> set[str]:
    return {h.id for h in results.hits}


# -- some of the words, under a filter ------------------------------------------------------

@pytest.mark.parametrize(("query", "kw"), [
    ("ampere ipo", {"company": "renault"}),
    ("ampere ipo", {"kind": "goal"}),
    ("ampere ipo kind:goal", {}),
    ("ampere battery company:nissan", {}),
])
def test_a_filter_keeps_the_some_of_the_words_results(shared_kb, query, kw):
    results = shared_kb.search(query, limit=ALL, **kw)
    assert results.total > 0, f"{query} {kw}: nothing"
    unfiltered = shared_kb.search(query.split(" kind:")[0].split(" company:")[0], limit=ALL)
    assert any(not h.all_words for h in results.hits), "the fallback is kept"
    assert _ids(results) <= _ids(unfiltered), "a filter only removes results"
    flags = [h.all_words for h in results.hits]
    assert flags == sorted(flags, reverse=True), "all the words first"
    assert results.total == len(results.hits)


def test_the_filter_still_applies_to_the_some_of_the_words_results(shared_kb):
    base = shared_kb.facts
    for hit in shared_kb.search("ampere battery", limit=ALL, kind="goal").hits:
        assert hit.kind == "goal"
    for hit in shared_kb.search("ampere battery", limit=ALL, company="nissan").hits:
        if hit.is_fact:
            assert "nissan" in base.companies_of(base.get(hit.id)), hit.id
        else:
            assert "nissan" in shared_kb.article(hit.id).text.lower()


def test_a_filter_alone_is_not_loosened(shared_kb):
    partnerships = shared_kb.search("kind:partnership", limit=ALL)
    assert partnerships.total and all(h.kind == "partnership" for h in partnerships.hits)
    assert all(h.all_words for h in partnerships.hits)


# -- synonyms and abbreviations ---------------------------------------------------------------

def test_the_table_has_no_spelling_in_two_groups():
    seen: dict[tuple[str, ...], int] = {}
    for index, group in enumerate(GROUPS):
        for spelling in group:
            form = tuple(analyze(spelling))
            assert form, spelling
            assert seen.setdefault(form, index) == index, f"{spelling} is in two groups"


@pytest.mark.parametrize(("short", "long"), [
    ("jv", "joint venture"), ("ipo", "going public"), ("sdv", "software-defined vehicle"),
    ("ev", "electric vehicle"), ("ice", "combustion engine"),
])
def test_abbreviation_and_spelled_out_find_the_same(shared_kb, short, long):
    a = shared_kb.search(short, limit=ALL)
    assert a.total > 0 and not a.suggestion and not a.corrected_from, "an abbreviation is not a typo"
    quoted = shared_kb.search(f'"{long}"', limit=ALL)
    assert quoted.total and _ids(quoted) <= _ids(a), "the abbreviation finds the spelled-out phrase"
    typed = shared_kb.search(long, limit=ALL)
    assert {h.id for h in typed.hits if h.all_words} >= _ids(a), "the words find the abbreviation"


def test_ipo_highlights_the_words_that_mean_it(shared_kb):
    results = shared_kb.search("ipo", limit=ALL)
    seen = set()
    for hit in results.hits:
        if hit.is_fact:
            quote = "\n".join(s["quote"] for s in hit.payload["sources"])
            seen |= {quote[a:b].lower() for a, b in hit.spans.get("quote", [])}
    assert "going public" in seen or "listing" in seen, seen
    body = shared_kb.article("000_70c07016745e2cd6.txt").text
    spans = shared_kb.article_spans("000_70c07016745e2cd6.txt", "ipo")
    assert spans and any(body[a:b].lower() in ("going public", "listing") for a, b in spans)


def test_unrelated_words_are_not_synonyms():
    assert alternatives(tuple(analyze("renault"))) is None
    assert not is_synonym("nissan") and is_synonym("JV") and is_synonym("Ipo")
