"""The terminal app, driven by Pilot on a real index built in a temporary folder."""

from __future__ import annotations

import pytest

from facts.text import normalize
from tui.widgets.company_list import CompanyList, CompanyOptions
from tui.widgets.lineup_tree import LineupTree
from tui.widgets.partnership_table import PartnershipGrid, PartnershipTable
from tui.widgets.profile_view import ProfileView
from tui.widgets.reader import Reader
from tui.widgets.search_bar import SearchBar
from tui.widgets.search_results import SearchResults
from tui.widgets.source_view import SourceView

from .app_support import make_app, screen_text, settle, type_text, visible_panes, wait_for
from .conftest import copy_corpus, write


@pytest.fixture(scope="session")
def app_env(tmp_path_factory):
    """A corpus copy and its index, built once; tests that only read share them."""
    from search.kb import KnowledgeBase

    base = tmp_path_factory.mktemp("app")
    corpus = copy_corpus(base / "corpus")
    KnowledgeBase.open(corpus, base / "index").ensure()
    return corpus, base / "index"


def _app(app_env, **kw):
    return make_app(*app_env, **kw)


def _source_quote(app) -> str:
    view = app.query_one(SourceView)
    assert view.quotes, "no quote is highlighted"
    start, end = view.quotes[0]
    return view.text[start:end]


# -- start-up ---------------------------------------------------------------------------------

async def test_first_paint_comes_before_the_index_is_ready(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    app = make_app(corpus, tmp_path / "fresh-index")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Drawn and responsive while the index is still being built on the service thread.
        assert app.screen.is_mounted and app.query_one(SearchBar).is_mounted
        await pilot.press("slash")
        assert app.focused is app.query_one(SearchBar)
        await settle(app, pilot)
        assert app.kb is not None
        assert "5 articles" in str(app.query_one("#status").render())


async def test_every_pane_is_filled(app_env):
    app = _app(app_env)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        base = app.kb.facts
        assert visible_panes(app) == {"companies", "lineup", "partnerships", "results", "reader"}
        companies = app.query_one(CompanyOptions)
        assert companies.option_count == len(base.of_kind("company"))
        first = companies.get_option_at_index(0)
        assert first.id == max(base.of_kind("company"), key=lambda f: base.count_for(f.id)).id
        tree = app.query_one(LineupTree)
        leaves = [n for n in _nodes(tree.root) if (n.data or "").startswith("vehicle:")]
        assert {n.data.partition(":")[2] for n in leaves} == {v.id for v in base.of_kind("vehicle")}
        grid = app.query_one(PartnershipGrid)
        assert grid.row_count == len(base.of_kind("partnership"))
        assert "Nothing open yet" in str(app.query_one("#reader-welcome").render())


def _nodes(node):
    yield node
    for child in node.children:
        yield from _nodes(child)


# -- layout -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("size", "expected"), [
    ((80, 24), {"companies"}),
    ((119, 40), {"companies"}),
    ((120, 40), {"companies", "reader"}),
    ((179, 50), {"companies", "reader"}),
    ((180, 40), {"companies", "lineup", "partnerships", "results", "reader"}),
    ((200, 60), {"companies", "lineup", "partnerships", "results", "reader"}),
    ((160, 24), {"companies"}),  # wide but short: one pane at a time
])
async def test_layout_by_size(app_env, size, expected):
    app = _app(app_env)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert visible_panes(app) == expected
        tabs = app.query_one("#pane-tabs")
        assert tabs.display == (len(expected) < 5)
        shown = [pane.region for pane in app.query(".pane") if pane.display]
        for region in shown:
            assert region.right <= size[0] and region.bottom <= size[1], "nothing is cut off"
            assert region.width >= 30 and region.height >= 10, f"{region} is too small to use"
        for i, a in enumerate(shown):
            for b in shown[i + 1:]:
                assert not a.overlaps(b), f"{a} overlaps {b}"


async def test_too_small_says_so_and_recovers(app_env):
    from tui.screens.too_small import TooSmallScreen

    app = _app(app_env)
    async with app.run_test(size=(50, 12)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TooSmallScreen)
        message = str(app.screen.query_one("#too-small").render())
        assert "at least 60x16" in message and "50x12" in message
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: not isinstance(app.screen, TooSmallScreen), what="the panes")
        assert app.query_one("#deck").display and app.focused is app.query_one(CompanyOptions)


# -- search ---------------------------------------------------------------------------------------

