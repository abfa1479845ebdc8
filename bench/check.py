"""The no-change start-up check alone, beside the floors of any check that looks at every file.

    python bench/check.py CORPUS INDEX_DIR [--runs N] [--code CHECKOUT] [--fingerprint-only]

On a corpus whose index is current (it must be: the check has to answer "none"), each round
times, one after the other so that every figure sees the same load:
- check: `Indexer.ensure()`'s own `Report.seconds` (what bench/run.py reports as the start-up check);
- kb.ensure(): the whole call, with opening the index;
- references: a bare Python `os.scandir` + `stat()` loop over the article folder(s), the same
  with each entry looked up from the open folder (`os.stat(name, dir_fd=…)`), that split over
  two threads, and GNU `find FOLDER -newer STAMP` (a process that stats every entry and prints
  nothing). Any check that must see an article edited in place has to stat every file.
Prints median and p95 of each, and the check's ratio to the references. `--code` times another
checkout's code (main's, for a paired before/after run on the same index). `--fingerprint-only`
times the check's own work, `fingerprint(corpus)`, without an index (one made by another
version of alliance would be rebuilt first: 12 minutes at 100,000 articles).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import REPO, percentile


def _bare(folders: list[Path]) -> None:
    for folder in folders:
        with os.scandir(folder) as entries:
            for entry in entries:
                entry.stat()


def _by_fd(folders: list[Path], pool: ThreadPoolExecutor | None = None) -> None:
    for folder in folders:
        fd = os.open(folder, os.O_RDONLY)
        try:
            names = os.listdir(fd)
            if pool is None:
                _stat_all(names, fd)
            else:
                list(pool.map(_stat_all, (names[::2], names[1::2]), (fd, fd)))
        finally:
            os.close(fd)


def _stat_all(names: list[str], fd: int) -> None:
    stat = os.stat
    for name in names:
        stat(name, dir_fd=fd)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose code is timed")
    parser.add_argument("--fingerprint-only", action="store_true", help="time fingerprint(corpus), not ensure()")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.code.resolve()))

    from facts.corpus import Corpus
    from search.kb import KnowledgeBase
    from search.scan import fingerprint

    kb = KnowledgeBase(Corpus.open(args.corpus), args.index_dir)
    if not args.fingerprint_only:
        first = kb.ensure()
        if first.action != "none":
            print(f"the index was not current ({first.action}: {first.reason}); run again to time the check",
                  file=sys.stderr)
    folders = [f.seeds_dir for f in kb.corpus.folders if f.seeds_dir.is_dir()]
    stamp_dir = Path(tempfile.mkdtemp(prefix="check-bench-"))
    stamp = stamp_dir / "stamp"
    stamp.touch()  # newer than every article: find prints nothing
    find = shutil.which("find")
    pool = ThreadPoolExecutor(2)
    indexer = kb.indexer()

    def check() -> float:
        report = indexer.ensure()
        if report.action != "none":
            raise RuntimeError(f"the corpus changed during the measurement ({report.action}: {report.reason})")
        return report.seconds

    def timed(fn) -> float:
        started = time.perf_counter()
        fn()
        return time.perf_counter() - started

    probes = {"check (fingerprint only)": lambda: timed(lambda: fingerprint(kb.corpus))} if args.fingerprint_only else {
        "check (Report.seconds)": check,
        "kb.ensure() wall": lambda: timed(kb.ensure),
    }
    probes |= {
        "ref: scandir + stat() loop": lambda: timed(lambda: _bare(folders)),
        "ref: stat(name, dir_fd) loop": lambda: timed(lambda: _by_fd(folders)),
        "ref: stat(name, dir_fd), 2 threads": lambda: timed(lambda: _by_fd(folders, pool)),
    }
    if find:
        probes["ref: find FOLDER -newer STAMP"] = lambda: timed(lambda: subprocess.run(
            [find, *map(str, folders), "-newer", str(stamp)], stdout=subprocess.DEVNULL, check=False))
    samples: dict[str, list[float]] = {name: [] for name in probes}
    try:
        for _ in range(args.runs):
            for name, probe in probes.items():
                samples[name].append(probe() * 1000)
    finally:
        pool.shutdown()
        shutil.rmtree(stamp_dir, ignore_errors=True)
        kb.close()

    files = sum(len(os.listdir(f)) for f in folders)
    print(f"{args.corpus} ({files:,} entries in the article folders), {args.runs} rounds, "
          f"load average {os.getloadavg()[0]:.2f}")
    for name, values in samples.items():
        print(f"  {name:38s} median {percentile(values, 50):7.1f} ms   p95 {percentile(values, 95):7.1f} ms")
    check_median = percentile(next(iter(samples.values())), 50)
    for name in probes:
        if name.startswith("ref:"):
            print(f"  check / {name[5:]:30s} {check_median / percentile(samples[name], 50):.2f}x (medians)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
