"""Write manifest.tsv and labels.tsv from sources.tsv, spec.tsv and the collected pages.

Run by hand after changing spec.tsv:  python bench/devset/make_labels.py [PAGES_DIR]
The pages are third-party texts kept outside the repository (see README.md); only hashes and
excerpts of at most 40 characters are written here.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from urllib.parse import urlsplit

from common import pages_dir, read_tsv, split_of

HERE = Path(__file__).parent
EXCERPT = 40


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def line_set(spec: str) -> set[int]:
    out: set[int] = set()
    if spec == "-":
        return out
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return out


def excerpt(line: str) -> str:
    text = " ".join(line.split()).replace("\t", " ")
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def main() -> None:
    pages = pages_dir(sys.argv[1:])
    sources = {row["id"]: row for row in read_tsv(HERE / "sources.tsv")}
    spec = {row["id"]: row for row in read_tsv(HERE / "spec.tsv")}
    manifest = ["id\tsite\tsplit\tsha1\turl\tquery"]
    articles = ["id\theadline\tdate\turl_date"]
    labels = ["id\tline\tsha1\tlabel\texcerpt"]
    for ident, src in sorted(sources.items()):
        text = (pages / f"{ident}.txt").read_text(encoding="utf-8")
        site = urlsplit(src["url"]).hostname.removeprefix("www.")
        split = split_of(ident, site)
        manifest.append(f"{ident}\t{site}\t{split}\t{sha1(text)}\t{src['url']}\t{src['query']}")
        row = spec[ident]
        lines = text.split("\n")
        title_line = int(row["title"]) if row["title"] != "-" else None
        headline = row["headline"]
        if title_line and headline == "-":
            headline = lines[title_line - 1].strip()
        articles.append(f"{ident}\t{headline}\t{row['date']}\t{row['url_date']}")
        bylines, dates, boiler = line_set(row["byline"]), line_set(row["dates"]), line_set(row["boiler"])
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            label = (
                "title" if number == title_line else "byline" if number in bylines
                else "date" if number in dates else "boilerplate" if number in boiler else "body"
            )
            labels.append(f"{ident}\t{number}\t{sha1(line)}\t{label}\t{excerpt(line)}")
    (HERE / "manifest.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    (HERE / "articles.tsv").write_text("\n".join(articles) + "\n", encoding="utf-8")
    (HERE / "labels.tsv").write_text("\n".join(labels) + "\n", encoding="utf-8")
    print(f"{len(sources)} articles, {len(labels) - 1} labelled lines")


if __name__ == "__main__":
    main()
