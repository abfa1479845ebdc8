"""Snippets after the first screenful: `detail` in the engine, the search process and the app."""

from __future__ import annotations

from multiprocessing import Pipe

import pytest

from search.client import Request, SearchProcess
from search.engine import Cancelled
from search.results import Hit, Results
from search.server import DETAILS, RESULTS, SEARCH, Server

from .test_search_process import TIMEOUT, Answers, gone, wait_until

QUERY = "electric vehicle"  # articles among facts, after the first hits


def _shown(hit: Hit) -> tuple:
    return hit.uid, hit.spans, hit.snippet, hit.snippet_spans


def _late(results: Results, detail: int) -> list[Hit]:
    late = [h for h in results.hits[detail:] if not h.is_fact]
    assert late, "the query should have articles after the first hits"
    return late


def test_articles_after_the_first_hits_come_without_snippets_then_as_in_a_full_search(kb):
    full = kb.search(QUERY)
    first = kb.search(QUERY, detail=2)
    assert [h.uid for h in first.hits] == [h.uid for h in full.hits] and first.total == full.total
    assert all(h.detailed for h in first.hits[:2]) and all(h.detailed for h in first.hits if h.is_fact)
    for hit in _late(first, 2):
        assert not hit.detailed and hit.snippet == "" and "body" not in hit.spans
    filled = kb.detail_later(first)
    assert [h.uid for h in filled] == [h.uid for h in _late(first, 2)]
    by_uid = {h.uid: h for h in full.hits}
    assert all(h.detailed and _shown(h) == _shown(by_uid[h.uid]) for h in filled)
    assert kb.detail_later(first) == [], "given once"


def test_details_are_those_of_the_last_search_only(kb):
    first = kb.search(QUERY, detail=1)
    kb.search("battery", detail=1)
    assert kb.detail_later(first) == []  # a newer search replaced the one they belonged to


def test_details_stop_when_cancelled(kb):
    first = kb.search(QUERY, detail=0)
    with pytest.raises(Cancelled):
        kb.detail_later(first, cancelled=lambda: True)


def test_the_server_sends_the_results_then_their_details(kb):
    requests, rx = Pipe()
    tx, replies = Pipe()
    server = Server(kb, rx, tx)
    requests.send((SEARCH, 1, QUERY, None, 20, None, 2))
    import threading

    runner = threading.Thread(target=server.serve)
    runner.start()
    kind, seq, results = replies.recv()
    assert (kind, seq) == (RESULTS, 1) and any(not h.detailed for h in results.hits)
    kind, seq, details = replies.recv()
    assert (kind, seq) == (DETAILS, 1)
    assert [uid for uid, *_ in details] == [h.uid for h in _late(results, 2)]
    full = {h.uid: h for h in kb.search(QUERY).hits}
    assert all((uid, spans, snippet, spans2) == _shown(full[uid]) for uid, spans, snippet, spans2 in details)
    requests.close()
    runner.join(TIMEOUT)
    assert not runner.is_alive()


def test_the_process_answers_twice_and_is_busy_until_the_details_came(kb):
    proc = SearchProcess(kb)
    try:
        assert proc.start()
        wait_until(lambda: proc.ready, "the search process to be ready")
        answers = Answers()
        assert proc.search(Request(QUERY, 20, detail=2), answers)
        wait_until(lambda: len(answers.got) == 2, "the results and their details")
        assert proc.idle()
        early, late = answers.got
        assert any(not h.detailed for h in early.hits) and all(h.detailed for h in late.hits)
        full = kb.search(QUERY)
        assert [_shown(h) for h in late.hits] == [_shown(h) for h in full.hits]
        assert (late.total, late.query) == (full.total, full.query)
    finally:
        pid = proc.pid
        proc.close()
    assert pid is None or gone(pid)


def test_details_that_could_not_be_made_leave_no_row_waiting(kb):
    """The search process sends an empty list when making the later snippets failed: those
    hits are then final (shown without a snippet), never left as still to come."""
    from search.client import _with_details

    first = kb.search(QUERY, detail=2)
    late = _late(first, 2)
    shown = _with_details(first, [])
    assert all(h.detailed for h in shown.hits)
    assert [h.uid for h in shown.hits] == [h.uid for h in first.hits]
    by_uid = {h.uid: h for h in shown.hits}
    assert all(by_uid[h.uid].snippet == "" and "body" not in by_uid[h.uid].spans for h in late)
    some = _with_details(first, [(h.uid, h.spans, h.snippet, h.snippet_spans) for h in kb.detail_later(first)[:1]])
    assert all(h.detailed for h in some.hits) and some.hits != shown.hits
