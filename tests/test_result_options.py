"""The results list (ResultOptions), driven as a user drives it: keys, Enter on each kind of
row, long lists scrolled, untrusted titles, and answers that replace each other."""

from __future__ import annotations

import pytest

from tui.widgets.reader import Reader
from tui.widgets.result_options import ResultOptions, Row
from tui.widgets.search_bar import SearchBar
from tui.widgets.search_results import PAGE, SearchResults

from .app_support import make_app, screen_strips, screen_text, settle, type_text, wait_for
from .conftest import copy_corpus, write


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from search.kb import KnowledgeBase

    base = tmp_path_factory.mktemp("result-options")
    corpus = copy_corpus(base / "corpus")
    KnowledgeBase.open(corpus, base / "index").ensure()
    return corpus, base / "index"


async def _search(app, pilot, text: str) -> SearchResults:
    await pilot.press("slash")
    await type_text(pilot, text)
    await settle(app, pilot)
    results = app.query_one(SearchResults)
    assert results.results is not None and results.results.query == text
    return results


def _ids(options: ResultOptions) -> list[str | None]:
    return [row.id for row in options.rows]


def _cursor_line(app, options: ResultOptions) -> str:
    """The first screen line of the row under the cursor (it must be on screen)."""
    top = len(options._head) + options._tops[options.highlighted] - options.scroll_offset.y
    assert len(options._head) <= top < options.scrollable_content_region.height, "the cursor row is on screen, under the header"
    return screen_text(app).splitlines()[options.region.y + top]


