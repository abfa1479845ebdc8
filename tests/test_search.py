"""Searching the bundled corpus end to end: a real index on disk, queried through KnowledgeBase."""

from __future__ import annotations

import json
import random
import re
import time

import pytest

from facts.names import fold
from facts.text import normalize
from search.analysis import analyze
from search.results import Results

AMPR = "001_eeb87b223eca0c5a.txt"  # the article about Nissan's AmpR Small city car
SDV = "000_70c07016745e2cd6.txt"  # the article about Ampere and the software-defined vehicle
EPOWER = "003_3476ec60bf69c91f.txt"  # the article naming Nissan's e-Power
REUTERS = "002_2d0dbaa153dea599.txt"

ALL = 10_000  # a limit above the size of the corpus: every match is returned


def ids(results: Results) -> list[str]:
    return [h.id for h in results.hits]


def field_text(kb, hit, field: str) -> str:
    """The text a hit's spans in `field` point into."""
    if field == "title":
        return hit.title
    if field == "body":
        return kb.article(hit.id).text
    if field == "quote":
        return "\n".join(s["quote"] for s in hit.payload["sources"])
    raise AssertionError(f"unexpected highlighted field {field!r}")


def highlighted(kb, hit) -> list[tuple[str, str]]:
    """(field, text) of every highlight span of a hit, checking each span is inside its text."""
    out = []
    for field, spans in hit.spans.items():
        text = field_text(kb, hit, field)
        previous_end = -1
        for start, end in spans:
            assert 0 <= start < end <= len(text), (hit.id, field, start, end, len(text))
            assert start >= previous_end, f"spans of {hit.id}/{field} overlap or are unsorted: {spans}"
            previous_end = end
            out.append((field, text[start:end]))
    return out


def snippet_words(hit) -> list[str]:
    for start, end in hit.snippet_spans:
        assert 0 <= start < end <= len(hit.snippet), (hit.id, start, end, hit.snippet)
    return [hit.snippet[s:e] for s, e in hit.snippet_spans]


# -- the AmpR Small platform and its vehicles ----------------------------------------------------

def test_ampr_small_finds_the_platform_first_and_the_vehicles_on_it(shared_kb):
    results = shared_kb.search("AmpR Small", limit=ALL)
    assert results.corrected_from is None and results.suggestion is None and results.messages == []
    first = results.hits[0]
    assert first.is_fact and first.kind == "platform"
    assert first.title.startswith("AmpR Small")
    on_it = {f.id for f in shared_kb.facts.of_kind("vehicle") if f.get("platform") == first.id}
    assert len(on_it) >= 2, "the bundled facts put several vehicles on AmpR Small"
    assert on_it <= set(ids(results))
    # ... and they are found among the best results, above anything matching only one word
    top = ids(results)[: len(on_it) + 3]
    assert on_it <= set(top), (on_it, top)
    assert AMPR in ids(results)


def test_ampr_small_highlights_are_exactly_the_query_words(shared_kb):
    results = shared_kb.search("AmpR Small", limit=ALL)
    assert results.hits
    seen_fields = set()
    for hit in results.hits:
        spans = highlighted(shared_kb, hit)
        assert spans, f"{hit.id} matched but nothing is highlighted"
        for field, text in spans:
            seen_fields.add(field)
            assert text.lower() in {"ampr", "small"}, (hit.id, field, text)
        for word in snippet_words(hit):
            assert word.lower() in {"ampr", "small"}, (hit.id, word)
    assert {"title", "quote", "body"} <= seen_fields


def test_article_snippet_is_a_window_of_the_reading_text(shared_kb):
    hit = next(h for h in shared_kb.search("AmpR Small").hits if h.id == AMPR)
    text = " ".join(shared_kb.article(AMPR).text.split())
    window = " ".join(hit.snippet.strip("…").split())
    assert window and window in text
    assert [w.lower() for w in snippet_words(hit)][:2] == ["ampr", "small"]


