"""The index on disk over time: builds, no-op checks, updates, damage, crashes and concurrency."""

from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from facts.text import normalize
from search.kb import KnowledgeBase
from search.store import BUILDER, BUILDING_PREFIX, CURRENT, GEN_PREFIX, cache_root

from .conftest import ROOT, copy_corpus, write

REUTERS = "002_2d0dbaa153dea599.txt"
TRENDY = "004_a208f5e158258118.txt"
BEIJING_SENTENCE = "Beijing disputes this and accuses Europe of protectionism."
ALL = 10_000


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def tree_state(folder: Path, contents: bool = True) -> dict[str, tuple]:
    """Every file and folder under `folder`: size, modification time and (optionally) bytes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        st = path.stat()
        rel = path.relative_to(folder).as_posix()
        if path.is_dir():
            out[rel] = ("dir", st.st_mtime_ns)
        else:
            out[rel] = (st.st_size, st.st_mtime_ns, path.read_bytes() if contents else None)
    return out


def generations(index_dir: Path) -> list[Path]:
    return sorted(p for p in index_dir.iterdir() if p.is_dir() and p.name.startswith(GEN_PREFIX))


def assert_one_live_generation(index_dir: Path) -> Path:
    gens = generations(index_dir)
    assert len(gens) == 1, [p.name for p in index_dir.iterdir()]
    assert (index_dir / CURRENT).read_text(encoding="utf-8").strip() == gens[0].name
    assert not [p for p in index_dir.iterdir() if p.name.startswith(BUILDING_PREFIX)]
    return gens[0]


def problem_texts(problems) -> list[str]:
    return [str(p) for p in problems]


def assert_quote_offsets_hold(kb, article: str | None = None) -> int:
    """Every citation's stored span slices its quote out of the article's raw text."""
    checked = 0
    for fact in kb.facts.facts.values():
        for source in fact.sources:
            if article and source.article != article:
                continue
            raw = kb.article(source.article).raw
            start, end = source.span
            assert normalize(raw[start:end]) == normalize(source.quote), (fact.id, source.quote)
            checked += 1
    return checked


# -- building and checking ----------------------------------------------------------------------

def test_first_ensure_builds_and_the_next_touches_nothing(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    kb = KnowledgeBase.open(corpus_dir, index_dir)
    report = kb.ensure()
    assert report.action == "build" and report.reason == "no index yet"
    assert report.articles_indexed == 5
    assert report.facts_indexed == len(kb.facts) > 100
    assert kb.notices == []
    assert kb.search("AmpR Small").hits[0].id == "ampr-small"
    assert_one_live_generation(index_dir)

    before = tree_state(index_dir)
    again = kb.ensure()
    assert again.action == "none" and again.articles_indexed == again.facts_indexed == 0
    other = KnowledgeBase.open(corpus_dir, index_dir)  # as a new process would
    assert other.ensure().action == "none"
    assert other.search("AmpR Small").hits[0].id == "ampr-small"
    assert kb.is_current() and other.is_current()
    assert tree_state(index_dir) == before, "a check of an unchanged corpus must not write to the index"
    other.close()
    kb.close()


def test_touching_files_without_changing_them_is_not_an_update(kb, corpus_dir):
    before = ids(kb.search("renault", limit=ALL))
    for path in [corpus_dir / "seeds" / REUTERS, corpus_dir / "facts" / "companies.yaml",
                 corpus_dir / "seeds" / "metadata.yaml"]:
        write(path, path.read_bytes())  # same bytes, newer time
    report = kb.ensure()
    assert report.action == "none", report
    assert report.articles_indexed == report.facts_indexed == 0
    assert kb.is_current()
    assert kb.ensure().action == "none"
    assert ids(kb.search("renault", limit=ALL)) == before


# -- articles changing ----------------------------------------------------------------------------

def test_changing_an_article(kb, corpus_dir):
    beijing_facts = {f.id for f in kb.facts.facts.values()
                     if all(normalize(s.quote) == normalize(BEIJING_SENTENCE) for s in f.sources)}
    assert "beijing" in beijing_facts
    assert kb.search("protectionism").total > 0
    path = corpus_dir / "seeds" / REUTERS
    text = path.read_text(encoding="utf-8")
    assert BEIJING_SENTENCE in text
    write(path, text.replace(BEIJING_SENTENCE, "Zanzibarian grumbles were heard."))

    report = kb.ensure()
    assert report.action == "update"
    assert report.articles_indexed == 1 and report.articles_removed == 0
    assert report.facts_removed >= len(beijing_facts)
    assert [h.id for h in kb.search("zanzibarian").hits] == [REUTERS]
    gone = kb.search("protectionism")
    assert gone.total == 0 and gone.hits == []

    messages = problem_texts(report.problems)
    assert any(m.startswith("facts/companies.yaml:") and "quote not found in " + REUTERS in m
               and "protectionism" in m for m in messages), messages
    assert problem_texts(kb.problems) == messages
    # A start that finds the index current has the errors at once and the rest when asked.
    current = KnowledgeBase.open(corpus_dir, kb.store.path).indexer().ensure()
    assert current.action == "none"
    assert problem_texts(current.errors) == [m for p, m in zip(report.problems, messages, strict=True)
                                             if p.severity == "error"]
    assert current.problems._all is None  # not read yet
    assert problem_texts(current.problems) == messages and len(current.problems) == len(messages)
    assert "problems" not in kb.manifest and len(kb.manifest["errors"]) == len(current.errors)
    for fact_id in beijing_facts:
        assert kb.facts.get(fact_id) is None
        assert fact_id not in ids(kb.search("Beijing", limit=ALL))
    # the rest of that article's facts stay, with their quotes found at their new places
    assert ids(kb.search("Acea"))[0] == "acea"
    assert "renault-xiaomi-talks" in ids(kb.search("xiaomi", limit=ALL))
    assert assert_quote_offsets_hold(kb, REUTERS) > 10


def test_an_edit_that_moves_quotes_is_a_quick_update_equal_to_a_fresh_build(kb, corpus_dir, tmp_path):
    path = corpus_dir / "seeds" / REUTERS
    text = path.read_text(encoding="utf-8")
    first = text.index("\n\n") + 2  # after the title: every quote of the article moves
    write(path, text[:first] + "Platypus analysts opened the day early.\n\n" + text[first:])
    report = kb.ensure()
    assert (report.action, report.reason) == ("update", "articles changed")  # facts were not read again
    assert report.articles_indexed == 1 and report.facts_indexed > 10
    assert assert_quote_offsets_hold(kb, REUTERS) > 10
    assert ids(kb.search("platypus")) == [REUTERS]
    fresh = KnowledgeBase.open(corpus_dir, tmp_path / "fresh")
    fresh.ensure()
    mine = {h.id: h.payload for h in kb.search("kind:fact", limit=ALL).hits}
    assert mine == {h.id: h.payload for h in fresh.search("kind:fact", limit=ALL).hits}
    assert problem_texts(kb.problems) == problem_texts(fresh.problems)
    assert kb.manifest["counts"] == fresh.manifest["counts"]
    fresh.close()


def test_damaged_saved_quotes_make_an_update_read_the_facts_again(kb, corpus_dir):
    (kb.store.current() / "cited.pickle").write_bytes(b"\x80\x05garbage")
    write(corpus_dir / "seeds" / "100_new.txt", "Echidna news\n\nMay 5, 2025\n\nEchidna Motors met Renault.\n")
    report = kb.ensure()
    assert (report.action, report.reason) == ("update", "the corpus changed")
    assert ids(kb.search("echidna")) == ["100_new.txt"]
    (corpus_dir / "seeds" / "100_new.txt").unlink()
    assert kb.ensure().reason == "articles changed"  # the saved quotes were written again


def test_adding_and_removing_an_article(kb, corpus_dir):
    new = corpus_dir / "seeds" / "100_quokka.txt"
    write(new, "Quokka Motors joins the alliance\n\nMarch 3, 2025\n\nQuokka Motors and Nissan announced a quokka-sized car.\n")
    report = kb.ensure()
    assert report.action == "update" and report.articles_indexed == 1
    found = kb.search("quokka")
    assert ids(found) == ["100_quokka.txt"]
    assert found.hits[0].title == "Quokka Motors joins the alliance"
    assert found.hits[0].payload["date"] == "2025-03-03"
    assert len(kb.search("kind:article", limit=ALL).hits) == 6

    new.unlink()
    report = kb.ensure()
    assert report.action == "update" and report.articles_removed == 1 and report.articles_indexed == 0
    assert kb.search("quokka").hits == []
    assert len(kb.search("kind:article", limit=ALL).hits) == 5
    assert kb.ensure().action == "none"


def test_removing_an_article_cited_by_facts(kb, corpus_dir):
    only_there = {f.id for f in kb.facts.facts.values() if {s.article for s in f.sources} == {REUTERS}}
    also_elsewhere = {f.id for f in kb.facts.facts.values()
                      if REUTERS in {s.article for s in f.sources} and len({s.article for s in f.sources}) > 1}
    assert only_there and also_elsewhere
    (corpus_dir / "seeds" / REUTERS).unlink()
    report = kb.ensure()
    assert report.action == "update" and report.articles_removed == 1
    assert any(f"article '{REUTERS}' is not in the corpus" in m for m in problem_texts(report.problems))
    assert kb.search("source:002*", limit=ALL).hits == []
    assert REUTERS not in ids(kb.search("xiaomi", limit=ALL))
    for fact_id in only_there:
        assert kb.facts.get(fact_id) is None
    for fact_id in also_elsewhere:  # kept, citing only what is still there
        fact = kb.facts.get(fact_id)
        assert fact is not None and REUTERS not in {s.article for s in fact.sources}
    assert "acea" in only_there and "acea" not in ids(kb.search("Acea", limit=ALL))
    assert ids(kb.search("AmpR Small"))[0] == "ampr-small"
    assert_quote_offsets_hold(kb)


# -- facts and metadata changing ------------------------------------------------------------------

def test_editing_a_fact_reindexes_only_what_changed(kb, corpus_dir):
    path = corpus_dir / "facts" / "platforms.yaml"
    text = path.read_text(encoding="utf-8")
    old = "description: Architecture that underpins the Renault 5"
    assert old in text
    write(path, text.replace(old, "description: Wombatlike architecture that underpins the Renault 5"))
    report = kb.ensure()
    assert report.action == "update"
    assert report.articles_indexed == 0
    assert 0 < report.facts_indexed <= 3, report.facts_indexed
    assert report.facts_removed == 0
    assert ids(kb.search("wombatlike")) == ["ampr-small"]
    assert "Wombatlike" in kb.facts.get("ampr-small").text
    assert ids(kb.search("AmpR Small"))[0] == "ampr-small"


def test_a_yaml_syntax_error_is_reported_and_other_files_stay(kb, corpus_dir):
    path = corpus_dir / "facts" / "people.yaml"
    good = path.read_text(encoding="utf-8")
    people = {f.id for f in kb.facts.facts.values() if f.file == "facts/people.yaml"}
    platforms = {f.id for f in kb.facts.facts.values() if f.file == "facts/platforms.yaml"}
    assert "makoto-uchida" in people and "ampr-small" in platforms
    broken = good + "\n  - id: [unclosed\n    name: Nobody\n"
    write(path, broken)
    bad_line = good.count("\n") + 2

    report = kb.ensure()
    syntax = [p for p in report.problems if p.file == "facts/people.yaml" and "YAML syntax error" in p.message]
    assert len(syntax) == 1, problem_texts(report.problems)
    assert syntax[0].line is not None and bad_line <= syntax[0].line <= broken.count("\n") + 1
    assert str(syntax[0]).startswith(f"facts/people.yaml:{syntax[0].line}: YAML syntax error")
    for fact_id in people:
        assert kb.facts.get(fact_id) is None
    assert "makoto-uchida" not in ids(kb.search("Makoto Uchida", limit=ALL))
    assert platforms <= set(kb.facts.facts)
    assert ids(kb.search("AmpR Small"))[0] == "ampr-small"
    assert ids(kb.search("nissan"))[0] == "nissan"

    write(path, good)  # fixed again: the people come back
    report = kb.ensure()
    assert report.action == "update"
    assert not [p for p in report.problems if p.file == "facts/people.yaml"]
    assert ids(kb.search("Makoto Uchida"))[0] == "makoto-uchida"


def test_editing_article_metadata_reindexes_that_article(kb, corpus_dir):
    path = corpus_dir / "seeds" / "metadata.yaml"
    text = path.read_text(encoding="utf-8")
    assert "publisher: Auto Trendy" in text
    write(path, text.replace("publisher: Auto Trendy", "publisher: Numbat Weekly"))
    report = kb.ensure()
    assert report.action == "update"
    assert report.articles_indexed == 1
    payloads = kb.engine().article_payloads()
    assert payloads[TRENDY]["publisher"] == "Numbat Weekly"
    assert payloads[REUTERS]["publisher"] == "Reuters"
    found = kb.search("numbat")
    assert ids(found) == [TRENDY] and found.hits[0].payload["publisher"] == "Numbat Weekly"
    assert kb.facts.articles[TRENDY].publisher == "Numbat Weekly"


def test_updates_end_where_a_fresh_build_does(kb, corpus_dir, tmp_path):
    """After several incremental updates the index answers exactly like one built from scratch."""
    seeds, facts = corpus_dir / "seeds", corpus_dir / "facts"
    write(seeds / REUTERS, (seeds / REUTERS).read_text(encoding="utf-8").replace(BEIJING_SENTENCE, ""))
    assert kb.ensure().action == "update"
    write(seeds / "100_new.txt", "Dingo Cars\n\nMay 5, 2025\n\nDingo Cars and Renault signed a deal.\n")
    write(facts / "platforms.yaml", (facts / "platforms.yaml").read_text(encoding="utf-8")
          .replace("Architecture that underpins", "Architecture, dingo-proof, that underpins"))
    assert kb.ensure().action == "update"
    (seeds / "001_eeb87b223eca0c5a.txt").unlink()
    write(seeds / "metadata.yaml", (seeds / "metadata.yaml").read_text(encoding="utf-8")
          .replace("publisher: Auto Trendy", "publisher: Dingo Daily"))
    assert kb.ensure().action == "update"

    fresh = KnowledgeBase.open(corpus_dir, tmp_path / "fresh-index")
    assert fresh.ensure().action == "build"
    assert set(kb.facts.facts) == set(fresh.facts.facts)
    assert sorted(problem_texts(kb.problems)) == sorted(problem_texts(fresh.problems))
    assert kb.manifest["counts"] == fresh.manifest["counts"]
    for query in ("renault", "dingo", "AmpR Small", "kind:article", "source:001*", "protectionism",
                  "company:nissan", "year:2024", "Beijing", "e-power"):
        assert set(ids(kb.search(query, limit=ALL))) == set(ids(fresh.search(query, limit=ALL))), query
    mine = {h.id: h.payload for h in kb.search("kind:fact", limit=ALL).hits}
    theirs = {h.id: h.payload for h in fresh.search("kind:fact", limit=ALL).hits}
    assert mine == theirs
    assert kb.engine().article_payloads().keys() == fresh.engine().article_payloads().keys()
    assert assert_quote_offsets_hold(kb) > 100
    fresh.close()


# -- damage and crashes ---------------------------------------------------------------------------

def _garbage_everywhere(index_dir, gen):
    for path in gen.iterdir():
        path.write_bytes(b"\x00garbage\xff" * 50)


def segment_files(gen: Path) -> list[Path]:
    """The files of the index's segments (MAIN_<segment id>.<part>), not its lock or TOC."""
    return [p for p in gen.glob("MAIN_*.*") if p.suffix not in (".toc", "")]


