"""The cost of finding copies: what adding one article to a large corpus pays for it.

    .venv/bin/python bench/copies.py CORPUS [--probes 40]

CORPUS is a corpus folder (make one with `bench/gen.py OUT --articles 10000`). The script
reads every article's reading text, then measures:

- the sketches and the copies index of the whole corpus (what a full build adds);
- for each probe article (a fresh text, an exact copy, an excerpt, a rewrite of a corpus
  article, in turn): the step an index update runs for one added article, that is
  loading the saved copies index, sketching the text, finding what it copies, adding it
  and saving the index atomically (the target is 50 ms at 10,000 articles);
- as the reference, in the same run: adding the same article to an on-disk SQLite FTS5
  table holding the whole corpus and committing;
- what was found for each kind of probe, and how many pairs among the generated articles
  (which share vocabulary but no text) were taken for copies.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from facts.corpus import Corpus  # noqa: E402
from facts.duplicates import DuplicateIndex, sketch  # noqa: E402


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms"


def _probe(kind: str, texts: list[str], rng: random.Random) -> str:
    source = rng.choice(texts)
    paragraphs = [p for p in source.split("\n") if p.strip()]
    if kind == "copy":
        return source.upper()
    if kind == "excerpt":
        return "\n".join(paragraphs[: max(2, len(paragraphs) // 2)])
    if kind == "rewrite":  # new opening, one paragraph in four dropped, a new closing paragraph
        other = rng.choice(texts).split("\n")
        kept = [p for i, p in enumerate(paragraphs) if i % 4 != 3]
        return "\n".join([other[0], *kept, other[-1]])
    words = " ".join(rng.sample(texts, 3)).split()  # fresh: words of three articles, shuffled
    rng.shuffle(words)
    return " ".join(words[:700])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--probes", type=int, default=40)
    args = parser.parse_args(argv)

    corpus = Corpus.open(args.corpus)
    started = time.perf_counter()
    articles, _ = corpus.read_all()
    texts = {name: a.text for name, a in articles.items()}
    print(f"{len(texts)} articles read in {time.perf_counter() - started:.1f} s "
          f"({sum(len(t.split()) for t in texts.values()) / len(texts):.0f} words on average)")

    started = time.perf_counter()
    sketches = {name: sketch(text) for name, text in texts.items()}
    sketch_s = time.perf_counter() - started
    started = time.perf_counter()
    index = DuplicateIndex.build(sketches, corpus.order_key)
    build_s = time.perf_counter() - started
    pairs = sum(1 for n in texts if index.duplicate_of(n))
    print(f"sketches: {sketch_s:.2f} s ({sketch_s / len(texts) * 1000:.2f} ms per article); "
          f"copies index: {build_s:.2f} s; articles taken for copies among the generated ones: {pairs}")

    with tempfile.TemporaryDirectory(prefix="alliance-bench-copies-") as tmp:
        saved = Path(tmp) / "duplicates.pickle"
        with open(saved, "wb") as f:
            pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
        print(f"saved copies index: {saved.stat().st_size / 1e6:.1f} MB, "
              f"{len(index.keys) + len(index.tail):,} sampled shingles")

        db_path = Path(tmp) / "fts.sqlite"
        db = sqlite3.connect(db_path)
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(name, body, tokenize='porter unicode61 remove_diacritics 2')")
        with db:
            db.executemany("INSERT INTO docs VALUES (?, ?)", texts.items())

        rng = random.Random(1)
        pool = list(texts.values())
        kinds = ("fresh", "copy", "excerpt", "rewrite")
        ours: list[float] = []
        fts: list[float] = []
        found: dict[str, list[str]] = {k: [] for k in kinds}
        for i in range(args.probes):
            kind = kinds[i % len(kinds)]
            text = _probe(kind, pool, rng)
            name = f"{99000 + i}_probe.txt"

            started = time.perf_counter()
            with open(saved, "rb") as f:
                live = pickle.load(f)
            sk = sketch(text)
            matches = live.find(sk, corpus.order_key)
            live.add(name, sk, corpus.order_key)
            tmp_file = saved.with_name(".tmp-duplicates.pickle")
            with open(tmp_file, "wb") as f:
                pickle.dump(live, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp_file, saved)
            ours.append(time.perf_counter() - started)
            found[kind].append(matches[0].how if matches else "nothing")

            started = time.perf_counter()
            with db:
                db.execute("INSERT INTO docs VALUES (?, ?)", (name, text))
            fts.append(time.perf_counter() - started)
        db.close()

    print(f"adding one article, the copies step ({args.probes} probes): {_ms(ours)}")
    print(f"reference, adding it to SQLite FTS5 with the corpus and committing: {_ms(fts)}")
    for kind in kinds:
        counts = {h: found[kind].count(h) for h in sorted(set(found[kind]))}
        print(f"  {kind} probes found as: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