def test_every_highlight_of_many_queries_is_a_word_of_the_query(shared_kb):
    """Whatever is highlighted analyses to the terms the query searches for."""
    for query in ("scenic", "francois", "batteries", "e-power", "software defined",
                  "nissan renault", "Luca de Meo", "the diamond group"):
        wanted = set(analyze(query)) | set(analyze(query.replace("-", "")))
        results = shared_kb.search(query, limit=ALL)
        assert results.hits, query
        for hit in results.hits:
            for field, text in highlighted(shared_kb, hit):
                got = set(analyze(text)) | set(analyze(re.sub(r"\W", "", text)))
                assert got & wanted, (query, hit.id, field, text)


# -- folding, stemming and joined words ---------------------------------------------------------

def test_accents_fold_both_ways(shared_kb):
    results = shared_kb.search("scenic")
    first = results.hits[0]
    assert first.kind == "vehicle" and first.title.startswith("Scénic")
    assert ("title", "Scénic") in highlighted(shared_kb, first)
    assert ids(shared_kb.search("Scénic")) == ids(results)

    results = shared_kb.search("francois")
    assert results.hits[0].kind == "person" and results.hits[0].title.startswith("François Provost")
    assert all(text == "François" for _, text in highlighted(shared_kb, results.hits[0]))
    assert ids(shared_kb.search("FRANÇOIS")) == ids(results)


def test_plural_finds_singular(shared_kb):
    results = shared_kb.search("batteries", limit=ALL)
    words = {text.lower() for hit in results.hits for _, text in highlighted(shared_kb, hit)}
    assert {"battery", "batteries"} <= words
    singular_only = [h for h in results.hits if "battery" in h.title.lower() and "batteries" not in h.title.lower()]
    assert singular_only, "a fact that says only 'battery' is found by 'batteries'"
    assert set(ids(shared_kb.search("battery", limit=ALL))) == set(ids(results))


@pytest.mark.parametrize("query", ["e-power", "epower", "e power", "E-Power", "e‑power"])
def test_e_power_spellings(shared_kb, query):
    results = shared_kb.search(query, limit=ALL)
    first = results.hits[0]
    assert first.kind == "technology" and first.title.startswith("e-Power"), (query, ids(results)[:3])
    assert EPOWER in ids(results)


def test_software_defined_with_and_without_hyphen(shared_kb):
    spaced = shared_kb.search("software defined", limit=ALL)
    hyphen = shared_kb.search("software-defined", limit=ALL)
    for results in (spaced, hyphen):
        assert SDV in ids(results)
        assert results.hits[0].id == "software-defined-vehicle"
    # the hyphenated word is the two words in a row, so it finds a subset of the loose query
    assert set(ids(hyphen)) <= set(ids(spaced))


# -- ranking ------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["AmpR Small", "renault nissan", "e power", "software defined",
                                   "nissan renualt", "Ampere battery chemistry", "Luca de Meo China"])
def test_results_with_all_the_words_come_first(shared_kb, query):
    results = shared_kb.search(query, limit=ALL)
    flags = [h.all_words for h in results.hits]
    assert flags, query
    assert flags == sorted(flags, reverse=True), f"{query}: all_words is not a prefix: {flags}"
    assert len(set(ids(results))) == len(results.hits), "no result is listed twice"
    assert results.total == len(results.hits)


@pytest.mark.parametrize("query", ["AmpR Small", "renault nissan", "Ampere battery chemistry"])
def test_all_words_split_matches_boolean_queries(shared_kb, query):
    results = shared_kb.search(query, limit=ALL)
    complete = {h.id for h in results.hits if h.all_words}
    partial = {h.id for h in results.hits if not h.all_words}
    words = query.split()
    assert complete == set(ids(shared_kb.search(" AND ".join(words), limit=ALL)))
    assert complete | partial == set(ids(shared_kb.search(" OR ".join(words), limit=ALL)))
    assert complete and partial


def test_total_does_not_depend_on_the_limit(shared_kb):
    for query in ("AmpR Small", "renault nissan", "renault", "kind:partnership"):
        everything = shared_kb.search(query, limit=ALL)
        for limit in (1, 3, 10):
            results = shared_kb.search(query, limit=limit)
            assert results.total == everything.total, (query, limit)
            assert ids(results) == ids(everything)[:limit], (query, limit)


@pytest.mark.parametrize("query", ['"Renault Group"', '"software-defined vehicle"', 'nissan "e-power"',
                                   '"joint venture" OR alliance', '"battery" ampere', 'kind:vehicle "Renault 5"'])
