"""Finding the known entities an article names, and the names it has that we don't know."""

from __future__ import annotations

import pytest

from facts.base import load
from facts.corpus import Corpus
from facts.mentions import NameMatcher, article_links, candidates, find_mentions, mention_counts


@pytest.fixture
def matcher():
    return NameMatcher.from_names([
        ("renault-group", "Renault Group", ["Renault", "the diamond group"]),
        ("renault-5", "Renault 5 Electric", ["Renault 5"]),
        ("nissan", "Nissan", []),
        ("scenic", "Scénic Electric", []),
        ("alliance", "Renault-Nissan-Mitsubishi Alliance", ["the Alliance"]),
        ("mitsubishi", "Mitsubishi", []),
        ("alpine", "Alpine", []),
        ("ice", "Internal combustion engine", ["ICE"]),
        ("e-power", "e-Power", []),
        ("luca", "Luca de Meo", []),
        ("francois", "François Provost", []),
    ], outer={"alliance"})


def _ids(text, matcher):
    return [(m.entity_id, m.text) for m in find_mentions(text, matcher)]


def test_case_and_accents_are_folded(matcher):
    text = "NISSAN met francois provost; the new Scenic electric and SCÉNIC ELECTRIC."
    assert _ids(text, matcher) == [("nissan", "NISSAN"), ("francois", "francois provost"),
                                   ("scenic", "Scenic electric"), ("scenic", "SCÉNIC ELECTRIC")]


def test_whole_words_only(matcher):
    assert _ids("Nissans and Renaultsport, Mitsubishi-made", matcher) == [("mitsubishi", "Mitsubishi")]


def test_longest_match_wins(matcher):
    text = "Renault Group said the Renault 5 Electric and the Renault 5 beat Renault."
    assert _ids(text, matcher) == [("renault-group", "Renault Group"), ("renault-5", "Renault 5 Electric"),
                                   ("renault-5", "Renault 5"), ("renault-group", "Renault")]


def test_offsets_and_sentence_point_into_the_text(matcher):
    text = "First line.\nLuca de Meo spoke. Then Nissan\u2019s boss (Luca  de\nMeo) left."
    found = find_mentions(text, matcher)
    assert [m.entity_id for m in found] == ["luca", "nissan", "luca"]
    for m in found:
        assert text[m.start:m.end] == m.text
        assert text[m.sentence_start:].startswith(m.sentence)
        assert m.start >= m.sentence_start and m.end <= m.sentence_start + len(m.sentence)
    assert found[0].sentence == "Luca de Meo spoke."
    assert found[1].sentence.startswith("Then Nissan")


def test_offsets_survive_characters_that_fold_to_several(matcher):
    text = "ﬁne ﬂow — straße — Renault e\u0301 and Scénic Electric, then Nissan."
    found = find_mentions(text, matcher)
    assert [(m.entity_id, text[m.start:m.end]) for m in found] == [
        ("renault-group", "Renault"), ("scenic", "Scénic Electric"), ("nissan", "Nissan")]


def test_common_word_names_need_their_capitals(matcher):
    text = "an alpine lake, ice cream, an alliance of firms; Alpine and ICE and the Alliance."
    assert _ids(text, matcher) == [("alpine", "Alpine"), ("ice", "ICE"), ("alliance", "Alliance")]
    assert _ids("Ice is cold", matcher) == []  # an acronym needs all its capitals


def test_hyphens_and_spaces_are_interchangeable(matcher):
    assert _ids("its e-Power and its e Power, not ePower", matcher) == [("e-power", "e-Power"), ("e-power", "e Power")]


def test_a_possessive_inside_a_name():
    m = NameMatcher.from_names([("p", "Ampere next-generation platform", []), ("a", "Ampere", [])])
    assert _ids("Ampere\u2019s next-generation platform and Ampere's cars", m) == [
        ("p", "Ampere\u2019s next-generation platform"), ("a", "Ampere")]


def test_companies_inside_a_partnership_name_are_mentions_too(matcher):
    assert _ids("The Renault-Nissan-Mitsubishi Alliance grew.", matcher) == [
        ("alliance", "Renault-Nissan-Mitsubishi Alliance"), ("renault-group", "Renault"),
        ("nissan", "Nissan"), ("mitsubishi", "Mitsubishi")]


def test_own_name_beats_an_alias():
    m = NameMatcher.from_names([("group", "Renault Group", ["Renault"]), ("brand", "Renault", [])])
    assert _ids("Renault", m) == [("brand", "Renault")]


