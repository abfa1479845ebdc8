"""Focus follows what is on screen, Escape goes back, `/` starts afresh, the too-small screen
comes and goes, and what the app offers and shows at 80x24 (NO_COLOR included)."""

from __future__ import annotations

import pytest

from tui.screens.help import HelpScreen
from tui.screens.too_small import TooSmallScreen
from tui.widgets.company_list import CompanyOptions
from tui.widgets.narrowing_label import NarrowingLabel
from tui.widgets.partnership_table import MIN_COVERS, PartnershipGrid, PartnershipTable
from tui.widgets.reader import Reader
from tui.widgets.search_bar import SearchBar
from tui.widgets.search_results import ResultOptions, SearchResults
from tui.widgets.source_view import SourceView

from .app_support import (
    enabled_actions,
    make_app,
    screen_strips,
    screen_text,
    settle,
    type_text,
    visible_panes,
    wait_for,
)
from .conftest import copy_corpus


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from search.kb import KnowledgeBase

    base = tmp_path_factory.mktemp("focus")
    corpus = copy_corpus(base / "corpus")
    KnowledgeBase.open(corpus, base / "index").ensure()
    return corpus, base / "index"


async def _search(app, pilot, text: str) -> None:
    await pilot.press("slash")
    await type_text(pilot, text)
    await settle(app, pilot)


# -- focus follows what is on screen ------------------------------------------------------------

