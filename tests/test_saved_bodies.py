"""Articles' reading texts saved with the index (search/bodies.py): the same hits, snippets
and highlights as reading each file again, which is still done for a file changed, replaced,
removed or linked since it was indexed; and the other shortcuts of the typing path (bulk
scores merged and picked, spelling candidates bounded, one-part words' terms) against the
plain computation they replace."""

from __future__ import annotations

import os
import random
import re
import time

import pytest

from facts.names import edit_distance, typo_budget
from search import bulk
from search.analysis import TOKEN_PATTERN, text_analyzer
from search.bodies import BODY_FIELD, current_text, file_key
from search.engine import Engine
from search.highlight import _word_terms, occurrences
from search.kb import KnowledgeBase

from .conftest import copy_corpus, write
from .test_engine_bulk import WORDS, article

ARTICLES = 120
QUERIES = ["battery", "battery cathode", "batt", "battery c", "battery cath", "cathode nickel lithium",
           '"solid state separator"', '"quantum graphene"', "e-power", "renault nissan", "nissan pa",
           "batt* motor", "cathod~", "lithum", "zyxwv", "battery -cathode", "(battery OR motor) cabin",
           "", " ", "*", '"', "(", "-battery", "a", "ba", "\x1b[31mbattery", "battery\x00cathode",
           "x" * 300, " ".join(WORDS), "Škoda ŠKODA", "10,000", "nissan's", "kind:figure battery",
           "company:nissan battery", "source:0*"]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """The bundled corpus and ARTICLES generated ones, indexed once: (corpus folder, index folder)."""
    base = tmp_path_factory.mktemp("bodies")
    corpus = copy_corpus(base / "corpus")
    rng = random.Random(7)
    for n in range(ARTICLES):
        write(corpus / "seeds" / f"6{n:04d}_generated.txt", article(rng, n))
    kb = KnowledgeBase.open(corpus, base / "index")
    kb.ensure()
    kb.close()
    return corpus, base / "index"


def open_kb(corpus, index) -> KnowledgeBase:
    kb = KnowledgeBase.open(corpus, index)
    kb.open_last()  # the index as it is: a file changed since is not indexed again
    return kb


def reading(kb: KnowledgeBase) -> Engine:
    """An engine of the same generation that reads every article file again (the old path)."""
    return Engine(kb.engine().gen, lambda name, *_saved: kb._text_of(name), kb.name_table)


def answer(results) -> list:
    return [(h.uid, round(h.score, 9), h.all_words, h.snippet, h.snippet_spans, h.spans, h.detailed)
            for h in results.hits] + [(results.total, results.total_capped, results.suggestion,
                                       results.corrected_from, tuple(results.messages))]


def both(kb: KnowledgeBase, old: Engine, text: str, **options) -> tuple[list, list]:
    return answer(kb.engine().search(text, **options)), answer(old.search(text, **options))


@pytest.mark.parametrize("text", QUERIES)
def test_saved_texts_answer_as_reading_the_files(indexed, text):
    kb = open_kb(*indexed)
    old = reading(kb)
    try:
        ours, theirs = both(kb, old, text, limit=20)
        assert ours == theirs
        # as the app asks while typing: the first hits' snippets now, the others right after
        mine, first = kb.engine().search(text, limit=20, detail=3), old.search(text, limit=20, detail=3)
        assert answer(mine) == answer(first)
        kb.engine().detail_later(mine.hits)
        old.detail_later(first.hits)
        assert answer(mine) == answer(first)
        assert all(h.detailed for h in mine.hits)
    finally:
        old.close()
        kb.close()


def test_every_article_saves_its_reading_text(indexed):
    corpus, index = indexed
    kb = open_kb(corpus, index)
    try:
        engine = kb.engine()
        column = engine.searcher.reader().column_reader(BODY_FIELD)
        saved = {fields["uid"][2:]: column[n] for n, fields in engine.searcher.reader().iter_docs()
                 if fields["doctype"] == "article"}
        assert len(saved) >= ARTICLES
        for name, body in saved.items():
            path = corpus / "seeds" / name
            assert body == (file_key(path), kb.article(name).text)
            assert current_text(body, path) == kb.article(name).text
    finally:
        kb.close()