async def test_search_as_you_type_updates_and_opens_a_fact(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "ampr")
        await settle(app, pilot)
        results = app.query_one(SearchResults)
        assert results.results is not None and results.results.query == "ampr"
        assert visible_panes(app) == {"results"}, "typing shows the results pane"
        await type_text(pilot, " small")
        await settle(app, pilot)
        assert results.results.query == "ampr small"
        assert results.hits[0].id == "ampr-small"
        await pilot.press("down", "down", "enter")  # the second result: a vehicle on AmpR Small
        await settle(app, pilot)
        assert app.query_one(Reader).location is not None


async def test_more_results_come_a_page_at_a_time(app_env):
    from tui.widgets.search_results import PAGE

    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "renault")
        await settle(app, pilot)
        results = app.query_one(SearchResults)
        total = results.results.total
        assert total > 2 * PAGE and len(results.hits) == PAGE
        options = results.options
        assert options.rows[-1].id == "more"
        first_page = [h.id for h in results.hits]
        options.focus()
        await pilot.press("G", "enter")
        await settle(app, pilot)
        assert len(results.hits) == 2 * PAGE and [h.id for h in results.hits][:PAGE] == first_page
        selected = results.selected_hit()  # the cursor is on the first new result, not back at the top
        assert selected is results.hits[PAGE]
        await pilot.press("slash")
        await type_text(pilot, "renault group")
        await settle(app, pilot)
        assert len(results.hits) == PAGE, "a new query starts with one page again"


async def test_enter_in_the_search_box_opens_the_top_result(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "Uchida CEO kind:role")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.query_one(Reader)
        assert reader.location.kind == "article" and reader.location.fact_id
        assert "Makoto Uchida" in _source_quote(app)
        assert visible_panes(app) == {"reader"}
        assert app.query_one(SourceView).terms, "the search words are highlighted too"


