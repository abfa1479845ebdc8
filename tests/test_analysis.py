"""Analysis: folding, stemming, hyphenated words and numbers, with exact character offsets."""

from search.analysis import analyze, surface_words, text_analyzer


def _tokens(text):
    return [(t.text, t.pos, text[t.startchar:t.endchar])
            for t in text_analyzer()(text, positions=True, chars=True, mode="index")]


def test_case_and_accent_folding():
    assert analyze("Scénic") == analyze("scenic") == analyze("SCENIC")
    assert analyze("François") == analyze("francois")
    assert analyze("Mégane") == analyze("megane")


def test_stemming():
    assert analyze("batteries") == analyze("battery")
    assert analyze("partnerships") == analyze("partnership")


def test_hyphenated_word_gives_parts_and_joined_form_on_the_first_position():
    toks = _tokens("Nissan's e-Power hybrid")
    assert ("nissan", 0, "Nissan") in toks, "the possessive is not highlighted"
    assert ("e", 1, "e") in toks and ("power", 2, "Power") in toks
    joined = [t for t in toks if t[2] == "e-Power"]
    assert joined == [("epow", 1, "e-Power")]
    assert ("hybrid", 3, "hybrid") in toks


def test_query_side_hyphen_makes_parts_not_joined():
    assert analyze("e-Power") == ["e", "power"]
    assert analyze("epower") == ["epow"]
    assert analyze("software-defined") == ["softwar", "defin"]


def test_grouped_numbers_fold_to_one_form():
    assert analyze("420.000") == analyze("420,000") == analyze("420000") == ["420000"]
    assert analyze("1.5") == ["1.5"]


def test_stop_words_dropped_single_letters_kept():
    assert analyze("the R5 and a car") == ["r5", "car"]
    assert analyze("e") == ["e"]


def test_surface_words_are_unstemmed():
    assert surface_words("Batteries of Scénic") == ["batteries", "of", "scenic"]


def test_surface_word_set_agrees_with_the_analyzer_on_every_article():
    from facts.corpus import Corpus
    from search.analysis import surface_word_set

    def letters(words):
        return {w for w in words if not any(c.isdigit() for c in w)}

    corpus = Corpus.open(None)
    files, _ = corpus.article_files()
    assert files
    for path in files:
        text = corpus.article(path.name).text
        assert letters(surface_word_set(text)) == letters(surface_words(text)), path.name
    tricky = "Nissan's e-Power, software-defined Scénic, Škoda’s l’Oréal 10,000 3.5 ÆRØ straße"
    assert letters(surface_word_set(tricky)) == letters(surface_words(tricky))
    assert {"epower", "scenic", "skoda"} <= surface_word_set(tricky)


HARD_TEXTS = [
    "Nissan's e-Power hybrid, the Renault–Nissan-Mitsubishi alliance and a-the-b",
    "the the e-the of-power 10,000 10.000 1.5 -- x-- --y ''s O'Neil's Škoda Scénic’s",
    "İstanbul ﬁnance ǅ straße e\u2011power e\u2010power\n\ttabs\x00nul \U0001F600 emoji",
    "a" * 300 + "-" + "b" * 300 + " " + "e-" * 50 + "power",
    "",
    "   ",
]


def test_highlight_occurrences_are_exactly_what_the_analyzer_indexes():
    """highlight.occurrences analyses each word alone (cached); it must give the analyzer's
    terms, positions and offsets for whole texts: every bundled article and awkward text."""
    from facts.corpus import Corpus
    from search.highlight import occurrences

    corpus = Corpus.open(None)
    files, _ = corpus.article_files()
    texts = [corpus.article(p.name).text for p in files] + HARD_TEXTS
    assert len(texts) > len(HARD_TEXTS)
    for text in texts:
        whole = [(t.text, t.pos, t.startchar, t.endchar)
                 for t in text_analyzer()(text, positions=True, chars=True, mode="index")]
        assert list(occurrences(text)) == whole, text[:80]


# -- the one-pass analyzer against the Whoosh filter chain it replaces ------------------------

_AWKWARD = [
    "e-Power 10,000 10.000 3.5 3,5 1,234,567 12,34,567 Nissan's Renault’s NISSAN’S software-defined vehicle",
    "R5 Škoda Scénic ÆØÅ straße the and of e-power's a-b-c don't U.S. x,y it's ITS The-And -lead trail-",
    "the the the of a e-the the-e 'quoted' ‘curly’ ‐hyphen‑nb 2024-03-05 v2.0.1 1.5.2024 ﬁne ①",
    "", "   ", "-", "'s", "a", "The", "Nissan’s’s", "3,000.50", "12,3456", "0,5",
]


def _stream(analyzer, text, **flags):
    return [(t.text, t.pos if flags.get("positions") else None,
             (t.startchar, t.endchar) if flags.get("chars") else None, t.stopped)
            for t in analyzer(text, **flags)]