def test_phrase_results_do_not_depend_on_the_limit(shared_kb, query):
    """Phrases are looked for in the best candidates ranked by their words first."""
    everything = shared_kb.search(query, limit=ALL)
    assert everything.hits, query
    for limit in (1, 2, 5):
        results = shared_kb.search(query, limit=limit)
        assert ids(results) == ids(everything)[:limit], (query, limit)
        assert results.total == everything.total == len(everything.hits), (query, limit)


def test_a_count_past_the_cap_is_not_walked(shared_kb, monkeypatch):
    import search.engine

    exact = shared_kb.search("renault", limit=ALL).total
    assert exact > 5
    monkeypatch.setattr(search.engine, "COUNT_CAP", 5)
    capped = shared_kb.search("renault", limit=2)
    assert (capped.total, capped.total_capped, capped.count_label) == (5, True, "more than 5 results")
    assert shared_kb.search("renault NOT nissan", limit=2).total_capped
    phrase = shared_kb.search('"Renault Group"', limit=ALL).total
    assert phrase > 3
    monkeypatch.setattr(search.engine, "PHRASE_COUNT_CAP", 3)
    for limit in (1, ALL):  # phrases are counted to a lower cap, whatever the limit
        assert shared_kb.search('"Renault Group"', limit=limit).count_label == "more than 3 results"


@pytest.mark.parametrize(("query", "entity"), [
    ("renault", "renault-group"),
    ("Renault Group", "renault-group"),
    ("the diamond group", "renault-group"),
    ("nissan", "nissan"),
    ("Mitsubishi", "mitsubishi"),
    ("ampere", "ampere"),
    ("Makoto Uchida", "makoto-uchida"),
])
def test_the_entity_called_exactly_the_query_ranks_first(shared_kb, query, entity):
    assert shared_kb.facts.get(entity) is not None
    assert shared_kb.search(query).hits[0].id == entity


# -- the query language --------------------------------------------------------------------------

def test_quoted_phrase_matches_the_words_in_order(shared_kb):
    results = shared_kb.search('"software-defined vehicle"', limit=ALL)
    assert results.hits[0].id == "software-defined-vehicle"
    shown = 0
    for hit in results.hits:
        texts = [normalize(t).lower().replace("-", " ") for _, t in highlighted(shared_kb, hit)]
        assert all(t.startswith("software defined vehicle") for t in texts), (hit.id, texts)
        if texts:
            shown += 1
            continue
        # matched through the name of an entity the fact involves, which is not displayed
        fact = shared_kb.facts.get(hit.id)
        names = [n for _, ref in fact.refs() for n in (shared_kb.facts.get(ref).name, *shared_kb.facts.get(ref).aliases)]
        assert any("software-defined vehicle" in n.lower() for n in names), (hit.id, names)
    assert shown >= len(results.hits) // 2
    loose = set(ids(shared_kb.search("software defined vehicle", limit=ALL)))
    assert set(ids(results)) < loose
    reversed_order = set(ids(shared_kb.search('"vehicle defined software"', limit=ALL)))
    assert "software-defined-vehicle" not in reversed_order


def test_and_or_not_are_set_operations(shared_kb):
    def found(q):
        return set(ids(shared_kb.search(q, limit=ALL)))

    renault, nissan = found("renault"), found("nissan")
    assert renault and nissan and renault != nissan
    assert found("renault AND nissan") == renault & nissan
    assert found("renault OR nissan") == renault | nissan
    assert found("renault NOT nissan") == renault - nissan
    assert found("renault -nissan") == renault - nissan
    assert found("(geely OR xiaomi) AND NOT renault") == (found("geely") | found("xiaomi")) - renault
    negative = shared_kb.search("renault NOT nissan", limit=ALL)
    for hit in negative.hits:  # what is excluded is not highlighted
        assert all(text.lower() != "nissan" for _, text in highlighted(shared_kb, hit)), hit.id


def test_prefix_search(shared_kb):
    results = shared_kb.search("ampr*", limit=ALL)
    assert results.hits and results.messages == []
    assert set(ids(shared_kb.search("AmpR", limit=ALL))) <= set(ids(results))
    for hit in results.hits:
        spans = highlighted(shared_kb, hit)
        assert spans and all(fold(t).startswith("ampr") for _, t in spans), (hit.id, spans)