async def test_malformed_query_shows_a_message_not_a_traceback(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for text in ['"unbalanced', "(renault", "nissan AND", "kind:nothing", "NOT"]:
            bar = app.query_one(SearchBar)
            bar.value = text
            await settle(app, pilot)
            header = _results_header(app)
            assert "Note:" in header, (text, header)
        assert app.is_running


def _results_header(app) -> str:
    """The results header as the screen shows it: the lines above its rule."""
    options = app.query_one(SearchResults).options
    lines = screen_text(app).splitlines()[options.region.y:options.region.bottom]
    return "\n".join(lines[:next(i for i, line in enumerate(lines) if "────" in line)])


async def test_a_query_set_without_typing_shows_the_results(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.query_one(SearchBar).value = "AmpR Small"
        await settle(app, pilot)
        assert app.main.active_pane == "results" and visible_panes(app) == {"results"}
        assert app.main.pane_of(app.focused) == "results"


async def test_typo_is_corrected_and_did_you_mean_is_offered(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.query_one(SearchBar).value = "Renualt"
        await settle(app, pilot)
        header = _results_header(app)
        assert "No results for “Renualt”" in header and "renault" in header
        assert app.query_one(SearchResults).hits


async def test_search_results_are_narrowed_to_the_selected_company(app_env):
    app = _app(app_env)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        app.query_one(SearchBar).value = "electric"
        await settle(app, pilot)
        everything = {h.id for h in app.query_one(SearchResults).hits}
        app.main.company = "nissan"
        await settle(app, pilot)
        narrowed = app.query_one(SearchResults).hits
        assert narrowed and {h.id for h in narrowed} < everything | {h.id for h in narrowed}
        base = app.kb.facts
        for hit in narrowed:
            if hit.is_fact:
                assert "nissan" in base.companies_of(base.get(hit.id))
            else:
                assert "Nissan" in app.kb.article(hit.id).text


# -- navigation ---------------------------------------------------------------------------------

async def test_fact_to_highlighted_quote_and_back(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.main.open_entity("nissan")
        await settle(app, pilot)
        profile = app.query_one(ProfileView)
        assert app.focused is profile
        # Walk down to the CEO line and open it.
        for _ in range(profile.option_count):
            if profile.selected_fact_id() == "role-makoto-uchida-nissan-ceo":
                break
            await pilot.press("j")
        assert profile.selected_fact_id() == "role-makoto-uchida-nissan-ceo"
        await pilot.press("enter")
        await settle(app, pilot)
        fact = app.kb.facts.get("role-makoto-uchida-nissan-ceo")
        assert normalize(_source_quote(app)) == normalize(fact.sources[0].quote)
        view = app.query_one(SourceView)
        top, bottom = view.visible_offsets()
        assert top <= view.quotes[0][0] < bottom, "the quote is scrolled into view"
        await pilot.press("backspace")
        await settle(app, pilot)
        assert app.query_one(Reader).location.kind == "entity"
        assert not app.query_one(Reader).history
        assert "back" not in {b.binding.action for b in app.active_bindings.values() if b.enabled}
        await pilot.press("backspace")  # nothing to go back to: nothing happens
        await settle(app, pilot)
        assert app.query_one(Reader).location.name == "nissan"


async def test_next_source_moves_to_the_other_article(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        base = app.kb.facts
        fact = next(f for f in base.facts.values() if len({s.article for s in f.sources}) > 1)
        app.main.open_fact(fact.id)
        await settle(app, pilot)
        articles = []
        for _ in fact.sources:
            loc = app.query_one(Reader).location
            articles.append(loc.name)
            assert normalize(_source_quote(app)) == normalize(fact.sources[loc.source].quote)
            await pilot.press("s")
            await settle(app, pilot)
        assert set(articles) == {s.article for s in fact.sources}


async def test_next_and_previous_highlight(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.query_one(SearchBar).value = "Nissan"
        await settle(app, pilot)
        app.main.open_article("003_3476ec60bf69c91f.txt")
        await settle(app, pilot)
        view = app.query_one(SourceView)
        await wait_for(pilot, lambda: app.focused is view and view.highlights, what="the article to take the focus")
        assert len(view.highlights) > 5
        assert all(view.text[a:b].lower() == "nissan" for a, b in view.terms)
        await pilot.press("n")
        await wait_for(pilot, lambda: view.current >= 0, what="n to select a highlight")
        first = view.current
        await pilot.press("n")
        await wait_for(pilot, lambda: view.current != first, what="n to move on")
        assert view.current == first + 1
        await pilot.press("N")
        await wait_for(pilot, lambda: view.current != first + 1, what="N to move back")
        assert view.current == first
        start = view.highlights[view.current][0]
        top, bottom = view.visible_offsets()
        assert top <= start < bottom


async def test_raw_text_toggle_shows_boilerplate(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.main.open_article("003_3476ec60bf69c91f.txt")
        await settle(app, pilot)
        view = app.query_one(SourceView)
        assert "You May Also Like" not in view.text
        await pilot.press("r")
        await settle(app, pilot)
        assert "You May Also Like" in view.text and view.cuts
        cut_text = " ".join(view.text[a:b] for a, b in view.cuts)
        assert "Connect with us" in cut_text and "scary fast" in cut_text
        await pilot.press("r")
        await settle(app, pilot)
        assert "You May Also Like" not in view.text


async def test_entry_key_opens_what_a_fact_is_about(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.main.open_fact("role-makoto-uchida-nissan-ceo")
        await settle(app, pilot)
        await wait_for(pilot, lambda: app.main.pane_of(app.focused) == "reader", what="the reader to take the focus")
        await pilot.press("e")
        reader = app.query_one(Reader)
        await wait_for(pilot, lambda: reader.location.kind == "entity", what="e to open the entry")
        assert reader.location.name == "makoto-uchida"


async def test_an_article_that_arrives_after_the_reader_is_revealed_takes_the_focus(app_env):
    """On a busy machine the article may be read after the reader pane is shown: keys must still reach it."""
    import threading

    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.query_one(SearchBar).value = "Nissan"
        await settle(app, pilot)
        assert app.main.pane_of(app.focused) == "results"
        gate = threading.Event()
        app.service.submit("busy", lambda kb: gate.wait(30))  # the index is busy with something else
        app.main.open_article("003_3476ec60bf69c91f.txt")
        await wait_for(pilot, lambda: app.main.active_pane == "reader", what="the reader pane to be revealed")
        await pilot.pause()
        view = app.query_one(SourceView)
        assert not view.text  # nothing to focus yet
        gate.set()
        await settle(app, pilot)
        await wait_for(pilot, lambda: app.focused is view, what="the article to take the focus")
        await pilot.press("n")
        await wait_for(pilot, lambda: view.current >= 0, what="n to select a highlight")
        start = view.highlights[view.current][0]
        top, bottom = view.visible_offsets()
        assert top <= start < bottom


# -- companies, lineup, partnerships -------------------------------------------------------------

async def test_type_to_filter_companies_then_select_narrows_the_panes(app_env):
    app = _app(app_env)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        await pilot.press("1")
        await type_text(pilot, "nis")
        options = app.query_one(CompanyOptions)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == ["nissan"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main.company == "nissan"
        assert app.query_one(Reader).location.name == "nissan"
        base = app.kb.facts
        grid = app.query_one(PartnershipTable)
        assert grid.rows and all("nissan" in p.get("parties") for p in grid.rows)
        tree = app.query_one(LineupTree)
        cars = {n.data.partition(":")[2] for n in _nodes(tree.root) if (n.data or "").startswith("vehicle:")}
        assert cars == {"nissan-a-segment-city-car", "nissan-micra"}
        assert "Nissan" in str(app.query_one("#pane-lineup").border_title)
        await pilot.press("x")
        await settle(app, pilot)
        assert app.main.company is None and len(grid.rows) == len(base.of_kind("partnership"))


async def test_company_filter_escape_clears_then_leaves(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "zzz")
        options = app.query_one(CompanyOptions)
        assert options.option_count == 1 and options.get_option_at_index(0).disabled
        await pilot.press("escape")
        assert app.query_one("#company-filter").value == ""
        assert options.option_count == len(app.kb.facts.of_kind("company"))
        await pilot.press("escape")
        assert app.focused is options


@pytest.mark.parametrize(("grouping", "heads"), [
    ("maker", {"Ampere", "Nissan", "Renault Group", "Renault-Nissan-Mitsubishi Alliance"}),
    ("platform", {"AmpR Small", "Ampere next-generation electric platform", "Alliance common EV platforms",
                  "platform not stated"}),
    ("segment", {"A-segment", "B-segment", "C-segment", "segment not stated"}),
])
async def test_lineup_groupings(app_env, grouping, heads):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        tree = app.query_one(LineupTree)
        while tree.grouping != grouping:
            await pilot.press("b")
        labels = {child.label.plain.split(" (")[0] for child in tree.root.children}
        assert labels == heads
        if grouping == "platform":
            ampr = next(c for c in tree.root.children if c.label.plain.startswith("AmpR Small"))
            cars = {n.data.partition(":")[2] for n in ampr.children}
            assert cars == {"renault-5-electric", "renault-twingo-ev", "nissan-a-segment-city-car"}
            empty = next(c for c in tree.root.children if c.label.plain.startswith("Alliance common"))
            assert "no named model" in empty.children[0].label.plain


async def test_lineup_enter_opens_the_entry(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        tree = app.query_one(LineupTree)
        while not (tree.cursor_node and (tree.cursor_node.data or "").startswith("vehicle:")):
            await pilot.press("j")
        car = tree.cursor_node.data.partition(":")[2]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one(Reader).location == app.query_one(Reader).location.__class__("entity", car)


async def test_partnership_status_filter(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        table = app.query_one(PartnershipTable)
        seen = []
        for _ in range(6):
            await pilot.press("s")
            seen.append(table.status)
            assert all(table.status is None or p.get("status") == table.status for p in table.rows)
        assert seen[:5] == ["active", "announced", "in-talks", "planned", "ended"] and seen[5] is None
        await pilot.press("s")  # active
        detail = str(app.query_one("#partnership-detail").render())
        assert "[active]" in detail


# -- copy, help, palette, quit -------------------------------------------------------------------------

async def test_copy_puts_the_fact_and_its_citation_on_the_clipboard(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        app.main.open_fact("stake-nissan-in-renault")
        await settle(app, pilot)
        assert app.main.pane_of(app.focused) == "reader"
        await pilot.press("y")
        await settle(app, pilot)
        fact = app.kb.facts.get("stake-nissan-in-renault")
        assert app.clipboard.startswith(fact.text)
        assert "aligning it with Nissan’s 15% stake in Renault" in app.clipboard
        assert "003_3476ec60bf69c91f.txt" in app.clipboard and "~Q1 2023 (estimate)" in app.clipboard
        assert any("Copied" in n.message for n in app._notifications)


async def test_help_lists_every_binding_and_closes(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        from tui.screens.help import HelpScreen, key_label

        assert isinstance(app.screen, HelpScreen)
        import io

        from rich.console import Console

        console = Console(width=200, file=io.StringIO(), record=True)
        console.print(app.screen.query_one("#help-text").content)
        text = console.export_text()
        for _title, bindings in app.binding_groups():
            for binding in bindings:
                assert key_label(binding.key) in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_jumps_to_an_entry(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Makoto")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        loc = app.query_one(Reader).location
        assert loc is not None and loc.kind == "entity" and loc.name == "makoto-uchida"


async def test_tab_and_numbers_move_between_panes(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        order = []
        for _ in range(4):
            await pilot.press("tab")
            order.append(app.main.active_pane)
        assert order == ["lineup", "partnerships", "results", "reader"]
        await pilot.press("shift+tab")
        assert app.main.active_pane == "results"
        for number, name in [("1", "companies"), ("3", "partnerships"), ("2", "lineup")]:
            await pilot.press(number)
            assert app.main.active_pane == name and visible_panes(app) == {name}


async def test_ctrl_q_quits(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


# -- untrusted text ---------------------------------------------------------------------------

async def test_article_markup_and_escapes_are_shown_literally(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    write(corpus / "seeds" / "900_evil.txt",
          "Evil [bold red]headline[/]\n\nClick [@click=app.quit]here[/] now \x1b[31mred\x1b[0m and \x1b]52;c;QUJD\x07 done.\n")
    app = make_app(corpus, tmp_path / "index")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.main.open_article("900_evil.txt")
        await settle(app, pilot)
        view = app.query_one(SourceView)
        assert "[@click=app.quit]here[/]" in view.text and "[bold red]headline[/]" in view.text
        assert "\x1b" not in view.text and "QUJD" not in view.text
        header = app.query_one("#reader-header")
        assert "[bold red]headline[/]" in screen_text(app).splitlines()[header.region.y]
        app.query_one(SearchBar).value = "headline"
        await settle(app, pilot)
        assert app.is_running
        assert any("[bold red]" in h.title for h in app.query_one(SearchResults).hits)


async def test_company_list_untrusted_names_do_not_break(app_env):
    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.query_one(CompanyList).start_filter("[b]")
        await pilot.pause()
        assert app.is_running


async def test_a_story_in_two_articles_is_listed_once_and_each_copy_opens(tmp_path):
    from facts.corpus import Corpus
    from search.kb import KnowledgeBase
    from tui.app import AllianceApp

    corpus = copy_corpus(tmp_path / "corpus")
    library = tmp_path / "library"
    original = "001_eeb87b223eca0c5a.txt"
    lines = (corpus / "seeds" / original).read_text(encoding="utf-8").split("\n")
    write(library / "seeds" / "005_excerpt.txt", "\n".join(lines[: len(lines) * 2 // 3]))
    KnowledgeBase(Corpus.open(corpus, library), tmp_path / "index").ensure()
    app = AllianceApp(Corpus.open(corpus, library), tmp_path / "index")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "kind:article Micra supermini")
        await settle(app, pilot)
        results = app.query_one(SearchResults)
        shown = [h.id for h in results.hits]
        assert original in shown and "005_excerpt.txt" not in shown, shown  # both match: the original is shown
        assert results.results.total == 1
        other = "005_excerpt.txt"
        options = results.options
        row = next(i for i, r in enumerate(options.rows) if r.id == f"copy:{other}")
        assert "also in 1 other article" in options.rows[row - 1].text
        results.options.focus()
        options.highlighted = row
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one(Reader).location.name == other


async def test_an_article_opened_before_its_snippet_came_opens_at_its_first_search_term(app_env):
    """Enter on an article row whose snippet is still to come (the answer's later rows get
    theirs a moment after) opens the article where the search words first occur, as the same
    row does once its snippet came; not at the top."""
    import dataclasses

    app = _app(app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.query_one(SearchBar).value = "lithium"
        await settle(app, pilot)
        results = app.query_one(SearchResults)
        hits = [h for h in results.hits if not h.is_fact and h.spans.get("body")]
        hit = max(hits, key=lambda h: h.spans["body"][0][0])  # the one whose first match is furthest down
        first = hit.spans["body"][0][0]
        pending = dataclasses.replace(hit, detailed=False, snippet="", snippet_spans=[],
                                      spans={k: v for k, v in hit.spans.items() if k != "body"})
        results.open(pending)
        view = app.query_one(SourceView)
        await wait_for(pilot, lambda: app.query_one(Reader).article is not None and view.terms
                       and view.visible_offsets()[0] > 0, what="the article to open scrolled to its first term")
        top, bottom = view.visible_offsets()
        assert top <= first < bottom
        assert view.terms[0][0] == first  # the reader found the same first term as the snippet's


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_count_line_stays_when_notes_fill_the_header(app_env, size):
    """Notes wrap above the count; when they need more lines than the header has, they are
    cut (ending in "…") and "Nothing matches …" (or the count) is still shown whole."""
    app = _app(app_env)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        query = "[link=file:///etc/passwd]x[/link] (( e*e*e* zq*~"
        app.query_one(SearchBar).value = query
        await settle(app, pilot)
        results = app.query_one(SearchResults).results
        assert results is not None and results.total == 0 and len(results.messages) >= 2
        header = _results_header(app)
        lines = header.splitlines()
        assert len(lines) <= 3 and "Note:" in header and "…" in header
        flat = " ".join(line.strip(" ┃│") for line in lines)
        assert "Nothing matches" in flat and flat.endswith("”.")
        assert "[link=file:///etc/passwd]x[/link]" in flat
