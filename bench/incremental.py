"""Incremental updates: one article added, changed, removed; one cited article changed and put
back; the start-up check when nothing changed.

They run on copies of the corpus and of its index (`copies`): the corpus in bench/corpora,
which other runs re-use with their saved index, is never written.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from pathlib import Path

from common import StageClock, repeat, slowest, summary

PROBE = "bench-probe.txt"  # the added article's file name (sorts after the generated ones)
UNIQUE_WORD = "zyxquorbench"  # appended when the probe is changed; occurs nowhere else
CHECK_RUNS = 20


def probe_path(corpus_root: Path) -> Path:
    return corpus_root / "seeds" / PROBE


def remove_probe(corpus_root: Path) -> None:
    """Delete a probe article left in a corpus by a run of an earlier version of this benchmark."""
    with contextlib.suppress(FileNotFoundError):
        probe_path(corpus_root).unlink()


def copies(corpus: Path, index: Path, work: Path) -> tuple[Path, Path]:
    """Copies of `corpus` and of its `index` in `work` (files keep their times), the index's state
    naming the copied corpus as its own."""
    from facts.corpus import Corpus

    corpus_copy, index_copy = work / "corpus-updates", work / "index-updates"
    shutil.copytree(corpus, corpus_copy)
    shutil.copytree(index, index_copy)
    key = Corpus.open(corpus_copy).key
    for state_file in index_copy.glob("gen-*/state.json"):
        state = json.loads(state_file.read_text(encoding="utf-8"))
        state["corpus"] = key
        state_file.write_text(json.dumps(state), encoding="ascii")
    return corpus_copy, index_copy


def _update(kb, expect: str) -> dict:
    """kb.ensure() once: its Report's seconds and counts, and its stages (the action must be `expect`)."""
    clock = StageClock()
    report = kb.ensure(progress=clock)
    if report.action != expect:
        raise RuntimeError(f"expected an index {expect}, got {report.action} ({report.reason})")
    stages = clock.stages()
    return {"seconds": report.seconds, "action": report.action, "articles_indexed": report.articles_indexed,
            "articles_removed": report.articles_removed, "facts_indexed": report.facts_indexed,
            "stages": stages, "slowest_stage": slowest(stages)}


def change_cited(kb) -> dict:
    """Change an article that facts cite (a paragraph after its title: every quote moves), then put
    its bytes back: the times of both updates, and whether the new word was found."""
    name = min(s.article for f in kb.facts.facts.values() for s in f.sources)
    path = kb.corpus.root / "seeds" / name
    data = path.read_bytes()
    cut = data.index(b"\n\n") + 2
    path.write_bytes(data[:cut] + f"A late paragraph mentions {UNIQUE_WORD} first.\n\n".encode() + data[cut:])
    out = {"changed": _update(kb, "update")}
    out["changed"]["found"] = [h.id for h in kb.search(UNIQUE_WORD).hits] == [name]
    time.sleep(0.01)  # a new modification time even on coarse clocks
    path.write_bytes(data)
    out["restored"] = _update(kb, "update")
    return out


def measure(kb) -> dict:
    """Time the updates after one article is added, changed and removed, then the no-op checks."""
    root = kb.corpus.root
    probe = probe_path(root)
    template = min((root / "seeds").glob("*.txt"))
    _update(kb, "none")
    out: dict = {}
    try:
        probe.write_bytes(template.read_bytes())
        out["added"] = _update(kb, "update")
        time.sleep(0.01)  # a new modification time even on coarse clocks
        with probe.open("a", encoding="utf-8") as f:
            f.write(f"\nA late addition mentions {UNIQUE_WORD} here.\n")
        out["changed"] = _update(kb, "update")
        out["changed"]["found"] = kb.search(UNIQUE_WORD).total > 0
    finally:
        remove_probe(root)
    out["removed"] = _update(kb, "update")
    out["removed"]["gone"] = kb.search(UNIQUE_WORD).total == 0
    cited = change_cited(kb)
    out["cited_changed"], out["cited_restored"] = cited["changed"], cited["restored"]
    out.update(nothing_changed(kb))
    return out


def nothing_changed(kb) -> dict:
    """With the index current: Report.seconds of ensure(), kb.ensure() wall time, is_current()."""
    reports = [kb.ensure() for _ in range(CHECK_RUNS)]
    if any(r.action != "none" for r in reports):
        raise RuntimeError("the index should have been current")
    return {
        "check": summary([r.seconds for r in reports]),
        "kb_ensure": summary(repeat(kb.ensure, CHECK_RUNS)),
        "is_current": summary(repeat(kb.is_current, CHECK_RUNS)),
    }
