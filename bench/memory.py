"""Memory of a KnowledgeBase at each step of what the app does, in a fresh process.

    python bench/memory.py CORPUS INDEX_DIR [--search-only]

Opens the knowledge base on an index that is already built (ensure() must find nothing to
do), runs plain searches and searches filtered by a name, then (unless --search-only, which
is what a search process does) reads the fact base and what the panes, a profile, a
timeline and the mentions read. After each step it prints the process's resident set and
its own peak (VmRSS, VmHWM of /proc/self/status) and the step's time. The sizes of the
files saved with the generation are printed as the reference: what is read from disk.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

SEARCHES = ["ampere battery chemistry", "nissan partnership", "company:renault ev", "entity:nisan"]


def status() -> dict[str, int]:
    out = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) // 1024
    return out


def step(label: str, fn):
    started = time.perf_counter()
    value = fn()
    now = status()
    print(f"{label:<42} {time.perf_counter() - started:7.2f} s   rss {now['VmRSS']:4d} MB   peak {now['VmHWM']:4d} MB",
          flush=True)
    return value


def main(corpus: str, index_dir: str, search_only: bool) -> int:
    from facts.corpus import Corpus
    from search.kb import KnowledgeBase

    kb = KnowledgeBase(Corpus.open(corpus), Path(index_dir))
    report = step("open: ensure()", kb.ensure)
    if report.action != "none":
        print(f"(the index was not current: {report.action}, {report.reason}; run again)")
    gen = kb.store.current()
    for path in sorted(gen.glob("*.pickle")):
        print(f"  {path.name:<20} {path.stat().st_size / 1e6:6.1f} MB on disk")
    for text in SEARCHES:
        step(f"search {text!r}", lambda text=text: kb.search(text))
    if search_only:
        return 0
    base = step("the fact base", lambda: kb.facts)
    companies = base.of_kind("company")
    step("the panes (counts of every company)",
         lambda: [(base.count_for(c.id), base.article_count(c.id)) for c in companies])
    step("articles' metadata and copies", lambda: (kb.article_metas(), kb.duplicates))
    biggest = max(companies, key=lambda c: base.count_for(c.id)).id
    from facts.timeline import timeline

    step(f"timeline of {biggest}", lambda: timeline(base, biggest))
    step(f"mentions of {biggest}", lambda: kb.mentions_of(biggest))
    return 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    sys.exit(main(args[0], args[1], "--search-only" in sys.argv))
