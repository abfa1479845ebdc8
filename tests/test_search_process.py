"""The search process (search/server.py, search/client.py): a real child process on a real index."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from multiprocessing import Pipe
from pathlib import Path

import pytest

from search.client import RESTARTS, NotAnswered, Request, SearchProcess
from search.engine import DEFAULT_LIMIT, Cancelled
from search.kb import IndexUnavailable, KnowledgeBase
from search.results import Results
from search.server import RESULTS, SEARCH, Server

from .conftest import write

TIMEOUT = 60.0  # seconds: a busy machine may take long to start a Python process


def wait_until(condition, what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def gone(pid: int) -> bool:
    """The process has ended (and is not a zombie left unreaped)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return "\nState:\tZ" in status


class Answers:
    """The replies of one request, waited for."""

    def __init__(self) -> None:
        self.got: list[Results | NotAnswered] = []
        self.came = threading.Event()

    def __call__(self, answer) -> None:
        self.got.append(answer)
        self.came.set()

    def one(self) -> Results | NotAnswered:
        assert self.came.wait(TIMEOUT), "no reply"
        assert len(self.got) == 1
        return self.got[0]


def search(process: SearchProcess, text: str, limit: int = DEFAULT_LIMIT, **kw) -> Results | NotAnswered:
    answers = Answers()
    assert process.search(Request(text, limit, **kw), answers)
    return answers.one()


@pytest.fixture
def process(kb):
    proc = SearchProcess(kb)
    assert proc.start()
    wait_until(lambda: proc.ready, "the search process to be ready")
    yield proc
    pid = proc.pid
    proc.close()
    assert pid is None or gone(pid)


def ids(results: Results) -> list[str]:
    return [h.uid for h in results.hits]


def test_the_process_answers_as_the_knowledge_base_does(kb, process):
    for text, kw in (("battery", {}), ("solid-state", {"limit": 3}), ("ampere", {"company": "renault"}),
                     ("batery", {}), ("", {}), ("((( AND", {})):
        answer = search(process, text, **kw)
        here = kb.search(text, **kw)
        assert isinstance(answer, Results)
        assert (ids(answer), answer.total, answer.suggestion, answer.messages) == \
               (ids(here), here.total, here.suggestion, here.messages)
    assert search(process, "battery").hits[0].snippet  # bodies and highlights come along


def test_a_newer_request_replaces_the_outstanding_one(kb, process):
    first, second = Answers(), Answers()
    assert process.search(Request("battery", DEFAULT_LIMIT), first)
    assert process.search(Request("nissan", DEFAULT_LIMIT), second)
    assert second.one().query == "nissan"
    wait_until(process.idle, "no request outstanding")
    assert first.got == []  # never answered: a newer request replaced it


def test_a_request_waiting_on_the_pipe_cancels_the_running_search(kb):
    """The server's `cancelled` check sees a newer request, which runs next; of several waiting, the last."""
    requests, rx = Pipe()
    tx, replies = Pipe()
    server = Server(kb, rx, tx)
    requests.send((SEARCH, 1, "nissan", None, 20, None))
    requests.send((SEARCH, 2, "battery", None, 20, None))
    with pytest.raises(Cancelled):
        kb.search("renault", cancelled=server._cancelled)
    assert server.waiting[1] == 2  # the newest of the two waiting
    runner = threading.Thread(target=server.serve)
    runner.start()
    kind, seq, results = replies.recv()
    assert (kind, seq, results.query) == (RESULTS, 2, "battery")
    requests.close()  # the end of the pipe ends the server
    runner.join(TIMEOUT)
    assert not runner.is_alive()
    assert not replies.poll()  # request 1 was never run, and nothing else was sent


def test_a_search_cancelled_by_the_end_of_the_pipe_sends_nothing(kb):
    requests, rx = Pipe()
    tx, replies = Pipe()
    server = Server(kb, rx, tx)
    requests.close()
    with pytest.raises(Cancelled):
        kb.search("renault", cancelled=server._cancelled)
    assert server.closed
    server.serve()  # returns at once
    assert not replies.poll()


def test_the_process_follows_updates_and_rebuilds_and_answers_during_them(kb, corpus_dir, process):
    assert search(process, "wombatique").total == 0
    write(corpus_dir / "seeds" / "100_new.txt", "Wombatique news\n\nMay 5, 2025\n\nWombatique Motors met Renault.\n")
    answered: list = []
    updating = threading.Thread(target=kb.ensure)
    updating.start()
    while updating.is_alive() or not answered:  # queries while the update writes into the index
        answered.append(search(process, "renault"))
    updating.join()
    assert all(isinstance(a, Results) and a.total for a in answered)
    assert "a:100_new.txt" in ids(search(process, "wombatique"))  # the update, seen without a restart
    before = kb.store.current()
    kb.ensure(rebuild=True)
    assert kb.store.current() != before  # a new generation, the old one removed
    assert "a:100_new.txt" in ids(search(process, "wombatique"))
    assert process.starts == 1