def _same_tokens(text):
    from search.analysis import STOPS, TextAnalyzer, filter_chain

    for fused, chain in ((TextAnalyzer(STOPS), filter_chain(True)), (TextAnalyzer(stemming=False), filter_chain(False))):
        for mode in ("index", "query"):
            for positions, chars in ((True, True), (True, False), (False, False)):
                for removestops in (True, False):
                    flags = {"positions": positions, "chars": chars, "mode": mode, "removestops": removestops}
                    assert _stream(fused, text, **flags) == _stream(chain, text, **flags), (text[:80], flags)


def test_the_one_pass_analyzer_gives_the_filter_chains_tokens_on_awkward_text():
    for text in _AWKWARD:
        _same_tokens(text)


def test_the_one_pass_analyzer_gives_the_filter_chains_tokens_on_every_bundled_article():
    from pathlib import Path

    seeds = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
    assert seeds
    for path in seeds:
        _same_tokens(path.read_text(encoding="utf-8"))


def test_the_one_pass_analyzer_gives_the_filter_chains_tokens_on_generated_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["e", "-", "Power", "'s", "’", ",", ".", "000", "10", "the", "Nissan", " ", "  ",
                              "é", "Š", "a", "‐", "of", "3", "x", "\n", "R5", "ﬁ", "ß"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=30).map("".join) | st.text(max_size=40))
    def check(text):
        _same_tokens(text)

    check()


def test_the_analyzer_survives_pickling_without_its_cache():
    import pickle

    from search.analysis import text_analyzer

    ana = text_analyzer()
    list(ana("warming the cache up", mode="index"))
    copy = pickle.loads(pickle.dumps(ana))
    assert copy == ana and copy._terms == {}
    assert [t.text for t in copy("Batteries e-Power", mode="index")] == [t.text for t in ana("Batteries e-Power", mode="index")]


def _same_postings(text):
    from whoosh.formats import Positions

    from search.analysis import STOPS, TextAnalyzer, TextPositions

    for boost in (1.0, 2.5):
        for ana in (TextAnalyzer(STOPS), TextAnalyzer(STOPS)):  # the second starts with a cold cache
            plain = list(Positions(field_boost=boost).word_values(text, TextAnalyzer(STOPS), mode="index"))
            fast = list(TextPositions(field_boost=boost).word_values(text, ana, mode="index"))
            assert fast == plain, text[:80]


def test_the_text_fields_postings_are_whooshs_on_awkward_text_and_every_bundled_article():
    from pathlib import Path

    seeds = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
    assert seeds
    stopped_parts = "the-Power of-the e-the Nissan's the's 10,000 of 3,5 it's e-Power-x the"
    for text in [*_AWKWARD, stopped_parts, *(p.read_text(encoding="utf-8") for p in seeds)]:
        _same_postings(text)


def test_the_text_fields_postings_are_whooshs_on_generated_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["e", "-", "Power", "'s", "’", ",", ".", "000", "10", "the", "Nissan", " ", "of",
                              "é", "Š", "a", "‐", "3", "x", "\n", "R5", "ﬁ", "ß", "and", "e-Power", "3,5"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=30).map("".join) | st.text(max_size=40))
    def check(text):
        _same_postings(text)

    check()


def test_the_text_field_uses_the_fast_postings_only_where_they_are_the_same():
    from whoosh.analysis import StandardAnalyzer
    from whoosh.formats import Positions

    from search.analysis import TextPositions
    from search.schema import TEXT_FIELD, make_schema

    field = make_schema()[TEXT_FIELD]
    assert isinstance(field.format, TextPositions)
    fmt = field.format
    for value, ana, kwargs in ((["Nissan", "e-Power"], field.analyzer, {"mode": "index"}),  # already tokens
                               ("Nissan's e-Power", StandardAnalyzer(), {"mode": "index"}),
                               ("Nissan's e-Power", field.analyzer, {"mode": "query"}),
                               ("Nissan's e-Power", field.analyzer, {"mode": "index", "start_pos": 5})):
        assert list(fmt.word_values(value, ana, **kwargs)) == list(Positions().word_values(value, ana, **kwargs))
    got = dict((w, f) for w, f, _, _ in fmt.word_values("the battery and the batteries", field.analyzer, mode="index"))
    assert got == {"batteri": 2}


def test_the_text_fields_position_values_are_whooshs():
    from whoosh.formats import Positions

    from search.analysis import TextPositions

    fast, plain = TextPositions(), Positions()
    for poslist in ([0], [7], [7], [19_999], [20_000], [250_000], [0, 1], [3, 9, 9_000, 70_000], list(range(0, 900, 7))):
        assert fast.encode(poslist) == plain.encode(poslist), poslist
        assert fast.decode_positions(fast.encode(poslist)) == poslist
