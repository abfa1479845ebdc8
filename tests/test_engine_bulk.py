"""Scoring in bulk (search/bulk.py, search/scoring.py): the same scores as Whoosh, every
match scored (the best hits are the exact best), phrases checked and counted from
positions, deleted documents left out; and the queries typed as you type."""

from __future__ import annotations

import random

import pytest
from whoosh import query as q
from whoosh.scoring import BM25F

from search import bulk
from search.boost import lift
from search.compile import compile_tree
from search.engine import PHRASE_COUNT_CAP, Cancelled, Engine, _relaxed, _words_text
from search.highlight import field_spans, occurrences
from search.kb import KnowledgeBase
from search.query import parse
from search.schema import TEXT_FIELD

from .conftest import copy_corpus, write

WORDS = (
    "battery", "motor", "plant", "engine", "charger", "platform", "partner", "factory", "supplier", "market",
    "price", "range", "design", "sensor", "software", "chip", "network", "fleet", "cabin", "wheel", "brake",
    "steering", "lidar", "radar", "inverter", "cooling", "pack", "module", "cathode", "anode", "electrolyte",
    "nickel", "cobalt", "lithium", "graphite", "silicon", "foundry", "warranty", "dealer",
)
COMMON_PHRASE = "solid state separator"  # planted in more articles than a phrase is counted to
RARE_PHRASE = "quantum graphene"  # planted in a few
RARE_ARTICLES = 7
ARTICLES = 700  # posting lists of the common words span several of Whoosh's 128-document blocks


def article(rng: random.Random, n: int) -> str:
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]
    sentences = []
    for _ in range(rng.randint(4, 12)):
        words = rng.choices(WORDS, weights, k=rng.randint(5, 14))
        if n < PHRASE_COUNT_CAP + 50 and not sentences:
            words[2:2] = COMMON_PHRASE.split()
        if n % 97 == 0 and len(sentences) == 2 and n // 97 < RARE_ARTICLES:
            words.extend(RARE_PHRASE.split())
        sentences.append(" ".join(words).capitalize() + ".")
    # the phrase's words also apart, so that their documents are not all phrase matches
    sentences.append("State of the separator market, graphene and quantum dots." if n % 3 == 0 else "")
    title = " ".join(rng.choices(WORDS, weights, k=4)).title()
    return f"{title}\n\nMay {1 + n % 28}, 2025\n\n" + " ".join(sentences) + "\n"


@pytest.fixture(scope="module")
def big_kb(tmp_path_factory):
    """The bundled corpus and ARTICLES generated ones, indexed once."""
    base = tmp_path_factory.mktemp("bulk")
    corpus = copy_corpus(base / "corpus")
    rng = random.Random(12)
    for n in range(ARTICLES):
        write(corpus / "seeds" / f"5{n:04d}_generated.txt", article(rng, n))
    kb = KnowledgeBase.open(corpus, base / "index")
    kb.ensure()
    yield kb
    kb.close()


def compiled(engine: Engine, text: str):
    parsed = parse(text)
    return parsed, compile_tree(parsed.tree, engine.searcher.reader())


def whoosh_scores(engine: Engine, query: q.Query) -> dict[int, float]:
    """Every match of `query` scored by Whoosh itself, nothing skipped."""
    return {h.docnum: h.score for h in engine.searcher.search(query, limit=None, optimize=False)}


WORD_QUERIES = ["battery", "battery cathode", "battery cathode nickel lithium", "renault nissan",
                "battery OR graphene", "(battery OR motor) cabin", "batt*", "nickle~", "e-power",
                "solid state separator", "ampr*", "zyxwv"]


@pytest.mark.parametrize("text", WORD_QUERIES)
def test_bulk_scores_are_whooshs(big_kb, text):
    engine = big_kb.engine()
    _, c = compiled(engine, text)
    query = _relaxed(c.query)  # a joined word's phrase as its words
    scores = bulk.score(engine.searcher, query)
    assert scores is not None, query
    expected = whoosh_scores(engine, query)
    assert scores.keys() == expected.keys()
    assert all(abs(scores[d] - s) < 1e-9 for d, s in expected.items())


