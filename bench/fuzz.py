"""Hostile and random queries through the whole search path; the slowest 20 of them.

    python bench/fuzz.py [--articles N ...] [--seed S] [--queries Q] [--limit L] [--out FILE]

For each generated corpus (cached in bench/corpora/<N>-<seed>/, its index kept beside it
in <N>-<seed>.index/ as `run.py --reuse-index` does) it runs Q generated queries
(punctuation soup, many wildcards, many typo-tolerant words, long words, unicode,
brackets and operators, field filters, mixtures, and the hostile queries of issue 7)
through what `alliance search` does: `kb.search(q, limit=L)`, the cited articles'
payloads, `Results.to_json` + `json_text` (the CLI's JSON) encoded as UTF-8, and
`print_results` to a console writing nowhere; then, as the app does when an article hit
is opened, `kb.article_spans` for the first article hit. Each query's time is the sum,
in wall-clock time and in this process's CPU time (the second is steadier on a shared
machine: waiting for a core does not count).

It prints the slowest 20 per corpus, the share of queries over the targets (0.5 s at
1,000 articles, 2 s at 10,000), any exception, and as a reference measured in the same
run the p95 of the plain-word queries of queries.py on SQLite FTS5 and on alliance.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

from common import BENCH, summary, write_json

TARGETS = {1000: 0.5, 10000: 2.0}  # seconds, the slowest query allowed at that many articles
HOSTILE = (  # from issue 7, and variations on them
    "}{*", "..*", "{]{?[[?]*", "renault~2", "*", "?", "**", "*?*", "a*", ".*", "-*", "_*", "__*",
    "'*", "~*", "*~", "?~2", "**~2", "..~2", "s*", "e*", "1*", "0?", "?*?*?*", "a?b?c?*",
    " ".join(["ba* co* re* in* st* pr* ma* ca*"] * 5),
    " ".join(["renault~2"] * 40),
    " ".join(["renault~2"] * 400),
    " ".join(["e*"] * 40), " ".join(["th*"] * 40), " ".join(["?a*"] * 40),
    " OR ".join(["co*"] * 20), " ".join(f"w{i}~2" for i in range(40)),
    "source:*", "source:0*", "kind:article ba*", "company:nissan co* re*~2",
    "(" * 200 + "renault" + ")" * 200, "NOT " * 100 + "renault", "-a -b -c -d " * 10,
    "x" * 10_000, "x" * 10_000 + "~2", "x" * 10_000 + "*", "ab" + "?" * 500, "ab" + "*" * 500,
    '"' + "battery " * 500 + '"', "e-power-" * 200, "10,000," * 300,
    "could would people company year time back first also market new said",
)
PUNCT = [*"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "\u201c", "\u201d", "\u2019", "\u2010", "\u2026"]
UNICODE = ("é", "ß", "Š", "ﬁ", "İ", "\u0301", "\u200b", "\u200d", "\u202e", "\ufeff", "日本", "电动", "한국",
           "ア", "Ж", "ع", "עברית", "\U0001f697", "\U0001f600", "\u2126", "\u212a", "\ufb03", "\x85",
           "\x1b[31m", "\x00", "\ud800", "\U000e0001", "\u0660", "\u00bd", "²", "ⅷ")
OPERATORS = ("AND", "OR", "NOT", "(", ")", "-", "+", '"', "~", "~2", "*", "?")
FIELDS = ("kind", "type", "company", "org", "person", "vehicle", "model", "car", "platform",
          "technology", "tech", "entity", "source", "article", "status", "year", "foo")


class Generator:
    """Queries of every hostile kind, reproducible from a seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        words = [w.strip() for w in (BENCH / "words.txt").read_text().splitlines() if w and not w.startswith("#")]
        self.words = [*words[:3000], "renault", "nissan", "mitsubishi", "ampere", "battery", "e-power",
                      "software-defined", "scénic", "škoda", "lithium"]

    def word(self) -> str:
        return self.rng.choice(self.words)

    def punctuation(self) -> str:
        return "".join(self.rng.choice(PUNCT) for _ in range(self.rng.randint(1, 14)))

    def wildcards(self) -> str:
        parts = []
        for _ in range(self.rng.randint(1, 40)):
            w = self.word()
            cut = self.rng.randint(0, min(4, len(w)))
            mark = self.rng.choice(["*", "*", "?", "?*", "*?"])
            inner = self.rng.random() < 0.3
            parts.append(("?" + w[1:cut] if inner and cut > 1 else w[:cut]) + mark)
        return " ".join(parts)

    def fuzzy(self) -> str:
        n = self.rng.randint(1, 60)
        return " ".join(self.word() + self.rng.choice(["~", "~1", "~2", "~2", "~3"]) for _ in range(n))

    def long_word(self) -> str:
        letters = "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyzé-'.") for _ in range(self.rng.randint(20, 3000)))
        return letters + self.rng.choice(["", "*", "~", "~2", "?"])

    def unicode(self) -> str:
        return " ".join("".join(self.rng.choice(UNICODE) for _ in range(self.rng.randint(1, 4))) +
                        self.rng.choice(["", "*", "~2", self.word()]) for _ in range(self.rng.randint(1, 8)))

    def operators(self) -> str:
        pool = OPERATORS + tuple(self.word() for _ in range(4))
        return " ".join(self.rng.choice(pool) for _ in range(self.rng.randint(1, 60)))

    def filters(self) -> str:
        parts = []
        for _ in range(self.rng.randint(1, 6)):
            value = self.rng.choice([self.word(), self.word()[:2] + "*", "*", "", '"' + self.word() + " x\"",
                                     "nissan", "partnership", "2024", "000*", self.punctuation()])
            parts.append(f"{self.rng.choice(FIELDS)}:{value}")
            if self.rng.random() < 0.5:
                parts.append(self.rng.choice([self.word(), self.word()[:2] + "*", self.word() + "~2"]))
        return " ".join(parts)

    def mixture(self) -> str:
        makers = (self.punctuation, self.wildcards, self.fuzzy, self.unicode, self.operators, self.filters, self.word)
        return " ".join(self.rng.choice(makers)() for _ in range(self.rng.randint(2, 5)))

    def plain(self) -> str:
        return " ".join(self.word() for _ in range(self.rng.randint(1, 5)))

    def queries(self, count: int) -> list[tuple[str, str]]:
        """(category, query) pairs: the hostile list, then `count` generated ones."""
        makers = {"punctuation": self.punctuation, "wildcards": self.wildcards, "fuzzy": self.fuzzy,
                  "long word": self.long_word, "unicode": self.unicode, "operators": self.operators,
                  "filters": self.filters, "mixture": self.mixture, "plain": self.plain}
        names = list(makers)
        out = [("hostile", text) for text in HOSTILE]
        out.append(("hostile", " ".join(self.words[20:60])))  # 40 common words: the widest plain query
        out += [(name, makers[name]()) for name in (names[i % len(names)] for i in range(count))]
        return out


