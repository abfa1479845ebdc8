"""Measure title, date and boilerplate detection on the labelled development set.

Run by hand:  python bench/devset/measure.py [PAGES_DIR]   (or set ALLIANCE_DEVSET_PAGES)
It runs the real pipeline (facts.articles.read_article: boilerplate.clean, metadata.detect) on
each collected page and compares with labels.tsv / articles.tsv; it prints a table per site,
then totals for the tune split, the held-out split and all. `-v` lists every miss.
"""

from __future__ import annotations

import bisect
import hashlib
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common import pages_dir, read_tsv

from facts.articles import read_article

HERE = Path(__file__).parent
TARGETS = "targets: title >= 90%, date right-or-unknown >= 90%, wrong exact = 0, " \
    "boilerplate removed >= 80%, body kept >= 98%"


@dataclass
class Score:
    articles: int = 0
    titled: int = 0
    title_right: int = 0
    date_right: int = 0
    wrong_exact: int = 0
    date_stated: int = 0
    date_found: int = 0
    boiler: int = 0
    boiler_removed: int = 0
    body: int = 0
    body_kept: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("articles", "titled", "title_right", "date_right", "wrong_exact", "date_stated", "date_found", "boiler",
                     "boiler_removed", "body", "body_kept"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def norm_title(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    text = text.replace("“", '"').replace("”", '"').replace("–", "-").replace("—", "-")
    return " ".join(text.lower().split()).rstrip(" .")


def consistent(found: str, wanted: str) -> bool:
    """Whether two ISO partial dates agree (one may be coarser than the other)."""
    return found == wanted or wanted.startswith(found + "-") or found.startswith(wanted + "-")


def line_spans(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for line in text.split("\n"):
        spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def score_article(path: Path, article_row: dict, line_rows: list[dict]) -> Score:
    score = Score(articles=1)
    article, _ = read_article(path)
    meta = article.meta
    if article_row["headline"] != "-":
        score.titled = 1
        if norm_title(meta.title) == norm_title(article_row["headline"]):
            score.title_right = 1
        else:
            score.misses.append(f"title: got {meta.title[:60]!r}")
    stated = [d for d in article_row["date"].split("|") if d != "unknown"]
    wanted = [d for d in [*stated, article_row["url_date"]] if d != "-"]
    score.date_stated = 1 if stated else 0
    if meta.date is not None and any(consistent(meta.date.iso, w) for w in stated):
        score.date_found = 1
    if meta.date is None or any(consistent(meta.date.iso, w) for w in wanted):
        score.date_right = 1
    else:
        kind = "estimate" if meta.date_estimated else "EXACT"
        score.wrong_exact = 0 if meta.date_estimated else 1
        score.misses.append(f"date: got {kind} {meta.date.iso} ({meta.date_basis or ''})"[:110])
    spans = line_spans(article.raw)
    kept_starts = sorted(raw for _, raw, _ in article.cleaned.segments)
    for row in line_rows:
        start, end = spans[int(row["line"]) - 1]
        i = bisect.bisect_left(kept_starts, start)
        kept = i < len(kept_starts) and kept_starts[i] < end
        if row["label"] == "body":
            score.body += 1
            score.body_kept += kept
            if not kept:
                score.misses.append(f"body dropped, line {row['line']}: {row['excerpt']}")
        elif row["label"] == "boilerplate":
            score.boiler += 1
            score.boiler_removed += not kept
            if kept:
                score.misses.append(f"boilerplate kept, line {row['line']}: {row['excerpt']}")
    return score


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    -"


def row(name: str, s: Score) -> str:
    return (f"{name[:34]:34} {s.articles:3} {s.title_right:3}/{s.titled:<3} {s.date_right:3}/{s.articles:<3}"
            f" {s.wrong_exact:5} {s.boiler_removed:4}/{s.boiler:<4} {s.body_kept:4}/{s.body:<4}")


def total(name: str, s: Score) -> str:
    return (f"{name:9} articles {s.articles:3}  title {pct(s.title_right, s.titled)}  "
            f"date {pct(s.date_right, s.articles)}  wrong-exact {s.wrong_exact}  "
            f"stated dates found {s.date_found}/{s.date_stated}  "
            f"boilerplate removed {pct(s.boiler_removed, s.boiler)}  body kept {pct(s.body_kept, s.body)}")


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = "-v" in sys.argv[1:]
    pages = pages_dir(args)
    manifest = read_tsv(HERE / "manifest.tsv")
    articles = {r["id"]: r for r in read_tsv(HERE / "articles.tsv")}
    lines: dict[str, list[dict]] = defaultdict(list)
    for r in read_tsv(HERE / "labels.tsv"):
        lines[r["id"]].append(r)
    by_site: dict[tuple[str, str], Score] = defaultdict(Score)
    splits: dict[str, Score] = defaultdict(Score)
    for entry in manifest:
        path = pages / f"{entry['id']}.txt"
        data = path.read_bytes()
        if hashlib.sha1(data).hexdigest() != entry["sha1"]:
            print(f"warning: {path} differs from the page that was labelled", file=sys.stderr)
        s = score_article(path, articles[entry["id"]], lines[entry["id"]])
        by_site[(entry["split"], entry["site"])].add(s)
        splits[entry["split"]].add(s)
        splits["all"].add(s)
        if verbose and s.misses:
            print(f"{entry['id']} {entry['site']}")
            for miss in s.misses:
                print(f"    {miss}")
    print(f"{'site':34} art title    date     wrong  boiler    body")
    for split in ("tune", "held-out", "fresh"):
        print(f"-- {split}")
        for (sp, site), s in sorted(by_site.items()):
            if sp == split:
                print(row(site, s))
    print()
    for split in ("tune", "held-out", "fresh", "all"):
        print(total(split, splits[split]))
    print(TARGETS)


if __name__ == "__main__":
    main()
