"""Lineup rows that do not fit end with '…', and the tree never scrolls sideways."""

from __future__ import annotations

import pytest

from tui.widgets.lineup_tree import LineupTree

from .app_support import make_app, screen_strips, settle, wait_for
from .conftest import copy_corpus


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from search.kb import KnowledgeBase

    base = tmp_path_factory.mktemp("lineup")
    corpus = copy_corpus(base / "corpus")
    KnowledgeBase.open(corpus, base / "index").ensure()
    return corpus, base / "index"


def _tree_rows(app, tree) -> list[str]:
    region = tree.content_region
    return [strip.text[region.x:region.right] for strip in screen_strips(app)[region.y:region.bottom]]


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (200, 60)])
async def test_long_rows_end_with_an_ellipsis_and_nothing_scrolls_sideways(env, size):
    app = make_app(*env)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        tree = app.query_one(LineupTree)
        await wait_for(pilot, lambda: tree.has_focus and tree.region.width > 0, what="the lineup on screen")
        await settle(app, pilot)
        room = tree.scrollable_content_region.width
        assert tree.virtual_size.width <= room, "no row is wider than the pane"
        assert not tree.show_horizontal_scrollbar
        rows = [row.rstrip() for row in _tree_rows(app, tree)]
        if size == (60, 20):  # "Unnamed Ampere model (second of two yet to be unveiled)" does not fit
            assert any(row.endswith("…") for row in rows), rows
        for row in rows:
            assert len(row) <= tree.region.width
        assert any(row.strip() for row in rows), "the lineup has rows"


async def test_rows_grow_back_when_the_pane_widens(env):
    app = make_app(*env)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        tree = app.query_one(LineupTree)
        await wait_for(pilot, lambda: tree.has_focus and tree.region.width > 0, what="the lineup on screen")
        await settle(app, pilot)
        cut = sum(row.rstrip().endswith("…") for row in _tree_rows(app, tree))
        assert cut
        await pilot.resize_terminal(119, 24)  # still one pane at a time, now wider
        await wait_for(pilot, lambda: tree.scrollable_content_region.width > 100, what="a wider lineup")
        await settle(app, pilot)
        assert sum(row.rstrip().endswith("…") for row in _tree_rows(app, tree)) < cut
