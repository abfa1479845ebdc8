"""Shared helpers of the development-set scripts."""

from __future__ import annotations

import csv
import os
from pathlib import Path

DEFAULT_PAGES = Path("/work/devset/pages")
# Sites whose articles are held out: the rules were not tuned on them (about a third).
HELD_OUT = frozenset({
    "autoguide.com", "autojobsnow.com", "axios.com", "businessjournaldaily.com", "cleantechnica.com",
    "cnevpost.com", "electrifyheartland.org", "en.people.cn", "evtechnews.in", "gardnerweb.com",
    "hotcars.com", "newsworldgrouponline.com", "plawiuk.blogspot.com", "quikdocs.com",
    "shropshirestar.com", "startupstorymedia.com", "techly.relevanpress.com", "wardsauto.com",
    "archives.lincolndailynews.com",
})

# Pages collected and labelled after the rules were written, measured once before any change.
FRESH = frozenset(f"n{i:02d}" for i in range(1, 19))


def split_of(ident: str, site: str) -> str:
    """'fresh', 'held-out' or 'tune'."""
    return "fresh" if ident in FRESH else "held-out" if site in HELD_OUT else "tune"


def pages_dir(argv: list[str]) -> Path:
    """The folder of collected pages: the first argument, $ALLIANCE_DEVSET_PAGES or the default."""
    if argv:
        return Path(argv[0])
    return Path(os.environ.get("ALLIANCE_DEVSET_PAGES", DEFAULT_PAGES))


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file with a header; lines starting with '#' are comments."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