def corpus_and_index(articles: int, seed: int) -> tuple[Path, Path]:
    """A generated corpus and its kept index (built here when missing or out of date)."""
    import run

    from facts.corpus import Corpus
    from search.kb import KnowledgeBase

    corpus = run.generated_corpus(articles, seed)
    index = run.saved_index(corpus)
    kb = KnowledgeBase(Corpus.open(corpus), index)
    if not kb.is_current():
        run.log(f"  building the index of {articles} articles ...")
        started = time.perf_counter()
        kb.ensure()
        run.log(f"  built in {time.perf_counter() - started:.0f} s")
    kb.close()
    return corpus, index


class CliPath:
    """What `alliance search QUERY` (text and --json) and opening a hit in the app do."""

    def __init__(self, kb, limit: int) -> None:
        from facts.text import json_text
        from tui.printing import console, print_results

        self.kb = kb
        self.limit = limit
        self.print_results = print_results
        self.json_text = json_text
        self.console = console()  # as `alliance search`, writing to a string instead of stdout

    def __call__(self, text: str) -> dict:
        started, cpu = time.perf_counter(), time.process_time()
        results = self.kb.search(text, limit=self.limit)
        searched = time.perf_counter()
        cited = [s["article"] for h in results.hits if h.is_fact for s in h.payload.get("sources", [])]
        articles = self.kb.engine().article_payloads(cited)
        for payload in articles.values():
            payload.setdefault("date_label", payload.get("date"))
        self.json_text(results.to_json(articles), indent=2).encode("utf-8")
        self.console.file = io.StringIO()
        self.print_results(self.console, results, articles)
        printed = time.perf_counter()
        first = next((h for h in results.hits if not h.is_fact), None)
        if first is not None:
            self.kb.article_spans(first.id, text)
        done = time.perf_counter()
        return {"seconds": done - started, "cpu": time.process_time() - cpu, "search": searched - started, "output": printed - searched,
                "article_spans": done - printed, "hits": len(results.hits), "total": results.total,
                "messages": list(results.messages)}


