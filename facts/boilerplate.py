"""Recognise page boilerplate in scraped articles and produce the cleaned reading text.

The rules are general: navigation lines, "related" blocks and their teasers, inline
"read also" links, copyright and redistribution notices and "Source link" footers.
The cleaned text keeps a map back to the raw text, so offsets convert both ways.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# Whole lines that are site navigation, compared lower-cased without trailing punctuation.
NAV_LINES = frozenset(
    {
        "connect with us", "top of page", "bottom of page", "search", "search for",
        "hi, what are you looking for", "what are you looking for", "skip to content",
        "skip to main content", "menu", "main menu", "toggle navigation", "home", "share",
        "share this", "share this article", "share this story", "subscribe", "sign in",
        "log in", "login", "register", "advertisement", "advertisements", "sponsored",
        "follow us", "print", "email", "tweet", "close", "back to top", "scroll to top",
        "newsletter", "sign up for our newsletter", "accept cookies", "cookie settings",
        "previous article", "next article", "previous post", "next post", "leave a reply",
        "leave a comment", "add comment", "comments", "tags", "categories", "loading",
    }
)
# A line that starts a block of links to other stories, running to the end of the block.
TAIL_MARKERS = frozenset(
    {
        "related posts", "related post", "related articles", "related article",
        "related stories", "related news", "related content", "related", "you may also like",
        "you might also like", "you may like", "recommended for you", "recommended",
        "recommended stories", "more stories", "more news", "more from", "popular posts",
        "popular stories", "most popular", "most read", "trending", "trending now",
        "latest news", "latest posts", "also on", "read next", "what to read next",
        "up next", "further reading", "other news",
    }
)
# A line that introduces one link inside the article; the article goes on after it.
INLINE_MARKERS = frozenset(
    {"read also", "also read", "read more", "see also", "read", "related link", "more"}
)
_SOURCE_LINK = re.compile(r"^source\s+link\b", re.IGNORECASE)
_COPYRIGHT_START = re.compile(r"^(?:©|\(c\)\s|copyright\b)", re.IGNORECASE)
_COPYRIGHT_ANY = re.compile(
    r"all rights reserved|(?:redistribution|republication|reproduction)\b.{0,200}"
    r"(?:prohibited|without (?:the )?(?:prior )?(?:express )?written (?:consent|permission))",
    re.IGNORECASE,
)
_SHARE = re.compile(r"^(?:share|follow us|follow)\s+(?:on|via)\s+\w+$", re.IGNORECASE)
_TERMINAL = re.compile(r"[.!?:;\"'”’)\]]$")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)$")

# Reasons a line was dropped; shown in the raw view and by `alliance check --verbose`.
NAV = "navigation"
RELATED = "related links"
TEASER = "teaser"
COPYRIGHT = "copyright notice"
LOGO = "publisher wordmark"
SOURCE_LINK = "source link"


def _key(line: str) -> str:
    return line.strip().lower().rstrip(" :?.!»›>-–—|").strip()


def _words(line: str) -> int:
    return len(line.split())


def _headline_like(line: str) -> bool:
    """Short and unpunctuated, like the title of a linked story."""
    text = line.strip()
    return 0 < _words(text) <= 14 and not _TERMINAL.search(text)


def _teaser_like(line: str) -> bool:
    text = line.strip()
    return bool(_ELLIPSIS.search(text)) or _headline_like(text) or _key(text) in NAV_LINES


def _is_copyright(line: str) -> bool:
    text = line.strip()
    return bool(_COPYRIGHT_START.match(text) or _COPYRIGHT_ANY.search(text))


def classify_lines(lines: list[str]) -> list[str | None]:
    """For each line, the reason it is boilerplate, or None for content (and blanks)."""
    reasons: list[str | None] = [None] * len(lines)
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    state = None  # "tail" while inside a related block, "inline" just after an inline marker
    for pos, i in enumerate(nonblank):
        line = lines[i]
        key = _key(line)
        if key in TAIL_MARKERS:
            reasons[i], state = RELATED, "tail"
        elif key in INLINE_MARKERS:
            reasons[i], state = RELATED, "inline"
        elif key in NAV_LINES or _SHARE.match(line.strip()):
            reasons[i] = NAV
        elif _SOURCE_LINK.match(line.strip()):
            reasons[i] = SOURCE_LINK
        elif _is_copyright(line):
            reasons[i], state = COPYRIGHT, None
        elif state == "tail" and _teaser_like(line):
            reasons[i] = TEASER
        elif state == "inline" and _headline_like(line):
            reasons[i], state = RELATED, None
        else:
            state = None
            after = nonblank[pos + 1] if pos + 1 < len(nonblank) else None
            if (
                after is not None
                and _words(line) <= 3
                and not _TERMINAL.search(line.strip())
                and _is_copyright(lines[after])
            ):
                reasons[i] = LOGO
    return reasons


@dataclass(frozen=True)
class Cleaned:
    """The reading text of an article, with the map back to its raw text."""

    text: str
    # (clean_start, raw_start, length): each kept piece of raw text and where it landed.
    segments: tuple[tuple[int, int, int], ...]
    # (raw_start, raw_end, reason): the lines dropped as boilerplate.
    removed: tuple[tuple[int, int, str], ...]

    def to_raw(self, offset: int) -> int:
        """The raw offset of cleaned offset `offset` (separators map to the next piece)."""
        if not self.segments:
            return 0
        starts = [s[0] for s in self.segments]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        clean_start, raw_start, length = self.segments[i]
        if offset >= clean_start + length and i + 1 < len(self.segments):
            return self.segments[i + 1][1]
        return raw_start + min(max(0, offset - clean_start), length)

    def to_clean(self, raw_offset: int) -> int | None:
        """The cleaned offset of raw offset `raw_offset`, or None inside boilerplate."""
        raws = [s[1] for s in self.segments]
        i = bisect.bisect_right(raws, raw_offset) - 1
        if i < 0:
            return None
        clean_start, raw_start, length = self.segments[i]
        if raw_offset > raw_start + length:
            return None
        return clean_start + raw_offset - raw_start

    def span_to_clean(self, start: int, end: int) -> tuple[int, int] | None:
        """A raw span in cleaned offsets, or None when boilerplate lies inside it."""
        a, b = self.to_clean(start), self.to_clean(end)
        if a is None or b is None or b < a:
            return None
        if any(r_start < end and r_end > start for r_start, r_end, _ in self.removed):
            return None
        return a, b

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """A cleaned span in raw offsets."""
        return self.to_raw(start), self.to_raw(max(start, end - 1)) + (1 if end > start else 0)


def clean(raw: str) -> Cleaned:
    """Drop boilerplate lines, trim line ends and collapse blank runs to one blank line."""
    lines = raw.split("\n")
    reasons = classify_lines(lines)
    pieces: list[str] = []
    segments: list[tuple[int, int, int]] = []
    removed: list[tuple[int, int, str]] = []
    offset = 0  # raw offset of the current line
    length = 0  # length of the cleaned text so far
    blank_since_last = False
    for line, reason in zip(lines, reasons, strict=True):
        line_start = offset
        offset += len(line) + 1
        if reason is not None:
            removed.append((line_start, line_start + len(line), reason))
            continue
        body = line.rstrip()
        lead = len(body) - len(body.lstrip())
        body = body.strip()
        if not body:
            blank_since_last = True
            continue
        if pieces:
            sep = "\n\n" if blank_since_last else "\n"
            pieces.append(sep)
            length += len(sep)
        segments.append((length, line_start + lead, len(body)))
        pieces.append(body)
        length += len(body)
        blank_since_last = False
    return Cleaned("".join(pieces), tuple(segments), tuple(removed))
