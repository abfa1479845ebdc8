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
