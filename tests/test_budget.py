"""The work budget of a query: expansions are capped, spent in order of value, and the cut is told."""

from __future__ import annotations

import pytest

from search.compile import compile_tree
from search.expand import MAX_FUZZY_WORDS, MAX_SCANNED, MAX_TERMS, TERMS_PER_WORD, Budget
from search.query import Word, parse

from .conftest import copy_corpus, write

CONSONANTS = "bcdfghjkmnpqrtvwxz"
GROUPS = "bcdfg"  # the letter after "zq": five groups of 40 words
WORDS = [f"zq{GROUPS[i % 5]}{CONSONANTS[(i // 5) % 18]}{CONSONANTS[(i // 90) % 18]}" for i in range(200)]
COMMON = WORDS[:10]  # in three articles; the other words in one
# More words sharing a prefix than are examined (MAX_SCANNED): "xv" and three consonants.
MANY = [f"xv{a}{b}{c}" for a in CONSONANTS for b in CONSONANTS for c in CONSONANTS][:MAX_SCANNED + 100]


@pytest.fixture(scope="module")
def zq_kb(tmp_path_factory):
    """The bundled corpus plus three articles using 200 words that start with 'zq'."""
    from search.kb import KnowledgeBase

    base = tmp_path_factory.mktemp("budget")
    corpus = copy_corpus(base / "corpus")
    write(corpus / "seeds" / "900_budget.txt", "Budget test one\n\n" + " ".join(WORDS) + ".\n")
    write(corpus / "seeds" / "903_many.txt", "Budget test many\n\n" + " ".join(MANY) + ".\n")
    for n in (901, 902):
        write(corpus / "seeds" / f"{n}_budget.txt", f"Budget test {n}\n\n" + " ".join(COMMON) + ".\n")
    kb = KnowledgeBase.open(corpus, base / "index")
    kb.ensure()
    yield kb
    kb.close()


def compiled(kb, text: str, budget: Budget):
    return compile_tree(parse(text).tree, kb.engine().searcher.reader(), budget=budget)


def test_the_words_are_indexed_as_written(zq_kb):
    assert len(set(WORDS)) == 200
    assert len(zq_kb.search(WORDS[-1], limit=5).hits) == 1
    assert zq_kb.search(COMMON[0], limit=5).total == 3


def test_a_prefix_searches_its_most_common_words_and_says_so(zq_kb):
    budget = Budget()
    terms = compiled(zq_kb, "zq*", budget).terms
    assert len(terms) == TERMS_PER_WORD
    assert set(COMMON) <= terms, "the most common matches come first"
    assert terms <= set(WORDS)
    assert [(c.label, c.matched, c.kept) for c in budget.cuts] == [("zq*", 200, TERMS_PER_WORD)]
    results = zq_kb.search("zq*")
    assert f"zq* matches 200 words; the {TERMS_PER_WORD} most common were searched." in results.messages
    assert {h.id for h in results.hits} >= {"900_budget.txt", "901_budget.txt", "902_budget.txt"}


def test_a_vocabulary_too_large_to_examine_is_cut_and_told(zq_kb):
    assert len(MANY) > MAX_SCANNED
    budget = Budget()
    terms = compiled(zq_kb, "xv*", budget).terms
    assert len(terms) == TERMS_PER_WORD and terms <= set(MANY)
    assert budget.cuts[0].partial and budget.cuts[0].matched == MAX_SCANNED
    assert (f"xv* matches more than {MAX_SCANNED:,} words; the {TERMS_PER_WORD} most common were searched."
            in zq_kb.search("xv*").messages)


def test_a_prefix_within_the_budget_is_searched_whole_without_a_note(zq_kb):
    budget = Budget()
    terms = compiled(zq_kb, "zqbc*", budget).terms
    assert terms == {w for w in WORDS if w.startswith("zqbc")} and budget.cuts == []
    assert zq_kb.search("zqbc*").messages == []


def test_the_query_budget_is_spent_on_earlier_words_first(zq_kb):
    budget = Budget()
    terms = compiled(zq_kb, "zqb* zqc* zqd* zqf*", budget).terms
    assert len(terms) <= MAX_TERMS
    assert {w for w in WORDS if w.startswith("zqb")} & terms
    assert not {w for w in WORDS if w.startswith(("zqd", "zqf"))} & terms
    assert budget.dropped == ["zqd*", "zqf*"]
    messages = zq_kb.search("zqb* zqc* zqd* zqf*").messages
    assert any(m.startswith("zqd* and zqf* were not searched") for m in messages), messages
    assert any("zqb* matches 40 words, 32 searched" in m for m in messages), messages