async def test_the_cursor_skips_headings_and_pages_through_the_list(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        results = await _search(app, pilot, "nissan renualt")
        options = results.options
        ids = _ids(options)
        assert ids[0] == "suggest:nissan renault" and ids[1] is None, "a suggestion, then the 'some of the words' line"
        assert "Matching some of the words:" in options.rows[1].text
        assert options.highlighted == 0
        await pilot.press("down")  # from the box to the list
        assert app.focused is options
        await pilot.press("j")
        assert options.highlighted == 2, "the heading is skipped"
        await pilot.press("k")
        assert options.highlighted == 0
        await pilot.press("k")
        assert options.highlighted == 0, "the top stays the top"
        await pilot.press("pagedown")
        paged = options.highlighted
        assert paged > 2 and options.rows[paged].selectable
        await pilot.press("pageup")
        assert options.highlighted < paged
        await pilot.press("end")
        assert options.highlighted == max(i for i, r in enumerate(options.rows) if r.selectable)
        await pilot.press("home")
        assert options.highlighted == 0
        await pilot.press("G")
        await settle(app, pilot)
        assert options.rows[options.highlighted].text in _cursor_line(app, options), "the last row is scrolled to"
        assert options.scroll_offset.y > 0


async def test_enter_on_a_suggestion_searches_for_it(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        results = await _search(app, pilot, "nissan renualt")
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert app.query_one(SearchBar).value == "nissan renault"
        assert results.results.query == "nissan renault" and results.results.suggestion is None


async def test_enter_on_a_fact_and_on_an_article_opens_them(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        results = await _search(app, pilot, "Uchida CEO")
        options = results.options
        kinds = {results.hits[int(r.id.split(":")[1])].is_fact: i
                 for i, r in enumerate(options.rows) if (r.id or "").startswith("hit:")}
        assert set(kinds) == {True, False}, "both a fact and an article are found"
        for is_fact, index in sorted(kinds.items()):
            hit = results.hits[int(options.rows[index].id.split(":")[1])]
            options.focus()
            options.highlighted = index
            await pilot.press("enter")
            await settle(app, pilot)
            location = app.query_one(Reader).location
            if is_fact:
                assert location.kind == "entity" or location.fact_id == hit.id
            else:
                assert location.kind == "article" and location.name == hit.id
            await pilot.press("escape")
            await settle(app, pilot)


async def test_more_keeps_the_cursor_and_a_long_list_scrolls(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        results = await _search(app, pilot, "renault")
        options = results.options
        options.focus()
        for page in (1, 2):
            await pilot.press("G")
            assert options.rows[options.highlighted].id == "more"
            assert "Show 20 more results" in _cursor_line(app, options)
            await pilot.press("enter")
            await settle(app, pilot)
            assert len(results.hits) == (page + 1) * PAGE
            assert options.highlighted_row.id == f"hit:{page * PAGE}", "the cursor is on the first new result"
            assert options.highlighted_row.text.splitlines()[0][:40] in _cursor_line(app, options)
        assert not options.filling and options.virtual_size.height == len(options._head) + len(options._lines)
        assert options.virtual_size.height > 3 * options.scrollable_content_region.height


async def test_markup_in_a_title_is_shown_literally(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    write(corpus / "seeds" / "900_evil.txt",
          "Evil [bold red]zeppelin[/] and [@click=app.quit]here[/]\n\nThe zeppelin \x1b[31mred\x1b[0m story.\n")
    app = make_app(corpus, tmp_path / "index")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        results = await _search(app, pilot, "zeppelin")
        assert [h.id for h in results.hits] == ["900_evil.txt"]
        text = screen_text(app)
        assert "Evil [bold red]zeppelin[/] and [@click=app.quit]here[/]" in text
        assert "\x1b" not in "".join(seg.text for strip in screen_strips(app) for seg in strip)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert app.is_running and app.query_one(Reader).location.name == "900_evil.txt"


async def test_a_newer_answer_replaces_one_still_being_laid_out(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await _search(app, pilot, "renault")
        options = app.query_one(ResultOptions)
        older = [Row(lambda n=n: [(_text(f"older row {n}"), 0)], id=f"old:{n}") for n in range(200)]
        newer = [Row(lambda n=n: [(_text(f"newer row {n}"), 2)], id=f"new:{n}") for n in range(30)]
        options.set_rows(older)
        assert options.filling, "200 rows are not laid out at once"
        options.set_rows(newer, cursor=3)
        await settle(app, pilot)
        assert not options.filling and len(options._strips) == 30 and options.highlighted == 3
        text = screen_text(app)
        assert "older row" not in text and "  newer row 0" in text
        await wait_for(pilot, lambda: options.virtual_size.height == len(options._head) + 30, what="the newer rows' height")


async def test_typed_fast_only_the_last_answer_is_shown(env):
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "renault")
        await pilot.press(*["backspace"] * 7)
        await type_text(pilot, "battery")
        await settle(app, pilot)
        results = app.query_one(SearchResults)
        assert results.results.query == "battery"
        expected = [h.uid for h in app.kb.search("battery", limit=PAGE).hits]
        assert [h.uid for h in results.hits] == expected
        shown = [r.id for r in results.options.rows if (r.id or "").startswith("hit:")]
        assert len(shown) == len(expected)
        assert "for “battery”" in screen_text(app)


async def test_no_color_cursor_row_is_bold_and_underlined(env, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        results = await _search(app, pilot, "AmpR Small")
        options = results.options
        await pilot.press("down", "j")
        await settle(app, pilot)
        top = options.region.y + len(options._head) + options._tops[options.highlighted] - options.scroll_offset.y
        cursor = [seg.style for seg in screen_strips(app)[top] if seg.text.strip() and seg.style
                  and seg.text.strip() not in "┃│"]
        assert cursor and all(s.bold and s.underline for s in cursor), "the cursor row is bold, underlined"
        other = [seg.style for seg in screen_strips(app)[top - 1] if seg.text.strip() and seg.style
                 and seg.text.strip() not in "┃│"]
        assert not any(s.underline for s in other), "the row above is not"


def _text(plain: str):
    from rich.text import Text

    return Text(plain)


async def test_an_open_article_is_highlighted_again_where_the_reader_is(env):
    from tui.widgets.source_view import SourceView

    app = make_app(*env)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        app.main.open_article("003_3476ec60bf69c91f.txt")
        await settle(app, pilot)
        view = app.query_one(SourceView)
        assert view.max_scroll_y > 5, "the article is longer than the pane"
        view.scroll_to(y=5, animate=False)
        await settle(app, pilot)
        for word in ("nissan", "renault", "nissan"):
            app.query_one(SearchBar).value = word
            await settle(app, pilot)
            assert view.terms and {view.text[a:b].lower() for a, b in view.terms} == {word}
            assert view.scroll_offset.y == 5, "the reader stays where it was"
        app.query_one(SearchBar).value = ""
        await settle(app, pilot)
        assert view.terms == []


async def test_snippets_after_the_first_screenful_follow(env):
    """The search process answers with the first DETAIL hits' snippets, then with all of them:
    the rows are drawn again with their snippets."""
    from tui.widgets.search_results import DETAIL

    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await wait_for(pilot, lambda: app.searches.process is not None and app.searches.process.ready,
                       what="the search process")
        results = await _search(app, pilot, "electric vehicle")
        late = [(i, h) for i, h in enumerate(results.hits) if i >= DETAIL and not h.is_fact]
        assert late, "articles after the first screenful"
        assert all(h.detailed for h in results.hits), "the details came (settle waits for them)"
        assert app.searches.answered["process"] >= 2
        for index, hit in late:
            row = next(r for r in results.options.rows if r.id == f"hit:{index}")
            assert hit.snippet and " ".join(hit.snippet[:30].split()) in " ".join(row.text.split()), \
                "the row shows its snippet"


async def test_an_answer_prepared_in_steps_is_shown_whole_and_a_newer_one_replaces_it(env):
    """Rows whose blocks are slow to render are prepared over several turns of the loop: the
    rows shown meanwhile stay (Enter still opens what they show); a newer answer given while
    an older one is being prepared is the one shown, and the older one's rows never are."""
    import time

    from tui.widgets.result_options import STEP_SECONDS

    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await _search(app, pilot, "renault")
        options = app.query_one(ResultOptions)
        shown_before = list(options.rows)

        def slow(label: str, n: int):
            def build():
                time.sleep(STEP_SECONDS)  # each row takes a whole step to build
                return [(_text(f"{label} row {n}"), 0), (_text(f"{label} detail {n}"), 2)]
            return build

        older = [Row(slow("older", n), id=f"old:{n}") for n in range(40)]
        newer = [Row(slow("newer", n), id=f"new:{n}") for n in range(40)]
        calls: list[str] = []
        options.prepare(older, lambda: calls.append("older"))
        assert options.preparing and options.filling and options.rows == shown_before, \
            "the older rows are not shown before they are prepared"
        options.prepare(newer, lambda: (calls.append("newer"), options.set_rows(newer)))
        await settle(app, pilot)
        assert calls == ["newer"], "only the newest answer is shown"
        assert not options.preparing and not options.filling
        assert [r.id for r in options.rows] == [f"new:{n}" for n in range(40)]
        assert len(options._strips) == 40 and options.virtual_size.height == len(options._head) + 80
        text = screen_text(app)
        assert "newer row 0" in text and "  newer detail 0" in text and "older" not in text
        options.focus()
        await pilot.press("end")
        await settle(app, pilot)
        assert "newer row 39" in _cursor_line(app, options), "the last row is laid out and drawn"


async def test_typed_fast_every_row_is_laid_out_and_drawn_once_typing_stops(env):
    """Answers replaced while their rows are prepared or laid out leave no stale row behind:
    once the last answer is in, the list holds its rows, each rendered as a fresh list would."""
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        for text in ("n", "ni", "nis", "niss", "nissan", "nissan r", "nissan re", "nissan renault"):
            app.query_one(SearchBar).value = text
            await pilot.pause()
        await settle(app, pilot)
        results = app.query_one(SearchResults)
        options = results.options
        assert results.results.query == "nissan renault"
        expected = [h.uid for h in app.kb.search("nissan renault", limit=PAGE).hits]
        assert [h.uid for h in results.hits] == expected
        assert not options.filling and len(options._strips) == len(options.rows)
        kept = [strip.text for row in options._strips for strip in row]
        options._kept.clear()
        options._strips, options._lines, options._tops = [], [], []
        options._lay_out(10**9)
        assert [strip.text for row in options._strips for strip in row] == kept, \
            "the kept blocks are the same as blocks rendered afresh"
        assert "for “nissan renault”" in screen_text(app)


async def test_end_before_the_rows_below_are_laid_out_reaches_the_last_row(env):
    """The rows below the screen are laid out only once the rows shown have stayed a moment:
    a key that needs them before that (End, PgDn) lays them out itself."""
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await _search(app, pilot, "renault")
        options = app.query_one(ResultOptions)
        rows = [Row(lambda n=n: [(_text(f"row {n}"), 0), (_text(f"detail {n}"), 2)], id=f"r:{n}") for n in range(100)]
        options.focus()
        await pilot.pause()
        options.set_rows(rows)
        assert options.filling and len(options._strips) < 100, "only the first screenful is laid out at once"
        await pilot.press("pagedown")
        assert options.highlighted > 5 and "row" in _cursor_line(app, options)
        await pilot.press("end")
        assert options.highlighted == 99
        await settle(app, pilot)
        assert "row 99" in _cursor_line(app, options)
        assert not options.filling and options.virtual_size.height == len(options._head) + 200