def snippet_of(kb: KnowledgeBase, text: str, name: str):
    for hit in kb.engine().search(text, limit=50).hits:
        if hit.id == name:
            return hit.snippet, hit.spans.get("body", [])
    raise AssertionError(f"{name} not found by {text!r}")


def unique_article(corpus, name: str, word: str):
    body = f"{word.title()} report\n\nMay 5, 2025\n\nThe {word} battery plant opens. Cathode lines follow.\n"
    write(corpus / "seeds" / name, body)
    return body


@pytest.fixture
def own(tmp_path):
    """A small corpus of its own (its files are changed by the tests), indexed."""
    corpus = copy_corpus(tmp_path / "corpus")
    unique_article(corpus, "700_wombat.txt", "wombat")
    kb = KnowledgeBase.open(corpus, tmp_path / "index")
    kb.ensure()
    kb.close()
    return corpus, tmp_path / "index"


def test_an_article_changed_since_indexing_is_read_again(own):
    corpus, index = own
    path = corpus / "seeds" / "700_wombat.txt"
    write(path, "Wombat report\n\nMay 5, 2025\n\nNew text: the wombat battery plant closes at once.\n")
    kb = open_kb(corpus, index)
    old = reading(kb)
    try:
        snippet, spans = snippet_of(kb, "wombat battery", "700_wombat.txt")
        assert "closes at once" in snippet and spans
        ours, theirs = both(kb, old, "wombat battery")
        assert ours == theirs
    finally:
        old.close()
        kb.close()


def test_same_size_and_time_set_back_is_still_read_again(own):
    """An editor that saves a new file of the same size with the old time (a new inode, a new
    status-change time) does not get the saved text."""
    corpus, index = own
    path = corpus / "seeds" / "700_wombat.txt"
    before = os.stat(path)
    text = path.read_text(encoding="utf-8").replace("opens", "shuts")
    assert len(text) == before.st_size
    time.sleep(0.01)
    fresh = path.with_name("700_wombat.tmp")
    fresh.write_text(text, encoding="utf-8")
    os.utime(fresh, ns=(before.st_atime_ns, before.st_mtime_ns))
    fresh.replace(path)
    kb = open_kb(corpus, index)
    try:
        snippet, _ = snippet_of(kb, "wombat battery", "700_wombat.txt")
        assert "shuts" in snippet and "opens" not in snippet
    finally:
        kb.close()


def test_a_removed_article_has_no_snippet_as_before(own):
    corpus, index = own
    (corpus / "seeds" / "700_wombat.txt").unlink()
    kb = open_kb(corpus, index)
    old = reading(kb)
    try:
        snippet, spans = snippet_of(kb, "wombat", "700_wombat.txt")  # still indexed: the index was not updated
        assert snippet == "" and spans == []
        ours, theirs = both(kb, old, "wombat battery")
        assert ours == theirs
    finally:
        old.close()
        kb.close()


def test_an_article_replaced_by_a_link_is_read_as_before(own, tmp_path):
    """A link is never taken for the file indexed: reading it decides (here: a link out of the
    corpus is refused, so no snippet)."""
    corpus, index = own
    outside = write(tmp_path / "elsewhere.txt", (corpus / "seeds" / "700_wombat.txt").read_text(encoding="utf-8"))
    link = corpus / "seeds" / "700_wombat.txt"
    link.unlink()
    link.symlink_to(outside)
    assert file_key(link) is None
    kb = open_kb(corpus, index)
    old = reading(kb)
    try:
        snippet, _ = snippet_of(kb, "wombat", "700_wombat.txt")
        assert snippet == ""
        ours, theirs = both(kb, old, "wombat")
        assert ours == theirs
    finally:
        old.close()
        kb.close()