@pytest.mark.parametrize("word", ["chemistry", "batteries", "companies", "Batteries", "partnership"])
def test_a_whole_word_with_a_star_finds_what_the_word_finds(shared_kb, word):
    """The index holds stems ("batteri", "chemistri"): a prefix that is a whole word must still
    find that word, highlighted, and never fewer results than the word alone."""
    plain = set(ids(shared_kb.search(word, limit=ALL)))
    starred = shared_kb.search(word + "*", limit=ALL)
    assert plain and plain <= set(ids(starred)), word
    stem = analyze(word)[0]
    for hit in starred.hits:
        if hit.id in plain:
            assert any(analyze(t) == [stem] or fold(t).startswith(fold(word)) for _, t in highlighted(shared_kb, hit)), hit.id


def test_a_starred_word_whose_stem_is_not_indexed_or_a_stop_word_adds_nothing(shared_kb):
    assert shared_kb.search("zzqqbatteries*", limit=ALL).hits == []
    the = shared_kb.search("the*", limit=ALL)  # "the" has no term: only the words starting with it
    assert the.hits and the.total == shared_kb.search("the*", limit=ALL).total

def test_explicit_fuzzy(shared_kb):
    exact = set(ids(shared_kb.search("renault", limit=ALL)))
    fuzzy = shared_kb.search("renault~", limit=ALL)
    assert exact <= set(ids(fuzzy)) and fuzzy.corrected_from is None
    missing_letter = shared_kb.search("renaul~", limit=ALL)
    assert missing_letter.corrected_from is None
    assert "renault-group" in ids(missing_letter)
    assert any(t.lower() == "renault" for _, t in highlighted(shared_kb, missing_letter.hits[0]))


def test_kind_filters(shared_kb):
    partnerships = shared_kb.search("kind:partnership", limit=ALL)
    assert partnerships.messages == []
    assert {h.kind for h in partnerships.hits} == {"partnership"}
    assert {h.id for h in partnerships.hits} == {f.id for f in shared_kb.facts.of_kind("partnership")}
    assert ids(shared_kb.search("kind:partnerships", limit=ALL)) == ids(partnerships)

    articles = shared_kb.search("kind:article", limit=ALL)
    assert {h.doctype for h in articles.hits} == {"article"}
    assert {h.id for h in articles.hits} == set(shared_kb.facts.articles)

    narrowed = shared_kb.search("volkswagen kind:partnership", limit=ALL)
    assert narrowed.hits and {h.kind for h in narrowed.hits} == {"partnership"}
    assert set(ids(narrowed)) < set(ids(shared_kb.search("volkswagen", limit=ALL)))
    # the keyword argument is the same filter
    assert ids(shared_kb.search("volkswagen", kind="partnership", limit=ALL)) == ids(narrowed)


def test_company_filter(shared_kb):
    results = shared_kb.search("company:nissan", limit=ALL)
    assert results.messages == []
    facts = [h for h in results.hits if h.is_fact]
    articles = [h for h in results.hits if not h.is_fact]
    involved = {f.id for f in shared_kb.facts.facts.values() if "nissan" in shared_kb.facts.companies_of(f)}
    assert {h.id for h in facts} == involved
    assert articles, "articles naming Nissan are found too"
    for hit in articles:
        assert "nissan" in shared_kb.article(hit.id).text.lower()
    mentioning = {name for name in shared_kb.facts.articles if "nissan" in shared_kb.article(name).text.lower()}
    assert {h.id for h in articles} == mentioning
    assert ids(shared_kb.search("x", company="nissan", limit=ALL)) == ids(shared_kb.search("x company:nissan", limit=ALL))


def test_company_filter_resolves_aliases(shared_kb):
    by_alias = shared_kb.search('company:"the diamond group"', limit=ALL)
    assert by_alias.messages == []
    assert set(ids(by_alias)) == set(ids(shared_kb.search("company:renault-group", limit=ALL)))
    assert set(ids(by_alias)) == set(ids(shared_kb.search("company:Renault", limit=ALL)))
    for hit in by_alias.hits:
        if hit.is_fact:
            assert "renault-group" in shared_kb.facts.companies_of(shared_kb.facts.get(hit.id)), hit.id