def test_a_repeated_word_is_expanded_once(zq_kb):
    once, five = Budget(), Budget()
    assert compiled(zq_kb, "zq*", once).terms == compiled(zq_kb, "zq* " * 5, five).terms
    assert five.terms == once.terms and len(five.cuts) == 1
    assert compiled(zq_kb, " OR ".join(["zqb*"] * 20), Budget()).query == compiled(zq_kb, "zqb*", Budget()).query


def test_a_wildcard_is_capped_like_a_prefix(zq_kb):
    budget = Budget()
    terms = compiled(zq_kb, "zq?b?", budget).terms
    assert terms and all(len(t) == 5 and t[3] == "b" for t in terms)
    assert len(terms) <= TERMS_PER_WORD


def test_typo_tolerance_is_given_to_the_first_words_only(shared_kb):
    words = ["renault", "nissan", "ampere", "battery", "platform", "vehicle", "electric", "mitsubishi",
             "partnership", "software"]
    budget = Budget()
    compile_tree(parse(" OR ".join(f"{w}~" for w in words)).tree, shared_kb.engine().searcher.reader(), budget=budget)
    assert budget.unfuzzed == [f"{w}~1" for w in words[MAX_FUZZY_WORDS:]]
    messages = shared_kb.search(" OR ".join(f"{w}~" for w in words)).messages
    assert (f"Only the first {MAX_FUZZY_WORDS} words with ~ were searched with typo tolerance; "
            "partnership~1 and software~1 were searched as written.") in messages


def test_two_edits_keep_the_first_two_letters(shared_kb):
    reader = shared_kb.engine().searcher.reader()
    terms = compile_tree(parse("renault~2").tree, reader).terms
    assert "renault" in terms and all(t.startswith("re") for t in terms)
    assert "renault" in compile_tree(parse("renualt~").tree, reader).terms, "a swap of neighbours is one edit"


@pytest.mark.parametrize("text", ["}{*", "..*", "{]{?[[?]*", "-*", "__*", "'*", "a.*", "é*", "?a*", "\u0301\u0301*"])
def test_punctuation_does_not_count_toward_a_prefix(shared_kb, text):
    parsed = parse(text)
    assert not any(isinstance(n, Word) and n.prefix for n in [parsed.tree]), parsed.tree
    assert "too short a prefix" in parsed.messages[0]
    results = shared_kb.search(text)
    assert results.total < 50, "a short prefix must not match everything"


def test_letters_and_digits_count_toward_a_prefix():
    assert parse("é1*").tree == Word("é1*", prefix=True)
    assert parse("a-b*").tree == Word("a-b*", prefix=True)


def test_a_source_filter_matching_everything_is_ignored(shared_kb):
    results = shared_kb.search("source:* renault")
    assert "source:* would match every article; the filter was ignored." in results.messages
    assert results.total == shared_kb.search("renault").total


def test_only_the_first_unknown_words_get_a_spelling_suggestion(shared_kb):
    from search.engine import MAX_CORRECTED
    from search.query import render

    engine = shared_kb.engine()
    tree = parse(" ".join(["renualt"] * (MAX_CORRECTED + 2))).tree
    assert render(engine._correct(tree)).split() == ["renault"] * MAX_CORRECTED + ["renualt"] * 2


def test_a_hit_is_highlighted_alike_in_the_results_and_in_the_reader(shared_kb):
    query = "renault OR nissan OR battery"
    articles = [h for h in shared_kb.search(query, limit=50).hits if not h.is_fact]
    assert articles
    for hit in articles:
        assert hit.spans.get("body"), hit.id
        assert hit.spans["body"] == shared_kb.article_spans(hit.id, query), hit.id


def test_partial_matches_of_a_wide_plain_query_are_ranked_by_the_rarer_words(zq_kb, monkeypatch):
    import search.engine

    wide = zq_kb.search(f"renault nissan {COMMON[0]}", limit=50)
    assert not any("too common" in m for m in wide.messages)
    assert any(not h.all_words for h in wide.hits) and wide.total > 3
    monkeypatch.setattr(search.engine, "LOOSE_POSTINGS", 10)
    narrow = zq_kb.search(f"renault nissan {COMMON[0]}", limit=50)
    assert ("Results with only some of the words were ranked by the rarer words; renault and nissan "
            "are too common to rank them by.") in narrow.messages
    assert {h.id for h in narrow.hits} == {"900_budget.txt", "901_budget.txt", "902_budget.txt"}
