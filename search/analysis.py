"""Text analysis for the index: case and accent folding, stemming, hyphenated words.

"e-Power" is indexed as "e", "power" and the joined "epower", so it is found as
"e-power", "e power" or "epower"; "10,000" and "10.000" are both indexed as "10000".
"""

from __future__ import annotations

import pickle
import re
from collections import defaultdict
from functools import lru_cache
from operator import sub

from whoosh.analysis import (
    CharsetFilter,
    Composable,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    Token,
)
from whoosh.analysis.filters import STOP_WORDS
from whoosh.formats import Positions
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

# Words with inner hyphens, apostrophes, dots or commas stay whole for WordPartsFilter.
TOKEN_PATTERN = r"\w+(?:[-\u2010\u2011'\u2019.,]\w+)*"
_TOKEN = re.compile(TOKEN_PATTERN)
_SEPARATORS = re.compile(r"[-\u2010\u2011'\u2019.,]")
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_DECIMAL = re.compile(r"^\d+[.,]\d+$")
_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
# Stop words are dropped, but single letters are kept: the "e" of "e-Power", the "R" of "R5".
STOPS = frozenset(STOP_WORDS) - {"us", "will", "may", "can", "yet"}
# Distinct words whose analysis TextAnalyzer remembers (a corpus's vocabulary, mostly).
TERMS_KEPT = 200_000


class WordPartsFilter(Filter):
    """Split joined words into parts and, when indexing, also keep the parts joined."""

    def __call__(self, tokens):
        for t in tokens:
            t.joined = False
            if t.text.isalnum():  # the common case: nothing to split or strip
                yield t
                continue
            text = _POSSESSIVE.sub("", t.text)
            if t.chars and len(text) < len(t.text):  # highlight "Nissan", not "Nissan's"
                t.endchar -= len(t.text) - len(text)
            if _GROUPED_NUMBER.match(text):
                text = _SEPARATORS.sub("", text)
            if _DECIMAL.match(text):
                t.text = text.replace(",", ".")
                yield t
                continue
            parts = [p for p in _SEPARATORS.split(text) if p]
            if len(parts) <= 1:
                t.text = parts[0] if parts else text
                yield t
                continue
            yield from self._parts(t, text, parts)

    def _parts(self, t, text, parts):
        start = t.startchar if t.chars else 0
        pos = t.pos if t.positions else 0
        joined = "".join(parts)
        original_boost = t.boost
        offset = 0
        for i, part in enumerate(parts):
            at = text.index(part, offset)
            offset = at + len(part)
            t.text = part
            t.joined = False
            t.boost = original_boost
            if t.positions:
                t.pos = pos + i
            if t.chars:
                t.startchar, t.endchar = start + at, start + at + len(part)
            yield t
            if i == 0 and t.mode == "index":
                t.text = joined
                t.joined = True
                if t.chars:
                    t.startchar, t.endchar = start, start + len(text)
                yield t


class StopAndRenumberFilter(Filter):
    """Drop stop words and number the rest consecutively.

    A joined form shares the position of its first part, so phrases match across
    "software-defined vehicle" and "software defined vehicle" alike.
    """

    def __init__(self, stoplist=frozenset()):
        self.stops = frozenset(stoplist)

    def __call__(self, tokens):
        pos = -1
        dropped = False  # whether the token before was a dropped stop word
        for t in tokens:
            t.stopped = False
            if t.text in self.stops:
                if t.removestops:
                    dropped = True
                    continue
                t.stopped = True
            if t.positions:
                if dropped or not getattr(t, "joined", False):
                    pos += 1
                t.pos = pos
            dropped = False
            yield t


