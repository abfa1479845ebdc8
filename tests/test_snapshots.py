"""Snapshots of the real app on a temporary index (review the report before updating)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from .app_support import make_app, settle
from .conftest import copy_corpus


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from search.kb import KnowledgeBase

    base = tmp_path_factory.mktemp("snap")
    corpus = copy_corpus(base / "corpus")
    KnowledgeBase.open(corpus, base / "index").ensure()
    return corpus, base / "index"


def _ready(then=None):
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        for box in app.query(Input):
            box.cursor_blink = False
        if then is not None:
            await then(app, pilot)
            await settle(app, pilot)

    return run_before


def test_main_screen_80x24(snap_compare, env):
    assert snap_compare(make_app(*env), terminal_size=(80, 24), run_before=_ready())


def test_main_screen_120x40(snap_compare, env):
    assert snap_compare(make_app(*env), terminal_size=(120, 40), run_before=_ready())


def test_help_screen(snap_compare, env):
    assert snap_compare(make_app(*env), terminal_size=(80, 24), press=["f1"], run_before=_ready())


def test_search_with_results(snap_compare, env):
    async def search(app, pilot):
        app.query_one("#search", Input).value = "AmpR Small"

    assert snap_compare(make_app(*env), terminal_size=(80, 24), run_before=_ready(search))


def test_selected_fact_in_source(snap_compare, env):
    async def open_fact(app, pilot):
        app.main.open_fact("role-makoto-uchida-nissan-ceo")

    assert snap_compare(make_app(*env), terminal_size=(80, 24), run_before=_ready(open_fact))


def test_wide_with_company_selected(snap_compare, env):
    async def select(app, pilot):
        app.main.company = "nissan"
        app.main.open_entity("nissan")

    assert snap_compare(make_app(*env), terminal_size=(200, 60), run_before=_ready(select))
