"""Prefix, wildcard and typo-tolerant words expanded to index terms, within a budget.

Whoosh's own Prefix, Wildcard and FuzzyTerm queries expand to every matching term of
the vocabulary, so `co*` or `renault~2` can cost seconds. Here each such word is
expanded from the index's vocabulary by hand, and one Budget per query caps the work:
how many terms all expanding words together may search, how many documents those terms
may match in all (postings: the work of scoring), and how many words get typo
tolerance. It is spent in order of value: earlier words first, and within a word the
most common matches (for typos, the closest ones). Every cut is noted for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from facts.names import edit_distance

from .analysis import analyze
from .schema import TEXT_FIELD

TERMS_PER_WORD = 32  # terms one expanding word may search
MAX_TERMS = 64  # terms all the expanding words of a query may search together
# Documents those terms may match in all, summed over terms: the work of scoring them. It does not grow with the corpus, so a larger corpus gets fewer terms.
MAX_POSTINGS = 10_000
MAX_FUZZY_WORDS = 8  # words searched with typo tolerance; later ones are searched as written
MAX_SCANNED = 5_000  # vocabulary entries examined for one word
MAX_SOURCES = 100  # articles a source: filter may name (source:0* could name thousands)


@dataclass
class Cut:
    """One expanding word that matched more than was searched."""

    label: str  # as typed: "ba*", "renault~2"
    matched: int  # words of the index it matches (at least this many when `partial`)
    kept: int  # how many of them were searched
    fuzzy: bool
    partial: bool = False  # the vocabulary was too large to examine whole


@dataclass
class Budget:
    """The work one query may do on expansions; what was cut is kept for `messages()`."""

    terms: int = MAX_TERMS
    postings: int = MAX_POSTINGS
    fuzzy_words: int = MAX_FUZZY_WORDS
    cuts: list[Cut] = field(default_factory=list)
    unfuzzed: list[str] = field(default_factory=list)  # words searched without their ~
    dropped: list[str] = field(default_factory=list)  # words not searched: the budget was spent
    common: list[str] = field(default_factory=list)  # plain words too common to rank partial matches by
    notes: list[str] = field(default_factory=list)  # other cuts, already worded
    _expanded: dict[tuple, list[str]] = field(default_factory=dict)
    _fuzzy: set[str] = field(default_factory=set)

    def spend(self, key: tuple, label: str, candidates: list[tuple[str, int]], partial: bool,
              fuzzy: bool) -> list[str] | None:
        """The terms searched for one word, from (term, documents) best first; None when
        the budget is spent and the word is left out of the query.

        A word seen before in this query gets the same terms again at no cost. While any
        budget is left a word gets at least its best match (which may overdraw it by one term).
        """
        if key in self._expanded:
            return self._expanded[key]
        if candidates and (self.terms <= 0 or self.postings <= 0):
            if label not in self.dropped:
                self.dropped.append(label)
            self._expanded[key] = None
            return None
        kept: list[str] = []
        for term, docs in candidates:
            if kept and (len(kept) >= TERMS_PER_WORD or self.terms <= 0 or docs > self.postings):
                break
            kept.append(term)
            self.terms -= 1
            self.postings = max(0, self.postings - docs)
        if len(kept) < len(candidates) or partial:
            self.cuts.append(Cut(label, len(candidates), len(kept), fuzzy, partial))
        self._expanded[key] = kept
        return kept

    def allow_fuzzy(self, label: str) -> bool:
        """Whether the word `label` may be searched with typo tolerance (noted when not).

        The first MAX_FUZZY_WORDS distinct words may; asking again about one is free.
        """
        if label in self._fuzzy:
            return True
        if self.fuzzy_words > 0:
            self.fuzzy_words -= 1
            self._fuzzy.add(label)
            return True
        if label not in self.unfuzzed:
            self.unfuzzed.append(label)
        return False

    def messages(self) -> list[str]:
        """Plain sentences saying what was cut, for Results.messages."""
        out = []
        if len(self.cuts) == 1:
            cut = self.cuts[0]
            out.append(f"{cut.label} {_matches(cut)}; {_searched(cut)}.")
        elif self.cuts:
            shown = "; ".join(f"{c.label} {_matches(c)}, {c.kept:,} searched" for c in self.cuts[:3])
            more = f"; and {len(self.cuts) - 3} more" if len(self.cuts) > 3 else ""
            out.append(f"Some words match too many others to search them all ({shown}{more}); "
                       "the most common or closest ones were searched.")
        if self.dropped:
            out.append(f"{_listed(self.dropped)} {'was' if len(self.dropped) == 1 else 'were'} not searched: "
                       "the words with * or ~ before {} used up what one query may search.".format(
                           "it" if len(self.dropped) == 1 else "them"))
        out.extend(self.notes)
        if self.common:
            out.append(f"Results with only some of the words were ranked by the rarer words; {_listed(self.common)} "
                       f"{'is' if len(self.common) == 1 else 'are'} too common to rank them by.")
        if self.unfuzzed:
            out.append(f"Only the first {MAX_FUZZY_WORDS} words with ~ were searched with typo tolerance; "
                       f"{_listed(self.unfuzzed)} {'was' if len(self.unfuzzed) == 1 else 'were'} searched as written.")
        return out


def _listed(labels: list[str]) -> str:
    """'a*', 'a* and b*', 'a*, b*, c* and 4 more'."""
    if len(labels) > 4:
        return f"{', '.join(labels[:3])} and {len(labels) - 3} more"
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def _matches(cut: Cut) -> str:
    count = f"{'more than ' if cut.partial else ''}{cut.matched:,} word{'s' if cut.matched != 1 else ''}"
    return f"is close to {count}" if cut.fuzzy else f"matches {count}"


def _searched(cut: Cut) -> str:
    if cut.kept == 1:
        return "only the closest was searched" if cut.fuzzy else "only the most common was searched"
    return f"the {cut.kept:,} {'closest' if cut.fuzzy else 'most common'} were searched"


def _text(btext) -> str:
    return btext.decode("utf-8") if isinstance(btext, bytes) else btext


def _scan(reader, literal: str, accept) -> tuple[dict[str, tuple[int, int]], bool]:
    """term -> (rank, documents) for the terms starting with `literal` that `accept(term)`
    ranks (None rejects); whether the vocabulary was cut short."""
    found: dict[str, tuple[int, int]] = {}
    for scanned, (btext, info) in enumerate(reader.iter_prefix(TEXT_FIELD, literal)):
        if scanned >= MAX_SCANNED:
            return found, True
        term = _text(btext)
        rank = accept(term)
        if rank is not None:
            found[term] = (rank, info.doc_frequency())
    return found, False


def _ranked(found: dict[str, tuple[int, int]]) -> list[tuple[str, int]]:
    """(term, documents), best rank first, then the most documents, then alphabetical."""
    return [(term, docs) for term, (rank, docs) in sorted(found.items(), key=lambda kv: (kv[1][0], -kv[1][1], kv[0]))]


def expand_pattern(reader, budget: Budget, label: str, pattern: str) -> list[str] | None:
    """The terms searched for a folded prefix or wildcard pattern such as `ba*` or `ren?ult`
    (None: not searched, see Budget.spend)."""
    literal = re.split(r"[*?]", pattern, maxsplit=1)[0]
    if pattern == literal + "*":
        accept = _always
    else:
        regex = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern))
        accept = lambda term: 0 if regex.fullmatch(term) else None  # noqa: E731
    key = ("pattern", pattern)
    if key in budget._expanded:
        return budget._expanded[key]
    found, partial = _scan(reader, literal, accept)
    stem = _stem(reader, literal) if accept is _always else None
    if stem is None:
        return budget.spend(key, label, _ranked(found), partial, fuzzy=False)
    # The word itself is searched as a plain word is, outside the budget; the rest from it.
    found.pop(stem, None)
    rest = _ranked(found)
    if rest and (budget.terms <= 0 or budget.postings <= 0):
        budget.cuts.append(Cut(label, len(rest) + 1, 1, False, partial))
        terms = [stem]
    else:
        terms = [stem, *(budget.spend(key, label, rest, partial, fuzzy=False) or [])]
    budget._expanded[key] = terms
    return terms


def _stem(reader, literal: str) -> str | None:
    """The index term of a prefix that is a whole word, when the index has it: the index
    holds stems, so `batteries*` or `chemistry*` start no index term ("batteri", "chemistri")
    and would not find the word typed."""
    terms = analyze(literal)
    if len(terms) == 1 and reader.doc_frequency(TEXT_FIELD, terms[0]):
        return terms[0]
    return None


def _always(term: str) -> int:
    return 0


def expand_sources(reader, budget: Budget, label: str, prefix: str) -> list[str]:
    """The article file names starting with `prefix`: the first MAX_SOURCES of them."""
    names: list[str] = []
    count = 0
    for btext, _ in reader.iter_prefix("source", prefix):
        count += 1
        if count <= MAX_SOURCES:
            names.append(_text(btext))
        elif count >= 10 * MAX_SOURCES:  # enough to say "more than"
            break
    if count > MAX_SOURCES:
        note = (f"{label} matches {'more than ' if count >= 10 * MAX_SOURCES else ''}{count:,} articles; "
                f"only the first {MAX_SOURCES} were searched.")
        if note not in budget.notes:
            budget.notes.append(note)
    return names


def expand_fuzzy(reader, budget: Budget, label: str, term: str, edits: int) -> list[str] | None:
    """The terms within `edits` edits of `term` (a swap of neighbours is one), closest first.

    The first letter (two for two edits) is taken as typed: that keeps the vocabulary
    examined small, and typos rarely start a word.
    """
    key = ("fuzzy", term, edits)
    if key in budget._expanded:
        return budget._expanded[key]
    fixed = term[: min(edits, len(term) - 1)] if len(term) > 1 else term

    def accept(candidate: str) -> int | None:
        if abs(len(candidate) - len(term)) > edits:
            return None
        distance = edit_distance(candidate, term, edits)
        return distance if distance <= edits else None

    found, partial = _scan(reader, fixed, accept)
    return budget.spend(key, label, _ranked(found), partial, fuzzy=True)