class TextAnalyzer(Composable):
    """Tokenize, split joined words, fold case and accents, drop stop words and stem, in one
    pass: the same tokens as `_pipeline(stops) | StemFilter()`, about three times faster
    (a word's folded, stopped and stemmed form is remembered)."""

    def __init__(self, stops=frozenset(), stemming: bool = True) -> None:
        self.stops = frozenset(stops)
        self.stemming = stemming
        self.is_morph = stemming
        self._terms: dict[str, tuple[bool, str]] = {}

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and (other.stops, other.stemming) == (self.stops, self.stemming)

    def __hash__(self) -> int:
        return hash((self.stops, self.stemming))

    def __getstate__(self) -> dict:  # the schema is pickled with the index: not the cache
        return {"stops": self.stops, "stemming": self.stemming}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["stops"], state["stemming"])

    def folded(self, text: str) -> tuple[bool, str]:
        """(is a stop word, the folded form) of one word or part as written. Its term is the
        folded form stemmed, which keeps the first letter (Porter's rules change endings only)."""
        folded = text.lower().translate(accent_map)
        return folded in self.stops, folded

    def term(self, text: str) -> tuple[bool, str]:
        """(is a stop word, the term) of one word or part as written."""
        got = self._terms.get(text)
        if got is None:
            stopped, folded = self.folded(text)
            got = (stopped, folded if stopped or not self.stemming else stem(folded))
            if len(self._terms) >= TERMS_KEPT:
                self._terms.clear()
            self._terms[text] = got
        return got

    def __call__(self, value: str, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        joining = mode == "index"
        pos = start_pos - 1
        dropped = False  # whether the word before was a dropped stop word
        term = self.term
        for match in _TOKEN.finditer(value):
            word = match.group()
            parts = ((word, 0, len(word), False),) if word.isalnum() else _word_parts(word, joining)
            for text, start, end, joined in parts:
                stopped, t.text = term(text)
                if stopped and removestops:
                    dropped = True
                    continue
                if dropped or not joined:  # a joined form shares its first part's position
                    pos += 1
                dropped = False
                t.stopped, t.joined, t.boost = stopped, joined, 1.0
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = start_char + match.start() + start
                    t.endchar = start_char + match.start() + end
                yield t

    def positions(self, value: str) -> dict[str, list[int]]:
        """Each term of `value` -> its positions, in the order first seen: what indexing
        (`self(value, positions=True, mode="index")`) gives, without a token per word."""
        found: defaultdict[str, list[int]] = defaultdict(list)
        pos = -1
        dropped = False  # whether the word before was a dropped stop word
        terms, term = self._terms, self.term
        for word in _TOKEN.findall(value):
            if word.isalnum():
                stopped, text = terms.get(word) or term(word)
                if stopped:
                    dropped = True
                    continue
                pos += 1
                dropped = False
                found[text].append(pos)
                continue
            for part, _start, _end, joined in _word_parts(word, True):
                stopped, text = term(part)
                if stopped:
                    dropped = True
                    continue
                if dropped or not joined:  # a joined form shares its first part's position
                    pos += 1
                dropped = False
                found[text].append(pos)
        return found


class TextPositions(Positions):
    """Whoosh's Positions format, whose postings of a text analysed by a TextAnalyzer are made
    from `TextAnalyzer.positions` (the same postings, about twice as fast)."""

    def word_values(self, value, analyzer, **kwargs):
        if type(analyzer) is not TextAnalyzer or not isinstance(value, str) or kwargs.keys() - {"mode"} \
                or kwargs.get("mode") != "index":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        encode = self.encode
        for term, poslist in analyzer.positions(value).items():
            yield term, len(poslist), float(len(poslist)) * fb, encode(poslist)

    def encode(self, poslist: list[int]) -> bytes:
        """Positions.encode (the count, then the pickled gaps between positions), with the
        gaps taken in C and the value of a word seen once remembered. A remembered value is one
        object wherever it is used, so a block of postings that holds it twice pickles it once
        (a smaller postings file; the same values read back)."""
        if len(poslist) == 1:
            pos = poslist[0]
            got = _ONCE.get(pos)
            if got is None:
                got = pack_uint(1) + pickle.dumps(poslist, 2)
                if pos < _ONCE_KEPT:
                    _ONCE[pos] = got
            return got
        return pack_uint(len(poslist)) + pickle.dumps([poslist[0], *map(sub, poslist[1:], poslist)], 2)


# The encoded positions of a word seen once at each position below _ONCE_KEPT (most words of a text).
_ONCE: dict[int, bytes] = {}
_ONCE_KEPT = 20_000


def _word_parts(word: str, joining: bool) -> list[tuple[str, int, int, bool]]:
    """(text, start, end, joined) of a word with inner separators: "Nissan's" is "Nissan",
    "10,000" is "10000", "3,5" is "3.5", "e-Power" is "e", "Power" and (when `joining`, for
    the index) the joined "ePower"; offsets are within the word."""
    text = _POSSESSIVE.sub("", word)
    end = len(text)
    if _GROUPED_NUMBER.match(text):
        text = _SEPARATORS.sub("", text)
    if _DECIMAL.match(text):
        return [(text.replace(",", "."), 0, end, False)]
    parts = [p for p in _SEPARATORS.split(text) if p]
    if len(parts) <= 1:
        return [(parts[0] if parts else text, 0, end, False)]
    out, offset = [], 0
    for i, part in enumerate(parts):
        at = text.index(part, offset)
        offset = at + len(part)
        out.append((part, at, at + len(part), False))
        if i == 0 and joining:
            out.append(("".join(parts), 0, len(text), True))
    return out


def _pipeline(stops=frozenset()):
    """The same analysis as Whoosh filters (TextAnalyzer is checked against it in the tests)."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | WordPartsFilter()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopAndRenumberFilter(stops)
    )


def filter_chain(stemming: bool = True):
    """The analysis as a chain of Whoosh filters, the reference TextAnalyzer must equal."""
    return _pipeline(STOPS) | StemFilter(cachesize=200_000) if stemming else _pipeline()


@lru_cache(maxsize=1)
def text_analyzer():
    """The analyzer of every full-text field: folded, stop words dropped, stemmed."""
    return TextAnalyzer(STOPS)


@lru_cache(maxsize=1)
def surface_analyzer():
    """Folded words without stemming: the spelling dictionary and suggestions use these."""
    return TextAnalyzer(stemming=False)


def analyze(text: str) -> list[str]:
    """The index terms of `text` (query mode), for tests and the spelling checks."""
    return [t.text for t in text_analyzer()(text, mode="query")]



def surface_word_set(text: str) -> set[str]:
    """The set of `surface_words(text)`, computed without the analyzer (for whole documents)."""
    words: set[str] = set()
    for match in _TOKEN.finditer(text.lower()):
        word = match.group()
        if not word.isalnum():
            word = _POSSESSIVE.sub("", word)
            if _GROUPED_NUMBER.match(word) or _DECIMAL.match(word):
                continue  # numbers: never dictionary words
            parts = [p for p in _SEPARATORS.split(word) if p]
            if len(parts) > 1:
                words.update(parts)
                word = "".join(parts)
            elif parts:
                word = parts[0]
        words.add(word)
    return {w.translate(accent_map) for w in words}


def surface_words(text: str) -> list[str]:
    """Folded words of `text` as written (not stemmed); hyphenated words come joined too."""
    return [t.text for t in surface_analyzer()(text, mode="index")]