async def test_a_quote_opened_on_a_fresh_start_takes_the_focus(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await _search(app, pilot, "nissan ceo")
        await pilot.press("down", "j")
        await settle(app, pilot)
        assert app.focused is app.query_one(ResultOptions)
        fact_id = app.query_one(SearchResults).selected_fact_id()
        assert fact_id
        await pilot.press("o")
        await settle(app, pilot)
        view = app.query_one(SourceView)
        assert visible_panes(app) == {"reader"}
        assert app.focused is view, "the pane on screen has the focus the first time"
        assert "next_highlight" in enabled_actions(app), "the footer shows the source's keys"
        await wait_for(pilot, lambda: view.highlights, what="the highlights")
        await pilot.press("n")
        assert view.current >= 0
        assert app.query_one(Reader).location.fact_id == fact_id


async def test_the_too_small_screen_comes_and_goes_with_the_focus(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await _search(app, pilot, "renault")
        await pilot.press("down")
        options = app.query_one(ResultOptions)
        assert app.focused is options
        before = options.highlighted
        await pilot.resize_terminal(40, 10)
        await wait_for(pilot, lambda: isinstance(app.screen, TooSmallScreen), what="the too-small screen")
        await pilot.pause()
        message = str(app.screen.query_one("#too-small").render())
        assert "this one is 40x10" in message, message
        await pilot.press("a", "b", "question_mark", "slash", "tab", "j")
        await pilot.resize_terminal(50, 12)
        await wait_for(pilot, lambda: "50x12" in str(app.screen.query_one("#too-small").render()), what="the new size")
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: not isinstance(app.screen, TooSmallScreen), what="the panes again")
        assert app.query_one(SearchBar).value == "renault", "keys typed meanwhile went nowhere"
        assert app.focused is options and options.highlighted == before
        await pilot.press("j")
        assert options.highlighted == before + 1


async def test_help_shrunk_and_grown_again_is_not_drawn_over(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.resize_terminal(40, 10)
        await wait_for(pilot, lambda: isinstance(app.screen, TooSmallScreen), what="the too-small screen")
        await pilot.pause()
        assert "Keys" not in screen_text(app), "help is covered, not drawn over the message"
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help again")


# -- `/` and the search history ----------------------------------------------------------------

async def test_slash_starts_a_fresh_query_and_up_recalls_older_ones(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        bar = app.query_one(SearchBar)
        await _search(app, pilot, "AmpR Small")
        await pilot.press("escape")
        await _search(app, pilot, "nissan ceo")
        assert bar.value == "nissan ceo", "the new query replaced the old one"
        await pilot.press("down")
        await pilot.press("slash", "up")
        assert bar.value == "nissan ceo"
        await pilot.press("up")
        assert bar.value == "AmpR Small"
        await pilot.press("up")
        assert bar.value == "AmpR Small", "the oldest stays"


async def test_slash_shows_the_results_at_once_and_escape_before_typing_goes_back(env):
    """On a narrow screen `/` shows the results pane with the box (the screen is laid out
    then, not on the first key typed); Escape before typing returns to the pane it replaced,
    Escape after typing stays on the results."""
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert visible_panes(app) == {"lineup"}
        await pilot.press("slash")
        await settle(app, pilot)
        assert visible_panes(app) == {"results"} and isinstance(app.focused, SearchBar)
        assert "Type to search articles and facts." in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert visible_panes(app) == {"lineup"} and app.main.pane_of(app.focused) == "lineup"
        await pilot.press("slash")
        await type_text(pilot, "nissan")
        await settle(app, pilot)
        assert visible_panes(app) == {"results"}
        await pilot.press("escape")
        await settle(app, pilot)
        assert visible_panes(app) == {"results"} and app.focused is app.query_one(ResultOptions)
        await pilot.press("1", "slash", "tab")  # the focus went elsewhere: Escape has nothing to undo
        await settle(app, pilot)
        assert not isinstance(app.focused, SearchBar)
        assert app.main._pane_before_search is None


# -- Escape: back, never quit -----------------------------------------------------------------

async def test_escape_goes_back_one_step_and_never_quits(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        await _search(app, pilot, "Uchida CEO kind:role")
        await pilot.press("enter")
        await settle(app, pilot)
        assert visible_panes(app) == {"reader"}
        await pilot.press("escape")
        assert visible_panes(app) == {"results"} and app.focused is app.query_one(ResultOptions)
        await pilot.press("3", "s")
        table = app.query_one(PartnershipTable)
        assert table.status == "active"
        await pilot.press("escape")
        assert table.status is None, "Escape clears the pane's filter"
        app.main.company = "nissan"
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.main.company is None, "then the company narrowing"
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        assert app.is_running
        assert any("ctrl+q" in n.message for n in app._notifications)


# -- search: narrowing label, corrected queries --------------------------------------------------

async def test_the_narrowing_shows_beside_the_search_box_and_clears_from_there(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        label = app.query_one(NarrowingLabel)
        assert not label.display
        app.main.company = "nissan"
        await settle(app, pilot)
        assert label.display and "company: Nissan" in str(label.render())
        assert "company: Nissan" in screen_text(app).splitlines()[0]
        await _search(app, pilot, "ampere ipo")
        results = app.query_one(SearchResults)
        assert results.hits and any(not h.all_words for h in results.hits), "some of the words, under the narrowing"
        await pilot.press("ctrl+u")  # empty the box
        await pilot.press("backspace")
        await settle(app, pilot)
        assert app.main.company is None and not label.display


async def test_a_corrected_query_highlights_what_was_searched(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await _search(app, pilot, "renualt")
        results = app.query_one(SearchResults)
        assert results.results.corrected_from == "renualt" and results.searched == "renault"
        app.main.open_article("002_2d0dbaa153dea599.txt")  # a Reuters article on Renault
        await settle(app, pilot)
        view = app.query_one(SourceView)
        assert view.terms, "the corrected word is highlighted"
        assert {view.text[a:b].lower() for a, b in view.terms} == {"renault"}


# -- what is offered --------------------------------------------------------------------------

async def test_quote_and_copy_are_offered_only_on_a_fact(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        assert not {"open_quote", "copy"} & enabled_actions(app)
        app.main.open_article("003_3476ec60bf69c91f.txt")
        await settle(app, pilot)
        assert app.focused is app.query_one(SourceView)
        assert not {"open_quote", "copy"} & enabled_actions(app)
        app.main.open_fact("role-makoto-uchida-nissan-ceo")
        await settle(app, pilot)
        assert {"open_quote", "copy"} <= enabled_actions(app)
        assert "cancel" in enabled_actions(app)


async def test_footer_at_80_columns_shows_back(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.main.open_fact("role-makoto-uchida-nissan-ceo")
        await settle(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "esc Back" in footer, footer


# -- reading and tables -----------------------------------------------------------------------

async def test_the_quote_header_has_the_note_and_two_lines_at_most(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        base = app.kb.facts
        fact = next(f for f in base.facts.values() if f.note and "NMC" in f.note)
        app.main.open_fact(fact.id)
        await settle(app, pilot)
        header = app.query_one("#reader-header")
        rows = screen_text(app).splitlines()[header.region.y:header.region.bottom]
        text = " ".join(" ".join(rows).replace("┃", " ").split())
        assert "Note:" in text and "NMC" in text, text
        assert header.region.height <= 4, "title, source line, and the fact in two lines"


async def test_one_fact_is_one_fact(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        base = app.kb.facts
        one = next(f for f in base.facts.values() if "name" in f.values and base.count_for(f.id) == 1)
        app.main.open_entity(one.id)
        await settle(app, pilot)
        header = app.query_one("#reader-header")
        text = " ".join(screen_text(app).splitlines()[header.region.y:header.region.bottom])
        assert "· 1 fact" in text and "1 facts" not in text, text


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_partnership_cells_end_with_an_ellipsis_and_covers_fills_the_width(env, size):
    app = make_app(*env)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        grid = app.query_one(PartnershipGrid)
        assert not grid.show_horizontal_scrollbar, "nothing to scroll sideways"
        covers = grid.columns["covers"]
        used = sum(c.get_render_width(grid) for c in grid.columns.values())
        room = grid.scrollable_content_region.width
        assert used == room or (covers.width == MIN_COVERS and used > room), "Covers takes the room left"
        rows = [strip.text for strip in screen_strips(app)]
        assert any("…" in row for row in rows), "a cut cell says so"
        line = str(app.query_one("#partnership-filter").render())
        assert "s: any > active > announced > in talks > planned > ended" in line
        assert covers.width > MIN_COVERS


async def test_no_color_cursor_and_quote_are_underlined_not_shaded(env, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        options = app.query_one(CompanyOptions)
        assert options.highlighted == 0
        row = options.region.y  # the first option, under the cursor
        strip = screen_strips(app)[row]
        cursor = [seg.style for seg in strip if seg.text.strip() and seg.style and seg.text.strip() not in "┃│"]
        assert cursor and all(style.bold and style.underline for style in cursor), "the cursor row is bold, underlined"
        app.main.open_fact("role-makoto-uchida-nissan-ceo")
        await settle(app, pilot)
        view = app.query_one(SourceView)
        quote = view.get_component_rich_style("source-view--quote", partial=True)
        assert quote.underline and quote.bold and quote.bgcolor is None


# -- the palette and help come from the bindings -------------------------------------------------

async def test_the_palette_offers_each_key_and_runs_it_where_it_applies(env):
    from tui.widgets.lineup_tree import LineupTree

    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        items = {item.action: item for item in app.palette_actions()}
        help_keys = {b.action for _, group in app.binding_groups() for b in group if b.tooltip}
        assert {"cycle_grouping", "cycle_status", "toggle_raw", "next_source", "open_quote", "cancel"} <= set(items)
        assert set(items) <= help_keys, "nothing in the palette that help does not list"
        assert items["cycle_grouping"].target is LineupTree and items["cycle_grouping"].help == "b in lineup"
        tree = app.query_one(LineupTree)
        assert tree.grouping == "maker"
        await pilot.press("ctrl+p")
        await type_text(pilot, "group by")
        await wait_for(pilot, lambda: "Group by: group the lineup" in screen_text(app), what="the command")
        await pilot.press("enter")
        await wait_for(pilot, lambda: tree.grouping == "platform", what="the lineup regrouped")
