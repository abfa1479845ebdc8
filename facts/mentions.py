"""Which known entities an article names, and which capitalised names it has that we don't know.

Matching rules (names come from the facts and are untrusted; they are never compiled as
patterns, only escaped):

- An entity is named by its name or any alias, compared case- and accent-folded
  (`names.fold`), as whole words. A leading "the " of a name is dropped ("the Alliance"
  is found as "Alliance"). Words may be separated in the text by any whitespace; a
  hyphen in a name also matches a space and the reverse ("e-Power", "e Power"), and a
  word inside a name may carry a possessive "'s" ("Ampere's next-generation platform").
- Common-word guard: a one-word name written with a capital in the facts must start with a
  capital in the text ("Alpine" the brand, not "alpine" the adjective); an acronym (a
  one-word name in capitals, "ICE", "SDV") must be in capitals in the text. Names with
  fewer than two letters or digits are never matched.
- Longest match wins, leftmost first: "Renault Group" and "Renault 5 Electric" are one
  mention each, not also "Renault". Words inside a match are not matched again.
- Partnerships are named too; the companies named inside a partnership's name are also
  mentions ("Renault-Nissan-Mitsubishi Alliance" names the alliance and the three makers).
- One name, several entities: the entity whose own name it is wins over those that have it
  as an alias; then an entity that belongs to the other (its parent, brand, maker or owner
  is the other one) wins, being the more specific. If that leaves more than one, the
  mention is kept as ambiguous (`entity_id` None, `choices` the ids) and links nothing.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .kinds import ENTITY_KINDS, NAMED_KINDS
from .model import Fact
from .names import fold

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
# Fields that make an entity part of another (the more specific one wins a shared name).
_BELONGS = ("parent", "brand", "maker", "owner")
SENTENCE_LIMIT = 300  # characters of context kept around a mention at most


@dataclass(frozen=True)
class Mention:
    """One place an entity is named: offsets into the text given, and its sentence."""

    entity_id: str | None  # None when the name is ambiguous (see `choices`)
    start: int
    end: int
    text: str  # the words as written in the article
    sentence: str
    sentence_start: int  # offset of `sentence` in the text
    choices: tuple[str, ...] = ()


@dataclass
class _Name:
    """One name of one or more entities, compiled for matching after its first word."""

    written: str
    prefix: str  # non-word characters before the first word ("(" of "(A)")
    rest: re.Pattern  # matched right after the first word
    entity_id: str | None
    choices: tuple[str, ...]
    caps: str  # "" any case, "initial" capital first letter, "all" all capitals
    length: int
    outer: bool  # a partnership's name: the names inside it are matched too


@dataclass
class NameMatcher:
    """The known names, grouped by their first folded word; build once, use for every article."""

    by_first: dict[str, list[_Name]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # entity id -> display name
    skipped: list[str] = field(default_factory=list)  # names too short to match safely
    kinds: dict[str, str] = field(default_factory=dict)  # entity id -> kind (from_facts only)
    entries: tuple = ()  # what it was made from (from_entries rebuilds it; equal entries, equal matcher)
    scan: re.Pattern = _WORD  # finds the words that start a name (a trie of them, else every word)

    @classmethod
    def from_facts(cls, facts: Iterable[Fact], kinds: tuple[str, ...] = NAMED_KINDS) -> NameMatcher:
        """A matcher for the names and aliases of the entities (and partnerships) among `facts`."""
        return cls.from_entries(entries_of(facts, kinds))

    @classmethod
    def from_entries(cls, entries: tuple) -> NameMatcher:
        """A matcher from `entries_of(...)`: (id, kind, name, aliases, belongs-to ids) tuples."""
        matcher = cls.from_names(
            ((eid, name, list(aliases)) for eid, _kind, name, aliases, _ in entries),
            {eid: set(belongs) for eid, _kind, _name, _aliases, belongs in entries},
            {eid for eid, kind, *_ in entries if kind not in ENTITY_KINDS},
        )
        matcher.kinds = {eid: kind for eid, kind, *_ in entries}
        matcher.entries = entries
        return matcher

    @classmethod
    def from_names(cls, entries: Iterable[tuple[str, str, list[str]]],
                   belongs: dict[str, set[str]] | None = None, outer: set[str] = frozenset()) -> NameMatcher:
        """A matcher from (entity id, name, aliases); `belongs` maps an id to its parents,
        `outer` holds the ids whose names may hold other names (partnerships)."""
        belongs = belongs or {}
        matcher = cls()
        # folded key -> {entity id: (own name?, written form)}
        keys: dict[str, dict[str, tuple[bool, str]]] = {}
        for entity_id, name, aliases in entries:
            matcher.names[entity_id] = name
            for i, written in enumerate((name, *aliases)):
                key = _key(written)
                if len(re.sub(r"\W+", "", key)) < 2:
                    matcher.skipped.append(written)
                    continue
                own, _ = keys.setdefault(key, {}).get(entity_id, (False, written))
                keys[key][entity_id] = (own or i == 0, written)
        for key, owners in keys.items():
            entity_id, choices = _settle(owners, belongs)
            written = owners[entity_id][1] if entity_id else next(iter(owners.values()))[1]
            compiled = _compile(key, written, entity_id, choices)
            compiled.outer = bool(outer) and all(i in outer for i in (entity_id,) if i) and \
                all(i in outer for i in choices)
            matcher.by_first.setdefault(_WORD.search(key).group(), []).append(compiled)
        for group in matcher.by_first.values():
            group.sort(key=lambda n: -n.length)
        matcher.scan = _first_words_pattern(list(matcher.by_first))
        return matcher

    def __bool__(self) -> bool:
        return bool(self.by_first)

    def find(self, text: str, sentences: bool = True) -> list[Mention]:
        """Every mention in `text`, in order; linear in the length of the text.

        With `sentences` False the mentions carry no sentence ("" at -1): quicker, for an index.
        """
        folded, where = _fold_with_offsets(text)
        found: list[Mention] = []
        after = 0  # folded offset before which nothing is matched again
        after_outer = 0  # ... and before which no partnership name is
        by_first = self.by_first
        for word in self.scan.finditer(folded):
            group = by_first.get(word.group())
            if group is None or word.start() < after:
                continue
            inside = False  # a partnership's name matched here: look for a name inside it
            for name in group:
                if name.outer and (inside or word.start() < after_outer):
                    continue
                if name.prefix and not folded.endswith(name.prefix, 0, word.start()):
                    continue
                m = name.rest.match(folded, word.end())
                if m is None:
                    continue
                fstart = word.start() - len(name.prefix)
                start, end = _orig(where, fstart, len(text)), _orig(where, m.end(), len(text))
                written = text[start:end]
                if not _case_ok(written, name.caps):
                    continue
                sentence, s_start = sentence_at(text, start, end) if sentences else ("", -1)
                found.append(Mention(name.entity_id, start, end, written, sentence, s_start, name.choices))
                if name.outer:
                    after_outer, inside = m.end(), True
                    continue
                after = m.end()
                break
        return found


def entries_of(facts: Iterable[Fact], kinds: tuple[str, ...] = NAMED_KINDS) -> tuple:
    """The names a matcher needs from `facts`, as a small sorted tuple (saved with an index)."""
    out = []
    for f in facts:
        if f.kind in kinds and isinstance(f.values.get("name"), str):
            aliases = tuple(a for a in f.aliases if isinstance(a, str))
            belongs = tuple(sorted({v for k in _BELONGS if isinstance(v := f.values.get(k), str)}))
            out.append((f.id, f.kind, f.name, aliases, belongs))
    return tuple(sorted(out))


def _first_words_pattern(words: list[str]) -> re.Pattern:
    """A regex matching exactly `words` as whole words, as a trie (the regex engine scans the
    text faster than a loop over every word); every word when there are none or it can't be built."""
    if not words:
        return re.compile(r"(?!x)x")
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    try:
        return re.compile(r"(?<!\w)" + emit(root) + r"(?!\w)")
    except (RecursionError, re.error, OverflowError, MemoryError):  # hostile names: nested too deep
        return _WORD


