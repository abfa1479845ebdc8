"""The articles of a corpus: reading, decoding, cleaning and their metadata."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .files import SIDECAR, Refused, corpus_roots, list_entries, read_limited
from .problems import Problem
from .text import QuoteFinder, sanitize

if TYPE_CHECKING:  # reading an article imports them: listing and a start that changes nothing do not
    from .boilerplate import Cleaned
    from .metadata import ArticleMeta, Sidecar

ARTICLE_SUFFIXES = (".txt", ".text", ".md")
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
# Control characters other than tab, newline, carriage return and escape: many mean a binary file.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f]")


class ArticleError(Exception):
    """An article file that cannot be used; the message says why."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(eq=False)
class Article:
    """One article: `raw` is the file's text made safe, `cleaned` the reading text."""

    name: str
    path: Path
    raw: str
    cleaned: Cleaned
    meta: ArticleMeta

    @property
    def text(self) -> str:
        """The reading text (boilerplate removed)."""
        return self.cleaned.text

    @property
    def title(self) -> str:
        return self.meta.title

    def find_quote(self, quote: str) -> tuple[int, int] | None:
        """Raw offsets of `quote`, compared with whitespace and quote marks folded."""
        return QuoteFinder(self.raw).find(quote)


def is_article_file(path: Path) -> bool:
    """Whether a file in `seeds/` is taken as an article (by name only)."""
    return is_article_name(path.name)


def is_article_name(name: str) -> bool:
    """`is_article_file` of a bare file name."""
    return (
        name.lower().endswith(ARTICLE_SUFFIXES)  # as the suffix: names starting with "." are not taken
        and not name.startswith((".", "~", "#"))
        and not name.endswith("~")
    )


def decode(data: bytes) -> str:
    """Decode an article's bytes as UTF-8 (a BOM is allowed); raise ArticleError otherwise."""
    if not data.strip():
        raise ArticleError("empty file")
    sample = data[:8192]
    if b"\x00" in sample:
        raise ArticleError("looks like a binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ArticleError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it, for example with: iconv -f WINDOWS-1252 -t UTF-8",
            line,
        ) from None
    controls = len(CONTROLS.findall(text, 0, 8192))
    if controls > max(8, len(text[:8192]) // 20):
        raise ArticleError("looks like a binary file (too many control characters), not text")
    return text


def read_article(path: Path, sidecar: Sidecar | None = None, max_bytes: int = MAX_ARTICLE_BYTES) -> tuple[Article, list[Problem]]:
    """Read one article file; raises ArticleError when it cannot be used."""
    from .boilerplate import clean
    from .metadata import detect

    try:
        data = read_limited(path, max_bytes, "articles")
    except Refused as exc:
        raise ArticleError(str(exc)) from None
    raw = sanitize(decode(data))
    cleaned = clean(raw)
    if not cleaned.text.strip():
        raise ArticleError("no article text left once page boilerplate is removed")
    meta = detect(path.name, cleaned.text, raw)
    problems: list[Problem] = []
    if sidecar is not None:
        meta, problems = sidecar.apply(path.name, meta)
    return Article(path.name, path, raw, cleaned, meta), problems


def list_article_files(seeds_dir: Path, rel_dir: str = "seeds",
                       roots: tuple[str, ...] | None = None) -> tuple[list[Path], list[Problem]]:
    """The article files in `seeds_dir`, sorted by name, and warnings for what is passed over.

    Symbolic links are followed only to files inside `roots` (by default the folder itself).
    """
    names, problems = list_article_names(seeds_dir, rel_dir, roots)
    return [seeds_dir / name for name in names], problems


def list_article_names(seeds_dir: Path, rel_dir: str = "seeds",
                       roots: tuple[str, ...] | None = None) -> tuple[list[str], list[Problem]]:
    """`list_article_files`, by name (making no path for each is several times quicker)."""
    if not os.path.lexists(seeds_dir):
        return [], [Problem(rel_dir, None, "no such folder: the corpus has no articles")]
    if not seeds_dir.is_dir():
        return [], [Problem(rel_dir, None, "not a folder: the corpus has no articles")]
    found, problems = list_entries(seeds_dir, rel_dir, roots or corpus_roots(seeds_dir), is_article_name,
                                   f"not read: articles are {', '.join(ARTICLE_SUFFIXES)} files", skip=(SIDECAR,))
    return [name for _folder, name in found], problems
