"""Copies among articles: exact copies, excerpts of another article, the same story rewritten.

An article's reading text is cut into overlapping runs of five words ("shingles"); the
hash of each is kept when its low bits are zero, a fixed one-in-eight sample that is the
same in every article. Two articles share about an eighth of the shingles they share, so
the overlap of their samples estimates both how alike they are (resemblance: overlap over
union, what MinHash estimates) and how much of the smaller is inside the larger
(containment: overlap over the smaller, which MinHash cannot tell and an excerpt needs).

The index is one sorted array of 64-bit keys (hash in the high bits, article number in the
low 20) plus a small sorted tail of recent additions: finding the articles that share a
sample is a binary search, loading it is a memory copy, and adding an article costs a
search and a sort of the tail, whatever the size of the corpus.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

SHINGLE_WORDS = 5
SAMPLE_BITS = 3  # keep one shingle hash in 2**3
MIN_SAMPLES = 6  # below this (about 50 words) only exact copies are recognised
COMMON = 48  # a sample found in more articles than this is boilerplate: it proves nothing
ID_BITS = 20  # up to a million articles
_ID_MASK = (1 << ID_BITS) - 1
_HASH_MASK = ((1 << 64) - 1) ^ _ID_MASK
_SAMPLE_MASK = (1 << SAMPLE_BITS) - 1
_TAIL_MIN = 20_000

COPY, EXCERPT, REWRITE = "copy", "excerpt", "rewrite"
_RANK = {COPY: 0, EXCERPT: 1, REWRITE: 2}
DESCRIBE = {COPY: "a copy of", EXCERPT: "an excerpt of", REWRITE: "the same story as"}

# Thresholds on the sampled overlap (measured on the bundled corpus, generated copies and
# rewritten wire stories; unrelated articles on the same subject stay under 0.05).
COPY_RESEMBLANCE = 0.8
EXCERPT_CONTAINMENT = 0.8
EXCERPT_SIZE = 0.85  # an excerpt is at most this part of the whole (else: a rewrite)
REWRITE_RESEMBLANCE = 0.3
REWRITE_CONTAINMENT = 0.5

_WORD = re.compile(r"\w+")
_DIGEST_CHARS = 24  # hex digits of a 12-byte digest


@dataclass(frozen=True)
class Sketch:
    """What duplicate detection keeps of a text: a digest of its words and sampled shingles."""

    digest: str
    samples: array  # of "Q" (8 bytes each, not a Python int each): sorted, unique
    words: int


def sketch(text: str) -> Sketch:
    """The sketch of a reading text (case, punctuation and spacing do not matter)."""
    words = _WORD.findall(text.lower())
    digest = hashlib.blake2b(" ".join(words).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    crcs = {w: zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in set(words)}  # each word once
    ids = list(map(crcs.__getitem__, words))
    # hash() of a tuple of ints is the same in every process (only str hashes are salted)
    hashes = {hash(t) & ~_ID_MASK & ((1 << 64) - 1)
              for t in zip(*(ids[i:] for i in range(SHINGLE_WORDS)), strict=False)}
    return Sketch(digest, array("Q", sorted(h for h in hashes if not (h >> ID_BITS) & _SAMPLE_MASK)), len(words))


@dataclass(frozen=True)
class Match:
    """`name` relates to an article as `how` (COPY, EXCERPT or REWRITE); `is_duplicate`
    says which way: True when the article is the copy and `name` the original."""

    name: str
    how: str
    is_duplicate: bool
    resemblance: float

    def describe(self) -> str:
        return f"{DESCRIBE[self.how]} {self.name}"


def classify(same_words: bool, a: int, b: int, overlap: int) -> tuple[str, float] | None:
    """How two texts relate (`same_words`: equal digests; `a`, `b`: their numbers of samples;
    `overlap`: samples in common), and their resemblance; None when they do not."""
    if same_words:
        return COPY, 1.0
    small = min(a, b)
    if small < MIN_SAMPLES:
        return None
    union = a + b - overlap
    resemblance = overlap / union if union else 0.0
    containment = overlap / small
    if resemblance >= COPY_RESEMBLANCE:
        return COPY, resemblance
    if containment >= EXCERPT_CONTAINMENT and small <= EXCERPT_SIZE * max(a, b):
        return EXCERPT, resemblance
    if resemblance >= REWRITE_RESEMBLANCE or containment >= REWRITE_CONTAINMENT:
        return REWRITE, resemblance
    return None


class DuplicateIndex:
    """The sketches of a corpus's articles and the copies found among them.

    `order(name)` sorts articles: of two copies or rewrites the later is the duplicate;
    of an article and an excerpt of it, the excerpt is.
    """

    def __init__(self) -> None:
        self.names: list[str | None] = []  # article number -> name (None once removed)
        self.sizes = array("I")  # article number -> how many samples
        self.word_counts = array("I")
        self.ids: dict[str, int] = {}
        self.digest_of: list[str] = []  # article number -> digest of its words
        self.keys = array("Q")  # sorted
        self.tail = array("Q")  # sorted, merged into keys when it grows
        self.matches: dict[str, list[Match]] = {}  # every relation of an article, both ways

    def __len__(self) -> int:
        return len(self.ids)

    # -- saving: flat strings and raw arrays load several times faster than lists and dicts --

    def __getstate__(self) -> dict:
        return {
            "names": "\n".join("" if n is None else n for n in self.names),
            "removed": array("I", (i for i, n in enumerate(self.names) if n is None)).tobytes(),
            "sizes": self.sizes.tobytes(),
            "word_counts": self.word_counts.tobytes(),
            "digests": "".join(d or "-" * _DIGEST_CHARS for d in self.digest_of),
            "keys": self.keys.tobytes(),
            "tail": self.tail.tobytes(),
            "matches": self.matches,
        }

    def __setstate__(self, state: dict) -> None:
        names: list[str | None] = state["names"].split("\n") if state["names"] else []
        for number in array("I", state["removed"]):
            names[number] = None
        self.names = names
        self.ids = {n: i for i, n in enumerate(names) if n is not None}
        self.sizes = array("I", state["sizes"])
        self.word_counts = array("I", state["word_counts"])
        flat = state["digests"]
        self.digest_of = [flat[i:i + _DIGEST_CHARS] for i in range(0, len(flat), _DIGEST_CHARS)]
        self.keys = array("Q", state["keys"])
        self.tail = array("Q", state["tail"])
        self.matches = state["matches"]

    # -- looking up ----------------------------------------------------------------------

    def _counts(self, sk: Sketch) -> Counter:
        counts: Counter = Counter()
        for keys in (self.keys, self.tail):
            if not keys:
                continue
            for h in sk.samples:
                lo = bisect_left(keys, h)
                hi = bisect_left(keys, h + (1 << ID_BITS), lo)
                if hi - lo > COMMON:
                    continue
                for key in keys[lo:hi]:
                    counts[key & _ID_MASK] += 1
        for number, digest in enumerate(self.digest_of):  # cheaper than loading a dict of them
            if digest == sk.digest:
                counts.setdefault(number, 0)
        return counts

    def find(self, sk: Sketch, order: Callable[[str], object], name: str | None = None) -> list[Match]:
        """The articles `sk` relates to, closest first (`name`: the article's own name, if any)."""
        out: list[Match] = []
        own = order(name) if name is not None else None
        for number, overlap in self._counts(sk).items():
            other = self.names[number]
            if other is None or other == name:
                continue
            size = self.sizes[number]
            found = classify(self.digest_of[number] == sk.digest, len(sk.samples), size, overlap)
            if found is None:
                continue
            how, resemblance = found
            if how == EXCERPT:
                is_dup = len(sk.samples) <= size
            else:  # the later article is the copy (a new one, without a name, is later)
                is_dup = own is None or order(other) < own
            out.append(Match(other, how, is_dup, resemblance))
        out.sort(key=lambda m: (not m.is_duplicate, _RANK[m.how], -m.resemblance, m.name))
        return out

    def words(self, name: str) -> int | None:
        """How many words the article's reading text has."""
        number = self.ids.get(name)
        return None if number is None else self.word_counts[number]

    def duplicate_of(self, name: str) -> Match | None:
        """The article `name` is a duplicate of (its closest original), or None."""
        for match in self.matches.get(name, ()):
            if match.is_duplicate:
                return match
        return None

    def copies_of(self, name: str) -> list[str]:
        """The articles that are duplicates of `name`."""
        return [m.name for m in self.matches.get(name, ()) if not m.is_duplicate]

    def group(self, name: str) -> str:
        """The original at the root of the copies `name` belongs to (itself if none)."""
        seen = {name}
        while (match := self.duplicate_of(name)) is not None and match.name not in seen:
            name = match.name
            seen.add(name)
        return name

    # -- changing ------------------------------------------------------------------------

    def add(self, name: str, sk: Sketch, order: Callable[[str], object]) -> list[Match]:
        """Add an article (replacing one of the same name) and record what it relates to."""
        self.remove(name)
        found = self.find(sk, order, name)
        number = len(self.names)
        if number > _ID_MASK:
            self.compact()
            number = len(self.names)
        self.names.append(name)
        self.sizes.append(len(sk.samples))
        self.word_counts.append(sk.words)
        self.ids[name] = number
        self.digest_of.append(sk.digest)
        self.tail = array("Q", sorted([*self.tail, *(h | number for h in sk.samples)]))
        if len(self.tail) > max(_TAIL_MIN, len(self.keys) // 8):
            self.keys = array("Q", sorted([*self.keys, *self.tail]))
            self.tail = array("Q")
        self._record(name, found)
        return found

    def _record(self, name: str, found: Iterable[Match]) -> None:
        mine = self.matches.setdefault(name, [])
        for match in found:
            mine.append(match)
            theirs = self.matches.setdefault(match.name, [])
            theirs.append(Match(name, match.how, not match.is_duplicate, match.resemblance))
            theirs.sort(key=lambda m: (not m.is_duplicate, _RANK[m.how], -m.resemblance, m.name))
        if not mine:
            del self.matches[name]

    def remove(self, name: str) -> None:
        """Forget an article (its samples are dropped at the next compaction)."""
        number = self.ids.pop(name, None)
        if number is None:
            return
        self.names[number] = None
        self.digest_of[number] = ""
        for match in self.matches.pop(name, ()):
            others = self.matches.get(match.name, [])
            others[:] = [m for m in others if m.name != name]
            if not others:
                self.matches.pop(match.name, None)

    def compact(self) -> None:
        """Renumber the articles, dropping removed ones and their samples."""
        keep = {old: new for new, old in enumerate(n for n, name in enumerate(self.names) if name is not None)}
        keys = sorted((k & _HASH_MASK) | keep[k & _ID_MASK] for arr in (self.keys, self.tail)
                      for k in arr if (k & _ID_MASK) in keep)
        self.keys, self.tail = array("Q", keys), array("Q")
        self.names = [n for n in self.names if n is not None]
        self.sizes = array("I", (self.sizes[old] for old in sorted(keep)))
        self.digest_of = [self.digest_of[old] for old in sorted(keep)]
        self.word_counts = array("I", (self.word_counts[old] for old in sorted(keep)))
        self.ids = {n: i for i, n in enumerate(self.names)}

    @classmethod
    def build(cls, sketches: dict[str, Sketch], order: Callable[[str], object]) -> DuplicateIndex:
        """The index of a whole corpus at once (one sort instead of one per article)."""
        index = cls()
        names = sorted(sketches, key=order)
        for number, name in enumerate(names):
            sk = sketches[name]
            index.names.append(name)
            index.sizes.append(len(sk.samples))
            index.word_counts.append(sk.words)
            index.ids[name] = number
            index.digest_of.append(sk.digest)
        index.keys = _sorted_keys(sketches[name].samples for name in names)
        # Pairs that share samples, counted in one pass over the sorted keys (instead of one
        # search per article); samples shared by too many articles are boilerplate and skipped.
        overlaps: Counter = Counter()
        group: list[int] = []
        current = -1
        for key in itertools.chain(index.keys, (0xFFFFFFFFFFFFFFFF,)):
            h = key >> ID_BITS
            if h != current:
                if 1 < len(group) <= COMMON:
                    overlaps.update(itertools.combinations(group, 2))
                group = []
                current = h
            group.append(key & _ID_MASK)
        by_digest: dict[str, list[int]] = {}
        for number, digest in enumerate(index.digest_of):
            by_digest.setdefault(digest, []).append(number)
        for numbers in by_digest.values():
            for pair in itertools.combinations(numbers, 2):
                overlaps.setdefault(pair, 0)
        for (a, b), overlap in overlaps.items():  # a < b: b comes later in `order`
            same = index.digest_of[a] == index.digest_of[b]
            found = classify(same, index.sizes[a], index.sizes[b], overlap)
            if found is None:
                continue
            how, resemblance = found
            b_is_dup = index.sizes[b] <= index.sizes[a] if how == EXCERPT else True
            index.matches.setdefault(names[b], []).append(Match(names[a], how, b_is_dup, resemblance))
            index.matches.setdefault(names[a], []).append(Match(names[b], how, not b_is_dup, resemblance))
        for found in index.matches.values():
            found.sort(key=lambda m: (not m.is_duplicate, _RANK[m.how], -m.resemblance, m.name))
        return index


def _sorted_keys(samples: Iterable[array]) -> array:
    """Every article's samples with its number (its place in `samples`) in the low bits,
    sorted. Sorted by their top byte first, one bucket at a time: the Python ints of a sort
    exist for one bucket only (a corpus holds millions of samples)."""
    buckets = [array("Q") for _ in range(256)]
    for number, sampled in enumerate(samples):
        for h in sampled:
            buckets[h >> 56].append(h | number)
    keys = array("Q")
    for bucket in buckets:
        keys.extend(sorted(bucket))
        del bucket[:]
    return keys