def _key(name: str) -> str:
    key = _SPACE.sub(" ", fold(name)).strip()
    return key[4:] if key.startswith("the ") and _WORD.search(key[4:]) else key


def _settle(owners: dict[str, tuple[bool, str]], belongs: dict[str, set[str]]) -> tuple[str | None, tuple[str, ...]]:
    """The entity a name shared by several links to (None: ambiguous) and all of them."""
    ids = sorted(owners)
    if len(ids) == 1:
        return ids[0], ()
    own = [i for i in ids if owners[i][0]]
    pool = own if own else ids
    if len(pool) > 1:
        specific = [i for i in pool if all(o == i or o in _ancestors(i, belongs) for o in pool)]
        pool = specific or pool
    return (pool[0], ()) if len(pool) == 1 else (None, tuple(pool))


def _ancestors(entity_id: str, belongs: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(belongs.get(entity_id, ()))
    while todo:
        parent = todo.pop()
        if parent not in seen:
            seen.add(parent)
            todo.extend(belongs.get(parent, ()))
    return seen


def _compile(key: str, written: str, entity_id: str | None, choices: tuple[str, ...]) -> _Name:
    words = list(_WORD.finditer(key))
    parts = []
    for a, b in itertools.pairwise(words):
        gap = key[a.end():b.start()]
        if gap.strip() in ("", "-"):  # "Ampere next-generation" also matches "Ampere's next generation"
            parts.append(r"(?:'s)?(?:\s+|\s*-\s*)")
        else:
            parts.append(r"\s*" + re.escape(gap.strip()) + r"\s*")
        parts.append(re.escape(b.group()))
    suffix = key[words[-1].end():]
    pattern = "".join(parts) + re.escape(suffix) + (r"(?!\w)" if not suffix else "")
    letters = [c for c in written if c.isalpha()]
    caps = ""
    if len(words) == 1 and letters:
        if len(letters) > 1 and all(c.isupper() for c in letters):
            caps = "all"
        elif _WORD.search(written.removeprefix("the ").removeprefix("The ")).group()[0].isupper():
            caps = "initial"
    return _Name(written, key[:words[0].start()], re.compile(pattern), entity_id, choices, caps, len(key), False)


def _case_ok(written: str, caps: str) -> bool:
    if not caps:
        return True
    letters = [c for c in written if c.isalpha()]
    if not letters:
        return False
    return letters[0].isupper() if caps == "initial" else all(c.isupper() for c in letters)


# Characters whose folded form is not one character long are rare: map offsets only then.
def _fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """`fold(text)`, and for each folded character its offset in `text` (None: the same)."""
    if text.isascii():
        return text.lower(), None
    lowered = text.lower()
    table: dict[int, str] = {}
    same_length = len(lowered) == len(text)
    for ch in set(lowered):
        if not ch.isascii():
            folded = fold(ch)
            table[ord(ch)] = folded
            same_length = same_length and len(folded) == 1
    if same_length:
        return lowered.translate(table), None
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = fold(ch) if not ch.isascii() else ch.lower()
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def _orig(where: list[int] | None, offset: int, length: int) -> int:
    if where is None:
        return offset
    return where[offset] if offset < len(where) else length


_SENTENCE_END = re.compile(r"[.!?](?=[\s\"'”’)]|$)|\n")


def sentence_at(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence (or line) holding text[start:end], at most about SENTENCE_LIMIT characters."""
    lo = max(0, start - SENTENCE_LIMIT)
    begin = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        begin = m.end()
    stop = _SENTENCE_END.search(text, end, end + SENTENCE_LIMIT)
    finish = stop.end() if stop and stop.group() != "\n" else (stop.start() if stop else min(len(text), end + SENTENCE_LIMIT))
    while begin < start and text[begin].isspace():
        begin += 1
    return text[begin:finish].rstrip(), begin


@dataclass(frozen=True)
class MentionedIn:
    """An article that names an entity: how often, and the sentence of the first mention.

    `start`/`end` mark the name inside `sentence`; `offset` is where the name is in the
    article's reading text (to open the article there).
    """

    article: str
    title: str
    date_label: str
    count: int
    sentence: str
    start: int
    end: int
    offset: int


def mentioned_in(article: str, title: str, date_label: str, text: str, count: int, start: int, end: int
                 ) -> MentionedIn | None:
    """The row for an article whose first mention is text[start:end] (None if out of range)."""
    if not (0 <= start < end <= len(text)):
        return None
    sentence, at = sentence_at(text, start, end)
    return MentionedIn(article, title, date_label, count, sentence, start - at, end - at, start)


def find_mentions(text: str, matcher: NameMatcher) -> list[Mention]:
    """Every mention of a known entity in `text` (see the module's rules)."""
    return matcher.find(text)


def summary(mentions: Iterable[Mention], after: int = 0) -> dict[str, tuple[int, int, int]]:
    """Entity id -> (times named, start and end of its first mention): what an index keeps.

    The first mention at or after offset `after` is kept when there is one (so that a
    profile quotes a sentence of the article rather than its headline).
    """
    out: dict[str, tuple[int, int, int]] = {}
    for m in mentions:
        if m.entity_id:
            count, start, end = out.get(m.entity_id, (0, m.start, m.end))
            if count and start < after <= m.start:
                start, end = m.start, m.end
            out[m.entity_id] = (count + 1, start, end)
    return out


def body_start(text: str, title: str) -> int:
    """Where the text after a leading headline line equal to `title` begins (else 0)."""
    first, _, _ = text.partition("\n")
    return len(first) + 1 if title and fold(first.strip()) == fold(title.strip()) else 0


def mention_counts(mentions: Iterable[Mention]) -> dict[str, int]:
    """Entity id -> how many times it is named (ambiguous mentions left out)."""
    return dict(Counter(m.entity_id for m in mentions if m.entity_id))


# -- candidates: capitalised names the knowledge base does not know ----------------------

def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Capitalised words that are not names, or not names on their own.
_NOT_NAMES = _word_set("""
a an the this that these those there then than it its in on at of to for from by with as and or
but if so not no yes we our you your he his she her they their them i my me us is are was were
be been has have had will would could should may might can do does did new also after before
during while when where which who whom whose what why how all any each every some most more
many much other such one two three four five six seven eight nine ten first second third last
next according however meanwhile although because since despite about over under into up down
out here now today yesterday tomorrow mr mrs ms dr prof sir ceo cfo coo cto chairman chairwoman
president vice director chief executive officer managing head manager minister spokesman
spokeswoman spokesperson founder analyst editor reporter photo image source read more share
january february march april may june july august september october november december jan feb
mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday
chinese french japanese german american european korean indian italian british spanish swedish
russian asian western eastern
ev evs suv suvs bev bevs phev phevs
""")
# Lower-case words that may join the words of a name ("Luca de Meo", "Bank of America").
_JOINERS = _word_set("de da di del della der den van von la le du of y bin al")
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*\w|[^\W\d_]|\d[\w.-]*")
_MAX_CANDIDATES = 50


def candidates(text: str, matcher: NameMatcher, mentions: list[Mention] | None = None,
               limit: int = _MAX_CANDIDATES) -> list[tuple[str, int]]:
    """Capitalised names of two or more words in `text` that name no known entity.

    (name, occurrences), most frequent first. Runs of capitalised words (with joiners such
    as "de" or "of" inside, and numbers after the first word: "BYD Seal", "Tianshu Xin") are
    taken; sentence words, titles, months and days are trimmed off; a run whose words are all
    inside known mentions is not a candidate.
    """
    if mentions is None:
        mentions = matcher.find(text)
    known = _merged(sorted((m.start, m.end) for m in mentions))
    starts = [s for s, _ in known]
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}  # folded name -> the first way it is written
    for run in _runs(text):
        words = _trim(run)
        if len(words) < 2 or _covered(known, starts, words):
            continue
        name = " ".join(w for w, _, _ in words)
        key = fold(name)
        counts[key] += 1
        written.setdefault(key, name)
    seen = {k: i for i, k in enumerate(written)}  # first seen first among equals
    ranked = sorted(seen, key=lambda k: (-counts[k], seen[k]))
    return [(written[k], counts[k]) for k in ranked[:limit]]


def _is_heading(line: str) -> bool:
    """A line in title case ("Nissan and their Independent Pursuit of Tech"): not sentences."""
    words = [w for w in _TOKEN.findall(line)
             if w[0].isalpha() and w.casefold() not in _JOINERS and w.casefold() not in _NOT_NAMES]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _runs(text: str):
    """Runs of words in one sentence that could make a name: (word, start, end) lists."""
    at = 0
    for line in text.split("\n"):
        if not _is_heading(line):
            for run in _line_runs(line):
                yield [(w, at + s, at + e) for w, s, e in run]
        at += len(line) + 1


def _line_runs(text: str):
    run: list[tuple[str, int, int]] = []
    last_end = -1
    for m in _TOKEN.finditer(text):
        word = m.group().rstrip(".")
        possessive = word.endswith(("'s", "’s"))
        word = word[:-2] if possessive else word
        gap = text[last_end:m.start()] if last_end >= 0 else " "
        joined = last_end >= 0 and gap in (" ", "-")
        capital = word[:1].isupper() or (word[:1].isdigit() and run)
        if run and not joined:
            yield run
            run = []
        if capital or (run and word in _JOINERS):
            run.append((word, m.start(), m.start() + len(word)))
            if possessive or (m.group().endswith(".") and not word.isupper()):  # these end the run
                yield run
                run = []
        elif run:
            yield run
            run = []
        last_end = m.end()
    if run:
        yield run


def _trim(run: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    words = list(run)
    while words and (words[0][0].casefold() in _NOT_NAMES or words[0][0] in _JOINERS or words[0][0][0].isdigit()):
        words.pop(0)
    while words and (words[-1][0].casefold() in _NOT_NAMES or words[-1][0] in _JOINERS):
        words.pop()
    # A title or month inside splits the run: keep the longest side.
    for i, (w, _, _) in enumerate(words):
        if w.casefold() in _NOT_NAMES:
            left, right = _trim(words[:i]), _trim(words[i + 1:])
            return left if len(left) >= len(right) else right
    return words


def _merged(spans: list[tuple[int, int]]) -> list[list[int]]:
    """Overlapping spans (sorted by start) joined."""
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _covered(merged: list[list[int]], starts: list[int], words: list[tuple[str, int, int]]) -> bool:
    """Whether every word lies inside one of the `merged` spans (whose starts are `starts`)."""
    for _, start, end in words:
        i = bisect.bisect_right(starts, start) - 1
        if i < 0 or merged[i][1] < end:
            return False
    return True


def article_links(text: str, matcher: NameMatcher, names: dict[str, str] | None = None) -> dict:
    """What an article names, for `--json` output: known entities and candidate names.

    {"mentions": [{"id", "name", "count", "first": {"text", "start", "end", "sentence"}}],
     "ambiguous": [{"text", "choices", "start"}], "candidates": [{"name", "count"}]}
    """
    names = names or matcher.names
    found = matcher.find(text)
    by_id: dict[str, list[Mention]] = {}
    for m in found:
        if m.entity_id:
            by_id.setdefault(m.entity_id, []).append(m)
    mentions = [
        {"id": eid, "name": names.get(eid, eid), "count": len(ms),
         "first": {"text": ms[0].text, "start": ms[0].start, "end": ms[0].end, "sentence": ms[0].sentence}}
        for eid, ms in sorted(by_id.items(), key=lambda kv: (-len(kv[1]), kv[1][0].start))
    ]
    ambiguous = [{"text": m.text, "choices": list(m.choices), "start": m.start} for m in found if not m.entity_id]
    return {"mentions": mentions, "ambiguous": ambiguous,
            "candidates": [{"name": n, "count": c} for n, c in candidates(text, matcher, found)]}
