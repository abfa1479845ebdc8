"""Article-only updates save their changes in a journal beside the saved files: every reader
must see what a full build of the same corpus gives, and a damaged or missing journal must
never show a wrong span."""

from __future__ import annotations

import pytest

from search.kb import KnowledgeBase
from search.saved import (
    JOURNAL,
    load_entries,
    load_fact_docs,
    load_facts,
    load_journal,
    load_links,
    load_manifest,
    load_metas,
)

from .conftest import write
from .test_index_lifecycle import (
    ALL,
    BEIJING_SENTENCE,
    REUTERS,
    TRENDY,
    assert_quote_offsets_hold,
    problem_texts,
)

UNCITED = "100_uncited.txt"


def saved_view(kb: KnowledgeBase) -> dict:
    """What readers of the index see: the facts' sources, the fact documents' payloads (what
    `alliance search --json` prints), the problems, counts, metadata, links and manifest entries."""
    gen = kb.store.current()
    facts = load_facts(gen)
    manifest = load_manifest(gen)
    return {
        "sources": {f.id: [(s.article, s.quote, s.span, s.reported) for s in f.sources] for f in facts.facts.values()},
        "payloads": {h.id: h.payload for h in kb.search("kind:fact", limit=ALL).hits},
        "articles": {h.id: h.payload for h in kb.search("kind:article", limit=ALL).hits},
        "problems": problem_texts(kb.problems),
        "errors": problem_texts(kb.errors),
        "counts": kb.manifest["counts"],
        "metas": load_metas(gen),
        "metas order": list(load_metas(gen)),
        "named": load_links(gen).articles,
        "named order": list(load_links(gen).articles),
        "mentioned": {e.id: facts.mentioned_in(e.id) for e in facts.entities()},
        "manifest articles": manifest["articles"],
        "manifest order": list(manifest["articles"]),
        "fact docs": load_fact_docs(gen),
        "entries": load_entries(gen),
        "scanned": manifest["scan"]["articles"],
    }


def assert_as_built(kb: KnowledgeBase, corpus_dir, tmp_path, name: str) -> None:
    """The index after updates, read by this knowledge base and by a new one (another process),
    equals a full build of the same corpus."""
    fresh = KnowledgeBase.open(corpus_dir, tmp_path / name)
    assert fresh.ensure().action == "build"
    reader = KnowledgeBase.open(corpus_dir, kb.store.path)
    assert reader.ensure().action == "none"
    theirs, mine = saved_view(fresh), saved_view(kb)
    scanned = theirs.pop("scanned"), mine.pop("scanned")
    assert scanned[0].keys() == scanned[1].keys()  # the times differ: the files were written again
    for key in theirs:
        assert mine[key] == theirs[key], key
    assert {f.id: [s.span for s in f.sources] for f in reader.facts.facts.values()} == \
        {f.id: [s.span for s in f.sources] for f in fresh.facts.facts.values()}
    assert reader.article_metas() == fresh.article_metas()
    assert assert_quote_offsets_hold(reader) > 100
    reader.close()
    fresh.close()


def insert_before_quotes(path, words: str) -> None:
    """Put a paragraph right after the title: every quote of the article moves."""
    text = path.read_text(encoding="utf-8")
    first = text.index("\n\n") + 2
    write(path, text[:first] + words + "\n\n" + text[first:])


def test_cited_articles_changed_one_after_another_read_like_a_full_build(kb, corpus_dir, tmp_path):
    seeds = corpus_dir / "seeds"
    before = {f.id: [s.span for s in f.sources] for f in kb.facts.facts.values()}
    insert_before_quotes(seeds / REUTERS, "Platypus analysts opened the day early.")
    report = kb.ensure()
    assert (report.action, report.reason) == ("update", "articles changed")
    assert report.facts_indexed > 10
    gen = kb.store.current()
    journal = load_journal(gen)
    assert set(journal.articles) == {REUTERS} and journal.spans
    moved = {f.id for f in kb.facts.facts.values() if [s.span for s in f.sources] != before[f.id]}
    assert moved and set(journal.spans) >= moved
    # the large saved files were not written again
    assert kb.manifest["journal"] == 1
    assert_as_built(kb, corpus_dir, tmp_path, "fresh-1")

    insert_before_quotes(seeds / TRENDY, "Numbat traders bought early.")
    write(seeds / UNCITED, "Echidna news\n\nMay 5, 2025\n\nEchidna Motors met Renault.\n")
    report = kb.ensure()
    assert (report.action, report.reason) == ("update", "articles changed")
    assert set(load_journal(gen).articles) == {REUTERS, TRENDY, UNCITED}
    assert [h.id for h in kb.search("platypus").hits] == [REUTERS]
    assert [h.id for h in kb.search("echidna").hits] == [UNCITED]
    assert_as_built(kb, corpus_dir, tmp_path, "fresh-2")

    (seeds / UNCITED).unlink()  # an uncited article removed: still the journal
    assert kb.ensure().reason == "articles changed"
    assert load_journal(gen).articles[UNCITED] is None
    assert_as_built(kb, corpus_dir, tmp_path, "fresh-3")