def test_cached_lengths_score_as_whoosh(big_kb):
    """search.scoring.CachedBM25F: the same float for every document as Whoosh's BM25F."""
    engine = big_kb.engine()
    plain = engine.ix.searcher(weighting=BM25F())
    try:
        for text in ("battery cabin", "lithium OR anode", "renault"):
            _, c = compiled(engine, text)
            ours = whoosh_scores(engine, c.query)
            theirs = {h.docnum: h.score for h in plain.search(c.query, limit=None, optimize=False)}
            assert ours == theirs and ours
    finally:
        plain.close()


def test_unsupported_queries_are_left_to_whoosh(big_kb):
    engine = big_kb.engine()
    for query in (q.Not(q.Term(TEXT_FIELD, "batteri")), q.Phrase(TEXT_FIELD, ["solid", "state"]),
                  q.Term("company", "nissan"), q.Term(TEXT_FIELD, "batteri", boost=2.0), q.Every(), q.NullQuery):
        assert bulk.score(engine.searcher, query) is None
    assert bulk.matches(engine.searcher, q.Not(q.Term(TEXT_FIELD, "batteri")), [1, 2]) is None


@pytest.mark.parametrize("text", ["battery cathode", "battery cathode nickel lithium", "cabin wheel",
                                  "solid state separator", "renault nissan", '"solid state separator"',
                                  '"quantum graphene"', '"battery battery"', "e-power", "batt* motor",
                                  '"software-defined vehicle"'])
@pytest.mark.parametrize("limit", [1, 5, 20])
def test_top_hits_are_the_exact_best(big_kb, text, limit):
    """Each hit's score is the exact next best: what scoring every match and sorting gives
    (Whoosh's block skipping for AND can pass over a document that belongs there)."""
    engine = big_kb.engine()
    parsed, c = compiled(engine, text)
    boost = lift(c.words(), _words_text(parsed.tree) if parsed.plain else None)
    every = whoosh_scores(engine, q.AndMaybe(c.query, boost) if boost else c.query)
    exact = sorted(round(s, 9) for s in every.values())[::-1][:limit]
    results = engine.search(text, limit=limit)
    got = [round(h.score, 9) for h in results.hits if h.all_words]
    assert got == exact[: len(got)]
    assert len(got) == min(limit, len(every)) or not parsed.plain


def test_phrase_matches_are_whooshs(big_kb):
    engine = big_kb.engine()
    everything = range(engine.searcher.doc_count_all())
    for text in ('"solid state separator"', '"quantum graphene"', '"graphene quantum"', '"battery battery"',
                 '"state separator" OR "quantum graphene"', '"solid state" battery', "e-power", '"no such words"'):
        _, c = compiled(engine, text)
        found = bulk.matches(engine.searcher, c.query, everything)
        assert found == set(engine.searcher.docs_for_query(c.query)), text


def test_phrase_counts(big_kb):
    """A phrase is counted up to PHRASE_COUNT_CAP, and exactly below it."""
    common = big_kb.search(f'"{COMMON_PHRASE}"', limit=5)
    assert (common.total, common.total_capped) == (PHRASE_COUNT_CAP, True)
    assert common.count_label == f"more than {PHRASE_COUNT_CAP} results"
    rare = big_kb.search(f'"{RARE_PHRASE}"', limit=3)
    assert (rare.total, rare.total_capped) == (RARE_ARTICLES, False)
    assert len(rare.hits) == 3 and all(h.id.endswith("_generated.txt") for h in rare.hits)
    loose = big_kb.search(RARE_PHRASE, limit=3)  # the words anywhere: more
    assert loose.total > RARE_ARTICLES


def test_matches_stops_at_most(big_kb):
    engine = big_kb.engine()
    _, c = compiled(engine, f'"{COMMON_PHRASE}"')
    found = bulk.matches(engine.searcher, c.query, range(engine.searcher.doc_count_all()), at_most=10)
    assert len(found) == 10


