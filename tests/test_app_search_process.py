"""The app searches in its search process, typed fast; it keeps searching when that process dies or cannot start."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from tui.widgets.search_bar import SearchBar
from tui.widgets.search_results import PAGE, SearchResults

from .app_support import make_app, screen_text, settle, type_text, wait_for
from .conftest import copy_corpus
from .test_search_process import gone


@pytest.fixture(scope="module")
def app_env(tmp_path_factory):
    from search.kb import KnowledgeBase

    base = tmp_path_factory.mktemp("app-process")
    corpus = copy_corpus(base / "corpus")
    KnowledgeBase.open(corpus, base / "index").ensure()
    return corpus, base / "index"


def shows(app, text: str):
    results = app.query_one(SearchResults)
    return lambda: results.results is not None and results.results.query == text


def uids(app) -> list[str]:
    return [h.uid for h in app.query_one(SearchResults).hits]


async def test_results_typed_fast_come_from_the_search_process(app_env):
    app = make_app(*app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await wait_for(pilot, lambda: app.searches.process.ready, what="the search process")
        await pilot.press("slash")
        await type_text(pilot, "battery chemistry")  # no wait between keys
        await wait_for(pilot, shows(app, "battery chemistry"), what="the results of the whole query")
        await settle(app, pilot)
        assert app.query_one(SearchBar).value == "battery chemistry"
        assert uids(app) == [h.uid for h in app.kb.search("battery chemistry", limit=PAGE).hits]
        assert app.searches.answered["process"] >= 1 and app.searches.answered["thread"] == 0
        assert "for “battery chemistry”" in screen_text(app)
        pid = app.searches.process.pid
    assert gone(pid)  # no process left after quitting


async def test_a_killed_search_process_loses_no_search_and_comes_back(app_env):
    app = make_app(*app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        process = app.searches.process
        await wait_for(pilot, lambda: process.ready, what="the search process")
        first = process.pid
        os.kill(first, signal.SIGKILL)
        await pilot.press("slash")
        await type_text(pilot, "nissan")
        await wait_for(pilot, shows(app, "nissan"), what="the results while the process is dead or restarting")
        assert uids(app) == [h.uid for h in app.kb.search("nissan", limit=PAGE).hits]
        await wait_for(pilot, lambda: process.ready and process.pid != first, what="a new search process")
        assert gone(first)
        before = app.searches.answered["process"]
        await type_text(pilot, " ceo")
        await wait_for(pilot, shows(app, "nissan ceo"), what="the results from the new process")
        await settle(app, pilot)
        assert app.searches.answered["process"] > before
        text = screen_text(app)
        assert "Traceback" not in text and "went wrong" not in text


async def test_the_app_searches_on_its_thread_when_no_search_process_can_start(app_env, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    app = make_app(*app_env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "renault")
        await wait_for(pilot, shows(app, "renault"), what="the results from the service thread")
        await settle(app, pilot)
        process = app.searches.process
        assert not process.ready and process.pid is None
        assert "cannot start" in process.last_exit
        assert app.searches.answered == {"process": 0, "thread": app.searches.answered["thread"]}
        assert app.searches.answered["thread"] >= 1
        assert uids(app) == [h.uid for h in app.kb.search("renault", limit=PAGE).hits]
        text = screen_text(app)
        assert "Traceback" not in text and "went wrong" not in text
