"""The suggester's rule families, hedges, negatives, update links, YAML round trip and the review store."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from facts.base import load
from facts.corpus import Corpus
from facts.suggest import suggest_article
from facts.suggest.checking import check_edit
from facts.suggest.render import to_yaml
from facts.suggest.session import ReviewSession
from facts.suggest.store import ReviewStore, StoreError

from .suggest_support import NEW, make_corpus


@pytest.fixture
def loaded(tmp_path):
    return load(Corpus.open(make_corpus(tmp_path / "c")))


@pytest.fixture
def found(loaded):
    return suggest_article(loaded.articles[NEW], loaded.facts)


def _of(found, kind, **fields):
    return [s for s in found if s.kind == kind and all(s.values.get(k) == v for k, v in fields.items())]


def test_synthetic_corpus_is_valid(loaded):
    assert [str(p) for p in loaded.errors] == []


def test_cross_holdings_cut_supersede_both_stakes(found):
    a = _of(found, "stake", holder="nissan", target="renault-group", percent=10)
    b = _of(found, "stake", holder="renault-group", target="nissan", percent=10)
    assert a and b
    assert a[0].values["supersedes"] == ["stake-nissan-in-renault"]
    assert b[0].values["supersedes"] == ["stake-renault-in-nissan"]
    assert "percent: 15 → 10" in a[0].why[0]
    assert a[0].quote.startswith("Nissan and Renault cut their cross-holdings to 10%")


def test_step_down_ends_the_role(found):
    roles = _of(found, "role", person="jane-doe", org="nissan")
    assert roles and roles[0].values["until"] == "2024-06"
    assert roles[0].values["supersedes"] == ["role-jane-doe-nissan-ceo"]


def test_talks_and_ended_talks(found):
    talks = _of(found, "partnership", type="talks", status="in-talks")
    assert talks and set(talks[0].values["parties"]) == {"renault-group", "volkswagen"}
    ended = _of(found, "partnership", status="ended")
    assert ended and set(ended[0].values["parties"]) == {"nissan", "honda"}
    assert ended[0].values["supersedes"] == ["nissan-honda-merger-talks"]


def test_a_cancelled_plan_supersedes_the_plan(found):
    cancelled = [s for s in found if s.kind == "plan" and "cancelled" in s.quote]
    assert cancelled and cancelled[0].values["status"] == "ruled-out"
    assert cancelled[0].values["supersedes"] == ["plan-ampere-listing"]
    assert "status: planned → ruled-out" in cancelled[0].why[0]


def test_hedged_wording_is_never_confirmed(found):
    rivian = _of(found, "stake", holder="renault-group")
    rivian = [s for s in rivian if "rivian" in s.values["target"]]
    assert rivian and rivian[0].hedge == "reportedly"
    assert rivian[0].values.get("certainty") in ("reported", None)
    assert rivian[0].values.get("certainty") or "not confirmed" in rivian[0].values.get("note", "")
    assert any(n.values["name"] == "Rivian" for n in rivian[0].new)  # a new company proposed alongside


def test_negatives(found):
    assert not [s for s in found if s.kind == "stake" and "tesla" in s.values.get("target", "")]
    assert not [s for s in found if "meeting room" in s.quote]
    ruled_out = [s for s in found if s.kind == "plan" and "Tesla" in s.quote]
    assert ruled_out and ruled_out[0].values["status"] == "ruled-out" and ruled_out[0].hedge is None


def test_every_quote_occurs_in_the_article(loaded, found):
    raw = loaded.articles[NEW].raw
    for s in found:
        assert " ".join(raw[s.span[0]:s.span[1]].split()) == " ".join(s.quote.split())


def test_known_facts_are_not_suggested_again(loaded):
    found = suggest_article(loaded.articles["001_old.txt"], loaded.facts)
    assert not [s for s in found if s.kind == "stake"]
    assert not [s for s in found if s.kind == "role"]


def test_rejected_suggestions_do_not_come_back(loaded, found):
    stake = _of(found, "stake", holder="nissan", target="renault-group")[0]
    again = suggest_article(loaded.articles[NEW], loaded.facts, rejected={stake.key})
    assert stake.key not in {s.key for s in again}
    assert len(again) == len(found) - 1


def test_roles_rules():
    import tempfile
    from pathlib import Path

    root = make_corpus(Path(tempfile.mkdtemp()) / "c")
    (root / "seeds" / "003_roles.txt").write_text(
        "People\n\nNissan's CEO Ivan Espinosa met the press.\n\nMaria Rossi, chief financial officer of "
        "Stellantis Group, spoke.\n", encoding="utf-8")
    loaded = load(Corpus.open(root))
    found = suggest_article(loaded.articles["003_roles.txt"], loaded.facts)
    ceo = [s for s in found if s.kind == "role" and s.values["org"] == "nissan"]
    assert ceo and ceo[0].values["title"] == "CEO"
    assert ceo[0].new and ceo[0].new[0].values["name"] == "Ivan Espinosa"
    cfo = [s for s in found if s.kind == "role" and s.values["title"].lower() == "chief financial officer"]
    assert cfo and cfo[0].new and {n.kind for n in cfo[0].new} == {"person", "company"}


def test_yaml_round_trips_through_check(tmp_path, loaded, found):
    root = tmp_path / "c"
    (root / "facts" / "suggested.yaml").write_text(to_yaml(found, "test"), encoding="utf-8")
    again = load(Corpus.open(root))
    assert [str(p) for p in again.errors] == []
    assert len(again.facts) == len(loaded.facts) + len({s.id for s in found} | {n.id for s in found for n in s.new})


def test_edit_checker_says_did_you_mean(loaded, found):
    stake = _of(found, "stake", holder="nissan", target="renault-group")[0]
    record = stake.record()
    record["holder"] = "nisan"
    messages = check_edit("stake", record, loaded.articles[NEW].raw, loaded.facts)
    assert any("did you mean 'nissan'" in m for m in messages)
    record["holder"] = "nissan"
    record["sources"] = [{"article": NEW, "quote": "a sentence the article does not have"}]
    assert any("quote not found" in m for m in check_edit("stake", record, loaded.articles[NEW].raw, loaded.facts))
    record["sources"] = [{"article": NEW, "quote": "cut their cross-holdings to 10%"}]
    assert check_edit("stake", record, loaded.articles[NEW].raw, loaded.facts) == []


def test_store_accept_undo_and_reject(tmp_path, loaded, found):
    root = tmp_path / "c"
    store = ReviewStore(root)
    raw = loaded.articles[NEW].raw
    rivian = next(s for s in found if s.kind == "stake" and "rivian" in s.values["target"])
    session = ReviewSession(store, NEW, found)
    written = session.accept(found.index(rivian), raw, set(loaded.facts.facts))
    assert written.path == root / "facts" / "suggested-002_news.yaml"
    assert set(written.ids) == {rivian.id, rivian.new[0].id}  # the new company is written with it
    again = load(Corpus.open(root))
    assert [str(p) for p in again.errors] == []
    assert again.facts.get(rivian.id).get("target") == rivian.new[0].id
    session.undo()
    assert not written.path.exists()
    session.reject(0)
    assert found[0].key in ReviewStore(root).rejected()
    session.undo()
    assert found[0].key not in ReviewStore(root).rejected()


def test_store_refuses_a_quote_that_no_longer_matches(tmp_path, found):
    store = ReviewStore(tmp_path / "c")
    with pytest.raises(StoreError, match="no longer in"):
        store.accept([found[0]], "the article was rewritten", set())
    assert not store.path_for(NEW).exists()


def test_store_renames_a_clashing_id_and_merges_outside_changes(tmp_path, loaded, found):
    store = ReviewStore(tmp_path / "c")
    raw = loaded.articles[NEW].raw
    stake = _of(found, "stake", holder="nissan", target="renault-group")[0]
    path = store.path_for(NEW)
    store.read(path)  # the review starts: the file does not exist yet
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"stakes:\n  - id: {stake.id}\n    holder: nissan\n    target: honda\n    status: current\n"
                    "    sources:\n      - {article: 002_news.txt, quote: \"talks with Honda\"}\n", encoding="utf-8")
    written = store.accept([stake], raw, set(loaded.facts.facts))
    assert any("changed outside" in m for m in written.messages)
    assert any("is taken now" in m for m in written.messages)
    text = path.read_text(encoding="utf-8")
    assert "target: honda" in text and f"id: {stake.id}-2" in text  # nothing lost, nothing overwritten


def test_store_refuses_a_broken_file(tmp_path, loaded, found):
    store = ReviewStore(tmp_path / "c")
    path = store.path_for(NEW)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("stakes: [unclosed\n", encoding="utf-8")
    with pytest.raises(StoreError, match="nothing was written"):
        store.accept([found[0]], loaded.articles[NEW].raw, set())
    assert path.read_text(encoding="utf-8") == "stakes: [unclosed\n"


def _cli(*args, cache, library=None):
    env = {**os.environ, "ALLIANCE_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    if library is not None:
        env["ALLIANCE_LIBRARY_DIR"] = str(library)
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, env=env, timeout=120)


def test_cli_suggest_json_yaml_and_text(tmp_path):
    root = make_corpus(tmp_path / "c")
    proc = _cli("suggest", "002", "--json", "--corpus", str(root), cache=tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    kinds = {s["kind"] for s in data["suggestions"]}
    assert {"stake", "role", "partnership"} <= kinds
    stake = next(s for s in data["suggestions"] if s["kind"] == "stake" and s["supersedes"])
    assert stake["changes"] and stake["quote_end"] > stake["quote_start"]
    proc = _cli("suggest", "002_news.txt", "--yaml", "--corpus", str(root), cache=tmp_path / "cache")
    assert proc.returncode == 0
    (root / "facts" / "from-cli.yaml").write_text(proc.stdout, encoding="utf-8")
    check = _cli("check", "--corpus", str(root), cache=tmp_path / "cache")
    assert check.returncode == 0, check.stdout
    (root / "facts" / "from-cli.yaml").unlink()
    text = _cli("suggest", "cut their ties", "--corpus", str(root), cache=tmp_path / "cache")
    assert "supersedes stake-nissan-in-renault (percent: 15 → 10)" in text.stdout
    missing = _cli("suggest", "nothing-like-this", "--corpus", str(root), cache=tmp_path / "cache")
    assert missing.returncode == 2 and "no single article matches" in missing.stderr


def test_hostile_article_text_stays_literal(tmp_path):
    root = make_corpus(tmp_path / "c")
    (root / "seeds" / "004_bad.txt").write_text(
        "Bad\n\n[bold]Renault[/bold] is in talks with \x1b[2JVolkswagen about [red]cars[/red].\n", encoding="utf-8")
    proc = _cli("suggest", "004", "--corpus", str(root), cache=tmp_path / "cache")
    assert "\x1b" not in proc.stdout and "[bold]Renault[/bold]" in proc.stdout


def test_cli_suggest_on_a_library_article_and_check_the_library(tmp_path):
    from .suggest_support import NEW_TEXT

    root = make_corpus(tmp_path / "c")
    library = tmp_path / "lib"
    (library / "seeds").mkdir(parents=True)
    (root / "seeds" / NEW).rename(library / "seeds" / "lib_news.txt")
    (library / "seeds" / "lib_news.txt").write_text(NEW_TEXT.replace("Volkswagen", "Volkswagen"), encoding="utf-8")
    for fact_file in (root / "facts").glob("*.yaml"):  # the known facts cite the moved article
        fact_file.write_text(fact_file.read_text(encoding="utf-8").replace(NEW, "lib_news.txt"), encoding="utf-8")
    cache = tmp_path / "cache"
    proc = _cli("suggest", "lib_news", "--yaml", "--corpus", str(root), cache=cache, library=library)
    assert proc.returncode == 0, proc.stderr
    (library / "facts").mkdir()
    (library / "facts" / "suggested-lib_news.yaml").write_text(proc.stdout, encoding="utf-8")
    check = _cli("check", "--corpus", str(root), cache=cache, library=library)
    assert check.returncode == 0, check.stdout
    # a broken fact in the library is reported like a bundled one, with file and line
    (library / "facts" / "bad.yaml").write_text(
        "stakes:\n  - id: bad-stake\n    holder: nisan\n    target: honda\n    status: current\n    sources:\n"
        "      - {article: lib_news.txt, quote: talks with Honda}\n", encoding="utf-8")
    check = _cli("check", "--corpus", str(root), cache=cache, library=library)
    assert check.returncode == 2
    assert "bad.yaml:3: holder 'nisan' is not a known company (did you mean 'nissan'?)" in check.stdout


def test_the_bundled_corpus_is_never_the_review_target(tmp_path):
    from facts.suggest.store import review_root

    assert review_root(Corpus.open()) is None
    assert review_root(Corpus.open(None, tmp_path / "lib")) == (tmp_path / "lib").resolve()
    assert review_root(Corpus.open(make_corpus(tmp_path / "c"))) == (tmp_path / "c").resolve()


def test_a_hostile_run_of_names_is_bounded(tmp_path):
    from facts.suggest.engine import PER_SENTENCE
    from facts.suggest.rules import FAMILIES

    root = make_corpus(tmp_path / "c")
    (root / "seeds" / "005_run.txt").write_text("Run\n\n" + "Renault Nissan Honda " * 3000 + "\n", encoding="utf-8")
    loaded = load(Corpus.open(root))
    found = suggest_article(loaded.articles["005_run.txt"], loaded.facts)
    sentences = len(loaded.articles["005_run.txt"].text) // 600 + 2
    assert len(found) <= PER_SENTENCE * len(FAMILIES) * sentences
    assert not [s for s in found if s.kind == "vehicle"]  # "Renault Nissan" is two names, not a model