def test_status_year_and_source_filters(shared_kb):
    talks = shared_kb.search("status:in-talks", limit=ALL)
    assert {h.id for h in talks.hits} == {f.id for f in shared_kb.facts.facts.values() if f.get("status") == "in-talks"}
    assert talks.hits
    assert ids(shared_kb.search('status:"in talks"', limit=ALL)) == ids(talks)

    in_2024 = shared_kb.search("year:2024", limit=ALL)
    assert in_2024.hits
    for hit in in_2024.hits:
        if hit.is_fact:
            assert any((s["reported"] or "").startswith("2024") for s in hit.payload["sources"]), hit.id
        else:
            assert hit.payload["date"].startswith("2024"), hit.id

    cited = shared_kb.search("source:002*", limit=ALL)
    assert cited.hits
    for hit in cited.hits:
        if hit.is_fact:
            assert any(s["article"].startswith("002") for s in hit.payload["sources"]), hit.id
        else:
            assert hit.id.startswith("002")
    expected = {f.id for f in shared_kb.facts.facts.values() if any(s.article == REUTERS for s in f.sources)}
    assert {h.id for h in cited.hits if h.is_fact} == expected
    assert [h.id for h in cited.hits if not h.is_fact] == [REUTERS]


# -- typos -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "word", "entity"), [
    ("Renualt", "renault", "renault-group"),
    ("Uchdia", "uchida", "makoto-uchida"),
    ("Mitsubsihi", "mitsubishi", "mitsubishi"),
])
def test_a_typo_is_corrected_when_nothing_matches(shared_kb, typed, word, entity):
    results = shared_kb.search(typed)
    assert results.corrected_from == typed
    assert results.searched.lower() == word
    assert results.hits and results.hits[0].id == entity
    assert results.suggestion is None
    assert ids(results) == ids(shared_kb.search(word))


def test_a_typo_beside_a_known_word_is_a_suggestion(shared_kb):
    results = shared_kb.search("nissan renualt")
    assert results.corrected_from is None and results.searched == "nissan renualt"
    assert results.suggestion == "nissan renault"
    assert results.hits and all(not h.all_words for h in results.hits)
    assert results.hits[0].id == "nissan"


def test_nonsense_is_not_corrected(shared_kb):
    for text in ("zzqx", "qwxzvbnm", "zzqx zzqy"):
        results = shared_kb.search(text)
        assert results.corrected_from is None and results.suggestion is None
        assert results.hits == [] and results.total == 0


# -- malformed queries never raise -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ('"unbalanced', "quote mark was not closed"),
    ('renault "ampere', "quote mark was not closed"),
    ("(renault OR nissan", "'(' was not closed"),
    ("renault)", "')' without a matching '('"),
    ("AND", "'AND' needs something on both sides"),
    ("OR", "'OR' needs something on both sides"),
    ("NOT", "'NOT' needs something after it"),
    ("", "Type something to search for"),
    ("   ", "Type something to search for"),
    ("the of and", "common words"),
    ("kind:nonsense", "There is no kind 'nonsense'"),
    ("company:nobody", "No company is called 'nobody'"),
    ("company:nobody renault", "No company is called 'nobody'"),
    ("person:nissan", "No person is called 'nissan'"),
    ("compny:nissan", "is not a field"),
    ("kind:", "needs a value"),
    ("()", "Empty brackets"),
])
def test_malformed_queries_return_messages(shared_kb, text, message):
    results = shared_kb.search(text)
    assert isinstance(results, Results)
    assert any(message in m for m in results.messages), results.messages
    json.dumps(results.to_json())


def test_repaired_queries_still_search(shared_kb):
    assert "renault-group" in ids(shared_kb.search("(renault"))
    assert "renault-group" in ids(shared_kb.search("company:nobody renault"))
    assert shared_kb.search('"unbalanced').hits == []


LONG_QUERIES = {
    "many words": "renault nissan " * 700,
    "many typos": "renualt " * 1250,
    "open brackets": "(" * 10_000,
    "close brackets": ")" * 10_000,
    "nots": "NOT " * 2500,
    "prefixes": "ab* " * 2500,
    "long phrase": '"' + "renault " * 1250 + '"',
    "long fuzzy word": "a" * 9998 + "~2",
    "long word": "x" * 10_000,
    "hyphenated parts": "é-" * 5000,
    "field names": "kind:" * 2000,
    "filters": "company:x " * 1000,
    "escapes": "\x1b[31m" * 2000,
}