def test_an_update_saves_the_new_text(own):
    corpus, index = own
    path = corpus / "seeds" / "700_wombat.txt"
    write(path, "Wombat report\n\nMay 5, 2025\n\nThe wombat battery plant moves to Lyon.\n")
    kb = KnowledgeBase.open(corpus, index)
    try:
        kb.ensure()
        engine = kb.engine()
        hit = next(h for h in engine.search("wombat lyon").hits if h.id == "700_wombat.txt")
        saved = engine.searcher.reader().column_reader(BODY_FIELD)[hit.docnum]
        assert current_text(saved, path) == kb.article("700_wombat.txt").text
        assert "moves to Lyon" in hit.snippet
    finally:
        kb.close()


@pytest.mark.parametrize("saved", [None, b"", "text", (None, "text"), ((1, 2, 3, 4), b"bytes"), ((1, 2), "a", "b"),
                                   ((0, 0, 0, 0), "stale")])
def test_odd_saved_values_are_not_used(tmp_path, saved):
    path = write(tmp_path / "a.txt", "text")
    assert current_text(saved, path) is None
    assert current_text((file_key(path), "text"), None) is None
    assert current_text((file_key(path), "text"), tmp_path / "gone.txt") is None


# -- the shortcuts of the typing path, against the plain computation -----------------------------

def plain_best(scores: dict[int, float], wanted: int) -> list[tuple[float, int]]:
    """bulk.best as first written: every score rounded."""
    top = sorted(scores.items(), key=lambda kv: (-round(kv[1], 9), kv[0]))[:wanted]
    return [(s, d) for d, s in top]


def test_best_is_the_plain_sort():
    rng = random.Random(3)
    for _ in range(200):
        n = rng.randint(0, 400)
        values = [round(rng.uniform(0, 30), rng.choice([1, 3, 12])) for _ in range(n)]
        scores = {d: v + rng.choice([0.0, 1e-11, -1e-11, 4e-10]) for d, v in zip(rng.sample(range(10_000), n), values,
                                                                                  strict=True)}
        for wanted in (1, 5, 30, 500):
            assert bulk.best(scores, wanted) == plain_best(scores, wanted)


def test_or_of_several_lists_adds_in_query_order(indexed):
    """Three and more lists: each document's scores added left to right, as Whoosh adds them."""
    from whoosh import query as q

    kb = open_kb(*indexed)
    try:
        engine = kb.engine()
        terms = ["batteri", "cathod", "nickel", "lithium", "cabin"]
        found = bulk.score(engine.searcher, q.Or([q.Term("text", t) for t in terms]))
        alone = [bulk.score(engine.searcher, q.Term("text", t)) for t in terms]
        expected: dict[int, float] = {}
        for part in alone:
            for d, s in part.items():
                expected[d] = expected[d] + s if d in expected else s
        assert found == expected and len(found) > 50
        memo: dict = {}
        again = bulk.score(engine.searcher, q.Or([q.Term("text", t) for t in terms]), memo=memo)
        again[next(iter(again))] += 1.0  # the caller's answer is its own
        assert bulk.score(engine.searcher, q.Or([q.Term("text", t) for t in terms]), memo=memo) == expected
        assert bulk.score(engine.searcher, q.Term("text", "batteri"), memo=memo) == alone[0]
    finally:
        kb.close()


def plain_suggestion(speller, word: str) -> str | None:
    """Speller.suggest as first written: the edit distance to every candidate."""
    budget = typo_budget(word)
    if budget == 0:
        return None
    pool = {w for w in set(speller.counts) | speller.entity_words if w[0] in (word[0], word[1:2])}
    scored = sorted((edit_distance(word, c, budget), c not in speller.entity_words, -speller.counts[c], c)
                    for c in pool if c != word and abs(len(c) - len(word)) <= budget)
    return next((c for d, *_, c in scored if d <= budget), None)


