"""The app shows which articles name an entity: counts in the companies pane, 'Mentioned in'
in profiles, and Enter or o on a mention opens the article at that sentence."""

from __future__ import annotations

import io

import pytest

from tui.widgets.company_list import CompanyOptions
from tui.widgets.profile_view import ProfileView
from tui.widgets.reader import Reader
from tui.widgets.source_view import SourceView

from .app_support import make_app, settle
from .conftest import copy_corpus


@pytest.fixture(scope="module")
def app_env(tmp_path_factory):
    from search.kb import KnowledgeBase

    base = tmp_path_factory.mktemp("app-links")
    corpus = copy_corpus(base / "corpus")
    KnowledgeBase.open(corpus, base / "index").ensure()
    return corpus, base / "index"


def _row_text(app, option_id: str) -> str:
    from rich.console import Console

    options = app.query_one(CompanyOptions)
    console = Console(width=78, record=True, file=io.StringIO())
    console.print(options.get_option(option_id).prompt)
    return console.export_text()


async def test_companies_pane_counts_articles_as_well_as_facts(app_env):
    app = make_app(*app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        base = app.kb.facts
        for company in ("nissan", "renault-group", "dacia"):
            row = _row_text(app, company)
            articles = base.article_count(company)
            assert articles >= 1
            word = "article" if articles == 1 else "articles"
            assert f"{base.count_for(company)} facts" in row and f"{articles} {word}" in row, row
        assert base.article_count("nissan") == len(base.mentioned_in("nissan")) == 4


async def _open_profile_mentions(app, pilot, entity_id: str) -> ProfileView:
    app.main.open_entity(entity_id)
    await settle(app, pilot)
    profile = app.query_one(ProfileView)
    ids = [o.id or "" for o in profile.options]
    assert any(i.startswith("mention:") for i in ids), "the mentions were not filled in"
    return profile


async def test_profile_lists_mentions_newest_first_and_enter_opens_the_article(app_env):
    app = make_app(*app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        profile = await _open_profile_mentions(app, pilot, "nissan")
        base = app.kb.facts
        heads = [str(o.prompt) for o in profile.options if o.id == "mentions-head"]
        assert heads and "Mentioned in 4 articles" in heads[0]
        assert "named in 4 articles" in str(app.query_one("#reader-header").content)
        mentions = [o.id.split(":", 2)[2] for o in profile.options if (o.id or "").startswith("mention:")]
        assert mentions == base.mentioned_in("nissan")
        dates = [base.articles[m].date for m in mentions]
        assert dates == sorted(dates, reverse=True)
        await pilot.press("G")
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.query_one(Reader)
        assert reader.location.kind == "article" and reader.location.name == mentions[-1]
        view = app.query_one(SourceView)
        offset = reader.location.focus
        assert view.text[offset:offset + 6] == "Nissan"
        top, bottom = view.visible_offsets()
        assert top <= offset < bottom, "the sentence is scrolled into view"
        await pilot.press("backspace")
        await settle(app, pilot)
        assert reader.location.kind == "entity" and reader.location.name == "nissan"


async def test_o_on_a_mention_opens_the_article_too(app_env):
    app = make_app(*app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        profile = await _open_profile_mentions(app, pilot, "ampere")
        first = next(i for i, o in enumerate(profile.options) if (o.id or "").startswith("mention:"))
        profile.highlighted = first
        article, offset = profile.selected_mention()
        await pilot.press("o")
        await settle(app, pilot)
        location = app.query_one(Reader).location
        assert (location.kind, location.name, location.focus) == ("article", article, offset)
        assert app.query_one(SourceView).text[offset:offset + 6] == "Ampere"


async def test_an_article_ends_with_the_names_it_has_known_or_not(app_env):
    app = make_app(*app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        name = next(n for n, m in app.kb.facts.articles.items() if m.title.startswith("Renault talked"))
        app.main.open_article(name)
        await settle(app, pilot)
        view = app.query_one(SourceView)
        links = app.kb.article_links(name)
        assert view.text == app.kb.article(name).text  # the footer is not part of the text
        known, unknown = view.footer.split("\n")
        assert known.startswith("Named here: Renault Group (")
        assert all(m["name"] in known for m in links["mentions"])
        assert unknown == "Names not in the knowledge base: " + ", ".join(c["name"] for c in links["candidates"])
        assert "Beijing Motor Show" in unknown
        await pilot.press("end")
        await settle(app, pilot)
        shown = "\n".join(line.plain for line in view._line_texts[-6:])
        assert "Names not in the knowledge base" in shown
