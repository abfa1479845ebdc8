"""Full garbage collections in the app wait for a pause in the typing (tui/collector.py)."""

from __future__ import annotations

import gc
import time

import pytest

from tui.collector import GEN1_PER_FULL, QUIET

from .app_support import make_app, settle, wait_for
from .conftest import copy_corpus


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from search.kb import KnowledgeBase

    base = tmp_path_factory.mktemp("collector")
    corpus = copy_corpus(base / "corpus")
    KnowledgeBase.open(corpus, base / "index").ensure()
    return corpus, base / "index"


def full_collections() -> int:
    return gc.get_stats()[2]["collections"]


async def test_a_full_collection_waits_until_the_keys_stop(env):
    default = gc.get_threshold()
    app = make_app(*env)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        collector = app.collector
        await wait_for(pilot, lambda: collector._timer is not None, what="the collector taking over")
        assert gc.get_threshold()[2] == GEN1_PER_FULL and gc.get_freeze_count() > 0
        before = time.monotonic()
        await pilot.press("slash", "n")
        assert collector.last_key >= before, "keys are seen"
        collector.key()
        done = full_collections()
        collector._check()
        assert full_collections() == done, "not right after a key"
        collector.last_key -= QUIET
        collector._check()
        assert full_collections() == done + 1
        collector._check()
        assert full_collections() == done + 1, "once per pause"
    assert gc.get_threshold() == default, "Python's schedule is given back"