def test_spelling_suggestions_are_the_plain_ones(indexed):
    kb = open_kb(*indexed)
    try:
        speller = kb.engine().speller
        rng = random.Random(5)
        known = sorted(speller.counts)
        words = []
        for word in rng.sample(known, min(150, len(known))):
            chars = list(word)
            i = rng.randrange(len(chars))
            edit = rng.choice(["swap", "drop", "add", "change"])
            if edit == "swap" and i + 1 < len(chars):
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
            elif edit == "drop" and len(chars) > 1:
                del chars[i]
            elif edit == "add":
                chars.insert(i, rng.choice("aeiourstx"))
            else:
                chars[i] = rng.choice("aeiourstxé")
            words.append("".join(chars))
        words += ["batery", "cathdoe", "nisan", "renualt", "zzzz", "ab", "abc", "ééééé", "chemistr", "partnersh"]
        for word in words:
            assert speller.suggest(word) == plain_suggestion(speller, word.lower()), word
    finally:
        kb.close()


@pytest.mark.parametrize("word", ["battery", "Battery", "BATTERY", "the", "The", "will", "US", "Škoda", "10", "²",
                                  "x²", "ＡＢＣ", "İstanbul", "ǅemal", "Ⅻ", "١٢٣", "a", "e", "ﬁnal", "straße"])
def test_one_part_words_analyse_as_the_analyzer(word):
    tokens = tuple((t.text, t.pos, t.startchar, t.endchar)
                   for t in text_analyzer()(word, positions=True, chars=True, mode="index"))
    width = max((pos for _, pos, _, _ in tokens), default=-1) + 1
    assert _word_terms(word) == (tokens, width, frozenset(t[0] for t in tokens))


ODD_TEXT = ("Škoda's e-Power 10,000 cars — ²x İstanbul ǅemal straße ﬁnal 3,5 kWh; the US will yet "
            "buy Nissan's batteries. BATTERY-powered, software-defined, co-operate_ing l'Alliance "
            "١٢٣ Ⅻ ＡＢＣ ñandú Zürich, Ampère’s ampere batteries’ — e-POWER and ePower.")


def plain_occurrences(text: str, wanted: set[str]):
    """highlight.occurrences as first written: every word's terms looked up."""
    base = 0
    for match in re.finditer(TOKEN_PATTERN, text):
        terms, width, names = _word_terms(match.group())
        if width:
            if not names.isdisjoint(wanted):
                for term, pos, start, end in terms:
                    yield term, base + pos, match.start() + start, match.start() + end
            base += width


def test_words_are_stemmed_only_when_they_may_hold_a_wanted_term(indexed):
    """occurrences with `wanted` skips the words whose first letter starts no wanted term: the
    same as looking every word up, on odd text and on articles, for many wanted sets."""
    corpus, index = indexed
    kb = open_kb(corpus, index)
    try:
        texts = [ODD_TEXT] + [kb.article(p.name).text for p in sorted((corpus / "seeds").glob("*.txt"))[:30]]
    finally:
        kb.close()
    rng = random.Random(9)
    for text in texts:
        terms = sorted({t for t, *_ in occurrences(text)})
        assert terms
        for wanted in [set(rng.sample(terms, min(len(terms), k))) for k in (1, 2, 5)] + [{"zzz"}, set(terms)]:
            assert list(occurrences(text, wanted)) == list(plain_occurrences(text, wanted))
    for term in ("škoda", "skoda", "istanbul", "epow", "e", "power", "10000", "3.5", "zurich", "amper", "ǆemal"):
        assert list(occurrences(ODD_TEXT, {term})) == list(plain_occurrences(ODD_TEXT, {term}))


def test_a_term_starts_with_its_word_s_first_letter(indexed):
    """What occurrences relies on: Porter's stemming keeps a folded word's first letter."""
    corpus, index = indexed
    kb = open_kb(corpus, index)
    try:
        words = set(kb.engine().speller.counts)
    finally:
        kb.close()
    words |= {w for w in re.findall(TOKEN_PATTERN, ODD_TEXT)}
    words |= {"ies", "sses", "ying", "yelled", "eed", "agreed", "ated", "abled", "izing", "a", "s", "ss"}
    analyzer = text_analyzer()
    for word in words:
        stopped, folded = analyzer.folded(word)
        assert analyzer.term(word) == (stopped, folded if stopped else analyzer.term(word)[1])
        assert analyzer.term(word)[1][:1] == folded[:1], word
