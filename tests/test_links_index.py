"""Articles linked to the entities they name, in the index: filters, updates, profiles."""

from __future__ import annotations

from search.kb import KnowledgeBase
from search.saved import load_links

from .conftest import write

NEW = "zz_new_article.txt"
NISSAN_ONLY = (
    "Small cars in Europe\n\n"
    "NISSAN’s engineers showed a small electric car in Paris on Tuesday.\n"
    "The car will be built by Bigcorp Motors in Spain, Bigcorp Motors said.\n"
)


def hit_ids(results) -> list[str]:
    return [h.id for h in results.hits]


def test_company_filter_finds_an_article_that_names_the_company_without_facts(kb, corpus_dir):
    assert NEW not in hit_ids(kb.search("company:nissan", limit=1000))
    write(corpus_dir / "seeds" / NEW, NISSAN_ONLY)
    report = kb.ensure()
    assert report.action == "update" and report.articles_indexed == 1
    assert NEW in hit_ids(kb.search("company:nissan", limit=1000))
    assert NEW in hit_ids(kb.search("small car", company="nissan", limit=1000))  # the app's narrowing
    assert NEW not in hit_ids(kb.search("company:dacia", limit=1000))
    assert kb.facts.article_count("nissan") == 5
    assert kb.facts.mentioned_in("nissan").count(NEW) == 1


def test_a_longer_name_is_not_also_its_first_word(kb, corpus_dir):
    write(corpus_dir / "seeds" / NEW, "A small car\n\nThe Renault 5 is small and cheap.\n")
    kb.ensure()
    assert NEW in hit_ids(kb.search("vehicle:renault-5-electric", limit=1000))
    assert NEW not in hit_ids(kb.search("company:renault-group", limit=1000))


def test_an_alias_added_to_a_fact_file_relinks_articles(kb, corpus_dir, tmp_path):
    write(corpus_dir / "seeds" / NEW, NISSAN_ONLY)
    kb.ensure()
    links = kb.article_links(NEW)
    assert {"name": "Bigcorp Motors", "count": 2} in links["candidates"]
    assert NEW not in hit_ids(kb.search("company:dacia", limit=1000))

    path = corpus_dir / "facts" / "companies.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  - id: dacia\n    name: Dacia\n" in text
    write(path, text.replace("  - id: dacia\n    name: Dacia\n",
                             "  - id: dacia\n    name: Dacia\n    aliases: [Bigcorp Motors]\n"))
    report = kb.ensure()
    assert report.action == "update"
    assert report.articles_indexed == 1  # only the article whose links changed
    assert NEW in hit_ids(kb.search("company:dacia", limit=1000))
    links = kb.article_links(NEW)
    assert "Bigcorp Motors" not in [c["name"] for c in links["candidates"]]
    assert {m["id"]: m["count"] for m in links["mentions"]}["dacia"] == 2
    assert NEW in kb.facts.mentioned_in("dacia")

    # The same links as a fresh build of the same corpus.
    fresh = KnowledgeBase.open(corpus_dir, tmp_path / "fresh-index")
    fresh.ensure()
    try:
        assert load_links(kb.store.current()).articles == load_links(fresh.store.current()).articles
    finally:
        fresh.close()

    # Taking the alias away unlinks the article again.
    write(path, text)
    kb.ensure()
    assert NEW not in hit_ids(kb.search("company:dacia", limit=1000))
    assert NEW not in kb.facts.mentioned_in("dacia")


def test_a_fact_edit_that_keeps_the_names_reindexes_no_article(kb, corpus_dir):
    path = corpus_dir / "facts" / "platforms.yaml"
    text = path.read_text(encoding="utf-8")
    write(path, text.replace("description: Architecture that underpins", "description: Frame that underpins"))
    report = kb.ensure()
    assert report.action == "update" and report.articles_indexed == 0


def test_removing_an_article_removes_its_links(kb, corpus_dir):
    write(corpus_dir / "seeds" / NEW, NISSAN_ONLY)
    kb.ensure()
    assert NEW in kb.facts.mentioned_in("nissan")
    (corpus_dir / "seeds" / NEW).unlink()
    kb.ensure()
    assert NEW not in kb.facts.mentioned_in("nissan")
    assert NEW not in load_links(kb.store.current()).articles


def test_mentions_of_lists_articles_newest_first_with_the_sentence(shared_kb):
    total, rows = shared_kb.mentions_of("nissan")
    assert total == len(rows) == shared_kb.facts.article_count("nissan") > 1
    dates = [shared_kb.facts.articles[r.article].date for r in rows]
    assert dates == sorted(dates, reverse=True)
    for row in rows:
        assert row.sentence[row.start:row.end].casefold() == "nissan"
        text = shared_kb.article(row.article).text
        assert text[row.offset:row.offset + row.end - row.start] == row.sentence[row.start:row.end]
        assert row.title == shared_kb.facts.articles[row.article].title


def test_article_links_of_a_bundled_article(shared_kb):
    name = next(n for n, m in shared_kb.facts.articles.items() if m.title.startswith("Renault talked"))
    links = shared_kb.article_links(name)
    ids = [m["id"] for m in links["mentions"]]
    assert {"renault-group", "li-auto", "xiaomi-technology", "luca-de-meo"} <= set(ids)
    for m in links["mentions"]:
        assert m["first"]["text"] in m["first"]["sentence"]
