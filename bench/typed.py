"""The engine's time for queries typed as you type, and for phrases, against SQLite FTS5.

    python bench/typed.py CORPUS INDEX [--rounds N] [--phrases] [--json FILE]

Each prefix of run.TYPED ("a", "am", "amp", ... "ampere battery chemistry") is searched
through KnowledgeBase.search exactly as the app's search process asks for it (the text as
typed, limit 20, a `cancelled` callback that stays false), in typing order, in `--rounds`
freshly opened knowledge bases (each has answered one other search first, untimed); FTS5's plain-query p95 (bench/fts.py, the queries of run.py's plain category) is
measured in the same run and is the yardstick. With --phrases, the phrase category of
bench/queries.py is timed too (ours and FTS5's), as bench/run.py times it (each query
searched 8 times in one knowledge base) and as the first search of a fresh one. INDEX must be current for CORPUS (it is
opened, never built: a stale index is an error). Nothing is written but the JSON asked for.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from common import summary
from run import TYPED

LIMIT = 20  # tui/widgets/search_results.PAGE: results asked for as you type
WARM_UP = "electric motor"  # searched once in each fresh knowledge base, not timed (in no query timed)


def prefixes(texts: list[str]) -> list[str]:
    """Every text as typed letter by letter, without the searches the app skips (blank ones)."""
    return [text[:n] for text in texts for n in range(1, len(text) + 1) if text[:n].strip()]


def fresh(open_kb):
    """A newly opened knowledge base that has answered one search (not timed): what the app's
    search process is once it is up, before the user types. No article or posting list read
    for an earlier round is kept (the analysis of words seen before is: it is kept for the
    whole process), so each round types the text for the first time."""
    kb = open_kb()
    kb.search(WARM_UP, limit=LIMIT)
    return kb


def time_typing(open_kb, typed: list[str], rounds: int) -> tuple[dict, dict[str, list[float]]]:
    """Summary of kb.search over every prefix, in typing order, in `rounds` fresh knowledge
    bases, and the samples of each prefix."""
    never = lambda: False  # noqa: E731  (the search process's check between steps)
    per: dict[str, list[float]] = {text: [] for text in typed}
    for _ in range(rounds):
        kb = fresh(open_kb)
        for text in typed:
            started = time.perf_counter()
            kb.search(text, limit=LIMIT, cancelled=never)
            per[text].append(time.perf_counter() - started)
        kb.close()
    return summary([s for samples in per.values() for s in samples]), per


def time_cold(open_kb, queries, rounds: int) -> dict:
    """Summary of each query searched once in a fresh knowledge base, `rounds` times."""
    samples = []
    for _ in range(rounds):
        for query in queries:
            kb = fresh(open_kb)
            started = time.perf_counter()
            kb.search(query.ours, limit=LIMIT)
            samples.append(time.perf_counter() - started)
            kb.close()
    return summary(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("index", type=Path)
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds over every prefix (default 5)")
    parser.add_argument("--phrases", action="store_true", help="time the phrase queries too")
    parser.add_argument("--json", type=Path, help="write every sample here")
    args = parser.parse_args(argv)
    os.environ.setdefault("ALLIANCE_CACHE_DIR", tempfile.mkdtemp(prefix="alliance-typed-"))

    from fts import FtsIndex, documents
    from queries import CATEGORIES, OurSearch, time_queries

    import search
    from facts.corpus import Corpus
    from search.kb import KnowledgeBase

    def open_kb() -> KnowledgeBase:
        kb = KnowledgeBase(Corpus.open(args.corpus), args.index)  # no article read before
        kb.ensure()
        return kb

    kb = KnowledgeBase(Corpus.open(args.corpus), args.index)
    if not kb.is_current():
        parser.error(f"{args.index} is not a current index of {args.corpus}")
    kb.ensure()
    fts = FtsIndex()
    fts.build(list(documents(kb)))
    typed = prefixes(TYPED)
    out: dict = {"search": str(Path(search.__file__).parent), "typed": TYPED, "rounds": args.rounds,
                 "load_average_at_start": os.getloadavg()}
    out["fts_plain"] = time_queries(fts.search, CATEGORIES["plain"])
    out["typing"], per = time_typing(open_kb, typed, args.rounds)
    if args.phrases:
        out["phrase"] = time_queries(OurSearch(kb), CATEGORIES["phrase"])
        out["phrase_cold"] = time_cold(open_kb, CATEGORIES["phrase"], args.rounds)
        out["fts_phrase"] = time_queries(fts.search, CATEGORIES["phrase"])
    out["load_average_at_end"] = os.getloadavg()
    fts.close()
    kb.close()

    def ms(x: float) -> str:
        return f"{x * 1000:.1f}"

    plain_p95 = out["fts_plain"]["p95"]
    print(f"code: {out['search']} · load {out['load_average_at_start'][0]:.1f} → {out['load_average_at_end'][0]:.1f}")
    print(f"FTS5 plain: med / p95            {ms(out['fts_plain']['median'])} / {ms(plain_p95)} ms")
    t = out["typing"]
    print(f"typed prefixes ({len(typed)} × {args.rounds}): med / p95 / max  "
          f"{ms(t['median'])} / {ms(t['p95'])} / {ms(t['max'])} ms  → p95 ÷ FTS5 plain p95 = {t['p95'] / plain_p95:.2f}×")
    slow = sorted(per.items(), key=lambda kv: -max(kv[1]))[:5]
    print("  slowest prefixes (max ms): " + ", ".join(f"{text!r} {ms(max(s))}" for text, s in slow))
    if args.phrases:
        p, c, f = out["phrase"], out["phrase_cold"], out["fts_phrase"]
        print(f"FTS5 phrase: med / p95           {ms(f['median'])} / {ms(f['p95'])} ms")
        print(f"phrase, as bench/queries.py (each query 8×): med / p95 {ms(p['median'])} / {ms(p['p95'])} ms "
              f"→ p95 ÷ FTS5 = {p['p95'] / f['p95']:.1f}×")
        print(f"phrase, each the first search after opening: med / p95 {ms(c['median'])} / {ms(c['p95'])} ms "
              f"→ p95 ÷ FTS5 = {c['p95'] / f['p95']:.1f}×")
    if args.json:
        out["per_prefix"] = per
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
