"""Child process of run.py: one full index build, with its wall time, stages and peak RSS.

    python bench/child_build.py CORPUS INDEX_DIR OUT_JSON

Runs KnowledgeBase(Corpus.open(CORPUS), INDEX_DIR).ensure(rebuild=True) and writes
what it measured to OUT_JSON. A process of its own, so its peak memory is its own.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from common import StageClock, self_peak_rss_mb, slowest, write_json


def main(corpus: str, index_dir: str, out: str) -> int:
    started = time.perf_counter()
    from facts.corpus import Corpus
    from search.kb import KnowledgeBase

    imported = time.perf_counter()
    clock = StageClock()  # starts now: the stages exclude the imports
    kb = KnowledgeBase(Corpus.open(corpus), Path(index_dir))
    report = kb.ensure(progress=clock, rebuild=True)
    finished = time.perf_counter()
    stages = clock.stages(finished)
    write_json(Path(out), {
        "seconds": finished - imported,  # KnowledgeBase(...) + ensure(rebuild=True)
        "report_seconds": report.seconds,
        "import_seconds": imported - started,
        "action": report.action,
        "articles_indexed": report.articles_indexed,
        "facts_indexed": report.facts_indexed,
        "errors": sum(1 for p in report.problems if p.severity == "error"),
        "stages": stages,
        "slowest_stage": slowest(stages),
        "counts": kb.manifest.get("counts", {}),
        "peak_rss_mb": self_peak_rss_mb(),
        "cpu_seconds": _cpu_seconds(),  # this process and its sub-writers: steadier than wall time on a busy machine
    })
    kb.close()
    return 0


def _cpu_seconds() -> dict:
    import resource

    own, subs = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"parent": own.ru_utime + own.ru_stime, "sub_writers": subs.ru_utime + subs.ru_stime}


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