@pytest.mark.parametrize("change", ["quote removed", "article deleted", "article renamed", "fact edited"])
def test_a_full_update_after_the_journal_folds_it_in(kb, corpus_dir, tmp_path, change):
    seeds = corpus_dir / "seeds"
    insert_before_quotes(seeds / REUTERS, "Platypus analysts opened the day early.")
    assert kb.ensure().reason == "articles changed"
    gen = kb.store.current()
    assert (gen / JOURNAL).is_file()
    if change == "quote removed":
        path = seeds / REUTERS
        write(path, path.read_text(encoding="utf-8").replace(BEIJING_SENTENCE, ""))
    elif change == "article deleted":
        (seeds / REUTERS).unlink()
    elif change == "article renamed":
        (seeds / REUTERS).rename(seeds / "100_renamed.txt")
    else:
        path = corpus_dir / "facts" / "platforms.yaml"
        write(path, path.read_text(encoding="utf-8").replace("Architecture that underpins",
                                                              "Architecture, dingo-proof, that underpins"))
    report = kb.ensure()
    assert (report.action, report.reason) == ("update", "the corpus changed")
    assert kb.store.current() == gen and not (gen / JOURNAL).exists()
    assert kb.manifest["journal"] == 0
    assert_as_built(kb, corpus_dir, tmp_path, "fresh")


def test_a_long_journal_is_folded_into_the_saved_files(kb, corpus_dir, tmp_path, monkeypatch):
    import search.update

    monkeypatch.setattr(search.update, "JOURNAL_FOLD", 1)
    seeds = corpus_dir / "seeds"
    insert_before_quotes(seeds / REUTERS, "Platypus analysts opened the day early.")
    assert kb.ensure().reason == "articles changed"
    gen = kb.store.current()
    assert set(load_journal(gen).articles) == {REUTERS}
    insert_before_quotes(seeds / TRENDY, "Numbat traders bought early.")  # two articles: over the limit
    assert kb.ensure().reason == "articles changed"
    assert not (gen / JOURNAL).exists() and kb.manifest["journal"] == 0
    assert_as_built(kb, corpus_dir, tmp_path, "fresh")


def test_files_touched_after_a_quick_update_keep_its_changes(kb, corpus_dir, tmp_path):
    """A later check that finds only newer times records them without losing the journal's."""
    seeds = corpus_dir / "seeds"
    insert_before_quotes(seeds / REUTERS, "Platypus analysts opened the day early.")
    assert kb.ensure().reason == "articles changed"
    write(seeds / REUTERS, (seeds / REUTERS).read_bytes())  # same bytes, newer time
    assert kb.ensure().reason == "files touched, contents unchanged"
    assert kb.ensure().action == "none"
    assert_as_built(kb, corpus_dir, tmp_path, "fresh")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "deleted", "spans of other facts"])
def test_a_damaged_or_missing_journal_is_rebuilt_never_read_wrong(kb, corpus_dir, tmp_path, damage):
    import pickle

    insert_before_quotes(corpus_dir / "seeds" / REUTERS, "Platypus analysts opened the day early.")
    assert kb.ensure().reason == "articles changed"
    gen = kb.store.current()
    path = gen / JOURNAL
    if damage == "garbage":
        path.write_bytes(b"\x80\x05garbage")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:40])
    elif damage == "deleted":
        path.unlink()
    else:  # a journal whose spans do not fit the saved facts (another fact base's)
        journal = load_journal(gen)
        journal.spans = {fact_id: (*sources[:-1], ("elsewhere.txt", "no such quote", (0, 5)))
                         for fact_id, sources in journal.spans.items()}
        path.write_bytes(pickle.dumps(journal))
    reader = KnowledgeBase.open(corpus_dir, kb.store.path)  # as the next start would
    reader.ensure()
    assert reader.facts  # read, or rebuilt and read
    assert any("rebuilt" in n for n in reader.notices), reader.notices
    assert reader.store.current() != gen
    assert assert_quote_offsets_hold(reader) > 100
    reader.close()
    assert_as_built(kb, corpus_dir, tmp_path, "fresh")


def test_a_damaged_journal_met_by_an_update_rebuilds(kb, corpus_dir, tmp_path):
    insert_before_quotes(corpus_dir / "seeds" / REUTERS, "Platypus analysts opened the day early.")
    assert kb.ensure().reason == "articles changed"
    gen = kb.store.current()
    (gen / JOURNAL).write_bytes(b"\x80\x05garbage")
    insert_before_quotes(corpus_dir / "seeds" / TRENDY, "Numbat traders bought early.")
    report = kb.ensure()
    assert report.action == "build" and "manifest" in report.reason
    assert kb.store.current() != gen
    assert_as_built(kb, corpus_dir, tmp_path, "fresh")
