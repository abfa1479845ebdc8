"""Recognise page boilerplate in scraped articles and produce the cleaned reading text.

The rules are general, written against a labelled set of pages from many sites
(bench/devset): scraper labels ("Currently reading:", date stamps), navigation and section
lines, "related" blocks and their teasers, inline "read more" links, captions and photo
credits, newsletter and follow prompts, comment sections, author bio boxes, tag lines,
copyright notices and "Source link" footers. Every pattern is anchored or bounded, so the
cost stays linear in the size of the text. The cleaned text keeps a map back to the raw
text, so offsets convert both ways.
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
        "log in", "login", "register", "advertisement", "advertisements", "advert", "sponsored",
        "follow us", "print", "email", "tweet", "close", "back to top", "scroll to top",
        "newsletter", "sign up for our newsletter", "accept cookies", "cookie settings",
        "previous article", "next article", "previous post", "next post", "tags", "categories",
        "loading", "news", "web analytics", "comments", "leave a reply", "leave a comment",
        "add comment", "listen to this article", "view comments",
        "show comments", "hide comments", "print this article", "email this article",
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
        "up next", "further reading", "other news", "popular posts from this blog",
        "more from this blog", "more like this", "don't miss", "editor's picks",
    }
)
# A line that opens the comment section: everything after it, late in a page, is comments.
COMMENT_MARKERS = frozenset(
    {
        "comments", "leave a reply", "leave a comment", "add comment", "post a comment",
        "join the conversation", "join the discussion", "reader comments", "write a comment",
        "add a comment", "show comments",
    }
)
# A line that introduces links inside the article; the article goes on after them.
INLINE_MARKERS = frozenset(
    {"read also", "also read", "read more", "see also", "read", "related link", "more", "watch",
     "also see", "related reading"}
)
# "Read our review", "Read the full story": a link line like the markers above.
_READ_OUR = re.compile(r"^read\s+(?:our|the|my)\s+(?:full\s+|latest\s+)?(?:review|story|report|analysis|guide|verdict|test)s?$")
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

# Labels scrapers put before the text of a line: a date stamp, "Currently reading:".
_PREFIX = re.compile(
    r"^\s*(?:date\s+(?:19|20)\d{2}-\d{2}(?:-\d{2})?(?=\s)|currently\s+reading\s*:)\s*",
    re.IGNORECASE,
)
_PREFIX_LINES = 5  # only the first lines of a page carry such labels
# "5 min read", "Reading time: 4 minutes", "3 hours ago", "Updated 2 days ago".
_LABEL = re.compile(
    r"^(?:(?:reading\s+time\s*:?\s*)?\d{1,3}\s*(?:-\s*)?(?:min(?:ute)?s?)(?:\s+read)?"
    r"|(?:updated\s+|posted\s+)?\d{1,3}\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?"
    r"|months?|years?)(?:\s+\d{1,3}\s+\w{1,7})?\s+ago)\b.{0,60}$",
    re.IGNORECASE,
)
# Photo captions and credits: "Photo: …", "(Photo, courtesy of Kia)", "REUTERS/Name",
# "… via Getty Images", "[Images: Rivian]", "| Image: Getty", "File photo", "X is seen at …".
_CREDIT_START = re.compile(
    r"^[\[(]?\s*(?:photo(?:graph)?s?|images?|pictures?|picture\s+credit|credit|caption"
    r"|illustration|video|file\s+photo|main\s+image|top\s+image|header\s+image)\s*(?::|by\b|courtesy\b)",
    re.IGNORECASE,
)
_CREDIT_END = re.compile(
    r"(?:\(?\b(?:photos?|images?|pictures?)\s*(?:,\s*)?(?::|courtesy\s+of|by|from|credit)\s*[^()|]{1,80}"
    r"|\breuters/[\w .'-]{1,60}|\b(?:via\s+)?getty\s+images|\bfile\s+photo|\bafp\s+photo"
    r"|\bap\s+photo(?:/[\w .'-]{1,60})?)\W{0,4}$",
    re.IGNORECASE,
)
_CAPTION_PHRASE = re.compile(
    r"^(?:an?|the)\s.{0,80}?\b(?:is|are)\s+(?:seen|pictured|displayed|shown)\s+(?:at|in|on|during"
    r"|outside|inside|near|before|after|with|here)\b|\bpictured\s+(?:left|right|above|below|together"
    r"|here)\b|\(pictured\)|^(?:an?\s+)?(?:early\s+)?(?:conceptual\s+|artist's\s+)?rendering\s+of\b"
    r"|\bin\s+this\s+(?:file\s+)?(?:photo|picture|image)\b",
    re.IGNORECASE,
)
_PAREN_CAPTION = re.compile(r"^\(.*\b(?:photo|image|picture|pictured)\b.*\)\W?$", re.IGNORECASE)
# Prompts to sign up, follow, subscribe, advertise or tip off; asking for donations.
_PROMPT = re.compile(
    r"\b(?:our\s+newsletters?|sign\s+up\s+(?:for|to)\b|your\s+inbox|subscribe\s+(?:now|today|here)\b|subscribe\s+(?:to|for)\s+(?:our|my)\b"
    r"|subscribing\s+to|follow\s+us\b|get\s+the\s+latest\b|want\s+to\s+advertise|have\s+a\s+tip\b"
    r"|personali[sz]e\s+your\s+content|become\s+an?\s+\S+\s+insider|voluntary\s+donation"
    r"|we\s+use\s+cookies|accept\s+(?:all\s+)?cookies|cookie\s+policy|to\s+continue\s+reading"
    r"|already\s+a\s+(?:member|subscriber)|unlimited\s+access|continue\s+browsing"
    r"|what's\s+your\s+reaction|would\s+love\s+your\s+thoughts)",
    re.IGNORECASE,
)
_PROMPT_WORDS = 40
_SHORT_CHARS = 600  # captions and prompts are short; longer lines are never tested for them
# Lines of a comment form or its legal text.
_COMMENT_FORM = re.compile(
    r"^(?:your\s+email\s+address\s+will\s+not\s+be\s+published|this\s+site\s+uses\s+akismet"
    r"|you\s+must\s+be\s+log(?:ged)?\s*in(?:\s+to)?\s+post\s+a\s+comment|required\s+fields\s+are\s+marked"
    r"|save\s+my\s+name,\s+email|notify\s+me\s+of\s+(?:new|follow)|notify\s+of$|inline\s+feedbacks$"
    r"|view\s+all\s+comments$|article\s+rating$|\d+\s+\d+\s+votes?$|sorry,\s+there\s+were\s+no\s+replies"
    r"|be\s+the\s+first\s+to\s+comment|\d+\s+comments?$)",
    re.IGNORECASE,
)
# "Related: …", "See also: …", "Read more: …", "In related news, see: …".
_INLINE_LINK = re.compile(
    r"^(?:in\s+related\s+news,?\s+see|related(?:\s+(?:article|story|reading|link))?|see\s+also"
    r"|read\s+more|also\s+read|read\s+also|more|recommended|watch|listen|read\s+next)\s*:\s*\S",
    re.IGNORECASE,
)
# "Continue reading…", "Read full article", "Or read this on BBC News", "Source: Toyota".
_MORE_LINK = re.compile(
    r"^(?:or\s+)?(?:continue\s+reading|read\s+(?:the\s+)?full\s+(?:article|story)|full\s+(?:article|story)"
    r"|read\s+(?:this|it|more)\s+(?:on|at)\s+.{1,40}|click\s+here\s+to\s+read.{0,40})\W*$",
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(r"^source\s*[:–—-]\s*\S.{0,40}$", re.IGNORECASE)
# A section label under the headline: "Vehicle News", "News & Insights", "Economy & Business".
_SECTION_NEWS = re.compile(r"^(?:[A-Z][\w'-]*\s+){0,4}News$")
_SECTION_PAIR = re.compile(
    r"^[A-Z]\w*\s+&\s+(?:Insights|Business|Markets|Finance|Politics|Analysis|Opinion|Technology|Tech"
    r"|Culture|Features)$"
)
_TAGS = re.compile(
    r"^(?:#[\w-]{1,40}\s*){1,20}$|^(?:tags?|topics?|filed\s+under|categor(?:y|ies)|posted\s+in)\s*:",
    re.IGNORECASE,
)
# Markup and addresses a scraper left as text: image tags, Markdown images, a bare URL.
_MARKUP = re.compile(
    r"^(?:<(?:image|img|figure|picture|source|iframe)\b.{0,2000}|!\[[^\]]{0,300}\]\([^)]{0,1000}\)"
    r"|https?://\S{1,2000})$",
    re.IGNORECASE,
)
_TICKER = re.compile(r"^[A-Z]{1,5}$")
_JUNK = re.compile(r"^[^\w]{1,40}$|^(?:%[A-Za-z0-9_]{1,80}%\s*){1,10}$")
_NAME = re.compile(r"^[A-Z][\w.'-]{1,20}(?:\s+[A-Z][\w.'-]{1,20}){1,3}(?:,\s.{1,40})?$")
_BIO = re.compile(
    r"^[A-Z][a-z]{1,20}\s+(?:grew\s+up|has\s+been|has\s+covered|has\s+written|is\s+a|is\s+an|is\s+the"
    r"|joined|writes|covers|was\s+born|loves|began)\b"
)
_GENERIC_TAIL = re.compile(
    r"^(?:popular|related|recommended|trending|latest|more|top|most\s+read)\b.{0,40}"
    r"\b(?:posts?|stories|articles|news|content|videos?|reads)$",
    re.IGNORECASE,
)

# Reasons a line was dropped; shown in the raw view and by `alliance check --verbose`.
NAV = "navigation"
RELATED = "related links"
TEASER = "teaser"
COPYRIGHT = "copyright notice"
LOGO = "publisher wordmark"
SOURCE_LINK = "source link"
LABEL = "scraper label"
CAPTION = "caption or credit"
PROMPT = "newsletter or follow prompt"
COMMENTS = "comment section"
BIO = "author bio"
TAGS = "tag line"
DUPLICATE = "repeated headline"
MARKUP = "markup or address"


def _key(line: str) -> str:
    """The line lower-cased without trailing punctuation or symbols (linear, no regex)."""
    key = line.strip().lower()
    end = len(key)
    while end and not ((key[end - 1].isascii() and key[end - 1].isalnum()) or key[end - 1] in "'&)"):
        end -= 1
    return key[:end].strip()


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


def prefix_lengths(lines: list[str]) -> list[int]:
    """For each line, the length of a scraper label at its start (0 for none)."""
    out = [0] * len(lines)
    seen = 0
    for i, line in enumerate(lines):
        if seen >= _PREFIX_LINES:
            break
        if line.strip():
            seen += 1
            if m := _PREFIX.match(line[:200]):
                out[i] = m.end()
    return out


def _line_reason(text: str, key: str, pos: int) -> str | None:
    """The reason a line is boilerplate on its own; `pos` is its place among non-blank lines."""
    words = _words(text)
    short = len(text) <= _SHORT_CHARS
    if key in NAV_LINES or _SHARE.match(text):
        return NAV
    if _SOURCE_LINK.match(text):
        return SOURCE_LINK
    if _JUNK.match(text):
        return NAV
    if _MARKUP.match(text):
        return MARKUP
    if words <= 14 and (_LABEL.match(text) or _MORE_LINK.match(text) or _SOURCE_LINE.match(text)):
        return LABEL
    if _TAGS.match(text):
        return TAGS
    if _COMMENT_FORM.match(text):
        return COMMENTS
    if _INLINE_LINK.match(text):
        return RELATED
    if short and words <= 60 and (
        _CREDIT_START.match(text) or _CREDIT_END.search(text[-160:]) or _PAREN_CAPTION.match(text)
        or (words <= 40 and _CAPTION_PHRASE.search(text))
    ):
        return CAPTION
    if short and words <= _PROMPT_WORDS and _PROMPT.search(text):
        return PROMPT
    if words <= 3 and _SECTION_PAIR.match(text) and pos < 3:
        return NAV
    if 0 < pos < 3 and (_TICKER.match(text) or (words <= 5 and _SECTION_NEWS.match(text))):
        return NAV  # not on the first line, which may be a headline ending in "News"
    return None


def classify_lines(lines: list[str]) -> list[str | None]:
    """For each line, the reason it is boilerplate, or None for content (and blanks)."""
    reasons: list[str | None] = [None] * len(lines)
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    state = None  # "tail" in a related block, "inline" after an inline marker, "comments"
    seen_titles: set[str] = set()
    for pos, i in enumerate(nonblank):
        line = lines[i]
        text = line.strip()
        key = _key(text)
        late = pos >= len(nonblank) // 2
        if state == "comments":
            reasons[i] = COMMENTS
            continue
        if key in TAIL_MARKERS or (_words(text) <= 6 and _GENERIC_TAIL.match(text)):
            reasons[i], state = RELATED, "tail"
            continue
        if key in COMMENT_MARKERS and late:
            reasons[i], state = COMMENTS, "comments"
            continue
        if key in INLINE_MARKERS or _READ_OUR.match(key):
            reasons[i], state = RELATED, "inline"
            continue
        if reason := _line_reason(text, key, pos):
            reasons[i] = reason
            continue
        if _is_copyright(text):
            reasons[i], state = COPYRIGHT, None
            continue
        bare = key.lstrip("•*·- ")
        titleish = _words(text) <= 30 and not _TERMINAL.search(text)
        if titleish and bare in seen_titles:
            reasons[i] = DUPLICATE
            continue
        if state == "tail" and (_teaser_like(text) or _teaser_after_headline(lines, nonblank, pos, reasons)):
            reasons[i] = TEASER
        elif state == "inline" and _headline_like(text):
            reasons[i] = RELATED  # the list of links goes on while lines look like headlines
        else:
            state = None
            after = nonblank[pos + 1] if pos + 1 < len(nonblank) else None
            if (
                after is not None
                and _words(line) <= 3
                and not _TERMINAL.search(text)
                and _is_copyright(lines[after])
            ):
                reasons[i] = LOGO
        if titleish and reasons[i] is None:
            seen_titles.add(bare)
    _mark_bio(lines, nonblank, reasons)
    return reasons


def _teaser_after_headline(lines: list[str], nonblank: list[int], pos: int, reasons: list) -> bool:
    """A teaser's one-paragraph summary: between a teaser headline and the next teaser."""
    if pos == 0 or pos + 1 >= len(nonblank) or _words(lines[nonblank[pos]]) > 60:
        return False
    before, after = nonblank[pos - 1], lines[nonblank[pos + 1]]
    return reasons[before] == TEASER and _headline_like(lines[before]) and _teaser_like(after)


