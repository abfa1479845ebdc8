"""The in-memory shape of the saved facts and of the copies index: what keeps the app and the
build small at 10,000 articles, checked on the bundled corpus."""

from __future__ import annotations

import random
from array import array

from facts.corpus import Corpus
from facts.dates import PartialDate
from facts.duplicates import DuplicateIndex, _sorted_keys, sketch
from facts.names import NameTable
from search.saved import load_facts, load_names


def test_loaded_facts_hold_each_string_and_date_once_and_no_line_table(shared_kb):
    base = load_facts(shared_kb.store.current())
    facts = list(base.facts.values())
    articles = [s.article for f in facts for s in f.sources]
    assert len({id(a) for a in articles}) == len(set(articles)) < len(articles)
    dates = [v for f in facts for v in (*f.values.values(), *(s.reported for s in f.sources))
             if isinstance(v, PartialDate)]
    assert len({id(d) for d in dates}) == len(set(dates)) < len(dates)
    assert len({id(f.file) for f in facts}) == len({f.file for f in facts})
    assert all(not f.lines for f in facts)
    assert not hasattr(facts[0], "__dict__") and not hasattr(facts[0].sources[0], "__dict__")


def test_the_saved_names_table_is_the_fact_bases_names(shared_kb):
    gen = shared_kb.store.current()
    saved, base = load_names(gen), load_facts(gen)
    assert saved.rows() == NameTable.of(base.facts.values()).rows()
    assert len(saved.rows()) < len(base.facts) / 2  # only what a filter by name needs
    for name in ("Nissan", "renault group", "Uchida", "uchdia", "nisan", "Ampere", "micra", "zzqq", ""):
        assert [(m.fact.id, m.how) for m in saved.index.resolve(name)] == [
            (m.fact.id, m.how) for m in base.names.resolve(name)]
        for kinds in (("company",), ("person",), ("vehicle",), ("company", "person", "vehicle", "platform", "technology")):
            assert saved.resolve(name, kinds) == _resolved_on_the_fact_base(base, name, kinds)


def _resolved_on_the_fact_base(base, name, kinds):
    """What a filter resolved to when it read the whole fact base (before the names table)."""
    from facts.problems import did_you_mean

    for match in base.names.resolve(name):
        if match.fact.kind in kinds and match.how in ("exact", "word"):
            return match.fact.id, (match.fact.name, *match.fact.aliases), ""
    pool = [n for f in base.facts.values() if f.kind in kinds for n in (f.name, f.id)]
    typo = [m for m in base.names.resolve(name) if m.fact.kind in kinds]
    return None, (), f" (did you mean '{typo[0].fact.name}'?)" if typo else did_you_mean(name, pool)


def test_sorted_keys_bucket_by_bucket_equal_one_sort():
    rng = random.Random(12)
    samples = [array("Q", sorted({rng.getrandbits(44) << 20 for _ in range(rng.randrange(0, 90))}))
               for _ in range(300)]
    expected = sorted(h | n for n, sampled in enumerate(samples) for h in sampled)
    assert list(_sorted_keys(samples)) == expected
    assert list(_sorted_keys([])) == []


def test_copies_are_still_found_with_array_sketches(shared_kb):
    corpus = Corpus.open(shared_kb.corpus.roots[0])
    files, _ = corpus.article_files()
    texts = {p.name: corpus.article(p.name).text for p in files}
    first = sorted(texts)[0]
    sketches = {name: sketch(text) for name, text in texts.items()}
    sketches["zz-copy.txt"] = sketch(texts[first].upper())  # case does not matter
    assert isinstance(sketches[first].samples, array)
    index = DuplicateIndex.build(sketches, lambda name: name)
    assert [(m.name, m.how, m.is_duplicate) for m in index.matches["zz-copy.txt"]] == [(first, "copy", True)]