@pytest.mark.parametrize("text", list(LONG_QUERIES.values()), ids=list(LONG_QUERIES))
def test_very_long_queries_are_quick_and_never_raise(shared_kb, text):
    assert len(text) >= 9_000
    started = time.perf_counter()
    results = shared_kb.search(text)
    assert time.perf_counter() - started < 5, "a long query must not make the search crawl"
    assert isinstance(results, Results)
    json.dumps(results.to_json())
    if len(text.split()) > 100:
        assert any("query is long" in m for m in results.messages), results.messages


def test_long_query_keeps_its_first_words(shared_kb):
    results = shared_kb.search("renault nissan " * 700)
    assert results.hits and results.hits[0].all_words
    assert set(ids(results)) == set(ids(shared_kb.search("renault nissan")))


def test_random_junk_never_raises(shared_kb):
    rng = random.Random(20240426)
    alphabet = [*'abcé XYZ"()*?~:-+!&|\\/“”„\'’.,0123456789\t\n\x00\x1b\u202e', "AND", "OR", "NOT",
                "kind:", "company:", "source:", "year:", "status:", "person:", "renault", "nissan",
                "e-power", "ampr", "~2", "the"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        results = shared_kb.search(text, limit=5)
        assert isinstance(results, Results), text
        assert len(results.hits) <= 5 and results.total >= len(results.hits)
        for hit in results.hits:
            highlighted(shared_kb, hit)
            snippet_words(hit)
        json.dumps(results.to_json())


# -- JSON ------------------------------------------------------------------------------------------

TOP_KEYS = {"version", "query", "searched", "corrected_from", "did_you_mean", "messages", "total", "seconds", "results"}
HIT_KEYS = {"rank", "type", "kind", "id", "score", "all_words", "text", "highlights", "snippet",
            "snippet_highlights", "sources"}
FACT_SOURCE_KEYS = {"article", "title", "publisher", "date", "date_estimated", "quote", "quote_start",
                    "quote_end", "quote_highlights"}
ARTICLE_SOURCE_KEYS = {"article", "title", "publisher", "author", "date", "date_estimated", "url"}


def test_json_schema_and_quote_offsets(shared_kb):
    articles = shared_kb.engine().article_payloads()
    results = shared_kb.search("AmpR Small", limit=ALL)
    data = json.loads(json.dumps(results.to_json(articles)))
    assert set(data) >= TOP_KEYS  # "fields are only ever added"
    assert data["version"] == 1 and data["query"] == "AmpR Small" and data["searched"] == "AmpR Small"
    assert data["corrected_from"] is None and data["did_you_mean"] is None and data["messages"] == []
    assert data["total"] == len(data["results"]) == results.total
    assert isinstance(data["seconds"], float) and data["seconds"] >= 0
    assert [r["rank"] for r in data["results"]] == list(range(1, len(data["results"]) + 1))
    kinds = {r["type"] for r in data["results"]}
    assert kinds == {"fact", "article"}
    for r in data["results"]:
        extra = {"note"} if r["type"] == "fact" else set()
        assert HIT_KEYS | extra <= set(r), (HIT_KEYS | extra) - set(r)
        assert isinstance(r["all_words"], bool) and isinstance(r["score"], float)
        for s, e in r["highlights"]:
            assert r["text"][s:e].lower() in {"ampr", "small"}
        for s, e in r["snippet_highlights"]:
            assert r["snippet"][s:e].lower() in {"ampr", "small"}
        assert r["sources"]
        if r["type"] == "article":
            (source,) = r["sources"]
            assert set(source) >= ARTICLE_SOURCE_KEYS
            assert source["article"] == r["id"] and source["title"] == r["text"]
            continue
        for source in r["sources"]:
            assert set(source) >= FACT_SOURCE_KEYS
            assert source["article"] in articles
            assert source["title"] == articles[source["article"]]["title"]
            raw = shared_kb.article(source["article"]).raw
            start, end = source["quote_start"], source["quote_end"]
            assert 0 <= start < end <= len(raw)
            assert normalize(raw[start:end]) == normalize(source["quote"])
            for s, e in source["quote_highlights"]:
                assert source["quote"][s:e].lower() in {"ampr", "small"}
    assert any(s["quote_highlights"] for r in data["results"] if r["type"] == "fact" for s in r["sources"])


def test_json_of_a_corrected_and_a_repaired_query(shared_kb):
    data = shared_kb.search("Renualt", limit=2).to_json()
    assert data["corrected_from"] == "Renualt" and data["searched"] == "renault"
    assert data["query"] == "Renualt" and data["total"] > 2 and len(data["results"]) == 2
    data = shared_kb.search("nissan renualt", limit=1).to_json()
    assert data["did_you_mean"] == "nissan renault" and data["corrected_from"] is None
    data = shared_kb.search("AND").to_json()
    assert data["results"] == [] and data["total"] == 0 and data["messages"]


def test_every_fact_quote_offset_points_at_its_quote(shared_kb):
    results = shared_kb.search("kind:fact", limit=ALL)
    assert len(results.hits) == len(shared_kb.facts)
    checked = 0
    for source in (s for r in results.to_json()["results"] for s in r["sources"]):
        raw = shared_kb.article(source["article"]).raw
        assert normalize(raw[source["quote_start"]:source["quote_end"]]) == normalize(source["quote"])
        checked += 1
    assert checked == sum(len(f.sources) for f in shared_kb.facts.facts.values())


# -- highlighting a whole article ------------------------------------------------------------------

def test_article_spans_mark_the_query_words_in_the_reading_text(shared_kb):
    text = shared_kb.article(AMPR).text
    spans = shared_kb.article_spans(AMPR, "AmpR Small")
    assert spans
    words = [text[s:e].lower() for s, e in spans]
    assert set(words) == {"ampr", "small"}
    assert words.count("ampr") == len(re.findall(r"\bampr\b", text, re.IGNORECASE))


def test_article_spans_of_phrases_prefixes_and_stems(shared_kb):
    text = shared_kb.article(SDV).text
    phrase = [text[s:e] for s, e in shared_kb.article_spans(SDV, '"software-defined vehicle"')]
    assert phrase and all(normalize(p).lower().startswith("software-defined vehicle") for p in phrase), phrase
    prefix = [text[s:e] for s, e in shared_kb.article_spans(SDV, "softw*")]
    assert prefix and all(p.lower().startswith("softw") for p in prefix)
    plural = [text[s:e].lower() for s, e in shared_kb.article_spans(SDV, "vehicle")]
    assert "vehicles" in plural and "vehicle" in plural


def test_article_spans_of_nothing(shared_kb):
    assert shared_kb.article_spans(AMPR, "") == []
    assert shared_kb.article_spans(AMPR, "   ") == []
    assert shared_kb.article_spans(AMPR, "zzqx") == []
    assert shared_kb.article_spans("no-such-article.txt", "renault") == []
    assert shared_kb.article_spans(AMPR, '"unbalanced (') == []
    text = shared_kb.article(AMPR).text
    assert all(text[s:e].lower() != "nissan" for s, e in shared_kb.article_spans(AMPR, "renault NOT nissan"))


def test_a_search_stops_when_its_cancel_check_says_so(shared_kb):
    from search.engine import Cancelled

    asked = []

    def cancelled():
        asked.append(1)
        return len(asked) >= 2  # let the first step run, stop at the next

    with pytest.raises(Cancelled):
        shared_kb.search("renault nissan alliance", cancelled=cancelled)
    assert len(asked) == 2
    for query in ('"Renault Group"', "renault", "batt*"):  # every step checks, the last one too
        steps = []
        shared_kb.search(query, cancelled=lambda s=steps: s.append(1) and False)
        for stop_at in range(1, len(steps) + 1):
            asked.clear()
            with pytest.raises(Cancelled):
                shared_kb.search(query, cancelled=lambda n=stop_at: asked.append(1) or len(asked) >= n)
            assert len(asked) == stop_at
    # the same search without a check, and with one that never fires, still answers
    assert shared_kb.search("renault nissan alliance", cancelled=lambda: False).hits