def _encodable(text: str) -> str:
    """`text` with lone surrogates written as \\udxxx, so the JSON file can hold it."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def reference(kb) -> dict:
    """p95 of the plain queries of queries.py on FTS5 and on alliance, in this run."""
    from fts import FtsIndex, documents
    from queries import CATEGORIES, OurSearch, time_queries

    fts = FtsIndex()
    fts.build(list(documents(kb)))
    plain = CATEGORIES["plain"]
    out = {"fts5_plain": time_queries(fts.search, plain), "ours_plain": time_queries(OurSearch(kb), plain)}
    fts.close()
    return out


def fuzz_corpus(articles: int, seed: int, count: int, limit: int) -> dict:
    import run

    from facts.corpus import Corpus
    from search.kb import KnowledgeBase

    corpus, index = corpus_and_index(articles, seed)
    kb = KnowledgeBase(Corpus.open(corpus), index)
    kb.ensure()
    path = CliPath(kb, limit)
    for warm_up in ("battery", "company:nissan battery"):  # open the searcher; read the speller and the facts
        path(warm_up)
    rows, failures = [], []
    queries = Generator(seed).queries(count)
    started = time.perf_counter()
    for i, (category, text) in enumerate(queries):
        if i % 500 == 0:
            run.log(f"  {articles} articles: {i}/{len(queries)} queries, {time.perf_counter() - started:.0f} s")
        try:
            rows.append({"category": category, "query": _encodable(text), **path(text)})
        except Exception as exc:  # reported, never fatal: the point is to find them
            failures.append({"category": category, "query": _encodable(text), "error": f"{type(exc).__name__}: {exc}",
                             "traceback": traceback.format_exc()})
    ref = reference(kb)
    kb.close()
    rows.sort(key=lambda r: r["seconds"], reverse=True)
    target = TARGETS.get(articles)
    return {"articles": articles, "queries": len(queries), "target": target,
            "over_target": sum(1 for r in rows if target and r["seconds"] > target),
            "over_target_cpu": sum(1 for r in rows if target and r["cpu"] > target),
            "all": summary([r["seconds"] for r in rows]), "all_cpu": summary([r["cpu"] for r in rows]),
            "slowest": rows[:20], "slowest_cpu": sorted(rows, key=lambda r: r["cpu"], reverse=True)[:20],
            "failures": failures, "reference": ref, "load_average_at_end": os.getloadavg()}


def show(text: str, width: int = 46) -> str:
    """A query as a one-line, terminal-safe, shortened repr."""
    shown = repr(text)[1:-1]
    return shown if len(shown) <= width else f"{shown[:width - 12]}…({len(text):,} ch)"


def report(result: dict) -> str:
    ms = lambda s: f"{s * 1000:,.0f}"  # noqa: E731
    ref = result["reference"]
    lines = [f"## {result['articles']:,} articles: {result['queries']:,} queries",
             f"all queries: median {ms(result['all']['median'])} ms, p95 {ms(result['all']['p95'])} ms, "
             f"max {ms(result['all']['max'])} ms; over the {result['target']} s target: {result['over_target']}; "
             f"exceptions: {len(result['failures'])}",
             f"CPU time of this process: median {ms(result['all_cpu']['median'])} ms, p95 {ms(result['all_cpu']['p95'])} ms, "
             f"max {ms(result['all_cpu']['max'])} ms; over the target: {result['over_target_cpu']} "
             f"(load average at the end: {', '.join(f'{x:.1f}' for x in result['load_average_at_end'])})",
             f"reference, plain words p95: FTS5 {ms(ref['fts5_plain']['p95'])} ms, "
             f"alliance {ms(ref['ours_plain']['p95'])} ms",
             "", "| # | query | category | total ms | CPU ms | search | output | article spans | hits |",
             "|---|---|---|---|---|---|---|---|---|"]
    for i, r in enumerate(result["slowest"], 1):
        lines.append(f"| {i} | `{show(r['query'])}` | {r['category']} | {ms(r['seconds'])} | {ms(r['cpu'])} | "
                     f"{ms(r['search'])} | {ms(r['output'])} | {ms(r['article_spans'])} | {r['hits']} |")
    for failure in result["failures"][:10]:
        lines.append(f"EXCEPTION {failure['error']} on `{show(failure['query'])}`")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import run

    run.ensure_project_python()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, action="append", default=[], metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=3000, help="generated queries per corpus (default 3000)")
    parser.add_argument("--limit", type=int, default=20, help="results asked for, as `alliance search` (default 20)")
    parser.add_argument("--out", type=Path, help="the JSON results (default bench/out/fuzz-<commit>.json)")
    args = parser.parse_args(argv)
    sizes = args.articles or [1000, 10000]
    with tempfile.TemporaryDirectory(prefix="alliance-fuzz-") as work:
        os.environ["ALLIANCE_CACHE_DIR"] = str(Path(work) / "cache")
        doc = {"commit": run.git("rev-parse", "--short", "HEAD"), "dirty": bool(run.git("status", "--porcelain")),
               "machine": run.machine(), "corpora": []}
        for size in sizes:
            run.log(f"{size} articles ...")
            result = fuzz_corpus(size, args.seed, args.queries, args.limit)
            doc["corpora"].append(result)
            print(report(result) + "\n", flush=True)
    out = args.out or BENCH / "out" / f"fuzz-{doc['commit']}.json"
    write_json(out, doc)
    run.log(f"wrote {out}")
    worst = [r for r in doc["corpora"] if r["over_target"] or r["failures"]]
    return 1 if worst else 0


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH))
    sys.exit(main())
