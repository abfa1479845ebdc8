"""The start-up check: every kind of change to the corpus is seen by the next start, and an
unchanged corpus is found current without writing anything.

Each edit below keeps what the cheap check could be fooled by: the same file (inode), the
same size and, where it says so, the modification time set back to what the build saw.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from search.kb import KnowledgeBase

from .conftest import ROOT
from .test_index_lifecycle import tree_state

ARTICLE = "001_eeb87b223eca0c5a.txt"
WORD, NEW_WORD = b"supermini", b"quozzlebx"  # same length: the file keeps its size


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def times(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_atime_ns, st.st_mtime_ns


def edit_in_place(path: Path, old: bytes, new: bytes, *, set_time_back: bool) -> None:
    """Overwrite `old` with `new` (same length) inside the file, as an editor saving in place
    does; with `set_time_back`, give the file back the modification time it had before."""
    assert len(old) == len(new)
    ino, size, atime, mtime = times(path)
    data = path.read_bytes()
    at = data.index(old)
    with open(path, "r+b") as f:
        f.seek(at)
        f.write(new)
    if set_time_back:
        os.utime(path, ns=(atime, mtime))
        assert times(path) == (ino, size, atime, mtime)  # nothing the modification time shows
    else:
        assert times(path)[:2] == (ino, size)


def current(kb: KnowledgeBase) -> None:
    """The next start finds the index current and writes nothing to it."""
    before = tree_state(kb.store.path)
    assert kb.ensure().action == "none"
    assert KnowledgeBase.open(kb.corpus.root, kb.store.path).indexer().ensure().action == "none"
    assert tree_state(kb.store.path) == before


def test_nothing_changed_is_current_and_writes_nothing(kb):
    current(kb)
    assert kb.is_current()


@pytest.mark.parametrize("set_time_back", [True, False], ids=["time-set-back", "new-time"])
def test_an_article_edited_in_place_keeping_its_size(kb, corpus_dir, set_time_back):
    assert kb.search(NEW_WORD.decode()).hits == []
    edit_in_place(corpus_dir / "seeds" / ARTICLE, WORD, NEW_WORD, set_time_back=set_time_back)
    assert not kb.is_current()
    report = kb.ensure()
    assert report.action == "update" and report.articles_indexed == 1, report
    assert ids(kb.search(NEW_WORD.decode())) == [ARTICLE]
    assert kb.search(WORD.decode()).hits == [] or ARTICLE not in ids(kb.search(WORD.decode()))
    current(kb)


def test_an_edit_in_the_same_second_as_the_build(corpus_dir, tmp_path):
    """The build records the file; the same moment the file changes in place and gets its
    old modification time back: the next start still sees it (by its status-change time)."""
    path = corpus_dir / "seeds" / ARTICLE
    kb = KnowledgeBase.open(corpus_dir, tmp_path / "index")
    assert kb.ensure().action == "build"
    edit_in_place(path, WORD, NEW_WORD, set_time_back=True)
    again = KnowledgeBase.open(corpus_dir, tmp_path / "index")
    assert again.ensure().action == "update"
    assert ids(again.search(NEW_WORD.decode())) == [ARTICLE]
    again.close()
    kb.close()


def test_an_appended_line_is_seen(kb, corpus_dir):
    path = corpus_dir / "seeds" / ARTICLE
    ino, _size, atime, mtime = times(path)
    with open(path, "ab") as f:  # echo >> article
        f.write(b"\nA late line names the " + NEW_WORD + b" here.\n")
    os.utime(path, ns=(atime, mtime))
    assert times(path)[0] == ino
    assert kb.ensure().action == "update"
    assert ids(kb.search(NEW_WORD.decode())) == [ARTICLE]
    current(kb)


def test_an_atomic_save_with_the_old_time_and_size(kb, corpus_dir):
    """An editor writing a temporary file and renaming it over the article."""
    path = corpus_dir / "seeds" / ARTICLE
    ino, size, atime, mtime = times(path)
    tmp = path.with_name(".save-tmp")
    tmp.write_bytes(path.read_bytes().replace(WORD, NEW_WORD, 1))
    os.utime(tmp, ns=(atime, mtime))
    os.replace(tmp, path)
    assert times(path)[1:] == (size, atime, mtime) and times(path)[0] != ino
    assert kb.ensure().action == "update"
    assert ids(kb.search(NEW_WORD.decode())) == [ARTICLE]
    current(kb)


def test_added_removed_and_renamed_articles(kb, corpus_dir):
    seeds = corpus_dir / "seeds"
    new = seeds / "100_quokka.txt"
    new.write_text("Quokka Motors joins the alliance\n\nMarch 3, 2025\n\nQuokka Motors and Nissan "
                   "announced a quokka-sized car.\n", encoding="utf-8")
    assert kb.ensure().action == "update"
    assert ids(kb.search("quokka")) == ["100_quokka.txt"]
    current(kb)

    renamed = seeds / "101_quokka.txt"
    os.rename(new, renamed)
    assert kb.ensure().action == "update"
    assert ids(kb.search("quokka")) == ["101_quokka.txt"]
    current(kb)

    renamed.unlink()
    report = kb.ensure()
    assert report.action == "update" and report.articles_removed == 1
    assert kb.search("quokka").hits == []
    current(kb)


def test_a_fact_file_edited_in_place_with_its_old_time(kb, corpus_dir):
    path = corpus_dir / "facts" / "companies.yaml"
    assert kb.search("qworle").hits == []
    edit_in_place(path, b"French carmaker, parent of Ampere", b"Qworle carmaker, parent of Ampere",
                  set_time_back=True)
    assert kb.ensure().action == "update"
    assert "renault-group" in ids(kb.search("qworle"))
    current(kb)


def test_the_metadata_sidecar_edited_in_place_with_its_old_time(kb, corpus_dir):
    path = corpus_dir / "seeds" / "metadata.yaml"
    assert kb.article_metas()[ARTICLE].publisher == "Auto Express"
    edit_in_place(path, b"publisher: Auto Express", b"publisher: Auto Exprezz", set_time_back=True)
    assert kb.ensure().action == "update"
    assert kb.article_metas()[ARTICLE].publisher == "Auto Exprezz"
    current(kb)


def test_a_linked_article_whose_target_changes(kb, corpus_dir, tmp_path):
    """A link is checked by its target: an edit of the target is seen, as is a new target."""
    seeds = corpus_dir / "seeds"
    target = seeds / "sub" / "linked.txt"
    target.parent.mkdir()
    target.write_text("Linked story\n\nMarch 3, 2025\n\nThe wombatmobile is announced.\n", encoding="utf-8")
    (seeds / "102_linked.txt").symlink_to(target)
    assert kb.ensure().action == "update"
    assert ids(kb.search("wombatmobile")) == ["102_linked.txt"]
    current(kb)
    edit_in_place(target, b"wombatmobile", b"numbatmobile", set_time_back=True)
    assert kb.ensure().action == "update"
    assert ids(kb.search("numbatmobile")) == ["102_linked.txt"]
    current(kb)


def test_the_one_shot_search_sees_an_edit_with_the_old_time(kb, corpus_dir, tmp_path):
    """`alliance search` in a new process, as a user runs it after saving in place."""
    edit_in_place(corpus_dir / "seeds" / ARTICLE, WORD, NEW_WORD, set_time_back=True)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([sys.executable, "-m", "tui", "search", "--no-library", "--corpus", str(corpus_dir),
                           "--index-dir", str(kb.store.path), NEW_WORD.decode()], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert ARTICLE in proc.stdout or "Nissan will build its own Renault Twingo EV" in proc.stdout, proc.stdout


def test_systems_without_folder_relative_look_ups_list_the_same(kb, corpus_dir, monkeypatch):
    """Where os.stat cannot look up from an open folder, whole paths give the same listing."""
    from search import scan

    (corpus_dir / "seeds" / "103_broken.txt").symlink_to(corpus_dir / "nowhere.txt")  # listed by itself
    by_fd = scan.scan(kb.corpus)
    monkeypatch.setattr(scan, "_BY_FD", False)
    by_path = scan.scan(kb.corpus)
    assert by_path == by_fd and "103_broken.txt" in by_path["articles"]
    edit_in_place(corpus_dir / "seeds" / ARTICLE, WORD, NEW_WORD, set_time_back=True)
    assert scan.fingerprint(kb.corpus) != by_path["fingerprint"]


async def test_the_app_shows_the_last_index_at_once_and_takes_in_an_edit_behind_it(kb, corpus_dir):
    """The app opens the index it has without waiting for the check; the check, run behind the
    filled panes, finds the edit (size and time kept) and the results follow it."""
    from tui.widgets.search_bar import SearchBar
    from tui.widgets.search_results import SearchResults

    from .app_support import make_app, settle

    index_dir = kb.store.path
    kb.close()
    edit_in_place(corpus_dir / "seeds" / ARTICLE, WORD, NEW_WORD, set_time_back=True)
    app = make_app(corpus_dir, index_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.kb.last_report is not None and app.kb.last_report.action == "update"
        app.query_one(SearchBar).value = NEW_WORD.decode()
        await settle(app, pilot)
        assert [h.id for h in app.query_one(SearchResults).hits] == [ARTICLE]
        assert "5 articles" in str(app.query_one("#status").render())


async def test_the_app_on_an_unchanged_corpus_keeps_what_it_opened(kb, corpus_dir):
    from .app_support import make_app, settle

    index_dir = kb.store.path
    kb.close()
    before = tree_state(index_dir)
    app = make_app(corpus_dir, index_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        facts = app.kb.facts
        assert app.kb.last_report is not None and app.kb.last_report.action == "none"
        assert app.kb.facts is facts and len(facts) > 100
    assert tree_state(index_dir) == before


def test_hidden_files_and_the_sidecar_are_not_articles(kb, corpus_dir):
    """Editor leftovers (dot files) beside the articles are never listed, so they change nothing."""
    from search import scan

    seeds = corpus_dir / "seeds"
    before = scan.scan(kb.corpus)
    (seeds / f".{ARTICLE}.swp").write_bytes(b"\0swap")
    (seeds / ".DS_Store").write_bytes(b"x")
    after = scan.scan(kb.corpus)
    assert after == before
    assert not any(name.startswith(".") for name in after["articles"])
    assert "metadata.yaml" not in after["articles"] and (seeds / "metadata.yaml").exists()
    current(kb)


def test_an_article_removed_while_the_folder_is_read(kb, corpus_dir, monkeypatch):
    """A name listed but gone before it is looked up (removed meanwhile) is left out, and the
    rest of the listing keeps its sizes and times in step with the names."""
    from search import scan

    seeds = corpus_dir / "seeds"
    expected = scan.scan(kb.corpus)["articles"]
    listdir = os.listdir
    monkeypatch.setattr(scan.os, "listdir", lambda where: ["000_gone.txt", *listdir(where), "999_gone.txt"])
    assert scan.scan(kb.corpus)["articles"] == expected
    assert sorted(expected) == sorted(p.name for p in seeds.glob("*.txt"))
