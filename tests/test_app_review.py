"""The review screen at 80x24: accept (with old and new shown first), reject, undo, edit checks."""

from __future__ import annotations

import time

from textual.widgets import ContentSwitcher, Input, Static

from facts.suggest.store import ReviewStore
from tui.screens.review import ArticleChoices, ReviewScreen
from tui.screens.review_confirm import ConfirmUpdate
from tui.screens.review_edit import EditSuggestion
from tui.widgets.suggestion_list import SuggestionList

from .app_support import make_app, settle
from .suggest_support import NEW, make_corpus


async def wait_for(pilot, condition, what: str, timeout: float = 30.0) -> None:
    """Wait until `condition()` holds (the state a test asserts on), or fail naming it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause()
        if condition():
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def open_review(app, pilot) -> ReviewScreen:
    await settle(app, pilot)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.scan_done, "the article list")
    screen = app.screen
    choices = screen.query_one(ArticleChoices)
    choices.highlighted = screen.names.index(NEW)
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen.session is not None
                   and screen.query_one(ContentSwitcher).current == "review-article", "the article's suggestions")
    return screen


def _select(screen, kind: str, **fields) -> int:
    for i, s in enumerate(screen.session.suggestions):
        if s.kind == kind and all(s.values.get(k) == v for k, v in fields.items()):
            screen.query_one(SuggestionList).highlighted = i
            return i
    raise AssertionError(f"no {kind} suggestion with {fields}")


async def test_accept_an_update_shows_old_and_new_then_writes_and_reloads(tmp_path):
    root = make_corpus(tmp_path / "c")
    app = make_app(root, tmp_path / "index")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_review(app, pilot)
        index = _select(screen, "stake", holder="nissan", target="renault-group", percent=10)
        suggestion = screen.session.suggestions[index]
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmUpdate), "the old-and-new confirmation")
        shown = app.screen.query_one("#confirm-text", Static).content
        text = str(shown)
        assert "OLD (supersedes this): stake stake-nissan-in-renault" in text and "NEW:" in text
        assert "percent: 15 → 10" in text
        path = ReviewStore(root).path_for(NEW)
        assert not path.exists()  # nothing is written before the answer
        await pilot.press("y")
        await wait_for(pilot, lambda: app.kb is not None and app.kb.facts.get(suggestion.id) is not None,
                       "the accepted fact in the knowledge base")
        assert path.exists() and suggestion.id in path.read_text(encoding="utf-8")
        assert screen.session.status[index] == "accepted"
        fact = app.kb.facts.get(suggestion.id)
        assert fact.get("supersedes") == ["stake-nissan-in-renault"]
        hits = app.kb.search("cross-holdings", kind="stake")
        assert suggestion.id in {h.payload.get("id") for h in hits.hits}
        # undo takes it out of the file and the knowledge base again
        await pilot.press("u")
        await wait_for(pilot, lambda: app.kb.facts.get(suggestion.id) is None, "the fact gone after undo")
        assert index not in screen.session.status


async def test_reject_is_remembered_and_undone(tmp_path):
    root = make_corpus(tmp_path / "c")
    app = make_app(root, tmp_path / "index")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        index = _select(screen, "partnership", status="in-talks")
        key = screen.session.suggestions[index].key
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.session.status.get(index) == "rejected", "the rejection")
        assert key in ReviewStore(root).rejected()
        await pilot.press("u")
        await wait_for(pilot, lambda: index not in screen.session.status, "the undone rejection")
        assert key not in ReviewStore(root).rejected()
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.session.status.get(index) == "rejected", "the rejection again")
        await pilot.press("escape")  # back to the list: the article is read again without it
        await wait_for(pilot, lambda: screen.scan_done and screen.query_one(ContentSwitcher).current == "review-articles",
                       "the list")
        screen.query_one(ArticleChoices).highlighted = screen.names.index(NEW)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.session is not None, "the article again")
        assert key not in {s.key for s in screen.session.suggestions}


async def test_edit_checks_as_you_type(tmp_path):
    root = make_corpus(tmp_path / "c")
    app = make_app(root, tmp_path / "index")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        index = _select(screen, "stake", holder="nissan", target="renault-group")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditSuggestion), "the edit form")
        form = app.screen
        holder = form.query_one("#field-holder", Input)
        holder.value = "nisan"
        await wait_for(pilot, lambda: any("did you mean 'nissan'" in m for m in form.messages), "the checker")
        assert "did you mean 'nissan'" in str(form.query_one("#edit-problems", Static).content)
        await pilot.press("ctrl+s")  # refused while there are problems
        assert app.screen is form
        holder.value = "nissan"
        form.query_one("#field-percent", Input).value = "12"
        await wait_for(pilot, lambda: form.messages == [], "a clean check")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, "the review again")
        assert screen.session.suggestions[index].values["percent"] == 12


async def test_hostile_article_text_is_shown_literally(tmp_path):
    root = make_corpus(tmp_path / "c")
    (root / "seeds" / "003_hostile.txt").write_text(
        "Hostile\n\n[bold red]Renault[/] is in talks with Volkswagen about \x1b]52;c;AAAA\x07[link=x]cars[/link].\n",
        encoding="utf-8")
    app = make_app(root, tmp_path / "index")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.scan_done, "the list")
        screen = app.screen
        screen.query_one(ArticleChoices).highlighted = screen.names.index("003_hostile.txt")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.session is not None, "the hostile article's suggestions")
        source = str(screen.query_one("#suggestion-source-text", Static).content)
        assert "[bold red]Renault[/]" in source and "[link=x]cars[/link]" in source
        assert "\x1b" not in source and "\x07" not in source


async def test_palette_opens_the_review_and_pane_keys_wait_under_it(tmp_path):
    root = make_corpus(tmp_path / "c")
    app = make_app(root, tmp_path / "index")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        for ch in "review suggested":
            await pilot.press("space" if ch == " " else ch)
        await wait_for(pilot, lambda: "Review suggested facts" in str(app.screen.query("CommandList").first()
                                                                       .get_option_at_index(0).prompt)
                       if app.screen.query("CommandList") and app.screen.query("CommandList").first().option_count
                       else False, "the palette's hit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.scan_done, "the review")
        depth = len(app.screen_stack)
        for key in ("ctrl+r", "slash", "x", "1", "tab"):
            await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and len(app.screen_stack) == depth
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(app.screen_stack) == 1, "the main screen again")


async def test_accepted_facts_go_to_the_library_never_the_corpus(tmp_path):
    from facts.corpus import Corpus
    from tui.app import AllianceApp

    root = make_corpus(tmp_path / "c")
    library = tmp_path / "lib"  # does not exist yet
    before = {p.name: p.read_bytes() for p in (root / "facts").iterdir()}
    app = AllianceApp(Corpus.open(root, library), tmp_path / "index")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        index = _select(screen, "partnership", status="in-talks")
        suggestion = screen.session.suggestions[index]
        await pilot.press("a")
        await wait_for(pilot, lambda: app.kb.facts.get(suggestion.id) is not None, "the fact from the library")
    assert (library / "facts" / "suggested-002_news.yaml").is_file()
    assert {p.name: p.read_bytes() for p in (root / "facts").iterdir()} == before


async def test_an_article_changed_under_the_review_is_refused_with_a_message(tmp_path):
    root = make_corpus(tmp_path / "c")
    app = make_app(root, tmp_path / "index")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_review(app, pilot)
        index = _select(screen, "partnership", status="in-talks")
        article = root / "seeds" / NEW
        article.write_text(article.read_text(encoding="utf-8").replace("in talks with", "no longer near"),
                           encoding="utf-8")
        await pilot.press("a")
        await wait_for(pilot, lambda: any("no longer in" in n.message for n in app._notifications),
                       "the refusal")
        assert not ReviewStore(root).path_for(NEW).exists()
        assert index not in screen.session.status  # still undecided: nothing lost
