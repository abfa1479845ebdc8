"""What linking articles to the entities they name costs.

    .venv/bin/python bench/mentions.py --articles 1000 --articles 10000

1. The matcher (`facts.mentions.NameMatcher.find`) and `candidates` on a 2 MiB text made of
   generated articles, with the generated corpus's entity names; in the same run, the
   references: one `\\w+` scan of the text (the tokenising floor), a naive regex alternation of
   every escaped name (case-insensitive), and inserting the text into an SQLite FTS5 table.
2. For each corpus size, a full build (`ensure(rebuild=True)`, in a child process, as
   bench/child_build.py) with the links and, in the same run, with the matcher emptied (the
   build as it was before links): alternated, `--runs` each, median reported. Then, on a
   copy with links, the update times: an article added, an alias added to a company
   (articles re-read and re-indexed), the alias taken away, and for reference a fact edit
   that changes no name (`--runs 0`: updates only).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from run import generated_corpus  # noqa: E402

CHILD = r"""
import sys, time
from pathlib import Path
if sys.argv[3] == "off":  # the build without links: no names to match
    import search.build
    from facts.mentions import NameMatcher
    search.build.NameMatcher.from_facts = staticmethod(lambda facts: NameMatcher())
from facts.corpus import Corpus
from search.kb import KnowledgeBase
started = time.perf_counter()
kb = KnowledgeBase(Corpus.open(sys.argv[1]), Path(sys.argv[2]))
report = kb.ensure(rebuild=True)
print(time.perf_counter() - started, report.articles_indexed)
kb.close()
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def best_of(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def matcher_numbers(corpus: Path) -> dict:
    from facts.articles import read_article
    from facts.corpus import Corpus
    from facts.loader import read_fact_files
    from facts.mentions import NameMatcher, candidates

    c = Corpus.open(corpus)
    raw, _ = read_fact_files(c.fact_files(), c.rel)
    matcher = NameMatcher.from_facts(raw)
    parts, size = [], 0
    for path in c.article_files()[0]:
        text = read_article(path)[0].text
        parts.append(text)
        size += len(text.encode("utf-8"))
        if size >= 2 * 1024 * 1024:
            break
    text = "\n\n".join(parts)
    found = matcher.find(text)
    names = sorted({n for e in matcher.entries for n in (e[2], *e[3])}, key=len, reverse=True)
    naive = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)
    word = re.compile(r"\w+")

    def fts() -> None:
        db = sqlite3.connect(":memory:")
        db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
        db.execute("INSERT INTO t VALUES (?)", (text,))
        db.commit()
        db.close()

    return {
        "text_mib": round(len(text.encode("utf-8")) / 1048576, 2),
        "names": len(names),
        "mentions": len(found),
        "find_s": best_of(lambda: matcher.find(text)),
        "candidates_s": best_of(lambda: candidates(text, matcher, found)),
        "matcher_build_s": best_of(lambda: NameMatcher.from_facts(raw)),
        "ref_word_scan_s": best_of(lambda: sum(1 for _ in word.finditer(text))),
        "ref_naive_alternation_s": best_of(lambda: sum(1 for _ in naive.finditer(text)), runs=2),
        "ref_fts5_insert_s": best_of(fts),
    }


def build_numbers(corpus: Path, runs: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    times: dict[str, list[float]] = {"on": [], "off": []}
    with tempfile.TemporaryDirectory(prefix="alliance-bench-links-") as work:
        env["ALLIANCE_CACHE_DIR"] = str(Path(work) / "cache")
        for i in range(runs):
            for mode in (("on", "off") if i % 2 == 0 else ("off", "on")):
                index = Path(work) / f"index-{mode}-{i}"
                out = subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(index), mode],
                                     env=env, capture_output=True, text=True, check=True)
                seconds = float(out.stdout.split()[0])
                times[mode].append(seconds)
                log(f"  {corpus.name} build with links {mode}: {seconds:.2f} s")
    on, off = statistics.median(times["on"]), statistics.median(times["off"])
    return {"with_links_s": on, "without_links_s": off, "added_s": on - off,
            "added_pct": 100 * (on - off) / off, "runs": times}


UPDATE_CHILD = r"""
import json, shutil, sys, time
from pathlib import Path
from facts.corpus import Corpus
from search.kb import KnowledgeBase
src, work = Path(sys.argv[1]), Path(sys.argv[2])
corpus = work / "corpus"
shutil.copytree(src, corpus)
kb = KnowledgeBase(Corpus.open(corpus), work / "index")
kb.ensure()
out = {}
def step(label, change):
    change()
    report = kb.ensure()
    out[label] = {"seconds": report.seconds, "action": report.action,
                  "articles_indexed": report.articles_indexed, "facts_indexed": report.facts_indexed}
seeds = sorted((corpus / "seeds").glob("*.txt"))
step("article added", lambda: shutil.copy(seeds[0], corpus / "seeds" / "zz-probe.txt"))
entities = corpus / "facts" / "entities.yaml"
text = entities.read_text(encoding="utf-8")
old = '  - id: dacia\n    name: "Dacia"\n'
assert old in text
step("alias added (Dacia Spring)", lambda: entities.write_text(
    text.replace(old, old + '    aliases: ["Dacia Spring"]\n'), encoding="utf-8"))
step("alias removed", lambda: entities.write_text(text, encoding="utf-8"))
desc = "    type: \"brand\"\n    parent: \"renault-nissan-mitsubishi-alliance\"\n"
assert old + desc in text
step("fact edited, names unchanged (reference)", lambda: entities.write_text(
    text.replace(old + desc, old + desc.replace("brand", "automaker", 1)), encoding="utf-8"))
print(json.dumps(out))
kb.close()
"""


def update_numbers(corpus: Path) -> dict:
    """Update times on a copy: an article added, a name added to a fact file and taken away."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory(prefix="alliance-bench-links-") as work:
        env["ALLIANCE_CACHE_DIR"] = str(Path(work) / "cache")
        out = subprocess.run([sys.executable, "-c", UPDATE_CHILD, str(corpus), work], env=env,
                             capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, action="append", help="generated corpus sizes (repeat)")
    parser.add_argument("--runs", type=int, default=2, help="builds of each kind per size (default 2; 0: none)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = args.articles or [1000]
    results = {"matcher": matcher_numbers(generated_corpus(max(sizes), args.seed))}
    log(json.dumps(results["matcher"]))
    for n in sizes:
        corpus = generated_corpus(n, args.seed)
        results[str(n)] = build_numbers(corpus, args.runs) if args.runs else {}
        results[str(n)]["updates"] = update_numbers(corpus)
        log(json.dumps(results[str(n)]))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