def test_cache_keeps_recent_postings_within_room():
    from array import array

    cache = bulk.Cache(postings=10)
    cache.put(("s", "a"), array("l", [1, 2, 3]), array("d", [1.0, 2.0, 3.0]))
    cache.put(("s", "b"), array("l", [4, 5, 6, 7]), array("d", [1.0] * 4))
    assert cache.get(("s", "a")) is not None  # now the most recent
    cache.put(("s", "c"), array("l", [8, 9, 10, 11]), array("d", [1.0] * 4))  # 11 > 10: the oldest goes
    assert cache.get(("s", "b")) is None and cache.get(("s", "a")) is not None
    cache.put(("s", "big"), array("l", range(11)), array("d", [0.0] * 11))  # larger than the room: not kept
    assert cache.get(("s", "big")) is None and cache.get(("s", "c")) is not None


def test_cached_terms_give_the_same_answer(big_kb):
    engine = big_kb.engine()
    first = engine.search("battery cathode", limit=10)
    again = engine.search("battery cathode", limit=10)  # the terms' scores from the cache
    assert [(h.uid, h.score) for h in first.hits] == [(h.uid, h.score) for h in again.hits]
    assert (first.total, first.total_capped) == (again.total, again.total_capped)


def test_removed_article_is_not_found(kb, corpus_dir):
    """An update deletes documents in the live index: scoring in bulk leaves them out."""
    path = write(corpus_dir / "seeds" / "100_wombat.txt",
                 "Wombat batteries\n\nMay 5, 2025\n\nWombat Motors makes wombat batteries with Nissan.\n")
    kb.ensure()
    assert [h.id for h in kb.search("wombat battery").hits][:1] == ["100_wombat.txt"]
    kb.search("battery")  # the term's scores cached before the removal
    path.unlink()
    kb.ensure()
    assert kb.search("wombat").total == 0
    assert "100_wombat.txt" not in [h.id for h in kb.search("battery", limit=100).hits]


@pytest.mark.parametrize("text", ["", " ", "a", "b", "*", "**", "a*", '"', '"battery', 'battery "cathode',
                                  '"' + " ".join(WORDS[:14]) + '"', "ba", "bat", "batt", "battery c",
                                  "battery ca", '"solid state', "(", "-battery", "battery -"])
def test_typed_prefixes_and_bad_input(big_kb, text):
    """What typing sends letter by letter, and broken queries: an answer, never an error, and
    the count says whether it is a lower bound."""
    results = big_kb.search(text, limit=20, cancelled=lambda: False)
    assert results.total >= len(results.hits)
    assert len(results.hits) <= 20
    if results.total_capped:
        assert results.count_label.startswith("more than ")
    if not text.strip():
        assert results.hits == [] and results.messages


def test_long_phrase_is_cut_and_searched(big_kb):
    text = '"' + " ".join([*COMMON_PHRASE.split(), *WORDS[:12]]) + '"'
    results = big_kb.search(text)
    assert any("Only the first 10 words" in m for m in results.messages)
    assert results.total == 0  # these words never stand in this order


def test_cancelled_between_steps(big_kb):
    with pytest.raises(Cancelled):
        big_kb.search('"solid state separator" battery', cancelled=lambda: True)
    calls = []

    def later() -> bool:  # true from the third check on: inside the search, not before it
        calls.append(1)
        return len(calls) >= 3

    with pytest.raises(Cancelled):
        big_kb.search(f'"{COMMON_PHRASE}"', cancelled=later)


def test_occurrences_of_wanted_words_keep_their_positions():
    text = ("The e-Power battery, and the battery's e-Power hybrid; solid-state packs. " * 3
            + "Then nothing but motors and wheels.")
    every = list(occurrences(text))
    wanted = {"batteri", "power", "hybrid"}
    some = list(occurrences(text, wanted))
    assert [o for o in some if o[0] in wanted] == [o for o in every if o[0] in wanted]
    assert len(some) < len(every)
    spans = field_spans(text, {"batteri"}, [("e", "power", "hybrid")])
    assert [text[s:e] for s, e in spans][:3] == ["battery", "battery", "e-Power hybrid"]