def _garbage_segments(index_dir, gen):
    for path in segment_files(gen):
        path.write_bytes(b"\x00garbage\xff" * 50)


def _scrambled_segments(index_dir, gen):
    rng = random.Random(5)
    for path in segment_files(gen):
        data = bytearray(path.read_bytes())
        for i in range(len(data) // 4, len(data) * 3 // 4):
            data[i] = rng.randrange(256)
        path.write_bytes(bytes(data))


def _no_toc(index_dir, gen):
    tocs = list(gen.glob("*.toc"))
    assert tocs
    for path in tocs:
        path.unlink()


def _garbage_toc(index_dir, gen):
    for path in gen.glob("*.toc"):
        path.write_bytes(b"garbage" * 40)


def _garbage_current(index_dir, gen):
    (index_dir / CURRENT).write_bytes(b"\x00\xff\xfe garbage \x1b[2J")


def _current_names_a_missing_generation(index_dir, gen):
    (index_dir / CURRENT).write_text(GEN_PREFIX + "20000101-000000-gone", encoding="utf-8")


def _current_escapes_the_folder(index_dir, gen):
    (index_dir / CURRENT).write_text("../" + gen.name, encoding="utf-8")


def _no_current(index_dir, gen):
    (index_dir / CURRENT).unlink()


def _garbage_facts_cache(index_dir, gen):
    (gen / "facts.pickle").write_bytes(b"not a pickle")


def _garbage_manifest(index_dir, gen):
    (gen / "manifest.pickle").write_bytes(b"\x80\x05not a pickle")


def _garbage_article_metadata(index_dir, gen):
    (gen / "articles.pickle").write_bytes(b"\x80\x05garbage")


def _garbage_state(index_dir, gen):
    (gen / "state.json").write_text("[1, 2", encoding="utf-8")


def _no_state(index_dir, gen):
    (gen / "state.json").unlink()


def _state_of_another_version(index_dir, gen):
    state = json.loads((gen / "state.json").read_text(encoding="utf-8"))
    state["schema"] = -1
    (gen / "state.json").write_text(json.dumps(state), encoding="utf-8")


def _garbage_cited_quotes(index_dir, gen):
    (gen / "cited.pickle").write_bytes(b"\x80\x05garbage")


DAMAGE = [_garbage_everywhere, _garbage_segments, _scrambled_segments, _no_toc, _garbage_toc,
          _garbage_current, _current_names_a_missing_generation, _current_escapes_the_folder, _no_current,
          _garbage_facts_cache, _garbage_article_metadata, _garbage_state, _no_state, _state_of_another_version]


@pytest.fixture(scope="module")
def built_index(tmp_path_factory):
    """A corpus with a built index, copied for each damage test (building is the slow part)."""
    base = tmp_path_factory.mktemp("built")
    corpus = copy_corpus(base / "corpus")
    kb = KnowledgeBase.open(corpus, base / "index")
    kb.ensure()
    kb.close()
    return corpus, base / "index"


# Damage met by an update (the corpus changed too) rather than by opening the index.
DAMAGE_THEN_UPDATE = [_garbage_segments, _scrambled_segments, _no_toc, _garbage_facts_cache, _garbage_manifest]
CASES = [(d, False) for d in DAMAGE] + [(d, True) for d in DAMAGE_THEN_UPDATE]


@pytest.mark.parametrize(("damage", "changed"), CASES,
                         ids=[d.__name__.strip("_") + ("-then-update" if c else "") for d, c in CASES])
def test_a_damaged_index_is_rebuilt(built_index, tmp_path, damage, changed):
    import shutil

    corpus, index_dir = built_index
    index_dir = Path(shutil.copytree(index_dir, tmp_path / "index"))
    gen = KnowledgeBase.open(corpus, index_dir).store.current()
    assert gen is not None
    damage(index_dir, gen)
    if changed:  # the damage is met by an update rather than a plain open
        corpus = copy_corpus(tmp_path / "corpus")
        write(corpus / "seeds" / "100_new.txt", "Echidna news\n\nMay 5, 2025\n\nEchidna Motors met Renault.\n")
        # the copy is another corpus for the index, so make its state claim this one
        state_path = gen / "state.json"
        if gen.is_dir() and state_path.is_file():
            try:
                state = json.loads(state_path.read_text(encoding="utf-8"))
                state["corpus"] = str(corpus.resolve())
                state_path.write_text(json.dumps(state), encoding="utf-8")
            except ValueError:
                pass

    kb = KnowledgeBase.open(corpus, index_dir)
    report = kb.ensure()
    assert kb.facts.get("ampr-small") is not None  # the saved facts are read when first needed
    rebuilt = any("rebuilt" in n for n in kb.notices) or kb.last_report.action == "build"
    assert rebuilt, (report, kb.notices)
    if kb.last_report.action == "build":
        assert kb.last_report.reason
    results = kb.search("AmpR Small")
    assert results.hits and results.hits[0].id == "ampr-small"
    assert kb.search("Renualt").corrected_from == "Renualt"
    if changed:
        assert ids(kb.search("echidna")) == ["100_new.txt"]
    assert_one_live_generation(index_dir)
    assert kb.ensure().action == "none"
    kb.close()


def _half_build(index_dir: Path, name: str, builder: bool = True) -> Path:
    """A generation left half-built by a process that died (its builder lock file is unlocked)."""
    crashed = index_dir / f"{BUILDING_PREFIX}{name}"
    write(crashed / "MAIN_x.seg", b"half written")
    if builder:
        write(crashed / BUILDER, b"")
    return crashed


def test_a_leftover_half_build_is_removed_at_the_next_start(built_index, tmp_path):
    import fcntl
    import shutil

    corpus, index_dir = built_index
    index_dir = Path(shutil.copytree(index_dir, tmp_path / "index"))
    crashed = _half_build(index_dir, "crashed1")
    unlocked_old = _half_build(index_dir, "crashed3", builder=False)  # died before taking its lock
    os.utime(unlocked_old, (time.time() - 3600, time.time() - 3600))
    unlocked_new = _half_build(index_dir, "starting", builder=False)  # a builder about to take its lock
    alive = _half_build(index_dir, "alive")
    held = open(alive / BUILDER, "rb")  # noqa: SIM115 - another builder, still at work
    fcntl.flock(held.fileno(), fcntl.LOCK_EX)
    old = index_dir / f"{GEN_PREFIX}19990101-000000-oldgen00"
    write(old / "manifest.pickle", "{}")
    try:
        kb = KnowledgeBase.open(corpus, index_dir)
        assert kb.ensure().action == "none"  # an unchanged corpus: the index is not touched ...
        assert not crashed.exists() and not unlocked_old.exists()  # ... but what crashes left is removed
        assert alive.exists() and unlocked_new.exists()
        assert kb.search("AmpR Small").hits
        report = kb.ensure(rebuild=True)
        assert report.action == "build" and report.reason == "rebuild requested"
        assert not old.exists()
        assert alive.exists() and unlocked_new.exists()  # never the folder of a builder at work
        assert kb.search("AmpR Small").hits[0].id == "ampr-small"
    finally:
        held.close()
    kb.ensure()
    assert not alive.exists()  # its builder is gone now
    shutil.rmtree(unlocked_new)
    assert_one_live_generation(index_dir)
    kb.close()


def test_a_half_build_in_a_new_index_folder_is_removed(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    crashed = _half_build(index_dir, "crashed2")
    kb = KnowledgeBase.open(corpus_dir, index_dir)
    assert kb.ensure().action == "build"
    assert not crashed.exists()
    assert_one_live_generation(index_dir)
    kb.close()


# -- several processes ---------------------------------------------------------------------------

WORKER = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    corpus, index_dir, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    from search.kb import KnowledgeBase
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    kb = KnowledgeBase.open(corpus, index_dir)
    report = kb.ensure()
    results = kb.search("AmpR Small")
    print(json.dumps({"action": report.action, "hits": [h.id for h in results.hits], "notices": kb.notices}))
""")


def test_processes_indexing_at_the_same_time(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(ROOT), ALLIANCE_CACHE_DIR=str(tmp_path / "cache"))
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(corpus_dir), str(index_dir), str(go)],
                                cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(3)]
    time.sleep(0.3)  # let them import, then release them together
    go.touch()
    answers = []
    try:
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
            assert "Traceback" not in err
            answers.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    for answer in answers:
        assert answer["hits"] and answer["hits"][0] == "ampr-small", answer
        assert answer["notices"] == [], answer
    assert sorted(a["action"] for a in answers).count("build") >= 1
    assert {a["action"] for a in answers} <= {"build", "none"}
    assert_one_live_generation(index_dir)
    kb = KnowledgeBase.open(corpus_dir, index_dir)
    assert kb.ensure().action == "none"
    kb.close()


# -- where the index lives ------------------------------------------------------------------------

def test_the_corpus_is_never_written_to(corpus_dir, tmp_path):
    before = tree_state(corpus_dir)
    kb = KnowledgeBase.open(corpus_dir, tmp_path / "index")
    kb.ensure()
    kb.search("AmpR Small")
    kb.search("Renualt")
    kb.article_spans(REUTERS, "renault")
    kb.ensure(rebuild=True)
    default = KnowledgeBase.open(corpus_dir)  # index in the cache
    default.ensure()
    default.search("nissan")
    assert tree_state(corpus_dir) == before

    write(corpus_dir / "seeds" / "100_new.txt", "Wallaby news\n\nMay 5, 2025\n\nWallaby Motors met Nissan.\n")
    before = tree_state(corpus_dir)
    assert kb.ensure().action == "update"
    assert default.ensure().action == "update"
    assert ids(default.search("wallaby")) == ["100_new.txt"]
    assert tree_state(corpus_dir) == before
    kb.close()
    default.close()


def test_the_index_lives_in_the_cache_folder(corpus_dir, tmp_path, monkeypatch):
    cache = tmp_path / "my-cache"
    monkeypatch.setenv("ALLIANCE_CACHE_DIR", str(cache))
    assert cache_root() == cache
    kb = KnowledgeBase.open(corpus_dir)
    assert kb.store.path.is_relative_to(cache)
    assert not kb.store.path.is_relative_to(corpus_dir)
    kb.ensure()
    live = assert_one_live_generation(kb.store.path)
    assert (live / "manifest.pickle").is_file()
    assert sorted(p.name for p in corpus_dir.iterdir()) == ["facts", "seeds"]
    assert kb.search("AmpR Small").hits

    other_corpus = copy_corpus(tmp_path / "other")
    other = KnowledgeBase.open(other_corpus)
    assert other.store.path.is_relative_to(cache) and other.store.path != kb.store.path
    assert KnowledgeBase.open(corpus_dir).store.path == kb.store.path  # stable for one corpus
    kb.close()


def test_a_cold_start_on_the_bundled_corpus_is_quick(tmp_path):
    """Opening an up-to-date index is the start-up path of every command: it must stay fast."""
    kb = KnowledgeBase.open(None, tmp_path / "index")
    assert kb.corpus.root == ROOT
    kb.ensure()
    kb.close()
    started = time.perf_counter()
    kb = KnowledgeBase.open(None, tmp_path / "index")
    assert kb.ensure().action == "none"
    assert time.perf_counter() - started < 2
    assert kb.search("AmpR Small").hits
    kb.close()


# -- the parallel build of large corpora ----------------------------------------------------------

def test_a_parallel_build_answers_like_a_serial_one(corpus_dir, tmp_path, monkeypatch):
    """The sub-writers read, check, link and sketch the articles: what they send back is what a
    serial build keeps, to the byte where it is saved, in the same order."""
    import search.build
    from search.saved import load_cited, load_duplicates, load_links, load_metas
    from search.spelling import SPELLING, Speller
    from search.store import read_manifest

    (corpus_dir / "seeds" / "050_binary.txt").write_bytes(b"\x00\x01 not text" * 50)  # unreadable
    serial = KnowledgeBase.open(corpus_dir, tmp_path / "serial")
    assert serial.ensure().action == "build"
    monkeypatch.setattr(search.build, "PARALLEL_FROM", 1)
    monkeypatch.setattr(search.build, "ARTICLE_BATCH", 2)  # several batches, shared by both sub-writers
    parallel = KnowledgeBase.open(corpus_dir, tmp_path / "parallel")
    assert parallel.ensure().action == "build"
    gen = assert_one_live_generation(tmp_path / "parallel")
    segments = {p.name.split(".")[0] for p in segment_files(gen)}
    assert len(segments) >= 2, segments  # one segment per sub-writer: it really ran in parallel
    assert parallel.manifest["counts"] == serial.manifest["counts"]
    assert problem_texts(parallel.problems) == problem_texts(serial.problems)
    assert any("050_binary.txt" in p.file for p in parallel.problems)
    theirs = serial.store.current()
    assert read_manifest(gen)["articles"] == read_manifest(theirs)["articles"]
    assert list(read_manifest(gen)["articles"]) == list(read_manifest(theirs)["articles"])
    assert load_links(gen) == load_links(theirs)
    assert list(load_links(gen).articles) == list(load_links(theirs).articles)
    assert load_metas(gen) == load_metas(theirs)
    assert load_cited(gen) == load_cited(theirs)
    assert load_duplicates(gen).names == load_duplicates(theirs).names
    mine_words, their_words = Speller.load(gen / SPELLING), Speller.load(theirs / SPELLING)
    assert mine_words.counts == their_words.counts and mine_words.counts["renault"] > 1
    assert {f.id: [s.span for s in f.sources] for f in parallel.facts.facts.values()} == \
        {f.id: [s.span for s in f.sources] for f in serial.facts.facts.values()}
    for query in ("renault", "AmpR Small", "kind:article", "company:nissan", "e-power", '"solid-state batteries"'):
        mine, theirs = parallel.search(query, limit=ALL), serial.search(query, limit=ALL)
        assert mine.total == theirs.total and set(ids(mine)) == set(ids(theirs)), query
        assert {h.id: h.spans for h in mine.hits} == {h.id: h.spans for h in theirs.hits}, query
    # Updates work on an index made of several segments.
    write(corpus_dir / "seeds" / "100_new.txt", "Dingo Cars\n\nMay 5, 2025\n\nDingo Cars and Renault signed a deal.\n")
    assert parallel.ensure().action == "update"
    assert ids(parallel.search("dingo")) == ["100_new.txt"]
    serial.close()
    parallel.close()


def test_an_interrupted_parallel_build_leaves_no_process_and_no_half_index(corpus_dir, tmp_path, monkeypatch):
    import multiprocessing

    import search.build

    monkeypatch.setattr(search.build, "PARALLEL_FROM", 1)

    def stop(stage, done, total):
        if stage == "Indexing facts":
            raise KeyboardInterrupt

    kb = KnowledgeBase.open(corpus_dir, tmp_path / "index")
    with pytest.raises(KeyboardInterrupt):
        kb.ensure(progress=stop)
    assert multiprocessing.active_children() == []
    index_dir = tmp_path / "index"
    assert not [p for p in index_dir.iterdir() if p.name.startswith((BUILDING_PREFIX, GEN_PREFIX))]
    assert kb.ensure().action == "build" and kb.search("AmpR Small").hits
    kb.close()


def test_damage_found_only_while_searching_rebuilds_and_answers(built_index, tmp_path):
    """Files damaged in a way their sizes and times do not show: the search that meets it recovers."""
    import shutil

    from search.scan import index_files

    corpus, index_dir = built_index
    index_dir = Path(shutil.copytree(index_dir, tmp_path / "index"))
    gen = KnowledgeBase.open(corpus, index_dir).store.current()
    _scrambled_segments(index_dir, gen)
    state = json.loads((gen / "state.json").read_text(encoding="utf-8"))
    state["files"] = index_files(gen)  # as if the damage had kept each file's size and time
    (gen / "state.json").write_text(json.dumps(state), encoding="utf-8")
    kb = KnowledgeBase.open(corpus, index_dir)
    assert kb.ensure().action == "none"
    results = kb.search("AmpR Small")
    assert results.hits and results.hits[0].id == "ampr-small"
    assert any("failed while searching" in n and "rebuilt" in n for n in kb.notices), kb.notices
    assert kb.last_report.action == "build"
    assert_one_live_generation(index_dir)
    kb.close()


# -- hostile conditions: killed builders, deleted locks, damaged caches, full or read-only disks ---

# Runs one knowledge-base operation in a process of its own. With a stage, it stops there
# (having written its pid to `marker`) until `go` exists: a build caught in the middle.
HELD = textwrap.dedent("""
    import os, resource, sys, time
    from pathlib import Path
    import search.build
    corpus, index_dir, marker, go, stage, rebuild, fsize = sys.argv[1:8]
    search.build.PARALLEL_FROM = 1  # sub-writers even for a small corpus
    if fsize:  # the sub-writers (and only they) cannot write files larger than this
        os.register_at_fork(after_in_child=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (int(fsize),) * 2))
    from search.kb import KnowledgeBase

    def progress(name, done, total):
        if name == stage and not Path(marker).exists():
            Path(marker).write_text(str(os.getpid()))
            deadline = time.monotonic() + 120
            while not Path(go).exists() and time.monotonic() < deadline:
                time.sleep(0.01)

    kb = KnowledgeBase.open(corpus, index_dir)
    report = kb.ensure(progress=progress, rebuild=rebuild == "1", fallback=False)
    print(report.action, len(kb.search("AmpR Small").hits))
""")


def held(corpus: Path, index_dir: Path, tmp_path: Path, stage: str = "", rebuild: bool = False,
         fsize: int | None = None, tag: str = "a") -> tuple[subprocess.Popen, Path, Path]:
    """Start HELD; returns the process, its marker file and its go file."""
    marker, go = tmp_path / f"{tag}.marker", tmp_path / f"{tag}.go"
    proc = subprocess.Popen([sys.executable, "-c", HELD, str(corpus), str(index_dir), str(marker), str(go), stage,
                             "1" if rebuild else "0", str(fsize or "")],
                            cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, marker, go


@contextlib.contextmanager
def paused(proc: subprocess.Popen, marker: Path, what: str):
    """Wait until a `held` process has reached its stage; kill it if the block fails before `release`."""
    try:
        wait_for(lambda: marker.exists() or proc.poll() is not None, what=what)
        assert proc.poll() is None, proc.communicate()
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def release(proc: subprocess.Popen, go: Path) -> tuple[str, str]:
    """Let a `held` process go on; its output once it has ended."""
    go.touch()
    return proc.communicate(timeout=120)


def wait_for(condition, timeout: float = 60.0, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def children_of(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids += [int(k) for k in (task / "children").read_text().split()]
    return kids


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def alliance(*args: str, cwd: Path, preexec_fn=None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command, in a process of its own, on the corpus alone (as KnowledgeBase.open sees it)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "tui", args[0], "--no-library", *args[1:]], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout, preexec_fn=preexec_fn)


def assert_no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("rebuild", [False, True], ids=["first-build", "rebuild"])
def test_a_killed_build_leaves_no_process_and_its_folder_goes_at_the_next_start(corpus_dir, tmp_path, rebuild):
    import signal

    index_dir = tmp_path / "index"
    if rebuild:
        KnowledgeBase.open(corpus_dir, index_dir).ensure()
    proc, marker, _go = held(corpus_dir, index_dir, tmp_path, stage="Writing the index", rebuild=rebuild)
    workers: list[int] = []
    try:
        wait_for(lambda: marker.exists() or proc.poll() is not None, what="the build to reach its commit")
        assert proc.poll() is None, proc.communicate()
        workers = children_of(proc.pid)
        assert len(workers) >= 2, workers  # the sub-writers are at work
        building = [p for p in index_dir.iterdir() if p.name.startswith(BUILDING_PREFIX)]
        assert len(building) == 1
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10, what="the sub-writers to end")
    finally:
        for pid in [proc.pid, *workers]:  # left alive only if the test failed: they hold its pipes
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        proc.communicate()
    assert building[0].exists()  # until the next start:
    kb = KnowledgeBase.open(corpus_dir, index_dir)
    assert kb.ensure().action == ("none" if rebuild else "build")
    assert not building[0].exists()
    assert kb.search("AmpR Small").hits[0].id == "ampr-small"
    assert_one_live_generation(index_dir)
    kb.close()


def test_a_lock_file_deleted_during_a_build_costs_neither_build(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    KnowledgeBase.open(corpus_dir, index_dir).ensure()
    first, marker, go = held(corpus_dir, index_dir, tmp_path, stage="Writing the index", rebuild=True)
    with paused(first, marker, "the first build to reach its commit"):
        (index_dir / "lock").unlink()
        second = alliance("index", "--rebuild", "--corpus", str(corpus_dir), "--index-dir", str(index_dir),
                          cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert_no_traceback(second)
        assert "Built the index" in second.stdout
        out, err = release(first, go)
    assert first.returncode == 0, err
    assert "Traceback" not in err
    action, hits = out.split()
    assert action == "build" and int(hits) > 0, out
    assert_one_live_generation(index_dir)
    kb = KnowledgeBase.open(corpus_dir, index_dir)
    assert kb.ensure().action == "none" and kb.search("AmpR Small").hits[0].id == "ampr-small"
    kb.close()


def test_a_waiter_on_a_deleted_lock_file_does_not_share_the_new_one(tmp_path):
    import threading

    from search.store import IndexStore

    store = IndexStore(tmp_path / "index")
    got = threading.Event()
    release = threading.Event()

    def waiter() -> None:
        with store.lock(timeout=60):
            got.set()
            release.wait(60)

    with store.lock():  # the first holder
        thread = threading.Thread(target=waiter)
        thread.start()
        time.sleep(0.2)  # the waiter has opened the lock file and waits on it
        (store.path / "lock").unlink()
        other = open(store.path / "lock", "a+")  # noqa: SIM115 - a third process makes a new lock file ...
        import fcntl

        fcntl.flock(other.fileno(), fcntl.LOCK_EX)  # ... and holds it
    try:
        try:
            assert not got.wait(0.5)  # the old file's lock, free now, is no lock at all
        finally:
            other.close()
        assert got.wait(10)  # the new file's lock, once free, is
    finally:
        release.set()
        thread.join(10)


@pytest.mark.parametrize(("damaged", "command", "shown"), [
    ("facts.pickle", ["show", "nissan"], "Nissan  (company · automaker · id nissan)"),
    ("names.pickle", ["search", "company:nissan ceo"], "[role] Makoto Uchida: CEO of Nissan"),
    ("articles.pickle", ["show", "nissan"], "Nissan  (company · automaker · id nissan)"),
])
def test_damaged_saved_files_are_rebuilt_and_the_command_answers(built_index, tmp_path, damaged, command, shown):
    import shutil

    corpus, index_dir = built_index
    index_dir = Path(shutil.copytree(index_dir, tmp_path / "index"))
    gen = KnowledgeBase.open(corpus, index_dir).store.current()
    (gen / damaged).write_bytes(b"garbage, not a pickle")
    proc = alliance(*command, "--corpus", str(corpus), "--index-dir", str(index_dir), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    assert shown in proc.stdout
    assert "could not be read; the index was rebuilt" in proc.stderr
    assert assert_one_live_generation(index_dir) != gen


def test_a_search_by_company_reads_the_names_not_the_facts(built_index, tmp_path):
    """A filter by name resolves against the small table saved with the generation: a search
    never reads the fact base (the search process of the app need not hold it)."""
    import shutil

    corpus, index_dir = built_index
    index_dir = Path(shutil.copytree(index_dir, tmp_path / "index"))
    kb = KnowledgeBase.open(corpus, index_dir)
    kb.ensure()
    assert kb.search("company:nisan ceo").messages == [
        "No company is called 'nisan' (did you mean 'Nissan'?); the filter company:nisan was ignored."]
    assert kb.search("vehicle:nissan").messages == [
        "No vehicle is called 'nissan' (did you mean 'nissan-micra'?); the filter vehicle:nissan was ignored."]
    assert kb.search("entity:uchdia").messages == [
        "No entity is called 'uchdia' (did you mean 'Makoto Uchida'?); the filter entity:uchdia was ignored."]
    found = kb.search("company:nissan ceo")
    assert found.messages == [] and any(h.title.startswith("Makoto Uchida: CEO of Nissan") for h in found.hits)
    assert kb._facts is None
    assert kb.name_table().resolve("Renault Group", ("company",))[0] == "renault-group"
    assert kb.facts.names.exact("Renault Group").id == "renault-group"


def _limit_file_size(limit: int):
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@contextlib.contextmanager
def read_only(folder: Path):
    """Make `folder` really unwritable, even for root: a read-only bind mount, else immutable
    files (chattr), else permissions (not root). Skips when none of them is possible here."""
    def run(*cmd: str) -> bool:
        try:
            return subprocess.run(cmd, capture_output=True, timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for p in modes:
            p.chmod(modes[p] & ~0o222)
        try:
            yield "Permission denied"
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
    elif run("mount", "--bind", str(folder), str(folder)):
        try:
            if not run("mount", "-o", "remount,ro,bind", str(folder)):
                pytest.skip("cannot remount read-only here")
            yield "Read-only file system"
        finally:
            run("umount", str(folder))
    elif run("chattr", "-R", "+i", str(folder)):
        try:
            yield "Operation not permitted"
        finally:
            run("chattr", "-R", "-i", str(folder))
    else:
        pytest.skip("no way to make a folder read-only for root here (mount, chattr)")


def _copy_with_a_new_article(built_index, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the built index whose corpus is a copy of the corpus with one new article."""
    import shutil

    corpus, index_dir = built_index
    index_dir = Path(shutil.copytree(index_dir, tmp_path / "index"))
    corpus = copy_corpus(tmp_path / "corpus")
    gen = KnowledgeBase.open(corpus, index_dir).store.current()
    state = json.loads((gen / "state.json").read_text(encoding="utf-8"))
    state["corpus"] = str(corpus.resolve())  # the copy is the index's corpus
    (gen / "state.json").write_text(json.dumps(state), encoding="utf-8")
    write(corpus / "seeds" / "100_new.txt", "Wallaby news\n\nMay 5, 2025\n\nWallaby Motors met Nissan.\n")
    return corpus, index_dir


def test_a_read_only_cache_serves_the_last_index_and_says_what_it_lacks(built_index, tmp_path):
    corpus, index_dir = _copy_with_a_new_article(built_index, tmp_path)
    write(corpus / "seeds" / REUTERS, (corpus / "seeds" / REUTERS).read_bytes() + b"\nOne more line.\n")
    args = ("--corpus", str(corpus), "--index-dir", str(index_dir))
    before = tree_state(index_dir)
    with read_only(index_dir) as error:
        proc = alliance("search", "AmpR Small", *args, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert_no_traceback(proc)
        assert "AmpR Small" in proc.stdout
        notice = " ".join(proc.stderr.split())
        assert f"The index could not be updated ({error}); showing the index of " in notice, notice
        assert "1 new article (100_new.txt)" in notice and f"1 changed article ({REUTERS})" in notice, notice
        assert alliance("search", "wallaby", *args, cwd=tmp_path).returncode == 1  # not in the old index
        told = alliance("index", *args, cwd=tmp_path)  # asked to index: that fails, clearly
        assert told.returncode == 2 and "cannot build the index" in told.stderr, told.stderr
        assert_no_traceback(told)
    assert tree_state(index_dir) == before
    proc = alliance("search", "wallaby", *args, cwd=tmp_path)  # writable again: updated, not rebuilt
    assert proc.returncode == 0 and "100_new.txt" in proc.stdout, proc.stderr
    assert "rebuilt" not in proc.stderr and "could not" not in proc.stderr, proc.stderr


def test_a_full_disk_after_the_corpus_changed_serves_the_last_index(built_index, tmp_path):
    """Writes that fail (a file-size limit: EFBIG, as a full disk fails them with ENOSPC)."""
    corpus, index_dir = _copy_with_a_new_article(built_index, tmp_path)
    args = ("--corpus", str(corpus), "--index-dir", str(index_dir))
    proc = alliance("search", "AmpR Small", *args, cwd=tmp_path, preexec_fn=_limit_file_size(0))
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    assert "could not be updated (File too large)" in proc.stderr and "100_new.txt" in proc.stderr
    proc = alliance("search", "wallaby", *args, cwd=tmp_path)  # the disk has room again
    assert proc.returncode == 0 and "100_new.txt" in proc.stdout, proc.stderr
    assert "rebuilt" not in proc.stderr, proc.stderr  # what the failed update left did not count as damage
    assert_one_live_generation(index_dir)


def test_a_first_build_on_a_full_disk_is_one_clear_message(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    proc = alliance("index", "--corpus", str(corpus_dir), "--index-dir", str(index_dir), cwd=tmp_path,
                    preexec_fn=_limit_file_size(0))
    assert proc.returncode == 2
    assert proc.stderr.strip() == "alliance: cannot build the index: [Errno 27] File too large", proc.stderr
    assert not [p for p in index_dir.iterdir() if p.name.startswith((BUILDING_PREFIX, GEN_PREFIX))]


def test_sub_writers_that_cannot_write_fail_the_build_rather_than_lose_documents(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    proc, _marker, _go = held(corpus_dir, index_dir, tmp_path, fsize=2048)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and out == ""
    assert err.count("Traceback") == 1 and err.strip().endswith("OSError: [Errno 27] File too large"), err
    assert "SubWriterTask" not in err and "Process " not in err  # the sub-writers printed nothing
    assert not [p for p in index_dir.iterdir() if p.name.startswith((BUILDING_PREFIX, GEN_PREFIX))]


def test_a_search_waits_for_another_process_s_update_only_briefly(built_index, tmp_path):
    from search.kb import PATIENCE

    corpus, index_dir = _copy_with_a_new_article(built_index, tmp_path)
    updater, marker, go = held(corpus, index_dir, tmp_path, stage="Indexing articles")
    with paused(updater, marker, "the update to start"):
        started = time.monotonic()
        proc = alliance("search", "AmpR Small", "--corpus", str(corpus), "--index-dir", str(index_dir),
                        cwd=tmp_path)
        waited = time.monotonic() - started
        out, err = release(updater, go)
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    assert "another alliance process is still updating it" in " ".join(proc.stderr.split()), proc.stderr
    assert "100_new.txt" in proc.stderr
    assert waited < PATIENCE + 60  # not the writer's 300 s: the search answered from the index as it was
    assert updater.returncode == 0 and out.split()[0] == "update", err


def test_a_search_folds_copies_from_the_small_copies_file_alone(corpus_dir, tmp_path):
    """The sketches (most of the copies index) are never read by a search; a copy added by an
    update is folded as well as one found by a full build."""
    from search.kb import KnowledgeBase
    from search.saved import COPIES, DUPLICATES

    seeds = sorted((corpus_dir / "seeds").glob("*.txt"))
    original = seeds[0]
    (corpus_dir / "seeds" / "900_copy.txt").write_text(original.read_text(encoding="utf-8").upper(), encoding="utf-8")
    kb = KnowledgeBase.open(corpus_dir, tmp_path / "index")
    kb.ensure()
    gen = kb.store.current()
    assert (gen / COPIES).stat().st_size < (gen / DUPLICATES).stat().st_size
    (gen / DUPLICATES).unlink()  # a search must not need it
    words = " ".join(original.read_text(encoding="utf-8").split()[40:44])
    found = kb.search(words, kind="article")
    ids = [h.id for h in found.hits]
    assert len({original.name, "900_copy.txt"} & set(ids)) == 1, ids
    shown = next(h for h in found.hits if h.id in (original.name, "900_copy.txt"))
    assert shown.payload["also_in"] == [n for n in (original.name, "900_copy.txt") if n != shown.id]
    kb.close()

    # the same after an update adds a second copy (the full index of copies is rebuilt first)
    kb = KnowledgeBase.open(corpus_dir, tmp_path / "index2")
    kb.ensure()
    (corpus_dir / "seeds" / "901_copy.txt").write_text(original.read_text(encoding="utf-8").lower(), encoding="utf-8")
    kb.ensure()
    assert kb.last_report.action != "build"
    (kb.store.current() / DUPLICATES).unlink()
    found = kb.search(words, kind="article")
    names = {original.name, "900_copy.txt", "901_copy.txt"}
    assert len(names & {h.id for h in found.hits}) == 1
    shown = next(h for h in found.hits if h.id in names)
    assert set(shown.payload["also_in"]) == names - {shown.id}
    kb.close()