def test_the_more_specific_entity_wins_a_shared_alias():
    m = NameMatcher.from_names([("group", "Stellantis", ["Fiat"]), ("fiat", "Fiat Automobiles", ["Fiat"])],
                               {"fiat": {"group"}})
    assert _ids("A Fiat", m) == [("fiat", "Fiat")]


def test_an_unsettled_shared_name_is_ambiguous_and_links_nothing():
    m = NameMatcher.from_names([("a", "Alpha Motors", ["AM"]), ("b", "Beta Mobility", ["AM"])])
    found = find_mentions("AM said", m)
    assert [(x.entity_id, x.choices) for x in found] == [(None, ("a", "b"))]
    assert mention_counts(found) == {}
    assert article_links("AM said", m)["ambiguous"] == [{"text": "AM", "choices": ["a", "b"], "start": 0}]


@pytest.mark.parametrize("hostile", ["C++ [x]", "(A)", "a.*", "(?P<x>", "\\", "|", "Nissan|.*", "X", "", "  "])
def test_hostile_names_are_literal(hostile):
    m = NameMatcher.from_names([("h", hostile, []), ("n", "Nissan", [])])
    text = "Nissan C++ [x] and (A) and a.* and anything | \\ X"
    found = find_mentions(text, m)
    for x in found:
        assert x.entity_id == "n" or x.text.casefold() == hostile.strip().casefold()
    assert ("n", "Nissan") in [(x.entity_id, x.text) for x in found]


def test_hostile_name_with_symbols_is_found_where_written():
    m = NameMatcher.from_names([("c", "C++ [x]", []), ("a", "(AB)", [])])
    assert _ids("we use C++ [x] and (AB) here, not C and AB", m) == [("c", "C++ [x]"), ("a", "(AB)")]


def test_single_letters_are_never_matched():
    m = NameMatcher.from_names([("x", "X", ["(A)"])])
    assert _ids("X and (A)", m) == [] and sorted(m.skipped) == ["(A)", "X"]


def test_candidates_are_unknown_capitalised_names(matcher):
    text = ("Leapmotor International signed with Nissan. Tianshu Xin, who runs Leapmotor International, "
            "said on Monday that the BYD Seal and the Renault 5 compete. In January Renault Group agreed. "
            "The Chinese Market grew, said Stellantis's Carlos Tavares.")
    found = [name for name, _ in candidates(text, matcher)]
    assert found[0] == "Leapmotor International"  # twice: ranked first
    assert "Tianshu Xin" in found and "BYD Seal" in found and "Carlos Tavares" in found
    assert not any(word in " ".join(found) for word in ("Monday", "January", "The", "Renault", "Chinese"))


def test_candidates_skip_title_case_headings(matcher):
    assert candidates("Nissan and their Independent Pursuit of Tech\nZeekr Group grew.", matcher) == [
        ("Zeekr Group", 1)]


def test_bundled_articles_link_their_companies():
    loaded = load(Corpus.open())
    m = NameMatcher.from_facts(loaded.facts.facts.values())
    counts = {name: mention_counts(m.find(a.text)) for name, a in loaded.articles.items()}
    assert all(counts.values())
    article = next(n for n, a in loaded.articles.items() if a.title.startswith("Nissan will build"))
    assert counts[article]["nissan"] >= 5 and "renault-twingo-ev" in counts[article]
    # Every fact's quote that names an entity by its exact name is matched where it is.
    links = article_links(loaded.articles[article].text, m)
    assert {x["id"] for x in links["mentions"]} >= {"nissan", "ampere", "makoto-uchida"}


def test_every_repeat_is_found_in_a_long_text():
    m = NameMatcher.from_names([(f"e{i}", f"Company {i} Motors", [f"CM{i}"]) for i in range(500)])
    chunk = "Company 7 Motors met CM12 and others at the show, said a man. "
    assert mention_counts(m.find(chunk * 2000)) == {"e7": 2000, "e12": 2000}


def test_names_nested_too_deep_for_one_pattern_still_match():
    m = NameMatcher.from_names([(f"e{i}", "x" * i, []) for i in range(2, 1500)] + [("long", "y" * 5000, [])])
    assert _ids("a xxx b xx " + "y" * 5000, m) == [("e3", "xxx"), ("e2", "xx"), ("long", "y" * 5000)]


def test_mentions_without_sentences_are_the_same_places(matcher):
    text = "Nissan met Luca de Meo. The Renault 5 Electric came. " * 3
    fast = find_mentions(text, matcher) and matcher.find(text, sentences=False)
    assert [(m.entity_id, m.start, m.end) for m in fast] == [(m.entity_id, m.start, m.end) for m in matcher.find(text)]
    assert all(m.sentence == "" and m.sentence_start == -1 for m in fast)