def test_an_article_changed_in_place_is_shown_as_it_is_now(kb, corpus_dir, process):
    """The process reads article texts for snippets: after an update it reads them again."""
    path = sorted((corpus_dir / "seeds").glob("*.txt"))[0]
    first = search(process, "renault")
    assert any(h.id == path.name for h in first.hits) or first.total  # the article's text is read and kept
    search(process, path.read_text(encoding="utf-8").split("\n")[0])  # its title: its text is now cached
    write(path, path.read_text(encoding="utf-8") + "\n\nQuokkamobile Renault unveiled the Quokkamobile today.\n")
    kb.ensure()
    found = search(process, "quokkamobile")
    hit = next(h for h in found.hits if h.id == path.name)
    assert "Quokkamobile" in hit.snippet  # the snippet comes from the new text, not the one read before
    assert all(hit.snippet[s:e].lower() == "quokkamobile" for s, e in hit.snippet_spans)


def test_a_killed_process_is_restarted_and_the_search_still_answered(kb, process):
    first = process.pid
    answers = Answers()
    assert process.search(Request("battery", DEFAULT_LIMIT), answers)
    os.kill(first, signal.SIGKILL)
    answer = answers.one()  # answered before it died, or told that it was not: never lost
    assert isinstance(answer, Results | NotAnswered)
    wait_until(lambda: process.ready and process.pid != first, "a new search process")
    assert gone(first)
    assert search(process, "battery").total == kb.search("battery").total
    assert "status -9" in process.last_exit


def test_a_process_that_cannot_open_the_index_gives_up_and_says_why(corpus_dir, tmp_path):
    from facts.corpus import Corpus

    kb = KnowledgeBase(Corpus.open(corpus_dir), tmp_path / "no-index")  # never built
    with pytest.raises(IndexUnavailable):
        kb.attach()
    proc = SearchProcess(kb)
    assert proc.start()
    wait_until(lambda: proc.starts == RESTARTS + 1 and proc.pid is None, "the restarts to run out")
    assert not proc.start()
    assert proc.starts == RESTARTS + 1
    assert not proc.ready
    assert not proc.search(Request("battery", DEFAULT_LIMIT), Answers())  # the caller searches elsewhere
    assert "cannot open the index" in proc.last_exit and "no index at" in proc.last_exit
    assert not (tmp_path / "no-index").exists() or kb.store.current() is None  # it never builds


def test_no_process_is_left_when_the_parent_is_killed(kb, tmp_path):
    """The child ends when its pipe closes, however its parent ends."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import sys, time\n"
        "from facts.corpus import Corpus\n"
        "from search.kb import KnowledgeBase\n"
        "from search.client import SearchProcess\n"
        f"kb = KnowledgeBase(Corpus.open({str(kb.corpus.root)!r}), {str(kb.store.path)!r})\n"
        "p = SearchProcess(kb)\n"
        "p.start()\n"
        "while not p.ready: time.sleep(0.01)\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(600)\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, env=env, text=True)
    try:
        child = int(parent.stdout.readline())
        assert not gone(child)
    finally:
        parent.kill()
        parent.wait()
    wait_until(lambda: gone(child), "the search process to end with its parent")


def test_a_search_folder_in_the_current_folder_is_not_run(kb, tmp_path, monkeypatch):
    """`python -m` puts the current folder first on the import path: a folder named `search`
    (or `facts`) where the user starts the app must not run in place of ours."""
    marker = tmp_path / "ran"
    for package in ("search", "facts"):
        (tmp_path / package).mkdir()
        for module in ("__init__.py", "server.py"):
            (tmp_path / package / module).write_text(f"open({str(marker)!r}, 'w').write({package!r})\n")
    monkeypatch.chdir(tmp_path)
    proc = SearchProcess(kb)
    try:
        assert proc.start()
        wait_until(lambda: proc.ready, "the search process to be ready")
        answer = search(proc, "battery")
        assert isinstance(answer, Results) and answer.total == kb.search("battery").total
    finally:
        proc.close()
    assert not marker.exists(), f"the current folder's {marker.read_text()} ran"