def _mark_bio(lines: list[str], nonblank: list[int], reasons: list) -> None:
    """An author box at the end: a name line (or a bio sentence) after the last paragraph."""
    tail = nonblank[-6:]
    for k, i in enumerate(tail):
        text = lines[i].strip()
        if reasons[i] is not None:
            continue
        before = tail[k - 1] if k else None
        name = _NAME.match(text) and not _TERMINAL.search(text) and _words(text) <= 8
        first = text.split()[0] if text else ""
        follows = [lines[j].strip() for j in tail[k + 1:]]
        if name and follows and all(f.startswith((first, "Title:")) or _NAME.match(f) for f in follows):
            for j in tail[k:]:
                reasons[j] = BIO
            return
        if _BIO.match(text) and before is not None and reasons[before] is not None:
            for j in tail[k:]:
                reasons[j] = reasons[j] or BIO
            return


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
    prefixes = prefix_lengths(lines)
    reasons = classify_lines([line[n:] for line, n in zip(lines, prefixes, strict=True)])
    pieces: list[str] = []
    segments: list[tuple[int, int, int]] = []
    removed: list[tuple[int, int, str]] = []
    offset = 0  # raw offset of the current line
    length = 0  # length of the cleaned text so far
    blank_since_last = False
    for line, reason, prefix in zip(lines, reasons, prefixes, strict=True):
        line_start = offset
        offset += len(line) + 1
        if reason is not None:
            removed.append((line_start, line_start + len(line), reason))
            continue
        if prefix:
            removed.append((line_start, line_start + prefix, LABEL))
            line_start += prefix
            line = line[prefix:]
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
