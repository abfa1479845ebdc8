"""The share of a build that linking takes, measured directly (no noise from two builds).

    .venv/bin/python bench/mentions_share.py bench/corpora/10000-1

Reads every article of a corpus as a build does (`read_article`: decode, clean, metadata)
and then links it as a build does (`find(sentences=False)` + `summary`), timing the two in the same
loop: the reading is the reference the linking is compared with.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(corpus_dir: str) -> int:
    from facts.articles import read_article
    from facts.corpus import Corpus
    from facts.loader import read_fact_files
    from facts.mentions import NameMatcher, body_start, summary

    corpus = Corpus.open(corpus_dir)
    raw, _ = read_fact_files(corpus.fact_files(), corpus.rel)
    started = time.perf_counter()
    matcher = NameMatcher.from_facts(raw)
    build = time.perf_counter() - started
    reading = linking = 0.0
    links = 0
    files = corpus.article_files()[0]
    for path in files:
        started = time.perf_counter()
        article = read_article(path, corpus.sidecar)[0]
        middle = time.perf_counter()
        named = summary(matcher.find(article.text, sentences=False), body_start(article.text, article.title))
        linking += time.perf_counter() - middle
        reading += middle - started
        links += len(named)
    print(f"{len(files)} articles, {links} article-entity links; matcher built in {build * 1000:.0f} ms")
    print(f"reading (reference): {reading:.1f} s; linking: {linking:.1f} s ({100 * linking / reading:.0f}% of reading)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
